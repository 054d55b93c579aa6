//! The wizard in a real pseudo-terminal, typed into as a person would.

use std::fs;

use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

use crate::support::{Home, Test};

const TIMEOUT_MS: u64 = 20_000;

/// The review's question, after every answer is shown.
pub(super) const REVIEW: &str = "Save, change an answer, or quit?";

/// The wizard in a pseudo-terminal, in `home` (no token, `NO_COLOR` set).
fn wizard(home: &Home, extra: &[&str]) -> PtySession {
    wizard_env(home, extra, &[])
}

/// The wizard in a pseudo-terminal, with `env` set as well.
pub(super) fn wizard_env(home: &Home, extra: &[&str], env: &[(&str, &str)]) -> PtySession {
    let mut command = home.command();
    command
        .arg("wizard")
        .args(extra)
        .env("TERM", "xterm")
        .envs(env.iter().copied());
    spawn_command(command, Some(TIMEOUT_MS)).expect("spawn the wizard in a pty")
}

/// Waits for `prompt` and types `reply`; gives what was shown before it.
fn answer(session: &mut PtySession, prompt: &str, reply: &str) -> String {
    let shown = session
        .exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    session.send_line(reply).expect("type an answer");
    shown
}

/// Answers each prompt in turn.
pub(super) fn answer_all(session: &mut PtySession, script: &[(&str, &str)]) {
    for (prompt, reply) in script {
        answer(session, prompt, reply);
    }
}

/// Ada's name, email, no username and her role.
const ADA: &[(&str, &str)] = &[
    ("Your full name", "Ada Lovelace"),
    ("Your work email", "ada@example.com"),
    ("Your GitLab username", ""),
    ("Your role", "strategic account"),
];

/// Enter at the optional tools, ticking none.
fn no_optional_tools(session: &mut PtySession) {
    session.exp_string("Optional tools").unwrap();
    session.send_line("").unwrap();
}

/// Ada, from her name to the review: `country`, `start` and `manager`,
/// no buddy and no optional tools.
pub(super) fn ada_up_to_the_review(
    session: &mut PtySession,
    country: &str,
    start: &str,
    manager: &str,
) {
    answer_all(session, ADA);
    answer_all(
        session,
        &[
            ("The country you work from", country),
            ("Your start date", start),
            ("Your manager's GitLab username", manager),
            ("buddy's GitLab username", ""),
        ],
    );
    no_optional_tools(session);
}

/// Saves under the default name, and gives the exit code after "Done.".
fn save_by_default(mut session: PtySession) -> i32 {
    answer(&mut session, "Save the checklist as", "");
    session.exp_string("Done.").unwrap();
    exit_code(session)
}

/// Waits for the end and gives the exit code.
pub(super) fn exit_code(mut session: PtySession) -> i32 {
    session.exp_eof().unwrap();
    match session.process.wait() {
        Ok(WaitStatus::Exited(_, code)) => code,
        other => panic!("the wizard did not exit: {other:?}"),
    }
}

fn checklist_of_ada(home: &Home) -> String {
    fs::read_to_string(home.work().join("onboarding-ada-lovelace.md"))
        .expect("the checklist was written")
}

