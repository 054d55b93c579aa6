//! The onboarding issue: the hire's checklist filed in GitLab, where every
//! owner ticks their boxes. It is filed and kept up to date by the same
//! engine as access requests, under its own key: a re-run with a changed
//! catalogue or start date rewrites the open issue, keeping every box that
//! was already ticked, and never files a second one.
//!
//! Each task line carries a hidden `<!-- onboard-task … -->` comment with a
//! stable id, its owner and its due date, so ticks survive a rewrite and
//! `status` can read progress and overdue work back.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::access::{
    onboarding_key, request_key, AccessLink, Desk, Document, Event, Filed, Filing, FilingError,
    Marker, QuickAction, Refresh, Tracker, Wanted, Writes, PART,
};
use crate::catalog::{Catalog, DoneWhen, Keyword, ToolId};
use crate::gitlab::{IssueDraft, Project, ProjectInfo};
use crate::plan::{Checklist, DatedTask};
use crate::render::{self, plain_inert, RenderFailure, Renderer};
use crate::tasks::{carry_ticks, item};
use crate::view::OnboardingView;

/// The labels an onboarding issue carries unless the config says otherwise.
pub(crate) const DEFAULT_LABELS: &[&str] = &["onboarding"];
/// Starts the hidden comment of each task line.
const TASK_MARKER: &str = "<!-- onboard-task";

/// A hire's onboarding issue, before it is filed.
#[derive(Debug, Clone)]
pub(crate) struct OnboardingIssue {
    /// Stable key, hidden in the body.
    pub key: String,
    /// `Onboarding: Full Name, starting YYYY-MM-DD, as Role`.
    pub title: String,
    /// The dated checklist.
    pub checklist: Checklist,
    /// Labels the issue carries.
    pub labels: Vec<String>,
    /// Usernames it is assigned to: the hire (when known) and the manager.
    pub assignees: Vec<String>,
    /// The hire's access requests.
    pub access: Vec<AccessLink>,
}

impl OnboardingIssue {
    /// The onboarding issue of a checklist; `None` without a work email,
    /// which the key is made from.
    pub(crate) fn new(
        checklist: Checklist,
        labels: Vec<String>,
        access: Vec<AccessLink>,
    ) -> Option<Self> {
        let email = checklist.hire.email.clone()?;
        let title = plain_inert(&format!(
            "Onboarding: {}, starting {}, as {}",
            checklist.hire.name, checklist.start, checklist.plan.role.name
        ));
        let assignees = [&checklist.hire.username, &checklist.hire.manager]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        Some(Self {
            key: onboarding_key(&email),
            title,
            labels,
            assignees,
            access,
            checklist,
        })
    }

    /// The access requests the issue's `/relate` line names: each whose
    /// address is one word on one line, as GitLab gives it (an address that
    /// is not could carry a second command, and is linked the long way).
    fn related_by_create(&self) -> impl Iterator<Item = &AccessLink> {
        self.access.iter().filter(|link| one_word(&link.url))
    }

    /// The hidden marker of the issue.
    pub(crate) fn marker(&self) -> Marker {
        Marker {
            kind: Self::KIND,
            key: self.key.clone(),
            systems: vec![PART.to_string()],
            start: Some(self.checklist.start),
            role: Some(self.checklist.plan.role.id.to_string()),
            until: None,
        }
    }

    /// The issue body: the template, then the marker.
    pub(crate) fn body(&self, renderer: &Renderer) -> Result<String, RenderFailure> {
        let view = OnboardingView::of(&self.checklist, &self.access, task_markers(&self.checklist));
        let mut body = renderer.render(render::ONBOARDING_ISSUE, &view)?;
        if !body.ends_with('\n') {
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&self.marker().line());
        Ok(body)
    }
}

