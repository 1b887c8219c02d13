//! The live-reload event streams (`/__bounce/events`), which every open page
//! keeps open for as long as it is shown.
//!
//! Being long-lived by design, they hold neither a connection slot nor a
//! thread: once its head is sent, a stream joins a list, and one thread writes
//! to all of them, `data: reload` after each publish and a `: ping` comment
//! every so often otherwise. Writes never block: a client that stops reading
//! is dropped rather than waited for. There are [`MAX_STREAMS`] at most; a new
//! stream closes the oldest, whose page, if still open, reconnects a second
//! later. So streams cannot exhaust the server, and a client opening many only
//! closes its own.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::live::Live;

/// Event streams at most. Browsers keep six connections at most to one
/// server, streams included, so one browser never comes near.
pub(super) const MAX_STREAMS: usize = 32;

/// The head of an event stream: no Content-Length, the body never ends.
pub(super) const HEAD: &str = "HTTP/1.1 200 OK\r\n\
    Content-Type: text/event-stream\r\n\
    Cache-Control: no-store\r\n\
    X-Content-Type-Options: nosniff\r\n\
    Connection: close\r\n\r\n";

/// The first message: browsers reconnect after `retry` ms when the stream
/// ends (the server restarted, or closed it to make room).
const RETRY: &[u8] = b"retry: 1000\n\n";
const RELOAD: &[u8] = b"data: reload\n\n";
const PING: &[u8] = b": ping\n\n";

/// The open streams of a server, and what they have been told.
pub(super) struct Events {
    live: Arc<Live>,
    /// The generation when the server started: [`Events::run`] tells streams
    /// of every publish after it, even one before its thread first runs.
    started: u64,
    streams: Mutex<Streams<Socket>>,
    /// How often idle streams are pinged, so that closed ones are noticed.
    ping: Duration,
}

impl Events {
    pub(super) fn new(live: Arc<Live>, limit: usize, ping: Duration) -> Events {
        Events {
            started: live.generation(),
            live,
            streams: Mutex::new(Streams::new(limit)),
            ping,
        }
    }

    /// Follows `socket`, whose head was sent once generation `seen` was
    /// read, closing the oldest stream when there are too many.
    pub(super) fn follow(&self, socket: Socket, seen: u64) {
        let mut streams = self.lock();
        // Read under the lock: a publish after this is sent by `run`, which
        // takes the lock after it wakes, so the new stream gets it too.
        let now = self.live.generation();
        streams.add(socket, seen, now);
    }

    /// Writes to every stream after each publish, and every `ping` without
    /// one; runs for as long as the server.
    pub(super) fn run(&self) {
        let mut seen = self.started;
        loop {
            seen = self.live.wait(seen, self.ping);
            self.lock().send(seen);
        }
    }

    // Nothing panics while holding the lock: a poisoned list is still whole.
    fn lock(&self) -> MutexGuard<'_, Streams<Socket>> {
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Streams oldest first, each with the last generation it was told about.
struct Streams<S> {
    open: VecDeque<(S, u64)>,
    limit: usize,
}

impl<S: Write> Streams<S> {
    fn new(limit: usize) -> Streams<S> {
        Streams {
            open: VecDeque::new(),
            limit,
        }
    }

    /// Adds a stream that has seen generation `seen` of `now`: sends it the
    /// retry delay, and a reload at once if it missed a publish. Drops the
    /// oldest streams to stay within the limit.
    fn add(&mut self, mut stream: S, seen: u64, now: u64) {
        let reload = if seen < now { RELOAD } else { &[] };
        if send(&mut stream, &[RETRY, reload].concat()).is_err() {
            return;
        }
        while self.open.len() >= self.limit.max(1) {
            self.open.pop_front();
        }
        self.open.push_back((stream, now));
    }

