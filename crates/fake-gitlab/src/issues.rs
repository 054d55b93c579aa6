//! The issue endpoints (docs.gitlab.com/api/issues): list with filters and
//! pagination, get one, create (`POST`, form or JSON body) and edit
//! (`PUT`: title, description, labels / `add_labels` / `remove_labels`,
//! `state_event`, `due_date`, `assignee_ids`, confidential). Quick actions in a
//! description run on create and on edit.

use super::api::{bad_param, message, parse_iid, Caller};
use super::changes::{Changes, StateEvent};
use super::filter::IssueFilter;
use super::pagination::{page_of, parse_page, parse_per_page};
use super::params::{parse_date, Params};
use super::quick_actions::extract;
use super::rate_limit::application_limit;
use super::render::IssueFields;
use super::server::{Request, Response};
use super::state::{Issue, State};
use super::types::TokenAccess;
use serde_json::{json, Map};

const TITLE_MAX_CHARS: usize = 255;
const DESCRIPTION_MAX_CHARS: usize = 1_048_576;
const EDIT_PARAMS: [&str; 14] = [
    "title",
    "description",
    "assignee_ids",
    "assignee_id",
    "milestone_id",
    "discussion_locked",
    "labels",
    "add_labels",
    "remove_labels",
    "created_at",
    "due_date",
    "confidential",
    "state_event",
    "issue_type",
];

fn params_of(req: &Request) -> Result<Params, Response> {
    Params::from_request(
        &req.query,
        req.header("content-type").unwrap_or(""),
        &req.body,
    )
    .map_err(bad_param)
}

/// Model validation of title and description.
fn validate(title: Option<&str>, description: Option<&str>) -> Result<(), Response> {
    let mut errors = Map::new();
    if let Some(title) = title {
        if title.is_empty() {
            errors.insert("title".into(), json!(["can't be blank"]));
        } else if title.chars().count() > TITLE_MAX_CHARS {
            errors.insert(
                "title".into(),
                json!([format!(
                    "is too long (maximum is {TITLE_MAX_CHARS} characters)"
                )]),
            );
        }
    }
    if description.is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS) {
        errors.insert(
            "description".into(),
            json!([format!(
                "is too long (maximum is {DESCRIPTION_MAX_CHARS} characters)"
            )]),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Response::json(400, &json!({ "message": errors })))
    }
}

/// `assignee_ids`, or the deprecated single `assignee_id`.
fn assignees_param(params: &Params) -> Result<Option<Vec<u64>>, Response> {
    if let Some(ids) = params.ids("assignee_ids").map_err(bad_param)? {
        return Ok(Some(ids.into_iter().filter(|id| *id != 0).collect()));
    }
    match params.ids("assignee_id").map_err(bad_param)? {
        None => Ok(None),
        Some(ids) if ids.len() <= 1 => Ok(Some(ids.into_iter().filter(|id| *id != 0).collect())),
        Some(_) => Err(bad_param("assignee_id is invalid")),
    }
}

impl State {
    pub(super) fn list_issues(
        &self,
        req: &Request,
        project: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let filter = IssueFilter::parse(&req.query, caller.user_id).map_err(bad_param)?;
        let per_page = parse_per_page(&req.query).map_err(bad_param)?;
        let page = parse_page(&req.query).map_err(bad_param)?;
        let pidx = self.visible_project(project, caller)?;
        let now = self.now();
        let mut issues: Vec<&Issue> = self.projects[pidx]
            .issues
            .iter()
            .filter(|i| i.visible_at(now) && filter.matches(self, i))
            .collect();
        issues.sort_by(|a, b| filter.compare(a, b));
        let defaults = [
            ("id", project),
            ("order_by", filter.order_by_param()),
            ("sort", "desc"),
            ("state", "all"),
            ("with_labels_details", "false"),
        ];
        Ok(page_of(
            req,
            &self.base_url,
            &issues,
            |i| self.issue_json(pidx, i),
            page,
            &per_page,
            &defaults,
        ))
    }

    pub(super) fn get_issue(
        &self,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let iid = parse_iid(iid, "issue_iid")?;
        let pidx = self.visible_project(project, caller)?;
        match self.issue(pidx, iid) {
            Some(issue) => Ok(Response::json(200, &self.issue_json(pidx, issue))),
            None => Err(message(404, "404 Issue Not Found")),
        }
    }

