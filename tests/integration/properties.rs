//! Property tests: the pure stages, fed arbitrary and hostile text, never panic
//! and never let script through (the SVG checker of files beside documents
//! among them).
//!
//! Inputs mix random characters with the tokens that matter to markdown, YAML
//! and HTML (`---`, `](`, `<script>`, `javascript:`, ` onerror=`, ...), so that
//! the cases reach deep into the parsers instead of stopping at the first
//! character. Case counts are modest so that `cargo test` stays fast; set
//! `PROPTEST_CASES=100000` to search longer. Failing inputs are saved by proptest
//! in `tests/proptest-regressions/properties.txt` (its default place for a
//! source file in a folder with a `main.rs`, here `tests/integration/`) and are
//! tried first on every run.

use std::collections::HashMap;
use std::path::PathBuf;

use bounce::config::Config;
use bounce::dates::{DateTime, PartialDate};
use bounce::discover::SourceDocument;
use bounce::links::Routes;
use bounce::markdown::{self, Input};
use bounce::{document, frontmatter, scripted, slug};
use proptest::prelude::*;

use crate::fixtures::script::{assert_no_script, is_script_url};

/// Pieces that steer random text into the interesting parts of each parser.
const TOKENS: &[&str] = &[
    "---",
    "...",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    " ",
    "  ",
    "    ",
    "\u{feff}",
    "\u{0}",
    "title: ",
    "summary: ",
    "date: ",
    "slug: ",
    "aliases: ",
    "extra: ",
    "- ",
    "* ",
    "1. ",
    "> ",
    ">",
    "<",
    "#",
    "## ",
    "{#",
    "{.",
    "}",
    "[",
    "]",
    "](",
    ")",
    "(",
    "![",
    "[^1]",
    "[^1]: ",
    "`",
    "```",
    "~~~",
    "|",
    "|---|",
    "*",
    "_",
    "~~",
    "&",
    "&amp;",
    "&#106;",
    "&#x6A;",
    "\"",
    "'",
    "\\",
    ":",
    "=",
    "%",
    "%20",
    "%3C",
    "@/",
    "../",
    "./",
    "/",
    "//",
    "?",
    "<script>",
    "</script>",
    "<script src=x>",
    "<img src=x onerror=alert(1)>",
    " onerror=",
    " onclick=\"x\"",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    "vbscript:",
    "data:text/html,",
    "<iframe src=x>",
    "<style>",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "<details>",
    "<p",
    "https://example.org/",
    "mailto:a@b.org",
    "<a@b.org>",
    "<https://x.org>",
    "[!WARNING]",
    "é",
    "e\u{301}",
    "İ",
    "ß",
    "\u{2028}",
    "\u{200b}",
    "’",
    "_index.md",
    "page.md",
    "&{a}",
    "*a",
    "!!binary",
    "{",
    "? ",
    "key: [",
    "[a, b]",
    "\"\\u0000\"",
    "~",
];

/// Text made of tokens and random characters, up to `max` pieces.
fn text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-zA-Z0-9 ]{1,8}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
}

/// A document: a front-matter block (usually) around token text.
fn document_text() -> impl Strategy<Value = String> {
    (any::<bool>(), text(24), text(48)).prop_map(|(framed, yaml, body)| {
        if framed {
            format!("---\n{yaml}\n---\n{body}")
        } else {
            format!("{yaml}{body}")
        }
    })
}

/// Pieces of SVG and XML that reach the script checker's every branch.
const XML_TOKENS: &[&str] = &[
    "<svg xmlns=\"http://www.w3.org/2000/svg\">",
    "</svg>",
    "<g>",
    "</g>",
    "<script>",
    "</script>",
    "<ScRiPt>",
    "<h:script>",
    "<foreignObject>",
    "<a href=\"",
    "<a xlink:href='",
    "\">",
    "'/>",
    "/>",
    ">",
    "<",
    "</",
    "\"",
    "'",
    "=",
    ":",
    " onload=\"x\"",
    " ONCLICK='x'",
    " attributeName=\"href\"",
    "<set attributeName=\"onclick\" to=\"x\"/>",
    " values=\"a;javascript:x\"",
    "javascript:",
    "java&#x9;script:",
    "&#106;",
    "&#x6A;",
    "&#0;",
    "&amp;",
    "&e;",
    "&",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<?xml-stylesheet href=\"x.xsl\"?>",
    "<?",
    "?>",
    "<!DOCTYPE svg [<!ENTITY e \"javascript:\">]>",
    "<!DOCTYPE svg>",
    "[",
    "]",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\u{feff}",
    "é",
    "\u{0}",
];

