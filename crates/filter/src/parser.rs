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
    /// A bare operand: the field is present.
    Exists(Operand),
    Compare {
        left: Operand,
        op: Op,
        op_pos: usize,
        op_text: String,
        right: Operand,
    },
    In {
        left: Operand,
        negated: bool,
        items: Vec<SetItem>,
    },
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

    /// `operand`, `operand OP value`, or `operand [not] in {set}`.
    fn test(&mut self) -> Result<Ast, FilterError> {
        let t = self.bump()?;
        let left = match operand(&t) {
            Some(o) => o,
            None => return Err(FilterError::new(t.pos, format!("expected a field name, found {}", t.describe()))),
        };
        let t = self.peek()?;
        if let Some(op) = Op::from_token(&t.tok) {
            let (op_pos, op_text) = (t.pos, t.text.to_string());
            self.bump()?;
            let v = self.bump()?;
            let right =
                operand(&v).ok_or_else(|| FilterError::new(v.pos, format!("expected a value after '{op_text}'")))?;
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

    fn err(src: &str) -> (usize, String) {
        let e = parse(src).unwrap_err();
        (e.pos, e.message)
    }

    #[test]
    fn and_binds_tighter_than_xor_tighter_than_or() {
        let ast = parse("a or b xor c and !d").unwrap();
        let expected = Ast::Or(vec![
            Ast::Exists(word(0, "a")),
            Ast::Xor(vec![
                Ast::Exists(word(5, "b")),
                Ast::And(vec![Ast::Exists(word(11, "c")), Ast::Not(Box::new(Ast::Exists(word(18, "d"))))]),
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
            Ast::Compare { left: word(0, "a"), op: Op::Ge, op_pos: 2, op_text: "ge".into(), right: word(5, "5") }
        );
        let Ast::In { negated, items, .. } = parse("a not in {1 2..3, \"x\"}").unwrap() else { panic!() };
        assert!(negated);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].hi, Some(word(15, "3")));
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
