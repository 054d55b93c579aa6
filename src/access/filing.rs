//! Filing a request exactly once: journal first, then a lookup by key, then a
//! single create; a create whose answer was lost is looked up before any retry.
//!
//! Filing talks to an issue [`Tracker`], which GitLab's [`Connection`]
//! implements, so the exactly-once logic is unit-tested against a tracker
//! that loses answers on purpose.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

use crate::gitlab::{Connection, CreateFailure, GitlabError, Issue, IssueDraft};
use crate::render::{RenderFailure, Renderer};

use super::journal::Place;
use super::{read_marker, AccessRequest, Journal, JournalError};

/// How many creates one request may try when answers keep getting lost.
const CREATE_ATTEMPTS: u32 = 4;

/// Where issues are filed: what filing needs from GitLab.
pub trait Tracker: Sync {
    /// The server and project, for the journal.
    fn place(&self) -> Place;
    /// Every issue whose description contains `key`, in any state.
    fn search(&self, key: &str) -> Result<Vec<Issue>, GitlabError>;
    /// Creates an issue, once.
    fn create(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure>;
    /// The numeric id of a username.
    fn user_id(&self, username: &str) -> Result<u64, GitlabError>;
}

impl Tracker for Connection {
    fn place(&self) -> Place {
        Place {
            server: self.server().to_string(),
            project: self.project.path_with_namespace.clone(),
        }
    }

    fn search(&self, key: &str) -> Result<Vec<Issue>, GitlabError> {
        self.search_issues(key, "access requests")
    }

    fn create(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure> {
        self.create_issue(draft, "access request")
    }

    fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        Connection::user_id(self, username)
    }
}

/// Why a request was not filed.
#[derive(Debug, thiserror::Error)]
pub enum FilingError {
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

/// One issue that holds some of a hire's systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledIssue {
    /// Its web page.
    pub url: String,
    /// Tool ids it asks for.
    pub systems: Vec<String>,
    /// Created by this run (rather than found).
    pub created: bool,
}

/// The issues that hold a hire's request after filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filed {
    /// The request key.
    pub key: String,
    /// Every issue, found or created.
    pub issues: Vec<FiledIssue>,
}

impl Filed {
    fn covered(&self) -> Vec<String> {
        self.issues
            .iter()
            .flat_map(|i| i.systems.iter().cloned())
            .collect()
    }

    fn add(&mut self, issue: FiledIssue) {
        if !self.issues.iter().any(|i| i.url == issue.url) {
            self.issues.push(issue);
        }
    }
}

/// What `--dry-run` shows for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The request key.
    pub key: String,
    /// Issues that already hold some systems.
    pub existing: Vec<FiledIssue>,
    /// The issue that would be created, if anything is left to ask for.
    pub create: Option<IssueDraft>,
    /// Whether GitLab was asked (a token was available) or not.
    pub looked_up: bool,
}

impl Preview {
    /// What a dry run shows without a token: the whole request, nothing looked up.
    pub fn offline(request: &AccessRequest, renderer: &Renderer) -> Result<Self, FilingError> {
        Ok(Self {
            key: request.key.clone(),
            existing: Vec::new(),
            create: Some(draft(request, renderer, None)?),
            looked_up: false,
        })
    }
}

fn draft(
    request: &AccessRequest,
    renderer: &Renderer,
    assignee_id: Option<u64>,
) -> Result<IssueDraft, RenderFailure> {
    Ok(IssueDraft {
        title: request.title.clone(),
        description: request.body(renderer)?,
        labels: request.labels.clone(),
        assignee_id,
        due_date: request.due,
        confidential: request.confidential,
    })
}

/// Files requests through one tracker, recording them in a journal.
pub struct Filing<'a, T: Tracker> {
    tracker: &'a T,
    journal: &'a Journal,
    renderer: &'a Renderer,
    place: Place,
    managers: Mutex<HashMap<String, u64>>,
}

