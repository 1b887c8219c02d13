//! The order of names in every listing: A–Z without regard to case or accents.
//!
//! Entry point: [`sort_key`], made once per document (or term, or area) and
//! compared as plain text, so "Cambridgeshire and Peterborough" comes before
//! "Cambridgeshire Fire" and "Éducation" sorts with "Education". A full
//! collation (ICU's) would order some scripts better, but costs a large table
//! of data for names that are, on these sites, English.

use icu_normalizer::DecomposingNormalizerBorrowed;

/// `text` folded for sorting: accents taken off (NFKD, then the combining
/// marks dropped), lower case, and leading punctuation (quotes, brackets)
/// skipped, so that `‘Speak out’` sorts under S.
/// A title of nothing but punctuation keeps it (in lower case), so no key of
/// a non-blank title is empty.
pub(crate) fn sort_key(text: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfkd().normalize(text);
    let key: String = decomposed
        .chars()
        .skip_while(|c| !c.is_alphanumeric())
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        text.to_lowercase()
    } else {
        key
    }
}

/// The combining marks that NFKD splits from Latin, Greek and Cyrillic
/// letters (the accents of the names these sites list).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_does_not_decide_the_order() {
        let mut names = [
            "Cambridgeshire Fire and Rescue Service",
            "Cambridgeshire and Peterborough Safeguarding Board",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names[0],
            "Cambridgeshire and Peterborough Safeguarding Board"
        );
    }

    #[test]
    fn accents_and_leading_quotes_are_folded() {
        assert_eq!(sort_key("Éducation"), "education");
        assert_eq!(sort_key("‘Speak out’ Stay safe"), "speak out’ stay safe");
        assert_eq!(sort_key("Straße"), "straße");
        assert!(sort_key("Émile") < sort_key("Emma"));
        assert_eq!(sort_key("?!"), "?!");
    }
}
