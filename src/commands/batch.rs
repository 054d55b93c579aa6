//! `onboard batch ROSTER --out DIR [--file-access]`: every hire's checklist and,
//! optionally, their access requests, with every row checked first.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use crate::access::{self, AccessRequest, Filed, Filing, FilingError, Journal, Policy};
use crate::diagnostic::Diagnostic;
use crate::gitlab::{Client, GitlabError};
use crate::hire::Hire;
use crate::output::{create_folder, print, say, write_atomically};
use crate::parallel;
use crate::plan::Plans;
use crate::render;
use crate::roster;
use crate::settings::{self, Settings};
use crate::view::{
    self, named_systems, AccessStatus, AccessSummary, BatchSummary, ChecklistStatus, ChecklistView,
    HireSummary,
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
    /// Also file access requests.
    pub filing: Option<settings::Filing>,
    /// Filing workers.
    pub jobs: usize,
}

/// A hire ready to write: where their checklist goes and what they need.
struct Planned {
    line: usize,
    hire: Hire,
    file_name: String,
    request: Option<AccessRequest>,
}

/// Runs the command.
pub fn run(settings: &Settings, job: &Job) -> Result<(), Error> {
    let workspace = Workspace::load(
        settings,
        &[
            render::CHECKLIST,
            render::BATCH_SUMMARY,
            render::ACCESS_REQUEST,
        ],
    )?;
    let bytes = fs::read(&job.roster).map_err(|source| Error::Input {
        path: job.roster.clone(),
        source,
    })?;
    let shown = job.roster.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Invalid(
            Diagnostic::file(
                &shown,
                "the roster is not UTF-8 text; save it as CSV (UTF-8) or YAML",
            )
            .into(),
        )
    })?;
    let plans = workspace.plans();
    let planned = plan_all(&workspace, &plans, job, roster::parse(&job.roster, &text))?;
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
        let question = format!(
            "File access requests for {requests} hires in {} on {}?",
            filing.gitlab.project, filing.gitlab.server
        );
        confirm_before(settings, "", &question, filing.yes)?;
    }
    create_folder(&job.out)?;
    let mut summaries = write_checklists(&workspace, &plans, job, &planned, &unchanged)?;
    let mut outcome = Ok(());
    if let Some(filing) = &job.filing {
        outcome = file_all(
            settings,
            &workspace,
            job,
            &filing.gitlab,
            &planned,
            &mut summaries,
        );
    }
    let summary = BatchSummary::of(
        &shown,
        &job.out.display().to_string(),
        job.filing.is_some(),
        summaries,
    );
    write_atomically(
        &job.out.join("summary.json"),
        view::to_json(&summary)?.as_bytes(),
        true,
    )?;
    print(&workspace.renderer.render(render::BATCH_SUMMARY, &summary)?)?;
    outcome?;
    if summary.failures() > 0 {
        return Err(Error::Partial {
            failed: summary.failures(),
            total: summary.hires(),
        });
    }
    Ok(())
}

/// Checks every well-formed row against the catalogue and plans it; every
/// problem, of shape or against the catalogue, is reported against its
/// roster line, all together.
fn plan_all(
    workspace: &Workspace,
    plans: &Plans,
    job: &Job,
    parsed: roster::Parsed,
) -> Result<Vec<Planned>, Error> {
    let shown = job.roster.display().to_string();
    let roster::Parsed {
        entries,
        mut problems,
    } = parsed;
    let mut planned = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for entry in entries {
        let hire = match workspace.resolve(entry.hire) {
            Ok(hire) => hire,
            Err(errors) => {
                for error in &errors.0 {
                    problems.push(roster::located(&shown, entry.line, error));
                }
                continue;
            }
        };
        let request = match &job.filing {
            Some(_) => {
                let plan = plans.role_plan(&hire.selection);
                access::plan(&hire, &plan, &workspace.request_defaults)?
            }
            None => None,
        };
        let file_name = unique_name(&hire.name.slug(), &mut taken);
        planned.push(Planned {
            line: entry.line,
            hire,
            file_name,
            request,
        });
    }
    problems.0.sort_by_key(|d| d.line);
    problems.into_result(planned).map_err(Error::Invalid)
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
    let checklist = plans.checklist(hire, &workspace.calendar);
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
                access: AccessSummary {
                    status: if job.filing.is_some() && p.request.is_none() {
                        AccessStatus::NoneNeeded
                    } else {
                        AccessStatus::NotFiled
                    },
                    issues: Vec::new(),
                    events: Vec::new(),
                    error: None,
                },
            })
        })
        .collect()
}

