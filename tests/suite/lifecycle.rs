//! Movers and leavers: `transfer` and `offboard` through the binary against
//! the fake GitLab, after a joiner was filed the usual way.

use std::sync::Arc;

use serde_json::Value;

use super::onboarding::{fake, file_checklist, with_gitlab};
use crate::support::fake_gitlab::{
    FakeGitlab, DEFAULT_PROJECT, OFFBOARDING_PROJECT, ONBOARDING_PROJECT,
};
use crate::support::{Home, Test};

/// Ada joins as a Technical Account Manager on 2026-12-07: her access
/// request and onboarding issue.
fn join(gitlab: &FakeGitlab, home: &Arc<Home>) {
    let tam = |test: Test| {
        let args: Vec<String> = super::onboarding::ada("2026-12-07")
            .into_iter()
            .map(|a| {
                if a == "strategic-account-leader" {
                    "technical-account-manager".to_string()
                } else {
                    a
                }
            })
            .collect();
        test.args(args)
    };
    tam(with_gitlab(
        Test::in_home(home).args(["access", "file", "--yes"]),
        gitlab,
    ))
    .stdout_has("created ")
    .run();
    let _ = file_checklist;
    tam(with_gitlab(
        Test::in_home(home).args(["checklist", "--file", "--yes"]),
        gitlab,
    ))
    .stdout_has("created ")
    .run();
}

/// `transfer` of Ada to Strategic Account Leader, effective `effective`.
fn transfer(gitlab: &FakeGitlab, home: &Arc<Home>, effective: &str) -> Test {
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
fn offboard(gitlab: &FakeGitlab, home: &Arc<Home>, last_day: &str) -> Test {
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

#[test]
fn explore() {
    let gitlab = fake();
    let home = Home::new();
    join(&gitlab, &home);
    let out = transfer(&gitlab, &home, "2027-03-01").any_stdout().run();
    eprintln!("{}", out.stdout);
    for p in [DEFAULT_PROJECT, ONBOARDING_PROJECT] {
        for i in gitlab.issues(p) {
            eprintln!(
                "{} {}\n{}",
                i["title"],
                i["due_date"],
                i["description"].as_str().unwrap()
            );
            eprintln!("{:?}", marker_systems(&i));
        }
    }
    let out = offboard(&gitlab, &home, "2027-06-30").any_stdout().run();
    eprintln!("{}", out.stdout);
    for i in gitlab.issues(OFFBOARDING_PROJECT) {
        eprintln!(
            "{} {}\n{}",
            i["title"],
            i["due_date"],
            i["description"].as_str().unwrap()
        );
    }
    panic!();
}
