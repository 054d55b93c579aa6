//! The stable key of a hire's requests and the hidden marker that carries it
//! in an issue body, so any run on any machine can find what was filed.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Starts every hidden line `onboard` writes: `<!-- onboard-request`,
/// `<!-- onboard-onboarding`.
const MARKER: &str = "<!-- onboard-";

/// `onboard` and 16 hex digits of a SHA-256 digest of `text`: one run of
/// letters and digits, so every GitLab search backend (an SQL pattern,
/// `PostgreSQL` full text, Elasticsearch) sees it as a single word.
fn digest_key(text: &str) -> String {
    let digest = Sha256::digest(text);
    let mut key = String::from("onboard");
    for byte in digest.iter().take(8) {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// The key of a person's onboarding requests: the same work email gives the
/// same key on every machine and every run, whatever the start date, so a
/// moved start updates the request instead of filing another.
pub(crate) fn request_key(email: &str) -> String {
    digest_key(&format!("onboard-ar/v2\n{}", email.trim().to_lowercase()))
}

/// The key of a person's onboarding issue: like [`request_key`], in its own
/// namespace, so the two never match each other.
pub(crate) fn onboarding_key(email: &str) -> String {
    digest_key(&format!("onboard-oi/v1\n{}", email.trim().to_lowercase()))
}

/// The key of one of a person's movers-and-leavers documents (`removal`,
/// `mobility`, `offboarding`): like [`request_key`], in the namespace of
/// `kind`, and for `detail` (the new role of a transfer) when it has one.
pub(crate) fn lifecycle_key(kind: &str, email: &str, detail: &str) -> String {
    digest_key(&format!(
        "onboard-{kind}/v1\n{}\n{detail}",
        email.trim().to_lowercase()
    ))
}

/// The key the first version used, which also hashed the start date; looked
/// up so requests filed before the upgrade are found.
pub(crate) fn legacy_key(email: &str, start: NaiveDate) -> String {
    digest_key(&format!(
        "onboard-ar/v1\n{}\n{start}",
        email.trim().to_lowercase()
    ))
}

/// What the hidden line of an issue says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// What kind of issue: `request`, `onboarding`.
    pub kind: &'static str,
    /// The request key.
    pub key: String,
    /// The tool ids the issue asks for.
    pub systems: Vec<String>,
    /// The start date it was filed for; absent in the first version's markers.
    pub start: Option<NaiveDate>,
    /// The catalogue role it was filed for, when the kind records it.
    pub role: Option<String>,
    /// The day the access it asks for ends, for a contractor.
    pub until: Option<NaiveDate>,
}

impl Marker {
    /// Whether the issue numbered `iid` that carries this marker duplicates
    /// an older one of `others` (each with its number): every system it
    /// holds, an older issue of the same kind holds too. One that holds
    /// nothing duplicates nothing.
    pub(crate) fn duplicates(&self, iid: u64, others: &[(u64, &Marker)]) -> bool {
        !self.systems.is_empty()
            && self.systems.iter().all(|system| {
                others.iter().any(|(older, marker)| {
                    *older < iid && marker.kind == self.kind && marker.systems.contains(system)
                })
            })
    }

    /// The hidden line, with a final newline.
    pub(crate) fn line(&self) -> String {
        let mut line = format!("{MARKER}{} key: {}", self.kind, self.key);
        if !self.systems.is_empty() {
            line.push_str(&format!(" systems: {}", self.systems.join(",")));
        }
        if let Some(start) = self.start {
            line.push_str(&format!(" start: {start}"));
        }
        if let Some(role) = &self.role {
            line.push_str(&format!(" role: {role}"));
        }
        if let Some(until) = self.until {
            line.push_str(&format!(" until: {until}"));
        }
        line.push_str(" -->\n");
        line
    }

    /// The marker of kind `kind` in an issue body, if it has one.
    pub(crate) fn read(description: &str, kind: &'static str) -> Option<Self> {
        description.lines().rev().find_map(|line| {
            let rest = line
                .trim()
                .strip_prefix(MARKER)?
                .strip_prefix(kind)?
                .strip_prefix(' ')?
                .strip_suffix("-->")?;
            let mut words = rest.split_whitespace();
            let mut marker = Marker {
                kind,
                key: String::new(),
                systems: Vec::new(),
                start: None,
                role: None,
                until: None,
            };
            while let Some(word) = words.next() {
                let value = words.next().unwrap_or_default();
                match word {
                    "key:" => marker.key = value.to_string(),
                    "systems:" => {
                        marker.systems = value
                            .split(',')
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect();
                    }
                    "start:" => marker.start = value.parse().ok(),
                    "role:" => marker.role = Some(value.to_string()),
                    "until:" => marker.until = value.parse().ok(),
                    _ => {}
                }
            }
            (!marker.key.is_empty()).then_some(marker)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_ignore_email_case_and_not_the_date() {
        let key = request_key("Ada@Example.com");
        assert_eq!(key, request_key("ada@example.com "));
        assert!(
            key.starts_with("onboard")
                && key.len() == "onboard".len() + 16
                && key.chars().all(|c| c.is_ascii_alphanumeric()),
            "{key}"
        );
        assert_ne!(key, request_key("grace@example.com"));
        let start = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_ne!(legacy_key("ada@example.com", start), key);
        assert_ne!(
            legacy_key("ada@example.com", start),
            legacy_key("ada@example.com", start.succ_opt().unwrap())
        );
    }

    #[test]
    fn markers_round_trip_and_old_ones_still_read() {
        let marker = Marker {
            kind: "request",
            key: "onboard00ff".to_string(),
            systems: vec!["clari".to_string(), "outreach".to_string()],
            start: NaiveDate::from_ymd_opt(2026, 12, 7),
            role: None,
            until: NaiveDate::from_ymd_opt(2027, 6, 30),
        };
        let body = format!("text\n\n{}", marker.line());
        assert_eq!(Marker::read(&body, "request"), Some(marker.clone()));
        assert_eq!(Marker::read(&body, "onboarding"), None, "kinds never mix");
        let old = "x\n<!-- onboard-request key: onboardab systems: clari -->\n";
        assert_eq!(
            Marker::read(old, "request"),
            Some(Marker {
                kind: "request",
                key: "onboardab".into(),
                systems: vec!["clari".into()],
                start: None,
                role: None,
                until: None,
            })
        );
        let checklist = Marker {
            kind: "onboarding",
            systems: Vec::new(),
            role: Some("strategic-account-leader".into()),
            ..marker
        };
        assert_eq!(
            Marker::read(&checklist.line(), "onboarding"),
            Some(checklist)
        );
        assert_eq!(Marker::read("no marker here", "request"), None);
    }
}
