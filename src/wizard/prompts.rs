//! The questions a person is asked, behind a trait so the wizard's flow is
//! tested with scripted answers, and their real form on the terminal.

use crate::output::say;
use crate::settings::Settings;
use crate::Error;

/// The person pressed Ctrl-C or closed the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interrupted;

impl From<Interrupted> for Error {
    fn from(_: Interrupted) -> Self {
        Error::Interrupted
    }
}

/// One entry of a list to choose from: what the list shows, and the short
/// name repeated once it is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// The line in the list: `Datafox: company intelligence...`.
    pub label: String,
    /// What the answer line shows: `Datafox`.
    pub name: String,
}

/// The questions the wizard can ask.
pub(crate) trait Prompter {
    /// A line of text; an empty answer takes `default` when there is one.
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String, Interrupted>;
    /// One of `items`, searchable by typing.
    fn choose(&mut self, prompt: &str, items: &[Item]) -> Result<usize, Interrupted>;
    /// Any of `items`, none ticked to begin with.
    fn choose_many(&mut self, prompt: &str, items: &[Item]) -> Result<Vec<usize>, Interrupted>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted>;
    /// Tells the person something.
    fn say(&mut self, text: &str);
}

/// The real prompts, on the terminal, through dialoguer.
pub(crate) struct Dialog {
    theme: Box<dyn dialoguer::theme::Theme>,
}

impl Dialog {
    /// Prompts with colour, or plain when colour is off (`NO_COLOR`).
    pub(crate) fn new(color: bool) -> Self {
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

    fn choose(&mut self, prompt: &str, items: &[Item]) -> Result<usize, Interrupted> {
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        let chosen = dialoguer::FuzzySelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(&labels)
            .default(0)
            .report(false)
            .interact()
            .map_err(interrupted)?;
        let name = items.get(chosen).map_or("", |i| i.name.as_str());
        let mut echo = String::new();
        let _ = self
            .theme
            .format_select_prompt_selection(&mut echo, prompt, name);
        say(&echo);
        Ok(chosen)
    }

    fn choose_many(&mut self, prompt: &str, items: &[Item]) -> Result<Vec<usize>, Interrupted> {
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        let chosen = dialoguer::MultiSelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(&labels)
            .report(false)
            .interact()
            .map_err(interrupted)?;
        let names: Vec<&str> = chosen
            .iter()
            .filter_map(|i| items.get(*i).map(|item| item.name.as_str()))
            .collect();
        let mut echo = String::new();
        let _ = self
            .theme
            .format_multi_select_prompt_selection(&mut echo, prompt, &names);
        say(&echo);
        Ok(chosen)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        // An answer is a key and Enter, as at every other prompt: a `y`
        // taken on its own would leave the Enter to answer the next
        // question with its default.
        dialoguer::Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .wait_for_newline(true)
            .interact()
            .map_err(interrupted)
    }

    fn say(&mut self, text: &str) {
        say(text);
    }
}

/// Shows what is about to happen and asks, defaulting to no; `yes` skips the
/// question, and without a terminal to ask on, nothing is done.
pub(crate) fn confirm_before(
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
