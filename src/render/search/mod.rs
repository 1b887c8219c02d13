//! The search index: the full text of every public document, in files under
//! `search/` that the default theme's `search.js` reads.
//!
//! Entry points: [`render`] for a build, [`Cache`] for `bounce watch` and
//! `bounce serve`. Both read each document ([`document::read`], in parallel)
//! and lay the words out in files ([`shards::files`]).
//!
//! # The format, and why
//!
//! A reader's browser must not download the whole index: at 10,000 documents
//! the words alone are megabytes. So the index is split by what a query needs:
//!
//! - `search/meta.json`, loaded first: the first word and the path of each
//!   shard (the script finds a word's shard by binary search), the record
//!   packs, the dictionary, the facet labels, the UK/US spelling table
//!   ([`spelling`]), the stop words and the site's synonyms (`search:
//!   synonyms:` in site.yaml).
//! - `search/facets.json`, loaded with the first query: per document, its
//!   kind, audiences, key stages and resource kind packed in one number, a
//!   mask of its topics, and the length of its record. Small numbers in
//!   columns, so that filter counts are computed in the browser over every
//!   matching document without fetching anything else.
//! - `search/sN.H.json`, the shards: the sorted vocabulary cut into runs of about
//!   24 KB of JSON (6 KB gzipped). Each word (in its canonical spelling) has
//!   its postings, `[doc delta, section * 4 + field, ...]`, and, if other
//!   words share its stem (rust-stemmers, English), those words: the script
//!   needs no stemmer, and searches every form of a word, the typed one
//!   weighing most. Typing a word loads the one shard it would be in, which
//!   also serves prefixes and one-letter typos (words at edit distance 1 in
//!   that shard: a typo in the first letters may land in another shard and is
//!   not corrected).
//! - `search/docs-N.H.bin`, the records: each document's URL, title, summary,
//!   headings and the text of each section (for snippets), as JSON,
//!   raw-deflated one record at a time against the site's dictionary
//!   ([`deflate`]) and laid end to end. The script
//!   fetches only the records of the results it shows, each with an HTTP
//!   `Range` request, and inflates them with `DecompressionStream`. One file
//!   per document would be 10,000 files; one file of all records tens of
//!   megabytes. A host without Range support answers 200: the script cancels
//!   that download and shows summaries instead of snippets.
//! - `search/dictionary.H.bin`, fetched with the first record: up to 28 KB
//!   of text the records share ([`dictionary`], chosen from a sample of
//!   them; on a small site less), itself raw-deflated. The
//!   script inflates it before each record, so that a record's copies from
//!   it resolve; at 10,000 documents it halves the records' bytes.
//!
//! `H` is a fingerprint of the file's bytes (CRC-32): a reader's browser may
//! keep any file it fetched, and a name always has the same bytes, so files
//! of different builds are never read together. The script asks the server
//! for `meta.json` and `facets.json` each time (`cache: "no-cache"`, a 304
//! when unchanged), and they name the rest.
//!
//! A passcode-protected document is indexed by its public title and summary
//! only. `<` is written `\u003c` in every JSON file.

mod deflate;
mod dictionary;
mod document;
mod shards;
pub(crate) mod spelling;
mod text;
mod words;

use std::hash::{BuildHasher, BuildHasherDefault};

use ahash::AHashMap as HashMap;
use rayon::prelude::*;

use crate::markdown::Rendered;
use crate::render::file::OutputFile;
use crate::render::theme::fnv1a;
use crate::site::Site;
use crate::source::document::Document;

use deflate::Deflate;
use document::Indexed;
use shards::{Packs, Postings};
use words::Vocabulary;

