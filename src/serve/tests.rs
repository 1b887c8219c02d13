//! The server over real sockets: a temporary output folder, the server on
//! 127.0.0.1:0, and raw requests written to a `TcpStream`.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tempfile::TempDir;

use super::live::SCRIPT_TAG;
use super::*;
use crate::foundation::diagnostic::Diagnostic;

/// Read timeout for every test socket: a wait never longer than this.
const WAIT: Duration = Duration::from_secs(5);
const SECRET: &str = "TOP SECRET outside the site";

struct Preview {
    /// Holds `outside.txt` (the [`SECRET`]) and `site/`, the served root.
    dir: TempDir,
    address: SocketAddr,
    live: Arc<Live>,
}

impl Preview {
    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }
}

fn preview(files: &[(&str, &str)], base_path: &str) -> Preview {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("outside.txt"), SECRET).expect("write secret");
    let root = dir.path().join("site");
    for (path, text) in files {
        let file = root.join(path);
        fs::create_dir_all(file.parent().expect("files are under the root")).expect("mkdir");
        fs::write(file, text).expect("write");
    }
    fs::create_dir_all(&root).expect("mkdir root");
    let live = Live::new();
    let settings = Settings {
        address: "127.0.0.1:0".parse().expect("address"),
        root,
        base_path: base_path.to_string(),
        head_deadline: HEAD_DEADLINE,
    };
    let address = start(settings, Arc::clone(&live)).expect("server starts");
    Preview { dir, address, live }
}

fn site() -> Preview {
    preview(
        &[
            ("index.html", "<html><body><h1>Home</h1></body></html>"),
            (
                "guides/index.html",
                "<html><body><p>Guides</p></body></html>",
            ),
            ("guides/sleep/index.html", "<p>Sleep, no body tag</p>"),
            ("style.css", "body { color: red }"),
            ("search.json", "{}"),
            ("files/plan.docx", "docx bytes"),
            ("files/Report.PDF", "%PDF"),
            ("logo.svg", "<svg/>"),
            (
                "404.html",
                "<html><body><h1>Lost? Try the guides</h1></body></html>",
            ),
        ],
        "/",
    )
}

#[derive(Debug)]
struct Answer {
    status: u16,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn send(address: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    stream.write_all(request).expect("request sent");
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("whole answer within the wait");
    parse_answer(&bytes)
}

fn parse_answer(bytes: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(": ").expect("a header");
            (name.to_ascii_lowercase(), value.to_string())
        })
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(address: SocketAddr, target: &str) -> Answer {
    send(
        address,
        format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes(),
    )
}

