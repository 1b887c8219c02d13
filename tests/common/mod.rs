//! A small fixture site per test: [`TestSite`] writes `site.yaml`, content and
//! templates into a temporary folder, runs the real `bounce` binary on it and
//! returns a [`Build`] to read the written files and the messages from.
//!
//! Each integration test file uses a different part of this module.
#![allow(dead_code)] // each test binary uses only some of the helpers

pub mod script;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// 2026-11-23T12:00:00Z: "today" for every build, so upcoming and past events are
/// the same on every run.
pub const BUILD_DATE_EPOCH: &str = "1795435200";

/// The base URL of the default fixture site: a sub-path, as on a council site.
pub const BASE_URL: &str = "https://council.example/healthy-schools/";
/// Its path part, which every root-relative link must start with.
pub const BASE_PATH: &str = "/healthy-schools/";

/// The `site.yaml` every fixture site starts with.
pub const SITE_YAML: &str = "\
title: Healthy Schools Test Network
description: Support for schools to build resilience.
base_url: https://council.example/healthy-schools/
language: en-GB
topics:
  resilience: Resilience
  online-safety: Online safety
  mental-health: Mental health
";

/// A build that does not finish in this time is treated as hung.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Base-less one-line templates that print the variables tests assert on. They
/// stand in for the default theme, whose markup is changing.
pub const MINIMAL_TEMPLATES: &[(&str, &str)] = &[
    ("home.html", LISTING),
    ("section.html", LISTING),
    (
        "partners.html",
        "<h1>{{ page.title }}</h1><div class=\"content\">{{ page.content | safe }}</div><ul class=\"partners\">{% for p in collections.partners %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a></li>{% endfor %}</ul>\n",
    ),
    (
        "resources.html",
        "<h1>{{ page.title }}</h1><div class=\"content\">{{ page.content | safe }}</div><ul class=\"resources\">{% for r in collections.resources %}<li>{{ r.title }} ({{ r.kind_title }})</li>{% endfor %}</ul>\n",
    ),
    (
        "events.html",
        "<h1>{{ page.title }}</h1><h2>Upcoming</h2><ul class=\"upcoming\">{% for e in collections.events.upcoming %}<li>{{ e.title }}</li>{% endfor %}</ul><h2>Past</h2><ul class=\"past\">{% for e in collections.events.past %}<li>{{ e.title }}</li>{% endfor %}</ul>\n",
    ),
    ("page.html", DOCUMENT),
    (
        "partner.html",
        "<h1>{{ page.title }}</h1>{% if page.website %}<a class=\"website\" href=\"{{ page.website }}\">Website</a>{% endif %}{% if page.logo %}<img src=\"{{ page.logo }}\" alt=\"{{ page.logo_alt }}\">{% endif %}<div class=\"content\">{{ page.content | safe }}</div>\n",
    ),
    (
        "resource.html",
        "<h1>{{ page.title }}</h1><p class=\"kind\">{{ page.kind_title }}</p>{% if page.file_name %}<a class=\"file\" href=\"{{ page.resource_url }}\">{{ page.file_name }}</a>{% endif %}{% if page.partner %}<p class=\"partner\"><a href=\"{{ page.partner.url }}\">{{ page.partner.title }}</a></p>{% endif %}<div class=\"content\">{{ page.content | safe }}</div>\n",
    ),
    (
        "event.html",
        "<h1>{{ page.title }}</h1><p class=\"starts\">{{ page.starts }}</p><p class=\"when\">{% if page.upcoming %}upcoming{% else %}past{% endif %}</p><div class=\"content\">{{ page.content | safe }}</div>\n",
    ),
    (
        "taxonomy.html",
        "<h1>{{ taxonomy.title }}</h1><ul class=\"terms\">{% for t in taxonomy.terms %}<li><a href=\"{{ t.url }}\">{{ t.title }}</a> ({{ t.count }})</li>{% endfor %}</ul>\n",
    ),
    (
        "term.html",
        "<h1>{{ term.title }}</h1><ul class=\"pages\">{% for p in term.pages %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a></li>{% endfor %}</ul>\n",
    ),
    (
        "404.html",
        "<h1>{{ title }}</h1><a href=\"{{ site.base_path }}\">{{ site.title }}</a>\n",
    ),
];

