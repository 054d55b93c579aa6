//! Filing a document so that, whatever the interleaving of runs, machines and
//! lost answers, each hire ends with one open issue per part.
//!
//! Every run looks the hire's key up (trusting only issues by trusted
//! authors), repairs what it finds (closes duplicates in favour of the
//! oldest, brings an open issue up to date), and creates only what is
//! missing. A create whose answer was lost is followed by lookups over a
//! growing wait before anything is sent again, and every create is followed
//! by a lookup, so the later of two concurrent runs always sees both issues
//! and closes the newer one.
//!
//! Filing talks to an issue [`Tracker`], which a GitLab project implements,
//! so this logic is unit-tested against a tracker that loses answers on purpose.

mod report;
mod tracker;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use crate::gitlab::{CreateFailure, GitlabError, Issue, IssueDraft, IssueEdit};
use crate::render::Renderer;

use super::document::Document;
use super::journal::{Place, Remembered};
use super::{Journal, Marker};

pub(crate) use report::{Event, Filed, FiledIssue, FilingError, Policy, Preview, QuickAction};
pub(crate) use tracker::Tracker;

/// What every hidden marker of `onboard` starts with (`onboard-request`,
/// `onboard-onboarding`, …), as a listing searches for it.
const MARKER_PREFIX: &str = "onboard-";

/// How many creates one part may send when answers keep getting lost.
const CREATE_ATTEMPTS: u32 = 3;

/// What to look for: a key, perhaps an older key, of one kind of marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wanted<'k> {
    /// The key.
    pub key: &'k str,
    /// An older key, looked up when the key finds nothing.
    pub legacy_key: Option<&'k str>,
    /// The marker's kind.
    pub kind: &'static str,
    /// What the issues are called in messages, plural.
    pub what: &'static str,
}

impl<'k> Wanted<'k> {
    /// What a document's issues carry.
    pub(crate) fn of<D: Document>(doc: &'k D) -> Self {
        Self {
            key: doc.key(),
            legacy_key: doc.legacy_key(),
            kind: D::KIND,
            what: D::PLURAL,
        }
    }
}

/// The trusted issues a lookup found, each with its marker, and what it noticed.
pub(super) type TrustedIssues = (Vec<(Issue, Marker)>, Vec<Event>);

/// Where a lookup looks: the batch's listing when there is one, or GitLab
/// itself (after a lost answer, when the listing is out of date by design).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Listed,
    Live,
}

/// A trusted issue that carries the document's key.
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
            quick_action: QuickAction::None,
        }
    }
}

/// Files documents through one tracker, recording them in a journal.
pub(crate) struct Filing<'a, T: Tracker> {
    tracker: &'a T,
    journal: &'a Journal,
    renderer: &'a Renderer,
    policy: Policy,
    place: Place,
    /// Each username's id, once known; one cell per username.
    users: Mutex<HashMap<String, Arc<Mutex<Option<u64>>>>>,
    /// For a batch: every issue of the kind, listed once and indexed by
    /// key, looked in instead of searching once per hire.
    snapshot: Mutex<Option<Snapshot>>,
}

/// Every issue of one kind that carries `onboard`'s marker, indexed by the
/// marker's key: what a batch looks its hires up in.
#[derive(Debug, Clone, Default)]
pub(super) struct Snapshot {
    /// The kinds listed: a key of another kind is looked up, not assumed absent.
    kinds: BTreeSet<&'static str>,
    by_key: HashMap<String, Vec<Issue>>,
}

