//! Everything the fake GitLab remembers: users, tokens, projects with their
//! issues, notes and labels, issue links, the fault settings and the
//! recorded requests. One `Mutex<State>` guards it all; it is never held
//! across an `.await`.

use super::faults::Faults;
use super::params::iso8601;
use super::rate_limit::Window;
use super::types::{RecordedRequest, TokenAccess};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

pub(super) struct User {
    pub(super) id: u64,
    pub(super) username: String,
    pub(super) name: String,
    pub(super) email: String,
}

pub(super) struct TokenRec {
    pub(super) user_id: u64,
    pub(super) access: TokenAccess,
}

pub(super) struct Note {
    pub(super) id: u64,
    pub(super) body: String,
    pub(super) author_id: u64,
    pub(super) created_at: DateTime<Utc>,
    pub(super) system: bool,
    pub(super) internal: bool,
}

/// A label added to or removed from an issue, and by whom
/// (`resource_label_events`).
pub(super) struct LabelEvent {
    pub(super) id: u64,
    pub(super) user_id: u64,
    pub(super) created_at: DateTime<Utc>,
    pub(super) label: String,
    pub(super) added: bool,
}

pub(super) struct Issue {
    pub(super) id: u64,
    pub(super) iid: u64,
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) closed: bool,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) closed_at: Option<DateTime<Utc>>,
    pub(super) closed_by: Option<u64>,
    /// Sorted by name, at most one per `scope::`.
    pub(super) labels: Vec<String>,
    pub(super) assignee_ids: Vec<u64>,
    pub(super) author_id: u64,
    pub(super) due_date: Option<NaiveDate>,
    pub(super) confidential: bool,
    pub(super) notes: Vec<Note>,
    pub(super) label_events: Vec<LabelEvent>,
    /// `(project index, iid)` of the issue this one was closed as a duplicate of.
    pub(super) duplicate_of: Option<(usize, u64)>,
    /// Stored, but invisible until then (a create that lands late).
    pub(super) lands_at: Option<Instant>,
}

impl Issue {
    /// False while a late-landing create has not landed yet at `now` (the
    /// fake's clock, [`State::now`]).
    pub(super) fn visible_at(&self, now: Instant) -> bool {
        self.lands_at.is_none_or(|t| now >= t)
    }
}

pub(super) struct Project {
    pub(super) id: u64,
    pub(super) path: String,
    pub(super) issues: Vec<Issue>,
    pub(super) next_iid: u64,
    pub(super) hidden_for: HashSet<String>,
    /// Label name → label id; labels are created on first use, like GitLab.
    pub(super) labels: BTreeMap<String, u64>,
}

impl Project {
    pub(super) fn new(id: u64, path: String) -> Self {
        Project {
            id,
            path,
            issues: Vec::new(),
            next_iid: 1,
            hidden_for: HashSet::new(),
            labels: BTreeMap::new(),
        }
    }
}

pub(super) struct Link {
    pub(super) id: u64,
    pub(super) source: (usize, u64),
    pub(super) target: (usize, u64),
    // why: `link_type` is GitLab's name for this attribute and parameter,
    // used as-is everywhere else in the fake; the bare `type` is a keyword.
    #[allow(clippy::struct_field_names)]
    pub(super) link_type: String,
    pub(super) created_at: DateTime<Utc>,
}

pub(super) struct State {
    pub(super) base_url: String,
    pub(super) users: Vec<User>,
    pub(super) tokens: HashMap<String, TokenRec>,
    pub(super) projects: Vec<Project>,
    pub(super) links: Vec<Link>,
    pub(super) next_issue_id: u64,
    pub(super) next_note_id: u64,
    pub(super) next_link_id: u64,
    pub(super) next_label_id: u64,
    last_timestamp_ms: i64,
    /// How far the server's clock is ahead of the machine's.
    pub(super) clock_offset_ms: i64,
    pub(super) faults: Faults,
    pub(super) window: Window,
    pub(super) create_windows: HashMap<u64, Window>,
    pub(super) rng: fastrand::Rng,
    pub(super) requests: Vec<RecordedRequest>,
    next_seq: u64,
    pub(super) quick_actions: Vec<(String, u64, String)>,
    /// How far a test moved the fake's clock ahead of the real one
    /// (`FakeGitlab::advance_clock`), so that what lands later lands now
    /// without the test waiting for it.
    pub(super) skipped: Duration,
}

