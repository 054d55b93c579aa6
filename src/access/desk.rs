//! Where a command files and reads: GitLab's client (its token checked),
//! the filing journal and the policy of whom to trust, opened once per
//! command. Projects are looked up from it and filed in through it.

use std::path::Path;

use crate::gitlab::{Client, Gitlab, GitlabError, Project};
use crate::render::Renderer;
use crate::Error;

use super::{Filing, Journal, Policy};

/// Whether a command writes the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    /// It files: the journal is locked for it.
    Journal,
    /// A dry run or a report: the journal is only read.
    Nothing,
}

impl Writes {
    /// [`Writes::Journal`] when `files`, else [`Writes::Nothing`].
    pub(crate) fn when(files: bool) -> Self {
        if files {
            Self::Journal
        } else {
            Self::Nothing
        }
    }
}

/// GitLab, the journal and the trust policy of one command.
pub(crate) struct Desk {
    client: Client,
    journal: Journal,
    policy: Policy,
}

impl Desk {
    /// Opens GitLab (checking the token, `GET /user`) and the journal at
    /// `journal`.
    pub(crate) fn open(gitlab: &Gitlab, journal: &Path, writes: Writes) -> Result<Self, Error> {
        let client = Client::open(&gitlab.server, gitlab.token()?, &gitlab.timing)?;
        let journal = match writes {
            Writes::Journal => Journal::open(journal)?,
            Writes::Nothing => Journal::open_read_only(journal)?,
        };
        let policy = Policy::new(gitlab, &client.user.username);
        Ok(Self {
            client,
            journal,
            policy,
        })
    }

    /// A project by path or id, checked (`GET /projects/:id`).
    pub(crate) fn project(&self, project: &str) -> Result<Project<'_>, GitlabError> {
        self.client.project(project)
    }

    /// A project that may not exist, addressed by path and not looked up.
    pub(crate) fn unread_project(&self, project: &str) -> Project<'_> {
        self.client.unread_project(project)
    }

    /// Files into (or reads from) `project`, rendering with `renderer`.
    pub(crate) fn filing<'a>(
        &'a self,
        project: &'a Project<'a>,
        renderer: &'a Renderer,
    ) -> Filing<'a, Project<'a>> {
        Filing::new(project, &self.journal, renderer, self.policy.clone())
    }

    /// The journal.
    pub(crate) fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Whom to trust.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }
}
