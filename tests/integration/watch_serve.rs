//! `bounce watch` and `bounce serve` as a user runs them: the real binary as a
//! child process, files changed under it, and assertions on what appears in the
//! output folder and over HTTP. Every wait is bounded (polling, never a fixed
//! sleep), and the process is killed when a test ends, passing or not.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::fixtures::{self, BUILD_DATE_EPOCH, TestSite, snapshot};

/// The longest any one thing may take to show up.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How often a condition is checked again while waiting for it.
const POLL: Duration = Duration::from_millis(20);

/// One line the process printed.
#[derive(Debug, Clone)]
struct Line {
    stderr: bool,
    text: String,
}

/// A running `bounce watch` or `bounce serve`, killed when dropped.
struct Running {
    child: Child,
    lines: Receiver<Line>,
    /// Every line received so far, for failure messages and later matches.
    log: Vec<Line>,
    /// Lines before this index were consumed by an earlier `wait_for_line`.
    cursor: usize,
    /// `127.0.0.1:port` for `serve`.
    address: Option<String>,
}

impl Running {
    /// Starts `bounce <args>` with the fixed "today" and waits for the first
    /// build's summary line.
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bounce"))
            .args(args)
            .env("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the bounce binary");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        for (pipe, is_stderr) in [
            (Box::new(stdout) as Box<dyn Read + Send>, false),
            (Box::new(stderr), true),
        ] {
            let sender = sender.clone();
            thread::spawn(move || {
                for text in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let line = Line {
                        stderr: is_stderr,
                        text,
                    };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let mut running = Running {
            child,
            lines,
            log: Vec::new(),
            cursor: 0,
            address: None,
        };
        let built = running.wait_for_line(|l| l.text.starts_with("Built: "), TIMEOUT);
        assert!(
            !built.stderr,
            "the first build should succeed\n{}",
            running.printed()
        );
        running
    }

    /// `bounce watch --root <site>` with `extra` arguments.
    fn watch(site: &TestSite, extra: &[&str]) -> Running {
        let root = site.root().to_string_lossy().into_owned();
        let mut args = vec!["watch", "--root", root.as_str()];
        args.extend_from_slice(extra);
        Running::start(&args)
    }

    /// `bounce serve --root <site> --port 0`, with the address it printed.
    fn serve(site: &TestSite) -> Running {
        Running::serve_with(site, &[])
    }

    /// `bounce serve --root <site> --port 0` with `extra` arguments.
    fn serve_with(site: &TestSite, extra: &[&str]) -> Running {
        let root = site.root().to_string_lossy().into_owned();
        let mut args = vec!["serve", "--root", root.as_str(), "--port", "0"];
        args.extend_from_slice(extra);
        let mut running = Running::start(&args);
        let line = running.find_logged("Serving the site at http://");
        let url = line
            .trim_start_matches("Serving the site at http://")
            .split(' ')
            .next()
            .expect("an address after `Serving the site at`");
        let address = &url[..url.find('/').expect("the URL has a path")];
        assert!(
            address.starts_with("127.0.0.1:"),
            "serves on 127.0.0.1 only by default, not {address}"
        );
        running.address = Some(address.to_string());
        running
    }

    /// A line already received that starts with `prefix`.
    fn find_logged(&self, prefix: &str) -> String {
        self.log
            .iter()
            .find(|l| l.text.starts_with(prefix))
            .map(|l| l.text.clone())
            .unwrap_or_else(|| panic!("no line starts with {prefix:?}\n{}", self.printed()))
    }

    /// Waits for a line, not yet matched, for which `predicate` holds; later
    /// waits look only after it.
    fn wait_for_line(&mut self, predicate: impl Fn(&Line) -> bool, timeout: Duration) -> Line {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self.log[self.cursor..].iter().position(&predicate) {
                self.cursor += i + 1;
                return self.log[self.cursor - 1].clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.log.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no such line within {timeout:?}\n{}", self.printed())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("bounce ended before the line\n{}", self.printed())
                }
            }
        }
    }

    /// Waits for the summary line of a rebuild that succeeded and names `file`
    /// (`content/a.md changed: 1 page rendered, ...`).
    fn wait_for_rebuild(&mut self, file: &str) -> Line {
        self.wait_for_line(
            |l| !l.stderr && l.text.starts_with(file) && l.text.contains(" rendered, "),
            TIMEOUT,
        )
    }

    /// Waits for the stderr summary of a rebuild that failed.
    fn wait_for_failure(&mut self, file: &str) -> Line {
        let named = format!("{file} ");
        self.wait_for_line(
            |l| {
                l.stderr
                    && l.text.starts_with(&named)
                    && l.text
                        .ends_with("; the site was left as it was. Fix the file and save it again.")
            },
            TIMEOUT,
        )
    }

    /// Everything printed so far (and whatever is waiting in the pipe).
    fn printed(&self) -> String {
        let mut log = self.log.clone();
        log.extend(self.lines.try_iter());
        log.iter()
            .map(|l| format!("{} {}", if l.stderr { "err|" } else { "out|" }, l.text))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `127.0.0.1:port` of `serve`.
    fn address(&self) -> &str {
        self.address.as_deref().expect("only `serve` answers HTTP")
    }

    /// GET `path` (sent exactly as given: no client normalises it).
    fn http_get(&self, path: &str) -> Reply {
        http_get(self.address(), path)
    }

    /// Polls `path` until `predicate` holds for the reply, which it returns.
    fn wait_for_page(&self, path: &str, what: &str, predicate: impl Fn(&Reply) -> bool) -> Reply {
        let mut last = None;
        let found = eventually(|| {
            let reply = self.http_get(path);
            let ok = predicate(&reply);
            last = Some(reply.clone());
            ok.then_some(reply)
        });
        found.unwrap_or_else(|| {
            let last = last.expect("asked at least once");
            panic!(
                "{path} did not show {what} within {TIMEOUT:?}; last reply {} with\n{}\n--- bounce printed\n{}",
                last.status,
                last.body,
                self.printed()
            )
        })
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does, and waits for the exit.
    fn interrupt(&mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT {pid} failed");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for bounce") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "bounce did not stop within {TIMEOUT:?} of Ctrl-C\n{}",
                self.printed()
            );
            thread::sleep(POLL);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    /// The `Location` header, for redirects.
    location: Option<String>,
    body: String,
}

/// A plain HTTP/1.1 GET over a TcpStream, with bounded waits.
fn http_get(address: &str, path: &str) -> Reply {
    http_get_as(address, path, address)
}

/// [`http_get`] naming `host` in the `Host` header, as a browser does the
/// host of the address it was given.
fn http_get_as(address: &str, path: &str, host: &str) -> Reply {
    let mut stream = TcpStream::connect(address).expect("connect to bounce serve");
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("set a read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("set a write timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("read the whole response");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("a response head for {path}: {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line for {path}: {head:?}"));
    let location = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_string())
    });
    Reply {
        status,
        location,
        body: body.to_string(),
    }
}

