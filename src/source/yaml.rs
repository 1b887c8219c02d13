//! YAML as editors write it: in `site.yaml` and in front matter.
//!
//! serde_yaml counts lines from the start of the YAML it is given; front matter
//! starts on the second line of its file. [`Source`] carries that offset so every
//! message points at the line in the file, and turns serde's wording ("invalid
//! type: string, expected a sequence") into plain English.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_yaml::{Mapping, Value};

use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::suggest::nearest;
use crate::source::nesting;

/// A block of YAML inside a file.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The file, relative to the site root, for messages.
    pub(crate) file: &'a Path,
    /// The whole text of the file, to show the offending line.
    pub(crate) file_text: &'a str,
    /// The YAML itself.
    pub(crate) yaml: &'a str,
    /// The line of the file on which `yaml` starts (1-based).
    pub(crate) first_line: usize,
}

impl Source<'_> {
    /// An error at `line` of the YAML (1-based), shown at its line in the file.
    pub(crate) fn error_at(
        &self,
        message: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        Diagnostic::error(message).in_file(self.file).at(
            self.file_text,
            line + self.first_line - 1,
            column,
        )
    }

    /// An error about a top-level key: points at the key's line, or at the start
    /// of the YAML when the key is missing.
    pub(crate) fn error_at_key(&self, message: impl Into<String>, key: &str) -> Diagnostic {
        let line = self.key_line(key).unwrap_or(1);
        self.error_at(message, line, 1)
    }

    /// An error about one value of a top-level key (an item of a list): points
    /// at the line holding it, or at the key.
    pub(crate) fn error_at_value(
        &self,
        message: impl Into<String>,
        key: &str,
        value: &str,
    ) -> Diagnostic {
        let line = self
            .value_line(key, value)
            .or_else(|| self.key_line(key))
            .unwrap_or(1);
        self.error_at(message, line, 1)
    }

    /// The line of `key`'s block (the key's own line and the indented or `-`
    /// lines under it) that holds `value`.
    fn value_line(&self, key: &str, value: &str) -> Option<usize> {
        let start = self.key_line(key)?;
        self.yaml
            .lines()
            .enumerate()
            .skip(start - 1)
            .take_while(|(i, line)| *i == start - 1 || line.starts_with([' ', '\t', '-']))
            .find(|(i, line)| {
                let text = if *i == start - 1 {
                    line.split_once(':').map_or("", |(_, rest)| rest)
                } else {
                    line
                };
                text.contains(value)
            })
            .map(|(i, _)| i + 1)
    }

    /// Line (1-based, within the YAML) on which top-level `key` is written.
    pub(crate) fn key_line(&self, key: &str) -> Option<usize> {
        self.yaml
            .lines()
            .position(|line| top_level_key(line) == Some(key))
            .map(|i| i + 1)
    }

    /// Parses the YAML into its top-level mapping; empty YAML is an empty mapping.
    pub(crate) fn parse_mapping(&self, what: &str) -> Result<Mapping, Diagnostic> {
        if self.yaml.trim().is_empty() {
            return Ok(Mapping::new());
        }
        self.not_too_deep()?;
        let value: Value = serde_yaml::from_str(self.yaml).map_err(|e| self.serde_error(&e))?;
        match value {
            Value::Mapping(m) => Ok(m),
            Value::Null => Ok(Mapping::new()),
            other => Err(self
                .error_at(
                    format!(
                        "{what} must be a list of `key: value` lines, but it is {}",
                        describe(&other)
                    ),
                    1,
                    1,
                )
                .with_hint("write one field per line, e.g. `title: My page`")),
        }
    }

    /// One diagnostic per key of `mapping` that is not in `known`, with the
    /// nearest known key as a suggestion.
    pub(crate) fn unknown_keys(
        &self,
        mapping: &Mapping,
        known: &[&str],
        what: &str,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for key in mapping.keys() {
            let Some(key) = key.as_str() else {
                problems.push(self.error_at(
                    format!("a {what} key must be text, not {}", describe(key)),
                    1,
                    1,
                ));
                continue;
            };
            if known.contains(&key) {
                continue;
            }
            let hint = match nearest(key, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the known {what} fields are: {}", known.join(", ")),
            };
            problems.push(
                self.error_at_key(format!("unknown {what} field `{key}`"), key)
                    .with_hint(hint),
            );
        }
        problems
    }

    /// Deserializes `mapping`, this YAML as [`Source::parse_mapping`] read it,
    /// into `T` without parsing the text again (front matter was parsed twice
    /// per document: a tenth of a build). serde_yaml gives no line for a
    /// problem in an already-parsed value, so when `mapping` does not fit `T`,
    /// or is empty (which may stand for a document that is not a mapping), this
    /// is [`Source::deserialize`]: the text is read again for the problem's line.
    pub(crate) fn deserialize_parsed<T: DeserializeOwned>(
        &self,
        mapping: Mapping,
    ) -> Result<T, Diagnostic> {
        if !mapping.is_empty()
            && let Ok(value) = serde_yaml::from_value(Value::Mapping(mapping))
        {
            return Ok(value);
        }
        self.deserialize()
    }

    /// Deserializes the YAML into `T`, reporting the first problem at its line.
    pub(crate) fn deserialize<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let text = if self.yaml.trim().is_empty() {
            "{}"
        } else {
            self.yaml
        };
        self.not_too_deep()?;
        serde_yaml::from_str(text).map_err(|e| self.serde_error(&e))
    }

    /// Refuses brackets nested too deeply for the parser to read in good time.
    fn not_too_deep(&self) -> Result<(), Diagnostic> {
        match nesting::too_deep(self.yaml) {
            None => Ok(()),
            Some((line, column)) => Err(self
                .error_at(
                    format!(
                        "lists and maps in brackets nest more than {} deep here",
                        nesting::MAX_FLOW_DEPTH
                    ),
                    line,
                    column,
                )
                .with_hint("close each `[` with `]` and each `{` with `}`, or write the value as lines of `- item`")),
        }
    }

    fn serde_error(&self, error: &serde_yaml::Error) -> Diagnostic {
        let raw = error.to_string();
        let (mut line, mut column) = error
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let (message, hint) = if let Some(context) = unclosed(&raw) {
            // libyaml notices an unclosed quote or bracket only where the text
            // ends; the place to fix is where it was opened.
            (line, column) = (context.line, context.column);
            (context.message.to_string(), Some(context.hint.to_string()))
        } else if let Some(key) = duplicate_key(&raw) {
            line = self.nth_key_line(key, 2).unwrap_or(line);
            column = 1;
            (
                format!("the field `{key}` appears more than once"),
                Some("each field may appear only once; remove or rename one of them".to_string()),
            )
        } else if let Some(tab) = self.indenting_tab(line).filter(|_| is_about_a_tab(&raw)) {
            column = tab;
            let line = line + self.first_line - 1;
            (
                format!("line {line} is indented with a tab, which YAML does not allow"),
                Some(format!(
                    "indent with spaces, not tabs: replace the tab at the start of line {line} with spaces"
                )),
            )
        } else {
            plain_english(&raw)
        };
        let diagnostic = self.error_at(message, line, column);
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }

    /// The column (1-based) of a tab in the indentation of `line` (1-based,
    /// within the YAML), if it has one.
    fn indenting_tab(&self, line: usize) -> Option<usize> {
        let text = self.yaml.lines().nth(line.checked_sub(1)?)?;
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        // Spaces and tabs are one byte each: the byte is the column.
        text[..indent].find('\t').map(|i| i + 1)
    }

    /// Line (1-based, within the YAML) of the `n`th time top-level `key` is written.
    fn nth_key_line(&self, key: &str, n: usize) -> Option<usize> {
        self.yaml
            .lines()
            .enumerate()
            .filter(|(_, line)| top_level_key(line) == Some(key))
            .nth(n - 1)
            .map(|(i, _)| i + 1)
    }
}

