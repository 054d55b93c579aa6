//! Routing and the checks every endpoint shares, in GitLab's order: route
//! (404 `{"error":"404 Not Found"}`) → authentication (401) → token scope
//! (403 `insufficient_scope`) → parameter validation (400 `{"error":..}`) →
//! project lookup (404 `{"message":"404 Project Not Found"}`) → resource
//! lookup (404) → permission (403 `{"message":"403 Forbidden"}`) → model
//! validation (400 `{"message":{field:[..]}}`). Also the small endpoints:
//! `/user`, `/users`, `/users/:id`, `/version`, `/projects/:id`.

use super::pagination::{merged_params, paginate, parse_page, parse_per_page, to_query};
use super::params::decode_path;
use super::server::{Request, Response};
use super::state::{user_basic, user_full, State, User};
use super::types::TokenAccess;
use serde_json::{json, Value};

/// Where a request goes, after matching the decoded path segments.
enum Route {
    CurrentUser,
    Users,
    User(String),
    Version,
    Project(String),
    ListIssues(String),
    CreateIssue(String),
    GetIssue(String, String),
    EditIssue(String, String),
    ListNotes(String, String),
    CreateNote(String, String),
    DeleteNote(String, String, String),
    LabelEvents(String, String),
    ListLinks(String, String),
    CreateLink(String, String),
}

fn own(s: &str) -> String {
    s.to_string()
}

fn match_route(method: &str, path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/api/v4/")?;
    let segs: Vec<String> = rest.split('/').map(decode_path).collect();
    if segs.iter().any(String::is_empty) {
        return None;
    }
    let get = method == "GET" || method == "HEAD";
    let post = method == "POST";
    let put = method == "PUT";
    let delete = method == "DELETE";
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let route = match s.as_slice() {
        ["user"] if get => Route::CurrentUser,
        ["users"] if get => Route::Users,
        ["users", id] if get => Route::User(own(id)),
        ["version"] if get => Route::Version,
        ["projects", id] if get => Route::Project(own(id)),
        ["projects", id, "issues"] if get => Route::ListIssues(own(id)),
        ["projects", id, "issues"] if post => Route::CreateIssue(own(id)),
        ["projects", id, "issues", iid] if get => Route::GetIssue(own(id), own(iid)),
        ["projects", id, "issues", iid] if put => Route::EditIssue(own(id), own(iid)),
        ["projects", id, "issues", iid, "notes"] if get => Route::ListNotes(own(id), own(iid)),
        ["projects", id, "issues", iid, "notes"] if post => Route::CreateNote(own(id), own(iid)),
        ["projects", id, "issues", iid, "notes", note] if delete => {
            Route::DeleteNote(own(id), own(iid), own(note))
        }
        ["projects", id, "issues", iid, "resource_label_events"] if get => {
            Route::LabelEvents(own(id), own(iid))
        }
        ["projects", id, "issues", iid, "links"] if get => Route::ListLinks(own(id), own(iid)),
        ["projects", id, "issues", iid, "links"] if post => Route::CreateLink(own(id), own(iid)),
        _ => return None,
    };
    Some(route)
}

/// The caller, once authenticated.
pub(super) struct Caller {
    pub(super) token: String,
    pub(super) user_id: u64,
    pub(super) access: TokenAccess,
}

/// `{"message": text}` with that status.
pub(super) fn message(status: u16, text: &str) -> Response {
    Response::json(status, &json!({ "message": text }))
}

/// Grape's parameter error: 400 `{"error": text}`.
pub(super) fn bad_param(text: impl Into<String>) -> Response {
    Response::json(400, &json!({ "error": text.into() }))
}

/// An integer path parameter such as `issue_iid`.
pub(super) fn parse_iid(text: &str, name: &str) -> Result<u64, Response> {
    text.parse::<u64>()
        .map_err(|_| bad_param(format!("{name} is invalid")))
}

