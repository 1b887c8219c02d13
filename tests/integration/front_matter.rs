//! Front matter as content editors write it: every mistake is reported at its
//! file and line, with a hint, and all of them at once.

use crate::fixtures::{self, TestSite};

/// The last line of a failed build for the default output folder.
fn failed_summary(site: &TestSite, errors: &str) -> String {
    format!(
        "Build failed: {errors} and 0 warnings; {} was left as it was.",
        site.path("output").display()
    )
}

#[test]
fn unknown_field_suggests_the_nearest_known_field() {
    let site = TestSite::new().minimal_templates().file(
        "content/partners/nspcc.md",
        "---\ntitle: NSPCC\nsummary: A children's charity.\nwebiste: https://www.nspcc.org.uk/\n---\nBody.\n",
    );
    let build = site.build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown front-matter field `webiste`
 --> content/partners/nspcc.md:4:1
  |
4 | webiste: https://www.nspcc.org.uk/
  | ^
  = hint: did you mean `website`?
",
    );
    assert_eq!(build.last_stderr_line(), failed_summary(&site, "1 error"));
    assert!(!site.path("output").exists(), "nothing is written");
}

#[test]
fn a_partner_field_on_an_ordinary_page_names_the_folder_it_belongs_to() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\nwebsite: https://council.example/\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown front-matter field `website`
 --> content/about.md:3:1
  |
3 | website: https://council.example/
  | ^
  = hint: `website` is a field of documents in content/partners/ only
",
    );
}

#[test]
fn an_unknown_field_with_no_near_match_lists_the_known_fields() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/about.md", "---\ntitle: About\ncolour: blue\n---\n")
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: unknown front-matter field `colour`\n --> content/about.md:3:1")
        .assert_reports("= hint: the known front-matter fields are: title, summary, date, updated, review_by, draft, weight, slug, aliases, template, topics, audiences, key_stages, sensitive, extra, lint\n");
}

#[test]
fn a_document_without_a_title_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\nsummary: Who we are.\n---\nText.\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the document has no `title`
 --> content/about.md:3:1
  |
3 | ---
  | ^
  = hint: add this line above the closing `---`: `title: What is resilience?`
",
    );
}

#[test]
fn a_resource_without_a_kind_lists_the_kinds() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/minded.md",
            "---\ntitle: MindEd\nurl: https://www.minded.org.uk/\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: a resource needs a `kind`
 --> content/resources/minded.md:4:1
  |
4 | ---
  | ^
  = hint: add this line above the closing `---`: `kind: guidance`; the kinds are guidance, lesson-plan, e-learning, training, policy, programme, video
",
    );
}

#[test]
fn a_resource_needs_a_url_or_a_file_but_not_both() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/none.md",
            "---\ntitle: Nowhere\nkind: guidance\n---\n",
        )
        .file(
            "content/resources/both.md",
            "---\ntitle: Both\nkind: guidance\nurl: https://x.example/\nfile: both.pdf\n---\n",
        )
        .bytes("content/resources/both.pdf", b"%PDF")
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: a resource has either a `url` or a `file`, not both
 --> content/resources/both.md:5:1
  |
5 | file: both.pdf
  | ^
",
        )
        .assert_reports(
            "error: a resource needs a `url` or a `file`
 --> content/resources/none.md:4:1
",
        );
}

#[test]
fn an_event_without_a_start_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/events/training.md",
            "---\ntitle: Resilience training\nlocation: Huntingdon\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: an event needs a `starts` date and time\n --> content/events/training.md:4:1",
        )
        .assert_reports(
            "= hint: add this line above the closing `---`: `starts: 2027-03-14 09:30`\n",
        );
}

#[test]
fn values_outside_a_fixed_list_suggest_the_nearest_allowed_value() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/lesson.md",
            "---\ntitle: Lesson\nkind: leson-plan\nurl: https://x.example/\naccess: passcod\ncost: fre\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `kind` cannot be `leson-plan`
 --> content/resources/lesson.md:3:1
  |
