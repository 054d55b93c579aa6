//! The wizard's flow with scripted answers: every branch without a terminal.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use onboard::testing::{run_wizard, WizardRun, WizardSetup};

/// Answers for a SAL who takes every default they can.
pub(super) const ADA: &[&str] = &[
    "Ada Lovelace",
    "ada@example.com",
    "",
    "Strategic Account Leader",
    "",
    "2026-12-07",
    "mgr.jones",
    "",
    "",
    // The review: Enter saves.
    "",
    "",
];

/// Runs the wizard in `folder` on Friday 2026-12-04, without a token.
fn wizard(folder: &Path, answers: &[&str]) -> WizardRun {
    wizard_with(folder, answers, false, None)
}

fn wizard_with(
    folder: &Path,
    answers: &[&str],
    for_someone_else: bool,
    gitlab: Option<(&str, &str)>,
) -> WizardRun {
    let journal = folder.join(".state/journal.json");
    run_wizard(
        &WizardSetup {
            folder,
            journal: &journal,
            today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            for_someone_else,
            gitlab_url: gitlab.map_or("https://gitlab.example.com", |(url, _)| url),
            token: gitlab.map(|(_, token)| token),
        },
        answers,
    )
}

fn transcript(run: &WizardRun) -> String {
    run.transcript.join("\n")
}

#[test]
fn a_new_hire_who_answers_in_order_gets_a_checklist_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let run = wizard(dir.path(), ADA);
    let path = run.result.clone().unwrap();
    assert_eq!(path, dir.path().join("onboarding-ada-lovelace.md"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Onboarding checklist: Ada Lovelace"));
    assert!(text.contains("| **Manager** | @mgr.jones |"));
    assert!(run.filed.is_empty());
    let transcript = transcript(&run);
    assert!(transcript.contains("? Your full name"), "{transcript}");
    let hint = run
        .transcript
        .iter()
        .find(|line| line.contains("export GITLAB_TOKEN"))
        .expect("without a token it says how to file later");
    assert!(!hint.contains('\n'), "the hint is one line: {hint}");
    assert!(transcript.contains("onboard access file --role strategic-account-leader --name 'Ada Lovelace' --start 2026-12-07 --email ada@example.com --manager mgr.jones"), "{transcript}");
    assert!(
        transcript.contains("Tasks:"),
        "a summary comes before saving:\n{transcript}"
    );
}

#[test]
fn bad_answers_are_asked_again_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let answers = [
        "",
        "Ada Lovelace",
        "ada@example",
        "ada@example.com",
        "@all",
        "",
        "Strategic Account Leader",
        "Germny",
        "Germany",
        "2026-12-05",
        "07/12/2026",
        "2026-12-07",
        "mgr.jones",
        "",
        "",
        "",
        "",
    ];
    let run = wizard(dir.path(), &answers);
    assert_eq!(run.start, NaiveDate::from_ymd_opt(2026, 12, 7));
    assert_eq!(run.username, None);
    let transcript = transcript(&run);
    for reason in [
        "name: the name is empty; please try again",
        "email: 'ada@example' is not an email address",
        "'all' is reserved by GitLab",
        "start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07); please try again",
        "'07/12/2026' is not a real date in the form YYYY-MM-DD",
        "'Germny' is not a country with known public holidays; did you mean Germany (DE)?; please try again",
    ] {
        assert!(transcript.contains(reason), "missing {reason:?} in:\n{transcript}");
    }
}

#[test]
fn the_start_date_defaults_to_the_next_business_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[5] = "";
    let run = wizard(dir.path(), &answers);
    assert_eq!(
        run.start,
        NaiveDate::from_ymd_opt(2026, 12, 7),
        "today is Friday 2026-12-04"
    );
}

