//! Dates that land on business days of the hire's own country: for a start on
//! every weekday of December 2026 and for five countries, no due date,
//! check-in reminder or deadline falls on a weekend or a public holiday,
//! judged against the holiday files themselves.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

use crate::support::{Test, SAL};

const COUNTRIES: &[&str] = &["US", "GB", "DE", "FR", "JP"];

/// The public holidays in `roles/holidays/<code>.yaml`, read independently of
/// the program.
fn holidays_of(code: &str) -> BTreeMap<NaiveDate, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("roles/holidays/{code}.yaml"));
    let file: Value = serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    file["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["date"].as_str().unwrap().parse().unwrap(),
                h["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn weekdays_of_december_2026() -> Vec<NaiveDate> {
    (1..=31)
        .filter_map(|d| NaiveDate::from_ymd_opt(2026, 12, d))
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// Every date a checklist names: each task's, the reminder and the deadline.
fn dates_of(checklist: &Value) -> Vec<(String, NaiveDate)> {
    let date = |v: &Value| v.as_str().unwrap().parse::<NaiveDate>().unwrap();
    let mut dates = vec![
        (
            "check-in reminder".to_string(),
            date(&checklist["reminder"]),
        ),
        ("checklist due".to_string(), date(&checklist["due"])),
    ];
    for phase in checklist["phases"].as_array().unwrap() {
        for owner in phase["owners"].as_array().unwrap() {
            for task in owner["tasks"].as_array().unwrap() {
                dates.push((
                    task["title"].as_str().unwrap().to_string(),
                    date(&task["date"]),
                ));
            }
        }
    }
    dates
}

fn checklist(start: NaiveDate, country: &str) -> Test {
    // Every start of the month is ahead, so none is warned about; a whole
    // country with regions is (its regions' own days are not counted).
    Test::new()
        .any_stderr()
        .env("ONBOARD_TODAY", "2026-11-30")
        .args([
            "checklist",
            "--role",
            "strategic-account-leader",
            "--name",
            "Ada Lovelace",
        ])
        .args([
            "--start",
            &start.to_string(),
            "--country",
            country,
            "--format",
            "json",
        ])
}

#[test]
fn no_date_falls_on_a_weekend_or_a_public_holiday_of_the_hires_country() {
    std::thread::scope(|scope| {
        for country in COUNTRIES {
            scope.spawn(move || {
                let holidays = holidays_of(country);
                for start in weekdays_of_december_2026() {
                    if let Some(name) = holidays.get(&start) {
                        checklist(start, country)
                            .status(2)
                            .stderr_has(&format!("start date {start} is a holiday ({name})"))
                            .run();
                        continue;
                    }
                    let out = checklist(start, country).any_stdout().run();
                    let json: Value = serde_json::from_str(&out.stdout).unwrap();
                    assert_eq!(json["country"]["code"], *country);
                    for (what, date) in dates_of(&json) {
                        assert!(
                            !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                            "{country}, start {start}: {what} on a {}",
                            date.weekday()
                        );
                        assert!(
                            !holidays.contains_key(&date),
                            "{country}, start {start}: {what} on {date}, {}",
                            holidays[&date]
                        );
                    }
                }
            });
        }
    });
}

#[test]
fn the_readmes_example_skips_christmas_and_new_year_and_says_whose_holidays() {
    let out = Test::new().args(["checklist"]).args(SAL).any_stdout().run();
    for holiday in ["2026-12-25", "2027-01-01"] {
        assert!(
            !out.stdout.contains(&format!("due Fri {holiday}")),
            "nothing is due on {holiday}"
        );
    }
    assert!(out.stdout.contains(
        "Dates skip weekends, the public holidays of the hire's country (United States, US) and the company's own days off."
    ));
    assert!(out.stdout.contains("## Week 3: Thu 2026-12-24\n"));
    assert!(out.stdout.contains(
        "## Day 15: Mon 2026-12-28\n\n_Days off skipped: Fri 2026-12-25 (Christmas Day)._\n"
    ));
    assert!(out
        .stdout
        .contains("## Week 4: Thu 2026-12-31\n\n### New hire\n"));
}

#[test]
fn a_hire_of_a_country_without_holidays_can_say_none_and_an_unknown_one_is_refused() {
    let none = Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--country", "none"])
        .any_stdout()
        .run();
    assert!(none
        .stdout
        .contains("Dates skip weekends and the company's own days off."));
    assert!(
        none.stdout.contains("due Fri 2026-12-25"),
        "Christmas is a working day here"
    );
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--country", "XX"])
        .status(3)
        .stderr_has("error: country: no public holidays are known for 'XX'; the countries known are AE, AT, AU,")
        .run();
    Test::new()
        .args(["checklist"])
        .args(SAL)
        .args(["--country", "Germany"])
        .status(2)
        .stderr("error: country: 'Germany' is not a two-letter country code such as US, GB or DE or a region's code such as GB-ENG (or 'none' for no public holidays)\n")
        .run();
}

/// A home with `roster.csv`: SALs starting 2026-12-21, by name and country.
fn sal_roster(rows: &[(&str, &str)]) -> std::sync::Arc<crate::support::Home> {
    let home = crate::support::Home::new();
    let mut roster = String::from("name,email,username,role,start_date,manager,buddy,country\n");
    for (name, country) in rows {
        let first = name.split(' ').next().unwrap_or_default().to_lowercase();
        roster.push_str(&format!(
            "{name},{first}@example.com,,strategic-account-leader,2026-12-21,mgr.jones,,{country}\n"
        ));
    }
    home.file("roster.csv", &roster);
    home
}

#[test]
fn each_roster_row_gets_its_own_countrys_holidays_and_the_config_gives_the_default() {
    let home = sal_roster(&[
        ("Ada Lovelace", "GB"),
        ("Emmy Noether", "de"),
        ("Marie Curie", ""),
    ]);
    let config = home.file("config.yaml", "country: FR\n");
    Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "out"])
        .env("ONBOARD_CONFIG", config.to_str().unwrap())
        .stdout_has("Checklists  3 written, 0 unchanged, in out\n")
        .stderr_has("warning: roster.csv:2: regional days off are not counted for United Kingdom")
        .run();
    let read = |name: &str| fs::read_to_string(home.work().join("out").join(name)).unwrap();
    // Boxing Day is observed on Monday 28th in the United Kingdom, not in
    // Germany, so day 5 of the same start differs.
    let ada = read("ada-lovelace.md");
    assert!(ada.contains("(United Kingdom, GB)"), "{ada}");
    assert!(ada.contains("## Day 5: Tue 2026-12-29\n\n_Days off skipped: Fri 2026-12-25 (Christmas Day), Mon 2026-12-28 (Boxing Day (observed))._"));
    let emmy = read("emmy-noether.md");
    assert!(emmy.contains("(Germany, DE)"));
    assert!(
        emmy.contains(
            "## Day 5: Mon 2026-12-28\n\n_Days off skipped: Fri 2026-12-25 (Christmas Day)._"
        ),
        "{emmy}"
    );
    let marie = read("marie-curie.md");
    assert!(
        marie.contains("(France, FR)"),
        "the config's country: {marie}"
    );
}

