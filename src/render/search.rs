//! The search index: one JSON file listing every document for the theme's
//! search page (`search-index.json`, read by the default theme's `search.js`).
//!
//! Entry point: [`render_index`], pure: from the assembled site and each
//! document's rendered markdown to the index's text.
//!
//! The index must stay small, since a reader's browser downloads all of it. Each
//! document has its URL, title, summary and topics in full, but not its whole
//! text: only its most distinctive words, up to [`WORDS_PER_DOCUMENT`] of them.
//! Words are distinctive when few documents use them; words in more than half
//! of a large site's documents, short words and common English words are left
//! out, as are words already in the title or summary. A reader searching for
//! the words that set a page apart finds it; the common words of every page
//! would only make the file bigger.
//!
//! The format, compact because it is repeated for every document:
//!
//! ```json
//! {"topics": [["resilience", "Resilience"], ["safeguarding", "Safeguarding"]],
//!  "words": ["school", "abuse", "neglect", ...],
//!  "docs": [["partners/nspcc/", "NSPCC", "The children's charity ...", [1], "1 2 a3"]]}
//! ```
//!
//! A document's topics are numbers into `topics` (site.yaml's, in its order).
//! A document's words are numbers (base 36) into `words`, which lists each word
//! once, the most used first: that halves the file on a large site, where the
//! same words recur in many documents. URLs are relative to the site's base path. `<` is written as `\u003c` so the
//! text may also be embedded in a `<script>` element.

use std::collections::hash_map::Entry;

// Every word of the site is hashed at least once: ahash is several times
// faster than the standard SipHash, and no output depends on a map's order.
use ahash::{AHashMap as HashMap, AHashSet as HashSet};

use rayon::prelude::*;

use crate::markdown::Rendered;
use crate::render::file::OutputFile;
use crate::site::{SEARCH_INDEX, Site};
use crate::source::document::Document;

/// How many words of a document's text the index keeps.
pub(crate) const WORDS_PER_DOCUMENT: usize = 40;

/// Words too common to be worth indexing.
const STOP_WORDS: &[&str] = &[
    "about", "after", "also", "and", "are", "been", "before", "being", "but", "can", "could",
    "does", "each", "for", "from", "had", "has", "have", "her", "his", "how", "into", "its", "may",
    "more", "most", "not", "one", "only", "other", "our", "out", "over", "should", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "too", "two", "very", "was", "way", "were", "what", "when", "where", "which",
    "while", "who", "why", "will", "with", "would", "you", "your",
];

/// The index file for the site.
pub(crate) fn render(site: &Site, markdown: &[Rendered]) -> OutputFile {
    OutputFile::text(SEARCH_INDEX, render_index(site, markdown))
}

/// What the index needs of one document's rendered markdown. `bounce watch`
/// keeps each document's between rebuilds, so that after an edit only the
/// edited documents are read again.
pub(crate) fn profile(rendered: &Rendered) -> Profile {
    Profile::of(&rendered.html)
}

/// The index's JSON text.
///
/// Each document's visible text is read once, into a [`Profile`] of its
/// distinct words: that is what both the site's common words and each
/// document's distinctive words are computed from. Profiles are small (each
/// word once, not every use of it), so holding every document's is cheap,
/// where holding every word of every document would be hundreds of megabytes.
pub(crate) fn render_index(site: &Site, markdown: &[Rendered]) -> String {
    let profiles: Vec<Profile> = markdown.par_iter().map(profile).collect();
    let profiles: Vec<&Profile> = profiles.iter().collect();
    index_of_profiles(site, &profiles)
}

fn index_of_profiles(site: &Site, profiles: &[&Profile]) -> String {
    let common = common_words(profiles);
    let chosen: Vec<Vec<&str>> = site
        .documents
        .par_iter()
        .zip(profiles)
        .map(|(d, profile)| {
            let heading = heading(d);
            let known: HashSet<&str> = words(&heading).collect();
            distinctive(profile, &common, &known)
        })
        .collect();
    index_json(site, &chosen)
}

