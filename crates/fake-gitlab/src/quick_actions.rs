//! Quick actions, as `Gitlab::QuickActions::Extractor` finds them and the
//! interpret service runs them, in issue descriptions (create and edit) and
//! in notes. A command is a line starting with `/name` (no indentation);
//! it is removed from the stored text whether or not it can run. Only
//! top-level Markdown paragraphs are searched (see `markdown`), and inside
//! them inline code spans and HTML blocks are skipped, with GitLab's regex.
//! Every command found is recorded for `FakeGitlab::quick_actions`.
//!
//! Commands that change the issue here: close, reopen, title, label(s),
//! unlabel/`remove_label`, relabel, assign, unassign, reassign, due,
//! `remove_due_date`, duplicate, confidential, relate. Other GitLab commands
//! are recognised (and removed) but change nothing.

use super::changes::{sentence, Changes, StateEvent};
use super::markdown::paragraphs;
use super::params::parse_date;
use super::state::{Issue, State};
use chrono::{Duration, Utc};
use regex::Regex;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

const COMMANDS: &[&str] = &[
    "add_contacts",
    "add_email",
    "assign",
    "award",
    "blocked_by",
    "blocks",
    "board_move",
    "clear_weight",
    "clone",
    "close",
    "confidential",
    "copy_metadata",
    "create_merge_request",
    "done",
    "due",
    "duplicate",
    "epic",
    "estimate",
    "estimate_time",
    "iteration",
    "label",
    "labels",
    "lock",
    "milestone",
    "move",
    "promote_to_incident",
    "react",
    "reassign",
    "relabel",
    "relate",
    "remove_contacts",
    "remove_due_date",
    "remove_email",
    "remove_estimate",
    "remove_label",
    "remove_milestone",
    "remove_time_spent",
    "reopen",
    "severity",
    "spend",
    "spend_time",
    "spent",
    "subscribe",
    "timeline",
    "title",
    "todo",
    "unassign",
    "unlabel",
    "unlink",
    "unlock",
    "unsubscribe",
    "weight",
    "zoom",
    "remove_zoom",
];

/// One command found in a text.
pub(super) struct Command {
    /// Lower-case command name.
    pub(super) name: String,
    /// Its argument, trimmed (may be empty).
    pub(super) arg: String,
    /// The command line as written, without its line ending.
    pub(super) line: String,
}

fn commands_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let names = COMMANDS.join("|");
        // `Gitlab::QuickActions::Extractor#commands_regex`: inline code and
        // HTML blocks are skipped, a command starts a line.
        let pattern = format!(
            r"(?msix)
            (?P<inline_code> `.+?` )
            | (?P<html> ^<[^>]+?>\n.+?\n</[^>]+?>$ )
            | (?: ^/(?P<cmd>{names}) (?: \x20 (?P<arg>[^\n]*) )? (?: \s*\n | $ ) )"
        );
        Regex::new(&pattern).expect("quick action regex")
    })
}

/// Removes the commands from `text` (and `\r`, and trailing whitespace, as
/// GitLab does); returns the remaining text and the commands in order.
/// Only top-level Markdown paragraphs are searched.
pub(super) fn extract(text: &str) -> (String, Vec<Command>) {
    let text = text.replace('\r', "");
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let paragraphs = {
        let view: Vec<&str> = lines.iter().map(String::as_str).collect();
        paragraphs(&view)
    };
    let mut commands = Vec::new();
    for (start, end) in paragraphs {
        let mut end = end;
        if lines.get(end + 1).is_some_and(|l| l == "\n") {
            end += 1;
        }
        let paragraph: String = lines[start..=end].concat();
        let replaced = commands_regex().replace_all(&paragraph, |caps: &regex::Captures<'_>| {
            match caps.name("cmd") {
                Some(cmd) => {
                    commands.push(Command {
                        name: cmd.as_str().to_lowercase(),
                        arg: caps
                            .name("arg")
                            .map_or("", |a| a.as_str())
                            .trim()
                            .to_string(),
                        line: caps[0].trim_end().to_string(),
                    });
                    String::new()
                }
                None => caps[0].to_string(),
            }
        });
        for line in &mut lines[start..=end] {
            line.clear();
        }
        lines[start] = replaced.into_owned();
    }
    (lines.concat().trim_end().to_string(), commands)
}

