//! Images beside documents (issue 19): published as `<picture>` with WebP
//! at a few widths, never upscaled, upright, without any metadata (GPS
//! above all), cached in `.bounce-cache/`; broken and enormous images
//! refused at the line that uses them; SVG copied with its size.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};

use crate::fixtures::{TestSite, png, snapshot};

/// The latitude planted in a photo's EXIF (52/1, 12/1, 3456/100 as
/// little-endian rationals) and in its XMP.
fn gps_rationals() -> Vec<u8> {
    [52u32, 1, 12, 1, 3456, 100]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect()
}
const XMP_LATITUDE: &str = "52,12.5760N";

/// A JPEG `width` × `height` with a gradient, an EXIF block with its
/// orientation and a GPS latitude, and an XMP block with the latitude too.
fn photo(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(
            pixels.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode a test JPEG");
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0: orientation, and where the GPS IFD is.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0]);
    tiff.extend(u32::from(orientation).to_le_bytes());
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0]);
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    // The GPS IFD at 38: latitude reference N, the latitude at 68.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend([2, 0, 5, 0, 3, 0, 0, 0]);
    tiff.extend(68u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(gps_rationals());
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(tiff);
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"{XMP_LATITUDE}\"/></rdf:RDF></x:xmpmeta>"
    );
    let mut out = jpeg[..2].to_vec();
    for segment in [exif, xmp.into_bytes()] {
        out.extend([0xFF, 0xE1]);
        let len = u16::try_from(segment.len() + 2).expect("a short segment");
        out.extend(len.to_be_bytes());
        out.extend(segment);
    }
    out.extend(&jpeg[2..]);
    out
}

