//! Issue notes (docs.gitlab.com/api/notes): `GET` lists them paginated
//! (`order_by` `created_at`|`updated_at`, `sort` asc|desc, default `created_at`
//! desc), system notes included. `POST` needs `body` (400 `{"error":"body is
//! missing"}`), runs quick actions in it, and answers 202
//! `{"commands_changes":{..},"summary":[..]}` without storing a note when
//! the body was only quick actions. `DELETE …/notes/:note_id` answers 204;
//! only the note's author may delete it (403 otherwise, and for system
//! notes), and a note that is gone is 404 `{"message":"404 Note Not Found"}`.
//! `GET …/resource_label_events` lists who added or removed which label,
//! oldest first, paginated (GitLab's resource label events API).

use super::api::{bad_param, message, parse_iid, Caller};
use super::pagination::{page_of, parse_page, parse_per_page};
use super::params::iso8601;
use super::quick_actions::extract;
use super::server::{Request, Response};
use super::state::{Note, State};
use super::types::TokenAccess;
use serde_json::{json, Value};

impl State {
    /// `Entities::Note` for an issue note.
    pub(super) fn note_json(&self, pidx: usize, issue_id: u64, iid: u64, note: &Note) -> Value {
        json!({
            "id": note.id,
            "type": null,
            "body": note.body,
            "attachment": null,
            "author": self.user_basic(note.author_id),
            "created_at": iso8601(note.created_at),
            "updated_at": iso8601(note.created_at),
            "system": note.system,
            "noteable_id": issue_id,
            "noteable_type": "Issue",
            "project_id": self.projects[pidx].id,
            "resolvable": false,
            "confidential": note.internal,
            "internal": note.internal,
            "imported": false,
            "imported_from": "none",
            "noteable_iid": iid,
            "commands_changes": {}
        })
    }

    /// Every note of an issue as JSON, oldest first.
    pub(super) fn notes_json(&self, pidx: usize, iid: u64) -> Vec<Value> {
        match self.issue(pidx, iid) {
            Some(issue) => issue
                .notes
                .iter()
                .map(|n| self.note_json(pidx, issue.id, iid, n))
                .collect(),
            None => Vec::new(),
        }
    }

    pub(super) fn list_notes(
        &self,
        req: &Request,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let iid = parse_iid(iid, "noteable_id")?;
        let q = |name: &str| req.param(name);
        let updated = match q("order_by") {
            None | Some("created_at") => false,
            Some("updated_at") => true,
            Some(_) => return Err(bad_param("order_by does not have a valid value")),
        };
        let ascending = match q("sort") {
            None | Some("desc") => false,
            Some("asc") => true,
            Some(_) => return Err(bad_param("sort does not have a valid value")),
        };
        let per_page = parse_per_page(&req.query).map_err(bad_param)?;
        let page = parse_page(&req.query).map_err(bad_param)?;
        let pidx = self.visible_project(project, caller)?;
        let Some(issue) = self.issue(pidx, iid) else {
            return Err(message(404, "404 Issue Not Found"));
        };
        let _ = updated; // Notes are never edited here: updated_at == created_at.
        let mut notes: Vec<&Note> = issue.notes.iter().collect();
        notes.sort_by_key(|n| (n.created_at, n.id));
        if !ascending {
            notes.reverse();
        }
        let items: Vec<Value> = notes
            .iter()
            .map(|n| self.note_json(pidx, issue.id, iid, n))
            .collect();
        let defaults = [
            ("activity_filter", "all_notes"),
            ("order_by", "created_at"),
            ("sort", "desc"),
        ];
        Ok(page_of(
            req,
            &self.base_url,
            &items,
            Value::clone,
            page,
            &per_page,
            &defaults,
        ))
    }

