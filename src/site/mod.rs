//! Assembling documents into a site: sections and their children, taxonomies,
//! the route table for links, and the checks that need more than one document
//! (duplicate URLs, aliases; partner references and files beside documents in
//! `references`).
//!
//! Entry point: [`assemble`], pure. Documents refer to each other by index into
//! [`Site::documents`], which is sorted by key so every build is the same.

pub(crate) mod links;
mod references;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::foundation::collate::sort_key;
use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::Diagnostic;
use crate::site::links::Routes;
use crate::source::config::Config;
use crate::source::discover::Asset;
use crate::source::document::{AUDIENCES, Document, Fields, KEY_STAGES, Meta, folder_of};
use crate::source::frontmatter::Collection;
use crate::source::images::Images;

/// Files bounce writes at the top of the output besides the documents' pages, and
/// the search page (`search/`, written when the theme has `search.html`).
pub(crate) const SPECIAL_FILES: &[&str] = &[
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "feed.xml",
    SEARCH_INDEX,
    SEARCH_PAGE,
];

/// The search index's file, at the top of the output.
pub(crate) const SEARCH_INDEX: &str = "search/meta.json";
/// The URL of the search page, without the base path.
pub(crate) const SEARCH_PAGE: &str = "search/";

/// A taxonomy (`topics`, `audiences`, `key_stages`) with the terms in use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Taxonomy {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    /// `topics/`, `audiences/`, `key-stages/`.
    pub(crate) url: String,
    pub(crate) terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    /// The value as written in front matter (`KS2`).
    pub(crate) value: String,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// Indexes of documents, newest first.
    pub(crate) documents: Vec<usize>,
}

/// The children of a section, in display order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Children {
    pub(crate) pages: Vec<usize>,
    pub(crate) subsections: Vec<usize>,
}

/// The whole site, checked and cross-referenced.
#[derive(Debug)]
pub(crate) struct Site {
    pub(crate) config: Config,
    pub(crate) documents: Vec<Document>,
    by_key: HashMap<String, usize>,
    /// Asset key → index into `assets`.
    asset_by_key: HashMap<String, usize>,
    /// The section each document belongs to (none for home).
    pub(crate) parents: Vec<Option<usize>>,
    /// For each section document, its children.
    pub(crate) children: HashMap<usize, Children>,
    pub(crate) taxonomies: Vec<Taxonomy>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) routes: Routes,
    pub(crate) build_date: DateTime,
}

impl Site {
    pub(crate) fn get(&self, key: &str) -> Option<&Document> {
        self.by_key.get(key).map(|&i| &self.documents[i])
    }

    pub(crate) fn index_of(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The partner a resource or event refers to, by slug.
    /// The file under `content/` at `key`, copied as it is (or sealed).
    pub(crate) fn asset(&self, key: &str) -> Option<&Asset> {
        self.asset_by_key.get(key).map(|&i| &self.assets[i])
    }

    pub(crate) fn partner(&self, slug: &str) -> Option<&Document> {
        self.get(&format!("partners/{slug}.md")).or_else(|| {
            self.documents
                .iter()
                .find(|d| d.collection() == Collection::Partner && d.slug == slug)
        })
    }

    /// Sections from home down to the document's parent.
    pub(crate) fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.parents[index];
        while let Some(p) = current {
            chain.push(p);
            current = self.parents[p];
        }
        chain.reverse();
        chain
    }

    /// The passcode group that protects document `index`: its own (a
    /// resource with `access: passcode`) or that of the nearest section
    /// above it with `passcode:`. A section's own page stays public: it is
    /// where readers learn how to get the passcode.
    pub(crate) fn passcode_group(&self, index: usize) -> Option<&str> {
        let document = &self.documents[index];
        if !document.is_section
            && let Some(own) = &document.meta.passcode
        {
            return Some(own);
        }
        let mut current = self.parents[index];
        while let Some(p) = current {
            if let Some(group) = &self.documents[p].meta.passcode {
                return Some(group);
            }
            current = self.parents[p];
        }
        None
    }

