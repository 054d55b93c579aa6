//! Business-day arithmetic: weekends, the public holidays of the hire's
//! country and the company's own days off are skipped.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use crate::diagnostic::Diagnostics;
use crate::source::{FileSet, SourceFile};

/// Whose public holidays a hire's dates skip: a country, or none at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum CountryChoice {
    /// An ISO 3166-1 alpha-2 code, or an ISO 3166-2 region code, upper case: `DE`, `GB-ENG`.
    Code(String),
    /// `none`: weekends and the company's own days off only.
    NoCountry,
}

impl std::fmt::Display for CountryChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(code) => f.write_str(code),
            Self::NoCountry => f.write_str("none"),
        }
    }
}

/// `DE` for `DE.yaml`, `GB-ENG` for `GB-ENG.yaml`: a country or region
/// file's code, when its name is one.
pub(crate) fn country_code_of(file_name: &str) -> Option<String> {
    let stem = file_name
        .strip_suffix(".yaml")
        .or_else(|| file_name.strip_suffix(".yml"))?;
    region_code(stem)
}

/// How many calendar days after the start GitLab makes an onboarding issue due.
pub(crate) const CHECKLIST_DUE_DAYS: u64 = 31;

/// `GB` or `GB-ENG`, upper case: the text as an ISO 3166-1 country code or an
/// ISO 3166-2 region code (a country code, `-`, one to three letters or
/// digits), when it has that shape.
pub(crate) fn region_code(text: &str) -> Option<String> {
    let (country, region) = match text.split_once('-') {
        Some((country, region)) => (country, Some(region)),
        None => (text, None),
    };
    let country_ok = country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic());
    let region_ok = region
        .is_none_or(|r| (1..=3).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric()));
    (country_ok && region_ok).then(|| text.to_ascii_uppercase())
}

/// When a task falls due, relative to the start date, as written in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Due {
    /// `before start: N` — N business days before day 1.
    BeforeStart(u32),
    /// `day N` — the Nth business day, day 1 being the start date.
    Day(u32),
    /// `week N` — the last business day of the Nth calendar week (Monday to
    /// Friday) at work; a first week of fewer than three business days counts
    /// together with the next one, so week 1 is never one or two days long.
    Week(u32),
    /// `checklist due` — the day the whole checklist (and its onboarding
    /// issue) is due: start + 31 days, on a business day.
    Deadline,
}

/// How `checklist due` is written.
const CHECKLIST_DUE: &str = "checklist due";

/// Why a due expression could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad due expression '{text}': {reason} (expected 'day N', 'week N' or 'before start: N', with N >= 1, or 'checklist due')")]
pub(crate) struct DueParseError {
    /// The text as written.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for Due {
    type Err = DueParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |reason| DueParseError {
            text: text.to_string(),
            reason,
        };
        let normalized = text.trim().to_ascii_lowercase();
        if normalized == CHECKLIST_DUE {
            return Ok(Due::Deadline);
        }
        let (kind, number): (fn(u32) -> Due, &str) =
            if let Some(rest) = normalized.strip_prefix("before start") {
                let rest = rest.trim_start();
                (Due::BeforeStart, rest.strip_prefix(':').unwrap_or(rest))
            } else if let Some(rest) = normalized.strip_prefix("day") {
                (Due::Day, rest)
            } else if let Some(rest) = normalized.strip_prefix("week") {
                (Due::Week, rest)
            } else {
                return Err(fail("unknown form"));
            };
        let number = number.trim();
        if number.is_empty() {
            return Err(fail("missing number"));
        }
        let n: u32 = number.parse().map_err(|_| fail("not a whole number"))?;
        if n == 0 {
            return Err(fail("N must be at least 1"));
        }
        if n > 260 {
            return Err(fail("N is more than a working year"));
        }
        Ok(kind(n))
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::BeforeStart(n) => write!(f, "before start: {n}"),
            Due::Day(n) => write!(f, "day {n}"),
            Due::Week(n) => write!(f, "week {n}"),
            Due::Deadline => f.write_str(CHECKLIST_DUE),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Due {
    /// What a checklist heading calls this moment: "Day 3", "Week 2".
    pub(crate) fn label(self) -> String {
        match self {
            Due::BeforeStart(_) => "Before start".to_string(),
            Due::Day(n) => format!("Day {n}"),
            Due::Week(n) => format!("Week {n}"),
            Due::Deadline => "Checklist due".to_string(),
        }
    }
}

/// A named day off that due dates skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Holiday {
    /// The date of the holiday.
    #[serde(serialize_with = "crate::day::serialize")]
    pub date: NaiveDate,
    /// What it is called, for messages.
    pub name: String,
}

