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
//! - [`determinism`]: the same input gives byte-identical output on any number
//!   of threads.
//! - [`front_matter`]: front-matter mistakes reported at their file and line.
//! - [`hostile`]: hostile and odd content builds or fails clearly, never runs
//!   script.
//! - [`incremental`]: the incremental rebuild of `watch` and `serve` writes what
//!   a full build writes.
//! - [`markdown`]: markdown bodies, callouts, links and raw HTML.
//! - [`new_init`]: `bounce init` and `bounce new`.
//! - [`passcodes`]: passcode-protected material is sealed, opens with the
//!   passcode as in a browser, and is never in the output in clear.
//! - [`properties`]: property tests of the pure stages (failing inputs saved by
//!   proptest in `tests/proptest-regressions/properties.txt`).
//! - [`safety`]: the output is never lost, half-written or written outside.
//! - [`site_yaml`]: `site.yaml`, its checks and what templates see of it.
//! - [`theme`]: the default theme's structure.
//! - [`watch_serve`]: `bounce watch` and `bounce serve` as a user runs them.
//!
//! and the shared [`fixtures`]: a fixture site in a temporary folder run
//! through the real binary, and [`fixtures::script`], which finds script in
//! written HTML.

mod fixtures;

mod build_output;
mod check;
mod determinism;
mod front_matter;
mod hostile;
mod incremental;
mod markdown;
mod new_init;
mod passcodes;
mod properties;
mod safety;
mod site_yaml;
mod theme;
mod watch_serve;