    /// The top-level sections and pages, in navigation order (by weight, then title).
    ///
    /// That is every top-level section, and the top-level pages that set a
    /// `weight`: a site with thousands of loose pages at the top would otherwise
    /// put all of them in every page's navigation.
    pub(crate) fn top_level(&self) -> Vec<usize> {
        let home = self.index_of("_index.md");
        let mut top: Vec<usize> = home
            .and_then(|h| self.children.get(&h))
            .map(|c| {
                let weighted = c
                    .pages
                    .iter()
                    .filter(|&&p| self.documents[p].meta.weight.is_some());
                c.subsections.iter().chain(weighted).copied().collect()
            })
            .unwrap_or_default();
        top.sort_by_cached_key(|&i| display_key(&self.documents[i]));
        top
    }

    /// Whether an event is still to come (ends, or starts, on or after the build date).
    pub(crate) fn is_upcoming(&self, document: &Document) -> bool {
        match &document.fields {
            Fields::Event(e) => e.ends.unwrap_or(e.starts).date_only() >= self.build_date,
            _ => false,
        }
    }
}

/// What `assemble` needs.
pub(crate) struct Input {
    pub(crate) config: Config,
    pub(crate) documents: Vec<Document>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) include_drafts: bool,
    pub(crate) build_date: DateTime,
    /// Files the theme puts at the top of the output (`style.css`), for link checks.
    pub(crate) static_files: Vec<String>,
    /// Keys of markdown files with problems of their own (links to them,
    /// and partners named after them, are not reported).
    pub(crate) unreadable: Vec<String>,
    /// The images among the assets, processed.
    pub(crate) images: Images,
}

/// Builds the site and reports every problem that involves more than one document.
pub(crate) fn assemble(input: Input) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    // Drafts are taken out in place: a new vector would grow to twice the
    // room the documents need, and keep it.
    let mut documents = input.documents;
    let drafts: Vec<Document> = documents
        .extract_if(.., |d| !input.include_drafts && d.meta.draft)
        .collect();
    add_missing_sections(&mut documents);
    documents.sort_by(|a, b| a.key.cmp(&b.key));
    let by_key: HashMap<String, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.clone(), i))
        .collect();

    let parents: Vec<Option<usize>> = documents
        .iter()
        .map(|d| parent_section(&d.key, &by_key))
        .collect();
    let children = children(&documents, &parents);
    let taxonomies = taxonomies(&input.config, &documents);
    let routes = routes(
        &input.config,
        &documents,
        &input.assets,
        &taxonomies,
        &input.static_files,
        drafts,
    );
    let mut routes = routes;
    routes.unreadable = input.unreadable.into_iter().collect();
    routes.images = input.images;
    if !routes.unreadable.is_empty() {
        routes.possible_terms = possible_term_urls(&input.config).collect();
    }

    let site = Site {
        config: input.config,
        documents,
        by_key,
        asset_by_key: input
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.key.clone(), i))
            .collect(),
        parents,
        children,
        taxonomies,
        assets: input.assets,
        routes,
        build_date: input.build_date,
    };
    problems.extend(duplicate_urls(&site));
    problems.extend(references::check(&site));
    (site, problems)
}

/// Home and the collection folders always have a landing page, written or not.
fn add_missing_sections(documents: &mut Vec<Document>) {
    let needed = [
        ("_index.md", "Home"),
        ("partners/_index.md", "Partners"),
        ("resources/_index.md", "Resources"),
        ("events/_index.md", "Events"),
    ];
    let missing: Vec<Document> = needed
        .into_iter()
        .filter(|(key, _)| {
            let folder = folder_of(key);
            documents.iter().all(|d| d.key != *key)
                && (folder.is_empty() || documents.iter().any(|d| d.key.starts_with(folder)))
        })
        .map(|(key, title)| synthetic_section(key, title))
        .collect();
    // Exactly: a push into a full vector would double its room.
    documents.reserve_exact(missing.len());
    documents.extend(missing);
}

fn synthetic_section(key: &str, title: &str) -> Document {
    Document {
        key: key.to_string(),
        file: PathBuf::from("content").join(key),
        text: String::new(),
        front_matter: 0..0,
        body: 0..0,
        body_first_line: 1,
        is_section: true,
        url: folder_of(key).to_string(),
        slug: folder_of(key).trim_end_matches('/').to_string(),
        meta: Meta {
            title: title.to_string(),
            summary: None,
            date: None,
            updated: None,
            review_by: None,
            draft: false,
            weight: None,
            aliases: Vec::new(),
            template: None,
            topics: Vec::new(),
            audiences: Vec::new(),
            key_stages: Vec::new(),
            sensitive: false,
            extra: serde_json::Value::Null,
            lint_allow: Vec::new(),
            passcode: None,
        },
        fields: Fields::Page,
    }
}

