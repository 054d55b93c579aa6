//! `GET /projects/:id/issues` filters, as `IssuesFinder` applies them:
//! `state`, `labels` (all must match; `None`/`Any`), `iids[]`, `author_id`,
//! `author_username`, `assignee_id` (`None`/`Any`), `assignee_username`,
//! `created_after/before`, `updated_after/before` (inclusive),
//! `confidential`, `milestone` (only `None` matches here), `scope`, and
//! `search` with `in` following `Gitlab::SQL::Pattern.fuzzy_search`: the
//! query is split into words (double-quoted phrases kept together); every
//! word of 3+ characters must occur case-insensitively in one of the
//! chosen fields (all words in the same field); if no word has 3+
//! characters the whole query must equal the field. Ordering: `order_by` (default `created_at`) and `sort` (default
//! `desc`), ties broken by id.

use super::params::{parse_bool, parse_datetime, split_labels};
use super::state::{Issue, State};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::cmp::Ordering;

enum LabelFilter {
    All(Vec<String>),
    None,
    Any,
}

enum AssigneeFilter {
    Id(u64),
    None,
    Any,
}

/// Sort key of `order_by`.
#[derive(Clone, Copy)]
enum OrderBy {
    Created,
    Updated,
    Title,
    DueDate,
}

pub(super) struct IssueFilter {
    state: Option<bool>,
    labels: Option<LabelFilter>,
    search: Option<Search>,
    confidential: Option<bool>,
    assignee: Option<AssigneeFilter>,
    assignee_usernames: Vec<String>,
    author_id: Option<u64>,
    author_username: Option<String>,
    iids: Vec<u64>,
    milestone_none_only: Option<bool>,
    created: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    updated: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    scope_author: Option<u64>,
    scope_assignee: Option<u64>,
    order_by: OrderBy,
    ascending: bool,
}

/// The query string as Rails reads it: a repeated key's last value wins.
#[derive(Clone, Copy)]
struct Query<'a>(&'a [(String, String)]);

impl<'a> Query<'a> {
    fn get(self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A Grape `DateTime` parameter.
    fn time(self, name: &str) -> Result<Option<DateTime<Utc>>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => parse_datetime(v).map(Some).ok_or_else(|| invalid(name)),
        }
    }

    /// `state`: `None` for all, `Some(closed)` otherwise.
    fn state(self) -> Result<Option<bool>, String> {
        match self.get("state") {
            None | Some("all") => Ok(None),
            Some("opened") => Ok(Some(false)),
            Some("closed") => Ok(Some(true)),
            Some(_) => Err(not_valid("state")),
        }
    }

    /// `order_by` and whether `sort` is ascending.
    fn order(self) -> Result<(OrderBy, bool), String> {
        let order_by = match self.get("order_by") {
            // GitLab also accepts the orders after `created_at`; the fake
            // has no data for them and falls back to creation order.
            None
            | Some(
                "created_at" | "label_priority" | "milestone_due" | "popularity" | "priority"
                | "relative_position" | "weight",
            ) => OrderBy::Created,
            Some("updated_at") => OrderBy::Updated,
            Some("title") => OrderBy::Title,
            Some("due_date") => OrderBy::DueDate,
            Some(_) => return Err(not_valid("order_by")),
        };
        let ascending = match self.get("sort") {
            None | Some("desc") => false,
            Some("asc") => true,
            Some(_) => return Err(not_valid("sort")),
        };
        Ok((order_by, ascending))
    }

    fn labels(self) -> Option<LabelFilter> {
        match self.get("labels") {
            None | Some("") => None,
            Some(v) if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("no label") => {
                Some(LabelFilter::None)
            }
            Some(v) if v.eq_ignore_ascii_case("any") => Some(LabelFilter::Any),
            Some(v) => Some(LabelFilter::All(split_labels(std::iter::once(v)))),
        }
    }

    /// `search`, in the fields `in` names (both when it names neither).
    fn search(self) -> Option<Search> {
        self.get("search").map(|s| {
            let scopes: Vec<&str> = self
                .get("in")
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .collect();
            let title = scopes.contains(&"title");
            let description = scopes.contains(&"description");
            let (title, description) = if title || description {
                (title, description)
            } else {
                (true, true)
            };
            Search::parse(s, title, description)
        })
    }

    fn confidential(self) -> Result<Option<bool>, String> {
        match self.get("confidential") {
            None => Ok(None),
            Some(v) => parse_bool(&json!(v))
                .map(Some)
                .ok_or_else(|| invalid("confidential")),
        }
    }

    fn assignee(self) -> Result<Option<AssigneeFilter>, String> {
        Ok(match self.get("assignee_id") {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("none") => Some(AssigneeFilter::None),
            Some(v) if v.eq_ignore_ascii_case("any") => Some(AssigneeFilter::Any),
            Some(v) => Some(AssigneeFilter::Id(
                v.parse().map_err(|_| not_valid("assignee_id"))?,
            )),
        })
    }

    /// Every `assignee_username` (repeatable).
    fn assignee_usernames(self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == "assignee_username" || k == "assignee_username[]")
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Every `iids[]` (or comma-separated `iids`).
    fn iids(self) -> Result<Vec<u64>, String> {
        let mut iids = Vec::new();
        for (k, v) in self.0 {
            if k == "iids[]" || k == "iids" {
                for part in v.split(',') {
                    iids.push(part.trim().parse().map_err(|_| invalid("iids"))?);
                }
            }
        }
        Ok(iids)
    }

    /// `scope`: the caller as author, or as assignee.
    fn scope(self, caller_id: u64) -> Result<(Option<u64>, Option<u64>), String> {
        match self.get("scope") {
            None | Some("all") => Ok((None, None)),
            Some("created_by_me" | "created-by-me") => Ok((Some(caller_id), None)),
            Some("assigned_to_me" | "assigned-to-me") => Ok((None, Some(caller_id))),
            Some(_) => Err(not_valid("scope")),
        }
    }
}

