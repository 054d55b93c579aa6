//! Movers and leavers: `transfer` and `offboard` through the binary against
//! the fake GitLab, after a joiner was filed the usual way.

use std::sync::Arc;

use serde_json::Value;

use super::onboarding::{ada, fake, with_gitlab};
use crate::support::fake_gitlab::{
    FakeGitlab, NewIssue, DEFAULT_PROJECT, OFFBOARDING_PROJECT, ONBOARDING_PROJECT,
};
use crate::support::{copy_roles, file_roster, foreign_quick_actions, Home, Test};

/// Ada, joining as a Sales Development Representative on 2026-12-07.
fn ada_sdr() -> Vec<String> {
    ada("2026-12-07")
        .into_iter()
        .map(|a| {
            if a == "strategic-account-leader" {
                "sales-development-representative".to_string()
            } else {
                a
            }
        })
        .collect()
}

/// Ada joins: her access request and her onboarding issue.
pub(super) fn join(gitlab: &FakeGitlab, home: &Arc<Home>) {
    for command in [
        &["access", "file", "--yes"][..],
        &["checklist", "--file", "--yes"],
    ] {
        with_gitlab(Test::in_home(home).args(command), gitlab)
            .args(ada_sdr())
            .stdout_has("created ")
            .run();
    }
}

/// `transfer` of Ada to Strategic Account Leader, effective `effective`.
pub(super) fn transfer(gitlab: &FakeGitlab, home: &Arc<Home>, effective: &str) -> Test {
    with_gitlab(
        Test::in_home(home).args([
            "transfer",
            "--yes",
            "--email",
            "ada@example.com",
            "--to",
            "strategic-account-leader",
            "--effective",
            effective,
            "--username",
            "ada.lovelace",
            "--manager",
            "mgr.jones",
        ]),
        gitlab,
    )
}

/// `offboard` of Ada, last day `last_day`.
pub(super) fn offboard(gitlab: &FakeGitlab, home: &Arc<Home>, last_day: &str) -> Test {
    with_gitlab(
        Test::in_home(home).args([
            "offboard",
            "--yes",
            "--email",
            "ada@example.com",
            "--last-day",
            last_day,
        ]),
        gitlab,
    )
}

/// The tool ids in an issue's hidden marker.
fn marker_systems(issue: &Value) -> Vec<String> {
    let body = issue["description"].as_str().unwrap();
    let line = body
        .lines()
        .rev()
        .find(|l| l.starts_with("<!-- onboard-"))
        .unwrap();
    line.split_whitespace()
        .skip_while(|w| *w != "systems:")
        .nth(1)
        .unwrap()
        .split(',')
        .map(String::from)
        .collect()
}

/// The sorted tool ids of an issue's marker.
fn sorted_systems(issue: &Value) -> Vec<String> {
    let mut systems = marker_systems(issue);
    systems.sort();
    systems
}

