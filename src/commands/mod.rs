//! One file per subcommand; each turns parsed arguments into library calls.

mod access;
mod batch;
mod checklist;
mod completions;
mod roles;
mod validate;

use std::path::Path;

use crate::calendar::Calendar;
use crate::catalog::{self, Catalog, Diagnostics};
use crate::cli::{Cli, Command, HireArgs, SourceArgs};
use crate::config::Config;
use crate::hire::{parse_date, Hire, Username};
use crate::plan::{self, Checklist};
use crate::render::Renderer;
use crate::source::FileSet;
use crate::Error;

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Roles { command } => roles::run(&cli.sources, command),
        Command::Validate => validate::run(&cli.sources),
        Command::Checklist(args) => checklist::run(&cli.sources, args),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
        Command::Access { command } => access::run(&cli.sources, command),
        Command::Batch(args) => batch::run(&cli.sources, args),
        Command::Wizard(_) => Err(Error::Unexpected(
            "this command is not built yet".to_string(),
        )),
    }
}

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
    /// Loads everything, reporting every problem in the catalogue and templates at once.
    pub fn load(sources: &SourceArgs) -> Result<Self, Error> {
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
        let renderer = Renderer::new(&templates)
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
}

fn read_holidays(path: &Path) -> Result<Vec<crate::calendar::Holiday>, Diagnostics> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => catalog::parse_holidays(&shown, &text),
        Err(e) => Err(Diagnostics(vec![catalog::Diagnostic {
            file: shown,
            line: 1,
            column: 1,
            message: format!("cannot read the holiday list: {e}"),
        }])),
    }
}

/// Checks the hire flags' shapes; catalogue ids are checked when planning.
pub fn hire_from_args(args: &HireArgs) -> Result<Hire, Error> {
    let optional_user = |field, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| Username::parse(field, v))
            .transpose()
    };
    Ok(Hire {
        name: args.name.parse()?,
        email: args.email.as_deref().map(str::parse).transpose()?,
        username: optional_user("username", &args.username)?,
        role: args.role.trim().to_string(),
        start: parse_date("start", &args.start)?,
        manager: optional_user("manager", &args.manager)?,
        buddy: optional_user("buddy", &args.buddy)?,
        with: tool_list(&args.with),
        without: tool_list(&args.without),
    })
}

/// Tool ids from repeated or comma/semicolon-separated values.
pub fn tool_list(values: &[String]) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for id in values.iter().flat_map(|v| v.split([',', ';'])) {
        let id = id.trim();
        if !id.is_empty() && !tools.iter().any(|t| t == id) {
            tools.push(id.to_string());
        }
    }
    tools
}
