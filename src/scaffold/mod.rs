//! New files for editors: [`new`] writes one document with the front matter of
//! its kind (`bounce new partner "NSPCC"`); [`init`] writes a whole starter site
//! from files compiled into the binary (`bounce init DIR`).
//!
//! The text of every file is made by pure functions; only the `create`
//! functions touch the disk, and they never replace a file that exists.

pub mod init;
pub mod new;

use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::Diagnostic;

/// Why a file was not written: the problem, and whether the command itself was
/// wrong (a usage error: exit code 2) rather than the folder's state (exit code 1).
#[derive(Debug)]
pub struct Refusal {
    pub problem: Diagnostic,
    pub usage: bool,
}

impl Refusal {
    fn usage(problem: Diagnostic) -> Refusal {
        Refusal {
            problem,
            usage: true,
        }
    }

    fn refused(problem: Diagnostic) -> Refusal {
        Refusal {
            problem,
            usage: false,
        }
    }
}

/// The same day a year later (28 February for 29 February): the first review date.
pub(crate) fn a_year_after(day: DateTime) -> DateTime {
    let year = day.year + 1;
    let last_of_february = if crate::foundation::dates::is_leap(year) {
        29
    } else {
        28
    };
    DateTime {
        year,
        day: if day.month == 2 {
            day.day.min(last_of_february)
        } else {
            day.day
        },
        time: None,
        ..day
    }
}

/// A message for an I/O error on a path, for editors.
fn io_problem(what: &str, path: &std::path::Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} `{}`: {error}", path.display()))
        .with_hint("check that the folder exists and that you may write to it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_after_keeps_the_day_except_the_leap_day() {
        let day = |t: &str| DateTime::parse(t).expect("date");
        assert_eq!(a_year_after(day("2026-11-23")), day("2027-11-23"));
        assert_eq!(a_year_after(day("2028-02-29")), day("2029-02-28"));
        assert_eq!(a_year_after(day("2027-02-28T09:30")), day("2028-02-28"));
    }
}