/// The lower-cased text of a document's title and summary, whose words the
/// index has already.
fn heading(d: &Document) -> String {
    let summary = d.meta.summary.as_deref().unwrap_or_default();
    visible_text(&format!("{} {summary}", d.meta.title))
}

/// The index's JSON text from each document's chosen words.
fn index_json(site: &Site, chosen: &[Vec<&str>]) -> String {
    let (vocabulary, numbers) = vocabulary(chosen);
    let docs: Vec<IndexDocument> = site
        .documents
        .iter()
        .zip(chosen)
        .map(|(d, words)| {
            let topics: Vec<usize> = d
                .meta
                .topics
                .iter()
                .filter_map(|slug| site.config.topics.iter().position(|t| &t.slug == slug))
                .collect();
            let summary = d.meta.summary.as_deref().unwrap_or_default();
            let text: Vec<&str> = words.iter().map(|w| numbers[w].as_str()).collect();
            (
                d.url.as_str(),
                d.meta.title.as_str(),
                summary,
                topics,
                text.join(" "),
            )
        })
        .collect();
    let topics: Vec<[&str; 2]> = site
        .config
        .topics
        .iter()
        .map(|t| [t.slug.as_str(), t.title.as_str()])
        .collect();
    let index = Index {
        docs,
        topics,
        words: vocabulary,
    };
    serde_json::to_string(&index)
        .expect("the index is strings and numbers only")
        .replace('<', "\\u003c")
}

/// A document in the index: URL, title, summary, topic numbers, word numbers.
type IndexDocument<'a> = (&'a str, &'a str, &'a str, Vec<usize>, String);

/// The index file, serialised straight from borrowed text rather than through
/// a `serde_json::Value` tree. The fields are in alphabetical order, the order
/// the index has always had.
#[derive(serde::Serialize)]
struct Index<'a> {
    docs: Vec<IndexDocument<'a>>,
    topics: Vec<[&'a str; 2]>,
    words: Vec<&'a str>,
}

/// The index kept up to date between rebuilds, for `bounce watch`: each
/// document's profile and chosen words are kept, with how many documents use
/// each word, so that an edit costs reading the edited documents and writing
/// the index out, not reading every document. Makes the same index as
/// [`render`].
#[derive(Default)]
pub(crate) struct Cache {
    documents: HashMap<String, Cached>,
    /// In how many of the documents each word appears.
    frequency: HashMap<String, usize>,
    common: HashSet<String>,
    /// Changes whenever `common` does, which can change any document's words.
    generation: u64,
}

struct Cached {
    /// The hash of the HTML the profile was read from.
    html: u64,
    profile: Profile,
    /// The chosen words, with the generation of the common words and the hash
    /// of the title and summary they were chosen with.
    chosen: Option<(u64, u64, Vec<String>)>,
}

impl Cache {
    /// The index file; `html` gives the hash of a document's HTML, by key.
    pub(crate) fn render(
        &mut self,
        site: &Site,
        markdown: &[Rendered],
        html: impl Fn(&str) -> u64 + Sync,
    ) -> OutputFile {
        self.read_changed(site, markdown, html);
        self.forget_removed(site);
        self.update_common(site.documents.len());
        self.choose_stale(site);
        let chosen: Vec<Vec<&str>> = site
            .documents
            .iter()
            .map(|d| {
                let chosen = self.documents.get(&d.key).and_then(|c| c.chosen.as_ref());
                chosen.map_or_else(Vec::new, |(_, _, words)| {
                    words.iter().map(String::as_str).collect()
                })
            })
            .collect();
        OutputFile::text(SEARCH_INDEX, index_json(site, &chosen))
    }

