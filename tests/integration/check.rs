//! `bounce check`: a fixture site with one instance of every lint gives exactly
//! the expected findings in both formats; silencing per document and per site;
//! `--strict`; exit codes; and the example site of the repository is clean.
//!
//! Every check runs on "today" = 2026-11-23 (see `fixtures::BUILD_DATE_EPOCH`).

use crate::fixtures::{self, SITE_YAML, TestSite};

/// A document with a title, a summary and `body` from line 5.
fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nsummary: A page that shows one lint.\n---\n{body}")
}

/// One document per lint, each named after the lint it shows.
fn site_with_every_lint() -> TestSite {
    TestSite::new()
        .site_yaml(&format!("{SITE_YAML}reading_age: 9\n"))
        .file(
            "content/_index.md",
            "---\ntitle: Home\nsummary: The home page.\n---\nWelcome.\n",
        )
        .bytes("content/team.jpg", &crate::fixtures::jpeg(2, 2))
        .bytes("content/policy.pdf", b"%PDF-1.4")
        .file(
            "content/missing-alt.md",
            &page("Missing alt", "Our team.\n\n![](team.jpg)\n"),
        )
        .file(
            "content/skipped-heading.md",
            &page("Skipped heading", "## Start\n\nText.\n\n#### Too deep\n"),
        )
        .file(
            "content/h1-in-body.md",
            &page("H1 in body", "# A second title\n"),
        )
        .file(
            "content/ambiguous-link-text.md",
            &page(
                "Ambiguous link text",
                "Read the guidance [here](https://www.gov.uk/).\n",
            ),
        )
        .file(
            "content/empty-link.md",
            &page("Empty link", "Text.\n\n[](https://www.gov.uk/)\n"),
        )
        .file(
            "content/file-link-text.md",
            &page("File link text", "[Our policy](policy.pdf)\n"),
        )
        .file(
            "content/table-without-header.md",
            &page(
                "Table without header",
                "| | |\n|---|---|\n| Childline | 0800 1111 |\n",
            ),
        )
        .file(
            "content/http-link.md",
            &page("HTTP link", "See [the old site](http://old.example/).\n"),
        )
        .file(
            "content/review-overdue.md",
            "---\ntitle: Review overdue\nsummary: S.\nreview_by: 2026-11-01\n---\nText.\n",
        )
        .file(
            "content/review-due-soon.md",
            "---\ntitle: Review due soon\nsummary: S.\nreview_by: 2026-12-01\n---\nText.\n",
        )
        .file(
            "content/reading-age.md",
            "---\ntitle: Reading age\nsummary: S.\naudiences: [pupils]\n---\nResilience is the ability to recover from difficult experiences, and schools can strengthen it through consistent relationships and emotional education.\n",
        )
        .file(
            "content/missing-summary.md",
            "---\ntitle: Missing summary\n---\nText.\n",
        )
        .file(
            "content/duplicate-title.md",
            &page("Ambiguous link text", "Text.\n"),
        )
}

/// (level, code, file:line:column) of every finding, in report order.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "warning",
        "ambiguous-link-text",
        "content/ambiguous-link-text.md:5:19",
    ),
    (
        "warning",
        "duplicate-title",
        "content/duplicate-title.md:2:1",
    ),
    ("warning", "empty-link", "content/empty-link.md:7:1"),
    ("note", "file-link-text", "content/file-link-text.md:5:1"),
    ("warning", "h1-in-body", "content/h1-in-body.md:5:1"),
    ("warning", "http-link", "content/http-link.md:5:5"),
    ("warning", "missing-alt", "content/missing-alt.md:7:1"),
    (
        "warning",
        "missing-summary",
        "content/missing-summary.md:2:1",
    ),
    ("warning", "reading-age", "content/reading-age.md:4:1"),
    ("note", "review-due-soon", "content/review-due-soon.md:4:1"),
    ("warning", "review-overdue", "content/review-overdue.md:4:1"),
    (
        "warning",
        "skipped-heading",
        "content/skipped-heading.md:9:1",
    ),
    (
        "warning",
        "table-without-header",
        "content/table-without-header.md:5:1",
    ),
];

/// (level, code, location) of each finding in the human report.
fn human_findings(stderr: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let (level, rest) = line.split_once('[')?;
            let code = rest.split_once("]: ")?.0;
            let location = lines.get(i + 1)?.trim().strip_prefix("--> ")?;
            Some((level.to_string(), code.to_string(), location.to_string()))
        })
        .collect()
}

fn expected() -> Vec<(String, String, String)> {
    EXPECTED
        .iter()
        .map(|(l, c, at)| (l.to_string(), c.to_string(), at.to_string()))
        .collect()
}

