//! The build driver: runs the stages in order and collects every problem.
//!
//! Entry point: [`build`]. Nothing is written unless every stage succeeded; then
//! the output folder is replaced as a whole (see `output`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::dates::DateTime;
use crate::diagnostic::{self, Diagnostic};
use crate::document::{self, Document};
use crate::markdown::{self, Rendered};
use crate::output::{self, Contents, OutputFile};
use crate::site::{self, Site};
use crate::theme::{self, Origin, Theme};
use crate::{config, discover, feeds, render, suggest};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Replaces site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Today", for upcoming events.
    pub build_date: DateTime,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Builds the site; on failure returns all problems (errors and warnings) sorted.
pub fn build(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let started = Instant::now();
    let config = config::load(&options.root)?;
    let config = match &options.base_url {
        Some(url) => config.with_base_url(url).map_err(|why| {
            vec![Diagnostic::error(format!("--base-url {why}")).with_hint(
                "give the full address, e.g. --base-url https://council.example/healthy-schools/",
            )]
        })?,
        None => config,
    };
    output::check_target(&options.root, &options.output).map_err(|d| vec![d])?;

    let mut problems = Vec::new();
    let theme = theme::load(&options.root, &config);
    let found = discover::discover(&options.root);
    problems.extend(found.problems);

    let parsed: Vec<Result<Document, Vec<Diagnostic>>> = found
        .documents
        .par_iter()
        .map(|source| document::parse(source, &config))
        .collect();
    let mut documents = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(d) => documents.push(d),
            Err(p) => problems.extend(p),
        }
    }
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let static_files = theme
        .as_ref()
        .map(|t| t.static_files.iter().map(|s| s.path.clone()).collect())
        .unwrap_or_default();
    let (site, site_problems) = site::assemble(site::Input {
        config,
        documents,
        assets: found.assets,
        include_drafts: options.drafts,
        build_date: options.build_date,
        static_files,
    });
    problems.extend(site_problems);

    let markdown = render_markdown(&site);
    problems.extend(body_problems(&site, &markdown));

    let mut files = Vec::new();
    let mut pages = 0;
    if let Some(theme) = &theme
        && !problems.iter().any(Diagnostic::is_error)
    {
        let (rendered, template_problems) = render::render_pages(&site, &markdown, theme);
        problems.extend(template_problems);
        pages = rendered.len();
        files = rendered;
        files.extend(feeds::render_extras(&site));
        files.extend(copied_files(&site, theme));
        problems.extend(clashing_paths(&files));
    }

    diagnostic::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    output::write(&options.output, &files).map_err(|d| {
        let mut all = problems.clone();
        all.push(d);
        all
    })?;
    Ok(Report {
        pages,
        files: files.len(),
        warnings: problems,
        elapsed: started.elapsed(),
    })
}

/// Renders every document's markdown, resolving links through the site's routes.
fn render_markdown(site: &Site) -> Vec<Rendered> {
    site.documents
        .par_iter()
        .map(|d| {
            let resolve = |dest: &str| site.routes.resolve(&d.key, dest);
            markdown::render(&markdown::Input {
                body: d.body(),
                first_line: d.body_first_line,
                allow_unsafe_html: site.config.allow_unsafe_html,
                resolve: &resolve,
            })
        })
        .collect()
}

/// Broken links, and `#fragment` links to headings that do not exist.
fn body_problems(site: &Site, markdown: &[Rendered]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (d, rendered) in site.documents.iter().zip(markdown) {
        for p in &rendered.problems {
            problems.push(
                Diagnostic::error(p.problem.message.clone())
                    .in_file(&d.file)
                    .at(&d.text, p.line, p.column)
                    .with_hint(p.problem.hint.clone()),
            );
        }
        for link in &rendered.fragments {
            let Some(target) = site.index_of(&link.target_key) else {
                continue;
            };
            let toc = &markdown[target].toc;
            if toc.iter().any(|h| h.id == link.id) {
                continue;
            }
            let target_file = site.documents[target].file.display();
            let hint = match suggest::nearest(&link.id, toc.iter().map(|h| h.id.as_str())) {
                Some(near) => format!("did you mean `#{near}`?"),
                None if toc.is_empty() => format!("{target_file} has no headings"),
                None => format!(
                    "its headings are: {}",
                    toc.iter()
                        .map(|h| format!("#{}", h.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            problems.push(
                Diagnostic::error(format!(
                    "link to `#{}`, but {target_file} has no heading with that id",
                    link.id
                ))
                .in_file(&d.file)
                .at(&d.text, link.line, link.column)
                .with_hint(hint),
            );
        }
    }
    problems
}

/// The content folder's other files and the theme's static files.
fn copied_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let assets = site.assets.iter().map(|a| OutputFile {
        path: a.key.clone(),
        contents: Contents::Copy(a.path.clone()),
    });
    let statics = theme.static_files.iter().map(|s| OutputFile {
        path: s.path.clone(),
        contents: match &s.origin {
            Origin::Disk(path) => Contents::Copy(path.clone()),
            Origin::BuiltIn(bytes) => Contents::Bytes(bytes),
        },
    });
    assets.chain(statics).collect()
}

/// Two outputs at one path (a content file named like a theme file, say).
fn clashing_paths(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if seen.insert(&f.path, i).is_some() {
            problems.push(
                Diagnostic::error(format!("two files would be written to `{}`", f.path))
                    .with_hint("rename the file in content/ or static/ that has the same name as a page or theme file"),
            );
        }
    }
    problems
}
