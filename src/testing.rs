//! Test helpers: not part of the command-line contract. The integration
//! tests drive the wizard's flow through these with scripted answers.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;

use crate::gitlab::Gitlab;
use crate::gitlab::{Server, Timing, Token};
use crate::settings::{Settings, Sources, Terminal};
use crate::wizard::{self, Context, Interrupted, Item, Prompter};
use crate::workspace::Workspace;

/// A prompter that replays answers and records every prompt and message.
#[derive(Debug, Default)]
pub struct Scripted {
    answers: VecDeque<String>,
    /// Every prompt (as `? prompt`) and message, in order.
    pub transcript: Vec<String>,
}

impl Scripted {
    /// Answers given in order. Texts are typed as-is (empty takes the default);
    /// choices are item numbers from 0 or text matched against the items;
    /// multi-choices are comma-separated numbers; confirms are `y` or `n`,
    /// and empty takes the question's default, shown as `[y/N]` or `[Y/n]`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(answers: I) -> Self {
        Self {
            answers: answers.into_iter().map(Into::into).collect(),
            transcript: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> Result<String, Interrupted> {
        self.transcript.push(format!("? {prompt}"));
        self.answers.pop_front().ok_or(Interrupted)
    }
}

impl Prompter for Scripted {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Result<String, Interrupted> {
        let answer = self.next(prompt)?;
        Ok(if answer.is_empty() {
            default.unwrap_or_default().to_string()
        } else {
            answer
        })
    }

    fn choose(&mut self, prompt: &str, items: &[Item]) -> Result<usize, Interrupted> {
        let answer = self.next(prompt)?;
        let chosen = answer
            .parse()
            .ok()
            .filter(|i| *i < items.len())
            .or_else(|| items.iter().position(|item| item.label.contains(&answer)))
            .ok_or(Interrupted)?;
        self.transcript.push(format!("= {}", items[chosen].name));
        Ok(chosen)
    }

    fn choose_many(&mut self, prompt: &str, items: &[Item]) -> Result<Vec<usize>, Interrupted> {
        let answer = self.next(prompt)?;
        let chosen: Vec<usize> = answer
            .split(',')
            .filter_map(|n| n.trim().parse::<usize>().ok())
            .filter(|i| *i < items.len())
            .collect();
        let names: Vec<&str> = chosen.iter().map(|i| items[*i].name.as_str()).collect();
        self.transcript.push(format!("= {}", names.join(", ")));
        Ok(chosen)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        let hint = if default { "[Y/n]" } else { "[y/N]" };
        let answer = self.next(&format!("{prompt} {hint}"))?;
        Ok(match answer.trim() {
            "" => default,
            answer => answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes"),
        })
    }

    fn say(&mut self, text: &str) {
        self.transcript.push(text.to_string());
    }
}

/// Where a scripted wizard runs.
pub struct WizardSetup<'a> {
    /// The folder relative file names are saved in.
    pub folder: &'a Path,
    /// The filing journal.
    pub journal: &'a Path,
    /// Today.
    pub today: NaiveDate,
    /// Manager mode.
    pub for_someone_else: bool,
    /// The GitLab address.
    pub gitlab_url: &'a str,
    /// `GITLAB_TOKEN`, if set.
    pub token: Option<&'a str>,
}

/// What a scripted wizard did.
#[derive(Debug)]
pub struct WizardRun {
    /// Where the checklist was saved, or the error's message, or [`QUIT`].
    pub result: Result<PathBuf, String>,
    /// The exit code the binary would give.
    pub exit_code: u8,
    /// The issues filed or found, by URL, each with whether this run created it.
    pub filed: Vec<(String, bool)>,
    /// The start date gathered.
    pub start: Option<NaiveDate>,
    /// The hire's GitLab username gathered.
    pub username: Option<String>,
    /// The optional tools added, by display name.
    pub added_tools: Vec<String>,
    /// Every prompt and message.
    pub transcript: Vec<String>,
}

/// [`WizardRun::result`] when the person quit at the review (exit 0).
pub const QUIT: &str = "quit at the review; nothing was saved";

/// Runs the wizard's flow with the embedded catalogue and scripted answers.
pub fn run_wizard(setup: &WizardSetup<'_>, answers: &[&str]) -> WizardRun {
    let settings = Settings {
        sources: Sources::default(),
        journal: setup.journal.to_path_buf(),
        access_requests: crate::config::AccessRequestConfig::default(),
        onboarding_labels: vec!["onboarding".to_string()],
        access_request_days: crate::config::DEFAULT_ACCESS_REQUEST_DAYS,
        lifecycle: crate::lifecycle::Lifecycle::default(),
        terminal: Terminal::default(),
        color: false,
        cwd: setup.folder.to_path_buf(),
    };
    let workspace = match Workspace::load(&settings) {
        Ok(workspace) => workspace,
        Err(err) => panic!("the embedded catalogue loads: {err}"),
    };
    let context = Context {
        workspace: &workspace,
        window: crate::hire::StartWindow {
            today: setup.today,
            allow_far: false,
        },
        folder: setup.folder.to_path_buf(),
        for_someone_else: setup.for_someone_else,
        gitlab: Gitlab {
            server: Server::parse(setup.gitlab_url).expect("a test GitLab address"),
            project: crate::gitlab::DEFAULT_PROJECT.to_string(),
            onboarding_project: crate::gitlab::DEFAULT_ONBOARDING_PROJECT.to_string(),
            token: setup.token.and_then(Token::new),
            timing: Timing {
                timeout: Duration::from_secs(10),
                scale: 0.01,
                ..Timing::default()
            },
            trusted_authors: Vec::new(),
            vouchers: crate::gitlab::Vouchers::default(),
        },
        journal: setup.journal.to_path_buf(),
        onboarding_labels: vec!["onboarding".to_string()],
    };
    let mut prompter = Scripted::new(answers.iter().copied());
    let (saved, error) = match wizard::run(&mut prompter, &context) {
        Ok(saved) => (saved, None),
        Err(err) => (None, Some(err)),
    };
    let hire = saved.as_ref().map(|o| &o.hire);
    WizardRun {
        exit_code: error.as_ref().map_or(0, crate::error::Error::exit_code),
        filed: saved
            .as_ref()
            .and_then(|o| o.filed.as_ref())
            .map(|f| {
                f.issues
                    .iter()
                    .map(|i| (i.url.clone(), i.created))
                    .collect()
            })
            .unwrap_or_default(),
        start: hire.map(|h| h.start),
        username: hire.and_then(|h| h.username.as_ref().map(ToString::to_string)),
        added_tools: hire
            .map(|h| {
                h.selection
                    .with
                    .iter()
                    .map(|id| workspace.catalog.tool(id).name.clone())
                    .collect()
            })
            .unwrap_or_default(),
        result: match (&saved, &error) {
            (Some(outcome), _) => Ok(outcome.checklist.clone()),
            (None, Some(err)) => Err(err.to_string()),
            (None, None) => Err(QUIT.to_string()),
        },
        transcript: prompter.transcript,
    }
}