3 | kind: leson-plan
  | ^
  = hint: did you mean `lesson-plan`? It must be one of guidance, lesson-plan, e-learning, training, policy, programme, video
",
        )
        .assert_reports(
            "error: `access` cannot be `passcod`
 --> content/resources/lesson.md:5:1
  |
5 | access: passcod
  | ^
  = hint: did you mean `passcode`? It must be one of open, passcode, on-request
",
        )
        .assert_reports(
            "error: `cost` cannot be `fre`
 --> content/resources/lesson.md:6:1
  |
6 | cost: fre
  | ^
  = hint: did you mean `free`? It must be one of free, paid, mixed
",
        );
    assert_eq!(build.headlines().len(), 3, "{}", build.stderr);
}

#[test]
fn impossible_dates_name_the_field_and_the_value() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ndate: 2019-13-01\nreview_by: next year\n---\n",
        )
        .file(
            "content/resources/guide.md",
            "---\ntitle: Guide\nkind: guidance\nurl: https://x.example/\npublished: 2019-1\n---\n",
        )
        .file(
            "content/events/leap.md",
            "---\ntitle: Leap day\nstarts: 2026-02-29T09:30\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `date` is not a valid date: `2019-13-01`
 --> content/about.md:3:1
  |
3 | date: 2019-13-01
  | ^
  = hint: write dates as YYYY-MM-DD, e.g. `2024-09-01`, or with a time: `2024-09-01T09:30`
",
        )
        .assert_reports(
            "error: `review_by` is not a valid date: `next year`\n --> content/about.md:4:1",
        )
        .assert_reports(
            "error: `starts` is not a valid date: `2026-02-29T09:30`\n --> content/events/leap.md:3:1",
        )
        .assert_reports(
            "error: `published` is not a date: `2019-1`
 --> content/resources/guide.md:5:1
  |
5 | published: 2019-1
  | ^
  = hint: write the year, year and month, or full date: `2015`, `2015-03` or `2015-03-18`
",
        );
}

#[test]
fn an_event_that_ends_before_it_starts_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/events/talk.md",
            "---\ntitle: Talk\nstarts: 2026-12-02T09:30\nends: 2026-12-01\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the event ends (2026-12-01) before it starts (2026-12-02T09:30)
 --> content/events/talk.md:4:1
",
    );
}

#[test]
fn dates_are_accepted_in_every_documented_form() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "templates/event.html",
            "<p>{{ page.starts }}|{% if page.ends %}{{ page.ends }}{% endif %}|{{ page.date }}</p>\n",
        )
        .file(
            "templates/resource.html",
            "<p>{{ page.published }}|{{ page.published | date_text }}</p>\n",
        )
        .file(
            "content/events/a.md",
            "---\ntitle: A\nstarts: 2026-12-01 09:30\nends: 2026-12-01T16:00:00Z\ndate: 2026-10-01\n---\n",
        )
        .file(
            "content/resources/year.md",
            "---\ntitle: Year\nkind: guidance\nurl: https://x.example/\npublished: 2015\n---\n",
        )
        .file(
            "content/resources/month.md",
            "---\ntitle: Month\nkind: guidance\nurl: https://x.example/\npublished: \"2015-03\"\n---\n",
        )
        .build(&[]);
    build.assert_ok();
    assert_eq!(
        build.read("events/a/index.html"),
        "<p>2026-12-01T09:30|2026-12-01T16:00|2026-10-01</p>\n"
    );
    assert_eq!(
        build.read("resources/year/index.html"),
        "<p>2015|2015</p>\n"
    );
    assert_eq!(
        build.read("resources/month/index.html"),
        "<p>2015-03|March 2015</p>\n"
    );
}

