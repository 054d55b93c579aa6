//! `onboard status`: every hire's onboarding progress and access requests,
//! read back from GitLab; as a table, JSON or a page; and reminders for
//! overdue work, at most one a day per hire.

use std::sync::{Mutex, PoisonError};

use crate::access::Document;
use crate::access::{
    legacy_key, onboarding_key, request_key, AccessRequest, Desk, Event, Filing, FilingError,
    Marker, Movers, MoversCache, Policy, Wanted, Writes,
};
use crate::catalog::AccessMode;
use crate::gitlab::Vouchers;
use crate::gitlab::{GitlabError, Issue, Note, Project};
use crate::hire::{Email, Hire, HireFields};
use crate::lifecycle::expiry::Stage;
use crate::lifecycle::{self, kind};
use crate::onboarding::OnboardingIssue;
use crate::output::{print, say, write_atomically};
use crate::render;
use crate::settings::{Settings, Status, Subjects};
use crate::status::{
    assess, is_reminder_for, verify, AccessState, Evidence, HireStatus, MayMove, Reminder, TaskRef,
    Unverified,
};
use crate::view::{to_json, StatusPage, StatusReport, StatusTable};
use crate::wizard::confirm_before;
use crate::workspace::Workspace;
use crate::{parallel, Error};

/// One hire to report on: known from a roster or flags, or by email alone.
struct Subject {
    email: String,
    hire: Option<Hire>,
}

/// Runs the command.
pub(super) fn run(settings: &Settings, status: &Status) -> Result<(), Error> {
    let workspace = Workspace::load_for(
        settings,
        if status.json {
            &[]
        } else {
            &[render::STATUS_TABLE]
        },
    )?;
    let subjects = subjects(&workspace, &status.subjects)?;
    let gitlab = &status.gitlab;
    let desk = Desk::open(gitlab, &settings.journal, Writes::Nothing)?;
    let onboarding = desk.project(&gitlab.onboarding_project)?;
    let access_project = desk.project(&gitlab.project)?;
    // The offboarding project may not exist (no leavers then); it is not
    // looked up on its own: its first listing's 404 says so.
    let offboarding = desk.unread_project(&settings.lifecycle.offboarding_project);
    let policy = desk.policy();
    let mut reader = Reader {
        workspace: &workspace,
        offboarding: Some(desk.filing(&offboarding, &workspace.renderer)),
        onboarding: desk.filing(&onboarding, &workspace.renderer),
        access: desk.filing(&access_project, &workspace.renderer),
        access_project: &access_project,
        movers: Mutex::new(MoversCache::open(&settings.journal)),
        policy,
        vouchers: &gitlab.vouchers,
        as_of: status.as_of,
    };
    if subjects.len() > 1 {
        reader.list_in_bulk()?;
    }
    let read = parallel::map(&subjects, status.jobs, |s| reader.read(s));
    reader
        .movers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .save();
    let mut hires = Vec::with_capacity(read.len());
    for result in read {
        hires.push(result?);
    }
    show(settings, &workspace, status, &hires)?;
    if let Some(dry_run) = status.remind {
        remind(
            settings,
            &workspace,
            &onboarding,
            policy,
            status,
            &hires,
            dry_run,
        )?;
    }
    if let Some(dry_run) = status.remind {
        remind_expiring(&workspace, &access_project, policy, status, &hires, dry_run)?;
    }
    let overdue = hires.iter().filter(|h| h.has_overdue()).count();
    if status.fail_on_overdue && overdue > 0 {
        return Err(Error::Overdue { hires: overdue });
    }
    Ok(())
}

/// Prints the report (a table, or JSON) and writes the page when asked.
fn show(
    settings: &Settings,
    workspace: &Workspace,
    status: &Status,
    hires: &[HireStatus],
) -> Result<(), Error> {
    if status.json {
        print(&to_json(&StatusReport {
            as_of: status.as_of,
            hires,
        })?)?;
    } else {
        let table = StatusTable::of(hires, status.as_of, settings.color);
        print(&workspace.renderer.render(render::STATUS_TABLE, &table)?)?;
    }
    if let Some(path) = &status.html {
        let page = workspace
            .renderer
            .render(render::STATUS_PAGE, &StatusPage::of(hires, status.as_of))?;
        write_atomically(path, page.as_bytes(), true).map_err(|e| e.for_flag("--html"))?;
        say(&format!("Wrote the status page to {}", path.display()));
    }
    Ok(())
}

