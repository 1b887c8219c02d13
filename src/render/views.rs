//! The values templates receive: views of the site, its documents, terms
//! and partners, serialised as `themes/README.md` documents them.

use crate::foundation::attachment;
use crate::foundation::collate::sort_key;
use crate::markdown::picture::{self, Shown};
use crate::markdown::{Heading, Rendered};
use crate::site::{Site, Taxonomy, asset_beside, terms_of};
use crate::source::branding::{Brand, Organisation, logo_path, site_link};
use crate::source::config::Config;
use crate::source::document::{Document, Fields, RESOURCE_KINDS, ResourceLink};
use crate::source::frontmatter::Collection;
use serde::Serialize;
use std::collections::HashMap;
use tera::Value;
use tera::value::Key;

use super::url;

#[derive(Serialize)]
pub(super) struct NavItem<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct Crumb<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct TermLink<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) base_path: &'a str,
    pub(super) feed_url: String,
    pub(super) feedback_url: Option<&'a str>,
    pub(super) help: &'a [crate::source::config::HelpContact],
    pub(super) topics: Vec<TermLink<'a>>,
    pub(super) build_date: String,
    pub(super) extra: &'a serde_json::Value,
    pub(super) organisation: Option<&'a Organisation>,
    pub(super) logo: Option<LogoView<'a>>,
    pub(super) brand: &'a Brand,
    pub(super) footer: FooterView<'a>,
    pub(super) notice: Option<NoticeView<'a>>,
}

#[derive(Serialize)]
pub(super) struct LogoView<'a> {
    pub(super) url: String,
    pub(super) alt: &'a str,
}

#[derive(Serialize)]
pub(super) struct LinkView<'a> {
    pub(super) text: &'a str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct FooterView<'a> {
    pub(super) links: Vec<LinkView<'a>>,
    pub(super) licence: Option<&'a str>,
    pub(super) licence_url: Option<String>,
    pub(super) copyright: Option<String>,
}

#[derive(Serialize)]
pub(super) struct NoticeView<'a> {
    pub(super) text: &'a str,
    pub(super) url: Option<String>,
    pub(super) link_text: &'a str,
}

/// The branding keys of site.yaml as templates see them: links within the
/// site under the base path, the copyright line by default the organisation's.
fn branding_view(c: &Config) -> (Option<LogoView<'_>>, FooterView<'_>, Option<NoticeView<'_>>) {
    let b = &c.branding;
    let link = |url: &str| site_link(&c.base_path, url);
    let logo = b.logo.as_ref().map(|l| LogoView {
        url: format!("{}{}", c.base_path, logo_path(l)),
        alt: &l.alt,
    });
    let footer = FooterView {
        links: b
            .footer
            .links
            .iter()
            .map(|l| LinkView {
                text: &l.text,
                url: link(&l.url),
            })
            .collect(),
        licence: b.footer.licence.as_deref(),
        licence_url: b.footer.licence_url.as_deref().map(link),
        copyright: b.footer.copyright.clone().or_else(|| {
            b.organisation
                .as_ref()
                .map(|o| format!("\u{a9} {}", o.name))
        }),
    };
    let notice = b.notice.as_ref().map(|n| NoticeView {
        text: &n.text,
        url: n.url.as_deref().map(link),
        link_text: n.link_text.as_deref().unwrap_or("tell us what you think"),
    });
    (logo, footer, notice)
}

pub(super) fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    let (logo, footer, notice) = branding_view(c);
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
        organisation: c.branding.organisation.as_ref(),
        logo,
        brand: &c.branding.brand,
        footer,
        notice,
    }
}

#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
}

pub(super) fn term_view<'a>(site: &Site, term: &'a crate::site::Term) -> TermView<'a> {
    TermView {
        slug: &term.slug,
        title: &term.title,
        url: url(site, &term.url),
        count: term.documents.len(),
    }
}

#[derive(Serialize)]
pub(super) struct TaxonomyView<'a> {
    pub(super) name: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) terms: Vec<TermView<'a>>,
}

pub(super) fn taxonomy_view<'a>(site: &Site, taxonomy: &'a Taxonomy) -> TaxonomyView<'a> {
    TaxonomyView {
        name: taxonomy.name,
        title: taxonomy.title,
        url: url(site, &taxonomy.url),
        terms: taxonomy.terms.iter().map(|t| term_view(site, t)).collect(),
    }
}

#[derive(Serialize)]
pub(super) struct PartnerLink<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) url: String,
}

/// What a page shows of a passcode-protected document besides its summary.
#[derive(Serialize)]
pub(super) struct ProtectedView<'a> {
    pub(super) group: &'a str,
    /// site.yaml's `ask` for the group.
    pub(super) ask: Option<&'a str>,
    /// On the document's own page, the sealed body: the JSON that
    /// `passcode.js` reads. None in `bounce serve`'s preview, which shows
    /// the page unlocked.
    pub(super) sealed: Option<&'a str>,
}

/// A document as templates see it (see themes/README.md).
pub(super) struct DocumentView<'a> {
    pub(super) key: &'a str,
    pub(super) collection: &'static str,
    pub(super) is_section: bool,
    pub(super) title: &'a str,
    /// The title folded for sorting (see `crate::foundation::collate`).
    pub(super) sort_key: String,
    pub(super) summary: Option<&'a str>,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) date: Option<String>,
    pub(super) updated: Option<String>,
    pub(super) review_by: Option<String>,
    pub(super) weight: Option<i64>,
    pub(super) draft: bool,
    pub(super) sensitive: bool,
    pub(super) topics: Vec<TermLink<'a>>,
    pub(super) audiences: Vec<TermLink<'a>>,
    pub(super) key_stages: Vec<TermLink<'a>>,
    pub(super) aliases: &'a [String],
    pub(super) extra: &'a serde_json::Value,
    pub(super) word_count: usize,
    /// Only on the document's own page.
    pub(super) content: Option<&'a str>,
    pub(super) toc: Option<&'a [Heading]>,
    /// For a passcode-protected document, its group and how to get a passcode.
    pub(super) protected: Option<ProtectedView<'a>>,
    /// Beside the fields above, not under a key of their own.
    pub(super) fields: FieldsView<'a>,
}

