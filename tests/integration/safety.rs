//! bounce never loses or half-writes the output, never writes outside it (but
//! for its own staging folder), refuses dangerous output folders, ignores
//! editors' temporary files, and exits with 1 for content errors and 2 for
//! usage errors.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixtures::{self, BUILD_DATE_EPOCH, TestSite, entries, snapshot};

fn good_site() -> TestSite {
    TestSite::new()
        .minimal_templates()
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file(
            "content/guide/policy.md",
            "---\ntitle: Policy\ndate: 2024-01-01\n---\nThe first version.\n",
        )
        .bytes("content/guide/policy.pdf", b"%PDF-1.4 first")
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte_unchanged() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));
    let site_entries = entries(site.root());

    let site = site
        .file(
            "content/guide/policy.md",
            "---\ntitle: Policy\ndate: 2025-01-01\n---\nThe second version.\n",
        )
        .file(
            "content/guide/broken.md",
            "---\ntitle: Broken\nkind: x\n---\n",
        );
    let build = site.build(&[]);
    build.assert_failed();

    assert_eq!(
        build.last_stderr_line(),
        format!(
            "Build failed: 1 error and 0 warnings; {} was left as it was.",
            site.path("output").display()
        )
    );
    assert_eq!(snapshot(&site.path("output")), before);
    assert!(
        build
            .read("guide/policy/index.html")
            .contains("The first version."),
        "readers still see the last good site"
    );
    assert_eq!(
        entries(site.root()),
        site_entries,
        "no staging folder is left"
    );
}

/// Builds a good site, adds 300 pages (many folders to make) and `breaking`
/// (path, text), builds again and checks the build fails with `reported`,
/// leaving the output and the site's folder as they were.
fn a_failed_large_build_leaves_nothing_behind(breaking: (&str, &str), reported: &str) {
    let mut site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));
    let site_entries = entries(site.root());
    for i in 0..300 {
        site = site.file(
            &format!("content/guide/many/page-{i:03}.md"),
            &format!("---\ntitle: Page {i}\n---\nPage number {i}.\n"),
        );
    }
    let site = site.file(breaking.0, breaking.1);
    let build = site.build(&[]);
    build.assert_failed();
    build.assert_reports(reported);
    assert_eq!(snapshot(&site.path("output")), before);
    assert_eq!(
        entries(site.root()),
        site_entries,
        "no staging folder is left"
    );
}

#[test]
fn a_broken_link_leaves_no_staging_folder() {
    // Found once the markdown is rendered.
    a_failed_large_build_leaves_nothing_behind(
        (
            "content/guide/many/page-299.md",
            "---\ntitle: Last\n---\nSee [the plan](missing-plan.md).\n",
        ),
        "missing-plan.md",
    );
}

#[test]
fn a_template_error_found_while_pages_are_written_leaves_no_staging_folder() {
    // Found only as the pages are written, into a staging folder whose
    // folders are all made by then.
    a_failed_large_build_leaves_nothing_behind(
        ("templates/page.html", "<h1>{{ page.no_such_field }}</h1>\n"),
        "no_such_field",
    );
}

#[test]
fn a_template_error_leaves_the_previous_output_unchanged() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));

    let site = site.file("templates/page.html", "<h1>{{ page.no_such_field }}</h1>\n");
    site.build(&[]).assert_failed();
    assert_eq!(snapshot(&site.path("output")), before);
    assert_eq!(
        entries(site.root()),
        ["content", "output", "site.yaml", "templates"]
    );
}

#[test]
fn a_successful_build_replaces_the_whole_output() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let site = site
        .remove("content/guide/policy.md")
        .remove("content/guide/policy.pdf")
        .file("content/guide/new.md", "---\ntitle: New page\n---\n");
    let build = site.build(&[]);
    build.assert_ok();

    assert!(!build.exists("guide/policy/index.html"), "stale pages go");
    assert!(!build.exists("guide/policy.pdf"), "stale files go");
    assert!(build.read("guide/new/index.html").contains("New page"));
    assert_eq!(
        entries(site.root()),
        ["content", "output", "site.yaml", "templates"]
    );
}

