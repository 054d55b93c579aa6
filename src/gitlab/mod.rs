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

pub(crate) use connection::{Client, CreateFailure, LabelEvent, Note, Project};
pub(crate) use error::{GitlabError, TOKEN_VARIABLE};
pub(crate) use server::{Server, Token};
pub(crate) use settings::{Gitlab, Vouchers};
pub(crate) use transport::Timing;
pub(crate) use wire::{describe_create, Issue, IssueDraft, IssueEdit, ProjectInfo};
#[cfg(test)]
pub(crate) use wire::{IssueState, User};

/// Where access requests go unless told otherwise.
pub(crate) const DEFAULT_URL: &str = "https://gitlab.com";
/// GitLab's own access-requests project.
pub(crate) const DEFAULT_PROJECT: &str = "gitlab-com/team-member-epics/access-requests";
/// GitLab's own onboarding project.
pub(crate) const DEFAULT_ONBOARDING_PROJECT: &str = "gitlab-com/people-group/onboarding";
