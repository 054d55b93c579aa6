//! The seams of the command line: `--json` on every command that prints
//! data, `tools list|show`, text that fits 80 columns, completion of ids,
//! the manual page, and the README's usage agreeing with `--help`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use crate::support::{copy_roles, Home, Test, ALL_ROLES, SAL};

/// Every line of `text` that is wider than 80 characters, except a line
/// that is nothing but one link (a link cannot be wrapped and still work).
fn too_wide(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| line.chars().count() > 80)
        .filter(|line| {
            let word = line.trim();
            !word.starts_with("https://") || word.contains(' ')
        })
        .collect()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = Test::new().args(args).any_stdout().run().stdout;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

#[test]
fn tools_list_names_every_tool_how_it_is_reached_and_which_roles_get_it() {
    let out = Test::new()
        .args(["tools", "list"])
        .stdout_has("TOOL                     NAME                     HOW IT IS REACHED\n")
        .stdout_has("\nokta                     Okta                     Okta tile from day 1*\n    every role\n")
        .stdout_has("\nconversica               Conversica               Access Request, provisioned by\n")
        .stdout_has("                                                  Marketing Operations*\n    sales-development-representative; optional: strategic-account-leader\n")
        .stdout_has("\nversiondot               VersionDot               Access Request, provisioned by\n                                                  Fulfillment*\n    optional: strategic-account-leader, technical-account-manager\n")
        .stdout_has("\n* not stated on the source page: an assumption to confirm")
        .run()
        .stdout;
    assert_eq!(too_wide(&out), Vec::<&str>::new(), "{out}");
    let tools = json(&["tools", "list", "--json"]);
    let tools = tools.as_array().unwrap();
    assert_eq!(tools.len(), 25, "every tool of the catalogue");
    let conversica = tools.iter().find(|t| t["id"] == "conversica").unwrap();
    assert_eq!(conversica["access"], "access-request");
    assert_eq!(
        conversica["optional_roles"],
        serde_json::json!(["strategic-account-leader"])
    );
    assert_eq!(
        conversica["default_roles"],
        serde_json::json!(["sales-development-representative"])
    );
    let okta = tools.iter().find(|t| t["id"] == "okta").unwrap();
    assert_eq!(okta["default_roles"].as_array().unwrap().len(), 4);
}

