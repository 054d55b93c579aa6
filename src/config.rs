//! The optional user config file: `$ONBOARD_CONFIG`, else
//! `$XDG_CONFIG_HOME/onboard/config.yaml` (`~/.config/onboard/config.yaml`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::{from_yaml, Diagnostic};

/// Settings a user or team can keep instead of passing flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A role catalogue folder to use instead of the embedded one.
    pub roles: Option<PathBuf>,
    /// A templates folder overriding the embedded templates.
    pub templates: Option<PathBuf>,
    /// A holiday list to skip.
    pub holidays: Option<PathBuf>,
    /// Where access requests go.
    #[serde(default)]
    pub gitlab: GitlabConfig,
    /// Overrides for the catalogue's access-request defaults.
    #[serde(default)]
    pub access_requests: AccessRequestConfig,
    /// Where the filing journal lives.
    pub journal: Option<PathBuf>,
}

/// The `gitlab:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitlabConfig {
    /// Address, e.g. `https://gitlab.example.com`.
    pub url: Option<String>,
    /// Access-requests project path or id.
    pub project: Option<String>,
}

/// The `access_requests:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRequestConfig {
    /// Labels every request carries (replaces the catalogue's).
    pub labels: Option<Vec<String>>,
    /// Whether requests are confidential.
    pub confidential: Option<bool>,
}

/// Why the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is not valid.
    #[error("{0}")]
    Invalid(Diagnostic),
}

/// Where the config file is looked for.
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ONBOARD_CONFIG") {
        return Some(PathBuf::from(path));
    }
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|dirs| dirs.config_dir().join("onboard").join("config.yaml"))
}

/// Where the filing journal is kept unless the config says otherwise.
pub fn default_journal_path() -> PathBuf {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_dir())
                .join("onboard")
                .join("journal.json")
        })
        .unwrap_or_else(|| PathBuf::from(".onboard-journal.json"))
}

impl Config {
    /// Loads the config file; a missing file means defaults.
    pub fn load() -> Result<Self, ConfigError> {
        match config_path() {
            Some(path) => Self::load_from(&path),
            None => Ok(Self::default()),
        }
    }

    /// Loads a specific config file; a missing file means defaults.
    pub fn load_from(path: &Path) -> Result<Self, ConfigError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        from_yaml(&path.display().to_string(), &text).map_err(ConfigError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_means_defaults() {
        assert_eq!(
            Config::load_from(Path::new("/nonexistent/config.yaml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn unknown_keys_are_reported_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        fs::write(
            &path,
            "gitlab:\n  url: https://gitlab.example.com\n  projekt: x\n",
        )
        .unwrap();
        let err = Config::load_from(&path).unwrap_err().to_string();
        assert!(err.contains("config.yaml:3:"), "{err}");
        assert!(err.contains("projekt"), "{err}");
    }

    #[test]
    fn reads_every_section() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        fs::write(&path, "gitlab:\n  url: https://gitlab.example.com\n  project: it/ar\naccess_requests:\n  labels: [a, b]\n  confidential: false\n").unwrap();
        let config = Config::load_from(&path).unwrap();
        assert_eq!(config.gitlab.project.as_deref(), Some("it/ar"));
        assert_eq!(
            config.access_requests.labels,
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(config.access_requests.confidential, Some(false));
    }
}
