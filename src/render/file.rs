//! A file of the site's output: what the rendering steps produce and
//! `pipeline::output` writes.

use std::path::PathBuf;
use std::sync::Arc;

use crate::foundation::seal::GroupKey;

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Contents {
    Text(String),
    Bytes(&'static [u8]),
    /// Bytes made by the build (the search index's record packs).
    Data(Vec<u8>),
    /// A file copied as it is.
    Copy(PathBuf),
    /// A file a passcode-protected document offers, encrypted as it is copied.
    Sealed(SealedFile),
}

/// A file to encrypt into the output (see `foundation::seal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SealedFile {
    pub(crate) source: PathBuf,
    /// Its size when the content folder was read.
    pub(crate) len: u64,
    /// Its URL, which its chunks are sealed with.
    pub(crate) label: String,
    pub(crate) key: Arc<GroupKey>,
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
