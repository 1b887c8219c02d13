//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists,
//! smart punctuation, heading ids, GitHub alerts as callouts and footnotes that
//! link back to where they are cited ([`footnotes`]).
//!
//! Entry point: [`render`], pure. Links and images go through a resolver given by
//! the caller (the `links` stage), so this module knows nothing of the site's
//! layout; problems come back with their line in the file. The same parse
//! reads the body's [`outline`] (headings, images, links, tables), which the
//! content lints read later, so a body is parsed once.
//!
//! Raw HTML: unless the site opts in (`allow_unsafe_html`), a document whose
//! markdown contains raw HTML is sanitised with ammonia after rendering, which
//! removes scripts, event-handler attributes and `javascript:` URLs but keeps
//! ordinary markup such as `<details>` or `<br>`. Documents without raw HTML
//! need no sanitising: pulldown-cmark escapes text, and the resolver refuses
//! script URLs in markdown links. A body nested deeper than browsers go is
//! refused rather than sanitised ([`depth`]).

use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};

use crate::source::images::Picture;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

mod depth;
mod footnotes;
pub(crate) mod outline;
pub(crate) mod picture;

use crate::foundation::eight::{self, HIGH};
use crate::markdown::outline::Outline;

/// A heading of the body, for the table of contents and `#fragment` checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
}

/// A link target as resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub href: String,
    /// A `#fragment` to check once every document is rendered: (document key, id).
    pub fragment: Option<(String, String)>,
    /// For a link to a downloadable file of the site, its type and size
    /// (`PDF, 24 KB`), shown after the link.
    pub attachment: Option<String>,
    /// For an image of the site, its size and published widths.
    pub picture: Option<Picture>,
}

/// Why a link could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// A problem in the body, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub line: usize,
    pub column: usize,
    pub(crate) problem: LinkProblem,
}

/// A `#fragment` link waiting to be checked against its target's headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FragmentLink {
    pub(crate) target_key: String,
    pub(crate) id: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub html: String,
    pub(crate) toc: Vec<Heading>,
    pub(crate) word_count: usize,
    pub(crate) fragments: Vec<FragmentLink>,
    pub problems: Vec<BodyProblem>,
    /// The body's headings, images, links and tables, read from the events
    /// of the same parse (so the content lints need no parse of their own).
    pub(crate) outline: Outline,
    /// For a passcode-protected document, its body sealed (and `html`
    /// empty): set by the pipeline's seal step, never by [`render`].
    pub(crate) sealed: Option<SealedBody>,
}

/// A body sealed for the browser.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SealedBody {
    /// The JSON `passcode.js` reads: the wrapped keys, the encrypted body
    /// and the files it offers.
    pub(crate) envelope: String,
    /// The keys of the files it offers, which are sealed too.
    pub(crate) files: Vec<String>,
}

impl Rendered {
    /// Frees the outline once the lints have read it: a build holds every
    /// document's markdown until its pages are written.
    pub(crate) fn forget_outline(&mut self) {
        self.outline = Outline::default();
    }
}

/// What `render` needs besides the text.
pub struct Input<'a> {
    pub body: &'a str,
    /// Line of the file on which `body` starts.
    pub first_line: usize,
    pub allow_unsafe_html: bool,
    /// Turns a link or image destination into its final URL.
    pub resolve: &'a dyn Fn(&str) -> Result<Resolved, LinkProblem>,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders a document body.
///
/// The events stream from the parser into the HTML writer: only a heading's
/// are held, until its text, and so its id, is known.
pub fn render(input: &Input) -> Rendered {
    let lines = LineIndex::new(input.body, input.first_line);
    let mut events = Events::new(input, &lines);
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, &mut events);
    let Events {
        mut rendered,
        outline,
        has_raw_html,
        depth,
        ..
    } = events;
    rendered.outline = outline.finish();
    let sanitise = has_raw_html && !input.allow_unsafe_html;
    rendered.html = match depth.too_deep_at {
        // Refused, not sanitised (which would take minutes): the build fails.
        Some(offset) if sanitise => {
            rendered.problems.push(too_deep(&lines, input.body, offset));
            String::new()
        }
        _ if sanitise => sanitize(&html),
        _ => {
            // Every document's HTML is held until its page is written: give
            // back the room guessed for it (in place, without copying).
            html.shrink_to_fit();
            html
        }
    };
    rendered
}

fn too_deep(lines: &LineIndex, body: &str, offset: usize) -> BodyProblem {
    let (line, column) = lines.position(body, offset);
    BodyProblem {
        line,
        column,
        problem: LinkProblem {
            message: format!(
                "the HTML here nests more than {} elements deep",
                depth::MAX_DEPTH
            ),
            hint: "close each element you open (`<div>` … `</div>`); browsers stop nesting at this depth too".into(),
        },
    }
}

