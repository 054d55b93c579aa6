//! `onboard access plan` and `access file` against the fake GitLab.

use std::fs;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::fake_gitlab::{
    FakeGitlab, LostResponse, NewIssue, RecordedRequest, DEFAULT_PROJECT, READONLY_TOKEN,
};
use crate::support::{hire, sal_plan, Home, Test, SAL};

/// A token that must never be printed.
const SECRET: &str = "glpat-TOPSECRET-0123456789";

fn fake() -> FakeGitlab {
    FakeGitlab::default_builder().token(SECRET, "root").start()
}

/// `access file --yes` against `gitlab` for the hire `args` name, in `home`,
/// with the secret token, which must never be printed.
fn file_hire<I, S>(home: &Arc<Home>, gitlab: &FakeGitlab, args: I) -> Test
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    Test::in_home(home)
        .args(["access", "file", "--yes", "--gitlab-url"])
        .args([gitlab.url()])
        .args(args)
        .env("GITLAB_TOKEN", SECRET)
        .nowhere(SECRET)
}

/// `access file` for the SAL hire, in `home`.
fn file_in(home: &Arc<Home>, gitlab: &FakeGitlab) -> Test {
    file_hire(home, gitlab, SAL)
}

/// `access file` for the SAL hire, in a fresh home.
fn file_cmd(gitlab: &FakeGitlab) -> Test {
    file_in(&Home::new(), gitlab)
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

/// The line `access file` prints for an issue it filed.
fn created(gitlab: &FakeGitlab, iid: u64, systems: &str) -> String {
    format!(
        "created {}/{DEFAULT_PROJECT}/-/issues/{iid} ({systems})\n",
        gitlab.url()
    )
}

/// The line `access file` prints for an issue that was already there.
fn exists(gitlab: &FakeGitlab, iid: u64, systems: &str) -> String {
    format!(
        "exists  {}/{DEFAULT_PROJECT}/-/issues/{iid} ({systems})\n",
        gitlab.url()
    )
}

const SAL_REQUESTS: &[&str] = &[
    "Clari",
    "Salesforce Inbox",
    "Lucidchart",
    "Outreach.io",
    "CustomersDot Admin",
    "LicenseDot",
];

/// The SAL hire's systems as a result line lists them.
const SAL_SYSTEMS: &str =
    "Clari, Salesforce Inbox, Lucidchart, Outreach.io, CustomersDot Admin, LicenseDot";

#[test]
fn plan_shows_the_requests_without_the_network() {
    let mut plan = Test::new()
        .args(["access", "plan"])
        .args(SAL)
        .env("GITLAB_HOST", "http://127.0.0.1:9")
        .stdout_has("Title:        Ada Lovelace, Clari, ")
        .stdout_has("@mgr.jones")
        .stdout_has("AR-Approval::Needs Manager Approval");
    for system in SAL_REQUESTS {
        plan = plan.stdout_has(system);
    }
    plan.run();
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
    Test::new()
        .args(["access", "plan"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .args(["--email", "a@example.com"])
        .status(2)
        .stderr(
            "error: access requests need --manager: the manager approves them and is assigned\n",
        )
        .run();
    Test::new()
        .args(["access", "plan"])
        .args(hire("strategic-account-leader", "Ada", "2026-12-07"))
        .args(["--manager", "m"])
        .status(2)
        .stderr("error: access requests need --email: they record who the access is for\n")
        .run();
}

#[test]
fn filing_creates_one_confidential_labelled_assigned_issue_and_prints_its_url() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
        .run();
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
        issue["task_completion_status"]["count"],
        SAL_REQUESTS.len() + 3
    );
    let create = gitlab
        .requests()
        .into_iter()
        .find(RecordedRequest::is_create_issue)
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
    let home = Home::new();
    let again = exists(&gitlab, 1, SAL_SYSTEMS);
    file_in(&home, &gitlab)
        .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
        .run();
    let first = gitlab.issues(DEFAULT_PROJECT);
    file_in(&home, &gitlab).stdout(&again).run();
    assert_eq!(filed(&gitlab), 1);
    assert!(home.journal().exists());
    gitlab.clear_requests();
    file_in(&home, &gitlab).stdout(&again).run();
    let lookups = gitlab
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/issues"))
        .count();
    assert_eq!(
        lookups, 1,
        "every run looks the hire up once, to repair what it finds"
    );
    assert_eq!(creates(&gitlab), 0);
    fs::remove_file(home.journal()).unwrap();
    let from_lookup = file_in(&home, &gitlab).stdout(&again).run();
    assert!(from_lookup
        .stdout
        .contains(first[0]["web_url"].as_str().unwrap()));
    assert!(
        gitlab
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/issues")),
        "without the journal it is looked up"
    );
    assert_eq!(filed(&gitlab), 1, "found by its key, not filed again");
    assert_eq!(creates(&gitlab), 0);
    assert!(gitlab.close_issue(DEFAULT_PROJECT, 1));
    fs::remove_file(home.journal()).unwrap();
    file_in(&home, &gitlab).stdout(&again).run();
    assert_eq!(filed(&gitlab), 1, "a closed request still counts");
}

#[test]
fn a_tool_added_later_is_filed_on_its_own() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
        .run();
    file_cmd(&gitlab)
        .args(["--with", "datafox"])
        .stdout(&format!(
            "{}{}",
            exists(&gitlab, 1, SAL_SYSTEMS),
            created(&gitlab, 2, "Datafox")
        ))
        .run();
    let issues = gitlab.issues(DEFAULT_PROJECT);
    assert_eq!(issues.len(), 2);
    assert!(issues
        .iter()
        .any(|i| i["title"] == "Ada Lovelace, Datafox, Strategic Account Leader"));
}

