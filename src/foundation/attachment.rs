//! How a file is described to readers before they download it: its type and
//! size, `PDF, 24 KB` (the GOV.UK attachment pattern).
//!
//! Pure functions used by `site::links` (links to files in markdown bodies)
//! and `render` (a resource's own file).

/// Extensions of documents that readers download rather than view in the page.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "zip",
];

/// `PDF, 24 KB` for a downloadable document named `name` of `bytes` bytes;
/// none for other files (images, pages).
pub(crate) fn describe(name: &str, bytes: u64) -> Option<String> {
    let extension = extension(name);
    DOCUMENT_EXTENSIONS
        .contains(&extension.as_str())
        .then(|| format!("{}, {}", file_type(name), file_size(bytes)))
}

/// The kind of a file from its extension, as readers know it: `PDF`, `Word document`.
pub(crate) fn file_type(name: &str) -> String {
    match extension(name).as_str() {
        "doc" | "docx" | "odt" => "Word document".into(),
        "xls" | "xlsx" | "ods" => "Spreadsheet".into(),
        "ppt" | "pptx" | "odp" => "Presentation".into(),
        "" => "File".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// A file size as readers expect it: `850 bytes`, `24 KB`, `1.4 MB`.
pub(crate) fn file_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        let kb = b / KB;
        if kb < 10.0 {
            format!("{kb:.1} KB")
        } else {
            format!("{kb:.0} KB")
        }
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

fn extension(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_naturally() {
        assert_eq!(file_size(850), "850 bytes");
        assert_eq!(file_size(1456), "1.4 KB");
        assert_eq!(file_size(24 * 1024), "24 KB");
        assert_eq!(file_size(3 * 1024 * 1024 + 200_000), "3.2 MB");
    }

    #[test]
    fn file_types_name_the_format() {
        assert_eq!(file_type("policy.pdf"), "PDF");
        assert_eq!(file_type("Plan.DOCX"), "Word document");
        assert_eq!(file_type("README"), "File");
    }

    #[test]
    fn only_downloadable_documents_are_described() {
        assert_eq!(
            describe("resources/policy.pdf", 24 * 1024).as_deref(),
            Some("PDF, 24 KB")
        );
        assert_eq!(
            describe("plan.v2.docx", 900).as_deref(),
            Some("Word document, 900 bytes")
        );
        assert_eq!(describe("team.jpg", 900), None);
        assert_eq!(describe("a.pdf/readme", 900), None);
    }
}
