//! `onboard batch ROSTER --out DIR [--file-access] [--file-onboarding]`: every
//! hire's checklist and, optionally, their access requests and onboarding
//! issue, with every row checked first.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::access::{self, AccessError, AccessRequest};
use crate::hire::{Field, FieldError, Hire};
use crate::output::{
    create_folder, not_regular, print, print_file, write_atomically, AtomicFile, OutputError,
    Redacted, StagedFolder,
};
use crate::parallel;
use crate::plan::Plans;
use crate::render;
use crate::roster;
use crate::settings::{self, Batch, Settings};
use crate::view::{
    BatchSummary, BatchTable, ChecklistPages, ChecklistStatus, FilingStatus, FilingSummary,
    HireSummary, SkippedRow, SummaryWriter, CHANGES_SHOWN,
};
use crate::wizard::confirm_before;
use crate::workspace::{read_roster, Refusal, Workspace};
use crate::Error;

use written::{Record, Written};

/// A hire ready to write: where their checklist goes and what they need.
pub(super) struct Planned {
    line: usize,
    hire: Hire,
    file_name: String,
    request: Option<AccessRequest>,
}

mod file;
mod written;

/// The batch's summary, next to the checklists.
const SUMMARY: &str = "summary.json";

/// How many hires are rendered and written together; only they are held
/// in memory at once, whatever the roster's length.
const CHUNK: usize = 256;

/// Runs the command: reads the roster once and checks every row (keeping
/// nothing of them but the problems), then goes over the rows again to
/// plan, render and write each hire as their row comes, the summary
/// growing with them. Filing needs every hire at hand, so a filing batch
/// keeps them for that. With `--skip-invalid` the rows that cannot be
/// used are left out and listed; without it, any of them stops the batch
/// before anything is written.
pub(super) fn run(settings: &Settings, job: &Batch) -> Result<(), Error> {
    let workspace = Workspace::load_for(settings, &[render::CHECKLIST, render::CHECKLIST_TOOLS])?;
    let plans = workspace.plans();
    let pages = ChecklistPages::new(&workspace.renderer, &plans);
    let roster = read_roster(&job.roster)?;
    let (skipped, requests) = check_rows(&workspace, &plans, job, &roster)?;
    // A fresh folder is filled under a temporary name and renamed into place.
    let fresh = !job.out.exists();
    let earlier = if fresh {
        Written::default()
    } else {
        let earlier = Written::load(&job.out);
        check_what_is_there(&workspace, &plans, &pages, job, &roster, &earlier)?;
        earlier
    };
    if let Some(filing) = &job.filing {
        let hires = skipped.total - skipped.rows.len();
        confirm_filing(settings, job, filing, hires, requests)?;
    }
    let destination = Destination::create(job, fresh, &earlier)?;
    let summary_file = SummaryFile {
        job,
        roster: &roster.shown,
        skipped: skipped.rows.iter().map(SkippedRow::of).collect(),
        path: job.out.join(SUMMARY),
    };
    // Without filing, the summary grows with the checklists; with it, it
    // is written once every hire is filed.
    let summary = match job.filing {
        None => Some(summary_file.open(destination.folder())?),
        Some(_) => None,
    };
    let mut ledger = Ledger {
        fresh,
        record: Record::create(destination.folder())?,
        summary,
        summary_file: &summary_file,
        kept: Vec::new(),
        changes: Changes::default(),
    };
    let names = write_hires(
        &workspace,
        &plans,
        &pages,
        &roster,
        &destination,
        &mut ledger,
    )?;
    ledger.record.finish(&earlier, &names)?;
    let finished = if let Some(writer) = ledger.summary {
        let (file, summary) = writer.finish().map_err(|e| summary_file.error(e))?;
        file.commit()?;
        destination.publish()?;
        Finished {
            summary,
            filed: Ok(()),
            lost: None,
        }
    } else {
        destination.publish()?;
        file_and_summarize(settings, &workspace, &plans, &summary_file, ledger.kept)?
    };
    report(
        settings,
        &workspace,
        job,
        finished,
        &skipped,
        ledger.changes,
    )
}