/// Why a start date cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum StartDateError {
    /// Saturday or Sunday.
    #[error("start date {date} is a {weekday}; choose a business day (the next one is {next})")]
    Weekend {
        /// The refused date.
        date: NaiveDate,
        /// Its weekday, for the message.
        weekday: String,
        /// The next business day, as a suggestion.
        next: NaiveDate,
    },
    /// A date in the holiday list.
    #[error(
        "start date {date} is a holiday ({name}); choose a business day (the next one is {next})"
    )]
    Holiday {
        /// The refused date.
        date: NaiveDate,
        /// The holiday's name.
        name: String,
        /// The next business day, as a suggestion.
        next: NaiveDate,
    },
}

impl StartDateError {
    /// The business day to suggest instead.
    pub(crate) fn next(&self) -> NaiveDate {
        match self {
            StartDateError::Weekend { next, .. } | StartDateError::Holiday { next, .. } => *next,
        }
    }
}

/// Where a country's public holidays come from, for messages and the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Country {
    /// ISO 3166-1 alpha-2 code, upper case: `DE`.
    pub code: String,
    /// English name: `Germany`.
    pub name: String,
    /// The first and last year the list covers, when it says.
    pub years: Option<(i32, i32)>,
}

/// A country's public holidays, as read from `roles/holidays/<CODE>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CountryHolidays {
    /// Which country.
    pub country: Country,
    /// Its days off.
    pub holidays: Vec<Holiday>,
}

/// Weekends plus a holiday list; answers "is this a business day" and counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Calendar {
    holidays: BTreeMap<NaiveDate, String>,
    country: Option<Country>,
}

impl Calendar {
    /// A calendar that skips weekends and the given holidays.
    pub(crate) fn new(holidays: impl IntoIterator<Item = Holiday>) -> Self {
        Self {
            holidays: holidays.into_iter().map(|h| (h.date, h.name)).collect(),
            country: None,
        }
    }

    /// A calendar that skips weekends, a country's public holidays and the
    /// company's own days off. A day that is both keeps both names.
    pub(crate) fn for_country(country: &CountryHolidays, company: &[Holiday]) -> Self {
        let mut calendar = Self::new(country.holidays.iter().cloned());
        for day in company {
            calendar
                .holidays
                .entry(day.date)
                .and_modify(|name| {
                    if *name != day.name {
                        *name = format!("{name}; {}", day.name);
                    }
                })
                .or_insert_with(|| day.name.clone());
        }
        calendar.country = Some(country.country.clone());
        calendar
    }

    /// Whose public holidays are skipped, if any country's.
    pub(crate) fn country(&self) -> Option<&Country> {
        self.country.as_ref()
    }

    /// True when the country's list covers `date`'s year (or says nothing
    /// about the years it covers), or when no country is used.
    pub(crate) fn knows_holidays_in(&self, date: NaiveDate) -> bool {
        self.country
            .as_ref()
            .and_then(|c| c.years)
            .is_none_or(|(first, last)| (first..=last).contains(&date.year()))
    }

