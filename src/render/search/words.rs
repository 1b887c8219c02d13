//! The words of a document as the index keeps them: each canonical word once,
//! by its number in the build's [`Vocabulary`], with the field it is most
//! important in and the section where it first occurs.
//!
//! Entry point: [`terms`], which adds a document's fields one by one.
//! This runs over every word of every document, so each thread keeps a
//! [`Lexicon`]: a word as written is looked up once (no lower-casing, no
//! copy; a word of up to fifteen bytes by a number made of its bytes) and
//! gives the numbers of the canonical words it stands for. Only a word the
//! thread has not met is lower-cased, folded and spelled out, and only then
//! is the shared vocabulary locked.

use std::cell::RefCell;
use std::hint::select_unpredictable;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ahash::AHashMap as HashMap;

use crate::foundation::eight::{self, HIGH};
use crate::render::search::spelling::canonical;
use crate::render::search::text::{MINIMUM_LENGTH, lower_case, runs, worth_indexing};

/// Where in a document a word is, most important first: the number is the
/// field's rank in the postings, and the script weighs it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Field {
    Title = 0,
    /// A heading, the summary, or a name the document lists (its partner,
    /// publisher, location).
    Heading = 1,
    Body = 2,
}

/// A canonical word of a document: its number in the vocabulary, its most
/// important field, and the section where it first occurs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Term {
    pub(crate) word: u32,
    pub(crate) section: u16,
    pub(crate) field: Field,
}

/// The canonical words of a build (or of `bounce watch`'s rebuilds), each
/// numbered once, whichever thread met it first.
pub(crate) struct Vocabulary {
    /// Tells this vocabulary's numbers from another's in a thread's lexicon.
    serial: u64,
    words: Mutex<Words>,
}

#[derive(Default)]
struct Words {
    numbers: HashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        Vocabulary {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            words: Mutex::default(),
        }
    }
}

impl Vocabulary {
    /// Every word numbered so far, by number.
    pub(crate) fn words(&self) -> Vec<Box<str>> {
        self.lock().list.clone()
    }

    /// The number of a canonical word, given one if it is new.
    fn number(&self, word: String) -> u32 {
        let mut words = self.lock();
        if let Some(&n) = words.numbers.get(word.as_str()) {
            return n;
        }
        let n = as_u32(words.list.len());
        let word: Box<str> = word.into();
        words.numbers.insert(word.clone(), n);
        words.list.push(word);
        n
    }

    /// The words; a thread that panicked while holding them left them whole
    /// (a word is added to both maps or to neither before anything can panic).
    fn lock(&self) -> std::sync::MutexGuard<'_, Words> {
        self.words
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A document's words, each canonical word once, in the order first met.
pub(crate) type Terms = Vec<Term>;

/// The terms of a document, which `fill` adds field by field, on this thread
/// and with its lexicon.
pub(crate) fn terms(vocabulary: &Vocabulary, fill: impl FnOnce(&mut Adding)) -> Terms {
    LEXICON.with(|lexicon| {
        let lexicon = &mut *lexicon.borrow_mut();
        if lexicon.vocabulary != vocabulary.serial {
            *lexicon = Lexicon {
                vocabulary: vocabulary.serial,
                ..Lexicon::default()
            };
        }
        lexicon.documents = lexicon.documents.wrapping_add(1);
        if lexicon.seen.is_empty() {
            lexicon.seen.push((0, 0));
        }
        // No word: always met already, at the slot that is dropped.
        lexicon.seen[0] = (lexicon.documents, 0);
        let mut adding = Adding {
            document: lexicon.documents,
            lexicon,
            vocabulary,
            terms: vec![NO_TERM; 64],
            count: 1,
        };
        fill(&mut adding);
        let mut terms = adding.terms;
        terms.truncate(adding.count);
        terms.remove(0);
        terms
    })
}

/// A document's terms being added.
pub(crate) struct Adding<'l> {
    lexicon: &'l mut Lexicon,
    vocabulary: &'l Vocabulary,
    /// Which of this thread's documents this is, to tell its words from the
    /// words of the documents before it in [`Lexicon::seen`].
    document: u32,
    /// The terms found, after a slot for no word, `count` of them; the
    /// slots past them are room.
    terms: Terms,
    count: usize,
}

