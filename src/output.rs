//! Everything the program writes: files appear whole or not at all, stdout
//! tolerates a closed pipe, and every byte passes one redaction step that
//! removes secrets, whatever layer produced the text: the token, anything
//! shaped like a GitLab token, and the user info and token parameters of
//! URLs. Lines for the terminal also pass the one terminal filter.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::inert::terminal_safe;

/// The secret to remove from everything written. Set once, at start-up, by
/// the settings that read it.
static SECRET: OnceLock<String> = OnceLock::new();

/// What a secret is replaced with.
const REDACTED: &str = "[redacted]";

/// GitLab's documented token prefixes (docs.gitlab.com, "Token prefixes"):
/// personal, project and group access tokens, OAuth application secrets,
/// deploy tokens, runner authentication (and routable runner) tokens, CI/CD
/// job tokens, trigger tokens, feed tokens, incoming mail tokens, agent
/// tokens, SCIM tokens, feature flag client tokens, workspace tokens, and
/// the legacy runner registration token.
const TOKEN_PREFIXES: &[&str] = &[
    "glpat-",
    "gloas-",
    "gldt-",
    "glrt-",
    "glrtr-",
    "glcbt-",
    "glptt-",
    "glft-",
    "glimt-",
    "glagent-",
    "glsoat-",
    "glffct-",
    "glwt-",
    "GR1348941",
];

/// The shortest token body taken for a token: shorter ones are words
/// such as `glpat-…` in a sentence about tokens.
const TOKEN_MIN_BODY: usize = 8;

/// Makes every later write remove `secret`. Secrets shorter than 4
/// characters are not redacted: they would blank out ordinary words.
pub(crate) fn redact_everywhere(secret: &str) {
    if secret.len() >= 4 {
        let _ = SECRET.set(secret.to_string());
    }
}

/// `text` without secrets: the configured token and any GitLab token-shaped
/// string become `[redacted]`, the user info of a URL (`bob:pw@`) goes, and
/// the value of a token-like query parameter (`private_token=`,
/// `access_token=`, `password=`…) becomes `[redacted]`.
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    let mut text = match SECRET.get() {
        Some(secret) if text.contains(secret.as_str()) => {
            Cow::Owned(text.replace(secret.as_str(), REDACTED))
        }
        _ => Cow::Borrowed(text),
    };
    for spans in [token_spans, user_info_spans, secret_parameter_spans] {
        let found = spans(&text);
        if !found.is_empty() {
            text = Cow::Owned(replaced(&text, &found));
        }
    }
    text
}

/// Text that has been through [`redact`]: what a file that is written once
/// and digested once is made of, so neither redacts it again.
pub(crate) struct Redacted<'a>(Cow<'a, str>);

impl<'a> Redacted<'a> {
    /// `text`, redacted.
    pub(crate) fn of(text: &'a str) -> Self {
        Self(redact(text))
    }

