//! `onboard access plan` and `access file` against the fake GitLab.

use std::fs;

use serde_json::Value;

use crate::support::fake_gitlab::{
    FakeGitlab, LostResponse, NewIssue, DEFAULT_PROJECT, DEFAULT_TOKEN, READONLY_TOKEN,
};
use crate::support::{hire, Onboard, Run, SAL};

/// A token that must never be printed.
const SECRET: &str = "glpat-TOPSECRET-0123456789";

fn fake() -> FakeGitlab {
    FakeGitlab::default_builder().token(SECRET, "root").start()
}

fn file_cmd(gitlab: &FakeGitlab) -> Onboard {
    Onboard::new()
        .args(["access", "file", "--yes", "--gitlab-url"])
        .args([gitlab.url()])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
}

/// The SAL hire's planned request, as `access plan --json` prints it.
fn sal_plan() -> Value {
    let out = Onboard::new()
        .args(["access", "plan", "--json"])
        .args(SAL)
        .run()
        .success()
        .stdout;
    serde_json::from_str(&out).expect("JSON")
}

/// How many issues the project holds.
fn filed(gitlab: &FakeGitlab) -> usize {
    gitlab.issues(DEFAULT_PROJECT).len()
}

fn creates(gitlab: &FakeGitlab) -> usize {
    gitlab
        .requests()
        .iter()
        .filter(|r| r.is_create_issue() && r.processed)
        .count()
}

fn issue_lines(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with("created ") || l.starts_with("exists "))
        .collect()
}

const SAL_REQUESTS: &[&str] = &[
    "Clari",
    "Salesforce Inbox",
    "Lucidchart",
    "Outreach.io",
    "CustomersDot Admin",
    "LicenseDot",
];

