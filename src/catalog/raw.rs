//! Catalogue files as written: every field still text, read by serde.
//!
//! Unknown fields are collected (all of them, each at its key) rather than
//! refused by serde, which would stop at the first one.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::calendar::Holiday;
use crate::diagnostic::{fields_of, from_embedded_json, from_yaml, Diagnostics, YamlPath};
use crate::source::SourceFile;

/// `tools.yaml`.
#[derive(Deserialize)]
pub struct ToolsFile {
    #[serde(default)]
    pub access_requests: Option<AccessRequests>,
    #[serde(default)]
    pub provisioners: Vec<Provisioner>,
    pub tools: Vec<Tool>,
}

/// `access_requests:` in `tools.yaml`.
#[derive(Deserialize)]
pub struct AccessRequests {
    pub labels: Option<Vec<String>>,
    pub confidential: Option<bool>,
}

/// One entry of `provisioners:`.
#[derive(Deserialize)]
pub struct Provisioner {
    pub id: String,
    pub name: String,
    pub label: Option<String>,
}

/// One entry of `tools:`.
#[derive(Deserialize)]
pub struct Tool {
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub access: String,
    pub via: Option<String>,
    pub provisioner: String,
    pub link: String,
    pub training: Option<String>,
    pub classification: String,
    #[serde(default)]
    pub baseline: bool,
    pub check: Option<String>,
}

/// `roles/<id>.yaml`.
#[derive(Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub layer: bool,
    pub extends: Option<String>,
    #[serde(default)]
    pub tools: Vec<RoleTool>,
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
    #[serde(default)]
    pub tasks: Vec<Task>,
}

/// One entry of a role's `tools:`.
#[derive(Deserialize)]
pub struct RoleTool {
    pub tool: String,
    pub level: String,
    pub justification: String,
    #[serde(default)]
    pub optional: bool,
}

/// One entry of a role's `bookmarks:`.
#[derive(Deserialize)]
pub struct Bookmark {
    pub title: String,
    pub link: String,
    pub note: Option<String>,
}

/// One entry of a role's `tasks:`.
#[derive(Deserialize)]
pub struct Task {
    pub title: String,
    pub owner: String,
    pub due: String,
    pub link: Option<String>,
    pub section: Option<String>,
}

/// `holidays.yaml` and `--holidays FILE`.
#[derive(Deserialize)]
pub struct Holidays {
    #[serde(default)]
    pub holidays: Vec<RawHoliday>,
}

/// A holiday: a bare date, or a date with a name.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RawHoliday {
    /// `- 2026-12-25`
    Date(NaiveDate),
    /// `- {date: 2026-12-25, name: Christmas Day}`
    Named {
        /// The day.
        date: NaiveDate,
        /// What it is called.
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

/// The fields allowed in `tools.yaml` at a path, for suggestions.
fn tools_fields(path: &YamlPath) -> &'static [&'static str] {
    match shape(path).as_slice() {
        [] => fields_of::<ToolsFile>(),
        ["access_requests"] => fields_of::<AccessRequests>(),
        ["provisioners", "#"] => fields_of::<Provisioner>(),
        ["tools", "#"] => fields_of::<Tool>(),
        _ => &[],
    }
}

/// The fields allowed in a role file at a path, for suggestions.
fn role_fields(path: &YamlPath) -> &'static [&'static str] {
    match shape(path).as_slice() {
        [] => fields_of::<Role>(),
        ["tools", "#"] => fields_of::<RoleTool>(),
        ["bookmarks", "#"] => fields_of::<Bookmark>(),
        ["tasks", "#"] => fields_of::<Task>(),
        _ => &[],
    }
}

fn holiday_fields(path: &YamlPath) -> &'static [&'static str] {
    match shape(path).as_slice() {
        [] => fields_of::<Holidays>(),
        ["holidays", "#"] => &["date", "name"],
        _ => &[],
    }
}

/// A path with every sequence index replaced by `#`.
fn shape(path: &YamlPath) -> Vec<&str> {
    path.as_str()
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| if s.parse::<usize>().is_ok() { "#" } else { s })
        .collect()
}

/// Reads a catalogue file: from its embedded JSON when there is one (fast),
/// else, or if anything there needs a message, from the YAML.
fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    fields_at: fn(&YamlPath) -> &'static [&'static str],
) -> Result<T, Diagnostics> {
    if let Some(value) = file.json.and_then(from_embedded_json) {
        return Ok(value);
    }
    from_yaml(&file.path, &file.text, fields_at)
}

/// Parses `tools.yaml`.
pub fn tools(file: &SourceFile) -> Result<ToolsFile, Diagnostics> {
    parse(file, tools_fields)
}

/// Parses a role file.
pub fn role(file: &SourceFile) -> Result<Role, Diagnostics> {
    parse(file, role_fields)
}

/// Parses a holiday list.
pub fn holidays(file: &SourceFile) -> Result<Vec<Holiday>, Diagnostics> {
    let raw: Holidays = parse(file, holiday_fields)?;
    Ok(raw.holidays.into_iter().map(Holiday::from).collect())
}
