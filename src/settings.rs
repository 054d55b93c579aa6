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

/// `roles list` and `tools list`.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    /// As JSON.
    pub json: bool,
}

/// `roles show`.
#[derive(Debug, Clone)]
pub(crate) struct RoleShow {
    /// The role id as given.
    pub role: String,
    /// As JSON.
    pub json: bool,
}

/// `tools show`.
#[derive(Debug, Clone)]
pub(crate) struct ToolShow {
    /// The tool id as given.
    pub tool: String,
    /// As JSON.
    pub json: bool,
}

/// `validate`.
#[derive(Debug, Clone)]
pub(crate) struct Validate {
    /// Assumptions count as problems.
    pub strict: bool,
}

/// Where a checklist goes.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    /// Markdown or JSON.
    pub format: Format,
    /// A file; stdout when `None` and not filing.
    pub path: Option<PathBuf>,
    /// Replace an existing file.
    pub force: bool,
}

/// `checklist`.
#[derive(Debug, Clone)]
pub(crate) struct Checklist {
    /// Who.
    pub hire: HireFields,
    /// Where the document goes.
    pub output: Output,
    /// File it as the onboarding issue.
    pub filing: Option<Filing>,
}

/// `wizard`.
#[derive(Debug, Clone)]
pub(crate) struct Wizard {
    /// Phrase the questions for a manager.
    pub for_someone_else: bool,
    /// How far from today a start may be.
    pub window: StartWindow,
    /// Where access requests would go.
    pub gitlab: Gitlab,
}

/// `access plan`.
#[derive(Debug, Clone)]
pub(crate) struct AccessPlan {
    /// Who.
    pub hire: HireFields,
    /// As JSON.
    pub json: bool,
}

/// `access file`.
#[derive(Debug, Clone)]
pub(crate) struct AccessFile {
    /// Who.
    pub hire: HireFields,
    /// How.
    pub filing: Filing,
    /// Print the result as JSON.
    pub json: bool,
}

/// `batch`.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    /// The roster file (`-`: stdin).
    pub roster: PathBuf,
    /// How far from today a start may be.
    pub window: StartWindow,
    /// The output folder.
    pub out: PathBuf,
    /// Replace checklists edited by hand.
    pub force: bool,
    /// Go on with the valid rows, listing the others.
    pub skip_invalid: bool,
    /// Where and how to file, when filing anything.
    pub filing: Option<Filing>,
    /// File access requests.
    pub file_access: bool,
    /// File onboarding issues.
    pub file_onboarding: bool,
    /// Filing workers.
    pub jobs: usize,
    /// Print the summary as JSON.
    pub json: bool,
}

/// What to do, with every argument checked.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// `roles list`.
    RolesList(Listing),
    /// `roles show`.
    RolesShow(RoleShow),
    /// `tools list`.
    ToolsList(Listing),
    /// `tools show`.
    ToolsShow(ToolShow),
    /// `validate`.
    Validate(Validate),
    /// `checklist`.
    Checklist(Checklist),
    /// `wizard`.
    Wizard(Wizard),
    /// `access plan`.
    AccessPlan(AccessPlan),
    /// `access file`.
    AccessFile(AccessFile),
    /// `batch`.
    Batch(Batch),
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
    let config = load_config(env)?;
    let sources = sources(&cli.sources, &config)?;
    let resolver = Resolver {
        env,
        config: &config,
        today: today(env)?,
    };
    let action = resolver.action(cli.command)?;
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

/// `ONBOARD_CONFIG`'s file, which must exist, else the default one if it
/// does, else no config at all.
fn load_config(env: &Environment) -> Result<Config, Error> {
    Ok(match &env.config {
        Some(path) => Config::load(path, true)?,
        None => match config::default_path() {
            Some(path) => Config::load(&path, false)?,
            None => Config::default(),
        },
    })
}

/// The folders given as flags, else the config file's.
fn sources(args: &cli::SourceArgs, config: &Config) -> Result<Sources, Error> {
    Ok(Sources {
        roles: args.roles.clone().or(config.roles.clone()),
        templates: args.templates.clone().or(config.templates.clone()),
        holidays: args.holidays.clone().or(config.holidays.clone()),
        country: config
            .country
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| FieldErrors(vec![e]))?,
    })
}

/// `ONBOARD_TODAY` when set, else the local date.
fn today(env: &Environment) -> Result<NaiveDate, Error> {
    match &env.today_override {
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| Error::BadToday(text.clone())),
        None => Ok(env.today),
    }
}

/// What a command's own flags are checked against: the environment, the
/// config file and today.
struct Resolver<'a> {
    env: &'a Environment,
    config: &'a Config,
    today: NaiveDate,
}

