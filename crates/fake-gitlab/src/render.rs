//! Storing and presenting issues: `Entities::Issue` with the fields GitLab
//! documents (references, `task_completion_status`, `_links`, `time_stats`,
//! ...), computed from the stored issue each time it is shown.

use super::changes::exclusive_labels;
use super::params::iso8601;
use super::state::{ts, user_basic, Issue, State};
use super::tasks::task_counts;
use chrono::NaiveDate;
use serde_json::{json, Value};

/// What a new issue starts with.
pub(super) struct IssueFields {
    pub(super) title: String,
    pub(super) description: Option<String>,
    /// In the order given (scoped labels: the later one wins).
    pub(super) labels: Vec<String>,
    pub(super) assignee_ids: Vec<u64>,
    pub(super) confidential: bool,
    pub(super) due_date: Option<NaiveDate>,
    pub(super) author_id: u64,
}

impl State {
    /// Stores a new open issue; returns its iid.
    pub(super) fn store_issue(&mut self, pidx: usize, f: IssueFields) -> u64 {
        for name in &f.labels {
            self.label_id(pidx, name);
        }
        let id = self.next_issue_id;
        self.next_issue_id += 1;
        let iid = self.projects[pidx].next_iid;
        self.projects[pidx].next_iid += 1;
        let now = self.next_timestamp();
        let mut assignees: Vec<u64> = Vec::new();
        for a in f.assignee_ids {
            if !assignees.contains(&a) && self.user(a).is_some() {
                assignees.push(a);
            }
        }
        self.projects[pidx].issues.push(Issue {
            id,
            iid,
            title: f.title,
            description: f.description,
            closed: false,
            created_at: now,
            updated_at: now,
            closed_at: None,
            closed_by: None,
            labels: exclusive_labels(f.labels),
            assignee_ids: assignees,
            author_id: f.author_id,
            due_date: f.due_date,
            confidential: f.confidential,
            notes: Vec::new(),
            label_events: Vec::new(),
            duplicate_of: None,
            lands_at: None,
        });
        iid
    }

    /// `Entities::Issue`.
    pub(super) fn issue_json(&self, pidx: usize, issue: &Issue) -> Value {
        let base = &self.base_url;
        let project = &self.projects[pidx];
        let assignees: Vec<Value> = issue
            .assignee_ids
            .iter()
            .filter_map(|id| self.user(*id))
            .map(|u| user_basic(u, base))
            .collect();
        let (count, completed) = issue.description.as_deref().map_or((0, 0), task_counts);
        let api = format!("{base}/api/v4/projects/{}", project.id);
        let iid = issue.iid;
        let user_notes = issue.notes.iter().filter(|n| !n.system).count();
        let duplicate_of = issue.duplicate_of.map_or(Value::Null, |(p, i)| {
            json!(format!(
                "{base}/api/v4/projects/{}/issues/{i}",
                self.projects[p].id
            ))
        });
        let state = if issue.closed { "closed" } else { "opened" };
        let closed_by = issue.closed_by.map_or(Value::Null, |u| self.user_basic(u));
        let due_date = issue.due_date.map(|d| d.format("%Y-%m-%d").to_string());
        let mut v = json!({
            "id": issue.id,
            "iid": iid,
            "project_id": project.id,
            "title": issue.title,
            "description": issue.description,
            "state": state,
            "created_at": iso8601(issue.created_at),
            "updated_at": iso8601(issue.updated_at),
            "closed_at": ts(issue.closed_at),
            "closed_by": closed_by,
            "labels": issue.labels,
            "milestone": null,
            "assignees": assignees.clone(),
            "assignee": assignees.first().cloned().unwrap_or(Value::Null),
            "author": self.user_basic(issue.author_id),
            "type": "ISSUE",
            "issue_type": "issue",
            "user_notes_count": user_notes,
            "merge_requests_count": 0,
            "upvotes": 0,
            "downvotes": 0,
            "due_date": due_date,
            "confidential": issue.confidential,
            "discussion_locked": null,
            "web_url": format!("{base}/{}/-/issues/{iid}", project.path),
            "time_stats": {
                "time_estimate": 0,
                "total_time_spent": 0,
                "human_time_estimate": null,
                "human_total_time_spent": null
            },
        });
        let more = json!({
            "task_completion_status": { "count": count, "completed_count": completed },
            "has_tasks": count > 0,
            "blocking_issues_count": 0,
            "references": {
                "short": format!("#{iid}"),
                "relative": format!("#{iid}"),
                "full": format!("{}#{iid}", project.path)
            },
            "severity": "UNKNOWN",
            "moved_to_id": null,
            "imported": false,
            "imported_from": "none",
            "service_desk_reply_to": null,
            "subscribed": true,
            "_links": {
                "self": format!("{api}/issues/{iid}"),
                "notes": format!("{api}/issues/{iid}/notes"),
                "award_emoji": format!("{api}/issues/{iid}/award_emoji"),
                "project": api,
                "closed_as_duplicate_of": duplicate_of
            }
        });
        if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), more) {
            obj.extend(more);
        }
        if count > 0 {
            let noun = if count == 1 {
                "checklist item"
            } else {
                "checklist items"
            };
            v["task_status"] = json!(format!("{completed} of {count} {noun} completed"));
        }
        v
    }

    /// Visible issues of a project as JSON, oldest first.
    pub(super) fn issues_json(&self, pidx: usize) -> Vec<Value> {
        let now = self.now();
        let mut issues: Vec<&Issue> = self.projects[pidx]
            .issues
            .iter()
            .filter(|i| i.visible_at(now))
            .collect();
        issues.sort_by_key(|i| (i.created_at, i.id));
        issues
            .into_iter()
            .map(|i| self.issue_json(pidx, i))
            .collect()
    }
}
