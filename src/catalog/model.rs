//! The validated catalogue: tools, provisioning teams and merged roles.
//!
//! Ids are newtypes only the catalogue can make, so code that holds a
//! [`RoleId`] or [`ToolId`] never has to ask whether it exists.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::calendar::{Due, Holiday};
use crate::diagnostic::{did_you_mean, Problem};

/// Words the catalogue accepts for a closed set of choices.
pub(crate) trait Keyword: Sized + Copy + 'static {
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
                    did_you_mean(word, words.iter().copied()),
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
            .map_or("", |(w, _)| *w)
    }
}

/// The id of a tool that exists in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub(crate) struct ToolId(String);

/// The id of a role that exists in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub(crate) struct RoleId(String);

macro_rules! id_type {
    ($name:ident) => {
        impl $name {
            /// Only the catalogue makes ids, once it has checked them.
            pub(super) fn checked(id: &str) -> Self {
                Self(id.to_string())
            }

            /// The id as written in the catalogue.
            pub(crate) fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(ToolId);
id_type!(RoleId);

/// How a new hire comes to have a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AccessMode {
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

/// The people every hire comes with, who own tasks as teams do: their
/// GitLab usernames come with the hire, not from the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Person {
    /// The person starting.
    Hire,
    /// Their manager.
    Manager,
    /// Their onboarding buddy.
    Buddy,
}

impl Person {
    /// Each person with their owner id and name, in the order checklists
    /// list them: before every team.
    pub(crate) const ALL: [(Person, &'static str, &'static str); 3] = [
        (Person::Hire, "new-hire", "New hire"),
        (Person::Manager, "manager", "Manager"),
        (Person::Buddy, "buddy", "Buddy"),
    ];
}

/// Who does a task: the hire, their manager or buddy, or one of the owner
/// teams the catalogue defines (`owners:` in `tools.yaml`). Cheap to clone;
/// owners compare and sort in catalogue order.
#[derive(Debug, Clone)]
pub(crate) struct Owner(Arc<OwnerInfo>);

#[derive(Debug)]
struct OwnerInfo {
    rank: usize,
    id: String,
    name: String,
    handle: Option<String>,
    person: Option<Person>,
}

impl Owner {
    fn new(
        rank: usize,
        id: &str,
        name: &str,
        handle: Option<String>,
        person: Option<Person>,
    ) -> Self {
        Self(Arc::new(OwnerInfo {
            rank,
            id: id.to_string(),
            name: name.to_string(),
            handle,
            person,
        }))
    }

    /// The three people, ranked first.
    pub(super) fn people() -> Vec<Owner> {
        Person::ALL
            .iter()
            .enumerate()
            .map(|(rank, (person, id, name))| Self::new(rank, id, name, None, Some(*person)))
            .collect()
    }

    /// An owner team of the catalogue, ranked after the people and the
    /// teams before it.
    pub(super) fn team(rank: usize, id: &str, name: &str, handle: &str) -> Self {
        Self::new(
            Person::ALL.len() + rank,
            id,
            name,
            Some(handle.trim_start_matches('@').to_string()),
            None,
        )
    }

    /// An owner read back from an issue that the catalogue no longer
    /// defines: shown by its id, mentioned by nobody, listed last.
    pub(crate) fn unknown(id: &str) -> Self {
        Self::new(usize::MAX, id, id, None, None)
    }

    /// The id tasks name it by, e.g. `it`.
    pub(crate) fn id(&self) -> &str {
        &self.0.id
    }

    /// A team's GitLab user or group path, without the `@`.
    pub(crate) fn handle(&self) -> Option<&str> {
        self.0.handle.as_deref()
    }

    /// Which of the hire's people it is, if one.
    pub(crate) fn person(&self) -> Option<Person> {
        self.0.person
    }

    /// Whether it is this person.
    pub(crate) fn is(&self, person: Person) -> bool {
        self.0.person == Some(person)
    }
}

impl PartialEq for Owner {
    fn eq(&self, other: &Self) -> bool {
        self.0.rank == other.0.rank && self.0.id == other.0.id
    }
}

impl Eq for Owner {}

impl std::hash::Hash for Owner {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id.hash(state);
    }
}

impl PartialOrd for Owner {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Owner {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0.rank, &self.0.id).cmp(&(other.0.rank, &other.0.id))
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.name)
    }
}

impl Serialize for Owner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.id)
    }
}

/// The access-request state that completes a task, whether or not its box
/// is ticked: the manager's approval is done once the requests are approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DoneWhen {
    /// Every access request of the hire is approved (or further).
    AccessApproved,
    /// Every access request of the hire is provisioned and closed.
    AccessProvisioned,
}

impl Keyword for DoneWhen {
    const ALL: &'static [(&'static str, Self)] = &[
        ("access-approved", Self::AccessApproved),
        ("access-provisioned", Self::AccessProvisioned),
    ];
}

