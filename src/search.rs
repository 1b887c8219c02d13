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

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::markdown::Rendered;
use crate::output::OutputFile;
use crate::site::Site;

/// The file written at the top of the output.
pub const INDEX_FILE: &str = "search-index.json";

/// The URL of the search page, without the base path.
pub const SEARCH_PAGE: &str = "search/";

/// How many words of a document's text the index keeps.
pub const WORDS_PER_DOCUMENT: usize = 40;

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
pub fn render(site: &Site, markdown: &[Rendered]) -> OutputFile {
    OutputFile::text(INDEX_FILE, render_index(site, markdown))
}

/// The index's JSON text.
///
/// Two passes over each document's words, so that the words of all documents
/// are never held at once (on a large site they are hundreds of megabytes):
/// the first counts in how many documents each word appears, the second picks
/// each document's distinctive words.
pub fn render_index(site: &Site, markdown: &[Rendered]) -> String {
    let html: Vec<&str> = markdown.iter().map(|m| m.html.as_str()).collect();
    let common = common_words(&html);
    let chosen: Vec<Vec<String>> = site
        .documents
        .par_iter()
        .zip(&html)
        .map(|(d, html)| {
            let summary = d.meta.summary.as_deref().unwrap_or_default();
            let known: HashSet<String> = words_of(&format!("{} {summary}", d.meta.title))
                .into_iter()
                .collect();
            let text = visible_text(html);
            let words: Vec<&str> = words(&text).collect();
            distinctive(&words, &common, &known)
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    let chosen: Vec<Vec<&str>> = chosen
        .iter()
        .map(|words| words.iter().map(String::as_str).collect())
        .collect();
    let (vocabulary, numbers) = vocabulary(&chosen);
    let docs: Vec<serde_json::Value> = site
        .documents
        .iter()
        .zip(&chosen)
        .map(|(d, words)| {
            let topics: Vec<usize> = d
                .meta
                .topics
                .iter()
                .filter_map(|slug| site.config.topics.iter().position(|t| &t.slug == slug))
                .collect();
            let summary = d.meta.summary.clone().unwrap_or_default();
            let text: Vec<&str> = words.iter().map(|w| numbers[w].as_str()).collect();
            serde_json::json!([d.url, d.meta.title, summary, topics, text.join(" ")])
        })
        .collect();
    let topics: Vec<[&str; 2]> = site
        .config
        .topics
        .iter()
        .map(|t| [t.slug.as_str(), t.title.as_str()])
        .collect();
    let json = serde_json::json!({ "topics": topics, "words": vocabulary, "docs": docs });
    json.to_string().replace('<', "\\u003c")
}

/// Lower-case words of the visible text of `html`, in order, repeats included.
fn words_of(html: &str) -> Vec<String> {
    let text = visible_text(html);
    words(&text).map(str::to_string).collect()
}

/// The visible text of `html`, lower-cased, in one allocation.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .to_lowercase()
}

/// The words of lower-cased text worth indexing.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(2).is_some() && !w.starts_with(|c: char| c.is_ascii_digit()))
        // STOP_WORDS is sorted (a test checks): this runs for every word of the site.
        .filter(|w| STOP_WORDS.binary_search(w).is_err() && !is_entity(w))
}

/// Names left from character references such as `&rsquo;`.
fn is_entity(word: &str) -> bool {
    matches!(
        word,
        "rsquo" | "lsquo" | "rdquo" | "ldquo" | "ndash" | "mdash" | "nbsp" | "hellip"
    )
}

/// Words used by more than half of the documents (given as their HTML), on
/// sites big enough for that to mean something.
fn common_words(html: &[&str]) -> HashSet<String> {
    if html.len() < 20 {
        return HashSet::new();
    }
    // Large chunks: each has a map of its own, and merging maps is the cost.
    let chunk = html.len() / (4 * rayon::current_num_threads()).max(1) + 1;
    let frequency = html
        .par_iter()
        .with_min_len(chunk)
        .fold(
            HashMap::new,
            |mut frequency: HashMap<String, usize>, html| {
                let text = visible_text(html);
                let distinct: HashSet<&str> = words(&text).collect();
                for w in distinct {
                    match frequency.get_mut(w) {
                        Some(n) => *n += 1,
                        None => {
                            frequency.insert(w.to_string(), 1);
                        }
                    }
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
        .filter(|&(_, n)| n * 2 > html.len())
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
fn distinctive<'w>(
    words: &[&'w str],
    common: &HashSet<String>,
    known: &HashSet<String>,
) -> Vec<&'w str> {
    let mut counts: Vec<(&str, usize, usize)> = Vec::new(); // word, uses, first position
    let mut position: HashMap<&str, usize> = HashMap::new();
    for &w in words {
        if common.contains(w) || known.contains(w) {
            continue;
        }
        match position.get(w) {
            Some(&i) => counts[i].1 += 1,
            None => {
                position.insert(w, counts.len());
                counts.push((w, 1, counts.len()));
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts
        .iter()
        .take(WORDS_PER_DOCUMENT)
        .map(|(w, _, _)| *w)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn words_are_the_visible_text_without_tags_or_stop_words() {
        assert_eq!(
            words_of(
                "<p class=\"x\">The <a href=\"/nspcc/\">NSPCC</a> helps&amp;advises in 2024</p>"
            ),
            ["nspcc", "helps", "advises"]
        );
    }

    #[test]
    fn the_most_used_words_come_first_and_known_ones_are_left_out() {
        let words: Vec<&str> = "gangs knife gangs title knife gangs".split(' ').collect();
        let known = HashSet::from(["title".to_string()]);
        assert_eq!(
            distinctive(&words, &HashSet::new(), &known),
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
        let docs: Vec<&str> = (0..20)
            .map(|i| {
                if i == 0 {
                    "<p>school fire</p>"
                } else {
                    "<p>school</p>"
                }
            })
            .collect();
        let common = common_words(&docs);
        assert!(common.contains("school"));
        assert!(!common.contains("fire"));
    }
}
