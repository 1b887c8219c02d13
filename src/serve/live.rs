//! Live reload: the rebuild state shared with the watcher, and the script every
//! HTML response gets (the event stream it listens to is `events`).

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::foundation::diagnostic::Diagnostic;

/// The tag inserted into every HTML response. The script is served at the
/// server root whatever the site's base path, beside its event stream
/// (`/__bounce/events`).
pub(super) const SCRIPT_TAG: &str = "<script src=\"/__bounce/live.js\"></script>";

/// Reloads the page on each `reload` event, keeping the scroll position in
/// sessionStorage (per path) across the reload.
pub(super) const SCRIPT: &str = r#"(() => {
  const key = "bounce-scroll:" + location.pathname;
  const store = (() => { try { return window.sessionStorage; } catch { return null; } })();
  const saved = store && store.getItem(key);
  if (saved !== null && saved !== undefined) {
    store.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved) || 0);
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }
  const events = new EventSource("/__bounce/events");
  events.onmessage = (event) => {
    if (event.data !== "reload") return;
    if (store) store.setItem(key, String(window.scrollY));
    location.reload();
  };
})();
"#;

/// What the server shows: bumped after every rebuild; `problems` non-empty while
/// the last rebuild failed.
#[derive(Debug)]
pub struct Live {
    state: Mutex<State>,
    published: Condvar,
}

#[derive(Debug)]
struct State {
    /// How many times [`Live::publish`] was called.
    generation: u64,
    problems: Arc<[Diagnostic]>,
}

impl Live {
    pub fn new() -> Arc<Live> {
        Arc::new(Live {
            state: Mutex::new(State {
                generation: 0,
                problems: Arc::new([]),
            }),
            published: Condvar::new(),
        })
    }

    /// Called after each rebuild: stores the errors (empty = the site is good)
    /// and wakes every live-reload client.
    pub fn publish(&self, problems: Vec<Diagnostic>) {
        let mut state = self.lock();
        state.generation += 1;
        state.problems = problems.into();
        drop(state);
        self.published.notify_all();
    }

    /// The problems of the last rebuild (shared, not copied).
    pub(super) fn problems(&self) -> Arc<[Diagnostic]> {
        Arc::clone(&self.lock().problems)
    }

    pub(super) fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Waits until a publish after generation `seen`, or `timeout`; returns the
    /// generation then.
    pub(super) fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let state = self.lock();
        let (state, _) = self
            .published
            .wait_timeout_while(state, timeout, |state| state.generation == seen)
            .unwrap_or_else(PoisonError::into_inner);
        state.generation
    }

    // A panic while holding the lock cannot leave the state half-updated (both
    // fields are replaced whole), so a poisoned lock is still good to read.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Inserts [`SCRIPT_TAG`] before the last `</body` (any case), or at the end
/// when there is none.
pub(super) fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html
        .windows(b"</body".len())
        .rposition(|window| window.eq_ignore_ascii_case(b"</body"))
        .unwrap_or(html.len());
    html.splice(at..at, SCRIPT_TAG.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn injected(html: &str) -> String {
        String::from_utf8(inject(html.as_bytes().to_vec())).expect("utf-8 stays utf-8")
    }

    #[test]
    fn script_goes_before_the_last_closing_body() {
        assert_eq!(
            injected("<body><p>é</p><!-- </body> --></BODY>\n</html>"),
            format!("<body><p>é</p><!-- </body> -->{SCRIPT_TAG}</BODY>\n</html>")
        );
    }

    #[test]
    fn script_is_appended_without_a_body_tag() {
        assert_eq!(injected("<p>x</p>"), format!("<p>x</p>{SCRIPT_TAG}"));
        assert_eq!(injected(""), SCRIPT_TAG);
    }

    #[test]
    fn publish_bumps_the_generation_and_keeps_problems() {
        let live = Live::new();
        assert_eq!(live.generation(), 0);
        live.publish(vec![Diagnostic::error("broken")]);
        assert_eq!(live.generation(), 1);
        assert_eq!(live.problems().len(), 1);
        live.publish(vec![]);
        assert!(live.problems().is_empty());
    }

    #[test]
    fn wait_returns_at_once_after_a_publish_and_times_out_without() {
        let live = Live::new();
        assert_eq!(live.wait(0, Duration::from_millis(10)), 0);
        let publisher = Arc::clone(&live);
        let handle = std::thread::spawn(move || publisher.publish(vec![]));
        assert_eq!(live.wait(0, Duration::from_secs(5)), 1);
        handle.join().expect("publisher thread");
    }
}