    /// The redacted text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text for a terminal: the one filter for anything a server, a catalogue
/// or a user wrote (no escape sequences, no bidi tricks), then redacted.
pub(crate) fn for_terminal(text: &str) -> String {
    redact(&terminal_safe(text)).into_owned()
}

/// `text` with each span replaced by its replacement; spans are in order
/// and do not overlap.
fn replaced(text: &str, spans: &[(Range<usize>, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, with) in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(with);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Where GitLab token-shaped strings are: a documented prefix at the start
/// of a word, then at least [`TOKEN_MIN_BODY`] token characters.
fn token_spans(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let bytes = text.as_bytes();
    let mut spans: Vec<(Range<usize>, &str)> = Vec::new();
    let starts =
        memchr::memmem::find_iter(bytes, "gl").chain(memchr::memmem::find_iter(bytes, "GR1348941"));
    let mut starts: Vec<usize> = starts.collect();
    starts.sort_unstable();
    for start in starts {
        if spans.last().is_some_and(|(s, _)| start < s.end)
            || (start > 0 && bytes[start - 1].is_ascii_alphanumeric())
        {
            continue;
        }
        let Some(prefix) = TOKEN_PREFIXES
            .iter()
            .find(|p| text[start..].starts_with(**p))
        else {
            continue;
        };
        let body = start + prefix.len();
        let mut end = body;
        while end < bytes.len() && is_token_byte(bytes[end]) {
            end += 1;
        }
        while end > body && bytes[end - 1] == b'.' {
            end -= 1;
        }
        if end - body >= TOKEN_MIN_BODY {
            spans.push((start..end, REDACTED));
        }
    }
    spans
}

/// Where a URL's end of address is: the characters that end an authority
/// or a query value in running text.
fn ends_url_part(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\' | ')')
}

/// The user info of every `scheme://user:password@host` in `text`.
fn user_info_spans(text: &str) -> Vec<(Range<usize>, &'static str)> {
    memchr::memmem::find_iter(text.as_bytes(), "://")
        .filter_map(|at| {
            let start = at + "://".len();
            let authority = text[start..]
                .split(|c: char| matches!(c, '/' | '?' | '#') || ends_url_part(c))
                .next()
                .unwrap_or_default();
            authority.rfind('@').map(|end| (start..start + end + 1, ""))
        })
        .collect()
}

/// A query parameter whose value is a secret.
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "token"
        || name.ends_with("_token")
        || name.ends_with("-token")
        || matches!(
            name.as_str(),
            "password" | "passwd" | "secret" | "client_secret" | "api_key" | "apikey"
        )
}

/// The values of token-like query parameters (`?private_token=…`,
/// `&access_token=…`) anywhere in `text`.
fn secret_parameter_spans(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'=', bytes)
        .filter_map(|at| {
            let mut name_start = at;
            while name_start > 0
                && (bytes[name_start - 1].is_ascii_alphanumeric()
                    || matches!(bytes[name_start - 1], b'_' | b'-'))
            {
                name_start -= 1;
            }
            let in_query = name_start > 0 && matches!(bytes[name_start - 1], b'?' | b'&' | b';');
            if !in_query || !is_secret_parameter(&text[name_start..at]) {
                return None;
            }
            let value = at + 1;
            let end = text[value..]
                .find(|c: char| matches!(c, '&' | '#') || ends_url_part(c))
                .map_or(text.len(), |len| value + len);
            (end > value).then_some((value..end, REDACTED))
        })
        .collect()
}

fn redact_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match redact(text) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        },
        Err(_) => Cow::Borrowed(bytes),
    }
}

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    /// The file exists and `--force` was not given.
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// The path is something other than a regular file (a symbolic link, a
    /// folder, a pipe, a device): it is never replaced, even with `--force`.
    #[error("{}", not_regular_message(path, kind, *flag))]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What is there: `a symbolic link`.
        kind: &'static str,
        /// The flag that named the path, for the message.
        flag: Option<&'static str>,
    },
    /// The file system refused.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file being written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl OutputError {
    /// Names the flag that gave the path, in a refusal of what is not a
    /// regular file.
    #[must_use]
    pub(crate) fn for_flag(self, name: &'static str) -> Self {
        match self {
            Self::NotRegular { path, kind, .. } => Self::NotRegular {
                path,
                kind,
                flag: Some(name),
            },
            other => other,
        }
    }
}

fn not_regular_message(path: &Path, kind: &str, flag: Option<&str>) -> String {
    let standard_stream = path.starts_with("/dev") || path.starts_with("/proc");
    let hint = match flag {
        Some("-o") if standard_stream => "; leave out -o to print to standard output",
        _ => "",
    };
    format!(
        "{} is {kind}; {} writes only regular files, even with --force{hint}",
        path.display(),
        flag.unwrap_or("onboard")
    )
}