/// Calls `check` every [`POLL`] until it returns something, for at most [`TIMEOUT`].
fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(POLL);
    }
}

/// Waits until the output file `relative` satisfies `predicate` (None: the
/// file does not exist).
fn wait_for_file(
    output: &Path,
    relative: &str,
    what: &str,
    predicate: impl Fn(Option<&str>) -> bool,
) {
    let path = output.join(relative);
    let mut last = None;
    let found = eventually(|| {
        let text = fs::read_to_string(&path).ok();
        let ok = predicate(text.as_deref());
        last = Some(text);
        ok.then_some(())
    });
    if found.is_none() {
        panic!(
            "{relative} did not show {what} within {TIMEOUT:?}; it holds\n{:?}",
            last.flatten()
        );
    }
}

/// Writes a file of the site, as an editor saving in place does.
fn save(site: &TestSite, relative: &str, text: &str) {
    let path = site.path(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create a folder of the site");
    }
    fs::write(path, text).expect("save a file of the site");
}

/// A small guidance site with the minimal templates: a section with two pages,
/// two partners, and a resource of one of them.
fn guidance_site() -> TestSite {
    TestSite::new()
        .minimal_templates()
        .file(
            "content/wellbeing/_index.md",
            "---\ntitle: Wellbeing\nweight: 1\n---\nLooking after yourself.\n",
        )
        .file("content/wellbeing/sleep.md", &sleep_page("Original sleep text."))
        .file(
            "content/wellbeing/exercise.md",
            "---\ntitle: Exercise\nweight: 2\n---\nMove every day.\n",
        )
        .file(
            "content/partners/kooth.md",
            "---\ntitle: Kooth\nwebsite: https://www.kooth.com/\n---\nOnline counselling.\n",
        )
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\n---\nChild protection.\n",
        )
        .file(
            "content/resources/kooth-guide.md",
            "---\ntitle: Kooth guide for staff\nkind: guidance\nurl: https://www.kooth.com/guide\npartner: kooth\n---\nHow to refer pupils.\n",
        )
}

fn sleep_page(body: &str) -> String {
    format!("---\ntitle: Sleep and rest\nweight: 1\ntopics: [resilience]\n---\n{body}\n")
}

const SLEEP: &str = "/healthy-schools/wellbeing/sleep/";
const WELLBEING: &str = "/healthy-schools/wellbeing/";

// ---------------------------------------------------------------- serve

#[test]
fn serve_shows_protected_pages_unlocked_with_a_banner_and_needs_no_passcode() {
    let site = TestSite::new()
        .site_yaml(&format!(
            "{}passcodes:\n  schools:\n    env: BOUNCE_TEST_UNSET_PASSCODE\n",
            fixtures::SITE_YAML
        ))
        .file(
            "content/resources/lesson.md",
            "---\ntitle: Lesson\nkind: lesson-plan\nfile: lesson.pdf\naccess: passcode\n---\nThe protected lesson text.\n",
        )
        .bytes("content/resources/lesson.pdf", b"%PDF-1.4 lesson");
    let server = Running::serve(&site);
    let page = server.http_get("/healthy-schools/resources/lesson/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("The protected lesson text."),
        "{}",
        page.body
    );
    assert!(page.body.contains("on the published site this page is protected by the passcode group <code>schools</code>"), "{}", page.body);
    assert!(
        !site.path("output").exists(),
        "serve never writes the published output"
    );
}

#[test]
fn serve_refuses_to_write_its_unlocked_preview_into_the_published_output() {
    let site = TestSite::new();
    let root = site.root().to_string_lossy().into_owned();
    let output = site.path("output").to_string_lossy().into_owned();
    let serve = site.run(&["serve", "--root", &root, "--output", &output]);
    assert_eq!(serve.code, 2, "{}", serve.stderr);
    assert!(
        serve
            .stderr
            .contains("never writes into the published output folder"),
        "{}",
        serve.stderr
    );
}

#[test]
fn serve_shows_new_body_text_after_a_save() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let before = server.http_get(SLEEP);
    assert_eq!(before.status, 200);
    assert!(before.body.contains("Original sleep text."));

    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Eight hours a night."),
    );
    let after = server.wait_for_page(SLEEP, "the new text", |r| {
        r.status == 200 && r.body.contains("Eight hours a night.")
    });
    assert!(!after.body.contains("Original sleep text."));
}

#[test]
fn serve_shows_a_new_page_linked_from_its_section() {
    let site = guidance_site();
    let server = Running::serve(&site);
    assert_eq!(
        server
            .http_get("/healthy-schools/wellbeing/friends/")
            .status,
        404
    );

    save(
        &site,
        "content/wellbeing/friends.md",
        "---\ntitle: Friendships\n---\nFriends help.\n",
    );
    server.wait_for_page("/healthy-schools/wellbeing/friends/", "the new page", |r| {
        r.status == 200 && r.body.contains("Friends help.")
    });
    server.wait_for_page(WELLBEING, "a link to the new page", |r| {
        r.body
            .contains("<a href=\"/healthy-schools/wellbeing/friends/\">Friendships</a>")
    });
}

