//! The onboarding issue and `onboard status`: filing the checklist in
//! GitLab, keeping it up to date, reading progress back, reminding owners.

use std::fs;
use std::sync::Arc;

use serde_json::Value;

use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, ONBOARDING_PROJECT};
use crate::support::{copy_roles, foreign_quick_actions, Home, Test};

/// A token that must never be printed.
pub(super) const SECRET: &str = "glpat-ONBOARDING-0123456789";

pub(super) fn fake() -> FakeGitlab {
    FakeGitlab::default_builder().token(SECRET, "root").start()
}

/// Ada, a SAL starting Monday 2026-12-07, with her own username and a buddy.
pub(super) fn ada(start: &str) -> Vec<String> {
    [
        "--role",
        "strategic-account-leader",
        "--name",
        "Ada Lovelace",
        "--start",
        start,
        "--email",
        "ada@example.com",
        "--username",
        "ada.lovelace",
        "--manager",
        "mgr.jones",
        "--buddy",
        "sam.lee",
    ]
    .map(String::from)
    .to_vec()
}

pub(super) fn with_gitlab(test: Test, gitlab: &FakeGitlab) -> Test {
    test.args(["--gitlab-url", &gitlab.url()])
        .env("GITLAB_TOKEN", SECRET)
        .nowhere(SECRET)
}

/// What `status --email ada@example.com --as-of AS_OF --json` says of Ada.
pub(super) fn ada_status(gitlab: &FakeGitlab, home: &Arc<Home>, as_of: &str) -> Value {
    let run = with_gitlab(
        Test::in_home(home).args([
            "status",
            "--email",
            "ada@example.com",
            "--as-of",
            as_of,
            "--json",
        ]),
        gitlab,
    )
    .any_stdout()
    .run();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["hires"][0].clone()
}

/// `access file` for Ada.
pub(super) fn file_access(gitlab: &FakeGitlab, home: &Arc<Home>) {
    with_gitlab(
        Test::in_home(home).args(["access", "file", "--yes"]),
        gitlab,
    )
    .args(ada("2026-12-07"))
    .stdout_has("created ")
    .run();
}

/// `checklist --file` for Ada starting on `start`.
pub(super) fn file_checklist(gitlab: &FakeGitlab, home: &Arc<Home>, start: &str) -> Test {
    with_gitlab(
        Test::in_home(home).args(["checklist", "--file", "--yes"]),
        gitlab,
    )
    .args(ada(start))
}

#[test]
fn the_onboarding_issue_carries_the_checklists_bookmarks_and_no_command_line_text() {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    file_checklist(&gitlab, &home, "2026-12-07")
        .any_stdout()
        .run();
    let body = onboarding_issue(&gitlab)["description"]
        .as_str()
        .unwrap()
        .to_string();
    let checklist = Test::in_home(&home)
        .args(["checklist"])
        .args(ada("2026-12-07"))
        .any_stdout()
        .run()
        .stdout;
    let bookmarks: Vec<&str> = checklist
        .split("\n## Bookmarks\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- ["))
        .collect();
    assert!(bookmarks.len() >= 12, "{bookmarks:#?}");
    for bookmark in bookmarks {
        assert!(body.contains(bookmark), "{bookmark} in\n{body}");
    }
    for link in [
        "https://about.gitlab.com/handbook/marketing/revenue-marketing/account-based-strategy/#account-based-marketing-abm",
        "https://about.gitlab.com/handbook/sales/training/social-selling/",
        "https://gitlab.com/gitlab-com/team-member-epics/access-requests/-/issues/new?issuable_template=Individual_Bulk_Access_Request",
    ] {
        assert!(body.contains(link), "{link} in\n{body}");
    }
    for command_line in ["--with", "re-run", "roster"] {
        assert!(!body.contains(command_line), "{command_line} in\n{body}");
    }
    assert!(body.starts_with("# Onboarding: Ada Lovelace, Strategic Account Leader\n"));
    assert!(body.contains("\n## Day 1: Mon 2026-12-07\n"));
    assert!(body.contains("\n## Access requests\n"));
}

fn onboarding_issue(gitlab: &FakeGitlab) -> Value {
    let issues = gitlab.issues(ONBOARDING_PROJECT);
    assert_eq!(issues.len(), 1, "exactly one onboarding issue: {issues:?}");
    issues[0].clone()
}

