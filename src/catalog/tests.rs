//! Every validation error the catalogue loader reports, and how layers merge.

use super::*;
use crate::calendar::Due;
use crate::source::{FileSet, SourceFile};

const TOOLS: &str = "\
provisioners:
  - id: it-ops
    name: IT Ops
    label: \"ITOps::to do\"
tools:
  - id: okta
    name: Okta
    purpose: Single sign-on.
    access: okta
    provisioner: it-ops
    link: https://www.okta.com/
    classification: orange
    baseline: true
  - id: highspot
    name: Highspot
    purpose: Sales content.
    access: onboarding
    provisioner: it-ops
    link: https://gitlab.highspot.com/
    classification: yellow
  - id: clari
    name: Clari
    purpose: Forecasting.
    access: access-request
    provisioner: it-ops
    link: https://www.clari.com/
    classification: red
";

const BASE: &str = "\
id: base
name: Base
layer: true
tools:
  - tool: okta
    level: User
    justification: Everyone signs in with it.
tasks:
  - title: Meet your manager
    owner: manager
    due: day 1
";

const CHILD: &str = "\
id: child
name: Child
extends: base
tools:
  - tool: clari
    level: Viewer
    justification: Forecasts.
  - tool: okta
    level: Admin
    justification: Overridden.
bookmarks:
  - title: Handbook
    link: https://handbook.example.com/
tasks:
  - title: Read the playbook
    owner: new-hire
    due: \"before start: 2\"
";

fn files(extra: &[(&str, &str)]) -> FileSet {
    let mut all = vec![
        ("tools.yaml", TOOLS),
        ("base.yaml", BASE),
        ("child.yaml", CHILD),
    ];
    for (name, text) in extra {
        all.retain(|(n, _)| n != name);
        all.push((name, text));
    }
    FileSet {
        files: all
            .into_iter()
            .map(|(name, text)| SourceFile {
                path: format!("roles/{name}"),
                name: name.to_string(),
                text: text.to_string().into(),
                json: None,
            })
            .collect(),
    }
}

fn problems(extra: &[(&str, &str)]) -> String {
    load(&files(extra)).unwrap_err().to_string()
}

#[test]
fn a_good_catalogue_loads_and_layers_merge() {
    let catalog = load(&files(&[])).unwrap();
    let child = catalog.role(&catalog.find_role("child").unwrap());
    let layers: Vec<&str> = child.layers.iter().map(RoleId::as_str).collect();
    assert_eq!(layers, ["base", "child"]);
    let tools: Vec<(&str, &str)> = child
        .tools
        .iter()
        .map(|t| (t.tool.as_str(), t.level.as_str()))
        .collect();
    assert_eq!(
        tools,
        [("okta", "Admin"), ("clari", "Viewer")],
        "child overrides in place, parents first"
    );
    let titles: Vec<&str> = child.tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Meet your manager", "Read the playbook"]);
    assert_eq!(child.tasks[1].due, Due::BeforeStart(2));
    assert!(catalog.role(&catalog.find_role("base").unwrap()).layer);
}

#[test]
fn yaml_syntax_errors_name_file_and_line() {
    let text = problems(&[("child.yaml", "id: child\nname: [unclosed\ntasks: []\n")]);
    assert!(text.starts_with("roles/child.yaml:"), "{text}");
    let line: usize = text.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line >= 2, "{text}");
}

#[test]
fn unknown_fields_are_refused_where_they_are() {
    let text = problems(&[("base.yaml", "id: base\nname: Base\ntaks: []\n")]);
    assert!(
        text.starts_with("roles/base.yaml:3:1: unknown field `taks`"),
        "{text}"
    );
}

#[test]
fn unknown_tools_suggest_the_nearest_id() {
    let child = CHILD.replace("tool: clari", "tool: clar");
    let text = problems(&[("child.yaml", &child)]);
    assert_eq!(
        text,
        "roles/child.yaml:5:11: unknown tool 'clar' (did you mean 'clari'?)"
    );
}

#[test]
fn unknown_parents_suggest_the_nearest_role() {
    let child = CHILD.replace("extends: base", "extends: bsae");
    let text = problems(&[("child.yaml", &child)]);
    assert_eq!(
        text,
        "roles/child.yaml:3:10: unknown role 'bsae' in extends (did you mean 'base'?)"
    );
}

#[test]
fn extends_cycles_are_reported_once() {
    let base = BASE.replace("layer: true", "extends: child");
    let text = problems(&[("base.yaml", &base)]);
    assert_eq!(
        text,
        "roles/base.yaml:3:10: extends cycle: base -> child -> base"
    );
    let own = problems(&[("base.yaml", &BASE.replace("layer: true", "extends: base"))]);
    assert_eq!(own, "roles/base.yaml:3:10: extends cycle: base -> base");
}