/// Answers a request that reached the API; also returns
/// `(project index, iid)` when an issue was created.
pub(super) fn handle(st: &mut State, req: &Request) -> (Response, Option<(usize, u64)>) {
    let Some(route) = match_route(&req.method, &req.path) else {
        return (
            Response::json(404, &json!({ "error": "404 Not Found" })),
            None,
        );
    };
    let caller = match req
        .token()
        .and_then(|t| st.tokens.get(&t).map(|r| (t, r.user_id, r.access)))
    {
        Some((token, user_id, access)) => Caller {
            token,
            user_id,
            access,
        },
        None => return (message(401, "401 Unauthorized"), None),
    };
    let read = req.method == "GET" || req.method == "HEAD";
    if !read && caller.access == TokenAccess::ReadApiScope {
        let body = json!({
            "error": "insufficient_scope",
            "error_description": "The request requires higher privileges than provided by the access token.",
            "scope": "api"
        });
        return (Response::json(403, &body), None);
    }
    let done = |r: Result<Response, Response>| (r.unwrap_or_else(|e| e), None);
    match route {
        Route::CurrentUser => match st.user(caller.user_id) {
            Some(u) => (Response::json(200, &user_full(u, &st.base_url)), None),
            None => (message(401, "401 Unauthorized"), None),
        },
        Route::Users => done(st.list_users(req)),
        Route::User(id) => {
            let user = id.parse::<u64>().ok().and_then(|id| st.user(id));
            match user {
                Some(u) => (Response::json(200, &user_basic(u, &st.base_url)), None),
                None => (message(404, "404 User Not Found"), None),
            }
        }
        Route::Version => {
            let v = json!({ "version": "17.0.0-fake", "revision": "fake", "kas": { "enabled": false }, "enterprise": false });
            (Response::json(200, &v), None)
        }
        Route::Project(id) => match st.visible_project(&id, &caller) {
            Ok(idx) => (Response::json(200, &st.project_json(idx)), None),
            Err(resp) => (resp, None),
        },
        Route::ListIssues(id) => done(st.list_issues(req, &id, &caller)),
        Route::GetIssue(id, iid) => done(st.get_issue(&id, &iid, &caller)),
        Route::CreateIssue(id) => match st.create_issue(req, &id, &caller) {
            Ok((resp, created)) => (resp, Some(created)),
            Err(resp) => (resp, None),
        },
        Route::EditIssue(id, iid) => done(st.edit_issue(req, &id, &iid, &caller)),
        Route::ListNotes(id, iid) => done(st.list_notes(req, &id, &iid, &caller)),
        Route::CreateNote(id, iid) => done(st.create_note(req, &id, &iid, &caller)),
        Route::DeleteNote(id, iid, note) => done(st.delete_note(&id, &iid, &note, &caller)),
        Route::LabelEvents(id, iid) => done(st.list_label_events(req, &id, &iid, &caller)),
        Route::ListLinks(id, iid) => done(st.list_links(&id, &iid, &caller)),
        Route::CreateLink(id, iid) => done(st.create_link(req, &id, &iid, &caller)),
    }
}

impl State {
    /// A project the caller may see, or GitLab's 404.
    pub(super) fn visible_project(&self, key: &str, caller: &Caller) -> Result<usize, Response> {
        self.project_index(key)
            .filter(|&i| !self.projects[i].hidden_for.contains(&caller.token))
            .ok_or_else(|| message(404, "404 Project Not Found"))
    }

    /// The project's index, once the project and its issue `iid` are both
    /// visible to the caller: GitLab's 404s otherwise.
    pub(super) fn visible_issue(
        &self,
        key: &str,
        iid: u64,
        caller: &Caller,
    ) -> Result<usize, Response> {
        let pidx = self.visible_project(key, caller)?;
        match self.issue(pidx, iid) {
            Some(_) => Ok(pidx),
            None => Err(message(404, "404 Issue Not Found")),
        }
    }

    /// `GET /users`: `username`, `search`, `sort`, offset or keyset pagination.
    fn list_users(&self, req: &Request) -> Result<Response, Response> {
        let base = &self.base_url;
        let q = |name: &str| req.param(name);
        let mut users: Vec<&User> = self.users.iter().collect();
        if let Some(username) = q("username") {
            users.retain(|u| u.username.eq_ignore_ascii_case(username));
        }
        if let Some(search) = q("search").filter(|s| !s.is_empty()) {
            let s = search.to_lowercase();
            users.retain(|u| {
                u.username.to_lowercase().contains(&s)
                    || u.name.to_lowercase().contains(&s)
                    || u.email.to_lowercase() == s
            });
        }
        let desc = !matches!(q("sort"), Some("asc"));
        users.sort_by_key(|u| u.id);
        if desc {
            users.reverse();
        }
        let per_page = parse_per_page(&req.query).map_err(bad_param)?;
        if q("pagination") == Some("keyset") {
            // Keyset: filter by the cursor, one page, `Link: rel="next"` only.
            if let Some(after) = q("id_after").and_then(|v| v.parse::<u64>().ok()) {
                users.retain(|u| u.id > after);
            }
            if let Some(before) = q("id_before").and_then(|v| v.parse::<u64>().ok()) {
                users.retain(|u| u.id < before);
            }
            let n = per_page.per_page;
            let page: Vec<Value> = users.iter().take(n).map(|u| user_basic(u, base)).collect();
            let mut resp = Response::json(200, &Value::Array(page));
            if users.len() > n {
                let last = users[n - 1].id;
                let cursor = if desc { "id_before" } else { "id_after" };
                let sort = if desc { "desc" } else { "asc" };
                let mut params = merged_params(&req.query, &[("order_by", "id"), ("sort", sort)]);
                params.remove("id_after");
                params.remove("id_before");
                params.insert(cursor.to_string(), vec![last.to_string()]);
                params.insert("per_page".into(), vec![per_page.per_page_param.to_string()]);
                let url = format!("{base}{}?{}", req.path, to_query(&params));
                resp = resp.header("Link", format!("<{url}>; rel=\"next\""));
            }
            return Ok(resp);
        }
        let page = parse_page(&req.query).map_err(bad_param)?;
        let items: Vec<Value> = users.iter().map(|u| user_basic(u, base)).collect();
        let params = merged_params(&req.query, &[]);
        let url = format!("{base}{}", req.path);
        Ok(paginate(
            &items,
            Value::clone,
            page,
            &per_page,
            &url,
            params,
        ))
    }
}
