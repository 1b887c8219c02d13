//! Files copied into the output that the editor did not write as markdown:
//! files beside documents that could run script in a reader's browser (HTML,
//! SVG and XML with script) are refused unless the site opts in, in `build`,
//! `check` and the rebuild of `watch` and `serve`; and the site's folders
//! (`content/`, `static/`, `templates/`, `themes/`) that are symbolic links
//! out of the site are refused, while links inside them that lead out are
//! skipped with a warning.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use bounce::build::Options;
use bounce::dates::DateTime;
use bounce::incremental::Project;

use crate::fixtures::{self, TestSite, snapshot};

fn good_site() -> TestSite {
    TestSite::new()
        .minimal_templates()
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file(
            "content/guide/policy.md",
            "---\ntitle: Policy\n---\nRead [the logo](logo.svg).\n",
        )
        .file("content/guide/logo.svg", PLAIN_SVG)
}

const PLAIN_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <title>Logo</title>\n  <circle r=\"4\" fill=\"#0a0\"/>\n</svg>\n";

const SCRIPTED_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <circle r=\"4\"/>\n  <ScRiPt>alert(document.cookie)</ScRiPt>\n</svg>\n";

const OPT_IN: &str =
    "if you trust every file in content/, set `allow_unsafe_html: true` in site.yaml";

#[test]
fn a_plain_svg_beside_a_document_is_copied_unchanged() {
    let build = good_site().build(&[]);
    build.assert_ok();
    assert_eq!(build.read("guide/logo.svg"), PLAIN_SVG);
}

#[test]
fn an_html_file_beside_a_document_fails_the_build_and_leaves_the_output_as_it_was() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));

    let site = site.file(
        "content/guide/form.html",
        "<form><script>send()</script></form>\n",
    );
    let build = site.build(&[]);
    build.assert_failed().assert_reports(&format!(
        "error: an HTML file could run script in readers' browsers, so it is not published
 --> content/guide/form.html
  = hint: put its text in a markdown page, or link to where the form or page is hosted; {OPT_IN}
"
    ));
    assert_eq!(snapshot(&site.path("output")), before);
}

#[test]
fn every_html_like_extension_is_refused_in_any_case() {
    let mut site = good_site();
    let names = [
        "a.html", "b.HTM", "c.xhtml", "d.xht", "e.shtml", "f.mht", "g.MHTML",
    ];
    for name in names {
        site = site.file(&format!("content/guide/{name}"), "<p>hello</p>\n");
    }
    let build = site.build(&[]);
    build.assert_failed();
    for name in names {
        build.assert_reports(&format!(" --> content/guide/{name}\n"));
    }
}

#[test]
fn an_svg_with_script_is_refused_at_its_line_in_build_and_check() {
    let site = good_site().file("content/guide/logo.svg", SCRIPTED_SVG);
    let expected = format!(
        "error: `<ScRiPt>` element, which could run script in readers' browsers
 --> content/guide/logo.svg:3:3
  |
3 |   <ScRiPt>alert(document.cookie)</ScRiPt>
  |   ^
  = hint: remove it from the file, or publish a PNG (for an image) or a .zip (for data) instead; {OPT_IN}
"
    );
    let build = site.build(&[]);
    build.assert_failed().assert_reports(&expected);
    assert!(!build.exists("guide/logo.svg"));
    site.check(&[]).assert_failed().assert_reports(&expected);
}

#[test]
fn an_entity_encoded_script_link_is_found() {
    let site = good_site().file(
        "content/guide/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&#106;ava&#x09;script:alert(1)\"><text>Go</text></a></svg>\n",
    );
    site.check(&[]).assert_failed().assert_reports(
        "error: `href` with a script URL (`java script:alert(1)`), which could run script in readers' browsers
 --> content/guide/logo.svg:1:44
",
    );
}