#[test]
fn a_person_answering_in_order_ends_with_their_checklist() {
    let home = Home::new();
    let mut session = wizard(&home, &[]);
    answer(&mut session, "Your full name", "Ada Lovelace");
    answer(&mut session, "Your work email", "ada@example");
    session.exp_string("is not an email address").unwrap();
    answer(&mut session, "Your work email", "ada@example.com");
    answer(&mut session, "Your GitLab username", "");
    answer(&mut session, "Your role", "strategic account");
    session
        .exp_string("Your role (type to search): Strategic Account Leader\r\n")
        .unwrap();
    answer(&mut session, "The country you work from", "xx");
    session
        .exp_string("no public holidays are known for 'XX'")
        .unwrap();
    answer(&mut session, "The country you work from", "gb");
    answer(&mut session, "Your start date", "2026-12-05");
    session.exp_string("is a Saturday").unwrap();
    answer(&mut session, "Your start date", "2026-12-07");
    answer(&mut session, "Your manager's GitLab username", "mgr.jones");
    answer(&mut session, "buddy's GitLab username", "");
    session
        .exp_string("You get, like everyone: Okta, Slack, Google Workspace, Zoom.")
        .unwrap();
    // Tick the first optional tool, then the second, and finish.
    session.exp_string("Optional tools").unwrap();
    session.send(" ").unwrap();
    session.send("\x1b[B").unwrap();
    session.send(" ").unwrap();
    session.send_line("").unwrap();
    session
        .exp_string(
            "Optional tools you want (space to tick, enter to finish): Conversica, Datafox\r\n",
        )
        .unwrap();
    answer(&mut session, REVIEW, "");
    answer(&mut session, "Save the checklist as", "");
    session.exp_string("export GITLAB_TOKEN").unwrap();
    session.exp_string("Done.").unwrap();
    session.exp_eof().unwrap();
    let path = home.work().join("onboarding-ada-lovelace.md");
    let text = fs::read_to_string(&path).expect("the checklist was written");
    assert!(text.starts_with("# Onboarding checklist: Ada Lovelace"));
    assert!(text.contains("Strategic Account Leader"));
    assert!(text.contains("the public holidays of the hire's country (United Kingdom, GB)"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("- [ ] Check that ") && l.contains("Datafox")),
        "the ticked tools are in"
    );
    assert!(matches!(
        session.process.wait(),
        Ok(WaitStatus::Exited(_, 0))
    ));
}

/// Exit code 130 of the contract (interrupted), through the real binary in a
/// real terminal; `exit_codes.rs` leaves it to this test.
#[test]
fn ctrl_c_at_a_prompt_exits_130_and_leaves_no_file() {
    let home = Home::new();
    let mut session = wizard(&home, &["--for-someone-else"]);
    answer(&mut session, "Their full name", "Grace Hopper");
    session.exp_string("Their work email").unwrap();
    session.send_control('c').unwrap();
    let status = session.process.wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    let files: Vec<_> = fs::read_dir(home.work()).unwrap().collect();
    assert!(files.is_empty(), "nothing is written: {files:?}");
}

#[test]
fn enter_at_the_filing_questions_files_nothing() {
    use crate::support::fake_gitlab::{
        FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN, ONBOARDING_PROJECT,
    };
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    let mut command = home.command();
    command
        .arg("wizard")
        .env("TERM", "xterm")
        .env("GITLAB_HOST", gitlab.url())
        .env("GITLAB_TOKEN", DEFAULT_TOKEN);
    let mut session = spawn_command(command, Some(TIMEOUT_MS)).expect("spawn the wizard");
    answer(&mut session, "Your full name", "Ada Lovelace");
    answer(&mut session, "Your work email", "ada@example.com");
    answer(&mut session, "Your GitLab username", "");
    answer(&mut session, "Your role", "strategic account");
    answer(&mut session, "The country you work from", "");
    answer(&mut session, "Your start date", "2026-12-07");
    answer(&mut session, "Your manager's GitLab username", "mgr.jones");
    answer(&mut session, "buddy's GitLab username", "");
    no_optional_tools(&mut session);
    answer(&mut session, REVIEW, "");
    answer(&mut session, "Save the checklist as", "");
    answer(&mut session, "now? [y/N]", "");
    session.exp_string("Not filed. To file it later").unwrap();
    answer(&mut session, "can tick their part? [y/N]", "");
    session.exp_string("Done.").unwrap();
    session.exp_eof().unwrap();
    assert!(matches!(
        session.process.wait(),
        Ok(WaitStatus::Exited(_, 0))
    ));
    assert!(home.work().join("onboarding-ada-lovelace.md").exists());
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty(), "nothing filed");
    assert!(
        gitlab.issues(ONBOARDING_PROJECT).is_empty(),
        "nothing filed"
    );
}