#[test]
fn nothing_is_written_outside_the_output_folder_and_the_staging_folder_is_removed() {
    let site = good_site();
    let public = site.outer().join("public");
    let public_arg = public.to_string_lossy().into_owned();
    let site_before = snapshot(site.root());

    site.build(&["--output", &public_arg]).assert_ok();
    assert_eq!(entries(site.outer()), ["public", "site"]);
    assert_eq!(
        snapshot(site.root()),
        site_before,
        "the site's own files are untouched"
    );

    // A second build swaps a new output in; a failed one changes nothing.
    site.build(&["--output", &public_arg]).assert_ok();
    assert_eq!(entries(site.outer()), ["public", "site"]);
    let site = site.file("content/bad.md", "no front matter\n");
    let site_before = snapshot(site.root());
    site.build(&["--output", &public_arg]).assert_failed();
    assert_eq!(entries(site.outer()), ["public", "site"]);
    assert_eq!(snapshot(site.root()), site_before);
}

#[test]
fn the_output_folder_cannot_be_the_site_root() {
    let site = good_site();
    let root = fs::canonicalize(site.root()).expect("canonical root");
    let before = snapshot(site.root());
    let root_arg = site.root().to_string_lossy().into_owned();

    let build = site.build(&["--output", &root_arg]);
    assert_ne!(build.code, 0);
    build.assert_reports(&format!(
        "error: refusing to write the site into {}: it contains the site's own files
  = hint: choose an empty folder, or the default `output/` inside the site, with --output DIR
",
        root.display()
    ));
    assert_eq!(snapshot(site.root()), before);
    assert_eq!(entries(site.outer()), ["site"]);
}

#[test]
fn the_output_folder_cannot_be_a_parent_of_the_site() {
    let site = good_site();
    let outer = fs::canonicalize(site.outer()).expect("canonical folder");
    let before = snapshot(site.outer());
    let outer_arg = site.outer().to_string_lossy().into_owned();

    let build = site.build(&["--output", &outer_arg]);
    assert_ne!(build.code, 0);
    build.assert_reports(&format!(
        "error: refusing to write the site into {}: it contains the site's own files",
        outer.display()
    ));
    assert_eq!(snapshot(site.outer()), before);
}

#[test]
fn the_output_folder_cannot_be_inside_content_or_themes() {
    let site = good_site().minimal_templates_in("themes/plain/templates");
    let root = fs::canonicalize(site.root()).expect("canonical root");
    let before = snapshot(site.root());
    for (folder, name) in [
        ("content", "content"),
        ("content/guide/out", "content"),
        ("themes/plain", "themes"),
        ("templates", "templates"),
    ] {
        let target = site.path(folder).to_string_lossy().into_owned();
        let build = site.build(&["--output", &target]);
        assert_ne!(build.code, 0, "--output {folder}");
        build.assert_reports(&format!(
            "error: refusing to write the site into {}: it is inside the site's `{name}` folder",
            root.join(folder).display()
        ));
    }
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn a_non_empty_folder_bounce_did_not_create_is_refused() {
    let site = good_site();
    let public = site.outer().join("public");
    fs::create_dir_all(public.join("docs")).expect("mkdir");
    fs::write(public.join("precious.txt"), "the only copy").expect("write");
    fs::write(public.join("docs/notes.md"), "notes").expect("write");
    let before = snapshot(&public);
    let public_arg = public.to_string_lossy().into_owned();

    let build = site.build(&["--output", &public_arg]);
    assert_ne!(build.code, 0);
    build.assert_reports(&format!(
        "error: refusing to write the site into {}: it is not empty and bounce did not create it",
        fs::canonicalize(&public).expect("canonical").display()
    ));
    assert_eq!(snapshot(&public), before);
    assert_eq!(entries(site.outer()), ["public", "site"]);
}

#[test]
fn an_existing_empty_folder_is_used_as_the_output() {
    let site = good_site();
    let public = site.outer().join("public");
    fs::create_dir_all(&public).expect("mkdir");
    let public_arg = public.to_string_lossy().into_owned();

    let build = site.build(&["--output", &public_arg]);
    build.assert_ok();
    assert!(
        build
            .read("guide/policy/index.html")
            .contains("The first version.")
    );
}

#[test]
fn a_file_cannot_be_the_output_folder() {
    let site = good_site();
    let file = site.outer().join("public");
    fs::write(&file, "a file").expect("write");
    let file_arg = file.to_string_lossy().into_owned();

    let build = site.build(&["--output", &file_arg]);
    assert_ne!(build.code, 0);
    build.assert_reports("it is a file, not a folder");
    assert_eq!(fs::read_to_string(&file).expect("read"), "a file");
}

#[test]
fn a_user_folder_with_the_staging_name_is_not_deleted() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));
    let staging = site.path("output.bounce-staging");
    fs::create_dir_all(&staging).expect("mkdir");
    fs::write(staging.join("mine.txt"), "not bounce's").expect("write");

    let build = site.build(&[]);
    assert_ne!(build.code, 0);
    build.assert_reports("output.bounce-staging");
    assert_eq!(
        fs::read_to_string(staging.join("mine.txt")).expect("still there"),
        "not bounce's"
    );
    assert_eq!(snapshot(&site.path("output")), before);
}

