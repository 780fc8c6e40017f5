//! Recursive-descent parser from tokens to an untyped syntax tree.
//!
//! Precedence, loosest first: `or`, `xor`, `and`, `not`; mixing them without parentheses is
//! allowed (`a or b and c` is `a or (b and c)`), as in tshark. Chains of one operator become
//! one n-ary node, so a long `a and b and c ...` never makes the tree (or the evaluator's
//! recursion) deep; only parentheses and `not` nest, and they are capped at [`MAX_NESTING`].

use crate::error::FilterError;
use crate::lexer::{Lexer, Tok, Token};

/// Deepest nesting of parentheses and `not` a filter may use; deeper is an error rather than
/// a stack overflow on hostile input.
pub const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    /// The empty filter: every frame passes (tshark's `-Y ""`).
    True,
    Or(Vec<Ast>),
    Xor(Vec<Ast>),
    And(Vec<Ast>),
    Not(Box<Ast>),
    /// A bare term: the field (or slice) is present, or a masked value is not zero.
    Exists(Term),
    Compare {
        left: Term,
        op: Op,
        op_pos: usize,
        op_text: String,
        right: Term,
    },
    In {
        left: Term,
        negated: bool,
        items: Vec<SetItem>,
    },
}

/// One side of a test: an operand, or a value computed from fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    Operand(Operand),
    /// `ip.src#2`, `udp.port#[2-3]`: the occurrences in those layers of the field's protocol
    /// (counted from 1, outermost first).
    Layer {
        inner: Box<Term>,
        ranges: Vec<Range>,
        text: String,
        pos: usize,
    },
    /// `x[0:2]`, `x[1,3-5,9:]`: the bytes at those offsets, joined.
    Slice {
        inner: Box<Term>,
        ranges: Vec<Range>,
        text: String,
        pos: usize,
    },
    /// `len(x)`, `max(a, b)`, ...
    Call {
        func: Func,
        args: Vec<Term>,
        pos: usize,
    },
    /// `x & 0x02`, `x[0:2] & 40:ff`.
    Mask {
        inner: Box<Term>,
        mask: Operand,
        pos: usize,
    },
    /// `a + 1`, `frame.len - udp.length`, `4 * {a + 3}`.
    Arith {
        op: ArithOp,
        left: Box<Term>,
        right: Box<Term>,
        pos: usize,
    },
}

/// tshark's arithmetic operators; `*`, `/` and `%` bind tighter than `+` and `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        }
    }
}

impl Term {
    pub fn pos(&self) -> usize {
        match self {
            Term::Operand(o) => o.pos,
            Term::Slice { inner, .. } | Term::Mask { inner, .. } | Term::Layer { inner, .. } => inner.pos(),
            Term::Arith { left, .. } => left.pos(),
            Term::Call { pos, .. } => *pos,
        }
    }
}

/// The functions of tshark's filter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Upper,
    Lower,
    Len,
    Count,
    String,
    Max,
    Min,
    Abs,
}

impl Func {
    const ALL: [(&'static str, Func); 8] = [
        ("upper", Func::Upper),
        ("lower", Func::Lower),
        ("len", Func::Len),
        ("count", Func::Count),
        ("string", Func::String),
        ("max", Func::Max),
        ("min", Func::Min),
        ("abs", Func::Abs),
    ];

    fn named(name: &str) -> Option<Func> {
        Func::ALL.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
    }

    pub fn name(self) -> &'static str {
        Func::ALL.iter().find(|(_, f)| *f == self).map_or("?", |(n, _)| n)
    }
}

/// One range of a slice, offsets counted from the end when negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    /// `[i:j]`, `[i]` (length 1), `[:j]`, `[i:]` (length `None`: to the end).
    Len { start: i64, len: Option<u64> },
    /// `[i-j]`, both inclusive.
    To { start: i64, end: i64 },
}

/// A word or a quoted string, before anyone knows whether it is a field or a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Operand {
    pub pos: usize,
    pub lexeme: Lexeme,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lexeme {
    Word(String),
    Quoted(Vec<u8>),
}