/// True when `text` is one word on one line: nothing a quick action's
/// argument could end early with, or carry a second command after.
fn one_word(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The hidden comment of every task, in the checklist's task order: a stable
/// id (owner, title and tool, and which repeat of them it is), the owner
/// and the due date.
pub(crate) fn task_markers(checklist: &Checklist) -> Vec<String> {
    let mut seen: Vec<(&str, &str, String)> = Vec::new();
    checklist
        .tasks()
        .map(|task| {
            let identity = (task.owner.id(), &*task.title, tools_of(task));
            let nth = seen.iter().filter(|s| **s == identity).count();
            seen.push(identity);
            task_marker(task, nth)
        })
        .collect()
}

/// The ids of the tools a task is about, as they go into its id: one tool's
/// id alone, as before tasks could cover several.
fn tools_of(task: &DatedTask) -> String {
    let ids: Vec<&str> = task.tools.iter().map(ToolId::as_str).collect();
    ids.join(",")
}

fn task_marker(task: &DatedTask, nth: usize) -> String {
    let digest = Sha256::digest(format!(
        "{}\n{}\n{}\n{nth}",
        task.owner.id(),
        task.title,
        tools_of(task)
    ));
    let mut id = String::new();
    for byte in digest.iter().take(5) {
        id.push_str(&format!("{byte:02x}"));
    }
    let done_when = task
        .done_when
        .map(|state| format!(" done-when:{}", state.keyword()))
        .unwrap_or_default();
    format!(
        "{TASK_MARKER} id:{id} owner:{} due:{}{done_when} -->",
        task.owner.id(),
        task.date
    )
}

/// A task read back from an onboarding issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadTask {
    /// The stable id.
    pub id: String,
    /// What to do, as the issue says.
    pub title: String,
    /// Who does it: the owner's id.
    pub owner: String,
    /// The owner's username, from the heading above the task.
    pub username: Option<String>,
    /// When it is due.
    pub due: NaiveDate,
    /// The access-request state that completes it.
    pub done_when: Option<DoneWhen>,
    /// Ticked.
    pub done: bool,
}

/// Every task `onboard` wrote into an onboarding issue's body, ticked or not.
pub(crate) fn read_tasks(body: &str) -> Vec<ReadTask> {
    let mut username: Option<String> = None;
    let mut tasks = Vec::new();
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            username = heading
                .split_once("(@")
                .and_then(|(_, rest)| rest.split(')').next())
                .map(str::to_string);
            continue;
        }
        let Some(task) = item(line) else { continue };
        let Some(at) = task.text.find(TASK_MARKER) else {
            continue;
        };
        let comment = task.text[at + TASK_MARKER.len()..].trim_end_matches("-->");
        let field = |name: &str| {
            comment
                .split_whitespace()
                .find_map(|w| w.strip_prefix(name))
                .map(str::to_string)
        };
        let title = task.text[..at].trim();
        let title = title.rsplit_once(" · due ").map_or(title, |(t, _)| t);
        let (Some(id), Some(owner), Some(due)) = (
            field("id:"),
            field("owner:"),
            field("due:").and_then(|d| d.parse().ok()),
        ) else {
            continue;
        };
        tasks.push(ReadTask {
            id,
            title: title.to_string(),
            owner,
            username: username.clone(),
            due,
            done_when: field("done-when:").and_then(|w| DoneWhen::parse(&w, "state").ok()),
            done: task.done,
        });
    }
    tasks
}

/// The id of the task on a line, if it is one `onboard` wrote.
fn task_id(text: &str) -> Option<&str> {
    let at = text.find(TASK_MARKER)?;
    text[at..]
        .split_whitespace()
        .find_map(|w| w.strip_prefix("id:"))
}

impl Document for OnboardingIssue {
    const KIND: &'static str = "onboarding";
    const WHAT: &'static str = "onboarding issue";
    const PLURAL: &'static str = "onboarding issues";

    fn key(&self) -> &str {
        &self.key
    }

    fn parts(&self) -> Vec<String> {
        vec![PART.to_string()]
    }

    fn assignees(&self) -> Vec<String> {
        self.assignees.clone()
    }

