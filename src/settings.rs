//! The command line, the environment, the config file and the terminal,
//! turned once into [`Settings`] and an [`Action`]: the only code that reads
//! the environment, and the only code that sees clap's types. Commands get
//! checked values and never look anywhere else.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use crate::cli::{self, Cli, Command, HireArgs};
use crate::config::{self, AccessRequestConfig, Config};
use crate::gitlab::{
    Gitlab, Server, Timing, Token, Vouchers, DEFAULT_ONBOARDING_PROJECT, DEFAULT_PROJECT,
    DEFAULT_URL,
};
use crate::hire::{
    parse_date, CountryChoice, Email, Field, FieldErrors, HireFields, HireText, StartWindow,
};
use crate::lifecycle::people::{LeaverText, MoverText, People};
use crate::lifecycle::Lifecycle;
use crate::output;
use crate::Error;

/// Every environment variable `onboard` reads, with what it does: for the
/// manual page's ENVIRONMENT section.
pub(crate) const VARIABLES: &[(&str, &str)] = &[
    ("GITLAB_TOKEN", "The personal access token (scope api; read_api to plan and dry-run) for filing and status. It is read from this variable only, never from a flag, and never printed."),
    ("GITLAB_HOST", "The GitLab address when --gitlab-url is not given; before the config file's gitlab.url, then https://gitlab.com."),
    ("ONBOARD_CONFIG", "The config file to use instead of the default one; it must exist."),
    ("XDG_CONFIG_HOME", "Where the default config file is looked for: $XDG_CONFIG_HOME/onboard/config.yaml (default ~/.config)."),
    ("XDG_STATE_HOME", "Where the filing journal is kept unless the config says otherwise: $XDG_STATE_HOME/onboard/journal.json (default ~/.local/state)."),
    ("HOME", "The base of the default folders above."),
    ("NO_COLOR", "When set and not empty, nothing is coloured: the wizard's prompts and the status table."),
    ("HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY", "A proxy for GitLab, as usual; never used for a loopback address."),
    ("COMPLETE", "Set by the script onboard completions prints, to ask the binary for completion candidates instead of running a command."),
    ("ONBOARD_TIME_SCALE", "For tests only: a number from 0 to 1 that multiplies every deliberate wait (backoff, rate limits)."),
];

/// What the process was started with, read once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Environment {
    /// `GITLAB_TOKEN`.
    pub token: Option<String>,
    /// `GITLAB_HOST`.
    pub gitlab_host: Option<String>,
    /// `ONBOARD_CONFIG`.
    pub config: Option<PathBuf>,
    /// `NO_COLOR` is set and not empty.
    pub no_color: bool,
    /// `ONBOARD_TIME_SCALE`: multiplies every deliberate wait; for tests.
    pub time_scale: Option<String>,
    /// The working folder.
    pub cwd: PathBuf,
    /// Today, in local time.
    pub today: NaiveDate,
    /// `ONBOARD_TODAY`: the day to take as today; for tests and automation.
    pub today_override: Option<String>,
}

impl Environment {
    /// Reads the process environment.
    pub(crate) fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            token: var(crate::gitlab::TOKEN_VARIABLE),
            gitlab_host: var("GITLAB_HOST"),
            config: std::env::var_os("ONBOARD_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            no_color: var("NO_COLOR").is_some(),
            time_scale: var("ONBOARD_TIME_SCALE"),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            today: chrono::Local::now().date_naive(),
            today_override: var("ONBOARD_TODAY"),
        }
    }
}

/// The catalogue folder of a command line a shell is completing: its
/// `--roles DIR`, else the config file's `roles:`; `None` for the embedded
/// catalogue. Never fails: a completion offers what it can.
pub(crate) fn completion_roles() -> Option<PathBuf> {
    // The shell passes the words being completed after `--`.
    let words: Vec<std::ffi::OsString> = std::env::args_os()
        .skip_while(|word| word != "--")
        .collect();
    let mut flag = false;
    for word in &words {
        let text = word.to_string_lossy();
        if flag {
            return Some(PathBuf::from(word));
        }
        if let Some(dir) = text.strip_prefix("--roles=") {
            return Some(PathBuf::from(dir));
        }
        flag = text == "--roles";
    }
    let config = match std::env::var_os("ONBOARD_CONFIG").filter(|v| !v.is_empty()) {
        Some(path) => Config::load(&PathBuf::from(path), true).ok()?,
        None => Config::load(&config::default_path()?, false).ok()?,
    };
    config.roles
}