/// One member of an `in` set: a value or an inclusive range `lo..hi`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SetItem {
    pub lo: Operand,
    pub hi: Option<Operand>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `==`: some occurrence equals.
    Eq,
    /// `!=`: every occurrence differs (tshark's `all_ne`, the same as `!(a == b)` on a
    /// present field).
    Ne,
    /// `===`: every occurrence equals.
    AllEq,
    /// `~=` / `!==`: some occurrence differs.
    AnyNe,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Matches,
}

impl Op {
    fn from_token(tok: &Tok<'_>) -> Option<Op> {
        let text = match *tok {
            Tok::Sym(s) | Tok::Word(s) => s,
            _ => return None,
        };
        Some(match text {
            "==" | "eq" | "any_eq" => Op::Eq,
            "!=" | "ne" | "all_ne" => Op::Ne,
            "===" | "all_eq" => Op::AllEq,
            "!==" | "~=" | "any_ne" => Op::AnyNe,
            "<" | "lt" => Op::Lt,
            "<=" | "le" => Op::Le,
            ">" | "gt" => Op::Gt,
            ">=" | "ge" => Op::Ge,
            "contains" => Op::Contains,
            "~" | "matches" => Op::Matches,
            _ => return None,
        })
    }

    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Logic {
    Or,
    Xor,
    And,
}

fn logic(tok: &Tok<'_>) -> Option<Logic> {
    match *tok {
        Tok::Sym("||") | Tok::Word("or") => Some(Logic::Or),
        Tok::Sym("^^") | Tok::Word("xor") => Some(Logic::Xor),
        Tok::Sym("&&") | Tok::Word("and") => Some(Logic::And),
        _ => None,
    }
}

/// Words that can never be a value without quotes, so `a == and` reports the missing value.
fn is_keyword(word: &str) -> bool {
    matches!(word, "and" | "or" | "xor" | "not" | "in")
}

pub(crate) fn parse(src: &str) -> Result<Ast, FilterError> {
    let mut p = Parser { lexer: Lexer::new(src), peeked: None, depth: 0 };
    if p.peek()?.tok == Tok::Eof {
        return Ok(Ast::True);
    }
    let ast = p.or()?;
    let t = p.bump()?;
    match t.tok {
        Tok::Eof => Ok(ast),
        Tok::RParen => Err(FilterError::new(t.pos, "unbalanced ')'")),
        _ => Err(FilterError::new(t.pos, format!("expected 'and', 'or' or end of filter, found {}", t.describe()))),
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token<'a>>,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Result<&Token<'a>, FilterError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn bump(&mut self) -> Result<Token<'a>, FilterError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn enter(&mut self, pos: usize) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(FilterError::new(pos, format!("filter nested too deeply (more than {MAX_NESTING} levels)")));
        }
        Ok(())
    }

    /// One precedence level: operands of the next tighter level joined by `op`.
    fn chain(
        &mut self,
        op: Logic,
        next: fn(&mut Self) -> Result<Ast, FilterError>,
        node: fn(Vec<Ast>) -> Ast,
    ) -> Result<Ast, FilterError> {
        let mut items = vec![next(self)?];
        while logic(&self.peek()?.tok) == Some(op) {
            self.bump()?;
            items.push(next(self)?);
        }
        Ok(if items.len() == 1 { items.pop().expect("one item") } else { node(items) })
    }

    fn or(&mut self) -> Result<Ast, FilterError> {
        self.chain(Logic::Or, Self::xor, Ast::Or)
    }

    fn xor(&mut self) -> Result<Ast, FilterError> {
        self.chain(Logic::Xor, Self::and, Ast::Xor)
    }

    fn and(&mut self) -> Result<Ast, FilterError> {
        self.chain(Logic::And, Self::unary, Ast::And)
    }

