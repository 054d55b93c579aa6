//! `onboard checklist`: one hire's dated checklist, printed or written atomically.

use std::path::Path;

use crate::hire::HireFields;
use crate::output::{print, say, write_atomically};
use crate::render;
use crate::settings::{Format, Settings};
use crate::view::{to_json, ChecklistView};
use crate::workspace::Workspace;
use crate::Error;

/// Runs the command.
pub fn run(
    settings: &Settings,
    hire: HireFields,
    format: Format,
    output: Option<&Path>,
    force: bool,
) -> Result<(), Error> {
    let workspace = Workspace::load(settings, &[render::CHECKLIST])?;
    let hire = workspace.resolve(hire)?;
    let checklist = workspace.plans().checklist(&hire, &workspace.calendar);
    let view = ChecklistView::of(&checklist);
    let text = match format {
        Format::Markdown => workspace.renderer.render(render::CHECKLIST, &view)?,
        Format::Json => to_json(&view)?,
    };
    match output {
        Some(path) => {
            write_atomically(path, text.as_bytes(), force)?;
            say(&format!(
                "Wrote {} ({} tasks, day 1 {}) to {}",
                checklist.hire.name,
                checklist.task_count(),
                checklist.start,
                path.display()
            ));
        }
        None => print(&text)?,
    }
    Ok(())
}
