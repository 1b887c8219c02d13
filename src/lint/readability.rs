//! How hard a page is to read: the Flesch–Kincaid grade of its prose, and the
//! reading age that goes with it (grade + 5, as UK schools count ages).
//!
//! Entry point: [`measure`], pure, on the blocks of prose the body outline
//! keeps (paragraphs, headings and list items, without code or tables). Each
//! block ends a sentence, so a heading or list item without a full stop is not
//! run into the next one. Syllables are counted by the usual vowel-group rule
//! for English, which is close enough for a grade.

/// The counts the Flesch–Kincaid formula needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Readability {
    pub(crate) words: usize,
    pub(crate) sentences: usize,
    pub(crate) syllables: usize,
}

impl Readability {
    /// Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 ×
    /// syllables per word − 15.59. None for a page without words.
    pub(crate) fn grade(&self) -> Option<f64> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        let words = self.words as f64;
        Some(0.39 * words / self.sentences as f64 + 11.8 * self.syllables as f64 / words - 15.59)
    }

    /// The reading age in whole years: the US grade plus five.
    pub(crate) fn reading_age(&self) -> Option<u32> {
        self.grade().map(|g| (g + 5.0).round().max(0.0) as u32)
    }

    pub(crate) fn words_per_sentence(&self) -> f64 {
        self.words as f64 / self.sentences.max(1) as f64
    }

    pub(crate) fn syllables_per_word(&self) -> f64 {
        self.syllables as f64 / self.words.max(1) as f64
    }
}

/// Counts the words, sentences and syllables of some blocks of prose.
pub(crate) fn measure(blocks: &[String]) -> Readability {
    let mut counts = Readability::default();
    for block in blocks {
        for sentence in sentences(block) {
            let words: Vec<&str> = sentence
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            if words.is_empty() {
                continue;
            }
            counts.sentences += 1;
            counts.words += words.len();
            counts.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
        }
    }
    counts
}

/// Splits at `.`, `!` and `?` followed by a space or the end (so `1.5` and
/// `www.nspcc.org.uk` stay whole).
fn sentences(block: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut chars = block.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if matches!(c, '.' | '!' | '?') && next.is_none_or(|n| n.is_whitespace()) {
            found.push(&block[start..i + 1]);
            start = i + 1;
        }
    }
    found.push(&block[start..]);
    found
}

/// Syllables in an English word by vowel groups, less a silent final `e`
/// (`make`, but not `little`) and `-es`/`-ed` endings that add none (`makes`,
/// `played`, but not `wanted`). At least one per word; numbers count as one.
pub(crate) fn syllables(word: &str) -> usize {
    let word: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if word.len() <= 3 {
        return 1;
    }
    let mut groups = 0;
    let mut in_vowels = false;
    for c in word.chars() {
        let vowel = "aeiouy".contains(c);
        if vowel && !in_vowels {
            groups += 1;
        }
        in_vowels = vowel;
    }
    let silent_e = word.ends_with('e') && !word.ends_with("le") && !word.ends_with("ee");
    let silent_ending = (word.ends_with("es") || word.ends_with("ed"))
        && !word.ends_with("ted")
        && !word.ends_with("ded")
        && !word.ends_with("ses")
        && !word.ends_with("ces")
        && !word.ends_with("ges")
        && !word.ends_with("zes");
    if (silent_e || silent_ending) && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn syllables_follow_vowel_groups() {
        let counted: Vec<usize> = [
            "cat",
            "make",
            "little",
            "played",
            "wanted",
            "resilience",
            "wellbeing",
            "together",
            "pages",
            "2026",
        ]
        .iter()
        .map(|w| syllables(w))
        .collect();
        // A vowel pair counts once, so a few words come out a syllable short
        // (re-sil-i-ence, well-be-ing): the grade is an estimate.
        assert_eq!(counted, [1, 1, 2, 1, 2, 3, 2, 3, 2, 1]);
    }

    #[test]
    fn sentences_end_at_stops_and_at_blocks() {
        let measured = measure(&blocks(&[
            "We all have bad days. That is OK!",
            "Things that can help",
            "Call 0800 1111 or visit www.childline.org.uk today.",
        ]));
        assert_eq!(measured.sentences, 4);
        assert_eq!(measured.words, 19);
    }

    #[test]
    fn the_flesch_kincaid_grade_of_a_simple_sentence() {
        // 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45.
        let measured = measure(&blocks(&["The cat sat on the mat."]));
        assert_eq!(
            measured,
            Readability {
                words: 6,
                sentences: 1,
                syllables: 6
            }
        );
        let grade = measured.grade().expect("has words");
        assert!((grade - -1.45).abs() < 1e-9, "{grade}");
        assert_eq!(measured.reading_age(), Some(4));
    }

    #[test]
    fn long_words_and_sentences_raise_the_reading_age() {
        let easy = measure(&blocks(&["Talk to someone you trust. Ask for help."]));
        let hard = measure(&blocks(&[
            "Resilience is the capacity to recover quickly from difficulties, and schools can develop it systematically through whole-school approaches to emotional wellbeing.",
        ]));
        let (easy, hard) = (easy.reading_age(), hard.reading_age());
        assert!(easy < Some(7) && hard > Some(18), "{easy:?} {hard:?}");
        assert_eq!(measure(&[]).reading_age(), None);
    }
}
