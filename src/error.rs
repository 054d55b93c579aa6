//! The one error type the binary prints, and the exit code of each kind.

use crate::access::{AccessError, FilingError, JournalError};
use crate::catalog::{Diagnostics, UnknownRole};
use crate::gitlab::GitlabError;
use crate::hire::FieldError;
use crate::output::OutputError;
use crate::plan::PlanError;
use crate::render::RenderFailure;
use crate::source::ReadDirError;

/// Exit codes, part of the command-line contract.
pub mod exit {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// Something unexpected failed.
    pub const UNEXPECTED: u8 = 1;
    /// The command line was wrong.
    pub const USAGE: u8 = 2;
    /// The roles, templates or roster are invalid.
    pub const INVALID: u8 = 3;
    /// GitLab refused or could not be reached.
    pub const GITLAB: u8 = 4;
    /// Some hires or requests failed; a re-run resumes.
    pub const PARTIAL: u8 = 5;
    /// The user pressed Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flag or argument is wrong.
    #[error("{0}")]
    Usage(String),
    /// A hire field has the wrong shape.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The catalogue or templates are invalid.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A catalogue or template folder cannot be read.
    #[error(transparent)]
    Source(#[from] ReadDirError),
    /// The role asked for does not exist.
    #[error(transparent)]
    UnknownRole(#[from] UnknownRole),
    /// The hire cannot be planned.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A template failed while rendering.
    #[error(transparent)]
    Render(#[from] RenderFailure),
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
    /// Some hires failed; the rest completed.
    #[error("{failed} of {total} hires could not be completed (reasons above and in summary.json); re-run the same command to resume: nothing is filed twice")]
    Partial {
        /// How many failed.
        failed: usize,
        /// How many there were.
        total: usize,
    },
    /// The user stopped the program.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// Anything else.
    #[error("{0}")]
    Unexpected(String),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Unexpected(e.to_string())
    }
}

impl Error {
    /// The message to print. The token never appears in it, even if some
    /// lower layer were to echo it back.
    pub fn report(&self) -> String {
        let message = self.to_string();
        match crate::gitlab::Token::from_env() {
            Ok(token) => token.redact(&message),
            Err(_) => message,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Field(_) | Error::Access(_) => exit::USAGE,
            Error::Plan(PlanError::StartDate(_)) => exit::USAGE,
            Error::Output(OutputError::Exists(_)) => exit::USAGE,
            Error::Invalid(_)
            | Error::Source(_)
            | Error::UnknownRole(_)
            | Error::Plan(_)
            | Error::Render(_) => exit::INVALID,
            Error::Gitlab(
                GitlabError::MissingToken
                | GitlabError::BadUrl { .. }
                | GitlabError::InsecureHost { .. },
            ) => exit::USAGE,
            Error::Gitlab(_) => exit::GITLAB,
            Error::Filing(FilingError::Gitlab(_) | FilingError::Unconfirmed { .. }) => exit::GITLAB,
            Error::Filing(FilingError::Render(_)) => exit::INVALID,
            Error::Filing(FilingError::Journal(_)) | Error::Journal(_) => exit::UNEXPECTED,
            Error::Partial { .. } => exit::PARTIAL,
            Error::Interrupted => exit::INTERRUPTED,
            Error::Output(_) | Error::Unexpected(_) => exit::UNEXPECTED,
        }
    }
}
