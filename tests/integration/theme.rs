//! The default theme's structure: skip link, landmarks, one h1, breadcrumbs, the
//! search page and its index.

use crate::fixtures::{self, BASE_PATH, TestSite};

/// A site on the built-in default theme with a page of each main kind.
fn guidance_site() -> TestSite {
    TestSite::new()
        .file(
            "content/whole-school/_index.md",
            "---\ntitle: Whole school approach\nsummary: Resilience in every part of school life.\n---\nSee [the policy](policy.md).\n",
        )
        .file(
            "content/whole-school/policy.md",
            "---\ntitle: Writing a resilience policy\nsummary: How to write a policy.\ntopics: [resilience]\n---\n\
             ## Scope\n\nAll staff, governors and volunteers.\n\n## Reviewing\n\nEach spring the governors revisit it.\n",
        )
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nsummary: The children's charity.\nwebsite: https://www.nspcc.org.uk/\nphone: 01733 207 620\ntopics: [online-safety]\n---\nSpeak out Stay safe assemblies for primary schools.\n",
        )
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn every_page_starts_with_a_skip_link_to_main_and_has_one_h1() {
    let build = guidance_site().build(&[]);
    build.assert_ok();
    for path in [
        "index.html",
        "whole-school/index.html",
        "whole-school/policy/index.html",
        "partners/nspcc/index.html",
        "topics/resilience/index.html",
        "search/index.html",
        "404.html",
    ] {
        let html = build.read(path);
        let skip = html
            .find("<a class=\"skip-link\" href=\"#main\">")
            .unwrap_or_else(|| panic!("{path} has no skip link"));
        assert!(
            html.find("<main id=\"main\"")
                .is_some_and(|main| skip < main),
            "{path}: the skip link must come before <main id=\"main\">"
        );
        assert_eq!(count(&html, "<h1"), 1, "{path} must have exactly one h1");
        for landmark in ["<header class=\"site-header\"", "<nav", "<footer"] {
            assert!(html.contains(landmark), "{path} has no {landmark}");
        }
    }
}

#[test]
fn pages_below_home_have_breadcrumbs_ending_at_the_current_page() {
    let build = guidance_site().build(&[]);
    build.assert_ok();
    let policy = build.read("whole-school/policy/index.html");
    fixtures::assert_in_order(
        &policy,
        &[
            "<nav class=\"breadcrumbs wrap\" aria-label=\"Breadcrumb\">",
            &format!("<a href=\"{BASE_PATH}\">Home</a>"),
            &format!("<a href=\"{BASE_PATH}whole-school/\">Whole school approach</a>"),
            "<span aria-current=\"page\">Writing a resilience policy</span>",
        ],
    );
    assert!(
        !build
            .read("index.html")
            .contains("aria-label=\"Breadcrumb\"")
    );
}

#[test]
fn the_search_page_loads_the_index_and_without_script_links_to_topics() {
    let build = guidance_site().build(&[]);
    build.assert_ok();
    let search = build.read("search/index.html");
    assert!(search.contains(&format!(
        "data-search-index=\"{BASE_PATH}search/meta.json\""
    )));
    assert!(search.contains("<search class=\"search\" hidden"));
    assert!(search.contains("Search needs JavaScript"));
    assert!(search.contains(&format!(
        "<a href=\"{BASE_PATH}topics/resilience/\">Resilience</a>"
    )));
    assert!(
        build
            .read("index.html")
            .contains(&format!("href=\"{BASE_PATH}search/\">Search</a>"))
    );
}

// What the search index holds is tested in `search.rs`.

/// The `href`/`src` values of `html` that end in `extension`.
pub(crate) fn asset_links<'a>(html: &'a str, extension: &str) -> Vec<&'a str> {
    ["href", "src"]
        .into_iter()
        .flat_map(|a| fixtures::attribute_values(html, a))
        .filter(|v| v.ends_with(extension))
        .collect()
}

