//! What `bounce build` writes: pretty URLs, links under a sub-path, listings,
//! taxonomy pages, 404, sitemap, robots.txt, feed, alias redirects, copied files,
//! drafts and the command-line options.

use crate::fixtures::{
    self, BASE_PATH, BASE_URL, TestSite, assert_in_order, attribute_values, snapshot,
};

#[test]
fn documents_are_written_at_pretty_urls() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/whole-school/_index.md",
            "---\ntitle: Whole school approach\n---\nEvery part of school life.\n",
        )
        .file(
            "content/whole-school/Policy Guidance.md",
            "---\ntitle: Writing a resilience policy\n---\nStart with the staff.\n",
        )
        .file(
            "content/what-is-resilience.md",
            "---\ntitle: What is resilience?\n---\nBouncing back from setbacks.\n",
        )
        .build(&[]);
    build.assert_ok();

    assert!(build.read("index.html").contains("Welcome to the network."));
    assert!(
        build
            .read("whole-school/index.html")
            .contains("<h1>Whole school approach</h1>")
    );
    let policy = build.read("whole-school/policy-guidance/index.html");
    assert!(
        policy.contains("<h1>Writing a resilience policy</h1>"),
        "{policy}"
    );
    assert!(policy.contains("Start with the staff."), "{policy}");
    assert!(
        build
            .read("what-is-resilience/index.html")
            .contains("Bouncing back from setbacks.")
    );
    assert!(!build.exists("what-is-resilience.html"));
}

#[test]
fn a_slug_replaces_the_file_name_in_the_url() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guidance/long-file-name-2019-final.md",
            "---\ntitle: Policy\nslug: policy\n---\nText.\n",
        )
        .build(&[]);
    build.assert_ok();
    assert!(
        build
            .read("guidance/policy/index.html")
            .contains("<h1>Policy</h1>")
    );
    assert!(!build.exists("guidance/long-file-name-2019-final"));
}

/// A site with one of everything that links somewhere.
fn linked_site() -> TestSite {
    let page = "<link rel=\"stylesheet\" href=\"{{ asset(path=\"style.css\") }}\"><link rel=\"alternate\" href=\"{{ site.feed_url }}\"><nav class=\"main\">{% for n in nav %}<a href=\"{{ n.url }}\">{{ n.title }}</a>{% endfor %}</nav><nav class=\"crumbs\">{% for a in ancestors %}<a href=\"{{ a.url }}\">{{ a.title }}</a>{% endfor %}</nav><a class=\"here\" href=\"{{ current_url }}\">here</a><a class=\"self\" href=\"{{ page.url }}\">self</a>{% for t in page.topics %}<a href=\"{{ t.url }}\">{{ t.title }}</a>{% endfor %}<h1>{{ page.title }}</h1>{{ page.content | safe }}\n";
    TestSite::new()
        .minimal_templates()
        .file("templates/page.html", page)
        .file("templates/event.html", page)
        .file("static/style.css", "body { font-family: sans-serif; }\n")
        .file(
            "content/whole-school/_index.md",
            "---\ntitle: Whole school approach\n---\nSee [the policy](policy.md).\n",
        )
        .file(
            "content/whole-school/policy.md",
            "---\ntitle: Resilience policy\ntopics: [resilience]\naliases: [/policy/]\n---\n\
             Ask [the NSPCC](../partners/nspcc.md) or browse [the library](@/resources/_index.md).\n\n\
             ![A diagram of the approach](diagram.png)\n\n\
             Download [the guide](guide.pdf), read [about resilience](/topics/resilience/)\n\
             or jump to [the scope](#scope).\n\n## Scope\n\nAll staff.\n",
        )
        .bytes("content/whole-school/diagram.png", &fixtures::png(2, 2))
        .bytes("content/whole-school/guide.pdf", b"%PDF-1.4 fake")
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nwebsite: https://www.nspcc.org.uk/\nlogo: logo.png\nlogo_alt: NSPCC logo\ntopics: [resilience]\n---\nA children's charity.\n",
        )
        .bytes("content/partners/logo.png", &fixtures::png(2, 2))
        .file(
            "content/resources/mental-health.md",
            "---\ntitle: Mental health and behaviour in schools\nkind: guidance\nurl: https://www.gov.uk/government/publications/mental-health-and-behaviour-in-schools--2\npartner: nspcc\n---\nDepartment for Education advice.\n",
        )
        .file(
            "content/events/training.md",
            "---\ntitle: Resilience training\nstarts: 2027-03-04T09:30\n---\nA morning for staff. Run by [the NSPCC](@/partners/nspcc.md).\n",
        )
}

/// External addresses the linked site uses on purpose.
const EXTERNAL: &[&str] = &[
    "https://www.nspcc.org.uk/",
    "https://www.gov.uk/government/publications/mental-health-and-behaviour-in-schools--2",
];

