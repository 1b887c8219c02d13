//! The seal step: passcode-protected documents and the files they offer,
//! encrypted for readers who have a passcode (the crypto is
//! `foundation::seal`; the browser's side `themes/default/static/passcode.js`).
//!
//! Entry points: [`read_passcodes`] reads each group's variable (the only
//! I/O, through the function the options give); [`derive`] stretches the
//! passcodes, on all cores (the slow part: `watch` keeps the result);
//! [`missing`] reports protected documents whose passcodes are not set;
//! [`seal`] replaces each protected document's rendered body with its
//! sealed form, and [`sealed_files`] says which copied files are sealed.
//! `bounce serve` runs none of it: it shows protected pages unlocked.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rayon::prelude::*;

use crate::foundation::attachment;
use crate::foundation::diagnostic::Diagnostic;
use crate::foundation::seal::{self, GroupKey};
use crate::markdown::{Rendered, SealedBody};
use crate::render::file::SealedFile;
use crate::site::Site;
use crate::source::config::Config;
use crate::source::discover::Asset;
use crate::source::document::{Fields, ResourceLink};

/// Each group's passcodes, as its variable holds them (one per line).
pub(crate) type Passcodes = BTreeMap<String, Vec<String>>;

/// The keys of each group whose passcodes are set, by group name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys {
    groups: BTreeMap<String, Arc<Group>>,
}

impl Keys {
    pub(crate) fn has(&self, group: &str) -> bool {
        self.groups.contains_key(group)
    }
}

#[derive(Debug)]
struct Group {
    salt: [u8; 32],
    key: GroupKey,
    /// A hash of the salt and the passcodes, to tell when the keys made
    /// from them can be used again (`watch` reloading site.yaml).
    print: [u8; 32],
}

/// Reads the passcodes of every group whose variable is set and not blank.
pub(crate) fn read_passcodes(config: &Config, variable: fn(&str) -> Option<String>) -> Passcodes {
    config
        .passcodes
        .iter()
        .filter_map(|group| {
            let value = variable(&group.env)?;
            let passcodes: Vec<String> = value
                .lines()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                // As the browser normalises what a reader types.
                .map(|p| crate::foundation::slug::nfc(p).into_owned())
                .collect();
            (!passcodes.is_empty()).then(|| (group.name.clone(), passcodes))
        })
        .collect()
}

/// Stretches every passcode of every group at once, one per core; a group
/// whose salt and passcodes are those of a group in `kept` keeps its keys.
pub(crate) fn derive(base_url: &str, passcodes: &Passcodes, kept: &Keys) -> Keys {
    let mut keys = Keys::default();
    let mut salts: BTreeMap<&str, [u8; 32]> = BTreeMap::new();
    for (group, list) in passcodes {
        let salt = seal::salt(base_url, group);
        match kept
            .groups
            .get(group)
            .filter(|k| k.print == print(&salt, list))
        {
            Some(same) => {
                keys.groups.insert(group.clone(), same.clone());
            }
            None => {
                salts.insert(group, salt);
            }
        }
    }
    let all: Vec<(&str, &str)> = passcodes
        .iter()
        .filter(|(g, _)| salts.contains_key(g.as_str()))
        .flat_map(|(g, list)| list.iter().map(move |p| (g.as_str(), p.as_str())))
        .collect();
    let stretched: Vec<(&str, seal::Stretched)> = all
        .par_iter()
        .map(|&(g, p)| (g, seal::stretch(p, &salts[g])))
        .collect();
    for (&name, salt) in &salts {
        let own: Vec<seal::Stretched> = stretched
            .iter()
            .filter(|(g, _)| *g == name)
            .map(|(_, s)| s.clone())
            .collect();
        let group = Group {
            salt: *salt,
            key: GroupKey::new(salt, &own),
            print: print(salt, &passcodes[name]),
        };
        keys.groups.insert(name.to_string(), Arc::new(group));
    }
    keys
}

/// See [`Group::print`].
fn print(salt: &[u8; 32], passcodes: &[String]) -> [u8; 32] {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(salt);
    for p in passcodes {
        hash.update((p.len() as u64).to_be_bytes());
        hash.update(p.as_bytes());
    }
    hash.finalize().into()
}

/// One error per group that protects a document but has no passcode set
/// (`has` says which have): the build must not publish the document.
pub(crate) fn missing(site: &Site, has: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..site.documents.len() {
        if let Some(group) = site.passcode_group(i) {
            first.entry(group).or_insert(i);
        }
    }
    first
        .into_iter()
        .filter(|(group, _)| !has(group))
        .filter_map(|(group, i)| {
            let env = &site.config.passcode_group(group)?.env;
            let d = &site.documents[i];
            Some(
                Diagnostic::error(format!(
                    "`{env}` is not set, so the passcode group `{group}` has no passcode and its documents cannot be protected"
                ))
                .in_file(&d.file)
                .with_hint(format!(
                    "give the build the passcode (one per line for several): export {env}='...'"
                )),
            )
        })
        .collect()
}