fn invalid(name: &str) -> String {
    format!("{name} is invalid")
}

fn not_valid(name: &str) -> String {
    format!("{name} does not have a valid value")
}

impl IssueFilter {
    /// Parses the query; `Err` is the message of a 400 `{"error":..}`.
    pub(super) fn parse(query: &[(String, String)], caller_id: u64) -> Result<IssueFilter, String> {
        let q = Query(query);
        // Checked in the order Grape declares them: the first bad one is named.
        let state = q.state()?;
        let (order_by, ascending) = q.order()?;
        let confidential = q.confidential()?;
        let assignee = q.assignee()?;
        let author_id = match q.get("author_id") {
            None => None,
            Some(v) => Some(v.parse().map_err(|_| invalid("author_id"))?),
        };
        let iids = q.iids()?;
        let (scope_author, scope_assignee) = q.scope(caller_id)?;
        Ok(IssueFilter {
            state,
            labels: q.labels(),
            search: q.search(),
            confidential,
            assignee,
            assignee_usernames: q.assignee_usernames(),
            author_id,
            author_username: q.get("author_username").map(str::to_string),
            iids,
            milestone_none_only: q
                .get("milestone")
                .or_else(|| q.get("milestone_id"))
                .map(|v| v.eq_ignore_ascii_case("none")),
            created: (q.time("created_after")?, q.time("created_before")?),
            updated: (q.time("updated_after")?, q.time("updated_before")?),
            scope_author,
            scope_assignee,
            order_by,
            ascending,
        })
    }

    /// Whether an issue passes every filter.
    pub(super) fn matches(&self, st: &State, issue: &Issue) -> bool {
        if self.state.is_some_and(|closed| issue.closed != closed) {
            return false;
        }
        let label_ok = match &self.labels {
            None => true,
            Some(LabelFilter::None) => issue.labels.is_empty(),
            Some(LabelFilter::Any) => !issue.labels.is_empty(),
            Some(LabelFilter::All(wanted)) => wanted.iter().all(|w| issue.labels.contains(w)),
        };
        if !label_ok || self.confidential.is_some_and(|c| issue.confidential != c) {
            return false;
        }
        let assignee_ok = match &self.assignee {
            None => true,
            Some(AssigneeFilter::None) => issue.assignee_ids.is_empty(),
            Some(AssigneeFilter::Any) => !issue.assignee_ids.is_empty(),
            Some(AssigneeFilter::Id(id)) => issue.assignee_ids.contains(id),
        };
        if !assignee_ok {
            return false;
        }
        let username_of = |id: u64| st.user(id).map(|u| u.username.to_lowercase());
        let assignee_names: Vec<String> = issue
            .assignee_ids
            .iter()
            .filter_map(|id| username_of(*id))
            .collect();
        if !self
            .assignee_usernames
            .iter()
            .all(|n| assignee_names.contains(&n.to_lowercase()))
        {
            return false;
        }
        if self.author_id.is_some_and(|a| issue.author_id != a)
            || self.scope_author.is_some_and(|a| issue.author_id != a)
        {
            return false;
        }
        if self
            .scope_assignee
            .is_some_and(|a| !issue.assignee_ids.contains(&a))
        {
            return false;
        }
        if let Some(name) = &self.author_username {
            if username_of(issue.author_id) != Some(name.to_lowercase()) {
                return false;
            }
        }
        if !self.iids.is_empty() && !self.iids.contains(&issue.iid) {
            return false;
        }
        // No issue has a milestone here.
        if self.milestone_none_only == Some(false) {
            return false;
        }
        let in_range =
            |t: DateTime<Utc>, (after, before): (Option<DateTime<Utc>>, Option<DateTime<Utc>>)| {
                after.is_none_or(|a| t >= a) && before.is_none_or(|b| t <= b)
            };
        if !in_range(issue.created_at, self.created) || !in_range(issue.updated_at, self.updated) {
            return false;
        }
        if let Some(search) = &self.search {
            let title = search.in_title && search.matches(&issue.title);
            let description =
                search.in_description && search.matches(issue.description.as_deref().unwrap_or(""));
            if !title && !description {
                return false;
            }
        }
        true
    }

