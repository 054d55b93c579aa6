//! Issue links (`docs.gitlab.com/api/issue_links`): `POST` creates a two-way
//! relation (201 `{source_issue, target_issue, link_type}`, 409
//! `{"message":"Issue(s) already assigned"}` when the two are already
//! linked either way) and writes "marked this issue as related to" system
//! notes on both; `GET` lists the linked issues with `issue_link_id`,
//! `link_type` and the link's timestamps, oldest link first.

use super::api::{bad_param, message, parse_iid, Caller};
use super::server::{Request, Response};
use super::state::{ts, Link, State};
use super::types::TokenAccess;
use serde_json::{json, Value};

const LINK_TYPES: [&str; 3] = ["relates_to", "blocks", "is_blocked_by"];

fn inverse(link_type: &str) -> &str {
    match link_type {
        "blocks" => "is_blocked_by",
        "is_blocked_by" => "blocks",
        other => other,
    }
}

impl State {
    /// Links two issues; `Err((status, message))` as GitLab's service answers.
    pub(super) fn link_issues(
        &mut self,
        source: (usize, u64),
        target: (usize, u64),
        link_type: &str,
        actor: u64,
    ) -> Result<u64, (u16, String)> {
        if self.issue(target.0, target.1).is_none() {
            return Err((
                404,
                "No matching issue found. Make sure that you are adding a valid issue URL.".into(),
            ));
        }
        if source == target {
            let reference = self.reference(source.0, target);
            return Err((
                422,
                format!("{reference} cannot be added: cannot be related to itself"),
            ));
        }
        let linked = self.links.iter().any(|l| {
            (l.source == source && l.target == target) || (l.source == target && l.target == source)
        });
        if linked {
            return Err((409, "Issue(s) already assigned".into()));
        }
        // GitLab stores `is_blocked_by` as the reverse `blocks` link.
        let (source, target, link_type) = if link_type == "is_blocked_by" {
            (target, source, "blocks")
        } else {
            (source, target, link_type)
        };
        let id = self.next_link_id;
        self.next_link_id += 1;
        let created_at = self.next_timestamp();
        self.links.push(Link {
            id,
            source,
            target,
            link_type: link_type.to_string(),
            created_at,
        });
        let (to_target, to_source) = match link_type {
            "blocks" => (
                "marked this issue as blocking",
                "marked this issue as blocked by",
            ),
            _ => (
                "marked this issue as related to",
                "marked this issue as related to",
            ),
        };
        let text = format!("{to_target} {}", self.reference(source.0, target));
        self.add_note(source.0, source.1, actor, &text, true, false);
        let text = format!("{to_source} {}", self.reference(target.0, source));
        self.add_note(target.0, target.1, actor, &text, true, false);
        Ok(id)
    }

    /// The issues linked to one issue, as `GET .../links` lists them.
    pub(super) fn linked_issues(&self, pidx: usize, iid: u64) -> Vec<Value> {
        let me = (pidx, iid);
        let mut out = Vec::new();
        for link in &self.links {
            let (other, link_type) = if link.source == me {
                (link.target, link.link_type.as_str())
            } else if link.target == me {
                (link.source, inverse(&link.link_type))
            } else {
                continue;
            };
            let Some(issue) = self.issue(other.0, other.1) else {
                continue;
            };
            let mut v = self.issue_json(other.0, issue);
            v["issue_link_id"] = json!(link.id);
            v["link_type"] = json!(link_type);
            v["link_created_at"] = ts(Some(link.created_at));
            v["link_updated_at"] = ts(Some(link.created_at));
            out.push(v);
        }
        out
    }

    pub(super) fn list_links(
        &self,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let iid = parse_iid(iid, "issue_iid")?;
        let pidx = self.visible_issue(project, iid, caller)?;
        Ok(Response::json(
            200,
            &Value::Array(self.linked_issues(pidx, iid)),
        ))
    }

    pub(super) fn create_link(
        &mut self,
        req: &Request,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let params = req.params()?;
        let iid = parse_iid(iid, "issue_iid")?;
        let mut missing = Vec::new();
        let target_project = params.string("target_project_id").map_err(bad_param)?;
        let target_iid = params.string("target_issue_iid").map_err(bad_param)?;
        if target_project.is_none() {
            missing.push("target_project_id is missing");
        }
        if target_iid.is_none() {
            missing.push("target_issue_iid is missing");
        }
        if !missing.is_empty() {
            return Err(bad_param(missing.join(", ")));
        }
        let link_type = params
            .string("link_type")
            .map_err(bad_param)?
            .unwrap_or_else(|| "relates_to".into());
        if !LINK_TYPES.contains(&link_type.as_str()) {
            return Err(bad_param("link_type does not have a valid value"));
        }
        let pidx = self.visible_issue(project, iid, caller)?;
        let target_pidx = self.visible_project(target_project.as_deref().unwrap_or(""), caller)?;
        let target_iid = target_iid.unwrap_or_default().trim().parse::<u64>().ok();
        let Some(target_iid) = target_iid.filter(|t| self.issue(target_pidx, *t).is_some()) else {
            return Err(message(404, "404 Issue Not Found"));
        };
        if caller.access != TokenAccess::Full {
            return Err(message(
                403,
                "Couldn't link issue. You must have at least the Reporter role in both projects.",
            ));
        }
        let target = (target_pidx, target_iid);
        let id = self
            .link_issues((pidx, iid), target, &link_type, caller.user_id)
            .map_err(|(status, text)| message(status, &text))?;
        let link = self
            .links
            .iter()
            .find(|l| l.id == id)
            .map(|l| (l.source, l.target, l.link_type.clone()));
        let Some((source, target, stored_type)) = link else {
            return Err(message(500, "500 Internal Server Error"));
        };
        // Present the link from the requested side, as the service created it.
        let (source, target, link_type) = if stored_type == link_type {
            (source, target, stored_type)
        } else {
            (target, source, link_type)
        };
        let json_of = |s: &State, (p, i): (usize, u64)| {
            s.issue(p, i)
                .map_or(Value::Null, |issue| s.issue_json(p, issue))
        };
        let body = json!({
            "source_issue": json_of(self, source),
            "target_issue": json_of(self, target),
            "link_type": link_type,
        });
        Ok(Response::json(201, &body))
    }
}
