//! Rendering pages through the theme's templates.
//!
//! Entry points: [`jobs`] lists every page of the site (documents, sections,
//! taxonomy and term pages, search, 404); [`render_jobs`], pure given the
//! compiled templates, renders them from the assembled site and each
//! document's rendered markdown, handing each page's HTML to a writer.
//! [`feeds`] makes the sitemap, feed, robots.txt and redirects, [`search`]
//! the search index, and [`theme`] loads the templates they go through.
//!
//! The context each template receives is documented in `themes/README.md`;
//! summaries of documents are converted to template values once and shared by
//! every page that lists them (tera values are reference-counted), so listing
//! pages stay cheap.

pub(crate) mod feeds;
pub(crate) mod file;
pub(crate) mod search;
pub(crate) mod theme;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::value::Key;
use tera::{Context, Value};

use crate::foundation::attachment;
use crate::foundation::diagnostic::Diagnostic;
use crate::markdown::{Heading, Rendered};
use crate::render::theme::Theme;
use crate::site::{Site, Taxonomy, asset_beside, terms_of};
use crate::source::document::{Document, Fields, RESOURCE_KINDS, ResourceLink};
use crate::source::frontmatter::Collection;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    Document(usize),
    /// A taxonomy's list of terms, or one of its terms.
    Taxonomy(usize, Option<usize>),
    /// The search page, when the theme has a `search.html`.
    Search,
    NotFound,
}

impl Job {
    /// The page's path under the output folder (`partners/nspcc/index.html`).
    pub(crate) fn path(self, site: &Site) -> String {
        let url = match self {
            Job::Document(i) => &site.documents[i].url,
            Job::Taxonomy(t, None) => &site.taxonomies[t].url,
            Job::Taxonomy(t, Some(term)) => &site.taxonomies[t].terms[term].url,
            Job::Search => crate::site::SEARCH_PAGE,
            Job::NotFound => return "404.html".into(),
        };
        format!("{url}index.html")
    }

    /// How many documents or terms the page lists: roughly, its cost.
    pub(crate) fn listed(self, site: &Site) -> usize {
        match self {
            Job::Document(i) => site
                .children
                .get(&i)
                .map_or(0, |c| c.pages.len() + c.subsections.len()),
            Job::Taxonomy(t, None) => site.taxonomies[t].terms.len(),
            Job::Taxonomy(t, Some(term)) => site.taxonomies[t].terms[term].documents.len(),
            Job::Search | Job::NotFound => 0,
        }
    }

    /// The template the page is rendered with.
    pub(crate) fn template(self, site: &Site) -> String {
        match self {
            Job::Document(i) => template_for(&site.documents[i]),
            Job::Taxonomy(_, None) => "taxonomy.html".into(),
            Job::Taxonomy(_, Some(_)) => "term.html".into(),
            Job::Search => "search.html".into(),
            Job::NotFound => "404.html".into(),
        }
    }
}

