//! `onboard validate`: the catalogue and templates, checked together.
//!
//! Loading already reports YAML, reference, cycle and compile errors. This also
//! renders every template against every role, so a template that uses a field
//! that does not exist is caught before a user meets it.

use chrono::NaiveDate;

use crate::catalog::Diagnostics;
use crate::cli::SourceArgs;
use crate::hire::{FullName, Hire, Username};
use crate::output::print;
use crate::render::{self, RenderFailure};
use crate::Error;

use super::{roles, Workspace};

/// Runs the command.
pub fn run(sources: &SourceArgs) -> Result<(), Error> {
    let workspace = Workspace::load(sources, render::ALL)?;
    let problems = render_samples(&workspace);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let catalog = &workspace.catalog;
    print(&format!(
        "ok: {} roles, {} tools and {} templates are valid\n",
        catalog.roles.len(),
        catalog.tools.len(),
        render::ALL.len()
    ))?;
    Ok(())
}

/// A made-up hire for trying templates out.
pub fn sample_hire(role: &str, workspace: &Workspace) -> Hire {
    let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
    let user = |name: &str| Username::parse("username", name).ok();
    Hire {
        name: "Sample Hire"
            .parse::<FullName>()
            .expect("a constant, valid name"),
        email: "sample.hire@example.com".parse().ok(),
        username: user("sample.hire"),
        role: role.to_string(),
        start: workspace.calendar.business_day_on_or_after(monday),
        manager: user("sample.manager"),
        buddy: user("sample.buddy"),
        with: Vec::new(),
        without: Vec::new(),
    }
}

/// Renders every template with sample data for every role; returns what failed.
fn render_samples(workspace: &Workspace) -> Diagnostics {
    let mut failures: Vec<RenderFailure> = Vec::new();
    let renderer = &workspace.renderer;
    let catalog = &workspace.catalog;
    let mut record = |result: Result<String, RenderFailure>| {
        if let Err(failure) = result {
            if !failures.contains(&failure) {
                failures.push(failure);
            }
        }
    };
    record(renderer.render(render::ROLES_LIST, &roles::list(catalog)));
    for role in catalog.all_roles() {
        let hire = sample_hire(&role.id, workspace);
        record(renderer.render(render::ROLE_SHOW, &roles::view(catalog, role)));
        if let Ok(checklist) = workspace.checklist(&hire) {
            record(renderer.render(render::CHECKLIST, &checklist));
        }
    }
    Diagnostics(failures.into_iter().map(|f| f.0).collect())
}
