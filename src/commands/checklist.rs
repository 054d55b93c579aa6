//! `onboard checklist`: one hire's dated checklist, printed, written
//! atomically, or filed as their onboarding issue.

use crate::access::{AccessError, Desk, Preview, Writes};
use crate::onboarding::{self, OnboardingIssue};
use crate::output::{print, say, write_atomically};
use crate::plan::Checklist;
use crate::render;
use crate::settings::{self, Format, Settings};
use crate::view::{named_systems, to_json, ChecklistPages, ChecklistView, PreviewView};

use super::shown;
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
use crate::Error;

/// Runs the command.
pub(super) fn run(settings: &Settings, command: settings::Checklist) -> Result<(), Error> {
    let settings::Checklist {
        hire,
        output,
        filing,
    } = command;
    let filing = filing.as_ref();
    // One checklist ends the process: the catalogue, calendars and compiled
    // templates are left for the operating system to take back at exit,
    // at once, rather than freed piece by piece.
    let workspace: &'static Workspace = Box::leak(Box::new(Workspace::load_for(
        settings,
        &[render::CHECKLIST, render::CHECKLIST_TOOLS],
    )?));
    let hire = workspace.resolve(hire)?;
    let plans = workspace.plans();
    let checklist = plans.checklist(&hire);
    let text = match output.format {
        Format::Markdown => {
            ChecklistPages::new(&workspace.renderer, &plans).render_checklist(&checklist)?
        }
        Format::Json => to_json(&ChecklistView::of(&checklist))?,
    };
    match &output.path {
        Some(path) => {
            write_atomically(path, text.as_bytes(), output.force).map_err(|e| e.for_flag("-o"))?;
            say(&format!(
                "Wrote {} ({} tasks, day 1 {}) to {}",
                checklist.hire.name,
                checklist.task_count(),
                checklist.start,
                path.display()
            ));
        }
        None if filing.is_none() => print(&text)?,
        None => {}
    }
    match filing {
        Some(filing) => file(
            settings,
            workspace,
            checklist,
            filing,
            output.format == Format::Json,
        ),
        None => Ok(()),
    }
}

/// Files the checklist as the hire's onboarding issue, linked to their
/// access requests.
fn file(
    settings: &Settings,
    workspace: &Workspace,
    checklist: Checklist,
    filing: &settings::Filing,
    json: bool,
) -> Result<(), Error> {
    let gitlab = &filing.gitlab;
    let name = checklist.hire.name.clone();
    let email = checklist.hire.email.clone();
    let issue = |access| {
        OnboardingIssue::new(
            checklist.clone(),
            settings.onboarding_labels.clone(),
            access,
        )
        .ok_or(AccessError::Missing(
            "email",
            "the onboarding issue is found again by it",
        ))
    };
    if gitlab.token.is_none() {
        if filing.dry_run {
            let issue = issue(Vec::new())?;
            let preview = Preview::offline(&issue, &workspace.renderer)?;
            let view = PreviewView::of(
                &name,
                &issue.assignees,
                preview,
                &gitlab.server,
                &gitlab.onboarding_project,
            );
            return Ok(print(&shown(
                &workspace.renderer,
                render::ACCESS_PREVIEW,
                &view,
                json,
            )?)?);
        }
        return Err(crate::gitlab::GitlabError::MissingToken.into());
    }
    if filing.dry_run {
        let desk = Desk::open(gitlab, &settings.journal, Writes::Nothing)?;
        let onboarding = desk.project(&gitlab.onboarding_project)?;
        let access_project = desk.project(&gitlab.project)?;
        let links = match &email {
            Some(email) => onboarding::find_access(
                &desk.filing(&access_project, &workspace.renderer),
                email,
                &workspace.catalog,
            )?,
            None => Vec::new(),
        };
        let issue = issue(links)?;
        let preview = desk
            .filing(&onboarding, &workspace.renderer)
            .preview(&issue)?;
        let view = PreviewView::of(
            &name,
            &issue.assignees,
            preview,
            &gitlab.server,
            &onboarding.info.id_text(),
        );
        return Ok(print(&shown(
            &workspace.renderer,
            render::ACCESS_PREVIEW,
            &view,
            json,
        )?)?);
    }
    let question = format!(
        "File {name}'s onboarding issue in {} on {}?",
        gitlab.onboarding_project, gitlab.server
    );
    confirm_before(settings, "", &question, filing.yes)?;
    let filed = onboarding::file_one(
        gitlab,
        &settings.journal,
        workspace,
        checklist,
        settings.onboarding_labels.clone(),
        None,
    )?;
    let named = named_systems(&workspace.catalog, &filed);
    Ok(print(&shown(
        &workspace.renderer,
        render::ACCESS_RESULT,
        &named,
        json,
    )?)?)
}
