//! Reading a hire's onboarding back from GitLab: progress, overdue work by
//! owner, the next tasks due, the state of each access request, and whether
//! day 1 is ready; and the reminder note for overdue work. Pure: the
//! command reads the issues, this module judges them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::{Marker, Movers, APPROVED_LABEL, READY_LABEL};
use crate::calendar::Calendar;
use crate::catalog::{Catalog, DoneWhen, Owner, Person};
use crate::gitlab::Issue;
use crate::lifecycle::expiry::{removed_on_expiry, Expiry};
use crate::lifecycle::RemovalProgress;
use crate::onboarding::read_tasks;

/// Starts the hidden line of a reminder note, which says the day it was for.
pub(crate) const REMINDER_MARKER: &str = "<!-- onboard-reminder date:";

/// Where an access request stands, read from GitLab's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AccessState {
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
    pub(crate) fn of(issue: &Issue) -> Self {
        let has = |label: &str| issue.labels.iter().any(|l| l.eq_ignore_ascii_case(label));
        if !issue.is_open() {
            AccessState::Done
        } else if has(READY_LABEL) {
            AccessState::ReadyForProvisioning
        } else if has(APPROVED_LABEL) {
            AccessState::Approved
        } else {
            AccessState::AwaitingApproval
        }
    }
}

/// A task as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaskRef {
    /// What to do.
    pub task: String,
    /// Who does it.
    pub owner: Owner,
    /// The owner's GitLab username, when the issue names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// When it is due.
    pub due: NaiveDate,
    /// The access-request state that completes it.
    #[serde(skip)]
    pub done_when: Option<DoneWhen>,
    /// Ticked, or completed by the access requests' state.
    #[serde(skip)]
    pub done: bool,
}

/// Open, closed, or not filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IssueState {
    /// The issue is open.
    Open,
    /// The issue is closed: onboarding is finished.
    Closed,
    /// No onboarding issue was found.
    Missing,
}

/// The onboarding issue's progress.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OnboardingProgress {
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
    /// The day the issue was opened, when GitLab said.
    #[serde(skip)]
    pub opened: Option<NaiveDate>,
    /// When anything last happened on the issue (GitLab touches it with
    /// every comment), when GitLab said.
    #[serde(skip)]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
}

/// One access request's state.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccessProgress {
    /// The issue; `None` when it is missing.
    pub url: Option<String>,
    /// The systems it asks for, by name.
    pub systems: Vec<String>,
    /// The same, by tool id.
    #[serde(skip)]
    pub ids: Vec<String>,
    /// The day the access ends, for a contractor.
    pub until: Option<NaiveDate>,
    /// Ending within two weeks, or ended and not removed.
    pub expiry: Option<Expiry>,
    /// Where it stands, counting only progress from those who may give it.
    pub state: AccessState,
    /// Progress its labels or state claim that nobody who may give it gave.
    pub unverified: Option<Unverified>,
}

/// Progress an access request claims that does not count: labelled or
/// closed by someone who may not approve or provision it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Unverified {
    /// The state its labels or state claim.
    pub claimed: AccessState,
    /// Who made the claim, when GitLab said.
    pub by: Option<String>,
}

/// Who may move an access request forward.
pub(crate) struct MayMove<'a> {
    /// May do anything: the token's user and `trusted_authors`.
    pub trusted: &'a [String],
    /// May approve: the request's manager (its assignees) and `approvers`.
    pub approvers: Vec<&'a str>,
    /// May mark it ready and close it: its teams' provisioners.
    pub provisioners: Vec<&'a str>,
}

impl MayMove<'_> {
    fn is(list: &[&str], user: &str) -> bool {
        list.iter().any(|u| u.eq_ignore_ascii_case(user))
    }

    fn trusted(&self, user: &str) -> bool {
        self.trusted.iter().any(|u| u.eq_ignore_ascii_case(user))
    }

    fn approve(&self, user: Option<&str>) -> bool {
        user.is_some_and(|u| self.trusted(u) || Self::is(&self.approvers, u))
    }

    fn provision(&self, user: Option<&str>) -> bool {
        user.is_some_and(|u| self.trusted(u) || Self::is(&self.provisioners, u))
    }
}

