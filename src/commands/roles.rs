//! `onboard roles list` and `onboard roles show ROLE`.

use crate::output::print;
use crate::render;
use crate::settings::{Listing, RoleShow, Settings};
use crate::view::{to_json, RoleView, RolesList};
use crate::workspace::Workspace;
use crate::Error;

/// `roles list`.
pub(super) fn list(settings: &Settings, listing: &Listing) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let list = RolesList::of(&workspace.catalog);
    let text = if listing.json {
        to_json(&list.roles)?
    } else {
        workspace.renderer.render(render::ROLES_LIST, &list)?
    };
    Ok(print(&text)?)
}

/// `roles show ROLE`.
pub(super) fn show(settings: &Settings, show: &RoleShow) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let catalog = &workspace.catalog;
    let view = RoleView::of(catalog, catalog.role(&catalog.find_role(&show.role)?));
    let text = if show.json {
        to_json(&view)?
    } else {
        workspace.renderer.render(render::ROLE_SHOW, &view)?
    };
    Ok(print(&text)?)
}
