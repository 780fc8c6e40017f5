//! The diff as text (for people) or as one JSON document (schema version 1, docs/diff.md),
//! and `--explain`.

use super::collect::{direction_text, FieldRec, Message};
use super::compare::{FieldDiff, Rules};
use super::hints::spaced;
use super::{dir_from_index, Capture, Outcome, Pair, MAX_ALIGNED};
use serde_json::{json, Value as Json};
use std::io::{self, Write};
use udpdissect_core::{Hex, ProtocolInfo};

/// JSON schema version of the report.
pub const SCHEMA_VERSION: u32 = 1;

/// What the report shows besides the differences.
pub struct View<'a> {
    pub ours: &'a Capture,
    pub theirs: &'a Capture,
    pub rules: &'a Rules,
    /// `--bytes`: a byte-for-byte hex diff of each differing pair.
    pub bytes: bool,
}

/// Notes on what could not be compared: damage, limits, empty captures.
pub fn notes(view: &View, out: &Outcome) -> Vec<String> {
    let mut notes = Vec::new();
    for (who, c) in [("ours", view.ours), ("theirs", view.theirs)] {
        if let Some(d) = &c.got.damage {
            notes.push(format!(
                "{who} ({}) is damaged: {d}; only the {} frames before the damage were compared",
                c.name, c.got.frames
            ));
        }
        if c.got.dropped > 0 {
            notes.push(format!(
                "{who}: {} messages past the limit of {} messages (or {} MiB) per capture were not recorded",
                c.got.dropped,
                super::collect::MAX_MESSAGES,
                super::collect::MAX_BYTES >> 20
            ));
        }
        let lost =
            [("its interfaces' statistics", c.got.lost_by_statistics), ("its drop counts", c.got.lost_by_drop_counts)];
        let lost: Vec<String> =
            lost.iter().filter_map(|(by, n)| n.filter(|&n| n > 0).map(|n| format!("{n} by {by}"))).collect();
        if !lost.is_empty() {
            notes.push(format!(
                "{who} ({}): the capture itself lost packets ({}): a message missing from it, or a gap in its \
                 sequence numbers, may be the capture's, not the {}",
                c.name,
                lost.join(", "),
                if who == "ours" { "client's" } else { "peer's" }
            ));
        }
        if c.got.messages.is_empty() && c.got.dropped == 0 {
            notes.push(format!(
                "{who} has no application-protocol messages (wrong capture, or a port that needs -d udp.port==N,PROTO?)"
            ));
        }
    }
    let (a, b) = out.not_aligned;
    if a + b > 0 {
        notes.push(format!(
            "only the first {MAX_ALIGNED} messages per protocol and direction were aligned: {a} of ours and {b} of theirs were not compared"
        ));
    }
    notes
}

fn absent_or(f: Option<&FieldRec>, text: impl Fn(&FieldRec) -> String) -> String {
    f.map_or_else(|| "(absent)".to_string(), text)
}

fn key_text(f: &FieldDiff) -> String {
    if f.occurrence == 0 {
        f.key.to_string()
    } else {
        format!("{} #{}", f.key, f.occurrence + 1)
    }
}

fn pair_title(p: &Pair) -> String {
    format!(
        "{} {} {}: ours frame {}, theirs frame {}",
        p.ours.protocol,
        direction_text(p.ours.direction),
        p.ours.kind(),
        p.ours.frame,
        p.theirs.frame
    )
}

fn location(who: &str, m: &Message, f: Option<&FieldRec>) -> String {
    match f {
        Some(f) if f.generated => format!("{who:<6} frame {} (generated)", m.frame),
        Some(f) => format!("{who:<6} frame {} {}  {}", m.frame, f.position(), spaced(&f.bytes)),
        None => format!("{who:<6} frame {} (absent)", m.frame),
    }
}

