//! `bounce new partner|resource|event|page "Title"`: one new document.
//!
//! Entry point: [`create`]. The file goes in its collection's folder (pages at
//! the top of `content/`, or in `--section`), is named by a safe slug of the
//! title, and lists the front-matter fields of its kind: the title and dates
//! filled in, required fields left empty and marked `required`, so that
//! `bounce check` points at what is missing. An existing file is never replaced.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Refusal, a_year_after, io_problem};
use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::slug::{is_safe_segment, slugify};
use crate::foundation::suggest::nearest;
use crate::source::config;
use crate::source::discover::{CONTENT_DIR, is_ignored};
use crate::source::frontmatter::Collection;

/// What to create.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub collection: Collection,
    pub title: String,
    /// A folder under `content/` for a page (`guidance`, `whole-school/policies`).
    pub section: Option<String>,
    /// Today, for `date` (and a year on for `review_by`).
    pub today: DateTime,
}

/// Writes the new document and returns its path (relative to the current
/// folder when the root is `.`).
pub fn create(options: &Options) -> Result<PathBuf, Refusal> {
    if !options.root.join(config::FILE_NAME).is_file() {
        return Err(Refusal::usage(config::no_site(&options.root)));
    }
    let title = checked_title(&options.title, options.collection)?;
    let slug = slugify(title);
    let folder = folder(
        &options.root,
        options.collection,
        options.section.as_deref(),
    )?;
    let key = format!("{folder}{slug}.md");
    let text = front_matter(options.collection, title, options.today);
    let path = if options.root == Path::new(".") {
        PathBuf::from(CONTENT_DIR).join(&key)
    } else {
        options.root.join(CONTENT_DIR).join(&key)
    };
    write_new(&path, &text)?;
    Ok(path)
}

/// The title, trimmed; refused if it has no letters (it is empty, or a year
/// alone), nothing to make a file name from, or control characters (a pasted
/// tab or line break).
fn checked_title(title: &str, collection: Collection) -> Result<&str, Refusal> {
    let title = title.trim();
    if title.chars().any(char::is_control) {
        return Err(Refusal::usage(
            Diagnostic::error("the title contains a line break or another control character")
                .with_hint(
                    "give the title on one line, in quotes: bounce new page \"Online safety\"",
                ),
        ));
    }
    // A title says what the document is about: digits alone (`2027`) do not.
    if !title.chars().any(char::is_alphabetic) || slugify(title).is_empty() {
        return Err(Refusal::usage(
            Diagnostic::error(format!("the title `{title}` has no letters")).with_hint(format!(
                "give the document's title in words, in quotes: bounce new {} \"{}\"",
                collection.name(),
                example_title(collection)
            )),
        ));
    }
    Ok(title)
}

/// A title to show in hints for a new document of `collection`.
fn example_title(collection: Collection) -> &'static str {
    match collection {
        Collection::Page => "Online safety",
        Collection::Partner => "Road Safety Peterborough",
        Collection::Resource => "Mental health and behaviour in schools",
        Collection::Event => "Spring network meeting 2027",
    }
}

/// The folder key (`partners/`, `guidance/`, `""`) the new document goes in.
fn folder(root: &Path, collection: Collection, section: Option<&str>) -> Result<String, Refusal> {
    let fixed = match collection {
        Collection::Partner => "partners/",
        Collection::Resource => "resources/",
        Collection::Event => "events/",
        Collection::Page => "",
    };
    let Some(section) = section else {
        return Ok(fixed.to_string());
    };
    if collection != Collection::Page {
        return Err(Refusal::usage(
            Diagnostic::error(format!(
                "--section is for pages; a {} always goes in content/{fixed}",
                collection.name()
            ))
            .with_hint("leave out --section"),
        ));
    }
    let section = section
        .trim()
        .trim_start_matches("./")
        .trim_start_matches("content/")
        .trim_matches('/');
    if section.is_empty() {
        return Ok(String::new());
    }
    let safe = section.split('/').all(is_safe_segment);
    let content = root.join(CONTENT_DIR);
    if safe && content.join(section).is_dir() {
        return Ok(format!("{section}/"));
    }
    let folders = section_folders(&content);
    let hint = match nearest(section, folders.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `--section {near}`?"),
        None if folders.is_empty() => {
            "create the folder under content/ first, or leave out --section".to_string()
        }
        None => format!(
            "the sections are: {}; or create the folder under content/ first",
            folders.join(", ")
        ),
    };
    Err(Refusal::usage(
        Diagnostic::error(format!("there is no section folder `content/{section}`"))
            .with_hint(hint),
    ))
}

/// The folders under `content/` (`guidance`, `guidance/policies`), sorted.
fn section_folders(content: &Path) -> Vec<String> {
    walkdir::WalkDir::new(content)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter_map(|e| {
            let relative = e.path().strip_prefix(content).ok()?;
            Some(crate::source::discover::slash_path(relative))
        })
        .collect()
}

/// Creates the file, refusing one that exists (`create_new`: no race with an
/// editor saving the same name).
fn write_new(path: &Path, text: &str) -> Result<(), Refusal> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Refusal::refused(io_problem("create the folder", parent, &e)))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            Refusal::refused(if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(format!("`{}` already exists", path.display()))
                    .with_hint("edit that file, or give the new document a different title")
            } else {
                io_problem("create", path, &e)
            })
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Refusal::refused(io_problem("write", path, &e)))
}

