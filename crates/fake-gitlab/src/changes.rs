//! One way to change an issue, shared by `PUT /issues/:iid`, quick actions
//! and the test helpers, so they all keep GitLab's rules: scoped labels
//! (at most one label per `scope::`, the later one wins), `updated_at`
//! bumped on any change, `closed_at`/`closed_by` set and cleared, and the
//! system notes GitLab writes (state, title, description, assignees, due
//! date, confidentiality, duplicates; labels only leave resource events).

use super::state::{Issue, LabelEvent, Note, State};
use chrono::{DateTime, NaiveDate, Utc};

/// `close` or `reopen`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum StateEvent {
    Close,
    Reopen,
}

/// Requested changes; `None` leaves a field alone.
#[derive(Default)]
pub(super) struct Changes {
    pub(super) title: Option<String>,
    // why: absent (leave alone), cleared (`null`) and set are three different
    // requests in GitLab's PUT API; the nested option mirrors that.
    #[allow(clippy::option_option)]
    pub(super) description: Option<Option<String>>,
    pub(super) labels: Option<Vec<String>>,
    pub(super) add_labels: Vec<String>,
    pub(super) remove_labels: Vec<String>,
    pub(super) assignee_ids: Option<Vec<u64>>,
    // why: absent (leave alone), cleared (`null`) and set are three different
    // requests in GitLab's PUT API; the nested option mirrors that.
    #[allow(clippy::option_option)]
    pub(super) due_date: Option<Option<NaiveDate>>,
    pub(super) confidential: Option<bool>,
    pub(super) state_event: Option<StateEvent>,
    pub(super) duplicate_of: Option<(usize, u64)>,
    pub(super) relate_to: Vec<(usize, u64)>,
}

impl Changes {
    /// `other` on top of `self` (quick actions override explicit parameters).
    pub(super) fn overlay(mut self, other: Changes) -> Changes {
        self.title = other.title.or(self.title);
        self.description = other.description.or(self.description);
        self.labels = other.labels.or(self.labels);
        self.add_labels.extend(other.add_labels);
        self.remove_labels.extend(other.remove_labels);
        self.assignee_ids = other.assignee_ids.or(self.assignee_ids);
        self.due_date = other.due_date.or(self.due_date);
        self.confidential = other.confidential.or(self.confidential);
        self.state_event = other.state_event.or(self.state_event);
        self.duplicate_of = other.duplicate_of.or(self.duplicate_of);
        self.relate_to.extend(other.relate_to);
        self
    }
}

/// The scope of a scoped label (`a::b::c` → `a::b`).
fn scope_of(label: &str) -> Option<&str> {
    label
        .rfind("::")
        .map(|i| &label[..i])
        .filter(|s| !s.is_empty())
}

/// Keeps the last label of each scope (in the order given), drops
/// repeats, and sorts by name as GitLab lists them.
pub(super) fn exclusive_labels(labels: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        if let Some(scope) = scope_of(&label) {
            out.retain(|l| scope_of(l) != Some(scope));
        }
        out.retain(|l| l != &label);
        out.push(label);
    }
    out.sort();
    out
}

