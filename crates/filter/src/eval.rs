//! The compiled form of a filter and its evaluation over one frame.
//!
//! Evaluation borrows everything from the dissection and the frame: occurrences are viewed as
//! [`Val`]s (numbers, slices, addresses) and compared against literals converted once at
//! compile time, so matching a frame allocates nothing in the common cases.

use crate::catalog::Source;
use crate::literal::IpNet;
use crate::parser::{ArithOp, Range};
use regex::bytes::Regex;
use std::cmp::Ordering;
use std::net::{IpAddr, SocketAddr};
use udpdissect_core::{Dissection, Field, FieldKind, Severity, Value};

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    True,
    Or(Vec<Expr>),
    Xor(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Exists(Read),
    /// A masked value is not zero (`tcp.flags & 0x02`).
    Nonzero(Read),
    /// A value against literals.
    Test {
        value: Read,
        quant: Quant,
        pred: Pred,
    },
    /// A value against another: every pair of occurrences is considered.
    Pair {
        left: Read,
        quant: Quant,
        op: PairOp,
        right: Read,
    },
}

/// What a test reads: a key's occurrences, or values computed from them, one per occurrence
/// unless said otherwise.
#[derive(Debug, Clone)]
pub(crate) enum Read {
    Field(Source),
    /// The occurrences in these layers of the protocol (`ip` for `ip.src#2`).
    Layer(Source, &'static str, Vec<Range>),
    /// The bytes at the ranges, joined; an occurrence too short for any range gives nothing.
    Slice(Box<Read>, Vec<Range>),
    /// Bytes of a string, bytes or protocol; the wire length of any other field.
    Len(Box<Read>),
    /// How many occurrences (one value, none when there are none, as in tshark).
    Count(Box<Read>),
    /// ASCII upper case (true) or lower case.
    Case(Box<Read>, bool),
    /// The value as text: numbers in decimal, addresses as written.
    Text(Box<Read>),
    Abs(Box<Read>),
    /// The largest (true) or smallest of every occurrence of every argument: one value.
    Extreme(Vec<Read>, bool),
    /// Bitwise AND with an integer, or with bytes as long as the slice.
    Mask(Box<Read>, Lit),
    /// Every pair of the two sides' values (none for a division by zero or an overflow).
    Arith(ArithOp, Box<Read>, Box<Read>),
    /// A number in arithmetic: one value.
    Const(Lit),
}

/// Visits values until it returns true; borrows nothing past the call, so computed values
/// can live on the stack.
type Visit<'v> = dyn for<'x> FnMut(Val<'x>) -> bool + 'v;

/// How the per-occurrence results combine, tshark's `any_*` and `all_*` operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quant {
    /// Every occurrence must pass (and there must be one), instead of any occurrence.
    pub all: bool,
    /// Each occurrence passes when the predicate is false (`!=` is all-not-equal).
    pub negate: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Pred {
    Eq(Lit),
    Order(Rel, Lit),
    Contains(Vec<u8>),
    Matches(Regex),
    In(Vec<Member>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Rel {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Rel::Lt => o.is_lt(),
            Rel::Le => o.is_le(),
            Rel::Gt => o.is_gt(),
            Rel::Ge => o.is_ge(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairOp {
    Eq,
    Order(Rel),
    Contains,
}

#[derive(Debug, Clone)]
pub(crate) enum Member {
    One(Lit),
    /// Inclusive at both ends.
    Range(Lit, Lit),
}

/// A literal converted for the field it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    /// Integers, booleans, enum and frame numbers, times and durations (ns), severities (by
    /// rank) and expert groups (by Wireshark's number).
    Int(i128),
    /// An enum value's name (`dead`), matched ASCII-case-insensitively like a value_string.
    Name(String),
    Float(f64),
    /// String and byte fields both compare as bytes.
    Bytes(Vec<u8>),
    Net(IpNet),
    Mac([u8; 6]),
    Uuid([u8; 16]),
    Sock(SocketAddr),
}

/// One occurrence's value, borrowed from the dissection or the frame.
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    /// A number, with the name an enum, severity or expert group gives it.
    Int(i128, Option<&'static str>),
    Float(f64),
    Bytes(&'a [u8]),
    /// A protocol node: its own bytes (compared, sliced, measured), and the bytes `contains`
    /// and `matches` search, which as in tshark run on to the end of what the protocol
    /// carries (`udp contains` looks in the payload too).
    Proto(&'a [u8], &'a [u8]),
    Ip(IpAddr),
    Mac(&'a [u8; 6]),
    Uuid(&'a [u8; 16]),
    Sock(SocketAddr),
    /// Present without a comparable value (`expert`, or a value of an unexpected variant).
    None,
}

impl<'a> Val<'a> {
    fn of(f: &'a Field, d: &'a Dissection, frame: &'a [u8]) -> Val<'a> {
        // Protocol nodes compare as their bytes even when they carry a summary string.
        if f.info.kind == FieldKind::None {
            return Val::Proto(field_bytes(f, d, frame), carried_bytes(f, d, frame));
        }
        match &f.value {
            Value::Unsigned(v) | Value::Frame(v) => Val::Int(i128::from(*v), None),
            Value::Signed(v) | Value::Time(v) | Value::Duration(v) => Val::Int(i128::from(*v), None),
            Value::Bool(b) => Val::Int(i128::from(*b), None),
            Value::Enum { value, name } => Val::Int(i128::from(*value), *name),
            Value::Float(v) => Val::Float(*v),
            Value::Bytes => Val::Bytes(field_bytes(f, d, frame)),
            Value::String(s) => Val::Bytes(s.as_bytes()),
            Value::Uuid(u) => Val::Uuid(u),
            Value::Ip(ip) => Val::Ip(*ip),
            Value::SocketAddr(s) => Val::Sock(*s),
            Value::Mac(m) => Val::Mac(m),
            Value::None => Val::None,
        }
    }

    /// The text `contains` and `matches` look at.
    fn text(&self) -> Option<&'a [u8]> {
        match *self {
            Val::Bytes(b) | Val::Proto(_, b) => Some(b),
            Val::Int(_, Some(name)) => Some(name.as_bytes()),
            _ => None,
        }
    }

    /// A protocol node as its own bytes, anything else as it is.
    fn plain(self) -> Val<'a> {
        match self {
            Val::Proto(own, _) => Val::Bytes(own),
            v => v,
        }
    }
}

/// What a protocol node carries, from its start: as far as its length field says for UDP (to
/// the end of its data when the field is less than a header), IPv4 and IPv6; to the end of its
/// data for the link layers and TCP (whose payload runs to the end of the IP datagram); its
/// own bytes for the others (whose nodes span what they carry). Clamped to the data source: a
/// quoted datagram carries what its quote holds.
fn carried_bytes<'a>(f: &Field, d: &'a Dissection, frame: &'a [u8]) -> &'a [u8] {
    let data = d.source_bytes(frame, f.source);
    let start = (f.offset as usize).min(data.len());
    let at = |i: usize| data.get(start + i..start + i + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
    let rest = data.len() - start;
    let len = match f.info.key {
        "udp" => Some(at(4).filter(|&n| n >= 8).unwrap_or(rest)),
        "ip" => at(2),
        "ipv6" => at(4).map(|n| n + 40),
        "eth" | "vlan" | "ieee8021ad" | "sll" | "null" | "tcp" => Some(rest),
        _ => None,
    };
    let end = start.saturating_add(len.unwrap_or(f.len as usize)).min(data.len());
    &data[start..end]
}

/// The bytes a field's range covers, clamped to its data source.
fn field_bytes<'a>(f: &Field, d: &'a Dissection, frame: &'a [u8]) -> &'a [u8] {
    let data = d.source_bytes(frame, f.source);
    let start = (f.offset as usize).min(data.len());
    let end = start.saturating_add(f.len as usize).min(data.len());
    &data[start..end]
}

fn severity_rank(s: Severity) -> i128 {
    match s {
        Severity::Note => 0,
        Severity::Warn => 1,
        Severity::Error => 2,
    }
}

/// Which layers of which protocol to read (`ip.src#2`): the protocol's key and the ranges of
/// layer numbers, counted from 1 (negative ones from the last).
type Layers<'l> = Option<(&'static str, &'l [Range])>;

/// Whether layer `n` (from 1) of `count` is in `ranges`.
fn in_layers(ranges: &[Range], n: usize, count: usize) -> bool {
    let (n, count) = (n as i64, count as i64);
    let at = |i: i64| if i < 0 { count + 1 + i } else { i };
    ranges.iter().any(|r| match *r {
        Range::Len { start, len } => n >= at(start) && len.is_none_or(|len| n < at(start).saturating_add(len as i64)),
        Range::To { start, end } => n >= at(start) && n <= at(end),
    })
}

/// Each field with the layer of `protocol` it lies in: the number (from 1) of the innermost
/// `protocol` node around it (or of the node itself), `None` outside every one.
fn with_layers<'a>(fields: &'a [Field], protocol: &'static str) -> impl Iterator<Item = (&'a Field, Option<usize>)> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut count = 0;
    fields.iter().map(move |f| {
        while open.last().is_some_and(|&(depth, _)| depth >= f.depth) {
            open.pop();
        }
        if f.info.key == protocol && f.info.kind == FieldKind::None {
            count += 1;
            open.push((f.depth, count));
        }
        (f, open.last().map(|&(_, n)| n))
    })
}

/// Visits the occurrences of `src` in order (in `layers` only, when given), each with its
/// length in bytes (the text of a string, the range of bytes and protocols, the wire length of
/// anything else), until `visit` returns true; returns whether it did.
fn each_field<'a>(
    src: Source,
    layers: Layers<'_>,
    d: &'a Dissection,
    frame: &'a [u8],
    visit: &mut dyn FnMut(Val<'a>, usize) -> bool,
) -> bool {
    type Visitor<'v, 'a> = &'v mut dyn FnMut(Val<'a>, usize) -> bool;
    let field = |visit: Visitor<'_, 'a>, f: &'a Field| {
        let v = Val::of(f, d, frame);
        let len = match v {
            Val::Bytes(b) | Val::Proto(b, _) => b.len(),
            _ => f.len as usize,
        };
        visit(v, len)
    };
    let text = |visit: Visitor<'_, 'a>, t: &'a [u8]| visit(Val::Bytes(t), t.len());
    let named = |f: &Field| match src {
        Source::Field(key) => f.info.key == key,
        Source::Alias(keys) => keys.contains(&f.info.key),
        _ => false,
    };
    if let Some((protocol, ranges)) = layers {
        let all = d.fields();
        let count = all.iter().filter(|f| f.info.key == protocol && f.info.kind == FieldKind::None).count();
        let wanted = |n: Option<usize>| n.is_some_and(|n| in_layers(ranges, n, count));
        return match src {
            Source::UdpPayload => {
                udp_payloads(d, frame).enumerate().any(|(i, p)| wanted(Some(i + 1)) && text(visit, p))
            }
            _ => with_layers(all, protocol).any(|(f, n)| named(f) && wanted(n) && field(visit, f)),
        };
    }
    let mut fields = d.fields().iter();
    let mut experts = d.experts().iter();
    match src {
        Source::Field(_) | Source::Alias(_) => fields.any(|f| named(f) && field(visit, f)),
        Source::ExpertAny => experts.any(|_| visit(Val::None, 0)),
        Source::ExpertTag => experts.any(|e| text(visit, e.tag().as_bytes())),
        Source::ExpertSeverity => experts.any(|e| {
            let name = e.severity().name();
            visit(Val::Int(severity_rank(e.severity()), Some(name)), name.len())
        }),
        Source::ExpertGroup => experts.any(|e| {
            let group = e.info.group;
            visit(Val::Int(i128::from(group.code()), Some(group.name())), group.name().len())
        }),
        Source::ExpertMessage => experts.any(|e| text(visit, e.message.as_bytes())),
        Source::ExpertNamed(tag) => experts.any(|e| e.tag() == tag && text(visit, e.message.as_bytes())),
        Source::ColProtocol => text(visit, d.protocol.as_bytes()),
        Source::ColInfo => text(visit, d.info.as_bytes()),
        Source::Column(groups) => {
            let first = groups.iter().find_map(|keys| d.fields().iter().find(|f| keys.contains(&f.info.key)));
            first.is_some_and(|f| field(visit, f))
        }
        Source::UdpPayload => udp_payloads(d, frame).any(|p| text(visit, p)),
    }
}

/// Each UDP datagram's payload: what a `udp` node carries (`carried_bytes`) after its header.
pub fn udp_payloads<'a>(d: &'a Dissection, frame: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    d.fields()
        .iter()
        .filter(|f| f.info.key == "udp" && f.info.kind == FieldKind::None)
        .map(move |f| carried_bytes(f, d, frame).get(f.len as usize..).unwrap_or_default())
}

/// The bytes a slice is taken from: bytes and strings as they are, addresses as on the wire.
fn with_bytes<R>(v: Val<'_>, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    match v {
        Val::Bytes(b) | Val::Proto(b, _) => Some(f(b)),
        Val::Ip(IpAddr::V4(a)) => Some(f(&a.octets())),
        Val::Ip(IpAddr::V6(a)) => Some(f(&a.octets())),
        Val::Mac(m) => Some(f(m)),
        Val::Uuid(u) => Some(f(u)),
        _ => None,
    }
}

/// `bytes` at `ranges`, joined; `None` when a range falls outside them.
fn slice<'b>(bytes: &'b [u8], ranges: &[Range], joined: &'b mut Vec<u8>) -> Option<&'b [u8]> {
    let n = bytes.len() as i64;
    let at = |i: i64| if i < 0 { n + i } else { i };
    let span = |r: &Range| -> Option<(usize, usize)> {
        let (start, end) = match *r {
            Range::Len { start, len: Some(len) } => (at(start), at(start).checked_add(i64::try_from(len).ok()?)?),
            Range::Len { start, len: None } => (at(start), n),
            Range::To { start, end } => (at(start), at(end).checked_add(1)?),
        };
        (0 <= start && start < end && end <= n).then_some((start as usize, end as usize))
    };
    if let [one] = ranges {
        let (start, end) = span(one)?;
        return Some(&bytes[start..end]);
    }
    joined.clear();
    for r in ranges {
        let (start, end) = span(r)?;
        joined.extend_from_slice(&bytes[start..end]);
    }
    Some(joined)
}

impl Read {
    /// A field read as it is (in its layers, when chosen): what [`each_field`] visits.
    fn source(&self) -> Option<(Source, Layers<'_>)> {
        match self {
            Read::Field(src) => Some((*src, None)),
            Read::Layer(src, protocol, ranges) => Some((*src, Some((protocol, ranges)))),
            _ => None,
        }
    }

    /// Visits this value's occurrences in order until `visit` returns true; returns whether
    /// it did.
    fn each(&self, d: &Dissection, frame: &[u8], visit: &mut Visit<'_>) -> bool {
        match self {
            Read::Field(src) => each_field(*src, None, d, frame, &mut |v, _| visit(v)),
            Read::Layer(src, protocol, ranges) => {
                each_field(*src, Some((protocol, ranges)), d, frame, &mut |v, _| visit(v))
            }
            Read::Slice(inner, ranges) => {
                let mut joined = Vec::new();
                inner.each(d, frame, &mut |v| {
                    with_bytes(v, |b| slice(b, ranges, &mut joined).is_some_and(|s| visit(Val::Bytes(s))))
                        .unwrap_or(false)
                })
            }
            Read::Len(inner) => match inner.source() {
                Some((src, layers)) => {
                    each_field(src, layers, d, frame, &mut |_, len| visit(Val::Int(len as i128, None)))
                }
                None => inner.each(d, frame, &mut |v| {
                    with_bytes(v, |b| b.len()).is_some_and(|len| visit(Val::Int(len as i128, None)))
                }),
            },
            Read::Count(inner) => {
                let mut n = 0i128;
                inner.each(d, frame, &mut |_| {
                    n += 1;
                    false
                });
                n > 0 && visit(Val::Int(n, None))
            }
            Read::Case(inner, upper) => {
                let mut buf = Vec::new();
                inner.each(d, frame, &mut |v| match v.plain() {
                    Val::Bytes(b) => {
                        buf.clear();
                        buf.extend(
                            b.iter().map(|c| if *upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }),
                        );
                        visit(Val::Bytes(&buf))
                    }
                    _ => false,
                })
            }
            Read::Text(inner) => {
                let mut buf = String::new();
                inner.each(d, frame, &mut |v| {
                    buf.clear();
                    text_of(&v, &mut buf) && visit(Val::Bytes(buf.as_bytes()))
                })
            }
            Read::Abs(inner) => inner.each(d, frame, &mut |v| match v {
                Val::Int(i, _) => visit(Val::Int(i.abs(), None)),
                Val::Float(f) => visit(Val::Float(f.abs())),
                _ => false,
            }),
            Read::Extreme(args, max) => {
                let want = if *max { Ordering::Greater } else { Ordering::Less };
                let mut best: Option<Val<'static>> = None;
                for arg in args {
                    arg.each(d, frame, &mut |v| {
                        let n = match v {
                            Val::Int(i, _) => Val::Int(i, None),
                            Val::Float(f) => Val::Float(f),
                            _ => return false,
                        };
                        if best.as_ref().is_none_or(|b| compare_vals(&n, b) == Some(want)) {
                            best = Some(n);
                        }
                        false
                    });
                }
                best.is_some_and(&mut *visit)
            }
            Read::Const(Lit::Int(i)) => visit(Val::Int(*i, None)),
            Read::Const(Lit::Float(f)) => visit(Val::Float(*f)),
            Read::Const(_) => false,
            Read::Arith(op, left, right) => {
                left.each(d, frame, &mut |a| right.each(d, frame, &mut |b| arith(*op, &a, &b).is_some_and(&mut *visit)))
            }
            Read::Mask(inner, mask) => {
                let mut buf = Vec::new();
                inner.each(d, frame, &mut |v| match (v, mask) {
                    (Val::Int(i, _), Lit::Int(m)) => visit(Val::Int(i & m, None)),
                    (v, Lit::Bytes(m)) => with_bytes(v, |b| {
                        b.len() == m.len() && {
                            buf.clear();
                            buf.extend(b.iter().zip(m).map(|(x, y)| x & y));
                            visit(Val::Bytes(&buf))
                        }
                    })
                    .unwrap_or(false),
                    _ => false,
                })
            }
        }
    }

    /// Whether there was an occurrence, and whether `test` held for one (the pass stops there).
    fn seen_and_hit(&self, d: &Dissection, frame: &[u8], mut test: impl FnMut(Val<'_>) -> bool) -> (bool, bool) {
        let mut seen = false;
        let hit = self.each(d, frame, &mut |v| {
            seen = true;
            test(v)
        });
        (seen, hit)
    }
}

/// `a OP b` for two numbers of one kind.
fn arith(op: ArithOp, a: &Val<'_>, b: &Val<'_>) -> Option<Val<'static>> {
    match (a, b) {
        (Val::Int(x, _), Val::Int(y, _)) => {
            let v = match op {
                ArithOp::Add => x.checked_add(*y),
                ArithOp::Sub => x.checked_sub(*y),
                ArithOp::Mul => x.checked_mul(*y),
                ArithOp::Div => x.checked_div(*y),
                ArithOp::Rem => x.checked_rem(*y),
            }?;
            Some(Val::Int(v, None))
        }
        (Val::Float(x), Val::Float(y)) => {
            let v = match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            };
            v.is_finite().then_some(Val::Float(v))
        }
        _ => None,
    }
}

