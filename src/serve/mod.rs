//! The preview server of `bounce serve`: serves the output folder over HTTP on
//! the local machine, reloads open pages after each rebuild, and shows the
//! rebuild's problems instead of the pages while it fails.
//!
//! Entry point: [`start`] binds and returns at once; the caller tells the
//! server about each rebuild through [`Live::publish`]. Deliberately small and
//! std-only: HTTP/1.1, GET and HEAD, one thread per connection and one
//! response per connection (`Connection: close`); enough for one editor's
//! browser, not for the internet. Still, no client can lock the editor out:
//! the request head must arrive within one deadline, a new connection always
//! finds room, and only requests for this computer's names are answered.
//!
//! - `request` reads the request head (16 KB at most, within [`HEAD_DEADLINE`]).
//! - `connections` counts open connections and makes room for new ones.
//! - `host` decides which `Host` names are answered (DNS rebinding).
//! - `path` maps the target to a file inside the output folder, and nowhere else.
//! - `response` writes the answer with its content type.
//! - `live` holds the rebuild state and the live-reload script.
//! - `events` writes the live-reload event streams, all from one thread.
//! - `overlay` is the page listing the problems of a failed rebuild.

mod connections;
mod events;
mod host;
mod live;
mod overlay;
mod path;
mod range;
mod request;
mod response;
#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub use live::Live;

use connections::{Connections, MAX_CONNECTIONS, Ticket};
use events::{Events, MAX_STREAMS};
use path::{Found, Refused, UrlPath};
use request::{Method, Refusal, Request};
use response::{HTML, Response};

/// How long a client may take to send its whole request head. Browsers send
/// it at once; a client trickling a byte now and then is cut off here.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a write may block before the client is given up.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often idle event streams are pinged, so that closed tabs are noticed.
const PING_INTERVAL: Duration = Duration::from_secs(15);

/// Where the server listens and what it serves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// 127.0.0.1:port by default; port 0 = any free port.
    pub address: SocketAddr,
    /// The output folder to serve files from. It need not exist yet: until it
    /// does, every path is not found.
    pub root: PathBuf,
    /// `/` or a sub-path such as `/healthy-schools/` (site.yaml `base_url`'s path).
    pub base_path: String,
    /// How long a client may take to send its request head: [`HEAD_DEADLINE`],
    /// or less in tests.
    pub head_deadline: Duration,
}

/// Binds and starts serving on background threads; returns the bound address
/// (so the caller can print it). The server runs until the process ends.
///
/// Fails when the address cannot be bound, or when `base_path` is not a plain
/// URL path (`..`, encoded separators).
pub fn start(settings: Settings, live: Arc<Live>) -> io::Result<SocketAddr> {
    let base = parse_base_path(&settings.base_path)?;
    let listener = TcpListener::bind(settings.address)?;
    let address = listener.local_addr()?;
    let events = Arc::new(Events::new(Arc::clone(&live), MAX_STREAMS, PING_INTERVAL));
    let server = Arc::new(Server {
        root: settings.root,
        base,
        address,
        head_deadline: settings.head_deadline,
        live,
        connections: Connections::new(MAX_CONNECTIONS),
        events: Arc::clone(&events),
    });
    thread::Builder::new()
        .name("bounce-serve-events".into())
        .spawn(move || events.run())?;
    thread::Builder::new()
        .name("bounce-serve".into())
        .spawn(move || accept(&listener, &server))?;
    Ok(address)
}

/// The address to show and open for a server bound to `address`: the same,
/// but 127.0.0.1 for "every address" (0.0.0.0 or ::), which no browser opens.
pub fn url(address: SocketAddr, base_path: &str) -> String {
    let shown = if address.ip().is_unspecified() {
        SocketAddr::new(Ipv4Addr::LOCALHOST.into(), address.port())
    } else {
        address
    };
    format!("http://{shown}{base_path}")
}

fn parse_base_path(base_path: &str) -> io::Result<Vec<String>> {
    let absolute = if base_path.starts_with('/') {
        base_path.to_string()
    } else {
        format!("/{base_path}")
    };
    path::decode(&absolute)
        .map(|path| path.segments)
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the base path `{base_path}` is not a plain URL path"),
            )
        })
}

struct Server {
    root: PathBuf,
    /// The decoded segments of the base path; empty for `/`.
    base: Vec<String>,
    /// Where the server listens.
    address: SocketAddr,
    head_deadline: Duration,
    live: Arc<Live>,
    connections: Arc<Connections>,
    events: Arc<Events>,
}

fn accept(listener: &TcpListener, server: &Arc<Server>) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => spawn_connection(stream, server),
            // Out of file descriptors, most likely: wait for some to close
            // instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn spawn_connection(stream: TcpStream, server: &Arc<Server>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let stream = Arc::new(stream);
    let ticket = server.connections.admit(Arc::clone(&stream));
    let server = Arc::clone(server);
    // When the thread cannot be spawned, the closure (ticket and stream) is
    // dropped: the connection closes and is no longer counted.
    let _ = thread::Builder::new()
        .name("bounce-serve-connection".into())
        .spawn(move || server.handle(stream, &ticket));
}

/// What to send back for one request.
enum Reply {
    Response(Response),
    /// The live-reload event stream, which stays open.
    Events,
}

