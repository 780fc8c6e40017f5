//! What the XML outputs (`-T psml`, `-T pdml`) share.

/// Appends `t` with XML's special characters as tshark escapes them.
pub(crate) fn push_escaped(s: &mut String, t: &str) {
    // Every special character is ASCII: the runs between them are copied whole.
    let mut from = 0;
    for (i, &b) in t.as_bytes().iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            // XML 1.0 has no ASCII control characters but these three.
            b'\t' | b'\n' | b'\r' => continue,
            0..=0x1f | 0x7f => "",
            _ => continue,
        };
        s.push_str(&t[from..i]);
        if entity.is_empty() {
            s.push_str("\\x");
            super::digits::push_hex_digits(s, b.into(), 1);
        } else {
            s.push_str(entity);
        }
        from = i + 1;
    }
    s.push_str(&t[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_as_tshark_escapes_them() {
        let mut s = String::new();
        push_escaped(&mut s, "a<b>&\"c\" 'd' → e\u{1}\tf");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot; &#x27;d&#x27; → e\\x1\tf");
        s.clear();
        push_escaped(&mut s, "\u{7f}\u{1b}[0m\r\n");
        assert_eq!(s, "\\x7f\\x1b[0m\r\n");
    }
}
