//! Journeys as people walk them, through the real binary, one process per
//! step: the manager who approves, the hire with nothing filed yet, People
//! Ops adding an owner team, and a link that fails once and is repaired.

use std::sync::Arc;

use serde_json::Value;

use super::onboarding::{
    ada, ada_status, fake, file_access, file_checklist, status, user_notes, with_gitlab,
};
use super::problems::broken_roles;
use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, ONBOARDING_PROJECT};
use crate::support::{Home, Test};

fn overdue_titles(run: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(run).unwrap();
    json["hires"][0]["onboarding"]["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"].as_str().unwrap().to_string())
        .collect()
}

/// `status` of Ada by her email, as her manager checks on her.
fn status_of_ada(gitlab: &FakeGitlab, home: &std::sync::Arc<Home>) -> Test {
    with_gitlab(
        Test::in_home(home).args([
            "status",
            "--as-of",
            "2026-12-10",
            "--email",
            "ada@example.com",
        ]),
        gitlab,
    )
}

#[test]
fn an_approved_request_completes_the_managers_approval_in_status_and_reminders() {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    let before = status_of_ada(&gitlab, &home)
        .args(["--json"])
        .any_stdout()
        .run();
    assert!(
        overdue_titles(&before.stdout)
            .iter()
            .any(|t| t.starts_with("Approve the access request")),
        "waiting for approval, the task is overdue"
    );
    // The manager approves in GitLab, without ticking the box.
    assert!(gitlab.set_labels(DEFAULT_PROJECT, 1, &["AR-Approval::Manager Approved"]));
    let after = status_of_ada(&gitlab, &home)
        .args(["--json"])
        .any_stdout()
        .run();
    assert!(
        !overdue_titles(&after.stdout)
            .iter()
            .any(|t| t.starts_with("Approve the access request")),
        "{}",
        after.stdout
    );
    let reminder = status_of_ada(&gitlab, &home)
        .args(["--remind", "--dry-run"])
        .any_stdout()
        .stderr_has("**Manager** @mgr.jones")
        .run();
    assert!(
        !reminder.stderr.contains("Approve the access request"),
        "{}",
        reminder.stderr
    );
}

#[test]
fn a_hire_with_nothing_filed_is_never_ready_for_day_one() {
    let gitlab = fake();
    let home = Home::new();
    let run = with_gitlab(
        Test::in_home(&home).args(["status", "--email", "nobody@example.com", "--json"]),
        &gitlab,
    )
    .any_stdout()
    .run();
    let hire = &serde_json::from_str::<Value>(&run.stdout).unwrap()["hires"][0];
    assert_eq!(hire["day1"], "unknown");
    assert_eq!(hire["ready_for_day1"], false);
    with_gitlab(
        Test::in_home(&home).args(["status", "--email", "nobody@example.com"]),
        &gitlab,
    )
    .stdout_has("(no onboarding issue)")
    .stdout_has(" unknown\n")
    .run();
    // Filed, with requests awaiting approval five weeks ahead: pending.
    file_access(&gitlab, &home);
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .run();
    let hire = &ada_status(&gitlab, &home, "2026-11-02");
    assert_eq!(hire["day1"], "pending");
    assert_eq!(hire["ready_for_day1"], false);
}

#[test]
fn people_ops_add_an_owner_team_whose_handle_the_reminder_mentions() {
    let gitlab = fake();
    let home = Home::new();
    broken_roles(&home, "tools.yaml", |text| {
        text.replacen(
            "owners:\n",
            "owners:\n  - id: facilities\n    name: Facilities\n    handle: \"@acme/workplace/facilities\"\n",
            1,
        )
    });
    let roles_file = home.work().join("roles/all-team-members.yaml");
    let text = std::fs::read_to_string(&roles_file).unwrap();
    let with_task = text.replacen(
        "tasks:\n",
        "tasks:\n  - title: Hand over the office badge\n    owner: facilitys\n    due: \"day 1\"\n",
        1,
    );
    std::fs::write(&roles_file, &with_task).unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr_has("unknown owner 'facilitys' (did you mean 'facilities'?)")
        .run();
    std::fs::write(&roles_file, with_task.replace("facilitys", "facilities")).unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .stdout_has("ok: ")
        .run();
    Test::in_home(&home)
        .args(["checklist", "--roles", "roles"])
        .args(ada("2026-12-07"))
        .stdout_has("Facilities")
        .stdout_has("Hand over the office badge")
        .run();
    with_gitlab(
        Test::in_home(&home).args(["checklist", "--roles", "roles", "--file", "--yes"]),
        &gitlab,
    )
    .args(ada("2026-12-07"))
    .stdout_has("created ")
    .run();
    status(&gitlab, &home)
        .args(["--roles", "roles", "--remind", "--yes"])
        .any_stdout()
        .stderr_has("reminded Ada Lovelace: ")
        .run();
    let notes = user_notes(&gitlab);
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].contains("**Facilities** @acme/workplace/facilities"),
        "{}",
        notes[0]
    );
    assert!(notes[0].contains("**IT** @gitlab-com/it/end-user-services"));
    assert!(notes[0]
        .contains("- Hand over the office badge, due Mon 2026-12-07 (3 business days late)"));
}