#[test]
fn tools_show_gives_every_fact_marks_assumptions_and_names_the_roles() {
    let out = Test::new()
        .args(["tools", "show", "linkedin-sales-navigator"])
        .stdout_has("LinkedIn Sales Navigator (linkedin-sales-navigator)\n")
        .stdout_has("\nReached        granted during onboarding week*\n")
        .stdout_has("\nProvisioned by Sales Systems [SalesSystems::to do]*\n")
        .stdout_has("\nClassification yellow*\n")
        .stdout_has("\nBaseline       no\n")
        .stdout_has("\n  About LinkedIn Sales Navigator\n    https://www.linkedin.com/business/sales/blog/sales-navigator/what-is-linkedin-sales-navigator\n")
        .stdout_has("\n  Training\n    https://gitlab.edcast.com/insights/learning-linkedin-sales\n")
        .stdout_has("\n  strategic-account-leader         Sales Navigator seat*\n")
        .stdout_has("\n* not stated on the source page: an assumption to confirm")
        .run()
        .stdout;
    assert_eq!(too_wide(&out), Vec::<&str>::new(), "{out}");
    // What the page does state is not marked; an optional role says so.
    Test::new()
        .args(["tools", "show", "zendesk"])
        .stdout_has("\nReached        granted during onboarding week; if it is missing, ask your\n               manager\n")
        .stdout_has("\n  About Zendesk\n")
        .run();
    Test::new()
        .args(["tools", "show", "versiondot"])
        .stdout_has("  strategic-account-leader         Read-only* (optional)\n")
        .run();
    let tool = json(&["tools", "show", "customersdot-admin", "--json"]);
    assert_eq!(tool["id"], "customersdot-admin");
    assert_eq!(tool["access"], "access-request");
    let kinds: Vec<&str> = tool["links_shown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["link", "video"]);
    assert!(tool["assumed"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("provisioner")));
    assert_eq!(tool["roles"][0]["role"], "strategic-account-leader");
}

#[test]
fn an_unknown_tool_exits_3_with_the_nearest_id() {
    Test::new()
        .args(["tools", "show", "zendsk"])
        .status(3)
        .stderr("error: unknown tool 'zendsk' (did you mean 'zendesk'?); run `onboard tools list` to see the tools\n")
        .run();
    Test::new()
        .args(["tools", "show", "zendsk", "--json"])
        .status(3)
        .any_stderr()
        .run();
}

#[test]
fn roles_show_fits_80_columns() {
    let sal = Test::new()
        .args(["roles", "show", "strategic-account-leader"])
        .any_stdout()
        .run()
        .stdout;
    let wide: Vec<&str> = sal.lines().filter(|l| l.chars().count() > 80).collect();
    assert_eq!(wide, Vec::<&str>::new(), "{sal}");
    // A long cell wraps within its column; a link too long for its column
    // is cut short, and the legend says where to find it whole.
    assert!(sal.contains(
        "\n  Zendesk                granted during onboarding      Light agent*\n                         week; if it is missing, ask\n"
    ), "{sal}");
    assert!(
        sal.contains(
            "\n  The SAL playbook                 https://docs.google.com/presentation/d/1S-8J…\n"
        ),
        "{sal}"
    );
    assert!(sal.contains("A link cut short with … is whole in --json."));
    for role in ALL_ROLES {
        let out = Test::new()
            .args(["roles", "show", role])
            .any_stdout()
            .run()
            .stdout;
        let wide: Vec<&str> = out.lines().filter(|l| l.chars().count() > 80).collect();
        assert_eq!(wide, Vec::<&str>::new(), "{role}");
    }
    let list = Test::new()
        .args(["roles", "list"])
        .any_stdout()
        .run()
        .stdout;
    assert_eq!(too_wide(&list), Vec::<&str>::new(), "{list}");
}

#[test]
fn every_command_that_prints_data_prints_json_with_json() {
    let with_sal = |command: &[&'static str]| [command, SAL].concat();
    for args in [
        vec!["roles", "list", "--json"],
        vec!["roles", "show", "strategic-account-leader", "--json"],
        vec!["tools", "list", "--json"],
        vec!["tools", "show", "salesforce", "--json"],
        with_sal(&["checklist", "--json"]),
        with_sal(&["access", "plan", "--json"]),
        with_sal(&["access", "file", "--dry-run", "--json"]),
        with_sal(&["checklist", "--file", "--dry-run", "--json"]),
    ] {
        let value = json(&args);
        assert!(
            value.is_object() || value.is_array(),
            "{args:?} printed {value}"
        );
    }
    let checklist = json(&with_sal(&["checklist", "--json"]));
    assert_eq!(checklist["hire"]["name"], "Ada Lovelace");
    assert!(checklist["phases"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
    // Nothing to file is still JSON: `null`.
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    std::fs::write(
        roles.join("office-manager.yaml"),
        "id: office-manager\nname: Office Manager\ndescription: Runs the office.\nextends: all-team-members\n",
    )
    .unwrap();
    for command in [
        &["access", "plan", "--json"][..],
        &["access", "file", "--dry-run", "--json"],
    ] {
        Test::in_home(&home)
            .args(command)
            .args([
                "--roles",
                "roles",
                "--role",
                "office-manager",
                "--name",
                "Ada Lovelace",
            ])
            .args([
                "--start",
                "2026-12-07",
                "--email",
                "ada@example.com",
                "--manager",
                "mgr.jones",
            ])
            .stdout("null\n")
            .run();
    }
    let preview = json(&with_sal(&["access", "file", "--dry-run", "--json"]));
    assert_eq!(preview["create"]["method"], "POST");
    assert_eq!(preview["looked_up"], false);
}

#[test]
fn the_old_checklist_format_flag_still_works_but_not_with_json() {
    let sal: Vec<&str> = SAL.to_vec();
    let json = Test::new()
        .args(["checklist", "--json"])
        .args(&sal)
        .any_stdout()
        .run()
        .stdout;
    Test::new()
        .args(["checklist", "--format", "json"])
        .args(&sal)
        .stdout(&json)
        .run();
    let markdown = Test::new()
        .args(["checklist"])
        .args(&sal)
        .any_stdout()
        .run()
        .stdout;
    assert!(markdown.starts_with("# Onboarding checklist: Ada Lovelace"));
    Test::new()
        .args(["checklist", "--format", "markdown"])
        .args(&sal)
        .stdout(&markdown)
        .run();
    Test::new()
        .args(["checklist", "--json", "--format", "markdown"])
        .args(&sal)
        .status(2)
        .stderr_has("error: the argument '--json' cannot be used with '--format <FORMAT>'")
        .run();
}

#[test]
fn batch_prints_its_summary_as_json_the_same_as_summary_json() {
    let home = Home::new();
    home.file(
        "roster.csv",
        "name,email,username,role,start_date,manager,buddy\nAda Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n",
    );
    let out = Test::in_home(&home)
        .args(["batch", "roster.csv", "--out", "out", "--json"])
        .any_stdout()
        .run()
        .stdout;
    let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed["hires"], 1);
    assert_eq!(printed["entries"][0]["name"], "Ada Lovelace");
    let written = std::fs::read_to_string(home.work().join("out/summary.json")).unwrap();
    assert_eq!(out, written);
}

/// What `onboard` offers a shell for the last of `words` (the command line
/// so far, the word being typed last), asked the way the registration
/// script `onboard completions bash` asks: `COMPLETE=bash onboard -- WORDS`.
fn offered(home: &std::sync::Arc<Home>, words: &[&str]) -> Vec<String> {
    let index = (words.len() - 1).to_string();
    Test::in_home(home)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", &index)
        .args(["--"])
        .args(words)
        .any_stdout()
        .run()
        .stdout
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn role_and_tool_ids_complete_from_the_catalogue() {
    let home = Home::new();
    let hireable = [
        "commercial-account-executive",
        "sales-development-representative",
        "strategic-account-leader",
        "technical-account-manager",
    ];
    assert_eq!(
        offered(&home, &["onboard", "checklist", "--role", ""]),
        hireable
    );
    assert_eq!(
        offered(&home, &["onboard", "access", "plan", "--role", "str"]),
        ["strategic-account-leader"]
    );
    assert_eq!(
        offered(&home, &["onboard", "status", "--role", "te"]),
        ["technical-account-manager"]
    );
    // Each of a comma-separated list, and both --with and --without.
    assert_eq!(
        offered(&home, &["onboard", "checklist", "--with", "okta,sl"]),
        ["okta,slack"]
    );
    assert_eq!(
        offered(&home, &["onboard", "checklist", "--without", "salesforce-"]),
        ["salesforce-inbox"]
    );
    assert_eq!(
        offered(&home, &["onboard", "tools", "show", "sal"]),
        ["salesforce", "salesforce-inbox"]
    );
    // `roles show` takes layers too.
    let mut all = offered(&home, &["onboard", "roles", "show", ""]);
    all.retain(|word| !word.starts_with('-'));
    assert_eq!(all.len(), 10, "{all:?}");
    assert!(all.contains(&"sales".to_string()));
    // Flags and subcommands complete as well.
    assert!(offered(&home, &["onboard", "checklist", "--gi"]).contains(&"--gitlab-url".to_string()));
    assert!(offered(&home, &["onboard", "t"]).contains(&"tools".to_string()));
}

#[test]
fn ids_complete_from_the_roles_folder_the_command_line_names() {
    let home = Home::new();
    let roles = home.work().join("roles");
    copy_roles(&roles);
    std::fs::remove_file(roles.join("technical-account-manager.yaml")).unwrap();
    let words = ["onboard", "checklist", "--roles", "roles", "--role", "te"];
    assert_eq!(offered(&home, &words), Vec::<String>::new());
    assert_eq!(
        offered(
            &home,
            &["onboard", "--roles=roles", "checklist", "--role", ""]
        )
        .len(),
        3
    );
    // A catalogue that cannot be read offers nothing, and says nothing.
    assert_eq!(
        offered(
            &home,
            &["onboard", "checklist", "--roles", "nowhere", "--role", ""]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn completions_prints_the_registration_script_for_each_shell() {
    Test::new()
        .args(["completions", "bash"])
        .stdout_has("_clap_complete_onboard()")
        .stdout_has("COMPLETE=\"bash\"")
        .stdout_has("-F _clap_complete_onboard onboard\n")
        .run();
    Test::new()
        .args(["completions", "zsh"])
        .stdout_has("#compdef onboard\n")
        .run();
    for (shell, asks) in [
        ("fish", "COMPLETE=fish onboard"),
        ("elvish", "COMPLETE=\"elvish\""),
        ("powershell", "$env:COMPLETE = \"powershell\""),
    ] {
        Test::new()
            .args(["completions", shell])
            .stdout_has(asks)
            .run();
    }
}

/// The whole loop in a real bash: source the script `completions bash`
/// prints, press tab after `--role s`, read what bash would offer.
#[test]
fn bash_completes_role_ids_through_the_registration_script() {
    if !Path::new("/bin/bash").exists() && !Path::new("/usr/bin/bash").exists() {
        eprintln!("no bash here; skipped");
        return;
    }
    let home = Home::new();
    let bin = Path::new(env!("CARGO_BIN_EXE_onboard")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = r#"
        source <(onboard completions bash)
        COMP_WORDS=(onboard checklist --role s)
        COMP_CWORD=3
        COMP_TYPE=9
        _clap_complete_onboard onboard s --role
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["-c", script])
        .current_dir(home.work())
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .expect("run bash");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "sales-development-representative\nstrategic-account-leader\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `onboard ARGS --help`.
fn help(path: &[String]) -> String {
    Test::new()
        .args(path)
        .args(["--help"])
        .any_stdout()
        .run()
        .stdout
}

/// The lines of a `--help` section (`Commands:`, `Options:`), up to the blank line.
fn help_section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .collect()
}

/// Every command that runs something, as `--help` lists them: `["roles",
/// "list"]`, `["validate"]`, and so on.
fn commands() -> Vec<Vec<String>> {
    fn under(path: &[String]) -> Vec<Vec<String>> {
        let text = help(path);
        let mut found = Vec::new();
        for line in help_section(&text, "Commands:") {
            let name = line.split_whitespace().next().unwrap().to_string();
            if name == "help" {
                continue;
            }
            let mut sub = path.to_vec();
            sub.push(name);
            let nested = under(&sub);
            if nested.is_empty() {
                found.push(sub);
            } else {
                found.extend(nested);
            }
        }
        found
    }
    under(&[])
}

/// Removes roff's escapes and font changes, for reading a page as text.
fn unroff(page: &str) -> String {
    page.replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\fP", "")
        .replace("\\-", "-")
        .replace("\\(aq", "'")
        .replace("\\&", "")
}

#[test]
fn the_manual_is_one_page_with_every_command_exit_code_variable_and_file() {
    let page = Test::new()
        .args(["man"])
        .stdout_has(".TH ONBOARD 1")
        .run()
        .stdout;
    let commands = commands();
    assert!(commands.len() >= 13, "{commands:?}");
    for command in &commands {
        let heading = format!(".SS \"onboard {}\"\n", command.join(" "));
        assert!(page.contains(&heading), "no {heading:?} in the page");
    }
    let text = unroff(&page);
    // Each command's options are on the page, as --help gives them.
    let checklist = &text[text.find(".SS \"onboard checklist\"").unwrap()..];
    let checklist = &checklist[..checklist.find(".SS \"onboard wizard\"").unwrap()];
    for flag in [
        "--role",
        "--with",
        "--json",
        "--output",
        "--file",
        "--dry-run",
        "--gitlab-url",
    ] {
        assert!(
            checklist.contains(flag),
            "checklist's {flag} is not on the page"
        );
    }
    for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH FILES"] {
        assert!(page.contains(section), "no {section}");
    }
    let exit = &text[text.find("EXIT STATUS").unwrap()..text.find(".SH ENVIRONMENT").unwrap()];
    for (code, meaning) in readme_exit_codes() {
        assert!(
            exit.contains(&format!(".TP\n{code}\n{}\n", meaning.replace('`', ""))),
            "exit code {code} ({meaning}) is not on the page as the README says:\n{exit}"
        );
    }
    let environment = &text[text.find(".SH ENVIRONMENT").unwrap()..text.find(".SH FILES").unwrap()];
    for variable in [
        "GITLAB_TOKEN",
        "GITLAB_HOST",
        "ONBOARD_CONFIG",
        "NO_COLOR",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "HTTPS_PROXY",
        "COMPLETE",
    ] {
        assert!(
            environment.contains(&format!(".TP\n{variable}")),
            "{variable}"
        );
    }
    let files = &text[text.find(".SH FILES").unwrap()..];
    for file in ["config.yaml", "journal.json", "roles/", "templates/"] {
        assert!(files.contains(file), "{file}");
    }
    assert!(
        !page.contains("onboard-roles(1)"),
        "no pointers to pages that do not exist"
    );
}

/// The README.
fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The rows of the README's exit-code table: code and meaning.
fn readme_exit_codes() -> Vec<(String, String)> {
    let readme = readme();
    let table = &readme[readme.find("### Exit codes").expect("an exit-code table")..];
    let rows: Vec<(String, String)> = table
        .lines()
        .skip_while(|line| !line.starts_with("|---"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').splitn(2, '|').collect();
            (cells[0].trim().to_string(), cells[1].trim().to_string())
        })
        .collect();
    assert!(rows.len() >= 8, "{rows:?}");
    rows
}

/// A command line as the README or `--help` writes it, cut into flags
/// (`--json`, `-o`), values (`FILE`, `<FILE>`) and words.
fn words(text: &str) -> Vec<String> {
    regex::Regex::new(
        r"-{1,2}[A-Za-z][A-Za-z0-9-]*|<[A-Za-z][A-Za-z0-9_.-]*>|\[[A-Z][A-Z0-9_-]*\]|[A-Za-z][A-Za-z0-9_.-]*",
    )
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

fn is_flag(word: &str) -> bool {
    word.starts_with('-')
}

fn is_value(word: &str) -> bool {
    let word = word.trim_matches(|c| "<>[]".contains(c));
    word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "_-".contains(c))
}

/// What a command takes: each flag (by its long name) with its value's
/// name, and the positional arguments.
#[derive(Debug, Default, PartialEq, Eq)]
struct Takes {
    flags: BTreeMap<String, Option<String>>,
    positionals: BTreeSet<String>,
}

/// What `onboard PATH --help` says the command takes, leaving out
/// `--help`, `--version` and the flags in `global`.
fn help_takes(path: &[String], global: &BTreeSet<String>) -> (Takes, HashMap<String, String>) {
    let text = help(path);
    let mut takes = Takes::default();
    let mut shorts = HashMap::new();
    let option = regex::Regex::new(r"^\s+(?:-(\w), )?--([\w-]+)(?: <([^>]+)>)?").unwrap();
    for line in help_section(&text, "Options:") {
        let found = option.captures(line).unwrap_or_else(|| panic!("{line}"));
        let long = format!("--{}", &found[2]);
        if long == "--help" || long == "--version" || global.contains(&long) {
            continue;
        }
        if let Some(short) = found.get(1) {
            shorts.insert(format!("-{}", short.as_str()), long.clone());
        }
        takes
            .flags
            .insert(long, found.get(3).map(|v| v.as_str().to_string()));
    }
    let usage = text.lines().find(|l| l.starts_with("Usage: ")).unwrap();
    let usage = words(usage);
    for (i, word) in usage.iter().enumerate() {
        let bare = word.trim_matches(|c| "<>[]".contains(c));
        if is_value(word) && bare != "OPTIONS" && bare != "COMMAND" && !is_flag(&usage[i - 1]) {
            takes.positionals.insert(bare.to_string());
        }
    }
    (takes, shorts)
}

/// The README's usage block, one entry per command line; continuation
/// lines are indented, and a `#` starts a comment.
fn readme_usage_entries(readme: &str) -> Vec<String> {
    let usage = &readme[readme.find("## Usage\n").expect("a Usage section")..];
    let block = &usage[usage.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let mut entries: Vec<String> = Vec::new();
    for line in block.lines() {
        let line = line.split(" #").next().unwrap().trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') {
            let last = entries
                .last_mut()
                .expect("a continuation continues something");
            last.push(' ');
            last.push_str(line.trim());
        } else {
            entries.push(line.to_string());
        }
    }
    entries
}

/// What the README's usage of `onboard PATH` says it takes: its words,
/// global flags left out and short flags spelled long.
fn readme_takes(
    path: &[String],
    words: &[String],
    global_flags: &BTreeSet<String>,
    shorts: &HashMap<String, String>,
) -> Takes {
    let mut readme = Takes::default();
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1).filter(|w| is_value(w));
        if is_flag(word) {
            if global_flags.contains(word) {
                continue;
            }
            let long = shorts.get(word).cloned().unwrap_or_else(|| word.clone());
            let value = next.cloned();
            let before = readme.flags.insert(long.clone(), value.clone());
            assert!(
                before.is_none() || before == Some(value.clone()),
                "`onboard {}`: the README gives {long} two values",
                path.join(" ")
            );
        } else if is_value(word) && !(i > 0 && is_flag(&words[i - 1])) {
            readme.positionals.insert(word.clone());
        }
    }
    readme
}

#[test]
fn the_readme_usage_block_agrees_with_help_flag_for_flag() {
    let entries = readme_usage_entries(&readme());
    let mut macros: HashMap<String, Vec<String>> = HashMap::new();
    let mut readme_lines: Vec<Vec<String>> = Vec::new();
    for entry in &entries {
        match entry.split_once(" = ") {
            Some((name, body)) => {
                macros.insert(name.trim().to_string(), words(body));
            }
            None => readme_lines.push(words(entry)),
        }
    }
    let global_flags: BTreeSet<String> = macros["GLOBAL"]
        .iter()
        .filter(|w| is_flag(w))
        .cloned()
        .collect();
    let (top, _) = help_takes(&[], &BTreeSet::new());
    assert_eq!(
        top.flags.keys().cloned().collect::<BTreeSet<_>>(),
        global_flags,
        "GLOBAL lists the options of every command"
    );
    let commands = commands();
    let mut documented: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for line in readme_lines {
        assert_eq!(line[0], "onboard", "{line:?}");
        let mut path: Vec<String> = Vec::new();
        let mut rest = line[1..].iter().peekable();
        while let Some(word) = rest.peek() {
            let mut longer = path.clone();
            longer.push((*word).clone());
            if commands.iter().any(|c| c.starts_with(&longer)) {
                path = longer;
                rest.next();
            } else {
                break;
            }
        }
        assert!(
            commands.contains(&path),
            "the README's `onboard {}` is not a command",
            path.join(" ")
        );
        let words = documented.entry(path).or_default();
        for word in rest {
            match macros.get(word.as_str()) {
                Some(expansion) => words.extend(expansion.iter().cloned()),
                None => words.push(word.clone()),
            }
        }
    }
    let listed: Vec<&Vec<String>> = documented.keys().collect();
    for command in &commands {
        assert!(
            listed.contains(&command),
            "the README's usage lacks `onboard {}`",
            command.join(" ")
        );
    }
    for (path, words) in &documented {
        let (help, shorts) = help_takes(path, &global_flags);
        let readme = readme_takes(path, words, &global_flags, &shorts);
        assert_eq!(
            readme,
            help,
            "`onboard {}`: the README's usage (left) and --help (right) differ",
            path.join(" ")
        );
    }
}

#[test]
fn the_catalogue_doc_shows_tools_show_as_it_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalogue.md"))
            .unwrap();
    let start = readme
        .find("$ onboard tools show zendesk\n")
        .expect("the example")
        + 29;
    let shown = &readme[start..];
    let shown = &shown[..shown.find("```").unwrap()];
    Test::new()
        .args(["tools", "show", "zendesk"])
        .stdout(shown)
        .run();
}

/// The example command lines of a `--help`'s Examples section; a trailing
/// `\\` continues a line.
fn example_lines(help: &str, shown: &str) -> Vec<String> {
    let examples = help
        .split_once("\nExamples:\n")
        .unwrap_or_else(|| panic!("`{shown} --help` has no Examples section"))
        .1;
    let mut lines: Vec<String> = Vec::new();
    let mut continued = false;
    for line in examples.lines().map(str::trim) {
        if continued {
            lines.last_mut().unwrap().push_str(line);
        } else if line.starts_with("onboard ") {
            lines.push(line.to_string());
        }
        continued = line.ends_with('\\');
    }
    lines
}

/// Asserts that every flag of an example `line` is one the `--help` of the
/// command it runs (`help`) lists.
fn assert_flags_listed(line: &str, help: &str, shown: &str) {
    let options = help_section(help, "Options:").join("\n");
    // Only the command itself: not what a pipe or redirect feeds.
    let own = line.split(['|', '>']).next().unwrap();
    for flag in words(own).iter().filter(|w| is_flag(w)) {
        assert!(
            options.contains(&format!("{flag} ")) || options.contains(&format!("{flag},")),
            "`{shown} --help`: the example's {flag} is not an option:\n{line}"
        );
    }
}

/// Every command's `--help` ends with examples that teach: each one is
/// `onboard` and that very command, with only flags its `--help` lists; and
/// a command that talks to GitLab says where the token and server come from.
#[test]
fn every_command_help_has_examples_that_parse_and_name_the_gitlab_variables() {
    for command in commands() {
        let text = help(&command);
        let shown = format!("onboard {}", command.join(" "));
        let lines = example_lines(&text, &shown);
        let ours: Vec<&String> = lines.iter().filter(|l| l.starts_with(&shown)).collect();
        assert!(!ours.is_empty(), "`{shown} --help` has no example of it");
        assert_eq!(ours.len(), lines.len(), "`{shown} --help`: {lines:#?}");
        for line in ours {
            assert_flags_listed(line, &text, &shown);
        }
        if help_section(&text, "Options:")
            .join("\n")
            .contains("--gitlab-url")
        {
            for variable in ["GITLAB_TOKEN", "GITLAB_HOST"] {
                assert!(
                    text.contains(variable),
                    "`{shown} --help` talks to GitLab but does not name {variable}"
                );
            }
        }
    }
}

/// `onboard --help` and the help of each group of commands (`roles`,
/// `tools`, `access`) end with examples too, each one a command that exists
/// with flags it takes; the top level names the GitLab variables.
#[test]
fn the_top_level_and_group_help_have_examples_of_real_commands() {
    let commands = commands();
    let groups: BTreeSet<Vec<String>> = commands
        .iter()
        .filter(|c| c.len() > 1)
        .map(|c| c[..c.len() - 1].to_vec())
        .chain([Vec::new()])
        .collect();
    for group in groups {
        let text = help(&group);
        let shown = format!("onboard {}", group.join(" "))
            .trim_end()
            .to_string();
        let lines = example_lines(&text, &shown);
        assert!(!lines.is_empty(), "`{shown} --help` has no examples");
        for line in &lines {
            let command = commands
                .iter()
                .find(|c| format!("{line} ").starts_with(&format!("onboard {} ", c.join(" "))))
                .unwrap_or_else(|| panic!("`{shown} --help`: no such command: {line}"));
            assert!(command.starts_with(&group), "`{shown} --help`: {line}");
            assert_flags_listed(line, &help(command), &shown);
        }
    }
    let top = help(&[]);
    for variable in ["GITLAB_TOKEN", "GITLAB_HOST"] {
        assert!(
            top.contains(variable),
            "`onboard --help` does not name {variable}"
        );
    }
}