/// What a list of commands amounts to.
#[derive(Default)]
pub(super) struct Interpreted {
    pub(super) changes: Changes,
    pub(super) commands_changes: Map<String, Value>,
    messages: Vec<String>,
}

impl Interpreted {
    /// The execution messages, joined as GitLab's note summary.
    pub(super) fn summary(&self) -> String {
        if self.messages.is_empty() {
            "Failed to apply commands.".into()
        } else {
            self.messages.join(" ")
        }
    }

    fn push_ids(&mut self, key: &str, ids: &[u64]) {
        let entry = self
            .commands_changes
            .entry(key.to_string())
            .or_insert_with(|| json!([]));
        if let Some(list) = entry.as_array_mut() {
            for id in ids {
                if !list.contains(&json!(id)) {
                    list.push(json!(id));
                }
            }
        }
    }
}

/// `~"quoted name"`, `~name` and bare words of a label argument.
fn label_tokens(arg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = arg.trim();
    while !rest.is_empty() {
        let token;
        if let Some(quoted) = rest.strip_prefix("~\"") {
            let end = quoted.find('"').unwrap_or(quoted.len());
            token = quoted[..end].to_string();
            rest = quoted.get(end + 1..).unwrap_or("");
        } else {
            let word = rest.trim_start_matches('~');
            let end = word.find(char::is_whitespace).unwrap_or(word.len());
            token = word[..end].to_string();
            rest = &word[end..];
        }
        if !token.is_empty() {
            out.push(token);
        }
        rest = rest.trim_start();
    }
    out
}

fn label_refs(names: &[String]) -> String {
    let refs: Vec<String> = names.iter().map(|n| format!("~\"{n}\"")).collect();
    let noun = if names.len() == 1 { "label" } else { "labels" };
    format!("{} {noun}", refs.join(" "))
}