#[test]
fn dry_run_prints_the_request_and_sends_no_write() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .args(["--dry-run"])
        .stdout_has(&format!("POST {}/api/v4/projects/7/issues", gitlab.url()))
        .stdout_has("assignee_ids[]   42")
        .stdout_has("confidential     true")
        .stdout_has("<!-- onboard-request key: onboard")
        .run();
    assert!(
        gitlab.requests().iter().all(|r| r.method == "GET"),
        "only reads"
    );
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
    Test::new()
        .args(["access", "file", "--dry-run"])
        .args(SAL)
        .stdout_has("GITLAB_TOKEN is not set")
        .stdout_has("POST https://gitlab.com/api/v4/projects/gitlab-com%2Fteam-member-epics%2Faccess-requests/issues")
        .run();
}

#[test]
fn a_wrong_token_exits_4_and_files_nothing() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .env("GITLAB_TOKEN", "glpat-wrong-token-value")
        .status(4)
        .stderr(&format!(
            "error: GitLab at {} rejected the token in GITLAB_TOKEN (401 Unauthorized): it is wrong, expired or revoked; create a personal access token with the `api` scope\n",
            gitlab.url()
        ))
        .nowhere("glpat-wrong-token-value")
        .run();
    assert_eq!(creates(&gitlab), 0);
}

#[test]
fn an_unknown_project_exits_4_and_names_it() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .args(["--project", "it/no-such-project"])
        .status(4)
        .stderr(&format!(
            "error: project 'it/no-such-project' was not found on {} (404 Not Found): check --project, and that the token's user can see it\n",
            gitlab.url()
        ))
        .run();
    assert_eq!(creates(&gitlab), 0);
}

#[test]
fn missing_rights_exit_4_with_their_own_message() {
    let gitlab = fake();
    file_cmd(&gitlab)
        .env("GITLAB_TOKEN", READONLY_TOKEN)
        .status(4)
        .stderr(&format!(
            "error: GitLab at {} refused to create the access request issue (403 Forbidden): the token needs the `api` scope and its user needs at least the Reporter role in the project\n",
            gitlab.url()
        ))
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn an_unknown_manager_exits_4_and_names_them() {
    let gitlab = fake();
    // The SAL hire with only the manager changed (`SAL` already names one,
    // and clap refuses `--manager` twice).
    let mut hire = SAL.to_vec();
    let at = hire.iter().position(|a| *a == "--manager").unwrap();
    hire[at + 1] = "nobody.here";
    file_hire(&Home::new(), &gitlab, hire)
        .status(4)
        .stderr(&format!(
            "error: no GitLab user 'nobody.here' on {}: check --manager\n",
            gitlab.url()
        ))
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
    assert_eq!(creates(&gitlab), 0);
}

#[test]
fn an_unreachable_host_exits_4() {
    let url = crate::support::unreachable_gitlab();
    let out = Test::new()
        .args(["access", "file", "--yes", "--gitlab-url", &url])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .status(4)
        // The rest of the line is the HTTP client's own chain of causes.
        .stderr_has(&format!("error: cannot reach GitLab at {url}: "))
        .nowhere(SECRET)
        .run();
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
}

/// A server that answers anything, TLS included, with plain HTTP bytes.
fn not_tls() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    host
}