/// The state an access request has reached counting only progress from
/// those who may give it, and the claim that did not count, if any.
pub(crate) fn verify(
    issue: &Issue,
    movers: &Movers,
    may: &MayMove<'_>,
) -> (AccessState, Option<Unverified>) {
    let claimed = AccessState::of(issue);
    let has = |label: &str| issue.labels.iter().any(|l| l.eq_ignore_ascii_case(label));
    let verified = if !issue.is_open() && may.provision(movers.closer.as_deref()) {
        AccessState::Done
    } else if has(READY_LABEL) && may.provision(movers.provisioner.as_deref()) {
        AccessState::ReadyForProvisioning
    } else if (has(APPROVED_LABEL) || has(READY_LABEL)) && may.approve(movers.approver.as_deref()) {
        AccessState::Approved
    } else {
        AccessState::AwaitingApproval
    };
    let by = match claimed {
        AccessState::Done => &movers.closer,
        AccessState::ReadyForProvisioning => &movers.provisioner,
        _ => &movers.approver,
    };
    let unverified = (verified < claimed).then(|| Unverified {
        claimed,
        by: by.clone(),
    });
    (verified, unverified)
}

/// How day 1 stands for a hire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Day1 {
    /// The onboarding issue exists and every access request is done.
    Ready,
    /// Not all done yet, with more than two business days to go.
    Pending,
    /// Not all done, and two business days or fewer to go.
    AtRisk,
    /// Not all done, and day 1 has passed.
    Late,
    /// Neither an onboarding issue nor a start date to judge by.
    Unknown,
}

impl Day1 {
    /// Judges day 1 from whether everything is in place and how far away
    /// it is: `two_days_ahead` is two business days after the as-of day.
    fn judge(
        start: Option<NaiveDate>,
        has_issue: bool,
        all_access_done: bool,
        as_of: NaiveDate,
        two_days_ahead: NaiveDate,
    ) -> Self {
        match start {
            _ if has_issue && all_access_done => Day1::Ready,
            None if !has_issue => Day1::Unknown,
            Some(start) if start < as_of => Day1::Late,
            Some(start) if start <= two_days_ahead => Day1::AtRisk,
            // An issue without a start date, or time left.
            None | Some(_) => Day1::Pending,
        }
    }

    /// The words the table and the page show.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Day1::Ready => "ready",
            Day1::Pending => "pending",
            Day1::AtRisk => "at risk",
            Day1::Late => "late",
            Day1::Unknown => "unknown",
        }
    }
}

/// Everything `status` says about one hire.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HireStatus {
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
    /// Open issues that duplicate an older one (a create that landed after
    /// its run looked); the next filing run closes them.
    pub duplicates: Vec<String>,
    /// How day 1 stands.
    pub day1: Day1,
    /// True only when day 1 is [`Day1::Ready`].
    pub ready_for_day1: bool,
    /// Joining, changing role, or leaving.
    pub kind: Kind,
    /// A leaver's offboarding: systems removed of all they may hold.
    pub offboarding: Option<RemovalProgress>,
    /// A mover's Access Removal issue.
    pub removal: Option<RemovalProgress>,
}

/// Where a person is in their life at the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kind {
    /// Joining: only onboarding and access requests.
    Joiner,
    /// Has changed role: a career-mobility or Access Removal issue.
    Mover,
    /// Leaving: an offboarding issue.
    Leaver,
}

impl HireStatus {
    /// Whether anything is overdue: onboarding tasks, an open duplicate,
    /// removal past its deadline, or access that ended and was not removed.
    pub(crate) fn has_overdue(&self) -> bool {
        !self.onboarding.overdue.is_empty()
            || !self.duplicates.is_empty()
            || [&self.offboarding, &self.removal]
                .into_iter()
                .flatten()
                .any(|r| r.overdue)
            || self
                .access
                .iter()
                .any(|a| a.expiry == Some(Expiry::Expired))
    }
}