/// The word of a run with no word worth indexing (`the`), as
/// [`Lexicon::spans`] has it.
const NO_WORD: u32 = u32::MAX;

/// A slot of [`Adding::terms`] with no term yet.
const NO_TERM: Term = Term {
    word: NO_WORD,
    section: 0,
    field: Field::Body,
};

impl Adding<'_> {
    /// The words of `text`, in `field` of `section`. Read 64 bytes at a
    /// time: a bit for each byte that is an ASCII letter or digit or past
    /// ASCII gives where every run of them starts and ends; a run of up to
    /// fifteen bytes is then looked up by its bytes as a number, and a
    /// longer one by the text of each word in it.
    pub(crate) fn add(&mut self, text: &str, field: Field, section: u16) {
        let bytes = text.as_bytes();
        let mut base = 0;
        let mut before = 0u64;
        while base < bytes.len() {
            let word = word_bytes(bytes, base);
            // A run of fewer than three bytes has no word worth indexing:
            // only a run that goes on past this block can start in its
            // last two bytes and still be one.
            const { assert!(MINIMUM_LENGTH == 3) };
            let long = (word >> 1 & word >> 2) | 0b11 << 62;
            let mut starts = word & !(word << 1 | before) & long;
            before = word >> 63;
            while starts != 0 {
                let start = base + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let run = (word >> (start - base)).trailing_ones() as usize;
                let end = if start - base + run < 64 {
                    start + run
                } else {
                    run_end(bytes, base + 64)
                };
                if end - start < 16 {
                    self.add_short(text, start, end, field, section);
                } else {
                    let (run, mut at) = (&text[..end], start);
                    while at < end {
                        at = self.add_word(run, at, field, section);
                    }
                }
            }
            base += 64;
        }
    }

    /// Adds the words of `text[start..end]`, a run of up to fifteen bytes
    /// (most often one word), looked up by its bytes as a number.
    fn add_short(&mut self, text: &str, start: usize, end: usize, field: Field, section: u16) {
        let (bytes, length) = (text.as_bytes(), end - start);
        let first = eight::read(bytes, start) & low_bytes(length);
        let run = Run { text, start, end };
        let span = if length <= 8 {
            self.lexicon.look_up_short(first, run, self.vocabulary)
        } else {
            let second = eight::read(bytes, start + 8) & low_bytes(length - 8);
            let key = u128::from(first) | u128::from(second) << 64;
            self.lexicon
                .look_up(key, run, self.vocabulary, |l| &mut l.middle)
        };
        self.place(span, field, section);
    }

    /// Adds the word of `text` that starts at (or after) `at`, looked up by its
    /// text; returns where it ends.
    fn add_word(&mut self, text: &str, at: usize, field: Field, section: u16) -> usize {
        let rest = &text[at..];
        let Some(word) = runs(rest).next() else {
            return text.len();
        };
        let end = at + (word.as_ptr() as usize - rest.as_ptr() as usize) + word.len();
        let span = match self.lexicon.long.get(word) {
            Some(&span) => span,
            None => {
                let span = self.lexicon.spell(word, self.vocabulary);
                self.lexicon.long.insert(word.into(), span);
                span
            }
        };
        self.place(span, field, section);
        end
    }

    /// Notes the canonical words of `span` (at least one), met in `field`
    /// of `section`.
    fn place(&mut self, (from, to): Span, field: Field, section: u16) {
        self.place_word(self.lexicon.spans[from as usize], field, section);
        for at in from + 1..to {
            self.place_word(self.lexicon.spans[at as usize], field, section);
        }
    }

    /// Notes a canonical word (or [`NO_WORD`]) met in `field` of `section`:
    /// a new term in the next slot, or a better field for the term it has.
    /// Whichever it is, the same steps are taken (the answer picks their
    /// values, not which steps), since which it is cannot be foretold.
    fn place_word(&mut self, word: u32, field: Field, section: u16) {
        let seen = &mut self.lexicon.seen[word.wrapping_add(1) as usize];
        let new = seen.0 != self.document;
        let at = select_unpredictable(new, self.count, seen.1 as usize);
        *seen = (self.document, as_u32(at));
        if let Some(slot) = self.terms.get_mut(at) {
            let field = select_unpredictable(new, field, slot.field.min(field));
            let section = select_unpredictable(new, section, slot.section);
            *slot = Term {
                word,
                section,
                field,
            };
        }
        self.count += usize::from(new);
        if self.count == self.terms.len() {
            self.terms.resize(2 * self.count, NO_TERM);
        }
    }
}