#[test]
fn files_are_served_with_their_content_type() {
    let preview = site();
    for (target, content_type, body) in [
        (
            "/style.css",
            "text/css; charset=utf-8",
            "body { color: red }",
        ),
        ("/search.json", "application/json", "{}"),
        ("/logo.svg", "image/svg+xml", "<svg/>"),
        (
            "/files/plan.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx bytes",
        ),
        ("/files/Report.PDF", "application/pdf", "%PDF"),
    ] {
        let answer = get(preview.address, target);
        assert_eq!(answer.status, 200, "{target}");
        assert_eq!(
            answer.header("content-type"),
            Some(content_type),
            "{target}"
        );
        assert_eq!(answer.body, body, "{target}");
        assert_eq!(
            answer.header("content-length"),
            Some(body.len().to_string().as_str())
        );
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn a_folder_serves_its_index_with_the_live_reload_script() {
    let preview = site();
    let answer = get(preview.address, "/guides/?utm=x");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        answer.body,
        format!("<html><body><p>Guides</p>{SCRIPT_TAG}</body></html>")
    );
    assert_eq!(
        answer.header("content-length"),
        Some(answer.body.len().to_string().as_str())
    );
    let home = get(preview.address, "/");
    assert!(home.body.contains("<h1>Home</h1>"));
    let no_body = get(preview.address, "/guides/sleep/");
    assert_eq!(
        no_body.body,
        format!("<p>Sleep, no body tag</p>{SCRIPT_TAG}")
    );
}

#[test]
fn a_folder_without_its_slash_is_redirected() {
    let preview = site();
    let answer = get(preview.address, "/guides/sleep?x=1");
    assert_eq!(answer.status, 301);
    assert_eq!(answer.header("location"), Some("/guides/sleep/"));
    let smuggled = get(preview.address, "//guides");
    assert_eq!(smuggled.header("location"), Some("/guides/"));
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let preview = site();
    for target in [
        "/nothing/here/",
        "/guides/missing.html",
        "/style.css/",
        "/__bounce/other",
    ] {
        let answer = get(preview.address, target);
        assert_eq!(answer.status, 404, "{target}");
        assert_eq!(
            answer.body,
            format!("<html><body><h1>Lost? Try the guides</h1>{SCRIPT_TAG}</body></html>")
        );
    }
}

#[test]
fn without_a_404_page_a_small_one_is_served() {
    let preview = preview(&[("index.html", "home")], "/");
    let answer = get(preview.address, "/missing");
    assert_eq!(answer.status, 404);
    assert!(answer.body.contains("<h1>Page not found</h1>"));
    assert!(answer.body.contains(SCRIPT_TAG));
}

#[test]
fn head_sends_the_headers_of_get_without_a_body() {
    let preview = site();
    let answer = send(
        preview.address,
        b"HEAD /guides/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    let expected = get(preview.address, "/guides/");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "");
    assert_eq!(
        answer.header("content-length"),
        expected.header("content-length")
    );
}

#[test]
fn traversal_never_reaches_a_file_outside_the_root() {
    let preview = site();
    for target in [
        "/../outside.txt",
        "/../Cargo.toml",
        "/%2e%2e/outside.txt",
        "/%2E%2E/%2e%2e/outside.txt",
        "/..%2foutside.txt",
        "/..%2f..%2fetc/passwd",
        "/a/%2e%2e/%2e%2e/outside.txt",
        "/guides/../../outside.txt",
        "/..\\outside.txt",
        "/%5c..%5coutside.txt",
        "/.%2e/outside.txt",
        "/%c0%ae%c0%ae/outside.txt",
        "/../../../../../../../../etc/passwd",
        "/C:/Windows/win.ini",
        "/%00/outside.txt",
    ] {
        let answer = get(preview.address, target);
        assert!(
            matches!(answer.status, 400 | 403 | 404),
            "{target}: {}",
            answer.status
        );
        assert!(!answer.body.contains(SECRET), "{target}");
        assert!(!answer.body.contains("root:"), "{target}");
    }
    let forbidden = get(preview.address, "/%2e%2e/outside.txt");
    assert_eq!(forbidden.status, 403);
}

/// A GET with a `Range` header.
fn get_range(address: SocketAddr, target: &str, range: &str) -> Answer {
    let request = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nRange: {range}\r\n\r\n");
    send(address, request.as_bytes())
}

#[test]
fn a_range_of_a_file_is_served_as_partial_content() {
    let preview = site();
    // "docx bytes" is 10 bytes.
    let part = get_range(preview.address, "/files/plan.docx", "bytes=5-9");
    assert_eq!(part.status, 206);
    assert_eq!(part.body, "bytes");
    assert_eq!(part.header("content-range"), Some("bytes 5-9/10"));
    assert_eq!(part.header("content-length"), Some("5"));
    let tail = get_range(preview.address, "/files/plan.docx", "bytes=-4");
    assert_eq!((tail.status, tail.body.as_str()), (206, "ytes"));
    let past = get_range(preview.address, "/files/plan.docx", "bytes=10-20");
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), Some("bytes */10"));
    // Several ranges, or none: the whole file, saying ranges are served.
    let whole = get_range(preview.address, "/files/plan.docx", "bytes=0-1,4-5");
    assert_eq!((whole.status, whole.body.as_str()), (200, "docx bytes"));
    let plain = get(preview.address, "/files/plan.docx");
    assert_eq!(plain.header("accept-ranges"), Some("bytes"));
}