#[test]
fn a_user_folder_with_the_old_output_name_is_not_touched() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));
    let old = site.path("output.bounce-old");
    fs::create_dir_all(&old).expect("mkdir");
    fs::write(old.join("mine.txt"), "not bounce's").expect("write");

    let build = site.build(&[]);
    assert_ne!(build.code, 0);
    assert_eq!(
        fs::read_to_string(old.join("mine.txt")).expect("still there"),
        "not bounce's"
    );
    assert_eq!(snapshot(&site.path("output")), before);
}

#[test]
fn the_staging_folder_is_removed_even_when_the_swap_fails() {
    let site = good_site();
    site.build(&[]).assert_ok();
    fs::create_dir_all(site.path("output.bounce-old")).expect("mkdir");
    fs::write(site.path("output.bounce-old/mine.txt"), "not bounce's").expect("write");

    site.build(&[]);
    assert!(
        !site.path("output.bounce-staging").exists(),
        "left behind: {:?}",
        entries(site.root())
    );
}

#[test]
fn a_staging_folder_left_by_a_crashed_build_is_cleared() {
    let site = good_site();
    let staging = site.path("output.bounce-staging");
    fs::create_dir_all(staging.join("half")).expect("mkdir");
    fs::write(staging.join(".bounce-output"), "marker").expect("write");
    fs::write(staging.join("half/index.html"), "half-written").expect("write");

    let build = site.build(&[]);
    build.assert_ok();
    assert!(!staging.exists());
    assert!(!build.exists("half/index.html"));
    assert_eq!(
        entries(site.root()),
        ["content", "output", "site.yaml", "templates"]
    );
}

#[test]
fn content_errors_exit_with_code_1() {
    let build = good_site()
        .file("content/about.md", "---\ntitle: About\nwebiste: x\n---\n")
        .build(&[]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stdout.is_empty(), "{}", build.stdout);
}

#[test]
fn an_unknown_option_is_a_usage_error_with_code_2() {
    let site = good_site();
    let root = site.root().to_string_lossy().into_owned();
    let build = site.run(&["build", "--root", &root, "--draft"]);
    assert_eq!(build.code, 2, "{}", build.stderr);
    assert!(build.stderr.contains("--draft"), "{}", build.stderr);
    assert!(!site.path("output").exists());
}

#[test]
fn a_bad_source_date_epoch_is_a_usage_error_with_code_2() {
    let site = good_site();
    let root = site.root().to_string_lossy().into_owned();
    let build = site.run_with_env(
        &["build", "--root", &root],
        &[("SOURCE_DATE_EPOCH", "next tuesday")],
        site.path("output"),
    );
    assert_eq!(build.code, 2, "{}", build.stderr);
    build
        .assert_reports("error: SOURCE_DATE_EPOCH must be a number of seconds, not `next tuesday`");
    assert!(!site.path("output").exists());
}

#[test]

fn an_invalid_base_url_option_is_a_usage_error_with_code_2() {
    let site = good_site();
    let build = site.build(&["--base-url", "council.example/healthy-schools"]);
    build.assert_reports(
        "error: --base-url must start with `https://` or `http://`, but it is `council.example/healthy-schools`",
    );
    assert_eq!(build.code, 2, "{}", build.stderr);
}

#[test]

fn a_refused_output_folder_is_a_usage_error_with_code_2() {
    let site = good_site();
    let root = site.root().to_string_lossy().into_owned();
    let build = site.build(&["--output", &root]);
    build.assert_reports("error: refusing to write the site into");
    assert_eq!(build.code, 2, "{}", build.stderr);
}

#[test]

