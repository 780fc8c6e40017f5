//! `-T json` (one array) and `-T ndjson` (one object per line). Schema: docs/json.md.

use super::{digits, endpoints, value_text, FrameView, ProtocolFilter, Sink};
use std::io::{self, Write};
use udpdissect_core::{Dissection, Expert, Field, FieldKind, Value};

pub struct JsonSink<W: Write> {
    w: W,
    array: bool,
    flush_each: bool,
    count: u64,
    s: String,
    /// `-J`: the protocols whose subtrees the records' `fields` keep (all when none is named);
    /// `-j`: the protocols and fields kept, a field's subtree only when it is named.
    filter: ProtocolFilter,
    /// `-x`: each record holds the frame's bytes in hex (`raw`).
    hex: bool,
}

/// Appends `t` as a JSON string: copied as is when nothing needs escaping (field keys, most
/// values), escaped by serde_json otherwise.
pub(crate) fn string(s: &mut String, t: &str) {
    if plain(t.as_bytes()) {
        s.push('"');
        s.push_str(t);
        s.push('"');
    } else {
        s.push_str(&serde_json::to_string(t).expect("strings always serialize"));
    }
}

/// Whether `t` has no byte JSON escapes (a control character, `"`, `\\`): eight bytes at a time,
/// as the Info column and string values are checked on every frame.
fn plain(t: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is below `n` (n ≤ 0x80) when this has its high bit: exact as "any byte".
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let mut words = t.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        let (quote, backslash) = (x ^ (ONES * u64::from(b'"')), x ^ (ONES * u64::from(b'\\')));
        if (below(x, 0x20) | below(quote, 1) | below(backslash, 1)) & HIGH != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

fn value(s: &mut String, f: &Field, bytes: &[u8]) {
    match &f.value {
        Value::None => s.push_str("null"),
        Value::Unsigned(v) | Value::Frame(v) => digits::push_u64(s, *v),
        Value::Signed(v) => digits::push_i64(s, *v),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Float(v) if v.is_finite() => digits::push_float(s, *v),
        Value::Float(_) => s.push_str("null"),
        Value::Enum { value, name } => {
            s.push_str("{\"value\":");
            digits::push_u64(s, *value);
            s.push_str(",\"name\":");
            match name {
                Some(n) => string(s, n),
                None => s.push_str("null"),
            }
            s.push('}');
        }
        Value::Time(ns) if f.info.kind == FieldKind::Date => {
            s.push('"');
            super::time::push_iso_utc(s, *ns);
            s.push('"');
        }
        Value::Time(ns) | Value::Duration(ns) => {
            s.push('"');
            digits::push_seconds(s, *ns, 9);
            s.push('"');
        }
        Value::String(t) => string(s, t),
        // Addresses, hex bytes and UUIDs never need escaping.
        _ => {
            s.push('"');
            value_text(s, f, bytes, false);
            s.push('"');
        }
    }
}

fn expert(s: &mut String, e: &Expert) {
    s.push_str("{\"severity\":");
    string(s, e.severity().name());
    s.push_str(",\"group\":");
    string(s, e.info.group.name());
    s.push_str(",\"tag\":");
    string(s, e.tag());
    s.push_str(",\"message\":");
    string(s, &e.message);
    if let Some((src, off, len)) = e.at {
        position(s, src, off, len);
    }
    s.push('}');
}

/// `,"source":S,"offset":O,"len":L`.
fn position(s: &mut String, source: u16, offset: u32, len: u32) {
    s.push_str(",\"source\":");
    digits::push_u64(s, u64::from(source));
    s.push_str(",\"offset\":");
    digits::push_u64(s, u64::from(offset));
    s.push_str(",\"len\":");
    digits::push_u64(s, u64::from(len));
}

fn experts(s: &mut String, list: &[Expert]) {
    s.push('[');
    for (i, e) in list.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        expert(s, e);
    }
    s.push(']');
}

impl<W: Write> JsonSink<W> {
    pub fn new(w: W, array: bool, flush_each: bool) -> Self {
        JsonSink {
            w,
            array,
            flush_each,
            count: 0,
            s: String::with_capacity(4096),
            filter: ProtocolFilter::default(),
            hex: false,
        }
    }

    /// `-x`: each record holds the frame's bytes in hex, which the fields' positions in source
    /// 0 point into (the derived buffers are in `sources` already).
    pub fn hex(mut self, hex: bool) -> Self {
        self.hex = hex;
        self
    }

    /// `-J` or `-j`: what each record's `fields` keeps.
    pub fn filter(mut self, filter: ProtocolFilter) -> Self {
        self.filter = filter;
        self
    }

    fn open_record(&mut self) {
        self.s.clear();
        if self.array {
            self.s.push_str(if self.count == 0 { "[\n" } else { ",\n" });
        }
        self.count += 1;
    }

