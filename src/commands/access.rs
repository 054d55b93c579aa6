//! `onboard access plan` and `onboard access file`.

use crate::access::{self, AccessRequest, Desk, Preview, Writes};
use crate::hire::{Hire, HireFields};
use crate::output::print;
use crate::render;
use crate::settings::{AccessFile, AccessPlan, Settings};
use crate::view::{named_systems, PreviewView};

use super::shown;
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
use crate::Error;

/// The hire's checked request, or `None` after saying there is nothing to
/// file (with `--json`, as `null`).
fn request(
    workspace: &Workspace,
    hire: HireFields,
    json: bool,
) -> Result<Option<AccessRequest>, Error> {
    let hire: Hire = workspace.resolve(hire)?;
    let plan = workspace.plans().role_plan(&hire.selection);
    let request = access::plan(&hire, &plan, &workspace.request_defaults)?;
    if request.is_none() {
        print(&if json {
            "null\n".to_string()
        } else {
            format!(
                "Nothing to file: no tool of role '{}' needs an access request.\n",
                hire.role()
            )
        })?;
    }
    Ok(request)
}

/// `access plan`: what would be filed; never touches the network.
pub(super) fn plan(settings: &Settings, plan: AccessPlan) -> Result<(), Error> {
    let AccessPlan { hire, json } = plan;
    let workspace = Workspace::load(settings)?;
    let Some(request) = request(&workspace, hire, json)? else {
        return Ok(());
    };
    Ok(print(&shown(
        &workspace.renderer,
        render::ACCESS_PLAN,
        &request,
        json,
    )?)?)
}

/// `access file`: file it, or show exactly what would be sent.
pub(super) fn file(settings: &Settings, file: AccessFile) -> Result<(), Error> {
    let AccessFile { hire, filing, json } = file;
    let workspace = Workspace::load(settings)?;
    let Some(request) = request(&workspace, hire, json)? else {
        return Ok(());
    };
    let gitlab = &filing.gitlab;
    if filing.dry_run {
        let (preview, project) = match &gitlab.token {
            Some(_) => {
                let desk = Desk::open(gitlab, &settings.journal, Writes::Nothing)?;
                let project = desk.project(&gitlab.project)?;
                let preview = desk
                    .filing(&project, &workspace.renderer)
                    .preview(&request)?;
                (preview, project.info.id_text())
            }
            None => (
                Preview::offline(&request, &workspace.renderer)?,
                gitlab.project.clone(),
            ),
        };
        let view = PreviewView::of(
            &request.hire.name,
            std::slice::from_ref(&request.assignee),
            preview,
            &gitlab.server,
            &project,
        );
        return Ok(print(&shown(
            &workspace.renderer,
            render::ACCESS_PREVIEW,
            &view,
            json,
        )?)?);
    }
    gitlab.token()?;
    let plan = workspace.renderer.render(render::ACCESS_PLAN, &request)?;
    let question = format!(
        "File this access request in {} on {}?",
        gitlab.project, gitlab.server
    );
    confirm_before(settings, &plan, &question, filing.yes)?;
    let filed = access::file_one(gitlab, &settings.journal, &workspace.renderer, &request)?;
    let named = named_systems(&workspace.catalog, &filed);
    Ok(print(&shown(
        &workspace.renderer,
        render::ACCESS_RESULT,
        &named,
        json,
    )?)?)
}
