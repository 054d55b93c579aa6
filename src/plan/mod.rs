//! Pure planning, in two parts: what a role and tool selection gives (tools,
//! tasks, bookmarks; the same for every hire who has them, so it is worked out
//! once and shared), and the dates and people of one hire.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{checklist_due, Calendar, Country, Due, Holiday};
use crate::catalog::{
    AccessMode, Bookmark, Catalog, DoneWhen, Owner, Person, Provisioner, Role, RoleId, TaskOrigin,
    Tool, ToolId,
};
use crate::hire::{Hire, Selection};

/// The label of a link that leads to the thing itself.
const OPEN: &str = "Open";

/// A tool as this hire gets it: the catalogue entry plus what the role asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct HireTool {
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

/// A task before it is dated: the catalogue's task or one made for tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedTask {
    /// What to do.
    pub title: Arc<str>,
    /// Who does it.
    pub owner: Owner,
    /// When, relative to the start.
    pub due: Due,
    /// Where to read about it.
    pub link: Option<Arc<str>>,
    /// What the link leads to: `Open`, `About Chorus`.
    pub link_label: Arc<str>,
    /// A finer grouping such as a pipeline phase.
    pub section: Option<Arc<str>>,
    /// The tools the task is about: its `tool:`, or the tools a generated
    /// check covers.
    pub tools: Arc<[ToolId]>,
    /// The access-request state that completes it.
    pub done_when: Option<DoneWhen>,
    /// Where the catalogue writes it; `None` for a generated task.
    pub origin: Option<TaskOrigin>,
    /// Its catalogue `id:`, if it has one.
    pub id: Option<String>,
    /// The task it deliberately comes back to.
    pub follows: Option<String>,
}

/// The role, as the templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RoleSummary {
    /// Catalogue id.
    pub id: RoleId,
    /// Display name.
    pub name: String,
    /// What the role does.
    pub description: String,
    /// Layers from the root.
    pub layers: Vec<RoleId>,
    /// A page about the role, such as its job family.
    pub link: Option<String>,
}

/// Everything a role and tool selection gives, the same for every hire who has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RolePlan {
    /// The role and tool choices it was worked out for.
    pub selection: Selection,
    /// The role.
    pub role: RoleSummary,
    /// The tools, in role order.
    pub tools: Vec<HireTool>,
    /// The role's optional tools this hire does not have, and how to add them.
    pub also_available: Vec<HireTool>,
    /// Every task, undated.
    pub tasks: Vec<PlannedTask>,
    /// Links to keep.
    pub bookmarks: Vec<Bookmark>,
}

/// Works out the role part of a plan.
pub(crate) fn role_plan(catalog: &Catalog, selection: &Selection) -> RolePlan {
    let role = catalog.role(&selection.role);
    let tools = select_tools(catalog, role, selection);
    let role_tasks: Vec<PlannedTask> = role
        .tasks
        .iter()
        .filter(|t| {
            t.tool
                .as_ref()
                .is_none_or(|id| tools.iter().any(|h| &h.tool.id == id))
        })
        .map(|t| PlannedTask {
            title: t.title.as_str().into(),
            owner: t.owner.clone(),
            due: t.due,
            link: t.link.as_deref().map(Into::into),
            link_label: OPEN.into(),
            section: t.section.as_deref().map(Into::into),
            tools: t.tool.iter().cloned().collect(),
            done_when: t.done_when,
            origin: Some(t.origin.clone()),
            id: t.id.clone(),
            follows: t.follows.clone(),
        })
        .collect();
    // One task per intent: a role task about a tool (`tool:`) says how to
    // check it, so the tool gets no generated check of its own.
    let checked: Vec<&HireTool> = tools
        .iter()
        .filter(|h| !role_tasks.iter().any(|t| t.tools.contains(&h.tool.id)))
        .collect();
    // Generated checks come first: within a day, signing in to a tool
    // (Okta and its MFA above all) comes before using it.
    let mut tasks = tool_tasks(&checked, &tools, catalog);
    tasks.extend(role_tasks);
    RolePlan {
        selection: selection.clone(),
        role: RoleSummary {
            id: role.id.clone(),
            name: role.name.clone(),
            description: role.description.clone(),
            layers: role.layers.clone(),
            link: role.link.clone(),
        },
        also_available: role
            .tools
            .iter()
            .filter(|e| e.optional && !tools.iter().any(|t| t.tool.id == e.tool))
            .filter(|e| !selection.without.contains(&e.tool))
            .map(|e| {
                hire_tool(
                    catalog.tool(&e.tool),
                    &e.level,
                    &e.justification,
                    e.optional,
                )
            })
            .collect(),
        tools,
        tasks,
        bookmarks: role.bookmarks.clone(),
    }
}

