//! Rosters as People Ops have them: only the four columns that matter
//! required, problems told once per kind, bad rows skipped on request,
//! re-runs that rewrite only what changed, rosters from pipes and stdin,
//! and a summary that survives a full disk after filing.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use serde_json::Value;

use crate::support::fake_gitlab::{FakeGitlab, DEFAULT_PROJECT, DEFAULT_TOKEN, ONBOARDING_PROJECT};
use crate::support::{Home, Test};

const SAL: &str = "strategic-account-leader";

/// `batch roster.csv --out out` in `home`.
fn batch(home: &Arc<Home>) -> Test {
    Test::in_home(home).args(["batch", "roster.csv", "--out", "out"])
}

/// The batch's `summary.json`.
fn summary(home: &Home) -> Value {
    serde_json::from_str(&fs::read_to_string(home.work().join("out/summary.json")).unwrap())
        .unwrap()
}

/// `batch` filing against `gitlab`, with its token.
fn filing(test: Test, gitlab: &FakeGitlab) -> Test {
    test.args(["--yes", "--gitlab-url", &gitlab.url()])
        .env("GITLAB_TOKEN", DEFAULT_TOKEN)
        .nowhere(DEFAULT_TOKEN)
}

#[test]
fn a_roster_of_only_name_email_role_and_start_date_is_enough_but_for_access_requests() {
    let home = Home::new();
    home.file(
        "roster.csv",
        &format!("email,name,role,start_date\nada@example.com,Ada Lovelace,{SAL},2026-12-07\ngrace@example.com,Grace Hopper,{SAL},2026-12-08\n"),
    );
    batch(&home)
        .stdout_has("Hires       2\nChecklists  2 written, 0 unchanged, in out\n")
        .run();
    let ada = fs::read_to_string(home.work().join("out/ada-lovelace.md")).unwrap();
    assert!(ada.contains("- [ ] "), "{ada}");
    // The onboarding issue is assigned to the manager only when there is one.
    let gitlab = FakeGitlab::start_default();
    filing(batch(&home).args(["--file-onboarding"]), &gitlab)
        .stdout_has("Onboarding  2 created, 0 already filed\n")
        .any_stderr()
        .run();
    assert_eq!(gitlab.issues(ONBOARDING_PROJECT).len(), 2);
    // An access request is approved by the manager and assigned to them.
    let why =
        "manager: is empty, and --file-access needs it: the manager approves them and is assigned";
    filing(batch(&home).args(["--file-access"]), &gitlab)
        .status(3)
        .stderr(&format!(
            "error: roster.csv: 2 rows: {why}: rows 2, 3\n\
             roster.csv: 2 problems in 2 of 2 rows; nothing was written\n"
        ))
        .run();
    assert!(gitlab.issues(DEFAULT_PROJECT).is_empty());
}

#[test]
fn two_hundred_fifty_rows_on_a_holiday_are_one_line_and_a_total() {
    let home = Home::new();
    let mut roster = "name,email,role,start_date\n".to_string();
    for i in 0..300 {
        // Every sixth row starts on a holiday, the others the day after.
        let start = if i % 6 == 0 {
            "2027-01-19"
        } else {
            "2027-01-18"
        };
        roster.push_str(&format!("Hire {i},hire{i}@example.com,{SAL},{start}\n"));
    }
    roster.push_str(&format!("Bob,bob@example,{SAL},2027-01-19\n"));
    home.file("roster.csv", &roster);
    batch(&home)
        .status(3)
        .stderr(
            "error: roster.csv: 250 rows: start_date: start date 2027-01-18 is a holiday (Martin Luther King Jr. Day); choose a business day (the next one is 2027-01-19): rows 3, 4, 5 … (247 more)\n\
             roster.csv:302: email: 'bob@example' is not an email address: the domain must be dotted words such as example.com\n\
             roster.csv: 251 problems in 251 of 301 rows; nothing was written (--skip-invalid goes on with the other 50)\n",
        )
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
}

