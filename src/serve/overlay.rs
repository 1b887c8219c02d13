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
        escape(&problem.message)
    );
    if let Some(source) = &problem.source_line {
        let _ = write!(html, "<pre><code>{}", escape(source));
        if let Some(caret) = problem.caret {
            let _ = write!(html, "\n{}^", escape(&caret_indent(source, caret)));
        }
        html.push_str("</code></pre>\n");
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(html, "<p><strong>Hint:</strong> {}</p>", escape(hint));
    }
    html.push_str("</li>\n");
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
        assert!(html.contains("<strong>Error:</strong> unknown field `&lt;webiste&gt;`"));
        assert!(html.contains("<pre><code>\twebiste: &lt;b&gt;x&lt;/b&gt;\n\t^</code></pre>"));
        assert!(html.contains("did you mean `website` &amp; not `webiste`?"));
        assert!(!html.contains("<b>x</b>"));
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
