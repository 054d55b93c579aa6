//! The interactive wizard: a few questions, then the same checklist and access
//! request code the flag-driven commands use. Prompts sit behind
//! [`Prompter`], so the flow and its branches are tested with scripted answers.

mod prompts;

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::access::{self, Filed};
use crate::calendar::Calendar;
use crate::catalog::{RoleId, ToolId};
use crate::hire::{
    parse_date, CountryChoice, Email, Field, FieldError, FullName, Hire, HireFields, StartWindow,
    Username,
};
use crate::onboarding;
use crate::output::{write_atomically, OutputError};
use crate::plan::Checklist;
use crate::render;
use crate::settings::Gitlab;
use crate::view::{ChecklistPages, WizardSummary};
use crate::workspace::Workspace;
use crate::Error;

pub use prompts::{confirm_before, Dialog, Interrupted, Item, Prompter};

/// What the wizard needs from outside: the workspace, today, where to save,
/// and where access requests would go.
pub struct Context<'a> {
    /// Catalogue, templates and calendar.
    pub workspace: &'a Workspace,
    /// Today, for the default start date, and how far from it a start may be.
    pub window: StartWindow,
    /// The folder a relative file name is saved in.
    pub folder: PathBuf,
    /// Manager mode: the questions are about someone else.
    pub for_someone_else: bool,
    /// Where access requests go; its token is `None` when `GITLAB_TOKEN` is unset.
    pub gitlab: Gitlab,
    /// The filing journal.
    pub journal: PathBuf,
    /// The labels an onboarding issue carries.
    pub onboarding_labels: Vec<String>,
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
    /// The onboarding issue filed or found, if it was filed.
    pub onboarding: Option<Filed>,
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
        |s| Username::parse(Field::Username, s),
    )?;
    let role = choose_role(prompter, workspace, &words)?;
    let default_country = workspace.calendars.default_choice().to_string();
    let (country, calendar) = ask(
        prompter,
        &words.ask(
            "The country you work from, for its public holidays (a code such as US, GB or DE, or none)",
            "The country they work from, for its public holidays (a code such as US, GB or DE, or none)",
        ),
        Some(&default_country),
        |s| country(workspace, s),
    )?;
    let default_start = calendar.next_business_day(context.window.today).to_string();
    let start = ask(
        prompter,
        &words.ask(
            "Your start date (YYYY-MM-DD)",
            "Their start date (YYYY-MM-DD)",
        ),
        Some(&default_start),
        |s| start_date(&calendar, context.window, s),
    )?;
    if let Ok(Some(note)) = context.window.check(Field::Start, start) {
        prompter.say(&format!("warning: {note}"));
    }
    let manager = ask_optional(
        prompter,
        &words.ask(
            "Your manager's GitLab username (optional; they approve your access requests)",
            "Your GitLab username (optional; you approve their access requests)",
        ),
        |s| Username::parse(Field::Manager, s),
    )?;
    let buddy = ask_optional(
        prompter,
        &words.ask(
            "Your onboarding buddy's GitLab username (optional)",
            "Their onboarding buddy's GitLab username (optional)",
        ),
        |s| Username::parse(Field::Buddy, s),
    )?;
    let with = choose_optional_tools(prompter, workspace, &role, &words)?;
    let fields = HireFields {
        name,
        email: Some(email),
        username,
        role: role.to_string(),
        start,
        manager,
        buddy,
        with: with.iter().map(ToString::to_string).collect(),
        without: Vec::new(),
        country: Some(country),
        notes: Vec::new(),
    };
    let hire = workspace.resolve(fields)?;
    let plans = workspace.plans();
    let checklist = plans.checklist(&hire);
    prompter.say(
        &workspace
            .renderer
            .render(render::WIZARD_SUMMARY, &WizardSummary::of(&checklist))?,
    );
    let document = ChecklistPages::new(&workspace.renderer, &plans).render_checklist(&checklist)?;
    let path = save(prompter, &context.folder, &hire, &document)?;
    prompter.say(&format!("Saved the checklist to {}", path.display()));
    let filed = offer_access_requests(prompter, context, &hire)?;
    let onboarding = offer_onboarding_issue(prompter, context, checklist, filed.as_ref())?;
    Ok(Outcome {
        hire,
        checklist: path,
        filed,
        onboarding,
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

fn country(workspace: &Workspace, text: &str) -> Result<(CountryChoice, Arc<Calendar>), String> {
    let choice: CountryChoice = text
        .parse()
        .map_err(|e: FieldError| e.message().to_string())?;
    let calendar = workspace.calendars.get(Some(&choice))?;
    Ok((choice, calendar))
}

fn start_date(calendar: &Calendar, window: StartWindow, text: &str) -> Result<NaiveDate, String> {
    let date = parse_date(Field::Start, text).map_err(|e| e.message().to_string())?;
    window
        .check(Field::Start, date)
        .map_err(|e| e.message().to_string())?;
    calendar.check_start(date).map_err(|e| e.to_string())?;
    Ok(date)
}

fn choose_role(
    prompter: &mut dyn Prompter,
    workspace: &Workspace,
    words: &Wording,
) -> Result<RoleId, Interrupted> {
    let roles: Vec<_> = workspace
        .catalog
        .roles()
        .iter()
        .filter(|r| !r.layer)
        .collect();
    let items: Vec<Item> = roles
        .iter()
        .map(|r| Item {
            label: format!("{}: {}", r.name, short(&r.description, 70)),
            name: r.name.clone(),
        })
        .collect();
    let index = prompter.choose(
        &words.ask("Your role (type to search)", "Their role (type to search)"),
        &items,
    )?;
    roles.get(index).map(|r| r.id.clone()).ok_or(Interrupted)
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

/// Says which tools everyone gets, then offers the role's optional ones.
fn choose_optional_tools(
    prompter: &mut dyn Prompter,
    workspace: &Workspace,
    role: &RoleId,
    words: &Wording,
) -> Result<Vec<ToolId>, Interrupted> {
    let catalog = &workspace.catalog;
    let role = catalog.role(role);
    let baseline: Vec<&str> = role
        .tools
        .iter()
        .map(|t| catalog.tool(&t.tool))
        .filter(|t| t.baseline)
        .map(|t| t.name.as_str())
        .collect();
    prompter.say(&format!(
        "{} {}.",
        words.ask("You get, like everyone:", "They get, like everyone:"),
        baseline.join(", ")
    ));
    let optional: Vec<(&ToolId, Item)> = role
        .tools
        .iter()
        .filter(|t| t.optional)
        .map(|t| {
            let tool = catalog.tool(&t.tool);
            let item = Item {
                label: format!("{}: {}", tool.name, tool.purpose),
                name: tool.name.clone(),
            };
            (&tool.id, item)
        })
        .collect();
    if optional.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<Item> = optional.iter().map(|(_, item)| item.clone()).collect();
    let chosen = prompter.choose_many(
        &words.ask(
            "Optional tools you want (space to tick, enter to finish)",
            "Optional tools they need (space to tick, enter to finish)",
        ),
        &items,
    )?;
    Ok(chosen
        .into_iter()
        .filter_map(|i| optional.get(i).map(|(id, _)| (*id).clone()))
        .collect())
}

/// Asks where to save; an existing file is only replaced after an explicit yes.
fn save(
    prompter: &mut dyn Prompter,
    folder: &Path,
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
        let path = folder.join(&answer);
        if let Some(kind) = crate::output::not_regular(&path) {
            prompter.say(&format!(
                "{} is {kind}, not a regular file; choose another name",
                path.display()
            ));
            continue;
        }
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
            Err(
                err @ (OutputError::Exists(_)
                | OutputError::NotRegular { .. }
                | OutputError::Io { .. }),
            ) => {
                prompter.say(&format!("{err}; choose another name"));
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
    let plan = workspace.plans().role_plan(&hire.selection);
    let Some(request) = access::plan(hire, &plan, &workspace.request_defaults)? else {
        prompter.say("None of these tools needs an access request.");
        return Ok(None);
    };
    if context.gitlab.token.is_none() {
        prompter.say(&format!(
            "To file the access requests later: export GITLAB_TOKEN=<a token with the api scope>, then run: {later}"
        ));
        return Ok(None);
    }
    prompter.say(&workspace.renderer.render(render::ACCESS_PLAN, &request)?);
    let question = format!(
        "File this access request in {} on {} now?",
        context.gitlab.project, context.gitlab.server
    );
    if !prompter.confirm(&question, false)? {
        prompter.say(&format!("Not filed. To file it later, run: {later}"));
        return Ok(None);
    }
    let filed = access::file_one(
        &context.gitlab,
        &context.journal,
        &workspace.renderer,
        &request,
    )?;
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

/// Files the checklist as the onboarding issue, linked to the access
/// requests, if a token is set and the person says yes.
fn offer_onboarding_issue(
    prompter: &mut dyn Prompter,
    context: &Context,
    checklist: Checklist,
    access: Option<&Filed>,
) -> Result<Option<Filed>, Error> {
    if context.gitlab.token.is_none() {
        return Ok(None);
    }
    let question = format!(
        "File the checklist as the onboarding issue in {} on {}, so everyone involved can tick their part?",
        context.gitlab.onboarding_project, context.gitlab.server
    );
    if !prompter.confirm(&question, false)? {
        return Ok(None);
    }
    let filed = onboarding::file_one(
        &context.gitlab,
        &context.journal,
        context.workspace,
        checklist,
        context.onboarding_labels.clone(),
        access,
    )?;
    for issue in &filed.issues {
        let what = if issue.created {
            "Filed the onboarding issue"
        } else {
            "The onboarding issue is"
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
        hire.role(),
        shell_quote(hire.name.as_str()),
        hire.start
    );
    if let Some(email) = &hire.email {
        command.push_str(&format!(" --email {}", shell_quote(email.as_str())));
    }
    if let Some(manager) = &hire.manager {
        command.push_str(&format!(" --manager {manager}"));
    }
    for tool in &hire.selection.with {
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
