//! The open connections, and the rule that always makes room for a new one.
//!
//! Each connection holds a thread while its request is read and answered (the
//! live-reload event streams are handed to `events` once their head is sent,
//! and hold none). There are [`MAX_CONNECTIONS`] at most, but a new connection
//! is never turned away: when all are taken, the oldest connection still
//! sending its request head is closed to make room, or, if there is none, the
//! oldest still being answered. A browser sends its request the moment it has
//! connected, so only stalled or hostile clients are still sending theirs:
//! hundreds of them cannot lock the editor's browser out, they only close
//! each other.

use std::collections::BTreeMap;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Open connections at most (each holds a thread). A browser opens six at a
/// time to one server; this leaves room for many tabs and devices, and keeps
/// the file descriptors the server needs (with its event streams) below the
/// 256 macOS gives a program by default.
pub(super) const MAX_CONNECTIONS: usize = 128;

/// What a connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Sending its request head.
    Head,
    /// Being answered.
    Answer,
}

pub(super) struct Connections {
    limit: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    /// The id of the next connection: ids grow, so the table is oldest first.
    next: u64,
    open: BTreeMap<u64, Open>,
}

struct Open {
    phase: Phase,
    /// Shared with the connection's thread, to close it from here.
    stream: Arc<TcpStream>,
}

impl Connections {
    pub(super) fn new(limit: usize) -> Arc<Connections> {
        Arc::new(Connections {
            limit,
            table: Mutex::new(Table::default()),
        })
    }

    /// Counts `stream` among the open connections, in [`Phase::Head`],
    /// closing another first when all are taken; it is counted until the
    /// ticket is dropped.
    pub(super) fn admit(self: &Arc<Self>, stream: Arc<TcpStream>) -> Ticket {
        let mut table = self.lock();
        let closed = if table.open.len() >= self.limit {
            let oldest_first = table.open.iter().map(|(id, open)| (*id, open.phase));
            victim(oldest_first).and_then(|id| table.open.remove(&id))
        } else {
            None
        };
        let id = table.next;
        table.next += 1;
        let phase = Phase::Head;
        table.open.insert(id, Open { phase, stream });
        drop(table);
        if let Some(closed) = closed {
            // Its thread, blocked reading or writing, sees the end and stops.
            let _ = closed.stream.shutdown(Shutdown::Both);
        }
        Ticket {
            connections: Arc::clone(self),
            id,
        }
    }

    // Nothing panics while holding the lock, and every change is one map
    // operation: a poisoned table is still whole.
    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Which connection to close to make room, given the open ones oldest first:
/// the oldest still sending its head, else the oldest.
fn victim(oldest_first: impl Iterator<Item = (u64, Phase)>) -> Option<u64> {
    let mut oldest = None;
    for (id, phase) in oldest_first {
        if phase == Phase::Head {
            return Some(id);
        }
        oldest.get_or_insert(id);
    }
    oldest
}

/// One open connection, counted until dropped.
pub(super) struct Ticket {
    connections: Arc<Connections>,
    id: u64,
}

impl Ticket {
    /// The request head has been read (or refused): the connection is being
    /// answered.
    pub(super) fn answering(&self) {
        if let Some(open) = self.connections.lock().open.get_mut(&self.id) {
            open.phase = Phase::Answer;
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        // Already gone if it was closed to make room.
        self.connections.lock().open.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;
    use Phase::{Answer, Head};

    /// `count` connections to a listener: the client's end and the server's.
    fn connected(count: usize) -> Vec<(TcpStream, Arc<TcpStream>)> {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("bound address");
        let pair = |_| {
            let client = TcpStream::connect(address).expect("connect");
            let (server, _) = listener.accept().expect("accept");
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .expect("set a read timeout");
            (client, Arc::new(server))
        };
        (0..count).map(pair).collect()
    }

    #[test]
    fn past_the_limit_a_new_connection_closes_one_to_make_room() {
        let connections = Connections::new(2);
        let mut ends = connected(3);
        let answered = connections.admit(Arc::clone(&ends[0].1));
        answered.answering();
        let stalled = connections.admit(Arc::clone(&ends[1].1));
        let new = connections.admit(Arc::clone(&ends[2].1));
        // The stalled client sees its connection end at once.
        assert_eq!(ends[1].0.read(&mut [0; 1]).ok(), Some(0));
        assert_eq!(connections.lock().open.len(), 2);
        drop(stalled);
        assert_eq!(connections.lock().open.len(), 2);
        drop((answered, new));
        assert!(connections.lock().open.is_empty());
    }

    #[test]
    fn the_oldest_connection_still_sending_its_head_makes_room() {
        let open = [(3, Answer), (5, Head), (8, Answer), (9, Head)];
        assert_eq!(victim(open.into_iter()), Some(5));
    }

    #[test]
    fn without_one_the_oldest_being_answered_makes_room() {
        let open = [(3, Answer), (5, Answer)];
        assert_eq!(victim(open.into_iter()), Some(3));
        assert_eq!(victim(std::iter::empty()), None);
    }
}