/// The role's required tools, plus the optional ones in `with`, minus
/// `without`. `with` holds only the role's optional tools: a hire is
/// checked against the catalogue before planning.
fn select_tools(catalog: &Catalog, role: &Role, selection: &Selection) -> Vec<HireTool> {
    role.tools
        .iter()
        .filter(|entry| !entry.optional || selection.with.contains(&entry.tool))
        .filter(|entry| !selection.without.contains(&entry.tool))
        .map(|entry| {
            hire_tool(
                catalog.tool(&entry.tool),
                &entry.level,
                &entry.justification,
                entry.optional,
            )
        })
        .collect()
}

fn hire_tool(tool: &Tool, level: &str, justification: &str, optional: bool) -> HireTool {
    HireTool {
        how: tool.how_to_get_it(),
        tool: tool.clone(),
        level: level.to_string(),
        justification: justification.to_string(),
        optional,
    }
}

/// The hire's checks that their tools work: a tool's own `check:` wording
/// alone, the others one task per way of getting them (and per colleague),
/// timed by when they arrive; plus the manager's approval when any tool of
/// the hire needs an access request.
fn tool_tasks(checked: &[&HireTool], all: &[HireTool], catalog: &Catalog) -> Vec<PlannedTask> {
    let hire = catalog.person(Person::Hire);
    let mut tasks: Vec<PlannedTask> = checked
        .iter()
        .filter_map(|t| {
            let check = t.tool.check.as_deref()?;
            Some(check_task(
                check.to_string(),
                hire,
                CheckKind::of(t).due(),
                &[t],
            ))
        })
        .collect();
    let mut groups: Vec<(CheckKind, Vec<&HireTool>)> = Vec::new();
    for tool in checked.iter().filter(|t| t.tool.check.is_none()) {
        let kind = CheckKind::of(tool);
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(tool),
            None => groups.push((kind, vec![tool])),
        }
    }
    for (kind, members) in groups {
        let names: Vec<String> = members.iter().map(|t| t.tool.name.clone()).collect();
        let title = kind.title(&and_list(&names), members.len() > 1);
        tasks.push(check_task(title, hire, kind.due(), &members));
    }
    let requested: Vec<&str> = requested_by_team(all)
        .into_iter()
        .flat_map(|(_, tools)| tools)
        .map(|t| t.tool.name.as_str())
        .collect();
    if !requested.is_empty() {
        tasks.push(PlannedTask {
            title: format!("Approve the access request for {}", requested.join(", ")).into(),
            owner: catalog.person(Person::Manager).clone(),
            due: Due::BeforeStart(2),
            link: None,
            link_label: OPEN.into(),
            section: Some("Access requests".into()),
            tools: Arc::default(),
            done_when: Some(DoneWhen::AccessApproved),
            origin: None,
            id: None,
            follows: None,
        });
    }
    tasks
}

/// How the hire checks a tool, by the way it is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CheckKind {
    /// Everyone's Okta tiles, there on day 1.
    BaselineTile,
    /// The role's Okta tiles, checked on day 2.
    Tile,
    Onboarding,
    Automatic,
    AccessRequest,
    /// Reached through someone: who.
    Colleague(String),
}