/// A run of up to fifteen bytes of a text, where they are: only a run not
/// met before is read as text.
#[derive(Clone, Copy)]
struct Run<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

/// A range of [`Lexicon::spans`], never empty.
type Span = (u32, u32);

/// The top bit of each of the eight bytes that is an ASCII letter or digit
/// (a letter's 0x20 bit set makes it lower case; no other byte becomes one).
fn alphanumeric(bytes: u64) -> u64 {
    let low = bytes & !HIGH;
    let digits = eight::within(low, b'0', b'9');
    let letters = eight::within(low | 0x2020_2020_2020_2020, b'a', b'z');
    (digits | letters) & !bytes & HIGH
}

/// For the 64 bytes of `bytes` from `base` (none past its end): a bit for
/// each that is an ASCII letter or digit or past ASCII, sixteen at a time.
fn word_bytes(bytes: &[u8], base: usize) -> u64 {
    use wide::u8x16;
    let splat = u8x16::splat;
    (0..4).fold(0, |marks, i| {
        let v = eight::sixteen(bytes, base + 16 * i);
        let letters = ((v | splat(0x20)) - splat(b'a')).saturating_sub(splat(25));
        let digits = (v - splat(b'0')).saturating_sub(splat(9));
        let word = letters.simd_eq(splat(0)) | digits.simd_eq(splat(0)) | v;
        marks | u64::from(word.to_bitmask()) << (16 * i)
    })
}

/// Where the run of letters, digits and bytes past ASCII that goes on at
/// `from` ends.
fn run_end(bytes: &[u8], mut from: usize) -> usize {
    loop {
        let eight = eight::read(bytes, from);
        let length = eight::first_marked(!(alphanumeric(eight) | eight) & HIGH);
        if length < 8 {
            return from + length;
        }
        from += 8;
    }
}

/// The low `n` bytes of a `u64` set (all eight from `n` = 8 on); `n` is at
/// least 1.
fn low_bytes(n: usize) -> u64 {
    u64::MAX >> (64 - 8 * n.min(8))
}

/// The words a thread has met, kept from document to document: the same few
/// thousand words recur on every page, and working out a word's canonical
/// forms (lower case, accents, spelling) costs far more than a lookup.
#[derive(Default)]
struct Lexicon {
    /// The [`Vocabulary`] whose numbers these are.
    vocabulary: u64,
    /// By a run of letters, digits and bytes past ASCII of up to eight
    /// bytes as written (`The` and `the` apart), its bytes as a number: its
    /// canonical words, a range of `spans`, empty for a word not worth
    /// indexing. Most words are this short, and the smaller the table, the
    /// more of it stays in the processor's cache.
    short: HashMap<u64, Span>,
    /// The short words met last, one per slot by a hash of the number, in
    /// front of `short`: a slot costs a multiplication and a comparison, and
    /// the few hundred words a site uses most keep theirs.
    recent: Vec<(u64, Span)>,
    /// The same for runs of nine to fifteen bytes.
    middle: HashMap<u128, Span>,
    /// The same for each word of a longer run, by its text.
    long: HashMap<Box<str>, Span>,
    /// The canonical words' numbers, a run for each word as written: most
    /// have one; a run may hold two (`don’t`), and lower-casing may split a
    /// word in two (`İ`, `i` and a dot); one with none has [`NO_WORD`].
    spans: Vec<u32>,
    /// By canonical word, after a first entry for [`NO_WORD`]: the last
    /// document (of this thread's) that had it, and its index in that
    /// document's terms.
    seen: Vec<(u32, u32)>,
    /// The documents this thread has begun.
    documents: u32,
}