    /// True on Monday to Friday when the day is not a holiday.
    pub(crate) fn is_business_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.holidays.contains_key(&date)
    }

    /// The holidays on weekdays after `after` and up to `until`: the days a
    /// count of business days stepped over.
    pub(crate) fn days_off_between(&self, after: NaiveDate, until: NaiveDate) -> Vec<Holiday> {
        if until <= after {
            return Vec::new();
        }
        self.holidays
            .range(after.succ_opt().unwrap_or(after)..=until)
            .filter(|(date, _)| !is_weekend(**date))
            .map(|(date, name)| Holiday {
                date: *date,
                name: name.clone(),
            })
            .collect()
    }

    /// The first business day strictly after `date`.
    pub(crate) fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        self.add_business_days(date, 1)
    }

    /// The first business day on or after `date`.
    pub(crate) fn business_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_business_day(date) {
            date
        } else {
            self.next_business_day(date)
        }
    }

    /// Refuses a start date that is not a business day, naming why.
    pub(crate) fn check_start(&self, date: NaiveDate) -> Result<(), StartDateError> {
        if let Some(name) = self.holidays.get(&date) {
            return Err(StartDateError::Holiday {
                date,
                name: name.clone(),
                next: self.next_business_day(date),
            });
        }
        if !self.is_business_day(date) {
            return Err(StartDateError::Weekend {
                date,
                weekday: date.format("%A").to_string(),
                next: self.next_business_day(date),
            });
        }
        Ok(())
    }

    /// Moves `offset` business days from `date` (negative goes back), skipping days off.
    pub(crate) fn add_business_days(&self, date: NaiveDate, offset: i64) -> NaiveDate {
        let step = |d: NaiveDate| {
            if offset >= 0 {
                d.checked_add_days(Days::new(1))
            } else {
                d.checked_sub_days(Days::new(1))
            }
            .unwrap_or(d)
        };
        let mut current = date;
        let mut remaining = offset.unsigned_abs();
        while remaining > 0 {
            current = step(current);
            if self.is_business_day(current) {
                remaining -= 1;
            }
        }
        current
    }

    /// How many business days come after `since`, up to and including
    /// `until`: how late a task due on `since` is on `until`. At most a
    /// year's worth are counted, so a stray date cannot make it slow.
    pub(crate) fn business_days_after(&self, since: NaiveDate, until: NaiveDate) -> usize {
        since
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= until)
            .take(366)
            .filter(|d| self.is_business_day(*d))
            .count()
    }

    /// The date a due expression falls on for someone starting on `start`.
    pub(crate) fn resolve(&self, start: NaiveDate, due: Due) -> NaiveDate {
        match due {
            Due::BeforeStart(n) => self.add_business_days(start, -i64::from(n)),
            Due::Day(n) => self.add_business_days(start, i64::from(n) - 1),
            Due::Week(n) => self.end_of_week(start, n),
            Due::Deadline => self.business_day_on_or_after(checklist_due(start)),
        }
    }

    /// The last business day of the `n`th calendar week at work, never before
    /// the start. A first week with fewer than three business days left
    /// (a Thursday start, say) is counted together with the next one.
    fn end_of_week(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let monday = start
            .checked_sub_days(Days::new(u64::from(start.weekday().num_days_from_monday())))
            .unwrap_or(start);
        let first_week_days = (0..5)
            .filter_map(|d| monday.checked_add_days(Days::new(d)))
            .filter(|d| *d >= start && self.is_business_day(*d))
            .count();
        let weeks = u64::from(n - 1) + u64::from(first_week_days < 3);
        let Some(week) = monday.checked_add_days(Days::new(7 * weeks)) else {
            return start;
        };
        (0..5)
            .rev()
            .filter_map(|d| week.checked_add_days(Days::new(d)))
            .find(|d| *d >= start && self.is_business_day(*d))
            // A whole week of holidays: the first business day after it.
            .unwrap_or_else(|| {
                self.business_day_on_or_after(week.checked_add_days(Days::new(7)).unwrap_or(week))
            })
    }
}

/// Reads one country's holiday file.
pub(crate) type ParseCountry = fn(&SourceFile) -> Result<CountryHolidays, Diagnostics>;

