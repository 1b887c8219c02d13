//! Limits on rendering one page, so that a template that never ends (a loop
//! of ten billion turns, a component calling itself ten times a level) or
//! grows without end (a `set` doubling a text in a loop) stops bounce with a
//! message instead of running for ever or until the memory runs out.
//!
//! Entry point: [`watched`] runs the rendering of a list of pages while a
//! watchdog thread looks, [`POLL`] apart, at how long each rendering thread
//! has been on its page and at how much memory bounce has taken since the
//! rendering began. A page past [`Limits::time`], or memory grown by more
//! than [`Limits::memory`], is a [`Breach`]. Rust cannot stop a thread, so
//! the watchdog hands the breach to the driver, which removes what it was
//! writing, prints the problem and ends the process.
//!
//! A page costs an atomic load and two stores (its start and its end);
//! nothing is checked inside templates. Recursion needs no limit of bounce's own: tera stops
//! components nested more than 20 deep and refuses includes that loop, and
//! bounce's threads have stacks deep enough for that (`main.rs`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::foundation::diagnostic::Diagnostic;
use crate::render::Job;
use crate::render::theme::Theme;
use crate::site::Site;

/// How often the watchdog looks.
const POLL: Duration = Duration::from_millis(100);

/// Environment variables that lower the limits for bounce's own tests, so
/// that they take a second rather than ten (milliseconds; mebibytes).
const TIME_VARIABLE: &str = "BOUNCE_TEST_PAGE_TIME_MS";
const MEMORY_VARIABLE: &str = "BOUNCE_TEST_PAGE_MEMORY_MB";

/// The most one page may take: far more than any real page needs (a page of
/// the 10,000-document benchmark renders in well under a millisecond, the
/// whole build in 200 MiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    /// Rendering one page.
    time: Duration,
    /// Memory bounce takes while pages render, beyond what it held before.
    memory: u64,
}

impl Limits {
    /// The limits, unless bounce's tests lowered them.
    fn from_env() -> Limits {
        let number = |name| std::env::var(name).ok()?.parse::<u64>().ok();
        Limits {
            time: Duration::from_millis(number(TIME_VARIABLE).unwrap_or(10_000)),
            memory: number(MEMORY_VARIABLE).unwrap_or(2048) << 20,
        }
    }
}

/// What each of rayon's threads is rendering: in the high half of its slot
/// the page's index in the list plus one (0 for none), in the low half the
/// watchdog's look at which the page began, so the watchdog reads both at
/// once. Pages are timed in the watchdog's looks rather than by the clock:
/// while bounce is suspended (Ctrl-Z, a laptop asleep) or starved of CPU the
/// watchdog looks less often, and no page is stopped for that.
pub(crate) struct Progress {
    /// The watchdog's looks so far.
    looks: AtomicU64,
    slots: Vec<AtomicU64>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            looks: AtomicU64::new(0),
            slots: (0..rayon::current_num_threads())
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    /// Notes that this thread starts on the page at `index`.
    pub(crate) fn begin(&self, index: usize) {
        let page = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let at = self.looks.load(Ordering::Relaxed) & u64::from(u32::MAX);
        self.set((u64::from(page) << 32) | at);
    }

    /// Notes that this thread finished its page.
    pub(crate) fn end(&self) {
        self.set(0);
    }

    fn set(&self, value: u64) {
        let slot = rayon::current_thread_index().and_then(|i| self.slots.get(i));
        if let Some(slot) = slot {
            slot.store(value, Ordering::Relaxed);
        }
    }

    /// Counts one more look of the watchdog.
    fn look(&self) {
        self.looks.fetch_add(1, Ordering::Relaxed);
    }

    /// The page that has been rendering the longest (its index), and for how
    /// many of the watchdog's looks.
    fn longest(&self) -> Option<(usize, u64)> {
        let now = self.looks.load(Ordering::Relaxed) & u64::from(u32::MAX);
        self.slots
            .iter()
            .map(|slot| slot.load(Ordering::Relaxed))
            .filter_map(|value| {
                let page = usize::try_from(value >> 32).ok()?.checked_sub(1)?;
                let at = value & u64::from(u32::MAX);
                Some((page, now.wrapping_sub(at) & u64::from(u32::MAX)))
            })
            .max_by_key(|&(_, looks)| looks)
    }
}

