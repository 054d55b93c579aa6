//! GitLab's rate limit as one budget shared by every worker.
//!
//! Every request waits for its turn; turns are spaced by what the limiter has
//! learned, from `RateLimit-*` headers or from the 429s themselves, and
//! waiting workers are let go one at a time, never all at once. After a 429
//! nobody sends until `Retry-After` (or, when GitLab sends no header, as for
//! its issue-creation limit, a backoff) has passed. Only when the whole run
//! has made no progress for `give_up_after` does a request give up.
//!
//! A bare 429 says only "too fast". The limiter keeps two things apart:
//! the *pace* (the spacing between sends), learned from how many requests
//! GitLab let through since the previous bare 429 and how long that took,
//! and the *backoff* (how long everyone waits after one), which grows while
//! 429s come with nothing let through in between and resets on the next
//! answer. A fixed window that is used up answers 429 until it resets; that
//! calls for waiting, not for a slower pace afterwards.
//!
//! Several workers' requests are often on the wire together when the limit
//! is reached, and all of them come back refused. Those refusals say one
//! thing, once: only a 429 to a request sent after the previous one counts,
//! so a herd of eight refusals is one lesson, not eight.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

/// The spacing first tried after a 429 that said nothing about the limit.
const FIRST_SPACING: Duration = Duration::from_millis(250);
/// The widest spacing, and the longest backoff, learned from bare 429s.
const WIDEST_SPACING: Duration = Duration::from_secs(10);
/// How much each answer that is not a 429 narrows the spacing again.
const NARROWING: f64 = 0.97;
/// How much the backoff grows for each bare 429 with nothing let through
/// since the previous one.
const WIDENING: f64 = 1.5;

/// Where the limiter reads the time and waits: the real clock in a run, one
/// that moves only when told in the unit tests, which then pin waits
/// exactly instead of sleeping through them.
pub(super) trait Clock: Send + Sync + std::fmt::Debug {
    /// The time now.
    fn now(&self) -> Instant;
    /// Blocks this thread for `wait`.
    fn sleep(&self, wait: Duration);
}

/// The real clock.
#[derive(Debug)]
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, wait: Duration) {
        std::thread::sleep(wait);
    }
}

/// The run made no progress for too long under 429s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stalled {
    /// How many 429s came since the last progress.
    pub refusals: u32,
    /// How long there was no progress.
    pub waited: Duration,
}

#[derive(Debug)]
struct Budget {
    /// The gap kept between two sends; zero while nothing says to keep one.
    spacing: Duration,
    /// When the last request was let go.
    last_sent: Option<Instant>,
    /// Nobody sends before this: the end of a `Retry-After`.
    held_until: Instant,
    /// The last answer that was not a 429.
    last_progress: Instant,
    /// 429s since then.
    refusals: u32,
    /// When the last bare 429 that counted came: refusals of requests sent
    /// earlier were sent without knowing it and add nothing.
    refused_at: Instant,
    /// Answers that were not a 429 since then.
    let_through: u32,
    /// How long everyone waits after a bare 429.
    backoff: Duration,
}

/// A request's turn: when it was let go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    sent: Instant,
}

/// The shared budget.
#[derive(Debug)]
pub(super) struct Limiter {
    budget: Mutex<Budget>,
    give_up_after: Duration,
    scale: f64,
    clock: Arc<dyn Clock>,
}

impl Limiter {
    /// A limiter that gives up after `give_up_after` without progress;
    /// `scale` multiplies every wait GitLab asks for (1 except in tests).
    pub(super) fn new(give_up_after: Duration, scale: f64) -> Self {
        Self::with_clock(give_up_after, scale, Arc::new(SystemClock))
    }

    /// [`Limiter::new`] on that clock.
    fn with_clock(give_up_after: Duration, scale: f64, clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        Self {
            budget: Mutex::new(Budget {
                spacing: Duration::ZERO,
                last_sent: None,
                held_until: now,
                last_progress: now,
                refusals: 0,
                refused_at: now,
                let_through: 0,
                backoff: Duration::ZERO,
            }),
            give_up_after,
            scale,
            clock,
        }
    }