/// The payload bytes, 8 per row, both sides, with the fields each row covers in the margin.
fn byte_diff(p: &Pair, w: &mut dyn Write) -> io::Result<()> {
    const ROW: usize = 8;
    let (a, b) = (&p.ours.payload, &p.theirs.payload);
    writeln!(w, "  bytes (payload offset  ours | theirs  fields; ! marks a row that differs):")?;
    let side = |bytes: &[u8], start: usize| {
        let cells: Vec<String> = (start..start + ROW)
            .filter_map(|i| match bytes.get(i) {
                Some(x) => Some(format!("{x:02x}")),
                None if i < a.len().max(b.len()) => Some("..".into()),
                None => None,
            })
            .collect();
        format!("{:<width$}", cells.join(" "), width = ROW * 3 - 1)
    };
    let covering = |m: &Message, start: usize, keys: &mut Vec<&'static str>| {
        for f in &m.fields {
            let Some(o) = f.payload_offset.map(|o| o as usize) else { continue };
            if f.len > 0 && o < start + ROW && o + f.len as usize > start && !keys.contains(&f.key) {
                keys.push(f.key);
            }
        }
    };
    for start in (0..a.len().max(b.len())).step_by(ROW) {
        let end = start + ROW;
        let differs = a.get(start..end.min(a.len())) != b.get(start..end.min(b.len()));
        let mut keys = Vec::new();
        covering(p.ours, start, &mut keys);
        covering(p.theirs, start, &mut keys);
        let mark = if differs { '!' } else { ' ' };
        writeln!(w, "  {mark} {start:04x}  {} | {}  {}", side(a, start), side(b, start), keys.join(", "))?;
    }
    Ok(())
}

fn write_pair(p: &Pair, bytes: bool, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", pair_title(p))?;
    for f in &p.diff.fields {
        // An empty text (an empty QString) is shown as one, not as nothing.
        let value = |f: &FieldRec| if f.shown().is_empty() { "\"\"".to_string() } else { f.shown().to_string() };
        writeln!(w, "  {}: ours {}, theirs {}", key_text(f), absent_or(f.ours, value), absent_or(f.theirs, value))?;
        writeln!(w, "    {}", location("ours", p.ours, f.ours))?;
        writeln!(w, "    {}", location("theirs", p.theirs, f.theirs))?;
        if let Some(h) = &f.hint {
            writeln!(w, "    hint: {h}")?;
        }
    }
    if let Some(n) = &p.diff.note {
        writeln!(w, "  note: {n}")?;
    }
    if bytes {
        byte_diff(p, w)?;
    }
    writeln!(w)
}

fn write_only(title: &str, msgs: &[&Message], w: &mut dyn Write) -> io::Result<()> {
    if msgs.is_empty() {
        return Ok(());
    }
    writeln!(w, "{title} ({}):", msgs.len())?;
    for m in msgs {
        writeln!(
            w,
            "  frame {:<6} {} {} {} ({} bytes)",
            m.frame,
            m.protocol,
            direction_text(m.direction),
            m.kind(),
            m.payload.len()
        )?;
    }
    writeln!(w)
}

