//! The pipeline: the steps from a site's files to its output. `bounce build`,
//! `bounce check` and the incremental rebuild of `watch` and `serve` run the
//! same steps, so a check added to a step runs in all three.
//!
//! 1. [`configure`]: site.yaml and the command's options → `Config`.
//! 2. [`read`]: the theme, and every markdown file under `content/`, each
//!    parsed into a `Document` as soon as it is read.
//! 3. [`assemble`]: the documents → a `Site` (sections, taxonomies, routes),
//!    with the problems that span documents and the templates they name.
//! 4. [`render_markdown`]: each body → HTML and its outline; then
//!    [`link_problems`]: broken links and `#fragment`s.
//!    [`protect`]: the bodies of passcode-protected documents sealed (their
//!    passcodes read and stretched meanwhile, beside steps 2 to 4).
//! 5. [`plan`]: every page and file the output will hold; two at one path
//!    are an error.
//! 6. [`lint`]: the content lints, as warnings.
//! 7. `render::render_jobs`: every page through the theme, handed to the driver's
//!    writer as soon as it is rendered (template errors are found here).
//! 8. [`files`]: the sitemap, feed, redirects and copied files; then
//!    `render::search`: the search index.
//!
//! [`load`] runs steps 2 to 4 for the whole site. The drivers:
//!
//! - [`build`] runs every step, writes into a staging folder ([`output`])
//!   and swaps it in only when nothing failed;
//! - [`check`] runs steps 1 to 7 and writes nothing;
//! - [`incremental`] keeps what each step made and, after a change, runs
//!   the steps again only for what the change reaches (no lints: they are
//!   `check`'s); [`watch`] drives it on every change to the site's files.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod incremental;
pub(crate) mod output;
pub(crate) mod protect;
pub(crate) mod watch;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::{self, Diagnostic, SHOWN_PER_FILE};
use crate::foundation::suggest;
use crate::lint;
use crate::markdown::{self, Rendered};
use crate::render::file::{Contents, OutputFile, SealedFile};
use crate::render::theme::{self, Origin, Theme};
use crate::render::{self, Job, feeds};
use crate::site::{self, SEARCH_INDEX, Site};
use crate::source::config::{self, Config};
use crate::source::discover::{self, Asset};
use crate::source::document::{self, Document};
use crate::source::images;

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
    pub protection: Protection,
}

/// What becomes of passcode-protected documents.
#[derive(Debug, Clone, Copy)]
pub enum Protection {
    /// Sealed with the passcodes each group's variable holds, read with
    /// this function (the command line's reads the environment); a group
    /// without passcodes fails the build.
    Seal(fn(&str) -> Option<String>),
    /// `bounce serve`: shown unlocked to the editor, with a banner, in its
    /// own preview folder (never the published output).
    Preview,
}

impl Protection {
    /// The passcodes of each group, read (under `Preview`, none).
    pub(crate) fn passcodes(self, config: &Config) -> protect::Passcodes {
        match self {
            Protection::Seal(variable) => protect::read_passcodes(config, variable),
            Protection::Preview => protect::Passcodes::new(),
        }
    }
}

/// Why a command failed: every problem, and whether the command itself was
/// wrong (a usage error: exit code 2) rather than the content (exit code 1).
#[derive(Debug)]
pub struct Failure {
    pub problems: Vec<Diagnostic>,
    pub usage: bool,
}

impl Failure {
    pub(crate) fn usage(problems: Vec<Diagnostic>) -> Failure {
        Failure {
            problems,
            usage: true,
        }
    }

    pub(crate) fn content(problems: Vec<Diagnostic>) -> Failure {
        Failure {
            problems,
            usage: false,
        }
    }
}

