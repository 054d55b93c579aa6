//! Dates as every document and JSON view writes them: `2026-12-07`, and
//! `Mon 2026-12-07` for a heading or a task. A checklist writes about sixty
//! dates, and chrono's general formatter (one `write_char` per digit) was a
//! tenth of a batch's work, so four-digit years are written here directly;
//! any other year goes through chrono, so the text is always chrono's.

use chrono::{Datelike, NaiveDate};
use serde::Serializer;

/// The weekdays' short names, Monday first.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Appends `2026-12-07` to `text`.
pub(crate) fn push_iso(date: NaiveDate, text: &mut String) {
    let (year, month, day) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&year) {
        text.push_str(&date.to_string());
        return;
    }
    let digits = |n: u32, width: u32, text: &mut String| {
        let mut place = 10u32.pow(width - 1);
        while place > 0 {
            text.push(char::from(b'0' + (n / place % 10) as u8));
            place /= 10;
        }
    };
    digits(year.unsigned_abs(), 4, text);
    text.push('-');
    digits(month, 2, text);
    text.push('-');
    digits(day, 2, text);
}

/// `2026-12-07`.
pub(crate) fn iso(date: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    push_iso(date, &mut text);
    text
}

/// Appends `Mon 2026-12-07` to `text`.
pub(crate) fn push_day(date: NaiveDate, text: &mut String) {
    text.push_str(WEEKDAYS[date.weekday().num_days_from_monday() as usize]);
    text.push(' ');
    push_iso(date, text);
}

/// `Mon 2026-12-07`: a date as every document shows it.
pub(crate) fn day(date: NaiveDate) -> String {
    let mut text = String::with_capacity(14);
    push_day(date, &mut text);
    text
}

/// Reads `2026-12-07` (as [`iso`] writes it, and as chrono reads it).
pub(crate) fn parse_iso(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let year = i32::try_from(digits(0..4)?).ok()?;
        return NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?);
    }
    text.parse().ok()
}

/// `#[serde(serialize_with = "crate::day::serialize")]`: a date as chrono
/// serializes it, written faster. Serde hands the field over by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&iso(*date))
}

/// [`serialize`] for an optional date: `null` when there is none.
#[allow(clippy::trivially_copy_pass_by_ref, clippy::ref_option)]
pub(crate) fn serialize_option<S: Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serialize(date, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_as_chrono_does() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..12_000 {
            assert_eq!(iso(date), date.to_string());
            assert_eq!(parse_iso(&iso(date)), Some(date));
            assert_eq!(day(date), format!("{} {date}", date.format("%a")));
            date = date.succ_opt().unwrap();
        }
        for date in [
            NaiveDate::from_ymd_opt(10_000, 1, 2).unwrap(),
            NaiveDate::from_ymd_opt(-44, 3, 15).unwrap(),
            NaiveDate::from_ymd_opt(7, 8, 9).unwrap(),
        ] {
            assert_eq!(iso(date), date.to_string());
            assert_eq!(parse_iso(&date.to_string()), Some(date));
        }
    }

    #[test]
    fn what_is_not_a_date_is_not_read_as_one() {
        for text in [
            "2026-02-30",
            "2026-13-01",
            "2026-01-1x",
            "20x6-01-01",
            "",
            "2026-01-0１",
        ] {
            assert_eq!(parse_iso(text), None, "{text}");
        }
        for date in [NaiveDate::from_ymd_opt(2026, 1, 5), None] {
            let mut ours = Vec::new();
            serialize_option(&date, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            assert_eq!(ours, serde_json::to_vec(&date).unwrap());
        }
    }
}
