//! The questions a person is asked, behind a trait so the wizard's flow is
//! tested with scripted answers, and their real form on the terminal.

use crate::output::say;
use crate::settings::Settings;
use crate::Error;

/// The person pressed Ctrl-C or closed the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl From<Interrupted> for Error {
    fn from(_: Interrupted) -> Self {
        Error::Interrupted
    }
}

/// The questions the wizard can ask.
pub trait Prompter {
    /// A line of text; an empty answer takes `default` when there is one.
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String, Interrupted>;
    /// One of `items`, searchable by typing.
    fn choose(&mut self, prompt: &str, items: &[String]) -> Result<usize, Interrupted>;
    /// Any of `items`; `checked` says which start ticked.
    fn choose_many(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted>;
    /// Tells the person something.
    fn say(&mut self, text: &str);
}

/// The real prompts, on the terminal, through dialoguer.
pub struct Dialog {
    theme: Box<dyn dialoguer::theme::Theme>,
}

impl Dialog {
    /// Prompts with colour, or plain when colour is off (`NO_COLOR`).
    pub fn new(color: bool) -> Self {
        if !color {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        let theme: Box<dyn dialoguer::theme::Theme> = if color {
            Box::new(dialoguer::theme::ColorfulTheme::default())
        } else {
            Box::new(dialoguer::theme::SimpleTheme)
        };
        Self { theme }
    }
}

#[allow(clippy::needless_pass_by_value)]
fn interrupted(_: dialoguer::Error) -> Interrupted {
    Interrupted
}

impl Prompter for Dialog {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String, Interrupted> {
        let mut input =
            dialoguer::Input::<String>::with_theme(self.theme.as_ref()).with_prompt(prompt);
        if let Some(default) = default {
            input = input
                .default(default.to_string())
                .show_default(!default.is_empty());
        }
        input.allow_empty(true).interact_text().map_err(interrupted)
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Result<usize, Interrupted> {
        dialoguer::FuzzySelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(0)
            .interact()
            .map_err(interrupted)
    }

    fn choose_many(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted> {
        dialoguer::MultiSelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .defaults(checked)
            .interact()
            .map_err(interrupted)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        dialoguer::Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(interrupted)
    }

    fn say(&mut self, text: &str) {
        say(text);
    }
}

/// Shows what is about to happen and asks, defaulting to no; `yes` skips the
/// question, and without a terminal to ask on, nothing is done.
pub fn confirm_before(
    settings: &Settings,
    plan: &str,
    question: &str,
    yes: bool,
) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    if !settings.terminal.interactive() {
        return Err(Error::NoTerminal {
            what: "confirming before filing",
            hint: "pass --yes to file anyway".to_string(),
        });
    }
    if !plan.is_empty() {
        say(plan);
    }
    if Dialog::new(settings.color).confirm(question, false)? {
        Ok(())
    } else {
        Err(Error::NotConfirmed)
    }
}
