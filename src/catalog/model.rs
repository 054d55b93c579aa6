//! The validated catalogue: tools, provisioning teams and roles.

use std::fmt;

use serde::Serialize;

use crate::calendar::{Due, Holiday};

/// Words the catalogue accepts for a closed set of choices.
pub trait Keyword: Sized + Copy + 'static {
    /// Every accepted spelling with its value.
    const ALL: &'static [(&'static str, Self)];

    /// The value for `word`, or a message listing the choices.
    fn parse(word: &str, what: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let words: Vec<&str> = Self::ALL.iter().map(|(w, _)| *w).collect();
                format!(
                    "unknown {what} '{word}'{}; expected one of: {}",
                    super::did_you_mean(word, words.iter().copied()),
                    words.join(", ")
                )
            })
    }

    /// The catalogue spelling of this value.
    fn keyword(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(w, _)| *w)
            .unwrap_or_default()
    }
}

/// How a new hire comes to have a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessMode {
    /// A tile in Okta from day 1.
    Okta,
    /// Needs an Access Request issue.
    AccessRequest,
    /// Granted during the first week of onboarding.
    Onboarding,
    /// Nothing to do; it just arrives.
    Automatic,
    /// Reached through a colleague.
    Colleague,
}

impl Keyword for AccessMode {
    const ALL: &'static [(&'static str, Self)] = &[
        ("okta", Self::Okta),
        ("access-request", Self::AccessRequest),
        ("onboarding", Self::Onboarding),
        ("automatic", Self::Automatic),
        ("colleague", Self::Colleague),
    ];
}

/// Who is responsible for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    /// The person starting.
    NewHire,
    /// Their manager.
    Manager,
    /// Their onboarding buddy.
    Buddy,
    /// IT.
    It,
    /// People Ops.
    PeopleOps,
    /// Sales Operations.
    SalesOps,
}

impl Keyword for Owner {
    const ALL: &'static [(&'static str, Self)] = &[
        ("new-hire", Self::NewHire),
        ("manager", Self::Manager),
        ("buddy", Self::Buddy),
        ("it", Self::It),
        ("people-ops", Self::PeopleOps),
        ("sales-ops", Self::SalesOps),
    ];
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Owner::NewHire => "New hire",
            Owner::Manager => "Manager",
            Owner::Buddy => "Buddy",
            Owner::It => "IT",
            Owner::PeopleOps => "People Ops",
            Owner::SalesOps => "Sales Ops",
        })
    }
}

/// GitLab's data classification of a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// The most sensitive data.
    Red,
    /// Sensitive.
    Orange,
    /// Internal.
    Yellow,
    /// Public.
    Green,
}

impl Keyword for Classification {
    const ALL: &'static [(&'static str, Self)] = &[
        ("red", Self::Red),
        ("orange", Self::Orange),
        ("yellow", Self::Yellow),
        ("green", Self::Green),
    ];
}

/// A team that grants access to systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provisioner {
    /// Catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The team's to-do label, added to access requests it must act on.
    pub label: Option<String>,
}

/// One system in the tool catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    /// Catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// How a new hire comes to have it.
    pub access: AccessMode,
    /// For `colleague` access: through whom.
    pub via: Option<String>,
    /// The team that provisions it.
    pub provisioner: Provisioner,
    /// Where to find it.
    pub link: String,
    /// Where to learn it.
    pub training: Option<String>,
    /// Data classification.
    pub classification: Classification,
    /// A baseline entitlement every team member gets.
    pub baseline: bool,
    /// The new hire's task to check the tool works, when the generated one does not fit.
    pub check: Option<String>,
}

impl Tool {
    /// How the tool is reached, in a few words.
    pub fn how_to_get_it(&self) -> String {
        match self.access {
            AccessMode::Okta => "Okta tile from day 1".to_string(),
            AccessMode::AccessRequest => {
                format!("Access Request, provisioned by {}", self.provisioner.name)
            }
            AccessMode::Onboarding => "granted during onboarding week".to_string(),
            AccessMode::Automatic => "automatic, nothing to request".to_string(),
            AccessMode::Colleague => {
                format!("through {}", self.via.as_deref().unwrap_or("a colleague"))
            }
        }
    }
}

/// A tool as a role needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleTool {
    /// The tool id.
    pub tool: String,
    /// Access level or group to ask for.
    pub level: String,
    /// Why the role needs it.
    pub justification: String,
    /// Offered, but only included when asked for.
    pub optional: bool,
}

/// A link a new hire should keep at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bookmark {
    /// What it is.
    pub title: String,
    /// Where it is.
    pub link: String,
    /// Why it matters.
    pub note: Option<String>,
}

/// One thing to do during onboarding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// What to do.
    pub title: String,
    /// Who does it.
    pub owner: Owner,
    /// When it is due.
    pub due: Due,
    /// Where to read about it.
    pub link: Option<String>,
    /// A finer grouping, such as a pipeline phase.
    pub section: Option<String>,
}

/// One role file, before layering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDef {
    /// Catalogue id (the file name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One or two sentences about the role.
    pub description: String,
    /// A shared layer that nobody is hired into directly.
    pub layer: bool,
    /// The parent layer.
    pub extends: Option<String>,
    /// Tools this layer adds or overrides.
    pub tools: Vec<RoleTool>,
    /// Bookmarks this layer adds.
    pub bookmarks: Vec<Bookmark>,
    /// Tasks this layer adds.
    pub tasks: Vec<Task>,
}

/// A role with all its layers merged, root first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// Catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One or two sentences about the role.
    pub description: String,
    /// A shared layer that nobody is hired into directly.
    pub layer: bool,
    /// The layer ids from the root to this role.
    pub layers: Vec<String>,
    /// Tools, parents first; a child's entry overrides its parent's.
    pub tools: Vec<RoleTool>,
    /// Bookmarks, parents first, without repeats.
    pub bookmarks: Vec<Bookmark>,
    /// Tasks, parents first.
    pub tasks: Vec<Task>,
}

/// Defaults for access-request issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRequestDefaults {
    /// Labels every request carries.
    pub labels: Vec<String>,
    /// Whether requests are confidential (they carry personal data).
    pub confidential: bool,
}

impl Default for AccessRequestDefaults {
    fn default() -> Self {
        Self {
            labels: vec![
                "AR-Approval::Needs Manager Approval".into(),
                "NewAccessRequest".into(),
                "BaselineEntitlementAR".into(),
            ],
            confidential: true,
        }
    }
}

/// The whole validated catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Tools in file order.
    pub tools: Vec<Tool>,
    /// Role files by id, sorted.
    pub roles: Vec<RoleDef>,
    /// Company holidays.
    pub holidays: Vec<Holiday>,
    /// Defaults for access requests.
    pub access_requests: AccessRequestDefaults,
}
