//! The text of a page as search reads it: the visible text of rendered HTML,
//! lower-cased, cut into words, less stop words. Entry points: [`visible_text`],
//! [`runs`] and [`worth_indexing`].

use crate::foundation::eight;

/// Words too common to be worth indexing.
pub(crate) const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "before", "being", "but", "can", "could",
    "does", "each", "for", "from", "had", "has", "have", "her", "his", "how", "into", "its", "may",
    "more", "most", "not", "one", "only", "other", "our", "out", "over", "should", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "too", "two", "very", "was", "way", "were", "what", "when", "where", "which",
    "while", "who", "why", "will", "with", "would", "you", "your",
];

/// Appends the visible text of `html` as a reader sees it to `out`, written
/// as the inside of a JSON string (`"` and `\\` escaped): tags become
/// spaces (but for the inline ones of [`runs_on`]: `<a href="/x/">Bounce</a>,`
/// is `Bounce,`), runs of white space and control characters one space (none
/// at the ends of what this appends), and the character references
/// pulldown-cmark and ammonia write (`&lt;`, `&gt;`, `&quot;`, `&#39;`,
/// `&amp;`) the characters they stand for.
///
/// One pass over the HTML, which copies runs of plain text whole: this runs
/// over every document's whole body, and what it writes is the record the
/// search page shows snippets from and the text the words are read from
/// (escaping adds no letter or digit, so the words are the same).
pub(crate) fn push_visible_text(html: &str, out: &mut String) {
    let bytes = html.as_bytes();
    let from = out.len();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        at = plain_run(bytes, start);
        out.push_str(&html[start..at]);
        let Some(&b) = bytes.get(at) else { break };
        at = match b {
            b'<' => past_tag(bytes, at, out, from),
            b'>' => at + 1,
            b'&' => reference(html, at, out),
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
                at + 1
            }
            b if b.is_ascii() => {
                space(out, from);
                at + 1
            }
            _ => {
                let c = html[at..].chars().next().unwrap_or_default();
                if c.is_whitespace() || c.is_control() {
                    space(out, from);
                } else {
                    out.push(c);
                }
                at + c.len_utf8().max(1)
            }
        };
    }
    if out.len() > from && out.ends_with(' ') {
        out.pop();
    }
}

/// Where the plain text from `start` ends: printable ASCII but for `<`,
/// `>`, `&`, `"` and `\\`, and spaces after other bytes (a space after a
/// space, or at `start`, is not). Sixteen bytes at a time.
fn plain_run(bytes: &[u8], start: usize) -> usize {
    use wide::u8x16;
    let splat = u8x16::splat;
    let mut at = start;
    // Whether the byte before `at` is a space, or `at` is `start`.
    let mut after_space = 1;
    loop {
        let v = eight::sixteen(bytes, at);
        let printable = (v - splat(b' '))
            .saturating_sub(splat(b'~' - b' '))
            .simd_eq(splat(0));
        let special = [b'<', b'>', b'&', b'"', b'\\']
            .iter()
            .fold(!printable, |marks, &c| marks | v.simd_eq(splat(c)));
        let spaces = v.simd_eq(splat(b' ')).to_bitmask();
        let stops = special.to_bitmask() | (spaces & (spaces << 1 | after_space));
        if stops != 0 {
            return (at + stops.trailing_zeros() as usize).min(bytes.len());
        }
        after_space = spaces >> 15;
        at += 16;
    }
}

/// Past the tag that opens at `at` (a `<` inside it is another tag), with a
/// space unless the tag runs on.
fn past_tag(bytes: &[u8], mut at: usize, out: &mut String, from: usize) -> usize {
    loop {
        if !runs_on(&bytes[at + 1..]) {
            space(out, from);
        }
        match memchr::memchr2(b'<', b'>', &bytes[at + 1..]) {
            None => return bytes.len(),
            Some(i) if bytes[at + 1 + i] == b'<' => at += 1 + i,
            Some(i) => return at + 2 + i,
        }
    }
}