/// What is at `path` when it is there and is not a regular file: `a
/// symbolic link`, `a folder`, `a named pipe (FIFO)`, `a socket`, `a
/// device`. A symbolic link counts as one even when it points at a file,
/// since replacing it would break the link, and writing through it would
/// write somewhere else.
pub(crate) fn not_regular(path: &Path) -> Option<&'static str> {
    let meta = fs::symlink_metadata(path).ok()?;
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_symlink() {
        return Some("a symbolic link");
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Who may read a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// A document: readable by others, as an editor would save it (or the
    /// replaced file's own permissions).
    Shared,
    /// State with personal data: only the owner, and flushed to disk before
    /// it replaces the old file.
    Private,
}

/// Writes `contents` to `path` through a temporary file in the same folder and a
/// rename, so readers never see half a file. Refuses to replace an existing file
/// unless `overwrite` is set, and anything but a regular file always.
pub(crate) fn write_atomically(
    path: &Path,
    contents: &[u8],
    overwrite: bool,
) -> Result<(), OutputError> {
    write_with_access(path, contents, overwrite, Access::Shared)
}

/// [`write_atomically`] with a choice of who may read the file.
pub(crate) fn write_with_access(
    path: &Path,
    contents: &[u8],
    overwrite: bool,
    access: Access,
) -> Result<(), OutputError> {
    let fail = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(kind) = not_regular(path) {
        return Err(OutputError::NotRegular {
            path: path.to_path_buf(),
            kind,
            flag: None,
        });
    }
    if !overwrite && path.exists() {
        return Err(OutputError::Exists(path.to_path_buf()));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
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
    // The temporary file's own name means nothing to a person: keep the cause only.
    let mut temp = builder.tempfile_in(folder).map_err(|e| {
        let text = e.to_string();
        let cause = text.split(" at path ").next().unwrap_or_default();
        fail(io::Error::new(e.kind(), cause))
    })?;
    temp.write_all(&redact_bytes(contents)).map_err(fail)?;
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

/// How temporary files are named, so leftovers of a killed run can be found.
const TEMP_PREFIX: &str = ".onboard-";
const TEMP_SUFFIX: &str = ".tmp";

/// How old a temporary file must be before it counts as left behind by a
/// killed run; a live run keeps one for milliseconds.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_mins(1);

/// Removes temporary files that a killed run left in `folder`. Best effort:
/// what cannot be removed is left for the next run.
pub(crate) fn clean_leftovers(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) && old {
            let path = entry.path();
            let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        }
    }
}

/// A file written a piece at a time, through a temporary file beside it
/// renamed into place at the end: readers see the old file or the whole new
/// one. Its writer does not redact; what goes in must be redacted already.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    temp: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts replacing (or creating) `path`, readable by others.
    pub(crate) fn create(path: &Path) -> Result<Self, OutputError> {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o644));
        }
        let temp = builder
            .tempfile_in(folder)
            .map_err(|source| OutputError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Self {
            temp: io::BufWriter::new(temp),
            path: path.to_path_buf(),
        })
    }

    /// Renames the finished file into place.
    pub(crate) fn commit(self) -> Result<(), OutputError> {
        let fail = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        let temp = self.temp.into_inner().map_err(|e| fail(e.into_error()))?;
        temp.persist(&self.path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Prints a file to stdout as it is, a piece at a time; a reader that went
/// away (`| head`) is not an error.
pub(crate) fn print_file(path: &Path) -> Result<(), OutputError> {
    let fail = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::File::open(path).map_err(fail)?;
    let mut stdout = io::stdout().lock();
    match io::copy(&mut file, &mut stdout).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|source| OutputError::Io {
            path: PathBuf::from("standard output"),
            source,
        }),
    }
}

/// A fresh output folder, filled under a temporary name beside it and
/// renamed into place whole: each file is one create, write and close, with
/// no temporary file and rename of its own, and a run that stops early leaves
/// no half-filled folder behind (a killed one leaves a temporary folder that
/// [`clean_leftovers`] removes later).
#[derive(Debug)]
pub(crate) struct StagedFolder {
    staging: tempfile::TempDir,
    target: PathBuf,
}

