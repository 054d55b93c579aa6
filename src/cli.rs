//! The command line: clap derive types only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turn a role catalogue into dated onboarding checklists and GitLab access requests.
#[derive(Debug, Parser)]
#[command(
    name = "onboard",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Examples:
  # A new hire's dated checklist from the embedded catalogue; no files, no network
  onboard checklist --role strategic-account-leader --name \"Ada Lovelace\" --start 2027-01-04
  # The same, asked question by question
  onboard wizard
  # Every hire of a roster, then their access requests and onboarding issues
  onboard batch roster.csv --out checklists/ --file-access --file-onboarding

Environment:
  GITLAB_TOKEN  the GitLab token, for commands that file or read issues (never a flag)
  GITLAB_HOST   the GitLab server when --gitlab-url is not given

`onboard <command> --help` shows each command's own examples; `onboard man` the manual page."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Where the catalogue and templates come from.
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// Overrides for the embedded catalogue and templates.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceArgs {
    /// Read the role catalogue from this folder instead of the embedded one.
    #[arg(long, value_name = "DIR", global = true)]
    pub roles: Option<PathBuf>,
    /// Override embedded templates with the `*.hbs` files of this folder.
    #[arg(long, value_name = "DIR", global = true)]
    pub templates: Option<PathBuf>,
    /// Also skip the holidays listed in this YAML file when counting business days.
    #[arg(long, value_name = "FILE", global = true)]
    pub holidays: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List or inspect the catalogue's roles.
    #[command(after_help = "Examples:
  onboard roles list
  onboard roles show strategic-account-leader")]
    Roles {
        /// `list` or `show`.
        #[command(subcommand)]
        command: RolesCommand,
    },
    /// List or inspect the catalogue's tools.
    #[command(after_help = "Examples:
  onboard tools list
  onboard tools show salesforce")]
    Tools {
        /// `list` or `show`.
        #[command(subcommand)]
        command: ToolsCommand,
    },
    /// Check the catalogue and templates; every problem is reported as <file:line:column>.
    #[command(after_help = "Examples:
  # Lint your catalogue and templates (exit 3 with file:line:column on a problem)
  onboard validate --roles ./roles --templates ./templates
  # Also fail while any catalogue fact is only assumed
  onboard validate --roles ./roles --strict")]
    Validate(ValidateArgs),
    /// Print or write one new hire's dated onboarding checklist.
    #[command(after_help = "Examples:
  # A checklist with an optional tool added and one left out, written atomically
  onboard checklist --role strategic-account-leader --name \"Ada Lovelace\" \\
    --start 2027-01-04 --email ada@example.com --manager mgr.jones \\
    --with datafox --without conversica -o ada.md
  # A hire in Bavaria (its public holidays skipped), as JSON for another tool
  onboard checklist --role technical-account-manager --name \"Alan Turing\" \\
    --start 2027-01-11 --country DE-BY --json
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # File it as the hire's onboarding issue; --dry-run shows what would be sent
  onboard checklist --role strategic-account-leader --name \"Ada Lovelace\" \\
    --start 2027-01-04 --email ada@example.com --manager mgr.jones --file --dry-run")]
    Checklist(ChecklistArgs),
    /// Ask a few questions, write the checklist and optionally file access requests.
    #[command(after_help = "Examples:
  # Answer a few questions about yourself; the checklist is saved, filing is offered
  onboard wizard
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # A manager filling it in for a new hire
  onboard wizard --for-someone-else")]
    Wizard(WizardArgs),
    /// Plan or file a new hire's Access Request issues in GitLab.
    #[command(after_help = "Examples:
  # What would be filed, and where; never touches the network
  onboard access plan --role strategic-account-leader --name \"Ada Lovelace\" --start 2027-01-04
  # File them (GITLAB_TOKEN from the environment; GITLAB_HOST or --gitlab-url names the server)
  onboard access file --role strategic-account-leader --name \"Ada Lovelace\" --start 2027-01-04 \\
    --email ada@example.com --manager mgr.jones --project it/access-requests")]
    Access {
        /// `plan` or `file`.
        #[command(subcommand)]
        command: AccessCommand,
    },
    /// Write checklists (and optionally file access requests) for a whole roster.
    #[command(after_help = "Examples:
  # One checklist per hire of the roster, plus summary.json; no network
  onboard batch roster.csv --out checklists/
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # Also file every hire's access requests and onboarding issue, exactly once
  onboard batch roster.csv --out checklists/ --file-access --file-onboarding --yes")]
    Batch(BatchArgs),
    /// Read onboarding progress and access-request states back from GitLab.
    #[command(after_help = "Examples:
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # One hire, found by their onboarding issue
  onboard status --email ada@example.com
  # A whole roster, with the status page, failing (exit 6) on overdue work
  onboard status roster.csv --html status.html --fail-on-overdue
  # Show the reminders that would be posted on the onboarding issues
  onboard status roster.csv --remind --dry-run")]
    Status(StatusArgs),
    /// Move someone to a new role: request the systems it adds, file one
    /// Access Removal issue for those it drops, and a career-mobility issue.
    #[command(after_help = "Examples:
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # What moving Ada to a new role would request, remove and file
  onboard transfer --email ada@example.com --to strategic-account-leader \\
    --effective 2027-03-01 --dry-run
  # A roster of movers (email, to, effective, ...), without a prompt
  onboard transfer movers.csv --yes")]
    Transfer(TransferArgs),
    /// File a leaver's offboarding issue listing every system they may
    /// hold, and close their pending requests and onboarding issue.
    #[command(after_help = "Examples:
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # What Ada's offboarding would file and close
  onboard offboard --email ada@example.com --last-day 2027-06-30 --dry-run
  # A roster of leavers (email, last_day, ...), without a prompt
  onboard offboard leavers.csv --yes")]
    Offboard(OffboardArgs),
    /// Print the script that registers completion (of commands, flags, and
    /// role and tool ids) with a shell.
    #[command(after_help = "Examples:
  # Register completion (commands, flags, role and tool ids) with your shell
  echo 'source <(onboard completions bash)' >> ~/.bashrc
  echo 'source <(onboard completions zsh)' >> ~/.zshrc
  onboard completions fish > ~/.config/fish/completions/onboard.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Examples:
  # Install the manual page, or read it once
  onboard man > ~/.local/share/man/man1/onboard.1
  onboard man | man -l -")]
    Man,
}

