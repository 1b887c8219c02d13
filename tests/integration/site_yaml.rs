//! `site.yaml`: the typed configuration, its checks and messages, and what
//! templates see of it.

use crate::fixtures::TestSite;

const BASE: &str = "title: Test site\nbase_url: https://council.example/healthy-schools/\n";

#[test]
fn unknown_key_suggests_the_nearest_known_key() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!("{BASE}topcis:\n  resilience: Resilience\n"))
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown site.yaml field `topcis`
 --> site.yaml:3:1
  |
3 | topcis:
  | ^
  = hint: did you mean `topics`?
",
    );
}

#[test]
fn missing_title_and_base_url_are_reported_together() {
    let site = TestSite::new()
        .minimal_templates()
        .site_yaml("description: A site with no name.\n");
    let build = site.build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: site.yaml needs a `title`
 --> site.yaml:1:1
  |
1 | description: A site with no name.
  | ^
  = hint: add a line such as `title: Healthy Schools Resilience Network`
",
        )
        .assert_reports(
            "error: site.yaml needs a `base_url`
 --> site.yaml:1:1
",
        )
        .assert_reports(
            "= hint: add the address the site will live at, e.g. `base_url: https://council.example/healthy-schools/`\n",
        );
    assert_eq!(
        build.last_stderr_line(),
        format!(
            "Build failed: 2 errors and 0 warnings; {} was left as it was.",
            site.path("output").display()
        )
    );
}

#[test]
fn base_url_must_be_a_full_address() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml("title: Test site\nbase_url: council.example/healthy-schools/\n")
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `base_url` must start with `https://` or `http://`, but it is `council.example/healthy-schools/`
 --> site.yaml:2:1
  |
2 | base_url: council.example/healthy-schools/
  | ^
  = hint: write the full address, e.g. `base_url: https://council.example/healthy-schools/`
",
    );
}

#[test]
fn base_url_without_a_trailing_slash_keeps_its_sub_path() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml("title: Test site\nbase_url: https://council.example/healthy-schools\n")
        .file("content/about.md", "---\ntitle: About\n---\n")
        .build(&[]);
    build.assert_ok();
    assert!(
        build
            .read("index.html")
            .contains("<a href=\"/healthy-schools/about/\">About</a>")
    );
    assert!(
        build
            .read("sitemap.xml")
            .contains("<loc>https://council.example/healthy-schools/about/</loc>")
    );
}

#[test]
fn a_theme_without_a_folder_is_reported() {
    let build = TestSite::new()
        .site_yaml(&format!("{BASE}theme: fancy\n"))
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: there is no theme folder `themes/fancy`
 --> site.yaml
  = hint: create the folder, or remove `theme:` from site.yaml to use the built-in default theme
",
    );
}

#[test]
fn a_theme_name_must_be_a_folder_name() {
    let build = TestSite::new()
        .site_yaml(&format!("{BASE}theme: ../../elsewhere\n"))
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `theme` must be a folder name under themes/, not `../../elsewhere`
 --> site.yaml:3:1
  |
3 | theme: ../../elsewhere
  | ^
  = hint: write just the theme's folder name, e.g. `theme: default`
",
    );
}

#[test]
fn a_topic_slug_must_be_a_url_segment() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!(
            "{BASE}topics:\n  resilience: Resilience\n  Online Safety: Online safety\n"
        ))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: topic slug `Online Safety` is not a safe URL segment\n --> site.yaml:",
        )
        .assert_reports(
            "= hint: use lower-case letters, digits and hyphens, e.g. `online-safety`\n",
        );
}

#[test]
fn a_yaml_syntax_error_points_at_its_line() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!("{BASE}description: Support: for schools\n"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: a value contains `: ` which YAML reads as a new field\n --> site.yaml:3:",
        )
        .assert_reports("3 | description: Support: for schools\n");
}

#[test]
fn a_value_of_the_wrong_type_is_explained() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!("{BASE}reading_age: nine\n"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: `reading_age` should be a whole number")
        .assert_reports(" --> site.yaml:3:14\n")
        .assert_reports("= hint: write a number such as `10`\n");
}

