//! Writing the output folder without ever losing the previous one.
//!
//! Entry points: [`check_target`] refuses dangerous output folders before any
//! work is done; a [`Staging`] folder beside the output (`output.bounce-staging`)
//! receives every file, and only when all of them are written is it swapped in
//! with two renames. A failed build, a full disk or a crash leaves the
//! previous output as it was (or, if the crash falls between the two renames, in
//! `output.bounce-old`, which the next build puts back). bounce writes nowhere
//! else, and only replaces a folder it made itself (it leaves a marker file).
//!
//! A build killed at any moment (`kill -9`, a power cut) leaves nothing that
//! stops the next one: a folder bounce removes keeps its marker until it is
//! empty, and the old output is renamed `output.bounce-removing` before it is
//! removed, so the next build knows to finish removing it rather than put back
//! half an output.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::foundation::diagnostic::Diagnostic;
use crate::render::file::{Contents, SealedFile};

/// The marker bounce leaves in every output folder it writes.
pub(crate) const MARKER: &str = ".bounce-output";
const MARKER_TEXT: &str = "This folder is written by bounce. Each build replaces it completely.\n";

/// Suffixes of the folders bounce keeps beside the output, named after it:
/// the build under way; the previous output, set aside while the new one is
/// moved in; a folder being removed.
const STAGING: &str = "bounce-staging";
const OLD: &str = "bounce-old";
const REMOVING: &str = "bounce-removing";

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
    if is_written_by_bounce(&output) || is_empty_or_missing(&output) {
        return Ok(());
    }
    if !output.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    refuse("it is not empty and bounce did not create it".into())
}

/// The staging folder a build writes into. Dropping it without [`Staging::commit`]
/// removes it, so a failed build leaves nothing behind and the output untouched.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Set by [`Staging::abandon`]: no file is written from then on.
    abandoned: AtomicBool,
    /// The writes under way.
    writing: AtomicUsize,
}

impl Staging {
    /// Creates `<output>.bounce-staging`, first putting back an output left aside
    /// by a crash, and clearing what else one left.
    pub(crate) fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let output = absolute(output);
        let dir = sibling(&output, STAGING);
        let old = sibling(&output, OLD);
        recover(&output, &old, &sibling(&output, REMOVING))
            .map_err(|e| io_problem("could not restore the previous output", &old, e))?;
        remove_own(&dir).map_err(|e| io_problem("could not clear the staging folder", &dir, e))?;
        fs::create_dir_all(&dir)
            .and_then(|()| fs::write(dir.join(MARKER), MARKER_TEXT))
            .map_err(|e| io_problem("could not create the staging folder", &dir, e))?;
        Ok(Staging {
            output,
            dir,
            committed: false,
            abandoned: AtomicBool::new(false),
            writing: AtomicUsize::new(0),
        })
    }

    /// Creates the folders of all the given file paths, parents first, so that
    /// writing each file is then one system call (pretty URLs give nearly every
    /// page a folder of its own). Stops early, without an error, once `stop`
    /// is set; the files' own writes make any folder still missing.
    pub(crate) fn create_folders<'p>(
        &self,
        paths: impl Iterator<Item = &'p str>,
        stop: &AtomicBool,
    ) -> Result<(), Diagnostic> {
        let mut folders = BTreeSet::new();
        for path in paths {
            let mut folder = Path::new(path).parent();
            while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
                if !folders.insert(f) {
                    break;
                }
                folder = f.parent();
            }
        }
        // In path order, each folder comes after its parent.
        for folder in folders {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            self.create_folder(folder)?;
        }
        Ok(())
    }

    fn create_folder(&self, folder: &Path) -> Result<(), Diagnostic> {
        let target = self.dir.join(folder);
        match fs::create_dir(&target) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(io_problem(
                "could not create a folder of the site",
                &target,
                e,
            )),
            _ => Ok(()),
        }
    }

    /// Writes one file, creating its folders; safe to call from many threads.
    /// Writes nothing once the folder is abandoned.
    pub(crate) fn write(&self, path: &str, contents: &Contents) -> Result<(), Diagnostic> {
        // Sequentially consistent with `abandon`: either this write sees the
        // folder abandoned, or `abandon` sees it under way and waits for it.
        self.writing.fetch_add(1, Ordering::SeqCst);
        let written = if self.abandoned.load(Ordering::SeqCst) {
            Ok(())
        } else {
            write_file(&self.dir, path, contents, None)
        };
        self.writing.fetch_sub(1, Ordering::SeqCst);
        written
    }

    /// Removes the staging folder while other threads may still be writing
    /// into it (bounce ends, stopped by a page past a limit: see
    /// `render::limits`): stops its writes, waits for those under way, then
    /// removes it on this thread alone, as rayon's threads may all be stuck
    /// on pages. The marker goes last, as in every removal.
    pub(crate) fn abandon(&self) {
        self.abandoned.store(true, Ordering::SeqCst);
        while self.writing.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten().filter(|e| e.file_name() != MARKER) {
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => fs::remove_dir_all(entry.path()),
                _ => fs::remove_file(entry.path()),
            };
        }
        let _ = fs::remove_file(self.dir.join(MARKER)).and_then(|()| fs::remove_dir(&self.dir));
    }

    /// Swaps the staging folder in as the output.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostic> {
        let old = sibling(&self.output, OLD);
        swap(
            &self.output,
            &self.dir,
            &old,
            &sibling(&self.output, REMOVING),
        )
        .map_err(|e| io_problem("could not replace the output folder", &self.output, e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_own(&self.dir);
        }
    }
}