#[test]
fn a_bad_country_in_a_roster_row_is_reported_at_its_line() {
    let home = crate::support::Home::new();
    home.file(
        "roster.csv",
        "name,email,username,role,start_date,manager,buddy,country\n\
         Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-21,mgr.jones,,GB\n\
         Emmy Noether,emmy@example.com,,strategic-account-leader,2026-12-21,mgr.jones,,Deutschland\n",
    );
    Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "out"])
        .status(3)
        .stderr_has("roster.csv:3: country: 'Deutschland' is not a two-letter country code")
        .run();
    assert!(!home.work().join("out").exists(), "nothing is written");
}

#[test]
fn a_roles_folder_can_bring_its_own_countries_and_validate_checks_every_file() {
    let home = crate::support::Home::new();
    let roles = home.work().join("roles");
    crate::support::copy_roles(&roles);
    fs::write(
        roles.join("holidays/XK.yaml"),
        "country: Kosovo\nyears: [2026, 2027]\nholidays:\n  - date: 2026-12-25\n    name: Christmas Day\n",
    )
    .unwrap();
    let roles_arg = roles.to_str().unwrap();
    let out = Test::in_home(&home)
        .args(["checklist"])
        .args(SAL)
        .args(["--country", "xk", "--roles", roles_arg])
        .any_stdout()
        .run();
    assert!(out.stdout.contains("(Kosovo, XK)"));
    for (text, problem) in [
        (
            "holidays:\n  - date: 2026-12-25\n    name: Christmas Day\n  - 2026-13-01\n",
            "holidays/GB.yaml:4:5: holidays[1]: '2026-13-01' is not a real date in the form YYYY-MM-DD\n",
        ),
        (
            "holidays:\n  - 2026-12-25\n  - 42\n",
            "holidays/GB.yaml:3:5: holidays[1]: invalid type: integer `42`, expected a date (YYYY-MM-DD), or a mapping with `date: YYYY-MM-DD` and an optional `name`\n",
        ),
    ] {
        fs::write(roles.join("holidays/GB.yaml"), text).unwrap();
        Test::in_home(&home)
            .args(["validate", "--roles", roles_arg])
            .status(3)
            .stderr_has(problem)
            .run();
    }
}

