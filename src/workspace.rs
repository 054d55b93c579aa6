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
use crate::roster;
use crate::settings::{Settings, Sources};
use crate::source::{FileSet, SourceFile};
use crate::Error;

/// Whose public holidays are skipped when neither the hire nor the config
/// names a country.
pub const DEFAULT_COUNTRY: &str = "US";

/// The catalogue, templates and calendar one command works with.
pub struct Workspace {
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
    pub fn load(settings: &Settings) -> Result<Self, Error> {
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
        let catalog = catalog::load(&roles).map_err(|d| problems.extend(d)).ok();
        let renderer = Renderer::new(&templates)
            .map_err(|d| problems.extend(d))
            .ok();
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
    pub fn resolve(&self, fields: HireFields) -> Result<Hire, FieldErrors> {
        for note in &fields.notes {
            say(&format!("warning: {note}"));
        }
        let hire = fields.resolve(&self.catalog, &self.calendars)?;
        hire.check_access_until(self.max_access_days)
            .map_err(|e| FieldErrors(vec![e]))?;
        Ok(hire)
    }

    /// Reads a roster and checks every row against the catalogue and
    /// calendar, each start against `window`; every problem of every row is
    /// reported together, each at its line, after a warning for each start
    /// that is allowed but odd. Gives each hire with their line.
    pub fn roster(
        &self,
        path: &Path,
        window: Option<StartWindow>,
    ) -> Result<Vec<(usize, Hire)>, Error> {
        let mut hires = Vec::new();
        self.each_hire(path, window, true, |line, hire| {
            hires.push((line, hire));
            Ok(())
        })?;
        Ok(hires)
    }

    /// [`roster`](Self::roster) without keeping the hires: each one that
    /// passes every check goes to `each` as its row is read, so a roster of
    /// any length takes the same memory (but for its text). The first error
    /// `each` gives stops the hires that follow from reaching it; the
    /// roster's problems come first, then that error. `warn` prints the
    /// warnings (once per run is enough). Gives how many hires there were.
    pub fn each_hire(
        &self,
        path: &Path,
        window: Option<StartWindow>,
        warn: bool,
        mut each: impl FnMut(usize, Hire) -> Result<(), Error>,
    ) -> Result<usize, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
        let shown = path.display().to_string();
        let text = roster::decode(&shown, &bytes)?;
        let mut problems = Diagnostics::default();
        let mut stopped: Option<Error> = None;
        let mut count = 0;
        let roster = roster::parse(&shown, text, window, |roster, entry| {
            let place = entry.place;
            if warn {
                for note in &entry.hire.notes {
                    say(&format!("warning: {}", roster.locate(place, note)));
                }
            }
            let resolved = entry
                .hire
                .resolve(&self.catalog, &self.calendars)
                .and_then(|hire| {
                    hire.check_access_until(self.max_access_days)
                        .map(|()| hire)
                        .map_err(|e| FieldErrors(vec![e]))
                });
            match resolved {
                Ok(hire) if stopped.is_none() && problems.is_empty() => {
                    count += 1;
                    if let Err(err) = each(place.line, hire) {
                        stopped = Some(err);
                    }
                }
                Ok(_) => count += 1,
                Err(errors) => {
                    for error in &errors.0 {
                        problems.push(roster.locate(place, error));
                    }
                }
            }
        });
        let mut all = roster.problems;
        all.extend(problems);
        all.sort();
        all.into_result(()).map_err(Error::Invalid)?;
        stopped.map_or(Ok(count), Err)
    }

    /// A plan cache over this catalogue.
    pub fn plans(&self) -> Plans<'_> {
        Plans::new(&self.catalog)
    }
}

fn read_holidays(path: &Path) -> Result<Vec<Holiday>, Diagnostics> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => catalog::parse_holidays(&SourceFile {
            path: shown,
            name: String::new(),
            text,
            json: None,
        }),
        Err(e) => {
            Err(Diagnostic::file(&shown, format!("cannot read the holiday list: {e}")).into())
        }
    }
}
