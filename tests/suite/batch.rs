//! `onboard batch`: a roster's checklists and access requests.

use std::collections::HashMap;
use std::fs;
use std::time::Duration;

use serde_json::Value;

use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN};
use crate::support::Onboard;

const HEADER: &str = "name,email,username,role,start_date,manager,buddy\n";
const ROLES: &[&str] = &[
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
];

fn roster(rows: usize) -> String {
    let mut text = HEADER.to_string();
    for i in 0..rows {
        text.push_str(&format!(
            "Hire Number {i},hire{i}@example.com,,{},2026-12-07,mgr.jones,\n",
            ROLES[i % ROLES.len()]
        ));
    }
    text
}

#[test]
fn every_row_gets_a_non_empty_checklist_and_a_summary() {
    let onboard = Onboard::new();
    onboard.file("roster.csv", &roster(300));
    let onboard = onboard.args(["batch", "roster.csv", "--out", "out"]);
    let run = onboard.run().success();
    let dir = onboard.dir();
    assert!(
        run.stdout.contains("Checklists  300 written"),
        "{}",
        run.stdout
    );
    let out = dir.join("out");
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
    let onboard = Onboard::new();
    let mut lines: Vec<String> = roster(300).lines().map(String::from).collect();
    lines[57] = lines[57].replace("2026-12-07", "2026-12-12");
    onboard.file("roster.csv", &(lines.join("\n") + "\n"));
    let onboard = onboard.args(["batch", "roster.csv", "--out", "out"]);
    let run = onboard.run().code(3);
    let dir = onboard.dir();
    assert_eq!(
        run.stderr.trim(),
        "error: roster.csv:58: start_date: start date 2026-12-12 is a Saturday; choose a business day (the next one is 2026-12-14)"
    );
    assert!(!dir.join("out").exists(), "nothing is written");
}

