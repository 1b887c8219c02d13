//! The index's files, from every document read (`search::document`): the
//! vocabulary cut into shards, the facets table, the record packs and
//! `meta.json`, which says where everything is.
//!
//! Entry point: [`files`]. The format is described in `search/mod.rs`.

use std::borrow::Cow;

use ahash::AHashMap as HashMap;
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::render::file::{Contents, OutputFile};
use crate::render::search::deflate::Deflate;
use crate::render::search::words::{Terms, Vocabulary};
use crate::render::search::{spelling, text};
use crate::site::{SEARCH_INDEX, Site};
use crate::source::document::{AUDIENCES, Document, Fields, KEY_STAGES, RESOURCE_KINDS};

/// A shard is closed once its JSON passes this many bytes: about 6 KB
/// gzipped, since postings (small numbers, commas) compress about four times.
const SHARD_BYTES: usize = 24_000;

/// A pack of records is closed past this many bytes; packs are few (a
/// 10,000-document site has about six) and only ever read in ranges.
const PACK_BYTES: usize = 4 << 20;

/// The kinds of document, as the facets table numbers them.
const KINDS: [(&str, &str); 4] = [
    ("page", "Guidance"),
    ("partner", "Partner"),
    ("resource", "Resource"),
    ("event", "Event"),
];

/// Writes every file of the index through `write`, each as soon as it is
/// made: from the postings of each word of `vocabulary`, the records in
/// `packs` (the last pack, not yet full, among them) and the dictionary they
/// were deflated against; `meta.json` last.
pub(crate) fn files(
    site: &Site,
    vocabulary: &Vocabulary,
    postings: &Postings,
    mut packs: Packs,
    deflate: &Deflate,
    write: &mut dyn FnMut(OutputFile),
) {
    let words = vocabulary.words();
    let postings = &postings.lists;
    // The words some document has, sorted first: the order of each word's
    // other forms follows it.
    let mut used: Vec<(&str, &str)> = words
        .iter()
        .zip(postings)
        .filter(|(_, postings)| !postings.is_empty())
        .map(|(word, postings)| (&**word, postings.as_str()))
        .collect();
    used.par_sort_unstable_by_key(|&(word, _)| word);
    let shards = shards(&entries(&used), write);
    if let Some(last) = packs.close() {
        write(last);
    }
    let dictionary = dictionary(deflate);
    let dictionary_path = dictionary.path.clone();
    write(dictionary);
    let facets = facets(site, &packs.lengths);
    write(OutputFile::text("search/facets.json", facets));
    write(meta(site, &shards, &packs.list, &dictionary_path));
}

/// The dictionary the records were deflated against, itself deflated (with
/// none), and [`named`] by its contents: a browser that kept an older one
/// never inflates new records with it.
fn dictionary(deflate: &Deflate) -> OutputFile {
    let bytes = deflate.dictionary();
    let contents = Deflate::new(&[], &[bytes]).compress(bytes);
    OutputFile {
        path: named("dictionary", "bin", &contents),
        contents: Contents::Data(contents),
    }
}

/// Each word's postings, by its number in the vocabulary, as a shard writes
/// them: for each document that has it, in order, the difference from the
/// one before and `section * 4 + field`, separated by commas. Documents are
/// added in order, so that their terms can go once added.
#[derive(Default)]
pub(crate) struct Postings {
    lists: Vec<String>,
    /// By word, the last document added that has it.
    last: Vec<u32>,
    /// The documents added.
    documents: u32,
}

impl Postings {
    /// Adds the next document's terms.
    pub(crate) fn add(&mut self, terms: &Terms) {
        let id = self.documents;
        self.documents += 1;
        for term in terms {
            let n = term.word as usize;
            if n >= self.lists.len() {
                self.lists.resize(n + 1, String::new());
                self.last.resize(n + 1, 0);
            }
            let (list, last) = (&mut self.lists[n], &mut self.last[n]);
            if !list.is_empty() {
                list.push(',');
            }
            push_number(list, id - *last);
            list.push(',');
            push_number(list, u32::from(term.section) * 4 + term.field as u32);
            *last = id;
        }
    }
}

/// Writes `n` in decimal: most numbers of the postings are below 100,
/// and are written a digit at a time.
fn push_number(list: &mut String, n: u32) {
    let digit = |d: u32| char::from_digit(d, 10).unwrap_or('0');
    match n {
        0..=9 => list.push(digit(n)),
        10..=99 => {
            list.push(digit(n / 10));
            list.push(digit(n % 10));
        }
        _ => list.push_str(itoa::Buffer::new().format(n)),
    }
}

