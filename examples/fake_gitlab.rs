//! Runs the fake GitLab used by the integration tests as a standalone server,
//! for benchmark scripts (`bench/run.sh`).
//!
//! ```text
//! cargo run --example fake_gitlab -- [--port P] [--latency-ms N] [--error-rate F]
//!     [--lost-create-rate F] [--lost-mode 502|drop] [--rate-limit N]
//!     [--rate-window-ms MS] [--429-without-headers] [--preload-issues N] [--seed N]
//!     [--log-requests]
//! ```
//!
//! Prints `http://127.0.0.1:PORT` as the first line of stdout, then serves
//! the default fixtures (token `glpat-good`, read-only token
//! `glpat-readonly`, project 7 `gitlab-com/team-member-epics/access-requests`,
//! project 8 `gitlab-com/people-group/onboarding`, users `root`,
//! `mgr.jones`, ...) until killed.

use clap::{Parser, ValueEnum};
use fake_gitlab::{
    FakeGitlab, LostResponse, NewIssue, DEFAULT_PROJECT, DEFAULT_TOKEN, READONLY_TOKEN,
};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// How a lost issue creation loses its answer.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum LostMode {
    /// Store the issue, then answer 502 with an HTML body.
    #[value(name = "502", alias = "bad-gateway")]
    BadGateway,
    /// Store the issue, then close the connection without an answer.
    Drop,
}

/// A fake GitLab REST API v4 server with injectable faults.
#[derive(Parser, Debug)]
#[command(name = "fake_gitlab")]
struct Options {
    /// Port to bind on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fraction of requests answered 502 without processing.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    error_rate: f64,
    /// Fraction of successful issue creations whose answer is lost.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    lost_create_rate: f64,
    /// How a lost answer is lost.
    #[arg(long, value_enum, default_value = "502")]
    lost_mode: LostMode,
    /// Requests allowed per window (0: no limit).
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Length of the rate-limit window, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    rate_window_ms: u64,
    /// Answer 429s like GitLab's application limits: no `RateLimit` headers.
    #[arg(long = "429-without-headers")]
    no_429_headers: bool,
    /// Issues to preload into the access-requests project.
    #[arg(long, default_value_t = 0)]
    preload_issues: u64,
    /// Seed of the fault PRNG.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print one line per request on stderr: milliseconds since the start,
    /// method, path and status.
    #[arg(long)]
    log_requests: bool,
}

fn parse_rate(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| format!("expected a number in 0..=1, got '{value}'"))
}

fn main() -> ExitCode {
    let options = Options::parse();
    let gl = match FakeGitlab::default_builder()
        .port(options.port)
        .seed(options.seed)
        .try_start()
    {
        Ok(gl) => gl,
        Err(e) => {
            eprintln!("fake_gitlab: cannot start on port {}: {e}", options.port);
            return ExitCode::FAILURE;
        }
    };
    for n in 1..=options.preload_issues {
        let issue = NewIssue::new(format!("Preloaded access request {n}"))
            .description(format!(
                "Preloaded issue {n} for benchmarks.\n\n- [ ] approve\n"
            ))
            .labels(["AR-Preloaded"]);
        gl.add_issue(DEFAULT_PROJECT, issue);
    }
    gl.set_latency(Duration::from_millis(options.latency_ms));
    gl.set_error_rate(options.error_rate);
    gl.set_lost_create_rate(options.lost_create_rate);
    gl.set_lost_response(match options.lost_mode {
        LostMode::BadGateway => LostResponse::BadGateway,
        LostMode::Drop => LostResponse::Drop,
    });
    gl.set_rate_limit_window(
        options.rate_limit,
        Duration::from_millis(options.rate_window_ms),
    );
    gl.set_429_without_headers(options.no_429_headers);

    let mut stdout = std::io::stdout();
    if writeln!(stdout, "{}", gl.url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    eprintln!(
        "fake_gitlab: serving {} (token {DEFAULT_TOKEN}, read-only token {READONLY_TOKEN}, project {DEFAULT_PROJECT})",
        gl.url()
    );
    let mut logged = 0;
    loop {
        if !options.log_requests {
            std::thread::park();
        }
        std::thread::sleep(Duration::from_millis(100));
        let requests = gl.requests();
        for r in requests.iter().skip(logged) {
            eprintln!(
                "{} {} {} {}",
                r.received_at.as_millis(),
                r.method,
                r.path,
                r.status
            );
        }
        logged = requests.len();
    }
}
