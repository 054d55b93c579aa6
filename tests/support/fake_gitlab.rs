//! A fake GitLab REST API v4 server for integration tests and benchmarks.
//!
//! Hand-rolled HTTP/1.1 over `std::net::TcpListener` (one thread per
//! connection, keep-alive, `Content-Length` and chunked request bodies), with
//! only `serde_json` as a dependency.
//!
//! ```ignore
//! let gl = FakeGitlab::builder()
//!     .user(1, "root", "Administrator")
//!     .user(42, "mgr.jones", "Mary Jones")
//!     .token("glpat-good", "root")
//!     .read_only_token("glpat-readonly", "root")
//!     .project(7, "gitlab-com/team-member-epics/access-requests")
//!     .seed(1)
//!     .start();
//! // or: let gl = FakeGitlab::start_default();
//! gl.set_rate_limit(5);
//! gl.fail_next(1, 502);
//! ```
//!
//! Endpoints (all under `/api/v4`): `GET /user`, `GET /users`, `GET /users/:id`,
//! `GET /version`, `GET /projects/:id`, `GET|POST /projects/:id/issues`,
//! `GET /projects/:id/issues/:iid`. `:id` is a numeric id or a URL-encoded
//! full path. Anything else answers 404 `{"error":"404 Not Found"}`.
//!
//! Behaviour copied from GitLab (source: gitlabhq `lib/api/issues.rb`,
//! `lib/gitlab/pagination/offset_header_builder.rb`,
//! `lib/gitlab/pagination/offset_pagination.rb`, `lib/gitlab/rack_attack.rb`,
//! `lib/gitlab/sql/pattern.rb`, and docs.gitlab.com):
//! * Order of checks: route (404) → authentication (401) → token scope (403
//!   `insufficient_scope`) → parameter validation (400 `{"error": ...}`) →
//!   project lookup (404 `{"message":"404 Project Not Found"}`) →
//!   permission (403 `{"message":"403 Forbidden"}`) → model validation (400
//!   `{"message": {"field": [..]}}`).
//! * A missing `title` is `{"error":"title is missing"}`; a present but blank
//!   one is a model validation error `{"message":{"title":["can't be blank"]}}`.
//! * Offset pagination headers and `Link` are built like
//!   `OffsetHeaderBuilder`: `X-Total-Pages` is at least 1, `X-Next-Page` /
//!   `X-Prev-Page` are empty strings when there is none, the `Link` URLs carry
//!   every request parameter plus the endpoint defaults (`id`, `order_by`,
//!   `sort`, `state`, `with_labels_details`), sorted, like Rails `to_query`.
//! * `search` follows `Gitlab::SQL::Pattern.fuzzy_search`: the query is split
//!   into words (double-quoted phrases kept together); every word of 3+
//!   characters must occur (case-insensitively) in `title` + `description`;
//!   if no word has 3+ characters, the whole query must equal the field
//!   (case-insensitively).
//! * Rack::Attack headers: `RateLimit-Limit` is normalised to a 60 s window
//!   (`per_second * 60`); `Retry-After` and `RateLimit-ResetTime` only on 429.

#![allow(dead_code)]

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Token of `root` with full access in the default fixtures.
pub const DEFAULT_TOKEN: &str = "glpat-good";
/// Read-only token of `root` in the default fixtures (its POSTs get 403).
pub const READONLY_TOKEN: &str = "glpat-readonly";
/// Full path of the project in the default fixtures.
pub const DEFAULT_PROJECT: &str = "gitlab-com/team-member-epics/access-requests";
/// Numeric id of the project in the default fixtures.
pub const DEFAULT_PROJECT_ID: u64 = 7;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
const POLL: Duration = Duration::from_millis(100);
const HTML_502: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
const APP_LIMIT_MESSAGE: &str = "This endpoint has been requested too many times. Try again later.";
const TITLE_MAX_CHARS: usize = 255;
const DESCRIPTION_MAX_CHARS: usize = 1_048_576;

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

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
    /// Reads work; creating an issue answers 403 `{"message":"403 Forbidden"}`
    /// (a user without permission, e.g. the project's issues are restricted).
    ReadOnly,
    /// A `read_api`-scoped token: every non-GET answers 403
    /// `{"error":"insufficient_scope",...}` before anything else is checked.
    ReadApiScope,
}

/// An issue to preload with [`FakeGitlabBuilder::issue`] or [`FakeGitlab::add_issue`].
#[derive(Clone, Debug, Default)]
pub struct NewIssue {
    pub title: String,
    pub description: Option<String>,
    pub labels: Vec<String>,
    pub assignee_ids: Vec<u64>,
    pub confidential: bool,
    /// `YYYY-MM-DD`; anything else is stored as `null`.
    pub due_date: Option<String>,
    /// Stored with `state: "closed"`.
    pub closed: bool,
    /// Username of the author; the first registered user when `None`.
    pub author: Option<String>,
}

impl NewIssue {
    pub fn new(title: impl Into<String>) -> Self {
        NewIssue {
            title: title.into(),
            ..NewIssue::default()
        }
    }
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    pub fn labels<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.labels = labels.into_iter().map(Into::into).collect();
        self
    }
    pub fn assignee(mut self, user_id: u64) -> Self {
        self.assignee_ids.push(user_id);
        self
    }
    pub fn confidential(mut self, confidential: bool) -> Self {
        self.confidential = confidential;
        self
    }
    pub fn due_date(mut self, date: impl Into<String>) -> Self {
        self.due_date = Some(date.into());
        self
    }
    pub fn closed(mut self, closed: bool) -> Self {
        self.closed = closed;
        self
    }
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
    pub method: String,
    /// Raw path without the query, e.g. `/api/v4/projects/a%2Fb/issues`.
    pub path: String,
    /// Raw query string without `?`.
    pub raw_query: String,
    /// Decoded query parameters, in order (`+` is a space).
    pub query: Vec<(String, String)>,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body (decoded from chunked if needed), lossy UTF-8.
    pub body: String,
    /// Status answered; 0 when the connection was dropped without an answer.
    pub status: u16,
    /// The request reached the API (false when a 502/429/`fail_next`
    /// injection or a malformed request rejected it).
    pub processed: bool,
    /// The request was processed (an issue was stored) but its answer was lost.
    pub lost: bool,
    /// When the request was fully read, since the server started.
    pub received_at: Duration,
}

impl RecordedRequest {
    /// First header with that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// First query parameter with that name (decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path with every percent-escape decoded (`%2F` becomes `/`).
    pub fn decoded_path(&self) -> String {
        percent_decode(&self.path, false)
    }

    /// The body parsed as `application/x-www-form-urlencoded`.
    pub fn form(&self) -> Vec<(String, String)> {
        parse_urlencoded(&self.body)
    }

    /// Every value of a form field, in order (`assignee_ids[]` repeats).
    pub fn form_values(&self, name: &str) -> Vec<String> {
        self.form()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// True when the server closed the connection instead of answering.
    pub fn dropped(&self) -> bool {
        self.status == 0
    }

    /// True for `POST .../projects/:id/issues`.
    pub fn is_create_issue(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/issues")
    }
}

// ---------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------

/// Configures fixtures before [`FakeGitlabBuilder::start`].
#[derive(Clone, Debug)]
pub struct FakeGitlabBuilder {
    users: Vec<(u64, String, String)>,
    tokens: Vec<(String, String, TokenAccess)>,
    projects: Vec<(u64, String)>,
    hidden: Vec<(String, String)>,
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
            issues: Vec::new(),
            seed: 1,
            port: 0,
        }
    }
}

