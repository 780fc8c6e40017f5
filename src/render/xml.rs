//! What the XML outputs (`-T psml`, `-T pdml`) share.

/// Appends `t` with XML's special characters as tshark escapes them.
pub(super) fn push_escaped(s: &mut String, t: &str) {
    // Most cells (numbers, addresses, most info) have none: copied whole.
    if !t.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b.is_ascii_control()) {
        s.push_str(t);
        return;
    }
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#x27;"),
            // XML 1.0 has no ASCII control characters but these three.
            c if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') => {
                s.push_str(&format!("\\x{:x}", u32::from(c)));
            }
            c => s.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_as_tshark_escapes_them() {
        let mut s = String::new();
        push_escaped(&mut s, "a<b>&\"c\" 'd' → e\u{1}\tf");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot; &#x27;d&#x27; → e\\x1\tf");
    }
}
