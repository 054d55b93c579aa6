//! What onboard last wrote in an `--out` folder: `.checklists.sha256`, one
//! `sha256sum` line per checklist. A re-run rewrites a checklist whose
//! content changed when the file is still exactly what onboard wrote, and
//! asks for `--force` only when it was edited by hand since
//! (`sha256sum -c .checklists.sha256` shows which, too).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::output::{AtomicFile, OutputError, Redacted};

/// The file's name in the output folder.
pub(super) const FILE: &str = ".checklists.sha256";

/// The digest of each checklist onboard last wrote, by file name.
#[derive(Debug, Default)]
pub(super) struct Written {
    sums: HashMap<String, String>,
}

impl Written {
    /// What `folder` records; nothing when it records nothing readable (a
    /// folder from before the record, or a line edited by hand), so those
    /// checklists count as edited.
    pub(super) fn load(folder: &Path) -> Self {
        let text = std::fs::read_to_string(folder.join(FILE)).unwrap_or_default();
        let sums = text
            .lines()
            .filter_map(|line| line.split_once("  "))
            .filter(|(sum, name)| sum.len() == 64 && !name.is_empty())
            .map(|(sum, name)| (name.to_string(), sum.to_string()))
            .collect();
        Self { sums }
    }

    /// Whether `current`, the checklist `name` as it is now, is what
    /// onboard last wrote there.
    pub(super) fn by_onboard(&self, name: &str, current: &[u8]) -> bool {
        self.sums
            .get(name)
            .is_some_and(|sum| *sum == digest(current))
    }

    /// Whether `current` is an edit by hand to be left alone: `text`, what
    /// onboard would write now, is what it last wrote, so the edit loses
    /// nothing new.
    pub(super) fn kept_edit(&self, name: &str, current: &[u8], text: &Redacted<'_>) -> bool {
        !self.by_onboard(name, current) && self.by_onboard(name, text.as_str().as_bytes())
    }
}

/// The record being written afresh, a line per checklist as the batch goes.
pub(super) struct Record {
    file: AtomicFile,
    folder: PathBuf,
}

impl Record {
    /// Starts the record of `folder`.
    pub(super) fn create(folder: &Path) -> Result<Self, OutputError> {
        Ok(Self {
            file: AtomicFile::create(&folder.join(FILE))?,
            folder: folder.to_path_buf(),
        })
    }

    /// Records one checklist's [`line`].
    pub(super) fn push(&mut self, line: &str) -> Result<(), OutputError> {
        self.file
            .write_all(line.as_bytes())
            .map_err(|source| self.error(source))
    }

    /// Adds every line of `earlier` for a checklist this run did not
    /// write (a skipped row's, say) whose file is still there, and puts
    /// the record in place.
    pub(super) fn finish(
        mut self,
        earlier: &Written,
        named: &HashSet<String>,
    ) -> Result<(), OutputError> {
        let mut kept: Vec<(&String, &String)> = earlier
            .sums
            .iter()
            .filter(|(name, _)| !named.contains(*name) && self.folder.join(name).is_file())
            .collect();
        kept.sort();
        for (name, sum) in kept {
            writeln!(self.file, "{sum}  {name}").map_err(|source| self.error(source))?;
        }
        self.file.commit()
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError::Io {
            path: self.folder.join(FILE),
            source,
        }
    }
}

/// The record's line for a checklist with this text, as written to disk.
pub(super) fn line(name: &str, text: &Redacted<'_>) -> String {
    format!("{}  {name}\n", digest(text.as_str().as_bytes()))
}

fn digest(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checklist_is_known_until_it_is_edited() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ada.md"), "# Ada\n").unwrap();
        std::fs::write(dir.path().join("old.md"), "# Old\n").unwrap();
        let earlier =
            line("old.md", &Redacted::of("# Old\n")) + &line("gone.md", &Redacted::of("x"));
        std::fs::write(dir.path().join(FILE), earlier).unwrap();
        let record = Written::load(dir.path());
        assert!(record.by_onboard("old.md", b"# Old\n"));
        assert!(!record.by_onboard("old.md", b"# Old, edited\n"));
        assert!(!record.by_onboard("ada.md", b"# Ada\n"), "never recorded");
        assert!(record.kept_edit("old.md", b"# Old, edited\n", &Redacted::of("# Old\n")));
        assert!(!record.kept_edit("old.md", b"# Old, edited\n", &Redacted::of("# New\n")));
        let named = HashSet::from(["ada.md".to_string()]);
        let mut fresh = Record::create(dir.path()).unwrap();
        fresh
            .push(&line("ada.md", &Redacted::of("# Ada\n")))
            .unwrap();
        fresh.finish(&record, &named).unwrap();
        let again = Written::load(dir.path());
        assert!(again.by_onboard("ada.md", b"# Ada\n"));
        assert!(again.by_onboard("old.md", b"# Old\n"), "kept");
        assert!(!again.sums.contains_key("gone.md"), "its file is gone");
    }
}
