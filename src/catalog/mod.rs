//! Loads and validates the role catalogue. The only module that reads YAML.
//!
//! Every problem in every file is collected and reported as `file:line:column: message`.

mod diagnostic;
mod model;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::calendar::{Due, Holiday};
use crate::source::{FileSet, SourceFile};

pub use diagnostic::{did_you_mean, nearest, Diagnostic, Diagnostics, Locator};
pub use model::{
    AccessMode, AccessRequestDefaults, Bookmark, Catalog, Classification, Keyword, Owner,
    Provisioner, Role, RoleDef, RoleTool, Task, Tool,
};

/// The catalogue file that lists the tools.
pub const TOOLS_FILE: &str = "tools.yaml";
/// The optional catalogue file that lists company holidays.
pub const HOLIDAYS_FILE: &str = "holidays.yaml";

/// Parses one YAML document, turning a syntax or shape error into a located diagnostic.
pub fn from_yaml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|err| {
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = err.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message,
        }
    })
}

/// Reads a catalogue file: from its embedded JSON when there is one (fast),
/// else, or if that fails, from the YAML, whose errors are located.
fn parse_file<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    if let Some(Ok(value)) = file.json.map(serde_json::from_str) {
        return Ok(value);
    }
    from_yaml(&file.path, &file.text)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToolsFile {
    #[serde(default)]
    access_requests: Option<RawAccessRequests>,
    #[serde(default)]
    provisioners: Vec<RawProvisioner>,
    tools: Vec<RawTool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessRequests {
    labels: Option<Vec<String>>,
    confidential: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvisioner {
    id: String,
    name: String,
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTool {
    id: String,
    name: String,
    purpose: String,
    access: String,
    via: Option<String>,
    provisioner: String,
    link: String,
    training: Option<String>,
    classification: String,
    #[serde(default)]
    baseline: bool,
    check: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    layer: bool,
    extends: Option<String>,
    #[serde(default)]
    tools: Vec<RawRoleTool>,
    #[serde(default)]
    bookmarks: Vec<RawBookmark>,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoleTool {
    tool: String,
    level: String,
    justification: String,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBookmark {
    title: String,
    link: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    title: String,
    owner: String,
    due: String,
    link: Option<String>,
    section: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHolidays {
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawHoliday {
    Date(NaiveDate),
    Named {
        date: NaiveDate,
        #[serde(default)]
        name: Option<String>,
    },
}

impl From<RawHoliday> for Holiday {
    fn from(raw: RawHoliday) -> Self {
        let (date, name) = match raw {
            RawHoliday::Date(date) => (date, None),
            RawHoliday::Named { date, name } => (date, name),
        };
        Holiday {
            date,
            name: name.unwrap_or_else(|| "holiday".to_string()),
        }
    }
}

/// Reads a holiday list (`holidays: [{date, name}]` or bare dates).
pub fn parse_holidays(file: &SourceFile) -> Result<Vec<Holiday>, Diagnostic> {
    parse_file::<RawHolidays>(file).map(|raw| raw.holidays.into_iter().map(Holiday::from).collect())
}

/// Loads and validates a whole catalogue folder.
pub fn load(files: &FileSet) -> Result<Catalog, Diagnostics> {
    let mut problems = Diagnostics::default();
    let tools = match files.get(TOOLS_FILE) {
        Some(file) => load_tools(file, &mut problems),
        None => {
            problems.push(Diagnostic {
                file: TOOLS_FILE.to_string(),
                line: 1,
                column: 1,
                message: format!("the catalogue has no {TOOLS_FILE}"),
            });
            None
        }
    };
    let holidays = match files.get(HOLIDAYS_FILE) {
        Some(file) => parse_holidays(file).unwrap_or_else(|d| {
            problems.push(d);
            Vec::new()
        }),
        None => Vec::new(),
    };
    let (tools, access_requests, declared) = tools.unwrap_or_default();
    let role_files: Vec<&SourceFile> = files
        .files
        .iter()
        .filter(|f| f.name != TOOLS_FILE && f.name != HOLIDAYS_FILE)
        .filter(|f| f.name.ends_with(".yaml") || f.name.ends_with(".yml"))
        .collect();
    // Roles are checked against every declared id, so one broken tool entry
    // does not also break every role that uses it.
    let tool_ids: Vec<&str> = declared.iter().map(String::as_str).collect();
    let mut roles: Vec<(RoleDef, &SourceFile)> = role_files
        .iter()
        .filter_map(|file| load_role(file, &tool_ids, &mut problems).map(|r| (r, *file)))
        .collect();
    roles.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    // A file that failed to parse still declares its role, so children that
    // extend it are not reported as well.
    let unparsed: Vec<&str> = role_files
        .iter()
        .filter(|f| !roles.iter().any(|(_, file)| file.name == f.name))
        .map(|f| file_stem(&f.name))
        .collect();
    check_role_graph(&roles, &unparsed, &mut problems);
    problems
        .0
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems.into_result(Catalog {
        tools,
        roles: roles.into_iter().map(|(r, _)| r).collect(),
        holidays,
        access_requests: access_requests.unwrap_or_default(),
    })
}

/// `sales.yaml` → `sales`.
fn file_stem(name: &str) -> &str {
    name.trim_end_matches(".yaml").trim_end_matches(".yml")
}

/// Checks a catalogue id: lower-case words joined by dashes.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "id '{id}' must be lower-case letters and digits joined by single dashes"
        ))
    }
}

/// Checks that a catalogue link is an absolute web address.
fn check_link(link: &str) -> Result<(), String> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !link
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "<>\"`".contains(c)) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "link '{link}' must be an absolute http(s) address without spaces"
        )),
    }
}

