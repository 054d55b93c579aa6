//! The HTTP transport under the `gitlab` crate's endpoints: timeouts, retries
//! of what is safe to repeat, one shared view of the rate limit, and no
//! redirects, so the token only ever goes to the configured origin.

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use gitlab::api::{self, ApiError};
use http::{HeaderMap, Method, StatusCode};
use url::Url;

use super::error::{describe_reqwest, is_tls_failure, GitlabError, TransportError};
use super::server::{Server, Token};

/// How long to wait and how hard to try. Every deliberate wait (backoff,
/// `Retry-After`) is multiplied by `scale`, which is 1 except in tests, so no
/// test sleeps through real time; timeouts are not scaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// How long one request may take.
    pub timeout: Duration,
    /// How long opening a connection may take.
    pub connect_timeout: Duration,
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
    /// The factor every wait is multiplied by.
    pub scale: f64,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retries: 4,
            backoff: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            rate_limited_attempts: 8,
            rate_limited_wait: Duration::from_mins(2),
            scale: 1.0,
        }
    }
}

impl Timing {
    /// A wait as it is really slept.
    pub fn scaled(&self, wait: Duration) -> Duration {
        wait.mul_f64(self.scale.clamp(0.0, 1.0))
    }

    /// Exponential backoff with jitter: between half and all of `base * 2^(attempt-1)`, capped.
    fn delay(&self, base: Duration, attempt: u32) -> Duration {
        let exponential = base.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        exponential
            .min(self.backoff_cap)
            .mul_f64(0.5 + 0.5 * fastrand::f64())
    }
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
            let until = *self
                .not_before
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match until {
                Some(t) if t > Instant::now() => thread::sleep(t - Instant::now()),
                _ => return,
            }
        }
    }

    /// Holds every sender back for `delay`.
    fn hold(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut not_before = self
            .not_before
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if not_before.is_none_or(|t| t < until) {
            *not_before = Some(until);
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

/// The HTTP client under the `gitlab` crate's endpoints.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::blocking::Client,
    server: Server,
    api: Url,
    token: Token,
    gate: RateGate,
    timing: Timing,
}

impl Transport {
    /// A client for one GitLab, with its own timeouts and no redirects.
    pub fn new(server: &Server, token: Token, timing: &Timing) -> Result<Self, GitlabError> {
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
            gate: RateGate::default(),
            timing: timing.clone(),
        })
    }

    /// The timing this transport waits by.
    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    fn sleep(&self, wait: Duration) {
        thread::sleep(self.timing.scaled(wait));
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
        // Reads may be repeated freely; a write whose answer was lost may not.
        let repeatable = parts.method == Method::GET || parts.method == Method::HEAD;
        let mut failures = 0;
        let mut limited = 0;
        let mut waited = Duration::ZERO;
        loop {
            self.gate.wait();
            let mut outgoing = self
                .http
                .request(parts.method.clone(), url.clone())
                .header("PRIVATE-TOKEN", self.token.secret())
                .body(body.clone());
            for (name, value) in &parts.headers {
                outgoing = outgoing.header(name, value);
            }
            let answer = outgoing.send().and_then(|rsp| {
                let status = rsp.status();
                let headers = rsp.headers().clone();
                rsp.bytes().map(|bytes| (status, headers, bytes))
            });
            match answer {
                Ok((status, headers, _)) if status.is_redirection() => {
                    let location = headers
                        .get(http::header::LOCATION)
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("an address it did not give")
                        .to_string();
                    return Err(fail(TransportError::Redirected(location)));
                }
                Ok((status, headers, _)) if status == StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    let delay = retry_after(&headers)
                        .or_else(|| until_reset(&headers))
                        .unwrap_or_else(|| self.timing.delay(Duration::from_secs(1), limited));
                    if limited >= self.timing.rate_limited_attempts
                        || waited + delay > self.timing.rate_limited_wait
                    {
                        return Err(fail(TransportError::RateLimited {
                            attempts: limited,
                            waited: waited.as_secs(),
                        }));
                    }
                    waited += delay;
                    self.gate.hold(self.timing.scaled(delay));
                }
                Ok((status, _, _))
                    if status.is_server_error() && repeatable && failures < self.timing.retries =>
                {
                    failures += 1;
                    self.sleep(self.timing.delay(self.timing.backoff, failures));
                }
                Ok((status, headers, bytes)) => {
                    if header_number(&headers, "RateLimit-Remaining") == Some(0) {
                        if let Some(delay) = until_reset(&headers) {
                            self.gate
                                .hold(self.timing.scaled(delay.min(Duration::from_mins(1))));
                        }
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
                        && failures < self.timing.retries
                    {
                        failures += 1;
                        self.sleep(self.timing.delay(self.timing.backoff, failures));
                        continue;
                    }
                    return Err(fail(TransportError::Send(err)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let timing = Timing::default();
        for attempt in 1..10 {
            let full = Duration::from_millis(250)
                .saturating_mul(1 << (attempt - 1))
                .min(timing.backoff_cap);
            let delay = timing.delay(timing.backoff, attempt);
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
    fn the_gate_holds_everyone_back() {
        let gate = RateGate::default();
        gate.hold(Duration::from_millis(30));
        gate.hold(Duration::from_millis(1));
        let started = Instant::now();
        gate.wait();
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
