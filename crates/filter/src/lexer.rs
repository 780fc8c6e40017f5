//! Splits a filter expression into tokens, one at a time, so the first error reported is the
//! leftmost one whether it is lexical (an unterminated string) or grammatical.
//!
//! Words are deliberately loose: field names, numbers, addresses, CIDR blocks and byte
//! strings all lex as one `Word`, and only the compiler, which knows the field's kind, decides
//! what a word means (tshark does the same: `aabbcc` is bytes only next to a bytes field).

use crate::error::FilterError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// An unquoted run of `[A-Za-z0-9_.:/-]`, never containing `..`.
    Word(&'a str),
    /// A quoted string with its escapes resolved (may hold any byte through `\xNN`).
    Str(Vec<u8>),
    /// A symbolic operator (`==`, `&&`, `!`, ...), as written.
    Sym(&'static str),
    LParen,
    RParen,
    LBrace,
    RBrace,
    /// `[` and `]` around a slice.
    LBracket,
    RBracket,
    Comma,
    DotDot,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    /// Byte offset of the token's first character.
    pub pos: usize,
    /// The token as written in the expression.
    pub text: &'a str,
}

impl Token<'_> {
    /// How an error message names the token.
    pub fn describe(&self) -> String {
        match self.tok {
            Tok::Eof => "end of filter".to_string(),
            _ => format!("'{}'", self.text),
        }
    }
}

