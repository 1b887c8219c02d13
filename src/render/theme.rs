//! Loading the theme: its tera templates and its static files.
//!
//! Entry point: [`load`]. The theme named in site.yaml comes from
//! `themes/<name>/` under the site root; a site without that folder uses the
//! default theme compiled into bounce. Files in the site's own `templates/` and
//! `static/` folders replace the theme's files of the same name. These folders
//! are read as `content/` is: one that is a symbolic link out of the site is
//! refused, and links inside one that lead out of it are skipped with a warning.
//!
//! The theme's CSS and JS files are written under names with a hash of their
//! content (`style.3f2a9c1b.css`), so that a server may tell browsers to keep
//! them for ever: a changed file gets a new name. Templates reach them through
//! `asset(path="style.css")`. A site's own `static/` files keep their names, as
//! other pages may link to them by name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::foundation::diagnostic::Diagnostic;
use crate::source::config::Config;
use crate::source::discover;

pub(crate) static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Disk(PathBuf),
    BuiltIn(&'static [u8]),
}

/// A file of the theme's `static/` folder, copied to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticFile {
    /// Path under the output root, `/`-separated: `style.3f2a9c1b.css`,
    /// `images/logo.png`.
    pub(crate) path: String,
    pub(crate) origin: Origin,
}

/// The templates' files and texts, to point messages at the right line.
pub(crate) struct TemplateFiles {
    /// Template name → file shown in messages (`themes/default/templates/page.html`).
    files: BTreeMap<String, String>,
    /// Template name → its text.
    texts: BTreeMap<String, String>,
}

/// The compiled templates, with their files, and the static files.
pub(crate) struct Theme {
    pub(crate) tera: Tera,
    pub(crate) templates: TemplateFiles,
    pub(crate) static_files: Vec<StaticFile>,
}

/// What [`load`] makes: the theme, or why it cannot be used; and warnings
/// that do not stop a build (links in its folders that were skipped).
pub(crate) struct Load {
    pub(crate) theme: Result<Theme, Vec<Diagnostic>>,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Loads the theme and the site's overrides, and compiles the templates.
pub(crate) fn load(root: &Path, config: &Config) -> Load {
    let mut folders = Folders {
        root,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let theme = read_files(&mut folders, config).and_then(|files| compile(config, files));
    Load {
        theme,
        warnings: folders.warnings,
    }
}

/// The templates and static files of a theme and of the site's overrides.
#[derive(Default)]
struct Files {
    /// Name → (file shown in messages, text).
    templates: BTreeMap<String, (String, String)>,
    statics: BTreeMap<String, Origin>,
    /// The theme's CSS and JS files → their fingerprinted names.
    names: BTreeMap<String, String>,
}

/// Reads the theme's folders (or the built-in theme) and the site's own
/// `templates/` and `static/`.
fn read_files(folders: &mut Folders, config: &Config) -> Result<Files, Vec<Diagnostic>> {
    let shown = format!("themes/{}", config.theme);
    let mut files = Files::default();
    if let Some(problem) = discover::outside_root(folders.root, &shown) {
        return Err(vec![problem]);
    }
    if folders.root.join(&shown).is_dir() {
        let templates = folders.files(&format!("{shown}/templates"));
        read_templates(
            templates,
            &shown,
            &mut files.templates,
            &mut folders.problems,
        );
        read_statics(
            folders.files(&format!("{shown}/static")),
            &mut files.statics,
        );
    } else if config.theme == "default" {
        built_in(&mut files.templates, &mut files.statics);
    } else {
        return Err(vec![Diagnostic::error(format!(
            "there is no theme folder `themes/{}`",
            config.theme
        ))
        .in_file(crate::source::config::FILE_NAME)
        .with_hint("create the folder, or remove `theme:` from site.yaml to use the built-in default theme")]);
    }
    let templates = folders.files("templates");
    read_templates(templates, "", &mut files.templates, &mut folders.problems);
    files.names = fingerprinted_names(&files.statics);
    let mut own = BTreeMap::new();
    read_statics(folders.files("static"), &mut own);
    for (name, origin) in own {
        files.names.remove(&name);
        files.statics.insert(name, origin);
    }
    if folders.problems.is_empty() {
        Ok(files)
    } else {
        Err(std::mem::take(&mut folders.problems))
    }
}

/// Compiles the templates.
fn compile(config: &Config, files: Files) -> Result<Theme, Vec<Diagnostic>> {
    let Files {
        templates,
        statics,
        names,
    } = files;
    let mut tera = Tera::new();
    register_helpers(&mut tera, config, names.clone());
    let added =
        tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())));
    let (files, texts) = templates
        .into_iter()
        .map(|(name, (file, text))| ((name.clone(), file), (name, text)))
        .unzip();
    let templates = TemplateFiles { files, texts };
    if let Err(e) = added {
        return Err(templates.diagnostics(&e, None));
    }
    Ok(Theme {
        tera,
        templates,
        static_files: statics
            .into_iter()
            .map(|(name, origin)| StaticFile {
                path: names.get(&name).cloned().unwrap_or(name),
                origin,
            })
            .collect(),
    })
}