/// Every hire's calendar: the company's own days off, plus the public
/// holidays of the hire's country, read from its file the first time a hire
/// of that country needs it and shared after that.
pub(crate) struct Calendars {
    company: Vec<Holiday>,
    countries: BTreeMap<String, SourceFile>,
    parse: ParseCountry,
    default: CountryChoice,
    cache: Mutex<BTreeMap<CountryChoice, Arc<Calendar>>>,
    /// The countries already warned about leaving regional days out.
    warned: Mutex<std::collections::BTreeSet<String>>,
}

impl std::fmt::Debug for Calendars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendars")
            .field("countries", &self.countries.keys().collect::<Vec<_>>())
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

impl Calendars {
    /// Calendars over the company's days off and one holiday file per
    /// country (`<CODE>.yaml`); `default` is used for a hire who names none.
    pub(crate) fn new(
        company: Vec<Holiday>,
        files: &FileSet,
        parse: ParseCountry,
        default: CountryChoice,
    ) -> Self {
        let countries = files
            .files
            .iter()
            .filter_map(|f| country_code_of(&f.name).map(|c| (c, f.clone())))
            .collect();
        Self {
            company,
            countries,
            parse,
            default,
            cache: Mutex::default(),
            warned: Mutex::default(),
        }
    }

    /// The codes of every country and region with a holiday file.
    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        self.countries.keys().map(String::as_str)
    }

    /// The codes of the countries with a holiday file, regions left out.
    fn country_codes(&self) -> Vec<&str> {
        self.codes().filter(|c| !c.contains('-')).collect()
    }

    /// The codes of a country's regions with days off of their own: `GB-ENG`, ...
    pub(crate) fn regions_of(&self, country: &str) -> Vec<&str> {
        let prefix = format!("{country}-");
        self.codes().filter(|c| c.starts_with(&prefix)).collect()
    }

    /// For a hire of a whole country whose regions have days off of their
    /// own, the first time in this run: a warning that those days are not
    /// counted, naming the regions' codes.
    pub(crate) fn regional_warning(&self, calendar: &Calendar) -> Option<String> {
        let country = calendar.country()?;
        let regions = self.regions_of(&country.code);
        if regions.is_empty() {
            return None;
        }
        let first_time = self
            .warned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(country.code.clone());
        first_time.then(|| {
            format!(
                "regional days off are not counted for {} (only the days all of it shares); give a region's code to count them: {}",
                country.name,
                regions.join(", ")
            )
        })
    }

    /// The country used when a hire names none.
    pub(crate) fn default_choice(&self) -> &CountryChoice {
        &self.default
    }

    /// The calendar of a hire of `country` (the default when `None`); the
    /// message says why when the country has no holiday file, or a bad one.
    pub(crate) fn get(&self, country: Option<&CountryChoice>) -> Result<Arc<Calendar>, String> {
        let choice = country.unwrap_or(&self.default);
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(calendar) = cache.get(choice) {
            return Ok(Arc::clone(calendar));
        }
        let calendar = Arc::new(match choice {
            CountryChoice::NoCountry => Calendar::new(self.company.iter().cloned()),
            CountryChoice::Code(code) => {
                let Some(file) = self.countries.get(code) else {
                    return Err(self.unknown(code));
                };
                let holidays = (self.parse)(file).map_err(|d| d.to_string())?;
                Calendar::for_country(&holidays, &self.company)
            }
        });
        cache.insert(choice.clone(), Arc::clone(&calendar));
        Ok(calendar)
    }

    /// Every country with a readable holiday file, by code, with its name.
    /// Reads each file the first time; a bad one is left out here, and
    /// `validate` names its problems.
    pub(crate) fn countries(&self) -> Vec<Country> {
        self.codes()
            .filter_map(|code| {
                let calendar = self
                    .get(Some(&CountryChoice::Code(code.to_string())))
                    .ok()?;
                calendar.country().cloned()
            })
            .collect()
    }

    /// The country a person means by `text`: `none`, a code with a holiday
    /// file, or a country's name in any case (`Japan`, `united kingdom`).
    /// A near miss is refused with a suggestion naming the country and its code.
    pub(crate) fn find(&self, text: &str) -> Result<CountryChoice, String> {
        let text = text.trim();
        if let Ok(choice) = text.parse::<CountryChoice>() {
            return match &choice {
                CountryChoice::Code(code) if !self.countries.contains_key(code) => {
                    Err(self.unknown(code))
                }
                _ => Ok(choice),
            };
        }
        let countries = self.countries();
        // "England" as well as "England (United Kingdom)".
        let region_name = |c: &Country| c.name.split(" (").next().unwrap_or_default().to_string();
        if let Some(country) = countries.iter().find(|c| {
            c.name.eq_ignore_ascii_case(text) || region_name(c).eq_ignore_ascii_case(text)
        }) {
            return Ok(CountryChoice::Code(country.code.clone()));
        }
        // A near miss is suggested among whole countries: a region's name
        // is taken only when given exactly.
        let countries: Vec<Country> = countries
            .into_iter()
            .filter(|c| !c.code.contains('-'))
            .collect();
        let wanted = text.to_lowercase();
        let names: Vec<String> = countries.iter().map(|c| c.name.to_lowercase()).collect();
        let near: Vec<&Country> =
            match crate::diagnostic::nearest(&wanted, names.iter().map(String::as_str)) {
                Some(name) => countries
                    .iter()
                    .filter(|c| c.name.to_lowercase() == name)
                    .collect(),
                // "korea" or "united": the names that contain the word.
                None if wanted.chars().count() >= 3 => countries
                    .iter()
                    .zip(&names)
                    .filter(|(_, name)| name.contains(&wanted))
                    .map(|(country, _)| country)
                    .collect(),
                None => Vec::new(),
            };
        let shown = crate::inert::printable(text);
        if near.is_empty() {
            let codes = self.country_codes();
            return Err(format!(
                "'{shown}' is not a country with known public holidays; give a name or a code ({}), or 'none' for weekends and company days off only",
                codes.join(", ")
            ));
        }
        let suggestions: Vec<String> = near
            .iter()
            .map(|c| format!("{} ({})", c.name, c.code))
            .collect();
        Err(format!(
            "'{shown}' is not a country with known public holidays; did you mean {}?",
            one_of(&suggestions)
        ))
    }

    /// Reads every country's file, for `validate`: every problem of every file.
    pub(crate) fn check_all(&self) -> Diagnostics {
        let mut problems = Diagnostics::default();
        for file in self.countries.values() {
            if let Err(found) = (self.parse)(file) {
                problems.extend(found);
            }
        }
        problems
    }

    fn unknown(&self, code: &str) -> String {
        if let Some((country, _)) = code.split_once('-') {
            let regions = self.regions_of(country);
            if !regions.is_empty() {
                return format!(
                    "no public holidays are known for '{code}'; the regions of {country} with days off of their own are {}, or give '{country}' for the days all of it shares",
                    regions.join(", ")
                );
            }
        }
        format!(
            "no public holidays are known for '{code}'; the countries known are {}, or 'none' for weekends and company days off only; regions have codes such as GB-ENG or US-CA (add roles/holidays/{code}.yaml to a --roles folder to add one)",
            self.country_codes().join(", ")
        )
    }
}

