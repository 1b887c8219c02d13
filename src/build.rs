//! The build driver: runs the stages in order and collects every problem.
//!
//! Entry point: [`build`]. Nothing is written unless every stage succeeded; then
//! the output folder is replaced as a whole (see `output`).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::dates::DateTime;
use crate::diagnostic::{self, Diagnostic};
use crate::document::{self, Document};
use crate::markdown::{self, Rendered};
use crate::output::{self, Contents, OutputFile};
use crate::site::{self, Site};
use crate::theme::{self, Origin, Theme};
use crate::{config, discover, feeds, lint, render, search, suggest};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Replaces site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Today", for upcoming events.
    pub build_date: DateTime,
}

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
    let config = configure(options)?;
    output::check_target(&options.root, &options.output).map_err(|d| Failure::usage(vec![d]))?;
    build_site(options, config, started).map_err(Failure::content)
}

/// Loads site.yaml and applies `--base-url`. A missing site.yaml or a bad
/// option is a usage error; a problem inside site.yaml is a content error.
pub fn configure(options: &Options) -> Result<config::Config, Failure> {
    if !options.root.join(config::FILE_NAME).is_file() {
        let problems = config::load(&options.root).err().unwrap_or_default();
        return Err(Failure::usage(problems));
    }
    let config = config::load(&options.root).map_err(Failure::content)?;
    match &options.base_url {
        Some(url) => config.with_base_url(url).map_err(|why| {
            Failure::usage(
                vec![Diagnostic::error(format!("--base-url {why}")).with_hint(
                "give the full address, e.g. --base-url https://council.example/healthy-schools/",
            )],
            )
        }),
        None => Ok(config),
    }
}

/// Why a build failed: every problem, and whether the command itself was wrong
/// (a usage error: exit code 2) rather than the content (exit code 1).
#[derive(Debug)]
pub struct Failure {
    pub problems: Vec<Diagnostic>,
    pub usage: bool,
}

impl Failure {
    fn usage(problems: Vec<Diagnostic>) -> Failure {
        Failure {
            problems,
            usage: true,
        }
    }

    fn content(problems: Vec<Diagnostic>) -> Failure {
        Failure {
            problems,
            usage: false,
        }
    }
}

/// Everything a build knows before it writes anything: the assembled site,
/// each document's rendered markdown, the theme (if it loaded) and every problem
/// found. `build` goes on to write; a check can stop here.
pub struct Loaded {
    pub site: Site,
    /// By document index.
    pub markdown: Vec<Rendered>,
    pub theme: Option<Theme>,
    pub problems: Vec<Diagnostic>,
}

/// A document read and parsed; or its problems, with its key if it was read.
type Parsed = Result<Document, (Vec<Diagnostic>, Option<String>)>;

/// Runs every stage that reads and validates, none that writes.
pub fn load(options: &Options, config: config::Config) -> Loaded {
    let mut problems = Vec::new();
    let theme = theme::load(&options.root, &config);
    let found = discover::walk(&options.root);
    problems.extend(found.problems);

    // Each document is parsed as soon as it is read: the bytes of the whole
    // content folder are never held at once.
    let parsed: Vec<Parsed> = found
        .markdown
        .into_par_iter()
        .map(|found| {
            let source = found.read().map_err(|d| (vec![d], None))?;
            document::parse(&source, &config).map_err(|p| (p, Some(source.key)))
        })
        .collect();
    let mut documents = Vec::with_capacity(parsed.len());
    let mut unreadable = Vec::new();
    for result in parsed {
        match result {
            Ok(d) => documents.push(d),
            Err((p, key)) => {
                problems.extend(p);
                // A file that could not be read is not there for links;
                // one whose text is broken is, and is reported once.
                unreadable.extend(key);
            }
        }
    }
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let static_files = theme
        .as_ref()
        .map(|t| t.static_files.iter().map(|s| s.path.clone()).collect())
        .unwrap_or_default();
    let (site, site_problems) = site::assemble(site::Input {
        config,
        documents,
        assets: found.assets,
        include_drafts: options.drafts,
        build_date: options.build_date,
        static_files,
        unreadable,
    });
    problems.extend(site_problems);
    if let Some(theme) = &theme {
        problems.extend(missing_templates(&site, theme));
    }
    let markdown = render_markdown(&site);
    problems.extend(body_problems(&site, &markdown));
    Loaded {
        site,
        markdown,
        theme,
        problems,
    }
}