/// Every page of the site: documents, taxonomies and their terms, search, 404.
pub(crate) fn jobs(site: &Site, theme: &Theme) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.documents.len()).map(Job::Document).collect();
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t, None));
        jobs.extend((0..taxonomy.terms.len()).map(|term| Job::Taxonomy(t, Some(term))));
    }
    if has_search_page(theme) {
        jobs.push(Job::Search);
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Renders the given pages in parallel, handing each to `sink` (path under the
/// output folder, HTML) as soon as it is rendered, so pages need not all be
/// held in memory. Returns the problems: template errors and the sink's
/// failures alike.
pub(crate) fn render_jobs(
    site: &Site,
    markdown: &[Rendered],
    theme: &Theme,
    shared: &Shared,
    jobs: &[Job],
    sink: &(dyn Fn(&str, String) -> Result<(), Diagnostic> + Sync),
) -> Vec<Diagnostic> {
    jobs.par_iter()
        .filter_map(|&job| {
            let html = match job {
                Job::Document(i) => render_document(site, shared, theme, markdown, i),
                Job::Taxonomy(t, term) => {
                    render_taxonomy(site, shared, theme, &site.taxonomies[t], term)
                }
                Job::Search => render_search(site, shared, theme),
                Job::NotFound => {
                    let mut context = shared.context(site, None, "Page not found", "404.html");
                    context.insert("page", &Value::none());
                    render(theme, "404.html", &context, None)
                }
            };
            html.and_then(|html| sink(&job.path(site), html)).err()
        })
        .collect()
}

/// The theme renders a search page only if it has the template for one.
fn has_search_page(theme: &Theme) -> bool {
    theme.tera.contains_template("search.html")
}

/// Hashes of what pages show of the site, for the incremental rebuild
/// (`crate::pipeline::incremental`) to tell which pages a change reaches.
pub(crate) struct Prints {
    /// The `site` variable.
    pub(crate) site: u64,
    /// The navigation's titles and URLs, in order.
    pub(crate) nav: u64,
    /// The `collections` variable, and the partners directory's `areas`.
    pub(crate) collections: u64,
    /// The `taxonomies` variable (terms and their counts).
    pub(crate) taxonomies: u64,
}

/// A hash of what listings show of document `i`: its summary as templates see it.
/// The word count is left out unless the theme uses it (`word_count`), so that
/// an edit to a page's text does not re-render every listing it is in.
pub(crate) fn summary_print(site: &Site, i: usize, rendered: &Rendered, word_count: bool) -> u64 {
    let mut summary = view(site, i, rendered, false);
    if !word_count {
        summary.word_count = 0;
    }
    fingerprint(&summary)
}

/// A hash of a value's JSON form.
pub(crate) fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    struct Hashing(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            std::hash::Hasher::write(&mut self.0, bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Default::default());
    // Writing into a hasher cannot fail, nor can serialising these views.
    let _ = serde_json::to_writer(&mut hashing, value);
    std::hash::Hasher::finish(&hashing.0)
}

/// Values computed once per build and shared by every page.
pub(crate) struct Shared {
    site: Value,
    collections: Value,
    taxonomies: Value,
    /// Summary of each document, by index.
    summaries: Vec<Value>,
    /// Top-level navigation: (document index, title, url).
    nav: Vec<(usize, String, String)>,
    /// The `nav` variable with no item current, then with each item current in
    /// turn: the only values it takes, made once rather than for every page.
    nav_values: Vec<Value>,
    /// For each partner, the resources and the upcoming events that name it.
    by_partner: HashMap<usize, (Vec<usize>, Vec<usize>)>,
    /// The partners directory by area: `[{name, slug, partners}]`, A–Z.
    areas: Value,
    /// The documents in `collections` and `areas`, in order, for [`Shared::prints`].
    listed: Vec<(String, Vec<usize>)>,
}

impl Shared {
    pub(crate) fn new(site: &Site, markdown: &[Rendered]) -> Shared {
        Shared::reusing(site, markdown, |_| None)
    }

    /// As [`Shared::new`], taking each document's summary value from `reuse`
    /// when it has one (the incremental rebuild keeps those that did not change).
    pub(crate) fn reusing(
        site: &Site,
        markdown: &[Rendered],
        reuse: impl Fn(usize) -> Option<Value> + Sync,
    ) -> Shared {
        let links = Links::new(site);
        let summaries: Vec<Value> = (0..site.documents.len())
            .into_par_iter()
            .map(|i| reuse(i).unwrap_or_else(|| summary_value(site, i, &markdown[i], &links)))
            .collect();
        let collections = Collections::new(site);
        let (areas, area_members) = areas(site, &collections.partners, &summaries);
        let taxonomies = site
            .taxonomies
            .iter()
            .map(|t| (t.name, taxonomy_view(site, t)))
            .collect::<BTreeMap<_, _>>();
        let nav = nav(site);
        Shared {
            site: Value::from_serializable(&site_view(site)),
            collections: collections.value(&summaries),
            taxonomies: Value::from_serializable(&taxonomies),
            nav_values: nav_values(&nav),
            by_partner: by_partner(site, &collections),
            areas,
            listed: collections.into_listed().chain(area_members).collect(),
            summaries,
            nav,
        }
    }

    /// The summary of document `i`, as listings show it.
    pub(crate) fn summary(&self, i: usize) -> &Value {
        &self.summaries[i]
    }

    /// Hashes of the values every page may show, given each document's
    /// [`summary_print`] by index. (Hashed from the views, not from the template
    /// values, whose maps have no fixed order.)
    pub(crate) fn prints(&self, site: &Site, summaries: &[u64]) -> Prints {
        let nav: Vec<(&str, &str)> = self
            .nav
            .iter()
            .map(|(_, title, url)| (title.as_str(), url.as_str()))
            .collect();
        let listed: Vec<(&str, Vec<u64>)> = self
            .listed
            .iter()
            .map(|(name, members)| {
                (
                    name.as_str(),
                    members.iter().map(|&i| summaries[i]).collect(),
                )
            })
            .collect();
        let taxonomies: Vec<TaxonomyView> = site
            .taxonomies
            .iter()
            .map(|t| taxonomy_view(site, t))
            .collect();
        Prints {
            site: fingerprint(&site_view(site)),
            nav: fingerprint(&nav),
            collections: fingerprint(&listed),
            taxonomies: fingerprint(&taxonomies),
        }
    }

    /// The variables every template receives; `document` is the page's document.
    fn context(&self, site: &Site, document: Option<usize>, title: &str, path: &str) -> Context {
        let mut context = Context::new();
        let top = document.map(|i| {
            let chain = site.ancestors(i);
            chain.get(1).copied().unwrap_or(i)
        });
        let current = top.and_then(|top| self.nav.iter().position(|(i, ..)| *i == top));
        let nav = self.nav_values[current.map_or(0, |k| k + 1)].clone();
        let ancestors: Vec<Crumb> = document
            .map(|i| site.ancestors(i))
            .unwrap_or_default()
            .into_iter()
            .map(|a| Crumb {
                title: &site.documents[a].meta.title,
                url: url(site, &site.documents[a].url),
            })
            .collect();
        let path = path.trim_end_matches("index.html");
        context.insert_value("site", self.site.clone());
        context.insert_value("collections", self.collections.clone());
        context.insert_value("taxonomies", self.taxonomies.clone());
        context.insert_value("nav", nav);
        context.insert("ancestors", &ancestors);
        context.insert("title", title);
        context.insert("current_url", &url(site, path));
        context.insert("permalink", &format!("{}{path}", site.config.base_url));
        context
    }
}

/// The documents of the `collections` variable, in the order it lists them.
struct Collections {
    /// A–Z by title, as are resources.
    partners: Vec<usize>,
    resources: Vec<usize>,
    /// By start; the past ones latest first.
    upcoming: Vec<usize>,
    past: Vec<usize>,
}

impl Collections {
    fn new(site: &Site) -> Collections {
        let mut events = members(site, Collection::Event);
        events.sort_by_key(|&i| match &site.documents[i].fields {
            Fields::Event(e) => Some(e.starts),
            _ => None,
        });
        let (upcoming, mut past): (Vec<usize>, Vec<usize>) = events
            .into_iter()
            .partition(|&i| site.is_upcoming(&site.documents[i]));
        past.reverse();
        Collections {
            partners: members(site, Collection::Partner),
            resources: members(site, Collection::Resource),
            upcoming,
            past,
        }
    }

    /// The `collections` variable: `partners`, `resources`, and `events`'
    /// `upcoming` and `past`, each a list of summaries.
    fn value(&self, summaries: &[Value]) -> Value {
        let events = merge(
            Value::from_serializable(&serde_json::json!({})),
            [
                ("upcoming", listing(summaries, &self.upcoming)),
                ("past", listing(summaries, &self.past)),
            ],
        );
        merge(
            Value::from_serializable(&serde_json::json!({})),
            [
                ("partners", listing(summaries, &self.partners)),
                ("resources", listing(summaries, &self.resources)),
                ("events", events),
            ],
        )
    }

    /// Each list by name, for [`Shared::prints`].
    fn into_listed(self) -> impl Iterator<Item = (String, Vec<usize>)> {
        [
            ("partners", self.partners),
            ("resources", self.resources),
            ("upcoming", self.upcoming),
            ("past", self.past),
        ]
        .into_iter()
        .map(|(name, members)| (name.to_string(), members))
    }
}

/// The documents of a collection, without its sections, A–Z by title.
fn members(site: &Site, collection: Collection) -> Vec<usize> {
    let mut members: Vec<usize> = (0..site.documents.len())
        .filter(|&i| {
            let d = &site.documents[i];
            d.collection() == collection && !d.is_section
        })
        .collect();
    members.sort_by_key(|&i| site.documents[i].meta.title.to_lowercase());
    members
}

/// The summaries of the documents `indexes`, as a list value.
fn listing(summaries: &[Value], indexes: &[usize]) -> Value {
    Value::from(
        indexes
            .iter()
            .map(|&i| summaries[i].clone())
            .collect::<Vec<_>>(),
    )
}

/// The partners directory's `areas` (`[{name, slug, partners}]`, A–Z), and
/// the partners of each area by name, for [`Shared::prints`].
fn areas(
    site: &Site,
    partners: &[usize],
    summaries: &[Value],
) -> (Value, Vec<(String, Vec<usize>)>) {
    let mut areas: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in partners {
        if let Fields::Partner(p) = &site.documents[i].fields {
            for area in &p.areas {
                areas.entry(area.as_str()).or_default().push(i);
            }
        }
    }
    let value = areas
        .iter()
        .map(|(name, members)| {
            merge(
                Value::from_serializable(&serde_json::json!({
                    "name": name,
                    "slug": crate::foundation::slug::slugify(name),
                })),
                [("partners", listing(summaries, members))],
            )
        })
        .collect::<Vec<_>>();
    let members = areas
        .into_iter()
        .map(|(name, members)| (format!("area {name}"), members))
        .collect();
    (Value::from(value), members)
}

/// For each partner, the resources and the upcoming events that name it.
fn by_partner(site: &Site, collections: &Collections) -> HashMap<usize, (Vec<usize>, Vec<usize>)> {
    let mut by_partner: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for &i in collections.resources.iter().chain(&collections.upcoming) {
        let Some(p) = site.documents[i]
            .partner_slug()
            .and_then(|slug| site.partner(slug))
            .and_then(|p| site.index_of(&p.key))
        else {
            continue;
        };
        let entry = by_partner.entry(p).or_default();
        match site.documents[i].collection() {
            Collection::Event => entry.1.push(i),
            _ => entry.0.push(i),
        }
    }
    by_partner
}

/// The top-level navigation: (document index, title, url).
fn nav(site: &Site) -> Vec<(usize, String, String)> {
    site.top_level()
        .into_iter()
        .map(|i| {
            let d = &site.documents[i];
            (i, d.meta.title.clone(), url(site, &d.url))
        })
        .collect()
}

/// The `nav` variable with no item current, then with each item current in
/// turn: the only values it takes, made once rather than for every page.
fn nav_values(nav: &[(usize, String, String)]) -> Vec<Value> {
    std::iter::once(None)
        .chain(nav.iter().map(|(i, ..)| Some(*i)))
        .map(|top| {
            let items: Vec<NavItem> = nav
                .iter()
                .map(|(i, title, url)| NavItem {
                    title,
                    url,
                    current: Some(*i) == top,
                })
                .collect();
            Value::from_serializable(&items)
        })
        .collect()
}

fn render_document(
    site: &Site,
    shared: &Shared,
    theme: &Theme,
    markdown: &[Rendered],
    i: usize,
) -> Result<String, Diagnostic> {
    let document = &site.documents[i];
    let mut context = shared.context(site, Some(i), &document.meta.title, &document.url);
    context.insert("page", &view(site, i, &markdown[i], true));
    let values = |list: &[usize]| listing(&shared.summaries, list);
    if document.is_section {
        let children = site.children.get(&i);
        let pages = children.map_or(&[][..], |c| &c.pages);
        let subsections = children.map_or(&[][..], |c| &c.subsections);
        context.insert_value("pages", values(pages));
        context.insert_value("subsections", values(subsections));
    }
    if document.key == "partners/_index.md" {
        context.insert_value("areas", shared.areas.clone());
    }
    if document.collection() == Collection::Partner {
        let named = shared.by_partner.get(&i);
        let resources = named.map_or(&[][..], |(resources, _)| resources);
        let events = named.map_or(&[][..], |(_, events)| events);
        context.insert_value("resources", values(resources));
        context.insert_value("events", values(events));
    }
    let template = template_for(document);
    render(theme, &template, &context, Some(document))
}

fn render_taxonomy(
    site: &Site,
    shared: &Shared,
    theme: &Theme,
    taxonomy: &Taxonomy,
    term: Option<usize>,
) -> Result<String, Diagnostic> {
    let (title, path, template) = match term {
        Some(t) => (
            taxonomy.terms[t].title.as_str(),
            taxonomy.terms[t].url.as_str(),
            "term.html",
        ),
        None => (taxonomy.title, taxonomy.url.as_str(), "taxonomy.html"),
    };
    let mut context = shared.context(site, None, title, path);
    let crumbs: Vec<Crumb> = home_crumb(site)
        .into_iter()
        .chain(term.map(|_| Crumb {
            title: taxonomy.title,
            url: url(site, &taxonomy.url),
        }))
        .collect();
    context.insert("ancestors", &crumbs);
    context.insert("page", &Value::none());
    context.insert("taxonomy", &taxonomy_view(site, taxonomy));
    if let Some(t) = term {
        let term = &taxonomy.terms[t];
        let view = merge(
            Value::from_serializable(&term_view(site, term)),
            [("pages", listing(&shared.summaries, &term.documents))],
        );
        context.insert_value("term", view);
    }
    render(theme, template, &context, None)
}

/// The search page: `search.html` with the home page as its only ancestor and
/// `search_index_url`, the URL of the index.
fn render_search(site: &Site, shared: &Shared, theme: &Theme) -> Result<String, Diagnostic> {
    let mut context = shared.context(site, None, "Search", crate::site::SEARCH_PAGE);
    let crumbs: Vec<Crumb> = home_crumb(site).into_iter().collect();
    context.insert("ancestors", &crumbs);
    context.insert("page", &Value::none());
    context.insert("search_index_url", &url(site, crate::site::SEARCH_INDEX));
    render(theme, "search.html", &context, None)
}

/// The home page as a breadcrumb, for the pages outside its tree of sections.
fn home_crumb(site: &Site) -> Option<Crumb<'_>> {
    site.index_of("_index.md").map(|h| Crumb {
        title: &site.documents[h].meta.title,
        url: url(site, ""),
    })
}

fn render(
    theme: &Theme,
    template: &str,
    context: &Context,
    document: Option<&Document>,
) -> Result<String, Diagnostic> {
    let page = document.map(|d| d.file.display().to_string());
    if !theme.tera.contains_template(template) {
        return Err(match document.filter(|d| d.meta.template.is_some()) {
            Some(d) => missing_template(d, template),
            None => Diagnostic::error(no_template(template)).with_hint(format!(
                "add templates/{template} to the site, or to the theme{}",
                page.map(|p| format!(" (needed by {p})"))
                    .unwrap_or_default()
            )),
        });
    }
    theme.tera.render(template, context).map_err(|e| {
        let problems = theme.templates.diagnostics(&e, page.as_deref());
        problems
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error(format!("template `{template}` failed: {e}")))
    })
}