impl State {
    pub(super) fn new(seed: u64, base_url: String) -> Self {
        State {
            base_url,
            users: Vec::new(),
            tokens: HashMap::new(),
            projects: Vec::new(),
            links: Vec::new(),
            // Global ids start far from iids so a client mixing them up fails.
            next_issue_id: 1001,
            next_note_id: 5001,
            next_link_id: 1,
            next_label_id: 101,
            last_timestamp_ms: 0,
            clock_offset_ms: 0,
            faults: Faults::default(),
            window: Window::default(),
            create_windows: HashMap::new(),
            rng: fastrand::Rng::with_seed(seed),
            requests: Vec::new(),
            next_seq: 0,
            quick_actions: Vec::new(),
            skipped: Duration::ZERO,
        }
    }

    /// The fake's clock: the real one, plus what tests skipped.
    pub(super) fn now(&self) -> Instant {
        Instant::now() + self.skipped
    }

    /// Appends a request to the log with the next sequence number.
    pub(super) fn record(&mut self, mut r: RecordedRequest) {
        r.seq = self.next_seq;
        self.next_seq += 1;
        self.requests.push(r);
    }

    /// A project by numeric id or full path (case-insensitive, like GitLab).
    pub(super) fn project_index(&self, key: &str) -> Option<usize> {
        if let Ok(id) = key.parse::<u64>() {
            if let Some(i) = self.projects.iter().position(|p| p.id == id) {
                return Some(i);
            }
        }
        self.projects
            .iter()
            .position(|p| p.path.eq_ignore_ascii_case(key))
    }

    pub(super) fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(super) fn user_by_name(&self, username: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
    }

    /// A visible issue by project index and iid.
    pub(super) fn issue(&self, pidx: usize, iid: u64) -> Option<&Issue> {
        let now = self.now();
        self.projects[pidx]
            .issues
            .iter()
            .find(|i| i.iid == iid && i.visible_at(now))
    }

    pub(super) fn issue_mut(&mut self, pidx: usize, iid: u64) -> Option<&mut Issue> {
        let now = self.now();
        self.projects[pidx]
            .issues
            .iter_mut()
            .find(|i| i.iid == iid && i.visible_at(now))
    }

    /// Now, strictly increasing across calls so `created_at` orders issues.
    pub(super) fn next_timestamp(&mut self) -> DateTime<Utc> {
        let now =
            (Utc::now().timestamp_millis() + self.clock_offset_ms).max(self.last_timestamp_ms + 1);
        self.last_timestamp_ms = now;
        DateTime::from_timestamp_millis(now).unwrap_or_else(Utc::now)
    }

    /// The id of a project label, created on first use.
    pub(super) fn label_id(&mut self, pidx: usize, name: &str) -> u64 {
        if let Some(id) = self.projects[pidx].labels.get(name) {
            return *id;
        }
        let id = self.next_label_id;
        self.next_label_id += 1;
        self.projects[pidx].labels.insert(name.to_string(), id);
        id
    }

