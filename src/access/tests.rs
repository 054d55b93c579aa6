//! Planning a request, and filing it exactly once against a tracker that
//! loses answers, lags, races and gets spoofed on purpose.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::filing::Tracker;
use super::journal::Place;
use super::*;
use crate::catalog;
use crate::gitlab::{CreateFailure, GitlabError, Issue, IssueDraft, IssueEdit, IssueState, User};
use crate::hire::{Field, HireFields, Username};
use crate::plan::Plans;
use crate::source::FileSet;

/// What the tracker does with the next create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Creates it and answers.
    Answer,
    /// Creates it, then the answer is lost.
    LoseAfterCreating,
    /// Loses the request before anything is created.
    LoseBeforeCreating,
    /// Refuses it.
    Refuse,
    /// Another run files the same issue a moment before this one lands.
    Twin,
}

/// The token's user in these tests.
const ME: &str = "bot.onboard";

#[derive(Default)]
struct FakeTracker {
    issues: Mutex<Vec<Issue>>,
    script: Mutex<VecDeque<Next>>,
    creates: Mutex<u32>,
    notes: Mutex<Vec<(u64, String)>>,
    /// Searches miss issues created after this many exist (an index that lags).
    search_sees: Mutex<Option<usize>>,
    /// How many times a user id was asked for.
    user_lookups: Mutex<u32>,
    /// Workers that have set out to ask the filing for a user id.
    asking: AtomicUsize,
    /// A lookup is not answered before this many have set out, so the
    /// others ask while it is under way.
    answer_when_asking: usize,
}

impl FakeTracker {
    fn scripted(steps: &[Next]) -> Self {
        Self {
            script: Mutex::new(steps.iter().copied().collect()),
            ..Self::default()
        }
    }

    fn creates(&self) -> u32 {
        *self.creates.lock().unwrap()
    }

    fn open(&self) -> Vec<u64> {
        let issues = self.issues.lock().unwrap();
        issues
            .iter()
            .filter(|i| i.is_open())
            .map(|i| i.iid)
            .collect()
    }

    fn store(&self, description: &str, author: &str) -> Issue {
        let mut issues = self.issues.lock().unwrap();
        let iid = issues.len() as u64 + 1;
        let issue = Issue {
            iid,
            title: "an issue".into(),
            description: Some(description.to_string()),
            web_url: format!("https://gitlab.test/ar/-/issues/{iid}"),
            state: IssueState::Opened,
            author: Some(User {
                id: 1,
                username: author.into(),
            }),
            labels: Vec::new(),
            due_date: None,
            created_at: None,
            updated_at: None,
            closed_by: None,
            assignees: Vec::new(),
        };
        issues.push(issue.clone());
        issue
    }
}

