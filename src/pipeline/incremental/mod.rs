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

//!
//! The steps are the pipeline's own (`pipeline::read`, `assemble`,
//! `render_markdown`, `plan`, `files`, and `render::render_jobs`): this module keeps
//! what each made and decides which to run again. [`reach`] works out the
//! pages a change reaches; [`write`] writes what changed.

mod reach;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::foundation::diagnostic::{self, Diagnostic};
use crate::foundation::slug;
use crate::markdown::Rendered;
use crate::pipeline::protect::{self, Keys};
use crate::pipeline::{self, Options, Protection};
use crate::render::file::OutputFile;
use crate::render::search;
use crate::render::theme::Theme;
use crate::render::{self, Job, Prints, Shared};
use crate::site::Site;
use crate::source::config::Config;
use crate::source::discover::{self, Asset, SourceDocument};
use crate::source::document::{self, Document};

/// The site in memory, with what was last written.
pub struct Project {
    options: Options,
    config: Config,
    /// The passcode groups' keys (none in `serve`'s preview): derived once,
    /// and again only when site.yaml changes what they are made from.
    keys: Keys,
    theme: Theme,
    /// Links in the theme's folders that were skipped: reported on every
    /// rebuild until the theme is loaded again.
    theme_warnings: Vec<Diagnostic>,
    /// Whether the theme shows word counts (else they are left out of summaries).
    word_count: bool,
    sources: Sources,
    built: Built,
    output: Output,
}

/// The content folder's files, as last read.
struct Sources {
    /// Every document that could be read, drafts and those with problems of
    /// their own included, by key.
    documents: BTreeMap<String, Document>,
    /// The problems of files that have any, by key (as `pipeline::Read::broken`).
    failed: BTreeMap<String, Vec<Diagnostic>>,
    assets: Vec<Asset>,
    /// Problems finding or reading files.
    problems: Vec<Diagnostic>,
}

/// What the pipeline's steps made of the sources.
struct Built {
    site: Site,
    /// Problems that span documents (duplicate URLs, unknown partners, ...).
    site_problems: Vec<Diagnostic>,
    /// By document index in `site`.
    markdown: Vec<Rendered>,
    shared: Shared,
    prints: Prints,
    /// By document key.
    document_prints: HashMap<String, DocumentPrint>,
}

/// Hashes of what a document shows: in listings (its summary) and on its
/// own page (its HTML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DocumentPrint {
    summary: u64,
    html: u64,
}

/// The output folder: what it holds, and what waits to be written.
#[derive(Default)]
struct Output {
    /// Path → hash of its bytes. None until the first successful write,
    /// which replaces the whole folder.
    written: Option<HashMap<String, u64>>,
    /// Pages to render at the next successful write.
    pending: Pending,
    /// The sitemap, feed, redirects and copied files, as last made; None when
    /// a change may have altered them (anything but an edit to bodies alone).
    extras: Option<Vec<OutputFile>>,
    /// The search index, as last made; None after any change to documents.
    search: Option<Vec<OutputFile>>,
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

/// What a reopened project takes from the one before: see [`Project::open`].
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// Path → hash of its bytes; None when unknown.
    pub written: Option<HashMap<String, u64>>,
    keys: Keys,
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
    /// `kept` is what an earlier project knew: what the output folder holds
    /// (so that reloading after a template change rewrites only the files
    /// that changed) and the passcode keys (so that it derives them again
    /// only if their passcodes or salts changed).
    pub fn open(options: &Options, kept: Kept) -> Result<Project, Vec<Diagnostic>> {
        let config = pipeline::configure(options).map_err(|f| f.problems)?;
        let passcodes = options.protection.passcodes(&config);
        let keys = protect::derive(&config.base_url, &passcodes, &kept.keys);
        let written = kept.written;
        let read = pipeline::read(options, &config);
        let theme = read.theme?;
        let sources = Sources {
            documents: read
                .documents
                .into_iter()
                .map(|d| (d.key.clone(), d))
                .collect(),
            failed: read.broken.into_iter().collect(),
            assets: read.assets,
            problems: read.problems,
        };
        let word_count = theme.templates.any_mentions("word_count");
        let (site, site_problems) = sources.assemble(options, &config, &theme);
        let mut markdown = pipeline::render_markdown(&site);
        protect::seal(&site, &mut markdown, &keys);
        let shared = Shared::new(&site, &markdown);
        let document_prints = reach::document_prints(&site, &markdown, word_count, None);
        let prints = shared.prints(&site, &reach::summaries(&site, &document_prints));
        Ok(Project {
            options: options.clone(),
            config,
            keys,
            theme,
            theme_warnings: read.theme_warnings,
            word_count,
            sources,
            built: Built {
                site,
                site_problems,
                markdown,
                shared,
                prints,
                document_prints,
            },
            output: Output {
                written,
                pending: Pending::All,
                ..Output::default()
            },
        })
    }