fn usernames(issue: &Value, field: &str) -> Vec<String> {
    let mut names: Vec<String> = issue[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_joiner_who_transfers_gets_requests_only_for_added_systems_and_one_removal_for_dropped_ones() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    transfer(&gitlab, &home, "2027-03-01")
        .stdout_has("added:   Clari, ")
        .stdout_has("kept:    ")
        .stdout_has("removed: DemandBase (own seat), Conversica\n")
        .stdout_has("created ")
        .run();
    let requests = gitlab.issues(DEFAULT_PROJECT);
    assert_eq!(
        requests.len(),
        3,
        "the joiner's request, the new one, the removal"
    );
    assert_eq!(
        sorted_systems(&requests[1]),
        [
            "clari",
            "customersdot-admin",
            "licensedot",
            "lucidchart",
            "salesforce-inbox"
        ],
        "Outreach.io, held since joining, is not asked for again"
    );
    let removal = &requests[2];
    assert_eq!(
        removal["title"],
        "Access removal: Ada Lovelace, DemandBase (own seat), Conversica"
    );
    assert_eq!(sorted_systems(removal), ["conversica", "demandbase-seat"]);
    assert_eq!(removal["confidential"], true);
    assert_eq!(removal["labels"], serde_json::json!(["AccessRemoval"]));
    assert_eq!(removal["due_date"], "2027-03-08", "5 business days after");
    let body = removal["description"].as_str().unwrap();
    assert_eq!(body.matches("- [ ] Access removed").count(), 2, "{body}");
    assert_eq!(body.matches("- [ ] Not applicable").count(), 2, "{body}");
    assert!(
        body.contains("from Sales Development Representative to Strategic Account Leader"),
        "{body}"
    );

    let issues = gitlab.issues(ONBOARDING_PROJECT);
    assert_eq!(
        issues.len(),
        2,
        "the onboarding issue and the career-mobility issue"
    );
    let mobility = &issues[1];
    assert_eq!(
        mobility["title"],
        "Career mobility: Ada Lovelace, from Sales Development Representative to Strategic Account Leader, effective 2027-03-01"
    );
    assert_eq!(mobility["confidential"], true);
    assert_eq!(
        usernames(mobility, "assignees"),
        ["ada.lovelace", "mgr.jones"]
    );
    let body = mobility["description"].as_str().unwrap();
    assert!(
        !body.contains("## Before start"),
        "no account set-up: {body}"
    );
    assert!(
        !body.contains("### IT"),
        "only the person, manager and buddy: {body}"
    );
    assert!(body.contains("- [ ] "), "{body}");
    assert_eq!(
        gitlab.links(ONBOARDING_PROJECT, 2).len(),
        2,
        "linked to the request and the removal"
    );
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );

    let again = transfer(&gitlab, &home, "2027-03-01").any_stdout().run();
    assert!(!again.stdout.contains("created "), "{}", again.stdout);
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        3,
        "a re-run files nothing"
    );
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 2);
    assert_eq!(gitlab.links(ONBOARDING_PROJECT, 2).len(), 2);
}

#[test]
fn a_moved_effective_day_moves_the_removal_and_mobility_dates_and_keeps_ticks() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    transfer(&gitlab, &home, "2027-03-01")
        .stdout_has("created ")
        .run();
    assert!(gitlab.tick_task(
        DEFAULT_PROJECT,
        3,
        "Access removed <!-- onboard-system tool:conversica"
    ));
    transfer(&gitlab, &home, "2027-03-08")
        .stdout_has("updated #3: the effective day moved from 2027-03-01 to 2027-03-08")
        .run();
    let removal = gitlab.issue(DEFAULT_PROJECT, 3).unwrap();
    assert_eq!(removal["due_date"], "2027-03-15");
    let body = removal["description"].as_str().unwrap();
    assert!(
        body.contains("- [x] Access removed <!-- onboard-system tool:conversica -->"),
        "{body}"
    );
    let mobility = gitlab.issue(ONBOARDING_PROJECT, 2).unwrap();
    assert!(mobility["title"]
        .as_str()
        .unwrap()
        .ends_with("effective 2027-03-08"));
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 3);
    let mobility = &gitlab.issues(ONBOARDING_PROJECT)[1];
    assert_eq!(
        usernames(mobility, "assignees"),
        ["ada.lovelace", "mgr.jones"],
        "username and manager read from what she joined with"
    );
}

#[test]
fn a_transfer_dry_run_shows_added_kept_and_removed_systems_and_sends_no_write() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    let out = transfer(&gitlab, &home, "2027-03-01")
        .args(["--dry-run", "--json"])
        .any_stdout()
        .run();
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let ids = |field: &str| -> Vec<String> {
        json[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("removed"), ["demandbase-seat", "conversica"]);
    assert!(ids("kept").contains(&"outreach".to_string()));
    assert!(ids("added").contains(&"clari".to_string()));
    let actions: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["what"].as_str().unwrap(), i["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("access request", "exists"),
            ("access request", "would create"),
            ("access removal issue", "would create"),
            ("career-mobility issue", "would create"),
        ]
    );
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1, "nothing sent");
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 1);
}