fn lost() -> GitlabError {
    GitlabError::Server {
        server: "https://gitlab.test".into(),
        status: 504,
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

    fn search(&self, key: &str, _: &str) -> Result<Vec<Issue>, GitlabError> {
        let issues = self.issues.lock().unwrap();
        let visible = self.search_sees.lock().unwrap().unwrap_or(usize::MAX);
        Ok(issues
            .iter()
            .take(visible)
            .filter(|i| i.description.as_deref().is_some_and(|d| d.contains(key)))
            .cloned()
            .collect())
    }

    fn list(
        &self,
        term: &str,
        _: Option<chrono::DateTime<chrono::Utc>>,
        what: &str,
    ) -> Result<Vec<Issue>, GitlabError> {
        self.search(term, what)
    }

    fn issue(&self, iid: u64) -> Result<Option<Issue>, GitlabError> {
        Ok(self
            .issues
            .lock()
            .unwrap()
            .iter()
            .find(|i| i.iid == iid)
            .cloned())
    }

    fn create(&self, draft: &IssueDraft, _: &str) -> Result<Issue, CreateFailure> {
        *self.creates.lock().unwrap() += 1;
        let next = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Next::Answer);
        match next {
            Next::Answer => Ok(self.store(&draft.description, ME)),
            Next::Twin => {
                self.store(&draft.description, ME);
                Ok(self.store(&draft.description, ME))
            }
            Next::LoseAfterCreating => {
                self.store(&draft.description, ME);
                Err(CreateFailure::Unconfirmed(lost()))
            }
            Next::LoseBeforeCreating => Err(CreateFailure::Unconfirmed(lost())),
            Next::Refuse => Err(CreateFailure::Refused(GitlabError::Forbidden {
                server: "https://gitlab.test".into(),
                action: "create".into(),
            })),
        }
    }

    fn edit(&self, iid: u64, edit: &IssueEdit) -> Result<Issue, GitlabError> {
        let mut issues = self.issues.lock().unwrap();
        let issue = issues.iter_mut().find(|i| i.iid == iid).expect("an issue");
        if let Some(description) = &edit.description {
            issue.description = Some(description.clone());
        }
        if edit.due_date.is_some() {
            issue.due_date = edit.due_date;
        }
        if edit.close {
            issue.state = IssueState::Closed;
        }
        Ok(issue.clone())
    }

    fn note(&self, iid: u64, body: &str) -> Result<(), GitlabError> {
        self.notes.lock().unwrap().push((iid, body.to_string()));
        Ok(())
    }

    fn user_id(&self, username: &str) -> Result<u64, GitlabError> {
        *self.user_lookups.lock().unwrap() += 1;
        while self.asking.load(Ordering::SeqCst) < self.answer_when_asking {
            std::thread::yield_now();
        }
        // Give those that have set out the moment to reach the lookup.
        for _ in 0..100 {
            std::thread::yield_now();
        }
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
            renderer: Renderer::embedded(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn request_starting(&self, start: &str, with: &[&str]) -> AccessRequest {
        let fields = HireFields {
            name: "Ada Lovelace".parse().unwrap(),
            email: Some("ada@example.com".parse().unwrap()),
            username: None,
            role: "strategic-account-leader".into(),
            start: start.parse().unwrap(),
            manager: Some(Username::parse(Field::Manager, "mgr.jones").unwrap()),
            buddy: None,
            with: with.iter().map(ToString::to_string).collect(),
            without: Vec::new(),
            country: None,
            access_until: None,
            notes: Vec::new(),
        };
        let hire = fields
            .resolve(
                &self.catalog,
                &crate::calendar::Calendars::new(
                    Vec::new(),
                    &FileSet { files: Vec::new() },
                    catalog::parse_country_holidays,
                    crate::hire::CountryChoice::NoCountry,
                ),
            )
            .unwrap();
        let plans = Plans::new(&self.catalog);
        let plan = plans.role_plan(&hire.selection);
        super::plan(&hire, &plan, &self.catalog.access_requests)
            .unwrap()
            .expect("a SAL needs access requests")
    }

    fn request(&self, with: &[&str]) -> AccessRequest {
        self.request_starting("2026-12-07", with)
    }

    fn journal(&self, name: &str) -> Journal {
        Journal::open(&self.dir.path().join(name)).unwrap()
    }

    fn file(&self, tracker: &FakeTracker, request: &AccessRequest) -> Result<Filed, FilingError> {
        self.file_with(tracker, request, "journal.json")
    }

    fn file_with(
        &self,
        tracker: &FakeTracker,
        request: &AccessRequest,
        journal: &str,
    ) -> Result<Filed, FilingError> {
        let policy = Policy {
            trusted: vec![ME.to_string()],
            lost_answer_waits: vec![std::time::Duration::ZERO; 4],
        };
        let journal = self.journal(journal);
        Filing::new(tracker, &journal, &self.renderer, policy).file(request)
    }
}

#[test]
fn eight_workers_that_need_the_manager_at_once_look_them_up_once() {
    let setup = Setup::new();
    let tracker = FakeTracker {
        answer_when_asking: 8,
        ..FakeTracker::default()
    };
    let journal = setup.journal("journal.json");
    let policy = Policy {
        trusted: vec![ME.to_string()],
        lost_answer_waits: Vec::new(),
    };
    let filing = Filing::new(&tracker, &journal, &setup.renderer, policy);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    tracker.asking.fetch_add(1, Ordering::SeqCst);
                    filing.user_id("mgr.jones")
                })
            })
            .collect();
        for worker in workers {
            assert_eq!(worker.join().unwrap().unwrap(), 42);
        }
    });
    assert_eq!(*tracker.user_lookups.lock().unwrap(), 1);
    assert!(filing.user_id("someone.else").is_err());
    assert!(
        filing.user_id("someone.else").is_err(),
        "a failure is not kept"
    );
    assert_eq!(*tracker.user_lookups.lock().unwrap(), 3);
}

