//! Calendar dates as editors write them in front matter, and as readers see them.
//!
//! Front matter holds dates as text: `2019-10-10`, a date-time `2019-10-10T09:30`
//! (a space works as well as `T`; seconds and a zone suffix are accepted and the
//! zone is ignored: events happen in local time), or for `published` a partial date
//! `2019` / `2019-10`. Everything here is pure; the build date comes from the caller.

use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A day, optionally with a time of day (hours, minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) time: Option<(u8, u8)>,
}

/// A year, a month or a day: how publications are dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub(crate) year: i32,
    pub(crate) month: Option<u8>,
    pub(crate) day: Option<u8>,
}

impl DateTime {
    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS]`
    /// and a zone (`Z`, `+01:00`), which is ignored.
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        let (date, time) = match text.find(['T', ' ']) {
            Some(i) => (&text[..i], Some(text[i + 1..].trim())),
            None => (text, None),
        };
        let partial = PartialDate::parse(date)?;
        let (Some(month), Some(day)) = (partial.month, partial.day) else {
            return None;
        };
        let time = match time {
            Some(t) => Some(parse_time(t)?),
            None => None,
        };
        Some(DateTime {
            year: partial.year,
            month,
            day,
            time,
        })
    }

    /// The date of a moment given as seconds since 1970-01-01 UTC.
    pub fn from_unix_seconds(seconds: i64) -> DateTime {
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        DateTime {
            year,
            month,
            day,
            time: None,
        }
    }

    /// The same time of day, `days` days later (earlier when negative).
    pub(crate) fn plus_days(self, days: i64) -> DateTime {
        let (year, month, day) =
            civil_from_days(days_from_civil(self.year, self.month, self.day) + days);
        DateTime {
            year,
            month,
            day,
            ..self
        }
    }

    pub(crate) fn date_only(self) -> DateTime {
        DateTime { time: None, ..self }
    }

    /// Monday is 0.
    fn weekday(self) -> usize {
        let days = days_from_civil(self.year, self.month, self.day);
        // 1970-01-01 was a Thursday (3).
        (days + 3).rem_euclid(7) as usize
    }

    /// `10 October 2019`, or `Thursday 10 October 2019, 9:30am` with a time.
    pub fn human(self) -> String {
        let date = format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        );
        match self.time {
            None => date,
            Some((h, m)) => format!("{} {date}, {}", WEEKDAYS[self.weekday()], human_time(h, m)),
        }
    }
}

impl fmt::Display for DateTime {
    /// ISO 8601: `2019-10-10` or `2019-10-10T09:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some((h, m)) = self.time {
            write!(f, "T{h:02}:{m:02}")?;
        }
        Ok(())
    }
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the day exists.
    pub fn parse(text: &str) -> Option<PartialDate> {
        let mut parts = text.trim().split('-');
        let year = parse_number(parts.next()?, 4)?;
        let month = match parts.next() {
            Some(m) => Some(parse_number(m, 2)?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => Some(parse_number(d, 2)?),
            None => None,
        };
        if parts.next().is_some() || (year as i32) < 1000 {
            return None;
        }
        let year = year as i32;
        let month = match month {
            Some(m @ 1..=12) => Some(m as u8),
            Some(_) => return None,
            None => None,
        };
        let day = match (month, day) {
            (Some(m), Some(d)) if d >= 1 && d <= u32::from(days_in_month(year, m)) => Some(d as u8),
            (_, Some(_)) => return None,
            (_, None) => None,
        };
        Some(PartialDate { year, month, day })
    }

    /// `2019`, `October 2019` or `10 October 2019`.
    pub fn human(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m - 1)], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m - 1)], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Human form of any date text bounce writes into template variables; text that
/// is not a date comes back unchanged.
pub fn human(text: &str) -> String {
    if let Some(dt) = DateTime::parse(text) {
        dt.human()
    } else if let Some(p) = PartialDate::parse(text) {
        p.human()
    } else {
        text.to_string()
    }
}

fn human_time(hour: u8, minute: u8) -> String {
    let suffix = if hour < 12 { "am" } else { "pm" };
    let h12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    if minute == 0 {
        format!("{h12}{suffix}")
    } else {
        format!("{h12}:{minute:02}{suffix}")
    }
}

fn parse_time(text: &str) -> Option<(u8, u8)> {
    let clock = text
        .trim_end_matches('Z')
        .split(['+', '-'])
        .next()
        .unwrap_or_default();
    let mut parts = clock.split(':');
    let hour = parse_number(parts.next()?, 2)?;
    let minute = parse_number(parts.next()?, 2)?;
    if let Some(seconds) = parts.next() {
        let whole = seconds.split('.').next().unwrap_or_default();
        if parse_number(whole, 2)? > 60 {
            return None;
        }
    }
    if hour > 23 || minute > 59 || parts.next().is_some() {
        return None;
    }
    Some((hour as u8, minute as u8))
}

/// Exactly `digits` ASCII digits.
fn parse_number(text: &str, digits: usize) -> Option<u32> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whether February of `year` has 29 days (Gregorian calendar).
pub(crate) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_date_times() {
        let d = DateTime::parse("2019-10-10").expect("valid date");
        assert_eq!(d.to_string(), "2019-10-10");
        let dt = DateTime::parse("2019-10-10T09:30:00Z").expect("valid date-time");
        assert_eq!(dt.to_string(), "2019-10-10T09:30");
        assert_eq!(
            DateTime::parse("2019-10-10 15:05").map(|d| d.time),
            Some(Some((15, 5)))
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2019-02-30",
            "2019-13-01",
            "19-10-10",
            "2019/10/10",
            "2019-10-10T25:00",
            "soon",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad}");
        }
        assert!(DateTime::parse("2020-02-29").is_some());
    }

    #[test]
    fn partial_dates_for_publications() {
        assert_eq!(
            PartialDate::parse("2015-03").map(|d| d.human()),
            Some("March 2015".into())
        );
        assert_eq!(
            PartialDate::parse("2014").map(|d| d.human()),
            Some("2014".into())
        );
        assert_eq!(PartialDate::parse("2014-3"), None);
    }

    #[test]
    fn human_dates_read_naturally() {
        assert_eq!(human("2019-10-10"), "10 October 2019");
        assert_eq!(
            human("2019-10-10T09:30"),
            "Thursday 10 October 2019, 9:30am"
        );
        assert_eq!(human("2019-10-10T15:00"), "Thursday 10 October 2019, 3pm");
        assert_eq!(human("not a date"), "not a date");
    }

    #[test]
    fn adding_days_crosses_months_and_years() {
        let d = DateTime::parse("2026-12-20").expect("valid");
        assert_eq!(d.plus_days(30).to_string(), "2027-01-19");
        assert_eq!(d.plus_days(-20).to_string(), "2026-11-30");
    }

    #[test]
    fn unix_seconds_to_calendar_date() {
        assert_eq!(DateTime::from_unix_seconds(0).to_string(), "1970-01-01");
        // 2026-11-23T12:00:00Z
        assert_eq!(
            DateTime::from_unix_seconds(1_795_435_200).to_string(),
            "2026-11-23"
        );
    }
}
