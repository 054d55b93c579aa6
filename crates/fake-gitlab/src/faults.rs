//! Fault injection, in the order a request meets it: silent mode (never
//! answers), latency, then the "proxy" faults that answer before GitLab
//! does (redirects, an HTML sign-in page, a proxy echoing the token), queued
//! failures, random 502s, the request rate limit, the API itself, and
//! finally what can happen to a successful issue creation on its way back
//! (a gateway 504 while the issue lands later, a 502 or a dropped
//! connection after storing it), and to any answer on its way back (a body
//! that never ends, trickles in, or is cut short).

use super::rate_limit::{now_ms, too_many_requests, RateInfo, Window};
use super::server::{Delivery, Request, Response, Shared};
use super::state::State;
use super::types::{LostResponse, RecordedRequest, Redirect};
use super::{api, FakeGitlab};
use chrono::Utc;
use http::StatusCode;
use serde_json::json;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const HTML_502: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
const HTML_504: &str = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
const SIGN_IN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sign in · GitLab</title></head>\n<body>\n<main>\n<h1>GitLab</h1>\n<form action=\"/users/sign_in\" method=\"post\" id=\"new_user\">\n<label for=\"user_login\">Username or primary email</label>\n<input type=\"text\" name=\"user[login]\" id=\"user_login\">\n<label for=\"user_password\">Password</label>\n<input type=\"password\" name=\"user[password]\" id=\"user_password\">\n<button type=\"submit\">Sign in</button>\n</form>\n</main>\n</body>\n</html>\n";

/// The next issue creations a gateway gives up on.
#[derive(Clone, Copy, Default)]
pub(super) struct GatewayTimeouts {
    remaining: u32,
    answer_after: Duration,
    land_after: Duration,
}

/// Every fault setting; `Default` is "no faults".
#[derive(Default)]
pub(super) struct Faults {
    pub(super) latency: Duration,
    mangled: VecDeque<Mangle>,
    error_rate: f64,
    lost_create_rate: f64,
    lost_mode: LostResponse,
    lose_next_creates: u32,
    rate_limit: Option<(u32, Duration)>,
    pub(super) create_limit: Option<(u32, Duration)>,
    fail_queue: VecDeque<u16>,
    no_429_headers: bool,
    gateway: GatewayTimeouts,
    silent: bool,
    redirect: Option<Redirect>,
    echo_token: Option<u16>,
    html_answers: bool,
    link_failure: Option<u16>,
    /// Like a GitLab-compatible server without quick actions: a new
    /// issue's description is stored as sent, commands and all.
    pub(super) plain_creates: bool,
    after_create: Option<std::sync::Arc<dyn Fn() + Send + Sync>>,
    silent_after: Option<std::sync::Arc<SilentAfter>>,
}

/// Which answered request makes the fake go quiet (`FakeGitlab::go_silent_after`).
type SilentAfter = dyn Fn(&RecordedRequest) -> bool + Send + Sync;

/// What happens to the next answers on their way back, whatever they are.
#[derive(Clone, Copy)]
enum Mangle {
    /// The body goes on forever.
    Endless,
    /// The body arrives a byte at a time.
    Trickle(Duration),
    /// The body is cut in half, status and headers intact.
    Truncated,
}

/// What to answer, when, and how to record it.
struct Decision {
    /// `None`: drop the connection.
    resp: Option<Response>,
    not_before: Option<Instant>,
    processed: bool,
    lost: bool,
}

impl Decision {
    fn answer(resp: Response, processed: bool) -> Self {
        Decision {
            resp: Some(resp),
            not_before: None,
            processed,
            lost: false,
        }
    }
}

fn record_of(
    req: Request,
    status: u16,
    processed: bool,
    lost: bool,
    answered_at: Duration,
) -> RecordedRequest {
    RecordedRequest {
        seq: 0,
        connection: req.connection,
        method: req.method,
        path: req.path,
        raw_query: req.raw_query,
        query: req.query,
        headers: req.headers,
        body: String::from_utf8_lossy(&req.body).into_owned(),
        status,
        processed,
        lost,
        unanswered: false,
        received_at: req.received_at,
        answer_headers: Vec::new(),
        answered_at,
        arrived_at: req.arrived_at,
    }
}