/// The character reference at `at` written as its character (escaped for
/// JSON), or the `&` as it is; returns where the reference ends.
fn reference(html: &str, at: usize, out: &mut String) -> usize {
    const REFERENCES: [(&str, &str); 5] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\\\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ];
    let rest = &html[at..];
    match REFERENCES.iter().find(|(name, _)| rest.starts_with(name)) {
        Some((name, character)) => {
            out.push_str(character);
            at + name.len()
        }
        None => {
            out.push('&');
            at + 1
        }
    }
}

/// Whether the tag that `after`, the HTML just past a `<`, opens or closes
/// is an inline element whose text runs on into the text around it, so
/// that it is no space: a link, emphasis, code. Not `<sup>`, which holds
/// footnote numbers (`resilience<sup>1</sup>` is not the word `resilience1`).
fn runs_on(after: &[u8]) -> bool {
    let name = after.strip_prefix(b"/").unwrap_or(after);
    // The longest name below has six letters.
    let mut lower = [0; 7];
    let mut length = 0;
    for (l, b) in lower.iter_mut().zip(name) {
        if !b.is_ascii_alphanumeric() {
            break;
        }
        *l = b.to_ascii_lowercase();
        length += 1;
    }
    matches!(
        &lower[..length],
        b"a" | b"abbr"
            | b"b"
            | b"cite"
            | b"code"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"time"
            | b"u"
            | b"var"
    )
}

/// One space after the text written from `from` on, unless it is empty or
/// ends with one.
fn space(out: &mut String, from: usize) {
    if out.len() > from && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// `text.to_lowercase()`, without its cost when only ASCII letters change:
/// most documents have curly quotes or dashes, and past the first of those
/// `to_lowercase` looks every character up in Unicode's tables.
pub(crate) fn lower_case(mut text: String) -> String {
    text.make_ascii_lowercase();
    if only_ascii_changes(&text) {
        text
    } else {
        text.to_lowercase()
    }
}

/// Whether lower-casing `text`, whose ASCII letters are lower-case already,
/// leaves it as it is. Only the characters past ASCII are looked up, each
/// decoded from where it starts; the text is skipped over sixteen bytes at a
/// time where it is all ASCII.
fn only_ascii_changes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes.len().min(at + 16);
        if !bytes[at..end].is_ascii() {
            for (i, _) in bytes[at..end]
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b >= 0xC0)
            {
                let c = text[at + i..].chars().next().unwrap_or_default();
                if !c.to_lowercase().eq([c]) {
                    return false;
                }
            }
        }
        at = end;
    }
    true
}

/// Every run of alphanumeric characters of `text`, worth indexing or not.
pub(crate) fn runs(text: &str) -> impl Iterator<Item = &str> {
    Alphanumeric { text, at: 0 }
}

/// The fewest bytes (and characters) of a word worth indexing.
pub(crate) const MINIMUM_LENGTH: usize = 3;

/// At least three characters, not starting with a digit, and neither a stop
/// word nor the name of a character reference.
pub(crate) fn worth_indexing(word: &str) -> bool {
    word.len() >= MINIMUM_LENGTH
        && (word.as_bytes()[..MINIMUM_LENGTH].is_ascii()
            || word.chars().nth(MINIMUM_LENGTH - 1).is_some())
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !is_unindexed(word)
}

/// The runs of alphanumeric characters of a text: what
/// `text.split(|c: char| !c.is_alphanumeric())` gives, less the empty strings,
/// without decoding every character (the text is mostly ASCII, and this runs
/// over every document's whole text).
struct Alphanumeric<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Alphanumeric<'t> {
    /// Whether the character at `at` is alphanumeric, and its length in bytes.
    fn class(&self, at: usize) -> (bool, usize) {
        match self.text.as_bytes()[at] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => {
                let c = self.text[at..]
                    .chars()
                    .next()
                    .expect("`at` is always at the start of a character");
                (c.is_alphanumeric(), c.len_utf8())
            }
        }
    }
}

