//! A roster's problems, told so that a person can act on them: one line per
//! kind of problem, with how many rows have it and the first of them, and a
//! total. A problem only one row has keeps its precise `file:line: …` form.

use std::fmt;

use crate::diagnostic::{counted, Diagnostic};

/// How many rows a grouped line names before it counts the rest.
const ROWS_SHOWN: usize = 3;

/// A row that cannot be used, with every problem it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejected {
    /// The row's line (the CSV header is line 1).
    pub line: usize,
    /// The row's email, when it could be read: how People Ops find the hire.
    pub email: Option<String>,
    /// What is wrong, each at its place.
    pub problems: Vec<Diagnostic>,
}

/// Every row of a roster that cannot be used; the error when none may be
/// skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterProblems {
    /// The roster, as shown.
    pub file: String,
    /// The rows, in file order.
    pub rows: Vec<Rejected>,
    /// How many rows the roster has.
    pub total: usize,
    /// Whether `--skip-invalid` could have gone on with the others.
    pub skippable: bool,
}

impl RosterProblems {
    /// The grouped lines, without the total.
    pub(crate) fn lines(&self) -> Vec<String> {
        grouped(
            &self.file,
            self.rows.iter().flat_map(|row| row.problems.iter()),
        )
    }

    /// How many problems there are, over every row.
    fn count(&self) -> usize {
        self.rows.iter().map(|row| row.problems.len()).sum()
    }
}

impl fmt::Display for RosterProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.lines();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{line}")?;
        }
        let bad = self.rows.len();
        // One problem in a roster of one row: its line says everything.
        if self.total == 1 && self.count() == 1 {
            return Ok(());
        }
        write!(
            f,
            "\n{}: {} in {bad} of {}",
            self.file,
            counted(self.count(), "problem"),
            counted(self.total, "row")
        )?;
        if self.skippable {
            write!(f, "; nothing was written")?;
            if bad < self.total {
                write!(
                    f,
                    " (--skip-invalid goes on with the other {})",
                    self.total - bad
                )?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for RosterProblems {}

/// One line per message: a message of one row as `file:line: message`,
/// one of several rows as `file: N rows: message: rows a, b, c … (k more)`,
/// in the order each first occurs by line.
pub(crate) fn grouped<'d>(
    file: &str,
    problems: impl IntoIterator<Item = &'d Diagnostic>,
) -> Vec<String> {
    let mut sorted: Vec<&Diagnostic> = problems.into_iter().collect();
    sorted.sort_by_key(|d| (d.line, d.column));
    // Kinds in order of first occurrence, each with its rows.
    let mut kinds: Vec<(&Diagnostic, Vec<usize>)> = Vec::new();
    for problem in sorted {
        match kinds
            .iter_mut()
            .find(|(first, _)| first.message == problem.message)
        {
            Some((_, rows)) => {
                if rows.last() != Some(&problem.line) {
                    rows.push(problem.line);
                }
            }
            None => kinds.push((problem, vec![problem.line])),
        }
    }
    kinds
        .into_iter()
        .map(|(first, rows)| {
            if rows.len() == 1 {
                return first.to_string();
            }
            let shown: Vec<String> = rows
                .iter()
                .take(ROWS_SHOWN)
                .map(ToString::to_string)
                .collect();
            let more = rows.len().saturating_sub(ROWS_SHOWN);
            let rest = if more > 0 {
                format!(" … ({more} more)")
            } else {
                String::new()
            };
            format!(
                "{file}: {} rows: {}: rows {}{rest}",
                rows.len(),
                first.message,
                shown.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, messages: &[&str]) -> Rejected {
        Rejected {
            line,
            email: None,
            problems: messages
                .iter()
                .map(|m| Diagnostic::line("r.csv", line, *m))
                .collect(),
        }
    }

    #[test]
    fn a_kind_of_many_rows_is_one_line_and_a_single_one_stays_precise() {
        let holiday = "start_date: start date 2027-01-18 is a holiday (Martin Luther King Jr. Day)";
        let mut rows: Vec<Rejected> = (0..250).map(|i| row(8 + 8 * i, &[holiday])).collect();
        rows.insert(0, row(3, &["email: 'x' is not an email address", holiday]));
        let problems = RosterProblems {
            file: "r.csv".to_string(),
            rows,
            total: 2100,
            skippable: true,
        };
        assert_eq!(
            problems.to_string(),
            format!(
                "r.csv:3: email: 'x' is not an email address\n\
                 r.csv: 251 rows: {holiday}: rows 3, 8, 16 … (248 more)\n\
                 r.csv: 252 problems in 251 of 2100 rows; nothing was written (--skip-invalid goes on with the other 1849)"
            )
        );
        let one = RosterProblems {
            file: "r.csv".to_string(),
            rows: vec![row(2, &["name: is empty"])],
            total: 1,
            skippable: false,
        };
        assert_eq!(one.to_string(), "r.csv:2: name: is empty");
        let of_two = RosterProblems { total: 2, ..one };
        assert_eq!(
            of_two.to_string(),
            "r.csv:2: name: is empty\nr.csv: 1 problem in 1 of 2 rows"
        );
        let two = grouped(
            "r.csv",
            &[
                Diagnostic::line("r.csv", 4, "a"),
                Diagnostic::line("r.csv", 2, "a"),
            ],
        );
        assert_eq!(two, ["r.csv: 2 rows: a: rows 2, 4"]);
    }
}