/// What was read about one hire.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
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
    /// Every onboarding issue found, duplicates too.
    pub onboarding_all: Vec<(Issue, Marker)>,
    /// The access-request issues and their markers.
    pub access: Vec<(Issue, Marker)>,
    /// What [`verify`] found for access requests, by iid; one not here
    /// counts as its labels say.
    pub verified: Vec<(u64, AccessState, Option<Unverified>)>,
    /// The systems that should have requests, by id and name.
    pub planned: Vec<(String, String)>,
    /// The tasks as planned, for a hire with no onboarding issue yet.
    pub planned_tasks: Vec<TaskRef>,
    /// Their newest offboarding issue: a leaver.
    pub offboarding: Option<Issue>,
    /// Their newest Access Removal issue, from a role change.
    pub removal: Option<Issue>,
    /// They have a career-mobility issue: a mover.
    pub moved: bool,
}

/// Judges what was read as of a day; task owners are the catalogue's.
pub(crate) fn assess(
    evidence: Evidence,
    as_of: NaiveDate,
    calendar: &Calendar,
    catalog: &Catalog,
) -> HireStatus {
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
    let access = access_progress(&evidence, as_of, catalog);
    let onboarding = progress(&evidence, &access, as_of, catalog);
    let all_done = access.iter().all(|a| a.state == AccessState::Done);
    let day1 = Day1::judge(
        start,
        onboarding.state != IssueState::Missing,
        all_done,
        as_of,
        calendar.add_business_days(as_of, 2),
    );
    let duplicates = open_duplicates(&evidence);
    let kind = if evidence.offboarding.is_some() {
        Kind::Leaver
    } else if evidence.moved || evidence.removal.is_some() {
        Kind::Mover
    } else {
        Kind::Joiner
    };
    let progress_of = |issue: &Option<Issue>| {
        issue
            .as_ref()
            .map(|issue| RemovalProgress::of(issue, as_of))
    };
    let offboarding = progress_of(&evidence.offboarding);
    let removal = progress_of(&evidence.removal);
    HireStatus {
        name,
        email: evidence.email,
        role,
        start,
        onboarding,
        access,
        duplicates,
        day1,
        ready_for_day1: day1 == Day1::Ready,
        kind,
        offboarding,
        removal,
    }
}

/// The open issues whose every part an older issue of the hire holds.
fn open_duplicates(evidence: &Evidence) -> Vec<String> {
    let issues = || evidence.onboarding_all.iter().chain(&evidence.access);
    let numbered: Vec<(u64, &Marker)> = issues().map(|(issue, m)| (issue.iid, m)).collect();
    issues()
        .filter(|(issue, marker)| issue.is_open() && marker.duplicates(issue.iid, &numbered))
        .map(|(issue, _)| issue.web_url.clone())
        .collect()
}

/// Whether the access requests have reached the state that completes a
/// task: there is at least one, none is missing, and each is that far.
fn reached(access: &[AccessProgress], done_when: DoneWhen) -> bool {
    let far_enough = |state: AccessState| match done_when {
        DoneWhen::AccessApproved => state >= AccessState::Approved,
        DoneWhen::AccessProvisioned => state == AccessState::Done,
    };
    !access.is_empty() && access.iter().all(|a| far_enough(a.state))
}