impl Server {
    fn handle(&self, stream: Arc<TcpStream>, ticket: &Ticket) {
        let read = request::read(&mut request::Deadline::new(&stream, self.head_deadline));
        ticket.answering();
        let mut out = &*stream;
        let request = match read {
            Ok(request) => request,
            Err(refusal) => {
                if let Some(response) = refused(refusal) {
                    let _ = response.write_to(&mut out, false);
                }
                return;
            }
        };
        let head_only = request.method == Method::Head;
        if let Some(response) = self.misdirected(&request) {
            let _ = response.write_to(&mut out, head_only);
            return;
        }
        match self.reply(&request.target, request.range.as_deref()) {
            Reply::Response(response) => {
                let _ = response.write_to(&mut out, head_only);
            }
            Reply::Events => self.follow(stream, head_only),
        }
    }

    /// 421 for a request naming a host other than this computer's (see `host`).
    fn misdirected(&self, request: &Request) -> Option<Response> {
        let host = request.host.as_deref()?;
        if host::allowed(host, self.address.ip()) {
            return None;
        }
        let open = url(self.address, &self.base_href());
        let why = host::refusal(host, &open, self.address.ip().is_unspecified());
        Some(Response::text(421, &why))
    }

    fn reply(&self, target: &str, range: Option<&str>) -> Reply {
        let path = match path::decode(target) {
            Ok(path) => path,
            Err(Refused::Malformed) => return Reply::Response(Response::plain(400)),
            Err(Refused::Forbidden) => return Reply::Response(Response::plain(403)),
        };
        if let Some(own) = path.strip_prefix(&["__bounce".to_string()]) {
            return match own.segments.as_slice() {
                [name] if name == "live.js" => Reply::Response(Response::bytes(
                    200,
                    "text/javascript; charset=utf-8",
                    live::SCRIPT.as_bytes().to_vec(),
                )),
                [name] if name == "events" => Reply::Events,
                _ => Reply::Response(self.not_found()),
            };
        }
        Reply::Response(self.page(&path, range))
    }

    /// The answer for a path of the site: under the base path, a file of the
    /// output folder; `/` redirects to the base path; anything else is not found.
    fn page(&self, path: &UrlPath, range: Option<&str>) -> Response {
        let Some(inside) = path.strip_prefix(&self.base) else {
            return if path.segments.is_empty() {
                Response::redirect(302, self.base_href())
            } else {
                self.not_found()
            };
        };
        if inside.segments.is_empty() && !inside.trailing_slash {
            return Response::redirect(301, self.base_href());
        }
        match path::find(&self.root, &inside) {
            Found::File(file) => self.file(&file, range),
            Found::AddSlash => Response::redirect(301, path.folder_href()),
            Found::Missing => self.not_found(),
            Found::Outside => Response::plain(403),
        }
    }

    fn base_href(&self) -> String {
        UrlPath {
            segments: self.base.clone(),
            trailing_slash: true,
        }
        .folder_href()
    }

    /// A file of the site: HTML gets the live-reload script, or the overlay
    /// while the last rebuild failed; anything else is sent as it is, or the
    /// part of it a `Range` header asks for.
    fn file(&self, file: &Path, range: Option<&str>) -> Response {
        let content_type = response::content_type(file);
        if response::is_html(file) {
            if let Some(overlay) = self.overlay() {
                return overlay;
            }
            return match fs::read(file) {
                Ok(html) => Response::bytes(200, HTML, live::inject(html)),
                // Removed by a rebuild since it was found.
                Err(_) => self.not_found(),
            };
        }
        let opened = File::open(file).and_then(|f| Ok((f.metadata()?.len(), f)));
        match opened {
            Ok((len, f)) => range::respond(f, len, content_type, range),
            Err(_) => self.not_found(),
        }
    }

    /// 404 with the site's own `404.html` when it has one.
    fn not_found(&self) -> Response {
        if let Some(overlay) = self.overlay() {
            return overlay;
        }
        let page = UrlPath {
            segments: vec!["404.html".to_string()],
            trailing_slash: false,
        };
        let html = match path::find(&self.root, &page) {
            Found::File(file) => fs::read(file).ok(),
            _ => None,
        };
        let html = html.unwrap_or_else(|| NOT_FOUND_PAGE.as_bytes().to_vec());
        Response::bytes(404, HTML, live::inject(html))
    }

    /// The problems page (500) while the last rebuild failed.
    fn overlay(&self) -> Option<Response> {
        let problems = self.live.problems();
        if problems.is_empty() {
            return None;
        }
        let html = overlay::page(&problems).into_bytes();
        Some(Response::bytes(500, HTML, live::inject(html)))
    }

    /// Sends the head of an event stream and hands the stream to `events`.
    fn follow(&self, stream: Arc<TcpStream>, head_only: bool) {
        // Read before the head is sent: a client that has the head misses no
        // publish that follows.
        let seen = self.live.generation();
        let mut out = &*stream;
        let sent = out
            .write_all(events::HEAD.as_bytes())
            .and_then(|()| out.flush());
        if sent.is_err() || head_only {
            return;
        }
        if let Ok(socket) = events::Socket::new(stream) {
            self.events.follow(socket, seen);
        }
    }
}

const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
    <title>Page not found</title>\n</head>\n<body>\n<h1>Page not found</h1>\n\
    <p>There is no page at this address.</p>\n</body>\n</html>\n";

/// The answer to a request that could not be read, if any.
fn refused(refusal: Refusal) -> Option<Response> {
    Some(match refusal {
        Refusal::Silent => return None,
        Refusal::Malformed => Response::plain(400),
        Refusal::Method => Response::plain(405).with_header("Allow", "GET, HEAD".into()),
        Refusal::TimedOut => Response::plain(408),
        Refusal::TooLarge => Response::plain(431),
    })
}