    /// Reads the documents whose HTML is new or changed into profiles, and
    /// counts their words in place of their old ones.
    fn read_changed(
        &mut self,
        site: &Site,
        markdown: &[Rendered],
        html: impl Fn(&str) -> u64 + Sync,
    ) {
        let fresh: Vec<(usize, u64, Profile)> = site
            .documents
            .par_iter()
            .enumerate()
            .filter(|(_, d)| self.documents.get(&d.key).map(|c| c.html) != Some(html(&d.key)))
            .map(|(i, d)| (i, html(&d.key), profile(&markdown[i])))
            .collect();
        for (i, print, profile) in fresh {
            let key = &site.documents[i].key;
            self.count(&profile, true);
            if let Some(old) = self.documents.remove(key) {
                self.count(&old.profile, false);
            }
            let cached = Cached {
                html: print,
                profile,
                chosen: None,
            };
            self.documents.insert(key.clone(), cached);
        }
    }

    /// Forgets the documents no longer in the site, and their words.
    fn forget_removed(&mut self, site: &Site) {
        // Every document of the site is cached by now: any more are gone.
        if self.documents.len() <= site.documents.len() {
            return;
        }
        let keys: HashSet<&str> = site.documents.iter().map(|d| d.key.as_str()).collect();
        let gone: Vec<String> = self
            .documents
            .keys()
            .filter(|k| !keys.contains(k.as_str()))
            .cloned()
            .collect();
        for key in gone {
            if let Some(old) = self.documents.remove(&key) {
                self.count(&old.profile, false);
            }
        }
    }

    /// The words in more than half of the `n` documents (none on a site of
    /// fewer than 20); a new generation when they change.
    fn update_common(&mut self, n: usize) {
        let common: HashSet<String> = if n < 20 {
            HashSet::new()
        } else {
            self.frequency
                .iter()
                .filter(|&(_, &uses)| uses * 2 > n)
                .map(|(w, _)| w.clone())
                .collect()
        };
        if common != self.common {
            self.common = common;
            self.generation += 1;
        }
    }

    /// Chooses the words again of the documents whose choice is stale: made
    /// with other common words, or another title or summary, or not made yet.
    fn choose_stale(&mut self, site: &Site) {
        let generation = self.generation;
        let title_print = |d: &Document| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
                .hash_one((&d.meta.title, &d.meta.summary))
        };
        let common: HashSet<&str> = self.common.iter().map(String::as_str).collect();
        let stale: Vec<(usize, u64, Vec<String>)> = site
            .documents
            .par_iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let cached = self.documents.get(&d.key)?;
                let title = title_print(d);
                if matches!(&cached.chosen, Some((g, t, _)) if *g == generation && *t == title) {
                    return None;
                }
                let heading = heading(d);
                let known: HashSet<&str> = words(&heading).collect();
                let words = distinctive(&cached.profile, &common, &known);
                Some((i, title, words.into_iter().map(str::to_string).collect()))
            })
            .collect();
        for (i, title, words) in stale {
            if let Some(cached) = self.documents.get_mut(&site.documents[i].key) {
                cached.chosen = Some((generation, title, words));
            }
        }
    }

    /// Adds a document's words to the counts, or takes them away.
    fn count(&mut self, profile: &Profile, add: bool) {
        for (word, _) in profile.words() {
            match (self.frequency.get_mut(word), add) {
                (Some(uses), true) => *uses += 1,
                (Some(uses), false) => {
                    *uses -= 1;
                    if *uses == 0 {
                        self.frequency.remove(word);
                    }
                }
                (None, true) => {
                    self.frequency.insert(word.to_string(), 1);
                }
                (None, false) => {}
            }
        }
    }
}

/// The visible text of `html`, lower-cased: tags become spaces, and `&amp;`,
/// `&#39;` and `&quot;` (in that order, each replacing the text the one before
/// left) the characters they stand for.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut rest = html;
    // `<` and `>` are ASCII, so every cut falls between characters.
    while let Some(i) = memchr::memchr2(b'<', b'>', rest.as_bytes()) {
        if !in_tag {
            text.push_str(&rest[..i]);
        }
        in_tag = rest.as_bytes()[i] == b'<';
        if in_tag {
            text.push(' ');
        }
        rest = &rest[i + 1..];
    }
    if !in_tag {
        text.push_str(rest);
    }
    for (reference, character) in [("&amp;", "&"), ("&#39;", "'"), ("&quot;", "\"")] {
        if text.contains(reference) {
            text = text.replace(reference, character);
        }
    }
    lower_case(text)
}