/// `/due` arguments: a date, `today`, `tomorrow`, `in N days|weeks`.
fn parse_due(arg: &str) -> Option<chrono::NaiveDate> {
    let today = Utc::now().date_naive();
    let lower = arg.trim().to_lowercase();
    match lower.as_str() {
        "today" => return Some(today),
        "tomorrow" => return Some(today + Duration::days(1)),
        _ => {}
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    if let ["in", n, unit] = words.as_slice() {
        let n: i64 = n.parse().ok()?;
        return match unit.trim_end_matches('s') {
            "day" => Some(today + Duration::days(n)),
            "week" => Some(today + Duration::weeks(n)),
            _ => None,
        };
    }
    parse_date(arg)
}

impl State {
    /// Records the commands found for an issue.
    pub(super) fn record_quick_actions(&mut self, pidx: usize, iid: u64, commands: &[Command]) {
        let path = self.projects[pidx].path.clone();
        for c in commands {
            self.quick_actions.push((path.clone(), iid, c.line.clone()));
        }
    }

    /// An issue reference: `#n`, `group/project#n` or an issue URL.
    fn find_issue_ref(&self, pidx: usize, text: &str) -> Option<(usize, u64)> {
        let text = text.trim();
        let (project, iid) = if let Some(n) = text.strip_prefix('#') {
            (pidx, n)
        } else if let Some((path, n)) = text.rsplit_once("/-/issues/") {
            let path = path
                .strip_prefix(self.base_url.as_str())
                .unwrap_or(path)
                .trim_start_matches('/');
            (self.project_index(path)?, n)
        } else {
            let (path, n) = text.rsplit_once('#')?;
            (self.project_index(path)?, n)
        };
        let iid: u64 = iid.parse().ok()?;
        self.issue(project, iid).map(|_| (project, iid))
    }

    fn find_users(&self, arg: &str, actor: u64) -> Vec<u64> {
        let mut ids = Vec::new();
        for word in arg.split(|c: char| c.is_whitespace() || c == ',') {
            let name = word.trim_start_matches('@');
            let id = if name.eq_ignore_ascii_case("me") {
                Some(actor)
            } else {
                self.user_by_name(name).map(|u| u.id)
            };
            if let Some(id) = id.filter(|id| !ids.contains(id)) {
                ids.push(id);
            }
        }
        ids
    }

    fn user_refs(&self, ids: &[u64]) -> String {
        let names: Vec<String> = ids
            .iter()
            .filter_map(|id| self.user(*id))
            .map(|u| format!("@{}", u.username))
            .collect();
        sentence(&names)
    }

    /// Interprets commands against an issue (`iid` None: one being created).
    pub(super) fn interpret(
        &self,
        pidx: usize,
        iid: Option<u64>,
        actor: u64,
        commands: &[Command],
    ) -> Interpreted {
        let target: Option<&Issue> = iid.and_then(|iid| self.issue(pidx, iid));
        let persisted = target.is_some();
        let closed = target.is_some_and(|i| i.closed);
        let labels: Vec<String> = target.map(|i| i.labels.clone()).unwrap_or_default();
        let mut assignees: Vec<u64> = target.map(|i| i.assignee_ids.clone()).unwrap_or_default();
        let has_due = target.is_some_and(|i| i.due_date.is_some());
        let confidential = target.is_some_and(|i| i.confidential);
        let has_project_labels = !self.projects[pidx].labels.is_empty();
        let mut out = Interpreted::default();
        for c in commands {
            match c.name.as_str() {
                "close" if persisted && !closed => {
                    out.changes.state_event = Some(StateEvent::Close);
                    out.commands_changes.insert("state_event".into(), json!("close"));
                    out.messages.push("Closed this issue.".into());
                }
                "reopen" if persisted && closed => {
                    out.changes.state_event = Some(StateEvent::Reopen);
                    out.commands_changes.insert("state_event".into(), json!("reopen"));
                    out.messages.push("Reopened this issue.".into());
                }
                "title" if persisted && !c.arg.is_empty() => {
                    out.changes.title = Some(c.arg.clone());
                    out.commands_changes.insert("title".into(), json!(c.arg));
                    out.messages.push(format!("Changed the title to \"{}\".", c.arg));
                }
                "label" | "labels" | "relabel" if has_project_labels && (c.name != "relabel" || !labels.is_empty()) => {
                    let found: Vec<(String, u64)> = label_tokens(&c.arg).iter().filter_map(|t| self.find_label(pidx, t)).collect();
                    if found.is_empty() {
                        continue;
                    }
                    let names: Vec<String> = found.iter().map(|(n, _)| n.clone()).collect();
                    let ids: Vec<u64> = found.iter().map(|(_, id)| *id).collect();
                    if c.name == "relabel" {
                        out.changes.labels = Some(names.clone());
                        out.push_ids("label_ids", &ids);
                        out.messages.push(format!("Replaced all labels with {}.", label_refs(&names)));
                    } else {
                        out.changes.add_labels.extend(names.iter().cloned());
                        out.push_ids("add_label_ids", &ids);
                        out.messages.push(format!("Added {}.", label_refs(&names)));
                    }
                }
                "unlabel" | "remove_label" if persisted && !labels.is_empty() => {
                    if c.arg.is_empty() {
                        out.changes.labels = Some(Vec::new());
                        out.commands_changes.insert("label_ids".into(), json!([]));
                        out.messages.push("Removed all labels.".into());
                        continue;
                    }
                    let found: Vec<(String, u64)> = label_tokens(&c.arg).iter().filter_map(|t| self.find_label(pidx, t)).collect();
                    if found.is_empty() {
                        continue;
                    }
                    let names: Vec<String> = found.iter().map(|(n, _)| n.clone()).collect();
                    out.changes.remove_labels.extend(names.iter().cloned());
                    out.push_ids("remove_label_ids", &found.iter().map(|(_, id)| *id).collect::<Vec<_>>());
                    out.messages.push(format!("Removed {}.", label_refs(&names)));
                }
                "assign" | "reassign" if c.name == "assign" || persisted => {
                    let users = self.find_users(&c.arg, actor);
                    if users.is_empty() {
                        out.messages.push("Failed to assign a user because no user was found.".into());
                        continue;
                    }
                    if c.name == "reassign" {
                        assignees.clone_from(&users);
                        out.messages.push(format!("Reassigned {}.", self.user_refs(&users)));
                    } else {
                        assignees.extend(users.iter().filter(|u| !assignees.contains(u)).copied().collect::<Vec<_>>());
                        out.messages.push(format!("Assigned {}.", self.user_refs(&users)));
                    }
                    out.changes.assignee_ids = Some(assignees.clone());
                    out.commands_changes.insert("assignee_ids".into(), json!(assignees));
                }
                "unassign" if persisted && !assignees.is_empty() => {
                    let removed: Vec<u64> = if c.arg.is_empty() {
                        assignees.clone()
                    } else {
                        self.find_users(&c.arg, actor).into_iter().filter(|u| assignees.contains(u)).collect()
                    };
                    if removed.is_empty() {
                        continue;
                    }
                    assignees.retain(|a| !removed.contains(a));
                    let noun = if removed.len() == 1 { "assignee" } else { "assignees" };
                    out.messages.push(format!("Removed {noun} {}.", self.user_refs(&removed)));
                    out.changes.assignee_ids = Some(assignees.clone());
                    out.commands_changes.insert("assignee_ids".into(), json!(assignees));
                }
                "due" => match parse_due(&c.arg) {
                    Some(date) => {
                        out.changes.due_date = Some(Some(date));
                        out.commands_changes.insert("due_date".into(), json!(date.format("%Y-%m-%d").to_string()));
                        out.messages.push(format!("Set the due date to {}.", date.format("%b %-d, %Y")));
                    }
                    None => out.messages.push("Failed to set due date because the date format is invalid.".into()),
                },
                "remove_due_date" if persisted && has_due => {
                    out.changes.due_date = Some(None);
                    out.commands_changes.insert("due_date".into(), Value::Null);
                    out.messages.push("Removed the due date.".into());
                }
                "duplicate" if persisted => match self.find_issue_ref(pidx, &c.arg) {
                    None => out.messages.push("Failed to mark this issue as a duplicate because referenced issue was not found.".into()),
                    Some(canonical) if Some(canonical) == iid.map(|i| (pidx, i)) => {
                        out.messages.push("Failed to mark the issue as a duplicate because it cannot be a duplicate of itself.".into());
                    }
                    Some(canonical) => {
                        let Some(issue) = self.issue(canonical.0, canonical.1) else { continue };
                        let url = format!("{}/{}/-/issues/{}", self.base_url, self.projects[canonical.0].path, canonical.1);
                        out.changes.duplicate_of = Some(canonical);
                        out.commands_changes.insert("canonical_issue_id".into(), json!(issue.id));
                        out.messages.push(format!("Closed this Issue. Marked as related to, and a duplicate of, {url}."));
                    }
                },
                "confidential" if !confidential => {
                    out.changes.confidential = Some(true);
                    out.commands_changes.insert("confidential".into(), json!(true));
                    out.messages.push("Made this issue confidential.".into());
                }
                "relate" if persisted => {
                    let found: Vec<(usize, u64)> = c.arg.split_whitespace().filter_map(|r| self.find_issue_ref(pidx, r)).collect();
                    if found.is_empty() {
                        continue;
                    }
                    let refs: Vec<String> = found.iter().map(|t| self.reference(pidx, *t)).collect();
                    out.changes.relate_to.extend(found);
                    out.messages.push(format!("Added {} as a linked item related to this issue.", sentence(&refs)));
                }
                _ => {}
            }
        }
        out
    }
}
