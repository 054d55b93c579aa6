//! Movers and leavers: what a person holds once they have joined, and the
//! documents that take it away again when they change role or leave. Each
//! document is filed by the one exactly-once engine of [`crate::access`].
//!
//! What a person holds is read from GitLab, not remembered: the systems of
//! every trusted access request filed for them (open or closed), plus the
//! tools of their role. A system someone granted through a request outside
//! the role is therefore never missed when they leave.

pub(crate) mod expiry;
mod mobility;
mod offboarding;
pub(crate) mod people;
mod removal;

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::{
    lifecycle_key, onboarding_key, request_key, Filing, FilingError, Marker, Refresh, Tracker,
    Wanted,
};
use crate::access::{Filed, Preview};
use crate::calendar::Calendar;
use crate::catalog::Catalog;
use crate::gitlab::{Issue, IssueDraft};
use crate::render::{RenderFailure, Renderer};
use crate::tasks::{carry_ticks, item};

pub(crate) use mobility::CareerMobility;
pub(crate) use offboarding::{Offboarding, RemovalView, RoleChange};
pub(crate) use removal::AccessRemoval;

/// Where offboarding issues go unless the config says otherwise.
pub(crate) const DEFAULT_OFFBOARDING_PROJECT: &str = "gitlab-com/people-group/offboarding";
/// The labels an Access Removal issue carries unless the config says otherwise.
pub(crate) const DEFAULT_REMOVAL_LABELS: &[&str] = &["AccessRemoval"];
/// Business days after the last day or role change by which access is removed.
pub(crate) const DEFAULT_DEPROVISION_DAYS: u32 = 5;
/// The longest access may be granted for, in days: two years.
pub(crate) const DEFAULT_MAX_ACCESS_DAYS: u32 = 730;
/// Starts the hidden comment on each box of a system to remove.
const SYSTEM_MARKER: &str = "<!-- onboard-system";

/// The config's settings for movers and leavers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lifecycle {
    /// The project offboarding issues go to.
    pub offboarding_project: String,
    /// The labels Access Removal issues carry.
    pub removal_labels: Vec<String>,
    /// Business days after the last day or role change that removal is due.
    pub deprovision_days: u32,
    /// The longest `--access-until` may be after the start, in days.
    pub max_access_days: u32,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            offboarding_project: DEFAULT_OFFBOARDING_PROJECT.to_string(),
            removal_labels: DEFAULT_REMOVAL_LABELS
                .iter()
                .map(ToString::to_string)
                .collect(),
            deprovision_days: DEFAULT_DEPROVISION_DAYS,
            max_access_days: DEFAULT_MAX_ACCESS_DAYS,
        }
    }
}

impl Lifecycle {
    /// When access must be gone: `deprovision_days` business days after `day`.
    pub(crate) fn removal_due(&self, calendar: &Calendar, day: NaiveDate) -> NaiveDate {
        calendar.add_business_days(day, i64::from(self.deprovision_days))
    }
}

/// The marker kinds of the documents of this module.
pub(crate) mod kind {
    /// An Access Removal issue.
    pub(crate) const REMOVAL: &str = "removal";
    /// A career-mobility issue.
    pub(crate) const MOBILITY: &str = "mobility";
    /// An offboarding issue.
    pub(crate) const OFFBOARDING: &str = "offboarding";
}

/// The key of a person's documents of `kind`: one per person, whatever the
/// date, so a moved date updates the issue instead of filing another.
pub(crate) fn key(kind: &str, email: &str) -> String {
    lifecycle_key(kind, email, "")
}

/// One system whose access is to be removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SystemToRemove {
    /// Tool id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The hidden comment on its boxes, so ticks survive a rewrite and
    /// `status` can count the systems done.
    pub marker: String,
}

/// The systems one team removes access to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Deprovisioning {
    /// Team name.
    pub team: String,
    /// Its GitLab user or group, mentioned so it hears of the work.
    pub handle: Option<String>,
    /// Its systems, in the order given.
    pub systems: Vec<SystemToRemove>,
}

