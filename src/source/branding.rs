//! The keys of site.yaml that make the site a council's own without touching a
//! template: `organisation`, `logo` and `logo_alt`, `brand_colour`, `footer`
//! and `notice` (README.md, "site.yaml", lists them with their defaults).
//!
//! Entry point: [`Branding::read`], pure, called by `config::parse`; and
//! [`check_logo`], which `config::load` runs to see that the logo exists.
//! `brand_colour` is refused, naming the key and the ratio, when neither white
//! nor the theme's dark text would reach the 4.5:1 contrast of WCAG AA on it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::foundation::colour::{self, Rgb, WHITE};
use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::slug::is_safe_segment;
use crate::source::yaml::Source;

/// The default theme's header colour, used when site.yaml sets none.
pub(crate) const DEFAULT_BRAND_COLOUR: &str = "#00524a";
/// The default theme's dark text colour, put on light brand colours.
const DARK_TEXT: Rgb = Rgb([0x1b, 0x1b, 0x1b]);
/// WCAG 2.x AA for normal text.
const AA: f64 = 4.5;

/// The service that runs the site, shown in the footer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Organisation {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) address: Option<String>,
}

/// A link of the footer: privacy, cookies, contact, ...
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FooterLink {
    pub(crate) text: String,
    /// A web address, a `mailto:` address, or a path within the site.
    pub(crate) url: String,
}

/// The footer's links, licence and copyright lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Footer {
    #[serde(default)]
    pub(crate) links: Vec<FooterLink>,
    #[serde(default)]
    pub(crate) licence: Option<String>,
    #[serde(default)]
    pub(crate) licence_url: Option<String>,
    #[serde(default)]
    pub(crate) copyright: Option<String>,
}

/// A banner above every page ("This site is new: tell us what you think").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Notice {
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) link_text: Option<String>,
}

/// The site's logo: a file of the site's `static/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Logo {
    /// As site.yaml writes it: `static/logo.svg`.
    pub(crate) file: String,
    pub(crate) alt: String,
}

/// The brand colour and the text colour the theme puts on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Brand {
    /// `#rrggbb`.
    pub(crate) colour: String,
    /// `#ffffff` or the theme's dark text colour, whichever reads better.
    pub(crate) text: String,
}

/// The keys of site.yaml that brand the site, as written there.
pub(crate) struct RawBranding {
    pub(crate) organisation: Option<Organisation>,
    pub(crate) logo: Option<String>,
    pub(crate) logo_alt: Option<String>,
    pub(crate) brand_colour: Option<String>,
    pub(crate) footer: Option<Footer>,
    pub(crate) notice: Option<Notice>,
}

/// The validated branding of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Branding {
    pub(crate) organisation: Option<Organisation>,
    pub(crate) logo: Option<Logo>,
    pub(crate) brand: Brand,
    pub(crate) footer: Footer,
    pub(crate) notice: Option<Notice>,
}

impl Branding {
    /// Validates the branding keys; problems are added to `problems`.
    pub(crate) fn read(
        source: &Source,
        raw: RawBranding,
        problems: &mut Vec<Diagnostic>,
    ) -> Branding {
        let footer = raw.footer.unwrap_or_default();
        let footer_urls = footer.links.iter().map(|l| ("footer", l.url.as_str()));
        let licence_url = footer.licence_url.iter().map(|u| ("footer", u.as_str()));
        let notice_url = raw.notice.iter().filter_map(|n| n.url.as_deref());
        for (key, url) in footer_urls
            .chain(licence_url)
            .chain(notice_url.map(|u| ("notice", u)))
        {
            check_link(source, key, url, problems);
        }
        Branding {
            organisation: raw.organisation,
            logo: logo(source, raw.logo, raw.logo_alt, problems),
            brand: brand(source, raw.brand_colour.as_deref(), problems),
            footer,
            notice: raw.notice,
        }
    }
}

/// A footer or notice link: a web or `mailto:` address, or a path within the
/// site (`accessibility/`), which [`site_link`] puts under the base path.
fn check_link(source: &Source, key: &str, url: &str, problems: &mut Vec<Diagnostic>) {
    let scheme = ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| url.starts_with(s));
    let path = !url.contains(':') && !url.starts_with("//") && !url.contains(['<', '>', '"']);
    if !scheme && !path {
        problems.push(
            source
                .error_at_value(format!("`{url}` is not a web address or a path of the site"), key, url)
                .with_hint("write a full address starting with https://, a `mailto:` address, or a path of this site such as `accessibility/`"),
        );
    }
}