    /// An existing project label by name (case-insensitive), as GitLab's
    /// quick actions find them.
    pub(super) fn find_label(&self, pidx: usize, name: &str) -> Option<(String, u64)> {
        self.projects[pidx]
            .labels
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, id)| (n.clone(), *id))
    }

    /// `#iid` within the project, `group/project#iid` from another one.
    pub(super) fn reference(&self, from: usize, to: (usize, u64)) -> String {
        if from == to.0 {
            format!("#{}", to.1)
        } else {
            format!("{}#{}", self.projects[to.0].path, to.1)
        }
    }

    pub(super) fn user_basic(&self, id: u64) -> Value {
        match self.user(id) {
            Some(u) => user_basic(u, &self.base_url),
            None => Value::Null,
        }
    }

    pub(super) fn project_json(&self, idx: usize) -> Value {
        let base = &self.base_url;
        let p = &self.projects[idx];
        let (namespace, name) = p.path.rsplit_once('/').unwrap_or(("", p.path.as_str()));
        let ns_name = namespace.rsplit('/').next().unwrap_or(namespace);
        let host = base.trim_start_matches("http://");
        let host = host.split(':').next().unwrap_or(host);
        let now = self.now();
        let open = p
            .issues
            .iter()
            .filter(|i| i.visible_at(now) && !i.closed)
            .count();
        let api = format!("{base}/api/v4/projects/{}", p.id);
        json!({
            "id": p.id,
            "description": "",
            "name": name,
            "name_with_namespace": p.path.split('/').collect::<Vec<_>>().join(" / "),
            "path": name,
            "path_with_namespace": p.path,
            "created_at": "2020-01-01T00:00:00.000Z",
            "default_branch": "main",
            "tag_list": [],
            "topics": [],
            "ssh_url_to_repo": format!("git@{host}:{}.git", p.path),
            "http_url_to_repo": format!("{base}/{}.git", p.path),
            "web_url": format!("{base}/{}", p.path),
            "readme_url": null,
            "forks_count": 0,
            "avatar_url": null,
            "star_count": 0,
            "last_activity_at": "2020-01-01T00:00:00.000Z",
            "namespace": {
                "id": p.id + 100_000,
                "name": ns_name,
                "path": ns_name,
                "kind": "group",
                "full_path": namespace,
                "parent_id": null,
                "avatar_url": null,
                "web_url": format!("{base}/groups/{namespace}")
            },
            "visibility": "private",
            "archived": false,
            "empty_repo": true,
            "issues_enabled": true,
            "open_issues_count": open,
            "_links": {
                "self": api,
                "issues": format!("{api}/issues"),
                "labels": format!("{api}/labels"),
                "events": format!("{api}/events"),
                "members": format!("{api}/members")
            }
        })
    }
}

/// `Entities::UserBasic`.
pub(super) fn user_basic(u: &User, base: &str) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "state": "active",
        "locked": false,
        "avatar_url": null,
        "web_url": format!("{base}/{}", u.username)
    })
}

/// `Entities::UserPublic` plus the private fields `/user` shows its owner.
pub(super) fn user_full(u: &User, base: &str) -> Value {
    let mut v = user_basic(u, base);
    let since = "2020-01-01T00:00:00.000Z";
    let extra = json!({
        "created_at": since,
        "bio": "",
        "location": "",
        "public_email": null,
        "skype": "",
        "linkedin": "",
        "twitter": "",
        "discord": "",
        "website_url": "",
        "organization": "",
        "job_title": "",
        "pronouns": null,
        "bot": u.username.starts_with("bot."),
        "work_information": null,
        "local_time": null,
        "last_sign_in_at": since,
        "confirmed_at": since,
        "last_activity_on": "2020-01-01",
        "email": u.email,
        "theme_id": 1,
        "color_scheme_id": 1,
        "projects_limit": 100_000,
        "current_sign_in_at": since,
        "identities": [],
        "can_create_group": true,
        "can_create_project": true,
        "two_factor_enabled": false,
        "external": false,
        "private_profile": false,
        "commit_email": u.email
    });
    if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), extra) {
        obj.extend(extra);
    }
    v
}

/// A timestamp as GitLab prints it, or `null`.
pub(super) fn ts(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| json!(iso8601(t)))
}