#[test]
fn a_partner_reference_must_name_an_existing_partner() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/partners/nspcc.md", "---\ntitle: NSPCC\n---\n")
        .file(
            "content/resources/pants.md",
            "---\ntitle: PANTS\nkind: lesson-plan\nurl: https://www.nspcc.org.uk/pants\npartner: nspc\n---\n",
        )
        .file(
            "content/events/talk.md",
            "---\ntitle: Talk\nstarts: 2027-01-01T10:00\npartner: fire-service\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: no partner `nspc`
 --> content/resources/pants.md:5:1
  |
5 | partner: nspc
  | ^
  = hint: did you mean `nspcc` (NSPCC)? Use the partner's file name without `.md`
",
        )
        .assert_reports(
            "error: no partner `fire-service`
 --> content/events/talk.md:4:1
  |
4 | partner: fire-service
  | ^
  = hint: use the file name of a partner in content/partners/, without `.md`
",
        );
}

#[test]
fn a_topic_must_be_declared_in_site_yaml() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ntopics: [resilience, resillience, Wellbeing]\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: topic `resillience` is not declared in site.yaml
 --> content/about.md:3:1
  |
3 | topics: [resilience, resillience, Wellbeing]
  | ^
  = hint: did you mean `resilience`? Topics must be declared under `topics:` in site.yaml
",
        )
        .assert_reports(
            "error: topic `Wellbeing` is not declared in site.yaml\n --> content/about.md:3:1",
        )
        .assert_reports(
            "= hint: declare it under `topics:` in site.yaml, e.g. `  wellbeing: Wellbeing`\n",
        );
}

#[test]

fn a_bad_item_of_a_block_list_is_reported_at_its_own_line() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ntopics:\n  - resilience\n  - resillience\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: topic `resillience` is not declared in site.yaml
 --> content/about.md:5:",
    );
}

#[test]
fn audiences_and_key_stages_come_from_fixed_lists() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\naudiences: [staff, teachers]\nkey_stages: [KS2, ks3, KS6]\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `teachers` is not one of the audiences
 --> content/about.md:3:1
  |
3 | audiences: [staff, teachers]
  | ^
  = hint: the choices are staff, parents, pupils, governors
",
        )
        .assert_reports("error: `ks3` is not one of the key stages\n --> content/about.md:4:1")
        .assert_reports(
            "= hint: did you mean `KS3`? The choices are EYFS, KS1, KS2, KS3, KS4, KS5\n",
        )
        .assert_reports("error: `KS6` is not one of the key stages\n --> content/about.md:4:1");
    assert_eq!(build.headlines().len(), 3, "{}", build.stderr);
}

#[test]
fn a_list_written_as_plain_text_is_explained() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ntopics: resilience\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: `topics` should be a list")
        .assert_reports(" --> content/about.md:3:")
        .assert_reports("= hint: write a list in brackets, e.g. `topics: [first, second]`\n");
}

#[test]
fn a_true_or_false_field_explains_its_type() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\nsummary: Who we are.\ndraft: perhaps\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: `draft` should be true or false")
        .assert_reports(" --> content/about.md:4:")
        .assert_reports("= hint: write `true` or `false` without quotes\n");
}

#[test]
fn an_unsafe_slug_is_refused() {
    let site = TestSite::new()
        .minimal_templates()
        .file("content/a.md", "---\ntitle: A\nslug: ../../etc\n---\n")
        .file("content/b.md", "---\ntitle: B\nslug: partners/nspcc\n---\n")
        .file(
            "content/c.md",
            "---\ntitle: C\nslug: \"bell\\u0007\"\n---\n",
        );
    let build = site.build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `slug` must be one safe URL segment, not `../../etc`
 --> content/a.md:3:1
  |
3 | slug: ../../etc
  | ^
  = hint: use letters, digits and hyphens, e.g. `slug: etc`
",
        )
        .assert_reports(
            "error: `slug` must be one safe URL segment, not `partners/nspcc`\n --> content/b.md:3:1",
        )
        .assert_reports(
            // the control character is shown escaped, not sent to the terminal
            "error: `slug` must be one safe URL segment, not `bell\\u{7}`\n --> content/c.md:3:1",
        );
    assert_eq!(
        fixtures::entries(site.outer()),
        ["site"],
        "nothing is written beside the site"
    );
    assert!(!site.path("output").exists());
}