impl FakeGitlabBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A user (`/users?username=` matches the username case-insensitively).
    pub fn user(mut self, id: u64, username: impl Into<String>, name: impl Into<String>) -> Self {
        self.users.push((id, username.into(), name.into()));
        self
    }

    /// A valid token with full access for `username`.
    pub fn token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::Full)
    }

    /// A valid token whose POSTs answer 403 `{"message":"403 Forbidden"}`.
    pub fn read_only_token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::ReadOnly)
    }

    /// A `read_api`-scoped token: POSTs answer 403 `insufficient_scope`.
    pub fn read_api_token(self, token: impl Into<String>, username: impl Into<String>) -> Self {
        self.token_with(token, username, TokenAccess::ReadApiScope)
    }

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
    pub fn project(mut self, id: u64, path: impl Into<String>) -> Self {
        self.projects.push((id, path.into()));
        self
    }

    /// The project (path or id) answers 404 to that token.
    pub fn hidden_project(mut self, project: impl Into<String>, token: impl Into<String>) -> Self {
        self.hidden.push((project.into(), token.into()));
        self
    }

    /// Preloads an issue into a project (path or id).
    pub fn issue(mut self, project: impl Into<String>, issue: NewIssue) -> Self {
        self.issues.push((project.into(), issue));
        self
    }

    /// Seed of the deterministic PRNG behind the fault rates.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Port to bind on 127.0.0.1 (0 = any free port, the default).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts the server. Panics on a bad fixture or when the port is taken.
    pub fn start(self) -> FakeGitlab {
        match self.try_start() {
            Ok(gl) => gl,
            Err(e) => panic!("fake GitLab failed to start: {e}"),
        }
    }

    /// Starts the server; a bad fixture is an `InvalidInput` error.
    pub fn try_start(self) -> io::Result<FakeGitlab> {
        let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
        let listener = TcpListener::bind(("127.0.0.1", self.port))?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");

        let mut state = State::new(self.seed);
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
            let user = state
                .users
                .iter()
                .find(|u| u.username == username)
                .ok_or_else(|| invalid(format!("token for unknown user {username}")))?;
            let user_id = user.id;
            state.tokens.insert(token, TokenRec { user_id, access });
        }
        for (id, path) in self.projects {
            if state.projects.iter().any(|p| p.id == id || p.path == path) {
                return Err(invalid(format!("duplicate project {id} {path}")));
            }
            state.projects.push(Project::new(id, path));
        }
        for (project, token) in self.hidden {
            let idx = state
                .project_index(&project)
                .ok_or_else(|| invalid(format!("unknown project {project}")))?;
            state.projects[idx].hidden_for.insert(token);
        }
        for (project, issue) in self.issues {
            let idx = state
                .project_index(&project)
                .ok_or_else(|| invalid(format!("unknown project {project}")))?;
            state.insert_issue(idx, issue, &base_url);
        }

        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            stop: AtomicBool::new(false),
            next_connection: AtomicU64::new(1),
            base_url,
            started: Instant::now(),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name("fake-gitlab-accept".into())
            .spawn(move || accept_loop(listener, accept_shared))?;
        Ok(FakeGitlab {
            shared,
            addr,
            accept: Some(accept),
        })
    }
}

// ---------------------------------------------------------------------------
// Server handle
// ---------------------------------------------------------------------------

/// A running fake GitLab. Stops when dropped.
pub struct FakeGitlab {
    shared: Arc<Shared>,
    addr: SocketAddr,
    accept: Option<JoinHandle<()>>,
}

impl FakeGitlab {
    pub fn builder() -> FakeGitlabBuilder {
        FakeGitlabBuilder::new()
    }

    /// The default fixtures: users `root` (1, "Administrator") and
    /// `mgr.jones` (42, "Mary Jones"), tokens `glpat-good` (root) and
    /// `glpat-readonly` (root, read-only), project 7
    /// `gitlab-com/team-member-epics/access-requests`, seed 1.
    pub fn default_builder() -> FakeGitlabBuilder {
        FakeGitlabBuilder::new()
            .user(1, "root", "Administrator")
            .user(42, "mgr.jones", "Mary Jones")
            .token(DEFAULT_TOKEN, "root")
            .read_only_token(READONLY_TOKEN, "root")
            .project(DEFAULT_PROJECT_ID, DEFAULT_PROJECT)
            .seed(1)
    }

    /// Starts [`FakeGitlab::default_builder`] on a free port.
    pub fn start_default() -> FakeGitlab {
        Self::default_builder().start()
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// `127.0.0.1:PORT` (what `gitlab::GitlabBuilder::new(host, ..)` wants).
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// `http://127.0.0.1:PORT/api/v4`
    pub fn api_url(&self) -> String {
        format!("{}/api/v4", self.shared.base_url)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    // -- fault injection ----------------------------------------------------

    /// Sleep this long before answering every request.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().faults.latency = latency;
    }

    /// This fraction of requests answers 502 (HTML body) without processing.
    pub fn set_error_rate(&self, rate: f64) {
        self.lock().faults.error_rate = rate;
    }

    /// This fraction of successful issue creations stores the issue and then
    /// loses the answer (see [`FakeGitlab::set_lost_response`]).
    pub fn set_lost_create_rate(&self, rate: f64) {
        self.lock().faults.lost_create_rate = rate;
    }

    /// How a lost answer is lost (default [`LostResponse::BadGateway`]).
    pub fn set_lost_response(&self, mode: LostResponse) {
        self.lock().faults.lost_mode = mode;
    }

    /// The next `n` successful issue creations lose their answer, whatever
    /// the rate.
    pub fn lose_next_creates(&self, n: u32) {
        self.lock().faults.lose_next_creates = n;
    }

    /// Rack::Attack-like fixed one-second window over all requests; over the
    /// limit answers 429 `Retry later`. 0 switches limiting off.
    pub fn set_rate_limit(&self, per_second: u32) {
        let mut st = self.lock();
        st.faults.rate_limit = per_second;
        st.window = Window::default();
    }

    /// The next `n` requests answer `status` without being processed
    /// (queued after any earlier `fail_next`). 429 carries `Retry-After: 1`
    /// and the RateLimit headers; 5xx an HTML body; others
    /// `{"message":"<code> <reason>"}`.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut st = self.lock();
        st.faults.fail_queue.extend(std::iter::repeat_n(status, n));
    }

    /// When true, every 429 looks like one of GitLab's application limits:
    /// no `Retry-After`/`RateLimit-*` headers and a JSON body
    /// `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`.
    pub fn set_429_without_headers(&self, without: bool) {
        self.lock().faults.no_429_headers = without;
    }

    /// Reseeds the PRNG behind the rates.
    pub fn set_seed(&self, seed: u64) {
        self.lock().rng = SplitMix64(seed);
    }

    /// Switches every fault off (latency, rates, limits, queued failures).
    pub fn reset_faults(&self) {
        let mut st = self.lock();
        st.faults = Faults::default();
        st.window = Window::default();
    }

    // -- recording and data ------------------------------------------------

    /// Every request so far, in the order they were answered.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Stored issues of a project (full path or numeric id), oldest first.
    /// Empty for an unknown project.
    pub fn issues(&self, project: &str) -> Vec<Value> {
        let st = self.lock();
        match st.project_index(project) {
            Some(i) => st.projects[i].issues.clone(),
            None => Vec::new(),
        }
    }

    /// One stored issue by project and iid.
    pub fn issue(&self, project: &str, iid: u64) -> Option<Value> {
        self.issues(project)
            .into_iter()
            .find(|i| i["iid"].as_u64() == Some(iid))
    }

    /// Stores an issue as if created (no request recorded); returns its JSON.
    /// Panics on an unknown project.
    pub fn add_issue(&self, project: &str, issue: NewIssue) -> Value {
        let base = self.shared.base_url.clone();
        let mut st = self.lock();
        let idx = match st.project_index(project) {
            Some(i) => i,
            None => panic!("fake GitLab: unknown project {project}"),
        };
        st.insert_issue(idx, issue, &base)
    }

    /// Closes an issue; false when there is no such issue.
    pub fn close_issue(&self, project: &str, iid: u64) -> bool {
        let mut st = self.lock();
        let Some(idx) = st.project_index(project) else {
            return false;
        };
        let now = st.next_timestamp();
        let author = st.projects[idx]
            .issues
            .iter()
            .find(|i| i["iid"].as_u64() == Some(iid))
            .map(|i| i["author"].clone());
        let Some(author) = author else { return false };
        let issue = st.projects[idx]
            .issues
            .iter_mut()
            .find(|i| i["iid"].as_u64() == Some(iid));
        match issue {
            Some(issue) => {
                issue["state"] = json!("closed");
                issue["closed_at"] = json!(now);
                issue["updated_at"] = json!(now);
                issue["closed_by"] = author;
                true
            }
            None => false,
        }
    }

    /// Makes a project answer 404 to a token.
    pub fn hide_project(&self, project: &str, token: &str) {
        let mut st = self.lock();
        if let Some(i) = st.project_index(project) {
            st.projects[i].hidden_for.insert(token.to_string());
        }
    }

    /// Undoes [`FakeGitlab::hide_project`].
    pub fn show_project(&self, project: &str, token: &str) {
        let mut st = self.lock();
        if let Some(i) = st.project_index(project) {
            st.projects[i].hidden_for.remove(token);
        }
    }

    /// Adds a token at runtime; false when the user is unknown.
    pub fn add_token(&self, token: &str, username: &str, access: TokenAccess) -> bool {
        let mut st = self.lock();
        let Some(user_id) = st
            .users
            .iter()
            .find(|u| u.username == username)
            .map(|u| u.id)
        else {
            return false;
        };
        st.tokens
            .insert(token.to_string(), TokenRec { user_id, access });
        true
    }

    /// Removes a token: it answers 401 from now on.
    pub fn revoke_token(&self, token: &str) {
        self.lock().tokens.remove(token);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }
}

