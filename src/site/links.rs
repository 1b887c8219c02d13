//! Where links in markdown go.
//!
//! Entry point: [`Routes::resolve`]. Editors link to source files, relative
//! (`../partners/nspcc.md`, `policy.md#section`) or site-rooted
//! (`@/partners/nspcc.md`); those become the target's URL under the base path.
//! Relative links to other files (`policy.pdf`) become the copied file's URL.
//! Root-relative URLs (`/partners/nspcc/`) get the base path and must exist.
//! Web addresses pass unchanged; `javascript:` and similar are refused.

use std::collections::{HashMap, HashSet};

use crate::foundation::suggest::nearest;
use crate::markdown::{LinkProblem, Resolved};
use crate::source::images::Images;

/// Everything a link can point at.
#[derive(Debug, Default, PartialEq)]
pub struct Routes {
    pub base_path: String,
    /// Document key → output URL (relative, `partners/nspcc/`).
    pub documents: HashMap<String, String>,
    /// Keys of the files under `content/` that are copied as they are.
    pub assets: HashSet<String>,
    /// Their sizes in bytes, to describe links to them (`PDF, 24 KB`).
    pub asset_sizes: HashMap<String, u64>,
    /// The images among them: their sizes and published widths, and why
    /// those that cannot be read cannot.
    pub images: Images,
    /// Every output URL path without the base path (`partners/nspcc/`,
    /// `topics/resilience/`, `feed.xml`, `style.css`).
    pub urls: HashSet<String>,
    /// Keys of documents left out of this build (drafts), for a better message.
    pub drafts: HashSet<String>,
    /// Keys of markdown files that have errors of their own. Links to them are
    /// not reported: the file's own errors are what to fix, and a popular page
    /// with a typo in its front matter would otherwise bury that error under one
    /// broken link per page that links to it.
    pub unreadable: HashSet<String>,
    /// While some files are unreadable: the URL of every term page there
    /// would be if a document had the term (`topics/bullying/`). A link to
    /// one is not reported then, as the unreadable files may have the term.
    pub possible_terms: HashSet<String>,
}

const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms", "ftp", "ftps"];