#[test]
fn a_section_cannot_set_a_slug() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/guide/_index.md",
            "---\ntitle: Guide\nslug: help\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: a section's `_index.md` cannot set a `slug`
 --> content/guide/_index.md:3:1
  |
3 | slug: help
  | ^
  = hint: rename the section's folder instead
",
    );
}

#[test]
fn two_documents_with_the_same_url_are_both_named() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/about.md", "---\ntitle: About\n---\n")
        .file(
            "content/about-us.md",
            "---\ntitle: About us\nslug: about\n---\n",
        )
        .file("content/guide.md", "---\ntitle: Guide page\n---\n")
        .file(
            "content/guide/_index.md",
            "---\ntitle: Guide section\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `content/about-us.md` and `content/about.md` both make the page /about/",
        )
        .assert_reports(
            "error: `content/guide.md` and `content/guide/_index.md` both make the page /guide/",
        )
        .assert_reports("= hint: rename one of the files, or give one a different `slug:`\n");
}

#[test]
fn file_names_differing_only_in_case_are_reported_as_one_url() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/Policy.md", "---\ntitle: Policy\n---\n")
        .file("content/policy.md", "---\ntitle: policy\n---\n")
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `content/Policy.md` and `content/policy.md` both make the page /policy/",
    );
}

#[test]
fn an_alias_may_not_take_the_address_of_a_page() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/about.md", "---\ntitle: About\n---\n")
        .file(
            "content/team.md",
            "---\ntitle: Team\naliases:\n  - /about/\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: alias `/about/` is the address of `content/about.md`
 --> content/team.md:3:1
  |
3 | aliases:
  | ^
  = hint: an alias is an old address that redirects here; remove this one
",
    );
}

#[test]
fn an_alias_outside_the_site_is_refused() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/team.md",
            "---\ntitle: Team\naliases: [\"../../escape/\", \"https://evil.example/x/\"]\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: alias `../../escape/` is not a path on this site
 --> content/team.md:3:1
",
        )
        .assert_reports("error: alias `https://evil.example/x/` is not a path on this site")
        .assert_reports(
            "= hint: write old addresses as paths from the site root, e.g. `/old-page/`\n",
        );
}

#[test]
fn partner_contact_fields_are_checked() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nwebsite: www.nspcc.org.uk\nemail: help at nspcc\nlogo: logo.png\n---\n",
        )
        .bytes("content/partners/logo.png", b"png")
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: `website` must be a web address starting with https://, not `www.nspcc.org.uk`
 --> content/partners/nspcc.md:3:1
",
        )
        .assert_reports(
            "error: `email` is not an email address: `help at nspcc`
 --> content/partners/nspcc.md:4:1
",
        );
}

#[test]
fn a_file_named_in_front_matter_must_be_beside_the_document() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/resources/policy.md",
            "---\ntitle: Policy\nkind: policy\nfile: policy-template.docx\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `file` names `policy-template.docx`, which is not in content/resources/
 --> content/resources/policy.md:4:1
  |
4 | file: policy-template.docx
  | ^
  = hint: put the file in the same folder as this document and write just its name
",
    );
}

#[test]
fn a_missing_template_named_in_front_matter_is_reported_at_its_line() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/map.md",
            "---\ntitle: Map\ntemplate: wide.html\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the theme has no template `wide.html`
 --> content/map.md:3:1
  |
3 | template: wide.html
  | ^
  = hint: create it in the site's templates/ folder, or remove `template:`
",
    );
}

#[test]
fn a_template_name_outside_the_theme_is_refused() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/other.md",
            "---\ntitle: Other\ntemplate: ../../secret.html\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: `template` must name a .html file of the theme, not `../../secret.html`
 --> content/other.md:3:1
  |
