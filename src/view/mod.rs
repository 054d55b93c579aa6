//! Every template's data, in one place. Commands build these and hand them
//! to the renderer; `validate` renders each template with made-up data
//! (`commands/validate/samples.rs`).

mod batch;
mod page;
mod status;
mod tools;

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::AccessLink;
use crate::access::{Filed, FiledIssue, Preview};
use crate::calendar::{Country, Holiday};
use crate::catalog::{AccessMode, Bookmark, Catalog, Person, Role, RoleId, Task};
use crate::gitlab::{describe_create, Server};
use crate::inert::json_escaped;
use crate::plan::{Checklist, DatedTask, People, PhasePlan, RoleSummary};

pub(crate) use batch::{
    BatchSummary, BatchTable, ChecklistStatus, FilingStatus, FilingSummary, HireSummary,
    SkippedRow, SummaryWriter, CHANGES_SHOWN,
};
pub(crate) use page::{ChecklistPage, ChecklistPages, ChecklistTools, RoleText};
pub(crate) use status::{StatusPage, StatusReport, StatusTable};
pub(crate) use tools::{ToolView, ToolsList};

/// Pretty JSON with a final newline: `--json` and `--format json` output.
/// Control and invisible formatting characters (text a server sent may hold
/// them) are written as `\uXXXX` escapes, so whatever shows the JSON shows
/// them for what they are.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut json = to_json_lines(value)?;
    json.push('\n');
    Ok(json)
}

/// [`to_json`] without the final newline, for a part of a larger document.
pub(crate) fn to_json_lines<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    Ok(json_escaped(serde_json::to_string_pretty(value)?))
}

/// A checklist's dates and people: what every checklist view starts with.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistHead<'a> {
    /// Who it is for.
    pub hire: &'a People,
    /// Their role.
    pub role: &'a RoleSummary,
    /// Day 1.
    #[serde(serialize_with = "crate::day::serialize")]
    pub start: NaiveDate,
    /// When the whole checklist is due, on a business day.
    #[serde(serialize_with = "crate::day::serialize")]
    pub due: NaiveDate,
    /// Start + 31 days, when that was not a business day and `due` moved.
    #[serde(serialize_with = "crate::day::serialize_option")]
    pub due_moved_from: Option<NaiveDate>,
    /// The check-in reminder.
    #[serde(serialize_with = "crate::day::serialize")]
    pub reminder: NaiveDate,
    /// Whose public holidays the dates skip, if any country's.
    pub country: Option<&'a Country>,
    /// Some date falls in a year the country's holiday list does not cover.
    pub beyond_known_holidays: bool,
    /// How many task boxes there are.
    pub task_count: usize,
}

impl<'a> ChecklistHead<'a> {
    /// The head of a checklist.
    pub(crate) fn of(checklist: &'a Checklist) -> Self {
        Self {
            hire: &checklist.hire,
            role: &checklist.plan.role,
            start: checklist.start,
            due: checklist.due,
            due_moved_from: checklist.due_moved_from,
            reminder: checklist.reminder,
            country: checklist.country.as_ref(),
            beyond_known_holidays: checklist.beyond_known_holidays,
            task_count: checklist.task_count(),
        }
    }
}

/// What the checklist and the onboarding issue both show around the tasks.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistFacts<'a> {
    /// Dates and people.
    #[serde(flatten)]
    pub head: ChecklistHead<'a>,
    /// Tools, optional tools and bookmarks.
    #[serde(flatten)]
    pub tools: ChecklistTools<'a>,
}

impl<'a> ChecklistFacts<'a> {
    fn of(checklist: &'a Checklist) -> Self {
        Self {
            head: ChecklistHead::of(checklist),
            tools: ChecklistTools::of(&checklist.plan),
        }
    }
}

/// `checklist.md.hbs`, and `checklist --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistView<'a> {
    /// The facts around the tasks.
    #[serde(flatten)]
    pub facts: ChecklistFacts<'a>,
    /// Tasks by phase, then owner.
    pub phases: &'a [PhasePlan],
}

impl<'a> ChecklistView<'a> {
    /// The view of a checklist.
    pub(crate) fn of(checklist: &'a Checklist) -> Self {
        Self {
            facts: ChecklistFacts::of(checklist),
            phases: &checklist.phases,
        }
    }
}