/// Every `href` and `src` of every HTML file of the output, with its file.
fn all_links(build: &fixtures::Build) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for (path, bytes) in snapshot(&build.output) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("HTML is UTF-8");
        for attribute in ["href", "src"] {
            for value in attribute_values(&html, attribute) {
                links.push((path.clone(), value.to_string()));
            }
        }
    }
    links
}

#[test]
fn every_link_and_asset_is_under_the_base_path_of_a_sub_path_site() {
    let build = linked_site().build(&[]);
    build.assert_ok();

    let links = all_links(&build);
    assert!(links.len() > 20, "too few links found: {links:?}");
    for (file, href) in &links {
        let ok = href.starts_with(BASE_PATH)
            || href.starts_with('#')
            || href.starts_with(BASE_URL)
            || EXTERNAL.contains(&href.as_str());
        assert!(ok, "{file}: `{href}` is not under {BASE_PATH}");
    }

    let policy = build.read("whole-school/policy/index.html");
    for expected in [
        "href=\"/healthy-schools/style.css\"",
        "href=\"/healthy-schools/feed.xml\"",
        "href=\"/healthy-schools/whole-school/\"",
        "href=\"/healthy-schools/partners/nspcc/\"",
        "href=\"/healthy-schools/resources/\"",
        "src=\"/healthy-schools/whole-school/diagram.2w.png\"",
        "href=\"/healthy-schools/whole-school/guide.pdf\"",
        "href=\"/healthy-schools/topics/resilience/\"",
        "href=\"#scope\"",
        "<a class=\"here\" href=\"/healthy-schools/whole-school/policy/\">",
    ] {
        assert!(policy.contains(expected), "missing {expected} in\n{policy}");
    }
    let redirect = build.read("policy/index.html");
    assert!(
        redirect.contains("url=/healthy-schools/whole-school/policy/"),
        "{redirect}"
    );
}

#[test]
fn every_internal_link_points_at_a_written_file() {
    let build = linked_site().build(&[]);
    build.assert_ok();

    for (file, href) in all_links(&build) {
        let Some(path) = href.strip_prefix(BASE_PATH) else {
            continue;
        };
        let path = path.split('#').next().unwrap_or_default();
        let target = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        assert!(
            build.exists(&target),
            "{file} links to `{href}`, but the output has no {target}"
        );
    }
}

#[test]
fn a_base_url_at_the_domain_root_gives_root_relative_links() {
    let build = linked_site()
        .site_yaml("title: Root site\nbase_url: https://schools.example\ntopics:\n  resilience: Resilience\n")
        .build(&[]);
    build.assert_ok();

    let policy = build.read("whole-school/policy/index.html");
    assert!(policy.contains("href=\"/partners/nspcc/\""), "{policy}");
    assert!(policy.contains("href=\"/style.css\""), "{policy}");
    for (file, href) in all_links(&build) {
        assert!(
            !href.contains("healthy-schools"),
            "{file}: `{href}` still has the old sub-path"
        );
    }
    assert!(
        build
            .read("sitemap.xml")
            .contains("<loc>https://schools.example/partners/nspcc/</loc>")
    );
}

#[test]
fn nav_lists_top_level_sections_and_marks_the_current_one() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/page.html",
            "<nav>{% for n in nav %}<a href=\"{{ n.url }}\"{% if n.current %} aria-current=\"true\"{% endif %}>{{ n.title }}</a>{% endfor %}</nav>\n",
        )
        .file("content/guide/_index.md", "---\ntitle: Guide\nweight: 1\n---\n")
        .file("content/guide/one.md", "---\ntitle: One\n---\n")
        // a top-level page is in the navigation when it has a weight
        .file("content/about.md", "---\ntitle: About us\nweight: 2\n---\n")
        .build(&[]);
    build.assert_ok();

    let one = build.read("guide/one/index.html");
    assert!(
        one.contains("<a href=\"/healthy-schools/guide/\" aria-current=\"true\">Guide</a>"),
        "{one}"
    );
    assert!(
        one.contains("<a href=\"/healthy-schools/about/\">About us</a>"),
        "{one}"
    );
    assert_in_order(&one, &[">Guide<", ">About us<"]);
}

