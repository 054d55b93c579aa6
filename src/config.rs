//! The optional config file: `$ONBOARD_CONFIG`, else
//! `$XDG_CONFIG_HOME/onboard/config.yaml` (`~/.config/onboard/config.yaml`).
//! With `settings`, the only code that looks at the environment (here only
//! through `etcetera`, for the XDG folders).

use std::fs;
use std::io;
use std::num::{NonZeroU32, NonZeroU64};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{fields_of, from_yaml, Diagnostics, YamlPath};

/// Settings a user or team can keep instead of passing flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct Config {
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
    /// Besides the token's own user, whose issues count when looking a hire
    /// up: a filing bot, the managers who file by hand.
    #[serde(default)]
    pub trusted_authors: Vec<String>,
    /// Besides each hire's manager and the trusted authors, who may approve
    /// an access request: only their approval label counts in `status`.
    #[serde(default)]
    pub approvers: Vec<String>,
    /// Per provisioning team id, who may mark its requests ready and close
    /// them, besides the trusted authors.
    #[serde(default)]
    pub provisioners: std::collections::BTreeMap<String, Vec<String>>,
    /// The project onboarding issues go to.
    pub onboarding_project: Option<String>,
    /// The labels onboarding issues carry (default `onboarding`).
    pub onboarding_labels: Option<Vec<String>>,
    /// The project offboarding issues go to (default
    /// `gitlab-com/people-group/offboarding`).
    pub offboarding_project: Option<String>,
    /// The labels an Access Removal issue carries (default `AccessRemoval`).
    pub removal_labels: Option<Vec<String>>,
    /// Business days after a last day or role change by which access must
    /// be removed (default 5).
    pub deprovision_days: Option<u32>,
    /// The longest `--access-until` may be after the start, in days
    /// (default 730: contractor access is never open-ended).
    pub max_access_days: Option<u32>,
    /// The country whose public holidays a hire's dates skip when the hire
    /// names none (`US` when unset; `none` for no public holidays).
    pub country: Option<String>,
    /// Business days an access request takes once approved, for when the
    /// tools it brings can first be used (`validate`).
    pub access_request_days: Option<NonZeroU32>,
}

/// Business days an access request takes when the config does not say.
pub(crate) const DEFAULT_ACCESS_REQUEST_DAYS: u32 = 3;

/// The `gitlab:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct GitlabConfig {
    /// Address, e.g. `https://gitlab.example.com`.
    pub url: Option<String>,
    /// Access-requests project path or id.
    pub project: Option<String>,
    /// Seconds a run may go without progress under 429s before it gives up.
    pub give_up_after: Option<u64>,
    /// The largest answer taken from GitLab, in MiB (default 16).
    pub max_response_mib: Option<NonZeroU64>,
    /// The most pages one listing may take (default 1000).
    pub max_pages: Option<NonZeroU32>,
}

/// The `access_requests:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct AccessRequestConfig {
    /// Labels every request carries (replaces the catalogue's).
    pub labels: Option<Vec<String>>,
    /// Whether requests are confidential.
    pub confidential: Option<bool>,
}

/// Why the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    /// `ONBOARD_CONFIG` names a file that is not there.
    #[error("ONBOARD_CONFIG names {}, which does not exist", path.display())]
    Missing {
        /// The file named.
        path: PathBuf,
    },
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
    Invalid(Diagnostics),
}

fn fields_at(path: &YamlPath) -> &'static [&'static str] {
    match path.as_str() {
        "" => fields_of::<Config>(),
        "gitlab" => fields_of::<GitlabConfig>(),
        "access_requests" => fields_of::<AccessRequestConfig>(),
        _ => &[],
    }
}

/// Where the config file is looked for when `ONBOARD_CONFIG` is not set.
pub(crate) fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|dirs| dirs.config_dir().join("onboard").join("config.yaml"))
}

/// Where the filing journal is kept unless the config says otherwise.
pub(crate) fn default_journal_path() -> PathBuf {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy().ok().map_or_else(
        || PathBuf::from(".onboard-journal.json"),
        |dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_dir())
                .join("onboard")
                .join("journal.json")
        },
    )
}

impl Config {
    /// Loads a config file. A named file (`ONBOARD_CONFIG`) must exist; the
    /// default one may be absent, which means defaults.
    pub(crate) fn load(path: &Path, named: bool) -> Result<Self, ConfigError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound && !named => return Ok(Self::default()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing {
                    path: path.to_path_buf(),
                })
            }
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
        from_yaml(&path.display().to_string(), &text, fields_at).map_err(ConfigError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_default_file_means_defaults_but_a_named_one_is_an_error() {
        let missing = Path::new("/nonexistent/config.yaml");
        assert_eq!(Config::load(missing, false).unwrap(), Config::default());
        assert!(matches!(
            Config::load(missing, true),
            Err(ConfigError::Missing { .. })
        ));
    }

    #[test]
    fn unknown_keys_are_reported_with_their_line_and_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        fs::write(
            &path,
            "gitlab:\n  url: https://gitlab.example.com\n  projekt: x\njournl: y\n",
        )
        .unwrap();
        let err = Config::load(&path, true).unwrap_err().to_string();
        assert!(
            err.contains("config.yaml:3:3: unknown field `projekt` (did you mean `project`?)"),
            "{err}"
        );
        assert!(
            err.contains("config.yaml:4:1: unknown field `journl` (did you mean `journal`?)"),
            "{err}"
        );
    }

    #[test]
    fn reads_every_section() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        fs::write(&path, "gitlab:\n  url: https://gitlab.example.com\n  project: it/ar\naccess_requests:\n  labels: [a, b]\n  confidential: false\n").unwrap();
        let config = Config::load(&path, true).unwrap();
        assert_eq!(config.gitlab.project.as_deref(), Some("it/ar"));
        assert_eq!(
            config.access_requests.labels,
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(config.access_requests.confidential, Some(false));
    }
}
