//! Hostile and odd content: what editors paste, copy from old sites and leave on
//! shared drives. bounce must build it or say clearly why not, never panic or
//! hang, never lose the previous output, and never let content run script.
//!
//! Big inputs are generated inside each test, so the repository stays small.
//! Related cases live elsewhere: the YAML bomb and deep YAML in
//! `front_matter.rs`, symbolic links (out of the site, loops) and hidden files in
//! `safety.rs`, byte-identical rebuilds in `determinism.rs`.

use std::fs;
use std::process::Command;

use crate::fixtures::script::{assert_no_script, start_tags};
use crate::fixtures::{BUILD_DATE_EPOCH, TestSite, snapshot};

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nsummary: A page.\n---\n{body}")
}

#[test]
fn a_twenty_megabyte_document_builds() {
    let paragraph = "Resilience is the ability to **bounce back**; see [the guide](_index.md) and [help](https://www.childline.org.uk/).\n\n";
    let body = paragraph.repeat(20_000_000 / paragraph.len() + 1);
    assert!(body.len() >= 20_000_000);
    let build = TestSite::new()
        .minimal_templates()
        .file("content/big.md", &page("Big", &body))
        .build(&[]);
    build.assert_ok();
    let html = build.read("big/index.html");
    assert!(html.len() > body.len(), "the whole body is rendered");
    assert!(html.contains("<strong>bounce back</strong>"));
}

/// 10,000 documents in one section folder. Without the folder's `_index.md`
/// they would all be top-level pages, which the default theme lists in every
/// page's navigation (10,000 × 10,000 links); see the note in the report.
#[test]
fn ten_thousand_documents_in_one_folder_build() {
    let mut site = TestSite::new()
        .minimal_templates()
        .file("content/many/_index.md", &page("Many", ""));
    for n in 0..10_000 {
        site = site.file(
            &format!("content/many/page-{n:05}.md"),
            &page(&format!("Page {n}"), &format!("Text of page {n}.\n")),
        );
    }
    let build = site.build(&[]);
    build.assert_ok();
    let pages = build
        .files()
        .into_iter()
        .filter(|f| f.starts_with("many/page-") && f.ends_with("/index.html"))
        .count();
    assert_eq!(pages, 10_000);
    assert!(
        build
            .read("many/page-09999/index.html")
            .contains("Text of page 9999.")
    );
    assert!(build.read("many/index.html").contains("Page 9999"));
}

#[test]
fn spaces_upper_case_extensions_and_unicode_names_make_clean_urls() {
    // As a Mac or a copied folder writes names: `e` and a combining accent.
    let decomposed = "Re\u{301}sume\u{301} Cafe\u{301}.md";
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/Policy Guides/Anti Bullying Policy.md",
            &page("Anti-bullying", "Text.\n"),
        )
        .file("content/Policy Guides/UPPER.MD", &page("Upper", "Text.\n"))
        .file(
            &format!("content/{decomposed}"),
            &page("Résumé café", "Text.\n"),
        )
        .bytes("content/Cafe\u{301} menu.pdf", b"%PDF-1.4\n")
        .file(
            "content/links.md",
            &page(
                "Links",
                &format!(
                    "[a](<Policy Guides/Anti Bullying Policy.md>) [b](Policy%20Guides/UPPER.MD) \
                     [c](<{decomposed}>) [d](<Résumé Café.md>) [e](<Café menu.pdf>)\n"
                ),
            ),
        )
        .build(&[]);
    build.assert_ok();
    assert!(build.exists("policy-guides/anti-bullying-policy/index.html"));
    assert!(build.exists("policy-guides/upper/index.html"));
    // Both spellings of a name make one URL and one output file, in NFC.
    assert!(
        build.exists("résumé-café/index.html"),
        "{:?}",
        build.files()
    );
    assert!(build.exists("Café menu.pdf"), "{:?}", build.files());
    let links = build.read("links/index.html");
    for (text, href) in [
        ("a", "/healthy-schools/policy-guides/anti-bullying-policy/"),
        ("b", "/healthy-schools/policy-guides/upper/"),
        ("c", "/healthy-schools/r%C3%A9sum%C3%A9-caf%C3%A9/"),
        ("d", "/healthy-schools/r%C3%A9sum%C3%A9-caf%C3%A9/"),
        ("e", "/healthy-schools/Caf%C3%A9%20menu.pdf"),
    ] {
        assert!(
            links.contains(&format!("href=\"{href}\">{text}")),
            "{href} in {links}"
        );
    }
}

