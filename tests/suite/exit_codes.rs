//! The exit codes of the command-line contract, one small run each through
//! the real binary: the exact code and the key words of what it says.
//!
//! 130 (the wizard interrupted by Ctrl-C) needs a real terminal and is
//! asserted by `wizard_pty::ctrl_c_at_a_prompt_exits_130_and_leaves_no_file`.

use std::fs;

use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN};
use crate::support::{copy_roles, file_roster, hire, Home, Test, SAL};

#[test]
fn exit_0_when_everything_worked() {
    Test::new()
        .args(["validate"])
        .status(0)
        .stdout_has("ok: ")
        .stdout_has(" are valid\n")
        .run();
}

#[test]
fn exit_1_when_a_checklist_cannot_be_written_into_a_missing_folder() {
    let home = Home::new();
    let run = Test::in_home(&home)
        .args(["checklist"])
        .args(SAL)
        .args(["-o", "missing/ada.md"])
        .status(1)
        .stderr_has("error: cannot write missing/ada.md: No such file or directory")
        .run();
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!home.work().join("missing").exists());
}

#[test]
fn exit_1_when_the_file_system_refuses_the_batch_folder() {
    let home = Home::new();
    home.file("roster.csv", "name,email,username,role,start_date,manager,buddy\nAda Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n");
    home.file("taken", "a file where the folder should go");
    Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "taken/out"])
        .status(1)
        .stderr("error: cannot write taken/out: not a directory\n")
        .run();
}

#[test]
fn exit_2_for_a_bad_flag_value() {
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--format", "pdf"])
        .status(2)
        .stderr_has("error: invalid value 'pdf' for '--format <FORMAT>'\n")
        .stderr_has("[possible values: markdown, json]")
        .run();
}

#[test]
fn exit_2_for_a_weekend_start() {
    Test::new()
        .args(["checklist"])
        .args(hire("strategic-account-leader", "Ada Lovelace", "2026-12-06"))
        .status(2)
        .stderr("error: start: start date 2026-12-06 is a Sunday; choose a business day (the next one is 2026-12-07)\n")
        .run();
}

#[test]
fn exit_3_for_an_unknown_role() {
    Test::new()
        .args(["checklist"])
        .args(hire("no-such-role", "Ada Lovelace", "2026-12-07"))
        .status(3)
        .stderr_has("error: role: unknown role 'no-such-role'")
        .stderr_has("run `onboard roles list` to see the roles\n")
        .run();
}

#[test]
fn exit_3_for_an_invalid_catalogue() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let sal = roles.join("strategic-account-leader.yaml");
    let text = fs::read_to_string(&sal).unwrap();
    fs::write(&sal, text.replacen("tool: clari", "tool: clarri", 1)).unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr_has("error: roles/strategic-account-leader.yaml:")
        .stderr_has(": unknown tool 'clarri' (did you mean 'clari'?)\n")
        .run();
}

#[test]
fn exit_4_when_gitlab_refuses_the_token() {
    let gitlab = FakeGitlab::start_default();
    Test::new()
        .args(["access", "file", "--yes", "--gitlab-url", &gitlab.url()])
        .args(SAL)
        .env("GITLAB_TOKEN", "glpat-wrong-token-value")
        .status(4)
        .stderr_has(&format!(
            "error: GitLab at {} rejected the token",
            gitlab.url()
        ))
        .stderr_has("(401 Unauthorized)")
        .nowhere("glpat-wrong-token-value")
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn exit_5_when_some_hires_of_a_batch_fail() {
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    home.file(
        "roster.csv",
        "name,email,username,role,start_date,manager,buddy\n\
         Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n\
         Nomad Hire,nomad@example.com,,strategic-account-leader,2026-12-07,ghost.manager,\n",
    );
    let run = file_roster(&home, &gitlab.url(), DEFAULT_TOKEN)
        .status(5)
        .stdout_has("Failures    1\n  line 3, Nomad Hire: no GitLab user 'ghost.manager'")
        // One progress line per hire first, in the order they finish.
        .stderr_has("] Ada Lovelace: created ")
        .stderr_has("] Nomad Hire: failed: no GitLab user 'ghost.manager'")
        .run();
    assert!(
        run.stderr
            .ends_with("\nerror: 1 of 2 hires could not be completed (reasons above and in summary.json); re-run the same command to resume: nothing is filed twice\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1, "Ada's is filed");
}