impl CheckKind {
    /// How a tool is checked.
    fn of(tool: &HireTool) -> Self {
        match tool.tool.access {
            AccessMode::Okta if tool.tool.baseline => CheckKind::BaselineTile,
            AccessMode::Okta => CheckKind::Tile,
            AccessMode::Onboarding => CheckKind::Onboarding,
            AccessMode::Automatic => CheckKind::Automatic,
            AccessMode::AccessRequest => CheckKind::AccessRequest,
            AccessMode::Colleague => CheckKind::Colleague(
                tool.tool
                    .via
                    .as_deref()
                    .unwrap_or("a colleague")
                    .to_string(),
            ),
        }
    }

    /// When the check is due: once the tools can be there, with time to spare.
    fn due(&self) -> Due {
        match self {
            CheckKind::BaselineTile => Due::Day(1),
            CheckKind::Tile => Due::Day(2),
            CheckKind::Onboarding | CheckKind::Automatic => Due::Week(1),
            CheckKind::AccessRequest | CheckKind::Colleague(_) => Due::Week(2),
        }
    }

    /// The check's title for `names` (plural when more than one tool).
    fn title(&self, names: &str, plural: bool) -> String {
        let (its, them, was, works) = if plural {
            ("their Okta tiles", "them", "were", "work")
        } else {
            ("its Okta tile", "it", "was", "works")
        };
        match self {
            CheckKind::BaselineTile => format!("Sign in to {names} from {its}"),
            CheckKind::Tile => format!("Sign in to {names} from {its} and check your access"),
            CheckKind::Onboarding => {
                format!("Confirm {names} {was} granted during onboarding and open {them}")
            }
            CheckKind::Automatic => {
                format!("Find where {names} data shows up for you (no request needed)")
            }
            CheckKind::AccessRequest => {
                format!("Check that {names} {works} once your access request is provisioned")
            }
            CheckKind::Colleague(who) => format!("Ask {who} to walk you through {names}"),
        }
    }
}

/// The hire's task to check `tools`; a single tool's task links to it.
fn check_task(title: String, hire: &Owner, due: Due, tools: &[&HireTool]) -> PlannedTask {
    let link = match tools {
        [one] => one.tool.main_link(),
        _ => None,
    };
    PlannedTask {
        title: title.into(),
        owner: hire.clone(),
        due,
        link: link.map(|l| l.url.as_str().into()),
        link_label: link.map_or(OPEN, |l| l.label.as_str()).into(),
        section: None,
        tools: tools.iter().map(|t| t.tool.id.clone()).collect(),
        done_when: None,
        origin: None,
        id: None,
        follows: None,
    }
}

/// `A`, `A and B`, `A, B and C`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The tools that need an access request, grouped by the team that
/// provisions them, teams in the order their first tool comes: the order of
/// the request, its title and the manager's approval task alike.
pub(crate) fn requested_by_team(tools: &[HireTool]) -> Vec<(&Provisioner, Vec<&HireTool>)> {
    let mut teams: Vec<(&Provisioner, Vec<&HireTool>)> = Vec::new();
    for tool in tools
        .iter()
        .filter(|t| t.tool.access == AccessMode::AccessRequest)
    {
        let team = &tool.tool.provisioner;
        match teams.iter_mut().find(|(t, _)| t.id == team.id) {
            Some((_, members)) => members.push(tool),
            None => teams.push((team, vec![tool])),
        }
    }
    teams
}

/// Role plans by selection, worked out once and shared between threads.
pub(crate) struct Plans<'c> {
    catalog: &'c Catalog,
    cache: Mutex<HashMap<Selection, Arc<RolePlan>>>,
}

impl<'c> Plans<'c> {
    /// An empty cache over a catalogue.
    pub(crate) fn new(catalog: &'c Catalog) -> Self {
        Self {
            catalog,
            cache: Mutex::default(),
        }
    }

    /// The role part of a hire's plan.
    pub(crate) fn role_plan(&self, selection: &Selection) -> Arc<RolePlan> {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(plan) = cache.get(selection) {
            return Arc::clone(plan);
        }
        let plan = Arc::new(role_plan(self.catalog, selection));
        cache.insert(selection.clone(), Arc::clone(&plan));
        plan
    }

