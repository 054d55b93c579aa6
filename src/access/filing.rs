//! Filing a request so that, whatever the interleaving of runs, machines and
//! lost answers, each hire ends with one open request per set of systems.
//!
//! Every run looks the hire's key up (trusting only issues by trusted
//! authors), repairs what it finds (closes duplicates in favour of the
//! oldest, brings a request whose start date moved up to date), and creates
//! only what is missing. A create whose answer was lost is followed by
//! lookups over a growing wait before anything is sent again, and every
//! create is followed by a lookup, so the later of two concurrent runs
//! always sees both issues and closes the newer one.
//!
//! Filing talks to an issue [`Tracker`], which GitLab's [`Connection`]
//! implements, so this logic is unit-tested against a tracker that loses
//! answers on purpose.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;

use crate::gitlab::{Connection, CreateFailure, GitlabError, Issue, IssueDraft, IssueEdit};
use crate::render::{RenderFailure, Renderer};
use crate::settings::Gitlab;
use crate::tasks::carry_ticks;

use super::journal::{Place, Remembered};
use super::{AccessRequest, Journal, JournalError, Marker};

/// How many creates one request may send when answers keep getting lost.
const CREATE_ATTEMPTS: u32 = 3;

/// Where issues are filed: what filing needs from GitLab.
pub trait Tracker: Sync {
    /// The server and project, for the journal.
    fn place(&self) -> Place;
    /// Every issue whose description contains `key`, in any state.
    fn search(&self, key: &str) -> Result<Vec<Issue>, GitlabError>;
    /// One issue by its number; `None` when it no longer exists.
    fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError>;
    /// Creates an issue, once.
    fn create(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure>;
    /// Changes an issue.
    fn edit(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError>;
    /// Comments on an issue.
    fn note(&self, iid: u64, body: &str) -> Result<(), GitlabError>;
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

    fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError> {
        Connection::issue(self, iid)
    }

    fn create(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure> {
        self.create_issue(draft, "access request")
    }

    fn edit(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError> {
        self.edit_issue(iid, edit)
    }

    fn note(&self, iid: u64, body: &str) -> Result<(), GitlabError> {
        self.add_note(iid, body)
    }

    fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        Connection::user_id(self, username)
    }
}

/// Whose issues count, and how long to keep looking after a lost answer.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Usernames whose markers are trusted.
    pub trusted: Vec<String>,
    /// The waits before each lookup that follows a lost answer.
    pub lost_answer_waits: Vec<Duration>,
}

impl Policy {
    /// The token's own user and the config's `trusted_authors`; lost answers
    /// are looked for over 1 + 2 + 4 + 8 seconds (scaled in tests).
    pub fn new(gitlab: &Gitlab, me: &str) -> Self {
        let mut trusted = vec![me.to_string()];
        trusted.extend(gitlab.trusted_authors.iter().cloned());
        Self {
            trusted,
            lost_answer_waits: [1, 2, 4, 8]
                .map(|s| gitlab.timing.scaled(Duration::from_secs(s)))
                .to_vec(),
        }
    }

    fn trusts(&self, author: Option<&str>) -> bool {
        author.is_some_and(|a| self.trusted.iter().any(|t| t.eq_ignore_ascii_case(a)))
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

impl FilingError {
    /// True when the network failed rather than GitLab refusing.
    pub fn is_network(&self) -> bool {
        match self {
            FilingError::Gitlab(e) | FilingError::Unconfirmed { last: e, .. } => e.is_network(),
            FilingError::Journal(_) | FilingError::Render(_) => false,
        }
    }
}

/// One issue that holds some of a hire's systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledIssue {
    /// Its web page.
    pub url: String,
    /// Its number.
    pub iid: u64,
    /// Tool ids it asks for.
    pub systems: Vec<String>,
    /// Created by this run (rather than found).
    pub created: bool,
}

/// Something a run did or noticed besides filing, reported to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A second issue for the same systems was closed.
    ClosedDuplicate {
        /// The duplicate's web page.
        url: String,
        /// The duplicate.
        iid: u64,
        /// The issue kept.
        kept: u64,
    },
    /// The start date moved; the open request was brought up to date.
    Updated {
        /// Its web page.
        url: String,
        /// The issue.
        iid: u64,
        /// The start date it was filed for, if it said.
        from: Option<NaiveDate>,
        /// The start date now.
        to: NaiveDate,
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
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::ClosedDuplicate { iid, kept, .. } => {
                write!(f, "closed duplicate #{iid} of #{kept}")
            }
            Event::Updated { iid, to, .. } => write!(f, "updated #{iid} (start date now {to})"),
            Event::Untrusted { iid, author, .. } => {
                write!(f, "warning: ignored #{iid} by {author}, not a trusted author")
            }
            Event::Gone { url } => write!(f, "warning: {url} is gone from GitLab"),
        }
    }
}

/// The issues that hold a hire's request after filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filed {
    /// The request key.
    pub key: String,
    /// Every open or done issue, found or created, oldest first.
    pub issues: Vec<FiledIssue>,
    /// What else happened.
    pub events: Vec<Event>,
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

/// A trusted issue that carries the hire's key.
#[derive(Debug, Clone)]
struct Found {
    issue: Issue,
    marker: Marker,
}

impl Found {
    fn filed(&self, created: bool) -> FiledIssue {
        FiledIssue {
            url: self.issue.web_url.clone(),
            iid: self.issue.iid,
            systems: self.marker.systems.clone(),
            created,
        }
    }
}

/// Files requests through one tracker, recording them in a journal.
pub struct Filing<'a, T: Tracker> {
    tracker: &'a T,
    journal: &'a Journal,
    renderer: &'a Renderer,
    policy: Policy,
    place: Place,
    managers: Mutex<HashMap<String, u64>>,
}

