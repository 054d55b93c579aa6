//! What a command works with: the catalogue, the templates it renders, and
//! the calendar, loaded once from the settings' sources with every problem
//! reported together.

use std::path::Path;
use std::sync::Arc;

use crate::calendar::{Calendar, Calendars, Holiday};
use crate::catalog::{self, AccessRequestDefaults, Catalog};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::hire::{CountryChoice, Field, FieldError, FieldErrors, Hire, HireFields, StartWindow};
use crate::output::say;
use crate::plan::Plans;
use crate::render::Renderer;
use crate::roster::{self, Rejected, RosterProblems};
use crate::settings::{Settings, Sources};
use crate::source::{FileSet, SourceFile};
use crate::Error;

/// Whose public holidays are skipped when neither the hire nor the config
/// names a country.
pub(crate) const DEFAULT_COUNTRY: &str = "US";

/// The catalogue, templates and calendar one command works with.
pub(crate) struct Workspace {
    /// The validated catalogue.
    pub catalog: Catalog,
    /// The catalogue's files, to place messages about it.
    pub roles: FileSet,
    /// The compiled templates.
    pub renderer: Renderer,
    /// Each country's calendar: weekends, its public holidays, and the
    /// catalogue's and `--holidays` days off.
    pub calendars: Calendars,
    /// The calendar of a hire who names no country.
    pub calendar: Arc<Calendar>,
    /// The access-request defaults, with the config's overrides.
    pub request_defaults: AccessRequestDefaults,
    /// The longest access may be granted for, in days after the start.
    pub max_access_days: u32,
}

impl Workspace {
    /// Loads the catalogue and the templates, reporting every problem at
    /// once. Every template is there for every command: the embedded ones
    /// are compiled when first rendered, a templates folder's own at once.
    pub(crate) fn load(settings: &Settings) -> Result<Self, Error> {
        Self::load_for(settings, &[])
    }

