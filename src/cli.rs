//! The command line: clap definitions turned into validated options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::dates::DateTime;

#[derive(Debug, Parser)]
#[command(
    name = "bounce",
    version,
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
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder (with site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/output].
    #[arg(long)]
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
    pub fn options(self) -> Result<crate::build::Options, String> {
        let build_date = build_date(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
        Ok(crate::build::Options {
            output: self.output.unwrap_or_else(|| self.root.join("output")),
            root: self.root,
            base_url: self.base_url,
            drafts: self.drafts,
            build_date,
        })
    }
}

fn build_date(source_date_epoch: Option<&str>) -> Result<DateTime, String> {
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
    Ok(DateTime::from_unix_seconds(seconds))
}