impl<'a, T: Tracker> Filing<'a, T> {
    /// Prepares to file into `tracker`.
    pub fn new(
        tracker: &'a T,
        journal: &'a Journal,
        renderer: &'a Renderer,
        policy: Policy,
    ) -> Self {
        Self {
            place: tracker.place(),
            tracker,
            journal,
            renderer,
            policy,
            managers: Mutex::default(),
        }
    }

    /// Brings `request` to exactly one open issue per set of systems.
    pub fn file(&self, request: &AccessRequest) -> Result<Filed, FilingError> {
        let mut events = Vec::new();
        let mut found = self.look_up(request, &mut events)?;
        let mut created: BTreeSet<u64> = BTreeSet::new();
        let mut attempts = 0;
        let mut last_loss = None;
        loop {
            self.converge(request, &mut found, &mut events)?;
            let Some(rest) = request.without(&covered(&found)) else {
                break;
            };
            if attempts == CREATE_ATTEMPTS {
                let last = last_loss.expect("only a lost answer leads to another attempt");
                return Err(FilingError::Unconfirmed { attempts, last });
            }
            attempts += 1;
            let draft = self.draft(&rest)?;
            let systems = rest.system_ids();
            self.journal
                .record_pending(&self.place, &request.key, &systems)?;
            match self.tracker.create(&draft) {
                Ok(issue) => {
                    self.remember(request, &issue, &systems)?;
                    created.insert(issue.iid);
                    let marker = rest.marker();
                    merge(&mut found, vec![Found { issue, marker }]);
                    // Another run may have filed the same systems at the same
                    // moment: the later of the two sees both and keeps one.
                    let again = self.look_up(request, &mut events)?;
                    merge(&mut found, again);
                }
                Err(CreateFailure::Refused(err)) => return Err(err.into()),
                Err(CreateFailure::Unconfirmed(err)) => {
                    // GitLab may still finish the create after the answer was
                    // lost: look for it over a growing wait before sending again.
                    last_loss = Some(err);
                    for wait in &self.policy.lost_answer_waits {
                        std::thread::sleep(*wait);
                        let before: BTreeSet<u64> = found.iter().map(|f| f.issue.iid).collect();
                        let again = self.look_up(request, &mut events)?;
                        created.extend(
                            again
                                .iter()
                                .map(|f| f.issue.iid)
                                .filter(|iid| !before.contains(iid)),
                        );
                        merge(&mut found, again);
                        if request.without(&covered(&found)).is_none() {
                            break;
                        }
                    }
                }
            }
        }
        Ok(Filed {
            key: request.key.clone(),
            issues: (0..found.len())
                .filter(|i| !redundant(&found, *i))
                .map(|i| found[i].filed(created.contains(&found[i].issue.iid)))
                .collect(),
            events,
        })
    }

