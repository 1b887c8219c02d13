//! Which pages a change reaches (rules 2 to 6 of the module's doc): the site
//! is assembled again from the documents in memory, and the hashes of what
//! each page shows are compared with those from before the change.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::{Built, DocumentPrint, Pending, Project};
use crate::markdown::Rendered;
use crate::pipeline::{self, protect};
use crate::render::{self, Job, Prints, Shared};
use crate::site::Site;
use crate::source::frontmatter::Collection;

impl Project {
    /// Assembles the site again from the documents in memory, runs the later
    /// steps again where their inputs changed, and adds the pages the change
    /// reaches to the pending ones. `rediscovered`: files other than
    /// markdown may have changed too.
    pub(super) fn reassemble(&mut self, touched: BTreeSet<String>, rediscovered: bool) {
        let (site, site_problems) = self
            .sources
            .assemble(&self.options, &self.config, &self.theme);
        let old_site = std::mem::replace(&mut self.built.site, site);
        self.built.site_problems = site_problems;
        self.output.extras = None;
        self.output.search = None;
        let same_routes = self.built.render_markdown(&old_site, &touched);
        protect::seal(&self.built.site, &mut self.built.markdown, &self.keys);
        let again = (same_routes && !rediscovered)
            .then(|| self.built.changed_summaries(&old_site, &touched));
        let document_prints = self.built.document_prints_again(self.word_count, again);
        self.built.share_again(&old_site, &document_prints);
        let prints = self.built.shared.prints(
            &self.built.site,
            &summaries(&self.built.site, &document_prints),
        );
        // Rule 4.
        if prints.nav != self.built.prints.nav || prints.site != self.built.prints.site {
            self.output.pending = Pending::All;
        }
        let mut pages = self.built.reached_pages(&old_site, &document_prints);
        pages.extend(self.shown_variables(&prints));
        self.output.pending.add(pages);
        self.built.prints = prints;
        self.built.document_prints = document_prints;
    }

    /// Rule 5: when `collections` or `taxonomies` changed, every page whose
    /// template, or a template it extends or includes, mentions it.
    fn shown_variables(&self, prints: &Prints) -> Vec<String> {
        let site = &self.built.site;
        let collections = prints.collections != self.built.prints.collections;
        let taxonomies = prints.taxonomies != self.built.prints.taxonomies;
        if !collections && !taxonomies {
            return Vec::new();
        }
        // Whether each template shows a changed variable, asked once per template.
        let mut shows: HashMap<String, bool> = HashMap::new();
        let mut pages = Vec::new();
        for job in render::jobs(site, &self.theme) {
            let reached = *shows
                .entry(job.template(site))
                .or_insert_with_key(|template| {
                    let mentions = |name| self.theme.templates.mentions(template, name);
                    (collections && mentions("collections"))
                        || (taxonomies && mentions("taxonomies"))
                });
            if reached || (taxonomies && matches!(job, Job::Taxonomy(..))) {
                pages.push(job.path(site));
            }
        }
        pages
    }
}

impl Built {
    /// Rule 6: markdown depends on the routes. When no URL changed, only the
    /// touched documents are rendered again; else every one. Returns whether
    /// the routes are the same.
    fn render_markdown(&mut self, old_site: &Site, touched: &BTreeSet<String>) -> bool {
        let site = &self.site;
        if site.routes != old_site.routes {
            self.markdown = pipeline::render_markdown(site);
            return false;
        }
        let mut old: Vec<Option<Rendered>> = std::mem::take(&mut self.markdown)
            .into_iter()
            .map(Some)
            .collect();
        self.markdown = site
            .documents
            .iter()
            .map(|d| {
                match old_site
                    .index_of(&d.key)
                    .and_then(|i| old[i].take().zip(Some(i)))
                {
                    // Sealed or not as before: a section's `passcode:` may have changed.
                    Some((r, j))
                        if !touched.contains(&d.key) && same_protection(old_site, j, site, d) =>
                    {
                        r
                    }
                    _ => pipeline::render_document_markdown(site, d),
                }
            })
            .collect();
        true
    }