/// The stages after the configuration is known to be usable.
///
/// Making the output's folders (ten thousand on a large site) is the file
/// system's work, and what follows the markdown is the CPU's: once the content
/// is known to build, a thread makes the page folders in the staging folder
/// while the lints, the search index and the summaries are made, and stops if
/// the build fails after all.
fn build_site(
    options: &Options,
    config: config::Config,
    started: Instant,
) -> Result<Report, Vec<Diagnostic>> {
    let Loaded {
        site,
        markdown,
        theme,
        mut problems,
    } = load(options, config);
    let Some(theme) = theme.filter(|_| !problems.iter().any(Diagnostic::is_error)) else {
        diagnostic::sort(&mut problems);
        return Err(problems);
    };
    let staging = output::Staging::create(&options.output).map_err(|d| vec![d])?;
    let mut paths = render::page_paths(&site, &theme);
    paths.extend(feeds::extra_paths(&site));
    paths.extend(copied_files(&site, &theme).into_iter().map(|f| f.path));
    let stop = AtomicBool::new(false);
    let written = std::thread::scope(|scope| {
        let folders =
            scope.spawn(|| staging.create_folders(paths.iter().map(String::as_str), &stop));
        let loaded = (site, markdown, theme, problems);
        let written = write_site(options, loaded, &staging, folders);
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
    free_later(held);
    Ok(Report {
        pages,
        files,
        warnings: problems,
        elapsed,
    })
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

type Held = (Site, Vec<Rendered>, Theme, render::Shared, Vec<OutputFile>);

/// Writes every page and file of a site without errors into the staging
/// folder (each page once `folders` has made its folders).
fn write_site(
    options: &Options,
    (mut site, markdown, theme, mut problems): (Site, Vec<Rendered>, Theme, Vec<Diagnostic>),
    staging: &output::Staging,
    folders: ScopedJoinHandle<'_, Result<(), Diagnostic>>,
) -> Result<Written, Vec<Diagnostic>> {
    // Content lints become warnings; only once the content builds, so that
    // they never bury its errors.
    let (warnings, mut files) = rayon::join(
        || {
            lint::lint(
                &site,
                &markdown,
                &lint::Dates::from_build_date(options.build_date),
            )
        },
        || {
            feeds::render_extras(&site)
                .into_iter()
                .chain(copied_files(&site, &theme))
                .collect::<Vec<OutputFile>>()
        },
    );
    problems.extend(warnings);
    // From here on pages are made from the rendered markdown.
    site.documents
        .par_iter_mut()
        .for_each(Document::forget_body);
    // The pages listing thousands of documents first: left to the end, one of
    // them keeps a core busy while the others have nothing left to do.
    let mut jobs = render::jobs(&site, &theme);
    jobs.sort_by_key(|job| std::cmp::Reverse(job.listed(&site)));
    let page_paths: Vec<String> = jobs.iter().map(|j| j.path(&site)).collect();
    problems.extend(clashing_paths(
        files
            .iter()
            .map(|f| f.path.as_str())
            .chain([search::INDEX_FILE])
            .chain(page_paths.iter().map(String::as_str)),
    ));
    if problems.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut problems);
        return Err(problems);
    }
    // The search index is made on a thread of its own: its work goes to the
    // same pool as the pages', and its last steps, one thread's work, overlap
    // the pages rather than hold them up. This thread waits for the folders
    // meanwhile without keeping a worker of the pool from the search index.
    let (search, rendered) = std::thread::scope(|scope| {
        let search = scope.spawn(|| search::render(&site, &markdown));
        let shared = render::Shared::new(&site, &markdown);
        let rendered = match folders.join() {
            Ok(made) => made.map(|()| {
                render::render_jobs(&site, &markdown, &theme, &shared, &jobs, &|path, html| {
                    staging.write(path, &Contents::Text(html))
                })
            }),
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match search.join() {
            Ok(search) => (search, rendered.map(|problems| (shared, problems))),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let (shared, rendered) = rendered.map_err(|d| vec![d])?;
    problems.extend(rendered);
    files.push(search);
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
    Ok(Written {
        pages: jobs.len(),
        files: jobs.len() + files.len(),
        problems,
        held: (site, markdown, theme, shared, files),
    })
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

/// Renders every document's markdown, resolving links through the site's routes.
pub(crate) fn render_markdown(site: &Site) -> Vec<Rendered> {
    site.documents
        .par_iter()
        .map(|d| render_document_markdown(site, d))
        .collect()
}

/// Renders one document's markdown.
pub(crate) fn render_document_markdown(site: &Site, d: &Document) -> Rendered {
    let resolve = |dest: &str| site.routes.resolve(&d.key, dest);
    markdown::render(&markdown::Input {
        body: d.body(),
        first_line: d.body_first_line,
        allow_unsafe_html: site.config.allow_unsafe_html,
        resolve: &resolve,
    })
}

/// Broken links, and `#fragment` links to headings that do not exist.
pub(crate) fn body_problems(site: &Site, markdown: &[Rendered]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (d, rendered) in site.documents.iter().zip(markdown) {
        for p in &rendered.problems {
            problems.push(
                Diagnostic::error(p.problem.message.clone())
                    .in_file(&d.file)
                    .at(&d.text, p.line, p.column)
                    .with_hint(p.problem.hint.clone()),
            );
        }
        for link in &rendered.fragments {
            let Some(target) = site.index_of(&link.target_key) else {
                continue;
            };
            let toc = &markdown[target].toc;
            if toc.iter().any(|h| h.id == link.id) {
                continue;
            }
            let target_file = site.documents[target].file.display();
            let hint = match suggest::nearest(&link.id, toc.iter().map(|h| h.id.as_str())) {
                Some(near) => format!("did you mean `#{near}`?"),
                None if toc.is_empty() => format!("{target_file} has no headings"),
                None => format!(
                    "its headings are: {}",
                    toc.iter()
                        .map(|h| format!("#{}", h.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            problems.push(
                Diagnostic::error(format!(
                    "link to `#{}`, but {target_file} has no heading with that id",
                    link.id
                ))
                .in_file(&d.file)
                .at(&d.text, link.line, link.column)
                .with_hint(hint),
            );
        }
    }
    problems
}

/// The content folder's other files and the theme's static files.
pub(crate) fn copied_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let assets = site.assets.iter().map(|a| OutputFile {
        path: a.key.clone(),
        contents: Contents::Copy(a.path.clone()),
    });
    let statics = theme.static_files.iter().map(|s| OutputFile {
        path: s.path.clone(),
        contents: match &s.origin {
            Origin::Disk(path) => Contents::Copy(path.clone()),
            Origin::BuiltIn(bytes) => Contents::Bytes(bytes),
        },
    });
    assets.chain(statics).collect()
}

/// Documents whose `template:` the theme does not have, reported with the
/// content problems rather than only once those are fixed.
pub(crate) fn missing_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    site.documents
        .iter()
        .filter_map(|d| {
            let name = d.meta.template.as_deref()?;
            if theme.tera.contains_template(name) {
                return None;
            }
            Some(
                d.yaml_source()
                    .error_at_key(format!("the theme has no template `{name}`"), "template")
                    .with_hint("create it in the site's templates/ folder, or remove `template:`"),
            )
        })
        .collect()
}

/// Two outputs at one path (a content file named like a theme file, say).
pub(crate) fn clashing_paths<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<Diagnostic> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut problems = Vec::new();
    for path in paths {
        if !seen.insert(path) {
            problems.push(
                Diagnostic::error(format!("two files would be written to `{path}`"))
                    .with_hint("rename the file in content/ or static/ that has the same name as a page or theme file"),
            );
        }
    }
    problems
}
