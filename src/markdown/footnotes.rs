//! Footnotes that link both ways: a reference links to its note, and the note
//! links back to where it was first cited (pulldown-cmark's own HTML has no
//! way back).
//!
//! Entry point: [`Footnotes`], fed the references and definitions as they
//! stream past. Notes are numbered in the order they are first met, and ids
//! are made of the numbers (`fn-1`, `fnref-1`), never of the labels, which
//! may hold spaces or markup.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

#[derive(Default)]
pub(crate) struct Footnotes {
    /// Label → number.
    numbers: HashMap<String, usize>,
    /// Number → how many times it has been cited so far.
    cited: HashMap<usize, usize>,
    /// The note being written, if any.
    open: Option<usize>,
}

impl Footnotes {
    /// A footnote's event as bounce writes it; other events as they are.
    pub(crate) fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::FootnoteReference(label) => Event::InlineHtml(self.reference(&label).into()),
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Html(self.start(&label).into()),
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(self.end().into()),
            other => other,
        }
    }

    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// The HTML of a reference: a link to its note, with an id for the way back.
    fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let count = self.cited.entry(n).or_insert(0);
        *count += 1;
        let id = match *count {
            1 => format!("fnref-{n}"),
            k => format!("fnref-{n}-{k}"),
        };
        format!("<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{n}\">{n}</a></sup>")
    }

    /// The HTML that opens a note.
    fn start(&mut self, label: &str) -> String {
        let n = self.number(label);
        self.open = Some(n);
        format!(
            "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
        )
    }

    /// The HTML that closes a note: the link back to its first citation, when
    /// it has been cited above it.
    fn end(&mut self) -> String {
        match self.open.take() {
            Some(n) if self.cited.contains_key(&n) => format!(
                "<a class=\"footnote-backref\" href=\"#fnref-{n}\">Back to text<span class=\"visually-hidden\"> (note {n})</span></a></div>\n"
            ),
            _ => "</div>\n".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_numbered_as_first_met_and_link_back_to_their_first_citation() {
        let mut notes = Footnotes::default();
        assert!(notes.reference("study").contains("id=\"fnref-1\""));
        assert!(notes.reference("other").contains("href=\"#fn-2\""));
        assert!(notes.reference("study").contains("id=\"fnref-1-2\""));
        assert!(notes.start("study").contains("id=\"fn-1\""));
        assert!(notes.end().contains("href=\"#fnref-1\""));
        notes.start("never cited");
        assert_eq!(notes.end(), "</div>\n");
    }
}
