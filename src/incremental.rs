//! Rebuilding only what a change touches, for `bounce watch` and `bounce serve`.
//!
//! Entry points: [`Project::open`] loads the whole site and keeps it in memory;
//! [`Project::update`] takes the content files that changed, re-reads only those,
//! and [`Project::write`] renders the pages the change reaches and writes the
//! files whose bytes changed. A rebuild with errors writes nothing, so the last
//! good site stays in place; the pages it would have rendered wait for the next
//! rebuild that succeeds.
//!
//! # Which pages a change re-renders
//!
//! 1. site.yaml or anything in the theme (templates, static files): the caller
//!    opens the project again and every page is rendered; still only the files
//!    whose bytes changed are written.
//! 2. A document's own page, when its text changed or what it shows of other
//!    documents did (the title of the partner a resource names, say). Both are
//!    caught by comparing a hash of the document's HTML and of its summary.
//! 3. When a document's summary changes (title, summary, dates, weight, terms,
//!    URL, its fields: what listings show of it), or it is added or removed:
//!    the page of its section, which lists it; the term pages that list it,
//!    before and after; the partner page it names, before and after; the
//!    partners directory, if it is a partner; and, if it is a section, every
//!    page below it, whose breadcrumbs show its title.
//! 4. The navigation or the `site` variable changed: every page.
//! 5. `collections` (partners, resources, upcoming and past events) or
//!    `taxonomies` (terms and their counts) changed: every page whose template,
//!    or a template it extends or includes, mentions that variable.
//! 6. Links resolve through the site's routes: when a URL changes, or a document
//!    or file is added or removed, every document's markdown is rendered again,
//!    and rule 2 picks the pages whose HTML changed.
//! 7. The sitemap, feed, search index, redirects and copied files are made again
//!    on every rebuild and written only when they changed. Files the site no
//!    longer has (a deleted or renamed document's page) are removed.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::build::{self, Options};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, Asset, SourceDocument};
use crate::document::{self, Collection, Document, Fields};
use crate::markdown::Rendered;
use crate::output::{self, Contents, OutputFile};
use crate::render::{self, Job, Prints, Shared};
use crate::site::{self, Site};
use crate::theme::{self, Theme};
use crate::{feeds, search};

use rayon::prelude::*;

/// The site in memory, with what was last written.
pub struct Project {
    options: Options,
    config: Config,
    theme: Theme,
    /// Every document that parsed, drafts included, by key.
    documents: BTreeMap<String, Document>,
    /// The problems of files that did not parse, by key.
    failed: BTreeMap<String, Vec<Diagnostic>>,
    assets: Vec<Asset>,
    discovery_problems: Vec<Diagnostic>,
    site: Site,
    /// By document index in `site`.
    markdown: Vec<Rendered>,
    shared: Shared,
    prints: Prints,
    /// By document key: (summary hash, HTML hash).
    document_prints: HashMap<String, (u64, u64)>,
    /// Problems that span documents (duplicate URLs, unknown partners, ...).
    site_problems: Vec<Diagnostic>,
    /// Whether the theme shows word counts (else they are left out of summaries).
    word_count: bool,
    /// What the output folder holds: path → hash of its bytes. None until the
    /// first successful write, which replaces the whole folder.
    written: Option<HashMap<String, u64>>,
    /// Pages to render at the next successful write.
    pending: Pending,
    /// The sitemap, feed, redirects and copied files, as last made; None when
    /// a change may have altered them (anything but an edit to bodies alone).
    extras: Option<Vec<OutputFile>>,
    /// The search index, as last made; None after any change to documents.
    search: Option<OutputFile>,
    /// What the search index needs of each document: only edited documents
    /// are read again.
    search_cache: search::Cache,
}

/// Pages waiting to be rendered, by output path.
#[derive(Debug, Default)]
enum Pending {
    #[default]
    Nothing,
    All,
    Pages(HashSet<String>),
}

impl Pending {
    fn add(&mut self, paths: impl IntoIterator<Item = String>) {
        match self {
            Pending::All => {}
            Pending::Nothing => *self = Pending::Pages(paths.into_iter().collect()),
            Pending::Pages(set) => set.extend(paths),
        }
    }
}