#[test]
fn serve_forgets_a_deleted_page_and_its_listing_entry() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let listing = server.http_get(WELLBEING);
    assert!(listing.body.contains(">Exercise</a>"), "{}", listing.body);

    fs::remove_file(site.path("content/wellbeing/exercise.md")).expect("delete a page");
    server.wait_for_page("/healthy-schools/wellbeing/exercise/", "not found", |r| {
        r.status == 404
    });
    let listing = server.wait_for_page(WELLBEING, "no entry for the deleted page", |r| {
        r.status == 200 && !r.body.contains("Exercise")
    });
    assert!(listing.body.contains(">Sleep and rest</a>"));
}

#[test]
fn serve_shows_a_renamed_partner_in_listings_and_resources() {
    let site = guidance_site();
    let server = Running::serve(&site);
    save(
        &site,
        "content/partners/kooth.md",
        "---\ntitle: Kooth Online Counselling\nwebsite: https://www.kooth.com/\n---\nOnline counselling.\n",
    );
    server.wait_for_page("/healthy-schools/partners/", "the new title", |r| {
        r.body.contains(">Kooth Online Counselling</a>")
    });
    let resource = server.wait_for_page(
        "/healthy-schools/resources/kooth-guide/",
        "the partner's new title",
        |r| r.body.contains(">Kooth Online Counselling</a>"),
    );
    assert!(!resource.body.contains(">Kooth</a>"));
    let partner = server.http_get("/healthy-schools/partners/kooth/");
    assert!(partner.body.contains("<h1>Kooth Online Counselling</h1>"));
}

#[test]
fn serve_shows_a_broken_link_in_the_overlay_until_it_is_fixed() {
    let site = guidance_site();
    let mut server = Running::serve(&site);
    // The link is on line 7 of the file.
    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Read about\n[exercise](exercise-typo.md) too."),
    );
    server.wait_for_failure("content/wellbeing/sleep.md");
    let overlay = server.wait_for_page(SLEEP, "the overlay", |r| r.status == 500);
    assert!(
        overlay
            .body
            .contains("<title>The site did not build</title>")
    );
    assert!(
        overlay
            .body
            .contains("<h2>content/wellbeing/sleep.md:7:1</h2>"),
        "the overlay names the file and line:\n{}",
        overlay.body
    );
    assert!(overlay.body.contains("exercise-typo.md"));
    // Every HTML page shows it, not only the broken one.
    assert_eq!(server.http_get(WELLBEING).status, 500);

    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Read about\n[exercise](exercise.md) too."),
    );
    let fixed = server.wait_for_page(SLEEP, "the real page", |r| r.status == 200);
    assert!(
        fixed
            .body
            .contains("<a href=\"/healthy-schools/wellbeing/exercise/\">exercise</a>"),
        "{}",
        fixed.body
    );
    assert!(!fixed.body.contains("The site did not build"));
}

#[test]
fn serve_shows_broken_front_matter_in_the_overlay_until_it_is_fixed() {
    let site = guidance_site();
    let mut server = Running::serve(&site);
    save(
        &site,
        "content/wellbeing/exercise.md",
        "---\ntitle: Exercise\ntopics: [resilience\n---\nMove every day.\n",
    );
    server.wait_for_failure("content/wellbeing/exercise.md");
    let overlay = server.wait_for_page(WELLBEING, "the overlay", |r| r.status == 500);
    assert!(
        overlay
            .body
            .contains("<title>The site did not build</title>")
    );
    assert!(
        overlay
            .body
            .contains("<h2>content/wellbeing/exercise.md:3:"),
        "the overlay names the file and the line of the unclosed list:\n{}",
        overlay.body
    );

    save(
        &site,
        "content/wellbeing/exercise.md",
        "---\ntitle: Exercise\ntopics: [resilience]\n---\nMove every day.\n",
    );
    server.wait_for_page(
        "/healthy-schools/wellbeing/exercise/",
        "the real page",
        |r| r.status == 200 && r.body.contains("Move every day."),
    );
    assert_eq!(server.http_get(SLEEP).status, 200);
}

#[test]
fn serve_never_answers_with_a_file_outside_the_site() {
    let site = guidance_site();
    let server = Running::serve(&site);
    // The served folder is <site>/.bounce-serve, so `..` from the base path
    // would reach site.yaml.
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/healthy-schools/../site.yaml",
        "/healthy-schools/../../site/site.yaml",
        "/healthy-schools/%2e%2e/site.yaml",
        "/healthy-schools/%2E%2E/site.yaml",
        "/healthy-schools/..%2fsite.yaml",
        "/healthy-schools/..%5csite.yaml",
        "/healthy-schools//../site.yaml",
        "/healthy-schools/.bounce-serve/../../site.yaml",
    ] {
        let reply = server.http_get(path);
        assert!(
            [403, 404].contains(&reply.status),
            "{path} answered {}",
            reply.status
        );
        assert!(
            !reply.body.contains("base_url:"),
            "{path} answered with site.yaml:\n{}",
            reply.body
        );
    }
}

#[test]
fn serve_redirects_the_root_to_the_base_path() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let reply = server.http_get("/");
    assert!(
        [301, 302, 307, 308].contains(&reply.status),
        "{}",
        reply.status
    );
    assert_eq!(reply.location.as_deref(), Some("/healthy-schools/"));
    let home = server.http_get("/healthy-schools/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Welcome to the network."));
}

#[test]
fn serve_adds_the_live_reload_script_to_every_page() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let tag = "<script src=\"/__bounce/live.js\"></script>";
    for path in ["/healthy-schools/", SLEEP, "/healthy-schools/no-such-page/"] {
        let reply = server.http_get(path);
        assert!(reply.body.contains(tag), "{path}:\n{}", reply.body);
    }
    let script = server.http_get("/__bounce/live.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource(\"/__bounce/events\")"));
}

