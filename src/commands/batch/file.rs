//! Filing a batch: every hire's access requests and onboarding issue, by
//! `--jobs` workers sharing one client (one rate-limit budget) and one
//! journal. A hire that fails does not stop the others; three hires in a row
//! that cannot reach GitLab stop the rest.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::access::{
    onboarding_key, AccessRequest, Desk, Document, Filed, Filing, FilingError, Wanted, Writes,
};
use crate::gitlab::Gitlab;
use crate::gitlab::Project;
use crate::onboarding::{self, OnboardingIssue};
use crate::output::{for_terminal, say};
use crate::parallel;
use crate::plan::Plans;
use crate::settings::{Batch, Settings};
use crate::view::{named_systems, FilingStatus, FilingSummary, HireSummary};
use crate::workspace::Workspace;
use crate::Error;

use super::Planned;

/// What filing one hire gave: their access requests and onboarding issue.
struct Outcome {
    access: Option<Result<Filed, String>>,
    onboarding: Option<Result<Filed, String>>,
}

/// Files what the job asks for; the summaries record each hire's result.
pub(super) fn file_all(
    settings: &Settings,
    workspace: &Workspace,
    plans: &Plans,
    job: &Batch,
    gitlab: &Gitlab,
    planned: &[Planned],
    summaries: &mut [HireSummary],
) -> Result<(), Error> {
    let desk = match Desk::open(gitlab, &settings.journal, Writes::Journal) {
        Ok(desk) => desk,
        Err(err) => return Err(fail_unfiled(summaries, err)),
    };
    let access_project = match desk.project(&gitlab.project) {
        Ok(project) => project,
        Err(err) => return Err(fail_unfiled(summaries, err)),
    };
    let onboarding_project = if job.file_onboarding {
        match desk.project(&gitlab.onboarding_project) {
            Ok(project) => Some(project),
            Err(err) => return Err(fail_unfiled(summaries, err)),
        }
    } else {
        None
    };
    let access_filing = desk.filing(&access_project, &workspace.renderer);
    let onboarding_filing = onboarding_project
        .as_ref()
        .map(|project| desk.filing(project, &workspace.renderer));
    // Every hire is looked up in one listing per project, not one search
    // each; what the batch creates is checked for duplicates once, at the end.
    let started = chrono::Utc::now() - chrono::Duration::minutes(SWEEP_MARGIN_MINUTES);
    let listed = access_filing.list_all::<AccessRequest>().and_then(|()| {
        onboarding_filing
            .as_ref()
            .map_or(Ok(()), Filing::list_all::<OnboardingIssue>)
    });
    if let Err(err) = listed {
        return Err(fail_unfiled(summaries, err));
    }
    let work: Vec<&Planned> = planned
        .iter()
        .filter(|p| (job.file_access && p.request.is_some()) || job.file_onboarding)
        .collect();
    let progress = Progress::new(work.len() as u64, settings.terminal.stderr);
    let breaker = Breaker::default();
    let outcomes = parallel::map(&work, job.jobs, |p| {
        let access = p
            .request
            .as_ref()
            .filter(|_| job.file_access)
            .map(|request| breaker.run(|| access_filing.file(request)));
        let onboarding = onboarding_filing
            .as_ref()
            .zip(onboarding_project.as_ref())
            .map(|(filing, project)| {
                breaker.run(|| {
                    let links = match &access {
                        Some(Ok(filed)) => onboarding::links_of(filed, &workspace.catalog),
                        _ => match &p.hire.email {
                            Some(email) => onboarding::find_access(
                                &access_filing,
                                email.as_str(),
                                &workspace.catalog,
                            )?,
                            None => Vec::new(),
                        },
                    };
                    let checklist = plans.checklist(&p.hire);
                    let issue =
                        OnboardingIssue::new(checklist, settings.onboarding_labels.clone(), links)
                            .expect("every roster row has a work email");
                    onboarding::file(filing, project, &access_project.info, &issue)
                })
            });
        let outcome = Outcome { access, onboarding };
        progress.report(p.hire.name.as_str(), &outcome);
        outcome
    });
    progress.finish();
    let mut outcomes = outcomes;
    sweep_all(
        (&access_filing, onboarding_filing.as_ref()),
        &work,
        &mut outcomes,
        started,
    );
    for (p, outcome) in work.iter().zip(outcomes) {
        if let Some(summary) = summaries.iter_mut().find(|s| s.line == p.line) {
            record_outcome(summary, outcome, workspace);
        }
    }
    Ok(())
}

/// Closes what this batch filed twice, in each project it filed in.
fn sweep_all(
    (access, onboarding): (&Filing<'_, Project<'_>>, Option<&Filing<'_, Project<'_>>>),
    work: &[&Planned],
    outcomes: &mut [Outcome],
    started: chrono::DateTime<chrono::Utc>,
) {
    let requests: Vec<(usize, Wanted)> = work
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.request.as_ref().map(|r| (i, Wanted::of(r))))
        .collect();
    sweep(access, outcomes, started, &requests);
    if let Some(filing) = onboarding {
        let keys: Vec<(usize, String)> = work
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, onboarding_key(p.hire.email.as_ref()?.as_str()))))
            .collect();
        let issues: Vec<(usize, Wanted)> = keys
            .iter()
            .map(|(i, key)| {
                let wanted = Wanted {
                    key,
                    legacy_key: None,
                    kind: OnboardingIssue::KIND,
                    what: OnboardingIssue::PLURAL,
                };
                (*i, wanted)
            })
            .collect();
        sweep(filing, outcomes, started, &issues);
    }
}

