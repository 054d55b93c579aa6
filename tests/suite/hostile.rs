//! Hostile inputs: a catalogue author, a user or a server that tries to
//! crash, hang or fool `onboard`. Each run must end with a clear message
//! and its exit code, never a crash.

use crate::support::{hire, Home, Test};

#[test]
fn a_template_that_includes_itself_is_a_located_error_not_a_crash() {
    let home = Home::new();
    home.file(
        "t/checklist.md.hbs",
        "Hello\n{{#*inline \"r\"}}x{{> r}}{{/inline}}{{> r}}",
    );
    let message = "t/checklist.md.hbs:2:18: partial 'r' includes itself, which would never end\n";
    Test::in_home(&home)
        .args(["validate", "--templates", "t"])
        .status(3)
        .stderr_has(message)
        .run();
    Test::in_home(&home)
        .args(["checklist", "--templates", "t"])
        .args(hire(
            "strategic-account-leader",
            "Ada Lovelace",
            "2026-12-07",
        ))
        .status(3)
        .stderr_has(message)
        .run();
}

#[test]
fn a_template_that_writes_without_end_stops_at_the_limit() {
    let home = Home::new();
    home.file(
        "t/roles-list.txt.hbs",
        &format!(
            "{}{{{{pad id 900000000}}}}{}",
            (0..6)
                .map(|depth| ["{{#each ", &"../".repeat(depth), "roles}}"].concat())
                .collect::<String>(),
            "{{/each}}".repeat(6)
        ),
    );
    Test::in_home(&home)
        .args(["roles", "list", "--templates", "t"])
        .status(3)
        .stderr_has("t/roles-list.txt.hbs:1:1: template writes more than 32 MiB")
        .run();
}