/// An unclosed quote, bracket or brace, and where it was opened.
struct Unclosed {
    message: &'static str,
    hint: &'static str,
    line: usize,
    column: usize,
}

/// Reads libyaml's ", while scanning a quoted scalar at line 3 column 10".
fn unclosed(raw: &str) -> Option<Unclosed> {
    let context = &raw[raw.find(", while ")? + 2..];
    let (message, hint) = if context.contains("quoted scalar") {
        (
            "this quoted value has no closing quote",
            "end the value with the same quote mark it starts with",
        )
    } else if context.contains("flow sequence") {
        (
            "this list in brackets is not closed",
            "end the list with `]`, e.g. `topics: [resilience, bullying]`",
        )
    } else if context.contains("flow mapping") {
        ("this `{` is not closed", "end the map with `}`")
    } else {
        return None;
    };
    let position = &context[context.find(" at line ")? + 9..];
    let mut numbers = position.split(" column ");
    let line = numbers.next()?.trim().parse().ok()?;
    let column = numbers.next()?.trim().parse().ok()?;
    Some(Unclosed {
        message,
        hint,
        line,
        column,
    })
}

/// Whether libyaml's message may be about a tab where it reads indentation
/// ("found a tab character that violates indentation", or "found character
/// that cannot start any token" when a line starts with one).
fn is_about_a_tab(raw: &str) -> bool {
    raw.contains("tab character") || raw.contains("cannot start any token")
}

