//! A small local record of what was filed, so a run that crashed or lost an
//! answer knows what it sent. It is a hint, never the truth: every run also
//! looks each hire up on GitLab, and an issue the journal remembers but
//! GitLab no longer has is filed again.
//!
//! Runs on one machine take an advisory lock on the journal for as long as
//! they file, so two of them never interleave their creates or lose a line.
//! A journal that cannot be read is moved aside with a warning; the lookups
//! make it safe to lose.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::output::{clean_leftovers, create_folder, say, write_with_access, Access, OutputError};

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JournalError {
    /// It, or its lock, cannot be read or opened.
    #[error("cannot use the filing journal {}: {source}", path.display())]
    Open {
        /// The journal file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// It cannot be written.
    #[error(transparent)]
    Write(#[from] OutputError),
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum State {
    /// A create was about to be sent; it may or may not have happened.
    Pending,
    /// The issue exists at `url`.
    Filed,
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
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
    /// The issue's number in its project, once known.
    #[serde(default)]
    pub iid: Option<u64>,
    /// When this line was last written (RFC 3339).
    pub updated: String,
    /// The issues this one is known to link to (an onboarding issue's
    /// access requests), so a re-run asks GitLab only about new ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub linked: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct JournalFile {
    version: u32,
    entries: Vec<Entry>,
}

/// The place a request is filed: GitLab address and project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Place {
    /// GitLab address.
    pub server: String,
    /// Project path.
    pub project: String,
}

/// An issue the journal remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remembered {
    /// Its web page.
    pub url: String,
    /// Its number, when known.
    pub iid: Option<u64>,
    /// The systems it asks for.
    pub systems: Vec<String>,
}

/// The journal; safe to share between threads.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    entries: Mutex<Vec<Entry>>,
    /// Held while filing; `None` for a read-only journal.
    lock: Option<File>,
}

/// How long to wait quietly for another run's lock before saying so.
const QUIET_WAIT: Duration = Duration::from_millis(500);

impl Journal {
    /// Opens the journal at `path` for filing: takes its lock (waiting, with
    /// a message, while another run holds it), cleans up temporary files a
    /// killed run left, and moves an unreadable journal aside. A missing file
    /// is an empty journal.
    pub(crate) fn open(path: &Path) -> Result<Self, JournalError> {
        let fail = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_folder(folder)?;
            clean_leftovers(folder);
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(fail)?;
        if lock.try_lock().is_err() {
            std::thread::sleep(QUIET_WAIT);
            if lock.try_lock().is_err() {
                say(&format!(
                    "waiting for another onboard run to finish with the filing journal {} ...",
                    path.display()
                ));
                lock.lock().map_err(fail)?;
            }
        }
        Ok(Self {
            entries: Mutex::new(read_entries(path, true)?),
            path: path.to_path_buf(),
            lock: Some(lock),
        })
    }

    /// Opens the journal for reading only, as a dry run does: no lock, no writes.
    pub(crate) fn open_read_only(path: &Path) -> Result<Self, JournalError> {
        Ok(Self {
            entries: Mutex::new(read_entries(path, false)?),
            path: path.to_path_buf(),
            lock: None,
        })
    }

    /// Issues filed for `key` at `place`.
    pub(crate) fn filed(&self, place: &Place, key: &str) -> Vec<Remembered> {
        self.entries()
            .iter()
            .filter(|e| e.matches(place, key) && e.state == State::Filed)
            .filter_map(|e| {
                e.url.clone().map(|url| Remembered {
                    url,
                    iid: e.iid,
                    systems: e.systems.clone(),
                })
            })
            .collect()
    }

