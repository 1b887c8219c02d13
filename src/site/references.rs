//! The checks of what a document names besides links: the partner of a
//! resource or event, and the files beside it (`file:`, `logo:`).
//!
//! Entry point: [`check`], pure, run by `site::assemble`.

use std::collections::HashMap;

use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::slug::slugify;
use crate::site::{Site, asset_beside};
use crate::source::document::{Document, Fields, ResourceLink};
use crate::source::frontmatter::Collection;

/// Partner references, files beside documents.
pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut partners = PartnerNames::new(site);
    for d in &site.documents {
        let source = d.yaml_source();
        if let Some(slug) = d.partner_slug()
            && site.partner(slug).is_none()
            // A partner file whose front matter cannot be read reports that.
            && !site.routes.unreadable.contains(&format!("partners/{slug}.md"))
        {
            problems.push(
                source
                    .error_at_key(format!("no partner `{slug}`"), "partner")
                    .with_hint(partners.hint(slug)),
            );
        }
        let files = match &d.fields {
            Fields::Resource(r) => match &r.link {
                ResourceLink::File(f) => vec![("file", f.as_str())],
                ResourceLink::Url(_) => vec![],
            },
            Fields::Partner(p) => p.logo.as_deref().map(|l| ("logo", l)).into_iter().collect(),
            _ => vec![],
        };
        for (field, file) in files {
            if asset_beside(site, d, file).is_none() {
                problems.push(
                    source
                        .error_at_key(format!("`{field}` names `{file}`, which is not in {}", folder_display(d)), field)
                        .with_hint("put the file in the same folder as this document and write just its name"),
                );
            }
        }
    }
    problems
}

/// The names a partner may be meant by, for "did you mean" hints: its file
/// name, its slug and its title as a slug, each leading to its file name.
struct PartnerNames<'s> {
    /// (name, partner's file name without `.md`, partner's title).
    names: Vec<(String, &'s str, &'s str)>,
    /// Hints already made, by the slug written: a typo copied into many
    /// resources compares the partners once.
    hints: HashMap<String, String>,
}

impl<'s> PartnerNames<'s> {
    /// How many different unknown partners get a suggestion; the rest get
    /// the plain hint, so that the work stays in proportion to the site.
    const SUGGESTED: usize = 100;

    fn new(site: &'s Site) -> PartnerNames<'s> {
        let mut names = Vec::new();
        for d in &site.documents {
            let Some(stem) = d
                .key
                .strip_prefix("partners/")
                .and_then(|k| k.strip_suffix(".md"))
            else {
                continue;
            };
            if d.collection() != Collection::Partner {
                continue;
            }
            let title = d.meta.title.as_str();
            for name in [stem.to_string(), d.slug.clone(), slugify(title)] {
                names.push((name, stem, title));
            }
        }
        PartnerNames {
            names,
            hints: HashMap::new(),
        }
    }

    /// The hint for a partner `slug` that does not exist.
    fn hint(&mut self, slug: &str) -> String {
        if let Some(hint) = self.hints.get(slug) {
            return hint.clone();
        }
        let near = if self.hints.len() < Self::SUGGESTED {
            let candidates = self.names.iter().map(|(name, _, _)| name.as_str());
            crate::foundation::suggest::nearest(slug, candidates)
                .and_then(|near| self.names.iter().find(|(name, _, _)| name == near))
        } else {
            None
        };
        let hint = match near {
            Some((_, stem, "")) => {
                format!("did you mean `{stem}`? Use the partner's file name without `.md`")
            }
            Some((_, stem, title)) => format!(
                "did you mean `{stem}` ({title})? Use the partner's file name without `.md`"
            ),
            None => "use the file name of a partner in content/partners/, without `.md`".into(),
        };
        self.hints.insert(slug.to_string(), hint.clone());
        hint
    }
}

fn folder_display(d: &Document) -> String {
    format!("content/{}", d.folder())
}