/// `ids` grouped by the team that removes access, teams in the order their
/// first system comes. A system the catalogue no longer lists keeps its id
/// as its name and goes to a team of its own, so it is never dropped.
pub(crate) fn by_deprovisioner(catalog: &Catalog, ids: &[String]) -> Vec<Deprovisioning> {
    let mut groups: Vec<Deprovisioning> = Vec::new();
    for id in ids {
        let tool = catalog.find_tool(id).ok().map(|t| catalog.tool(&t));
        let (team, handle, name) = match tool {
            Some(tool) => (
                tool.deprovisioner.name.clone(),
                tool.deprovisioner.handle.clone(),
                tool.name.clone(),
            ),
            None => ("Not in the catalogue".to_string(), None, id.clone()),
        };
        let system = SystemToRemove {
            id: id.clone(),
            name,
            marker: format!("{SYSTEM_MARKER} tool:{id} -->"),
        };
        match groups.iter_mut().find(|g| g.team == team) {
            Some(group) => group.systems.push(system),
            None => groups.push(Deprovisioning {
                team,
                handle,
                systems: vec![system],
            }),
        }
    }
    groups
}

/// Systems removed (or not applicable) and in all, read from a body's boxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Removed {
    /// Systems with either box ticked.
    pub done: usize,
    /// Systems listed.
    pub total: usize,
}

/// How many of the systems an Access Removal or offboarding body lists have
/// either box ticked.
pub(crate) fn removed(body: &str) -> Removed {
    let mut systems: Vec<(&str, bool)> = Vec::new();
    for line in body.lines() {
        let Some(task) = item(line) else { continue };
        let Some(at) = task.text.find(SYSTEM_MARKER) else {
            continue;
        };
        let Some(id) = task.text[at..]
            .split_whitespace()
            .find_map(|w| w.strip_prefix("tool:"))
        else {
            continue;
        };
        match systems.iter_mut().find(|(s, _)| *s == id) {
            Some((_, done)) => *done |= task.done,
            None => systems.push((id, task.done)),
        }
    }
    Removed {
        done: systems.iter().filter(|(_, done)| *done).count(),
        total: systems.len(),
    }
}

/// How far the removal of a mover's or leaver's access has come, as
/// `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RemovalProgress {
    /// The Access Removal or offboarding issue.
    pub url: String,
    /// Systems with either box ticked.
    pub systems_done: usize,
    /// Systems listed.
    pub systems_total: usize,
    /// Past its due date with systems left, and still open.
    pub overdue: bool,
}

impl RemovalProgress {
    /// The progress of an Access Removal or offboarding issue as of a day.
    pub(crate) fn of(issue: &Issue, as_of: NaiveDate) -> Self {
        let Removed { done, total } = removed(issue.description.as_deref().unwrap_or_default());
        Self {
            url: issue.web_url.clone(),
            systems_done: done,
            systems_total: total,
            overdue: issue.is_open() && done < total && issue.due_date.is_some_and(|d| d < as_of),
        }
    }
}

/// What an open issue with `body` should become when it would now read
/// `fresh`, titled `title`: the boxes already ticked stay ticked. `None`
/// when nothing changed. `day` is the date the marker was filed for and
/// `now` the one it is filed for now, named `what` in the reason.
pub(crate) fn refreshed(
    marker: &Marker,
    body: &str,
    fresh: &str,
    (title, due): (&str, NaiveDate),
    (what, now): (&str, NaiveDate),
) -> Option<Refresh> {
    let fresh = carry_ticks(body, fresh, |a, b| a == b);
    let same =
        |a: &str, b: &str| a.replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end();
    if same(&fresh, body) {
        return None;
    }
    let reason = match marker.start {
        Some(from) if from != now => format!("the {what} moved from {from} to {now}"),
        _ => "what it lists changed".to_string(),
    };
    Some(Refresh {
        title: Some(title.to_string()),
        body: fresh,
        due,
        reason,
    })
}

