//! Hostile inputs: a catalogue author, a user or a server that tries to
//! crash, hang or fool `onboard`. Each run must end with a clear message
//! and its exit code, never a crash.

use std::sync::Arc;

use serde_json::{json, Value};

use super::onboarding::{
    ada, ada_status, ada_underway, fake, file_access, file_checklist, user_notes, with_gitlab,
    SECRET,
};
use crate::support::fake_gitlab::{FakeGitlab, NewIssue, DEFAULT_PROJECT, ONBOARDING_PROJECT};
use crate::support::{hire, Home, Test};

#[test]
fn a_template_that_includes_itself_is_a_located_error_not_a_crash() {
    let home = Home::new();
    home.file(
        "t/checklist.md.hbs",
        "Hello\n{{#*inline \"r\"}}x{{> r}}{{/inline}}{{> r}}",
    );
    let message = "t/checklist.md.hbs:2:18: partial 'r' includes itself, which would never end\n";
    Test::in_home(&home)
        .args(["validate", "--templates", "t"])
        .status(3)
        .stderr_has(message)
        .run();
    Test::in_home(&home)
        .args(["checklist", "--templates", "t"])
        .args(hire(
            "strategic-account-leader",
            "Ada Lovelace",
            "2026-12-07",
        ))
        .status(3)
        .stderr_has(message)
        .run();
}

#[test]
fn a_template_that_writes_without_end_stops_at_the_limit() {
    let home = Home::new();
    home.file(
        "t/roles-list.txt.hbs",
        &format!(
            "{}{{{{pad id 900000000}}}}{}",
            (0..6)
                .map(|depth| ["{{#each ", &"../".repeat(depth), "roles}}"].concat())
                .collect::<String>(),
            "{{/each}}".repeat(6)
        ),
    );
    Test::in_home(&home)
        .args(["roles", "list", "--templates", "t"])
        .status(3)
        .stderr_has("t/roles-list.txt.hbs:1:1: template writes more than 32 MiB")
        .run();
}

