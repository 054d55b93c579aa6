//! `onboard roles list` and `onboard roles show ROLE`.

use serde::Serialize;

use crate::catalog::{Bookmark, Catalog, Role, Task};
use crate::cli::{RolesCommand, SourceArgs};
use crate::output::print;
use crate::render;
use crate::Error;

use super::Workspace;

/// One row of `roles list`.
#[derive(Debug, Serialize)]
pub struct RoleRow {
    id: String,
    name: String,
    description: String,
    layer: bool,
    layers: Vec<String>,
}

/// The context of `roles-list.txt.hbs`.
#[derive(Debug, Serialize)]
pub struct RolesList {
    roles: Vec<RoleRow>,
}

/// A tool as `roles show` presents it.
#[derive(Debug, Serialize)]
pub struct RoleToolView {
    id: String,
    name: String,
    access: crate::catalog::AccessMode,
    how: String,
    level: String,
    justification: String,
    optional: bool,
}

/// The context of `role-show.txt.hbs`, and the JSON of `roles show --json`.
#[derive(Debug, Serialize)]
pub struct RoleView {
    id: String,
    name: String,
    description: String,
    layer: bool,
    layers: Vec<String>,
    tools: Vec<RoleToolView>,
    bookmarks: Vec<Bookmark>,
    tasks: Vec<Task>,
}

/// The rows of `roles list`.
pub fn list(catalog: &Catalog) -> RolesList {
    RolesList {
        roles: catalog
            .all_roles()
            .into_iter()
            .map(|r| RoleRow {
                id: r.id,
                name: r.name,
                description: r.description,
                layer: r.layer,
                layers: r.layers,
            })
            .collect(),
    }
}

/// A merged role with each tool's catalogue details.
pub fn view(catalog: &Catalog, role: Role) -> RoleView {
    let tools = role
        .tools
        .iter()
        .filter_map(|entry| {
            catalog.tool(&entry.tool).map(|tool| RoleToolView {
                id: tool.id.clone(),
                name: tool.name.clone(),
                access: tool.access,
                how: tool.how_to_get_it(),
                level: entry.level.clone(),
                justification: entry.justification.clone(),
                optional: entry.optional,
            })
        })
        .collect();
    RoleView {
        id: role.id,
        name: role.name,
        description: role.description,
        layer: role.layer,
        layers: role.layers,
        tools,
        bookmarks: role.bookmarks,
        tasks: role.tasks,
    }
}

/// Runs `roles list` or `roles show`.
pub fn run(sources: &SourceArgs, command: RolesCommand) -> Result<(), Error> {
    let workspace = Workspace::load(sources, &[render::ROLES_LIST, render::ROLE_SHOW])?;
    let catalog = &workspace.catalog;
    let text = match command {
        RolesCommand::List { json: true } => to_json(&list(catalog).roles)?,
        RolesCommand::List { json: false } => workspace
            .renderer
            .render(render::ROLES_LIST, &list(catalog))?,
        RolesCommand::Show { role, json } => {
            let view = view(catalog, catalog.role(&role)?);
            if json {
                to_json(&view)?
            } else {
                workspace.renderer.render(render::ROLE_SHOW, &view)?
            }
        }
    };
    print(&text)?;
    Ok(())
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    let mut json =
        serde_json::to_string_pretty(value).map_err(|e| Error::Unexpected(e.to_string()))?;
    json.push('\n');
    Ok(json)
}
