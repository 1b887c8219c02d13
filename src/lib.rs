//! bounce: a static site generator for the resilience and wellbeing guidance that
//! Healthy Schools services publish for schools.
//!
//! The code is in layers, each a folder, listed here from the bottom up; a
//! layer uses only the layers above it in this list (a test in this file
//! checks that), so the modules read in the order the build runs:
//!
//! 1. [`foundation`]: diagnostics, dates, slugs, suggestions, attachment
//!    sizes: small pieces that know nothing of sites.
//! 2. [`source`]: reading the site's own files: `site.yaml` (`config`), the
//!    files under `content/` (`discover`), front matter with each collection's
//!    fields (`frontmatter`) and the validated `Document`.
//! 3. [`markdown`]: a body to HTML and its outline (headings, images, links,
//!    tables), through a link resolver the caller gives.
//! 4. [`site`]: documents assembled into sections and taxonomies, the route
//!    table that resolves links (`site::links`), and the output's reserved names.
//! 5. [`lint`]: the content lints, reading documents and markdown outlines.
//! 6. [`render`]: pages through the theme's tera templates (`render::theme`),
//!    the sitemap, feed and redirects (`render::feeds`), the search index
//!    (`render::search`).
//! 7. [`pipeline`]: the list of steps from files to output, and the drivers
//!    that run it: `build`, `check`, and the incremental rebuild that `watch`
//!    runs on every change; `pipeline::output` writes the output folder.
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
    pub use crate::pipeline::{Failure, Options, configure};
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
    pub use crate::pipeline::incremental::{Outcome, Project};
}

/// The output folder's safety check.
pub mod output {
    pub use crate::pipeline::output::check_target;
}

/// Problems, as every command reports them.
pub mod diagnostic {
    pub use crate::foundation::diagnostic::{Diagnostic, Level, to_json};
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
