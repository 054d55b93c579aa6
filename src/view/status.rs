//! The data of `status`: the JSON report, the terminal table and the HTML page.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::catalog::Owner;
use crate::lifecycle::RemovalProgress;
use crate::status::{AccessState, Day1, HireStatus, IssueState, Kind, TaskRef, Unverified};

/// `status --json`: the stable, documented shape.
#[derive(Debug, Serialize)]
pub(crate) struct StatusReport<'a> {
    /// The day overdue work was judged by.
    pub as_of: NaiveDate,
    /// One entry per hire.
    pub hires: &'a [HireStatus],
}

/// One row of the terminal table.
#[derive(Debug, Serialize)]
pub(super) struct StatusRow {
    name: String,
    start: String,
    bar: String,
    tasks: String,
    overdue: String,
    overdue_color: &'static str,
    access: String,
    ready: &'static str,
    ready_color: &'static str,
    /// Overdue work by owner, e.g. `manager 2, new hire 5`; empty when none.
    overdue_by_owner: String,
}

/// An access request whose claimed progress does not count.
#[derive(Debug, Serialize)]
pub(super) struct UnverifiedRow {
    name: String,
    systems: String,
    claim: String,
}

/// A mover's or leaver's removal of access, in the table and on the page.
#[derive(Debug, Serialize)]
pub(super) struct MoveRow {
    name: String,
    /// `3/21 systems removed`.
    removed: String,
    url: String,
    overdue: bool,
}

/// Access that ends soon or has ended, in the table and on the page.
#[derive(Debug, Serialize)]
pub(super) struct ExpiryRow {
    name: String,
    systems: String,
    until: NaiveDate,
    /// `expires in 3 days`, `expired`.
    label: String,
}

/// The removal rows of every person of `kind`, from `progress`.
fn move_rows(
    hires: &[HireStatus],
    kind: Kind,
    progress: impl Fn(&HireStatus) -> Option<&RemovalProgress>,
) -> Vec<MoveRow> {
    hires
        .iter()
        .filter(|h| h.kind == kind)
        .filter_map(|h| {
            progress(h).map(|p| MoveRow {
                name: h.name.clone(),
                removed: format!("{}/{} systems removed", p.systems_done, p.systems_total),
                url: p.url.clone(),
                overdue: p.overdue,
            })
        })
        .collect()
}

/// Every access request whose access ends soon or has ended.
fn expiry_rows(hires: &[HireStatus]) -> Vec<ExpiryRow> {
    hires
        .iter()
        .flat_map(|h| {
            h.access.iter().filter_map(|a| {
                Some(ExpiryRow {
                    name: h.name.clone(),
                    systems: a.systems.join(", "),
                    until: a.until?,
                    label: a.expiry?.label(),
                })
            })
        })
        .collect()
}

/// Leavers, movers and access that ends: the sections after the hires.
#[derive(Debug, Serialize)]
pub(super) struct Moves {
    leavers: Vec<MoveRow>,
    movers: Vec<MoveRow>,
    expiring: Vec<ExpiryRow>,
}

impl Moves {
    fn of(hires: &[HireStatus]) -> Self {
        Self {
            leavers: move_rows(hires, Kind::Leaver, |h| h.offboarding.as_ref()),
            movers: move_rows(hires, Kind::Mover, |h| h.removal.as_ref()),
            expiring: expiry_rows(hires),
        }
    }
}

/// `status.txt.hbs`: one row per hire, then who has overdue work, then
/// progress that does not count, then leavers, movers and ending access.
#[derive(Debug, Serialize)]
pub(crate) struct StatusTable {
    as_of: NaiveDate,
    rows: Vec<StatusRow>,
    any_overdue: bool,
    unverified: Vec<UnverifiedRow>,
    /// Open duplicate issues, by hire: `(name, url)`.
    duplicates: Vec<(String, String)>,
    #[serde(flatten)]
    moves: Moves,
}