/// What one rebuild did, for its summary line.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Pages rendered.
    pub rendered: usize,
    /// Files written (their bytes changed) and removed.
    pub written: usize,
    pub removed: usize,
    /// Paths under the output folder that were written or removed.
    pub paths: Vec<String>,
    /// Every problem, sorted; the rebuild failed if one is an error.
    pub problems: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }
}

impl Project {
    /// Loads the whole site. Fails (with every problem) only when site.yaml or
    /// the theme cannot be used; content problems are kept for [`Project::write`].
    /// `written` is what the output folder is known to hold, from an earlier
    /// project (so that reloading after a template change rewrites only the
    /// files that changed).
    pub fn open(
        options: &Options,
        written: Option<HashMap<String, u64>>,
    ) -> Result<Project, Vec<Diagnostic>> {
        let config = build::configure(options).map_err(|f| f.problems)?;
        let theme = theme::load(&options.root, &config)?;
        let found = discover::discover(&options.root);
        let mut documents = BTreeMap::new();
        let mut failed = BTreeMap::new();
        let parsed: Vec<_> = found
            .documents
            .par_iter()
            .map(|source| document::parse(source, &config))
            .collect();
        for (source, parsed) in found.documents.iter().zip(parsed) {
            match parsed {
                Ok(d) => {
                    documents.insert(source.key.clone(), d);
                }
                Err(problems) => {
                    failed.insert(source.key.clone(), problems);
                }
            }
        }
        let (site, site_problems) =
            assemble(options, &config, &theme, &documents, &failed, &found.assets);
        let markdown = build::render_markdown(&site);
        let shared = Shared::new(&site, &markdown);
        let word_count = theme.templates.any_mentions("word_count");
        let document_prints = document_prints(&site, &markdown, word_count, None);
        let prints = shared.prints(&site, &summaries(&site, &document_prints));
        Ok(Project {
            options: options.clone(),
            config,
            theme,
            documents,
            failed,
            assets: found.assets,
            discovery_problems: found.problems,
            site,
            markdown,
            shared,
            prints,
            document_prints,
            site_problems,
            word_count,
            written,
            pending: Pending::All,
            extras: None,
            search: None,
            search_cache: search::Cache::default(),
        })
    }

    /// What the output folder holds, to carry over into a reopened project.
    pub fn into_written(self) -> Option<HashMap<String, u64>> {
        self.written
    }