#[test]
fn a_gb_eng_start_on_easter_monday_2027_is_refused_where_plain_gb_takes_it_with_one_warning() {
    let start = crate::support::hire("strategic-account-leader", "Ada Lovelace", "2027-03-29");
    Test::new()
        .args(["checklist"])
        .args(&start)
        .args(["--country", "gb-eng"])
        .status(2)
        .stderr_has("start date 2027-03-29 is a holiday (Easter Monday); choose a business day (the next one is 2027-03-30)")
        .run();
    let plain = Test::new()
        .args(["checklist"])
        .args(&start)
        .args(["--country", "GB"])
        .any_stdout()
        .stderr_has("warning: regional days off are not counted for United Kingdom (only the days all of it shares); give a region's code to count them: GB-ENG, GB-NIR, GB-SCT, GB-WLS\n")
        .run();
    assert!(
        plain.stdout.contains("(United Kingdom, GB)"),
        "{}",
        plain.stdout
    );
    let scotland = Test::new()
        .args(["checklist"])
        .args(crate::support::hire(
            "strategic-account-leader",
            "Ada Lovelace",
            "2027-03-29",
        ))
        .args(["--country", "GB-SCT"])
        .any_stdout()
        .stderr("")
        .run();
    assert!(
        scotland
            .stdout
            .contains("(Scotland (United Kingdom), GB-SCT)"),
        "Easter Monday is a working day in Scotland: {}",
        scotland.stdout
    );
    Test::new()
        .args(["checklist"])
        .args(&start)
        .args(["--country", "GB-XYZ"])
        .status(3)
        .stderr_has("no public holidays are known for 'GB-XYZ'; the regions of GB with days off of their own are GB-ENG, GB-NIR, GB-SCT, GB-WLS")
        .run();
}

#[test]
fn a_roster_takes_region_codes_and_warns_once_about_a_whole_country() {
    let home = sal_roster(&[
        ("Ada Lovelace", "GB"),
        ("Mary Somerville", "GB"),
        ("Emmy Noether", "DE-BY"),
    ]);
    let run = Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "out"])
        .stdout_has("Checklists  3 written, 0 unchanged, in out\n")
        .stderr_has("warning: roster.csv:2: regional days off are not counted for United Kingdom")
        .run();
    assert_eq!(
        run.stderr.matches("regional days off").count(),
        1,
        "{}",
        run.stderr
    );
    let emmy = fs::read_to_string(home.work().join("out/emmy-noether.md")).unwrap();
    assert!(emmy.contains("(Bayern (Germany), DE-BY)"), "{emmy}");
}
