//! The fields of a hire, each checked for shape where it comes in: names,
//! emails, usernames and dates, and the errors that name the field.

use std::fmt;
use std::str::FromStr;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::inert::is_invisible_format;

/// A field of a hire, named as on the command line or as a roster column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    /// Full name.
    Name,
    /// Work email.
    Email,
    /// The hire's GitLab username.
    Username,
    /// Catalogue role id.
    Role,
    /// Day 1.
    Start,
    /// The manager's username.
    Manager,
    /// The buddy's username.
    Buddy,
    /// Optional tools to add.
    With,
    /// Tools to leave out.
    Without,
    /// Whose public holidays the dates skip.
    Country,
    /// The day `status` judges by.
    AsOf,
    /// The day a role change takes effect.
    Effective,
    /// A leaver's last day.
    LastDay,
    /// The day a contractor's access ends.
    AccessUntil,
}

impl Field {
    /// The flag's name, without dashes: `start`.
    pub(crate) fn flag(self) -> &'static str {
        match self {
            Field::Start => "start",
            Field::AsOf => "as-of",
            Field::LastDay => "last-day",
            Field::AccessUntil => "access-until",
            other => other.column(),
        }
    }

    /// The roster column's name: `start_date`.
    pub(crate) fn column(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Username => "username",
            Field::Role => "role",
            Field::Start => "start_date",
            Field::Manager => "manager",
            Field::Buddy => "buddy",
            Field::With => "with",
            Field::Without => "without",
            Field::Country => "country",
            Field::AsOf => "as_of",
            Field::Effective => "effective",
            Field::LastDay => "last_day",
            Field::AccessUntil => "access_until",
        }
    }
}

/// What is wrong with a field, and whether the catalogue is what refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The value has the wrong shape (a bad email, an impossible date).
    Shape(String),
    /// The value names something the catalogue does not have or allow.
    Catalog(String),
}

/// A field of a hire that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}", field.flag(), self.message())]
pub(crate) struct FieldError {
    /// Which field.
    pub field: Field,
    /// Why.
    pub reason: Reason,
}

impl FieldError {
    /// A value of the wrong shape.
    pub(crate) fn shape(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            reason: Reason::Shape(message.into()),
        }
    }

    /// A value the catalogue refuses.
    pub(crate) fn catalog(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            reason: Reason::Catalog(message.into()),
        }
    }

    /// The message without the field name.
    pub(crate) fn message(&self) -> &str {
        match &self.reason {
            Reason::Shape(m) | Reason::Catalog(m) => m,
        }
    }
}

/// Every problem with one hire; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct FieldErrors(pub Vec<FieldError>);

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl FieldErrors {
    /// True when the catalogue refused a value (exit 3) rather than a shape (exit 2).
    pub(crate) fn names_the_catalogue(&self) -> bool {
        self.0
            .iter()
            .any(|e| matches!(e.reason, Reason::Catalog(_)))
    }
}

pub(crate) use crate::calendar::CountryChoice;
pub(crate) use crate::inert::printable;

impl FromStr for CountryChoice {
    type Err = FieldError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("none") {
            Ok(Self::NoCountry)
        } else if let Some(code) = crate::calendar::region_code(text) {
            Ok(Self::Code(code))
        } else {
            Err(FieldError::shape(
                Field::Country,
                format!(
                    "'{}' is not a two-letter country code such as US, GB or DE or a region's code such as GB-ENG (or 'none' for no public holidays)",
                    printable(text)
                ),
            ))
        }
    }
}

/// A work email address: one `@`, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub(crate) struct Email(String);

impl FromStr for Email {
    type Err = FieldError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let fail = |why: &str| {
            FieldError::shape(
                Field::Email,
                format!("'{}' is not an email address: {why}", printable(text)),
            )
        };
        if text.len() > 254 {
            return Err(fail("longer than 254 characters"));
        }
        let (local, domain) = text.split_once('@').ok_or_else(|| fail("it has no '@'"))?;
        if local.is_empty() || domain.is_empty() {
            return Err(fail("it needs a name before and a domain after the '@'"));
        }
        if domain.contains('@') {
            return Err(fail("it has more than one '@'"));
        }
        let allowed_local =
            |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_{|}~.".contains(c);
        if !local.chars().all(allowed_local)
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(fail(
                "the part before '@' has characters an address cannot have",
            ));
        }
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if !domain.contains('.') || !labels_ok {
            return Err(fail("the domain must be dotted words such as example.com"));
        }
        Ok(Self(text.to_string()))
    }
}

