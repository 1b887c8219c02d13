//! Passcode-protected material: nothing protected appears in the output in
//! clear, what the page publishes opens with the passcode as a browser opens
//! it (here with the same RustCrypto crates), several passcodes open a group
//! and a withdrawn one does not, and a build without the passcode fails and
//! leaves the output as it was.

use std::collections::HashSet;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::Sha256;

use crate::fixtures::{Build, SITE_YAML, TestSite, snapshot};

/// The variable the fixture's group reads (not the example's, so that a
/// passcode set in the shell running the tests cannot reach it).
const VARIABLE: &str = "BOUNCE_TEST_LESSONS_PASSCODE";
const PASSCODE: &str = "correct horse battery staple";
const SECOND: &str = "another school's passcode";

const LESSON_TEXT: &str = "Pupils sit in a circle and take turns to describe a moment this week when something went wrong and what they told themselves about it afterwards.\n\nThe teacher models changing an unhelpful thought into a realistic one using the example of a missed bus on a rainy Monday morning.\n";

fn site_yaml() -> String {
    format!(
        "{SITE_YAML}passcodes:\n  schools:\n    env: {VARIABLE}\n    ask: Email lessons@council.example for the passcode.\n"
    )
}

/// Bytes that look like nothing in particular (xorshift), `len` of them.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// A site with one protected resource offering a file of two chunks and
/// linking a worksheet beside it, and a public file beside them.
fn lesson_site() -> TestSite {
    TestSite::new()
        .site_yaml(&site_yaml())
        .file("content/resources/_index.md", "---\ntitle: Resources\n---\n")
        .file(
            "content/resources/lesson.md",
            &format!(
                "---\ntitle: Thinking traps lesson\nsummary: A lesson on thinking traps for schools with the passcode.\nkind: lesson-plan\nfile: lesson.pdf\naccess: passcode\n---\n\n## Circle time\n\n{LESSON_TEXT}\nUse the [worksheet (PDF, 2 KB)](worksheet.pdf).\n"
            ),
        )
        .bytes("content/resources/lesson.pdf", &noise(1, (1 << 20) + 300))
        .bytes("content/resources/worksheet.pdf", &noise(2, 2000))
        .bytes("content/resources/public.pdf", &noise(3, 500))
}

fn build_with(site: &TestSite, passcodes: &str) -> Build {
    let root = site.root().to_string_lossy().into_owned();
    let env = [
        ("SOURCE_DATE_EPOCH", crate::fixtures::BUILD_DATE_EPOCH),
        (VARIABLE, passcodes),
    ];
    site.run_with_env(&["build", "--root", &root], &env, site.path("output"))
}

/// Every 32-byte window of each protected text and file that appears in any
/// output file, as (what, output file).
fn leaks(site: &TestSite, build: &Build) -> Vec<(String, String)> {
    let mut secrets: Vec<(String, Vec<u8>)> = LESSON_TEXT
        .lines()
        .map(|l| ("the lesson text".to_string(), l.as_bytes().to_vec()))
        .collect();
    for file in ["lesson.pdf", "worksheet.pdf"] {
        let bytes = std::fs::read(site.path(&format!("content/resources/{file}"))).expect("read");
        secrets.push((file.to_string(), bytes));
    }
    let mut windows: std::collections::HashMap<&[u8], &str> = Default::default();
    for (what, bytes) in &secrets {
        for window in bytes.windows(32) {
            windows.insert(window, what);
        }
    }
    let mut found = HashSet::new();
    for (path, bytes) in snapshot(&build.output) {
        for window in bytes.windows(32) {
            if let Some(what) = windows.get(window) {
                found.insert((what.to_string(), path.clone()));
            }
        }
    }
    let mut found: Vec<_> = found.into_iter().collect();
    found.sort();
    found
}