/// `text.to_lowercase()`, without its cost when only ASCII letters change:
/// most documents have curly quotes or dashes, and past the first of those
/// `to_lowercase` looks every character up in Unicode's tables.
fn lower_case(mut text: String) -> String {
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

/// The words of lower-cased text worth indexing.
fn words(text: &str) -> impl Iterator<Item = &str> {
    Alphanumeric { text, at: 0 }.filter(|w| worth_indexing(w))
}

/// At least three characters, not starting with a digit, and neither a stop
/// word nor the name of a character reference.
fn worth_indexing(word: &str) -> bool {
    word.len() >= 3
        && (word.as_bytes()[..3].is_ascii() || word.chars().nth(2).is_some())
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !is_unindexed(word)
}

/// `html` with its ASCII letters lower-cased, unless a character past ASCII
/// would change too: then what lower-casing does may depend on the characters
/// around it (a final sigma), and only the longer way is sure to be right.
fn lower_case_markup(html: &str) -> Option<String> {
    let mut lower = html.to_string();
    lower.make_ascii_lowercase();
    only_ascii_changes(&lower).then_some(lower)
}

/// Whether every `>` of `html` ends a tag. [`visible_text`] drops a `>` outside
/// a tag, joining the text on either side; [`page_words`] does not.
fn every_bracket_closes_a_tag(html: &str) -> bool {
    let mut in_tag = false;
    for at in memchr::memchr2_iter(b'<', b'>', html.as_bytes()) {
        if html.as_bytes()[at] == b'<' {
            in_tag = true;
        } else if !std::mem::replace(&mut in_tag, false) {
            return false;
        }
    }
    true
}

/// The words worth indexing of `html`'s visible text, read from `lower` (the
/// same HTML, lower-cased by [`lower_case_markup`]) between its tags: the
/// same words as [`words`] of [`visible_text`], without copying the text.
///
/// The character references that [`visible_text`] replaces leave their names
/// as words here: they are left out. `&amp;`, `&#39;` and `&quot;` stand for
/// characters that are not letters, so they end words as those do, and `#39`
/// is no word; what is left is `amp` in `&amp;`, and `quot` in `&quot;` and in
/// `&amp;quot;` (which became `&quot;`, and so `"`, too).
fn page_words<'h>(html: &'h str, lower: &'h str) -> impl Iterator<Item = &'h str> {
    let text_between_tags = TextBetweenTags { html: lower, at: 0 };
    text_between_tags
        .flat_map(|text| Alphanumeric { text, at: 0 })
        .filter(move |w| {
            let start = w.as_ptr() as usize - lower.as_ptr() as usize;
            let end = start + w.len();
            let (before, name) = (&html[..start], &html[start..end]);
            let reference = html.as_bytes().get(end) == Some(&b';')
                && match name {
                    "amp" => before.ends_with('&'),
                    "quot" => before.ends_with('&') || before.ends_with("&amp;"),
                    _ => false,
                };
            !reference && worth_indexing(w)
        })
}

/// The stretches of HTML text outside its tags.
struct TextBetweenTags<'h> {
    html: &'h str,
    at: usize,
}

impl<'h> Iterator for TextBetweenTags<'h> {
    type Item = &'h str;

    fn next(&mut self) -> Option<&'h str> {
        let rest = self.html.get(self.at..).filter(|r| !r.is_empty())?;
        let bytes = rest.as_bytes();
        let Some(open) = memchr::memchr(b'<', bytes) else {
            self.at = self.html.len();
            return Some(rest);
        };
        // Past the tag: an unclosed one runs to the end.
        let close = memchr::memchr(b'>', &bytes[open..]).map_or(bytes.len(), |i| open + i + 1);
        self.at += close;
        Some(&rest[..open])
    }
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

/// One document's words as the index weighs them: each distinct word once, in
/// the order the document first uses it, with how many times it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Profile {
    /// The distinct words, one after another.
    words: String,
    /// Where each word ends in `words`, and how many times it is used.
    ends_and_uses: Vec<(u32, u32)>,
}