#[test]
fn check_reports_every_refused_file_once() {
    let site = good_site()
        .file(
            "content/guide/logo.svg",
            "<svg onload=\"a()\"><rect onclick=\"b()\"/><script/></svg>\n",
        )
        .file("content/guide/form.htm", "<form></form>\n")
        .file(
            "content/data/feed.xml",
            "<?xml-stylesheet href=\"s.xsl\"?><feed/>\n",
        )
        .file("content/data/broken.svg", "<svg>\n<g>\n</svg>\n");
    let check = site.check(&[]);
    check.assert_failed();
    let headlines = check.headlines();
    for file in [
        "content/guide/logo.svg",
        "content/guide/form.htm",
        "content/data/feed.xml",
        "content/data/broken.svg",
    ] {
        let reported = check.stderr.matches(&format!(" --> {file}")).count();
        assert_eq!(reported, 1, "{file}\n{}", check.stderr);
    }
    assert_eq!(headlines.len(), 4, "{headlines:#?}");
    check.assert_reports(
        "error: `onload` attribute, which could run script in readers' browsers (and 2 more problems in this file)
 --> content/guide/logo.svg:1:6
",
    );
    check.assert_reports(" --> content/data/broken.svg:3:");
    check.assert_reports("error: not well-formed XML, so it cannot be checked for script");
}

#[test]
fn allow_unsafe_html_lets_html_and_scripted_svg_files_through() {
    let build = good_site()
        .site_yaml(&format!("{}allow_unsafe_html: true\n", fixtures::SITE_YAML))
        .file("content/guide/logo.svg", SCRIPTED_SVG)
        .file(
            "content/guide/form.html",
            "<form><script>send()</script></form>\n",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(build.read("guide/logo.svg"), SCRIPTED_SVG);
    assert!(build.exists("guide/form.html"));
}

/// Options for a `Project` of `site`, written to its `output/`.
fn options(site: &TestSite) -> Options {
    Options {
        root: site.root().to_path_buf(),
        output: site.path("output"),
        base_url: None,
        drafts: false,
        build_date: DateTime::from_unix_seconds(1_795_435_200),
        protection: bounce::build::Protection::Seal(crate::fixtures::example_passcode),
    }
}

#[test]
fn a_scripted_svg_saved_during_watch_fails_the_rebuild_until_it_is_fixed() {
    let site = good_site();
    let mut project = Project::open(&options(&site), Default::default()).expect("the site loads");
    assert!(!project.write().failed());
    let logo = site.path("content/guide/logo.svg");
    let changed = BTreeSet::from([logo.clone()]);

    fs::write(&logo, SCRIPTED_SVG).expect("save the logo");
    project.update(&changed);
    let outcome = project.write();
    assert!(outcome.failed());
    let refused: Vec<_> = outcome
        .problems
        .iter()
        .filter(|p| p.file.as_deref() == Some(Path::new("content/guide/logo.svg")))
        .collect();
    assert_eq!(refused.len(), 1, "{:#?}", outcome.problems);
    assert_eq!(refused[0].line, Some(3));
    assert_eq!(
        fs::read_to_string(site.path("output/guide/logo.svg")).expect("the last good logo"),
        PLAIN_SVG
    );

    fs::write(&logo, PLAIN_SVG.replace("#0a0", "#00a")).expect("save the fixed logo");
    project.update(&changed);
    let outcome = project.write();
    assert!(!outcome.failed(), "{:#?}", outcome.problems);
    assert!(
        fs::read_to_string(site.path("output/guide/logo.svg"))
            .expect("the new logo")
            .contains("#00a")
    );
}

#[test]
fn an_html_file_added_during_watch_fails_the_rebuild() {
    let site = good_site();
    let mut project = Project::open(&options(&site), Default::default()).expect("the site loads");
    assert!(!project.write().failed());
    let form = site.path("content/guide/form.html");
    fs::write(&form, "<script>x()</script>\n").expect("add the form");
    project.update(&BTreeSet::from([form]));
    let outcome = project.write();
    assert!(outcome.failed());
    assert!(!site.path("output/guide/form.html").exists());
}

fn link(target: &Path, link: &Path) {
    if let Some(parent) = link.parent() {
        fs::create_dir_all(parent).expect("create the link's folder");
    }
    std::os::unix::fs::symlink(target, link).expect("make a symbolic link");
}

/// A folder beside the site, as `/etc` would be: holding a file the site must
/// never publish.
fn elsewhere(site: &TestSite) -> std::path::PathBuf {
    let elsewhere = site.outer().join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    fs::write(elsewhere.join("shadow"), "root:secret").expect("write");
    elsewhere
}

#[test]
fn a_static_folder_that_links_out_of_the_site_is_refused() {
    let site = good_site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.path("output"));
    let elsewhere = elsewhere(&site);
    link(&elsewhere, &site.path("static"));

    let build = site.build(&[]);
    build.assert_failed().assert_reports(&format!(
        "error: `static` leads through a symbolic link to {shown}, outside the site; refused
 --> static
  = hint: replace the link with a real folder: remove the link, make `static` a folder and copy into it, from {shown}, only the files the site should publish
",
        shown = elsewhere.canonicalize().expect("real path").display()
    ));
    assert_eq!(snapshot(&site.path("output")), before);
    site.check(&[])
        .assert_failed()
        .assert_reports(" --> static\n");
}

