//! `onboard batch ROSTER --out DIR [--file-access] [--file-onboarding]`: every
//! hire's checklist and, optionally, their access requests and onboarding
//! issue, with every row checked first.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use crate::access::{self, AccessRequest};
use crate::hire::Hire;
use crate::output::{create_folder, print, write_atomically};
use crate::parallel;
use crate::plan::Plans;
use crate::render;
use crate::settings::{self, Settings};
use crate::view::{
    self, BatchSummary, ChecklistStatus, ChecklistView, FilingStatus, FilingSummary, HireSummary,
};
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
use crate::Error;

/// What `batch` was asked to do.
pub struct Job {
    /// The roster file.
    pub roster: PathBuf,
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

/// Runs the command.
pub fn run(settings: &Settings, job: &Job) -> Result<(), Error> {
    let workspace = Workspace::load(
        settings,
        &[
            render::CHECKLIST,
            render::BATCH_SUMMARY,
            render::ACCESS_REQUEST,
            render::ONBOARDING_ISSUE,
        ],
    )?;
    let shown = job.roster.display().to_string();
    let plans = workspace.plans();
    let planned = plan_all(&workspace, &plans, job, workspace.roster(&job.roster)?)?;
    // With --force nothing is refused, so existing files need no comparing here;
    // writing still leaves identical ones alone.
    let unchanged = if job.force {
        HashSet::new()
    } else {
        unchanged_files(&workspace, &plans, job, &planned)?
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
    create_folder(&job.out)?;
    let mut summaries = write_checklists(&workspace, &plans, job, &planned, &unchanged)?;
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
    write_atomically(&job.out.join("summary.json"), json.as_bytes(), true)?;
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

/// The checklist document of a hire.
fn render_one(workspace: &Workspace, plans: &Plans, hire: &Hire) -> Result<(String, usize), Error> {
    let checklist = plans.checklist(hire);
    let text = workspace
        .renderer
        .render(render::CHECKLIST, &ChecklistView::of(&checklist))?;
    Ok((text, checklist.task_count()))
}

/// The indexes of hires whose checklist already exists exactly as it would
/// be written. One that exists with other content is refused for the whole
/// batch, before anything is written; identical ones are left as they are,
/// so a re-run needs no `--force`.
fn unchanged_files(
    workspace: &Workspace,
    plans: &Plans,
    job: &Job,
    planned: &[Planned],
) -> Result<HashSet<usize>, Error> {
    let mut unchanged = HashSet::new();
    let mut conflicts = Vec::new();
    for (i, p) in planned.iter().enumerate() {
        let Ok(current) = fs::read(job.out.join(&p.file_name)) else {
            continue;
        };
        if current == render_one(workspace, plans, &p.hire)?.0.into_bytes() {
            unchanged.insert(i);
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

/// Renders and writes every checklist, one file at a time, on every core.
fn write_checklists(
    workspace: &Workspace,
    plans: &Plans,
    job: &Job,
    planned: &[Planned],
    unchanged: &HashSet<usize>,
) -> Result<Vec<HireSummary>, Error> {
    let indexed: Vec<(usize, &Planned)> = planned.iter().enumerate().collect();
    let written = parallel::map(&indexed, parallel::cores(), |(i, p)| {
        if unchanged.contains(i) {
            let tasks = plans.role_plan(&p.hire.selection).tasks.len();
            return Ok((ChecklistStatus::Unchanged, tasks));
        }
        let (text, tasks) = render_one(workspace, plans, &p.hire)?;
        let path = job.out.join(&p.file_name);
        if fs::read(&path).is_ok_and(|current| current == text.as_bytes()) {
            return Ok((ChecklistStatus::Unchanged, tasks));
        }
        write_atomically(&path, text.as_bytes(), true)?;
        Ok::<_, Error>((ChecklistStatus::Written, tasks))
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