#[test]
fn sections_list_pages_by_weight_then_title_and_their_subsections() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guide/_index.md",
            "---\ntitle: Guide\n---\nAll the guidance.\n",
        )
        .file(
            "content/guide/zebra.md",
            "---\ntitle: Zebra crossings\nweight: 1\n---\n",
        )
        .file(
            "content/guide/apples.md",
            "---\ntitle: apples and pears\n---\n",
        )
        .file("content/guide/bananas.md", "---\ntitle: Bananas\n---\n")
        .file(
            "content/guide/sub/_index.md",
            "---\ntitle: Sub section\n---\n",
        )
        .file(
            "content/guide/sub/deep.md",
            "---\ntitle: Deep page\n---\nDeep text.\n",
        )
        .build(&[]);
    build.assert_ok();

    let guide = build.read("guide/index.html");
    assert!(guide.contains("All the guidance."), "{guide}");
    assert_in_order(
        &guide,
        &[
            "<ul class=\"pages\">",
            "<a href=\"/healthy-schools/guide/zebra/\">Zebra crossings</a>",
            "<a href=\"/healthy-schools/guide/apples/\">apples and pears</a>",
            "<a href=\"/healthy-schools/guide/bananas/\">Bananas</a>",
            "<ul class=\"subsections\">",
            "<a href=\"/healthy-schools/guide/sub/\">Sub section</a>",
        ],
    );
    assert!(
        !guide.contains("Deep page"),
        "only direct children: {guide}"
    );

    let deep = build.read("guide/sub/deep/index.html");
    assert!(
        deep.contains("<nav class=\"crumbs\"><a href=\"/healthy-schools/\">Home</a> / <a href=\"/healthy-schools/guide/\">Guide</a> / <a href=\"/healthy-schools/guide/sub/\">Sub section</a> / </nav>"),
        "{deep}"
    );
}

#[test]
fn partners_landing_page_lists_every_partner_a_to_z() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/youth.md",
            "---\ntitle: Youth Access\n---\n",
        )
        .file(
            "content/partners/afc.md",
            "---\ntitle: action for children\n---\n",
        )
        .file("content/partners/nspcc.md", "---\ntitle: NSPCC\n---\n")
        .build(&[]);
    build.assert_ok();

    let partners = build.read("partners/index.html");
    assert!(partners.contains("<h1>Partners</h1>"), "{partners}");
    assert_in_order(
        &partners,
        &[
            "<a href=\"/healthy-schools/partners/afc/\">action for children</a>",
            "<a href=\"/healthy-schools/partners/nspcc/\">NSPCC</a>",
            "<a href=\"/healthy-schools/partners/youth/\">Youth Access</a>",
        ],
    );
}

#[test]
fn resources_library_lists_resources_with_their_kind() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/_index.md",
            "---\ntitle: Resource library\n---\nGuidance, lessons and training.\n",
        )
        .file(
            "content/resources/rise-above.md",
            "---\ntitle: Rise Above\nkind: lesson-plan\nurl: https://campaignresources.phe.gov.uk/schools\n---\n",
        )
        .file(
            "content/resources/minded.md",
            "---\ntitle: MindEd\nkind: e-learning\nurl: https://www.minded.org.uk/\n---\n",
        )
        .build(&[]);
    build.assert_ok();

    let library = build.read("resources/index.html");
    assert!(library.contains("<h1>Resource library</h1>"), "{library}");
    assert_in_order(
        &library,
        &[
            "<li>MindEd (E-learning)</li>",
            "<li>Rise Above (Lesson plan)</li>",
        ],
    );
    assert!(
        build
            .read("resources/minded/index.html")
            .contains("<p class=\"kind\">E-learning</p>")
    );
}

#[test]
fn resource_summaries_link_to_the_resource_page_on_this_site() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/minded.md",
            "---\ntitle: MindEd\nkind: e-learning\nurl: https://www.minded.org.uk/\ntopics: [mental-health]\n---\nFree e-learning.\n",
        )
        .build(&[]);
    build.assert_ok();

    // themes/README.md: a document's `url` is its page; a resource's own
    // address is `resource_url`.
    let term = build.read("topics/mental-health/index.html");
    assert!(
        term.contains("<a href=\"/healthy-schools/resources/minded/\">MindEd</a>"),
        "{term}"
    );
}

#[test]
fn events_are_upcoming_or_past_by_the_build_date() {
    // The build date is 2026-11-23 (SOURCE_DATE_EPOCH).
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/events/autumn-2019.md",
            "---\ntitle: Autumn resilience training\nstarts: 2019-10-10T09:30\nends: 2019-10-10T15:30\n---\n",
        )
        .file("content/events/summer.md", "---\ntitle: Summer briefing\nstarts: 2026-06-01\n---\n")
        .file("content/events/yesterday.md", "---\ntitle: Yesterday talk\nstarts: 2026-11-22T18:00\n---\n")
        .file("content/events/today.md", "---\ntitle: Today workshop\nstarts: 2026-11-23T15:00\n---\n")
        .file(
            "content/events/course.md",
            "---\ntitle: Week-long course\nstarts: 2026-11-16\nends: 2026-11-27\n---\n",
        )
        .file("content/events/spring.md", "---\ntitle: Spring conference\nstarts: 2027-03-04T09:30\n---\n")
        .build(&[]);
    build.assert_ok();

    let events = build.read("events/index.html");
    assert!(
        events.contains("<ul class=\"upcoming\"><li>Week-long course</li><li>Today workshop</li><li>Spring conference</li></ul>"),
        "{events}"
    );
    assert!(
        events.contains("<ul class=\"past\"><li>Yesterday talk</li><li>Summer briefing</li><li>Autumn resilience training</li></ul>"),
        "{events}"
    );
    let today = build.read("events/today/index.html");
    assert!(
        today.contains("<p class=\"starts\">2026-11-23T15:00</p>"),
        "{today}"
    );
    assert!(today.contains("<p class=\"when\">upcoming</p>"), "{today}");
    assert!(
        build
            .read("events/autumn-2019/index.html")
            .contains("<p class=\"when\">past</p>")
    );
}

