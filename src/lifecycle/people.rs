//! Who `transfer` and `offboard` act for: one person from flags, or every
//! row of a roster (CSV with a header row, or a YAML list), each row's
//! fields checked before anything is written.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::hire::{
    parse_date, Email, Field, FieldError, FieldErrors, FullName, HireText, StartWindow, Username,
};

/// One person from flags, or a roster of them.
#[derive(Debug, Clone)]
pub(crate) enum People<T> {
    /// From flags.
    One(Box<T>),
    /// Every row of a roster file.
    Roster(PathBuf),
}

/// A mover as typed: their new role's fields, the effective day as the start.
#[derive(Debug, Clone, Default)]
pub(crate) struct MoverText {
    /// The person in their new role.
    pub person: HireText,
    /// The old role id, when given.
    pub from: Option<String>,
}

/// A row of a movers roster.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoverRow {
    email: String,
    to: String,
    effective: String,
    name: Option<String>,
    from: Option<String>,
    username: Option<String>,
    manager: Option<String>,
    with: Option<String>,
    without: Option<String>,
    country: Option<String>,
    access_until: Option<String>,
}

impl From<MoverRow> for MoverText {
    fn from(row: MoverRow) -> Self {
        Self {
            person: HireText {
                name: row.name,
                email: Some(row.email),
                username: row.username,
                role: Some(row.to),
                start: Some(row.effective),
                manager: row.manager,
                with: row.with.into_iter().collect(),
                without: row.without.into_iter().collect(),
                country: row.country,
                access_until: row.access_until,
                ..HireText::default()
            },
            from: row.from,
        }
    }
}

/// A leaver as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeaverText {
    /// Work email.
    pub email: String,
    /// The last day, `YYYY-MM-DD`.
    pub last_day: String,
    /// Full name.
    pub name: Option<String>,
    /// Role id.
    pub role: Option<String>,
    /// The manager's username.
    pub manager: Option<String>,
}

/// A leaver, every field checked for shape.
#[derive(Debug, Clone)]
pub(crate) struct Leaver {
    /// Work email.
    pub email: Email,
    /// The last day.
    pub last_day: NaiveDate,
    /// Full name, when given.
    pub name: Option<FullName>,
    /// Role id, when given.
    pub role: Option<String>,
    /// The manager, when given.
    pub manager: Option<Username>,
}

impl LeaverText {
    /// Checks every field, reporting every problem at once.
    pub(crate) fn check(self) -> Result<Leaver, FieldErrors> {
        let mut problems: Vec<FieldError> = Vec::new();
        let email: Option<Email> = keep(&mut problems, self.email.parse());
        let last_day = keep(&mut problems, parse_date(Field::LastDay, &self.last_day));
        let name: Option<Option<FullName>> = keep(
            &mut problems,
            self.name.as_deref().map(str::parse).transpose(),
        );
        let manager = keep(
            &mut problems,
            self.manager
                .as_deref()
                .map(|m| Username::parse(Field::Manager, m))
                .transpose(),
        );
        match (email, last_day, name, manager) {
            (Some(email), Some(last_day), Some(name), Some(manager)) => Ok(Leaver {
                email,
                last_day,
                name,
                role: self.role,
                manager,
            }),
            _ => Err(FieldErrors(problems)),
        }
    }
}

/// The value, or nothing with its problem noted.
fn keep<T>(problems: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| problems.push(e)).ok()
}

impl MoverText {
    /// Checks every field's shape now, with a stand-in for a name still to
    /// be read from the person's onboarding issue, so a roster's every
    /// problem is reported before anything is written.
    pub(crate) fn check_shape(&self, window: StartWindow) -> Result<Self, FieldErrors> {
        let effective = self.person.start.as_deref().unwrap_or_default();
        parse_date(Field::Effective, effective).map_err(|e| FieldErrors(vec![e]))?;
        let mut person = self.person.clone();
        person.name = person
            .name
            .or_else(|| Some("Name Still To Read".to_string()));
        person.check(&[Field::Email], Some(window))?;
        Ok(self.clone())
    }
}

/// Every mover of a roster, each with its line.
pub(crate) fn movers(path: &Path) -> Result<Vec<(usize, MoverText)>, Diagnostics> {
    Ok(rows::<MoverRow>(path)?
        .into_iter()
        .map(|(line, row)| (line, row.into()))
        .collect())
}

/// Every leaver of a roster, each with its line.
pub(crate) fn leavers(path: &Path) -> Result<Vec<(usize, LeaverText)>, Diagnostics> {
    rows(path)
}

/// `file:line: field: message` for each problem of the row at `line`.
pub(crate) fn located(path: &Path, line: usize, errors: &FieldErrors) -> Vec<Diagnostic> {
    let file = path.display().to_string();
    errors
        .0
        .iter()
        .map(|e| {
            Diagnostic::line(
                &file,
                line,
                format!("{}: {}", e.field.column(), e.message()),
            )
        })
        .collect()
}

/// The rows of a CSV file with a header row, or of a YAML list
/// (`.yaml`, `.yml`), each with its line (a YAML row's is its place in
/// the list, from 1).
fn rows<T: DeserializeOwned>(path: &Path) -> Result<Vec<(usize, T)>, Diagnostics> {
    let file = path.display().to_string();
    let one =
        |line: usize, message: String| Diagnostics(vec![Diagnostic::line(&file, line, message)]);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::file(
            &file,
            format!("cannot read it: {e}"),
        )])
    })?;
    let text = crate::roster::decode(&file, &bytes)?;
    let yaml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if yaml {
        let rows: Vec<T> = serde_yaml::from_str(text)
            .map_err(|e| one(e.location().map_or(1, |l| l.line()), e.to_string()))?;
        return Ok((1..).zip(rows).collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| one(1, format!("the header row: {e}")))?
        .clone();
    let mut rows = Vec::new();
    let mut problems = Diagnostics::default();
    for record in reader.records() {
        let line_of =
            |p: Option<&csv::Position>| p.map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        match record {
            Ok(record) if record.iter().all(str::is_empty) => {}
            Ok(record) => {
                let line = line_of(record.position());
                match record.deserialize::<T>(Some(&headers)) {
                    Ok(row) => rows.push((line, row)),
                    Err(e) => problems.extend(one(line, e.to_string())),
                }
            }
            Err(e) => problems.extend(one(line_of(e.position()), e.to_string())),
        }
    }
    problems.into_result(rows)
}
