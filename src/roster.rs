//! A roster of new hires, from CSV (with a header row) or a YAML list of maps.
//! Every row is checked before anything is written; each problem is reported as
//! `roster.csv:LINE: field: message`, the header being line 1.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{
    did_you_mean, fields_of, from_yaml, Diagnostic, Diagnostics, Located, YamlPath,
};
use crate::hire::{Field, FieldError, HireFields, HireText};

/// Columns every roster must have.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "name",
    "email",
    "username",
    "role",
    "start_date",
    "manager",
    "buddy",
];
/// Columns a roster may add.
pub const OPTIONAL_COLUMNS: &[&str] = &["with", "without", "country"];

/// One hire of the roster, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line of the file (the CSV header is line 1).
    pub line: usize,
    /// The hire, every field of the right shape.
    pub hire: HireFields,
}

/// The fields every roster row must fill.
const REQUIRED: &[Field] = &[
    Field::Name,
    Field::Email,
    Field::Role,
    Field::Start,
    Field::Manager,
];

/// One row as written, every field still text.
#[derive(Debug, Default, Deserialize)]
struct Row {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default, deserialize_with = "text_or_date")]
    start_date: Option<String>,
    #[serde(default)]
    manager: Option<String>,
    #[serde(default)]
    buddy: Option<String>,
    #[serde(default, deserialize_with = "list_or_text")]
    with: Option<String>,
    #[serde(default, deserialize_with = "list_or_text")]
    without: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

/// YAML reads `2026-12-07` as a string anyway; numbers are accepted as text too.
fn text_or_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Number(i64),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::Text(t) => t,
        Scalar::Number(n) => n.to_string(),
    }))
}

/// In YAML, `with:` may be a list or a `;`-separated string.
fn list_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    Ok(Option::<ListOrText>::deserialize(d)?.map(|v| match v {
        ListOrText::List(items) => items.join(";"),
        ListOrText::Text(text) => text,
    }))
}

/// A roster read as far as it could be: the good rows and every problem found.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Rows whose every field has the right shape.
    pub entries: Vec<Entry>,
    /// Problems with the other rows, or with the file itself.
    pub problems: Diagnostics,
}

/// Reads and checks a roster's shape. Catalogue checks (role, tools, business
/// days) are left to planning, which reports through [`located`], so that
/// every problem of the roster can be listed together.
pub fn parse(path: &Path, text: &str) -> Parsed {
    match parse_rows(path, text) {
        Ok(parsed) => parsed,
        Err(problems) => Parsed {
            entries: Vec::new(),
            problems,
        },
    }
}

fn parse_rows(path: &Path, text: &str) -> Result<Parsed, Diagnostics> {
    let shown = path.display().to_string();
    let is_yaml = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    );
    let rows = if is_yaml {
        yaml_rows(&shown, text)?
    } else {
        csv_rows(&shown, text)?
    };
    if rows.is_empty() {
        return Err(Diagnostics(vec![Diagnostic {
            file: shown,
            line: 1,
            column: 1,
            message: "the roster has no hires".to_string(),
        }]));
    }
    let mut problems = Diagnostics::default();
    let mut entries = Vec::new();
    let mut first_line_of_email: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        match check_row(row) {
            Ok(hire) => {
                if let Some(email) = &hire.email {
                    let normalized = email.as_str().to_lowercase();
                    if let Some(first) = first_line_of_email.get(&normalized) {
                        problems.push(located(&shown, line, &FieldError::shape(
                            Field::Email,
                            format!("'{email}' is also on line {first}; each hire needs their own email"),
                        )));
                        continue;
                    }
                    first_line_of_email.insert(normalized, line);
                }
                entries.push(Entry { line, hire });
            }
            Err(errors) => {
                for error in errors {
                    problems.push(located(&shown, line, &error));
                }
            }
        }
    }
    Ok(Parsed { entries, problems })
}

/// A roster problem as `file:line: column: message`.
pub fn located(file: &str, line: usize, error: &FieldError) -> Diagnostic {
    Diagnostic::line(
        file,
        line,
        format!("{}: {}", error.field.column(), error.message()),
    )
}