#[test]
fn each_taxonomy_term_has_a_page_listing_its_documents_newest_first() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/older.md",
            "---\ntitle: Older page\ndate: 2024-01-01\ntopics: [resilience]\naudiences: [parents]\nkey_stages: [KS2]\n---\n",
        )
        .file(
            "content/newer.md",
            "---\ntitle: Newer page\ndate: 2025-01-01\ntopics: [resilience, mental-health]\n---\n",
        )
        .build(&[]);
    build.assert_ok();

    let resilience = build.read("topics/resilience/index.html");
    assert!(resilience.contains("<h1>Resilience</h1>"), "{resilience}");
    assert_in_order(
        &resilience,
        &[
            "<a href=\"/healthy-schools/newer/\">Newer page</a>",
            "<a href=\"/healthy-schools/older/\">Older page</a>",
        ],
    );
    let mental_health = build.read("topics/mental-health/index.html");
    assert!(mental_health.contains("Newer page") && !mental_health.contains("Older page"));
    assert!(
        build
            .read("audiences/parents/index.html")
            .contains("<a href=\"/healthy-schools/older/\">Older page</a>")
    );
    assert!(
        build
            .read("key-stages/ks2/index.html")
            .contains("<a href=\"/healthy-schools/older/\">Older page</a>")
    );

    let topics = build.read("topics/index.html");
    assert!(
        topics.contains(
            "<li><a href=\"/healthy-schools/topics/resilience/\">Resilience</a> (2)</li>"
        ),
        "{topics}"
    );
    assert!(
        topics.contains(
            "<li><a href=\"/healthy-schools/topics/mental-health/\">Mental health</a> (1)</li>"
        ),
        "{topics}"
    );
    assert!(
        !topics.contains("Online safety"),
        "unused topics are not listed: {topics}"
    );
    assert!(!build.exists("topics/online-safety/index.html"));
}

#[test]
fn not_found_page_is_written_at_the_top_of_the_output() {
    let build = TestSite::new().minimal_templates().build(&[]);
    build.assert_ok();
    let not_found = build.read("404.html");
    assert!(not_found.contains("<h1>Page not found</h1>"), "{not_found}");
    assert!(
        not_found.contains("<a href=\"/healthy-schools/\">Healthy Schools Test Network</a>"),
        "{not_found}"
    );
}

#[test]
fn sitemap_has_absolute_urls_and_lastmod_from_updated_or_date() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\ndate: 2023-01-01\nupdated: 2024-05-01\ntopics: [resilience]\n---\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\ndate: 2022-03-04\n---\n",
        )
        .file(
            "content/events/talk.md",
            "---\ntitle: Talk\nstarts: 2027-01-01T10:00\nupdated: 2026-10-01T08:15\n---\n",
        )
        .file(
            "content/secret.md",
            "---\ntitle: Secret\ndraft: true\n---\n",
        )
        .build(&[]);
    build.assert_ok();

    let sitemap = build.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{sitemap}");
    for expected in [
        "<url>\n    <loc>https://council.example/healthy-schools/partners/nspcc/</loc>\n    <lastmod>2024-05-01</lastmod>\n  </url>",
        "<url>\n    <loc>https://council.example/healthy-schools/about/</loc>\n    <lastmod>2022-03-04</lastmod>\n  </url>",
        "<url>\n    <loc>https://council.example/healthy-schools/events/talk/</loc>\n    <lastmod>2026-10-01</lastmod>\n  </url>",
        "<url>\n    <loc>https://council.example/healthy-schools/</loc>\n  </url>",
        "<loc>https://council.example/healthy-schools/topics/resilience/</loc>",
    ] {
        assert!(
            sitemap.contains(expected),
            "missing\n{expected}\nin\n{sitemap}"
        );
    }
    for line in sitemap.lines().filter(|l| l.contains("<loc>")) {
        assert!(
            line.contains(&format!("<loc>{BASE_URL}")),
            "not absolute: {line}"
        );
    }
    assert!(!sitemap.contains("secret"), "drafts stay out: {sitemap}");
    assert!(!sitemap.contains("404"), "{sitemap}");
}

#[test]
fn robots_txt_points_at_the_absolute_sitemap() {
    let build = TestSite::new().minimal_templates().build(&[]);
    build.assert_ok();
    let robots = build.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://council.example/healthy-schools/sitemap.xml"),
        "{robots}"
    );
    assert!(robots.contains("User-agent: *"), "{robots}");
}

