//! A validated document: one `.md` file's front matter checked and typed, its
//! body kept for the markdown stage.
//!
//! Entry point: [`parse`], pure: from the file's bytes and the site config to a
//! [`Document`] or every problem found in the file. Checks that need other
//! documents (partner references, duplicate URLs, links) belong to `site`.

use std::ops::Range;
use std::path::PathBuf;

use crate::foundation::dates::{DateTime, PartialDate};
use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::slug::{is_safe_segment, slugify};
use crate::foundation::suggest::nearest;
use crate::source::config::Config;
use crate::source::discover::SourceDocument;
use crate::source::frontmatter::{self, Collection, RawFrontMatter};
use crate::source::yaml::{Source, Text};

/// The audiences a document may be for: slug and title.
pub(crate) const AUDIENCES: &[(&str, &str)] = &[
    ("staff", "Staff"),
    ("parents", "Parents and carers"),
    ("pupils", "Pupils"),
    ("governors", "Governors"),
];
/// Key stages: as written in front matter, and title.
pub(crate) const KEY_STAGES: &[(&str, &str)] = &[
    ("EYFS", "Early years (EYFS)"),
    ("KS1", "Key stage 1"),
    ("KS2", "Key stage 2"),
    ("KS3", "Key stage 3"),
    ("KS4", "Key stage 4"),
    ("KS5", "Key stage 5 (16 to 19)"),
];
/// Kinds of resource: value and title.
pub(crate) const RESOURCE_KINDS: &[(&str, &str)] = &[
    ("guidance", "Guidance"),
    ("lesson-plan", "Lesson plan"),
    ("e-learning", "E-learning"),
    ("training", "Training"),
    ("policy", "Policy"),
    ("programme", "Programme"),
    ("video", "Video"),
];
pub(crate) const COSTS: &[&str] = &["free", "paid", "mixed"];
pub(crate) const ACCESS: &[&str] = &["open", "passcode", "on-request"];

/// How to declare a passcode group, for the errors that need one.
const ADD_PASSCODE_GROUP: &str = "add to site.yaml the lines `passcodes:`, `  schools:`, `    env: SCHOOLS_PASSCODE` and `    ask: Email healthyschools@council.example for the passcode.`, then give the build the passcode: export SCHOOLS_PASSCODE='...'";

/// Fields every document has.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) date: Option<DateTime>,
    pub(crate) updated: Option<DateTime>,
    pub(crate) review_by: Option<DateTime>,
    pub(crate) draft: bool,
    pub(crate) weight: Option<i64>,
    /// Root-relative paths without the base path, starting with `/`.
    pub(crate) aliases: Vec<String>,
    pub(crate) template: Option<String>,
    pub(crate) topics: Vec<String>,
    pub(crate) audiences: Vec<String>,
    pub(crate) key_stages: Vec<String>,
    pub(crate) sensitive: bool,
    pub(crate) extra: serde_json::Value,
    /// Lints silenced for this document (`lint: { allow: [...] }`).
    pub(crate) lint_allow: Vec<crate::source::allow::Code>,
    /// The passcode group (declared in site.yaml) that protects this
    /// resource, or, on a section, every document below it.
    pub(crate) passcode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Partner {
    pub(crate) website: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) areas: Vec<String>,
    pub(crate) cost: Option<String>,
    /// A file beside the document (resolved by `site`).
    pub(crate) logo: Option<String>,
    pub(crate) logo_alt: Option<String>,
}

/// Where a resource is: a web address, or a file beside its document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ResourceLink {
    Url(String),
    File(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resource {
    pub(crate) kind: &'static str,
    pub(crate) link: ResourceLink,
    pub(crate) publisher: Option<String>,
    pub(crate) published: Option<PartialDate>,
    /// Slug of a partner; checked to exist by `site`.
    pub(crate) partner: Option<String>,
    pub(crate) access: Option<String>,
    pub(crate) cost: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub(crate) starts: DateTime,
    pub(crate) ends: Option<DateTime>,
    pub(crate) location: Option<String>,
    pub(crate) booking_url: Option<String>,
    pub(crate) partner: Option<String>,
}

/// The fields of a document's own collection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fields {
    Page,
    Partner(Partner),
    Resource(Resource),
    Event(Event),
}