#[test]
fn css_and_js_are_written_and_linked_under_fingerprinted_names_only() {
    let build = guidance_site()
        .file(
            "content/help.md",
            "---\ntitle: Getting help\nsensitive: true\n---\nTalk to someone.\n",
        )
        .build(&[]);
    build.assert_ok();
    let files = build.files();
    let is_fingerprinted = |name: &str, stem: &str, extension: &str| {
        name.strip_prefix(stem)
            .and_then(|rest| rest.strip_suffix(extension))
            .and_then(|hash| hash.strip_prefix('.'))
            .is_some_and(|hash| hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
    };
    for (stem, extension) in [("style", ".css"), ("exit", ".js"), ("search", ".js")] {
        let written: Vec<&String> = files
            .iter()
            .filter(|f| f.starts_with(stem) && f.ends_with(extension) && !f.contains('/'))
            .collect();
        assert_eq!(written.len(), 1, "{stem}{extension}: {written:?}");
        assert!(is_fingerprinted(written[0], stem, extension), "{written:?}");
    }
    for (page, extension) in [
        ("help/index.html", ".css"),
        ("help/index.html", ".js"),
        ("search/index.html", ".js"),
    ] {
        let html = build.read(page);
        let links = asset_links(&html, extension);
        assert!(!links.is_empty(), "{page} links no {extension} file");
        for link in links {
            let file = link.strip_prefix(BASE_PATH).expect("under the base path");
            assert!(
                build.exists(file),
                "{page} links {link}, which was not written"
            );
            assert!(!file.ends_with(&format!("style{extension}")), "{link}");
        }
    }
}

#[test]
fn a_changed_stylesheet_gets_a_new_name() {
    let name = |css: &str| {
        let build = TestSite::new()
            .file("themes/plain/static/style.css", css)
            .file(
                "themes/plain/templates/home.html",
                "<link rel=\"stylesheet\" href=\"{{ asset(path=\"style.css\") }}\"><h1>{{ title }}</h1>",
            )
            .file("themes/plain/templates/taxonomy.html", "")
            .file("themes/plain/templates/term.html", "")
            .file("themes/plain/templates/404.html", "")
            .site_yaml(&format!("{}theme: plain\n", fixtures::SITE_YAML))
            .build(&[]);
        build.assert_ok();
        let home = build.read("index.html");
        asset_links(&home, ".css")[0].to_string()
    };
    let first = name("body { color: black; }\n");
    assert_eq!(
        first,
        name("body { color: black; }\n"),
        "the same file keeps its name"
    );
    assert_ne!(first, name("body { color: navy; }\n"));
}

#[test]
fn links_to_files_in_the_text_show_type_and_size() {
    let build = guidance_site()
        .file(
            "content/whole-school/plan.md",
            "---\ntitle: Action plan\n---\n\
             Download [the action plan](plan.docx) or [the guide (PDF, 24 KB)](guide.pdf).\n\n\
             Also [the guide](@/whole-school/guide.pdf) and ![The team](team.png).\n\n\
             <details><summary>More</summary>Raw HTML makes the page sanitised.</details>\n",
        )
        .bytes("content/whole-school/plan.docx", &vec![b'x'; 2048])
        .bytes("content/whole-school/guide.pdf", &vec![b'x'; 24 * 1024])
        .bytes("content/whole-school/team.png", &crate::fixtures::png(2, 2))
        .build(&[]);
    build.assert_ok();
    let html = build.read("whole-school/plan/index.html");
    assert!(
        html.contains(&format!(
            "<a href=\"{BASE_PATH}whole-school/plan.docx\">the action plan</a> <span class=\"attachment-meta\">(Word document, 2.0 KB)</span>"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<a href=\"{BASE_PATH}whole-school/guide.pdf\">the guide</a> <span class=\"attachment-meta\">(PDF, 24 KB)</span>"
        )),
        "{html}"
    );
    assert_eq!(
        count(&html, "attachment-meta"),
        2,
        "a link whose text gives the size, and an image, get none: {html}"
    );
}

#[test]
fn the_home_page_with_its_stylesheet_weighs_under_50_kb_uncompressed() {
    let build = guidance_site().build(&[]);
    build.assert_ok();
    let home = build.read("index.html");
    let mut total = home.len();
    for link in asset_links(&home, ".css")
        .into_iter()
        .chain(asset_links(&home, ".js"))
    {
        let file = link.strip_prefix(BASE_PATH).expect("under the base path");
        total += build.read_bytes(file).len();
    }
    // The budget is 50 KB transferred; compression only makes it smaller.
    assert!(total < 50_000, "the home page needs {total} bytes");
}

#[test]
fn the_partners_directory_links_partners_by_area() {
    let build = TestSite::new()
        .file("content/partners/_index.md", "---\ntitle: Partners\n---\n")
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nareas: [Peterborough, Cambridgeshire]\n---\n",
        )
        .file(
            "content/partners/fire.md",
            "---\ntitle: Fire and Rescue\nareas: [Cambridgeshire]\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    let page = build.read("partners/index.html");
    let area = |name: &str| {
        let start = page
            .find(&format!(
                "<details class=\"area\" id=\"area-{}\">",
                name.to_lowercase()
            ))
            .unwrap_or_else(|| panic!("no heading for {name}: {page}"));
        let end = page[start..]
            .find("</ul>")
            .map_or(page.len(), |e| start + e);
        page[start..end].to_string()
    };
    let cambridgeshire = area("Cambridgeshire");
    assert!(
        cambridgeshire.contains(">Fire and Rescue</a>"),
        "{cambridgeshire}"
    );
    assert!(cambridgeshire.contains(">NSPCC</a>"), "{cambridgeshire}");
    let peterborough = area("Peterborough");
    assert!(peterborough.contains(">NSPCC</a>"), "{peterborough}");
    assert!(!peterborough.contains("Fire and Rescue"), "{peterborough}");
    // Each area opens from its name, with how many partners it has.
    assert!(
        page.contains("<summary>Peterborough <span class=\"count\">(1 partner)</span></summary>"),
        "{page}"
    );
    assert!(page.contains(BASE_PATH));
}
