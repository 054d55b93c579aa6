//! `onboard` turns a catalogue of job roles into personal, dated onboarding
//! checklists and files the Access Request issues new hires need in GitLab.
//!
//! Data flows one way: files → `catalog` → `plan` → `view`/`render` and
//! `access` → `gitlab` → `output`. Modules are private; the binary needs only
//! [`Cli`], [`run`] and [`complete_if_asked`], and the tests reach the wizard's flow through the
//! hidden [`testing`] module.

mod access;
mod calendar;
mod catalog;
mod cli;
mod commands;
mod completion;
mod config;
mod day;
mod diagnostic;
mod error;
mod gitlab;
mod hire;
mod inert;
mod lifecycle;
mod manual;
mod onboarding;
mod output;
mod parallel;
mod plan;
mod render;
mod roster;
mod settings;
mod source;
mod status;
mod tasks;
mod view;
mod wizard;
mod workspace;

#[doc(hidden)]
pub mod testing;

pub use cli::Cli;
pub use completion::complete_if_asked;
use error::Error;

/// Runs a parsed command line in this process's environment and returns the
/// exit code; any error is printed once, on stderr, without the token.
#[must_use]
pub fn run(cli: Cli) -> u8 {
    let env = settings::Environment::from_process();
    let result = settings::resolve(cli, &env, settings::Terminal::detect())
        .and_then(|(settings, action)| commands::run(&settings, action));
    match result {
        Ok(()) => error::exit::OK,
        Err(err) => {
            output::say(&format!("error: {err}"));
            err.exit_code()
        }
    }
}
