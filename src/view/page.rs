//! The checklist document, rendered fast: what is the same for every hire of
//! a role and tool selection (the tools table, the optional tools, the
//! bookmarks, each task line but its date) is escaped and rendered once, and
//! each hire's template gets only their dates and people.
//!
//! Caching is safe because it is keyed on exactly what a template sees: the
//! cached part is its own template, `checklist-tools.md`, whose data holds
//! nothing about the hire, and every helper is pure. A templates folder that
//! replaces `checklist.md` gets, on top, the whole structured data of
//! [`ChecklistView`](super::ChecklistView) for every hire, as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use serde::Serialize;

use super::{phase_views, ChecklistHead, PhaseView};
use crate::catalog::{Bookmark, Person};
use crate::day::push_day;
use crate::hire::{Hire, Selection};
use crate::plan::{Checklist, DatedTask, HireTool, OwnerTasks, PlannedTask, Plans, RolePlan};
use crate::render::{self, encode_url, markdown_inert, RenderFailure, Renderer};

/// `checklist-tools.md.hbs`: the part of a checklist the hire's own data
/// cannot reach.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistTools<'a> {
    /// Tools and how each is reached.
    pub tools: &'a [HireTool],
    /// The role's optional tools the hire does not have.
    pub also_available: &'a [HireTool],
    /// Links to keep.
    pub bookmarks: &'a [Bookmark],
}

impl<'a> ChecklistTools<'a> {
    /// The tools part of a role plan.
    pub(crate) fn of(plan: &'a RolePlan) -> Self {
        Self {
            tools: &plan.tools,
            also_available: &plan.also_available,
            bookmarks: &plan.bookmarks,
        }
    }
}

/// A task line, escaped once for every hire: all of it but the box, the
/// owner and the date.
#[derive(Debug)]
struct TaskLine {
    /// `Title (Section), due `.
    head: String,
    /// `. [Open](https://…)`, or nothing.
    tail: String,
}

impl TaskLine {
    fn of(task: &PlannedTask) -> Self {
        let mut head = markdown_inert(&task.title);
        if let Some(section) = &task.section {
            head.push_str(&format!(" ({})", markdown_inert(section)));
        }
        head.push_str(", due ");
        let tail = task.link.as_ref().map_or_else(String::new, |link| {
            format!(
                ". [{}]({})",
                markdown_inert(&task.link_label),
                encode_url(link)
            )
        });
        Self { head, tail }
    }

    /// Appends the line, due on `date`, to `text`; `owner` leads it when
    /// the heading does not say whose it is.
    fn write_on(&self, owner: Option<&str>, date: NaiveDate, text: &mut String) {
        text.push_str("- [ ] ");
        if let Some(owner) = owner {
            text.push_str(owner);
            text.push_str(": ");
        }
        text.push_str(&self.head);
        push_day(date, text);
        text.push_str(&self.tail);
        text.push('\n');
    }
}

/// What one role plan's checklists share, rendered once.
#[derive(Debug)]
pub(crate) struct RoleText {
    /// `checklist-tools.md`, rendered.
    tools_section: String,
    /// Each task's line, by the task's index in the plan.
    lines: Vec<TaskLine>,
}

impl RoleText {
    /// A plan's task lines, with its tools part rendered already.
    pub(crate) fn of(plan: &RolePlan, tools_section: String) -> Self {
        Self {
            tools_section,
            lines: plan.tasks.iter().map(TaskLine::of).collect(),
        }
    }
}

/// One owner's tasks under a heading of the checklist.
#[derive(Debug, Serialize)]
pub(crate) struct PageTasks<'a> {
    /// The tasks as finished Markdown lines (`- [ ] …, due Mon 2026-12-07.
    /// [Open](…)`), each ending in a line break, escaped already: printed
    /// with `{{{task_lines}}}`.
    pub task_lines: String,
    /// The tasks themselves.
    pub tasks: &'a [DatedTask],
}

/// `checklist.md.hbs`: one hire's dates and people, and the shared parts
/// rendered already.
#[derive(Debug, Serialize)]
pub(crate) struct ChecklistPage<'a> {
    /// Dates and people.
    #[serde(flatten)]
    pub head: ChecklistHead<'a>,
    /// Tasks by heading, then owner.
    pub phases: Vec<PhaseView<'a, PageTasks<'a>>>,
    /// `checklist-tools.md`, rendered: printed with `{{{tools_section}}}`.
    pub tools_section: &'a str,
    /// The tools, optional tools and bookmarks, for a templates folder's
    /// own `checklist.md`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub parts: Option<ChecklistTools<'a>>,
}

