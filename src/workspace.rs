//! What one command works with: the catalogue, templates, calendar and config,
//! and the steps shared by `checklist`, `access`, `batch` and the wizard.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::access::{self, AccessRequest, Filed, Filing, Journal};
use crate::calendar::{Calendar, Holiday};
use crate::catalog::{self, AccessRequestDefaults, Catalog, Diagnostic, Diagnostics};
use crate::cli::{GitlabArgs, SourceArgs};
use crate::config::{default_journal_path, Config};
use crate::gitlab::{
    Connection, RetryPolicy, Server, Settings, Token, DEFAULT_PROJECT, DEFAULT_URL,
};
use crate::hire::Hire;
use crate::plan::{self, Checklist};
use crate::render::Renderer;
use crate::source::{FileSet, SourceFile};
use crate::Error;

/// The catalogue, templates, calendar and config one command works with.
pub struct Workspace {
    /// The validated catalogue.
    pub catalog: Catalog,
    /// The compiled templates.
    pub renderer: Renderer,
    /// Weekends plus catalogue and `--holidays` days off.
    pub calendar: Calendar,
    /// The user's config file.
    pub config: Config,
}

impl Workspace {
    /// Loads the catalogue and the templates a command renders (see
    /// [`crate::render::ALL`]), reporting every problem at once.
    pub fn load(sources: &SourceArgs, templates_needed: &[&str]) -> Result<Self, Error> {
        let config = Config::load().map_err(|e| Error::Usage(e.to_string()))?;
        let roles_dir = sources.roles.as_deref().or(config.roles.as_deref());
        let templates_dir = sources.templates.as_deref().or(config.templates.as_deref());
        let holidays_file = sources.holidays.as_deref().or(config.holidays.as_deref());
        let roles = match roles_dir {
            Some(dir) => FileSet::read_dir(dir, &[".yaml", ".yml"])?,
            None => FileSet::embedded_roles(),
        };
        let templates = match templates_dir {
            Some(dir) => {
                FileSet::embedded_templates().overridden_by(FileSet::read_dir(dir, &[".hbs"])?)
            }
            None => FileSet::embedded_templates(),
        };
        let mut problems = Diagnostics::default();
        let catalog = catalog::load(&roles).map_err(|d| problems.extend(d)).ok();
        let renderer = Renderer::new(&templates, templates_needed)
            .map_err(|d| problems.extend(d))
            .ok();
        let extra_holidays = match holidays_file {
            Some(path) => read_holidays(path)
                .map_err(|d| problems.extend(d))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        match (catalog, renderer) {
            (Some(catalog), Some(renderer)) if problems.is_empty() => {
                let calendar =
                    Calendar::new(catalog.holidays.iter().cloned().chain(extra_holidays));
                Ok(Self {
                    catalog,
                    renderer,
                    calendar,
                    config,
                })
            }
            _ => Err(Error::Invalid(problems)),
        }
    }

    /// The dated checklist for one hire.
    pub fn checklist(&self, hire: &Hire) -> Result<Checklist, Error> {
        let role = self.catalog.role(&hire.role)?;
        Ok(plan::checklist(hire, &role, &self.catalog, &self.calendar)?)
    }

    /// The hire's access request; `None` when none of their tools needs one.
    pub fn access_request(&self, hire: &Hire) -> Result<Option<AccessRequest>, Error> {
        self.access_request_for(&self.checklist(hire)?)
    }

    /// The access request behind an already planned checklist.
    pub fn access_request_for(
        &self,
        checklist: &Checklist,
    ) -> Result<Option<AccessRequest>, Error> {
        Ok(access::plan(checklist, &self.request_defaults())?)
    }

    /// The catalogue's access-request defaults with the config's overrides.
    pub fn request_defaults(&self) -> AccessRequestDefaults {
        let overrides = &self.config.access_requests;
        AccessRequestDefaults {
            labels: overrides
                .labels
                .clone()
                .unwrap_or_else(|| self.catalog.access_requests.labels.clone()),
            confidential: overrides
                .confidential
                .unwrap_or(self.catalog.access_requests.confidential),
        }
    }

    /// Where to file: flags, then `GITLAB_HOST`, then the config file, then gitlab.com.
    pub fn gitlab_settings(&self, args: &GitlabArgs) -> Result<Settings, Error> {
        let url = args
            .gitlab_url
            .clone()
            .or_else(|| {
                std::env::var("GITLAB_HOST")
                    .ok()
                    .filter(|h| !h.trim().is_empty())
            })
            .or_else(|| self.config.gitlab.url.clone())
            .unwrap_or_else(|| DEFAULT_URL.to_string());
        let project = args
            .project
            .clone()
            .or_else(|| self.config.gitlab.project.clone())
            .unwrap_or_else(|| DEFAULT_PROJECT.to_string());
        let project = project.trim().trim_matches('/').to_string();
        if project.is_empty() {
            return Err(Error::Usage(
                "--project: the project path is empty".to_string(),
            ));
        }
        Ok(Settings {
            server: Server::parse(&url)?,
            project,
            policy: RetryPolicy {
                timeout: Duration::from_secs(args.timeout.max(1)),
                ..RetryPolicy::default()
            },
        })
    }

    /// The journal file: the config's, else the XDG state folder's.
    pub fn journal_path(&self) -> PathBuf {
        self.config
            .journal
            .clone()
            .unwrap_or_else(default_journal_path)
    }

    /// Files a hire's request through GitLab: the one path `access file` and
    /// the wizard share.
    pub fn file_access(
        &self,
        settings: &Settings,
        token: Token,
        request: &AccessRequest,
    ) -> Result<Filed, Error> {
        let connection = Connection::open(settings, token)?;
        let journal = Journal::open(&self.journal_path())?;
        Ok(Filing::new(&connection, &journal, &self.renderer).file(request)?)
    }
}

fn read_holidays(path: &Path) -> Result<Vec<Holiday>, Diagnostics> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let file = SourceFile {
                path: shown,
                name: String::new(),
                text,
                json: None,
            };
            catalog::parse_holidays(&file).map_err(|d| Diagnostics(vec![d]))
        }
        Err(e) => Err(Diagnostics(vec![Diagnostic {
            file: shown,
            line: 1,
            column: 1,
            message: format!("cannot read the holiday list: {e}"),
        }])),
    }
}