    /// What to carry over into a reopened project.
    pub fn into_kept(self) -> Kept {
        Kept {
            written: self.output.written,
            keys: self.keys,
        }
    }

    /// Takes the content files that changed (paths under the site's `content/`
    /// folder, created, modified or removed) and works out which pages they
    /// reach. Call [`Project::write`] afterwards.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) {
        let Some(touched) = self.touched(changed) else {
            self.rediscover();
            return;
        };
        if touched.is_empty() {
            return;
        }
        let mut fast = true;
        for (key, path) in &touched {
            fast &= self.reread(key, path);
        }
        if !fast || !self.update_bodies(touched.keys()) {
            self.reassemble(touched.keys().cloned().collect(), false);
        }
    }

    /// The markdown files among `changed`, by key; None when the folder must
    /// be walked again (folders, assets and anything odd changed).
    fn touched(&self, changed: &BTreeSet<PathBuf>) -> Option<BTreeMap<String, PathBuf>> {
        let content = self.options.root.join(discover::CONTENT_DIR);
        let mut touched = BTreeMap::new();
        let mut rediscover = false;
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
            let key = slug::nfc(&names.join("/")).into_owned();
            if key.is_empty() {
                // The content folder itself was made, moved away or removed.
                rediscover = true;
                continue;
            }
            if !path.exists() && !self.sources.knows(&key) {
                // A file made and gone before this rebuild (an editor's or
                // `sed -i`'s temporary file): nothing of the site changed.
                continue;
            }
            if !discover::is_markdown(&key) || path.is_dir() {
                rediscover = true;
            } else {
                touched.insert(key, path.clone());
            }
        }
        (!rediscover).then_some(touched)
    }

    /// Reads and parses one changed markdown file again (step 2 for one
    /// file). Returns whether its front matter is as it was, so that only
    /// its body may have changed.
    fn reread(&mut self, key: &str, path: &Path) -> bool {
        let sources = &mut self.sources;
        let old = sources.documents.remove(key);
        // A file that starts failing changes the routes: links to it are
        // no longer reported (`Routes::unreadable`).
        let was_failing = sources.failed.remove(key).is_some();
        let parsed = match read(key, path) {
            Err(problem) => document::Parsed {
                document: None,
                problems: vec![problem],
            },
            Ok(None) => return false,
            Ok(Some(source)) => document::read(&source, &self.config),
        };
        let same = match (&old, &parsed.document) {
            (Some(old), Some(new)) => same_front_matter(old, new),
            (None, None) => true,
            _ => false,
        };
        let failing = !parsed.problems.is_empty();
        sources.keep(key, parsed);
        same && failing == was_failing
    }

    /// The fast path: only the bodies of documents changed, and their
    /// summaries did not, so no other page is reached. Returns false (having
    /// changed nothing) when a summary changed after all.
    fn update_bodies<'k>(&mut self, keys: impl Iterator<Item = &'k String>) -> bool {
        let built = &mut self.built;
        let mut updates = Vec::new();
        for key in keys {
            let Some(i) = built.site.index_of(key) else {
                // A draft left out of the build, or a file that does not parse.
                continue;
            };
            let Some(document) = self.sources.documents.get(key) else {
                continue;
            };
            let mut rendered = pipeline::render_document_markdown(&built.site, document);
            protect::seal_document(&built.site, i, &mut rendered, &self.keys);
            updates.push((i, document.clone(), rendered));
        }
        for (i, document, rendered) in &mut updates {
            std::mem::swap(&mut built.site.documents[*i], document);
            let summary = render::summary_print(&built.site, *i, rendered, self.word_count);
            std::mem::swap(&mut built.site.documents[*i], document);
            if built.document_prints.get(&document.key).map(|p| p.summary) != Some(summary) {
                return false;
            }
        }
        for (i, document, rendered) in updates {
            let print = DocumentPrint {
                summary: built.document_prints[&document.key].summary,
                html: reach::html_print(&rendered),
            };
            if rendered.sealed.is_some() {
                // The files it offers may have changed.
                self.output.extras = None;
            }
            self.output
                .pending
                .add([Job::Document(i).path(&built.site)]);
            self.output.search = None;
            built.document_prints.insert(document.key.clone(), print);
            built.site.documents[i] = document;
            built.markdown[i] = rendered;
        }
        true
    }

    /// Walks `content/` again (a folder was added, removed or renamed, or a
    /// file that is not markdown changed) and re-reads what differs.
    fn rediscover(&mut self) {
        let found = discover::discover(&self.options.root, &self.config);
        let sources = &mut self.sources;
        let mut touched = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for source in &found.documents {
            keys.insert(source.key.clone());
            let unchanged = sources
                .documents
                .get(&source.key)
                .is_some_and(|d| d.text.as_bytes() == source.bytes.as_slice())
                && !sources.failed.contains_key(&source.key);
            if unchanged {
                continue;
            }
            touched.insert(source.key.clone());
            sources.documents.remove(&source.key);
            sources.failed.remove(&source.key);
            sources.keep(&source.key, document::read(source, &self.config));
        }
        let gone: Vec<String> = sources
            .documents
            .keys()
            .chain(sources.failed.keys())
            .filter(|k| !keys.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            sources.documents.remove(&key);
            sources.failed.remove(&key);
            touched.insert(key);
        }
        sources.assets = found.assets;
        sources.problems = found.problems;
        self.reassemble(touched, true);
    }

    /// Every problem of the site as it is now, sorted.
    fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self
            .sources
            .problems
            .iter()
            .chain(&self.theme_warnings)
            .chain(self.sources.failed.values().flatten())
            .chain(&self.built.site_problems)
            .cloned()
            .collect();
        problems.extend(pipeline::link_problems(
            &self.built.site,
            &self.built.markdown,
        ));
        let preview = matches!(self.options.protection, Protection::Preview);
        let has = |group: &str| preview || self.keys.has(group);
        problems.extend(protect::missing(&self.built.site, &has));
        problems.extend(protect::public_links(
            &self.built.site,
            &self.built.markdown,
        ));
        diagnostic::sort(&mut problems);
        problems
    }
}

impl Sources {
    /// Keeps what was read of the file at `key` (whose old document and
    /// problems are already taken out), as a full build keeps it.
    fn keep(&mut self, key: &str, parsed: document::Parsed) {
        if let Some(document) = parsed.document {
            self.documents.insert(key.to_string(), document);
        }
        if !parsed.problems.is_empty() {
            self.failed.insert(key.to_string(), parsed.problems);
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

    /// Step 3 on the documents in memory.
    fn assemble(
        &self,
        options: &Options,
        config: &Config,
        theme: &Theme,
    ) -> (Site, Vec<Diagnostic>) {
        let sources = pipeline::Sources {
            config: config.clone(),
            documents: self.documents.values().cloned().collect(),
            assets: self.assets.clone(),
            broken: self.failed.keys().cloned().collect(),
        };
        pipeline::assemble(options, Some(theme), sources)
    }
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