/// Files every hire's requests with `--jobs` workers sharing one connection
/// and one view of the rate limit. A failed hire does not stop the others.
fn file_all(
    settings: &Settings,
    workspace: &Workspace,
    job: &Job,
    gitlab: &settings::Gitlab,
    planned: &[Planned],
    summaries: &mut [HireSummary],
) -> Result<(), Error> {
    let opened = Client::open(&gitlab.server, gitlab.token()?, &gitlab.timing);
    let client = match opened {
        Ok(client) => client,
        Err(err) => return Err(fail_unfiled(summaries, err)),
    };
    let project = match client.project(&gitlab.project) {
        Ok(project) => project,
        Err(err) => return Err(fail_unfiled(summaries, err)),
    };
    let journal = Journal::open(&settings.journal)?;
    let policy = Policy::new(gitlab, &client.user.username);
    let filing = Filing::new(&project, &journal, &workspace.renderer, policy);
    let work: Vec<(usize, &AccessRequest)> = planned
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.request.as_ref().map(|r| (i, r)))
        .collect();
    let progress = Progress::new(work.len() as u64, settings.terminal.stderr);
    let breaker = Breaker::default();
    let outcomes = parallel::map(&work, job.jobs, |(_, request)| {
        let result = breaker.run(|| filing.file(*request));
        progress.report(&request.hire.name, &result);
        result
    });
    progress.finish();
    for ((i, _), result) in work.iter().zip(outcomes) {
        let summary = &mut summaries[*i];
        match result {
            Ok(filed) => {
                summary.access.status = AccessStatus::Filed;
                let named = named_systems(&workspace.catalog, &filed);
                summary.access.issues = named.issues;
                summary.access.events = named.events;
            }
            Err(error) => {
                summary.access.status = AccessStatus::Failed;
                summary.access.error = Some(error);
            }
        }
    }
    Ok(())
}

/// Marks every hire not filed yet as failed with `err`, which stopped them all.
fn fail_unfiled(summaries: &mut [HireSummary], err: GitlabError) -> Error {
    for summary in summaries
        .iter_mut()
        .filter(|s| s.access.status == AccessStatus::NotFiled)
    {
        summary.access.status = AccessStatus::Failed;
        summary.access.error = Some(err.to_string());
    }
    err.into()
}

/// After this many hires in a row could not reach GitLab, the rest are not tried.
const BREAKER_LIMIT: u32 = 3;

/// Stops a batch that keeps meeting network failures, instead of waiting
/// out a timeout for every hire.
#[derive(Default)]
struct Breaker {
    in_a_row: AtomicU32,
    last: std::sync::Mutex<String>,
}

impl Breaker {
    /// Files one hire, unless the breaker has tripped; the error is the message.
    fn run(&self, file: impl FnOnce() -> Result<Filed, FilingError>) -> Result<Filed, String> {
        if self.in_a_row.load(Ordering::SeqCst) >= BREAKER_LIMIT {
            let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            return Err(format!(
                "not tried: {BREAKER_LIMIT} hires in a row could not reach GitLab (last: {last}); re-run when it answers"
            ));
        }
        match file() {
            Ok(filed) => {
                self.in_a_row.store(0, Ordering::SeqCst);
                Ok(filed)
            }
            Err(err) => {
                let message = err.to_string();
                if err.is_network() {
                    self.in_a_row.fetch_add(1, Ordering::SeqCst);
                    message.clone_into(&mut self.last.lock().unwrap_or_else(|e| e.into_inner()));
                } else {
                    self.in_a_row.store(0, Ordering::SeqCst);
                }
                Err(message)
            }
        }
    }
}

/// A progress bar on a terminal, one plain line per hire elsewhere.
struct Progress {
    bar: Option<ProgressBar>,
    done: AtomicUsize,
    total: u64,
}

impl Progress {
    fn new(total: u64, terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let bar = ProgressBar::new(total);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} hires filed {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            done: AtomicUsize::new(0),
            total,
        }
    }

    fn report(&self, name: &str, result: &Result<Filed, String>) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            match result {
                Err(error) => {
                    bar.println(crate::output::redact(&format!("failed {name}: {error}")))
                }
                Ok(filed) => {
                    for event in &filed.events {
                        bar.println(crate::output::redact(&format!("{name}: {event}")));
                    }
                }
            }
        } else {
            let what = match result {
                Ok(filed) => filed
                    .issues
                    .iter()
                    .map(|i| format!("{} {}", if i.created { "created" } else { "exists" }, i.url))
                    .chain(filed.events.iter().map(ToString::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                Err(error) => format!("failed: {error}"),
            };
            say(&format!("[{done}/{}] {name}: {what}", self.total));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
