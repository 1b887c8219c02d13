//! The sources: reading a site's own files into typed values.
//!
//! [`config`] reads site.yaml (its branding keys in [`branding`]); [`discover`] finds the files under `content/`
//! (and refuses, through [`scripted`], those that could run script);
//! [`frontmatter`] splits and reads a document's front matter (with each
//! collection's fields) and [`document`] validates it into a `Document`.
//! [`yaml`] maps YAML errors to the file's own lines ([`nesting`] refuses
//! brackets nested too deeply for the parser first), and [`allow`] names the
//! lints that site.yaml and front matter may silence.

pub(crate) mod allow;
pub(crate) mod branding;
pub(crate) mod config;
pub(crate) mod discover;
pub(crate) mod document;
pub(crate) mod frontmatter;
pub(crate) mod images;
pub(crate) mod nesting;
pub(crate) mod scripted;
pub(crate) mod yaml;