#[test]
fn a_request_groups_systems_by_team_and_carries_its_labels() {
    let setup = Setup::new();
    let request = setup.request(&[]);
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
    let marker = Marker::read(&request.body(&setup.renderer).unwrap(), "request").unwrap();
    assert_eq!(marker, request.marker());
    assert_eq!(marker.start, Some(request.start));
}

#[test]
fn files_once_then_finds_it_again_even_without_the_journal() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(filed.issues.len(), 1);
    assert!(filed.issues[0].created);
    let again = setup.file_with(&tracker, &request, "other.json").unwrap();
    assert_eq!(tracker.creates(), 1);
    assert!(!again.issues[0].created);
    assert_eq!(again.issues[0].url, filed.issues[0].url);
    assert!(again.events.is_empty(), "{:?}", again.events);
}

#[test]
fn an_issue_the_search_cannot_see_yet_is_found_through_the_journal() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    setup.file(&tracker, &request).unwrap();
    *tracker.search_sees.lock().unwrap() = Some(0);
    let again = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 1, "not filed twice while the index lags");
    assert_eq!(again.issues.len(), 1);
}

#[test]
fn an_issue_deleted_on_gitlab_is_filed_again_whatever_the_journal_says() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let first = setup.file(&tracker, &request).unwrap();
    tracker.issues.lock().unwrap().clear();
    let again = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 2);
    assert!(again.issues[0].created);
    assert_eq!(
        again.events,
        [Event::Gone {
            url: first.issues[0].url.clone()
        }]
    );
}

#[test]
fn a_lost_answer_is_looked_up_before_anything_is_sent_again() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseAfterCreating]);
    let request = setup.request(&[]);
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 1, "not sent twice");
    assert_eq!(tracker.open().len(), 1);
    assert!(
        filed.issues[0].created,
        "it was this run's create that landed"
    );
}

#[test]
fn a_create_lost_before_it_landed_is_sent_again() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseBeforeCreating, Next::LoseBeforeCreating]);
    let request = setup.request(&[]);
    setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 3);
    assert_eq!(tracker.open().len(), 1);
}

#[test]
fn answers_lost_every_time_end_in_an_error_that_says_to_rerun() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::LoseBeforeCreating; 3]);
    let request = setup.request(&[]);
    let err = setup.file(&tracker, &request).unwrap_err();
    assert!(
        matches!(err, FilingError::Unconfirmed { attempts: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("re-run"), "{err}");
    assert!(tracker.open().is_empty());
}

#[test]
fn a_refusal_is_not_retried() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::Refuse]);
    let request = setup.request(&[]);
    let err = setup.file(&tracker, &request).unwrap_err();
    assert!(matches!(
        err,
        FilingError::Gitlab(GitlabError::Forbidden { .. })
    ));
    assert_eq!(tracker.creates(), 1);
}

#[test]
fn a_tool_added_later_gets_a_follow_up_for_that_tool_only() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    setup.file(&tracker, &setup.request(&[])).unwrap();
    let filed = setup.file(&tracker, &setup.request(&["datafox"])).unwrap();
    assert_eq!(filed.issues.len(), 2);
    assert_eq!(filed.issues[1].systems, ["datafox"]);
    assert!(filed.issues[1].created);
    assert_eq!(tracker.open().len(), 2, "a follow-up is not a duplicate");
}

#[test]
fn an_unknown_manager_stops_before_anything_is_created() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let mut request = setup.request(&[]);
    request.assignee = "nobody".into();
    let err = setup.file(&tracker, &request).unwrap_err();
    assert!(err.to_string().contains("no GitLab user 'nobody'"), "{err}");
    assert_eq!(tracker.creates(), 0);
}

#[test]
fn issues_with_another_key_are_not_mistaken_for_this_one() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let mut other = request.marker();
    other.key = "onboard0000000000000000".into();
    tracker.store(
        &format!("mentions {} but {}", request.key, other.line()),
        ME,
    );
    let filed = setup.file(&tracker, &request).unwrap();
    assert!(filed.issues[0].created);
    assert_eq!(tracker.open().len(), 2);
}