#[test]
fn a_transfer_without_a_known_old_role_asks_for_from() {
    let gitlab = fake();
    let home = Home::new();
    transfer(&gitlab, &home, "2027-03-01")
        .status(3)
        .stderr_has("pass --from ROLE")
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

/// A request someone filed for Ada outside her role (Zendesk), done and closed.
fn grant_outside_the_role(gitlab: &FakeGitlab) {
    let joined = &gitlab.issues(DEFAULT_PROJECT)[0];
    let key = joined["description"]
        .as_str()
        .unwrap()
        .split("key: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Ada Lovelace, Zendesk")
            .description(format!(
                "Zendesk for Ada\n\n<!-- onboard-request key: {key} systems: zendesk start: 2026-12-07 -->\n"
            ))
            .author("root")
            .closed(true),
    );
}

#[test]
fn offboarding_lists_every_system_held_including_one_granted_outside_the_role_and_closes_pending_work(
) {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    grant_outside_the_role(&gitlab);
    let url = format!("{}/{OFFBOARDING_PROJECT}/-/issues/1", gitlab.url());
    offboard(&gitlab, &home, "2027-06-30")
        .stdout_has(&format!("created {url} (offboarding issue)"))
        .stdout_has("closed ")
        .run();
    let issues = gitlab.issues(OFFBOARDING_PROJECT);
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(
        issue["title"],
        "Offboarding: Ada Lovelace, last day 2027-06-30"
    );
    assert_eq!(issue["confidential"], true);
    assert_eq!(
        issue["due_date"], "2027-07-08",
        "5 business days after the last day"
    );
    assert_eq!(usernames(issue, "assignees"), ["mgr.jones"]);
    let body = issue["description"].as_str().unwrap();
    for tool in ["okta", "slack", "outreach", "conversica", "zendesk"] {
        assert!(
            body.contains(&format!(
                "- [ ] Access removed <!-- onboard-system tool:{tool} -->"
            )),
            "{tool} in {body}"
        );
    }
    let request = gitlab.issue(DEFAULT_PROJECT, 1).unwrap();
    assert_eq!(request["state"], "closed", "the pending request is closed");
    let notes = gitlab.notes(DEFAULT_PROJECT, 1);
    assert!(
        notes.iter().any(|n| n["body"]
            .as_str()
            .is_some_and(|b| b.contains("last day is 2027-06-30") && b.contains(&url))),
        "{notes:?}"
    );
    assert!(
        gitlab.notes(DEFAULT_PROJECT, 2).is_empty(),
        "a done request is left alone"
    );
    assert_eq!(
        gitlab.issue(ONBOARDING_PROJECT, 1).unwrap()["state"],
        "closed"
    );
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );

    let again = offboard(&gitlab, &home, "2027-06-30").any_stdout().run();
    assert!(
        !again.stdout.contains("created ") && !again.stdout.contains("closed "),
        "{}",
        again.stdout
    );
    assert_eq!(gitlab.issues(OFFBOARDING_PROJECT).len(), 1);
    assert_eq!(
        gitlab.notes(DEFAULT_PROJECT, 1).len(),
        notes.len(),
        "no second note"
    );
    // A run that stopped between its note and its close: the re-run closes
    // without saying it twice.
    assert!(gitlab.reopen_issue(DEFAULT_PROJECT, 1));
    offboard(&gitlab, &home, "2027-06-30")
        .stdout_has("closed ")
        .run();
    assert_eq!(gitlab.issue(DEFAULT_PROJECT, 1).unwrap()["state"], "closed");
    let closing = gitlab
        .notes(DEFAULT_PROJECT, 1)
        .iter()
        .filter(|n| {
            n["body"]
                .as_str()
                .is_some_and(|b| b.starts_with("Closed by onboard"))
        })
        .count();
    assert_eq!(closing, 1, "still one note");
}