fn site_with(body: &str, files: &[(&str, &[u8])]) -> TestSite {
    let mut site = TestSite::new()
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .file(
            "content/guide/training.md",
            &format!("---\ntitle: Training day\n---\n{body}"),
        );
    for (path, bytes) in files {
        site = site.bytes(path, bytes);
    }
    site
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn size_of(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a readable image");
    (image.width(), image.height())
}

const SIZES: &str = "sizes=\"(min-width: 46rem) 44rem, calc(100vw - 2rem)\"";

#[test]
fn a_photo_is_a_picture_with_webp_widths_size_and_lazy_after_the_first() {
    let jpeg = photo(2000, 1500, 1);
    let site = site_with(
        "![Pupils at the training day](day.jpg)\n\n![The hall](hall.jpg)\n",
        &[
            ("content/guide/day.jpg", &jpeg),
            ("content/guide/hall.jpg", &jpeg),
        ],
    );
    let build = site.build(&[]);
    build.assert_ok();
    let html = build.read("guide/training/index.html");
    let day = "/healthy-schools/guide/day";
    assert!(html.contains(&format!(
        "<picture><source type=\"image/webp\" srcset=\"{day}.480w.webp 480w, {day}.960w.webp 960w, {day}.1440w.webp 1440w\" {SIZES}><img src=\"{day}.960w.jpg\" srcset=\"{day}.480w.jpg 480w, {day}.960w.jpg 960w, {day}.1440w.jpg 1440w\" {SIZES} width=\"2000\" height=\"1500\" alt=\"Pupils at the training day\"></picture>"
    )), "{html}");
    assert!(html.contains("width=\"2000\" height=\"1500\" alt=\"The hall\" loading=\"lazy\" decoding=\"async\"></picture>"), "{html}");
    assert_eq!(
        size_of(&build.read_bytes("guide/day.480w.webp")),
        (480, 360)
    );
    assert_eq!(
        size_of(&build.read_bytes("guide/day.1440w.jpg")),
        (1440, 1080)
    );
    assert_eq!(size_of(&build.read_bytes("guide/day.jpg")), (2000, 1500));
}

#[test]
fn a_small_image_is_never_made_larger() {
    let site = site_with(
        "![A badge](badge.jpg)\n",
        &[("content/guide/badge.jpg", &photo(300, 200, 1))],
    );
    let build = site.build(&[]);
    build.assert_ok();
    let html = build.read("guide/training/index.html");
    assert!(
        html.contains("srcset=\"/healthy-schools/guide/badge.300w.webp 300w\""),
        "{html}"
    );
    let badges: Vec<String> = build
        .files()
        .into_iter()
        .filter(|f| f.contains("badge"))
        .collect();
    assert_eq!(
        badges,
        [
            "guide/badge.300w.jpg",
            "guide/badge.300w.webp",
            "guide/badge.jpg"
        ]
    );
    assert_eq!(
        size_of(&build.read_bytes("guide/badge.300w.webp")),
        (300, 200)
    );
}

#[test]
fn no_output_byte_holds_the_photos_location_even_when_linked_for_download() {
    let jpeg = photo(1200, 900, 1);
    assert!(contains(&jpeg, &gps_rationals()) && contains(&jpeg, XMP_LATITUDE.as_bytes()));
    let site = site_with(
        "![The hall](hall.jpg)\n\nDownload [the photo of the hall](hall-large.jpg).\n",
        &[
            ("content/guide/hall.jpg", &jpeg),
            ("content/guide/hall-large.jpg", &jpeg),
        ],
    );
    let build = site.build(&[]);
    build.assert_ok();
    let output = snapshot(&build.output);
    assert!(output.contains_key("guide/hall-large.jpg"));
    for (path, bytes) in &output {
        let planted: [&[u8]; 4] = [
            &gps_rationals(),
            XMP_LATITUDE.as_bytes(),
            b"GPSLatitude",
            b"Exif\0\0",
        ];
        for needle in planted {
            assert!(!contains(bytes, needle), "{path} holds {needle:?}");
        }
    }
}

#[test]
fn a_photo_taken_sideways_is_published_upright() {
    // Orientation 6: the camera was turned; the stored pixels are 800 × 600.
    let site = site_with(
        "![The hall](hall.jpg)\n",
        &[("content/guide/hall.jpg", &photo(800, 600, 6))],
    );
    let build = site.build(&[]);
    build.assert_ok();
    let html = build.read("guide/training/index.html");
    assert!(html.contains("width=\"600\" height=\"800\""), "{html}");
    assert_eq!(size_of(&build.read_bytes("guide/hall.jpg")), (600, 800));
    assert_eq!(
        size_of(&build.read_bytes("guide/hall.480w.webp")),
        (480, 640)
    );
}

#[test]
fn a_damaged_image_is_an_error_at_the_line_that_uses_it() {
    let jpeg = photo(800, 600, 1);
    let site = site_with(
        "Intro.\n\n![The hall](hall.jpg)\n",
        &[("content/guide/hall.jpg", &jpeg[..300])],
    );
    let build = site.build(&[]);
    build.assert_failed();
    build.assert_reports(
        "error: content/guide/hall.jpg cannot be published: the image cannot be read (",
    );
    build.assert_reports(" --> content/guide/training.md:6:1\n");
    build.assert_reports(
        "  = hint: open the image in an image editor and save it again, or replace it\n",
    );
}

#[test]
fn an_image_claiming_an_enormous_size_is_refused_before_decoding() {
    let mut jpeg = photo(64, 64, 1);
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a SOF0 marker");
    // Height and width 50,000.
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xC3, 0x50, 0xC3, 0x50]);
    let site = site_with(
        "![A poster](poster.jpg)\n",
        &[("content/guide/poster.jpg", &jpeg)],
    );
    let started = Instant::now();
    let build = site.build(&[]);
    build.assert_failed();
    assert!(started.elapsed() < Duration::from_secs(10));
    build.assert_reports("error: content/guide/poster.jpg cannot be published: the image");
    build.assert_reports("(100 megapixels, and no side over 20000 pixels)");
}

#[test]
fn an_svg_is_copied_as_it_is_with_its_size() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"><title>Approach</title><circle r=\"4\"/></svg>\n";
    let site = site_with(
        "![The whole-school approach](approach.svg)\n",
        &[("content/guide/approach.svg", svg.as_bytes())],
    );
    let build = site.build(&[]);
    build.assert_ok();
    assert_eq!(build.read("guide/approach.svg"), svg);
    let html = build.read("guide/training/index.html");
    assert!(html.contains("<img src=\"/healthy-schools/guide/approach.svg\" width=\"640\" height=\"360\" alt=\"The whole-school approach\">"), "{html}");
}

