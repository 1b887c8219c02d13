//! The messages of issue 17: each mistake reported once, at the line to fix,
//! with a hint that fixes it when followed literally.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use bounce::build::Options;
use bounce::dates::DateTime;
use bounce::incremental::Project;

use crate::fixtures::{SITE_YAML, TestSite};

const TOOLKIT: &str = "---\ntitle: Calm corners toolkit\nkind: guidance\nurl: https://example.org/calm\n---\n## Use\n";

/// A page with a relative and a site-rooted link.
fn page_linking(relative: &str, rooted: &str) -> String {
    format!("---\ntitle: X\n---\nSee the [toolkit]({relative}).\n\nOr [this]({rooted}).\n")
}

#[test]
fn a_link_suggestion_is_written_as_the_link_was_and_fixes_it_when_pasted() {
    let site = TestSite::new()
        .minimal_templates()
        .file("content/resources/calm-corners-toolkit.md", TOOLKIT)
        .file(
            "content/guidance/x.md",
            &page_linking(
                "../resources/calm-corner-toolkit.md",
                "@/resources/calm-corner-toolkit.md#use",
            ),
        );
    let build = site.build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: link to `content/resources/calm-corner-toolkit.md`, which does not exist
 --> content/guidance/x.md:4:9
  |
4 | See the [toolkit](../resources/calm-corner-toolkit.md).
  |         ^
  = hint: did you mean `../resources/calm-corners-toolkit.md`? Paths are relative to this file's folder, or start with `@/` for content/
",
        )
        .assert_reports(
            "  = hint: did you mean `@/resources/calm-corners-toolkit.md#use`? Paths are relative to this file's folder, or start with `@/` for content/
",
        );

    // Paste each suggestion over its link, as an editor would.
    let suggested: Vec<&str> = build
        .stderr
        .lines()
        .filter_map(|l| l.split("= hint: did you mean `").nth(1)?.split('`').next())
        .collect();
    let site = site.file(
        "content/guidance/x.md",
        &page_linking(suggested[0], suggested[1]),
    );
    site.build(&[]).assert_ok();
}

const PARTNER_WITH_TYPO: &str =
    "---\ntitle: NSPCC\nwebiste: https://www.nspcc.org.uk/\ntopics: [online-safety]\n---\n";

/// A partner, a resource and an event that name it, a page that links to it
/// and to the one topic page it is on.
fn site_around_a_partner(partner: &str) -> TestSite {
    TestSite::new()
        .minimal_templates()
        .file("content/partners/nspcc.md", partner)
        .file(
            "content/resources/speak-out.md",
            "---\ntitle: Speak out\nkind: programme\nurl: https://example.org/so\npartner: nspcc\n---\n",
        )
        .file(
            "content/events/talk.md",
            "---\ntitle: Talk\nstarts: 2027-03-14 09:30\npartner: nspcc\n---\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[NSPCC](partners/nspcc.md) on [online safety](/topics/online-safety/).\n",
        )
}

#[test]
fn a_partner_with_a_front_matter_error_is_reported_once() {
    let build = site_around_a_partner(PARTNER_WITH_TYPO).build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown front-matter field `webiste`
 --> content/partners/nspcc.md:3:1
  |
3 | webiste: https://www.nspcc.org.uk/
  | ^
  = hint: did you mean `website`?
",
    );
    assert_eq!(
        build.headlines(),
        ["error: unknown front-matter field `webiste`"]
    );
}

#[test]
fn a_partner_whose_front_matter_cannot_be_read_is_reported_once() {
    let build =
        site_around_a_partner("---\ntitle: \"NSPCC\nwebsite: https://www.nspcc.org.uk/\n---\n")
            .build(&[]);
    build.assert_failed();
    assert_eq!(
        build.headlines(),
        ["error: this quoted value has no closing quote"]
    );
}

#[test]
fn watch_reports_a_partner_with_a_front_matter_error_once_as_a_build_does() {
    let site = site_around_a_partner(&PARTNER_WITH_TYPO.replace("webiste", "website"));
    let options = Options {
        root: site.root().to_path_buf(),
        output: site.path("output"),
        base_url: None,
        drafts: false,
        build_date: DateTime::from_unix_seconds(1_795_435_200),
        protection: bounce::build::Protection::Seal(crate::fixtures::example_passcode),
    };
    let mut project = Project::open(&options, Default::default()).expect("the site loads");
    assert!(!project.write().failed());
    let partner = site.path("content/partners/nspcc.md");
    fs::write(&partner, PARTNER_WITH_TYPO).expect("save the partner");
    project.update(&BTreeSet::from([partner]));
    let outcome = project.write();
    let errors: Vec<String> = outcome
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        errors,
        ["error: unknown front-matter field `webiste`
 --> content/partners/nspcc.md:3:1
  |
3 | webiste: https://www.nspcc.org.uk/
  | ^
  = hint: did you mean `website`?"]
    );
}

/// Runs `bounce new KIND TITLE` in `site`.
fn new_document(site: &TestSite, kind: &str, title: &str) {
    let root = site.root().to_string_lossy().into_owned();
    site.run(&["new", kind, title, "--root", &root]).assert_ok();
}