/// The parser's events as the HTML writer gets them, one at a time: links
/// resolved, alerts made callouts, headings given unique ids. On the way it
/// reads what the rendered body reports besides its HTML (table of contents,
/// word count, link problems, the outline for the lints).
struct Events<'a, 'r> {
    input: &'r Input<'a>,
    lines: &'r LineIndex,
    parser: pulldown_cmark::OffsetIter<'a>,
    outline: outline::Reader<'r>,
    rendered: Rendered,
    /// The heading ids given so far.
    ids: HeadingIds,
    has_raw_html: bool,
    depth: depth::Depth,
    /// Events ready for the writer: a finished heading's.
    ready: VecDeque<Event<'a>>,
    heading: Option<PendingHeading<'a>>,
    /// The open links: for a link to a downloadable file, its description and
    /// the link text so far.
    links: Vec<Option<(String, String)>>,
    footnotes: footnotes::Footnotes,
    /// An image bounce writes itself, while its alt text is read.
    picture: Option<PendingPicture>,
    /// The images so far: all but the first load lazily.
    images_seen: usize,
}

/// An image whose alt text is being read, to be written as a `<picture>`
/// (or as a decorative image's `alt=""`).
struct PendingPicture {
    href: String,
    picture: Option<Picture>,
    alt: String,
    /// None for a decorative image.
    title: Option<String>,
    /// Images inside the alt text (their own alt text is part of it).
    nested: usize,
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            let (event, range) = self.parser.next()?;
            self.outline.event(&event, range.start);
            self.depth.event(&event, range.start);
            if self.picture.is_some() {
                if let Some(html) = self.hold_picture(&event) {
                    return Some(Event::InlineHtml(html.into()));
                }
                continue;
            }
            let event = self.rewrite(event, range.start);
            if let Event::Text(text) | Event::Code(text) = &event {
                self.rendered.word_count += count_words(text);
                if let Some(Some((_, link_text))) = self.links.last_mut() {
                    link_text.push_str(text);
                }
            }
            if let Some(event) = self.hold_heading(event) {
                return Some(event);
            }
        }
    }
}

impl<'a, 'r> Events<'a, 'r> {
    fn new(input: &'r Input<'a>, lines: &'r LineIndex) -> Self {
        Events {
            input,
            lines,
            parser: Parser::new_ext(input.body, options()).into_offset_iter(),
            outline: outline::Reader::new(input.body, lines, false),
            rendered: Rendered::default(),
            ids: HeadingIds::default(),
            has_raw_html: false,
            depth: depth::Depth::default(),
            ready: VecDeque::new(),
            heading: None,
            links: Vec::new(),
            footnotes: footnotes::Footnotes::default(),
            picture: None,
            images_seen: 0,
        }
    }

    /// The event as bounce renders it: links and images resolved (a link to a
    /// file followed by its type and size), alerts as callouts. Notes raw HTML.
    fn rewrite(&mut self, event: Event<'a>, offset: usize) -> Event<'a> {
        match event {
            // `<name@example.org>`: the HTML writer adds `mailto:` itself.
            event @ Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {
                self.links.push(None);
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, attachment, _) = self.resolve(offset, dest_url);
                self.links.push(attachment.map(|a| (a, String::new())));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, _, picture) = self.resolve(offset, dest_url);
                let decorative = title.trim().eq_ignore_ascii_case(picture::DECORATIVE);
                if picture.is_some() || decorative {
                    self.picture = Some(PendingPicture {
                        href: dest_url.into_string(),
                        picture,
                        alt: String::new(),
                        title: (!decorative).then(|| title.into_string()),
                        nested: 0,
                    });
                    return Event::Text("".into());
                }
                self.images_seen += 1;
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(callout_start(kind).into()),
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::End(TagEnd::Link) => match self.links.pop().flatten() {
                Some((about, text)) if !describes_file(&text) => Event::InlineHtml(
                    format!("</a> <span class=\"attachment-meta\">({about})</span>").into(),
                ),
                _ => event,
            },
            Event::Html(_) | Event::InlineHtml(_) => {
                self.has_raw_html = true;
                event
            }
            other => self.footnotes.rewrite(other),
        }
    }

