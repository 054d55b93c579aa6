//! Every problem at once: a roster's rows and a catalogue's files report all
//! they have in one run, each at `file:line(:column)`, with a hint when the
//! cause can be guessed (the separator, the encoding, a missing header row).

use std::fs;
use std::sync::Arc;

use crate::support::{copy_roles, Home, Test};

const HEADER: &str = "name,email,username,role,start_date,manager,buddy,with,without\n";

/// `batch FILE --out out` in `home`, after writing `bytes` to FILE.
fn batch(home: &Arc<Home>, file: &str, bytes: &[u8]) -> Test {
    fs::write(home.work().join(file), bytes).unwrap();
    Test::in_home(home).args(["batch", file, "--out", "out"])
}

#[test]
fn a_row_reports_its_email_its_weekend_start_and_its_unknown_tool_together() {
    let home = Home::new();
    let rows = format!(
        "{HEADER}Ada,ada@example,,strategic-account-leader,2026-12-05,m,,datafx,\n\
         Bob,bob@example.com,,strategic-acount-leader,2026-12-07,bad name,,,\n\
         Cy,cy@example.com,,strategic-account-leader,2026-12-07,m,,,\n"
    );
    batch(&home, "roster.csv", rows.as_bytes())
        .status(3)
        .stderr(
            "error: roster.csv:2: email: 'ada@example' is not an email address: the domain must be dotted words such as example.com\n\
             roster.csv:2: start_date: start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07)\n\
             roster.csv:2: with: unknown tool 'datafx' (did you mean 'datafox'?)\n\
             roster.csv:3: role: unknown role 'strategic-acount-leader' (did you mean 'strategic-account-leader'?); run `onboard roles list` to see the roles\n\
             roster.csv:3: manager: 'bad name' is not a GitLab username: only letters, digits, '_', '.' and '-' are allowed\n\
             roster.csv: 5 problems in 2 of 3 rows; nothing was written (--skip-invalid goes on with the other 1)\n",
        )
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
}

#[test]
fn a_yaml_row_reports_each_problem_at_its_field() {
    let home = Home::new();
    let roster = "- name: Ada\n  email: ada@example\n  role: strategic-account-leader\n  start_date: 2026-12-05\n  manager: m\n  with: [datafx]\n";
    batch(&home, "class.yaml", roster.as_bytes())
        .status(3)
        .stderr(
            "error: class.yaml:2:10: email: 'ada@example' is not an email address: the domain must be dotted words such as example.com\n\
             class.yaml:4:15: start_date: start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07)\n\
             class.yaml:6:9: with: unknown tool 'datafx' (did you mean 'datafox'?)\n\
             class.yaml: 3 problems in 1 of 1 row; nothing was written\n",
        )
        .run();
}

#[test]
fn semicolon_and_tab_separated_rosters_are_read() {
    let home = Home::new();
    let semicolons = format!(
        "{}Ada Lovelace;ada@example.com;;strategic-account-leader;2026-12-07;mgr.jones;;datafox,conversica;\n",
        HEADER.replace(',', ";")
    );
    batch(&home, "semicolons.csv", semicolons.as_bytes())
        .stdout_has("Hires       1\n")
        .run();
    let ada = fs::read_to_string(home.work().join("out/ada-lovelace.md")).unwrap();
    assert!(ada.contains("Datafox") && ada.contains("Conversica"));
    let tabs = format!(
        "{}Grace Hopper\tgrace@example.com\t\tsales-development-representative\t2026-12-08\tmgr.jones\t\t\t\n",
        HEADER.replace(',', "\t")
    );
    batch(&Home::new(), "tabs.csv", tabs.as_bytes())
        .stdout_has("Hires       1\n")
        .run();
    let mixed = format!(
        "{HEADER}Ada Lovelace;ada@example.com;;strategic-account-leader;2026-12-07;mgr.jones;;;\n"
    );
    batch(&Home::new(), "mixed.csv", mixed.as_bytes())
        .status(3)
        .stderr("error: mixed.csv:2: this row cannot be read: it has 1 field but the header has 9 (are its fields separated by ';'?)\n")
        .run();
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let home = Home::new();
    let roster = format!(
        "\u{feff}{HEADER}Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,,,\n"
    );
    batch(&home, "excel.csv", roster.as_bytes())
        .stdout_has("Hires       1\n")
        .run();
}

#[test]
fn an_empty_roster_says_so() {
    let home = Home::new();
    batch(&home, "roster.csv", b"")
        .status(3)
        .stderr("error: roster.csv:1: the roster is empty; it needs a header row (name,email,role,start_date) and one line per hire\n")
        .run();
    batch(&home, "roster.csv", HEADER.as_bytes())
        .status(3)
        .stderr("error: roster.csv:1: the roster has a header row but no hires\n")
        .run();
    batch(&home, "class.yaml", b"\n")
        .status(3)
        .stderr("error: class.yaml:1: the roster is empty; it needs a list of hires, each with name, email, role and start_date\n")
        .run();
}

#[test]
fn a_missing_or_odd_header_row_says_why() {
    let home = Home::new();
    batch(
        &home,
        "roster.csv",
        b"Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n",
    )
    .status(3)
    .stderr("error: roster.csv:1: this line looks like a hire, not a header row; the first line must name the columns: name,email,role,start_date (optional: username,manager,buddy,with,without,country,access_until)\n")
    .run();
    batch(&home, "roster.csv", b"name|email|role|start_date\n")
        .status(3)
        .stderr("error: roster.csv:1: the header is one column, 'name|email|role|start_date': separate the columns with commas, semicolons or tabs, not '|'\n")
        .run();
}