    fn budget(&self) -> std::sync::MutexGuard<'_, Budget> {
        self.budget
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for this request's turn: one spacing after the last send and
    /// not before a hold ends. Turns are not reserved ahead, so a 429 or a
    /// wider spacing that comes while workers wait applies to all of them at
    /// once, and they still go one at a time.
    pub(super) fn acquire(&self) -> Result<Slot, Stalled> {
        loop {
            let wait = {
                let mut budget = self.budget();
                let now = self.clock.now();
                let waited = now.saturating_duration_since(budget.last_progress);
                if budget.refusals > 0 && waited > self.give_up_after {
                    return Err(Stalled {
                        refusals: budget.refusals,
                        waited,
                    });
                }
                let spaced = budget.last_sent.map_or(now, |last| last + budget.spacing);
                let turn = spaced.max(budget.held_until);
                if turn <= now {
                    budget.last_sent = Some(now);
                    return Ok(Slot { sent: now });
                }
                turn - now
            };
            self.clock.sleep(wait);
        }
    }

    /// An answer that was not a 429: progress, and what the headers say.
    pub(super) fn answered(&self, headers: &HeaderMap) {
        let mut budget = self.budget();
        let now = self.clock.now();
        budget.last_progress = now;
        budget.refusals = 0;
        budget.let_through = budget.let_through.saturating_add(1);
        budget.backoff = Duration::ZERO;
        budget.spacing = budget.spacing.mul_f64(NARROWING);
        if budget.spacing < Duration::from_millis(1) {
            budget.spacing = Duration::ZERO;
        }
        // The last request of the window: nobody sends until it resets.
        if header_number(headers, "RateLimit-Remaining") == Some(0) {
            if let Some(reset) = until_reset(headers) {
                budget.held_until = budget.held_until.max(now + self.scaled(reset));
            }
        }
    }

    /// A 429 to the request sent in `slot`: everyone waits, and the pace
    /// follows what GitLab allows.
    pub(super) fn refused(&self, slot: Slot, headers: &HeaderMap) {
        let mut budget = self.budget();
        let now = self.clock.now();
        budget.refusals += 1;
        if let Some(limit) = header_number(headers, "RateLimit-Limit").filter(|l| *l > 0) {
            // GitLab states the limit per minute.
            let per_minute = Duration::from_mins(1) / u32::try_from(limit).unwrap_or(u32::MAX);
            budget.spacing = budget.spacing.max(self.scaled(per_minute));
        }
        let wait = if let Some(wait) = retry_after(headers).or_else(|| until_reset(headers)) {
            self.scaled(wait)
        } else {
            if slot.sent >= budget.refused_at {
                self.learn_from_bare_refusal(&mut budget, now);
            }
            budget.backoff
        };
        budget.held_until = budget.held_until.max(now + wait);
    }

    /// A bare 429 to a request sent after the previous one: the pace becomes
    /// what GitLab let through since then, and the backoff grows if it let
    /// nothing through.
    fn learn_from_bare_refusal(&self, budget: &mut Budget, now: Instant) {
        let widest = self.scaled(WIDEST_SPACING);
        if budget.spacing.is_zero() {
            budget.spacing = self.scaled(FIRST_SPACING);
        } else if budget.let_through > 0 {
            let pace = now.saturating_duration_since(budget.refused_at) / budget.let_through;
            budget.spacing = budget.spacing.max(pace).min(widest);
        }
        budget.backoff = if budget.let_through == 0 && !budget.backoff.is_zero() {
            budget.backoff.mul_f64(WIDENING).min(widest)
        } else {
            budget.spacing
        };
        budget.refused_at = now;
        budget.let_through = 0;
    }

