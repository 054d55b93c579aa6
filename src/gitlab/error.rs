//! Why talking to GitLab failed, one variant per thing a person would do
//! differently. Messages never contain the token, and text a server sent is
//! stripped of control characters before it is kept.

use gitlab::api::ApiError;
use http::StatusCode;

use crate::render::terminal_safe;

/// The only place the token is read from.
pub(crate) const TOKEN_VARIABLE: &str = "GITLAB_TOKEN";

/// Why talking to GitLab failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum GitlabError {
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
    /// GitLab answered with a redirect; the token is never sent after one.
    #[error("GitLab at {server} answered with a redirect to {location}; the token is never sent to another address, so use that address as --gitlab-url if it is right")]
    Redirected {
        /// The GitLab address.
        server: String,
        /// Where it pointed.
        location: String,
    },
    /// An answer that is a web page rather than the API.
    #[error("GitLab at {server} answered with an HTML page, not the API, while trying to {action}: is the URL right, or is a proxy or sign-in page in the way?")]
    NotTheApi {
        /// The GitLab address.
        server: String,
        /// What was being done.
        action: String,
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
        /// GitLab's message, made safe to print.
        message: String,
    },
    /// 502, 503 or 504 with a web page: the proxy or load balancer in front
    /// of GitLab answered, because GitLab did not.
    #[error("the gateway in front of GitLab at {server} answered HTTP {status} ({reason}) while trying to {action}: GitLab is down, restarting or overloaded; try again in a few minutes (a re-run files nothing twice)")]
    Gateway {
        /// The GitLab address.
        server: String,
        /// 502, 503 or 504.
        status: u16,
        /// The status's name, e.g. `Bad Gateway`.
        reason: &'static str,
        /// What was being done.
        action: String,
    },
    /// A success whose body is not the JSON GitLab sends.
    #[error("GitLab at {server} answered HTTP {status} while trying to {action}, but the answer is broken (not valid JSON: cut off or garbled on the way); try again, and if it persists look for a proxy in the way")]
    BrokenAnswer {
        /// The GitLab address.
        server: String,
        /// The (successful) status code.
        status: u16,
        /// What was being done.
        action: String,
    },
    /// An answer larger than `gitlab.max_response_mib`.
    #[error("GitLab at {server} sent more than {limit_mib} MiB in answer to {request}; no GitLab answer is that large, so the address may not be GitLab or something in the way is misbehaving (the limit is gitlab.max_response_mib in the config file; a listing's pages together may hold four times that)")]
    TooLarge {
        /// The GitLab address.
        server: String,
        /// Method and path, e.g. `GET /api/v4/user`.
        request: String,
        /// The limit.
        limit_mib: u64,
    },
    /// A listing longer than `gitlab.max_pages`.
    #[error("GitLab at {server} kept sending pages in answer to {request}, beyond {pages}; stopped there (the limit is gitlab.max_pages in the config file)")]
    TooManyPages {
        /// The GitLab address.
        server: String,
        /// Method and path, e.g. `GET /api/v4/projects/7/issues`.
        request: String,
        /// The limit.
        pages: u32,
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

impl GitlabError {
    /// True when the network, not GitLab, failed: what a batch's circuit breaker counts.
    pub(crate) fn is_network(&self) -> bool {
        matches!(
            self,
            GitlabError::Unreachable { .. } | GitlabError::Timeout { .. } | GitlabError::Tls { .. }
        )
    }

    /// True for mistakes in how `onboard` was called (exit 2), not GitLab's answers (exit 4).
    pub(crate) fn is_usage(&self) -> bool {
        matches!(
            self,
            GitlabError::MissingToken
                | GitlabError::BadUrl { .. }
                | GitlabError::InsecureHost { .. }
        )
    }
}

/// What went wrong below the GitLab API: the network, or too many 429s.
#[derive(Debug, thiserror::Error)]
pub(super) enum TransportError {
    /// The request did not complete.
    #[error("{}", describe_reqwest(.0))]
    Send(#[source] reqwest::Error),
    /// 429 after 429.
    #[error("rate limited {attempts} times")]
    RateLimited {
        /// How many 429s in a row.
        attempts: u32,
        /// Seconds spent waiting.
        waited: u64,
    },
    /// A redirect, which is never followed.
    #[error("redirected to {0}")]
    Redirected(String),
    /// The request could not be built.
    #[error("{0}")]
    Build(String),
    /// The answer was larger than allowed.
    #[error("the answer to {request} is larger than {limit} bytes")]
    TooLarge {
        /// Method and path.
        request: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A listing went on for more pages than allowed.
    #[error("{request} went on beyond {pages} pages")]
    TooManyPages {
        /// Method and path.
        request: String,
        /// The limit.
        pages: u32,
    },
    /// The answer stopped arriving part-way, for a reason other than the network's.
    #[error("{0}")]
    CutOff(String),
}

impl TransportError {
    /// True when the request may have reached GitLab and been acted on,
    /// though its answer never arrived whole.
    pub(super) fn may_have_arrived(&self) -> bool {
        match self {
            TransportError::Send(e) => !(e.is_connect() || is_tls_failure(e)),
            TransportError::TooLarge { .. } | TransportError::CutOff(_) => true,
            TransportError::RateLimited { .. }
            | TransportError::Redirected(_)
            | TransportError::Build(_)
            | TransportError::TooManyPages { .. } => false,
        }
    }
}

/// The cause chain of a network error, without the URL repeated.
pub(super) fn describe_reqwest(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
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
        terminal_safe(&parts.join(": "))
    }
}

/// True when a rustls error is anywhere in the cause chain, directly or inside
/// (possibly nested) `io::Error`s, whose `source` skips the error they wrap.
pub(super) fn is_tls_failure(err: &reqwest::Error) -> bool {
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

/// What a failed call was doing, for the message that explains it.
pub(super) struct Context<'a> {
    /// The GitLab address.
    pub server: &'a str,
    /// What was being done, e.g. "look up project 'x'".
    pub action: &'a str,
    /// The project, when a 404 means the project is missing.
    pub project: Option<&'a str>,
    /// The request timeout, for a timeout's message.
    pub timeout_seconds: u64,
}

/// The HTTP status of a crate error, if it has one.
pub(super) fn status_of<E>(err: &ApiError<E>) -> Option<StatusCode>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match err {
        ApiError::GitlabService { status, .. }
        | ApiError::GitlabWithStatus { status, .. }
        | ApiError::GitlabObjectWithStatus { status, .. }
        | ApiError::GitlabUnrecognizedWithStatus { status, .. } => Some(*status),
        ApiError::GitlabRateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
        _ => None,
    }
}

/// Turns a crate error into a message that says what to do about it.
pub(super) fn explain(context: &Context<'_>, err: &ApiError<TransportError>) -> GitlabError {
    let server = context.server.to_string();
    let action = context.action.to_string();
    if let ApiError::Client { source } = err {
        return match source {
            TransportError::RateLimited { attempts, waited } => GitlabError::RateLimited {
                server,
                attempts: *attempts,
                waited: *waited,
                action,
            },
            TransportError::Redirected(location) => GitlabError::Redirected {
                server,
                location: terminal_safe(location),
            },
            TransportError::Send(e) if is_tls_failure(e) => GitlabError::Tls {
                server,
                reason: describe_reqwest(e),
            },
            TransportError::Send(e) if e.is_timeout() => GitlabError::Timeout {
                server,
                seconds: context.timeout_seconds,
                action,
            },
            TransportError::Send(e) => GitlabError::Unreachable {
                server,
                reason: describe_reqwest(e),
            },
            TransportError::Build(reason) => GitlabError::Protocol {
                server,
                action,
                reason: terminal_safe(reason),
            },
            TransportError::TooLarge { request, limit } => GitlabError::TooLarge {
                server,
                request: terminal_safe(request),
                limit_mib: limit.div_ceil(1024 * 1024),
            },
            TransportError::TooManyPages { request, pages } => GitlabError::TooManyPages {
                server,
                request: terminal_safe(request),
                pages: *pages,
            },
            TransportError::CutOff(reason) => GitlabError::Unreachable {
                server,
                reason: format!("the answer was cut off: {}", terminal_safe(reason)),
            },
        };
    }
    if let ApiError::GitlabService { status, data } = err {
        if let Some(reason) = gateway(*status, data) {
            return GitlabError::Gateway {
                server,
                status: status.as_u16(),
                reason,
                action,
            };
        }
        if looks_like_html(data) {
            return GitlabError::NotTheApi { server, action };
        }
        if status.is_success() {
            return GitlabError::BrokenAnswer {
                server,
                status: status.as_u16(),
                action,
            };
        }
    }
    match status_of(err).map(|s| s.as_u16()) {
        Some(401) => GitlabError::Unauthorized { server },
        Some(403) => GitlabError::Forbidden { server, action },
        Some(404) if context.project.is_some() => GitlabError::ProjectNotFound {
            project: context.project.unwrap_or_default().to_string(),
            server,
        },
        Some(429) => GitlabError::RateLimited {
            server,
            attempts: 1,
            waited: 0,
            action,
        },
        Some(status) if status >= 500 => GitlabError::Server {
            server,
            status,
            action,
        },
        Some(status) => GitlabError::Rejected {
            server,
            status,
            action,
            message: terminal_safe(&gitlab_message(err)),
        },
        None => GitlabError::Protocol {
            server,
            action,
            reason: terminal_safe(&err.to_string()),
        },
    }
}

/// The name of a gateway's status when a proxy or load balancer, not
/// GitLab, gave it: 502, 503 or 504 with a body that is not GitLab's JSON.
fn gateway(status: StatusCode, body: &[u8]) -> Option<&'static str> {
    let gateway_status = matches!(
        status,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
    );
    (gateway_status && (looks_like_html(body) || body.trim_ascii().is_empty()))
        .then(|| status.canonical_reason())
        .flatten()
}