/// Puts what filing one hire gave into their summary.
fn record_outcome(summary: &mut HireSummary, outcome: Outcome, workspace: &Workspace) {
    if let Some(result) = outcome.access {
        record(&mut summary.access, result, workspace);
    }
    if let (Some(result), Some(onboarding)) = (outcome.onboarding, summary.onboarding.as_mut()) {
        record(onboarding, result, workspace);
    }
}

fn record(summary: &mut FilingSummary, result: Result<Filed, String>, workspace: &Workspace) {
    match result {
        Ok(filed) => {
            let named = named_systems(&workspace.catalog, &filed);
            summary.status = FilingStatus::Filed;
            summary.issues = named.issues;
            summary.events = named.events;
        }
        Err(error) => {
            summary.status = FilingStatus::Failed;
            summary.error = Some(error);
        }
    }
}

/// How far before the batch started its closing listing looks, so a server
/// clock behind ours still shows every issue the batch created.
const SWEEP_MARGIN_MINUTES: i64 = 10;

/// The batch's closing look: one listing of what was created since it
/// started, then each hire's duplicates closed in favour of the oldest and
/// added to what their filing did. A look that fails is a warning: every
/// issue is filed, and a re-run looks again.
fn sweep(
    filing: &Filing<'_, Project<'_>>,
    outcomes: &mut [Outcome],
    since: chrono::DateTime<chrono::Utc>,
    touched: &[(usize, Wanted)],
) {
    let nothing_new = outcomes.iter().all(|o| {
        o.access.iter().chain(o.onboarding.iter()).all(|r| {
            r.as_ref()
                .is_ok_and(|f| f.issues.iter().all(|i| !i.created))
        })
    });
    if touched.is_empty() || nothing_new {
        return;
    }
    let wanted: Vec<Wanted> = touched.iter().map(|(_, w)| w.clone()).collect();
    match filing.sweep(&wanted, since) {
        Ok(closed) => {
            for ((i, one), events) in touched.iter().zip(closed) {
                let result = match one.kind {
                    OnboardingIssue::KIND => outcomes[*i].onboarding.as_mut(),
                    _ => outcomes[*i].access.as_mut(),
                };
                if let Some(Ok(filed)) = result {
                    filed.events.extend(events);
                }
            }
        }
        Err(err) => say(&format!(
            "warning: could not look for duplicates once every hire was filed: {err}; a re-run looks again"
        )),
    }
}

/// Marks everything not filed yet as failed with `err`, which stopped them all.
fn fail_unfiled(summaries: &mut [HireSummary], err: impl Into<Error> + std::fmt::Display) -> Error {
    for summary in summaries.iter_mut() {
        for filing in std::iter::once(&mut summary.access).chain(summary.onboarding.as_mut()) {
            if filing.status == FilingStatus::NotFiled {
                filing.status = FilingStatus::Failed;
                filing.error = Some(err.to_string());
            }
        }
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
    last: Mutex<String>,
}

impl Breaker {
    /// Files one thing, unless the breaker has tripped; the error is the message.
    fn run(&self, file: impl FnOnce() -> Result<Filed, FilingError>) -> Result<Filed, String> {
        if self.in_a_row.load(Ordering::SeqCst) >= BREAKER_LIMIT {
            let last = self
                .last
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
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
                    message.clone_into(
                        &mut self
                            .last
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner),
                    );
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
    /// How many hires are done; held while printing, so lines come in order.
    done: Mutex<usize>,
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
            done: Mutex::new(0),
            total,
        }
    }

    /// What happened to one hire, in a few words.
    fn describe(result: &Result<Filed, String>) -> Vec<String> {
        match result {
            Ok(filed) => filed
                .issues
                .iter()
                .map(|i| format!("{} {}", if i.created { "created" } else { "exists" }, i.url))
                .chain(filed.events.iter().map(ToString::to_string))
                .collect(),
            Err(error) => vec![format!("failed: {error}")],
        }
    }

    fn report(&self, name: &str, outcome: &Outcome) {
        let mut done = self
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *done += 1;
        let parts: Vec<String> = outcome
            .access
            .iter()
            .chain(outcome.onboarding.iter())
            .flat_map(Self::describe)
            .collect();
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                for part in parts.iter().filter(|p| {
                    p.starts_with("failed")
                        || p.starts_with("warning")
                        || p.starts_with("closed")
                        || p.starts_with("updated")
                }) {
                    bar.println(for_terminal(&format!("{name}: {part}")));
                }
            }
            None => say(&format!(
                "[{done}/{}] {name}: {}",
                self.total,
                parts.join(", ")
            )),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
