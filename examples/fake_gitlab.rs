//! Runs the fake GitLab used by the integration tests as a standalone server,
//! for benchmark scripts.
//!
//! ```text
//! cargo run --example fake_gitlab -- [--port P] [--latency-ms N] [--error-rate F]
//!     [--lost-create-rate F] [--lost-mode 502|drop] [--rate-limit N]
//!     [--429-without-headers] [--preload-issues N] [--seed N]
//! ```
//!
//! Prints `http://127.0.0.1:PORT` as the first line of stdout, then serves
//! the default fixtures (token `glpat-good`, read-only token
//! `glpat-readonly`, project 7 `gitlab-com/team-member-epics/access-requests`,
//! users `root` and `mgr.jones`) until killed.

#[path = "../tests/support/fake_gitlab.rs"]
mod fake_gitlab;

use fake_gitlab::{
    FakeGitlab, LostResponse, NewIssue, DEFAULT_PROJECT, DEFAULT_TOKEN, READONLY_TOKEN,
};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: fake_gitlab [--port P] [--latency-ms N] [--error-rate F] \
[--lost-create-rate F] [--lost-mode 502|drop] [--rate-limit N] [--429-without-headers] \
[--preload-issues N] [--seed N]";

struct Options {
    port: u16,
    latency_ms: u64,
    error_rate: f64,
    lost_create_rate: f64,
    lost_mode: LostResponse,
    rate_limit: u32,
    no_429_headers: bool,
    preload_issues: u64,
    seed: u64,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        port: 0,
        latency_ms: 0,
        error_rate: 0.0,
        lost_create_rate: 0.0,
        lost_mode: LostResponse::BadGateway,
        rate_limit: 0,
        no_429_headers: false,
        preload_issues: 0,
        seed: 1,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        if flag == "--429-without-headers" {
            o.no_429_headers = true;
            continue;
        }
        const VALUED: [&str; 8] = [
            "--port",
            "--latency-ms",
            "--error-rate",
            "--lost-create-rate",
            "--lost-mode",
            "--rate-limit",
            "--preload-issues",
            "--seed",
        ];
        if !VALUED.contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}"));
        }
        let value = match inline.or_else(|| it.next()) {
            Some(v) => v,
            None => return Err(format!("{flag} needs a value")),
        };
        let bad = |what: &str| format!("{flag}: {what}, got '{value}'");
        match flag.as_str() {
            "--port" => o.port = value.parse().map_err(|_| bad("expected a port number"))?,
            "--latency-ms" => {
                o.latency_ms = value.parse().map_err(|_| bad("expected milliseconds"))?
            }
            "--error-rate" => {
                o.error_rate =
                    parse_rate(&value).ok_or_else(|| bad("expected a number in 0..=1"))?
            }
            "--lost-create-rate" => {
                o.lost_create_rate =
                    parse_rate(&value).ok_or_else(|| bad("expected a number in 0..=1"))?
            }
            "--lost-mode" => {
                o.lost_mode = match value.as_str() {
                    "502" | "bad-gateway" => LostResponse::BadGateway,
                    "drop" => LostResponse::Drop,
                    _ => return Err(bad("expected 502 or drop")),
                }
            }
            "--rate-limit" => {
                o.rate_limit = value
                    .parse()
                    .map_err(|_| bad("expected requests per second"))?
            }
            "--preload-issues" => {
                o.preload_issues = value.parse().map_err(|_| bad("expected a count"))?
            }
            "--seed" => o.seed = value.parse().map_err(|_| bad("expected an integer"))?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

fn parse_rate(value: &str) -> Option<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("fake_gitlab: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
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
    gl.set_lost_response(options.lost_mode);
    gl.set_rate_limit(options.rate_limit);
    gl.set_429_without_headers(options.no_429_headers);

    let mut stdout = std::io::stdout();
    if writeln!(stdout, "{}", gl.url())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    eprintln!(
        "fake_gitlab: serving {} (token {DEFAULT_TOKEN}, read-only token {READONLY_TOKEN}, project {DEFAULT_PROJECT})",
        gl.url()
    );
    loop {
        std::thread::park();
    }
}
