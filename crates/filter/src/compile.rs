//! Type-checks the syntax tree against the catalog and converts every literal for the field it
//! meets, so that errors carry positions and evaluation never parses text.

use crate::catalog::{Catalog, Entry, Meant, Source};
use crate::error::FilterError;
use crate::eval::{Expr, Lit, Member, PairOp, Pred, Quant, Read, Rel};
use crate::literal::{self, IntError};
use crate::parser::{ArithOp, Ast, Func, Lexeme, Op, Operand, SetItem, Term, MAX_NESTING};
use regex::bytes::RegexBuilder;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::SocketAddr;
use udpdissect_core::{ExpertGroup, FieldKind};

/// Compiled regular expressions may not grow past this (a hostile pattern is an error, not
/// a memory spike).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// How a field's values compare: which literals it takes and which operators apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Int,
    Bool,
    /// A number with a name; takes either.
    Enum,
    Float,
    /// Nanoseconds since the epoch; literals are seconds or a UTC date-time.
    Time,
    /// Nanoseconds; literals are seconds.
    Duration,
    Text,
    /// Bytes fields and protocol nodes (their byte range).
    Bytes,
    Ip,
    Mac,
    Uuid,
    Sock,
    /// `expert.severity`: names ordered note < warn < error.
    Severity,
    /// `expert.group`: Wireshark's group names (`Checksum`, `Sequence`, …), which have no order.
    Group,
    /// `expert`: only present or absent.
    Presence,
}

impl Class {
    fn of(e: &Entry) -> Class {
        match e.source {
            Source::ExpertAny => return Class::Presence,
            Source::ExpertSeverity => return Class::Severity,
            Source::ExpertGroup => return Class::Group,
            _ => {}
        }
        match e.kind {
            FieldKind::Unsigned | FieldKind::Hex | FieldKind::Signed | FieldKind::Frame => Class::Int,
            FieldKind::Bool => Class::Bool,
            FieldKind::Enum | FieldKind::HexEnum => Class::Enum,
            FieldKind::Float => Class::Float,
            FieldKind::Time | FieldKind::Date => Class::Time,
            FieldKind::Duration => Class::Duration,
            FieldKind::String => Class::Text,
            FieldKind::Bytes | FieldKind::None => Class::Bytes,
            FieldKind::Ip => Class::Ip,
            FieldKind::Mac => Class::Mac,
            FieldKind::Uuid => Class::Uuid,
            FieldKind::SocketAddr => Class::Sock,
        }
    }

    /// Numbers, times and durations: what arithmetic, `max` and `min` take.
    fn numeric(self) -> bool {
        matches!(self, Class::Int | Class::Enum | Class::Bool | Class::Float | Class::Time | Class::Duration)
    }

    fn ordered(self) -> bool {
        !matches!(self, Class::Mac | Class::Uuid | Class::Sock | Class::Group | Class::Presence)
    }

    fn textual(self) -> bool {
        matches!(self, Class::Text | Class::Bytes | Class::Severity | Class::Group)
    }

    /// Whether occurrences of the two classes can be compared with each other.
    fn pairs_with(self, other: Class) -> bool {
        let family = |c| match c {
            Class::Bool | Class::Enum => Class::Int,
            Class::Bytes => Class::Text,
            c => c,
        };
        self != Class::Presence && other != Class::Presence && family(self) == family(other)
    }
}

/// The compiled expression and the keys it reads, in first-use order.
pub(crate) fn compile(ast: &Ast, catalog: &Catalog) -> Result<Compiled, FilterError> {
    let mut c = Compiler { catalog, keys: Vec::new(), findings: false };
    let expr = c.node(ast)?;
    Ok(Compiled { expr, keys: c.keys, findings: c.findings })
}

/// A filter's expression, the keys it reads, and whether it reads findings.
pub(crate) struct Compiled {
    pub expr: Expr,
    pub keys: Vec<&'static str>,
    pub findings: bool,
}