/// The nearest `_index.md` above a document (for a section: above its folder).
fn parent_section(key: &str, by_key: &HashMap<String, usize>) -> Option<usize> {
    if key == "_index.md" {
        return None;
    }
    let mut folder = folder_of(key).trim_end_matches('/');
    if key.ends_with("/_index.md") {
        folder = folder_of(folder).trim_end_matches('/');
    }
    loop {
        let candidate = crate::source::discover::join(folder, "_index.md");
        if let Some(&i) = by_key.get(&candidate) {
            return Some(i);
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder_of(folder).trim_end_matches('/');
    }
}

fn children(documents: &[Document], parents: &[Option<usize>]) -> HashMap<usize, Children> {
    let mut children: HashMap<usize, Children> = HashMap::new();
    for (i, parent) in parents.iter().enumerate() {
        let Some(p) = parent else { continue };
        let entry = children.entry(*p).or_default();
        if documents[i].is_section {
            entry.subsections.push(i);
        } else {
            entry.pages.push(i);
        }
    }
    for c in children.values_mut() {
        c.pages.sort_by_cached_key(|&i| display_key(&documents[i]));
        c.subsections
            .sort_by_cached_key(|&i| display_key(&documents[i]));
    }
    children
}

/// The order of documents in a listing: weight first (documents without one
/// after), then events by start, then title A–Z (see `foundation::collate`).
/// Made once per document when sorting (`sort_by_cached_key`).
fn display_key(d: &Document) -> (bool, Option<i64>, Option<DateTime>, String, &str) {
    let starts = match &d.fields {
        Fields::Event(e) => Some(e.starts),
        _ => None,
    };
    (
        d.meta.weight.is_none(),
        d.meta.weight,
        starts,
        sort_key(&d.meta.title),
        &d.key,
    )
}

/// A taxonomy's name, title and URL, and every term it may have: value,
/// slug and title.
type Declared = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(String, String, String)>,
);

/// The taxonomies and the terms they may have: the topics of site.yaml, the
/// fixed audiences and key stages.
fn declared(config: &Config) -> [Declared; 3] {
    let topic_terms: Vec<(String, String, String)> = config
        .topics
        .iter()
        .map(|t| (t.slug.clone(), t.slug.clone(), t.title.clone()))
        .collect();
    let fixed = |list: &[(&str, &str)]| -> Vec<(String, String, String)> {
        list.iter()
            .map(|(v, t)| (v.to_string(), v.to_lowercase(), t.to_string()))
            .collect()
    };
    [
        ("topics", "Topics", "topics/", topic_terms),
        ("audiences", "Audiences", "audiences/", fixed(AUDIENCES)),
        ("key_stages", "Key stages", "key-stages/", fixed(KEY_STAGES)),
    ]
}

/// The URL of every term page there would be if a document had the term.
fn possible_term_urls(config: &Config) -> impl Iterator<Item = String> {
    declared(config).into_iter().flat_map(|(_, _, url, terms)| {
        terms
            .into_iter()
            .map(move |(_, slug, _)| format!("{url}{slug}/"))
    })
}

fn taxonomies(config: &Config, documents: &[Document]) -> Vec<Taxonomy> {
    declared(config)
        .into_iter()
        .map(|(name, title, url, mut terms)| {
            // Every term list A–Z, as every listing is (key stages too: "Early
            // years" then "Key stage 1" to "5" is also their order in school).
            terms.sort_by_cached_key(|(_, _, title)| sort_key(title));
            (name, title, url, terms)
        })
        .map(|(name, title, url, terms)| Taxonomy {
            name,
            title,
            url: url.to_string(),
            // Each term looks through every document: the terms side by side.
            terms: terms
                .into_par_iter()
                .filter_map(|(value, slug, term_title)| {
                    let mut members: Vec<usize> = documents
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| terms_of(d, name).contains(&value))
                        .map(|(i, _)| i)
                        .collect();
                    members.sort_by_cached_key(|&i| {
                        let d = &documents[i];
                        (std::cmp::Reverse(d.last_changed()), sort_key(&d.meta.title))
                    });
                    (!members.is_empty()).then(|| Term {
                        url: format!("{url}{slug}/"),
                        value,
                        slug,
                        title: term_title,
                        documents: members,
                    })
                })
                .collect(),
        })
        .collect()
}

