//! Files beside documents that could run script in a reader's browser.
//!
//! Entry point: [`check`], over the files that discovery found under
//! `content/`. A browser runs the script of an HTML page, and of an SVG or
//! XML file opened on its own, on the site's domain: that is what the raw-HTML
//! rule of `markdown` keeps out, so unless the site opts in
//! (`allow_unsafe_html`) such files are refused here. HTML files are refused
//! by name; SVG and XML files are read with an XML tokenizer ([`check_xml`],
//! pure), which decodes character references as a browser does, and refused
//! if they hold anything that can run script. Checking is linear in the size
//! of the file.

use std::path::Path;

use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Error, Reader, XmlVersion};
use rayon::prelude::*;

use crate::foundation::diagnostic::Diagnostic;
use crate::source::discover::{Asset, CONTENT_DIR};

/// What a file's name says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A web page: its script runs when it is opened.
    Html,
    /// A gzipped SVG: a browser may render it, but it cannot be read here.
    CompressedSvg,
    /// SVG or XML (and XSLT, which is XML too): checked element by element.
    Xml,
}

/// Extensions of pages a browser renders as HTML (or as a web archive).
const HTML: [&str; 7] = ["html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml"];
/// Extensions of XML that a browser renders, and so runs the script of.
const XML: [&str; 4] = ["svg", "xml", "xsl", "xslt"];

/// Elements that run script or embed a document that may: in any namespace
/// and any case (a browser's SVG and XHTML are case-sensitive, but refusing
/// `ScRiPt` costs nothing and names no real drawing's element).
const EMBEDDING: [&str; 8] = [
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "embed",
    "object",
    "applet",
    "handler",
];
/// Attributes whose value is a URL, or (`values`, `to`, `from`, `by`) the
/// value an animation gives one.
const URL_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "values",
    "to",
    "from",
    "by",
];
/// URL beginnings that run script, or open an HTML page made of the URL.
const SCRIPT_URLS: [&str; 6] = [
    "javascript:",
    "vbscript:",
    "data:text/html",
    "data:application/xhtml",
    "data:text/xml",
    "data:application/xml",
];

fn kind(key: &str) -> Option<Kind> {
    let (_, extension) = key.rsplit_once('.')?;
    let is = |list: &[&str]| list.iter().any(|e| extension.eq_ignore_ascii_case(e));
    if is(&HTML) {
        Some(Kind::Html)
    } else if is(&XML) {
        Some(Kind::Xml)
    } else {
        extension
            .eq_ignore_ascii_case("svgz")
            .then_some(Kind::CompressedSvg)
    }
}

/// Every file among `assets` that could run script, each reported once (at
/// its first problem), unless the site allows unsafe HTML. Reads the SVG and
/// XML files, on all cores.
pub(crate) fn check(assets: &[Asset], allow_unsafe_html: bool) -> Vec<Diagnostic> {
    if allow_unsafe_html {
        return Vec::new();
    }
    assets.par_iter().filter_map(check_asset).collect()
}

/// What ends every hint: the site's way out, for files it trusts.
const OPT_IN: &str =
    "if you trust every file in content/, set `allow_unsafe_html: true` in site.yaml";

fn check_asset(asset: &Asset) -> Option<Diagnostic> {
    let file = Path::new(CONTENT_DIR).join(&asset.key);
    let refused = match kind(&asset.key)? {
        Kind::Html => Diagnostic::error(
            "an HTML file could run script in readers' browsers, so it is not published",
        )
        .with_hint(format!(
            "put its text in a markdown page, or link to where the form or page is hosted; {OPT_IN}"
        )),
        Kind::CompressedSvg => {
            Diagnostic::error("a compressed SVG file cannot be checked for script").with_hint(
                format!("uncompress it to a plain .svg file (`gunzip -S .svgz`); {OPT_IN}"),
            )
        }
        Kind::Xml => return check_xml_file(asset, &file),
    };
    Some(refused.in_file(file))
}

fn check_xml_file(asset: &Asset, file: &Path) -> Option<Diagnostic> {
    let bytes = match std::fs::read(&asset.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Some(
                Diagnostic::error(format!("cannot read this file: {e}"))
                    .in_file(file)
                    .with_hint("check the file's permissions"),
            );
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Some(
            Diagnostic::error("this file is not UTF-8 text, so it cannot be checked for script")
                .in_file(file)
                .with_hint(format!(
                    "save it again as UTF-8 (or export the image as PNG); {OPT_IN}"
                )),
        );
    };
    let findings = check_xml(text);
    let first = findings.first()?;
    Some(finding_problem(first, findings.len() - 1).in_file(file).at(
        text,
        first.line,
        first.column,
    ))
}

