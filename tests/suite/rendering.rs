//! The checklist's shared parts are rendered once per role and tool
//! selection; the documents must be exactly what the whole template, given
//! every hire's whole data, would write.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::{Home, Test};

/// Business days in the US, GB, DE, FR and JP alike.
const STARTS: [&str; 20] = [
    "2026-12-07",
    "2026-12-11",
    "2026-12-15",
    "2026-12-23",
    "2026-12-31",
    "2027-01-04",
    "2027-01-08",
    "2027-01-12",
    "2027-01-20",
    "2027-01-28",
    "2027-02-01",
    "2027-02-05",
    "2027-02-09",
    "2027-02-17",
    "2027-02-25",
    "2027-03-01",
    "2027-03-05",
    "2027-03-09",
    "2027-03-17",
    "2027-03-25",
];

/// Every hireable role, tools added and left out, five countries, names
/// with Markdown, HTML and mentions, buddies and usernames on some rows.
fn mixed_roster(rows: usize) -> String {
    let roles: [(&str, &[(&str, &str)]); 4] = [
        (
            "strategic-account-leader",
            &[
                ("", ""),
                ("datafox", ""),
                ("conversica;datafox", "zendesk"),
                ("", "chorus"),
            ],
        ),
        (
            "sales-development-representative",
            &[("", ""), ("salesforce-inbox", "")],
        ),
        (
            "technical-account-manager",
            &[("", ""), ("clari;versiondot", "")],
        ),
        ("commercial-account-executive", &[("", ""), ("", "clari")]),
    ];
    let names = [
        "Ada Lovelace",
        "Zoë *Star* O'Brien",
        "<b>Bold</b> Lee",
        "@all Smith",
        "Grace [Hopper](http://x)",
        "José_García #1",
        "Ngozi ~Okafor~ & Sons",
        "/close Nakamura",
    ];
    let countries = ["US", "GB", "DE", "FR", "JP", "none", ""];
    let mut roster =
        String::from("name,email,username,role,start_date,manager,buddy,with,without,country\n");
    for i in 0..rows {
        let (role, choices) = roles[i % roles.len()];
        let (with, without) = choices[(i / roles.len()) % choices.len()];
        let username = if i % 3 == 0 {
            format!("hire{i}")
        } else {
            String::new()
        };
        let buddy = if i % 2 == 1 {
            format!("buddy.{}", i % 7)
        } else {
            String::new()
        };
        roster.push_str(&format!(
            "{} {i},hire{i}@example.com,{username},{role},{},mgr.{},{buddy},{with},{without},{}\n",
            names[i % names.len()],
            STARTS[i % STARTS.len()],
            i % 13,
            countries[i % countries.len()],
        ));
    }
    roster
}

fn checklists(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .expect("out folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, fs::read(&p).expect("checklist"))
        })
        .collect()
}

#[test]
fn shared_parts_give_the_same_bytes_as_the_whole_template_with_all_the_data() {
    let home = Home::new();
    home.file("roster.csv", &mixed_roster(120));
    let structured = home.work().join("structured");
    fs::create_dir_all(&structured).expect("templates dir");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/checklist-structured.md.hbs"),
        structured.join("checklist.md.hbs"),
    )
    .expect("template");
    Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "fast"])
        .stdout_has("120 written")
        .stderr_has("regional days off are not counted")
        .run();
    Test::in_home(&home)
        .args([
            "--templates",
            "structured",
            "batch",
            "roster.csv",
            "--out",
            "whole",
        ])
        .stdout_has("120 written")
        .stderr_has("regional days off are not counted")
        .run();
    let fast = checklists(&home.work().join("fast"));
    let whole = checklists(&home.work().join("whole"));
    assert_eq!(fast.len(), 120);
    assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        whole.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fast {
        assert!(
            bytes == &whole[name],
            "{name} differs:\n--- shared parts\n{}\n--- whole template\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&whole[name])
        );
    }
    // The shared lines are escaped as the template would escape them.
    let ada = String::from_utf8_lossy(&fast["zoe-star-o-brien-1.md"]).into_owned();
    assert!(
        ada.contains("# Onboarding checklist: Zoë \\*Star\\* O'Brien 1"),
        "{ada}"
    );
    assert!(
        ada.contains(
            "- [ ] Sign in to Slack, Google Workspace and Zoom from their Okta tiles, due"
        ),
        "{ada}"
    );
    assert!(ada.contains("## Tools and how you get them"), "{ada}");
    let datafox = String::from_utf8_lossy(&fast["ada-lovelace-0.md"]).into_owned();
    assert!(datafox.contains("### Also available"), "{datafox}");
}

#[test]
fn the_shared_tools_template_cannot_see_the_hire() {
    let home = Home::new();
    home.file(
        "templates/checklist-tools.md.hbs",
        "Tools of {{@root.hire.name}}\n",
    );
    Test::in_home(&home)
        .args(["--templates", "templates", "validate"])
        .status(3)
        .stderr_has("checklist-tools.md.hbs:1:")
        .stderr_has("'@root.hire.name', which does not exist")
        .run();
}

#[test]
fn a_templates_folder_may_replace_the_shared_tools_part_alone() {
    let home = Home::new();
    home.file(
        "templates/checklist-tools.md.hbs",
        "## Your tools\n{{#each tools}}* {{name}}\n{{/each}}",
    );
    home.file("roster.csv", &mixed_roster(8));
    Test::in_home(&home)
        .args([
            "--templates",
            "templates",
            "batch",
            "roster.csv",
            "--out",
            "out",
        ])
        .stdout_has("8 written")
        .stderr_has("regional days off are not counted")
        .run();
    for (name, bytes) in checklists(&home.work().join("out")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("## Your tools\n* Okta\n"), "{name}: {text}");
        assert!(
            !text.contains("## Tools and how you get them"),
            "{name}: {text}"
        );
    }
}
