//! `onboard offboard`: a leaver's offboarding issue, and their pending
//! work closed with a note that points to it.

use crate::access::{Desk, Filing, Policy, Writes};
use crate::catalog::RoleId;
use crate::gitlab::{Issue, IssueEdit, Project};
use crate::hire::Selection;
use crate::lifecycle::people::{self, Leaver};
use crate::lifecycle::{
    self, by_deprovisioner, Offboarding, Outcome, Record, RemovalView, SystemRef, Touched,
};
use crate::render::markdown_inert;
use crate::settings::{self, Settings};
use crate::workspace::Workspace;
use crate::Error;

use super::{checked, each_person, names, systems_held, Session};

/// The labels an offboarding issue carries.
const LABELS: &[&str] = &["offboarding"];

/// Files (or with `--dry-run` shows) each leaver's offboarding issue,
/// then closes their open access requests and onboarding or
/// career-mobility issues, each with a note.
pub(super) fn run(settings: &Settings, leavers: &settings::Offboard) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let people = checked(&leavers.people, people::leavers, |text| {
        text.clone().check()
    })?;
    let settings::LifecycleFiling { filing, json } = &leavers.filing;
    let gitlab = &filing.gitlab;
    let desk = Desk::open(gitlab, &settings.journal, Writes::when(!filing.dry_run))?;
    let projects = Projects {
        access: desk.project(&gitlab.project)?,
        onboarding: desk.project(&gitlab.onboarding_project)?,
        offboarding: desk.project(&settings.lifecycle.offboarding_project)?,
    };
    let question = format!(
        "File the offboarding of {} in {} and close their open issues?",
        names(&people, |l| l.email.to_string()),
        settings.lifecycle.offboarding_project
    );
    each_person(
        settings,
        &workspace,
        &desk,
        &people,
        (filing, *json, &question),
        |session, leaver| one(session, &projects, leaver),
    )
}

/// The projects a leaver's issues are in.
struct Projects<'c> {
    access: Project<'c>,
    onboarding: Project<'c>,
    offboarding: Project<'c>,
}

/// Offboards one leaver.
fn one(session: &Session<'_>, projects: &Projects<'_>, leaver: &Leaver) -> Result<Outcome, Error> {
    let Session {
        settings,
        workspace,
        journal,
        policy,
        dry_run,
    } = *session;
    let filing_in = |project| Filing::new(project, journal, &workspace.renderer, policy.clone());
    let Projects {
        access,
        onboarding,
        offboarding,
    } = projects;
    let role = leaver
        .role
        .as_deref()
        .map(|r| workspace.catalog.find_role(r))
        .transpose()?;
    let email = leaver.email.to_string();
    let record = Record::read(&filing_in(access), &filing_in(onboarding), &email)?;
    let role = role.or_else(|| {
        record
            .role()
            .and_then(|r| workspace.catalog.find_role(&r).ok())
    });
    let systems = leaver_systems(workspace, role, &record);
    let name = leaver
        .name
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| record.name())
        .unwrap_or_else(|| email.clone());
    let doc = offboarding_issue(settings, workspace, leaver, &record, &name, &systems);
    let (requests, checklists) = record.open_work();
    let mut outcome = Outcome {
        person: name.clone(),
        dry_run,
        added: Vec::new(),
        kept: Vec::new(),
        removed: SystemRef::all(&workspace.catalog, &systems),
        issues: Vec::new(),
        events: Vec::new(),
    };
    let offboarding_filing = filing_in(offboarding);
    if dry_run {
        let preview = offboarding_filing.preview(&doc)?;
        outcome.issues = Touched::previewed("offboarding issue", &preview);
        for (what, issues) in [
            ("access request", &requests),
            ("onboarding issue", &checklists),
        ] {
            outcome
                .issues
                .extend(issues.iter().map(|i| Touched::closing(what, i, true)));
        }
    } else {
        let filed = offboarding_filing.file(&doc)?;
        outcome.issues = Touched::filed("offboarding issue", &filed);
        outcome.events = filed.events;
        let url = filed.issues.first().map_or("", |i| i.url.as_str());
        let note = format!(
            "Closed by onboard: {}'s last day is {}; see {url}, where each system's access is removed.",
            markdown_inert(&name),
            leaver.last_day
        );
        for (what, project, issues) in [
            ("access request", access, &requests),
            ("onboarding issue", onboarding, &checklists),
        ] {
            for issue in issues {
                close(project, policy, issue, &note)?;
                outcome.issues.push(Touched::closing(what, issue, false));
            }
        }
    }
    Ok(outcome)
}

/// The systems a leaver holds: their role's tools, then whatever else
/// their access requests asked for.
fn leaver_systems(workspace: &Workspace, role: Option<RoleId>, record: &Record) -> Vec<String> {
    let tools: Vec<String> = role
        .map(|role| {
            let plan = workspace.plans().role_plan(&Selection {
                role,
                with: Vec::new(),
                without: Vec::new(),
            });
            plan.tools.iter().map(|t| t.tool.id.to_string()).collect()
        })
        .unwrap_or_default();
    systems_held(tools, record)
}

/// The leaver's offboarding issue: every system's removal, grouped by who
/// removes it, due by the deprovisioning deadline.
fn offboarding_issue(
    settings: &Settings,
    workspace: &Workspace,
    leaver: &Leaver,
    record: &Record,
    name: &str,
    systems: &[String],
) -> Offboarding {
    let lifecycle = &settings.lifecycle;
    let email = leaver.email.to_string();
    Offboarding {
        key: lifecycle::key(lifecycle::kind::OFFBOARDING, &email),
        view: RemovalView {
            title: Offboarding::title(name, leaver.last_day),
            name: name.to_string(),
            email,
            last_day: Some(leaver.last_day),
            change: None,
            due: lifecycle.removal_due(&workspace.calendar, leaver.last_day),
            deprovision_days: lifecycle.deprovision_days,
            manager: leaver
                .manager
                .as_ref()
                .map(ToString::to_string)
                .or_else(|| record.manager()),
            groups: by_deprovisioner(&workspace.catalog, systems),
        },
        last_day: leaver.last_day,
        labels: LABELS.iter().map(ToString::to_string).collect(),
    }
}

/// Ends the note that closes a leaver's issue, so a re-run after a crash
/// between the note and the close does not post it again.
const CLOSED_MARKER: &str = "<!-- onboard-closed-for-offboarding -->";

/// Comments on an open issue, unless a trusted comment of ours already
/// says why, then closes it.
fn close(project: &Project<'_>, policy: &Policy, issue: &Issue, note: &str) -> Result<(), Error> {
    let noted = project.notes(issue.iid)?.into_iter().any(|n| {
        policy.trusts(n.author.as_ref().map(|a| a.username.as_str()))
            && n.body.contains(CLOSED_MARKER)
    });
    if !noted {
        project.add_note(issue.iid, &format!("{note}\n\n{CLOSED_MARKER}"))?;
    }
    let close = IssueEdit {
        close: true,
        ..IssueEdit::default()
    };
    project.edit_issue(issue.iid, &close)?;
    Ok(())
}