/// An output folder bounce wrote, updated file by file (by `bounce watch` and
/// `bounce serve`, which rewrite only what changed). Each file is written beside
/// its place and renamed over it, so a browser reading it never gets half a page.
pub(crate) struct InPlace {
    dir: PathBuf,
}

impl InPlace {
    /// The output folder, which must carry bounce's marker.
    pub(crate) fn open(output: &Path) -> Result<InPlace, Diagnostic> {
        let dir = absolute(output);
        if !is_written_by_bounce(&dir) {
            return Err(Diagnostic::error(format!(
                "{} is not an output folder bounce wrote",
                dir.display()
            )));
        }
        Ok(InPlace { dir })
    }

    /// Replaces one file; safe to call from many threads.
    pub(crate) fn write(&self, path: &str, contents: &Contents) -> Result<(), Diagnostic> {
        write_file(&self.dir, path, contents, Some(".bounce-new"))
    }

    /// Removes one file, and the folders it leaves empty.
    pub(crate) fn remove(&self, path: &str) -> Result<(), Diagnostic> {
        let target = inside(&self.dir, path)?;
        match fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(io_problem("could not remove an old file", &target, e));
            }
            _ => {}
        }
        let mut folder = target.parent();
        while let Some(f) = folder.filter(|f| *f != self.dir && f.starts_with(&self.dir)) {
            if fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
        Ok(())
    }
}

/// `dir/path`, refusing a path that would leave `dir`.
fn inside(dir: &Path, path: &str) -> Result<PathBuf, Diagnostic> {
    let relative = Path::new(path);
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !inside {
        return Err(Diagnostic::error(format!(
            "refusing to write `{path}`, which is not inside the output folder"
        )));
    }
    Ok(dir.join(relative))
}

/// Writes `dir/path`, creating its folders on demand. With `temporary`, the
/// bytes go to a file of that suffix first, renamed over the target at the end.
fn write_file(
    dir: &Path,
    path: &str,
    contents: &Contents,
    temporary: Option<&str>,
) -> Result<(), Diagnostic> {
    let target = inside(dir, path)?;
    let written = match temporary {
        Some(suffix) => {
            let mut name = target.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        }
        None => target.clone(),
    };
    let write = || match contents {
        Contents::Text(text) => fs::write(&written, text),
        Contents::Bytes(bytes) => fs::write(&written, bytes),
        Contents::Data(bytes) => fs::write(&written, bytes),
        Contents::Copy(source) => fs::copy(source, &written).map(|_| ()),
        Contents::Sealed(file) => write_sealed(file, &written),
    };
    // Most folders exist by the time their files come; create them on demand.
    let mut result = match write() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => written
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| write()),
        other => other,
    };
    if result.is_ok() && written != target {
        result = fs::rename(&written, &target);
        if result.is_err() {
            let _ = fs::remove_file(&written);
        }
    }
    result.map_err(|e| {
        io_problem(
            "could not write the site; the previous output was left as it was",
            &target,
            e,
        )
    })
}