#[test]
fn every_lint_is_found_once_at_its_line_in_the_human_format() {
    let check = site_with_every_lint().check(&[]);
    assert_eq!(
        check.code, 0,
        "warnings alone pass without --strict\n{}",
        check.stderr
    );
    assert_eq!(
        human_findings(&check.stderr),
        expected(),
        "{}",
        check.stderr
    );
    assert_eq!(
        check.last_stderr_line(),
        "Checked 14 documents: 0 errors, 11 warnings, 2 notes"
    );
}

#[test]
fn a_finding_is_shown_like_a_compiler_message() {
    site_with_every_lint().check(&[]).assert_reports(
        "\
warning[missing-alt]: image has no alt text
 --> content/missing-alt.md:7:1
  |
7 | ![](team.jpg)
  | ^
  = hint: describe the image between the brackets: `![Pupils planting the school garden](garden.jpg)`, or if it is only decoration add the title `\"decorative\"`: `![](divider.png \"decorative\")`",
    );
}

#[test]
fn the_reading_age_is_reported_with_its_figure() {
    let check = site_with_every_lint().check(&[]);
    check.assert_reports(
        "warning[reading-age]: this page for pupils has a reading age of 23, above the site's 9",
    );
    check.assert_reports(
        "it has 20.0 words per sentence and 2.20 syllables per word (Flesch–Kincaid grade 18.2)",
    );
}

#[test]
fn every_lint_is_found_once_at_its_line_in_the_json_format() {
    let check = site_with_every_lint().check(&["--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&check.stdout).expect("the output is a JSON array");
    let found: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let at = format!(
                "{}:{}:{}",
                f["file"].as_str().expect("a file"),
                f["line"],
                f["column"]
            );
            (
                f["level"].as_str().expect("a level").to_string(),
                f["code"].as_str().expect("a code").to_string(),
                at,
            )
        })
        .collect();
    assert_eq!(found, expected());
    assert_eq!(
        findings[0],
        serde_json::json!({
            "level": "warning",
            "code": "ambiguous-link-text",
            "file": "content/ambiguous-link-text.md",
            "line": 5,
            "column": 19,
            "message": "link text `here` does not say where it goes",
            "hint": "use words that make sense on their own: `[Read the anti-bullying guidance](...)`",
        })
    );
}

#[test]
fn strict_makes_warnings_errors_but_not_notes() {
    let check = site_with_every_lint().check(&["--strict"]);
    check.assert_failed();
    assert_eq!(
        check.last_stderr_line(),
        "Checked 14 documents: 11 errors, 0 warnings, 2 notes"
    );
    check.assert_reports("error[missing-alt]: image has no alt text");

    let notes_only = TestSite::new()
        .file(
            "content/_index.md",
            "---\ntitle: Home\nsummary: S.\nreview_by: 2026-12-01\n---\nText.\n",
        )
        .check(&["--strict"]);
    assert_eq!(notes_only.code, 0, "{}", notes_only.stderr);
}

#[test]
fn json_levels_follow_strict() {
    let check = TestSite::new().check(&["--strict", "--format", "json"]);
    check.assert_failed();
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON");
    assert_eq!(findings[0]["level"], "error");
    assert_eq!(findings[0]["code"], "missing-summary");
}

#[test]
fn a_document_can_allow_a_lint() {
    let check = TestSite::new()
        .file(
            "content/_index.md",
            "---\ntitle: Home\nsummary: S.\nlint: { allow: [ambiguous-link-text] }\n---\nSee [here](https://www.gov.uk/) and ![](x.png).\n",
        )
        .bytes("content/x.png", &crate::fixtures::png(2, 2))
        .check(&[]);
    assert_eq!(human_findings(&check.stderr).len(), 1, "{}", check.stderr);
    check.assert_reports("warning[missing-alt]");
    check.assert_not_reported("ambiguous-link-text");
}

