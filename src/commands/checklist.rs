//! `onboard checklist`: one hire's dated checklist, printed or written atomically.

use crate::cli::{ChecklistArgs, Format, SourceArgs};
use crate::output::{print, write_atomically};
use crate::plan::Checklist;
use crate::render;
use crate::Error;

use super::{hire_from_args, Workspace};

/// Runs the command.
pub fn run(sources: &SourceArgs, args: ChecklistArgs) -> Result<(), Error> {
    let hire = hire_from_args(&args.hire)?;
    let workspace = Workspace::load(sources, &[render::CHECKLIST])?;
    let checklist = workspace.checklist(&hire)?;
    let text = document(&workspace, &checklist, args.format)?;
    match &args.output {
        Some(path) => {
            write_atomically(path, text.as_bytes(), args.force)?;
            eprintln!(
                "Wrote {} ({} tasks, day 1 {}) to {}",
                checklist.hire.name,
                checklist.task_count,
                checklist.start,
                path.display()
            );
        }
        None => print(&text)?,
    }
    Ok(())
}

/// The checklist as Markdown or JSON.
pub fn document(
    workspace: &Workspace,
    checklist: &Checklist,
    format: Format,
) -> Result<String, Error> {
    Ok(match format {
        Format::Markdown => workspace.renderer.render(render::CHECKLIST, checklist)?,
        Format::Json => {
            let mut json = serde_json::to_string_pretty(checklist)
                .map_err(|e| Error::Unexpected(e.to_string()))?;
            json.push('\n');
            json
        }
    })
}
