//! `bounce init` (a working starter site from the binary alone) and `bounce new`
//! (one document with the front matter of its kind, never replacing a file).

use std::fs;

use crate::fixtures::{self, TestSite};

/// Runs `bounce init <outer>/<name>` from the temporary folder, outside the
/// repository, and returns the new site's path as text.
fn init(site: &TestSite, name: &str, extra: &[&str]) -> (fixtures::Build, String) {
    let dir = site.outer().join(name).to_string_lossy().into_owned();
    let mut args = vec!["init", dir.as_str()];
    args.extend_from_slice(extra);
    (site.run(&args), dir)
}

#[test]
fn init_makes_a_site_that_builds_from_outside_the_repository() {
    let site = TestSite::new();
    let (created, dir) = init(&site, "fresh", &[]);
    created.assert_ok();
    assert!(
        created
            .stdout
            .starts_with(&format!("Created a new site in {dir} ("))
    );

    let built = site.run(&["build", "--root", &dir]);
    built.assert_ok();
    let output = site.outer().join("fresh/output");
    for page in [
        "index.html",
        "guidance/what-is-resilience/index.html",
        "partners/nspcc/index.html",
        "resources/mental-health-and-behaviour-in-schools/index.html",
        "events/network-meeting/index.html",
        "sitemap.xml",
    ] {
        assert!(output.join(page).is_file(), "{page} is built");
    }
    assert!(
        !site.outer().join("fresh/themes").exists(),
        "the built-in theme is used, not copied"
    );
}

