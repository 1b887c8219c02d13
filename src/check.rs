//! `bounce check`: every validation a build does, without writing anything, plus
//! the content lints.
//!
//! Entry point: [`check`]. It runs the build's reading and validating stages
//! ([`build::configure`], [`build::load`]), renders the pages without keeping
//! them (template errors), and then [`lint::lint`]; under
//! `--strict` the lints' warnings become errors. Printing is left to the binary.

use crate::diagnostic::{self, Diagnostic, Level};
use crate::lint::{self, Dates};
use crate::{build, render};

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The same options a build takes (the output folder is never touched).
    pub build: build::Options,
    /// Warnings are errors.
    pub strict: bool,
}

/// Everything the check found.
#[derive(Debug)]
pub struct Report {
    /// Sorted by file, line and column.
    pub problems: Vec<Diagnostic>,
    /// The documents checked.
    pub documents: usize,
    /// The command itself was wrong (no site.yaml, a bad option): exit code 2.
    pub usage: bool,
}

impl Report {
    /// Whether the check failed: any error (under `--strict`, lint warnings are errors).
    pub fn failed(&self) -> bool {
        self.usage || self.problems.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, level: Level) -> usize {
        self.problems.iter().filter(|d| d.level == level).count()
    }
}

/// Checks the site: what a build would refuse, and what a reviewer would flag.
pub fn check(options: &Options) -> Report {
    let config = match build::configure(&options.build) {
        Ok(config) => config,
        Err(failure) => {
            let mut problems = failure.problems;
            diagnostic::sort(&mut problems);
            return Report {
                problems,
                documents: 0,
                usage: failure.usage,
            };
        }
    };
    let loaded = build::load(&options.build, config);
    let dates = Dates::from_build_date(options.build.build_date);
    let mut problems = loaded.problems;
    // Template errors are build errors too: render every page, keep nothing.
    if let Some(theme) = &loaded.theme
        && !problems.iter().any(Diagnostic::is_error)
    {
        let discard = |_: &str, _: String| Ok(());
        let (_, template_problems) =
            render::render_pages(&loaded.site, &loaded.markdown, theme, &discard);
        problems.extend(template_problems);
    }
    problems.extend(lint::lint(&loaded.site, &loaded.markdown, &dates));
    if options.strict {
        for p in &mut problems {
            if p.level == Level::Warning {
                p.level = Level::Error;
            }
        }
    }
    diagnostic::sort(&mut problems);
    Report {
        problems,
        documents: loaded
            .site
            .documents
            .iter()
            .filter(|d| !d.text.is_empty())
            .count(),
        usage: false,
    }
}