fn check_text(value: &str, what: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// Counts how many times each `key: value` pair has been seen, so repeated
/// values are located at their own line.
#[derive(Default)]
struct Seen(HashMap<(&'static str, String), usize>);

impl Seen {
    fn next(&mut self, key: &'static str, value: &str) -> usize {
        let count = self.0.entry((key, value.to_string())).or_default();
        *count += 1;
        *count - 1
    }

    fn last(&self, key: &'static str, value: &str) -> usize {
        self.0
            .get(&(key, value.to_string()))
            .map_or(0, |count| count.saturating_sub(1))
    }
}

/// Collects problems for one file, each located at a `key: value` entry.
struct FileCheck<'a, 'p> {
    locator: Locator<'a>,
    seen: Seen,
    problems: &'p mut Diagnostics,
}

impl<'a, 'p> FileCheck<'a, 'p> {
    fn new(file: &'a SourceFile, problems: &'p mut Diagnostics) -> Self {
        Self {
            locator: Locator::new(&file.path, &file.text),
            seen: Seen::default(),
            problems,
        }
    }

    /// Notes that `key: value` was read, and reports `check`'s complaint about it there.
    fn entry(&mut self, key: &'static str, value: &str, check: Result<(), String>) {
        let nth = self.seen.next(key, value);
        if let Err(message) = check {
            self.problems
                .push(self.locator.at(key, value, nth, message));
        }
    }

    /// Reports a complaint at the `key: value` entry read most recently.
    fn again(&mut self, key: &'static str, value: &str, message: String) {
        let nth = self.seen.last(key, value);
        self.problems
            .push(self.locator.at(key, value, nth, message));
    }

    fn optional_link(&mut self, key: &'static str, link: Option<&str>) {
        if let Some(link) = link {
            self.entry(key, link, check_link(link));
        }
    }

    fn keyword<K: Keyword>(&mut self, key: &'static str, value: &str, what: &str) -> Option<K> {
        let parsed = K::parse(value, what);
        let result = parsed.as_ref().map(|_| ()).map_err(Clone::clone);
        self.entry(key, value, result);
        parsed.ok()
    }

    fn file_level(&mut self, message: String) {
        self.problems.push(self.locator.file_level(message));
    }
}

/// The valid tools, the access-request defaults, and every tool id declared.
type ToolsFile = (Vec<Tool>, Option<AccessRequestDefaults>, Vec<String>);

fn load_tools(file: &SourceFile, problems: &mut Diagnostics) -> Option<ToolsFile> {
    let raw: RawToolsFile = match parse_file(file) {
        Ok(raw) => raw,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    let mut check = FileCheck::new(file, problems);
    let mut provisioners: BTreeMap<String, Provisioner> = BTreeMap::new();
    for p in raw.provisioners {
        let duplicate = provisioners.contains_key(&p.id);
        let result = check_id(&p.id).and_then(|()| {
            if duplicate {
                Err(format!("duplicate provisioner id '{}'", p.id))
            } else {
                Ok(())
            }
        });
        check.entry("id", &p.id, result);
        check.entry("name", &p.name, check_text(&p.name, "provisioner name"));
        provisioners.entry(p.id.clone()).or_insert(Provisioner {
            id: p.id,
            name: p.name,
            label: p.label,
        });
    }
    let provisioner_ids: Vec<&str> = provisioners.keys().map(String::as_str).collect();
    let declared: Vec<String> = raw.tools.iter().map(|t| t.id.clone()).collect();
    let mut tools: Vec<Tool> = Vec::new();
    for t in raw.tools {
        let duplicate = tools.iter().any(|existing| existing.id == t.id);
        let id_check = check_id(&t.id).and_then(|()| {
            if duplicate {
                Err(format!("duplicate tool id '{}'", t.id))
            } else {
                Ok(())
            }
        });
        check.entry("id", &t.id, id_check);
        check.entry("name", &t.name, check_text(&t.name, "tool name"));
        check.entry(
            "purpose",
            &t.purpose,
            check_text(&t.purpose, "tool purpose"),
        );
        check.entry("link", &t.link, check_link(&t.link));
        check.optional_link("training", t.training.as_deref());
        let access = check.keyword::<AccessMode>("access", &t.access, "access mode");
        let classification =
            check.keyword::<Classification>("classification", &t.classification, "classification");
        let provisioner = provisioners.get(&t.provisioner).cloned();
        let provisioner_check = match provisioner {
            Some(_) => Ok(()),
            None => Err(format!(
                "unknown provisioner '{}'{}",
                t.provisioner,
                did_you_mean(&t.provisioner, provisioner_ids.iter().copied())
            )),
        };
        check.entry("provisioner", &t.provisioner, provisioner_check);
        match (access, &t.via) {
            (Some(AccessMode::Colleague), None) => check.again(
                "access",
                &t.access,
                format!(
                    "tool '{}' is reached through a colleague, so it needs 'via:' naming who",
                    t.id
                ),
            ),
            (Some(mode), Some(via)) if mode != AccessMode::Colleague => check.entry(
                "via",
                via,
                Err(format!(
                    "'via:' only applies to 'access: colleague', but tool '{}' has 'access: {}'",
                    t.id, t.access
                )),
            ),
            _ => {}
        }
        if let (Some(access), Some(classification), Some(provisioner), false) =
            (access, classification, provisioner, duplicate)
        {
            tools.push(Tool {
                id: t.id,
                name: t.name,
                purpose: t.purpose,
                access,
                via: t.via,
                provisioner,
                link: t.link,
                training: t.training,
                classification,
                baseline: t.baseline,
                check: t.check,
            });
        }
    }
    if tools.is_empty() {
        check.file_level("the tool catalogue lists no tools".to_string());
    }
    let defaults = raw.access_requests.map(|raw| {
        let fallback = AccessRequestDefaults::default();
        AccessRequestDefaults {
            labels: raw.labels.unwrap_or(fallback.labels),
            confidential: raw.confidential.unwrap_or(fallback.confidential),
        }
    });
    Some((tools, defaults, declared))
}

fn load_role(file: &SourceFile, tool_ids: &[&str], problems: &mut Diagnostics) -> Option<RoleDef> {
    let raw: RawRole = match parse_file(file) {
        Ok(raw) => raw,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    let mut check = FileCheck::new(file, problems);
    let stem = file.name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let id_check = check_id(&raw.id).and_then(|()| {
        if raw.id == stem {
            Ok(())
        } else {
            Err(format!(
                "role id '{}' does not match its file name '{}'",
                raw.id, file.name
            ))
        }
    });
    check.entry("id", &raw.id, id_check);
    check.entry("name", &raw.name, check_text(&raw.name, "role name"));
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for t in &raw.tools {
        let result = if !tool_ids.contains(&t.tool.as_str()) {
            Err(format!(
                "unknown tool '{}'{}",
                t.tool,
                did_you_mean(&t.tool, tool_ids.iter().copied())
            ))
        } else if !listed.insert(&t.tool) {
            Err(format!("tool '{}' is listed twice in this role", t.tool))
        } else {
            Ok(())
        };
        check.entry("tool", &t.tool, result);
        check.entry("level", &t.level, check_text(&t.level, "access level"));
        check.entry(
            "justification",
            &t.justification,
            check_text(&t.justification, "justification"),
        );
    }
    for b in &raw.bookmarks {
        check.entry("title", &b.title, check_text(&b.title, "bookmark title"));
        check.entry("link", &b.link, check_link(&b.link));
    }
    let mut tasks = Vec::new();
    for t in raw.tasks {
        check.entry("title", &t.title, check_text(&t.title, "task title"));
        let owner = check.keyword::<Owner>("owner", &t.owner, "owner");
        let due = t.due.parse::<Due>();
        check.entry(
            "due",
            &t.due,
            due.clone().map(|_| ()).map_err(|e| e.to_string()),
        );
        check.optional_link("link", t.link.as_deref());
        if let (Some(owner), Ok(due)) = (owner, due) {
            tasks.push(Task {
                title: t.title,
                owner,
                due,
                link: t.link,
                section: t.section,
            });
        }
    }
    Some(RoleDef {
        id: raw.id,
        name: raw.name,
        description: raw.description,
        layer: raw.layer,
        extends: raw.extends,
        tools: raw
            .tools
            .into_iter()
            .map(|t| RoleTool {
                tool: t.tool,
                level: t.level,
                justification: t.justification,
                optional: t.optional,
            })
            .collect(),
        bookmarks: raw
            .bookmarks
            .into_iter()
            .map(|b| Bookmark {
                title: b.title,
                link: b.link,
                note: b.note,
            })
            .collect(),
        tasks,
    })
}

/// Duplicate role ids, unknown parents and `extends` cycles.
fn check_role_graph(
    roles: &[(RoleDef, &SourceFile)],
    unparsed: &[&str],
    problems: &mut Diagnostics,
) {
    let ids: Vec<&str> = roles.iter().map(|(r, _)| r.id.as_str()).collect();
    let by_id: HashMap<&str, &RoleDef> = roles.iter().map(|(r, _)| (r.id.as_str(), r)).collect();
    let mut reported_cycles: BTreeSet<Vec<String>> = BTreeSet::new();
    for (i, (role, file)) in roles.iter().enumerate() {
        let locator = Locator::new(&file.path, &file.text);
        if i > 0 && roles[i - 1].0.id == role.id {
            problems.push(locator.at(
                "id",
                &role.id,
                0,
                format!(
                    "duplicate role id '{}' (also in {})",
                    role.id,
                    roles[i - 1].1.path
                ),
            ));
        }
        let Some(parent) = &role.extends else {
            continue;
        };
        if unparsed.contains(&parent.as_str()) {
            continue;
        }
        if !by_id.contains_key(parent.as_str()) {
            problems.push(locator.at(
                "extends",
                parent,
                0,
                format!(
                    "unknown role '{parent}' in extends{}",
                    did_you_mean(parent, ids.iter().copied())
                ),
            ));
            continue;
        }
        let mut path = vec![role.id.clone()];
        let mut current = parent.as_str();
        while let Some(next) = by_id.get(current) {
            if let Some(start) = path.iter().position(|id| id == current) {
                let mut cycle: Vec<String> = path[start..].to_vec();
                let mut members = cycle.clone();
                members.sort();
                if start == 0 && reported_cycles.insert(members) {
                    cycle.push(current.to_string());
                    problems.push(locator.at(
                        "extends",
                        parent,
                        0,
                        format!("extends cycle: {}", cycle.join(" -> ")),
                    ));
                }
                break;
            }
            path.push(current.to_string());
            match &next.extends {
                Some(p) => current = p,
                None => break,
            }
        }
    }
}

/// Why a role could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{role}'{suggestion}; run `onboard roles list` to see the roles")]
pub struct UnknownRole {
    /// The id asked for.
    pub role: String,
    /// A "did you mean" hint, possibly empty.
    pub suggestion: String,
}

impl Catalog {
    /// The tool with this id.
    pub fn tool(&self, id: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.id == id)
    }

    /// Every tool id, in catalogue order.
    pub fn tool_ids(&self) -> impl Iterator<Item = &str> {
        self.tools.iter().map(|t| t.id.as_str())
    }

    fn role_def(&self, id: &str) -> Option<&RoleDef> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The role with all its layers merged.
    pub fn role(&self, id: &str) -> Result<Role, UnknownRole> {
        let leaf = self.role_def(id).ok_or_else(|| UnknownRole {
            role: id.to_string(),
            suggestion: did_you_mean(id, self.roles.iter().map(|r| r.id.as_str())),
        })?;
        let mut chain = vec![leaf];
        while let Some(parent) = chain.last().and_then(|r| r.extends.as_deref()) {
            match self.role_def(parent) {
                Some(def) if !chain.iter().any(|r| r.id == def.id) => chain.push(def),
                _ => break,
            }
        }
        chain.reverse();
        let mut role = Role {
            id: leaf.id.clone(),
            name: leaf.name.clone(),
            description: leaf.description.clone(),
            layer: leaf.layer,
            layers: chain.iter().map(|r| r.id.clone()).collect(),
            tools: Vec::new(),
            bookmarks: Vec::new(),
            tasks: Vec::new(),
        };
        for layer in chain {
            for tool in &layer.tools {
                match role.tools.iter_mut().find(|t| t.tool == tool.tool) {
                    Some(inherited) => *inherited = tool.clone(),
                    None => role.tools.push(tool.clone()),
                }
            }
            for bookmark in &layer.bookmarks {
                if !role.bookmarks.iter().any(|b| b.link == bookmark.link) {
                    role.bookmarks.push(bookmark.clone());
                }
            }
            role.tasks.extend(layer.tasks.iter().cloned());
        }
        Ok(role)
    }

    /// Every role, merged, in id order.
    pub fn all_roles(&self) -> Vec<Role> {
        self.roles
            .iter()
            .filter_map(|r| self.role(&r.id).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests;