/// Step 1: loads site.yaml and applies `--base-url`. A missing site.yaml or a
/// bad option is a usage error; a problem inside site.yaml is a content error.
pub fn configure(options: &Options) -> Result<Config, Failure> {
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

/// What step 2 read.
pub(crate) struct Read {
    pub(crate) theme: Result<Theme, Vec<Diagnostic>>,
    /// Links in the theme's folders that were skipped.
    pub(crate) theme_warnings: Vec<Diagnostic>,
    /// Every document that could be read, those with problems of their own
    /// included (see `document::read`).
    pub(crate) documents: Vec<Document>,
    /// The problems of each file that has any, by key; with no document in
    /// `documents` when its front matter could not be read at all. Such a
    /// file is still there for links and partners: a link to it, or a
    /// resource naming it by its file name, is not reported too.
    pub(crate) broken: Vec<(String, Vec<Diagnostic>)>,
    pub(crate) assets: Vec<Asset>,
    /// Problems finding or reading files.
    pub(crate) problems: Vec<Diagnostic>,
}

/// Step 2: loads the theme and reads every document. Each document is parsed
/// as soon as it is read, on all cores: the bytes of the whole content
/// folder are never held at once.
pub(crate) fn read(options: &Options, config: &Config) -> Read {
    let theme = theme::load(&options.root, config);
    let found = discover::walk(&options.root, config);
    let mut read = Read {
        theme: theme.theme,
        theme_warnings: theme.warnings,
        documents: Vec::with_capacity(found.markdown.len()),
        broken: Vec::new(),
        assets: found.assets,
        problems: found.problems,
    };
    let parsed: Vec<_> = found
        .markdown
        .into_par_iter()
        .map(|found| {
            let source = found.read()?;
            Ok((source.key.clone(), document::read(&source, config)))
        })
        .collect();
    for result in parsed {
        match result {
            Ok((key, parsed)) => {
                read.documents.extend(parsed.document);
                if !parsed.problems.is_empty() {
                    read.broken.push((key, parsed.problems));
                }
            }
            Err(problem) => read.problems.push(problem),
        }
    }
    read
}

/// What step 3 assembles a site from.
pub(crate) struct Sources {
    pub(crate) config: Config,
    pub(crate) documents: Vec<Document>,
    pub(crate) assets: Vec<Asset>,
    /// Keys of the files that have problems of their own.
    pub(crate) broken: Vec<String>,
}

/// Step 3: assembles the site, and reports what spans documents and the
/// templates documents name that the theme lacks (with the content problems,
/// rather than only once those are fixed).
pub(crate) fn assemble(
    options: &Options,
    theme: Option<&Theme>,
    sources: Sources,
) -> (Site, Vec<Diagnostic>) {
    let static_files = theme
        .map(|t| t.static_files.iter().map(|s| s.path.clone()).collect())
        .unwrap_or_default();
    let images = images::prepare(&options.root, &sources.assets);
    let (site, mut problems) = site::assemble(site::Input {
        config: sources.config,
        documents: sources.documents,
        assets: sources.assets,
        include_drafts: options.drafts,
        build_date: options.build_date,
        static_files,
        unreadable: sources.broken,
        images,
    });
    if let Some(theme) = theme {
        problems.extend(missing_templates(&site, theme));
    }
    (site, problems)
}

/// Documents whose `template:` the theme does not have.
fn missing_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    site.documents
        .iter()
        .filter_map(|d| {
            let name = d.meta.template.as_deref()?;
            if theme.tera.contains_template(name) {
                return None;
            }
            Some(render::missing_template(d, name))
        })
        .collect()
}

/// Step 4: renders every document's markdown, on all cores.
pub(crate) fn render_markdown(site: &Site) -> Vec<Rendered> {
    site.documents
        .par_iter()
        .map(|d| render_document_markdown(site, d))
        .collect()
}

/// Step 4 for one document: its links resolve through the site's routes.
pub(crate) fn render_document_markdown(site: &Site, d: &Document) -> Rendered {
    // "Did you mean" hints for the broken links a report shows, not for more.
    let broken = std::cell::Cell::new(0);
    let resolve = |dest: &str| {
        let result = site
            .routes
            .resolve(&d.key, dest, broken.get() < SHOWN_PER_FILE);
        broken.set(broken.get() + usize::from(result.is_err()));
        result
    };
    markdown::render(&markdown::Input {
        body: d.body(),
        first_line: d.body_first_line,
        allow_unsafe_html: site.config.allow_unsafe_html,
        resolve: &resolve,
    })
}