#[test]
fn a_decorative_image_has_empty_alt_text_and_no_warning() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"10\"/>";
    let site = site_with(
        "Text.\n\n![](divider.svg \"decorative\")\n\n![](plain.svg)\n",
        &[
            ("content/guide/divider.svg", svg.as_bytes()),
            ("content/guide/plain.svg", svg.as_bytes()),
        ],
    );
    let check = site.check(&[]);
    let alt = check.stderr.matches("warning[missing-alt]").count();
    assert_eq!(alt, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("content/guide/training.md:8:"),
        "{}",
        check.stderr
    );
    let build = site.build(&[]);
    build.assert_ok();
    let html = build.read("guide/training/index.html");
    assert!(
        html.contains(
            "<img src=\"/healthy-schools/guide/divider.svg\" width=\"600\" height=\"10\" alt=\"\">"
        ),
        "{html}"
    );
}

#[test]
fn a_partner_logo_is_a_picture_and_without_logo_alt_a_warning_at_its_line() {
    let site = TestSite::new()
        .file("content/partners/_index.md", "---\ntitle: Partners\n---\n")
        .file(
            "content/partners/nspcc.md",
            "---\ntitle: NSPCC\nlogo: logo.png\n---\nThe charity.\n",
        )
        .bytes("content/partners/logo.png", &png(400, 200));
    let build = site.build(&[]);
    build.assert_ok();
    build.assert_reports("warning[missing-alt]: the logo has no `logo_alt` text\n --> content/partners/nspcc.md:3:1\n");
    let html = build.read("partners/nspcc/index.html");
    assert!(html.contains("<picture><source type=\"image/webp\" srcset=\"/healthy-schools/partners/logo.400w.webp 400w\""), "{html}");
    assert!(
        html.contains("width=\"400\" height=\"200\" alt=\"\""),
        "{html}"
    );
}

fn cache_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("the cache folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn a_rebuild_reuses_the_cache_and_a_changed_image_is_processed_again() {
    let site = site_with(
        "![The hall](hall.jpg)\n",
        &[("content/guide/hall.jpg", &photo(1000, 750, 1))],
    );
    site.build(&[]).assert_ok();
    let cache = site.path(".bounce-cache/images");
    let first = cache_entries(&cache);
    assert_eq!(first.len(), 1, "{first:?}");
    let stamp = |dir: &Path| {
        fs::metadata(dir.join("960w.webp"))
            .and_then(|m| m.modified())
            .expect("a cached file")
    };
    let made = stamp(&first[0]);
    site.build(&[]).assert_ok();
    assert_eq!(cache_entries(&cache), first);
    assert_eq!(stamp(&first[0]), made);

    let site = site.bytes("content/guide/hall.jpg", &photo(500, 375, 1));
    let build = site.build(&[]);
    build.assert_ok();
    assert_eq!(cache_entries(&cache).len(), 2);
    assert!(
        build
            .read("guide/training/index.html")
            .contains("width=\"500\" height=\"375\"")
    );
}

#[test]
fn a_site_without_images_makes_no_cache_folder() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"6\" height=\"1\"/>";
    let site = site_with(
        "![A line](line.svg)\n",
        &[("content/guide/line.svg", svg.as_bytes())],
    );
    site.build(&[]).assert_ok();
    assert!(!site.path(".bounce-cache").exists());
}

#[test]
fn a_passcode_protected_photo_is_sealed_and_has_no_copies_in_the_clear() {
    let yaml = format!(
        "{}passcodes:\n  schools:\n    env: BOUNCE_TEST_IMAGES_PASSCODE\n    ask: Email us for the passcode.\n",
        crate::fixtures::SITE_YAML
    );
    let site = TestSite::new()
        .site_yaml(&yaml)
        .file("content/resources/_index.md", "---\ntitle: Resources\n---\n")
        .file(
            "content/resources/day.md",
            "---\ntitle: Training day photo\nsummary: For schools with the passcode.\nkind: training\nfile: day.jpg\naccess: passcode\n---\nThe photo of the day.\n",
        )
        .bytes("content/resources/day.jpg", &photo(1000, 750, 1));
    let root = site.root().to_string_lossy().into_owned();
    let env = [
        ("SOURCE_DATE_EPOCH", crate::fixtures::BUILD_DATE_EPOCH),
        (
            "BOUNCE_TEST_IMAGES_PASSCODE",
            "a long passcode for the images test",
        ),
    ];
    let build = site.run_with_env(&["build", "--root", &root], &env, site.path("output"));
    build.assert_ok();
    let days: Vec<String> = build
        .files()
        .into_iter()
        .filter(|f| f.contains("day."))
        .collect();
    assert_eq!(days, ["resources/day.jpg"]);
    assert!(
        !build
            .read_bytes("resources/day.jpg")
            .starts_with(&[0xFF, 0xD8])
    );
}
