//! The only module that talks to GitLab.
//!
//! Every call is a `gitlab` crate endpoint (`CurrentUser`, `Project`, `Users`,
//! `ProjectIssues`, `CreateIssue`). This module supplies the HTTP transport the
//! crate's `api::Client` trait allows, because the crate's own client has no
//! timeout, cannot share a rate-limit view between threads, and its retry
//! helper would replay an issue creation whose answer was lost.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use chrono::NaiveDate;
use gitlab::api::common::NameOrId;
use gitlab::api::issues::{IssueSearchScope, ProjectIssues};
use gitlab::api::projects::issues::CreateIssue;
use gitlab::api::projects::Project;
use gitlab::api::users::{CurrentUser, Users};
use gitlab::api::{self, ApiError, Query};
use http::{HeaderMap, Method, StatusCode};
use serde::Deserialize;
use url::Url;

/// Where access requests go unless told otherwise.
pub const DEFAULT_URL: &str = "https://gitlab.com";
/// GitLab's own access-requests project.
pub const DEFAULT_PROJECT: &str = "gitlab-com/team-member-epics/access-requests";
/// The only place the token is read from.
pub const TOKEN_VARIABLE: &str = "GITLAB_TOKEN";

/// Why talking to GitLab failed. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitlabError {
    /// No token in the environment.
    #[error("{TOKEN_VARIABLE} is not set: create a personal access token with the `api` scope and `export {TOKEN_VARIABLE}=...`")]
    MissingToken,
    /// The address is not usable.
    #[error("'{url}' is not a usable GitLab address: {reason}")]
    BadUrl {
        /// The address given.
        url: String,
        /// Why.
        reason: String,
    },
    /// Plain HTTP to a host that is not this machine.
    #[error("refusing plain http to {host}: the token would cross the network unencrypted; use https (http is only allowed for loopback addresses)")]
    InsecureHost {
        /// The host.
        host: String,
    },
    /// 401: wrong, expired or revoked token.
    #[error("GitLab at {server} rejected the token in {TOKEN_VARIABLE} (401 Unauthorized): it is wrong, expired or revoked; create a personal access token with the `api` scope")]
    Unauthorized {
        /// The GitLab address.
        server: String,
    },
    /// 403: the token or its user lacks the rights.
    #[error("GitLab at {server} refused to {action} (403 Forbidden): the token needs the `api` scope and its user needs at least the Reporter role in the project")]
    Forbidden {
        /// The GitLab address.
        server: String,
        /// What was being done.
        action: String,
    },
    /// 404 on the project.
    #[error("project '{project}' was not found on {server} (404 Not Found): check --project, and that the token's user can see it")]
    ProjectNotFound {
        /// The project path or id.
        project: String,
        /// The GitLab address.
        server: String,
    },
    /// The manager (or another user) does not exist.
    #[error("no GitLab user '{username}' on {server}: check --manager")]
    UnknownUser {
        /// The username asked for.
        username: String,
        /// The GitLab address.
        server: String,
    },
    /// DNS, refused connection, reset.
    #[error("cannot reach GitLab at {server}: {reason}")]
    Unreachable {
        /// The GitLab address.
        server: String,
        /// The underlying cause.
        reason: String,
    },
    /// The TLS handshake failed.
    #[error("TLS handshake with {server} failed: {reason}; check the address and this machine's CA certificates")]
    Tls {
        /// The GitLab address.
        server: String,
        /// The underlying cause.
        reason: String,
    },
    /// No answer in time.
    #[error("GitLab at {server} did not answer within {seconds} s while trying to {action}")]
    Timeout {
        /// The GitLab address.
        server: String,
        /// The timeout.
        seconds: u64,
        /// What was being done.
        action: String,
    },
    /// 429 again and again.
    #[error("GitLab at {server} kept answering 429 Too Many Requests ({attempts} times, {waited} s of waiting) while trying to {action}; wait a few minutes and re-run: nothing is filed twice")]
    RateLimited {
        /// The GitLab address.
        server: String,
        /// How many 429s in a row.
        attempts: u32,
        /// Seconds spent waiting.
        waited: u64,
        /// What was being done.
        action: String,
    },
    /// 5xx that did not go away.
    #[error("GitLab at {server} failed with HTTP {status} while trying to {action}")]
    Server {
        /// The GitLab address.
        server: String,
        /// The status code.
        status: u16,
        /// What was being done.
        action: String,
    },
    /// Another refusal, with GitLab's message.
    #[error("GitLab at {server} refused to {action} (HTTP {status}): {message}")]
    Rejected {
        /// The GitLab address.
        server: String,
        /// The status code.
        status: u16,
        /// What was being done.
        action: String,
        /// GitLab's message.
        message: String,
    },
    /// An answer that does not look like GitLab.
    #[error("unexpected answer from {server} while trying to {action}: {reason}")]
    Protocol {
        /// The GitLab address.
        server: String,
        /// What was being done.
        action: String,
        /// What was wrong.
        reason: String,
    },
}

