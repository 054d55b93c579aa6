//! The wizard's flow with scripted answers: every branch without a terminal.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use onboard::calendar::Calendar;
use onboard::config::Config;
use onboard::gitlab::{RetryPolicy, Server, Settings};
use onboard::render::Renderer;
use onboard::source::FileSet;
use onboard::wizard::{self, Context, Scripted};
use onboard::workspace::Workspace;
use onboard::Error;

pub fn workspace(home: &Path) -> Workspace {
    let catalog = onboard::catalog::load(&FileSet::embedded_roles()).expect("embedded catalogue");
    Workspace {
        calendar: Calendar::new(catalog.holidays.clone()),
        renderer: Renderer::embedded().expect("embedded templates"),
        config: Config {
            journal: Some(home.join("journal.json")),
            ..Config::default()
        },
        catalog,
    }
}

pub fn context<'a>(workspace: &'a Workspace, folder: &Path, for_someone_else: bool) -> Context<'a> {
    Context {
        workspace,
        today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        folder: folder.to_path_buf(),
        for_someone_else,
        gitlab: Settings {
            server: Server::parse("https://gitlab.example.com").unwrap(),
            project: "it/access-requests".into(),
            policy: RetryPolicy::default(),
        },
        token: None,
    }
}

/// Answers for a SAL who takes every default they can.
pub const ADA: &[&str] = &[
    "Ada Lovelace",
    "ada@example.com",
    "",
    "Strategic Account Leader",
    "2026-12-07",
    "mgr.jones",
    "",
    "",
    "",
];

#[test]
fn a_new_hire_who_answers_in_order_gets_a_checklist_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut prompter = Scripted::new(ADA.iter().copied());
    let outcome = wizard::run(&mut prompter, &context(&workspace, dir.path(), false)).unwrap();
    assert_eq!(
        outcome.checklist,
        dir.path().join("onboarding-ada-lovelace.md")
    );
    let text = fs::read_to_string(&outcome.checklist).unwrap();
    assert!(text.starts_with("# Onboarding checklist: Ada Lovelace"));
    assert!(text.contains("| **Manager** | @mgr.jones |"));
    assert_eq!(outcome.filed, None);
    let transcript = prompter.transcript.join("\n");
    assert!(transcript.contains("? Your full name"), "{transcript}");
    let hint = prompter
        .transcript
        .iter()
        .find(|line| line.contains("export GITLAB_TOKEN"))
        .expect("a hint about the token");
    assert!(!hint.contains('\n'), "the hint is one line: {hint}");
    assert!(
        transcript.contains("export GITLAB_TOKEN"),
        "without a token it says how to file later:\n{transcript}"
    );
    assert!(transcript.contains("onboard access file --role strategic-account-leader --name 'Ada Lovelace' --start 2026-12-07 --email ada@example.com --manager mgr.jones"), "{transcript}");
    assert!(
        transcript.contains("Tasks:"),
        "a summary comes before saving:\n{transcript}"
    );
}

#[test]
fn bad_answers_are_asked_again_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let answers = [
        "",
        "Ada Lovelace",
        "ada@example",
        "ada@example.com",
        "@all",
        "",
        "Strategic Account Leader",
        "2026-12-05",
        "07/12/2026",
        "2026-12-07",
        "mgr.jones",
        "",
        "",
        "",
    ];
    let mut prompter = Scripted::new(answers);
    let outcome = wizard::run(&mut prompter, &context(&workspace, dir.path(), false)).unwrap();
    assert_eq!(
        outcome.hire.start,
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    );
    assert!(outcome.hire.username.is_none());
    let transcript = prompter.transcript.join("\n");
    for reason in [
        "name: the name is empty; please try again",
        "email: 'ada@example' is not an email address",
        "'all' is reserved by GitLab",
        "start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07); please try again",
        "'07/12/2026' is not a real date in the form YYYY-MM-DD",
    ] {
        assert!(transcript.contains(reason), "missing {reason:?} in:\n{transcript}");
    }
}

#[test]
fn the_start_date_defaults_to_the_next_business_day() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[4] = "";
    let outcome = wizard::run(
        &mut Scripted::new(answers),
        &context(&workspace, dir.path(), false),
    )
    .unwrap();
    assert_eq!(
        outcome.hire.start,
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        "today is Friday 2026-12-04"
    );
}