3 | template: ../../secret.html
  | ^
  = hint: write the template's file name, e.g. `template: wide.html`
",
    );
}

#[test]
fn problems_in_many_files_are_all_reported_together() {
    let site = TestSite::new()
        .minimal_templates()
        .file("content/a.md", "---\ntitle: A\nsumary: x\n---\n")
        .file("content/b.md", "---\ntitle: B\ndate: yesterday\n---\n")
        .file("content/c.md", "---\ntitle: C\n---\nSee [x](missing.md).\n")
        .file("content/fine.md", "---\ntitle: Fine\n---\n");
    let build = site.build(&[]);
    build.assert_failed();
    assert_eq!(
        build.headlines(),
        [
            "error: unknown front-matter field `sumary`",
            "error: `date` is not a valid date: `yesterday`",
            "error: link to `content/missing.md`, which does not exist",
        ],
        "{}",
        build.stderr
    );
    assert_eq!(build.last_stderr_line(), failed_summary(&site, "3 errors"));
}

#[test]

fn an_unknown_field_does_not_hide_other_problems_in_the_same_file() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nwebiste: https://www.nspcc.org.uk/\ncost: fre\n---\n",
        )
        .build(&[]);
    build.assert_failed();
    assert_eq!(
        build.headlines(),
        [
            "error: unknown front-matter field `webiste`",
            "error: `cost` cannot be `fre`",
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn a_yaml_syntax_error_points_at_the_line_in_the_file() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\ndate: 2024-01-01\nsummary: Resilience: a guide\n---\nBody.\n",
        )
        .file(
            "content/tabs.md",
            "---\ntitle: Tabs\nextra:\n\tcolour: red\n---\n",
        )
        .build(&[]);
    build
        .assert_failed()
        .assert_reports(
            "error: a value contains `: ` which YAML reads as a new field
 --> content/about.md:4:20
  |
4 | summary: Resilience: a guide
  |                    ^
  = hint: put the whole value in quotes, e.g. `title: \"Resilience: a guide\"`
",
        )
        .assert_reports(" --> content/tabs.md:4:1\n  |\n4 | \tcolour: red\n");
}

#[test]
fn an_unclosed_quote_is_reported_in_the_file() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\nsummary: \"Who we are\ndate: 2024-01-01\n---\nBody.\n",
        )
        .build(&[]);
    build.assert_failed();
    let location = build
        .stderr
        .lines()
        .find(|l| l.contains("--> content/about.md:"))
        .unwrap_or_else(|| panic!("no location in\n{}", build.stderr));
    let line: usize = location
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no line number in {location}"));
    assert!(
        (2..=5).contains(&line),
        "the error should point inside the front matter of the file, not at {location}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_a_clear_error() {
    let build = TestSite::new()
        .minimal_templates()
        .bytes(
            "content/cafe.md",
            b"---\ntitle: Caf\xe9 drop-in\n---\nText pasted from Word.\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the file is not UTF-8 text
 --> content/cafe.md:2
  = hint: save it as UTF-8 in your editor",
    );
}

#[test]
fn an_empty_file_is_a_clear_error() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/empty.md", "")
        .file("content/blank.md", "\n  \n")
        .build(&[]);
    build
        .assert_failed()
        .assert_reports("error: the file is empty\n --> content/empty.md\n")
        .assert_reports("error: the file is empty\n --> content/blank.md\n");
}

#[test]
fn a_missing_closing_line_is_reported_at_the_opening_line() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/open.md",
            "---\ntitle: Open\n\nThe body starts here.\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the front matter starts here but has no closing `---` line
 --> content/open.md:1:1
  |
1 | ---
  | ^
  = hint: add a line with just `---` after the last front-matter field
",
    );
}

#[test]
fn a_file_without_front_matter_is_reported() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/plain.md", "# Just a heading\n\nSome text.\n")
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the document has no front matter
 --> content/plain.md:1:1
  |
1 | # Just a heading
  | ^
  = hint: start the file with a `---` line, a `title:` line and another `---` line
