//! What a checklist says and when (issue 19): one task per intent, tasks
//! after their tools arrive, days that are not overfull, check-ins that
//! agree, and no role's text in another's checklist; and `validate`'s
//! checks that keep a catalogue that way, each on a broken catalogue.

use std::sync::Arc;

use crate::suite::problems::broken_roles;
use crate::support::{hire, Home, Test, SAL};

const SAL_FILE: &str = "strategic-account-leader.yaml";

/// Appends `tasks` (YAML list items) to the SAL's tasks, the file's last
/// list, and gives the line the first appended task's title is on.
fn add_sal_tasks(home: &Arc<Home>, tasks: &str) -> usize {
    let mut first_line = 0;
    broken_roles(home, SAL_FILE, |text| {
        let text = format!("{}\n", text.trim_end());
        first_line = text.lines().count() + 1;
        format!("{text}{tasks}")
    });
    first_line
}

fn validate(home: &Arc<Home>) -> Test {
    Test::in_home(home).args(["validate", "--roles", "roles"])
}

#[test]
fn a_task_due_before_its_tool_can_arrive_is_reported_and_the_config_sets_request_time() {
    let home = Home::new();
    let line = add_sal_tasks(
        &home,
        "  - title: Look up one customer's open tickets in Zendesk\n    owner: new-hire\n    due: day 2\n  \
         - title: Look at your first forecast in Clari\n    owner: new-hire\n    due: day 3\n",
    );
    validate(&home)
        .status(3)
        .stderr(&format!(
            "error: roles/{SAL_FILE}:{}:10: the task is due day 2 but uses Zendesk, which cannot arrive before week 1 (granted during onboarding week; if it is missing, ask your manager); make it due week 1 or later\n\
             roles/{SAL_FILE}:{}:10: the task is due day 3 but uses Clari, which cannot arrive before day 4 (Access Request, provisioned by Sales Systems); make it due day 4 or later\n",
            line + 2,
            line + 5
        ))
        .run();
    // Requests provisioned in one business day: Clari is there on day 2.
    let config = home.file("config.yaml", "access_request_days: 1\n");
    let run = validate(&home)
        .env("ONBOARD_CONFIG", config.to_str().unwrap())
        .status(3)
        .any_stderr()
        .run();
    assert!(run.stderr.contains("uses Zendesk"), "{}", run.stderr);
    assert!(!run.stderr.contains("uses Clari"), "{}", run.stderr);
}

#[test]
fn one_owners_two_tasks_about_one_tool_within_a_week_are_one_intent_unless_one_follows_the_other() {
    let home = Home::new();
    let tasks = "  - title: Open your pipeline in Clari and note the deals at risk\n    owner: new-hire\n    due: day 16\n  \
                 - title: Update your forecast call in Clari\n    owner: new-hire\n    due: day 19\n";
    let line = add_sal_tasks(&home, tasks);
    validate(&home)
        .status(3)
        .stderr(&format!(
            "error: roles/{SAL_FILE}:{}:12: this task and an earlier one are both about Clari for New hire, within a week of each other: make them one task, or give the earlier an 'id:' and say 'follows: <id>' here if this one deliberately comes back to it; the earlier is at roles/{SAL_FILE}:{line}\n",
            line + 3
        ))
        .run();
    let home = Home::new();
    add_sal_tasks(
        &home,
        &tasks
            .replacen(
                "    owner: new-hire\n",
                "    id: pipeline-review\n    owner: new-hire\n",
                1,
            )
            .replace(
                "    due: day 19\n",
                "    due: day 19\n    follows: pipeline-review\n",
            ),
    );
    validate(&home).stdout_has("ok: ").run();
    let home = Home::new();
    let line = add_sal_tasks(
        &home,
        "  - title: Review the pipeline\n    owner: new-hire\n    due: day 16\n    follows: no-such-task\n",
    );
    validate(&home)
        .status(3)
        .stderr(&format!(
            "error: roles/{SAL_FILE}:{}:14: 'follows: no-such-task' names no task of strategic-account-leader; give the task it comes back to 'id: no-such-task'\n",
            line + 3
        ))
        .run();
}

#[test]
fn a_day_with_more_than_eight_tasks_for_one_owner_is_named() {
    let home = Home::new();
    let tasks =
        "  - title: Read one more article\n    owner: new-hire\n    due: day 12\n".repeat(9);
    let line = add_sal_tasks(&home, &tasks);
    validate(&home)
        .status(3)
        .stderr(&format!(
            "error: roles/{SAL_FILE}:{}:10: 9 tasks for New hire fall on one day (day 12) for a strategic-account-leader, more than 8: spread them over other days, or say 'max_tasks_per_day:' in the role\n",
            line + 2
        ))
        .run();
    // The catalogue may allow a busier day.
    let path = home.work().join("roles").join(SAL_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\ntools:\n", "\nmax_tasks_per_day: 9\ntools:\n", 1),
    )
    .unwrap();
    validate(&home).stdout_has("ok: ").run();
}

