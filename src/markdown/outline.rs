//! Reading a markdown body for the lints: its headings, images, links and
//! tables, each at its line and column in the file, and its prose (the text a
//! reader sees, without code, tables or image descriptions) for the reading age.
//!
//! Entry points: a [`Reader`] is fed the events of the markdown stage's own
//! parse (`markdown::render` reads the outline of every body as it renders it,
//! so the lints need no second parse); [`Outline::parse`] reads a body on its
//! own, prose included, for the reading age. Both see what the build renders.

use crate::markdown::LineIndex;
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// Where something is in the file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) at: At,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Image {
    /// None for a raw HTML `<img>` without an `alt` attribute.
    pub(crate) alt: Option<String>,
    /// Raw HTML may say `alt=""` on purpose (a decorative image).
    pub(crate) html: bool,
    /// Markdown marks a decorative image with the title `"decorative"`.
    pub(crate) decorative: bool,
    pub(crate) at: At,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) dest: String,
    /// The text read out for the link: its words and any image descriptions.
    pub(crate) text: String,
    pub(crate) email: bool,
    pub(crate) at: At,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub(crate) has_header: bool,
    pub(crate) at: At,
}

/// What the body lints look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outline {
    pub(crate) headings: Vec<Heading>,
    pub(crate) images: Vec<Image>,
    pub(crate) links: Vec<Link>,
    pub(crate) tables: Vec<Table>,
    /// The text of each paragraph, heading and list item, in order; only
    /// when read with prose (see [`Reader::new`]).
    pub(crate) prose: Vec<String>,
}

/// A table being read: the text of its header row so far.
struct OpenTable {
    at: At,
    head: String,
    head_done: bool,
}

/// Open elements whose text goes somewhere other than the prose.
#[derive(Default)]
struct State {
    link: Option<Link>,
    image: Option<Image>,
    table: Option<OpenTable>,
    html_block: Option<(At, String)>,
    /// Inside a code block or table: text that is not read as prose.
    skip: usize,
    /// Whether prose is kept at all.
    keep_prose: bool,
    block: String,
}

/// Reads an outline from the events of a parse of `body` that the caller drives.
pub(crate) struct Reader<'a> {
    body: &'a str,
    lines: &'a LineIndex,
    outline: Outline,
    state: State,
}

impl<'a> Reader<'a> {
    /// A reader of `body`, whose positions `lines` knows. Prose is the one
    /// large part of an outline and only the reading age needs it, so it is
    /// kept only when asked for.
    pub(crate) fn new(body: &'a str, lines: &'a LineIndex, keep_prose: bool) -> Reader<'a> {
        Reader {
            body,
            lines,
            outline: Outline::default(),
            state: State {
                keep_prose,
                ..State::default()
            },
        }
    }

    /// One event of the parse, which starts at byte `offset` of the body.
    pub(crate) fn event(&mut self, event: &Event, offset: usize) {
        let (body, lines) = (self.body, self.lines);
        // Most events need no position, and finding one costs a search.
        let at = || {
            let (line, column) = lines.position(body, offset);
            At { line, column }
        };
        self.outline.event(event, &at, &mut self.state);
    }

    pub(crate) fn finish(mut self) -> Outline {
        self.outline.flush(&mut self.state);
        self.outline
    }
}

