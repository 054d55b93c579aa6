//! What a batch says of itself: each hire's line of `summary.json`, the
//! totals, and the summary written as the hires go.

use serde::Serialize;

use crate::access::{Event, FiledIssue};
use crate::roster::Rejected;

use super::{to_json, to_json_lines};

/// Whether a checklist file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChecklistStatus {
    /// Written where there was none.
    Written,
    /// Rewritten: onboard wrote it before, and its content changed.
    Updated,
    /// Already there with exactly this content.
    Unchanged,
}

/// What happened to a hire's access requests or onboarding issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum FilingStatus {
    /// Filing was not asked for, or not reached.
    #[serde(rename = "not filed")]
    NotFiled,
    /// No tool of theirs needs a request.
    #[serde(rename = "none needed")]
    NoneNeeded,
    /// Filed or found.
    #[serde(rename = "filed")]
    Filed,
    /// Could not be filed; see the error.
    #[serde(rename = "failed")]
    Failed,
}

/// One hire's access requests, or onboarding issue, in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilingSummary {
    /// What happened.
    pub status: FilingStatus,
    /// The issues, with system names.
    pub issues: Vec<FiledIssue>,
    /// Duplicates closed, requests updated, issues ignored.
    pub events: Vec<Event>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One hire's line in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HireSummary {
    /// The roster line.
    pub line: usize,
    /// Full name.
    pub name: String,
    /// Work email.
    pub email: String,
    /// Role id.
    pub role: String,
    /// Day 1.
    pub start: String,
    /// The checklist's file name.
    pub checklist: String,
    /// Whether it was written.
    pub checklist_status: ChecklistStatus,
    /// How many tasks it has.
    pub tasks: usize,
    /// Their access requests.
    pub access: FilingSummary,
    /// Their onboarding issue, when the batch files them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<FilingSummary>,
}

/// A roster row `batch --skip-invalid` left out, in `summary.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SkippedRow {
    /// The roster line.
    pub line: usize,
    /// The row's email, when it could be read.
    pub email: Option<String>,
    /// Every problem of the row, as `field: message`.
    pub problems: Vec<String>,
}

impl SkippedRow {
    /// The row as the summary lists it.
    pub(crate) fn of(row: &Rejected) -> Self {
        Self {
            line: row.line,
            email: row.email.clone(),
            problems: row.problems.iter().map(|p| p.message.clone()).collect(),
        }
    }
}

impl FilingSummary {
    /// Nothing filed yet.
    pub(crate) fn new(status: FilingStatus) -> Self {
        Self {
            status,
            issues: Vec::new(),
            events: Vec::new(),
            error: None,
        }
    }
}

/// A batch's totals, counted hire by hire.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct BatchTotals {
    hires: usize,
    tasks: usize,
    checklists_written: usize,
    checklists_updated: usize,
    checklists_unchanged: usize,
    requests_created: usize,
    requests_existing: usize,
    onboarding_created: usize,
    onboarding_existing: usize,
    failures: usize,
}

impl BatchTotals {
    /// Counts one more hire.
    pub(crate) fn count(&mut self, entry: &HireSummary) {
        let issues = |created: bool, filing: Option<&FilingSummary>| {
            filing.map_or(0, |f| {
                f.issues.iter().filter(|i| i.created == created).count()
            })
        };
        self.hires += 1;
        self.tasks += entry.tasks;
        match entry.checklist_status {
            ChecklistStatus::Written => self.checklists_written += 1,
            ChecklistStatus::Updated => self.checklists_updated += 1,
            ChecklistStatus::Unchanged => self.checklists_unchanged += 1,
        }
        self.requests_created += issues(true, Some(&entry.access));
        self.requests_existing += issues(false, Some(&entry.access));
        self.onboarding_created += issues(true, entry.onboarding.as_ref());
        self.onboarding_existing += issues(false, entry.onboarding.as_ref());
        if entry.failed() {
            self.failures += 1;
        }
    }

