//! Markdown bodies: the extensions editors use, callouts, links written to
//! source files, broken links reported at their line, and raw HTML kept from
//! running script unless the site opts in.

use crate::fixtures::{self, TestSite};

/// Builds a site with one page `content/guide/page.md` holding `body` and
/// returns the page's HTML (the minimal `page.html` wraps it in a
/// `<div class="content">`).
fn render(body: &str) -> String {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guide/page.md",
            &format!("---\ntitle: Page\n---\n{body}"),
        )
        .build(&[]);
    build.assert_ok();
    content_of(&build.read("guide/page/index.html"))
}

/// The body part of a page written with the minimal templates.
fn content_of(page: &str) -> String {
    let start = page.find("<div class=\"content\">").expect("content div") + 21;
    let end = page.rfind("</div>").expect("content div end");
    page[start..end].to_string()
}

#[test]
fn tables_are_rendered_with_a_header_row_and_alignment() {
    let html = render("| Key stage | Age |\n|---|:-:|\n| KS1 | 5 to 7 |\n");
    assert!(
        html.contains("<table><thead><tr><th>Key stage</th><th style=\"text-align: center\">Age</th></tr></thead><tbody>\n<tr><td>KS1</td><td style=\"text-align: center\">5 to 7</td></tr>"),
        "{html}"
    );
}

#[test]
fn footnotes_link_to_their_note() {
    let html = render("Most children recover well.[^study]\n\n[^study]: A 2019 survey.\n");
    // Ids from the note's number, not its label (which may hold spaces).
    assert!(
        html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
        "{html}"
    );
    assert!(html.contains("A 2019 survey."), "{html}");
}

#[test]
fn strikethrough_becomes_del() {
    assert!(render("The ~~old~~ new policy.\n").contains("The <del>old</del> new policy."));
}

#[test]
fn task_lists_become_disabled_checkboxes() {
    let html = render("- [x] Name a lead\n- [ ] Train staff\n");
    assert!(
        html.contains(
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nName a lead</li>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<li><input disabled=\"\" type=\"checkbox\"/>\nTrain staff</li>"),
        "{html}"
    );
}

#[test]
fn punctuation_is_made_smart() {
    let html = render("\"Bounce back\" -- it's a skill --- and it grows...\n");
    assert!(
        html.contains("“Bounce back” – it’s a skill — and it grows…"),
        "{html}"
    );
}

#[test]
fn headings_get_stable_unique_ids() {
    let html = render(
        "## Why it matters\n\n## Why it matters\n\n### Children's voices & choices\n\n### Our plan {#plan}\n",
    );
    assert!(
        html.contains("<h2 id=\"why-it-matters\">Why it matters</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"why-it-matters-1\">Why it matters</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h3 id=\"childrens-voices-choices\">Children’s voices &amp; choices</h3>"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"plan\">Our plan</h3>"), "{html}");
}

#[test]
fn headings_are_listed_for_a_table_of_contents() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/page.html",
            "{% for h in page.toc %}{{ h.level }}:{{ h.id }}:{{ h.title }};{% endfor %}\n",
        )
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\n## First\n\n### Detail\n\n## First\n",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(
        build.read("page/index.html"),
        "2:first:First;3:detail:Detail;2:first-1:First;\n"
    );
}

#[test]
fn each_alert_kind_is_a_labelled_callout() {
    for (kind, class, label) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let html = render(&format!("> [!{kind}]\n> Check the policy.\n"));
        assert!(
            html.contains(&format!(
                "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n<p>Check the policy.</p>\n</div>"
            )),
            "[!{kind}] gave {html}"
        );
        assert!(!html.contains("[!"), "{html}");
    }
}

#[test]
fn a_plain_quote_stays_a_blockquote() {
    let html = render("> Resilience is ordinary magic.\n");
    assert!(
        html.contains("<blockquote>\n<p>Resilience is ordinary magic.</p>\n</blockquote>"),
        "{html}"
    );
}

/// A site whose pages link to each other in every supported way.
fn linking_site() -> TestSite {
    TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\n---\n## Contact\n",
        )
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file(
            "content/guide/policy.md",
            "---\ntitle: Policy\n---\n## Scope\n\nAll staff.\n",
        )
        .bytes("content/guide/policy template.docx", b"PK")
}

