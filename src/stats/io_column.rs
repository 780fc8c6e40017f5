//! The columns tshark's `io,stat,N,COLUMN,...` adds to the I/O table: a display filter
//! (frames and bytes of the frames it keeps), or `COUNT`, `SUM`, `MIN`, `MAX` or `AVG` of a
//! field, over the frames an optional filter after it keeps (`SUM(udp.length)udp.port==3335`).

use super::table::Val;
use crate::render::FrameView;
use udpdissect_core::{FieldKind, Value};
use udpdissect_filter::{Catalog, Filter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calc {
    Count,
    Sum,
    Min,
    Max,
    Avg,
}

const CALCS: [(&str, Calc); 5] =
    [("COUNT", Calc::Count), ("SUM", Calc::Sum), ("MIN", Calc::Min), ("MAX", Calc::Max), ("AVG", Calc::Avg)];

/// How a field's values add up and show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Int,
    /// Nanoseconds, shown as seconds.
    Seconds,
    Float,
}

#[derive(Debug)]
pub struct IoColumn {
    /// As written, for the header.
    text: String,
    /// The frames counted (every frame when none).
    filter: Option<Filter>,
    /// A function of a field (the keys it stands for), or frames and bytes when none.
    calc: Option<(Calc, Vec<&'static str>, Unit)>,
}

/// One column's tally in one interval.
#[derive(Debug, Clone, Copy, Default)]
pub struct Acc {
    frames: u64,
    bytes: u64,
    /// Values (occurrences) seen.
    n: u64,
    sum: f64,
    isum: i128,
    min: Option<Num>,
    max: Option<Num>,
}

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Acc {
    pub fn merge(&mut self, o: &Acc) {
        self.frames += o.frames;
        self.bytes += o.bytes;
        self.n += o.n;
        self.sum += o.sum;
        self.isum += o.isum;
        for v in o.min.into_iter().chain(o.max) {
            self.value(v);
        }
    }

    fn value(&mut self, v: Num) {
        if self.min.is_none_or(|m| v < m) {
            self.min = Some(v);
        }
        if self.max.is_none_or(|m| v > m) {
            self.max = Some(v);
        }
    }
}

/// Splits `text` at the commas outside quotes, parentheses, brackets and braces.
pub fn split_columns(text: &str) -> Vec<&str> {
    let (mut out, mut depth, mut quoted, mut escaped, mut start) = (Vec::new(), 0i32, false, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth <= 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// A table's or a column's display filter; the error shows where it is wrong.
pub(super) fn compile_filter(expr: &str, catalog: &Catalog) -> Result<Filter, String> {
    Filter::compile(expr, catalog).map_err(|e| format!("bad display filter\n{}", e.render(expr)))
}

impl IoColumn {
    /// Parses and compiles one column; the error names it and points into it.
    pub fn new(text: &str, catalog: &Catalog) -> Result<IoColumn, String> {
        let spec = text.trim();
        if spec.is_empty() {
            return Err("empty: give a display filter or a function such as SUM(udp.length) (or drop the comma)".into());
        }
        let compile = |expr: &str| (!expr.trim().is_empty()).then(|| compile_filter(expr, catalog)).transpose();
        // Upper case, as tshark spells them: `count(x) == 2` is a filter with its function.
        let called = CALCS.iter().find_map(|&(name, calc)| {
            let rest = spec.strip_prefix(name)?;
            rest.trim_start().strip_prefix('(').map(|r| (calc, r))
        });
        let Some((calc, rest)) = called else {
            return Ok(IoColumn { text: spec.to_string(), filter: compile(spec)?, calc: None });
        };
        let (key, filter) = rest.split_once(')').ok_or("a function's field ends with ')', as in SUM(udp.length)")?;
        let key = key.trim();
        let kind = catalog.kind(key).ok_or_else(|| format!("unknown field '{key}' (see --list-fields)"))?;
        let keys = catalog.members(key).ok_or_else(|| format!("{key} is not a field of the tree"))?;
        let unit = match kind {
            FieldKind::Unsigned
            | FieldKind::Hex
            | FieldKind::Signed
            | FieldKind::Frame
            | FieldKind::Enum
            | FieldKind::HexEnum
            | FieldKind::Bool => Unit::Int,
            FieldKind::Time | FieldKind::Date | FieldKind::Duration => Unit::Seconds,
            FieldKind::Float => Unit::Float,
            _ if calc == Calc::Count => Unit::Int,
            other => return Err(format!("{key} is {}: only COUNT takes a field that is not a number", other.name())),
        };
        Ok(IoColumn { text: spec.to_string(), filter: compile(filter)?, calc: Some((calc, keys, unit)) })
    }

    /// The keys the column reads, for the fields a run builds.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys = self.filter.as_ref().map(Filter::keys).unwrap_or_default();
        keys.extend(self.calc.iter().flat_map(|(_, members, _)| members.iter().copied()));
        keys
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn headers(&self) -> Vec<String> {
        match self.calc {
            None => vec![format!("{} frames", self.text), format!("{} bytes", self.text)],
            Some(_) => vec![self.text.clone()],
        }
    }

    pub fn add(&self, v: &FrameView, acc: &mut Acc) {
        if self.filter.as_ref().is_some_and(|f| !f.matches(v.out, v.frame.data)) {
            return;
        }
        acc.frames += 1;
        acc.bytes += u64::from(v.frame.orig_len);
        let Some((calc, keys, _)) = &self.calc else { return };
        let calc = *calc;
        for f in v.out.fields().iter().filter(|f| keys.contains(&f.info.key)) {
            let num = match f.value {
                Value::Unsigned(n) | Value::Frame(n) | Value::Enum { value: n, .. } => Num::Int(n.into()),
                Value::Signed(n) | Value::Time(n) | Value::Duration(n) => Num::Int(n.into()),
                Value::Bool(b) => Num::Int(b.into()),
                Value::Float(x) => Num::Float(x),
                _ if calc == Calc::Count => Num::Int(0),
                _ => continue,
            };
            acc.n += 1;
            match num {
                Num::Int(i) => acc.isum += i,
                Num::Float(x) => acc.sum += x,
            }
            acc.value(num);
        }
    }

    pub fn cells(&self, acc: &Acc, out: &mut Vec<Val>) {
        let Some(&(calc, _, unit)) = self.calc.as_ref() else {
            out.extend([Val::UInt(acc.frames), Val::UInt(acc.bytes)]);
            return;
        };
        let show = |n: Option<Num>| match (n, unit) {
            (None, _) => Val::Empty,
            (Some(Num::Int(i)), Unit::Seconds) => Val::Seconds(i64::try_from(i).unwrap_or(i64::MAX)),
            (Some(Num::Int(i)), _) => Val::Int(i64::try_from(i).unwrap_or(if i < 0 { i64::MIN } else { i64::MAX })),
            (Some(Num::Float(x)), _) => Val::Float(x, 6),
        };
        let total = || match unit {
            Unit::Float => Num::Float(acc.sum),
            _ => Num::Int(acc.isum),
        };
        out.push(match calc {
            Calc::Count => Val::UInt(acc.n),
            Calc::Sum => show(Some(total())),
            Calc::Min => show(acc.min),
            Calc::Max => show(acc.max),
            // Integers average to an integer, truncated, as in tshark.
            Calc::Avg if acc.n == 0 => Val::Empty,
            Calc::Avg => show(Some(match total() {
                Num::Int(i) => Num::Int(i / i128::from(acc.n)),
                Num::Float(x) => Num::Float(x / acc.n as f64),
            })),
        });
    }
}
