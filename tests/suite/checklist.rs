//! `onboard checklist`: the SAL checklist from the embedded catalogue.

use std::collections::BTreeSet;
use std::fs;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::support::{hire, Home, Test, SAL};

/// The 19 tools of the handbook page: its quick links, plus the two its
/// bookmarks say a SAL gets access to in the first week (Highspot and `EdCast`),
/// as the tools table names them.
const PAGE_TOOLS: &[&str] = &[
    "Highspot",
    "EdCast",
    "Gainsight",
    "Zendesk",
    "Lucidchart",
    "LinkedIn Sales Navigator",
    "Chorus",
    "DemandBase (ABM data)",
    "Salesforce Inbox",
    "Outreach.io",
    "Conversica",
    "Salesforce",
    "Clari",
    "Periscope",
    "Datafox",
    "LeanData",
    "Gainsight product usage data",
    "CustomersDot Admin",
    "LicenseDot",
];

fn sal_markdown() -> String {
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--with", "conversica,datafox", "--buddy", "buddy.one"])
        .stdout_has("# Onboarding checklist: Ada Lovelace")
        .run()
        .stdout
}

/// `checklist` with the SAL hire and `extra`, as parsed JSON.
fn sal_json(extra: &[&str]) -> serde_json::Value {
    let out = Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--format", "json"])
        .args(extra)
        .any_stdout()
        .run()
        .stdout;
    serde_json::from_str(&out).expect("valid JSON")
}

fn due_dates(markdown: &str) -> Vec<NaiveDate> {
    markdown
        .lines()
        .filter(|l| l.starts_with("- [ ] "))
        .map(|l| {
            let at = l.rfind(", due ").expect("every task has a due date") + ", due ".len() + 4;
            NaiveDate::parse_from_str(&l[at..at + 10], "%Y-%m-%d").expect("a date")
        })
        .collect()
}

#[test]
fn the_sal_checklist_names_every_tool_of_the_page_once_with_how_it_is_reached() {
    assert_eq!(PAGE_TOOLS.len(), 19);
    // The example in docs/checklists.md, with no tool added.
    let markdown = Test::new()
        .args(["checklist"])
        .args(SAL)
        .any_stdout()
        .run()
        .stdout;
    let tables = &markdown[markdown.find("## Tools and how you get them").unwrap()..];
    let rows: Vec<Vec<&str>> = tables
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Tool "))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    for tool in PAGE_TOOLS {
        let found: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == *tool).collect();
        assert_eq!(
            found.len(),
            1,
            "{tool} is in the tools tables once: {rows:?}"
        );
        let how = found[0][2];
        assert!(
            how.starts_with("Okta tile")
                || how.starts_with("Access Request")
                || how.starts_with("granted during onboarding")
                || how.starts_with("automatic")
                || how.starts_with("through "),
            "{tool}: how it is reached: {how}"
        );
    }
    let also = &tables[tables.find("### Also available").unwrap()..];
    for optional in ["Conversica", "Datafox"] {
        assert!(also.contains(&format!("| `--with {}` |", optional.to_lowercase())));
    }
    assert!(markdown.contains(
        "| Zendesk | Support ticketing system, useful for seeing what a customer has raised with Support. | granted during onboarding week; if it is missing, ask your manager |"
    ));
    assert!(markdown.contains("[About Chorus](https://about.gitlab.com/handbook/sales/field-operations/sales-operations/go-to-market/chorus/)"));
    assert!(markdown.contains(
        "([about the role](https://about.gitlab.com/job-families/sales/strategic-account-leader/))"
    ));
    assert!(markdown.contains("[Account-based marketing (ABM)]("));
}

