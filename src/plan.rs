//! Pure planning: a hire, their merged role and a calendar become a dated checklist.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{checklist_due, Calendar, Due, Phase, StartDateError};
use crate::catalog::{did_you_mean, AccessMode, Bookmark, Catalog, Owner, Role, Task, Tool};
use crate::hire::Hire;

/// Why a hire cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The start date is not a business day.
    #[error(transparent)]
    StartDate(#[from] StartDateError),
    /// `--with` or `--without` names a tool the catalogue lacks.
    #[error("{flag}: unknown tool '{tool}'{suggestion}")]
    UnknownTool {
        /// `with` or `without`.
        flag: &'static str,
        /// The id given.
        tool: String,
        /// A "did you mean" hint, possibly empty.
        suggestion: String,
    },
    /// `--without` names a tool everybody must have.
    #[error(
        "without: '{0}' is a baseline entitlement for every team member and cannot be left out"
    )]
    BaselineRequired(String),
    /// `--without` names a tool the role does not include anyway.
    #[error("without: the role '{role}' does not include '{tool}'")]
    NotInRole {
        /// The role id.
        role: String,
        /// The tool id.
        tool: String,
    },
}

/// A tool as this hire gets it: the catalogue entry plus what the role asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HireTool {
    /// The catalogue entry.
    #[serde(flatten)]
    pub tool: Tool,
    /// Access level to ask for.
    pub level: String,
    /// Why the hire needs it.
    pub justification: String,
    /// How it is reached, in a few words.
    pub how: String,
    /// Whether it was added on request rather than by the role.
    pub optional: bool,
}

/// Picks the tools for a hire: the role's required tools, plus `with`, minus `without`.
pub fn select_tools(
    hire: &Hire,
    role: &Role,
    catalog: &Catalog,
) -> Result<Vec<HireTool>, PlanError> {
    let known = |flag: &'static str, id: &str| {
        catalog.tool(id).ok_or_else(|| PlanError::UnknownTool {
            flag,
            tool: id.to_string(),
            suggestion: did_you_mean(id, catalog.tool_ids()),
        })
    };
    for id in &hire.without {
        let tool = known("without", id)?;
        if tool.baseline {
            return Err(PlanError::BaselineRequired(id.clone()));
        }
        if !role.tools.iter().any(|t| &t.tool == id) && !hire.with.contains(id) {
            return Err(PlanError::NotInRole {
                role: role.id.clone(),
                tool: id.clone(),
            });
        }
    }
    let mut selected = Vec::new();
    for entry in &role.tools {
        let wanted = !entry.optional || hire.with.contains(&entry.tool);
        if wanted && !hire.without.contains(&entry.tool) {
            let tool = known("with", &entry.tool)?;
            selected.push(hire_tool(
                tool,
                entry.level.clone(),
                entry.justification.clone(),
                entry.optional,
            ));
        }
    }
    for id in &hire.with {
        let tool = known("with", id)?;
        if !selected.iter().any(|t| &t.tool.id == id) && !hire.without.contains(id) {
            let justification = format!(
                "Requested for this {} on top of the role's standard tools",
                role.name
            );
            selected.push(hire_tool(
                tool,
                "Standard user".to_string(),
                justification,
                true,
            ));
        }
    }
    Ok(selected)
}

fn hire_tool(tool: &Tool, level: String, justification: String, optional: bool) -> HireTool {
    HireTool {
        how: tool.how_to_get_it(),
        tool: tool.clone(),
        level,
        justification,
        optional,
    }
}

/// A task with its date worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedTask {
    /// What to do.
    pub title: String,
    /// Who does it.
    pub owner: Owner,
    /// The due expression from the catalogue.
    pub due: Due,
    /// The date it falls due.
    pub date: NaiveDate,
    /// Where to read about it.
    pub link: Option<String>,
    /// A finer grouping such as a pipeline phase.
    pub section: Option<String>,
    /// The tool the task is about, if any.
    pub tool: Option<String>,
}

/// The tasks of one owner within a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerTasks {
    /// Who.
    pub owner: Owner,
    /// Display name of the owner, e.g. "New hire".
    pub owner_name: String,
    /// The owner's GitLab username, when known (manager, buddy, the hire).
    pub username: Option<String>,
    /// Their tasks, by date.
    pub tasks: Vec<DatedTask>,
}

/// One heading of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhasePlan {
    /// E.g. "Day 1", "Week 2".
    pub title: String,
    /// The earliest due date in the phase.
    pub first_date: NaiveDate,
    /// The latest due date in the phase.
    pub last_date: NaiveDate,
    /// Tasks by owner, in a fixed owner order.
    pub owners: Vec<OwnerTasks>,
}

/// The people on the checklist, as the templates see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct People {
    /// Full name.
    pub name: String,
    /// Work email.
    pub email: Option<String>,
    /// Their GitLab username.
    pub username: Option<String>,
    /// Manager's GitLab username.
    pub manager: Option<String>,
    /// Buddy's GitLab username.
    pub buddy: Option<String>,
}

/// The role, as the templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleSummary {
    /// Catalogue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the role does.
    pub description: String,
    /// Layers from the root.
    pub layers: Vec<String>,
}

/// A personal, dated onboarding checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// Who it is for.
    pub hire: People,
    /// Their role.
    pub role: RoleSummary,
    /// Day 1.
    pub start: NaiveDate,
    /// When the whole checklist is due (start + 31 days).
    pub due: NaiveDate,
    /// Business day 15, when a reminder check-in is due.
    pub reminder: NaiveDate,
    /// How many task boxes there are.
    pub task_count: usize,
    /// The tasks, by phase then owner.
    pub phases: Vec<PhasePlan>,
    /// Tools with how each is reached.
    pub tools: Vec<HireTool>,
    /// Links to keep.
    pub bookmarks: Vec<Bookmark>,
}