/// The draft of a mover's or leaver's issue: always confidential.
pub(crate) fn confidential_draft(
    title: &str,
    description: String,
    labels: &[String],
    assignee_ids: &[u64],
    due: NaiveDate,
) -> IssueDraft {
    IssueDraft {
        title: title.to_string(),
        description,
        labels: labels.to_vec(),
        assignee_ids: assignee_ids.to_vec(),
        due_date: due,
        confidential: true,
    }
}

/// The body of a document: the template's text, then its hidden marker.
pub(crate) fn with_marker<T: Serialize>(
    renderer: &Renderer,
    template: &str,
    view: &T,
    marker: &Marker,
) -> Result<String, RenderFailure> {
    let mut body = renderer.render(template, view)?;
    if !body.ends_with('\n') {
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&marker.line());
    Ok(body)
}

/// What GitLab knows of a person: their trusted issues of each kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    /// Their access requests, oldest first, with markers.
    pub requests: Vec<(Issue, Marker)>,
    /// Their onboarding issues.
    pub onboarding: Vec<(Issue, Marker)>,
    /// Their career-mobility issues.
    pub mobility: Vec<(Issue, Marker)>,
}

impl Record {
    /// Reads a person's issues: access requests from `access`, onboarding
    /// and career-mobility issues from `onboarding`.
    pub(crate) fn read<A: Tracker, O: Tracker>(
        access: &Filing<'_, A>,
        onboarding: &Filing<'_, O>,
        email: &str,
    ) -> Result<Self, FilingError> {
        let request = request_key(email);
        let (requests, _) = access.issues(&Wanted {
            key: &request,
            legacy_key: None,
            kind: "request",
            what: "access requests",
        })?;
        let joined = onboarding_key(email);
        let (joined, _) = onboarding.issues(&Wanted {
            key: &joined,
            legacy_key: None,
            kind: "onboarding",
            what: "onboarding issues",
        })?;
        let moved = key(kind::MOBILITY, email);
        let (mobility, _) = onboarding.issues(&Wanted {
            key: &moved,
            legacy_key: None,
            kind: kind::MOBILITY,
            what: "career-mobility issues",
        })?;
        Ok(Self {
            requests,
            onboarding: joined,
            mobility,
        })
    }

    /// Every system a trusted access request asked for, in the order first
    /// asked, whatever the request's state.
    pub(crate) fn requested(&self) -> Vec<String> {
        let mut systems: Vec<String> = Vec::new();
        for (_, marker) in &self.requests {
            for system in &marker.systems {
                if !systems.contains(system) {
                    systems.push(system.clone());
                }
            }
        }
        systems
    }

    /// The role they hold now, as their newest career-mobility issue, else
    /// their onboarding issue, records it.
    pub(crate) fn role(&self) -> Option<String> {
        self.mobility
            .last()
            .or(self.onboarding.last())
            .and_then(|(_, marker)| marker.role.clone())
    }

    /// The manager their newest access request is assigned to.
    pub(crate) fn manager(&self) -> Option<String> {
        self.requests
            .iter()
            .rev()
            .find_map(|(issue, _)| issue.assignees.first().map(|u| u.username.clone()))
    }

    /// Their own username: the assignee of their onboarding issue who is
    /// not its manager.
    pub(crate) fn username(&self) -> Option<String> {
        let manager = self.manager();
        let (issue, _) = self.onboarding.last()?;
        issue
            .assignees
            .iter()
            .map(|u| u.username.clone())
            .find(|u| Some(u) != manager.as_ref())
    }

    /// Their name as the title of their onboarding issue gives it
    /// (`Onboarding: Full Name, starting …`).
    pub(crate) fn name(&self) -> Option<String> {
        let (issue, _) = self.onboarding.first()?;
        let rest = issue.title.strip_prefix("Onboarding: ")?;
        let (name, _) = rest.rsplit_once(", starting ")?;
        Some(name.to_string())
    }