    fn draft(
        &self,
        parts: &[String],
        renderer: &Renderer,
        assignee_ids: &[u64],
    ) -> Result<Option<IssueDraft>, RenderFailure> {
        if !parts.iter().any(|p| p == PART) {
            return Ok(None);
        }
        Ok(Some(IssueDraft {
            title: self.title.clone(),
            description: self.body(renderer)?,
            labels: self.labels.clone(),
            assignee_ids: assignee_ids.to_vec(),
            due_date: self.checklist.due,
            confidential: true,
        }))
    }

    /// A new onboarding issue relates itself to the hire's access requests
    /// as it is created: one request instead of one per link.
    fn quick_action(&self) -> Option<String> {
        let urls: Vec<&str> = self.related_by_create().map(|l| l.url.as_str()).collect();
        (!urls.is_empty()).then(|| format!("/relate {}", urls.join(" ")))
    }

    /// The open issue is rewritten whenever what it would say now differs:
    /// a changed catalogue, a moved start, new access requests. Every box
    /// already ticked stays ticked.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure> {
        let fresh = carry_ticks(body, &self.body(renderer)?, |old, new| {
            task_id(old).is_some() && task_id(old) == task_id(new)
        });
        // GitLab may trim the end of a body, and its editor may save CRLF.
        let same = |a: &str, b: &str| {
            a.replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end()
        };
        if same(&fresh, body) {
            return Ok(None);
        }
        let before: BTreeSet<String> = read_tasks(body).into_iter().map(|t| t.id).collect();
        let after: BTreeSet<String> = read_tasks(&fresh).into_iter().map(|t| t.id).collect();
        let mut changes = Vec::new();
        match marker.start {
            Some(from) if from != self.checklist.start => {
                changes.push(format!(
                    "the start date moved from {from} to {}",
                    self.checklist.start
                ));
            }
            _ => {}
        }
        let added = after.difference(&before).count();
        let removed = before.difference(&after).count();
        if added > 0 {
            changes.push(format!("{added} tasks added"));
        }
        if removed > 0 {
            changes.push(format!("{removed} removed"));
        }
        if changes.is_empty() {
            changes.push("the checklist changed".to_string());
        }
        Ok(Some(Refresh {
            title: None,
            body: fresh,
            due: self.checklist.due,
            reason: changes.join(", "),
        }))
    }
}

/// The hire's trusted access-request issues in `project`, as links, systems
/// by name; closed duplicates are left out.
pub(crate) fn find_access<T: Tracker>(
    filing: &Filing<'_, T>,
    email: &str,
    catalog: &Catalog,
) -> Result<Vec<AccessLink>, FilingError> {
    let key = request_key(email);
    let wanted = Wanted {
        key: &key,
        legacy_key: None,
        kind: "request",
        what: "access requests",
    };
    let (issues, _) = filing.issues(&wanted)?;
    let numbered: Vec<(u64, &Marker)> = issues.iter().map(|(issue, m)| (issue.iid, m)).collect();
    let mut links: Vec<AccessLink> = Vec::new();
    for (issue, marker) in &issues {
        // A closed duplicate is not one of the hire's requests.
        if !issue.is_open() && marker.duplicates(issue.iid, &numbered) {
            continue;
        }
        links.push(AccessLink {
            url: issue.web_url.clone(),
            iid: issue.iid,
            systems: marker
                .systems
                .iter()
                .map(|s| tool_name(catalog, s))
                .collect(),
            ids: marker.systems.clone(),
        });
    }
    Ok(links)
}

/// The access links of what filing a hire's access requests just gave.
pub(crate) fn links_of(filed: &Filed, catalog: &Catalog) -> Vec<AccessLink> {
    filed
        .issues
        .iter()
        .map(|i| AccessLink {
            url: i.url.clone(),
            iid: i.iid,
            systems: i.systems.iter().map(|s| tool_name(catalog, s)).collect(),
            ids: i.systems.clone(),
        })
        .collect()
}

fn tool_name(catalog: &Catalog, id: &str) -> String {
    catalog
        .find_tool(id)
        .map_or_else(|_| id.to_string(), |t| catalog.tool(&t).name.clone())
}

