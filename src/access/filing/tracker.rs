//! What filing needs from an issue tracker, and GitLab's project as one.

use chrono::{DateTime, Utc};

use crate::gitlab::{CreateFailure, GitlabError, Issue, IssueDraft, IssueEdit, Project};

use super::super::journal::Place;

/// Where issues are filed.
pub(crate) trait Tracker: Sync {
    /// The server and project, for the journal.
    fn place(&self) -> Place;
    /// Every issue whose description contains `key`, in any state; `what`
    /// names them for messages ("access requests").
    fn search(&self, key: &str, what: &str) -> Result<Vec<Issue>, GitlabError>;
    /// Every issue whose description contains `term`, in any state, created
    /// after `since` when given: one paginated listing for a whole batch.
    fn list(
        &self,
        term: &str,
        since: Option<DateTime<Utc>>,
        what: &str,
    ) -> Result<Vec<Issue>, GitlabError>;
    /// One issue by its number; `None` when it no longer exists.
    fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError>;
    /// Creates an issue, once; `what` names it for messages ("access request").
    fn create(&self, draft: &IssueDraft, what: &str) -> Result<Issue, CreateFailure>;
    /// Changes an issue.
    fn edit(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError>;
    /// Comments on an issue.
    fn note(&self, iid: u64, body: &str) -> Result<(), GitlabError>;
    /// The numeric id of a username.
    fn user_id(&self, username: &str) -> Result<u64, GitlabError>;
}

impl Tracker for Project<'_> {
    fn place(&self) -> Place {
        Place {
            server: self.client().server().to_string(),
            project: self.info.path_with_namespace.clone(),
        }
    }

    fn search(&self, key: &str, what: &str) -> Result<Vec<Issue>, GitlabError> {
        self.search_issues(key, what)
    }

    fn list(
        &self,
        term: &str,
        since: Option<DateTime<Utc>>,
        what: &str,
    ) -> Result<Vec<Issue>, GitlabError> {
        self.list_issues(term, since, what)
    }

    fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError> {
        Project::issue(self, iid)
    }

    fn create(&self, draft: &IssueDraft, what: &str) -> Result<Issue, CreateFailure> {
        self.create_issue(draft, what)
    }

    fn edit(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError> {
        self.edit_issue(iid, edit)
    }

    fn note(&self, iid: u64, body: &str) -> Result<(), GitlabError> {
        self.add_note(iid, body)
    }

    fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        self.client().user_id(username)
    }
}