/// A personal access token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl Token {
    /// A token from the library's caller. The binary only ever builds one from
    /// `GITLAB_TOKEN`, through [`Token::from_env`].
    pub fn new(value: &str) -> Self {
        Self(value.trim().to_string())
    }

    /// Reads `GITLAB_TOKEN`.
    pub fn from_env() -> Result<Self, GitlabError> {
        std::env::var(TOKEN_VARIABLE)
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(Token)
            .ok_or(GitlabError::MissingToken)
    }

    /// Replaces the token wherever it appears in `text`.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

/// A GitLab address: scheme, host, optional port and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    base: Url,
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base.as_str().trim_end_matches('/'))
    }
}

impl Server {
    /// Parses `https://gitlab.example.com[/prefix]` or a bare host (https assumed).
    /// Plain http is refused unless the host is a loopback address.
    pub fn parse(text: &str) -> Result<Self, GitlabError> {
        let text = text.trim();
        let fail = |reason: &str| GitlabError::BadUrl {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        let mut base = Url::parse(&with_scheme).map_err(|e| fail(&e.to_string()))?;
        if !matches!(base.scheme(), "https" | "http") {
            return Err(fail(
                "only https:// (or http:// to this machine) is supported",
            ));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(fail("put the token in GITLAB_TOKEN, not in the address"));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(fail("the address cannot have a query or fragment"));
        }
        let host = base
            .host_str()
            .ok_or_else(|| fail("it has no host"))?
            .to_string();
        if base.scheme() == "http" && !is_loopback(&host) {
            return Err(GitlabError::InsecureHost { host });
        }
        let path = base.path().trim_end_matches('/').to_string();
        base.set_path(&format!("{path}/"));
        Ok(Self { base })
    }

    /// The address of the REST API, ending in `/api/v4/`.
    pub fn api(&self) -> Url {
        self.base
            .join("api/v4/")
            .unwrap_or_else(|_| self.base.clone())
    }

    fn is_loopback(&self) -> bool {
        self.base.host_str().is_some_and(is_loopback)
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// How hard to try before giving up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after a 5xx or network failure that is safe to repeat.
    pub retries: u32,
    /// The first backoff; it doubles each time.
    pub backoff: Duration,
    /// The longest single backoff.
    pub backoff_cap: Duration,
    /// How many 429s in a row one request may meet.
    pub rate_limited_attempts: u32,
    /// How long one request may spend waiting out 429s.
    pub rate_limited_wait: Duration,
    /// How long one request may take.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 4,
            backoff: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            rate_limited_attempts: 8,
            rate_limited_wait: Duration::from_secs(120),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with jitter: between half and all of `backoff * 2^(attempt-1)`, capped.
    fn delay(&self, base: Duration, attempt: u32) -> Duration {
        let exponential = base.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.backoff_cap);
        capped.mul_f64(0.5 + 0.5 * random_fraction())
    }
}

fn random_fraction() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// One view of GitLab's rate limit, shared by every thread: after a 429,
/// nobody sends until `Retry-After` has passed.
#[derive(Debug, Default)]
struct RateGate {
    not_before: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Blocks until requests may be sent.
    fn wait(&self) {
        loop {
            let until = *self.not_before.lock().unwrap_or_else(|e| e.into_inner());
            match until {
                Some(t) if t > Instant::now() => thread::sleep(t - Instant::now()),
                _ => return,
            }
        }
    }