/// Files a hire's onboarding issue, then makes sure it links to each of
/// their access requests. A new issue is created with a `/relate` quick
/// action, so GitLab links it as it creates it; a server that did not run
/// it gets one link request each. For an issue found, links the journal
/// already knows are trusted, the rest are read from GitLab and the
/// missing ones made. A link that cannot be made is reported as an event,
/// not as a failed filing, and the next run tries again.
pub(crate) fn file(
    filing: &Filing<'_, Project<'_>>,
    onboarding: &Project<'_>,
    access_project: &ProjectInfo,
    issue: &OnboardingIssue,
) -> Result<Filed, FilingError> {
    let mut filed = filing.file(issue)?;
    let Some(main) = filed.issues.first().cloned() else {
        return Ok(filed);
    };
    let (journal, place) = filing.journal();
    let mut known = journal.linked(place, &issue.key, &main.url);
    if main.quick_action == QuickAction::Ran {
        known.extend(issue.related_by_create().map(|link| link.url.clone()));
    }
    let wanted = |known: &[String]| -> Vec<&AccessLink> {
        issue
            .access
            .iter()
            .filter(|link| !known.contains(&link.url))
            .collect()
    };
    if wanted(&known).is_empty() {
        if main.quick_action == QuickAction::Ran {
            journal.record_linked(place, &issue.key, &main.url, &known)?;
        }
        return Ok(filed);
    }
    // An issue this run created has no links yet: nothing to read.
    let existing = if main.created {
        Ok(Vec::new())
    } else {
        onboarding.linked_issues(main.iid)
    };
    match existing {
        Ok(linked) => known.extend(linked.into_iter().map(|l| l.web_url)),
        Err(err) => {
            let reason = err.to_string();
            let missing: Vec<Event> = wanted(&known)
                .into_iter()
                .map(|link| Event::NotLinked {
                    url: link.url.clone(),
                    reason: reason.clone(),
                })
                .collect();
            filed.events.extend(missing);
            return Ok(filed);
        }
    }
    for link in wanted(&known) {
        match onboarding.link_issue(main.iid, access_project, link.iid) {
            Ok(()) => known.push(link.url.clone()),
            Err(err) => filed.events.push(Event::NotLinked {
                url: link.url.clone(),
                reason: err.to_string(),
            }),
        }
    }
    journal.record_linked(place, &issue.key, &main.url, &known)?;
    Ok(filed)
}

/// Opens GitLab and files a hire's onboarding issue, linked to their access
/// requests (those just filed, or else those found by their key): the one
/// path `checklist --file` and the wizard share.
pub(crate) fn file_one(
    gitlab: &crate::gitlab::Gitlab,
    journal: &std::path::Path,
    workspace: &crate::workspace::Workspace,
    checklist: Checklist,
    labels: Vec<String>,
    access: Option<&Filed>,
) -> Result<Filed, crate::Error> {
    let desk = Desk::open(gitlab, journal, Writes::Journal)?;
    let onboarding = desk.project(&gitlab.onboarding_project)?;
    let access_project = desk.project(&gitlab.project)?;
    let links = match (access, checklist.hire.email.as_deref()) {
        (Some(filed), _) => links_of(filed, &workspace.catalog),
        (None, Some(email)) => find_access(
            &desk.filing(&access_project, &workspace.renderer),
            email,
            &workspace.catalog,
        )?,
        (None, None) => Vec::new(),
    };
    let issue = OnboardingIssue::new(checklist, labels, links).ok_or(
        crate::access::AccessError::Missing("email", "the onboarding issue is found again by it"),
    )?;
    let filing = desk.filing(&onboarding, &workspace.renderer);
    Ok(file(&filing, &onboarding, &access_project.info, &issue)?)
}

#[cfg(test)]
mod tests {
    use super::one_word;

    #[test]
    fn only_an_address_that_is_one_word_goes_into_the_relate_line() {
        assert!(one_word(
            "https://gitlab.example.com/it/requests/-/issues/12"
        ));
        assert!(!one_word("https://x/-/issues/1\n/close"));
        assert!(!one_word("https://x/-/issues/1 /close"));
        assert!(!one_word("https://x/-/issues/1\u{2028}"));
        assert!(!one_word(""));
    }
}
