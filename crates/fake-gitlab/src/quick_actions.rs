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
        let mut run = Run {
            st: self,
            pidx,
            iid,
            actor,
            persisted: target.is_some(),
            closed: target.is_some_and(|i| i.closed),
            labels: target.map(|i| i.labels.clone()).unwrap_or_default(),
            assignees: target.map(|i| i.assignee_ids.clone()).unwrap_or_default(),
            has_due: target.is_some_and(|i| i.due_date.is_some()),
            confidential: target.is_some_and(|i| i.confidential),
            has_project_labels: !self.projects[pidx].labels.is_empty(),
            out: Interpreted::default(),
        };
        for c in commands {
            run.command(c);
        }
        run.out
    }
}

/// Commands running one after another against one issue: what they see of
/// it (as it was before them; only assignees follow the commands) and what
/// they amount to so far.
struct Run<'a> {
    st: &'a State,
    pidx: usize,
    iid: Option<u64>,
    actor: u64,
    /// False while the issue is being created.
    persisted: bool,
    closed: bool,
    labels: Vec<String>,
    assignees: Vec<u64>,
    has_due: bool,
    confidential: bool,
    has_project_labels: bool,
    out: Interpreted,
}

impl Run<'_> {
    /// Runs one command when GitLab's conditions for it hold; others are
    /// recognised and change nothing.
    fn command(&mut self, c: &Command) {
        match c.name.as_str() {
            "close" if self.persisted && !self.closed => {
                self.state_event(StateEvent::Close, "close", "Closed this issue.");
            }
            "reopen" if self.persisted && self.closed => {
                self.state_event(StateEvent::Reopen, "reopen", "Reopened this issue.");
            }
            "title" if self.persisted && !c.arg.is_empty() => self.title(&c.arg),
            "label" | "labels" | "relabel"
                if self.has_project_labels && (c.name != "relabel" || !self.labels.is_empty()) =>
            {
                self.label(c);
            }
            "unlabel" | "remove_label" if self.persisted && !self.labels.is_empty() => {
                self.unlabel(&c.arg);
            }
            "assign" | "reassign" if c.name == "assign" || self.persisted => self.assign(c),
            "unassign" if self.persisted && !self.assignees.is_empty() => self.unassign(&c.arg),
            "due" => self.due(&c.arg),
            "remove_due_date" if self.persisted && self.has_due => {
                self.out.changes.due_date = Some(None);
                self.change("due_date", Value::Null, "Removed the due date.".into());
            }
            "duplicate" if self.persisted => self.duplicate(&c.arg),
            "confidential" if !self.confidential => {
                self.out.changes.confidential = Some(true);
                let message = "Made this issue confidential.".into();
                self.change("confidential", json!(true), message);
            }
            // Current GitLab relates a new issue too, once it is committed.
            "relate" => self.relate(&c.arg),
            _ => {}
        }
    }

    /// Records a change in `commands_changes` and its execution message.
    fn change(&mut self, key: &str, value: Value, message: String) {
        self.out.commands_changes.insert(key.into(), value);
        self.out.messages.push(message);
    }

    fn state_event(&mut self, event: StateEvent, name: &str, message: &str) {
        self.out.changes.state_event = Some(event);
        self.change("state_event", json!(name), message.into());
    }

    fn title(&mut self, title: &str) {
        self.out.changes.title = Some(title.to_string());
        let message = format!("Changed the title to \"{title}\".");
        self.change("title", json!(title), message);
    }

    /// The project labels a label argument names, and their ids; `None`
    /// when it names none.
    fn labels_named(&self, arg: &str) -> Option<(Vec<String>, Vec<u64>)> {
        let found: (Vec<String>, Vec<u64>) = label_tokens(arg)
            .iter()
            .filter_map(|t| self.st.find_label(self.pidx, t))
            .unzip();
        (!found.0.is_empty()).then_some(found)
    }

    fn label(&mut self, c: &Command) {
        let Some((names, ids)) = self.labels_named(&c.arg) else {
            return;
        };
        let refs = label_refs(&names);
        if c.name == "relabel" {
            self.out.changes.labels = Some(names);
            self.labels_changed(
                "label_ids",
                &ids,
                format!("Replaced all labels with {refs}."),
            );
        } else {
            self.out.changes.add_labels.extend(names);
            self.labels_changed("add_label_ids", &ids, format!("Added {refs}."));
        }
    }

    fn unlabel(&mut self, arg: &str) {
        if arg.is_empty() {
            self.out.changes.labels = Some(Vec::new());
            self.change("label_ids", json!([]), "Removed all labels.".into());
            return;
        }
        let Some((names, ids)) = self.labels_named(arg) else {
            return;
        };
        let refs = label_refs(&names);
        self.out.changes.remove_labels.extend(names);
        self.labels_changed("remove_label_ids", &ids, format!("Removed {refs}."));
    }

    /// Records label ids under `key` in `commands_changes` and the message.
    fn labels_changed(&mut self, key: &str, ids: &[u64], message: String) {
        self.out.push_ids(key, ids);
        self.out.messages.push(message);
    }

    fn assign(&mut self, c: &Command) {
        let users = self.st.find_users(&c.arg, self.actor);
        if users.is_empty() {
            let message = "Failed to assign a user because no user was found.";
            self.out.messages.push(message.into());
            return;
        }
        let message = if c.name == "reassign" {
            self.assignees.clone_from(&users);
            format!("Reassigned {}.", self.st.user_refs(&users))
        } else {
            let new: Vec<u64> = users
                .iter()
                .filter(|u| !self.assignees.contains(u))
                .copied()
                .collect();
            self.assignees.extend(new);
            format!("Assigned {}.", self.st.user_refs(&users))
        };
        self.out.messages.push(message);
        self.assignees_changed();
    }

    fn unassign(&mut self, arg: &str) {
        let removed: Vec<u64> = if arg.is_empty() {
            self.assignees.clone()
        } else {
            self.st
                .find_users(arg, self.actor)
                .into_iter()
                .filter(|u| self.assignees.contains(u))
                .collect()
        };
        if removed.is_empty() {
            return;
        }
        self.assignees.retain(|a| !removed.contains(a));
        let noun = if removed.len() == 1 {
            "assignee"
        } else {
            "assignees"
        };
        let message = format!("Removed {noun} {}.", self.st.user_refs(&removed));
        self.out.messages.push(message);
        self.assignees_changed();
    }

    fn assignees_changed(&mut self) {
        self.out.changes.assignee_ids = Some(self.assignees.clone());
        self.out
            .commands_changes
            .insert("assignee_ids".into(), json!(self.assignees));
    }

    fn due(&mut self, arg: &str) {
        match parse_due(arg) {
            Some(date) => {
                self.out.changes.due_date = Some(Some(date));
                let message = format!("Set the due date to {}.", date.format("%b %-d, %Y"));
                self.change(
                    "due_date",
                    json!(date.format("%Y-%m-%d").to_string()),
                    message,
                );
            }
            None => self
                .out
                .messages
                .push("Failed to set due date because the date format is invalid.".into()),
        }
    }

    fn duplicate(&mut self, arg: &str) {
        let pidx = self.pidx;
        match self.st.find_issue_ref(pidx, arg) {
            None => self.out.messages.push(
                "Failed to mark this issue as a duplicate because referenced issue was not found."
                    .into(),
            ),
            Some(canonical) if Some(canonical) == self.iid.map(|i| (pidx, i)) => {
                self.out.messages.push(
                    "Failed to mark the issue as a duplicate because it cannot be a duplicate of itself."
                        .into(),
                );
            }
            Some(canonical) => {
                let Some(issue) = self.st.issue(canonical.0, canonical.1) else {
                    return;
                };
                let url = format!(
                    "{}/{}/-/issues/{}",
                    self.st.base_url, self.st.projects[canonical.0].path, canonical.1
                );
                self.out.changes.duplicate_of = Some(canonical);
                let message =
                    format!("Closed this Issue. Marked as related to, and a duplicate of, {url}.");
                self.change("canonical_issue_id", json!(issue.id), message);
            }
        }
    }

    fn relate(&mut self, arg: &str) {
        let found: Vec<(usize, u64)> = arg
            .split_whitespace()
            .filter_map(|r| self.st.find_issue_ref(self.pidx, r))
            .collect();
        if found.is_empty() {
            return;
        }
        let refs: Vec<String> = found
            .iter()
            .map(|t| self.st.reference(self.pidx, *t))
            .collect();
        self.out.changes.relate_to.extend(found);
        self.out.messages.push(format!(
            "Added {} as a linked item related to this issue.",
            sentence(&refs)
        ));
    }
}
