//! The compiled form of a filter and its evaluation over one frame.
//!
//! Evaluation borrows everything from the dissection and the frame: occurrences are viewed as
//! [`Val`]s (numbers, slices, addresses) and compared against literals converted once at
//! compile time, so matching a frame allocates nothing in the common cases. The one exception
//! is `matches` over bytes that are not valid UTF-8, which are decoded lossily first.

use crate::catalog::Source;
use crate::literal::IpNet;
use regex::Regex;
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
    Exists(Source),
    /// A field against literal values.
    Test {
        source: Source,
        quant: Quant,
        pred: Pred,
    },
    /// A field against another field: every pair of occurrences is considered.
    Pair {
        left: Source,
        quant: Quant,
        op: PairOp,
        right: Source,
    },
}

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
    /// Integers, booleans, enum and frame numbers, times and durations (ns), severities.
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
    /// A number, with the name an enum or severity gives it.
    Int(i128, Option<&'static str>),
    Float(f64),
    Bytes(&'a [u8]),
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
            return Val::Bytes(field_bytes(f, d, frame));
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
            Val::Bytes(b) => Some(b),
            Val::Int(_, Some(name)) => Some(name.as_bytes()),
            _ => None,
        }
    }
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

/// What one pass over a key's occurrences found.
struct Scan {
    /// There was at least one occurrence.
    seen: bool,
    /// The visitor returned true (the pass stopped there).
    hit: bool,
}

/// Visits `src`'s occurrences in order until `visit` returns true.
fn scan<'a>(src: Source, d: &'a Dissection, frame: &'a [u8], mut visit: impl FnMut(Val<'a>) -> bool) -> Scan {
    let mut seen = false;
    let mut each = |v: Val<'a>| {
        seen = true;
        visit(v)
    };
    let fields = d.fields().iter();
    let mut experts = d.experts().iter();
    let hit = match src {
        Source::Field(key) => fields.filter(|f| f.info.key == key).any(|f| each(Val::of(f, d, frame))),
        Source::Alias(keys) => fields.filter(|f| keys.contains(&f.info.key)).any(|f| each(Val::of(f, d, frame))),
        Source::ExpertAny => experts.any(|_| each(Val::None)),
        Source::ExpertTag => experts.any(|e| each(Val::Bytes(e.tag().as_bytes()))),
        Source::ExpertSeverity => {
            experts.any(|e| each(Val::Int(severity_rank(e.severity()), Some(e.severity().name()))))
        }
        Source::ExpertMessage => experts.any(|e| each(Val::Bytes(e.message.as_bytes()))),
        Source::ExpertNamed(tag) => experts.filter(|e| e.tag() == tag).any(|e| each(Val::Bytes(e.message.as_bytes()))),
        Source::ColProtocol => each(Val::Bytes(d.protocol.as_bytes())),
        Source::ColInfo => each(Val::Bytes(d.info.as_bytes())),
    };
    Scan { seen, hit }
}

/// Applies a quantifier: any occurrence whose result differs from `negate`, or (for `all`)
/// at least one occurrence and none whose result equals `negate`.
fn quantify<'a>(q: Quant, src: Source, d: &'a Dissection, frame: &'a [u8], test: impl Fn(Val<'a>) -> bool) -> bool {
    if q.all {
        let s = scan(src, d, frame, |v| test(v) == q.negate);
        s.seen && !s.hit
    } else {
        scan(src, d, frame, |v| test(v) != q.negate).hit
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
            Expr::Exists(src) => scan(*src, d, frame, |_| true).seen,
            Expr::Test { source, quant, pred } => quantify(*quant, *source, d, frame, |v| pred.test(&v)),
            Expr::Pair { left, quant, op, right } => {
                // Look for a passing pair (any) or for a failing one (all).
                let want = !quant.all;
                let mut right_seen = false;
                let s = scan(*left, d, frame, |a| {
                    let r = scan(*right, d, frame, |b| (op.test(&a, &b) != quant.negate) == want);
                    right_seen |= r.seen;
                    r.hit
                });
                if quant.all {
                    s.seen && right_seen && !s.hit
                } else {
                    s.hit
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
            Pred::Matches(re) => v.text().is_some_and(|hay| match std::str::from_utf8(hay) {
                Ok(s) => re.is_match(s),
                Err(_) => re.is_match(&String::from_utf8_lossy(hay)),
            }),
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
    match (v, lit) {
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
    match (a, b) {
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