#[test]
fn feed_lists_dated_documents_newest_first_with_absolute_links() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/sun.md",
            "---\ntitle: Sun & safety\nsummary: Hats <and> shade.\ndate: 2025-06-01\n---\n",
        )
        .file(
            "content/old.md",
            "---\ntitle: Old news\ndate: 2019-10-10\n---\n",
        )
        .file(
            "content/revised.md",
            "---\ntitle: Revised guidance\ndate: 2018-01-01\nupdated: 2026-02-03\n---\n",
        )
        .file("content/undated.md", "---\ntitle: Undated page\n---\n")
        .file(
            "content/draft.md",
            "---\ntitle: Draft page\ndate: 2026-11-01\ndraft: true\n---\n",
        )
        .build(&[]);
    build.assert_ok();

    let feed = build.read("feed.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    assert!(
        feed.contains("<title>Healthy Schools Test Network</title>"),
        "{feed}"
    );
    assert!(
        feed.contains(
            "<link href=\"https://council.example/healthy-schools/feed.xml\" rel=\"self\""
        ),
        "{feed}"
    );
    assert_in_order(
        &feed,
        &[
            "<title>Revised guidance</title>\n    <link href=\"https://council.example/healthy-schools/revised/\"/>",
            "<updated>2026-02-03T00:00:00Z</updated>",
            "<title>Sun &amp; safety</title>\n    <link href=\"https://council.example/healthy-schools/sun/\"/>",
            "<summary>Hats &lt;and&gt; shade.</summary>",
            "<title>Old news</title>",
        ],
    );
    assert!(!feed.contains("Undated page"), "{feed}");
    assert!(!feed.contains("Draft page"), "{feed}");
}

#[test]
fn aliases_write_redirect_pages_to_the_new_address() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/what-is-resilience.md",
            "---\ntitle: What is resilience?\naliases: [/resilience/, /old/what-is-resilience.html]\n---\nBouncing back.\n",
        )
        .build(&[]);
    build.assert_ok();

    for path in ["resilience/index.html", "old/what-is-resilience.html"] {
        let redirect = build.read(path);
        assert!(
            redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/healthy-schools/what-is-resilience/\">"),
            "{path}: {redirect}"
        );
        assert!(
            redirect.contains("<link rel=\"canonical\" href=\"https://council.example/healthy-schools/what-is-resilience/\">"),
            "{path}: {redirect}"
        );
        assert!(
            redirect.contains(
                "<a href=\"/healthy-schools/what-is-resilience/\">What is resilience?</a>"
            ),
            "{path}: {redirect}"
        );
    }
}

#[test]
fn files_beside_documents_are_copied_next_to_their_output() {
    let pdf: &[u8] = b"%PDF-1.4\n\xff\xfe binary \x00 bytes";
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guide/intro.md",
            "---\ntitle: Introduction\n---\n![A diagram](images/diagram.png)\n\n[The leaflet](leaflet.docx)\n",
        )
        .bytes("content/guide/images/diagram.png", &fixtures::png(2, 2))
        .bytes("content/guide/leaflet.docx", b"PK\x03\x04")
        .file(
            "content/resources/policy.md",
            "---\ntitle: Resilience policy template\nkind: policy\nfile: resilience-policy.pdf\n---\n",
        )
        .bytes("content/resources/resilience-policy.pdf", pdf)
        .build(&[]);
    build.assert_ok();

    assert_eq!(build.read_bytes("resources/resilience-policy.pdf"), pdf);
    // Published cleaned of metadata: the same picture, re-encoded.
    let diagram = image::load_from_memory(&build.read_bytes("guide/images/diagram.png"));
    assert_eq!(diagram.map(|d| (d.width(), d.height())).ok(), Some((2, 2)));
    assert_eq!(build.read_bytes("guide/leaflet.docx"), b"PK\x03\x04");
    let intro = build.read("guide/intro/index.html");
    assert!(
        intro.contains("src=\"/healthy-schools/guide/images/diagram.2w.png\""),
        "{intro}"
    );
    assert!(
        intro.contains("href=\"/healthy-schools/guide/leaflet.docx\""),
        "{intro}"
    );
    let resource = build.read("resources/policy/index.html");
    assert!(
        resource.contains("<a class=\"file\" href=\"/healthy-schools/resources/resilience-policy.pdf\">resilience-policy.pdf</a>"),
        "{resource}"
    );
}