/// The SAL checklist of the example in `docs/checklists.md`, as Markdown.
fn sal_checklist() -> String {
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .any_stdout()
        .run()
        .stdout
}

fn task_lines(checklist: &str) -> Vec<&str> {
    checklist
        .lines()
        .filter(|l| l.starts_with("- [ ] "))
        .collect()
}

#[test]
fn the_sal_checklist_asks_each_thing_once_in_at_most_60_tasks() {
    let checklist = sal_checklist();
    let tasks = task_lines(&checklist);
    assert!(tasks.len() <= 60, "{} tasks", tasks.len());
    // Each of these was asked twice: a role task and a generated check.
    for (tool, words) in [
        ("DemandBase", "DemandBase"),
        ("Periscope", "Periscope"),
        ("LeanData", "LeanData"),
        ("CustomersDot", "CustomersDot"),
        ("Gainsight product usage", "walk you through"),
    ] {
        let about: Vec<&&str> = tasks
            .iter()
            .filter(|t| !t.contains("Approve the access request"))
            .filter(|t| t.contains(tool) || (tool.starts_with("Gainsight p") && t.contains(words)))
            .collect();
        assert_eq!(about.len(), 1, "{tool}: {about:#?}");
    }
    let territory: Vec<&&str> = tasks.iter().filter(|t| t.contains("territory")).collect();
    assert!(
        !checklist.contains("Add the new SAL to the Clari forecast roll-up"),
        "{territory:#?}"
    );
    assert!(!checklist.contains("(Tools)"));
}

#[test]
fn no_task_is_due_before_its_tool_arrives_and_account_setup_comes_first() {
    let checklist = sal_checklist();
    let day_one = checklist
        .split("## Day 1: ")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let first = task_lines(day_one)[0];
    assert!(first.contains("Activate your Okta account"), "{day_one}");
    // EdCast and Highspot arrive during week 1 (Friday 2026-12-11).
    for task in task_lines(&checklist) {
        if task.contains("EdCast") || task.contains("Highspot") {
            assert!(
                !task.contains("due Mon 2026-12-07")
                    && !task.contains("due Tue 2026-12-08")
                    && !task.contains("due Wed 2026-12-09")
                    && !task.contains("due Thu 2026-12-10"),
                "{task}"
            );
        }
    }
}

#[test]
fn the_30_day_check_in_is_due_with_the_issue_and_the_day_15_check_in_is_the_managers() {
    let checklist = sal_checklist();
    assert!(checklist.contains("| **Checklist due** | Thu 2027-01-07"));
    let check_in = task_lines(&checklist)
        .into_iter()
        .find(|t| t.contains("30-day check-in"))
        .unwrap();
    assert!(check_in.ends_with("due Thu 2027-01-07"), "{check_in}");
    assert!(checklist.contains("| **Check-in reminder** | Mon 2026-12-28 (business day 15) |"));
    let day_15 = task_lines(&checklist)
        .into_iter()
        .find(|t| t.contains("business day 15"))
        .unwrap();
    assert!(day_15.ends_with("due Mon 2026-12-28"), "{day_15}");
}

/// Words that belong to one role (and the roles that work with it).
const ROLE_WORDS: &[(&str, &[&str])] = &[
    (
        "SAL",
        &["strategic-account-leader", "technical-account-manager"],
    ),
    (
        "SDR",
        &[
            "strategic-account-leader",
            "sales-development-representative",
        ],
    ),
    (
        "TAM",
        &["strategic-account-leader", "technical-account-manager"],
    ),
    (
        "Commercial",
        &["strategic-account-leader", "commercial-account-executive"],
    ),
];

#[test]
fn no_role_checklist_carries_another_roles_text() {
    for role in [
        "strategic-account-leader",
        "sales-development-representative",
        "commercial-account-executive",
        "technical-account-manager",
    ] {
        let checklist = Test::new()
            .args(["checklist"])
            .args(hire(role, "Ada Lovelace", "2026-12-07"))
            .any_stdout()
            .run()
            .stdout;
        for (word, allowed) in ROLE_WORDS {
            if allowed.contains(&role) {
                continue;
            }
            let found: Vec<&str> = checklist
                .lines()
                .filter(|line| {
                    line.split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == *word)
                })
                .collect();
            assert!(
                found.is_empty(),
                "{word} in the {role} checklist: {found:#?}"
            );
        }
    }
}

