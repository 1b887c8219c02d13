//! Rebuilds bounce when the default theme or the starter site changes: they
//! are compiled into the binary with `include_dir!`, which cannot tell cargo
//! about the files it reads. Also gives `bounce --version` the commit it was
//! built from (`BOUNCE_COMMIT`): from git when the source is a git checkout,
//! else `unknown` (a crate from crates.io, an archive), so a build never
//! depends on git being there.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold/starter");
    println!("cargo:rustc-env=BOUNCE_COMMIT={}", commit());
}

/// The short hash of `HEAD`, or `unknown`. Only asked of git when the crate's
/// own folder holds `.git` (a folder, or a file in a worktree), so that a
/// crate unpacked inside some other repository does not take its commit.
fn commit() -> String {
    let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    if !Path::new(&here).join(".git").exists() {
        return "unknown".to_string();
    }
    let Some(hash) = git(&here, &["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_string();
    };
    // Build again when HEAD moves: a commit, a checkout (HEAD and the branch
    // it names live in the git folder, which a worktree keeps elsewhere).
    for (flag, file) in [
        ("--git-dir", "HEAD"),
        ("--git-common-dir", "refs/heads"),
        ("--git-common-dir", "packed-refs"),
    ] {
        if let Some(dir) = git(&here, &["rev-parse", flag]) {
            let path = Path::new(&here).join(dir).join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    hash
}

/// What git prints for `args`, trimmed, if it runs and succeeds.
fn git(dir: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
