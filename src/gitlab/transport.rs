//! The HTTP transport under the `gitlab` crate's endpoints: timeouts, a
//! notice when GitLab goes quiet, retries of what is safe to repeat, one
//! shared rate-limit budget, bounded answers and listings, and no
//! redirects, so the token only ever goes to the configured origin.

use std::cell::Cell;
use std::io::Read;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use gitlab::api::{self, ApiError};
use http::{Method, StatusCode};
use url::Url;

use super::error::{describe_reqwest, is_tls_failure, GitlabError, TransportError};
use super::limiter::Limiter;
use super::server::{Server, Token};
use crate::output::say;

/// How long to wait, how hard to try and how much to take. Deliberate
/// waits (backoff, `Retry-After`, the quiet notice, giving up) are
/// multiplied by `scale`, which is 1 except in tests, so no test sleeps
/// through real time; the request and connect timeouts are not scaled, so a
/// test on a busy machine never times out a request that is merely slow.
/// Messages name the unscaled figures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timing {
    /// How long one request may take.
    pub timeout: Duration,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
    /// How long GitLab may be silent before `onboard` says it is still waiting.
    pub quiet_notice: Duration,
    /// Extra attempts after a 5xx or network failure that is safe to repeat.
    pub retries: u32,
    /// The first backoff; it doubles each time.
    pub backoff: Duration,
    /// The longest single backoff.
    pub backoff_cap: Duration,
    /// How long the whole run may go without progress under 429s.
    pub give_up_after: Duration,
    /// The factor deliberate waits are multiplied by.
    pub scale: f64,
    /// The largest answer read, in bytes: a server (or something posing as
    /// one) sending more is stopped there, so memory stays bounded.
    pub max_answer_bytes: u64,
    /// The most pages one listing may take: the `gitlab` crate stops only at
    /// a short page, so a server sending full pages forever is stopped here.
    pub max_pages: u32,
}

/// The default largest answer: 16 MiB, far above anything GitLab sends
/// (an issue's description is at most 1 MiB, a page holds 100 issues).
pub(super) const DEFAULT_MAX_ANSWER_MIB: u64 = 16;
/// The default most pages of one listing: 100,000 issues.
pub(super) const DEFAULT_MAX_PAGES: u32 = 1000;

