//! Small files that once took minutes: each input here was quadratic in its
//! size somewhere (the HTML sanitiser, the YAML scanner, heading ids, the
//! line of each problem). Not timed against a fixed limit (this machine is
//! shared and noisy): each builds at two sizes, and ten times the input must
//! take at most twenty times as long. Quadratic time takes a hundred times.

use std::time::{Duration, Instant};

use crate::fixtures::{Build, TestSite};

/// The smaller size of each input: large enough that the work, not starting
/// the process, is most of the time of the larger one.
const SMALL: usize = 5_000;

/// How much longer ten times the input may take.
const MAX_RATIO: f64 = 20.0;

fn site(front_matter: &str, body: &str) -> TestSite {
    TestSite::new().minimal_templates().file(
        "content/hostile.md",
        &format!("---\ntitle: Hostile\n{front_matter}---\n\n{body}"),
    )
}

/// Builds the site `make(n)` for n = SMALL and 10 × SMALL, the faster of two
/// runs each; asserts the growth, and returns the larger build to look at.
fn builds_in_linear_time(what: &str, make: impl Fn(usize) -> TestSite) -> Build {
    let time = |site: &TestSite| {
        let started = Instant::now();
        let build = site.build(&[]);
        (started.elapsed(), build)
    };
    let fastest = |n| {
        let site = make(n);
        let (first, _) = time(&site);
        let (second, build) = time(&site);
        (first.min(second), build)
    };
    let (small, _) = fastest(SMALL);
    let (large, build) = fastest(10 * SMALL);
    let ratio = large.as_secs_f64() / small.max(Duration::from_millis(1)).as_secs_f64();
    assert!(
        ratio <= MAX_RATIO,
        "{what}: {SMALL} took {small:?}, {} took {large:?} ({ratio:.0} times)",
        10 * SMALL
    );
    assert!(!build.stderr.contains("panicked"), "{}", build.stderr);
    build
}

#[test]
fn deeply_nested_html_is_refused_in_linear_time() {
    let build = builds_in_linear_time("nested <div>s", |n| {
        site(
            "",
            &format!("{}x{}\n", "<div>".repeat(n), "</div>".repeat(n)),
        )
    });
    build.assert_failed().assert_reports(
        "error: the HTML here nests more than 512 elements deep\n --> content/hostile.md:5:2556",
    );
}

#[test]
fn deeply_nested_yaml_brackets_are_refused_in_linear_time() {
    let build = builds_in_linear_time("nested `[` in front matter", |n| {
        site(&format!("extra: {}\n", "[".repeat(n)), "Text.\n")
    });
    build.assert_failed().assert_reports(
        "error: lists and maps in brackets nest more than 64 deep here\n --> content/hostile.md:3:72",
    );
}

#[test]
fn identical_headings_get_ids_in_linear_time() {
    let build = builds_in_linear_time("identical headings", |n| {
        site("", &"## Same\n\nText.\n\n".repeat(n))
    });
    build.assert_ok();
    let html = build.read("hostile/index.html");
    let last = format!("id=\"same-{}\"", 10 * SMALL - 1);
    assert!(html.contains("id=\"same\"") && html.contains(&last));
}

#[test]
fn thousands_of_broken_links_are_reported_in_linear_time_fifty_shown() {
    let build = builds_in_linear_time("broken links, one per line", |n| {
        let links: String = (0..n)
            .map(|i| format!("[l{i}](missing-{i}.md)\n\n"))
            .collect();
        site("", &links)
    });
    let more = 10 * SMALL - 50;
    build
        .assert_failed()
        .assert_reports("error: link to `content/missing-0.md`, which does not exist\n --> content/hostile.md:5:1")
        .assert_reports(&format!(
            "... and {more} more in content/hostile.md: fix the ones above, then run the command again to see the rest"
        ));
    assert_eq!(build.headlines().len(), 50, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains(&format!("Build failed: {} errors", 10 * SMALL))
    );
}

#[test]
fn a_paragraph_of_thousands_of_links_builds_in_linear_time() {
    let build = builds_in_linear_time("links in one paragraph", |n| {
        let links: Vec<String> = (0..n)
            .map(|i| format!("[l{i}](https://example.org/{i}) [b{i}](missing-{i}.md)"))
            .collect();
        site("", &(links.join(" ") + "\n"))
    });
    build.assert_failed();
    // The line is cut around the link: not a whole paragraph per problem.
    assert!(build.stderr.len() < 100_000, "{} bytes", build.stderr.len());
    let last_shown = "error: link to `content/missing-49.md`, which does not exist";
    build.assert_reports(last_shown);
}
