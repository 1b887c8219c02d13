//! The command line: clap definitions turned into validated options.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::foundation::dates::DateTime;
use crate::pipeline;
use crate::source::frontmatter::Collection;

#[derive(Debug, Parser)]
#[command(
    name = "bounce",
    // `bounce 0.1.0 (commit 1a2b3c4)`: the commit says exactly which build an
    // editor has when they report a problem (build.rs finds it).
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BOUNCE_COMMIT"), ")"),
    about = "Build resilience and wellbeing guidance sites for schools from markdown."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Build the site, then rebuild what changed whenever a file is saved.
    Watch(BuildArgs),
    /// Preview the site: build it, serve it to a browser on this computer, and
    /// reload the page whenever a file is saved.
    Serve(ServeArgs),
    /// Check the site without writing anything: every problem a build would
    /// find, and content lints (alt text, link text, headings, reading age, ...).
    Check(CheckArgs),
    /// Create a new document with the front matter of its kind.
    New(NewArgs),
    /// Create a new site (site.yaml, starter content) in an empty folder.
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder (with site.yaml and content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/output].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this address instead of site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include documents marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl BuildArgs {
    /// The build options, with "today" from `SOURCE_DATE_EPOCH` when set (for
    /// reproducible builds) or the clock.
    pub fn options(self) -> Result<pipeline::Options, String> {
        let build_date = build_date(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
        Ok(pipeline::Options {
            output: self.output.unwrap_or_else(|| self.root.join("output")),
            root: self.root,
            base_url: self.base_url,
            drafts: self.drafts,
            build_date,
            protection: pipeline::Protection::Seal(passcode_variable),
        })
    }
}

/// Whether two paths name the same place (`./output` and `output`, say).
fn same_place(a: &std::path::Path, b: &std::path::Path) -> bool {
    let normal = |p: &std::path::Path| -> Option<PathBuf> {
        let absolute = std::path::absolute(p).ok()?;
        let current = std::path::Component::CurDir;
        Some(absolute.components().filter(|c| *c != current).collect())
    };
    normal(a).is_some_and(|a| Some(a) == normal(b))
}

/// A passcode group's variable, from the environment (see README,
/// "Passcode-protected material").
fn passcode_variable(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder (with site.yaml and content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the preview [default: <root>/.bounce-serve]. It is not
    /// the output of `bounce build`: its links point at this computer.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The port to serve on (0: any free port).
    #[arg(long, default_value_t = 8000, value_name = "N")]
    pub port: u16,
    /// The address to serve on. Only this computer can see the default; any
    /// other address lets other computers on the network see the preview.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub open: bool,
    /// Include documents marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// How long, in milliseconds, a browser may take to send its request
    /// [default: 10000]. Hidden: the tests of the deadline shorten it.
    #[arg(long, hide = true, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub head_deadline_ms: Option<u64>,
}

/// The folder `bounce serve` writes its preview into, inside the site.
pub const SERVE_OUTPUT: &str = ".bounce-serve";

impl ServeArgs {
    /// The build options; the base URL is set once the server has its address.
    pub fn options(&self) -> Result<pipeline::Options, String> {
        BuildArgs {
            root: self.root.clone(),
            output: Some(
                self.output
                    .clone()
                    .unwrap_or_else(|| self.root.join(SERVE_OUTPUT)),
            ),
            base_url: None,
            drafts: self.drafts,
        }
        .options()
        .and_then(|options| {
            if same_place(&options.output, &self.root.join("output")) {
                return Err("`bounce serve` shows passcode-protected pages unlocked, so it never writes into the published output folder: leave out --output, or name another folder".into());
            }
            Ok(pipeline::Options {
                protection: pipeline::Protection::Preview,
                ..options
            })
        })
    }
}

/// How `bounce check` prints what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Like a compiler: each finding with its line and a hint, then a count.
    Human,
    /// A JSON array, one object per finding.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder (with site.yaml and content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Treat warnings as errors (exit code 1 if there are any).
    #[arg(long)]
    pub strict: bool,
    /// How to print what it finds.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check documents marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
}

impl CheckArgs {
    pub fn options(self) -> Result<pipeline::check::Options, String> {
        let now = now()?;
        Ok(pipeline::check::Options {
            build: pipeline::Options {
                output: self.root.join("output"),
                root: self.root,
                base_url: None,
                drafts: self.drafts,
                build_date: DateTime::from_unix_seconds(now),
                protection: pipeline::Protection::Seal(passcode_variable),
            },
            strict: self.strict,
        })
    }
}

/// The kinds of document `bounce new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Partner,
    Resource,
    Event,
    Page,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Its title, in quotes; the file is named after it.
    pub title: String,
    /// For a page: the folder under content/ to put it in.
    #[arg(long, value_name = "FOLDER")]
    pub section: Option<String>,
    /// The site's folder (with site.yaml and content/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

impl NewArgs {
    pub fn options(self) -> Result<crate::scaffold::new::Options, String> {
        let now = now()?;
        Ok(crate::scaffold::new::Options {
            root: self.root,
            collection: match self.kind {
                Kind::Partner => Collection::Partner,
                Kind::Resource => Collection::Resource,
                Kind::Event => Collection::Event,
                Kind::Page => Collection::Page,
            },
            title: self.title,
            section: self.section,
            today: DateTime::from_unix_seconds(now),
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder for the new site: new, or empty.
    pub dir: PathBuf,
    /// Also write the built-in default theme into themes/default/, to change it.
    #[arg(long)]
    pub copy_theme: bool,
}

/// The starter's example event is this many days after the site is made.
const STARTER_EVENT_DAYS: i64 = 8 * 7;

impl InitArgs {
    pub fn options(self) -> Result<crate::scaffold::init::Options, String> {
        let now = now()?;
        Ok(crate::scaffold::init::Options {
            dir: self.dir,
            copy_theme: self.copy_theme,
            today: DateTime::from_unix_seconds(now),
            event_day: DateTime::from_unix_seconds(now.saturating_add(STARTER_EVENT_DAYS * DAY)),
        })
    }
}

const DAY: i64 = 86_400;

/// "Now" for dates in new files and review checks, as for builds.
fn now() -> Result<i64, String> {
    now_seconds(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

fn build_date(source_date_epoch: Option<&str>) -> Result<DateTime, String> {
    now_seconds(source_date_epoch).map(DateTime::from_unix_seconds)
}

/// "Now" in seconds since 1970: `SOURCE_DATE_EPOCH` when set, else the clock.
fn now_seconds(source_date_epoch: Option<&str>) -> Result<i64, String> {
    let seconds = match source_date_epoch {
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("SOURCE_DATE_EPOCH must be a number of seconds, not `{text}`"))?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    Ok(seconds)
}