#[test]
fn skip_invalid_goes_on_and_a_rerun_writes_only_what_changed() {
    let home = Home::new();
    let rows = |grace_start: &str, cy_start: &str| {
        format!(
            "name,email,username,role,start_date,manager\n\
             Ada Lovelace,ada@example.com,,{SAL},2026-12-07,mgr.jones\n\
             Grace Hopper,grace@example.com,,{SAL},{grace_start},mgr.jones\n\
             Cy Young,cy@example.com,,{SAL},{cy_start},mgr.jones\n\
             ,nameless@example.com,,{SAL},2026-12-07,mgr.jones\n"
        )
    };
    // Grace starts on Christmas Day, and line 5 has no name.
    home.file("roster.csv", &rows("2026-12-25", "2026-12-08"));
    let gitlab = FakeGitlab::start_default();
    let christmas = "start_date: start date 2026-12-25 is a holiday (Christmas Day); choose a business day (the next one is 2026-12-28)";
    filing(batch(&home).args(["--skip-invalid", "--file-access"]), &gitlab)
        .status(5)
        .stdout_has("Hires       2\nChecklists  2 written, 0 unchanged, in out\n")
        .stdout_has(&format!(
            "Skipped     2: rows with problems, not written or filed (each in summary.json)\n  roster.csv:3: {christmas}\n  roster.csv:5: name: is empty\nFailures    0\n"
        ))
        .stderr_has("error: 2 rows of 4 skipped for their problems (listed above and in summary.json); fix them and re-run the same command: only what changed is written, nothing is filed twice\n")
        .run();
    let out = home.work().join("out");
    assert!(out.join("ada-lovelace.md").exists() && out.join("cy-young.md").exists());
    assert!(!out.join("grace-hopper.md").exists());
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        2,
        "the valid rows are filed"
    );
    let skipped = &summary(&home)["skipped"];
    assert_eq!(skipped[0]["line"], 3);
    assert_eq!(skipped[0]["email"], "grace@example.com");
    assert_eq!(skipped[0]["problems"][0], christmas);
    assert_eq!(skipped[1]["line"], 5);
    assert_eq!(skipped[1]["problems"][0], "name: is empty");
    let ada_before = fs::read_to_string(out.join("ada-lovelace.md")).unwrap();

    // Grace's date is fixed and Cy's moved: only their checklists change.
    home.file("roster.csv", &rows("2026-12-28", "2026-12-09"));
    filing(batch(&home).args(["--skip-invalid", "--file-access"]), &gitlab)
        .status(5)
        .stdout_has("Checklists  1 written, 1 updated, 1 unchanged, in out\n  written: grace-hopper.md\n  updated: cy-young.md\nTasks")
        .stdout_has("Skipped     1: rows with problems")
        .any_stderr()
        .run();
    assert!(fs::read_to_string(out.join("cy-young.md"))
        .unwrap()
        .contains("Wed 2026-12-09"));
    assert_eq!(
        fs::read_to_string(out.join("ada-lovelace.md")).unwrap(),
        ada_before
    );
    let statuses: Vec<Value> = summary(&home)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["checklist_status"].clone())
        .collect();
    assert_eq!(statuses, ["unchanged", "written", "updated"]);
    assert_eq!(
        gitlab.issues(DEFAULT_PROJECT).len(),
        3,
        "Grace is filed now"
    );
}

#[test]
fn a_checklist_edited_by_hand_is_overwritten_only_with_force() {
    let home = Home::new();
    let rows = |start: &str| {
        format!("name,email,role,start_date\nAda Lovelace,ada@example.com,{SAL},{start}\nGrace Hopper,grace@example.com,{SAL},{start}\n")
    };
    home.file("roster.csv", &rows("2026-12-07"));
    batch(&home).stdout_has("2 written").run();
    let out = home.work().join("out");
    let mut edited = fs::read_to_string(out.join("ada-lovelace.md")).unwrap();
    edited.push_str("\nMy own notes.\n");
    fs::write(out.join("ada-lovelace.md"), &edited).unwrap();
    // Unchanged content leaves the edit alone, with no --force needed.
    batch(&home)
        .stdout_has("Checklists  0 written, 2 unchanged, in out\n")
        .run();
    home.file("roster.csv", &rows("2026-12-08"));
    batch(&home)
        .status(2)
        .stderr("error: 1 checklist in out was changed since onboard wrote it (ada-lovelace.md): edited by hand? pass --force to overwrite it; nothing was written\n")
        .run();
    assert_eq!(
        fs::read_to_string(out.join("ada-lovelace.md")).unwrap(),
        edited
    );
    batch(&home)
        .args(["--force"])
        .stdout_has("Checklists  0 written, 2 updated, 0 unchanged, in out\n  updated: ada-lovelace.md\n  updated: grace-hopper.md\n")
        .run();
    assert!(!fs::read_to_string(out.join("ada-lovelace.md"))
        .unwrap()
        .contains("My own notes."));
}

const PIPED: &str = "name,email,role,start_date\nAda Lovelace,ada@example.com,strategic-account-leader,2026-12-07\n";