    fn scaled(&self, wait: Duration) -> Duration {
        wait.mul_f64(self.scale)
    }
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// How long until `RateLimit-Reset` (a Unix time), at least a second.
fn until_reset(headers: &HeaderMap) -> Option<Duration> {
    let reset = header_number(headers, "RateLimit-Reset")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(now).max(1)))
}

/// `Retry-After` as seconds or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Condvar;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    /// A clock that moves only when told. On its own, a sleep moves it
    /// forward by the wait; [`TestClock::held`] makes sleepers wait instead
    /// until [`TestClock::advance`] moves it past their wake-up time, for
    /// tests where another thread acts while one waits.
    #[derive(Debug)]
    struct TestClock {
        start: Instant,
        holds_sleepers: bool,
        /// The time since `start`, and how many sleeps have begun.
        time: Mutex<(Duration, usize)>,
        moved: Condvar,
    }

    impl TestClock {
        fn new() -> Arc<Self> {
            Arc::new(Self::with(false))
        }

        fn held() -> Arc<Self> {
            Arc::new(Self::with(true))
        }

        fn with(holds_sleepers: bool) -> Self {
            Self {
                start: Instant::now(),
                holds_sleepers,
                time: Mutex::new((Duration::ZERO, 0)),
                moved: Condvar::new(),
            }
        }

        fn advance(&self, by: Duration) {
            self.time.lock().unwrap().0 += by;
            self.moved.notify_all();
        }

        /// Blocks until `n` sleeps have begun.
        fn wait_for_sleeps(&self, n: usize) {
            let time = self.time.lock().unwrap();
            drop(
                self.moved
                    .wait_while(time, |(_, sleeps)| *sleeps < n)
                    .unwrap(),
            );
        }

        fn limiter(self: &Arc<Self>, give_up_after: Duration, scale: f64) -> Limiter {
            Limiter::with_clock(give_up_after, scale, Arc::clone(self) as Arc<dyn Clock>)
        }
    }

    impl Clock for TestClock {
        fn now(&self) -> Instant {
            self.start + self.time.lock().unwrap().0
        }

        fn sleep(&self, wait: Duration) {
            let mut time = self.time.lock().unwrap();
            time.1 += 1;
            if !self.holds_sleepers {
                time.0 += wait;
                return;
            }
            let until = time.0 + wait;
            self.moved.notify_all();
            drop(
                self.moved
                    .wait_while(time, |(now, _)| *now < until)
                    .unwrap(),
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("Retry-After", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(&[(
                "Retry-After",
                "Wed, 21 Oct 2015 07:28:00 GMT"
            )])),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn after_a_429_nobody_sends_until_retry_after_and_then_one_at_a_time() {
        let clock = TestClock::new();
        let limiter = clock.limiter(Duration::from_mins(1), 0.01);
        let slot = limiter.acquire().unwrap();
        limiter.refused(
            slot,
            &headers(&[("Retry-After", "20"), ("RateLimit-Limit", "6")]),
        );
        let started = clock.now();
        limiter.acquire().unwrap();
        assert_eq!(
            clock.now() - started,
            Duration::from_secs(20).mul_f64(0.01),
            "waited out 20 s × 0.01"
        );
        let first = clock.now();
        limiter.acquire().unwrap();
        assert_eq!(
            clock.now() - first,
            Duration::from_secs(10).mul_f64(0.01),
            "the next one is spaced by 60 s / 6 × 0.01"
        );
    }

    #[test]
    fn bare_429s_with_nothing_let_through_back_off_longer_without_slowing_the_pace() {
        let limiter = TestClock::new().limiter(Duration::from_mins(1), 0.01);
        let slot = limiter.acquire().unwrap();
        limiter.refused(slot, &HeaderMap::new());
        let first = FIRST_SPACING.mul_f64(0.01);
        assert_eq!(limiter.budget().spacing, first);
        assert_eq!(limiter.budget().backoff, first);
        let slot = limiter.acquire().unwrap();
        limiter.refused(slot, &HeaderMap::new());
        assert_eq!(limiter.budget().spacing, first, "the pace stays");
        assert_eq!(limiter.budget().backoff, first.mul_f64(WIDENING));
        limiter.answered(&HeaderMap::new());
        assert!(
            limiter.budget().spacing < first,
            "an answer narrows the pace"
        );
        assert_eq!(limiter.budget().backoff, Duration::ZERO);
        assert_eq!(limiter.budget().refusals, 0);
    }

    #[test]
    fn a_bare_429_sets_the_pace_to_what_gitlab_let_through_since_the_last_one() {
        let clock = TestClock::new();
        let limiter = clock.limiter(Duration::from_mins(1), 1.0);
        let slot = limiter.acquire().unwrap();
        limiter.refused(slot, &HeaderMap::new());
        for _ in 0..4 {
            limiter.answered(&HeaderMap::new());
        }
        // Four let through in the two seconds since that 429.
        clock.advance(Duration::from_secs(2));
        let slot = limiter.acquire().unwrap();
        limiter.refused(slot, &HeaderMap::new());
        let spacing = limiter.budget().spacing;
        assert_eq!(spacing, Duration::from_millis(500));
        assert_eq!(limiter.budget().backoff, spacing);
    }

    #[test]
    fn a_herd_of_refusals_to_requests_sent_together_is_one_lesson() {
        let clock = TestClock::new();
        let limiter = clock.limiter(Duration::from_mins(1), 1.0);
        let herd: Vec<Slot> = (0..8).map(|_| limiter.acquire().unwrap()).collect();
        // The answers come back after the requests went out.
        clock.advance(Duration::from_millis(10));
        for slot in herd {
            limiter.refused(slot, &HeaderMap::new());
        }
        assert_eq!(limiter.budget().spacing, FIRST_SPACING);
        assert_eq!(
            limiter.budget().backoff,
            FIRST_SPACING,
            "not widened 7 times"
        );
        assert_eq!(limiter.budget().refusals, 8, "each refusal still counts");
    }

    #[test]
    fn the_last_remaining_request_holds_everyone_until_the_reset() {
        let clock = TestClock::new();
        let limiter = clock.limiter(Duration::from_mins(1), 1.0);
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 30;
        limiter.answered(&headers(&[
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", &reset.to_string()),
        ]));
        assert!(limiter.budget().held_until > clock.now() + Duration::from_secs(25));
    }

    #[test]
    fn a_429_that_arrives_while_a_request_waits_for_its_slot_holds_it_back() {
        let clock = TestClock::held();
        let limiter = Arc::new(clock.limiter(Duration::from_mins(1), 1.0));
        limiter.budget().spacing = Duration::from_millis(100);
        let first = limiter.acquire().unwrap();
        let waiting = Arc::clone(&limiter);
        let started = clock.now();
        let second = std::thread::spawn(move || waiting.acquire());
        // The second request waits for its turn, 100 ms after the first;
        // then the first one's 429 comes, with a hold of 300 ms.
        clock.wait_for_sleeps(1);
        limiter.refused(first, &headers(&[("Retry-After", "0")]));
        limiter.budget().held_until = clock.now() + Duration::from_millis(300);
        clock.advance(Duration::from_millis(100));
        clock.wait_for_sleeps(2);
        clock.advance(Duration::from_millis(200));
        let slot = second.join().unwrap().unwrap();
        assert_eq!(slot.sent - started, Duration::from_millis(300));
    }

    #[test]
    fn only_a_run_without_progress_gives_up() {
        let clock = TestClock::new();
        let limiter = clock.limiter(Duration::from_millis(20), 1.0);
        let slot = limiter.acquire().unwrap();
        limiter.refused(slot, &headers(&[("Retry-After", "0")]));
        clock.advance(Duration::from_millis(30));
        let stalled = limiter.acquire().unwrap_err();
        assert_eq!(stalled.refusals, 1);
        assert_eq!(stalled.waited, Duration::from_millis(30));
        limiter.answered(&HeaderMap::new());
        assert!(limiter.acquire().is_ok(), "progress resets the clock");
    }
}
