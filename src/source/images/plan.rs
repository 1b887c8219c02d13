//! The decisions about an image that need no pixels: which images are
//! processed, the widths published, the size limit, the output names and
//! the cache key. Pure functions, so each is tested on its own.

use sha2::{Digest, Sha256};

/// The widths published for a raster image, at most (never wider than the
/// image itself).
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1440];
/// The largest image bounce decodes: 100 megapixels, and no side over
/// 20,000 pixels. A header claiming more is refused before any pixel is
/// read (a "decompression bomb" would need gigabytes of memory).
pub(crate) const MAX_PIXELS: u64 = 100_000_000;
pub(crate) const MAX_SIDE: u32 = 20_000;
/// JPEG and WebP quality of the resized copies; the full-size copy's JPEG.
pub(crate) const QUALITY: u8 = 80;
pub(crate) const FULL_QUALITY: u8 = 90;
/// Bumped whenever the processing changes what it writes, so that an old
/// cache is never reused for different output.
const FORMAT_VERSION: &str = "bounce-images-2";

/// How bounce publishes an image, by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Decoded, cleaned of metadata and resized: JPEG and PNG.
    Raster(Format),
    /// Copied as it is, with its size read where it can be: SVG.
    Svg,
    /// Copied without comments and XMP, every frame kept: GIF (often animated).
    Gif,
}

/// The format of a raster image, kept for its fallback copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
}

impl Format {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// The kind of image a content file is, by its extension; None for a file
/// that is not an image bounce reads (a PDF, a WebP or AVIF copied as is).
pub(crate) fn kind(key: &str) -> Option<Kind> {
    let extension = key.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => Some(Kind::Raster(Format::Jpeg)),
        "png" => Some(Kind::Raster(Format::Png)),
        "svg" => Some(Kind::Svg),
        "gif" => Some(Kind::Gif),
        _ => None,
    }
}

/// The widths to publish for an image `width` pixels wide: those of
/// [`WIDTHS`] narrower than it, then its own width if it is no wider than
/// the largest; an image narrower than the smallest gets only its own.
pub(crate) fn widths(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    widths
}

/// The height of a copy `width` wide of a `full_width` × `full_height`
/// image, rounded, at least 1.
pub(crate) fn height_at(width: u32, full_width: u32, full_height: u32) -> u32 {
    let h = (u64::from(full_height) * u64::from(width) + u64::from(full_width) / 2)
        / u64::from(full_width.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Why an image whose header claims `width` × `height` is refused before
/// decoding, if it is.
pub(crate) fn too_large(width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    (pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE).then(|| {
        format!(
            "the image claims to be {width} × {height} pixels, more than bounce decodes \
             (100 megapixels, and no side over {MAX_SIDE} pixels)"
        )
    })
}

/// The output path of the copy `width` pixels wide, in `extension`, of the
/// image at `key` (`guidance/photo.jpg` → `guidance/photo.480w.webp`). The
/// same rule makes URLs from the image's URL.
pub(crate) fn variant(key: &str, width: u32, extension: &str) -> String {
    let stem = key.rsplit_once('.').map_or(key, |(stem, _)| stem);
    format!("{stem}.{width}w.{extension}")
}

/// The cache key of an image: its bytes, the settings and the format
/// version, hashed (hex).
pub(crate) fn cache_key(bytes: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(FORMAT_VERSION.as_bytes());
    hash.update(format!("{WIDTHS:?} {QUALITY} {FULL_QUALITY}").as_bytes());
    hash.update(bytes);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_image() {
        assert_eq!(widths(4000), vec![480, 960, 1440]);
        assert_eq!(widths(1440), vec![480, 960, 1440]);
        assert_eq!(widths(1000), vec![480, 960, 1000]);
        assert_eq!(widths(300), vec![300]);
        assert_eq!(widths(480), vec![480]);
    }

    #[test]
    fn a_bomb_is_too_large_and_a_photo_is_not() {
        assert!(too_large(50_000, 50_000).is_some());
        assert!(too_large(25_000, 10).is_some());
        assert!(too_large(4000, 3000).is_none());
    }

    #[test]
    fn variants_keep_the_folder_and_stem() {
        assert_eq!(variant("a/photo.jpg", 480, "webp"), "a/photo.480w.webp");
        assert_eq!(height_at(480, 4000, 3000), 360);
    }
}