/// A document's `template:` names a template the theme does not have.
pub(crate) fn missing_template(document: &Document, template: &str) -> Diagnostic {
    document
        .yaml_source()
        .error_at_key(no_template(template), "template")
        .with_hint("create it in the site's templates/ folder, or remove `template:`")
}

fn no_template(template: &str) -> String {
    format!("the theme has no template `{template}`")
}

/// The template a document is rendered with.
fn template_for(document: &Document) -> String {
    if let Some(t) = &document.meta.template {
        return t.clone();
    }
    let name = match (
        document.key.as_str(),
        document.is_section,
        document.collection(),
    ) {
        ("_index.md", _, _) => "home",
        ("partners/_index.md", _, _) => "partners",
        ("resources/_index.md", _, _) => "resources",
        ("events/_index.md", _, _) => "events",
        (_, true, _) => "section",
        (_, false, c) => c.name(),
    };
    format!("{name}.html")
}

/// A root-relative URL with the base path.
fn url(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_path)
}

/// Adds entries to a map value.
fn merge<const N: usize>(map: Value, entries: [(&str, Value); N]) -> Value {
    let mut map = map.into_map().unwrap_or_default();
    for (k, v) in entries {
        map.insert(k.to_string().into(), v);
    }
    Value::from(map)
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: &'a str,
    current: bool,
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TermLink<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    feed_url: String,
    feedback_url: Option<&'a str>,
    help: &'a [crate::source::config::HelpContact],
    topics: Vec<TermLink<'a>>,
    build_date: String,
    extra: &'a serde_json::Value,
}

fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: c.description.as_deref(),
        language: &c.language,
        base_url: &c.base_url,
        base_path: &c.base_path,
        feed_url: url(site, "feed.xml"),
        feedback_url: c.feedback_url.as_deref(),
        help: &c.help,
        topics: site.taxonomies[0]
            .terms
            .iter()
            .map(|t| TermLink {
                slug: &t.slug,
                title: &t.title,
                url: url(site, &t.url),
            })
            .collect(),
        build_date: site.build_date.to_string(),
        extra: &c.extra,
    }
}

#[derive(Serialize)]
struct TermView<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    count: usize,
}

fn term_view<'a>(site: &Site, term: &'a crate::site::Term) -> TermView<'a> {
    TermView {
        slug: &term.slug,
        title: &term.title,
        url: url(site, &term.url),
        count: term.documents.len(),
    }
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    terms: Vec<TermView<'a>>,
}

fn taxonomy_view<'a>(site: &Site, taxonomy: &'a Taxonomy) -> TaxonomyView<'a> {
    TaxonomyView {
        name: taxonomy.name,
        title: taxonomy.title,
        url: url(site, &taxonomy.url),
        terms: taxonomy.terms.iter().map(|t| term_view(site, t)).collect(),
    }
}

#[derive(Serialize)]
struct PartnerLink<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
}