/// A task line of the onboarding issue, with its hidden comment.
#[derive(Debug, Serialize)]
pub(crate) struct IssueTask<'a> {
    /// The dated task.
    #[serde(flatten)]
    pub task: &'a DatedTask,
    /// `<!-- onboard-task id:… owner:… due:… -->`, written as it is.
    pub marker: String,
}

/// One owner's tasks under a heading, as the view of `T` shows them.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerView<'a, T> {
    /// Display name, e.g. "Manager".
    pub owner_name: &'a str,
    /// Their username, mentioned in the heading.
    pub username: Option<&'a str>,
    /// The new hire's own tasks, which the checklist shows first; everyone
    /// else's go under one "Done for you" heading.
    pub is_hire: bool,
    /// Their tasks.
    #[serde(flatten)]
    pub tasks: T,
}

/// A heading of a checklist or onboarding issue.
#[derive(Debug, Serialize)]
pub(crate) struct PhaseView<'a, T> {
    /// E.g. "Day 5 and Week 1".
    pub title: &'a str,
    /// The earliest due date.
    #[serde(serialize_with = "crate::day::serialize")]
    pub first_date: NaiveDate,
    /// The latest due date.
    #[serde(serialize_with = "crate::day::serialize")]
    pub last_date: NaiveDate,
    /// The holidays skipped since the previous heading.
    pub days_off: &'a [Holiday],
    /// Someone other than the new hire has a task here.
    pub done_for_you: bool,
    /// Every owner's heading and tasks as finished Markdown, when the view
    /// gives them so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners_text: Option<String>,
    /// Tasks by owner, unless the view gives only `owners_text`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<OwnerView<'a, T>>,
}