fn a_root_without_site_yaml_is_a_usage_error_with_code_2() {
    let site = good_site();
    let elsewhere = site.outer().join("not-a-site");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    let elsewhere_arg = elsewhere.to_string_lossy().into_owned();
    let build = site.run(&["build", "--root", &elsewhere_arg]);
    build.assert_reports(&format!(
        "error: there is no site in {}: it has no `site.yaml`\n  = hint: run bounce in your site's folder or give it with `--root DIR`; to start a new site, run `bounce init my-site`",
        elsewhere.display()
    ));
    assert_eq!(build.code, 2, "{}", build.stderr);
}

#[test]
fn hidden_and_editor_temporary_files_are_ignored() {
    let build = good_site()
        .file("content/.#policy.md", "garbage without front matter")
        .file("content/guide/policy.md~", "---\ntitle: Backup\n---\n")
        .file("content/guide/.policy.md.swp", "swap")
        .file("content/guide/4913", "vim probe")
        .file("content/#notes.md#", "emacs autosave")
        .file(
            "content/.hidden.md",
            "---\ntitle: Hidden\nbad_field: x\n---\n",
        )
        .file("content/.git/config", "[core]")
        .file("content/guide/.DS_Store", "mac")
        .build(&[]);
    build.assert_ok();

    let files = build.files();
    for name in [
        "#",
        "~",
        ".swp",
        "4913",
        "hidden",
        ".git",
        ".DS_Store",
        "Backup",
    ] {
        assert!(
            !files.iter().any(|f| f.contains(name)),
            "`{name}` was copied: {files:?}"
        );
        assert!(
            !build.stderr.contains(name),
            "`{name}` was read: {}",
            build.stderr
        );
    }
    // The only messages are content lints about the site's real documents.
    for line in build.stderr.lines().filter(|l| l.starts_with("warning")) {
        assert!(line.starts_with("warning[missing-summary]"), "{line}");
    }
}

#[test]
fn a_template_error_names_the_template_file_and_line() {
    let build = good_site()
        .file(
            "templates/page.html",
            "<h1>{{ page.title }}</h1>\n<p>ok</p>\n<p>{{ page.nope }}</p>\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: template `page.html` while rendering content/guide/policy.md: ")
        .assert_reports(
            " --> templates/page.html:3:12
  |
3 | <p>{{ page.nope }}</p>
  |            ^
",
        );
}

#[test]
fn a_template_syntax_error_names_the_template_file_and_line() {
    let build = good_site()
        .minimal_templates_in("themes/plain/templates")
        .site_yaml(&format!("{}theme: plain\n", fixtures::SITE_YAML))
        .remove("templates/page.html")
        .file(
            "themes/plain/templates/page.html",
            "<h1>{{ page.title }}</h1>\n{% if %}\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: template `page.html`: ")
        .assert_reports(
            " --> themes/plain/templates/page.html:2:7
  |
2 | {% if %}
  |       ^
",
        );
}

#[test]

fn an_unknown_filter_names_the_template_file_and_line() {
    let build = good_site()
        .file("templates/page.html", "<h1>{{ page.title | shout }}</h1>\n")
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("`shout`")
        .assert_reports(" --> templates/page.html:1:");
}

#[test]
fn a_symbolic_link_out_of_the_content_folder_is_skipped_with_a_warning() {
    let site = good_site();
    fs::write(site.outer().join("secret.txt"), "private notes").expect("write");
    std::os::unix::fs::symlink(
        site.outer().join("secret.txt"),
        site.path("content/guide/secret.txt"),
    )
    .expect("symlink");

    let build = site.build(&[]);
    build.assert_ok();
    build.assert_reports(
        "warning: symbolic link points outside the content folder; skipped
 --> content/guide/secret.txt
  = hint: copy the file",
    );
    assert!(!build.exists("guide/secret.txt"));
    assert!(!build.files().iter().any(|f| f.contains("secret")));
}

