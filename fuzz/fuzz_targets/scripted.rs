//! The checker of SVG and XML files beside documents, on arbitrary text: it
//! must never panic, must place every finding inside the file, and no text
//! before a `<script>` element may hide it (the file is refused for the
//! script, or as not well-formed).
#![no_main]

use bounce::scripted::check_xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let lines = text.split('\n').count();
    for finding in check_xml(text) {
        assert!(finding.line >= 1 && finding.line <= lines, "{finding:?}");
        assert!(finding.column >= 1, "{finding:?}");
    }
    let with_script = format!("{text}<script>alert(1)</script>");
    assert!(!check_xml(&with_script).is_empty(), "{text:?}");
});