/// `string()`'s text of a value: numbers in decimal, addresses as written.
fn text_of(v: &Val<'_>, out: &mut String) -> bool {
    use std::fmt::Write as _;
    let _ = match v {
        Val::Int(i, _) => write!(out, "{i}"),
        Val::Float(f) => write!(out, "{f}"),
        Val::Ip(ip) => write!(out, "{ip}"),
        Val::Sock(s) => write!(out, "{s}"),
        Val::Mac(m) => write!(out, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]),
        Val::Uuid(u) => {
            for (i, b) in u.iter().enumerate() {
                if matches!(i, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                let _ = write!(out, "{b:02x}");
            }
            Ok(())
        }
        Val::Bytes(_) | Val::Proto(..) | Val::None => return false,
    };
    true
}

/// Applies a quantifier: any occurrence whose result differs from `negate`, or (for `all`)
/// at least one occurrence and none whose result equals `negate`.
fn quantify(q: Quant, value: &Read, d: &Dissection, frame: &[u8], test: impl Fn(&Val<'_>) -> bool) -> bool {
    if q.all {
        let (seen, hit) = value.seen_and_hit(d, frame, |v| test(&v) == q.negate);
        seen && !hit
    } else {
        value.each(d, frame, &mut |v| test(&v) != q.negate)
    }
}

impl Expr {
    pub fn eval(&self, d: &Dissection, frame: &[u8]) -> bool {
        match self {
            Expr::True => true,
            Expr::Or(items) => items.iter().any(|e| e.eval(d, frame)),
            Expr::And(items) => items.iter().all(|e| e.eval(d, frame)),
            Expr::Xor(items) => items.iter().fold(false, |acc, e| acc ^ e.eval(d, frame)),
            Expr::Not(inner) => !inner.eval(d, frame),
            Expr::Exists(value) => value.each(d, frame, &mut |_| true),
            Expr::Nonzero(value) => value.each(d, frame, &mut |v| match v {
                Val::Int(i, _) => i != 0,
                Val::Bytes(b) | Val::Proto(b, _) => b.iter().any(|&x| x != 0),
                _ => false,
            }),
            Expr::Test { value, quant, pred } => quantify(*quant, value, d, frame, |v| pred.test(v)),
            Expr::Pair { left, quant, op, right } => {
                // Look for a passing pair (any) or for a failing one (all).
                let want = !quant.all;
                let mut right_seen = false;
                let (seen, hit) = left.seen_and_hit(d, frame, |a| {
                    let (r_seen, r_hit) = right.seen_and_hit(d, frame, |b| (op.test(&a, &b) != quant.negate) == want);
                    right_seen |= r_seen;
                    r_hit
                });
                if quant.all {
                    seen && right_seen && !hit
                } else {
                    hit
                }
            }
        }
    }
}

impl Pred {
    fn test(&self, v: &Val<'_>) -> bool {
        match self {
            Pred::Eq(lit) => equals(v, lit),
            Pred::Order(rel, lit) => order(v, lit).is_some_and(|o| rel.holds(o)),
            Pred::Contains(needle) => v.text().is_some_and(|hay| contains(hay, needle)),
            Pred::Matches(re) => v.text().is_some_and(|hay| re.is_match(hay)),
            Pred::In(members) => members.iter().any(|m| match m {
                Member::One(lit) => equals(v, lit),
                Member::Range(lo, hi) => {
                    order(v, lo).is_some_and(Ordering::is_ge) && order(v, hi).is_some_and(Ordering::is_le)
                }
            }),
        }
    }
}

impl PairOp {
    fn test(self, a: &Val<'_>, b: &Val<'_>) -> bool {
        match self {
            PairOp::Eq => compare_vals(a, b) == Some(Ordering::Equal),
            PairOp::Order(rel) => compare_vals(a, b).is_some_and(|o| rel.holds(o)),
            PairOp::Contains => match (a.text(), b.text()) {
                (Some(hay), Some(needle)) => contains(hay, needle),
                _ => false,
            },
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

fn equals(v: &Val<'_>, lit: &Lit) -> bool {
    match (v, lit) {
        (Val::Ip(ip), Lit::Net(net)) => net.contains(*ip),
        (Val::Int(_, Some(name)), Lit::Name(want)) => name.eq_ignore_ascii_case(want),
        _ => order(v, lit) == Some(Ordering::Equal),
    }
}

/// Orders an occurrence against a literal of the same family; `None` when they cannot be
/// compared (another variant, another address family, NaN), which fails every comparison.
fn order(v: &Val<'_>, lit: &Lit) -> Option<Ordering> {
    match (&v.plain(), lit) {
        (Val::Int(a, _), Lit::Int(b)) => Some(a.cmp(b)),
        (Val::Float(a), Lit::Float(b)) => a.partial_cmp(b),
        (Val::Bytes(a), Lit::Bytes(b)) => Some((*a).cmp(&b[..])),
        (Val::Ip(a), Lit::Net(net)) if net.is_host() => ip_order(*a, net.addr),
        (Val::Mac(a), Lit::Mac(b)) => Some((*a).cmp(b)),
        (Val::Uuid(a), Lit::Uuid(b)) => Some((*a).cmp(b)),
        (Val::Sock(a), Lit::Sock(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn compare_vals(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (&a.plain(), &b.plain()) {
        (Val::Int(a, _), Val::Int(b, _)) => Some(a.cmp(b)),
        (Val::Float(a), Val::Float(b)) => a.partial_cmp(b),
        (Val::Bytes(a), Val::Bytes(b)) => Some(a.cmp(b)),
        (Val::Ip(a), Val::Ip(b)) => ip_order(*a, *b),
        (Val::Mac(a), Val::Mac(b)) => Some(a.cmp(b)),
        (Val::Uuid(a), Val::Uuid(b)) => Some(a.cmp(b)),
        (Val::Sock(a), Val::Sock(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

/// Addresses order numerically within a family; an IPv4 and an IPv6 address are unrelated.
fn ip_order(a: IpAddr, b: IpAddr) -> Option<Ordering> {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Some(a.cmp(&b)),
        (IpAddr::V6(a), IpAddr::V6(b)) => Some(a.cmp(&b)),
        _ => None,
    }
}
