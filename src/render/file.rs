//! A file of the site's output: what the rendering steps produce and
//! `pipeline::output` writes.

use std::path::PathBuf;

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Contents {
    Text(String),
    Bytes(&'static [u8]),
    /// A file copied as it is.
    Copy(PathBuf),
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputFile {
    /// Path under the output folder, `/`-separated, relative.
    pub(crate) path: String,
    pub(crate) contents: Contents,
}

impl OutputFile {
    pub(crate) fn text(path: impl Into<String>, text: String) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Text(text),
        }
    }
}