    /// Holds every sender back for `delay`.
    fn hold(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut not_before = self.not_before.lock().unwrap_or_else(|e| e.into_inner());
        if not_before.is_none_or(|t| t < until) {
            *not_before = Some(until);
        }
    }

    /// Learns from GitLab's `RateLimit-*` headers: none left means wait for the reset.
    fn observe(&self, headers: &HeaderMap) {
        if header_number(headers, "RateLimit-Remaining") == Some(0) {
            if let Some(delay) = until_reset(headers) {
                self.hold(delay.min(Duration::from_secs(60)));
            }
        }
    }
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn until_reset(headers: &HeaderMap) -> Option<Duration> {
    let reset = header_number(headers, "RateLimit-Reset")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(now).max(1)))
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// What went wrong below the GitLab API: the network, or too many 429s.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The request did not complete.
    #[error("{}", describe_reqwest(.0))]
    Send(#[source] reqwest::Error),
    /// 429 after 429.
    #[error("rate limited {attempts} times")]
    RateLimited {
        /// How many 429s in a row.
        attempts: u32,
        /// Time spent waiting.
        waited: Duration,
    },
    /// The request could not be built.
    #[error("{0}")]
    Build(String),
}

/// The cause chain of a network error, without the URL repeated.
fn describe_reqwest(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        let kind = if err.is_timeout() {
            "timed out"
        } else if err.is_connect() {
            "could not connect"
        } else {
            "the request failed"
        };
        kind.to_string()
    } else {
        parts.join(": ")
    }
}