#[test]
fn the_checklist_is_filed_as_an_onboarding_issue_every_owner_can_tick() {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    let url = format!("{}/{ONBOARDING_PROJECT}/-/issues/1", gitlab.url());
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout(&format!("created {url} (onboarding checklist)\n"))
        .run();
    let issue = onboarding_issue(&gitlab);
    assert_eq!(
        issue["title"],
        "Onboarding: Ada Lovelace, starting 2026-12-07, as Strategic Account Leader"
    );
    assert_eq!(issue["confidential"], true);
    assert_eq!(
        issue["due_date"], "2027-01-07",
        "start + 31 days, a Thursday"
    );
    assert_eq!(issue["labels"], serde_json::json!(["onboarding"]));
    let mut assignees: Vec<&str> = issue["assignees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assignees.sort_unstable();
    assert_eq!(
        assignees,
        ["ada.lovelace", "mgr.jones"],
        "the hire and the manager"
    );
    let body = issue["description"].as_str().unwrap();
    for heading in [
        "### New hire (@ada.lovelace)",
        "### Manager (@mgr.jones)",
        "### Buddy (@sam.lee)",
    ] {
        assert!(body.contains(heading), "{heading} in\n{body}");
    }
    let request = &gitlab.issues(DEFAULT_PROJECT)[0];
    assert!(
        body.contains(&format!(
            "- [Access request #1]({}): Clari, ",
            request["web_url"].as_str().unwrap()
        )),
        "{body}"
    );
    let tasks: Vec<&str> = body.lines().filter(|l| l.starts_with("- [ ] ")).collect();
    assert!(tasks.len() > 50, "{}", tasks.len());
    assert!(
        tasks
            .iter()
            .all(|t| t.contains(" · due ") && t.contains("<!-- onboard-task id:")),
        "every task carries its due date and id"
    );
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );
    assert_eq!(
        gitlab.links(ONBOARDING_PROJECT, 1).len(),
        1,
        "linked to the request"
    );
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout(&format!("exists  {url} (onboarding checklist)\n"))
        .run();
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 1);
}

#[test]
fn a_changed_catalogue_updates_the_open_issue_and_keeps_every_ticked_box() {
    let gitlab = fake();
    let home = Home::new();
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    assert!(gitlab.tick_task(ONBOARDING_PROJECT, 1, "Hold a welcome call"));
    assert!(gitlab.tick_task(ONBOARDING_PROJECT, 1, "Sign in to Slack"));
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let path = roles.join("strategic-account-leader.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("{yaml}  - title: Shadow a renewal call with a senior SAL\n    owner: new-hire\n    due: week 2\n"),
    )
    .unwrap();
    file_checklist(&gitlab, &home, "2026-12-07")
        .args(["--roles", roles.to_str().unwrap()])
        .stdout_has("exists ")
        .stdout_has(
            "updated #1: 1 tasks added; due date and body brought up to date, ticked boxes kept",
        )
        .run();
    let body = onboarding_issue(&gitlab)["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.contains("- [ ] Shadow a renewal call with a senior SAL · due "),
        "{body}"
    );
    assert!(body.contains("- [x] Hold a welcome call"), "{body}");
    assert!(body.contains("- [x] Sign in to Slack"), "{body}");
}

#[test]
fn a_moved_start_date_updates_the_issue_instead_of_filing_another() {
    let gitlab = fake();
    let home = Home::new();
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    assert!(gitlab.tick_task(ONBOARDING_PROJECT, 1, "Hold a welcome call"));
    file_checklist(&gitlab, &home, "2026-12-14")
        .stdout_has("updated #1: the start date moved from 2026-12-07 to 2026-12-14")
        .run();
    let issue = onboarding_issue(&gitlab);
    assert_eq!(issue["due_date"], "2027-01-14");
    let body = issue["description"].as_str().unwrap();
    assert!(body.contains("| **Day 1** | Mon 2026-12-14 |"), "{body}");
    assert!(
        body.contains("- [x] Hold a welcome call"),
        "ticks survive a move: {body}"
    );
}

