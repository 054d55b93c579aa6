//! An open, checked connection to one GitLab, and the projects reached
//! through it, with one method per GitLab call `onboard` makes; every call
//! is a `gitlab` crate endpoint. Every project of one client shares its
//! transport, so its timeouts and its rate-limit budget.

use std::fmt;

use gitlab::api::issues::{IssueSearchScope, ProjectIssues};
use gitlab::api::projects::issues::links::{CreateIssueLink, IssueLinks};
use gitlab::api::projects::issues::notes::{CreateIssueNote, DeleteIssueNote, IssueNotes};
use gitlab::api::projects::issues::{
    EditIssue, Issue as OneIssue, IssueResourceLabelEvents, IssueStateEvent,
};
use gitlab::api::projects::Project as ProjectEndpoint;
use gitlab::api::users::{CurrentUser, Users};
use gitlab::api::{self, ApiError, Query};
use serde::Deserialize;

use super::error::{explain, status_of, Context, GitlabError, TransportError};
use super::server::{Server, Token};
use super::transport::{Timing, Transport};
use super::wire::{create_endpoint, Issue, IssueDraft, IssueEdit, ProjectInfo, User};

/// A failed issue creation: either surely not created, or perhaps created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CreateFailure {
    /// GitLab refused; nothing was created.
    Refused(GitlabError),
    /// The answer was lost (timeout, dropped connection, 5xx): the issue may exist.
    Unconfirmed(GitlabError),
}

/// A comment on an issue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Note {
    /// Its id, unique on the instance.
    pub id: u64,
    /// When it was written.
    #[serde(default)]
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Its text.
    pub body: String,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<User>,
    /// GitLab's own notes (label changes and the like).
    #[serde(default)]
    pub system: bool,
}

/// A label added to or removed from an issue, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct LabelEvent {
    /// Who did it.
    #[serde(default)]
    pub user: Option<User>,
    /// The label; `None` once the label itself was deleted.
    #[serde(default)]
    pub label: Option<LabelName>,
    /// `add` or `remove`.
    pub action: String,
}

/// A label's name, as label events give it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct LabelName {
    /// The name.
    pub name: String,
}

/// An issue linked to another, as `GET …/issues/:iid/links` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct LinkedIssue {
    /// Its web page.
    pub web_url: String,
}

/// An open, checked connection to one GitLab.
#[derive(Debug)]
pub(crate) struct Client {
    transport: Transport,
    server: Server,
    /// Who the token belongs to.
    pub user: User,
}

/// One project, reached through a client.
#[derive(Debug)]
pub(crate) struct Project<'c> {
    client: &'c Client,
    /// The project as GitLab describes it.
    pub info: ProjectInfo,
}

impl Client {
    /// Connects and checks the token (`GET /user`). Threads that share the
    /// client share its view of the rate limit.
    pub(crate) fn open(
        server: &Server,
        token: Token,
        timing: &Timing,
    ) -> Result<Self, GitlabError> {
        let client = Self {
            transport: Transport::new(server, token, timing)?,
            server: server.clone(),
            user: User {
                id: 0,
                username: String::new(),
            },
        };
        let action = "check the token";
        let endpoint = CurrentUser::builder()
            .build()
            .map_err(|e| client.protocol(action, e))?;
        let user = client.call(action, None, &endpoint)?;
        Ok(Self { user, ..client })
    }

