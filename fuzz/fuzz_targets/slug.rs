//! Slugs and heading ids: any text makes an empty slug or a safe URL segment.
#![no_main]

use bounce::slug::{is_safe_segment, slugify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    assert!(
        slug.is_empty() || is_safe_segment(&slug),
        "{text:?} → {slug:?}"
    );
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
    if is_safe_segment(text) {
        assert!(!text.contains('/') && !text.contains('\\') && !text.starts_with('.'));
    }
});
