//! Hostile servers and leaked secrets: answers that never end, trickle in
//! or break; listings that never end; escape sequences in what a server
//! says; secrets in addresses and answers; a catalogue file that points
//! out of its folder. Each through the real binary.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::support::fake_gitlab::{FakeGitlab, NewIssue, Redirect, DEFAULT_PROJECT};
use crate::support::{copy_roles, file_roster, file_sal, sal_plan, Home, Test, SAL};

/// A token that must never be printed.
const SECRET: &str = "glpat-HOSTILE-0123456789";

fn fake() -> FakeGitlab {
    FakeGitlab::default_builder().token(SECRET, "root").start()
}

/// `access file` for the SAL hire, with the secret token.
fn file(gitlab: &FakeGitlab, home: &Arc<Home>) -> Test {
    file_sal(home, &gitlab.url(), SECRET)
}

/// The SAL hire's access-request key.
fn sal_key() -> String {
    sal_plan()["key"].as_str().unwrap().to_string()
}

/// A fake GitLab with a user named `username` (a server may send any
/// name), who has opened an issue carrying the SAL hire's marker: an
/// untrusted author, whom filing names in a warning. Returns the issue.
fn spoofed_by(username: &str) -> (FakeGitlab, Value) {
    let gitlab = FakeGitlab::default_builder()
        .user(47, username, "Someone")
        .token(SECRET, "root")
        .start();
    let spoof = gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Ada Lovelace, everything, SAL")
            .description(format!(
                "<!-- onboard-request key: {} systems: clari start: 2026-12-07 -->\n",
                sal_key()
            ))
            .author(username),
    );
    (gitlab, spoof)
}

/// A fake GitLab holding `n` issues that carry the SAL hire's marker, each
/// followed by `padding`, for listings as long or as large as a test needs.
fn with_copies(n: usize, padding: &str) -> FakeGitlab {
    let gitlab = fake();
    let key = sal_key();
    for i in 0..n {
        gitlab.add_issue(
            DEFAULT_PROJECT,
            NewIssue::new(format!("Copy {i}"))
                .description(format!(
                    "<!-- onboard-request key: {key} systems: clari start: 2026-12-07 -->\n{padding}"
                ))
                .author("mallory"),
        );
    }
    gitlab
}

/// A config file in `home` with these `gitlab:` settings.
fn gitlab_config(home: &Arc<Home>, settings: &str) -> String {
    home.file("config.yaml", &format!("gitlab:\n{settings}"))
        .display()
        .to_string()
}

#[test]
fn an_answer_that_never_ends_is_cut_at_the_limit_in_bounded_memory() {
    let gitlab = fake();
    // `GET /user`, which checks the token before anything else.
    gitlab.endless_next(1);
    let url = gitlab.url();
    file(&gitlab, &Home::new())
        .status(4)
        .stderr(&format!("error: GitLab at {url} sent more than 16 MiB in answer to GET /api/v4/user; no GitLab answer is that large, so the address may not be GitLab or something in the way is misbehaving (the limit is gitlab.max_response_mib in the config file; a listing's pages together may hold four times that)\n"))
        .peak_memory_under(100)
        .run();

    let home = Home::new();
    let config = gitlab_config(&home, "  max_response_mib: 1\n");
    gitlab.endless_next(1);
    file(&gitlab, &home)
        .env("ONBOARD_CONFIG", &config)
        .status(4)
        .stderr_has("sent more than 1 MiB in answer to GET /api/v4/user")
        .peak_memory_under(100)
        .run();
    let zero = gitlab_config(&home, "  max_response_mib: 0\n");
    file(&gitlab, &home)
        .env("ONBOARD_CONFIG", &zero)
        .status(2)
        .stderr_has("config.yaml:2:")
        .stderr_has("max_response_mib")
        .run();
}