impl Profile {
    /// The profile of the words of `html`'s [`visible_text`].
    ///
    /// Most pages take a shortcut: their words are read from the HTML where
    /// they stand, lower-cased, rather than from a copy of their text; see
    /// [`page_words`]. The others take the longer way.
    fn of(html: &str) -> Profile {
        match lower_case_markup(html) {
            Some(lower) if every_bracket_closes_a_tag(html) => {
                Profile::counting(page_words(html, &lower), html.len())
            }
            _ => Profile::of_text(html),
        }
    }

    /// The longer way of [`Profile::of`].
    fn of_text(html: &str) -> Profile {
        let text = visible_text(html);
        Profile::counting(words(&text), text.len())
    }

    /// The profile of `words`, read from about `bytes` bytes of text.
    fn counting<'w>(words: impl Iterator<Item = &'w str>, bytes: usize) -> Profile {
        // About one distinct word in every 16 bytes of text.
        let mut position: HashMap<&str, usize> = HashMap::with_capacity(bytes / 16);
        let mut order: Vec<&str> = Vec::new();
        let mut uses: Vec<u32> = Vec::new();
        for w in words {
            match position.entry(w) {
                Entry::Occupied(at) => uses[*at.get()] += 1,
                Entry::Vacant(at) => {
                    at.insert(order.len());
                    order.push(w);
                    uses.push(1);
                }
            }
        }
        let mut words = String::with_capacity(order.iter().map(|w| w.len()).sum());
        let mut ends_and_uses = Vec::with_capacity(order.len());
        for (w, uses) in order.into_iter().zip(uses) {
            words.push_str(w);
            let end = u32::try_from(words.len()).expect("a document's words fit in 4 GB");
            ends_and_uses.push((end, uses));
        }
        Profile {
            words,
            ends_and_uses,
        }
    }

    /// Each distinct word and its uses, in order of first use.
    fn words(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut start = 0;
        self.ends_and_uses.iter().map(move |&(end, uses)| {
            let word = &self.words[start..end as usize];
            start = end as usize;
            (word, uses)
        })
    }
}

/// Words used by more than half of the documents, on sites big enough for
/// that to mean something.
fn common_words<'p>(profiles: &[&'p Profile]) -> HashSet<&'p str> {
    if profiles.len() < 20 {
        return HashSet::new();
    }
    // Large chunks: each has a map of its own, and merging maps is the cost.
    let chunk = profiles.len() / (4 * rayon::current_num_threads()).max(1) + 1;
    let frequency = profiles
        .par_iter()
        .with_min_len(chunk)
        .fold(
            HashMap::new,
            |mut frequency: HashMap<&str, usize>, profile| {
                for (w, _) in profile.words() {
                    *frequency.entry(w).or_default() += 1;
                }
                frequency
            },
        )
        .reduce(HashMap::new, |mut a, b| {
            for (w, n) in b {
                *a.entry(w).or_default() += n;
            }
            a
        });
    frequency
        .into_iter()
        .filter(|&(_, n)| n * 2 > profiles.len())
        .map(|(w, _)| w)
        .collect()
}

/// The words of every document, the most used first, and each word's number
/// in base 36 (`0` to `z`, then `10`, ...), so that the words most documents
/// share take the fewest characters.
fn vocabulary<'w>(chosen: &[Vec<&'w str>]) -> (Vec<&'w str>, HashMap<&'w str, String>) {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for word in chosen.iter().flatten() {
        *uses.entry(word).or_default() += 1;
    }
    let mut words: Vec<&str> = uses.keys().copied().collect();
    words.sort_by(|a, b| uses[b].cmp(&uses[a]).then(a.cmp(b)));
    let numbers = words
        .iter()
        .enumerate()
        .map(|(i, w)| (*w, base36(i)))
        .collect();
    (words, numbers)
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("base-36 digits are ASCII")
}