/// Seals the body of every protected document whose group has keys and
/// that is not sealed yet: its HTML moves into `sealed`, encrypted, with
/// what the browser needs to open it and the files it offers.
pub(crate) fn seal(site: &Site, markdown: &mut [Rendered], keys: &Keys) {
    markdown
        .par_iter_mut()
        .enumerate()
        .for_each(|(i, rendered)| seal_document(site, i, rendered, keys));
}

/// [`seal`] for document `i`.
pub(crate) fn seal_document(site: &Site, i: usize, rendered: &mut Rendered, keys: &Keys) {
    let name = site.passcode_group(i);
    let group = name.and_then(|g| keys.groups.get(g));
    let Some(group) = group.filter(|_| rendered.sealed.is_none()) else {
        return;
    };
    let page = format!("{}{}", site.config.base_path, site.documents[i].url);
    let offered = offered(site, i, rendered);
    // The files go inside the sealed body: their names and addresses are
    // the document's too.
    let opened = serde_json::json!({
        "html": rendered.html,
        "files": offered.iter().map(|a| file_json(site, &site.documents[i], a)).collect::<Vec<_>>(),
    });
    let body = group.key.seal(&page, opened.to_string().as_bytes());
    let wrapped: Vec<_> = group
        .key
        .wrapped
        .iter()
        .map(|w| sealed_json(&w.nonce, &w.ciphertext))
        .collect();
    let envelope = serde_json::json!({
        "group": name,
        "iterations": seal::ITERATIONS,
        "salt": BASE64.encode(group.salt),
        "keys": wrapped,
        "page": page,
        "body": sealed_json(&body.nonce, &body.ciphertext),
        "chunk": seal::CHUNK,
    });
    rendered.sealed = Some(SealedBody {
        // `<` escaped, so that nothing can end the script element holding it.
        envelope: envelope.to_string().replace('<', "\\u003c"),
        files: offered.iter().map(|a| a.key.clone()).collect(),
    });
    rendered.html = String::new();
    rendered.word_count = 0;
}

/// What the browser needs to open and save one offered file; `own` for the
/// resource's `file`, which the page offers as a download button.
fn file_json(
    site: &Site,
    d: &crate::source::document::Document,
    asset: &Asset,
) -> serde_json::Value {
    let name = asset.key.rsplit('/').next().unwrap_or(&asset.key);
    let own = crate::site::resource_file(site, d).is_some_and(|f| f.key == asset.key);
    serde_json::json!({
        "url": asset_url(site, asset),
        "name": name,
        "type": attachment::file_type(name),
        "size": attachment::file_size(asset.size),
        "bytes": asset.size,
        "own": own,
    })
}

fn sealed_json(nonce: &[u8], ciphertext: &[u8]) -> serde_json::Value {
    serde_json::json!({ "nonce": BASE64.encode(nonce), "data": BASE64.encode(ciphertext) })
}

fn asset_url(site: &Site, asset: &Asset) -> String {
    format!("{}{}", site.config.base_path, asset.key)
}

/// The files a protected document offers: its `file`, and the files beside
/// it that its body links or shows, A–Z.
fn offered<'s>(site: &'s Site, i: usize, rendered: &Rendered) -> Vec<&'s Asset> {
    let d = &site.documents[i];
    let own = crate::site::resource_file(site, d);
    let linked = linked_assets(site, &rendered.html)
        .filter(|asset| crate::source::document::folder_of(&asset.key) == d.folder());
    let mut files: Vec<&Asset> = own.into_iter().chain(linked).collect();
    files.sort_by(|a, b| a.key.cmp(&b.key));
    files.dedup_by(|a, b| a.key == b.key);
    files
}

/// The files of the site that rendered HTML links or shows.
fn linked_assets<'s>(site: &'s Site, html: &str) -> impl Iterator<Item = &'s Asset> {
    attribute_values(html).filter_map(|value| {
        let value = value.replace("&amp;", "&");
        let path = value.strip_prefix(&site.config.base_path)?;
        site.asset(path.split(['?', '#']).next().unwrap_or(path))
    })
}

