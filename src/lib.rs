//! bounce: a static site generator for the resilience and wellbeing guidance that
//! Healthy Schools services publish for schools.
//!
//! The code is in layers, each a folder, listed here from the bottom up; a
//! layer uses only the layers above it in this list (a test in this file
//! checks that), so the modules read in the order the build runs:
//!
//! 1. [`foundation`]: diagnostics, dates, slugs, suggestions, attachment
//!    sizes, the A–Z sort key (`collate`), colour contrast (`colour`), the
//!    passcode crypto (`seal`): small pieces that know nothing of sites.
//! 2. [`source`]: reading the site's own files: `site.yaml` (`config`, its
//!    branding keys in `branding`), the
//!    files under `content/` (`discover`; `scripted` refuses those that could
//!    run script), front matter with each collection's
//!    fields (`frontmatter`) and the validated `Document`.
//! 3. [`markdown`]: a body to HTML and its outline (headings, images, links,
//!    tables), through a link resolver the caller gives; footnotes that link
//!    back (`footnotes`).
//! 4. [`site`]: documents assembled into sections and taxonomies, the route
//!    table that resolves links (`site::links`), and the output's reserved names.
//! 5. [`lint`]: the content lints, reading documents and markdown outlines.
//! 6. [`render`]: pages through the theme's tera templates (`render::theme`),
//!    the sitemap, feed and redirects (`render::feeds`), the search index
//!    (`render::search`); a watchdog stops a page whose template runs too
//!    long or grows too big (`render::limits`).
//! 7. [`pipeline`]: the list of steps from files to output, and the drivers
//!    that run it: `build`, `check`, and the incremental rebuild that `watch`
//!    runs on every change; `pipeline::output` writes the output folder, and
//!    `pipeline::protect` seals passcode-protected documents and files.
//! 8. [`scaffold`]: `bounce new` and `bounce init`; [`serve`]: the preview
//!    server of `bounce serve`; [`cli`]: the command line.
//!
//! Only discovery, config and theme loading, output, watch and serve touch the
//! disk or network; the steps between are functions from values to values.
//! Every problem is a [`diagnostic::Diagnostic`], collected, never thrown.

// A `Diagnostic` is large (file, line, text, hint) but only travels on the error
// path, which is cold; boxing it everywhere would add noise, not speed.
#![allow(clippy::result_large_err)]

pub mod cli;
mod foundation;
mod lint;
pub mod markdown;
mod pipeline;
mod render;
pub mod scaffold;
pub mod serve;
mod site;
mod source;

// The rest of the public surface: the commands, for the `bounce` binary and
// the integration tests, and the single steps that the property tests and
// the fuzz targets feed hostile input. Everything else is `pub(crate)`, so the
// compiler reports what nothing uses.

/// `bounce build`.
pub mod build {
    pub use crate::pipeline::build::{Report, build};
    pub use crate::pipeline::{Failure, Options, Protection, configure};
}

/// `bounce check`.
pub mod check {
    pub use crate::pipeline::check::{Options, Report, check};
}

/// `bounce watch`, and the rebuild of `watch` and `serve`.
pub mod watch {
    pub use crate::pipeline::watch::{Event, run};
}

/// The incremental rebuild, for its tests.
pub mod incremental {
    pub use crate::pipeline::incremental::{Kept, Outcome, Project};
}

/// The output folder's safety check.
pub mod output {
    pub use crate::pipeline::output::check_target;
}

/// Problems, as every command reports them.
pub mod diagnostic {
    pub use crate::foundation::diagnostic::{
        Diagnostic, Level, SHOWN_PER_FILE, Shown, shown, to_json,
    };
}

/// Dates as front matter writes them.
pub mod dates {
    pub use crate::foundation::dates::{DateTime, PartialDate, human};
}

/// URL slugs.
pub mod slug {
    pub use crate::foundation::slug::{is_safe_segment, slugify};
}

/// site.yaml.
pub mod config {
    pub use crate::source::config::{Config, parse};
}

/// A markdown file as read from `content/`.
pub mod discover {
    pub use crate::source::discover::SourceDocument;
}

/// SVG and XML files checked for script.
pub mod scripted {
    pub use crate::source::scripted::{Finding, check_xml};
}

/// Front matter split from the body.
pub mod frontmatter {
    pub use crate::source::frontmatter::split;
}

/// A document parsed and validated.
pub mod document {
    pub use crate::source::document::parse;
}

/// The route table links resolve through.
pub mod links {
    pub use crate::site::links::Routes;
}

/// What the guide's reference tables are made from, so that a test fails
/// when the guide (`docs/`) and the code disagree.
pub mod reference {
    pub use crate::source::allow::codes as lint_codes;
    pub use crate::source::config::KNOWN_KEYS as SITE_YAML_KEYS;
    pub use crate::source::frontmatter::{Collection, known_fields};
}

#[cfg(test)]
mod layers {
    //! The layers of the map above, checked: no module reaches up.

    use std::path::Path;

    /// The top-level modules from the bottom up; each may use only those
    /// before it.
    const ORDER: [&str; 10] = [
        "foundation",
        "source",
        "markdown",
        "site",
        "lint",
        "render",
        "pipeline",
        "scaffold",
        "serve",
        "cli",
    ];

    fn rank(module: &str) -> Option<usize> {
        ORDER.iter().position(|m| *m == module)
    }

    /// The top-level modules a file's code names through `crate::`: its
    /// unit tests and comments (which may say who uses it) left out.
    fn uses(text: &str) -> Vec<String> {
        let code = text.split("#[cfg(test)]").next().unwrap_or(text);
        code.lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .flat_map(|line| {
                line.match_indices("crate::").map(|(at, found)| {
                    line[at + found.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                })
            })
            .collect()
    }

    /// Every `.rs` file under `dir`, with the top-level module it belongs to.
    fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .map(|e| e.expect("a folder entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            let own = module.map_or(name.clone(), str::to_string);
            if path.is_dir() {
                files(&path, Some(&own), out);
            } else if path.extension().is_some_and(|e| e == "rs") && name != "tests" {
                out.push((own, path));
            }
        }
    }

    #[test]
    fn no_module_uses_a_layer_above_its_own() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        files(&src, None, &mut found);
        let mut upward = Vec::new();
        for (module, path) in &found {
            let Some(own) = rank(module) else {
                // lib.rs (the map) and main.rs (a crate of its own).
                continue;
            };
            let text = std::fs::read_to_string(path).expect("a readable source file");
            for used in uses(&text) {
                match rank(&used) {
                    Some(r) if r > own => upward.push(format!("{} uses {used}", path.display())),
                    None => upward.push(format!("{} uses an unknown layer {used}", path.display())),
                    Some(_) => {}
                }
            }
        }
        assert!(upward.is_empty(), "{}", upward.join("\n"));
        assert!(found.len() > 30, "read only {} files", found.len());
    }
}