// ------------------------------------------------------- hostile clients

/// Stalled connections the flood tests open (issue 18): more than the server
/// keeps open at once.
const IDLE_CONNECTIONS: usize = 300;
const TRICKLING_CONNECTIONS: usize = 260;
/// How long a new visitor may wait while the server is flooded: far more than
/// the milliseconds an answer takes, far less than the ten seconds a stalled
/// client is given.
const FLOODED_ANSWER: Duration = Duration::from_secs(5);
/// The pause between the bytes of a trickled request.
const TRICKLE_GAP: Duration = Duration::from_millis(100);

/// A connection to `address`, nothing sent yet, with bounded waits.
fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect to bounce serve");
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("set a read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("set a write timeout");
    stream
}

/// Writes a byte to each of its connections every half second, on a thread of
/// its own, until dropped; then closes them.
struct Trickle {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Trickle {
    fn start(mut streams: Vec<TcpStream>) -> Trickle {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            while let Err(RecvTimeoutError::Timeout) =
                stopped.recv_timeout(Duration::from_millis(500))
            {
                for stream in &mut streams {
                    // The server may have closed it: only the visitor matters.
                    let _ = stream.write_all(b"E");
                }
            }
        });
        Trickle {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Trickle {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Asks for the live-reload event stream on a new connection.
fn request_events(address: &str) -> TcpStream {
    let mut stream = connect(address);
    write!(
        stream,
        "GET /__bounce/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("ask for the event stream");
    stream
}

/// Reads from `stream` until `end` arrives; fails after [`TIMEOUT`] without it.
fn read_until(stream: &mut TcpStream, end: &str) -> String {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = Vec::new();
    let mut byte = [0];
    while !seen.ends_with(end.as_bytes()) {
        let read = stream.read(&mut byte);
        assert!(
            matches!(read, Ok(1)) && Instant::now() < deadline,
            "the stream ended ({read:?}) before {end:?}; it sent {:?}",
            String::from_utf8_lossy(&seen)
        );
        seen.push(byte[0]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[test]
fn serve_answers_a_new_visitor_while_hundreds_of_connections_stall() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let address = server.address();
    let idle: Vec<TcpStream> = (0..IDLE_CONNECTIONS).map(|_| connect(address)).collect();
    let trickling = (0..TRICKLING_CONNECTIONS)
        .map(|_| {
            let mut stream = connect(address);
            let _ = stream.write_all(b"G");
            stream
        })
        .collect();
    let trickle = Trickle::start(trickling);

    let asked = Instant::now();
    let reply = server.http_get(SLEEP);
    let took = asked.elapsed();
    assert_eq!(
        reply.status, 200,
        "the visitor was turned away:\n{}",
        reply.body
    );
    assert!(reply.body.contains("Original sleep text."));
    assert!(took < FLOODED_ANSWER, "the answer took {took:?}");
    let mut events = request_events(address);
    let head = read_until(&mut events, "retry: 1000\n\n");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");

    drop(trickle);
    drop(idle);
}

#[test]
fn serve_closes_a_connection_that_trickles_past_the_deadline() {
    let site = guidance_site();
    let server = Running::serve_with(&site, &["--head-deadline-ms", "1000"]);
    let address = server.address();
    // At a byte per TRICKLE_GAP, sending all of it would take minutes.
    let request = format!(
        "GET {SLEEP} HTTP/1.1\r\nHost: {address}\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(1000)
    );
    let mut stream = connect(address);
    stream
        .set_read_timeout(Some(TRICKLE_GAP))
        .expect("set a read timeout");
    let started = Instant::now();
    let mut answer = Vec::new();
    for byte in request.bytes() {
        assert!(
            started.elapsed() < TIMEOUT,
            "still open after {TIMEOUT:?} of trickling; the server sent {:?}",
            String::from_utf8_lossy(&answer)
        );
        if stream.write_all(&[byte]).is_err() || read_or_closed(&mut stream, &mut answer) {
            break;
        }
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(500),
        "closed after {took:?}, before the deadline"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408 "),
        "{answer}"
    );
}

/// Waits a little for what the server sends; true once it has closed.
fn read_or_closed(stream: &mut TcpStream, answer: &mut Vec<u8>) -> bool {
    let mut buffer = [0; 1024];
    match stream.read(&mut buffer) {
        Ok(0) => true,
        Ok(read) => {
            answer.extend_from_slice(&buffer[..read]);
            false
        }
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn serve_answers_only_requests_for_this_computer() {
    let site = guidance_site();
    let server = Running::serve(&site);
    let address = server.address();
    let port = address.rsplit(':').next().expect("a port");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let reply = http_get_as(address, SLEEP, &host);
        assert_eq!(reply.status, 200, "Host: {host}\n{}", reply.body);
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        for path in [SLEEP, "/__bounce/live.js", "/__bounce/events"] {
            let reply = http_get_as(address, path, &host);
            assert_eq!(reply.status, 421, "Host: {host} {path}\n{}", reply.body);
            assert!(
                reply.body.contains(&format!("`{host}`"))
                    && reply
                        .body
                        .contains(&format!("http://{address}/healthy-schools/")),
                "the refusal names the host and says where to go instead:\n{}",
                reply.body
            );
        }
    }
}

#[test]
fn serve_keeps_answering_with_hundreds_of_event_streams_open() {
    let site = guidance_site();
    let mut server = Running::serve(&site);
    let address = server.address().to_string();
    // One after the other, so that each is followed before the next comes.
    let mut streams: Vec<TcpStream> = (0..IDLE_CONNECTIONS)
        .map(|_| {
            let mut stream = request_events(&address);
            read_until(&mut stream, "retry: 1000\n\n");
            stream
        })
        .collect();
    let reply = server.http_get(SLEEP);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut rest = Vec::new();
    assert!(
        streams[0].read_to_end(&mut rest).is_ok(),
        "the oldest event stream is closed to make room for the newer ones"
    );

    let mut newest = request_events(&address);
    read_until(&mut newest, "retry: 1000\n\n");
    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Sleep well."),
    );
    server.wait_for_rebuild("content/wellbeing/sleep.md");
    read_until(&mut newest, "data: reload\n\n");
}

// ---------------------------------------------------------------- watch

#[test]
fn watch_writes_an_edited_body_to_the_output() {
    let site = guidance_site();
    let mut watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let page = "wellbeing/sleep/index.html";
    assert!(
        fs::read_to_string(output.join(page))
            .expect("first build")
            .contains("Original")
    );

    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Eight hours a night."),
    );
    let summary = watch.wait_for_rebuild("content/wellbeing/sleep.md");
    assert!(summary.text.contains("changed: "), "{}", summary.text);
    wait_for_file(&output, page, "the new text", |t| {
        t.is_some_and(|t| t.contains("Eight hours a night."))
    });
}

#[test]
fn watch_follows_an_editors_atomic_save() {
    let site = guidance_site();
    let _watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let target = site.path("content/wellbeing/sleep.md");
    for (temporary, text) in [
        (
            "content/wellbeing/sleep.md.tmp",
            "Saved through a temporary file.",
        ),
        (
            "content/wellbeing/.sleep.md.swp",
            "Saved through a swap file.",
        ),
    ] {
        save(&site, temporary, &sleep_page(text));
        fs::rename(site.path(temporary), &target).expect("rename over the page");
        wait_for_file(&output, "wellbeing/sleep/index.html", text, |t| {
            t.is_some_and(|t| t.contains(text))
        });
    }
    // Neither temporary file became part of the site. Names only: the
    // rebuild may still be replacing a search file as the folder is read.
    let files = names(&output, &output);
    assert!(
        files
            .iter()
            .all(|f| !f.contains(".tmp") && !f.contains(".swp")),
        "{files:?}"
    );
}

/// The paths of the files under `dir`, from `base`, found without opening any.
fn names(base: &Path, dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("list a folder").flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(names(base, &path));
        } else if let Ok(relative) = path.strip_prefix(base) {
            found.push(relative.to_string_lossy().into_owned());
        }
    }
    found
}

#[test]
fn watch_removes_the_pages_of_a_deleted_folder() {
    let site = guidance_site();
    let _watch = Running::watch(&site, &[]);
    let output = site.path("output");
    assert!(output.join("wellbeing/sleep/index.html").is_file());

    fs::remove_dir_all(site.path("content/wellbeing")).expect("delete a folder");
    for page in [
        "wellbeing/index.html",
        "wellbeing/sleep/index.html",
        "wellbeing/exercise/index.html",
    ] {
        wait_for_file(&output, page, "nothing", |t| t.is_none());
    }
    wait_for_file(&output, "index.html", "no link to the folder", |t| {
        t.is_some_and(|t| !t.contains("/wellbeing/"))
    });
}

#[test]
fn watch_renders_every_page_again_after_a_template_change() {
    let site = guidance_site();
    let _watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let page = fs::read_to_string(site.path("templates/page.html")).expect("the template");
    save(
        &site,
        "templates/page.html",
        &page.replace("</div>\n", "</div><footer>Template two</footer>\n"),
    );
    for file in [
        "wellbeing/sleep/index.html",
        "wellbeing/exercise/index.html",
    ] {
        wait_for_file(&output, file, "the new template", |t| {
            t.is_some_and(|t| t.contains("<footer>Template two</footer>"))
        });
    }
}

#[test]
fn watch_leaves_the_output_untouched_by_a_failed_rebuild() {
    let site = guidance_site();
    let mut watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let before = snapshot(&output);

    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("New text with\n[a broken link](nowhere.md)."),
    );
    watch.wait_for_failure("content/wellbeing/sleep.md");
    assert!(
        watch.printed().contains("content/wellbeing/sleep.md:7:1"),
        "the terminal names file and line:\n{}",
        watch.printed()
    );
    assert_same_files(&before, &snapshot(&output));

    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("New text, fixed."),
    );
    watch.wait_for_rebuild("content/wellbeing/sleep.md");
    wait_for_file(&output, "wellbeing/sleep/index.html", "the fix", |t| {
        t.is_some_and(|t| t.contains("New text, fixed."))
    });
}

#[test]
fn watch_recovers_from_a_half_written_file() {
    let site = guidance_site();
    let mut watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let path = site.path("content/wellbeing/friends.md");
    let mut file = fs::File::create(&path).expect("create a page");
    file.write_all(b"---\ntitle: Friendships\n")
        .expect("write the front matter");
    file.flush().expect("flush");
    watch.wait_for_failure("content/wellbeing/friends.md");
    assert!(!output.join("wellbeing/friends/index.html").exists());

    file.write_all(b"---\nFriends help.\n")
        .expect("finish the file");
    drop(file);
    wait_for_file(&output, "wellbeing/friends/index.html", "the page", |t| {
        t.is_some_and(|t| t.contains("Friends help."))
    });
    wait_for_file(&output, "wellbeing/index.html", "a link to it", |t| {
        t.is_some_and(|t| t.contains(">Friendships</a>"))
    });
}

#[test]
fn watch_follows_a_content_folder_replaced_as_git_checkout_does() {
    let site = guidance_site();
    let _watch = Running::watch(&site, &[]);
    let output = site.path("output");
    fs::rename(site.path("content"), site.outer().join("old-content"))
        .expect("move the content folder away");
    fs::create_dir_all(site.path("content/wellbeing")).expect("make a new content folder");
    save(
        &site,
        "content/_index.md",
        "---\ntitle: Home\n---\nA new home.\n",
    );
    save(
        &site,
        "content/wellbeing/_index.md",
        "---\ntitle: Wellbeing\n---\nLooking after yourself.\n",
    );
    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("From the new branch."),
    );
    wait_for_file(&output, "wellbeing/sleep/index.html", "the new text", |t| {
        t.is_some_and(|t| t.contains("From the new branch."))
    });
    wait_for_file(&output, "wellbeing/exercise/index.html", "nothing", |t| {
        t.is_none()
    });
    // The new folder is watched too.
    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Edited after the switch."),
    );
    wait_for_file(&output, "wellbeing/sleep/index.html", "the edit", |t| {
        t.is_some_and(|t| t.contains("Edited after the switch."))
    });
}

