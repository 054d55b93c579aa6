//! `onboard batch`: a roster's checklists and access requests.

use std::collections::HashMap;
use std::fs;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::support::fake_gitlab::{FakeGitlab, RecordedRequest, DEFAULT_PROJECT, DEFAULT_TOKEN};
use crate::support::{Home, Test};

const HEADER: &str = "name,email,username,role,start_date,manager,buddy\n";
const ROLES: &[&str] = &[
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
];

pub(super) fn roster(rows: usize) -> String {
    let mut text = HEADER.to_string();
    for i in 0..rows {
        text.push_str(&format!(
            "Hire Number {i},hire{i}@example.com,,{},2026-12-07,mgr.jones,\n",
            ROLES[i % ROLES.len()]
        ));
    }
    text
}

/// `batch roster.csv --out out` in `home`.
fn batch(home: &Arc<Home>) -> Test {
    Test::in_home(home).args(["batch", "roster.csv", "--out", "out"])
}

#[test]
fn every_row_gets_a_non_empty_checklist_and_a_summary() {
    let home = Home::new();
    home.file("roster.csv", &roster(300));
    batch(&home)
        .stdout_has("Roster      roster.csv\nHires       300\n")
        .stdout_has("Checklists  300 written, 0 unchanged, in out\n")
        .stdout_has("Failures    0\n")
        .run();
    let out = home.work().join("out");
    let checklists: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(checklists.len(), 300);
    for path in &checklists {
        let text = fs::read_to_string(path).unwrap();
        assert!(
            text.starts_with("# Onboarding checklist: Hire Number") && text.contains("- [ ] "),
            "{}",
            path.display()
        );
    }
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["hires"], 300);
    assert_eq!(summary["entries"][0]["checklist"], "hire-number-0.md");
    assert_eq!(summary["entries"][0]["line"], 2);
}

#[test]
fn one_bad_date_in_row_57_stops_everything_and_names_the_row() {
    let home = Home::new();
    let mut lines: Vec<String> = roster(300).lines().map(String::from).collect();
    lines[57] = lines[57].replace("2026-12-07", "2026-12-12");
    home.file("roster.csv", &(lines.join("\n") + "\n"));
    batch(&home)
        .status(3)
        .stderr("error: roster.csv:58: start_date: start date 2026-12-12 is a Saturday; choose a business day (the next one is 2026-12-14)\n\
                 roster.csv: 1 problem in 1 of 300 rows; nothing was written (--skip-invalid goes on with the other 299)\n")
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
}

#[test]
fn every_bad_row_is_reported_at_once() {
    let home = Home::new();
    home.file(
        "roster.csv",
        &format!(
            "{HEADER}Ada,ada@example.com,,strategic-acount-leader,2026-12-07,m,\nBob,bob@example,,strategic-account-leader,2026-12-07,m,\nCy,ada@EXAMPLE.com,,strategic-account-leader,2026-12-07,m,\n\"Dee, Jr.\",dee@example.com,,strategic-account-leader,2026-12-07,m,\n"
        ),
    );
    // Exactly these three rows: line 5's quoted comma is fine.
    batch(&home)
        .status(3)
        .stderr(
            "error: roster.csv:2: role: unknown role 'strategic-acount-leader' (did you mean 'strategic-account-leader'?); run `onboard roles list` to see the roles\n\
             roster.csv:3: email: 'bob@example' is not an email address: the domain must be dotted words such as example.com\n\
             roster.csv:4: email: 'ada@EXAMPLE.com' is also on line 2; each hire needs their own email\n\
             roster.csv: 3 problems in 3 of 4 rows; nothing was written (--skip-invalid goes on with the other 1)\n",
        )
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
    let missing = Home::new();
    missing.file(
        "roster.csv",
        "name,email,manager\nAda,a@example.com,mgr.jones\n",
    );
    let columns = "the header must have name,email,role,start_date";
    batch(&missing)
        .status(3)
        .stderr(&format!(
            "error: roster.csv:1: role: missing column; {columns}\n\
             roster.csv:1: start_date: missing column; {columns}\n"
        ))
        .run();
}

