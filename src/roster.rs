//! A roster of new hires, from CSV (with a header row, its columns separated
//! by commas, semicolons or tabs) or a YAML list of maps. Every row is checked
//! before anything is written, and every problem of every row is reported at
//! once as `roster.csv:LINE: field: message`, the header being line 1 (a YAML
//! roster adds the column of the field). When the cause can be guessed, the
//! message says it: a spreadsheet file or another encoding, the separator, a
//! missing header row.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{
    did_you_mean, fields_of, from_yaml, Diagnostic, Diagnostics, Located, Problem, YamlPath,
};
use crate::hire::{printable, Draft, Field, FieldError, HireText, StartWindow};

mod problems;
mod source;

pub(crate) use problems::{grouped, Rejected, RosterProblems};
pub(crate) use source::{ReadError, Source};

/// Columns every roster must have.
pub(crate) const REQUIRED_COLUMNS: &[&str] = &["name", "email", "role", "start_date"];
/// Columns a roster may add; a missing one is empty on every row.
pub(crate) const OPTIONAL_COLUMNS: &[&str] = &[
    "username",
    "manager",
    "buddy",
    "with",
    "without",
    "country",
    "access_until",
];

/// One hire of the roster, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where the row is.
    pub place: Place,
    /// The hire's fields, as far as each could be read, with their problems.
    pub hire: Draft,
}

/// Where a row of the roster is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    /// The line of the file (the CSV header is line 1).
    pub line: usize,
    /// Which row it is, counting from 0.
    index: usize,
}

/// The fields every roster row must fill. The manager is needed only by
/// access requests (they approve them), which the batch checks when filing.
const REQUIRED: &[Field] = &[Field::Name, Field::Email, Field::Role, Field::Start];

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
    #[serde(default, deserialize_with = "text_or_date")]
    access_until: Option<String>,
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

/// A roster read as far as it could be: every row, and the problems of the
/// file itself.
pub(crate) struct Roster<'t> {
    /// The file, as shown in messages.
    file: &'t str,
    /// The text, when it is YAML, where each field has its own place.
    yaml: Option<Located<'t>>,
    /// Problems with the file itself: nothing of it can be used.
    pub problems: Diagnostics,
    /// Rows that cannot be read at all, each at its line.
    pub unreadable: Diagnostics,
}

impl Roster<'_> {
    /// A problem with one field of a row, as `file:line: column: message`, or
    /// `file:line:column: column: message` in YAML.
    pub(crate) fn locate(&self, place: Place, error: &FieldError) -> Diagnostic {
        let message = format!("{}: {}", error.field.column(), error.message());
        match &self.yaml {
            Some(located) => located.place(Problem::at(
                YamlPath::root()
                    .index(place.index)
                    .key(error.field.column()),
                message,
            )),
            None => Diagnostic::line(self.file, place.line, message),
        }
    }
}

/// What to do with a file that is not UTF-8 text.
const EXPORT: &str = "export it as CSV UTF-8";

/// The roster's bytes as text, or why they are not text: a spreadsheet
/// file, UTF-16, another encoding or binary data, each with where and what
/// to do. A UTF-8 byte order mark is skipped.
pub(crate) fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostics> {
    let at_start = |message: String| Diagnostics::from(Diagnostic::line(file, 1, message));
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(at_start(format!(
            "this is a spreadsheet file (.xlsx or .ods), not CSV text: {EXPORT}"
        )));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(at_start(format!(
            "this is an Excel 97-2003 spreadsheet (.xls), not CSV text: {EXPORT}"
        )));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(at_start(format!(
            "this is UTF-16 text, not UTF-8: {EXPORT}"
        )));
    }
    let at = |offset: usize, message: String| {
        let before = &bytes[..offset];
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        Diagnostics::from(Diagnostic {
            file: file.to_string(),
            line: before.split(|b| *b == b'\n').count(),
            column: String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1,
            message,
        })
    };
    // A NUL byte is never in text, whatever the encoding: binary data.
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(at(
            offset,
            format!("binary data (a NUL byte), not text: is it a spreadsheet? {EXPORT}"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        at(
            offset,
            format!(
                "not UTF-8 text (byte 0x{:02X}): is it a spreadsheet, or saved in another encoding? {EXPORT}",
                bytes[offset]
            ),
        )
    })?;
    Ok(text)
}