/// Writes the index's files for the site through `write`, each as soon as
/// it is made (a pack of records as soon as it is full): none is held to
/// the end of the build.
///
/// Documents are read a block at a time (in parallel within a block), and
/// each block's terms are added to the postings, while the next is read, and
/// let go: at 10,000 documents, all their terms at once would be 15 MB.
pub(crate) fn render(
    site: &Site,
    markdown: &[Rendered],
    write: &mut (dyn FnMut(OutputFile) + Send),
) {
    const BLOCK: usize = 512;
    let vocabulary = Vocabulary::default();
    let deflate = deflate_for(site, markdown, &sample(site));
    let mut postings = Postings::default();
    let mut packs = Packs::default();
    let mut read = Vec::new();
    for (docs, markdown) in site.documents.chunks(BLOCK).zip(markdown.chunks(BLOCK)) {
        let add = std::mem::take(&mut read);
        read = rayon::join(
            || {
                docs.par_iter()
                    .zip(markdown)
                    .map(|(d, rendered)| document::read(site, &vocabulary, &deflate, d, rendered))
                    .collect()
            },
            || add_block(add, &mut postings, &mut packs, write),
        )
        .0;
    }
    add_block(read, &mut postings, &mut packs, write);
    shards::files(site, &vocabulary, &postings, packs, &deflate, write);
}

/// Adds a block of documents read, in order, to the postings and the packs,
/// writing each pack they fill.
fn add_block(
    block: Vec<Indexed>,
    postings: &mut Postings,
    packs: &mut Packs,
    write: &mut (dyn FnMut(OutputFile) + Send),
) {
    for indexed in block {
        postings.add(&indexed.terms);
        if let Some(full) = packs.add(&indexed.record) {
            write(full);
        }
    }
}

/// The documents whose records choose the dictionary and make the codes:
/// the 64 whose keys hash lowest, by hash. A sample spread over the site
/// that stays the same when other documents are added, removed or edited,
/// so `bounce watch` seldom has to make a new one.
fn sample(site: &Site) -> Vec<usize> {
    const SAMPLES: usize = 64;
    let mut hashes: Vec<(u32, usize)> = site
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (fnv1a(d.key.as_bytes()), i))
        .collect();
    if hashes.len() > SAMPLES {
        hashes.select_nth_unstable(SAMPLES);
        hashes.truncate(SAMPLES);
    }
    hashes.sort_unstable();
    hashes.into_iter().map(|(_, i)| i).collect()
}

/// The compressor of a site's records: the dictionary chosen from every
/// other record of the `sample`, the codes made from the rest (from the
/// same ones on a site too small to have others). The dictionary is at most
/// a thirty-second of the records' bytes (as the sample has them): a reader
/// fetches it once, and on a small site it would cost more than it saves.
fn deflate_for(site: &Site, markdown: &[Rendered], sample: &[usize]) -> Deflate {
    let records: Vec<String> = sample
        .par_iter()
        .map(|&i| document::record(&site.documents[i], &markdown[i]))
        .collect();
    let sampled: usize = records.iter().map(String::len).sum();
    let limit = sampled * site.documents.len() / records.len().max(1) / 32;
    let (mut chosen, mut counted): (Vec<&[u8]>, Vec<&[u8]>) = (Vec::new(), Vec::new());
    for (i, record) in records.iter().enumerate() {
        [&mut chosen, &mut counted][i % 2].push(record.as_bytes());
    }
    if counted.is_empty() {
        counted.clone_from(&chosen);
    }
    Deflate::new(&dictionary::choose(&chosen, limit), &counted)
}

/// The index kept between rebuilds, for `bounce watch`: each document as read
/// is kept with a fingerprint of what it was read from, so an edit costs
/// reading the edited documents again and laying out the files; the output
/// writes only the files whose bytes changed (the shards holding the edited
/// words and the edited document's pack, each under a new name, the facets
/// and `meta.json`, which names them) and removes those no longer made. An
/// edit to one of the documents the records' dictionary is chosen from (64
/// of them: [`sample`]) may change it, and then every document is read
/// again. Makes the same files as [`render`].
#[derive(Default)]
pub(crate) struct Cache {
    documents: HashMap<String, (u64, Indexed)>,
    /// The compressor of the records kept, and the keys of the documents it
    /// was made from: made again only when those change, and the records
    /// read again only when it comes out different.
    deflate: Option<(Vec<String>, Deflate)>,
    /// The words of every document read, kept for the numbers the documents
    /// kept use.
    vocabulary: Vocabulary,
}