impl Routes {
    /// Resolves `dest` as written in the document `from_key`. A link to a
    /// page that does not exist gets a "did you mean" hint if `suggest` (the
    /// search compares every page: a file of thousands of broken links asks
    /// for it only for the problems a report shows).
    pub fn resolve(
        &self,
        from_key: &str,
        dest: &str,
        suggest: bool,
    ) -> Result<Resolved, LinkProblem> {
        let dest = dest.trim();
        if let Some(scheme) = scheme(dest) {
            if SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
                return Ok(unchanged(dest));
            }
            return Err(LinkProblem {
                message: format!("links with `{scheme}:` are not allowed"),
                hint: "link to a web page with https://, or to a file of the site".into(),
            });
        }
        if dest.starts_with("//") {
            return Ok(unchanged(dest));
        }
        let (path, suffix) = split_suffix(dest);
        let (path_part, fragment) = match suffix.strip_prefix('#') {
            Some(f) => (path, Some(f)),
            None => (path, None),
        };
        if path_part.is_empty() && matches!(fragment, None | Some("")) {
            // `#` alone is the top of the page; `?x` alone keeps the page.
            return Ok(unchanged(dest));
        }
        if path_part.is_empty() {
            return Ok(Resolved {
                href: dest.to_string(),
                fragment: fragment.map(|f| (from_key.to_string(), f.to_string())),
                attachment: None,
                picture: None,
            });
        }
        // Keys are in NFC (see `discover`), whichever form the editor typed.
        let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
        let decoded = crate::foundation::slug::nfc(&decoded).into_owned();
        if let Some(rooted) = decoded.strip_prefix("@/") {
            let link = Link {
                key: &normalize("", rooted)?,
                suffix,
                fragment,
                written_from: None,
            };
            return self.source_file(&link, suggest);
        }
        if let Some(url) = decoded.strip_prefix('/') {
            return self.site_url(url, suffix, suggest);
        }
        let folder = crate::source::document::folder_of(from_key);
        let link = Link {
            key: &normalize(folder, &decoded)?,
            suffix,
            fragment,
            written_from: Some(folder),
        };
        self.source_file(&link, suggest)
    }

    fn source_file(&self, link: &Link, suggest: bool) -> Result<Resolved, LinkProblem> {
        let Link {
            key,
            suffix,
            fragment,
            ..
        } = *link;
        if let Some(url) = self.documents.get(key) {
            return Ok(Resolved {
                href: format!("{}{url}{suffix}", self.base_path),
                fragment: fragment.map(|f| (key.to_string(), f.to_string())),
                attachment: None,
                picture: None,
            });
        }
        if self.assets.contains(key) {
            if let Some(why) = self.images.problems.get(key) {
                return Err(LinkProblem {
                    message: format!("content/{key} cannot be published: {why}"),
                    hint: "open the image in an image editor and save it again, or replace it"
                        .into(),
                });
            }
            let size = self.asset_sizes.get(key);
            return Ok(Resolved {
                attachment: size
                    .and_then(|&size| crate::foundation::attachment::describe(key, size)),
                picture: self.images.pictures.get(key).cloned(),
                ..unchanged(&format!("{}{key}{suffix}", self.base_path))
            });
        }
        let index = crate::source::discover::join(key.trim_end_matches('/'), "_index.md");
        if let Some(url) = self.documents.get(&index) {
            return Ok(Resolved {
                href: format!("{}{url}{suffix}", self.base_path),
                fragment: fragment.map(|f| (index, f.to_string())),
                attachment: None,
                picture: None,
            });
        }
        if self.unreadable.contains(key) {
            let page = key.strip_suffix(".md").unwrap_or(key);
            let page = page.strip_suffix("_index").unwrap_or(page);
            let page = if page.is_empty() || page.ends_with('/') {
                page.to_string()
            } else {
                format!("{page}/")
            };
            return Ok(unchanged(&format!("{}{page}{suffix}", self.base_path)));
        }
        if self.drafts.contains(key) {
            return Err(LinkProblem {
                message: format!("link to `{key}`, which is a draft"),
                hint: "publish it (remove `draft: true`), or build with --drafts to preview".into(),
            });
        }
        let known = self
            .documents
            .keys()
            .chain(self.assets.iter())
            .map(String::as_str);
        let hint = match nearest(key, known.filter(|_| suggest)) {
            Some(near) => format!(
                "did you mean `{}{suffix}`? Paths are relative to this file's folder, or start with `@/` for content/",
                link.written(near)
            ),
            None => "paths are relative to this file's folder, or start with `@/` for the content folder".into(),
        };
        Err(LinkProblem {
            message: format!("link to `content/{key}`, which does not exist"),
            hint,
        })
    }

    fn site_url(&self, url: &str, suffix: &str, suggest: bool) -> Result<Resolved, LinkProblem> {
        let with_slash = if url.is_empty() || url.ends_with('/') || url.contains('.') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        let known = url.is_empty()
            || self.possible_terms.contains(&with_slash)
            || self.urls.contains(&with_slash)
            || self.urls.contains(url)
            || self.urls.contains(&format!("{url}index.html"));
        if known {
            return Ok(unchanged(&format!(
                "{}{with_slash}{suffix}",
                self.base_path
            )));
        }
        let known = self.urls.iter().map(String::as_str);
        let hint = match nearest(&with_slash, known.filter(|_| suggest)) {
            Some(near) => format!(
                "did you mean `/{near}`? Or link to the source file, e.g. `@/partners/nspcc.md`"
            ),
            None => "link to the source file instead, e.g. `@/partners/nspcc.md`".into(),
        };
        Err(LinkProblem {
            message: format!("link to `/{url}`, which is not a page of this site"),
            hint,
        })
    }
}

/// A link to a file under `content/`, resolved to its key.
struct Link<'a> {
    key: &'a str,
    /// The `?query#fragment` part, as written.
    suffix: &'a str,
    fragment: Option<&'a str>,
    /// The folder a relative link was written from; None for `@/` links.
    written_from: Option<&'a str>,
}

impl Link<'_> {
    /// `key` as this link would have to be written to reach it, so that a
    /// suggestion pasted in place of the link fixes it: relative from the
    /// linking file's folder (`../resources/x.md`), or `@/resources/x.md`.
    /// Spaces are written `%20`, which markdown link targets cannot hold.
    fn written(&self, key: &str) -> String {
        let path = match self.written_from {
            None => format!("@/{key}"),
            Some(folder) => relative(folder, key),
        };
        path.replace(' ', "%20")
    }
}

