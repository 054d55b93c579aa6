//! `onboard validate`: the catalogue and templates, checked together.
//!
//! Loading already reports YAML, reference, cycle and compile errors. This also
//! renders every template against every role, so a template that uses a field
//! that does not exist is caught before a user meets it.

use crate::diagnostic::Diagnostics;
use crate::output::print;
use crate::render::{self, RenderFailure};
use crate::settings::Settings;
use crate::view;
use crate::workspace::Workspace;
use crate::Error;

/// Runs the command.
pub fn run(settings: &Settings) -> Result<(), Error> {
    let workspace = Workspace::load(settings, render::ALL)?;
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
    print(&format!(
        "ok: {} roles, {} tools and {} templates are valid\n",
        catalog.roles().len(),
        catalog.tools().len(),
        render::ALL.len()
    ))?;
    Ok(())
}
