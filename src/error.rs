//! The one error type the binary prints, and the exit code of each kind.

use std::io;
use std::path::PathBuf;

use crate::access::{AccessError, FilingError, JournalError};
use crate::config::ConfigError;
use crate::diagnostic::{counted, Diagnostics};
use crate::gitlab::GitlabError;
use crate::hire::FieldErrors;
use crate::output::OutputError;
use crate::render::RenderFailure;
use crate::roster::RosterProblems;
use crate::source::ReadDirError;

/// Exit codes, part of the command-line contract.
pub(crate) mod exit {
    /// Everything worked.
    pub(crate) const OK: u8 = 0;
    /// Something unexpected failed.
    pub(crate) const UNEXPECTED: u8 = 1;
    /// The command line was wrong.
    pub(crate) const USAGE: u8 = 2;
    /// The roles, templates or roster are invalid.
    pub(crate) const INVALID: u8 = 3;
    /// GitLab refused or could not be reached.
    pub(crate) const GITLAB: u8 = 4;
    /// Some hires or requests failed; a re-run resumes.
    pub(crate) const PARTIAL: u8 = 5;
    /// `status --fail-on-overdue` found overdue work.
    pub(crate) const OVERDUE: u8 = 6;
    /// The user pressed Ctrl-C.
    pub(crate) const INTERRUPTED: u8 = 130;