    pub(super) fn create_issue(
        &mut self,
        req: &Request,
        project: &str,
        caller: &Caller,
    ) -> Result<(Response, (usize, u64)), Response> {
        let params = params_of(req)?;
        // Grape validation (before the endpoint runs).
        if !params.has("title") {
            return Err(bad_param("title is missing"));
        }
        let title = params
            .string("title")
            .map_err(bad_param)?
            .unwrap_or_default();
        let description = params.string("description").map_err(bad_param)?;
        let confidential = params
            .bool("confidential")
            .map_err(bad_param)?
            .unwrap_or(false);
        let assignee_ids = assignees_param(&params)?.unwrap_or_default();
        let labels = params
            .labels("labels")
            .map_err(bad_param)?
            .unwrap_or_default();
        let due_date = params
            .string("due_date")
            .map_err(bad_param)?
            .as_deref()
            .and_then(parse_date);

        // The endpoint: project, application limit, permission, model validation.
        let pidx = self.visible_project(project, caller)?;
        if self.create_limited(caller.user_id) {
            return Err(application_limit());
        }
        if caller.access != TokenAccess::Full {
            return Err(message(403, "403 Forbidden"));
        }
        let title = title.trim().to_string();
        validate(Some(&title), description.as_deref())?;

        let (description, commands) = match description {
            Some(d) if self.faults.plain_creates => (Some(d), Vec::new()),
            Some(d) => {
                let (content, commands) = extract(&d);
                (Some(content), commands)
            }
            None => (None, Vec::new()),
        };
        let fields = IssueFields {
            title,
            description,
            labels,
            assignee_ids,
            confidential,
            due_date,
            author_id: caller.user_id,
        };
        let iid = self.store_issue(pidx, fields);
        if !commands.is_empty() {
            let interpreted = self.interpret(pidx, None, caller.user_id, &commands);
            self.record_quick_actions(pidx, iid, &commands);
            self.apply_changes(pidx, iid, caller.user_id, &interpreted.changes, true);
        }
        let issue = self
            .issue(pidx, iid)
            .ok_or_else(|| message(404, "404 Issue Not Found"))?;
        Ok((
            Response::json(201, &self.issue_json(pidx, issue)),
            (pidx, iid),
        ))
    }

    pub(super) fn edit_issue(
        &mut self,
        req: &Request,
        project: &str,
        iid: &str,
        caller: &Caller,
    ) -> Result<Response, Response> {
        let params = params_of(req)?;
        let iid = parse_iid(iid, "issue_iid")?;
        if !EDIT_PARAMS.iter().any(|p| params.has(p)) {
            return Err(bad_param(format!(
                "{} are missing, at least one parameter must be provided",
                EDIT_PARAMS.join(", ")
            )));
        }
        let state_event = match params.string("state_event").map_err(bad_param)?.as_deref() {
            None => None,
            Some("close") => Some(StateEvent::Close),
            Some("reopen") => Some(StateEvent::Reopen),
            Some(_) => return Err(bad_param("state_event does not have a valid value")),
        };
        let title = params
            .string("title")
            .map_err(bad_param)?
            .map(|t| t.trim().to_string());
        let description = params.string("description").map_err(bad_param)?;
        let description_sent = params.has("description");
        let confidential = params.bool("confidential").map_err(bad_param)?;
        params.bool("discussion_locked").map_err(bad_param)?;
        let assignee_ids = assignees_param(&params)?;
        let labels = params.labels("labels").map_err(bad_param)?;
        let add_labels = params
            .labels("add_labels")
            .map_err(bad_param)?
            .unwrap_or_default();
        let remove_labels = params
            .labels("remove_labels")
            .map_err(bad_param)?
            .unwrap_or_default();
        // An empty or unparsable due date clears it (Rails casts it to nil).
        let due_date = if params.has("due_date") {
            Some(
                params
                    .string("due_date")
                    .map_err(bad_param)?
                    .as_deref()
                    .and_then(parse_date),
            )
        } else {
            None
        };

        let pidx = self.visible_project(project, caller)?;
        if self.issue(pidx, iid).is_none() {
            return Err(message(404, "404 Not found"));
        }
        if caller.access != TokenAccess::Full {
            return Err(message(403, "403 Forbidden"));
        }
        validate(title.as_deref(), description.as_deref())?;

        let mut changes = Changes {
            title,
            labels,
            add_labels,
            remove_labels,
            assignee_ids,
            due_date,
            confidential,
            state_event,
            ..Changes::default()
        };
        if description_sent {
            let (content, commands) = match description {
                Some(d) => {
                    let (content, commands) = extract(&d);
                    (Some(content), commands)
                }
                None => (None, Vec::new()),
            };
            changes.description = Some(content);
            if !commands.is_empty() {
                let interpreted = self.interpret(pidx, Some(iid), caller.user_id, &commands);
                self.record_quick_actions(pidx, iid, &commands);
                changes = changes.overlay(interpreted.changes);
            }
        }
        self.apply_changes(pidx, iid, caller.user_id, &changes, false);
        let issue = self
            .issue(pidx, iid)
            .ok_or_else(|| message(404, "404 Not found"))?;
        Ok(Response::json(200, &self.issue_json(pidx, issue)))
    }
}
