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

use std::path::Path;

use serde::Serialize;

use crate::access::{Desk, Journal, Policy};
use crate::diagnostic::Diagnostics;
use crate::hire::FieldErrors;
use crate::lifecycle::people::{located, People};
use crate::lifecycle::{Outcome, Record};
use crate::output::{print, say};
use crate::render::{self, Renderer};
use crate::settings::{self, Action, Settings};
use crate::view::to_json;
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
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

/// What `transfer` and `offboard` work with for every person.
#[derive(Clone, Copy)]
struct Session<'a> {
    settings: &'a Settings,
    workspace: &'a Workspace,
    journal: &'a Journal,
    policy: &'a Policy,
    dry_run: bool,
}

/// The systems a mover or leaver holds: their role's `tools`, then
/// whatever else their access requests asked for.
fn systems_held(tools: impl IntoIterator<Item = String>, record: &Record) -> Vec<String> {
    let mut held: Vec<String> = tools.into_iter().collect();
    for system in record.requested() {
        if !held.contains(&system) {
            held.push(system);
        }
    }
    held
}

/// The people of `transfer` or `offboard`, each checked by `check`: one
/// from flags (a bad field is exit 2), or every row of a roster read by
/// `rows` (every problem of every row at its line, exit 3). Nothing is
/// written before all of them pass.
fn checked<T, P>(
    people: &People<T>,
    rows: impl Fn(&Path) -> Result<Vec<(usize, T)>, Diagnostics>,
    check: impl Fn(&T) -> Result<P, FieldErrors>,
) -> Result<Vec<P>, Error> {
    match people {
        People::One(text) => Ok(vec![check(text)?]),
        People::Roster(path) => {
            let mut problems = Diagnostics::default();
            let mut checked = Vec::new();
            for (line, text) in rows(path)? {
                match check(&text) {
                    Ok(person) => checked.push(person),
                    Err(errors) => {
                        for problem in located(path, line, &errors) {
                            problems.push(problem);
                        }
                    }
                }
            }
            problems.into_result(checked).map_err(Error::Invalid)
        }
    }
}

/// `a@example.com, b@example.com`: who a question is about.
fn names<P>(people: &[P], name: impl Fn(&P) -> String) -> String {
    people.iter().map(name).collect::<Vec<_>>().join(", ")
}

/// Asks once (unless `--yes` or a dry run), then runs `one` for each
/// person and prints what it did: with `--json` one object, or a list for
/// a roster. A person of a roster who fails is reported and the rest go
/// on; the run then exits 5, and re-running it resumes.
fn each_person<P>(
    settings: &Settings,
    workspace: &Workspace,
    desk: &Desk,
    people: &[P],
    (filing, json, question): (&settings::Filing, bool, &str),
    one: impl Fn(&Session<'_>, &P) -> Result<Outcome, Error>,
) -> Result<(), Error> {
    let session = Session {
        settings,
        workspace,
        journal: desk.journal(),
        policy: desk.policy(),
        dry_run: filing.dry_run,
    };
    let renderer = &workspace.renderer;
    if !filing.dry_run {
        confirm_before(settings, "", question, filing.yes)?;
    }
    let mut outcomes = Vec::new();
    let mut failed = 0;
    for person in people {
        match one(&session, person) {
            Ok(outcome) => {
                if !json {
                    print(&renderer.render(render::LIFECYCLE_RESULT, &outcome)?)?;
                }
                outcomes.push(outcome);
            }
            Err(err) if people.len() > 1 => {
                failed += 1;
                say(&format!("error: {err}"));
            }
            Err(err) => return Err(err),
        }
    }
    if json {
        print(&match outcomes.as_slice() {
            [one] if people.len() == 1 => to_json(one)?,
            all => to_json(&all)?,
        })?;
    }
    if failed > 0 {
        return Err(Error::Partial {
            failed,
            total: people.len(),
        });
    }
    Ok(())
}

/// Runs one resolved command.
pub(crate) fn run(settings: &Settings, action: Action) -> Result<(), Error> {
    match action {
        Action::RolesList(listing) => roles::list(settings, &listing),
        Action::RolesShow(show) => roles::show(settings, &show),
        Action::ToolsList(listing) => tools::list(settings, &listing),
        Action::ToolsShow(show) => tools::show(settings, &show),
        Action::Validate(validate) => validate::run(settings, &validate),
        Action::Checklist(checklist) => checklist::run(settings, checklist),
        Action::Wizard(wizard) => wizard::run(settings, wizard),
        Action::AccessPlan(plan) => access::plan(settings, plan),
        Action::AccessFile(file) => access::file(settings, file),
        Action::Batch(batch) => batch::run(settings, &batch),
        Action::Status(status) => status::run(settings, &status),
        Action::Transfer(mover) => transfer::run(settings, &mover),
        Action::Offboard(leaver) => offboard::run(settings, &leaver),
        Action::Completions(shell) => completions::completions(shell),
        Action::Man => man::man(),
    }
}