#[test]
fn the_same_name_composed_and_decomposed_is_one_url_reported_as_a_clash() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/Café.md", &page("One", ""))
        .file("content/Cafe\u{301}.md", &page("Two", ""))
        .build(&[]);
    build.assert_failed();
    build
        .assert_reports("both make the page /café/")
        .assert_reports(
            "= hint: the two names look the same but one stores its accents as separate characters",
        );
}

#[test]
fn ten_thousand_nested_lists_and_blockquotes_do_not_overflow_the_stack() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/quotes.md",
            &page("Quotes", &format!("{}deep\n", "> ".repeat(10_000))),
        )
        .file(
            "content/lists.md",
            &page("Lists", &format!("{}deep\n", "- ".repeat(10_000))),
        )
        .file(
            "content/mixed.md",
            &page("Mixed", &format!("{}deep\n", "> 1. ".repeat(5_000))),
        )
        .build(&[]);
    build.assert_ok();
    for (page, tag) in [
        ("quotes", "<blockquote>"),
        ("lists", "<ul>"),
        ("mixed", "<ol>"),
    ] {
        let html = build.read(&format!("{page}/index.html"));
        assert!(html.contains("deep"), "{page}");
        assert!(
            html.matches(tag).count() >= 1_000,
            "{page} keeps its nesting"
        );
    }
}

/// Raw HTML is sanitised, in time that grows with the square of its depth:
/// past the depth browsers go to, it is refused (tests/integration/linear.rs).
#[test]
fn raw_html_nested_thousands_deep_is_refused_without_a_stack_overflow() {
    let body = format!("{}deep\n", "<div><blockquote>".repeat(2_000));
    let build = TestSite::new()
        .minimal_templates()
        .file("content/html.md", &page("Html", &body))
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the HTML here nests more than 512 elements deep\n --> content/html.md:5:4341",
    );
    assert!(!build.stderr.contains("overflow"), "{}", build.stderr);
    let allowed = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!(
            "{}allow_unsafe_html: true\n",
            crate::fixtures::SITE_YAML
        ))
        .file("content/html.md", &page("Html", &body))
        .build(&[]);
    allowed.assert_ok();
    assert!(allowed.read("html/index.html").matches("<div>").count() >= 1_000);
}

#[test]
fn front_matter_that_is_a_list_or_a_sentence_is_a_clear_error() {
    TestSite::new()
        .minimal_templates()
        .file("content/list.md", "---\n- title: A\n- b\n---\nText.\n")
        .file("content/sentence.md", "---\njust a sentence\n---\nText.\n")
        .build(&[])
        .assert_failed()
        .assert_reports(
            "error: the front matter must be a list of `key: value` lines, but it is a list\n --> content/list.md:2:1",
        )
        .assert_reports(
            "error: the front matter must be a list of `key: value` lines, but it is text\n --> content/sentence.md:2:1",
        );
}

#[test]
fn a_tab_for_indentation_is_reported_at_its_line() {
    TestSite::new()
        .minimal_templates()
        .file(
            "content/tabs.md",
            "---\ntitle: Tabs\ntopics:\n\t- resilience\n---\nText.\n",
        )
        .build(&[])
        .assert_failed()
        .assert_reports(
            "error: line 4 is indented with a tab, which YAML does not allow\n --> content/tabs.md:4:1",
        )
        .assert_reports(
            "= hint: indent with spaces, not tabs: replace the tab at the start of line 4 with spaces\n",
        );
}