    fn unary(&mut self) -> Result<Ast, FilterError> {
        let t = self.peek()?;
        if matches!(t.tok, Tok::Sym("!") | Tok::Word("not")) {
            let pos = t.pos;
            self.bump()?;
            self.enter(pos)?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Ast::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Ast, FilterError> {
        if self.peek()?.tok != Tok::LParen {
            return self.test();
        }
        let open = self.bump()?.pos;
        self.enter(open)?;
        let inner = self.or()?;
        let t = self.bump()?;
        match t.tok {
            Tok::RParen => {}
            Tok::Eof => return Err(FilterError::new(open, "unbalanced '('")),
            _ => return Err(FilterError::new(t.pos, format!("expected 'and', 'or' or ')', found {}", t.describe()))),
        }
        self.depth -= 1;
        Ok(inner)
    }

    /// `term`, `term OP term`, or `term [not] in {set}`.
    fn test(&mut self) -> Result<Ast, FilterError> {
        let left = self.term(&|t| format!("expected a field name, found {}", t.describe()))?;
        let t = self.peek()?;
        if let Some(op) = Op::from_token(&t.tok) {
            let (op_pos, op_text) = (t.pos, t.text.to_string());
            self.bump()?;
            let right = self.term(&|_| format!("expected a value after '{op_text}'"))?;
            return Ok(Ast::Compare { left, op, op_pos, op_text, right });
        }
        let negated = match t.tok {
            Tok::Word("in") => false,
            Tok::Word("not") => {
                self.bump()?;
                let t = self.peek()?;
                if t.tok != Tok::Word("in") {
                    return Err(FilterError::new(t.pos, format!("expected 'in' after 'not', found {}", t.describe())));
                }
                true
            }
            _ => return Ok(Ast::Exists(left)),
        };
        self.bump()?;
        let items = self.set()?;
        Ok(Ast::In { left, negated, items })
    }

    /// `product {(+ | -) product}`; `missing` words the error when the token found is no
    /// operand. A minus needs a space before it (`a - 1` or `a -1`), as in tshark: `a-1` is one
    /// word.
    fn term(&mut self, missing: &dyn Fn(&Token<'_>) -> String) -> Result<Term, FilterError> {
        let mut left = self.product(missing)?;
        loop {
            let t = self.peek()?;
            let pos = t.pos;
            let right = match t.tok {
                Tok::Sym("+") | Tok::Word("-") => {
                    let op = if t.tok == Tok::Sym("+") { ArithOp::Add } else { ArithOp::Sub };
                    self.bump()?;
                    let missing =
                        |t: &Token<'_>| format!("expected a value after '{}', found {}", op.symbol(), t.describe());
                    (op, self.product(&missing)?)
                }
                // `a -1`: the sign of the word is the operator.
                Tok::Word(w) if w.len() > 1 && w.starts_with('-') && !w.starts_with("--") => {
                    let t = self.bump()?;
                    let o = Operand { pos: t.pos + 1, lexeme: Lexeme::Word(w[1..].to_string()) };
                    (ArithOp::Sub, self.product_from(Term::Operand(o))?)
                }
                _ => return Ok(left),
            };
            left = Term::Arith { op: right.0, left: Box::new(left), right: Box::new(right.1), pos };
        }
    }

    /// `masked {(* | / | %) masked}`.
    fn product(&mut self, missing: &dyn Fn(&Token<'_>) -> String) -> Result<Term, FilterError> {
        let first = self.masked(missing)?;
        self.product_from(first)
    }

    fn product_from(&mut self, mut left: Term) -> Result<Term, FilterError> {
        loop {
            let t = self.peek()?;
            let op = match t.tok {
                Tok::Sym("*") => ArithOp::Mul,
                Tok::Word("/") => ArithOp::Div,
                Tok::Sym("%") => ArithOp::Rem,
                _ => return Ok(left),
            };
            let pos = t.pos;
            self.bump()?;
            let right =
                self.masked(&|t| format!("expected a value after '{}', found {}", op.symbol(), t.describe()))?;
            left = Term::Arith { op, left: Box::new(left), right: Box::new(right), pos };
        }
    }

    /// `atom [& mask]`.
    fn masked(&mut self, missing: &dyn Fn(&Token<'_>) -> String) -> Result<Term, FilterError> {
        let atom = self.atom(missing)?;
        let t = self.peek()?;
        if !matches!(t.tok, Tok::Sym("&") | Tok::Word("bitwise_and")) {
            return Ok(atom);
        }
        let pos = t.pos;
        self.bump()?;
        let m = self.bump()?;
        let mask = operand(&m).ok_or_else(|| FilterError::new(m.pos, "expected a mask after '&'"))?;
        Ok(Term::Mask { inner: Box::new(atom), mask, pos })
    }

    /// An operand, a function call or `{term}`, each optionally sliced.
    fn atom(&mut self, missing: &dyn Fn(&Token<'_>) -> String) -> Result<Term, FilterError> {
        if self.peek()?.tok == Tok::LBrace {
            let open = self.bump()?.pos;
            self.enter(open)?;
            let inner = self.term(&|t| format!("expected a value after '{{', found {}", t.describe()))?;
            let t = self.bump()?;
            if t.tok != Tok::RBrace {
                return Err(FilterError::new(
                    t.pos,
                    format!("expected '}}' closing the group, found {}", t.describe()),
                ));
            }
            self.depth -= 1;
            return Ok(inner);
        }
        let t = self.bump()?;
        let o = operand(&t).ok_or_else(|| FilterError::new(t.pos, missing(&t)))?;
        let mut term = match (&o.lexeme, &self.peek()?.tok) {
            (Lexeme::Word(w), Tok::LParen) => {
                let func = Func::named(w).ok_or_else(|| {
                    let names: Vec<&str> = Func::ALL.iter().map(|(n, _)| *n).collect();
                    FilterError::new(o.pos, format!("unknown function '{w}'; functions are {}", names.join(", ")))
                })?;
                self.call(func, o.pos)?
            }
            _ => Term::Operand(o),
        };
        if self.peek()?.tok == Tok::Sym("#") {
            term = self.layer(term)?;
        }
        while self.peek()?.tok == Tok::LBracket {
            term = self.slice(term)?;
        }
        Ok(term)
    }

    /// `(arg, ...)` after a function's name.
    fn call(&mut self, func: Func, pos: usize) -> Result<Term, FilterError> {
        let open = self.bump()?.pos;
        self.enter(open)?;
        let mut args = Vec::new();
        loop {
            args.push(self.term(&|t| format!("expected an argument to {}(), found {}", func.name(), t.describe()))?);
            let t = self.bump()?;
            match t.tok {
                Tok::Comma => {}
                Tok::RParen => break,
                Tok::Eof => return Err(FilterError::new(open, "unbalanced '('")),
                _ => return Err(FilterError::new(t.pos, format!("expected ',' or ')', found {}", t.describe()))),
            }
        }
        self.depth -= 1;
        Ok(Term::Call { func, args, pos })
    }

    /// `#N` or `#[range, ...]` after a field.
    fn layer(&mut self, inner: Term) -> Result<Term, FilterError> {
        let hash = self.bump()?.pos;
        let t = self.peek()?;
        let (ranges, text) = match t.tok {
            Tok::LBracket => {
                let open = self.bump()?.pos;
                let (ranges, text) = self.ranges(open)?;
                (ranges, format!("[{text}]"))
            }
            Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => {
                let t = self.bump()?;
                (vec![range(w).map_err(|msg| FilterError::new(t.pos, msg))?], w.to_string())
            }
            _ => {
                let msg = format!("expected a layer number or [ranges] after '#', found {}", t.describe());
                return Err(FilterError::new(t.pos, msg));
            }
        };
        Ok(Term::Layer { inner: Box::new(inner), ranges, text, pos: hash })
    }

    /// `[range, ...]` after a term.
    fn slice(&mut self, inner: Term) -> Result<Term, FilterError> {
        let open = self.bump()?.pos;
        let (ranges, text) = self.ranges(open)?;
        Ok(Term::Slice { inner: Box::new(inner), ranges, text, pos: open })
    }

    /// The ranges after `[` (at `open`) up to the closing `]`, and their text.
    fn ranges(&mut self, open: usize) -> Result<(Vec<Range>, String), FilterError> {
        let mut ranges = Vec::new();
        let mut text = String::new();
        loop {
            let t = self.bump()?;
            match t.tok {
                Tok::Word(w) => {
                    ranges.push(range(w).map_err(|msg| FilterError::new(t.pos, msg))?);
                    text.push_str(w);
                }
                Tok::Eof => return Err(FilterError::new(open, "unbalanced '['")),
                _ => return Err(FilterError::new(t.pos, format!("expected a slice range, found {}", t.describe()))),
            }
            let t = self.bump()?;
            match t.tok {
                Tok::Comma => text.push(','),
                Tok::RBracket => break,
                Tok::Eof => return Err(FilterError::new(open, "unbalanced '['")),
                _ => return Err(FilterError::new(t.pos, format!("expected ',' or ']', found {}", t.describe()))),
            }
        }
        Ok((ranges, text))
    }

    /// `{a, b, lo..hi}`; commas are optional, as in tshark's older whitespace-separated sets.
    fn set(&mut self) -> Result<Vec<SetItem>, FilterError> {
        let open = self.bump()?;
        if open.tok != Tok::LBrace {
            return Err(FilterError::new(open.pos, format!("expected '{{' after 'in', found {}", open.describe())));
        }
        let mut items = Vec::new();
        loop {
            let t = self.bump()?;
            match t.tok {
                Tok::RBrace if items.is_empty() => return Err(FilterError::new(open.pos, "empty set")),
                Tok::Eof => return Err(FilterError::new(open.pos, "unbalanced '{'")),
                _ => {}
            }
            let lo = operand(&t).ok_or_else(|| {
                FilterError::new(t.pos, format!("expected a value in the set, found {}", t.describe()))
            })?;
            let mut hi = None;
            if self.peek()?.tok == Tok::DotDot {
                self.bump()?;
                let t = self.bump()?;
                hi = Some(operand(&t).ok_or_else(|| FilterError::new(t.pos, "expected a value after '..'"))?);
            }
            items.push(SetItem { lo, hi });
            let t = self.peek()?;
            match t.tok {
                Tok::Comma => {
                    self.bump()?;
                }
                Tok::RBrace => {
                    self.bump()?;
                    return Ok(items);
                }
                Tok::Eof => return Err(FilterError::new(open.pos, "unbalanced '{'")),
                Tok::Word(_) | Tok::Str(_) => {}
                _ => {
                    let msg = format!("expected ',' or '}}' in the set, found {}", t.describe());
                    return Err(FilterError::new(t.pos, msg));
                }
            }
        }
    }
}

/// One slice range as written: `i:j`, `i-j`, `i`, `:j` or `i:` (offsets may be negative).
fn range(text: &str) -> Result<Range, String> {
    let offset =
        |t: &str| t.parse::<i64>().map_err(|_| format!("'{text}' is not a slice range (like 0:2, 3-5, -4: or 7)"));
    if let Some((start, len)) = text.split_once(':') {
        let start = if start.is_empty() { 0 } else { offset(start)? };
        if len.is_empty() {
            return Ok(Range::Len { start, len: None });
        }
        return match len.parse::<u64>() {
            Ok(0) => Err(format!("slice range '{text}' is empty: its length must be positive")),
            Ok(n) => Ok(Range::Len { start, len: Some(n) }),
            Err(_) => Err(format!("'{text}' is not a slice range: the length after ':' must be a positive number")),
        };
    }
    // `i-j`: the dash after the first character (a leading one is a sign).
    if let Some(dash) = text.get(1..).and_then(|t| t.find('-')).map(|i| i + 1) {
        let (start, end) = (offset(&text[..dash])?, offset(&text[dash + 1..])?);
        if start >= 0 && end >= 0 && end < start {
            return Err(format!("slice range '{text}' ends before it starts"));
        }
        return Ok(Range::To { start, end });
    }
    Ok(Range::Len { start: offset(text)?, len: Some(1) })
}

/// The token as a field-or-value operand, unless it is punctuation or a keyword.
fn operand(t: &Token<'_>) -> Option<Operand> {
    let lexeme = match &t.tok {
        Tok::Word(w) if !is_keyword(w) => Lexeme::Word(w.to_string()),
        Tok::Str(bytes) => Lexeme::Quoted(bytes.clone()),
        _ => return None,
    };
    Some(Operand { pos: t.pos, lexeme })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(pos: usize, w: &str) -> Operand {
        Operand { pos, lexeme: Lexeme::Word(w.to_string()) }
    }

    fn term(pos: usize, w: &str) -> Term {
        Term::Operand(word(pos, w))
    }

    fn err(src: &str) -> (usize, String) {
        let e = parse(src).unwrap_err();
        (e.pos, e.message)
    }

    #[test]
    fn and_binds_tighter_than_xor_tighter_than_or() {
        let ast = parse("a or b xor c and !d").unwrap();
        let expected = Ast::Or(vec![
            Ast::Exists(term(0, "a")),
            Ast::Xor(vec![
                Ast::Exists(term(5, "b")),
                Ast::And(vec![Ast::Exists(term(11, "c")), Ast::Not(Box::new(Ast::Exists(term(18, "d"))))]),
            ]),
        ]);
        assert_eq!(ast, expected);
    }

    #[test]
    fn chains_are_flat() {
        let src = vec!["x"; 10_000].join(" && ");
        match parse(&src).unwrap() {
            Ast::And(items) => assert_eq!(items.len(), 10_000),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn comparisons_sets_and_not_in() {
        assert_eq!(
            parse("a ge 5").unwrap(),
            Ast::Compare { left: term(0, "a"), op: Op::Ge, op_pos: 2, op_text: "ge".into(), right: term(5, "5") }
        );
        let Ast::In { negated, items, .. } = parse("a not in {1 2..3, \"x\"}").unwrap() else { panic!() };
        assert!(negated);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].hi, Some(word(15, "3")));
    }

    #[test]
    fn slices_calls_and_masks() {
        let Ast::Compare { left: Term::Slice { inner, ranges, text, pos }, .. } =
            parse("f[1,3-5,-4:,:2,9:2] == 00").unwrap()
        else {
            panic!()
        };
        assert_eq!((*inner, text.as_str(), pos), (term(0, "f"), "1,3-5,-4:,:2,9:2", 1));
        assert_eq!(
            ranges,
            [
                Range::Len { start: 1, len: Some(1) },
                Range::To { start: 3, end: 5 },
                Range::Len { start: -4, len: None },
                Range::Len { start: 0, len: Some(2) },
                Range::Len { start: 9, len: Some(2) },
            ]
        );
        assert_eq!(parse("f[-3--1]").unwrap(), parse("f[-3--1]").unwrap());
        let Ast::Exists(Term::Slice { inner, ranges, .. }) = parse("ip.src#[1-2,4][0]").unwrap() else { panic!() };
        let Term::Layer { ranges: layers, text, pos, .. } = *inner else { panic!() };
        assert_eq!(
            (layers, text, pos),
            (vec![Range::To { start: 1, end: 2 }, Range::Len { start: 4, len: Some(1) }], "[1-2,4]".into(), 6)
        );
        assert_eq!(ranges, vec![Range::Len { start: 0, len: Some(1) }]);
        let Ast::Exists(Term::Layer { ranges, .. }) = parse("ip#2").unwrap() else { panic!() };
        assert_eq!(ranges, vec![Range::Len { start: 2, len: Some(1) }]);
        let Ast::Exists(Term::Slice { ranges, .. }) = parse("f[-3--1]").unwrap() else { panic!() };
        assert_eq!(ranges, [Range::To { start: -3, end: -1 }]);
        let Ast::Compare { left: Term::Call { func, args, pos }, .. } = parse("max(a, b[0]) > 1").unwrap() else {
            panic!()
        };
        assert_eq!((func, args.len(), pos), (Func::Max, 2, 0));
        assert!(matches!(args[1], Term::Slice { .. }));
        let Ast::Compare { left: Term::Mask { inner, mask, pos }, op: Op::Eq, .. } = parse("a & 0x0f == 2").unwrap()
        else {
            panic!()
        };
        assert_eq!((*inner, mask, pos), (term(0, "a"), word(4, "0x0f"), 2));
        assert!(matches!(parse("a bitwise_and 4").unwrap(), Ast::Exists(Term::Mask { .. })));
        assert!(matches!(parse("len(a[1:]) in {1..3}").unwrap(), Ast::In { left: Term::Call { .. }, .. }));
    }

    #[test]
    fn arithmetic_precedence_and_groups() {
        let arith = |op, left, right, pos| Term::Arith { op, left: Box::new(left), right: Box::new(right), pos };
        let Ast::Compare { left, .. } = parse("a + b * c == 1").unwrap() else { panic!() };
        assert_eq!(left, arith(ArithOp::Add, term(0, "a"), arith(ArithOp::Mul, term(4, "b"), term(8, "c"), 6), 2));
        let Ast::Compare { left, .. } = parse("a - 1 -2 / d % 3 == 1").unwrap() else { panic!() };
        let rest = arith(ArithOp::Rem, arith(ArithOp::Div, term(7, "2"), term(11, "d"), 9), term(15, "3"), 13);
        assert_eq!(left, arith(ArithOp::Sub, arith(ArithOp::Sub, term(0, "a"), term(4, "1"), 2), rest, 6));
        let Ast::Compare { right, .. } = parse("x >= 4 * {a + 3}").unwrap() else { panic!() };
        assert_eq!(right, arith(ArithOp::Mul, term(5, "4"), arith(ArithOp::Add, term(10, "a"), term(14, "3"), 12), 7));
        // Without a space the minus is part of the word, as in tshark.
        assert_eq!(parse("a-1").unwrap(), Ast::Exists(term(0, "a-1")));
        assert_eq!(
            parse("a == -1").unwrap(),
            Ast::Compare { left: term(0, "a"), op: Op::Eq, op_pos: 2, op_text: "==".into(), right: term(5, "-1") }
        );
        let Ast::Compare { left, .. } = parse("a & 0xff + 1 == 8").unwrap() else { panic!() };
        assert!(matches!(left, Term::Arith { op: ArithOp::Add, ref left, .. } if matches!(**left, Term::Mask { .. })));
        assert_eq!(err("a + == 1"), (4, "expected a value after '+', found '=='".into()));
        assert_eq!(err("{a + 1 == 2"), (7, "expected '}' closing the group, found '=='".into()));
    }

    #[test]
    fn slice_and_call_errors() {
        assert_eq!(err("f[0:0]"), (2, "slice range '0:0' is empty: its length must be positive".into()));
        assert_eq!(err("f[5-3]"), (2, "slice range '5-3' ends before it starts".into()));
        assert_eq!(err("f[x]"), (2, "'x' is not a slice range (like 0:2, 3-5, -4: or 7)".into()));
        assert_eq!(
            err("f[1:x]"),
            (2, "'1:x' is not a slice range: the length after ':' must be a positive number".into())
        );
        assert_eq!(err("f[1"), (1, "unbalanced '['".into()));
        assert_eq!(err("f[1 2]"), (4, "expected ',' or ']', found '2'".into()));
        assert_eq!(err("f[]"), (2, "expected a slice range, found ']'".into()));
        assert_eq!(
            err("size(f) > 1"),
            (0, "unknown function 'size'; functions are upper, lower, len, count, string, max, min, abs".into())
        );
        assert_eq!(err("len(f"), (3, "unbalanced '('".into()));
        assert_eq!(err("len()"), (4, "expected an argument to len(), found ')'".into()));
        assert_eq!(err("a & == 1"), (4, "expected a mask after '&'".into()));
    }

    #[test]
    fn empty_filter_passes_everything() {
        assert_eq!(parse("  ").unwrap(), Ast::True);
    }

    #[test]
    fn syntax_errors_name_what_was_expected() {
        assert_eq!(err("a =="), (4, "expected a value after '=='".into()));
        assert_eq!(err("a eq )"), (5, "expected a value after 'eq'".into()));
        assert_eq!(err("a == and"), (5, "expected a value after '=='".into()));
        assert_eq!(err("a)"), (1, "unbalanced ')'".into()));
        assert_eq!(err("(a"), (0, "unbalanced '('".into()));
        assert_eq!(err("(a b)"), (3, "expected 'and', 'or' or ')', found 'b'".into()));
        assert_eq!(err("a == 1 2"), (7, "expected 'and', 'or' or end of filter, found '2'".into()));
        assert_eq!(err("a &&"), (4, "expected a field name, found end of filter".into()));
        assert_eq!(err("and"), (0, "expected a field name, found 'and'".into()));
        assert_eq!(err("a in 1"), (5, "expected '{' after 'in', found '1'".into()));
        assert_eq!(err("a in {}"), (5, "empty set".into()));
        assert_eq!(err("a in {1, 2"), (5, "unbalanced '{'".into()));
        assert_eq!(err("a in {1..}"), (9, "expected a value after '..'".into()));
        assert_eq!(err("a in {1 (}"), (8, "expected ',' or '}' in the set, found '('".into()));
        assert_eq!(err("a not 1"), (6, "expected 'in' after 'not', found '1'".into()));
    }

    #[test]
    fn nesting_is_capped() {
        let ok = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}a{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert_eq!(err(&deep), (MAX_NESTING, "filter nested too deeply (more than 64 levels)".into()));
        assert!(parse(&"!".repeat(100_000)).is_err());
        assert!(parse(&"(".repeat(100_000)).is_err());
    }
}