/// Whose status, each checked against the catalogue.
fn subjects(workspace: &Workspace, subjects: &Subjects) -> Result<Vec<Subject>, Error> {
    let known = |hire: Hire| {
        hire.email.as_ref().map(|email| Subject {
            email: email.to_string(),
            hire: Some(hire.clone()),
        })
    };
    Ok(match subjects {
        Subjects::Roster(path) => workspace
            .roster(path, None)?
            .into_iter()
            .filter_map(|(_, hire)| known(hire))
            .collect(),
        Subjects::One(fields) => known(workspace.resolve(HireFields::clone(fields))?)
            .into_iter()
            .collect(),
        Subjects::Email(email) => vec![Subject {
            email: Email::to_string(email),
            hire: None,
        }],
    })
}

/// Reads each hire's issues.
struct Reader<'a> {
    workspace: &'a Workspace,
    onboarding: Filing<'a, Project<'a>>,
    offboarding: Option<Filing<'a, Project<'a>>>,
    access: Filing<'a, Project<'a>>,
    access_project: &'a Project<'a>,
    /// Who moved which request, as read before.
    movers: Mutex<MoversCache>,
    policy: &'a Policy,
    vouchers: &'a Vouchers,
    as_of: chrono::NaiveDate,
}

impl Reader<'_> {
    /// A roster: one listing per project, then every hire from memory. An
    /// offboarding project that is not there has no leavers.
    fn list_in_bulk(&mut self) -> Result<(), FilingError> {
        self.onboarding.list_kinds(
            &[OnboardingIssue::KIND, kind::MOBILITY],
            "onboarding and career-mobility issues",
        )?;
        self.access.list_kinds(
            &[AccessRequest::KIND, kind::REMOVAL],
            "access requests and removals",
        )?;
        if let Some(filing) = &self.offboarding {
            match filing.list_kinds(&[kind::OFFBOARDING], "offboarding issues") {
                Err(err) if no_project(&err) => self.offboarding = None,
                other => other?,
            }
        }
        Ok(())
    }

    /// Says which issues carry the hire's marker but were ignored, as the
    /// filing commands do.
    fn warn(events: &[Event]) {
        for event in events {
            if let Event::Untrusted { .. } = event {
                say(&event.to_string());
            }
        }
    }

    /// What each access request's progress is worth, counting only those
    /// who may give it; label histories are read only for requests whose
    /// labels claim progress and that changed since they were last read.
    fn verified(
        &self,
        access: &[(Issue, Marker)],
    ) -> Result<Vec<(u64, AccessState, Option<Unverified>)>, FilingError> {
        let catalog = &self.workspace.catalog;
        let mut verified = Vec::new();
        for (issue, marker) in access.iter().filter(|(i, _)| Movers::needed(i)) {
            let cached = self
                .movers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(issue);
            let movers = if let Some(movers) = cached {
                movers
            } else {
                let events = self.access_project.label_events(issue.iid)?;
                let movers = Movers::of(issue, &events);
                self.movers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .put(issue, &movers);
                movers
            };
            let teams: Vec<&str> = marker
                .systems
                .iter()
                .filter_map(|id| catalog.find_tool(id).ok())
                .map(|id| catalog.tool(&id).provisioner.id.as_str())
                .collect();
            let may = MayMove {
                trusted: &self.policy.trusted,
                approvers: issue
                    .assignees
                    .iter()
                    .map(|u| u.username.as_str())
                    .chain(self.vouchers.approvers.iter().map(String::as_str))
                    .collect(),
                provisioners: teams
                    .iter()
                    .filter_map(|team| self.vouchers.provisioners.get(*team))
                    .flatten()
                    .map(String::as_str)
                    .collect(),
            };
            let (state, claim) = verify(issue, &movers, &may);
            verified.push((issue.iid, state, claim));
        }
        Ok(verified)
    }

    /// A person's newest offboarding and Access Removal issues, and whether
    /// they have a career-mobility issue.
    fn moves(&self, email: &str) -> Result<(Option<Issue>, Option<Issue>, bool), FilingError> {
        let newest = |filing: &Filing<'_, Project<'_>>, kind: &'static str, what: &'static str| {
            let key = lifecycle::key(kind, email);
            let (issues, events) = filing.issues(&Wanted {
                key: &key,
                legacy_key: None,
                kind,
                what,
            })?;
            Self::warn(&events);
            Ok::<_, FilingError>(issues.into_iter().map(|(issue, _)| issue).next_back())
        };
        let offboarding = match &self.offboarding {
            Some(filing) => match newest(filing, kind::OFFBOARDING, "offboarding issues") {
                Err(err) if no_project(&err) => None,
                other => other?,
            },
            None => None,
        };
        let removal = newest(&self.access, kind::REMOVAL, "access removal issues")?;
        let moved = newest(&self.onboarding, kind::MOBILITY, "career-mobility issues")?.is_some();
        Ok((offboarding, removal, moved))
    }

    fn read(&self, subject: &Subject) -> Result<HireStatus, FilingError> {
        let key = onboarding_key(&subject.email);
        let (issues, events) = self.onboarding.issues(&Wanted {
            key: &key,
            legacy_key: None,
            kind: "onboarding",
            what: "onboarding issues",
        })?;
        Self::warn(&events);
        let onboarding_all = issues.clone();
        let onboarding = pick(issues);
        let key = request_key(&subject.email);
        let legacy = subject
            .hire
            .as_ref()
            .map(|h| legacy_key(&subject.email, h.start));
        let (access, events) = self.access.issues(&Wanted {
            key: &key,
            legacy_key: legacy.as_deref(),
            kind: "request",
            what: "access requests",
        })?;
        Self::warn(&events);
        let verified = self.verified(&access)?;
        let (offboarding, removal, moved) = self.moves(&subject.email)?;
        let mut evidence = Evidence {
            offboarding,
            removal,
            moved,
            name: subject.hire.as_ref().map(|h| h.name.to_string()),
            email: subject.email.clone(),
            role: subject.hire.as_ref().map(|h| h.role().to_string()),
            start: subject.hire.as_ref().map(|h| h.start),
            onboarding,
            onboarding_all,
            access,
            verified,
            ..Evidence::default()
        };
        let catalog = &self.workspace.catalog;
        let plans = self.workspace.plans();
        let selection = subject
            .hire
            .as_ref()
            .map(|h| h.selection.clone())
            .or_else(|| {
                let marker = evidence.onboarding.as_ref().map(|(_, m)| m)?;
                let role = catalog.find_role(marker.role.as_deref()?).ok()?;
                Some(crate::hire::Selection {
                    role,
                    with: Vec::new(),
                    without: Vec::new(),
                })
            });
        if let Some(selection) = selection {
            let plan = plans.role_plan(&selection);
            evidence.planned = plan
                .tools
                .iter()
                .filter(|t| t.tool.access == AccessMode::AccessRequest)
                .map(|t| (t.tool.id.to_string(), t.tool.name.clone()))
                .collect();
            if let (None, Some(hire)) = (&evidence.onboarding, &subject.hire) {
                let checklist = crate::plan::checklist(hire, plan);
                evidence.planned_tasks = checklist
                    .tasks()
                    .map(|t| TaskRef {
                        task: t.title.to_string(),
                        owner: t.owner.clone(),
                        username: None,
                        due: t.date,
                        done_when: t.done_when,
                        done: false,
                    })
                    .collect();
            }
        }
        Ok(assess(
            evidence,
            self.as_of,
            &self.workspace.calendar,
            &self.workspace.catalog,
        ))
    }
}