#[test]
fn links_to_source_files_become_urls() {
    let build = linking_site()
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\n\
             [relative](../partners/nspcc.md) \
             [rooted](@/partners/nspcc.md#contact) \
             [sibling](policy.md#scope) \
             [section](_index.md) \
             [folder](../guide/) \
             [file](policy%20template.docx) \
             [page url](/partners/nspcc/) \
             [here](#top-tips) \
             [web](https://www.nspcc.org.uk/) \
             [mail](mailto:help@council.example) \
             [phone](tel:08001111) \
             [home](@/_index.md)\n\n## Top tips\n",
        )
        .build(&[]);
    build.assert_ok();

    let html = build.read("guide/intro/index.html");
    for expected in [
        "<a href=\"/healthy-schools/partners/nspcc/\">relative</a>",
        "<a href=\"/healthy-schools/partners/nspcc/#contact\">rooted</a>",
        "<a href=\"/healthy-schools/guide/policy/#scope\">sibling</a>",
        "<a href=\"/healthy-schools/guide/\">section</a>",
        "<a href=\"/healthy-schools/guide/\">folder</a>",
        "<a href=\"/healthy-schools/guide/policy%20template.docx\">file</a>",
        "<a href=\"/healthy-schools/partners/nspcc/\">page url</a>",
        "<a href=\"#top-tips\">here</a>",
        "<a href=\"https://www.nspcc.org.uk/\">web</a>",
        "<a href=\"mailto:help@council.example\">mail</a>",
        "<a href=\"tel:08001111\">phone</a>",
        "<a href=\"/healthy-schools/\">home</a>",
    ] {
        assert!(html.contains(expected), "missing {expected} in\n{html}");
    }
}

#[test]
fn reference_style_links_and_images_are_resolved_too() {
    let build = linking_site()
        .bytes("content/guide/chart.png", &crate::fixtures::png(2, 2))
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\nSee [the NSPCC][n] and ![A chart](chart.png).\n\n[n]: ../partners/nspcc.md\n",
        )
        .build(&[]);
    build.assert_ok();
    let html = build.read("guide/intro/index.html");
    assert!(
        html.contains("<a href=\"/healthy-schools/partners/nspcc/\">the NSPCC</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/healthy-schools/guide/chart.2w.png\" srcset=\"/healthy-schools/guide/chart.2w.png 2w\" sizes=\"(min-width: 46rem) 44rem, calc(100vw - 2rem)\" width=\"2\" height=\"2\" alt=\"A chart\">"),
        "{html}"
    );
}

#[test]
fn a_link_to_a_missing_document_is_reported_at_its_line_and_column() {
    let build = linking_site()
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\nFirst paragraph.\n\nAsk the [NSPCC](../partners/nspc.md) for help.\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: link to `content/partners/nspc.md`, which does not exist
 --> content/guide/intro.md:6:9
  |
6 | Ask the [NSPCC](../partners/nspc.md) for help.
  |         ^
  = hint: did you mean `../partners/nspcc.md`? Paths are relative to this file's folder, or start with `@/` for content/
",
    );
}

#[test]
fn a_link_to_a_missing_heading_is_reported_with_the_nearest_heading() {
    let build = linking_site()
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\nRead the [scope](policy.md#scpoe).\n\nOr [jump](#summary).\n\n## Summery\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: link to `#scpoe`, but content/guide/policy.md has no heading with that id
 --> content/guide/intro.md:4:10
  |
4 | Read the [scope](policy.md#scpoe).
  |          ^
  = hint: its headings are: #scope
",
        )
        .assert_reports(
            "error: link to `#summary`, but content/guide/intro.md has no heading with that id
 --> content/guide/intro.md:6:4
  |
6 | Or [jump](#summary).
  |    ^
  = hint: did you mean `#summery`?
",
        );
}

#[test]
fn a_link_to_a_missing_file_or_page_address_is_reported() {
    let build = linking_site()
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\n![Chart](chart.png)\n\n[Old page](/old-page/)\n\n[Up](../../outside.md)\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: link to `content/guide/chart.png`, which does not exist\n --> content/guide/intro.md:4:1",
        )
        .assert_reports(
            "error: link to `/old-page/`, which is not a page of this site\n --> content/guide/intro.md:6:1",
        )
        .assert_reports(
            "error: link `../../outside.md` goes above the content folder\n --> content/guide/intro.md:8:1",
        );
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    let site = linking_site()
        .file(
            "content/guide/soon.md",
            "---\ntitle: Soon\ndraft: true\n---\n",
        )
        .file(
            "content/guide/intro.md",
            "---\ntitle: Intro\n---\nSee [what is coming](soon.md).\n",
        );
    site.build(&[]).assert_failed().assert_reports(
        "error: link to `guide/soon.md`, which is a draft
 --> content/guide/intro.md:4:5
  |
4 | See [what is coming](soon.md).
  |     ^
  = hint: publish it (remove `draft: true`), or build with --drafts to preview
",
    );
    let preview = site.build(&["--drafts"]);
    preview.assert_ok();
    assert!(
        preview
            .read("guide/intro/index.html")
            .contains("<a href=\"/healthy-schools/guide/soon/\">what is coming</a>")
    );
}

#[test]
fn raw_script_and_event_handlers_are_removed_by_default() {
    let html = render(
        "<script>alert('a')</script>\n\n\
         <img src=\"x.png\" onerror=\"alert('b')\" alt=\"x\">\n\n\
         <a href=\"javascript:alert('c')\">click</a>\n\n\
         <iframe src=\"https://evil.example/\"></iframe>\n\n\
         <p style=\"background:url(javascript:alert('d'))\" onclick=\"alert('e')\">styled</p>\n\n\
         Inline <span onmouseover=\"alert('f')\">text</span>.\n\n\
         <details><summary>More</summary>Hidden text</details>\n\n\
         <!-- note to self: ask Sam before publishing -->\n\n\
         > [!NOTE]\n> A callout beside raw HTML.\n",
    );
    for bad in [
        "ask Sam",
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "onmouseover",
        "alert(",
    ] {
        assert!(!html.contains(bad), "`{bad}` survived in\n{html}");
    }
    assert!(
        html.contains("<details><summary>More</summary>Hidden text</details>"),
        "{html}"
    );
    assert!(html.contains("styled"), "{html}");
    assert!(
        html.contains("<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>"),
        "callouts keep their markup: {html}"
    );
}

#[test]
fn a_javascript_link_in_markdown_is_an_error() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\n[Click](javascript:alert(1))\n\n[Data](data:text/html,hi)\n\n[Tab](<java\tscript:alert(1)>)\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: links with `javascript:` are not allowed
 --> content/page.md:4:1
  |
4 | [Click](javascript:alert(1))
  | ^
  = hint: link to a web page with https://, or to a file of the site
",
        )
        .assert_reports("error: links with `data:` are not allowed\n --> content/page.md:6:1");
    assert!(
        build.stderr.contains(" --> content/page.md:8:1"),
        "`java<tab>script:` is caught too:\n{}",
        build.stderr
    );
}