#[test]
fn yaml_rosters_and_name_collisions_work() {
    let home = Home::new();
    home.file(
        "class.yaml",
        "- name: Ada Lovelace\n  email: ada1@example.com\n  role: strategic-account-leader\n  start_date: 2026-12-07\n  manager: mgr.jones\n- name: Ada Lovelace\n  email: ada2@example.com\n  role: strategic-account-leader\n  start_date: 2026-12-08\n  manager: mgr.jones\n  with: [datafox]\n",
    );
    Test::in_home(&home)
        .args(["batch", "class.yaml", "--out", "out"])
        .stdout_has("Roster      class.yaml\nHires       2\n")
        .stdout_has("Checklists  2 written, 0 unchanged, in out\n")
        .stdout_has("Failures    0\n")
        .run();
    let dir = home.work();
    let first = fs::read_to_string(dir.join("out/ada-lovelace.md")).unwrap();
    let second = fs::read_to_string(dir.join("out/ada-lovelace-2.md")).unwrap();
    assert!(first.contains("Mon 2026-12-07") && second.contains("Tue 2026-12-08"));
}

#[test]
fn existing_checklists_are_left_alone_when_identical_or_edited_by_hand_unless_forced() {
    let home = Home::new();
    home.file("roster.csv", &roster(5));
    let dir = home.work();
    batch(&home)
        .stdout_has("Checklists  5 written, 0 unchanged, in out\n")
        .run();
    batch(&home)
        .stdout_has("Checklists  0 written, 5 unchanged, in out\n")
        .run();
    fs::write(dir.join("out/hire-number-3.md"), "edited by hand").unwrap();
    fs::remove_file(dir.join("out/hire-number-0.md")).unwrap();
    // Onboard has nothing new for hire 3: the edit stays; hire 0 is back.
    batch(&home)
        .stdout_has(
            "Checklists  1 written, 4 unchanged, in out\n  written: hire-number-0.md\nTasks",
        )
        .run();
    assert_eq!(
        fs::read_to_string(dir.join("out/hire-number-3.md")).unwrap(),
        "edited by hand"
    );
    // From another folder, by absolute paths.
    Test::new()
        .args([
            "batch",
            dir.join("roster.csv").to_str().unwrap(),
            "--out",
            dir.join("out").to_str().unwrap(),
            "--force",
        ])
        .stdout_has(&format!(
            "Checklists  0 written, 1 updated, 4 unchanged, in {}\n  updated: hire-number-3.md\n",
            dir.join("out").display()
        ))
        .run();
    assert_ne!(
        fs::read_to_string(dir.join("out/hire-number-3.md")).unwrap(),
        "edited by hand",
        "--force replaces the edited checklist"
    );
}

/// `batch --file-access` of `home`'s roster against `gitlab`.
fn file_access(home: &Arc<Home>, gitlab: &FakeGitlab, jobs: &str) -> Test {
    batch(home)
        .args([
            "--file-access",
            "--yes",
            "--jobs",
            jobs,
            "--gitlab-url",
            &gitlab.url(),
        ])
        .env("GITLAB_TOKEN", DEFAULT_TOKEN)
        .nowhere(DEFAULT_TOKEN)
}

/// Checks a `--file-access` run's stderr: off a terminal, one progress line
/// `[k/total] name: ...` per hire, k = 1..=total each once, then `last`
/// (may be empty). The workers finish in any order, and a line's number is
/// taken before it is printed, so neither the hires' order nor the numbers'
/// order can be pinned.
#[track_caller]
fn assert_progress(stderr: &str, total: usize, last: &str) {
    let Some(progress) = stderr.strip_suffix(last) else {
        panic!("stderr does not end with {last:?}:\n{stderr}");
    };
    let mut numbers: Vec<usize> = progress
        .lines()
        // A request that takes long on a busy machine may say so; that
        // line is not a hire's.
        .filter(|line| !(line.starts_with("GitLab at ") && line.contains(" has not answered for ")))
        .map(|line| {
            let (done, rest) = line
                .strip_prefix('[')
                .and_then(|l| l.split_once(&format!("/{total}] ")))
                .unwrap_or_else(|| panic!("not a progress line: {line}\n{stderr}"));
            assert!(rest.contains(": "), "not a progress line: {line}");
            done.parse()
                .unwrap_or_else(|_| panic!("not a progress line: {line}\n{stderr}"))
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=total).collect::<Vec<_>>(),
        "one line per hire:\n{stderr}"
    );
}