/// A shard's entry: a word (or a stem), its postings, and the other words
/// of its stem.
type Entry<'w> = (Cow<'w, str>, &'w str, Vec<&'w str>);

/// Every word with its postings and the other words of the same stem (what
/// the script searches too: `worried` finds `worries`), sorted; and each
/// stem that is not itself a word, with no postings and every word of that
/// stem, so that the script, which has no stemmer, finds the forms of a word
/// no document uses by the stem it guesses (`worried` → `worri`). Each
/// distinct word is stemmed once. `words` are sorted.
fn entries<'w>(words: &[(&'w str, &'w str)]) -> Vec<Entry<'w>> {
    let stems: Vec<String> = words
        .par_iter()
        .map_init(
            || Stemmer::create(Algorithm::English),
            |stemmer, (w, _)| stemmer.stem(w).into_owned(),
        )
        .collect();
    let mut by_stem: HashMap<&str, Vec<&'w str>> = HashMap::new();
    for ((w, _), stem) in words.iter().zip(&stems) {
        by_stem.entry(stem.as_str()).or_default().push(w);
    }
    let mut entries: Vec<Entry> = words
        .iter()
        .zip(&stems)
        .map(|(&(w, postings), stem)| {
            let forms = &by_stem[stem.as_str()];
            let others = forms.iter().filter(|f| **f != w).copied().collect();
            (Cow::Borrowed(w), postings, others)
        })
        .collect();
    for (stem, forms) in &by_stem {
        if words.binary_search_by_key(stem, |&(w, _)| w).is_err() {
            let mut forms = forms.clone();
            forms.sort_unstable();
            entries.push((Cow::Owned((*stem).to_string()), "", forms));
        }
    }
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Writes the shards' files; gives the first word and the path of each. A
/// shard is `[[word, [doc delta, section * 4 + field, ...], [other
/// forms]?], ...]`.
fn shards(vocabulary: &[Entry], write: &mut dyn FnMut(OutputFile)) -> Shards {
    let mut first_words = Vec::new();
    let mut paths = Vec::new();
    let mut shard = String::new();
    let mut close = |shard: String, first_words: &[String]| {
        let shard = shard + "]";
        let path = named(
            &format!("s{}", first_words.len() - 1),
            "json",
            shard.as_bytes(),
        );
        paths.push(path.clone());
        write(OutputFile::text(path, shard));
    };
    for (word, postings, forms) in vocabulary {
        if shard.is_empty() {
            first_words.push(word.to_string());
            shard.push('[');
        } else {
            shard.push(',');
        }
        entry(&mut shard, word, postings, forms);
        if shard.len() >= SHARD_BYTES {
            close(std::mem::take(&mut shard), &first_words);
        }
    }
    if !shard.is_empty() {
        close(shard, &first_words);
    }
    Shards { first_words, paths }
}

/// The shards written: the first word of each, and its path.
struct Shards {
    first_words: Vec<String>,
    paths: Vec<String>,
}

/// The path under `search/` of a file of the index but `meta.json` and
/// `facets.json`, named by a fingerprint of its `contents`
/// (`search/s3.1a2b3c4d.json`): a name always has the same bytes, so a
/// browser that kept a file from an earlier build never reads it with a
/// later one's `meta.json`, which the script asks the server for each time.
fn named(stem: &str, extension: &str, contents: &[u8]) -> String {
    format!(
        "search/{stem}.{:08x}.{extension}",
        crc32fast::hash(contents)
    )
}

/// One word's entry of a shard.
fn entry(shard: &mut String, word: &str, postings: &str, forms: &[&str]) {
    shard.push('[');
    shard.push_str(&json(word));
    shard.push_str(",[");
    shard.push_str(postings);
    shard.push(']');
    if !forms.is_empty() {
        shard.push_str(",[");
        let forms: Vec<String> = forms.iter().map(|f| json(f)).collect();
        shard.push_str(&forms.join(","));
        shard.push(']');
    }
    shard.push(']');
}

/// A string as JSON, `<` escaped so no file of the index can close a script
/// element it may be pasted into.
fn json(text: &str) -> String {
    serde_json::to_string(text)
        .expect("a string serialises")
        .replace('<', "\\u003c")
}

/// The records, laid end to end in packs as documents are read.
#[derive(Default)]
pub(crate) struct Packs {
    /// Each pack's path (once it is full) and first document.
    list: Vec<(String, usize)>,
    /// The pack being filled.
    pack: Vec<u8>,
    /// Each record's length, by document.
    lengths: Vec<usize>,
}

impl Packs {
    /// Adds the next document's record; gives the pack it fills, which
    /// nothing adds to any more.
    pub(crate) fn add(&mut self, record: &[u8]) -> Option<OutputFile> {
        if self.pack.is_empty() {
            self.list.push((String::new(), self.lengths.len()));
            self.pack.reserve(PACK_BYTES);
        }
        self.pack.extend_from_slice(record);
        self.lengths.push(record.len());
        (self.pack.len() >= PACK_BYTES).then(|| self.take())
    }

    /// The pack not yet full, if any.
    fn close(&mut self) -> Option<OutputFile> {
        (!self.pack.is_empty()).then(|| self.take())
    }

    /// The pack being filled, [`named`] now that its bytes are known.
    fn take(&mut self) -> OutputFile {
        let stem = format!("docs-{}", self.list.len().saturating_sub(1));
        let path = named(&stem, "bin", &self.pack);
        if let Some((named, _)) = self.list.last_mut() {
            named.clone_from(&path);
        }
        OutputFile {
            path,
            contents: Contents::Data(std::mem::take(&mut self.pack)),
        }
    }
}

/// The facets table, a column per facet, a number per document: `k` packs
/// the kind (bits 0–1), audiences (2–5), key stages (6–11) and resource kind
/// (12–14, 0 for none); `t` is a mask of topics (bit n for site.yaml's nth
/// topic; the first 52 topics); `l` is the length of its record in its pack.
fn facets(site: &Site, lengths: &[usize]) -> String {
    let mut k = Vec::with_capacity(lengths.len());
    let mut t = Vec::with_capacity(lengths.len());
    for d in &site.documents {
        k.push(packed_facets(d));
        let mask: u64 = d
            .meta
            .topics
            .iter()
            .filter_map(|slug| site.config.topics.iter().position(|t| &t.slug == slug))
            .filter(|&i| i < 52)
            .map(|i| 1u64 << i)
            .sum();
        t.push(mask);
    }
    serde_json::json!({ "k": k, "t": t, "l": lengths }).to_string()
}

fn packed_facets(d: &Document) -> u32 {
    let mask = |values: &[String], known: &[(&str, &str)]| -> u32 {
        values
            .iter()
            .filter_map(|v| known.iter().position(|(slug, _)| slug == v))
            .map(|i| 1 << i)
            .sum()
    };
    let (kind, resource) = match &d.fields {
        Fields::Page => (0, 0),
        Fields::Partner(_) => (1, 0),
        Fields::Resource(r) => {
            let at = RESOURCE_KINDS.iter().position(|(slug, _)| *slug == r.kind);
            (2, at.map_or(0, |i| i as u32 + 1))
        }
        Fields::Event(_) => (3, 0),
    };
    kind | mask(&d.meta.audiences, AUDIENCES) << 2
        | mask(&d.meta.key_stages, KEY_STAGES) << 6
        | resource << 12
}

/// `meta.json`: what the script loads first.
fn meta(site: &Site, shards: &Shards, packs: &[(String, usize)], dictionary: &str) -> OutputFile {
    let labels = |list: &[(&str, &str)]| -> Vec<[String; 2]> {
        list.iter()
            .map(|(slug, title)| [(*slug).to_string(), (*title).to_string()])
            .collect()
    };
    let topics: Vec<[&str; 2]> = site
        .config
        .topics
        .iter()
        .take(52)
        .map(|t| [t.slug.as_str(), t.title.as_str()])
        .collect();
    let meta = serde_json::json!({
        "version": 1,
        "documents": site.documents.len(),
        "shards": shards.first_words,
        "shard_files": shards.paths,
        "packs": packs,
        "dictionary": dictionary,
        "facets": {
            "kind": labels(&KINDS),
            "topic": topics,
            "audience": labels(AUDIENCES),
            "stage": labels(KEY_STAGES),
            "type": labels(RESOURCE_KINDS),
        },
        "spelling": spelling::table(),
        "stop": text::STOP_WORDS,
        "synonyms": site.config.search.synonyms,
    });
    OutputFile::text(SEARCH_INDEX, meta.to_string().replace('<', "\\u003c"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::words::{Field, Term};

    #[test]
    fn postings_are_document_deltas_and_places_in_decimal() {
        let term = |word, section, field| Term {
            word,
            section,
            field,
        };
        let mut postings = Postings::default();
        postings.add(&vec![term(0, 0, Field::Title), term(2, 30, Field::Body)]);
        for _ in 0..120 {
            postings.add(&Vec::new());
        }
        postings.add(&vec![
            term(0, 2500, Field::Heading),
            term(2, 2, Field::Body),
        ]);
        postings.add(&vec![term(2, 0, Field::Heading)]);
        assert_eq!(postings.lists, ["0,0,121,10001", "", "0,122,121,10,1,1"]);
    }
}