#[test]
fn without_a_terminal_it_stops_and_shows_the_flag_command() {
    Test::new()
        .args(["wizard"])
        .status(2)
        .stderr(
            "error: the wizard needs a terminal on stdin and stderr to ask on; without one, use the flags instead:\n  \
             onboard checklist --role ROLE --name 'Full Name' --start YYYY-MM-DD -o onboarding.md\n",
        )
        .run();
}

#[test]
fn no_color_is_honoured() {
    let first_lines = |no_color: bool| {
        let home = Home::new();
        let mut command = home.command();
        command
            .arg("wizard")
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let mut session = spawn_command(command, Some(TIMEOUT_MS)).unwrap();
        let shown = session.exp_string("Your full name").unwrap();
        session.send_control('c').unwrap();
        let _ = session.process.wait();
        shown
    };
    let plain = first_lines(true);
    assert!(plain.contains("Welcome!"), "{plain:?}");
    assert!(
        !plain.contains("\u{1b}[3") && !plain.contains("\u{1b}[1m"),
        "colours despite NO_COLOR: {plain:?}"
    );
    let coloured = first_lines(false);
    assert!(
        coloured.contains("\u{1b}[3"),
        "the default theme is coloured: {coloured:?}"
    );
}

#[test]
fn an_unknown_manager_is_asked_again_at_the_prompt_then_a_known_one_is_accepted() {
    use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_TOKEN};
    let gitlab = FakeGitlab::start_default();
    let home = Home::new();
    let url = gitlab.url();
    let mut session = wizard_env(
        &home,
        &[],
        &[("GITLAB_HOST", &url), ("GITLAB_TOKEN", DEFAULT_TOKEN)],
    );
    answer_all(&mut session, ADA);
    answer_all(
        &mut session,
        &[
            ("The country you work from", ""),
            ("Your start date", "2026-12-07"),
            ("Your manager's GitLab username", "mgr.jnoes"),
        ],
    );
    session
        .exp_string(&format!(
            "no GitLab user 'mgr.jnoes' on {url}; please try again"
        ))
        .unwrap();
    answer_all(
        &mut session,
        &[
            ("Your manager's GitLab username", "mgr.jones"),
            ("buddy's GitLab username", ""),
        ],
    );
    no_optional_tools(&mut session);
    let review = answer(&mut session, REVIEW, "");
    assert!(
        review.contains("  Manager:     @mgr.jones\r\n"),
        "{review:?}"
    );
    answer_all(
        &mut session,
        &[
            ("Save the checklist as", ""),
            ("now? [y/N]", "n"),
            ("can tick their part? [y/N]", "n"),
        ],
    );
    session.exp_string("Done.").unwrap();
    assert_eq!(exit_code(session), 0);
    let looked_up: Vec<String> = gitlab
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v4/users")
        .filter_map(|r| r.query_param("username").map(str::to_string))
        .collect();
    assert_eq!(looked_up, ["mgr.jnoes", "mgr.jones"]);
    assert!(checklist_of_ada(&home).contains("| **Manager** | @mgr.jones |"));
}

#[test]
fn a_country_is_accepted_by_name_and_a_near_miss_is_suggested() {
    let home = Home::new();
    let mut session = wizard(&home, &[]);
    answer_all(&mut session, ADA);
    answer(&mut session, "The country you work from", "Germny");
    session
        .exp_string(
            "'Germny' is not a country with known public holidays; did you mean Germany (DE)?",
        )
        .unwrap();
    answer_all(
        &mut session,
        &[
            ("The country you work from", "Japan"),
            ("Your start date", "2026-12-07"),
            ("Your manager's GitLab username", ""),
            ("buddy's GitLab username", ""),
        ],
    );
    no_optional_tools(&mut session);
    let review = answer(&mut session, REVIEW, "");
    assert!(
        review.contains("  Country:     Japan (JP)\r\n"),
        "{review:?}"
    );
    assert_eq!(save_by_default(session), 0);
    assert!(
        checklist_of_ada(&home).contains("the public holidays of the hire's country (Japan, JP)")
    );
}