impl Outline {
    /// Reads `body`, which starts at line `first_line` of its file, prose
    /// included.
    pub(crate) fn parse(body: &str, first_line: usize) -> Outline {
        let lines = LineIndex::new(body, first_line);
        let mut reader = Reader::new(body, &lines, true);
        for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
            reader.event(&event, range.start);
        }
        reader.finish()
    }

    fn event(&mut self, event: &Event, at: &dyn Fn() -> At, state: &mut State) {
        match event {
            Event::Start(tag) => self.start(tag, at, state),
            Event::End(tag) => self.end(*tag, state),
            Event::Html(html) | Event::InlineHtml(html) => {
                self.html_images(html, at);
                if let Some((_, block)) = &mut state.html_block {
                    block.push_str(html);
                }
            }
            Event::Text(text) => self.text(text, state, true),
            // Inline code is read out by no one as a sentence; it still names a link.
            Event::Code(code) => self.text(code, state, false),
            Event::SoftBreak | Event::HardBreak => self.text(" ", state, true),
            _ => {}
        }
    }

    /// An element opens: headings are noted; images, links, tables and raw
    /// HTML blocks are read until they close; blocks end the prose before them.
    fn start(&mut self, tag: &Tag, at: &dyn Fn() -> At, state: &mut State) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush(state);
                self.headings.push(Heading {
                    level: *level as u8,
                    at: at(),
                });
            }
            Tag::Image { title, .. } => {
                state.image = Some(Image {
                    alt: Some(String::new()),
                    html: false,
                    decorative: title
                        .trim()
                        .eq_ignore_ascii_case(super::picture::DECORATIVE),
                    at: at(),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                state.link = Some(Link {
                    dest: dest_url.to_string(),
                    text: String::new(),
                    email: *link_type == LinkType::Email,
                    at: at(),
                });
            }
            Tag::Table(_) => {
                self.flush(state);
                state.skip += 1;
                state.table = Some(OpenTable {
                    at: at(),
                    head: String::new(),
                    head_done: false,
                });
            }
            Tag::CodeBlock(_) => {
                self.flush(state);
                state.skip += 1;
            }
            Tag::HtmlBlock => {
                self.flush(state);
                state.html_block = Some((at(), String::new()));
            }
            Tag::Paragraph
            | Tag::Item
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.flush(state),
            _ => {}
        }
    }

    /// An element closes: what was read of it is kept.
    fn end(&mut self, tag: TagEnd, state: &mut State) {
        match tag {
            TagEnd::Image => {
                if let Some(image) = state.image.take() {
                    if let (Some(link), Some(alt)) = (&mut state.link, &image.alt) {
                        link.text.push_str(alt);
                    }
                    self.images.push(image);
                }
            }
            TagEnd::Link => self.links.extend(state.link.take()),
            TagEnd::TableHead => {
                if let Some(table) = &mut state.table {
                    table.head_done = true;
                }
            }
            TagEnd::Table => {
                state.skip = state.skip.saturating_sub(1);
                if let Some(table) = state.table.take() {
                    self.tables.push(Table {
                        has_header: !table.head.trim().is_empty(),
                        at: table.at,
                    });
                }
            }
            TagEnd::CodeBlock => state.skip = state.skip.saturating_sub(1),
            TagEnd::HtmlBlock => {
                if let Some((at, html)) = state.html_block.take() {
                    self.html_tables(&html, at);
                }
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::List(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.flush(state),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, state: &mut State, prose: bool) {
        if let Some(image) = &mut state.image {
            if let Some(alt) = &mut image.alt {
                alt.push_str(text);
            }
            return;
        }
        if let Some(table) = state.table.as_mut().filter(|t| !t.head_done) {
            table.head.push_str(text);
        }
        if let Some(link) = &mut state.link {
            link.text.push_str(text);
        }
        if prose && state.keep_prose && state.skip == 0 {
            state.block.push_str(text);
        }
    }

    /// Ends the current block of prose.
    fn flush(&mut self, state: &mut State) {
        let block = std::mem::take(&mut state.block);
        if !block.trim().is_empty() {
            self.prose.push(block.trim().to_string());
        }
    }

    /// `<img>` tags in raw HTML, with their `alt` attribute if they have one.
    fn html_images(&mut self, html: &str, at: &dyn Fn() -> At) {
        let lower = html.to_ascii_lowercase();
        let mut from = 0;
        while let Some(start) = lower[from..].find("<img").map(|i| i + from) {
            let at = at();
            let end = lower[start..].find('>').map_or(lower.len(), |i| start + i);
            let tag = &html[start..end];
            let line_offset = html[..start].matches('\n').count();
            let column = match line_offset {
                0 => at.column + html[..start].chars().count(),
                _ => {
                    html[..start]
                        .rsplit('\n')
                        .next()
                        .map_or(0, |l| l.chars().count())
                        + 1
                }
            };
            self.images.push(Image {
                decorative: false,
                alt: attribute(tag, "alt"),
                html: true,
                at: At {
                    line: at.line + line_offset,
                    column,
                },
            });
            from = end;
        }
    }

    /// `<table>`s in a raw HTML block: a header row is a `<th>` cell.
    fn html_tables(&mut self, html: &str, at: At) {
        let lower = html.to_ascii_lowercase();
        if lower.contains("<table") {
            self.tables.push(Table {
                has_header: lower.contains("<th ") || lower.contains("<th>"),
                at,
            });
        }
    }
}

/// The value of `name="..."` (or `'...'`, or unquoted) in an HTML tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = i > 0 && bytes[i - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_attributes_are_read_whatever_the_quotes() {
        assert_eq!(
            attribute("<img src=x ALT='A map'", "alt"),
            Some("A map".into())
        );
        assert_eq!(attribute("<img alt=map src=x", "alt"), Some("map".into()));
        assert_eq!(attribute("<img data-alt=\"x\" src=x", "alt"), None);
    }

    #[test]
    fn positions_are_lines_of_the_file() {
        let outline = Outline::parse("\nSome text and ![](x.png)\n", 7);
        assert_eq!(
            outline.images[0].at,
            At {
                line: 8,
                column: 15
            }
        );
    }

    #[test]
    fn prose_leaves_out_code_tables_and_image_descriptions() {
        let outline = Outline::parse(
            "## Why it matters\n\nPupils learn. Use `code` here.\n\n```\nlet x = 1;\n```\n\n| A | B |\n|---|---|\n| c | d |\n\n- One\n- Two ![A cat](cat.png)\n",
            1,
        );
        assert_eq!(
            outline.prose,
            ["Why it matters", "Pupils learn. Use  here.", "One", "Two"]
        );
    }
}