/// A checklist's headings: each as `text` gives it whole, if it does, and,
/// when `by_owner`, each owner's tasks as `tasks` shows them.
pub(crate) fn phase_views<'a, T>(
    checklist: &'a Checklist,
    by_owner: bool,
    mut text: impl FnMut(&'a PhasePlan) -> Option<String>,
    mut tasks: impl FnMut(&'a [DatedTask]) -> T,
) -> Vec<PhaseView<'a, T>> {
    checklist
        .phases
        .iter()
        .map(|phase| PhaseView {
            title: &phase.title,
            first_date: phase.first_date,
            last_date: phase.last_date,
            days_off: &phase.days_off,
            done_for_you: phase.owners.iter().any(|o| !o.owner.is(Person::Hire)),
            owners_text: text(phase),
            owners: if by_owner {
                phase
                    .owners
                    .iter()
                    .map(|owner| OwnerView {
                        owner_name: &owner.owner_name,
                        username: owner.username.as_deref(),
                        is_hire: owner.owner.is(Person::Hire),
                        tasks: tasks(&owner.tasks),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// An owner's tasks in the onboarding issue, each with its hidden comment.
#[derive(Debug, Serialize)]
pub(crate) struct IssueTasks<'a> {
    /// Their tasks.
    pub tasks: Vec<IssueTask<'a>>,
}

/// `onboarding-issue.md.hbs`: the checklist as an issue every owner ticks.
#[derive(Debug, Serialize)]
pub(crate) struct OnboardingView<'a> {
    /// The facts around the tasks.
    #[serde(flatten)]
    pub facts: ChecklistFacts<'a>,
    /// The phases, each task with its hidden comment.
    pub phases: Vec<PhaseView<'a, IssueTasks<'a>>>,
    /// The hire's access requests.
    pub access: &'a [AccessLink],
}

impl<'a> OnboardingView<'a> {
    /// The view of an onboarding issue; `markers` are in the checklist's task order.
    pub(crate) fn of(
        checklist: &'a Checklist,
        access: &'a [AccessLink],
        markers: Vec<String>,
    ) -> Self {
        let mut markers = markers.into_iter();
        let phases = phase_views(
            checklist,
            true,
            |_| None,
            |tasks| IssueTasks {
                tasks: tasks
                    .iter()
                    .map(|task| IssueTask {
                        task,
                        marker: markers.next().unwrap_or_default(),
                    })
                    .collect(),
            },
        );
        Self {
            facts: ChecklistFacts::of(checklist),
            phases,
            access,
        }
    }
}

/// `wizard-summary.txt.hbs`, the wizard's review: every answer, the
/// checklist and the hire's first five tasks.
#[derive(Debug, Serialize)]
pub(crate) struct WizardSummary<'a> {
    /// The whole checklist.
    #[serde(flatten)]
    pub checklist: ChecklistView<'a>,
    /// The new hire's first tasks by date.
    pub first_due: Vec<&'a DatedTask>,
    /// The optional tools chosen, by name.
    pub added: Vec<&'a str>,
}

impl<'a> WizardSummary<'a> {
    /// The summary of a checklist.
    pub(crate) fn of(checklist: &'a Checklist) -> Self {
        let mut tasks: Vec<&DatedTask> = checklist
            .tasks()
            .filter(|t| t.owner.is(crate::catalog::Person::Hire))
            .collect();
        tasks.sort_by_key(|t| t.date);
        tasks.truncate(5);
        Self {
            checklist: ChecklistView::of(checklist),
            first_due: tasks,
            added: checklist
                .plan
                .tools
                .iter()
                .filter(|t| t.optional)
                .map(|t| t.tool.name.as_str())
                .collect(),
        }
    }
}

/// One row of `roles list`.
#[derive(Debug, Serialize)]
pub(crate) struct RoleRow<'a> {
    id: &'a RoleId,
    name: &'a str,
    description: &'a str,
    layer: bool,
    layers: &'a [RoleId],
    /// The name, and `(layer)` for a shared layer.
    name_shown: String,
    /// `extends a > b`, the layers below this role; empty for a root.
    extends_shown: String,
}

/// `roles-list.txt.hbs`, and `roles list --json` (the rows).
#[derive(Debug, Serialize)]
pub(crate) struct RolesList<'a> {
    /// Every role.
    pub roles: Vec<RoleRow<'a>>,
}

impl<'a> RolesList<'a> {
    /// Every role of the catalogue.
    pub(crate) fn of(catalog: &'a Catalog) -> Self {
        Self {
            roles: catalog
                .roles()
                .iter()
                .map(|r| {
                    let below: Vec<&str> = r
                        .layers
                        .iter()
                        .filter(|l| **l != r.id)
                        .map(RoleId::as_str)
                        .collect();
                    RoleRow {
                        id: &r.id,
                        name: &r.name,
                        description: &r.description,
                        layer: r.layer,
                        layers: &r.layers,
                        name_shown: if r.layer {
                            format!("{} (layer)", r.name)
                        } else {
                            r.name.clone()
                        },
                        extends_shown: if below.is_empty() {
                            String::new()
                        } else {
                            format!("extends {}", below.join(" > "))
                        },
                    }
                })
                .collect(),
        }
    }
}

/// A tool as `roles show` presents it.
#[derive(Debug, Serialize)]
pub(crate) struct RoleToolView<'a> {
    id: &'a str,
    name: &'a str,
    access: AccessMode,
    how: String,
    level: &'a str,
    justification: &'a str,
    optional: bool,
    /// How the tool is reached is not stated on the source page.
    how_assumed: bool,
    /// The level and justification are not stated there.
    level_assumed: bool,
    /// `how`, marked `*` when it is an assumption.
    how_shown: String,
    /// `level`, likewise, and `(optional)` for an optional tool.
    level_shown: String,
}

/// A bookmark as `roles show` presents it.
#[derive(Debug, Serialize)]
pub(crate) struct BookmarkView<'a> {
    #[serde(flatten)]
    bookmark: &'a Bookmark,
    /// The title, marked `*` when it is an assumption.
    title_shown: String,
}

/// A task as `roles show` presents it.
#[derive(Debug, Serialize)]
pub(crate) struct TaskView<'a> {
    #[serde(flatten)]
    task: &'a Task,
    /// The title, marked `*` when it is an assumption.
    title_shown: String,
}

/// `text`, marked `*` when it is an assumption.
fn marked(text: &str, assumed: bool) -> String {
    format!("{text}{}", if assumed { "*" } else { "" })
}

/// `role-show.txt.hbs`, and `roles show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct RoleView<'a> {
    id: &'a RoleId,
    name: &'a str,
    description: &'a str,
    layer: bool,
    layers: &'a [RoleId],
    /// The layers, root first, as `a > b > c`.
    layer_path: String,
    tools: Vec<RoleToolView<'a>>,
    bookmarks: Vec<BookmarkView<'a>>,
    tasks: Vec<TaskView<'a>>,
}

