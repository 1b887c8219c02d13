//! Finding script in written HTML: tags and attributes a browser would run,
//! for the property tests and the hostile-content tests.

/// Whether a browser would run `url` as script: it drops leading and trailing
/// spaces and control characters and every tab and newline, and ignores case.
pub fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// A start tag of the rendered HTML: its name and attributes (values unescaped
/// only as far as `&quot;`, which is all the writers emit inside quotes).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

/// Every start tag of `html`. In bounce's output a `<` in text is always
/// escaped, so every raw `<` opens a tag, an end tag or a comment.
pub fn start_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let attr_end = rest
                .find(|c: char| c.is_ascii_whitespace() || "=>/".contains(c))
                .unwrap_or(rest.len());
            let attr = rest[..attr_end].to_ascii_lowercase();
            rest = &rest[attr_end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let (raw, remaining) = match quote {
                    Some(q) => {
                        let inner = &after[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                    }
                    None => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = raw.replace("&quot;", "\"").replace("&amp;", "&");
                rest = remaining;
            }
            attributes.push((attr, value));
        }
        if !name.is_empty() {
            tags.push(Tag { name, attributes });
        }
    }
    tags
}

/// Panics if `html` holds a tag or attribute that can run script.
pub fn assert_no_script(html: &str) {
    for tag in start_tags(html) {
        assert!(
            ![
                "script", "iframe", "object", "embed", "style", "base", "frame", "svg", "math"
            ]
            .contains(&tag.name.as_str()),
            "a <{}> tag in\n{html}",
            tag.name
        );
        for (name, value) in &tag.attributes {
            assert!(
                !name.starts_with("on"),
                "an event attribute `{name}` in\n{html}"
            );
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "srcset",
            ]
            .contains(&name.as_str())
            {
                assert!(!is_script_url(value), "a script URL `{value}` in\n{html}");
            }
        }
    }
}