#[test]
fn drafts_are_left_out_unless_built_with_drafts() {
    let site = TestSite::new()
        .minimal_templates()
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file("content/guide/published.md", "---\ntitle: Published page\ndate: 2026-01-01\n---\n")
        .file(
            "content/guide/unfinished.md",
            "---\ntitle: Unfinished page\ndate: 2026-02-01\ndraft: true\ntopics: [online-safety]\n---\nNot ready.\n",
        );

    let build = site.build(&[]);
    build.assert_ok();
    assert!(!build.exists("guide/unfinished/index.html"));
    assert!(!build.read("guide/index.html").contains("Unfinished page"));
    assert!(!build.read("sitemap.xml").contains("unfinished"));
    assert!(!build.read("feed.xml").contains("Unfinished page"));
    assert!(!build.exists("topics/online-safety/index.html"));

    let preview = site.build(&["--drafts"]);
    preview.assert_ok();
    assert!(
        preview
            .read("guide/unfinished/index.html")
            .contains("Not ready.")
    );
    assert!(preview.read("guide/index.html").contains("Unfinished page"));
    assert!(preview.exists("topics/online-safety/index.html"));
}

#[test]
fn output_option_writes_the_site_where_asked() {
    let site = TestSite::new().minimal_templates();
    let public = site.outer().join("public");
    let public_arg = public.to_string_lossy().into_owned();
    let build = site.build(&["--output", &public_arg]);
    build.assert_ok();

    assert!(public.join("index.html").is_file());
    assert!(build.read("index.html").contains("Welcome to the network."));
    assert!(!site.path("output").exists(), "nothing in <root>/output");
    assert!(
        build.stdout.contains(&format!("into {}", public.display())),
        "{}",
        build.stdout
    );
}

#[test]
fn base_url_option_overrides_site_yaml() {
    let build = linked_site().build(&["--base-url", "https://preview.example/test"]);
    build.assert_ok();

    let policy = build.read("whole-school/policy/index.html");
    assert!(
        policy.contains("href=\"/test/partners/nspcc/\""),
        "{policy}"
    );
    assert!(policy.contains("href=\"/test/style.css\""), "{policy}");
    assert!(!policy.contains("/healthy-schools/"), "{policy}");
    assert!(
        build
            .read("sitemap.xml")
            .contains("<loc>https://preview.example/test/whole-school/policy/</loc>")
    );
    assert!(
        build
            .read("robots.txt")
            .contains("Sitemap: https://preview.example/test/sitemap.xml")
    );
}

#[test]
fn summary_line_counts_the_pages_and_files_written() {
    let site = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ntopics: [resilience]\n---\n",
        )
        .bytes("content/leaflet.pdf", b"%PDF");
    let build = site.build(&[]);
    build.assert_ok();

    let files = build.files();
    let written: Vec<&String> = files.iter().filter(|f| !f.starts_with('.')).collect();
    let pages = written.iter().filter(|f| f.ends_with(".html")).count();
    let expected_start = format!(
        "Built {pages} pages ({} files) into {} in ",
        written.len(),
        site.path("output").display()
    );
    let line = build.stdout.trim_end();
    assert_eq!(build.stdout.lines().count(), 1, "{}", build.stdout);
    assert!(
        line.starts_with(&expected_start),
        "{line}\nexpected: {expected_start}"
    );
    let millis = line[expected_start.len()..]
        .strip_suffix(" ms")
        .unwrap_or_else(|| panic!("ends in ms: {line}"));
    assert!(millis.parse::<u64>().is_ok(), "{line}");
}

#[test]
fn default_theme_renders_title_body_and_stylesheet_under_the_base_path() {
    let build = TestSite::new()
        .file(
            "content/what-is-resilience.md",
            "---\ntitle: What is resilience?\n---\nResilience is the ability to bounce back.\n",
        )
        .build(&[]);
    build.assert_ok();

    let page = build.read("what-is-resilience/index.html");
    assert!(page.contains("What is resilience?"), "{page}");
    assert!(
        page.contains("Resilience is the ability to bounce back."),
        "{page}"
    );
    let stylesheet = page
        .split('<')
        .find(|tag| tag.starts_with("link") && tag.contains("stylesheet"))
        .unwrap_or_else(|| panic!("no stylesheet link in\n{page}"));
    let href = attribute_values(&format!("<{stylesheet}"), "href")
        .first()
        .map(|h| h.to_string())
        .expect("the stylesheet link has an href");
    let file = href
        .strip_prefix(BASE_PATH)
        .unwrap_or_else(|| panic!("stylesheet `{href}` is not under {BASE_PATH}"));
    assert!(build.exists(file), "the stylesheet {file} is written");
}

#[test]
fn site_templates_replace_single_templates_of_the_default_theme() {
    let build = TestSite::new()
        .file(
            "templates/page.html",
            "<h1 class=\"mine\">{{ page.title }}</h1>{{ page.content | safe }}\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About us\n---\nWho we are.\n",
        )
        .build(&[]);
    build.assert_ok();

    assert_eq!(
        build.read("about/index.html"),
        "<h1 class=\"mine\">About us</h1><p>Who we are.</p>\n\n"
    );
    let home = build.read("index.html");
    assert!(home.contains("Welcome to the network."), "{home}");
    assert!(
        !home.contains("class=\"mine\""),
        "home uses the theme: {home}"
    );
}