/// The site's folders the theme is read from, with what reading them found.
struct Folders<'a> {
    root: &'a Path,
    /// Errors: the theme cannot be used.
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Folders<'_> {
    /// Files below `<root>/<folder>` as (`/`-separated relative name, path):
    /// none if the folder leads out of the site (an error), and links inside
    /// it that lead out of it skipped with a warning.
    fn files(&mut self, folder: &str) -> Vec<(String, PathBuf)> {
        if let Some(problem) = discover::outside_root(self.root, folder) {
            self.problems.push(problem);
            return Vec::new();
        }
        let listing = discover::list(self.root, folder);
        for problem in listing.problems {
            if problem.is_error() {
                self.problems.push(problem);
            } else {
                self.warnings.push(problem);
            }
        }
        listing
            .files
            .into_iter()
            .map(|f| (discover::slash_path(&f.relative), f.path))
            .collect()
    }
}

impl TemplateFiles {
    /// A tera error as diagnostics at the templates' files and lines (checking the
    /// templates can find several problems at once); `page` names the document
    /// being rendered, when there is one.
    pub(crate) fn diagnostics(&self, error: &tera::Error, page: Option<&str>) -> Vec<Diagnostic> {
        let during = page
            .map(|p| format!(" while rendering {p}"))
            .unwrap_or_default();
        if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = error.kind() {
            let span = r.span();
            return vec![self.located(
                r.message(),
                r.filename(),
                span.start_line,
                span.start_col + 1,
                &during,
            )];
        }
        let mut message = error.to_string();
        let mut cause = std::error::Error::source(error);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        // Checks of the whole set (unknown filters, ...) come as text holding
        // one tera report per problem: `error: ...` then ` --> name:line:col`.
        let located: Vec<Diagnostic> = reports(&message)
            .into_iter()
            .map(|(what, name, line, column)| self.located(what, name, line, column, &during))
            .collect();
        if !located.is_empty() {
            return located;
        }
        vec![
            Diagnostic::error(format!("template problem{during}: {message}")).with_hint(
                "check the theme's templates; see themes/README.md for the variables each receives",
            ),
        ]
    }

    /// Whether `template`, or any template it extends, includes or imports,
    /// mentions the word `name` (a variable such as `collections`). The
    /// incremental rebuild uses this to re-render only the pages that can show
    /// a changed value; a mention in a comment counts too, which errs on the
    /// side of rendering.
    pub(crate) fn mentions(&self, template: &str, name: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut queue = vec![template];
        while let Some(t) = queue.pop() {
            if !seen.insert(t) {
                continue;
            }
            let Some(text) = self.texts.get(t) else {
                continue;
            };
            if has_word(text, name) {
                return true;
            }
            queue.extend(
                referenced_names(text)
                    .filter_map(|n| self.texts.get_key_value(n).map(|(k, _)| k.as_str())),
            );
        }
        false
    }