#[test]
fn two_reminder_runs_at_once_leave_one_note() {
    let (gitlab, home) = ada_underway();
    // Slow answers, so both runs read the notes before either posts.
    gitlab.set_latency(std::time::Duration::from_millis(150));
    let runs: Vec<std::process::Child> = (0..2)
        .map(|_| {
            home.command()
                .args([
                    "status",
                    "--as-of",
                    "2026-12-10",
                    "--email",
                    "ada@example.com",
                ])
                .args(["--remind", "--yes", "--gitlab-url", &gitlab.url()])
                .env("GITLAB_TOKEN", SECRET)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run onboard")
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let notes = user_notes(&gitlab);
    assert_eq!(notes.len(), 1, "{notes:?}");
}

/// The state and claim of Ada's first access request, as `status` reads them.
fn first_request(gitlab: &FakeGitlab, home: &Arc<Home>) -> (String, Value) {
    let access = &ada_status(gitlab, home, "2026-12-03")["access"][0];
    (
        access["state"].as_str().unwrap().to_string(),
        access["unverified"].clone(),
    )
}

#[test]
fn progress_counts_only_from_those_who_may_give_it() {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    // The hire's teammate (any Reporter) approves and closes the request.
    assert!(gitlab.set_labels_as(
        DEFAULT_PROJECT,
        1,
        "mallory",
        &["AR-Approval::Manager Approved"]
    ));
    let (state, claim) = first_request(&gitlab, &home);
    assert_eq!(state, "awaiting-approval");
    assert_eq!(claim, json!({ "claimed": "approved", "by": "mallory" }));
    with_gitlab(
        Test::in_home(&home).args([
            "status",
            "--as-of",
            "2026-12-03",
            "--email",
            "ada@example.com",
        ]),
        &gitlab,
    )
    .stdout_has("unverified (approved by @mallory)")
    .run();
    assert!(gitlab.close_issue_as(DEFAULT_PROJECT, 1, "mallory"));
    let (state, claim) = first_request(&gitlab, &home);
    assert_eq!(state, "awaiting-approval");
    assert_eq!(claim, json!({ "claimed": "done", "by": "mallory" }));
    // The manager (the request's assignee) takes the label off and puts it
    // back: their approval counts.
    assert!(gitlab.reopen_issue(DEFAULT_PROJECT, 1));
    assert!(gitlab.set_labels_as(DEFAULT_PROJECT, 1, "mgr.jones", &[]));
    assert!(gitlab.set_labels_as(
        DEFAULT_PROJECT,
        1,
        "mgr.jones",
        &["AR-Approval::Manager Approved"]
    ));
    let (state, claim) = first_request(&gitlab, &home);
    assert_eq!(state, "approved");
    assert_eq!(claim, Value::Null);
    // A run with nothing changed reads no label history again.
    gitlab.clear_requests();
    first_request(&gitlab, &home);
    assert!(
        !gitlab
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/resource_label_events")),
        "remembered by updated_at"
    );
}

#[test]
#[ignore = "needs Chromium"]
fn a_hostile_title_and_an_endless_task_neither_reverse_nor_widen_the_page() {
    let (gitlab, home) = ada_underway();
    let title =
        "Onboarding: Ada \u{202E}Lovelace, starting 2026-12-07, as Strategic Account Leader";
    assert!(gitlab.set_title(ONBOARDING_PROJECT, 1, title));
    let issue = gitlab.issue(ONBOARDING_PROJECT, 1).unwrap();
    let body = issue["description"].as_str().unwrap();
    let endless = "x".repeat(5000);
    let line = body
        .lines()
        .find(|l| l.starts_with("- [ ] ") && l.contains("due Fri 2026-12-04"))
        .expect("a task overdue by the as-of day");
    let (_, rest) = line.split_once(" · due ").unwrap();
    let body = body.replacen(line, &format!("- [ ] {endless} · due {rest}"), 1);
    assert!(gitlab.set_description(ONBOARDING_PROJECT, 1, &body));
    with_gitlab(
        Test::in_home(&home).args([
            "status",
            "--as-of",
            "2026-12-10",
            "--email",
            "ada@example.com",
        ]),
        &gitlab,
    )
    .args(["--html", "status.html"])
    .any_stdout()
    .stderr_has("Wrote the status page to status.html")
    .run();
    let page = home.work().join("status.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains('\u{202E}'), "the override is gone");
    assert!(html.contains(&endless), "the task is shown whole");
    let dom = crate::support::browser::dump_dom(&page);
    assert!(dom.contains("day 1: late"), "the badge reads as written");
    let width = crate::support::browser::scroll_width(&page, 1280);
    assert!(width <= 1280, "the page is {width} px wide at 1280");
}

#[test]
fn status_lists_a_duplicate_that_landed_after_its_run_and_fails_on_it() {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    // A create that landed after the run had looked: the same marker, later.
    let first = gitlab.issues(DEFAULT_PROJECT)[0].clone();
    let late = gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new(first["title"].as_str().unwrap())
            .description(first["description"].as_str().unwrap().to_string())
            .author("root"),
    );
    let late_url = late["web_url"].as_str().unwrap().to_string();
    let status = || {
        with_gitlab(
            Test::in_home(&home).args([
                "status",
                "--as-of",
                "2026-11-02",
                "--email",
                "ada@example.com",
            ]),
            &gitlab,
        )
    };
    let run = status().args(["--json"]).any_stdout().run();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["hires"][0]["duplicates"], json!([late_url]));
    status()
        .stdout_has("Open duplicate issues")
        .stdout_has(&late_url)
        .run();
    status()
        .args(["--fail-on-overdue"])
        .status(6)
        .any_stdout()
        .stderr_has("open duplicate issues (--fail-on-overdue)")
        .run();
    // The next filing run closes it.
    with_gitlab(
        Test::in_home(&home).args(["access", "file", "--yes"]),
        &gitlab,
    )
    .args(ada("2026-12-07"))
    .stdout_has("closed duplicate #2 of #1")
    .run();
    assert_eq!(gitlab.issue(DEFAULT_PROJECT, 2).unwrap()["state"], "closed");
    status().args(["--fail-on-overdue"]).any_stdout().run();
}

#[test]
fn status_on_a_machine_that_never_filed_remembers_who_moved_a_request() {
    let gitlab = fake();
    let filer = Home::new();
    file_access(&gitlab, &filer);
    assert!(gitlab.set_labels_as(
        DEFAULT_PROJECT,
        1,
        "mgr.jones",
        &["AR-Approval::Manager Approved"]
    ));
    // A fresh runner: no state folder, no journal.
    let runner = Home::new();
    with_gitlab(
        Test::in_home(&runner).args([
            "status",
            "--as-of",
            "2026-12-03",
            "--email",
            "ada@example.com",
        ]),
        &gitlab,
    )
    .any_stdout()
    .run();
    assert!(runner.path().join("state/onboard/movers.json").is_file());
}