impl StagedFolder {
    /// Starts filling `target`, which must not exist yet; its parents are
    /// created.
    pub(crate) fn create(target: &Path) -> Result<Self, OutputError> {
        let fail = |source| OutputError::Io {
            path: target.to_path_buf(),
            source,
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if parent.exists() && !parent.is_dir() {
            return Err(fail(io::ErrorKind::NotADirectory.into()));
        }
        fs::create_dir_all(parent).map_err(fail)?;
        clean_leftovers(parent);
        let staging = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempdir_in(parent)
            .map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // A folder of documents, as `mkdir` would make it.
            fs::set_permissions(staging.path(), fs::Permissions::from_mode(0o755)).map_err(fail)?;
        }
        Ok(Self {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Where the files are until the folder is published.
    pub(crate) fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Writes the file `name`, readable by others like any document.
    pub(crate) fn write(&self, name: &str, contents: &Redacted<'_>) -> Result<(), OutputError> {
        let path = self.staging.path().join(name);
        fs::write(&path, contents.as_str()).map_err(|source| OutputError::Io {
            path: self.target.join(name),
            source,
        })
    }

    /// Renames the folder into place. Should `target` have appeared in the
    /// meantime (another run writing the same roster), each file moves in on
    /// its own and none of the other run's is replaced: the names of those
    /// that differ from this run's are returned.
    pub(crate) fn publish(self) -> Result<Vec<String>, OutputError> {
        let fail = |path: &Path, source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        };
        if !self.target.exists() && fs::rename(self.staging.path(), &self.target).is_ok() {
            let _ = self.staging.keep();
            return Ok(Vec::new());
        }
        let mut differ = Vec::new();
        for entry in fs::read_dir(self.staging.path()).map_err(|e| fail(&self.target, e))? {
            let staged = entry.map_err(|e| fail(&self.target, e))?.path();
            let name = staged.file_name().unwrap_or_default();
            let target = self.target.join(name);
            // A hard link never replaces what is there; renaming would.
            match fs::hard_link(&staged, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if fs::read(&target).ok() != fs::read(&staged).ok() {
                        differ.push(name.to_string_lossy().into_owned());
                    }
                }
                Err(e) => return Err(fail(&target, e)),
            }
        }
        Ok(differ)
    }
}

/// Creates a folder and its parents.
pub(crate) fn create_folder(path: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Prints to stdout; a reader that went away (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), OutputError> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(redact(text).as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|source| OutputError::Io {
            path: PathBuf::from("standard output"),
            source,
        }),
    }
}

