//! The whole document pipeline on arbitrary bytes: decoding, splitting the front
//! matter, validating it, and rendering the body with links resolved against a
//! small site. It must never panic, and HTML rendered without problems (the
//! only HTML a build writes) must never hold script.
#![no_main]

use std::path::PathBuf;

use bounce::discover::SourceDocument;
use bounce::markdown::{self, Input};
use libfuzzer_sys::fuzz_target;

// Shared by the targets (and the script checker with tests/), each using a part.
#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "../../tests/integration/fixtures/script.rs"]
mod script;

fn render(key: &str, body: &str) {
    let resolve = |dest: &str| common::routes().resolve(key, dest, true);
    for allow_unsafe_html in [false, true] {
        let rendered = markdown::render(&Input {
            body,
            first_line: 1,
            allow_unsafe_html,
            resolve: &resolve,
        });
        if !allow_unsafe_html && rendered.problems.is_empty() {
            script::assert_no_script(&rendered.html);
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let source = SourceDocument {
        key: "guide/policy.md".into(),
        file: PathBuf::from("content/guide/policy.md"),
        bytes: bytes.to_vec(),
    };
    match bounce::document::parse(&source, common::config()) {
        Ok(document) => render(&document.key, document.body()),
        // Reach the markdown stage even when the front matter is refused.
        Err(_) => render(&source.key, &String::from_utf8_lossy(bytes)),
    }
});
