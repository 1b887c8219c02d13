//! Templates that would never finish (issue 18, point 8): a loop of ten
//! billion turns, a component that calls itself twice at every level, a
//! `set` that doubles a text in a loop. The build stops at the page time or
//! memory limit with a message naming the template and the page, exit code 1,
//! the previous output as it was and no staging folder left. The limits (10 s
//! and 2 GiB) are lowered here through bounce's testing variables so that each
//! test takes a second or two.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixtures::{BUILD_DATE_EPOCH, Build, TestSite, snapshot};

/// The page time limit the tests set, in milliseconds.
const TIME_LIMIT_MS: &str = "1000";
/// The memory limit the tests set, in MiB.
const MEMORY_LIMIT_MB: &str = "64";

/// The minimal templates' `page.html`, as it was.
const DOCUMENT_TEMPLATE: &str =
    "<h1>{{ page.title }}</h1><div class=\"content\">{{ page.content | safe }}</div>\n";

/// Ten billion turns, printing nothing: only the time limit stops it.
const ENDLESS_LOOP: &str = "<h1>{{ page.title }}</h1>{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}\n";

/// Ten calls of itself at each of the 20 levels tera allows: 10^19 calls, each short.
const BRANCHING_COMPONENT: &str = "{% component tree(n) %}{% if n < 19 %}{% for i in range(end=10) %}{{ <tree n={n + 1} /> }}{% endfor %}{% endif %}{% endcomponent tree %}<h1>{{ page.title }}</h1>{{ <tree n={0} /> }}\n";

/// A text that doubles 60 times: an exabyte, long before the time limit.
const DOUBLING_TEXT: &str = "{% set_global text = \"x\" %}{% for i in range(end=60) %}{% set_global text = text ~ text %}{% endfor %}<h1>{{ page.title }}</h1>{{ text | length }}\n";

/// A component that calls itself with no end.
const ENDLESS_COMPONENT: &str = "{% component forever(n) %}{{ <forever n={n} /> }}{% endcomponent forever %}<h1>{{ page.title }}</h1>{{ <forever n={1} /> }}\n";

/// The files of an output folder, by path.
type Files = BTreeMap<String, Vec<u8>>;

/// A site with a home page and a guidance page, built once with the minimal
/// templates, then given `page.html` as its template for guidance pages;
/// with what that first build wrote.
fn built_site_then(page_template: &str) -> (TestSite, Files) {
    let site = TestSite::new().minimal_templates().file(
        "content/guidance.md",
        "---\ntitle: Guidance\nsummary: What schools can do.\n---\nText.\n",
    );
    let first = site.build(&[]);
    first.assert_ok();
    let written = snapshot(&first.output);
    assert!(written.contains_key("guidance/index.html"));
    let site = site.file("templates/page.html", page_template);
    (site, written)
}

