//! Exactly once, for real: concurrent runs, late creates, redirects, echoed
//! tokens, spoofed markers, rate-limit herds, corrupt journals, moved start
//! dates and silent servers, each through the real binary.

use std::fs;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::support::fake_gitlab::{
    FakeGitlab, NewIssue, Redirect, DEFAULT_PROJECT, OFFBOARDING_PROJECT, ONBOARDING_PROJECT,
};
use crate::support::{file_roster, file_sal, foreign_quick_actions, sal_plan, Home, Test, SAL};

/// A token that must never be printed.
const SECRET: &str = "glpat-EXACTLY-ONCE-0123456789";

fn fake() -> FakeGitlab {
    FakeGitlab::default_builder().token(SECRET, "root").start()
}

/// `access file` for the SAL hire, with the secret token.
fn file(gitlab: &FakeGitlab, home: &Arc<Home>) -> Test {
    file_sal(home, &gitlab.url(), SECRET)
}

/// A roster of `n` SALs.
fn roster(n: usize) -> String {
    let mut text = "name,email,username,role,start_date,manager,buddy\n".to_string();
    for i in 0..n {
        text.push_str(&format!(
            "Hire {i},hire{i}@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n"
        ));
    }
    text
}

/// `batch --file-access` over `roster.csv` in `home`.
fn batch(gitlab: &FakeGitlab, home: &Arc<Home>, jobs: &str) -> Test {
    file_roster(home, &gitlab.url(), SECRET)
        .args(["--jobs", jobs])
        // One progress line per hire on stderr; what was filed is checked on the server.
        .any_stderr()
        .any_stdout()
}

/// Open issues per request key in the access-requests project.
fn open_per_key(gitlab: &FakeGitlab) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for issue in gitlab.issues(DEFAULT_PROJECT) {
        if issue["state"] != "opened" {
            continue;
        }
        let description = issue["description"].as_str().unwrap_or_default();
        let key = description
            .split("key: ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("no key")
            .to_string();
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

fn assert_one_open_per_hire(gitlab: &FakeGitlab, hires: usize) {
    let counts = open_per_key(gitlab);
    assert_eq!(counts.len(), hires, "{counts:?}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
}

#[test]
fn two_batches_at_once_on_one_journal_end_with_one_request_per_hire() {
    let gitlab = fake();
    gitlab.set_latency(Duration::from_millis(2));
    let home = Home::new();
    home.file("roster.csv", &roster(40));
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| batch(&gitlab, &home, "4").run());
        }
    });
    assert_one_open_per_hire(&gitlab, 40);
    let closed = gitlab
        .issues(DEFAULT_PROJECT)
        .iter()
        .filter(|i| i["state"] == "closed")
        .count();
    assert_eq!(
        closed, 0,
        "runs sharing a journal wait for each other instead of racing"
    );
}

#[test]
fn two_batches_at_once_on_separate_machines_converge_to_one_request_per_hire() {
    let gitlab = fake();
    gitlab.set_latency(Duration::from_millis(2));
    let homes = [Home::new(), Home::new()];
    for home in &homes {
        home.file("roster.csv", &roster(40));
    }
    std::thread::scope(|scope| {
        for home in &homes {
            scope.spawn(|| batch(&gitlab, home, "4").run());
        }
    });
    assert_one_open_per_hire(&gitlab, 40);
    for issue in gitlab.issues(DEFAULT_PROJECT) {
        if issue["state"] == "closed" {
            let iid = issue["iid"].as_u64().unwrap();
            let notes = gitlab.notes(DEFAULT_PROJECT, iid);
            assert!(
                notes.iter().any(|n| n["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("duplicates #"))),
                "a closed duplicate points at the one kept: {notes:?}"
            );
        }
    }
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );
}

#[test]
fn a_create_the_gateway_gave_up_on_but_gitlab_finished_is_not_filed_again() {
    let gitlab = fake();
    // Real GitLab: a 504 after 1 s, the issue lands 3 s later; here a hundredth.
    gitlab.gateway_timeout_creates(1, Duration::from_millis(10), Duration::from_millis(40));
    let home = Home::new();
    file(&gitlab, &home).stdout_has("created ").run();
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1);
    let creates = gitlab
        .requests()
        .iter()
        .filter(|r| r.is_create_issue())
        .count();
    assert_eq!(
        creates, 1,
        "looked up over a growing wait instead of creating again"
    );
}

#[test]
fn a_redirect_to_another_origin_never_carries_the_token() {
    let elsewhere = FakeGitlab::start_default();
    for status in [302, 307] {
        let gitlab = fake();
        gitlab.set_redirect(Some(Redirect {
            status,
            location: elsewhere.url(),
        }));
        file(&gitlab, &Home::new())
            .status(4)
            .stderr_has("answered with a redirect to ")
            .stderr_has(&elsewhere.url())
            .stderr_has("use that address as --gitlab-url")
            .run();
    }
    let carried: Vec<_> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| r.header("PRIVATE-TOKEN").is_some())
        .collect();
    assert!(carried.is_empty(), "{carried:?}");
    assert!(
        elsewhere.requests().is_empty(),
        "nothing was sent there at all"
    );
}

