//! What tests read and change directly, without going through HTTP:
//! recorded requests and quick actions, stored issues, notes and links, and
//! edits made "in the UI" (closing, relabelling, ticking a task), which
//! leave the same system notes GitLab would.

use super::changes::{Changes, StateEvent};
use super::state::State;
use super::tasks::tick;
use super::types::{NewIssue, RecordedRequest};
use super::FakeGitlab;
use serde_json::Value;

impl FakeGitlab {
    /// Every request so far, in the order their answers were decided
    /// (silent-mode requests when they arrived).
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Every quick action found so far: (project path, iid, command line),
    /// whether or not GitLab's conditions let it change anything.
    #[must_use]
    pub fn quick_actions(&self) -> Vec<(String, u64, String)> {
        self.lock().quick_actions.clone()
    }

    /// Stored (and landed) issues of a project (full path or numeric id),
    /// oldest first. Empty for an unknown project.
    #[must_use]
    pub fn issues(&self, project: &str) -> Vec<Value> {
        let st = self.lock();
        match st.project_index(project) {
            Some(i) => st.issues_json(i),
            None => Vec::new(),
        }
    }

    /// One stored issue by project and iid, as `GET .../issues/:iid` shows it.
    #[must_use]
    pub fn issue(&self, project: &str, iid: u64) -> Option<Value> {
        let st = self.lock();
        let pidx = st.project_index(project)?;
        st.issue(pidx, iid).map(|i| st.issue_json(pidx, i))
    }

    /// Stores an issue as if created (no request recorded, no quick
    /// actions run); returns its JSON.
    ///
    /// # Panics
    ///
    /// On an unknown project: the test's fixtures are wrong.
    // why: a test seeding a backlog has no use for the JSON of each issue.
    #[allow(clippy::must_use_candidate)]
    pub fn add_issue(&self, project: &str, issue: NewIssue) -> Value {
        let mut st = self.lock();
        let Some(pidx) = st.project_index(project) else {
            panic!("fake GitLab: unknown project {project}");
        };
        let iid = st.preload_issue(pidx, issue);
        let issue = st.issue(pidx, iid).map(|i| st.issue_json(pidx, i));
        issue.unwrap_or(Value::Null)
    }

    /// Makes a project label exist (quick actions only add existing labels).
    #[must_use]
    pub fn create_label(&self, project: &str, name: &str) -> bool {
        let mut st = self.lock();
        let Some(pidx) = st.project_index(project) else {
            return false;
        };
        st.label_id(pidx, name);
        true
    }

    /// Applies a change as the issue's author; false when there is no such issue.
    fn edit(&self, project: &str, iid: u64, changes: &Changes) -> bool {
        let mut st = self.lock();
        let Some((pidx, author)) = author_of(&st, project, iid) else {
            return false;
        };
        st.apply_changes(pidx, iid, author, changes, false)
    }

    /// Closes an issue (as its author); false when there is no such issue.
    #[must_use]
    pub fn close_issue(&self, project: &str, iid: u64) -> bool {
        let changes = Changes {
            state_event: Some(StateEvent::Close),
            ..Changes::default()
        };
        self.edit(project, iid, &changes)
    }

    /// Reopens an issue; false when there is no such issue.
    #[must_use]
    pub fn reopen_issue(&self, project: &str, iid: u64) -> bool {
        let changes = Changes {
            state_event: Some(StateEvent::Reopen),
            ..Changes::default()
        };
        self.edit(project, iid, &changes)
    }

    /// Replaces an issue's labels (scoped labels: the later one wins).
    pub fn set_labels(&self, project: &str, iid: u64, labels: &[&str]) -> bool {
        let changes = Changes {
            labels: Some(
                labels
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
            ),
            ..Changes::default()
        };
        self.edit(project, iid, &changes)
    }

