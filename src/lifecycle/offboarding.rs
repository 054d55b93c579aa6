//! The offboarding issue: one per leaver, in the offboarding project,
//! listing every system they may hold with an `Access removed` and a
//! `Not applicable` box, grouped by the team that removes it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::{Document, Marker, Refresh};
use crate::gitlab::IssueDraft;
use crate::render::{self, plain_inert, RenderFailure, Renderer};

use super::{confidential_draft, kind, refreshed, with_marker, Deprovisioning};

/// The one part an offboarding issue holds.
pub(super) const PART: &str = "offboarding";

/// What the Access Removal and offboarding templates show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RemovalView {
    /// The issue's title.
    pub title: String,
    /// The person's full name.
    pub name: String,
    /// Their work email.
    pub email: String,
    /// A leaver's last day.
    pub last_day: Option<NaiveDate>,
    /// A mover's old and new role and the day the change takes effect.
    pub change: Option<RoleChange>,
    /// When every system must be done.
    pub due: NaiveDate,
    /// How many business days after the day that is.
    pub deprovision_days: u32,
    /// The manager, who checks the list.
    pub manager: Option<String>,
    /// The systems, by the team that removes them.
    pub groups: Vec<Deprovisioning>,
}

/// A role change, as the Access Removal issue states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RoleChange {
    /// The old role's name.
    pub from: String,
    /// The new role's name.
    pub to: String,
    /// The day the new role starts.
    pub effective: NaiveDate,
}

impl RemovalView {
    /// Every tool id listed, in order.
    pub(crate) fn system_ids(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|g| g.systems.iter().map(|s| s.id.clone()))
            .collect()
    }
}

/// A leaver's offboarding issue, before it is filed.
#[derive(Debug, Clone)]
pub(crate) struct Offboarding {
    /// Stable key, hidden in the body.
    pub key: String,
    /// What the body shows; its title is the issue's.
    pub view: RemovalView,
    /// The last day.
    pub last_day: NaiveDate,
    /// Labels the issue carries.
    pub labels: Vec<String>,
}

impl Offboarding {
    /// `Offboarding: Full Name, last day YYYY-MM-DD`.
    pub(crate) fn title(name: &str, last_day: NaiveDate) -> String {
        plain_inert(&format!("Offboarding: {name}, last day {last_day}"))
    }

    /// The hidden marker: the last day, and every system listed.
    pub(crate) fn marker(&self) -> Marker {
        Marker {
            kind: kind::OFFBOARDING,
            key: self.key.clone(),
            systems: vec![PART.to_string()],
            start: Some(self.last_day),
            role: None,
            until: None,
        }
    }

    /// The issue body.
    pub(crate) fn body(&self, renderer: &Renderer) -> Result<String, RenderFailure> {
        with_marker(renderer, render::ACCESS_REMOVAL, &self.view, &self.marker())
    }
}

impl Document for Offboarding {
    const KIND: &'static str = kind::OFFBOARDING;
    const WHAT: &'static str = "offboarding issue";
    const PLURAL: &'static str = "offboarding issues";

    fn key(&self) -> &str {
        &self.key
    }

    fn parts(&self) -> Vec<String> {
        vec![PART.to_string()]
    }

    fn assignees(&self) -> Vec<String> {
        self.view.manager.iter().cloned().collect()
    }

    fn draft(
        &self,
        parts: &[String],
        renderer: &Renderer,
        assignee_ids: &[u64],
    ) -> Result<Option<IssueDraft>, RenderFailure> {
        if !parts.iter().any(|p| p == PART) {
            return Ok(None);
        }
        Ok(Some(confidential_draft(
            &self.view.title,
            self.body(renderer)?,
            &self.labels,
            assignee_ids,
            self.view.due,
        )))
    }

    /// A changed last day, or a system that turned up since, rewrites the
    /// open issue; every box already ticked stays ticked.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure> {
        Ok(refreshed(
            marker,
            body,
            &self.body(renderer)?,
            (&self.view.title, self.view.due),
            ("last day", self.last_day),
        ))
    }
}