/// The message for a file's first finding; `more` counts the others.
fn finding_problem(first: &Finding, more: usize) -> Diagnostic {
    let more = match more {
        0 => String::new(),
        1 => " (and 1 more problem in this file)".to_string(),
        n => format!(" (and {n} more problems in this file)"),
    };
    if first.malformed {
        Diagnostic::error(format!(
            "not well-formed XML, so it cannot be checked for script: {}{more}",
            first.what
        ))
        .with_hint(format!(
            "open the file in a browser to see the mistake, or export the image again; {OPT_IN}"
        ))
    } else {
        Diagnostic::error(format!(
            "{}, which could run script in readers' browsers{more}",
            first.what
        ))
        .with_hint(format!(
            "remove it from the file, or publish a PNG (for an image) or a .zip (for data) instead; {OPT_IN}"
        ))
    }
}

/// Something in an SVG or XML file that could run script, or the place where
/// it stops being well-formed XML (and so cannot be checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// In the file, from 1.
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    /// For a message: "`<script>` element", "`onload` attribute".
    pub what: String,
    /// The file is not well-formed: checking stopped here.
    pub malformed: bool,
}

/// A finding at a byte offset of the text, before lines are counted.
struct Found {
    offset: usize,
    what: String,
    malformed: bool,
}

/// Every finding in `text`, in the order of the file. Pure; linear in the
/// length of `text`; never panics.
pub fn check_xml(text: &str) -> Vec<Finding> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut found = Vec::new();
    scan(&text[bom..], &mut found);
    for f in &mut found {
        f.offset += bom;
    }
    locate(text, found)
}

/// Reads the events of `text` into `found`, until the end or the first
/// place that is not well-formed.
fn scan(text: &str, found: &mut Vec<Found>) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().enable_all_checks(true);
    let mut depth = 0usize;
    loop {
        let at = offset(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                found.push(malformed(offset(reader.error_position()), e.to_string()));
                return;
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                element(text, &e, at, found);
            }
            Event::Empty(e) => element(text, &e, at, found),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::DocType(d) if d.contains('[') => found.push(script(
                at,
                "a DOCTYPE that defines its own entities".to_string(),
            )),
            Event::PI(pi) if pi.target().eq_ignore_ascii_case("xml-stylesheet") => {
                found.push(script(at, "an `xml-stylesheet` instruction".to_string()));
            }
            Event::Eof if depth > 0 => {
                found.push(malformed(text.len(), "an end tag is missing".to_string()));
                return;
            }
            Event::Eof => return,
            _ => {}
        }
    }
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn script(offset: usize, what: String) -> Found {
    Found {
        offset,
        what,
        malformed: false,
    }
}

fn malformed(offset: usize, what: String) -> Found {
    Found {
        offset,
        what,
        malformed: true,
    }
}

/// An element's own findings: its name, then each attribute's.
fn element(text: &str, e: &BytesStart, at: usize, found: &mut Vec<Found>) {
    let name = e.name();
    let local = local_name(name.as_ref());
    if EMBEDDING.iter().any(|n| local.eq_ignore_ascii_case(n)) {
        found.push(script(at, format!("`<{}>` element", name.as_ref())));
    }
    // A duplicate attribute is not well-formed: reported as a browser would
    // refuse it (the tokenizer's check hashes the names of a long tag, so it
    // stays linear).
    for attribute in e.attributes() {
        let attribute = match attribute {
            Ok(attribute) => attribute,
            Err(e) => {
                found.push(malformed(at, e.to_string()));
                return;
            }
        };
        let key = attribute.key.as_ref();
        let at = offset_in(text, key).unwrap_or(at);
        if let Some(what) =
            attribute_finding(key, attribute.normalized_value(XmlVersion::Implicit1_0))
        {
            found.push(what.at(at));
        }
    }
}

/// What an attribute holds: its name and decoded value (or why the value
/// could not be decoded).
enum AttributeFinding {
    Script(String),
    Malformed(String),
}

impl AttributeFinding {
    fn at(self, offset: usize) -> Found {
        match self {
            AttributeFinding::Script(what) => script(offset, what),
            AttributeFinding::Malformed(what) => malformed(offset, what),
        }
    }
}

