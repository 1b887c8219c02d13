//! What readers see of the default theme (issue 17, points 6 to 12): A–Z order,
//! the phone header and breadcrumbs, the home page's ways in, compact
//! listings, download buttons and event dates, favicon, footnotes, review
//! dates, the 404 page, and the branding keys of site.yaml.

use crate::fixtures::{BASE_PATH, SITE_YAML, TestSite, assert_in_order, inside};

fn partner(title: &str, areas: &str) -> String {
    format!("---\ntitle: {title}\nsummary: Works with schools.\nareas: [{areas}]\n---\nText.\n")
}

/// Partners whose titles a case-sensitive or accent-sensitive sort misorders.
fn directory_site() -> TestSite {
    TestSite::new()
        .file(
            "content/partners/_index.md",
            "---\ntitle: Partners\n---\nHow to use this directory.\n",
        )
        .file(
            "content/partners/fire.md",
            &partner("Cambridgeshire Fire and Rescue Service", "Cambridgeshire"),
        )
        .file(
            "content/partners/board.md",
            &partner(
                "Cambridgeshire and Peterborough Safeguarding Board",
                "Peterborough",
            ),
        )
        .file(
            "content/partners/edith.md",
            &partner("Édith Cavell Trust", "Norfolk"),
        )
        .file(
            "content/partners/eden.md",
            &partner("Eden Project", "Cornwall"),
        )
        .file(
            "content/partners/bounce.md",
            &partner("bounce forward", "National"),
        )
}

const A_TO_Z: [&str; 5] = [
    ">bounce forward</a>",
    ">Cambridgeshire and Peterborough Safeguarding Board</a>",
    ">Cambridgeshire Fire and Rescue Service</a>",
    ">Eden Project</a>",
    ">Édith Cavell Trust</a>",
];

// Point 6.
#[test]
fn a_to_z_ignores_case_and_accents_in_every_listing() {
    let build = directory_site()
        .file("content/guides/_index.md", "---\ntitle: Guides\n---\n")
        .file(
            "content/guides/a.md",
            "---\ntitle: Cambridgeshire Fire and Rescue Service\n---\n",
        )
        .file(
            "content/guides/b.md",
            "---\ntitle: Cambridgeshire and Peterborough Safeguarding Board\n---\n",
        )
        .file(
            "content/guides/c.md",
            "---\ntitle: Éclair\ntopics: [online-safety, mental-health, resilience]\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    let directory = build.read("partners/index.html");
    assert_in_order(
        inside(&directory, "id=\"a-z-heading\"", "</section>"),
        &A_TO_Z,
    );
    let letters = inside(&directory, "<nav class=\"a-z\"", "</nav>");
    assert_in_order(letters, &[">B</a>", ">C</a>", ">E</a>"]);
    assert!(
        !letters.contains(">É<") && !letters.contains(">b<"),
        "{letters}"
    );
    let section = build.read("guides/index.html");
    assert_in_order(
        &section,
        &[
            ">Cambridgeshire and Peterborough Safeguarding Board</a>",
            ">Cambridgeshire Fire and Rescue Service</a>",
            ">Éclair</a>",
        ],
    );
    // Term lists too: site.yaml declares resilience, online safety, mental health.
    let topics = build.read("topics/index.html");
    assert_in_order(
        &topics,
        &[
            ">Mental health</a>",
            ">Online safety</a>",
            ">Resilience</a>",
        ],
    );
}

// Point 7.
#[test]
fn phones_get_a_menu_button_that_needs_no_script() {
    let build = directory_site().build(&[]);
    build.assert_ok();
    let page = build.read("partners/fire/index.html");
    let header = inside(&page, "<header class=\"site-header\"", "</header>");
    let menu = inside(header, "<details class=\"menu\">", "</details>");
    assert_in_order(
        menu,
        &[
            "<summary>Menu</summary>",
            "name=\"q\"",
            "<nav aria-label=\"Main\">",
            &format!("href=\"{BASE_PATH}partners/\""),
        ],
    );
    assert!(
        !page.contains("<script"),
        "the menu must work without script:\n{page}"
    );
}

// Point 7.
#[test]
fn breadcrumb_separators_stay_at_the_end_of_the_crumb_before_them() {
    let build = directory_site().build(&[]);
    build.assert_ok();
    let page = build.read("partners/fire/index.html");
    let crumbs = inside(&page, "<nav class=\"breadcrumbs", "</nav>");
    // Glued by a no-break space to the link before it, never first on a line.
    assert_in_order(
        crumbs,
        &[
            &format!(
                "<li><a href=\"{BASE_PATH}\">Home</a><span class=\"crumb-sep\" aria-hidden=\"true\">&nbsp;›</span></li>"
            ),
            &format!(
                "<li><a href=\"{BASE_PATH}partners/\">Partners</a><span class=\"crumb-sep\" aria-hidden=\"true\">&nbsp;›</span></li>"
            ),
            "<span aria-current=\"page\">Cambridgeshire Fire and Rescue Service</span></li>",
        ],
    );
}

// Point 8.
#[test]
fn the_home_page_starts_with_its_ways_in_and_links_the_statement_from_the_footer() {
    let build = directory_site()
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\nA long welcome from the service.\n",
        )
        .file(
            "content/resources/_index.md",
            "---\ntitle: Resources\n---\n",
        )
        .file("content/events/_index.md", "---\ntitle: Events\n---\n")
        .file(
            "content/accessibility.md",
            "---\ntitle: Accessibility statement\nweight: 99\n---\nHow accessible this site is.\n",
        )
        .build(&[]);
    build.assert_ok();
    let home = build.read("index.html");
    let main = inside(&home, "<main", "</main>");
    assert_in_order(
        main,
        &[
            "Find support for your school",
            &format!("action=\"{BASE_PATH}search/\""),
            // The sections in their order: weight, then A–Z.
            &format!("href=\"{BASE_PATH}events/\""),
            &format!("href=\"{BASE_PATH}partners/\""),
            &format!("href=\"{BASE_PATH}resources/\""),
            "A long welcome from the service.",
        ],
    );
    assert!(!main.contains("accessibility/"), "{main}");
    let footer = inside(&home, "<footer class=\"site-footer\"", "</footer>");
    assert!(
        footer.contains(&format!(
            "<a href=\"{BASE_PATH}accessibility/\">Accessibility statement</a>"
        )),
        "{footer}"
    );
}

