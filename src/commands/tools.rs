//! `onboard tools list` and `onboard tools show TOOL`.

use crate::output::print;
use crate::render;
use crate::settings::{Listing, Settings, ToolShow};
use crate::view::{to_json, ToolView, ToolsList};
use crate::workspace::Workspace;
use crate::Error;

/// `tools list`.
pub(super) fn list(settings: &Settings, listing: &Listing) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let list = ToolsList::of(&workspace.catalog);
    let text = if listing.json {
        to_json(&list.tools)?
    } else {
        workspace.renderer.render(render::TOOLS_LIST, &list)?
    };
    Ok(print(&text)?)
}

/// `tools show TOOL`.
pub(super) fn show(settings: &Settings, show: &ToolShow) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let catalog = &workspace.catalog;
    let view = ToolView::of(catalog, catalog.tool(&catalog.find_tool(&show.tool)?));
    let text = if show.json {
        to_json(&view)?
    } else {
        workspace.renderer.render(render::TOOL_SHOW, &view)?
    };
    Ok(print(&text)?)
}
