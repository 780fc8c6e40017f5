//! The one error type of the crate: a message and the byte offset it points at.

/// Why a filter expression was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    /// Byte offset in the expression (`expr.len()` for "at the end").
    pub pos: usize,
    pub message: String,
}

impl FilterError {
    pub(crate) fn new(pos: usize, message: impl Into<String>) -> Self {
        FilterError { pos, message: message.into() }
    }

    /// The expression, a caret under the offending character and the message, on three lines:
    ///
    /// ```text
    /// udp.srcport == abc
    ///                ^
    /// 'abc' is not a number for udp.srcport (unsigned)
    /// ```
    pub fn render(&self, expr: &str) -> String {
        // The caret column counts characters, not bytes, so it lines up under non-ASCII text.
        // A position past the end or inside a character is clamped rather than trusted.
        let mut pos = self.pos.min(expr.len());
        while !expr.is_char_boundary(pos) {
            pos -= 1;
        }
        let column = expr[..pos].chars().count();
        format!("{expr}\n{:column$}^\n{}", "", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_position() {
        let e = FilterError::new(4, "boom");
        assert_eq!(e.render("abc == 1"), "abc == 1\n    ^\nboom");
        assert_eq!(e.to_string(), "boom");
    }

    #[test]
    fn caret_counts_characters_and_clamps() {
        let e = FilterError::new(3, "x");
        assert_eq!(e.render("é =="), "é ==\n  ^\nx");
        assert_eq!(FilterError::new(99, "x").render("ab"), "ab\n  ^\nx");
        assert_eq!(FilterError::new(1, "x").render("é"), "é\n^\nx");
    }
}