    /// What filing would send, without sending any write.
    pub fn preview(&self, request: &AccessRequest) -> Result<Preview, FilingError> {
        let mut events = Vec::new();
        let found = self.look_up(request, &mut events)?;
        let create = match request.without(&covered(&found)) {
            Some(rest) => Some(self.draft(&rest)?),
            None => None,
        };
        Ok(Preview {
            key: request.key.clone(),
            existing: (0..found.len())
                .filter(|i| !redundant(&found, *i))
                .map(|i| found[i].filed(false))
                .collect(),
            create,
            looked_up: true,
        })
    }

    /// The trusted issues that carry the hire's key: found by a lookup, plus
    /// any the journal remembers that the lookup missed (a search index can
    /// lag behind), checked one by one. Oldest first.
    fn look_up(
        &self,
        request: &AccessRequest,
        events: &mut Vec<Event>,
    ) -> Result<Vec<Found>, FilingError> {
        let mut issues = self.tracker.search(&request.key)?;
        if issues.is_empty() {
            issues = self.tracker.search(&request.legacy_key)?;
        }
        let mut found = Vec::new();
        for issue in issues {
            if let Some(f) = self.trusted(request, issue, events) {
                found.push(f);
            }
        }
        for remembered in self.journal.filed(&self.place, &request.key) {
            let Some(iid) = remembered.iid.or_else(|| iid_of(&remembered.url)) else {
                continue;
            };
            if found.iter().any(|f| f.issue.iid == iid) {
                continue;
            }
            match self.tracker.issue(iid)? {
                Some(issue) => {
                    if let Some(f) = self.trusted(request, issue, events) {
                        found.push(f);
                    }
                }
                None => {
                    self.journal
                        .forget(&self.place, &request.key, &remembered.url)?;
                    events.push(Event::Gone {
                        url: remembered.url,
                    });
                }
            }
        }
        found.sort_by_key(|f| f.issue.iid);
        for f in &found {
            if !self
                .journal
                .filed(&self.place, &request.key)
                .iter()
                .any(|r| r.url == f.issue.web_url)
            {
                self.remember(request, &f.issue, &f.marker.systems)?;
            }
        }
        Ok(found)
    }

    /// The issue, if it carries this request's marker and its author is trusted.
    fn trusted(
        &self,
        request: &AccessRequest,
        issue: Issue,
        events: &mut Vec<Event>,
    ) -> Option<Found> {
        let marker = issue.description.as_deref().and_then(Marker::read)?;
        if marker.key != request.key && marker.key != request.legacy_key {
            return None;
        }
        if !self.policy.trusts(issue.author_name()) {
            let author = issue.author_name().unwrap_or("an unknown author").to_string();
            if !events
                .iter()
                .any(|e| matches!(e, Event::Untrusted { iid, .. } if *iid == issue.iid))
            {
                events.push(Event::Untrusted {
                    url: issue.web_url.clone(),
                    iid: issue.iid,
                    author,
                });
            }
            return None;
        }
        Some(Found { issue, marker })
    }