/// `onboard roles ...`
#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// List every role.
    #[command(after_help = "Examples:
  # Every role, and the layers it extends
  onboard roles list
  # Your own catalogue's roles, as JSON
  onboard roles list --roles ./roles --json")]
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one role with its layers merged.
    #[command(after_help = "Examples:
  # One role, its layers merged
  onboard roles show strategic-account-leader
  onboard roles show technical-account-manager --json")]
    Show {
        /// The role id, e.g. strategic-account-leader.
        role: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `onboard tools ...`
#[derive(Debug, Subcommand)]
pub enum ToolsCommand {
    /// List every tool: how it is reached and which roles get it.
    #[command(after_help = "Examples:
  # Every tool, how it is reached, which roles get it
  onboard tools list
  onboard tools list --roles ./roles --json")]
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one tool: how it is reached, its links and the roles that include it.
    #[command(after_help = "Examples:
  # One tool: every fact, its links, its roles
  onboard tools show zendesk
  onboard tools show salesforce --json")]
    Show {
        /// The tool id, e.g. salesforce.
        tool: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Who is starting, as flags.
#[derive(Debug, Clone, Args)]
pub struct HireArgs {
    /// Catalogue role id, e.g. strategic-account-leader.
    #[arg(long)]
    pub role: String,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Day 1, as YYYY-MM-DD; must be a business day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: String,
    /// Work email.
    #[arg(long)]
    pub email: Option<String>,
    /// The new hire's own GitLab username.
    #[arg(long)]
    pub username: Option<String>,
    /// The manager's GitLab username.
    #[arg(long, value_name = "USERNAME")]
    pub manager: Option<String>,
    /// The onboarding buddy's GitLab username.
    #[arg(long, value_name = "USERNAME")]
    pub buddy: Option<String>,
    /// Add one of the role's optional tools (repeat, or separate with commas).
    #[arg(long = "with", value_name = "TOOL", value_delimiter = ',')]
    pub with: Vec<String>,
    /// Leave out one of the role's tools (repeat, or separate with commas).
    #[arg(long = "without", value_name = "TOOL", value_delimiter = ',')]
    pub without: Vec<String>,
    /// Whose public holidays the dates skip: a country code such as US, GB
    /// or DE, or `none` [default: the config's `country`, else US].
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Accept a start before 2000 or more than 36 months away (refused as a
    /// likely typo in the year otherwise).
    #[arg(long)]
    pub allow_far_start: bool,
    /// The day access ends, as YYYY-MM-DD: a contractor's access is never
    /// open-ended (at most the config's `max_access_days`, 730, after the start).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub access_until: Option<String>,
}

/// `onboard validate ...`
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Also list every catalogue fact that is an assumption rather than
    /// stated on the source page, and fail (exit 3) while any is left.
    #[arg(long)]
    pub strict: bool,
}

/// Output formats of a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// GitLab-flavoured Markdown with task boxes.
    Markdown,
    /// The same content as JSON.
    Json,
}

/// `onboard checklist ...`
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// Who is starting.
    #[command(flatten)]
    pub hire: HireArgs,
    /// Print (or write) JSON instead of Markdown; with --file, the filing result.
    #[arg(long)]
    pub json: bool,
    /// The old spelling of --json: `--format json` (or `markdown`).
    #[arg(long, value_enum, hide = true, conflicts_with = "json")]
    pub format: Option<Format>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing output file (with -o).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// File the checklist as the hire's onboarding issue in GitLab.
    #[arg(long)]
    pub file: bool,
    /// GitLab connection (with --file); --project is the onboarding project.
    #[command(flatten)]
    pub gitlab: GitlabArgs,
    /// With --file: print exactly what would be sent, and send no write.
    #[arg(long, requires = "file")]
    pub dry_run: bool,
    /// With --file: do not ask for confirmation.
    #[arg(long, short = 'y', requires = "file")]
    pub yes: bool,
}

/// `onboard wizard`
#[derive(Debug, Args)]
pub struct WizardArgs {
    /// Phrase the questions for a manager filling in a new hire's details.
    #[arg(long)]
    pub for_someone_else: bool,
    /// Accept a start before 2000 or more than 36 months away.
    #[arg(long)]
    pub allow_far_start: bool,
    /// GitLab connection: where usernames are checked and, when asked to,
    /// the access requests are filed (--project is their project).
    #[command(flatten)]
    pub gitlab: GitlabArgs,
}

/// Where and how to reach GitLab.
#[derive(Debug, Clone, Args)]
pub struct GitlabArgs {
    /// The GitLab address.
    #[arg(
        long,
        value_name = "URL",
        help = "GitLab address, e.g. https://gitlab.example.com (default: $GITLAB_HOST, the config file, then https://gitlab.com)"
    )]
    pub gitlab_url: Option<String>,
    /// Project to file into, as a path or numeric id: access requests (the
    /// onboarding project for `checklist --file`).
    #[arg(long, value_name = "PATH")]
    pub project: Option<String>,
    /// Give up on a GitLab request after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT, value_parser = timeout_seconds)]
    pub timeout: u64,
}