/// Which standard streams are terminals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Terminal {
    /// Standard input is a terminal.
    pub stdin: bool,
    /// Standard error is a terminal.
    pub stderr: bool,
}

impl Terminal {
    /// Looks at the process's streams.
    pub(crate) fn detect() -> Self {
        Self {
            stdin: std::io::stdin().is_terminal(),
            stderr: std::io::stderr().is_terminal(),
        }
    }

    /// A person can be asked a question.
    pub(crate) fn interactive(self) -> bool {
        self.stdin && self.stderr
    }
}

/// Where the catalogue, templates and extra holidays come from; `None` is embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sources {
    /// A catalogue folder.
    pub roles: Option<PathBuf>,
    /// A templates folder overriding the embedded ones.
    pub templates: Option<PathBuf>,
    /// A holiday list.
    pub holidays: Option<PathBuf>,
    /// The company's default country, for the public holidays of a hire
    /// who names none.
    pub country: Option<CountryChoice>,
}

/// Everything a command needs besides its own arguments.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Catalogue and templates.
    pub sources: Sources,
    /// The filing journal.
    pub journal: PathBuf,
    /// Overrides for access-request labels and confidentiality.
    pub access_requests: AccessRequestConfig,
    /// The labels onboarding issues carry.
    pub onboarding_labels: Vec<String>,
    /// Business days an access request takes once approved (default 3).
    pub access_request_days: u32,
    /// Offboarding project, removal labels and deadlines, longest access.
    pub lifecycle: Lifecycle,
    /// Which streams are terminals.
    pub terminal: Terminal,
    /// Colour is allowed.
    pub color: bool,
    /// The working folder.
    pub cwd: PathBuf,
}

/// How a checklist is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// GitLab-flavoured Markdown.
    Markdown,
    /// JSON.
    Json,
}

/// Filing flags shared by `access file` and `batch --file-access`.
#[derive(Debug, Clone)]
pub(crate) struct Filing {
    /// Where.
    pub gitlab: Gitlab,
    /// Send no write.
    pub dry_run: bool,
    /// Do not ask.
    pub yes: bool,
}

/// `transfer` and `offboard`: where, and whether to write.
#[derive(Debug, Clone)]
pub(crate) struct LifecycleFiling {
    /// Where and whether to write.
    pub filing: Filing,
    /// Print JSON.
    pub json: bool,
}

/// `transfer`'s arguments. Each person's fields are checked once their
/// name is known, which may come from their onboarding issue.
#[derive(Debug, Clone)]
pub(crate) struct Transfer {
    /// Who moves.
    pub people: People<MoverText>,
    /// How far from today an effective day may be.
    pub window: StartWindow,
    /// Where and how.
    pub filing: LifecycleFiling,
}

/// `offboard`'s arguments.
#[derive(Debug, Clone)]
pub(crate) struct Offboard {
    /// Who leaves.
    pub people: People<LeaverText>,
    /// Where and how.
    pub filing: LifecycleFiling,
}

/// What to do, with every argument checked.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// `roles list`.
    RolesList {
        /// As JSON.
        json: bool,
    },
    /// `roles show`.
    RolesShow {
        /// The role id as given.
        role: String,
        /// As JSON.
        json: bool,
    },
    /// `tools list`.
    ToolsList {
        /// As JSON.
        json: bool,
    },
    /// `tools show`.
    ToolsShow {
        /// The tool id as given.
        tool: String,
        /// As JSON.
        json: bool,
    },
    /// `validate`.
    Validate {
        /// Assumptions count as problems.
        strict: bool,
    },
    /// `checklist`.
    Checklist {
        /// Who.
        hire: HireFields,
        /// Markdown or JSON.
        format: Format,
        /// Where to write it; stdout when `None`.
        output: Option<PathBuf>,
        /// Replace an existing file.
        force: bool,
        /// File it as the onboarding issue.
        filing: Option<Filing>,
    },
    /// `wizard`.
    Wizard {
        /// Phrase the questions for a manager.
        for_someone_else: bool,
        /// How far from today a start may be.
        window: StartWindow,
        /// Where access requests would go.
        gitlab: Gitlab,
    },
    /// `access plan`.
    AccessPlan {
        /// Who.
        hire: HireFields,
        /// As JSON.
        json: bool,
    },
    /// `access file`.
    AccessFile {
        /// Who.
        hire: HireFields,
        /// How.
        filing: Filing,
        /// Print the result as JSON.
        json: bool,
    },
    /// `batch`.
    Batch {
        /// The roster file.
        roster: PathBuf,
        /// How far from today a start may be.
        window: StartWindow,
        /// The output folder.
        out: PathBuf,
        /// Replace checklists edited by hand.
        force: bool,
        /// Go on with the valid rows.
        skip_invalid: bool,
        /// Where and how to file, when filing anything.
        filing: Option<Filing>,
        /// File access requests.
        file_access: bool,
        /// File onboarding issues.
        file_onboarding: bool,
        /// Filing workers.
        jobs: usize,
        /// Print the summary as JSON.
        json: bool,
    },
    /// `status`.
    Status(Status),
    /// `transfer`.
    Transfer(Box<Transfer>),
    /// `offboard`.
    Offboard(Box<Offboard>),
    /// `completions SHELL`.
    Completions(clap_complete::Shell),
    /// `man`.
    Man,
}

