//! Finding the site's files under `content/` and reading the documents.
//!
//! Entry point: [`discover`]. Every `.md` file is a document (its text is read
//! here, so later stages never touch the disk); every other file is an asset
//! copied next to the output, unless it could run script (see [`scripted`]).
//! Hidden files and editors' temporary files are ignored; symbolic links are
//! followed only while they stay inside `content/`, and a link loop is
//! reported, never followed forever. A `content/` that is itself a link out of
//! the site is refused. [`list`] does the same for the theme's folders.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::foundation::diagnostic::Diagnostic;
use crate::source::config::Config;
use crate::source::scripted;

/// The content folder's name at the site root.
pub(crate) const CONTENT_DIR: &str = "content";

/// A markdown file, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// Path under `content/` with `/` separators: `partners/nspcc.md`.
    pub key: String,
    /// Path relative to the site root, for messages: `content/partners/nspcc.md`.
    pub file: PathBuf,
    pub bytes: Vec<u8>,
}

/// A file that is not markdown, copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// Path under `content/` with `/` separators: `resources/policy.pdf`.
    pub(crate) key: String,
    /// Where it is on disk.
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub(crate) documents: Vec<SourceDocument>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// A markdown file found under `content/`, not yet read.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// As in [`SourceDocument`].
    pub(crate) key: String,
    pub(crate) file: PathBuf,
    /// Where it is on disk.
    pub(crate) path: PathBuf,
}

impl Found {
    pub(crate) fn read(self) -> Result<SourceDocument, Diagnostic> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(SourceDocument {
                key: self.key,
                file: self.file,
                bytes,
            }),
            Err(e) => Err(Diagnostic::error(format!("cannot read this file: {e}"))
                .in_file(&self.file)
                .with_hint("check the file's permissions")),
        }
    }
}

/// What [`walk`] finds: the markdown files, not yet read, and the assets.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub(crate) markdown: Vec<Found>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// Walks `<root>/content` and reads every document, on all cores.
pub(crate) fn discover(root: &Path, config: &Config) -> Discovered {
    let walked = walk(root, config);
    let mut found = Discovered {
        documents: Vec::with_capacity(walked.markdown.len()),
        assets: walked.assets,
        problems: walked.problems,
    };
    let read: Vec<Result<SourceDocument, Diagnostic>> =
        walked.markdown.into_par_iter().map(Found::read).collect();
    for result in read {
        match result {
            Ok(document) => found.documents.push(document),
            Err(problem) => found.problems.push(problem),
        }
    }
    found
}

/// Walks `<root>/content`, sorted by path so builds are deterministic, without
/// reading the documents (a build reads and parses each in one step). Files
/// that could run script are reported unless the site allows them.
pub(crate) fn walk(root: &Path, config: &Config) -> Walked {
    let content = root.join(CONTENT_DIR);
    let mut found = Walked::default();
    if !content.is_dir() {
        found.problems.push(
            Diagnostic::error(format!("no `{CONTENT_DIR}` folder in {}", root.display()))
                .with_hint("create content/_index.md for the home page"),
        );
        return found;
    }
    if let Some(problem) = outside_root(root, CONTENT_DIR) {
        found.problems.push(problem);
        return found;
    }
    let listing = list(root, CONTENT_DIR);
    found.problems = listing.problems;
    for file in listing.files {
        // In NFC, so that a name from a Mac or a copied folder (`e` and a
        // combining accent) and a link typed with `é` meet on one key.
        let key = crate::foundation::slug::nfc(&slash_path(&file.relative)).into_owned();
        if is_markdown(&key) {
            found.markdown.push(Found {
                key,
                file: Path::new(CONTENT_DIR).join(&file.relative),
                path: file.path,
            });
        } else {
            found.assets.push(Asset {
                key,
                path: file.path,
                size: file.size,
            });
        }
    }
    found
        .problems
        .extend(scripted::check(&found.assets, config.allow_unsafe_html));
    found
}

/// A file found by [`list`].
#[derive(Debug)]
pub(crate) struct Listed {
    /// Path under the folder listed.
    pub(crate) relative: PathBuf,
    /// Where it is on disk.
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
}