/// Runs one request through the faults and the API; `None` drops the
/// connection. Records the request when its answer is decided.
pub(super) async fn respond(shared: &Shared, req: Request) -> Option<Response> {
    let (silent, latency) = {
        let st = shared.lock();
        (st.faults.silent, st.faults.latency)
    };
    if silent {
        let received_at = req.received_at;
        let mut rec = record_of(req, 0, false, false, received_at);
        rec.unanswered = true;
        shared.lock().record(rec);
        // Never answers; the runtime's shutdown drops this future.
        std::future::pending::<()>().await;
        return None;
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut decision = shared.lock().decide(&req);
    if let Some(resp) = decision.resp.as_mut() {
        if let Some(mangle) = shared.lock().faults.mangled.pop_front() {
            match mangle {
                Mangle::Endless => resp.delivery = Delivery::Endless,
                Mangle::Trickle(gap) => resp.delivery = Delivery::Trickle(gap),
                Mangle::Truncated => resp.body.truncate(resp.body.len() / 2),
            }
        }
    }
    if let Some(at) = decision.not_before {
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
    }
    let status = decision.resp.as_ref().map_or(0, |r| r.status);
    let answered_at = shared.started.elapsed();
    let mut rec = record_of(req, status, decision.processed, decision.lost, answered_at);
    if let Some(resp) = &decision.resp {
        rec.answer_headers.clone_from(&resp.headers);
    }
    let mut st = shared.lock();
    if st
        .faults
        .silent_after
        .as_ref()
        .is_some_and(|after| after(&rec))
    {
        st.faults.silent = true;
    }
    st.record(rec);
    drop(st);
    decision.resp
}

/// `<status> <reason>` as GitLab words its error messages.
pub(super) fn status_line(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown");
    format!("{status} {reason}")
}

/// An HTML error page as nginx in front of GitLab would send it.
pub(super) fn html_error(status: u16) -> Response {
    let body = match status {
        502 => HTML_502.to_string(),
        504 => HTML_504.to_string(),
        _ => format!("<html><body><h1>{}</h1></body></html>", status_line(status)),
    };
    Response::text(status, "text/html", &body)
}

fn redirect_response(r: &Redirect, req: &Request) -> Response {
    let mut target = format!("{}{}", r.location.trim_end_matches('/'), req.path);
    if !req.raw_query.is_empty() {
        target.push('?');
        target.push_str(&req.raw_query);
    }
    let body =
        format!("<html><body>You are being <a href=\"{target}\">redirected</a>.</body></html>");
    Response::text(r.status, "text/html; charset=utf-8", &body).header("Location", target)
}

impl State {
    /// True with probability `p`; draws only when 0 < p < 1.
    fn chance(&mut self, p: f64) -> bool {
        if p.is_nan() || p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.rng.f64() < p
        }
    }

    fn throttle_name(&self, req: &Request) -> &'static str {
        match req.token() {
            Some(t) if self.tokens.contains_key(&t) => "throttle_authenticated_api",
            _ => "throttle_unauthenticated_api",
        }
    }

    /// Counts the request in the current window of the request limit.
    fn rate_count(&mut self, req: &Request) -> Option<RateInfo> {
        let (limit, window) = self.faults.rate_limit?;
        let now = now_ms();
        let observed = self.window.hit(window, now);
        Some(RateInfo {
            name: self.throttle_name(req),
            limit,
            window,
            observed,
            now_ms: now,
        })
    }

    /// Headers for an injected 429: the live window when limiting is on.
    fn rate_snapshot(&self, req: &Request) -> Option<RateInfo> {
        let (limit, window) = self.faults.rate_limit?;
        let now = now_ms();
        Some(RateInfo {
            name: self.throttle_name(req),
            limit,
            window,
            observed: self.window.peek(window, now).max(u64::from(limit) + 1),
            now_ms: now,
        })
    }

    /// Counts an issue creation against the application limit; true when
    /// it is over the limit.
    pub(super) fn create_limited(&mut self, user_id: u64) -> bool {
        let Some((limit, window)) = self.faults.create_limit else {
            return false;
        };
        let window_state = self.create_windows.entry(user_id).or_default();
        window_state.hit(window, now_ms()) > u64::from(limit)
    }

    fn decide(&mut self, req: &Request) -> Decision {
        if let Some(r) = &self.faults.redirect {
            return Decision::answer(redirect_response(r, req), false);
        }
        if self.faults.html_answers {
            return Decision::answer(
                Response::text(200, "text/html; charset=utf-8", SIGN_IN_PAGE),
                false,
            );
        }
        if let Some(status) = self.faults.echo_token {
            if req.is_create_issue() {
                let token = req.token().unwrap_or_default();
                let message =
                    format!("upstream rejected request authenticated with PRIVATE-TOKEN {token}");
                return Decision::answer(
                    Response::json(status, &json!({ "message": message })),
                    false,
                );
            }
        }
        let links = req.method == "POST" && req.path.ends_with("/links");
        if let Some(status) = self.faults.link_failure.filter(|_| links) {
            return Decision::answer(html_error(status), false);
        }
        if let Some(status) = self.faults.fail_queue.pop_front() {
            let resp = match status {
                429 => {
                    let info = self.rate_snapshot(req);
                    too_many_requests(info.as_ref(), self.faults.no_429_headers)
                }
                500..=599 => html_error(status),
                _ => Response::json(status, &json!({ "message": status_line(status) })),
            };
            return Decision::answer(resp, false);
        }
        if self.chance(self.faults.error_rate) {
            return Decision::answer(html_error(502), false);
        }
        let rate = self.rate_count(req);
        if let Some(info) = &rate {
            if info.observed > u64::from(info.limit) {
                let resp = too_many_requests(Some(info), self.faults.no_429_headers);
                return Decision::answer(resp, false);
            }
        }
        let (mut resp, created) = api::handle(self, req);
        if let Some(info) = rate.as_ref().filter(|_| !self.faults.no_429_headers) {
            resp.headers.extend(info.headers(false));
        }
        let Some((pidx, iid)) = created else {
            return Decision::answer(resp, true);
        };
        if let Some(after) = &self.faults.after_create {
            after();
        }
        if self.faults.gateway.remaining > 0 {
            self.faults.gateway.remaining -= 1;
            let g = self.faults.gateway;
            let lands_at = req.arrived_at + g.land_after;
            let wait = lands_at.saturating_duration_since(self.now());
            let landed = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            if let Some(issue) = self.projects[pidx].issues.iter_mut().find(|i| i.iid == iid) {
                issue.lands_at = Some(lands_at);
                issue.created_at = landed;
                issue.updated_at = landed;
            }
            return Decision {
                resp: Some(html_error(504)),
                not_before: Some(req.arrived_at + g.answer_after),
                processed: true,
                lost: true,
            };
        }
        let lose = if self.faults.lose_next_creates > 0 {
            self.faults.lose_next_creates -= 1;
            true
        } else {
            self.chance(self.faults.lost_create_rate)
        };
        if !lose {
            return Decision::answer(resp, true);
        }
        let resp = match self.faults.lost_mode {
            LostResponse::BadGateway => Some(html_error(502)),
            LostResponse::Drop => None,
        };
        Decision {
            resp,
            not_before: None,
            processed: true,
            lost: true,
        }
    }
}