/// Text made of XML tokens and random characters, up to `max` pieces.
fn xml_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(XML_TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-zA-Z0-9 ]{1,8}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|pieces| pieces.concat())
}

fn config() -> Config {
    bounce::config::parse(
        "title: Test\nbase_url: https://council.example/hs/\ntopics:\n  resilience: Resilience\n",
    )
    .expect("the test site.yaml is valid")
}

fn routes() -> Routes {
    let mut routes = Routes {
        base_path: "/hs/".into(),
        documents: HashMap::from([
            ("_index.md".to_string(), String::new()),
            ("page.md".to_string(), "page/".to_string()),
            ("guide/_index.md".to_string(), "guide/".to_string()),
            ("guide/policy.md".to_string(), "guide/policy/".to_string()),
        ]),
        ..Routes::default()
    };
    routes.assets.insert("guide/policy guide.pdf".into());
    routes
        .urls
        .extend(["page/".to_string(), "guide/".to_string()]);
    routes
}

fn render(body: &str, allow_unsafe_html: bool) -> markdown::Rendered {
    let routes = routes();
    let resolve = |dest: &str| routes.resolve("guide/policy.md", dest, true);
    markdown::render(&Input {
        body,
        first_line: 1,
        allow_unsafe_html,
        resolve: &resolve,
    })
}

/// `n` cases, or `PROPTEST_CASES` when set (for a longer search by hand).
fn cases(n: u32) -> ProptestConfig {
    let from_env = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok());
    ProptestConfig::with_cases(from_env.unwrap_or(n))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn splitting_front_matter_never_panics_and_keeps_lines_right(text in document_text()) {
        if let Ok(parts) = frontmatter::split(&text) {
            let body_start = parts.body.as_ptr() as usize - text.as_ptr() as usize;
            let yaml_start = parts.yaml.as_ptr() as usize - text.as_ptr() as usize;
            prop_assert!(yaml_start + parts.yaml.len() <= body_start);
            prop_assert_eq!(&text[body_start..], parts.body);
            prop_assert_eq!(parts.yaml_first_line, 2);
            if text[..body_start].ends_with('\n') {
                prop_assert_eq!(
                    parts.body_first_line,
                    text[..body_start].matches('\n').count() + 1
                );
            }
        }
    }

    #[test]
    fn parsing_a_document_never_panics(text in document_text(), key in "[a-z]{1,6}(/[a-z_]{1,6}){0,2}\\.md") {
        let source = SourceDocument {
            file: PathBuf::from("content").join(&key),
            key,
            bytes: text.into_bytes(),
        };
        let _ = document::parse(&source, &config());
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut framed = b"---\ntitle: T\n".to_vec();
        framed.extend_from_slice(&bytes);
        for bytes in [bytes, framed] {
            let source = SourceDocument {
                key: "page.md".into(),
                file: PathBuf::from("content/page.md"),
                bytes,
            };
            let _ = document::parse(&source, &config());
        }
    }

    #[test]
    fn markdown_without_unsafe_html_never_runs_script(body in text(64)) {
        // A refused link keeps its text in the HTML, but the build stops on it
        // and writes nothing: only HTML without problems is ever written.
        let rendered = render(&body, false);
        if rendered.problems.is_empty() {
            assert_no_script(&rendered.html);
        }
    }

    #[test]
    fn markdown_with_unsafe_html_allowed_never_panics(body in text(64)) {
        let rendered = render(&body, true);
        for problem in &rendered.problems {
            prop_assert!(problem.line >= 1 && problem.column >= 1);
        }
    }

    #[test]
    fn the_svg_checker_never_panics_and_places_findings_in_the_file(text in xml_text(48)) {
        let lines = text.split('\n').count();
        for finding in scripted::check_xml(&text) {
            prop_assert!(finding.line >= 1 && finding.line <= lines, "{finding:?}");
            prop_assert!(finding.column >= 1, "{finding:?}");
        }
    }

    #[test]
    fn no_text_before_a_script_element_hides_it(text in xml_text(32)) {
        // Whatever comes first, the file is refused: for the script, or as
        // not well-formed (an unclosed comment or attribute that swallows it).
        let with_script = format!("{text}<script>alert(1)</script>");
        prop_assert!(!scripted::check_xml(&with_script).is_empty());
    }

    #[test]
    fn slugs_are_safe_segments_or_empty(text in text(16)) {
        let slug = slug::slugify(&text);
        prop_assert!(slug.is_empty() || slug::is_safe_segment(&slug), "{:?} → {:?}", text, slug);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert!(!slug.chars().any(|c| c.is_ascii_uppercase()));
    }

    #[test]
    fn safe_segments_never_leave_their_folder(text in text(8)) {
        if slug::is_safe_segment(&text) {
            prop_assert!(!text.contains('/') && !text.contains('\\') && !text.starts_with('.'));
        }
    }

    #[test]
    fn resolved_links_never_have_a_script_scheme(
        from in proptest::sample::select(vec!["_index.md", "page.md", "guide/policy.md", "guide/_index.md"]),
        dest in text(12),
    ) {
        if let Ok(resolved) = routes().resolve(from, &dest, true) {
            prop_assert!(!is_script_url(&resolved.href), "{:?} → {:?}", dest, resolved.href);
        }
    }

    #[test]
    fn dates_never_panic_and_print_as_they_parse(text in "[0-9T:+Z. -]{0,24}") {
        if let Some(date) = DateTime::parse(&text) {
            prop_assert_eq!(DateTime::parse(&date.to_string()), Some(date));
            let _ = date.human();
        }
        if let Some(date) = PartialDate::parse(&text) {
            let _ = date.human();
        }
        let _ = bounce::dates::human(&text);
    }

    #[test]
    fn any_build_date_can_be_read(seconds in any::<i64>()) {
        let _ = DateTime::from_unix_seconds(seconds);
    }
}