#[test]
fn content_templates_and_theme_folders_that_link_out_of_the_site_are_refused() {
    for folder in [
        "content",
        "templates",
        "themes/plain",
        "themes/plain/static",
    ] {
        let site = good_site()
            .site_yaml(&format!("{}theme: plain\n", fixtures::SITE_YAML))
            .minimal_templates_in("themes/plain/templates");
        let elsewhere = elsewhere(&site);
        let path = site.path(folder);
        if path.exists() {
            fs::remove_dir_all(&path).expect("remove the folder");
        }
        link(&elsewhere, &path);
        let build = site.build(&[]);
        build
            .assert_failed()
            .assert_reports(&format!(
                "error: `{folder}` leads through a symbolic link to "
            ))
            .assert_reports(&format!(" --> {folder}\n"));
        assert!(!site.path("output").exists(), "{folder}");
    }
}

#[test]
fn a_folder_linked_to_another_folder_of_the_site_is_followed() {
    let site = good_site().file("assets/site.css", "body { margin: 0; }\n");
    link(Path::new("assets"), &site.path("static"));
    let build = site.build(&[]);
    build.assert_ok().assert_not_reported("symbolic link");
    assert_eq!(build.read("site.css"), "body { margin: 0; }\n");
}

#[test]
fn a_link_inside_static_that_leaves_it_is_skipped_with_a_warning() {
    let site = good_site().file("static/site.css", "body { margin: 0; }\n");
    let elsewhere = elsewhere(&site);
    link(&elsewhere.join("shadow"), &site.path("static/shadow"));
    link(&elsewhere, &site.path("static/etc"));

    let build = site.build(&[]);
    build.assert_ok();
    for file in ["static/shadow", "static/etc"] {
        build.assert_reports(&format!(
            "warning: symbolic link points outside the static folder; skipped
 --> {file}
  = hint: copy the file or folder into static/ instead of linking to it
"
        ));
    }
    assert!(build.exists("site.css"));
    assert!(!build.files().iter().any(|f| f.contains("shadow")));
    site.check(&["--strict"]).assert_failed();
}

#[test]
fn a_link_inside_a_themes_templates_that_leaves_it_is_skipped_with_a_warning() {
    let site = good_site()
        .site_yaml(&format!("{}theme: plain\n", fixtures::SITE_YAML))
        .minimal_templates_in("themes/plain/templates");
    let elsewhere = elsewhere(&site);
    fs::write(elsewhere.join("extra.html"), "<p>{{ page.title }}</p>").expect("write");
    link(
        &elsewhere.join("extra.html"),
        &site.path("themes/plain/templates/extra.html"),
    );
    site.build(&[]).assert_ok().assert_reports(
        "warning: symbolic link points outside the themes/plain/templates folder; skipped
 --> themes/plain/templates/extra.html
  = hint: copy the file or folder into themes/plain/templates/ instead of linking to it
",
    );
}

#[test]
fn a_link_loop_in_static_is_reported_not_followed() {
    let site = good_site().file("static/site.css", "body { margin: 0; }\n");
    link(&site.path("static"), &site.path("static/again"));
    let build = site.build(&[]);
    build.assert_ok().assert_reports(
        "warning: symbolic link loop; skipped
 --> static/again
",
    );
    assert!(build.exists("site.css"));
}

#[test]
fn a_link_in_static_to_nothing_is_skipped_with_a_warning() {
    let site = good_site().file("static/site.css", "body { margin: 0; }\n");
    link(Path::new("gone.css"), &site.path("static/old.css"));
    site.build(&[]).assert_ok().assert_reports(
        "warning: symbolic link to a file or folder that does not exist; skipped
 --> static/old.css
  = hint: remove the link, or copy the file it pointed to into static/ in its place
",
    );
}