/// The part of a document (`docs/catalogue.md`) between two headings.
fn doc_section(doc: &str, from: &str, to: &str) -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc))
            .unwrap();
    let start = readme
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {doc}"));
    let rest = &readme[start..];
    rest[..rest.find(to).unwrap_or(rest.len())].to_string()
}

/// The keys `validate` says a catalogue entry may have, from its message
/// about an unknown one.
fn known_keys(file: &str, entry: &str, with_unknown: &str) -> Vec<String> {
    let home = Home::new();
    broken_roles(&home, file, |text| {
        assert!(text.contains(entry), "{entry} in {file}");
        text.replacen(entry, with_unknown, 1)
    });
    let run = validate(&home).status(3).any_stderr().run();
    let expected = run
        .stderr
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("{}", run.stderr));
    expected
        .lines()
        .next()
        .unwrap()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// Each key appears in the README's example, after `before` (a space, or a
/// line break for a top-level key); `source:` is under Provenance.
fn assert_documented(what: &str, keys: &[String], section: &str, before: &str) {
    for key in keys.iter().filter(|k| *k != "source") {
        assert!(
            section.contains(&format!("{before}{key}:")),
            "{what} key {key} in\n{section}"
        );
    }
}

#[test]
fn the_catalogue_doc_documents_every_key_and_form_validate_accepts() {
    let tools = doc_section(
        "docs/catalogue.md",
        "## `roles/tools.yaml`",
        "## `roles/<id>.yaml`",
    );
    let roles = doc_section("docs/catalogue.md", "## `roles/<id>.yaml`", "## Provenance");
    let task_keys = known_keys(
        SAL_FILE,
        "  - title: Draft an MVP territory plan",
        "  - colour: red\n    title: Draft an MVP territory plan",
    );
    assert!(task_keys.contains(&"follows".to_string()), "{task_keys:?}");
    assert_documented("task", &task_keys, &roles, " ");
    let role_keys = known_keys(
        SAL_FILE,
        "\nname: Strategic Account Leader\n",
        "\nname: Strategic Account Leader\ncolour: red\n",
    );
    assert_documented("role", &role_keys, &roles, "\n");
    let tool_keys = known_keys(
        "tools.yaml",
        "  - id: clari\n",
        "  - id: clari\n    colour: red\n",
    );
    assert_documented("tool", &tool_keys, &tools, " ");
    for form in [
        "`day N`",
        "`week N`",
        "`before start: N`",
        "`checklist due`",
    ] {
        assert!(
            doc_section("docs/checklists.md", "## Due dates", "\n## ").contains(form),
            "{form}"
        );
    }
    for mode in [
        "okta",
        "access-request",
        "onboarding",
        "automatic",
        "colleague",
    ] {
        assert!(tools.contains(&format!("| `{mode}` |")), "{mode}");
    }
    // A tool with only a course is accepted, as the README says.
    assert!(tools.contains("A tool needs `link`, `about` or `training`"));
    let home = Home::new();
    broken_roles(&home, "tools.yaml", |text| {
        text.replacen(
            "    about: https://about.gitlab.com/handbook/sales/forecasting/\n",
            "    training: https://about.gitlab.com/handbook/sales/forecasting/\n",
            1,
        )
    });
    validate(&home).stdout_has("ok: ").run();
}

/// Every relative link of the README and of `docs/*.md` names a file that
/// exists, and a `#fragment` into a Markdown file names one of its headings
/// (as GitHub makes anchors of them), so moving a section cannot strand a link.
#[test]
fn every_relative_link_in_the_readme_and_docs_resolves() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    assert!(documents.len() >= 10, "{documents:?}");
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut checked = 0;
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        for found in link.captures_iter(&text) {
            let target = &found[1];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = if file.is_empty() {
                document.clone()
            } else {
                document.parent().unwrap().join(file)
            };
            assert!(
                file.exists(),
                "{}: {target} does not exist",
                document.display()
            );
            if !fragment.is_empty() {
                let headings = std::fs::read_to_string(&file).unwrap();
                assert!(
                    headings
                        .lines()
                        .filter(|line| line.starts_with('#'))
                        .any(|line| github_anchor(line) == fragment),
                    "{}: no heading for {target}",
                    document.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} links checked");
}

/// The anchor GitHub gives a Markdown heading: lower case, punctuation
/// dropped, spaces as hyphens.
fn github_anchor(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}