    /// The file of a template, as messages show it (`templates/page.html`).
    pub(crate) fn file(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// Whether any template mentions the word `name`.
    pub(crate) fn any_mentions(&self, name: &str) -> bool {
        self.texts.values().any(|text| has_word(text, name))
    }

    fn located(
        &self,
        what: &str,
        name: &str,
        line: usize,
        column: usize,
        during: &str,
    ) -> Diagnostic {
        let file = self
            .files
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string());
        let text = self.texts.get(name).map(String::as_str).unwrap_or_default();
        Diagnostic::error(format!("template `{name}`{during}: {what}"))
            .in_file(file)
            .at(text, line.max(1), column)
            .with_hint("see themes/README.md for the variables each template receives")
    }
}

/// The (message, template, line, column) of each report in tera's text.
fn reports(text: &str) -> Vec<(&str, &str, usize, usize)> {
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(place)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line = parts.next().and_then(|l| l.parse().ok());
            if let (Some(column), Some(line), Some(name)) = (column, line, parts.next()) {
                found.push((m, name, line, column));
            }
            message = None;
        }
    }
    found
}

fn built_in(
    templates: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, Origin>,
) {
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        for file in dir_files(dir) {
            let name = relative_name(file.path(), "templates");
            if let Some(text) = file.contents_utf8() {
                templates.insert(
                    name.clone(),
                    (
                        format!("(built-in default theme) templates/{name}"),
                        text.to_string(),
                    ),
                );
            }
        }
    }
    if let Some(dir) = DEFAULT_THEME.get_dir("static") {
        for file in dir_files(dir) {
            statics.insert(
                relative_name(file.path(), "static"),
                Origin::BuiltIn(file.contents()),
            );
        }
    }
}

fn dir_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(dir_files(sub));
    }
    files
}

fn relative_name(path: &Path, prefix: &str) -> String {
    discover::slash_path(path.strip_prefix(prefix).unwrap_or(path))
}

/// Reads the `*.html` and `*.xml` templates among `found`; `shown` is the
/// theme's folder as messages name it (empty for the site's own).
fn read_templates(
    found: Vec<(String, PathBuf)>,
    shown: &str,
    templates: &mut BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    for (name, path) in found {
        if !name.ends_with(".html") && !name.ends_with(".xml") {
            continue;
        }
        let file = discover::join(shown, &format!("templates/{name}"));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                templates.insert(name, (file, text));
            }
            Err(e) => problems.push(
                Diagnostic::error(format!("cannot read this template: {e}"))
                    .in_file(file)
                    .with_hint("templates must be UTF-8 text files"),
            ),
        }
    }
}

fn read_statics(found: Vec<(String, PathBuf)>, statics: &mut BTreeMap<String, Origin>) {
    for (name, path) in found {
        statics.insert(name, Origin::Disk(path));
    }
}

/// The output names of the theme's CSS and JS files: `style.css` →
/// `style.3f2a9c1b.css`. A file that cannot be read keeps its name (copying it
/// will report the problem).
fn fingerprinted_names(statics: &BTreeMap<String, Origin>) -> BTreeMap<String, String> {
    statics
        .iter()
        .filter(|(name, _)| name.ends_with(".css") || name.ends_with(".js"))
        .filter_map(|(name, origin)| {
            let hash = match origin {
                Origin::BuiltIn(bytes) => fnv1a(bytes),
                Origin::Disk(path) => fnv1a(&std::fs::read(path).ok()?),
            };
            let (stem, extension) = name.rsplit_once('.')?;
            Some((name.clone(), format!("{stem}.{hash:08x}.{extension}")))
        })
        .collect()
}