    fn emit(&mut self) -> io::Result<()> {
        if !self.array {
            self.s.push('\n');
        }
        self.w.write_all(self.s.as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }
}

/// Writes the flat pre-order field list as nested objects with `children`; with `only`
/// (`-J`), the top-level nodes under those names and what is below them; with `strict` too
/// (`-j`), the nodes with those names whose parents are kept.
fn fields(s: &mut String, v: &FrameView, only: &[String], strict: bool) {
    s.push('[');
    let mut kept = true;
    let mut skip_below = u8::MAX;
    let list = v.out.fields().iter().filter(|f| {
        if strict {
            if f.depth > skip_below {
                return false;
            }
            let named = only.iter().any(|p| p == f.info.key);
            skip_below = if named { u8::MAX } else { f.depth };
            return named;
        }
        if f.depth == 0 {
            kept = only.is_empty() || only.iter().any(|p| udpdissect_core::key_under(f.info.key, p));
        }
        kept
    });
    let mut depth = 0u8;
    let mut any = false;
    for f in list {
        if any {
            if f.depth > depth {
                s.push_str(",\"children\":[");
            } else {
                s.push('}');
                for _ in f.depth..depth {
                    s.push_str("]}");
                }
                s.push(',');
            }
        }
        any = true;
        depth = f.depth;
        // Field keys are dotted names that never need escaping (a test checks every one).
        s.push_str("{\"key\":\"");
        s.push_str(f.info.key);
        s.push('"');
        s.push_str(",\"value\":");
        value(s, f, v.out.source_bytes(v.frame.data, f.source));
        if f.generated {
            s.push_str(",\"generated\":true");
        } else {
            position(s, f.source, f.offset, f.len);
        }
    }
    if any {
        s.push('}');
        for _ in 0..depth {
            s.push_str("]}");
        }
    }
    s.push(']');
}

impl<W: Write> Sink for JsonSink<W> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.open_record();
        let s = &mut self.s;
        let f = v.frame;
        let abs = v.abs_ns;
        s.push_str("{\"frame\":");
        digits::push_u64(s, f.number);
        s.push_str(",\"time\":");
        if f.has_ts {
            s.push('"');
            digits::push_seconds(s, abs, 9);
            s.push('"');
        } else {
            s.push_str("null");
        }
        s.push_str(",\"len\":");
        digits::push_u64(s, u64::from(f.orig_len));
        s.push_str(",\"caplen\":");
        digits::push_u64(s, f.data.len() as u64);
        s.push_str(",\"interface\":");
        digits::push_u64(s, u64::from(f.interface));
        s.push_str(",\"protocol\":");
        string(s, v.out.protocol);
        let (src, dst) = endpoints(v.frame, v.decoded);
        // Addresses never need escaping.
        s.push_str(",\"src\":\"");
        src.push_to(s);
        s.push_str("\",\"dst\":\"");
        dst.push_to(s);
        s.push('"');
        s.push_str(",\"info\":");
        string(s, &v.out.info);
        s.push_str(",\"fields\":");
        fields(s, v, &self.filter.names, !self.filter.children);
        s.push_str(",\"expert\":");
        experts(s, v.out.experts());
        s.push_str(",\"sources\":[");
        for (i, src) in v.out.sources().iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str("{\"id\":");
            digits::push_u64(s, i as u64 + 1);
            s.push_str(",\"name\":");
            string(s, &src.name);
            s.push_str(",\"data\":\"");
            digits::push_hex(s, &src.data);
            s.push_str("\"}");
        }
        s.push(']');
        if self.hex {
            s.push_str(",\"raw\":\"");
            digits::push_hex(s, v.frame.data);
            s.push('"');
        }
        s.push('}');
        self.emit()
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        if !end.experts().is_empty() {
            self.open_record();
            self.s.push_str("{\"end_of_capture\":true,\"expert\":");
            experts(&mut self.s, end.experts());
            self.s.push('}');
            self.emit()?;
        }
        if self.array {
            self.w.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_keys_need_no_escaping() {
        let engine = udpdissect_core::Engine::new(crate::dissectors());
        let keys = crate::list::known_fields(&engine);
        assert!(keys.len() > 300);
        for f in keys {
            let mut s = String::new();
            string(&mut s, f.key);
            assert_eq!(s, format!("\"{}\"", f.key));
        }
    }

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_does() {
        for t in ["heartbeat.uid", "", "a \"quoted\" word", "back\\slash", "tab\there", "\u{1}", "→ ünïcode", "\u{7f}"]
        {
            let mut s = String::new();
            string(&mut s, t);
            assert_eq!(s, serde_json::to_string(t).unwrap(), "{t:?}");
        }
        // Each escaped byte at every position of the eight-byte words, among plain and
        // non-ASCII bytes.
        for special in ['"', '\\', '\u{0}', '\u{1f}', '\n'] {
            for at in 0..20 {
                let mut t: String = "ab→cdéfghijklmnopqrstu".chars().take(20).collect();
                t.insert(t.char_indices().nth(at).map_or(t.len(), |(i, _)| i), special);
                let mut s = String::new();
                string(&mut s, &t);
                assert_eq!(s, serde_json::to_string(&t).unwrap(), "{t:?}");
            }
        }
        assert!(plain("0123456789abcdef \u{7f}\u{80} ÿ→ plain text of some length".as_bytes()));
    }
}