/// One document, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Path under `content/`: `partners/nspcc.md`. Documents refer to each other by key.
    pub key: String,
    /// Path from the site root, for messages.
    pub(crate) file: PathBuf,
    /// The whole file, UTF-8 with `\n` line endings.
    pub(crate) text: String,
    pub(crate) front_matter: Range<usize>,
    pub(crate) body: Range<usize>,
    pub(crate) body_first_line: usize,
    pub(crate) is_section: bool,
    /// Output path under the base path, `""` for home, else ending in `/`.
    pub(crate) url: String,
    /// The last segment of the URL: how partners are referred to.
    pub(crate) slug: String,
    pub(crate) meta: Meta,
    pub(crate) fields: Fields,
}

impl Document {
    pub(crate) fn collection(&self) -> Collection {
        match self.fields {
            Fields::Page => Collection::Page,
            Fields::Partner(_) => Collection::Partner,
            Fields::Resource(_) => Collection::Resource,
            Fields::Event(_) => Collection::Event,
        }
    }

    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// The slug of the partner a resource or event names (`partner:`); checked
    /// to exist by `site`, and found with [`crate::site::Site::partner`].
    pub(crate) fn partner_slug(&self) -> Option<&str> {
        match &self.fields {
            Fields::Resource(r) => r.partner.as_deref(),
            Fields::Event(e) => e.partner.as_deref(),
            Fields::Page | Fields::Partner(_) => None,
        }
    }

    /// Frees the markdown body once it is rendered and checked, keeping the
    /// front matter for messages: a build holds every document until its pages
    /// are written, and bodies are most of a document's size. [`Document::body`]
    /// is empty afterwards.
    pub(crate) fn forget_body(&mut self) {
        self.text.truncate(self.body.start);
        self.text.shrink_to_fit();
        self.body = self.body.start..self.body.start;
    }

    /// The front matter as a YAML source, for messages about its fields.
    pub(crate) fn yaml_source(&self) -> Source<'_> {
        Source {
            file: &self.file,
            file_text: &self.text,
            yaml: &self.text[self.front_matter.clone()],
            first_line: 2,
        }
    }

    /// The key of the folder this document is in (`partners/` for
    /// `partners/nspcc.md`, `""` at the top).
    pub(crate) fn folder(&self) -> &str {
        folder_of(&self.key)
    }

    /// The date listings sort and feeds stamp by.
    pub(crate) fn last_changed(&self) -> Option<DateTime> {
        self.meta.updated.or(self.meta.date)
    }
}

/// The folder part of a key, with its trailing `/`.
pub(crate) fn folder_of(key: &str) -> &str {
    key.rfind('/').map_or("", |i| &key[..=i])
}

/// Reads and validates one document.
pub fn parse(source: &SourceDocument, config: &Config) -> Result<Document, Vec<Diagnostic>> {
    let parsed = read(source, config);
    match parsed.document {
        Some(document) if parsed.problems.is_empty() => Ok(document),
        _ => Err(parsed.problems),
    }
}

/// A document as far as it could be read, and the problems of its file.
pub(crate) struct Parsed {
    /// None when the front matter could not be read at all; with problems,
    /// the fields that were valid (an unknown or bad field left out).
    pub(crate) document: Option<Document>,
    pub(crate) problems: Vec<Diagnostic>,
}

/// Reads and validates one document, keeping what is valid of a document
/// with problems: a partner with a misspelt field is still a partner that
/// resources name, a page that links point to, a member of its topics. Its
/// own problems are what to report, not one per document that refers to it.
pub(crate) fn read(source: &SourceDocument, config: &Config) -> Parsed {
    match validate(source, config) {
        Ok((document, problems)) => Parsed {
            document: Some(document),
            problems,
        },
        Err(problems) => Parsed {
            document: None,
            problems,
        },
    }
}