/// How many issues each hire has, by the email in the issue body.
fn issues_per_hire(gitlab: &FakeGitlab) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for issue in gitlab.issues(DEFAULT_PROJECT) {
        let body = issue["description"].as_str().unwrap_or_default();
        let email = body.split('`').nth(3).unwrap_or_default().to_string();
        *count.entry(email).or_default() += 1;
    }
    count
}

#[test]
fn a_flaky_rate_limited_server_still_gets_exactly_one_request_per_hire() {
    const HIRES: usize = 40;
    let gitlab = FakeGitlab::start_default();
    gitlab.set_latency(Duration::from_millis(20));
    gitlab.set_error_rate(0.10);
    gitlab.set_lost_create_rate(0.10);
    // 100 requests a second in windows of 50 ms; eight workers at 20 ms a
    // request try 400, and send their creates together.
    gitlab.set_rate_limit_window(5, Duration::from_millis(50));
    // A slow machine may never fill a window: two 429s come whatever the pace.
    gitlab.fail_next(2, 429);
    let home = Home::new();
    home.file("roster.csv", &roster(HIRES));
    let mut runs = 0;
    loop {
        runs += 1;
        let run = file_access(&home, &gitlab, "8")
            // Only partial failures are expected.
            .status_in(&[0, 5])
            .stdout_has(&format!("Hires       {HIRES}\n"))
            .any_stderr()
            .run();
        if run.code == 0 {
            assert_progress(&run.stderr, HIRES, "");
            break;
        }
        assert!(
            run.stderr
                .ends_with("hires could not be completed (reasons above and in summary.json); re-run the same command to resume: nothing is filed twice\n"),
            "{}",
            run.stderr
        );
        assert!(runs < 3, "still failing after {runs} runs: {}", run.stderr);
    }
    assert!(
        gitlab.requests().iter().any(|r| r.status == 429),
        "the rate limit was hit"
    );
    let per_hire = issues_per_hire(&gitlab);
    assert_eq!(
        per_hire.len(),
        HIRES,
        "every hire has requests: {per_hire:?}"
    );
    assert!(
        per_hire.values().all(|n| *n == 1),
        "none twice: {per_hire:?}"
    );
    let before = gitlab.issues(DEFAULT_PROJECT).len();
    gitlab.reset_faults();
    let again = file_access(&home, &gitlab, "8")
        .stdout_has(&format!("Requests    0 created, {HIRES} already filed\n"))
        .stdout_has("Failures    0\n")
        .any_stderr()
        .run();
    assert_progress(&again.stderr, HIRES, "");
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        before,
        "a further re-run files nothing"
    );
}