    /// Takes the content files that changed (paths under the site's `content/`
    /// folder, created, modified or removed) and works out which pages they
    /// reach. Call [`Project::write`] afterwards.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) {
        let content = self.options.root.join(discover::CONTENT_DIR);
        let mut rediscover = false;
        let mut touched: BTreeMap<String, PathBuf> = BTreeMap::new();
        for path in changed {
            let Ok(relative) = path.strip_prefix(&content) else {
                continue;
            };
            let names: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if names.iter().any(|n| discover::is_ignored(n)) {
                continue;
            }
            let key = crate::slug::nfc(&names.join("/")).into_owned();
            if !path.exists() && !self.knows(&key) {
                // A file made and gone before this rebuild (an editor's or
                // `sed -i`'s temporary file): nothing of the site changed.
                continue;
            }
            // Folders, assets and anything odd: walk the whole folder again.
            if key.is_empty() || !discover::is_markdown(&key) || path.is_dir() {
                rediscover = true;
            } else {
                touched.insert(key, path.clone());
            }
        }
        if rediscover {
            self.rediscover();
            return;
        }
        if touched.is_empty() {
            return;
        }
        let mut fast = true;
        for (key, path) in &touched {
            let old = self.documents.get(key);
            // A file that starts failing changes the routes: links to it are
            // no longer reported (`Routes::unreadable`).
            let was_failing = self.failed.contains_key(key);
            match read(key, path).map(|source| source.map(|s| document::parse(&s, &self.config))) {
                Err(problem) => {
                    self.failed.insert(key.clone(), vec![problem]);
                    fast &= was_failing;
                    self.documents.remove(key);
                }
                Ok(None) => {
                    fast = false;
                    self.failed.remove(key);
                    self.documents.remove(key);
                }
                Ok(Some(Err(problems))) => {
                    self.failed.insert(key.clone(), problems);
                    fast &= was_failing;
                    self.documents.remove(key);
                }
                Ok(Some(Ok(new))) => {
                    self.failed.remove(key);
                    fast &= old.is_some_and(|old| same_front_matter(old, &new));
                    self.documents.insert(key.clone(), new);
                }
            }
        }
        if !fast || !self.update_bodies(touched.keys()) {
            self.reassemble(touched.keys().cloned().collect(), false);
        }
    }

    /// Whether the site has a file at `key`, or files below it.
    fn knows(&self, key: &str) -> bool {
        let folder = format!("{key}/");
        let known = |k: &String| k == key || k.starts_with(&folder);
        self.documents.keys().any(known)
            || self.failed.keys().any(known)
            || self.assets.iter().any(|a| known(&a.key))
    }

    /// The fast path: only the bodies of documents changed, and their
    /// summaries did not, so no other page is reached. Returns false (having
    /// changed nothing) when a summary changed after all.
    fn update_bodies<'k>(&mut self, keys: impl Iterator<Item = &'k String>) -> bool {
        let mut updates = Vec::new();
        for key in keys {
            let Some(i) = self.site.index_of(key) else {
                // A draft left out of the build, or a file that does not parse.
                continue;
            };
            let Some(document) = self.documents.get(key) else {
                continue;
            };
            let rendered = build::render_document_markdown(&self.site, document);
            updates.push((i, document.clone(), rendered));
        }
        for (i, document, rendered) in &mut updates {
            std::mem::swap(&mut self.site.documents[*i], document);
            let summary = render::summary_print(&self.site, *i, rendered, self.word_count);
            std::mem::swap(&mut self.site.documents[*i], document);
            if self.document_prints.get(&document.key).map(|p| p.0) != Some(summary) {
                return false;
            }
        }
        for (i, document, rendered) in updates {
            let print = (self.document_prints[&document.key].0, hash(&rendered.html));
            self.pending.add([Job::Document(i).path(&self.site)]);
            self.search = None;
            self.document_prints.insert(document.key.clone(), print);
            self.site.documents[i] = document;
            self.markdown[i] = rendered;
        }
        true
    }

    /// Walks `content/` again (a folder was added, removed or renamed, or a
    /// file that is not markdown changed) and re-reads what differs.
    fn rediscover(&mut self) {
        let found = discover::discover(&self.options.root);
        let mut touched = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for source in &found.documents {
            keys.insert(source.key.clone());
            let unchanged = self
                .documents
                .get(&source.key)
                .is_some_and(|d| d.text.as_bytes() == source.bytes.as_slice())
                && !self.failed.contains_key(&source.key);
            if unchanged {
                continue;
            }
            touched.insert(source.key.clone());
            match document::parse(source, &self.config) {
                Ok(d) => {
                    self.failed.remove(&source.key);
                    self.documents.insert(source.key.clone(), d);
                }
                Err(problems) => {
                    self.documents.remove(&source.key);
                    self.failed.insert(source.key.clone(), problems);
                }
            }
        }
        let gone: Vec<String> = self
            .documents
            .keys()
            .chain(self.failed.keys())
            .filter(|k| !keys.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            self.documents.remove(&key);
            self.failed.remove(&key);
            touched.insert(key);
        }
        self.assets = found.assets;
        self.discovery_problems = found.problems;
        self.reassemble(touched, true);
    }

    /// Assembles the site again from the documents in memory and finds the
    /// pages the change reaches (rules 2 to 6 above). `rediscovered`: files
    /// other than markdown may have changed too.
    fn reassemble(&mut self, touched: BTreeSet<String>, rediscovered: bool) {
        let (site, site_problems) = assemble(
            &self.options,
            &self.config,
            &self.theme,
            &self.documents,
            &self.failed,
            &self.assets,
        );
        let old_site = std::mem::replace(&mut self.site, site);
        self.site_problems = site_problems;
        self.extras = None;
        self.search = None;
        let site = &self.site;

        // Rule 6: markdown depends on the routes.
        let same_routes = site.routes == old_site.routes;
        let markdown: Vec<Rendered> = if same_routes {
            let mut old: Vec<Option<Rendered>> = std::mem::take(&mut self.markdown)
                .into_iter()
                .map(Some)
                .collect();
            site.documents
                .iter()
                .map(
                    |d| match old_site.index_of(&d.key).and_then(|i| old[i].take()) {
                        Some(r) if !touched.contains(&d.key) => r,
                        _ => build::render_document_markdown(site, d),
                    },
                )
                .collect()
        } else {
            build::render_markdown(site)
        };
        self.markdown = markdown;
        // A summary shows its own document and the partner it names, so when
        // only markdown files changed and no URL did, only those documents and
        // the ones naming a changed partner need hashing again.
        let again = (same_routes && !rediscovered).then(|| {
            let partners: HashSet<&str> = touched
                .iter()
                .filter(|k| k.starts_with("partners/"))
                .flat_map(|k| {
                    let stem = k.rsplit('/').next().unwrap_or(k).trim_end_matches(".md");
                    [&old_site, site]
                        .into_iter()
                        .filter_map(|s| s.get(k).map(|d| d.slug.as_str()))
                        .chain([stem])
                })
                .collect();
            // A document new to the site (a draft published, say) is hashed too.
            site.documents
                .iter()
                .filter(|d| {
                    touched.contains(&d.key)
                        || names_partner(d, &partners)
                        || !self.document_prints.contains_key(&d.key)
                })
                .map(|d| d.key.as_str())
                .collect::<HashSet<&str>>()
        });
        let mut document_prints =
            document_prints(site, &self.markdown, self.word_count, again.as_ref());
        if again.is_some() {
            for d in &site.documents {
                if let Some(old) = self.document_prints.get(&d.key) {
                    document_prints.entry(d.key.clone()).or_insert(*old);
                }
            }
        }
        // Summaries that did not change are shared values already made.
        let old_summaries: HashMap<&str, &tera::Value> = old_site
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                self.document_prints.get(&d.key).map(|p| p.0)
                    == document_prints.get(&d.key).map(|p| p.0)
            })
            .map(|(i, d)| (d.key.as_str(), self.shared.summary(i)))
            .collect();
        self.shared = Shared::reusing(site, &self.markdown, |i| {
            old_summaries
                .get(site.documents[i].key.as_str())
                .map(|v| (*v).clone())
        });
        let prints = self.shared.prints(site, &summaries(site, &document_prints));

        // Rule 4.
        if prints.nav != self.prints.nav || prints.site != self.prints.site {
            self.pending = Pending::All;
        }
        let mut pages: HashSet<String> = HashSet::new();
        // Rule 2, and the documents whose summary changed for rule 3.
        let mut summary_changed: BTreeSet<&str> = BTreeSet::new();
        for (i, d) in site.documents.iter().enumerate() {
            let new = document_prints[&d.key];
            match self.document_prints.get(&d.key) {
                Some(old) if *old == new => continue,
                Some(old) if old.0 == new.0 => {}
                _ => {
                    summary_changed.insert(&d.key);
                }
            }
            pages.insert(Job::Document(i).path(site));
        }
        for d in &old_site.documents {
            if site.index_of(&d.key).is_none() {
                summary_changed.insert(&d.key);
            }
        }
        // Rule 3, in the site before the change and after it.
        for key in summary_changed {
            for s in [&old_site, site] {
                if let Some(i) = s.index_of(key) {
                    pages.extend(listing_pages(s, i));
                }
            }
        }
        // Rule 5.
        let collections = prints.collections != self.prints.collections;
        let taxonomies = prints.taxonomies != self.prints.taxonomies;
        if collections || taxonomies {
            // Whether each template shows a changed variable, asked once per template.
            let mut shows: HashMap<String, bool> = HashMap::new();
            for job in render::jobs(site, &self.theme) {
                let reached = *shows
                    .entry(job.template(site))
                    .or_insert_with_key(|template| {
                        let mentions = |name| self.theme.templates.mentions(template, name);
                        (collections && mentions("collections"))
                            || (taxonomies && mentions("taxonomies"))
                    });
                if reached || (taxonomies && matches!(job, Job::Taxonomy(..))) {
                    pages.insert(job.path(site));
                }
            }
        }
        self.pending.add(pages);
        self.prints = prints;
        self.document_prints = document_prints;
    }

    /// Every problem of the site as it is now, sorted.
    fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self
            .discovery_problems
            .iter()
            .chain(self.failed.values().flatten())
            .chain(&self.site_problems)
            .cloned()
            .collect();
        problems.extend(build::body_problems(&self.site, &self.markdown));
        diagnostic::sort(&mut problems);
        problems
    }

    /// Renders the pending pages and writes every file whose bytes changed,
    /// removing those the site no longer has. Writes nothing if the site has
    /// errors (the pages stay pending).
    pub fn write(&mut self) -> Outcome {
        let started = Instant::now();
        let mut outcome = Outcome {
            problems: self.problems(),
            ..Outcome::default()
        };
        if outcome.failed() {
            outcome.elapsed = started.elapsed();
            return outcome;
        }
        let site = &self.site;
        let all_jobs = render::jobs(site, &self.theme);
        let job_paths: Vec<String> = all_jobs.iter().map(|j| j.path(site)).collect();
        let copied = build::copied_files(site, &self.theme);
        // Every path besides the pages, known before the files are made.
        let other_paths: Vec<String> = feeds::extra_paths(site)
            .into_iter()
            .chain(copied.iter().map(|f| f.path.clone()))
            .chain([search::INDEX_FILE.to_string()])
            .collect();
        let clashes =
            build::clashing_paths(other_paths.iter().chain(&job_paths).map(String::as_str));
        if !clashes.is_empty() {
            outcome.problems.extend(clashes);
            diagnostic::sort(&mut outcome.problems);
            outcome.elapsed = started.elapsed();
            return outcome;
        }
        let jobs: Vec<Job> = match &self.pending {
            _ if self.written.is_none() => all_jobs,
            Pending::All => all_jobs,
            Pending::Nothing => Vec::new(),
            Pending::Pages(paths) => all_jobs
                .into_iter()
                .zip(&job_paths)
                .filter(|(_, path)| paths.contains(*path))
                .map(|(job, _)| job)
                .collect(),
        };
        let result = match self.written.take() {
            // Pages first, then the small files, the search index last: the
            // page an editor is looking at is on disk soonest.
            Some(written) => self
                .write_pages(written, &jobs, &job_paths, &other_paths)
                .and_then(|(folder, mut done)| {
                    let write = |path: &str, contents: &Contents| folder.write(path, contents);
                    let extras = self.extras(copied);
                    let mut problems = update_files(&write, &mut done, &extras);
                    self.extras = Some(extras);
                    let search = self.search.take().unwrap_or_else(|| self.search_index());
                    problems.extend(update_files(
                        &write,
                        &mut done,
                        std::slice::from_ref(&search),
                    ));
                    self.search = Some(search);
                    if problems.is_empty() {
                        Ok(done)
                    } else {
                        Err(problems)
                    }
                }),
            None => output::Staging::create(&self.options.output)
                .map_err(|d| vec![d])
                .and_then(|staging| {
                    // The folders are made while the search index is.
                    let never = AtomicBool::new(false);
                    std::thread::scope(|scope| {
                        let paths = job_paths.iter().chain(&other_paths);
                        let folders = scope
                            .spawn(|| staging.create_folders(paths.map(String::as_str), &never));
                        let mut files = self.extras(copied);
                        let extras = files.len();
                        files.push(self.search.take().unwrap_or_else(|| self.search_index()));
                        let result = match folders.join() {
                            Ok(made) => made.map_err(|d| vec![d]),
                            Err(panic) => std::panic::resume_unwind(panic),
                        }
                        .and_then(|()| self.write_everything(&staging, &jobs, &files));
                        self.search = files.pop();
                        files.truncate(extras);
                        self.extras = Some(files);
                        result
                    })
                    .and_then(|done| {
                        staging.commit().map_err(|d| vec![d])?;
                        Ok(done)
                    })
                }),
        };
        match result {
            Ok(done) => {
                self.written = Some(done.files);
                self.pending = Pending::Nothing;
                outcome.rendered = jobs.len();
                outcome.written = done.changed.len();
                outcome.removed = done.removed.len();
                outcome.paths = done.changed.into_iter().chain(done.removed).collect();
            }
            Err(problems) => {
                // What is on disk is no longer known: the next write replaces it all.
                outcome.problems.extend(problems);
                diagnostic::sort(&mut outcome.problems);
            }
        }
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// The sitemap, feed, redirects and copied files: as last made, unless a
    /// change may have altered them.
    fn extras(&mut self, copied: Vec<OutputFile>) -> Vec<OutputFile> {
        self.extras.take().unwrap_or_else(|| {
            feeds::render_extras(&self.site)
                .into_iter()
                .chain(copied)
                .collect()
        })
    }

    /// The search index, reading again only the documents whose HTML changed.
    fn search_index(&mut self) -> OutputFile {
        let prints = &self.document_prints;
        self.search_cache.render(&self.site, &self.markdown, |key| {
            prints.get(key).map_or(0, |p| p.1)
        })
    }

    /// The first write: the whole site into a staging folder (swapped in by
    /// the caller).
    fn write_everything(
        &self,
        staging: &output::Staging,
        jobs: &[Job],
        files: &[OutputFile],
    ) -> Result<Written, Vec<Diagnostic>> {
        let write = |path: &str, contents: &Contents| staging.write(path, contents);
        let (mut done, mut problems) = self.render_changed(HashMap::new(), jobs, &write);
        problems.extend(update_files(&write, &mut done, files));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(done)
    }

    /// Later writes: the rendered pages, each only if its bytes changed, then
    /// the removal of files the site no longer has (`keep`: the paths of the
    /// other files it has).
    fn write_pages(
        &self,
        written: HashMap<String, u64>,
        jobs: &[Job],
        job_paths: &[String],
        keep: &[String],
    ) -> Result<(output::InPlace, Written), Vec<Diagnostic>> {
        let folder = output::InPlace::open(&self.options.output).map_err(|d| vec![d])?;
        let (mut done, mut problems) = self.render_changed(written, jobs, &|path, contents| {
            folder.write(path, contents)
        });
        let keep: HashSet<&str> = job_paths.iter().chain(keep).map(String::as_str).collect();
        let gone: Vec<String> = done
            .files
            .keys()
            .filter(|p| !keep.contains(p.as_str()))
            .cloned()
            .collect();
        for path in gone {
            match folder.remove(&path) {
                Ok(()) => {
                    done.files.remove(&path);
                    done.removed.push(path);
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        done.changed.sort();
        Ok((folder, done))
    }

    /// Renders `jobs` and writes, through `write`, each page whose bytes differ
    /// from what `written` says the output holds.
    fn render_changed(
        &self,
        written: HashMap<String, u64>,
        jobs: &[Job],
        write: &(dyn Fn(&str, &Contents) -> Result<(), Diagnostic> + Sync),
    ) -> (Written, Vec<Diagnostic>) {
        let state = Mutex::new(Written {
            files: written,
            changed: Vec::new(),
            removed: Vec::new(),
        });
        let problems = render::render_jobs(
            &self.site,
            &self.markdown,
            &self.theme,
            &self.shared,
            jobs,
            &|path, html| {
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
            },
        );
        let done = state.into_inner().unwrap_or_else(|e| e.into_inner());
        (done, problems)
    }
}

/// Writes, through `write`, each file whose bytes changed since the last write.
fn update_files(
    write: &dyn Fn(&str, &Contents) -> Result<(), Diagnostic>,
    done: &mut Written,
    files: &[OutputFile],
) -> Vec<Diagnostic> {
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

/// What a write left in the output folder.
struct Written {
    /// Every file: path → hash of its bytes.
    files: HashMap<String, u64>,
    /// The paths written and removed by this write.
    changed: Vec<String>,
    removed: Vec<String>,
}

/// The site from the documents in memory, with the problems that span them.
fn assemble(
    options: &Options,
    config: &Config,
    theme: &Theme,
    documents: &BTreeMap<String, Document>,
    failed: &BTreeMap<String, Vec<Diagnostic>>,
    assets: &[Asset],
) -> (Site, Vec<Diagnostic>) {
    let documents: Vec<Document> = documents.values().cloned().collect();
    let (site, mut problems) = site::assemble(site::Input {
        config: config.clone(),
        documents,
        assets: assets.to_vec(),
        include_drafts: options.drafts,
        build_date: options.build_date,
        static_files: theme.static_files.iter().map(|s| s.path.clone()).collect(),
        unreadable: failed.keys().cloned().collect(),
    });
    problems.extend(build::missing_templates(&site, theme));
    (site, problems)
}

/// Reads one markdown file: None when it is gone.
fn read(key: &str, path: &Path) -> Result<Option<SourceDocument>, Diagnostic> {
    let file = Path::new(discover::CONTENT_DIR).join(key);
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(SourceDocument {
            key: key.to_string(),
            file,
            bytes,
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!("cannot read this file: {e}"))
            .in_file(&file)
            .with_hint("check the file's permissions")),
    }
}

/// Whether only the body differs: same file, same front matter.
fn same_front_matter(old: &Document, new: &Document) -> bool {
    old.file == new.file && old.text[old.front_matter.clone()] == new.text[new.front_matter.clone()]
}

/// Each document's (summary hash, HTML hash), by key: of every document, or
/// of those in `only`.
fn document_prints(
    site: &Site,
    markdown: &[Rendered],
    word_count: bool,
    only: Option<&HashSet<&str>>,
) -> HashMap<String, (u64, u64)> {
    use rayon::prelude::*;
    site.documents
        .par_iter()
        .enumerate()
        .filter(|(_, d)| only.is_none_or(|keys| keys.contains(d.key.as_str())))
        .map(|(i, d)| {
            let summary = render::summary_print(site, i, &markdown[i], word_count);
            (d.key.clone(), (summary, hash(&markdown[i].html)))
        })
        .collect()
}

/// Whether a resource or event names one of these partners.
fn names_partner(d: &Document, partners: &HashSet<&str>) -> bool {
    match &d.fields {
        Fields::Resource(r) => r.partner.as_deref(),
        Fields::Event(e) => e.partner.as_deref(),
        _ => None,
    }
    .is_some_and(|p| partners.contains(p))
}

/// The summary hashes by document index.
fn summaries(site: &Site, prints: &HashMap<String, (u64, u64)>) -> Vec<u64> {
    site.documents
        .iter()
        .map(|d| prints.get(&d.key).map_or(0, |p| p.0))
        .collect()
}

/// Rule 3: the pages that list document `i` or show its title.
fn listing_pages(site: &Site, i: usize) -> Vec<String> {
    let d = &site.documents[i];
    let mut pages = Vec::new();
    if let Some(parent) = site.parents[i] {
        pages.push(Job::Document(parent).path(site));
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            if entry.documents.contains(&i) {
                pages.push(Job::Taxonomy(t, Some(term)).path(site));
            }
        }
    }
    let partner = match &d.fields {
        Fields::Resource(r) => r.partner.as_deref(),
        Fields::Event(e) => e.partner.as_deref(),
        _ => None,
    };
    if let Some(p) = partner.and_then(|slug| site.partner(slug)) {
        pages.push(format!("{}index.html", p.url));
    }
    if d.collection() == Collection::Partner
        && let Some(directory) = site.index_of("partners/_index.md")
    {
        pages.push(Job::Document(directory).path(site));
    }
    if d.is_section {
        pages.extend(
            (0..site.documents.len())
                .filter(|&j| site.ancestors(j).contains(&i))
                .map(|j| Job::Document(j).path(site)),
        );
    }
    pages
}

/// How a file's contents are compared with what was written before: text by
/// hash, a copied file by its path, size and modification time.
fn contents_print(contents: &Contents) -> u64 {
    match contents {
        Contents::Text(text) => hash(text),
        Contents::Bytes(bytes) => hash(bytes),
        Contents::Copy(path) => {
            let meta = std::fs::metadata(path).ok();
            hash(&(
                path,
                meta.as_ref().map(std::fs::Metadata::len),
                meta.and_then(|m| m.modified().ok()),
            ))
        }
    }
}

fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