/// The path from `folder` (a key ending in `/`, or `""`) to `key`.
fn relative(folder: &str, key: &str) -> String {
    let from: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = key.split('/').collect();
    let shared = from
        .iter()
        .zip(&to[..to.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let ups = "../".repeat(from.len() - shared);
    format!("{ups}{}", to[shared..].join("/"))
}

fn unchanged(href: &str) -> Resolved {
    Resolved {
        href: href.to_string(),
        fragment: None,
        attachment: None,
        picture: None,
    }
}

/// The scheme of an absolute URL (`https` of `https://x`), if any.
fn scheme(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let is_scheme = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    // Browsers ignore tabs and newlines inside a scheme ("java\tscript:").
    let squeezed: String = scheme.chars().filter(|c| !c.is_whitespace()).collect();
    if is_scheme {
        Some(scheme)
    } else if !squeezed.is_empty() && squeezed.chars().all(|c| c.is_ascii_alphanumeric()) {
        Some(scheme.trim())
    } else {
        None
    }
}

/// Splits `path?query#fragment` into the path and the rest (kept as written).
fn split_suffix(dest: &str) -> (&str, &str) {
    match dest.find(['?', '#']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

/// Joins `relative` onto `folder` (both under content/), resolving `.` and `..`.
fn normalize(folder: &str, relative: &str) -> Result<String, LinkProblem> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(LinkProblem {
                        message: format!("link `{relative}` goes above the content folder"),
                        hint: "remove a `../`, or start the path with `@/` for the content folder"
                            .into(),
                    });
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Ok(if relative.ends_with('/') && !joined.is_empty() {
        format!("{joined}/")
    } else {
        joined
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        let mut r = Routes {
            base_path: "/hs/".into(),
            ..Routes::default()
        };
        r.documents
            .insert("partners/nspcc.md".into(), "partners/nspcc/".into());
        r.documents
            .insert("guidance/_index.md".into(), "guidance/".into());
        r.documents
            .insert("guidance/policy.md".into(), "guidance/policy/".into());
        r.assets.insert("guidance/policy guide.pdf".into());
        r.urls.extend([
            "partners/nspcc/".to_string(),
            "topics/resilience/".to_string(),
        ]);
        r
    }

    fn href(from: &str, dest: &str) -> String {
        routes().resolve(from, dest, true).expect("resolves").href
    }

    #[test]
    fn source_links_become_urls_under_the_base_path() {
        assert_eq!(
            href("guidance/policy.md", "../partners/nspcc.md"),
            "/hs/partners/nspcc/"
        );
        assert_eq!(
            href("guidance/policy.md", "@/partners/nspcc.md#contact"),
            "/hs/partners/nspcc/#contact"
        );
        assert_eq!(
            href("guidance/policy.md", "policy%20guide.pdf"),
            "/hs/guidance/policy guide.pdf"
        );
        assert_eq!(href("a.md", "guidance/"), "/hs/guidance/");
        assert_eq!(
            href("a.md", "/topics/resilience/"),
            "/hs/topics/resilience/"
        );
        assert_eq!(
            href("a.md", "https://www.nspcc.org.uk/"),
            "https://www.nspcc.org.uk/"
        );
    }

    #[test]
    fn fragments_are_recorded_for_checking() {
        let r = routes()
            .resolve("guidance/policy.md", "#scope", true)
            .expect("same page");
        assert_eq!(
            r.fragment,
            Some(("guidance/policy.md".into(), "scope".into()))
        );
        let r = routes()
            .resolve("a.md", "guidance/policy.md#scope", true)
            .expect("other page");
        assert_eq!(
            r.fragment,
            Some(("guidance/policy.md".into(), "scope".into()))
        );
    }

    #[test]
    fn missing_targets_suggest_the_nearest() {
        let p = routes()
            .resolve("guidance/policy.md", "../partners/nspc.md", true)
            .expect_err("typo");
        assert_eq!(
            p.message,
            "link to `content/partners/nspc.md`, which does not exist"
        );
        assert!(
            p.hint.starts_with("did you mean `../partners/nspcc.md`?"),
            "{}",
            p.hint
        );
        let p = routes()
            .resolve("a.md", "../../x.md", true)
            .expect_err("above root");
        assert!(p.message.contains("goes above the content folder"));
        let p = routes()
            .resolve("a.md", "/nowhere/", true)
            .expect_err("unknown url");
        assert_eq!(
            p.message,
            "link to `/nowhere/`, which is not a page of this site"
        );
    }

    #[test]
    fn suggestions_are_written_as_the_link_was() {
        let hint = |from: &str, dest: &str| {
            let p = routes().resolve(from, dest, true).expect_err("typo");
            let near = p.hint.split('`').nth(1).map(str::to_string);
            near.expect("a suggestion")
        };
        assert_eq!(hint("guidance/policy.md", "polcy.md"), "policy.md");
        assert_eq!(
            hint("a/b/c.md", "../../partners/nspc.md#x"),
            "../../partners/nspcc.md#x"
        );
        assert_eq!(hint("about.md", "partners/nspc.md"), "partners/nspcc.md");
        assert_eq!(
            hint("guidance/policy.md", "@/partner/nspcc.md"),
            "@/partners/nspcc.md"
        );
        assert_eq!(
            hint("guidance/x.md", "policy guid.pdf"),
            "policy%20guide.pdf"
        );
    }

    #[test]
    fn script_urls_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(routes().resolve("a.md", bad, true).is_err(), "{bad}");
        }
        assert!(routes().resolve("a.md", "mailto:a@b.org", true).is_ok());
        assert!(routes().resolve("a.md", "tel:08001111", true).is_ok());
    }
}