impl Cache {
    /// The index's files; `html` gives the hash of a document's HTML, by key.
    pub(crate) fn render(
        &mut self,
        site: &Site,
        markdown: &[Rendered],
        html: impl Fn(&str) -> u64 + Sync,
    ) -> Vec<OutputFile> {
        let prints: Vec<u64> = site
            .documents
            .par_iter()
            .map(|d| print(site, d, html(&d.key)))
            .collect();
        let (keys, deflate) = self.compressor(site, markdown, &prints);
        let fresh: Vec<(String, u64, Indexed)> = (0..site.documents.len())
            .into_par_iter()
            .filter(|&i| stale(&self.documents, &site.documents[i].key, prints[i]))
            .map(|i| {
                let (d, rendered) = (&site.documents[i], &markdown[i]);
                let indexed = document::read(site, &self.vocabulary, &deflate, d, rendered);
                (d.key.clone(), prints[i], indexed)
            })
            .collect();
        for (key, print, indexed) in fresh {
            self.documents.insert(key, (print, indexed));
        }
        if self.documents.len() > site.documents.len() {
            let keys: ahash::AHashSet<&str> =
                site.documents.iter().map(|d| d.key.as_str()).collect();
            self.documents.retain(|k, _| keys.contains(k.as_str()));
        }
        let docs: Vec<&Indexed> = site
            .documents
            .iter()
            .filter_map(|d| self.documents.get(&d.key).map(|c| &c.1))
            .collect();
        let mut postings = Postings::default();
        let mut packs = Packs::default();
        let mut files = Vec::new();
        for d in &docs {
            postings.add(&d.terms);
            files.extend(packs.add(&d.record));
        }
        let mut keep = |file| files.push(file);
        shards::files(
            site,
            &self.vocabulary,
            &postings,
            packs,
            &deflate,
            &mut keep,
        );
        self.deflate = Some((keys, deflate));
        files
    }

    /// The compressor for this rebuild, and the keys of its sample: the last
    /// one while its sample's documents are the same and unchanged; a new
    /// one otherwise, and if it differs, no document is kept.
    fn compressor(
        &mut self,
        site: &Site,
        markdown: &[Rendered],
        prints: &[u64],
    ) -> (Vec<String>, Deflate) {
        let sample = sample(site);
        let keys: Vec<String> = sample
            .iter()
            .map(|&i| site.documents[i].key.clone())
            .collect();
        let unchanged = !sample
            .iter()
            .any(|&i| stale(&self.documents, &site.documents[i].key, prints[i]));
        match self.deflate.take() {
            Some((was, deflate)) if was == keys && unchanged => (keys, deflate),
            old => {
                let deflate = deflate_for(site, markdown, &sample);
                if old.is_none_or(|(_, old)| old != deflate) {
                    self.documents.clear();
                }
                (keys, deflate)
            }
        }
    }
}

/// Whether the document `key` is not kept as read from what `print` stands for.
fn stale(documents: &HashMap<String, (u64, Indexed)>, key: &str, print: u64) -> bool {
    documents.get(key).map(|c| c.0) != Some(print)
}

/// What a document's entry is read from besides its HTML: its file (front
/// matter) and the name of the partner it names.
fn print(site: &Site, d: &Document, html: u64) -> u64 {
    let partner = d
        .partner_slug()
        .and_then(|slug| site.partner(slug))
        .map(|p| p.meta.title.as_str());
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one((html, &d.text, &d.url, partner))
}
