//! Watching the site's files and rebuilding on every change, for `bounce watch`
//! and `bounce serve`.
//!
//! Entry point: [`run`]. It watches `site.yaml`, `content/`, `themes/`,
//! `templates/` and `static/` (with notify), builds the site, then waits for
//! changes. A burst of events (an editor's save is often several, a
//! `git checkout` hundreds) becomes one rebuild: events are collected until the
//! files have been quiet for [`QUIET`]. Content changes go to the incremental
//! rebuild ([`crate::pipeline::incremental`]); a change to site.yaml or the theme loads the
//! project again. An output folder deleted under it is written again (the
//! folder that holds it is watched too). Ctrl-C ends the loop between rebuilds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::foundation::diagnostic::Diagnostic;
use crate::pipeline::Options;
use crate::pipeline::incremental::{Kept, Outcome, Project};

/// How long the files must be quiet before a rebuild starts.
pub(crate) const QUIET: Duration = Duration::from_millis(10);
/// The longest a rebuild waits for a burst of events to end.
const LONGEST_WAIT: Duration = Duration::from_millis(500);

/// The folders watched, each with everything inside it.
const FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

/// What happened, for the caller to print and to tell browsers.
pub enum Event<'a> {
    /// A build or rebuild finished (or failed: see [`Outcome::failed`]).
    Built {
        /// The files that changed, relative to the site (`content/a.md`); empty
        /// for the first build.
        changes: &'a [String],
        outcome: &'a Outcome,
    },
    /// site.yaml or the theme could not be loaded.
    Unloadable {
        changes: &'a [String],
        problems: &'a [Diagnostic],
    },
}

/// Messages to the rebuild loop.
enum Message {
    Changed(Vec<PathBuf>),
    /// The watcher lost track (an overflow): look at everything again.
    Rescan,
    Stop,
}

/// Builds, then rebuilds on every change until Ctrl-C. `options.root` and
/// `options.output` should be absolute. Fails only if the files cannot be
/// watched at all.
pub fn run(options: &Options, mut report: impl FnMut(Event)) -> Result<(), Diagnostic> {
    let (sender, receiver) = mpsc::channel();
    let stop = sender.clone();
    // Only one handler per process; if another is set, Ctrl-C still ends it.
    let _ = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    });
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let message = match event {
            Ok(e) if e.need_rescan() => Message::Rescan,
            Ok(e) if is_change(&e.kind) => Message::Changed(e.paths),
            Ok(_) => return,
            Err(_) => Message::Rescan,
        };
        let _ = sender.send(message);
    })
    .map_err(|e| cannot_watch(&options.root, e))?;
    watcher
        .watch(&options.root, RecursiveMode::NonRecursive)
        .map_err(|e| cannot_watch(&options.root, e))?;
    // Seen from the folder that holds it, the output folder's deletion is
    // one event (the site's folder, if the output is in it, is watched above).
    if let Some(holder) = options.output.parent().filter(|p| *p != options.root) {
        let _ = watcher.watch(holder, RecursiveMode::NonRecursive);
    }
    let mut watched = BTreeMap::new();
    watch_folders(&mut watcher, &options.root, &mut watched, &BTreeSet::new());

    let mut state = State::Unloaded(Kept::default());
    state.rebuild(options, Batch::everything(), &mut report);
    while let Some(mut batch) = next_batch(&receiver, options) {
        // The output folder made, moved or removed (as bounce's own writes
        // do) is worth a rebuild only if the folder is gone.
        let lost = batch.output && matches!(state, State::Loaded(_)) && !options.output.exists();
        if lost {
            batch.paths.insert(options.output.clone());
        } else if !batch.reload && batch.content.is_empty() {
            continue;
        }
        watch_folders(&mut watcher, &options.root, &mut watched, &batch.paths);
        state.rebuild(options, batch, &mut report);
    }
    Ok(())
}

/// The project in memory, or, while site.yaml or the theme cannot be loaded,
/// what the output folder holds.
enum State {
    Loaded(Box<Project>),
    Unloaded(Kept),
}