    /// Holds back a heading's events until its end, then queues them with
    /// the heading's id in [`Events::ready`]. Returns the events it does not hold.
    fn hold_heading(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match (&mut self.heading, event) {
            (
                None,
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }),
            ) => {
                // Custom attributes (`{onclick=...}`) are dropped: they
                // could carry script. Ids and classes are kept.
                self.heading = Some(PendingHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.into_iter().map(|c| c.to_string()).collect(),
                    inner: Vec::new(),
                    text: String::new(),
                });
            }
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                if let Some(pending) = self.heading.take() {
                    let heading = pending.finish(&mut self.ids, &mut self.ready);
                    self.rendered.toc.push(heading);
                }
            }
            (Some(pending), event) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    pending.text.push_str(t);
                }
                pending.inner.push(event);
            }
            (None, event) => return Some(event),
        }
        None
    }

    /// While an image's alt text is read: its text, and at its end the
    /// image's HTML.
    fn hold_picture(&mut self, event: &Event<'a>) -> Option<String> {
        let pending = self.picture.as_mut()?;
        match event {
            Event::Text(text) | Event::Code(text) => pending.alt.push_str(text),
            Event::SoftBreak | Event::HardBreak => pending.alt.push(' '),
            Event::Start(Tag::Image { .. }) => pending.nested += 1,
            Event::End(TagEnd::Image) if pending.nested > 0 => pending.nested -= 1,
            Event::End(TagEnd::Image) => {
                let pending = self.picture.take()?;
                self.images_seen += 1;
                return Some(picture::markup(&picture::Shown {
                    href: &pending.href,
                    picture: pending.picture.as_ref(),
                    alt: if pending.title.is_some() {
                        &pending.alt
                    } else {
                        ""
                    },
                    title: pending.title.as_deref().unwrap_or(""),
                    lazy: self.images_seen > 1,
                    sizes: picture::CONTENT_SIZES,
                }));
            }
            _ => {}
        }
        None
    }

    /// The link's final URL and, for a downloadable file, its description;
    /// for an image of the site, its size and widths. A problem, or a
    /// `#fragment` to check later, is noted at `offset`.
    fn resolve(
        &mut self,
        offset: usize,
        dest: CowStr<'a>,
    ) -> (CowStr<'a>, Option<String>, Option<Picture>) {
        let (input, lines) = (self.input, self.lines);
        // Most links need no position, and finding one costs a search.
        let at = || lines.position(input.body, offset);
        match (input.resolve)(&dest) {
            Ok(resolved) => {
                if let Some((target_key, id)) = resolved.fragment {
                    let (line, column) = at();
                    self.rendered.fragments.push(FragmentLink {
                        target_key,
                        id,
                        line,
                        column,
                    });
                }
                let href = if resolved.href == *dest {
                    dest
                } else {
                    CowStr::from(resolved.href)
                };
                (href, resolved.attachment, resolved.picture)
            }
            Err(problem) => {
                let (line, column) = at();
                self.rendered.problems.push(BodyProblem {
                    line,
                    column,
                    problem,
                });
                (dest, None, None)
            }
        }
    }
}

/// A heading whose events are held back until its text, and so its id, is known.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    inner: Vec<Event<'a>>,
    text: String,
}

impl<'a> PendingHeading<'a> {
    /// Emits the heading with a unique id and returns its table-of-contents entry.
    fn finish(self, ids: &mut HeadingIds, events: &mut VecDeque<Event<'a>>) -> Heading {
        let base = self
            .id
            .clone()
            .unwrap_or_else(|| crate::foundation::slug::slugify(&self.text));
        let id = ids.unique(if base.is_empty() {
            "section".into()
        } else {
            base
        });
        events.push_back(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(CowStr::from(id.clone())),
            classes: self.classes.into_iter().map(CowStr::from).collect(),
            attrs: Vec::new(),
        }));
        events.extend(self.inner);
        events.push_back(Event::End(TagEnd::Heading(self.level)));
        Heading {
            level: self.level as u8,
            id,
            title: self.text.trim().to_string(),
        }
    }
}

/// The heading ids of one page: `same`, `same-1`, `same-2`, ...
#[derive(Default)]
struct HeadingIds {
    given: HashSet<String>,
    /// For each base id, the suffix to try next. Twenty thousand headings
    /// with the same text take one try each, not one per heading before them.
    next: HashMap<String, usize>,
}

impl HeadingIds {
    /// `base`, or the first `base-N` not given yet.
    fn unique(&mut self, base: String) -> String {
        let n = self.next.entry(base.clone()).or_insert(1);
        let mut id = base.clone();
        while self.given.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.given.insert(id.clone());
        id
    }
}

/// `text.split_whitespace().count()`, eight ASCII bytes at a time: it runs
/// over every character of every body. Characters past ASCII (the odd curly
/// quote or dash) are decoded one by one.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut after_space = true;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if let Some(next) = bytes.get(at..at + 8) {
            let ahead = u64::from_le_bytes(next.try_into().unwrap_or_default());
            if ahead & HIGH == 0 {
                let spaces = ascii_spaces(ahead);
                let before = (spaces << 8) | if after_space { 0x80 } else { 0 };
                words += (!spaces & before & HIGH).count_ones() as usize;
                after_space = spaces >> 63 == 1;
                at += 8;
                continue;
            }
        }
        let (is_space, width) = if b.is_ascii() {
            (ascii_spaces(u64::from(b)) & 0x80 != 0, 1)
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        };
        words += usize::from(after_space & !is_space);
        after_space = is_space;
        at += width;
    }
    words
}

