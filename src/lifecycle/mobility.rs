//! The career-mobility issue: a mover's tasks in their new role, in the
//! onboarding project, assigned to them and their new manager and linked to
//! the access requests and the Access Removal issue of the move.

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::AccessLink;
use crate::access::{Document, Marker, Refresh};
use crate::calendar::Due;
use crate::catalog::Owner;
use crate::gitlab::IssueDraft;
use crate::onboarding::task_markers;
use crate::plan::Checklist;
use crate::render::{self, plain_inert, RenderFailure, Renderer};
use crate::view::OnboardingView;

use super::{confidential_draft, kind, refreshed, with_marker};

/// A mover's career-mobility issue, before it is filed. Its one part is the
/// new role's id, so a later move to another role files another.
#[derive(Debug, Clone)]
pub(crate) struct CareerMobility {
    /// Stable key, hidden in the body.
    pub key: String,
    /// `Career mobility: Full Name, from Role to Role, effective YYYY-MM-DD`.
    pub title: String,
    /// The old role's name.
    pub from: String,
    /// The new role's tasks for the person, their manager and buddy, dated
    /// from the effective day.
    pub checklist: Checklist,
    /// Labels the issue carries.
    pub labels: Vec<String>,
    /// The person (when known) and the new manager.
    pub assignees: Vec<String>,
    /// The access requests of the move, and its Access Removal issue.
    pub links: Vec<AccessLink>,
}

/// What the career-mobility template shows.
#[derive(Serialize)]
struct MobilityView<'a> {
    title: &'a str,
    from: &'a str,
    #[serde(flatten)]
    issue: OnboardingView<'a>,
}

impl CareerMobility {
    /// The issue for a move to the role of `checklist`, whose start is the
    /// effective day. Only the tasks of the person, the manager and the
    /// buddy are kept, and none of the first day's account set-up: a mover
    /// already has their accounts.
    pub(crate) fn new(
        key: String,
        from: String,
        mut checklist: Checklist,
        labels: Vec<String>,
        links: Vec<AccessLink>,
    ) -> Self {
        let for_a_mover = |owner: &Owner, due: Due| {
            owner.person().is_some() && !matches!(due, Due::BeforeStart(_) | Due::Day(1))
        };
        for phase in &mut checklist.phases {
            for owner in &mut phase.owners {
                let who = owner.owner.clone();
                owner.tasks.retain(|t| for_a_mover(&who, t.due));
            }
            phase.owners.retain(|o| !o.tasks.is_empty());
        }
        checklist.phases.retain(|p| !p.owners.is_empty());
        let title = plain_inert(&format!(
            "Career mobility: {}, from {from} to {}, effective {}",
            checklist.hire.name, checklist.plan.role.name, checklist.start
        ));
        let assignees = [&checklist.hire.username, &checklist.hire.manager]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        Self {
            key,
            title,
            from,
            checklist,
            labels,
            assignees,
            links,
        }
    }

    /// The effective day.
    pub(crate) fn effective(&self) -> NaiveDate {
        self.checklist.start
    }

    fn part(&self) -> String {
        self.checklist.plan.role.id.to_string()
    }

    /// The hidden marker: the new role and the effective day.
    pub(crate) fn marker(&self) -> Marker {
        Marker {
            kind: kind::MOBILITY,
            key: self.key.clone(),
            systems: vec![self.part()],
            start: Some(self.effective()),
            role: Some(self.part()),
            until: None,
        }
    }

    /// The issue body.
    pub(crate) fn body(&self, renderer: &Renderer) -> Result<String, RenderFailure> {
        let view = MobilityView {
            title: &self.title,
            from: &self.from,
            issue: OnboardingView::of(&self.checklist, &self.links, task_markers(&self.checklist)),
        };
        with_marker(renderer, render::CAREER_MOBILITY, &view, &self.marker())
    }
}

impl Document for CareerMobility {
    const KIND: &'static str = kind::MOBILITY;
    const WHAT: &'static str = "career-mobility issue";
    const PLURAL: &'static str = "career-mobility issues";

    fn key(&self) -> &str {
        &self.key
    }

    fn parts(&self) -> Vec<String> {
        vec![self.part()]
    }

    fn assignees(&self) -> Vec<String> {
        self.assignees.clone()
    }

    fn draft(
        &self,
        parts: &[String],
        renderer: &Renderer,
        assignee_ids: &[u64],
    ) -> Result<Option<IssueDraft>, RenderFailure> {
        if !parts.contains(&self.part()) {
            return Ok(None);
        }
        Ok(Some(confidential_draft(
            &self.title,
            self.body(renderer)?,
            &self.labels,
            assignee_ids,
            self.checklist.due,
        )))
    }

    /// Only the issue of the same new role is brought up to date.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure> {
        if marker.systems != self.parts() {
            return Ok(None);
        }
        Ok(refreshed(
            marker,
            body,
            &self.body(renderer)?,
            (&self.title, self.checklist.due),
            ("effective day", self.effective()),
        ))
    }
}