/// A fake GitLab and a home where one hire's access request is filed, and
/// that request's address.
fn one_request_filed() -> (FakeGitlab, Arc<Home>, String) {
    let gitlab = fake();
    let home = Home::new();
    file_access(&gitlab, &home);
    let request = gitlab.issues(DEFAULT_PROJECT)[0]["web_url"]
        .as_str()
        .unwrap()
        .to_string();
    (gitlab, home, request)
}

/// The onboarding issue's body as GitLab stored it.
fn onboarding_body(gitlab: &FakeGitlab) -> String {
    gitlab.issues(ONBOARDING_PROJECT)[0]["description"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_link_that_fails_is_reported_as_such_and_the_next_run_makes_it() {
    let (gitlab, home, request) = one_request_filed();
    // A server that keeps a new issue's `/relate` as text: links are made
    // one request each, and this one fails.
    gitlab.plain_creates(true);
    gitlab.fail_links(Some(502));
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .any_stderr()
        .stdout_has(&format!("warning: filed, not linked to {request}"))
        .run();
    assert!(gitlab.links(ONBOARDING_PROJECT, 1).is_empty());
    let body = onboarding_body(&gitlab);
    assert!(
        !body.contains("/relate"),
        "the command the server did not run is taken out: {body}"
    );
    gitlab.fail_links(None);
    file_checklist(&gitlab, &home, "2026-12-07")
        .any_stdout()
        .run();
    assert_eq!(gitlab.links(ONBOARDING_PROJECT, 1).len(), 1, "repaired");
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 1);
    gitlab.clear_requests();
    file_checklist(&gitlab, &home, "2026-12-07")
        .any_stdout()
        .run();
    let link_requests = gitlab
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/links"))
        .count();
    assert_eq!(link_requests, 0, "the journal knows the link is made");
}

#[test]
fn a_new_onboarding_issue_is_linked_by_the_request_that_creates_it() {
    let (gitlab, home, request) = one_request_filed();
    gitlab.clear_requests();
    file_checklist(&gitlab, &home, "2026-12-07")
        .stdout_has("created ")
        .any_stderr()
        .run();
    let links = gitlab.links(ONBOARDING_PROJECT, 1);
    assert_eq!(links.len(), 1, "linked to the request");
    assert_eq!(links[0]["web_url"].as_str(), Some(request.as_str()));
    let writes: Vec<String> = gitlab
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(writes.len(), 1, "one create and nothing else: {writes:?}");
    let body = onboarding_body(&gitlab);
    assert!(
        !body.contains("/relate"),
        "GitLab ran and dropped it: {body}"
    );
    assert!(body.contains(&request), "the body still names the request");
    gitlab.clear_requests();
    file_checklist(&gitlab, &home, "2026-12-07")
        .any_stdout()
        .run();
    assert!(
        gitlab
            .requests()
            .iter()
            .all(|r| !r.path.ends_with("/links")),
        "a re-run trusts the links the create made"
    );
}

#[test]
fn a_new_hire_runs_the_wizard_files_both_and_finds_herself_in_status() {
    use super::wizard_pty::{ada_up_to_the_review, answer_all, exit_code, wizard_env, REVIEW};
    let gitlab = fake();
    let home = Home::new();
    let url = gitlab.url();
    let mut session = wizard_env(
        &home,
        &["--gitlab-url", &url],
        &[("GITLAB_TOKEN", super::onboarding::SECRET)],
    );
    ada_up_to_the_review(&mut session, "", "2026-12-07", "mgr.jones");
    answer_all(
        &mut session,
        &[
            (REVIEW, ""),
            ("Save the checklist as", ""),
            ("File this access request in", "y"),
            ("can tick their part? [y/N]", "y"),
        ],
    );
    session.exp_string("Done.").unwrap();
    assert_eq!(
        exit_code(session),
        0,
        "the last step holds in the real binary"
    );
    let requests = gitlab.issues(DEFAULT_PROJECT);
    let onboarding = gitlab.issues(ONBOARDING_PROJECT);
    assert_eq!((requests.len(), onboarding.len()), (1, 1));
    let links = gitlab.links(ONBOARDING_PROJECT, 1);
    assert_eq!(links.len(), 1, "the onboarding issue links her request");
    assert_eq!(links[0]["web_url"], requests[0]["web_url"]);
    let hire = &ada_status(&gitlab, &home, "2026-12-03");
    assert_eq!(hire["name"], "Ada Lovelace");
    assert_eq!(hire["onboarding"]["state"], "open");
    assert_eq!(hire["access"][0]["state"], "awaiting-approval");
    assert_eq!(
        hire["day1"], "at-risk",
        "two business days before her start"
    );
}

#[test]
fn a_manager_files_a_starting_class_fixes_a_row_and_follows_it_to_day_one() {
    let gitlab = fake();
    let home = Home::new();
    // No username or buddy columns; Grace's start is Christmas Day.
    let roster = |grace_start: &str| {
        format!(
            "name,email,role,start_date,manager\n\
             Ada Lovelace,ada@example.com,strategic-account-leader,2026-12-07,mgr.jones\n\
             Grace Hopper,grace@example.com,strategic-account-leader,{grace_start},mgr.jones\n\
             Alan Turing,alan@example.com,sales-development-representative,2026-12-07,mgr.jones\n"
        )
    };
    home.file("roster.csv", &roster("2026-12-25"));
    let batch = || {
        with_gitlab(
            Test::in_home(&home).args([
                "batch",
                "roster.csv",
                "--out",
                "out",
                "--skip-invalid",
                "--file-access",
                "--file-onboarding",
                "--yes",
                "--jobs",
                "1",
            ]),
            &gitlab,
        )
        .any_stdout()
        .any_stderr()
    };
    let first = batch().status(5).run();
    assert!(
        first.stdout.contains(
            "roster.csv:3: start_date: start date 2026-12-25 is a holiday (Christmas Day)"
        ),
        "{}",
        first.stdout
    );
    assert_eq!(
        gitlab.issues(ONBOARDING_PROJECT).len(),
        2,
        "the good rows are filed"
    );
    let ada_before = std::fs::read_to_string(home.work().join("out/ada-lovelace.md")).unwrap();
    home.file("roster.csv", &roster("2026-12-28"));
    let second = batch().run();
    assert!(
        second.stdout.contains("grace-hopper.md"),
        "{}",
        second.stdout
    );
    assert!(
        !second.stdout.contains("updated: ada-lovelace.md"),
        "{}",
        second.stdout
    );
    assert_eq!(
        std::fs::read_to_string(home.work().join("out/ada-lovelace.md")).unwrap(),
        ada_before,
        "an unchanged checklist is left alone"
    );
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 3);
    follow_the_class_to_day_one(&home, &gitlab);
}