/// GitLab's data classification of a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Classification {
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

/// Where a catalogue fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Source {
    /// Stated on the source page the catalogue was made from.
    Page,
    /// Not stated there: a guess someone should confirm.
    Assumed,
}

impl Keyword for Source {
    const ALL: &'static [(&'static str, Self)] =
        &[("page", Self::Page), ("assumed", Self::Assumed)];
}

/// The facts of a tool that may be marked `assumed:`.
pub(super) const TOOL_FACTS: &[&str] = &[
    "purpose",
    "access",
    "via",
    "provisioner",
    "link",
    "about",
    "training",
    "video",
    "if_missing",
    "classification",
];

/// One link of a tool, with what it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ToolLink {
    /// `Open`, `About Chorus`, `Training`, `Overview video`.
    pub label: String,
    /// The address.
    pub url: String,
}

/// A team that grants access to systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Provisioner {
    /// Catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The team's to-do label, added to access requests it must act on.
    pub label: Option<String>,
}

/// Who removes a system's access when someone moves or leaves: a
/// provisioning team or an owner team of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Deprovisioner {
    /// The provisioner's or owner's catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// An owner team's GitLab user or group path, without the `@`;
    /// provisioning teams have none.
    pub handle: Option<String>,
}

impl From<&Provisioner> for Deprovisioner {
    fn from(team: &Provisioner) -> Self {
        Self {
            id: team.id.clone(),
            name: team.name.clone(),
            handle: None,
        }
    }
}

/// One system in the tool catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Tool {
    /// Catalogue id.
    pub id: ToolId,
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
    /// The team that removes access to it; its provisioner unless the
    /// catalogue names another.
    pub deprovisioner: Deprovisioner,
    /// The tool itself.
    pub link: Option<String>,
    /// A page about it.
    pub about: Option<String>,
    /// Where to learn it.
    pub training: Option<String>,
    /// An overview video.
    pub video: Option<String>,
    /// What to do when it is missing, e.g. "ask your manager".
    pub if_missing: Option<String>,
    /// Every link, labelled by what it leads to, the tool itself first.
    pub links: Vec<ToolLink>,
    /// Data classification.
    pub classification: Classification,
    /// A baseline entitlement every team member gets.
    pub baseline: bool,
    /// The new hire's task to check the tool works, when the generated one does not fit.
    pub check: Option<String>,
    /// The facts (field names) the source page does not state; every
    /// field of [`TOOL_FACTS`] when the whole entry is assumed.
    pub assumed: Vec<String>,
}

impl Tool {
    /// The name without a note in brackets: `DemandBase` for
    /// `DemandBase (ABM data)`.
    pub(crate) fn short_name(&self) -> &str {
        self.name
            .split_once(" (")
            .map_or(self.name.as_str(), |(short, _)| short)
    }

    /// Whether `text` names the tool (its short name), as a whole word or words.
    pub(crate) fn named_in(&self, text: &str) -> bool {
        let name = self.short_name();
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }

    /// Where a task about the tool points: the tool itself, else its first
    /// other link, with its label.
    pub(crate) fn main_link(&self) -> Option<&ToolLink> {
        self.links.first()
    }

    /// Whether what [`Self::how_to_get_it`] says is an assumption: the
    /// access mode, or the part of it that names someone.
    pub(crate) fn access_is_assumed(&self) -> bool {
        let named = match self.access {
            AccessMode::AccessRequest => Some("provisioner"),
            AccessMode::Colleague => Some("via"),
            _ => None,
        };
        self.assumed
            .iter()
            .any(|a| a == "access" || a == "if_missing" || Some(a.as_str()) == named)
    }

    /// How the tool is reached, in a few words.
    pub(crate) fn how_to_get_it(&self) -> String {
        let how = self.reached();
        match &self.if_missing {
            Some(fallback) => format!("{how}; if it is missing, {fallback}"),
            None => how,
        }
    }

    fn reached(&self) -> String {
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
pub(crate) struct RoleTool {
    /// The tool.
    pub tool: ToolId,
    /// Access level or group to ask for.
    pub level: String,
    /// Why the role needs it.
    pub justification: String,
    /// Offered, but only included when asked for.
    pub optional: bool,
    /// Level and justification are not stated on the source page.
    pub assumed: bool,
}

/// A link a new hire should keep at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Bookmark {
    /// What it is.
    pub title: String,
    /// Where it is.
    pub link: String,
    /// Why it matters.
    pub note: Option<String>,
    /// Not from the source page.
    pub assumed: bool,
}

/// One thing to do during onboarding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Task {
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
    /// The tool it is about: the task comes only with the tool.
    pub tool: Option<ToolId>,
    /// The access-request state that completes it.
    pub done_when: Option<DoneWhen>,
    /// Not from the source page.
    pub assumed: bool,
    /// A name other tasks can refer to.
    pub id: Option<String>,
    /// The task it deliberately comes back to, so the two are not a repeat.
    pub follows: Option<String>,
    /// Where it is written, for messages about it.
    #[serde(skip)]
    pub origin: TaskOrigin,
}