#[test]
fn every_bad_row_is_reported_at_once() {
    let onboard = Onboard::new();
    onboard.file(
        "roster.csv",
        &format!(
            "{HEADER}Ada,ada@example.com,,strategic-acount-leader,2026-12-07,m,\nBob,bob@example,,sales,2026-12-07,m,\nCy,ada@EXAMPLE.com,,sales,2026-12-07,m,\n\"Dee, Jr.\",dee@example.com,,sales,2026-12-07,m,\n"
        ),
    );
    let run = onboard
        .args(["batch", "roster.csv", "--out", "out"])
        .run()
        .code(3);
    assert!(run.stderr.contains("roster.csv:2: role: unknown role 'strategic-acount-leader' (did you mean 'strategic-account-leader'?)"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("roster.csv:3: email: 'bob@example' is not an email address"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("roster.csv:4: email: 'ada@EXAMPLE.com' is also on line 2"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("roster.csv:5"),
        "a quoted comma is fine: {}",
        run.stderr
    );
    let missing = Onboard::new();
    missing.file(
        "roster.csv",
        "name,email,role,start_date\nAda,a@example.com,sales,2026-12-07\n",
    );
    missing
        .args(["batch", "roster.csv", "--out", "out"])
        .run()
        .code(3)
        .stderr_has("roster.csv:1: manager: missing column");
}

#[test]
fn yaml_rosters_and_name_collisions_work() {
    let onboard = Onboard::new();
    onboard.file(
        "class.yaml",
        "- name: Ada Lovelace\n  email: ada1@example.com\n  role: sales\n  start_date: 2026-12-07\n  manager: mgr.jones\n- name: Ada Lovelace\n  email: ada2@example.com\n  role: sales\n  start_date: 2026-12-08\n  manager: mgr.jones\n  with: [clari]\n",
    );
    let onboard = onboard.args(["batch", "class.yaml", "--out", "out"]);
    onboard.run().success();
    let dir = onboard.dir();
    let first = fs::read_to_string(dir.join("out/ada-lovelace.md")).unwrap();
    let second = fs::read_to_string(dir.join("out/ada-lovelace-2.md")).unwrap();
    assert!(first.contains("Mon 2026-12-07") && second.contains("Tue 2026-12-08"));
}

#[test]
fn existing_checklists_are_refused_for_the_whole_batch_unless_identical_or_forced() {
    let onboard = Onboard::new();
    onboard.file("roster.csv", &roster(5));
    let run = onboard.args(["batch", "roster.csv", "--out", "out"]);
    let dir = run.dir().to_path_buf();
    run.run().success();
    run.run().success().stdout_has("0 written, 5 unchanged");
    fs::write(dir.join("out/hire-number-3.md"), "edited by hand").unwrap();
    fs::remove_file(dir.join("out/hire-number-0.md")).unwrap();
    run.run()
        .code(2)
        .stderr_has("hire-number-3.md")
        .stderr_has("pass --force");
    assert!(
        !dir.join("out/hire-number-0.md").exists(),
        "the refusal comes before any write"
    );
    assert_eq!(
        fs::read_to_string(dir.join("out/hire-number-3.md")).unwrap(),
        "edited by hand"
    );
    Onboard::new()
        .args([
            "batch",
            dir.join("roster.csv").to_str().unwrap(),
            "--out",
            dir.join("out").to_str().unwrap(),
            "--force",
        ])
        .run()
        .success()
        .stdout_has("2 written, 3 unchanged");
}

fn file_access(onboard: &Onboard, gitlab: &FakeGitlab, jobs: &str) -> crate::support::Run {
    Onboard::new()
        .args([
            "batch",
            onboard.dir().join("roster.csv").to_str().unwrap(),
            "--out",
            onboard.dir().join("out").to_str().unwrap(),
        ])
        .args([
            "--file-access",
            "--yes",
            "--jobs",
            jobs,
            "--gitlab-url",
            &gitlab.url(),
        ])
        .env("GITLAB_TOKEN", DEFAULT_TOKEN)
        .env(
            "XDG_STATE_HOME",
            onboard.home().join("state").to_str().unwrap(),
        )
        .run()
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
    let gitlab = FakeGitlab::start_default();
    gitlab.set_latency(Duration::from_millis(20));
    gitlab.set_error_rate(0.10);
    gitlab.set_lost_create_rate(0.10);
    gitlab.set_rate_limit(40);
    let onboard = Onboard::new();
    onboard.file("roster.csv", &roster(40));
    let mut runs = 0;
    loop {
        runs += 1;
        let run = file_access(&onboard, &gitlab, "8");
        if run.code == 0 {
            break;
        }
        assert_eq!(
            run.code, 5,
            "only partial failures are expected: {}",
            run.stderr
        );
        assert!(runs < 3, "still failing after {runs} runs: {}", run.stderr);
    }
    let per_hire = issues_per_hire(&gitlab);
    assert_eq!(per_hire.len(), 40, "every hire has requests: {per_hire:?}");
    assert!(
        per_hire.values().all(|n| *n == 1),
        "none twice: {per_hire:?}"
    );
    let before = gitlab.issues(DEFAULT_PROJECT).len();
    gitlab.reset_faults();
    let again = file_access(&onboard, &gitlab, "8").success();
    assert!(
        again
            .stdout
            .contains("Requests    0 created, 40 already filed"),
        "{}",
        again.stdout
    );
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        before,
        "a further re-run files nothing"
    );
}

#[test]
fn a_failing_hire_does_not_stop_the_others_and_a_rerun_resumes() {
    let gitlab = FakeGitlab::start_default();
    let onboard = Onboard::new();
    let mut text = roster(6);
    text.push_str(
        "Nomad Hire,nomad@example.com,,strategic-account-leader,2026-12-07,ghost.manager,\n",
    );
    onboard.file("roster.csv", &text);
    let run = file_access(&onboard, &gitlab, "3").code(5);
    assert!(run.stdout.contains("Failures    1"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("line 8, Nomad Hire: no GitLab user 'ghost.manager'"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("1 of 7 hires could not be completed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[7/7]") || run.stderr.contains("/7]"),
        "plain progress lines off a terminal: {}",
        run.stderr
    );
    assert_eq!(issues_per_hire(&gitlab).len(), 6);
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(onboard.dir().join("out/summary.json")).unwrap())
            .unwrap();
    let nomad = summary["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Nomad Hire")
        .unwrap();
    assert_eq!(nomad["access"]["status"], "failed");
    gitlab.clear_requests();
    file_access(&onboard, &gitlab, "3").code(5);
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
    let gitlab = FakeGitlab::start_default();
    gitlab.set_rate_limit(6);
    let onboard = Onboard::new();
    onboard.file("roster.csv", &roster(12));
    file_access(&onboard, &gitlab, "6").success();
    let requests = gitlab.requests();
    let limited: Vec<Duration> = requests
        .iter()
        .filter(|r| r.status == 429)
        .map(|r| r.received_at)
        .collect();
    assert!(!limited.is_empty(), "the limit was hit");
    for at in &limited {
        // Requests already on the wire when the 429 was sent may still arrive
        // just after it; after that, nobody sends until Retry-After (>= 1 s).
        let too_soon = requests
            .iter()
            .filter(|r| {
                r.received_at > *at + Duration::from_millis(200)
                    && r.received_at < *at + Duration::from_millis(900)
            })
            .count();
        assert_eq!(
            too_soon, 0,
            "a worker sent during the Retry-After of the 429 at {at:?}"
        );
    }
    assert_eq!(issues_per_hire(&gitlab).len(), 12);
}
