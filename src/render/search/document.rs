//! One document as the index reads it: its words, each with the field it is
//! most important in and the section where it first occurs, and its record
//! (what the search page shows of it), compressed.
//!
//! Entry point: [`read`]. This is the work done per document, in parallel,
//! and what `bounce watch` keeps between rebuilds (`search::Cache`).

use crate::markdown::Rendered;
use crate::render::search::text::visible_text;
use crate::render::search::words::{Field, Terms, Vocabulary, terms};
use crate::site::Site;
use crate::source::document::{Document, Fields};

/// A document read for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Indexed {
    /// Its words, by their numbers in the [`Vocabulary`]; a word's section
    /// is 0 before the first heading, then 1, 2, ... after each.
    pub(crate) terms: Terms,
    /// The record's JSON, raw-deflated: `{"u": url, "t": title, "s":
    /// summary, "h": [[heading id, heading text]], "x": [text of each
    /// section]}`.
    pub(crate) record: Vec<u8>,
}

/// A section of a page's body: the heading that opens it and its text.
struct Section {
    id: String,
    heading: String,
    text: String,
}

/// Reads one document. A passcode-protected document gives only its public
/// title and summary: its body is neither indexed nor in its record.
pub(crate) fn read(
    site: &Site,
    vocabulary: &Vocabulary,
    d: &Document,
    rendered: &Rendered,
) -> Indexed {
    let protected = d.meta.passcode.is_some() || rendered.sealed.is_some();
    let sections = if protected {
        Vec::new()
    } else {
        sections(&rendered.html)
    };
    let summary = d.meta.summary.as_deref().unwrap_or_default();
    let terms = terms(vocabulary, |terms| {
        terms.add(&d.meta.title, Field::Title, 0);
        terms.add(summary, Field::Heading, 0);
        for name in names(site, d) {
            terms.add(name, Field::Heading, 0);
        }
        for (i, s) in sections.iter().enumerate() {
            let at = u16::try_from(i).unwrap_or(u16::MAX);
            terms.add(&s.heading, Field::Heading, at);
            terms.add(&s.text, Field::Body, at);
        }
    });
    Indexed {
        terms,
        record: record(d, summary, &sections),
    }
}

/// The names a document lists that readers search for: a resource's or an
/// event's partner, a resource's publisher, an event's location.
fn names<'s>(site: &'s Site, d: &'s Document) -> Vec<&'s str> {
    let mut names = Vec::new();
    if let Some(partner) = d.partner_slug().and_then(|slug| site.partner(slug)) {
        names.push(partner.meta.title.as_str());
    }
    match &d.fields {
        Fields::Resource(r) => names.extend(r.publisher.as_deref()),
        Fields::Event(e) => names.extend(e.location.as_deref()),
        Fields::Page | Fields::Partner(_) => {}
    }
    names
}

/// The body's sections: the text before the first heading, then each heading
/// with an `id` and the text up to the next.
fn sections(html: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut current = Section {
        id: String::new(),
        heading: String::new(),
        text: String::new(),
    };
    let mut rest = html;
    while let Some((before, id, heading, after)) = next_heading(rest) {
        current.text = visible_text(before);
        sections.push(current);
        current = Section {
            id: id.to_string(),
            heading: visible_text(heading),
            text: String::new(),
        };
        rest = after;
    }
    current.text = visible_text(rest);
    sections.push(current);
    sections
}

/// The next `<hN id="...">...</hN>` of `html`: the HTML before it, its id,
/// its inner HTML and the HTML after it.
fn next_heading(html: &str) -> Option<(&str, &str, &str, &str)> {
    let mut from = 0;
    loop {
        let at = from + html[from..].find("<h")?;
        from = at + 2;
        let level = html.as_bytes().get(at + 2).copied()?;
        if !(b'1'..=b'6').contains(&level) || !html[at + 3..].starts_with(" id=\"") {
            continue;
        }
        let id_start = at + 8;
        let id_end = id_start + html[id_start..].find('"')?;
        let open_end = id_end + html[id_end..].find('>')? + 1;
        let close = format!("</h{}>", char::from(level));
        let close_at = open_end + html[open_end..].find(&close)?;
        let id = &html[id_start..id_end];
        return Some((
            &html[..at],
            id,
            &html[open_end..close_at],
            &html[close_at + close.len()..],
        ));
    }
}

thread_local! {
    /// One compressor per thread: a compressor holds a few hundred kilobytes
    /// of tables, and making one per record cost more (page faults, on every
    /// core) than compressing.
    static DEFLATE: std::cell::RefCell<libdeflater::Compressor> = std::cell::RefCell::new(
        libdeflater::Compressor::new(libdeflater::CompressionLvl::new(1).unwrap_or_default()),
    );
}

/// `bytes` raw-deflated (no zlib header), as `DecompressionStream("deflate-raw")` reads.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    DEFLATE.with(|compress| {
        let mut compress = compress.borrow_mut();
        let mut out = vec![0; compress.deflate_compress_bound(bytes.len())];
        let written = compress
            .deflate_compress(bytes, &mut out)
            .expect("the bound leaves room for any input");
        out.truncate(written);
        out.shrink_to_fit();
        out
    })
}

/// The record's JSON, raw-deflated. The fastest compression level: the
/// records are most of the bytes the index writes, and level 1 makes them
/// nearly three times smaller for a fraction of the time the default takes.
fn record(d: &Document, summary: &str, sections: &[Section]) -> Vec<u8> {
    /// The record as the script reads it; borrowed, so that no section's
    /// text is copied on its way to JSON.
    #[derive(serde::Serialize)]
    struct Record<'a> {
        u: &'a str,
        t: &'a str,
        s: &'a str,
        h: Vec<[&'a str; 2]>,
        x: Vec<&'a str>,
    }
    let record = Record {
        u: &d.url,
        t: &d.meta.title,
        s: summary,
        h: sections
            .iter()
            .skip(1)
            .map(|s| [s.id.as_str(), s.heading.as_str()])
            .collect(),
        x: sections.iter().map(|s| s.text.as_str()).collect(),
    };
    let text = serde_json::to_vec(&record).expect("a record is strings only");
    deflate(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_headings_with_ids() {
        let html = "<p>Intro &amp; more</p>\n<h2 id=\"first\">First <em>one</em></h2>\n<p>a</p><h3>no id</h3><h3 id=\"b\">B</h3><p>b  c</p>";
        let found: Vec<(String, String, String)> = sections(html)
            .into_iter()
            .map(|s| (s.id, s.heading, s.text))
            .collect();
        assert_eq!(
            found,
            [
                (String::new(), String::new(), "Intro & more".to_string()),
                ("first".into(), "First one".into(), "a no id".into()),
                ("b".into(), "B".into(), "b c".into()),
            ]
        );
    }

    #[test]
    fn records_inflate_to_their_json_with_one_compressor_reused() {
        use std::io::Read;
        for text in ["{\"t\":\"a\"}", &"long text ".repeat(5000), ""] {
            let mut back = String::new();
            flate2::read::DeflateDecoder::new(deflate(text.as_bytes()).as_slice())
                .read_to_string(&mut back)
                .expect("inflates");
            assert_eq!(back, text);
        }
        let text = "long text ".repeat(5000);
        assert!(
            deflate(text.as_bytes()).len() < text.len() / 20,
            "the records are compressed, not stored"
        );
    }
}