/// The key of serde_yaml's "duplicate entry with key \"title\"".
fn duplicate_key(raw: &str) -> Option<&str> {
    let rest = &raw[raw.find("duplicate entry with key \"")? + 26..];
    Some(&rest[..rest.find('"')?])
}

/// The key of a line like `title: x` at the start of the line (no indent).
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let colon = line.find(':')?;
    let key = line[..colon].trim_end();
    Some(key.trim_matches(|c| c == '"' || c == '\''))
}

/// What a YAML value is, in words.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map of fields",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Turns a serde_yaml message into a sentence for an editor, and a hint.
fn plain_english(raw: &str) -> (String, Option<String>) {
    let message = raw
        .find(" at line ")
        .or_else(|| raw.find(" at position "))
        .map_or(raw, |i| &raw[..i]);
    let (field, detail) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (Some(path), rest),
        _ => (None, message),
    };
    if let Some(rest) = detail.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match nearest(name, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the known fields are: {}", known.join(", ")),
        };
        let place = field.map(|f| format!(" in `{f}`")).unwrap_or_default();
        return (format!("unknown field `{name}`{place}"), Some(hint));
    }
    let subject = field.map_or_else(|| "this value".to_string(), |f| format!("`{f}`"));
    let expected = |what: &str, hint: &str| {
        (
            format!("{subject} should be {what}, but {}", found_in(detail)),
            Some(hint.to_string()),
        )
    };
    if detail.contains("expected a sequence") {
        let name = field.unwrap_or("topics");
        return expected(
            "a list",
            &format!("write a list in brackets, e.g. `{name}: [first, second]`"),
        );
    }
    if detail.contains("expected a boolean") {
        return expected("true or false", "write `true` or `false` without quotes");
    }
    if detail.contains("expected i64") || detail.contains("expected u32") {
        return expected("a whole number", "write a number such as `10`");
    }
    if detail.contains("expected a string") || detail.contains("expected text") {
        return expected("text", "put the value in quotes");
    }
    if detail.contains("expected a map") || detail.contains("expected struct") {
        return expected(
            "a map of fields",
            "indent the fields below it, one `key: value` per line",
        );
    }
    if detail.contains("mapping values are not allowed") {
        return (
            "a value contains `: ` which YAML reads as a new field".into(),
            Some("put the whole value in quotes, e.g. `title: \"Resilience: a guide\"`".into()),
        );
    }
    if detail.contains("found character that cannot start any token") {
        return (
            "this line starts with a character YAML cannot read here (often a tab or `@`)".into(),
            Some("indent with spaces, not tabs, and put values starting with `@` or `` ` `` in quotes".into()),
        );
    }
    if detail.contains("recursion limit") || detail.contains("repetition limit") {
        return (
            "the YAML nests or repeats too deeply to be read".into(),
            Some(
                "simplify the value; anchors and aliases that expand into huge values are refused"
                    .into(),
            ),
        );
    }
    (
        format!("could not read the YAML: {detail}"),
        Some("check the indentation and quote values that contain `:` or `#`".into()),
    )
}

