//! `bounce build`: every step of the pipeline, written into a staging folder
//! that replaces the output folder only when nothing failed.
//!
//! Entry point: [`build`]. Nothing is written unless every step succeeded; then
//! the output folder is replaced as a whole (see `output`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::foundation::diagnostic::{self, Diagnostic};
use crate::markdown::Rendered;
use crate::pipeline::{self, Failure, Loaded, Options};
use crate::pipeline::{output, protect};
use crate::render::file::{Contents, OutputFile, SealedFile};
use crate::render::theme::Theme;
use crate::render::{self, Job, Shared, Sink, search};
use crate::site::Site;
use crate::source::config::Config;
use crate::source::document::Document;

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Builds the site; on failure returns all problems (errors and warnings) sorted.
pub fn build(options: &Options) -> Result<Report, Failure> {
    let started = Instant::now();
    let config = pipeline::configure(options)?;
    output::check_target(&options.root, &options.output).map_err(|d| Failure::usage(vec![d]))?;
    build_site(options, config, started).map_err(Failure::content)
}

/// The steps after the configuration is known to be usable.
///
/// Making the output's folders (ten thousand on a large site) is the file
/// system's work, and what follows the markdown is the CPU's: once the content
/// is known to build, a thread makes the page folders in the staging folder
/// while the lints, the search index and the summaries are made, and stops if
/// the build fails after all.
fn build_site(
    options: &Options,
    config: Config,
    started: Instant,
) -> Result<Report, Vec<Diagnostic>> {
    let passcodes = options.protection.passcodes(&config);
    let base_url = config.base_url.clone();
    let (loaded, keys) = rayon::join(
        || pipeline::load(options, config),
        || protect::derive(&base_url, &passcodes, &protect::Keys::default()),
    );
    let Loaded {
        site,
        mut markdown,
        theme,
        mut problems,
    } = loaded;
    problems.extend(protect::missing(&site, &|g| passcodes.contains_key(g)));
    problems.extend(protect::public_links(&site, &markdown));
    let Some(theme) = theme.filter(|_| !problems.iter().any(Diagnostic::is_error)) else {
        diagnostic::sort(&mut problems);
        return Err(problems);
    };
    let (plan, clashes) = pipeline::plan(&site, &theme);
    if !clashes.is_empty() {
        problems.extend(clashes);
        problems.extend(pipeline::lint(&site, &markdown, options));
        diagnostic::sort(&mut problems);
        return Err(problems);
    }
    protect::seal(&site, &mut markdown, &keys);
    let sealed = protect::sealed_files(&site, &markdown, &keys);
    let staging = output::Staging::create(&options.output).map_err(|d| vec![d])?;
    let stop = AtomicBool::new(false);
    let written = std::thread::scope(|scope| {
        let folders = scope.spawn(|| staging.create_folders(plan.paths(), &stop));
        let ready = Ready {
            site,
            markdown,
            theme,
            jobs: plan.jobs.clone(),
            sealed,
        };
        let written = write_site(options, ready, problems, &staging, folders);
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        written
    })?;
    let Written {
        pages,
        files,
        mut problems,
        held,
    } = written;
    if let Err(d) = staging.commit() {
        problems.push(d);
        return Err(problems);
    }
    let elapsed = started.elapsed();
    free_later((held, plan));
    Ok(Report {
        pages,
        files,
        warnings: problems,
        elapsed,
    })
}

/// A site without errors, ready to be written.
struct Ready {
    site: Site,
    markdown: Vec<Rendered>,
    theme: Theme,
    /// Every page, as planned.
    jobs: Vec<Job>,
    /// The copied files to encrypt, by path.
    sealed: HashMap<String, SealedFile>,
}

/// What [`write_site`] wrote into the staging folder.
struct Written {
    pages: usize,
    files: usize,
    /// Warnings only.
    problems: Vec<Diagnostic>,
    /// What the build held, to be freed.
    held: Held,
}

/// What a build holds until it is done: freed on a thread of its own.
#[expect(dead_code, reason = "held only to be freed; never read")]
struct Held {
    ready: Ready,
    shared: Shared,
    files: Vec<OutputFile>,
}