/// A document as templates see it (see themes/README.md).
struct DocumentView<'a> {
    key: &'a str,
    collection: &'static str,
    is_section: bool,
    title: &'a str,
    summary: Option<&'a str>,
    url: String,
    permalink: String,
    date: Option<String>,
    updated: Option<String>,
    review_by: Option<String>,
    weight: Option<i64>,
    draft: bool,
    sensitive: bool,
    topics: Vec<TermLink<'a>>,
    audiences: Vec<TermLink<'a>>,
    key_stages: Vec<TermLink<'a>>,
    aliases: &'a [String],
    extra: &'a serde_json::Value,
    word_count: usize,
    /// Only on the document's own page.
    content: Option<&'a str>,
    toc: Option<&'a [Heading]>,
    /// Beside the fields above, not under a key of their own.
    fields: FieldsView<'a>,
}

// Written out rather than derived with `#[serde(flatten)]`: flattening makes a
// map of the view, and a map's keys are copied into every document's template
// value, where a struct's are shared.
impl Serialize for DocumentView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("DocumentView", 32)?;
        s.serialize_field("key", self.key)?;
        s.serialize_field("collection", self.collection)?;
        s.serialize_field("is_section", &self.is_section)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("summary", &self.summary)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("permalink", &self.permalink)?;
        s.serialize_field("date", &self.date)?;
        s.serialize_field("updated", &self.updated)?;
        s.serialize_field("review_by", &self.review_by)?;
        s.serialize_field("weight", &self.weight)?;
        s.serialize_field("draft", &self.draft)?;
        s.serialize_field("sensitive", &self.sensitive)?;
        s.serialize_field("topics", &self.topics)?;
        s.serialize_field("audiences", &self.audiences)?;
        s.serialize_field("key_stages", &self.key_stages)?;
        s.serialize_field("aliases", self.aliases)?;
        s.serialize_field("extra", self.extra)?;
        s.serialize_field("word_count", &self.word_count)?;
        if let Some(content) = self.content {
            s.serialize_field("content", content)?;
        }
        if let Some(toc) = self.toc {
            s.serialize_field("toc", toc)?;
        }
        self.fields.serialize_into(&mut s)?;
        s.end()
    }
}