#[test]
fn a_symbolic_link_to_a_folder_outside_content_is_skipped_with_a_warning() {
    let site = good_site();
    let elsewhere = site.outer().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    fs::write(
        elsewhere.join("private.md"),
        "---\ntitle: Private minutes\n---\nNot for the web.\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&elsewhere, site.path("content/shared")).expect("symlink");

    let build = site.build(&[]);
    build.assert_ok();
    build.assert_reports(
        "warning: symbolic link points outside the content folder; skipped
 --> content/shared
",
    );
    assert!(!build.exists("shared/private/index.html"));
    assert!(!build.read("sitemap.xml").contains("private"));
}

#[test]
fn a_symbolic_link_loop_does_not_hang_the_build() {
    let site = good_site();
    std::os::unix::fs::symlink(site.path("content"), site.path("content/guide/loop"))
        .expect("symlink");

    let build = site.build(&[]);
    build.assert_ok();
    build.assert_reports("warning: symbolic link loop; skipped\n --> content/guide/loop");
    assert!(
        build
            .read("guide/policy/index.html")
            .contains("The first version.")
    );
}

/// Every file and folder under `dir`, `/`-separated, sorted: unlike
/// [`snapshot`], it shows empty folders too.
fn paths(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("list a folder") {
            let path = entry.expect("a folder entry").path();
            let relative = path.strip_prefix(dir).expect("under dir");
            found.push(relative.to_string_lossy().into_owned());
            if path.is_dir() && !path.is_symlink() {
                folders.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn an_output_path_that_climbs_out_of_a_missing_folder_into_the_sources_is_refused() {
    let site = good_site().file("static/site.css", "body { margin: 0; }\n");
    let root = fs::canonicalize(site.root()).expect("canonical root");
    let before = paths(site.outer());
    for (target, refused, name) in [
        ("site/nonexist/../content/out", "content/out", "content"),
        ("site/nonexist/../static", "static", "static"),
        (
            "site/nonexist/deeper/../../static/out",
            "static/out",
            "static",
        ),
    ] {
        // Relative to the folder bounce runs in, which holds `site/`.
        let build = site.build(&["--output", target]);
        assert_eq!(build.code, 2, "--output {target}\n{}", build.stderr);
        build.assert_reports(&format!(
            "error: refusing to write the site into {}: it is inside the site's `{name}` folder
  = hint: choose an empty folder, or the default `output/` inside the site, with --output DIR
",
            root.join(refused).display()
        ));
        assert_eq!(
            paths(site.outer()),
            before,
            "--output {target} made nothing"
        );
    }
}

#[test]
fn an_output_path_through_a_missing_folder_leaves_no_stray_folder() {
    let site = good_site();
    let build = site.build(&["--output", "site/nonexist/../public"]);
    build.assert_ok();
    assert!(site.path("public/guide/policy/index.html").is_file());
    assert_eq!(
        entries(site.root()),
        ["content", "public", "site.yaml", "templates"]
    );
}

// ------------------------------------------------- builds killed part-way

/// The sections and pages per section of the site the kill test builds:
/// enough folders that replacing an output takes a while, few enough that
/// the test takes about 30 s on two cores.
const KILLED_SECTIONS: usize = 10;
const KILLED_PAGES: usize = 20;
/// Rounds of the kill test, each ending with a build that must succeed.
const KILL_ROUNDS: u64 = 32;
/// The seed of the kill test's random moments: a failure names its round,
/// which this seed replays.
const KILL_SEED: u64 = 0x6b11_1ed5;

/// A small deterministic random number generator (no dependency needed).
struct Random(u64);

impl Random {
    /// A random part of `span`.
    fn within(&mut self, span: Duration) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        span.mul_f64((self.0 >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn killed_site() -> TestSite {
    let mut site = TestSite::new().minimal_templates();
    for section in 0..KILLED_SECTIONS {
        site = site.file(
            &format!("content/section-{section}/_index.md"),
            &format!(
                "---\ntitle: Section {section}\nsummary: Section {section}.\n---\nSection number {section}.\n"
            ),
        );
        for page in 0..KILLED_PAGES {
            site = site.file(
                &format!("content/section-{section}/page-{page:02}.md"),
                &format!(
                    "---\ntitle: Page {page}\nsummary: Page {page}.\n---\nPage {page} of section {section}.\n"
                ),
            );
        }
    }
    site
}

/// When a build is killed.
enum Moment {
    /// This long after it starts.
    After(Duration),
    /// This long after `folder` starts to change: is replaced, moved away,
    /// appears, or gains or loses an entry.
    AfterChange(PathBuf, Duration),
}

/// A folder as the kill test sees it: its inode and its entries, or None.
fn look(folder: &Path) -> Option<(u64, Vec<String>)> {
    let inode = fs::symlink_metadata(folder).ok()?.ino();
    let mut names: Vec<String> = fs::read_dir(folder)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    Some((inode, names))
}

/// Starts `bounce build` on the site, quietly.
fn start_build(site: &TestSite) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bounce"))
        .args(["build", "--root", &site.root().to_string_lossy()])
        .env("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the bounce binary")
}

/// Waits until `folder` changes from how it was when `build` started, or
/// `build` ends; returns when the change was seen, if it was.
fn wait_for_change(build: &mut Child, folder: &Path) -> Option<Instant> {
    let before = look(folder);
    loop {
        if look(folder) != before {
            return Some(Instant::now());
        }
        if build
            .try_wait()
            .expect("ask whether bounce ended")
            .is_some()
        {
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `bounce build` and kills it (SIGKILL, as `kill -9`) at `moment`, unless
/// it ended before.
fn kill_build(site: &TestSite, moment: &Moment) {
    let mut build = start_build(site);
    let started = Instant::now();
    let at = match moment {
        Moment::After(delay) => Some(started + *delay),
        Moment::AfterChange(folder, delay) => {
            wait_for_change(&mut build, folder).map(|seen| seen + *delay)
        }
    };
    if let Some(at) = at {
        while Instant::now() < at
            && build
                .try_wait()
                .expect("ask whether bounce ended")
                .is_none()
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        // Fails only if bounce has already ended and been reaped.
        let _ = build.kill();
    }
    build.wait().expect("reap bounce");
}

/// How long a build of the site takes, and how long it runs after the
/// output folder changes (when replacing an output, removing the old one).
fn time_build(site: &TestSite) -> (Duration, Duration) {
    let mut build = start_build(site);
    let started = Instant::now();
    let changed = wait_for_change(&mut build, &site.path("output"));
    let status = build.wait().expect("wait for bounce");
    assert!(status.success(), "the timed build should succeed");
    let ended = Instant::now();
    let tail = changed.map_or(Duration::ZERO, |c| ended - c);
    (ended - started, tail.max(Duration::from_millis(5)))
}

#[test]
fn builds_killed_at_random_moments_never_block_the_next_build() {
    let site = killed_site();
    let (clean, _) = time_build(&site);
    let expected = snapshot(&site.path("output"));
    let (rebuild, removal) = time_build(&site);
    let output = site.path("output");
    let staging = site.path("output.bounce-staging");
    let mut random = Random(KILL_SEED);
    for round in 0..KILL_ROUNDS {
        let moments = match round % 4 {
            // A first build, at any moment.
            0 => {
                fs::remove_dir_all(&output).expect("remove the output");
                vec![Moment::After(random.within(clean.mul_f64(1.2)))]
            }
            // A build that replaces an output, at any moment.
            1 => vec![Moment::After(random.within(rebuild.mul_f64(1.2)))],
            // While the old output is removed, once the new one is in place.
            2 => vec![Moment::AfterChange(output.clone(), random.within(removal))],
            // While the staging folder is written, then while the next
            // build removes what is left of it.
            _ => vec![
                Moment::AfterChange(staging.clone(), random.within(rebuild / 2)),
                Moment::AfterChange(staging.clone(), random.within(removal)),
            ],
        };
        for moment in &moments {
            kill_build(&site, moment);
        }
        let replay = format!("round {round} of the kill test (seed {KILL_SEED:#x})");
        let build = site.build(&[]);
        assert_eq!(
            build.code,
            0,
            "{replay}: the build after the kill failed\n{}",
            build.headlines().join("\n")
        );
        let differ = differences(&expected, &snapshot(&output));
        assert!(
            differ.is_empty(),
            "{replay}: the build after the kill left another site than a clean build: {differ:?}"
        );
        let left: Vec<String> = entries(site.root())
            .into_iter()
            .filter(|e| e.contains(".bounce-"))
            .collect();
        assert!(left.is_empty(), "{replay}: left behind {left:?}");
    }
}

/// The paths missing, extra or different in `actual`.
fn differences(
    expected: &BTreeMap<String, Vec<u8>>,
    actual: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut differ: Vec<String> = expected
        .iter()
        .filter(|(path, bytes)| actual.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect();
    differ.extend(
        actual
            .keys()
            .filter(|p| !expected.contains_key(*p))
            .cloned(),
    );
    differ
}