fn resource(title: &str, kind: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: One line about it.\nkind: {kind}\nurl: https://example.org/{kind}\n---\n"
    )
}

// Point 9.
#[test]
fn listings_that_would_not_fill_a_row_of_cards_are_compact_lists() {
    let build = TestSite::new()
        .file(
            "content/resources/_index.md",
            "---\ntitle: Resources\n---\nAbout the library.\n",
        )
        .file("content/resources/a.md", &resource("MindEd", "e-learning"))
        .file(
            "content/resources/b.md",
            &resource("Speak out Stay safe", "programme"),
        )
        .file("content/guides/_index.md", "---\ntitle: Guides\n---\n")
        .file(
            "content/guides/one.md",
            "---\ntitle: The only guide\nsummary: Its summary.\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    for path in ["resources/index.html", "guides/index.html"] {
        let main = build.read(path);
        let main = inside(&main, "<main", "</main>");
        assert!(
            !main.contains("class=\"cards\""),
            "{path} should not use cards:\n{main}"
        );
        assert!(main.contains("<ul class=\"doc-list\">"), "{path}:\n{main}");
    }
    let library = build.read("resources/index.html");
    assert_in_order(
        &library,
        &[
            ">MindEd</a></h3>",
            "<p class=\"doc-item-meta\">E-learning",
            "<p class=\"doc-item-summary\">One line about it.</p>",
            "About the library.",
        ],
    );
}

