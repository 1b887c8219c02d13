//! Silencing lints: `lint: { allow: [ambiguous-link-text] }` in a document's
//! front matter (for that document) or in site.yaml (for every document).
//!
//! Entry point: [`allowed`], pure, called by the `document` and `config` stages
//! so that a misspelt code is an error at its line like any other field.

use serde::Deserialize;

use super::Code;
use crate::diagnostic::Diagnostic;
use crate::suggest::nearest;
use crate::yaml::Source;

/// The `lint:` field as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    #[serde(default)]
    pub allow: Vec<String>,
}

/// The codes `lint: allow:` names, and an error for each one that is not a lint.
pub fn allowed(source: &Source, raw: Option<&RawSettings>) -> (Vec<Code>, Vec<Diagnostic>) {
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