#[test]
fn a_changed_last_day_updates_the_offboarding_issue_and_keeps_ticks() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    offboard(&gitlab, &home, "2027-06-30")
        .stdout_has("created ")
        .run();
    assert!(gitlab.tick_task(
        OFFBOARDING_PROJECT,
        1,
        "Access removed <!-- onboard-system tool:slack"
    ));
    offboard(&gitlab, &home, "2027-07-02")
        .stdout_has("updated #1: the last day moved from 2027-06-30 to 2027-07-02")
        .run();
    let issues = gitlab.issues(OFFBOARDING_PROJECT);
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0]["due_date"], "2027-07-12",
        "after the 5th of July holiday"
    );
    assert_eq!(
        issues[0]["title"],
        "Offboarding: Ada Lovelace, last day 2027-07-02"
    );
    let body = issues[0]["description"].as_str().unwrap();
    assert!(
        body.contains("- [x] Access removed <!-- onboard-system tool:slack -->"),
        "{body}"
    );
}

#[test]
fn a_contractors_access_states_its_end_and_is_never_longer_than_two_years() {
    let gitlab = fake();
    let home = Home::new();
    let file = |until: &str| {
        with_gitlab(
            Test::in_home(&home).args(["access", "file", "--yes"]),
            &gitlab,
        )
        .args(ada("2026-12-07"))
        .args(["--access-until", until])
    };
    file("2028-12-07")
        .status(2)
        .stderr_has("error: access-until: 2028-12-07 is 731 days after the start; access may last at most 730 days")
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty(), "nothing filed");
    file("2027-06-30").stdout_has("created ").run();
    let body = gitlab.issues(DEFAULT_PROJECT)[0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.contains("| **Access until** | Wed 2027-06-30 ("),
        "{body}"
    );
    assert!(
        body.contains("Access until: Wed 2027-06-30\n"),
        "per system: {body}"
    );
    assert!(
        body.contains(" until: 2027-06-30 -->"),
        "in the marker: {body}"
    );
}

/// `status --email ada@example.com --json` as of `as_of`.
fn status_json(gitlab: &FakeGitlab, home: &Arc<Home>, as_of: &str) -> Value {
    let out = with_gitlab(
        Test::in_home(home).args([
            "status",
            "--email",
            "ada@example.com",
            "--json",
            "--as-of",
            as_of,
        ]),
        gitlab,
    )
    .any_stdout()
    .any_stderr()
    .run();
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    report["hires"][0].clone()
}

#[test]
fn status_shows_a_movers_removal_then_a_leavers_offboarding_and_fails_when_it_is_late() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    assert_eq!(status_json(&gitlab, &home, "2026-12-10")["kind"], "joiner");
    transfer(&gitlab, &home, "2027-03-01")
        .stdout_has("created ")
        .run();
    assert!(gitlab.tick_task(
        DEFAULT_PROJECT,
        3,
        "Not applicable <!-- onboard-system tool:conversica"
    ));
    let mover = status_json(&gitlab, &home, "2027-03-02");
    assert_eq!(mover["kind"], "mover");
    assert_eq!(mover["offboarding"], Value::Null);
    let removal = &mover["removal"];
    assert_eq!(removal["systems_done"], 1);
    assert_eq!(removal["systems_total"], 2);
    assert_eq!(removal["overdue"], false);
    assert!(removal["url"]
        .as_str()
        .unwrap()
        .ends_with("/access-requests/-/issues/3"));

    offboard(&gitlab, &home, "2027-06-30")
        .stdout_has("created ")
        .run();
    let leaver = status_json(&gitlab, &home, "2027-07-09");
    assert_eq!(leaver["kind"], "leaver");
    let offboarding = &leaver["offboarding"];
    assert_eq!(offboarding["systems_done"], 0);
    assert!(offboarding["systems_total"].as_u64().unwrap() > 10);
    assert_eq!(offboarding["overdue"], true, "due 2027-07-08");
    with_gitlab(
        Test::in_home(&home).args([
            "status",
            "--email",
            "ada@example.com",
            "--as-of",
            "2027-07-09",
            "--fail-on-overdue",
        ]),
        &gitlab,
    )
    .args(["--html", "page.html"])
    .status(6)
    .stdout_has("Leavers (offboarding):")
    .stdout_has(" systems removed, overdue (")
    .any_stderr()
    .run();
    let page = std::fs::read_to_string(home.work().join("page.html")).unwrap();
    assert!(page.contains("<h2>Leavers</h2>"), "a section of its own");
    assert!(
        !page.contains("<h2>Movers</h2>"),
        "a leaver who moved before is listed once, as a leaver"
    );
}

