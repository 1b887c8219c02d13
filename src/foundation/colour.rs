//! Colours as site.yaml writes them (`#00524a`), and the WCAG 2.x contrast
//! between two of them.
//!
//! Entry points: [`Rgb::parse`], [`contrast`] and [`Rgb::darkened_for`], which
//! finds the nearest darker shade that reaches a contrast with white.

/// A colour of the sRGB space, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) [u8; 3]);

/// White, the text the default theme puts on dark colours.
pub(crate) const WHITE: Rgb = Rgb([0xff, 0xff, 0xff]);

impl Rgb {
    /// `#rrggbb` or `#rgb`, in either case; none for anything else.
    pub(crate) fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Rgb([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            6 => Some(Rgb([pair(0)?, pair(2)?, pair(4)?])),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub(crate) fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The relative luminance of WCAG 2.x (0 for black, 1 for white).
    pub(crate) fn luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0.map(linear);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// The lightest shade of this colour (each channel scaled down alike) on
    /// which white text has at least `ratio` contrast.
    pub(crate) fn darkened_for(self, ratio: f64) -> Rgb {
        (0..=100)
            .rev()
            .map(|percent| {
                Rgb(self
                    .0
                    .map(|c| (f64::from(c) * f64::from(percent) / 100.0).round() as u8))
            })
            .find(|shade| contrast(*shade, WHITE) >= ratio)
            .unwrap_or(Rgb([0, 0, 0]))
    }
}

/// The contrast ratio of WCAG 2.x between two colours: 1 to 21.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_in_both_lengths() {
        assert_eq!(Rgb::parse("#00524A"), Some(Rgb([0x00, 0x52, 0x4a])));
        assert_eq!(Rgb::parse("#fff"), Some(WHITE));
        assert_eq!(Rgb::parse("00524a"), None);
        assert_eq!(Rgb::parse("#00524"), None);
        assert_eq!(Rgb::parse("#gg0000"), None);
        assert_eq!(Rgb::parse("#é12"), None);
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        let black = Rgb([0, 0, 0]);
        assert!((contrast(black, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the lightest grey that passes AA: 4.54:1.
        let grey = contrast(Rgb([0x76, 0x76, 0x76]), WHITE);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        let grey = contrast(Rgb([0x77, 0x77, 0x77]), WHITE);
        assert!(grey < 4.5, "{grey}");
    }

    #[test]
    fn a_darker_shade_reaches_the_ratio() {
        let light = Rgb([0x3c, 0x9d, 0xd0]);
        let shade = light.darkened_for(4.5);
        assert!(contrast(shade, WHITE) >= 4.5);
        assert!(contrast(Rgb(shade.0.map(|c| c.saturating_add(4))), WHITE) < 4.6);
    }
}
