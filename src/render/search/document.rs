//! One document as the index reads it: its words, each with the field it is
//! most important in and the section where it first occurs, and its record
//! (what the search page shows of it), compressed.
//!
//! Entry point: [`read`]. This is the work done per document, in parallel,
//! and what `bounce watch` keeps between rebuilds (`search::Cache`). The body
//! is read once, into the record's JSON; its words are then read from the
//! record's text, and the record deflated against the site's dictionary.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use crate::markdown::Rendered;
use crate::render::search::deflate::Deflate;
use crate::render::search::text::push_visible_text;
use crate::render::search::words::{Field, Terms, Vocabulary, terms};
use crate::site::Site;
use crate::source::document::{Document, Fields};

/// A document read for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Indexed {
    /// Its words, by their numbers in the [`Vocabulary`]; a word's section
    /// is 0 before the first heading, then 1, 2, ... after each.
    pub(crate) terms: Terms,
    /// The record's JSON ([`Record`]), raw-deflated.
    pub(crate) record: Vec<u8>,
}

/// Reads one document, its record deflated with `deflate`. A
/// passcode-protected document gives only its public title and summary: its
/// body is neither indexed nor in its record.
pub(crate) fn read(
    site: &Site,
    vocabulary: &Vocabulary,
    deflate: &Deflate,
    d: &Document,
    rendered: &Rendered,
) -> Indexed {
    let summary = d.meta.summary.as_deref().unwrap_or_default();
    let record = Record::of(d, rendered);
    let terms = terms(vocabulary, |terms| {
        terms.add(&d.meta.title, Field::Title, 0);
        terms.add(summary, Field::Heading, 0);
        for name in names(site, d) {
            terms.add(name, Field::Heading, 0);
        }
        for (i, (heading, text)) in record.sections().enumerate() {
            let at = u16::try_from(i).unwrap_or(u16::MAX);
            terms.add(heading, Field::Heading, at);
            terms.add(text, Field::Body, at);
        }
    });
    Indexed {
        terms,
        record: deflate.compress(record.json.as_bytes()),
    }
}