/// Ada with her requests and onboarding issue filed, some boxes ticked, one
/// request approved and another closed.
pub(super) fn ada_underway() -> (FakeGitlab, Arc<Home>) {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    with_gitlab(
        Test::in_home(&home).args(["access", "file", "--yes", "--with", "datafox"]),
        &gitlab,
    )
    .args(ada("2026-12-07"))
    .stdout_has("created ")
    .run();
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    for task in [
        "Hold a welcome call",
        "Sign in to Slack",
        "Approve the access request",
    ] {
        assert!(gitlab.tick_task(ONBOARDING_PROJECT, 1, task), "{task}");
    }
    assert!(gitlab.set_labels(DEFAULT_PROJECT, 1, &["AR-Approval::Manager Approved"]));
    assert!(gitlab.close_issue(DEFAULT_PROJECT, 2));
    (gitlab, home)
}

pub(super) fn status(gitlab: &FakeGitlab, home: &Arc<Home>) -> Test {
    with_gitlab(
        Test::in_home(home).args(["status", "--as-of", "2026-12-10"]),
        gitlab,
    )
    .args([
        "--role",
        "strategic-account-leader",
        "--name",
        "Ada Lovelace",
    ])
    .args([
        "--start",
        "2026-12-07",
        "--email",
        "ada@example.com",
        "--with",
        "datafox",
    ])
}

#[test]
fn status_reads_progress_overdue_work_and_request_states_back() {
    let (gitlab, home) = ada_underway();
    let run = status(&gitlab, &home).args(["--json"]).any_stdout().run();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["as_of"], "2026-12-10");
    let hire = &json["hires"][0];
    assert_eq!(hire["name"], "Ada Lovelace");
    assert_eq!(hire["email"], "ada@example.com");
    assert_eq!(hire["role"], "strategic-account-leader");
    assert_eq!(hire["start"], "2026-12-07");
    let onboarding = &hire["onboarding"];
    assert_eq!(
        onboarding["url"],
        format!("{}/{ONBOARDING_PROJECT}/-/issues/1", gitlab.url())
    );
    assert_eq!(onboarding["state"], "open");
    assert_eq!(onboarding["tasks_done"], 3);
    assert!(onboarding["tasks_total"].as_u64().unwrap() > 50);
    let overdue = onboarding["overdue"].as_array().unwrap();
    assert!(!overdue.is_empty());
    for task in overdue {
        assert!(task["due"].as_str().unwrap() < "2026-12-10", "{task}");
        assert!(task["owner"].is_string() && task["task"].is_string());
    }
    assert!(
        !overdue.iter().any(|t| t["task"]
            .as_str()
            .unwrap()
            .starts_with("Hold a welcome call")),
        "a ticked task is not overdue"
    );
    assert_eq!(onboarding["next"].as_array().unwrap().len(), 3);
    let states: Vec<(&str, &str)> = hire["access"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["state"].as_str().unwrap(),
                a["systems"][0].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("approved", "Clari"), ("done", "Datafox")]);
    assert_eq!(
        hire["day1"], "late",
        "day 1 has passed, one request is not done"
    );
    assert_eq!(hire["ready_for_day1"], false);
    status(&gitlab, &home)
        .stdout_has("Onboarding status as of Thu 2026-12-10")
        .stdout_has("Ada Lovelace               2026-12-07 [")
        .stdout_has(" 1/2 done     late")
        .stdout_has("Overdue work by owner")
        .stdout_has("New hire ")
        .run();
}

#[test]
fn status_finds_a_hire_by_email_alone_and_marks_missing_requests() {
    let gitlab = fake();
    let home = Home::new();
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    let hire = &ada_status(&gitlab, &home, "2026-12-01");
    assert_eq!(hire["name"], "Ada Lovelace", "from the issue");
    assert_eq!(hire["start"], "2026-12-07", "from its marker");
    let access = hire["access"].as_array().unwrap();
    assert_eq!(access.len(), 1);
    assert_eq!(access[0]["state"], "missing");
    assert!(access[0]["url"].is_null());
    assert_eq!(hire["day1"], "pending", "a week ahead there is still time");
    assert_eq!(
        hire["ready_for_day1"], false,
        "but a missing request is not ready"
    );
}

