//! The files `onboard` reads its catalogue and templates from: embedded in the
//! binary, or a folder on disk that overrides them.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// One file of a [`FileSet`], with the path shown in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFile {
    /// The path used in messages, e.g. `roles/sales.yaml`.
    pub path: String,
    /// The bare file name, e.g. `sales.yaml`.
    pub name: String,
    /// The whole text: borrowed for an embedded file, which is read far
    /// more often than it is changed, so starting up copies none of them.
    pub text: Cow<'static, str>,
    /// The same data as JSON, for embedded catalogue files (converted when the
    /// binary was built); faster to read than the YAML `text`.
    pub json: Option<&'static str>,
}

/// A folder of catalogue or template files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileSet {
    /// The files, sorted by name.
    pub files: Vec<SourceFile>,
}

/// A folder that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {source}", path.display())]
pub(crate) struct ReadDirError {
    /// The folder or file that failed.
    pub path: PathBuf,
    /// Why.
    pub source: io::Error,
}

impl FileSet {
    /// The role catalogue compiled into the binary.
    pub(crate) fn embedded_roles() -> Self {
        Self::from_embedded("roles", embedded::ROLES)
    }

    /// The public holidays of each country, compiled into the binary from
    /// `roles/holidays/`.
    pub(crate) fn embedded_country_holidays() -> Self {
        Self::from_embedded("roles/holidays", embedded::HOLIDAYS)
    }

    /// The templates compiled into the binary.
    pub(crate) fn embedded_templates() -> Self {
        Self::from_embedded("templates", embedded::TEMPLATES)
    }

    /// Whether `file` is an embedded template, unchanged.
    /// True when every file is the one compiled into the binary.
    pub(crate) fn is_embedded(&self) -> bool {
        self.files.iter().all(|file| {
            [embedded::ROLES, embedded::TEMPLATES, embedded::HOLIDAYS]
                .iter()
                .any(|set| {
                    set.iter()
                        .any(|(name, text, _)| *name == file.name && *text == file.text)
                })
        })
    }

    pub(crate) fn is_embedded_template(file: &SourceFile) -> bool {
        embedded::TEMPLATES
            .iter()
            .any(|(name, text, _)| *name == file.name && *text == file.text)
    }

    fn from_embedded(dir: &str, files: &[(&str, &'static str, Option<&'static str>)]) -> Self {
        Self {
            files: files
                .iter()
                .map(|(name, text, json)| SourceFile {
                    path: format!("{dir}/{name}"),
                    name: (*name).to_string(),
                    text: Cow::Borrowed(text),
                    json: *json,
                })
                .collect(),
        }
    }

    /// Reads every file of `dir` whose name ends with one of `extensions`.
    /// A symbolic link that leads out of `dir` is refused unread: whatever
    /// it points at is not the catalogue's to show in a message.
    pub(crate) fn read_dir(dir: &Path, extensions: &[&str]) -> Result<Self, ReadDirError> {
        let fail = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReadDirError { path, source }
        };
        let root = fs::canonicalize(dir).map_err(fail(dir))?;
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(fail(dir))? {
            let path = entry.map_err(fail(dir))?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !path.is_file() || !extensions.iter().any(|ext| name.ends_with(ext)) {
                continue;
            }
            let inside = fs::canonicalize(&path).map_err(fail(&path))?;
            if !inside.starts_with(&root) {
                return Err(ReadDirError {
                    source: io::Error::other(format!(
                        "it is a symbolic link to a file outside {}; files of a catalogue or templates folder must be inside it",
                        dir.display()
                    )),
                    path,
                });
            }
            let text = fs::read_to_string(&path).map_err(fail(&path))?;
            files.push(SourceFile {
                path: path.display().to_string(),
                name,
                text: Cow::Owned(text),
                json: None,
            });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self { files })
    }

    /// This set with every file of `overrides` replacing the one of the same name.
    pub(crate) fn overridden_by(mut self, overrides: FileSet) -> Self {
        for file in overrides.files {
            match self.files.iter_mut().find(|f| f.name == file.name) {
                Some(existing) => *existing = file,
                None => self.files.push(file),
            }
        }
        self.files.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }

    /// The file with this name, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.name == name)
    }
}