    pub(super) fn create_note(
        &mut self,
        req: &Request,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let params = req.params()?;
        let iid = parse_iid(iid, "noteable_id")?;
        let Some(body) = params.string("body").map_err(bad_param)? else {
            return Err(bad_param("body is missing"));
        };
        let internal = params.bool("internal").map_err(bad_param)?;
        let confidential = params.bool("confidential").map_err(bad_param)?;
        let internal = internal.or(confidential).unwrap_or(false);
        let pidx = self.visible_issue(project, iid, caller)?;
        if caller.access != TokenAccess::Full {
            return Err(message(403, "403 Forbidden"));
        }
        let (content, commands) = extract(&body);
        let interpreted = self.interpret(pidx, Some(iid), caller.user_id, &commands);
        self.record_quick_actions(pidx, iid, &commands);
        let only_commands = !commands.is_empty() && content.trim().is_empty();
        if !only_commands && content.trim().is_empty() {
            return Err(message(
                400,
                "400 Bad request - Note {:note=>[\"can't be blank\"]}",
            ));
        }
        let summary = interpreted.summary();
        let commands_changes = interpreted.commands_changes.clone();
        if only_commands {
            self.apply_changes(pidx, iid, caller.user_id, &interpreted.changes, false);
            let answer = json!({ "commands_changes": commands_changes, "summary": [summary] });
            return Ok(Response::json(202, &answer));
        }
        // The note is saved first; the commands' system notes follow it.
        let note_id = self.add_note(pidx, iid, caller.user_id, &content, false, internal);
        self.apply_changes(pidx, iid, caller.user_id, &interpreted.changes, false);
        let Some(note_id) = note_id else {
            return Err(message(404, "404 Issue Not Found"));
        };
        let issue = self
            .issue(pidx, iid)
            .ok_or_else(|| message(404, "404 Issue Not Found"))?;
        let note = issue
            .notes
            .iter()
            .find(|n| n.id == note_id)
            .ok_or_else(|| message(404, "404 Not found"))?;
        let mut v = self.note_json(pidx, issue.id, iid, note);
        v["commands_changes"] = Value::Object(commands_changes);
        Ok(Response::json(201, &v))
    }

    pub(super) fn delete_note(
        &mut self,
        project: &str,
        iid: &str,
        note: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let iid = parse_iid(iid, "noteable_id")?;
        let note_id: u64 = note.parse().map_err(|_| bad_param("note_id is invalid"))?;
        let pidx = self.visible_issue(project, iid, caller)?;
        let issue = self
            .issue_mut(pidx, iid)
            .ok_or_else(|| message(404, "404 Issue Not Found"))?;
        let Some(at) = issue.notes.iter().position(|n| n.id == note_id) else {
            return Err(message(404, "404 Note Not Found"));
        };
        let note = &issue.notes[at];
        if note.system || note.author_id != caller.user_id || caller.access != TokenAccess::Full {
            return Err(message(403, "403 Forbidden"));
        }
        issue.notes.remove(at);
        Ok(Response::text(204, "text/plain", ""))
    }

    pub(super) fn list_label_events(
        &mut self,
        req: &Request,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let iid = parse_iid(iid, "eventable_id")?;
        let per_page = parse_per_page(&req.query).map_err(bad_param)?;
        let page = parse_page(&req.query).map_err(bad_param)?;
        let pidx = self.visible_issue(project, iid, caller)?;
        let issue = self
            .issue(pidx, iid)
            .ok_or_else(|| message(404, "404 Issue Not Found"))?;
        let events: Vec<(u64, u64, String, String, bool, u64)> = issue
            .label_events
            .iter()
            .map(|e| {
                (
                    e.id,
                    e.user_id,
                    iso8601(e.created_at),
                    e.label.clone(),
                    e.added,
                    issue.id,
                )
            })
            .collect();
        let items: Vec<Value> = events
            .into_iter()
            .map(|(id, user, at, label, added, issue_id)| {
                let label_id = self.label_id(pidx, &label);
                json!({
                    "id": id,
                    "user": self.user_basic(user),
                    "created_at": at,
                    "resource_type": "Issue",
                    "resource_id": issue_id,
                    "label": { "id": label_id, "name": label, "color": "#428BCA", "description": null },
                    "action": if added { "add" } else { "remove" }
                })
            })
            .collect();
        Ok(page_of(
            req,
            &self.base_url,
            &items,
            Value::clone,
            page,
            &per_page,
            &[],
        ))
    }
}