#[test]
fn watch_moves_the_pages_of_a_renamed_folder() {
    let site = guidance_site();
    let _watch = Running::watch(&site, &[]);
    let output = site.path("output");
    fs::rename(site.path("content/wellbeing"), site.path("content/health"))
        .expect("rename a section folder");
    wait_for_file(&output, "health/sleep/index.html", "the moved page", |t| {
        t.is_some_and(|t| t.contains("Original sleep text."))
    });
    wait_for_file(&output, "wellbeing/sleep/index.html", "nothing", |t| {
        t.is_none()
    });
}

#[test]
fn watch_reports_a_content_folder_moved_away_as_a_build_does() {
    let site = guidance_site();
    let mut watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let before = snapshot(&output);
    let elsewhere = site.outer().join("content-elsewhere");
    fs::rename(site.path("content"), &elsewhere).expect("move the content folder away");
    watch.wait_for_failure("content");
    let message = format!(
        "error: no `content` folder in {}\n  = hint: create content/_index.md for the home page\n",
        site.root().display()
    );
    site.build(&[]).assert_failed().assert_reports(&message);
    for line in message.lines() {
        assert!(
            watch.printed().contains(&format!("err| {line}")),
            "watch should say what a build says:\n{message}\n--- but it printed\n{}",
            watch.printed()
        );
    }
    assert_same_files(&before, &snapshot(&output));

    fs::rename(&elsewhere, site.path("content")).expect("move the content folder back");
    watch.wait_for_rebuild("content");
    assert_same_files(&before, &snapshot(&output));
}

