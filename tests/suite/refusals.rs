//! What makes no sense is refused, each with a one-line reason naming the
//! flag, field or file, and the exit code the README states: 2 for usage, 3
//! for what the catalogue does not have. Today is 2026-12-02 (`ONBOARD_TODAY`
//! in the test home).

use std::fs;
use std::process::Command;
use std::sync::Arc;

use crate::support::{hire, Home, Test};

const HEADER: &str = "name,email,username,role,start_date,manager,buddy,with,without\n";
const SAL: &str = "strategic-account-leader";

/// `checklist` for Ada, a SAL, starting on `start`.
fn checklist(start: &str) -> Test {
    Test::new()
        .args(["checklist"])
        .args(hire(SAL, "Ada Lovelace", start))
}

/// `batch roster.csv --out out` over `rows` in `home`.
fn batch(home: &Arc<Home>, rows: &str) -> Test {
    home.file("roster.csv", &format!("{HEADER}{rows}"));
    Test::in_home(home).args(["batch", "roster.csv", "--out", "out"])
}

#[test]
fn a_start_in_the_past_or_over_a_year_away_is_accepted_with_a_warning() {
    checklist("2026-11-30")
        .any_stdout()
        .stderr("warning: start: 2026-11-30 is in the past (today is 2026-12-02)\n")
        .run();
    checklist("2028-01-03")
        .any_stdout()
        .stderr("warning: start: 2028-01-03 is more than 12 months after today (2026-12-02)\n")
        .run();
    checklist("2026-12-07")
        .env("ONBOARD_TODAY", "2026-12-07")
        .any_stdout()
        .run();
}

#[test]
fn a_start_before_2000_or_over_36_months_away_is_refused_unless_allowed() {
    for (start, why) in [
        (
            "2062-12-07",
            "2062-12-07 is more than 36 months after today (2026-12-02)",
        ),
        (
            "9999-12-31",
            "9999-12-31 is more than 36 months after today (2026-12-02)",
        ),
        ("1900-12-03", "1900-12-03 is before 2000"),
    ] {
        checklist(start)
            .status(2)
            .stderr(&format!(
                "error: start: {why}; check the year, or pass --allow-far-start if it is right\n"
            ))
            .run();
    }
    checklist("2062-12-07")
        .args(["--allow-far-start"])
        .any_stdout()
        .stderr("warning: start: 2062-12-07 is more than 36 months after today (2026-12-02)\n")
        .run();
    Test::new()
        .args(["access", "plan"])
        .args(hire(SAL, "Ada Lovelace", "2062-12-07"))
        .status(2)
        .stderr_has("error: start: 2062-12-07 is more than 36 months")
        .run();
}

#[test]
fn a_far_start_in_a_roster_is_a_problem_of_its_row() {
    let home = Home::new();
    let rows = "Ada,ada@example.com,,strategic-account-leader,2026-12-07,m,,,\n\
                Bob,bob@example.com,,strategic-account-leader,2062-12-07,m,,,\n\
                Cy,cy@example.com,,strategic-account-leader,2026-11-30,m,,,\n";
    batch(&home, rows)
        .status(3)
        .stderr(
            "warning: roster.csv:4: start_date: 2026-11-30 is in the past (today is 2026-12-02)\n\
             error: roster.csv:3: start_date: 2062-12-07 is more than 36 months after today (2026-12-02); check the year, or pass --allow-far-start if it is right\n\
             roster.csv: 1 problem in 1 of 3 rows; nothing was written (--skip-invalid goes on with the other 2)\n",
        )
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
    batch(&home, rows)
        .args(["--allow-far-start"])
        .stdout_has("Hires       3\n")
        .stderr_has("warning: roster.csv:3: start_date: 2062-12-07 is more than 36 months")
        .stderr_has("warning: roster.csv:4: start_date: 2026-11-30 is in the past")
        .run();
}

#[test]
fn today_is_read_from_onboard_today_and_a_bad_one_is_refused() {
    checklist("2026-12-07")
        .env("ONBOARD_TODAY", "2027-01-04")
        .any_stdout()
        .stderr("warning: start: 2026-12-07 is in the past (today is 2027-01-04)\n")
        .run();
    checklist("2026-12-07")
        .env("ONBOARD_TODAY", "next tuesday")
        .status(2)
        .stderr("error: ONBOARD_TODAY: 'next tuesday' is not a date in the form YYYY-MM-DD\n")
        .run();
}