#[test]
fn after_a_refused_holiday_start_the_default_is_the_suggested_day() {
    let home = Home::new();
    let mut session = wizard(&home, &[]);
    answer_all(&mut session, ADA);
    answer_all(
        &mut session,
        &[
            ("The country you work from", "gb"),
            ("Your start date", "2026-12-25"),
        ],
    );
    // Christmas, then Boxing Day on a Saturday, observed on Monday.
    session
        .exp_string("start date 2026-12-25 is a holiday (Christmas Day); choose a business day (the next one is 2026-12-29)")
        .unwrap();
    let asked_again = answer(&mut session, "Your start date", "");
    let shown = session
        .exp_string("Your manager's GitLab username")
        .unwrap();
    assert!(
        format!("{asked_again}{shown}").contains("[2026-12-29]"),
        "the suggested day is the default: {shown:?}"
    );
    session.send_line("").unwrap();
    answer(&mut session, "buddy's GitLab username", "");
    no_optional_tools(&mut session);
    let review = answer(&mut session, REVIEW, "");
    assert!(
        review.contains("  Day 1:       Tue 2026-12-29\r\n"),
        "{review:?}"
    );
    assert_eq!(save_by_default(session), 0);
    assert!(checklist_of_ada(&home).contains("2026-12-29"));
}

#[test]
fn change_an_answer_asks_only_that_one_then_save() {
    let home = Home::new();
    let mut session = wizard(&home, &[]);
    ada_up_to_the_review(&mut session, "", "2026-12-07", "mgr.jones");
    let first = answer(&mut session, REVIEW, "change");
    assert!(first.contains("  Buddy:       none\r\n"), "{first:?}");
    answer(&mut session, "Which answer?", "buddy");
    answer(&mut session, "buddy's GitLab username", "sam.lee");
    let second = answer(&mut session, REVIEW, "save");
    assert!(second.contains("  Buddy:       @sam.lee\r\n"), "{second:?}");
    for other in ["Your full name", "Your start date", "Optional tools"] {
        assert!(
            !second.contains(other),
            "{other} was asked again: {second:?}"
        );
    }
    assert_eq!(save_by_default(session), 0);
    assert!(checklist_of_ada(&home).contains("@sam.lee"));
}

#[test]
fn quit_at_the_review_writes_nothing_and_exits_0() {
    let home = Home::new();
    let mut session = wizard(&home, &[]);
    ada_up_to_the_review(&mut session, "", "2026-12-07", "");
    answer(&mut session, REVIEW, "quit");
    let end = session.exp_eof().unwrap();
    assert!(end.contains("Quit: nothing was saved."), "{end:?}");
    assert!(!end.contains("Done."), "{end:?}");
    assert!(matches!(
        session.process.wait(),
        Ok(WaitStatus::Exited(_, 0))
    ));
    let files: Vec<_> = fs::read_dir(home.work()).unwrap().collect();
    assert!(files.is_empty(), "nothing is written: {files:?}");
}

#[test]
fn gitlab_url_and_project_flags_say_where_the_wizard_files() {
    use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN};
    let gitlab = FakeGitlab::default_builder()
        .project(9, "team/access")
        .start();
    let home = Home::new();
    let url = gitlab.url();
    // No GITLAB_HOST: only the flag says where GitLab is.
    let mut session = wizard_env(
        &home,
        &["--gitlab-url", &url, "--project", "team/access"],
        &[("GITLAB_TOKEN", DEFAULT_TOKEN)],
    );
    ada_up_to_the_review(&mut session, "", "2026-12-07", "mgr.jones");
    answer_all(
        &mut session,
        &[
            (REVIEW, ""),
            ("Save the checklist as", ""),
            (
                &format!("File this access request in team/access on {url} now? [y/N]"),
                "y",
            ),
            ("can tick their part? [y/N]", "n"),
        ],
    );
    session.exp_string("Done.").unwrap();
    assert_eq!(exit_code(session), 0);
    assert_eq!(
        gitlab.issues("team/access").len(),
        1,
        "filed where --project says"
    );
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
    assert!(
        gitlab
            .requests()
            .iter()
            .any(|r| r.path == "/api/v4/users" && r.query_param("username") == Some("mgr.jones")),
        "the manager was checked on the --gitlab-url server"
    );
}
