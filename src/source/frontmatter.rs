//! Splitting a document into front matter and body, and reading the front matter
//! as written (before validation).
//!
//! Entry points: [`split`] finds the `---` block; [`read`] checks the keys and
//! deserializes them into [`RawFrontMatter`]. Which keys are allowed depends on
//! the collection the document belongs to.

use serde::Deserialize;

use crate::foundation::diagnostic::Diagnostic;
use crate::source::yaml::{Source, Text};

/// The typed collections, by top-level folder; everything else is a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    Page,
    Partner,
    Resource,
    Event,
}

impl Collection {
    /// The collection of a document by its key (`partners/nspcc.md`).
    pub(crate) fn of_key(key: &str) -> Collection {
        match key.split('/').next() {
            Some("partners") if key.contains('/') => Collection::Partner,
            Some("resources") if key.contains('/') => Collection::Resource,
            Some("events") if key.contains('/') => Collection::Event,
            _ => Collection::Page,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Collection::Page => "page",
            Collection::Partner => "partner",
            Collection::Resource => "resource",
            Collection::Event => "event",
        }
    }
}

/// Fields every document may have.
pub(crate) const COMMON_FIELDS: &[&str] = &[
    "title",
    "summary",
    "date",
    "updated",
    "review_by",
    "draft",
    "weight",
    "slug",
    "aliases",
    "template",
    "topics",
    "audiences",
    "key_stages",
    "sensitive",
    "extra",
    "lint",
];
pub(crate) const PARTNER_FIELDS: &[&str] = &[
    "website", "email", "phone", "address", "areas", "cost", "logo", "logo_alt",
];
pub(crate) const RESOURCE_FIELDS: &[&str] = &[
    "kind",
    "url",
    "file",
    "publisher",
    "published",
    "partner",
    "access",
    "passcode",
    "cost",
];
/// A section's own fields: `passcode` protects the documents below it.
pub(crate) const SECTION_FIELDS: &[&str] = &["passcode"];
pub(crate) const EVENT_FIELDS: &[&str] = &["starts", "ends", "location", "booking_url", "partner"];

/// Where the front matter and the body are in a document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    pub yaml: &'a str,
    /// Line of the file on which the YAML starts (the line after `---`).
    pub yaml_first_line: usize,
    pub body: &'a str,
    /// Line of the file on which the body starts.
    pub body_first_line: usize,
}

/// Splits `text` (UTF-8, `\n` line endings, no BOM) at its `---` lines.
pub fn split(text: &str) -> Result<Parts<'_>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .with_hint("a document starts with front matter, e.g.\n---\ntitle: My page\n---"));
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error("the document has no front matter")
            .at(text, 1, 1)
            .with_hint(
                "start the file with a `---` line, a `title:` line and another `---` line",
            ));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, raw_line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let trimmed = raw_line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + raw_line.len();
            return Ok(Parts {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[body_start..],
                body_first_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(
        Diagnostic::error("the front matter starts here but has no closing `---` line")
            .at(text, 1, 1)
            .with_hint("add a line with just `---` after the last front-matter field"),
    )
}

/// The known fields for documents of `collection` (sections take only the common ones).
pub fn known_fields(collection: Collection, is_section: bool) -> Vec<&'static str> {
    let own: &[&str] = match (collection, is_section) {
        (_, true) => SECTION_FIELDS,
        (Collection::Page, _) => &[],
        (Collection::Partner, _) => PARTNER_FIELDS,
        (Collection::Resource, _) => RESOURCE_FIELDS,
        (Collection::Event, _) => EVENT_FIELDS,
    };
    COMMON_FIELDS.iter().chain(own).copied().collect()
}

/// Front matter as written: every field optional, types checked by serde.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawFrontMatter {
    pub(crate) title: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) date: Option<Text>,
    pub(crate) updated: Option<Text>,
    pub(crate) review_by: Option<Text>,
    pub(crate) draft: Option<bool>,
    pub(crate) weight: Option<i64>,
    pub(crate) slug: Option<Text>,
    pub(crate) aliases: Option<Vec<String>>,
    pub(crate) template: Option<String>,
    pub(crate) topics: Option<Vec<String>>,
    pub(crate) audiences: Option<Vec<String>>,
    pub(crate) key_stages: Option<Vec<String>>,
    pub(crate) sensitive: Option<bool>,
    pub(crate) extra: Option<serde_json::Value>,
    pub(crate) lint: Option<crate::source::allow::RawSettings>,
    // partners
    pub(crate) website: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<Text>,
    pub(crate) address: Option<String>,
    pub(crate) areas: Option<Vec<String>>,
    pub(crate) cost: Option<String>,
    pub(crate) logo: Option<String>,
    pub(crate) logo_alt: Option<String>,
    // resources
    pub(crate) kind: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) file: Option<String>,
    pub(crate) publisher: Option<String>,
    pub(crate) published: Option<Text>,
    pub(crate) partner: Option<String>,
    pub(crate) access: Option<String>,
    /// A resource's passcode group; on a section, the group of every document below it.
    pub(crate) passcode: Option<String>,
    // events
    pub(crate) starts: Option<Text>,
    pub(crate) ends: Option<Text>,
    pub(crate) location: Option<String>,
    pub(crate) booking_url: Option<String>,
}

