//! The markup of an image: a `<picture>` with WebP and the original format
//! at each published width, or an `<img>` with its size for an image copied
//! as it is. Images after a page's first load lazily.
//!
//! Entry point: [`markup`], for markdown images and partner logos.

use crate::source::images::{Picture, variant};

/// The title that marks an image as decorative: `![](line.png "decorative")`
/// gets `alt=""`, so screen readers pass over it.
pub(crate) const DECORATIVE: &str = "decorative";

/// The width the default theme's content column takes: the `.prose`
/// measure (70ch of 1.125rem text, about 44rem), or the screen less its
/// margins on a phone.
pub(crate) const CONTENT_SIZES: &str = "(min-width: 46rem) 44rem, calc(100vw - 2rem)";

/// How one image is shown.
pub(crate) struct Shown<'a> {
    /// The URL of the image as published (its cleaned full-size copy).
    pub(crate) href: &'a str,
    pub(crate) picture: Option<&'a Picture>,
    pub(crate) alt: &'a str,
    pub(crate) title: &'a str,
    /// Not the page's first image: loads lazily.
    pub(crate) lazy: bool,
    /// The `sizes` attribute: the width the image takes in the layout.
    pub(crate) sizes: &'a str,
}

/// The HTML of an image.
pub(crate) fn markup(shown: &Shown) -> String {
    let mut img = String::from("<img");
    let resized = shown.picture.filter(|p| !p.widths.is_empty());
    match resized {
        Some(p) => {
            let src = default_width(&p.widths);
            attribute(&mut img, "src", &variant(shown.href, src, p.extension));
            attribute(&mut img, "srcset", &srcset(shown.href, p, p.extension));
            attribute(&mut img, "sizes", shown.sizes);
        }
        None => attribute(&mut img, "src", shown.href),
    }
    if let Some(p) = shown.picture {
        attribute(&mut img, "width", &p.width.to_string());
        attribute(&mut img, "height", &p.height.to_string());
    }
    attribute(&mut img, "alt", shown.alt);
    if !shown.title.is_empty() {
        attribute(&mut img, "title", shown.title);
    }
    if shown.lazy {
        img.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    img.push('>');
    match resized {
        Some(p) => {
            let mut source = String::from("<picture><source type=\"image/webp\"");
            attribute(&mut source, "srcset", &srcset(shown.href, p, "webp"));
            attribute(&mut source, "sizes", shown.sizes);
            format!("{source}>{img}</picture>")
        }
        None => img,
    }
}

/// The width of the `src` for browsers without `srcset`: the largest up to 960.
fn default_width(widths: &[u32]) -> u32 {
    let fits = widths.iter().copied().filter(|&w| w <= 960).max();
    fits.or(widths.first().copied()).unwrap_or_default()
}

fn srcset(href: &str, picture: &Picture, extension: &str) -> String {
    picture
        .widths
        .iter()
        .map(|&w| {
            // A space or comma would split the list.
            let url = variant(href, w, extension)
                .replace(' ', "%20")
                .replace(',', "%2C");
            format!("{url} {w}w")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_a_picture_with_webp_and_its_size() {
        let p = Picture {
            width: 4000,
            height: 3000,
            widths: vec![480, 960, 1440],
            extension: "jpg",
        };
        let html = markup(&Shown {
            href: "/a/photo.jpg",
            picture: Some(&p),
            alt: "A \"class\"",
            title: "",
            lazy: true,
            sizes: CONTENT_SIZES,
        });
        assert!(html.starts_with("<picture><source type=\"image/webp\" srcset=\"/a/photo.480w.webp 480w, /a/photo.960w.webp 960w, /a/photo.1440w.webp 1440w\""), "{html}");
        assert!(html.contains(" src=\"/a/photo.960w.jpg\""), "{html}");
        assert!(html.contains(" width=\"4000\" height=\"3000\" alt=\"A &quot;class&quot;\" loading=\"lazy\" decoding=\"async\">"), "{html}");
    }
}