impl FieldsView<'_> {
    /// Adds the collection's own fields to the document's struct.
    fn serialize_into<S: serde::ser::SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        match self {
            FieldsView::Page {} => {}
            FieldsView::Partner {
                website,
                email,
                phone,
                address,
                areas,
                cost,
                logo,
                logo_alt,
            } => {
                s.serialize_field("website", website)?;
                s.serialize_field("email", email)?;
                s.serialize_field("phone", phone)?;
                s.serialize_field("address", address)?;
                s.serialize_field("areas", areas)?;
                s.serialize_field("cost", cost)?;
                s.serialize_field("logo", logo)?;
                s.serialize_field("logo_alt", logo_alt)?;
            }
            FieldsView::Resource {
                kind,
                kind_title,
                resource_url,
                file_name,
                file_type,
                file_size,
                publisher,
                published,
                partner,
                access,
                cost,
            } => {
                s.serialize_field("kind", kind)?;
                s.serialize_field("kind_title", kind_title)?;
                s.serialize_field("resource_url", resource_url)?;
                s.serialize_field("file_name", file_name)?;
                s.serialize_field("file_type", file_type)?;
                s.serialize_field("file_size", file_size)?;
                s.serialize_field("publisher", publisher)?;
                s.serialize_field("published", published)?;
                s.serialize_field("partner", partner)?;
                s.serialize_field("access", access)?;
                s.serialize_field("cost", cost)?;
            }
            FieldsView::Event {
                starts,
                ends,
                location,
                booking_url,
                partner,
                upcoming,
            } => {
                s.serialize_field("starts", starts)?;
                s.serialize_field("ends", ends)?;
                s.serialize_field("location", location)?;
                s.serialize_field("booking_url", booking_url)?;
                s.serialize_field("partner", partner)?;
                s.serialize_field("upcoming", upcoming)?;
            }
        }
        Ok(())
    }
}