#[test]
fn a_token_a_proxy_echoes_appears_in_no_output_summary_or_journal() {
    let gitlab = fake();
    gitlab.set_echo_token(Some(400));
    let home = Home::new();
    file(&gitlab, &home)
        .status(4)
        .stderr_has("[redacted]")
        .run();
    home.file("roster.csv", &roster(3));
    batch(&gitlab, &home, "2").status(5).run();
    let summary = fs::read_to_string(home.work().join("out/summary.json")).unwrap();
    assert!(summary.contains("[redacted]"), "{summary}");
    assert!(!summary.contains(SECRET));
    let journal = fs::read_to_string(home.journal()).unwrap_or_default();
    assert!(!journal.contains(SECRET));
    for entry in fs::read_dir(home.work().join("out")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(SECRET));
    }
}

#[test]
fn a_marker_copied_by_someone_else_does_not_stop_the_hire_request() {
    let gitlab = fake();
    let plan = sal_plan();
    let key = plan["key"].as_str().unwrap();
    let spoof = gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Ada Lovelace, everything, SAL")
            .description(format!(
                "nothing to see\n\n<!-- onboard-request key: {key} systems: clari,salesforce-inbox,lucidchart,outreach,customersdot-admin,licensedot start: 2026-12-07 -->\n"
            ))
            .author("mallory"),
    );
    file(&gitlab, &Home::new())
        .stdout_has("created ")
        .stdout_has(&format!(
            "warning: ignored #{} by mallory: it carries this hire's marker, but its author is not trusted",
            spoof["iid"]
        ))
        .run();
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 2);
}

#[test]
fn header_less_429s_at_four_a_second_still_file_thirty_hires_in_one_run() {
    for jobs in ["1", "8"] {
        let gitlab = fake();
        // 4 requests per second, forty times faster: windows of 25 ms, and
        // every wait the run learns scaled to match.
        gitlab.set_rate_limit_window(4, Duration::from_millis(25));
        gitlab.set_429_without_headers(true);
        let home = Home::new();
        home.file("roster.csv", &roster(30));
        batch(&gitlab, &home, jobs)
            .env("ONBOARD_TIME_SCALE", "0.025")
            .run();
        assert_one_open_per_hire(&gitlab, 30);
        let manager_lookups = gitlab
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v4/users" && r.status == 200)
            .count();
        assert_eq!(
            manager_lookups, 1,
            "--jobs {jobs}: the manager is looked up once"
        );
    }
}

#[test]
fn a_corrupt_journal_is_moved_aside_and_files_nothing_new() {
    let gitlab = fake();
    let home = Home::new();
    file(&gitlab, &home).stdout_has("created ").run();
    fs::write(
        home.journal(),
        "\u{feff}{\"version\": 2, \"entries\": [trunc",
    )
    .unwrap();
    file(&gitlab, &home)
        .stdout_has("exists ")
        .stderr_has("warning: the filing journal ")
        .stderr_has("could not be read")
        .stderr_has("journal.json.corrupt-")
        .run();
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1);
    let aside = fs::read_dir(home.journal().parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("journal.json.corrupt-")
        })
        .count();
    assert_eq!(aside, 1);
}

#[test]
fn a_moved_start_date_updates_the_one_open_request() {
    let gitlab = fake();
    let home = Home::new();
    file(&gitlab, &home).stdout_has("created ").run();
    assert!(gitlab.tick_task(DEFAULT_PROJECT, 1, "**Clari**"));
    let moved: Vec<&str> = SAL
        .iter()
        .map(|a| if *a == "2026-12-07" { "2026-12-14" } else { *a })
        .collect();
    Test::in_home(&home)
        .args(["access", "file", "--yes", "--gitlab-url"])
        .args([gitlab.url()])
        .args(&moved)
        .env("GITLAB_TOKEN", SECRET)
        .stdout_has("exists ")
        .stdout_has("updated #1: the start date moved from 2026-12-07 to 2026-12-14")
        .run();
    let issues = gitlab.issues(DEFAULT_PROJECT);
    assert_eq!(issues.len(), 1, "never a second request");
    assert_eq!(issues[0]["due_date"], "2026-12-14");
    let body = issues[0]["description"].as_str().unwrap();
    assert!(body.contains("- [x] **Clari**"), "ticks are kept: {body}");
    assert!(body.contains("start: 2026-12-14"), "{body}");
}