/// True when the project looked in is not there.
fn no_project(err: &FilingError) -> bool {
    matches!(
        err,
        FilingError::Gitlab(GitlabError::ProjectNotFound { .. })
    )
}

/// The onboarding issue to report: the oldest open one, else the newest closed.
fn pick(issues: Vec<(Issue, Marker)>) -> Option<(Issue, Marker)> {
    let open = issues.iter().position(|(i, _)| i.is_open());
    match open {
        Some(at) => issues.into_iter().nth(at),
        None => issues.into_iter().last(),
    }
}

/// The day's reminders on issue `iid` by trusted authors, oldest first.
fn todays_reminders(
    onboarding: &Project<'_>,
    iid: u64,
    policy: &Policy,
    as_of: chrono::NaiveDate,
) -> Result<Vec<Note>, Error> {
    let mut notes: Vec<Note> = onboarding
        .notes(iid)?
        .into_iter()
        .filter(|note| {
            policy.trusts(note.author.as_ref().map(|a| a.username.as_str()))
                && is_reminder_for(&note.body, as_of)
        })
        .collect();
    notes.sort_by_key(|n| (n.created_at, n.id));
    Ok(notes)
}

/// True when the hire's onboarding issue cannot hold today's reminder, so
/// it need not be read before posting: GitLab touches an issue with every
/// comment, and this one was last touched before today began (by this
/// machine's clock, less ten minutes for a server clock behind it). Only
/// for reminders of today; one of another `--as-of` day is always looked for.
fn untouched_today(hire: &HireStatus, status: &Status) -> bool {
    if status.as_of != status.today {
        return false;
    }
    let day_began = status
        .today
        .and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(chrono::Local)
        .earliest();
    match (hire.onboarding.updated, day_began) {
        (Some(updated), Some(began)) => {
            updated < began.with_timezone(&chrono::Utc) - chrono::Duration::minutes(10)
        }
        _ => false,
    }
}