#[test]
fn remind_posts_one_note_per_hire_per_day() {
    let (gitlab, home) = ada_underway();
    status(&gitlab, &home)
        .args(["--remind", "--dry-run"])
        .any_stdout()
        .stderr_has("Would post on ")
        .stderr_has("**Manager** @mgr.jones")
        .run();
    assert!(user_notes(&gitlab).is_empty(), "a dry run posts nothing");
    status(&gitlab, &home)
        .args(["--remind", "--yes"])
        .any_stdout()
        .stderr_has("reminded Ada Lovelace: ")
        .run();
    status(&gitlab, &home)
        .args(["--remind", "--yes"])
        .any_stdout()
        .stderr_has("already reminded today: ")
        .run();
    let notes = user_notes(&gitlab);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("<!-- onboard-reminder date: 2026-12-10 -->"));
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );
    with_gitlab(
        Test::in_home(&home).args(["status", "--as-of", "2026-12-11"]),
        &gitlab,
    )
    .args(["--email", "ada@example.com", "--remind", "--yes"])
    .any_stdout()
    .stderr_has("reminded Ada Lovelace: ")
    .run();
    assert_eq!(user_notes(&gitlab).len(), 2, "the next day gets its own");
}

pub(super) fn user_notes(gitlab: &FakeGitlab) -> Vec<String> {
    gitlab
        .notes(ONBOARDING_PROJECT, 1)
        .iter()
        .filter(|n| n["system"] == false)
        .map(|n| n["body"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fail_on_overdue_exits_6() {
    let (gitlab, home) = ada_underway();
    status(&gitlab, &home)
        .args(["--fail-on-overdue"])
        .status(6)
        .any_stdout()
        .stderr("error: 1 hire has overdue onboarding work or open duplicate issues (--fail-on-overdue)\n")
        .run();
    with_gitlab(
        Test::in_home(&home).args(["status", "--as-of", "2026-11-01"]),
        &gitlab,
    )
    .args(["--email", "ada@example.com", "--fail-on-overdue"])
    .any_stdout()
    .run();
}

#[test]
fn batch_files_every_hire_onboarding_issue_linked_to_their_requests() {
    let gitlab = fake();
    let home = Home::new();
    home.file(
        "roster.csv",
        "name,email,username,role,start_date,manager,buddy\nAda Lovelace,ada@example.com,ada.lovelace,strategic-account-leader,2026-12-07,mgr.jones,sam.lee\nGrace Hopper,grace@example.com,,sales-development-representative,2026-12-08,mgr.jones,\n",
    );
    with_gitlab(
        Test::in_home(&home).args([
            "batch",
            "roster.csv",
            "--out",
            "out",
            "--file-access",
            "--file-onboarding",
            "--yes",
        ]),
        &gitlab,
    )
    .stdout_has("Onboarding  2 created, 0 already filed")
    .any_stderr()
    .run();
    let onboarding = gitlab.issues(ONBOARDING_PROJECT);
    assert_eq!(onboarding.len(), 2);
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(home.work().join("out/summary.json")).unwrap())
            .unwrap();
    for entry in summary["entries"].as_array().unwrap() {
        assert_eq!(entry["onboarding"]["status"], "filed", "{entry}");
    }
    let ada = onboarding
        .iter()
        .find(|i| i["title"].as_str().unwrap().contains("Ada"))
        .unwrap();
    let requests = gitlab.issues(DEFAULT_PROJECT);
    let ada_request = requests
        .iter()
        .find(|i| i["title"].as_str().unwrap().starts_with("Ada Lovelace, "))
        .unwrap();
    assert!(ada["description"]
        .as_str()
        .unwrap()
        .contains(ada_request["web_url"].as_str().unwrap()));
}

#[test]
#[ignore = "needs Chromium"]
fn the_status_page_shows_every_hire_in_a_real_browser_and_loads_nothing() {
    let (gitlab, home) = ada_underway();
    status(&gitlab, &home)
        .args(["--html", "status.html"])
        .any_stdout()
        .stderr_has("Wrote the status page to status.html")
        .run();
    let page = home.work().join("status.html");
    let html = fs::read_to_string(&page).unwrap();
    for external in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "the page loads {external}");
    }
    let dom = crate::support::browser::dump_dom(&page);
    for text in [
        "Ada Lovelace",
        "3 of ",
        "tasks done",
        " overdue",
        "Overdue, by owner",
        "Manager",
        "day 1: late",
        "approved",
        "done",
    ] {
        assert!(dom.contains(text), "{text:?} is not on the rendered page");
    }
    assert!(dom.contains("role=\"progressbar\""), "a progress bar");
    assert!(dom.contains("class=\"timeline\""), "the first month");
}