    /// A hire's whole checklist.
    pub(crate) fn checklist(&self, hire: &Hire) -> Checklist {
        checklist(hire, self.role_plan(&hire.selection))
    }
}

/// A task with its date worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DatedTask {
    /// Its place in the role plan's tasks.
    #[serde(skip)]
    pub index: usize,
    /// What to do.
    pub title: Arc<str>,
    /// Who does it.
    pub owner: Owner,
    /// The due expression from the catalogue.
    pub due: Due,
    /// The date it falls due.
    #[serde(serialize_with = "crate::day::serialize")]
    pub date: NaiveDate,
    /// Where to read about it.
    pub link: Option<Arc<str>>,
    /// What the link leads to: `Open`, `About Chorus`.
    pub link_label: Arc<str>,
    /// A finer grouping such as a pipeline phase.
    pub section: Option<Arc<str>>,
    /// The tools the task is about.
    pub tools: Arc<[ToolId]>,
    /// The access-request state that completes it.
    #[serde(skip)]
    pub done_when: Option<DoneWhen>,
}

/// The tasks of one owner within a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OwnerTasks {
    /// Who.
    pub owner: Owner,
    /// Display name of the owner, e.g. "New hire".
    pub owner_name: String,
    /// The owner's GitLab username, when known (manager, buddy, the hire).
    pub username: Option<String>,
    /// Their tasks, by date.
    pub tasks: Vec<DatedTask>,
}

/// One heading of the checklist: everything due before the start, or
/// everything due on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PhasePlan {
    /// E.g. "Before start", "Day 1", "Day 5 and Week 1".
    pub title: String,
    /// The earliest due date in the phase.
    #[serde(serialize_with = "crate::day::serialize")]
    pub first_date: NaiveDate,
    /// The latest due date in the phase.
    #[serde(serialize_with = "crate::day::serialize")]
    pub last_date: NaiveDate,
    /// The holidays (on weekdays) skipped since the previous heading.
    pub days_off: Vec<Holiday>,
    /// Tasks by owner, in a fixed owner order.
    pub owners: Vec<OwnerTasks>,
}

/// The people on the checklist, as the templates see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct People {
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

impl People {
    /// The people on a hire's checklist.
    pub(crate) fn of(hire: &Hire) -> Self {
        Self {
            name: hire.name.to_string(),
            email: hire.email.as_ref().map(ToString::to_string),
            username: hire.username.as_ref().map(ToString::to_string),
            manager: hire.manager.as_ref().map(ToString::to_string),
            buddy: hire.buddy.as_ref().map(ToString::to_string),
        }
    }
}

/// A personal, dated onboarding checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checklist {
    /// Who it is for.
    pub hire: People,
    /// Day 1.
    pub start: NaiveDate,
    /// When the whole checklist is due: start + 31 days, on a business day.
    pub due: NaiveDate,
    /// Start + 31 days, when that is not a business day and `due` was moved.
    pub due_moved_from: Option<NaiveDate>,
    /// Whose public holidays the dates skip.
    pub country: Option<Country>,
    /// A date falls in a year the country's holiday list does not cover.
    pub beyond_known_holidays: bool,
    /// Business day 15, when a reminder check-in is due.
    pub reminder: NaiveDate,
    /// The tasks, by phase then owner.
    pub phases: Vec<PhasePlan>,
    /// The role part, shared with every hire of the same selection.
    pub plan: Arc<RolePlan>,
}

impl Checklist {
    /// How many task boxes there are.
    pub(crate) fn task_count(&self) -> usize {
        self.plan.tasks.len()
    }

    /// Every dated task, phase by phase.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &DatedTask> {
        self.phases
            .iter()
            .flat_map(|p| p.owners.iter())
            .flat_map(|o| o.tasks.iter())
    }
}

