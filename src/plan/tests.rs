//! Planning: tool selection, generated tasks, dates and the shared role part.

use chrono::Datelike;

use super::*;
use crate::catalog;
use crate::hire::{FullName, Selection};
use crate::source::FileSet;

fn catalog() -> Catalog {
    catalog::load(&FileSet::embedded_roles()).expect("the embedded catalogue loads")
}

fn selection(catalog: &Catalog, role: &str, with: &[&str], without: &[&str]) -> Selection {
    let ids = |list: &[&str]| list.iter().map(|t| catalog.find_tool(t).unwrap()).collect();
    Selection {
        role: catalog.find_role(role).unwrap(),
        with: ids(with),
        without: ids(without),
    }
}

fn hire(selection: Selection, start: &str) -> Hire {
    Hire {
        name: "Ada Lovelace".parse::<FullName>().unwrap(),
        email: None,
        username: None,
        start: start.parse().unwrap(),
        manager: None,
        buddy: None,
        selection,
        calendar: Arc::new(Calendar::default()),
        access_until: None,
    }
}

fn tool_ids(plan: &RolePlan) -> Vec<&str> {
    plan.tools.iter().map(|t| t.tool.id.as_str()).collect()
}

#[test]
fn optional_tools_come_only_when_asked_and_role_tools_can_be_left_out() {
    let catalog = catalog();
    let plain = role_plan(
        &catalog,
        &selection(&catalog, "strategic-account-leader", &[], &[]),
    );
    assert!(
        !tool_ids(&plain).contains(&"datafox"),
        "{:?}",
        tool_ids(&plain)
    );
    assert!(tool_ids(&plain).contains(&"clari"));
    let chosen = role_plan(
        &catalog,
        &selection(
            &catalog,
            "strategic-account-leader",
            &["datafox"],
            &["clari"],
        ),
    );
    assert!(tool_ids(&chosen).contains(&"datafox"));
    assert!(!tool_ids(&chosen).contains(&"clari"));
    assert_eq!(chosen.tools.len(), plain.tools.len());
    let datafox = chosen
        .tools
        .iter()
        .find(|t| t.tool.id.as_str() == "datafox");
    assert!(datafox.is_some_and(|t| t.optional));
}

#[test]
fn every_tool_is_checked_once_timed_by_how_it_is_reached_unless_a_role_task_is_about_it() {
    let catalog = catalog();
    let plan = role_plan(
        &catalog,
        &selection(&catalog, "strategic-account-leader", &[], &[]),
    );
    for tool in &plan.tools {
        let about: Vec<&PlannedTask> = plan
            .tasks
            .iter()
            .filter(|t| t.tools.contains(&tool.tool.id))
            .collect();
        assert_eq!(about.len(), 1, "{}: {about:#?}", tool.tool.id);
        let task = about[0];
        if task.origin.is_some() {
            // A role task about the tool says how to check it.
            continue;
        }
        let expected = match tool.tool.access {
            AccessMode::Okta if tool.tool.baseline => Due::Day(1),
            AccessMode::Okta => Due::Day(2),
            AccessMode::Onboarding | AccessMode::Automatic => Due::Week(1),
            AccessMode::AccessRequest | AccessMode::Colleague => Due::Week(2),
        };
        assert_eq!(task.due, expected, "{}", tool.tool.id);
        assert!(task.owner.is(Person::Hire));
        assert!(
            task.title.contains(tool.tool.name.as_str()),
            "{}",
            task.title
        );
    }
    // One task per way of getting tools: the Okta tiles everyone has, in one.
    let tiles: Vec<&PlannedTask> = plan
        .tasks
        .iter()
        .filter(|t| t.title.contains("from their Okta tiles"))
        .collect();
    assert_eq!(tiles.len(), 2, "{tiles:#?}");
    assert_eq!(
        &*tiles[0].title,
        "Sign in to Slack, Google Workspace and Zoom from their Okta tiles"
    );
    assert_eq!(
        plan.tasks[0].title.as_ref(),
        "Activate your Okta account and set up multi-factor authentication",
        "account set-up comes first"
    );
    let approval: Vec<&PlannedTask> = plan
        .tasks
        .iter()
        .filter(|t| {
            t.owner.is(Person::Manager) && t.title.starts_with("Approve the access request")
        })
        .collect();
    assert_eq!(approval.len(), 1);
    assert_eq!(approval[0].due, Due::BeforeStart(2));
    assert!(approval[0].title.contains("Clari"), "{}", approval[0].title);
}