fn attribute_finding(
    key: &str,
    value: Result<std::borrow::Cow<'_, str>, Error>,
) -> Option<AttributeFinding> {
    let local = local_name(key);
    if starts_with_ignoring_case(local, "on") {
        return Some(AttributeFinding::Script(format!("`{key}` attribute")));
    }
    let is_url = URL_ATTRIBUTES.iter().any(|n| local.eq_ignore_ascii_case(n));
    let is_target = local.eq_ignore_ascii_case("attributeName");
    if !is_url && !is_target {
        return None;
    }
    let value = match value {
        Ok(value) => value,
        Err(e) => return Some(AttributeFinding::Malformed(value_problem(key, &e))),
    };
    if is_url && value.split(';').any(is_script_url) {
        return Some(AttributeFinding::Script(format!(
            "`{key}` with a script URL (`{}`)",
            shortened(&value)
        )));
    }
    let target = local_name(value.trim());
    let animates_script =
        starts_with_ignoring_case(target, "on") || target.eq_ignore_ascii_case("href");
    (is_target && animates_script).then(|| {
        AttributeFinding::Script(format!(
            "`{key}=\"{}\"` (an animated link or event)",
            value.trim()
        ))
    })
}

/// Why an attribute's value does not decode, for an editor.
fn value_problem(key: &str, error: &Error) -> String {
    match error {
        Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            format!("`&{name};` in `{key}` is not an entity XML knows")
        }
        Error::Escape(EscapeError::InvalidCharRef(_)) => {
            format!("`{key}` has a character reference (`&#...;`) to no character XML allows")
        }
        _ => format!("`{key}` has a `&` that starts no entity (write `&amp;`)"),
    }
}

/// Whether a URL runs script, read as a browser reads it: spaces and
/// control characters anywhere are dropped, and the scheme's case ignored.
fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(32)
        .collect();
    SCRIPT_URLS
        .iter()
        .any(|start| starts_with_ignoring_case(&squeezed, start))
}

fn starts_with_ignoring_case(text: &str, start: &str) -> bool {
    text.len() >= start.len()
        && text.as_bytes()[..start.len()].eq_ignore_ascii_case(start.as_bytes())
}

/// A name without its namespace prefix: `xlink:href` → `href`.
fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// A value as a message shows it: its first 40 characters, on one line.
fn shortened(value: &str) -> String {
    let mut shown: String = value
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if value.chars().nth(40).is_some() {
        shown.push('…');
    }
    shown
}

/// Where `part`, a slice of `text`, starts in it; None if it is not a slice
/// of `text` (a name the tokenizer had to copy).
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