enum FieldsView<'a> {
    Page {},
    Partner {
        website: Option<&'a str>,
        email: Option<&'a str>,
        phone: Option<&'a str>,
        address: Option<&'a str>,
        areas: &'a [String],
        cost: Option<&'a str>,
        logo: Option<String>,
        logo_alt: Option<&'a str>,
    },
    Resource {
        kind: &'a str,
        kind_title: &'a str,
        resource_url: String,
        file_name: Option<&'a str>,
        file_type: Option<String>,
        file_size: Option<String>,
        publisher: Option<&'a str>,
        published: Option<String>,
        partner: Option<PartnerLink<'a>>,
        access: Option<&'a str>,
        cost: Option<&'a str>,
    },
    Event {
        starts: String,
        ends: Option<String>,
        location: Option<&'a str>,
        booking_url: Option<&'a str>,
        partner: Option<PartnerLink<'a>>,
        upcoming: bool,
    },
}

/// The taxonomies' keys in a document's template value, in the site's order.
const TERM_KEYS: [&str; 3] = ["topics", "audiences", "key_stages"];

/// The link to each term and each partner as a template value, made once and
/// shared by every summary that shows it (template values are
/// reference-counted), rather than made again in each of thousands.
struct Links {
    /// By taxonomy, then term.
    terms: Vec<Vec<Value>>,
    /// By the partner's document key.
    partners: HashMap<String, Value>,
}

impl Links {
    fn new(site: &Site) -> Links {
        let terms = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| Value::from_serializable(&term_link(site, term)))
                    .collect()
            })
            .collect();
        let partners = site
            .documents
            .iter()
            .filter(|d| d.collection() == Collection::Partner)
            .map(|p| {
                (
                    p.key.clone(),
                    Value::from_serializable(&partner_link(site, p)),
                )
            })
            .collect();
        Links { terms, partners }
    }
}

/// A document's summary, as the listings of other pages show it: its view
/// without content or outline, with the shared links of [`Links`].
fn summary_value(site: &Site, i: usize, rendered: &Rendered, links: &Links) -> Value {
    let d = &site.documents[i];
    let mut view = view(site, i, rendered, false);
    view.topics.clear();
    view.audiences.clear();
    view.key_stages.clear();
    let partner = match &mut view.fields {
        FieldsView::Resource { partner, .. } | FieldsView::Event { partner, .. } => {
            partner.take().map(|_| ())
        }
        _ => None,
    };
    let mut map = Value::from_serializable(&view)
        .into_map()
        .unwrap_or_default();
    for ((key, t), values) in TERM_KEYS
        .into_iter()
        .zip(&site.taxonomies)
        .zip(&links.terms)
    {
        let shared: Vec<Value> = terms_of(d, t.name)
            .iter()
            .filter_map(|value| t.terms.iter().position(|term| &term.value == value))
            .map(|term| values[term].clone())
            .collect();
        map.insert(Key::Str(key), Value::from(shared));
    }
    if partner.is_some() {
        let value = d
            .partner_slug()
            .and_then(|slug| site.partner(slug))
            .map(|p| match links.partners.get(&p.key) {
                Some(shared) => shared.clone(),
                None => Value::from_serializable(&partner_link(site, p)),
            })
            .unwrap_or_else(Value::none);
        map.insert(Key::Str("partner"), value);
    }
    Value::from(map)
}

fn term_link<'a>(site: &Site, term: &'a crate::site::Term) -> TermLink<'a> {
    TermLink {
        slug: &term.slug,
        title: &term.title,
        url: url(site, &term.url),
    }
}

fn partner_link<'a>(site: &Site, p: &'a Document) -> PartnerLink<'a> {
    PartnerLink {
        slug: &p.slug,
        title: &p.meta.title,
        url: url(site, &p.url),
    }
}

