//! What filing did, what it would do, why it failed, and whose issues count.

use std::time::Duration;

use serde::Serialize;

use crate::gitlab::Gitlab;
use crate::gitlab::{GitlabError, IssueDraft};
use crate::render::RenderFailure;

use super::super::JournalError;

/// Whose issues count, and how long to keep looking after a lost answer.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// Usernames whose markers are trusted.
    pub trusted: Vec<String>,
    /// The waits before each lookup that follows a lost answer.
    pub lost_answer_waits: Vec<Duration>,
}

impl Policy {
    /// The token's own user and the config's `trusted_authors`; lost answers
    /// are looked for over 1 + 2 + 4 + 8 seconds (scaled in tests).
    pub(crate) fn new(gitlab: &Gitlab, me: &str) -> Self {
        let mut trusted = vec![me.to_string()];
        trusted.extend(gitlab.trusted_authors.iter().cloned());
        Self {
            trusted,
            lost_answer_waits: [1, 2, 4, 8]
                .map(|s| gitlab.timing.scaled(Duration::from_secs(s)))
                .to_vec(),
        }
    }

    /// True when `author` may write markers that count.
    pub(crate) fn trusts(&self, author: Option<&str>) -> bool {
        author.is_some_and(|a| self.trusted.iter().any(|t| t.eq_ignore_ascii_case(a)))
    }
}

/// Why a document was not filed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FilingError {
    /// GitLab refused or could not be reached.
    #[error(transparent)]
    Gitlab(#[from] GitlabError),
    /// Every create lost its answer and no issue turned up.
    #[error("GitLab never confirmed the issue after {attempts} attempts ({last}); re-run to resume: the request is looked up before anything is created again")]
    Unconfirmed {
        /// How many creates were sent.
        attempts: u32,
        /// The last failure.
        last: GitlabError,
    },
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The issue body did not render.
    #[error(transparent)]
    Render(#[from] RenderFailure),
}

impl FilingError {
    /// True when the network failed rather than GitLab refusing.
    pub(crate) fn is_network(&self) -> bool {
        match self {
            FilingError::Gitlab(e) | FilingError::Unconfirmed { last: e, .. } => e.is_network(),
            FilingError::Journal(_) | FilingError::Render(_) => false,
        }
    }
}

/// One issue that holds some of a hire's systems (or their checklist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FiledIssue {
    /// Its web page.
    pub url: String,
    /// Its number.
    pub iid: u64,
    /// What it asks for: tool ids, or `checklist`.
    pub systems: Vec<String>,
    /// Created by this run (rather than found).
    pub created: bool,
    /// Whether GitLab ran the quick action it was created with.
    #[serde(skip)]
    pub quick_action: QuickAction,
}

/// What became of the quick action a document's new issue ended with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum QuickAction {
    /// The issue was not created with one (or was found, not created).
    #[default]
    None,
    /// GitLab ran it: it is gone from the stored text.
    Ran,
    /// The server kept it as text, so it did not run; `onboard` removed the
    /// line and does its work the long way.
    NotRun,
}

/// Something a run did or noticed besides filing, reported to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub(crate) enum Event {
    /// A second issue for the same systems was closed.
    ClosedDuplicate {
        /// The duplicate's web page.
        url: String,
        /// The duplicate.
        iid: u64,
        /// The issue kept.
        kept: u64,
    },
    /// The open issue was brought up to date.
    Updated {
        /// Its web page.
        url: String,
        /// The issue.
        iid: u64,
        /// What changed, in a few words.
        reason: String,
    },
    /// An issue carried the hire's marker but its author is not trusted.
    Untrusted {
        /// Its web page.
        url: String,
        /// The issue.
        iid: u64,
        /// Who opened it.
        author: String,
    },
    /// The journal remembered an issue that GitLab no longer has.
    Gone {
        /// Its web page.
        url: String,
    },
    /// The issue was filed, but a link to another issue could not be made;
    /// the next run tries again.
    NotLinked {
        /// The issue it should link to.
        url: String,
        /// Why not.
        reason: String,
    },
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::ClosedDuplicate { iid, kept, .. } => {
                write!(f, "closed duplicate #{iid} of #{kept}")
            }
            Event::Updated { iid, reason, .. } => write!(f, "updated #{iid} ({reason})"),
            Event::Untrusted { iid, author, .. } => {
                write!(
                    f,
                    "warning: ignored #{iid} by {author}, not a trusted author"
                )
            }
            Event::Gone { url } => write!(f, "warning: {url} is gone from GitLab"),
            Event::NotLinked { url, reason } => {
                write!(
                    f,
                    "warning: filed, not linked to {url}: {reason}; a re-run links it"
                )
            }
        }
    }
}

/// The issues that hold a hire's document after filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Filed {
    /// The document's key.
    pub key: String,
    /// Every open or done issue, found or created, oldest first.
    pub issues: Vec<FiledIssue>,
    /// What else happened.
    pub events: Vec<Event>,
}

impl Preview {
    /// What a dry run shows without a token: the whole document, nothing looked up.
    pub(crate) fn offline<D: crate::access::Document>(
        doc: &D,
        renderer: &crate::render::Renderer,
    ) -> Result<Self, FilingError> {
        Ok(Self {
            key: doc.key().to_string(),
            existing: Vec::new(),
            create: doc.draft(&doc.parts(), renderer, &[])?,
            looked_up: false,
        })
    }
}

/// What `--dry-run` shows for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Preview {
    /// The document's key.
    pub key: String,
    /// Issues that already hold some of it.
    pub existing: Vec<FiledIssue>,
    /// The issue that would be created, if anything is left.
    pub create: Option<IssueDraft>,
    /// Whether GitLab was asked (a token was available) or not.
    pub looked_up: bool,
}