    /// Their open access requests and onboarding or career-mobility issues:
    /// what a leaver's offboarding closes.
    pub(crate) fn open_work(&self) -> (Vec<&Issue>, Vec<&Issue>) {
        fn open(issues: &[(Issue, Marker)]) -> Vec<&Issue> {
            issues
                .iter()
                .map(|(issue, _)| issue)
                .filter(|issue| issue.is_open())
                .collect()
        }
        let mut onboarding = open(&self.onboarding);
        onboarding.extend(open(&self.mobility));
        (open(&self.requests), onboarding)
    }
}

/// A system of a role change, as `transfer` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SystemRef {
    /// Tool id.
    pub id: String,
    /// Display name.
    pub name: String,
}

impl SystemRef {
    /// The systems of `ids`, named by the catalogue (by id when it no
    /// longer lists one).
    pub(crate) fn all(catalog: &Catalog, ids: &[String]) -> Vec<Self> {
        ids.iter()
            .map(|id| Self {
                id: id.clone(),
                name: catalog
                    .find_tool(id)
                    .map_or_else(|_| id.clone(), |t| catalog.tool(&t).name.clone()),
            })
            .collect()
    }
}

/// One issue `transfer` or `offboard` filed, found, closed, or would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Touched {
    /// What it is: `access request`, `offboarding issue`.
    pub what: String,
    /// `created`, `exists`, `closed`, `would create`, `would close`.
    pub action: &'static str,
    /// Its web page; `None` for one not created yet.
    pub url: Option<String>,
    /// Its title, when it is to be created.
    pub title: Option<String>,
}

impl Touched {
    /// The issues filing a document gave: created or found.
    pub(crate) fn filed(what: &str, filed: &Filed) -> Vec<Self> {
        filed
            .issues
            .iter()
            .map(|i| Self {
                what: what.to_string(),
                action: if i.created { "created" } else { "exists" },
                url: Some(i.url.clone()),
                title: None,
            })
            .collect()
    }

    /// The issues a dry run found, and the one it would create.
    pub(crate) fn previewed(what: &str, preview: &Preview) -> Vec<Self> {
        let mut touched: Vec<Self> = preview
            .existing
            .iter()
            .map(|i| Self {
                what: what.to_string(),
                action: "exists",
                url: Some(i.url.clone()),
                title: None,
            })
            .collect();
        touched.extend(preview.create.iter().map(|draft| Self {
            what: what.to_string(),
            action: "would create",
            url: None,
            title: Some(draft.title.clone()),
        }));
        touched
    }

    /// An open issue closed, or with a dry run to be closed.
    pub(crate) fn closing(what: &str, issue: &Issue, dry_run: bool) -> Self {
        Self {
            what: what.to_string(),
            action: if dry_run { "would close" } else { "closed" },
            url: Some(issue.web_url.clone()),
            title: None,
        }
    }
}

/// What `transfer` or `offboard` did, or with `--dry-run` would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Outcome {
    /// The person's full name.
    pub person: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// A transfer's systems the new role adds, not held before.
    pub added: Vec<SystemRef>,
    /// Systems held before and kept by the new role.
    pub kept: Vec<SystemRef>,
    /// Systems held before whose access is removed.
    pub removed: Vec<SystemRef>,
    /// Every issue filed, found or closed.
    pub issues: Vec<Touched>,
    /// What else happened: duplicates closed, issues brought up to date.
    pub events: Vec<crate::access::Event>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_counts_as_done_when_either_box_is_ticked() {
        let body = "\
- **Salesforce**
  - [x] Access removed <!-- onboard-system tool:salesforce -->
  - [ ] Not applicable <!-- onboard-system tool:salesforce -->
- **Clari**
  - [ ] Access removed <!-- onboard-system tool:clari -->
  - [X] Not applicable <!-- onboard-system tool:clari -->
- **Gong**
  - [ ] Access removed <!-- onboard-system tool:gong -->
  - [ ] Not applicable <!-- onboard-system tool:gong -->
- [x] an unrelated box
";
        assert_eq!(removed(body), Removed { done: 2, total: 3 });
        assert_eq!(removed("no boxes"), Removed::default());
    }
}
