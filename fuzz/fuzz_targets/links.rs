//! Link resolution: from any document, any destination either resolves to an
//! address without a script scheme or is refused. It must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

// Shared by the targets (and the script checker with tests/), each using a part.
#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "../../tests/integration/fixtures/script.rs"]
mod script;

fuzz_target!(|input: (u8, &str)| {
    let (which, dest) = input;
    let from = common::KEYS[usize::from(which) % common::KEYS.len()];
    if let Ok(resolved) = common::routes().resolve(from, dest, true) {
        assert!(
            !script::is_script_url(&resolved.href),
            "{dest:?} resolved to {:?}",
            resolved.href
        );
    }
});