/// Where a task is written: its role file and its place under `tasks:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TaskOrigin {
    /// The role file's id (its name without `.yaml`).
    pub role: String,
    /// Its index under `tasks:`.
    pub index: usize,
}

/// A role with all its layers merged, root first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Role {
    /// Catalogue id.
    pub id: RoleId,
    /// Display name.
    pub name: String,
    /// One or two sentences about the role.
    pub description: String,
    /// A shared layer that nobody is hired into directly.
    pub layer: bool,
    /// A page about the role, such as its job family.
    pub link: Option<String>,
    /// The layer ids from the root to this role.
    pub layers: Vec<RoleId>,
    /// Tools, parents first; a child's entry overrides its parent's.
    pub tools: Vec<RoleTool>,
    /// Bookmarks, parents first, without repeats.
    pub bookmarks: Vec<Bookmark>,
    /// Tasks, parents first.
    pub tasks: Vec<Task>,
    /// How many tasks one owner may have on a day, when the catalogue says
    /// (the nearest layer that does).
    pub max_tasks_per_day: Option<usize>,
}

impl Role {
    /// The role's entry for a tool, if it lists it.
    pub(crate) fn entry(&self, tool: &ToolId) -> Option<&RoleTool> {
        self.tools.iter().find(|t| &t.tool == tool)
    }
}

/// Defaults for access-request issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct AccessRequestDefaults {
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

/// A role id the catalogue does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{role}'{suggestion}; run `onboard roles list` to see the roles")]
pub(crate) struct UnknownRole {
    /// The id asked for.
    pub role: String,
    /// A "did you mean" hint, possibly empty.
    pub suggestion: String,
}

/// A tool id the catalogue does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown tool '{tool}'{suggestion}")]
pub(crate) struct UnknownTool {
    /// The id asked for.
    pub tool: String,
    /// A "did you mean" hint, possibly empty.
    pub suggestion: String,
}

/// The whole validated catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Catalog {
    /// Tools in file order.
    pub(super) tools: Vec<Tool>,
    /// Merged roles, by id.
    pub(super) roles: Vec<Role>,
    /// Company holidays.
    pub holidays: Vec<Holiday>,
    /// Defaults for access requests.
    pub access_requests: AccessRequestDefaults,
    /// Who may own a task: the three people, then the owner teams.
    pub(super) owners: Vec<Owner>,
    /// The facts that are assumptions, not from the source page: each
    /// file's path and where in it.
    pub assumed: Vec<(String, Problem)>,
}

impl Catalog {
    /// One of the hire's people as an owner.
    pub(crate) fn person(&self, person: Person) -> &Owner {
        self.owners
            .iter()
            .find(|o| o.is(person))
            .expect("the catalogue always has the three people")
    }

    /// The owner with this id, as written in an issue; one the catalogue no
    /// longer has is kept by its id.
    pub(crate) fn owner(&self, id: &str) -> Owner {
        self.owners
            .iter()
            .find(|o| o.id() == id)
            .cloned()
            .unwrap_or_else(|| Owner::unknown(id))
    }

    /// Every tool, in catalogue order.
    pub(crate) fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// The tool with this id.
    pub(crate) fn tool(&self, id: &ToolId) -> &Tool {
        self.tools
            .iter()
            .find(|t| &t.id == id)
            .expect("a ToolId is only made for a tool of this catalogue")
    }

    /// Looks up a tool id typed by a person.
    pub(crate) fn find_tool(&self, id: &str) -> Result<ToolId, UnknownTool> {
        let id = id.trim();
        self.tools
            .iter()
            .find(|t| t.id.as_str() == id)
            .map(|t| t.id.clone())
            .ok_or_else(|| UnknownTool {
                tool: id.to_string(),
                suggestion: did_you_mean(id, self.tools.iter().map(|t| t.id.as_str())),
            })
    }

    /// Every merged role, in id order.
    pub(crate) fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The merged role with this id.
    pub(crate) fn role(&self, id: &RoleId) -> &Role {
        self.roles
            .iter()
            .find(|r| &r.id == id)
            .expect("a RoleId is only made for a role of this catalogue")
    }

    /// Looks up a role id typed by a person.
    pub(crate) fn find_role(&self, id: &str) -> Result<RoleId, UnknownRole> {
        let id = id.trim();
        self.roles
            .iter()
            .find(|r| r.id.as_str() == id)
            .map(|r| r.id.clone())
            .ok_or_else(|| UnknownRole {
                role: id.to_string(),
                suggestion: did_you_mean(id, self.roles.iter().map(|r| r.id.as_str())),
            })
    }
}