fn progress(
    evidence: &Evidence,
    access: &[AccessProgress],
    as_of: NaiveDate,
    catalog: &Catalog,
) -> OnboardingProgress {
    let mut opened = None;
    let mut updated = None;
    let (url, state, mut tasks) = match &evidence.onboarding {
        Some((issue, _)) => {
            opened = issue.created_at.map(|at| at.date_naive());
            updated = issue.updated_at;
            let tasks = read_tasks(issue.description.as_deref().unwrap_or_default())
                .into_iter()
                .map(|t| TaskRef {
                    task: t.title,
                    owner: catalog.owner(&t.owner),
                    username: t.username,
                    due: t.due,
                    done_when: t.done_when,
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
    // One truth: the manager's approval is done once the requests are
    // approved, whether or not the box was ticked.
    for task in &mut tasks {
        if task.done_when.is_some_and(|state| reached(access, state)) {
            task.done = true;
        }
    }
    tasks.sort_by(|a, b| (a.due, &a.owner).cmp(&(b.due, &b.owner)));
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
        opened,
        updated,
    }
}

fn access_progress(
    evidence: &Evidence,
    as_of: NaiveDate,
    catalog: &Catalog,
) -> Vec<AccessProgress> {
    let name_of = |id: &str| {
        catalog
            .find_tool(id)
            .map_or_else(|_| id.to_string(), |tool| catalog.tool(&tool).name.clone())
    };
    let numbered: Vec<(u64, &Marker)> = evidence
        .access
        .iter()
        .map(|(issue, m)| (issue.iid, m))
        .collect();
    let mut found: Vec<AccessProgress> = evidence
        .access
        .iter()
        // A closed duplicate is not the request itself.
        .filter(|(issue, marker)| issue.is_open() || !marker.duplicates(issue.iid, &numbered))
        .map(|(issue, marker)| {
            let (state, unverified) = evidence
                .verified
                .iter()
                .find(|(iid, _, _)| *iid == issue.iid)
                .map_or((AccessState::of(issue), None), |(_, state, claim)| {
                    (*state, claim.clone())
                });
            AccessProgress {
                url: Some(issue.web_url.clone()),
                systems: marker.systems.iter().map(|s| name_of(s)).collect(),
                ids: marker.systems.clone(),
                until: marker.until,
                expiry: marker.until.and_then(|until| {
                    let body = issue.description.as_deref().unwrap_or_default();
                    Expiry::of(until, as_of, removed_on_expiry(body))
                }),
                state,
                unverified,
            }
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
            ids: Vec::new(),
            until: None,
            expiry: None,
            state: AccessState::Missing,
            unverified: None,
        });
    }
    found
}

/// One overdue task in a reminder.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LateTask {
    /// What to do.
    pub task: String,
    /// When it was due.
    pub due: NaiveDate,
    /// Business days since then.
    pub days_late: usize,
}

/// The overdue work of one owner, for a reminder.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OwnerOverdue {
    /// Display name, e.g. "Manager" or "IT".
    pub owner_name: String,
    /// Whom to mention: a person's username or a team's handle.
    pub mention: Option<String>,
    /// Who it is when nobody can be mentioned: the hire's name.
    pub who: Option<String>,
    /// Overdue tasks due since the issue was opened, each once.
    pub tasks: Vec<LateTask>,
    /// How many were already due when the issue was opened: one line,
    /// not one each.
    pub catch_up: usize,
}

/// `reminder.md.hbs`: the note that lists a hire's overdue work by owner.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Reminder {
    /// The hire.
    pub name: String,
    /// The day it is for.
    pub as_of: NaiveDate,
    /// The day the issue was opened, for the catch-up lines.
    pub opened: Option<NaiveDate>,
    /// Overdue work by owner.
    pub owners: Vec<OwnerOverdue>,
}

impl Reminder {
    /// The reminder for a hire's overdue work; `None` when nothing is
    /// overdue. Each owner with overdue work is mentioned: the hire, manager
    /// and buddy by username (the hire by name when it is not known), a
    /// team by its catalogue handle.
    pub(crate) fn of(status: &HireStatus, as_of: NaiveDate, calendar: &Calendar) -> Option<Self> {
        let progress = &status.onboarding;
        if progress.overdue.is_empty() || progress.url.is_none() {
            return None;
        }
        let opened = progress.opened;
        let mut owners: BTreeMap<&Owner, OwnerOverdue> = BTreeMap::new();
        for task in &progress.overdue {
            let entry = owners.entry(&task.owner).or_insert_with(|| {
                let mention = match task.owner.person() {
                    Some(_) => task.username.clone(),
                    None => task.owner.handle().map(str::to_string),
                };
                OwnerOverdue {
                    owner_name: task.owner.to_string(),
                    who: (mention.is_none() && task.owner.is(Person::Hire))
                        .then(|| status.name.clone()),
                    mention,
                    tasks: Vec::new(),
                    catch_up: 0,
                }
            });
            if opened.is_some_and(|opened| task.due < opened) {
                entry.catch_up += 1;
            } else if !entry
                .tasks
                .iter()
                .any(|t| t.task == task.task && t.due == task.due)
            {
                entry.tasks.push(LateTask {
                    task: task.task.clone(),
                    due: task.due,
                    days_late: calendar.business_days_after(task.due, as_of),
                });
            }
        }
        Some(Self {
            name: status.name.clone(),
            as_of,
            opened,
            owners: owners.into_values().collect(),
        })
    }

