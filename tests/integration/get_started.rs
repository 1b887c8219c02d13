//! What a new editor meets first (issue 16): `bounce --version` names the
//! commit, `bounce init` writes a `.gitignore` and says what to run next, and
//! `bounce build` ends by saying how to look at the site.

use std::fs;

use crate::fixtures::TestSite;

#[test]
fn version_names_the_version_and_the_commit() {
    let site = TestSite::new();
    let version = site.run(&["--version"]);
    version.assert_ok();
    let line = version.stdout.trim_end();
    let expected = format!("bounce {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected), "{line}");
    let commit = line[expected.len()..]
        .strip_suffix(')')
        .unwrap_or_else(|| panic!("ends with `)`: {line}"));
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "a short hash or `unknown`: {line}"
    );
}

#[test]
fn init_writes_a_gitignore_for_the_output_the_preview_and_staging_folders() {
    let site = TestSite::new();
    let dir = site.outer().join("fresh");
    site.run(&["init", &dir.to_string_lossy()]).assert_ok();
    let ignore = fs::read_to_string(dir.join(".gitignore")).expect("a .gitignore");
    let rules: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(
        rules,
        [
            "/output/",
            "/.bounce-serve/",
            "/output.bounce-*/",
            "/.bounce-serve.bounce-*/"
        ]
    );
}

#[test]
fn init_prints_the_next_three_commands() {
    let site = TestSite::new();
    // Run from the temporary folder, so the path is the name as typed.
    let made = site.run(&["init", "my site"]);
    made.assert_ok();
    let lines: Vec<&str> = made.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Created a new site in my site ("),
        "{}",
        made.stdout
    );
    assert_eq!(lines[1], "Next, run these three commands:");
    let commands: Vec<&str> = lines[2..]
        .iter()
        .map(|l| l.trim_start().split("  ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        commands,
        ["cd \"my site\"", "bounce serve --open", "bounce build"]
    );
}

#[test]
fn build_ends_by_saying_how_to_look_at_the_site() {
    let site = TestSite::new().minimal_templates();
    let build = site.run(&["build", "--root", "site"]);
    build.assert_ok();
    assert!(build.stdout.starts_with("Built "), "{}", build.stdout);
    assert_eq!(
        build.last_stderr_line(),
        "To look at the site, run `bounce serve --root site` and open the address it prints (pages opened straight from the folder show without their styles)."
    );
}

#[test]
fn the_preview_hint_needs_no_root_in_the_site_folder() {
    let site = TestSite::new().minimal_templates();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_bounce"));
    let out = command
        .arg("build")
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", crate::fixtures::BUILD_DATE_EPOCH)
        .output()
        .expect("run bounce");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("run `bounce serve` and open"), "{stderr}");
}
