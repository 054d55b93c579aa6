//! `onboard completions SHELL` and `onboard man`, generated from the clap types.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::print;
use crate::Error;

/// Prints the script that registers `onboard`'s completion with `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    crate::completion::registration(shell)
}

/// Prints the manual page in roff.
pub fn man() -> Result<(), Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|source| crate::output::OutputError::Io {
            path: "the manual page".into(),
            source,
        })?;
    Ok(print(&String::from_utf8_lossy(&page))?)
}
