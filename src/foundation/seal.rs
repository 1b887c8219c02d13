//! Sealing passcode-protected material: the keys of a passcode group, and
//! AES-256-GCM encryption of a page's body and of files in chunks, in the
//! form `themes/default/static/passcode.js` opens with WebCrypto.
//!
//! Entry points: [`salt`] and [`stretch`] (PBKDF2, the slow part, once per
//! passcode), [`GroupKey::new`] from the stretched passcodes, then
//! [`GroupKey::seal`] for one message and [`GroupKey::seal_file`] for a file.
//! Nothing here is random: every key and nonce is derived (README,
//! "Passcode-protected material", says how and why that is safe), so two
//! builds with the same inputs and passcodes are byte-identical.

use std::io::{self, Read, Write};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// PBKDF2-HMAC-SHA256 rounds per passcode (OWASP's figure for 2023 on).
pub(crate) const ITERATIONS: u32 = 600_000;
/// Plaintext bytes per chunk of a sealed file: the browser holds one chunk's
/// ciphertext at a time, however large the file.
pub(crate) const CHUNK: usize = 1 << 20;
/// Bytes of a nonce (GCM's tag adds 16 to each ciphertext).
pub(crate) const NONCE: usize = 12;

const CONTENT_INFO: &[u8] = b"bounce content key v1";
const NONCE_INFO: &[u8] = b"bounce nonce key v1";
const WRAPPING_INFO: &[u8] = b"bounce wrapping key v1";
/// The associated data of a wrapped content key.
pub(crate) const WRAPPED_AAD: &str = "bounce wrapped key v1";

/// A passcode stretched by PBKDF2 with its group's salt: the secret both
/// the content key and the passcode's wrapping key come from.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stretched([u8; 32]);

/// The PBKDF2 salt of a group: unique to the site (its base URL) and group.
pub(crate) fn salt(base_url: &str, group: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in ["bounce passcode salt v1", base_url, group] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().into()
}

/// PBKDF2-HMAC-SHA256 of one passcode, [`ITERATIONS`] rounds.
pub(crate) fn stretch(passcode: &str, salt: &[u8; 32]) -> Stretched {
    let mut out = [0; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passcode.as_bytes(), salt, ITERATIONS, &mut out);
    Stretched(out)
}

/// The content key wrapped for one passcode.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Wrapped {
    pub(crate) nonce: [u8; NONCE],
    pub(crate) ciphertext: Vec<u8>,
}

/// One message sealed: its nonce and ciphertext (with the tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sealed {
    pub(crate) nonce: [u8; NONCE],
    pub(crate) ciphertext: Vec<u8>,
}

/// The keys of one passcode group.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct GroupKey {
    /// The AES key of everything the group protects; readers get it by
    /// unwrapping one of `wrapped` with their passcode.
    content: [u8; 32],
    /// The HMAC key nonces are derived with; never leaves the build.
    nonces: [u8; 32],
    /// One per distinct passcode, ordered by ciphertext, so that their order
    /// says nothing about which passcode is which.
    pub(crate) wrapped: Vec<Wrapped>,
}

// Keys are never printed, not even in a debugging message.
impl std::fmt::Debug for GroupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupKey { .. }")
    }
}

impl GroupKey {
    /// The group's keys from its stretched passcodes (at least one). The
    /// content key is HKDF of all of them: withdrawing a passcode changes it,
    /// so a copy of the old key opens nothing built afterwards.
    pub(crate) fn new(salt: &[u8; 32], stretched: &[Stretched]) -> GroupKey {
        let mut sorted: Vec<&Stretched> = stretched.iter().collect();
        sorted.sort();
        sorted.dedup();
        let ikm: Vec<u8> = sorted.iter().flat_map(|s| s.0).collect();
        let content = hkdf(salt, &ikm, CONTENT_INFO);
        let nonces = hkdf(salt, &ikm, NONCE_INFO);
        let mut wrapped: Vec<Wrapped> = sorted.iter().map(|s| wrap(salt, s, &content)).collect();
        wrapped.sort();
        GroupKey {
            content,
            nonces,
            wrapped,
        }
    }