impl Drop for FakeGitlab {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the loop sees the flag.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(handle) = self.accept.take() {
            if woke {
                let _ = handle.join();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Shared state
// ---------------------------------------------------------------------------

struct Shared {
    state: Mutex<State>,
    stop: AtomicBool,
    next_connection: AtomicU64,
    base_url: String,
    started: Instant,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct User {
    id: u64,
    username: String,
    name: String,
    email: String,
}

struct TokenRec {
    user_id: u64,
    access: TokenAccess,
}

struct Project {
    id: u64,
    path: String,
    issues: Vec<Value>,
    next_iid: u64,
    hidden_for: HashSet<String>,
}

impl Project {
    fn new(id: u64, path: String) -> Self {
        Project {
            id,
            path,
            issues: Vec::new(),
            next_iid: 1,
            hidden_for: HashSet::new(),
        }
    }
}

#[derive(Default)]
struct Faults {
    latency: Duration,
    error_rate: f64,
    lost_create_rate: f64,
    lost_mode: LostResponse,
    lose_next_creates: u32,
    rate_limit: u32,
    fail_queue: VecDeque<u16>,
    no_429_headers: bool,
}

#[derive(Default)]
struct Window {
    second: u64,
    count: u64,
}

/// splitmix64: small, fast, deterministic.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`; draws only when 0 < p < 1.
    fn chance(&mut self, p: f64) -> bool {
        if p.is_nan() || p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.next_f64() < p
        }
    }
}

struct State {
    users: Vec<User>,
    tokens: HashMap<String, TokenRec>,
    projects: Vec<Project>,
    next_issue_id: u64,
    last_timestamp_ms: u64,
    faults: Faults,
    window: Window,
    rng: SplitMix64,
    requests: Vec<RecordedRequest>,
    next_seq: u64,
}

impl State {
    fn new(seed: u64) -> Self {
        State {
            users: Vec::new(),
            tokens: HashMap::new(),
            projects: Vec::new(),
            // Global ids start far from iids so a client mixing them up fails.
            next_issue_id: 1001,
            last_timestamp_ms: 0,
            faults: Faults::default(),
            window: Window::default(),
            rng: SplitMix64(seed),
            requests: Vec::new(),
            next_seq: 0,
        }
    }

    /// A project by numeric id or full path (case-insensitive, like GitLab).
    fn project_index(&self, key: &str) -> Option<usize> {
        if let Ok(id) = key.parse::<u64>() {
            if let Some(i) = self.projects.iter().position(|p| p.id == id) {
                return Some(i);
            }
        }
        self.projects
            .iter()
            .position(|p| p.path.eq_ignore_ascii_case(key))
    }

    fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// ISO 8601 timestamp, strictly increasing so `created_at` orders issues.
    fn next_timestamp(&mut self) -> String {
        let now = now_millis().max(self.last_timestamp_ms + 1);
        self.last_timestamp_ms = now;
        iso8601_millis(now)
    }

    fn insert_issue(&mut self, project_idx: usize, spec: NewIssue, base: &str) -> Value {
        let author_id = spec
            .author
            .as_deref()
            .and_then(|name| {
                self.users
                    .iter()
                    .find(|u| u.username.eq_ignore_ascii_case(name))
            })
            .or_else(|| self.users.first())
            .map(|u| u.id)
            .unwrap_or(0);
        let labels = normalize_labels(spec.labels.iter().map(String::as_str));
        let due = spec.due_date.filter(|d| valid_date(d));
        let mut issue = self.build_issue(
            project_idx,
            IssueFields {
                title: spec.title.trim().to_string(),
                description: spec.description,
                labels,
                assignee_ids: spec.assignee_ids,
                confidential: spec.confidential,
                due_date: due,
                author_id,
            },
            base,
        );
        if spec.closed {
            issue["state"] = json!("closed");
            issue["closed_at"] = issue["created_at"].clone();
            issue["closed_by"] = issue["author"].clone();
        }
        self.projects[project_idx].issues.push(issue.clone());
        issue
    }