impl<'t> Iterator for Alphanumeric<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        // To the start of a run...
        let start = loop {
            match bytes.get(self.at) {
                None => return None,
                Some(b) if b.is_ascii_alphanumeric() => break self.at,
                Some(b) if b.is_ascii() => self.at += 1,
                Some(_) => match self.class(self.at) {
                    (true, _) => break self.at,
                    (false, width) => self.at += width,
                },
            }
        };
        // ... and to its end, past the character that ends it.
        while let Some(&b) = bytes.get(self.at) {
            let (alphanumeric, width) = match b {
                b if b.is_ascii_alphanumeric() => (true, 1),
                b if b.is_ascii() => (false, 1),
                _ => self.class(self.at),
            };
            if !alphanumeric {
                let run = &self.text[start..self.at];
                self.at += width;
                return Some(run);
            }
            self.at += width;
        }
        Some(&self.text[start..])
    }
}

/// A word of up to eight bytes as a number (its bytes big-endian, zeros
/// after): comparing numbers is much cheaper than comparing strings, and this
/// runs for every word of the site.
const fn key(word: &[u8]) -> u64 {
    let mut key = 0;
    let mut i = 0;
    while i < 8 {
        key <<= 8;
        if i < word.len() {
            key |= word[i] as u64;
        }
        i += 1;
    }
    key
}

/// Names left from character references such as `&rsquo;`.
const REFERENCE_NAMES: &[&str] = &[
    "rsquo", "lsquo", "rdquo", "ldquo", "ndash", "mdash", "nbsp", "hellip",
];

/// [`STOP_WORDS`] and [`REFERENCE_NAMES`] as [`key`]s, in a hash table made at
/// compile time: a word is looked up with a multiplication and a comparison or
/// two, where a binary search took seven unpredictable branches.
const UNINDEXED: [u64; 256] = {
    let mut table = [0; 256];
    let lists = [STOP_WORDS, REFERENCE_NAMES];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            let word = key(lists[l][i].as_bytes());
            let mut slot = slot_of(word);
            while table[slot] != 0 {
                slot = (slot + 1) % table.len();
            }
            table[slot] = word;
            i += 1;
        }
        l += 1;
    }
    table
};