thread_local! {
    static LEXICON: RefCell<Lexicon> = RefCell::default();
}

impl Lexicon {
    /// The canonical words of `word` as written, by its `key` in the table
    /// `table` picks, spelled out if this thread has not met it.
    fn look_up<K: std::hash::Hash + Eq>(
        &mut self,
        key: K,
        word: Run,
        vocabulary: &Vocabulary,
        table: fn(&mut Lexicon) -> &mut HashMap<K, Span>,
    ) -> Span {
        if let Some(&span) = table(self).get(&key) {
            return span;
        }
        let span = self.spell(&word.text[word.start..word.end], vocabulary);
        table(self).insert(key, span);
        span
    }

    /// [`Lexicon::look_up`] in `short`, through `recent`.
    fn look_up_short(&mut self, key: u64, word: Run, vocabulary: &Vocabulary) -> Span {
        const BITS: u32 = 11;
        if self.recent.is_empty() {
            // No word is 0 (it would be no bytes): its slots are empty.
            self.recent = vec![(0, (0, 0)); 1 << BITS];
        }
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BITS)) as usize;
        match self.recent[slot] {
            (k, span) if k == key => span,
            _ => {
                let span = self.look_up(key, word, vocabulary, |l| &mut l.short);
                self.recent[slot] = (key, span);
                span
            }
        }
    }

    /// The canonical words of `word` as written, numbered, as a range of `spans`.
    fn spell(&mut self, word: &str, vocabulary: &Vocabulary) -> Span {
        let from = self.spans.len();
        let lower = lower_case(word.to_string());
        for run in runs(&lower).filter(|run| worth_indexing(run)) {
            let n = vocabulary.number(canonical(&fold(run)));
            // By word, after no word.
            if self.seen.len() <= n as usize + 1 {
                self.seen.resize(n as usize + 2, (0, 0));
            }
            self.spans.push(n);
        }
        if self.spans.len() == from {
            self.spans.push(NO_WORD);
        }
        (as_u32(from), as_u32(self.spans.len()))
    }
}