/// Whose status to read.
#[derive(Debug, Clone)]
pub(crate) enum Subjects {
    /// Every hire of a roster.
    Roster(PathBuf),
    /// One hire, from flags.
    One(Box<HireFields>),
    /// One hire, known only by their work email.
    Email(Email),
}

/// `status`, checked.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// Whose.
    pub subjects: Subjects,
    /// The day overdue work is judged by.
    pub as_of: NaiveDate,
    /// The day it is (`ONBOARD_TODAY`, else the machine's date).
    pub today: NaiveDate,
    /// Print JSON.
    pub json: bool,
    /// Write an HTML page here.
    pub html: Option<PathBuf>,
    /// Post reminders: `Some(dry_run)`.
    pub remind: Option<bool>,
    /// Do not ask before posting.
    pub yes: bool,
    /// Exit 6 on overdue work.
    pub fail_on_overdue: bool,
    /// Readers at once.
    pub jobs: usize,
    /// Where.
    pub gitlab: Gitlab,
}

/// Resolves a parsed command line against the environment, the config file and
/// the terminal. The token, if any, is registered for redaction here, before
/// anything is printed.
pub(crate) fn resolve(
    cli: Cli,
    env: &Environment,
    terminal: Terminal,
) -> Result<(Settings, Action), Error> {
    if let Some(token) = &env.token {
        output::redact_everywhere(token.trim());
    }
    let config = match &env.config {
        Some(path) => Config::load(path, true)?,
        None => match config::default_path() {
            Some(path) => Config::load(&path, false)?,
            None => Config::default(),
        },
    };
    let sources = Sources {
        roles: cli.sources.roles.clone().or(config.roles.clone()),
        templates: cli.sources.templates.clone().or(config.templates.clone()),
        holidays: cli.sources.holidays.clone().or(config.holidays.clone()),
        country: config
            .country
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| FieldErrors(vec![e]))?,
    };
    let gitlab = |args: &cli::GitlabArgs| gitlab(args, env, &config);
    let today = match &env.today_override {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| Error::BadToday(text.clone()))?,
        None => env.today,
    };
    let window = |allow_far: bool| StartWindow { today, allow_far };
    let hire = |args: &HireArgs| hire(args, window(args.allow_far_start));
    let action = match cli.command {
        Command::Roles {
            command: cli::RolesCommand::List { json },
        } => Action::RolesList { json },
        Command::Roles {
            command: cli::RolesCommand::Show { role, json },
        } => Action::RolesShow { role, json },
        Command::Tools {
            command: cli::ToolsCommand::List { json },
        } => Action::ToolsList { json },
        Command::Tools {
            command: cli::ToolsCommand::Show { tool, json },
        } => Action::ToolsShow { tool, json },
        Command::Validate(args) => Action::Validate {
            strict: args.strict,
        },
        Command::Checklist(args) => Action::Checklist {
            hire: hire(&args.hire)?,
            format: if args.json || args.format == Some(cli::Format::Json) {
                Format::Json
            } else {
                Format::Markdown
            },
            output: args.output,
            force: args.force,
            filing: if args.file {
                let mut gitlab = gitlab(&cli::GitlabArgs {
                    project: None,
                    ..args.gitlab.clone()
                })?;
                if let Some(project) = args.gitlab.project.as_deref() {
                    gitlab.onboarding_project = project_path(project)?;
                }
                Some(Filing {
                    gitlab,
                    dry_run: args.dry_run,
                    yes: args.yes,
                })
            } else {
                None
            },
        },
        Command::Wizard(args) => Action::Wizard {
            for_someone_else: args.for_someone_else,
            window: window(args.allow_far_start),
            gitlab: gitlab(&args.gitlab)?,
        },
        Command::Access {
            command: cli::AccessCommand::Plan { hire: args, json },
        } => Action::AccessPlan {
            hire: hire(&args)?,
            json,
        },
        Command::Access {
            command: cli::AccessCommand::File(args),
        } => Action::AccessFile {
            hire: hire(&args.hire)?,
            filing: Filing {
                gitlab: gitlab(&args.gitlab)?,
                dry_run: args.dry_run,
                yes: args.yes,
            },
            json: args.json,
        },
        Command::Batch(args) => Action::Batch {
            json: args.json,
            filing: if args.file_access || args.file_onboarding {
                let mut gitlab = gitlab(&args.gitlab)?;
                if let Some(project) = args.onboarding_project.as_deref() {
                    gitlab.onboarding_project = project_path(project)?;
                }
                Some(Filing {
                    gitlab,
                    dry_run: false,
                    yes: args.yes,
                })
            } else {
                None
            },
            file_access: args.file_access,
            file_onboarding: args.file_onboarding,
            roster: args.roster,
            window: window(args.allow_far_start),
            out: args.out,
            force: args.force,
            skip_invalid: args.skip_invalid,
            jobs: usize::from(args.jobs),
        },
        Command::Status(args) => Action::Status(status(args, env, &config, today)?),
        Command::Transfer(args) => Action::Transfer(Box::new(Transfer {
            filing: lifecycle_filing(&args.filing, env, &config)?,
            people: match args.roster {
                Some(roster) => People::Roster(roster),
                None => People::One(Box::new(MoverText {
                    person: HireText {
                        name: args.name,
                        email: args.email,
                        username: args.username,
                        role: args.to,
                        start: args.effective,
                        manager: args.manager,
                        with: args.with,
                        without: args.without,
                        country: args.country,
                        access_until: args.access_until,
                        ..HireText::default()
                    },
                    from: args.from,
                })),
            },
            window: window(false),
        })),
        Command::Offboard(args) => Action::Offboard(Box::new(Offboard {
            filing: lifecycle_filing(&args.filing, env, &config)?,
            people: match args.roster {
                Some(roster) => People::Roster(roster),
                None => People::One(Box::new(LeaverText {
                    email: args.email.unwrap_or_default(),
                    last_day: args.last_day.unwrap_or_default(),
                    name: args.name,
                    role: args.role,
                    manager: args.manager,
                })),
            },
        })),
        Command::Completions { shell } => Action::Completions(shell),
        Command::Man => Action::Man,
    };
    let settings = Settings {
        sources,
        journal: config
            .journal
            .clone()
            .unwrap_or_else(config::default_journal_path),
        access_requests: config.access_requests.clone(),
        onboarding_labels: config.onboarding_labels.clone().unwrap_or_else(|| {
            crate::onboarding::DEFAULT_LABELS
                .iter()
                .map(ToString::to_string)
                .collect()
        }),
        access_request_days: config.access_request_days.map_or(
            config::DEFAULT_ACCESS_REQUEST_DAYS,
            std::num::NonZeroU32::get,
        ),
        lifecycle: lifecycle(&config)?,
        terminal,
        color: !env.no_color && terminal.stderr,
        cwd: env.cwd.clone(),
    };
    Ok((settings, action))
}

