//! `onboard batch ROSTER --out DIR [--file-access] [--file-onboarding]`: every
//! hire's checklist and, optionally, their access requests and onboarding
//! issue, with every row checked first.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use crate::access::{self, AccessRequest};
use crate::hire::{Hire, StartWindow};
use crate::output::{create_folder, not_regular, print, write_atomically, StagedFolder};
use crate::parallel;
use crate::plan::Plans;
use crate::render;
use crate::settings::{self, Settings};
use crate::view::{
    self, BatchSummary, ChecklistPages, ChecklistStatus, FilingStatus, FilingSummary, HireSummary,
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

/// Runs the command.
pub fn run(settings: &Settings, job: &Job) -> Result<(), Error> {
    let workspace = Workspace::load(
        settings,
        &[
            render::CHECKLIST,
            render::CHECKLIST_TOOLS,
            render::BATCH_SUMMARY,
            render::ACCESS_REQUEST,
            render::ONBOARDING_ISSUE,
        ],
    )?;
    let shown = job.roster.display().to_string();
    let plans = workspace.plans();
    let pages = ChecklistPages::new(&workspace.renderer, &plans);
    let planned = plan_all(
        &workspace,
        &plans,
        job,
        workspace.roster(&job.roster, Some(job.window))?,
    )?;
    // A fresh folder is filled under a temporary name and renamed into place.
    let fresh = !job.out.exists();
    if !fresh {
        refuse_what_is_not_a_file(job, &planned)?;
    }
    // With --force nothing is refused, so existing files need no comparing here;
    // writing still leaves identical ones alone.
    let unchanged = if job.force || fresh {
        HashSet::new()
    } else {
        unchanged_files(&pages, job, &planned)?
    };
    if let Some(filing) = &job.filing {
        filing.gitlab.token()?;
        let requests = planned.iter().filter(|p| p.request.is_some()).count();
        let what = match (job.file_access, job.file_onboarding) {
            (true, true) => format!(
                "access requests for {requests} hires in {} and onboarding issues for {} in {}",
                filing.gitlab.project,
                planned.len(),
                filing.gitlab.onboarding_project
            ),
            (true, false) => format!(
                "access requests for {requests} hires in {}",
                filing.gitlab.project
            ),
            _ => format!(
                "onboarding issues for {} hires in {}",
                planned.len(),
                filing.gitlab.onboarding_project
            ),
        };
        let question = format!("File {what} on {}?", filing.gitlab.server);
        confirm_before(settings, "", &question, filing.yes)?;
    }
    let mut summaries = if fresh {
        let staged = StagedFolder::create(&job.out)?;
        let summaries = write_checklists(&pages, job, &planned, |p, text| {
            staged.write(&p.file_name, text.as_bytes())?;
            Ok(ChecklistStatus::Written)
        })?;
        let differ = staged.publish()?;
        if !differ.is_empty() {
            return Err(Error::ChecklistsExist {
                out: job.out.clone(),
                names: differ,
            });
        }
        summaries
    } else {
        create_folder(&job.out)?;
        write_checklists(&pages, job, &planned, |p, text| {
            let path = job.out.join(&p.file_name);
            if unchanged.contains(&p.line)
                || fs::read(&path).is_ok_and(|current| current == text.as_bytes())
            {
                return Ok(ChecklistStatus::Unchanged);
            }
            write_atomically(&path, text.as_bytes(), true)?;
            Ok(ChecklistStatus::Written)
        })?
    };
    let mut outcome = Ok(());
    if let Some(filing) = &job.filing {
        outcome = file::file_all(
            settings,
            &workspace,
            &plans,
            job,
            &filing.gitlab,
            &planned,
            &mut summaries,
        );
    }
    let summary = BatchSummary::of(
        &shown,
        &job.out.display().to_string(),
        job.file_access,
        job.file_onboarding,
        summaries,
    );
    let json = view::to_json(&summary)?;
    write_atomically(&job.out.join(SUMMARY), json.as_bytes(), true)?;
    if job.json {
        print(&json)?;
    } else {
        print(&workspace.renderer.render(render::BATCH_SUMMARY, &summary)?)?;
    }
    outcome?;
    if summary.failures() > 0 {
        return Err(Error::Partial {
            failed: summary.failures(),
            total: summary.hires(),
        });
    }
    Ok(())
}

/// Plans every hire of the roster.
fn plan_all(
    workspace: &Workspace,
    plans: &Plans,
    job: &Job,
    hires: Vec<(usize, Hire)>,
) -> Result<Vec<Planned>, Error> {
    let mut taken: HashSet<String> = HashSet::new();
    hires
        .into_iter()
        .map(|(line, hire)| {
            let request = if job.file_access {
                let plan = plans.role_plan(&hire.selection);
                access::plan(&hire, &plan, &workspace.request_defaults)?
            } else {
                None
            };
            let file_name = unique_name(&hire.name.slug(), &mut taken);
            Ok(Planned {
                line,
                hire,
                file_name,
                request,
            })
        })
        .collect()
}

/// Refuses the batch, before anything is written, when a hire's checklist
/// or the summary would replace something other than a regular file (a
/// symbolic link, a folder): naming each, with the hire's line.
fn refuse_what_is_not_a_file(job: &Job, planned: &[Planned]) -> Result<(), Error> {
    let mut found: Vec<String> = planned
        .iter()
        .filter_map(|p| {
            let path = job.out.join(&p.file_name);
            not_regular(&path).map(|kind| {
                format!(
                    "{} is {kind} (the checklist of {}, line {})",
                    path.display(),
                    p.hire.name,
                    p.line
                )
            })
        })
        .collect();
    let summary = job.out.join(SUMMARY);
    if let Some(kind) = not_regular(&summary) {
        found.push(format!("{} is {kind}", summary.display()));
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::NotRegular(found))
    }
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

/// The roster lines of hires whose checklist already exists exactly as it would
/// be written. One that exists with other content is refused for the whole
/// batch, before anything is written; identical ones are left as they are,
/// so a re-run needs no `--force`.
fn unchanged_files(
    pages: &ChecklistPages,
    job: &Job,
    planned: &[Planned],
) -> Result<HashSet<usize>, Error> {
    let mut unchanged = HashSet::new();
    let mut conflicts = Vec::new();
    for p in planned {
        let Ok(current) = fs::read(job.out.join(&p.file_name)) else {
            continue;
        };
        if current == pages.render(&p.hire)?.0.into_bytes() {
            unchanged.insert(p.line);
        } else {
            conflicts.push(p.file_name.clone());
        }
    }
    if conflicts.is_empty() {
        Ok(unchanged)
    } else {
        Err(Error::ChecklistsExist {
            out: job.out.clone(),
            names: conflicts,
        })
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
