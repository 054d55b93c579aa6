//! `tools list` and `tools show`: the tool catalogue, each tool with how it
//! is reached and the roles that include it.

use serde::Serialize;

use crate::catalog::{AccessMode, Catalog, Classification, RoleId, Tool};

use super::marked;

/// The roles a hire can be given (not the shared layers) that list `tool`,
/// each with its entry.
fn roles_with<'a>(catalog: &'a Catalog, tool: &'a Tool) -> Vec<ToolRole<'a>> {
    catalog
        .roles()
        .iter()
        .filter(|role| !role.layer)
        .filter_map(|role| {
            role.entry(&tool.id).map(|entry| ToolRole {
                role: &role.id,
                name: &role.name,
                level: &entry.level,
                justification: &entry.justification,
                optional: entry.optional,
                assumed: entry.assumed,
                level_shown: format!(
                    "{}{}",
                    marked(&entry.level, entry.assumed),
                    if entry.optional { " (optional)" } else { "" }
                ),
            })
        })
        .collect()
}

/// A role that includes a tool, and how.
#[derive(Debug, Serialize)]
pub(super) struct ToolRole<'a> {
    role: &'a RoleId,
    name: &'a str,
    level: &'a str,
    justification: &'a str,
    /// Only for hires who ask for it (`--with`).
    optional: bool,
    /// The level and justification are not stated on the source page.
    assumed: bool,
    /// `level`, marked `*` when it is an assumption, and `(optional)`.
    level_shown: String,
}

/// One row of `tools list`.
#[derive(Debug, Serialize)]
pub(crate) struct ToolRow<'a> {
    id: &'a str,
    name: &'a str,
    access: AccessMode,
    how: String,
    /// How the tool is reached is not stated on the source page.
    how_assumed: bool,
    /// `how`, marked `*` when it is an assumption.
    how_shown: String,
    /// The roles that get it without asking.
    default_roles: Vec<&'a RoleId>,
    /// The roles that can ask for it.
    optional_roles: Vec<&'a RoleId>,
    /// Both, in a few words: "every role", "optional: …".
    roles_shown: String,
}

/// `tools-list.txt.hbs`, and `tools list --json` (the rows).
#[derive(Debug, Serialize)]
pub(crate) struct ToolsList<'a> {
    /// Every tool, in catalogue order.
    pub tools: Vec<ToolRow<'a>>,
    /// Some fact shown is an assumption.
    pub any_assumed: bool,
}

impl<'a> ToolsList<'a> {
    /// Every tool of the catalogue.
    pub(crate) fn of(catalog: &'a Catalog) -> Self {
        let hireable = catalog.roles().iter().filter(|r| !r.layer).count();
        let tools: Vec<ToolRow> = catalog
            .tools()
            .iter()
            .map(|tool| {
                let roles = roles_with(catalog, tool);
                let pick = |optional: bool| -> Vec<&RoleId> {
                    roles
                        .iter()
                        .filter(|r| r.optional == optional)
                        .map(|r| r.role)
                        .collect()
                };
                let (default_roles, optional_roles) = (pick(false), pick(true));
                let ids = |roles: &[&RoleId]| {
                    roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let default_shown = if default_roles.len() == hireable && hireable > 1 {
                    "every role".to_string()
                } else {
                    ids(&default_roles)
                };
                let roles_shown = match (default_roles.is_empty(), optional_roles.is_empty()) {
                    (true, true) => "no role".to_string(),
                    (false, true) => default_shown,
                    (true, false) => format!("optional: {}", ids(&optional_roles)),
                    (false, false) => {
                        format!("{default_shown}; optional: {}", ids(&optional_roles))
                    }
                };
                let how = tool.how_to_get_it();
                ToolRow {
                    id: tool.id.as_str(),
                    name: &tool.name,
                    access: tool.access,
                    how_assumed: tool.access_is_assumed(),
                    how_shown: marked(&how, tool.access_is_assumed()),
                    how,
                    default_roles,
                    optional_roles,
                    roles_shown,
                }
            })
            .collect();
        Self {
            any_assumed: tools.iter().any(|t| t.how_assumed),
            tools,
        }
    }
}

/// One link of a tool, with what it leads to.
#[derive(Debug, Serialize)]
pub(super) struct ToolLinkView<'a> {
    /// `link`, `about`, `training` or `video`.
    kind: &'static str,
    /// `Open`, `About Chorus`, `Training`, `Overview video`.
    label: String,
    url: &'a str,
    /// Not stated on the source page.
    assumed: bool,
    /// `label`, marked `*` when it is an assumption.
    label_shown: String,
}

/// `tool-show.txt.hbs`, and `tools show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct ToolView<'a> {
    /// Every fact of the catalogue entry.
    #[serde(flatten)]
    tool: &'a Tool,
    how: String,
    /// How the tool is reached is not stated on the source page.
    how_assumed: bool,
    how_shown: String,
    purpose_shown: String,
    provisioner_shown: String,
    classification_shown: String,
    baseline_shown: &'static str,
    /// The links, each with its kind and provenance.
    links_shown: Vec<ToolLinkView<'a>>,
    /// The roles a hire can be given that include it.
    roles: Vec<ToolRole<'a>>,
    /// Some fact shown is an assumption.
    any_assumed: bool,
}

impl<'a> ToolView<'a> {
    /// A tool with every fact, and the roles that include it.
    pub(crate) fn of(catalog: &'a Catalog, tool: &'a Tool) -> Self {
        let assumed = |fact: &str| tool.assumed.iter().any(|a| a == fact);
        let label = |url: &str| {
            tool.links
                .iter()
                .find(|l| l.url == url)
                .map(|l| l.label.clone())
                .unwrap_or_default()
        };
        let links_shown = [
            ("link", &tool.link),
            ("about", &tool.about),
            ("training", &tool.training),
            ("video", &tool.video),
        ]
        .into_iter()
        .filter_map(|(kind, url)| {
            let url = url.as_deref()?;
            let label = label(url);
            Some(ToolLinkView {
                kind,
                label_shown: marked(&label, assumed(kind)),
                label,
                url,
                assumed: assumed(kind),
            })
        })
        .collect();
        let provisioner = match &tool.provisioner.label {
            Some(label) => format!("{} [{label}]", tool.provisioner.name),
            None => tool.provisioner.name.clone(),
        };
        let how = tool.how_to_get_it();
        let roles = roles_with(catalog, tool);
        Self {
            any_assumed: !tool.assumed.is_empty() || roles.iter().any(|r| r.assumed),
            tool,
            how_shown: marked(&how, tool.access_is_assumed()),
            how,
            how_assumed: tool.access_is_assumed(),
            purpose_shown: marked(&tool.purpose, assumed("purpose")),
            provisioner_shown: marked(&provisioner, assumed("provisioner")),
            classification_shown: marked(
                classification_word(tool.classification),
                assumed("classification"),
            ),
            baseline_shown: if tool.baseline {
                "yes: every team member gets it"
            } else {
                "no"
            },
            links_shown,
            roles,
        }
    }
}

fn classification_word(classification: Classification) -> &'static str {
    use crate::catalog::Keyword;
    classification.keyword()
}
