//! `onboard transfer`: a role change. The systems the new role adds are
//! requested, those it drops are removed through one Access Removal issue,
//! and a career-mobility issue lists the new role's tasks.

use crate::access::AccessLink;
use crate::access::{self, AccessRequest, Desk, Event, Filing, Writes};
use crate::gitlab::{Project, ProjectInfo};
use crate::hire::{Field, Hire, Selection, StartWindow};
use crate::lifecycle::people::{self, MoverText};
use crate::lifecycle::{
    self, by_deprovisioner, AccessRemoval, CareerMobility, Outcome, Record, RemovalView,
    RoleChange, SystemRef, Touched,
};
use crate::onboarding::links_of;
use crate::plan::RolePlan;
use crate::settings::{self, Settings};
use crate::workspace::Workspace;
use crate::Error;

use super::{checked, each_person, names, systems_held, Session};

/// Files (or with `--dry-run` shows) each mover's requests, Access
/// Removal issue and career-mobility issue.
pub(super) fn run(settings: &Settings, movers: &settings::Transfer) -> Result<(), Error> {
    let workspace = Workspace::load(settings)?;
    let people = checked(&movers.people, people::movers, |text| {
        text.check_shape(movers.window)
    })?;
    let settings::LifecycleFiling { filing, json } = &movers.filing;
    let gitlab = &filing.gitlab;
    let desk = Desk::open(gitlab, &settings.journal, Writes::when(!filing.dry_run))?;
    let access = desk.project(&gitlab.project)?;
    let onboarding = desk.project(&gitlab.onboarding_project)?;
    let question = format!(
        "File the moves of {} in {} and {} on {}?",
        names(&people, |m| m.person.email.clone().unwrap_or_default()),
        gitlab.project,
        gitlab.onboarding_project,
        gitlab.server
    );
    each_person(
        settings,
        &workspace,
        &desk,
        &people,
        (filing, *json, &question),
        |session, mover| one(session, (&access, &onboarding), mover, movers.window),
    )
}

/// Moves one person.
fn one(
    session: &Session<'_>,
    (access, onboarding): (&Project<'_>, &Project<'_>),
    mover: &MoverText,
    window: StartWindow,
) -> Result<Outcome, Error> {
    let Session {
        settings,
        workspace,
        journal,
        policy,
        dry_run,
    } = *session;
    let from = mover
        .from
        .as_deref()
        .map(|r| workspace.catalog.find_role(r))
        .transpose()?;
    let requests = Filing::new(access, journal, &workspace.renderer, policy.clone());
    let issues = Filing::new(onboarding, journal, &workspace.renderer, policy.clone());
    let email = mover.person.email.clone().unwrap_or_default();
    let record = Record::read(&requests, &issues, &email)?;

    let mut person = mover.person.clone();
    person.name = person
        .name
        .or_else(|| record.name())
        .or(Some(email.clone()));
    person.manager = person.manager.or_else(|| record.manager());
    person.username = person.username.or_else(|| record.username());
    let hire = workspace.resolve(person.check(&[Field::Email], Some(window))?)?;
    let Some(from) = from.or_else(|| {
        record
            .role()
            .and_then(|r| workspace.catalog.find_role(&r).ok())
    }) else {
        return Err(Error::NoOldRole { email });
    };
    let plans = workspace.plans();
    let old = plans.role_plan(&Selection {
        role: from,
        with: Vec::new(),
        without: Vec::new(),
    });
    let held = systems_held(old.tools.iter().map(|t| t.tool.id.to_string()), &record);
    let new = plans.role_plan(&hire.selection);
    let wanted: Vec<String> = new.tools.iter().map(|t| t.tool.id.to_string()).collect();
    let (kept, added): (Vec<String>, Vec<String>) =
        wanted.iter().cloned().partition(|s| held.contains(s));
    let dropped: Vec<String> = held.into_iter().filter(|s| !wanted.contains(s)).collect();
    let request =
        access::plan(&hire, &new, &workspace.request_defaults)?.and_then(|r| r.only(&added));
    let change = Move {
        removal: removal(settings, workspace, &hire, (&old, &new), &dropped, &email),
        mobility: |links: Vec<AccessLink>| {
            CareerMobility::new(
                lifecycle::key(lifecycle::kind::MOBILITY, &email),
                old.role.name.clone(),
                plans.checklist(&hire),
                settings.onboarding_labels.clone(),
                links,
            )
        },
        request,
        added: &added,
    };
    let mut outcome = Outcome {
        person: hire.name.to_string(),
        dry_run,
        added: SystemRef::all(&workspace.catalog, &added),
        kept: SystemRef::all(&workspace.catalog, &kept),
        removed: SystemRef::all(&workspace.catalog, &dropped),
        issues: Vec::new(),
        events: Vec::new(),
    };
    if dry_run {
        outcome.issues = change.preview(&requests, &issues)?;
    } else {
        change.file(
            workspace,
            (&requests, &issues),
            (access, onboarding),
            &mut outcome,
        )?;
    }
    Ok(outcome)
}

