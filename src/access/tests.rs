//! Planning a request, and filing it exactly once against a tracker that
//! loses answers on purpose.

use std::collections::VecDeque;
use std::sync::Mutex;

use super::*;
use crate::catalog;
use crate::gitlab::{CreateFailure, GitlabError, Issue, IssueDraft, IssueState};
use crate::hire::{Field, HireFields, Username};
use crate::plan::Plans;
use crate::source::FileSet;

use super::filing::Tracker;
use super::journal::Place;

/// What the tracker does with the next create.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Creates it and answers.
    Answer,
    /// Creates it, then the answer is lost.
    LoseAfterCreating,
    /// Loses the request before anything is created.
    LoseBeforeCreating,
    /// Refuses it.
    Refuse,
}

#[derive(Default)]
struct FakeTracker {
    issues: Mutex<Vec<Issue>>,
    script: Mutex<VecDeque<Next>>,
    creates: Mutex<u32>,
    searches: Mutex<u32>,
}

impl FakeTracker {
    fn scripted(steps: &[Next]) -> Self {
        Self {
            script: Mutex::new(steps.iter().copied().collect()),
            ..Self::default()
        }
    }

    fn issue_count(&self) -> usize {
        self.issues.lock().unwrap().len()
    }

    fn store(&self, draft: &IssueDraft) -> Issue {
        let mut issues = self.issues.lock().unwrap();
        let iid = issues.len() as u64 + 1;
        let issue = Issue {
            iid,
            title: draft.title.clone(),
            description: Some(draft.description.clone()),
            web_url: format!("https://gitlab.test/ar/-/issues/{iid}"),
            state: IssueState::Opened,
            author: None,
        };
        issues.push(issue.clone());
        issue
    }
}

fn lost() -> GitlabError {
    GitlabError::Server {
        server: "https://gitlab.test".into(),
        status: 502,
        action: "create".into(),
    }
}

impl Tracker for FakeTracker {
    fn place(&self) -> Place {
        Place {
            server: "https://gitlab.test".into(),
            project: "it/ar".into(),
        }
    }

    fn search(&self, key: &str) -> Result<Vec<Issue>, GitlabError> {
        *self.searches.lock().unwrap() += 1;
        Ok(self
            .issues
            .lock()
            .unwrap()
            .iter()
            .filter(|i| i.description.as_deref().is_some_and(|d| d.contains(key)))
            .cloned()
            .collect())
    }

    fn create(&self, draft: &IssueDraft) -> Result<Issue, CreateFailure> {
        *self.creates.lock().unwrap() += 1;
        let next = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Next::Answer);
        match next {
            Next::Answer => Ok(self.store(draft)),
            Next::LoseAfterCreating => {
                self.store(draft);
                Err(CreateFailure::Unconfirmed(lost()))
            }
            Next::LoseBeforeCreating => Err(CreateFailure::Unconfirmed(lost())),
            Next::Refuse => Err(CreateFailure::Refused(GitlabError::Forbidden {
                server: "https://gitlab.test".into(),
                action: "create".into(),
            })),
        }
    }

    fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        match username {
            "mgr.jones" => Ok(42),
            other => Err(GitlabError::UnknownUser {
                username: other.into(),
                server: "https://gitlab.test".into(),
            }),
        }
    }
}

struct Setup {
    catalog: catalog::Catalog,
    renderer: Renderer,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        Self {
            catalog: catalog::load(&FileSet::embedded_roles()).unwrap(),
            renderer: Renderer::embedded().unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn request(&self, with: &[&str], without: &[&str]) -> AccessRequest {
        let fields = HireFields {
            name: "Ada Lovelace".parse().unwrap(),
            email: Some("ada@example.com".parse().unwrap()),
            username: None,
            role: "strategic-account-leader".into(),
            start: "2026-12-07".parse().unwrap(),
            manager: Some(Username::parse(Field::Manager, "mgr.jones").unwrap()),
            buddy: None,
            with: with.iter().map(ToString::to_string).collect(),
            without: without.iter().map(ToString::to_string).collect(),
        };
        let hire = fields
            .resolve(&self.catalog, &crate::calendar::Calendar::default())
            .unwrap();
        let plans = Plans::new(&self.catalog);
        let plan = plans.role_plan(&hire.selection);
        super::plan(&hire, &plan, &self.catalog.access_requests)
            .unwrap()
            .expect("a SAL needs access requests")
    }

    fn journal(&self) -> Journal {
        Journal::open(&self.dir.path().join("journal.json")).unwrap()
    }
}

#[test]
fn a_request_groups_systems_by_team_and_carries_its_labels() {
    let setup = Setup::new();
    let request = setup.request(&[], &[]);
    assert_eq!(request.assignee, "mgr.jones");
    assert_eq!(request.due, request.start);
    assert!(
        request.title.starts_with("Ada Lovelace, Clari, "),
        "{}",
        request.title
    );
    assert!(request.title.ends_with(", Strategic Account Leader"));
    let teams: Vec<&str> = request.groups.iter().map(|g| g.team.as_str()).collect();
    let mut unique = teams.clone();
    unique.dedup();
    assert_eq!(teams, unique, "one group per team");
    for group in &request.groups {
        if let Some(label) = &group.label {
            assert!(request.labels.contains(label), "{label}");
        }
    }
    let body = request.body(&setup.renderer).unwrap();
    let (key, systems) = read_marker(&body).unwrap();
    assert_eq!(key, request.key);
    assert_eq!(systems, request.system_ids());
}

#[test]
fn files_once_then_finds_it_again_even_without_the_journal() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    let filed = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    assert_eq!(filed.issues.len(), 1);
    assert!(filed.issues[0].created);
    let fresh = Journal::open(&setup.dir.path().join("other.json")).unwrap();
    let again = Filing::new(&tracker, &fresh, &setup.renderer)
        .file(&request)
        .unwrap();
    assert_eq!(tracker.issue_count(), 1);
    assert!(!again.issues[0].created);
    assert_eq!(again.issues[0].url, filed.issues[0].url);
}

