//! `onboard access plan` and `onboard access file`.

use std::io::IsTerminal;

use serde::Serialize;

use crate::access::{self, offline_preview, Filed, Filing, Journal};
use crate::catalog::Catalog;
use crate::cli::{AccessCommand, FileArgs, SourceArgs};
use crate::gitlab::{Connection, Token};
use crate::hire::Hire;
use crate::output::print;
use crate::render;
use crate::Error;

use super::roles::to_json;
use super::{hire_from_args, Workspace};

/// The templates `access plan` and `access file` render.
const ACCESS_TEMPLATES: &[&str] = &[
    render::ACCESS_PLAN,
    render::ACCESS_PREVIEW,
    render::ACCESS_REQUEST,
    render::ACCESS_RESULT,
];

/// Runs `access plan` or `access file`.
pub fn run(sources: &SourceArgs, command: AccessCommand) -> Result<(), Error> {
    match command {
        AccessCommand::Plan { hire, json } => {
            let hire = hire_from_args(&hire)?;
            let workspace = Workspace::load(sources, ACCESS_TEMPLATES)?;
            let Some(request) = workspace.access_request(&hire)? else {
                return nothing_to_file(&hire);
            };
            let text = if json {
                to_json(&request)?
            } else {
                workspace.renderer.render(render::ACCESS_PLAN, &request)?
            };
            print(&text)?;
            Ok(())
        }
        AccessCommand::File(args) => file(sources, args),
    }
}

fn file(sources: &SourceArgs, args: FileArgs) -> Result<(), Error> {
    let hire = hire_from_args(&args.hire)?;
    let workspace = Workspace::load(sources, ACCESS_TEMPLATES)?;
    let settings = workspace.gitlab_settings(&args.gitlab)?;
    let Some(request) = workspace.access_request(&hire)? else {
        return nothing_to_file(&hire);
    };
    let journal_path = workspace.journal_path();
    if args.dry_run {
        let preview = match Token::from_env() {
            Ok(token) => {
                let connection = Connection::open(&settings, token)?;
                let journal = Journal::open_read_only(&journal_path)?;
                Filing::new(&connection, &journal, &workspace.renderer).preview(&request)?
            }
            Err(_) => offline_preview(
                &request,
                &workspace.renderer,
                &settings.server,
                &settings.project,
            )?,
        };
        let context = PreviewContext::new(&request, preview);
        print(
            &workspace
                .renderer
                .render(render::ACCESS_PREVIEW, &context)?,
        )?;
        return Ok(());
    }
    let token = Token::from_env()?;
    let plan = workspace.renderer.render(render::ACCESS_PLAN, &request)?;
    let question = format!(
        "File this access request in {} on {}?",
        settings.project, settings.server
    );
    confirm(&plan, &question, args.yes)?;
    let filed = workspace.file_access(&settings, token, &request)?;
    print(&result_text(&workspace, &filed)?)?;
    Ok(())
}

/// The context of `access-preview.txt.hbs`.
#[derive(Serialize)]
pub(super) struct PreviewContext {
    name: String,
    #[serde(flatten)]
    preview: access::Preview,
}

impl PreviewContext {
    /// What `--dry-run` shows for `request`.
    pub(super) fn new(request: &access::AccessRequest, preview: access::Preview) -> Self {
        Self {
            name: request.hire.name.clone(),
            preview,
        }
    }
}

/// The issues filed or found, one line each, with system names.
pub fn result_text(workspace: &Workspace, filed: &Filed) -> Result<String, Error> {
    Ok(workspace.renderer.render(
        render::ACCESS_RESULT,
        &named_systems(&workspace.catalog, filed),
    )?)
}

/// `filed` with tool ids replaced by display names.
pub fn named_systems(catalog: &Catalog, filed: &Filed) -> Filed {
    let mut named = filed.clone();
    for issue in &mut named.issues {
        for system in &mut issue.systems {
            if let Some(tool) = catalog.tool(system) {
                system.clone_from(&tool.name);
            }
        }
    }
    named
}

fn nothing_to_file(hire: &Hire) -> Result<(), Error> {
    print(&format!(
        "Nothing to file: no tool of role '{}' needs an access request.\n",
        hire.role
    ))?;
    Ok(())
}

/// Shows what is about to happen and asks; `--yes` skips the question, and
/// without a terminal to ask on, nothing is filed.
pub fn confirm(plan: &str, question: &str, yes: bool) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::Usage(
            "refusing to file without confirmation: there is no terminal to ask on; pass --yes to file anyway".to_string(),
        ));
    }
    eprint!("{plan}");
    let answer = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|_| Error::Interrupted)?;
    if answer {
        Ok(())
    } else {
        Err(Error::Usage("not filed: you answered no".to_string()))
    }
}
