//! The only code that talks to GitLab.
//!
//! Every call is a `gitlab` crate endpoint. This module supplies the HTTP
//! transport the crate's `api::Client` trait allows, because the crate's own
//! client has no timeout, cannot share a rate-limit view between threads,
//! follows redirects with the token, and its retry helper would replay an
//! issue creation whose answer was lost.

mod connection;
mod error;
mod limiter;
mod server;
mod settings;
mod transport;
mod wire;

pub use connection::{Client, CreateFailure, LabelEvent, Note, Project};
pub use error::{GitlabError, TOKEN_VARIABLE};
pub use server::{Server, Token};
pub use settings::{Gitlab, Vouchers};
pub use transport::Timing;
pub use wire::{describe_create, Issue, IssueDraft, IssueEdit, ProjectInfo};
#[cfg(test)]
pub use wire::{IssueState, User};

/// Where access requests go unless told otherwise.
pub const DEFAULT_URL: &str = "https://gitlab.com";
/// GitLab's own access-requests project.
pub const DEFAULT_PROJECT: &str = "gitlab-com/team-member-epics/access-requests";
/// GitLab's own onboarding project.
pub const DEFAULT_ONBOARDING_PROJECT: &str = "gitlab-com/people-group/onboarding";