#[test]
fn nothing_protected_appears_anywhere_in_the_output() {
    let site = lesson_site();
    let build = build_with(&site, PASSCODE);
    build.assert_ok();
    assert_eq!(leaks(&site, &build), Vec::<(String, String)>::new());
    // What stays public: the title, summary, file type and size, and the ask.
    let page = build.read("resources/lesson/index.html");
    for public in [
        "Thinking traps lesson",
        "A lesson on thinking traps",
        "<dd>PDF, 1.0 MB</dd>",
        "Email lessons@council.example for the passcode.",
        "<label for=\"passcode\">Passcode</label>",
    ] {
        assert!(page.contains(public), "{public} missing from\n{page}");
    }
    for hidden in ["Circle time", "circle-time", "worksheet", "lesson.pdf"] {
        let all: Vec<String> = build
            .files()
            .into_iter()
            .filter(|f| !f.ends_with(".pdf"))
            .collect();
        for file in all {
            let text = String::from_utf8_lossy(&build.read_bytes(&file)).into_owned();
            assert!(!text.contains(hidden), "{hidden} is in {file}");
        }
    }
    // Its public title is in the search index (a word of it in a shard).
    let shards: String = build
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/s") && f.ends_with(".json"))
        .map(|f| build.read(&f))
        .collect();
    assert!(shards.contains("[\"traps\","), "{shards}");
    // A file beside it that it does not offer is copied as it is.
    assert_eq!(build.read_bytes("resources/public.pdf"), noise(3, 500));
}

/// What the page publishes for the script: the envelope's JSON.
fn envelope(build: &Build, page: &str) -> serde_json::Value {
    let html = build.read(page);
    let start = html.find("data-passcode-envelope>").expect("a sealed page") + 23;
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("the envelope is JSON")
}

fn b64(value: &serde_json::Value) -> Vec<u8> {
    BASE64
        .decode(value.as_str().expect("a string"))
        .expect("base64")
}

fn open(key: &[u8], nonce: &[u8], data: &[u8], label: &str) -> Option<Vec<u8>> {
    let payload = Payload {
        msg: data,
        aad: label.as_bytes(),
    };
    Aes256Gcm::new_from_slice(key)
        .ok()?
        .decrypt(Nonce::from_slice(nonce), payload)
        .ok()
}

/// The content key a passcode unwraps, as passcode.js derives it: PBKDF2,
/// then HKDF to the wrapping key, then each wrapped key tried in turn.
fn unwrap(envelope: &serde_json::Value, passcode: &str) -> Option<Vec<u8>> {
    let salt = b64(&envelope["salt"]);
    let rounds = envelope["iterations"].as_u64().expect("iterations") as u32;
    assert!(rounds >= 600_000);
    let mut stretched = [0; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passcode.as_bytes(), &salt, rounds, &mut stretched);
    let mut wrapping = [0; 32];
    hkdf::Hkdf::<Sha256>::new(Some(&salt), &stretched)
        .expand(b"bounce wrapping key v1", &mut wrapping)
        .expect("32 bytes");
    envelope["keys"].as_array()?.iter().find_map(|k| {
        open(
            &wrapping,
            &b64(&k["nonce"]),
            &b64(&k["data"]),
            "bounce wrapped key v1",
        )
    })
}

/// A sealed file opened chunk by chunk, as passcode.js reads it.
fn open_file(
    envelope: &serde_json::Value,
    key: &[u8],
    file: &serde_json::Value,
    sealed: &[u8],
) -> Vec<u8> {
    let chunk = envelope["chunk"].as_u64().expect("chunk") as usize;
    let len = file["bytes"].as_u64().expect("bytes") as usize;
    let url = file["url"].as_str().expect("url");
    let count = len.div_ceil(chunk).max(1);
    let mut opened = Vec::new();
    for (index, piece) in sealed.chunks(12 + chunk + 16).enumerate() {
        let label = format!("{url}\n{index}/{count}");
        opened.extend(open(key, &piece[..12], &piece[12..], &label).expect("each chunk opens"));
    }
    opened
}

