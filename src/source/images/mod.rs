//! The images under `content/`: each JPEG and PNG decoded, turned upright,
//! cleaned of metadata and resized to a few widths in its own format and
//! WebP; each GIF cleaned of comments and XMP; each SVG's size read. The
//! results are kept in `.bounce-cache/images/` at the site root, keyed by a
//! hash of the image's bytes and the settings ([`plan::cache_key`]), so a
//! rebuild only reads them back.
//!
//! Entry point: [`prepare`]. The decisions are in [`plan`] (pure), the
//! pixels in [`process`] (an upright JPEG's own bytes cleaned in [`jpeg`]),
//! GIF in [`gif`], SVG in [`svg`].

mod gif;
mod jpeg;
mod plan;
mod process;
mod svg;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::source::discover::Asset;
pub(crate) use plan::variant;
use plan::{Format, Kind};

/// The folder under the site root that keeps processed images.
pub(crate) const CACHE_FOLDER: &str = ".bounce-cache";

/// What the markup of an image needs: its upright size, and the widths
/// published (none for an image copied as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    /// The fallback's extension (`jpg`, `png`), for a resized image.
    pub extension: &'static str,
}

/// The images of a site, by asset key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Images {
    pub pictures: HashMap<String, Picture>,
    /// Why an image could not be read.
    pub problems: HashMap<String, String>,
    /// The files each image publishes: output path, and where the cache
    /// holds it: the image's own path (cleaned) first, then its copies.
    pub outputs: HashMap<String, Vec<(String, PathBuf)>>,
}

/// One image's outcome: its markup's facts, and the files it publishes.
type Outcome = Result<(Option<Picture>, Vec<(String, PathBuf)>), String>;

/// Processes (or finds in the cache) every image among `assets`, on all
/// cores. A site without JPEG, PNG or GIF files does no work and creates
/// no folder.
pub(crate) fn prepare(root: &Path, assets: &[Asset]) -> Images {
    let cache = root.join(CACHE_FOLDER).join("images");
    let outcomes: Vec<(String, Outcome)> = assets
        .par_iter()
        .filter_map(|a| Some((a, plan::kind(&a.key)?)))
        .map(|(a, kind)| (a.key.clone(), one(&cache, a, kind)))
        .collect();
    let mut images = Images::default();
    for (key, outcome) in outcomes {
        match outcome {
            Ok((picture, outputs)) => {
                if let Some(picture) = picture {
                    images.pictures.insert(key.clone(), picture);
                }
                if !outputs.is_empty() {
                    images.outputs.insert(key, outputs);
                }
            }
            Err(why) => {
                images.problems.insert(key, why);
            }
        }
    }
    images
}

fn one(cache: &Path, asset: &Asset, kind: Kind) -> Outcome {
    let bytes = fs::read(&asset.path).map_err(|e| format!("the image cannot be read ({e})"))?;
    match kind {
        Kind::Svg => {
            let size = std::str::from_utf8(&bytes).ok().and_then(svg::size);
            Ok((size.map(|(width, height)| plain(width, height)), Vec::new()))
        }
        Kind::Gif => {
            let dir = cache.join(plan::cache_key(&bytes));
            let (cleaned, width, height) = gif::clean(&bytes)?;
            let file = dir.join("full.gif");
            if !file.is_file() {
                store(&dir, &[("full.gif".to_string(), cleaned)])?;
            }
            Ok((Some(plain(width, height)), vec![(asset.key.clone(), file)]))
        }
        Kind::Raster(format) => raster(cache, asset, format, &bytes),
    }
}

fn plain(width: u32, height: u32) -> Picture {
    Picture {
        width,
        height,
        widths: Vec::new(),
        extension: "",
    }
}

/// A JPEG or PNG from the cache, processed first if the cache lacks it.
fn raster(cache: &Path, asset: &Asset, format: Format, bytes: &[u8]) -> Outcome {
    let dir = cache.join(plan::cache_key(bytes));
    let size = fs::read_to_string(dir.join("size")).ok();
    let (width, height) = match size.as_deref().and_then(read_size) {
        Some(size) => size,
        None => {
            let processed = process::process(bytes, format)?;
            let mut files = processed.files;
            let size = format!("{} {}", processed.width, processed.height);
            files.push(("size".to_string(), size.into_bytes()));
            store(&dir, &files)?;
            (processed.width, processed.height)
        }
    };
    let ext = format.extension();
    let widths = plan::widths(width);
    let mut outputs = vec![(asset.key.clone(), dir.join(format!("full.{ext}")))];
    for &w in &widths {
        for e in [ext, "webp"] {
            outputs.push((variant(&asset.key, w, e), dir.join(format!("{w}w.{e}"))));
        }
    }
    let picture = Picture {
        width,
        height,
        widths,
        extension: ext,
    };
    Ok((Some(picture), outputs))
}

fn read_size(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.trim().split_once(' ')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

/// Writes `files` into a new folder beside `dir`, then renames it to `dir`:
/// a build stopped halfway never leaves a cache entry half-written.
fn store(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    let problem = |e: std::io::Error| {
        format!(
            "the processed image could not be saved in {} ({e})",
            dir.display()
        )
    };
    let parent = dir.parent().unwrap_or(dir);
    fs::create_dir_all(parent).map_err(problem)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Two identical images of one site are stored by two threads at once.
    static STORES: AtomicUsize = AtomicUsize::new(0);
    let n = STORES.fetch_add(1, Ordering::Relaxed);
    let temporary = parent.join(format!("{name}.{}-{n}.partial", std::process::id()));
    fs::create_dir_all(&temporary).map_err(problem)?;
    for (file, bytes) in files {
        fs::write(temporary.join(file), bytes).map_err(problem)?;
    }
    if dir.is_dir() {
        // A stale entry (its `size` unreadable): replaced.
        let _ = fs::remove_dir_all(dir);
    }
    match fs::rename(&temporary, dir) {
        Ok(()) => Ok(()),
        // Another build stored the same image meanwhile.
        Err(_) if dir.is_dir() => {
            let _ = fs::remove_dir_all(&temporary);
            Ok(())
        }
        Err(e) => Err(problem(e)),
    }
}