/// Seconds one GitLab request may take.
pub(crate) const DEFAULT_TIMEOUT: u64 = 60;

/// A `--timeout`: whole seconds, at least one, since no request can be
/// answered in none.
fn timeout_seconds(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("a request needs at least 1 second".to_string()),
        Ok(seconds) => Ok(seconds),
        Err(e) => Err(e.to_string()),
    }
}

/// `onboard access ...`
#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Show the access requests that would be filed; never touches the network.
    #[command(after_help = "Examples:
  # What access requests a hire needs, without touching the network
  onboard access plan --role strategic-account-leader --name \"Ada Lovelace\" \\
    --start 2027-01-04 --email ada@example.com --manager mgr.jones")]
    Plan {
        /// Who is starting.
        #[command(flatten)]
        hire: HireArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// File the access requests as GitLab issues (idempotent: re-running files nothing twice).
    #[command(after_help = "Examples:
  # GitLab: the token only from GITLAB_TOKEN (never a flag); the server from
  # --gitlab-url, else GITLAB_HOST, else the config file, else https://gitlab.com
  export GITLAB_TOKEN=glpat-... GITLAB_HOST=https://gitlab.example.com
  # Exactly what would be sent; sends no write
  onboard access file --role strategic-account-leader --name \"Ada Lovelace\" \\
    --start 2027-01-04 --email ada@example.com --manager mgr.jones --dry-run
  # File without a prompt (re-running files nothing twice)
  onboard access file --role strategic-account-leader --name \"Ada Lovelace\" \\
    --start 2027-01-04 --email ada@example.com --manager mgr.jones --yes")]
    File(FileArgs),
}