impl Default for Timing {
    fn default() -> Self {
        Self {
            timeout: Duration::from_mins(1),
            connect_timeout: Duration::from_secs(5),
            quiet_notice: Duration::from_secs(10),
            retries: 4,
            backoff: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            give_up_after: Duration::from_mins(2),
            scale: 1.0,
            max_answer_bytes: DEFAULT_MAX_ANSWER_MIB * 1024 * 1024,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl Timing {
    /// A wait as it is really slept.
    pub(crate) fn scaled(&self, wait: Duration) -> Duration {
        wait.mul_f64(self.scale.clamp(0.0, 1.0))
    }

    /// Exponential backoff with jitter: between half and all of `backoff * 2^(attempt-1)`, capped.
    fn delay(&self, attempt: u32) -> Duration {
        let exponential = self
            .backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let jittered = exponential
            .min(self.backoff_cap)
            .mul_f64(0.5 + 0.5 * fastrand::f64());
        self.scaled(jittered)
    }
}

/// Says once per quiet spell that GitLab has not answered yet. The silence
/// counts from the last byte received, so an answer that is slowly
/// arriving is not taken for silence.
#[derive(Debug, Default)]
struct QuietNotice {
    last: Mutex<Option<Instant>>,
}

impl QuietNotice {
    /// Starts watching one request: each `()` sent on the returned sender
    /// says bytes arrived; the watch ends when the sender is dropped.
    fn watch(&'static self, server: &Server, timing: &Timing) -> mpsc::Sender<()> {
        let (done, finished) = mpsc::channel::<()>();
        let after = timing.scaled(timing.quiet_notice);
        let message = format!(
            "GitLab at {server} has not answered for {} s; still waiting (giving up after {} s)",
            timing.quiet_notice.as_secs(),
            timing.timeout.as_secs()
        );
        thread::spawn(move || {
            loop {
                match finished.recv_timeout(after) {
                    // Bytes arrived: the silence starts again.
                    Ok(()) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                }
            }
            let mut last = self
                .last
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.is_none_or(|t| t.elapsed() > after) {
                *last = Some(Instant::now());
                say(&message);
            }
        });
        done
    }
}

/// The HTTP client under the `gitlab` crate's endpoints.
#[derive(Debug)]
pub(super) struct Transport {
    http: reqwest::blocking::Client,
    server: Server,
    api: Url,
    token: Token,
    limiter: Limiter,
    timing: Timing,
    quiet: &'static QuietNotice,
}

impl Transport {
    /// A client for one GitLab, with its own timeouts and no redirects.
    pub(super) fn new(server: &Server, token: Token, timing: &Timing) -> Result<Self, GitlabError> {
        let mut builder = reqwest::blocking::Client::builder()
            .user_agent(concat!("onboard/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timing.timeout)
            .connect_timeout(timing.connect_timeout.min(timing.timeout));
        if server.is_loopback() {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| GitlabError::Protocol {
            server: server.to_string(),
            action: "start an HTTP client".to_string(),
            reason: describe_reqwest(&e),
        })?;
        Ok(Self {
            http,
            server: server.clone(),
            api: server.api(),
            token,
            limiter: Limiter::new(timing.scaled(timing.give_up_after), timing.scale),
            timing: timing.clone(),
            // One notice state for the life of the process, shared by every request.
            quiet: Box::leak(Box::default()),
        })
    }

    /// The timing this transport waits by.
    pub(super) fn timing(&self) -> &Timing {
        &self.timing
    }

    /// A client for the pages of one listing: `api::paged(..).query(&transport.listing())`.
    pub(super) fn listing(&self) -> Listing<'_> {
        Listing {
            transport: self,
            received: Cell::new(0),
            ended: Cell::new(false),
        }
    }

    /// Sends one request and reads at most `limit` bytes of its answer;
    /// past it, the error names `bound`, the limit the person can set.
    fn exchange(
        &self,
        request: http::request::Builder,
        body: Vec<u8>,
        (limit, bound): (u64, u64),
    ) -> Result<http::Response<Bytes>, ApiError<TransportError>> {
        let fail = |e: TransportError| ApiError::client(e);
        let request = request
            .body(body)
            .map_err(|e| fail(TransportError::Build(e.to_string())))?;
        let (parts, body) = request.into_parts();
        let url = Url::parse(&parts.uri.to_string())
            .map_err(|e| fail(TransportError::Build(e.to_string())))?;
        if !self.server.same_origin(&url) {
            return Err(fail(TransportError::Redirected(url.to_string())));
        }
        // Named in messages by method and path: the query may say anything.
        let request = format!("{} {}", parts.method, url.path());
        let page = url
            .query_pairs()
            .find(|(name, _)| name == "page")
            .and_then(|(_, number)| number.parse::<u64>().ok());
        if page.is_some_and(|page| page > u64::from(self.timing.max_pages)) {
            return Err(fail(TransportError::TooManyPages {
                request,
                pages: self.timing.max_pages,
            }));
        }
        // Reads may be repeated freely; a write whose answer was lost may not.
        let repeatable = parts.method == Method::GET || parts.method == Method::HEAD;
        let mut failures = 0;
        loop {
            let slot = self.limiter.acquire().map_err(|stalled| {
                fail(TransportError::RateLimited {
                    attempts: stalled.refusals,
                    waited: stalled.waited.as_secs(),
                })
            })?;
            let mut outgoing = self
                .http
                .request(parts.method.clone(), url.clone())
                .header("PRIVATE-TOKEN", self.token.secret())
                .body(body.clone());
            for (name, value) in &parts.headers {
                outgoing = outgoing.header(name, value);
            }
            let watch = self.quiet.watch(&self.server, &self.timing);
            let answer = outgoing
                .send()
                .map_err(TransportError::Send)
                .and_then(|rsp| {
                    let status = rsp.status();
                    let headers = rsp.headers().clone();
                    Self::receive(rsp, &request, (limit, bound), &watch)
                        .map(|bytes| (status, headers, bytes))
                });
            drop(watch);
            match answer {
                Ok((status, headers, _)) if status.is_redirection() => {
                    self.limiter.answered(&headers);
                    let location = headers
                        .get(http::header::LOCATION)
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("an address it did not give")
                        .to_string();
                    return Err(fail(TransportError::Redirected(location)));
                }
                Ok((status, headers, _)) if status == StatusCode::TOO_MANY_REQUESTS => {
                    self.limiter.refused(slot, &headers);
                }
                Ok((status, headers, _))
                    if status.is_server_error() && repeatable && failures < self.timing.retries =>
                {
                    self.limiter.answered(&headers);
                    failures += 1;
                    thread::sleep(self.timing.delay(failures));
                }
                Ok((status, headers, bytes)) => {
                    self.limiter.answered(&headers);
                    let mut response = http::Response::builder().status(status);
                    if let Some(map) = response.headers_mut() {
                        *map = headers;
                    }
                    return response
                        .body(bytes)
                        .map_err(|e| fail(TransportError::Build(e.to_string())));
                }
                Err(TransportError::Send(err)) => {
                    // A connection that never opened carried nothing, so even a
                    // write may be sent again. A timeout has waited long enough.
                    let unsent = err.is_connect() && !is_tls_failure(&err) && !err.is_timeout();
                    let retry_read = repeatable && !is_tls_failure(&err) && !err.is_timeout();
                    if (unsent || retry_read) && failures < self.timing.retries {
                        failures += 1;
                        thread::sleep(self.timing.delay(failures));
                        continue;
                    }
                    return Err(fail(TransportError::Send(err)));
                }
                Err(other) => return Err(fail(other)),
            }
        }
    }

    /// Reads the body of an answer to `request`, saying on `progress`
    /// whenever bytes arrive, and stopping after `limit` bytes rather than
    /// holding whatever a server sends.
    fn receive(
        mut answer: reqwest::blocking::Response,
        request: &str,
        (limit, bound): (u64, u64),
        progress: &mpsc::Sender<()>,
    ) -> Result<Bytes, TransportError> {
        let too_large = || TransportError::TooLarge {
            request: request.to_string(),
            limit: bound,
        };
        let announced = answer.content_length();
        if announced.is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let _ = progress.send(());
        let mut body = Vec::with_capacity(announced.map_or(0, |n| usize::try_from(n).unwrap_or(0)));
        let mut chunk = vec![0; 64 * 1024];
        loop {
            let read = match answer.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(cut_off(e)),
            };
            if (body.len() + read) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk[..read]);
            let _ = progress.send(());
        }
        Ok(Bytes::from(body))
    }
}

/// A body that stopped arriving, as the network error it wraps when it is
/// one (a timeout, a reset), so it is judged like any other.
fn cut_off(err: std::io::Error) -> TransportError {
    let reason = err.to_string();
    match err
        .into_inner()
        .map(<dyn std::error::Error + Send + Sync>::downcast)
    {
        Some(Ok(network)) => TransportError::Send(*network),
        _ => TransportError::CutOff(reason),
    }
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
        let limit = self.timing.max_answer_bytes;
        self.exchange(request, body, (limit, limit))
    }
}

/// How many answers' worth the pages of one listing may hold together: a
/// batch lists every issue `onboard` filed in a project (about 1,000
/// onboarding issues fit in the default 64 MiB), and memory stays bounded
/// whatever a server sends.
const LISTING_ANSWERS: u64 = 4;

/// The pages of one listing, as the `gitlab` crate asks for them: each goes
/// through the transport, and together they may hold no more than one
/// answer may, since the crate keeps every page until the last.
#[derive(Debug)]
pub(super) struct Listing<'t> {
    transport: &'t Transport,
    received: Cell<u64>,
    /// GitLab said the last page has been sent (`X-Next-Page` empty).
    ended: Cell<bool>,
}