#[test]
fn duplicate_ids_are_refused() {
    let tools = format!("{TOOLS}  - id: okta\n    name: Okta again\n    purpose: x\n    access: okta\n    provisioner: it-ops\n    link: https://okta.example.com/\n    classification: green\n");
    let text = problems(&[("tools.yaml", &tools)]);
    assert!(
        text.contains("roles/tools.yaml:28:9: duplicate tool id 'okta'"),
        "{text}"
    );
    let twice = CHILD.replace("tool: okta", "tool: clari");
    let text = problems(&[("child.yaml", &twice)]);
    assert!(
        text.contains("roles/child.yaml:8:11: tool 'clari' is listed twice"),
        "{text}"
    );
    let text = problems(&[("base.yml", BASE)]);
    assert!(text.contains("duplicate role id 'base'"), "{text}");
}

#[test]
fn bad_due_expressions_and_owners_are_each_reported() {
    let child = CHILD
        .replace("due: \"before start: 2\"", "due: someday")
        .replace("owner: new-hire", "owner: new-hier");
    let text = problems(&[("child.yaml", &child)]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with(
            "roles/child.yaml:16:12: unknown owner 'new-hier' (did you mean 'new-hire'?)"
        ),
        "{text}"
    );
    assert!(
        lines[1].starts_with("roles/child.yaml:17:10: bad due expression 'someday'"),
        "{text}"
    );
}

#[test]
fn a_file_that_fails_to_parse_does_not_cascade() {
    let text = problems(&[("base.yaml", "id: base\nname: Base\nnope: 1\n")]);
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn every_error_in_every_file_is_collected() {
    let child = CHILD
        .replace("tool: clari", "tool: nope")
        .replace("due: \"before start: 2\"", "due: day 0");
    let base = BASE.replace("owner: manager", "owner: boss");
    let text = problems(&[("child.yaml", &child), ("base.yaml", &base)]);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("roles/base.yaml:") && text.contains("roles/child.yaml:"),
        "{text}"
    );
}

#[test]
fn tool_entries_are_checked() {
    let tools = TOOLS
        .replace("access: onboarding", "access: colleague")
        .replace(
            "provisioner: it-ops\n    link: https://www.clari.com/",
            "provisioner: itops\n    link: www.clari.com",
        )
        .replace("classification: red", "classification: purple");
    let text = problems(&[("tools.yaml", &tools)]);
    assert!(text.contains("roles/tools.yaml:17:13: tool 'highspot' is reached through a colleague, so it needs 'via:'"), "{text}");
    assert!(
        text.contains("unknown provisioner 'itops' (did you mean 'it-ops'?)"),
        "{text}"
    );
    assert!(
        text.contains("link 'www.clari.com' must be an absolute http(s) address"),
        "{text}"
    );
    assert!(text.contains("unknown classification 'purple'"), "{text}");
    assert!(
        !text.contains("child.yaml"),
        "a broken tool does not cascade into roles: {text}"
    );
}

#[test]
fn role_ids_must_match_file_names_and_be_kebab_case() {
    let text = problems(&[("child.yaml", &CHILD.replace("id: child", "id: Child_Role"))]);
    assert!(
        text.contains("roles/child.yaml:1:5: id 'Child_Role' must be lower-case"),
        "{text}"
    );
    let text = problems(&[("child.yaml", &CHILD.replace("id: child", "id: kid"))]);
    assert!(
        text.contains("role id 'kid' does not match its file name 'child.yaml'"),
        "{text}"
    );
}

#[test]
fn a_catalogue_without_tools_file_is_refused() {
    let mut set = files(&[]);
    set.files.retain(|f| f.name != "tools.yaml");
    let text = load(&set).unwrap_err().to_string();
    assert!(text.contains("the catalogue has no tools.yaml"), "{text}");
}

#[test]
fn holidays_come_from_the_catalogue() {
    let holidays = "holidays:\n  - date: 2026-12-25\n    name: Christmas Day\n  - 2026-12-28\n";
    let catalog = load(&files(&[("holidays.yaml", holidays)])).unwrap();
    assert_eq!(catalog.holidays.len(), 2);
    assert_eq!(catalog.holidays[1].name, "holiday");
    let text = problems(&[("holidays.yaml", "holidays:\n  - date: 2026-13-01\n")]);
    assert!(text.starts_with("roles/holidays.yaml:2:"), "{text}");
}

#[test]
fn unknown_roles_suggest_the_nearest() {
    let catalog = load(&files(&[])).unwrap();
    let err = catalog.find_role("chlid").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown role 'chlid' (did you mean 'child'?); run `onboard roles list` to see the roles"
    );
}

#[test]
fn the_embedded_json_reads_exactly_like_the_yaml() {
    let embedded = FileSet::embedded_roles();
    assert!(
        embedded.files.iter().all(|f| f.json.is_some()),
        "every embedded YAML file has its JSON"
    );
    let mut yaml_only = embedded.clone();
    for file in &mut yaml_only.files {
        file.json = None;
    }
    assert_eq!(load(&embedded).unwrap(), load(&yaml_only).unwrap());
}

#[test]
fn the_embedded_catalogue_passes_every_check_it_is_spared_at_start() {
    let embedded = FileSet::embedded_roles();
    assert!(embedded.is_embedded());
    let checked = load_with(&embedded, true);
    assert!(checked.is_ok(), "{:?}", checked.err());
    let mut edited = embedded.clone();
    edited.files[0].text.to_mut().push_str("\n# edited\n");
    assert!(!edited.is_embedded(), "an edited copy is checked in full");
}
