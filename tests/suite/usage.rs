//! The README's usage block and `--help` agree: every flag the README shows
//! for a command is one its `--help` lists, and every flag `--help` lists is
//! in the README (the global `--roles`, `--templates` and `--holidays` are
//! named once, under the block).

use std::collections::{BTreeMap, BTreeSet};

use crate::support::Test;

/// Flags every command has, named under the block rather than on each line.
const GLOBAL: &[&str] = &[
    "--help",
    "--version",
    "--roles",
    "--templates",
    "--holidays",
];

/// The `--flags` in a piece of text, with `-o` read as `--output`.
fn flags(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter_map(|word| match word {
            "-o" => Some("--output".to_string()),
            w if w.starts_with("--") && w.len() > 2 => Some(w.to_string()),
            _ => None,
        })
        .collect()
}

/// Each command of the README's usage block with the flags it shows;
/// `<same hire flags>` stands for the checklist's hire flags.
fn readme_usage() -> BTreeMap<String, BTreeSet<String>> {
    let readme = include_str!("../../README.md");
    let block = readme
        .split_once("## Usage\n\n```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("README has a usage block");
    let mut commands: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in block.lines() {
        let line = line.split(" #").next().unwrap_or_default();
        if let Some(rest) = line.strip_prefix("onboard ") {
            let mut words = rest.split_whitespace();
            let first = words.next().unwrap_or_default();
            let name = match first {
                "roles" | "access" => format!("{first} {}", words.next().unwrap_or_default()),
                _ => first.to_string(),
            };
            current = Some(name);
        }
        if let Some(name) = &current {
            commands
                .entry(name.clone())
                .or_default()
                .extend(flags(line));
        }
    }
    let hire_flags: BTreeSet<String> = [
        "--role",
        "--name",
        "--start",
        "--email",
        "--username",
        "--manager",
        "--buddy",
        "--with",
        "--without",
        "--country",
        "--allow-far-start",
    ]
    .map(String::from)
    .into();
    for name in ["access plan", "access file"] {
        commands
            .entry(name.into())
            .or_default()
            .extend(hire_flags.clone());
    }
    commands
}

#[test]
fn the_readme_usage_block_shows_every_flag_of_every_command() {
    let commands = readme_usage();
    assert!(commands.len() >= 11, "{commands:?}");
    for (name, shown) in commands {
        let help = Test::new()
            .args(name.split(' '))
            .args(["--help"])
            .any_stdout()
            .run()
            .stdout;
        let listed: BTreeSet<String> = help
            .lines()
            .filter(|l| l.trim_start().starts_with('-'))
            .flat_map(|l| {
                flags(
                    l.split("  ")
                        .find(|p| !p.trim().is_empty())
                        .unwrap_or_default(),
                )
            })
            .filter(|f| !GLOBAL.contains(&f.as_str()))
            .collect();
        let shown: BTreeSet<String> = shown
            .into_iter()
            .filter(|f| !GLOBAL.contains(&f.as_str()))
            .collect();
        assert_eq!(
            shown, listed,
            "`onboard {name}`: the README's usage block (left) and --help (right) differ"
        );
    }
}
