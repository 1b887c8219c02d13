//! Reading one request head from a connection: a size limit, one deadline for
//! the whole head, and a strict parse of the request line and headers.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most a request head may take; real browsers send 1 to 2 KB.
pub(super) const MAX_HEAD: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Head,
}

/// A request the server can answer.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Request {
    pub(crate) method: Method,
    /// The target as sent: `/path?query`, printable ASCII only.
    pub(crate) target: String,
    /// The `Host` header without the spaces around it; None only from an
    /// HTTP/1.0 client, which may leave it out.
    pub(crate) host: Option<String>,
    /// The `Range` header, if any: answered for files (`serve::range`).
    pub(crate) range: Option<String>,
}

/// Why a request is not answered normally.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The client sent nothing and went away, or sent nothing in time: close
    /// without a word.
    Silent,
    /// 400.
    Malformed,
    /// 405: a method other than GET and HEAD.
    Method,
    /// 408: the head did not arrive in time.
    TimedOut,
    /// 431: the head is larger than [`MAX_HEAD`].
    TooLarge,
}

/// A connection read against one deadline for the whole head: each read waits
/// only for the time left, so a client sending a byte now and then gains no
/// time by it.
pub(super) struct Deadline<'a> {
    stream: &'a TcpStream,
    /// None when `within` is too far to count (never, in practice).
    until: Option<Instant>,
}

impl<'a> Deadline<'a> {
    pub(super) fn new(stream: &'a TcpStream, within: Duration) -> Deadline<'a> {
        Deadline {
            stream,
            until: Instant::now().checked_add(within),
        }
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if let Some(until) = self.until {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_read_timeout(Some(left))?;
        }
        let mut stream = self.stream;
        stream.read(buffer)
    }
}

/// Reads the head (up to the blank line) and parses it. Anything after the head
/// (a body) is ignored: the connection is closed after one response.
pub(super) fn read(stream: &mut impl Read) -> Result<Request, Refusal> {
    let head = read_head(stream)?;
    parse(&head)
}

fn read_head(stream: &mut impl Read) -> Result<Vec<u8>, Refusal> {
    let mut head = Vec::new();
    let mut chunk = [0; 2048];
    loop {
        let read = match stream.read(&mut chunk) {
            Ok(0) if head.is_empty() => return Err(Refusal::Silent),
            Ok(0) => return Err(Refusal::Malformed),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) && !head.is_empty() =>
            {
                return Err(Refusal::TimedOut);
            }
            Err(_) => return Err(Refusal::Silent),
        };
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..read]);
        let end = end_of_head(&head[searched_from..]).map(|end| searched_from + end);
        if end.unwrap_or(head.len()) > MAX_HEAD {
            return Err(Refusal::TooLarge);
        }
        if let Some(end) = end {
            head.truncate(end);
            return Ok(head);
        }
    }
}

/// Where the blank line that ends a head finishes (`\r\n\r\n`, or `\n\n` from
/// lenient clients).
fn end_of_head(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find_map(|i| {
        let rest = &bytes[i..];
        if rest.starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if rest.starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// `METHOD /target HTTP/1.x` and well-formed header lines, of which only
/// `Host` is kept: every response closes the connection and nothing is
/// negotiated.
fn parse(head: &[u8]) -> Result<Request, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| Refusal::Malformed)?;
    let mut lines = text.lines().map(|line| line.trim_end_matches('\r'));
    let request_line = lines.next().ok_or(Refusal::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    let well_formed = is_token(method)
        && matches!(version, "HTTP/1.1" | "HTTP/1.0")
        && target.starts_with('/')
        && target.bytes().all(|b| b.is_ascii_graphic());
    if !well_formed {
        return Err(Refusal::Malformed);
    }
    let (host, range) = headers(lines)?;
    if host.is_none() && version == "HTTP/1.1" {
        return Err(Refusal::Malformed);
    }
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => return Err(Refusal::Method),
    };
    Ok(Request {
        method,
        target: target.to_string(),
        host,
        range,
    })
}

/// The values of the one `Host` header and of the `Range` header among
/// well-formed header lines; two of either are malformed.
fn headers<'a>(
    lines: impl Iterator<Item = &'a str>,
) -> Result<(Option<String>, Option<String>), Refusal> {
    let (mut host, mut range) = (None, None);
    for line in lines.filter(|line| !line.is_empty()) {
        let (name, value) = header(line).ok_or(Refusal::Malformed)?;
        let twice = (name.eq_ignore_ascii_case("host") && host.replace(value).is_some())
            || (name.eq_ignore_ascii_case("range") && range.replace(value).is_some());
        if twice {
            return Err(Refusal::Malformed);
        }
    }
    Ok((host.map(str::to_string), range.map(str::to_string)))
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `Name: value`, as name and value without the spaces around it.
fn header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    (is_token(name) && !value.contains('\0')).then(|| (name, value.trim_matches([' ', '\t'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Request, Refusal> {
        read(&mut text.as_bytes())
    }

    #[test]
    fn a_get_request_is_read() {
        let request = read_text("GET /a/b?c=d HTTP/1.1\r\nHost: x\r\n\r\n").expect("valid");
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.target, "/a/b?c=d");
        assert_eq!(request.host.as_deref(), Some("x"));
    }

    #[test]
    fn bare_newlines_end_a_head_too() {
        let request = read_text("HEAD / HTTP/1.0\nHost: x\n\n").expect("valid");
        assert_eq!(request.method, Method::Head);
    }

    #[test]
    fn other_methods_are_refused_with_405() {
        assert_eq!(
            read_text("POST / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Err(Refusal::Method)
        );
    }

    #[test]
    fn the_host_is_kept_without_its_spaces() {
        let request =
            read_text("GET / HTTP/1.1\r\nAccept: */*\r\nhOsT: \t localhost:8000 \r\n\r\n");
        assert_eq!(
            request.expect("valid").host.as_deref(),
            Some("localhost:8000")
        );
    }

    #[test]
    fn http_1_1_needs_one_host() {
        for head in [
            "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
        ] {
            assert_eq!(read_text(head), Err(Refusal::Malformed), "{head:?}");
        }
        let old = read_text("GET / HTTP/1.0\r\n\r\n").expect("valid");
        assert_eq!(old.host, None);
    }

    #[test]
    fn malformed_heads_are_refused() {
        for head in [
            "GET /\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET ../x HTTP/1.1\r\n\r\n",
            "GET http://x/ HTTP/1.1\r\n\r\n",
            "GET /\x01 HTTP/1.1\r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon here\r\n\r\n",
            "GET / HTTP/1.1\r\n",
        ] {
            assert_eq!(read_text(head), Err(Refusal::Malformed), "{head:?}");
        }
        assert_eq!(
            read(&mut &b"GET /\xff HTTP/1.1\r\n\r\n"[..]),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn a_head_past_the_limit_is_refused() {
        let head = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read_text(&head), Err(Refusal::TooLarge));
    }

    #[test]
    fn an_empty_connection_is_closed_silently() {
        assert_eq!(read_text(""), Err(Refusal::Silent));
    }
}
