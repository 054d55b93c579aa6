//! `onboard validate`: the catalogue and templates, checked together.
//!
//! Loading already reports YAML, reference, cycle and compile errors. This also
//! renders every template against every role, so a template that uses a field
//! that does not exist is caught before a user meets it.

mod samples;

use crate::catalog;
use crate::diagnostic::Diagnostics;
use crate::output::print;
use crate::plan;
use crate::render::{self, RenderFailure};
use crate::settings::{Settings, Validate};
use crate::workspace::Workspace;
use crate::Error;

/// Runs the command; `--strict` makes every assumed catalogue fact a problem.
pub(super) fn run(settings: &Settings, validate: &Validate) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    workspace.renderer.compile_all().map_err(Error::Invalid)?;
    let holidays = workspace.calendars.check_all();
    if !holidays.is_empty() {
        return Err(Error::Invalid(holidays));
    }
    let mut failures: Vec<RenderFailure> = Vec::new();
    for sample in samples::samples(&workspace) {
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
    let timing = timing_problems(&workspace, settings.access_request_days);
    if !timing.is_empty() {
        return Err(Error::Invalid(timing));
    }
    let assumed = catalog::assumptions(catalog, &workspace.roles);
    if validate.strict && !assumed.is_empty() {
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

/// The catalogue's tasks checked against each other and their tools' arrival.
fn timing_problems(workspace: &Workspace, access_request_days: u32) -> Diagnostics {
    let roles = &workspace.roles;
    let mut found = Diagnostics::default();
    for problem in plan::schedule::check(&workspace.catalog, access_request_days) {
        let message = match &problem.other {
            Some(other) => format!(
                "{}; the earlier is at {}",
                problem.message,
                catalog::task_place(roles, other)
            ),
            None => problem.message,
        };
        found.push(catalog::task_problem(
            roles,
            &problem.origin,
            problem.field,
            message,
        ));
    }
    found.sort();
    found
}