impl<'a, T: Tracker> Filing<'a, T> {
    /// Prepares to file into `tracker`.
    pub fn new(tracker: &'a T, journal: &'a Journal, renderer: &'a Renderer) -> Self {
        Self {
            place: tracker.place(),
            tracker,
            journal,
            renderer,
            managers: Mutex::default(),
        }
    }

    /// Files whatever part of `request` is not filed yet, exactly once.
    pub fn file(&self, request: &AccessRequest) -> Result<Filed, FilingError> {
        let mut filed = self.already_filed(request)?;
        let mut last_loss = None;
        for attempt in 1..=CREATE_ATTEMPTS {
            let Some(rest) = request.without(&filed.covered()) else {
                return Ok(filed);
            };
            let draft = self.draft(&rest)?;
            let systems = rest.system_ids();
            self.journal
                .record_pending(&self.place, &request.key, &systems)?;
            match self.tracker.create(&draft) {
                Ok(issue) => {
                    self.journal.record_filed(
                        &self.place,
                        &request.key,
                        &systems,
                        &issue.web_url,
                    )?;
                    filed.add(FiledIssue {
                        url: issue.web_url,
                        systems,
                        created: true,
                    });
                    return Ok(filed);
                }
                Err(CreateFailure::Refused(err)) => return Err(err.into()),
                Err(CreateFailure::Unconfirmed(err)) => {
                    // GitLab may have made the issue even though the answer was
                    // lost: look before sending the create again.
                    last_loss = Some((attempt, err));
                    for mut found in self.search(request)? {
                        if !filed.issues.iter().any(|i| i.url == found.url) {
                            found.created = true;
                            filed.add(found);
                        }
                    }
                }
            }
        }
        match (request.without(&filed.covered()), last_loss) {
            (Some(_), Some((attempts, last))) => Err(FilingError::Unconfirmed { attempts, last }),
            _ => Ok(filed),
        }
    }

    /// What filing would send, without sending any write.
    pub fn preview(&self, request: &AccessRequest) -> Result<Preview, FilingError> {
        let filed = self.already_filed(request)?;
        let create = match request.without(&filed.covered()) {
            Some(rest) => Some(self.draft(&rest)?),
            None => None,
        };
        Ok(Preview {
            key: request.key.clone(),
            existing: filed.issues,
            create,
            looked_up: true,
        })
    }

    /// Issues known from the journal, then from a lookup by key when the
    /// journal does not cover every system.
    fn already_filed(&self, request: &AccessRequest) -> Result<Filed, FilingError> {
        let mut filed = Filed {
            key: request.key.clone(),
            issues: Vec::new(),
        };
        for (url, systems) in self.journal.filed(&self.place, &request.key) {
            filed.add(FiledIssue {
                url,
                systems,
                created: false,
            });
        }
        if request.without(&filed.covered()).is_some() {
            for found in self.search(request)? {
                filed.add(found);
            }
        }
        Ok(filed)
    }

    /// Issues that carry this request's key, recorded in the journal.
    fn search(&self, request: &AccessRequest) -> Result<Vec<FiledIssue>, FilingError> {
        let mut found = Vec::new();
        for issue in self.tracker.search(&request.key)? {
            let Some((key, systems)) = issue.description.as_deref().and_then(read_marker) else {
                continue;
            };
            if key != request.key {
                continue;
            }
            self.journal
                .record_filed(&self.place, &request.key, &systems, &issue.web_url)?;
            found.push(FiledIssue {
                url: issue.web_url,
                systems,
                created: false,
            });
        }
        Ok(found)
    }

    fn draft(&self, request: &AccessRequest) -> Result<IssueDraft, FilingError> {
        let assignee = self.manager_id(&request.assignee)?;
        Ok(draft(request, self.renderer, Some(assignee))?)
    }

    fn manager_id(&self, username: &str) -> Result<u64, GitlabError> {
        let cached = self
            .managers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(username)
            .copied();
        if let Some(id) = cached {
            return Ok(id);
        }
        let id = self.tracker.user_id(username)?;
        self.managers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(username.to_string(), id);
        Ok(id)
    }
}