/// The manager's class after filing: Ada's request approved and her
/// laptop shipped, the class's status read as a table, JSON and a page,
/// and reminders posted once a day for the hires with overdue work.
fn follow_the_class_to_day_one(home: &Arc<Home>, gitlab: &FakeGitlab) {
    // Ada's manager approves and IT ships her laptop.
    assert!(gitlab.set_labels_as(
        DEFAULT_PROJECT,
        1,
        "mgr.jones",
        &["AR-Approval::Manager Approved"]
    ));
    assert!(gitlab.tick_task(ONBOARDING_PROJECT, 1, "Ship the laptop"));
    let status = |extra: &[&str]| {
        with_gitlab(
            Test::in_home(home).args(["status", "roster.csv", "--as-of", "2026-12-10"]),
            gitlab,
        )
        .args(extra)
        .any_stdout()
        .any_stderr()
    };
    let table = status(&[]).run();
    assert!(table.stdout.contains("Ada Lovelace"), "{}", table.stdout);
    assert!(table.stdout.contains(" late"), "{}", table.stdout);
    let json = status(&["--json"]).run();
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["hires"].as_array().unwrap().len(), 3);
    assert_eq!(report["hires"][0]["access"][0]["state"], "approved");
    status(&["--html", "status.html"]).run();
    assert!(home.work().join("status.html").is_file());
    status(&["--remind", "--yes"]).run();
    status(&["--remind", "--yes"]).run();
    // Ada and Alan started on the 7th and have overdue work; Grace starts
    // on the 28th and has none yet.
    for (iid, reminders) in [(1, 1), (2, 1), (3, 0)] {
        let notes = gitlab
            .notes(ONBOARDING_PROJECT, iid)
            .into_iter()
            .filter(|n| n["system"] == false)
            .map(|n| n["body"].as_str().unwrap().to_string())
            .collect::<Vec<_>>();
        assert_eq!(notes.len(), reminders, "one reminder a day: {notes:?}");
        if let Some(note) = notes.first() {
            assert!(
                note.contains("@gitlab-com/"),
                "a team by its handle: {note}"
            );
        }
    }
}
