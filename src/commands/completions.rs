//! `onboard completions SHELL`: the script that registers completion.

use crate::Error;

/// Prints the script that registers `onboard`'s completion with `shell`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    crate::completion::registration(shell)
}