    /// A project by path or id, checked (`GET /projects/:id`).
    pub(crate) fn project(&self, project: &str) -> Result<Project<'_>, GitlabError> {
        let action = format!("look up project '{project}'");
        let endpoint = ProjectEndpoint::builder()
            .project(project)
            .build()
            .map_err(|e| self.protocol(&action, e))?;
        let info = self.call(&action, Some(project), &endpoint)?;
        Ok(Project { client: self, info })
    }

    /// A project addressed by its path, not looked up: for one that may
    /// not exist, where the first listing's 404 says so
    /// ([`GitlabError::ProjectNotFound`]) without a request of its own.
    pub(crate) fn unread_project(&self, project: &str) -> Project<'_> {
        let info = ProjectInfo {
            id: None,
            path_with_namespace: project.to_string(),
        };
        Project { client: self, info }
    }

    /// The GitLab address, for messages.
    pub(crate) fn server(&self) -> &Server {
        &self.server
    }

    fn call<E, T>(
        &self,
        action: &str,
        project: Option<&str>,
        endpoint: &E,
    ) -> Result<T, GitlabError>
    where
        E: api::Endpoint,
        T: serde::de::DeserializeOwned,
    {
        endpoint
            .query(&self.transport)
            .map_err(|e| self.explain(action, project, &e))
    }

    /// Every page of a listing, together no larger than one answer may be;
    /// a 404 means `project` is not there, when the listing is the project's.
    fn every_page<E, T>(
        &self,
        action: &str,
        project: Option<&str>,
        endpoint: E,
    ) -> Result<Vec<T>, GitlabError>
    where
        E: api::Endpoint + api::Pageable,
        T: serde::de::DeserializeOwned + 'static,
    {
        api::paged(endpoint, api::Pagination::All)
            .query(&self.transport.listing())
            .map_err(|e| self.explain(action, project, &e))
    }

    fn explain(
        &self,
        action: &str,
        project: Option<&str>,
        err: &ApiError<TransportError>,
    ) -> GitlabError {
        let server = self.server.to_string();
        explain(
            &Context {
                server: &server,
                action,
                project,
                timeout_seconds: self.transport.timing().timeout.as_secs(),
            },
            err,
        )
    }

    fn protocol(&self, action: &str, err: impl fmt::Display) -> GitlabError {
        GitlabError::Protocol {
            server: self.server.to_string(),
            action: action.to_string(),
            reason: err.to_string(),
        }
    }

    /// The numeric id of a username.
    pub(crate) fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        let action = format!("look up user '{username}'");
        let endpoint = Users::builder()
            .username(username)
            .build()
            .map_err(|e| self.protocol(&action, e))?;
        let users: Vec<User> = self.call(&action, None, &endpoint)?;
        users
            .into_iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
            .map(|u| u.id)
            .ok_or_else(|| GitlabError::UnknownUser {
                username: username.to_string(),
                server: self.server.to_string(),
            })
    }
}