#[test]
fn the_starter_passes_check_strict_whenever_it_is_made() {
    // Review dates and the example event are written relative to "today", so
    // a site made years from now is as clean as one made today.
    for epoch in [fixtures::BUILD_DATE_EPOCH, "1956528000"] {
        let site = TestSite::new();
        let dir = site.outer().join("fresh").to_string_lossy().into_owned();
        let env = [("SOURCE_DATE_EPOCH", epoch)];
        let output = site.outer().join("unused");
        site.run_with_env(&["init", &dir], &env, output.clone())
            .assert_ok();
        let check = site.run_with_env(&["check", "--strict", "--root", &dir], &env, output);
        assert_eq!(check.code, 0, "{}", check.stderr);
        assert_eq!(
            check.last_stderr_line(),
            "Checked 11 documents: 0 errors, 0 warnings"
        );
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = TestSite::new();
    let before = fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    let root = site.root().to_string_lossy().into_owned();
    let refused = site.run(&["init", &root]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    refused.assert_reports(&format!("error: `{root}` is not empty"));
    assert_eq!(
        fs::read_to_string(site.path("site.yaml")).expect("site.yaml"),
        before
    );

    fs::create_dir(site.outer().join("hidden")).expect("a folder");
    fs::write(site.outer().join("hidden/.git"), "x").expect("a hidden file");
    assert_eq!(init(&site, "hidden", &[]).0.code, 1);
}

#[test]
fn init_uses_an_existing_empty_folder() {
    let site = TestSite::new();
    fs::create_dir(site.outer().join("empty")).expect("a folder");
    init(&site, "empty", &[]).0.assert_ok();
    assert!(site.outer().join("empty/site.yaml").is_file());
}

#[test]
fn init_can_copy_the_default_theme_to_change_it() {
    let site = TestSite::new();
    let (created, dir) = init(&site, "themed", &["--copy-theme"]);
    created.assert_ok();
    let page = site
        .outer()
        .join("themed/themes/default/templates/page.html");
    assert!(page.is_file());
    fs::write(&page, "<h1>{{ page.title }} (changed)</h1>\n").expect("edit the theme");
    site.run(&["build", "--root", &dir]).assert_ok();
    let html = fs::read_to_string(
        site.outer()
            .join("themed/output/guidance/what-is-resilience/index.html"),
    )
    .expect("the page");
    assert_eq!(html, "<h1>What is resilience? (changed)</h1>\n");
}

/// Runs `bounce new` in the fixture site.
fn new(site: &TestSite, args: &[&str]) -> fixtures::Build {
    let root = site.root().to_string_lossy().into_owned();
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend(["--root", root.as_str()]);
    site.run(&all)
}

#[test]
fn new_writes_each_kind_into_its_folder_with_a_safe_slug() {
    let site = TestSite::new();
    for (kind, title, path) in [
        (
            "partner",
            "Road Safety – Peterborough",
            "content/partners/road-safety-peterborough.md",
        ),
        ("resource", "Rise Above", "content/resources/rise-above.md"),
        (
            "event",
            "Spring network: online safety",
            "content/events/spring-network-online-safety.md",
        ),
        ("page", "Children's voice", "content/childrens-voice.md"),
    ] {
        let made = new(&site, &[kind, title]);
        made.assert_ok();
        assert_eq!(made.stdout.trim(), site.path(path).display().to_string());
        let text = fs::read_to_string(site.path(path)).expect("the new file");
        assert!(
            text.starts_with(&format!("---\ntitle: \"{title}\"\nsummary:")),
            "{text}"
        );
        assert!(
            text.contains("\ndate: 2026-11-23\nreview_by: 2027-11-23"),
            "{text}"
        );
    }
}

#[test]
fn new_marks_the_required_fields_that_check_then_reports() {
    let site = TestSite::new();
    new(&site, &["resource", "Rise Above"]).assert_ok();
    new(&site, &["event", "Network meeting"]).assert_ok();
    let check = site.check(&[]);
    check.assert_failed();
    let headlines: Vec<&str> = check
        .headlines()
        .into_iter()
        .filter(|h| h.starts_with("error"))
        .collect();
    assert_eq!(
        headlines,
        [
            "error: an event needs a `starts` date and time",
            "error: a resource needs a `kind`",
            "error: a resource needs a `url` or a `file`",
        ]
    );
    check.assert_reports(
        " --> content/resources/rise-above.md:6:1\n  |\n6 | kind:                  # required: guidance, lesson-plan, e-learning, training, policy, programme or video",
    );
}

#[test]
fn a_new_partner_or_page_builds_at_once() {
    let site = TestSite::new();
    new(&site, &["partner", "Life Education"]).assert_ok();
    new(&site, &["page", "Anti-bullying week"]).assert_ok();
    site.build(&[]).assert_ok();
}

#[test]
fn new_never_replaces_a_file() {
    let site = TestSite::new().file(
        "content/partners/nspcc.md",
        "---\ntitle: NSPCC\n---\nOurs.\n",
    );
    let refused = new(&site, &["partner", "NSPCC"]);
    assert_eq!(refused.code, 1);
    refused.assert_reports(&format!(
        "error: `{}` already exists",
        site.path("content/partners/nspcc.md").display()
    ));
    assert_eq!(
        fs::read_to_string(site.path("content/partners/nspcc.md")).expect("file"),
        "---\ntitle: NSPCC\n---\nOurs.\n"
    );
}

#[test]
fn a_page_goes_in_its_section_which_must_exist() {
    let site = TestSite::new().file("content/guidance/_index.md", "---\ntitle: Guidance\n---\n");
    new(&site, &["page", "Online safety", "--section", "guidance"]).assert_ok();
    assert!(site.path("content/guidance/online-safety.md").is_file());

    let typo = new(&site, &["page", "Bullying", "--section", "guidnce"]);
    assert_eq!(typo.code, 2);
    typo.assert_reports(
        "error: there is no section folder `content/guidnce`\n  = hint: did you mean `--section guidance`?",
    );
    let escape = new(&site, &["page", "Bullying", "--section", "../.."]);
    assert_eq!(escape.code, 2);
    assert!(!site.outer().join("bullying.md").exists());
}

#[test]
fn wrong_uses_of_new_are_usage_errors() {
    let site = TestSite::new();
    let cases: [&[&str]; 4] = [
        &["partner", "NSPCC", "--section", "guidance"],
        &["page", "???"],
        &["leaflet", "Bullying"],
        &["page", "Two\nlines"],
    ];
    for args in cases {
        assert_eq!(new(&site, args).code, 2, "{args:?}");
    }
    let elsewhere = site.outer().to_string_lossy().into_owned();
    let outside = site.run(&["new", "page", "About", "--root", &elsewhere]);
    assert_eq!(outside.code, 2);
    outside.assert_reports("error: there is no site in");
}