    /// [`Self::load`], with the templates the command is about to render
    /// compiled on a second thread while the catalogue loads: compiling
    /// a template costs about as much as loading the catalogue.
    pub(crate) fn load_for(settings: &Settings, first: &[&str]) -> Result<Self, Error> {
        let Sources {
            roles,
            templates,
            holidays,
            country,
        } = &settings.sources;
        let countries = FileSet::embedded_country_holidays();
        let (roles, countries) = match roles {
            Some(dir) => {
                let own = dir.join("holidays");
                let countries = if own.is_dir() {
                    countries.overridden_by(FileSet::read_dir(&own, &[".yaml", ".yml"])?)
                } else {
                    countries
                };
                (FileSet::read_dir(dir, &[".yaml", ".yml"])?, countries)
            }
            None => (FileSet::embedded_roles(), countries),
        };
        let templates = match templates {
            Some(dir) => {
                FileSet::embedded_templates().overridden_by(FileSet::read_dir(dir, &[".hbs"])?)
            }
            None => FileSet::embedded_templates(),
        };
        let mut problems = Diagnostics::default();
        let renderer = Renderer::new(&templates);
        let catalog = std::thread::scope(|scope| {
            if let Ok(renderer) = &renderer {
                for name in first {
                    scope.spawn(move || renderer.warm(&[name]));
                }
            }
            catalog::load(&roles)
        });
        let catalog = catalog.map_err(|d| problems.extend(d)).ok();
        let renderer = renderer.map_err(|d| problems.extend(d)).ok();
        let extra_holidays = match holidays {
            Some(path) => read_holidays(path)
                .map_err(|d| problems.extend(d))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        match (catalog, renderer) {
            (Some(catalog), Some(renderer)) if problems.is_empty() => {
                let company: Vec<Holiday> = catalog
                    .holidays
                    .iter()
                    .cloned()
                    .chain(extra_holidays)
                    .collect();
                let default = country
                    .clone()
                    .unwrap_or_else(|| CountryChoice::Code(DEFAULT_COUNTRY.to_string()));
                let calendars = Calendars::new(
                    company,
                    &countries,
                    catalog::parse_country_holidays,
                    default,
                );
                let calendar = calendars.get(None).map_err(|message| {
                    Error::Fields(FieldErrors(vec![FieldError::catalog(
                        Field::Country,
                        format!("the config's country: {message}"),
                    )]))
                })?;
                let overrides = &settings.access_requests;
                let request_defaults = AccessRequestDefaults {
                    labels: overrides
                        .labels
                        .clone()
                        .unwrap_or_else(|| catalog.access_requests.labels.clone()),
                    confidential: overrides
                        .confidential
                        .unwrap_or(catalog.access_requests.confidential),
                };
                Ok(Self {
                    catalog,
                    roles,
                    renderer,
                    calendars,
                    calendar,
                    request_defaults,
                    max_access_days: settings.lifecycle.max_access_days,
                })
            }
            _ => Err(Error::Invalid(problems)),
        }
    }

    /// Checks a hire against the catalogue and calendar, after warning
    /// about what is allowed but odd (a start in the past).
    pub(crate) fn resolve(&self, fields: HireFields) -> Result<Hire, FieldErrors> {
        for note in &fields.notes {
            say(&format!("warning: {note}"));
        }
        // The config's default country is a standing choice: only a
        // country the hire names is warned about.
        let named = fields.country.is_some();
        let hire = fields.resolve(&self.catalog, &self.calendars)?;
        hire.check_access_until(self.max_access_days)
            .map_err(|e| FieldErrors(vec![e]))?;
        if let Some(note) = named
            .then(|| self.calendars.regional_warning(&hire.calendar))
            .flatten()
        {
            say(&format!("warning: {note}"));
        }
        Ok(hire)
    }

    /// Reads a roster (`-`: stdin) and checks every row against the
    /// catalogue and calendar, each start against `window`; every problem
    /// of every row is reported together, grouped by kind, after the
    /// warnings for starts that are allowed but odd. Gives each hire with
    /// their line.
    pub(crate) fn roster(
        &self,
        path: &Path,
        window: Option<StartWindow>,
    ) -> Result<Vec<(usize, Hire)>, Error> {
        let source = read_roster(path)?;
        let mut hires = Vec::new();
        let problems = self.each_hire(&source, window, true, |line, hire| {
            hires.push((line, hire));
            Ok(())
        })?;
        if !problems.rows.is_empty() {
            return Err(Error::Roster(problems));
        }
        Ok(hires)
    }

    /// Checks every row of a roster read once, without keeping the hires:
    /// each one that passes every check goes to `each` as its row is read,
    /// so a roster of any length takes the same memory (but for its text).
    /// `each` may refuse a row for what only its command needs; the first
    /// error it gives stops the hires that follow from reaching it. The
    /// problems of the file itself are the error (nothing of it can be
    /// used); the rows that cannot be used are given back, for the command
    /// to refuse the roster or skip them. `warn` prints the warnings (once
    /// per run is enough).
    pub(crate) fn each_hire(
        &self,
        source: &roster::Source,
        window: Option<StartWindow>,
        warn: bool,
        mut each: impl FnMut(usize, Hire) -> Result<(), Refusal>,
    ) -> Result<RosterProblems, Error> {
        let shown = source.shown.as_str();
        let text = roster::decode(shown, &source.bytes)?;
        let mut rejected: Vec<Rejected> = Vec::new();
        let mut notes: Vec<Diagnostic> = Vec::new();
        let mut stopped: Option<Error> = None;
        let mut total = 0;
        let roster = roster::parse(shown, text, window, |roster, entry| {
            total += 1;
            let place = entry.place;
            if warn {
                notes.extend(entry.hire.notes.iter().map(|n| roster.locate(place, n)));
            }
            let email = entry.hire.email().map(ToString::to_string);
            let named = entry.hire.names_country();
            let resolved = entry
                .hire
                .resolve(&self.catalog, &self.calendars)
                .and_then(|hire| {
                    hire.check_access_until(self.max_access_days)
                        .map(|()| hire)
                        .map_err(|e| FieldErrors(vec![e]))
                });
            if let (true, true, Ok(hire)) = (warn, named, &resolved) {
                if let Some(note) = self.calendars.regional_warning(&hire.calendar) {
                    say(&format!("warning: {shown}:{}: {note}", place.line));
                }
            }
            let refused = match resolved {
                Ok(_) if stopped.is_some() => Vec::new(),
                Ok(hire) => match each(place.line, hire) {
                    Ok(()) => Vec::new(),
                    Err(Refusal::Row(error)) => vec![error],
                    Err(Refusal::Stop(err)) => {
                        stopped = Some(err);
                        Vec::new()
                    }
                },
                Err(errors) => errors.0,
            };
            if !refused.is_empty() {
                rejected.push(Rejected {
                    line: place.line,
                    email,
                    problems: refused.iter().map(|e| roster.locate(place, e)).collect(),
                });
            }
        });
        for note in roster::grouped(shown, &notes) {
            say(&format!("warning: {note}"));
        }
        let mut problems = roster.problems;
        problems.sort();
        problems.into_result(()).map_err(Error::Invalid)?;
        for unreadable in roster.unreadable.0 {
            total += 1;
            rejected.push(Rejected {
                line: unreadable.line,
                email: None,
                problems: vec![unreadable],
            });
        }
        rejected.sort_by_key(|row| row.line);
        if let Some(err) = stopped {
            return Err(err);
        }
        Ok(RosterProblems {
            file: shown.to_string(),
            rows: rejected,
            total,
            skippable: false,
        })
    }

    /// A plan cache over this catalogue.
    pub(crate) fn plans(&self) -> Plans<'_> {
        Plans::new(&self.catalog)
    }
}

/// A roster's bytes, read once (`-`: stdin).
pub(crate) fn read_roster(path: &Path) -> Result<roster::Source, Error> {
    roster::Source::read(path).map_err(|err| match err {
        roster::ReadError::Io { path, source } => Error::Input { path, source },
        roster::ReadError::TooLarge(problems) => Error::Invalid(problems),
    })
}

/// Why `each` turned a hire of a roster away.
pub(crate) enum Refusal {
    /// This row cannot be used for what the command does.
    Row(FieldError),
    /// The command cannot go on.
    Stop(Error),
}

impl<E: Into<Error>> From<E> for Refusal {
    fn from(err: E) -> Self {
        Refusal::Stop(err.into())
    }
}

fn read_holidays(path: &Path) -> Result<Vec<Holiday>, Diagnostics> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => catalog::parse_holidays(&SourceFile {
            path: shown,
            name: String::new(),
            text: text.into(),
            json: None,
        }),
        Err(e) => {
            Err(Diagnostic::file(&shown, format!("cannot read the holiday list: {e}")).into())
        }
    }
}
