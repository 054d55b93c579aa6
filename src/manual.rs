//! The manual page: one page with every subcommand's synopsis and options,
//! generated from the clap types, then the exit codes, the environment and
//! the files.

use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

use crate::cli::Cli;
use crate::error::exit;
use crate::settings;

/// The files `onboard` reads and writes, for the FILES section.
const FILES: &[(&str, &str)] = &[
    ("$XDG_CONFIG_HOME/onboard/config.yaml", "The config file (or the one $ONBOARD_CONFIG names): catalogue and templates folders, GitLab address and projects, labels, the journal's place, trusted authors, the company's country. Every key is optional; an unknown one is an error."),
    ("$XDG_STATE_HOME/onboard/journal.json", "The filing journal (or the config's journal:), mode 0600, written atomically; journal.json.lock beside it while a run files. A journal that cannot be read is moved aside as journal.json.corrupt-TIME."),
    ("roles/", "The role catalogue, embedded in the binary; --roles DIR or the config's roles: reads another folder: tools.yaml, one ROLE.yaml per role, holidays.yaml (the company's days off) and holidays/CC.yaml (a country's public holidays)."),
    ("templates/", "The Handlebars templates of every document, issue body and table, embedded in the binary; --templates DIR or the config's templates: overrides any of them by file name (*.hbs)."),
    ("--holidays FILE", "More company days off, in the format of holidays.yaml."),
    ("OUT/summary.json", "What onboard batch did for each hire of the roster (the same as batch --json prints)."),
];

/// The whole page, in roff.
pub(crate) fn page() -> Result<String, std::io::Error> {
    let top = Man::new(Cli::command()).title("ONBOARD");
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_options_section(&mut out)?;
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    roff.text([roman(
        "The options above (--roles, --templates, --holidays) work with every command.",
    )]);
    out.extend(roff.render().into_bytes());
    for (path, command) in leaves(&Cli::command(), "onboard") {
        let mut roff = Roff::new();
        roff.control("SS", [path.as_str()]);
        out.extend(roff.render().into_bytes());
        let man = Man::new(command.bin_name(&path));
        for section in [
            Man::render_description_section,
            Man::render_synopsis_section,
            Man::render_options_section,
        ] {
            let mut text = Vec::new();
            section(&man, &mut text)?;
            // Each piece comes as a section of its own; on this page they
            // are parts of the command's subsection.
            for line in String::from_utf8_lossy(&text).lines() {
                if line.starts_with(".SH ") {
                    out.extend(b".PP\n");
                } else {
                    out.extend(line.as_bytes());
                    out.push(b'\n');
                }
            }
        }
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in exit::MEANINGS {
        roff.control("TP", [])
            .text([bold(code.to_string())])
            .text([roman(meaning.replace('`', ""))]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in settings::VARIABLES {
        roff.control("TP", [])
            .text([bold(*name)])
            .text([roman(*what)]);
    }
    roff.control("SH", ["FILES"]);
    for (path, what) in FILES {
        roff.control("TP", [])
            .text([italic(*path)])
            .text([roman(*what)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "The README, and in docs/ of the source: catalogue.md for the catalogue's format, templates.md for the templates, filing.md for how filing stays exactly once.",
    )]);
    out.extend(roff.render().into_bytes());
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Every command that runs something, with its full name
/// (`onboard roles list`), in the order `--help` lists them.
fn leaves(command: &clap::Command, path: &str) -> Vec<(String, clap::Command)> {
    let mut found = Vec::new();
    for sub in command.get_subcommands() {
        let name = format!("{path} {}", sub.get_name());
        if sub.has_subcommands() {
            found.extend(leaves(sub, &name));
        } else {
            found.push((name, sub.clone()));
        }
    }
    found
}