#[test]
fn a_marker_from_an_untrusted_author_is_ignored_with_a_warning() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let spoof = tracker.store(&request.body(&setup.renderer).unwrap(), "mallory");
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 1, "the hire still gets their request");
    assert!(filed.issues.iter().all(|i| i.iid != spoof.iid));
    assert!(filed.events.contains(&Event::Untrusted {
        url: spoof.web_url,
        iid: spoof.iid,
        author: "mallory".into()
    }));
}

#[test]
fn duplicates_are_closed_in_favour_of_the_oldest_with_a_note() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let body = request.body(&setup.renderer).unwrap();
    let oldest = tracker.store(&body, ME);
    let twin = tracker.store(&body, ME);
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 0);
    assert_eq!(tracker.open(), [oldest.iid]);
    assert_eq!(filed.issues.len(), 1);
    assert_eq!(filed.issues[0].iid, oldest.iid);
    assert_eq!(
        filed.events,
        [Event::ClosedDuplicate {
            url: twin.web_url,
            iid: twin.iid,
            kept: oldest.iid
        }]
    );
    let notes = tracker.notes.lock().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, twin.iid);
    assert!(notes[0].1.contains(&format!("#{}", oldest.iid)));
    assert!(
        notes[0].1.lines().all(|l| !l.trim_start().starts_with('/')),
        "no quick action"
    );
}

#[test]
fn a_twin_filed_by_another_run_at_the_same_moment_is_closed_right_away() {
    let setup = Setup::new();
    let tracker = FakeTracker::scripted(&[Next::Twin]);
    let request = setup.request(&[]);
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.open(), [1], "the other run's, older, is kept");
    assert_eq!(filed.issues.len(), 1);
    assert!(!filed.issues[0].created);
    assert!(matches!(
        filed.events[..],
        [Event::ClosedDuplicate {
            iid: 2,
            kept: 1,
            ..
        }]
    ));
}

#[test]
fn a_moved_start_date_updates_the_open_request_and_keeps_its_ticks() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    setup.file(&tracker, &setup.request(&[])).unwrap();
    {
        let mut issues = tracker.issues.lock().unwrap();
        let body = issues[0].description.take().unwrap();
        issues[0].description = Some(body.replacen("- [ ] **Clari**", "- [x] **Clari**", 1));
    }
    let moved = setup.request_starting("2026-12-14", &[]);
    let filed = setup.file(&tracker, &moved).unwrap();
    assert_eq!(tracker.creates(), 1, "never a second request");
    assert_eq!(tracker.open().len(), 1);
    let issue = tracker.issue(1).unwrap().unwrap();
    assert_eq!(issue.due_date, Some(moved.due));
    let body = issue.description.unwrap();
    assert!(body.contains("- [x] **Clari**"), "{body}");
    assert!(body.contains("Mon 2026-12-14"), "{body}");
    assert_eq!(
        Marker::read(&body, "request").unwrap().start,
        Some(moved.start)
    );
    assert!(matches!(
        filed.events[..],
        [Event::Updated { iid: 1, ref reason, .. }] if reason == "the start date moved from 2026-12-07 to 2026-12-14"
    ));
    let settled = setup.file(&tracker, &moved).unwrap();
    assert!(settled.events.is_empty(), "a further run changes nothing");
}

#[test]
fn requests_filed_by_the_first_version_are_found_by_their_old_key() {
    let setup = Setup::new();
    let tracker = FakeTracker::default();
    let request = setup.request(&[]);
    let mut old = request.marker();
    old.key.clone_from(&request.legacy_key);
    old.start = None;
    tracker.store(&format!("filed long ago\n\n{}", old.line()), ME);
    let filed = setup.file(&tracker, &request).unwrap();
    assert_eq!(tracker.creates(), 0);
    assert_eq!(filed.issues.len(), 1);
    let body = tracker.issue(1).unwrap().unwrap().description.unwrap();
    assert_eq!(
        Marker::read(&body, "request").unwrap().key,
        request.key,
        "brought up to the new key"
    );
}

#[test]
fn the_issue_body_matches_its_snapshot() {
    let setup = Setup::new();
    let mut request = setup.request(&["datafox"]);
    request.hire.username = Some("ada.lovelace".into());
    request.hire.buddy = Some("sam.lee".into());
    insta::assert_snapshot!(request.body(&setup.renderer).unwrap());
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