#[test]
fn watch_writes_the_site_again_when_the_output_folder_is_deleted() {
    let site = guidance_site();
    // Inside the site, and beside it.
    for output in [site.path("output"), site.outer().join("public")] {
        let watch = Running::watch(&site, &["--output", &output.to_string_lossy()]);
        let before = snapshot(&output);
        assert!(before.contains_key("wellbeing/sleep/index.html"));
        fs::remove_dir_all(&output).expect("delete the output folder");
        let written = eventually(|| (snapshot(&output) == before).then_some(()));
        assert!(
            written.is_some(),
            "{} was not written again; bounce printed\n{}",
            output.display(),
            watch.printed()
        );
    }
}

#[test]
fn watch_never_replaces_a_folder_put_in_place_of_the_output() {
    let site = guidance_site();
    let mut watch = Running::watch(&site, &[]);
    let output = site.path("output");
    let mine = site.outer().join("mine");
    fs::create_dir_all(&mine).expect("make a folder");
    fs::write(mine.join("notes.txt"), "the only copy").expect("write a file");
    fs::rename(&output, site.outer().join("moved-output")).expect("move the output away");
    fs::rename(&mine, &output).expect("put a folder in its place");
    save(
        &site,
        "content/wellbeing/sleep.md",
        &sleep_page("Eight hours a night."),
    );
    watch.wait_for_failure("content/wellbeing/sleep.md");
    assert!(
        watch
            .printed()
            .contains("it is not empty and bounce did not create it"),
        "{}",
        watch.printed()
    );
    assert_eq!(fixtures::entries(&output), ["notes.txt"]);
    assert_eq!(
        fixtures::entries(site.root()),
        ["content", "output", "site.yaml", "templates"]
    );
}

/// Pages in the section of [`large_section_site`].
const SECTION_PAGES: usize = 300;

/// A section of [`SECTION_PAGES`] pages, each of which shows the section's
/// title in its breadcrumbs: retitling the section rewrites them all.
fn large_section_site() -> TestSite {
    let mut site = TestSite::new()
        .minimal_templates()
        .file("content/guide/_index.md", &section_page("Guide"));
    for page in 0..SECTION_PAGES {
        site = site.file(
            &format!("content/guide/page-{page:03}.md"),
            &format!("---\ntitle: Page {page}\n---\nPage number {page}.\n"),
        );
    }
    site
}

fn section_page(title: &str) -> String {
    format!("---\ntitle: {title}\n---\nEverything about {title}.\n")
}

/// Retitles the section of [`large_section_site`] and kills `watch`
/// (SIGKILL, as `kill -9`) as soon as one page shows the new title, while
/// the others are being rewritten.
fn kill_while_retitling(site: &TestSite, mut watch: Running, title: &str) {
    save(site, "content/guide/_index.md", &section_page(title));
    let pages: Vec<_> = (0..SECTION_PAGES)
        .map(|p| site.path(&format!("output/guide/page-{p:03}/index.html")))
        .collect();
    let crumb = format!(">{title}</a>");
    let retitled = || {
        pages
            .iter()
            .filter(|p| fs::read_to_string(p).is_ok_and(|t| t.contains(&crumb)))
            .count()
    };
    let first = eventually(|| (retitled() > 0).then_some(()));
    watch.child.kill().expect("kill bounce watch");
    watch.child.wait().expect("reap bounce watch");
    assert!(
        first.is_some(),
        "no page showed {title}\n{}",
        watch.printed()
    );
    assert!(
        retitled() < SECTION_PAGES,
        "the kill came after every page was rewritten: nothing is left to clean up"
    );
}

