//! `onboard batch ROSTER --out DIR [--file-access] [--file-onboarding]`: every
//! hire's checklist and, optionally, their access requests and onboarding
//! issue, with every row checked first.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use crate::access::{self, AccessRequest};
use crate::hire::{Hire, StartWindow};
use crate::output::{
    create_folder, not_regular, print, print_file, write_atomically, AtomicFile, StagedFolder,
};
use crate::parallel;
use crate::plan::Plans;
use crate::render;
use crate::settings::{self, Settings};
use crate::view::{
    ChecklistPages, ChecklistStatus, FilingStatus, FilingSummary, HireSummary, SummaryWriter,
};
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
use crate::Error;

/// What `batch` was asked to do.
pub struct Job {
    /// The roster file.
    pub roster: PathBuf,
    /// How far from today a start may be.
    pub window: StartWindow,
    /// The output folder.
    pub out: PathBuf,
    /// Replace checklists that differ.
    pub force: bool,
    /// Where and how to file, when filing anything.
    pub filing: Option<settings::Filing>,
    /// File access requests.
    pub file_access: bool,
    /// File onboarding issues.
    pub file_onboarding: bool,
    /// Filing workers.
    pub jobs: usize,
    /// Print the summary as JSON.
    pub json: bool,
}

/// A hire ready to write: where their checklist goes and what they need.
pub struct Planned {
    line: usize,
    hire: Hire,
    file_name: String,
    request: Option<AccessRequest>,
}

mod file;

/// The batch's summary, next to the checklists.
const SUMMARY: &str = "summary.json";

/// How many hires are rendered and written together; only they are held
/// in memory at once, whatever the roster's length.
const CHUNK: usize = 256;

