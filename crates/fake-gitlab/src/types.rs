//! The public value types: token kinds, fault modes, preloaded issues and
//! recorded requests. Kept apart from the server so tests can read them
//! without wading through the HTTP plumbing.

use serde_json::Value;
use std::time::{Duration, Instant};

/// What happens to the answer of an issue creation chosen to be "lost".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LostResponse {
    /// The issue is stored, then the answer is a 502 with an HTML body.
    #[default]
    BadGateway,
    /// The issue is stored, then the TCP connection is closed without a byte.
    Drop,
}

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAccess {
    /// Read and write.
    Full,
    /// Reads work; writes answer 403 `{"message":"403 Forbidden"}` (a user
    /// without permission, e.g. a Guest of the project).
    ReadOnly,
    /// A `read_api`-scoped token: every non-GET answers 403
    /// `{"error":"insufficient_scope",...}` before anything else is checked.
    ReadApiScope,
}

/// A redirect answered to every request (`FakeGitlab::set_redirect`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// 301, 302, 303, 307 or 308.
    pub status: u16,
    /// Absolute origin (or any absolute URL prefix) the request's path and
    /// query are appended to, e.g. `http://127.0.0.1:PORT`.
    pub location: String,
}

impl Redirect {
    /// A redirect with that status to that location prefix.
    pub fn new(status: u16, location: impl Into<String>) -> Self {
        Redirect {
            status,
            location: location.into(),
        }
    }
}

/// An issue to preload with the builder's `issue` or `FakeGitlab::add_issue`.
#[derive(Clone, Debug, Default)]
pub struct NewIssue {
    /// Title (trimmed when stored).
    pub title: String,
    /// Markdown description; quick actions in it are NOT run for preloads.
    pub description: Option<String>,
    /// Label names (scoped labels keep the last one per scope).
    pub labels: Vec<String>,
    /// Assignee user ids.
    pub assignee_ids: Vec<u64>,
    /// Stored as confidential.
    pub confidential: bool,
    /// `YYYY-MM-DD`; anything else is stored as `null`.
    pub due_date: Option<String>,
    /// Stored with `state: "closed"`.
    pub closed: bool,
    /// Username of the author; the first registered user when `None`.
    pub author: Option<String>,
}

impl NewIssue {
    /// An open issue with that title and nothing else.
    pub fn new(title: impl Into<String>) -> Self {
        NewIssue {
            title: title.into(),
            ..NewIssue::default()
        }
    }
    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    /// Sets the labels.
    #[must_use]
    pub fn labels<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.labels = labels.into_iter().map(Into::into).collect();
        self
    }
    /// Adds an assignee by user id.
    #[must_use]
    pub fn assignee(mut self, user_id: u64) -> Self {
        self.assignee_ids.push(user_id);
        self
    }
    /// Sets confidentiality.
    #[must_use]
    pub fn confidential(mut self, confidential: bool) -> Self {
        self.confidential = confidential;
        self
    }
    /// Sets the due date (`YYYY-MM-DD`).
    #[must_use]
    pub fn due_date(mut self, date: impl Into<String>) -> Self {
        self.due_date = Some(date.into());
        self
    }
    /// Stores the issue closed (closed by its author).
    #[must_use]
    pub fn closed(mut self, closed: bool) -> Self {
        self.closed = closed;
        self
    }
    /// Sets the author by username.
    #[must_use]
    pub fn author(mut self, username: impl Into<String>) -> Self {
        self.author = Some(username.into());
        self
    }
}

/// One request as the server saw it (recorded even when rejected).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Order in which answers were decided, from 0.
    pub seq: u64,
    /// Id of the TCP connection (equal ids = the same kept-alive connection).
    pub connection: u64,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Raw path without the query, e.g. `/api/v4/projects/a%2Fb/issues`.
    pub path: String,
    /// Raw query string without `?`.
    pub raw_query: String,
    /// Decoded query parameters, in order (`+` is a space).
    pub query: Vec<(String, String)>,
    /// Headers in order; names are lower-case (hyper normalises them).
    pub headers: Vec<(String, String)>,
    /// Body (already de-chunked), lossy UTF-8.
    pub body: String,
    /// Status answered; 0 when the connection was dropped or never answered.
    pub status: u16,
    /// The request reached the API (false when a fault answered for it).
    pub processed: bool,
    /// The request was processed (an issue was stored) but its answer was
    /// lost (502, dropped connection or gateway 504).
    pub lost: bool,
    /// Silent mode swallowed it: no answer was ever sent.
    pub unanswered: bool,
    /// When the request was fully read, since the server started.
    pub received_at: Duration,
    /// The headers answered (the fake's own, such as `Retry-After`, not
    /// hyper's), in order.
    pub answer_headers: Vec<(String, String)>,
    /// When its answer was decided and sent, since the server started
    /// (injected latency and gateway delays included); for an unanswered
    /// request, when it was read.
    pub answered_at: Duration,
    /// When the request was fully read.
    pub arrived_at: Instant,
}

impl RecordedRequest {
    /// First header with that name (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        first_header(&self.headers, name)
    }

    /// First header answered with that name (case-insensitive).
    #[must_use]
    pub fn answer_header(&self, name: &str) -> Option<&str> {
        first_header(&self.answer_headers, name)
    }

    /// First query parameter with that name (decoded).
    #[must_use]
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path with every percent-escape decoded (`%2F` becomes `/`).
    #[must_use]
    pub fn decoded_path(&self) -> String {
        super::params::decode_path(&self.path)
    }

    /// The body parsed as `application/x-www-form-urlencoded`.
    #[must_use]
    pub fn form(&self) -> Vec<(String, String)> {
        super::params::parse_urlencoded(self.body.as_bytes())
    }

    /// Every value of a form field, in order (`assignee_ids[]` repeats).
    #[must_use]
    pub fn form_values(&self, name: &str) -> Vec<String> {
        self.form()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }

    /// The body parsed as JSON, if it is JSON.
    #[must_use]
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// True when the server closed the connection instead of answering.
    #[must_use]
    pub fn dropped(&self) -> bool {
        self.status == 0 && !self.unanswered
    }

    /// True for `POST .../projects/:id/issues`.
    #[must_use]
    pub fn is_create_issue(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/issues")
    }
}

/// The first header of `headers` with that name (case-insensitive).
fn first_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
