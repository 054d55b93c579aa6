//! One file per subcommand; each turns settings and checked arguments into
//! library calls. No command imports another.

mod access;
mod batch;
mod checklist;
mod completions;
mod man;
mod offboard;
mod roles;
mod status;
mod tools;
mod transfer;
mod validate;
mod wizard;

use serde::Serialize;

use crate::render::Renderer;
use crate::settings::{Action, Settings};
use crate::view::to_json;
use crate::Error;

/// What a command prints: `data` through its template, or with `--json`
/// straight from serde.
fn shown<T: Serialize>(
    renderer: &Renderer,
    template: &str,
    data: &T,
    json: bool,
) -> Result<String, Error> {
    Ok(if json {
        to_json(data)?
    } else {
        renderer.render(template, data)?
    })
}

/// Runs one resolved command.
pub fn run(settings: &Settings, action: Action) -> Result<(), Error> {
    match action {
        Action::RolesList { json } => roles::list(settings, json),
        Action::RolesShow { role, json } => roles::show(settings, &role, json),
        Action::ToolsList { json } => tools::list(settings, json),
        Action::ToolsShow { tool, json } => tools::show(settings, &tool, json),
        Action::Validate { strict } => validate::run(settings, strict),
        Action::Checklist {
            hire,
            format,
            output,
            force,
            filing,
        } => checklist::run(
            settings,
            hire,
            &checklist::Output {
                format,
                path: output,
                force,
            },
            filing.as_ref(),
        ),
        Action::Wizard {
            for_someone_else,
            window,
            gitlab,
        } => wizard::run(settings, for_someone_else, window, gitlab),
        Action::AccessPlan { hire, json } => access::plan(settings, hire, json),
        Action::AccessFile { hire, filing, json } => access::file(settings, hire, &filing, json),
        Action::Batch {
            roster,
            window,
            out,
            force,
            filing,
            file_access,
            file_onboarding,
            jobs,
            json,
        } => batch::run(
            settings,
            &batch::Job {
                roster,
                window,
                out,
                force,
                filing,
                file_access,
                file_onboarding,
                jobs,
                json,
            },
        ),
        Action::Status(status) => status::run(settings, &status),
        Action::Transfer(mover) => transfer::run(settings, &mover),
        Action::Offboard(leaver) => offboard::run(settings, &leaver),
        Action::Completions(shell) => completions::completions(shell),
        Action::Man => man::man(),
    }
}