/// Runs `bounce <command> --root <site>` with the limits lowered, timed.
fn run_limited(site: &TestSite, command: &str) -> (Build, Duration) {
    let root = site.root().to_string_lossy().into_owned();
    let started = Instant::now();
    let build = site.run_with_env(
        &[command, "--root", &root],
        &[
            ("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH),
            ("BOUNCE_TEST_PAGE_TIME_MS", TIME_LIMIT_MS),
            ("BOUNCE_TEST_PAGE_MEMORY_MB", MEMORY_LIMIT_MB),
        ],
        site.path("output"),
    );
    (build, started.elapsed())
}

/// Bounce stopped with code 1 and `headline`, at the template's file, and
/// left the output as it was `before` and no staging folder.
fn assert_stopped(site: &TestSite, before: &Files, stopped: &Build, headline: &str) {
    stopped.assert_failed();
    stopped.assert_reports(headline);
    stopped.assert_reports(" --> templates/page.html\n");
    assert!(
        !site.path("output.bounce-staging").exists(),
        "the staging folder is left behind"
    );
    assert!(
        *before == snapshot(&site.path("output")),
        "the previous output changed"
    );
}

#[test]
fn a_template_looping_for_ever_stops_the_build_naming_template_and_page() {
    let (site, before) = built_site_then(ENDLESS_LOOP);
    let (stopped, took) = run_limited(&site, "build");
    assert_stopped(
        &site,
        &before,
        &stopped,
        "error: template `page.html` took longer than 1 s to render content/guidance.md, so bounce stopped",
    );
    stopped.assert_reports("a loop that runs far too many times");
    assert!(
        stopped.last_stderr_line().contains("was left as it was"),
        "{}",
        stopped.stderr
    );
    assert!(
        took < Duration::from_secs(20),
        "stopped only after {took:?}"
    );
}

#[test]
fn a_component_calling_itself_ten_times_a_level_stops_the_build() {
    let (site, before) = built_site_then(BRANCHING_COMPONENT);
    let (stopped, _) = run_limited(&site, "build");
    assert_stopped(
        &site,
        &before,
        &stopped,
        "error: template `page.html` took longer than 1 s to render content/guidance.md, so bounce stopped",
    );
}

#[test]
fn a_text_doubling_in_a_loop_stops_the_build_at_the_memory_limit() {
    let (site, before) = built_site_then(DOUBLING_TEXT);
    let (stopped, _) = run_limited(&site, "build");
    assert_stopped(
        &site,
        &before,
        &stopped,
        "error: template `page.html` took more than 64 MiB of memory to render content/guidance.md, so bounce stopped",
    );
    stopped.assert_reports("a `set` that grows a text or a list in a loop");
}

#[test]
fn a_component_calling_itself_without_end_is_an_error_naming_the_template() {
    // tera stops it 20 levels deep, as a template error: no limit of bounce's.
    let (site, before) = built_site_then(ENDLESS_COMPONENT);
    let (failed, _) = run_limited(&site, "build");
    failed.assert_failed();
    failed.assert_reports(
        "error: template `page.html` while rendering content/guidance.md: Maximum render recursion depth for components exceeded.\n --> templates/page.html\n",
    );
    failed.assert_reports("give it an `if` that ends it");
    assert!(
        before == snapshot(&site.path("output")),
        "the output changed"
    );
}

#[test]
fn deeply_nested_includes_in_a_recursive_component_render_without_overflowing_the_stack() {
    // 20 levels of a component, each through a chain of 30 includes with a
    // loop in each: 600 nested includes, past the 2 MiB stack threads have
    // by default.
    let mut site = TestSite::new().minimal_templates().file(
        "templates/home.html",
        "{% component deep(n) %}{% for x in [1] %}{% if n < 19 %}{% include \"i1.html\" %}{% else %}bottom{% endif %}{% endfor %}{% endcomponent deep %}{{ <deep n={0} /> }}\n",
    );
    for i in 1..30 {
        let include = format!(
            "{{% for y in [1] %}}{{% include \"i{}.html\" %}}{{% endfor %}}",
            i + 1
        );
        site = site.file(&format!("templates/i{i}.html"), &include);
    }
    let site = site.file("templates/i30.html", "{{ <deep n={n + 1} /> }}");
    let build = site.build(&[]);
    build.assert_ok();
    assert!(build.read("index.html").contains("bottom"));
}

#[test]
fn check_stops_at_the_same_limit() {
    let (site, _) = built_site_then(ENDLESS_LOOP);
    let (stopped, _) = run_limited(&site, "check");
    stopped.assert_failed();
    stopped.assert_reports(
        "error: template `page.html` took longer than 1 s to render content/guidance.md, so bounce stopped",
    );
}

#[test]
fn watch_stops_at_the_limit_and_leaves_no_staging_folder() {
    // A stuck page cannot be taken back from its thread, so `watch` (and
    // `serve`) end as a build does instead of waiting for the next save.
    let (site, before) = built_site_then(ENDLESS_LOOP);
    let (stopped, _) = run_limited(&site, "watch");
    assert_stopped(
        &site,
        &before,
        &stopped,
        "error: template `page.html` took longer than 1 s to render content/guidance.md, so bounce stopped",
    );
    stopped.assert_reports("Start bounce again once the template is fixed.");
}

#[test]
fn serve_stops_at_the_limit_when_a_saved_template_never_ends() {
    // After its first build `serve` rewrites pages in place: nothing to
    // remove, and the pages written before the stuck one stay.
    let (site, _) = built_site_then(DOCUMENT_TEMPLATE);
    let logs = site.outer().join("serve.log");
    let log = std::fs::File::create(&logs).expect("create the log");
    let root = site.root().to_string_lossy().into_owned();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_bounce"))
        .args(["serve", "--root", &root, "--port", "0"])
        .env("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        .env("BOUNCE_TEST_PAGE_TIME_MS", TIME_LIMIT_MS)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("share the log"))
        .stderr(log)
        .spawn()
        .expect("start bounce serve");
    let read = || std::fs::read_to_string(&logs).unwrap_or_default();
    let exited = wait(|| read().contains("Serving the site at")).and_then(|()| {
        std::fs::write(site.path("templates/page.html"), ENDLESS_LOOP).expect("save");
        wait(|| serve.try_wait().ok().flatten().is_some())
    });
    let status = serve.try_wait().ok().flatten();
    if exited.is_none() {
        let _ = serve.kill();
        let _ = serve.wait();
    }
    let printed = read();
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{printed}");
    assert!(
        printed.contains("error: template `page.html` took longer than 1 s to render content/guidance.md, so bounce stopped\n --> templates/page.html\n"),
        "{printed}"
    );
    assert!(printed.contains("Start bounce again once the template is fixed."));
}

/// Waits up to 30 seconds for `done`.
fn wait(mut done: impl FnMut() -> bool) -> Option<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if done() {
            return Some(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}