/// Runs `onboard batch ROSTER --out out` in `home`, stdin fed by `feed`;
/// a run that does not end within a minute is killed and fails the test.
fn run_batch(
    home: &Home,
    roster: &str,
    feed: impl FnOnce(&mut Command) -> Option<Vec<u8>>,
) -> (i32, String, String) {
    let mut command = home.command();
    command
        .args(["batch", roster, "--out", "out"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let input = feed(&mut command);
    let mut child = command.spawn().expect("run onboard");
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(&bytes).unwrap();
    }
    let pid = child.id();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    let Ok(output) = finished.recv_timeout(Duration::from_mins(1)) else {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("onboard batch {roster} hangs");
    };
    let output = output.unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_roster_from_a_named_pipe_is_read_once() {
    let home = Home::new();
    let fifo = home.work().join("roster.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        // Opening blocks until onboard opens the pipe to read it.
        move || fs::write(fifo, PIPED)
    });
    let (code, stdout, stderr) = run_batch(&home, "roster.fifo", |_| None);
    writer.join().unwrap().unwrap();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Hires       1\n"), "{stdout}");
    assert!(home.work().join("out/ada-lovelace.md").exists());
    let leftovers: Vec<_> = fs::read_dir(home.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".onboard-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_roster_on_stdin_is_read_with_a_dash_or_dev_stdin() {
    for roster in ["-", "/dev/stdin"] {
        let home = Home::new();
        let (code, stdout, stderr) = run_batch(&home, roster, |command| {
            command.stdin(Stdio::piped());
            Some(PIPED.as_bytes().to_vec())
        });
        assert_eq!(code, 0, "{roster}: {stdout}{stderr}");
        assert!(stdout.contains("Hires       1\n"), "{roster}: {stdout}");
        assert!(home.work().join("out/ada-lovelace.md").exists(), "{roster}");
    }
    // Problems name stdin, and a YAML roster is told by its content.
    let home = Home::new();
    let (code, _, stderr) = run_batch(&home, "-", |command| {
        command.stdin(Stdio::piped());
        Some(b"- name: Ada\n  email: ada@example\n  role: strategic-account-leader\n  start_date: 2026-12-07\n".to_vec())
    });
    assert_eq!(code, 3);
    assert!(
        stderr.starts_with("error: stdin:2:10: email: 'ada@example' is not an email address"),
        "{stderr}"
    );
}

#[test]
fn a_summary_that_cannot_be_written_after_filing_is_printed_and_exits_5() {
    let home = Home::new();
    home.file(
        "roster.csv",
        &format!("name,email,role,start_date,manager\nAda Lovelace,ada@example.com,{SAL},2026-12-07,mgr.jones\n"),
    );
    let gitlab = FakeGitlab::start_default();
    // Once the request is filed, summary.json's place is taken by a folder.
    let taken = home.work().join("out/summary.json");
    gitlab.after_create(move || {
        let _ = fs::create_dir_all(&taken);
    });
    let journal = home.journal();
    filing(batch(&home).args(["--file-access"]), &gitlab)
        .status(5)
        .stdout_has("Hires       1\n")
        .stdout_has("Requests    1 created, 0 already filed\nFailures    0\n")
        .stderr_has("error: cannot write out/summary.json: ")
        .stderr_has(&format!(
            "every issue filed is recorded in the journal ({}): re-run the same command to write summary.json, nothing is filed twice\n",
            journal.display()
        ))
        .run();
    assert_eq!(gitlab.issues(DEFAULT_PROJECT).len(), 1);
}

#[test]
fn a_skipped_row_takes_no_checklist_name_on_a_rerun() {
    let home = Home::new();
    // Two Ada Lovelaces; the first has no manager to approve her requests.
    home.file(
        "roster.csv",
        &format!("name,email,role,start_date,manager\nAda Lovelace,ada1@example.com,{SAL},2026-12-07,\nAda Lovelace,ada2@example.com,{SAL},2026-12-08,mgr.jones\n"),
    );
    let gitlab = FakeGitlab::start_default();
    let run = || {
        filing(
            batch(&home).args(["--skip-invalid", "--file-access"]),
            &gitlab,
        )
        .status(5)
        .stdout_has("Skipped     1: rows with problems")
        .any_stderr()
    };
    run().stdout_has("Hires       1\n").run();
    let checklist = home.work().join("out/ada-lovelace.md");
    assert!(fs::read_to_string(&checklist)
        .unwrap()
        .contains("Tue 2026-12-08"));
    fs::write(&checklist, "my notes").unwrap();
    // The second Ada's checklist is still ada-lovelace.md, and her edit stays.
    run()
        .stdout_has("Checklists  0 written, 1 unchanged, in out\n")
        .run();
    assert_eq!(fs::read_to_string(&checklist).unwrap(), "my notes");
}