    /// Closes open duplicates in favour of the oldest issue, and brings an
    /// open request whose start date moved up to date.
    fn converge(
        &self,
        request: &AccessRequest,
        found: &mut [Found],
        events: &mut Vec<Event>,
    ) -> Result<(), FilingError> {
        for i in 0..found.len() {
            if !found[i].issue.is_open() {
                continue;
            }
            if redundant(found, i) {
                let older = &found[..i];
                let systems = &found[i].marker.systems;
                let kept = older
                    .iter()
                    .find(|o| o.marker.systems.iter().any(|s| systems.contains(s)))
                    .map_or(0, |o| o.issue.iid);
                let iid = found[i].issue.iid;
                let note = format!(
                    "Closed by onboard: this access request duplicates #{kept}, which is kept. Two runs filed it at the same time; nothing else needs doing here."
                );
                self.tracker.note(iid, &note)?;
                found[i].issue = self.tracker.edit(
                    iid,
                    &IssueEdit {
                        close: true,
                        ..IssueEdit::default()
                    },
                )?;
                events.push(Event::ClosedDuplicate {
                    url: found[i].issue.web_url.clone(),
                    iid,
                    kept,
                });
            } else if found[i].marker.start != Some(request.start) {
                self.update(request, &mut found[i], events)?;
            }
        }
        Ok(())
    }

    /// Rewrites an open request for its systems with the new start date and
    /// due date, keeping every box already ticked.
    fn update(
        &self,
        request: &AccessRequest,
        found: &mut Found,
        events: &mut Vec<Event>,
    ) -> Result<(), FilingError> {
        let Some(part) = request.only(&found.marker.systems) else {
            return Ok(());
        };
        let old = found.issue.description.clone().unwrap_or_default();
        let body = carry_ticks(&old, &part.body(self.renderer)?, |a, b| a == b);
        let from = found.marker.start;
        found.issue = self.tracker.edit(
            found.issue.iid,
            &IssueEdit {
                description: Some(body),
                due_date: Some(part.due),
                close: false,
            },
        )?;
        found.marker = part.marker();
        events.push(Event::Updated {
            url: found.issue.web_url.clone(),
            iid: found.issue.iid,
            from,
            to: request.start,
        });
        Ok(())
    }

    fn remember(
        &self,
        request: &AccessRequest,
        issue: &Issue,
        systems: &[String],
    ) -> Result<(), FilingError> {
        let remembered = Remembered {
            url: issue.web_url.clone(),
            iid: Some(issue.iid),
            systems: systems.to_vec(),
        };
        Ok(self
            .journal
            .record_filed(&self.place, &request.key, &remembered)?)
    }

    fn draft(&self, request: &AccessRequest) -> Result<IssueDraft, FilingError> {
        let assignee = self.manager_id(&request.assignee)?;
        Ok(draft(request, self.renderer, Some(assignee))?)
    }

    fn manager_id(&self, username: &str) -> Result<u64, GitlabError> {
        let cached = self
            .managers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(username)
            .copied();
        if let Some(id) = cached {
            return Ok(id);
        }
        let id = self.tracker.user_id(username)?;
        self.managers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(username.to_string(), id);
        Ok(id)
    }
}

/// True when every system of `found[i]` is asked for by an older issue: a
/// duplicate, to be closed when open and never reported.
fn redundant(found: &[Found], i: usize) -> bool {
    let systems = &found[i].marker.systems;
    !systems.is_empty()
        && systems
            .iter()
            .all(|s| found[..i].iter().any(|o| o.marker.systems.contains(s)))
}

/// Every system some found issue asks for, open or done.
fn covered(found: &[Found]) -> Vec<String> {
    found
        .iter()
        .flat_map(|f| f.marker.systems.iter().cloned())
        .collect()
}

/// Adds issues not seen yet, keeping the oldest first.
fn merge(found: &mut Vec<Found>, more: Vec<Found>) {
    for f in more {
        match found.iter_mut().find(|e| e.issue.iid == f.issue.iid) {
            Some(existing) => *existing = f,
            None => found.push(f),
        }
    }
    found.sort_by_key(|f| f.issue.iid);
}

/// The issue number at the end of a web URL (`…/-/issues/12`).
fn iid_of(url: &str) -> Option<u64> {
    url.rsplit('/').next()?.parse().ok()
}
