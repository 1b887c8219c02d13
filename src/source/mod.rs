//! The sources: reading a site's own files into typed values.
//!
//! [`config`] reads site.yaml; [`discover`] finds the files under `content/`;
//! [`frontmatter`] splits and reads a document's front matter (with each
//! collection's fields) and [`document`] validates it into a `Document`.
//! [`yaml`] maps YAML errors to the file's own lines, and [`allow`] names the
//! lints that site.yaml and front matter may silence.

pub mod allow;
pub mod config;
pub mod discover;
pub mod document;
pub mod frontmatter;
pub mod yaml;
