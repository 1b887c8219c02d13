//! The incremental rebuild of `bounce watch` and `bounce serve` must write
//! exactly what a full build writes. Each test copies the example site, opens a
//! `Project`, applies one edit after another as an editor would, and after each
//! compares the output folder, file by file, with a fresh `bounce build` of the
//! same files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use bounce::build::{self, Options};
use bounce::dates::DateTime;
use bounce::incremental::{Outcome, Project};

/// 2026-11-23T12:00:00Z, as in the other tests.
const BUILD_DATE: i64 = 1_795_435_200;

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    project: Project,
}

impl Site {
    /// A copy of the example site, loaded and written once.
    fn example() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_tree(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &root,
            &["content", "site.yaml"],
        );
        let mut project =
            Project::open(&options(&root, "output"), Default::default()).expect("opens");
        let outcome = project.write();
        assert!(!outcome.failed(), "{:?}", outcome.problems);
        let site = Site {
            _dir: dir,
            root,
            project,
        };
        site.assert_same_as_full_build("the first build");
        site
    }

    fn path(&self, file: &str) -> PathBuf {
        self.root.join("content").join(file)
    }

    /// Writes or removes files under content/, then rebuilds with them.
    fn edit(&mut self, files: &[(&str, Option<&str>)]) -> Outcome {
        let mut changed = BTreeSet::new();
        for (file, text) in files {
            let path = self.path(file);
            match text {
                Some(text) => {
                    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                    fs::write(&path, text).expect("write");
                }
                None if path.is_dir() => fs::remove_dir_all(&path).expect("remove folder"),
                None => fs::remove_file(&path).expect("remove"),
            }
            changed.insert(path);
        }
        self.project.update(&changed);
        self.project.write()
    }

    /// Replaces the first occurrence of `from` in a file.
    fn replace(&mut self, file: &str, from: &str, to: &str) -> Outcome {
        let text = fs::read_to_string(self.path(file)).expect("read");
        assert!(text.contains(from), "{file} has no `{from}`");
        let text = text.replacen(from, to, 1);
        self.edit(&[(file, Some(&text))])
    }

    fn output(&self, file: &str) -> String {
        fs::read_to_string(self.root.join("output").join(file)).unwrap_or_default()
    }

    fn assert_same_as_full_build(&self, after: &str) {
        let full = options(&self.root, "full");
        let _ = fs::remove_dir_all(&full.output);
        build::build(&full).unwrap_or_else(|f| panic!("full build failed: {:?}", f.problems));
        let incremental = snapshot(&self.root.join("output"));
        let expected = snapshot(&full.output);
        let paths = |s: &BTreeMap<String, Vec<u8>>| s.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(
            paths(&incremental),
            paths(&expected),
            "after {after}: the incremental output has other files than a full build"
        );
        for (path, bytes) in &expected {
            assert!(
                incremental[path] == *bytes,
                "after {after}: {path} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(&incremental[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

fn options(root: &Path, output: &str) -> Options {
    Options {
        root: root.to_path_buf(),
        output: root.join(output),
        base_url: None,
        drafts: false,
        build_date: DateTime::from_unix_seconds(BUILD_DATE),
        protection: build::Protection::Seal(crate::fixtures::example_passcode),
    }
}

fn copy_tree(from: &Path, to: &Path, names: &[&str]) {
    for name in names {
        for entry in walkdir::WalkDir::new(from.join(name)) {
            let entry = entry.expect("walk");
            let relative = entry.path().strip_prefix(from).expect("inside");
            let target = to.join(relative);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).expect("mkdir");
            } else {
                fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).expect("inside");
            (
                path.display().to_string(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

const NEW_PAGE: &str = "---\ntitle: Calm corners\nsummary: Quiet spaces pupils can use when feelings run high.\ntopics: [resilience]\naudiences: [staff]\n---\n\nA calm corner gives pupils a place to settle. See [pupil voice](@/whole-school-approach/pupil-voice.md).\n";

#[test]
fn an_edit_to_a_body_renders_one_page_and_matches_a_full_build() {
    let mut site = Site::example();
    // Saving a file without changing it writes nothing.
    let outcome = site.replace(
        "whole-school-approach/pupil-voice.md",
        "Practical ways",
        "Practical ways",
    );
    assert!(!outcome.failed());
    assert_eq!(outcome.written, 0, "{outcome:?}");
    let text = fs::read_to_string(site.path("whole-school-approach/pupil-voice.md")).expect("read");
    let outcome = site.edit(&[(
        "whole-school-approach/pupil-voice.md",
        Some(&format!(
            "{text}\nA school council meets every half term.\n"
        )),
    )]);
    assert_eq!(outcome.rendered, 1, "only the page itself: {outcome:?}");
    assert!(
        site.output("whole-school-approach/pupil-voice/index.html")
            .contains("A school council meets every half term."),
    );
    site.assert_same_as_full_build("a body edit");
}

#[test]
fn front_matter_edits_reach_listings_breadcrumbs_and_terms() {
    let mut site = Site::example();
    let steps: &[(&str, &str, &str, &str)] = &[
        (
            "a page title",
            "whole-school-approach/pupil-voice.md",
            "title: Pupil voice and peer support",
            "title: Listening to pupils",
        ),
        (
            "a page's topics",
            "whole-school-approach/pupil-voice.md",
            "topics: [resilience, mental-health, bullying, pshe]",
            "topics: [resilience, online-safety]",
        ),
        (
            "a weight",
            "whole-school-approach/pupil-voice.md",
            "weight: 3",
            "weight: 1",
        ),
        (
            "a section title",
            "whole-school-approach/_index.md",
            "title: Whole school approach",
            "title: Resilience across the school",
        ),
        (
            "a top-level section's weight",
            "whole-school-approach/_index.md",
            "weight: 2",
            "weight: 9",
        ),
        (
            "a partner's title",
            "partners/nspcc.md",
            "title: NSPCC",
            "title: NSPCC Peterborough",
        ),
        (
            "a resource's partner",
            "resources/speak-out-stay-safe.md",
            "partner: nspcc",
            "partner: bounce-forward",
        ),
        (
            "an event's date",
            "events/spring-network-meeting-2027.md",
            "starts: \"2027-03-10T15:45\"\nends: \"2027-03-10T17:30\"",
            "starts: \"2026-03-10T15:45\"\nends: \"2026-03-10T17:30\"",
        ),
        (
            "a summary",
            "resources/rise-above.md",
            "summary: A free programme",
            "summary: A free national programme",
        ),
        (
            "an alias",
            "whole-school-approach/_index.md",
            "aliases: [\"/whole-school-approach-to-resilience/\"]",
            "aliases: [\"/resilience-school/\"]",
        ),
    ];
    for (what, file, from, to) in steps {
        let outcome = site.replace(file, from, to);
        assert!(!outcome.failed(), "{what}: {:?}", outcome.problems);
        site.assert_same_as_full_build(what);
    }
    assert!(
        site.output("partners/index.html")
            .contains("NSPCC Peterborough")
    );
    assert!(
        site.output("resources/speak-out-stay-safe/index.html")
            .contains("Bounce Forward")
    );
}

#[test]
fn adding_removing_and_renaming_documents_and_folders() {
    let mut site = Site::example();
    let outcome = site.edit(&[("whole-school-approach/calm-corners.md", Some(NEW_PAGE))]);
    assert!(!outcome.failed(), "{:?}", outcome.problems);
    assert!(
        site.output("whole-school-approach/index.html")
            .contains("Calm corners")
    );
    site.assert_same_as_full_build("adding a page");

    // A rename is a removal and a creation.
    let outcome = site.edit(&[
        ("whole-school-approach/calm-corners.md", None),
        ("whole-school-approach/calm-spaces.md", Some(NEW_PAGE)),
    ]);
    assert!(outcome.removed > 0, "{outcome:?}");
    assert!(
        !site
            .root
            .join("output/whole-school-approach/calm-corners")
            .exists()
    );
    site.assert_same_as_full_build("renaming a page");

    let outcome = site.edit(&[("whole-school-approach/calm-spaces.md", None)]);
    assert!(!outcome.failed());
    assert!(
        !site
            .output("whole-school-approach/index.html")
            .contains("Calm corners")
    );
    site.assert_same_as_full_build("removing a page");

    let outcome = site.edit(&[(
        "drafts-only.md",
        Some("---\ntitle: Not yet\ndraft: true\n---\nSoon.\n"),
    )]);
    assert!(!outcome.failed());
    site.assert_same_as_full_build("adding a draft");

    let outcome = site.edit(&[
        (
            "new-section/_index.md",
            Some("---\ntitle: New section\nweight: 5\n---\nIntro.\n"),
        ),
        ("new-section/one.md", Some(NEW_PAGE)),
    ]);
    assert!(!outcome.failed(), "{:?}", outcome.problems);
    site.assert_same_as_full_build("adding a section");

    let outcome = site.edit(&[("new-section", None)]);
    assert!(!outcome.failed(), "{:?}", outcome.problems);
    assert!(!site.root.join("output/new-section").exists());
    site.assert_same_as_full_build("removing a whole folder");

    let outcome = site.edit(&[("resources/extra-sheet.pdf", Some("%PDF-1.4 a small file"))]);
    assert!(!outcome.failed());
    assert!(site.root.join("output/resources/extra-sheet.pdf").is_file());
    site.assert_same_as_full_build("adding a file beside the documents");
}

#[test]
fn a_failed_rebuild_writes_nothing_and_the_fix_catches_up() {
    let mut site = Site::example();
    let before = snapshot(&site.root.join("output"));
    let outcome = site.replace(
        "whole-school-approach/pupil-voice.md",
        "title: Pupil voice and peer support",
        "title: [Pupil voice",
    );
    assert!(outcome.failed());
    // The YAML error, at its line; links to the page are broken meanwhile too.
    assert!(
        outcome.problems.iter().any(|d| d.is_error()
            && d.file.as_deref()
                == Some(Path::new("content/whole-school-approach/pupil-voice.md"))
            && d.line == Some(2)),
        "{:?}",
        outcome.problems
    );
    // Meanwhile another file changes, while the site is broken.
    let outcome = site.replace("partners/nspcc.md", "title: NSPCC", "title: NSPCC East");
    assert!(outcome.failed(), "still broken");
    assert_eq!(
        snapshot(&site.root.join("output")),
        before,
        "nothing was written"
    );

    let outcome = site.replace(
        "whole-school-approach/pupil-voice.md",
        "title: [Pupil voice",
        "title: Pupil voice",
    );
    assert!(!outcome.failed(), "{:?}", outcome.problems);
    assert!(site.output("partners/index.html").contains("NSPCC East"));
    site.assert_same_as_full_build("fixing the error");

    // A link to a page that does not exist, then the page is created.
    let outcome = site.edit(&[(
        "bounce-back.md",
        Some(&format!(
            "{}\nSee [calm corners](whole-school-approach/calm-corners.md).\n",
            fs::read_to_string(site.path("bounce-back.md")).expect("read")
        )),
    )]);
    assert!(outcome.failed());
    assert!(
        outcome
            .problems
            .iter()
            .any(|d| d.message.contains("calm-corners.md"))
    );
    // The page appears with broken front matter: only its own error is
    // reported, not the link to it, as in a full build.
    let outcome = site.edit(&[(
        "whole-school-approach/calm-corners.md",
        Some("---\ntitle: [Calm corners\n---\nSoon.\n"),
    )]);
    assert!(outcome.failed());
    assert!(
        outcome.problems.iter().all(|d| d.file.as_deref()
            == Some(Path::new("content/whole-school-approach/calm-corners.md"))),
        "{:?}",
        outcome.problems
    );
    let outcome = site.edit(&[("whole-school-approach/calm-corners.md", Some(NEW_PAGE))]);
    assert!(!outcome.failed(), "{:?}", outcome.problems);
    assert!(
        site.output("bounce-back/index.html")
            .contains("whole-school-approach/calm-corners/")
    );
    site.assert_same_as_full_build("creating the page a link needed");
}

/// A small deterministic random number generator (no dependency needed).
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// The markdown files under content/, relative to it.
fn documents(site: &Site) -> Vec<String> {
    snapshot(&site.root.join("content"))
        .into_keys()
        .filter(|k| k.ends_with(".md"))
        .collect()
}

/// Sets a front-matter field (adding it if missing) in a document's text.
fn set_field(text: &str, field: &str, value: Option<&str>) -> String {
    let end = text[4..].find("\n---").map_or(text.len(), |i| i + 4);
    let (front, body) = text.split_at(end);
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with(&format!("{field}:")))
        .map(str::to_string)
        .collect();
    if let Some(value) = value {
        lines.push(format!("{field}: {value}"));
    }
    format!("{}\n{}", lines.join("\n"), body.trim_start_matches('\n'))
}

#[test]
fn random_edits_always_match_a_full_build_and_failures_recover() {
    const TOPICS: &[&str] = &[
        "resilience",
        "bullying",
        "online-safety",
        "pshe",
        "fire-safety",
    ];
    let mut site = Site::example();
    let mut random = Random(0x5eed);
    let mut good = snapshot(&site.root.join("output"));
    for step in 0..30 {
        let files = documents(&site);
        let file = files[random.below(files.len())].clone();
        let text = fs::read_to_string(site.path(&file)).expect("read");
        let other = files[random.below(files.len())].clone();
        let (what, edit): (String, Vec<(String, Option<String>)>) = match random.below(9) {
            0 => (
                format!("append to the body of {file}"),
                vec![(
                    file.clone(),
                    Some(format!("{text}\nStep {step} adds a sentence.\n")),
                )],
            ),
            1 => (
                format!("retitle {file}"),
                vec![(
                    file.clone(),
                    Some(set_field(
                        &text,
                        "title",
                        Some(&format!("\"Title {step}\"")),
                    )),
                )],
            ),
            2 => {
                let topics = format!("[{}, {}]", TOPICS[random.below(5)], TOPICS[random.below(5)]);
                (
                    format!("topics of {file}"),
                    vec![(
                        file.clone(),
                        Some(set_field(&text, "topics", Some(&topics))),
                    )],
                )
            }
            3 => {
                let weight = random.below(4).to_string();
                let value = (weight != "0").then_some(weight.as_str());
                (
                    format!("weight of {file}"),
                    vec![(file.clone(), Some(set_field(&text, "weight", value)))],
                )
            }
            4 => (
                format!("summary of {file}"),
                vec![(
                    file.clone(),
                    Some(set_field(
                        &text,
                        "summary",
                        Some(&format!("\"Summary {step}\"")),
                    )),
                )],
            ),
            5 => {
                let folder = file.rsplit_once('/').map_or("", |(f, _)| f);
                let new = if folder.is_empty()
                    || folder == "partners"
                    || folder == "resources"
                    || folder == "events"
                {
                    format!("extra-{step}.md")
                } else {
                    format!("{folder}/extra-{step}.md")
                };
                (
                    format!("add {new}"),
                    vec![(new, Some(NEW_PAGE.to_string()))],
                )
            }
            6 => (format!("remove {file}"), vec![(file.clone(), None)]),
            7 => (
                format!("link {file} to {other}"),
                vec![(
                    file.clone(),
                    Some(format!("{text}\nSee [this page](@/{other}).\n")),
                )],
            ),
            _ => (
                format!("draft {file}"),
                vec![(file.clone(), Some(set_field(&text, "draft", Some("true"))))],
            ),
        };
        let before: Vec<(String, Option<String>)> = edit
            .iter()
            .map(|(f, _)| (f.clone(), fs::read_to_string(site.path(f)).ok()))
            .collect();
        let as_refs =
            |e: &[(String, Option<String>)]| -> Vec<(String, Option<String>)> { e.to_vec() };
        let outcome = apply(&mut site, &as_refs(&edit));
        let full = options(&site.root, "full");
        let _ = fs::remove_dir_all(&full.output);
        match build::build(&full) {
            Ok(_) => {
                assert!(
                    !outcome.failed(),
                    "step {step} ({what}): {:?}",
                    outcome.problems
                );
                site.assert_same_as_full_build(&format!("step {step} ({what})"));
                good = snapshot(&site.root.join("output"));
                eprintln!("step {step}: {what}: matches a full build");
            }
            Err(failure) => {
                assert!(
                    outcome.failed(),
                    "step {step} ({what}): a full build fails, the rebuild did not: {:?}",
                    failure.problems
                );
                assert_eq!(
                    snapshot(&site.root.join("output")),
                    good,
                    "step {step} ({what}) wrote into the output"
                );
                let outcome = apply(&mut site, &before);
                assert!(
                    !outcome.failed(),
                    "step {step}: undoing ({what}): {:?}",
                    outcome.problems
                );
                site.assert_same_as_full_build(&format!("undoing step {step} ({what})"));
                eprintln!("step {step}: {what}: failed like a full build, undone");
            }
        }
    }
}

fn apply(site: &mut Site, edit: &[(String, Option<String>)]) -> Outcome {
    let files: Vec<(&str, Option<&str>)> = edit
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_deref()))
        .collect();
    site.edit(&files)
}
