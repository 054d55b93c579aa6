//! Problems pinned to `file:line:column`, located YAML parsing, and suggestions.
//!
//! YAML is read twice when something is wrong: serde reads the data, and
//! saphyr's event parser says where each key and value sits, so a problem
//! found later in a value (an unknown tool, a bad date) points at that value
//! in every YAML style: block or flow mappings, quoted, literal or folded
//! scalars. The second read happens only when there is a problem to place.

mod yaml;

use std::fmt;

pub(crate) use yaml::{fields_of, from_embedded_json, from_yaml, Located, Problem, YamlPath};

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// The file, as shown to the user.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column; 0 when the problem is a whole line (a roster row).
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole line, shown as `file:line: message`.
    pub(crate) fn line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line,
            column: 0,
            message: message.into(),
        }
    }

    /// A problem with a file as a whole, shown at its start.
    pub(crate) fn file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column == 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Every problem found, in file order; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub(crate) struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl Diagnostics {
    /// Adds one problem.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub(crate) fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// True when nothing is wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends all of `other`.
    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts by file, then position.
    pub(crate) fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
}

/// `1 row`, `3 rows`: a count with its noun.
pub(crate) fn counted(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
/// Transpositions count as one edit, so `otka` finds `okta`.
pub(crate) fn nearest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)` or nothing.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    nearest(word, candidates)
        .map(|c| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_words() {
        let ids = ["highspot", "salesforce", "okta"];
        assert_eq!(nearest("hghspot", ids), Some("highspot"));
        assert_eq!(nearest("salesforse", ids), Some("salesforce"));
        assert_eq!(nearest("zoom", ids), None);
        assert_eq!(did_you_mean("otka", ids), " (did you mean 'okta'?)");
    }
}