fn view<'a>(site: &'a Site, i: usize, rendered: &'a Rendered, full: bool) -> DocumentView<'a> {
    let d = &site.documents[i];
    let terms = |taxonomy: usize| -> Vec<TermLink<'a>> {
        let t = &site.taxonomies[taxonomy];
        terms_of(d, t.name)
            .iter()
            .filter_map(|value| t.terms.iter().find(|term| &term.value == value))
            .map(|term| term_link(site, term))
            .collect()
    };
    DocumentView {
        key: &d.key,
        collection: d.collection().name(),
        is_section: d.is_section,
        title: &d.meta.title,
        summary: d.meta.summary.as_deref(),
        url: url(site, &d.url),
        permalink: format!("{}{}", site.config.base_url, d.url),
        date: d.meta.date.map(|x| x.to_string()),
        updated: d.meta.updated.map(|x| x.to_string()),
        review_by: d.meta.review_by.map(|x| x.to_string()),
        weight: d.meta.weight,
        draft: d.meta.draft,
        sensitive: d.meta.sensitive,
        topics: terms(0),
        audiences: terms(1),
        key_stages: terms(2),
        aliases: &d.meta.aliases,
        extra: &d.meta.extra,
        word_count: rendered.word_count,
        content: full.then_some(rendered.html.as_str()),
        toc: full.then_some(rendered.toc.as_slice()),
        fields: fields_view(site, d),
    }
}

fn fields_view<'a>(site: &'a Site, d: &'a Document) -> FieldsView<'a> {
    let partner = || Some(partner_link(site, site.partner(d.partner_slug()?)?));
    match &d.fields {
        Fields::Page => FieldsView::Page {},
        Fields::Partner(p) => FieldsView::Partner {
            website: p.website.as_deref(),
            email: p.email.as_deref(),
            phone: p.phone.as_deref(),
            address: p.address.as_deref(),
            areas: &p.areas,
            cost: p.cost.as_deref(),
            logo: p
                .logo
                .as_deref()
                .and_then(|l| asset_beside(site, d, l))
                .map(|a| url(site, &a.key)),
            logo_alt: p.logo_alt.as_deref(),
        },
        Fields::Resource(r) => {
            let (link, file) = match &r.link {
                ResourceLink::Url(u) => (u.clone(), None),
                ResourceLink::File(f) => {
                    let asset = asset_beside(site, d, f);
                    let key = asset.map_or(f.as_str(), |a| a.key.as_str());
                    (url(site, key), Some((f.as_str(), asset)))
                }
            };
            FieldsView::Resource {
                kind: r.kind,
                kind_title: RESOURCE_KINDS
                    .iter()
                    .find(|(k, _)| *k == r.kind)
                    .map_or(r.kind, |(_, t)| t),
                resource_url: link,
                file_name: file.map(|(name, _)| name),
                file_type: file.map(|(name, _)| attachment::file_type(name)),
                file_size: file
                    .and_then(|(_, asset)| asset)
                    .map(|a| attachment::file_size(a.size)),
                publisher: r.publisher.as_deref(),
                published: r.published.map(|p| p.to_string()),
                partner: partner(),
                access: r.access.as_deref(),
                cost: r.cost.as_deref(),
            }
        }
        Fields::Event(e) => FieldsView::Event {
            starts: e.starts.to_string(),
            ends: e.ends.map(|x| x.to_string()),
            location: e.location.as_deref(),
            booking_url: e.booking_url.as_deref(),
            partner: partner(),
            upcoming: site.is_upcoming(d),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::dates::DateTime;
    use crate::pipeline;

    /// The example site: partners, resources and events naming them, terms.
    fn example() -> pipeline::Loaded {
        let options = pipeline::Options {
            root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            output: std::env::temp_dir().join("bounce-render-tests-unused"),
            base_url: None,
            drafts: false,
            build_date: DateTime::from_unix_seconds(1_790_000_000),
        };
        let config = pipeline::configure(&options).expect("the example's site.yaml loads");
        let loaded = pipeline::load(&options, config);
        assert!(
            loaded.problems.iter().all(|p| !p.is_error()),
            "{:?}",
            loaded.problems
        );
        loaded
    }

    #[test]
    fn summaries_with_shared_links_equal_the_documents_views() {
        let loaded = example();
        let site = &loaded.site;
        let links = Links::new(site);
        let mut with_partner = 0;
        for (i, rendered) in loaded.markdown.iter().enumerate() {
            let summary = summary_value(site, i, rendered, &links);
            let view = Value::from_serializable(&view(site, i, rendered, false));
            assert_eq!(summary, view, "{}", site.documents[i].key);
            let partner = summary.as_map().and_then(|m| m.get(&Key::Str("partner")));
            with_partner += usize::from(partner.is_some_and(|p| !p.is_none()));
        }
        assert!(with_partner > 0, "the example names partners");
    }
}