#[test]
fn a_tool_both_added_and_left_out_is_refused() {
    checklist("2026-12-07")
        .args(["--with", "datafox", "--without", "datafox"])
        .status(2)
        .stderr("error: with: 'datafox' is both added (with) and left out (without); keep one of the two\n")
        .run();
    let home = Home::new();
    batch(
        &home,
        "Ada,ada@example.com,,strategic-account-leader,2026-12-07,m,,datafox,datafox\n",
    )
    .status(3)
    .stderr("error: roster.csv:2: with: 'datafox' is both added (with) and left out (without); keep one of the two\n")
    .run();
}

#[test]
fn with_adds_only_an_optional_tool_of_the_role() {
    let optional = "its optional tools are: conversica, datafox, versiondot";
    checklist("2026-12-07")
        .args(["--with", "demandbase-seat"])
        .status(3)
        .stderr(&format!(
            "error: with: 'demandbase-seat' is not an optional tool of role 'strategic-account-leader'; {optional}\n"
        ))
        .run();
    checklist("2026-12-07")
        .args(["--with", "clari"])
        .status(3)
        .stderr(&format!(
            "error: with: 'clari' is not an optional tool of role 'strategic-account-leader' (the role has it already); {optional}\n"
        ))
        .run();
    let home = Home::new();
    batch(
        &home,
        "Ada,ada@example.com,,strategic-account-leader,2026-12-07,m,,demandbase-seat,\n",
    )
    .status(3)
    .stderr(&format!(
        "error: roster.csv:2: with: 'demandbase-seat' is not an optional tool of role 'strategic-account-leader'; {optional}\n"
    ))
    .run();
}

#[test]
fn nobody_is_hired_into_a_layer() {
    let hireable = "commercial-account-executive, sales-development-representative, strategic-account-leader, technical-account-manager";
    for layer in ["sales", "all-team-members"] {
        Test::new()
            .args(["checklist"])
            .args(hire(layer, "Ada Lovelace", "2026-12-07"))
            .status(3)
            .stderr(&format!(
                "error: role: '{layer}' is a layer that other roles build on, not a role anyone is hired into; the roles built on it are: {hireable}\n"
            ))
            .run();
    }
    Test::new()
        .args(["access", "plan"])
        .args(hire("enterprise-sales", "Ada Lovelace", "2026-12-07"))
        .status(3)
        .stderr("error: role: 'enterprise-sales' is a layer that other roles build on, not a role anyone is hired into; the roles built on it are: strategic-account-leader\n")
        .run();
    let home = Home::new();
    batch(&home, "Ada,ada@example.com,,sales,2026-12-07,m,,,\n")
        .status(3)
        .stderr_has("error: roster.csv:2: role: 'sales' is a layer that other roles build on")
        .run();
}

#[test]
fn force_without_an_output_file_is_a_usage_error() {
    let run = checklist("2026-12-07")
        .args(["--force"])
        .status(2)
        .stderr_has(
            "error: the following required arguments were not provided:\n  --output <FILE>\n",
        )
        .run();
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
}

#[test]
fn a_missing_onboard_config_file_is_a_usage_error() {
    let home = Home::new();
    let missing = home.path().join("nowhere/config.yaml");
    Test::in_home(&home)
        .args(["roles", "list"])
        .env("ONBOARD_CONFIG", missing.to_str().unwrap())
        .status(2)
        .stderr(&format!(
            "error: ONBOARD_CONFIG names {}, which does not exist\n",
            missing.display()
        ))
        .run();
}

#[test]
fn control_characters_in_a_hire_are_refused_naming_the_field() {
    let esc = "contains the control character U+001B (ESC, which starts terminal escape sequences); control characters are not allowed";
    Test::new()
        .args(["checklist"])
        .args(hire(SAL, "Ada \u{1b}[31mLovelace", "2026-12-07"))
        .status(2)
        .stderr(&format!("error: name: {esc}\n"))
        .run();
    checklist("2026-12-07")
        .args(["--manager", "mgr\u{7f}jones"])
        .status(2)
        .stderr("error: manager: contains the control character U+007F (DEL); control characters are not allowed\n")
        .run();
    checklist("2026-12-07")
        .args(["--email", "ada@example.com\u{9b}"])
        .status(2)
        .stderr("error: email: contains the control character U+009B; control characters are not allowed\n")
        .run();
    let home = Home::new();
    batch(
        &home,
        "Ada \u{1b}[31mLovelace,ada@example.com,,strategic-account-leader,2026-12-07,m,,,\n",
    )
    .status(3)
    .stderr(&format!("error: roster.csv:2: name: {esc}\n"))
    .run();
}

