//! `bounce init DIR`: a new, working site from files compiled into the binary,
//! so that `cargo install` alone is enough.
//!
//! It also writes a `.gitignore` ([`GITIGNORE`]) so that a site kept in git
//! never commits its output, the preview of `bounce serve` (whose links
//! point at the editor's computer) or the folders a build writes beside them.
//!
//! Entry point: [`create`]. The starter (`src/scaffold/starter/`: site.yaml and a
//! small content folder with one document of each kind) uses the default theme
//! built into bounce; `--copy-theme` also writes that theme into
//! `themes/default/` for a site that wants to change it. Dates in the starter
//! are written relative to today (`{{today}}`, `{{review_by}}`,
//! `{{event_starts}}`, `{{event_ends}}`), so a new site passes
//! `bounce check --strict` whenever it is made. Only an empty or missing folder
//! is used.

use std::path::{Path, PathBuf};

use include_dir::{Dir, File, include_dir};

use super::{Refusal, a_year_after, io_problem};
use crate::foundation::dates::DateTime;
use crate::foundation::diagnostic::Diagnostic;
use crate::source::discover::is_ignored;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/starter");

/// The new site's `.gitignore`. Kept here, not in the starter folder, whose
/// hidden files are left out like an editor's temporary files.
pub(crate) const GITIGNORE: &str = "\
# Written by bounce init: folders bounce writes, which never belong in git.
# The built site: upload it to the web server, do not commit it.
/output/
# The preview of `bounce serve`: its links point at your computer.
/.bounce-serve/
# Folders a build uses beside them while it writes (removed when it ends).
/output.bounce-*/
/.bounce-serve.bounce-*/
";

/// What to create.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    /// Also write the built-in default theme into `themes/default/`.
    pub copy_theme: bool,
    pub today: DateTime,
    /// The day of the starter's upcoming event.
    pub event_day: DateTime,
}

/// Writes the starter site into `dir` and returns how many files it wrote.
pub fn create(options: &Options) -> Result<usize, Refusal> {
    check_empty(&options.dir)?;
    let mut files = starter_files(options.today, options.event_day);
    files.push((".gitignore".to_string(), GITIGNORE.as_bytes().to_vec()));
    if options.copy_theme {
        files.extend(theme_files());
    }
    for (relative, bytes) in &files {
        let path = options.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Refusal::refused(io_problem("create the folder", parent, &e)))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Refusal::refused(io_problem("write", &path, &e)))?;
    }
    Ok(files.len())
}

/// A missing folder is fine (it is created); a file, or a folder with anything
/// in it (hidden files too), is refused.
fn check_empty(dir: &Path) -> Result<(), Refusal> {
    let shown = dir.display();
    let mut entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(Refusal::usage(
                Diagnostic::error(format!("`{shown}` is a file, not a folder"))
                    .with_hint("give the name of a new folder for the site"),
            ));
        }
        Err(e) => return Err(Refusal::refused(io_problem("read the folder", dir, &e))),
        Ok(entries) => entries,
    };
    if entries.next().is_some() {
        return Err(Refusal::refused(
            Diagnostic::error(format!("`{shown}` is not empty"))
                .with_hint("bounce init only writes into a new or empty folder, so that nothing of yours is replaced; give the name of a new folder"),
        ));
    }
    Ok(())
}

/// The starter's files (path relative to the site, contents), dates filled in.
pub(crate) fn starter_files(today: DateTime, event_day: DateTime) -> Vec<(String, Vec<u8>)> {
    let today = today.date_only();
    let event_day = event_day.date_only();
    let at = |hour, minute| DateTime {
        time: Some((hour, minute)),
        ..event_day
    };
    let dates = [
        ("{{today}}", today.to_string()),
        ("{{review_by}}", a_year_after(today).to_string()),
        ("{{event_starts}}", at(15, 45).to_string()),
        ("{{event_ends}}", at(17, 15).to_string()),
    ];
    files_of(&STARTER, "")
        .into_iter()
        .map(|(path, file)| {
            let bytes = match file.contents_utf8() {
                Some(text) if path.ends_with(".md") || path.ends_with(".yaml") => dates
                    .iter()
                    .fold(text.to_string(), |t, (placeholder, date)| {
                        t.replace(placeholder, date)
                    })
                    .into_bytes(),
                _ => file.contents().to_vec(),
            };
            (path, bytes)
        })
        .collect()
}

/// The built-in default theme, under `themes/default/`.
fn theme_files() -> Vec<(String, Vec<u8>)> {
    files_of(&crate::render::theme::DEFAULT_THEME, "themes/default/")
        .into_iter()
        .map(|(path, file)| (path, file.contents().to_vec()))
        .collect()
}

/// Every file of an embedded folder with its `/`-separated path after `prefix`,
/// sorted; hidden and editors' temporary files are left out.
fn files_of<'a>(dir: &'a Dir<'a>, prefix: &str) -> Vec<(String, &'a File<'a>)> {
    let mut files: Vec<(String, &File)> = dir
        .files()
        .filter(|f| {
            f.path()
                .file_name()
                .is_some_and(|n| !is_ignored(&n.to_string_lossy()))
        })
        .map(|f| {
            let name = crate::source::discover::slash_path(f.path());
            (format!("{prefix}{name}"), f)
        })
        .collect();
    for sub in dir.dirs() {
        files.extend(files_of(sub, prefix));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_has_a_site_yaml_and_dates_from_today() {
        let today = DateTime::parse("2026-11-23").expect("date");
        let event_day = DateTime::parse("2027-01-18").expect("date");
        let files = starter_files(today, event_day);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"site.yaml"), "{names:?}");
        assert!(names.contains(&"content/_index.md"), "{names:?}");
        let all: String = files
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert!(!all.contains("{{"), "every placeholder is filled");
        assert!(all.contains("review_by: 2027-11-23"));
        assert!(all.contains("starts: 2027-01-18T15:45"));
    }

    #[test]
    fn the_theme_is_copied_under_themes_default() {
        let files = theme_files();
        assert!(
            files
                .iter()
                .any(|(p, _)| p == "themes/default/templates/page.html")
        );
        assert!(files.iter().all(|(p, _)| p.starts_with("themes/default/")));
    }
}