/// What [`list`] finds: the files, and the links and folders it skipped.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) files: Vec<Listed>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// The files under `<root>/<folder>` (`content`, `static`,
/// `themes/default/templates`), sorted by path, hidden ones and editors'
/// temporary files left out. Symbolic links are followed only while they
/// stay inside the folder: one that leaves it is skipped with a warning, and
/// a loop is reported, never followed forever.
pub(crate) fn list(root: &Path, folder: &str) -> Listing {
    let top = root.join(folder);
    let mut found = Listing::default();
    if !top.is_dir() {
        return found;
    }
    let canonical_top = top.canonicalize().unwrap_or_else(|_| top.clone());
    let mut walker = WalkDir::new(&top)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.problems.push(walk_problem(root, folder, &e));
                continue;
            }
        };
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(&top) else {
            continue;
        };
        if entry.path_is_symlink() && !stays_inside(path, &canonical_top) {
            found.problems.push(link_leaves(folder, relative));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            found.files.push(Listed {
                relative: relative.to_path_buf(),
                path: path.to_path_buf(),
                size: entry.metadata().map(|m| m.len()).unwrap_or(0),
            });
        }
    }
    found
}

/// A link inside `folder` that leads out of it.
fn link_leaves(folder: &str, relative: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "symbolic link points outside the {folder} folder; skipped"
    ))
    .in_file(Path::new(folder).join(relative))
    .with_hint(format!(
        "copy the file or folder into {folder}/ instead of linking to it"
    ))
}

/// An error when `<root>/<folder>` leads out of the site's folder through a
/// symbolic link (`static` linked to `/etc`, say): a site publishes only its
/// own files. A link that stays inside the site is followed.
pub(crate) fn outside_root(root: &Path, folder: &str) -> Option<Diagnostic> {
    let real = root.join(folder).canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    if real.starts_with(&real_root) {
        return None;
    }
    Some(
        Diagnostic::error(format!(
            "`{folder}` leads through a symbolic link to {}, outside the site; refused",
            real.display()
        ))
        .in_file(folder)
        .with_hint(format!(
            "replace the link with a real folder: remove the link, make `{folder}` a folder and copy into it, from {}, only the files the site should publish",
            real.display()
        )),
    )
}

/// The names of `path` with `/` between them, whatever the platform: the form
/// of a key (`partners/nspcc.md`), and of a theme's or the starter site's files.
pub(crate) fn slash_path(path: &Path) -> String {
    let mut joined = String::new();
    for (i, name) in path.components().enumerate() {
        if i > 0 {
            joined.push('/');
        }
        joined.push_str(&name.as_os_str().to_string_lossy());
    }
    joined
}

/// `folder/name`, or `name` alone when `folder` is empty (the top folder).
pub(crate) fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// Whether a file name is markdown (`.md`, in any case).
pub(crate) fn is_markdown(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() > 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// Hidden files and the temporary files editors leave while saving.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

fn stays_inside(path: &Path, canonical_folder: &Path) -> bool {
    path.canonicalize()
        .map(|p| p.starts_with(canonical_folder))
        .unwrap_or(false)
}

fn walk_problem(root: &Path, folder: &str, error: &walkdir::Error) -> Diagnostic {
    let file = error
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .unwrap_or_else(|| PathBuf::from(folder));
    let dangling = error.io_error().map(std::io::Error::kind) == Some(std::io::ErrorKind::NotFound)
        && error.path().is_some_and(Path::is_symlink);
    if error.loop_ancestor().is_some() {
        Diagnostic::warning("symbolic link loop; skipped")
            .in_file(file)
            .with_hint("remove the link that points back to a folder above it")
    } else if dangling {
        Diagnostic::warning("symbolic link to a file or folder that does not exist; skipped")
            .in_file(file)
            .with_hint(format!(
                "remove the link, or copy the file it pointed to into {folder}/ in its place"
            ))
    } else {
        Diagnostic::error(format!("cannot read this folder: {error}"))
            .in_file(file)
            .with_hint("check the folder's permissions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            ".#page.md",
            "page.md~",
            ".page.md.swp",
            "4913",
            ".DS_Store",
            "#page.md#",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("page.md"));
        assert!(!is_ignored("policy.pdf"));
    }

    #[test]
    fn paths_are_joined_with_slashes_and_no_empty_folder() {
        let path: PathBuf = ["partners", "nspcc.md"].iter().collect();
        assert_eq!(slash_path(&path), "partners/nspcc.md");
        assert_eq!(slash_path(Path::new("")), "");
        assert_eq!(join("guidance", "_index.md"), "guidance/_index.md");
        assert_eq!(join("", "_index.md"), "_index.md");
    }

    #[test]
    fn markdown_extension_in_any_case() {
        assert!(is_markdown("a.md"));
        assert!(is_markdown("A.MD"));
        assert!(!is_markdown("md"));
        assert!(!is_markdown("a.mdx"));
        assert!(!is_markdown("aé"));
        assert!(is_markdown("é.md"));
    }
}
