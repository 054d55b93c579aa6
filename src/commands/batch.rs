//! `onboard batch ROSTER --out DIR [--file-access]`: every hire's checklist and,
//! optionally, their access requests, with every row checked first.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::access::{self, AccessRequest, Filed, Filing, Journal};
use crate::catalog::Role;
use crate::cli::{BatchArgs, SourceArgs};
use crate::gitlab::{Connection, Token};
use crate::hire::FieldError;
use crate::output::{create_folder, print, write_atomically};
use crate::plan::{self, Checklist, People, PlanError};
use crate::render;
use crate::roster::{self, Entry};
use crate::Error;

use super::access::{confirm, named_systems};
use super::Workspace;

/// One hire's line in `summary.json`.
#[derive(Debug, Clone, Serialize)]
struct HireSummary {
    line: usize,
    name: String,
    email: String,
    role: String,
    start: String,
    checklist: String,
    checklist_status: &'static str,
    tasks: usize,
    access: AccessSummary,
}

/// What happened to one hire's access requests.
#[derive(Debug, Clone, Serialize)]
struct AccessSummary {
    status: &'static str,
    issues: Vec<access::FiledIssue>,
    error: Option<String>,
}

/// `summary.json`, and the context of `batch-summary.txt.hbs`.
#[derive(Debug, Serialize)]
struct Summary {
    roster: String,
    out: String,
    hires: usize,
    tasks: usize,
    checklists_written: usize,
    checklists_unchanged: usize,
    file_access: bool,
    requests_created: usize,
    requests_existing: usize,
    failures: usize,
    entries: Vec<HireSummary>,
}

/// A hire ready to write: where their checklist goes and what they need.
struct Planned {
    entry: Entry,
    file_name: String,
    request: Option<AccessRequest>,
}

/// Runs the command.
pub fn run(sources: &SourceArgs, args: BatchArgs) -> Result<(), Error> {
    let workspace = Workspace::load(
        sources,
        &[
            render::CHECKLIST,
            render::BATCH_SUMMARY,
            render::ACCESS_REQUEST,
        ],
    )?;
    let text = fs::read_to_string(&args.roster)
        .map_err(|e| Error::Usage(format!("cannot read roster {}: {e}", args.roster.display())))?;
    let roles = RoleCache::default();
    let planned = plan_all(
        &workspace,
        &roles,
        &args,
        roster::parse(&args.roster, &text),
    )?;
    // With --force nothing is refused, so existing files need no comparing here;
    // writing still leaves identical ones alone.
    let existing = if args.force {
        Existing::default()
    } else {
        existing_files(&workspace, &roles, &args, &planned)?
    };
    let connection_settings = if args.file_access {
        let settings = workspace.gitlab_settings(&args.gitlab)?;
        Token::from_env()?;
        let requests = planned.iter().filter(|p| p.request.is_some()).count();
        let question = format!(
            "File access requests for {requests} hires in {} on {}?",
            settings.project, settings.server
        );
        confirm("", &question, args.yes)?;
        Some(settings)
    } else {
        None
    };
    if !existing.conflicts.is_empty() {
        return Err(Error::Usage(format!(
            "{} checklists in {} already exist with other content ({}); pass --force to overwrite them; nothing was written",
            existing.conflicts.len(),
            args.out.display(),
            existing.conflicts.join(", ")
        )));
    }
    create_folder(&args.out)?;
    let mut summaries = write_checklists(&workspace, &roles, &args, &planned, &existing.unchanged)?;
    let mut outcome = Ok(());
    if let Some(settings) = connection_settings {
        outcome = file_all(&workspace, &args, settings, &planned, &mut summaries);
    }
    let summary = summarize(
        &args.roster.display().to_string(),
        &args.out.display().to_string(),
        args.file_access,
        summaries,
    );
    let mut json =
        serde_json::to_string_pretty(&summary).map_err(|e| Error::Unexpected(e.to_string()))?;
    json.push('\n');
    write_atomically(&args.out.join("summary.json"), json.as_bytes(), true)?;
    print(&workspace.renderer.render(render::BATCH_SUMMARY, &summary)?)?;
    outcome?;
    if summary.failures > 0 {
        return Err(Error::Partial {
            failed: summary.failures,
            total: summary.hires,
        });
    }
    Ok(())
}

