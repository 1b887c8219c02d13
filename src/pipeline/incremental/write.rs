//! Writing what a change reached: the first write puts the whole site into a
//! staging folder that replaces the output folder; later writes render the
//! pending pages and write, in place, only the files whose bytes changed.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::reach::hash;
use super::{Outcome, Pending, Project};
use crate::foundation::diagnostic::{self, Diagnostic};
use crate::pipeline::{self, Plan, output, protect};
use crate::render::file::{Contents, OutputFile};
use crate::render::{self, Job, Sink};

/// The last line `watch` and `serve` print when a page went past a limit.
const STOPPED: &str = "Stopped: a page that never finishes cannot be set aside while bounce runs. Start bounce again once the template is fixed.";

/// Writes a file under the output folder.
type Write<'a> = dyn Fn(&str, &Contents) -> Result<(), Diagnostic> + Sync + 'a;

/// What a write left in the output folder.
struct Written {
    /// Every file: path → hash of its bytes.
    files: HashMap<String, u64>,
    /// The paths written and removed by this write.
    changed: Vec<String>,
    removed: Vec<String>,
}

impl Project {
    /// Renders the pending pages and writes every file whose bytes changed,
    /// removing those the site no longer has; if the output folder was
    /// deleted since the last write, renders and writes everything again.
    /// Writes nothing if the site has errors (the pages stay pending).
    pub fn write(&mut self) -> Outcome {
        let started = Instant::now();
        let mut outcome = Outcome {
            problems: self.problems(),
            ..Outcome::default()
        };
        if !outcome.failed() {
            let (plan, clashes) = pipeline::plan(&self.built.site, &self.theme);
            outcome.problems.extend(clashes);
            if !outcome.failed() {
                self.write_plan(plan, &mut outcome);
            }
            diagnostic::sort(&mut outcome.problems);
        }
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// Writes what the plan and the pending pages say; on failure, what is
    /// on disk is no longer known, and the next write replaces it all.
    fn write_plan(&mut self, plan: Plan, outcome: &mut Outcome) {
        if !output::is_written_by_bounce(&self.options.output) {
            // Deleted, or replaced by hand, since the last write: what it
            // holds is not known, so everything is written, as at the first.
            self.output.written = None;
        }
        let jobs = self.pending_jobs(&plan);
        let result = match self.output.written.take() {
            Some(written) => self.write_changed(written, &jobs, &plan),
            None => self.write_everything(&jobs, &plan),
        };
        match result {
            Ok(done) => {
                self.output.written = Some(done.files);
                self.output.pending = Pending::Nothing;
                outcome.rendered = jobs.len();
                outcome.written = done.changed.len();
                outcome.removed = done.removed.len();
                outcome.paths = done.changed.into_iter().chain(done.removed).collect();
            }
            Err(problems) => outcome.problems.extend(problems),
        }
    }

    /// The planned pages that wait to be rendered: every one at the first write.
    fn pending_jobs(&self, plan: &Plan) -> Vec<Job> {
        match &self.output.pending {
            _ if self.output.written.is_none() => plan.jobs.clone(),
            Pending::All => plan.jobs.clone(),
            Pending::Nothing => Vec::new(),
            Pending::Pages(paths) => plan
                .jobs
                .iter()
                .zip(&plan.page_paths)
                .filter(|(_, path)| paths.contains(*path))
                .map(|(job, _)| *job)
                .collect(),
        }
    }

    /// Later writes, in place: pages first, then the small files, the search
    /// index last, so that the page an editor is looking at is on disk
    /// soonest; then the files the site no longer has are removed.
    fn write_changed(
        &mut self,
        written: HashMap<String, u64>,
        jobs: &[Job],
        plan: &Plan,
    ) -> Result<Written, Vec<Diagnostic>> {
        let folder = output::InPlace::open(&self.options.output).map_err(|d| vec![d])?;
        let write = |path: &str, contents: &Contents| folder.write(path, contents);
        let (mut done, mut problems) = self.render_changed(written, jobs, &write, None);
        // Made before the old files are removed: its files are not in the
        // plan (their number depends on the words), and a shard it no longer
        // writes is removed with the rest.
        let search = self.search_index();
        problems.extend(remove_gone(&folder, &mut done, plan, &search));
        if !problems.is_empty() {
            return Err(problems);
        }
        done.changed.sort();
        let extras = self.extras();
        problems.extend(update_files(&write, &mut done, &extras));
        self.output.extras = Some(extras);
        problems.extend(update_files(&write, &mut done, &search));
        self.output.search = Some(search);
        if problems.is_empty() {
            Ok(done)
        } else {
            Err(problems)
        }
    }

    /// The first write: the whole site into a staging folder, swapped in when
    /// every file is written. The folders are made while the search index is.
    fn write_everything(&mut self, jobs: &[Job], plan: &Plan) -> Result<Written, Vec<Diagnostic>> {
        // The output may have been replaced since `watch` checked it.
        output::check_target(&self.options.root, &self.options.output).map_err(|d| vec![d])?;
        let staging = output::Staging::create(&self.options.output).map_err(|d| vec![d])?;
        let never = AtomicBool::new(false);
        let done = std::thread::scope(|scope| {
            let folders = scope.spawn(|| staging.create_folders(plan.paths(), &never));
            let mut files = self.extras();
            let extras = files.len();
            files.extend(self.search_index());
            let result = match folders.join() {
                Ok(made) => made.map_err(|d| vec![d]),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            .and_then(|()| {
                let write = |path: &str, contents: &Contents| staging.write(path, contents);
                let (mut done, mut problems) =
                    self.render_changed(HashMap::new(), jobs, &write, Some(&staging));
                problems.extend(update_files(&write, &mut done, &files));
                if problems.is_empty() {
                    Ok(done)
                } else {
                    Err(problems)
                }
            });
            self.output.search = Some(files.split_off(extras));
            self.output.extras = Some(files);
            result
        })?;
        staging.commit().map_err(|d| vec![d])?;
        Ok(done)
    }

    /// The sitemap, feed, redirects and copied files (step 8): as last made,
    /// unless a change may have altered them.
    fn extras(&mut self) -> Vec<OutputFile> {
        let (site, theme) = (&self.built.site, &self.theme);
        let sealed = || protect::sealed_files(site, &self.built.markdown, &self.keys);
        self.output
            .extras
            .take()
            .unwrap_or_else(|| pipeline::files(site, theme, &sealed()))
    }

    /// The search index, as last made, or made again reading only the
    /// documents whose HTML changed.
    fn search_index(&mut self) -> Vec<OutputFile> {
        if let Some(search) = self.output.search.take() {
            return search;
        }
        let prints = &self.built.document_prints;
        self.output
            .search_cache
            .render(&self.built.site, &self.built.markdown, |key| {
                prints.get(key).map_or(0, |p| p.html)
            })
    }

    /// Renders `jobs` (step 7) and writes, through `write`, each page whose
    /// bytes differ from what `written` says the output holds. A page past a
    /// limit ends bounce, removing `staging` if the pages go there: the page
    /// cannot be taken back from its thread, so `watch` and `serve` stop as
    /// a build does rather than wait for the next save.
    fn render_changed(
        &self,
        written: HashMap<String, u64>,
        jobs: &[Job],
        write: &Write,
        staging: Option<&output::Staging>,
    ) -> (Written, Vec<Diagnostic>) {
        let state = Mutex::new(Written {
            files: written,
            changed: Vec::new(),
            removed: Vec::new(),
        });
        let built = &self.built;
        let write_page = |path: &str, html| {
            let contents = Contents::Text(html);
            let print = contents_print(&contents);
            let unchanged = state
                .lock()
                .is_ok_and(|s| s.files.get(path) == Some(&print));
            if unchanged {
                return Ok(());
            }
            write(path, &contents)?;
            if let Ok(mut s) = state.lock() {
                s.files.insert(path.to_string(), print);
                s.changed.push(path.to_string());
            }
            Ok(())
        };
        let stop = |problem: &Diagnostic| pipeline::build::stop(problem, staging, STOPPED);
        let sink = Sink {
            write: &write_page,
            stop: &stop,
        };
        let problems = render::render_jobs(
            &built.site,
            &built.markdown,
            &self.theme,
            &built.shared,
            jobs,
            &sink,
        );
        let done = state.into_inner().unwrap_or_else(|e| e.into_inner());
        (done, problems)
    }
}

/// Removes the files the output holds that the plan no longer has.
fn remove_gone(
    folder: &output::InPlace,
    done: &mut Written,
    plan: &Plan,
    search: &[OutputFile],
) -> Vec<Diagnostic> {
    let search = search.iter().map(|f| f.path.as_str());
    let keep: HashSet<&str> = plan.paths().chain(search).collect();
    let gone: Vec<String> = done
        .files
        .keys()
        .filter(|p| !keep.contains(p.as_str()))
        .cloned()
        .collect();
    let mut problems = Vec::new();
    for path in gone {
        match folder.remove(&path) {
            Ok(()) => {
                done.files.remove(&path);
                done.removed.push(path);
            }
            Err(d) => problems.push(d),
        }
    }
    problems
}

/// Writes, through `write`, each file whose bytes changed since the last write.
fn update_files(write: &Write, done: &mut Written, files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for f in files {
        let print = contents_print(&f.contents);
        if done.files.get(&f.path) == Some(&print) {
            continue;
        }
        match write(&f.path, &f.contents) {
            Ok(()) => {
                done.files.insert(f.path.clone(), print);
                done.changed.push(f.path.clone());
            }
            Err(d) => problems.push(d),
        }
    }
    problems
}

/// A copied file's path, size and modification time.
fn copy_print(path: &std::path::Path) -> u64 {
    let meta = std::fs::metadata(path).ok();
    hash(&(
        path,
        meta.as_ref().map(std::fs::Metadata::len),
        meta.and_then(|m| m.modified().ok()),
    ))
}

/// How a file's contents are compared with what was written before: text by
/// hash, a copied file by its path, size and modification time.
fn contents_print(contents: &Contents) -> u64 {
    match contents {
        Contents::Text(text) => hash(text),
        Contents::Bytes(bytes) => hash(bytes),
        Contents::Data(bytes) => hash(bytes),
        Contents::Copy(path) => copy_print(path),
        // A new key (a passcode added or withdrawn) wraps differently.
        Contents::Sealed(file) => hash(&(copy_print(&file.source), &file.label, &file.key.wrapped)),
    }
}