#[test]
fn the_sal_checklist_covers_planning_and_every_pipeline_stage() {
    let markdown = sal_markdown();
    for phase in [
        "Educate & Engage",
        "Facilitate the Opportunity",
        "Deal Closure",
        "Retain and Expand",
    ] {
        assert!(markdown.contains(phase), "missing pipeline phase {phase}");
    }
    for resource in [
        "Prospecting",
        "Discovery",
        "Articulate Value",
        "Position to Win",
        "Technical Evaluation",
        "Customer-Centric Proposal",
        "Mutual Close Plan",
        "Negotiate to Close",
        "Order Processing",
        "Account Transition",
        "Customer Onboarding",
        "Opportunity Stages",
        "territory plan",
        "account plans",
        "SAL playbook",
        "Commercial Sales Playbook",
    ] {
        assert!(
            markdown.to_lowercase().contains(&resource.to_lowercase()),
            "missing {resource}"
        );
    }
}

#[test]
fn tasks_are_dated_on_business_days_from_day_one() {
    let markdown = sal_markdown();
    let dates = due_dates(&markdown);
    assert!(dates.len() >= 25, "only {} task boxes", dates.len());
    let distinct: BTreeSet<_> = dates.iter().collect();
    assert!(
        distinct.len() >= 8,
        "only {} distinct due dates",
        distinct.len()
    );
    for date in &dates {
        assert!(
            !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            "{date} is a weekend"
        );
    }
    let start = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    assert!(
        markdown.contains("## Day 1: Mon 2026-12-07"),
        "day 1 is the start date"
    );
    assert!(dates.contains(&start));
    assert!(
        dates.iter().any(|d| *d < start),
        "some tasks fall before the start"
    );
    assert!(markdown.contains("| **Checklist due** | Thu 2027-01-07 (start + 31 days) |"));
}

#[test]
fn the_sal_checklist_matches_its_snapshot() {
    insta::assert_snapshot!("sal_checklist_markdown", sal_markdown());
}

