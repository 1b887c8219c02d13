//! Content lints: what a careful reviewer would catch before pupils, parents and
//! staff read a page (images without alt text, "click here" links, skipped
//! headings, overdue reviews, pupil pages that are too hard to read, ...).
//!
//! Entry point: [`lint`], pure: from the assembled site and its rendered
//! markdown to one diagnostic per finding, each with a stable [`Code`]. The
//! lints themselves are small functions: [`body`] of the markdown (headings,
//! images, links, tables), [`readability`] of the reading age, [`front`] of the
//! front matter. The body lints read the outline that the markdown stage reads
//! from its own parse and keeps in each document's `Rendered` (a second parse
//! of every body cost a tenth of a build). This module runs them all and drops
//! the findings a document or the site allows (`lint: { allow: [code, ...] }`,
//! read by `source::allow`).

pub(crate) mod body;
mod front;
mod readability;

use rayon::prelude::*;

use crate::markdown::outline::Outline;

use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::{self, Diagnostic, Level};
use crate::markdown::Rendered;
use crate::site::Site;
pub(crate) use crate::source::allow::Code;
use crate::source::document::Document;

/// What one lint found, at a line (1-based) and column of the document's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) code: Code,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl Finding {
    fn into_diagnostic(self, document: &Document) -> Diagnostic {
        let diagnostic = match self.code.level() {
            Level::Note => Diagnostic::note(self.message),
            _ => Diagnostic::warning(self.message),
        };
        diagnostic
            .with_code(self.code.as_str())
            .in_file(&document.file)
            .at_position(self.line, self.column)
            .with_hint(self.hint)
    }
}

/// The days review dates are measured against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dates {
    /// The build date: a `review_by` before it has passed.
    pub(crate) today: DateTime,
    /// A `review_by` up to this date (30 days on) is due soon.
    pub(crate) soon: DateTime,
}

impl Dates {
    /// Days after the build date in which a `review_by` is "due soon".
    const SOON_DAYS: i64 = 30;

    pub(crate) fn from_build_date(today: DateTime) -> Dates {
        Dates {
            today,
            soon: today.plus_days(Self::SOON_DAYS),
        }
    }
}

/// Every finding of every document, as warnings and notes with their codes,
/// less those the document's or the site's `lint: allow:` silences. The body
/// lints read the outline that comes with each document's rendered markdown
/// (by index).
pub(crate) fn lint(site: &Site, markdown: &[Rendered], dates: &Dates) -> Vec<Diagnostic> {
    let real: Vec<(&Document, &Rendered)> = site
        .documents
        .iter()
        .zip(markdown)
        // Landing pages bounce makes up for a missing `_index.md` have no file.
        .filter(|(d, _)| !d.text.is_empty())
        .collect();
    let allowed = |d: &Document, f: &Finding| {
        !d.meta.lint_allow.contains(&f.code) && !site.config.lint_allow.contains(&f.code)
    };
    let mut diagnostics: Vec<Diagnostic> = real
        .par_iter()
        .flat_map_iter(|&(d, rendered)| {
            let mut found: Vec<Diagnostic> = document(site, d, &rendered.outline, dates)
                .into_iter()
                .filter(|f| allowed(d, f))
                .map(|f| f.into_diagnostic(d))
                .collect();
            diagnostic::show_lines(&mut found, &d.text);
            found
        })
        .collect();
    let documents: Vec<&Document> = real.iter().map(|&(d, _)| d).collect();
    diagnostics.extend(
        front::duplicate_titles(&documents)
            .into_iter()
            .filter(|(d, f)| allowed(d, f))
            .map(|(d, f)| {
                let (line, column) = (f.line, f.column);
                f.into_diagnostic(d).at(&d.text, line, column)
            }),
    );
    diagnostics
}

/// The findings of one document on its own, given the outline of its body.
fn document(site: &Site, d: &Document, outline: &Outline, dates: &Dates) -> Vec<Finding> {
    let mut findings = body::lint(outline);
    findings.extend(front::missing_summary(d));
    findings.extend(front::missing_logo_alt(d));
    findings.extend(front::review(d, dates));
    findings.extend(front::http_fields(d));
    if let Some(limit) = site.config.reading_age
        && front::for_pupils(d)
    {
        // The one lint that needs the prose, which outlines leave out: read
        // the body again, only for these pages.
        let prose = Outline::parse(d.body(), d.body_first_line).prose;
        let measured = readability::measure(&prose);
        findings.extend(front::reading_age(d, &measured, limit));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_stage_finds_what_a_parse_of_its_own_finds() {
        let body = "# Title\n\n#### Deep\n\n![](a.png) <img src=b.png>\n\n[click here](http://x.example/) [](y.md)\n\n|   |\n|---|\n| c |\n\n> [!NOTE]\n> [more](https://x.example/)\n";
        let keep = |dest: &str| {
            Ok(crate::markdown::Resolved {
                href: dest.to_string(),
                fragment: None,
                attachment: None,
                picture: None,
            })
        };
        let rendered = crate::markdown::render(&crate::markdown::Input {
            body,
            first_line: 4,
            allow_unsafe_html: false,
            resolve: &keep,
        });
        let own = body::lint(&Outline::parse(body, 4));
        // The body above trips every kind of body lint.
        for code in [
            Code::H1InBody,
            Code::SkippedHeading,
            Code::MissingAlt,
            Code::AmbiguousLinkText,
            Code::HttpLink,
            Code::EmptyLink,
            Code::TableWithoutHeader,
        ] {
            assert!(own.iter().any(|f| f.code == code), "{code:?}: {own:?}");
        }
        assert_eq!(body::lint(&rendered.outline), own);
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert_eq!(Code::parse("click-here"), None);
    }
}
