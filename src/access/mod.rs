//! Access requests: which systems a hire must ask for, the issue that asks for
//! them, its key and hidden marker, and filing it exactly once.

mod desk;
mod document;
mod filing;
mod journal;
mod key;
mod movers;

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::gitlab::Gitlab;
use crate::Error;

use crate::catalog::{AccessRequestDefaults, Classification, ToolId};
use crate::hire::Hire;
use crate::plan::{requested_by_team, People, RolePlan};
use crate::render::{self, plain_inert, RenderFailure, Renderer};

pub(crate) use desk::{Desk, Writes};
pub(crate) use document::{Document, Refresh};
pub(crate) use filing::{
    Event, Filed, FiledIssue, Filing, FilingError, Policy, Preview, QuickAction, Tracker, Wanted,
};
pub(crate) use journal::{Journal, JournalError};
pub(crate) use key::{legacy_key, lifecycle_key, onboarding_key, request_key, Marker};
pub(crate) use movers::{Movers, MoversCache, APPROVED_LABEL, READY_LABEL};

/// The one part an onboarding issue holds.
pub(crate) const PART: &str = "checklist";

/// An access request the onboarding issue links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct AccessLink {
    /// Its web page.
    pub url: String,
    /// Its number in the access-requests project.
    pub iid: u64,
    /// The systems it asks for, by name.
    pub systems: Vec<String>,
    /// The same, by tool id.
    #[serde(skip)]
    pub ids: Vec<String>,
}

/// GitLab caps issue titles at 255 characters.
const TITLE_LIMIT: usize = 255;

/// Why a hire's access requests cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AccessError {
    /// The request needs a field the hire lacks.
    #[error("access requests need --{0}: {1}")]
    Missing(&'static str, &'static str),
}

/// One system line of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RequestedSystem {
    /// Tool id.
    pub tool: ToolId,
    /// Display name.
    pub name: String,
    /// Access level or group to grant.
    pub level: String,
    /// Why the hire needs it.
    pub justification: String,
    /// Data classification.
    pub classification: Classification,
    /// Where the system lives.
    pub link: String,
}

/// The systems one provisioning team must grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ProvisionerGroup {
    /// Team name.
    pub team: String,
    /// The team's to-do label.
    pub label: Option<String>,
    /// Its systems, in role order.
    pub systems: Vec<RequestedSystem>,
}

/// One Access Request issue, before it is filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct AccessRequest {
    /// Stable idempotency key, hidden in the issue body.
    pub key: String,
    /// The key the first version of `onboard` would have used, to find its issues.
    #[serde(skip)]
    pub legacy_key: String,
    /// `Full Name, System(s), Role`.
    pub title: String,
    /// The person.
    pub hire: People,
    /// Role display name.
    pub role: String,
    /// Day 1.
    pub start: NaiveDate,
    /// Systems by provisioning team.
    pub groups: Vec<ProvisionerGroup>,
    /// Labels the issue carries.
    pub labels: Vec<String>,
    /// The manager's username, who approves and is assigned.
    pub assignee: String,
    /// When the issue is due: day 1.
    pub due: NaiveDate,
    /// The day the access ends, for a contractor.
    pub until: Option<NaiveDate>,
    /// Whether the issue is confidential.
    pub confidential: bool,
}

