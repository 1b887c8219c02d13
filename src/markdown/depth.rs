//! How deep a body's HTML nests, counted as the events stream by.
//!
//! The sanitiser (ammonia, over html5ever) takes time that grows with the
//! square of the nesting depth: 100,000 nested `<div>`s, 1.1 MB, took 40 s.
//! Browsers stop nesting at 512 elements (Chromium's parser flattens what is
//! deeper), so a body deeper than that is refused before it is sanitised.

use pulldown_cmark::Event;

/// The deepest nesting of elements a body may have: as deep as browsers go.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements that have no end tag, or whose end tag may be left out (the parser
/// closes them itself): they do not make a body deeper.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "caption", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input",
    "li", "link", "meta", "optgroup", "option", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "thead", "tr", "track", "wbr",
];

/// The depth so far: markdown's own elements, and raw HTML's.
#[derive(Default)]
pub(super) struct Depth {
    markdown: usize,
    html: usize,
    /// The byte offset in the body where the depth first went past [`MAX_DEPTH`].
    pub(super) too_deep_at: Option<usize>,
}

impl Depth {
    /// Counts the elements `event`, at byte `offset` of the body, opens or closes.
    pub(super) fn event(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => return self.raw(html, offset),
            _ => return,
        }
        self.note(offset);
    }

    fn note(&mut self, offset: usize) {
        if self.too_deep_at.is_none() && self.markdown + self.html > MAX_DEPTH {
            self.too_deep_at = Some(offset);
        }
    }

    /// Counts the start and end tags of a piece of raw HTML at `offset`. A
    /// tag may be split over two pieces (one line each); its name never is.
    fn raw(&mut self, html: &str, offset: usize) {
        let bytes = html.as_bytes();
        for at in memchr::memchr_iter(b'<', bytes) {
            let rest = &bytes[at + 1..];
            let (closing, rest) = match rest.split_first() {
                Some((b'/', rest)) => (true, rest),
                _ => (false, rest),
            };
            let name_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            let name = &rest[..name_len];
            if !name.first().is_some_and(u8::is_ascii_alphabetic) || !nests(name) {
                continue;
            }
            if closing {
                self.html = self.html.saturating_sub(1);
            } else {
                self.html += 1;
                self.note(offset + at);
            }
        }
    }
}

fn nests(name: &[u8]) -> bool {
    !NOT_NESTING
        .iter()
        .any(|known| known.as_bytes().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn depth_of(markdown: &str) -> Depth {
        let mut depth = Depth::default();
        for (event, range) in Parser::new(markdown).into_offset_iter() {
            depth.event(&event, range.start);
        }
        depth
    }

    #[test]
    fn raw_html_deeper_than_browsers_go_is_found_where_it_goes_too_deep() {
        let deep = format!(
            "Intro.\n\n{}x{}\n",
            "<div>".repeat(600),
            "</div>".repeat(600)
        );
        let depth = depth_of(&deep);
        let at = depth.too_deep_at.expect("600 divs are too deep");
        assert_eq!(&deep[at..at + 5], "<div>");
    }

    #[test]
    fn ordinary_html_and_unclosed_paragraphs_are_not_too_deep() {
        let ordinary = "<details><summary>More</summary>\n\n- a\n- b\n\n</details>\n\n";
        let unclosed = "<p>".repeat(2000);
        let void = "<br>".repeat(2000);
        let balanced = "<div>x</div>\n".repeat(2000);
        for body in [ordinary.to_string(), unclosed, void, balanced] {
            assert_eq!(depth_of(&body).too_deep_at, None, "{}", &body[..20]);
        }
    }

    #[test]
    fn markdown_and_html_depths_add_up() {
        let quotes = "> ".repeat(300);
        let body = format!("{quotes}{}x\n", "<span>".repeat(300));
        assert!(depth_of(&body).too_deep_at.is_some());
    }
}