const LISTING: &str = "<h1>{{ page.title }}</h1><div class=\"content\">{{ page.content | safe }}</div><ul class=\"pages\">{% for p in pages %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a></li>{% endfor %}</ul><ul class=\"subsections\">{% for s in subsections %}<li><a href=\"{{ s.url }}\">{{ s.title }}</a></li>{% endfor %}</ul>\n";

const DOCUMENT: &str = "<h1>{{ page.title }}</h1><nav class=\"crumbs\">{% for a in ancestors %}<a href=\"{{ a.url }}\">{{ a.title }}</a> / {% endfor %}</nav><div class=\"content\">{{ page.content | safe }}</div>\n";

/// A fixture site in a temporary folder: `<tmp>/site`, with room beside it for
/// output folders outside the site.
pub struct TestSite {
    /// Shared with every [`Build`], so the files outlive the builder.
    dir: Rc<tempfile::TempDir>,
    root: PathBuf,
}

impl TestSite {
    /// A minimal valid site: [`SITE_YAML`] and a home page.
    pub fn new() -> TestSite {
        let dir = Rc::new(tempfile::tempdir().expect("create a temporary folder"));
        let root = dir.path().join("site");
        let site = TestSite { dir, root };
        site.write("site.yaml", SITE_YAML.as_bytes());
        site.write(
            "content/_index.md",
            b"---\ntitle: Home\n---\nWelcome to the network.\n",
        );
        site
    }

    /// Adds (or replaces) a file under the site root.
    pub fn file(self, path: &str, text: &str) -> TestSite {
        self.write(path, text.as_bytes());
        self
    }

    /// Adds a file with exactly these bytes.
    pub fn bytes(self, path: &str, bytes: &[u8]) -> TestSite {
        self.write(path, bytes);
        self
    }

    /// Replaces `site.yaml`.
    pub fn site_yaml(self, text: &str) -> TestSite {
        self.file("site.yaml", text)
    }

    /// Removes a file of the site.
    pub fn remove(self, path: &str) -> TestSite {
        fs::remove_file(self.root.join(path)).expect("remove a fixture file");
        self
    }

    /// Adds [`MINIMAL_TEMPLATES`] as the site's own `templates/`.
    pub fn minimal_templates(self) -> TestSite {
        self.minimal_templates_in("templates")
    }