/// A hire's access request; `None` when no tool of theirs needs one.
pub(crate) fn plan(
    hire: &Hire,
    plan: &RolePlan,
    defaults: &AccessRequestDefaults,
) -> Result<Option<AccessRequest>, AccessError> {
    let email = hire.email.as_ref().ok_or(AccessError::Missing(
        "email",
        "they record who the access is for",
    ))?;
    let manager = hire.manager.as_ref().ok_or(AccessError::Missing(
        "manager",
        "the manager approves them and is assigned",
    ))?;
    let groups: Vec<ProvisionerGroup> = requested_by_team(&plan.tools)
        .into_iter()
        .map(|(team, tools)| ProvisionerGroup {
            team: team.name.clone(),
            label: team.label.clone(),
            systems: tools
                .into_iter()
                .map(|tool| RequestedSystem {
                    tool: tool.tool.id.clone(),
                    name: tool.tool.name.clone(),
                    level: tool.level.clone(),
                    justification: tool.justification.clone(),
                    classification: tool.tool.classification,
                    link: tool
                        .tool
                        .main_link()
                        .map(|l| l.url.clone())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    if groups.is_empty() {
        return Ok(None);
    }
    let mut request = AccessRequest {
        key: request_key(email.as_str()),
        legacy_key: key::legacy_key(email.as_str(), hire.start),
        title: String::new(),
        hire: People::of(hire),
        role: plan.role.name.clone(),
        start: hire.start,
        groups,
        labels: defaults.labels.clone(),
        assignee: manager.to_string(),
        due: hire.start,
        until: hire.access_until,
        confidential: defaults.confidential,
    };
    request.retitle();
    Ok(Some(request))
}

impl AccessRequest {
    /// Every system, in group order.
    pub(crate) fn systems(&self) -> impl Iterator<Item = &RequestedSystem> {
        self.groups.iter().flat_map(|g| g.systems.iter())
    }

    /// The tool ids of every system.
    pub(crate) fn system_ids(&self) -> Vec<String> {
        self.systems().map(|s| s.tool.to_string()).collect()
    }

    /// The same request, limited to the systems in `these`; `None` if none is left.
    pub(crate) fn only(&self, these: &[String]) -> Option<AccessRequest> {
        self.keeping(|tool| these.iter().any(|d| d == tool))
    }

    fn keeping(&self, keep: impl Fn(&str) -> bool) -> Option<AccessRequest> {
        let mut rest = self.clone();
        for group in &mut rest.groups {
            group.systems.retain(|s| keep(s.tool.as_str()));
        }
        rest.groups.retain(|g| !g.systems.is_empty());
        if rest.groups.is_empty() {
            return None;
        }
        rest.retitle();
        Some(rest)
    }

    /// Recomputes the title and team labels from the systems.
    fn retitle(&mut self) {
        for label in self.groups.iter().filter_map(|g| g.label.clone()) {
            if !self.labels.contains(&label) {
                self.labels.push(label);
            }
        }
        let names: Vec<&str> = self.systems().map(|s| s.name.as_str()).collect();
        self.title = title(&self.hire.name, &names, &self.role);
    }

    /// The issue body: the template, then the hidden marker that makes the
    /// request findable again. The marker is added here, not in the template,
    /// so a custom template cannot lose it.
    pub(crate) fn body(&self, renderer: &Renderer) -> Result<String, RenderFailure> {
        let mut body = renderer.render(render::ACCESS_REQUEST, self)?;
        if !body.ends_with('\n') {
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&self.marker().line());
        Ok(body)
    }

    /// The hidden marker of this request's issue.
    pub(crate) fn marker(&self) -> Marker {
        Marker {
            kind: <Self as Document>::KIND,
            key: self.key.clone(),
            systems: self.system_ids(),
            start: Some(self.start),
            role: None,
            until: self.until,
        }
    }
}

/// Opens the connection and the journal and files one hire's request: the
/// one path `access file` and the wizard share.
pub(crate) fn file_one(
    gitlab: &Gitlab,
    journal: &Path,
    renderer: &Renderer,
    request: &AccessRequest,
) -> Result<Filed, Error> {
    let desk = Desk::open(gitlab, journal, Writes::Journal)?;
    let project = desk.project(&gitlab.project)?;
    Ok(desk.filing(&project, renderer).file(request)?)
}

/// `Full Name, System(s), Role`, shortened to fit GitLab's limit.
fn title(name: &str, systems: &[&str], role: &str) -> String {
    let full = plain_inert(&format!("{name}, {}, {role}", systems.join(", ")));
    if full.chars().count() <= TITLE_LIMIT {
        return full;
    }
    let first = systems.first().copied().unwrap_or_default();
    let short = plain_inert(&format!(
        "{name}, {first} and {} more systems, {role}",
        systems.len().saturating_sub(1)
    ));
    short.chars().take(TITLE_LIMIT).collect()
}

#[cfg(test)]
mod tests;