// Written out rather than derived with `#[serde(flatten)]`: flattening makes a
// map of the view, and a map's keys are copied into every document's template
// value, where a struct's are shared.
impl Serialize for DocumentView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("DocumentView", 33)?;
        s.serialize_field("key", self.key)?;
        s.serialize_field("collection", self.collection)?;
        s.serialize_field("is_section", &self.is_section)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("sort_key", &self.sort_key)?;
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
        s.serialize_field("protected", &self.protected)?;
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
    pub(super) fn serialize_into<S: serde::ser::SerializeStruct>(
        &self,
        s: &mut S,
    ) -> Result<(), S::Error> {
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
                logo_html,
            } => {
                s.serialize_field("website", website)?;
                s.serialize_field("email", email)?;
                s.serialize_field("phone", phone)?;
                s.serialize_field("address", address)?;
                s.serialize_field("areas", areas)?;
                s.serialize_field("cost", cost)?;
                s.serialize_field("logo", logo)?;
                s.serialize_field("logo_alt", logo_alt)?;
                s.serialize_field("logo_html", logo_html)?;
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

pub(super) enum FieldsView<'a> {
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
        /// The logo's `<picture>` (or `<img>`), with its size.
        logo_html: Option<String>,
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
pub(super) const TERM_KEYS: [&str; 3] = ["topics", "audiences", "key_stages"];

/// The link to each term and each partner as a template value, made once and
/// shared by every summary that shows it (template values are
/// reference-counted), rather than made again in each of thousands.
pub(super) struct Links {
    /// By taxonomy, then term.
    pub(super) terms: Vec<Vec<Value>>,
    /// By the partner's document key.
    pub(super) partners: HashMap<String, Value>,
}

impl Links {
    pub(super) fn new(site: &Site) -> Links {
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
pub(super) fn summary_value(site: &Site, i: usize, rendered: &Rendered, links: &Links) -> Value {
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
        // In the taxonomy's (A–Z) order, as in the document's own view.
        let mut positions: Vec<usize> = terms_of(d, t.name)
            .iter()
            .filter_map(|value| t.terms.iter().position(|term| &term.value == value))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        let shared: Vec<Value> = positions
            .into_iter()
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

pub(super) fn term_link<'a>(site: &Site, term: &'a crate::site::Term) -> TermLink<'a> {
    TermLink {
        slug: &term.slug,
        title: &term.title,
        url: url(site, &term.url),
    }
}

pub(super) fn partner_link<'a>(site: &Site, p: &'a Document) -> PartnerLink<'a> {
    PartnerLink {
        slug: &p.slug,
        title: &p.meta.title,
        url: url(site, &p.url),
    }
}

pub(super) fn view<'a>(
    site: &'a Site,
    i: usize,
    rendered: &'a Rendered,
    full: bool,
) -> DocumentView<'a> {
    let d = &site.documents[i];
    let terms = |taxonomy: usize| -> Vec<TermLink<'a>> {
        let t = &site.taxonomies[taxonomy];
        let values = terms_of(d, t.name);
        t.terms
            .iter()
            .filter(|term| values.contains(&term.value))
            .map(|term| term_link(site, term))
            .collect()
    };
    DocumentView {
        key: &d.key,
        collection: d.collection().name(),
        is_section: d.is_section,
        title: &d.meta.title,
        sort_key: sort_key(&d.meta.title),
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
        // A sealed body's headings are kept for `#fragment` checks, not shown.
        toc: full.then_some(match rendered.sealed {
            Some(_) => &[],
            None => rendered.toc.as_slice(),
        }),
        protected: site.passcode_group(i).map(|group| ProtectedView {
            group,
            ask: site
                .config
                .passcode_group(group)
                .and_then(|g| g.ask.as_deref()),
            sealed: rendered
                .sealed
                .as_ref()
                .filter(|_| full)
                .map(|s| s.envelope.as_str()),
        }),
        fields: match (fields_view(site, d), &rendered.sealed) {
            // A sealed file's name and address are in its sealed body only.
            (
                FieldsView::Resource {
                    file_name: Some(_),
                    kind,
                    kind_title,
                    file_type,
                    file_size,
                    publisher,
                    published,
                    partner,
                    access,
                    cost,
                    ..
                },
                Some(_),
            ) => FieldsView::Resource {
                kind,
                kind_title,
                resource_url: String::new(),
                file_name: None,
                file_type,
                file_size,
                publisher,
                published,
                partner,
                access,
                cost,
            },
            (fields, _) => fields,
        },
    }
}

pub(super) fn fields_view<'a>(site: &'a Site, d: &'a Document) -> FieldsView<'a> {
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
            logo_html: logo_html(site, d, p),
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

/// A partner's logo as a `<picture>` at the logo's size in the theme
/// (`.partner-logo img`: at most 6rem high, about 10rem wide).
fn logo_html(site: &Site, d: &Document, p: &crate::source::document::Partner) -> Option<String> {
    let asset = asset_beside(site, d, p.logo.as_deref()?)?;
    let href = url(site, &asset.key);
    Some(picture::markup(&Shown {
        href: &href,
        picture: site.routes.images.pictures.get(&asset.key),
        alt: p.logo_alt.as_deref().unwrap_or(""),
        title: "",
        lazy: false,
        sizes: "10rem",
    }))
}