struct Compiler<'c> {
    catalog: &'c Catalog,
    keys: Vec<&'static str>,
    findings: bool,
}

/// A compiled term: what it reads, how its values compare, and how messages name it.
struct Typed {
    value: Read,
    class: Class,
    name: String,
    kind: FieldKind,
}

impl Typed {
    fn field(e: &Entry) -> Typed {
        let value = match e.source {
            // A column compares as the text the summary line shows (an address, a number).
            Source::Column(_) => Read::Text(Box::new(Read::Field(e.source))),
            _ => Read::Field(e.source),
        };
        Typed { value, class: Class::of(e), name: e.key.to_string(), kind: e.kind }
    }
}

fn describe(t: &Typed) -> String {
    // A group compares as one of its names, not as a string.
    let kind = if t.class == Class::Group { "group" } else { t.kind.name() };
    format!("{} ({kind})", t.name)
}

fn presence_only(t: &Typed, pos: usize) -> FilterError {
    let msg = format!(
        "'{}' only tells whether there are findings; compare expert.tag, expert.severity, expert.group or \
         expert.message",
        t.name
    );
    FilterError::new(pos, msg)
}

/// The protocol whose layers a field's occurrences are counted in (`ip` for `ip.src` and
/// `ip.addr`); `None` for what no protocol node holds (findings, columns).
fn layered(e: &Entry) -> Option<&'static str> {
    let key = match e.source {
        Source::Field(key) => key,
        Source::Alias(keys) => keys.first()?,
        Source::UdpPayload => "udp",
        _ => return None,
    };
    Some(key.split('.').next().unwrap_or(key))
}

/// A byte-string literal, or a hex integer of one byte (`0xff`), as tshark takes for bytes.
fn bytes_literal(text: &str) -> Option<Vec<u8>> {
    if let Some(bytes) = literal::parse_bytes(text) {
        return Some(bytes);
    }
    let hex = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
    if hex.is_empty() || hex.len() > 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(hex, 16).ok().map(|b| vec![b])
}

/// Could this word have been meant as a field name (so it deserves suggestions)?
fn looks_like_field(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn lexeme_text(o: &Operand) -> Result<Cow<'_, str>, FilterError> {
    match &o.lexeme {
        Lexeme::Word(w) => Ok(Cow::Borrowed(w)),
        Lexeme::Quoted(b) => std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|_| FilterError::new(o.pos, "string is not valid UTF-8 here")),
    }
}