    fn build_issue(&mut self, project_idx: usize, f: IssueFields, base: &str) -> Value {
        let id = self.next_issue_id;
        self.next_issue_id += 1;
        let iid = self.projects[project_idx].next_iid;
        self.projects[project_idx].next_iid += 1;
        let now = self.next_timestamp();
        let mut seen = HashSet::new();
        let assignees: Vec<Value> = f
            .assignee_ids
            .iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| self.user(*id))
            .map(|u| user_basic(u, base))
            .collect();
        let author = self
            .user(f.author_id)
            .map(|u| user_basic(u, base))
            .unwrap_or(Value::Null);
        let (count, completed) = f.description.as_deref().map(task_counts).unwrap_or((0, 0));
        let project = &self.projects[project_idx];
        let api = format!("{base}/api/v4/projects/{}", project.id);
        json!({
            "id": id,
            "iid": iid,
            "project_id": project.id,
            "title": f.title,
            "description": f.description,
            "state": "opened",
            "created_at": now,
            "updated_at": now,
            "closed_at": null,
            "closed_by": null,
            "labels": f.labels,
            "milestone": null,
            "assignees": assignees.clone(),
            "assignee": assignees.first().cloned().unwrap_or(Value::Null),
            "author": author,
            "type": "ISSUE",
            "issue_type": "issue",
            "user_notes_count": 0,
            "merge_requests_count": 0,
            "upvotes": 0,
            "downvotes": 0,
            "due_date": f.due_date,
            "confidential": f.confidential,
            "discussion_locked": null,
            "web_url": format!("{base}/{}/-/issues/{iid}", project.path),
            "time_stats": {
                "time_estimate": 0,
                "total_time_spent": 0,
                "human_time_estimate": null,
                "human_total_time_spent": null
            },
            "task_completion_status": { "count": count, "completed_count": completed },
            "has_tasks": count > 0,
            "task_status": format!("{completed} of {count} checklist items completed"),
            "blocking_issues_count": 0,
            "references": {
                "short": format!("#{iid}"),
                "relative": format!("#{iid}"),
                "full": format!("{}#{iid}", project.path)
            },
            "severity": "UNKNOWN",
            "moved_to_id": null,
            "service_desk_reply_to": null,
            "subscribed": true,
            "_links": {
                "self": format!("{api}/issues/{iid}"),
                "notes": format!("{api}/issues/{iid}/notes"),
                "award_emoji": format!("{api}/issues/{iid}/award_emoji"),
                "project": api,
                "closed_as_duplicate_of": null
            }
        })
    }
}

struct IssueFields {
    title: String,
    description: Option<String>,
    labels: Vec<String>,
    assignee_ids: Vec<u64>,
    confidential: bool,
    due_date: Option<String>,
    author_id: u64,
}

// ---------------------------------------------------------------------------
// Networking
// ---------------------------------------------------------------------------

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = listener.accept();
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        match accepted {
            Ok((stream, _)) => {
                let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
                let conn_shared = Arc::clone(&shared);
                let spawned = thread::Builder::new()
                    .name(format!("fake-gitlab-conn-{id}"))
                    .spawn(move || serve_connection(conn_shared, stream, id));
                if spawned.is_err() {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

struct Request {
    method: String,
    path: String,
    raw_query: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    keep_alive: bool,
    received_at: Duration,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Response {
    status: u16,
    content_type: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(status: u16, value: Value) -> Self {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    fn text(status: u16, content_type: &'static str, body: &str) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

enum Outcome {
    Answer(Response),
    Drop,
}

enum ReadError {
    /// Connection closed or server stopping: just close.
    Closed,
    /// Malformed request: answer 400 and close.
    Bad(String, Option<(String, String)>),
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Reads more bytes into the buffer; Ok(0) at EOF. Polls the stop flag.
    fn read_more(&mut self, shared: &Shared) -> Result<usize, ReadError> {
        let mut tmp = [0u8; 16 * 1024];
        loop {
            if shared.stop.load(Ordering::SeqCst) {
                return Err(ReadError::Closed);
            }
            match self.stream.read(&mut tmp) {
                Ok(n) => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    return Ok(n);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    continue
                }
                Err(_) => return Err(ReadError::Closed),
            }
        }
    }

    fn ensure(&mut self, shared: &Shared, n: usize) -> Result<(), ReadError> {
        while self.buf.len() < n {
            if self.read_more(shared)? == 0 {
                return Err(ReadError::Closed);
            }
        }
        Ok(())
    }

    /// One line (without the line ending) for chunked framing.
    fn read_line(&mut self, shared: &Shared) -> Result<String, ReadError> {
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            if self.buf.len() > 8192 {
                return Err(ReadError::Bad("chunk line too long".into(), None));
            }
            if self.read_more(shared)? == 0 {
                return Err(ReadError::Closed);
            }
        }
    }
}

fn serve_connection(shared: Arc<Shared>, stream: TcpStream, connection: u64) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(POLL));
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
    };
    loop {
        let req = match read_request(&mut conn, &shared) {
            Ok(Some(req)) => req,
            Ok(None) | Err(ReadError::Closed) => return,
            Err(ReadError::Bad(msg, line)) => {
                let resp =
                    Response::json(400, json!({ "error": format!("400 Bad Request: {msg}") }));
                let (method, path) = line.unwrap_or_default();
                shared.lock().record(RecordedRequest {
                    seq: 0,
                    connection,
                    method,
                    path,
                    raw_query: String::new(),
                    query: Vec::new(),
                    headers: Vec::new(),
                    body: String::new(),
                    status: 400,
                    processed: false,
                    lost: false,
                    received_at: shared.started.elapsed(),
                });
                let _ = write_response(&mut conn.stream, resp, false, false);
                let _ = conn.stream.shutdown(Shutdown::Both);
                return;
            }
        };
        let head_only = req.method == "HEAD";
        let keep_alive = req.keep_alive;
        match handle(&shared, req, connection) {
            Outcome::Answer(resp) => {
                if write_response(&mut conn.stream, resp, keep_alive, head_only).is_err()
                    || !keep_alive
                {
                    let _ = conn.stream.shutdown(Shutdown::Both);
                    return;
                }
            }
            Outcome::Drop => {
                let _ = conn.stream.shutdown(Shutdown::Both);
                return;
            }
        }
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn read_request(conn: &mut Conn, shared: &Shared) -> Result<Option<Request>, ReadError> {
    // Head.
    let head_end = loop {
        // Tolerate empty lines before a request line (RFC 9112 2.2).
        let skip = conn
            .buf
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        conn.buf.drain(..skip);
        if let Some(end) = find_head_end(&conn.buf) {
            break end;
        }
        if conn.buf.len() > MAX_HEAD_BYTES {
            return Err(ReadError::Bad("request head too large".into(), None));
        }
        if conn.read_more(shared)? == 0 {
            return if conn.buf.is_empty() {
                Ok(None)
            } else {
                Err(ReadError::Closed)
            };
        }
    };
    let head_bytes: Vec<u8> = conn.buf.drain(..head_end).collect();
    let head = String::from_utf8_lossy(&head_bytes).into_owned();
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));

    let request_line = lines.next().unwrap_or("");
    let parts: Vec<&str> = request_line.split(' ').collect();
    if parts.len() != 3 {
        return Err(ReadError::Bad("malformed request line".into(), None));
    }
    let (method, target, version) = (parts[0], parts[1], parts[2]);
    let line_info = Some((method.to_string(), target.to_string()));
    if !is_token(method) || target.is_empty() {
        return Err(ReadError::Bad("malformed request line".into(), line_info));
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad("unsupported HTTP version".into(), line_info)),
    };

    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Err(ReadError::Bad("obsolete header folding".into(), line_info));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed header".into(), line_info));
        };
        if !is_token(name) {
            return Err(ReadError::Bad("malformed header name".into(), line_info));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let header = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };

    // Target: origin-form, or absolute-form (strip scheme and authority).
    let mut target = target.to_string();
    if let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        target = match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        };
    }
    if !target.starts_with('/') {
        return Err(ReadError::Bad(
            "request target must be a path".into(),
            line_info,
        ));
    }
    let (path, raw_query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };
    let raw_query = raw_query.split('#').next().unwrap_or("").to_string();

    // Connection persistence.
    let connection_tokens: Vec<String> = header("connection")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .collect();
    let keep_alive = if http10 {
        connection_tokens.iter().any(|t| t == "keep-alive")
    } else {
        !connection_tokens.iter().any(|t| t == "close")
    };

    // Body.
    let te = header("transfer-encoding");
    let chunked = if te.is_empty() {
        false
    } else {
        let last = te
            .last()
            .and_then(|v| v.split(',').next_back())
            .unwrap_or("")
            .trim();
        if !last.eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Bad(
                "unsupported transfer-encoding".into(),
                line_info,
            ));
        }
        true
    };
    let content_length = if chunked {
        None
    } else {
        let values = header("content-length");
        let mut length: Option<usize> = None;
        for v in values.iter().flat_map(|v| v.split(',')) {
            let v = v.trim();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ReadError::Bad("invalid content-length".into(), line_info));
            }
            let n: usize = v
                .parse()
                .map_err(|_| ReadError::Bad("invalid content-length".into(), line_info.clone()))?;
            if length.is_some_and(|l| l != n) {
                return Err(ReadError::Bad(
                    "conflicting content-length".into(),
                    line_info,
                ));
            }
            length = Some(n);
        }
        length
    };
    if content_length.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(ReadError::Bad("body too large".into(), line_info));
    }
    let expects_body = chunked || content_length.is_some_and(|n| n > 0);
    let expect_continue = header("expect")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("100-continue"));
    if expects_body && expect_continue && !http10 && conn.buf.is_empty() {
        let _ = conn.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let line = conn.read_line(shared)?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| ReadError::Bad("invalid chunk size".into(), line_info.clone()))?;
            if size == 0 {
                // Trailer section, up to an empty line.
                loop {
                    if conn.read_line(shared)?.is_empty() {
                        break;
                    }
                }
                break;
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(ReadError::Bad("body too large".into(), line_info));
            }
            conn.ensure(shared, size)?;
            body.extend(conn.buf.drain(..size));
            let end = conn.read_line(shared)?;
            if !end.is_empty() {
                return Err(ReadError::Bad("malformed chunk".into(), line_info));
            }
        }
        body
    } else {
        let n = content_length.unwrap_or(0);
        conn.ensure(shared, n)?;
        conn.buf.drain(..n).collect()
    };

    Ok(Some(Request {
        method: method.to_string(),
        query: parse_urlencoded(&raw_query),
        path,
        raw_query,
        headers,
        body,
        keep_alive,
        received_at: shared.started.elapsed(),
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

fn write_response(
    stream: &mut TcpStream,
    resp: Response,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(resp.body.len() + 512);
    let now = now_millis() / 1000;
    out.extend_from_slice(
        format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status)).as_bytes(),
    );
    out.extend_from_slice(format!("Date: {}\r\n", http_date(now)).as_bytes());
    out.extend_from_slice(b"Server: fake-gitlab\r\n");
    out.extend_from_slice(format!("Content-Type: {}\r\n", resp.content_type).as_bytes());
    out.extend_from_slice(format!("Content-Length: {}\r\n", resp.body.len()).as_bytes());
    out.extend_from_slice(b"Cache-Control: max-age=0, private, must-revalidate\r\n");
    out.extend_from_slice(b"Vary: Origin\r\n");
    out.extend_from_slice(if keep_alive {
        b"Connection: keep-alive\r\n" as &[u8]
    } else {
        b"Connection: close\r\n"
    });
    for (name, value) in &resp.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&resp.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

// ---------------------------------------------------------------------------
// Request handling
// ---------------------------------------------------------------------------

fn handle(shared: &Shared, req: Request, connection: u64) -> Outcome {
    let latency = shared.lock().faults.latency;
    if !latency.is_zero() {
        thread::sleep(latency);
    }
    let mut st = shared.lock();
    let (outcome, status, processed, lost) = st.dispatch(&req, &shared.base_url);
    st.record(RecordedRequest {
        seq: 0,
        connection,
        method: req.method,
        path: req.path,
        raw_query: req.raw_query,
        query: req.query,
        headers: req.headers,
        body: String::from_utf8_lossy(&req.body).into_owned(),
        status,
        processed,
        lost,
        received_at: req.received_at,
    });
    outcome
}

struct RateInfo {
    name: &'static str,
    limit: u32,
    observed: u64,
    reset: u64,
}

impl RateInfo {
    fn headers(&self, throttled: bool) -> Vec<(String, String)> {
        let remaining = (self.limit as u64).saturating_sub(self.observed);
        let mut h = vec![
            ("RateLimit-Name".to_string(), self.name.to_string()),
            // Rack::Attack normalises to a 60 s window: limit * 60 / period.
            (
                "RateLimit-Limit".to_string(),
                (self.limit as u64 * 60).to_string(),
            ),
            ("RateLimit-Observed".to_string(), self.observed.to_string()),
            ("RateLimit-Remaining".to_string(), remaining.to_string()),
            ("RateLimit-Reset".to_string(), self.reset.to_string()),
        ];
        if throttled {
            let retry_after = self.reset.saturating_sub(now_millis() / 1000).max(1);
            h.push(("RateLimit-ResetTime".to_string(), http_date(self.reset)));
            h.push(("Retry-After".to_string(), retry_after.to_string()));
        }
        h
    }
}

fn too_many_requests(info: Option<&RateInfo>, without_headers: bool) -> Response {
    if without_headers {
        return Response::json(429, json!({ "message": { "error": APP_LIMIT_MESSAGE } }));
    }
    let mut resp = Response::text(429, "text/plain", "Retry later");
    let synthetic;
    let info = match info {
        Some(info) => info,
        None => {
            let now = now_millis() / 1000;
            synthetic = RateInfo {
                name: "throttle_authenticated_api",
                limit: 1,
                observed: 2,
                reset: now + 1,
            };
            &synthetic
        }
    };
    resp.headers.extend(info.headers(true));
    resp
}

fn html_error(status: u16) -> Response {
    let body = if status == 502 {
        HTML_502.to_string()
    } else {
        format!(
            "<html><body><h1>{status} {}</h1></body></html>",
            reason(status)
        )
    };
    Response {
        status,
        content_type: "text/html",
        headers: Vec::new(),
        body: body.into_bytes(),
    }
}

fn not_found_route() -> Response {
    Response::json(404, json!({ "error": "404 Not Found" }))
}

fn message(status: u16, text: &str) -> Response {
    Response::json(status, json!({ "message": text }))
}

fn bad_param(text: String) -> Response {
    Response::json(400, json!({ "error": text }))
}

/// Where a request goes, after matching the decoded path segments.
enum Route {
    CurrentUser,
    Users,
    User(String),
    Version,
    Project(String),
    ProjectIssues(String),
    ProjectIssue(String, String),
}

fn match_route(method: &str, path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/api/v4/")?;
    let segs: Vec<String> = rest.split('/').map(|s| percent_decode(s, false)).collect();
    let get = method == "GET" || method == "HEAD";
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["user"] if get => Some(Route::CurrentUser),
        ["users"] if get => Some(Route::Users),
        ["users", id] if get && !id.is_empty() => Some(Route::User(id.to_string())),
        ["version"] if get => Some(Route::Version),
        ["projects", id] if get && !id.is_empty() => Some(Route::Project(id.to_string())),
        ["projects", id, "issues"] if (get || method == "POST") && !id.is_empty() => {
            Some(Route::ProjectIssues(id.to_string()))
        }
        ["projects", id, "issues", iid] if get && !id.is_empty() => {
            Some(Route::ProjectIssue(id.to_string(), iid.to_string()))
        }
        _ => None,
    }
}

/// The caller, once authenticated.
struct Caller {
    token: String,
    user_id: u64,
    access: TokenAccess,
}

impl State {
    fn record(&mut self, mut r: RecordedRequest) {
        r.seq = self.next_seq;
        self.next_seq += 1;
        self.requests.push(r);
    }

    fn token_of(req: &Request) -> Option<String> {
        if let Some(t) = req.header("private-token") {
            return Some(t.to_string());
        }
        if let Some(auth) = req.header("authorization") {
            let mut parts = auth.splitn(2, ' ');
            let scheme = parts.next().unwrap_or("");
            if scheme.eq_ignore_ascii_case("bearer") {
                return Some(parts.next().unwrap_or("").trim().to_string());
            }
        }
        req.query
            .iter()
            .find(|(k, _)| k == "private_token" || k == "access_token")
            .map(|(_, v)| v.clone())
    }

    /// Returns (outcome, status recorded, processed, lost).
    fn dispatch(&mut self, req: &Request, base: &str) -> (Outcome, u16, bool, bool) {
        // 1. Queued failures.
        if let Some(status) = self.faults.fail_queue.pop_front() {
            let resp = match status {
                429 => {
                    let info = self.rate_snapshot(req);
                    too_many_requests(info.as_ref(), self.faults.no_429_headers)
                }
                500..=599 => html_error(status),
                _ => message(status, &format!("{status} {}", reason(status))),
            };
            return (Outcome::Answer(resp), status, false, false);
        }
        // 2. Random gateway errors.
        if self.rng.chance(self.faults.error_rate) {
            return (Outcome::Answer(html_error(502)), 502, false, false);
        }
        // 3. Rate limiting.
        let rate = self.rate_count(req);
        if let Some(info) = &rate {
            if info.observed > info.limit as u64 {
                let resp = too_many_requests(Some(info), self.faults.no_429_headers);
                return (Outcome::Answer(resp), 429, false, false);
            }
        }
        // 4. The API.
        let (mut resp, created) = self.api(req, base);
        if let Some(info) = &rate {
            resp.headers.extend(info.headers(false));
        }
        if created {
            let lose = if self.faults.lose_next_creates > 0 {
                self.faults.lose_next_creates -= 1;
                true
            } else {
                self.rng.chance(self.faults.lost_create_rate)
            };
            if lose {
                return match self.faults.lost_mode {
                    LostResponse::BadGateway => (Outcome::Answer(html_error(502)), 502, true, true),
                    LostResponse::Drop => (Outcome::Drop, 0, true, true),
                };
            }
        }
        let status = resp.status;
        (Outcome::Answer(resp), status, true, false)
    }

    fn throttle_name(&self, req: &Request) -> &'static str {
        match Self::token_of(req) {
            Some(t) if self.tokens.contains_key(&t) => "throttle_authenticated_api",
            _ => "throttle_unauthenticated_api",
        }
    }

    /// Counts the request in the current one-second window.
    fn rate_count(&mut self, req: &Request) -> Option<RateInfo> {
        let limit = self.faults.rate_limit;
        if limit == 0 {
            return None;
        }
        let now = now_millis() / 1000;
        if self.window.second != now {
            self.window = Window {
                second: now,
                count: 0,
            };
        }
        self.window.count += 1;
        Some(RateInfo {
            name: self.throttle_name(req),
            limit,
            observed: self.window.count,
            reset: now + 1,
        })
    }

    /// Headers for an injected 429: the live window when limiting is on.
    fn rate_snapshot(&self, req: &Request) -> Option<RateInfo> {
        let limit = self.faults.rate_limit;
        if limit == 0 {
            return None;
        }
        let now = now_millis() / 1000;
        let count = if self.window.second == now {
            self.window.count
        } else {
            0
        };
        Some(RateInfo {
            name: self.throttle_name(req),
            limit,
            observed: count.max(limit as u64 + 1),
            reset: now + 1,
        })
    }

    /// Returns the response and whether an issue was created.
    fn api(&mut self, req: &Request, base: &str) -> (Response, bool) {
        let Some(route) = match_route(&req.method, &req.path) else {
            return (not_found_route(), false);
        };
        let caller = match Self::token_of(req).and_then(|t| self.tokens.get(&t).map(|r| (t, r))) {
            Some((token, rec)) => Caller {
                user_id: rec.user_id,
                access: rec.access,
                token,
            },
            None => return (message(401, "401 Unauthorized"), false),
        };
        if req.method == "POST" && caller.access == TokenAccess::ReadApiScope {
            let body = json!({
                "error": "insufficient_scope",
                "error_description": "The request requires higher privileges than provided by the access token.",
                "scope": "api"
            });
            return (Response::json(403, body), false);
        }
        match route {
            Route::CurrentUser => match self.user(caller.user_id) {
                Some(u) => (Response::json(200, user_full(u, base)), false),
                None => (message(401, "401 Unauthorized"), false),
            },
            Route::Users => (self.list_users(req, base), false),
            Route::User(id) => {
                let user = id.parse::<u64>().ok().and_then(|id| self.user(id));
                match user {
                    Some(u) => (Response::json(200, user_basic(u, base)), false),
                    None => (message(404, "404 User Not Found"), false),
                }
            }
            Route::Version => (
                Response::json(
                    200,
                    json!({ "version": "17.0.0-fake", "revision": "fake", "kas": { "enabled": false }, "enterprise": false }),
                ),
                false,
            ),
            Route::Project(id) => match self.visible_project(&id, &caller) {
                Some(idx) => (Response::json(200, self.project_json(idx, base)), false),
                None => (message(404, "404 Project Not Found"), false),
            },
            Route::ProjectIssue(id, iid) => {
                let Some(idx) = self.visible_project(&id, &caller) else {
                    return (message(404, "404 Project Not Found"), false);
                };
                let Ok(iid) = iid.parse::<u64>() else {
                    return (bad_param("issue_iid is invalid".into()), false);
                };
                match self.projects[idx]
                    .issues
                    .iter()
                    .find(|i| i["iid"].as_u64() == Some(iid))
                {
                    Some(issue) => (Response::json(200, issue.clone()), false),
                    None => (message(404, "404 Issue Not Found"), false),
                }
            }
            Route::ProjectIssues(id) => {
                if req.method == "POST" {
                    self.create_issue(req, &id, &caller, base)
                } else {
                    (self.list_issues(req, &id, &caller, base), false)
                }
            }
        }
    }

    fn visible_project(&self, key: &str, caller: &Caller) -> Option<usize> {
        self.project_index(key)
            .filter(|&i| !self.projects[i].hidden_for.contains(&caller.token))
    }

    fn project_json(&self, idx: usize, base: &str) -> Value {
        let p = &self.projects[idx];
        let (namespace, name) = p.path.rsplit_once('/').unwrap_or(("", p.path.as_str()));
        let ns_name = namespace.rsplit('/').next().unwrap_or(namespace);
        let host = base.trim_start_matches("http://");
        let host = host.split(':').next().unwrap_or(host);
        let open = p.issues.iter().filter(|i| i["state"] == "opened").count();
        let api = format!("{base}/api/v4/projects/{}", p.id);
        json!({
            "id": p.id,
            "description": "",
            "name": name,
            "name_with_namespace": p.path.split('/').collect::<Vec<_>>().join(" / "),
            "path": name,
            "path_with_namespace": p.path,
            "created_at": "2020-01-01T00:00:00.000Z",
            "default_branch": "main",
            "tag_list": [],
            "topics": [],
            "ssh_url_to_repo": format!("git@{host}:{}.git", p.path),
            "http_url_to_repo": format!("{base}/{}.git", p.path),
            "web_url": format!("{base}/{}", p.path),
            "readme_url": null,
            "forks_count": 0,
            "avatar_url": null,
            "star_count": 0,
            "last_activity_at": "2020-01-01T00:00:00.000Z",
            "namespace": {
                "id": p.id + 100_000,
                "name": ns_name,
                "path": ns_name,
                "kind": "group",
                "full_path": namespace,
                "parent_id": null,
                "avatar_url": null,
                "web_url": format!("{base}/groups/{namespace}")
            },
            "visibility": "private",
            "archived": false,
            "empty_repo": true,
            "issues_enabled": true,
            "open_issues_count": open,
            "_links": {
                "self": api,
                "issues": format!("{api}/issues"),
                "labels": format!("{api}/labels"),
                "events": format!("{api}/events"),
                "members": format!("{api}/members")
            }
        })
    }

    fn list_users(&self, req: &Request, base: &str) -> Response {
        let q = |name: &str| {
            req.query
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut users: Vec<&User> = self.users.iter().collect();
        if let Some(username) = q("username") {
            users.retain(|u| u.username.eq_ignore_ascii_case(username));
        }
        if let Some(search) = q("search").filter(|s| !s.is_empty()) {
            let s = search.to_lowercase();
            users.retain(|u| {
                u.username.to_lowercase().contains(&s)
                    || u.name.to_lowercase().contains(&s)
                    || u.email.to_lowercase() == s
            });
        }
        let desc = !matches!(q("sort"), Some("asc"));
        users.sort_by_key(|u| u.id);
        if desc {
            users.reverse();
        }
        let per_page = match parse_per_page(&req.query) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        if q("pagination") == Some("keyset") {
            // Keyset: filter by the cursor, one page, `Link: rel="next"` only.
            if let Some(after) = q("id_after").and_then(|v| v.parse::<u64>().ok()) {
                users.retain(|u| u.id > after);
            }
            if let Some(before) = q("id_before").and_then(|v| v.parse::<u64>().ok()) {
                users.retain(|u| u.id < before);
            }
            let more = users.len() > per_page.per_page;
            let page: Vec<Value> = users
                .iter()
                .take(per_page.per_page)
                .map(|u| user_basic(u, base))
                .collect();
            let mut resp = Response::json(200, Value::Array(page));
            if more {
                let last = users[per_page.per_page - 1].id;
                let cursor = if desc { "id_before" } else { "id_after" };
                let mut params = merged_params(
                    &req.query,
                    &[
                        ("order_by", "id"),
                        ("sort", if desc { "desc" } else { "asc" }),
                    ],
                );
                params.remove("id_after");
                params.remove("id_before");
                params.insert(cursor.to_string(), vec![last.to_string()]);
                params.insert(
                    "per_page".to_string(),
                    vec![per_page.per_page_param.to_string()],
                );
                let url = format!("{base}{}?{}", req.path, to_query(&params));
                resp = resp.header("Link", format!("<{url}>; rel=\"next\""));
            }
            return resp;
        }
        let page = match parse_page(&req.query) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        let items: Vec<Value> = users.iter().map(|u| user_basic(u, base)).collect();
        let params = merged_params(&req.query, &[]);
        paginate(
            items,
            page,
            per_page,
            &format!("{base}{}", req.path),
            params,
        )
    }

    fn list_issues(&self, req: &Request, project: &str, caller: &Caller, base: &str) -> Response {
        let filter = match IssueFilter::parse(&req.query) {
            Ok(f) => f,
            Err(resp) => return resp,
        };
        let per_page = match parse_per_page(&req.query) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        let page = match parse_page(&req.query) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        let Some(idx) = self.visible_project(project, caller) else {
            return message(404, "404 Project Not Found");
        };
        let mut items: Vec<Value> = self.projects[idx]
            .issues
            .iter()
            .filter(|i| filter.matches(i))
            .cloned()
            .collect();
        let key = filter.order_by;
        items.sort_by(|a, b| {
            let ka = (a[key].as_str().unwrap_or(""), a["id"].as_u64().unwrap_or(0));
            let kb = (b[key].as_str().unwrap_or(""), b["id"].as_u64().unwrap_or(0));
            if filter.ascending {
                ka.cmp(&kb)
            } else {
                kb.cmp(&ka)
            }
        });
        let defaults = [
            ("id", project),
            ("order_by", "created_at"),
            ("sort", "desc"),
            ("state", "all"),
            ("with_labels_details", "false"),
        ];
        let params = merged_params(&req.query, &defaults);
        paginate(
            items,
            page,
            per_page,
            &format!("{base}{}", req.path),
            params,
        )
    }

    fn create_issue(
        &mut self,
        req: &Request,
        project: &str,
        caller: &Caller,
        base: &str,
    ) -> (Response, bool) {
        // Parameters: query string, then the body (form or JSON) on top.
        let mut params = form_to_map(&req.query);
        let content_type = req
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.contains("json") {
            if !req.body.iter().all(|b| b.is_ascii_whitespace()) {
                match serde_json::from_slice::<Value>(&req.body) {
                    Ok(Value::Object(obj)) => params.extend(obj),
                    _ => {
                        return (
                            bad_param("message body does not match declared format".into()),
                            false,
                        );
                    }
                }
            }
        } else if !req.body.is_empty() {
            let body = String::from_utf8_lossy(&req.body);
            params.extend(form_to_map(&parse_urlencoded(&body)));
        }

        // Grape validation (before the endpoint runs).
        let title = match params.get("title") {
            None => return (bad_param("title is missing".into()), false),
            Some(Value::Null) => String::new(),
            Some(v) => match scalar_string(v) {
                Some(s) => s,
                None => return (bad_param("title is invalid".into()), false),
            },
        };
        let description = match params.get("description") {
            None | Some(Value::Null) => None,
            Some(v) => match scalar_string(v) {
                Some(s) => Some(s),
                None => return (bad_param("description is invalid".into()), false),
            },
        };
        let confidential = match params.get("confidential") {
            None | Some(Value::Null) => false,
            Some(v) => match parse_bool(v) {
                Some(b) => b,
                None => return (bad_param("confidential is invalid".into()), false),
            },
        };
        let mut assignee_ids = match params.get("assignee_ids") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => match parse_id_list(v) {
                Some(ids) => ids,
                None => return (bad_param("assignee_ids is invalid".into()), false),
            },
        };
        if assignee_ids.is_empty() {
            match params.get("assignee_id") {
                None | Some(Value::Null) => {}
                Some(v) => match parse_id_list(v) {
                    Some(ids) if ids.len() <= 1 => assignee_ids = ids,
                    _ => return (bad_param("assignee_id is invalid".into()), false),
                },
            }
        }
        let labels = match params.get("labels") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut all = Vec::new();
                for item in items {
                    match scalar_string(item) {
                        Some(s) => all.push(s),
                        None => return (bad_param("labels is invalid".into()), false),
                    }
                }
                normalize_labels(all.iter().map(String::as_str))
            }
            Some(v) => match scalar_string(v) {
                Some(s) => normalize_labels(std::iter::once(s.as_str())),
                None => return (bad_param("labels is invalid".into()), false),
            },
        };
        let due_date = match params.get("due_date") {
            None | Some(Value::Null) => None,
            Some(v) => match scalar_string(v) {
                Some(s) if valid_date(&s) => Some(s),
                Some(_) => None,
                None => return (bad_param("due_date is invalid".into()), false),
            },
        };

        // The endpoint: project, permission, model validation.
        let Some(idx) = self.visible_project(project, caller) else {
            return (message(404, "404 Project Not Found"), false);
        };
        if caller.access != TokenAccess::Full {
            return (message(403, "403 Forbidden"), false);
        }
        let title = title.trim().to_string();
        let mut errors = Map::new();
        if title.is_empty() {
            errors.insert("title".into(), json!(["can't be blank"]));
        } else if title.chars().count() > TITLE_MAX_CHARS {
            errors.insert(
                "title".into(),
                json!([format!(
                    "is too long (maximum is {TITLE_MAX_CHARS} characters)"
                )]),
            );
        }
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS)
        {
            errors.insert(
                "description".into(),
                json!([format!(
                    "is too long (maximum is {DESCRIPTION_MAX_CHARS} characters)"
                )]),
            );
        }
        if !errors.is_empty() {
            return (Response::json(400, json!({ "message": errors })), false);
        }

        let fields = IssueFields {
            title,
            description,
            labels,
            assignee_ids,
            confidential,
            due_date,
            author_id: caller.user_id,
        };
        let issue = self.build_issue(idx, fields, base);
        self.projects[idx].issues.push(issue.clone());
        (Response::json(201, issue), true)
    }
}

