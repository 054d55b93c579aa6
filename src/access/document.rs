//! What the filing engine files: a document with a key, split into parts
//! (an access request's systems; an onboarding issue's one checklist), each
//! part held by one issue that carries the key in its hidden marker.

use chrono::NaiveDate;

use crate::gitlab::IssueDraft;
use crate::render::{RenderFailure, Renderer};
use crate::tasks::carry_ticks;

use super::{AccessRequest, Marker};

/// How an open issue should be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refresh {
    /// Its new title, when the title says what changed (a date).
    pub title: Option<String>,
    /// Its new body, with the boxes already ticked still ticked.
    pub body: String,
    /// Its new due date.
    pub due: NaiveDate,
    /// What changed, in a few words.
    pub reason: String,
}

/// Something filed as GitLab issues and found again by its key.
pub(crate) trait Document: Sync {
    /// The marker's kind: `request` in `<!-- onboard-request`.
    const KIND: &'static str;
    /// What one issue of it is called in messages: "access request".
    const WHAT: &'static str;
    /// The same, plural: "access requests".
    const PLURAL: &'static str;
    /// The key in every issue of this document.
    fn key(&self) -> &str;
    /// An older key its issues may carry, looked up when the key finds
    /// nothing; only access requests have one.
    fn legacy_key(&self) -> Option<&str> {
        None
    }
    /// Every part; one issue holds one or more of them.
    fn parts(&self) -> Vec<String>;
    /// The usernames its issues are assigned to.
    fn assignees(&self) -> Vec<String>;
    /// The issue that asks for `parts`; `None` when none of them is left.
    fn draft(
        &self,
        parts: &[String],
        renderer: &Renderer,
        assignee_ids: &[u64],
    ) -> Result<Option<IssueDraft>, RenderFailure>;
    /// A line of quick actions a new issue ends with (`/relate …`): what
    /// would otherwise be one request each is done by GitLab with the
    /// create. GitLab runs the line and drops it from the stored text; a
    /// server that leaves it there did not run it.
    fn quick_action(&self) -> Option<String> {
        None
    }
    /// What an open issue holding `marker`'s parts, with body `body`, should
    /// become now; `None` when it is up to date.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure>;
}

impl Document for AccessRequest {
    const KIND: &'static str = "request";
    const WHAT: &'static str = "access request";
    const PLURAL: &'static str = "access requests";

    fn key(&self) -> &str {
        &self.key
    }

    fn legacy_key(&self) -> Option<&str> {
        Some(&self.legacy_key)
    }

    fn parts(&self) -> Vec<String> {
        self.system_ids()
    }

    fn assignees(&self) -> Vec<String> {
        vec![self.assignee.clone()]
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
        Ok(Some(IssueDraft {
            title: part.title.clone(),
            description: part.body(renderer)?,
            labels: part.labels.clone(),
            assignee_ids: assignee_ids.to_vec(),
            due_date: part.due,
            confidential: part.confidential,
        }))
    }

    /// Access requests change only when the start date moved: the body a
    /// manager or provisioner may have edited is otherwise left alone.
    fn refresh(
        &self,
        marker: &Marker,
        body: &str,
        renderer: &Renderer,
    ) -> Result<Option<Refresh>, RenderFailure> {
        if marker.start == Some(self.start) && marker.key == self.key && marker.until == self.until
        {
            return Ok(None);
        }
        let Some(part) = self.only(&marker.systems) else {
            return Ok(None);
        };
        let reason = match marker.start {
            Some(from) if from != self.start => {
                format!("the start date moved from {from} to {}", self.start)
            }
            _ if marker.until != self.until => "the day the access ends changed".to_string(),
            _ => "its marker was brought up to date".to_string(),
        };
        Ok(Some(Refresh {
            title: None,
            body: carry_ticks(body, &part.body(renderer)?, |a, b| a == b),
            due: part.due,
            reason,
        }))
    }
}
