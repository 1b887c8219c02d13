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
    /// The text of the offending line, shown under the location; a long
    /// line is cut to the part around the column (`…` marks the cuts).
    pub source_line: Option<String>,
    /// The column of `source_line` that the caret points at.
    pub caret: Option<usize>,
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
            caret: None,
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
    pub(crate) fn at(self, text: &str, line: usize, column: usize) -> Self {
        let mut located = self.at_position(line, column);
        located.show(text.lines().nth(line.saturating_sub(1)));
        located
    }

    /// Points at `line` and `column` without keeping the line: for one of the
    /// many problems of a file, whose lines [`show_lines`] finds once.
    pub(crate) fn at_position(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self
    }

    /// Keeps `text`, the line pointed at, to show it.
    fn show(&mut self, text: Option<&str>) {
        if let (Some(text), Some(column)) = (text, self.column) {
            let (shown, caret) = excerpt(text.trim_end(), column);
            self.source_line = Some(shown);
            self.caret = Some(caret);
        }
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

/// A line as shown under a problem, and the caret's column in it: a long
/// line (a paragraph of a thousand links) is cut to the part around `column`.
fn excerpt(text: &str, column: usize) -> (String, usize) {
    const BEFORE: usize = 60;
    const WIDTH: usize = 120;
    let length = text.chars().count();
    let column = column.min(length + 1);
    if length <= WIDTH {
        return (text.to_string(), column);
    }
    let start = column.saturating_sub(BEFORE + 1);
    let mut shown: String = text.chars().skip(start).take(WIDTH).collect();
    if start + WIDTH < length {
        shown.push('…');
    }
    if start == 0 {
        return (shown, column);
    }
    (format!("…{shown}"), column - start + 1)
}

/// Sorts the problems of one file, each found with
/// [`Diagnostic::at_position`], and keeps the lines of those a report shows
/// (the first [`SHOWN_PER_FILE`]). One file can have thousands of problems:
/// its lines are found once, and only fifty are kept.
pub(crate) fn show_lines(problems: &mut [Diagnostic], text: &str) {
    sort(problems);
    let Some(last) = problems
        .iter()
        .take(SHOWN_PER_FILE)
        .filter_map(|d| d.line)
        .max()
    else {
        return;
    };
    let lines: Vec<&str> = text.lines().take(last).collect();
    for d in problems.iter_mut().take(SHOWN_PER_FILE) {
        let line = d.line.and_then(|n| lines.get(n.checked_sub(1)?)).copied();
        d.show(line);
    }
}

/// How many problems of one file a report shows; the rest are counted.
pub const SHOWN_PER_FILE: usize = 50;

/// A line of a report for people: a problem, or how many more a file has.
pub enum Shown<'a> {
    Problem(&'a Diagnostic),
    More { file: &'a Path, count: usize },
}

/// Sorted problems as people read them: the first [`SHOWN_PER_FILE`] of each
/// file, then how many more that file has. (JSON reports give them all.)
pub fn shown(problems: &[Diagnostic]) -> Vec<Shown<'_>> {
    let mut shown = Vec::new();
    for same_file in problems.chunk_by(|a, b| a.file == b.file) {
        let Some(file) = same_file[0]
            .file
            .as_deref()
            .filter(|_| same_file.len() > SHOWN_PER_FILE)
        else {
            shown.extend(same_file.iter().map(Shown::Problem));
            continue;
        };
        shown.extend(same_file[..SHOWN_PER_FILE].iter().map(Shown::Problem));
        shown.push(Shown::More {
            file,
            count: same_file.len() - SHOWN_PER_FILE,
        });
    }
    shown
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Problem(d) => d.fmt(f),
            Shown::More { file, count } => write!(
                f,
                "... and {count} more in {}: fix the ones above, then run the command again to see the rest",
                printable(&file.display().to_string())
            ),
        }
    }
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
        write!(f, "\n{pad}--> {}", printable(&location))?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            write!(f, "\n{pad} |\n{line} | {}", printable(text))?;
            if let Some(caret) = self.caret {
                let caret_pad = " ".repeat(caret.saturating_sub(1));
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
    fn control_characters_in_a_file_name_are_escaped() {
        let d = Diagnostic::error("x")
            .in_file("content/a\u{1b}[2J.md")
            .at("t\n", 1, 1);
        assert!(
            d.to_string().contains(" --> content/a\\u{1b}[2J.md:1:1\n"),
            "{d}"
        );
    }

    #[test]
    fn the_lines_of_problems_shown_are_kept_and_no_others() {
        let text = "one\r\ntwo\n\nfour\n".repeat(30);
        let mut problems: Vec<Diagnostic> = (1..=120)
            .rev()
            .map(|n| Diagnostic::error("x").in_file("a.md").at_position(n, 1))
            .collect();
        show_lines(&mut problems, &text);
        for (i, d) in problems.iter().enumerate() {
            assert_eq!(d.line, Some(i + 1), "sorted by line");
            let expected = text.lines().nth(i).filter(|_| i < SHOWN_PER_FILE);
            assert_eq!(d.source_line.as_deref(), expected, "line {}", i + 1);
        }
    }

    #[test]
    fn a_report_shows_fifty_problems_of_a_file_and_counts_the_rest() {
        let problem = |file: &str, line| {
            Diagnostic::error("link to `content/x.md`, which does not exist")
                .in_file(file)
                .at("", line, 1)
        };
        let mut problems: Vec<Diagnostic> = (1..=120).map(|l| problem("content/a.md", l)).collect();
        problems.extend((1..=3).map(|l| problem("content/b.md", l)));
        let shown = shown(&problems);
        assert_eq!(shown.len(), SHOWN_PER_FILE + 1 + 3);
        assert_eq!(
            shown[SHOWN_PER_FILE].to_string(),
            "... and 70 more in content/a.md: fix the ones above, then run the command again to see the rest"
        );
        assert!(
            shown[SHOWN_PER_FILE + 1]
                .to_string()
                .contains("content/b.md:1:1")
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}<div>{}", "a".repeat(200), "b".repeat(200));
        let d = Diagnostic::error("too deep")
            .in_file("content/a.md")
            .at(&line, 1, 201);
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let expected = format!("1 | …{}<div>{}…", "a".repeat(60), "b".repeat(55));
        assert_eq!(lines[3], expected);
        let caret = lines[4].chars().position(|c| c == '^').expect("a caret");
        let under: String = lines[3].chars().skip(caret).take(5).collect();
        assert_eq!(under, "<div>", "{shown}");
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
