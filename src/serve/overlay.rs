//! The page shown instead of every HTML page while the last rebuild failed: each
//! problem with its file, line and column, message, the offending line and the
//! hint, so an editor can fix it without looking at the terminal.

use std::fmt::Write;

use crate::foundation::diagnostic::{self, Diagnostic, Level, Shown};
use crate::render::feeds::escape;

const STYLE: &str = "\
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, \"Segoe UI\", sans-serif; color: #1b1b1b; background: #ffffff; }
main { max-width: 48rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { margin: 0 0 0.5rem; font-size: 1.75rem; color: #9b1020; }
ol { padding: 0; list-style: none; }
li { margin: 1.5rem 0; padding: 0.75rem 1rem; border-left: 0.375rem solid #9b1020; background: #fbf0f1; }
li.warning, li.note { border-left-color: #6b4e00; background: #fbf6e6; }
h2 { margin: 0; font: 600 1rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
p { margin: 0.5rem 0; }
pre { margin: 0.5rem 0; padding: 0.75rem; overflow-x: auto; color: #f5f5f5; background: #1b1b1b; font-size: 0.9375rem; }
@media (prefers-color-scheme: dark) {
  body { color: #eeeeee; background: #161616; }
  h1 { color: #ff8a93; }
  li { background: #2a1619; border-left-color: #ff8a93; }
  li.warning, li.note { background: #2a2416; border-left-color: #e0b85a; }
  pre { background: #000000; }
}
";

/// The whole overlay page (the live-reload script is added by the caller, like
/// for every HTML response).
pub(super) fn page(problems: &[Diagnostic]) -> String {
    let count = match problems.len() {
        1 => "a problem".to_string(),
        n => format!("{n} problems"),
    };
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site did not build</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>The site did not build</h1>\n\
         <p>bounce found {count} in the last rebuild. Fix the files and save: \
         this page reloads by itself, and shows the site again once it builds.</p>\n<ol>\n"
    );
    for line in diagnostic::shown(problems) {
        match line {
            Shown::Problem(problem) => push_problem(&mut html, problem),
            more @ Shown::More { .. } => {
                let _ = writeln!(
                    html,
                    "<li class=\"note\"><p>{}</p></li>",
                    escape(&more.to_string())
                );
            }
        }
    }
    html.push_str("</ol>\n</main>\n</body>\n</html>\n");
    html
}

fn push_problem(html: &mut String, problem: &Diagnostic) {
    let (class, label) = match problem.level {
        Level::Error => ("error", "Error"),
        Level::Warning => ("warning", "Warning"),
        Level::Note => ("note", "Note"),
    };
    let location = problem.location().unwrap_or_else(|| "site".to_string());
    // Writing to a String cannot fail.
    let _ = write!(
        html,
        "<li class=\"{class}\">\n<h2>{}</h2>\n<p><strong>{label}:</strong> {}</p>\n",
        escape(&location),
        with_code(&problem.message)
    );
    if let Some(source) = &problem.source_line {
        let _ = write!(html, "<pre><code>{}", escape(source));
        if let Some(caret) = problem.caret {
            let _ = write!(html, "\n{}^", escape(&caret_indent(source, caret)));
        }
        html.push_str("</code></pre>\n");
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(html, "<p><strong>Hint:</strong> {}</p>", with_code(hint));
    }
    html.push_str("</li>\n");
}

/// `text` as HTML, its `` `code` `` spans (as in markdown: a run of
/// backticks up to the next run of as many) as `<code>`. A backtick with no
/// match stays as it is.
fn with_code(text: &str) -> String {
    let runs = backtick_runs(text);
    // For each run, the next run of the same length: found once for all, so
    // the work stays in proportion to the text.
    let mut next_same = vec![None; runs.len()];
    let mut last_of_length: std::collections::HashMap<usize, usize> = Default::default();
    for (i, (start, end)) in runs.iter().enumerate().rev() {
        next_same[i] = last_of_length.insert(end - start, i);
    }
    let mut html = String::with_capacity(text.len());
    let mut done = 0;
    for (i, &(start, end)) in runs.iter().enumerate() {
        let Some(close) = next_same[i].filter(|_| start >= done) else {
            continue;
        };
        let (close_start, close_end) = runs[close];
        let code = &text[end..close_start];
        let code = match code.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
            Some(inner) if !inner.trim().is_empty() => inner,
            _ => code,
        };
        html.push_str(&escape(&text[done..start]));
        let _ = write!(html, "<code>{}</code>", escape(code));
        done = close_end;
    }
    html.push_str(&escape(&text[done..]));
    html
}

/// The byte ranges of the runs of backticks in `text`.
fn backtick_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, _) in text.match_indices('`') {
        match runs.last_mut() {
            Some(run) if run.1 == i => run.1 = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    runs
}

/// Spaces up to 1-based `column` of `source`, keeping its tabs so the caret
/// lines up under the character.
fn caret_indent(source: &str, column: usize) -> String {
    source
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_shows_location_message_source_and_hint_escaped() {
        let problem = Diagnostic::error("unknown field `<webiste>`")
            .in_file("content/partners/nspcc.md")
            .at("---\n\twebiste: <b>x</b>\n", 2, 2)
            .with_hint("did you mean `website` & not `webiste`?");
        let html = page(&[problem]);
        assert!(html.contains("<title>The site did not build</title>"));
        assert!(html.contains("bounce found a problem"));
        assert!(html.contains("<h2>content/partners/nspcc.md:2:2</h2>"));
        assert!(
            html.contains("<strong>Error:</strong> unknown field <code>&lt;webiste&gt;</code>")
        );
        assert!(html.contains("<pre><code>\twebiste: &lt;b&gt;x&lt;/b&gt;\n\t^</code></pre>"));
        assert!(html.contains("did you mean <code>website</code> &amp; not <code>webiste</code>?"));
        assert!(!html.contains("<b>x</b>"));
    }

    #[test]
    fn code_in_messages_and_hints_is_shown_as_code() {
        let problem = Diagnostic::error("no partner `nspc`").with_hint(
            "put values starting with `@` or `` ` `` in quotes; ``a`b`` holds one; a lone ` stays",
        );
        let html = page(&[problem]);
        assert!(
            html.contains("<strong>Error:</strong> no partner <code>nspc</code></p>"),
            "{html}"
        );
        assert!(
            html.contains("<strong>Hint:</strong> put values starting with <code>@</code> or <code>`</code> in quotes; <code>a`b</code> holds one; a lone ` stays</p>"),
            "{html}"
        );
        assert!(!html.contains("`nspc`"), "{html}");
    }

    #[test]
    fn a_problem_without_a_file_is_about_the_site() {
        let html = page(&[Diagnostic::error("a"), Diagnostic::warning("b")]);
        assert!(html.contains("bounce found 2 problems"));
        assert!(html.contains("<h2>site</h2>"));
        assert!(html.contains("<li class=\"warning\">"));
        assert!(!html.contains("<pre>"));
    }
}