#[test]
fn plan_shows_the_requests_without_the_network() {
    let run = Onboard::new()
        .args(["access", "plan"])
        .args(SAL)
        .env("GITLAB_HOST", "http://127.0.0.1:9")
        .run()
        .success();
    assert!(
        run.stdout.contains("Title:        Ada Lovelace, Clari, "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("@mgr.jones"));
    assert!(run.stdout.contains("AR-Approval::Needs Manager Approval"));
    for system in SAL_REQUESTS {
        assert!(
            run.stdout.contains(system),
            "{system} missing:\n{}",
            run.stdout
        );
    }
    let json = sal_plan();
    assert_eq!(json["assignee"], "mgr.jones");
    assert_eq!(json["due"], "2026-12-07");
    assert_eq!(json["confidential"], true);
    assert!(json["key"].as_str().unwrap().starts_with("onboard"));
    let groups = json["groups"].as_array().unwrap();
    assert!(groups.len() >= 2, "grouped by provisioner");
    assert!(groups
        .iter()
        .all(|g| !g["systems"].as_array().unwrap().is_empty()));
}

#[test]
fn plan_needs_an_email_and_a_manager() {
    Onboard::new()
        .args(["access", "plan"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .args(["--email", "a@example.com"])
        .run()
        .code(2)
        .stderr_has("access requests need --manager");
    Onboard::new()
        .args(["access", "plan"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .args(["--manager", "m"])
        .run()
        .code(2)
        .stderr_has("access requests need --email");
}

#[test]
fn filing_creates_one_confidential_labelled_assigned_issue_and_prints_its_url() {
    let gitlab = fake();
    let run = file_cmd(&gitlab).run().success().nowhere(SECRET);
    let lines = issue_lines(&run);
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with(&format!(
            "created {}/{DEFAULT_PROJECT}/-/issues/1 (Clari, ",
            gitlab.url()
        )),
        "{}",
        lines[0]
    );
    let issues = gitlab.issues(DEFAULT_PROJECT);
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(issue["confidential"], true);
    assert_eq!(issue["due_date"], "2026-12-07");
    assert_eq!(issue["assignees"][0]["username"], "mgr.jones");
    let labels: Vec<&str> = issue["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for label in [
        "AR-Approval::Needs Manager Approval",
        "NewAccessRequest",
        "BaselineEntitlementAR",
        "SalesSystems::to do",
    ] {
        assert!(labels.contains(&label), "{label} missing from {labels:?}");
    }
    let title = issue["title"].as_str().unwrap();
    assert!(
        title.starts_with("Ada Lovelace, Clari, ") && title.ends_with(", Strategic Account Leader"),
        "{title}"
    );
    let body = issue["description"].as_str().unwrap();
    let boxes = body.lines().filter(|l| l.starts_with("- [ ] **")).count();
    assert_eq!(
        boxes,
        SAL_REQUESTS.len(),
        "one task line per system:\n{body}"
    );
    assert!(body.contains("- [ ] **Clari**, access level: "));
    assert!(body.contains("<!-- onboard-request key: onboard"));
    assert_eq!(
        issue["task_completion_status"]["count"].as_u64().unwrap() as usize,
        SAL_REQUESTS.len() + 3
    );
    let create = gitlab
        .requests()
        .into_iter()
        .find(|r| r.is_create_issue())
        .unwrap();
    assert_eq!(create.header("PRIVATE-TOKEN"), Some(SECRET));
    assert_eq!(create.form_values("assignee_ids[]"), ["42"]);
    assert!(create
        .header("content-type")
        .unwrap()
        .starts_with("application/x-www-form-urlencoded"));
    assert!(
        gitlab.requests().iter().any(|r| r.path == "/api/v4/user"),
        "the token is checked first"
    );
}

#[test]
fn running_again_files_nothing_new_even_without_the_journal() {
    let gitlab = fake();
    let onboard = file_cmd(&gitlab);
    onboard.run().success();
    let first = gitlab.issues(DEFAULT_PROJECT);
    let again = onboard.run().success();
    assert!(again.stdout.starts_with("exists "), "{}", again.stdout);
    assert_eq!(filed(&gitlab), 1);
    assert!(onboard.journal().exists());
    gitlab.clear_requests();
    onboard.run().success();
    assert!(
        gitlab
            .requests()
            .iter()
            .all(|r| !r.path.ends_with("/issues")),
        "the journal answers without a lookup"
    );
    fs::remove_file(onboard.journal()).unwrap();
    let from_lookup = onboard.run().success();
    assert!(from_lookup
        .stdout
        .contains(first[0]["web_url"].as_str().unwrap()));
    assert_eq!(filed(&gitlab), 1, "found by its key, not filed again");
    assert_eq!(creates(&gitlab), 0);
    gitlab.close_issue(DEFAULT_PROJECT, 1);
    fs::remove_file(onboard.journal()).unwrap();
    onboard.run().success().stdout_has("exists ");
    assert_eq!(filed(&gitlab), 1, "a closed request still counts");
}

#[test]
fn a_tool_added_later_is_filed_on_its_own() {
    let gitlab = fake();
    file_cmd(&gitlab).run().success();
    let more = file_cmd(&gitlab)
        .args(["--with", "datafox"])
        .run()
        .success();
    assert_eq!(issue_lines(&more).len(), 2, "{}", more.stdout);
    assert!(
        more.stdout.contains("created ") && more.stdout.contains("(Datafox)"),
        "{}",
        more.stdout
    );
    let issues = gitlab.issues(DEFAULT_PROJECT);
    assert_eq!(issues.len(), 2);
    assert!(issues
        .iter()
        .any(|i| i["title"] == "Ada Lovelace, Datafox, Strategic Account Leader"));
}

#[test]
fn dry_run_prints_the_request_and_sends_no_write() {
    let gitlab = fake();
    let run = file_cmd(&gitlab).args(["--dry-run"]).run().success();
    assert!(
        run.stdout
            .contains(&format!("POST {}/api/v4/projects/7/issues", gitlab.url())),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("assignee_ids[]   42"), "{}", run.stdout);
    assert!(run.stdout.contains("confidential     true"));
    assert!(run.stdout.contains("<!-- onboard-request key: onboard"));
    assert!(
        gitlab.requests().iter().all(|r| r.method == "GET"),
        "only reads"
    );
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
    let offline = Onboard::new()
        .args(["access", "file", "--dry-run"])
        .args(SAL)
        .run()
        .success();
    assert!(
        offline.stdout.contains("GITLAB_TOKEN is not set"),
        "{}",
        offline.stdout
    );
    assert!(offline.stdout.contains("POST https://gitlab.com/api/v4/projects/gitlab-com%2Fteam-member-epics%2Faccess-requests/issues"));
}

#[test]
fn a_wrong_token_exits_4_and_files_nothing() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .env("GITLAB_TOKEN", "glpat-wrong-token-value")
        .run()
        .code(4)
        .stderr_has("rejected the token in GITLAB_TOKEN (401 Unauthorized)")
        .nowhere("glpat-wrong-token-value");
    assert_eq!(creates(&gitlab), 0);
}

#[test]
fn an_unknown_project_exits_4_and_names_it() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .args(["--project", "it/no-such-project"])
        .run()
        .code(4)
        .stderr_has("project 'it/no-such-project' was not found")
        .nowhere(SECRET);
    assert_eq!(creates(&gitlab), 0);
}

#[test]
fn missing_rights_exit_4_with_their_own_message() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .env("GITLAB_TOKEN", READONLY_TOKEN)
        .run()
        .code(4)
        .stderr_has("403 Forbidden");
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn an_unknown_manager_exits_4_and_names_them() {
    let gitlab = fake();
    file_cmd(&gitlab).args(["--manager", "nobody.here"]).run();
    let run = Onboard::new()
        .args(["access", "file", "--yes", "--gitlab-url"])
        .args([gitlab.url()])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .args(["--email", "a@example.com", "--manager", "nobody.here"])
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .code(4);
    assert!(
        run.stderr.contains("no GitLab user 'nobody.here'"),
        "{}",
        run.stderr
    );
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn an_unreachable_host_exits_4() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    Onboard::new()
        .args([
            "access",
            "file",
            "--yes",
            "--gitlab-url",
            &format!("http://127.0.0.1:{port}"),
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .code(4)
        .stderr_has(&format!("cannot reach GitLab at http://127.0.0.1:{port}"))
        .nowhere(SECRET);
}

/// A server that answers anything, TLS included, with plain HTTP bytes.
fn not_tls() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = std::io::Write::write_all(
                &mut stream,
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
            );
        }
    });
    host
}

