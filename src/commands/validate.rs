//! `onboard validate`: the catalogue and templates, checked together.
//!
//! Loading already reports YAML, reference, cycle and compile errors. This also
//! renders every template against every role, so a template that uses a field
//! that does not exist is caught before a user meets it.

use chrono::NaiveDate;

use crate::access::{offline_preview, Filed, FiledIssue, FilingError};
use crate::catalog::Diagnostics;
use crate::cli::SourceArgs;
use crate::gitlab::Server;
use crate::hire::{FullName, Hire, Username};
use crate::output::print;
use crate::render::{self, RenderFailure};
use crate::wizard;
use crate::Error;

use super::{access, batch, roles, Workspace};

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

/// Renders every template with sample data for every role, every list
/// non-empty so strict mode sees inside each loop; returns what failed.
fn render_samples(workspace: &Workspace) -> Diagnostics {
    let mut failures: Vec<RenderFailure> = Vec::new();
    let renderer = &workspace.renderer;
    let catalog = &workspace.catalog;
    let mut record = |result: Result<String, Error>| {
        if let Err(Error::Render(failure) | Error::Filing(FilingError::Render(failure))) = result {
            if !failures.contains(&failure) {
                failures.push(failure);
            }
        }
    };
    let render =
        |name: &str, data: serde_json::Value| renderer.render(name, &data).map_err(Error::from);
    record(render(render::ROLES_LIST, json(&roles::list(catalog))));
    record(render(
        render::BATCH_SUMMARY,
        json(&batch::sample_summary(
            "roster.csv",
            "Sample Hire",
            "a sample failure",
        )),
    ));
    for role in catalog.all_roles() {
        let hire = sample_hire(&role.id, workspace);
        record(render(render::ROLE_SHOW, json(&roles::view(catalog, role))));
        let Ok(checklist) = workspace.checklist(&hire) else {
            continue;
        };
        record(render(render::CHECKLIST, json(&checklist)));
        record(render(
            render::WIZARD_SUMMARY,
            json(&wizard::Summary::of(&checklist)),
        ));
        let Ok(Some(request)) = workspace.access_request_for(&checklist) else {
            continue;
        };
        record(render(render::ACCESS_PLAN, json(&request)));
        record(request.body(renderer).map_err(Error::from));
        let issue = FiledIssue {
            url: "https://gitlab.example.com/it/access-requests/-/issues/1".to_string(),
            systems: request.system_ids(),
            created: true,
        };
        let filed = Filed {
            key: request.key.clone(),
            issues: vec![
                issue.clone(),
                FiledIssue {
                    created: false,
                    ..issue.clone()
                },
            ],
        };
        record(access::result_text(workspace, &filed));
        let server =
            Server::parse("https://gitlab.example.com").expect("a constant, valid address");
        match offline_preview(&request, renderer, &server, "it/access-requests") {
            Ok(mut preview) => {
                preview.existing = vec![issue];
                record(render(
                    render::ACCESS_PREVIEW,
                    json(&access::PreviewContext::new(&request, preview.clone())),
                ));
                preview.create = None;
                record(render(
                    render::ACCESS_PREVIEW,
                    json(&access::PreviewContext::new(&request, preview)),
                ));
            }
            Err(err) => record(Err(err.into())),
        }
    }
    Diagnostics(failures.into_iter().map(|f| f.0).collect())
}

/// Any context as the JSON Handlebars renders from.
fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