    /// The documents whose summary may have changed, when only markdown files
    /// did and no URL: a summary shows its own document and the partner it
    /// names, so those and the documents naming a changed partner (and any
    /// document new to the site, a draft published, say).
    fn changed_summaries(&self, old_site: &Site, touched: &BTreeSet<String>) -> HashSet<String> {
        let site = &self.site;
        let partners: HashSet<&str> = touched
            .iter()
            .filter(|k| k.starts_with("partners/"))
            .flat_map(|k| {
                let stem = k.rsplit('/').next().unwrap_or(k).trim_end_matches(".md");
                [old_site, site]
                    .into_iter()
                    .filter_map(|s| s.get(k).map(|d| d.slug.as_str()))
                    .chain([stem])
            })
            .collect();
        site.documents
            .iter()
            .filter(|d| {
                touched.contains(&d.key)
                    || d.partner_slug().is_some_and(|p| partners.contains(p))
                    || !self.document_prints.contains_key(&d.key)
            })
            .map(|d| d.key.clone())
            .collect()
    }

    /// Each document's prints after the change: hashed again for the
    /// documents in `again` (every document when None), kept for the others.
    fn document_prints_again(
        &self,
        word_count: bool,
        again: Option<HashSet<String>>,
    ) -> HashMap<String, DocumentPrint> {
        let only: Option<HashSet<&str>> = again
            .as_ref()
            .map(|keys| keys.iter().map(String::as_str).collect());
        let mut prints = document_prints(&self.site, &self.markdown, word_count, only.as_ref());
        if again.is_some() {
            for d in &self.site.documents {
                if let Some(old) = self.document_prints.get(&d.key) {
                    prints.entry(d.key.clone()).or_insert(*old);
                }
            }
        }
        prints
    }

    /// The summaries shared by listing pages, made again: those that did not
    /// change are the values already made.
    fn share_again(&mut self, old_site: &Site, document_prints: &HashMap<String, DocumentPrint>) {
        let old_summaries: HashMap<&str, &tera::Value> = old_site
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                self.document_prints.get(&d.key).map(|p| p.summary)
                    == document_prints.get(&d.key).map(|p| p.summary)
            })
            .map(|(i, d)| (d.key.as_str(), self.shared.summary(i)))
            .collect();
        let site = &self.site;
        let shared = Shared::reusing(site, &self.markdown, |i| {
            old_summaries
                .get(site.documents[i].key.as_str())
                .map(|v| (*v).clone())
        });
        self.shared = shared;
    }

    /// Rules 2 and 3: the pages of documents whose HTML or summary changed,
    /// and the pages that list a document whose summary changed (or that was
    /// added or removed), in the site before the change and after it.
    fn reached_pages(
        &self,
        old_site: &Site,
        document_prints: &HashMap<String, DocumentPrint>,
    ) -> HashSet<String> {
        let site = &self.site;
        let mut pages = HashSet::new();
        let mut summary_changed: BTreeSet<&str> = BTreeSet::new();
        for (i, d) in site.documents.iter().enumerate() {
            let new = document_prints[&d.key];
            match self.document_prints.get(&d.key) {
                Some(old) if *old == new => continue,
                Some(old) if old.summary == new.summary => {}
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
        for key in summary_changed {
            for s in [old_site, site] {
                if let Some(i) = s.index_of(key) {
                    pages.extend(listing_pages(s, i));
                }
            }
        }
        pages
    }
}

/// Each document's prints, by key: of every document, or
/// of those in `only`.
pub(super) fn document_prints(
    site: &Site,
    markdown: &[Rendered],
    word_count: bool,
    only: Option<&HashSet<&str>>,
) -> HashMap<String, DocumentPrint> {
    site.documents
        .par_iter()
        .enumerate()
        .filter(|(_, d)| only.is_none_or(|keys| keys.contains(d.key.as_str())))
        .map(|(i, d)| {
            let summary = render::summary_print(site, i, &markdown[i], word_count);
            let html = html_print(&markdown[i]);
            (d.key.clone(), DocumentPrint { summary, html })
        })
        .collect()
}

/// A hash of what a document's page shows of its body: its HTML, or its
/// sealed form.
pub(super) fn html_print(rendered: &Rendered) -> u64 {
    hash(&(
        &rendered.html,
        rendered.sealed.as_ref().map(|s| &s.envelope),
    ))
}

/// The summary hashes by document index.
pub(super) fn summaries(site: &Site, prints: &HashMap<String, DocumentPrint>) -> Vec<u64> {
    site.documents
        .iter()
        .map(|d| prints.get(&d.key).map_or(0, |p| p.summary))
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
    if let Some(p) = d.partner_slug().and_then(|slug| site.partner(slug)) {
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

pub(super) fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Whether document `old` of `old_site` and `d` of `site` are protected by
/// the same passcode group (or neither is).
fn same_protection(
    old_site: &Site,
    old: usize,
    site: &Site,
    d: &crate::source::document::Document,
) -> bool {
    let new = site.index_of(&d.key).and_then(|i| site.passcode_group(i));
    old_site.passcode_group(old) == new
}