/// Moves the staging folder into place, the old output aside, then removes
/// it (through `removing`).
fn swap(output: &Path, staging: &Path, old: &Path, removing: &Path) -> io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    remove_own(old)?;
    fs::rename(output, old)?;
    if let Err(e) = fs::rename(staging, output) {
        fs::rename(old, output)?;
        return Err(e);
    }
    discard(old, removing)
}

/// Puts back, or clears away, what a build killed part-way left beside the
/// output: the previous output goes back if no new one took its place (a
/// kill between the two renames of [`swap`]) and is removed if one did; a
/// folder killed while it was being removed is removed.
fn recover(output: &Path, old: &Path, removing: &Path) -> io::Result<()> {
    remove_own(removing)?;
    if !is_written_by_bounce(old) {
        return Ok(());
    }
    if output.exists() {
        discard(old, removing)
    } else {
        fs::rename(old, output)
    }
}

/// Removes a folder bounce set aside, renaming it to `removing` first: a
/// removal killed part-way then leaves a folder whose name says it is to go,
/// never a half-removed `output.bounce-old` the next build would put back.
fn discard(dir: &Path, removing: &Path) -> io::Result<()> {
    remove_own(removing)?;
    fs::rename(dir, removing)?;
    remove_own(removing)
}

/// Removes a folder only if bounce wrote it (it has the marker) or it is
/// empty. The marker goes last: a removal killed part-way leaves a folder
/// still marked as bounce's, which the next build removes.
fn remove_own(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let marker = dir.join(MARKER);
    if !marker.is_file() && !is_empty_or_missing(dir) {
        return Err(io::Error::other(format!(
            "{} exists and was not made by bounce; move it away",
            dir.display()
        )));
    }
    clear(dir, Some(MARKER))?;
    match fs::remove_file(&marker) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Removes everything in `dir` but the entry named `spare`, on all cores:
/// the previous output of a large site is tens of thousands of files and
/// folders, removed after every build. Symbolic links are removed, never
/// followed.
fn clear(dir: &Path, spare: Option<&str>) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .filter(|entry| spare.is_none_or(|name| entry.file_name() != name))
        .try_for_each(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                clear(&path, None).and_then(|()| fs::remove_dir(&path))
            } else {
                fs::remove_file(&path)
            }
        })
}

/// Whether `dir` is an output folder bounce wrote: it has bounce's marker.
pub(crate) fn is_written_by_bounce(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
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

/// The absolute path the file system will use for `path` once its missing
/// folders are made: symbolic links resolved in the part that exists, and
/// `.` and `..` taken away everywhere. A `..` after a folder that does not
/// exist yet climbs back out of it (`out/missing/../content` is `content`),
/// as it will once that folder is made; comparing the path as written would
/// let it into the site's sources.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for component in joined.components() {
        match component {
            // `resolved` has no symbolic links, so its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
            Component::RootDir | Component::Prefix(_) => resolved.push(component),
        }
    }
    resolved
}

fn io_problem(what: &str, path: &Path, error: io::Error) -> Diagnostic {
    Diagnostic::error(format!("{what}: {} ({error})", path.display()))
        .with_hint("check there is free disk space and that you may write to that folder")
}