/// The document and its problems, or only problems when its front matter
/// cannot be read.
fn validate(
    source: &SourceDocument,
    config: &Config,
) -> Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>> {
    let in_file = |d: Diagnostic| d.in_file(&source.file);
    let text = decode(&source.bytes).map_err(|d| vec![in_file(d)])?;
    let parts = frontmatter::split(&text).map_err(|d| vec![in_file(d)])?;
    let front_matter = offset_in(&text, parts.yaml);
    let body = offset_in(&text, parts.body);
    let body_first_line = parts.body_first_line;

    let file_name = source.key.rsplit('/').next().unwrap_or(&source.key);
    let is_section = file_name == "_index.md";
    let collection = Collection::of_key(&source.key);
    let yaml = Source {
        file: &source.file,
        file_text: &text,
        yaml: &text[front_matter.clone()],
        first_line: parts.yaml_first_line,
    };
    let (raw, problems) = frontmatter::read(&yaml, collection, is_section);
    let Some(raw) = raw else {
        return Err(problems);
    };

    let mut checker = Checker {
        source: yaml,
        config,
        problems,
    };
    let meta = checker.meta(&raw, is_section);
    let fields = if is_section {
        Fields::Page
    } else {
        checker.fields(collection, &raw)
    };
    let (url, slug) = checker.url(&source.key, is_section, raw.slug.as_ref());
    let problems = checker.problems;
    let document = Document {
        key: source.key.clone(),
        file: source.file.clone(),
        front_matter,
        body,
        body_first_line,
        is_section,
        url,
        slug,
        meta,
        fields,
        text,
    };
    Ok((document, problems))
}

/// UTF-8 text with `\n` line endings and no byte-order mark.
fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        let mut d = Diagnostic::error("the file is not UTF-8 text")
            .with_hint("save it as UTF-8 in your editor (text pasted from old documents is often Windows-1252)");
        d.line = Some(line);
        d
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// The byte range of `part` (a slice of `whole`) within `whole`.
fn offset_in(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// How to fill in a required field: `what` goes after the key, as in
/// `example` (the whole line); `more` is said after the example.
struct Required<'a> {
    what: &'a str,
    example: &'a str,
    more: &'a str,
}