/// Inputs found by hand or by the fuzz targets under `fuzz/`: each once
/// crashed or leaked, or sits on an edge the random cases rarely reach.
#[test]
fn hostile_markdown_regressions_stay_inert() {
    for body in [
        "<scr<script>ipt>alert(1)</script>",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "[x]: javascript:alert(1)\n\n[x]",
        "## Heading {#a\"onclick=alert(1)}",
        "## Heading {.a\"onclick=alert(1)}",
        "## Heading {onclick=alert(1)}",
        "```\"onclick=alert(1)\nx\n```",
        "[x](<x\" onclick=\"alert(1)>)",
        "[x](page.md \"t\\\" onclick=\\\"alert(1)\")",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<!--><script>alert(1)</script>-->",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    ] {
        let rendered = render(body, false);
        let html = rendered.html;
        if !rendered.problems.is_empty() {
            // Refused: the build reports it and writes nothing.
            continue;
        }
        assert_no_script(&html);
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "{body}\n{html}"
        );
    }
}

/// The checker in this file finds what it is meant to find.
#[test]
fn the_script_checker_catches_script() {
    for bad in [
        "<p><script>x</script></p>",
        "<img src=\"x\" onerror=\"y\">",
        "<a href=\" java\tscript:x\">x</a>",
        "<a title='>' onclick=x>",
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_no_script(bad)).is_err(),
            "{bad}"
        );
    }
    assert_no_script("<p>a onclick=b &lt;script&gt;</p><a href=\"/hs/page/\">x</a>");
}

/// What the `document` fuzz target does with one input: parse it as a
/// document, render its body (or, when the front matter is refused, the whole
/// text), and check that HTML a build would write holds no script.
fn run_document_pipeline(bytes: &[u8]) {
    let source = SourceDocument {
        key: "guide/policy.md".into(),
        file: PathBuf::from("content/guide/policy.md"),
        bytes: bytes.to_vec(),
    };
    let body = match document::parse(&source, &config()) {
        Ok(document) => document.body().to_string(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    for allow_unsafe_html in [false, true] {
        let rendered = render(&body, allow_unsafe_html);
        if !allow_unsafe_html && rendered.problems.is_empty() {
            assert_no_script(&rendered.html);
        }
    }
}

/// The inputs the `document` fuzz target found that reach new code (minimised
/// with `cargo fuzz cmin`, the largest left out), replayed on every run.
#[test]
fn the_fuzz_corpus_parses_and_renders_without_script() {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus/document");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&folder).expect("tests/fuzz-corpus/document exists") {
        let path = entry.expect("a corpus entry").path();
        let bytes = std::fs::read(&path).expect("a readable corpus file");
        run_document_pipeline(&bytes);
        replayed += 1;
    }
    assert!(replayed > 0, "the corpus is empty");
}