#[test]
fn a_tls_failure_exits_4_with_its_own_message() {
    let host = not_tls();
    Test::new()
        .args([
            "access",
            "file",
            "--yes",
            "--gitlab-url",
            &format!("https://{host}"),
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .status(4)
        .stderr_has(&format!("error: TLS handshake with https://{host}"))
        .nowhere(SECRET)
        .run();
}

#[test]
fn plain_http_to_a_remote_host_and_a_missing_token_are_refused() {
    Test::new()
        .args([
            "access",
            "file",
            "--yes",
            "--gitlab-url",
            "http://gitlab.example.com",
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .status(2)
        .stderr("error: refusing plain http to gitlab.example.com: the token would cross the network unencrypted; use https (http is only allowed for loopback addresses)\n")
        .nowhere(SECRET)
        .run();
    Test::new()
        .args(["access", "file", "--yes"])
        .args(SAL)
        .status(2)
        .stderr("error: GITLAB_TOKEN is not set: create a personal access token with the `api` scope and `export GITLAB_TOKEN=...`\n")
        .run();
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_filed() {
    let gitlab = fake();
    Test::new()
        .args(["access", "file", "--gitlab-url"])
        .args([gitlab.url()])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .status(2)
        .stderr("error: confirming before filing needs a terminal on stdin and stderr to ask on; pass --yes to file anyway\n")
        .nowhere(SECRET)
        .run();
    assert!(gitlab.requests().is_empty());
}

#[test]
fn user_text_cannot_run_quick_actions_or_mention_everyone() {
    let gitlab = fake();
    file_hire(
        &Home::new(),
        &gitlab,
        hire(
            "strategic-account-leader",
            "Ada\n/assign @root\n/close\n@all <img src=x> [x](javascript:1) | #1 ~bug",
            "2026-12-07",
        ),
    )
    .args(["--email", "ada@example.com", "--manager", "mgr.jones"])
    .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
    .run();
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
        file_cmd(&gitlab)
            .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
            .run();
        assert_eq!(filed(&gitlab), 1, "{mode:?}: exactly one issue");
        assert_eq!(creates(&gitlab), 1, "{mode:?}: the create was not repeated");
    }
}

#[test]
fn rate_limits_are_waited_out_and_5xx_reads_retried() {
    let gitlab = fake();
    gitlab.fail_next(2, 429);
    gitlab.fail_next(1, 502);
    file_cmd(&gitlab)
        .stdout(&created(&gitlab, 1, SAL_SYSTEMS))
        .run();
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
    file_cmd(&quiet)
        .stdout(&created(&quiet, 1, SAL_SYSTEMS))
        .run();
    assert_eq!(
        filed(&quiet),
        1,
        "a 429 without Retry-After falls back to backoff"
    );
    assert_eq!(quiet.requests()[0].status, 429);
}

#[test]
fn a_429_storm_exits_4_with_its_own_message() {
    let gitlab = fake();
    gitlab.fail_next(1000, 429);
    file_cmd(&gitlab)
        .status(4)
        // The run gives up only after two minutes (scaled) without progress.
        .stderr_has(&format!(
            "error: GitLab at {} kept answering 429 Too Many Requests (",
            gitlab.url()
        ))
        .stderr_has(" s of waiting) while trying to check the token; wait a few minutes and re-run: nothing is filed twice\n")
        .run();
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
            "body\n<!-- onboard-request key: {key} systems: {systems} start: 2026-12-07 -->\n"
        )),
    );
    gitlab.add_issue(
        DEFAULT_PROJECT,
        NewIssue::new("Someone else").description(format!("mentions {key} in passing")),
    );
    // Issue 1 is the colleague's; issue 2 only mentions the key.
    file_cmd(&gitlab)
        .stdout(&exists(&gitlab, 1, SAL_SYSTEMS))
        .run();
    assert_eq!(creates(&gitlab), 0);
    let search = gitlab
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path.ends_with("/issues"))
        .unwrap();
    assert_eq!(search.query_param("search"), Some(key));
    assert_eq!(search.query_param("in"), Some("description"));
}

