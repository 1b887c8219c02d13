//! The same input always gives the same output, byte for byte, however many
//! threads build it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixtures::EXAMPLE_PASSCODE;

/// Builds the repository's example site into `output` with `threads` threads.
fn build_example(output: &Path, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_bounce"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(output)
        .env("RAYON_NUM_THREADS", threads)
        .env("SOURCE_DATE_EPOCH", "1795435200")
        .env(EXAMPLE_PASSCODE.0, EXAMPLE_PASSCODE.1)
        .output()
        .expect("bounce runs");
    assert!(
        status.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable output folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable output file");
                let relative = path.strip_prefix(dir).expect("inside output").to_path_buf();
                files.insert(relative, bytes);
            }
        }
    }
    files
}

#[test]
fn parallel_and_single_threaded_builds_are_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let parallel = dir.path().join("parallel");
    let single = dir.path().join("single");
    build_example(&parallel, "4");
    build_example(&single, "1");
    let (a, b) = (snapshot(&parallel), snapshot(&single));
    assert!(
        a.keys().any(|p| p.ends_with("partners/nspcc/index.html")),
        "the example site has its partner pages"
    );
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn rebuilding_the_same_input_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("output");
    build_example(&output, "2");
    let first = snapshot(&output);
    build_example(&output, "2");
    assert_eq!(first, snapshot(&output));
}