// ---------------------------------------------------------------------------
// Issue filtering
// ---------------------------------------------------------------------------

enum LabelFilter {
    All(Vec<String>),
    None,
    Any,
}

enum AssigneeFilter {
    Id(u64),
    None,
    Any,
}

struct IssueFilter {
    state: Option<&'static str>,
    labels: Option<LabelFilter>,
    search: Option<(String, bool, bool)>,
    confidential: Option<bool>,
    assignee: Option<AssigneeFilter>,
    author_id: Option<u64>,
    author_username: Option<String>,
    iids: Vec<u64>,
    milestone_none_only: Option<bool>,
    order_by: &'static str,
    ascending: bool,
}

impl IssueFilter {
    fn parse(query: &[(String, String)]) -> Result<IssueFilter, Response> {
        let q = |name: &str| {
            query
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let invalid = |name: &str| bad_param(format!("{name} is invalid"));
        let not_valid = |name: &str| bad_param(format!("{name} does not have a valid value"));

        let state = match q("state") {
            None | Some("all") => None,
            Some("opened") => Some("opened"),
            Some("closed") => Some("closed"),
            Some(_) => return Err(not_valid("state")),
        };
        let order_by = match q("order_by") {
            None | Some("created_at") => "created_at",
            Some("updated_at") => "updated_at",
            Some(_) => return Err(not_valid("order_by")),
        };
        let ascending = match q("sort") {
            None | Some("desc") => false,
            Some("asc") => true,
            Some(_) => return Err(not_valid("sort")),
        };
        let labels = match q("labels") {
            None | Some("") => None,
            Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("no label") => {
                Some(LabelFilter::None)
            }
            Some(v) if v.eq_ignore_ascii_case("any") => Some(LabelFilter::Any),
            Some(v) => Some(LabelFilter::All(normalize_labels(std::iter::once(v)))),
        };
        let search = match q("search") {
            None => None,
            Some(s) => {
                let scopes: Vec<&str> = q("in").unwrap_or("").split(',').map(str::trim).collect();
                let title = scopes.contains(&"title");
                let description = scopes.contains(&"description");
                let (title, description) = if title || description {
                    (title, description)
                } else {
                    (true, true)
                };
                Some((s.to_string(), title, description))
            }
        };
        let confidential = match q("confidential") {
            None => None,
            Some(v) => Some(parse_bool(&json!(v)).ok_or_else(|| invalid("confidential"))?),
        };
        let assignee = match q("assignee_id") {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("none") => Some(AssigneeFilter::None),
            Some(v) if v.eq_ignore_ascii_case("any") => Some(AssigneeFilter::Any),
            Some(v) => Some(AssigneeFilter::Id(
                v.parse().map_err(|_| not_valid("assignee_id"))?,
            )),
        };
        let author_id = match q("author_id") {
            None => None,
            Some(v) => Some(v.parse().map_err(|_| invalid("author_id"))?),
        };
        let mut iids = Vec::new();
        for (k, v) in query {
            if k == "iids[]" || k == "iids" {
                for part in v.split(',') {
                    iids.push(part.trim().parse().map_err(|_| invalid("iids"))?);
                }
            }
        }
        let milestone_none_only = match q("milestone").or_else(|| q("milestone_id")) {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("none") => Some(true),
            Some(_) => Some(false),
        };
        Ok(IssueFilter {
            state,
            labels,
            search,
            confidential,
            assignee,
            author_id,
            author_username: q("author_username").map(str::to_string),
            iids,
            milestone_none_only,
            order_by,
            ascending,
        })
    }

    fn matches(&self, issue: &Value) -> bool {
        if let Some(state) = self.state {
            if issue["state"] != state {
                return false;
            }
        }
        let labels: Vec<&str> = issue["labels"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match &self.labels {
            Some(LabelFilter::None) if !labels.is_empty() => return false,
            Some(LabelFilter::Any) if labels.is_empty() => return false,
            Some(LabelFilter::All(wanted))
                if !wanted.iter().all(|w| labels.contains(&w.as_str())) =>
            {
                return false
            }
            _ => {}
        }
        if let Some(c) = self.confidential {
            if issue["confidential"].as_bool() != Some(c) {
                return false;
            }
        }
        let assignees: Vec<u64> = issue["assignees"]
            .as_array()
            .map(|a| a.iter().filter_map(|u| u["id"].as_u64()).collect())
            .unwrap_or_default();
        match &self.assignee {
            Some(AssigneeFilter::None) if !assignees.is_empty() => return false,
            Some(AssigneeFilter::Any) if assignees.is_empty() => return false,
            Some(AssigneeFilter::Id(id)) if !assignees.contains(id) => return false,
            _ => {}
        }
        if let Some(a) = self.author_id {
            if issue["author"]["id"].as_u64() != Some(a) {
                return false;
            }
        }
        if let Some(name) = &self.author_username {
            if !issue["author"]["username"]
                .as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(name))
            {
                return false;
            }
        }
        if !self.iids.is_empty()
            && !issue["iid"]
                .as_u64()
                .is_some_and(|i| self.iids.contains(&i))
        {
            return false;
        }
        if self.milestone_none_only == Some(false) {
            // No issue has a milestone here.
            return false;
        }
        if let Some((query, in_title, in_description)) = &self.search {
            let mut target = String::new();
            if *in_title {
                target.push_str(issue["title"].as_str().unwrap_or(""));
            }
            if *in_description {
                target.push_str(issue["description"].as_str().unwrap_or(""));
            }
            if !fuzzy_match(&target, query) {
                return false;
            }
        }
        true
    }
}

/// `Gitlab::SQL::Pattern.fuzzy_arel_match` on one (concatenated) column.
fn fuzzy_match(target: &str, query: &str) -> bool {
    let squished = query.split_whitespace().collect::<Vec<_>>().join(" ");
    if squished.is_empty() {
        return true;
    }
    // Quoted phrases: `"..."` preceded by start/space and followed by space/end.
    let mut words: Vec<String> = Vec::new();
    let mut rest_words: Vec<String> = Vec::new();
    let chars: Vec<char> = squished.chars().collect();
    let mut i = 0;
    let mut current = String::new();
    while i < chars.len() {
        let at_boundary = i == 0 || chars[i - 1] == ' ';
        if chars[i] == '"' && at_boundary {
            if let Some(end) = (i + 1..chars.len()).find(|&j| {
                chars[j] == '"' && j > i + 1 && (j + 1 == chars.len() || chars[j + 1] == ' ')
            }) {
                words.push(chars[i + 1..end].iter().collect());
                i = end + 1;
                continue;
            }
        }
        if chars[i] == ' ' {
            if !current.is_empty() {
                rest_words.push(std::mem::take(&mut current));
            }
        } else {
            current.push(chars[i]);
        }
        i += 1;
    }
    if !current.is_empty() {
        rest_words.push(current);
    }
    rest_words.extend(words);
    let long: Vec<String> = rest_words
        .into_iter()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let haystack = target.to_lowercase();
    if long.is_empty() {
        haystack == squished.to_lowercase()
    } else {
        long.iter().all(|w| haystack.contains(&w.to_lowercase()))
    }
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

struct PerPage {
    per_page: usize,
    /// The value Grape saw, repeated in `Link` URLs.
    per_page_param: u64,
}

fn parse_per_page(query: &[(String, String)]) -> Result<PerPage, Response> {
    match query.iter().rev().find(|(k, _)| k == "per_page") {
        None => Ok(PerPage {
            per_page: 20,
            per_page_param: 20,
        }),
        Some((_, v)) => {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| bad_param("per_page is invalid".into()))?;
            if n <= 0 {
                Ok(PerPage {
                    per_page: 20,
                    per_page_param: 20,
                })
            } else {
                Ok(PerPage {
                    per_page: (n as usize).min(100),
                    per_page_param: n as u64,
                })
            }
        }
    }
}

fn parse_page(query: &[(String, String)]) -> Result<usize, Response> {
    match query.iter().rev().find(|(k, _)| k == "page") {
        None => Ok(1),
        Some((_, v)) => {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| bad_param("page is invalid".into()))?;
            Ok(n.max(1) as usize)
        }
    }
}

