//! Business-day arithmetic: weekends and an optional holiday list are skipped.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// How many calendar days after the start GitLab makes an onboarding issue due.
pub const CHECKLIST_DUE_DAYS: u64 = 31;

/// When a task falls due, relative to the start date, as written in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Due {
    /// `before start: N` — N business days before day 1.
    BeforeStart(u32),
    /// `day N` — the Nth business day, day 1 being the start date.
    Day(u32),
    /// `week N` — the last business day of the Nth working week.
    Week(u32),
}

/// Why a due expression could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad due expression '{text}': {reason} (expected 'day N', 'week N' or 'before start: N', with N >= 1)")]
pub struct DueParseError {
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
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Due {
    /// Business-day offset from the start date (day 1 is offset 0).
    pub fn offset(self) -> i64 {
        match self {
            Due::BeforeStart(n) => -i64::from(n),
            Due::Day(n) => i64::from(n) - 1,
            Due::Week(n) => i64::from(n) * 5 - 1,
        }
    }

    /// The checklist phase this expression belongs to.
    pub fn phase(self) -> Phase {
        match self {
            Due::BeforeStart(_) => Phase::BeforeStart,
            Due::Day(n) if n <= 5 => Phase::Day(n),
            Due::Day(n) => Phase::Week(n.div_ceil(5)),
            Due::Week(n) => Phase::Week(n),
        }
    }
}

/// A heading of the checklist: tasks are grouped by when they fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// Anything due before day 1.
    BeforeStart,
    /// One of the first five days.
    Day(u32),
    /// A whole working week.
    Week(u32),
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::BeforeStart => f.write_str("Before start"),
            Phase::Day(n) => write!(f, "Day {n}"),
            Phase::Week(n) => write!(f, "Week {n}"),
        }
    }
}

/// A named day off that due dates skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The date of the holiday.
    pub date: NaiveDate,
    /// What it is called, for messages.
    pub name: String,
}

/// Why a start date cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartDateError {
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

/// Weekends plus a holiday list; answers "is this a business day" and counts them.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeMap<NaiveDate, String>,
}

impl Calendar {
    /// A calendar that skips weekends and the given holidays.
    pub fn new(holidays: impl IntoIterator<Item = Holiday>) -> Self {
        Self {
            holidays: holidays.into_iter().map(|h| (h.date, h.name)).collect(),
        }
    }

    /// True on Monday to Friday when the day is not a holiday.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains_key(&date)
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        self.add_business_days(date, 1)
    }

    /// The first business day on or after `date`.
    pub fn business_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_business_day(date) {
            date
        } else {
            self.next_business_day(date)
        }
    }

    /// Refuses a start date that is not a business day, naming why.
    pub fn check_start(&self, date: NaiveDate) -> Result<(), StartDateError> {
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
    pub fn add_business_days(&self, date: NaiveDate, offset: i64) -> NaiveDate {
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

    /// The date a due expression falls on for someone starting on `start`.
    pub fn resolve(&self, start: NaiveDate, due: Due) -> NaiveDate {
        self.add_business_days(start, due.offset())
    }
}

/// The date the whole checklist is due: start + 31 calendar days, as GitLab does.
pub fn checklist_due(start: NaiveDate) -> NaiveDate {
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
        for bad in [
            "day 0", "week", "tomorrow", "day two", "week -1", "day 1000", "",
        ] {
            assert!(bad.parse::<Due>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn display_round_trips() {
        for due in [Due::Day(4), Due::Week(2), Due::BeforeStart(3)] {
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
    fn weeks_end_on_their_last_business_day() {
        let cal = Calendar::default();
        let monday = date("2026-12-07");
        assert_eq!(cal.resolve(monday, Due::Week(1)), date("2026-12-11"));
        assert_eq!(cal.resolve(monday, Due::Week(2)), date("2026-12-18"));
        let wednesday = date("2026-12-09");
        assert_eq!(cal.resolve(wednesday, Due::Week(1)), date("2026-12-15"));
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

    #[test]
    fn phases_group_days_and_weeks() {
        assert_eq!(Due::Day(3).phase(), Phase::Day(3));
        assert_eq!(Due::Day(7).phase(), Phase::Week(2));
        assert_eq!(Due::Week(1).phase(), Phase::Week(1));
        assert_eq!(Due::BeforeStart(2).phase(), Phase::BeforeStart);
        assert!(Phase::BeforeStart < Phase::Day(1) && Phase::Day(5) < Phase::Week(1));
    }

    #[test]
    fn checklist_is_due_31_days_after_start() {
        assert_eq!(checklist_due(date("2026-12-07")), date("2027-01-07"));
    }
}