/// Prints a line to stderr, through the terminal filter: what it says may
/// quote a server, a catalogue or a user.
pub(crate) fn say(text: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "{}",
        for_terminal(text.trim_end_matches('\n'))
    );
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

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.md");
        fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for (path, kind) in [
            (&link, "a symbolic link"),
            (&dir.path().to_path_buf(), "a folder"),
        ] {
            let err = write_atomically(path, b"x", true).unwrap_err();
            assert!(
                matches!(&err, OutputError::NotRegular { kind: k, .. } if *k == kind),
                "{err}"
            );
        }
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let err = write_atomically(&link, b"x", true)
            .unwrap_err()
            .for_flag("-o");
        assert_eq!(
            err.to_string(),
            format!(
                "{} is a symbolic link; -o writes only regular files, even with --force",
                link.display()
            )
        );
        let err = write_atomically(Path::new("/dev/stdout"), b"x", true)
            .unwrap_err()
            .for_flag("-o");
        assert_eq!(
            err.to_string(),
            "/dev/stdout is a symbolic link; -o writes only regular files, even with --force; leave out -o to print to standard output"
        );
    }

    #[test]
    fn a_missing_folder_is_an_io_error_naming_the_file() {
        let err =
            write_atomically(Path::new("/nonexistent-onboard/x.md"), b"x", false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot write /nonexistent-onboard/x.md: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn temporary_files_a_killed_run_left_are_cleaned_but_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".onboard-abc123.tmp");
        let fresh = dir.path().join(".onboard-def456.tmp");
        let other = dir.path().join("notes.tmp");
        for path in [&old, &fresh, &other] {
            fs::write(path, "x").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
        for path in [&old, &other] {
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        clean_leftovers(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists(), "a live run's file is left alone");
        assert!(other.exists(), "only onboard's own files are touched");
    }

    #[test]
    fn a_staged_folder_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let leftovers = || {
            fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .count()
        };
        let out = dir.path().join("nested/out");
        let abandoned = StagedFolder::create(&out).unwrap();
        abandoned.write("a.md", &Redacted::of("a")).unwrap();
        drop(abandoned);
        assert!(!out.exists(), "a run that stopped early leaves no folder");
        assert_eq!(fs::read_dir(dir.path().join("nested")).unwrap().count(), 0);

        let staged = StagedFolder::create(&out).unwrap();
        staged.write("a.md", &Redacted::of("a")).unwrap();
        staged.write("b.md", &Redacted::of("b")).unwrap();
        assert!(!out.exists(), "nothing shows before it is published");
        staged.publish().unwrap();
        assert_eq!(fs::read(out.join("a.md")).unwrap(), b"a");
        assert_eq!(fs::read(out.join("b.md")).unwrap(), b"b");

        // Another run made the folder meanwhile: its files stay, ours join them.
        let late = out.with_file_name("late");
        fs::create_dir(&late).unwrap();
        fs::write(late.join("mine.md"), b"mine").unwrap();
        fs::write(late.join("c.md"), b"theirs").unwrap();
        let other = StagedFolder::create(&late).unwrap();
        other.write("c.md", &Redacted::of("c")).unwrap();
        other.write("d.md", &Redacted::of("d")).unwrap();
        other.write("mine.md", &Redacted::of("mine")).unwrap();
        assert_eq!(other.publish().unwrap(), vec!["c.md".to_string()]);
        assert_eq!(fs::read(late.join("mine.md")).unwrap(), b"mine");
        assert_eq!(
            fs::read(late.join("c.md")).unwrap(),
            b"theirs",
            "nothing is replaced"
        );
        assert_eq!(fs::read(late.join("d.md")).unwrap(), b"d");
        assert_eq!(leftovers(), 0);
    }

    #[test]
    fn token_shaped_strings_are_redacted_but_words_are_not() {
        assert_eq!(
            redact("got glpat-AbCdEf123456_-xyZ. and SIE-glrt-t1_abcdefgh.01.0w1x2y3z"),
            "got [redacted]. and SIE-[redacted]"
        );
        assert_eq!(
            redact("GR1348941abcdefghijklmnop, gloas-0123456789abcdef"),
            "[redacted], [redacted]"
        );
        for kept in [
            "export GITLAB_TOKEN=glpat-\u{2026}",
            "glpat-short",
            "xglpat-abcdefghijkl",
            "glossary-entries",
        ] {
            assert_eq!(redact(kept), kept);
        }
    }

    #[test]
    fn urls_lose_user_info_and_token_parameters() {
        assert_eq!(
            redact("'http://bob:SECRETPW123@gitlab.example.com/x' is refused"),
            "'http://gitlab.example.com/x' is refused"
        );
        assert_eq!(
            redact("https://h/api?private_token=abc&page=2 and https://h/?a=1&ACCESS_TOKEN=xyz#top"),
            "https://h/api?private_token=[redacted]&page=2 and https://h/?a=1&ACCESS_TOKEN=[redacted]#top"
        );
        let kept = "mail bob@example.com at https://gitlab.com/a?page=2, x=token";
        assert_eq!(redact(kept), kept);
        assert_eq!(
            for_terminal("by \u{1b}]0;x\u{7}evil\u{202E} https://u:p@h"),
            "by evil https://h"
        );
    }

    #[test]
    fn the_secret_is_redacted_from_text_and_files() {
        redact_everywhere("glpat-unit-test-secret");
        assert_eq!(
            redact("token glpat-unit-test-secret leaked"),
            "token [redacted] leaked"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        write_atomically(&path, b"{\"e\":\"glpat-unit-test-secret\"}", false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"e\":\"[redacted]\"}");
    }
}
