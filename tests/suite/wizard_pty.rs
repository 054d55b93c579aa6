//! The wizard in a real pseudo-terminal, typed into as a person would.

use std::fs;

use rexpect::process::wait::WaitStatus;
use rexpect::session::{spawn_command, PtySession};

use crate::support::{Home, Test};

const TIMEOUT_MS: u64 = 20_000;

/// The wizard in a pseudo-terminal, in `home` (no token, `NO_COLOR` set).
fn wizard(home: &Home, extra: &[&str]) -> PtySession {
    let mut command = home.command();
    command.arg("wizard").args(extra).env("TERM", "xterm");
    spawn_command(command, Some(TIMEOUT_MS)).expect("spawn the wizard in a pty")
}

fn answer(session: &mut PtySession, prompt: &str, reply: &str) {
    session
        .exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    session.send_line(reply).expect("type an answer");
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
        text.contains("Verify Datafox works"),
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
    session.exp_string("Optional tools").unwrap();
    session.send_line("").unwrap();
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
