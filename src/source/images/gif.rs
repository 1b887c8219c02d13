//! A GIF copied block by block without its comments and application data
//! (where XMP hides), keeping every frame and the looping block, so an
//! animation still plays.
//!
//! Entry point: [`clean`], which also reads the size from the header.

/// The cleaned file and its width and height, or why it cannot be read.
pub(crate) fn clean(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), String> {
    let cut = || "the GIF image is damaged or cut short".to_string();
    if bytes.len() < 13 || !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err("the file is not a GIF image, though its name ends in .gif".into());
    }
    let width = u32::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let height = u32::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let mut at = 13 + colour_table(bytes[10]);
    let mut out = bytes.get(..at).ok_or_else(cut)?.to_vec();
    loop {
        match bytes.get(at).ok_or_else(cut)? {
            0x3B => {
                out.push(0x3B);
                return Ok((out, width, height));
            }
            0x2C => {
                let flags = *bytes.get(at + 9).ok_or_else(cut)?;
                // Descriptor, local colour table, LZW code size, then data.
                let data = at + 10 + colour_table(flags) + 1;
                let end = sub_blocks(bytes, data).ok_or_else(cut)?;
                out.extend_from_slice(&bytes[at..end]);
                at = end;
            }
            0x21 => {
                let label = *bytes.get(at + 1).ok_or_else(cut)?;
                let end = sub_blocks(bytes, at + 2).ok_or_else(cut)?;
                if keep(label, &bytes[at + 2..end]) {
                    out.extend_from_slice(&bytes[at..end]);
                }
                at = end;
            }
            _ => return Err(cut()),
        }
    }
}

/// The length of the colour table a flags byte announces.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 7) + 1)
    }
}

/// Where the sub-blocks starting at `at` end (past their 0 terminator).
fn sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = usize::from(*bytes.get(at)?);
        at += 1 + len;
        if len == 0 {
            return (at <= bytes.len()).then_some(at);
        }
    }
}

/// Frames' timing and the looping block are kept; comments (0xFE) and
/// other application data (XMP, editors' own) are dropped.
fn keep(label: u8, blocks: &[u8]) -> bool {
    let application = blocks.get(1..12);
    match label {
        0xF9 | 0x01 => true,
        0xFF => application == Some(b"NETSCAPE2.0") || application == Some(b"ANIMEXTS1.0"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn comments_and_xmp_are_dropped_and_frames_kept() {
        let mut gif = b"GIF89a\x02\x00\x01\x00\x80\x00\x00".to_vec();
        gif.extend([0, 0, 0, 255, 255, 255]); // global colour table
        gif.extend(b"\x21\xFE\x05hello\x00"); // comment
        gif.extend(b"\x21\xFF\x0BXMP DataXMP\x04GPS!\x00"); // XMP
        gif.extend(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00"); // loop
        let frame = b"\x2C\x00\x00\x00\x00\x02\x00\x01\x00\x00\x02\x02\x44\x01\x00";
        gif.extend(frame);
        gif.push(0x3B);
        let (out, w, h) = clean(&gif).expect("a valid GIF");
        assert_eq!((w, h), (2, 1));
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("hello") && !text.contains("GPS!"), "{text}");
        assert!(text.contains("NETSCAPE2.0"));
        assert!(out.windows(frame.len()).any(|w| w == frame));
        assert!(clean(&gif[..gif.len() - 4]).is_err());
    }
}
