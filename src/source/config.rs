//! `site.yaml`: the site's configuration, loaded into a typed [`Config`].
//!
//! Entry points: [`load`] reads the file, [`parse`] is the pure part. Unknown keys
//! are errors with a "did you mean" hint, as in front matter.

use std::path::Path;

use serde::Deserialize;

use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::slug::is_safe_segment;
use crate::source::branding::{self, Branding, RawBranding};
use crate::source::yaml::Source;

/// The configuration file's name at the site root.
pub(crate) const FILE_NAME: &str = "site.yaml";

/// The top-level keys site.yaml may have (the guide's reference lists them).
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "topics",
    "reading_age",
    "feedback_url",
    "help",
    "allow_unsafe_html",
    "extra",
    "lint",
    "organisation",
    "logo",
    "logo_alt",
    "brand_colour",
    "footer",
    "notice",
    "passcodes",
    "search",
];

/// A contact shown in the "Get help now" block of sensitive pages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HelpContact {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) text: Option<String>,
}

/// A group of passcode-protected material (`passcodes:` in site.yaml): where
/// the build reads its passcodes, and what readers are told to get one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasscodeGroup {
    #[serde(skip)]
    pub(crate) name: String,
    /// The environment variable holding the passcodes, one per line.
    pub(crate) env: String,
    /// How to get a passcode, shown beside the passcode form.
    #[serde(default)]
    pub(crate) ask: Option<String>,
}

/// `search:` in site.yaml: what the search page's index knows beyond the
/// documents' own words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Search {
    /// A word readers search for, and the words it stands for (`CSE: child
    /// sexual exploitation`); read lower-cased.
    #[serde(default)]
    pub(crate) synonyms: std::collections::BTreeMap<String, String>,
}

/// A topic declared in site.yaml: documents may only use declared topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Topic {
    pub(crate) slug: String,
    pub(crate) title: String,
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// Absolute, always ending in `/`.
    pub(crate) base_url: String,
    /// The path part of `base_url`: `/` or `/healthy-schools/`.
    pub base_path: String,
    pub(crate) language: String,
    pub(crate) theme: String,
    /// In the order site.yaml lists them.
    pub(crate) topics: Vec<Topic>,
    pub(crate) reading_age: Option<u32>,
    pub(crate) feedback_url: Option<String>,
    pub(crate) help: Vec<HelpContact>,
    /// Lets raw HTML in markdown through unsanitised (scripts included).
    pub(crate) allow_unsafe_html: bool,
    pub(crate) extra: serde_json::Value,
    /// Lints silenced for every document (`lint: { allow: [...] }`).
    pub(crate) lint_allow: Vec<crate::source::allow::Code>,
    /// Organisation, logo, brand colour, footer and notice.
    pub(crate) branding: Branding,
    /// The passcode groups, by name, in the order site.yaml lists them.
    pub(crate) passcodes: Vec<PasscodeGroup>,
    pub(crate) search: Search,
}

#[derive(Deserialize)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    topics: Option<serde_yaml::Mapping>,
    reading_age: Option<u32>,
    feedback_url: Option<String>,
    help: Option<Vec<HelpContact>>,
    allow_unsafe_html: Option<bool>,
    extra: Option<serde_json::Value>,
    lint: Option<crate::source::allow::RawSettings>,
    organisation: Option<branding::Organisation>,
    logo: Option<String>,
    logo_alt: Option<String>,
    brand_colour: Option<String>,
    footer: Option<branding::Footer>,
    notice: Option<branding::Notice>,
    passcodes: Option<serde_yaml::Mapping>,
    search: Option<Search>,
}

impl Config {
    pub(crate) fn topic(&self, slug: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.slug == slug)
    }

    pub(crate) fn passcode_group(&self, name: &str) -> Option<&PasscodeGroup> {
        self.passcodes.iter().find(|g| g.name == name)
    }

    /// Replaces the base URL (the `--base-url` option).
    pub(crate) fn with_base_url(mut self, url: &str) -> Result<Config, String> {
        let (base_url, base_path) = split_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(self)
    }
}

/// Reads `site.yaml` from the site root.
pub(crate) fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let bytes = std::fs::read(&path).map_err(|e| {
        vec![if e.kind() == std::io::ErrorKind::NotFound {
            no_site(root)
        } else {
            Diagnostic::error(format!("cannot read `{FILE_NAME}`: {e}"))
                .with_hint("run bounce in the folder of your site, or give it with `--root DIR`")
        }]
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            return Err(vec![
                Diagnostic::error(format!("`{FILE_NAME}` is not UTF-8 text"))
                    .in_file(FILE_NAME)
                    .with_hint("save the file as UTF-8 in your editor"),
            ]);
        }
    };
    let text = text.replace("\r\n", "\n");
    let config = parse(&text)?;
    match &config.branding.logo {
        Some(logo) => match branding::check_logo(root, &source(&text), logo) {
            Some(problem) => Err(vec![problem]),
            None => Ok(config),
        },
        None => Ok(config),
    }
}