/// True when a rustls error is anywhere in the cause chain, directly or inside
/// (possibly nested) `io::Error`s, whose `source` skips the error they wrap.
fn is_tls_failure(err: &reqwest::Error) -> bool {
    fn is_rustls(error: &(dyn std::error::Error + 'static)) -> bool {
        if error.is::<rustls::Error>() {
            return true;
        }
        match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => is_rustls(inner),
            None => false,
        }
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(cause) = source {
        if is_rustls(cause) {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The HTTP client under the `gitlab` crate's endpoints.
#[derive(Debug)]
struct Transport {
    http: reqwest::blocking::Client,
    api: Url,
    token: Token,
    gate: RateGate,
    policy: RetryPolicy,
}

impl api::RestClient for Transport {
    type Error = TransportError;

    fn rest_endpoint(&self, endpoint: &str) -> Result<Url, ApiError<Self::Error>> {
        Ok(self.api.join(endpoint)?)
    }
}

impl api::Client for Transport {
    fn rest(
        &self,
        request: http::request::Builder,
        body: Vec<u8>,
    ) -> Result<http::Response<Bytes>, ApiError<Self::Error>> {
        let fail = |e: TransportError| ApiError::client(e);
        let request = request
            .body(body)
            .map_err(|e| fail(TransportError::Build(e.to_string())))?;
        let (parts, body) = request.into_parts();
        // Reads may be repeated freely; a write whose answer was lost may not.
        let repeatable = parts.method == Method::GET || parts.method == Method::HEAD;
        let mut failures = 0;
        let mut limited = 0;
        let mut waited = Duration::ZERO;
        loop {
            self.gate.wait();
            let mut outgoing = http::Request::builder()
                .method(parts.method.clone())
                .uri(parts.uri.clone());
            for (name, value) in &parts.headers {
                outgoing = outgoing.header(name, value);
            }
            let outgoing = outgoing
                .header("PRIVATE-TOKEN", self.token.0.as_str())
                .body(body.clone())
                .map_err(|e| fail(TransportError::Build(e.to_string())))?;
            let outgoing = reqwest::blocking::Request::try_from(outgoing)
                .map_err(|e| fail(TransportError::Build(describe_reqwest(&e))))?;
            let answer = self.http.execute(outgoing).and_then(|rsp| {
                let status = rsp.status();
                let headers = rsp.headers().clone();
                rsp.bytes().map(|bytes| (status, headers, bytes))
            });
            match answer {
                Ok((status, headers, bytes)) => {
                    self.gate.observe(&headers);
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        limited += 1;
                        let delay = retry_after(&headers)
                            .or_else(|| until_reset(&headers))
                            .unwrap_or_else(|| self.policy.delay(Duration::from_secs(1), limited));
                        if limited >= self.policy.rate_limited_attempts
                            || waited + delay > self.policy.rate_limited_wait
                        {
                            return Err(fail(TransportError::RateLimited {
                                attempts: limited,
                                waited,
                            }));
                        }
                        waited += delay;
                        self.gate.hold(delay);
                        continue;
                    }
                    if status.is_server_error() && repeatable && failures < self.policy.retries {
                        failures += 1;
                        thread::sleep(self.policy.delay(self.policy.backoff, failures));
                        continue;
                    }
                    let mut response = http::Response::builder().status(status);
                    if let Some(map) = response.headers_mut() {
                        *map = headers;
                    }
                    return response
                        .body(bytes)
                        .map_err(|e| fail(TransportError::Build(e.to_string())));
                }
                Err(err) => {
                    // A connection that never opened carried nothing, so even a
                    // write may be sent again.
                    let unsent = err.is_connect() && !is_tls_failure(&err);
                    if (unsent || (repeatable && !is_tls_failure(&err)))
                        && failures < self.policy.retries
                    {
                        failures += 1;
                        thread::sleep(self.policy.delay(self.policy.backoff, failures));
                        continue;
                    }
                    return Err(fail(TransportError::Send(err)));
                }
            }
        }
    }
}

/// Connection settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The GitLab address.
    pub server: Server,
    /// The access-requests project, as a path or numeric id.
    pub project: String,
    /// Retries, backoff and timeout.
    pub policy: RetryPolicy,
}

/// The parts of a GitLab user `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// Numeric id.
    pub id: u64,
    /// Username.
    pub username: String,
}

/// The parts of a GitLab project `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProjectInfo {
    /// Numeric id.
    pub id: u64,
    /// `group/project`.
    pub path_with_namespace: String,
    /// Its web page.
    #[serde(default)]
    pub web_url: String,
}

/// The parts of a GitLab issue `onboard` needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Issue {
    /// Per-project number.
    pub iid: u64,
    /// Title.
    pub title: String,
    /// Body.
    #[serde(default)]
    pub description: Option<String>,
    /// Its web page.
    pub web_url: String,
}

/// A new issue, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueDraft {
    /// Title.
    pub title: String,
    /// Markdown body.
    pub description: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Who approves it.
    pub assignee_id: Option<u64>,
    /// When it is due.
    pub due_date: NaiveDate,
    /// Whether only project members may see it.
    pub confidential: bool,
}

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
    /// The project access requests go to.
    pub project: ProjectInfo,
    /// Who the token belongs to.
    pub user: User,
}