/// A document's values for a taxonomy.
pub(crate) fn terms_of<'d>(document: &'d Document, taxonomy: &str) -> &'d [String] {
    match taxonomy {
        "topics" => &document.meta.topics,
        "audiences" => &document.meta.audiences,
        _ => &document.meta.key_stages,
    }
}

fn routes(
    config: &Config,
    documents: &[Document],
    assets: &[Asset],
    taxonomies: &[Taxonomy],
    static_files: &[String],
    drafts: Vec<Document>,
) -> Routes {
    let mut routes = Routes {
        base_path: config.base_path.clone(),
        ..Routes::default()
    };
    for d in documents {
        routes.documents.insert(d.key.clone(), d.url.clone());
        routes.urls.insert(d.url.clone());
    }
    for a in assets {
        routes.assets.insert(a.key.clone());
        routes.asset_sizes.insert(a.key.clone(), a.size);
        routes.urls.insert(a.key.clone());
    }
    for t in taxonomies {
        routes.urls.insert(t.url.clone());
        routes
            .urls
            .extend(t.terms.iter().map(|term| term.url.clone()));
    }
    routes
        .urls
        .extend(SPECIAL_FILES.iter().map(|s| s.to_string()));
    routes.urls.extend(static_files.iter().cloned());
    routes.drafts = drafts.into_iter().map(|d| d.key).collect();
    routes
}

/// Two documents (or a document and an alias, or a generated page) at one URL.
fn duplicate_urls(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in site.documents.iter().enumerate() {
        if let Some(&first) = owners.get(&d.url) {
            let other = &site.documents[first];
            problems.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` both make the page /{}",
                    other.file.display(),
                    d.file.display(),
                    d.url
                ))
                .in_file(&d.file)
                .with_hint(if other.key == d.key {
                    // Keys are in NFC: the names differ only in how accents are stored.
                    "the two names look the same but one stores its accents as separate characters (as a Mac or a copied folder does); delete or rename one of the files"
                } else {
                    "rename one of the files, or give one a different `slug:`"
                }),
            );
        } else {
            owners.insert(d.url.clone(), i);
        }
    }
    for t in &site.taxonomies {
        for url in std::iter::once(&t.url).chain(t.terms.iter().map(|term| &term.url)) {
            if let Some(&i) = owners.get(url) {
                let d = &site.documents[i];
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` takes the address /{url}, which bounce uses for the {} list",
                        d.file.display(),
                        t.title.to_lowercase()
                    ))
                    .in_file(&d.file)
                    .with_hint("rename the file or folder"),
                );
            }
        }
    }
    for (i, d) in site.documents.iter().enumerate() {
        for alias in &d.meta.aliases {
            let path = alias.trim_start_matches('/');
            let as_folder = format!("{}/", path.trim_end_matches('/'));
            let clash = owners.get(path).or_else(|| owners.get(&as_folder));
            if let Some(&owner) = clash
                .filter(|&&o| o != i || path.trim_end_matches('/') == d.url.trim_end_matches('/'))
            {
                let source = d.yaml_source();
                problems.push(
                    source
                        .error_at_key(
                            format!(
                                "alias `{alias}` is the address of `{}`",
                                site.documents[owner].file.display()
                            ),
                            "aliases",
                        )
                        .with_hint(
                            "an alias is an old address that redirects here; remove this one",
                        ),
                );
            } else {
                owners.insert(as_folder, i);
            }
        }
    }
    problems
}

/// The file a resource offers with `file:`, if it exists.
pub(crate) fn resource_file<'s>(site: &'s Site, document: &Document) -> Option<&'s Asset> {
    match &document.fields {
        Fields::Resource(r) => match &r.link {
            crate::source::document::ResourceLink::File(f) => asset_beside(site, document, f),
            crate::source::document::ResourceLink::Url(_) => None,
        },
        _ => None,
    }
}

/// The asset a document names by a path relative to its folder.
pub(crate) fn asset_beside<'s>(
    site: &'s Site,
    document: &Document,
    file: &str,
) -> Option<&'s Asset> {
    let key = format!("{}{}", document.folder(), file.trim_start_matches("./"));
    site.asset_by_key.get(&key).map(|&i| &site.assets[i])
}
