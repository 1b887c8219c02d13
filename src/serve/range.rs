//! HTTP Range requests for files (RFC 9110, section 14): one range, answered
//! 206 with `Content-Range`; a range past the end, 416. The search page
//! fetches each result's record from a pack this way, as it does from any
//! static host. Several ranges, or a header that does not parse, get the
//! whole file (200), as the RFC allows. Entry point: [`respond`].

use std::fs::File;
use std::io::{Seek, SeekFrom};

use super::response::Response;

/// The answer for a file of `len` bytes and the request's `Range` header.
pub(super) fn respond(
    mut file: File,
    len: u64,
    content_type: &'static str,
    range: Option<&str>,
) -> Response {
    let whole = |file| {
        Response::file(200, file, len, content_type).with_header("Accept-Ranges", "bytes".into())
    };
    match range.map(|r| parse(r, len)) {
        None | Some(Asked::Ignored) => whole(file),
        Some(Asked::Unsatisfiable) => {
            Response::plain(416).with_header("Content-Range", format!("bytes */{len}"))
        }
        Some(Asked::Bytes(start, end)) => match file.seek(SeekFrom::Start(start)) {
            Ok(_) => Response::file(206, file, end - start + 1, content_type)
                .with_header("Content-Range", format!("bytes {start}-{end}/{len}"))
                .with_header("Accept-Ranges", "bytes".into()),
            Err(_) => Response::plain(500),
        },
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Asked {
    /// First and last byte, inclusive, within the file.
    Bytes(u64, u64),
    Unsatisfiable,
    /// Not a single byte range: the whole file is sent.
    Ignored,
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` for a file of `len` bytes.
fn parse(header: &str, len: u64) -> Asked {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Asked::Ignored;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Asked::Ignored;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (start, end) = match (number(first), number(last), last.is_empty()) {
        (Some(a), Some(b), _) if a <= b => (a, b.min(len.saturating_sub(1))),
        (Some(a), None, true) => (a, len.saturating_sub(1)),
        (None, Some(n), _) if first.is_empty() && n > 0 => {
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (None, Some(0), _) if first.is_empty() => return Asked::Unsatisfiable,
        _ => return Asked::Ignored,
    };
    if start >= len {
        Asked::Unsatisfiable
    } else {
        Asked::Bytes(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::{Asked, parse};

    #[test]
    fn single_ranges_are_read_and_clamped() {
        assert_eq!(parse("bytes=0-9", 100), Asked::Bytes(0, 9));
        assert_eq!(parse("bytes=90-200", 100), Asked::Bytes(90, 99));
        assert_eq!(parse("bytes=95-", 100), Asked::Bytes(95, 99));
        assert_eq!(parse("bytes=-10", 100), Asked::Bytes(90, 99));
        assert_eq!(parse("bytes=-500", 100), Asked::Bytes(0, 99));
    }

    #[test]
    fn ranges_past_the_end_cannot_be_satisfied() {
        assert_eq!(parse("bytes=100-", 100), Asked::Unsatisfiable);
        assert_eq!(parse("bytes=150-160", 100), Asked::Unsatisfiable);
        assert_eq!(parse("bytes=-0", 100), Asked::Unsatisfiable);
        assert_eq!(parse("bytes=0-", 0), Asked::Unsatisfiable);
    }

    #[test]
    fn anything_else_gets_the_whole_file() {
        for header in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=-",
            "0-1",
        ] {
            assert_eq!(parse(header, 100), Asked::Ignored, "{header}");
        }
    }
}