#[test]
fn allow_unsafe_html_in_site_yaml_lets_raw_html_through() {
    let build = TestSite::new()
        .site_yaml(&format!("{}allow_unsafe_html: true\n", fixtures::SITE_YAML))
        .minimal_templates()
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\n<script>console.log('analytics')</script>\n\n<button onclick=\"print()\">Print</button>\n",
        )
        .build(&[]);
    build.assert_ok();
    let html = build.read("page/index.html");
    assert!(
        html.contains("<script>console.log('analytics')</script>"),
        "{html}"
    );
    assert!(
        html.contains("<button onclick=\"print()\">Print</button>"),
        "{html}"
    );
}

#[test]
fn code_that_looks_like_html_is_shown_as_text() {
    let html =
        render("Write `<script>` tags in code.\n\n```html\n<script>alert(1)</script>\n```\n");
    assert!(html.contains("<code>&lt;script&gt;</code>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
}

#[test]

fn heading_attributes_cannot_add_event_handlers() {
    let html = render(
        "## Hello {onclick=alert(1)}\n\n## Styled {#styled .wide onmouseover=\"alert(2)\"}\n",
    );
    assert!(!html.contains("onclick"), "{html}");
    assert!(!html.contains("onmouseover"), "{html}");
    assert!(html.contains("<h2 id=\"hello\">Hello</h2>"), "{html}");
    assert!(
        html.contains("id=\"styled\""),
        "custom ids still work: {html}"
    );
}

#[test]

fn a_link_to_the_top_of_the_page_is_accepted() {
    let html = render("## Contents\n\n[Back to top](#)\n");
    assert!(html.contains("<a href=\"#\">Back to top</a>"), "{html}");
}

#[test]

fn an_email_autolink_becomes_a_mailto_link() {
    let html = render("Email <help@council.example> for advice.\n");
    assert!(
        html.contains("<a href=\"mailto:help@council.example\">help@council.example</a>"),
        "{html}"
    );
}

#[test]
fn a_web_autolink_is_kept() {
    let html = render("See <https://www.nspcc.org.uk/> for advice.\n");
    assert!(
        html.contains("<a href=\"https://www.nspcc.org.uk/\">https://www.nspcc.org.uk/</a>"),
        "{html}"
    );
}

#[test]

fn columns_count_characters_so_the_caret_sits_under_the_link() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/page.md",
            "---\ntitle: Page\n---\nCafé – “drop-in” [times](missing.md)\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: link to `content/missing.md`, which does not exist
 --> content/page.md:4:18
  |
4 | Café – “drop-in” [times](missing.md)
  |                  ^
",
    );
}
