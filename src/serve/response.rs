//! One HTTP response and how it is written: always with Content-Length,
//! `Cache-Control: no-store` (a preview must never show a stale file),
//! `X-Content-Type-Options: nosniff` and `Connection: close`.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

pub(super) const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

pub(super) struct Response {
    status: u16,
    content_type: &'static str,
    extra: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    /// Streamed rather than read into memory: videos and downloads can be large.
    File {
        file: File,
        len: u64,
    },
}

impl Response {
    pub(crate) fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            extra: Vec::new(),
            body: Body::Bytes(body),
        }
    }

    /// A short plain-text answer: `404 Not Found`.
    pub(crate) fn plain(status: u16) -> Self {
        let body = format!("{status} {}\n", reason(status));
        Response::bytes(status, TEXT, body.into_bytes())
    }

    /// A plain-text answer that explains itself: `421 Misdirected Request`,
    /// a blank line, then `why`.
    pub(crate) fn text(status: u16, why: &str) -> Self {
        let body = format!("{status} {}\n\n{why}", reason(status));
        Response::bytes(status, TEXT, body.into_bytes())
    }

    pub(crate) fn redirect(status: u16, location: String) -> Self {
        Response::plain(status).with_header("Location", location)
    }

    /// A file, or the `len` bytes of it from where it is read (a range: 206).
    pub(crate) fn file(status: u16, file: File, len: u64, content_type: &'static str) -> Self {
        Response {
            status,
            content_type,
            extra: Vec::new(),
            body: Body::File { file, len },
        }
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.extra.push((name, value));
        self
    }

    /// Writes the response; for HEAD (`head_only`) the headers are those of the
    /// GET, Content-Length included, and no body follows.
    pub(crate) fn write_to(self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let len = match &self.body {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File { len, .. } => *len,
        };
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {len}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type
        );
        for (name, value) in &self.extra {
            // Writing to a String cannot fail.
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            match self.body {
                Body::Bytes(bytes) => out.write_all(&bytes)?,
                Body::File { file, len } => {
                    // `take`: never more than announced, should the file grow.
                    io::copy(&mut file.take(len), out)?;
                }
            }
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        416 => "Range Not Satisfiable",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// True for files served as HTML (and so given the live-reload script).
pub(super) fn is_html(path: &Path) -> bool {
    content_type(path) == HTML
}

/// The content type of a file from its extension (any case).
pub(super) fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => TEXT,
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "rtf" => "application/rtf",
        "epub" => "application/epub+zip",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension_in_any_case() {
        assert_eq!(content_type(Path::new("a/index.html")), HTML);
        assert_eq!(content_type(Path::new("A.PDF")), "application/pdf");
        assert_eq!(
            content_type(Path::new("plan.v2.docx")),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(content_type(Path::new("search.json")), "application/json");
        assert_eq!(
            content_type(Path::new("Makefile")),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(Path::new("x.unknown")),
            "application/octet-stream"
        );
        assert!(is_html(Path::new("x.HTM")));
        assert!(!is_html(Path::new("x.svg")));
    }

    #[test]
    fn head_gets_the_headers_of_get_without_the_body() {
        let mut get = Vec::new();
        Response::bytes(200, HTML, b"<p>hi</p>".to_vec())
            .write_to(&mut get, false)
            .expect("written");
        let mut head = Vec::new();
        Response::bytes(200, HTML, b"<p>hi</p>".to_vec())
            .write_to(&mut head, true)
            .expect("written");
        let get = String::from_utf8(get).expect("utf-8");
        let head = String::from_utf8(head).expect("utf-8");
        assert!(get.contains("Content-Length: 9\r\n"));
        assert!(get.ends_with("\r\n\r\n<p>hi</p>"));
        assert_eq!(format!("{head}<p>hi</p>"), get);
    }

    #[test]
    fn redirects_carry_a_location() {
        let mut out = Vec::new();
        Response::redirect(301, "/a/".into())
            .write_to(&mut out, false)
            .expect("written");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.starts_with("HTTP/1.1 301 Moved Permanently\r\n"));
        assert!(out.contains("\r\nLocation: /a/\r\n"));
    }
}