/// For eight ASCII bytes (in the low bytes first), the top bit of each byte
/// set where the byte is white space as `char::is_whitespace` sees it: space,
/// and tab to carriage return (the vertical tab, 0x0B, too).
fn ascii_spaces(bytes: u64) -> u64 {
    eight::within(bytes, b'\t', b'\r') | eight::within(bytes, b' ', b' ')
}

/// Link text that already gives a file's size (`Policy (PDF, 24 KB)`), as
/// editors were asked to write before bounce showed it.
fn describes_file(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [" kb", " mb", " bytes"]
        .iter()
        .any(|unit| text.contains(unit))
}

fn callout_start(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

/// Removes anything that could run script; keeps the markup bounce itself emits.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class", "role", "title", "lang", "dir", "aria-label"])
        .add_tags([
            "input",
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
            "picture",
            "source",
        ])
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Byte offset → (line, column) in the file.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
    /// The last position found: offset, and its column in characters. Links
    /// are found in order, so the next column is counted on from there, not
    /// from the start of the line (a paragraph of 100,000 links is one line).
    last: Cell<(usize, usize)>,
}

impl LineIndex {
    pub(crate) fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            starts,
            first_line,
            last: Cell::new((0, 0)),
        }
    }

    /// Line and column (in characters, as editors count them), both 1-based.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let index = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let line_start = self.starts[index];
        let (last_offset, last_column) = self.last.get();
        let (from, column) = if (line_start..=offset).contains(&last_offset) {
            (last_offset, last_column)
        } else {
            (line_start, 0)
        };
        let column = column
            + text
                .get(from..offset)
                .map_or(offset - from, |t| t.chars().count());
        self.last.set((offset, column));
        (self.first_line + index, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(dest: &str) -> Result<Resolved, LinkProblem> {
        Ok(Resolved {
            href: dest.to_string(),
            fragment: None,
            attachment: None,
            picture: None,
        })
    }

    fn html(body: &str) -> String {
        render(&Input {
            body,
            first_line: 1,
            allow_unsafe_html: false,
            resolve: &keep,
        })
        .html
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "  one  two\tthree\n",
            "a\u{0B}b\u{0C}c\rd",
            "non\u{A0}breaking\u{2003}em\u{3000}end",
            "café – l’été",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_counted_as_split_whitespace_counts_them_in_prose(
            text in "[ a-zA-Z0-9.,\t\n\r\x0B\x0C\x1F!-/’\u{A0}\u{85}\u{3000}]*"
        ) {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }

        #[test]
        fn words_are_counted_as_split_whitespace_counts_them_in_any_text(
            text in "(\\PC|\\s|\\x0B|\\x{85})*"
        ) {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = render(&Input {
            body: "## Why it matters\n\n## Why it matters\n\n### Custom {#mine}\n",
            first_line: 1,
            allow_unsafe_html: false,
            resolve: &keep,
        });
        assert!(
            r.html
                .contains("<h2 id=\"why-it-matters\">Why it matters</h2>")
        );
        assert!(r.html.contains("<h2 id=\"why-it-matters-1\">"));
        assert!(r.html.contains("<h3 id=\"mine\">Custom</h3>"));
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["why-it-matters", "why-it-matters-1", "mine"]);
    }

    #[test]
    fn alerts_become_labelled_callouts() {
        let out = html("> [!WARNING]\n> Check the policy.\n");
        assert_eq!(
            out,
            "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<p>Check the policy.</p>\n</div>\n"
        );
        assert!(html("> plain quote\n").contains("<blockquote>"));
    }

    #[test]
    fn extensions_are_on() {
        assert!(html("| a |\n|---|\n| b |\n").contains("<table>"));
        assert!(html("~~old~~").contains("<del>old</del>"));
        assert!(html("- [x] done").contains("checkbox"));
        assert!(html("\"quoted\"").contains("“quoted”"));
        assert!(html("Text[^1]\n\n[^1]: Note.").contains("footnote-definition"));
    }

    #[test]
    fn raw_html_cannot_run_script() {
        let out = html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<details><summary>More</summary>Hidden</details>\n",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(out.contains("<details><summary>More</summary>"), "{out}");
    }

    #[test]
    fn link_problems_carry_their_file_line() {
        let refuse = |_: &str| {
            Err(LinkProblem {
                message: "no such page".into(),
                hint: "check it".into(),
            })
        };
        let r = render(&Input {
            body: "First line.\n\nSee [x](missing.md) here.\n",
            first_line: 5,
            allow_unsafe_html: false,
            resolve: &refuse,
        });
        assert_eq!(r.problems.len(), 1);
        assert_eq!((r.problems[0].line, r.problems[0].column), (7, 5));
    }
}