#[test]
fn a_failing_hire_does_not_stop_the_others_and_a_rerun_resumes() {
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    let mut text = roster(6);
    text.push_str(
        "Nomad Hire,nomad@example.com,,strategic-account-leader,2026-12-07,ghost.manager,\n",
    );
    home.file("roster.csv", &text);
    let failures = format!(
        "Failures    1\n  line 8, Nomad Hire: no GitLab user 'ghost.manager' on {}: check --manager\n",
        gitlab.url()
    );
    let partial = "error: 1 of 7 hires could not be completed (reasons above and in summary.json); re-run the same command to resume: nothing is filed twice\n";
    let run = file_access(&home, &gitlab, "3")
        .status(5)
        .stdout_has(&format!(
            "Requests    6 created, 0 already filed\n{failures}"
        ))
        // Plain progress lines off a terminal, in the order hires finish.
        .any_stderr()
        .run();
    assert_progress(&run.stderr, 7, partial);
    assert!(
        run.stderr
            .contains("] Nomad Hire: failed: no GitLab user 'ghost.manager'"),
        "{}",
        run.stderr
    );
    assert_eq!(issues_per_hire(&gitlab).len(), 6);
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(home.work().join("out/summary.json")).unwrap())
            .unwrap();
    let nomad = summary["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Nomad Hire")
        .unwrap();
    assert_eq!(nomad["access"]["status"], "failed");
    gitlab.clear_requests();
    let again = file_access(&home, &gitlab, "3")
        .status(5)
        .stdout_has(&format!(
            "Requests    0 created, 6 already filed\n{failures}"
        ))
        // Progress lines, in the order hires finish.
        .any_stderr()
        .run();
    assert_progress(&again.stderr, 7, partial);
    assert_eq!(
        gitlab
            .requests()
            .iter()
            .filter(|r| r.is_create_issue())
            .count(),
        0,
        "the others are not filed again"
    );
}

#[test]
fn after_a_429_every_worker_waits_out_retry_after() {
    const HIRES: usize = 6;
    let gitlab = FakeGitlab::start_default();
    // A window holds 2: the run's first three requests (the token, the
    // project, the listing) come one after the other within a few
    // milliseconds, so the limit is hit before the workers start, and
    // again while the six of them file. Windows of 100 ms with every wait scaled
    // by 0.1 are GitLab's one-second windows, ten times faster: the fake
    // still answers `Retry-After: 1`, which the run waits as 100 ms.
    gitlab.set_rate_limit_window(2, Duration::from_millis(100));
    gitlab.set_latency(Duration::from_millis(5));
    let home = Home::new();
    home.file("roster.csv", &roster(HIRES));
    let run = file_access(&home, &gitlab, "6")
        .env("ONBOARD_TIME_SCALE", "0.1")
        .stdout_has("Failures    0\n")
        .any_stderr()
        .run();
    assert_progress(&run.stderr, HIRES, "");
    // Every time below is the fake's own clock, and every bound holds
    // however slowly a loaded machine runs the client: slowness only
    // makes it send less within a wait.
    let requests = gitlab.requests();
    let limited: Vec<&RecordedRequest> = requests.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "the limit was hit");
    // The wait each 429 asked for, scaled as the run scales it.
    let wait_of = |r: &RecordedRequest| {
        let seconds: u64 = r
            .answer_header("Retry-After")
            .and_then(|s| s.parse().ok())
            .expect("a 429 with Retry-After");
        Duration::from_secs(seconds).mul_f64(0.1)
    };
    // A 429 within the wait of an earlier one answered a request that was
    // already on its way: the earlier one starts the wait every worker keeps.
    let first_of_each_wait: Vec<&RecordedRequest> = limited
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            !limited[..*i]
                .iter()
                .any(|earlier| r.answered_at < earlier.answered_at + wait_of(earlier))
        })
        .map(|(_, r)| *r)
        .collect();
    for first in &first_of_each_wait {
        // Each of the other workers (six, one per hire) may have had one
        // request on the wire when this 429 went out; nobody sends a new
        // one until the wait ends.
        let until = first.answered_at + wait_of(first);
        let during: Vec<u64> = requests
            .iter()
            .filter(|r| r.received_at > first.answered_at && r.received_at < until)
            .map(|r| r.seq)
            .collect();
        assert!(
            during.len() < HIRES,
            "requests {during:?} came during the wait of the 429 answered at {:?}",
            first.answered_at
        );
    }
    assert!(
        limited.len() <= first_of_each_wait.len() * HIRES,
        "{} 429s for {} waits: workers kept sending into the limit",
        limited.len(),
        first_of_each_wait.len()
    );
    assert_eq!(issues_per_hire(&gitlab).len(), HIRES);
}
