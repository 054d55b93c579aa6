//! Reading a hire's onboarding back from GitLab: progress, overdue work by
//! owner, the next tasks due, the state of each access request, and whether
//! day 1 is ready; and the reminder note for overdue work. Pure: the
//! command reads the issues, this module judges them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::Marker;
use crate::calendar::Calendar;
use crate::catalog::Owner;
use crate::gitlab::Issue;
use crate::onboarding::read_tasks;

/// Starts the hidden line of a reminder note, which says the day it was for.
pub const REMINDER_MARKER: &str = "<!-- onboard-reminder date:";

/// Where an access request stands, read from GitLab's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessState {
    /// Planned, but no issue was found.
    Missing,
    /// `AR-Approval::Needs Manager Approval`.
    AwaitingApproval,
    /// `AR-Approval::Manager Approved`.
    Approved,
    /// `ReadyForProvisioning`.
    ReadyForProvisioning,
    /// Closed.
    Done,
}

impl AccessState {
    /// The state of an access-request issue. A scoped label can only be
    /// present once, so the furthest label present wins.
    pub fn of(issue: &Issue) -> Self {
        let has = |label: &str| issue.labels.iter().any(|l| l.eq_ignore_ascii_case(label));
        if !issue.is_open() {
            AccessState::Done
        } else if has("ReadyForProvisioning") {
            AccessState::ReadyForProvisioning
        } else if has("AR-Approval::Manager Approved") {
            AccessState::Approved
        } else {
            AccessState::AwaitingApproval
        }
    }
}

/// A task as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRef {
    /// What to do.
    pub task: String,
    /// Who does it.
    pub owner: Owner,
    /// The owner's GitLab username, when the issue names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// When it is due.
    pub due: NaiveDate,
    /// Ticked.
    #[serde(skip)]
    pub done: bool,
}

/// Open, closed, or not filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueState {
    /// The issue is open.
    Open,
    /// The issue is closed: onboarding is finished.
    Closed,
    /// No onboarding issue was found.
    Missing,
}

/// The onboarding issue's progress.
#[derive(Debug, Clone, Serialize)]
pub struct OnboardingProgress {
    /// The issue, when there is one.
    pub url: Option<String>,
    /// Open, closed or missing.
    pub state: IssueState,
    /// Ticked boxes.
    pub tasks_done: usize,
    /// All boxes.
    pub tasks_total: usize,
    /// Not ticked and due before the as-of date, by due date.
    pub overdue: Vec<TaskRef>,
    /// The next three not ticked, due on or after the as-of date.
    pub next: Vec<TaskRef>,
    /// Every task, for the page's timeline.
    #[serde(skip)]
    pub tasks: Vec<TaskRef>,
}

/// One access request's state.
#[derive(Debug, Clone, Serialize)]
pub struct AccessProgress {
    /// The issue; `None` when it is missing.
    pub url: Option<String>,
    /// The systems it asks for, by name.
    pub systems: Vec<String>,
    /// Where it stands.
    pub state: AccessState,
}

/// Everything `status` says about one hire.
#[derive(Debug, Clone, Serialize)]
pub struct HireStatus {
    /// Full name.
    pub name: String,
    /// Work email.
    pub email: String,
    /// Catalogue role id, when known.
    pub role: Option<String>,
    /// Day 1, when known.
    pub start: Option<NaiveDate>,
    /// The onboarding issue.
    pub onboarding: OnboardingProgress,
    /// Each access request.
    pub access: Vec<AccessProgress>,
    /// False when an access request is not done and day 1 is at most two
    /// business days away, or already past.
    pub ready_for_day1: bool,
}

/// What was read about one hire.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The name, when known from the roster or flags.
    pub name: Option<String>,
    /// The work email.
    pub email: String,
    /// The role id, when known from the roster or flags.
    pub role: Option<String>,
    /// Day 1, when known from the roster or flags.
    pub start: Option<NaiveDate>,
    /// The onboarding issue and its marker.
    pub onboarding: Option<(Issue, Marker)>,
    /// The access-request issues and their markers.
    pub access: Vec<(Issue, Marker)>,
    /// The systems that should have requests, by id and name.
    pub planned: Vec<(String, String)>,
    /// The tasks as planned, for a hire with no onboarding issue yet.
    pub planned_tasks: Vec<TaskRef>,
}

/// Judges what was read as of a day.
pub fn assess(evidence: Evidence, as_of: NaiveDate, calendar: &Calendar) -> HireStatus {
    let marker = evidence.onboarding.as_ref().map(|(_, m)| m);
    let start = evidence.start.or_else(|| marker.and_then(|m| m.start));
    let role = evidence
        .role
        .clone()
        .or_else(|| marker.and_then(|m| m.role.clone()));
    let name = evidence
        .name
        .clone()
        .or_else(|| {
            let (issue, _) = evidence.onboarding.as_ref()?;
            let rest = issue.title.strip_prefix("Onboarding: ")?;
            Some(rest.split(", starting ").next()?.to_string())
        })
        .unwrap_or_else(|| evidence.email.clone());
    let onboarding = progress(&evidence, as_of);
    let access = access_progress(&evidence);
    let all_done = access.iter().all(|a| a.state == AccessState::Done);
    let close = start.is_some_and(|start| calendar.add_business_days(as_of, 2) >= start);
    HireStatus {
        name,
        email: evidence.email,
        role,
        start,
        onboarding,
        access,
        ready_for_day1: all_done || !close,
    }
}