/// `unverified (approved by @mallory)`: what a claim is, and who made it.
fn claim_text(claim: &Unverified) -> String {
    let what = match claim.claimed {
        AccessState::Done => "closed",
        other => label(other),
    };
    match &claim.by {
        Some(user) => format!("unverified ({what} by @{user})"),
        None => format!("unverified ({what})"),
    }
}

/// How many tasks each owner has, e.g. `new hire 5, manager 2`.
fn by_owner(tasks: &[TaskRef]) -> String {
    let mut counts: BTreeMap<&Owner, usize> = BTreeMap::new();
    for task in tasks {
        *counts.entry(&task.owner).or_default() += 1;
    }
    counts
        .iter()
        .map(|(owner, n)| format!("{owner} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A progress bar of `width` cells.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "·".repeat(width - filled))
}

impl StatusTable {
    /// The table; colour names are left empty when colour is off.
    pub(crate) fn of(hires: &[HireStatus], as_of: NaiveDate, color: bool) -> Self {
        let paint = |name: &'static str| if color { name } else { "" };
        let rows = hires
            .iter()
            .map(|h| {
                let progress = &h.onboarding;
                let done = h
                    .access
                    .iter()
                    .filter(|a| a.state == AccessState::Done)
                    .count();
                StatusRow {
                    name: h.name.clone(),
                    start: h.start.map(|d| d.to_string()).unwrap_or_default(),
                    bar: match progress.state {
                        IssueState::Missing => "(no onboarding issue)".to_string(),
                        _ => bar(progress.tasks_done, progress.tasks_total, 12),
                    },
                    tasks: format!("{}/{}", progress.tasks_done, progress.tasks_total),
                    overdue: progress.overdue.len().to_string(),
                    overdue_color: paint(if progress.overdue.is_empty() {
                        "green"
                    } else {
                        "red"
                    }),
                    access: format!("{done}/{} done", h.access.len()),
                    ready: h.day1.label(),
                    ready_color: paint(match h.day1 {
                        Day1::Ready => "green",
                        Day1::Pending => "",
                        Day1::AtRisk | Day1::Unknown => "yellow",
                        Day1::Late => "red",
                    }),
                    overdue_by_owner: by_owner(&progress.overdue),
                }
            })
            .collect();
        let unverified = hires
            .iter()
            .flat_map(|h| {
                h.access.iter().filter_map(|a| {
                    a.unverified.as_ref().map(|claim| UnverifiedRow {
                        name: h.name.clone(),
                        systems: a.systems.join(", "),
                        claim: claim_text(claim),
                    })
                })
            })
            .collect();
        Self {
            as_of,
            any_overdue: hires.iter().any(|h| !h.onboarding.overdue.is_empty()),
            rows,
            unverified,
            duplicates: hires
                .iter()
                .flat_map(|h| h.duplicates.iter().map(|url| (h.name.clone(), url.clone())))
                .collect(),
            moves: Moves::of(hires),
        }
    }
}

/// The overdue tasks of one owner, on the page.
#[derive(Debug, Serialize)]
pub(super) struct PageOwner<'a> {
    owner_name: String,
    tasks: Vec<&'a TaskRef>,
}

/// One day of a hire's first month, on the page's timeline.
#[derive(Debug, Serialize)]
pub(super) struct PageDay {
    day: u32,
    date: NaiveDate,
    weekend: bool,
    done: usize,
    overdue: usize,
    upcoming: usize,
    title: String,
}

/// One access request, on the page.
#[derive(Debug, Serialize)]
pub(super) struct PageAccess<'a> {
    url: Option<&'a str>,
    systems: String,
    state: AccessState,
    label: String,
}

/// One hire, on the page.
#[derive(Debug, Serialize)]
pub(super) struct PageHire<'a> {
    name: &'a str,
    email: &'a str,
    role: Option<&'a str>,
    start: Option<NaiveDate>,
    url: Option<&'a str>,
    state: IssueState,
    tasks_done: usize,
    tasks_total: usize,
    percent: usize,
    overdue_count: usize,
    overdue: Vec<PageOwner<'a>>,
    next: &'a [TaskRef],
    access: Vec<PageAccess<'a>>,
    ready: bool,
    day1: Day1,
    day1_label: &'static str,
    timeline: Vec<PageDay>,
}