#[test]
fn the_site_can_allow_a_lint_for_every_document() {
    let check = TestSite::new()
        .site_yaml(&format!("{SITE_YAML}lint:\n  allow: [missing-summary]\n"))
        .file("content/about.md", "---\ntitle: About\n---\nText.\n")
        .check(&["--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.last_stderr_line(),
        "Checked 2 documents: 0 errors, 0 warnings"
    );
}

#[test]
fn an_unknown_lint_in_front_matter_is_an_error_in_build_and_check() {
    let site = TestSite::new().file(
        "content/about.md",
        "---\ntitle: About\nsummary: S.\nlint:\n  allow:\n    - ambigous-link-text\n---\nText.\n",
    );
    let block = "\
error: there is no lint `ambigous-link-text` to allow
 --> content/about.md:6:1
  |
6 |     - ambigous-link-text
  | ^
  = hint: did you mean `ambiguous-link-text`?";
    site.check(&[]).assert_failed().assert_reports(block);
    site.build(&[]).assert_failed().assert_reports(block);
}

#[test]
fn an_unknown_key_under_lint_suggests_allow() {
    TestSite::new()
        .file(
            "content/about.md",
            "---\ntitle: About\nsummary: S.\nlint: { alow: [missing-alt] }\n---\n",
        )
        .check(&[])
        .assert_failed()
        .assert_reports("error: unknown field `alow` in `lint`")
        .assert_reports("= hint: did you mean `allow`?");
}

#[test]
fn an_unknown_lint_in_site_yaml_is_an_error() {
    TestSite::new()
        .site_yaml(&format!(
            "{SITE_YAML}lint:\n  allow: [missing-alt, no-such-lint]\n"
        ))
        .check(&[])
        .assert_failed()
        .assert_reports("error: there is no lint `no-such-lint` to allow\n  --> site.yaml:10:1");
}

#[test]
fn build_problems_are_reported_with_the_lints_and_nothing_is_written() {
    let site = TestSite::new().file(
        "content/about.md",
        "---\ntitle: About\nsummary: S.\n---\nSee [the policy](policy.md) and [here](https://www.gov.uk/).\n",
    );
    let check = site.check(&[]);
    check
        .assert_failed()
        .assert_reports("error: link to `content/policy.md`, which does not exist")
        .assert_reports("warning[ambiguous-link-text]");
    assert_eq!(
        check.last_stderr_line(),
        "Checked 2 documents: 1 error, 2 warnings"
    );
    assert!(!site.path("output").exists(), "check writes nothing");
}

#[test]
fn a_missing_site_yaml_is_a_usage_error_in_both_formats() {
    let site = TestSite::new().remove("site.yaml");
    assert_eq!(site.check(&[]).code, 2);
    let json = site.check(&["--format", "json"]);
    assert_eq!(json.code, 2);
    let findings: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(findings[0]["level"], "error");
    assert_eq!(findings[0]["code"], serde_json::Value::Null);
}

#[test]
fn a_bad_source_date_epoch_is_a_usage_error_in_json_too() {
    let site = TestSite::new();
    let root = site.root().to_string_lossy().into_owned();
    let output = site.path("output");
    let env = [("SOURCE_DATE_EPOCH", "yesterday")];
    let check = site.run_with_env(
        &["check", "--root", &root, "--format", "json"],
        &env,
        output,
    );
    assert_eq!(check.code, 2);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON");
    assert_eq!(
        findings[0]["message"],
        "SOURCE_DATE_EPOCH must be a number of seconds, not `yesterday`"
    );
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    assert_eq!(TestSite::new().check(&["--format", "xml"]).code, 2);
}

#[test]
fn the_example_site_passes_check_strict_with_no_findings() {
    let repository = env!("CARGO_MANIFEST_DIR");
    let site = TestSite::new();
    let check = site.run_with_env(
        &["check", "--strict", "--root", repository],
        &[fixtures::EXAMPLE_PASSCODE],
        site.path("output"),
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .last_stderr_line()
            .ends_with(" documents: 0 errors, 0 warnings"),
        "{}",
        check.stderr
    );
}

#[test]
fn check_reports_template_errors_as_a_build_would() {
    let site = TestSite::new()
        .minimal_templates()
        .file("templates/page.html", "<h1>{{ page.titel }}</h1>\n")
        .file(
            "content/about.md",
            "---\ntitle: About\nsummary: Who we are.\n---\n",
        );
    let check = site.check(&[]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    check.assert_reports(" --> templates/page.html:1:");
    assert!(!site.path("output").exists(), "check writes nothing");
}

/// The `error:` lines a command printed, each with the line that says where.
fn errors(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.starts_with("error: "))
        .map(|(i, line)| match lines.get(i + 1) {
            Some(next) if next.trim_start().starts_with("-->") => format!("{line}\n{next}"),
            _ => line.to_string(),
        })
        .collect()
}

#[test]
fn check_reports_every_error_a_build_reports() {
    // A static file at a page's path, and a broken link: one problem that
    // only the output's plan finds, one that the markdown finds.
    let site = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nsummary: Keeping children safe.\n---\nSee [the toolkit](../resources/none.md).\n",
        )
        .file("static/partners/nspcc/index.html", "<p>An old page.</p>\n");
    let build = site.build(&[]);
    build.assert_failed();
    build.assert_reports("error: link to `content/resources/none.md`, which does not exist");
    let check = site.check(&[]);
    check.assert_failed();
    assert_eq!(errors(&check.stderr), errors(&build.stderr));

    // With the link fixed, the clash is the one error, in both.
    let site = site.file(
        "content/partners/nspcc.md",
        "---\ntitle: NSPCC\nsummary: Keeping children safe.\n---\nSee [our partners](_index.md).\n",
    );
    let build = site.build(&[]);
    build
        .assert_failed()
        .assert_reports("error: two files would be written to `partners/nspcc/index.html`");
    let check = site.check(&[]);
    check
        .assert_failed()
        .assert_reports("error: two files would be written to `partners/nspcc/index.html`");
    assert_eq!(errors(&check.stderr), errors(&build.stderr));
}
