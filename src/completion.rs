//! Shell completion: `onboard completions SHELL` prints a script that
//! registers `onboard` with the shell, and the shell then asks the binary
//! itself (`COMPLETE=SHELL onboard -- WORDS…`) for candidates, so role and
//! tool ids come from the catalogue in use, embedded or `--roles DIR`.

use std::ffi::OsStr;

use clap::{Command, CommandFactory};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::Shells;

use crate::catalog::{self, Catalog};
use crate::cli::Cli;
use crate::output::print;
use crate::settings;
use crate::source::FileSet;
use crate::Error;

/// The variable a shell's registration script sets when it asks for candidates.
const VARIABLE: &str = "COMPLETE";

/// Answers a shell's request for candidates and exits, when this run is
/// one (`COMPLETE` is set); otherwise returns at once. Runs before the
/// command line is parsed, since the words are a command line half typed.
pub fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(|| with_completers(Cli::command()))
        .var(VARIABLE)
        .complete();
}

/// The command line with a completer on every argument that takes a role
/// or tool id: `roles show ROLE` offers every role, the hire's `--role` and
/// `transfer --to` the roles a person can have, `--with`, `--without` and
/// `tools show TOOL` the tools. Attached here, so `cli.rs` stays plain clap.
fn with_completers(command: Command) -> Command {
    fn walk(mut command: Command, path: &str) -> Command {
        let here = format!("{path} {}", command.get_name());
        let ids: Vec<String> = command
            .get_arguments()
            .map(|arg| arg.get_id().to_string())
            .collect();
        for id in ids {
            let completer = match id.as_str() {
                "role" if here.ends_with("roles show") => ArgValueCompleter::new(roles),
                "role" | "to" | "from" => ArgValueCompleter::new(hire_roles),
                "tool" | "with" | "without" => ArgValueCompleter::new(tools),
                _ => continue,
            };
            command = command.mut_arg(id, |arg| arg.add(completer));
        }
        let subcommands: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_string())
            .collect();
        for sub in subcommands {
            command = command.mut_subcommand(sub, |inner| walk(inner, &here));
        }
        command
    }
    walk(command, "")
}

/// `onboard completions SHELL`: the script that registers the dynamic
/// completion with `shell`; it calls `onboard` on the `PATH`.
pub(crate) fn registration(shell: clap_complete::Shell) -> Result<(), Error> {
    let name = shell.to_string();
    let mut script = Vec::new();
    match Shells::builtins().completer(&name) {
        Some(completer) => completer
            .write_registration(VARIABLE, "onboard", "onboard", "onboard", &mut script)
            .map_err(|source| crate::output::OutputError::Io {
                path: "the completion script".into(),
                source,
            })?,
        // A shell clap knows but cannot complete dynamically gets the
        // static script: subcommands and flags, without ids.
        None => clap_complete::generate(shell, &mut Cli::command(), "onboard", &mut script),
    }
    Ok(print(&String::from_utf8_lossy(&script))?)
}

/// The catalogue the words being completed name; `None` when it cannot
/// be read, so a broken catalogue offers nothing rather than an error.
fn catalog() -> Option<Catalog> {
    let files = match settings::completion_roles() {
        Some(dir) => FileSet::read_dir(&dir, &[".yaml", ".yml"]).ok()?,
        None => FileSet::embedded_roles(),
    };
    catalog::load(&files).ok()
}

/// The ids (with their names, for shells that show them) that start with
/// `current`, of what `pick` takes from the catalogue.
fn candidates(
    current: &OsStr,
    pick: impl for<'c> Fn(&'c Catalog) -> Vec<(&'c str, &'c str)>,
) -> Vec<CompletionCandidate> {
    let Some(catalog) = catalog() else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    pick(&catalog)
        .into_iter()
        .filter(|(id, _)| id.starts_with(current.as_ref()))
        .map(|(id, name)| CompletionCandidate::new(id).help(Some(name.to_string().into())))
        .collect()
}

/// `--role`: the roles a hire can be given (not the shared layers).
fn hire_roles(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(current, |catalog| {
        catalog
            .roles()
            .iter()
            .filter(|r| !r.layer)
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect()
    })
}

/// `roles show`: every role, layers too.
fn roles(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(current, |catalog| {
        catalog
            .roles()
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect()
    })
}

/// `--with`, `--without` and `tools show`: every tool.
fn tools(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(current, |catalog| {
        catalog
            .tools()
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect()
    })
}
