//! Writing the output folder without ever losing the previous one.
//!
//! Entry points: [`check_target`] refuses dangerous output folders before any
//! work is done; [`write`] writes every file into a staging folder beside the
//! output (`output.bounce-staging`) and only when all of them are written swaps
//! it in with two renames. A failed build, a full disk or a crash leaves the
//! previous output as it was (or, if the crash falls between the two renames, in
//! `output.bounce-old`, which the next build puts back). bounce writes nowhere
//! else, and only replaces a folder it made itself (it leaves a marker file).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;

/// The marker bounce leaves in every output folder it writes.
pub const MARKER: &str = ".bounce-output";
const MARKER_TEXT: &str = "This folder is written by bounce. Each build replaces it completely.\n";

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Text(String),
    Bytes(&'static [u8]),
    /// A file copied as it is.
    Copy(PathBuf),
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, `/`-separated, relative.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Text(text),
        }
    }
}

/// Refuses an output folder that is the site itself, a folder of its sources, a
/// folder above them, or a non-empty folder that bounce did not write.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: String| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into {}: {why}",
            output.display()
        ))
        .with_hint(
            "choose an empty folder, or the default `output/` inside the site, with --output DIR",
        ))
    };
    if root.starts_with(&output) {
        return refuse("it contains the site's own files".into());
    }
    for source in ["content", "themes", "templates", "static"] {
        if output.starts_with(root.join(source)) {
            return refuse(format!("it is inside the site's `{source}` folder"));
        }
    }
    if output.join(MARKER).is_file() || is_empty_or_missing(&output) {
        return Ok(());
    }
    if !output.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    refuse("it is not empty and bounce did not create it".into())
}

/// Writes `files` as the new output folder, replacing the old one only once
/// every file is written.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let output = absolute(output);
    let staging = sibling(&output, "bounce-staging");
    let old = sibling(&output, "bounce-old");
    recover(&output, &old)
        .map_err(|e| io_problem("could not restore the previous output", &old, e))?;
    remove_own(&staging)
        .map_err(|e| io_problem("could not clear the staging folder", &staging, e))?;

    if let Err(e) = write_all(&staging, files) {
        let _ = remove_own(&staging);
        return Err(io_problem(
            "could not write the site; the previous output was left as it was",
            &staging,
            e,
        ));
    }
    swap(&output, &staging, &old)
        .map_err(|e| io_problem("could not replace the output folder", &output, e))
}

fn write_all(staging: &Path, files: &[OutputFile]) -> io::Result<()> {
    fs::create_dir_all(staging)?;
    fs::write(staging.join(MARKER), MARKER_TEXT)?;
    let mut folders = BTreeSet::new();
    for file in files {
        let relative = Path::new(&file.path);
        let safe = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(io::Error::other(format!(
                "unsafe output path `{}`",
                file.path
            )));
        }
        if let Some(parent) = relative.parent() {
            folders.insert(parent);
        }
    }
    for folder in folders {
        fs::create_dir_all(staging.join(folder))?;
    }
    // Writing many small files is bound by system calls, not the disk: spread
    // them over all cores.
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        match &file.contents {
            Contents::Text(text) => fs::write(&target, text),
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Copy(source) => fs::copy(source, &target).map(|_| ()),
        }
    })
}

/// Moves the staging folder into place, the old output aside, then removes it.
fn swap(output: &Path, staging: &Path, old: &Path) -> io::Result<()> {
    if output.exists() {
        remove_own(old)?;
        fs::rename(output, old)?;
        if let Err(e) = fs::rename(staging, output) {
            fs::rename(old, output)?;
            return Err(e);
        }
        remove_own(old)?;
    } else {
        fs::rename(staging, output)?;
    }
    Ok(())
}

/// After a crash between the two renames of [`swap`], puts the old output back.
fn recover(output: &Path, old: &Path) -> io::Result<()> {
    if !output.exists() && old.join(MARKER).is_file() {
        fs::rename(old, output)?;
    }
    Ok(())
}

/// Removes a folder only if bounce wrote it (it has the marker) or it is empty.
fn remove_own(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(MARKER).is_file() || is_empty_or_missing(dir) {
        return fs::remove_dir_all(dir);
    }
    Err(io::Error::other(format!(
        "{} exists and was not made by bounce; move it away",
        dir.display()
    )))
}

fn is_empty_or_missing(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

/// `output` → `output.<suffix>` in the same parent folder.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!("{name}.{suffix}"))
}

/// An absolute, normalised path (without resolving symbolic links in a part
/// that does not exist yet).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (joined.parent(), joined.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => joined,
    }
}

fn io_problem(what: &str, path: &Path, error: io::Error) -> Diagnostic {
    Diagnostic::error(format!("{what}: {} ({error})", path.display()))
        .with_hint("check there is free disk space and that you may write to that folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_root_and_its_sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("content")).expect("mkdir");
        assert!(check_target(root, root).is_err());
        assert!(check_target(root, &root.join("content")).is_err());
        assert!(check_target(root, &root.join("content/x")).is_err());
        assert!(check_target(&root.join("site"), root).is_err());
        assert!(check_target(root, &root.join("output")).is_ok());
    }

    #[test]
    fn refuses_a_folder_bounce_did_not_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(out.join("precious.txt"), "keep me").expect("write");
        let d = check_target(dir.path(), &out).expect_err("not ours");
        assert!(
            d.message.contains("bounce did not create it"),
            "{}",
            d.message
        );
    }

    #[test]
    fn writes_then_replaces_the_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[OutputFile::text("a/index.html", "one".into())]).expect("first build");
        write(&out, &[OutputFile::text("b/index.html", "two".into())]).expect("second build");
        assert!(!out.join("a/index.html").exists());
        assert_eq!(
            fs::read_to_string(out.join("b/index.html")).expect("read"),
            "two"
        );
        assert!(!dir.path().join("output.bounce-staging").exists());
        assert!(!dir.path().join("output.bounce-old").exists());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[OutputFile::text("index.html", "good".into())]).expect("first build");
        let bad = OutputFile {
            path: "page/index.html".into(),
            contents: Contents::Copy(dir.path().join("does-not-exist.pdf")),
        };
        assert!(write(&out, &[OutputFile::text("index.html", "new".into()), bad]).is_err());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "good"
        );
        assert!(!dir.path().join("output.bounce-staging").exists());
    }

    #[test]
    fn a_crash_between_renames_is_recovered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[OutputFile::text("index.html", "good".into())]).expect("first build");
        fs::rename(&out, dir.path().join("output.bounce-old")).expect("simulate crash");
        recover(&out, &dir.path().join("output.bounce-old")).expect("recover");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "good"
        );
    }
}
