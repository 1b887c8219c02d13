//! Raw deflate (RFC 1951) of the search records against a dictionary the
//! site shares: text the records have in common, which a record's matches
//! may reach back into as if it came just before the record.
//!
//! Entry point: [`Deflate`]. Readers' browsers have no deflate with a
//! dictionary (`DecompressionStream` takes none), but a deflate stream may
//! copy from anything already inflated: the script inflates a stored block
//! holding the dictionary ([`Deflate::prefix`]) followed by the record, and
//! drops the dictionary's bytes from what comes out.
//!
//! Written here rather than taken from a crate because none does this
//! cheaply: zlib's `deflateSetDictionary` hashes the whole dictionary again
//! for every record, which costs more than compressing it. Here the
//! dictionary's hash table is made once and only read, and so are the
//! Huffman codes: one set for every record, made from a sample of them
//! (every symbol has a code, so any record can be written with them), its
//! block header written once and copied in front of each record. A record
//! is one block, its matches found greedily with one candidate per hash.

use std::cell::RefCell;

use crate::foundation::eight;

/// The farthest back a match may reach.
const WINDOW: usize = 32 * 1024;
/// The shortest match looked for, and the longest deflate has.
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
/// How many bytes a position is hashed by: with five rather than four, the
/// one candidate a hash keeps is less often a common four letters (` the`,
/// `tion`) that match no further. The 10,000-document benchmark's records
/// came out 5 % smaller, and 10 % quicker to write; the example site's, the
/// guide's and the seed pages' 0.4–2 % smaller.
const HASHED: usize = 5;
/// The most bytes a dictionary keeps: what is left of the window for a
/// record's own matches once its start is a few kilobytes past the
/// dictionary's end.
pub(crate) const DICTIONARY_BYTES: usize = 28 * 1024;
/// Bits of the hash tables' indexes: the dictionary's, and each record's.
const DICTIONARY_HASH_BITS: u32 = 14;
const RECORD_HASH_BITS: u32 = 12;

/// Deflate's lengths and distances: the first of each code, and how many
/// extra bits follow the code.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Literals and lengths (0-255 bytes, 256 the end of the block, then 29
/// lengths), and distances.
const LITERALS: usize = 286;
const DISTANCES: usize = 30;
const END_OF_BLOCK: usize = 256;
/// The order the code-length code's lengths are written in.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A dictionary and the codes every record is written with.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Deflate {
    dictionary: Vec<u8>,
    /// By hash of [`HASHED`] bytes: the last position in `dictionary` they
    /// start at, plus one (0 for none).
    table: Vec<u16>,
    /// By literal or length symbol, and by distance symbol: (code, bits).
    literals: [(u16, u8); LITERALS],
    distances: [(u16, u8); DISTANCES],
    /// The block header: its whole bytes, then the bits left over.
    header: Bits,
    /// By length (3-258): its symbol.
    length_symbols: [u16; MAX_MATCH + 1],
    /// By length (3-258): its code and extra bits, as one (bits, count).
    length_codes: [(u32, u8); MAX_MATCH + 1],
}

/// One step of a record as matched: a byte, or a copy of earlier bytes.
#[derive(Clone, Copy)]
enum Token {
    Literal(u8),
    Copy { length: usize, distance: usize },
}

impl Deflate {
    /// The compressor for records like `samples`, with `dictionary` (cut to
    /// its last [`DICTIONARY_BYTES`]) before each.
    pub(crate) fn new(dictionary: &[u8], samples: &[&[u8]]) -> Deflate {
        let dictionary = dictionary[dictionary.len().saturating_sub(DICTIONARY_BYTES)..].to_vec();
        let mut table = vec![0u16; 1 << DICTIONARY_HASH_BITS];
        for at in 0..dictionary.len().saturating_sub(MIN_MATCH - 1) {
            let at_plus_one = u16::try_from(at + 1).unwrap_or(u16::MAX);
            table[slot(mix(&dictionary, at), DICTIONARY_HASH_BITS)] = at_plus_one;
        }
        let mut length_symbols = [0; MAX_MATCH + 1];
        for (symbol, &base) in LENGTH_BASE.iter().enumerate() {
            let end = LENGTH_BASE
                .get(symbol + 1)
                .map_or(MAX_MATCH + 1, |&b| usize::from(b));
            let symbol = u16::try_from(257 + symbol).unwrap_or_default();
            length_symbols[usize::from(base)..end].fill(symbol);
        }
        let mut deflate = Deflate {
            dictionary,
            table,
            literals: [(0, 0); LITERALS],
            distances: [(0, 0); DISTANCES],
            header: Bits::default(),
            length_symbols,
            length_codes: [(0, 0); MAX_MATCH + 1],
        };
        deflate.make_codes(samples);
        deflate
    }