#[test]
fn a_document_that_links_to_itself_builds() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guide/self.md",
            &page(
                "Self",
                "## Top\n\n[me](self.md) [top](#top) [again](@/guide/self.md#top) [dot](./self.md)\n",
            ),
        )
        .build(&[]);
    build.assert_ok();
    let html = build.read("guide/self/index.html");
    assert!(
        html.contains("href=\"/healthy-schools/guide/self/\">me</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"#top\">top</a>"), "{html}");
    assert!(
        html.contains("href=\"/healthy-schools/guide/self/#top\">again</a>"),
        "{html}"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::new()
        .minimal_templates()
        .file("content/locked.md", &page("Locked", "Text.\n"));
    let locked = site.path("content/locked.md");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&locked).is_ok() {
        // Root (as in many containers) reads any file whatever its mode.
        eprintln!("skipped: this user can read a file with mode 000 (running as root?)");
        return;
    }
    site.build(&[])
        .assert_failed()
        .assert_reports("error: cannot read this file: ")
        .assert_reports(" --> content/locked.md")
        .assert_reports("= hint: check the file's permissions");
}

/// The file-size limit (`ulimit -f`) makes every write past 64 KB fail with
/// "file too large" part-way through the build, as a full disk would.
#[test]
fn writing_that_fails_half_way_leaves_the_previous_output_intact() {
    let site = TestSite::new()
        .minimal_templates()
        .file("content/a.md", &page("A", "Text.\n"));
    site.build(&[]).assert_ok();
    let output = site.path("output");
    let before = snapshot(&output);

    let site = site
        .file("content/b.md", &page("B", "New text.\n"))
        .bytes("content/z-big.pdf", &vec![b'x'; 1 << 20]);
    let root = site.root().to_string_lossy().into_owned();
    let run = Command::new("sh")
        .arg("-c")
        // Ignore SIGXFSZ so writes fail with an error instead of killing bounce.
        .arg("trap '' XFSZ; ulimit -f 128; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_bounce"))
        .arg(&root)
        .env("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        .output()
        .expect("run bounce under a file-size limit");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("z-big.pdf"), "names the file: {stderr}");
    assert_eq!(
        snapshot(&output),
        before,
        "the previous output is unchanged"
    );
    assert!(
        !site.path("output.bounce-staging").exists(),
        "the staging folder is removed"
    );
    // Without the limit, the next build succeeds and replaces the output.
    site.build(&[]).assert_ok();
    assert!(site.path("output/b/index.html").exists());
}

/// Script planted where editors type: front-matter values and markdown.
const PLANTED: &str = "\"><script>alert('planted')</script><!-- </script> -->";

fn planted_site() -> TestSite {
    TestSite::new()
        .file(
            "content/planted.md",
            &format!(
                "---\ntitle: '{title}'\nsummary: '{title} <img src=x onerror=alert(1)>'\ntopics: [resilience]\n---\n\
                 ## Heading {PLANTED}\n\n\
                 Text {PLANTED} and `</script>` and --> and <!-- a comment -->.\n\n\
                 <script>alert('raw')</script>\n\n\
                 <img src=x onerror=\"alert('img')\"> <a href=\"javascript:alert('a')\">a</a>\n\n\
                 <p onclick=\"alert('p')\">click</p>\n",
                title = PLANTED.replace('\'', "''"),
            ),
        )
        .file(
            "content/partners/evil.md",
            &format!(
                "---\ntitle: Evil\nsummary: '{s}'\naddress: '{s}'\nphone: '{s}'\n---\nText.\n",
                s = PLANTED.replace('\'', "''")
            ),
        )
}