#[test]
fn the_passcode_opens_what_the_page_publishes_as_a_browser_would() {
    let site = lesson_site();
    let build = build_with(&site, PASSCODE);
    build.assert_ok();
    let envelope = envelope(&build, "resources/lesson/index.html");
    assert_eq!(unwrap(&envelope, "not the passcode"), None);
    let key = unwrap(&envelope, PASSCODE).expect("the passcode opens the group");
    let body = &envelope["body"];
    let page = envelope["page"].as_str().expect("page");
    let opened =
        open(&key, &b64(&body["nonce"]), &b64(&body["data"]), page).expect("the body opens");
    let opened: serde_json::Value = serde_json::from_slice(&opened).expect("JSON");
    let html = opened["html"].as_str().expect("html");
    assert!(
        html.contains("<h2 id=\"circle-time\">Circle time</h2>"),
        "{html}"
    );
    assert!(html.contains("describe a moment this week"), "{html}");
    let files = opened["files"].as_array().expect("files");
    assert_eq!(files[0]["own"], true);
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["lesson.pdf", "worksheet.pdf"]);
    for file in files {
        let name = file["name"].as_str().expect("name");
        let sealed = build.read_bytes(&format!("resources/{name}"));
        let source = std::fs::read(site.path(&format!("content/resources/{name}"))).expect("read");
        assert_eq!(open_file(&envelope, &key, file, &sealed), source, "{name}");
    }
}

#[test]
fn two_passcodes_both_open_a_group_and_a_withdrawn_one_no_longer_does() {
    let site = lesson_site();
    let both = build_with(&site, &format!("{PASSCODE}\n{SECOND}\n"));
    both.assert_ok();
    let sealed = envelope(&both, "resources/lesson/index.html");
    assert_eq!(sealed["keys"].as_array().map(Vec::len), Some(2));
    let first = unwrap(&sealed, PASSCODE).expect("the first passcode opens");
    assert_eq!(
        unwrap(&sealed, SECOND).as_ref(),
        Some(&first),
        "one content key"
    );

    let withdrawn = build_with(&site, SECOND);
    withdrawn.assert_ok();
    let sealed = envelope(&withdrawn, "resources/lesson/index.html");
    assert_eq!(unwrap(&sealed, PASSCODE), None, "the withdrawn passcode");
    let key = unwrap(&sealed, SECOND).expect("the remaining passcode opens");
    assert_ne!(
        key, first,
        "a new content key: the old one opens nothing new"
    );
}

#[test]
fn a_missing_variable_fails_the_build_and_leaves_the_output_as_it_was() {
    let site = lesson_site();
    build_with(&site, PASSCODE).assert_ok();
    let before = snapshot(&site.path("output"));
    let failed = build_with(&site, "");
    failed.assert_failed().assert_reports(&format!(
        "error: `{VARIABLE}` is not set, so the passcode group `schools` has no passcode and its documents cannot be protected\n --> content/resources/lesson.md\n  = hint: give the build the passcode (one per line for several): export {VARIABLE}='...'"
    ));
    assert_eq!(snapshot(&site.path("output")), before);
}

#[test]
fn two_builds_with_the_same_passcodes_are_byte_identical() {
    let site = lesson_site();
    let root = site.root().to_string_lossy().into_owned();
    let env = [
        ("SOURCE_DATE_EPOCH", crate::fixtures::BUILD_DATE_EPOCH),
        (VARIABLE, PASSCODE),
    ];
    // `--output` is relative to the folder holding the site.
    let build = |name: &str| {
        let output = site.outer().join(name).to_string_lossy().into_owned();
        let args = ["build", "--root", &root, "--output", &output];
        site.run_with_env(&args, &env, site.outer().join(name))
    };
    let (one, two) = (build("one"), build("two"));
    one.assert_ok();
    two.assert_ok();
    let (one, two) = (snapshot(&one.output), snapshot(&two.output));
    assert!(one.contains_key("resources/lesson.pdf"), "{:?}", one.keys());
    let differ: Vec<&String> = one
        .keys()
        .filter(|path| one.get(*path) != two.get(*path))
        .collect();
    assert_eq!(
        differ,
        Vec::<&String>::new(),
        "these files differ between the builds"
    );
    assert_eq!(one.len(), two.len());
}