/// A footer or notice link as a page links it: paths within the site under
/// the base path, other addresses as they are.
pub(crate) fn site_link(base_path: &str, url: &str) -> String {
    if url.contains(':') {
        url.to_string()
    } else {
        format!("{base_path}{}", url.trim_start_matches('/'))
    }
}

/// `logo` and `logo_alt`: both or neither; the logo a file of `static/`.
fn logo(
    source: &Source,
    file: Option<String>,
    alt: Option<String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Logo> {
    let alt = alt.filter(|a| !a.trim().is_empty());
    match (file, alt) {
        (None, None) => None,
        (None, Some(_)) => {
            problems.push(
                source
                    .error_at_key("`logo_alt` is set but there is no `logo`", "logo_alt")
                    .with_hint(
                        "add `logo: static/logo.svg` (your logo's file), or remove `logo_alt`",
                    ),
            );
            None
        }
        (Some(_), None) => {
            problems.push(
                source
                    .error_at_key(
                        "the `logo` needs a `logo_alt`: the text a screen reader reads for it",
                        "logo",
                    )
                    .with_hint("add a line such as `logo_alt: Cambridgeshire County Council`"),
            );
            None
        }
        (Some(file), Some(alt)) => {
            let under_static = file
                .strip_prefix("static/")
                .is_some_and(|rest| rest.split('/').all(is_safe_segment));
            if !under_static {
                problems.push(
                    source
                        .error_at_key(format!("`logo` must be a file in the site's static/ folder, not `{file}`"), "logo")
                        .with_hint("put the logo in static/ and write its path from the site's folder, e.g. `logo: static/logo.svg`"),
                );
                return None;
            }
            Some(Logo { file, alt })
        }
    }
}

/// The logo's URL under the output root: `static/logo.svg` → `logo.svg`.
pub(crate) fn logo_path(logo: &Logo) -> &str {
    logo.file.strip_prefix("static/").unwrap_or(&logo.file)
}

/// Whether the logo's file exists; the problem at the `logo` key if not.
pub(crate) fn check_logo(root: &Path, source: &Source, logo: &Logo) -> Option<Diagnostic> {
    if root.join(&logo.file).is_file() {
        return None;
    }
    Some(
        source
            .error_at_key(format!("there is no logo file `{}`", logo.file), "logo")
            .with_hint("check the file's name, and that it is in the site's static/ folder"),
    )
}

/// `brand_colour` and the text colour for it: white, or dark text on light
/// colours; a problem when neither reaches WCAG AA.
fn brand(source: &Source, colour: Option<&str>, problems: &mut Vec<Diagnostic>) -> Brand {
    let written = colour.unwrap_or(DEFAULT_BRAND_COLOUR);
    let Some(rgb) = Rgb::parse(written) else {
        problems.push(
            source
                .error_at_key(format!("`brand_colour` must be a colour written `#rrggbb`, not `{written}`"), "brand_colour")
                .with_hint(format!("write the colour in hex with its `#` and in quotes, e.g. `brand_colour: \"{DEFAULT_BRAND_COLOUR}\"`")),
        );
        return default_brand();
    };
    let (on_white, on_dark) = (
        colour::contrast(rgb, WHITE),
        colour::contrast(rgb, DARK_TEXT),
    );
    let text = if on_white >= AA {
        WHITE
    } else if on_dark >= AA {
        DARK_TEXT
    } else {
        let shade = rgb.darkened_for(AA);
        problems.push(
            source
                .error_at_key(
                    format!(
                        "text on `brand_colour` `{written}` would fall below the 4.5:1 contrast of WCAG AA: white text has {}:1, dark text {}:1",
                        ratio(on_white),
                        ratio(on_dark)
                    ),
                    "brand_colour",
                )
                .with_hint(format!(
                    "use a darker shade, such as `{}` ({}:1 with white text)",
                    shade.hex(),
                    ratio(colour::contrast(shade, WHITE))
                )),
        );
        return default_brand();
    };
    Brand {
        colour: rgb.hex(),
        text: text.hex(),
    }
}

/// A contrast ratio to two places, rounded down: 4.499 is `4.49`, not `4.50`.
fn ratio(value: f64) -> String {
    format!("{:.2}", (value * 100.0).floor() / 100.0)
}

fn default_brand() -> Brand {
    Brand {
        colour: DEFAULT_BRAND_COLOUR.into(),
        text: WHITE.hex(),
    }
}