impl Resolver<'_> {
    /// The command, every argument checked.
    fn action(&self, command: Command) -> Result<Action, Error> {
        Ok(match command {
            Command::Roles {
                command: cli::RolesCommand::List { json },
            } => Action::RolesList(Listing { json }),
            Command::Roles {
                command: cli::RolesCommand::Show { role, json },
            } => Action::RolesShow(RoleShow { role, json }),
            Command::Tools {
                command: cli::ToolsCommand::List { json },
            } => Action::ToolsList(Listing { json }),
            Command::Tools {
                command: cli::ToolsCommand::Show { tool, json },
            } => Action::ToolsShow(ToolShow { tool, json }),
            Command::Validate(args) => Action::Validate(Validate {
                strict: args.strict,
            }),
            Command::Checklist(args) => Action::Checklist(self.checklist(args)?),
            Command::Wizard(args) => Action::Wizard(Wizard {
                for_someone_else: args.for_someone_else,
                window: self.window(args.allow_far_start),
                gitlab: self.gitlab(&args.gitlab)?,
            }),
            Command::Access {
                command: cli::AccessCommand::Plan { hire, json },
            } => Action::AccessPlan(AccessPlan {
                hire: self.hire(&hire)?,
                json,
            }),
            Command::Access {
                command: cli::AccessCommand::File(args),
            } => Action::AccessFile(AccessFile {
                hire: self.hire(&args.hire)?,
                filing: Filing {
                    gitlab: self.gitlab(&args.gitlab)?,
                    dry_run: args.dry_run,
                    yes: args.yes,
                },
                json: args.json,
            }),
            Command::Batch(args) => Action::Batch(self.batch(args)?),
            Command::Status(args) => Action::Status(self.status(args)?),
            Command::Transfer(args) => Action::Transfer(Box::new(self.transfer(args)?)),
            Command::Offboard(args) => Action::Offboard(Box::new(self.offboard(args)?)),
            Command::Completions { shell } => Action::Completions(shell),
            Command::Man => Action::Man,
        })
    }

    /// How far from today a start may be.
    fn window(&self, allow_far: bool) -> StartWindow {
        StartWindow {
            today: self.today,
            allow_far,
        }
    }

    /// The hire flags, each field checked for shape and the start against
    /// the window.
    fn hire(&self, args: &HireArgs) -> Result<HireFields, FieldErrors> {
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
        .check(&[], Some(self.window(args.allow_far_start)))
    }

    /// Where to file.
    fn gitlab(&self, args: &cli::GitlabArgs) -> Result<Gitlab, Error> {
        gitlab(args, self.env, self.config)
    }

    /// Where to file, with the onboarding project a flag names, if one does.
    fn gitlab_onboarding(
        &self,
        args: &cli::GitlabArgs,
        onboarding_project: Option<&str>,
    ) -> Result<Gitlab, Error> {
        let mut gitlab = self.gitlab(args)?;
        if let Some(project) = onboarding_project {
            gitlab.onboarding_project = project_path(project)?;
        }
        Ok(gitlab)
    }

    /// `checklist`'s arguments. Its `--project` names the onboarding
    /// project, the only one it files in.
    fn checklist(&self, args: cli::ChecklistArgs) -> Result<Checklist, Error> {
        let hire = self.hire(&args.hire)?;
        let filing = if args.file {
            let gitlab = self.gitlab_onboarding(
                &cli::GitlabArgs {
                    project: None,
                    ..args.gitlab.clone()
                },
                args.gitlab.project.as_deref(),
            )?;
            Some(Filing {
                gitlab,
                dry_run: args.dry_run,
                yes: args.yes,
            })
        } else {
            None
        };
        Ok(Checklist {
            hire,
            output: Output {
                format: if args.json || args.format == Some(cli::Format::Json) {
                    Format::Json
                } else {
                    Format::Markdown
                },
                path: args.output,
                force: args.force,
            },
            filing,
        })
    }

    /// `batch`'s arguments.
    fn batch(&self, args: cli::BatchArgs) -> Result<Batch, Error> {
        let filing = if args.file_access || args.file_onboarding {
            Some(Filing {
                gitlab: self.gitlab_onboarding(&args.gitlab, args.onboarding_project.as_deref())?,
                dry_run: false,
                yes: args.yes,
            })
        } else {
            None
        };
        Ok(Batch {
            json: args.json,
            filing,
            file_access: args.file_access,
            file_onboarding: args.file_onboarding,
            roster: args.roster,
            window: self.window(args.allow_far_start),
            out: args.out,
            force: args.force,
            skip_invalid: args.skip_invalid,
            jobs: usize::from(args.jobs),
        })
    }

    /// `transfer`'s arguments: a roster, or one mover from flags.
    fn transfer(&self, args: cli::TransferArgs) -> Result<Transfer, Error> {
        Ok(Transfer {
            filing: self.lifecycle_filing(&args.filing)?,
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
            window: self.window(false),
        })
    }

    /// `offboard`'s arguments: a roster, or one leaver from flags.
    fn offboard(&self, args: cli::OffboardArgs) -> Result<Offboard, Error> {
        Ok(Offboard {
            filing: self.lifecycle_filing(&args.filing)?,
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
        })
    }

    /// `transfer`'s and `offboard`'s connection.
    fn lifecycle_filing(&self, args: &cli::LifecycleFiling) -> Result<LifecycleFiling, Error> {
        Ok(LifecycleFiling {
            filing: Filing {
                gitlab: self.gitlab_onboarding(&args.gitlab, args.onboarding_project.as_deref())?,
                dry_run: args.dry_run,
                yes: args.yes,
            },
            json: args.json,
        })
    }

    /// `status`'s arguments: a roster, one hire's flags, or an email alone.
    fn status(&self, args: cli::StatusArgs) -> Result<Status, Error> {
        let gitlab = self.gitlab_onboarding(&args.gitlab, args.onboarding_project.as_deref())?;
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
            None => self.today,
        };
        Ok(Status {
            subjects,
            as_of,
            today: self.today,
            json: args.json,
            html: args.html,
            remind: args.remind.then_some(args.dry_run),
            yes: args.yes,
            fail_on_overdue: args.fail_on_overdue,
            jobs: usize::from(args.jobs),
            gitlab,
        })
    }
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