/// The Access Removal issue of the systems a move drops, if it drops any.
fn removal(
    settings: &Settings,
    workspace: &Workspace,
    hire: &Hire,
    (old, new): (&RolePlan, &RolePlan),
    dropped: &[String],
    email: &str,
) -> Option<AccessRemoval> {
    if dropped.is_empty() {
        return None;
    }
    let lifecycle = &settings.lifecycle;
    let name = hire.name.to_string();
    let groups = by_deprovisioner(&workspace.catalog, dropped);
    let names: Vec<&str> = groups
        .iter()
        .flat_map(|g| g.systems.iter().map(|s| s.name.as_str()))
        .collect();
    Some(AccessRemoval {
        key: lifecycle::key(lifecycle::kind::REMOVAL, email),
        role: new.role.id.to_string(),
        view: RemovalView {
            title: AccessRemoval::title(&name, &names),
            name,
            email: email.to_string(),
            last_day: None,
            change: Some(RoleChange {
                from: old.role.name.clone(),
                to: new.role.name.clone(),
                effective: hire.start,
            }),
            due: lifecycle.removal_due(&hire.calendar, hire.start),
            deprovision_days: lifecycle.deprovision_days,
            manager: hire.manager.as_ref().map(ToString::to_string),
            groups,
        },
        effective: hire.start,
        labels: lifecycle.removal_labels.clone(),
    })
}

/// What a move files: an access request for the systems it adds, an
/// Access Removal issue for those it drops, and the career-mobility issue,
/// linked to both.
struct Move<'a, M> {
    request: Option<AccessRequest>,
    removal: Option<AccessRemoval>,
    /// The career-mobility issue, with its links to the others.
    mobility: M,
    added: &'a [String],
}

impl<M: Fn(Vec<AccessLink>) -> CareerMobility> Move<'_, M> {
    /// What would be filed, sending no write.
    fn preview(
        &self,
        requests: &Filing<'_, Project<'_>>,
        issues: &Filing<'_, Project<'_>>,
    ) -> Result<Vec<Touched>, Error> {
        let mut touched = Vec::new();
        if let Some(request) = &self.request {
            touched.extend(Touched::previewed(
                "access request",
                &requests.preview(request)?,
            ));
        }
        if let Some(removal) = &self.removal {
            touched.extend(Touched::previewed(
                "access removal issue",
                &requests.preview(removal)?,
            ));
        }
        let preview = issues.preview(&(self.mobility)(Vec::new()))?;
        touched.extend(Touched::previewed("career-mobility issue", &preview));
        Ok(touched)
    }

    /// Files each issue, then links the career-mobility issue to the others.
    fn file(
        &self,
        workspace: &Workspace,
        (requests, issues): (&Filing<'_, Project<'_>>, &Filing<'_, Project<'_>>),
        (access, onboarding): (&Project<'_>, &Project<'_>),
        outcome: &mut Outcome,
    ) -> Result<(), Error> {
        let mut links = Vec::new();
        if let Some(request) = &self.request {
            let filed = requests.file(request)?;
            outcome
                .issues
                .extend(Touched::filed("access request", &filed));
            links.extend(
                links_of(&filed, &workspace.catalog)
                    .into_iter()
                    .filter(|l| l.ids.iter().any(|id| self.added.contains(id))),
            );
            outcome.events.extend(filed.events);
        }
        if let Some(removal) = &self.removal {
            let filed = requests.file(removal)?;
            outcome
                .issues
                .extend(Touched::filed("access removal issue", &filed));
            links.extend(links_of(&filed, &workspace.catalog));
            outcome.events.extend(filed.events);
        }
        let filed = issues.file(&(self.mobility)(links.clone()))?;
        outcome
            .issues
            .extend(Touched::filed("career-mobility issue", &filed));
        outcome.events.extend(filed.events);
        if let Some(main) = filed.issues.first() {
            let events = link(onboarding, main.iid, &access.info, &links);
            outcome.events.extend(events);
        }
        Ok(())
    }
}

/// Links the career-mobility issue to each of `links` it is not linked to
/// yet; a link that cannot be made is reported, and a re-run tries again.
fn link(
    onboarding: &Project<'_>,
    iid: u64,
    access: &ProjectInfo,
    links: &[AccessLink],
) -> Vec<Event> {
    let not_linked = |link: &AccessLink, reason: String| Event::NotLinked {
        url: link.url.clone(),
        reason,
    };
    let known: Vec<String> = match onboarding.linked_issues(iid) {
        Ok(linked) => linked.into_iter().map(|l| l.web_url).collect(),
        Err(err) => {
            return links
                .iter()
                .map(|l| not_linked(l, err.to_string()))
                .collect()
        }
    };
    links
        .iter()
        .filter(|l| !known.contains(&l.url))
        .filter_map(|l| {
            onboarding
                .link_issue(iid, access, l.iid)
                .err()
                .map(|err| not_linked(l, err.to_string()))
        })
        .collect()
}