fn progress(evidence: &Evidence, as_of: NaiveDate) -> OnboardingProgress {
    let (url, state, mut tasks) = match &evidence.onboarding {
        Some((issue, _)) => {
            let tasks = read_tasks(issue.description.as_deref().unwrap_or_default())
                .into_iter()
                .map(|t| TaskRef {
                    task: t.title,
                    owner: t.owner,
                    username: t.username,
                    due: t.due,
                    done: t.done,
                })
                .collect();
            let state = if issue.is_open() {
                IssueState::Open
            } else {
                IssueState::Closed
            };
            (Some(issue.web_url.clone()), state, tasks)
        }
        None => (None, IssueState::Missing, evidence.planned_tasks.clone()),
    };
    tasks.sort_by_key(|t| (t.due, t.owner));
    let open_tasks = || tasks.iter().filter(|t| !t.done);
    OnboardingProgress {
        url,
        state,
        tasks_done: tasks.iter().filter(|t| t.done).count(),
        tasks_total: tasks.len(),
        overdue: if state == IssueState::Closed {
            Vec::new()
        } else {
            open_tasks().filter(|t| t.due < as_of).cloned().collect()
        },
        next: open_tasks()
            .filter(|t| t.due >= as_of)
            .take(3)
            .cloned()
            .collect(),
        tasks,
    }
}

fn access_progress(evidence: &Evidence) -> Vec<AccessProgress> {
    let name_of = |id: &str| {
        evidence
            .planned
            .iter()
            .find(|(tool, _)| tool == id)
            .map_or_else(|| id.to_string(), |(_, name)| name.clone())
    };
    let mut found: Vec<AccessProgress> = evidence
        .access
        .iter()
        .filter(|(issue, marker)| {
            // A closed issue whose systems all have another issue is a
            // closed duplicate, not the request itself.
            issue.is_open()
                || !marker.systems.iter().all(|s| {
                    evidence
                        .access
                        .iter()
                        .any(|(other, m)| other.iid < issue.iid && m.systems.contains(s))
                })
        })
        .map(|(issue, marker)| AccessProgress {
            url: Some(issue.web_url.clone()),
            systems: marker.systems.iter().map(|s| name_of(s)).collect(),
            state: AccessState::of(issue),
        })
        .collect();
    let missing: Vec<String> = evidence
        .planned
        .iter()
        .filter(|(id, _)| !evidence.access.iter().any(|(_, m)| m.systems.contains(id)))
        .map(|(_, name)| name.clone())
        .collect();
    if !missing.is_empty() {
        found.push(AccessProgress {
            url: None,
            systems: missing,
            state: AccessState::Missing,
        });
    }
    found
}

/// The overdue tasks of one owner, for a reminder.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerOverdue {
    /// Display name, e.g. "Manager".
    pub owner_name: String,
    /// Their username, mentioned.
    pub username: Option<String>,
    /// Their overdue tasks.
    pub tasks: Vec<TaskRef>,
}

/// `reminder.md.hbs`: the note that lists a hire's overdue work by owner.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// The hire.
    pub name: String,
    /// The day it is for.
    pub as_of: NaiveDate,
    /// Overdue work by owner.
    pub owners: Vec<OwnerOverdue>,
}

impl Reminder {
    /// The reminder for a hire's overdue work; `None` when nothing is overdue.
    pub fn of(status: &HireStatus, as_of: NaiveDate) -> Option<Self> {
        if status.onboarding.overdue.is_empty() || status.onboarding.url.is_none() {
            return None;
        }
        let mut owners: BTreeMap<Owner, OwnerOverdue> = BTreeMap::new();
        for task in &status.onboarding.overdue {
            let entry = owners.entry(task.owner).or_insert_with(|| OwnerOverdue {
                owner_name: task.owner.to_string(),
                username: task.username.clone(),
                tasks: Vec::new(),
            });
            entry.tasks.push(task.clone());
        }
        Some(Self {
            name: status.name.clone(),
            as_of,
            owners: owners.into_values().collect(),
        })
    }

    /// The hidden line that marks the note as this day's reminder.
    pub fn marker(&self) -> String {
        format!("{REMINDER_MARKER} {} -->\n", self.as_of)
    }
}

