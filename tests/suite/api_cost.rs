//! What a command costs in GitLab requests, counted on the fake: a batch
//! looks its hires up in one listing per project and checks for duplicates
//! once at the end, so a hire costs about one request per issue.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::batch::roster;
use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_TOKEN, ONBOARDING_PROJECT};
use crate::support::{Home, Test};

const HIRES: usize = 100;

/// Requests by method and route (numbers and ids folded), for messages.
fn by_route(gitlab: &FakeGitlab) -> BTreeMap<String, usize> {
    let mut routes = BTreeMap::new();
    for request in gitlab.requests() {
        let path: Vec<&str> = request
            .path
            .trim_start_matches("/api/v4/")
            .split('/')
            .map(|seg| {
                if seg.chars().all(|c| c.is_ascii_digit()) || seg.contains("%2F") {
                    ":id"
                } else {
                    seg
                }
            })
            .collect();
        *routes
            .entry(format!("{} {}", request.method, path.join("/")))
            .or_default() += 1;
    }
    routes
}

fn count(gitlab: &FakeGitlab) -> (usize, BTreeMap<String, usize>) {
    (gitlab.requests().len(), by_route(gitlab))
}

fn batch(home: &Arc<Home>, gitlab: &FakeGitlab, what: &[&str]) -> Test {
    Test::in_home(home)
        .args([
            "batch",
            "roster.csv",
            "--out",
            "out",
            "--yes",
            "--jobs",
            "8",
        ])
        .args(what)
        .args(["--gitlab-url", &gitlab.url()])
        .env("GITLAB_TOKEN", DEFAULT_TOKEN)
        .nowhere(DEFAULT_TOKEN)
        .any_stdout()
        .any_stderr()
}

#[test]
fn a_batch_costs_about_one_request_per_issue_and_a_rerun_almost_nothing() {
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    home.file("roster.csv", &roster(HIRES));
    batch(&home, &gitlab, &["--file-access"]).run();
    let (total, routes) = count(&gitlab);
    assert_eq!(routes["POST projects/:id/issues"], HIRES, "{routes:#?}");
    assert!(
        total <= 110,
        "{total} requests for {HIRES} access requests: {routes:#?}"
    );

    gitlab.clear_requests();
    batch(&home, &gitlab, &["--file-access", "--force"]).run();
    let (total, routes) = count(&gitlab);
    assert!(total <= 5, "a re-run with nothing to do: {routes:#?}");

    gitlab.clear_requests();
    batch(&home, &gitlab, &["--file-onboarding", "--force"]).run();
    let (total, routes) = count(&gitlab);
    assert_eq!(routes["POST projects/:id/issues"], HIRES, "{routes:#?}");
    assert!(
        !routes.contains_key("POST projects/:id/issues/:id/links"),
        "each onboarding issue relates itself to its request as it is created: {routes:#?}"
    );
    assert!(
        total <= 110,
        "{total} requests for {HIRES} onboarding issues: {routes:#?}"
    );
    assert_eq!(gitlab.links(ONBOARDING_PROJECT, 1).len(), 1, "{routes:#?}");

    gitlab.clear_requests();
    batch(
        &home,
        &gitlab,
        &["--file-access", "--file-onboarding", "--force"],
    )
    .run();
    let (total, routes) = count(&gitlab);
    assert!(
        total <= 5,
        "a re-run of both with nothing to do: {routes:#?}"
    );
}

#[test]
fn status_reads_a_roster_in_bulk() {
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    home.file("roster.csv", &roster(HIRES));
    batch(&home, &gitlab, &["--file-access", "--file-onboarding"]).run();
    gitlab.clear_requests();
    let status = |extra: &[&str]| {
        Test::in_home(&home)
            .args([
                "status",
                "roster.csv",
                "--as-of",
                "2026-12-10",
                "--gitlab-url",
                &gitlab.url(),
            ])
            .args(extra)
            .env("ONBOARD_TODAY", "2026-12-10")
            .env("GITLAB_TOKEN", DEFAULT_TOKEN)
            .any_stdout()
            .any_stderr()
    };
    status(&[]).run();
    let (total, routes) = count(&gitlab);
    // The token, two projects (onboarding, access requests) and one listing
    // of each and of offboarding (not looked up: it may not exist).
    assert!(total <= 6, "status over {HIRES} hires: {routes:#?}");

    // Reminders of today on issues untouched since before today began
    // (GitLab touches an issue with every comment) are posted unread, then
    // read once to catch a second run's; a second run reads once and posts
    // nothing.
    gitlab.clear_requests();
    gitlab.set_clock("2026-12-10T23:00:00Z".parse().unwrap());
    status(&["--remind", "--yes"]).run();
    let (total, routes) = count(&gitlab);
    let notes_read = routes["GET projects/:id/issues/:id/notes"];
    let posted = routes["POST projects/:id/issues/:id/notes"];
    assert_eq!(posted, HIRES, "every hire has overdue work: {routes:#?}");
    assert_eq!(notes_read, HIRES, "one read per reminded hire: {routes:#?}");
    assert!(total <= 6 + notes_read + posted, "{routes:#?}");

    gitlab.clear_requests();
    status(&["--remind", "--yes"]).run();
    let (_, routes) = count(&gitlab);
    assert!(
        !routes.contains_key("POST projects/:id/issues/:id/notes"),
        "reminded already: {routes:#?}"
    );
    assert_eq!(routes["GET projects/:id/issues/:id/notes"], HIRES);
}

#[test]
fn status_without_an_offboarding_project_reads_no_leavers_and_looks_nothing_up_for_it() {
    use crate::support::fake_gitlab::{DEFAULT_PROJECT, DEFAULT_PROJECT_ID};
    use crate::support::fake_gitlab::{OFFBOARDING_PROJECT, ONBOARDING_PROJECT_ID};
    let gitlab = FakeGitlab::builder()
        .user(1, "root", "Administrator")
        .user(42, "mgr.jones", "Mary Jones")
        .token(DEFAULT_TOKEN, "root")
        .project(DEFAULT_PROJECT_ID, DEFAULT_PROJECT)
        .project(ONBOARDING_PROJECT_ID, ONBOARDING_PROJECT)
        .start();
    let home = Home::new();
    home.file("roster.csv", &roster(3));
    batch(&home, &gitlab, &["--file-access", "--file-onboarding"]).run();
    gitlab.clear_requests();
    let status = |who: &[&str]| {
        let out = Test::in_home(&home)
            .args(["status"])
            .args(who)
            .args([
                "--as-of",
                "2026-12-10",
                "--json",
                "--gitlab-url",
                &gitlab.url(),
            ])
            .env("GITLAB_TOKEN", DEFAULT_TOKEN)
            .any_stdout()
            .any_stderr()
            .run();
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()
    };
    let roster = status(&["roster.csv"]);
    let hires = roster["hires"].as_array().unwrap();
    assert_eq!(hires.len(), 3);
    assert!(hires
        .iter()
        .all(|h| h["offboarding"].is_null() && h["kind"] == "joiner"));
    let (total, routes) = count(&gitlab);
    assert_eq!(total, 6, "token, two projects, three listings: {routes:#?}");
    let offboarding_lookups = gitlab
        .requests()
        .iter()
        .filter(|r| r.path.contains(&OFFBOARDING_PROJECT.replace('/', "%2F")))
        .count();
    assert_eq!(offboarding_lookups, 1, "only its listing, which says 404");

    let one = status(&["--email", "hire0@example.com"]);
    assert_eq!(one["hires"][0]["kind"], "joiner");
}