#[cfg(unix)]
#[test]
fn output_goes_only_to_a_regular_file_even_with_force() {
    let home = Home::new();
    let work = home.work();
    fs::write(work.join("notes.md"), "my notes").unwrap();
    std::os::unix::fs::symlink(work.join("notes.md"), work.join("link.md")).unwrap();
    fs::create_dir(work.join("folder.md")).unwrap();
    let made = Command::new("mkfifo")
        .arg(work.join("pipe.md"))
        .status()
        .unwrap();
    assert!(made.success());
    for (path, kind) in [
        ("link.md", "a symbolic link"),
        ("folder.md", "a folder"),
        ("pipe.md", "a named pipe (FIFO)"),
    ] {
        for force in [false, true] {
            Test::in_home(&home)
                .args(["checklist"])
                .args(hire(SAL, "Ada Lovelace", "2026-12-07"))
                .args(["-o", path])
                .args(force.then_some("--force"))
                .status(2)
                .stderr(&format!(
                    "error: {path} is {kind}; -o writes only regular files, even with --force\n"
                ))
                .run();
        }
    }
    assert!(fs::symlink_metadata(work.join("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(work.join("notes.md")).unwrap(),
        "my notes"
    );
    let run = checklist("2026-12-07")
        .args(["-o", "/dev/stdout"])
        .status(2)
        .stderr("error: /dev/stdout is a symbolic link; -o writes only regular files, even with --force; leave out -o to print to standard output\n")
        .run();
    assert!(!run.stderr.contains("pass --force"));
}

#[cfg(unix)]
#[test]
fn a_batch_refuses_a_hire_whose_checklist_would_replace_a_symbolic_link() {
    let home = Home::new();
    let out = home.work().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(home.work().join("elsewhere.md"), "keep").unwrap();
    std::os::unix::fs::symlink(home.work().join("elsewhere.md"), out.join("bob.md")).unwrap();
    let rows = "Ada,ada@example.com,,strategic-account-leader,2026-12-07,m,,,\n\
                Bob,bob@example.com,,strategic-account-leader,2026-12-07,m,,,\n";
    for force in [false, true] {
        batch(&home, rows)
            .args(force.then_some("--force"))
            .status(2)
            .stderr("error: out/bob.md is a symbolic link (the checklist of Bob, line 3); --out writes only regular files, even with --force; nothing was written\n")
            .run();
    }
    let names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["bob.md"], "nothing is written");
    assert_eq!(
        fs::read_to_string(home.work().join("elsewhere.md")).unwrap(),
        "keep"
    );
}

#[test]
fn the_wizard_asks_again_for_a_far_start_and_warns_about_a_past_one() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join(".state/journal.json");
    let answers = [
        "Ada \u{1b}[31mLovelace",
        "Ada Lovelace",
        "ada@example.com",
        "",
        "Strategic Account Leader",
        "",
        "2062-12-07",
        "2026-12-01",
        "mgr.jones",
        "",
        "",
        // The review: Enter saves.
        "",
        "",
    ];
    let run = onboard::testing::run_wizard(
        &onboard::testing::WizardSetup {
            folder: dir.path(),
            journal: &journal,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            for_someone_else: false,
            gitlab_url: "https://gitlab.example.com",
            token: None,
        },
        &answers,
    );
    assert_eq!(run.start, chrono::NaiveDate::from_ymd_opt(2026, 12, 1));
    let transcript = run.transcript.join("\n");
    for said in [
        "name: contains the control character U+001B (ESC, which starts terminal escape sequences); control characters are not allowed; please try again",
        "2062-12-07 is more than 36 months after today (2026-12-04); check the year, or pass --allow-far-start if it is right; please try again",
        "warning: start: 2026-12-01 is in the past (today is 2026-12-04)",
    ] {
        assert!(transcript.contains(said), "missing {said:?} in:\n{transcript}");
    }
}
