//! Errors in catalogue files, each pinned to `file:line:column`.

use std::fmt;

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as shown to the user.
    pub file: String,
    /// One-based line.
    pub line: usize,
    /// One-based column; 0 when the problem is a whole line (a roster row).
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
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
pub struct Diagnostics(pub Vec<Diagnostic>);

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

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
}

/// Finds where a `key: value` pair sits in a YAML text, for messages about
/// values that parsed fine but mean something wrong.
pub struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Locator<'a> {
    /// A locator over one file.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text }
    }

    /// A diagnostic at the `nth` (0-based) line whose mapping entry is
    /// `key: value`; the start of the file when it cannot be found.
    pub fn at(&self, key: &str, value: &str, nth: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.find(key, value, nth).unwrap_or((1, 1));
        Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A diagnostic at the start of the file.
    pub fn file_level(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.to_string(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }

    fn find(&self, key: &str, value: &str, nth: usize) -> Option<(usize, usize)> {
        self.text
            .lines()
            .enumerate()
            .filter_map(|(index, line)| {
                let body = line.trim_start_matches([' ', '\t', '-']);
                let rest = body.strip_prefix(key)?.trim_start();
                let after_colon = rest.strip_prefix(':')?;
                let scalar = after_colon.trim_start();
                let scalar_column = line.len() - scalar.len() + 1;
                let unquoted = strip_comment(scalar)
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'');
                (unquoted == value).then_some((index + 1, scalar_column))
            })
            .nth(nth)
    }
}

/// The scalar without a trailing comment; a quoted scalar ends at its closing quote.
fn strip_comment(scalar: &str) -> &str {
    if let Some(quote) = scalar.chars().next().filter(|c| *c == '"' || *c == '\'') {
        return match scalar[1..].find(quote) {
            Some(end) => &scalar[..end + 2],
            None => scalar,
        };
    }
    match scalar.find(" #") {
        Some(i) => &scalar[..i],
        None => scalar,
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` (did you mean 'x'?)` or nothing.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    nearest(word, candidates)
        .map(|c| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
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

    #[test]
    fn locates_the_nth_entry_and_its_column() {
        let text = "tools:\n  - tool: okta\n    level: x\n  - tool: \"okta\" # again\n";
        let locator = Locator::new("roles/a.yaml", text);
        let first = locator.at("tool", "okta", 0, "m");
        assert_eq!((first.line, first.column), (2, 11));
        let second = locator.at("tool", "okta", 1, "m");
        assert_eq!(second.to_string(), "roles/a.yaml:4:11: m");
        assert_eq!(locator.at("tool", "nope", 0, "m").line, 1);
    }
}
