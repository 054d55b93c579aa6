//! `onboard wizard`: the interactive way in, for a new hire or their manager.

use crate::error::exit;
use crate::settings::{self, Settings};
use crate::wizard::{self, checklist_command, Context, Dialog};
use crate::workspace::Workspace;
use crate::Error;

/// Runs the wizard on the terminal.
pub(super) fn run(settings: &Settings, wizard: settings::Wizard) -> Result<(), Error> {
    if !settings.terminal.interactive() {
        return Err(Error::NoTerminal {
            what: "the wizard",
            hint: format!(
                "without one, use the flags instead:\n  {}",
                checklist_command("Full Name", "ROLE", "YYYY-MM-DD")
            ),
        });
    }
    // Ctrl-C at a prompt: the checklist is written atomically, so nothing
    // partial is left behind; restore the cursor and leave with 130.
    let _ = ctrlc::set_handler(|| {
        let _ = console::Term::stderr().show_cursor();
        eprintln!();
        std::process::exit(i32::from(exit::INTERRUPTED));
    });
    let workspace = Workspace::load(settings)?;
    let context = Context {
        workspace: &workspace,
        window: wizard.window,
        folder: settings.cwd.clone(),
        for_someone_else: wizard.for_someone_else,
        gitlab: wizard.gitlab,
        journal: settings.journal.clone(),
        onboarding_labels: settings.onboarding_labels.clone(),
    };
    // Quitting at the review is a choice, not a failure: it exits 0.
    if let Some(outcome) = wizard::run(&mut Dialog::new(settings.color), &context)? {
        crate::output::say(&format!(
            "Done. Open {} and start ticking boxes.",
            outcome.checklist.display()
        ));
    }
    Ok(())
}