impl FakeGitlab {
    /// Runs `after` each time an issue is stored, before it is answered:
    /// for a test to change the client's world mid-run (fill its disk,
    /// say) without waiting for it.
    pub fn after_create(&self, after: impl Fn() + Send + Sync + 'static) {
        self.lock().faults.after_create = Some(std::sync::Arc::new(after));
    }

    /// Goes silent (see [`FakeGitlab::set_silent`]) once a request that
    /// `after` picks has been answered: for a test to cut a client off at a
    /// point of its run without polling for it.
    pub fn go_silent_after(
        &self,
        after: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) {
        self.lock().faults.silent_after = Some(std::sync::Arc::new(after));
    }

    /// Moves the fake's clock ahead: creates that land late (see
    /// [`FakeGitlab::gateway_timeout_creates`]) land that much sooner, so a
    /// test sees them land without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.lock().skipped += by;
    }

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

    /// A `Rack::Attack`-like fixed one-second window over all requests; over
    /// the limit answers 429 `Retry later`. 0 switches limiting off.
    pub fn set_rate_limit(&self, per_second: u32) {
        self.set_rate_limit_window(per_second, Duration::from_secs(1));
    }

    /// A fixed window of any length: `requests` per `window` (0 switches
    /// limiting off). `Retry-After` stays whole seconds, at least 1, as
    /// GitLab sends it.
    pub fn set_rate_limit_window(&self, requests: u32, window: Duration) {
        let mut st = self.lock();
        st.faults.rate_limit = (requests > 0).then_some((requests, window));
        st.window = Window::default();
    }

    /// GitLab's application limit on issue creation, per user: over
    /// `requests` per `window`, a create answers the header-less 429
    /// `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`.
    /// 0 switches it off.
    pub fn set_create_limit(&self, requests: u32, window: Duration) {
        let mut st = self.lock();
        st.faults.create_limit = (requests > 0).then_some((requests, window));
        st.create_windows.clear();
    }

    /// The next `n` requests answer `status` without being processed
    /// (queued after any earlier `fail_next`). 429 carries `Retry-After` and
    /// the `RateLimit` headers; 5xx an HTML body; others
    /// `{"message":"<code> <reason>"}`.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut st = self.lock();
        st.faults.fail_queue.extend(std::iter::repeat_n(status, n));
    }

    /// When true, the request limit looks like one of GitLab's application
    /// limits: no answer carries `RateLimit-*` headers, and a 429 has no
    /// `Retry-After` either and a JSON body
    /// `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`.
    pub fn set_429_without_headers(&self, without: bool) {
        self.lock().faults.no_429_headers = without;
    }

    /// For the next `n` issue creations that succeed, a gateway answers 504
    /// (nginx HTML) `answer_after` the request arrived, while the issue
    /// lands only `land_after` it arrived: invisible to list, search and get
    /// until then. Its iid is taken at arrival, so numbering stays monotonic.
    pub fn gateway_timeout_creates(&self, n: u32, answer_after: Duration, land_after: Duration) {
        self.lock().faults.gateway = GatewayTimeouts {
            remaining: n,
            answer_after,
            land_after,
        };
    }

    /// While true, connections are accepted and requests read (and
    /// recorded with `unanswered`), but never answered.
    pub fn set_silent(&self, silent: bool) {
        self.lock().faults.silent = silent;
    }

    /// The next `n` answers, whatever they are, never end: their body is
    /// followed by filler forever (chunked, no `Content-Length`).
    pub fn endless_next(&self, n: usize) {
        self.mangle_next(n, Mangle::Endless);
    }

    /// The next `n` answers arrive one byte at a time, `gap` apart.
    pub fn trickle_next(&self, n: usize, gap: Duration) {
        self.mangle_next(n, Mangle::Trickle(gap));
    }

    /// The next `n` answers lose the second half of their body on the way
    /// (status and headers intact), as a proxy cutting answers short would.
    pub fn truncate_next(&self, n: usize) {
        self.mangle_next(n, Mangle::Truncated);
    }

    fn mangle_next(&self, n: usize, mangle: Mangle) {
        let mut st = self.lock();
        st.faults.mangled.extend(std::iter::repeat_n(mangle, n));
    }

    /// Answers every request with this redirect (`Location` = location +
    /// the request's path and query), without processing it; `None` stops.
    pub fn set_redirect(&self, redirect: Option<Redirect>) {
        self.lock().faults.redirect = redirect;
    }

    /// A proxy that rejects issue creations with this status and a JSON
    /// message quoting the token it received; other requests are normal.
    pub fn set_echo_token(&self, status: Option<u16>) {
        self.lock().faults.echo_token = status;
    }

    /// A login proxy: every request answers 200 `text/html` with a sign-in page.
    pub fn set_html_answers(&self, html: bool) {
        self.lock().faults.html_answers = html;
    }

    /// Every issue-link creation answers `status` (an HTML error page)
    /// without being processed; `None` stops.
    pub fn fail_links(&self, status: Option<u16>) {
        self.lock().faults.link_failure = status;
    }

    /// Makes the server store a new issue's description as sent, its quick
    /// actions unrun (`true`), like a GitLab-compatible server without them.
    pub fn plain_creates(&self, on: bool) {
        self.lock().faults.plain_creates = on;
    }

    /// Sets the server's clock to `now`: what it stamps issues and notes
    /// with from here on (it goes on ticking from there, never backwards).
    pub fn set_clock(&self, now: chrono::DateTime<Utc>) {
        self.lock().clock_offset_ms = (now - Utc::now()).num_milliseconds();
    }

    /// Switches every fault off (latency, rates, limits, queued failures,
    /// silent mode, redirects, proxies).
    pub fn reset_faults(&self) {
        let mut st = self.lock();
        st.faults = Faults::default();
        st.window = Window::default();
        st.create_windows.clear();
    }
}
