//! A fake GitLab REST API v4 server for integration tests and benchmarks.
//!
//! Why a fake: the binary under test is a separate process that talks to
//! GitLab through the `gitlab` crate, and the tests must pin exactly what it
//! sends and how it copes with GitLab's answers and faults, quickly and
//! offline. The fake serves HTTP/1.1 with hyper on a tokio runtime of its
//! own (a background thread), so the tests stay plain synchronous
//! `#[test]`s and their blocking clients never run inside the runtime.
//!
//! ```ignore
//! use fake_gitlab::FakeGitlab;
//!
//! let gl = FakeGitlab::builder()
//!     .user(1, "root", "Administrator")
//!     .token("glpat-good", "root")
//!     .read_only_token("glpat-readonly", "root")
//!     .project(7, "gitlab-com/team-member-epics/access-requests")
//!     .seed(1)
//!     .start();
//! // or: let gl = FakeGitlab::start_default();
//! gl.set_rate_limit(5);
//! gl.fail_next(1, 502);
//! ```
//!
//! Endpoints (all under `/api/v4`; `:id` is a numeric id or a URL-encoded
//! full path): `GET /user`, `GET /users`, `GET /users/:id`, `GET /version`,
//! `GET /projects/:id`, `GET|POST /projects/:id/issues`,
//! `GET|PUT /projects/:id/issues/:iid`, `GET|POST .../issues/:iid/notes`,
//! `GET|POST .../issues/:iid/links`. Anything else answers 404
//! `{"error":"404 Not Found"}`.
//!
//! Behaviour copied from GitLab (gitlabhq `lib/api/*.rb`,
//! `lib/gitlab/pagination/offset_header_builder.rb`, `lib/gitlab/rack_attack.rb`,
//! `lib/gitlab/sql/pattern.rb`, `lib/gitlab/quick_actions/*`, and
//! docs.gitlab.com); each module's doc says which part it copies:
//! * `api`: order of checks, route → 401 → 403 scope → 400 params → 404
//!   project → 404 resource → 403 permission → 400 validation.
//! * `issues`, `filter`, `render`: issue JSON, filters, create and edit.
//! * `changes`: scoped labels, closing, system notes.
//! * `notes`, `links`, `quick_actions` (with `markdown`), `tasks`, `pagination`.
//! * `rate_limit`, `faults`: `Rack::Attack` headers, application limits and
//!   every injected fault.
//!
//! It behaves like a Premium instance where the tiers differ: several
//! assignees, scoped labels, `blocks` links.

mod api;
mod builder;
mod changes;
mod data;
mod faults;
mod filter;
mod issues;
mod links;
mod markdown;
mod notes;
mod pagination;
mod params;
mod quick_actions;
mod rate_limit;
mod render;
mod server;
mod state;
mod tasks;
mod types;

pub use builder::FakeGitlabBuilder;
pub use types::{LostResponse, NewIssue, RecordedRequest, Redirect, TokenAccess};

use server::{Server, Shared};
use state::State;
use std::sync::{Arc, MutexGuard};

/// Token of `root` with full access in the default fixtures.
pub const DEFAULT_TOKEN: &str = "glpat-good";
/// Read-only token of `root` in the default fixtures (its writes get 403).
pub const READONLY_TOKEN: &str = "glpat-readonly";
/// Token of `bot.onboard`, the filing bot, in the default fixtures.
pub const BOT_TOKEN: &str = "glpat-bot";
/// Token of `mallory`, an untrusted user with write access, in the default fixtures.
pub const MALLORY_TOKEN: &str = "glpat-mallory";
/// Full path of the access-requests project in the default fixtures.
pub const DEFAULT_PROJECT: &str = "gitlab-com/team-member-epics/access-requests";
/// Numeric id of the access-requests project in the default fixtures.
pub const DEFAULT_PROJECT_ID: u64 = 7;
/// Full path of the onboarding project in the default fixtures.
pub const ONBOARDING_PROJECT: &str = "gitlab-com/people-group/onboarding";
/// Numeric id of the onboarding project in the default fixtures.
pub const ONBOARDING_PROJECT_ID: u64 = 8;
pub const OFFBOARDING_PROJECT: &str = "gitlab-com/people-group/offboarding";
pub const OFFBOARDING_PROJECT_ID: u64 = 19;

/// A running fake GitLab. Stops when dropped.
pub struct FakeGitlab {
    shared: Arc<Shared>,
    _server: Server,
    base_url: String,
}

impl FakeGitlab {
    /// An empty builder.
    #[must_use]
    pub fn builder() -> FakeGitlabBuilder {
        FakeGitlabBuilder::new()
    }

    /// The default fixtures: users `root` (1, "Administrator"), `mgr.jones`
    /// (42, a manager), `sam.lee` (43, a buddy), `ada.lovelace` (44, a hire),
    /// `bot.onboard` (45, a filing bot) and `mallory` (46, untrusted);
    /// tokens `glpat-good` (root), `glpat-readonly` (root, read-only),
    /// `glpat-bot` and `glpat-mallory`; projects 7
    /// `gitlab-com/team-member-epics/access-requests` and 8
    /// `gitlab-com/people-group/onboarding` and 19
    /// `gitlab-com/people-group/offboarding`; seed 1.
    #[must_use]
    pub fn default_builder() -> FakeGitlabBuilder {
        FakeGitlabBuilder::new()
            .user(1, "root", "Administrator")
            .user(42, "mgr.jones", "Mary Jones")
            .user(43, "sam.lee", "Sam Lee")
            .user(44, "ada.lovelace", "Ada Lovelace")
            .user(45, "bot.onboard", "Onboarding Bot")
            .user(46, "mallory", "Mallory")
            .token(DEFAULT_TOKEN, "root")
            .read_only_token(READONLY_TOKEN, "root")
            .token(BOT_TOKEN, "bot.onboard")
            .token(MALLORY_TOKEN, "mallory")
            .project(DEFAULT_PROJECT_ID, DEFAULT_PROJECT)
            .project(ONBOARDING_PROJECT_ID, ONBOARDING_PROJECT)
            .project(OFFBOARDING_PROJECT_ID, OFFBOARDING_PROJECT)
            .seed(1)
    }

    /// Starts [`FakeGitlab::default_builder`] on a free port.
    #[must_use]
    pub fn start_default() -> FakeGitlab {
        Self::default_builder().start()
    }

    /// `http://127.0.0.1:PORT`
    #[must_use]
    pub fn url(&self) -> String {
        self.base_url.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }
}
