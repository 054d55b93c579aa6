//! The interactive wizard: a few questions, then the same checklist and access
//! request code the flag-driven commands use. Prompts sit behind [`Prompter`],
//! so the flow and its branches are tested with scripted answers.

use std::collections::VecDeque;
use std::fmt::Display;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::Filed;
use crate::catalog::Owner;
use crate::gitlab::{Settings, Token};
use crate::hire::{parse_date, Email, FieldError, FullName, Hire, Username};
use crate::output::{write_atomically, OutputError};
use crate::plan::{Checklist, DatedTask};
use crate::render;
use crate::workspace::Workspace;
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

/// What the wizard needs from outside: the workspace, today, where to save,
/// and the GitLab connection if a token is set.
pub struct Context<'a> {
    /// Catalogue, templates and calendar.
    pub workspace: &'a Workspace,
    /// Today, for the default start date.
    pub today: NaiveDate,
    /// The folder a relative file name is saved in.
    pub folder: PathBuf,
    /// Manager mode: the questions are about someone else.
    pub for_someone_else: bool,
    /// Where access requests go.
    pub gitlab: Settings,
    /// `GITLAB_TOKEN`, if set.
    pub token: Option<Token>,
}

/// What the wizard did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The hire it gathered.
    pub hire: Hire,
    /// Where the checklist was written.
    pub checklist: PathBuf,
    /// The access requests filed or found, if any were filed.
    pub filed: Option<Filed>,
}

/// The wording of the questions, for a new hire or for their manager.
struct Wording {
    manager_mode: bool,
}

impl Wording {
    fn ask(&self, own: &str, theirs: &str) -> String {
        if self.manager_mode { theirs } else { own }.to_string()
    }
}

/// Runs the whole conversation.
pub fn run(prompter: &mut dyn Prompter, context: &Context) -> Result<Outcome, Error> {
    let workspace = context.workspace;
    // The first question is the name, so a new hire can start typing at once;
    // managers say `--for-someone-else` and get the questions about them.
    let words = Wording {
        manager_mode: context.for_someone_else,
    };
    prompter.say(&words.ask(
        "Welcome! A few questions, and you will have your onboarding checklist.",
        "A few questions about your new hire, and they will have their onboarding checklist.",
    ));
    let name: FullName = ask(
        prompter,
        &words.ask("Your full name", "Their full name"),
        None,
        str::parse,
    )?;
    let email: Email = ask(
        prompter,
        &words.ask("Your work email", "Their work email"),
        None,
        str::parse,
    )?;
    let username = ask_optional(
        prompter,
        &words.ask(
            "Your GitLab username (optional)",
            "Their GitLab username, if they have one (optional)",
        ),
        |s| Username::parse("username", s),
    )?;
    let role = choose_role(prompter, workspace, &words)?;
    let default_start = workspace
        .calendar
        .next_business_day(context.today)
        .to_string();
    let start = ask(
        prompter,
        &words.ask(
            "Your start date (YYYY-MM-DD)",
            "Their start date (YYYY-MM-DD)",
        ),
        Some(&default_start),
        |s| start_date(workspace, s),
    )?;
    let manager = ask_optional(
        prompter,
        &words.ask(
            "Your manager's GitLab username (optional; they approve your access requests)",
            "Your GitLab username (optional; you approve their access requests)",
        ),
        |s| Username::parse("manager", s),
    )?;
    let buddy = ask_optional(
        prompter,
        &words.ask(
            "Your onboarding buddy's GitLab username (optional)",
            "Their onboarding buddy's GitLab username (optional)",
        ),
        |s| Username::parse("buddy", s),
    )?;
    let with = choose_optional_tools(prompter, workspace, &role, &words)?;
    let hire = Hire {
        name,
        email: Some(email),
        username,
        role,
        start,
        manager,
        buddy,
        with,
        without: Vec::new(),
    };
    let checklist = workspace.checklist(&hire)?;
    prompter.say(
        &workspace
            .renderer
            .render(render::WIZARD_SUMMARY, &Summary::of(&checklist))?,
    );
    let document = workspace.renderer.render(render::CHECKLIST, &checklist)?;
    let path = save(prompter, context, &hire, &document)?;
    prompter.say(&format!("Saved the checklist to {}", path.display()));
    let filed = offer_access_requests(prompter, context, &hire)?;
    Ok(Outcome {
        hire,
        checklist: path,
        filed,
    })
}

/// Asks until `parse` accepts the answer, saying why each refusal happened.
fn ask<T, E: Display>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, Interrupted> {
    loop {
        let answer = prompter.text(prompt, default)?;
        match parse(&answer) {
            Ok(value) => return Ok(value),
            Err(why) => prompter.say(&format!("{why}; please try again")),
        }
    }
}