    /// Sends a reload to every stream that has not seen generation `now`, a
    /// ping to the others, and drops those that fail.
    fn send(&mut self, now: u64) {
        self.open.retain_mut(|(stream, seen)| {
            let message = if *seen < now { RELOAD } else { PING };
            *seen = now.max(*seen);
            send(stream, message).is_ok()
        });
    }
}

fn send(stream: &mut impl Write, message: &[u8]) -> io::Result<()> {
    stream.write_all(message)?;
    stream.flush()
}

/// An event stream's connection: written without blocking, so that a client
/// that stops reading cannot hold up the others, and closed when dropped.
pub(super) struct Socket(Arc<TcpStream>);

impl Socket {
    pub(super) fn new(stream: Arc<TcpStream>) -> io::Result<Socket> {
        stream.set_nonblocking(true)?;
        Ok(Socket(stream))
    }
}

impl Write for Socket {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        (&*self.0).write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.0).flush()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let _ = self.0.shutdown(Shutdown::Both);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    /// Records what is written to it, in a buffer the test keeps; fails every
    /// write once `broken` is set, like a socket whose client went away.
    #[derive(Clone, Default)]
    struct Client {
        written: Arc<Mutex<Vec<u8>>>,
        broken: Arc<AtomicBool>,
    }

    impl Client {
        fn text(&self) -> String {
            let written = self.written.lock().expect("not poisoned");
            String::from_utf8_lossy(&written).into_owned()
        }

        fn go_away(&self) {
            self.broken.store(true, Ordering::SeqCst);
        }
    }

    impl Write for Client {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.broken.load(Ordering::SeqCst) {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.written
                .lock()
                .expect("not poisoned")
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_new_stream_gets_the_retry_delay_and_a_reload_it_missed() {
        let mut streams = Streams::new(4);
        let (current, late) = (Client::default(), Client::default());
        streams.add(current.clone(), 3, 3);
        streams.add(late.clone(), 2, 3);
        assert_eq!(current.text(), "retry: 1000\n\n");
        assert_eq!(late.text(), "retry: 1000\n\ndata: reload\n\n");
    }

    #[test]
    fn streams_are_told_to_reload_after_a_publish_and_pinged_otherwise() {
        let mut streams = Streams::new(4);
        let client = Client::default();
        streams.add(client.clone(), 0, 0);
        streams.send(0);
        streams.send(1);
        streams.send(1);
        assert_eq!(
            client.text(),
            "retry: 1000\n\n: ping\n\ndata: reload\n\n: ping\n\n"
        );
    }

    #[test]
    fn a_stream_whose_client_went_away_is_dropped() {
        let mut streams = Streams::new(4);
        let (gone, staying) = (Client::default(), Client::default());
        streams.add(gone.clone(), 0, 0);
        streams.add(staying.clone(), 0, 0);
        gone.go_away();
        streams.send(0);
        assert_eq!(streams.open.len(), 1);
        assert!(staying.text().ends_with(": ping\n\n"));
    }

    #[test]
    fn a_publish_before_the_writer_thread_first_runs_still_reaches_the_streams() {
        use std::io::Read;
        use std::net::TcpListener;

        let live = Live::new();
        let events = Arc::new(Events::new(Arc::clone(&live), 4, Duration::from_secs(600)));
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let mut client =
            TcpStream::connect(listener.local_addr().expect("address")).expect("connects");
        let (server, _) = listener.accept().expect("accepted");
        events.follow(Socket::new(Arc::new(server)).expect("socket"), 0);
        // On a busy machine the writer thread may start only after a publish.
        live.publish(vec![]);
        let writer = Arc::clone(&events);
        std::thread::spawn(move || writer.run());
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let expected = "retry: 1000\n\ndata: reload\n\n";
        let mut got = vec![0; expected.len()];
        client.read_exact(&mut got).expect("the reload within 10 s");
        assert_eq!(String::from_utf8_lossy(&got), expected);
    }

    #[test]
    fn past_the_limit_the_oldest_stream_is_dropped() {
        let mut streams = Streams::new(2);
        let clients = [Client::default(), Client::default(), Client::default()];
        for client in &clients {
            streams.add(client.clone(), 0, 0);
        }
        streams.send(1);
        assert_eq!(streams.open.len(), 2);
        assert_eq!(clients[0].text(), "retry: 1000\n\n");
        for client in &clients[1..] {
            assert_eq!(client.text(), "retry: 1000\n\ndata: reload\n\n");
        }
    }
}