#[test]
fn a_theme_folder_of_the_site_is_used_with_inheritance_and_static_files() {
    let build = TestSite::new()
        .site_yaml("title: Plain site\nbase_url: https://council.example/healthy-schools/\ntheme: plain\n")
        .minimal_templates_in("themes/plain/templates")
        .file(
            "themes/plain/templates/base.html",
            "<html><link rel=\"stylesheet\" href=\"{{ asset(path=\"css/plain.css\") }}\"><body>{% block main %}{% endblock main %}</body></html>\n",
        )
        .file(
            "themes/plain/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% include \"partials/foot.html\" %}{% endblock main %}",
        )
        .file("themes/plain/templates/partials/foot.html", "<footer>{{ site.title }}</footer>")
        .file("themes/plain/static/css/plain.css", "body { margin: 0; }\n")
        .file("content/about.md", "---\ntitle: About\n---\n")
        .build(&[]);
    build.assert_ok();

    assert_eq!(
        build.read("about/index.html"),
        "<html><link rel=\"stylesheet\" href=\"/healthy-schools/css/plain.e0accce0.css\"><body><h1>About</h1><footer>Plain site</footer></body></html>\n"
    );
    // The theme's CSS is written under a name with its content's hash only.
    assert_eq!(
        build.read("css/plain.e0accce0.css"),
        "body { margin: 0; }\n"
    );
    assert!(!build.exists("css/plain.css"));
    assert!(
        !build.exists("style.css"),
        "the built-in theme's files are not mixed in"
    );
}

#[test]
fn site_static_files_replace_the_themes() {
    let build = TestSite::new()
        .minimal_templates()
        .file("static/style.css", "/* the council's own styles */\n")
        .file("static/images/crest.svg", "<svg/>")
        .build(&[]);
    build.assert_ok();
    assert_eq!(build.read("style.css"), "/* the council's own styles */\n");
    assert_eq!(build.read("images/crest.svg"), "<svg/>");
}

#[test]
fn template_field_picks_another_template() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/wide.html",
            "<div class=\"wide\">{{ page.title }}</div>\n",
        )
        .file(
            "content/map.md",
            "---\ntitle: Map of services\ntemplate: wide.html\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(
        build.read("map/index.html"),
        "<div class=\"wide\">Map of services</div>\n"
    );
}

#[test]
fn front_matter_values_are_html_escaped_in_templates() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/page.html",
            "<h1>{{ page.title }}</h1><p class=\"summary\">{{ page.summary }}</p><p>{{ page.extra.note }}</p>\n",
        )
        .file(
            "content/x.md",
            "---\ntitle: \"Safety <script>alert(1)</script> & more\"\nsummary: '<img src=x onerror=alert(1)>'\nextra:\n  note: \"<b>bold</b>\"\n---\n",
        )
        .build(&[]);
    build.assert_ok();

    let page = build.read("x/index.html");
    assert!(!page.contains("<script>"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("<b>"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert!(page.contains("&amp; more"), "{page}");
    assert!(
        page.contains("&lt;b&gt;bold&lt;&#x2F;b&gt;") || page.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "{page}"
    );
}

#[test]
fn a_content_file_named_like_a_generated_file_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/sitemap.xml", "<urlset/>")
        .build(&[]);
    build.assert_failed();
    build.assert_reports("error: two files would be written to `sitemap.xml`");
}

#[test]
fn partner_of_a_resource_is_linked_by_its_slug() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/partners/nspcc.md", "---\ntitle: NSPCC\n---\n")
        .file(
            "content/resources/pants.md",
            "---\ntitle: PANTS lesson\nkind: lesson-plan\nurl: https://www.nspcc.org.uk/pants\npartner: nspcc\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    assert!(build.read("resources/pants/index.html").contains(
        "<p class=\"partner\"><a href=\"/healthy-schools/partners/nspcc/\">NSPCC</a></p>"
    ));
}

#[test]
fn site_topics_lists_the_topics_in_use_and_each_link_works() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/page.html",
            "<ul>{% for t in site.topics %}<li><a href=\"{{ t.url }}\">{{ t.title }}</a></li>{% endfor %}</ul>\n",
        )
        .file("content/about.md", "---\ntitle: About\ntopics: [resilience]\n---\n")
        .build(&[]);
    build.assert_ok();

    let about = build.read("about/index.html");
    let hrefs = attribute_values(&about, "href");
    // online-safety and mental-health are declared but no document uses them:
    // they have no page, so they are not listed.
    assert_eq!(hrefs, ["/healthy-schools/topics/resilience/"]);
    for href in hrefs {
        let page = format!("{}index.html", href.trim_start_matches(BASE_PATH));
        assert!(build.exists(&page), "`{href}` leads to a missing page");
    }
}