/// Renders checklist documents, sharing what hires of one selection have in
/// common; safe to use from every thread.
pub(crate) struct ChecklistPages<'w> {
    renderer: &'w Renderer,
    plans: &'w Plans<'w>,
    /// `checklist.md` is a templates folder's: give it all the data.
    structured: bool,
    shared: Mutex<HashMap<Selection, Arc<RoleText>>>,
}

impl<'w> ChecklistPages<'w> {
    /// Pages rendered with `renderer`'s `checklist.md` and `checklist-tools.md`.
    pub(crate) fn new(renderer: &'w Renderer, plans: &'w Plans<'w>) -> Self {
        Self {
            renderer,
            plans,
            structured: !renderer.is_stock(render::CHECKLIST),
            shared: Mutex::default(),
        }
    }

    /// A hire's checklist document and how many tasks it has.
    pub(crate) fn render(&self, hire: &Hire) -> Result<(String, usize), RenderFailure> {
        let checklist = self.plans.checklist(hire);
        let text = self.render_checklist(&checklist)?;
        Ok((text, checklist.task_count()))
    }

    /// The document of a checklist planned already.
    pub(crate) fn render_checklist(&self, checklist: &Checklist) -> Result<String, RenderFailure> {
        let shared = self.shared(checklist)?;
        let page = ChecklistPage::of(checklist, &shared, self.structured);
        self.renderer.render(render::CHECKLIST, &page)
    }

    fn shared(&self, checklist: &Checklist) -> Result<Arc<RoleText>, RenderFailure> {
        let selection = &checklist.plan.selection;
        if let Some(text) = self.lock().get(selection) {
            return Ok(Arc::clone(text));
        }
        let plan = &checklist.plan;
        let tools = self
            .renderer
            .render(render::CHECKLIST_TOOLS, &ChecklistTools::of(plan))?;
        let text = Arc::new(RoleText::of(plan, tools));
        self.lock().insert(selection.clone(), Arc::clone(&text));
        Ok(text)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Selection, Arc<RoleText>>> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<'a> ChecklistPage<'a> {
    /// A hire's page; `structured` adds the data a templates folder's own
    /// `checklist.md` may use.
    pub(crate) fn of(checklist: &'a Checklist, shared: &'a RoleText, structured: bool) -> Self {
        let lines = |owner: Option<&str>, tasks: &[DatedTask], text: &mut String| {
            for task in tasks {
                shared.lines[task.index].write_on(owner, task.date, text);
            }
        };
        let phases = phase_views(
            checklist,
            structured,
            |phase| {
                // The hire's own work first; everyone else's under one heading.
                let (own, others): (Vec<&OwnerTasks>, Vec<&OwnerTasks>) =
                    phase.owners.iter().partition(|o| o.owner.is(Person::Hire));
                let tasks: usize = phase.owners.iter().map(|o| o.tasks.len()).sum();
                let mut text = String::with_capacity(64 + tasks * LINE_ROOM);
                for owner in own {
                    text.push_str(&format!("### {}\n\n", owner_label(owner)));
                    lines(None, &owner.tasks, &mut text);
                    text.push('\n');
                }
                if !others.is_empty() {
                    text.push_str("### Done for you\n\n");
                    for owner in others {
                        lines(Some(&owner_label(owner)), &owner.tasks, &mut text);
                    }
                    text.push('\n');
                }
                text.pop();
                Some(text)
            },
            |tasks| PageTasks {
                task_lines: {
                    let mut text = String::new();
                    lines(None, tasks, &mut text);
                    text
                },
                tasks,
            },
        );
        ChecklistPage {
            head: ChecklistHead::of(checklist),
            phases,
            tools_section: &shared.tools_section,
            parts: structured.then(|| ChecklistTools::of(&checklist.plan)),
        }
    }
}

/// Room for a task line, so a heading's lines are rarely copied as they grow.
const LINE_ROOM: usize = 160;

/// `Manager (@mgr.jones)`: who, escaped, and their username when known.
fn owner_label(owner: &OwnerTasks) -> String {
    let mut label = markdown_inert(&owner.owner_name);
    if let Some(username) = &owner.username {
        label.push_str(&format!(" (@{username})"));
    }
    label
}