/// The checking pass: every row checked, and how many hires need an access
/// request, for the question before filing. A row that cannot be used
/// stops the batch, unless `--skip-invalid` and some row can.
fn check_rows(
    workspace: &Workspace,
    plans: &Plans,
    job: &Batch,
    roster: &roster::Source,
) -> Result<(roster::RosterProblems, usize), Error> {
    let mut requests = 0;
    let mut skipped = workspace.each_hire(roster, Some(job.window), true, |_, hire| {
        if request_of(workspace, plans, job, &hire)?.is_some() {
            requests += 1;
        }
        Ok(())
    })?;
    skipped.skippable = true;
    let hires = skipped.total - skipped.rows.len();
    if !skipped.rows.is_empty() && (!job.skip_invalid || hires == 0) {
        return Err(Error::Roster(skipped));
    }
    Ok((skipped, requests))
}

/// Where the checklists go: a new output folder is staged under a
/// temporary name and renamed into place at the end; one that was there is
/// written file by file, keeping what was edited by hand.
struct Destination<'a> {
    job: &'a Batch,
    staged: Option<StagedFolder>,
    earlier: &'a Written,
}

impl<'a> Destination<'a> {
    /// Stages a `fresh` folder, or makes sure the one there is a folder.
    fn create(job: &'a Batch, fresh: bool, earlier: &'a Written) -> Result<Self, Error> {
        let staged = if fresh {
            Some(StagedFolder::create(&job.out)?)
        } else {
            create_folder(&job.out)?;
            None
        };
        Ok(Self {
            job,
            staged,
            earlier,
        })
    }

    /// The folder files are written to now.
    fn folder(&self) -> &Path {
        self.staged
            .as_ref()
            .map_or(self.job.out.as_path(), StagedFolder::path)
    }

    /// Writes one hire's checklist, unless it is already there or was
    /// edited by hand while onboard has nothing new to say; returns what
    /// happened and the checklist's line in the record.
    fn write(&self, p: &Planned, text: &str) -> Result<(ChecklistStatus, String), Error> {
        let redacted = Redacted::of(text);
        let line = written::line(&p.file_name, &redacted);
        if let Some(staged) = &self.staged {
            staged.write(&p.file_name, &redacted)?;
            return Ok((ChecklistStatus::Written, line));
        }
        let text = redacted.as_str();
        let path = self.job.out.join(&p.file_name);
        let status = match fs::read(&path) {
            Ok(current) if current == text.as_bytes() => {
                return Ok((ChecklistStatus::Unchanged, line))
            }
            // Edited by hand, while onboard has nothing new to say: the
            // edits stay, and onboard's own version stays recorded.
            Ok(current)
                if !self.job.force && self.earlier.kept_edit(&p.file_name, &current, &redacted) =>
            {
                return Ok((ChecklistStatus::Unchanged, line));
            }
            Ok(_) => ChecklistStatus::Updated,
            Err(_) => ChecklistStatus::Written,
        };
        write_atomically(&path, text.as_bytes(), true)?;
        Ok((status, line))
    }

    /// Renames a staged folder into place; refuses the files another run
    /// put there meanwhile that differ from this run's.
    fn publish(self) -> Result<(), Error> {
        let differ = self.staged.map(StagedFolder::publish).transpose()?;
        match differ {
            Some(names) if !names.is_empty() => Err(Error::ChecklistsExist {
                out: self.job.out.clone(),
                names,
            }),
            _ => Ok(()),
        }
    }
}

/// `summary.json`: the batch's summary, next to the checklists.
struct SummaryFile<'a> {
    job: &'a Batch,
    roster: &'a str,
    skipped: Vec<SkippedRow>,
    path: PathBuf,
}

impl SummaryFile<'_> {
    /// Starts the summary in `folder`.
    fn open(&self, folder: &Path) -> Result<SummaryWriter<AtomicFile>, Error> {
        Ok(self.writer(AtomicFile::create(&folder.join(SUMMARY))?))
    }

    /// The summary of this batch, written to `out` as the hires go.
    fn writer<W: Write>(&self, out: W) -> SummaryWriter<W> {
        SummaryWriter::new(
            out,
            self.roster,
            &self.job.out.display().to_string(),
            self.job.file_access,
            self.job.file_onboarding,
        )
        .skipping(self.skipped.clone())
    }

    /// The summary could not be written.
    fn error(&self, source: std::io::Error) -> Error {
        summary_error(&self.path, source)
    }
}