/// Reads a roster's rows and checks each field's shape; `file` is its name
/// as shown, and `window` how far from today a start may be. Catalogue
/// checks (role, tools, business days) are left to [`Draft::resolve`] and
/// placed by [`Roster::locate`], so every problem of every row is listed
/// together. Each row goes to `each` as it is read, so nothing of the
/// rows is kept but the emails seen (a repeated one is a problem).
pub(crate) fn parse<'t>(
    file: &'t str,
    text: &'t str,
    window: Option<StartWindow>,
    mut each: impl FnMut(&Roster<'t>, Entry),
) -> Roster<'t> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_yaml = is_yaml(file, text);
    let mut roster = Roster {
        file,
        yaml: is_yaml.then(|| Located::new(file, text)),
        problems: Diagnostics::default(),
        unreadable: Diagnostics::default(),
    };
    let fail = |message: String| Diagnostics::from(Diagnostic::line(file, 1, message));
    if text.trim().is_empty() {
        let needs = if is_yaml {
            "a list of hires, each with name, email, role and start_date".to_string()
        } else {
            format!(
                "a header row ({}) and one line per hire",
                REQUIRED_COLUMNS.join(",")
            )
        };
        roster.problems = fail(format!("the roster is empty; it needs {needs}"));
        return roster;
    }
    let mut first_line_of_email: HashMap<String, usize> = HashMap::new();
    let mut index = 0;
    let mut row = |line: usize, row: Row| {
        let mut hire = draft(row, window);
        if let Some(email) = hire.email() {
            let normalized = email.as_str().to_lowercase();
            if let Some(first) = first_line_of_email.get(&normalized) {
                let message =
                    format!("'{email}' is also on line {first}; each hire needs their own email");
                hire.refuse(FieldError::shape(Field::Email, message));
            } else {
                first_line_of_email.insert(normalized, line);
            }
        }
        each(
            &roster,
            Entry {
                place: Place { line, index },
                hire,
            },
        );
        index += 1;
    };
    let mut unreadable = Diagnostics::default();
    let read = if is_yaml {
        yaml_rows(file, text, &mut row)
    } else {
        csv_rows(file, text, &mut row, &mut unreadable)
    };
    roster.unreadable = unreadable;
    match read {
        Ok(0) => {
            let message = if is_yaml {
                "the roster has no hires"
            } else {
                "the roster has a header row but no hires"
            };
            roster.problems = fail(message.to_string());
        }
        Ok(_) => {}
        Err(problems) => roster.problems = problems,
    }
    roster
}

/// Whether a roster is YAML: by its extension, else (stdin, a pipe, a file
/// named without one) by its first line that is not blank or a comment,
/// which starts a YAML list with `-`.
fn is_yaml(file: &str, text: &str) -> bool {
    let extension = Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("yaml" | "yml") => true,
        Some("csv" | "tsv" | "txt") => false,
        _ => text
            .lines()
            .map(str::trim_start)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .is_some_and(|l| l.starts_with('-')),
    }
}

/// The separator of a CSV roster, read from its header line: whichever of
/// `,`, `;` and tab occurs most outside quotes (a comma on a tie).
fn separator(header: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if let Some(entry) = counts.iter_mut().find(|(sep, _)| *sep == byte && !quoted) {
            entry.1 += 1;
        }
    }
    let mut best = counts[0];
    for candidate in counts {
        if candidate.1 > best.1 {
            best = candidate;
        }
    }
    best.0
}

/// Why a header with none of the roster's columns is wrong, when it can be
/// guessed: it is a hire's row, or its columns are separated by something else.
fn header_hint(cells: &[String]) -> Option<String> {
    let looks_like_a_hire = cells
        .iter()
        .any(|c| c.contains('@') || chrono::NaiveDate::parse_from_str(c, "%Y-%m-%d").is_ok());
    if looks_like_a_hire {
        return Some(format!(
            "this line looks like a hire, not a header row; the first line must name the columns: {} (optional: {})",
            REQUIRED_COLUMNS.join(","),
            OPTIONAL_COLUMNS.join(",")
        ));
    }
    if let [only] = cells {
        let other = ['|', ':', ' ']
            .into_iter()
            .find(|sep| only.contains(*sep))?;
        return Some(format!(
            "the header is one column, '{}': separate the columns with commas, semicolons or tabs, not '{other}'",
            printable(only)
        ));
    }
    None
}

