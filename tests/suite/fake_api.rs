//! The fake GitLab itself, driven over HTTP: these pin the GitLab behaviours
//! the other tests (and the code under test) rely on, so a change to the fake
//! that drifts from GitLab's documented answers shows up here first.

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;
use serde_json::Value;

use crate::support::fake_gitlab::{
    FakeGitlab, NewIssue, Redirect, BOT_TOKEN, DEFAULT_PROJECT, DEFAULT_TOKEN, MALLORY_TOKEN,
    ONBOARDING_PROJECT, READONLY_TOKEN,
};

const ISSUES: &str = "/api/v4/projects/7/issues";

/// One client for the whole module (building one is not free); it follows
/// no redirects and ignores proxy variables.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder()
            .no_proxy()
            .redirect(Policy::none())
            .timeout(Duration::from_secs(5))
            .build()
            .expect("client")
    })
}

/// What a request got back.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn answer(resp: Response) -> Answer {
    Answer {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        text: resp.text().expect("body"),
    }
}

fn get(gl: &FakeGitlab, path: &str, token: Option<&str>) -> Answer {
    let mut req = client().get(format!("{}{path}", gl.url()));
    if let Some(token) = token {
        req = req.header("PRIVATE-TOKEN", token);
    }
    answer(req.send().expect("GET"))
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn send(gl: &FakeGitlab, method: &str, path: &str, token: &str, pairs: &[(&str, &str)]) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let resp = client()
        .request(method, format!("{}{path}", gl.url()))
        .header("PRIVATE-TOKEN", token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form(pairs))
        .send()
        .expect("request");
    answer(resp)
}

fn create(gl: &FakeGitlab, token: &str, pairs: &[(&str, &str)]) -> Answer {
    send(gl, "POST", ISSUES, token, pairs)
}

#[test]
fn offset_pagination_headers_and_a_short_last_page() {
    let gl = FakeGitlab::start_default();
    for n in 1..=25 {
        gl.add_issue(DEFAULT_PROJECT, NewIssue::new(format!("Issue {n}")));
    }
    let first = get(&gl, &format!("{ISSUES}?per_page=10"), Some(DEFAULT_TOKEN));
    assert_eq!(first.status, 200);
    assert_eq!(first.json().as_array().unwrap().len(), 10);
    assert_eq!(first.json()[0]["iid"], 25, "newest first by default");
    assert_eq!(first.header("x-next-page"), Some("2"));
    assert_eq!(first.header("x-prev-page"), Some(""));
    let last = get(
        &gl,
        &format!("{ISSUES}?per_page=10&page=3"),
        Some(DEFAULT_TOKEN),
    );
    assert_eq!(
        last.json().as_array().unwrap().len(),
        5,
        "a short last page"
    );
    assert_eq!(last.header("x-total"), Some("25"));
    assert_eq!(last.header("x-total-pages"), Some("3"));
    assert_eq!(last.header("x-per-page"), Some("10"));
    assert_eq!(last.header("x-page"), Some("3"));
    assert_eq!(last.header("x-next-page"), Some(""));
    assert_eq!(last.header("x-prev-page"), Some("2"));
    let link = last.header("link").unwrap();
    assert!(
        link.contains("page=2") && link.contains("rel=\"prev\""),
        "{link}"
    );
    assert!(
        link.contains("rel=\"first\"") && link.contains("rel=\"last\""),
        "{link}"
    );
    assert!(!link.contains("rel=\"next\""), "{link}");
    let ascending = get(
        &gl,
        &format!("{ISSUES}?sort=asc&per_page=1"),
        Some(DEFAULT_TOKEN),
    );
    assert_eq!(ascending.json()[0]["iid"], 1);
    let requests = gl.requests();
    assert_eq!(requests[0].connection, requests[2].connection, "kept alive");
}