#[test]
fn access_passcode_without_a_group_shows_the_lines_to_add() {
    TestSite::new()
        .file(
            "content/resources/lesson.md",
            "---\ntitle: Lesson\nkind: lesson-plan\nurl: https://lessons.example/\naccess: passcode\n---\nText.\n",
        )
        .build(&[])
        .assert_failed()
        .assert_reports(
            "error: `access: passcode`, but site.yaml declares no passcode group\n --> content/resources/lesson.md:5:1\n  |\n5 | access: passcode\n  | ^\n  = hint: add to site.yaml the lines `passcodes:`, `  schools:`, `    env: SCHOOLS_PASSCODE` and `    ask: Email healthyschools@council.example for the passcode.`, then give the build the passcode: export SCHOOLS_PASSCODE='...'",
        );
}

#[test]
fn check_warns_about_weak_passcodes_and_urls_it_cannot_protect() {
    let site = TestSite::new().site_yaml(&site_yaml()).file(
        "content/resources/elsewhere.md",
        "---\ntitle: Elsewhere\nkind: lesson-plan\nurl: https://lessons.example/toolkit\naccess: passcode\n---\nText.\n",
    );
    let root = site.root().to_string_lossy().into_owned();
    let env = [(
        VARIABLE,
        "letmein\nqwerty123456\na long and unusual passcode",
    )];
    let check = site.run_with_env(&["check", "--root", &root], &env, site.path("output"));
    check.assert_reports("warning: passcode 1 of `BOUNCE_TEST_LESSONS_PASSCODE` (group `schools`) is shorter than 12 characters");
    check.assert_reports("warning: passcode 2 of `BOUNCE_TEST_LESSONS_PASSCODE` (group `schools`) is in a list of common passwords");
    check.assert_not_reported("passcode 3");
    check.assert_not_reported("letmein");
    check.assert_reports("warning: the resource is passcode-protected, but its `url` points to `https://lessons.example/toolkit`: bounce cannot protect a file it does not publish\n --> content/resources/elsewhere.md:4:1");
}

#[test]
fn a_protected_section_covers_its_documents_but_not_its_own_page() {
    let site = TestSite::new()
        .site_yaml(&site_yaml())
        .file(
            "content/lessons/_index.md",
            "---\ntitle: Lessons\npasscode: schools\n---\nAsk us for the passcode to these lessons.\n",
        )
        .file(
            "content/lessons/one.md",
            &format!("---\ntitle: Lesson one\nsummary: The first lesson.\n---\n{LESSON_TEXT}"),
        );
    let build = build_with(&site, PASSCODE);
    build.assert_ok();
    assert!(
        build
            .read("lessons/index.html")
            .contains("Ask us for the passcode")
    );
    let envelope = envelope(&build, "lessons/one/index.html");
    assert_eq!(envelope["group"], "schools");
    let files: Vec<String> = build.files();
    for file in files {
        let text = String::from_utf8_lossy(&build.read_bytes(&file)).into_owned();
        assert!(
            !text.contains("describe a moment this week"),
            "the lesson is in {file}"
        );
    }
}

#[test]
fn a_public_page_linking_a_protected_file_is_an_error() {
    let site = lesson_site().file(
        "content/resources/open.md",
        "---\ntitle: Open\nkind: guidance\nurl: https://example.org/\n---\nSee the [lesson (PDF, 1 MB)](lesson.pdf).\n",
    );
    build_with(&site, PASSCODE).assert_failed().assert_reports(
        "error: this page links `resources/lesson.pdf`, which the passcode-protected content/resources/lesson.md offers: readers of this page would get it sealed\n --> content/resources/open.md\n  = hint: link to the protected page instead (`@/resources/lesson.md`), or give this page a copy of the file under another name",
    );
}