#[test]
fn a_watch_killed_mid_rebuild_is_cleaned_up_by_the_next_watch_or_build() {
    let site = large_section_site();
    let output = site.path("output");
    let expected = site.outer().join("expected");
    for (title, next, page) in [
        ("Guidance", "watch", SECTION_PAGES - 1),
        ("Guidance for schools", "build", SECTION_PAGES - 2),
    ] {
        kill_while_retitling(&site, Running::watch(&site, &[]), title);
        // What a kill between writing a page and renaming it into place
        // leaves; and the editor deletes that page before starting again.
        fs::write(
            output.join(format!("guide/page-{page:03}/index.html.bounce-new")),
            "<h1>Page</h1><nav",
        )
        .expect("write a half-written page");
        fs::remove_file(site.path(&format!("content/guide/page-{page:03}.md")))
            .expect("delete a page");
        site.build(&["--output", &expected.to_string_lossy()])
            .assert_ok();
        if next == "watch" {
            drop(Running::watch(&site, &[]));
        } else {
            site.build(&[]).assert_ok();
        }
        assert_same_files(&snapshot(&expected), &snapshot(&output));
        assert_eq!(
            fixtures::entries(site.root()),
            ["content", "output", "site.yaml", "templates"],
            "after the next {next}"
        );
    }
}

#[test]
fn serve_shows_a_broken_site_yaml_until_it_is_fixed() {
    let site = guidance_site();
    let server = Running::serve(&site);
    save(
        &site,
        "site.yaml",
        &fixtures::SITE_YAML.replace("language: en-GB", "langauge: en-GB"),
    );
    let overlay = server.wait_for_page(SLEEP, "the overlay", |r| r.status == 500);
    assert!(
        overlay.body.contains("<h2>site.yaml:4:1</h2>"),
        "the overlay names site.yaml and the line:\n{}",
        overlay.body
    );
    assert!(overlay.body.contains("langauge"));

    save(&site, "site.yaml", fixtures::SITE_YAML);
    server.wait_for_page(SLEEP, "the real page", |r| {
        r.status == 200 && r.body.contains("Original sleep text.")
    });
}

#[test]
fn ctrl_c_stops_watch_and_serve_cleanly() {
    let site = guidance_site();
    for mut running in [Running::watch(&site, &[]), Running::serve(&site)] {
        let started = Instant::now();
        let status = running.interrupt();
        assert_eq!(status.code(), Some(0), "{}", running.printed());
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        running.wait_for_line(|l| !l.stderr && l.text == "Stopped.", TIMEOUT);
    }
}

// ------------------------------------------------- incremental = full build

/// A site for the default theme, whose templates use navigation, collections,
/// taxonomies and breadcrumbs: every dependency rule has something to catch.
fn themed_site() -> TestSite {
    TestSite::new()
        .file(
            "content/wellbeing/_index.md",
            "---\ntitle: Wellbeing\nsummary: Looking after yourself.\nweight: 1\n---\nLooking after yourself.\n",
        )
        .file(
            "content/wellbeing/sleep.md",
            "---\ntitle: Sleep and rest\nsummary: Why sleep matters.\nweight: 1\ntopics: [resilience]\n---\nSleep matters.\n\nSee [exercise](exercise.md).\n",
        )
        .file(
            "content/wellbeing/exercise.md",
            "---\ntitle: Exercise\nsummary: Moving every day.\nweight: 2\ntopics: [mental-health]\n---\nMove every day.\n",
        )
        .file(
            "content/safety/_index.md",
            "---\ntitle: Safety\nsummary: Staying safe.\nweight: 2\n---\nStaying safe.\n",
        )
        .file(
            "content/safety/online.md",
            "---\ntitle: Online safety\nsummary: Safe online.\ntopics: [online-safety]\n---\nUse [Kooth](../partners/kooth.md).\n",
        )
        .file(
            "content/partners/kooth.md",
            "---\ntitle: Kooth\nsummary: Online counselling.\nwebsite: https://www.kooth.com/\ntopics: [mental-health]\n---\nOnline counselling.\n",
        )
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nsummary: Child protection.\n---\nChild protection.\n",
        )
        .file(
            "content/resources/kooth-guide.md",
            "---\ntitle: Kooth guide for staff\nsummary: Referring pupils.\nkind: guidance\nurl: https://www.kooth.com/guide\npartner: kooth\n---\nHow to refer pupils.\n",
        )
        .file(
            "content/events/training.md",
            "---\ntitle: Kooth training\nsummary: An afternoon.\nstarts: 2026-12-03T14:00\npartner: kooth\n---\nAn afternoon of training.\n",
        )
}