/// `@a`, `@a and @b`, `@a, @b, and @c` (Rails `to_sentence`).
pub(super) fn sentence(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

impl State {
    /// Adds a note to an issue and touches the issue's `updated_at`.
    pub(super) fn add_note(
        &mut self,
        pidx: usize,
        iid: u64,
        author: u64,
        body: &str,
        system: bool,
        internal: bool,
    ) -> Option<u64> {
        let id = self.next_note_id;
        let now = self.next_timestamp();
        let issue = self.issue_mut(pidx, iid)?;
        issue.notes.push(Note {
            id,
            body: body.to_string(),
            author_id: author,
            created_at: now,
            system,
            internal,
        });
        issue.updated_at = now;
        self.next_note_id += 1;
        Some(id)
    }

    fn usernames(&self, ids: &[u64]) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.user(*id))
            .map(|u| format!("@{}", u.username))
            .collect()
    }

    /// Applies `ch` to an issue as `actor`. On creation (`creating`) no
    /// system notes are written and `updated_at` stays `created_at`.
    /// Returns false when there is no such (visible) issue.
    pub(super) fn apply_changes(
        &mut self,
        pidx: usize,
        iid: u64,
        actor: u64,
        ch: &Changes,
        creating: bool,
    ) -> bool {
        for name in ch.labels.iter().flatten().chain(&ch.add_labels) {
            self.label_id(pidx, name);
        }
        let Some(old) = self.issue(pidx, iid).map(Editable::of) else {
            return false;
        };
        let new = self.edited(&old, ch);
        let notes = self.system_notes(pidx, &old, &new, ch);
        let changed = !notes.is_empty() || new.labels != old.labels;
        let now = self.next_timestamp();
        let Some(issue) = self.issue_mut(pidx, iid) else {
            return false;
        };
        new.store(issue, &old, actor, now);
        if let Some(canonical) = ch.duplicate_of {
            issue.duplicate_of = Some(canonical);
        }
        if creating {
            // GitLab makes a new issue's links once the create has committed.
            for target in &ch.relate_to {
                let _ = self.link_issues((pidx, iid), *target, "relates_to", actor);
            }
            return true;
        }
        if changed {
            issue.updated_at = now;
        }
        for body in notes {
            self.add_note(pidx, iid, actor, &body, true, false);
        }
        if let Some(canonical) = ch.duplicate_of {
            let text = format!(
                "marked {} as a duplicate of this issue",
                self.reference(canonical.0, (pidx, iid))
            );
            self.add_note(canonical.0, canonical.1, actor, &text, true, false);
        }
        for target in ch.duplicate_of.iter().chain(&ch.relate_to) {
            let _ = self.link_issues((pidx, iid), *target, "relates_to", actor);
        }
        true
    }

    /// What `ch` makes of an issue's fields: scoped labels kept exclusive,
    /// unknown and repeated assignees dropped, a duplicate closed.
    fn edited(&self, old: &Editable, ch: &Changes) -> Editable {
        let base = ch.labels.clone().unwrap_or_else(|| old.labels.clone());
        let labels: Vec<String> =
            exclusive_labels(base.into_iter().chain(ch.add_labels.iter().cloned()))
                .into_iter()
                .filter(|l| !ch.remove_labels.contains(l))
                .collect();
        let mut assignees = ch
            .assignee_ids
            .clone()
            .unwrap_or_else(|| old.assignees.clone());
        let mut seen = std::collections::HashSet::new();
        assignees.retain(|id| *id != 0 && seen.insert(*id) && self.user(*id).is_some());
        let closing = ch.duplicate_of.is_some() || ch.state_event == Some(StateEvent::Close);
        let closed = if closing {
            true
        } else if ch.state_event == Some(StateEvent::Reopen) {
            false
        } else {
            old.closed
        };
        Editable {
            title: ch.title.clone().unwrap_or_else(|| old.title.clone()),
            description: ch
                .description
                .clone()
                .unwrap_or_else(|| old.description.clone()),
            labels,
            assignees,
            due: ch.due_date.unwrap_or(old.due),
            confidential: ch.confidential.unwrap_or(old.confidential),
            closed,
        }
    }

    /// The system notes GitLab writes for a change, in its order (labels
    /// leave resource events instead).
    fn system_notes(
        &self,
        pidx: usize,
        old: &Editable,
        new: &Editable,
        ch: &Changes,
    ) -> Vec<String> {
        let mut notes: Vec<String> = Vec::new();
        if new.title != old.title {
            notes.push(format!(
                "changed title from **{}** to **{}**",
                old.title, new.title
            ));
        }
        if new.description != old.description {
            notes.push("changed the description".into());
        }
        notes.extend(self.assignee_note(&old.assignees, &new.assignees));
        if new.due != old.due {
            notes.push(match new.due {
                Some(d) => format!("changed due date to {}", d.format("%B %-d, %Y")),
                None => "removed due date".into(),
            });
        }
        if new.confidential != old.confidential {
            notes.push(if new.confidential {
                "made the issue confidential".into()
            } else {
                "made the issue visible to everyone".into()
            });
        }
        if let Some(canonical) = ch.duplicate_of {
            notes.push(format!(
                "marked this issue as a duplicate of {}",
                self.reference(pidx, canonical)
            ));
        }
        if new.closed != old.closed {
            notes.push(if new.closed { "closed" } else { "reopened" }.into());
        }
        notes
    }

    /// "assigned to @a and unassigned @b", when the assignees changed.
    fn assignee_note(&self, old: &[u64], new: &[u64]) -> Option<String> {
        let added: Vec<u64> = new.iter().copied().filter(|a| !old.contains(a)).collect();
        let removed: Vec<u64> = old.iter().copied().filter(|a| !new.contains(a)).collect();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("assigned to {}", sentence(&self.usernames(&added))));
        }
        if !removed.is_empty() {
            parts.push(format!(
                "unassigned {}",
                sentence(&self.usernames(&removed))
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" and "))
    }
}

/// The fields of an issue a change can touch, before or after it.
struct Editable {
    title: String,
    description: Option<String>,
    labels: Vec<String>,
    assignees: Vec<u64>,
    due: Option<NaiveDate>,
    confidential: bool,
    closed: bool,
}

impl Editable {
    fn of(issue: &Issue) -> Self {
        Editable {
            title: issue.title.clone(),
            description: issue.description.clone(),
            labels: issue.labels.clone(),
            assignees: issue.assignee_ids.clone(),
            due: issue.due_date,
            confidential: issue.confidential,
            closed: issue.closed,
        }
    }

    /// Writes these fields over `old` ones into the issue: who closed it and
    /// when, and one label event per label added or removed.
    fn store(self, issue: &mut Issue, old: &Editable, actor: u64, now: DateTime<Utc>) {
        issue.title = self.title;
        issue.description = self.description;
        issue.labels = self.labels;
        issue.assignee_ids = self.assignees;
        issue.due_date = self.due;
        issue.confidential = self.confidential;
        if self.closed && !old.closed {
            issue.closed = true;
            issue.closed_at = Some(now);
            issue.closed_by = Some(actor);
        } else if !self.closed && old.closed {
            issue.closed = false;
            issue.closed_at = None;
            issue.closed_by = None;
        }
        let removed = old.labels.iter().filter(|l| !issue.labels.contains(l));
        let added = issue.labels.iter().filter(|l| !old.labels.contains(l));
        let events: Vec<(String, bool)> = removed
            .map(|l| (l.clone(), false))
            .chain(added.map(|l| (l.clone(), true)))
            .collect();
        for (label, added) in events {
            let id = issue.label_events.len() as u64 + 1 + issue.id * 1000;
            issue.label_events.push(LabelEvent {
                id,
                user_id: actor,
                created_at: now,
                label,
                added,
            });
        }
    }
}