/// `onboard access file ...`
#[derive(Debug, Args)]
pub struct FileArgs {
    /// Who is starting.
    #[command(flatten)]
    pub hire: HireArgs,
    /// GitLab connection.
    #[command(flatten)]
    pub gitlab: GitlabArgs,
    /// Print exactly what would be sent, and send no write.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the issues filed or found (or, with --dry-run, what would be sent) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `onboard batch ...`
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The roster: CSV with a header row, or a YAML list (.yaml/.yml); - reads it from stdin.
    pub roster: PathBuf,
    /// Folder for the checklists and summary.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Overwrite checklists edited by hand since onboard wrote them.
    #[arg(long)]
    pub force: bool,
    /// Go on with the valid rows; list the others in the summary and exit 5.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Accept starts before 2000 or more than 36 months away.
    #[arg(long)]
    pub allow_far_start: bool,
    /// Also file every hire's access requests.
    #[arg(long)]
    pub file_access: bool,
    /// Also file every hire's checklist as their onboarding issue.
    #[arg(long)]
    pub file_onboarding: bool,
    /// The project onboarding issues go to (default: the config's, then gitlab-com/people-group/onboarding).
    #[arg(long, value_name = "PATH")]
    pub onboarding_project: Option<String>,
    /// How many hires to file at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// GitLab connection (with --file-access).
    #[command(flatten)]
    pub gitlab: GitlabArgs,
    /// Do not ask for confirmation before filing.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the summary as JSON (the same as summary.json) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `onboard status ...`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// A roster (CSV or YAML) of the hires to report on; or give one hire's flags, or --email.
    pub roster: Option<PathBuf>,
    /// One hire's catalogue role id.
    #[arg(long, conflicts_with = "roster")]
    pub role: Option<String>,
    /// One hire's full name.
    #[arg(long, conflicts_with = "roster")]
    pub name: Option<String>,
    /// One hire's day 1, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "roster")]
    pub start: Option<String>,
    /// One hire's work email; alone, it finds their onboarding issue.
    #[arg(long, conflicts_with = "roster")]
    pub email: Option<String>,
    /// One hire's optional tools (repeat, or separate with commas).
    #[arg(
        long = "with",
        value_name = "TOOL",
        value_delimiter = ',',
        conflicts_with = "roster"
    )]
    pub with: Vec<String>,
    /// Tools one hire goes without (repeat, or separate with commas).
    #[arg(
        long = "without",
        value_name = "TOOL",
        value_delimiter = ',',
        conflicts_with = "roster"
    )]
    pub without: Vec<String>,
    /// One hire's country, for their public holidays (see `checklist --country`).
    #[arg(long, value_name = "CC", conflicts_with = "roster")]
    pub country: Option<String>,
    /// Judge overdue work as of this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML page to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Post one note per hire with overdue work on their onboarding issue (once a day).
    #[arg(long)]
    pub remind: bool,
    /// With --remind: show the notes, post nothing.
    #[arg(long, requires = "remind")]
    pub dry_run: bool,
    /// With --remind: do not ask for confirmation.
    #[arg(long, short = 'y', requires = "remind")]
    pub yes: bool,
    /// Exit 6 when any hire has overdue work.
    #[arg(long)]
    pub fail_on_overdue: bool,
    /// How many hires to read at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// GitLab connection; --project is the access-requests project.
    #[command(flatten)]
    pub gitlab: GitlabArgs,
    /// The project onboarding issues are in.
    #[arg(long, value_name = "PATH")]
    pub onboarding_project: Option<String>,
}

