//! What `validate` checks about a catalogue's timing, on the plan of every
//! role anyone is hired into (with all its optional tools): a task due
//! before a tool it uses can arrive, two tasks of one owner about the same
//! tool close together (one intent asked twice), and a day too full.
//!
//! Dates are worked out for a Monday start with no holidays: the shape of a
//! plan, not one hire's calendar.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::calendar::{Calendar, Due};
use crate::catalog::{AccessMode, Catalog, Owner, TaskOrigin, Tool};
use crate::hire::Selection;

use super::{role_plan, PlannedTask, RolePlan};

/// The most tasks one owner is given on one day, unless the role's
/// `max_tasks_per_day` says otherwise.
pub(crate) const MAX_TASKS_PER_DAY: usize = 8;

/// Two tasks about one tool this many business days apart or closer ask
/// the same thing twice: the same day, or a week apart.
const REPEAT_WITHIN_DAYS: usize = 5;

/// A problem with one catalogue task: where, which field, and what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TaskProblem {
    /// The task.
    pub origin: TaskOrigin,
    /// The field the problem is about: `due`, `title` or `follows`.
    pub field: &'static str,
    /// What is wrong and what to do.
    pub message: String,
    /// Another task the message refers to.
    pub other: Option<TaskOrigin>,
}

/// When a tool can first be used: the day its access mode gives it.
pub(crate) fn arrival(tool: &Tool, access_request_days: u32) -> Due {
    match tool.access {
        AccessMode::Okta | AccessMode::Automatic | AccessMode::Colleague => Due::Day(1),
        AccessMode::Onboarding => Due::Week(1),
        // Approved before the start, then provisioned in that many business days.
        AccessMode::AccessRequest => Due::Day(1 + access_request_days),
    }
}

/// Every timing problem of every hireable role's plan, each task once.
pub(crate) fn check(catalog: &Catalog, access_request_days: u32) -> Vec<TaskProblem> {
    let mut found: BTreeMap<(TaskOrigin, &'static str), TaskProblem> = BTreeMap::new();
    for role in catalog.roles().iter().filter(|r| !r.layer) {
        let selection = Selection {
            role: role.id.clone(),
            with: role
                .tools
                .iter()
                .filter(|t| t.optional)
                .map(|t| t.tool.clone())
                .collect(),
            without: Vec::new(),
        };
        let plan = role_plan(catalog, &selection);
        let nominal = Nominal::new(&plan);
        let problems = nominal
            .too_early(access_request_days)
            .chain(nominal.repeats())
            .chain(nominal.unknown_follows())
            .chain(nominal.full_days(
                role.id.as_str(),
                role.max_tasks_per_day.unwrap_or(MAX_TASKS_PER_DAY),
            ));
        for problem in problems {
            found
                .entry((problem.origin.clone(), problem.field))
                .or_insert(problem);
        }
    }
    found.into_values().collect()
}

/// A plan's tasks dated for a Monday start with no holidays, each with the
/// tools it uses: its own, and those its title names.
struct Nominal<'p> {
    calendar: Calendar,
    start: NaiveDate,
    tasks: Vec<(&'p PlannedTask, NaiveDate, Vec<&'p Tool>)>,
    plan: &'p RolePlan,
}

impl<'p> Nominal<'p> {
    fn new(plan: &'p RolePlan) -> Self {
        let calendar = Calendar::default();
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
        let tasks = plan
            .tasks
            .iter()
            .map(|task| {
                let tools: Vec<&Tool> = plan
                    .tools
                    .iter()
                    .map(|h| &h.tool)
                    .filter(|t| task.tools.contains(&t.id) || t.named_in(&task.title))
                    .collect();
                (task, calendar.resolve(start, task.due), tools)
            })
            .collect();
        Self {
            calendar,
            start,
            tasks,
            plan,
        }
    }