/// Everything that can make a hire unplannable, checked without building the
/// checklist: the start date and the tool selection. Returns the tools.
pub fn check(
    hire: &Hire,
    role: &Role,
    catalog: &Catalog,
    calendar: &Calendar,
) -> Result<Vec<HireTool>, PlanError> {
    calendar.check_start(hire.start)?;
    select_tools(hire, role, catalog)
}

impl People {
    /// The people on a hire's checklist.
    pub fn of(hire: &Hire) -> Self {
        Self {
            name: hire.name.to_string(),
            email: hire.email.as_ref().map(ToString::to_string),
            username: hire.username.as_ref().map(ToString::to_string),
            manager: hire.manager.as_ref().map(ToString::to_string),
            buddy: hire.buddy.as_ref().map(ToString::to_string),
        }
    }
}

/// Builds a hire's checklist. Pure: everything it needs is passed in.
pub fn checklist(
    hire: &Hire,
    role: &Role,
    catalog: &Catalog,
    calendar: &Calendar,
) -> Result<Checklist, PlanError> {
    let tools = check(hire, role, catalog, calendar)?;
    let mut tasks: Vec<(Task, Option<String>)> =
        role.tasks.iter().map(|t| (t.clone(), None)).collect();
    tasks.extend(tool_tasks(&tools));
    let dated: Vec<DatedTask> = tasks
        .into_iter()
        .map(|(task, tool)| DatedTask {
            date: calendar.resolve(hire.start, task.due),
            title: task.title,
            owner: task.owner,
            due: task.due,
            link: task.link,
            section: task.section,
            tool,
        })
        .collect();
    let task_count = dated.len();
    Ok(Checklist {
        hire: People::of(hire),
        role: RoleSummary {
            id: role.id.clone(),
            name: role.name.clone(),
            description: role.description.clone(),
            layers: role.layers.clone(),
        },
        start: hire.start,
        due: checklist_due(hire.start),
        reminder: calendar.resolve(hire.start, Due::Day(15)),
        task_count,
        phases: group_by_phase(dated, hire),
        tools,
        bookmarks: role.bookmarks.clone(),
    })
}

/// One task per tool to check it works, timed by how the tool is reached, plus
/// the manager's approval when any tool needs an access request.
fn tool_tasks(tools: &[HireTool]) -> Vec<(Task, Option<String>)> {
    let mut tasks: Vec<(Task, Option<String>)> = tools
        .iter()
        .map(|t| {
            let name = &t.tool.name;
            let (title, due) = match t.tool.access {
                AccessMode::Okta if t.tool.baseline => {
                    (format!("Sign in to {name} from its Okta tile"), Due::Day(1))
                }
                AccessMode::Okta => (
                    format!("Sign in to {name} from its Okta tile and check your access"),
                    Due::Day(2),
                ),
                AccessMode::Onboarding => (
                    format!("Confirm {name} was granted during onboarding and open it"),
                    Due::Week(1),
                ),
                AccessMode::Automatic => (
                    format!("Find where {name} data shows up for you (no request needed)"),
                    Due::Week(1),
                ),
                AccessMode::AccessRequest => (
                    format!("Verify {name} works once your access request is provisioned"),
                    Due::Week(2),
                ),
                AccessMode::Colleague => (
                    format!(
                        "Ask {} to walk you through {name}",
                        t.tool.via.as_deref().unwrap_or("a colleague")
                    ),
                    Due::Week(2),
                ),
            };
            let task = Task {
                title: t.tool.check.clone().unwrap_or(title),
                owner: Owner::NewHire,
                due,
                link: Some(t.tool.link.clone()),
                section: Some("Tools".to_string()),
            };
            (task, Some(t.tool.id.clone()))
        })
        .collect();
    let requested: Vec<&str> = tools
        .iter()
        .filter(|t| t.tool.access == AccessMode::AccessRequest)
        .map(|t| t.tool.name.as_str())
        .collect();
    if !requested.is_empty() {
        let approval = Task {
            title: format!("Approve the access request for {}", requested.join(", ")),
            owner: Owner::Manager,
            due: Due::BeforeStart(2),
            link: None,
            section: Some("Access requests".to_string()),
        };
        tasks.push((approval, None));
    }
    tasks
}

fn group_by_phase(tasks: Vec<DatedTask>, hire: &Hire) -> Vec<PhasePlan> {
    let mut phases: BTreeMap<Phase, BTreeMap<Owner, Vec<DatedTask>>> = BTreeMap::new();
    for task in tasks {
        phases
            .entry(task.due.phase())
            .or_default()
            .entry(task.owner)
            .or_default()
            .push(task);
    }
    phases
        .into_iter()
        .map(|(phase, owners)| {
            let owners: Vec<OwnerTasks> = owners
                .into_iter()
                .map(|(owner, mut tasks)| {
                    tasks.sort_by_key(|t| t.date);
                    let username = match owner {
                        Owner::NewHire => hire.username.as_ref(),
                        Owner::Manager => hire.manager.as_ref(),
                        Owner::Buddy => hire.buddy.as_ref(),
                        _ => None,
                    };
                    OwnerTasks {
                        owner,
                        owner_name: owner.to_string(),
                        username: username.map(ToString::to_string),
                        tasks,
                    }
                })
                .collect();
            let dates = owners.iter().flat_map(|o| o.tasks.iter().map(|t| t.date));
            let first_date = dates.clone().min().unwrap_or_default();
            let last_date = dates.max().unwrap_or_default();
            PhasePlan {
                title: phase.to_string(),
                first_date,
                last_date,
                owners,
            }
        })
        .collect()
}