#[test]
fn planted_script_is_not_executable_in_any_written_file() {
    let build = planted_site().build(&[]);
    build.assert_ok();
    let page = build.read("planted/index.html");
    assert!(
        page.contains("&lt;script&gt;alert("),
        "the title is shown as text: {page}"
    );
    for (file, text) in snapshot(&build.output) {
        let Ok(text) = String::from_utf8(text) else {
            continue;
        };
        if file.ends_with(".html") {
            // The theme's own scripts are files of the site, loaded by URL;
            // apart from those, no tag or attribute may run script.
            for tag in start_tags(&text).iter().filter(|t| t.name == "script") {
                let src = tag.attributes.iter().find(|(name, _)| name == "src");
                assert!(
                    src.is_some_and(|(_, url)| url.starts_with("/healthy-schools/")),
                    "an inline script in {file}:\n{text}"
                );
            }
            assert_no_script(&text.replace("<script src=", "<theme-script src="));
            assert!(
                !text
                    .split("<!--")
                    .skip(1)
                    .any(|c| c.split("-->").next().is_some_and(|c| c.contains("planted"))),
                "planted text inside a comment in {file}"
            );
        }
        if file.ends_with(".json") || file.ends_with(".xml") {
            assert!(!text.contains("<script"), "{file}:\n{text}");
            assert!(!text.contains("</script"), "{file}:\n{text}");
        }
    }
    for file in build.files() {
        if file.starts_with("search/") && file.ends_with(".json") {
            let index = build.read(&file);
            assert!(
                !index.contains('<'),
                "`<` is escaped in the search index: {file}: {index}"
            );
        }
    }
}

#[test]
fn web_addresses_in_front_matter_cannot_be_script() {
    TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/evil.md",
            "---\ntitle: Evil\nwebsite: javascript:alert(1)\n---\nText.\n",
        )
        .build(&[])
        .assert_failed()
        .assert_reports(
            "error: `website` must be a web address starting with https://, not `javascript:alert(1)`",
        );
}

#[test]
fn paths_in_front_matter_cannot_leave_the_site() {
    let site = TestSite::new()
        .minimal_templates()
        .file(
            "content/a.md",
            "---\ntitle: A\naliases: [\"/../../escape/\", \"/ok/../../../up.html\", \"/x\\\"><script>alert(1)</script>/\"]\ntemplate: ../../../etc/passwd\n---\nText.\n",
        )
        .file(
            "content/resources/r.md",
            "---\ntitle: R\nkind: guidance\nfile: ../../../../etc/passwd\n---\nText.\n",
        )
        .file(
            "content/partners/p.md",
            "---\ntitle: P\nlogo: ../../../etc/hostname\nlogo_alt: Logo\n---\nText.\n",
        );
    let build = site.build(&[]);
    build
        .assert_failed()
        .assert_reports("error: alias `/../../escape/` is not a path on this site")
        .assert_reports("error: alias `/ok/../../../up.html` is not a path on this site")
        .assert_reports("error: alias `/x\"><script>alert(1)</script>/` is not a path on this site")
        .assert_reports(
            "error: `template` must name a .html file of the theme, not `../../../etc/passwd`",
        )
        .assert_reports(
            "error: `file` names `../../../../etc/passwd`, which is not in content/resources/",
        )
        .assert_reports(
            "error: `logo` names `../../../etc/hostname`, which is not in content/partners/",
        );
    assert!(!site.outer().join("escape").exists() && !build.output.exists());
}

#[test]
fn odd_content_builds_byte_identical_twice() {
    let site = planted_site()
        .file("content/Cafe\u{301} Guide.md", &page("Café", "Text.\n"))
        .file("content/Policy Guides/UPPER.MD", &page("Upper", "Text.\n"));
    let first = site.build(&["--output", "first"]);
    first.assert_ok();
    let second = site.build(&["--output", "second"]);
    second.assert_ok();
    assert_eq!(snapshot(&first.output), snapshot(&second.output));
}