#[test]
fn an_existing_file_is_only_replaced_after_an_explicit_yes() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("onboarding-ada-lovelace.md");
    fs::write(&existing, "my notes").unwrap();
    let mut answers: Vec<&str> = ADA[..10].to_vec();
    answers.extend(["", "n", "ada.md"]);
    let run = wizard(dir.path(), &answers);
    assert_eq!(
        fs::read_to_string(&existing).unwrap(),
        "my notes",
        "a no keeps the file"
    );
    assert_eq!(run.result.unwrap(), dir.path().join("ada.md"));
    let mut answers: Vec<&str> = ADA[..10].to_vec();
    answers.extend(["", "y"]);
    wizard(dir.path(), &answers).result.unwrap();
    assert!(
        fs::read_to_string(&existing)
            .unwrap()
            .starts_with("# Onboarding checklist"),
        "a yes replaces it"
    );
}

#[test]
fn the_baseline_is_one_line_and_only_the_ticked_tools_are_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[8] = "0,1";
    let run = wizard(dir.path(), &answers);
    let transcript = transcript(&run);
    assert!(
        transcript.contains("You get, like everyone: Okta, Slack, Google Workspace, Zoom.\n? Optional tools you want (space to tick, enter to finish)\n= Conversica, Datafox\n"),
        "{transcript}"
    );
    assert!(transcript.contains("? Your role (type to search)\n= Strategic Account Leader\n"));
    assert_eq!(run.added_tools.len(), 2, "{:?}", run.added_tools);
    let text = fs::read_to_string(run.result.unwrap()).unwrap();
    assert!(
        text.contains(&run.added_tools[0]),
        "{} is in the checklist",
        run.added_tools[0]
    );
}

#[test]
fn manager_mode_phrases_the_questions_for_a_manager() {
    let dir = tempfile::tempdir().unwrap();
    let run = wizard_with(dir.path(), ADA, true, None);
    let transcript = transcript(&run);
    assert!(transcript.contains("? Their full name"), "{transcript}");
    assert!(
        transcript.contains("? Your GitLab username (optional; you approve their access requests)"),
        "{transcript}"
    );
    assert!(!transcript.contains("? Your full name"), "{transcript}");
    assert!(fs::read_to_string(run.result.unwrap())
        .unwrap()
        .contains("Ada Lovelace"));
}

#[test]
fn stopping_at_a_prompt_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = wizard(dir.path(), &ADA[..5]);
    assert_eq!(run.result.unwrap_err(), "interrupted; nothing was written");
    assert_eq!(run.exit_code, 130);
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

#[test]
fn without_a_manager_it_explains_how_to_file_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[6] = "";
    let run = wizard(dir.path(), &answers);
    assert!(transcript(&run).contains("--manager USERNAME"));
}

#[test]
fn with_a_token_the_wizard_files_through_the_same_code_as_access_file() {
    use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN};
    let gitlab = FakeGitlab::start_default();
    let url = gitlab.url();
    let dir = tempfile::tempdir().unwrap();
    let with_token =
        |answers: &[&str]| wizard_with(dir.path(), answers, false, Some((&url, DEFAULT_TOKEN)));
    let mut answers: Vec<&str> = ADA.to_vec();
    answers.extend(["y", "n"]);
    let run = with_token(&answers);
    assert_eq!(run.filed.len(), 1, "{}", transcript(&run));
    let (url, created) = &run.filed[0];
    assert!(created);
    let transcript_text = transcript(&run);
    assert!(
        transcript_text.contains(&format!("Filed: {url}")),
        "{transcript_text}"
    );
    assert!(
        transcript_text.contains("Title:        Ada Lovelace, Clari"),
        "the plan is shown first:\n{transcript_text}"
    );
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1);
    let mut again: Vec<&str> = ADA[..10].to_vec();
    again.extend(["again.md", "y", "n"]);
    assert!(transcript(&with_token(&again)).contains("Already filed: "));
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        1,
        "idempotent through the wizard too"
    );
    let mut declined: Vec<&str> = ADA[..10].to_vec();
    declined.extend(["declined.md", "n", "n"]);
    let run = with_token(&declined);
    assert!(run.filed.is_empty());
    assert!(transcript(&run).contains("Not filed. To file it later"));
}

