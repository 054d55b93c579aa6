//! The stable key of a hire's requests and the hidden marker that carries it
//! in an issue body, so any run on any machine can find what was filed.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Starts the hidden line that makes a request findable again.
const MARKER: &str = "<!-- onboard-request";

/// The stable key of a hire's requests: the same person and start date give
/// the same key on every machine and every run. It is one run of letters and
/// digits, so every GitLab search backend (SQL pattern, `PostgreSQL` full text,
/// Elasticsearch) sees it as a single word.
pub fn request_key(email: &str, start: NaiveDate) -> String {
    let digest = Sha256::digest(format!(
        "onboard-ar/v1\n{}\n{start}",
        email.trim().to_lowercase()
    ));
    let mut key = String::from("onboard");
    for byte in digest.iter().take(8) {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// The hidden line for a request key and the systems its issue asks for.
pub fn marker(key: &str, systems: &[String]) -> String {
    format!("{MARKER} key: {key} systems: {} -->\n", systems.join(","))
}

/// The key and systems recorded in an issue body by [`marker`].
pub fn read_marker(description: &str) -> Option<(String, Vec<String>)> {
    description.lines().rev().find_map(|line| {
        let rest = line.trim().strip_prefix(MARKER)?.strip_suffix("-->")?;
        let mut words = rest.split_whitespace();
        let mut key = None;
        let mut systems = Vec::new();
        while let Some(word) = words.next() {
            match word {
                "key:" => key = words.next().map(String::from),
                "systems:" => {
                    systems = words
                        .next()
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect();
                }
                _ => {}
            }
        }
        key.map(|k| (k, systems))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_ignore_email_case() {
        let start = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let key = request_key("Ada@Example.com", start);
        assert_eq!(key, request_key("ada@example.com ", start));
        assert!(
            key.starts_with("onboard")
                && key.len() == "onboard".len() + 16
                && key.chars().all(|c| c.is_ascii_alphanumeric()),
            "{key}"
        );
        assert_ne!(
            key,
            request_key("ada@example.com", start.succ_opt().unwrap())
        );
    }

    #[test]
    fn markers_round_trip() {
        let systems = vec!["clari".to_string(), "outreach".to_string()];
        let body = format!("text\n\n{}", marker("onboard00ff", &systems));
        assert_eq!(
            read_marker(&body),
            Some(("onboard00ff".to_string(), systems))
        );
        assert_eq!(read_marker("no marker here"), None);
    }
}