// Point 9.
#[test]
fn the_partners_directory_jumps_between_a_to_z_and_by_area_without_repeating_the_list() {
    let build = directory_site().build(&[]);
    build.assert_ok();
    let page = build.read("partners/index.html");
    let main = inside(&page, "<main", "</main>");
    assert_in_order(
        main,
        &[
            "<a href=\"#a-z-heading\">Partners A to Z</a>",
            "<a href=\"#areas-heading\">Partners by area</a>",
            "id=\"a-z-heading\"",
            "id=\"areas-heading\"",
            "How to use this directory.",
        ],
    );
    // By area, each area's partners are behind its name, closed.
    let areas = inside(main, "id=\"areas-heading\"", "</section>");
    assert_in_order(
        areas,
        &[
            "<details class=\"area\" id=\"area-cambridgeshire\">",
            "<summary>Cambridgeshire",
            ">Cambridgeshire Fire and Rescue Service</a>",
            "</details>",
        ],
    );
    assert!(
        !areas.contains("<details class=\"area\" id=\"area-cambridgeshire\" open"),
        "{areas}"
    );
    assert!(
        areas.contains("<a href=\"#a-z-heading\">Back to partners A to Z</a>"),
        "{areas}"
    );
}

// Point 10.
#[test]
fn a_file_resource_has_one_download_button_with_type_and_size() {
    let build = TestSite::new()
        .file(
            "content/resources/policy.md",
            "---\ntitle: Policy guidance\nkind: policy\nfile: resilience-policy-guidance.pdf\n---\nHow to write a policy.\n",
        )
        .bytes("content/resources/resilience-policy-guidance.pdf", &[b'%'; 1434])
        .build(&[]);
    build.assert_ok();
    let page = build.read("resources/policy/index.html");
    let file = format!("{BASE_PATH}resources/resilience-policy-guidance.pdf");
    assert!(
        page.contains(&format!(
            "<a class=\"button\" href=\"{file}\">Download Policy guidance (PDF, 1.4 KB)</a>"
        )),
        "{page}"
    );
    assert_eq!(
        page.matches(&format!("href=\"{file}\"")).count(),
        1,
        "{page}"
    );
    assert!(
        !page.contains(">resilience-policy-guidance.pdf<"),
        "the raw file name is no label:\n{page}"
    );
}

// Point 10.
#[test]
fn event_cards_show_the_date_range_time_and_place() {
    let build = TestSite::new()
        .file("content/events/_index.md", "---\ntitle: Events\n---\n")
        .file(
            "content/events/spring.md",
            "---\ntitle: Spring network meeting\nstarts: 2027-03-10T15:45\nends: 2027-03-10T17:30\nlocation: Example Community Hub, Peterborough\n---\n",
        )
        .file(
            "content/events/course.md",
            "---\ntitle: Two-day course\nstarts: 2027-04-01T09:30\nends: 2027-04-02T15:00\nlocation: Shire Hall\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    for path in ["events/index.html", "index.html"] {
        let page = build.read(path);
        assert_in_order(
            &page,
            &[
                ">Spring network meeting</a>",
                "Wednesday 10 March 2027, 3:45pm to 5:30pm",
                "Example Community Hub, Peterborough",
            ],
        );
        assert_in_order(
            &page,
            &[
                ">Two-day course</a>",
                "Thursday 1 April 2027, 9:30am to Friday 2 April 2027, 3pm",
                "Shire Hall",
            ],
        );
    }
}

// Point 11.
#[test]
fn a_favicon_is_shipped_linked_and_replaceable_by_the_site() {
    let build = TestSite::new().build(&[]);
    build.assert_ok();
    assert!(
        build.read_bytes("favicon.ico").starts_with(&[0, 0, 1, 0]),
        "an ICO file"
    );
    assert!(build.read("favicon.svg").starts_with("<svg"));
    for page in ["index.html", "404.html"] {
        let html = build.read(page);
        assert!(
            html.contains(&format!(
                "<link rel=\"icon\" href=\"{BASE_PATH}favicon.ico\" sizes=\"32x32\">"
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "<link rel=\"icon\" href=\"{BASE_PATH}favicon.svg\" type=\"image/svg+xml\">"
            )),
            "{html}"
        );
    }
    let own = TestSite::new()
        .bytes("static/favicon.ico", b"\0\0\x01\0own icon")
        .build(&[]);
    own.assert_ok();
    assert_eq!(own.read_bytes("favicon.ico"), b"\0\0\x01\0own icon");
}

