//! Fixtures before the server starts: users, tokens, projects, hidden
//! projects, labels and preloaded issues, plus the seed and the port.

use super::render::IssueFields;
use super::server::{self, Shared};
use super::state::{Project, State, TokenRec, User};
use super::types::{NewIssue, TokenAccess};
use super::FakeGitlab;
use std::io;
use std::net::TcpListener;
use std::sync::Arc;

/// Configures fixtures before [`FakeGitlabBuilder::start`].
#[derive(Clone, Debug)]
pub struct FakeGitlabBuilder {
    users: Vec<(u64, String, String)>,
    tokens: Vec<(String, String, TokenAccess)>,
    projects: Vec<(u64, String)>,
    hidden: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    issues: Vec<(String, NewIssue)>,
    seed: u64,
    port: u16,
}

impl Default for FakeGitlabBuilder {
    fn default() -> Self {
        FakeGitlabBuilder {
            users: Vec::new(),
            tokens: Vec::new(),
            projects: Vec::new(),
            hidden: Vec::new(),
            labels: Vec::new(),
            issues: Vec::new(),
            seed: 1,
            port: 0,
        }
    }
}

impl FakeGitlabBuilder {
    /// No fixtures at all.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A user (`/users?username=` matches the username case-insensitively).
    #[must_use]
    pub fn user(mut self, id: u64, username: impl Into<String>, name: impl Into<String>) -> Self {
        self.users.push((id, username.into(), name.into()));
        self
    }

    /// A valid token with full access for `username`.
    #[must_use]
    pub fn token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::Full)
    }

    /// A valid token whose writes answer 403 `{"message":"403 Forbidden"}`.
    #[must_use]
    pub fn read_only_token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::ReadOnly)
    }

    /// A `read_api`-scoped token: non-GETs answer 403 `insufficient_scope`.
    #[must_use]
    pub fn read_api_token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::ReadApiScope)
    }

    /// A token with the given access for `username`.
    #[must_use]
    pub fn token_with(
        mut self,
        token: impl Into<String>,
        username: impl Into<String>,
        access: TokenAccess,
    ) -> Self {
        self.tokens.push((token.into(), username.into(), access));
        self
    }

    /// A project with a numeric id and a full path (`group/sub/name`).
    #[must_use]
    pub fn project(mut self, id: u64, path: impl Into<String>) -> Self {
        self.projects.push((id, path.into()));
        self
    }

    /// The project (path or id) answers 404 to that token.
    #[must_use]
    pub fn hidden_project(mut self, project: impl Into<String>, token: impl Into<String>) -> Self {
        self.hidden.push((project.into(), token.into()));
        self
    }

    /// A project label (quick actions only add labels that exist; the API
    /// creates labels on first use).
    #[must_use]
    pub fn label(mut self, project: impl Into<String>, name: impl Into<String>) -> Self {
        self.labels.push((project.into(), name.into()));
        self
    }

    /// Preloads an issue into a project (path or id).
    #[must_use]
    pub fn issue(mut self, project: impl Into<String>, issue: NewIssue) -> Self {
        self.issues.push((project.into(), issue));
        self
    }

    /// Seed of the deterministic PRNG behind the fault rates.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Port to bind on 127.0.0.1 (0 = any free port, the default).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    ///
    /// On a bad fixture or when the port is taken: a test cannot go on
    /// without its server.
    #[must_use]
    pub fn start(self) -> FakeGitlab {
        match self.try_start() {
            Ok(gl) => gl,
            Err(e) => panic!("fake GitLab failed to start: {e}"),
        }
    }

    /// Starts the server.
    ///
    /// # Errors
    ///
    /// A bad fixture is an `InvalidInput` error; a port that cannot be
    /// bound, or a runtime that cannot start, is the I/O error behind it.
    pub fn try_start(self) -> io::Result<FakeGitlab> {
        let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
        let listener = TcpListener::bind(("127.0.0.1", self.port))?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");

        let mut state = State::new(self.seed, base_url.clone());
        for (id, username, name) in self.users {
            if state.users.iter().any(|u| u.id == id) {
                return Err(invalid(format!("duplicate user id {id}")));
            }
            let email = format!("{username}@example.com");
            state.users.push(User {
                id,
                username,
                name,
                email,
            });
        }
        for (token, username, access) in self.tokens {
            let user_id = state
                .users
                .iter()
                .find(|u| u.username == username)
                .map(|u| u.id)
                .ok_or_else(|| invalid(format!("token for unknown user {username}")))?;
            state.tokens.insert(token, TokenRec { user_id, access });
        }
        for (id, path) in self.projects {
            if state.projects.iter().any(|p| p.id == id || p.path == path) {
                return Err(invalid(format!("duplicate project {id} {path}")));
            }
            state.projects.push(Project::new(id, path));
        }
        let index = |state: &State, project: &str| {
            state
                .project_index(project)
                .ok_or_else(|| invalid(format!("unknown project {project}")))
        };
        for (project, token) in self.hidden {
            let idx = index(&state, &project)?;
            state.projects[idx].hidden_for.insert(token);
        }
        for (project, name) in self.labels {
            let idx = index(&state, &project)?;
            state.label_id(idx, &name);
        }
        for (project, issue) in self.issues {
            let idx = index(&state, &project)?;
            state.preload_issue(idx, issue);
        }

        let shared = Arc::new(Shared::new(state));
        let server = server::start(listener, Arc::clone(&shared))?;
        Ok(FakeGitlab {
            shared,
            _server: server,
            base_url,
        })
    }
}

impl State {
    /// Stores a fixture issue as-is (no quick actions, no system notes).
    pub(super) fn preload_issue(&mut self, pidx: usize, spec: NewIssue) -> u64 {
        let author_id = spec
            .author
            .as_deref()
            .and_then(|name| self.user_by_name(name))
            .or_else(|| self.users.first())
            .map_or(0, |u| u.id);
        let fields = IssueFields {
            title: spec.title.trim().to_string(),
            description: spec.description,
            labels: super::params::split_labels(spec.labels.iter().map(String::as_str)),
            assignee_ids: spec.assignee_ids,
            confidential: spec.confidential,
            due_date: spec.due_date.as_deref().and_then(super::params::parse_date),
            author_id,
        };
        let iid = self.store_issue(pidx, fields);
        if spec.closed {
            if let Some(issue) = self.issue_mut(pidx, iid) {
                issue.closed = true;
                issue.closed_at = Some(issue.created_at);
                issue.closed_by = Some(author_id);
            }
        }
        iid
    }
}