/// One front-matter line: the field and its value, and what to write there.
type Line = (&'static str, String, &'static str);

/// The front matter of a new document of `collection`, and an empty body.
pub(crate) fn front_matter(collection: Collection, title: &str, today: DateTime) -> String {
    let mut lines: Vec<Line> = vec![
        ("title", quoted(title), ""),
        (
            "summary",
            String::new(),
            "one or two sentences for listings and search results",
        ),
        ("date", today.date_only().to_string(), ""),
        (
            "review_by",
            a_year_after(today).to_string(),
            "the date to check this page is still right",
        ),
    ];
    lines.extend(own_fields(collection));
    lines.extend([
        ("topics", "[]".into(), "slugs from `topics:` in site.yaml"),
        (
            "audiences",
            "[]".into(),
            "staff, parents, pupils, governors",
        ),
        ("key_stages", "[]".into(), "EYFS, KS1, KS2, KS3, KS4, KS5"),
    ]);
    if collection == Collection::Page {
        lines.push((
            "sensitive",
            "false".into(),
            "true for pages about abuse, exploitation or self-harm",
        ));
    }
    let mut text = String::from("---\n");
    for (field, value, comment) in lines {
        let entry = if value.is_empty() {
            format!("{field}:")
        } else {
            format!("{field}: {value}")
        };
        if comment.is_empty() {
            text.push_str(&format!("{entry}\n"));
        } else {
            text.push_str(&format!("{entry:<22} # {comment}\n"));
        }
    }
    text.push_str("---\n\n");
    text
}

/// The fields of a collection, empty; required ones say so.
fn own_fields(collection: Collection) -> Vec<Line> {
    let empty = |field, comment| (field, String::new(), comment);
    match collection {
        Collection::Page => vec![],
        Collection::Partner => vec![
            empty("website", "https://..."),
            empty("email", ""),
            empty("phone", ""),
            empty("address", ""),
            ("areas", "[]".into(), "e.g. [Cambridgeshire, Peterborough]"),
            empty("cost", "free, paid or mixed"),
            empty("logo", "an image beside this file, e.g. logo.png"),
            empty("logo_alt", "required with a logo: what it shows"),
        ],
        Collection::Resource => vec![
            empty(
                "kind",
                "required: guidance, lesson-plan, e-learning, training, policy, programme or video",
            ),
            empty("url", "required (or file): https://..."),
            empty("file", "or a file beside this one, e.g. policy.pdf"),
            empty("publisher", ""),
            empty("published", "YYYY, YYYY-MM or YYYY-MM-DD"),
            empty("partner", "a partner's file name without .md"),
            empty("access", "open, passcode or on-request"),
            empty("cost", "free, paid or mixed"),
        ],
        Collection::Event => vec![
            empty("starts", "required: date and time, e.g. 2027-03-04T09:30"),
            empty("ends", ""),
            empty("location", ""),
            empty("booking_url", "https://..."),
            empty("partner", "a partner's file name without .md"),
        ],
    }
}

/// A YAML double-quoted string: any title is safe in it.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> DateTime {
        DateTime::parse("2026-11-23").expect("date")
    }

    #[test]
    fn a_page_lists_the_common_fields_filled_or_empty() {
        assert_eq!(
            front_matter(Collection::Page, "Online safety: a guide", today()),
            "---\n\
             title: \"Online safety: a guide\"\n\
             summary:               # one or two sentences for listings and search results\n\
             date: 2026-11-23\n\
             review_by: 2027-11-23  # the date to check this page is still right\n\
             topics: []             # slugs from `topics:` in site.yaml\n\
             audiences: []          # staff, parents, pupils, governors\n\
             key_stages: []         # EYFS, KS1, KS2, KS3, KS4, KS5\n\
             sensitive: false       # true for pages about abuse, exploitation or self-harm\n\
             ---\n\n"
        );
    }

    #[test]
    fn required_fields_of_a_kind_are_marked() {
        let event = front_matter(Collection::Event, "Network meeting", today());
        assert!(
            event.contains("\nstarts:                # required: date and time"),
            "{event}"
        );
        let resource = front_matter(Collection::Resource, "Rise Above", today());
        assert!(
            resource.contains("\nkind:                  # required: "),
            "{resource}"
        );
    }

    #[test]
    fn every_new_document_is_valid_front_matter_for_its_kind() {
        let config = crate::source::config::parse("title: T\nbase_url: https://x.example/\n")
            .expect("config");
        for (collection, key) in [
            (Collection::Page, "a.md"),
            (Collection::Partner, "partners/a.md"),
        ] {
            let text = front_matter(collection, "A \"quoted\" \\ title", today());
            let source = crate::source::discover::SourceDocument {
                key: key.into(),
                file: PathBuf::from("content").join(key),
                bytes: text.into_bytes(),
            };
            let d = crate::source::document::parse(&source, &config).expect("valid document");
            assert_eq!(d.meta.title, "A \"quoted\" \\ title");
        }
    }

    #[test]
    fn titles_that_cannot_name_a_file_are_refused() {
        let checked = |title| checked_title(title, Collection::Page);
        assert!(checked("  ???  ").is_err());
        assert!(checked("Line\nbreak").is_err());
        assert!(checked("2027").is_err());
        assert_eq!(
            checked(" Road safety ").expect("a good title"),
            "Road safety"
        );
        assert_eq!(
            checked("Meeting 2027").expect("a good title"),
            "Meeting 2027"
        );
    }
}