#[test]
fn an_existing_file_is_only_replaced_after_an_explicit_yes() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let existing = dir.path().join("onboarding-ada-lovelace.md");
    fs::write(&existing, "my notes").unwrap();
    let mut answers: Vec<&str> = ADA[..8].to_vec();
    answers.extend(["", "n", "ada.md"]);
    let outcome = wizard::run(
        &mut Scripted::new(answers),
        &context(&workspace, dir.path(), false),
    )
    .unwrap();
    assert_eq!(
        fs::read_to_string(&existing).unwrap(),
        "my notes",
        "a no keeps the file"
    );
    assert_eq!(outcome.checklist, dir.path().join("ada.md"));
    let mut answers: Vec<&str> = ADA[..8].to_vec();
    answers.extend(["", "y"]);
    wizard::run(
        &mut Scripted::new(answers),
        &context(&workspace, dir.path(), false),
    )
    .unwrap();
    assert!(
        fs::read_to_string(&existing)
            .unwrap()
            .starts_with("# Onboarding checklist"),
        "a yes replaces it"
    );
}

#[test]
fn optional_tools_are_offered_with_the_baseline_shown_included() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[7] = "4";
    let mut prompter = Scripted::new(answers);
    let outcome = wizard::run(&mut prompter, &context(&workspace, dir.path(), false)).unwrap();
    assert_eq!(outcome.hire.with.len(), 1);
    let text = fs::read_to_string(&outcome.checklist).unwrap();
    let tool = workspace.catalog.tool(&outcome.hire.with[0]).unwrap();
    assert!(
        text.contains(&tool.name),
        "{} is in the checklist",
        tool.name
    );
}

#[test]
fn manager_mode_phrases_the_questions_for_a_manager() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut prompter = Scripted::new(ADA.iter().copied());
    let outcome = wizard::run(&mut prompter, &context(&workspace, dir.path(), true)).unwrap();
    let transcript = prompter.transcript.join("\n");
    assert!(transcript.contains("? Their full name"), "{transcript}");
    assert!(
        transcript.contains("? Your GitLab username (optional; you approve their access requests)"),
        "{transcript}"
    );
    assert!(!transcript.contains("? Your full name"), "{transcript}");
    assert!(fs::read_to_string(outcome.checklist)
        .unwrap()
        .contains("Ada Lovelace"));
}

#[test]
fn stopping_at_a_prompt_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let err = wizard::run(
        &mut Scripted::new(ADA[..5].iter().copied()),
        &context(&workspace, dir.path(), false),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Interrupted));
    assert_eq!(err.exit_code(), 130);
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

#[test]
fn without_a_manager_it_explains_how_to_file_later() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[5] = "";
    let mut prompter = Scripted::new(answers);
    wizard::run(&mut prompter, &context(&workspace, dir.path(), false)).unwrap();
    assert!(prompter
        .transcript
        .join("\n")
        .contains("--manager USERNAME"));
}

#[test]
fn with_a_token_the_wizard_files_through_the_same_code_as_access_file() {
    use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN};
    let gitlab = FakeGitlab::start_default();
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace(dir.path());
    let mut context = context(&workspace, dir.path(), false);
    context.gitlab = Settings {
        server: Server::parse(&gitlab.url()).unwrap(),
        project: DEFAULT_PROJECT.into(),
        policy: RetryPolicy::default(),
    };
    context.token = Some(token(DEFAULT_TOKEN));
    let mut answers: Vec<&str> = ADA.to_vec();
    answers.push("y");
    let mut prompter = Scripted::new(answers);
    let outcome = wizard::run(&mut prompter, &context).unwrap();
    let filed = outcome.filed.expect("filed");
    assert_eq!(filed.issues.len(), 1);
    assert!(filed.issues[0].created);
    let transcript = prompter.transcript.join("\n");
    assert!(
        transcript.contains(&format!("Filed: {}", filed.issues[0].url)),
        "{transcript}"
    );
    assert!(
        transcript.contains("Title:        Ada Lovelace, Clari"),
        "the plan is shown first:\n{transcript}"
    );
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1);
    let mut again: Vec<&str> = ADA[..8].to_vec();
    again.extend(["again.md", "y"]);
    let mut prompter = Scripted::new(again);
    wizard::run(&mut prompter, &context).unwrap();
    assert!(prompter.transcript.join("\n").contains("Already filed: "));
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        1,
        "idempotent through the wizard too"
    );
    let mut declined: Vec<&str> = ADA[..8].to_vec();
    declined.extend(["declined.md", "n"]);
    let mut prompter = Scripted::new(declined);
    let outcome = wizard::run(&mut prompter, &context).unwrap();
    assert_eq!(outcome.filed, None);
    assert!(prompter
        .transcript
        .join("\n")
        .contains("Not filed. To file it later"));
}

fn token(value: &str) -> onboard::gitlab::Token {
    onboard::gitlab::Token::new(value)
}