#[test]
fn error_bodies_follow_gitlab() {
    let gl = FakeGitlab::default_builder()
        .read_api_token("glpat-readapi", "root")
        .start();
    let none = get(&gl, ISSUES, None);
    assert_eq!(
        (none.status, none.json()),
        (401, serde_json::json!({"message": "401 Unauthorized"}))
    );
    let route = get(&gl, "/api/v4/nowhere", Some(DEFAULT_TOKEN));
    assert_eq!(
        (route.status, route.json()["error"].clone()),
        (404, "404 Not Found".into())
    );
    let project = get(&gl, "/api/v4/projects/999/issues", Some(DEFAULT_TOKEN));
    assert_eq!(project.status, 404);
    assert_eq!(project.json()["message"], "404 Project Not Found");
    let by_path = get(
        &gl,
        "/api/v4/projects/gitlab-com%2Fpeople-group%2Fonboarding",
        Some(DEFAULT_TOKEN),
    );
    assert_eq!(by_path.json()["path_with_namespace"], ONBOARDING_PROJECT);
    let forbidden = create(&gl, READONLY_TOKEN, &[("title", "x")]);
    assert_eq!(
        (forbidden.status, forbidden.json()["message"].clone()),
        (403, "403 Forbidden".into())
    );
    let scope = create(&gl, "glpat-readapi", &[("title", "x")]);
    assert_eq!(
        (scope.status, scope.json()["error"].clone()),
        (403, "insufficient_scope".into())
    );
    let missing = create(&gl, DEFAULT_TOKEN, &[("description", "x")]);
    assert_eq!(
        (missing.status, missing.json()["error"].clone()),
        (400, "title is missing".into())
    );
    let blank = create(&gl, DEFAULT_TOKEN, &[("title", "  ")]);
    assert_eq!(blank.status, 400);
    assert_eq!(blank.json()["message"]["title"][0], "can't be blank");
    let no_issue = get(&gl, &format!("{ISSUES}/99"), Some(DEFAULT_TOKEN));
    assert_eq!(no_issue.json()["message"], "404 Issue Not Found");
}