    /// The dictionary, as the script has it: what it inflates before every
    /// record, as one stored block (not the last).
    pub(crate) fn dictionary(&self) -> &[u8] {
        &self.dictionary
    }

    /// `record` raw-deflated, to be inflated after [`Deflate::dictionary`].
    pub(crate) fn compress(&self, record: &[u8]) -> Vec<u8> {
        SCRATCH.with(|scratch| {
            let (recent, bytes) = &mut *scratch.borrow_mut();
            // Emptied for each record: what another record left would make
            // the bytes depend on which thread wrote which records before.
            recent.clear();
            recent.resize(1 << RECORD_HASH_BITS, EMPTY);
            bytes.clear();
            bytes.extend_from_slice(self.header.whole());
            let mut bits = Bits {
                bytes: std::mem::take(bytes),
                ..self.header
            };
            self.tokens(record, recent, |token| self.write(&mut bits, token));
            let (code, length) = self.literals[END_OF_BLOCK];
            bits.put(u64::from(code), length);
            *bytes = bits.finish();
            bytes.to_vec()
        })
    }

    /// Codes for the symbols of `samples`, one more than each was counted so
    /// that every symbol has one, and the block header that gives them.
    fn make_codes(&mut self, samples: &[&[u8]]) {
        let mut literal_counts = [1u32; LITERALS];
        let mut distance_counts = [1u32; DISTANCES];
        let mut recent = Vec::new();
        for sample in samples {
            recent.clear();
            recent.resize(1 << RECORD_HASH_BITS, EMPTY);
            self.tokens(sample, &mut recent, |token| match token {
                Token::Literal(byte) => literal_counts[usize::from(byte)] += 1,
                Token::Copy { length, distance } => {
                    literal_counts[usize::from(self.length_symbols[length])] += 1;
                    distance_counts[distance_symbol(distance)] += 1;
                }
            });
            literal_counts[END_OF_BLOCK] += 1;
        }
        let literal_lengths = code_lengths(&literal_counts, 15);
        let distance_lengths = code_lengths(&distance_counts, 15);
        self.literals = codes(&literal_lengths);
        self.distances = codes(&distance_lengths);
        self.header = header(&literal_lengths, &distance_lengths);
        // Every length deflate has, from 3.
        for length in 3..=MAX_MATCH {
            let symbol = usize::from(self.length_symbols[length]);
            let (code, bits) = self.literals[symbol];
            let extra = (length - usize::from(LENGTH_BASE[symbol - 257])) as u32;
            self.length_codes[length] = (
                u32::from(code) | extra << bits,
                bits + LENGTH_EXTRA[symbol - 257],
            );
        }
    }

    /// The tokens of `record`, each given to `emit`, longest match first
    /// between the record's own bytes (`recent` hashes positions in it) and
    /// the dictionary's.
    fn tokens(&self, record: &[u8], recent: &mut [u32], mut emit: impl FnMut(Token)) {
        let last = record.len().saturating_sub(MIN_MATCH - 1);
        let mut at = 0;
        while at < last {
            let mixed = mix(record, at);
            let own = self.own_match(record, recent, at, mixed);
            let shared = self.dictionary_match(record, at, mixed, own.0);
            let (length, distance) = if own.0 >= shared.0 { own } else { shared };
            if length < MIN_MATCH {
                emit(Token::Literal(record[at]));
                at += 1;
                continue;
            }
            emit(Token::Copy { length, distance });
            at += length;
            // The match's end is hashed too, so that the text after a
            // repeated phrase is found again from there.
            if at < last {
                recent[slot(mix(record, at - 1), RECORD_HASH_BITS)] = as_u32(at - 1);
            }
        }
        for &byte in &record[at.min(record.len())..] {
            emit(Token::Literal(byte));
        }
    }

