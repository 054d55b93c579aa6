//! The person being onboarded, with every field checked at the edge so the rest
//! of the code can trust it.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

/// A field of a hire that has the wrong shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field name, as on the command line and in rosters.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// A work email address: one `@`, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl FromStr for Email {
    type Err = FieldError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let fail = |why: &str| {
            FieldError::new(
                "email",
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
    pub fn as_str(&self) -> &str {
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
pub struct Username(String);

impl Username {
    /// Parses a username for the named field (`username`, `manager`, `buddy`).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        let name = text.trim().trim_start_matches('@');
        let fail = |why: &str| {
            FieldError::new(
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
    pub fn as_str(&self) -> &str {
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
pub struct FullName(String);

impl FromStr for FullName {
    type Err = FieldError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let one_line = single_line(text);
        if one_line.is_empty() {
            return Err(FieldError::new("name", "the name is empty"));
        }
        if one_line.chars().count() > 200 {
            return Err(FieldError::new(
                "name",
                "the name is longer than 200 characters",
            ));
        }
        Ok(Self(one_line))
    }
}

impl FullName {
    /// The name as one line.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A file-name-safe form, such as `ada-lovelace`.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.0.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if let Some(plain) = without_accent(c) {
                slug.push_str(plain);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-').to_string();
        if slug.is_empty() {
            "new-hire".to_string()
        } else {
            slug
        }
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The plain Latin spelling of a common accented letter.
fn without_accent(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåā", "a"),
        ("çćč", "c"),
        ("èéêëēę", "e"),
        ("ìíîïī", "i"),
        ("ñń", "n"),
        ("òóôõöøō", "o"),
        ("ùúûüū", "u"),
        ("ýÿ", "y"),
        ("šś", "s"),
        ("žźż", "z"),
        ("ł", "l"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
    ];
    TABLE
        .iter()
        .find(|(accented, _)| accented.contains(c))
        .map(|(_, plain)| *plain)
}

/// Collapses line breaks, tabs and control characters into single spaces.
pub fn single_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control() || is_invisible_format(c))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bidirectional overrides and similar characters that make text lie about itself.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Everything needed to plan one person's onboarding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hire {
    /// Full name.
    pub name: FullName,
    /// Work email.
    pub email: Option<Email>,
    /// Their own GitLab username.
    pub username: Option<Username>,
    /// The catalogue role id.
    pub role: String,
    /// Day 1.
    pub start: NaiveDate,
    /// Their manager's GitLab username.
    pub manager: Option<Username>,
    /// Their buddy's GitLab username.
    pub buddy: Option<Username>,
    /// Optional tools to add.
    pub with: Vec<String>,
    /// Role tools to leave out.
    pub without: Vec<String>,
}

/// Parses a `YYYY-MM-DD` date for the named field.
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            format!(
                "'{}' is not a real date in the form YYYY-MM-DD",
                printable(text.trim())
            ),
        )
    })
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
            assert_eq!(err.field, "email", "{bad:?}");
        }
    }

    #[test]
    fn usernames_are_checked_and_lose_their_at() {
        assert_eq!(
            Username::parse("manager", "@mgr.jones").unwrap().as_str(),
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
            let err = Username::parse("manager", bad).unwrap_err();
            assert_eq!(err.field, "manager", "{bad:?}");
        }
    }

    #[test]
    fn names_stay_on_one_line() {
        let name: FullName = "Ada\n/assign @root\r\n Lovelace\u{202E}".parse().unwrap();
        assert_eq!(name.as_str(), "Ada /assign @root Lovelace");
        assert!("  \n ".parse::<FullName>().is_err());
    }

    #[test]
    fn slugs_are_file_safe() {
        let name: FullName = "Zoë O'Brien-Smith".parse().unwrap();
        assert_eq!(name.slug(), "zoe-o-brien-smith");
        let name: FullName = "李雷".parse().unwrap();
        assert_eq!(name.slug(), "new-hire");
    }

    #[test]
    fn dates_must_be_real() {
        assert!(parse_date("start", "2026-12-07").is_ok());
        assert_eq!(
            parse_date("start", "2026-02-30").unwrap_err().field,
            "start"
        );
    }
}