impl<'a> RoleView<'a> {
    /// A merged role with each tool's catalogue details.
    pub(crate) fn of(catalog: &'a Catalog, role: &'a Role) -> Self {
        let tools = role
            .tools
            .iter()
            .map(|entry| {
                let tool = catalog.tool(&entry.tool);
                let how = tool.how_to_get_it();
                let optional = if entry.optional { " (optional)" } else { "" };
                RoleToolView {
                    how_shown: marked(&how, tool.access_is_assumed()),
                    level_shown: format!("{}{optional}", marked(&entry.level, entry.assumed)),
                    id: tool.id.as_str(),
                    name: &tool.name,
                    access: tool.access,
                    how,
                    level: &entry.level,
                    justification: &entry.justification,
                    optional: entry.optional,
                    how_assumed: tool.access_is_assumed(),
                    level_assumed: entry.assumed,
                }
            })
            .collect();
        Self {
            id: &role.id,
            name: &role.name,
            description: &role.description,
            layer: role.layer,
            layers: &role.layers,
            layer_path: role
                .layers
                .iter()
                .map(RoleId::as_str)
                .collect::<Vec<_>>()
                .join(" > "),
            tools,
            bookmarks: role
                .bookmarks
                .iter()
                .map(|bookmark| BookmarkView {
                    bookmark,
                    title_shown: marked(&bookmark.title, bookmark.assumed),
                })
                .collect(),
            tasks: role
                .tasks
                .iter()
                .map(|task| TaskView {
                    task,
                    title_shown: marked(&task.title, task.assumed),
                })
                .collect(),
        }
    }
}

/// A form field of a create, as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Field {
    /// Name, e.g. `assignee_ids[]`.
    pub name: String,
    /// Value.
    pub value: String,
}

/// One `POST`, as it would go on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CreateCall {
    /// `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Form fields except the description, in wire order.
    pub fields: Vec<Field>,
    /// The issue body.
    pub description: String,
}

/// `access-preview.txt.hbs`: what `--dry-run` shows.
#[derive(Debug, Serialize)]
pub(crate) struct PreviewView {
    /// The hire's name.
    pub name: String,
    /// The request key.
    pub key: String,
    /// Issues that already hold some systems.
    pub existing: Vec<FiledIssue>,
    /// The create that would be sent.
    pub create: Option<CreateCall>,
    /// Whether GitLab was asked.
    pub looked_up: bool,
}

impl PreviewView {
    /// The view of a preview of `name`'s issue; `project` is the path or id
    /// the create goes to. Without a lookup, the assignees' ids are not known
    /// yet and it says so.
    pub(crate) fn of(
        name: &str,
        assignees: &[String],
        preview: Preview,
        server: &Server,
        project: &str,
    ) -> Self {
        let create = preview.create.and_then(|draft| {
            let (url, fields) = describe_create(server, project, &draft).ok()?;
            let mut fields: Vec<Field> = fields
                .into_iter()
                .filter(|(name, _)| name != "description")
                .map(|(name, value)| Field { name, value })
                .collect();
            if draft.assignee_ids.is_empty() {
                for assignee in assignees {
                    fields.push(Field {
                        name: "assignee_ids[]".to_string(),
                        value: format!("(the id of @{assignee}, looked up when filing)"),
                    });
                }
            }
            Some(CreateCall {
                method: "POST",
                url,
                fields,
                description: draft.description,
            })
        });
        Self {
            name: name.to_string(),
            key: preview.key,
            existing: preview.existing,
            create,
            looked_up: preview.looked_up,
        }
    }
}

/// `access-result.txt.hbs`: the issues filed or found, parts by name.
pub(crate) fn named_systems(catalog: &Catalog, filed: &Filed) -> Filed {
    let mut named = filed.clone();
    for issue in &mut named.issues {
        for system in &mut issue.systems {
            if system == crate::access::PART {
                *system = "onboarding checklist".to_string();
            } else if let Ok(id) = catalog.find_tool(system) {
                system.clone_from(&catalog.tool(&id).name);
            }
        }
    }
    named
}