    /// The match at `at` (whose bytes hash to `mixed`) with the
    /// record's own earlier bytes: (length, distance), length 0 if none.
    fn own_match(
        &self,
        record: &[u8],
        recent: &mut [u32],
        at: usize,
        mixed: u32,
    ) -> (usize, usize) {
        let slot = &mut recent[slot(mixed, RECORD_HASH_BITS)];
        let candidate = *slot as usize;
        *slot = as_u32(at);
        if candidate >= at || at - candidate > WINDOW {
            return (0, 0);
        }
        (
            common_length(&record[candidate..], &record[at..]),
            at - candidate,
        )
    }

    /// The match at `at` with the dictionary, which ends where the record
    /// begins, if longer than `beat`: (length, distance), length 0 if none.
    fn dictionary_match(
        &self,
        record: &[u8],
        at: usize,
        mixed: u32,
        beat: usize,
    ) -> (usize, usize) {
        let candidate = self.table[slot(mixed, DICTIONARY_HASH_BITS)];
        let Some(candidate) = usize::from(candidate).checked_sub(1) else {
            return (0, 0);
        };
        let distance = self.dictionary.len() - candidate + at;
        // Longer only if the byte after `beat` in common is the same too.
        let next = self.dictionary.get(candidate + beat);
        if distance > WINDOW || beat >= MAX_MATCH || next != record.get(at + beat) {
            return (0, 0);
        }
        (
            common_length(&self.dictionary[candidate..], &record[at..]),
            distance,
        )
    }

    /// Writes one token with the codes.
    fn write(&self, bits: &mut Bits, token: Token) {
        match token {
            Token::Literal(byte) => {
                let (code, length) = self.literals[usize::from(byte)];
                bits.put(u64::from(code), length);
            }
            Token::Copy { length, distance } => {
                // The length's code and extra bits (at most 20), then the
                // distance's (at most 28), in one put.
                let (length_code, length_bits) = self.length_codes[length];
                let symbol = distance_symbol(distance);
                let (code, bits_used) = self.distances[symbol];
                let extra = (distance - usize::from(DISTANCE_BASE[symbol])) as u64;
                let distance_code = u64::from(code) | extra << bits_used;
                bits.put(
                    u64::from(length_code) | distance_code << length_bits,
                    length_bits + bits_used + DISTANCE_EXTRA[symbol],
                );
            }
        }
    }

    /// The dictionary as one stored block, not the last, for the script to
    /// inflate before each record (a test's way to read records as the
    /// script does).
    #[cfg(test)]
    pub(crate) fn prefix(&self) -> Vec<u8> {
        let length = u16::try_from(self.dictionary.len()).unwrap_or(u16::MAX);
        let mut prefix = vec![0];
        prefix.extend(length.to_le_bytes());
        prefix.extend((!length).to_le_bytes());
        prefix.extend(&self.dictionary);
        prefix
    }
}

/// A slot of a record's hash table with no position in it.
const EMPTY: u32 = u32::MAX;

