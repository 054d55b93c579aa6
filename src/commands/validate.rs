//! `onboard validate`: the catalogue and templates, checked together.
//!
//! Loading already reports YAML, reference, cycle and compile errors. This also
//! renders every template against every role, so a template that uses a field
//! that does not exist is caught before a user meets it.

use crate::catalog;
use crate::diagnostic::Diagnostics;
use crate::output::print;
use crate::render::{self, RenderFailure};
use crate::settings::Settings;
use crate::view;
use crate::workspace::Workspace;
use crate::Error;

/// Runs the command; `strict` makes every assumed catalogue fact a problem.
pub fn run(settings: &Settings, strict: bool) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    workspace.renderer.compile_all().map_err(Error::Invalid)?;
    let holidays = workspace.calendars.check_all();
    if !holidays.is_empty() {
        return Err(Error::Invalid(holidays));
    }
    let mut failures: Vec<RenderFailure> = Vec::new();
    for sample in view::samples(&workspace) {
        if let Err(failure) = workspace.renderer.render(sample.template, &sample.data) {
            if !failures.contains(&failure) {
                failures.push(failure);
            }
        }
    }
    if !failures.is_empty() {
        return Err(Error::Invalid(Diagnostics(
            failures.into_iter().map(|f| f.0).collect(),
        )));
    }
    let catalog = &workspace.catalog;
    let assumed = catalog::assumptions(catalog, &workspace.roles);
    if strict && !assumed.is_empty() {
        return Err(Error::Assumptions(assumed));
    }
    let regions = workspace
        .calendars
        .codes()
        .filter(|c| c.contains('-'))
        .count();
    print(&format!(
        "ok: {} roles, {} tools, the public holidays of {} countries and {regions} regions, and {} templates are valid\n",
        catalog.roles().len(),
        catalog.tools().len(),
        workspace.calendars.codes().count() - regions,
        render::ALL.len()
    ))?;
    if !assumed.is_empty() {
        print(&format!(
            "{} catalogue facts are assumptions, not stated on the source page; `onboard validate --strict` lists them\n",
            assumed.0.len()
        ))?;
    }
    Ok(())
}
