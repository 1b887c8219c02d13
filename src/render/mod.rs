//! Rendering pages through the theme's templates.
//!
//! Entry points: [`jobs`] lists every page of the site (documents, sections,
//! taxonomy and term pages, search, 404); [`render_jobs`], pure given the
//! compiled templates, renders them from the assembled site and each
//! document's rendered markdown, handing each page's HTML to a [`Sink`],
//! within the time and memory [`limits`] of a page.
//! [`feeds`] makes the sitemap, feed, robots.txt and redirects, [`search`]
//! the search index, and [`theme`] loads the templates they go through.
//!
//! The context each template receives is documented in `themes/README.md`;
//! [`views`] are the values it is made of. Summaries of documents are converted
//! to template values once and shared by every page that lists them (tera
//! values are reference-counted), so listing pages stay cheap: see [`shared`].

pub(crate) mod feeds;
pub(crate) mod file;
mod limits;
pub(crate) mod search;
mod shared;
pub(crate) mod theme;
mod views;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::foundation::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::render::theme::Theme;
use crate::site::{Site, Taxonomy};
use crate::source::document::Document;
use crate::source::frontmatter::Collection;

pub(crate) use shared::{Prints, Shared, summary_print};
use shared::{listing, merge};
use views::{Crumb, taxonomy_view, term_view, view};

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

/// Where [`render_jobs`] hands the pages.
pub(crate) struct Sink<'a> {
    /// Takes each page as soon as it is rendered: its path under the output
    /// folder, and its HTML.
    pub(crate) write: &'a (dyn Fn(&str, String) -> Result<(), Diagnostic> + Sync),
    /// Ends bounce with the problem when a page goes past a limit of
    /// [`limits`]: called from the watchdog's thread while the page is still
    /// rendering, which nothing can stop but the end of the process.
    pub(crate) stop: &'a (dyn Fn(&Diagnostic) + Sync),
}

/// Renders the given pages in parallel, handing each to the sink as soon as
/// it is rendered, so pages need not all be held in memory. Returns the
/// problems: template errors and the sink's failures alike.
pub(crate) fn render_jobs(
    site: &Site,
    markdown: &[Rendered],
    theme: &Theme,
    shared: &Shared,
    jobs: &[Job],
    sink: &Sink,
) -> Vec<Diagnostic> {
    let stop = |breach: limits::Breach| {
        (sink.stop)(&limits::problem(site, theme, jobs[breach.page], breach));
    };
    limits::watched(
        |progress| {
            jobs.par_iter()
                .enumerate()
                .filter_map(|(n, &job)| {
                    progress.begin(n);
                    let html = render_job(site, markdown, theme, shared, job);
                    progress.end();
                    html.and_then(|html| (sink.write)(&job.path(site), html))
                        .err()
                })
                .collect()
        },
        stop,
    )
}

fn render_job(
    site: &Site,
    markdown: &[Rendered],
    theme: &Theme,
    shared: &Shared,
    job: Job,
) -> Result<String, Diagnostic> {
    match job {
        Job::Document(i) => render_document(site, shared, theme, markdown, i),
        Job::Taxonomy(t, term) => render_taxonomy(site, shared, theme, &site.taxonomies[t], term),
        Job::Search => render_search(site, shared, theme),
        Job::NotFound => {
            let mut context = shared.context(site, None, "Page not found", "404.html");
            context.insert("page", &Value::none());
            render(theme, "404.html", &context, None)
        }
    }
}

/// The theme renders a search page only if it has the template for one.
fn has_search_page(theme: &Theme) -> bool {
    theme.tera.contains_template("search.html")
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
        if let tera::ErrorKind::Msg(message) = e.kind() {
            return unplaced(theme, template, page.as_deref(), message);
        }
        let problems = theme.templates.diagnostics(&e, page.as_deref());
        problems
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error(format!("template `{template}` failed: {e}")))
    })
}

/// An error tera reports without a place in a template, such as a component
/// calling itself more than 20 levels deep: at the page's template.
fn unplaced(theme: &Theme, template: &str, page: Option<&str>, message: &str) -> Diagnostic {
    let during = page
        .map(|p| format!(" while rendering {p}"))
        .unwrap_or_default();
    let hint = if message.contains("recursion depth") {
        "tera stops a component that calls itself more than 20 levels deep: give it an `if` that ends it"
    } else {
        "see themes/README.md for the variables each template receives"
    };
    let problem =
        Diagnostic::error(format!("template `{template}`{during}: {message}")).with_hint(hint);
    match theme.templates.file(template) {
        Some(file) => problem.in_file(file),
        None => problem,
    }
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