thread_local! {
    /// Room for a record's hash table, and for the largest record yet (copied
    /// out at its size).
    static SCRATCH: RefCell<(Vec<u32>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The [`HASHED`] bytes at `at` (zeros past the end), mixed: their hash is
/// its top bits.
fn mix(bytes: &[u8], at: usize) -> u32 {
    let bytes = eight::read(bytes, at) & (u64::MAX >> (64 - 8 * HASHED));
    (bytes.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

/// A hash table's slot for `mixed` bytes: its top `bits` bits.
fn slot(mixed: u32, bits: u32) -> usize {
    (mixed >> (32 - bits)) as usize
}

/// How many bytes `a` and `b` have in common from their starts, up to
/// [`MAX_MATCH`]: eight at a time.
fn common_length(a: &[u8], b: &[u8]) -> usize {
    let most = a.len().min(b.len()).min(MAX_MATCH);
    let mut n = 0;
    while n + 8 <= most {
        let x = u64::from_le_bytes(a[n..n + 8].try_into().unwrap_or_default());
        let y = u64::from_le_bytes(b[n..n + 8].try_into().unwrap_or_default());
        if x != y {
            return n + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < most && a[n] == b[n] {
        n += 1;
    }
    n
}

/// A distance's symbol.
fn distance_symbol(distance: usize) -> usize {
    let d = distance - 1;
    if d < 4 {
        return d;
    }
    let top = (usize::BITS - 1 - d.leading_zeros()) as usize;
    2 * top + ((d >> (top - 1)) & 1)
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Huffman code lengths for symbols counted `counts` (0 for a symbol not
/// used), none longer than `limit` bits.
fn code_lengths(counts: &[u32], limit: u8) -> Vec<u8> {
    let mut used: Vec<(u32, usize)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(symbol, &n)| (n, symbol))
        .collect();
    used.sort_unstable();
    let mut lengths = vec![0u8; counts.len()];
    if let [(_, only)] = used[..] {
        // Two codes of one bit: inflate takes no tree with a single leaf.
        lengths[only] = 1;
        lengths[usize::from(only == 0)] = 1;
        return lengths;
    }
    if used.is_empty() {
        return lengths;
    }
    let mut depths: Vec<u32> = used.iter().map(|&(n, _)| n).collect();
    minimum_redundancy(&mut depths);
    // How many codes of each length, the deepest made `limit` long and the
    // tree mended as miniz does; the shortest codes to the most used.
    let mut per_length = [0u32; 33];
    for &depth in &depths {
        per_length[depth.min(32) as usize] += 1;
    }
    let limit = usize::from(limit);
    let deeper: u32 = per_length[limit + 1..].iter().sum();
    per_length[limit] += deeper;
    per_length[limit + 1..].fill(0);
    let mut total: u32 = (1..=limit).map(|l| per_length[l] << (limit - l)).sum();
    while total > 1 << limit {
        per_length[limit] -= 1;
        if let Some(l) = (1..limit).rev().find(|&l| per_length[l] > 0) {
            per_length[l] -= 1;
            per_length[l + 1] += 2;
        }
        total -= 1;
    }
    let mut next = used.len();
    for (length, &count) in per_length.iter().enumerate().take(limit + 1).skip(1) {
        for _ in 0..count {
            next -= 1;
            lengths[used[next].1] = u8::try_from(length).unwrap_or(u8::MAX);
        }
    }
    lengths
}

/// Replaces counts sorted in ascending order by the depths of their leaves
/// in a Huffman tree, in place (Moffat and Katajainen, "In-place calculation
/// of minimum-redundancy codes", 1995).
fn minimum_redundancy(a: &mut [u32]) {
    let n = a.len();
    a[0] += a[1];
    let (mut root, mut leaf) = (0, 2);
    for next in 1..n - 1 {
        if leaf >= n || a[root] < a[leaf] {
            a[next] = a[root];
            a[root] = as_u32(next);
            root += 1;
        } else {
            a[next] = a[leaf];
            leaf += 1;
        }
        if leaf >= n || (root < next && a[root] < a[leaf]) {
            a[next] += a[root];
            a[root] = as_u32(next);
            root += 1;
        } else {
            a[next] += a[leaf];
            leaf += 1;
        }
    }
    a[n - 2] = 0;
    for next in (0..n - 2).rev() {
        a[next] = a[a[next] as usize] + 1;
    }
    let (mut available, mut used, mut depth) = (1u32, 0u32, 0u32);
    let (mut root, mut next) = (n as isize - 2, n as isize - 1);
    while available > 0 {
        while root >= 0 && a[root as usize] == depth {
            used += 1;
            root -= 1;
        }
        while available > used {
            a[next as usize] = depth;
            next -= 1;
            available -= 1;
        }
        available = 2 * used;
        depth += 1;
        used = 0;
    }
}

/// The canonical codes of `lengths`, bit-reversed as deflate writes them:
/// (code, bits) by symbol.
fn codes<const N: usize>(lengths: &[u8]) -> [(u16, u8); N] {
    let mut per_length = [0u16; 16];
    for &l in lengths {
        per_length[usize::from(l)] += 1;
    }
    per_length[0] = 0;
    let mut next = [0u16; 16];
    for l in 1..16 {
        next[l] = (next[l - 1] + per_length[l - 1]) << 1;
    }
    let mut codes = [(0, 0); N];
    for (symbol, &l) in lengths.iter().enumerate().take(N) {
        if l > 0 {
            let code = next[usize::from(l)];
            next[usize::from(l)] += 1;
            codes[symbol] = (code.reverse_bits() >> (16 - l), l);
        }
    }
    codes
}

/// The header of a last block with dynamic codes of these lengths.
fn header(literals: &[u8], distances: &[u8]) -> Bits {
    let runs = run_lengths(literals.iter().chain(distances).copied());
    let mut counts = [0u32; 19];
    for &(symbol, _) in &runs {
        counts[usize::from(symbol)] += 1;
    }
    let lengths = code_lengths(&counts, 7);
    let codes: [(u16, u8); 19] = codes(&lengths);
    let written = CODE_LENGTH_ORDER
        .iter()
        .rposition(|&s| lengths[s] > 0)
        .map_or(4, |last| (last + 1).max(4));
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(2, 2); // with dynamic codes
    bits.put((literals.len() - 257) as u64, 5);
    bits.put((distances.len() - 1) as u64, 5);
    bits.put((written - 4) as u64, 4);
    for &symbol in &CODE_LENGTH_ORDER[..written] {
        bits.put(u64::from(lengths[symbol]), 3);
    }
    for (symbol, extra) in runs {
        let (code, length) = codes[usize::from(symbol)];
        bits.put(u64::from(code), length);
        match symbol {
            16 => bits.put(u64::from(extra), 2),
            17 => bits.put(u64::from(extra), 3),
            18 => bits.put(u64::from(extra), 7),
            _ => {}
        }
    }
    bits
}

/// Code lengths as the code-length code writes them: (symbol, extra bits'
/// value), runs of a length as 16 (the last length 3-6 times more), 17 and
/// 18 (3-10 and 11-138 zeros).
fn run_lengths(lengths: impl Iterator<Item = u8>) -> Vec<(u8, u8)> {
    let lengths: Vec<u8> = lengths.collect();
    let mut runs = Vec::new();
    let mut at = 0;
    while at < lengths.len() {
        let length = lengths[at];
        let run = lengths[at..].iter().take_while(|&&l| l == length).count();
        let mut left = run;
        if length == 0 {
            while left >= 11 {
                let n = left.min(138);
                runs.push((18, u8::try_from(n - 11).unwrap_or_default()));
                left -= n;
            }
            if left >= 3 {
                runs.push((17, u8::try_from(left - 3).unwrap_or_default()));
                left = 0;
            }
        } else {
            runs.push((length, 0));
            left -= 1;
            while left >= 3 {
                let n = left.min(6);
                runs.push((16, u8::try_from(n - 3).unwrap_or_default()));
                left -= n;
            }
        }
        runs.extend(std::iter::repeat_n((length, 0), left));
        at += run;
    }
    runs
}

/// Bits written least significant first, as deflate has them.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
struct Bits {
    /// The bytes written, `length` of them; those past it are room.
    bytes: Vec<u8>,
    length: usize,
    /// Bits not yet in a whole byte, fewer than eight of them.
    pending: u64,
    count: u8,
}

impl Bits {
    /// Writes the low `count` bits of `value` (at most 56: with the seven
    /// that may be pending, no more than a `u64` holds). All eight
    /// bytes of what is pending are written, and `length` moves past the
    /// whole ones: that costs less than asking whether there are any.
    fn put(&mut self, value: u64, count: u8) {
        self.pending |= value << self.count;
        self.count += count;
        let at = self.length;
        if self.bytes.len() < at + 8 {
            self.bytes.resize(2 * at + 64, 0);
        }
        self.bytes[at..at + 8].copy_from_slice(&self.pending.to_le_bytes());
        let whole = self.count / 8;
        self.length += usize::from(whole);
        self.pending >>= 8 * whole;
        self.count -= 8 * whole;
    }

    /// The bytes written so far, whole ones only.
    fn whole(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    /// The bytes, the last padded with zeros.
    fn finish(mut self) -> Vec<u8> {
        let whole = usize::from(self.count.div_ceil(8));
        self.bytes.truncate(self.length);
        self.bytes
            .extend_from_slice(&self.pending.to_le_bytes()[..whole]);
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use proptest::prelude::*;

    use super::*;

    /// What the script gets from `record`: inflated after the dictionary,
    /// whose bytes are dropped.
    fn inflate(deflate: &Deflate, record: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(deflate.prefix().chain(record))
            .read_to_end(&mut out)
            .expect("inflates");
        out.split_off(deflate.dictionary().len())
    }

    const PHRASE: &str = "Designated safeguarding lead for the school; ";

    #[test]
    fn records_inflate_after_the_dictionary_and_copy_from_it() {
        let dictionary = PHRASE.repeat(20);
        let deflate = Deflate::new(dictionary.as_bytes(), &[PHRASE.as_bytes()]);
        let alone = Deflate::new(&[], &[PHRASE.as_bytes()]);
        let record = format!("{{\"t\":\"{PHRASE}\",\"x\":[\"€ {PHRASE}\"]}}");
        for d in [&deflate, &alone] {
            assert_eq!(
                inflate(d, &d.compress(record.as_bytes())),
                record.as_bytes()
            );
        }
        assert!(
            deflate.compress(record.as_bytes()).len() * 3
                < alone.compress(record.as_bytes()).len() * 2,
            "copies from the dictionary make a record smaller"
        );
        let long = "long text ".repeat(5000);
        assert!(
            alone.compress(long.as_bytes()).len() < long.len() / 20,
            "a record's repeats are copies, not stored"
        );
        assert_eq!(inflate(&alone, &alone.compress(b"")), b"");
    }

    #[test]
    fn copies_reach_no_farther_back_than_the_window() {
        // A record longer than the window, repeating text from its start
        // and from the dictionary only past the window's reach.
        let dictionary = "0123456789abcdef".repeat(1700);
        let deflate = Deflate::new(dictionary.as_bytes(), &[]);
        let mut record = dictionary.clone().into_bytes();
        record.extend((0..40_000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8));
        record.extend_from_within(..5000);
        assert_eq!(inflate(&deflate, &deflate.compress(&record)), record);
    }

    #[test]
    fn code_lengths_fill_the_tree_within_the_limit() {
        // Fibonacci counts make a Huffman tree as deep as it gets.
        let mut counts = vec![1u32, 1];
        while counts.len() < 30 {
            counts.push(counts[counts.len() - 1] + counts[counts.len() - 2]);
        }
        for (counts, limit) in [(&counts[..], 15), (&counts[..], 7), (&[5, 0, 0][..], 15)] {
            let lengths = code_lengths(counts, limit);
            assert!(lengths.iter().all(|&l| l <= limit));
            let kraft: u64 = lengths
                .iter()
                .filter(|&&l| l > 0)
                .map(|&l| 1u64 << (15 - l))
                .sum();
            assert_eq!(kraft, 1 << 15, "{lengths:?} make a whole tree");
        }
    }

    #[test]
    fn common_length_stops_at_the_first_difference_either_end_or_the_longest_match() {
        for n in 0..300 {
            let same = vec![b'x'; n];
            let (mut a, mut b) = (same.clone(), same.clone());
            a.extend(b"ab");
            b.extend(b"b");
            assert_eq!(common_length(&a, &b), n.min(MAX_MATCH), "differ after {n}");
            let longer = vec![b'x'; n + 40];
            assert_eq!(
                common_length(&same, &longer),
                n.min(MAX_MATCH),
                "end at {n}"
            );
            assert_eq!(
                common_length(&longer, &same),
                n.min(MAX_MATCH),
                "end at {n}"
            );
        }
    }

    #[test]
    fn every_distance_has_its_symbol() {
        for distance in 1..=WINDOW {
            let symbol = distance_symbol(distance);
            let base = usize::from(DISTANCE_BASE[symbol]);
            assert!(
                base <= distance && distance < base + (1 << DISTANCE_EXTRA[symbol]),
                "{distance} is not symbol {symbol}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_record_inflates_to_itself(
            dictionary in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..3000),
            record in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..3000),
            repeat in 0usize..400,
        ) {
            let mut record = record;
            let tail: Vec<u8> = record.iter().copied().cycle().take(repeat).collect();
            record.extend(tail);
            let deflate = Deflate::new(&dictionary, &[&record]);
            prop_assert_eq!(inflate(&deflate, &deflate.compress(&record)), record.clone());
            let other = Deflate::new(&dictionary, &[]);
            prop_assert_eq!(inflate(&other, &other.compress(&record)), record);
        }

        #[test]
        fn any_counts_make_a_whole_tree(counts in proptest::collection::vec(0u32..100_000, 2..300)) {
            let lengths = code_lengths(&counts, 15);
            let used = counts.iter().filter(|&&n| n > 0).count();
            prop_assume!(used > 0);
            prop_assert!(lengths.iter().all(|&l| l <= 15));
            prop_assert_eq!(lengths.iter().filter(|&&l| l > 0).count(), used.max(2));
            let kraft: u64 = lengths.iter().filter(|&&l| l > 0).map(|&l| 1u64 << (15 - l)).sum();
            prop_assert_eq!(kraft, 1 << 15);
        }
    }
}