fn write_summary(out: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    let head = ["protocol", "direction", "message", "aligned", "equal", "different", "only ours", "only theirs"];
    let mut rows: Vec<[String; 8]> = vec![head.map(String::from)];
    for ((proto, dir, msg), r) in &out.summary {
        rows.push([
            proto.to_string(),
            direction_text(dir_from_index(*dir)).to_string(),
            msg.to_string(),
            r.aligned.to_string(),
            r.equal.to_string(),
            r.different.to_string(),
            r.only_ours.to_string(),
            r.only_theirs.to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..8).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    writeln!(w, "summary:")?;
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            line.push_str("  ");
            if c < 3 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `different: …` or `equivalent: …`.
pub fn verdict(out: &Outcome) -> String {
    if out.equivalent() {
        return format!("equivalent: {} aligned messages, no differing field, no unmatched message", out.pairs.len());
    }
    let pairs = out.differing_pairs().count();
    let fields: usize = out.differing_pairs().map(|p| p.diff.fields.len().max(1)).sum();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "different: {} in {} of {} aligned; {} only in ours, {} only in theirs",
        plural(fields, "difference"),
        plural(pairs, "pair"),
        out.pairs.len(),
        out.only_ours.len(),
        out.only_theirs.len()
    )
}

/// Protocols whose volatile keys a line lists one by one; past this many, it counts them.
const LISTED_KEYS: usize = 8;

/// What the comparison leaves out, for the protocols either capture has: a protocol's volatile
/// keys by name when they are few (the `--only` ones are), else their number (`--explain`
/// lists them all), and every `--ignore` key.
fn ignored_text(rules: &Rules, present: &[&str]) -> String {
    if rules.strict {
        return "nothing ignored (--strict)".into();
    }
    let mut parts: Vec<String> = Vec::new();
    for (proto, keys) in rules.volatile.iter().filter(|(p, _)| present.contains(p)) {
        let keys: Vec<&str> = keys.iter().copied().filter(|k| !rules.compares(proto, k)).collect();
        let named = |k: &&str| rules.only.is_empty() || rules.only.iter().any(|p| super::compare::names(p, k));
        let keys: Vec<&str> = keys.into_iter().filter(named).collect();
        match keys.len() {
            0 => {}
            n if n > LISTED_KEYS => parts.push(format!("{proto}: {n} volatile fields")),
            _ => parts.push(format!("{proto}: {}", keys.join(", "))),
        }
    }
    if !rules.ignore.is_empty() {
        parts.push(format!("--ignore: {}", rules.ignore.join(", ")));
    }
    if parts.is_empty() {
        "nothing ignored".into()
    } else {
        format!("ignored: {}", parts.join("; "))
    }
}

/// The text report.
pub fn text(view: &View, out: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    for (who, c) in [("ours", view.ours), ("theirs", view.theirs)] {
        writeln!(w, "{who:<7} {}: {} frames, {} messages", c.name, c.got.frames, c.got.messages.len())?;
    }
    let only =
        if view.rules.only.is_empty() { String::new() } else { format!("only {}; ", view.rules.only.join(", ")) };
    let mut present: Vec<&str> = Vec::new();
    for m in view.ours.got.messages.iter().chain(&view.theirs.got.messages) {
        if !present.contains(&m.protocol) {
            present.push(m.protocol);
        }
    }
    writeln!(w, "rules:  {only}{} (see --explain)", ignored_text(view.rules, &present))?;
    for n in notes(view, out) {
        writeln!(w, "note: {n}")?;
    }
    writeln!(w)?;
    for p in out.differing_pairs() {
        write_pair(p, view.bytes, w)?;
    }
    write_only("only in ours", &out.only_ours, w)?;
    write_only("only in theirs", &out.only_theirs, w)?;
    write_summary(out, w)?;
    writeln!(w)?;
    let partial = if notes(view, out).is_empty() { "" } else { " (as far as compared: see the notes above)" };
    writeln!(w, "{}{partial}", verdict(out))
}

fn field_json(m: &Message, f: Option<&FieldRec>) -> Json {
    match f {
        None => Json::Null,
        Some(f) => json!({
            "frame": m.frame,
            "value": f.value,
            "display": f.shown(),
            "hex": Hex(&f.bytes).to_string(),
            "offset": (!f.generated).then_some(f.offset),
            "len": f.len,
            "source": f.source.as_deref().unwrap_or("frame"),
            "payload_offset": f.payload_offset,
            "generated": f.generated,
        }),
    }
}

fn message_json(m: &Message) -> Json {
    json!({
        "frame": m.frame,
        "protocol": m.protocol,
        "direction": direction_text(m.direction),
        "message": m.kind(),
        "len": m.payload.len(),
    })
}

fn capture_json(c: &Capture) -> Json {
    json!({
        "file": c.name,
        "frames": c.got.frames,
        "messages": c.got.messages.len(),
        "dropped": c.got.dropped,
        "damage": c.got.damage,
        "capture_lost": {"statistics": c.got.lost_by_statistics, "drop_counts": c.got.lost_by_drop_counts},
    })
}

/// The report as one JSON document.
pub fn json(view: &View, out: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    let pairs: Vec<Json> = out
        .differing_pairs()
        .map(|p| {
            let fields: Vec<Json> = p
                .diff
                .fields
                .iter()
                .map(|f| {
                    json!({
                        "key": f.key,
                        "occurrence": f.occurrence,
                        "ours": field_json(p.ours, f.ours),
                        "theirs": field_json(p.theirs, f.theirs),
                        "hint": f.hint,
                    })
                })
                .collect();
            json!({
                "protocol": p.ours.protocol,
                "direction": direction_text(p.ours.direction),
                "message": p.ours.kind(),
                "ours": message_json(p.ours),
                "theirs": message_json(p.theirs),
                "differences": fields,
                "note": p.diff.note,
                "ours_payload": Hex(&p.ours.payload).to_string(),
                "theirs_payload": Hex(&p.theirs.payload).to_string(),
            })
        })
        .collect();
    let summary: Vec<Json> = out
        .summary
        .iter()
        .map(|((proto, dir, msg), r)| {
            json!({
                "protocol": proto,
                "direction": direction_text(dir_from_index(*dir)),
                "message": msg,
                "aligned": r.aligned,
                "equal": r.equal,
                "different": r.different,
                "only_ours": r.only_ours,
                "only_theirs": r.only_theirs,
            })
        })
        .collect();
    let volatile: serde_json::Map<String, Json> =
        view.rules.volatile.iter().map(|(p, v)| (p.to_string(), json!(v))).collect();
    let doc = json!({
        "schema": "udpdissect-diff",
        "version": SCHEMA_VERSION,
        "ours": capture_json(view.ours),
        "theirs": capture_json(view.theirs),
        "rules": {
            "strict": view.rules.strict,
            "only": view.rules.only,
            "ignore": view.rules.ignore,
            "volatile": volatile,
        },
        "equivalent": out.equivalent(),
        "verdict": verdict(out),
        "notes": notes(view, out),
        "pairs": pairs,
        "only_ours": out.only_ours.iter().map(|m| message_json(m)).collect::<Vec<_>>(),
        "only_theirs": out.only_theirs.iter().map(|m| message_json(m)).collect::<Vec<_>>(),
        "summary": summary,
    });
    serde_json::to_writer_pretty(&mut *w, &doc).map_err(io::Error::other)?;
    writeln!(w)
}

/// `--explain`: the rules and every protocol's volatile fields.
pub fn explain(protocols: &[&'static ProtocolInfo], w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "\
udpdissect diff OURS THEIRS compares the application-protocol messages of two captures.

What is compared:
  - every UDP datagram an application protocol dissected; not the lower layers (addresses,
    ports, IP/UDP headers), not datagrams no protocol claimed ('data'), not other frames
  - messages are aligned per (protocol, direction by role: client = first sender) by message
    type, so a missing or extra message does not shift the later pairs
  - each pair field by field, by field key and occurrence: the bytes and the value
  - generated fields (in [brackets] in -V) by value, e.g. a reply's status
  - a field read from bytes that only one message has, even a volatile one
  - a pair whose total lengths differ

Volatile fields, ignored by default (they differ between any two runs: session ids,
counters, timings); --strict compares them, --ignore KEY adds keys, --only KEY compares
only KEY (a key, or a prefix such as 'heartbeat'; a volatile key named exactly is
compared):"
    )?;
    for p in protocols {
        if p.volatile.is_empty() {
            continue;
        }
        writeln!(w, "  {}:", p.name)?;
        for key in p.volatile {
            let desc = p.fields.iter().find(|f| f.key == *key).map_or("", |f| f.desc);
            writeln!(w, "    {key:<24} {desc}")?;
        }
    }
    writeln!(
        w,
        "
Hints name a likely cause: byte-swapped integers (endianness), a length or count off by a
few, bytes missing at the end, UTF-16 vs UTF-8 text, a null vs empty Qt string, a different
Qt address family byte, a different protocol version or signature. Details: docs/diff.md."
    )
}