impl State {
    fn rebuild(&mut self, options: &Options, batch: Batch, report: &mut impl FnMut(Event)) {
        let changes = batch.describe(&options.root);
        // Each summary's time runs from the end of the burst to the files written.
        let started = Instant::now();
        if let (State::Loaded(project), false) = (&mut *self, batch.reload) {
            project.update(&batch.content);
            let mut outcome = project.write();
            outcome.elapsed = started.elapsed();
            report(Event::Built {
                changes: &changes,
                outcome: &outcome,
            });
            return;
        }
        let kept = match std::mem::replace(self, State::Unloaded(Kept::default())) {
            State::Loaded(project) => project.into_kept(),
            State::Unloaded(kept) => kept,
        };
        match Project::open(options, kept.clone()) {
            Ok(mut project) => {
                let mut outcome = project.write();
                outcome.elapsed = started.elapsed();
                report(Event::Built {
                    changes: &changes,
                    outcome: &outcome,
                });
                *self = State::Loaded(Box::new(project));
            }
            Err(problems) => {
                report(Event::Unloadable {
                    changes: &changes,
                    problems: &problems,
                });
                *self = State::Unloaded(kept);
            }
        }
    }
}

/// The changes of one burst of events.
struct Batch {
    /// site.yaml or the theme changed: load everything again.
    reload: bool,
    /// The output folder itself was made, moved or removed.
    output: bool,
    /// Paths under `content/` that changed.
    content: BTreeSet<PathBuf>,
    /// Every path that changed.
    paths: BTreeSet<PathBuf>,
}

impl Batch {
    fn everything() -> Batch {
        Batch {
            reload: true,
            output: false,
            content: BTreeSet::new(),
            paths: BTreeSet::new(),
        }
    }

    /// The changed files relative to the site (the output folder may be
    /// outside it), for the summary line.
    fn describe(&self, root: &Path) -> Vec<String> {
        self.paths
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p))
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.display().to_string())
            .collect()
    }
}

/// Waits for the next burst of changes and sorts them; None on Ctrl-C.
fn next_batch(receiver: &Receiver<Message>, options: &Options) -> Option<Batch> {
    loop {
        let mut batch = Batch {
            reload: false,
            output: false,
            content: BTreeSet::new(),
            paths: BTreeSet::new(),
        };
        let mut message = receiver.recv().ok()?;
        let deadline = Instant::now() + LONGEST_WAIT;
        loop {
            match message {
                Message::Stop => return None,
                Message::Rescan => batch.reload = true,
                Message::Changed(paths) => {
                    for path in paths {
                        match watched_part(options, &path) {
                            Part::Settings => batch.reload = true,
                            Part::Output => {
                                batch.output = true;
                                continue;
                            }
                            Part::Content => {
                                batch.content.insert(path.clone());
                            }
                            Part::Other => continue,
                        }
                        batch.paths.insert(path);
                    }
                }
            }
            let wait = QUIET.min(deadline.saturating_duration_since(Instant::now()));
            message = match receiver.recv_timeout(wait) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            };
        }
        if batch.reload || batch.output || !batch.content.is_empty() {
            return Some(batch);
        }
    }
}

/// Which part of the site a path belongs to.
enum Part {
    /// site.yaml, or the theme: templates and static files.
    Settings,
    Content,
    /// The output folder itself (not what it holds).
    Output,
    /// Not a source of the site (the output folder, `.git`, ...).
    Other,
}

fn watched_part(options: &Options, path: &Path) -> Part {
    if path == options.output {
        return Part::Output;
    }
    let Ok(relative) = path.strip_prefix(&options.root) else {
        return Part::Other;
    };
    let mut components = relative.components();
    let first = components
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match first.as_str() {
        crate::source::config::FILE_NAME => Part::Settings,
        "content" => Part::Content,
        "themes" | "templates" | "static" if !crate::source::discover::is_ignored(&name) => {
            Part::Settings
        }
        _ => Part::Other,
    }
}

/// Whether an event can change what a build reads: not a mere read of a file,
/// but a write finishing is (the last event of a save).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => {
            true
        }
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches each source folder that exists, again if it was replaced (removed
/// and made anew, as `git checkout` can) since it was last watched.
fn watch_folders(
    watcher: &mut impl Watcher,
    root: &Path,
    watched: &mut BTreeMap<&'static str, PathBuf>,
    changed: &BTreeSet<PathBuf>,
) {
    for name in FOLDERS {
        let folder = root.join(name);
        if changed.contains(&folder) && watched.remove(name).is_some() {
            let _ = watcher.unwatch(&folder);
        }
        if !folder.is_dir() {
            watched.remove(name);
            continue;
        }
        if !watched.contains_key(name) && watcher.watch(&folder, RecursiveMode::Recursive).is_ok() {
            watched.insert(name, folder);
        }
    }
}

fn cannot_watch(root: &Path, error: notify::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot watch the files of {} for changes: {error}",
        root.display()
    ))
    .with_hint(
        "on Linux, the limit of watched folders may be too low: raise fs.inotify.max_user_watches",
    )
}
