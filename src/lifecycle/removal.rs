//! The Access Removal issue of a role change: the systems the person held
//! that the new role does not need, each with an `Access removed` and a
//! `Not applicable` box, in the access-requests project.

use chrono::NaiveDate;

use crate::access::{Document, Marker, Refresh};
use crate::gitlab::IssueDraft;
use crate::render::{self, plain_inert, RenderFailure, Renderer};

use super::offboarding::RemovalView;
use super::{confidential_draft, kind, refreshed, with_marker};

/// A mover's Access Removal issue, before it is filed. Its parts are the
/// dropped systems: a system already in an earlier removal issue of theirs
/// is not asked for twice.
#[derive(Debug, Clone)]
pub(crate) struct AccessRemoval {
    /// Stable key, hidden in the body.
    pub key: String,
    /// The new role's id, in the marker: a later transfer leaves this
    /// issue alone.
    pub role: String,
    /// What the body shows.
    pub view: RemovalView,
    /// The day the change takes effect.
    pub effective: NaiveDate,
    /// Labels the issue carries.
    pub labels: Vec<String>,
}

impl AccessRemoval {
    /// `Access removal: Full Name, System(s)`.
    pub(crate) fn title(name: &str, systems: &[&str]) -> String {
        plain_inert(&format!("Access removal: {name}, {}", systems.join(", ")))
    }

    /// The hidden marker: the systems, the effective day and the new role.
    pub(crate) fn marker(&self) -> Marker {
        Marker {
            kind: kind::REMOVAL,
            key: self.key.clone(),
            systems: self.view.system_ids(),
            start: Some(self.effective),
            role: Some(self.role.clone()),
            until: None,
        }
    }

    /// The issue body.
    pub(crate) fn body(&self, renderer: &Renderer) -> Result<String, RenderFailure> {
        with_marker(renderer, render::ACCESS_REMOVAL, &self.view, &self.marker())
    }

    /// The same issue for only the systems in `these`; `None` if none is left.
    fn only(&self, these: &[String]) -> Option<Self> {
        let mut rest = self.clone();
        for group in &mut rest.view.groups {
            group.systems.retain(|s| these.contains(&s.id));
        }
        rest.view.groups.retain(|g| !g.systems.is_empty());
        if rest.view.groups.is_empty() {
            return None;
        }
        let names: Vec<&str> = rest
            .view
            .groups
            .iter()
            .flat_map(|g| g.systems.iter().map(|s| s.name.as_str()))
            .collect();
        rest.view.title = Self::title(&rest.view.name, &names);
        Some(rest)
    }
}

impl Document for AccessRemoval {
    const KIND: &'static str = kind::REMOVAL;
    const WHAT: &'static str = "access removal issue";
    const PLURAL: &'static str = "access removal issues";

    fn key(&self) -> &str {
        &self.key
    }

    fn parts(&self) -> Vec<String> {
        self.view.system_ids()
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
        let Some(part) = self.only(parts) else {
            return Ok(None);
        };
        Ok(Some(confidential_draft(
            &part.view.title,
            part.body(renderer)?,
            &part.labels,
            assignee_ids,
            part.view.due,
        )))
    }

    /// Only an issue filed for the same new role is brought up to date: a
    /// moved effective day moves its due date, ticks kept.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure> {
        if marker.role.as_deref() != Some(self.role.as_str()) {
            return Ok(None);
        }
        let Some(part) = self.only(&marker.systems) else {
            return Ok(None);
        };
        Ok(refreshed(
            marker,
            body,
            &part.body(renderer)?,
            (&part.view.title, part.view.due),
            ("effective day", self.effective),
        ))
    }
}