/// A server that answers its first `failures` requests at once with a 502
/// and then never answers; returns its URL and how many requests it saw.
fn fails_then_stalls(failures: usize) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut stalled = Vec::new();
        for mut stream in listener.incoming().flatten() {
            let mut head = [0u8; 8192];
            let _ = stream.read(&mut head);
            if counter.fetch_add(1, Ordering::SeqCst) < failures {
                let _ = stream.write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            } else {
                // Kept open and never answered.
                stalled.push(stream);
            }
        }
    });
    (url, seen)
}

#[test]
fn a_slow_server_times_out_with_its_own_message() {
    // `--timeout` is not scaled and is at least 1 s. A read that times out
    // is not retried, but a 5xx read is, 4 times: this server fails the
    // first 4 attempts at once and is slow on the last, so the run ends in
    // the timeout after 5 attempts, once it has said it is still waiting.
    let (url, seen) = fails_then_stalls(4);
    Test::new()
        .args([
            "access",
            "file",
            "--yes",
            "--timeout",
            "1",
            "--gitlab-url",
            &url,
        ])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .status(4)
        .stderr(&format!(
            "GitLab at {url} has not answered for 10 s; still waiting (giving up after 1 s)\nerror: GitLab at {url} did not answer within 1 s while trying to check the token\n"
        ))
        .nowhere(SECRET)
        .run();
    assert_eq!(
        seen.load(Ordering::SeqCst),
        5,
        "4 retries, then the slow one"
    );
}

#[test]
fn under_heavy_faults_each_hire_ends_with_exactly_one_request() {
    let gitlab = fake();
    gitlab.set_error_rate(0.30);
    gitlab.set_lost_create_rate(0.30);
    // 20 requests a second in windows of 100 ms; one run sends faster.
    gitlab.set_rate_limit_window(2, Duration::from_millis(100));
    let hires = ["Ada Lovelace", "Grace Hopper", "Alan Turing"];
    for (i, name) in hires.iter().enumerate() {
        let email = format!("hire{i}@example.com");
        let home = Home::new();
        let mut runs = 0;
        loop {
            runs += 1;
            // Under random faults a run either files (and prints its result
            // line) or gives up with GitLab's error (exit 4). A run fails
            // about one time in three (say, when three creates in a row lose
            // their answer), so a hire may take several runs.
            let out = file_hire(
                &home,
                &gitlab,
                hire("strategic-account-leader", name, "2026-12-07"),
            )
            .args(["--email", &email, "--manager", "mgr.jones"])
            .status_in(&[0, 4])
            .any_stdout()
            .any_stderr()
            .run();
            if out.code == 0 {
                assert_eq!(out.stderr, "", "{name}: a success prints no error");
                assert!(
                    out.stdout.starts_with("created ") || out.stdout.starts_with("exists "),
                    "{name}: {}",
                    out.stdout
                );
                break;
            }
            assert!(
                out.stderr.starts_with("error: ") && out.stdout.is_empty(),
                "{name}: a failure says why: {out:?}"
            );
            assert!(
                runs < 10,
                "{name} still failing after {runs} runs, the last with: {}",
                out.stderr
            );
        }
    }
    assert!(
        gitlab.requests().iter().any(|r| r.status == 429),
        "the rate limit was hit"
    );
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
    let home = Home::new();
    let config = home.path().join("onboard.yaml");
    fs::write(
        &config,
        "gitlab:\n  project: it/access-requests\naccess_requests:\n  labels: [\"AR-Approval::Needs Manager Approval\", \"Onboarding\"]\n  confidential: false\n",
    )
    .unwrap();
    Test::in_home(&home)
        .args(["access", "file", "--yes"])
        .args(SAL)
        .env("GITLAB_TOKEN", SECRET)
        .env("GITLAB_HOST", &gitlab.url())
        .env("ONBOARD_CONFIG", config.to_str().unwrap())
        .stdout(&format!(
            "created {}/it/access-requests/-/issues/1 ({SAL_SYSTEMS})\n",
            gitlab.url()
        ))
        .nowhere(SECRET)
        .run();
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
    let broken = Home::new();
    let bad = broken.path().join("bad.yaml");
    fs::write(&bad, "gitlab:\n  projekt: x\n").unwrap();
    Test::in_home(&broken)
        .args(["access", "plan"])
        .args(SAL)
        .env("ONBOARD_CONFIG", bad.to_str().unwrap())
        .status(2)
        .stderr(&format!(
            "error: {}:2:3: unknown field `projekt` (did you mean `project`?)\n",
            bad.display()
        ))
        .run();
}