/// The checklists written or updated in a folder that was there: the
/// first few, for the table, and how many there were.
#[derive(Default)]
struct Changes {
    shown: Vec<String>,
    count: usize,
}

/// What the writing pass keeps of each hire written.
struct Ledger<'a> {
    /// The output folder is new: every checklist in it is, too.
    fresh: bool,
    record: Record,
    /// The summary, growing with the checklists when not filing.
    summary: Option<SummaryWriter<AtomicFile>>,
    summary_file: &'a SummaryFile<'a>,
    /// The hires kept for filing, when filing.
    kept: Vec<(Planned, HireSummary)>,
    changes: Changes,
}

impl Ledger<'_> {
    /// Records one hire's written checklist.
    fn push(&mut self, planned: Planned, entry: HireSummary, line: &str) -> Result<(), Error> {
        self.record.push(line)?;
        let change = match entry.checklist_status {
            ChecklistStatus::Written if !self.fresh => Some("written"),
            ChecklistStatus::Updated => Some("updated"),
            _ => None,
        };
        if let Some(change) = change {
            self.changes.count += 1;
            if self.changes.shown.len() < CHANGES_SHOWN {
                self.changes
                    .shown
                    .push(format!("{change}: {}", entry.checklist));
            }
        }
        match self.summary.as_mut() {
            Some(summary) => summary
                .push(&entry)
                .map_err(|e| self.summary_file.error(e))?,
            None => self.kept.push((planned, entry)),
        }
        Ok(())
    }
}

/// The writing pass: plans each hire as their row comes, and renders and
/// writes them [`CHUNK`] at a time. Returns the file names taken.
fn write_hires(
    workspace: &Workspace,
    plans: &Plans,
    pages: &ChecklistPages,
    roster: &roster::Source,
    destination: &Destination,
    ledger: &mut Ledger,
) -> Result<HashSet<String>, Error> {
    let job = destination.job;
    let mut chunk: Vec<Planned> = Vec::with_capacity(CHUNK);
    let mut names = HashSet::new();
    let mut flush = |chunk: &mut Vec<Planned>| -> Result<(), Error> {
        let written = write_checklists(pages, job, chunk, |p, text| destination.write(p, text))?;
        for (planned, (entry, line)) in chunk.drain(..).zip(written) {
            ledger.push(planned, entry, &line)?;
        }
        Ok(())
    };
    workspace.each_hire(roster, Some(job.window), false, |line, hire| {
        chunk.push(planned(workspace, plans, job, line, hire, &mut names)?);
        if chunk.len() == CHUNK {
            flush(&mut chunk)?;
        }
        Ok(())
    })?;
    flush(&mut chunk)?;
    Ok(names)
}

/// A batch's summary once every hire is written and, when filing, filed.
struct Finished {
    summary: BatchSummary,
    /// What filing gave.
    filed: Result<(), Error>,
    /// Set when summary.json could not be written after filing: the JSON
    /// to print instead, and why.
    lost: Option<(Vec<u8>, Error)>,
}

/// Files every kept hire, then writes the summary. Issues are filed by
/// then: a summary that cannot be written is still printed, and the
/// journal holds what was filed.
fn file_and_summarize(
    settings: &Settings,
    workspace: &Workspace,
    plans: &Plans,
    summary_file: &SummaryFile,
    kept: Vec<(Planned, HireSummary)>,
) -> Result<Finished, Error> {
    let job = summary_file.job;
    let (planned, mut entries): (Vec<Planned>, Vec<HireSummary>) = kept.into_iter().unzip();
    let filed = match &job.filing {
        Some(filing) => file::file_all(
            settings,
            workspace,
            plans,
            job,
            &filing.gitlab,
            &planned,
            &mut entries,
        ),
        None => Ok(()),
    };
    let written = summary_file.open(&job.out).and_then(|writer| {
        let (file, summary) = summarize(writer, &entries).map_err(|e| summary_file.error(e))?;
        file.commit()?;
        Ok(summary)
    });
    Ok(match written {
        Ok(summary) => Finished {
            summary,
            filed,
            lost: None,
        },
        Err(err) => {
            let (json, summary) = summarize(summary_file.writer(Vec::new()), &entries)
                .map_err(|e| summary_file.error(e))?;
            Finished {
                summary,
                filed,
                lost: Some((json, err)),
            }
        }
    })
}