fn looks_like_html(body: &[u8]) -> bool {
    let start: String = String::from_utf8_lossy(&body[..body.len().min(512)])
        .trim_start()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.contains("<body")
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
    fn html_is_recognised() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<HTML><BODY>sign in"));
        assert!(!looks_like_html(b"Retry later"));
    }

    #[test]
    fn gateways_and_broken_answers_are_told_apart() {
        let context = Context {
            server: "https://gitlab.example.com",
            action: "check the token",
            project: None,
            timeout_seconds: 30,
        };
        let service = |status: u16, body: &str| ApiError::<TransportError>::GitlabService {
            status: StatusCode::from_u16(status).unwrap(),
            data: body.as_bytes().to_vec(),
        };
        assert!(matches!(
            explain(&context, &service(504, "<html><body>504 Gateway Time-out")),
            GitlabError::Gateway {
                status: 504,
                reason: "Gateway Timeout",
                ..
            }
        ));
        assert!(matches!(
            explain(&context, &service(503, "")),
            GitlabError::Gateway { status: 503, .. }
        ));
        assert!(matches!(
            explain(&context, &service(500, "<html>oops")),
            GitlabError::NotTheApi { .. }
        ));
        assert!(matches!(
            explain(&context, &service(200, "{\"id\":1,\"userna")),
            GitlabError::BrokenAnswer { status: 200, .. }
        ));
        assert!(matches!(
            explain(&context, &service(502, "Retry later")),
            GitlabError::Server { status: 502, .. }
        ));
    }

    #[test]
    fn server_text_loses_escape_sequences() {
        let context = Context {
            server: "https://gitlab.example.com",
            action: "create the issue",
            project: None,
            timeout_seconds: 30,
        };
        let err = ApiError::<TransportError>::GitlabWithStatus {
            status: StatusCode::BAD_REQUEST,
            msg: "bad\u{1b}]0;owned\u{7}\u{1b}[2J title".to_string(),
        };
        let explained = explain(&context, &err).to_string();
        assert!(!explained.chars().any(char::is_control), "{explained:?}");
        assert!(explained.ends_with("(HTTP 400): bad title"), "{explained}");
    }
}
