//! `roles`, `validate`, template overrides, completions and the manual.

use std::fs;

use crate::support::{copy_roles, hire, Onboard};

const ALL_ROLES: &[&str] = &[
    "all-team-members",
    "sales",
    "enterprise-sales",
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
];

#[test]
fn roles_list_shows_every_role_with_its_layers() {
    let run = Onboard::new().args(["roles", "list"]).run().success();
    for role in ALL_ROLES {
        assert!(
            run.stdout.contains(role),
            "{role} missing from:\n{}",
            run.stdout
        );
    }
    assert!(run
        .stdout
        .contains("all-team-members > sales > enterprise-sales > strategic-account-leader"));
    let json: serde_json::Value = serde_json::from_str(
        &Onboard::new()
            .args(["roles", "list", "--json"])
            .run()
            .success()
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
        &Onboard::new()
            .args(["roles", "show", "strategic-account-leader", "--json"])
            .run()
            .success()
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
    let text = Onboard::new()
        .args(["roles", "show", "strategic-account-leader"])
        .run()
        .success()
        .stdout;
    assert!(
        text.starts_with("Strategic Account Leader (strategic-account-leader)"),
        "{text}"
    );
    assert!(text.contains("through your SDR"), "{text}");
    Onboard::new()
        .args(["roles", "show", "sal"])
        .run()
        .code(3)
        .stderr_has("unknown role 'sal'");
}

#[test]
fn the_embedded_catalogue_is_valid_from_an_empty_folder() {
    let run = Onboard::new().args(["validate"]).run().success();
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
    assert!(fs::read_dir(Onboard::new().dir()).unwrap().next().is_none());
}

#[test]
fn a_broken_yaml_file_gives_its_file_and_line() {
    let onboard = Onboard::new();
    let roles = onboard.dir().join("roles");
    copy_roles(&roles);
    fs::write(
        roles.join("sales.yaml"),
        "id: sales\nname: Sales\ntasks:\n  - title: [unclosed\n",
    )
    .unwrap();
    let run = onboard.args(["validate", "--roles", "roles"]).run().code(3);
    assert!(
        run.stderr.contains("roles/sales.yaml:4:") || run.stderr.contains("roles/sales.yaml:5:"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_catalogue_error_is_reported_at_once_and_nothing_is_written() {
    let onboard = Onboard::new();
    let roles = onboard.dir().join("roles");
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
    let run = onboard.args(["validate", "--roles", "roles"]).run().code(3);
    let expected = [
        "unknown tool 'clarri' (did you mean 'clari'?)",
        "bad due expression 'day zero'",
        "extends cycle:",
        "unknown field `nmae`",
        "unknown access mode 'otka' (did you mean 'okta'?)",
        "role id 'sales' does not match its file name 'zz-duplicate.yaml'",
    ];
    for message in expected {
        assert!(
            run.stderr.contains(message),
            "missing {message:?} in:\n{}",
            run.stderr
        );
    }
    for line in run.stderr.lines().skip(1).filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(4, ':');
        let (file, line_no, column) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        assert!(file.ends_with(".yaml"), "{line}");
        assert!(
            line_no.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
            "not file:line:column: {line}"
        );
    }
}

#[test]
fn templates_can_be_overridden_and_are_validated() {
    let onboard = Onboard::new();
    onboard.file(
        "tpl/checklist.md.hbs",
        "Hello {{hire.name}}, {{task_count}} tasks\n",
    );
    onboard
        .args(["checklist", "--templates", "tpl"])
        .args(hire("sales", "Ada", "2026-12-07"))
        .run()
        .success()
        .stdout_has("Hello Ada, ");
    let broken = Onboard::new();
    broken.file("tpl/checklist.md.hbs", "line\n{{#each phases}}\n");
    broken
        .args(["validate", "--templates", "tpl"])
        .run()
        .code(3)
        .stderr_has("tpl/checklist.md.hbs:")
        .stderr_has("does not compile");
    let missing = Onboard::new();
    missing.file(
        "tpl/checklist.md.hbs",
        "# {{hire.name}}\n\n{{hire.nickname}}\n",
    );
    missing
        .args(["validate", "--templates", "tpl"])
        .run()
        .code(3)
        .stderr_has("tpl/checklist.md.hbs:3:")
        .stderr_has("hire.nickname");
}

#[test]
fn completions_and_the_manual_come_from_the_command_line_types() {
    Onboard::new()
        .args(["completions", "bash"])
        .run()
        .success()
        .stdout_has("checklist")
        .stdout_has("--gitlab-url");
    Onboard::new()
        .args(["completions", "zsh"])
        .run()
        .success()
        .stdout_has("#compdef onboard");
    Onboard::new()
        .args(["man"])
        .run()
        .success()
        .stdout_has(".TH onboard")
        .stdout_has("checklist");
    Onboard::new().args(["completions", "tcsh"]).run().code(2);
}

#[test]
fn missing_catalogue_and_template_folders_are_named() {
    Onboard::new()
        .args(["validate", "--roles", "/nonexistent/roles"])
        .run()
        .code(3)
        .stderr_has("cannot read /nonexistent/roles");
    Onboard::new()
        .args(["roles", "list", "--templates", "/nonexistent/templates"])
        .run()
        .code(3)
        .stderr_has("cannot read /nonexistent/templates");
}

#[test]
fn validate_renders_every_template_including_inside_loops() {
    for (file, text, field) in [
        (
            "access-request.md.hbs",
            "{{#each groups}}{{#each systems}}{{name}} {{owner}}{{/each}}{{/each}}\n",
            "owner",
        ),
        (
            "access-result.txt.hbs",
            "{{#each issues}}{{this.url}} {{this.state}}\n{{/each}}",
            "state",
        ),
        (
            "access-preview.txt.hbs",
            "{{#each existing}}{{this.title}}{{/each}}",
            "title",
        ),
        (
            "batch-summary.txt.hbs",
            "{{#each entries}}{{access.reason}}{{/each}}",
            "access.reason",
        ),
        (
            "wizard-summary.txt.hbs",
            "{{#each first_due}}{{when}}{{/each}}",
            "when",
        ),
        (
            "access-plan.txt.hbs",
            "{{title}} {{assignee_name}}",
            "assignee_name",
        ),
    ] {
        let onboard = Onboard::new();
        onboard.file(&format!("tpl/{file}"), text);
        let run = onboard
            .args(["validate", "--templates", "tpl"])
            .run()
            .code(3);
        assert!(
            run.stderr.contains(&format!("tpl/{file}:")),
            "{file}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(field), "{file}: {}", run.stderr);
    }
}