#[test]
fn the_journal_saves_the_lookup_on_a_rerun() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    let searches = *tracker.searches.lock().unwrap();
    Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    assert_eq!(
        *tracker.searches.lock().unwrap(),
        searches,
        "no lookup needed"
    );
    assert_eq!(*tracker.creates.lock().unwrap(), 1);
}

#[test]
fn a_lost_answer_is_looked_up_before_anything_is_sent_again() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseAfterCreating]);
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    let filed = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    assert_eq!(*tracker.creates.lock().unwrap(), 1, "not sent twice");
    assert_eq!(tracker.issue_count(), 1);
    assert!(
        filed.issues[0].created,
        "it was this run's create that landed"
    );
}

#[test]
fn a_create_lost_before_it_landed_is_sent_again() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseBeforeCreating, Next::LoseBeforeCreating]);
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    assert_eq!(*tracker.creates.lock().unwrap(), 3);
    assert_eq!(tracker.issue_count(), 1);
}

#[test]
fn answers_lost_every_time_end_in_an_error_that_says_to_rerun() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseBeforeCreating; 4]);
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    let err = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap_err();
    assert!(
        matches!(err, FilingError::Unconfirmed { attempts: 4, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("re-run"), "{err}");
    assert_eq!(tracker.issue_count(), 0);
}

#[test]
fn a_refusal_is_not_retried() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::Refuse]);
    let request = setup.request(&[], &[]);
    let journal = setup.journal();
    let err = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap_err();
    assert!(matches!(
        err,
        FilingError::Gitlab(GitlabError::Forbidden { .. })
    ));
    assert_eq!(*tracker.creates.lock().unwrap(), 1);
}

#[test]
fn a_tool_added_later_gets_a_follow_up_for_that_tool_only() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let journal = setup.journal();
    let filing = Filing::new(&tracker, &journal, &setup.renderer);
    filing.file(&setup.request(&[], &[])).unwrap();
    let more = setup.request(&["datafox"], &[]);
    let filed = filing.file(&more).unwrap();
    assert_eq!(filed.issues.len(), 2);
    assert_eq!(filed.issues[1].systems, ["datafox"]);
    assert!(filed.issues[1].created);
    let follow_up = tracker.issues.lock().unwrap()[1].title.clone();
    assert!(
        follow_up.starts_with("Ada Lovelace, Datafox, "),
        "{follow_up}"
    );
}

#[test]
fn an_unknown_manager_stops_before_anything_is_created() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let mut request = setup.request(&[], &[]);
    request.assignee = "nobody".into();
    let journal = setup.journal();
    let err = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap_err();
    assert!(err.to_string().contains("no GitLab user 'nobody'"), "{err}");
    assert_eq!(*tracker.creates.lock().unwrap(), 0);
}

#[test]
fn issues_with_another_key_are_not_mistaken_for_this_one() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[], &[]);
    let mut other = request.clone();
    other.key = "onboard0000000000000000".into();
    tracker.store(&IssueDraft {
        title: "someone else".into(),
        description: format!(
            "mentions {} but {}",
            request.key,
            key::marker(&other.key, &[])
        ),
        labels: Vec::new(),
        assignee_id: None,
        due_date: request.due,
        confidential: true,
    });
    let journal = setup.journal();
    let filed = Filing::new(&tracker, &journal, &setup.renderer)
        .file(&request)
        .unwrap();
    assert!(filed.issues[0].created);
    assert_eq!(tracker.issue_count(), 2);
}

#[test]
fn long_titles_are_shortened() {
    let many: Vec<String> = (0..40).map(|i| format!("System number {i}")).collect();
    let names: Vec<&str> = many.iter().map(String::as_str).collect();
    let t = title("Ada Lovelace", &names, "Strategic Account Leader");
    assert!(t.chars().count() <= TITLE_LIMIT);
    assert_eq!(
        t,
        "Ada Lovelace, System number 0 and 39 more systems, Strategic Account Leader"
    );
    assert_eq!(
        title("Ada @all", &["Clari"], "SAL"),
        "Ada @\u{2060}all, Clari, SAL"
    );
}

#[test]
fn the_issue_body_matches_its_snapshot() {
    let setup = Setup::new();
    let mut request = setup.request(&["datafox"], &[]);
    request.hire.username = Some("ada.lovelace".into());
    request.hire.buddy = Some("sam.lee".into());
    insta::assert_snapshot!(request.body(&setup.renderer).unwrap());
}