#[test]
fn site_yaml_that_is_not_a_map_is_explained() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml("- title\n- base_url\n")
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: site.yaml must be a list of `key: value` lines, but it is a list\n --> site.yaml:1:1",
    );
}

#[test]
fn an_unknown_key_in_a_help_contact_suggests_the_nearest() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!(
            "{BASE}help:\n  - name: Childline\n    telephone: 0800 1111\n"
        ))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("`telephone`")
        .assert_reports(" --> site.yaml:5:5\n")
        .assert_reports("= hint: did you mean `phone`?\n");
}

#[test]
fn configuration_reaches_the_templates() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/home.html",
            "{{ site.title }}|{{ site.description }}|{{ site.language }}|{{ site.base_url }}|{{ site.base_path }}|{{ site.feed_url }}|{{ site.feedback_url }}|{{ site.build_date }}|{% for h in site.help %}{{ h.name }}:{{ h.phone }}:{{ h.url }};{% endfor %}|{{ site.extra.phone }}|{% for t in site.topics %}{{ t.slug }}={{ t.title }};{% endfor %}\n",
        )
        // site.topics lists the topics in use, A–Z as every term list is
        .file("content/about.md", "---\ntitle: About\ntopics: [alpha, zeta]\n---\n")
        .site_yaml(
            "title: Healthy Schools Resilience Network
description: Support for schools.
base_url: https://council.example/healthy-schools/
language: cy
topics:
  zeta: Zeta topic
  alpha: Alpha topic
reading_age: 9
feedback_url: https://forms.example/feedback
help:
  - name: Childline
    phone: 0800 1111
    url: https://www.childline.org.uk/
extra:
  phone: 01234 567890
",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(
        build.read("index.html"),
        "Healthy Schools Resilience Network|Support for schools.|cy|https://council.example/healthy-schools/|/healthy-schools/|/healthy-schools/feed.xml|https://forms.example/feedback|2026-11-23|Childline:0800 1111:https://www.childline.org.uk/;|01234 567890|alpha=Alpha topic;zeta=Zeta topic;\n"
    );
    assert!(
        build
            .read("feed.xml")
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"cy\">")
    );
}

#[test]
fn language_defaults_to_british_english() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/home.html",
            "<html lang=\"{{ site.language }}\">\n",
        )
        .site_yaml(BASE)
        .build(&[]);
    build.assert_ok();
    assert_eq!(build.read("index.html"), "<html lang=\"en-GB\">\n");
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_accepted() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/home.html",
            "{{ site.title }}|{{ site.base_path }}\n",
        )
        .bytes(
            "site.yaml",
            b"\xef\xbb\xbftitle: Windows site\r\nbase_url: https://council.example/hs/\r\n",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(build.read("index.html"), "Windows site|/hs/\n");
}

#[test]
fn site_yaml_that_is_not_utf8_is_a_clear_error() {
    let build = TestSite::new()
        .minimal_templates()
        .bytes(
            "site.yaml",
            b"title: Caf\xe9 network\nbase_url: https://council.example/\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `site.yaml` is not UTF-8 text
 --> site.yaml
  = hint: save the file as UTF-8 in your editor
",
    );
}

#[test]
fn a_missing_site_yaml_says_where_bounce_looked() {
    let site = TestSite::new().minimal_templates().remove("site.yaml");
    let build = site.build(&[]);
    assert_ne!(build.code, 0);
    build.assert_reports(&format!(
        "error: there is no site in {}: it has no `site.yaml`
  = hint: run bounce in your site's folder or give it with `--root DIR`; to start a new site, run `bounce init my-site`
",
        site.root().display()
    ));
    assert!(!site.path("output").exists());
}

#[test]
fn allow_unsafe_html_must_be_true_or_false() {
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&format!("{BASE}allow_unsafe_html: perhaps\n"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: `allow_unsafe_html` should be true or false")
        .assert_reports(" --> site.yaml:3:")
        .assert_reports("= hint: write `true` or `false` without quotes\n");
}
