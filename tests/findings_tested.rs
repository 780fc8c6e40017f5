//! Every finding the dissectors can raise is one a user may build on (`--strict`, `-Y
//! expert.tag == …`, CI scripts), so each must be asserted somewhere: a test names its tag, or a
//! shipped capture's expected output shows it.

use std::path::Path;
use udpdissect::list::known_experts;
use udpdissect_core::Engine;

/// Text a test can name a tag in: the test files, each source file from its inline `mod tests`
/// on, and the expected outputs and snapshots.
fn test_text(dir: &Path, text: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                test_text(&path, text);
            }
            continue;
        }
        let test_file = path.components().any(|c| c.as_os_str() == "tests") || name.starts_with("tests");
        let file = match path.extension().and_then(|e| e.to_str()) {
            Some("rs") => std::fs::read_to_string(&path).unwrap(),
            Some("expected" | "snap") => std::fs::read_to_string(&path).unwrap_or_default(),
            _ => continue,
        };
        let from = if test_file || !name.ends_with(".rs") { Some(0) } else { file.find("mod tests {") };
        if let Some(from) = from {
            text.push_str(&file[from..]);
            text.push('\n');
        }
    }
}

/// `tag` as a whole word of `text`, not the start of a longer tag.
fn names(text: &str, tag: &str) -> bool {
    text.match_indices(tag).any(|(at, _)| {
        let after = text[at + tag.len()..].chars().next();
        !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

#[test]
fn every_finding_is_asserted_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    for dir in ["src", "tests", "crates", "captures"] {
        test_text(&root.join(dir), &mut text);
    }
    let engine = Engine::new(udpdissect::dissectors());
    let experts = known_experts(&engine);
    assert!(experts.len() > 100, "{} findings registered", experts.len());
    let missing: Vec<&str> = experts.iter().map(|e| e.tag).filter(|tag| !names(&text, tag)).collect();
    assert!(missing.is_empty(), "findings no test or expected output names: {missing:?}");
}
