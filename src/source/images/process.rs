//! A raster image decoded, turned upright, resized and encoded again: the
//! pixels only, so no metadata (EXIF, XMP, IPTC, GPS, text chunks) survives.
//! The full-size copy of an upright JPEG is its own bytes without their
//! metadata (`jpeg::strip`), so a download loses no quality.
//!
//! Entry point: [`process`], from the file's bytes to the files to publish.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits};

use super::jpeg;
use super::plan::{self, Format};

/// What [`process`] makes: the upright size, and each file by its name in
/// the cache folder (`full.jpg`, `480w.jpg`, `480w.webp`).
pub(crate) struct Processed {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) files: Vec<(String, Vec<u8>)>,
}

/// Decodes `bytes` as `format` (refusing a header that claims more than
/// the limit before reading any pixel), applies the EXIF orientation, and
/// encodes the full-size copy and each width in `format` and WebP.
pub(crate) fn process(bytes: &[u8], format: Format) -> Result<Processed, String> {
    let (image, upright) = decode(bytes, format)?;
    let (width, height) = (image.width(), image.height());
    // An upright JPEG keeps its own pixels, without its metadata.
    let stripped = (upright && format == Format::Jpeg)
        .then(|| jpeg::strip(bytes))
        .flatten();
    let full = match stripped {
        Some(stripped) => stripped,
        None => encode(&image, format, plan::FULL_QUALITY)?,
    };
    let mut files = vec![(format!("full.{}", format.extension()), full)];
    for w in plan::widths(width) {
        let copy = if w == width {
            image.clone()
        } else {
            resize(&image, w, plan::height_at(w, width, height))?
        };
        files.push((
            format!("{w}w.{}", format.extension()),
            encode(&copy, format, plan::QUALITY)?,
        ));
        files.push((format!("{w}w.webp"), webp(&copy)));
    }
    Ok(Processed {
        width,
        height,
        files,
    })
}

/// The pixels, upright, as 8-bit RGB (or RGBA where a PNG has alpha); and
/// whether they were stored upright already.
fn decode(bytes: &[u8], format: Format) -> Result<(DynamicImage, bool), String> {
    let image_format = match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(plan::MAX_SIDE);
    limits.max_image_height = Some(plan::MAX_SIDE);
    limits.max_alloc = Some(plan::MAX_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    if let Some(why) = plan::too_large(w, h) {
        return Err(why);
    }
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    let image = if image.color().has_alpha() && format == Format::Png {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    Ok((image, upright))
}

fn unreadable(error: image::ImageError) -> String {
    match error {
        image::ImageError::Limits(_) => format!(
            "the image is larger than bounce decodes (100 megapixels, and no side over {} pixels)",
            plan::MAX_SIDE
        ),
        other => format!("the image cannot be read ({other}); it may be damaged or cut short"),
    }
}

fn resize(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(image, &mut resized, &options)
        .map_err(|e| format!("the image could not be resized ({e})"))?;
    Ok(resized)
}

fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h) = (image.width(), image.height());
    let color = image.color().into();
    let written = match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut out, quality).write_image(
            image.as_bytes(),
            w,
            h,
            color,
        ),
        Format::Png => PngEncoder::new(&mut out).write_image(image.as_bytes(), w, h, color),
    };
    written.map_err(|e| format!("the image could not be encoded ({e})"))?;
    Ok(out)
}

fn webp(image: &DynamicImage) -> Vec<u8> {
    let (w, h) = (image.width(), image.height());
    let encoder = if image.color().has_alpha() {
        webp::Encoder::from_rgba(image.as_bytes(), w, h)
    } else {
        webp::Encoder::from_rgb(image.as_bytes(), w, h)
    };
    encoder.encode(f32::from(plan::QUALITY)).to_vec()
}