#[test]
fn required_fields_left_empty_by_new_are_reported_at_their_line() {
    let site = TestSite::new().minimal_templates();
    new_document(&site, "event", "Spring network meeting");
    new_document(&site, "resource", "Rise Above");
    site.build(&[])
        .assert_failed()
        .assert_reports(
            "error: an event needs a `starts` date and time
 --> content/events/spring-network-meeting.md:6:1
  |
6 | starts:                # required: date and time, e.g. 2027-03-04T09:30
  | ^
  = hint: write the date and time after `starts:`, e.g. `starts: 2027-03-14 09:30`
",
        )
        .assert_reports(
            "error: a resource needs a `url` or a `file`
 --> content/resources/rise-above.md:7:1
  |
7 | url:                   # required (or file): https://...
  | ^
  = hint: write the address after `url:`, e.g. `url: https://www.example.org/guide`, or a file beside this document as `file: guide.pdf`
",
        );
}

#[test]
fn a_missing_required_field_is_reported_at_the_closing_line_with_the_line_to_add() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/events/spring.md",
            "---\ntitle: Spring network meeting\nlocation: Shire Hall\n---\nAll welcome.\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: an event needs a `starts` date and time
 --> content/events/spring.md:4:1
  |
4 | ---
  | ^
  = hint: add this line above the closing `---`: `starts: 2027-03-14 09:30`
",
    );
}

#[test]
fn a_misspelt_partner_suggests_the_nearest_by_file_name_and_by_title() {
    let resource = |partner: &str| {
        format!(
            "---\ntitle: R {partner}\nkind: guidance\nurl: https://example.org/r\npartner: {partner}\n---\n"
        )
    };
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/cambridge-youth-counselling-service.md",
            "---\ntitle: Cambridge Youth Counselling\n---\n",
        )
        .file("content/partners/nspcc.md", "---\ntitle: NSPCC\n---\n")
        .file(
            "content/resources/a.md",
            &resource("cambridge-youth-counseling"),
        )
        .file("content/resources/b.md", &resource("nspc"))
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: no partner `cambridge-youth-counseling`
 --> content/resources/a.md:5:1
  |
5 | partner: cambridge-youth-counseling
  | ^
  = hint: did you mean `cambridge-youth-counselling-service` (Cambridge Youth Counselling)? Use the partner's file name without `.md`
",
        )
        .assert_reports(
            "  = hint: did you mean `nspcc` (NSPCC)? Use the partner's file name without `.md`\n",
        );
}

#[test]
fn a_tab_in_site_yaml_says_to_indent_with_spaces_and_where() {
    let yaml = format!(
        "{}  bullying: Bullying\n\twellbeing: Wellbeing\n",
        SITE_YAML
    );
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&yaml)
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: line 10 is indented with a tab, which YAML does not allow
  --> site.yaml:10:1
   |
10 | \twellbeing: Wellbeing
   | ^
   = hint: indent with spaces, not tabs: replace the tab at the start of line 10 with spaces
",
    );
    let yaml = format!("{}\tbullying: Bullying\n", SITE_YAML);
    let build = TestSite::new()
        .minimal_templates()
        .site_yaml(&yaml)
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: line 9 is indented with a tab, which YAML does not allow\n");
}

#[test]
fn building_where_there_is_no_site_says_how_to_make_one() {
    let site = TestSite::new();
    let elsewhere = site.outer().join("not-a-site");
    fs::create_dir_all(&elsewhere).expect("make an empty folder");
    let root = elsewhere.to_string_lossy().into_owned();
    let build = site.run(&["build", "--root", &root]);
    assert_eq!(build.code, 2, "{}", build.stderr);
    build.assert_reports(&format!(
        "error: there is no site in {root}: it has no `site.yaml`
  = hint: run bounce in your site's folder or give it with `--root DIR`; to start a new site, run `bounce init my-site`
"
    ));
    assert_eq!(
        build.last_stderr_line(),
        "Build failed: 1 error; nothing was written."
    );
    build.assert_not_reported("left as it was");
}

#[test]
fn new_refuses_a_title_without_letters_as_the_readme_says() {
    let site = TestSite::new();
    let root = site.root().to_string_lossy().into_owned();
    let new = site.run(&["new", "event", "2027", "--root", &root]);
    assert_eq!(new.code, 2, "{}", new.stderr);
    new.assert_reports(
        "error: the title `2027` has no letters
  = hint: give the document's title in words, in quotes: bounce new event \"Spring network meeting 2027\"
",
    );
    assert!(!site.path("content/events/2027.md").exists());
}

#[test]
fn a_link_in_content_to_nothing_is_skipped_with_a_warning() {
    let site = TestSite::new().minimal_templates();
    std::os::unix::fs::symlink(Path::new("moved-away.md"), site.path("content/gone.md"))
        .expect("make a symbolic link");
    site.build(&[]).assert_ok().assert_reports(
        "warning: symbolic link to a file or folder that does not exist; skipped
 --> content/gone.md
  = hint: remove the link, or copy the file it pointed to into content/ in its place
",
    );
}

#[test]
fn control_characters_in_a_file_name_are_escaped_in_the_location() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/news\u{1b}[2J.md",
            "---\ntitle: News\nsumary: x\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown front-matter field `sumary`\n --> content/news\\u{1b}[2J.md:3:1\n",
    );
    assert!(!build.stderr.contains('\u{1b}'), "{}", build.stderr);
}