#[test]
fn targets_that_are_not_paths_are_bad_requests() {
    let preview = site();
    for request in [
        "GET ../outside.txt HTTP/1.1\r\n\r\n",
        "GET http://localhost/../outside.txt HTTP/1.1\r\n\r\n",
        "GET * HTTP/1.1\r\n\r\n",
        "nonsense\r\n\r\n",
    ] {
        let answer = send(preview.address, request.as_bytes());
        assert_eq!(answer.status, 400, "{request:?}");
        assert!(!answer.body.contains(SECRET));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_refused() {
    let preview = site();
    let outside = preview.dir.path().join("outside.txt");
    std::os::unix::fs::symlink(&outside, preview.root().join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(preview.dir.path(), preview.root().join("up")).expect("symlink");
    for target in ["/leak.txt", "/up/outside.txt"] {
        let answer = get(preview.address, target);
        assert_eq!(answer.status, 403, "{target}");
        assert!(!answer.body.contains(SECRET), "{target}");
    }
}

#[test]
fn other_methods_are_not_allowed() {
    let preview = site();
    let answer = send(
        preview.address,
        b"DELETE /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    assert!(preview.root().join("index.html").exists());
}

#[test]
fn an_oversized_head_is_refused() {
    let preview = site();
    let request = format!(
        "GET / HTTP/1.1\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(request::MAX_HEAD)
    );
    let mut stream = TcpStream::connect(preview.address).expect("connects");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    // The server may close before reading all of it; only its answer matters.
    let _ = stream.write_all(request.as_bytes());
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    assert!(
        String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 431 "),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
}

#[test]
fn under_a_base_path_the_site_is_served_there() {
    let preview = preview(
        &[
            ("index.html", "<body>home</body>"),
            ("x/index.html", "<body>x page</body>"),
            ("style.css", "css"),
            ("404.html", "<body>lost</body>"),
        ],
        "/healthy-schools/",
    );
    let root = get(preview.address, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/healthy-schools/"));
    let base = get(preview.address, "/healthy-schools");
    assert_eq!(base.status, 301);
    assert_eq!(base.header("location"), Some("/healthy-schools/"));
    assert!(
        get(preview.address, "/healthy-schools/")
            .body
            .starts_with("<body>home")
    );
    assert!(
        get(preview.address, "/healthy-schools/x/")
            .body
            .starts_with("<body>x page")
    );
    assert_eq!(
        get(preview.address, "/healthy-schools/style.css").body,
        "css"
    );
    let folder = get(preview.address, "/healthy-schools/x");
    assert_eq!(folder.header("location"), Some("/healthy-schools/x/"));
    for target in ["/x/", "/style.css", "/healthy/x/"] {
        let answer = get(preview.address, target);
        assert_eq!(answer.status, 404, "{target}");
        assert!(answer.body.starts_with("<body>lost"), "{target}");
    }
    let script = get(preview.address, "/__bounce/live.js");
    assert_eq!(script.status, 200);
}

#[test]
fn a_base_path_that_leaves_the_root_is_refused_at_start() {
    let settings = Settings {
        address: "127.0.0.1:0".parse().expect("address"),
        root: PathBuf::from("unused"),
        base_path: "/a/%2e%2e/".to_string(),
        head_deadline: HEAD_DEADLINE,
    };
    let error = start(settings, Live::new()).expect_err("refused");
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn the_live_reload_script_is_served() {
    let preview = site();
    let answer = get(preview.address, "/__bounce/live.js");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(
        answer
            .body
            .contains("new EventSource(\"/__bounce/events\")")
    );
    assert!(answer.body.contains("sessionStorage"));
}

#[test]
fn a_failed_rebuild_shows_the_overlay_until_it_is_fixed() {
    let preview = site();
    preview.live.publish(vec![
        Diagnostic::error("unknown field `webiste` <here>")
            .in_file("content/partners/nspcc.md")
            .at("---\nwebiste: x\n", 2, 1)
            .with_hint("did you mean `website`?"),
    ]);
    for target in ["/", "/guides/", "/missing/"] {
        let answer = get(preview.address, target);
        assert_eq!(answer.status, 500, "{target}");
        assert!(answer.body.contains("<h1>The site did not build</h1>"));
        assert!(answer.body.contains("content/partners/nspcc.md:2:1"));
        assert!(
            answer
                .body
                .contains("unknown field <code>webiste</code> &lt;here&gt;")
        );
        assert!(answer.body.contains("webiste: x"));
        assert!(answer.body.contains("did you mean <code>website</code>?"));
        assert!(answer.body.contains(SCRIPT_TAG));
    }
    let css = get(preview.address, "/style.css");
    assert_eq!(
        (css.status, css.body.as_str()),
        (200, "body { color: red }")
    );

    preview.live.publish(vec![]);
    let fixed = get(preview.address, "/");
    assert_eq!(fixed.status, 200);
    assert!(fixed.body.contains("<h1>Home</h1>"));
    assert!(!fixed.body.contains("did not build"));
}

#[test]
fn an_event_stream_client_is_told_to_reload_after_a_publish() {
    let preview = site();
    let mut stream = TcpStream::connect(preview.address).expect("connects");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    stream
        .write_all(b"GET /__bounce/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        .expect("request sent");
    let head = read_until(&mut stream, "retry: 1000\n\n");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(head.contains("Content-Type: text/event-stream\r\n"));
    assert!(!head.contains("data: reload"));

    preview.live.publish(vec![]);
    read_until(&mut stream, "data: reload\n\n");
    preview.live.publish(vec![Diagnostic::error("broken")]);
    read_until(&mut stream, "data: reload\n\n");
}

/// Reads from `stream` until `end` arrives; fails after [`WAIT`] without it.
fn read_until(stream: &mut TcpStream, end: &str) -> String {
    let mut seen = Vec::new();
    let mut byte = [0];
    while !seen.ends_with(end.as_bytes()) {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            other => panic!(
                "stream ended ({other:?}) before {end:?}; got {:?}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}
