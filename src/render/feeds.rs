//! The files beside the pages: `sitemap.xml`, `robots.txt`, the Atom `feed.xml`
//! and redirect pages for aliases.
//!
//! Entry point: [`render_extras`], pure: from the assembled site to output files.
//! These are fixed formats, so they are written here rather than by the theme.

use crate::render::file::OutputFile;
use crate::site::Site;
use crate::source::document::Document;

/// How many documents the Atom feed lists.
const FEED_LENGTH: usize = 20;

/// The paths [`render_extras`] writes, without making the files.
pub(crate) fn extra_paths(site: &Site) -> Vec<String> {
    let fixed = ["sitemap.xml", "robots.txt", "feed.xml"].map(String::from);
    let aliases = site
        .documents
        .iter()
        .flat_map(|d| d.meta.aliases.iter().map(|a| alias_path(a)));
    fixed.into_iter().chain(aliases).collect()
}

/// Where the redirect page for an alias is written.
fn alias_path(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    if path.ends_with(".html") || path.ends_with(".htm") {
        path.to_string()
    } else {
        format!("{}/index.html", path.trim_end_matches('/'))
    }
}

pub(crate) fn render_extras(site: &Site) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::text("sitemap.xml", sitemap(site)),
        OutputFile::text("robots.txt", robots(site)),
        OutputFile::text("feed.xml", feed(site)),
    ];
    files.extend(redirects(site));
    files
}

fn sitemap(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for d in &site.documents {
        xml.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n",
            escape(&absolute(base, &d.url))
        ));
        if let Some(date) = d.last_changed() {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", date.date_only()));
        }
        xml.push_str("  </url>\n");
    }
    for t in &site.taxonomies {
        for url in std::iter::once(&t.url).chain(t.terms.iter().map(|term| &term.url)) {
            xml.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n  </url>\n",
                escape(&absolute(base, url))
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}

fn feed(site: &Site) -> String {
    let mut dated: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| !d.is_section && d.last_changed().is_some())
        .collect();
    dated.sort_by(|a, b| {
        b.last_changed()
            .cmp(&a.last_changed())
            .then_with(|| a.key.cmp(&b.key))
    });
    dated.truncate(FEED_LENGTH);
    let base = &site.config.base_url;
    let updated = dated
        .first()
        .and_then(|d| d.last_changed())
        .unwrap_or(site.build_date);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape(&site.config.language),
        escape(&site.config.title)
    );
    if let Some(description) = &site.config.description {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(description)));
    }
    xml.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        escape(&format!("{base}feed.xml")),
        escape(base),
        escape(base),
        atom_time(updated),
        escape(&site.config.title)
    ));
    for d in dated {
        let link = escape(&absolute(base, &d.url));
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{}</updated>\n",
            escape(&d.meta.title),
            atom_time(d.last_changed().unwrap_or(site.build_date)),
        ));
        if let Some(summary) = &d.meta.summary {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn atom_time(date: crate::foundation::dates::DateTime) -> String {
    let (h, m) = date.time.unwrap_or((0, 0));
    format!("{}T{h:02}:{m:02}:00Z", date.date_only())
}

/// A small page at each alias that sends readers (and search engines) on.
fn redirects(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for d in &site.documents {
        let target = format!("{}{}", site.config.base_path, d.url);
        let canonical = format!("{}{}", site.config.base_url, d.url);
        for alias in &d.meta.aliases {
            let path = alias_path(alias);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
                lang = escape(&site.config.language),
                title = escape(&d.meta.title),
                canonical = escape(&canonical),
                target = escape(&target),
            );
            files.push(OutputFile::text(path, html));
        }
    }
    files
}

/// The absolute URL of a page, with characters outside ASCII percent-encoded as
/// sitemaps and feeds require.
fn absolute(base_url: &str, path: &str) -> String {
    let mut url = String::from(base_url);
    for c in path.chars() {
        if c.is_ascii() && c != ' ' {
            url.push(c);
        } else {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    url
}

/// Escapes text for XML and HTML attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_are_ascii() {
        assert_eq!(
            absolute("https://x.example/hs/", "café/"),
            "https://x.example/hs/caf%C3%A9/"
        );
        assert_eq!(escape("a & <b>"), "a &amp; &lt;b&gt;");
    }
}