    /// The requested order.
    pub(super) fn compare(&self, a: &Issue, b: &Issue) -> Ordering {
        let primary = match self.order_by {
            OrderBy::Created => a.created_at.cmp(&b.created_at),
            OrderBy::Updated => a.updated_at.cmp(&b.updated_at),
            OrderBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            OrderBy::DueDate => a.due_date.cmp(&b.due_date),
        };
        let ord = primary.then(a.id.cmp(&b.id));
        if self.ascending {
            ord
        } else {
            ord.reverse()
        }
    }

    /// The `order_by` value for `Link` URLs.
    pub(super) fn order_by_param(&self) -> &'static str {
        match self.order_by {
            OrderBy::Created => "created_at",
            OrderBy::Updated => "updated_at",
            OrderBy::Title => "title",
            OrderBy::DueDate => "due_date",
        }
    }
}

/// A `search` query, parsed once: `Gitlab::SQL::Pattern.fuzzy_arel_match`
/// applied to each chosen field.
struct Search {
    /// The words of 3+ characters, lower-cased; every one must occur.
    words: Vec<String>,
    /// The whole query, squished and lower-cased, for when no word is long.
    whole: String,
    in_title: bool,
    in_description: bool,
}

impl Search {
    fn parse(query: &str, in_title: bool, in_description: bool) -> Self {
        let squished = query.split_whitespace().collect::<Vec<_>>().join(" ");
        // Quoted phrases: `"..."` preceded by start/space and followed by space/end.
        let mut words: Vec<String> = Vec::new();
        let mut rest_words: Vec<String> = Vec::new();
        let chars: Vec<char> = squished.chars().collect();
        let mut i = 0;
        let mut current = String::new();
        while i < chars.len() {
            let at_boundary = i == 0 || chars[i - 1] == ' ';
            if chars[i] == '"' && at_boundary {
                let closing = (i + 1..chars.len()).find(|&j| {
                    chars[j] == '"' && j > i + 1 && (j + 1 == chars.len() || chars[j + 1] == ' ')
                });
                if let Some(end) = closing {
                    words.push(chars[i + 1..end].iter().collect());
                    i = end + 1;
                    continue;
                }
            }
            if chars[i] == ' ' {
                if !current.is_empty() {
                    rest_words.push(std::mem::take(&mut current));
                }
            } else {
                current.push(chars[i]);
            }
            i += 1;
        }
        if !current.is_empty() {
            rest_words.push(current);
        }
        rest_words.extend(words);
        Self {
            words: rest_words
                .into_iter()
                .filter(|w| w.chars().count() >= 3)
                .map(|w| w.to_lowercase())
                .collect(),
            whole: squished.to_lowercase(),
            in_title,
            in_description,
        }
    }

    /// Whether one field matches.
    fn matches(&self, field: &str) -> bool {
        if self.whole.is_empty() {
            return true;
        }
        // Lower-casing by Unicode tables is slow on long bodies; an ASCII
        // query only needs the ASCII letters folded.
        let field = if self.whole.is_ascii() {
            field.to_ascii_lowercase()
        } else {
            field.to_lowercase()
        };
        if self.words.is_empty() {
            return field == self.whole;
        }
        self.words.iter().all(|w| field.contains(w.as_str()))
    }
}