/// `transfer`'s and `offboard`'s connection.
fn lifecycle_filing(
    args: &cli::LifecycleFiling,
    env: &Environment,
    config: &Config,
) -> Result<LifecycleFiling, Error> {
    let mut gitlab = gitlab(&args.gitlab, env, config)?;
    if let Some(project) = args.onboarding_project.as_deref() {
        gitlab.onboarding_project = project_path(project)?;
    }
    Ok(LifecycleFiling {
        filing: Filing {
            gitlab,
            dry_run: args.dry_run,
            yes: args.yes,
        },
        json: args.json,
    })
}

/// The config's settings for movers and leavers, defaults filled in.
fn lifecycle(config: &Config) -> Result<Lifecycle, Error> {
    let defaults = Lifecycle::default();
    Ok(Lifecycle {
        offboarding_project: project_path(
            config
                .offboarding_project
                .as_deref()
                .unwrap_or(&defaults.offboarding_project),
        )?,
        removal_labels: config
            .removal_labels
            .clone()
            .unwrap_or(defaults.removal_labels),
        deprovision_days: config.deprovision_days.unwrap_or(defaults.deprovision_days),
        max_access_days: config.max_access_days.unwrap_or(defaults.max_access_days),
    })
}

/// The hire flags, each field checked for shape and the start against `window`.
fn hire(args: &HireArgs, window: StartWindow) -> Result<HireFields, FieldErrors> {
    HireText {
        name: Some(args.name.clone()),
        email: args.email.clone(),
        username: args.username.clone(),
        role: Some(args.role.clone()),
        start: Some(args.start.clone()),
        manager: args.manager.clone(),
        buddy: args.buddy.clone(),
        with: args.with.clone(),
        without: args.without.clone(),
        country: args.country.clone(),
        access_until: args.access_until.clone(),
    }
    .check(&[], Some(window))
}