#[test]
fn json_has_the_same_content() {
    let value = sal_json(&[]);
    assert_eq!(value["start"], "2026-12-07");
    assert_eq!(value["due"], "2027-01-07");
    assert_eq!(value["role"]["id"], "strategic-account-leader");
    let phases = value["phases"].as_array().unwrap();
    let tasks: usize = phases
        .iter()
        .flat_map(|p| p["owners"].as_array().unwrap())
        .map(|o| o["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(value["task_count"], tasks);
    let tools: Vec<&str> = value["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(
        tools.contains(&"salesforce") && tools.contains(&"clari"),
        "{tools:?}"
    );
    insta::assert_json_snapshot!("sal_checklist_json", value);
}

#[test]
fn unknown_roles_exit_3_and_name_the_role() {
    Test::new()
        .args(["checklist"])
        .args(hire("strategic-acount-leader", "Ada", "2026-12-07"))
        .status(3)
        .stderr("error: role: unknown role 'strategic-acount-leader' (did you mean 'strategic-account-leader'?); run `onboard roles list` to see the roles\n")
        .run();
}

#[test]
fn impossible_and_weekend_dates_are_refused() {
    let refused = |start: &str, message: &str| {
        Test::new()
            .args(["checklist"])
            .args(hire("strategic-account-leader", "Ada", start))
            .status(2)
            .stderr(&format!("error: start: {message}\n"))
            .run();
    };
    refused(
        "2026-02-30",
        "'2026-02-30' is not a real date in the form YYYY-MM-DD",
    );
    refused(
        "12/07/2026",
        "'12/07/2026' is not a real date in the form YYYY-MM-DD",
    );
    refused(
        "2026-12-05",
        "start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07)",
    );
}

#[test]
fn holidays_shift_due_dates_and_cannot_be_the_start() {
    let home = Home::new();
    let holidays = home.file(
        "holidays.yaml",
        "holidays:\n  - date: 2026-12-08\n    name: Founders Day\n",
    );
    let flags = ["--holidays", holidays.to_str().unwrap()];
    let with_holiday = Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(flags)
        .stdout_has("## Day 2: Wed 2026-12-09")
        .run()
        .stdout;
    assert!(!due_dates(&with_holiday).contains(&NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()));
    Test::new()
        .args(["checklist"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-08"))
        .args(flags)
        .status(2)
        .stderr("error: start: start date 2026-12-08 is a holiday (Founders Day); choose a business day (the next one is 2026-12-09)\n")
        .run();
    let broken = home.file("bad-holidays.yaml", "holidays:\n  - date: 2026-13-40\n");
    let run = Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--holidays", broken.to_str().unwrap()])
        .status(3)
        .stderr_has(&format!("error: {}:2:", broken.display()))
        .run();
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn output_files_are_never_overwritten_without_force() {
    let home = Home::new();
    let write = || {
        Test::in_home(&home)
            .args(["checklist"])
            .args(SAL)
            .args(["-o", "ada.md"])
    };
    let first_run = write()
        .stderr_has("Wrote Ada Lovelace (")
        .stderr_has(" tasks, day 1 2026-12-07) to ada.md\n")
        .run();
    assert_eq!(first_run.stderr.lines().count(), 1, "{}", first_run.stderr);
    let path = home.work().join("ada.md");
    let first = fs::read_to_string(&path).unwrap();
    assert!(first.starts_with("# Onboarding checklist: Ada Lovelace"));
    fs::write(&path, "my notes").unwrap();
    write()
        .status(2)
        .stderr("error: ada.md already exists; pass --force to overwrite it\n")
        .run();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "my notes",
        "the refusal leaves the file alone"
    );
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["-o"])
        .args([path.to_str().unwrap(), "--force"])
        .stderr_has("Wrote Ada Lovelace (")
        .stderr_has(&format!(" to {}\n", path.display()))
        .run();
    assert_eq!(fs::read_to_string(&path).unwrap(), first);
    let leftovers: Vec<_> = fs::read_dir(home.work())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["ada.md"], "no temporary files: {leftovers:?}");
}

#[test]
fn with_and_without_change_the_tools() {
    let tools = |extra: &[&str]| -> Vec<String> {
        sal_json(extra)["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    let standard = tools(&[]);
    assert!(
        !standard.contains(&"datafox".to_string()),
        "optional tools are left out by default"
    );
    assert!(standard.contains(&"clari".to_string()));
    assert!(tools(&["--with", "datafox"]).contains(&"datafox".to_string()));
    assert!(!tools(&["--without", "clari"]).contains(&"clari".to_string()));
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--with", "datafx"])
        .status(3)
        .stderr("error: with: unknown tool 'datafx' (did you mean 'datafox'?)\n")
        .run();
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--without", "slack"])
        .status(3)
        .stderr("error: without: 'slack' is a baseline entitlement for every team member and cannot be left out\n")
        .run();
}

#[test]
fn bad_hire_fields_are_usage_errors_naming_the_field() {
    let refused = |hire: [String; 6], extra: &[&str], message: &str| {
        Test::new()
            .args(["checklist"])
            .args(hire)
            .args(extra)
            .status(2)
            .stderr(&format!("error: {message}\n"))
            .run();
    };
    let sal = || hire("strategic-account-leader", "Ada", "2026-12-07");
    refused(
        sal(),
        &["--email", "not-an-email"],
        "email: 'not-an-email' is not an email address: it has no '@'",
    );
    refused(
        sal(),
        &["--manager", "bad name"],
        "manager: 'bad name' is not a GitLab username: only letters, digits, '_', '.' and '-' are allowed",
    );
    refused(
        sal(),
        &["--buddy", "@all"],
        "buddy: '@all' is not a GitLab username: 'all' is reserved by GitLab for mentioning everyone",
    );
    refused(
        hire("strategic-account-leader", " ", "2026-12-07"),
        &[],
        "name: is empty",
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let home = Home::new();
    let mut child = home
        .command()
        .args(["checklist"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "a closed pipe is not reported");
}
