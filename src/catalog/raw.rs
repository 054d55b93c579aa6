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
pub(super) struct ToolsFile {
    #[serde(default)]
    pub access_requests: Option<AccessRequests>,
    #[serde(default)]
    pub provisioners: Vec<Provisioner>,
    #[serde(default)]
    pub owners: Vec<OwnerTeam>,
    pub tools: Vec<Tool>,
}

/// One entry of `owners:`: a team that owns tasks.
#[derive(Deserialize)]
pub(super) struct OwnerTeam {
    pub id: String,
    pub name: String,
    pub handle: String,
}

/// `access_requests:` in `tools.yaml`.
#[derive(Deserialize)]
pub(super) struct AccessRequests {
    pub labels: Option<Vec<String>>,
    pub confidential: Option<bool>,
}

/// One entry of `provisioners:`.
#[derive(Deserialize)]
pub(super) struct Provisioner {
    pub id: String,
    pub name: String,
    pub label: Option<String>,
}

/// One entry of `tools:`.
#[derive(Deserialize)]
pub(super) struct Tool {
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub access: String,
    pub via: Option<String>,
    pub provisioner: String,
    pub deprovisioner: Option<String>,
    pub link: Option<String>,
    pub about: Option<String>,
    pub training: Option<String>,
    pub video: Option<String>,
    pub if_missing: Option<String>,
    pub classification: String,
    #[serde(default)]
    pub baseline: bool,
    pub check: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub assumed: Vec<String>,
}

/// `roles/<id>.yaml`.
#[derive(Deserialize)]
pub(super) struct Role {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub layer: bool,
    pub extends: Option<String>,
    pub link: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub tools: Vec<RoleTool>,
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    pub max_tasks_per_day: Option<usize>,
}

/// One entry of a role's `tools:`.
#[derive(Deserialize)]
pub(super) struct RoleTool {
    pub tool: String,
    pub level: String,
    pub justification: String,
    #[serde(default)]
    pub optional: bool,
    pub source: Option<String>,
}

/// One entry of a role's `bookmarks:`.
#[derive(Deserialize)]
pub(super) struct Bookmark {
    pub title: String,
    pub link: String,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// One entry of a role's `tasks:`.
#[derive(Deserialize)]
pub(super) struct Task {
    pub title: String,
    pub owner: String,
    pub due: String,
    pub link: Option<String>,
    pub section: Option<String>,
    pub tool: Option<String>,
    pub done_when: Option<String>,
    pub source: Option<String>,
    pub id: Option<String>,
    pub follows: Option<String>,
}

/// `holidays.yaml`, `--holidays FILE` and `holidays/<CODE>.yaml`.
#[derive(Deserialize)]
pub(super) struct HolidayFile {
    /// The country's English name (country files).
    #[serde(default)]
    pub country: Option<String>,
    /// Where the list comes from, e.g. `python-holidays 0.109`.
    #[serde(default)]
    #[allow(dead_code, reason = "documentation for the people who keep the file")]
    pub source: Option<String>,
    /// The first and last year the list covers.
    #[serde(default)]
    pub years: Option<(i32, i32)>,
    #[serde(default)]
    pub holidays: Vec<RawHoliday>,
}

/// A holiday: a bare date, or a date with a name.
pub(crate) enum RawHoliday {
    /// `- 2026-12-25`
    Date(NaiveDate),
    /// `- {date: 2026-12-25, name: Christmas Day}`
    Named(NamedHoliday),
}

/// `{date: 2026-12-25, name: Christmas Day}`.
#[derive(Deserialize)]
pub(crate) struct NamedHoliday {
    /// The day.
    pub date: NaiveDate,
    /// What it is called.
    #[serde(default)]
    pub name: Option<String>,
}

/// Written by hand rather than as an untagged enum, so a bad entry is
/// reported where it is, with what was expected.
impl<'de> Deserialize<'de> for RawHoliday {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = RawHoliday;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a date (YYYY-MM-DD), or a mapping with `date: YYYY-MM-DD` and an optional `name`",
                )
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawHoliday, E> {
                text.parse().map(RawHoliday::Date).map_err(|_| {
                    E::custom(format!(
                        "'{text}' is not a real date in the form YYYY-MM-DD"
                    ))
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawHoliday, A::Error> {
                NamedHoliday::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawHoliday::Named)
            }
        }
        deserializer.deserialize_any(Either)
    }
}

impl From<RawHoliday> for Holiday {
    fn from(raw: RawHoliday) -> Self {
        let (date, name) = match raw {
            RawHoliday::Date(date) => (date, None),
            RawHoliday::Named(NamedHoliday { date, name }) => (date, name),
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
        [] => fields_of::<HolidayFile>(),
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
pub(super) fn tools(file: &SourceFile) -> Result<ToolsFile, Diagnostics> {
    parse(file, tools_fields)
}

/// The tool ids a `tools.yaml` that does not parse still declares, read
/// loosely, so roles that use them are not reported as well.
pub(super) fn declared_tool_ids(file: &SourceFile) -> Vec<String> {
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        tools: Vec<serde_yaml::Value>,
    }
    serde_yaml::from_str::<Loose>(&file.text)
        .map(|loose| {
            loose
                .tools
                .iter()
                .filter_map(|tool| tool.get("id")?.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Parses a role file.
pub(super) fn role(file: &SourceFile) -> Result<Role, Diagnostics> {
    parse(file, role_fields)
}

/// Parses a holiday list.
pub(super) fn holidays(file: &SourceFile) -> Result<HolidayFile, Diagnostics> {
    parse(file, holiday_fields)
}