/// Collects the problems of one document while turning raw fields into typed ones.
struct Checker<'a> {
    source: Source<'a>,
    config: &'a Config,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = self.source.error_at_key(message, key).with_hint(hint);
        self.problems.push(d);
    }

    /// A required field that is empty or missing: at its line when it is
    /// there (`bounce new` writes required fields empty), else at the
    /// closing `---`; the hint shows the line to write.
    fn required(&mut self, key: &str, message: &str, required: Required) {
        let Required {
            what,
            example,
            more,
        } = required;
        let d = match self.source.key_line(key) {
            Some(line) => self.source.error_at(message, line, 1).with_hint(format!(
                "write {what} after `{key}:`, e.g. `{example}`{more}"
            )),
            None => {
                let closing = self.source.yaml.lines().count() + 1;
                self.source.error_at(message, closing, 1).with_hint(format!(
                    "add this line above the closing `---`: `{example}`{more}"
                ))
            }
        };
        self.problems.push(d);
    }

    /// A resource with neither `url` nor `file`: at the one written empty.
    fn no_link(&mut self) {
        let message = "a resource needs a `url` or a `file`";
        let url = Required {
            what: "the address",
            example: "url: https://www.example.org/guide",
            more: ", or a file beside this document as `file: guide.pdf`",
        };
        if self.source.key_line("url").is_none() && self.source.key_line("file").is_some() {
            let file = Required {
                what: "the name of a file beside this document",
                example: "file: guide.pdf",
                more: ", or a web address as `url: https://www.example.org/guide`",
            };
            self.required("file", message, file);
        } else {
            self.required("url", message, url);
        }
    }

    /// An error about one item of a list field, at the item's line.
    fn item_error(
        &mut self,
        key: &str,
        item: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = self
            .source
            .error_at_value(message, key, item)
            .with_hint(hint);
        self.problems.push(d);
    }

    fn meta(&mut self, raw: &RawFrontMatter, is_section: bool) -> Meta {
        let title = match raw.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => {
                self.required(
                    "title",
                    "the document has no `title`",
                    Required {
                        what: "the title",
                        example: "title: What is resilience?",
                        more: "",
                    },
                );
                String::new()
            }
        };
        Meta {
            title,
            summary: raw.summary.clone().filter(|s| !s.trim().is_empty()),
            date: self.date("date", raw.date.as_ref()),
            updated: self.date("updated", raw.updated.as_ref()),
            review_by: self.date("review_by", raw.review_by.as_ref()),
            draft: raw.draft.unwrap_or(false),
            weight: raw.weight,
            aliases: self.aliases(raw.aliases.as_deref().unwrap_or_default()),
            template: self.template(raw.template.as_deref()),
            topics: self.topics(raw.topics.as_deref().unwrap_or_default()),
            audiences: self.allowed_values(
                "audiences",
                raw.audiences.as_deref().unwrap_or_default(),
                AUDIENCES,
            ),
            key_stages: self.allowed_values(
                "key_stages",
                raw.key_stages.as_deref().unwrap_or_default(),
                KEY_STAGES,
            ),
            sensitive: raw.sensitive.unwrap_or(false),
            extra: raw.extra.clone().unwrap_or(serde_json::Value::Null),
            lint_allow: self.lint_allow(raw.lint.as_ref()),
            passcode: self.passcode(raw, is_section),
        }
    }

    /// The group `passcode:` names; for `access: passcode` without it, the
    /// site's only group.
    fn passcode(&mut self, raw: &RawFrontMatter, is_section: bool) -> Option<String> {
        let protected = raw.access.as_deref() == Some("passcode");
        match (raw.passcode.as_deref(), protected || is_section) {
            (None, false) => None,
            (Some(_), false) => {
                self.error(
                    "passcode",
                    "`passcode:` protects a resource only with `access: passcode`",
                    "add the line `access: passcode`, or remove `passcode:`",
                );
                None
            }
            (None, true) if is_section => None,
            (Some(name), true) => self.passcode_group(name),
            (None, true) => match self.config.passcodes.as_slice() {
                [only] => Some(only.name.clone()),
                [] => {
                    self.error(
                        "access",
                        "`access: passcode`, but site.yaml declares no passcode group",
                        ADD_PASSCODE_GROUP,
                    );
                    None
                }
                groups => {
                    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                    let hint = format!(
                        "say which group's passcode opens it: add `passcode: {}` (the groups are {})",
                        names[0],
                        names.join(", ")
                    );
                    self.error(
                        "access",
                        "site.yaml declares several passcode groups: which one protects this?",
                        hint,
                    );
                    None
                }
            },
        }
    }

    /// A group name from `passcode:`, which site.yaml must declare.
    fn passcode_group(&mut self, name: &str) -> Option<String> {
        if self.config.passcode_group(name).is_some() {
            return Some(name.to_string());
        }
        let declared = self.config.passcodes.iter().map(|g| g.name.as_str());
        let hint = match nearest(name, declared) {
            Some(near) => format!(
                "did you mean `{near}`? Groups are declared under `passcodes:` in site.yaml"
            ),
            None => ADD_PASSCODE_GROUP.replace("schools", name),
        };
        self.error(
            "passcode",
            format!("passcode group `{name}` is not declared in site.yaml"),
            hint,
        );
        None
    }

    fn lint_allow(
        &mut self,
        raw: Option<&crate::source::allow::RawSettings>,
    ) -> Vec<crate::source::allow::Code> {
        let (codes, problems) = crate::source::allow::allowed(&self.source, raw);
        self.problems.extend(problems);
        codes
    }

    fn fields(&mut self, collection: Collection, raw: &RawFrontMatter) -> Fields {
        match collection {
            Collection::Page => Fields::Page,
            Collection::Partner => Fields::Partner(self.partner(raw)),
            Collection::Resource => self.resource(raw).map_or(Fields::Page, Fields::Resource),
            Collection::Event => self.event(raw).map_or(Fields::Page, Fields::Event),
        }
    }

    fn partner(&mut self, raw: &RawFrontMatter) -> Partner {
        Partner {
            website: self.web_address("website", raw.website.as_deref()),
            email: self.email(raw.email.as_deref()),
            phone: raw.phone.as_ref().map(|p| p.0.clone()),
            address: raw.address.clone(),
            areas: raw.areas.clone().unwrap_or_default(),
            cost: self.one_of("cost", raw.cost.as_deref(), COSTS),
            logo: raw.logo.clone(),
            logo_alt: raw.logo_alt.clone(),
        }
    }

    fn resource(&mut self, raw: &RawFrontMatter) -> Option<Resource> {
        let kinds: Vec<&str> = RESOURCE_KINDS.iter().map(|(k, _)| *k).collect();
        let kind = match raw.kind.as_deref() {
            None => {
                let more = format!("; the kinds are {}", kinds.join(", "));
                self.required(
                    "kind",
                    "a resource needs a `kind`",
                    Required {
                        what: "the kind",
                        example: "kind: guidance",
                        more: &more,
                    },
                );
                None
            }
            Some(k) => self
                .one_of("kind", Some(k), &kinds)
                .and_then(|k| kinds.iter().find(|known| **known == k).copied()),
        };
        let link = match (&raw.url, &raw.file) {
            (Some(url), None) => self.web_address("url", Some(url)).map(ResourceLink::Url),
            (None, Some(file)) => Some(ResourceLink::File(file.clone())),
            (Some(_), Some(_)) => {
                self.error(
                    "file",
                    "a resource has either a `url` or a `file`, not both",
                    "keep `url` for a resource on another site, `file` for a file beside this document",
                );
                None
            }
            (None, None) => {
                self.no_link();
                None
            }
        };
        let published = raw.published.as_ref().and_then(|p| {
            let parsed = PartialDate::parse(&p.0);
            if parsed.is_none() {
                self.error(
                    "published",
                    format!("`published` is not a date: `{}`", p.0),
                    "write the year, year and month, or full date: `2015`, `2015-03` or `2015-03-18`",
                );
            }
            parsed
        });
        let access = self.one_of("access", raw.access.as_deref(), ACCESS);
        let cost = self.one_of("cost", raw.cost.as_deref(), COSTS);
        Some(Resource {
            kind: kind?,
            link: link?,
            publisher: raw.publisher.clone(),
            published,
            partner: raw.partner.clone(),
            access,
            cost,
        })
    }

    fn event(&mut self, raw: &RawFrontMatter) -> Option<Event> {
        let starts = match &raw.starts {
            Some(s) => self.date("starts", Some(s)),
            None => {
                self.required(
                    "starts",
                    "an event needs a `starts` date and time",
                    Required {
                        what: "the date and time",
                        example: "starts: 2027-03-14 09:30",
                        more: "",
                    },
                );
                None
            }
        };
        let ends = self.date("ends", raw.ends.as_ref());
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s
        {
            self.error(
                "ends",
                format!("the event ends ({e}) before it starts ({s})"),
                "check the `starts` and `ends` dates",
            );
        }
        Some(Event {
            starts: starts?,
            ends,
            location: raw.location.clone(),
            booking_url: self.web_address("booking_url", raw.booking_url.as_deref()),
            partner: raw.partner.clone(),
        })
    }

    fn date(&mut self, key: &str, value: Option<&Text>) -> Option<DateTime> {
        let text = &value?.0;
        let parsed = DateTime::parse(text);
        if parsed.is_none() {
            self.error(
                key,
                format!("`{key}` is not a valid date: `{text}`"),
                "write dates as YYYY-MM-DD, e.g. `2024-09-01`, or with a time: `2024-09-01T09:30`",
            );
        }
        parsed
    }

    fn one_of(&mut self, key: &str, value: Option<&str>, allowed: &[&str]) -> Option<String> {
        let value = value?;
        if allowed.contains(&value) {
            return Some(value.to_string());
        }
        let hint = match nearest(value, allowed.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? It must be one of {}",
                allowed.join(", ")
            ),
            None => format!("it must be one of {}", allowed.join(", ")),
        };
        self.error(key, format!("`{key}` cannot be `{value}`"), hint);
        None
    }

    fn web_address(&mut self, key: &str, value: Option<&str>) -> Option<String> {
        let value = value?.trim();
        if value.starts_with("https://") || value.starts_with("http://") {
            return Some(value.to_string());
        }
        self.error(
            key,
            format!("`{key}` must be a web address starting with https://, not `{value}`"),
            format!(
                "write the full address, e.g. `{key}: https://{}`",
                value.trim_start_matches("www.")
            ),
        );
        None
    }

    fn email(&mut self, value: Option<&str>) -> Option<String> {
        let value = value?.trim();
        let valid = value.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !value.contains(' ')
        });
        if valid {
            return Some(value.trim_start_matches("mailto:").to_string());
        }
        self.error(
            "email",
            format!("`email` is not an email address: `{value}`"),
            "write it as `name@example.org`",
        );
        None
    }

    fn topics(&mut self, topics: &[String]) -> Vec<String> {
        let mut valid = Vec::new();
        for topic in topics {
            if self.config.topic(topic).is_some() {
                valid.push(topic.clone());
                continue;
            }
            let declared = self.config.topics.iter().map(|t| t.slug.as_str());
            let hint = match nearest(topic, declared) {
                Some(near) => format!(
                    "did you mean `{near}`? Topics must be declared under `topics:` in site.yaml"
                ),
                None => format!(
                    "declare it under `topics:` in site.yaml, e.g. `  {}: {topic}`",
                    slugify(topic)
                ),
            };
            self.item_error(
                "topics",
                topic,
                format!("topic `{topic}` is not declared in site.yaml"),
                hint,
            );
        }
        valid
    }

    /// Values from a fixed list (audiences, key stages), de-duplicated.
    fn allowed_values(
        &mut self,
        key: &str,
        values: &[String],
        list: &[(&str, &str)],
    ) -> Vec<String> {
        let allowed: Vec<&str> = list.iter().map(|(v, _)| *v).collect();
        let mut valid: Vec<String> = Vec::new();
        for value in values {
            if allowed.contains(&value.as_str()) {
                if !valid.contains(value) {
                    valid.push(value.clone());
                }
                continue;
            }
            let hint = match nearest(value, allowed.iter().copied()) {
                Some(near) => format!(
                    "did you mean `{near}`? The choices are {}",
                    allowed.join(", ")
                ),
                None => format!("the choices are {}", allowed.join(", ")),
            };
            self.item_error(
                key,
                value,
                format!("`{value}` is not one of the {}", key.replace('_', " ")),
                hint,
            );
        }
        valid
    }

    fn aliases(&mut self, aliases: &[String]) -> Vec<String> {
        let mut valid = Vec::new();
        for alias in aliases {
            let trimmed = alias.trim().trim_start_matches('/');
            let safe = !trimmed.is_empty()
                && !alias.contains("://")
                && trimmed
                    .trim_end_matches('/')
                    .split('/')
                    .all(is_safe_segment);
            if safe {
                valid.push(format!("/{trimmed}"));
            } else {
                self.item_error(
                    "aliases",
                    alias,
                    format!("alias `{alias}` is not a path on this site"),
                    "write old addresses as paths from the site root, e.g. `/old-page/`",
                );
            }
        }
        valid
    }

    fn template(&mut self, template: Option<&str>) -> Option<String> {
        let name = template?;
        let safe = name.ends_with(".html")
            && !name.starts_with('/')
            && name.split('/').all(is_safe_segment);
        if !safe {
            self.error(
                "template",
                format!("`template` must name a .html file of the theme, not `{name}`"),
                "write the template's file name, e.g. `template: wide.html`",
            );
            return None;
        }
        Some(name.to_string())
    }

    /// The output URL (relative, ending in `/`) and the slug of a document.
    fn url(&mut self, key: &str, is_section: bool, slug: Option<&Text>) -> (String, String) {
        let folder = folder_of(key);
        let mut segments = Vec::new();
        for dir in folder.split('/').filter(|s| !s.is_empty()) {
            let segment = slugify(dir);
            if segment.is_empty() {
                self.error(
                    "title",
                    format!("the folder name `{dir}` has no letters or digits to make a URL from"),
                    "rename the folder using letters, digits and hyphens",
                );
            }
            segments.push(segment);
        }
        if !is_section {
            let stem = key.rsplit('/').next().unwrap_or(key);
            let stem = &stem[..stem.len() - 3];
            let segment = match slug {
                Some(Text(s)) if is_safe_segment(s) => s.clone(),
                Some(Text(s)) => {
                    self.error(
                        "slug",
                        format!("`slug` must be one safe URL segment, not `{s}`"),
                        format!(
                            "use letters, digits and hyphens, e.g. `slug: {}`",
                            slugify(s)
                        ),
                    );
                    slugify(s)
                }
                None => slugify(stem),
            };
            if segment.is_empty() {
                self.error(
                    "title",
                    format!("the file name `{stem}` has no letters or digits to make a URL from"),
                    "rename the file, or set a `slug:`",
                );
            }
            segments.push(segment);
        } else if slug.is_some() {
            self.error(
                "slug",
                "a section's `_index.md` cannot set a `slug`",
                "rename the section's folder instead",
            );
        }
        let slug = segments.last().cloned().unwrap_or_default();
        let url = segments.iter().map(|s| format!("{s}/")).collect();
        (url, slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::source::config::parse(
            "title: T\nbase_url: https://x.example/\ntopics:\n  resilience: Resilience\n",
        )
        .expect("valid config")
    }

    fn parse_text(key: &str, text: &str) -> Result<Document, Vec<Diagnostic>> {
        let source = SourceDocument {
            key: key.into(),
            file: PathBuf::from("content").join(key),
            bytes: text.as_bytes().to_vec(),
        };
        parse(&source, &config())
    }

    #[test]
    fn page_url_comes_from_path_and_slug() {
        let doc =
            parse_text("whole-school/Policy Guidance.md", "---\ntitle: P\n---\nx").expect("valid");
        assert_eq!(doc.url, "whole-school/policy-guidance/");
        let doc = parse_text("a/b.md", "---\ntitle: P\nslug: other\n---\n").expect("valid");
        assert_eq!(doc.url, "a/other/");
        let home = parse_text("_index.md", "---\ntitle: Home\n---\n").expect("valid");
        assert_eq!(home.url, "");
        assert!(home.is_section);
    }

    #[test]
    fn all_field_problems_of_a_document_are_reported() {
        let problems = parse_text(
            "resources/x.md",
            "---\ntitle: X\nkind: leson-plan\ntopics: [resilience, resillience]\naudiences: [teachers]\ndate: 2019-13-01\n---\n",
        )
        .expect_err("four problems");
        let lines: Vec<_> = problems
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (Some(6), "`date` is not a valid date: `2019-13-01`"),
                (Some(4), "topic `resillience` is not declared in site.yaml"),
                (Some(5), "`teachers` is not one of the audiences"),
                (Some(3), "`kind` cannot be `leson-plan`"),
                (Some(7), "a resource needs a `url` or a `file`"),
            ]
        );
        assert_eq!(
            problems[3].hint.as_deref(),
            Some(
                "did you mean `lesson-plan`? It must be one of guidance, lesson-plan, e-learning, training, policy, programme, video"
            )
        );
    }

    #[test]
    fn partner_field_on_a_page_names_its_collection() {
        let problems = parse_text(
            "about.md",
            "---\ntitle: About\nwebsite: https://x.example/\n---\n",
        )
        .expect_err("website is a partner field");
        assert_eq!(problems[0].message, "unknown front-matter field `website`");
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("`website` is a field of documents in content/partners/ only")
        );
    }

    #[test]
    fn unsafe_slug_is_refused() {
        let problems =
            parse_text("a.md", "---\ntitle: A\nslug: ../etc\n---\n").expect_err("slug escapes");
        assert_eq!(
            problems[0].message,
            "`slug` must be one safe URL segment, not `../etc`"
        );
        assert_eq!(problems[0].line, Some(3));
    }

    #[test]
    fn crlf_bom_and_non_utf8_are_handled() {
        let doc = parse_text("a.md", "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").expect("valid");
        assert_eq!(doc.body(), "Body\n");
        let source = SourceDocument {
            key: "b.md".into(),
            file: PathBuf::from("content/b.md"),
            bytes: b"---\ntitle: Caf\xe9\n---\n".to_vec(),
        };
        let problems = parse(&source, &config()).expect_err("latin-1");
        assert_eq!(problems[0].message, "the file is not UTF-8 text");
        assert_eq!(problems[0].line, Some(2));
    }
}