    /// How many hires failed.
    pub(crate) fn failures(&self) -> usize {
        self.failures
    }

    /// How many hires there were.
    pub(crate) fn hires(&self) -> usize {
        self.hires
    }
}

impl HireSummary {
    /// Whether filing failed for this hire.
    pub(crate) fn failed(&self) -> bool {
        self.access.status == FilingStatus::Failed
            || self
                .onboarding
                .as_ref()
                .is_some_and(|o| o.status == FilingStatus::Failed)
    }
}

/// `summary.json`, and `batch-summary.txt.hbs` (whose `entries` are only
/// the hires that failed, so a run of any size prints in the same memory).
#[derive(Debug, Serialize)]
pub(crate) struct BatchSummary {
    roster: String,
    out: String,
    file_access: bool,
    file_onboarding: bool,
    entries: Vec<HireSummary>,
    /// The rows `--skip-invalid` left out.
    skipped: Vec<SkippedRow>,
    #[serde(flatten)]
    totals: BatchTotals,
}

impl BatchSummary {
    /// The totals over every hire, with the `entries` given.
    pub(crate) fn of(
        roster: &str,
        out: &str,
        file_access: bool,
        file_onboarding: bool,
        entries: Vec<HireSummary>,
    ) -> Self {
        let mut totals = BatchTotals::default();
        for entry in &entries {
            totals.count(entry);
        }
        Self::with_totals(roster, out, file_access, file_onboarding, entries, totals)
    }

    /// A summary with totals counted already.
    pub(crate) fn with_totals(
        roster: &str,
        out: &str,
        file_access: bool,
        file_onboarding: bool,
        entries: Vec<HireSummary>,
        totals: BatchTotals,
    ) -> Self {
        Self {
            roster: roster.to_string(),
            out: out.to_string(),
            file_access,
            file_onboarding,
            entries,
            skipped: Vec::new(),
            totals,
        }
    }

    /// The same summary, listing the rows left out.
    pub(crate) fn skipping(mut self, rows: Vec<SkippedRow>) -> Self {
        self.skipped = rows;
        self
    }

    /// The totals.
    pub(crate) fn totals(&self) -> &BatchTotals {
        &self.totals
    }

    /// How many rows were left out.
    pub(crate) fn skipped(&self) -> usize {
        self.skipped.len()
    }
}

/// How many changed checklists the table names; `summary.json` has them all.
pub(crate) const CHANGES_SHOWN: usize = 10;

/// `batch-summary.txt.hbs`: the summary, with what only the table shows.
#[derive(Debug, Serialize)]
pub(crate) struct BatchTable<'s> {
    #[serde(flatten)]
    summary: &'s BatchSummary,
    /// How many rows were left out.
    skipped_rows: usize,
    /// Their problems, one line per kind.
    skipped_problems: Vec<String>,
    /// In a folder that was there, the first checklists written or
    /// updated: `updated: ada-lovelace.md`.
    changed: Vec<String>,
    /// How many more were.
    changed_more: usize,
}

impl<'s> BatchTable<'s> {
    /// The table of `summary`: `skipped_problems` as [`crate::roster::grouped`]
    /// gives them; `changed` the first [`CHANGES_SHOWN`] of `change_count`.
    pub(crate) fn new(
        summary: &'s BatchSummary,
        skipped_problems: Vec<String>,
        changed: Vec<String>,
        change_count: usize,
    ) -> Self {
        Self {
            summary,
            skipped_rows: summary.skipped.len(),
            skipped_problems,
            changed_more: change_count.saturating_sub(changed.len()),
            changed,
        }
    }
}

/// `summary.json` written as the hires go: the same bytes as
/// [`to_json`] of the [`BatchSummary`], without holding every entry.
pub(crate) struct SummaryWriter<W: std::io::Write> {
    out: W,
    totals: BatchTotals,
    head: BatchSummary,
    /// The hires that failed, for the table.
    failed: Vec<HireSummary>,
}

