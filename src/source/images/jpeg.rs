//! A JPEG's metadata removed without decoding it: the full-size copy of an
//! upright photo keeps every pixel as the camera stored it (re-encoding
//! would lose quality and, without chroma subsampling, grow the file).
//!
//! Entry point: [`strip`]. Kept: the frame, tables, scans and an ICC colour
//! profile. Dropped: EXIF, XMP, IPTC and every other APPn segment, comments,
//! and anything after the end of the image (a phone's "motion photo" video
//! or a second, preview image, each with metadata of its own).

/// The file without metadata; None if its structure is not one this
/// reads (the image is then re-encoded from its pixels instead).
pub(crate) fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            0xD0..=0xD7 | 0x01 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([
                    *bytes.get(at + 2)?,
                    *bytes.get(at + 3)?,
                ]));
                let end = at + 2 + len;
                let segment = bytes.get(at..end)?;
                if keep(marker, segment.get(4..)?) {
                    out.extend_from_slice(segment);
                }
                at = if marker == 0xDA {
                    let scan_end = scan(bytes, end)?;
                    out.extend_from_slice(&bytes[end..scan_end]);
                    scan_end
                } else {
                    end
                };
            }
        }
    }
}

/// APP0 (JFIF) and an ICC profile in APP2 are kept; the other APPn (EXIF,
/// XMP, IPTC, makers' own) and comments are dropped.
fn keep(marker: u8, data: &[u8]) -> bool {
    match marker {
        0xE0 => data.starts_with(b"JFIF\0"),
        0xE2 => data.starts_with(b"ICC_PROFILE\0"),
        0xE1 | 0xE3..=0xEF | 0xFE => false,
        _ => true,
    }
}

/// Where the entropy-coded data starting at `at` ends: at the next marker
/// that is neither a stuffed 0xFF00 nor a restart marker.
fn scan(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        at += memchr::memchr(0xFF, bytes.get(at..)?)?;
        match *bytes.get(at + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => at += 1,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn exif_comments_and_trailing_data_are_dropped() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend([0xFF, 0xE0, 0, 7, b'J', b'F', b'I', b'F', 0]);
        jpeg.extend([0xFF, 0xE1, 0, 9, b'E', b'x', b'i', b'f', 0, 0, b'G']);
        jpeg.extend([0xFF, 0xFE, 0, 5, b'h', b'i', b'!']);
        jpeg.extend([0xFF, 0xDB, 0, 3, 7]);
        jpeg.extend([
            0xFF, 0xDA, 0, 3, 1, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        jpeg.extend([0xFF, 0xD9, b'M', b'P', b'4']);
        let out = strip(&jpeg).expect("a JPEG it reads");
        let mut expected = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 7, b'J', b'F', b'I', b'F', 0];
        expected.extend([0xFF, 0xDB, 0, 3, 7]);
        expected.extend([
            0xFF, 0xDA, 0, 3, 1, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        expected.extend([0xFF, 0xD9]);
        assert_eq!(out, expected);
        assert_eq!(strip(&jpeg[..20]), None);
    }
}