/// What `transfer` and `offboard` share: how to reach GitLab and whether to write.
#[derive(Debug, Args)]
pub struct LifecycleFiling {
    /// Show the systems and every issue that would be filed or closed; send no write.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print what was (or would be) filed as JSON.
    #[arg(long)]
    pub json: bool,
    /// GitLab connection; --project is the access-requests project.
    #[command(flatten)]
    pub gitlab: GitlabArgs,
    /// The project onboarding and career-mobility issues are in.
    #[arg(long, value_name = "PATH")]
    pub onboarding_project: Option<String>,
}

/// `onboard transfer ...`
#[derive(Debug, Args)]
pub struct TransferArgs {
    /// A roster (CSV or YAML) of movers, with columns email, to, effective and
    /// optionally name, from, username, manager, with, without, country,
    /// `access_until`; or give one person's flags.
    pub roster: Option<PathBuf>,
    /// Work email: finds what the person holds.
    #[arg(long, required_unless_present = "roster", conflicts_with = "roster")]
    pub email: Option<String>,
    /// The new catalogue role id.
    #[arg(
        long,
        value_name = "ROLE",
        required_unless_present = "roster",
        conflicts_with = "roster"
    )]
    pub to: Option<String>,
    /// The day the new role starts, as YYYY-MM-DD; must be a business day.
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        required_unless_present = "roster",
        conflicts_with = "roster"
    )]
    pub effective: Option<String>,
    /// Full name [default: as their onboarding issue gives it].
    #[arg(long, conflicts_with = "roster")]
    pub name: Option<String>,
    /// The old role id [default: from their career-mobility or onboarding issue].
    #[arg(long, value_name = "ROLE", conflicts_with = "roster")]
    pub from: Option<String>,
    /// Their own GitLab username, to assign the career-mobility issue to
    /// [default: from their onboarding issue].
    #[arg(long, conflicts_with = "roster")]
    pub username: Option<String>,
    /// The new manager's GitLab username [default: their last request's manager].
    #[arg(long, value_name = "USERNAME", conflicts_with = "roster")]
    pub manager: Option<String>,
    /// Add one of the new role's optional tools (repeat, or separate with commas).
    #[arg(
        long = "with",
        value_name = "TOOL",
        value_delimiter = ',',
        conflicts_with = "roster"
    )]
    pub with: Vec<String>,
    /// Leave out one of the new role's tools (repeat, or separate with commas).
    #[arg(
        long = "without",
        value_name = "TOOL",
        value_delimiter = ',',
        conflicts_with = "roster"
    )]
    pub without: Vec<String>,
    /// Whose public holidays the dates skip (see `checklist --country`).
    #[arg(long, value_name = "CC", conflicts_with = "roster")]
    pub country: Option<String>,
    /// The day the access the new role adds ends, as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "roster")]
    pub access_until: Option<String>,
    /// Where and how.
    #[command(flatten)]
    pub filing: LifecycleFiling,
}

/// `onboard offboard ...`
#[derive(Debug, Args)]
pub struct OffboardArgs {
    /// A roster (CSV or YAML) of leavers, with columns email, `last_day` and
    /// optionally name, role, manager; or give one person's flags.
    pub roster: Option<PathBuf>,
    /// Work email: finds what the person holds.
    #[arg(long, required_unless_present = "roster", conflicts_with = "roster")]
    pub email: Option<String>,
    /// Their last day, as YYYY-MM-DD.
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        required_unless_present = "roster",
        conflicts_with = "roster"
    )]
    pub last_day: Option<String>,
    /// Full name [default: as their onboarding issue gives it].
    #[arg(long, conflicts_with = "roster")]
    pub name: Option<String>,
    /// Their catalogue role id [default: from their career-mobility or onboarding issue].
    #[arg(long, conflicts_with = "roster")]
    pub role: Option<String>,
    /// The manager the offboarding issue is assigned to [default: their last request's manager].
    #[arg(long, value_name = "USERNAME", conflicts_with = "roster")]
    pub manager: Option<String>,
    /// Where and how.
    #[command(flatten)]
    pub filing: LifecycleFiling,
}
