//! Fixed-window rate limits. The request limit imitates `Rack::Attack`'s
//! throttles (`Gitlab::RackAttack.throttled_response_headers`): every
//! limited answer carries `RateLimit-Name/-Limit/-Observed/-Remaining/-Reset`,
//! a 429 adds `RateLimit-ResetTime` and `Retry-After` (whole seconds) and
//! answers `Retry later` as text/plain. GitLab's application limits (such as
//! the one on issue creation) answer 429 with a JSON body and no headers.

use super::params::http_date;
use super::server::Response;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;

/// The body of GitLab's application-limit 429.
pub(super) const APP_LIMIT_MESSAGE: &str =
    "This endpoint has been requested too many times. Try again later.";

/// One fixed window: which one (epoch ms / window ms) and its count.
#[derive(Default, Clone, Copy)]
pub(super) struct Window {
    index: u64,
    count: u64,
}

impl Window {
    /// Counts a request in the current window; returns the count so far.
    pub(super) fn hit(&mut self, window: Duration, now_ms: u64) -> u64 {
        let index = now_ms / window_ms(window);
        if self.index != index {
            *self = Window { index, count: 0 };
        }
        self.count += 1;
        self.count
    }

    /// The count of the current window without counting.
    pub(super) fn peek(&self, window: Duration, now_ms: u64) -> u64 {
        if self.index == now_ms / window_ms(window) {
            self.count
        } else {
            0
        }
    }
}

fn window_ms(window: Duration) -> u64 {
    u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// Milliseconds since the epoch.
pub(super) fn now_ms() -> u64 {
    u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

/// What the throttle saw for one request.
pub(super) struct RateInfo {
    pub(super) name: &'static str,
    pub(super) limit: u32,
    pub(super) window: Duration,
    pub(super) observed: u64,
    pub(super) now_ms: u64,
}

impl RateInfo {
    /// Whole seconds until the window resets (at least 1), like
    /// `period - (now % period)` with integer seconds.
    fn retry_after(&self) -> u64 {
        let w = window_ms(self.window);
        let reset_ms = (self.now_ms / w + 1) * w;
        (reset_ms - self.now_ms).div_ceil(1000).max(1)
    }

    /// The `RateLimit-*` headers (plus `Retry-After` and `RateLimit-ResetTime` on a 429).
    pub(super) fn headers(&self, throttled: bool) -> Vec<(String, String)> {
        let retry_after = self.retry_after();
        let reset = self.now_ms / 1000 + retry_after;
        // Rack::Attack normalises the limit to a minute: ceil(limit * 60 / period).
        let per_minute = (u64::from(self.limit) * 60_000).div_ceil(window_ms(self.window));
        let remaining = u64::from(self.limit).saturating_sub(self.observed);
        let mut h = vec![
            ("RateLimit-Name".to_string(), self.name.to_string()),
            ("RateLimit-Limit".to_string(), per_minute.to_string()),
            ("RateLimit-Observed".to_string(), self.observed.to_string()),
            ("RateLimit-Remaining".to_string(), remaining.to_string()),
            ("RateLimit-Reset".to_string(), reset.to_string()),
        ];
        if throttled {
            let at = i64::try_from(reset)
                .ok()
                .and_then(|secs| DateTime::from_timestamp(secs, 0))
                .unwrap_or_else(Utc::now);
            h.push(("RateLimit-ResetTime".to_string(), http_date(at)));
            h.push(("Retry-After".to_string(), retry_after.to_string()));
        }
        h
    }
}

/// GitLab's application-limit 429: JSON body, no rate-limit headers.
pub(super) fn application_limit() -> Response {
    Response::json(429, &json!({ "message": { "error": APP_LIMIT_MESSAGE } }))
}

/// A throttled answer: `Rack::Attack`'s `Retry later`, or the header-less
/// application limit when `without_headers`.
pub(super) fn too_many_requests(info: Option<&RateInfo>, without_headers: bool) -> Response {
    if without_headers {
        return application_limit();
    }
    let mut resp = Response::text(429, "text/plain", "Retry later");
    let synthetic;
    let info = if let Some(info) = info {
        info
    } else {
        synthetic = RateInfo {
            name: "throttle_authenticated_api",
            limit: 1,
            window: Duration::from_secs(1),
            observed: 2,
            now_ms: now_ms(),
        };
        &synthetic
    };
    resp.headers.extend(info.headers(true));
    resp
}
