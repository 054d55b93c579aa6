//! An open, checked connection to one project, with one method per GitLab
//! call `onboard` makes; every call is a `gitlab` crate endpoint.

use std::fmt;

use gitlab::api::issues::{IssueSearchScope, ProjectIssues};
use gitlab::api::projects::issues::notes::CreateIssueNote;
use gitlab::api::projects::issues::{EditIssue, Issue as OneIssue, IssueStateEvent};
use gitlab::api::projects::Project;
use gitlab::api::users::{CurrentUser, Users};
use gitlab::api::{self, ApiError, Query};

use super::error::{explain, is_tls_failure, status_of, Context, GitlabError, TransportError};
use super::server::{Server, Token};
use super::transport::{Timing, Transport};
use super::wire::{create_endpoint, Issue, IssueDraft, IssueEdit, ProjectInfo, User};

/// A failed issue creation: either surely not created, or perhaps created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateFailure {
    /// GitLab refused; nothing was created.
    Refused(GitlabError),
    /// The answer was lost (timeout, dropped connection, 5xx): the issue may exist.
    Unconfirmed(GitlabError),
}

/// An open, checked connection to one project.
#[derive(Debug)]
pub struct Connection {
    transport: Transport,
    server: Server,
    /// The project issues go to.
    pub project: ProjectInfo,
    /// Who the token belongs to.
    pub user: User,
}

impl Connection {
    /// Connects, checks the token (`GET /user`) and the project (`GET /projects/:id`).
    /// Threads that share the connection share its view of the rate limit.
    pub fn open(
        server: &Server,
        token: Token,
        project: &str,
        timing: &Timing,
    ) -> Result<Self, GitlabError> {
        let transport = Transport::new(server, token, timing)?;
        let fail = |action: &str, e: &dyn fmt::Display| GitlabError::Protocol {
            server: server.to_string(),
            action: action.to_string(),
            reason: e.to_string(),
        };
        let current_user = CurrentUser::builder()
            .build()
            .map_err(|e| fail("check the token", &e))?;
        let shown = server.to_string();
        let user: User = current_user.query(&transport).map_err(|e| {
            explain(
                &Self::context(&shown, &transport, "check the token", None),
                &e,
            )
        })?;
        let endpoint = Project::builder()
            .project(project)
            .build()
            .map_err(|e| fail("look up the project", &e))?;
        let action = format!("look up project '{project}'");
        let found: ProjectInfo = endpoint.query(&transport).map_err(|e| {
            explain(
                &Self::context(&shown, &transport, &action, Some(project)),
                &e,
            )
        })?;
        Ok(Self {
            transport,
            server: server.clone(),
            project: found,
            user,
        })
    }

    fn context<'a>(
        server: &'a str,
        transport: &Transport,
        action: &'a str,
        project: Option<&'a str>,
    ) -> Context<'a> {
        Context {
            server,
            action,
            project,
            timeout_seconds: transport.timing().timeout.as_secs(),
        }
    }

    /// The GitLab address, for messages.
    pub fn server(&self) -> &Server {
        &self.server
    }

    fn explain(&self, action: &str, err: &ApiError<TransportError>) -> GitlabError {
        let server = self.server.to_string();
        explain(&Self::context(&server, &self.transport, action, None), err)
    }

    fn protocol(&self, action: &str, err: impl fmt::Display) -> GitlabError {
        GitlabError::Protocol {
            server: self.server.to_string(),
            action: action.to_string(),
            reason: err.to_string(),
        }
    }

    /// The numeric id of a username.
    pub fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        let action = format!("look up user '{username}'");
        let endpoint = Users::builder()
            .username(username)
            .build()
            .map_err(|e| self.protocol(&action, e))?;
        let users: Vec<User> = endpoint
            .query(&self.transport)
            .map_err(|e| self.explain(&action, &e))?;
        users
            .into_iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
            .map(|u| u.id)
            .ok_or_else(|| GitlabError::UnknownUser {
                username: username.to_string(),
                server: self.server.to_string(),
            })
    }

    /// Every issue in the project whose description contains `text`, in any state.
    pub fn search_issues(&self, text: &str, what: &str) -> Result<Vec<Issue>, GitlabError> {
        let action = format!("search the project for existing {what}");
        let action = action.as_str();
        let endpoint = ProjectIssues::builder()
            .project(self.project.id)
            .search(text)
            .search_in(IssueSearchScope::Description)
            .build()
            .map_err(|e| self.protocol(action, e))?;
        api::paged(endpoint, api::Pagination::All)
            .query(&self.transport)
            .map_err(|e| self.explain(action, &e))
    }

    /// Creates an issue, once. A lost answer is reported as
    /// [`CreateFailure::Unconfirmed`] so the caller can look before trying again.
    pub fn create_issue(&self, draft: &IssueDraft, what: &str) -> Result<Issue, CreateFailure> {
        let action = format!("create the {what} issue");
        let action = action.as_str();
        let endpoint = create_endpoint(self.project.id, draft)
            .map_err(|e| CreateFailure::Refused(self.protocol(action, e)))?;
        endpoint.query(&self.transport).map_err(|err| {
            let unconfirmed = match &err {
                ApiError::Client {
                    source: TransportError::Send(e),
                } => !(e.is_connect() || is_tls_failure(e)),
                other => status_of(other).is_some_and(|s| s.is_server_error()),
            };
            let explained = self.explain(action, &err);
            if unconfirmed {
                CreateFailure::Unconfirmed(explained)
            } else {
                CreateFailure::Refused(explained)
            }
        })
    }

    /// One issue by its number; `None` when GitLab no longer has it.
    pub fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError> {
        let action = format!("look up issue #{iid}");
        let endpoint = OneIssue::builder()
            .project(self.project.id)
            .issue(iid)
            .build()
            .map_err(|e| self.protocol(&action, e))?;
        match endpoint.query(&self.transport) {
            Ok(issue) => Ok(Some(issue)),
            Err(err) if status_of(&err).is_some_and(|s| s == http::StatusCode::NOT_FOUND) => {
                Ok(None)
            }
            Err(err) => Err(self.explain(&action, &err)),
        }
    }

    /// Changes an issue's body, due date or state.
    pub fn edit_issue(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError> {
        let action = format!("update issue #{iid}");
        let mut builder = EditIssue::builder();
        builder.project(self.project.id).issue(iid);
        if let Some(description) = &edit.description {
            builder.description(description.as_str());
        }
        if let Some(date) = edit.due_date {
            builder.due_date(date);
        }
        if edit.close {
            builder.state_event(IssueStateEvent::Close);
        }
        let endpoint = builder.build().map_err(|e| self.protocol(&action, e))?;
        endpoint
            .query(&self.transport)
            .map_err(|e| self.explain(&action, &e))
    }

    /// Adds a comment to an issue. The body must not start a line with `/`,
    /// which GitLab would run as a quick action.
    pub fn add_note(&self, iid: u64, body: &str) -> Result<(), GitlabError> {
        let action = format!("comment on issue #{iid}");
        let endpoint = CreateIssueNote::builder()
            .project(self.project.id)
            .issue(iid)
            .body(body)
            .build()
            .map_err(|e| self.protocol(&action, e))?;
        api::ignore(endpoint)
            .query(&self.transport)
            .map_err(|e| self.explain(&action, &e))
    }
}