/// Like [`ask`], but an empty answer means "none".
fn ask_optional<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, Interrupted> {
    ask(prompter, prompt, Some(""), |answer| {
        if answer.trim().is_empty() {
            Ok(None)
        } else {
            parse(answer).map(Some)
        }
    })
}

fn start_date(workspace: &Workspace, text: &str) -> Result<NaiveDate, String> {
    let date = parse_date("start", text).map_err(|e| e.message)?;
    workspace
        .calendar
        .check_start(date)
        .map_err(|e| e.to_string())?;
    Ok(date)
}

fn choose_role(
    prompter: &mut dyn Prompter,
    workspace: &Workspace,
    words: &Wording,
) -> Result<String, Interrupted> {
    let roles: Vec<_> = workspace
        .catalog
        .all_roles()
        .into_iter()
        .filter(|r| !r.layer)
        .collect();
    let items: Vec<String> = roles
        .iter()
        .map(|r| format!("{}: {}", r.name, short(&r.description, 70)))
        .collect();
    let index = prompter.choose(
        &words.ask("Your role (type to search)", "Their role (type to search)"),
        &items,
    )?;
    Ok(roles.get(index).map(|r| r.id.clone()).unwrap_or_default())
}

/// The first `limit` characters of `text`, with an ellipsis when cut.
fn short(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let cut: String = text.chars().take(limit.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Baseline tools are shown ticked and always included; optional tools are offered.
fn choose_optional_tools(
    prompter: &mut dyn Prompter,
    workspace: &Workspace,
    role_id: &str,
    words: &Wording,
) -> Result<Vec<String>, Interrupted> {
    let Ok(role) = workspace.catalog.role(role_id) else {
        return Ok(Vec::new());
    };
    let catalog = &workspace.catalog;
    let baseline: Vec<&str> = role
        .tools
        .iter()
        .filter_map(|t| catalog.tool(&t.tool))
        .filter(|t| t.baseline)
        .map(|t| t.name.as_str())
        .collect();
    let optional: Vec<(&str, String)> = role
        .tools
        .iter()
        .filter(|t| t.optional)
        .filter_map(|t| {
            catalog
                .tool(&t.tool)
                .map(|tool| (tool.id.as_str(), format!("{}: {}", tool.name, tool.purpose)))
        })
        .collect();
    if optional.is_empty() {
        prompter.say(&format!("Everyone gets: {}", baseline.join(", ")));
        return Ok(Vec::new());
    }
    let mut items: Vec<String> = baseline
        .iter()
        .map(|name| format!("{name} (everyone gets it, always included)"))
        .collect();
    items.extend(optional.iter().map(|(_, label)| label.clone()));
    let checked: Vec<bool> = (0..items.len()).map(|i| i < baseline.len()).collect();
    let chosen = prompter.choose_many(
        &words.ask(
            "Optional tools you want (space to tick, enter to finish)",
            "Optional tools they need (space to tick, enter to finish)",
        ),
        &items,
        &checked,
    )?;
    Ok(chosen
        .into_iter()
        .filter_map(|i| i.checked_sub(baseline.len()))
        .filter_map(|i| optional.get(i).map(|(id, _)| id.to_string()))
        .collect())
}

/// Asks where to save; an existing file is only replaced after an explicit yes.
fn save(
    prompter: &mut dyn Prompter,
    context: &Context,
    hire: &Hire,
    document: &str,
) -> Result<PathBuf, Error> {
    let default = format!("onboarding-{}.md", hire.name.slug());
    loop {
        let answer = prompter.text("Save the checklist as", Some(&default))?;
        let answer = if answer.trim().is_empty() {
            default.clone()
        } else {
            answer.trim().to_string()
        };
        let path = context.folder.join(&answer);
        let overwrite = if path.exists() {
            let question = format!("{} already exists. Replace it?", path.display());
            if !prompter.confirm(&question, false)? {
                continue;
            }
            true
        } else {
            false
        };
        match write_atomically(&path, document.as_bytes(), overwrite) {
            Ok(()) => return Ok(path),
            Err(err @ (OutputError::Exists(_) | OutputError::Io { .. })) => {
                prompter.say(&format!("{err}; choose another name"))
            }
        }
    }
}

/// Files the access requests through the same code as `onboard access file`,
/// if a token is set and the person says yes.
fn offer_access_requests(
    prompter: &mut dyn Prompter,
    context: &Context,
    hire: &Hire,
) -> Result<Option<Filed>, Error> {
    let workspace = context.workspace;
    let later = access_file_command(hire);
    if hire.manager.is_none() {
        prompter.say(&format!(
            "Access requests need the manager's GitLab username; to file them later, run: {later} --manager USERNAME"
        ));
        return Ok(None);
    }
    let Some(request) = workspace.access_request(hire)? else {
        prompter.say("None of these tools needs an access request.");
        return Ok(None);
    };
    let Some(token) = context.token.clone() else {
        prompter.say(&format!(
            "To file the access requests later: export GITLAB_TOKEN=<a token with the api scope>, then run: {later}"
        ));
        return Ok(None);
    };
    prompter.say(&workspace.renderer.render(render::ACCESS_PLAN, &request)?);
    let question = format!(
        "File this access request in {} on {} now?",
        context.gitlab.project, context.gitlab.server
    );
    if !prompter.confirm(&question, true)? {
        prompter.say(&format!("Not filed. To file it later, run: {later}"));
        return Ok(None);
    }
    let filed = workspace.file_access(&context.gitlab, token, &request)?;
    for issue in &filed.issues {
        let what = if issue.created {
            "Filed"
        } else {
            "Already filed"
        };
        prompter.say(&format!("{what}: {}", issue.url));
    }
    Ok(Some(filed))
}

/// The `onboard checklist` command that does what the wizard would.
pub fn checklist_command(name: &str, role: &str, start: &str) -> String {
    format!(
        "onboard checklist --role {role} --name {} --start {start} -o onboarding.md",
        shell_quote(name)
    )
}

fn access_file_command(hire: &Hire) -> String {
    let mut command = format!(
        "onboard access file --role {} --name {} --start {}",
        hire.role,
        shell_quote(hire.name.as_str()),
        hire.start
    );
    if let Some(email) = &hire.email {
        command.push_str(&format!(" --email {}", shell_quote(email.as_str())));
    }
    if let Some(manager) = &hire.manager {
        command.push_str(&format!(" --manager {manager}"));
    }
    for tool in &hire.with {
        command.push_str(&format!(" --with {tool}"));
    }
    command
}

fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@/+".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The context of `wizard-summary.txt.hbs`.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    #[serde(flatten)]
    checklist: &'a Checklist,
    first_due: Vec<&'a DatedTask>,
}

impl<'a> Summary<'a> {
    /// The summary of a checklist: the hire's first five tasks and the rest.
    pub fn of(checklist: &'a Checklist) -> Self {
        let mut tasks: Vec<&DatedTask> = checklist
            .phases
            .iter()
            .flat_map(|p| p.owners.iter())
            .filter(|o| o.owner == Owner::NewHire)
            .flat_map(|o| o.tasks.iter())
            .collect();
        tasks.sort_by_key(|t| t.date);
        tasks.truncate(5);
        Self {
            checklist,
            first_due: tasks,
        }
    }
}

/// A prompter that replays answers, for tests and scripted runs.
#[derive(Debug, Default)]
pub struct Scripted {
    answers: VecDeque<String>,
    /// Every prompt and message, in order.
    pub transcript: Vec<String>,
}

impl Scripted {
    /// Answers given in order. Texts are typed as-is (empty takes the default);
    /// choices are item numbers from 0 or text matched against the items;
    /// multi-choices are comma-separated numbers; confirms are `y` or `n`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(answers: I) -> Self {
        Self {
            answers: answers.into_iter().map(Into::into).collect(),
            transcript: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> Result<String, Interrupted> {
        self.transcript.push(format!("? {prompt}"));
        self.answers.pop_front().ok_or(Interrupted)
    }
}

impl Prompter for Scripted {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String, Interrupted> {
        let answer = self.next(prompt)?;
        Ok(if answer.is_empty() {
            default.unwrap_or_default().to_string()
        } else {
            answer
        })
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Result<usize, Interrupted> {
        let answer = self.next(prompt)?;
        answer
            .parse()
            .ok()
            .or_else(|| items.iter().position(|item| item.contains(&answer)))
            .ok_or(Interrupted)
    }

    fn choose_many(
        &mut self,
        prompt: &str,
        _items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted> {
        let answer = self.next(prompt)?;
        let mut chosen: Vec<usize> = checked
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i)
            .collect();
        chosen.extend(
            answer
                .split(',')
                .filter_map(|n| n.trim().parse::<usize>().ok()),
        );
        Ok(chosen)
    }

    fn confirm(&mut self, prompt: &str, _default: bool) -> Result<bool, Interrupted> {
        Ok(self.next(prompt)?.trim().eq_ignore_ascii_case("y"))
    }

    fn say(&mut self, text: &str) {
        self.transcript.push(text.to_string());
    }
}

/// The real prompts, on the terminal, through dialoguer.
pub struct Terminal {
    theme: Box<dyn dialoguer::theme::Theme>,
}

impl Terminal {
    /// Prompts with colour, unless `NO_COLOR` is set.
    pub fn new() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        let theme: Box<dyn dialoguer::theme::Theme> = if no_color {
            Box::new(dialoguer::theme::SimpleTheme)
        } else {
            Box::new(dialoguer::theme::ColorfulTheme::default())
        };
        Self { theme }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

fn interrupted(_: dialoguer::Error) -> Interrupted {
    Interrupted
}

impl Prompter for Terminal {
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
        eprintln!("{}", text.trim_end());
    }
}