// Point 11.
#[test]
fn footnotes_link_back_to_where_they_were_cited() {
    let build = TestSite::new()
        .file(
            "content/study.md",
            "---\ntitle: Study\n---\nMost children recover well.[^survey] Some need help.[^survey]\n\n[^survey]: A 2019 survey.\n",
        )
        .build(&[]);
    build.assert_ok();
    let page = build.read("study/index.html");
    assert_in_order(
        &page,
        &[
            "<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>",
            "<sup class=\"footnote-reference\" id=\"fnref-1-2\"><a href=\"#fn-1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"fn-1\">",
            "A 2019 survey.",
            "<a class=\"footnote-backref\" href=\"#fnref-1\">Back to text",
        ],
    );
}

// Point 11.
#[test]
fn short_pages_keep_the_footer_at_the_bottom_of_the_window() {
    let build = TestSite::new().build(&[]);
    build.assert_ok();
    let home = build.read("index.html");
    let css = crate::theme::asset_links(&home, ".css")[0]
        .strip_prefix(BASE_PATH)
        .expect("under the base path")
        .to_string();
    let css = build.read(&css);
    let body = inside(&css, "\nbody {", "}");
    assert!(
        body.contains("display: flex;")
            && body.contains("flex-direction: column;")
            && body.contains("min-height: 100vh;"),
        "{body}"
    );
    assert!(
        inside(&css, "\nmain {", "}").contains("flex: 1 0 auto;"),
        "main must take the room left"
    );
}

// Point 11.
#[test]
fn the_not_found_page_has_a_search_box() {
    let build = TestSite::new().build(&[]);
    build.assert_ok();
    let page = build.read("404.html");
    let main = inside(&page, "<main", "</main>");
    assert_in_order(
        main,
        &[
            &format!("<form class=\"search-form\" action=\"{BASE_PATH}search/\" method=\"get\">"),
            "<input id=\"not-found-search\" name=\"q\" type=\"search\"",
            "<button class=\"button\" type=\"submit\">Search</button>",
        ],
    );
}

// Point 11.
#[test]
fn review_dates_are_shown_before_the_review_is_due() {
    let build = TestSite::new()
        .file(
            "content/policy.md",
            "---\ntitle: Policy\nupdated: 2026-01-10\nreview_by: 2027-06-01\n---\nText.\n",
        )
        .build(&[]);
    build.assert_ok();
    let page = build.read("policy/index.html");
    let footer = inside(&page, "<footer class=\"doc-footer\">", "</footer>");
    assert_in_order(
        footer,
        &[
            "Page last reviewed: <time datetime=\"2026-01-10\">10 January 2026</time>",
            "Next review due: <time datetime=\"2027-06-01\">1 June 2027</time>",
        ],
    );
    assert!(!page.contains("was due for review"), "not due yet:\n{page}");
}

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>";

// Point 12.
#[test]
fn branding_in_site_yaml_reaches_every_page() {
    let yaml = format!(
        "{SITE_YAML}organisation:\n  name: Healthy Schools Support Service\n  address: Shire Hall, Cambridge\nlogo: static/council-logo.svg\nlogo_alt: Cambridgeshire County Council\nbrand_colour: \"#1D4F91\"\nfooter:\n  links:\n    - text: Privacy notice\n      url: https://council.example/privacy\n    - text: Contact us\n      url: contact/\n  licence: Open Government Licence v3.0\n  licence_url: https://www.nationalarchives.gov.uk/doc/open-government-licence/\n  copyright: © Cambridgeshire County Council\nnotice:\n  text: This site is new.\n  url: https://forms.example/new\n  link_text: Tell us what you think\n"
    );
    let build = TestSite::new()
        .site_yaml(&yaml)
        .file("static/council-logo.svg", LOGO)
        .file(
            "content/contact.md",
            "---\ntitle: Contact us\n---\nEmail us.\n",
        )
        .build(&[]);
    build.assert_ok();
    for path in ["index.html", "contact/index.html", "404.html"] {
        let page = build.read(path);
        assert!(
            page.contains(
                "<html lang=\"en-GB\" style=\"--brand: #1d4f91; --brand-text: #ffffff;\">"
            ),
            "{path}:\n{page}"
        );
        assert!(page.contains(&format!("<img class=\"site-logo\" src=\"{BASE_PATH}council-logo.svg\" alt=\"Cambridgeshire County Council\">")), "{path}");
        assert!(page.contains("<p class=\"wrap\">This site is new. <a href=\"https://forms.example/new\">Tell us what you think</a></p>"), "{path}");
        let footer = inside(&page, "<footer class=\"site-footer\"", "</footer>");
        assert_in_order(
            footer,
            &[
                "<a href=\"https://council.example/privacy\">Privacy notice</a>",
                &format!("<a href=\"{BASE_PATH}contact/\">Contact us</a>"),
                "<span class=\"footer-org-name\">Healthy Schools Support Service</span>",
                "Shire Hall, Cambridge",
                "<a href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/\">Open Government Licence v3.0</a>",
                "© Cambridgeshire County Council",
            ],
        );
    }
    assert_eq!(build.read("council-logo.svg"), LOGO);
}