/// Where to file: flags, then `GITLAB_HOST`, then the config file, then gitlab.com.
fn gitlab(args: &cli::GitlabArgs, env: &Environment, config: &Config) -> Result<Gitlab, Error> {
    let url = args
        .gitlab_url
        .clone()
        .or_else(|| env.gitlab_host.clone())
        .or_else(|| config.gitlab.url.clone())
        .unwrap_or_else(|| DEFAULT_URL.to_string());
    let project = project_path(
        &args
            .project
            .clone()
            .or_else(|| config.gitlab.project.clone())
            .unwrap_or_else(|| DEFAULT_PROJECT.to_string()),
    )?;
    let onboarding_project = project_path(
        config
            .onboarding_project
            .as_deref()
            .unwrap_or(DEFAULT_ONBOARDING_PROJECT),
    )?;
    let scale = match &env.time_scale {
        Some(text) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| (0.0..=1.0).contains(s))
            .ok_or_else(|| Error::BadTimeScale(text.clone()))?,
        None => 1.0,
    };
    let defaults = Timing::default();
    Ok(Gitlab {
        server: Server::parse(&url)?,
        project,
        onboarding_project,
        token: env.token.as_deref().and_then(Token::new),
        timing: Timing {
            timeout: Duration::from_secs(args.timeout),
            give_up_after: config
                .gitlab
                .give_up_after
                .map_or(defaults.give_up_after, Duration::from_secs),
            scale,
            max_answer_bytes: config
                .gitlab
                .max_response_mib
                .map_or(defaults.max_answer_bytes, |mib| {
                    mib.get().saturating_mul(1024 * 1024)
                }),
            max_pages: config
                .gitlab
                .max_pages
                .map_or(defaults.max_pages, std::num::NonZeroU32::get),
            ..defaults
        },
        trusted_authors: usernames(&config.trusted_authors),
        vouchers: Vouchers {
            approvers: usernames(&config.approvers),
            provisioners: config
                .provisioners
                .iter()
                .map(|(team, users)| (team.clone(), usernames(users)))
                .collect(),
        },
    })
}

/// The config's usernames, without `@` and blanks.
fn usernames(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|u| u.trim().trim_start_matches('@').to_string())
        .filter(|u| !u.is_empty())
        .collect()
}

/// A project path or id, trimmed; an empty one is refused.
fn project_path(text: &str) -> Result<String, Error> {
    let project = text.trim().trim_matches('/').to_string();
    if project.is_empty() {
        Err(Error::EmptyProject)
    } else {
        Ok(project)
    }
}

/// `status`'s arguments: a roster, one hire's flags, or an email alone.
fn status(
    args: cli::StatusArgs,
    env: &Environment,
    config: &Config,
    today: NaiveDate,
) -> Result<Status, Error> {
    let mut gitlab = gitlab(&args.gitlab, env, config)?;
    if let Some(project) = args.onboarding_project.as_deref() {
        gitlab.onboarding_project = project_path(project)?;
    }
    let one = args.role.is_some() || args.name.is_some() || args.start.is_some();
    let subjects = match (args.roster, one, args.email) {
        (Some(roster), _, _) => Subjects::Roster(roster),
        (None, true, email) => Subjects::One(Box::new(
            HireText {
                name: args.name,
                email,
                role: args.role,
                start: args.start,
                with: args.with,
                without: args.without,
                country: args.country,
                ..HireText::default()
            }
            .check(&[Field::Email], None)?,
        )),
        (None, false, Some(email)) => {
            Subjects::Email(email.parse().map_err(|e| FieldErrors(vec![e]))?)
        }
        (None, false, None) => return Err(Error::NoSubjects),
    };
    let as_of = match args.as_of.as_deref() {
        Some(text) => parse_date(Field::AsOf, text).map_err(|e| FieldErrors(vec![e]))?,
        None => today,
    };
    Ok(Status {
        subjects,
        as_of,
        today,
        json: args.json,
        html: args.html,
        remind: args.remind.then_some(args.dry_run),
        yes: args.yes,
        fail_on_overdue: args.fail_on_overdue,
        jobs: usize::from(args.jobs),
        gitlab,
    })
}