fn csv_rows(file: &str, text: &str) -> Result<Vec<(usize, Row)>, Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail = |line: usize, message: String| {
        Diagnostics(vec![Diagnostic {
            file: file.to_string(),
            line,
            column: 0,
            message,
        }])
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| fail(1, format!("cannot read the header row: {e}")))?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    let mut problems = Diagnostics::default();
    let known: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .chain(OPTIONAL_COLUMNS)
        .copied()
        .collect();
    for column in &header {
        if !known.contains(&column.as_str()) {
            problems.extend(fail(
                1,
                format!(
                    "{column}: unknown column{}; the columns are {}",
                    did_you_mean(column, known.iter().copied()),
                    known.join(",")
                ),
            ));
        }
    }
    for column in REQUIRED_COLUMNS {
        if !header.iter().any(|h| h == column) {
            problems.extend(fail(
                1,
                format!(
                    "{column}: missing column; the header must have {}",
                    REQUIRED_COLUMNS.join(",")
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                problems.extend(fail(
                    line,
                    format!("this row cannot be read: {}", csv_reason(&e)),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(str::to_string)
        };
        rows.push((
            line,
            Row {
                name: cell("name"),
                email: cell("email"),
                username: cell("username"),
                role: cell("role"),
                start_date: cell("start_date"),
                manager: cell("manager"),
                buddy: cell("buddy"),
                with: cell("with"),
                without: cell("without"),
                country: cell("country"),
            },
        ));
    }
    problems.into_result(rows)
}

/// Turns the csv crate's record offsets into one-based line numbers. The crate
/// counts a record from the end of the previous one, blank lines included, so
/// the line is that of the first byte that is not a line break. Offsets only
/// grow, so counting resumes where the last call stopped.
struct Lines<'t> {
    bytes: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while start < self.bytes.len() && (self.bytes[start] == b'\n' || self.bytes[start] == b'\r')
        {
            start += 1;
        }
        if start < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.offset..start]
            .split(|b| *b == b'\n')
            .count()
            - 1;
        self.offset = start;
        self.line
    }
}

fn csv_reason(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("it has {len} fields but the header has {expected_len}")
        }
        _ => err.to_string(),
    }
}

fn yaml_rows(file: &str, text: &str) -> Result<Vec<(usize, Row)>, Diagnostics> {
    let rows: Vec<Row> = from_yaml(file, text, |path| {
        if path.as_str().contains('.') || path.as_str().is_empty() {
            &[]
        } else {
            fields_of::<Row>()
        }
    })?;
    let located = Located::new(file, text);
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| (located.line_of(&YamlPath::root().index(i)), row))
        .collect())
}

fn check_row(row: Row) -> Result<HireFields, Vec<FieldError>> {
    HireText {
        name: row.name,
        email: row.email,
        username: row.username,
        role: row.role,
        start: row.start_date,
        manager: row.manager,
        buddy: row.buddy,
        with: row.with.into_iter().collect(),
        without: row.without.into_iter().collect(),
        country: row.country,
    }
    .check(REQUIRED)
    .map_err(|errors| errors.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name,email,username,role,start_date,manager,buddy\n";

    fn csv(text: &str) -> Result<Vec<Entry>, Diagnostics> {
        checked(Path::new("roster.csv"), text)
    }

    fn checked(path: &Path, text: &str) -> Result<Vec<Entry>, Diagnostics> {
        let parsed = parse(path, text);
        parsed.problems.into_result(parsed.entries)
    }

    #[test]
    fn reads_rows_with_their_lines() {
        let text = format!("{HEADER}Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n\nGrace Hopper,grace@example.com,ghopper,sales-development-representative,2026-12-08,@mgr.jones,bud\n");
        let entries = csv(&text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line, 2);
        assert_eq!(entries[1].line, 4);
        assert_eq!(
            entries[1].hire.manager.as_ref().unwrap().as_str(),
            "mgr.jones"
        );
        assert!(entries[0].hire.username.is_none());
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_field() {
        let text = format!("{HEADER}Ada,ada@example,,sal,2026-02-30,mgr,\n,grace@example.com,,sal,2026-12-07,,\nBob,ada@example.com,,sal,2026-12-07,m,\nCy,ada@example.com,,sal,2026-12-07,m,\n");
        let err = csv(&text).unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "roster.csv:2: email: 'ada@example' is not an email address: the domain must be dotted words such as example.com",
                "roster.csv:2: start_date: '2026-02-30' is not a real date in the form YYYY-MM-DD",
                "roster.csv:3: name: is empty",
                "roster.csv:3: manager: is empty",
                "roster.csv:5: email: 'ada@example.com' is also on line 4; each hire needs their own email",
            ]
        );
    }

    #[test]
    fn columns_are_checked_against_the_header() {
        let err = csv("name,email,role,strat_date,manager\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("roster.csv:1: strat_date: unknown column (did you mean 'start_date'?)"),
            "{err}"
        );
        assert!(err.contains("username: missing column"), "{err}");
        let err = csv(&format!("{HEADER}Ada,ada@example.com,,r,2026-12-07\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "roster.csv:2: this row cannot be read: it has 5 fields but the header has 7"
            ),
            "{err}"
        );
    }

    #[test]
    fn yaml_rosters_use_the_same_fields() {
        let text = "- name: Ada Lovelace\n  email: ada@example.com\n  role: strategic-account-leader\n  start_date: 2026-12-07\n  manager: mgr.jones\n  with: [clari, datafox]\n- name: Grace\n  email: grace@example\n  role: sales\n  start_date: 2026-12-07\n  manager: m\n";
        let err = checked(Path::new("class.yaml"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "class.yaml:7: email: 'grace@example' is not an email address: the domain must be dotted words such as example.com");
        let ok = checked(
            Path::new("class.yml"),
            &text.replace("grace@example", "grace@example.com"),
        )
        .unwrap();
        assert_eq!(ok[0].hire.with, ["clari", "datafox"]);
        let err = checked(Path::new("class.yaml"), "- name: A\n  emial: a@b.co\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `emial`"), "{err}");
    }
}