/// The "found" part of serde's "invalid type: X, expected Y".
fn found_in(detail: &str) -> String {
    let found = detail
        .strip_prefix("invalid type: ")
        .and_then(|d| d.split(", expected").next())
        .unwrap_or(detail);
    format!("it is {found}")
}

/// A scalar that may be written as text or as a number (`published: 2019`, or
/// `published: "2019-10"`), kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl<'de> de::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(yaml: &str) -> Source<'_> {
        Source {
            file: Path::new("content/a.md"),
            file_text: yaml,
            yaml,
            first_line: 1,
        }
    }

    #[test]
    fn finds_top_level_key_lines() {
        let s = source("title: x\nextra:\n  title: y\n\"summary\": z\n");
        assert_eq!(s.key_line("title"), Some(1));
        assert_eq!(s.key_line("summary"), Some(4));
        assert_eq!(s.key_line("missing"), None);
    }

    #[test]
    fn unclosed_quote_points_where_it_opens() {
        let s = source("title: A\nsummary: \"unclosed\ndate: 2020-01-01\n");
        let d = s.parse_mapping("front matter").expect_err("unclosed quote");
        assert_eq!(d.message, "this quoted value has no closing quote");
        assert_eq!((d.line, d.column), (Some(2), Some(10)));
    }

    #[test]
    fn unclosed_list_points_where_it_opens() {
        let s = source("title: A\ntopics: [a, b\nsummary: x\n");
        let d = s.parse_mapping("front matter").expect_err("unclosed list");
        assert_eq!(d.message, "this list in brackets is not closed");
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let s = source("title: A\nsummary: x\ntitle: B\n");
        let d = s.parse_mapping("front matter").expect_err("duplicate");
        assert_eq!(d.message, "the field `title` appears more than once");
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_with_its_line() {
        for yaml in ["topics:\n  a: A\n\tb: B\n", "topics:\n\tb: B\n  a: A\n"] {
            let d = source(yaml).parse_mapping("site.yaml").expect_err("a tab");
            assert!(
                d.message
                    .ends_with("is indented with a tab, which YAML does not allow")
            );
            let line = d.line.expect("a line");
            assert_eq!(yaml.lines().nth(line - 1), Some("\tb: B"), "{yaml:?}");
            assert_eq!(d.column, Some(1));
        }
    }

    #[test]
    fn values_of_block_lists_have_their_own_line() {
        let s = source("title: A\ntopics:\n  - resilience\n  - bulying\nsummary: bulying\n");
        assert_eq!(s.value_line("topics", "bulying"), Some(4));
        let s = source("topics: [resilience, bulying]\n");
        assert_eq!(s.value_line("topics", "bulying"), Some(1));
    }

    #[test]
    fn type_errors_are_plain_english() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)] // the field is only deserialized to provoke the error
        struct T {
            topics: Vec<String>,
        }
        let s = source("topics: resilience\n");
        let d = s.deserialize::<T>().err().expect("a string is not a list");
        assert_eq!(
            d.message,
            "`topics` should be a list, but it is string \"resilience\""
        );
        assert_eq!(d.line, Some(1));
        assert_eq!(
            d.hint.as_deref(),
            Some("write a list in brackets, e.g. `topics: [first, second]`")
        );
    }
}