    /// Seals one message; `label` (public, e.g. the page's URL) is its
    /// associated data and part of its nonce's derivation.
    pub(crate) fn seal(&self, label: &str, plaintext: &[u8]) -> Sealed {
        let nonce = derive_nonce(&self.nonces, label.as_bytes(), plaintext);
        let cipher = Aes256Gcm::new(&self.content.into());
        let payload = Payload {
            msg: plaintext,
            aad: label.as_bytes(),
        };
        // AES-GCM fails only for messages of more than 64 GB.
        let ciphertext = cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("a chunk is far below AES-GCM's limit");
        Sealed { nonce, ciphertext }
    }

    /// Seals a file of `len` bytes from `reader` into `writer`, chunk by
    /// chunk: each chunk is its nonce then its ciphertext, sealed with the
    /// label [`chunk_label`] (so chunks cannot be reordered, dropped or
    /// moved to another file).
    pub(crate) fn seal_file(
        &self,
        label: &str,
        len: u64,
        reader: &mut impl Read,
        writer: &mut impl Write,
    ) -> io::Result<()> {
        let count = chunk_count(len);
        let mut buffer = vec![0; CHUNK];
        for index in 0..count {
            let size =
                usize::try_from(len - index * CHUNK as u64).map_or(CHUNK, |left| left.min(CHUNK));
            reader.read_exact(&mut buffer[..size])?;
            let sealed = self.seal(&chunk_label(label, index, count), &buffer[..size]);
            writer.write_all(&sealed.nonce)?;
            writer.write_all(&sealed.ciphertext)?;
        }
        if reader.read(&mut [0])? != 0 {
            return Err(io::Error::other("the file grew while it was being sealed"));
        }
        Ok(())
    }
}

/// How many chunks a file of `len` bytes is sealed in (an empty file: one).
pub(crate) fn chunk_count(len: u64) -> u64 {
    len.div_ceil(CHUNK as u64).max(1)
}

/// The associated data of chunk `index` of `count` of the file `label`.
pub(crate) fn chunk_label(label: &str, index: u64, count: u64) -> String {
    format!("{label}\n{index}/{count}")
}

fn hkdf(salt: &[u8; 32], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, &mut out)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    out
}

/// The content key wrapped with one passcode's wrapping key.
fn wrap(salt: &[u8; 32], stretched: &Stretched, content: &[u8; 32]) -> Wrapped {
    let key = hkdf(salt, &stretched.0, WRAPPING_INFO);
    let nonce = derive_nonce(&key, WRAPPED_AAD.as_bytes(), content);
    let payload = Payload {
        msg: content,
        aad: WRAPPED_AAD.as_bytes(),
    };
    let ciphertext = Aes256Gcm::new(&key.into())
        .encrypt(Nonce::from_slice(&nonce), payload)
        .expect("a key is far below AES-GCM's limit");
    Wrapped { nonce, ciphertext }
}

/// HMAC-SHA256 of the label and the plaintext, cut to a nonce: a key and
/// nonce pair repeats only for the same label and plaintext (SIV-style).
fn derive_nonce(key: &[u8; 32], label: &[u8], plaintext: &[u8]) -> [u8; NONCE] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&(label.len() as u64).to_be_bytes());
    mac.update(label);
    mac.update(plaintext);
    let mut nonce = [0; NONCE];
    nonce.copy_from_slice(&mac.finalize().into_bytes()[..NONCE]);
    nonce
}

/// Opening sealed material as a reader's browser does, for the tests.
#[cfg(test)]
pub(crate) mod open {
    use super::*;

    /// Unwraps the content key with a passcode, or None if it opens none.
    pub(crate) fn unwrap(passcode: &str, salt: &[u8; 32], wrapped: &[Wrapped]) -> Option<[u8; 32]> {
        let stretched = stretch(passcode, salt);
        let key = hkdf(salt, &stretched.0, WRAPPING_INFO);
        wrapped.iter().find_map(|w| {
            let payload = Payload {
                msg: &w.ciphertext,
                aad: WRAPPED_AAD.as_bytes(),
            };
            let plain = Aes256Gcm::new(&key.into())
                .decrypt(Nonce::from_slice(&w.nonce), payload)
                .ok()?;
            plain.try_into().ok()
        })
    }