#[test]
fn a_file_that_is_not_utf8_text_exits_3_with_where_and_what_to_do() {
    let home = Home::new();
    let mut latin1 = HEADER.as_bytes().to_vec();
    latin1.extend_from_slice(
        b"Zo\xEB Smith,zoe@example.com,,strategic-account-leader,2026-12-07,m,,,\n",
    );
    batch(&home, "roster.csv", &latin1)
        .status(3)
        .stderr("error: roster.csv:2:3: not UTF-8 text (byte 0xEB): is it a spreadsheet, or saved in another encoding? export it as CSV UTF-8\n")
        .run();
    batch(&home, "roster.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00")
        .status(3)
        .stderr("error: roster.csv:1: this is a spreadsheet file (.xlsx or .ods), not CSV text: export it as CSV UTF-8\n")
        .run();
    batch(&home, "roster.csv", b"\xFF\xFEn\x00a\x00m\x00e\x00")
        .status(3)
        .stderr("error: roster.csv:1: this is UTF-16 text, not UTF-8: export it as CSV UTF-8\n")
        .run();
    let garbage: Vec<u8> = (0..=255u8).cycle().take(600).collect();
    batch(&home, "roster.csv", &garbage)
        .status(3)
        .stderr("error: roster.csv:1:1: binary data (a NUL byte), not text: is it a spreadsheet? export it as CSV UTF-8\n")
        .run();
    let high: Vec<u8> = (128..=255u8).collect();
    batch(&home, "roster.csv", &high)
        .status(3)
        .stderr_has("error: roster.csv:1:1: not UTF-8 text (byte 0x80)")
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
}

/// A copy of the embedded catalogue in `home/roles`, with `edit` applied to
/// one of its files.
pub(super) fn broken_roles(home: &Arc<Home>, file: &str, edit: impl FnOnce(String) -> String) {
    let roles = home.work().join("roles");
    copy_roles(&roles);
    let path = roles.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
}

fn validate(home: &Arc<Home>) -> Test {
    Test::in_home(home).args(["validate", "--roles", "roles"])
}

#[test]
fn every_unknown_field_of_a_catalogue_file_is_reported() {
    let home = Home::new();
    broken_roles(&home, "strategic-account-leader.yaml", |text| {
        text.replacen(
            "\nname: Strategic Account Leader\n",
            "\nname: Strategic Account Leader\nnmae: SAL\ncolour: red\n",
            1,
        )
    });
    validate(&home)
        .status(3)
        .stderr(
            "error: roles/strategic-account-leader.yaml:4:1: unknown field `nmae` (did you mean `name`?)\n\
             roles/strategic-account-leader.yaml:5:1: unknown field `colour`; expected one of `id`, `name`, `description`, `layer`, `extends`, `link`, `source`, `tools`, `bookmarks`, `tasks`, `max_tasks_per_day`\n",
        )
        .run();
}

#[test]
fn unknown_fields_are_reported_with_a_missing_one_and_roles_keep_their_tools() {
    let home = Home::new();
    broken_roles(&home, "tools.yaml", |text| {
        text.replacen(
            "  - id: clari\n",
            "  - id: zoom-rooms\n    name: Zoom Rooms\n    bogus: 1\n    other: 2\n  - id: clari\n",
            1,
        )
    });
    let run = validate(&home).status(3).any_stderr().run();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: roles/tools.yaml:157:5: ")
            && lines[0].ends_with("missing field `purpose`"),
        "{}",
        run.stderr
    );
    assert!(lines[1].starts_with("roles/tools.yaml:159:5: unknown field `bogus`;"));
    assert!(lines[2].starts_with("roles/tools.yaml:160:5: unknown field `other`;"));
}

#[test]
fn a_duplicate_id_points_at_the_duplicate_and_names_the_first() {
    let home = Home::new();
    broken_roles(&home, "tools.yaml", |text| {
        format!("{text}  - id: clari\n    name: Clari again\n    purpose: x\n    access: okta\n    provisioner: it-ops\n    link: https://clari.example.com/\n    classification: green\n")
    });
    let lines = fs::read_to_string(home.work().join("roles/tools.yaml"))
        .unwrap()
        .lines()
        .count();
    let first = fs::read_to_string(home.work().join("roles/tools.yaml"))
        .unwrap()
        .lines()
        .position(|l| l == "  - id: clari")
        .unwrap()
        + 1;
    validate(&home)
        .status(3)
        .stderr(&format!(
            "error: roles/tools.yaml:{}:9: duplicate tool id 'clari' (first on line {first})\n",
            lines - 6
        ))
        .run();
    let roles = Home::new();
    copy_roles(&roles.work().join("roles"));
    fs::copy(
        roles.work().join("roles/sales.yaml"),
        roles.work().join("roles/sales-copy.yaml"),
    )
    .unwrap();
    validate(&roles)
        .status(3)
        .stderr(
            "error: roles/sales-copy.yaml:3:5: role id 'sales' does not match its file name 'sales-copy.yaml'\n\
             roles/sales-copy.yaml:3:5: duplicate role id 'sales' (first in roles/sales.yaml)\n",
        )
        .run();
}