#[test]
fn a_listing_that_goes_on_past_the_page_limit_is_stopped() {
    // More issues carry the marker than one page of 100 holds.
    let gitlab = with_copies(101, "");
    let home = Home::new();
    let config = gitlab_config(&home, "  max_pages: 1\n");
    file(&gitlab, &home)
        .env("ONBOARD_CONFIG", &config)
        .status(4)
        .stderr_has(&format!(
            "GitLab at {} kept sending pages in answer to GET /api/v4/projects/7/issues, beyond 1; stopped there (the limit is gitlab.max_pages in the config file)",
            gitlab.url()
        ))
        .run();
    let pages: Vec<_> = gitlab
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/issues"))
        .collect();
    assert_eq!(pages.len(), 1, "the second page is never asked for");
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 101, "nothing filed");
}

#[test]
fn a_listing_is_bounded_as_a_whole_not_page_by_page() {
    // Pages of about 830 KiB: each under 1 MiB, and the fifth takes the
    // listing past the 4 MiB its pages may hold together.
    let gitlab = with_copies(600, &"x".repeat(8 * 1024));
    let home = Home::new();
    let config = gitlab_config(&home, "  max_response_mib: 1\n");
    file(&gitlab, &home)
        .env("ONBOARD_CONFIG", &config)
        .status(4)
        .stderr_has("sent more than 4 MiB in answer to GET /api/v4/projects/7/issues")
        .run();
    let pages = gitlab
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/issues"))
        .count();
    assert_eq!(
        pages, 5,
        "four pages are within the limit, the fifth is not"
    );
}

#[test]
fn an_answer_trickling_in_is_not_taken_for_silence() {
    let gitlab = fake();
    // Silence is noticed after 10 s, scaled to 0.5 s here; `GET /user`
    // (about a kilobyte) takes over that, but a byte arrives every 2 ms.
    gitlab.trickle_next(1, Duration::from_millis(2));
    let out = file(&gitlab, &Home::new())
        .env("ONBOARD_TIME_SCALE", "0.05")
        .stdout_has("created ")
        .any_stderr()
        .run();
    assert!(!out.stderr.contains("has not answered"), "{}", out.stderr);
    assert_eq!(gitlab.requests()[0].path, "/api/v4/user");
}

#[test]
fn gateway_pages_and_broken_answers_are_named_for_what_they_are() {
    let gitlab = fake();
    let url = gitlab.url();
    // The first try and every retry of `GET /user`.
    gitlab.fail_next(5, 502);
    file(&gitlab, &Home::new())
        .status(4)
        .stderr(&format!("error: the gateway in front of GitLab at {url} answered HTTP 502 (Bad Gateway) while trying to check the token: GitLab is down, restarting or overloaded; try again in a few minutes (a re-run files nothing twice)\n"))
        .run();
    gitlab.reset_faults();
    gitlab.truncate_next(1);
    file(&gitlab, &Home::new())
        .status(4)
        .stderr(&format!("error: GitLab at {url} answered HTTP 200 while trying to check the token, but the answer is broken (not valid JSON: cut off or garbled on the way); try again, and if it persists look for a proxy in the way\n"))
        .run();
}