/// Posts, or shows, one reminder per hire with overdue work, unless today's
/// was already posted; converges to one when two runs post at once.
fn remind(
    settings: &Settings,
    workspace: &Workspace,
    onboarding: &Project<'_>,
    policy: &Policy,
    status: &Status,
    hires: &[HireStatus],
    dry_run: bool,
) -> Result<(), Error> {
    let due: Vec<(&HireStatus, Reminder)> = hires
        .iter()
        .filter_map(|h| Reminder::of(h, status.as_of, &workspace.calendar).map(|r| (h, r)))
        .collect();
    if due.is_empty() {
        say("No reminders: nothing is overdue.");
        return Ok(());
    }
    if !dry_run {
        let question = format!(
            "Post a reminder on the onboarding issue of {} hires with overdue work?",
            due.len()
        );
        confirm_before(settings, "", &question, status.yes)?;
    }
    for (hire, reminder) in due {
        let url = hire.onboarding.url.clone().unwrap_or_default();
        let body = format!(
            "{}\n{}",
            workspace.renderer.render(render::REMINDER, &reminder)?,
            reminder.marker()
        );
        if dry_run {
            say(&format!("Would post on {url}:\n{body}"));
            continue;
        }
        let Some(iid) = url.rsplit('/').next().and_then(|n| n.parse::<u64>().ok()) else {
            continue;
        };
        let me = onboarding.me();
        let already = if untouched_today(hire, status) {
            Vec::new()
        } else {
            todays_reminders(onboarding, iid, policy, status.as_of)?
        };
        let todays = if already.is_empty() {
            onboarding.add_note(iid, &body)?;
            let tasks: usize = reminder
                .owners
                .iter()
                .map(|o| o.tasks.len() + o.catch_up)
                .sum();
            say(&format!(
                "reminded {}: {url} ({tasks} overdue tasks)",
                hire.name
            ));
            // Another run may have posted at the same moment: read again.
            todays_reminders(onboarding, iid, policy, status.as_of)?
        } else {
            say(&format!("already reminded today: {url}"));
            already
        };
        // The oldest of the day's reminders stays; later ones of ours go.
        for later in todays.iter().skip(1) {
            if later.author.as_ref().is_some_and(|a| a.username == me) {
                onboarding.delete_note(iid, later.id)?;
                say(&format!("removed a second reminder for today from {url}"));
            }
        }
    }
    Ok(())
}

/// Reminds the teams that remove a contractor's access, on the access
/// request, a week before it ends and on the day: each reminder once,
/// found again by its hidden line among the request's trusted comments.
fn remind_expiring(
    workspace: &Workspace,
    access: &Project<'_>,
    policy: &Policy,
    status: &Status,
    hires: &[HireStatus],
    dry_run: bool,
) -> Result<(), Error> {
    let catalog = &workspace.catalog;
    for hire in hires {
        for request in &hire.access {
            let (Some(until), Some(url), Some(_)) = (request.until, &request.url, request.expiry)
            else {
                continue;
            };
            let Some(stage) = Stage::due(until, status.as_of) else {
                continue;
            };
            let Some(iid) = url.rsplit('/').next().and_then(|n| n.parse::<u64>().ok()) else {
                continue;
            };
            let marker = stage.marker(until);
            let posted = access.notes(iid)?.into_iter().any(|note| {
                policy.trusts(note.author.as_ref().map(|a| a.username.as_str()))
                    && note.body.contains(&marker)
            });
            if posted {
                continue;
            }
            let mut teams: Vec<String> = Vec::new();
            for id in &request.ids {
                let Ok(tool) = catalog.find_tool(id) else {
                    continue;
                };
                let team = &catalog.tool(&tool).deprovisioner;
                let who = team
                    .handle
                    .as_ref()
                    .map_or_else(|| team.name.clone(), |h| format!("@{h}"));
                if !teams.contains(&who) {
                    teams.push(who);
                }
            }
            let note = stage.note(until, &teams, &request.systems);
            if dry_run {
                say(&format!("Would post on {url}:\n{note}"));
            } else {
                access.add_note(iid, &note)?;
                say(&format!(
                    "reminded the teams removing {}'s access: {url}",
                    hire.name
                ));
            }
        }
    }
    Ok(())
}