#[test]
fn a_server_that_never_answers_is_reported_then_given_up() {
    let gitlab = fake();
    gitlab.set_silent(true);
    file(&gitlab, &Home::new())
        .args(["--timeout", "1"])
        .status(4)
        .stderr_has("has not answered for 10 s; still waiting")
        .stderr_has("did not answer within 1 s")
        .run();
}

#[test]
fn a_batch_stops_after_three_hires_in_a_row_cannot_reach_gitlab() {
    let gitlab = fake();
    let home = Home::new();
    home.file("roster.csv", &roster(10));
    // GitLab goes quiet once the batch has listed what exists.
    gitlab.go_silent_after(|r| r.method == "GET" && r.path.ends_with("/issues"));
    batch(&gitlab, &home, "1")
        .args(["--timeout", "1"])
        .status(5)
        .stderr_has("not tried: 3 hires in a row could not reach GitLab")
        .run();
    assert!(
        gitlab.requests().iter().any(|r| r.unanswered),
        "the batch listed the project's issues and then went unanswered"
    );
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(home.work().join("out/summary.json")).unwrap())
            .unwrap();
    let errors: Vec<&str> = summary["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["access"]["error"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.starts_with("GitLab at ") && e.contains("did not answer within 1 s"))
            .count(),
        3,
        "{errors:?}"
    );
    assert_eq!(
        errors.iter().filter(|e| e.starts_with("not tried")).count(),
        7,
        "{errors:?}"
    );
}

#[test]
fn an_html_page_where_the_api_should_be_is_named() {
    let gitlab = fake();
    gitlab.set_html_answers(true);
    file(&gitlab, &Home::new())
        .status(4)
        .stderr_has("answered with an HTML page, not the API")
        .run();
}

/// The open issues in `project` whose hidden marker is of `kind`.
fn open_of_kind(gitlab: &FakeGitlab, project: &str, kind: &str) -> usize {
    let marker = format!("<!-- onboard-{kind} key: ");
    gitlab
        .issues(project)
        .iter()
        .filter(|i| i["state"] == "opened")
        .filter(|i| {
            i["description"]
                .as_str()
                .is_some_and(|d| d.contains(&marker))
        })
        .count()
}

/// Runs the test `run` gives for each home, all at once.
fn at_once(homes: &[Arc<Home>], run: impl Fn(&Arc<Home>) -> Test + Sync) {
    std::thread::scope(|scope| {
        for home in homes {
            let run = &run;
            scope.spawn(move || run(home).any_stdout().run());
        }
    });
}

#[test]
fn two_transfers_and_then_two_offboardings_at_once_on_separate_machines_end_with_one_of_each() {
    use super::lifecycle::{join, offboard, transfer};
    let gitlab = super::onboarding::fake();
    gitlab.set_latency(Duration::from_millis(2));
    let homes = [Home::new(), Home::new()];
    join(&gitlab, &homes[0]);
    at_once(&homes, |home| transfer(&gitlab, home, "2027-03-01"));
    // A later run on either machine closes whatever a race left behind.
    transfer(&gitlab, &homes[1], "2027-03-01")
        .any_stdout()
        .run();
    assert_eq!(open_of_kind(&gitlab, DEFAULT_PROJECT, "removal"), 1);
    assert_eq!(
        open_of_kind(&gitlab, DEFAULT_PROJECT, "request"),
        2,
        "the joiner's and the mover's"
    );
    assert_eq!(open_of_kind(&gitlab, ONBOARDING_PROJECT, "mobility"), 1);
    at_once(&homes, |home| offboard(&gitlab, home, "2027-06-30"));
    offboard(&gitlab, &homes[0], "2027-06-30")
        .any_stdout()
        .run();
    assert_eq!(open_of_kind(&gitlab, OFFBOARDING_PROJECT, "offboarding"), 1);
    assert_eq!(
        open_of_kind(&gitlab, DEFAULT_PROJECT, "request"),
        0,
        "pending requests closed"
    );
    assert_eq!(open_of_kind(&gitlab, ONBOARDING_PROJECT, "mobility"), 0);
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );
}

#[test]
fn removal_mobility_and_offboarding_creates_whose_answers_were_lost_are_not_filed_again() {
    use super::lifecycle::{join, offboard, transfer};
    let gitlab = super::onboarding::fake();
    let home = Home::new();
    join(&gitlab, &home);
    gitlab.clear_requests();
    gitlab.lose_next_creates(3);
    transfer(&gitlab, &home, "2027-03-01").any_stdout().run();
    gitlab.gateway_timeout_creates(1, Duration::from_millis(10), Duration::from_millis(40));
    offboard(&gitlab, &home, "2027-06-30").any_stdout().run();
    let creates = gitlab
        .requests()
        .iter()
        .filter(|r| r.is_create_issue())
        .count();
    assert_eq!(
        creates, 4,
        "request, removal, mobility and offboarding: each sent once"
    );
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 3);
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 2);
    assert_eq!(gitlab.issues(OFFBOARDING_PROJECT).len(), 1);
}
