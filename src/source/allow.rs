//! The lints' names, and silencing them: `lint: { allow: [ambiguous-link-text] }`
//! in a document's front matter (for that document) or in site.yaml (for every
//! document). The names live here, with the sources that name them, so that
//! reading a source never reaches up to the lints themselves.
//!
//! Entry point: [`allowed`], pure, called by the `document` and `config` stages
//! so that a misspelt code is an error at its line like any other field.

use serde::Deserialize;

use crate::foundation::diagnostic::{Diagnostic, Level};
use crate::foundation::suggest::nearest;
use crate::source::yaml::Source;

/// A lint's stable name: what `bounce check` prints, JSON carries and
/// `lint: { allow: [...] }` names. Never rename one: sites depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Code {
    MissingAlt,
    SkippedHeading,
    H1InBody,
    AmbiguousLinkText,
    EmptyLink,
    FileLinkText,
    TableWithoutHeader,
    HttpLink,
    ReviewOverdue,
    ReviewDueSoon,
    ReadingAge,
    MissingSummary,
    DuplicateTitle,
}

impl Code {
    pub(crate) const ALL: [Code; 13] = [
        Code::MissingAlt,
        Code::SkippedHeading,
        Code::H1InBody,
        Code::AmbiguousLinkText,
        Code::EmptyLink,
        Code::FileLinkText,
        Code::TableWithoutHeader,
        Code::HttpLink,
        Code::ReviewOverdue,
        Code::ReviewDueSoon,
        Code::ReadingAge,
        Code::MissingSummary,
        Code::DuplicateTitle,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::MissingAlt => "missing-alt",
            Code::SkippedHeading => "skipped-heading",
            Code::H1InBody => "h1-in-body",
            Code::AmbiguousLinkText => "ambiguous-link-text",
            Code::EmptyLink => "empty-link",
            Code::FileLinkText => "file-link-text",
            Code::TableWithoutHeader => "table-without-header",
            Code::HttpLink => "http-link",
            Code::ReviewOverdue => "review-overdue",
            Code::ReviewDueSoon => "review-due-soon",
            Code::ReadingAge => "reading-age",
            Code::MissingSummary => "missing-summary",
            Code::DuplicateTitle => "duplicate-title",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Notes are advice that `--strict` lets through: a review that is due soon
    /// is not yet late, and a theme may show a file's type and size itself.
    /// Every other finding is a warning (an error under `--strict`).
    pub(crate) fn level(self) -> Level {
        match self {
            Code::ReviewDueSoon | Code::FileLinkText => Level::Note,
            _ => Level::Warning,
        }
    }
}

/// Every lint's code and level (`warning` or `note`), in the order the guide
/// lists them: what its reference table is generated from.
pub fn codes() -> Vec<(&'static str, &'static str)> {
    Code::ALL
        .into_iter()
        .map(|c| (c.as_str(), c.level().name()))
        .collect()
}

/// The `lint:` field as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    #[serde(default)]
    pub(crate) allow: Vec<String>,
}

/// The codes `lint: allow:` names, and an error for each one that is not a lint.
pub(crate) fn allowed(source: &Source, raw: Option<&RawSettings>) -> (Vec<Code>, Vec<Diagnostic>) {
    let mut codes = Vec::new();
    let mut problems = Vec::new();
    for name in raw.map(|r| r.allow.as_slice()).unwrap_or_default() {
        if let Some(code) = Code::parse(name.trim()) {
            codes.push(code);
            continue;
        }
        let names = Code::ALL.map(Code::as_str);
        let hint = match nearest(name, names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the lints are {}", names.join(", ")),
        };
        problems.push(
            source
                .error_at_value(format!("there is no lint `{name}` to allow"), "lint", name)
                .with_hint(hint),
        );
    }
    (codes, problems)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read(yaml: &str) -> (Vec<Code>, Vec<Diagnostic>) {
        #[derive(Deserialize)]
        struct Front {
            lint: Option<RawSettings>,
        }
        let source = Source {
            file: Path::new("content/a.md"),
            file_text: yaml,
            yaml,
            first_line: 1,
        };
        let front: Front = source.deserialize().expect("valid YAML");
        allowed(&source, front.lint.as_ref())
    }

    #[test]
    fn known_codes_are_allowed() {
        let (codes, problems) = read("lint: { allow: [missing-alt, reading-age] }\n");
        assert_eq!(codes, [Code::MissingAlt, Code::ReadingAge]);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_misspelt_code_is_an_error_at_its_line() {
        let (codes, problems) =
            read("title: A\nlint:\n  allow:\n    - missing-alt\n    - ambigous-link-text\n");
        assert_eq!(codes, [Code::MissingAlt]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "there is no lint `ambigous-link-text` to allow"
        );
        assert_eq!(problems[0].line, Some(5));
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `ambiguous-link-text`?")
        );
    }
}