/// Step 4's problems: broken links, and `#fragment` links to headings that
/// do not exist.
pub(crate) fn link_problems(site: &Site, markdown: &[Rendered]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // The heading ids of each page that `#fragment` links point into.
    let mut ids: HashMap<usize, HashSet<&str>> = HashMap::new();
    for (d, rendered) in site.documents.iter().zip(markdown) {
        if rendered.problems.is_empty() && rendered.fragments.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for p in &rendered.problems {
            found.push(
                Diagnostic::error(p.problem.message.clone())
                    .in_file(&d.file)
                    .at_position(p.line, p.column)
                    .with_hint(p.problem.hint.clone()),
            );
        }
        let mut missing = 0;
        for link in &rendered.fragments {
            let Some(target) = site.index_of(&link.target_key) else {
                continue;
            };
            let toc = &markdown[target].toc;
            let ids = ids
                .entry(target)
                .or_insert_with(|| toc.iter().map(|h| h.id.as_str()).collect());
            if ids.contains(link.id.as_str()) {
                continue;
            }
            missing += 1;
            let problem = missing_fragment(site, target, toc, link, missing <= SHOWN_PER_FILE);
            found.push(problem.in_file(&d.file).at_position(link.line, link.column));
        }
        diagnostic::show_lines(&mut found, &d.text);
        problems.extend(found);
    }
    problems.extend(unreported_images(site, &problems));
    problems
}

/// An image that cannot be read and that no markdown line uses (a logo, a
/// file beside a page): reported at the image itself, as it is never
/// published as it is.
fn unreported_images(site: &Site, reported: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut broken: Vec<(&String, &String)> = site.routes.images.problems.iter().collect();
    if broken.is_empty() {
        return Vec::new();
    }
    broken.sort();
    let reported: HashSet<&str> = reported.iter().map(|d| d.message.as_str()).collect();
    broken
        .into_iter()
        .filter_map(|(key, why)| {
            let message = format!("content/{key} cannot be published: {why}");
            if reported.contains(message.as_str()) {
                return None;
            }
            let file = std::path::Path::new("content").join(key);
            Some(
                Diagnostic::error(message).in_file(&file).with_hint(
                    "open the image in an image editor and save it again, or replace it",
                ),
            )
        })
        .collect()
}

/// A `#fragment` link to a heading its target does not have; with a hint
/// for the problems a report shows (finding one compares every heading).
fn missing_fragment(
    site: &Site,
    target: usize,
    toc: &[markdown::Heading],
    link: &markdown::FragmentLink,
    with_hint: bool,
) -> Diagnostic {
    const HEADINGS_LISTED: usize = 10;
    let target_file = site.documents[target].file.display();
    let problem = Diagnostic::error(format!(
        "link to `#{}`, but {target_file} has no heading with that id",
        link.id
    ));
    if !with_hint {
        return problem;
    }
    let hint = match suggest::nearest(&link.id, toc.iter().map(|h| h.id.as_str())) {
        Some(near) => format!("did you mean `#{near}`?"),
        None if toc.is_empty() => format!("{target_file} has no headings"),
        None => {
            let listed: Vec<String> = toc
                .iter()
                .take(HEADINGS_LISTED)
                .map(|h| format!("#{}", h.id))
                .collect();
            let more = toc.len().saturating_sub(HEADINGS_LISTED);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("its headings are: {}{more}", listed.join(", "))
        }
    };
    problem.with_hint(hint)
}