#[test]
fn a_tls_failure_exits_4_with_its_own_message() {
    let host = not_tls();
    Onboard::new()
        .args([
            "access",
            "file",
            "--yes",
            "--gitlab-url",
            &format!("https://{host}"),
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .code(4)
        .stderr_has("TLS handshake with https://127.0.0.1")
        .nowhere(SECRET);
}

#[test]
fn plain_http_to_a_remote_host_and_a_missing_token_are_refused() {
    Onboard::new()
        .args([
            "access",
            "file",
            "--yes",
            "--gitlab-url",
            "http://gitlab.example.com",
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .code(2)
        .stderr_has("refusing plain http to gitlab.example.com");
    Onboard::new()
        .args(["access", "file", "--yes"])
        .args(SAL)
        .run()
        .code(2)
        .stderr_has("GITLAB_TOKEN is not set");
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_filed() {
    let gitlab = fake();
    Onboard::new()
        .args(["access", "file", "--gitlab-url"])
        .args([gitlab.url()])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .code(2)
        .stderr_has("pass --yes");
    assert!(gitlab.requests().is_empty());
}

#[test]
fn user_text_cannot_run_quick_actions_or_mention_everyone() {
    let gitlab = fake();
    Onboard::new()
        .args(["access", "file", "--yes", "--gitlab-url"])
        .args([gitlab.url()])
        .args(hire(
            "strategic-account-leader",
            "Ada\n/assign @root\n/close\n@all <img src=x> [x](javascript:1) | #1 ~bug",
            "2026-12-07",
        ))
        .args(["--email", "ada@example.com", "--manager", "mgr.jones"])
        .env("GITLAB_TOKEN", SECRET)
        .run()
        .success();
    let issue = &gitlab.issues(DEFAULT_PROJECT)[0];
    let body = issue["description"].as_str().unwrap();
    for line in body.lines() {
        assert!(
            !line.trim_start().starts_with('/'),
            "a line could run a quick action: {line}"
        );
    }
    let title = issue["title"].as_str().unwrap();
    for raw in ["@all", "@root", "<img", "[x](", "#1", "~bug"] {
        assert!(!body.contains(raw), "{raw} survived in the body:\n{body}");
    }
    for raw in ["@all", "@root", "#1", "~bug"] {
        assert!(!title.contains(raw), "{raw} survived in the title: {title}");
    }
    assert!(
        body.contains("\\[x\\]"),
        "brackets are escaped, so no link forms"
    );
    assert!(body.contains("@mgr.jones"), "the intended mention stays");
    assert_eq!(
        body.matches("\n| **Name** |").count(),
        1,
        "the table keeps its shape"
    );
    assert!(!issue["title"].as_str().unwrap().contains('\n'));
}

#[test]
fn a_lost_create_answer_is_looked_up_not_filed_twice() {
    for mode in [LostResponse::BadGateway, LostResponse::Drop] {
        let gitlab = fake();
        gitlab.set_lost_response(mode);
        gitlab.lose_next_creates(1);
        let run = file_cmd(&gitlab).run().success();
        assert_eq!(filed(&gitlab), 1, "{mode:?}: exactly one issue");
        assert_eq!(creates(&gitlab), 1, "{mode:?}: the create was not repeated");
        assert!(
            run.stdout.starts_with("created "),
            "{mode:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn rate_limits_are_waited_out_and_5xx_reads_retried() {
    let gitlab = fake();
    gitlab.fail_next(2, 429);
    gitlab.fail_next(1, 502);
    file_cmd(&gitlab).run().success();
    assert_eq!(filed(&gitlab), 1);
    let statuses: Vec<u16> = gitlab.requests().iter().take(4).map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [429, 429, 502, 200],
        "the same read was sent again"
    );
    let quiet = fake();
    quiet.set_429_without_headers(true);
    quiet.fail_next(1, 429);
    file_cmd(&quiet).run().success();
    assert_eq!(
        filed(&quiet),
        1,
        "a 429 without Retry-After falls back to backoff"
    );
}

#[test]
fn a_429_storm_exits_4_with_its_own_message() {
    let gitlab = fake();
    gitlab.fail_next(1000, 429);
    file_cmd(&gitlab)
        .run()
        .code(4)
        .stderr_has("kept answering 429 Too Many Requests")
        .stderr_has("nothing is filed twice")
        .nowhere(SECRET);
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn a_preexisting_request_filed_elsewhere_is_found() {
    let gitlab = fake();
    let plan = sal_plan();
    let key = plan["key"].as_str().unwrap();
    let systems = "clari,salesforce-inbox,lucidchart,outreach,customersdot-admin,licensedot";
    gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Ada Lovelace, filed by a colleague").description(format!(
            "body\n<!-- onboard-request key: {key} systems: {systems} -->\n"
        )),
    );
    gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Someone else").description(format!("mentions {key} in passing")),
    );
    file_cmd(&gitlab).run().success().stdout_has("exists ");
    assert_eq!(creates(&gitlab), 0);
    let search = gitlab
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path.ends_with("/issues"))
        .unwrap();
    assert_eq!(search.query_param("search"), Some(key));
    assert_eq!(search.query_param("in"), Some("description"));
    let _ = DEFAULT_TOKEN;
}

#[test]
fn a_slow_server_times_out_with_its_own_message() {
    let gitlab = fake();
    gitlab.set_latency(std::time::Duration::from_millis(2500));
    file_cmd(&gitlab)
        .args(["--timeout", "1"])
        .run()
        .code(4)
        .stderr_has("did not answer within 1 s while trying to check the token")
        .nowhere(SECRET);
}

#[test]
fn under_heavy_faults_each_hire_ends_with_exactly_one_request() {
    let gitlab = fake();
    gitlab.set_error_rate(0.30);
    gitlab.set_lost_create_rate(0.30);
    gitlab.set_rate_limit(5);
    let hires = ["Ada Lovelace", "Grace Hopper", "Alan Turing"];
    for (i, name) in hires.iter().enumerate() {
        let email = format!("hire{i}@example.com");
        let onboard = Onboard::new()
            .args(["access", "file", "--yes", "--gitlab-url", &gitlab.url()])
            .args(hire("strategic-account-leader", name, "2026-12-07"))
            .args(["--email", &email, "--manager", "mgr.jones"])
            .env("GITLAB_TOKEN", SECRET);
        let mut runs = 0;
        while onboard.run().code != 0 {
            runs += 1;
            assert!(runs < 4, "{name} still failing after {runs} runs");
        }
    }
    let issues = gitlab.issues(DEFAULT_PROJECT);
    for name in hires {
        let mine = issues
            .iter()
            .filter(|i| i["title"].as_str().unwrap().starts_with(name))
            .count();
        assert_eq!(mine, 1, "{name} has {mine} requests");
    }
}

#[test]
fn the_config_file_and_gitlab_host_choose_where_and_how_to_file() {
    let gitlab = FakeGitlab::default_builder()
        .token(SECRET, "root")
        .project(9, "it/access-requests")
        .start();
    let onboard = Onboard::new();
    let config = onboard.home().join("onboard.yaml");
    fs::write(
        &config,
        "gitlab:\n  project: it/access-requests\naccess_requests:\n  labels: [\"AR-Approval::Needs Manager Approval\", \"Onboarding\"]\n  confidential: false\n",
    )
    .unwrap();
    let run = onboard
        .args(["access", "file", "--yes"])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .env("GITLAB_HOST", &gitlab.url())
        .env("ONBOARD_CONFIG", config.to_str().unwrap())
        .run()
        .success();
    assert!(
        run.stdout.contains("/it/access-requests/-/issues/1"),
        "{}",
        run.stdout
    );
    let issue = &gitlab.issues("it/access-requests")[0];
    assert_eq!(issue["confidential"], false);
    let labels: Vec<&str> = issue["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Onboarding") && !labels.contains(&"NewAccessRequest"),
        "{labels:?}"
    );
    assert!(filed(&gitlab) == 0, "nothing went to the default project");
    let broken = Onboard::new();
    let bad = broken.home().join("bad.yaml");
    fs::write(&bad, "gitlab:\n  projekt: x\n").unwrap();
    broken
        .args(["access", "plan"])
        .args(SAL)
        .env("ONBOARD_CONFIG", bad.to_str().unwrap())
        .run()
        .code(2)
        .stderr_has("bad.yaml:2:")
        .stderr_has("projekt");
}