/// A count of words: a site has fewer than 4 billion distinct words.
fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A word with the accents of Latin letters taken off (`café` → `cafe`), so a
/// reader need not type them; the script folds the query the same way
/// (Unicode decomposition, marks dropped).
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    use icu_normalizer::DecomposingNormalizerBorrowed;
    DecomposingNormalizerBorrowed::new_nfd()
        .normalize(word)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vocabulary: &Vocabulary, parts: &[(&str, Field, u16)]) -> Vec<(String, Field, u16)> {
        let found = terms(vocabulary, |terms| {
            for &(text, field, section) in parts {
                terms.add(text, field, section);
            }
        });
        let words = vocabulary.words();
        found
            .iter()
            .map(|t| (words[t.word as usize].to_string(), t.field, t.section))
            .collect()
    }

    fn owned(terms: &[(&str, Field, u16)]) -> Vec<(String, Field, u16)> {
        terms
            .iter()
            .map(|&(w, f, s)| (w.to_string(), f, s))
            .collect()
    }

    #[test]
    fn each_canonical_word_once_with_its_best_field_and_first_section() {
        let found = read(
            &Vocabulary::default(),
            &[
                ("Behavior policy", Field::Body, 1),
                ("The BEHAVIOUR of staff", Field::Heading, 2),
                ("policy", Field::Title, 3),
            ],
        );
        let expected = [
            ("behavior", Field::Heading, 1),
            ("policy", Field::Title, 1),
            ("staff", Field::Heading, 2),
        ];
        assert_eq!(found, owned(&expected));
    }

    #[test]
    fn runs_with_no_word_worth_indexing_add_no_term() {
        let found = read(
            &Vocabulary::default(),
            &[
                ("The and of", Field::Title, 0),
                ("the calm, and the CALM", Field::Body, 1),
                ("a I by", Field::Heading, 2),
            ],
        );
        assert_eq!(found, owned(&[("calm", Field::Body, 1)]));
    }

    #[test]
    fn a_document_does_not_see_the_words_of_the_one_before() {
        let vocabulary = Vocabulary::default();
        let first = read(&vocabulary, &[("Anxiety anxiety", Field::Body, 0)]);
        let second = read(&vocabulary, &[("calm ANXIETY", Field::Body, 4)]);
        assert_eq!(first, owned(&[("anxiety", Field::Body, 0)]));
        let expected = [("calm", Field::Body, 4), ("anxiety", Field::Body, 4)];
        assert_eq!(second, owned(&expected));
    }

    /// The canonical words of `text` as first written: the whole text
    /// lower-cased, cut into runs, each run folded and spelled out.
    fn by_whole_text(text: &str) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for run in runs(&lower_case(text.to_string())).filter(|r| worth_indexing(r)) {
            let word = canonical(&fold(run));
            if !words.contains(&word) {
                words.push(word);
            }
        }
        words
    }

    fn by_lexicon(vocabulary: &Vocabulary, text: &str) -> Vec<String> {
        let found = read(vocabulary, &[(text, Field::Body, 0)]);
        found.into_iter().map(|(w, ..)| w).collect()
    }

    #[test]
    fn words_are_the_alphanumeric_runs_of_any_length_and_script() {
        let text = "Café, organisation-and ÉCOLE 2024 a1b2 x \
                    counterproductiveness naïve, straße Organisation";
        let words = by_lexicon(&Vocabulary::default(), text);
        assert_eq!(words, by_whole_text(text));
        assert_eq!(
            words,
            [
                "cafe",
                "organisation",
                "ecole",
                "a1b2",
                "counterproductiveness",
                "naive",
                "straße"
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn the_lexicon_finds_what_reading_the_whole_text_finds(
            texts in proptest::collection::vec("([a-zA-Z0-9 ,.’-]|\\PC){0,40}", 1..4)
        ) {
            // One vocabulary for all: later texts meet words the lexicon knows.
            let vocabulary = Vocabulary::default();
            for text in &texts {
                proptest::prop_assert_eq!(by_lexicon(&vocabulary, text), by_whole_text(text));
            }
        }
    }

    #[test]
    fn each_byte_is_told_alphanumeric_as_is_ascii_alphanumeric_tells_it() {
        for b in 0..=255u8 {
            for place in 0..8 {
                let eight = (u64::from(b) << (8 * place))
                    | (0x2020_2020_2020_2020 & !(0xff << (8 * place)));
                let marked = alphanumeric(eight) >> (8 * place) & 0x80 != 0;
                assert_eq!(marked, b.is_ascii_alphanumeric(), "byte {b:#x} at {place}");
            }
        }
    }

    #[test]
    fn words_of_every_length_are_found_wherever_the_blocks_fall() {
        // Offsets within the first eight bytes, and across the first 64-byte
        // block, after a run of separators or of letters.
        let vocabulary = Vocabulary::default();
        for length in 1..=20 {
            let word: String = ('a'..='z').cycle().skip(length).take(length).collect();
            for before in (0..9).chain(40..66) {
                for lead in ["-".repeat(before), format!("{}’", "x".repeat(before))] {
                    for after in ["", " x", ".éa", "é", "’s straße"] {
                        let text = format!("{lead}{word}{after} {word}Z {lead}ca{word}");
                        assert_eq!(
                            by_lexicon(&vocabulary, &text),
                            by_whole_text(&text),
                            "{text}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_words_with_the_same_last_sixteen_bytes_are_told_apart() {
        let text = "superproductiveness counterproductiveness superproductiveness";
        let words = by_lexicon(&Vocabulary::default(), text);
        assert_eq!(words, ["superproductiveness", "counterproductiveness"]);
    }

    #[test]
    fn lower_casing_that_splits_a_word_gives_both_parts() {
        // `İ` lower-cases to `i` and a combining dot, which is not a letter.
        assert_eq!(
            read(&Vocabulary::default(), &[("İSTANBUL", Field::Body, 0)]),
            owned(&[("stanbul", Field::Body, 0)])
        );
    }

    #[test]
    fn accents_are_folded() {
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("école"), "ecole");
        assert_eq!(fold("plain"), "plain");
    }
}