/// Encrypts a protected file into `path`, a chunk at a time.
fn write_sealed(file: &SealedFile, path: &Path) -> io::Result<()> {
    let mut reader = io::BufReader::new(fs::File::open(&file.source)?);
    let mut writer = io::BufWriter::new(fs::File::create(path)?);
    file.key
        .seal_file(&file.label, file.len, &mut reader, &mut writer)?;
    writer.flush()
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
    fn a_path_is_normalised_past_folders_that_do_not_exist() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        fs::create_dir_all(root.join("site/content/guide")).expect("mkdir");
        assert_eq!(
            absolute(&root.join("site/missing/../content/./out")),
            root.join("site/content/out")
        );
        assert_eq!(
            absolute(&root.join("site/missing/deeper/../../../site/content")),
            root.join("site/content")
        );
        assert!(
            check_target(
                &root.join("site"),
                &root.join("site/missing/../content/out")
            )
            .is_err()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_path_is_resolved_through_symbolic_links_that_exist() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        fs::create_dir_all(root.join("site/content/guide")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("site/content/guide"), root.join("link"))
            .expect("symlink");
        // `link/..` is the folder above the link's target, not `root`.
        assert_eq!(
            absolute(&root.join("link/missing/../../out")),
            root.join("site/content/out")
        );
        assert!(check_target(&root.join("site"), &root.join("link/missing/../../out")).is_err());
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

    fn write(out: &Path, files: &[(&str, Contents)]) -> Result<(), Diagnostic> {
        let staging = Staging::create(out)?;
        for (path, contents) in files {
            staging.write(path, contents)?;
        }
        staging.commit()
    }

    fn text(s: &str) -> Contents {
        Contents::Text(s.to_string())
    }

    #[test]
    fn writes_then_replaces_the_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[("a/index.html", text("one"))]).expect("first build");
        write(&out, &[("b/index.html", text("two"))]).expect("second build");
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
        write(&out, &[("index.html", text("good"))]).expect("first build");
        let bad = Contents::Copy(dir.path().join("does-not-exist.pdf"));
        assert!(write(&out, &[("index.html", text("new")), ("page/x.pdf", bad)]).is_err());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "good"
        );
        assert!(!dir.path().join("output.bounce-staging").exists());
    }

    #[test]
    fn paths_outside_the_output_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let staging = Staging::create(&dir.path().join("output")).expect("staging");
        assert!(staging.write("../escape.html", &text("x")).is_err());
        assert!(staging.write("/etc/x", &text("x")).is_err());
        drop(staging);
        assert!(!dir.path().join("escape.html").exists());
        assert!(!dir.path().join("output.bounce-staging").exists());
    }

    #[cfg(unix)]
    #[test]
    fn replacing_the_output_removes_links_in_it_not_what_they_point_to() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(
            &out,
            &[("a/b/index.html", text("one")), ("c.txt", text("c"))],
        )
        .expect("first");
        let outside = dir.path().join("precious");
        fs::create_dir_all(&outside).expect("mkdir");
        fs::write(outside.join("keep.txt"), "keep me").expect("write");
        std::os::unix::fs::symlink(&outside, out.join("a/link")).expect("symlink");
        write(&out, &[("d/index.html", text("two"))]).expect("second build");
        assert_eq!(
            fs::read_to_string(outside.join("keep.txt")).expect("still there"),
            "keep me"
        );
        assert!(!out.join("a").exists());
        assert!(!dir.path().join("output.bounce-old").exists());
    }

    #[test]
    fn a_crash_between_renames_is_recovered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[("index.html", text("good"))]).expect("first build");
        fs::rename(&out, dir.path().join("output.bounce-old")).expect("simulate crash");
        let removing = dir.path().join("output.bounce-removing");
        recover(&out, &dir.path().join("output.bounce-old"), &removing).expect("recover");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "good"
        );
    }

    /// A folder as a removal killed part-way leaves it: the marker and some
    /// of what it held.
    fn half_removed(dir: &Path) {
        fs::create_dir_all(dir.join("guide/page")).expect("mkdir");
        fs::write(dir.join(MARKER), MARKER_TEXT).expect("write");
        fs::write(dir.join("guide/page/index.html"), "a page").expect("write");
    }

    #[test]
    fn folders_left_half_removed_by_a_killed_build_are_removed_by_the_next() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        write(&out, &[("index.html", text("one"))]).expect("first build");
        half_removed(&dir.path().join("output.bounce-staging"));
        half_removed(&dir.path().join("output.bounce-removing"));
        write(&out, &[("index.html", text("two"))]).expect("second build");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "two"
        );
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["output"]);
    }

    #[test]
    fn an_old_output_set_aside_after_the_new_one_was_in_place_is_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("output");
        let old = dir.path().join("output.bounce-old");
        write(&out, &[("index.html", text("new"))]).expect("build");
        write(&old, &[("index.html", text("old"))]).expect("an older build");
        let removing = dir.path().join("output.bounce-removing");
        recover(&out, &old, &removing).expect("recover");
        assert!(!old.exists());
        assert!(!removing.exists());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).expect("read"),
            "new"
        );
    }
}