#[test]
fn with_a_token_the_wizard_also_files_the_onboarding_issue_linked_to_the_requests() {
    use crate::support::fake_gitlab::{
        FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN, ONBOARDING_PROJECT,
    };
    let gitlab = FakeGitlab::start_default();
    let url = gitlab.url();
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    answers.extend(["y", "y"]);
    let run = wizard_with(dir.path(), &answers, false, Some((&url, DEFAULT_TOKEN)));
    let transcript = transcript(&run);
    assert!(
        transcript.contains("? File the checklist as the onboarding issue in gitlab-com/people-group/onboarding on "),
        "{transcript}"
    );
    let onboarding = gitlab.issues(ONBOARDING_PROJECT);
    assert_eq!(onboarding.len(), 1, "{transcript}");
    assert!(transcript.contains(&format!(
        "Filed the onboarding issue: {}",
        onboarding[0]["web_url"].as_str().unwrap()
    )));
    let request = &gitlab.issues(DEFAULT_PROJECT)[0];
    assert!(
        onboarding[0]["description"]
            .as_str()
            .unwrap()
            .contains(request["web_url"].as_str().unwrap()),
        "the onboarding issue links the access request"
    );
    let links = gitlab.links(ONBOARDING_PROJECT, 1);
    assert_eq!(links.len(), 1, "{links:?}");
}

#[test]
fn filing_asks_with_default_no_like_access_file() {
    use crate::support::fake_gitlab::{
        FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN, ONBOARDING_PROJECT,
    };
    let gitlab = FakeGitlab::start_default();
    let url = gitlab.url();
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    // Enter at both filing questions.
    answers.extend(["", ""]);
    let run = wizard_with(dir.path(), &answers, false, Some((&url, DEFAULT_TOKEN)));
    let transcript = transcript(&run);
    assert!(
        transcript.contains(&format!(
            "? File this access request in {DEFAULT_PROJECT} on {url}"
        )) && transcript.contains(" now? [y/N]\n"),
        "{transcript}"
    );
    assert!(
        transcript.contains("so everyone involved can tick their part? [y/N]"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Not filed. To file it later"),
        "{transcript}"
    );
    assert!(run.filed.is_empty());
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
    assert!(gitlab.issues(ONBOARDING_PROJECT).is_empty());
    assert!(run.result.is_ok(), "the checklist is still written");
}

/// The usernames looked up in GitLab (`GET /users?username=`), in order.
fn user_lookups(gitlab: &crate::support::fake_gitlab::FakeGitlab) -> Vec<String> {
    gitlab
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v4/users")
        .filter_map(|r| r.query_param("username").map(str::to_string))
        .collect()
}

#[test]
fn with_a_token_an_unknown_username_is_asked_again_and_each_name_looked_up_once() {
    use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_TOKEN};
    let gitlab = FakeGitlab::start_default();
    let url = gitlab.url();
    let dir = tempfile::tempdir().unwrap();
    let answers = [
        "Ada Lovelace",
        "ada@example.com",
        "ada.lovelase",
        "ada.lovelace",
        "Strategic Account Leader",
        "",
        "2026-12-07",
        "mgr.jnoes",
        "mgr.jones",
        // The same person as buddy: GitLab is not asked twice.
        "mgr.jones",
        "",
        "",
        "",
        "n",
        "n",
    ];
    let run = wizard_with(dir.path(), &answers, false, Some((&url, DEFAULT_TOKEN)));
    let transcript = transcript(&run);
    for refusal in [
        format!("no GitLab user 'ada.lovelase' on {url}; please try again (or leave it empty)"),
        format!("no GitLab user 'mgr.jnoes' on {url}; please try again (or leave it empty)"),
    ] {
        assert!(
            transcript.contains(&refusal),
            "missing {refusal:?} in:\n{transcript}"
        );
    }
    assert_eq!(run.username.as_deref(), Some("ada.lovelace"));
    assert_eq!(
        user_lookups(&gitlab),
        ["ada.lovelase", "ada.lovelace", "mgr.jnoes", "mgr.jones"]
    );
    let text = fs::read_to_string(run.result.unwrap()).unwrap();
    assert!(text.contains("| **Manager** | @mgr.jones |"), "{text}");
}