/// Request parameters merged over defaults, like Grape `params`
/// (repeated `key[]` values kept, other keys: last value wins).
fn merged_params(
    query: &[(String, String)],
    defaults: &[(&str, &str)],
) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in defaults {
        map.insert(k.to_string(), vec![v.to_string()]);
    }
    let mut array_keys_seen = HashSet::new();
    for (k, v) in query {
        if k.ends_with("[]") {
            if array_keys_seen.insert(k.clone()) {
                map.insert(k.clone(), Vec::new());
            }
            map.entry(k.clone()).or_default().push(v.clone());
        } else {
            map.insert(k.clone(), vec![v.clone()]);
        }
    }
    map
}

/// Rails `Hash#to_query`: CGI-escaped `k=v` pairs, sorted.
fn to_query(params: &BTreeMap<String, Vec<String>>) -> String {
    let mut pairs: Vec<String> = params
        .iter()
        .flat_map(|(k, vs)| {
            vs.iter()
                .map(move |v| format!("{}={}", cgi_escape(k), cgi_escape(v)))
        })
        .collect();
    pairs.sort();
    pairs.join("&")
}

fn paginate(
    items: Vec<Value>,
    page: usize,
    per_page: PerPage,
    url_base: &str,
    mut params: BTreeMap<String, Vec<String>>,
) -> Response {
    let total = items.len();
    let pp = per_page.per_page;
    let kaminari_pages = total.div_ceil(pp);
    let total_pages = kaminari_pages.max(1);
    let out_of_range = page > kaminari_pages;
    let next = if !out_of_range && page < kaminari_pages {
        Some(page + 1)
    } else {
        None
    };
    let prev = if !out_of_range && page > 1 {
        Some(page - 1)
    } else {
        None
    };
    let start = (page - 1).saturating_mul(pp).min(total);
    let end = (start + pp).min(total);
    let slice: Vec<Value> = items[start..end].to_vec();

    params.insert("per_page".into(), vec![per_page.per_page_param.to_string()]);
    let mut href = |p: usize| {
        params.insert("page".into(), vec![p.to_string()]);
        format!("{url_base}?{}", to_query(&params))
    };
    let mut links = Vec::new();
    if let Some(p) = prev {
        links.push(format!("<{}>; rel=\"prev\"", href(p)));
    }
    if let Some(n) = next {
        links.push(format!("<{}>; rel=\"next\"", href(n)));
    }
    links.push(format!("<{}>; rel=\"first\"", href(1)));
    links.push(format!("<{}>; rel=\"last\"", href(total_pages)));

    Response::json(200, Value::Array(slice))
        .header("X-Per-Page", pp.to_string())
        .header("X-Page", page.to_string())
        .header(
            "X-Next-Page",
            next.map(|n| n.to_string()).unwrap_or_default(),
        )
        .header(
            "X-Prev-Page",
            prev.map(|n| n.to_string()).unwrap_or_default(),
        )
        .header("Link", links.join(", "))
        .header("X-Total", total.to_string())
        .header("X-Total-Pages", total_pages.to_string())
}