#[test]
fn the_shapes_of_a_429() {
    let gl = FakeGitlab::start_default();
    gl.set_rate_limit_window(2, Duration::from_millis(200));
    // At most two requests per window: a burst hits the limit quickly.
    let mut answers: Vec<Answer> = Vec::new();
    while answers.len() < 20 && answers.last().is_none_or(|a| a.status != 429) {
        answers.push(get(&gl, ISSUES, Some(DEFAULT_TOKEN)));
    }
    assert_eq!(
        answers[0].header("ratelimit-limit"),
        Some("600"),
        "normalised to a minute"
    );
    let observed: u32 = answers[0]
        .header("ratelimit-observed")
        .unwrap()
        .parse()
        .unwrap();
    let remaining: u32 = answers[0]
        .header("ratelimit-remaining")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(observed + remaining, 2);
    let limited = answers.last().unwrap();
    assert_eq!(limited.status, 429);
    assert_eq!(limited.text, "Retry later");
    assert!(limited
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(limited.header("retry-after"), Some("1"), "whole seconds");
    assert!(limited
        .header("ratelimit-resettime")
        .unwrap()
        .ends_with(" GMT"));
    assert_eq!(
        limited.header("ratelimit-name"),
        Some("throttle_authenticated_api")
    );

    gl.reset_faults();
    gl.set_429_without_headers(true);
    gl.fail_next(1, 429);
    let app = get(&gl, ISSUES, Some(DEFAULT_TOKEN));
    assert_eq!(app.status, 429);
    assert!(app.header("retry-after").is_none() && app.header("ratelimit-limit").is_none());
    assert_eq!(
        app.json()["message"]["error"],
        "This endpoint has been requested too many times. Try again later."
    );

    gl.reset_faults();
    gl.set_create_limit(1, Duration::from_mins(1));
    assert_eq!(create(&gl, DEFAULT_TOKEN, &[("title", "one")]).status, 201);
    let second = create(&gl, DEFAULT_TOKEN, &[("title", "two")]);
    assert_eq!(second.status, 429);
    assert!(second.header("retry-after").is_none());
    assert_eq!(
        get(&gl, ISSUES, Some(DEFAULT_TOKEN)).status,
        200,
        "reads are not limited"
    );
    assert_eq!(gl.issues(DEFAULT_PROJECT).len(), 1);
}

#[test]
fn editing_closes_reopens_and_keeps_one_label_per_scope() {
    let gl = FakeGitlab::start_default();
    let created = create(
        &gl,
        DEFAULT_TOKEN,
        &[
            ("title", "Access"),
            ("labels", "AR-Approval::Needs Manager Approval,AR-Other"),
        ],
    )
    .json();
    let path = format!("{ISSUES}/{}", created["iid"]);
    let closed = send(
        &gl,
        "PUT",
        &path,
        DEFAULT_TOKEN,
        &[
            ("state_event", "close"),
            ("add_labels", "AR-Approval::Manager Approved"),
        ],
    );
    assert_eq!(closed.status, 200);
    let closed = closed.json();
    assert_eq!(closed["state"], "closed");
    assert!(closed["closed_at"].is_string());
    assert_eq!(closed["closed_by"]["username"], "root");
    assert_eq!(
        closed["labels"],
        serde_json::json!(["AR-Approval::Manager Approved", "AR-Other"])
    );
    assert_ne!(closed["updated_at"], created["updated_at"]);
    let reopened = send(
        &gl,
        "PUT",
        &path,
        DEFAULT_TOKEN,
        &[("state_event", "reopen"), ("due_date", "")],
    )
    .json();
    assert_eq!(reopened["state"], "opened");
    assert!(reopened["closed_at"].is_null() && reopened["closed_by"].is_null());
    let bad = send(&gl, "PUT", &path, DEFAULT_TOKEN, &[("state_event", "open")]);
    assert_eq!(
        bad.json()["error"],
        "state_event does not have a valid value"
    );
    let nothing = send(&gl, "PUT", &path, DEFAULT_TOKEN, &[]);
    assert_eq!(nothing.status, 400);
    let notes: Vec<String> = gl
        .notes(DEFAULT_PROJECT, 1)
        .iter()
        .map(|n| n["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        notes,
        ["closed", "reopened"],
        "system notes, no label notes"
    );
}

#[test]
fn task_completion_status_counts_every_kind_of_item_and_follows_ticks() {
    let gl = FakeGitlab::start_default();
    let description =
        "- [ ] laptop\n* [x] badge\n+ [X] email\n1. [ ] slack\n```\n- [ ] not a task\n```\n";
    let issue = create(
        &gl,
        DEFAULT_TOKEN,
        &[("title", "Onboarding"), ("description", description)],
    )
    .json();
    assert_eq!(
        issue["task_completion_status"],
        serde_json::json!({"count": 4, "completed_count": 2})
    );
    assert!(gl.tick_task(DEFAULT_PROJECT, 1, "slack"));
    assert!(!gl.tick_task(DEFAULT_PROJECT, 1, "badge"), "already ticked");
    let issue = get(&gl, &format!("{ISSUES}/1"), Some(DEFAULT_TOKEN)).json();
    assert_eq!(issue["task_completion_status"]["completed_count"], 3);
    assert!(issue["description"]
        .as_str()
        .unwrap()
        .contains("1. [x] slack"));
    assert_eq!(issue["task_status"], "3 of 4 checklist items completed");
}

#[test]
fn notes_are_stored_and_a_note_of_only_commands_answers_202() {
    let gl = FakeGitlab::start_default();
    create(&gl, DEFAULT_TOKEN, &[("title", "Access")]);
    let notes = format!("{ISSUES}/1/notes");
    let missing = send(&gl, "POST", &notes, DEFAULT_TOKEN, &[]);
    assert_eq!(
        (missing.status, missing.json()["error"].clone()),
        (400, "body is missing".into())
    );
    let note = send(
        &gl,
        "POST",
        &notes,
        BOT_TOKEN,
        &[("body", "Approved by the manager")],
    );
    assert_eq!(note.status, 201);
    let note = note.json();
    assert_eq!(note["author"]["username"], "bot.onboard");
    assert_eq!(note["noteable_type"], "Issue");
    assert_eq!(note["noteable_iid"], 1);
    assert_eq!(note["system"], false);
    let commands = send(&gl, "POST", &notes, DEFAULT_TOKEN, &[("body", "/close")]);
    assert_eq!(commands.status, 202);
    assert_eq!(commands.json()["commands_changes"]["state_event"], "close");
    assert_eq!(commands.json()["summary"][0], "Closed this issue.");
    assert_eq!(gl.issue(DEFAULT_PROJECT, 1).unwrap()["state"], "closed");
    let listed = get(&gl, &format!("{notes}?sort=asc"), Some(DEFAULT_TOKEN));
    let bodies: Vec<String> = listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bodies, ["Approved by the manager", "closed"]);
    assert_eq!(listed.header("x-total"), Some("2"));
    assert_eq!(gl.issue(DEFAULT_PROJECT, 1).unwrap()["user_notes_count"], 1);
}

#[test]
fn quick_actions_in_a_description_run_and_are_recorded() {
    let gl = FakeGitlab::default_builder()
        .label(DEFAULT_PROJECT, "bug")
        .start();
    let description = "Hello\n/label ~bug\n/assign @mgr.jones\n```\n/close\n```\n  /due 2026-12-07";
    let issue = create(
        &gl,
        DEFAULT_TOKEN,
        &[("title", "Access"), ("description", description)],
    )
    .json();
    assert_eq!(issue["labels"], serde_json::json!(["bug"]));
    assert_eq!(issue["assignees"][0]["username"], "mgr.jones");
    assert_eq!(
        issue["description"], "Hello\n```\n/close\n```\n  /due 2026-12-07",
        "indented lines are text"
    );
    assert_eq!(issue["state"], "opened");
    let recorded: Vec<String> = gl
        .quick_actions()
        .into_iter()
        .map(|(_, _, line)| line)
        .collect();
    assert_eq!(recorded, ["/label ~bug", "/assign @mgr.jones"]);
    let edited = send(
        &gl,
        "PUT",
        &format!("{ISSUES}/1"),
        DEFAULT_TOKEN,
        &[("description", "Done\n/close")],
    )
    .json();
    assert_eq!(
        (edited["state"].clone(), edited["description"].clone()),
        ("closed".into(), "Done".into())
    );
    let plain = create(
        &gl,
        DEFAULT_TOKEN,
        &[
            ("title", "Plain"),
            ("description", "a path /close-ish\nnot/close"),
        ],
    );
    assert_eq!(plain.json()["description"], "a path /close-ish\nnot/close");
    assert_eq!(gl.quick_actions().len(), 3);
}

#[test]
fn issues_link_once_across_projects() {
    let gl = FakeGitlab::start_default();
    create(&gl, DEFAULT_TOKEN, &[("title", "Access")]);
    gl.add_issue(ONBOARDING_PROJECT, NewIssue::new("Onboarding"));
    let links = format!("{ISSUES}/1/links");
    let pairs = [
        ("target_project_id", ONBOARDING_PROJECT),
        ("target_issue_iid", "1"),
    ];
    let linked = send(&gl, "POST", &links, DEFAULT_TOKEN, &pairs);
    assert_eq!(linked.status, 201);
    let linked = linked.json();
    assert_eq!(linked["link_type"], "relates_to");
    assert_eq!(linked["source_issue"]["iid"], 1);
    assert_eq!(linked["target_issue"]["project_id"], 8);
    let again = send(
        &gl,
        "POST",
        "/api/v4/projects/8/issues/1/links",
        DEFAULT_TOKEN,
        &[("target_project_id", "7"), ("target_issue_iid", "1")],
    );
    assert_eq!(
        (again.status, again.json()["message"].clone()),
        (409, "Issue(s) already assigned".into())
    );
    let listed = get(&gl, &links, Some(DEFAULT_TOKEN)).json();
    assert_eq!(listed[0]["iid"], 1);
    assert_eq!(listed[0]["link_type"], "relates_to");
    assert!(listed[0]["issue_link_id"].is_u64());
    assert_eq!(gl.links(ONBOARDING_PROJECT, 1)[0]["project_id"], 7);
}

#[test]
fn a_redirect_answers_location_without_processing() {
    let other = FakeGitlab::start_default();
    let gl = FakeGitlab::start_default();
    gl.set_redirect(Some(Redirect::new(307, other.url())));
    let moved = send(
        &gl,
        "POST",
        &format!("{ISSUES}?x=1"),
        DEFAULT_TOKEN,
        &[("title", "x")],
    );
    assert_eq!(moved.status, 307);
    assert_eq!(
        moved.header("location"),
        Some(format!("{}{ISSUES}?x=1", other.url()).as_str())
    );
    assert!(gl.issues(DEFAULT_PROJECT).is_empty());
    assert!(!gl.requests()[0].processed);
    assert!(other.requests().is_empty(), "nothing followed it");
}

#[test]
fn a_gateway_gives_up_and_the_issue_lands_later() {
    let gl = FakeGitlab::start_default();
    gl.gateway_timeout_creates(1, Duration::from_millis(50), Duration::from_mins(1));
    let timeout = create(&gl, DEFAULT_TOKEN, &[("title", "Late")]);
    assert_eq!(timeout.status, 504);
    assert!(timeout.text.contains("504 Gateway Time-out"));
    let gave_up = &gl.requests()[0];
    assert!(
        gave_up.answered_at.checked_sub(gave_up.received_at) >= Some(Duration::from_millis(50)),
        "the gateway answered after 50 ms by the fake's clock"
    );
    assert!(
        get(&gl, ISSUES, Some(DEFAULT_TOKEN))
            .json()
            .as_array()
            .unwrap()
            .is_empty(),
        "not landed yet"
    );
    assert!(gl.issue(DEFAULT_PROJECT, 1).is_none());
    let next = create(&gl, DEFAULT_TOKEN, &[("title", "Next")]).json();
    assert_eq!(next["iid"], 2, "the iid was taken at arrival");
    gl.advance_clock(Duration::from_secs(59));
    assert!(
        gl.issue(DEFAULT_PROJECT, 1).is_none(),
        "not landed a second early"
    );
    gl.advance_clock(Duration::from_secs(1));
    let listed = get(&gl, &format!("{ISSUES}?search=Late"), Some(DEFAULT_TOKEN)).json();
    assert_eq!(listed[0]["iid"], 1);
    let request = &gl.requests()[0];
    assert!(request.processed && request.lost && request.status == 504);
}

#[test]
fn authors_come_from_the_token_and_filter_lists() {
    let gl = FakeGitlab::start_default();
    let bot = create(&gl, BOT_TOKEN, &[("title", "From the bot")]).json();
    assert_eq!(bot["author"]["id"], 45);
    for field in ["username", "name", "state", "avatar_url", "web_url"] {
        assert!(bot["author"].get(field).is_some(), "author.{field}");
    }
    create(
        &gl,
        MALLORY_TOKEN,
        &[
            ("title", "From the bot (not really)"),
            ("assignee_ids[]", "42"),
        ],
    );
    let by_name = get(
        &gl,
        &format!("{ISSUES}?author_username=bot.onboard"),
        Some(DEFAULT_TOKEN),
    )
    .json();
    assert_eq!(by_name.as_array().unwrap().len(), 1);
    assert_eq!(by_name[0]["author"]["username"], "bot.onboard");
    let by_id = get(&gl, &format!("{ISSUES}?author_id=46"), Some(DEFAULT_TOKEN)).json();
    assert_eq!(by_id[0]["author"]["username"], "mallory");
    let assigned = get(
        &gl,
        &format!("{ISSUES}?assignee_username=mgr.jones"),
        Some(DEFAULT_TOKEN),
    )
    .json();
    assert_eq!(assigned.as_array().unwrap().len(), 1);
    let iids = get(
        &gl,
        &format!("{ISSUES}?iids[]=1&state=opened"),
        Some(DEFAULT_TOKEN),
    )
    .json();
    assert_eq!(iids[0]["title"], "From the bot");
    let future = get(
        &gl,
        &format!("{ISSUES}?created_after=2999-01-01T00:00:00Z"),
        Some(DEFAULT_TOKEN),
    )
    .json();
    assert!(future.as_array().unwrap().is_empty());
}

#[test]
fn silent_echoing_and_login_page_proxies() {
    let gl = FakeGitlab::start_default();
    gl.set_silent(true);
    let quick = Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let url = format!("{}{ISSUES}", gl.url());
    assert!(quick
        .get(&url)
        .header("PRIVATE-TOKEN", DEFAULT_TOKEN)
        .send()
        .is_err());
    gl.set_silent(false);
    assert_eq!(
        get(&gl, ISSUES, Some(DEFAULT_TOKEN)).status,
        200,
        "a new connection is answered"
    );
    assert!(gl.requests()[0].unanswered);

    gl.set_echo_token(Some(403));
    let echoed = create(&gl, DEFAULT_TOKEN, &[("title", "x")]);
    assert_eq!(echoed.status, 403);
    assert!(echoed.json()["message"]
        .as_str()
        .unwrap()
        .ends_with(DEFAULT_TOKEN));
    assert_eq!(
        get(&gl, ISSUES, Some(DEFAULT_TOKEN)).status,
        200,
        "only creations are echoed"
    );

    gl.reset_faults();
    gl.set_html_answers(true);
    let page = get(&gl, "/api/v4/user", Some(DEFAULT_TOKEN));
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text.contains("Sign in"));
}

#[test]
fn quick_actions_only_run_in_top_level_paragraphs() {
    let gl = FakeGitlab::start_default();
    let cases = [
        ("Intro\n\n/confidential", true),
        ("Use `x`\n/confidential", true),
        ("- [ ] a task\n/confidential", false),
        ("> quoted\n/confidential", false),
        (">>>\n/confidential\n>>>", false),
        ("~~~\n/confidential\n~~~", false),
        ("    /confidential", false),
        ("<details>\n/confidential\n</details>", false),
        ("Inline ` code\n/confidential\nspan `", false),
        ("/confidentially", false),
    ];
    for (description, runs) in cases {
        let issue = create(
            &gl,
            DEFAULT_TOKEN,
            &[("title", "t"), ("description", description)],
        )
        .json();
        assert_eq!(issue["confidential"], runs, "{description:?}");
        let stored = issue["description"].as_str().unwrap();
        if runs {
            assert!(!stored.contains("/confidential"), "{stored:?}");
        } else {
            assert_eq!(stored, description, "left as written");
        }
    }
    assert_eq!(gl.quick_actions().len(), 2);
}