impl Email {
    /// The address as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A GitLab username, without the leading `@`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub(crate) struct Username(String);

impl Username {
    /// Parses a username for a field (the hire's, the manager's, the buddy's).
    pub(crate) fn parse(field: Field, text: &str) -> Result<Self, FieldError> {
        let name = text.trim().trim_start_matches('@');
        let fail = |why: &str| {
            FieldError::shape(
                field,
                format!(
                    "'{}' is not a GitLab username: {why}",
                    printable(text.trim())
                ),
            )
        };
        if name.is_empty() {
            return Err(fail("it is empty"));
        }
        if name.len() > 255 {
            return Err(fail("longer than 255 characters"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(fail("only letters, digits, '_', '.' and '-' are allowed"));
        }
        if !name.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            return Err(fail("it must start with a letter, digit or '_'"));
        }
        if name.ends_with('.')
            || name.ends_with('-')
            || name.ends_with(".git")
            || name.ends_with(".atom")
        {
            return Err(fail("it cannot end with '.', '-', '.git' or '.atom'"));
        }
        if name.eq_ignore_ascii_case("all") {
            return Err(fail("'all' is reserved by GitLab for mentioning everyone"));
        }
        Ok(Self(name.to_string()))
    }

    /// The username without `@`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A full name: any text, kept on one line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub(crate) struct FullName(String);

impl FromStr for FullName {
    type Err = FieldError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        refuse_control(Field::Name, text)?;
        let one_line = single_line(text);
        if one_line.is_empty() {
            return Err(FieldError::shape(Field::Name, "the name is empty"));
        }
        if one_line.chars().count() > 200 {
            return Err(FieldError::shape(
                Field::Name,
                "the name is longer than 200 characters",
            ));
        }
        Ok(Self(one_line))
    }
}

impl FullName {
    /// The name as one line.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// A file-name-safe form, such as `ada-lovelace`; any script is
    /// transliterated (`李雷` becomes `li-lei`).
    pub(crate) fn slug(&self) -> String {
        let mut slug = String::new();
        for c in deunicode::deunicode(&self.0).chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        if slug.is_empty() {
            "new-hire".to_string()
        } else {
            slug.chars()
                .take(80)
                .collect::<String>()
                .trim_end_matches('-')
                .to_string()
        }
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Collapses line breaks, tabs and control characters into single spaces.
pub(crate) fn single_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control() || is_invisible_format(c))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Refuses text with a control character other than a line break or a tab
/// (which are folded into spaces): an escape sequence in a name would
/// repaint a terminal or hide in a document, and nobody types one on purpose.
pub(crate) fn refuse_control(field: Field, text: &str) -> Result<(), FieldError> {
    let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    else {
        return Ok(());
    };
    let what = match c {
        '\u{1b}' => " (ESC, which starts terminal escape sequences)",
        '\u{7f}' => " (DEL)",
        '\0' => " (NUL)",
        _ => "",
    };
    Err(FieldError::shape(
        field,
        format!(
            "contains the control character U+{:04X}{what}; control characters are not allowed",
            u32::from(c)
        ),
    ))
}

/// How far from today a start date may be: a start in the past, or more
/// than a year away, is allowed with a warning; one before 2000 or more than
/// three years away is most likely a typo in the year, and refused unless
/// the person says it is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StartWindow {
    /// The day the distances are measured from.
    pub today: NaiveDate,
    /// `--allow-far-start`: a far start is only warned about.
    pub allow_far: bool,
}

/// Months ahead beyond which a start is warned about.
const WARN_MONTHS: u32 = 12;
/// Months ahead beyond which a start is refused without `--allow-far-start`.
const REFUSE_MONTHS: u32 = 36;
/// The first year a start is believed in.
const FIRST_YEAR: i32 = 2000;

impl StartWindow {
    /// `Ok(None)` for a start in the window, `Ok(Some(note))` for one that is
    /// allowed with a warning, and `Err` for a refused one.
    pub(crate) fn check(
        self,
        field: Field,
        start: NaiveDate,
    ) -> Result<Option<FieldError>, FieldError> {
        let today = self.today;
        let after = |months| today.checked_add_months(Months::new(months));
        let far = if chrono::Datelike::year(&start) < FIRST_YEAR {
            Some(format!("{start} is before {FIRST_YEAR}"))
        } else if after(REFUSE_MONTHS).is_some_and(|limit| start > limit) {
            Some(format!(
                "{start} is more than {REFUSE_MONTHS} months after today ({today})"
            ))
        } else {
            None
        };
        match far {
            Some(why) if !self.allow_far => Err(FieldError::shape(
                field,
                format!("{why}; check the year, or pass --allow-far-start if it is right"),
            )),
            Some(why) => Ok(Some(FieldError::shape(field, why))),
            None if start < today => Ok(Some(FieldError::shape(
                field,
                format!("{start} is in the past (today is {today})"),
            ))),
            None if after(WARN_MONTHS).is_some_and(|limit| start > limit) => {
                Ok(Some(FieldError::shape(
                    field,
                    format!("{start} is more than {WARN_MONTHS} months after today ({today})"),
                )))
            }
            None => Ok(None),
        }
    }
}

/// Parses a `YYYY-MM-DD` date for a field.
pub(crate) fn parse_date(field: Field, text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::shape(
            field,
            format!(
                "'{}' is not a real date in the form YYYY-MM-DD",
                printable(text.trim())
            ),
        )
    })
}