// ---------------------------------------------------------------------------
// JSON helpers
// ---------------------------------------------------------------------------

fn user_basic(u: &User, base: &str) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "state": "active",
        "locked": false,
        "avatar_url": null,
        "web_url": format!("{base}/{}", u.username)
    })
}

fn user_full(u: &User, base: &str) -> Value {
    let mut v = user_basic(u, base);
    let extra = json!({
        "created_at": "2020-01-01T00:00:00.000Z",
        "bio": "",
        "location": "",
        "public_email": null,
        "skype": "",
        "linkedin": "",
        "twitter": "",
        "discord": "",
        "website_url": "",
        "organization": "",
        "job_title": "",
        "pronouns": null,
        "bot": false,
        "work_information": null,
        "local_time": null,
        "last_sign_in_at": "2020-01-01T00:00:00.000Z",
        "confirmed_at": "2020-01-01T00:00:00.000Z",
        "last_activity_on": "2020-01-01",
        "email": u.email,
        "theme_id": 1,
        "color_scheme_id": 1,
        "projects_limit": 100000,
        "current_sign_in_at": "2020-01-01T00:00:00.000Z",
        "identities": [],
        "can_create_group": true,
        "can_create_project": true,
        "two_factor_enabled": false,
        "external": false,
        "private_profile": false,
        "commit_email": u.email
    });
    if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), extra) {
        obj.extend(extra);
    }
    v
}

