//! Lints of the markdown body: images, headings, links and tables.
//!
//! Entry point: [`lint`], pure: each lint is a small function of the body's
//! [`Outline`].

use super::{Code, Finding};
use crate::markdown::outline::{At, Heading, Image, Link, Outline, Table};

/// Every body lint.
pub(crate) fn lint(outline: &Outline) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(outline.images.iter().filter_map(missing_alt));
    findings.extend(headings(&outline.headings));
    for link in &outline.links {
        findings.extend(empty_link(link));
        findings.extend(ambiguous_link_text(link));
        findings.extend(file_link_text(link));
        findings.extend(http_link(link));
    }
    findings.extend(outline.tables.iter().filter_map(table_without_header));
    findings
}

fn finding(code: Code, at: At, message: impl Into<String>, hint: impl Into<String>) -> Finding {
    Finding {
        code,
        line: at.line,
        column: at.column,
        message: message.into(),
        hint: hint.into(),
    }
}

/// `missing-alt`: an image a screen reader cannot describe. In raw HTML an
/// explicit `alt=""` marks a decorative image and is fine, as does the title
/// `"decorative"` in markdown (`![](line.png "decorative")`); `![](x.png)`
/// is reported.
fn missing_alt(image: &Image) -> Option<Finding> {
    let missing = match &image.alt {
        None => true,
        Some(alt) => !image.html && !image.decorative && alt.trim().is_empty(),
    };
    missing.then(|| {
        let hint = if image.html {
            "add `alt=\"...\"` describing the image, or `alt=\"\"` if it is only decoration"
        } else {
            "describe the image between the brackets: `![Pupils planting the school garden](garden.jpg)`, or if it is only decoration add the title `\"decorative\"`: `![](divider.png \"decorative\")`"
        };
        finding(Code::MissingAlt, image.at, "image has no alt text", hint)
    })
}

/// `h1-in-body` and `skipped-heading`. The page title is the h1, so the body's
/// headings start at h2 and go down one level at a time.
fn headings(headings: &[Heading]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut previous = 1;
    for heading in headings {
        let level = heading.level;
        if level == 1 {
            findings.push(finding(
                Code::H1InBody,
                heading.at,
                "a level 1 heading in the body",
                "the page title is the only level 1 heading; start the body's headings at `##`",
            ));
        } else if level > previous + 1 {
            let hashes = "#".repeat(usize::from(previous) + 1);
            let hint = if previous == 1 {
                format!(
                    "the page title is the level 1 heading, so the body's first heading is `{hashes}`"
                )
            } else {
                format!(
                    "use `{hashes}` here, or add a level {} heading above it",
                    previous + 1
                )
            };
            findings.push(finding(
                Code::SkippedHeading,
                heading.at,
                format!("heading skips from level {previous} to level {level}"),
                hint,
            ));
        }
        previous = level;
    }
    findings
}

/// `empty-link`: a link with nothing to read out, or nowhere to go.
fn empty_link(link: &Link) -> Option<Finding> {
    if link.dest.trim().is_empty() {
        return Some(finding(
            Code::EmptyLink,
            link.at,
            "link has no address",
            "put the address between the round brackets: `[text](https://...)`",
        ));
    }
    link.text.trim().is_empty().then(|| {
        finding(
            Code::EmptyLink,
            link.at,
            "link has no text",
            "put words that say where it goes between the square brackets: `[Anti-bullying policy](...)`",
        )
    })
}

/// Link texts that say nothing about where the link goes when read on their own
/// (screen readers list a page's links out of context).
const AMBIGUOUS: &[&str] = &[
    "click",
    "click here",
    "click this link",
    "details",
    "download",
    "find out more",
    "go",
    "go here",
    "here",
    "learn more",
    "link",
    "more",
    "more info",
    "more information",
    "read more",
    "see here",
    "this",
    "this link",
    "this page",
];

