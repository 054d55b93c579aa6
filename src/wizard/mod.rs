//! The interactive wizard: a few questions, then the same checklist and access
//! request code the flag-driven commands use. Prompts sit behind
//! [`Prompter`], so the flow and its branches are tested with scripted answers.

mod prompts;
mod users;

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::access::{self, Filed, FilingError};
use crate::calendar::Calendar;
use crate::catalog::{RoleId, Tool, ToolId};
use crate::gitlab::Gitlab;
use crate::gitlab::GitlabError;
use crate::hire::{
    parse_date, CountryChoice, Email, Field, FieldError, FullName, Hire, HireFields, StartWindow,
    Username,
};
use crate::onboarding;
use crate::output::{write_atomically, OutputError};
use crate::plan::Checklist;
use crate::render;
use crate::view::{ChecklistPages, WizardSummary};
use crate::workspace::Workspace;
use crate::Error;

pub(crate) use prompts::{confirm_before, Dialog, Interrupted, Item, Prompter};
use users::{Directory, Verdict};

/// What the wizard needs from outside: the workspace, today, where to save,
/// and where access requests would go.
pub(crate) struct Context<'a> {
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

/// What the wizard did, when the person saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
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

/// One of the wizard's questions; the review can ask any of them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    Name,
    Email,
    Username,
    Role,
    Country,
    Start,
    Manager,
    Buddy,
    Tools,
}

impl Question {
    /// In the order they are first asked.
    const ALL: [Question; 9] = [
        Question::Name,
        Question::Email,
        Question::Username,
        Question::Role,
        Question::Country,
        Question::Start,
        Question::Manager,
        Question::Buddy,
        Question::Tools,
    ];

    /// How the review and error messages name it: a wizard user never typed
    /// a flag, so a flag's name would mean nothing to them.
    fn title(self) -> &'static str {
        match self {
            Question::Name => "Name",
            Question::Email => "Work email",
            Question::Username => "GitLab username",
            Question::Role => "Role",
            Question::Country => "Country",
            Question::Start => "Start date",
            Question::Manager => "Manager",
            Question::Buddy => "Buddy",
            Question::Tools => "Optional tools",
        }
    }

    /// The question whose answer fills `field`.
    fn asking_for(field: Field) -> Option<Self> {
        Some(match field {
            Field::Name => Question::Name,
            Field::Email => Question::Email,
            Field::Username => Question::Username,
            Field::Role => Question::Role,
            Field::Start => Question::Start,
            Field::Manager => Question::Manager,
            Field::Buddy => Question::Buddy,
            Field::With | Field::Without => Question::Tools,
            Field::Country => Question::Country,
            Field::AsOf | Field::Effective | Field::LastDay | Field::AccessUntil => return None,
        })
    }
}

/// Every answer, as the review shows them.
#[derive(Debug, Clone)]
struct Answers {
    name: FullName,
    email: Email,
    username: Option<Username>,
    role: RoleId,
    country: CountryChoice,
    calendar: Arc<Calendar>,
    start: NaiveDate,
    manager: Option<Username>,
    buddy: Option<Username>,
    with: Vec<ToolId>,
}

impl Answers {
    fn fields(&self) -> HireFields {
        HireFields {
            name: self.name.clone(),
            email: Some(self.email.clone()),
            username: self.username.clone(),
            role: self.role.to_string(),
            start: self.start,
            manager: self.manager.clone(),
            buddy: self.buddy.clone(),
            with: self.with.iter().map(ToString::to_string).collect(),
            without: Vec::new(),
            country: Some(self.country.clone()),
            access_until: None,
            notes: Vec::new(),
        }
    }