/// Prints the summary (JSON, or the table) and turns what went wrong into
/// the batch's error: filing first, then a lost summary, then failed and
/// skipped hires.
fn report(
    settings: &Settings,
    workspace: &Workspace,
    job: &Batch,
    finished: Finished,
    skipped: &roster::RosterProblems,
    changes: Changes,
) -> Result<(), Error> {
    let Finished {
        summary,
        filed,
        lost,
    } = finished;
    match (&lost, job.json) {
        (Some((json, _)), true) => print(&String::from_utf8_lossy(json))?,
        (None, true) => print_file(&job.out.join(SUMMARY))?,
        (_, false) => print(&workspace.renderer.render(
            render::BATCH_SUMMARY,
            &BatchTable::new(&summary, skipped.lines(), changes.shown, changes.count),
        )?)?,
    }
    filed?;
    if let Some((_, err)) = lost {
        return Err(match err {
            Error::Output(OutputError::Io { path, source }) => Error::SummaryLost {
                path,
                source,
                journal: settings.journal.clone(),
            },
            other => other,
        });
    }
    let totals = summary.totals();
    if totals.failures() > 0 {
        return Err(Error::Partial {
            failed: totals.failures(),
            total: totals.hires(),
        });
    }
    if summary.skipped() > 0 {
        return Err(Error::Skipped {
            skipped: summary.skipped(),
            total: skipped.total,
        });
    }
    Ok(())
}

/// Writes every entry and the totals.
fn summarize<W: Write>(
    mut writer: SummaryWriter<W>,
    entries: &[HireSummary],
) -> std::io::Result<(W, BatchSummary)> {
    for entry in entries {
        writer.push(entry)?;
    }
    writer.finish()
}

/// The hire's access request, when the batch files them. A hire who needs
/// one but has no manager is refused: the manager approves the request and
/// is assigned it. Checklists and onboarding issues do without.
fn request_of(
    workspace: &Workspace,
    plans: &Plans,
    job: &Batch,
    hire: &Hire,
) -> Result<Option<AccessRequest>, Refusal> {
    if !job.file_access {
        return Ok(None);
    }
    let plan = plans.role_plan(&hire.selection);
    access::plan(hire, &plan, &workspace.request_defaults).map_err(|err| match err {
        AccessError::Missing("manager", why) => Refusal::Row(FieldError::shape(
            Field::Manager,
            format!("is empty, and --file-access needs it: {why}"),
        )),
        other @ AccessError::Missing(..) => Refusal::Stop(other.into()),
    })
}

/// A hire ready to write, their file named after the ones before them.
fn planned(
    workspace: &Workspace,
    plans: &Plans,
    job: &Batch,
    line: usize,
    hire: Hire,
    names: &mut HashSet<String>,
) -> Result<Planned, Refusal> {
    let request = request_of(workspace, plans, job, &hire)?;
    Ok(Planned {
        line,
        file_name: unique_name(&hire.name.slug(), names),
        hire,
        request,
    })
}

/// Asks before filing, saying what and where.
fn confirm_filing(
    settings: &Settings,
    job: &Batch,
    filing: &settings::Filing,
    hires: usize,
    requests: usize,
) -> Result<(), Error> {
    filing.gitlab.token()?;
    let what = match (job.file_access, job.file_onboarding) {
        (true, true) => format!(
            "access requests for {requests} hires in {} and onboarding issues for {hires} in {}",
            filing.gitlab.project, filing.gitlab.onboarding_project
        ),
        (true, false) => format!(
            "access requests for {requests} hires in {}",
            filing.gitlab.project
        ),
        _ => format!(
            "onboarding issues for {hires} hires in {}",
            filing.gitlab.onboarding_project
        ),
    };
    let question = format!("File {what} on {}?", filing.gitlab.server);
    confirm_before(settings, "", &question, filing.yes)
}

