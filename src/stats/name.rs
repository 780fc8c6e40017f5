//! Names the dissectors chose (`&'static str`), as keys counted per frame.

use std::hash::{Hash, Hasher};

/// A static name compared and hashed by where it is, not by its characters: one word per
/// frame instead of a string. Two copies of one name (the same text in two places) are two
/// keys, so a table made from them merges by text.
#[derive(Debug, Clone, Copy)]
pub struct Name(pub &'static str);

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Name {}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.as_ptr() as usize);
        state.write_usize(self.0.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_keys_by_place() {
        static A: &str = "UDP";
        let copy: &'static str = Box::leak(String::from("UDP").into_boxed_str());
        assert_eq!(Name(A), Name(A));
        assert_ne!(Name(A), Name(copy), "same text, another place");
        assert_ne!(Name(&A[..1]), Name(A), "same start, another length");
    }
}