impl Snapshot {
    /// Adds issues (replacing ones already there), indexed by marker key.
    fn add(&mut self, issues: Vec<Issue>, kinds: &[&'static str]) {
        self.kinds.extend(kinds);
        for issue in issues {
            let Some(marker) = issue
                .description
                .as_deref()
                .and_then(|d| kinds.iter().find_map(|kind| Marker::read(d, kind)))
            else {
                continue;
            };
            let entry = self.by_key.entry(marker.key).or_default();
            entry.retain(|i| i.iid != issue.iid);
            entry.push(issue);
        }
    }

    /// The issues of `key`, when its kind was listed.
    fn get(&self, key: &str, kind: &str) -> Option<Vec<Issue>> {
        self.kinds
            .contains(kind)
            .then(|| self.by_key.get(key).cloned().unwrap_or_default())
    }
}

impl<'a, T: Tracker> Filing<'a, T> {
    /// The journal it records in, and the place it files to.
    pub(crate) fn journal(&self) -> (&'a Journal, &Place) {
        (self.journal, &self.place)
    }

    /// Prepares to file into `tracker`.
    pub(crate) fn new(
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
            users: Mutex::default(),
            snapshot: Mutex::default(),
        }
    }

    /// Lists every issue of document `D`'s kind once (one request per 100
    /// issues), so each hire is then looked up in memory instead of with a
    /// search of its own. Issues that a listing misses (a search index that
    /// lags) are still found through the journal, one by one.
    pub(crate) fn list_all<D: Document>(&self) -> Result<(), FilingError> {
        self.list_since(&[D::KIND], D::PLURAL, None)
    }

