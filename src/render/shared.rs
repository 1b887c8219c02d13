//! What every page shares: each document's summary as a template value,
//! made once and shared (tera values are reference-counted) by every page
//! that lists it, the collections, taxonomies and navigation, and the hashes
//! of them that tell the incremental rebuild which pages a change reaches.

use crate::foundation::collate::sort_key;
use crate::markdown::Rendered;
use crate::site::Site;
use crate::source::document::Fields;
use crate::source::frontmatter::Collection;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tera::{Context, Value};

use super::url;
use super::views::{
    Crumb, Links, NavItem, TaxonomyView, site_view, summary_value, taxonomy_view, view,
};

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
    pub(super) site: Value,
    pub(super) collections: Value,
    pub(super) taxonomies: Value,
    /// Summary of each document, by index.
    pub(super) summaries: Vec<Value>,
    /// Top-level navigation: (document index, title, url).
    pub(super) nav: Vec<(usize, String, String)>,
    /// The `nav` variable with no item current, then with each item current in
    /// turn: the only values it takes, made once rather than for every page.
    pub(super) nav_values: Vec<Value>,
    /// For each partner, the resources and the upcoming events that name it.
    pub(super) by_partner: HashMap<usize, (Vec<usize>, Vec<usize>)>,
    /// The partners directory by area: `[{name, slug, partners}]`, A–Z.
    pub(super) areas: Value,
    /// The documents in `collections` and `areas`, in order, for [`Shared::prints`].
    pub(super) listed: Vec<(String, Vec<usize>)>,
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
    pub(super) fn context(
        &self,
        site: &Site,
        document: Option<usize>,
        title: &str,
        path: &str,
    ) -> Context {
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
pub(super) struct Collections {
    /// A–Z by title, as are resources.
    pub(super) partners: Vec<usize>,
    pub(super) resources: Vec<usize>,
    /// By start; the past ones latest first.
    pub(super) upcoming: Vec<usize>,
    pub(super) past: Vec<usize>,
}

impl Collections {
    pub(super) fn new(site: &Site) -> Collections {
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
    pub(super) fn value(&self, summaries: &[Value]) -> Value {
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
    pub(super) fn into_listed(self) -> impl Iterator<Item = (String, Vec<usize>)> {
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

/// The documents of a collection, without its sections, A–Z by title (without
/// regard to case or accents: [`sort_key`]).
pub(super) fn members(site: &Site, collection: Collection) -> Vec<usize> {
    let mut members: Vec<usize> = (0..site.documents.len())
        .filter(|&i| {
            let d = &site.documents[i];
            d.collection() == collection && !d.is_section
        })
        .collect();
    members.sort_by_cached_key(|&i| sort_key(&site.documents[i].meta.title));
    members
}

/// The summaries of the documents `indexes`, as a list value.
pub(super) fn listing(summaries: &[Value], indexes: &[usize]) -> Value {
    Value::from(
        indexes
            .iter()
            .map(|&i| summaries[i].clone())
            .collect::<Vec<_>>(),
    )
}

/// The partners directory's `areas` (`[{name, slug, partners}]`, A–Z), and
/// the partners of each area by name, for [`Shared::prints`].
pub(super) fn areas(
    site: &Site,
    partners: &[usize],
    summaries: &[Value],
) -> (Value, Vec<(String, Vec<usize>)>) {
    // By sort key, then name: "peterborough" and "Peterborough" stay apart
    // but side by side.
    let mut areas: BTreeMap<(String, &str), Vec<usize>> = BTreeMap::new();
    for &i in partners {
        if let Fields::Partner(p) = &site.documents[i].fields {
            for area in &p.areas {
                let key = (sort_key(area), area.as_str());
                areas.entry(key).or_default().push(i);
            }
        }
    }
    let value = areas
        .iter()
        .map(|((_, name), members)| {
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
        .map(|((_, name), members)| (format!("area {name}"), members))
        .collect();
    (Value::from(value), members)
}

/// For each partner, the resources and the upcoming events that name it.
pub(super) fn by_partner(
    site: &Site,
    collections: &Collections,
) -> HashMap<usize, (Vec<usize>, Vec<usize>)> {
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
pub(super) fn nav(site: &Site) -> Vec<(usize, String, String)> {
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
pub(super) fn nav_values(nav: &[(usize, String, String)]) -> Vec<Value> {
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

/// Adds entries to a map value.
pub(super) fn merge<const N: usize>(map: Value, entries: [(&str, Value); N]) -> Value {
    let mut map = map.into_map().unwrap_or_default();
    for (k, v) in entries {
        map.insert(k.to_string().into(), v);
    }
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::dates::DateTime;
    use crate::pipeline;
    use tera::value::Key;

    /// The example site: partners, resources and events naming them, terms.
    fn example() -> pipeline::Loaded {
        let options = pipeline::Options {
            root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            output: std::env::temp_dir().join("bounce-render-tests-unused"),
            base_url: None,
            drafts: false,
            build_date: DateTime::from_unix_seconds(1_790_000_000),
            protection: pipeline::Protection::Preview,
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
