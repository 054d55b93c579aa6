//! `roles`, `validate`, template overrides and an unsupported shell.

use std::fs;

use crate::support::{copy_roles, hire, Home, Test, ALL_ROLES};

/// The names in a folder.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn roles_list_shows_every_role_with_its_layers() {
    let mut list = Test::new()
        .args(["roles", "list"])
        .stdout_has("ROLE ")
        .stdout_has("\nsales                             Sales (layer)\n")
        .stdout_has(
            "\nstrategic-account-leader          Strategic Account Leader\n    extends all-team-members > sales > enterprise-sales\n",
        );
    for role in ALL_ROLES {
        list = list.stdout_has(&format!("\n{role} "));
    }
    list.run();
    let json: serde_json::Value = serde_json::from_str(
        &Test::new()
            .args(["roles", "list", "--json"])
            .any_stdout()
            .run()
            .stdout,
    )
    .unwrap();
    let sal = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "strategic-account-leader")
        .unwrap();
    assert_eq!(sal["layers"].as_array().unwrap().len(), 4);
    assert_eq!(sal["layer"], false);
}

#[test]
fn roles_show_merges_the_layers() {
    let json: serde_json::Value = serde_json::from_str(
        &Test::new()
            .args(["roles", "show", "strategic-account-leader", "--json"])
            .any_stdout()
            .run()
            .stdout,
    )
    .unwrap();
    let tools: Vec<&str> = json["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    for inherited in ["okta", "slack", "salesforce", "gainsight", "clari"] {
        assert!(tools.contains(&inherited), "{inherited} missing: {tools:?}");
    }
    let requests = json["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["access"] == "access-request")
        .count();
    assert!(
        requests >= 5,
        "only {requests} tools need an access request"
    );
    let text = Test::new()
        .args(["roles", "show", "strategic-account-leader"])
        .stdout_has("through your SDR")
        .run()
        .stdout;
    assert!(
        text.starts_with("Strategic Account Leader (strategic-account-leader)\n"),
        "{text}"
    );
    Test::new()
        .args(["roles", "show", "sal"])
        .status(3)
        .stderr("error: unknown role 'sal' (did you mean 'sales'?); run `onboard roles list` to see the roles\n")
        .run();
}

#[test]
fn the_embedded_catalogue_is_valid_from_an_empty_folder() {
    let home = Home::new();
    Test::in_home(&home)
        .args(["validate"])
        .stdout("ok: 10 roles, 25 tools, the public holidays of 29 countries and 117 regions, and 19 templates are valid\n109 catalogue facts are assumptions, not stated on the source page; `onboard validate --strict` lists them\n")
        .run();
    assert!(
        names(&home.work()).is_empty(),
        "validate writes nothing in the folder it ran in"
    );
}

#[test]
fn strict_validation_lists_every_assumption_where_it_is_and_roles_show_marks_them() {
    let out = Test::new()
        .args(["validate", "--strict"])
        .status(3)
        .any_stderr()
        .run();
    for line in [
        "error: roles/all-team-members.yaml:10:12: assumed: the level and justification of 'okta' for all-team-members\n",
        "roles/tools.yaml:88:14: assumed: tool 'okta': access, provisioner, link, classification not stated on the source page\n",
        "assumed: tool 'zoom': the source page does not mention it\n",
        "assumed: tool 'chorus': access, provisioner, classification not stated on the source page\n",
        "assumed: task 'Ship the laptop and confirm it has been delivered'\n",
        "109 catalogue facts are assumptions, not stated on the source page; confirm each and mark it `source: page` (or drop it from `assumed:`)\n",
    ] {
        assert!(out.stderr.contains(line), "{line}\n{}", out.stderr);
    }
    assert!(
        out.stderr
            .contains("tool 'leandata': provisioner, classification not stated"),
        "LeanData's access is on the page, its team is not"
    );
    assert!(
        !out.stderr.contains("Study the Opportunity Stages"),
        "a task about a resource of the page is not an assumption"
    );
    let show = Test::new()
        .args(["roles", "show", "strategic-account-leader"])
        .any_stdout()
        .run()
        .stdout;
    assert!(show.contains("\n  Chorus                 Okta tile from day 1*"));
    assert!(show.contains("\n  Salesforce             Okta tile from day 1 "));
    assert!(show.contains("\n  Periscope              through your manager "));
    assert!(show.contains("* not stated on the source page: an assumption to confirm"));
}

#[test]
fn a_broken_yaml_file_gives_its_file_and_line() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    fs::write(
        roles.join("sales.yaml"),
        "id: sales\nname: Sales\ntasks:\n  - title: [unclosed\n",
    )
    .unwrap();
    let run = Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr_has("error: roles/sales.yaml:")
        .run();
    assert!(
        run.stderr.starts_with("error: roles/sales.yaml:4:")
            || run.stderr.starts_with("error: roles/sales.yaml:5:"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "one problem: {}", run.stderr);
}

#[test]
fn every_catalogue_error_is_reported_at_once_and_nothing_is_written() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let edit = |file: &str, from: &str, to: &str| {
        let path = roles.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} lacks {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "strategic-account-leader.yaml",
        "tool: clari",
        "tool: clarri",
    );
    edit(
        "strategic-account-leader.yaml",
        "due: day 3",
        "due: day zero",
    );
    edit(
        "sales.yaml",
        "extends: all-team-members",
        "extends: strategic-account-leader",
    );
    edit(
        "commercial-sales.yaml",
        "name: Commercial Sales",
        "name: Commercial Sales\nnmae: typo",
    );
    edit("tools.yaml", "access: okta", "access: otka");
    fs::write(roles.join("zz-duplicate.yaml"), "id: sales\nname: Again\n").unwrap();
    let before = names(&roles);
    let run = Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr_has("unknown tool 'clarri' (did you mean 'clari'?)")
        .stderr_has("bad due expression 'day zero'")
        .stderr_has("extends cycle:")
        .stderr_has("unknown field `nmae`")
        .stderr_has("unknown access mode 'otka' (did you mean 'okta'?)")
        .stderr_has("role id 'sales' does not match its file name 'zz-duplicate.yaml'")
        .run();
    let report = run
        .stderr
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("{}", run.stderr));
    for line in report.lines().filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(4, ':');
        let (file, line_no, column) = (
            parts.next().unwrap(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        assert!(file.ends_with(".yaml"), "{line}");
        assert!(
            line_no.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
            "not file:line:column: {line}"
        );
    }
    assert_eq!(names(&home.work()), ["roles"], "nothing is written");
    assert_eq!(names(&roles), before, "nothing is written");
}

