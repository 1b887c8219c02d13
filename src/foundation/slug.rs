//! URL segments and heading ids made from text.

/// Lower-cases `text` and turns every run of characters that are not letters or
/// digits into one `-`, trimmed at both ends: `Why is resilience important?` →
/// `why-is-resilience-important`. Letters outside ASCII are kept (lower-cased).
///
/// The text is first put in Unicode NFC form: a Mac or a copied folder may spell
/// `é` as `e` and a combining accent, which would otherwise split the word
/// (`Résumé` → `re-sume`) and give the same name two URLs.
pub fn slugify(text: &str) -> String {
    let text = nfc(text);
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            // Apostrophes vanish ("children's" → "childrens"); all else separates.
            pending_dash = true;
        }
    }
    slug
}

/// `text` in Unicode NFC form (`é` as one character, not `e` and a combining
/// accent), as file keys and link paths are compared.
pub(crate) fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(text)
}

/// Whether `slug` is safe as one URL segment: not empty, no `/` or `\`, not `.`
/// or `..`, no white space or control characters, and none of the characters that
/// would need escaping in a URL.
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && slug != "."
        && slug != ".."
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"/\\?#%\"'<>&:*|".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_collapses_and_trims() {
        assert_eq!(
            slugify("Why is resilience important?"),
            "why-is-resilience-important"
        );
        assert_eq!(
            slugify("  Road Safety – Peterborough  "),
            "road-safety-peterborough"
        );
        assert_eq!(slugify("Children's Services"), "childrens-services");
        assert_eq!(slugify("KS1 & KS2"), "ks1-ks2");
        assert_eq!(slugify("Café"), "café");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn decomposed_accents_make_the_same_slug_as_composed_ones() {
        assert_eq!(slugify("Re\u{301}sume\u{301} Cafe\u{301}"), "résumé-café");
        assert_eq!(slugify("Résumé Café"), "résumé-café");
    }

    #[test]
    fn unsafe_segments_are_refused() {
        for bad in ["", ".", "..", "a/b", "a b", "..hidden", "a\u{7}b", "x?y"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
        assert!(is_safe_segment("nspcc"));
        assert!(is_safe_segment("key-stage_2"));
    }
}
