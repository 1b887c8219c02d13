//! From a request target to a file inside the output folder, and never outside.
//!
//! Two fences. [`decode`] turns the target into plain names, one per segment,
//! refusing `..`, `.`, separators smuggled in by percent-encoding (`%2f`, `%5c`),
//! backslashes, NUL, invalid UTF-8 and anything the platform would read as a
//! drive or root. [`find`] then joins the names under the canonical root and
//! canonicalizes the result, so a symlink inside the site that points out of it
//! is refused too.

use std::fmt::Write;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A request path, decoded: every segment is a plain file or folder name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlPath {
    pub(crate) segments: Vec<String>,
    /// `/a/` rather than `/a`: asks for a folder.
    pub(crate) trailing_slash: bool,
}

/// Why a target was not decoded.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refused {
    /// 400: bad percent-encoding, invalid UTF-8, NUL, not starting with `/`.
    Malformed,
    /// 403: an attempt to leave the folder (`..`, encoded separators, drives).
    Forbidden,
}

/// Decodes the path of `target` (query and fragment dropped). Empty segments
/// (`//`) are skipped, so they can never make an absolute path.
pub(super) fn decode(target: &str) -> Result<UrlPath, Refused> {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    let path = &target[..end];
    if !path.starts_with('/') {
        return Err(Refused::Malformed);
    }
    let segments = path
        .split('/')
        .filter(|raw| !raw.is_empty())
        .map(decode_segment)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(UrlPath {
        trailing_slash: path.ends_with('/'),
        segments,
    })
}

fn decode_segment(raw: &str) -> Result<String, Refused> {
    // The decoder keeps a `%` without two hex digits after it as it is; here
    // it is refused, so that a target cannot be read two ways.
    let well_formed = raw.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return Err(Refused::Malformed);
    }
    let name = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refused::Malformed)?
        .into_owned();
    if name.contains('\0') {
        return Err(Refused::Malformed);
    }
    if is_plain_name(&name) {
        Ok(name)
    } else {
        Err(Refused::Forbidden)
    }
}

/// True when `name` is one ordinary path component on this platform: not `.`
/// or `..`, no separator of any platform, no drive or root prefix, and on
/// Windows no `:` (drives, alternate data streams).
fn is_plain_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    let one_normal = matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(only)), None) if only == name
    );
    one_normal && !name.contains(['/', '\\']) && !(cfg!(windows) && name.contains(':'))
}

impl UrlPath {
    /// The rest of the path when it starts with the segments `prefix`.
    pub(crate) fn strip_prefix(&self, prefix: &[String]) -> Option<UrlPath> {
        let rest = self.segments.strip_prefix(prefix)?;
        Some(UrlPath {
            segments: rest.to_vec(),
            trailing_slash: self.trailing_slash,
        })
    }

    /// The path as a URL for a `Location` header, percent-encoded again and
    /// always ending in `/`: built from the decoded names, never from the
    /// client's text, so it cannot point at another host (`//evil.example`).
    pub(crate) fn folder_href(&self) -> String {
        let mut href = String::from("/");
        for segment in &self.segments {
            for byte in segment.bytes() {
                if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                    href.push(char::from(byte));
                } else {
                    // Writing to a String cannot fail.
                    let _ = write!(href, "%{byte:02X}");
                }
            }
            href.push('/');
        }
        href
    }
}

/// What [`find`] found for a path under the root.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A file inside the root (its canonical path).
    File(PathBuf),
    /// A folder with an `index.html`, asked for without the trailing slash.
    AddSlash,
    Missing,
    /// The path leads out of the root (through a symlink).
    Outside,
}

/// Finds `path` under `root`: a file, or a folder's `index.html`.
pub(super) fn find(root: &Path, path: &UrlPath) -> Found {
    // Canonicalized per request: the output folder is replaced by each build.
    let Ok(root) = root.canonicalize() else {
        return Found::Missing;
    };
    let joined: PathBuf = path.segments.iter().fold(root.clone(), |p, s| p.join(s));
    let target = match inside(&root, &joined) {
        Ok(target) => target,
        Err(found) => return found,
    };
    if target.is_dir() {
        let index = match inside(&root, &target.join("index.html")) {
            Ok(index) if index.is_file() => index,
            Ok(_) => return Found::Missing,
            Err(found) => return found,
        };
        if path.trailing_slash {
            Found::File(index)
        } else {
            Found::AddSlash
        }
    } else if target.is_file() && !path.trailing_slash {
        Found::File(target)
    } else {
        Found::Missing
    }
}

