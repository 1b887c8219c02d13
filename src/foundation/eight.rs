//! Eight bytes at a time: the bytes of a `u64` (the first byte lowest, as
//! `u64::from_le_bytes` reads them) compared all at once, with the answer for
//! each byte in its top bit. Words are counted (markdown) this way, as it
//! runs over every character of every body; search, which runs over them
//! again, reads sixteen at a time ([`sixteen`], for `wide`'s SIMD types).

/// One bit at the bottom of each byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The top bit of each byte.
pub(crate) const HIGH: u64 = ONES * 0x80;

/// The eight bytes of `bytes` from `at`, with zeros for those past its end.
pub(crate) fn read(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(padded(bytes, at))
}

/// The sixteen bytes of `bytes` from `at`, with zeros for those past its end.
pub(crate) fn sixteen(bytes: &[u8], at: usize) -> wide::u8x16 {
    wide::u8x16::new(padded(bytes, at))
}

/// The `N` bytes of `bytes` from `at`, with zeros for those past its end.
fn padded<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut out = [0; N];
    match bytes.get(at..at + N) {
        Some(all) => out.copy_from_slice(all),
        None => {
            let rest = bytes.get(at..).unwrap_or_default();
            out[..rest.len()].copy_from_slice(rest);
        }
    }
    out
}

/// The top bit of each byte of `eight` (every byte below 0x80) set where the
/// byte is from `lo` to `hi` (below 0x7F). Adding `0x80 - n` to a byte below
/// 0x80 carries into its top bit when the byte is at least `n`, and never
/// past it.
pub(crate) fn within(eight: u64, lo: u8, hi: u8) -> u64 {
    let at_least = |n: u8| (eight + ONES * u64::from(0x80 - n)) & HIGH;
    at_least(lo) & !at_least(hi + 1)
}

/// The number of bytes before the first whose top bit `marks` has set: 8 if
/// none.
pub(crate) fn first_marked(marks: u64) -> usize {
    marks.trailing_zeros() as usize / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_byte_is_within_a_range_as_a_comparison_says() {
        for (lo, hi) in [
            (b'\t', b'\r'),
            (b' ', b' '),
            (b'0', b'9'),
            (b'a', b'z'),
            (0, 0x7e),
        ] {
            for b in 0..0x80u8 {
                for place in 0..8 {
                    let eight = (u64::from(b) << (8 * place))
                        | (0x4141_4141_4141_4141 & !(0xff << (8 * place)));
                    let marked = within(eight, lo, hi) >> (8 * place) & 0x80 != 0;
                    assert_eq!(
                        marked,
                        (lo..=hi).contains(&b),
                        "{b:#x} in {lo:#x}..={hi:#x} at {place}"
                    );
                }
            }
        }
    }

    #[test]
    fn reading_past_the_end_gives_zeros() {
        assert_eq!(read(b"abcdefghij", 0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(
            read(b"abcdefghij", 7),
            u64::from_le_bytes(*b"hij\0\0\0\0\0")
        );
        assert_eq!(read(b"abc", 3), 0);
        assert_eq!(first_marked(0), 8);
        assert_eq!(first_marked(0x80 << 16), 2);
    }
}