impl Project<'_> {
    /// The username the token belongs to.
    pub(crate) fn me(&self) -> &str {
        &self.client.user.username
    }

    /// The client this project is reached through.
    pub(crate) fn client(&self) -> &Client {
        self.client
    }

    /// Every issue in the project whose description contains `text`, in any
    /// state, every page.
    pub(crate) fn search_issues(&self, text: &str, what: &str) -> Result<Vec<Issue>, GitlabError> {
        let action = format!("search {} for {what}", self.info.path_with_namespace);
        let endpoint = ProjectIssues::builder()
            .project(self.info.reference())
            .search(text)
            .search_in(IssueSearchScope::Description)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client
            .every_page(&action, Some(&self.info.path_with_namespace), endpoint)
    }

    /// Every issue whose description contains `text`, in any state, created
    /// after `since` when given, 100 to a page.
    pub(crate) fn list_issues(
        &self,
        text: &str,
        since: Option<chrono::DateTime<chrono::Utc>>,
        what: &str,
    ) -> Result<Vec<Issue>, GitlabError> {
        let action = format!("list the {what} of {}", self.info.path_with_namespace);
        let mut builder = ProjectIssues::builder();
        builder
            .project(self.info.reference())
            .search(text)
            .search_in(IssueSearchScope::Description);
        if let Some(since) = since {
            builder.created_after(since);
        }
        let endpoint = builder
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client
            .every_page(&action, Some(&self.info.path_with_namespace), endpoint)
    }

    /// One issue by its number; `None` when GitLab no longer has it.
    pub(crate) fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError> {
        let action = format!("look up issue #{iid}");
        let endpoint = OneIssue::builder()
            .project(self.info.reference())
            .issue(iid)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        match endpoint.query(&self.client.transport) {
            Ok(issue) => Ok(Some(issue)),
            Err(err) if status_of(&err).is_some_and(|s| s == http::StatusCode::NOT_FOUND) => {
                Ok(None)
            }
            Err(err) => Err(self.client.explain(&action, None, &err)),
        }
    }

    /// Creates an issue, once. A lost answer is reported as
    /// [`CreateFailure::Unconfirmed`] so the caller can look before trying again.
    pub(crate) fn create_issue(
        &self,
        draft: &IssueDraft,
        what: &str,
    ) -> Result<Issue, CreateFailure> {
        let action = format!("create the {what} issue");
        let endpoint = create_endpoint(self.info.reference(), draft)
            .map_err(|e| CreateFailure::Refused(self.client.protocol(&action, e)))?;
        endpoint.query(&self.client.transport).map_err(|err| {
            let unconfirmed = match &err {
                ApiError::Client { source } => source.may_have_arrived(),
                other => status_of(other).is_some_and(|s| s.is_server_error()),
            };
            let explained = self.client.explain(&action, None, &err);
            if unconfirmed {
                CreateFailure::Unconfirmed(explained)
            } else {
                CreateFailure::Refused(explained)
            }
        })
    }

    /// Changes an issue's title, body, due date or state.
    pub(crate) fn edit_issue(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError> {
        let action = format!("update issue #{iid}");
        let mut builder = EditIssue::builder();
        builder.project(self.info.reference()).issue(iid);
        if let Some(title) = &edit.title {
            builder.title(title.as_str());
        }
        if let Some(description) = &edit.description {
            builder.description(description.as_str());
        }
        if let Some(date) = edit.due_date {
            builder.due_date(date);
        }
        if edit.close {
            builder.state_event(IssueStateEvent::Close);
        }
        let endpoint = builder
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client.call(&action, None, &endpoint)
    }

    /// Adds a comment to an issue. The body must not start a line with `/`,
    /// which GitLab would run as a quick action.
    pub(crate) fn add_note(&self, iid: u64, body: &str) -> Result<(), GitlabError> {
        let action = format!("comment on issue #{iid}");
        let endpoint = CreateIssueNote::builder()
            .project(self.info.reference())
            .issue(iid)
            .body(body)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        api::ignore(endpoint)
            .query(&self.client.transport)
            .map_err(|e| self.client.explain(&action, None, &e))
    }

    /// Every comment on an issue, every page.
    pub(crate) fn notes(&self, iid: u64) -> Result<Vec<Note>, GitlabError> {
        let action = format!("read the comments of issue #{iid}");
        let endpoint = IssueNotes::builder()
            .project(self.info.reference())
            .issue(iid)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client.every_page(&action, None, endpoint)
    }

    /// Deletes note `note` of issue `iid`; one already gone is not an error.
    pub(crate) fn delete_note(&self, iid: u64, note: u64) -> Result<(), GitlabError> {
        let action = format!("delete comment {note} of issue #{iid}");
        let endpoint = DeleteIssueNote::builder()
            .project(self.info.reference())
            .issue(iid)
            .note(note)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        match api::ignore(endpoint).query(&self.client.transport) {
            Ok(()) => Ok(()),
            Err(err) if status_of(&err).is_some_and(|s| s == http::StatusCode::NOT_FOUND) => Ok(()),
            Err(err) => Err(self.client.explain(&action, None, &err)),
        }
    }

    /// Who added and removed which label on issue `iid`, oldest first.
    pub(crate) fn label_events(&self, iid: u64) -> Result<Vec<LabelEvent>, GitlabError> {
        let action = format!("read the label history of issue #{iid}");
        let endpoint = IssueResourceLabelEvents::builder()
            .project(self.info.reference())
            .issue(iid)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client.every_page(&action, None, endpoint)
    }

    /// The issues issue `iid` is linked to, in any project.
    pub(crate) fn linked_issues(&self, iid: u64) -> Result<Vec<LinkedIssue>, GitlabError> {
        let action = format!("read the links of issue #{iid}");
        let endpoint = IssueLinks::builder()
            .project(self.info.reference())
            .issue(iid)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        self.client.every_page(&action, None, endpoint)
    }

    /// Links issue `iid` here to issue `target_iid` of project `target`.
    /// Linking twice is not an error.
    pub(crate) fn link_issue(
        &self,
        iid: u64,
        target: &ProjectInfo,
        target_iid: u64,
    ) -> Result<(), GitlabError> {
        let action = format!(
            "link issue #{iid} to {}#{target_iid}",
            target.path_with_namespace
        );
        let endpoint = CreateIssueLink::builder()
            .project(self.info.reference())
            .issue(iid)
            .target_project(target.reference())
            .target_issue(target_iid)
            .build()
            .map_err(|e| self.client.protocol(&action, e))?;
        match api::ignore(endpoint).query(&self.client.transport) {
            Ok(()) => Ok(()),
            Err(err) if status_of(&err).is_some_and(|s| s == http::StatusCode::CONFLICT) => Ok(()),
            Err(err) => Err(self.client.explain(&action, None, &err)),
        }
    }
}
