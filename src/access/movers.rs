//! Who moved an access request forward: who added its approval and
//! ready-for-provisioning labels, and who closed it. GitLab lets any
//! Reporter of the project do each of these, the hire included, so
//! `status` counts progress only from those who may give it; this module
//! reads the history once per change of the issue and remembers it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::gitlab::{Issue, LabelEvent};
use crate::output::{say, write_with_access, Access};

/// The label a manager's approval adds.
pub(crate) const APPROVED_LABEL: &str = "AR-Approval::Manager Approved";
/// The label that says provisioning may start.
pub(crate) const READY_LABEL: &str = "ReadyForProvisioning";

/// Who last added each progress label, and who closed the issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Movers {
    /// Who added the approval label last.
    pub approver: Option<String>,
    /// Who added the ready-for-provisioning label last.
    pub provisioner: Option<String>,
    /// Who closed the issue.
    pub closer: Option<String>,
}

impl Movers {
    /// Reads the movers from an issue's label history and `closed_by`.
    pub(crate) fn of(issue: &Issue, events: &[LabelEvent]) -> Self {
        let last_adder = |label: &str| {
            events
                .iter()
                .rev()
                .find(|e| {
                    e.action == "add"
                        && e.label
                            .as_ref()
                            .is_some_and(|l| l.name.eq_ignore_ascii_case(label))
                })
                .and_then(|e| e.user.as_ref().map(|u| u.username.clone()))
        };
        Self {
            approver: last_adder(APPROVED_LABEL),
            provisioner: last_adder(READY_LABEL),
            closer: issue.closed_by.as_ref().map(|u| u.username.clone()),
        }
    }

    /// True when the issue's labels or state claim progress that only a
    /// label history can vouch for.
    pub(crate) fn needed(issue: &Issue) -> bool {
        !issue.is_open()
            || issue.labels.iter().any(|l| {
                l.eq_ignore_ascii_case(APPROVED_LABEL) || l.eq_ignore_ascii_case(READY_LABEL)
            })
    }
}

/// One issue's movers, as of its last change.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    updated_at: DateTime<Utc>,
    movers: Movers,
}

/// The movers read before, by issue page, kept beside the journal so a
/// daily `status` reads a label history only when the issue changed.
#[derive(Debug, Default)]
pub(crate) struct MoversCache {
    path: PathBuf,
    issues: BTreeMap<String, Cached>,
    changed: bool,
}

impl MoversCache {
    /// The cache beside `journal`; an unreadable one starts empty.
    pub(crate) fn open(journal: &Path) -> Self {
        let path = journal.with_file_name("movers.json");
        let issues = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self {
            path,
            issues,
            changed: false,
        }
    }

    /// The movers of `issue` if it has not changed since they were read.
    pub(crate) fn get(&self, issue: &Issue) -> Option<Movers> {
        let cached = self.issues.get(&issue.web_url)?;
        (Some(cached.updated_at) == issue.updated_at).then(|| cached.movers.clone())
    }

    /// Remembers the movers of `issue` as of its last change.
    pub(crate) fn put(&mut self, issue: &Issue, movers: &Movers) {
        if let Some(updated_at) = issue.updated_at {
            self.issues.insert(
                issue.web_url.clone(),
                Cached {
                    updated_at,
                    movers: movers.clone(),
                },
            );
            self.changed = true;
        }
    }

    /// Writes the cache if anything was added; a cache that cannot be
    /// written only costs a re-read next time, so it is a warning.
    pub(crate) fn save(&self) {
        if !self.changed {
            return;
        }
        let json = serde_json::to_vec(&self.issues).unwrap_or_default();
        // A daily `status` on a fresh CI runner has no state folder yet.
        if let Some(folder) = self.path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        if let Err(err) = write_with_access(&self.path, &json, true, Access::Private) {
            say(&format!(
                "warning: cannot remember who moved access requests: {err}"
            ));
        }
    }
}