    /// The catalogue's tasks (not the generated ones), with their origin.
    fn written(
        &self,
    ) -> impl Iterator<Item = (&'p PlannedTask, &TaskOrigin, NaiveDate, &[&'p Tool])> {
        self.tasks.iter().filter_map(|(task, date, tools)| {
            Some((*task, task.origin.as_ref()?, *date, tools.as_slice()))
        })
    }

    /// A person's task, from day 1 on, that uses a tool before it arrives.
    /// Teams' tasks before the start set tools up rather than use them.
    fn too_early(&self, access_request_days: u32) -> impl Iterator<Item = TaskProblem> + '_ {
        self.written()
            .filter(|(task, ..)| {
                task.owner.person().is_some() && !matches!(task.due, Due::BeforeStart(_))
            })
            .filter_map(move |(task, origin, date, tools)| {
                let (tool, arrives) = tools
                    .iter()
                    .map(|t| (*t, arrival(t, access_request_days)))
                    .find(|(_, arrives)| date < self.calendar.resolve(self.start, *arrives))?;
                Some(TaskProblem {
                    origin: origin.clone(),
                    field: "due",
                    message: format!(
                        "the task is due {} but uses {}, which cannot arrive before {arrives} ({}); make it due {arrives} or later",
                        task.due,
                        tool.short_name(),
                        tool.how_to_get_it()
                    ),
                    other: None,
                })
            })
    }

    /// Two tasks of one owner that name the same tool a week apart or
    /// closer, neither saying it `follows` the other.
    fn repeats(&self) -> impl Iterator<Item = TaskProblem> + '_ {
        let written: Vec<_> = self.written().collect();
        let mut problems = Vec::new();
        for (later_at, (later, origin, date, tools)) in written.iter().enumerate() {
            let earlier = written[..later_at].iter().find_map(
                |(first, first_origin, first_date, first_tools)| {
                    let shared = tools
                        .iter()
                        .find(|t| first_tools.iter().any(|f| f.id == t.id))?;
                    let (from, to) = if first_date <= date {
                        (*first_date, *date)
                    } else {
                        (*date, *first_date)
                    };
                    let close = self.calendar.business_days_after(from, to) <= REPEAT_WITHIN_DAYS;
                    let linked = follows(later, first) || follows(first, later);
                    (first.owner == later.owner && close && !linked)
                        .then_some((*first_origin, shared))
                },
            );
            if let Some((first_origin, tool)) = earlier {
                problems.push(TaskProblem {
                    origin: (*origin).clone(),
                    field: "title",
                    message: format!(
                        "this task and an earlier one are both about {} for {}, within a week of each other: make them one task, or give the earlier an 'id:' and say 'follows: <id>' here if this one deliberately comes back to it",
                        tool.short_name(),
                        later.owner
                    ),
                    other: Some(first_origin.clone()),
                });
            }
        }
        problems.into_iter()
    }

    /// A `follows:` that names no task of the role.
    fn unknown_follows(&self) -> impl Iterator<Item = TaskProblem> + '_ {
        self.written().filter_map(|(task, origin, ..)| {
            let wanted = task.follows.as_deref()?;
            let known = self
                .written()
                .any(|(other, ..)| other.id.as_deref() == Some(wanted));
            (!known).then(|| TaskProblem {
                origin: origin.clone(),
                field: "follows",
                message: format!(
                    "'follows: {wanted}' names no task of {}; give the task it comes back to 'id: {wanted}'",
                    self.plan.role.id
                ),
                other: None,
            })
        })
    }

    /// A day with more than `limit` tasks of one owner, reported at the
    /// first of them the catalogue writes.
    fn full_days<'a>(
        &'a self,
        role: &'a str,
        limit: usize,
    ) -> impl Iterator<Item = TaskProblem> + 'a {
        let mut days: BTreeMap<(NaiveDate, &Owner), Vec<&PlannedTask>> = BTreeMap::new();
        for (task, date, _) in &self.tasks {
            days.entry((*date, &task.owner)).or_default().push(task);
        }
        days.into_iter()
            .filter(move |(_, tasks)| tasks.len() > limit)
            .filter_map(move |((_, owner), tasks)| {
                let origin = tasks.iter().find_map(|t| t.origin.as_ref())?;
                let dues: BTreeSet<String> = tasks.iter().map(|t| t.due.to_string()).collect();
                let dues: Vec<String> = dues.into_iter().collect();
                Some(TaskProblem {
                    origin: origin.clone(),
                    field: "due",
                    message: format!(
                        "{} tasks for {owner} fall on one day ({}) for a {role}, more than {limit}: spread them over other days, or say 'max_tasks_per_day:' in the role",
                        tasks.len(),
                        dues.join(", ")
                    ),
                    other: None,
                })
            })
    }
}

/// Whether `task` says it comes back to `other`.
fn follows(task: &PlannedTask, other: &PlannedTask) -> bool {
    task.follows.is_some() && task.follows == other.id
}