/// Runs the command: checks every row first (keeping nothing of them but
/// the problems), then reads the roster again and plans, renders and writes
/// each hire as their row comes, the summary growing with them. Filing
/// needs every hire at hand, so a filing batch keeps them for that.
pub fn run(settings: &Settings, job: &Job) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let plans = workspace.plans();
    let pages = ChecklistPages::new(&workspace.renderer, &plans);
    let window = Some(job.window);
    // The checking pass also counts the requests, for the question before filing.
    let mut requests = 0;
    let hires = workspace.each_hire(&job.roster, window, true, |_, hire| {
        if job.file_access {
            let plan = plans.role_plan(&hire.selection);
            if access::plan(&hire, &plan, &workspace.request_defaults)?.is_some() {
                requests += 1;
            }
        }
        Ok(())
    })?;
    // A fresh folder is filled under a temporary name and renamed into place.
    let fresh = !job.out.exists();
    if !fresh {
        check_what_is_there(&workspace, &pages, job)?;
    }
    if let Some(filing) = &job.filing {
        confirm_filing(settings, job, filing, hires, requests)?;
    }
    let staged = if fresh {
        Some(StagedFolder::create(&job.out)?)
    } else {
        create_folder(&job.out)?;
        None
    };
    let folder = staged
        .as_ref()
        .map_or(job.out.as_path(), StagedFolder::path);
    let summary_path = job.out.join(SUMMARY);
    let open_summary = |folder: &std::path::Path| -> Result<_, Error> {
        Ok(SummaryWriter::new(
            AtomicFile::create(&folder.join(SUMMARY))?,
            &job.roster.display().to_string(),
            &job.out.display().to_string(),
            job.file_access,
            job.file_onboarding,
        ))
    };
    // Without filing, the summary grows with the checklists; with it, it
    // is written once every hire is filed.
    let mut summary = if job.filing.is_none() {
        Some(open_summary(folder)?)
    } else {
        None
    };
    let write = |p: &Planned, text: &str| -> Result<ChecklistStatus, Error> {
        if let Some(staged) = &staged {
            staged.write(&p.file_name, text.as_bytes())?;
            return Ok(ChecklistStatus::Written);
        }
        let path = job.out.join(&p.file_name);
        if fs::read(&path).is_ok_and(|current| current == text.as_bytes()) {
            return Ok(ChecklistStatus::Unchanged);
        }
        write_atomically(&path, text.as_bytes(), true)?;
        Ok(ChecklistStatus::Written)
    };
    // Hires kept for filing, when filing.
    let mut kept: Vec<(Planned, HireSummary)> = Vec::new();
    let mut chunk: Vec<Planned> = Vec::with_capacity(CHUNK);
    let mut names = HashSet::new();
    let mut flush = |chunk: &mut Vec<Planned>| -> Result<(), Error> {
        let written = write_checklists(&pages, job, chunk, write)?;
        for (planned, entry) in chunk.drain(..).zip(written) {
            match summary.as_mut() {
                Some(summary) => summary
                    .push(&entry)
                    .map_err(|e| summary_error(&summary_path, e))?,
                None => kept.push((planned, entry)),
            }
        }
        Ok(())
    };
    workspace.each_hire(&job.roster, window, false, |line, hire| {
        chunk.push(planned(&workspace, &plans, job, line, hire, &mut names)?);
        if chunk.len() == CHUNK {
            flush(&mut chunk)?;
        }
        Ok(())
    })?;
    flush(&mut chunk)?;
    let publish = |staged: Option<StagedFolder>| -> Result<(), Error> {
        let differ = staged.map(StagedFolder::publish).transpose()?;
        match differ {
            Some(names) if !names.is_empty() => Err(Error::ChecklistsExist {
                out: job.out.clone(),
                names,
            }),
            _ => Ok(()),
        }
    };
    let mut outcome = Ok(());
    let summary = match (summary, &job.filing) {
        (Some(summary), _) => {
            let (file, summary) = summary
                .finish()
                .map_err(|e| summary_error(&summary_path, e))?;
            file.commit()?;
            publish(staged)?;
            summary
        }
        (None, filing) => {
            publish(staged)?;
            let (planned, mut entries): (Vec<Planned>, Vec<HireSummary>) = kept.into_iter().unzip();
            if let Some(filing) = filing {
                outcome = file::file_all(
                    settings,
                    &workspace,
                    &plans,
                    job,
                    &filing.gitlab,
                    &planned,
                    &mut entries,
                );
            }
            let mut summary = open_summary(&job.out)?;
            for entry in &entries {
                summary
                    .push(entry)
                    .map_err(|e| summary_error(&summary_path, e))?;
            }
            let (file, summary) = summary
                .finish()
                .map_err(|e| summary_error(&summary_path, e))?;
            file.commit()?;
            summary
        }
    };
    let totals = summary.totals().clone();
    if job.json {
        print_file(&summary_path)?;
    } else {
        print(&workspace.renderer.render(render::BATCH_SUMMARY, &summary)?)?;
    }
    outcome?;
    if totals.failures() > 0 {
        return Err(Error::Partial {
            failed: totals.failures(),
            total: totals.hires(),
        });
    }
    Ok(())
}

/// A hire ready to write, their file named after the ones before them.
fn planned(
    workspace: &Workspace,
    plans: &Plans,
    job: &Job,
    line: usize,
    hire: Hire,
    names: &mut HashSet<String>,
) -> Result<Planned, Error> {
    let request = if job.file_access {
        let plan = plans.role_plan(&hire.selection);
        access::plan(&hire, &plan, &workspace.request_defaults)?
    } else {
        None
    };
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
    job: &Job,
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
/// `--force`, when a checklist is there with other content; each is named,
/// with the hire's line. Identical checklists are left as they are, so a
/// re-run needs no `--force`.
fn check_what_is_there(
    workspace: &Workspace,
    pages: &ChecklistPages,
    job: &Job,
) -> Result<(), Error> {
    let mut not_files = Vec::new();
    let mut conflicts = Vec::new();
    let mut names = HashSet::new();
    workspace.each_hire(&job.roster, Some(job.window), false, |line, hire| {
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
                if current != pages.render(&hire)?.0.into_bytes() {
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
    job: &Job,
    planned: &[Planned],
    write: impl Fn(&Planned, &str) -> Result<ChecklistStatus, Error> + Sync,
) -> Result<Vec<HireSummary>, Error> {
    let written = parallel::map(planned, parallel::cores(), |p| {
        let (text, tasks) = pages.render(&p.hire)?;
        Ok::<_, Error>((write(p, &text)?, tasks))
    });
    planned
        .iter()
        .zip(written)
        .map(|(p, result)| {
            let (checklist_status, tasks) = result?;
            let hire = &p.hire;
            Ok(HireSummary {
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
            })
        })
        .collect()
}
