//! Where and how to reach GitLab, as the settings checked it: the one
//! value every command that talks to GitLab is given.

use super::server::{Server, Token};
use super::transport::Timing;
use super::GitlabError;

/// How to reach GitLab, checked.
#[derive(Debug, Clone)]
pub(crate) struct Gitlab {
    /// The address.
    pub server: Server,
    /// The access-requests project, as a path or numeric id.
    pub project: String,
    /// The onboarding project, as a path or numeric id.
    pub onboarding_project: String,
    /// `GITLAB_TOKEN`, if set.
    pub token: Option<Token>,
    /// Timeouts, retries and waits.
    pub timing: Timing,
    /// Whose issues count besides the token's own user.
    pub trusted_authors: Vec<String>,
    /// Who may move an access request forward, for `status`.
    pub vouchers: Vouchers,
}

/// Who may move an access request forward: approve it, or mark it ready and
/// close it. Progress anyone else makes is shown, but does not count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vouchers {
    /// May approve any request, besides its manager and the trusted authors.
    pub approvers: Vec<String>,
    /// Per provisioning team id, who may provision its requests.
    pub provisioners: std::collections::BTreeMap<String, Vec<String>>,
}

impl Gitlab {
    /// The token, or the error that says how to set one.
    pub(crate) fn token(&self) -> Result<Token, GitlabError> {
        self.token.clone().ok_or(GitlabError::MissingToken)
    }
}