/// `A`, `A or B`, `A, B or C`.
fn one_of(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date the whole checklist is due: start + 31 calendar days, as GitLab
/// does; the calendar then moves it to a business day.
pub(crate) fn checklist_due(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_days(Days::new(CHECKLIST_DUE_DAYS))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_form_and_rejects_nonsense() {
        assert_eq!("day 1".parse(), Ok(Due::Day(1)));
        assert_eq!(" Week 3 ".parse(), Ok(Due::Week(3)));
        assert_eq!("before start: 2".parse(), Ok(Due::BeforeStart(2)));
        assert_eq!("before start 4".parse(), Ok(Due::BeforeStart(4)));
        assert_eq!("Checklist due".parse(), Ok(Due::Deadline));
        for bad in [
            "day 0", "week", "tomorrow", "day two", "week -1", "day 1000", "",
        ] {
            assert!(bad.parse::<Due>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn display_round_trips() {
        for due in [
            Due::Day(4),
            Due::Week(2),
            Due::BeforeStart(3),
            Due::Deadline,
        ] {
            assert_eq!(due.to_string().parse(), Ok(due));
        }
    }

    #[test]
    fn day_one_is_the_start_and_days_skip_weekends() {
        let cal = Calendar::default();
        let monday = date("2026-12-07");
        assert_eq!(cal.resolve(monday, Due::Day(1)), monday);
        assert_eq!(cal.resolve(monday, Due::Day(5)), date("2026-12-11"));
        assert_eq!(cal.resolve(monday, Due::Day(6)), date("2026-12-14"));
        let thursday = date("2026-12-10");
        assert_eq!(cal.resolve(thursday, Due::Day(3)), date("2026-12-14"));
    }

    #[test]
    fn weeks_are_calendar_weeks_ending_on_their_last_business_day() {
        let cal = Calendar::default();
        let monday = date("2026-12-07");
        assert_eq!(cal.resolve(monday, Due::Week(1)), date("2026-12-11"));
        assert_eq!(cal.resolve(monday, Due::Week(2)), date("2026-12-18"));
        let wednesday = date("2026-12-09");
        assert_eq!(cal.resolve(wednesday, Due::Week(1)), date("2026-12-11"));
        assert_eq!(cal.resolve(wednesday, Due::Week(2)), date("2026-12-18"));
    }

    #[test]
    fn a_first_week_of_one_or_two_days_counts_with_the_next() {
        let cal = Calendar::default();
        let thursday = date("2026-12-10");
        assert_eq!(cal.resolve(thursday, Due::Week(1)), date("2026-12-18"));
        let friday = date("2026-12-11");
        assert_eq!(cal.resolve(friday, Due::Week(1)), date("2026-12-18"));
        assert_eq!(cal.resolve(friday, Due::Week(2)), date("2026-12-25"));
    }

    #[test]
    fn a_week_whose_friday_is_a_holiday_ends_on_thursday() {
        let cal = Calendar::new([Holiday {
            date: date("2026-12-25"),
            name: "Christmas Day".into(),
        }]);
        let monday = date("2026-12-14");
        assert_eq!(cal.resolve(monday, Due::Week(2)), date("2026-12-24"));
        // Wednesday 23rd: only the 23rd and 24th are left, so week 1 runs on
        // to the end of the next week.
        let wednesday = date("2026-12-23");
        assert_eq!(cal.resolve(wednesday, Due::Week(1)), date("2027-01-01"));
    }

    #[test]
    fn days_off_between_lists_weekday_holidays_only() {
        let country = CountryHolidays {
            country: Country {
                code: "GB".into(),
                name: "United Kingdom".into(),
                years: Some((2025, 2030)),
            },
            holidays: vec![
                Holiday {
                    date: date("2026-12-25"),
                    name: "Christmas Day".into(),
                },
                Holiday {
                    date: date("2026-12-26"),
                    name: "Boxing Day".into(),
                },
                Holiday {
                    date: date("2026-12-28"),
                    name: "Boxing Day (observed)".into(),
                },
            ],
        };
        let company = [Holiday {
            date: date("2026-12-24"),
            name: "Company day off".into(),
        }];
        let cal = Calendar::for_country(&country, &company);
        let names: Vec<String> = cal
            .days_off_between(date("2026-12-23"), date("2026-12-28"))
            .into_iter()
            .map(|h| h.name)
            .collect();
        assert_eq!(
            names,
            ["Company day off", "Christmas Day", "Boxing Day (observed)"]
        );
        assert_eq!(cal.country().unwrap().code, "GB");
        assert!(cal.knows_holidays_in(date("2030-12-31")));
        assert!(!cal.knows_holidays_in(date("2031-01-02")));
    }

    #[test]
    fn before_start_counts_back_over_weekends() {
        let cal = Calendar::default();
        let monday = date("2026-12-07");
        assert_eq!(cal.resolve(monday, Due::BeforeStart(1)), date("2026-12-04"));
        assert_eq!(cal.resolve(monday, Due::BeforeStart(3)), date("2026-12-02"));
    }

    #[test]
    fn holidays_are_skipped_and_refused_as_start() {
        let cal = Calendar::new([Holiday {
            date: date("2026-12-25"),
            name: "Christmas Day".into(),
        }]);
        let thursday = date("2026-12-24");
        assert_eq!(cal.resolve(thursday, Due::Day(2)), date("2026-12-28"));
        let err = cal.check_start(date("2026-12-25")).unwrap_err();
        assert!(err.to_string().contains("Christmas Day"), "{err}");
        assert!(err.to_string().contains("2026-12-28"), "{err}");
    }

    #[test]
    fn weekend_start_is_refused_with_the_next_business_day() {
        let cal = Calendar::default();
        let err = cal.check_start(date("2026-12-05")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "start date 2026-12-05 is a Saturday; choose a business day (the next one is 2026-12-07)"
        );
        assert!(cal.check_start(date("2026-12-07")).is_ok());
    }

    fn embedded_calendars() -> Calendars {
        Calendars::new(
            Vec::new(),
            &FileSet::embedded_country_holidays(),
            crate::catalog::parse_country_holidays,
            CountryChoice::NoCountry,
        )
    }

    #[test]
    fn a_country_is_found_by_code_or_by_name_in_any_case() {
        let calendars = embedded_calendars();
        let code = |c: &str| Ok(CountryChoice::Code(c.to_string()));
        assert_eq!(calendars.find("Japan"), code("JP"));
        assert_eq!(calendars.find(" united kingdom "), code("GB"));
        assert_eq!(calendars.find("de"), code("DE"));
        assert_eq!(calendars.find("None"), Ok(CountryChoice::NoCountry));
        assert_eq!(calendars.find("gb-eng"), code("GB-ENG"));
        assert_eq!(calendars.find("England"), code("GB-ENG"));
        assert_eq!(calendars.find("bayern (germany)"), code("DE-BY"));
    }

    #[test]
    fn a_near_miss_is_refused_with_the_country_meant() {
        let calendars = embedded_calendars();
        assert_eq!(
            calendars.find("Germny"),
            Err(
                "'Germny' is not a country with known public holidays; did you mean Germany (DE)?"
                    .to_string()
            )
        );
        assert_eq!(
            calendars.find("united"),
            Err("'united' is not a country with known public holidays; did you mean United Arab Emirates (AE), United Kingdom (GB) or United States (US)?".to_string())
        );
        let far = calendars.find("Atlantis").unwrap_err();
        assert!(far.contains("give a name or a code (AE, AT,"), "{far}");
        let code = calendars.find("XX").unwrap_err();
        assert!(
            code.starts_with("no public holidays are known for 'XX'"),
            "{code}"
        );
    }

    #[test]
    fn checklist_due_is_start_plus_31_days_on_a_business_day() {
        let cal = Calendar::default();
        // 2026-12-07 + 31 is Thursday 2027-01-07; 2026-12-03 + 31 a Sunday.
        assert_eq!(
            cal.resolve(date("2026-12-07"), Due::Deadline),
            date("2027-01-07")
        );
        assert_eq!(
            cal.resolve(date("2026-12-03"), Due::Deadline),
            date("2027-01-04")
        );
    }

    #[test]
    fn region_codes_are_country_codes_with_a_region() {
        assert_eq!(region_code("gb-eng"), Some("GB-ENG".to_string()));
        assert_eq!(region_code("DE"), Some("DE".to_string()));
        assert_eq!(region_code("US-CA"), Some("US-CA".to_string()));
        for bad in ["GBR", "GB-", "GB-ENGL", "G-ENG", "GB-E G", "Germany"] {
            assert_eq!(region_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn checklist_is_due_31_days_after_start() {
        assert_eq!(checklist_due(date("2026-12-07")), date("2027-01-07"));
    }
}