/// Checks the keys and reads the fields. Returns the fields when they could be
/// read (serde stops at the first type error) and every unknown key, so that a
/// misspelt field does not hide the file's other problems.
pub(crate) fn read(
    source: &Source,
    collection: Collection,
    is_section: bool,
) -> (Option<RawFrontMatter>, Vec<Diagnostic>) {
    let mapping = match source.parse_mapping("the front matter") {
        Ok(mapping) => mapping,
        Err(d) => return (None, vec![d]),
    };
    let known = known_fields(collection, is_section);
    let mut problems = source.unknown_keys(&mapping, &known, "front-matter");
    for problem in &mut problems {
        let field = problem
            .message
            .strip_prefix("unknown front-matter field `")
            .and_then(|m| m.strip_suffix('`'));
        if let (Some(field), Some(folder)) = (field, field.and_then(owning_collection)) {
            problem.hint = Some(
                if is_section && Collection::of_key(&format!("{folder}/x.md")) == collection {
                    format!(
                        "a section's _index.md takes only the fields every document has; `{field}` belongs on the documents in content/{folder}/"
                    )
                } else {
                    format!("`{field}` is a field of documents in content/{folder}/ only")
                },
            );
        }
    }
    match source.deserialize_parsed::<RawFrontMatter>(mapping) {
        Ok(raw) => (Some(raw), problems),
        Err(d) => {
            problems.push(d);
            (None, problems)
        }
    }
}

/// The collection folder whose documents have `field`, if any.
fn owning_collection(field: &str) -> Option<&'static str> {
    [
        (PARTNER_FIELDS, "partners"),
        (RESOURCE_FIELDS, "resources"),
        (EVENT_FIELDS, "events"),
    ]
    .into_iter()
    .find(|(fields, _)| fields.contains(&field))
    .map(|(_, folder)| folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_parsed_once_reads_as_when_parsed_twice() {
        let cases = [
            "title: 2024\nweight: 3\n",
            "title: x\nkey_stages: [1, 2]\n",
            "title: !custom x\n",
            "title: !!str 123\n",
            "title: x\nextra: {a: !tag 1, b: [1, 2.5, true, ~], c: '01', d: 01, e: 1e3, f: .inf, g: 0x1F}\n",
            "title: x\nextra: {1: a, true: b, ~: c}\n",
            "title: x\nextra:\n  big: 123456789012345678901234567890\n  neg: -12\n",
            "title: x\nextra: !!map {a: 1}\n",
            "title: x\npublished: 2019\nslug: 12\nphone: 01234 567890\n",
            "title: x\npublished: 2019.5\n",
            "title: &a Hello\nsummary: *a\n",
            "title: x\ndraft: yes\n",
            "title: x\nweight: 1.5\n",
            "title: x\nweight: '3'\n",
            "title: x\nweight: 99999999999999999999\n",
            "title: x\naliases: old/page\n",
            "title: x\ntopics: []\naudiences: [pupils, staff]\n",
            "title: x\nlint: {allow: [missing-alt]}\n",
            "title: x\nlint: {allow: missing-alt}\n",
            "title: x\nstarts: 2024-05-01 09:00\ndate: 2024-05-01\n",
            "title: null\n",
            "title: ''\nsummary: |\n  Two\n  lines\n",
            "title: x\nsensitive: true\ndraft: false\n",
            "\"title\": quoted key\n",
        ];
        for yaml in cases {
            let source = Source {
                file: std::path::Path::new("content/a.md"),
                file_text: yaml,
                yaml,
                first_line: 2,
            };
            let Ok(mapping) = source.parse_mapping("the front matter") else {
                continue;
            };
            let once = source.deserialize_parsed::<RawFrontMatter>(mapping);
            let twice = source.deserialize::<RawFrontMatter>();
            assert_eq!(format!("{once:?}"), format!("{twice:?}"), "{yaml}");
        }
    }

    #[test]
    fn splits_front_matter_and_body_with_lines() {
        let text = "---\ntitle: A\nsummary: B\n---\n\nBody\n";
        let parts = split(text).expect("well-formed");
        assert_eq!(parts.yaml, "title: A\nsummary: B\n");
        assert_eq!(parts.yaml_first_line, 2);
        assert_eq!(parts.body, "\nBody\n");
        assert_eq!(parts.body_first_line, 5);
    }

    #[test]
    fn missing_closing_line_is_reported_at_line_one() {
        let d = split("---\ntitle: A\n\nBody\n").expect_err("no closing ---");
        assert_eq!(d.line, Some(1));
        assert!(d.message.contains("no closing `---`"), "{}", d.message);
    }

    #[test]
    fn empty_and_front_matterless_files_are_errors() {
        assert_eq!(
            split("  \n").expect_err("empty").message,
            "the file is empty"
        );
        assert_eq!(
            split("# Title\n").expect_err("no front matter").message,
            "the document has no front matter"
        );
    }

    #[test]
    fn closing_line_at_end_of_file_without_newline() {
        let parts = split("---\ntitle: A\n---").expect("well-formed");
        assert_eq!(parts.body, "");
    }
}