impl Compiler<'_> {
    fn node(&mut self, ast: &Ast) -> Result<Expr, FilterError> {
        Ok(match ast {
            Ast::True => Expr::True,
            Ast::Or(items) => Expr::Or(self.nodes(items)?),
            Ast::Xor(items) => Expr::Xor(self.nodes(items)?),
            Ast::And(items) => Expr::And(self.nodes(items)?),
            Ast::Not(inner) => Expr::Not(Box::new(self.node(inner)?)),
            Ast::Exists(Term::Call { func, pos, .. }) => {
                let msg =
                    format!("{}() gives a value, not a test: compare it, as in {}(...) > 0", func.name(), func.name());
                return Err(FilterError::new(*pos, msg));
            }
            Ast::Exists(t @ Term::Arith { .. }) => {
                let name = self.typed(t)?.name;
                let msg = format!("{name} is a value, not a test: compare it, as in {name} > 0");
                return Err(FilterError::new(t.pos(), msg));
            }
            Ast::Exists(t @ Term::Mask { .. }) => Expr::Nonzero(self.typed(t)?.value),
            Ast::Exists(t) => Expr::Exists(self.typed(t)?.value),
            Ast::Compare { left, op, op_pos, op_text, right } => self.compare(left, *op, *op_pos, op_text, right)?,
            Ast::In { left, negated, items } => self.set(left, *negated, items)?,
        })
    }

    fn nodes(&mut self, items: &[Ast]) -> Result<Vec<Expr>, FilterError> {
        items.iter().map(|a| self.node(a)).collect()
    }

    /// Resolves a field operand and remembers the keys it reads.
    fn field(&mut self, o: &Operand) -> Result<Entry, FilterError> {
        let word = match &o.lexeme {
            Lexeme::Word(w) => w,
            Lexeme::Quoted(b) => {
                let msg = format!("expected a field name, found \"{}\"", String::from_utf8_lossy(b));
                return Err(FilterError::new(o.pos, msg));
            }
        };
        if let Some(&e) = self.catalog.entry(word) {
            self.record(&e);
            return Ok(e);
        }
        if !looks_like_field(word) {
            return Err(FilterError::new(o.pos, format!("expected a field name, found '{word}'")));
        }
        let mut msg = format!("unknown field '{word}'");
        let near = self.catalog.suggest(word);
        if word.starts_with("_ws.col.") {
            msg.push_str(
                "; the columns a filter reads are _ws.col.number, _ws.col.def_src, _ws.col.def_dst, \
                 _ws.col.protocol, _ws.col.packet_length and _ws.col.info (the time compares as \
                 frame.time_relative, frame.time_delta or frame.time)",
            );
        } else if word == "_ws.expert" || word.starts_with("_ws.expert.") {
            // tshark's names for the findings and their parts: ours drop the `_ws.` prefix.
            let ours = &word["_ws.".len()..];
            if self.catalog.entry(ours).is_some() {
                msg.push_str(&format!("; tshark's {word} is {ours} here"));
            } else {
                msg.push_str(
                    "; the findings' keys are expert, expert.tag, expert.severity, expert.group and expert.message",
                );
            }
        } else if let Some(meant) = self.catalog.meant(word) {
            msg.push_str(&match meant {
                Meant::Case(key) => format!("; filter names are lower case: {key}"),
                Meant::Shown { shown, key } => format!(
                    "; {shown} is what the Protocol column shows for {key} datagrams: filter on {key}, or on the \
                     column itself: _ws.col.protocol == \"{shown}\""
                ),
            });
        } else if !near.is_empty() {
            msg.push_str("; did you mean ");
            msg.push_str(&near.join(", "));
            msg.push('?');
        }
        Err(FilterError::new(o.pos, msg))
    }

    /// Compiles a term that reads the frame: a field, a slice, a function or a mask.
    fn typed(&mut self, t: &Term) -> Result<Typed, FilterError> {
        match t {
            Term::Operand(o) => Ok(Typed::field(&self.field(o)?)),
            Term::Slice { inner, ranges, text, pos } => {
                let inner = self.typed(inner)?;
                if !matches!(inner.class, Class::Bytes | Class::Text | Class::Ip | Class::Mac | Class::Uuid) {
                    let msg = format!(
                        "{} cannot be sliced: slices take bytes, strings, protocols and addresses",
                        describe(&inner)
                    );
                    return Err(FilterError::new(*pos, msg));
                }
                Ok(Typed {
                    name: format!("{}[{text}]", inner.name),
                    value: Read::Slice(Box::new(inner.value), ranges.clone()),
                    class: Class::Bytes,
                    kind: FieldKind::Bytes,
                })
            }
            Term::Layer { inner, ranges, text, pos } => {
                let entry = match &**inner {
                    Term::Operand(o) => self.field(o)?,
                    _ => return Err(FilterError::new(*pos, "'#' takes a layer of a field, such as ip.src#2")),
                };
                let Some(protocol) = layered(&entry) else {
                    let msg = format!("{} has no protocol layers to choose from", entry.key);
                    return Err(FilterError::new(*pos, msg));
                };
                // The protocol's nodes are what layers are counted by: keep them too.
                if !self.keys.contains(&protocol) {
                    self.keys.push(protocol);
                }
                let mut t = Typed::field(&entry);
                t.value = Read::Layer(entry.source, protocol, ranges.clone());
                t.name = format!("{}#{text}", entry.key);
                Ok(t)
            }
            Term::Call { func, args, pos } => self.call(*func, args, *pos),
            Term::Arith { op, left, right, pos } => self.arith(*op, left, right, *pos),
            Term::Mask { inner, mask, pos } => {
                let inner = self.typed(inner)?;
                let text = lexeme_text(mask)?;
                let (lit, class) = match inner.class {
                    Class::Int | Class::Enum | Class::Bool => {
                        let m = literal::parse_int(&text).map_err(|_| {
                            FilterError::new(
                                mask.pos,
                                format!("'{text}' is not an integer mask for {}", describe(&inner)),
                            )
                        })?;
                        (Lit::Int(m), Class::Int)
                    }
                    Class::Bytes => {
                        let m = bytes_literal(&text).ok_or_else(|| {
                            let msg =
                                format!("'{text}' is not a byte-string mask (like 40:ff) for {}", describe(&inner));
                            FilterError::new(mask.pos, msg)
                        })?;
                        (Lit::Bytes(m), Class::Bytes)
                    }
                    _ => {
                        let msg = format!("'&' needs an integer field or a slice; {} is neither", describe(&inner));
                        return Err(FilterError::new(*pos, msg));
                    }
                };
                Ok(Typed {
                    name: format!("{} & {text}", inner.name),
                    value: Read::Mask(Box::new(inner.value), lit),
                    class,
                    kind: inner.kind,
                })
            }
        }
    }

    /// `left OP right`: numbers of one kind, at least one side read from the frame; a literal
    /// side is read as the other side's kind reads it (seconds for times and durations).
    fn arith(&mut self, op: ArithOp, left: &Term, right: &Term, pos: usize) -> Result<Typed, FilterError> {
        let catalog = self.catalog;
        let literal = |t: &Term| -> Option<Operand> {
            match t {
                // A word like a field name is one (an unknown one is reported as such).
                Term::Operand(o) => match &o.lexeme {
                    Lexeme::Word(w) => {
                        (catalog.entry(w).is_none() && !(looks_like_field(w) && w.contains('.'))).then(|| o.clone())
                    }
                    Lexeme::Quoted(_) => Some(o.clone()),
                },
                _ => None,
            }
        };
        let (l_lit, r_lit) = (literal(left), literal(right));
        let numeric = |t: &Typed| -> Result<(), FilterError> {
            if t.class.numeric() {
                return Ok(());
            }
            let msg = format!("'{}' takes numbers, times and durations; {} is not one", op.symbol(), describe(t));
            Err(FilterError::new(pos, msg))
        };
        let (l, r) = match (l_lit, r_lit) {
            (Some(_), Some(_)) => {
                let msg = format!("'{}' needs a field on one side at least", op.symbol());
                return Err(FilterError::new(pos, msg));
            }
            (Some(o), None) => {
                let r = self.typed(right)?;
                numeric(&r)?;
                (self.constant(&r, &o, op)?, r)
            }
            (None, Some(o)) => {
                let l = self.typed(left)?;
                numeric(&l)?;
                let r = self.constant(&l, &o, op)?;
                (l, r)
            }
            (None, None) => {
                let (l, r) = (self.typed(left)?, self.typed(right)?);
                numeric(&l)?;
                numeric(&r)?;
                (l, r)
            }
        };
        if !l.class.pairs_with(r.class) {
            let msg = format!("cannot {} {} and {}", op.symbol(), describe(&l), describe(&r));
            return Err(FilterError::new(pos, msg));
        }
        if !matches!(op, ArithOp::Add | ArithOp::Sub) && matches!(l.class, Class::Time | Class::Duration) {
            let msg = format!("'{}' takes plain numbers; {} is a time", op.symbol(), describe(&l));
            return Err(FilterError::new(pos, msg));
        }
        let class = match l.class {
            Class::Enum | Class::Bool => Class::Int,
            c => c,
        };
        let kind = match class {
            Class::Int => FieldKind::Signed,
            _ => l.kind,
        };
        Ok(Typed {
            name: format!("{} {} {}", l.name, op.symbol(), r.name),
            value: Read::Arith(op, Box::new(l.value), Box::new(r.value)),
            class,
            kind,
        })
    }

    /// A literal in arithmetic with `other`, as a value that yields itself.
    fn constant(&self, other: &Typed, o: &Operand, op: ArithOp) -> Result<Typed, FilterError> {
        let lit = self.ordered_value(other, other.class, o).map_err(|_| {
            let text = lexeme_text(o).map(Cow::into_owned).unwrap_or_default();
            FilterError::new(o.pos, format!("'{text}' is not a number to {} {}", op.symbol(), describe(other)))
        })?;
        Ok(Typed { name: lexeme_text(o)?.into_owned(), value: Read::Const(lit), class: other.class, kind: other.kind })
    }

    fn call(&mut self, func: Func, args: &[Term], pos: usize) -> Result<Typed, FilterError> {
        let name = func.name();
        let many = matches!(func, Func::Max | Func::Min);
        if !many && args.len() != 1 {
            return Err(FilterError::new(pos, format!("{name}() takes one argument, not {}", args.len())));
        }
        let args = args.iter().map(|a| Ok((a.pos(), self.typed(a)?))).collect::<Result<Vec<_>, FilterError>>()?;
        let (arg_pos, arg) = &args[0];
        let wrong = |what: &str| FilterError::new(*arg_pos, format!("{name}() takes {what}; {} is not", describe(arg)));
        let text = format!("{name}({})", args.iter().map(|(_, a)| a.name.as_str()).collect::<Vec<_>>().join(", "));
        let (value, class, kind) = match func {
            Func::Len if arg.class == Class::Presence => return Err(wrong("a field with a value")),
            Func::Len => (Read::Len(Box::new(arg.value.clone())), Class::Int, FieldKind::Unsigned),
            Func::Count => (Read::Count(Box::new(arg.value.clone())), Class::Int, FieldKind::Unsigned),
            Func::Upper | Func::Lower if arg.class != Class::Text => return Err(wrong("a string field")),
            Func::Upper | Func::Lower => {
                (Read::Case(Box::new(arg.value.clone()), func == Func::Upper), Class::Text, FieldKind::String)
            }
            Func::String
                if !matches!(
                    arg.class,
                    Class::Int | Class::Enum | Class::Float | Class::Ip | Class::Mac | Class::Uuid | Class::Sock
                ) =>
            {
                return Err(wrong("a number or an address"))
            }
            Func::String => (Read::Text(Box::new(arg.value.clone())), Class::Text, FieldKind::String),
            Func::Abs if !matches!(arg.class, Class::Int | Class::Float | Class::Duration) => {
                return Err(wrong("a number or a duration"))
            }
            Func::Abs => (Read::Abs(Box::new(arg.value.clone())), arg.class, arg.kind),
            // The parser gives every call one argument at least.
            Func::Max | Func::Min => {
                if let Some((p, a)) = args.iter().find(|(_, a)| !a.class.numeric() || !a.class.pairs_with(arg.class)) {
                    let msg = format!(
                        "{name}() takes numbers of one kind; {} does not go with {}",
                        describe(a),
                        describe(arg)
                    );
                    return Err(FilterError::new(*p, msg));
                }
                let values = args.iter().map(|(_, a)| a.value.clone()).collect();
                (Read::Extreme(values, func == Func::Max), arg.class, arg.kind)
            }
        };
        Ok(Typed { value, class, name: text, kind })
    }

    fn record(&mut self, e: &Entry) {
        self.findings |= matches!(
            e.source,
            Source::ExpertAny
                | Source::ExpertTag
                | Source::ExpertSeverity
                | Source::ExpertGroup
                | Source::ExpertMessage
                | Source::ExpertNamed(_)
        );
        let keys = match e.source {
            Source::Alias(members) => members.to_vec(),
            Source::UdpPayload => crate::catalog::UDP_PAYLOAD_KEYS.to_vec(),
            Source::Column(groups) => groups.concat(),
            _ => vec![e.key],
        };
        for k in keys {
            if !self.keys.contains(&k) {
                self.keys.push(k);
            }
        }
    }

    fn compare(
        &mut self,
        left: &Term,
        op: Op,
        op_pos: usize,
        op_text: &str,
        right: &Term,
    ) -> Result<Expr, FilterError> {
        let field = self.typed(left)?;
        let class = field.class;
        if class == Class::Presence {
            return Err(presence_only(&field, op_pos));
        }
        if op.is_ordering() && !class.ordered() {
            let msg = format!("'{op_text}' does not apply to {}: its values have no order", describe(&field));
            return Err(FilterError::new(op_pos, msg));
        }
        if matches!(op, Op::Contains | Op::Matches) && !class.textual() {
            let msg = format!("'{op_text}' needs a string or bytes field; {} is {}", field.name, field.kind.name());
            return Err(FilterError::new(op_pos, msg));
        }
        let quant = match op {
            Op::Ne => Quant { all: true, negate: true },
            Op::AllEq => Quant { all: true, negate: false },
            Op::AnyNe => Quant { all: false, negate: true },
            _ => Quant { all: false, negate: false },
        };
        let rel = match op {
            Op::Lt => Some(Rel::Lt),
            Op::Le => Some(Rel::Le),
            Op::Gt => Some(Rel::Gt),
            Op::Ge => Some(Rel::Ge),
            _ => None,
        };
        let pair = |right: Read| {
            let op = match (op, rel) {
                (_, Some(rel)) => PairOp::Order(rel),
                (Op::Contains, _) => PairOp::Contains,
                _ => PairOp::Eq,
            };
            Expr::Pair { left: field.value.clone(), quant, op, right }
        };
        let right = match right {
            Term::Operand(o) => o,
            _ if op == Op::Matches => {
                return Err(FilterError::new(right.pos(), "'matches' takes a quoted regular expression"));
            }
            computed => {
                let other = self.typed(computed)?;
                if !class.pairs_with(other.class) {
                    let msg = format!("cannot compare {} with {}", describe(&field), describe(&other));
                    return Err(FilterError::new(computed.pos(), msg));
                }
                return Ok(pair(other.value));
            }
        };
        // A known field on the right is a field-to-field comparison when the two compare;
        // protocol nodes never are, so `_ws.col.protocol == udp` stays a string.
        let right_field = match &right.lexeme {
            Lexeme::Word(w) if op != Op::Matches => {
                self.catalog.entry(w).copied().filter(|e| e.kind != FieldKind::None)
            }
            _ => None,
        };
        if let Some(other) = right_field {
            if class.pairs_with(Class::of(&other)) {
                self.record(&other);
                return Ok(pair(Read::Field(other.source)));
            }
        }
        let pred = match (op, rel) {
            (_, Some(rel)) => self.ordered_value(&field, class, right).map(|lit| Pred::Order(rel, lit)),
            (Op::Contains, _) => self.needle(&field, class, right).map(Pred::Contains),
            (Op::Matches, _) => regex(right).map(Pred::Matches),
            _ => self.value(&field, class, right).map(Pred::Eq),
        };
        let pred = pred.map_err(|e| match right_field {
            // The word named a field after all: say why the two fields do not compare.
            Some(other) => FilterError::new(
                right.pos,
                format!("cannot compare {} with {}", describe(&field), describe(&Typed::field(&other))),
            ),
            None => e,
        })?;
        Ok(Expr::Test { value: field.value, quant, pred })
    }

    fn set(&mut self, left: &Term, negated: bool, items: &[SetItem]) -> Result<Expr, FilterError> {
        let field = self.typed(left)?;
        let class = field.class;
        if class == Class::Presence {
            return Err(presence_only(&field, left.pos()));
        }
        let members = items
            .iter()
            .map(|item| match &item.hi {
                None => self.value(&field, class, &item.lo).map(Member::One),
                Some(_) if !class.ordered() => {
                    let msg = format!("a range needs ordered values; {} has none", describe(&field));
                    Err(FilterError::new(item.lo.pos, msg))
                }
                Some(hi) => Ok(Member::Range(
                    self.ordered_value(&field, class, &item.lo)?,
                    self.ordered_value(&field, class, hi)?,
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        // `not in` is all-not-in, like `!=`: the field must be there and no occurrence in the set.
        let quant = Quant { all: negated, negate: negated };
        Ok(Expr::Test { value: field.value, quant, pred: Pred::In(members) })
    }

    /// A literal that can also be ordered: a number rather than an enum name, an address
    /// rather than a CIDR block.
    fn ordered_value(&self, field: &Typed, class: Class, o: &Operand) -> Result<Lit, FilterError> {
        let lit = self.value(field, class, o)?;
        let text = || lexeme_text(o).map(Cow::into_owned).unwrap_or_default();
        match &lit {
            Lit::Name(_) => {
                let msg = format!("'{}' is not a number; {} orders by value", text(), describe(field));
                Err(FilterError::new(o.pos, msg))
            }
            Lit::Net(net) if !net.is_host() => {
                let msg = format!("'{}' is a CIDR block; ordering needs a single address", text());
                Err(FilterError::new(o.pos, msg))
            }
            _ => Ok(lit),
        }
    }

    /// Converts a literal for equality with `field`'s values.
    fn value(&self, field: &Typed, class: Class, o: &Operand) -> Result<Lit, FilterError> {
        if let (Lexeme::Quoted(b), Class::Text | Class::Bytes) = (&o.lexeme, class) {
            return Ok(Lit::Bytes(b.clone()));
        }
        let text = lexeme_text(o)?;
        let text = text.as_ref();
        let not = |what: &str| FilterError::new(o.pos, format!("'{text}' is not {what} for {}", describe(field)));
        let int = |t: &str| {
            literal::parse_int(t).map_err(|e| match e {
                IntError::NotNumber => not("a number"),
                IntError::NotInteger => not("an integer"),
                IntError::OutOfRange => {
                    FilterError::new(o.pos, format!("'{t}' is out of range for {}", describe(field)))
                }
            })
        };
        Ok(match class {
            Class::Int => Lit::Int(int(text)?),
            Class::Bool if text.eq_ignore_ascii_case("true") => Lit::Int(1),
            Class::Bool if text.eq_ignore_ascii_case("false") => Lit::Int(0),
            Class::Bool => Lit::Int(literal::parse_int(text).map_err(|_| not("a boolean (true, false, 1 or 0)"))?),
            Class::Enum => match literal::parse_int(text) {
                Err(IntError::NotNumber) => Lit::Name(text.to_string()),
                _ => Lit::Int(int(text)?),
            },
            Class::Float => Lit::Float(literal::parse_float(text).ok_or_else(|| not("a number"))?),
            Class::Time => Lit::Int(
                literal::parse_seconds(text)
                    .or_else(|| literal::parse_datetime(text))
                    .or_else(|| literal::parse_tshark_date(text))
                    .ok_or_else(|| {
                        not("a time (seconds since 1970, \"YYYY-MM-DD HH:MM:SS\" or \"Mar  2, 2026 08:01:00\", in UTC)")
                    })?,
            ),
            Class::Duration => Lit::Int(literal::parse_seconds(text).ok_or_else(|| not("a duration in seconds"))?),
            Class::Text => Lit::Bytes(text.as_bytes().to_vec()),
            Class::Bytes => Lit::Bytes(bytes_literal(text).ok_or_else(|| not("a byte string (like aa:bb:cc)"))?),
            Class::Ip => Lit::Net(literal::parse_net(text).map_err(|msg| FilterError::new(o.pos, msg))?),
            Class::Mac => Lit::Mac(literal::parse_mac(text).ok_or_else(|| not("a MAC address"))?),
            Class::Uuid => Lit::Uuid(literal::parse_uuid(text).ok_or_else(|| not("a UUID"))?),
            Class::Sock => {
                Lit::Sock(text.parse::<SocketAddr>().map_err(|_| not("a socket address (like 10.0.0.1:53)"))?)
            }
            Class::Severity => {
                let rank = ["note", "warn", "error"].iter().position(|s| text.eq_ignore_ascii_case(s));
                let rank = rank.ok_or_else(|| {
                    FilterError::new(o.pos, format!("'{text}' is not a severity (note, warn or error)"))
                })?;
                Lit::Int(rank as i128)
            }
            Class::Group => {
                // Matched by name, ignoring case, as severities are (and tshark's value strings).
                let group = ExpertGroup::ALL.iter().find(|g| text.eq_ignore_ascii_case(g.name()));
                let group = group.ok_or_else(|| {
                    let names: Vec<&str> = ExpertGroup::ALL.iter().map(|g| g.name()).collect();
                    FilterError::new(o.pos, format!("'{text}' is not an expert group ({})", names.join(", ")))
                })?;
                Lit::Int(i128::from(group.code()))
            }
            Class::Presence => return Err(presence_only(field, o.pos)),
        })
    }

    /// What `contains` looks for: a quoted string's bytes, a byte string for a bytes field,
    /// or the word itself for a string field.
    fn needle(&self, field: &Typed, class: Class, o: &Operand) -> Result<Vec<u8>, FilterError> {
        match (&o.lexeme, class) {
            (Lexeme::Quoted(b), _) => Ok(b.clone()),
            (Lexeme::Word(w), Class::Bytes) => bytes_literal(w).ok_or_else(|| {
                let msg = format!(
                    "'{w}' is not a byte string (like aa:bb:cc) for {}; quote it to search for text",
                    describe(field)
                );
                FilterError::new(o.pos, msg)
            }),
            (Lexeme::Word(w), _) => Ok(w.as_bytes().to_vec()),
        }
    }
}

fn regex(o: &Operand) -> Result<regex::bytes::Regex, FilterError> {
    // A pattern of UTF-8 text matches as Unicode text. One with other bytes (`"\xe3"`, as
    // tshark takes it) matches byte by byte: each non-ASCII byte becomes an escape for itself.
    let (pattern, unicode) = match &o.lexeme {
        Lexeme::Quoted(b) if std::str::from_utf8(b).is_err() => {
            let mut p = String::with_capacity(b.len() * 4);
            for &c in b {
                if c.is_ascii() {
                    p.push(char::from(c));
                } else {
                    let _ = write!(p, "\\x{c:02X}");
                }
            }
            (Cow::Owned(p), false)
        }
        _ => (lexeme_text(o)?, true),
    };
    // The regex crate compiles nested repetitions and groups by recursion: a pattern nested
    // as deep as its default limit (250) overflows a small thread stack. Filters nest no
    // deeper than MAX_NESTING; neither do their patterns.
    let nest_limit = u32::try_from(MAX_NESTING).unwrap_or(u32::MAX);
    let mut builder = RegexBuilder::new(&pattern);
    builder.size_limit(REGEX_SIZE_LIMIT).nest_limit(nest_limit).unicode(unicode);
    builder.build().map_err(|e| {
        // The crate's message is a multi-line drawing; its last line says what is wrong.
        let full = e.to_string();
        let reason = full.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let reason = reason.strip_prefix("error: ").unwrap_or(reason);
        FilterError::new(o.pos, format!("invalid regular expression: {reason}"))
    })
}