/// `ambiguous-link-text`: "click here", "read more", or a bare web address.
fn ambiguous_link_text(link: &Link) -> Option<Finding> {
    if link.email {
        return None;
    }
    let lower = link.text.trim().to_lowercase();
    let bare_url = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || (!lower.is_empty() && lower == link.dest.to_lowercase());
    if bare_url {
        return Some(finding(
            Code::AmbiguousLinkText,
            link.at,
            "a web address as link text",
            "say where the link goes instead: `[Childline](https://www.childline.org.uk/)`",
        ));
    }
    // None of them has more than 15 letters and digits, and normalising never
    // loses one: most link texts need not be normalised at all.
    if link
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .nth(15)
        .is_some()
    {
        return None;
    }
    let text = normalized(&link.text);
    AMBIGUOUS.contains(&text.as_str()).then(|| {
        finding(
            Code::AmbiguousLinkText,
            link.at,
            format!(
                "link text `{}` does not say where it goes",
                link.text.trim()
            ),
            "use words that make sense on their own: `[Read the anti-bullying guidance](...)`",
        )
    })
}

/// Lower case, single spaces, no punctuation around it.
fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// Files a link may lead to that a reader may not want to open on a phone.
const FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "PDF"),
    ("doc", "Word"),
    ("docx", "Word"),
    ("odt", "OpenDocument"),
    ("xls", "Excel"),
    ("xlsx", "Excel"),
    ("ods", "OpenDocument"),
    ("ppt", "PowerPoint"),
    ("pptx", "PowerPoint"),
    ("odp", "OpenDocument"),
    ("zip", "ZIP"),
];

/// Words in a link's text that tell the reader it opens a file.
const FILE_WORDS: &[&str] = &[
    "pdf",
    "word",
    "excel",
    "powerpoint",
    "opendocument",
    "zip",
    "spreadsheet",
    "presentation",
    "download",
    "file",
];

/// `file-link-text`: a link to a PDF, Word file, ... whose text does not say so.
fn file_link_text(link: &Link) -> Option<Finding> {
    let path = link.dest.split(['?', '#']).next().unwrap_or_default();
    let extension = path.rsplit_once('.')?.1;
    let (extension, type_name) = FILE_TYPES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(extension))?;
    let text = link.text.to_lowercase();
    let mentions = text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == *extension || FILE_WORDS.contains(&word));
    (!mentions).then(|| {
        finding(
            Code::FileLinkText,
            link.at,
            format!("link to a {type_name} file does not say it is one"),
            format!(
                "add the type and size to the link text, e.g. `[{} ({type_name}, 240 KB)]({})`",
                link.text.trim(),
                link.dest
            ),
        )
    })
}

/// `http-link`: an address that is not encrypted; almost every site has https.
fn http_link(link: &Link) -> Option<Finding> {
    let dest = link.dest.trim();
    let rest = dest
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("http://"))
        .map(|_| &dest[7..])?;
    Some(finding(
        Code::HttpLink,
        link.at,
        format!("link to `{dest}` is not secure (http://)"),
        format!("use `https://{rest}` if the site has it (most do)"),
    ))
}