impl<W: std::io::Write> SummaryWriter<W> {
    /// Starts the summary of a batch.
    pub(crate) fn new(
        out: W,
        roster: &str,
        folder: &str,
        file_access: bool,
        file_onboarding: bool,
    ) -> Self {
        Self {
            out,
            totals: BatchTotals::default(),
            failed: Vec::new(),
            head: BatchSummary::of(roster, folder, file_access, file_onboarding, Vec::new()),
        }
    }

    /// The summary of a batch that left out `rows`.
    pub(crate) fn skipping(mut self, rows: Vec<SkippedRow>) -> Self {
        self.head.skipped = rows;
        self
    }

    /// Writes one hire's entry and counts it.
    pub(crate) fn push(&mut self, entry: &HireSummary) -> std::io::Result<()> {
        let first = self.totals.hires == 0;
        if first {
            let head = to_json(&self.head)?;
            let cut = head.find("\n  \"entries\": []").unwrap_or(head.len());
            self.write(&head[..cut])?;
            self.write("\n  \"entries\": [\n")?;
        } else {
            self.write(",\n")?;
        }
        let json = to_json_lines(entry)?;
        self.write(&format!("    {}", json.replace('\n', "\n    ")))?;
        self.totals.count(entry);
        if entry.failed() {
            self.failed.push(entry.clone());
        }
        Ok(())
    }

    fn write(&mut self, text: &str) -> std::io::Result<()> {
        self.out.write_all(crate::output::redact(text).as_bytes())
    }

    /// Writes the totals; gives the writer back and the summary for the
    /// table, its entries only the hires that failed.
    pub(crate) fn finish(mut self) -> std::io::Result<(W, BatchSummary)> {
        let mut summary = BatchSummary::with_totals(
            &self.head.roster,
            &self.head.out,
            self.head.file_access,
            self.head.file_onboarding,
            Vec::new(),
            std::mem::take(&mut self.totals),
        )
        .skipping(std::mem::take(&mut self.head.skipped));
        let json = to_json(&summary)?;
        summary.entries = std::mem::take(&mut self.failed);
        if summary.totals.hires == 0 {
            self.write(&json)?;
        } else {
            let rest = json
                .find("\n  \"entries\": [],")
                .map_or("", |at| &json[at + "\n  \"entries\": [],".len()..]);
            self.write("\n  ],")?;
            self.write(rest)?;
        }
        Ok((self.out, summary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: usize, status: FilingStatus) -> HireSummary {
        HireSummary {
            line,
            name: format!("Hire {line}"),
            email: format!("hire{line}@example.com"),
            role: "strategic-account-leader".to_string(),
            start: "2026-12-07".to_string(),
            checklist: format!("hire-{line}.md"),
            checklist_status: ChecklistStatus::Written,
            tasks: 70,
            access: FilingSummary {
                error: (status == FilingStatus::Failed)
                    .then(|| "a \"quoted\"\nfailure".to_string()),
                ..FilingSummary::new(status)
            },
            onboarding: None,
        }
    }

    #[test]
    fn the_summary_written_as_hires_go_is_the_whole_summary_byte_for_byte() {
        for entries in [
            vec![],
            vec![entry(2, FilingStatus::NotFiled)],
            vec![
                entry(2, FilingStatus::NotFiled),
                entry(3, FilingStatus::Failed),
                entry(5, FilingStatus::NoneNeeded),
            ],
        ] {
            let whole = to_json(&BatchSummary::of(
                "r.csv",
                "out",
                true,
                false,
                entries.clone(),
            ))
            .unwrap();
            let mut writer = SummaryWriter::new(Vec::new(), "r.csv", "out", true, false);
            for e in &entries {
                writer.push(e).unwrap();
            }
            let (bytes, summary) = writer.finish().unwrap();
            assert_eq!(String::from_utf8(bytes).unwrap(), whole);
            assert_eq!(summary.totals().hires(), entries.len());
            assert_eq!(
                summary.entries.len(),
                entries.iter().filter(|e| e.failed()).count()
            );
        }
    }
}