    /// What each code means, as the README's table and the manual page say.
    pub(crate) const MEANINGS: &[(u8, &str)] = &[
        (OK, "ok"),
        (UNEXPECTED, "unexpected failure (for example a file system error, or an unreadable journal)"),
        (USAGE, "usage: a bad flag or value (date, email, username, `--timeout 0`), a control character in a field, a weekend or holiday start date, a start before 2000 or more than 36 months away without `--allow-far-start`, the same tool in `--with` and `--without`, `--force` without `-o`, an output file that exists without `--force`, an output path that is not a regular file (even with `--force`), an `ONBOARD_CONFIG` file that does not exist, a bad `ONBOARD_TODAY`, `GITLAB_TOKEN` missing, plain `http://` to a remote host, or no terminal to confirm on"),
        (INVALID, "invalid roles, templates or roster (every problem is listed as `file:line:column: message`, or `file:line: …` for a CSV row; the same problem on several rows is one line with its count and first rows), including a roster that is not UTF-8 text (a spreadsheet file, another encoding, binary data) or is over 64 MiB, and a catalogue or templates file that is a symbolic link out of its folder (refused unread); also an unknown role or tool id, a layer as the role, or `--with` a tool that is not an optional tool of the role"),
        (GITLAB, "GitLab refused or could not be reached (wrong token, missing rights, unknown project or manager, unreachable host, TLS failure, timeout, a 429 storm, a redirect, an HTML page instead of the API, a 502, 503 or 504 from a gateway, a broken answer, an answer or listing over its limit)"),
        (PARTIAL, "partial: some hires of a batch failed, `batch --skip-invalid` left out rows, or `summary.json` could not be written after filing; re-running the same command resumes"),
        (OVERDUE, "`status --fail-on-overdue` found overdue onboarding work, an open duplicate issue, access removal past its deadline, or expired access not removed"),
        (INTERRUPTED, "interrupted (Ctrl-C in the wizard); nothing partial is left behind"),
    ];
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The config file is missing, unreadable or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `status` was given nobody to report on.
    #[error("status needs a roster, one hire's --role, --name and --start (with --email), or --email alone")]
    NoSubjects,
    /// `--project` (or the config's) is empty.
    #[error("--project: the project path is empty")]
    EmptyProject,
    /// `ONBOARD_TIME_SCALE` is not a number from 0 to 1.
    #[error("ONBOARD_TIME_SCALE: '{0}' is not a number from 0 to 1")]
    BadTimeScale(String),
    /// `ONBOARD_TODAY` is not a date.
    #[error("ONBOARD_TODAY: '{0}' is not a date in the form YYYY-MM-DD")]
    BadToday(String),
    /// The role asked for does not exist.
    #[error(transparent)]
    UnknownRole(#[from] crate::catalog::UnknownRole),
    /// The tool asked for does not exist.
    #[error("{0}; run `onboard tools list` to see the tools")]
    UnknownTool(#[from] crate::catalog::UnknownTool),
    /// Some of a hire's fields cannot be used.
    #[error(transparent)]
    Fields(#[from] FieldErrors),
    /// The catalogue, templates or roster are invalid.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// Rows of a roster cannot be used.
    #[error(transparent)]
    Roster(#[from] RosterProblems),
    /// `validate --strict`: catalogue facts that are assumptions.
    #[error("{0}\n{n} catalogue facts are assumptions, not stated on the source page; confirm each and mark it `source: page` (or drop it from `assumed:`)", n = .0.0.len())]
    Assumptions(Diagnostics),
    /// A catalogue or template folder cannot be read.
    #[error(transparent)]
    Source(#[from] ReadDirError),
    /// A template failed while rendering.
    #[error(transparent)]
    Render(#[from] RenderFailure),
    /// An input file (a roster) cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// An output file was not written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// GitLab refused or could not be reached.
    #[error(transparent)]
    Gitlab(#[from] GitlabError),
    /// The hire lacks what an access request needs.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// A request could not be filed.
    #[error(transparent)]
    Filing(#[from] FilingError),
    /// The filing journal is unusable.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Wizard answers that cannot be used, each named by its question: the
    /// person answered questions and never typed a flag.
    #[error("{}", .problems.join("\n"))]
    Answers {
        /// One line per answer: `the answer to "Manager": ...`.
        problems: Vec<String>,
        /// The exit code of the error the answers caused.
        exit: u8,
    },
    /// A question must be asked but there is no terminal to ask on.
    #[error("{what} needs a terminal on stdin and stderr to ask on; {hint}")]
    NoTerminal {
        /// What wanted to ask.
        what: &'static str,
        /// What to do instead.
        hint: String,
    },
    /// The person answered no.
    #[error("not filed: you answered no")]
    NotConfirmed,
    /// Batch checklists were changed since onboard wrote them (or onboard
    /// did not write them).
    #[error("{} in {} {} changed since onboard wrote {} ({}): edited by hand? pass --force to overwrite {}; nothing was written", counted(names.len(), "checklist"), out.display(), if names.len() == 1 { "was" } else { "were" }, if names.len() == 1 { "it" } else { "them" }, names.join(", "), if names.len() == 1 { "it" } else { "them" })]
    ChecklistsExist {
        /// The output folder.
        out: PathBuf,
        /// The files that differ.
        names: Vec<String>,
    },
    /// Where batch checklists would go is not a regular file.
    #[error("{}; --out writes only regular files, even with --force; nothing was written", .0.join(", "))]
    NotRegular(Vec<String>),
    /// `status --fail-on-overdue` found overdue work.
    #[error("{} overdue onboarding work or open duplicate issues (--fail-on-overdue)", if *hires == 1 { "1 hire has".to_string() } else { format!("{hires} hires have") })]
    Overdue {
        /// How many hires.
        hires: usize,
    },
    /// Some hires failed; the rest completed.
    #[error("{failed} of {total} hires could not be completed (reasons above and in summary.json); re-run the same command to resume: nothing is filed twice")]
    Partial {
        /// How many failed.
        failed: usize,
        /// How many there were.
        total: usize,
    },
    /// `batch --skip-invalid` left out rows; the others completed.
    #[error("{} of {total} skipped for {} problems (listed above and in summary.json); fix {} and re-run the same command: only what changed is written, nothing is filed twice", counted(*skipped, "row"), if *skipped == 1 { "its" } else { "their" }, if *skipped == 1 { "it" } else { "them" })]
    Skipped {
        /// How many rows were skipped.
        skipped: usize,
        /// How many rows the roster has.
        total: usize,
    },
    /// `summary.json` could not be written after issues were filed.
    #[error("cannot write {}: {source}; the summary is above, and every issue filed is recorded in the journal ({}): re-run the same command to write summary.json, nothing is filed twice", path.display(), journal.display())]
    SummaryLost {
        /// The summary's path.
        path: PathBuf,
        /// Why.
        source: io::Error,
        /// The filing journal.
        journal: PathBuf,
    },
    /// `transfer` cannot tell the person's old role.
    #[error("cannot tell {email}'s old role: no trusted onboarding or career-mobility issue of theirs records it; pass --from ROLE")]
    NoOldRole {
        /// Whose.
        email: String,
    },
    /// The user stopped the program.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// Data could not be turned into JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}

impl Error {
    /// The process exit code for this error.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_)
            | Error::Roster(_)
            | Error::Assumptions(_)
            | Error::Source(_)
            | Error::Render(_)
            | Error::UnknownRole(_)
            | Error::UnknownTool(_)
            | Error::NoOldRole { .. }
            | Error::Filing(FilingError::Render(_)) => exit::INVALID,
            Error::Fields(errors) if errors.names_the_catalogue() => exit::INVALID,
            Error::Config(_)
            | Error::EmptyProject
            | Error::NoSubjects
            | Error::BadTimeScale(_)
            | Error::BadToday(_)
            | Error::Fields(_)
            | Error::Input { .. }
            | Error::Output(OutputError::Exists(_) | OutputError::NotRegular { .. })
            | Error::NotRegular(_)
            | Error::Access(_)
            | Error::NoTerminal { .. }
            | Error::NotConfirmed
            | Error::ChecklistsExist { .. } => exit::USAGE,
            Error::Gitlab(e) if e.is_usage() => exit::USAGE,
            Error::Gitlab(_)
            | Error::Filing(FilingError::Gitlab(_) | FilingError::Unconfirmed { .. }) => {
                exit::GITLAB
            }
            Error::Partial { .. } | Error::Skipped { .. } | Error::SummaryLost { .. } => {
                exit::PARTIAL
            }
            Error::Overdue { .. } => exit::OVERDUE,
            Error::Interrupted => exit::INTERRUPTED,
            Error::Answers { exit, .. } => *exit,
            Error::Output(OutputError::Io { .. })
            | Error::Filing(FilingError::Journal(_))
            | Error::Journal(_)
            | Error::Json(_) => exit::UNEXPECTED,
        }
    }
}
