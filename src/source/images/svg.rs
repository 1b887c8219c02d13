//! The size of an SVG file, read from its root element's `width` and
//! `height` (in pixels or without a unit), or else from its `viewBox`.
//!
//! Entry point: [`size`]. The file has been checked for script already
//! (`source::scripted`); it is copied as it is.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Width and height in CSS pixels, where the root element says them.
pub(crate) fn size(text: &str) -> Option<(u32, u32)> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let (mut width, mut height, mut view_box) = (None, None, None);
                for attribute in e.attributes() {
                    let attribute = attribute.ok()?;
                    let value = attribute
                        .normalized_value(XmlVersion::Implicit1_0)
                        .ok()?
                        .into_owned();
                    match attribute.key.as_ref() {
                        "width" => width = pixels(&value),
                        "height" => height = pixels(&value),
                        "viewBox" => view_box = Some(value),
                        _ => {}
                    }
                }
                return width
                    .zip(height)
                    .or_else(|| view_box.as_deref().and_then(from_view_box));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `120`, `120px` or `120.5` as whole pixels; None for `%`, `em` and the like.
fn pixels(value: &str) -> Option<u32> {
    let number = value.trim().strip_suffix("px").unwrap_or(value.trim());
    let n: f64 = number.parse().ok()?;
    (n.is_finite() && (1.0..=f64::from(u32::MAX)).contains(&n)).then(|| n.round() as u32)
}

fn from_view_box(value: &str) -> Option<(u32, u32)> {
    let numbers: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect();
    match numbers.as_slice() {
        [_, _, w, h] => pixels(w).zip(pixels(h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn width_and_height_or_the_view_box() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640px" height="480"/>"#;
        assert_eq!(size(svg), Some((640, 480)));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600"></svg>"#;
        assert_eq!(size(svg), Some((800, 600)));
        assert_eq!(size(r#"<svg width="100%"/>"#), None);
    }
}