#[test]
fn when_gitlab_cannot_be_reached_usernames_go_unchecked_after_one_notice() {
    use crate::support::fake_gitlab::DEFAULT_TOKEN;
    let url = crate::support::unreachable_gitlab();
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA.to_vec();
    answers[2] = "ada.lovelace";
    answers[7] = "sam.lee";
    answers.extend(["n", "n"]);
    let run = wizard_with(dir.path(), &answers, false, Some((&url, DEFAULT_TOKEN)));
    let transcript = transcript(&run);
    let notices = run
        .transcript
        .iter()
        .filter(|line| line.starts_with(&format!("Cannot check usernames on {url}")))
        .count();
    assert_eq!(notices, 1, "said once:\n{transcript}");
    assert!(
        transcript.contains("filing checks them again"),
        "{transcript}"
    );
    assert_eq!(run.username.as_deref(), Some("ada.lovelace"));
    let text = fs::read_to_string(run.result.unwrap()).unwrap();
    assert!(text.contains("@sam.lee"), "the buddy is kept: {text}");
}

#[test]
fn the_review_shows_every_answer_and_changes_only_the_one_picked() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA[..9].to_vec();
    answers[4] = "GB";
    // Tuesday 2026-12-08 is a working day in the United Kingdom...
    answers[5] = "2026-12-08";
    answers.extend([
        "Change an answer",
        "Country",
        "Italy",
        // ...but a holiday in Italy: the start is asked again, and Enter
        // takes the business day suggested.
        "",
        "Save",
        "",
    ]);
    let run = wizard(dir.path(), &answers);
    let transcript = transcript(&run);
    assert!(
        transcript.contains("  Country:     United Kingdom (GB)\n  Day 1:       Tue 2026-12-08\n  Manager:     @mgr.jones\n  Buddy:       none\n  Optional:    none\n"),
        "the review shows the answers:\n{transcript}"
    );
    assert!(
        transcript.contains("? Which answer?\n= Country\n? The country you work from"),
        "{transcript}"
    );
    assert!(
        transcript.contains("start date 2026-12-08 is a holiday (Immaculate Conception)"),
        "{transcript}"
    );
    let asked = |prompt: &str| {
        run.transcript
            .iter()
            .filter(|line| line.starts_with(&format!("? {prompt}")))
            .count()
    };
    assert_eq!(
        asked("Your full name"),
        1,
        "only the country was asked again"
    );
    assert_eq!(asked("Your manager's GitLab username"), 1);
    assert_eq!(asked("The country you work from"), 2);
    assert_eq!(run.start, NaiveDate::from_ymd_opt(2026, 12, 9));
    let text = fs::read_to_string(run.result.unwrap()).unwrap();
    assert!(text.contains("(Italy, IT)"), "{text}");
}

#[test]
fn quitting_at_the_review_writes_nothing_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers: Vec<&str> = ADA[..9].to_vec();
    answers.push("Quit");
    let run = wizard(dir.path(), &answers);
    assert_eq!(run.result.unwrap_err(), onboard::testing::QUIT);
    assert_eq!(run.exit_code, 0);
    assert_eq!(run.transcript.last().unwrap(), "Quit: nothing was saved.");
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

#[test]
fn a_region_is_taken_by_name_with_its_own_days_off_and_a_whole_country_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers = ADA.to_vec();
    // England keeps Easter Monday 2027 off; the suggested next day is taken.
    answers[4] = "England";
    answers[5] = "2027-03-29";
    answers.insert(6, "");
    let run = wizard(dir.path(), &answers);
    let said = transcript(&run);
    assert!(
        said.contains("start date 2027-03-29 is a holiday (Easter Monday)"),
        "{said}"
    );
    let text = fs::read_to_string(run.result.clone().unwrap()).unwrap();
    assert!(
        text.contains(
            "the public holidays of the hire's country (England (United Kingdom), GB-ENG)"
        ),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut answers = ADA.to_vec();
    answers[4] = "GB";
    let said = transcript(&wizard(dir.path(), &answers));
    assert!(
        said.contains("warning: regional days off are not counted for United Kingdom (only the days all of it shares); give a region's code to count them: GB-ENG, GB-NIR, GB-SCT, GB-WLS"),
        "{said}"
    );
}