/// Lines and columns for findings at byte offsets, in one pass over the text
/// (a minified SVG is one long line with many findings).
fn locate(text: &str, mut found: Vec<Found>) -> Vec<Finding> {
    found.sort_by_key(|f| f.offset);
    let bytes = text.as_bytes();
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    found
        .into_iter()
        .map(|f| {
            let target = f.offset.min(bytes.len());
            for &b in &bytes[at..target] {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Not a UTF-8 continuation byte: a new character.
                    column += 1;
                }
            }
            at = target;
            Finding {
                line,
                column,
                what: f.what,
                malformed: f.malformed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `what` of every finding in `text`.
    fn found(text: &str) -> Vec<String> {
        check_xml(text).into_iter().map(|f| f.what).collect()
    }

    fn svg(inside: &str) -> String {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{inside}</svg>")
    }

    #[test]
    fn a_plain_drawing_passes() {
        let drawing = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\" opacity=\"0.5\">\n<title>Logo &amp; mark</title>\n<a xlink:href=\"https://council.example/\"><circle r=\"4\" fill=\"#0a0\"/></a>\n<image href=\"data:image/png;base64,iVBORw0KGgo=\"/>\n<style>circle { stroke: red }</style><!-- a comment -->\n</svg>\n";
        assert_eq!(check_xml(drawing), []);
        assert_eq!(check_xml("\u{feff}<svg/>"), []);
    }

    #[test]
    fn script_is_found_in_any_case_and_namespace() {
        assert_eq!(
            found(&svg("<script>alert(1)</script>")),
            ["`<script>` element"]
        );
        assert_eq!(
            found(&svg("<ScRiPt>alert(1)</ScRiPt>")),
            ["`<ScRiPt>` element"]
        );
        assert_eq!(
            found(&svg(
                "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">x</h:script>"
            )),
            ["`<h:script>` element"]
        );
        assert_eq!(
            found(&svg("<foreignObject><p/></foreignObject><iframe/>")),
            ["`<foreignObject>` element", "`<iframe>` element"]
        );
    }

    #[test]
    fn event_attributes_are_found() {
        assert_eq!(found("<svg onload=\"alert(1)\"/>"), ["`onload` attribute"]);
        assert_eq!(found(&svg("<g OnClick='x()'/>")), ["`OnClick` attribute"]);
    }

    #[test]
    fn script_urls_are_found_after_decoding_references() {
        for href in [
            "javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;&#x61;vascript:x",
            " JaVa\tScRiPt:x",
            "java&#10;script:x",
            "java&#x9;script:x",
            "data:text/html,<script>x</script>",
        ] {
            let text = svg(&format!("<a xlink:href=\"{href}\"><text>x</text></a>"));
            let what = found(&text);
            assert_eq!(what.len(), 1, "{href}: {what:?}");
            assert!(
                what[0].starts_with("`xlink:href` with a script URL"),
                "{href}: {what:?}"
            );
        }
        assert_eq!(
            found(&svg(
                "<animate attributeName=\"fill\" values=\"red;javascript:x\"/>"
            ))
            .len(),
            1
        );
    }

    #[test]
    fn animating_links_and_events_is_found() {
        assert_eq!(
            found(&svg("<set attributeName=\"onmouseover\" to=\"alert(1)\"/>")),
            ["`attributeName=\"onmouseover\"` (an animated link or event)"]
        );
        assert_eq!(
            found(&svg("<animate attributeName=\"xlink:href\" to=\"#a\"/>")).len(),
            1
        );
        assert_eq!(
            found(&svg("<animate attributeName=\"opacity\" to=\"1\"/>")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn entities_and_stylesheets_are_found() {
        let entity = "<!DOCTYPE svg [<!ENTITY j \"javascript:\">]>\n<svg><a href=\"&j;x\"/></svg>";
        let what = found(entity);
        assert_eq!(what[0], "a DOCTYPE that defines its own entities");
        assert_eq!(
            found("<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><svg/>"),
            ["an `xml-stylesheet` instruction"]
        );
    }

    #[test]
    fn a_file_that_is_not_well_formed_is_refused_at_its_place() {
        let findings = check_xml("<svg>\n  <g>\n</svg>");
        assert_eq!(findings.len(), 1);
        assert!(findings[0].malformed);
        assert_eq!((findings[0].line, findings[0].column), (3, 1));
        assert!(check_xml("<svg><g>")[0].malformed);
        assert!(check_xml("<svg a=b/>")[0].malformed);
        assert!(check_xml("<svg a='1' a='2'/>")[0].malformed);
        assert!(check_xml("<svg><a href=\"java&#x0;script:x\"/></svg>")[0].malformed);
        let undefined = check_xml("<svg><a href=\"&nbsp;\"/></svg>");
        assert_eq!(
            undefined[0].what,
            "`&nbsp;` in `href` is not an entity XML knows"
        );
    }

    #[test]
    fn findings_are_placed_at_their_line_and_column() {
        let text = "<svg>\n<g>  <é/><rect onclick=\"x\"/></g>\n<script/></svg>";
        let placed: Vec<(usize, usize)> =
            check_xml(text).iter().map(|f| (f.line, f.column)).collect();
        assert_eq!(placed, [(2, 16), (3, 1)]);
    }

    #[test]
    fn a_tag_with_many_attributes_on_one_line_is_checked_in_linear_time() {
        // Quadratic work here (comparing each attribute's name with every
        // earlier one, or counting columns from the line's start for each
        // finding) would take minutes.
        let attributes: String = (0..50_000).map(|i| format!(" on{i}='x()'")).collect();
        let text = format!("<svg{attributes}/>");
        let findings = check_xml(&text);
        assert_eq!(findings.len(), 50_000);
        let last = text.rfind("on49999").expect("the last attribute");
        assert_eq!(findings[49_999].column, last + 1);
    }

    #[test]
    fn file_kinds_come_from_the_extension_in_any_case() {
        assert_eq!(kind("forms/form.HTML"), Some(Kind::Html));
        assert_eq!(kind("a.mhtml"), Some(Kind::Html));
        assert_eq!(kind("logo.Svg"), Some(Kind::Xml));
        assert_eq!(kind("data.xml"), Some(Kind::Xml));
        assert_eq!(kind("logo.svgz"), Some(Kind::CompressedSvg));
        assert_eq!(kind("policy.pdf"), None);
        assert_eq!(kind("html"), None);
    }
}
