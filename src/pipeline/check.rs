//! `bounce check`: the pipeline's steps up to the pages, writing nothing, so
//! it finds every problem a build would refuse, plus the content lints.
//!
//! Entry point: [`check`]. It runs steps 1 to 7 of the pipeline (the pages are
//! rendered and thrown away: template errors); under `--strict` the lints'
//! warnings become errors. Printing is left to the binary.

use crate::foundation::diagnostic::{self, Diagnostic, Level};
use crate::pipeline::{self, Loaded, protect};
use crate::render::{self, Shared, Sink};

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The same options a build takes (the output folder is never touched).
    pub build: pipeline::Options,
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
    let config = match pipeline::configure(&options.build) {
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
    let Loaded {
        site,
        markdown,
        theme,
        mut problems,
    } = pipeline::load(&options.build, config);
    // The output's plan and the pages only once the content builds, as in a
    // build: a broken site would report the same mistake again as clashes or
    // template errors.
    if let Some(theme) = theme.filter(|_| !problems.iter().any(Diagnostic::is_error)) {
        let (plan, clashes) = pipeline::plan(&site, &theme);
        problems.extend(clashes);
        let shared = Shared::new(&site, &markdown);
        let sink = Sink {
            write: &|_, _| Ok(()),
            stop: &|problem| pipeline::build::stop(problem, None, "Check failed: 1 error."),
        };
        problems.extend(render::render_jobs(
            &site, &markdown, &theme, &shared, &plan.jobs, &sink,
        ));
    }
    problems.extend(pipeline::lint(&site, &markdown, &options.build));
    problems.extend(protect::public_links(&site, &markdown));
    // A passcode not set is the build's error; checking content needs none.
    let passcodes = options.build.protection.passcodes(&site.config);
    problems.extend(
        protect::missing(&site, &|g| passcodes.contains_key(g))
            .into_iter()
            .map(|mut d| {
                d.level = Level::Warning;
                d
            }),
    );
    if options.strict {
        for p in &mut problems {
            if p.level == Level::Warning {
                p.level = Level::Error;
            }
        }
    }
    diagnostic::sort(&mut problems);
    let documents = site.documents.iter().filter(|d| !d.text.is_empty()).count();
    Report {
        problems,
        documents,
        usage: false,
    }
}