/// The canonical form of `path` when it exists and lies inside `root`.
fn inside(root: &Path, path: &Path) -> Result<PathBuf, Found> {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(root) => Ok(real),
        Ok(_) => Err(Found::Outside),
        Err(_) => Err(Found::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(target: &str) -> Vec<String> {
        decode(target).expect("decodes").segments
    }

    #[test]
    fn query_and_fragment_are_dropped() {
        assert_eq!(segments("/a/b.html?x=../..#..").as_slice(), ["a", "b.html"]);
    }

    #[test]
    fn percent_encoding_is_decoded_per_segment() {
        assert_eq!(segments("/caf%C3%A9/a%20b").as_slice(), ["café", "a b"]);
        assert_eq!(segments("/a+b").as_slice(), ["a+b"]);
    }

    #[test]
    fn empty_segments_are_skipped_and_slash_kept() {
        let path = decode("//a//b/").expect("decodes");
        assert_eq!(path.segments.as_slice(), ["a", "b"]);
        assert!(path.trailing_slash);
        assert!(!decode("/a").expect("decodes").trailing_slash);
        assert!(decode("/").expect("decodes").trailing_slash);
    }

    #[test]
    fn traversal_is_forbidden() {
        for target in [
            "/../x",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/./x",
            "/..%2f..%2fetc/passwd",
            "/a%2fb",
            "/a%5cb",
            "/..\\x",
            "/a\\b",
        ] {
            assert_eq!(decode(target), Err(Refused::Forbidden), "{target}");
        }
    }

    #[test]
    fn bad_encoding_and_nul_are_malformed() {
        for target in [
            "/%zz",
            "/%+f",
            "/a%2",
            "/%",
            "/%c0%ae%c0%ae/x",
            "/%ff",
            "/a%00b",
            "x/y",
            "",
        ] {
            assert_eq!(decode(target), Err(Refused::Malformed), "{target}");
        }
    }

    #[test]
    fn folder_href_is_encoded_from_names() {
        let path = decode("//evil.example/caf%C3%A9/a%20b").expect("decodes");
        assert_eq!(path.folder_href(), "/evil.example/caf%C3%A9/a%20b/");
        assert_eq!(decode("/").expect("decodes").folder_href(), "/");
    }

    #[test]
    fn strip_prefix_keeps_the_rest() {
        let path = decode("/base/x/").expect("decodes");
        let rest = path.strip_prefix(&["base".to_string()]).expect("prefix");
        assert_eq!(rest.segments.as_slice(), ["x"]);
        assert!(rest.trailing_slash);
        assert_eq!(path.strip_prefix(&["other".to_string()]), None);
    }

    #[test]
    fn find_serves_files_and_folder_indexes() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("a")).expect("mkdir");
        fs::write(dir.path().join("a/index.html"), "a").expect("write");
        fs::write(dir.path().join("x.css"), "x").expect("write");
        fs::create_dir(dir.path().join("empty")).expect("mkdir");
        let root = dir.path().canonicalize().expect("canonical");
        let find = |target: &str| find(dir.path(), &decode(target).expect("decodes"));
        assert_eq!(find("/a/"), Found::File(root.join("a/index.html")));
        assert_eq!(find("/a"), Found::AddSlash);
        assert_eq!(find("/x.css"), Found::File(root.join("x.css")));
        assert_eq!(find("/x.css/"), Found::Missing);
        assert_eq!(find("/empty/"), Found::Missing);
        assert_eq!(find("/empty"), Found::Missing);
        assert_eq!(find("/nothing"), Found::Missing);
    }

    #[cfg(unix)]
    #[test]
    fn find_refuses_symlinks_out_of_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        fs::create_dir(&root).expect("mkdir");
        fs::write(dir.path().join("secret.txt"), "secret").expect("write");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path(), root.join("up")).expect("symlink");
        let find = |target: &str| find(&root, &decode(target).expect("decodes"));
        assert_eq!(find("/leak.txt"), Found::Outside);
        assert_eq!(find("/up/secret.txt"), Found::Outside);
        assert_eq!(find("/up"), Found::Outside);
    }
}