/// Form pairs to a map: `k[]` keys collect into arrays under `k`.
fn form_to_map(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in pairs {
        if let Some(base) = k.strip_suffix("[]") {
            match map.get_mut(base) {
                Some(Value::Array(items)) => items.push(json!(v)),
                _ => {
                    map.insert(base.to_string(), json!([v]));
                }
            }
        } else {
            map.insert(k.clone(), json!(v));
        }
    }
    map
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Grape/dry-types `Params::Bool`.
fn parse_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
            "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integer array: JSON array, `k[]` repeats, or a comma-separated string.
fn parse_id_list(v: &Value) -> Option<Vec<u64>> {
    let one = |v: &Value| -> Option<Vec<u64>> {
        match v {
            Value::Number(n) => n.as_u64().map(|n| vec![n]),
            Value::String(s) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u64>().ok())
                .collect(),
            Value::Null => Some(Vec::new()),
            _ => None,
        }
    };
    match v {
        Value::Array(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(one(item)?);
            }
            Some(all)
        }
        other => one(other),
    }
}

/// Comma-separated labels: trimmed, blanks dropped, duplicates dropped,
/// sorted by title (GitLab's `label_names` orders by title).
fn normalize_labels<'a>(raw: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for chunk in raw {
        for label in chunk.split(',') {
            let label = label.trim();
            if !label.is_empty() && !out.iter().any(|l| l == label) {
                out.push(label.to_string());
            }
        }
    }
    out.sort();
    out
}

/// Task list items, like GitLab's `Taskable::ITEM_PATTERN`, outside fenced code.
fn task_counts(text: &str) -> (u64, u64) {
    let mut count = 0;
    let mut done = 0;
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = fence_char {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if run >= 3 {
                match fence {
                    None => fence = Some((c, run)),
                    Some((open, len))
                        if open == c && run >= len && trimmed[run..].trim().is_empty() =>
                    {
                        fence = None
                    }
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        let mut s = trimmed;
        while let Some(rest) = s.strip_prefix('>') {
            s = rest.trim_start();
        }
        let after_marker = if let Some(rest) = s.strip_prefix(['-', '+', '*']) {
            rest
        } else {
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                continue;
            }
            match s[digits..].strip_prefix(['.', ')']) {
                Some(rest) => rest,
                None => continue,
            }
        };
        if !after_marker.starts_with([' ', '\t']) {
            continue;
        }
        let item = after_marker.trim_start();
        let b = item.as_bytes();
        if b.len() < 4 || b[0] != b'[' || b[2] != b']' || !(b[3] == b' ' || b[3] == b'\t') {
            continue;
        }
        if item[4..].trim().is_empty() {
            continue;
        }
        match b[1] {
            b' ' | b'\t' => count += 1,
            b'x' | b'X' => {
                count += 1;
                done += 1;
            }
            _ => {}
        }
    }
    (count, done)
}

// ---------------------------------------------------------------------------
// URL encoding
// ---------------------------------------------------------------------------

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes (lossy UTF-8); `plus_is_space` for query/form values.
fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `application/x-www-form-urlencoded` / query string pairs, decoded.
fn parse_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(pair, true), String::new()),
        })
        .collect()
}

/// Ruby `CGI.escape`.
fn cgi_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn iso8601_millis(ms: u64) -> String {
    let secs = ms / 1000;
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms % 1000
    )
}

/// RFC 7231 IMF-fixdate, e.g. `Tue, 05 Jan 2021 11:00:00 GMT`.
fn http_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs / 86_400;
    let (y, mo, d) = civil_from_days(days as i64);
    let rem = secs % 86_400;
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(mo - 1) as usize],
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|t| t.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}
