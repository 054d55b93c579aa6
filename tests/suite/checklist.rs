//! `onboard checklist`: the SAL checklist from the embedded catalogue.

use std::collections::BTreeSet;
use std::fs;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::support::{hire, Onboard, SAL};

const PAGE_TOOLS: &[&str] = &[
    "Okta",
    "Salesforce",
    "Highspot",
    "EdCast",
    "Zendesk",
    "Gainsight",
    "Lucidchart",
    "LinkedIn Sales Navigator",
    "Chorus",
    "DemandBase",
    "Salesforce Inbox",
    "Outreach",
    "Conversica",
    "Clari",
    "Periscope",
    "Datafox",
    "LeanData",
    "CustomersDot Admin",
    "LicenseDot",
    "Field Slack channels",
    "Slack",
    "Google Workspace",
    "Zoom",
];

fn sal_markdown() -> String {
    Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--with", "conversica,datafox", "--buddy", "buddy.one"])
        .run()
        .success()
        .stdout
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
fn the_sal_checklist_names_every_tool_of_the_page() {
    let markdown = sal_markdown();
    for tool in PAGE_TOOLS {
        assert!(
            markdown.contains(tool),
            "the checklist does not name {tool}"
        );
    }
}

#[test]
fn the_sal_checklist_covers_planning_and_every_pipeline_stage() {
    let markdown = sal_markdown();
    for phase in [
        "Educate &amp; Engage",
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
    let json = Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--format", "json"])
        .run()
        .success()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["start"], "2026-12-07");
    assert_eq!(value["due"], "2027-01-07");
    assert_eq!(value["role"]["id"], "strategic-account-leader");
    let phases = value["phases"].as_array().unwrap();
    let tasks: usize = phases
        .iter()
        .flat_map(|p| p["owners"].as_array().unwrap())
        .map(|o| o["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(value["task_count"].as_u64().unwrap() as usize, tasks);
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
    Onboard::new()
        .args(["checklist"])
        .args(hire("strategic-acount-leader", "Ada", "2026-12-07"))
        .run()
        .code(3)
        .stderr_has(
            "unknown role 'strategic-acount-leader' (did you mean 'strategic-account-leader'?)",
        );
}

#[test]
fn impossible_and_weekend_dates_are_refused() {
    let run = |start: &str| {
        Onboard::new()
            .args(["checklist"])
            .args(hire("strategic-account-leader", "Ada", start))
            .run()
    };
    run("2026-02-30")
        .code(2)
        .stderr_has("start: '2026-02-30' is not a real date");
    run("12/07/2026").code(2).stderr_has("YYYY-MM-DD");
    run("2026-12-05")
        .code(2)
        .stderr_has("2026-12-05 is a Saturday")
        .stderr_has("2026-12-07");
}

#[test]
fn holidays_shift_due_dates_and_cannot_be_the_start() {
    let onboard = Onboard::new();
    let holidays = onboard.file(
        "holidays.yaml",
        "holidays:\n  - date: 2026-12-08\n    name: Founders Day\n",
    );
    let flags = ["--holidays", holidays.to_str().unwrap()];
    let with_holiday = Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(flags)
        .run()
        .success()
        .stdout;
    assert!(
        with_holiday.contains("## Day 2: Wed 2026-12-09"),
        "day 2 skips the holiday"
    );
    assert!(!due_dates(&with_holiday).contains(&NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()));
    Onboard::new()
        .args(["checklist"])
        .args(hire("sales", "Ada", "2026-12-08"))
        .args(flags)
        .run()
        .code(2)
        .stderr_has("2026-12-08 is a holiday (Founders Day)");
    let broken = onboard.file("bad-holidays.yaml", "holidays:\n  - date: 2026-13-40\n");
    Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--holidays", broken.to_str().unwrap()])
        .run()
        .code(3)
        .stderr_has("bad-holidays.yaml:2:");
}

#[test]
fn output_files_are_never_overwritten_without_force() {
    let onboard = Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["-o", "ada.md"]);
    onboard.run().success().stderr_has("ada.md");
    let path = onboard.dir().join("ada.md");
    let first = fs::read_to_string(&path).unwrap();
    assert!(first.starts_with("# Onboarding checklist: Ada Lovelace"));
    fs::write(&path, "my notes").unwrap();
    onboard
        .run()
        .code(2)
        .stderr_has("already exists; pass --force");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "my notes",
        "the refusal leaves the file alone"
    );
    let forced = Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["-o"])
        .args([path.to_str().unwrap(), "--force"]);
    forced.run().success();
    assert_eq!(fs::read_to_string(&path).unwrap(), first);
    let leftovers: Vec<_> = fs::read_dir(onboard.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");
}

#[test]
fn with_and_without_change_the_tools() {
    let json = |extra: &[&str]| -> Vec<String> {
        let out = Onboard::new()
            .args(["checklist"])
            .args(SAL)
            .args(["--format", "json"])
            .args(extra)
            .run()
            .success()
            .stdout;
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        value["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    let standard = json(&[]);
    assert!(
        !standard.contains(&"datafox".to_string()),
        "optional tools are left out by default"
    );
    assert!(json(&["--with", "datafox"]).contains(&"datafox".to_string()));
    assert!(!json(&["--without", "clari"]).contains(&"clari".to_string()));
    Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--with", "datafx"])
        .run()
        .code(3)
        .stderr_has("did you mean 'datafox'");
    Onboard::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--without", "slack"])
        .run()
        .code(3)
        .stderr_has("baseline");
}

#[test]
fn bad_hire_fields_are_usage_errors_naming_the_field() {
    let sal = |extra: [&str; 2]| {
        Onboard::new()
            .args(["checklist"])
            .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
            .args(extra)
            .run()
    };
    sal(["--email", "not-an-email"])
        .code(2)
        .stderr_has("email: 'not-an-email'");
    sal(["--manager", "bad name"])
        .code(2)
        .stderr_has("manager:");
    sal(["--buddy", "@all"]).code(2).stderr_has("buddy:");
    Onboard::new()
        .args(["checklist"])
        .args(hire("sales", " ", "2026-12-07"))
        .run()
        .code(2)
        .stderr_has("name:");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_onboard"))
        .args(["checklist"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