const fn slot_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// A stop word or a reference name. Every key in the table is of a word of
/// at most eight bytes, and no word's key is 0, the empty slot.
fn is_unindexed(word: &str) -> bool {
    if word.len() > 8 {
        return false;
    }
    let word = key(word.as_bytes());
    let mut slot = slot_of(word);
    loop {
        match UNINDEXED[slot] {
            0 => return false,
            k if k == word => return true,
            _ => slot = (slot + 1) % UNINDEXED.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The visible text of `html`, read back from the JSON it is written as.
    fn visible_text(html: &str) -> String {
        let mut out = String::new();
        push_visible_text(html, &mut out);
        serde_json::from_str(&format!("\"{out}\"")).expect("valid JSON string contents")
    }

    #[test]
    fn stop_words_and_reference_names_are_not_indexed() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 8 && is_unindexed(w)));
        assert!(
            REFERENCE_NAMES
                .iter()
                .all(|w| w.len() <= 8 && is_unindexed(w))
        );
        for word in [
            "thee",
            "throughout",
            "school",
            "nbs",
            "hellips",
            "wellbeing",
        ] {
            assert!(!is_unindexed(word), "{word}");
        }
    }

    #[test]
    fn character_references_become_the_characters_they_stand_for() {
        assert_eq!(
            visible_text("a&amp;quot;b &#39;c&lt;d&gt;"),
            "a&quot;b 'c<d>"
        );
        assert_eq!(visible_text("x<b>y</b>z>w<i"), "xyzw");
        assert_eq!(visible_text("x<p>y</p>z>w<div"), "x y zw");
        assert_eq!(visible_text("  a \n\t b<p>  c  </p>\n"), "a b c");
        assert_eq!(lower_case(visible_text("ÉCOLE ΣΟΦΟΣ")), "école σοφος");
        assert_eq!(lower_case(visible_text("“Don’t” – HELP")), "“don’t” – help");
    }

    #[test]
    fn inline_tags_run_on_and_the_others_are_spaces() {
        assert_eq!(
            visible_text(
                "<p>See <a href=\"/x/\">Bounce Forward</a>, <EM>more</EM>.</p><p>Next<br>line</p>"
            ),
            "See Bounce Forward, more. Next line"
        );
        assert_eq!(
            visible_text("resilience<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>."),
            "resilience 1 ."
        );
        assert_eq!(visible_text("a<abbrev>b</abbrev>c<a>d"), "a b cd");
        assert_eq!(
            visible_text("a<STRONG>b</Strong>c<strongest>d</strongest>e<small2>f"),
            "abc d e f"
        );
    }

    #[test]
    fn alphanumeric_runs_are_what_splitting_at_everything_else_gives() {
        for text in [
            "",
            "école, c’est l’été — 2024!",
            "  a  bc\u{0301}d ΣΟΦΟΣ日本語x ",
            "end",
            "½ ⅓ x²",
        ] {
            let split: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let runs: Vec<&str> = Alphanumeric { text, at: 0 }.collect();
            assert_eq!(runs, split, "{text}");
        }
    }

    /// The visible text as it was first written, piece by piece: the
    /// reference the one-pass version is checked against. Character
    /// references are decoded where they are written, between tags.
    fn visible_text_by_pieces(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        let mut rest = html;
        let push_squeezed = |text: &mut String, piece: &str| {
            let piece = piece
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            for (i, word) in piece
                .split(|c: char| c.is_whitespace() || c.is_control())
                .enumerate()
            {
                if i > 0 {
                    space(text, 0);
                }
                text.push_str(word);
            }
        };
        while let Some(i) = rest.find(['<', '>']) {
            if !in_tag {
                push_squeezed(&mut text, &rest[..i]);
            }
            in_tag = rest.as_bytes()[i] == b'<';
            if in_tag && !runs_on(&rest.as_bytes()[i + 1..]) {
                space(&mut text, 0);
            }
            rest = &rest[i + 1..];
        }
        if !in_tag {
            push_squeezed(&mut text, rest);
        }
        text.trim_end_matches(' ').to_string()
    }

    #[test]
    fn spaces_are_squeezed_wherever_the_sixteen_bytes_end() {
        for before in 0..36 {
            for spaces in 1..4 {
                for after in ["b", "", "<p>c", "é"] {
                    let html = format!("{}{}{after}", "a".repeat(before), " ".repeat(spaces));
                    assert_eq!(
                        visible_text(&html),
                        visible_text_by_pieces(&html),
                        "{html:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn visible_text_is_the_text_between_tags_squeezed(
            html in "([a-z<>/&;#\"\\\\ \t\n\u{1}\u{b}\u{7f}\u{85}\u{a0}\u{2003}’é]|[a-z]{1,12}| {1,3}|&amp;|&lt;|&quot;|&#39;|<em>|</a>|<p>|\\PC){0,60}"
        ) {
            proptest::prop_assert_eq!(visible_text(&html), visible_text_by_pieces(&html));
        }

        #[test]
        fn alphanumeric_runs_match_split_on_any_text(text in "\\PC*") {
            let split: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let runs: Vec<&str> = Alphanumeric { text: &text, at: 0 }.collect();
            proptest::prop_assert_eq!(runs, split);
        }

        #[test]
        fn lower_case_is_to_lowercase_on_any_text(
            text in "([a-zA-Z .’–]|\\PC)*"
        ) {
            proptest::prop_assert_eq!(lower_case(text.clone()), text.to_lowercase());
        }
    }

    #[test]
    fn words_are_the_visible_text_without_tags_or_stop_words() {
        let text = lower_case(visible_text(
            "<p class=\"x\">The <a href=\"/nspcc/\">NSPCC</a> helps&amp;advises in 2024</p>",
        ));
        assert_eq!(
            runs(&text)
                .filter(|w| worth_indexing(w))
                .collect::<Vec<_>>(),
            ["nspcc", "helps", "advises"]
        );
    }
}