impl api::RestClient for Listing<'_> {
    type Error = TransportError;

    fn rest_endpoint(&self, endpoint: &str) -> Result<Url, ApiError<Self::Error>> {
        self.transport.rest_endpoint(endpoint)
    }
}

impl api::Client for Listing<'_> {
    fn rest(
        &self,
        request: http::request::Builder,
        body: Vec<u8>,
    ) -> Result<http::Response<Bytes>, ApiError<Self::Error>> {
        let bound = self.transport.timing.max_answer_bytes * LISTING_ANSWERS;
        let left = bound.saturating_sub(self.received.get());
        // The crate stops only at a page shorter than it asked for, so a
        // listing of exactly 100 issues would cost an empty second page:
        // when GitLab has said there is no next page, that page is empty
        // without asking.
        if self.ended.get() {
            return http::Response::builder()
                .status(StatusCode::OK)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(Bytes::from_static(b"[]"))
                .map_err(|e| ApiError::client(TransportError::Build(e.to_string())));
        }
        let page = self.transport.exchange(request, body, (left, bound))?;
        self.received
            .set(self.received.get() + page.body().len() as u64);
        let last = page
            .headers()
            .get("x-next-page")
            .is_some_and(|next| next.as_bytes().iter().all(u8::is_ascii_whitespace));
        self.ended.set(last);
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let timing = Timing::default();
        for attempt in 1..10 {
            let full = Duration::from_millis(250)
                .saturating_mul(1 << (attempt - 1))
                .min(timing.backoff_cap);
            let delay = timing.delay(attempt);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?}"
            );
        }
    }

    #[test]
    fn waits_are_scaled() {
        let timing = Timing {
            scale: 0.01,
            ..Timing::default()
        };
        assert_eq!(
            timing.scaled(Duration::from_secs(2)),
            Duration::from_millis(20)
        );
    }

    #[test]
    fn a_silent_server_is_noticed_within_15_s_and_given_up_within_65_s() {
        let timing = Timing::default();
        assert!(timing.quiet_notice <= Duration::from_secs(15));
        assert!(timing.connect_timeout <= Duration::from_secs(5));
        assert!(
            timing.timeout <= Duration::from_mins(1),
            "one try, no retry after a timeout"
        );
    }
}