#[test]
fn a_role_without_requested_tools_has_no_approval_task() {
    let catalog = catalog();
    let plan = role_plan(
        &catalog,
        &selection(&catalog, "sales-development-representative", &[], &[]),
    );
    let needs_request = plan
        .tools
        .iter()
        .any(|t| t.tool.access == AccessMode::AccessRequest);
    let approval = plan
        .tasks
        .iter()
        .any(|t| t.title.starts_with("Approve the access request"));
    assert_eq!(needs_request, approval);
}

#[test]
fn checklists_are_dated_on_business_days_and_grouped_in_order() {
    let catalog = catalog();
    let plans = Plans::new(&catalog);
    let calendar = Calendar::default();
    let hire = hire(
        selection(&catalog, "strategic-account-leader", &[], &[]),
        "2026-12-09",
    );
    let checklist = plans.checklist(&hire);
    assert_eq!(checklist.tasks().count(), checklist.task_count());
    for task in checklist.tasks() {
        assert!(
            calendar.is_business_day(task.date),
            "{} on {}",
            task.title,
            task.date
        );
        assert_eq!(task.date, calendar.resolve(hire.start, task.due));
    }
    let titles: Vec<&str> = checklist.phases.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"Before start"));
    assert!(titles.windows(2).all(|w| w[0] != w[1]), "{titles:?}");
    for phase in &checklist.phases {
        assert!(phase.first_date <= phase.last_date);
        let owners: Vec<Owner> = phase.owners.iter().map(|o| o.owner.clone()).collect();
        let mut sorted = owners.clone();
        sorted.sort();
        assert_eq!(owners, sorted, "owners in a fixed order");
    }
    assert_eq!(
        checklist.due,
        "2027-01-11".parse::<NaiveDate>().unwrap(),
        "start + 31 days is Saturday 2027-01-09: rolled to the Monday"
    );
    assert!(checklist.reminder.weekday().num_days_from_monday() < 5);
}

#[test]
fn the_role_part_is_worked_out_once_per_selection() {
    let catalog = catalog();
    let plans = Plans::new(&catalog);
    let sal = selection(&catalog, "strategic-account-leader", &[], &[]);
    let first = plans.role_plan(&sal);
    let again = plans.role_plan(&sal.clone());
    assert!(Arc::ptr_eq(&first, &again));
    let other = plans.role_plan(&selection(
        &catalog,
        "strategic-account-leader",
        &["datafox"],
        &[],
    ));
    assert!(!Arc::ptr_eq(&first, &other));
}

#[test]
fn owners_with_known_usernames_are_named() {
    let catalog = catalog();
    let plans = Plans::new(&catalog);
    let mut ada = hire(
        selection(&catalog, "strategic-account-leader", &[], &[]),
        "2026-12-07",
    );
    ada.manager =
        Some(crate::hire::Username::parse(crate::hire::Field::Manager, "mgr.jones").unwrap());
    let checklist = plans.checklist(&ada);
    let managers: Vec<&OwnerTasks> = checklist
        .phases
        .iter()
        .flat_map(|p| &p.owners)
        .filter(|o| o.owner.is(Person::Manager))
        .collect();
    assert!(!managers.is_empty());
    assert!(managers
        .iter()
        .all(|o| o.username.as_deref() == Some("mgr.jones")));
}

#[test]
fn a_day_and_a_week_that_fall_on_one_date_share_a_heading_that_names_the_days_off() {
    let catalog = catalog();
    let plans = Plans::new(&catalog);
    let mut ada = hire(
        selection(&catalog, "strategic-account-leader", &[], &[]),
        "2026-12-21",
    );
    ada.calendar = Arc::new(Calendar::new([
        Holiday {
            date: "2026-12-25".parse().unwrap(),
            name: "Christmas Day".into(),
        },
        Holiday {
            date: "2026-12-28".parse().unwrap(),
            name: "Boxing Day (observed)".into(),
        },
    ]));
    let checklist = plans.checklist(&ada);
    let headings: Vec<(&str, String)> = checklist
        .phases
        .iter()
        .map(|p| (p.title.as_str(), p.last_date.to_string()))
        .collect();
    assert!(
        headings.contains(&("Day 8 and Week 2", "2027-01-01".to_string())),
        "{headings:?}"
    );
    let dates: Vec<NaiveDate> = checklist.phases.iter().map(|p| p.last_date).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(dates, sorted, "one heading per date, in order");
    let day5 = checklist
        .phases
        .iter()
        .find(|p| p.title == "Day 5")
        .unwrap();
    assert_eq!(day5.last_date.to_string(), "2026-12-29");
    let skipped: Vec<&str> = day5.days_off.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(skipped, ["Christmas Day", "Boxing Day (observed)"]);
}
