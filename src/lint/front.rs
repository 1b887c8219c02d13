//! Lints of a document as a whole: its front matter (summary, review date,
//! web addresses), its reading age, and titles shared with other documents.
//!
//! Each lint is a function of the validated [`Document`]; findings point at the
//! front-matter line they are about.

use std::collections::HashMap;

use super::readability::Readability;
use super::{Code, Dates, Finding};
use crate::source::document::{Document, Fields, ResourceLink};

/// The file line of a top-level front-matter key, or of the title (always there).
fn line_of(d: &Document, key: &str) -> usize {
    let source = d.yaml_source();
    source
        .key_line(key)
        .or_else(|| source.key_line("title"))
        .map_or(1, |line| line + source.first_line - 1)
}

fn at_key(d: &Document, key: &str, code: Code, message: String, hint: String) -> Finding {
    Finding {
        code,
        line: line_of(d, key),
        column: 1,
        message,
        hint,
    }
}

/// `missing-summary`: listings and search results show the summary under the
/// title; without one they show nothing.
pub(crate) fn missing_summary(d: &Document) -> Option<Finding> {
    d.meta.summary.is_none().then(|| {
        at_key(
            d,
            "summary",
            Code::MissingSummary,
            "the document has no `summary`".into(),
            "add one or two sentences for listings and search results: `summary: What resilience is and why it matters.`".into(),
        )
    })
}

/// `missing-alt` for a partner's `logo` without `logo_alt`: the logo is
/// shown with `alt=""`, so a screen reader says nothing of it.
pub(crate) fn missing_logo_alt(d: &Document) -> Option<Finding> {
    let Fields::Partner(p) = &d.fields else {
        return None;
    };
    (p.logo.is_some() && p.logo_alt.is_none()).then(|| {
        at_key(
            d,
            "logo",
            Code::MissingAlt,
            "the logo has no `logo_alt` text".into(),
            format!(
                "add a line below `logo:` describing it for screen readers: `logo_alt: {} logo`",
                d.meta.title
            ),
        )
    })
}

/// `review-overdue` once `review_by` has passed; `review-due-soon` (a note) in
/// the 30 days before.
pub(crate) fn review(d: &Document, dates: &Dates) -> Option<Finding> {
    let due = d.meta.review_by?.date_only();
    let (code, message) = if due < dates.today {
        (
            Code::ReviewOverdue,
            format!("the review date {due} has passed"),
        )
    } else if due <= dates.soon {
        (
            Code::ReviewDueSoon,
            format!("the document is due for review by {}", due.human()),
        )
    } else {
        return None;
    };
    Some(at_key(
        d,
        "review_by",
        code,
        message,
        "check that the page is still accurate, then set `review_by:` to the next date it must be checked".into(),
    ))
}

/// `http-link` in the front matter: a partner's `website`, a resource's `url`,
/// an event's `booking_url`.
pub(crate) fn http_fields(d: &Document) -> Vec<Finding> {
    let fields: Vec<(&str, Option<&str>)> = match &d.fields {
        Fields::Partner(p) => vec![("website", p.website.as_deref())],
        Fields::Resource(r) => match &r.link {
            ResourceLink::Url(url) => vec![("url", Some(url.as_str()))],
            ResourceLink::File(_) => vec![],
        },
        Fields::Event(e) => vec![("booking_url", e.booking_url.as_deref())],
        Fields::Page => vec![],
    };
    fields
        .into_iter()
        .filter_map(|(key, value)| {
            let rest = value?.strip_prefix("http://")?;
            Some(at_key(
                d,
                key,
                Code::HttpLink,
                format!("`{key}` is not a secure address (http://)"),
                format!("use `https://{rest}` if the site has it (most do)"),
            ))
        })
        .collect()
}

/// Whether the page is for pupils, the only pages whose reading age is checked.
pub(crate) fn for_pupils(d: &Document) -> bool {
    d.meta.audiences.iter().any(|a| a == "pupils")
}

/// `reading-age`: a page for pupils that is harder to read than site.yaml's
/// `reading_age`. The figure is in the message; the counts behind it in the hint.
pub(crate) fn reading_age(d: &Document, measured: &Readability, limit: u32) -> Option<Finding> {
    if !for_pupils(d) {
        return None;
    }
    let age = measured.reading_age()?;
    let grade = measured.grade()?;
    (age > limit).then(|| {
        at_key(
            d,
            "audiences",
            Code::ReadingAge,
            format!("this page for pupils has a reading age of {age}, above the site's {limit}"),
            format!(
                "use shorter sentences and everyday words: it has {:.1} words per sentence and {:.2} syllables per word (Flesch–Kincaid grade {grade:.1})",
                measured.words_per_sentence(),
                measured.syllables_per_word()
            ),
        )
    })
}