    /// Records that a create for these systems is about to be sent.
    pub(crate) fn record_pending(
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
    pub(crate) fn record_filed(
        &self,
        place: &Place,
        key: &str,
        issue: &Remembered,
    ) -> Result<(), JournalError> {
        self.update(|entries| {
            let mut entry = Entry::new(place, key, &issue.systems, State::Filed, Some(issue));
            entry.iid = issue.iid;
            entries.retain(|e| {
                let same = e.matches(place, key) && e.url.as_deref() == Some(&issue.url);
                if same {
                    entry.linked.clone_from(&e.linked);
                }
                !(e.matches(place, key) && (e.state == State::Pending || same))
            });
            entries.push(entry);
        })
    }

    /// The issues the issue at `url` is known to link to.
    pub(crate) fn linked(&self, place: &Place, key: &str, url: &str) -> Vec<String> {
        self.entries()
            .iter()
            .find(|e| e.matches(place, key) && e.url.as_deref() == Some(url))
            .map(|e| e.linked.clone())
            .unwrap_or_default()
    }

    /// Records that the issue at `url` links to each of `targets`.
    pub(crate) fn record_linked(
        &self,
        place: &Place,
        key: &str,
        url: &str,
        targets: &[String],
    ) -> Result<(), JournalError> {
        self.update(|entries| {
            if let Some(entry) = entries
                .iter_mut()
                .find(|e| e.matches(place, key) && e.url.as_deref() == Some(url))
            {
                for target in targets {
                    if !entry.linked.contains(target) {
                        entry.linked.push(target.clone());
                    }
                }
            }
        })
    }

    /// Forgets an issue GitLab no longer has.
    pub(crate) fn forget(&self, place: &Place, key: &str, url: &str) -> Result<(), JournalError> {
        self.update(|entries| {
            entries.retain(|e| !(e.matches(place, key) && e.url.as_deref() == Some(url)));
        })
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies a change and writes the whole journal atomically and flushed,
    /// under the lock, so concurrent workers never interleave half-written files.
    fn update(&self, change: impl FnOnce(&mut Vec<Entry>)) -> Result<(), JournalError> {
        let mut entries = self.entries();
        change(&mut entries);
        if self.lock.is_none() {
            return Ok(());
        }
        let file = JournalFile {
            version: 2,
            entries: entries.clone(),
        };
        let mut json = serde_json::to_string_pretty(&file).unwrap_or_default();
        json.push('\n');
        write_with_access(&self.path, json.as_bytes(), true, Access::Private)?;
        Ok(())
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// The journal's entries. One that cannot be read is moved aside (when
/// `repair` is set) with a warning, and the run starts from an empty journal.
fn read_entries(path: &Path, repair: bool) -> Result<Vec<Entry>, JournalError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(JournalError::Open {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    match serde_json::from_str::<JournalFile>(text) {
        Ok(file) => Ok(file.entries),
        Err(e) => {
            let why = format!("line {}, column {}: {e}", e.line(), e.column());
            if repair {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
                let mut aside = path.as_os_str().to_os_string();
                aside.push(format!(".corrupt-{stamp}"));
                let aside = PathBuf::from(aside);
                fs::rename(path, &aside).map_err(|source| JournalError::Open {
                    path: path.to_path_buf(),
                    source,
                })?;
                say(&format!(
                    "warning: the filing journal {} could not be read ({why}); it was moved to {} and this run looks every hire up on GitLab instead",
                    path.display(),
                    aside.display()
                ));
            } else {
                say(&format!(
                    "warning: the filing journal {} could not be read ({why}); every hire is looked up on GitLab instead",
                    path.display()
                ));
            }
            Ok(Vec::new())
        }
    }
}

impl Entry {
    fn new(
        place: &Place,
        key: &str,
        systems: &[String],
        state: State,
        issue: Option<&Remembered>,
    ) -> Self {
        Self {
            server: place.server.clone(),
            project: place.project.clone(),
            key: key.to_string(),
            systems: systems.to_vec(),
            state,
            url: issue.map(|i| i.url.clone()),
            iid: issue.and_then(|i| i.iid),
            updated: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            linked: Vec::new(),
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

    fn issue(url: &str, iid: u64) -> Remembered {
        Remembered {
            url: url.into(),
            iid: Some(iid),
            systems: vec!["clari".to_string()],
        }
    }

    fn states(path: &Path) -> Vec<State> {
        let text = fs::read_to_string(path).unwrap();
        let file: JournalFile = serde_json::from_str(&text).unwrap();
        file.entries.iter().map(|e| e.state).collect()
    }

    #[test]
    fn pending_then_filed_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/journal.json");
        let journal = Journal::open(&path).unwrap();
        let systems = vec!["clari".to_string()];
        journal.record_pending(&place(), "k1", &systems).unwrap();
        assert_eq!(
            states(&path),
            [State::Pending],
            "recorded before the create is sent"
        );
        journal
            .record_filed(&place(), "k1", &issue("https://x/1", 1))
            .unwrap();
        assert_eq!(
            states(&path),
            [State::Filed],
            "the pending line is replaced"
        );
        drop(journal);
        let reopened = Journal::open(&path).unwrap();
        assert_eq!(
            reopened.filed(&place(), "k1"),
            vec![issue("https://x/1", 1)]
        );
        let elsewhere = Place {
            server: "https://other.example.com".into(),
            ..place()
        };
        assert!(reopened.filed(&elsewhere, "k1").is_empty());
        reopened.forget(&place(), "k1", "https://x/1").unwrap();
        assert!(reopened.filed(&place(), "k1").is_empty());
    }

    #[test]
    fn a_corrupt_journal_is_moved_aside_and_the_run_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        fs::write(&path, "\u{feff}{\"version\": 1, \"entries\": [oops").unwrap();
        let journal = Journal::open(&path).unwrap();
        assert!(journal.filed(&place(), "k").is_empty());
        let aside: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("journal.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert!(!path.exists());
    }

    #[test]
    fn a_bom_alone_is_an_empty_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        fs::write(&path, "\u{feff}").unwrap();
        assert!(Journal::open(&path).is_ok());
        assert!(path.exists(), "nothing to move aside");
    }

    #[test]
    fn a_read_only_journal_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let journal = Journal::open_read_only(&path).unwrap();
        journal.record_pending(&place(), "k", &[]).unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn a_second_run_waits_for_the_first_to_release_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let first = Journal::open(&path).unwrap();
        first.record_pending(&place(), "k", &[]).unwrap();
        let another = || {
            OpenOptions::new()
                .write(true)
                .open(lock_path(&path))
                .unwrap()
        };
        assert!(
            another().try_lock().is_err(),
            "a second run cannot take the lock the first holds, so it waits"
        );
        first
            .record_filed(&place(), "k", &issue("https://x/1", 1))
            .unwrap();
        drop(first);
        assert!(another().try_lock().is_ok(), "released when the run ends");
        let second = Journal::open(&path).unwrap();
        assert_eq!(
            second.filed(&place(), "k"),
            vec![issue("https://x/1", 1)],
            "it sees every line the first run wrote"
        );
    }
}