    /// Replaces an issue's labels as `username` would in the UI (any
    /// Reporter may): the label events name them. False when there is no
    /// such issue or user.
    pub fn set_labels_as(&self, project: &str, iid: u64, username: &str, labels: &[&str]) -> bool {
        let changes = Changes {
            labels: Some(labels.iter().map(ToString::to_string).collect()),
            ..Changes::default()
        };
        self.edit_as(project, iid, username, &changes)
    }

    /// Closes an issue as `username`: `closed_by` names them.
    #[must_use]
    pub fn close_issue_as(&self, project: &str, iid: u64, username: &str) -> bool {
        let changes = Changes {
            state_event: Some(StateEvent::Close),
            ..Changes::default()
        };
        self.edit_as(project, iid, username, &changes)
    }

    fn edit_as(&self, project: &str, iid: u64, username: &str, changes: &Changes) -> bool {
        let mut st = self.lock();
        let Some(pidx) = st.project_index(project) else {
            return false;
        };
        let Some(actor) = st.user_by_name(username).map(|u| u.id) else {
            return false;
        };
        st.apply_changes(pidx, iid, actor, changes, false)
    }

    /// Replaces an issue's title, as anyone who may edit it could.
    #[must_use]
    pub fn set_title(&self, project: &str, iid: u64, title: &str) -> bool {
        let changes = Changes {
            title: Some(title.to_string()),
            ..Changes::default()
        };
        self.edit(project, iid, &changes)
    }

    /// Replaces an issue's description (no quick actions run).
    #[must_use]
    pub fn set_description(&self, project: &str, iid: u64, description: &str) -> bool {
        let changes = Changes {
            description: Some(Some(description.to_string())),
            ..Changes::default()
        };
        self.edit(project, iid, &changes)
    }

    /// Ticks the first open task item (`- [ ]`) whose line contains
    /// `task`, as a click in the UI does: the description and
    /// `task_completion_status` change, and a system note says so. False
    /// when there is no such issue or open item.
    #[must_use]
    pub fn tick_task(&self, project: &str, iid: u64, task: &str) -> bool {
        let mut st = self.lock();
        let Some((pidx, author)) = author_of(&st, project, iid) else {
            return false;
        };
        let description = st.issue(pidx, iid).and_then(|i| i.description.clone());
        let Some((text, item)) = description.as_deref().and_then(|d| tick(d, task)) else {
            return false;
        };
        let now = st.next_timestamp();
        if let Some(issue) = st.issue_mut(pidx, iid) {
            issue.description = Some(text);
            issue.updated_at = now;
        }
        let note = format!("marked the checklist item **{item}** as completed");
        st.add_note(pidx, iid, author, &note, true, false);
        true
    }

    /// The notes of an issue, oldest first (system notes included).
    #[must_use]
    pub fn notes(&self, project: &str, iid: u64) -> Vec<Value> {
        let st = self.lock();
        match st.project_index(project) {
            Some(pidx) => st.notes_json(pidx, iid),
            None => Vec::new(),
        }
    }

    /// Adds a note by `username` (no quick actions run); its JSON, or
    /// `None` for an unknown project, issue or user.
    #[must_use]
    pub fn add_note(&self, project: &str, iid: u64, username: &str, body: &str) -> Option<Value> {
        let mut st = self.lock();
        let pidx = st.project_index(project)?;
        let author = st.user_by_name(username)?.id;
        let id = st.add_note(pidx, iid, author, body, false, false)?;
        st.notes_json(pidx, iid)
            .into_iter()
            .find(|n| n["id"].as_u64() == Some(id))
    }

    /// The issues linked to an issue, as `GET .../links` lists them.
    #[must_use]
    pub fn links(&self, project: &str, iid: u64) -> Vec<Value> {
        let st = self.lock();
        match st.project_index(project) {
            Some(pidx) => st.linked_issues(pidx, iid),
            None => Vec::new(),
        }
    }
}

fn author_of(st: &State, project: &str, iid: u64) -> Option<(usize, u64)> {
    let pidx = st.project_index(project)?;
    let author = st.issue(pidx, iid)?.author_id;
    Some((pidx, author))
}