/// Refuses a header with unknown or missing columns, naming each, or one
/// that is not a header at all.
fn check_header(file: &str, header_at: usize, header: &[String]) -> Result<(), Diagnostics> {
    let fail =
        |line: usize, message: String| Diagnostics::from(Diagnostic::line(file, line, message));
    let known: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .chain(OPTIONAL_COLUMNS)
        .copied()
        .collect();
    if !header.iter().any(|h| known.contains(&h.as_str())) {
        if let Some(hint) = header_hint(header) {
            return Err(fail(header_at, hint));
        }
    }
    let mut problems = Diagnostics::default();
    for column in header {
        if !known.contains(&column.as_str()) {
            problems.extend(fail(
                header_at,
                format!(
                    "{}: unknown column{}; the columns are {}",
                    printable(column),
                    did_you_mean(column, known.iter().copied()),
                    known.join(",")
                ),
            ));
        }
    }
    for column in REQUIRED_COLUMNS {
        if !header.iter().any(|h| h == column) {
            problems.extend(fail(
                header_at,
                format!(
                    "{column}: missing column; the header must have {}",
                    REQUIRED_COLUMNS.join(",")
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Hands each row to `each`; how many there were, or every problem.
/// Rows that cannot be read go to `unreadable` and count as rows.
fn csv_rows(
    file: &str,
    text: &str,
    each: &mut dyn FnMut(usize, Row),
    unreadable: &mut Diagnostics,
) -> Result<usize, Diagnostics> {
    let fail =
        |line: usize, message: String| Diagnostics::from(Diagnostic::line(file, line, message));
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let delimiter = separator(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| fail(1, format!("cannot read the header row: {e}")))?
        .clone();
    let mut lines = Lines::new(text);
    let header_at = header.position().map_or(1, |p| lines.line_of(p.byte()));
    let header: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
    check_header(file, header_at, &header)?;
    let mut rows = 0;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                let row = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
                rows += 1;
                unreadable.extend(fail(
                    line,
                    format!(
                        "this row cannot be read: {}",
                        csv_reason(&e, delimiter, row)
                    ),
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
        rows += 1;
        each(
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
                access_until: cell("access_until"),
            },
        );
    }
    Ok(rows)
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

/// Why a row cannot be read, with a guess at the separator when its field
/// count is off and it holds another one.
fn csv_reason(err: &csv::Error, delimiter: u8, row: &str) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            let fields = if *len == 1 { "field" } else { "fields" };
            let other = [',', ';', '\t']
                .into_iter()
                .find(|sep| *sep != char::from(delimiter) && row.contains(*sep));
            let hint = match other {
                Some('\t') => " (are its fields separated by tabs?)".to_string(),
                Some(sep) => format!(" (are its fields separated by '{sep}'?)"),
                None => String::new(),
            };
            format!("it has {len} {fields} but the header has {expected_len}{hint}")
        }
        _ => err.to_string(),
    }
}

fn yaml_rows(
    file: &str,
    text: &str,
    each: &mut dyn FnMut(usize, Row),
) -> Result<usize, Diagnostics> {
    let rows: Vec<Row> = from_yaml(file, text, |path| {
        if path.as_str().contains('.') || path.as_str().is_empty() {
            &[]
        } else {
            fields_of::<Row>()
        }
    })?;
    let located = Located::new(file, text);
    let count = rows.len();
    for (i, row) in rows.into_iter().enumerate() {
        each(located.line_of(&YamlPath::root().index(i)), row);
    }
    Ok(count)
}

fn draft(row: Row, window: Option<StartWindow>) -> Draft {
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
        access_until: row.access_until,
    }
    .draft(REQUIRED, window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hire::HireFields;

    const HEADER: &str = "name,email,username,role,start_date,manager,buddy\n";

    fn csv(text: &str) -> Result<Vec<HireFields>, Diagnostics> {
        checked("roster.csv", text)
    }

    /// Every shape problem, placed, or the rows' fields.
    fn checked(file: &str, text: &str) -> Result<Vec<HireFields>, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut fields = Vec::new();
        let roster = parse(file, text, None, |roster, entry| {
            match entry.hire.into_fields() {
                Ok(hire) => fields.push(hire),
                Err(errors) => {
                    for error in &errors.0 {
                        problems.push(roster.locate(entry.place, error));
                    }
                }
            }
        });
        let mut all = roster.problems.clone();
        all.extend(roster.unreadable.clone());
        all.extend(problems);
        all.into_result(fields)
    }

    #[test]
    fn reads_rows_with_their_lines() {
        let text = format!("{HEADER}Ada Lovelace,ada@example.com,,strategic-account-leader,2026-12-07,mgr.jones,\n\nGrace Hopper,grace@example.com,ghopper,sales-development-representative,2026-12-08,@mgr.jones,bud\n");
        let mut lines = Vec::new();
        parse("roster.csv", &text, None, |_, entry| {
            lines.push(entry.place.line);
        });
        assert_eq!(lines, [2, 4]);
        let hires = csv(&text).unwrap();
        assert_eq!(hires[1].manager.as_ref().unwrap().as_str(), "mgr.jones");
        assert!(hires[0].username.is_none());
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
        assert!(
            err.contains("roster.csv:1: start_date: missing column; the header must have name,email,role,start_date"),
            "{err}"
        );
        assert!(!err.contains("manager: missing"), "optional: {err}");
        let only_required =
            csv("email,name,role,start_date\nada@example.com,Ada,sal,2026-12-07\n").unwrap();
        assert!(only_required[0].manager.is_none() && only_required[0].buddy.is_none());
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
    fn the_separator_comes_from_the_header() {
        assert_eq!(separator("name,email;x"), b',');
        assert_eq!(separator("name;email;role"), b';');
        assert_eq!(separator("name\temail\trole"), b'\t');
        assert_eq!(
            separator("\"a;b;c\",d"),
            b',',
            "quoted separators do not count"
        );
        let text = "\u{feff}name;email;username;role;start_date;manager;buddy;with\nAda;ada@example.com;;sal;2026-12-07;m;;datafox,conversica\n";
        let hires = csv(text).unwrap();
        assert_eq!(hires[0].with, ["datafox", "conversica"]);
        let tabs = HEADER.replace(',', "\t") + "Ada\tada@example.com\t\tsal\t2026-12-07\tm\t\n";
        assert_eq!(csv(&tabs).unwrap()[0].name.as_str(), "Ada");
        let err = csv(&format!("{HEADER}Ada;ada@example.com;;sal;2026-12-07;m;\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "roster.csv:2: this row cannot be read: it has 1 field but the header has 7 (are its fields separated by ';'?)"
        );
    }

    #[test]
    fn a_wrong_header_says_why() {
        let err = csv("Ada,ada@example.com,,sal,2026-12-07,m,\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("roster.csv:1: this line looks like a hire, not a header row; the first line must name the columns: name,email,"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        let err = csv("name|email|role\n").unwrap_err().to_string();
        assert_eq!(err, "roster.csv:1: the header is one column, 'name|email|role': separate the columns with commas, semicolons or tabs, not '|'");
        for empty in ["", "\n \n", "\u{feff}"] {
            let err = csv(empty).unwrap_err().to_string();
            assert!(
                err.starts_with("roster.csv:1: the roster is empty; it needs a header row"),
                "{err}"
            );
        }
        assert_eq!(
            csv(HEADER).unwrap_err().to_string(),
            "roster.csv:1: the roster has a header row but no hires"
        );
    }

    #[test]
    fn files_that_are_not_text_are_named_for_what_they_are() {
        let err = |bytes: &[u8]| decode("r.csv", bytes).unwrap_err().to_string();
        assert_eq!(decode("r.csv", b"\xEF\xBB\xBFname").unwrap(), "name");
        assert!(err(b"PK\x03\x04rest").starts_with("r.csv:1: this is a spreadsheet file"));
        assert!(err(b"\xFF\xFEn\0a\0").starts_with("r.csv:1: this is UTF-16 text"));
        assert_eq!(
            err(b"name\nZo\xEB\n"),
            "r.csv:2:3: not UTF-8 text (byte 0xEB): is it a spreadsheet, or saved in another encoding? export it as CSV UTF-8"
        );
        assert_eq!(
            err(b"ab\0c"),
            "r.csv:1:3: binary data (a NUL byte), not text: is it a spreadsheet? export it as CSV UTF-8"
        );
    }

    #[test]
    fn yaml_rosters_use_the_same_fields_each_at_its_place() {
        let text = "- name: Ada Lovelace\n  email: ada@example.com\n  role: strategic-account-leader\n  start_date: 2026-12-07\n  manager: mgr.jones\n  with: [clari, datafox]\n- name: Grace\n  email: grace@example\n  role: sales\n  start_date: 2026-12-07\n  manager: m\n";
        let err = checked("class.yaml", text).unwrap_err().to_string();
        assert_eq!(err, "class.yaml:8:10: email: 'grace@example' is not an email address: the domain must be dotted words such as example.com");
        let ok = checked(
            "class.yml",
            &text.replace("grace@example", "grace@example.com"),
        )
        .unwrap();
        assert_eq!(ok[0].with, ["clari", "datafox"]);
        let err = checked("class.yaml", "- name: A\n  emial: a@b.co\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `emial`"), "{err}");
        let err = checked("class.yaml", "\n").unwrap_err().to_string();
        assert!(
            err.starts_with("class.yaml:1: the roster is empty"),
            "{err}"
        );
    }
}