#[test]
fn a_contractors_access_shows_as_ending_and_its_deprovisioners_are_reminded_once_each() {
    let gitlab = fake();
    let home = Home::new();
    with_gitlab(
        Test::in_home(&home).args(["access", "file", "--yes"]),
        &gitlab,
    )
    .args(ada("2026-12-07"))
    .args(["--access-until", "2027-06-30"])
    .stdout_has("created ")
    .run();
    let access = &status_json(&gitlab, &home, "2027-06-20")["access"][0];
    assert_eq!(access["until"], "2027-06-30");
    assert_eq!(
        access["expiry"],
        serde_json::json!({"state": "soon", "days": 10})
    );
    let remind = |as_of: &str| {
        with_gitlab(
            Test::in_home(&home).args([
                "status",
                "--email",
                "ada@example.com",
                "--remind",
                "--yes",
                "--as-of",
                as_of,
            ]),
            &gitlab,
        )
        .any_stdout()
        .any_stderr()
        .run()
    };
    let reminders = || {
        gitlab
            .notes(DEFAULT_PROJECT, 1)
            .into_iter()
            .filter(|n| {
                n["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("onboard-expiry-reminder"))
            })
            .count()
    };
    remind("2027-06-22");
    assert_eq!(reminders(), 0, "more than a week ahead");
    let out = remind("2027-06-23");
    assert!(out.stdout.contains("expires in 7 days"), "{}", out.stdout);
    assert_eq!(reminders(), 1);
    remind("2027-06-24");
    assert_eq!(reminders(), 1, "the week-before reminder is posted once");
    remind("2027-06-30");
    remind("2027-07-01");
    assert_eq!(reminders(), 2, "and the one on the day once");
    let notes = gitlab.notes(DEFAULT_PROJECT, 1);
    assert!(
        notes.iter().any(|n| n["body"].as_str().is_some_and(|b| b
            .starts_with("Sales Systems, IT Ops, ")
            && b.contains("ended on 2027-06-30"))),
        "{notes:?}"
    );
    let fail = || {
        with_gitlab(
            Test::in_home(&home).args([
                "status",
                "--email",
                "ada@example.com",
                "--as-of",
                "2027-07-01",
                "--fail-on-overdue",
            ]),
            &gitlab,
        )
        .any_stdout()
        .any_stderr()
    };
    fail().status(6).stdout_has("expired (2027-06-30)").run();
    assert!(gitlab.tick_task(DEFAULT_PROJECT, 1, "<!-- onboard-expiry -->"));
    fail().status(0).run();
    assert!(
        foreign_quick_actions(&gitlab).is_empty(),
        "{:?}",
        foreign_quick_actions(&gitlab)
    );
}

#[test]
fn a_roster_column_gives_each_contractor_an_end_and_a_row_past_the_limit_is_refused() {
    let gitlab = fake();
    let home = Home::new();
    let header = "name,email,username,role,start_date,manager,buddy,access_until\n";
    home.file(
        "roster.csv",
        &format!("{header}Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,,2029-01-04\n"),
    );
    file_roster(&home, &gitlab.url(), super::onboarding::SECRET)
        .status(3)
        .stderr_has("roster.csv:2: access_until: 2029-01-04 is 759 days after the start")
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty(), "nothing filed");
    home.file(
        "roster.csv",
        &format!("{header}Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,,2027-06-30\n"),
    );
    file_roster(&home, &gitlab.url(), super::onboarding::SECRET)
        .any_stdout()
        .any_stderr()
        .run();
    let body = gitlab.issues(DEFAULT_PROJECT)[0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains(" until: 2027-06-30 -->"), "{body}");
}