/// Plans every well-formed hire; every problem, of shape or against the
/// catalogue, is reported against its roster line, all together.
fn plan_all(
    workspace: &Workspace,
    roles: &RoleCache,
    args: &BatchArgs,
    parsed: roster::Parsed,
) -> Result<Vec<Planned>, Error> {
    let shown = args.roster.display().to_string();
    let roster::Parsed {
        entries,
        mut problems,
    } = parsed;
    let defaults = workspace.request_defaults();
    let mut planned = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for entry in entries {
        // Only what can fail is checked here; the checklist itself is built
        // once, when it is written.
        let checked = roles.get(workspace, &entry.hire.role).and_then(|role| {
            let tools = plan::check(&entry.hire, &role, &workspace.catalog, &workspace.calendar)?;
            if !args.file_access {
                return Ok(None);
            }
            let people = People::of(&entry.hire);
            Ok(access::plan_for(
                &people,
                &role.name,
                entry.hire.start,
                &tools,
                &defaults,
            )?)
        });
        match checked {
            Ok(request) => {
                let file_name = unique_name(&entry.hire.name.slug(), &mut taken);
                planned.push(Planned {
                    entry,
                    file_name,
                    request,
                });
            }
            Err(err) => problems.push(roster::located(&shown, entry.line, &field_error(err))),
        }
    }
    problems.0.sort_by_key(|d| d.line);
    problems.into_result(planned).map_err(Error::Invalid)
}

/// Names a planning failure after the roster column it comes from.
fn field_error(err: Error) -> FieldError {
    let field = match &err {
        Error::UnknownRole(_) => "role",
        Error::Plan(PlanError::StartDate(_)) => "start_date",
        Error::Plan(PlanError::UnknownTool { flag, .. }) => flag,
        Error::Plan(_) => "without",
        _ => "row",
    };
    let message = err.to_string();
    let message = message
        .strip_prefix(&format!("{field}: "))
        .unwrap_or(&message)
        .to_string();
    FieldError { field, message }
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

/// What is already in the output folder.
#[derive(Default)]
struct Existing {
    /// Checklists that exist with other content: refused without `--force`.
    conflicts: Vec<String>,
    /// Indexes of the planned hires whose checklist exists exactly as it
    /// would be written, so writing can leave it without rendering it again.
    unchanged: HashSet<usize>,
}

/// Compares the checklists already in the output folder with what would be
/// written; identical ones are simply left as they are, so a re-run needs no
/// `--force`.
fn existing_files(
    workspace: &Workspace,
    roles: &RoleCache,
    args: &BatchArgs,
    planned: &[Planned],
) -> Result<Existing, Error> {
    let mut existing = Existing::default();
    for (i, p) in planned.iter().enumerate() {
        let Ok(current) = fs::read(args.out.join(&p.file_name)) else {
            continue;
        };
        if current == render_one(workspace, roles, &p.entry)?.0.into_bytes() {
            existing.unchanged.insert(i);
        } else {
            existing.conflicts.push(p.file_name.clone());
        }
    }
    Ok(existing)
}

/// Merged roles by id, resolved once and shared by the rendering threads.
#[derive(Default)]
struct RoleCache(Mutex<HashMap<String, Arc<Role>>>);

impl RoleCache {
    /// The dated checklist of a roster entry.
    fn checklist(&self, workspace: &Workspace, entry: &Entry) -> Result<Checklist, Error> {
        let role = self.get(workspace, &entry.hire.role)?;
        Ok(plan::checklist(
            &entry.hire,
            &role,
            &workspace.catalog,
            &workspace.calendar,
        )?)
    }

    fn get(&self, workspace: &Workspace, id: &str) -> Result<Arc<Role>, Error> {
        let mut roles = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(role) = roles.get(id) {
            return Ok(Arc::clone(role));
        }
        let role = Arc::new(workspace.catalog.role(id)?);
        roles.insert(id.to_string(), Arc::clone(&role));
        Ok(role)
    }
}

/// A hire's checklist document and its number of tasks.
fn render_one(
    workspace: &Workspace,
    roles: &RoleCache,
    entry: &Entry,
) -> Result<(String, usize), Error> {
    let checklist = roles.checklist(workspace, entry)?;
    let text = workspace.renderer.render(render::CHECKLIST, &checklist)?;
    Ok((text, checklist.task_count))
}

/// Renders one checklist and writes it, unless the file already holds exactly that.
fn write_one(
    workspace: &Workspace,
    roles: &RoleCache,
    args: &BatchArgs,
    p: &Planned,
) -> Result<Written, Error> {
    let (text, tasks) = render_one(workspace, roles, &p.entry)?;
    let path = args.out.join(&p.file_name);
    if fs::read(&path).is_ok_and(|current| current == text.as_bytes()) {
        return Ok(Written {
            status: "unchanged",
            tasks,
        });
    }
    write_atomically(&path, text.as_bytes(), true)?;
    Ok(Written {
        status: "written",
        tasks,
    })
}

/// What writing one checklist did.
struct Written {
    /// `written` or `unchanged`.
    status: &'static str,
    /// How many tasks it has.
    tasks: usize,
}

/// Renders and writes every checklist, one file at a time, on every core.
fn write_checklists(
    workspace: &Workspace,
    roles: &RoleCache,
    args: &BatchArgs,
    planned: &[Planned],
    unchanged: &HashSet<usize>,
) -> Result<Vec<HireSummary>, Error> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<Written, Error>>>> =
        planned.iter().map(|_| Mutex::new(None)).collect();
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(planned.len().max(1));
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = planned.get(i) else { break };
                let result = if unchanged.contains(&i) {
                    roles.checklist(workspace, &p.entry).map(|c| Written {
                        status: "unchanged",
                        tasks: c.task_count,
                    })
                } else {
                    write_one(workspace, roles, args, p)
                };
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    let mut summaries = Vec::with_capacity(planned.len());
    for (p, result) in planned.iter().zip(results) {
        let Written { status, tasks } = result
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err(Error::Unexpected("a checklist was not rendered".into())))?;
        let hire = &p.entry.hire;
        summaries.push(HireSummary {
            line: p.entry.line,
            name: hire.name.to_string(),
            email: hire
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            role: hire.role.clone(),
            start: hire.start.to_string(),
            checklist: p.file_name.clone(),
            checklist_status: status,
            tasks,
            access: AccessSummary {
                status: if args.file_access && p.request.is_none() {
                    "none needed"
                } else {
                    "not filed"
                },
                issues: Vec::new(),
                error: None,
            },
        });
    }
    Ok(summaries)
}