/// Dates a hire's checklist on their calendar. Pure: everything it needs is
/// passed in.
pub(crate) fn checklist(hire: &Hire, plan: Arc<RolePlan>) -> Checklist {
    let calendar = &*hire.calendar;
    // Many tasks share a due expression; each is resolved once.
    let mut resolved: Vec<(Due, NaiveDate)> = Vec::new();
    let mut date_of = |due: Due| {
        if let Some((_, date)) = resolved.iter().find(|(d, _)| *d == due) {
            return *date;
        }
        let date = calendar.resolve(hire.start, due);
        resolved.push((due, date));
        date
    };
    let dated: Vec<DatedTask> = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| DatedTask {
            index,
            date: date_of(task.due),
            title: task.title.clone(),
            owner: task.owner.clone(),
            due: task.due,
            link: task.link.clone(),
            link_label: task.link_label.clone(),
            section: task.section.clone(),
            tools: task.tools.clone(),
            done_when: task.done_when,
        })
        .collect();
    let thirty_one = checklist_due(hire.start);
    let due = calendar.resolve(hire.start, Due::Deadline);
    let reminder = calendar.resolve(hire.start, Due::Day(15));
    let beyond_known_holidays = dated
        .iter()
        .map(|t| t.date)
        .chain([due])
        .any(|d| !calendar.knows_holidays_in(d));
    Checklist {
        hire: People::of(hire),
        start: hire.start,
        due,
        due_moved_from: (due != thirty_one).then_some(thirty_one),
        country: calendar.country().cloned(),
        beyond_known_holidays,
        reminder,
        phases: headings(dated, hire, calendar),
        plan,
    }
}

/// What a task is grouped under: before the start, or its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Heading {
    BeforeStart,
    On(NaiveDate),
}

/// Groups tasks under one heading for everything before the start and one
/// per date after it, so two due expressions that land on the same day
/// ("day 5", "week 1") share a heading.
fn headings(tasks: Vec<DatedTask>, hire: &Hire, calendar: &Calendar) -> Vec<PhasePlan> {
    let mut grouped: BTreeMap<Heading, BTreeMap<Owner, Vec<DatedTask>>> = BTreeMap::new();
    for task in tasks {
        let heading = match task.due {
            Due::BeforeStart(_) => Heading::BeforeStart,
            _ => Heading::On(task.date),
        };
        grouped
            .entry(heading)
            .or_default()
            .entry(task.owner.clone())
            .or_default()
            .push(task);
    }
    let mut previous: Option<NaiveDate> = None;
    grouped
        .into_values()
        .map(|owners| {
            let owners: Vec<OwnerTasks> = owners
                .into_iter()
                .map(|(owner, mut tasks)| {
                    tasks.sort_by_key(|t| t.date);
                    OwnerTasks {
                        owner_name: owner.to_string(),
                        username: username_of(&owner, hire).map(ToString::to_string),
                        owner,
                        tasks,
                    }
                })
                .collect();
            let tasks = || owners.iter().flat_map(|o| o.tasks.iter());
            let first_date = tasks().map(|t| t.date).min().unwrap_or(hire.start);
            let last_date = tasks().map(|t| t.date).max().unwrap_or(hire.start);
            let since = previous.unwrap_or_else(|| first_date.pred_opt().unwrap_or(first_date));
            previous = Some(last_date);
            PhasePlan {
                title: title_of(tasks().map(|t| t.due)),
                first_date,
                last_date,
                days_off: calendar.days_off_between(since, last_date),
                owners,
            }
        })
        .collect()
}

/// "Day 5 and Week 1": the due expressions of one heading, days first.
fn title_of(dues: impl Iterator<Item = Due>) -> String {
    let mut dues: Vec<Due> = dues.collect();
    dues.sort();
    dues.dedup();
    let mut labels: Vec<String> = dues.iter().map(|d| d.label()).collect();
    labels.dedup();
    and_list(&labels)
}

fn username_of<'h>(owner: &Owner, hire: &'h Hire) -> Option<&'h crate::hire::Username> {
    match owner.person()? {
        Person::Hire => hire.username.as_ref(),
        Person::Manager => hire.manager.as_ref(),
        Person::Buddy => hire.buddy.as_ref(),
    }
}

pub(crate) mod schedule;

#[cfg(test)]
mod tests;