    pub(crate) fn open(
        content: &[u8; 32],
        label: &str,
        nonce: &[u8],
        data: &[u8],
    ) -> Option<Vec<u8>> {
        let payload = Payload {
            msg: data,
            aad: label.as_bytes(),
        };
        Aes256Gcm::new(&(*content).into())
            .decrypt(Nonce::from_slice(nonce), payload)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::open::{open, unwrap};
    use super::*;

    /// Bytes of GCM's tag after each ciphertext.
    const TAG: usize = 16;

    /// A stretched passcode without PBKDF2's cost, for the tests that are
    /// not about PBKDF2.
    fn quick(passcode: &str) -> Stretched {
        Stretched(Sha256::digest(passcode.as_bytes()).into())
    }

    #[test]
    fn salts_differ_by_site_and_group() {
        let a = salt("https://a.example/", "schools");
        assert_ne!(a, salt("https://b.example/", "schools"));
        assert_ne!(a, salt("https://a.example/", "staff"));
        assert_eq!(a, salt("https://a.example/", "schools"));
    }

    #[test]
    fn keys_and_seals_are_deterministic_and_wrapped_in_no_telling_order() {
        let s = salt("https://a.example/", "schools");
        let one = GroupKey::new(&s, &[quick("first"), quick("second")]);
        let two = GroupKey::new(&s, &[quick("second"), quick("first")]);
        assert_eq!(one, two);
        assert_eq!(one.seal("x", b"text"), two.seal("x", b"text"));
        assert_ne!(one.seal("x", b"text").nonce, one.seal("x", b"texT").nonce);
        assert_ne!(one.seal("x", b"text").nonce, one.seal("y", b"text").nonce);
    }

    #[test]
    fn each_passcode_opens_what_is_sealed_and_a_withdrawn_one_does_not() {
        let s = salt("https://a.example/", "schools");
        let stretched = [
            stretch("first passcode", &s),
            stretch("second passcode", &s),
        ];
        let key = GroupKey::new(&s, &stretched);
        let sealed = key.seal("/page/", b"the lesson");
        for passcode in ["first passcode", "second passcode"] {
            let content = unwrap(passcode, &s, &key.wrapped).expect("the passcode opens");
            let text = open(&content, "/page/", &sealed.nonce, &sealed.ciphertext);
            assert_eq!(text.as_deref(), Some(&b"the lesson"[..]));
            assert!(open(&content, "/other/", &sealed.nonce, &sealed.ciphertext).is_none());
        }
        assert!(unwrap("wrong passcode", &s, &key.wrapped).is_none());
        let withdrawn = GroupKey::new(&s, &stretched[1..]);
        assert!(unwrap("first passcode", &s, &withdrawn.wrapped).is_none());
        let old = unwrap("first passcode", &s, &key.wrapped).expect("opened before");
        let resealed = withdrawn.seal("/page/", b"the lesson");
        assert!(open(&old, "/page/", &resealed.nonce, &resealed.ciphertext).is_none());
    }

    #[test]
    fn files_are_sealed_in_chunks_that_open_in_order() {
        let s = salt("https://a.example/", "g");
        let key = GroupKey::new(&s, &[quick("p")]);
        let bytes: Vec<u8> = (0..CHUNK * 2 + 5).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        key.seal_file("/f.pdf", bytes.len() as u64, &mut &bytes[..], &mut out)
            .expect("sealed");
        assert_eq!(out.len(), bytes.len() + 3 * (NONCE + TAG));
        let content = key.content;
        let mut opened = Vec::new();
        for (index, chunk) in out.chunks(NONCE + CHUNK + TAG).enumerate() {
            let label = chunk_label("/f.pdf", index as u64, 3);
            let plain = open(&content, &label, &chunk[..NONCE], &chunk[NONCE..]);
            opened.extend(plain.expect("each chunk opens with its own label"));
        }
        assert_eq!(opened, bytes);
        let mut short = Vec::new();
        let err = key.seal_file("/f.pdf", 10, &mut &bytes[..5], &mut short);
        assert!(err.is_err());
    }
}