#[test]
fn partner_logo_beside_the_partner_is_copied_and_linked() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nlogo: nspcc-logo.png\nlogo_alt: NSPCC logo\n---\n",
        )
        .bytes("content/partners/nspcc-logo.png", &fixtures::png(2, 2))
        .build(&[]);
    build.assert_ok();
    assert!(
        build
            .read("partners/nspcc/index.html")
            .contains("<img src=\"/healthy-schools/partners/nspcc-logo.png\" alt=\"NSPCC logo\">")
    );
    assert!(
        build
            .read_bytes("partners/nspcc-logo.png")
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );
}

#[test]
fn relative_root_and_output_are_taken_from_the_working_folder() {
    let site = TestSite::new().minimal_templates();
    // bounce runs in the folder that holds `site/`.
    let build = site.run(&["build", "--root", "site", "--output", "public"]);
    build.assert_ok();
    assert!(site.outer().join("public/index.html").is_file());
    assert!(build.stdout.starts_with("Built "), "{}", build.stdout);
    assert!(
        build.stdout.contains(" into public in "),
        "{}",
        build.stdout
    );
}

#[test]
fn the_example_site_builds_with_the_content_the_issue_asks_for() {
    let out = tempfile::tempdir().expect("temporary folder");
    let output = out.path().join("example");
    let output_arg = output.to_string_lossy().into_owned();
    let site = TestSite::new();
    let build = site.run_with_env(
        &[
            "build",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--output",
            &output_arg,
        ],
        &[
            ("SOURCE_DATE_EPOCH", fixtures::BUILD_DATE_EPOCH),
            fixtures::EXAMPLE_PASSCODE,
        ],
        output.clone(),
    );
    build.assert_ok();

    let files = build.files();
    let pages_in = |folder: &str| {
        files
            .iter()
            .filter(|f| {
                f.strip_prefix(folder)
                    .and_then(|rest| rest.strip_suffix("/index.html"))
                    .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
            })
            .count()
    };
    assert!(pages_in("partners/") >= 8, "at least 8 partners: {files:?}");
    assert!(
        pages_in("resources/") >= 10,
        "at least 10 resources: {files:?}"
    );
    assert!(pages_in("events/") >= 2, "at least 2 events: {files:?}");
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
    ] {
        assert!(build.exists(file), "{file} is written");
    }
    let home = build.read("index.html");
    assert!(home.contains("/healthy-schools/"), "sub-path links: {home}");
}

#[test]
fn a_page_at_a_taxonomy_address_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/topics/_index.md", "---\ntitle: Our topics\n---\n")
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `content/topics/_index.md` takes the address /topics/, which bounce uses for the topics list
 --> content/topics/_index.md
  = hint: rename the file or folder
",
    );
}

#[test]
fn non_ascii_file_names_are_linked_and_percent_encoded_in_the_sitemap() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/café.md",
            "---\ntitle: Café drop-in\n---\nCoffee and advice.\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nVisit [the café](café.md).\n",
        )
        .build(&[]);
    build.assert_ok();
    assert!(build.read("café/index.html").contains("Coffee and advice."));
    assert!(
        build
            .read("about/index.html")
            .contains("<a href=\"/healthy-schools/caf%C3%A9/\">the café</a>")
    );
    assert!(
        build
            .read("sitemap.xml")
            .contains("<loc>https://council.example/healthy-schools/caf%C3%A9/</loc>")
    );
}

#[test]
fn content_lints_are_build_warnings_and_a_long_list_is_cut_short() {
    let mut site = TestSite::new().minimal_templates();
    for n in 1..=12 {
        site = site.file(
            &format!("content/page-{n:02}.md"),
            &format!(
                "---\ntitle: Page {n}\nsummary: The page numbered {n}.\n---\n\n#### Too deep {n}\n"
            ),
        );
    }
    let build = site.build(&[]);
    build.assert_ok();
    // 13 findings: the fixture's home page has no summary, and each of the 12
    // pages skips from the title (h1) to h4.
    let shown = build.stderr.matches("warning[").count();
    assert_eq!(shown, 10, "{}", build.stderr);
    build.assert_reports(
        "... and 3 more content warnings and notes: run `bounce check` to see them all.",
    );
    assert!(
        build.exists("page-12/index.html"),
        "warnings do not stop the build"
    );
}

#[test]
fn navigation_lists_sections_and_only_weighted_top_level_pages() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/page.html",
            "{% for n in nav %}[{{ n.title }}]{% endfor %}\n",
        )
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file("content/about.md", "---\ntitle: About\nweight: 1\n---\n")
        .file("content/loose.md", "---\ntitle: Loose page\n---\n")
        .build(&[]);
    build.assert_ok();
    assert_eq!(build.read("loose/index.html"), "[About][Guide]\n");
}
