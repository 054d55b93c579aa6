//! A small local record of filed requests, so a re-run after a crash or a
//! lost answer files nothing twice, and finished hires need no lookups.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::output::{create_folder, write_with_access, Access, OutputError};

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// It exists but cannot be read.
    #[error("cannot read the filing journal {}: {source}", path.display())]
    Read {
        /// The journal file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// It is not a journal; it is left as it is.
    #[error("{}:{line}:{column}: the filing journal is not valid ({message}); it was left untouched: move it aside to continue", path.display())]
    Corrupt {
        /// The journal file.
        path: PathBuf,
        /// Where.
        line: usize,
        /// Where.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// It cannot be written.
    #[error(transparent)]
    Write(#[from] OutputError),
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// A create was about to be sent; it may or may not have happened.
    Pending,
    /// The issue exists at `url`.
    Filed,
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// GitLab address.
    pub server: String,
    /// Project path.
    pub project: String,
    /// The hire's request key.
    pub key: String,
    /// Tool ids the issue asks for.
    pub systems: Vec<String>,
    /// Where it stands.
    pub state: State,
    /// The issue, once known.
    pub url: Option<String>,
    /// When this line was last written (RFC 3339).
    pub updated: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct JournalFile {
    version: u32,
    entries: Vec<Entry>,
}

/// The journal; safe to share between threads.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    entries: Mutex<Vec<Entry>>,
    writable: bool,
}

/// The place a request is filed: GitLab address and project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// GitLab address.
    pub server: String,
    /// Project path.
    pub project: String,
}

impl Journal {
    /// Opens the journal at `path`; a missing file is an empty journal.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let entries = match fs::read_to_string(path) {
            Ok(text) if text.trim().is_empty() => Vec::new(),
            Ok(text) => {
                let file: JournalFile =
                    serde_json::from_str(&text).map_err(|e| JournalError::Corrupt {
                        path: path.to_path_buf(),
                        line: e.line(),
                        column: e.column(),
                        message: e.to_string(),
                    })?;
                file.entries
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(JournalError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            entries: Mutex::new(entries),
            writable: true,
        })
    }

    /// Opens the journal for reading only, as a dry run does.
    pub fn open_read_only(path: &Path) -> Result<Self, JournalError> {
        Self::open(path).map(|journal| Self {
            writable: false,
            ..journal
        })
    }

    /// Issues already filed for `key`, as (url, systems).
    pub fn filed(&self, place: &Place, key: &str) -> Vec<(String, Vec<String>)> {
        self.lock()
            .iter()
            .filter(|e| e.matches(place, key) && e.state == State::Filed)
            .filter_map(|e| e.url.clone().map(|url| (url, e.systems.clone())))
            .collect()
    }

    /// Records that a create for these systems is about to be sent.
    pub fn record_pending(
        &self,
        place: &Place,
        key: &str,
        systems: &[String],
    ) -> Result<(), JournalError> {
        self.update(|entries| {
            entries.retain(|e| !(e.matches(place, key) && e.state == State::Pending));
            entries.push(Entry::new(place, key, systems, State::Pending, None));
        })
    }

    /// Records an issue that exists, replacing any pending line for `key`.
    pub fn record_filed(
        &self,
        place: &Place,
        key: &str,
        systems: &[String],
        url: &str,
    ) -> Result<(), JournalError> {
        self.update(|entries| {
            entries.retain(|e| {
                !(e.matches(place, key)
                    && (e.state == State::Pending || e.url.as_deref() == Some(url)))
            });
            entries.push(Entry::new(
                place,
                key,
                systems,
                State::Filed,
                Some(url.to_string()),
            ));
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies a change and writes the whole journal atomically, under the lock,
    /// so concurrent workers never interleave half-written files.
    fn update(&self, change: impl FnOnce(&mut Vec<Entry>)) -> Result<(), JournalError> {
        let mut entries = self.lock();
        change(&mut entries);
        if !self.writable {
            return Ok(());
        }
        let file = JournalFile {
            version: 1,
            entries: entries.clone(),
        };
        let mut json = serde_json::to_string_pretty(&file).unwrap_or_default();
        json.push('\n');
        if let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_folder(folder)?;
        }
        write_with_access(&self.path, json.as_bytes(), true, Access::Private)?;
        Ok(())
    }
}

impl Entry {
    fn new(
        place: &Place,
        key: &str,
        systems: &[String],
        state: State,
        url: Option<String>,
    ) -> Self {
        Self {
            server: place.server.clone(),
            project: place.project.clone(),
            key: key.to_string(),
            systems: systems.to_vec(),
            state,
            url,
            updated: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }

    fn matches(&self, place: &Place, key: &str) -> bool {
        self.key == key
            && self.server == place.server
            && self.project.eq_ignore_ascii_case(&place.project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            server: "https://gitlab.example.com".into(),
            project: "it/access-requests".into(),
        }
    }

    #[test]
    fn pending_then_filed_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/journal.json");
        let journal = Journal::open(&path).unwrap();
        let systems = vec!["clari".to_string()];
        let states = |path: &Path| -> Vec<State> {
            let text = fs::read_to_string(path).unwrap();
            let file: JournalFile = serde_json::from_str(&text).unwrap();
            file.entries.iter().map(|e| e.state).collect()
        };
        journal.record_pending(&place(), "k1", &systems).unwrap();
        assert_eq!(
            states(&path),
            [State::Pending],
            "recorded before the create is sent"
        );
        assert!(Journal::open(&path)
            .unwrap()
            .filed(&place(), "k1")
            .is_empty());
        journal
            .record_filed(&place(), "k1", &systems, "https://x/1")
            .unwrap();
        assert_eq!(
            states(&path),
            [State::Filed],
            "the pending line is replaced"
        );
        let reopened = Journal::open(&path).unwrap();
        assert_eq!(
            reopened.filed(&place(), "k1"),
            vec![("https://x/1".to_string(), systems)]
        );
        let elsewhere = Place {
            server: "https://other.example.com".into(),
            ..place()
        };
        assert!(reopened.filed(&elsewhere, "k1").is_empty());
    }

    #[test]
    fn a_corrupt_journal_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        fs::write(&path, "{\"version\": 1, \"entries\": [oops").unwrap();
        let err = Journal::open(&path).unwrap_err().to_string();
        assert!(err.contains("journal.json:1:"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"version\": 1, \"entries\": [oops"
        );
    }

    #[test]
    fn a_read_only_journal_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let journal = Journal::open_read_only(&path).unwrap();
        journal.record_pending(&place(), "k", &[]).unwrap();
        assert!(!path.exists());
    }
}