/// Public documents that offer or link a file a protected document offers:
/// that file is sealed, so their link would lead to ciphertext.
pub(crate) fn public_links(site: &Site, markdown: &[Rendered]) -> Vec<Diagnostic> {
    let mut protected: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, rendered) in markdown.iter().enumerate() {
        if site.passcode_group(i).is_none() {
            continue;
        }
        let keys: Vec<&str> = match &rendered.sealed {
            Some(sealed) => sealed.files.iter().map(String::as_str).collect(),
            None => offered(site, i, rendered)
                .iter()
                .map(|a| a.key.as_str())
                .collect(),
        };
        for key in keys {
            protected.entry(key).or_insert(i);
        }
    }
    let mut problems = Vec::new();
    for (i, rendered) in markdown.iter().enumerate() {
        if protected.is_empty() || site.passcode_group(i).is_some() {
            continue;
        }
        let d = &site.documents[i];
        let mut keys: Vec<&str> = crate::site::resource_file(site, d)
            .into_iter()
            .chain(linked_assets(site, &rendered.html))
            .map(|a| a.key.as_str())
            .filter(|key| protected.contains_key(key))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let owner = &site.documents[protected[key]];
            problems.push(
                Diagnostic::error(format!("this page links `{key}`, which the passcode-protected {} offers: readers of this page would get it sealed", owner.file.display()))
                    .in_file(&d.file)
                    .with_hint(format!("link to the protected page instead (`@/{}`), or give this page a copy of the file under another name", owner.key)),
            );
        }
    }
    problems
}

/// The values of the `href` and `src` attributes in rendered HTML (which
/// always quotes them with `"`).
fn attribute_values(html: &str) -> impl Iterator<Item = &str> {
    ["href=\"", "src=\""]
        .into_iter()
        .flat_map(move |attribute| {
            html.match_indices(attribute).filter_map(move |(at, _)| {
                let rest = &html[at + attribute.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
        })
}

/// The copied files to seal: those the sealed documents offer, by key, each
/// with its group's key.
pub(crate) fn sealed_files(
    site: &Site,
    markdown: &[Rendered],
    keys: &Keys,
) -> HashMap<String, SealedFile> {
    let mut files = HashMap::new();
    for (i, rendered) in markdown.iter().enumerate() {
        let group = site.passcode_group(i).and_then(|g| keys.groups.get(g));
        let (Some(group), Some(sealed)) = (group, &rendered.sealed) else {
            continue;
        };
        for asset in sealed.files.iter().filter_map(|key| site.asset(key)) {
            // An image is sealed as published: without its metadata.
            let cleaned = site.routes.images.outputs.get(&asset.key);
            let cleaned = cleaned.and_then(|o| o.first()).map(|(_, path)| path);
            let len = cleaned.and_then(|p| std::fs::metadata(p).ok());
            let file = SealedFile {
                source: cleaned.map_or_else(|| asset.path.clone(), Clone::clone),
                len: len.map_or(asset.size, |m| m.len()),
                label: asset_url(site, asset),
                key: Arc::new(group.key.clone()),
            };
            files.insert(asset.key.clone(), file);
        }
    }
    files
}

/// Common passwords, one a line: the 400 most common of the 30,000 that
/// zxcvbn 4.4.2 (MIT; npm package `zxcvbn`, `lib/frequency_lists.js`,
/// itself from Mark Burnett's and Xato's leaked-password corpora) lists,
/// and every one of 12 characters or more, less the vulgar ones.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");
/// Shorter passcodes are warned about.
pub(crate) const MIN_LENGTH: usize = 12;

/// Warnings for `check` and `build`: weak passcodes (never printed), and
/// protected resources whose `url` bounce cannot protect.
pub(crate) fn warnings(site: &Site, passcodes: &Passcodes) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (group, list) in passcodes {
        let env = site
            .config
            .passcode_group(group)
            .map_or("", |g| g.env.as_str());
        for (n, passcode) in list.iter().enumerate() {
            if let Some(why) = weakness(passcode) {
                warnings.push(
                    Diagnostic::warning(format!("passcode {} of `{env}` (group `{group}`) {why}", n + 1))
                        .in_file(crate::source::config::FILE_NAME)
                        .with_hint("the protection is only as strong as the passcode: use four or more unrelated words, e.g. `maple-river-lantern-nine`"),
                );
            }
        }
    }
    for (i, d) in site.documents.iter().enumerate() {
        let url = match &d.fields {
            Fields::Resource(r) => match &r.link {
                ResourceLink::Url(url) => url,
                ResourceLink::File(_) => continue,
            },
            _ => continue,
        };
        if site.passcode_group(i).is_some() {
            let mut w = d.yaml_source().error_at_key(format!("the resource is passcode-protected, but its `url` points to `{url}`: bounce cannot protect a file it does not publish"), "url")
                .with_hint("only the page's text is protected; put the file beside this document and name it with `file:`, or protect it where it is published");
            w.level = crate::foundation::diagnostic::Level::Warning;
            warnings.push(w);
        }
    }
    warnings
}

/// Why a passcode is weak, if it is.
fn weakness(passcode: &str) -> Option<&'static str> {
    if passcode.chars().count() < MIN_LENGTH {
        return Some("is shorter than 12 characters");
    }
    let lower = passcode.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .any(|common| common == lower)
        .then_some("is in a list of common passwords")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passcodes_are_weak() {
        assert_eq!(weakness("short"), Some("is shorter than 12 characters"));
        assert_eq!(
            weakness("QWERTY123456"),
            Some("is in a list of common passwords")
        );
        assert_eq!(weakness("maple-river-lantern-nine"), None);
    }
}