#[test]
fn a_deprovisioner_is_a_provisioner_or_an_owner_team_and_validate_checks_it() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let tools = roles.join("tools.yaml");
    let yaml = std::fs::read_to_string(&tools).unwrap();
    let conversica = "  - id: conversica\n    name: Conversica\n";
    assert!(yaml.contains(conversica));
    std::fs::write(
        &tools,
        yaml.replacen(
            conversica,
            &format!("{conversica}    deprovisioner: sales-sytems\n"),
            1,
        ),
    )
    .unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr_has("unknown deprovisioner 'sales-sytems': name a provisioner or an owner team (did you mean 'sales-systems'?)")
        .run();
    std::fs::write(
        &tools,
        yaml.replacen(
            conversica,
            &format!("{conversica}    deprovisioner: it\n"),
            1,
        ),
    )
    .unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .any_stdout()
        .run();
    let gitlab = fake();
    join(&gitlab, &home);
    offboard(&gitlab, &home, "2027-06-30")
        .args(["--roles", "roles"])
        .stdout_has("created ")
        .run();
    let body = gitlab.issues(OFFBOARDING_PROJECT)[0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    let it = body
        .split("### IT (@gitlab-com/it/end-user-services)")
        .nth(1)
        .unwrap_or_else(|| panic!("an IT section with its handle: {body}"));
    let it = it.split("\n### ").next().unwrap();
    assert!(it.contains("tool:conversica"), "{it}");
}

#[test]
fn a_roster_of_leavers_is_checked_whole_before_anything_is_filed_then_each_is_offboarded() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    let offboard_roster = || {
        with_gitlab(
            Test::in_home(&home).args(["offboard", "leavers.csv", "--yes"]),
            &gitlab,
        )
    };
    home.file(
        "leavers.csv",
        "email,last_day,name\nada@example.com,2027-06-30,\ngrace@example.com,2027-02-30,Grace Hopper\n",
    );
    offboard_roster()
        .status(3)
        .stderr_has("leavers.csv:3: last_day: ")
        .run();
    assert!(
        gitlab.issues(OFFBOARDING_PROJECT).is_empty(),
        "nothing filed"
    );
    home.file(
        "leavers.csv",
        "email,last_day,name\nada@example.com,2027-06-30,\ngrace@example.com,2027-07-30,Grace Hopper\n",
    );
    let out = offboard_roster().args(["--json"]).any_stdout().run();
    let outcomes: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(outcomes.as_array().unwrap().len(), 2, "{outcomes}");
    let titles: Vec<String> = gitlab
        .issues(OFFBOARDING_PROJECT)
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "Offboarding: Ada Lovelace, last day 2027-06-30",
            "Offboarding: Grace Hopper, last day 2027-07-30"
        ]
    );
}

#[test]
fn a_yaml_roster_of_movers_files_each_move() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    home.file(
        "movers.yaml",
        "- email: ada@example.com\n  to: strategic-account-leader\n  effective: \"2027-03-01\"\n",
    );
    with_gitlab(
        Test::in_home(&home).args(["transfer", "movers.yaml", "--yes"]),
        &gitlab,
    )
    .stdout_has("removed: DemandBase (own seat), Conversica\n")
    .run();
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 3);
    let mobility = &gitlab.issues(ONBOARDING_PROJECT)[1];
    assert_eq!(
        usernames(mobility, "assignees"),
        ["ada.lovelace", "mgr.jones"],
        "username and manager read from what she joined with"
    );
}