/// The problem of a command run where there is no site: what is missing,
/// and how to find the site or make one.
pub(crate) fn no_site(root: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "there is no site in {}: it has no `{FILE_NAME}`",
        root.display()
    ))
    .with_hint("run bounce in your site's folder or give it with `--root DIR`; to start a new site, run `bounce init my-site`")
}

/// The text of site.yaml as a YAML source, for messages at its lines.
fn source(text: &str) -> Source<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Source {
        file: Path::new(FILE_NAME),
        file_text: text,
        yaml: text,
        first_line: 1,
    }
}

/// Parses and validates the text of `site.yaml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let source = source(text);
    let mapping = source.parse_mapping("site.yaml").map_err(|d| vec![d])?;
    let mut problems = source.unknown_keys(&mapping, KNOWN_KEYS, "site.yaml");
    let raw: RawConfig = match source.deserialize() {
        Ok(raw) => raw,
        Err(d) => {
            problems.push(d);
            return Err(problems);
        }
    };

    let title = title(&source, raw.title, &mut problems);
    let (base_url, base_path) = base_url(&source, raw.base_url.as_deref(), &mut problems);
    let topics = topics(&source, raw.topics.unwrap_or_default(), &mut problems);
    let help = raw.help.as_deref().unwrap_or_default();
    check_web_addresses(&source, raw.feedback_url.as_deref(), help, &mut problems);
    let (lint_allow, lint_problems) = crate::source::allow::allowed(&source, raw.lint.as_ref());
    problems.extend(lint_problems);
    let theme = theme(&source, raw.theme, &mut problems);
    let branding = RawBranding {
        organisation: raw.organisation,
        logo: raw.logo,
        logo_alt: raw.logo_alt,
        brand_colour: raw.brand_colour,
        footer: raw.footer,
        notice: raw.notice,
    };
    let branding = Branding::read(&source, branding, &mut problems);
    let passcodes = passcodes(&source, raw.passcodes.unwrap_or_default(), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        title: title.unwrap_or_default(),
        description: raw.description,
        base_url,
        base_path,
        language: raw.language.unwrap_or_else(|| "en-GB".into()),
        theme,
        topics,
        reading_age: raw.reading_age,
        feedback_url: raw.feedback_url,
        help: raw.help.unwrap_or_default(),
        allow_unsafe_html: raw.allow_unsafe_html.unwrap_or(false),
        extra: raw.extra.unwrap_or(serde_json::Value::Null),
        lint_allow,
        branding,
        passcodes,
        search: lower_cased(raw.search.unwrap_or_default()),
    })
}

/// The synonyms lower-cased, as the index and the search script compare them.
fn lower_cased(search: Search) -> Search {
    let synonyms = search.synonyms.into_iter();
    Search {
        synonyms: synonyms
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_lowercase()))
            .collect(),
    }
}

/// `title`, which must not be blank.
fn title(source: &Source, title: Option<String>, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let title = title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        problems.push(
            source
                .error_at_key("site.yaml needs a `title`", "title")
                .with_hint("add a line such as `title: Healthy Schools Resilience Network`"),
        );
    }
    title
}

/// `base_url` and its path part (see [`split_base_url`]); empty when it is
/// missing or not an address.
fn base_url(
    source: &Source,
    base_url: Option<&str>,
    problems: &mut Vec<Diagnostic>,
) -> (String, String) {
    match base_url.map(split_base_url) {
        Some(Ok(parts)) => parts,
        Some(Err(why)) => {
            problems.push(
                source
                    .error_at_key(format!("`base_url` {why}"), "base_url")
                    .with_hint("write the full address, e.g. `base_url: https://council.example/healthy-schools/`"),
            );
            Default::default()
        }
        None => {
            problems.push(
                source
                    .error_at_key("site.yaml needs a `base_url`", "base_url")
                    .with_hint("add the address the site will live at, e.g. `base_url: https://council.example/healthy-schools/`"),
            );
            Default::default()
        }
    }
}

/// `feedback_url` and each help contact's `url` must be web addresses.
fn check_web_addresses(
    source: &Source,
    feedback_url: Option<&str>,
    help: &[HelpContact],
    problems: &mut Vec<Diagnostic>,
) {
    let feedback = feedback_url.map(|u| ("feedback_url", u));
    let help = help
        .iter()
        .filter_map(|h| h.url.as_deref())
        .map(|u| ("help", u));
    for (key, url) in feedback.into_iter().chain(help) {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(
                source
                    .error_at_value(format!("`{url}` is not a web address"), key, url)
                    .with_hint("write the full address, starting with https://"),
            );
        }
    }
}

/// The theme's folder name under themes/ (`default` unless set).
fn theme(source: &Source, theme: Option<String>, problems: &mut Vec<Diagnostic>) -> String {
    let theme = theme.unwrap_or_else(|| "default".into());
    if !is_safe_segment(&theme) {
        problems.push(
            source
                .error_at_key(
                    format!("`theme` must be a folder name under themes/, not `{theme}`"),
                    "theme",
                )
                .with_hint("write just the theme's folder name, e.g. `theme: default`"),
        );
    }
    theme
}