// Point 12.
#[test]
fn a_light_brand_colour_gets_dark_text() {
    let build = TestSite::new()
        .site_yaml(&format!("{SITE_YAML}brand_colour: \"#ffdd00\"\n"))
        .build(&[]);
    build.assert_ok();
    assert!(
        build
            .read("index.html")
            .contains("--brand: #ffdd00; --brand-text: #1b1b1b;")
    );
}

// Point 12.
#[test]
fn a_brand_colour_too_low_in_contrast_for_any_text_fails_the_build_naming_the_key() {
    let build = TestSite::new()
        .site_yaml(&format!("{SITE_YAML}brand_colour: \"#808080\"\n"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: text on `brand_colour` `#808080` would fall below the 4.5:1 contrast of WCAG AA: white text has 3.94:1, dark text 4.36:1\n")
        .assert_reports(" --> site.yaml:9:1\n")
        .assert_reports("= hint: use a darker shade, such as `#767676` (4.54:1 with white text)\n");
}

// Point 12.
#[test]
fn branding_mistakes_are_reported_at_their_keys() {
    let build = TestSite::new()
        .site_yaml(&format!("{SITE_YAML}brand_colour: teal\nlogo_alt: Council logo\nfooter:\n  links:\n    - text: Privacy\n      url: javascript:alert(1)\n"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: `brand_colour` must be a colour written `#rrggbb`, not `teal`\n")
        .assert_reports("error: `logo_alt` is set but there is no `logo`\n")
        .assert_reports("error: `javascript:alert(1)` is not a web address or a path of the site\n")
        .assert_reports(" --> site.yaml:14:1\n");
    let missing = TestSite::new()
        .site_yaml(&format!(
            "{SITE_YAML}logo: static/logo.svg\nlogo_alt: Council\n"
        ))
        .build(&[]);
    missing
        .assert_failed()
        .assert_reports("error: there is no logo file `static/logo.svg`\n")
        .assert_reports(" --> site.yaml:9:1\n");
    let no_alt = TestSite::new()
        .site_yaml(&format!("{SITE_YAML}logo: static/logo.svg\n"))
        .file("static/logo.svg", LOGO)
        .build(&[]);
    no_alt.assert_failed().assert_reports(
        "error: the `logo` needs a `logo_alt`: the text a screen reader reads for it\n",
    );
}

/// A rule left open (a merge dropped a `}`) swallows every rule after it,
/// silently: the default theme's stylesheet closes every block it opens.
#[test]
fn the_default_stylesheet_closes_every_block_it_opens() {
    let css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/style.css"
    ))
    .expect("read the default stylesheet");
    let mut depth = 0i32;
    let mut in_comment = false;
    let bytes = css.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (in_comment, b) {
            (false, b'/') if bytes.get(i + 1) == Some(&b'*') => in_comment = true,
            (true, b'/') if i > 0 && bytes[i - 1] == b'*' => in_comment = false,
            (false, b'{') => depth += 1,
            (false, b'}') => {
                depth -= 1;
                // Rules sit at the top level or in one at-rule (@media).
                assert!(
                    (0..=1).contains(&depth),
                    "a `}}` without its `{{` at byte {i}"
                );
            }
            _ => {}
        }
        if !in_comment && b == b'{' {
            let line = css[..i].lines().count();
            assert!(depth <= 2, "a block opened inside a rule, line {line}");
        }
    }
    assert_eq!(depth, 0, "a block is left open");
}