#[test]
fn incremental_rebuilds_write_what_a_full_build_writes() {
    let site = themed_site();
    let base_url = "http://127.0.0.1:9/preview/";
    let mut watch = Running::watch(&site, &["--base-url", base_url]);

    let sleep = |topics: &str, body: &str| {
        format!(
            "---\ntitle: Sleep and rest\nsummary: Why sleep matters.\nweight: 1\ntopics: [{topics}]\n---\n{body}\n\nSee [exercise](exercise.md).\n"
        )
    };
    let exercise = |title: &str, weight: u32| {
        format!(
            "---\ntitle: {title}\nsummary: Moving every day.\nweight: {weight}\ntopics: [mental-health]\n---\nMove every day.\n"
        )
    };
    // (file changed, its new text or None to delete it, the start of the
    // rebuild's summary line)
    let steps: Vec<(&str, Option<String>, &str)> = vec![
        // A body edit only.
        (
            "content/wellbeing/sleep.md",
            Some(sleep("resilience", "Sleep matters a lot.")),
            "content/wellbeing/sleep.md",
        ),
        // A title change: listings, links' targets and the navigation of its section.
        (
            "content/wellbeing/exercise.md",
            Some(exercise("Exercise and play", 2)),
            "content/wellbeing/exercise.md",
        ),
        // Topic changes: term pages before and after, and the topic list.
        (
            "content/wellbeing/sleep.md",
            Some(sleep("online-safety, mental-health", "Sleep matters a lot.")),
            "content/wellbeing/sleep.md",
        ),
        // A weight change reorders the section.
        (
            "content/wellbeing/exercise.md",
            Some(exercise("Exercise and play", 0)),
            "content/wellbeing/exercise.md",
        ),
        // A new URL and an old address: links to it and redirects change.
        (
            "content/wellbeing/exercise.md",
            Some("---\ntitle: Exercise and play\nsummary: Moving every day.\nweight: 0\nslug: moving\naliases: [\"/old-exercise/\"]\ntopics: [mental-health]\n---\nMove every day.\n".into()),
            "content/wellbeing/exercise.md",
        ),
        // A section's title and weight: the navigation on every page, breadcrumbs.
        (
            "content/safety/_index.md",
            Some("---\ntitle: Safety first\nsummary: Staying safe.\nweight: 0\n---\nStaying safe.\n".into()),
            "content/safety/_index.md",
        ),
        // A new document with a new topic.
        (
            "content/wellbeing/friends.md",
            Some("---\ntitle: Friendships\nsummary: Friends help.\ntopics: [resilience]\n---\nFriends help. See [sleep](sleep.md).\n".into()),
            "content/wellbeing/friends.md",
        ),
        // A partner rename: the directory, its resource, its event, linking pages.
        (
            "content/partners/kooth.md",
            Some("---\ntitle: Kooth Online Counselling\nsummary: Online counselling.\nwebsite: https://www.kooth.com/\ntopics: [mental-health]\n---\nOnline counselling.\n".into()),
            "content/partners/kooth.md",
        ),
        // A resource changes partner.
        (
            "content/resources/kooth-guide.md",
            Some("---\ntitle: Kooth guide for staff\nsummary: Referring pupils.\nkind: guidance\nurl: https://www.kooth.com/guide\npartner: nspcc\n---\nHow to refer pupils.\n".into()),
            "content/resources/kooth-guide.md",
        ),
        // A document removed, and one added in a new folder.
        ("content/safety/online.md", None, "content/safety/online.md"),
        (
            "content/sleep/_index.md",
            Some("---\ntitle: Sleep clinic\nsummary: A new section.\nweight: 3\n---\nA new section.\n".into()),
            // The new folder's event may come alone.
            "content/sleep",
        ),
        // The summary alone changes: listings and the search index.
        (
            "content/partners/nspcc.md",
            Some("---\ntitle: NSPCC\nsummary: Protecting children.\n---\nChild protection.\n".into()),
            "content/partners/nspcc.md",
        ),
        // A file beside a document, linked with its size; then it grows.
        (
            "content/wellbeing/plan.pdf",
            Some("%PDF-1.4 a small plan\n".into()),
            "content/wellbeing/plan.pdf",
        ),
        (
            "content/wellbeing/sleep.md",
            Some(sleep("mental-health", "Read [the plan](plan.pdf).")),
            "content/wellbeing/sleep.md",
        ),
        (
            "content/wellbeing/plan.pdf",
            Some(format!("%PDF-1.4 {}\n", "a much longer plan ".repeat(300))),
            "content/wellbeing/plan.pdf",
        ),
        // A draft leaves the site.
        (
            "content/wellbeing/friends.md",
            Some("---\ntitle: Friendships\nsummary: Friends help.\ntopics: [resilience]\ndraft: true\n---\nFriends help.\n".into()),
            "content/wellbeing/friends.md",
        ),
        (
            "content/wellbeing/friends.md",
            Some("---\ntitle: Friendships\nsummary: Friends help.\ntopics: [resilience]\n---\nFriends help again.\n".into()),
            "content/wellbeing/friends.md",
        ),
        // site.yaml: every page.
        (
            "site.yaml",
            Some(fixtures::SITE_YAML.replace("Healthy Schools Test Network", "Healthy Schools Preview Network")),
            "site.yaml",
        ),
    ];
    for (file, text, summary) in &steps {
        match text {
            Some(text) => save(&site, file, text),
            None => fs::remove_file(site.path(file)).expect("remove a document"),
        }
        watch.wait_for_rebuild(summary);
    }
    // A rename: the old page goes, the new one comes.
    fs::rename(
        site.path("content/wellbeing/friends.md"),
        site.path("content/wellbeing/friendships.md"),
    )
    .expect("rename a document");
    watch.wait_for_rebuild("content/wellbeing/friend");

    let full = site.run_with_env(
        &[
            "build",
            "--root",
            &site.root().to_string_lossy(),
            "--output",
            &site.outer().join("full").to_string_lossy(),
            "--base-url",
            base_url,
        ],
        &[("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)],
        site.outer().join("full"),
    );
    full.assert_ok();
    // The steps reached the pages they were meant to.
    assert!(full.read("wellbeing/sleep/index.html").contains("PDF, 5."));
    assert!(
        full.read("events/training/index.html")
            .contains("Kooth Online Counselling")
    );
    assert!(
        full.read("index.html")
            .contains("Healthy Schools Preview Network")
    );
    assert!(full.exists("wellbeing/friendships/index.html"));
    assert!(full.exists("old-exercise/index.html"));
    assert!(
        full.read("wellbeing/sleep/index.html")
            .contains("/preview/wellbeing/moving/")
    );
    let expected = snapshot(&full.output);
    let output = site.path("output");
    // Rebuilds may still be finishing: give them the usual time to agree.
    let agreed = eventually(|| (snapshot(&output) == expected).then_some(()));
    if agreed.is_none() {
        assert_same_files(&expected, &snapshot(&output));
    }
}

/// Panics with the paths that differ between two snapshots of a folder.
fn assert_same_files(expected: &BTreeMap<String, Vec<u8>>, actual: &BTreeMap<String, Vec<u8>>) {
    let mut differences = Vec::new();
    for (path, bytes) in expected {
        match actual.get(path) {
            None => differences.push(format!("missing: {path}")),
            Some(other) if other != bytes => differences.push(format!(
                "differs: {path}\n--- expected\n{}\n--- found\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(other)
            )),
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        differences.push(format!("extra: {path}"));
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