/// Tool ids from repeated or comma/semicolon-separated values, without repeats.
pub(crate) fn tool_list<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for id in values.iter().flat_map(|v| v.as_ref().split([',', ';'])) {
        let id = id.trim();
        if !id.is_empty() && !tools.iter().any(|t| t == id) {
            tools.push(id.to_string());
        }
    }
    tools
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert!("ada@example.com".parse::<Email>().is_ok());
        assert!("ada.lovelace+sales@mail.example.co.uk"
            .parse::<Email>()
            .is_ok());
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@exa_mple.com",
            "a\n/close@example.com",
        ] {
            let err = bad.parse::<Email>().unwrap_err();
            assert_eq!(err.field, Field::Email, "{bad:?}");
        }
    }

    #[test]
    fn usernames_are_checked_and_lose_their_at() {
        assert_eq!(
            Username::parse(Field::Manager, "@mgr.jones")
                .unwrap()
                .as_str(),
            "mgr.jones"
        );
        for bad in [
            "",
            "@",
            "all",
            "@all",
            "bad name",
            "x.git",
            "-lead",
            "a/b",
            "root\n/close",
        ] {
            let err = Username::parse(Field::Manager, bad).unwrap_err();
            assert_eq!(err.field, Field::Manager, "{bad:?}");
        }
    }

    #[test]
    fn names_stay_on_one_line() {
        let name: FullName = "Ada\n/assign @root\r\n Lovelace\u{202E}".parse().unwrap();
        assert_eq!(name.as_str(), "Ada /assign @root Lovelace");
        assert!("  \n ".parse::<FullName>().is_err());
    }

    #[test]
    fn slugs_are_file_safe_in_any_script() {
        let slug = |name: &str| name.parse::<FullName>().unwrap().slug();
        assert_eq!(slug("Zoë O'Brien-Smith"), "zoe-o-brien-smith");
        assert_eq!(slug("李雷"), "li-lei");
        assert_eq!(slug("Ярослав Ковальчук"), "iaroslav-koval-chuk");
        assert_eq!(slug("*** ***"), "new-hire");
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_fold() {
        let err = "Ada \u{1b}[31mLovelace".parse::<FullName>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "name: contains the control character U+001B (ESC, which starts terminal escape sequences); control characters are not allowed"
        );
        for bad in ["a\u{7f}b", "a\u{85}b", "a\u{9b}b", "a\u{7}b"] {
            assert!(bad.parse::<FullName>().is_err(), "{bad:?}");
        }
        assert!("Ada\tLovelace\r\n".parse::<FullName>().is_ok());
    }

    #[test]
    fn far_starts_are_refused_and_odd_ones_noted() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let window = StartWindow {
            today,
            allow_far: false,
        };
        let check = |w: StartWindow, d: &str| w.check(Field::Start, d.parse().unwrap());
        assert_eq!(check(window, "2026-12-07"), Ok(None));
        assert_eq!(check(window, "2027-12-02"), Ok(None));
        assert_eq!(
            check(window, "2026-11-30").unwrap().unwrap().to_string(),
            "start: 2026-11-30 is in the past (today is 2026-12-02)"
        );
        assert_eq!(
            check(window, "2027-12-03").unwrap().unwrap().to_string(),
            "start: 2027-12-03 is more than 12 months after today (2026-12-02)"
        );
        assert_eq!(
            check(window, "2029-12-02").unwrap().map(|n| n.field),
            Some(Field::Start)
        );
        assert_eq!(
            check(window, "2029-12-03").unwrap_err().to_string(),
            "start: 2029-12-03 is more than 36 months after today (2026-12-02); check the year, or pass --allow-far-start if it is right"
        );
        assert_eq!(
            check(window, "1900-01-01").unwrap_err().to_string(),
            "start: 1900-01-01 is before 2000; check the year, or pass --allow-far-start if it is right"
        );
        let allowed = StartWindow {
            allow_far: true,
            ..window
        };
        assert_eq!(
            check(allowed, "9999-12-31").unwrap().unwrap().to_string(),
            "start: 9999-12-31 is more than 36 months after today (2026-12-02)"
        );
    }

    #[test]
    fn dates_must_be_real() {
        assert!(parse_date(Field::Start, "2026-12-07").is_ok());
        let err = parse_date(Field::Start, "2026-02-30").unwrap_err();
        assert_eq!(err.field, Field::Start);
        assert_eq!(
            err.to_string(),
            "start: '2026-02-30' is not a real date in the form YYYY-MM-DD"
        );
    }
}