/// `duplicate-title`: two documents with the same title (ignoring case and
/// spacing) look the same in navigation, listings and search results. Each
/// document after the first with a title is reported, naming the first.
pub(crate) fn duplicate_titles<'d>(documents: &[&'d Document]) -> Vec<(&'d Document, Finding)> {
    let mut first: HashMap<String, &Document> = HashMap::new();
    let mut findings = Vec::new();
    for &d in documents {
        let title = d
            .meta
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        match first.get(&title) {
            Some(other) => findings.push((
                d,
                at_key(
                    d,
                    "title",
                    Code::DuplicateTitle,
                    format!(
                        "`{}` has the same title as {}",
                        d.meta.title,
                        other.file.display()
                    ),
                    "give each page a title that tells it apart, e.g. `Online safety for parents`"
                        .into(),
                ),
            )),
            None => {
                first.insert(title, d);
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::foundation::dates::DateTime;
    use crate::source::discover::SourceDocument;

    fn document(key: &str, text: &str) -> Document {
        let config = crate::source::config::parse("title: T\nbase_url: https://x.example/\n")
            .expect("valid config");
        let source = SourceDocument {
            key: key.into(),
            file: PathBuf::from("content").join(key),
            bytes: text.as_bytes().to_vec(),
        };
        crate::source::document::parse(&source, &config).expect("valid document")
    }

    fn dates() -> Dates {
        Dates {
            today: DateTime::parse("2026-11-23").expect("date"),
            soon: DateTime::parse("2026-12-23").expect("date"),
        }
    }

    fn code_and_line(finding: Option<Finding>) -> Option<(Code, usize)> {
        finding.map(|f| (f.code, f.line))
    }

    #[test]
    fn a_missing_summary_is_reported_at_the_title() {
        let d = document("a.md", "---\ndate: 2026-01-01\ntitle: A\n---\n");
        assert_eq!(
            code_and_line(missing_summary(&d)),
            Some((Code::MissingSummary, 3))
        );
        let d = document("a.md", "---\ntitle: A\nsummary: About A.\n---\n");
        assert_eq!(missing_summary(&d), None);
    }

    #[test]
    fn review_dates_are_overdue_or_due_soon() {
        let at = |date: &str| {
            let d = document("a.md", &format!("---\ntitle: A\nreview_by: {date}\n---\n"));
            code_and_line(review(&d, &dates()))
        };
        assert_eq!(at("2026-11-22"), Some((Code::ReviewOverdue, 3)));
        assert_eq!(at("2026-11-23"), Some((Code::ReviewDueSoon, 3)));
        assert_eq!(at("2026-12-23"), Some((Code::ReviewDueSoon, 3)));
        assert_eq!(at("2026-12-24"), None);
    }

    #[test]
    fn http_addresses_in_front_matter_are_reported() {
        let d = document(
            "partners/x.md",
            "---\ntitle: X\nwebsite: http://x.example/\n---\n",
        );
        let found = http_fields(&d);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].line), (Code::HttpLink, 3));
        assert_eq!(
            found[0].hint,
            "use `https://x.example/` if the site has it (most do)"
        );
    }

    #[test]
    fn only_pupil_pages_above_the_limit_are_reported_with_the_figure() {
        let hard = Readability {
            words: 40,
            sentences: 2,
            syllables: 70,
        };
        let pupils = document("a.md", "---\ntitle: A\naudiences: [pupils]\n---\n");
        let found = reading_age(&pupils, &hard, 9).expect("above 9");
        assert_eq!((found.code, found.line), (Code::ReadingAge, 3));
        assert_eq!(
            found.message,
            "this page for pupils has a reading age of 18, above the site's 9"
        );
        let staff = document("b.md", "---\ntitle: B\naudiences: [staff]\n---\n");
        assert_eq!(reading_age(&staff, &hard, 9), None);
        assert_eq!(reading_age(&pupils, &hard, 18), None);
    }

    #[test]
    fn a_title_used_twice_is_reported_on_the_second() {
        let a = document("a.md", "---\ntitle: Online safety\n---\n");
        let b = document("b.md", "---\nsummary: S.\ntitle: online  Safety\n---\n");
        let c = document("c.md", "---\ntitle: Bullying\n---\n");
        let found = duplicate_titles(&[&a, &b, &c]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.key, "b.md");
        assert_eq!(found[0].1.line, 3);
        assert_eq!(
            found[0].1.message,
            "`online  Safety` has the same title as content/a.md"
        );
    }
}