/// A document's record, as JSON: what [`read`] deflates (a sample of them
/// chooses the dictionary and the codes).
pub(crate) fn record(d: &Document, rendered: &Rendered) -> String {
    Record::of(d, rendered).json
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

/// A record as the script reads it, in JSON: `{"u": url, "t": title, "s":
/// summary, "x": [text of each section], "h": [[heading id, heading text],
/// ...]}`. The body's sections are the text before the first heading, then
/// each heading with an `id` and the text up to the next.
struct Record {
    json: String,
    /// By section: where its heading's text (empty for the first) and its
    /// text are in `json`, as JSON string contents.
    sections: Vec<(Range<usize>, Range<usize>)>,
}

impl Record {
    /// A document's record; a passcode-protected document's has no body.
    fn of(d: &Document, rendered: &Rendered) -> Record {
        let protected = d.meta.passcode.is_some() || rendered.sealed.is_some();
        let summary = d.meta.summary.as_deref().unwrap_or_default();
        let body = (!protected).then_some(rendered.html.as_str());
        Record::write([&d.url, &d.meta.title, summary], body)
    }

    /// The record of a document's URL, title and summary, and its body's
    /// HTML (`None` for a body not to be shown). The body's visible text is
    /// written straight into the JSON, with no copy of it made on the way.
    fn write([url, title, summary]: [&str; 3], body: Option<&str>) -> Record {
        let mut json = String::with_capacity(body.map_or(0, str::len) + 256);
        for (key, value) in [("{\"u\":", url), (",\"t\":", title), (",\"s\":", summary)] {
            json.push_str(key);
            json.push_str(&json_string(value));
        }
        json.push_str(",\"x\":[");
        // The headings, `["id","text"],...`, until they follow the texts.
        let mut heads = String::new();
        let mut headings = Vec::new();
        let mut texts = Vec::new();
        let mut rest = body;
        while let Some(html) = rest {
            let next = next_heading(html);
            if !texts.is_empty() {
                json.push(',');
            }
            texts.push(quoted(&mut json, next.map_or(html, |(before, ..)| before)));
            rest = next.map(|(_, id, heading, after)| {
                if !heads.is_empty() {
                    heads.push(',');
                }
                heads.push('[');
                heads.push_str(&json_string(id));
                heads.push(',');
                headings.push(quoted(&mut heads, heading));
                heads.push(']');
                after
            });
        }
        json.push_str("],\"h\":[");
        let shift = json.len();
        json.push_str(&heads);
        json.push_str("]}");
        let headings = std::iter::once(0..0)
            .chain(headings.into_iter().map(|h| h.start + shift..h.end + shift));
        Record {
            json,
            sections: headings.zip(texts).collect(),
        }
    }

    /// Each section's heading and text, as JSON string contents.
    fn sections(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sections
            .iter()
            .map(|(heading, text)| (&self.json[heading.clone()], &self.json[text.clone()]))
    }
}

/// Writes the visible text of `html` as a JSON string; returns where its
/// contents are.
fn quoted(json: &mut String, html: &str) -> Range<usize> {
    json.push('"');
    let from = json.len();
    push_visible_text(html, json);
    let to = json.len();
    json.push('"');
    from..to
}

/// A short string of the record (URL, title, summary, heading id) as JSON.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The next `<hN id="...">...</hN>` of `html`: the HTML before it, its id,
/// its inner HTML and the HTML after it.
fn next_heading(html: &str) -> Option<(&str, &str, &str, &str)> {
    static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("<h"));
    let bytes = html.as_bytes();
    let mut from = 0;
    loop {
        let at = from + OPEN.find(&bytes[from..])?;
        from = at + 2;
        let level = bytes.get(at + 2).copied()?;
        if !(b'1'..=b'6').contains(&level) || !bytes[at + 3..].starts_with(b" id=\"") {
            continue;
        }
        let id_start = at + 8;
        let id_end = id_start + memchr::memchr(b'"', &bytes[id_start..])?;
        let open_end = id_end + memchr::memchr(b'>', &bytes[id_end..])? + 1;
        let close = [b'<', b'/', b'h', level, b'>'];
        let close_at = open_end + memmem::find(&bytes[open_end..], &close)?;
        return Some((
            &html[..at],
            &html[id_start..id_end],
            &html[open_end..close_at],
            &html[close_at + close.len()..],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_headings_with_ids() {
        let html = "<p>Intro &amp; \"more\"</p>\n<h2 id=\"first\">First <em>one</em></h2>\n<p>a</p><h3>no id</h3><h3 id=\"b\">B\\</h3><p>b  c</p>";
        let record = Record::write(["/u/", "T \"x\"", "S"], Some(html));
        let json: serde_json::Value = serde_json::from_str(&record.json).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!({
                "u": "/u/",
                "t": "T \"x\"",
                "s": "S",
                "x": ["Intro & \"more\"", "a no id", "b c"],
                "h": [["first", "First one"], ["b", "B\\"]],
            })
        );
        let sections: Vec<(&str, &str)> = record.sections().collect();
        assert_eq!(
            sections,
            [
                ("", "Intro & \\\"more\\\""),
                ("First one", "a no id"),
                ("B\\\\", "b c")
            ],
            "the words are read from each section's JSON"
        );
    }

    #[test]
    fn a_body_not_shown_has_no_sections_and_an_empty_one_has_one() {
        let hidden = Record::write(["/u/", "T", "S"], None);
        assert_eq!(hidden.json, r#"{"u":"/u/","t":"T","s":"S","x":[],"h":[]}"#);
        assert_eq!(hidden.sections().count(), 0);
        let empty = Record::write(["/u/", "T", "S"], Some(""));
        assert_eq!(empty.json, r#"{"u":"/u/","t":"T","s":"S","x":[""],"h":[]}"#);
        assert_eq!(empty.sections().collect::<Vec<_>>(), [("", "")]);
    }
}