/// A page that went past a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Breach {
    /// The page's index in the list.
    pub(crate) page: usize,
    limit: Limit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Time(Duration),
    /// Bytes.
    Memory(u64),
}

/// Runs `render`, which notes each page it starts and ends in the
/// [`Progress`], while a watchdog thread watches; calls `stop` from the
/// watchdog's thread, while the page is still rendering, if one goes past a
/// limit.
pub(crate) fn watched<R>(render: impl FnOnce(&Progress) -> R, stop: impl Fn(Breach) + Sync) -> R {
    let limits = Limits::from_env();
    let progress = Progress::new();
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let (progress, stop) = (&progress, &stop);
        // Without a thread to spare, the pages render unwatched.
        let _watchdog = std::thread::Builder::new()
            .name("bounce-watchdog".into())
            .spawn_scoped(scope, move || {
                if let Some(breach) = watch(limits, progress, &finished) {
                    stop(breach);
                }
            });
        let rendered = render(progress);
        drop(done);
        rendered
    })
}

/// Looks at the pages until `finished` says the rendering ended, or a page
/// goes past a limit.
fn watch(limits: Limits, progress: &Progress, finished: &Receiver<()>) -> Option<Breach> {
    let before = resident();
    while finished.recv_timeout(POLL) == Err(RecvTimeoutError::Timeout) {
        progress.look();
        let Some((page, looks)) = progress.longest() else {
            continue;
        };
        let grown = before.zip(resident()).map(|(b, now)| now.saturating_sub(b));
        let running = POLL.saturating_mul(u32::try_from(looks).unwrap_or(u32::MAX));
        let limit = if running > limits.time {
            Limit::Time(limits.time)
        } else if grown.is_some_and(|g| g > limits.memory) {
            Limit::Memory(limits.memory)
        } else {
            continue;
        };
        return Some(Breach { page, limit });
    }
    None
}

/// The memory bounce holds now (resident, in bytes), where the system says.
fn resident() -> Option<u64> {
    memory_stats::memory_stats().and_then(|m| u64::try_from(m.physical_mem).ok())
}

/// The message for a breach: the template, the page, the limit, and what in
/// a template goes past it.
pub(crate) fn problem(site: &Site, theme: &Theme, job: Job, breach: Breach) -> Diagnostic {
    let template = job.template(site);
    let page = match job {
        Job::Document(i) => site.documents[i].file.display().to_string(),
        _ => format!("the page {}", job.path(site)),
    };
    let (what, cause) = match breach.limit {
        Limit::Time(limit) => (
            format!("took longer than {} s", limit.as_secs_f64()),
            "a loop that runs far too many times, or a component that calls itself more than once",
        ),
        Limit::Memory(limit) => (
            format!("took more than {} MiB of memory", limit >> 20),
            "a `set` that grows a text or a list in a loop, or a loop that prints far too much",
        ),
    };
    let problem = Diagnostic::error(format!(
        "template `{template}` {what} to render {page}, so bounce stopped"
    ))
    .with_hint(format!(
        "no page needs that much: look in `{template}`, and the templates it extends, includes and calls, for {cause}"
    ));
    match theme.templates.file(&template) {
        Some(file) => problem.in_file(file),
        None => problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_tells_the_page_rendering_longest_in_looks_of_the_watchdog() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build();
        pool.expect("a pool of two threads").install(|| {
            let progress = Progress::new();
            assert_eq!(progress.longest(), None);
            progress.look();
            progress.begin(7);
            assert_eq!(progress.longest(), Some((7, 0)));
            progress.look();
            progress.look();
            assert_eq!(progress.longest(), Some((7, 2)));
            progress.end();
            assert_eq!(progress.longest(), None);
        });
    }

    #[test]
    fn the_limits_are_generous_unless_lowered() {
        let limits = Limits::from_env();
        assert_eq!(limits.time, Duration::from_secs(10));
        assert_eq!(limits.memory, 2 << 30);
    }
}