impl Connection {
    /// Connects, checks the token (`GET /user`) and the project (`GET /projects/:id`).
    /// Threads that share the connection share its view of the rate limit.
    pub fn open(settings: &Settings, token: Token) -> Result<Self, GitlabError> {
        let server = settings.server.clone();
        let mut builder = reqwest::blocking::Client::builder()
            .user_agent(concat!("onboard/", env!("CARGO_PKG_VERSION")))
            .timeout(settings.policy.timeout)
            .connect_timeout(settings.policy.timeout.min(Duration::from_secs(10)));
        if server.is_loopback() {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| GitlabError::Protocol {
            server: server.to_string(),
            action: "start an HTTP client".to_string(),
            reason: describe_reqwest(&e),
        })?;
        let transport = Transport {
            http,
            api: server.api(),
            token,
            gate: RateGate::default(),
            policy: settings.policy.clone(),
        };
        let mut connection = Self {
            transport,
            server,
            project: ProjectInfo {
                id: 0,
                path_with_namespace: settings.project.clone(),
                web_url: String::new(),
            },
            user: User {
                id: 0,
                username: String::new(),
            },
        };
        let current_user = CurrentUser::builder()
            .build()
            .map_err(|e| connection.protocol("check the token", e))?;
        connection.user = connection.call("check the token", None, &current_user)?;
        let endpoint = Project::builder()
            .project(settings.project.as_str())
            .build()
            .map_err(|e| connection.protocol("look up the project", e))?;
        connection.project = connection.call(
            &format!("look up project '{}'", settings.project),
            Some(&settings.project),
            &endpoint,
        )?;
        Ok(connection)
    }

    /// The GitLab address, for messages.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The numeric id of a username.
    pub fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        let endpoint = Users::builder()
            .username(username)
            .build()
            .map_err(|e| self.protocol("look up a user", e))?;
        let users: Vec<User> = self.call(&format!("look up user '{username}'"), None, &endpoint)?;
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
    pub fn search_issues(&self, text: &str) -> Result<Vec<Issue>, GitlabError> {
        let action = "search the project for existing access requests";
        let endpoint = ProjectIssues::builder()
            .project(self.project.id)
            .search(text)
            .search_in(IssueSearchScope::Description)
            .build()
            .map_err(|e| self.protocol(action, e))?;
        api::paged(endpoint, api::Pagination::All)
            .query(&self.transport)
            .map_err(|e| self.explain(action, None, e))
    }