/// Writes every page and file of a site without errors into the staging
/// folder (each page once `folders` has made its folders). `problems` are
/// the warnings found so far.
fn write_site(
    options: &Options,
    mut ready: Ready,
    mut problems: Vec<Diagnostic>,
    staging: &output::Staging,
    folders: ScopedJoinHandle<'_, Result<(), Diagnostic>>,
) -> Result<Written, Vec<Diagnostic>> {
    // Content lints become warnings; only once the content builds, so that
    // they never bury its errors.
    let (site, markdown, theme) = (&ready.site, &ready.markdown, &ready.theme);
    let (warnings, files) = rayon::join(
        || pipeline::lint(site, markdown, options),
        || pipeline::files(site, theme, &ready.sealed),
    );
    problems.extend(warnings);
    // From here on pages are made from the rendered markdown, without the
    // bodies and the outlines the lints read.
    ready
        .site
        .documents
        .par_iter_mut()
        .for_each(Document::forget_body);
    ready
        .markdown
        .par_iter_mut()
        .for_each(Rendered::forget_outline);
    // The pages listing thousands of documents first: left to the end, one of
    // them keeps a core busy while the others have nothing left to do.
    let site = &ready.site;
    ready
        .jobs
        .sort_by_key(|job| std::cmp::Reverse(job.listed(site)));
    let summary = format!(
        "Build failed: 1 error; {} was left as it was.",
        options.output.display()
    );
    let end = |problem: &Diagnostic| stop(problem, Some(staging), &summary);
    let made = render_with_search(&ready, staging, folders, &end)?;
    problems.extend(made.problems);
    problems.extend(
        files
            .par_iter()
            .filter_map(|f| staging.write(&f.path, &f.contents).err())
            .collect::<Vec<_>>(),
    );
    diagnostic::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let pages = ready.jobs.len();
    Ok(Written {
        pages,
        files: pages + made.search_files + files.len(),
        problems,
        held: Held {
            ready,
            shared: made.shared,
            files,
        },
    })
}

/// Renders every page into the staging folder once `folders` has made the
/// folders, while the search index is made and written there too; returns
/// the summaries the pages shared and the problems rendering and writing
/// found. `stop` ends bounce if a page goes past a limit.
///
/// The search index is made alongside the pages, in the same pool: joined
/// with them from inside it, it starts on one worker while the others take
/// the pages, so that its steps that are one thread's work (adding each
/// block of documents to the postings, writing the shards) overlap the
/// pages rather than keep the other workers waiting at the end. The worker
/// that takes the pages waits for the folders first (most often made by
/// then). The index's files go straight to the staging folder as they are
/// made, so that none is held while pages render.
fn render_with_search(
    ready: &Ready,
    staging: &output::Staging,
    folders: ScopedJoinHandle<'_, Result<(), Diagnostic>>,
    stop: &(dyn Fn(&Diagnostic) + Sync),
) -> Result<Made, Vec<Diagnostic>> {
    let Ready {
        site,
        markdown,
        theme,
        jobs,
        ..
    } = ready;
    let index = || {
        let (mut count, mut problems) = (0, Vec::new());
        let mut write = |file: OutputFile| {
            count += 1;
            problems.extend(staging.write(&file.path, &file.contents).err());
        };
        search::render(site, markdown, &mut write);
        (count, problems)
    };
    let pages = || {
        let shared = Shared::new(site, markdown);
        let write = |path: &str, html| staging.write(path, &Contents::Text(html));
        let sink = Sink {
            write: &write,
            stop,
        };
        let rendered = match folders.join() {
            Ok(made) => {
                made.map(|()| render::render_jobs(site, markdown, theme, &shared, jobs, &sink))
            }
            Err(panic) => std::panic::resume_unwind(panic),
        };
        rendered.map(|problems| (shared, problems))
    };
    let (written, rendered) = rayon::join(index, pages);
    let (search_files, written) = written;
    match rendered {
        Ok((shared, mut problems)) => {
            problems.extend(written);
            Ok(Made {
                shared,
                problems,
                search_files,
            })
        }
        Err(d) => Err(std::iter::once(d).chain(written).collect()),
    }
}

/// What [`render_with_search`] made.
struct Made {
    /// What the pages shared.
    shared: Shared,
    /// The problems rendering and writing found.
    problems: Vec<Diagnostic>,
    /// How many files the search index has.
    search_files: usize,
}

/// Ends bounce when a page went past a limit (`render::limits`): the thread
/// rendering it cannot be stopped, so the process is, with the exit code of
/// a failed build, once the staging folder, if any, is removed; `summary` is
/// the last line printed. The one place besides `main.rs` that prints and
/// exits, as nothing can return from here.
pub(crate) fn stop(problem: &Diagnostic, staging: Option<&output::Staging>, summary: &str) -> ! {
    eprintln!("{problem}\n");
    if let Some(staging) = staging {
        staging.abandon();
    }
    eprintln!("{summary}");
    std::process::exit(1)
}

/// Frees a large value on a thread of its own. A site of ten thousand documents
/// is about a million allocations, which take a tenth of a second to free:
/// `bounce build` can exit meanwhile, ending the thread with the process.
fn free_later<T: Send + 'static>(value: T) {
    let spare = std::thread::Builder::new().spawn(move || drop(value));
    // Without a thread to spare, the value comes back in the error and is
    // freed here.
    drop(spare);
}