fn topics(
    source: &Source,
    mapping: serde_yaml::Mapping,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Topic> {
    let mut topics = Vec::new();
    for (slug, title) in mapping {
        let (Some(slug), Some(title)) = (slug.as_str(), title.as_str()) else {
            problems.push(
                source
                    .error_at_key("each topic needs a slug and a title", "topics")
                    .with_hint("write topics as `slug: Title` lines, e.g. `  online-safety: Online safety`"),
            );
            continue;
        };
        if slug != crate::foundation::slug::slugify(slug) {
            problems.push(
                source
                    .error_at_key(
                        format!("topic slug `{slug}` is not a safe URL segment"),
                        "topics",
                    )
                    .with_hint(format!(
                        "use lower-case letters, digits and hyphens, e.g. `{}`",
                        crate::foundation::slug::slugify(slug)
                    )),
            );
            continue;
        }
        topics.push(Topic {
            slug: slug.to_string(),
            title: title.to_string(),
        });
    }
    topics
}

/// `passcodes:`, a map from group name to its `env` and `ask`.
fn passcodes(
    source: &Source,
    mapping: serde_yaml::Mapping,
    problems: &mut Vec<Diagnostic>,
) -> Vec<PasscodeGroup> {
    let hint = "write each group as `schools:` with the lines `    env: SCHOOLS_PASSCODE` and `    ask: Email ... for the passcode.` below it";
    let mut groups = Vec::new();
    for (name, group) in mapping {
        let parsed = name
            .as_str()
            .zip(serde_yaml::from_value::<PasscodeGroup>(group).ok());
        let Some((name, mut group)) = parsed else {
            problems.push(
                source
                    .error_at_key("each passcode group needs a name and an `env`", "passcodes")
                    .with_hint(hint),
            );
            continue;
        };
        if !is_safe_segment(name) {
            problems.push(
                source
                    .error_at_value(
                        format!("passcode group `{name}` is not a simple name"),
                        "passcodes",
                        name,
                    )
                    .with_hint("use lower-case letters, digits and hyphens, e.g. `schools`"),
            );
        }
        let variable = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
        if group.env.is_empty() || !group.env.chars().all(variable) {
            problems.push(source.error_at_value(format!("`env` must name an environment variable, not `{}`", group.env), "passcodes", &group.env).with_hint("use capitals, digits and `_`, e.g. `env: SCHOOLS_PASSCODE`; the passcodes themselves never go in site.yaml"));
        }
        group.name = name.to_string();
        groups.push(group);
    }
    groups
}

/// Splits a base URL into its normalised form (ending in `/`) and its path.
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("must start with `https://` or `http://`, but it is `{url}`"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("has no host name: `{url}`"));
    }
    if url.contains(['?', '#', ' ']) {
        return Err(format!(
            "must be a plain address without `?`, `#` or spaces: `{url}`"
        ));
    }
    let path = match rest.find('/') {
        Some(i) => &rest[i..],
        None => "/",
    };
    let path = format!("{}/", path.trim_end_matches('/'));
    let host_end = url.len() - rest.len() + rest.find('/').unwrap_or(rest.len());
    Ok((format!("{}{path}", &url[..host_end]), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path() {
        assert_eq!(
            split_base_url("https://council.example/healthy-schools"),
            Ok((
                "https://council.example/healthy-schools/".into(),
                "/healthy-schools/".into()
            ))
        );
        assert_eq!(
            split_base_url("http://localhost"),
            Ok(("http://localhost/".into(), "/".into()))
        );
        assert!(split_base_url("council.example").is_err());
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let problems = parse("title: T\nbase_url: https://x.example/\ntopcis:\n  a: A\n")
            .expect_err("topcis is misspelt");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "unknown site.yaml field `topcis`");
        assert_eq!(problems[0].line, Some(3));
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `topics`?"));
    }

    #[test]
    fn missing_title_and_base_url_are_both_reported() {
        let problems = parse("language: en-GB\n").expect_err("title and base_url missing");
        let messages: Vec<_> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["site.yaml needs a `title`", "site.yaml needs a `base_url`"]
        );
    }

    #[test]
    fn passcode_groups_name_a_variable_and_what_to_ask() {
        let config = parse("title: T\nbase_url: https://x.example/\npasscodes:\n  schools:\n    env: SCHOOLS_PASSCODE\n    ask: Email us.\n")
            .expect("valid config");
        let group = config.passcode_group("schools").expect("declared");
        assert_eq!(
            (group.env.as_str(), group.ask.as_deref()),
            ("SCHOOLS_PASSCODE", Some("Email us."))
        );
        let problems = parse("title: T\nbase_url: https://x.example/\npasscodes:\n  schools:\n    env: secret words\n")
            .expect_err("not a variable name");
        assert_eq!(
            problems[0].message,
            "`env` must name an environment variable, not `secret words`"
        );
        assert_eq!(problems[0].line, Some(5));
    }

    #[test]
    fn topics_keep_their_order() {
        let config = parse(
            "title: T\nbase_url: https://x.example/\ntopics:\n  zeta: Zeta\n  alpha: Alpha\n",
        )
        .expect("valid config");
        let slugs: Vec<_> = config.topics.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["zeta", "alpha"]);
    }
}
