//! The parts of GitLab's JSON that `onboard` reads, and the issue it sends.

use chrono::NaiveDate;
use gitlab::api::common::NameOrId;
use gitlab::api::projects::issues::CreateIssue;
use gitlab::api::{self};
use serde::Deserialize;

use super::server::Server;

/// The parts of a GitLab user `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct User {
    /// Numeric id.
    pub id: u64,
    /// Username.
    pub username: String,
}

/// The parts of a GitLab project `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct ProjectInfo {
    /// Numeric id; `None` for a project addressed by its path unread.
    pub id: Option<u64>,
    /// `group/project`.
    pub path_with_namespace: String,
}

impl ProjectInfo {
    /// How requests name the project: its id, else its path.
    pub(crate) fn reference(&self) -> gitlab::api::common::NameOrId<'_> {
        self.id.map_or_else(
            || self.path_with_namespace.as_str().into(),
            gitlab::api::common::NameOrId::from,
        )
    }

    /// The id, or else the path, as text.
    pub(crate) fn id_text(&self) -> String {
        self.reference().to_string()
    }
}

/// Open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IssueState {
    /// Open.
    Opened,
    /// Closed.
    Closed,
}

/// The parts of a GitLab issue `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Issue {
    /// Per-project number.
    pub iid: u64,
    /// Title.
    pub title: String,
    /// Body.
    #[serde(default)]
    pub description: Option<String>,
    /// Its web page.
    pub web_url: String,
    /// Open or closed.
    pub state: IssueState,
    /// Who opened it.
    #[serde(default)]
    pub author: Option<User>,
    /// Its labels.
    #[serde(default)]
    pub labels: Vec<String>,
    /// When it is due.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// When it was opened.
    #[serde(default)]
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When anything about it last changed.
    #[serde(default)]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who closed it, when it is closed.
    #[serde(default)]
    pub closed_by: Option<User>,
    /// Who it is assigned to.
    #[serde(default)]
    pub assignees: Vec<User>,
}

impl Issue {
    /// True for an open issue.
    pub(crate) fn is_open(&self) -> bool {
        self.state == IssueState::Opened
    }

    /// The author's username, if GitLab said.
    pub(crate) fn author_name(&self) -> Option<&str> {
        self.author.as_ref().map(|u| u.username.as_str())
    }
}

/// A change to an existing issue; `None` fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IssueEdit {
    /// A new title.
    pub title: Option<String>,
    /// A new body.
    pub description: Option<String>,
    /// A new due date.
    pub due_date: Option<NaiveDate>,
    /// Close it.
    pub close: bool,
}

/// A new issue, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IssueDraft {
    /// Title.
    pub title: String,
    /// Markdown body.
    pub description: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Who it is assigned to.
    pub assignee_ids: Vec<u64>,
    /// When it is due.
    pub due_date: NaiveDate,
    /// Whether only project members may see it.
    pub confidential: bool,
}

/// The crate endpoint that creates `draft` in `project`.
pub(super) fn create_endpoint<'a>(
    project: impl Into<NameOrId<'a>>,
    draft: &'a IssueDraft,
) -> Result<CreateIssue<'a>, String> {
    let mut builder = CreateIssue::builder();
    builder
        .project(project)
        .title(draft.title.as_str())
        .description(draft.description.as_str())
        .confidential(draft.confidential)
        .labels(draft.labels.iter().map(String::as_str))
        .due_date(draft.due_date);
    if !draft.assignee_ids.is_empty() {
        builder.assignee_ids(draft.assignee_ids.iter().copied());
    }
    builder.build().map_err(|e| e.to_string())
}

/// Exactly what creating `draft` sends: the URL and the decoded form fields,
/// produced by the same endpoint the connection uses.
pub(crate) fn describe_create(
    server: &Server,
    project: &str,
    draft: &IssueDraft,
) -> Result<(String, Vec<(String, String)>), String> {
    let endpoint = create_endpoint(project, draft)?;
    let url = server
        .api()
        .join(&api::Endpoint::endpoint(&endpoint))
        .map_err(|e| e.to_string())?;
    let fields = match api::Endpoint::body(&endpoint).map_err(|e| e.to_string())? {
        Some((_, bytes)) => url::form_urlencoded::parse(&bytes).into_owned().collect(),
        None => Vec::new(),
    };
    Ok((url.to_string(), fields))
}