/// Symbols, longest first so `===` is not read as `==` then `=`.
const SYMBOLS: &[&str] =
    &["===", "!==", "==", "!=", "~=", "<=", ">=", "&&", "||", "^^", "<", ">", "!", "~", "&", "+", "*", "%", "#"];

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'/' | b'-')
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    pub fn next_token(&mut self) -> Result<Token<'a>, FilterError> {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(&b) = bytes.get(start) else {
            return Ok(Token { tok: Tok::Eof, pos: start, text: "" });
        };
        let rest = &self.src[start..];
        let single = match b {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'{' => Some(Tok::LBrace),
            b'}' => Some(Tok::RBrace),
            b'[' => Some(Tok::LBracket),
            b']' => Some(Tok::RBracket),
            b',' => Some(Tok::Comma),
            _ => None,
        };
        if let Some(tok) = single {
            return Ok(self.token(tok, start, start + 1));
        }
        if rest.starts_with("..") {
            return Ok(self.token(Tok::DotDot, start, start + 2));
        }
        if b == b'"' {
            return self.string(start + 1, start, false);
        }
        if rest.starts_with("r\"") {
            return self.string(start + 2, start, true);
        }
        if let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            return Ok(self.token(Tok::Sym(sym), start, start + sym.len()));
        }
        if is_word_byte(b) {
            let mut end = start;
            // `..` ends a word so that `1..5` is a range, not one odd number.
            while end < bytes.len() && is_word_byte(bytes[end]) && !self.src[end..].starts_with("..") {
                end += 1;
            }
            return Ok(self.token(Tok::Word(&self.src[start..end]), start, end));
        }
        let c = rest.chars().next().unwrap_or('?');
        let hint = match c {
            '=' => "; use '==' to compare",
            '|' => "; use '||' or 'or'",
            '\'' => "; quote strings with '\"'",
            _ => "",
        };
        Err(FilterError::new(start, format!("unexpected character '{c}'{hint}")))
    }

    fn token(&mut self, tok: Tok<'a>, start: usize, end: usize) -> Token<'a> {
        self.pos = end;
        Token { tok, pos: start, text: &self.src[start..end] }
    }

    /// A quoted string whose body starts at `body`. Raw strings (`r"..."`) keep backslashes,
    /// which is what regular expressions want.
    fn string(&mut self, body: usize, start: usize, raw: bool) -> Result<Token<'a>, FilterError> {
        let bytes = self.src.as_bytes();
        let mut out = Vec::new();
        let mut i = body;
        loop {
            let Some(&b) = bytes.get(i) else {
                return Err(FilterError::new(start, "unterminated string"));
            };
            match b {
                b'"' => break,
                b'\\' if !raw => {
                    let (byte, used) = escape(&bytes[i + 1..]).ok_or_else(|| {
                        let shown = self.src[i..].chars().take(2).collect::<String>();
                        FilterError::new(i, format!("unknown escape '{shown}' in string"))
                    })?;
                    out.push(byte);
                    i += 1 + used;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        Ok(self.token(Tok::Str(out), start, i + 1))
    }
}

/// Decodes the escape after a backslash: the byte and how many bytes it used.
fn escape(after: &[u8]) -> Option<(u8, usize)> {
    let simple = match after.first()? {
        b'"' => b'"',
        b'\\' => b'\\',
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'0' => 0,
        b'x' => {
            let hex = after.get(1..3)?;
            // Checked by hand: `from_str_radix` alone would also take a sign (`\x+f`).
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let text = std::str::from_utf8(hex).ok()?;
            return Some((u8::from_str_radix(text, 16).ok()?, 3));
        }
        _ => return None,
    };
    Some((simple, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(src: &str) -> Result<Vec<Tok<'_>>, FilterError> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token()?;
            if t.tok == Tok::Eof {
                return Ok(out);
            }
            out.push(t.tok);
        }
    }

    #[test]
    fn words_symbols_and_ranges() {
        assert_eq!(
            lex("ip.src==10.0.0.0/8&&!(x ~= 2001:db8::1)").unwrap(),
            vec![
                Tok::Word("ip.src"),
                Tok::Sym("=="),
                Tok::Word("10.0.0.0/8"),
                Tok::Sym("&&"),
                Tok::Sym("!"),
                Tok::LParen,
                Tok::Word("x"),
                Tok::Sym("~="),
                Tok::Word("2001:db8::1"),
                Tok::RParen,
            ]
        );
        assert_eq!(
            lex("{1..5, -2}").unwrap(),
            vec![Tok::LBrace, Tok::Word("1"), Tok::DotDot, Tok::Word("5"), Tok::Comma, Tok::Word("-2"), Tok::RBrace]
        );
        assert_eq!(lex("a === b !== c").unwrap()[1], Tok::Sym("==="));
        assert_eq!(
            lex("frame[1,3-5,-4:]&ff&&x").unwrap(),
            vec![
                Tok::Word("frame"),
                Tok::LBracket,
                Tok::Word("1"),
                Tok::Comma,
                Tok::Word("3-5"),
                Tok::Comma,
                Tok::Word("-4:"),
                Tok::RBracket,
                Tok::Sym("&"),
                Tok::Word("ff"),
                Tok::Sym("&&"),
                Tok::Word("x"),
            ]
        );
    }

    #[test]
    fn string_escapes() {
        assert_eq!(lex(r#""a\"b\\c\x41\n""#).unwrap(), vec![Tok::Str(b"a\"b\\cA\n".to_vec())]);
        assert_eq!(lex(r#"r"\d+""#).unwrap(), vec![Tok::Str(br"\d+".to_vec())]);
        assert_eq!(lex(r#""\xff""#).unwrap(), vec![Tok::Str(vec![0xff])]);
    }

    #[test]
    fn lexical_errors_point_at_their_cause() {
        assert_eq!(lex(r#"a == "abc"#).unwrap_err(), FilterError::new(5, "unterminated string"));
        assert_eq!(lex(r#"a == "\q""#).unwrap_err(), FilterError::new(6, r"unknown escape '\q' in string"));
        assert_eq!(lex(r#""\x4""#).unwrap_err(), FilterError::new(1, r"unknown escape '\x' in string"));
        assert_eq!(lex("a = 1").unwrap_err(), FilterError::new(2, "unexpected character '='; use '==' to compare"));
        assert_eq!(lex("a @").unwrap_err(), FilterError::new(2, "unexpected character '@'"));
        assert_eq!(lex("é").unwrap_err(), FilterError::new(0, "unexpected character 'é'"));
    }
}