/// `status.html.hbs`: a self-contained page, every hire's progress.
#[derive(Debug, Serialize)]
pub(crate) struct StatusPage<'a> {
    as_of: NaiveDate,
    hire_count: usize,
    overdue_total: usize,
    not_ready: usize,
    hires: Vec<PageHire<'a>>,
    #[serde(flatten)]
    moves: Moves,
}

fn label(state: AccessState) -> &'static str {
    match state {
        AccessState::Missing => "missing",
        AccessState::AwaitingApproval => "awaiting approval",
        AccessState::Approved => "approved",
        AccessState::ReadyForProvisioning => "ready for provisioning",
        AccessState::Done => "done",
    }
}

/// The first month from the start, a day at a time.
fn timeline(hire: &HireStatus, as_of: NaiveDate) -> Vec<PageDay> {
    let Some(start) = hire.start else {
        return Vec::new();
    };
    (0..32)
        .filter_map(|n| start.checked_add_days(Days::new(n)))
        .map(|date| {
            let due: Vec<&TaskRef> = hire
                .onboarding
                .tasks
                .iter()
                .filter(|t| t.due == date)
                .collect();
            let done = due.iter().filter(|t| t.done).count();
            let overdue = due.iter().filter(|t| !t.done && t.due < as_of).count();
            PageDay {
                day: date.day(),
                date,
                weekend: date.weekday().num_days_from_monday() >= 5,
                done,
                overdue,
                upcoming: due.len() - done - overdue,
                title: format!("{date}: {} due, {done} done, {overdue} overdue", due.len()),
            }
        })
        .collect()
}

impl<'a> StatusPage<'a> {
    /// The page of every hire's status.
    pub(crate) fn of(hires: &'a [HireStatus], as_of: NaiveDate) -> Self {
        let page_hires = hires
            .iter()
            .map(|h| {
                let progress = &h.onboarding;
                let mut by_owner: BTreeMap<&Owner, Vec<&TaskRef>> = BTreeMap::new();
                for task in &progress.overdue {
                    by_owner.entry(&task.owner).or_default().push(task);
                }
                let owners: Vec<PageOwner> = by_owner
                    .into_iter()
                    .map(|(owner, tasks)| PageOwner {
                        owner_name: owner.to_string(),
                        tasks,
                    })
                    .collect();
                PageHire {
                    name: &h.name,
                    email: &h.email,
                    role: h.role.as_deref(),
                    start: h.start,
                    url: progress.url.as_deref(),
                    state: progress.state,
                    tasks_done: progress.tasks_done,
                    tasks_total: progress.tasks_total,
                    percent: (progress.tasks_done * 100)
                        .checked_div(progress.tasks_total)
                        .unwrap_or(0),
                    overdue_count: progress.overdue.len(),
                    overdue: owners,
                    next: &progress.next,
                    access: h
                        .access
                        .iter()
                        .map(|a| PageAccess {
                            url: a.url.as_deref(),
                            systems: a.systems.join(", "),
                            state: a.state,
                            label: a
                                .unverified
                                .as_ref()
                                .map_or_else(|| label(a.state).to_string(), claim_text),
                        })
                        .collect(),
                    ready: h.ready_for_day1,
                    day1: h.day1,
                    day1_label: h.day1.label(),
                    timeline: timeline(h, as_of),
                }
            })
            .collect();
        Self {
            as_of,
            hire_count: hires.len(),
            overdue_total: hires.iter().map(|h| h.onboarding.overdue.len()).sum(),
            not_ready: hires.iter().filter(|h| !h.ready_for_day1).count(),
            hires: page_hires,
            moves: Moves::of(hires),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(0, 10, 4), "[····]");
        assert_eq!(bar(5, 10, 4), "[##··]");
        assert_eq!(bar(10, 10, 4), "[####]");
        assert_eq!(bar(0, 0, 4), "[····]");
    }
}