/// Before anything is written into an existing folder: refuses the batch
/// when a hire's checklist or the summary would replace something other
/// than a regular file (a symbolic link, a folder), and, without
/// `--force`, when a checklist whose content changes is not what onboard
/// last wrote there (edited by hand, or never written by onboard); each is
/// named, with the hire's line. A checklist onboard wrote is rewritten
/// when its content changes and left alone when it does not, so a re-run
/// needs no `--force`.
fn check_what_is_there(
    workspace: &Workspace,
    plans: &Plans,
    pages: &ChecklistPages,
    job: &Batch,
    roster: &roster::Source,
    earlier: &Written,
) -> Result<(), Error> {
    let mut not_files = Vec::new();
    let mut conflicts = Vec::new();
    let mut names = HashSet::new();
    workspace.each_hire(roster, Some(job.window), false, |line, hire| {
        // The rows the batch skips take no name, as in the writing pass.
        request_of(workspace, plans, job, &hire)?;
        let name = unique_name(&hire.name.slug(), &mut names);
        let path = job.out.join(&name);
        if let Some(kind) = not_regular(&path) {
            not_files.push(format!(
                "{} is {kind} (the checklist of {}, line {line})",
                path.display(),
                hire.name
            ));
        } else if !job.force {
            if let Ok(current) = fs::read(&path) {
                let text = pages.render(&hire)?.0;
                let text = Redacted::of(&text);
                let edited = !earlier.by_onboard(&name, &current);
                if edited
                    && current != text.as_str().as_bytes()
                    && !earlier.kept_edit(&name, &current, &text)
                {
                    conflicts.push(name);
                }
            }
        }
        Ok(())
    })?;
    let summary = job.out.join(SUMMARY);
    if let Some(kind) = not_regular(&summary) {
        not_files.push(format!("{} is {kind}", summary.display()));
    }
    if !not_files.is_empty() {
        return Err(Error::NotRegular(not_files));
    }
    if !conflicts.is_empty() {
        return Err(Error::ChecklistsExist {
            out: job.out.clone(),
            names: conflicts,
        });
    }
    Ok(())
}

/// The summary could not be written.
fn summary_error(path: &std::path::Path, source: std::io::Error) -> Error {
    crate::output::OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

/// `ada-lovelace.md`, then `ada-lovelace-2.md` for the next Ada Lovelace.
fn unique_name(slug: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{slug}.md")
        } else {
            format!("{slug}-{n}.md")
        };
        if taken.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

/// Renders every checklist and hands it to `write`, on every core.
fn write_checklists(
    pages: &ChecklistPages,
    job: &Batch,
    planned: &[Planned],
    write: impl Fn(&Planned, &str) -> Result<(ChecklistStatus, String), Error> + Sync,
) -> Result<Vec<(HireSummary, String)>, Error> {
    let written = parallel::map(planned, parallel::cores(), |p| {
        let (text, tasks) = pages.render(&p.hire)?;
        Ok::<_, Error>((write(p, &text)?, tasks))
    });
    planned
        .iter()
        .zip(written)
        .map(|(p, result)| {
            let ((checklist_status, line), tasks) = result?;
            let hire = &p.hire;
            let entry = HireSummary {
                line: p.line,
                name: hire.name.to_string(),
                email: hire
                    .email
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                role: hire.role().to_string(),
                start: hire.start.to_string(),
                checklist: p.file_name.clone(),
                checklist_status,
                tasks,
                access: FilingSummary::new(if job.file_access && p.request.is_none() {
                    FilingStatus::NoneNeeded
                } else {
                    FilingStatus::NotFiled
                }),
                onboarding: job
                    .file_onboarding
                    .then(|| FilingSummary::new(FilingStatus::NotFiled)),
            };
            Ok((entry, line))
        })
        .collect()
}
