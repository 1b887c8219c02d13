//! bounce: a static site generator for the resilience and wellbeing guidance that
//! Healthy Schools services publish for schools.
//!
//! The build is a pipeline; each stage is a module that owns it:
//!
//! 1. [`config`] reads `site.yaml` into a typed `Config`.
//! 2. [`discover`] walks `content/` and reads the markdown files (assets are listed).
//! 3. [`document`] splits front matter ([`frontmatter`]) and validates it into a
//!    `Document` per file.
//! 4. [`site`] assembles documents into sections and taxonomies, and checks what
//!    spans documents (partners, duplicate URLs, files beside documents).
//! 5. [`markdown`] renders each body, resolving links through [`links`] (links
//!    to downloadable files are described by [`attachment`]: `PDF, 24 KB`).
//! 6. [`render`] renders pages through the [`theme`]'s tera templates; [`feeds`]
//!    writes the sitemap, feed, robots.txt and alias redirects, and [`search`]
//!    the search index.
//! 7. [`output`] writes it all into a staging folder and swaps it in.
//!
//! [`build`] drives the stages and collects every problem as a
//! [`diagnostic::Diagnostic`]. Only discovery, config, theme loading and output
//! touch the disk; the stages between are functions from values to values.
//!
//! Beside the build:
//!
//! - [`check`] runs stages 1 to 5 (`build::load`), writes nothing, and adds the
//!   content lints of [`lint`] (alt text, link text, headings, reading age, ...).
//! - [`scaffold`] writes new files for editors: `bounce new` (one document with
//!   the front matter of its kind) and `bounce init` (a whole starter site,
//!   compiled into the binary).
//! - [`watch`] watches the site's files and, on each change, has
//!   [`incremental`] re-read the changed files, re-render only the pages they
//!   reach and write only the files whose bytes changed (`bounce watch`).
//! - [`serve`] is the preview server of `bounce serve`: it serves the output
//!   folder on the local machine, reloads open pages after each rebuild and
//!   shows a failed rebuild's problems in the browser.

// A `Diagnostic` is large (file, line, text, hint) but only travels on the error
// path, which is cold; boxing it everywhere would add noise, not speed.
#![allow(clippy::result_large_err)]

pub mod attachment;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod feeds;
pub mod frontmatter;
pub mod incremental;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;
pub mod theme;
pub mod watch;
pub mod yaml;
