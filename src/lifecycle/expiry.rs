//! Access that ends: a contractor's requests carry the day their access
//! ends. `status` shows it ending, and reminds the teams that remove it a
//! week before and on the day, once each.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::tasks::item;

/// Ends the box the access-request template writes for removing expiring
/// access, so `status` can tell whether it was ticked.
pub(crate) const REMOVED_MARKER: &str = "<!-- onboard-expiry -->";
/// Starts the hidden line of an expiry reminder.
const REMINDER_MARKER: &str = "<!-- onboard-expiry-reminder";
/// How many days ahead `status` starts saying that access ends soon.
pub(crate) const SOON_DAYS: i64 = 14;
/// How many days ahead the first reminder is posted.
const FIRST_REMINDER_DAYS: u64 = 7;

/// Whether the box for removing a request's expiring access is ticked.
pub(crate) fn removed_on_expiry(body: &str) -> bool {
    body.lines()
        .filter_map(item)
        .any(|i| i.done && i.text.contains(REMOVED_MARKER))
}

/// Where access that ends stands as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "days")]
pub(crate) enum Expiry {
    /// Ends within [`SOON_DAYS`] days: in this many.
    Soon(i64),
    /// Ended and not yet removed.
    Expired,
}

impl Expiry {
    /// Access ending on `until`, as of `as_of`; `None` when it is far off
    /// or was removed.
    pub(crate) fn of(until: NaiveDate, as_of: NaiveDate, removed: bool) -> Option<Self> {
        let days = (until - as_of).num_days();
        if removed {
            None
        } else if days < 0 {
            Some(Expiry::Expired)
        } else if days <= SOON_DAYS {
            Some(Expiry::Soon(days))
        } else {
            None
        }
    }

    /// `expires in 3 days`, `expires today`, `expired`.
    pub(crate) fn label(self) -> String {
        match self {
            Expiry::Soon(0) => "expires today".to_string(),
            Expiry::Soon(1) => "expires in 1 day".to_string(),
            Expiry::Soon(days) => format!("expires in {days} days"),
            Expiry::Expired => "expired".to_string(),
        }
    }
}

/// The two reminders of access that ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// A week before.
    WeekBefore,
    /// On the day (or the first run after it).
    OnTheDay,
}

impl Stage {
    fn word(self) -> &'static str {
        match self {
            Stage::WeekBefore => "week-before",
            Stage::OnTheDay => "on-the-day",
        }
    }

    /// The reminder due as of `as_of` for access ending on `until`, if one
    /// is: each is due from its day on, so a run that missed the day still
    /// posts it.
    pub(crate) fn due(until: NaiveDate, as_of: NaiveDate) -> Option<Self> {
        let week_before = until
            .checked_sub_days(Days::new(FIRST_REMINDER_DAYS))
            .unwrap_or(until);
        if as_of >= until {
            Some(Stage::OnTheDay)
        } else if as_of >= week_before {
            Some(Stage::WeekBefore)
        } else {
            None
        }
    }

    /// The hidden line that marks this reminder, so it is posted once.
    pub(crate) fn marker(self, until: NaiveDate) -> String {
        format!("{REMINDER_MARKER} until:{until} stage:{} -->", self.word())
    }

    /// The reminder's text: who to tell (`@handle` or a team's name), what
    /// ends and when. User text does not appear in it.
    pub(crate) fn note(self, until: NaiveDate, teams: &[String], systems: &[String]) -> String {
        let when = match self {
            Stage::WeekBefore => format!("ends on {until}, in a week"),
            Stage::OnTheDay => format!("ended on {until}"),
        };
        format!(
            "{}: access to {} {when}. Remove it, then tick the box above.\n\n{}",
            teams.join(", "),
            systems.join(", "),
            self.marker(until)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn access_shows_as_ending_within_two_weeks_then_expired_until_removed() {
        let until = day("2027-06-30");
        assert_eq!(Expiry::of(until, day("2027-06-01"), false), None);
        assert_eq!(
            Expiry::of(until, day("2027-06-16"), false),
            Some(Expiry::Soon(14))
        );
        assert_eq!(
            Expiry::of(until, day("2027-06-30"), false).unwrap().label(),
            "expires today"
        );
        assert_eq!(
            Expiry::of(until, day("2027-07-01"), false),
            Some(Expiry::Expired)
        );
        assert_eq!(Expiry::of(until, day("2027-07-01"), true), None);
    }

    #[test]
    fn reminders_are_due_a_week_before_and_from_the_day_on() {
        let until = day("2027-06-30");
        assert_eq!(Stage::due(until, day("2027-06-22")), None);
        assert_eq!(
            Stage::due(until, day("2027-06-23")),
            Some(Stage::WeekBefore)
        );
        assert_eq!(
            Stage::due(until, day("2027-06-29")),
            Some(Stage::WeekBefore)
        );
        assert_eq!(Stage::due(until, day("2027-06-30")), Some(Stage::OnTheDay));
        assert_eq!(Stage::due(until, day("2027-07-09")), Some(Stage::OnTheDay));
        assert_ne!(
            Stage::WeekBefore.marker(until),
            Stage::OnTheDay.marker(until)
        );
    }

    #[test]
    fn the_removal_box_is_read_only_when_ticked() {
        assert!(!removed_on_expiry(&format!(
            "- [ ] Removed {REMOVED_MARKER}\n"
        )));
        assert!(removed_on_expiry(&format!(
            "- [x] Removed {REMOVED_MARKER}\n"
        )));
    }
}
