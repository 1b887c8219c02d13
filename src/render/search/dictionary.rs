//! The dictionary the records are deflated against ([`super::deflate`]):
//! the text most of a sample of records share, so that a record's phrases
//! the site repeats (its headings, its boilerplate, its recurring terms)
//! cost a few bits each rather than a few bytes.
//!
//! Entry point: [`choose`]. A simple form of zstd's COVER: the samples are
//! cut into segments, a segment scores for each run of eight bytes in it
//! that other samples have too, and segments are taken best first, a run
//! counting only for the first segment taken that has it.

use std::collections::BinaryHeap;
use std::collections::hash_map::Entry;

use ahash::{AHashMap as HashMap, AHashSet as HashSet};

use crate::foundation::eight;
use crate::render::search::deflate::DICTIONARY_BYTES;

/// The runs of bytes counted, and the segments taken.
const RUN: usize = 8;
const SEGMENT: usize = 64;

/// The dictionary for records like `samples`: at most `limit` bytes (and at
/// most [`DICTIONARY_BYTES`]), the segment that scored best last (where a
/// record reaches it soonest). Empty when no run of eight bytes is in two
/// samples.
pub(crate) fn choose(samples: &[&[u8]], limit: usize) -> Vec<u8> {
    let limit = limit.min(DICTIONARY_BYTES);
    let mut shared = shared_runs(samples);
    let mut heap: BinaryHeap<(u32, std::cmp::Reverse<usize>, usize)> = BinaryHeap::new();
    let segments: Vec<&[u8]> = samples
        .iter()
        .flat_map(|sample| sample.chunks(SEGMENT))
        .filter(|segment| segment.len() >= RUN)
        .collect();
    for (i, segment) in segments.iter().enumerate() {
        heap.push((score(segment, &shared), std::cmp::Reverse(i), i));
    }
    let mut taken = Vec::new();
    let mut bytes = 0;
    while let Some((stale, order, i)) = heap.pop() {
        if stale == 0 || bytes + segments[i].len() > limit {
            break;
        }
        // Runs an earlier segment took no longer count: score again, and
        // take it only if it still beats the next best.
        let now = score(segments[i], &shared);
        if heap.peek().is_some_and(|next| now < next.0) {
            heap.push((now, order, i));
            continue;
        }
        if now == 0 {
            break;
        }
        for run in segments[i].windows(RUN) {
            shared.remove(&key(run));
        }
        bytes += segments[i].len();
        taken.push(segments[i]);
    }
    taken.iter().rev().flat_map(|s| s.iter().copied()).collect()
}

/// By each run of eight bytes in two or more samples: how many samples
/// besides one have it.
fn shared_runs(samples: &[&[u8]]) -> HashMap<u64, u32> {
    let mut counts: HashMap<u64, u32> = HashMap::default();
    let mut seen = HashSet::default();
    for sample in samples {
        seen.clear();
        for run in sample.windows(RUN) {
            let run = key(run);
            if seen.insert(run) {
                match counts.entry(run) {
                    Entry::Occupied(mut n) => *n.get_mut() += 1,
                    Entry::Vacant(n) => {
                        n.insert(0);
                    }
                }
            }
        }
    }
    counts.retain(|_, n| *n > 0);
    counts
}

/// A segment's worth: for each of its runs, how many other samples have it.
fn score(segment: &[u8], shared: &HashMap<u64, u32>) -> u32 {
    segment
        .windows(RUN)
        .map(|run| shared.get(&key(run)).copied().unwrap_or_default())
        .sum()
}

/// A run of eight bytes as one number.
fn key(run: &[u8]) -> u64 {
    eight::read(run, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_many_records_share_is_chosen_and_text_one_has_is_not() {
        let shared = "Talk to the designated safeguarding lead the same day. ";
        let own = ["kestrel", "heron", "plover", "curlew", "osprey", "bittern"];
        let samples: Vec<String> = own
            .iter()
            .map(|bird| {
                format!(
                    "{{\"t\":\"A page\",\"x\":[\"{shared}Only this page says {}\"]}}",
                    bird.repeat(30)
                )
            })
            .collect();
        let samples: Vec<&[u8]> = samples.iter().map(String::as_bytes).collect();
        let dictionary = String::from_utf8_lossy(&choose(&samples, usize::MAX)).into_owned();
        assert!(
            dictionary.contains("designated safeguarding"),
            "{dictionary}"
        );
        // A segment is taken for what it shares, with whatever else it has;
        // none is taken for text of one page only.
        assert!(
            !own.iter()
                .any(|bird| dictionary.contains(&bird.repeat(30)[..SEGMENT])),
            "{dictionary}"
        );
        assert!(
            choose(&samples[..1], usize::MAX).is_empty(),
            "one sample shares nothing"
        );
    }

    #[test]
    fn a_dictionary_keeps_within_its_size() {
        let text: String = (0..20_000).map(|n| format!("word{} ", n % 3000)).collect();
        let samples = [text.as_bytes(), text.as_bytes()];
        let dictionary = choose(&samples, usize::MAX);
        assert!(dictionary.len() <= DICTIONARY_BYTES);
        assert!(
            dictionary.len() > DICTIONARY_BYTES / 2,
            "{}",
            dictionary.len()
        );
        let small = choose(&samples, 1000);
        assert!(small.len() <= 1000 && small.len() > 900, "{}", small.len());
    }
}