/// Up to [`WORDS_PER_DOCUMENT`] distinct words of one document, the ones it uses
/// most first (then in reading order).
fn distinctive<'p>(
    profile: &'p Profile,
    common: &HashSet<&str>,
    known: &HashSet<&str>,
) -> Vec<&'p str> {
    let mut counts: Vec<(&str, u32)> = profile.words().collect();
    // Stable: words used equally often stay in reading order. Sorting first
    // means only the words up to the fortieth kept are looked up.
    counts.sort_by_key(|&(_, uses)| std::cmp::Reverse(uses));
    // A new vector, not `counts` collected in place: that would keep room for
    // every distinct word of every document while the index is made (40 MB on
    // a 10,000-document site).
    let mut chosen = Vec::with_capacity(WORDS_PER_DOCUMENT);
    chosen.extend(
        counts
            .iter()
            .map(|&(w, _)| w)
            .filter(|w| !common.contains(w) && !known.contains(w))
            .take(WORDS_PER_DOCUMENT),
    );
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn character_references_are_replaced_one_after_the_other() {
        // `&amp;quot;` is the text `&quot;`; the index has always read it as `"`.
        assert_eq!(
            visible_text("a&amp;quot;b &#39;c&amp;amp;d"),
            "a\"b 'c&amp;d"
        );
        assert_eq!(visible_text("x<b>y</b>z>w<i"), "x y zw ");
        assert_eq!(visible_text("ÉCOLE ΣΟΦΟΣ"), "école σοφος");
        assert_eq!(visible_text("“Don’t” – HELP"), "“don’t” – help");
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

    proptest::proptest! {
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
        fn page_words_are_the_words_of_the_visible_text(
            html in "(<p>|</p>|<a href=\"x&amp;y\">|</a>|<br>|<a <b>|<|&amp;|&quot;|&#39;|&AMP;|&lt;|amp;|quot;|&|;|#39|The|PUPILS|Σ|É|é|’|word|123|abc|rsquo| |\n|\\PC)*"
        ) {
            let lower = lower_case_markup(&html);
            proptest::prop_assume!(lower.is_some() && every_bracket_closes_a_tag(&html));
            let lower = lower.unwrap_or_default();
            let fast: Vec<&str> = page_words(&html, &lower).collect();
            let text = visible_text(&html);
            let slow: Vec<&str> = words(&text).collect();
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn profiles_are_those_of_the_visible_text(
            html in "(<p>|</p>|<br>|<|>|&amp;|&quot;|amp;|quot;|&|;|The|Σ|ΟΔΟΣ|É|é|word|abc| |\\PC)*"
        ) {
            proptest::prop_assert_eq!(Profile::of(&html), Profile::of_text(&html));
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
        let text = visible_text(
            "<p class=\"x\">The <a href=\"/nspcc/\">NSPCC</a> helps&amp;advises in 2024</p>",
        );
        assert_eq!(
            words(&text).collect::<Vec<_>>(),
            ["nspcc", "helps", "advises"]
        );
    }

    #[test]
    fn the_most_used_words_come_first_and_known_ones_are_left_out() {
        let profile = Profile::of("<p>gangs knife gangs title</p> <p>knife gangs</p>");
        let known = HashSet::from(["title"]);
        assert_eq!(
            distinctive(&profile, &HashSet::new(), &known),
            ["gangs", "knife"]
        );
    }

    #[test]
    fn the_words_most_documents_share_get_the_shortest_numbers() {
        let chosen = vec![vec!["fire", "road"], vec!["road"], vec!["road", "gangs"]];
        let (words, numbers) = vocabulary(&chosen);
        assert_eq!(words, ["road", "fire", "gangs"]);
        assert_eq!(numbers["road"], "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }

    #[test]
    fn words_in_most_documents_of_a_large_site_are_common() {
        let docs: Vec<Profile> = (0..20)
            .map(|i| {
                if i == 0 {
                    "<p>school fire</p>"
                } else {
                    "<p>school</p>"
                }
            })
            .map(Profile::of)
            .collect();
        let docs: Vec<&Profile> = docs.iter().collect();
        let common = common_words(&docs);
        assert!(common.contains("school"));
        assert!(!common.contains("fire"));
    }
}
