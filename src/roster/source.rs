//! Where a roster's bytes come from: a file, a pipe or stdin (`-`), read
//! once into memory. A batch goes over the rows several times (check, then
//! write); a pipe can be read only once, and the text is held anyway.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The largest roster read: about 800,000 hires, far beyond a starting
/// class, and small enough that a runaway pipe cannot exhaust memory.
pub(super) const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A roster's bytes, and its name as messages show it.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// The file as shown: its path, or `stdin` for `-`.
    pub shown: String,
    /// Everything it held.
    pub bytes: Vec<u8>,
}

/// Why a roster could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    /// The file or pipe could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// It holds more than [`MAX_BYTES`].
    #[error(transparent)]
    TooLarge(Diagnostics),
}

impl Source {
    /// Reads `path` once, to its end; `-` is stdin.
    pub(crate) fn read(path: &Path) -> Result<Self, ReadError> {
        let io_error = |source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let stdin = path.as_os_str() == "-";
        let shown = if stdin {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        let mut reader: Box<dyn Read> = if stdin {
            Box::new(io::stdin().lock())
        } else {
            let file = File::open(path).map_err(io_error)?;
            // A regular file says its size: a huge one is refused unread.
            if file
                .metadata()
                .is_ok_and(|m| m.is_file() && m.len() > MAX_BYTES)
            {
                return Err(too_large(&shown));
            }
            Box::new(file)
        };
        let mut bytes = Vec::new();
        reader
            .by_ref()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(too_large(&shown));
        }
        Ok(Self { shown, bytes })
    }
}

fn too_large(shown: &str) -> ReadError {
    ReadError::TooLarge(
        Diagnostic::file(
            shown,
            format!(
                "the roster is larger than {} MiB; split it into several batches",
                MAX_BYTES / (1024 * 1024)
            ),
        )
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_and_a_huge_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, "name\n").unwrap();
        let source = Source::read(&path).unwrap();
        assert_eq!(source.bytes, b"name\n");
        assert_eq!(source.shown, path.display().to_string());
        let file = File::create(&path).unwrap();
        file.set_len(MAX_BYTES + 1).unwrap();
        let err = Source::read(&path).unwrap_err().to_string();
        assert!(
            err.ends_with(":1:1: the roster is larger than 64 MiB; split it into several batches"),
            "{err}"
        );
        let missing = Source::read(&dir.path().join("none.csv")).unwrap_err();
        assert!(matches!(missing, ReadError::Io { .. }));
    }
}