/// Files every hire's requests with `--jobs` workers sharing one connection
/// and one view of the rate limit. A failed hire does not stop the others.
fn file_all(
    workspace: &Workspace,
    args: &BatchArgs,
    settings: crate::gitlab::Settings,
    planned: &[Planned],
    summaries: &mut [HireSummary],
) -> Result<(), Error> {
    let token = Token::from_env()?;
    let connection = match Connection::open(&settings, token) {
        Ok(connection) => connection,
        Err(err) => {
            for summary in summaries
                .iter_mut()
                .filter(|s| s.access.status == "not filed")
            {
                summary.access.status = "failed";
                summary.access.error = Some(err.to_string());
            }
            return Err(err.into());
        }
    };
    let journal = Journal::open(&workspace.journal_path())?;
    let filing = Filing::new(&connection, &journal, &workspace.renderer);
    let work: Vec<(usize, &AccessRequest)> = planned
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.request.as_ref().map(|r| (i, r)))
        .collect();
    let progress = Progress::new(work.len() as u64);
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, Result<Filed, String>)>> = Mutex::default();
    thread::scope(|scope| {
        for _ in 0..usize::from(args.jobs).min(work.len().max(1)) {
            scope.spawn(|| {
                while let Some(&(i, request)) = work.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = filing.file(request).map_err(|e| e.to_string());
                    progress.report(&request.hire.name, &result);
                    outcomes
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, result));
                }
            });
        }
    });
    progress.finish();
    for (i, result) in outcomes.into_inner().unwrap_or_else(|e| e.into_inner()) {
        let summary = &mut summaries[i];
        match result {
            Ok(filed) => {
                summary.access.status = "filed";
                summary.access.issues = named_systems(&workspace.catalog, &filed).issues;
            }
            Err(error) => {
                summary.access.status = "failed";
                summary.access.error = Some(error);
            }
        }
    }
    Ok(())
}

/// A progress bar on a terminal, one plain line per hire elsewhere.
struct Progress {
    bar: Option<ProgressBar>,
    done: AtomicUsize,
    total: u64,
}

impl Progress {
    fn new(total: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
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
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                if let Err(error) = result {
                    bar.println(format!("failed {name}: {error}"));
                }
            }
            None => {
                let what = match result {
                    Ok(filed) => filed
                        .issues
                        .iter()
                        .map(|i| {
                            format!("{} {}", if i.created { "created" } else { "exists" }, i.url)
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    Err(error) => format!("failed: {error}"),
                };
                eprintln!("[{done}/{}] {name}: {what}", self.total);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A one-hire summary with a failed request, for checking the template.
pub(super) fn sample_summary(roster: &str, hire: &str, error: &str) -> impl Serialize {
    let entry = HireSummary {
        line: 2,
        name: hire.to_string(),
        email: String::new(),
        role: String::new(),
        start: String::new(),
        checklist: String::new(),
        checklist_status: "written",
        tasks: 1,
        access: AccessSummary {
            status: "failed",
            issues: Vec::new(),
            error: Some(error.to_string()),
        },
    };
    summarize(roster, "out", true, vec![entry])
}

fn summarize(roster: &str, out: &str, file_access: bool, entries: Vec<HireSummary>) -> Summary {
    let count = |created: bool| {
        entries
            .iter()
            .flat_map(|e| e.access.issues.iter())
            .filter(|i| i.created == created)
            .count()
    };
    Summary {
        roster: roster.to_string(),
        out: out.to_string(),
        hires: entries.len(),
        tasks: entries.iter().map(|e| e.tasks).sum(),
        checklists_written: entries
            .iter()
            .filter(|e| e.checklist_status == "written")
            .count(),
        checklists_unchanged: entries
            .iter()
            .filter(|e| e.checklist_status == "unchanged")
            .count(),
        file_access,
        requests_created: count(true),
        requests_existing: count(false),
        failures: entries
            .iter()
            .filter(|e| e.access.status == "failed")
            .count(),
        entries,
    }
}
