//! bounce's integration tests, in one test binary so that the crate (and its
//! dependencies) are linked once rather than once per file: `cargo test`
//! compiles and links one executable for all of them, and runs their tests in
//! one pool of threads. Run one area with `cargo test --test integration
//! <module>::` (for example `watch_serve::`).
//!
//! One module per area:
//!
//! - [`build_output`]: what `bounce build` writes (pretty URLs, listings,
//!   taxonomies, 404, sitemap, feed, aliases, copied files, drafts, options).
//! - [`check`]: `bounce check`, its lints, formats, silencing and exit codes.
//! - [`copied_files`]: files beside documents that could run script are
//!   refused; the site's folders as symbolic links, and links inside them.
//! - [`determinism`]: the same input gives byte-identical output on any number
//!   of threads.
//! - [`front_matter`]: front-matter mistakes reported at their file and line.
//! - [`get_started`]: what a new editor meets first: `--version`, what
//!   `init` writes and prints, the build's last line.
//! - [`guide`]: the guide in `docs/` passes `check --strict`, and its
//!   reference tables match the code (`BOUNCE_UPDATE_GUIDE=1` rewrites them).
//! - [`hostile`]: hostile and odd content builds or fails clearly, never runs
//!   script.
//! - [`images`]: images published as `<picture>` with WebP, upright, cleaned
//!   of metadata (GPS above all), cached; broken and enormous ones refused.
//! - [`incremental`]: the incremental rebuild of `watch` and `serve` writes what
//!   a full build writes.
//! - [`markdown`]: markdown bodies, callouts, links and raw HTML.
//! - [`messages`]: the messages of issue 17: one report per mistake, at the
//!   line to fix, with a hint that fixes it when followed literally.
//! - [`new_init`]: `bounce init` and `bounce new`.
//! - [`passcodes`]: passcode-protected material is sealed, opens with the
//!   passcode as in a browser, and is never in the output in clear.
//! - [`properties`]: property tests of the pure stages (failing inputs saved by
//!   proptest in `tests/proptest-regressions/properties.txt`).
//! - [`safety`]: the output is never lost, half-written or written outside.
//! - [`search`]: the full-text search index under `search/`, read back as
//!   the search script reads it.
//! - [`site_yaml`]: `site.yaml`, its checks and what templates see of it.
//! - [`template_limits`]: a template that never ends stops bounce at the
//!   page time or memory limit, naming the template and the page.
//! - [`theme`]: the default theme's structure.
//! - [`theme_default`]: what readers see of the default theme: A–Z order, the
//!   phone header, listings, downloads, footnotes, favicon, branding.
//! - [`watch_serve`]: `bounce watch` and `bounce serve` as a user runs them.
//!
//! and the shared [`fixtures`]: a fixture site in a temporary folder run
//! through the real binary, and [`fixtures::script`], which finds script in
//! written HTML.

mod fixtures;

mod build_output;
mod check;
mod copied_files;
mod determinism;
mod front_matter;
mod get_started;
mod guide;
mod hostile;
mod images;
mod incremental;
mod linear;
mod markdown;
mod messages;
mod new_init;
mod passcodes;
mod properties;
mod safety;
mod search;
mod site_yaml;
mod template_limits;
mod theme;
mod theme_default;
mod watch_serve;