",
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_accepted() {
    let build = TestSite::new()
        .minimal_templates()
        .bytes(
            "content/windows.md",
            b"\xef\xbb\xbf---\r\ntitle: Saved on Windows\r\nsummary: Notepad\r\n---\r\nFirst line.\r\n\r\n## A heading\r\n",
        )
        .build(&[]);
    build.assert_ok();
    let page = build.read("windows/index.html");
    assert!(page.contains("<h1>Saved on Windows</h1>"), "{page}");
    assert!(page.contains("<p>First line.</p>"), "{page}");
    assert!(
        page.contains("<h2 id=\"a-heading\">A heading</h2>"),
        "{page}"
    );
    assert!(!page.contains('\r'), "{page:?}");
    assert!(!page.contains('\u{feff}'), "{page:?}");
}

#[test]
fn errors_in_a_crlf_file_point_at_the_right_line() {
    let build = TestSite::new()
        .minimal_templates()
        .bytes(
            "content/windows.md",
            b"\xef\xbb\xbf---\r\ntitle: Saved on Windows\r\nsumary: Notepad\r\n---\r\nBody.\r\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: unknown front-matter field `sumary`
 --> content/windows.md:3:1
  |
3 | sumary: Notepad
  | ^
  = hint: did you mean `summary`?
",
    );
}

#[test]
fn a_field_written_twice_is_reported_at_the_second_one() {
    let build = TestSite::new()
        .minimal_templates()
        .file(
            "content/about.md",
            "---\ntitle: About\nsummary: Who we are.\ntitle: About us\n---\n",
        )
        .build(&[]);
    build.assert_failed().assert_reports(
        "error: the field `title` appears more than once
 --> content/about.md:4:1
  |
4 | title: About us
  | ^
",
    );
}

#[test]
fn strange_files_are_reported_and_never_crash_the_build() {
    let mut deep = String::from("---\ntitle: Deep\nextra: ");
    deep.push_str(&"[".repeat(5000));
    deep.push_str(&"]".repeat(5000));
    deep.push_str("\n---\n");
    let bomb = "---\ntitle: Bomb\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n  h: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n---\n";
    let strange = [
        ("content/bom-only.md", "\u{feff}".to_string()),
        ("content/dashes.md", "---".to_string()),
        ("content/list.md", "---\n- a\n- b\n---\n".to_string()),
        (
            "content/number-key.md",
            "---\ntitle: T\n1: x\n---\n".to_string(),
        ),
        (
            "content/open-bracket.md",
            "---\ntitle: [\n---\n".to_string(),
        ),
        (
            "content/huge-number.md",
            "---\ntitle: W\nweight: 99999999999999999999\n---\n".to_string(),
        ),
        ("content/deep.md", deep),
        ("content/bomb.md", bomb.to_string()),
    ];
    let mut site = TestSite::new().minimal_templates();
    for (path, text) in &strange {
        site = site.file(path, text);
    }
    let build = site.build(&[]);
    build.assert_failed();
    assert!(!build.stderr.contains("panicked"), "{}", build.stderr);
    for (path, _) in &strange {
        assert!(
            build.stderr.contains(&format!("--> {path}")),
            "{path} is not reported:\n{}",
            build.stderr
        );
    }
    assert_eq!(build.headlines().len(), strange.len(), "{}", build.stderr);
}

#[test]
fn links_to_a_file_with_errors_are_not_reported_on_top_of_its_own_error() {
    let build = TestSite::new()
        .minimal_templates()
        .file("content/about.md", "---\ntitle: [About\n---\nAbout us.\n")
        .file(
            "content/contact.md",
            "---\ntitle: Contact\n---\nRead [about us](about.md) first.\n",
        )
        .build(&[]);
    build.assert_failed();
    build.assert_reports("content/about.md:2");
    build.assert_not_reported("content/contact.md");
    assert_eq!(build.headlines().len(), 1, "{:?}", build.headlines());
}
