//! `onboard wizard`: the interactive way in, for a new hire or their manager.

use std::io::IsTerminal;

use crate::cli::{SourceArgs, WizardArgs};
use crate::error::exit;
use crate::gitlab::Token;
use crate::render;
use crate::wizard::{self, checklist_command, Context, Terminal};
use crate::Error;

use super::Workspace;

/// Runs the wizard on the terminal.
pub fn run(sources: &SourceArgs, args: WizardArgs) -> Result<(), Error> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::Usage(format!(
            "the wizard asks questions, so it needs a terminal on stdin and stderr; without one, use the flags instead:\n  {}",
            checklist_command("Full Name", "ROLE", "YYYY-MM-DD")
        )));
    }
    // Ctrl-C at a prompt: the checklist is written atomically, so nothing
    // partial is left behind; restore the cursor and leave with 130.
    let _ = ctrlc::set_handler(|| {
        let _ = console::Term::stderr().show_cursor();
        eprintln!();
        std::process::exit(i32::from(exit::INTERRUPTED));
    });
    let workspace = Workspace::load(
        sources,
        &[
            render::CHECKLIST,
            render::WIZARD_SUMMARY,
            render::ACCESS_PLAN,
            render::ACCESS_REQUEST,
        ],
    )?;
    let context = Context {
        gitlab: workspace.gitlab_settings(&Default::default())?,
        workspace: &workspace,
        today: chrono::Local::now().date_naive(),
        folder: std::env::current_dir()?,
        for_someone_else: args.for_someone_else,
        token: Token::from_env().ok(),
    };
    let outcome = wizard::run(&mut Terminal::new(), &context)?;
    eprintln!(
        "Done. Open {} and start ticking boxes.",
        outcome.checklist.display()
    );
    Ok(())
}
