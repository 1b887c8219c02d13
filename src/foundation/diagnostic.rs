//! Problems found while building, written for content editors.
//!
//! Every stage returns its result together with the [`Diagnostic`]s it found, so a
//! build reports all problems at once instead of stopping at the first. A
//! diagnostic knows the file (relative to the site root), the line and column, the
//! offending line of text and a hint that says how to fix it. Content lints
//! (`bounce check`) also carry a stable [`Diagnostic::code`] (`missing-alt`), which
//! editors use to silence them and tools read from the JSON form ([`to_json`]).

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors stop the build, warnings do not, and notes
/// are advice that even `bounce check --strict` lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    /// `error`, `warning` or `note`, as printed and in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The lint's stable code (`missing-alt`); none for problems a build finds.
    pub code: Option<&'static str>,
    pub message: String,
    /// The file, relative to the site root (`content/partners/nspcc.md`).
    pub file: Option<PathBuf>,
    /// 1-based line and column in that file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The text of the offending line, shown under the location.
    pub source_line: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code: None,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            source_line: None,
            hint: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Note,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at `line` (1-based) of `text`, the whole content of the file, and
    /// keeps that line to show it.
    pub(crate) fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end().to_string());
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The `file:line:column` part, or just the file, or nothing.
    pub(crate) fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }

    /// Order for reports: by file, then line, then message.
    fn sort_key(&self) -> (Option<&PathBuf>, Option<usize>, Option<usize>, &str) {
        (self.file.as_ref(), self.line, self.column, &self.message)
    }
}

/// One finding as JSON, its fields in the order people read them.
#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    level: &'static str,
    code: Option<&'static str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// A JSON array with one object per diagnostic: `level`, `code`, `file`,
/// `line`, `column`, `message`, `hint` (null when unknown; `code` is null for
/// problems a build finds, which cannot be silenced).
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let findings: Vec<JsonFinding> = diagnostics
        .iter()
        .map(|d| JsonFinding {
            level: d.level.name(),
            code: d.code,
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.line,
            column: d.column,
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&findings).expect("strings and numbers always serialize")
}

/// Sorts diagnostics so reports are the same from one run to the next.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.level.name();
        match self.code {
            Some(code) => write!(f, "{level}[{code}]: {}", printable(&self.message))?,
            None => write!(f, "{level}: {}", printable(&self.message))?,
        }
        let Some(location) = self.location() else {
            if let Some(hint) = &self.hint {
                write!(f, "\n  = hint: {}", printable(hint))?;
            }
            return Ok(());
        };
        let gutter = self.line.map(|l| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        write!(f, "\n{pad}--> {location}")?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            write!(f, "\n{pad} |\n{line} | {}", printable(text))?;
            if let Some(column) = self.column {
                let caret_pad = " ".repeat(column.saturating_sub(1).min(text.chars().count()));
                write!(f, "\n{pad} | {caret_pad}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n{pad} = hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// Control characters (which would garble a terminal) written as `\u{7}`.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_location_line_and_hint() {
        let text = "---\ntitle: NSPCC\nwebiste: x\n---\n";
        let d = Diagnostic::error("unknown field `webiste`")
            .in_file("content/partners/nspcc.md")
            .at(text, 3, 1)
            .with_hint("did you mean `website`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `webiste`\n --> content/partners/nspcc.md:3:1\n  |\n3 | webiste: x\n  | ^\n  = hint: did you mean `website`?"
        );
    }

    #[test]
    fn without_file_shows_message_and_hint() {
        let d = Diagnostic::warning("no documents found").with_hint("add content/_index.md");
        assert_eq!(
            d.to_string(),
            "warning: no documents found\n  = hint: add content/_index.md"
        );
    }

    #[test]
    fn a_lint_shows_its_code_and_has_a_json_form() {
        let text = "---\ntitle: T\n---\n![](team.jpg)\n";
        let d = Diagnostic::warning("image has no alt text")
            .with_code("missing-alt")
            .in_file("content/about/team.md")
            .at(text, 4, 1)
            .with_hint("describe the image: `![The team at the summer fair](team.jpg)`");
        assert!(
            d.to_string().starts_with(
                "warning[missing-alt]: image has no alt text\n --> content/about/team.md:4:1"
            ),
            "{d}"
        );
        assert_eq!(
            to_json(&[d, Diagnostic::error("no `site.yaml` in x")]),
            r#"[
  {
    "level": "warning",
    "code": "missing-alt",
    "file": "content/about/team.md",
    "line": 4,
    "column": 1,
    "message": "image has no alt text",
    "hint": "describe the image: `![The team at the summer fair](team.jpg)`"
  },
  {
    "level": "error",
    "code": null,
    "file": null,
    "line": null,
    "column": null,
    "message": "no `site.yaml` in x",
    "hint": null
  }
]"#
        );
    }
}