/// True when `body` is the reminder for `as_of`.
pub fn is_reminder_for(body: &str, as_of: NaiveDate) -> bool {
    body.lines().any(|line| {
        line.trim()
            .strip_prefix(REMINDER_MARKER)
            .and_then(|rest| rest.trim().strip_suffix("-->"))
            .is_some_and(|date| date.trim() == as_of.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitlab::{IssueState as State, User};

    fn issue(iid: u64, labels: &[&str], open: bool, description: &str) -> Issue {
        Issue {
            iid,
            title: "Onboarding: Ada Lovelace, starting 2026-12-07, as SAL".into(),
            description: Some(description.into()),
            web_url: format!("https://gitlab.test/x/-/issues/{iid}"),
            state: if open { State::Opened } else { State::Closed },
            author: Some(User {
                id: 1,
                username: "bot".into(),
            }),
            labels: labels.iter().map(ToString::to_string).collect(),
            due_date: None,
        }
    }

    fn marker(systems: &[&str]) -> Marker {
        Marker {
            kind: "request",
            key: "k".into(),
            systems: systems.iter().map(ToString::to_string).collect(),
            start: "2026-12-07".parse().ok(),
            role: None,
        }
    }

    const BODY: &str = "### Manager (@mgr.jones)\n\n- [x] Approve it · due Thu 2026-12-03 <!-- onboard-task id:aa owner:manager due:2026-12-03 -->\n- [ ] Meet them · due Mon 2026-12-07 <!-- onboard-task id:bb owner:manager due:2026-12-07 -->\n\n### New hire\n\n- [ ] Read the playbook · due Wed 2026-12-09 <!-- onboard-task id:cc owner:new-hire due:2026-12-09 -->\n- [ ] Plan · due Fri 2026-12-11 <!-- onboard-task id:dd owner:new-hire due:2026-12-11 -->\n";

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn access_states_come_from_labels_and_state() {
        assert_eq!(
            AccessState::of(&issue(
                1,
                &["AR-Approval::Needs Manager Approval"],
                true,
                ""
            )),
            AccessState::AwaitingApproval
        );
        assert_eq!(
            AccessState::of(&issue(1, &["AR-Approval::Manager Approved"], true, "")),
            AccessState::Approved
        );
        assert_eq!(
            AccessState::of(&issue(
                1,
                &["AR-Approval::Manager Approved", "ReadyForProvisioning"],
                true,
                ""
            )),
            AccessState::ReadyForProvisioning
        );
        assert_eq!(
            AccessState::of(&issue(1, &[], false, "")),
            AccessState::Done
        );
    }

    fn evidence() -> Evidence {
        Evidence {
            email: "ada@example.com".into(),
            onboarding: Some((
                issue(5, &["onboarding"], true, BODY),
                marker(&["checklist"]),
            )),
            access: vec![(
                issue(1, &["AR-Approval::Manager Approved"], true, ""),
                marker(&["clari"]),
            )],
            planned: vec![
                ("clari".into(), "Clari".into()),
                ("outreach".into(), "Outreach.io".into()),
            ],
            ..Evidence::default()
        }
    }

    #[test]
    fn progress_overdue_and_next_are_read_from_the_issue() {
        let status = assess(evidence(), date("2026-12-10"), &Calendar::default());
        assert_eq!(status.name, "Ada Lovelace", "from the issue title");
        assert_eq!(status.start, Some(date("2026-12-07")), "from the marker");
        let progress = &status.onboarding;
        assert_eq!((progress.tasks_done, progress.tasks_total), (1, 4));
        let overdue: Vec<&str> = progress.overdue.iter().map(|t| t.task.as_str()).collect();
        assert_eq!(overdue, ["Meet them", "Read the playbook"]);
        assert_eq!(progress.overdue[0].username.as_deref(), Some("mgr.jones"));
        assert_eq!(progress.next.len(), 1);
        assert_eq!(progress.next[0].task, "Plan");
    }

    #[test]
    fn a_planned_system_without_an_issue_is_missing_and_day_one_is_not_ready() {
        let judged = assess(evidence(), date("2026-12-03"), &Calendar::default());
        let states: Vec<(AccessState, &[String])> = judged
            .access
            .iter()
            .map(|a| (a.state, a.systems.as_slice()))
            .collect();
        assert_eq!(states[0].0, AccessState::Approved);
        assert_eq!(
            states[1],
            (AccessState::Missing, &["Outreach.io".to_string()][..])
        );
        assert!(!judged.ready_for_day1, "two business days before the start");
        let early = assess(evidence(), date("2026-11-30"), &Calendar::default());
        assert!(early.ready_for_day1, "a week ahead there is still time");
    }

    #[test]
    fn reminders_group_overdue_work_by_owner_and_say_their_day() {
        let as_of = date("2026-12-10");
        let status = assess(evidence(), as_of, &Calendar::default());
        let reminder = Reminder::of(&status, as_of).unwrap();
        let owners: Vec<&str> = reminder
            .owners
            .iter()
            .map(|o| o.owner_name.as_str())
            .collect();
        assert_eq!(owners, ["New hire", "Manager"]);
        assert!(is_reminder_for(
            &format!("text\n{}", reminder.marker()),
            as_of
        ));
        assert!(!is_reminder_for(&reminder.marker(), date("2026-12-11")));
        let none = assess(evidence(), date("2026-12-01"), &Calendar::default());
        assert!(Reminder::of(&none, date("2026-12-01")).is_none());
    }
}