    /// The answer to `question`, as the list of answers to change shows it.
    fn shown(&self, question: Question, workspace: &Workspace) -> String {
        let optional = |name: &Option<Username>| {
            name.as_ref()
                .map_or("none".to_string(), ToString::to_string)
        };
        match question {
            Question::Name => self.name.to_string(),
            Question::Email => self.email.to_string(),
            Question::Username => optional(&self.username),
            Question::Role => workspace.catalog.role(&self.role).name.clone(),
            Question::Country => self.calendar.country().map_or_else(
                || "none".to_string(),
                |c| format!("{} ({})", c.name, c.code),
            ),
            Question::Start => self.start.to_string(),
            Question::Manager => optional(&self.manager),
            Question::Buddy => optional(&self.buddy),
            Question::Tools if self.with.is_empty() => "none".to_string(),
            Question::Tools => self
                .with
                .iter()
                .map(|id| workspace.catalog.tool(id).name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The question whose answer is `username`.
    fn asking_for_user(&self, username: &str) -> Option<Question> {
        [
            (Question::Manager, &self.manager),
            (Question::Username, &self.username),
            (Question::Buddy, &self.buddy),
        ]
        .into_iter()
        .find(|(_, answer)| {
            answer
                .as_ref()
                .is_some_and(|a| a.as_str().eq_ignore_ascii_case(username))
        })
        .map(|(question, _)| question)
    }

    /// `err`, naming the question whose answer is wrong instead of a flag
    /// (`check --manager`) the person never typed.
    fn name_the_question(&self, err: Error) -> Error {
        let exit = err.exit_code();
        let problems: Vec<String> = match &err {
            Error::Fields(errors) => errors
                .0
                .iter()
                .map(|e| match Question::asking_for(e.field) {
                    Some(question) => answer_problem(question, e.message()),
                    None => e.to_string(),
                })
                .collect(),
            Error::Gitlab(GitlabError::UnknownUser { username, server })
            | Error::Filing(FilingError::Gitlab(GitlabError::UnknownUser { username, server })) => {
                match self.asking_for_user(username) {
                    Some(question) => vec![answer_problem(
                        question,
                        &format!("no GitLab user '{username}' on {server}"),
                    )],
                    None => return err,
                }
            }
            _ => return err,
        };
        Error::Answers { problems, exit }
    }
}

fn answer_problem(question: Question, message: &str) -> String {
    format!("the answer to \"{}\": {message}", question.title())
}

/// The three ways out of the review.
const REVIEW: [&str; 3] = [
    "Save the checklist",
    "Change an answer",
    "Quit without saving",
];

/// Runs the whole conversation; `None` when the person quit at the review,
/// having written nothing.
pub(crate) fn run(
    prompter: &mut dyn Prompter,
    context: &Context,
) -> Result<Option<Outcome>, Error> {
    let mut interview = Interview {
        prompter,
        context,
        // The first question is the name, so a new hire can start typing at
        // once; managers say `--for-someone-else` and get the questions about them.
        words: Wording {
            manager_mode: context.for_someone_else,
        },
        users: Directory::new(&context.gitlab),
    };
    interview.prompter.say(&interview.words.ask(
        "Welcome! A few questions, and you will have your onboarding checklist.",
        "A few questions about your new hire, and they will have their onboarding checklist.",
    ));
    let mut answers = interview.first_answers()?;
    let Some((hire, checklist)) = interview.review(&mut answers)? else {
        interview.prompter.say("Quit: nothing was saved.");
        return Ok(None);
    };
    let prompter = interview.prompter;
    let workspace = context.workspace;
    let document = ChecklistPages::new(&workspace.renderer, &workspace.plans())
        .render_checklist(&checklist)?;
    let path = save(prompter, &context.folder, &hire, &document)?;
    prompter.say(&format!("Saved the checklist to {}", path.display()));
    let filed = offer_access_requests(prompter, context, &hire)
        .map_err(|e| answers.name_the_question(e))?;
    let onboarding = offer_onboarding_issue(prompter, context, checklist, filed.as_ref())
        .map_err(|e| answers.name_the_question(e))?;
    Ok(Some(Outcome {
        hire,
        checklist: path,
        filed,
        onboarding,
    }))
}

/// The questions, asked through one prompter, checked as they are answered.
struct Interview<'p, 'c> {
    prompter: &'p mut dyn Prompter,
    context: &'c Context<'c>,
    words: Wording,
    users: Directory<'c>,
}

impl Interview<'_, '_> {
    fn first_answers(&mut self) -> Result<Answers, Interrupted> {
        let name = self.name(None)?;
        let email = self.email(None)?;
        let username = self.username(Question::Username)?;
        let role = self.role()?;
        let default_country = self
            .context
            .workspace
            .calendars
            .default_choice()
            .to_string();
        let (country, calendar) = self.country(&default_country)?;
        let first_day = calendar.next_business_day(self.context.window.today);
        let start = self.start(&calendar, first_day)?;
        let manager = self.username(Question::Manager)?;
        let buddy = self.username(Question::Buddy)?;
        let with = self.tools(&role)?;
        Ok(Answers {
            name,
            email,
            username,
            role,
            country,
            calendar,
            start,
            manager,
            buddy,
            with,
        })
    }

    /// Shows every answer until the person saves (the hire and their
    /// checklist) or quits (`None`); a changed answer is asked alone.
    fn review(&mut self, answers: &mut Answers) -> Result<Option<(Hire, Checklist)>, Error> {
        let workspace = self.context.workspace;
        let choices: Vec<Item> = REVIEW
            .iter()
            .map(|label| Item {
                label: (*label).to_string(),
                name: (*label).to_string(),
            })
            .collect();
        loop {
            let hire = workspace
                .resolve(answers.fields())
                .map_err(|e| answers.name_the_question(e.into()))?;
            let checklist = workspace.plans().checklist(&hire);
            self.prompter.say(
                &workspace
                    .renderer
                    .render(render::WIZARD_SUMMARY, &WizardSummary::of(&checklist))?,
            );
            match self
                .prompter
                .choose("Save, change an answer, or quit?", &choices)?
            {
                0 => return Ok(Some((hire, checklist))),
                1 => {
                    let question = self.which_answer(answers)?;
                    self.change(question, answers)?;
                }
                _ => return Ok(None),
            }
        }
    }

    fn which_answer(&mut self, answers: &Answers) -> Result<Question, Interrupted> {
        let workspace = self.context.workspace;
        let items: Vec<Item> = Question::ALL
            .iter()
            .map(|q| Item {
                label: format!("{}: {}", q.title(), answers.shown(*q, workspace)),
                name: q.title().to_string(),
            })
            .collect();
        let index = self.prompter.choose("Which answer?", &items)?;
        Question::ALL.get(index).copied().ok_or(Interrupted)
    }

    /// Asks `question` again, keeping what depends on it consistent: a new
    /// role keeps only the tools it offers, and a new country asks the start
    /// again if it is a holiday there.
    fn change(&mut self, question: Question, answers: &mut Answers) -> Result<(), Interrupted> {
        match question {
            Question::Name => answers.name = self.name(Some(answers.name.as_str()))?,
            Question::Email => answers.email = self.email(Some(answers.email.as_str()))?,
            Question::Username | Question::Manager | Question::Buddy => {
                let answer = self.username(question)?;
                match question {
                    Question::Username => answers.username = answer,
                    Question::Manager => answers.manager = answer,
                    _ => answers.buddy = answer,
                }
            }
            Question::Role => {
                answers.role = self.role()?;
                let offered = optional_tools(self.context.workspace, &answers.role);
                answers
                    .with
                    .retain(|id| offered.iter().any(|tool| tool.id == *id));
            }
            Question::Country => {
                (answers.country, answers.calendar) = self.country(&answers.country.to_string())?;
                if let Err(refused) = answers.calendar.check_start(answers.start) {
                    self.prompter.say(&refused.to_string());
                    answers.start = self.start(&answers.calendar, refused.next())?;
                }
            }
            Question::Start => answers.start = self.start(&answers.calendar, answers.start)?,
            Question::Tools => answers.with = self.tools(&answers.role)?,
        }
        Ok(())
    }

    fn name(&mut self, default: Option<&str>) -> Result<FullName, Interrupted> {
        let prompt = self.words.ask("Your full name", "Their full name");
        ask(self.prompter, &prompt, default, str::parse)
    }

    fn email(&mut self, default: Option<&str>) -> Result<Email, Interrupted> {
        let prompt = self.words.ask("Your work email", "Their work email");
        ask(self.prompter, &prompt, default, str::parse)
    }

    /// The hire's, manager's or buddy's username; with a token, one GitLab
    /// does not know is asked again.
    fn username(&mut self, question: Question) -> Result<Option<Username>, Interrupted> {
        let (prompt, field) = match question {
            Question::Manager => (
                self.words.ask(
                    "Your manager's GitLab username (optional; they approve your access requests)",
                    "Your GitLab username (optional; you approve their access requests)",
                ),
                Field::Manager,
            ),
            Question::Buddy => (
                self.words.ask(
                    "Your onboarding buddy's GitLab username (optional)",
                    "Their onboarding buddy's GitLab username (optional)",
                ),
                Field::Buddy,
            ),
            _ => (
                self.words.ask(
                    "Your GitLab username (optional)",
                    "Their GitLab username, if they have one (optional)",
                ),
                Field::Username,
            ),
        };
        loop {
            let answer = ask_optional(self.prompter, &prompt, |s| Username::parse(field, s))?;
            let Some(username) = answer else {
                return Ok(None);
            };
            match self.users.check(&username) {
                Verdict::Known | Verdict::Unchecked(None) => return Ok(Some(username)),
                Verdict::Unchecked(Some(notice)) => {
                    self.prompter.say(&notice);
                    return Ok(Some(username));
                }
                Verdict::Unknown(why) => self
                    .prompter
                    .say(&format!("{why}; please try again (or leave it empty)")),
            }
        }
    }

    fn role(&mut self) -> Result<RoleId, Interrupted> {
        choose_role(self.prompter, self.context.workspace, &self.words)
    }

    fn country(&mut self, default: &str) -> Result<(CountryChoice, Arc<Calendar>), Interrupted> {
        let calendars = &self.context.workspace.calendars;
        let prompt = self.words.ask(
            "The country you work from, for its public holidays (a name or a code such as Japan, GB or DE, a region such as England or GB-ENG, or none)",
            "The country they work from, for its public holidays (a name or a code such as Japan, GB or DE, a region such as England or GB-ENG, or none)",
        );
        let answer = ask(self.prompter, &prompt, Some(default), |text| {
            let choice = calendars.find(text)?;
            let calendar = calendars.get(Some(&choice))?;
            Ok::<_, String>((choice, calendar))
        })?;
        if let Some(note) = calendars.regional_warning(&answer.1) {
            self.prompter.say(&format!("warning: {note}"));
        }
        Ok(answer)
    }

    /// The start date; after a weekend or holiday is refused, the business
    /// day suggested becomes the default, so Enter takes it.
    fn start(&mut self, calendar: &Calendar, default: NaiveDate) -> Result<NaiveDate, Interrupted> {
        let window = self.context.window;
        let prompt = self.words.ask(
            "Your start date (YYYY-MM-DD)",
            "Their start date (YYYY-MM-DD)",
        );
        let default = default.to_string();
        let start = ask_suggesting(self.prompter, &prompt, Some(&default), |text| {
            let date = parse_date(Field::Start, text).map_err(|e| Refusal::because(e.message()))?;
            window
                .check(Field::Start, date)
                .map_err(|e| Refusal::because(e.message()))?;
            calendar.check_start(date).map_err(|refused| Refusal {
                why: refused.to_string(),
                instead: Some(refused.next().to_string()),
            })?;
            Ok(date)
        })?;
        if let Ok(Some(note)) = window.check(Field::Start, start) {
            self.prompter.say(&format!("warning: {note}"));
        }
        Ok(start)
    }

    fn tools(&mut self, role: &RoleId) -> Result<Vec<ToolId>, Interrupted> {
        choose_optional_tools(self.prompter, self.context.workspace, role, &self.words)
    }
}

/// Why an answer was refused, and the answer to offer next instead.
struct Refusal {
    why: String,
    instead: Option<String>,
}

impl Refusal {
    fn because(why: impl Display) -> Self {
        Self {
            why: why.to_string(),
            instead: None,
        }
    }
}

/// Asks until `parse` accepts the answer, saying why each refusal happened.
fn ask<T, E: Display>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, Interrupted> {
    ask_suggesting(prompter, prompt, default, |answer| {
        parse(answer).map_err(|why| Refusal::because(why))
    })
}

/// Like [`ask`], but a refusal can offer a better default for the next try.
fn ask_suggesting<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Result<T, Refusal>,
) -> Result<T, Interrupted> {
    let mut default = default.map(str::to_string);
    loop {
        let answer = prompter.text(prompt, default.as_deref())?;
        match parse(&answer) {
            Ok(value) => return Ok(value),
            Err(refusal) => {
                prompter.say(&format!("{}; please try again", refusal.why));
                if refusal.instead.is_some() {
                    default = refusal.instead;
                }
            }
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
    let optional = optional_tools(workspace, &role.id);
    if optional.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<Item> = optional
        .iter()
        .map(|tool| Item {
            label: format!("{}: {}", tool.name, tool.purpose),
            name: tool.name.clone(),
        })
        .collect();
    let chosen = prompter.choose_many(
        &words.ask(
            "Optional tools you want (space to tick, enter to finish)",
            "Optional tools they need (space to tick, enter to finish)",
        ),
        &items,
    )?;
    Ok(chosen
        .into_iter()
        .filter_map(|i| optional.get(i).map(|tool| tool.id.clone()))
        .collect())
}

/// The tools `role` offers on request, in the catalogue's order.
fn optional_tools<'w>(workspace: &'w Workspace, role: &RoleId) -> Vec<&'w Tool> {
    let catalog = &workspace.catalog;
    catalog
        .role(role)
        .tools
        .iter()
        .filter(|t| t.optional)
        .map(|t| catalog.tool(&t.tool))
        .collect()
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
pub(crate) fn checklist_command(name: &str, role: &str, start: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hire::FieldErrors;

    fn answers(manager: &str, buddy: &str) -> Answers {
        let catalog = crate::catalog::load(&crate::source::FileSet::embedded_roles())
            .expect("the embedded catalogue loads");
        Answers {
            name: "Ada Lovelace".parse().unwrap(),
            email: "ada@example.com".parse().unwrap(),
            username: None,
            role: catalog.roles()[0].id.clone(),
            country: CountryChoice::NoCountry,
            calendar: Arc::new(Calendar::default()),
            start: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            manager: Some(Username::parse(Field::Manager, manager).unwrap()),
            buddy: Some(Username::parse(Field::Buddy, buddy).unwrap()),
            with: Vec::new(),
        }
    }

    #[test]
    fn an_unknown_user_at_filing_names_the_question_not_the_flag() {
        let unknown = |username: &str| {
            Error::Filing(FilingError::Gitlab(GitlabError::UnknownUser {
                username: username.to_string(),
                server: "https://gitlab.example.com".to_string(),
            }))
        };
        let err = answers("mgr.jnoes", "sam.lee").name_the_question(unknown("mgr.jnoes"));
        assert_eq!(
            err.to_string(),
            "the answer to \"Manager\": no GitLab user 'mgr.jnoes' on https://gitlab.example.com"
        );
        assert_eq!(err.exit_code(), crate::error::exit::GITLAB);
        let err = answers("mgr.jones", "sam.leee").name_the_question(unknown("sam.leee"));
        assert!(
            err.to_string().starts_with("the answer to \"Buddy\""),
            "{err}"
        );
    }

    #[test]
    fn a_refused_field_names_the_question_and_keeps_its_exit_code() {
        let refused = Error::Fields(FieldErrors(vec![FieldError::catalog(
            Field::With,
            "'datafox' is not an optional tool of the role",
        )]));
        let err = answers("mgr.jones", "sam.lee").name_the_question(refused);
        assert_eq!(
            err.to_string(),
            "the answer to \"Optional tools\": 'datafox' is not an optional tool of the role"
        );
        assert_eq!(err.exit_code(), crate::error::exit::INVALID);
    }
}