/// Steps 2 to 4 for the whole site: everything a build knows before it
/// writes anything.
pub(crate) struct Loaded {
    pub(crate) site: Site,
    /// By document index.
    pub(crate) markdown: Vec<Rendered>,
    /// None if the theme did not load (its problems are in `problems`).
    pub(crate) theme: Option<Theme>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// Runs steps 2 to 4.
pub(crate) fn load(options: &Options, config: Config) -> Loaded {
    let read = read(options, &config);
    let mut problems = read.problems;
    problems.extend(read.theme_warnings);
    let (broken, broken_problems): (Vec<String>, Vec<Vec<Diagnostic>>) =
        read.broken.into_iter().unzip();
    problems.extend(broken_problems.into_iter().flatten());
    let theme = read.theme.map_err(|p| problems.extend(p)).ok();
    let sources = Sources {
        config,
        documents: read.documents,
        assets: read.assets,
        broken,
    };
    let (site, site_problems) = assemble(options, theme.as_ref(), sources);
    problems.extend(site_problems);
    let markdown = render_markdown(&site);
    problems.extend(link_problems(&site, &markdown));
    Loaded {
        site,
        markdown,
        theme,
        problems,
    }
}

/// Step 5: every file the output will hold, known before any is made.
pub(crate) struct Plan {
    /// Every page: documents, taxonomies and their terms, search, 404.
    pub(crate) jobs: Vec<Job>,
    /// Each page's path under the output folder, in the order of `jobs`.
    pub(crate) page_paths: Vec<String>,
    /// Every other file's path: the sitemap, feed, robots.txt, redirects,
    /// copied files and the search index.
    pub(crate) file_paths: Vec<String>,
}

impl Plan {
    /// Every path, pages first.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.page_paths
            .iter()
            .chain(&self.file_paths)
            .map(String::as_str)
    }
}

/// Step 5: plans the output, and reports two files at one path (a content
/// or static file named like a page, say).
pub(crate) fn plan(site: &Site, theme: &Theme) -> (Plan, Vec<Diagnostic>) {
    let jobs = render::jobs(site, theme);
    let page_paths = jobs.iter().map(|j| j.path(site)).collect();
    let file_paths = feeds::extra_paths(site)
        .into_iter()
        .chain(copied_files(site, theme).into_iter().map(|f| f.path))
        .chain([SEARCH_INDEX.to_string()])
        .collect();
    let plan = Plan {
        jobs,
        page_paths,
        file_paths,
    };
    let clashes = clashing_paths(plan.paths());
    (plan, clashes)
}

/// Two outputs at one path.
fn clashing_paths<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<Diagnostic> {
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

/// Step 6: the content lints, as warnings and notes.
/// With them, the passcode warnings (weak passcodes, protected resources
/// elsewhere).
pub(crate) fn lint(site: &Site, markdown: &[Rendered], options: &Options) -> Vec<Diagnostic> {
    let mut warnings = lint::lint(
        site,
        markdown,
        &lint::Dates::from_build_date(options.build_date),
    );
    let passcodes = options.protection.passcodes(&site.config);
    warnings.extend(protect::warnings(site, &passcodes));
    warnings
}

/// Step 8: the sitemap, feed, robots.txt, redirects and copied files, the
/// `sealed` ones encrypted (the search index is made on its own: see the
/// drivers).
pub(crate) fn files(
    site: &Site,
    theme: &Theme,
    sealed: &HashMap<String, SealedFile>,
) -> Vec<OutputFile> {
    let mut files = feeds::render_extras(site);
    // A protected image's smaller copies would be readable by anyone: only
    // the image itself is published, sealed.
    let images = &site.routes.images.outputs;
    let copies: HashSet<&str> = sealed
        .keys()
        .filter_map(|key| images.get(key))
        .flat_map(|outputs| outputs.iter().skip(1))
        .map(|(path, _)| path.as_str())
        .collect();
    for mut file in copied_files(site, theme) {
        if copies.contains(file.path.as_str()) {
            continue;
        }
        if let Some(sealed) = sealed.get(&file.path) {
            file.contents = Contents::Sealed(sealed.clone());
        }
        files.push(file);
    }
    files
}

/// The content folder's other files and the theme's static files.
fn copied_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    // An image is published cleaned of metadata, with its resized copies.
    let images = &site.routes.images.outputs;
    let assets = site.assets.iter().flat_map(|a| match images.get(&a.key) {
        Some(outputs) => outputs
            .iter()
            .map(|(path, cached)| OutputFile {
                path: path.clone(),
                contents: Contents::Copy(cached.clone()),
            })
            .collect(),
        None => vec![OutputFile {
            path: a.key.clone(),
            contents: Contents::Copy(a.path.clone()),
        }],
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