    /// The hidden line that marks the note as this day's reminder.
    pub(crate) fn marker(&self) -> String {
        format!("{REMINDER_MARKER} {} -->\n", self.as_of)
    }
}

/// True when `body` is the reminder for `as_of`.
pub(crate) fn is_reminder_for(body: &str, as_of: NaiveDate) -> bool {
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
            created_at: None,
            updated_at: None,
            closed_by: None,
            assignees: Vec::new(),
        }
    }

    fn marker(systems: &[&str]) -> Marker {
        Marker {
            kind: "request",
            key: "k".into(),
            systems: systems.iter().map(ToString::to_string).collect(),
            start: "2026-12-07".parse().ok(),
            role: None,
            until: None,
        }
    }

    const BODY: &str = "### Manager (@mgr.jones)\n\n- [x] Approve it · due Thu 2026-12-03 <!-- onboard-task id:aa owner:manager due:2026-12-03 -->\n- [ ] Meet them · due Mon 2026-12-07 <!-- onboard-task id:bb owner:manager due:2026-12-07 -->\n\n### New hire\n\n- [ ] Read the playbook · due Wed 2026-12-09 <!-- onboard-task id:cc owner:new-hire due:2026-12-09 -->\n- [ ] Plan · due Fri 2026-12-11 <!-- onboard-task id:dd owner:new-hire due:2026-12-11 -->\n";

    fn catalog() -> Catalog {
        crate::catalog::load(&crate::source::FileSet::embedded_roles()).unwrap()
    }

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
        let status = assess(
            evidence(),
            date("2026-12-10"),
            &Calendar::default(),
            &catalog(),
        );
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
        let judged = assess(
            evidence(),
            date("2026-12-03"),
            &Calendar::default(),
            &catalog(),
        );
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
        assert_eq!(
            judged.day1,
            Day1::AtRisk,
            "two business days before the start"
        );
        assert!(!judged.ready_for_day1);
        let early = assess(
            evidence(),
            date("2026-11-30"),
            &Calendar::default(),
            &catalog(),
        );
        assert_eq!(
            early.day1,
            Day1::Pending,
            "a week ahead there is still time"
        );
        assert!(!early.ready_for_day1, "time left is not readiness");
        let after = assess(
            evidence(),
            date("2026-12-08"),
            &Calendar::default(),
            &catalog(),
        );
        assert_eq!(after.day1, Day1::Late);
    }

    #[test]
    fn day_one_is_ready_only_with_an_issue_and_every_request_done() {
        let mut done = evidence();
        done.planned.truncate(1);
        done.access[0].0.state = State::Closed;
        let judged = assess(
            done.clone(),
            date("2026-12-10"),
            &Calendar::default(),
            &catalog(),
        );
        assert_eq!(judged.day1, Day1::Ready);
        assert!(judged.ready_for_day1);
        done.onboarding = None;
        let no_issue = assess(
            done.clone(),
            date("2026-11-02"),
            &Calendar::default(),
            &catalog(),
        );
        assert_eq!(no_issue.day1, Day1::Unknown, "no issue and no start date");
        done.start = Some(date("2026-12-07"));
        let planned = assess(done, date("2026-11-02"), &Calendar::default(), &catalog());
        assert_eq!(planned.day1, Day1::Pending, "never ready without an issue");
    }

    #[test]
    fn reminders_group_overdue_work_by_owner_and_say_their_day() {
        let as_of = date("2026-12-10");
        let status = assess(evidence(), as_of, &Calendar::default(), &catalog());
        let reminder = Reminder::of(&status, as_of, &Calendar::default()).unwrap();
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
        let none = assess(
            evidence(),
            date("2026-12-01"),
            &Calendar::default(),
            &catalog(),
        );
        assert!(Reminder::of(&none, date("2026-12-01"), &Calendar::default()).is_none());
    }

    const TEAMS: &str = "### Manager (@mgr.jones)\n\n- [ ] Approve the access request for Clari · due Wed 2026-12-02 <!-- onboard-task id:a1 owner:manager due:2026-12-02 done-when:access-approved -->\n- [ ] Meet them · due Tue 2026-12-08 <!-- onboard-task id:a2 owner:manager due:2026-12-08 -->\n\n### IT\n\n- [ ] Ship the laptop · due Wed 2026-12-02 <!-- onboard-task id:b1 owner:it due:2026-12-02 -->\n- [ ] Set up the phone · due Tue 2026-12-08 <!-- onboard-task id:b2 owner:it due:2026-12-08 -->\n\n### New hire\n\n- [ ] Read the playbook · due Tue 2026-12-08 <!-- onboard-task id:c1 owner:new-hire due:2026-12-08 -->\n";

    fn teams(labels: &[&str]) -> Evidence {
        let mut onboarding = issue(5, &["onboarding"], true, TEAMS);
        onboarding.created_at = "2026-12-07T09:00:00Z".parse().ok();
        Evidence {
            name: Some("Ada Lovelace".into()),
            email: "ada@example.com".into(),
            onboarding: Some((onboarding, marker(&["checklist"]))),
            access: vec![(issue(1, labels, true, ""), marker(&["clari"]))],
            planned: vec![("clari".into(), "Clari".into())],
            ..Evidence::default()
        }
    }

    #[test]
    fn an_approved_request_completes_the_approval_task_and_it_is_never_reminded() {
        let as_of = date("2026-12-10");
        let waiting = assess(
            teams(&["AR-Approval::Needs Manager Approval"]),
            as_of,
            &Calendar::default(),
            &catalog(),
        );
        let overdue = |s: &HireStatus| -> Vec<String> {
            s.onboarding
                .overdue
                .iter()
                .map(|t| t.task.clone())
                .collect()
        };
        assert!(overdue(&waiting).contains(&"Approve the access request for Clari".into()));
        let approved = assess(
            teams(&["AR-Approval::Manager Approved"]),
            as_of,
            &Calendar::default(),
            &catalog(),
        );
        assert!(!overdue(&approved).iter().any(|t| t.starts_with("Approve")));
        assert_eq!(approved.onboarding.tasks_done, 1, "done without a tick");
        let reminder = Reminder::of(&approved, as_of, &Calendar::default()).unwrap();
        let manager = &reminder.owners[1];
        assert_eq!(manager.owner_name, "Manager");
        assert!(manager.tasks.iter().all(|t| !t.task.starts_with("Approve")));
    }

    #[test]
    fn reminders_mention_teams_by_handle_count_days_late_and_sum_up_what_was_due_before() {
        let as_of = date("2026-12-10");
        let status = assess(teams(&[]), as_of, &Calendar::default(), &catalog());
        let reminder = Reminder::of(&status, as_of, &Calendar::default()).unwrap();
        let by_name = |name: &str| {
            reminder
                .owners
                .iter()
                .find(|o| o.owner_name == name)
                .unwrap()
        };
        let it = by_name("IT");
        assert_eq!(
            it.mention.as_deref(),
            Some("gitlab-com/it/end-user-services")
        );
        assert_eq!(
            it.catch_up, 1,
            "the laptop was due before the issue was opened"
        );
        assert_eq!(it.tasks.len(), 1);
        assert_eq!(it.tasks[0].days_late, 2, "Tue 8 to Thu 10");
        let hire = by_name("New hire");
        assert_eq!(hire.mention, None, "no username known");
        assert_eq!(hire.who.as_deref(), Some("Ada Lovelace"));
        assert_eq!(by_name("Manager").mention.as_deref(), Some("mgr.jones"));
        let text = crate::render::Renderer::embedded()
            .render(crate::render::REMINDER, &reminder)
            .unwrap();
        assert!(
            text.contains("**IT** @gitlab-com/it/end-user-services"),
            "{text}"
        );
        assert!(text.contains("**New hire** (Ada Lovelace)"), "{text}");
        assert!(text.contains("(2 business days late)"), "{text}");
        assert!(
            text.contains(
                "Catch up: 1 task already due when this issue was opened on Mon 2026-12-07"
            ),
            "{text}"
        );
    }
}