/// `table-without-header`: without a header row, screen readers cannot say
/// what each cell is.
fn table_without_header(table: &Table) -> Option<Finding> {
    (!table.has_header).then(|| {
        finding(
            Code::TableWithoutHeader,
            table.at,
            "table has no header row",
            "write what each column holds in the first row: `| Service | Phone |`",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(body: &str) -> Vec<(Code, usize, usize)> {
        lint(&Outline::parse(body, 1))
            .into_iter()
            .map(|f| (f.code, f.line, f.column))
            .collect()
    }

    #[test]
    fn image_without_alt_text_is_found_in_markdown_and_html() {
        assert_eq!(
            findings("Text.\n\n![](team.jpg)\n\n<img src=\"x.png\">\n"),
            [(Code::MissingAlt, 3, 1), (Code::MissingAlt, 5, 1)]
        );
        assert_eq!(findings("![The team](team.jpg)\n"), []);
        assert_eq!(findings("<img src=\"line.png\" alt=\"\">\n"), []);
    }

    #[test]
    fn headings_start_at_level_two_and_skip_no_level() {
        assert_eq!(
            findings("## A\n\n#### B\n\n## C\n\n### D\n"),
            [(Code::SkippedHeading, 3, 1)]
        );
        assert_eq!(findings("### First\n"), [(Code::SkippedHeading, 1, 1)]);
        assert_eq!(findings("## A\n### B\n#### C\n## D\n"), []);
    }

    #[test]
    fn a_level_one_heading_in_the_body_is_found() {
        assert_eq!(
            findings("Intro.\n\n# Title again\n\n## Part\n"),
            [(Code::H1InBody, 3, 1)]
        );
    }

    #[test]
    fn ambiguous_link_texts_are_found() {
        for text in [
            "click here",
            "Here",
            "Read more…",
            "more",
            "link",
            "this link",
        ] {
            assert_eq!(
                findings(&format!("See [{text}](https://x.example/).\n")),
                [(Code::AmbiguousLinkText, 1, 5)],
                "{text}"
            );
        }
        assert_eq!(
            findings("[Read the anti-bullying guidance](https://x.example/)\n"),
            []
        );
    }

    #[test]
    fn a_bare_web_address_is_ambiguous_but_an_email_address_is_not() {
        assert_eq!(
            findings(
                "<https://www.nspcc.org.uk/>\n\n[www.nspcc.org.uk](https://www.nspcc.org.uk/)\n"
            ),
            [
                (Code::AmbiguousLinkText, 1, 1),
                (Code::AmbiguousLinkText, 3, 1)
            ]
        );
        assert_eq!(findings("Write to <team@council.example>.\n"), []);
    }

    #[test]
    fn a_link_without_text_or_address_is_empty() {
        assert_eq!(
            findings("[](https://x.example/) and [Policy]()\n"),
            [(Code::EmptyLink, 1, 1), (Code::EmptyLink, 1, 28)]
        );
        assert_eq!(
            findings("[![NSPCC logo](logo.png)](https://www.nspcc.org.uk/)\n"),
            []
        );
    }

    #[test]
    fn a_file_link_must_say_it_is_a_file() {
        assert_eq!(
            findings("Read [our policy](policy.pdf).\n"),
            [(Code::FileLinkText, 1, 6)]
        );
        assert_eq!(
            findings("Read [our policy (PDF, 240 KB)](policy.pdf).\n"),
            []
        );
        assert_eq!(findings("[Plan (Word document)](plan.docx?v=2)\n"), []);
        assert_eq!(findings("[Download the plan](plan.docx)\n"), []);
        assert_eq!(findings("[Policy page](policy.md)\n"), []);
    }

    #[test]
    fn an_http_link_is_found() {
        let outline = Outline::parse("See [the old site](HTTP://old.example/page).\n", 1);
        let found = lint(&outline);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::HttpLink);
        assert_eq!(
            found[0].hint,
            "use `https://old.example/page` if the site has it (most do)"
        );
        assert_eq!(findings("[Secure](https://x.example/)\n"), []);
    }

    #[test]
    fn a_table_needs_a_header_row() {
        assert_eq!(
            findings("Intro.\n\n| | |\n|---|---|\n| Childline | 0800 1111 |\n"),
            [(Code::TableWithoutHeader, 3, 1)]
        );
        assert_eq!(
            findings("| Service | Phone |\n|---|---|\n| Childline | 0800 1111 |\n"),
            []
        );
        assert_eq!(
            findings("<table>\n<tr><td>a</td></tr>\n</table>\n"),
            [(Code::TableWithoutHeader, 1, 1)]
        );
    }
}