#[test]
fn escape_sequences_in_a_server_username_reach_no_terminal() {
    let hostile = "ev\u{1b}]0;pwned\u{7}il\u{1b}[2J\u{202e}resu";
    let (gitlab, spoof) = spoofed_by(hostile);
    let home = Home::new();
    home.file(
        "roster.csv",
        "name,email,username,role,start_date,manager,buddy\nAda Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n",
    );
    file_roster(&home, &gitlab.url(), SECRET)
        .stdout_has("Requests    1 created")
        .stderr_has(&format!("warning: ignored #{} by evilresu", spoof["iid"]))
        .nowhere("\u{1b}")
        .nowhere("\u{7}")
        .nowhere("\u{202e}")
        .run();

    // JSON keeps the name as it is, every hidden character escaped.
    let json = Test::in_home(&Home::new())
        .args([
            "access",
            "file",
            "--yes",
            "--json",
            "--gitlab-url",
            &gitlab.url(),
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .any_stdout()
        .nowhere("\u{1b}")
        .nowhere("\u{202e}")
        .run()
        .stdout;
    assert!(
        json.contains(r"ev\u001b]0;pwned\u0007il\u001b[2J\u202eresu"),
        "{json}"
    );
    let value: Value = serde_json::from_str(&json).unwrap();
    assert!(holds(&value, hostile), "the data is unchanged: {json}");
}

/// Whether any string in `value` contains `text`.
fn holds(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s.contains(text),
        Value::Array(items) => items.iter().any(|v| holds(v, text)),
        Value::Object(map) => map.values().any(|v| holds(v, text)),
        _ => false,
    }
}

#[test]
fn a_password_or_token_in_the_address_is_never_printed() {
    for (url, shown) in [
        (
            "http://bob:SECRETPW123@gitlab.example.com",
            "'http://gitlab.example.com' is not a usable GitLab address: it carries a user name or password",
        ),
        (
            "https://gitlab.example.com/?private_token=SECRETPW123",
            "'https://gitlab.example.com/?private_token=[redacted]' is not a usable GitLab address: the address cannot have a query or fragment",
        ),
        (
            "http://bob:SECRETPW123@gitlab.example.com:99999",
            "'http://gitlab.example.com:99999' is not a usable GitLab address: invalid port number",
        ),
    ] {
        Test::new()
            .args(["access", "file", "--yes", "--gitlab-url", url])
            .args(SAL)
            .env("GITLAB_TOKEN", SECRET)
            .status(2)
            .stderr_has(shown)
            .nowhere("SECRETPW123")
            .nowhere("bob")
            .run();
    }
}

#[test]
fn a_token_shaped_string_from_anywhere_is_redacted() {
    // Not the configured token: what a server says, here a username.
    let leaked = "glpat-Leaked0123456789";
    let (gitlab, spoof) = spoofed_by(leaked);
    file(&gitlab, &Home::new())
        .stdout_has(&format!("warning: ignored #{} by [redacted]", spoof["iid"]))
        .nowhere("Leaked0123456789")
        .run();
}

#[test]
fn a_token_in_an_address_a_server_gives_is_not_printed() {
    let gitlab = fake();
    gitlab.set_redirect(Some(Redirect::new(
        302,
        "https://sso.example.com/login?next=1&private_token=SSO-SECRET-42",
    )));
    file(&gitlab, &Home::new())
        .status(4)
        .stderr_has("answered with a redirect to https://sso.example.com/login?next=1&private_token=[redacted]")
        .nowhere("SSO-SECRET-42")
        .run();
}

#[test]
fn zero_seconds_is_no_timeout() {
    Test::new()
        .args(["access", "file", "--yes", "--timeout", "0"])
        .args(SAL)
        .status(2)
        .stderr_has(
            "invalid value '0' for '--timeout <SECONDS>': a request needs at least 1 second",
        )
        .run();
}

#[cfg(unix)]
#[test]
fn a_role_file_linked_from_outside_the_catalogue_is_refused_unread() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let outside = home.file("secret.yaml", "id: x\nname: TOP-SECRET-CONTENTS\n: [\n");
    std::os::unix::fs::symlink(&outside, roles.join("evil.yaml")).unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .status(3)
        .stderr("error: cannot read roles/evil.yaml: it is a symbolic link to a file outside roles; files of a catalogue or templates folder must be inside it\n")
        .nowhere("TOP-SECRET")
        .run();
    // A link that stays inside the folder is read as usual.
    std::fs::remove_file(roles.join("evil.yaml")).unwrap();
    std::fs::rename(roles.join("sales.yaml"), roles.join("sales.yaml.orig")).unwrap();
    std::os::unix::fs::symlink("sales.yaml.orig", roles.join("sales.yaml")).unwrap();
    Test::in_home(&home)
        .args(["validate", "--roles", "roles"])
        .any_stdout()
        .run();
}
