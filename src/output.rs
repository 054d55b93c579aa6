//! Writing results: files appear whole or not at all, and stdout tolerates a closed pipe.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file exists and `--force` was not given.
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// The file system refused.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file being written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Who may read a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A document: readable by others, as an editor would save it (or the
    /// replaced file's own permissions).
    Shared,
    /// State with personal data: only the owner, and flushed to disk before
    /// it replaces the old file.
    Private,
}

/// Writes `contents` to `path` through a temporary file in the same folder and a
/// rename, so readers never see half a file. Refuses to replace an existing file
/// unless `overwrite` is set.
pub fn write_atomically(path: &Path, contents: &[u8], overwrite: bool) -> Result<(), OutputError> {
    write_with_access(path, contents, overwrite, Access::Shared)
}

/// [`write_atomically`] with a choice of who may read the file.
pub fn write_with_access(
    path: &Path,
    contents: &[u8],
    overwrite: bool,
    access: Access,
) -> Result<(), OutputError> {
    let fail = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !overwrite && path.exists() {
        return Err(OutputError::Exists(path.to_path_buf()));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".onboard-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match (access, fs::metadata(path)) {
            (Access::Private, _) => 0o600,
            (Access::Shared, Ok(existing)) => existing.permissions().mode() & 0o777,
            (Access::Shared, Err(_)) => 0o644,
        };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(folder).map_err(fail)?;
    temp.write_all(contents).map_err(fail)?;
    // State must survive a power cut; a document can always be written again
    // from the catalogue, and the rename alone already keeps readers from
    // ever seeing half of it.
    if access == Access::Private {
        temp.as_file().sync_all().map_err(fail)?;
    }
    if overwrite {
        temp.persist(path).map_err(|e| fail(e.error))?;
    } else {
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                OutputError::Exists(path.to_path_buf())
            } else {
                fail(e.error)
            }
        })?;
    }
    Ok(())
}

/// Creates a folder and its parents.
pub fn create_folder(path: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Prints to stdout; a reader that went away (`| head`) is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_permission() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        write_atomically(&path, b"first", false).unwrap();
        let err = write_atomically(&path, b"second", false).unwrap_err();
        assert!(matches!(err, OutputError::Exists(_)));
        assert_eq!(fs::read(&path).unwrap(), b"first");
        write_atomically(&path, b"second", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    }

    #[cfg(unix)]
    #[test]
    fn documents_are_readable_and_private_state_is_not() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("doc.md");
        write_atomically(&doc, b"x", false).unwrap();
        assert_eq!(
            fs::metadata(&doc).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let state = dir.path().join("journal.json");
        write_with_access(&state, b"{}", false, Access::Private).unwrap();
        assert_eq!(
            fs::metadata(&state).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_missing_folder_is_an_io_error_naming_the_file() {
        let err =
            write_atomically(Path::new("/nonexistent-onboard/x.md"), b"x", false).unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent-onboard/x.md"),
            "{err}"
        );
    }
}