    /// [`Self::list_all`] for several kinds of marker at once.
    pub(crate) fn list_kinds(&self, kinds: &[&'static str], what: &str) -> Result<(), FilingError> {
        self.list_since(kinds, what, None)
    }

    /// One listing of the issues that carry a marker of `kinds` (created
    /// after `since`, when given), added to what was listed before: one
    /// kind's own marker is searched for, several kinds' common prefix.
    fn list_since(
        &self,
        kinds: &[&'static str],
        what: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<(), FilingError> {
        let term = match kinds {
            [kind] => format!("{MARKER_PREFIX}{kind}"),
            _ => MARKER_PREFIX.to_string(),
        };
        let issues = self.tracker.list(&term, since, what)?;
        let mut snapshot = self.snapshot.lock().unwrap_or_else(PoisonError::into_inner);
        snapshot
            .get_or_insert_with(Snapshot::default)
            .add(issues, kinds);
        Ok(())
    }

    /// After a batch's creates: one more listing of what was created since
    /// `since` finds every hire's duplicates at once (a create that landed
    /// late, a concurrent run), and each is closed in favour of the oldest.
    /// Gives the duplicates closed for each of `wanted`.
    pub(crate) fn sweep(
        &self,
        wanted: &[Wanted<'_>],
        since: DateTime<Utc>,
    ) -> Result<Vec<Vec<Event>>, FilingError> {
        if let Some(first) = wanted.first() {
            self.list_since(&[first.kind], first.what, Some(since))?;
        }
        let mut all = Vec::with_capacity(wanted.len());
        for one in wanted {
            let mut events = Vec::new();
            let mut found = self.find(one, Lookup::Listed, &mut events)?;
            self.close_duplicates(&mut found, &mut events)?;
            events.retain(|e| matches!(e, Event::ClosedDuplicate { .. }));
            all.push(events);
        }
        Ok(all)
    }

    fn listed(&self, key: &str, kind: &str) -> Option<Vec<Issue>> {
        self.snapshot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .and_then(|s| s.get(key, kind))
    }

    /// Brings `doc` to exactly one open issue per part.
    pub(crate) fn file<D: Document>(&self, doc: &D) -> Result<Filed, FilingError> {
        let mut events = Vec::new();
        let mut found = self.look_up(doc, &mut events)?;
        let mut created: BTreeSet<u64> = BTreeSet::new();
        let mut attempts = 0;
        let mut last_loss = None;
        loop {
            self.converge(doc, &mut found, &created, &mut events)?;
            let missing = missing_parts(doc, &found);
            if missing.is_empty() {
                break;
            }
            if attempts == CREATE_ATTEMPTS {
                let last = last_loss.expect("only a lost answer leads to another attempt");
                return Err(FilingError::Unconfirmed { attempts, last });
            }
            attempts += 1;
            let Some(draft) = self.draft(doc, &missing)? else {
                break;
            };
            self.journal
                .record_pending(&self.place, doc.key(), &missing)?;
            match self.tracker.create(&draft, D::WHAT) {
                Ok(issue) => {
                    self.remember(doc.key(), &issue, &missing)?;
                    created.insert(issue.iid);
                    if let Some(marker) = issue
                        .description
                        .as_deref()
                        .and_then(|d| Marker::read(d, D::KIND))
                    {
                        merge(&mut found, vec![Found { issue, marker }]);
                    }
                    // Another run may have filed the same part at the same
                    // moment: the later of the two sees both and keeps one.
                    // A batch does this once for every hire ([`Self::sweep`]).
                    if !self.batched() {
                        let again = self.look_up(doc, &mut events)?;
                        merge(&mut found, again);
                    }
                }
                Err(CreateFailure::Refused(err)) => return Err(err.into()),
                Err(CreateFailure::Unconfirmed(err)) => {
                    // GitLab may still finish the create after the answer was
                    // lost: look for it over a growing wait before sending again.
                    last_loss = Some(err);
                    for wait in &self.policy.lost_answer_waits {
                        std::thread::sleep(*wait);
                        let before: BTreeSet<u64> = found.iter().map(|f| f.issue.iid).collect();
                        let again = self.find(&Wanted::of(doc), Lookup::Live, &mut events)?;
                        created.extend(
                            again
                                .iter()
                                .map(|f| f.issue.iid)
                                .filter(|iid| !before.contains(iid)),
                        );
                        merge(&mut found, again);
                        if missing_parts(doc, &found).is_empty() {
                            break;
                        }
                    }
                }
            }
        }
        let mut issues = Vec::new();
        let kept: Vec<usize> = (0..found.len())
            .filter(|i| !redundant(&found, *i))
            .collect();
        for i in kept {
            let created = created.contains(&found[i].issue.iid);
            let mut filed = found[i].filed(created);
            if created {
                filed.quick_action = self.quick_action_outcome(doc, &mut found[i]);
            }
            issues.push(filed);
        }
        Ok(Filed {
            key: doc.key().to_string(),
            issues,
            events,
        })
    }

    /// Whether GitLab ran the quick action `found`'s new issue was created
    /// with. A server that kept the line as text did not: the line is
    /// removed, so nobody reads a command that did nothing. Should that edit
    /// fail, the issue is filed all the same, and the next run, finding its
    /// body differs from what it would write, rewrites it.
    fn quick_action_outcome<D: Document>(&self, doc: &D, found: &mut Found) -> QuickAction {
        let Some(line) = doc.quick_action() else {
            return QuickAction::None;
        };
        let stored = found.issue.description.as_deref().unwrap_or_default();
        if !stored.lines().any(|l| l.trim_end() == line) {
            return QuickAction::Ran;
        }
        let kept: Vec<&str> = stored.lines().filter(|l| l.trim_end() != line).collect();
        let edit = IssueEdit {
            description: Some(kept.join("\n").trim_end().to_string()),
            ..IssueEdit::default()
        };
        if let Ok(issue) = self.tracker.edit(found.issue.iid, &edit) {
            found.issue = issue;
        }
        QuickAction::NotRun
    }

    /// What filing would send, without sending any write.
    pub(crate) fn preview<D: Document>(&self, doc: &D) -> Result<Preview, FilingError> {
        let mut events = Vec::new();
        let found = self.look_up(doc, &mut events)?;
        let missing = missing_parts(doc, &found);
        let create = if missing.is_empty() {
            None
        } else {
            self.draft(doc, &missing)?
        };
        Ok(Preview {
            key: doc.key().to_string(),
            existing: (0..found.len())
                .filter(|i| !redundant(&found, *i))
                .map(|i| found[i].filed(false))
                .collect(),
            create,
            looked_up: true,
        })
    }

    /// The trusted issues that carry the document's key: found by a lookup,
    /// plus any the journal remembers that the lookup missed (a search index
    /// can lag behind), checked one by one. Oldest first.
    fn look_up<D: Document>(
        &self,
        doc: &D,
        events: &mut Vec<Event>,
    ) -> Result<Vec<Found>, FilingError> {
        self.find(&Wanted::of(doc), Lookup::Listed, events)
    }

    /// Whether hires are looked up in a listing taken for the whole batch.
    fn batched(&self) -> bool {
        self.snapshot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Every trusted issue with `wanted`'s marker and the marker it carries,
    /// oldest first; read-only but for the journal's notes.
    pub(crate) fn issues(&self, wanted: &Wanted<'_>) -> Result<TrustedIssues, FilingError> {
        let mut events = Vec::new();
        let found = self.find(wanted, Lookup::Listed, &mut events)?;
        Ok((
            found.into_iter().map(|f| (f.issue, f.marker)).collect(),
            events,
        ))
    }

    fn find(
        &self,
        wanted: &Wanted<'_>,
        how: Lookup,
        events: &mut Vec<Event>,
    ) -> Result<Vec<Found>, FilingError> {
        let search = |key: &str| -> Result<Vec<Issue>, FilingError> {
            match self
                .listed(key, wanted.kind)
                .filter(|_| how == Lookup::Listed)
            {
                Some(issues) => Ok(issues),
                None => Ok(self.tracker.search(key, wanted.what)?),
            }
        };
        let mut issues = search(wanted.key)?;
        if let Some(legacy) = wanted.legacy_key.filter(|_| issues.is_empty()) {
            issues = search(legacy)?;
        }
        let mut found = Vec::new();
        for issue in issues {
            if let Some(f) = self.trusted(wanted, issue, events) {
                found.push(f);
            }
        }
        let remembered = self.journal.filed(&self.place, wanted.key);
        for entry in &remembered {
            let Some(iid) = entry.iid.or_else(|| iid_of(&entry.url)) else {
                continue;
            };
            if found.iter().any(|f| f.issue.iid == iid) {
                continue;
            }
            if let Some(issue) = self.tracker.issue(iid)? {
                found.extend(self.trusted(wanted, issue, events));
            } else {
                self.journal.forget(&self.place, wanted.key, &entry.url)?;
                events.push(Event::Gone {
                    url: entry.url.clone(),
                });
            }
        }
        found.sort_by_key(|f| f.issue.iid);
        for f in &found {
            if !remembered.iter().any(|r| r.url == f.issue.web_url) {
                self.remember(wanted.key, &f.issue, &f.marker.systems)?;
            }
        }
        Ok(found)
    }

    /// The issue, if it carries the wanted marker and its author is trusted.
    fn trusted(&self, wanted: &Wanted<'_>, issue: Issue, events: &mut Vec<Event>) -> Option<Found> {
        let marker = issue
            .description
            .as_deref()
            .and_then(|d| Marker::read(d, wanted.kind))?;
        if marker.key != wanted.key && Some(marker.key.as_str()) != wanted.legacy_key {
            return None;
        }
        if !self.policy.trusts(issue.author_name()) {
            let noted = events
                .iter()
                .any(|e| matches!(e, Event::Untrusted { iid, .. } if *iid == issue.iid));
            if !noted {
                events.push(Event::Untrusted {
                    url: issue.web_url.clone(),
                    iid: issue.iid,
                    author: issue
                        .author_name()
                        .unwrap_or("an unknown author")
                        .to_string(),
                });
            }
            return None;
        }
        Some(Found { issue, marker })
    }

    /// Closes open duplicates in favour of the oldest issue, and brings the
    /// others up to date; one `created` by this run is up to date already.
    fn converge<D: Document>(
        &self,
        doc: &D,
        found: &mut [Found],
        created: &BTreeSet<u64>,
        events: &mut Vec<Event>,
    ) -> Result<(), FilingError> {
        self.close_duplicates(found, events)?;
        for one in found
            .iter_mut()
            .filter(|f| f.issue.is_open() && !created.contains(&f.issue.iid))
        {
            let body = one.issue.description.clone().unwrap_or_default();
            let Some(refresh) = doc.refresh(&one.marker, &body, self.renderer)? else {
                continue;
            };
            let edit = IssueEdit {
                title: refresh.title,
                description: Some(refresh.body),
                due_date: Some(refresh.due),
                close: false,
            };
            let issue = self.tracker.edit(one.issue.iid, &edit)?;
            if let Some(marker) = issue
                .description
                .as_deref()
                .and_then(|d| Marker::read(d, D::KIND))
            {
                one.marker = marker;
            }
            events.push(Event::Updated {
                url: issue.web_url.clone(),
                iid: issue.iid,
                reason: refresh.reason,
            });
            one.issue = issue;
        }
        Ok(())
    }

    /// Closes each open issue whose every part an older one holds, with a
    /// note that points at the one kept.
    fn close_duplicates(
        &self,
        found: &mut [Found],
        events: &mut Vec<Event>,
    ) -> Result<(), FilingError> {
        for i in 0..found.len() {
            if !found[i].issue.is_open() || !redundant(found, i) {
                continue;
            }
            let systems = &found[i].marker.systems;
            let kept = found[..i]
                .iter()
                .find(|o| o.marker.systems.iter().any(|s| systems.contains(s)))
                .map_or(0, |o| o.issue.iid);
            let iid = found[i].issue.iid;
            let note = format!(
                "Closed by onboard: this issue duplicates #{kept}, which is kept. Two runs filed it at the same time; nothing else needs doing here."
            );
            self.tracker.note(iid, &note)?;
            let close = IssueEdit {
                close: true,
                ..IssueEdit::default()
            };
            found[i].issue = self.tracker.edit(iid, &close)?;
            events.push(Event::ClosedDuplicate {
                url: found[i].issue.web_url.clone(),
                iid,
                kept,
            });
        }
        Ok(())
    }

    fn remember(&self, key: &str, issue: &Issue, systems: &[String]) -> Result<(), FilingError> {
        let remembered = Remembered {
            url: issue.web_url.clone(),
            iid: Some(issue.iid),
            systems: systems.to_vec(),
        };
        Ok(self.journal.record_filed(&self.place, key, &remembered)?)
    }

    /// The new issue for `parts`, ending with the document's quick action.
    fn draft<D: Document>(
        &self,
        doc: &D,
        parts: &[String],
    ) -> Result<Option<IssueDraft>, FilingError> {
        let ids = doc
            .assignees()
            .iter()
            .map(|u| self.user_id(u))
            .collect::<Result<Vec<u64>, GitlabError>>()?;
        let mut draft = doc.draft(parts, self.renderer, &ids)?;
        if let (Some(draft), Some(line)) = (draft.as_mut(), doc.quick_action()) {
            // A blank line first: a quick action runs only at the start of
            // a paragraph of its own, never inside the marker's HTML block.
            draft.description = format!("{}\n\n{line}\n", draft.description.trim_end());
        }
        Ok(draft)
    }

    /// A username's id, looked up once per run: workers that need the same
    /// one while it is being looked up wait for that answer.
    pub(in crate::access) fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        let cell = Arc::clone(
            self.users
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(username.to_string())
                .or_default(),
        );
        let mut known = cell.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = *known {
            return Ok(id);
        }
        let id = self.tracker.user_id(username)?;
        *known = Some(id);
        Ok(id)
    }
}

/// The parts no found issue holds, open or done.
fn missing_parts<D: Document>(doc: &D, found: &[Found]) -> Vec<String> {
    doc.parts()
        .into_iter()
        .filter(|p| !found.iter().any(|f| f.marker.systems.contains(p)))
        .collect()
}

/// True when every part of `found[i]` is held by an older issue: a
/// duplicate, to be closed when open and never reported.
fn redundant(found: &[Found], i: usize) -> bool {
    let others: Vec<(u64, &Marker)> = found.iter().map(|f| (f.issue.iid, &f.marker)).collect();
    found[i].marker.duplicates(found[i].issue.iid, &others)
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