/// The 32-bit FNV-1a hash. Fingerprints must be the same on every machine and
/// with every Rust version, which std's `DefaultHasher` does not promise; FNV
/// is a few lines, and for telling versions of a file apart (not security) 32
/// bits are plenty.
pub(crate) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The `date_text` filter and the `asset` function described in themes/README.md;
/// `names` maps the theme's fingerprinted files to their output names.
fn register_helpers(tera: &mut Tera, config: &Config, names: BTreeMap<String, String>) {
    tera.register_filter(
        "date_text",
        |value: &str, _: tera::Kwargs, _: &tera::State| crate::foundation::dates::human(value),
    );
    tera.register_filter(
        "date_range",
        |value: &str, kwargs: tera::Kwargs, _: &tera::State| {
            let end: Option<String> = kwargs.get("end")?;
            Ok::<String, tera::Error>(match end {
                Some(end) => date_range(value, &end),
                None => crate::foundation::dates::human(value),
            })
        },
    );
    tera.register_filter(
        "urlencode",
        |value: &str, _: tera::Kwargs, _: &tera::State| urlencode(value),
    );
    let base_path = config.base_path.clone();
    tera.register_function("asset", move |kwargs: tera::Kwargs, _: &tera::State| {
        let path: String = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        let path = names.get(path).map_or(path, String::as_str);
        Ok::<String, tera::Error>(format!("{base_path}{path}"))
    });
}

/// `Thursday 10 October 2019, 9:30am to 3:30pm` on one day; both dates in full
/// otherwise.
fn date_range(start: &str, end: &str) -> String {
    use crate::foundation::dates::DateTime;
    let (Some(s), Some(e)) = (DateTime::parse(start), DateTime::parse(end)) else {
        return format!(
            "{} to {}",
            crate::foundation::dates::human(start),
            crate::foundation::dates::human(end)
        );
    };
    let end_text = e.human();
    match end_text.rsplit_once(", ") {
        Some((_, time)) if s.date_only() == e.date_only() && s.time.is_some() => {
            format!("{} to {time}", s.human())
        }
        _ if s == e => s.human(),
        _ => format!("{} to {end_text}", s.human()),
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for values
/// put into a query string.
fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether `text` has `word` with no identifier character either side.
fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(at, _)| {
        !is_ident(text[..at].chars().next_back())
            && !is_ident(text[at + word.len()..].chars().next())
    })
}

/// The quoted strings inside `{% ... %}` tags: the names a template extends,
/// includes or imports (and other strings, which name no template).
fn referenced_names(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%").skip(1).flat_map(|tag| {
        let tag = tag.split("%}").next().unwrap_or_default();
        tag.split(['"', '\'']).skip(1).step_by(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tera_reports_are_split_into_locations() {
        let text = "error: Unknown filter `shout`\n --> page.html:1:21\n  |\n1 | x\n\nerror: Unknown filter `b`\n --> partials/a.html:3:2\n";
        assert_eq!(
            reports(text),
            [
                ("Unknown filter `shout`", "page.html", 1, 21),
                ("Unknown filter `b`", "partials/a.html", 3, 2)
            ]
        );
    }

    #[test]
    fn date_ranges_read_as_one_phrase() {
        assert_eq!(
            date_range("2019-10-10T09:30", "2019-10-10T15:30"),
            "Thursday 10 October 2019, 9:30am to 3:30pm"
        );
        assert_eq!(
            date_range("2019-10-10T09:30", "2019-10-11T15:30"),
            "Thursday 10 October 2019, 9:30am to Friday 11 October 2019, 3:30pm"
        );
        assert_eq!(
            date_range("2019-10-10", "2019-10-11"),
            "10 October 2019 to 11 October 2019"
        );
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn css_and_js_names_carry_their_hash() {
        let statics = BTreeMap::from([
            ("style.css".to_string(), Origin::BuiltIn(b"a")),
            ("js/exit.js".to_string(), Origin::BuiltIn(b"")),
            ("logo.png".to_string(), Origin::BuiltIn(b"png")),
        ]);
        assert_eq!(
            fingerprinted_names(&statics),
            BTreeMap::from([
                ("js/exit.js".to_string(), "js/exit.811c9dc5.js".to_string()),
                ("style.css".to_string(), "style.e40c292c.css".to_string()),
            ])
        );
    }

    #[test]
    fn urlencode_escapes_query_characters() {
        assert_eq!(
            urlencode("https://x.example/a b/?q=1&r=é"),
            "https%3A%2F%2Fx.example%2Fa%20b%2F%3Fq%3D1%26r%3D%C3%A9"
        );
    }
}