    /// Creates an issue, once. A lost answer is reported as
    /// [`CreateFailure::Unconfirmed`] so the caller can look before trying again.
    pub fn create_issue(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure> {
        let action = "create the access request issue";
        let endpoint = create_endpoint(self.project.id, draft)
            .map_err(|e| CreateFailure::Refused(self.protocol(action, e)))?;
        endpoint.query(&self.transport).map_err(|err| {
            let unconfirmed = match &err {
                ApiError::Client {
                    source: TransportError::Send(e),
                } => !(e.is_connect() || is_tls_failure(e)),
                other => status_of(other).is_some_and(|s| s.is_server_error()),
            };
            let explained = self.explain(action, None, err);
            if unconfirmed {
                CreateFailure::Unconfirmed(explained)
            } else {
                CreateFailure::Refused(explained)
            }
        })
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
            .map_err(|e| self.explain(action, project, e))
    }

    fn protocol(&self, action: &str, err: impl fmt::Display) -> GitlabError {
        GitlabError::Protocol {
            server: self.server.to_string(),
            action: action.to_string(),
            reason: err.to_string(),
        }
    }

    /// Turns a crate error into a message that says what to do about it.
    fn explain(
        &self,
        action: &str,
        project: Option<&str>,
        err: ApiError<TransportError>,
    ) -> GitlabError {
        let server = self.server.to_string();
        let action_text = action.to_string();
        if let ApiError::Client { source } = &err {
            return match source {
                TransportError::RateLimited { attempts, waited } => GitlabError::RateLimited {
                    server,
                    attempts: *attempts,
                    waited: waited.as_secs(),
                    action: action_text,
                },
                TransportError::Send(e) if is_tls_failure(e) => GitlabError::Tls {
                    server,
                    reason: describe_reqwest(e),
                },
                TransportError::Send(e) if e.is_timeout() => GitlabError::Timeout {
                    server,
                    seconds: self.transport.policy.timeout.as_secs(),
                    action: action_text,
                },
                TransportError::Send(e) => GitlabError::Unreachable {
                    server,
                    reason: describe_reqwest(e),
                },
                TransportError::Build(reason) => GitlabError::Protocol {
                    server,
                    action: action_text,
                    reason: reason.clone(),
                },
            };
        }
        match status_of(&err).map(|s| s.as_u16()) {
            Some(401) => GitlabError::Unauthorized { server },
            Some(403) => GitlabError::Forbidden {
                server,
                action: action_text,
            },
            Some(404) if project.is_some() => GitlabError::ProjectNotFound {
                project: project.unwrap_or_default().to_string(),
                server,
            },
            Some(429) => GitlabError::RateLimited {
                server,
                attempts: 1,
                waited: 0,
                action: action_text,
            },
            Some(status) if status >= 500 => GitlabError::Server {
                server,
                status,
                action: action_text,
            },
            Some(status) => GitlabError::Rejected {
                server,
                status,
                action: action_text,
                message: gitlab_message(&err),
            },
            None => GitlabError::Protocol {
                server,
                action: action_text,
                reason: err.to_string(),
            },
        }
    }
}

fn create_endpoint<'a>(
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
    if let Some(id) = draft.assignee_id {
        builder.assignee_id(id);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Exactly what creating `draft` sends: the URL and the decoded form fields,
/// produced by the same endpoint [`Connection::create_issue`] uses.
pub fn describe_create(
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

fn status_of(err: &ApiError<TransportError>) -> Option<StatusCode> {
    match err {
        ApiError::GitlabService { status, .. }
        | ApiError::GitlabWithStatus { status, .. }
        | ApiError::GitlabObjectWithStatus { status, .. }
        | ApiError::GitlabUnrecognizedWithStatus { status, .. } => Some(*status),
        ApiError::GitlabRateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
        _ => None,
    }
}

fn gitlab_message(err: &ApiError<TransportError>) -> String {
    match err {
        ApiError::GitlabWithStatus { msg, .. } => msg.clone(),
        ApiError::GitlabObjectWithStatus { obj, .. }
        | ApiError::GitlabUnrecognizedWithStatus { obj, .. } => obj.to_string(),
        ApiError::GitlabService { data, .. } => {
            String::from_utf8_lossy(data).chars().take(200).collect()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_parsed_and_plain_http_is_only_for_loopback() {
        assert_eq!(
            Server::parse("gitlab.com").unwrap().to_string(),
            "https://gitlab.com"
        );
        assert_eq!(
            Server::parse("https://git.example.com/gitlab/")
                .unwrap()
                .api()
                .as_str(),
            "https://git.example.com/gitlab/api/v4/"
        );
        assert_eq!(
            Server::parse("http://127.0.0.1:8080")
                .unwrap()
                .api()
                .as_str(),
            "http://127.0.0.1:8080/api/v4/"
        );
        assert!(Server::parse("http://localhost:3000").is_ok());
        assert!(Server::parse("http://[::1]:3000").is_ok());
        assert!(matches!(
            Server::parse("http://gitlab.example.com"),
            Err(GitlabError::InsecureHost { .. })
        ));
        assert!(matches!(
            Server::parse("ftp://gitlab.example.com"),
            Err(GitlabError::BadUrl { .. })
        ));
        let with_secret = Server::parse("https://user:s3cret@gitlab.example.com").unwrap_err();
        assert!(
            with_secret.to_string().contains("GITLAB_TOKEN"),
            "{with_secret}"
        );
    }

    #[test]
    fn tokens_never_show_in_debug_and_are_redacted() {
        let token = Token("glpat-secret-value".to_string());
        assert_eq!(format!("{token:?}"), "Token([redacted])");
        assert_eq!(token.redact("x glpat-secret-value y"), "x [redacted] y");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert("Retry-After", "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            "Retry-After",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.remove("Retry-After");
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let full = Duration::from_millis(250)
                .saturating_mul(1 << (attempt - 1))
                .min(policy.backoff_cap);
            let delay = policy.delay(policy.backoff, attempt);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn the_gate_holds_everyone_back() {
        let gate = RateGate::default();
        gate.hold(Duration::from_millis(30));
        gate.hold(Duration::from_millis(1));
        let started = Instant::now();
        gate.wait();
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
