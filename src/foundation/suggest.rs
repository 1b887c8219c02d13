//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `word` by edit distance (Levenshtein, in
/// characters), if it is close enough to be a plausible typo (at most a third
/// of the word's length, and at least one edit).
/// Failing that, a candidate of three letters or more that the word contains, or
/// that contains it (`telephone` → `phone`).
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let by_distance = candidates
        .iter()
        .map(|c| (strsim::levenshtein(&word_lower, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c);
    by_distance.or_else(|| {
        candidates
            .iter()
            .filter(|c| {
                let c = c.to_lowercase();
                c.len() >= 3
                    && word_lower.len() >= 3
                    && (word_lower.contains(&c) || c.contains(&word_lower))
            })
            .min_by_key(|c| (c.len().abs_diff(word.len()), **c))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["website", "email", "phone", "title"];
        assert_eq!(nearest("webiste", fields), Some("website"));
        assert_eq!(nearest("Title", fields), Some("title"));
        assert_eq!(nearest("colour", fields), None);
        assert_eq!(nearest("telephone", fields), Some("phone"));
    }

    /// The limits of [`nearest`] are in edits of characters, not bytes.
    #[test]
    fn distance_counts_edits() {
        let edit_distance = strsim::levenshtein;
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("café", "cafe"), 1);
    }
}