    /// Adds [`MINIMAL_TEMPLATES`] to a folder of the site (`themes/plain/templates`).
    pub fn minimal_templates_in(self, folder: &str) -> TestSite {
        for (name, text) in MINIMAL_TEMPLATES {
            self.write(&format!("{folder}/{name}"), text.as_bytes());
        }
        self
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the site (`<outer>/site`).
    pub fn outer(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the site root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Runs `bounce build --root <site>` with `extra` arguments.
    pub fn build(&self, extra: &[&str]) -> Build {
        let root = self.root.to_string_lossy().into_owned();
        let mut args = vec!["build", "--root", root.as_str()];
        args.extend_from_slice(extra);
        let output = match extra.iter().position(|a| *a == "--output") {
            Some(i) => self.dir.path().join(extra[i + 1]),
            None => self.root.join("output"),
        };
        self.run_with_env(&args, &[("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)], output)
    }

    /// Runs `bounce check --root <site>` with `extra` arguments, on the same
    /// fixed "today" as [`TestSite::build`].
    pub fn check(&self, extra: &[&str]) -> Build {
        let root = self.root.to_string_lossy().into_owned();
        let mut args = vec!["check", "--root", root.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Runs bounce with exactly these arguments (for command-line errors).
    pub fn run(&self, args: &[&str]) -> Build {
        self.run_with_env(
            args,
            &[("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)],
            self.root.join("output"),
        )
    }

    /// Runs bounce with these arguments and environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)], output: PathBuf) -> Build {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bounce"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start the bounce binary");
        let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
        let out_reader = std::thread::spawn(move || {
            let mut s = String::new();
            stdout_pipe.read_to_string(&mut s).map(|_| s)
        });
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            stderr_pipe.read_to_string(&mut s).map(|_| s)
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for bounce") {
                break status;
            }
            if started.elapsed() > TIME_LIMIT {
                child.kill().expect("kill a hung bounce");
                child.wait().expect("reap bounce");
                panic!("bounce {args:?} did not finish within {TIME_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stdout = out_reader
            .join()
            .expect("stdout reader")
            .expect("stdout is UTF-8");
        let stderr = err_reader
            .join()
            .expect("stderr reader")
            .expect("stderr is UTF-8");
        Build {
            _dir: Rc::clone(&self.dir),
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
            output,
        }
    }

    fn write(&self, path: &str, bytes: &[u8]) {
        let target = self.root.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).expect("create a fixture folder");
        }
        fs::write(&target, bytes).expect("write a fixture file");
    }
}

/// What one run of bounce did.
pub struct Build {
    /// Keeps the temporary folder alive while the build's files are read.
    _dir: Rc<tempfile::TempDir>,
    /// The exit code (-1 if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The output folder this build was asked to write.
    pub output: PathBuf,
}

impl Build {
    /// Panics with the messages unless the build succeeded.
    pub fn assert_ok(&self) -> &Build {
        assert_eq!(
            self.code, 0,
            "the build should succeed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the build failed with content errors (exit code 1).
    pub fn assert_failed(&self) -> &Build {
        assert_eq!(
            self.code, 1,
            "the build should fail with exit code 1\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless stderr holds `block` exactly (one whole message).
    pub fn assert_reports(&self, block: &str) -> &Build {
        assert!(
            self.stderr.contains(block),
            "stderr should contain\n{block}\n--- but stderr was\n{}",
            self.stderr
        );
        self
    }

    /// Panics if stderr mentions `text`.
    pub fn assert_not_reported(&self, text: &str) -> &Build {
        assert!(
            !self.stderr.contains(text),
            "stderr should not mention {text:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// The text of an output file.
    pub fn read(&self, relative: &str) -> String {
        let path = self.output.join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); the output holds:\n{}",
                path.display(),
                self.files().join("\n")
            )
        })
    }

    /// The bytes of an output file.
    pub fn read_bytes(&self, relative: &str) -> Vec<u8> {
        fs::read(self.output.join(relative))
            .unwrap_or_else(|e| panic!("cannot read output file {relative}: {e}"))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.output.join(relative).exists()
    }

    /// Every file of the output, `/`-separated, sorted (hidden ones included).
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.output).into_keys().collect()
    }

    /// The `error:` / `warning:` lines of stderr.
    pub fn headlines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
            .collect()
    }

    /// The last line of stderr (the "Build failed: ..." summary).
    pub fn last_stderr_line(&self) -> &str {
        self.stderr.trim_end().lines().last().unwrap_or_default()
    }
}

/// Every file under `dir` (hidden ones included) with its bytes, by relative
/// `/`-separated path. Empty if `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("read a folder entry");
        let path = entry.path();
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            collect(base, &path, files);
        } else {
            let relative = path
                .strip_prefix(base)
                .expect("under base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = if kind.is_symlink() {
                fs::read_link(&path)
                    .map(|t| t.to_string_lossy().into_owned().into_bytes())
                    .unwrap_or_default()
            } else {
                fs::read(&path).expect("read a file")
            };
            files.insert(relative, bytes);
        }
    }
}

/// The names of the entries directly inside `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list a folder")
        .map(|e| {
            e.expect("folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Every value of `attribute="..."` in `html`, in order.
pub fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&needle) {
        let after = &rest[start + needle.len()..];
        let end = after.find('"').expect("attribute value is closed");
        values.push(&after[..end]);
        rest = &after[end..];
    }
    values
}

/// Asserts that `needles` appear in `haystack` in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(i) => from += i + needle.len(),
            None => panic!(
                "expected {needle:?} after position {from} (order {needles:?}) in\n{haystack}"
            ),
        }
    }
}