#[test]
fn templates_can_be_overridden_and_are_validated() {
    let home = Home::new();
    home.file(
        "tpl/checklist.md.hbs",
        "Hello {{hire.name}}, {{task_count}} tasks\n",
    );
    let out = Test::in_home(&home)
        .args(["checklist", "--templates", "tpl"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .stdout_has("Hello Ada, ")
        .run();
    let count = out
        .stdout
        .strip_prefix("Hello Ada, ")
        .and_then(|rest| rest.strip_suffix(" tasks\n"))
        .and_then(|n| n.parse::<usize>().ok());
    assert!(count.is_some_and(|n| n > 0), "{:?}", out.stdout);
    let broken = Home::new();
    broken.file("tpl/checklist.md.hbs", "line\n{{#each phases}}\n");
    Test::in_home(&broken)
        .args(["validate", "--templates", "tpl"])
        .status(3)
        .stderr_has("error: tpl/checklist.md.hbs:3:1: template does not compile: ")
        .run();
    let missing = Home::new();
    missing.file(
        "tpl/checklist.md.hbs",
        "# {{hire.name}}\n\n{{hire.nickname}}\n",
    );
    Test::in_home(&missing)
        .args(["validate", "--templates", "tpl"])
        .status(3)
        .stderr(
            "error: tpl/checklist.md.hbs:3:1: template uses 'hire.nickname', which does not exist\n",
        )
        .run();
}

#[test]
fn an_unsupported_shell_is_refused() {
    // An unsupported shell is refused by clap, naming the value.
    Test::new()
        .args(["completions", "tcsh"])
        .status(2)
        .stderr_has("error: invalid value 'tcsh' for '<SHELL>'\n")
        .stderr_has("[possible values: bash, elvish, fish, powershell, zsh]")
        .run();
}

#[test]
fn missing_catalogue_and_template_folders_are_named() {
    Test::new()
        .args(["validate", "--roles", "/nonexistent/roles"])
        .status(3)
        .stderr("error: cannot read /nonexistent/roles: No such file or directory (os error 2)\n")
        .run();
    Test::new()
        .args(["roles", "list", "--templates", "/nonexistent/templates"])
        .status(3)
        .stderr(
            "error: cannot read /nonexistent/templates: No such file or directory (os error 2)\n",
        )
        .run();
}

#[test]
fn validate_renders_every_template_including_inside_loops() {
    for (file, text, at, field) in [
        (
            "access-request.md.hbs",
            "{{#each groups}}{{#each systems}}{{name}} {{owner}}{{/each}}{{/each}}\n",
            "1:43",
            "owner",
        ),
        (
            "access-result.txt.hbs",
            "{{#each issues}}{{this.url}} {{this.state}}\n{{/each}}",
            "1:30",
            "this.state",
        ),
        (
            "access-preview.txt.hbs",
            "{{#each existing}}{{this.title}}{{/each}}",
            "1:19",
            "this.title",
        ),
        (
            "batch-summary.txt.hbs",
            "{{#each entries}}{{access.reason}}{{/each}}",
            "1:18",
            "access.reason",
        ),
        (
            "wizard-summary.txt.hbs",
            "{{#each first_due}}{{when}}{{/each}}",
            "1:20",
            "when",
        ),
        (
            "access-plan.txt.hbs",
            "{{title}} {{assignee_name}}",
            "1:11",
            "assignee_name",
        ),
    ] {
        let home = Home::new();
        home.file(&format!("tpl/{file}"), text);
        Test::in_home(&home)
            .args(["validate", "--templates", "tpl"])
            .status(3)
            .stderr(&format!(
                "error: tpl/{file}:{at}: template uses '{field}', which does not exist\n"
            ))
            .run();
    }
}

#[test]
fn a_task_may_name_only_a_tool_its_role_gets_unless_it_comes_with_the_tool() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let path = roles.join("strategic-account-leader.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("{yaml}\n  - title: Look up one account in Datafox\n    owner: new-hire\n    due: week 2\n"),
    )
    .unwrap();
    let line = yaml.lines().count() + 2;
    let roles_arg = roles.to_str().unwrap().to_string();
    Test::in_home(&home)
        .args(["validate", "--roles", &roles_arg])
        .status(3)
        .stderr(&format!(
            "error: {}:{line}:12: the task names Datafox, which a strategic-account-leader does not get; add 'tool: datafox' so the task comes only with it, or give the role the tool\n",
            path.display()
        ))
        .run();
    fs::write(
        &path,
        format!("{yaml}\n  - title: Look up one account in Datafox\n    owner: new-hire\n    due: week 2\n    tool: datafox\n"),
    )
    .unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", &roles_arg])
        .stdout_has("ok: ")
        .run();
    let checklist = |extra: &[&str]| {
        Test::in_home(&home)
            .args(["checklist", "--roles", &roles_arg])
            .args(hire(
                "strategic-account-leader",
                "Ada Lovelace",
                "2026-12-07",
            ))
            .args(extra)
            .any_stdout()
            .run()
            .stdout
    };
    assert!(!checklist(&[]).contains("Look up one account in Datafox"));
    assert!(checklist(&["--with", "datafox"]).contains("Look up one account in Datafox"));
}

#[test]
fn the_access_request_and_the_approval_task_list_the_systems_in_one_order() {
    let plan = Test::new()
        .args(["access", "plan"])
        .args(hire(
            "strategic-account-leader",
            "Ada Lovelace",
            "2026-12-07",
        ))
        .args(["--email", "ada@example.com", "--manager", "mgr.jones"])
        .any_stdout()
        .run()
        .stdout;
    let title = plan
        .lines()
        .find_map(|l| l.trim().strip_prefix("Title:"))
        .unwrap()
        .trim()
        .strip_prefix("Ada Lovelace, ")
        .unwrap()
        .strip_suffix(", Strategic Account Leader")
        .unwrap()
        .to_string();
    let checklist = Test::new()
        .args(["checklist"])
        .args(hire(
            "strategic-account-leader",
            "Ada Lovelace",
            "2026-12-07",
        ))
        .any_stdout()
        .run()
        .stdout;
    assert!(
        checklist.contains(&format!(
            ": Approve the access request for {title} (Access requests)"
        )),
        "{title}"
    );
}
