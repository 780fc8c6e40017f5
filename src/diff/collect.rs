//! The first half of `diff`: a [`Sink`] that records every message an application protocol
//! dissected (its type, direction by role and its fields, with their bytes), and the driver
//! that runs one capture through it. Bounded: [`MAX_MESSAGES`] messages and [`MAX_BYTES`]
//! of recorded bytes and text per capture; what comes after is counted, not kept.

use crate::pipeline::{self, Stop};
use crate::render::{value_text, FrameView, Sink};
use std::io::{self, Read};
use std::path::Path;
use udpdissect_capture::{Decoded, Frame, Reader, Transport, UdpPayload};
use udpdissect_core::{Direction, Dissection, Engine, FieldKind, Value, DATA};
use udpdissect_filter::Filter;

/// Most messages recorded per capture.
pub const MAX_MESSAGES: usize = 100_000;
/// Most memory (messages, fields, their bytes and texts) recorded per capture.
pub const MAX_BYTES: usize = 64 << 20;

/// Where the pipeline puts a reassembled datagram (see `pipeline::run_selected`).
const REASSEMBLED: &str = "Reassembled IP datagram";

/// One field under the application protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRec {
    pub key: &'static str,
    /// 0 for the first field with this key in the message, 1 for the second, …
    pub occurrence: u32,
    /// The value as `-T fields` prints it (what is compared).
    pub value: String,
    /// The value as the `-V` tree shows it, when that differs (`alive (0)`, `60.000000000 s`).
    pub display: Option<String>,
    /// The field's bytes (empty for generated fields).
    pub bytes: Vec<u8>,
    /// Offset and length in its data source.
    pub offset: u32,
    pub len: u32,
    /// The derived buffer it lies in (`None`: the frame itself).
    pub source: Option<String>,
    /// Offset within the UDP payload, when the field lies in the payload's buffer.
    pub payload_offset: Option<u32>,
    /// Computed by the dissector, not read from bytes.
    pub generated: bool,
    /// A number or flag (its value says everything; its bytes may be shared with neighbours).
    pub numeric: bool,
}

impl FieldRec {
    /// The value for people: the tree's form.
    pub fn shown(&self) -> &str {
        self.display.as_deref().unwrap_or(&self.value)
    }

    /// `@42+8`, `@8+8 in Reassembled IP datagram`, or `(generated)`.
    pub fn position(&self) -> String {
        match (&self.source, self.generated) {
            (_, true) => "(generated)".into(),
            (None, false) => format!("@{}+{}", self.offset, self.len),
            (Some(name), false) => format!("@{}+{} in {name}", self.offset, self.len),
        }
    }
}

/// One application-protocol message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub frame: u64,
    /// Nanoseconds since the capture's first recorded message.
    pub rel_ns: i64,
    /// [`udpdissect_core::ProtocolInfo::name`].
    pub protocol: &'static str,
    /// The message type (`request`, `reply`); empty when the protocol has none.
    pub message: &'static str,
    pub direction: Direction,
    /// The UDP payload.
    pub payload: Vec<u8>,
    pub fields: Vec<FieldRec>,
}

impl Message {
    /// The message type for people: `message` when the protocol names none.
    pub fn kind(&self) -> &'static str {
        if self.message.is_empty() {
            "message"
        } else {
            self.message
        }
    }
}

/// `client→server` / `server→client`.
pub fn direction_text(d: Direction) -> &'static str {
    match d {
        Direction::ClientToServer => "client→server",
        Direction::ServerToClient => "server→client",
    }
}

/// What one capture gave.
#[derive(Debug, Default)]
pub struct Collected {
    pub messages: Vec<Message>,
    /// Frames read (whole ones, before any damage).
    pub frames: u64,
    /// Messages seen past the limits and not recorded.
    pub dropped: u64,
    /// Where the capture broke, when it did: everything before was recorded.
    pub damage: Option<String>,
    /// Packets the capture itself lost, where it says: by its interfaces' last statistics
    /// blocks, and by its packet blocks' drop counts.
    pub lost_by_statistics: Option<u64>,
    pub lost_by_drop_counts: Option<u64>,
}

impl Collected {
    fn count_drops(&mut self, frame: &Frame) {
        frame.options.add_drop_count(&mut self.lost_by_drop_counts);
    }
}

/// The recording sink.
pub struct Collector<'p> {
    got: Collected,
    /// Only this protocol's messages (`--proto`).
    protocol: Option<&'p str>,
    first_ns: Option<i64>,
    bytes: usize,
    max_messages: usize,
    max_bytes: usize,
}

impl<'p> Collector<'p> {
    pub fn new(protocol: Option<&'p str>) -> Self {
        Self::with_limits(protocol, MAX_MESSAGES, MAX_BYTES)
    }

    pub fn with_limits(protocol: Option<&'p str>, max_messages: usize, max_bytes: usize) -> Self {
        Collector { got: Collected::default(), protocol, first_ns: None, bytes: 0, max_messages, max_bytes }
    }

    pub fn into_collected(self) -> Collected {
        self.got
    }
}

/// The UDP payload's buffer in the dissection (its source id) and where the payload starts.
fn payload_place<'a>(view: &FrameView<'a>) -> Option<(u16, u32, &'a [u8])> {
    let Transport::Udp(udp) = view.decoded.transport else { return None };
    match udp.payload {
        UdpPayload::Wire { offset, bytes } => Some((0, offset as u32, bytes)),
        UdpPayload::Reassembled { offset, bytes, .. } => {
            let id = view.out.sources().iter().position(|s| s.name == REASSEMBLED)?;
            Some((id as u16 + 1, offset as u32, bytes))
        }
    }
}

fn record(view: &FrameView, out: &Dissection, direction: Direction, rel_ns: i64) -> Option<Message> {
    let (payload_source, base, payload) = payload_place(view)?;
    let name = out.protocol_name;
    let mut fields: Vec<FieldRec> = Vec::new();
    let all = out.fields();
    for (i, f) in all.iter().enumerate() {
        let under = udpdissect_core::key_under(f.info.key, name);
        // Subtree nodes without a value of their own: their children are compared. A leaf
        // without a value still has bytes (a null QString's FFFFFFFF) and is compared.
        let subtree = f.info.kind == FieldKind::None || all.get(i + 1).is_some_and(|n| n.depth > f.depth);
        if !under || (f.value == Value::None && subtree) {
            continue;
        }
        let src = out.source_bytes(view.frame.data, f.source);
        let start = (f.offset as usize).min(src.len());
        let end = (start + f.len as usize).min(src.len());
        let mut value = String::new();
        value_text(&mut value, f, src, false);
        let mut display = String::new();
        value_text(&mut display, f, src, true);
        if f.value == Value::None {
            display.push_str("(null)");
        }
        let occurrence = fields.iter().filter(|r| r.key == f.info.key).count() as u32;
        let in_payload = !f.generated && f.source == payload_source && f.offset >= base;
        fields.push(FieldRec {
            key: f.info.key,
            occurrence,
            display: (display != value).then_some(display),
            value,
            bytes: if f.generated { Vec::new() } else { src[start..end].to_vec() },
            offset: f.offset,
            len: f.len,
            source: match f.source {
                0 => None,
                n => out.sources().get(n as usize - 1).map(|s| s.name.clone()),
            },
            payload_offset: in_payload.then(|| f.offset - base),
            generated: f.generated,
            numeric: matches!(
                f.info.kind,
                FieldKind::Bool
                    | FieldKind::Unsigned
                    | FieldKind::Signed
                    | FieldKind::Enum
                    | FieldKind::HexEnum
                    | FieldKind::Hex
            ),
        });
    }
    Some(Message {
        frame: view.frame.number,
        rel_ns,
        protocol: name,
        message: out.message,
        direction,
        payload: payload.to_vec(),
        fields,
    })
}

/// Heap and inline bytes a message takes: its contents rounded up to the allocator's 16-byte
/// granules, with a word or two of overhead per allocation. Counted from lengths, not from the
/// buffers' capacities, so where the budget cuts a capture depends on what was recorded, never
/// on how a buffer happened to grow.
fn cost(m: &Message) -> usize {
    const ALLOC: usize = 16;
    let heap = |len: usize| len.next_multiple_of(ALLOC) + ALLOC;
    let text = |s: &Option<String>| s.as_ref().map_or(0, |s| heap(s.len()));
    let fields: usize =
        m.fields.iter().map(|f| heap(f.bytes.len()) + heap(f.value.len()) + text(&f.display) + text(&f.source)).sum();
    let records = heap(m.fields.len() * std::mem::size_of::<FieldRec>());
    std::mem::size_of::<Message>() + heap(m.payload.len()) + records + fields
}

impl Sink for Collector<'_> {
    fn frame(&mut self, view: &FrameView) -> io::Result<()> {
        self.got.count_drops(view.frame);
        let out = view.out;
        let name = out.protocol_name;
        let Some(direction) = out.direction else { return Ok(()) };
        if name.is_empty() || name == DATA.name || self.protocol.is_some_and(|p| !p.eq_ignore_ascii_case(name)) {
            return Ok(());
        }
        if self.got.messages.len() >= self.max_messages || self.bytes >= self.max_bytes {
            self.got.dropped += 1;
            return Ok(());
        }
        let first = *self.first_ns.get_or_insert(view.abs_ns);
        if let Some(m) = record(view, out, direction, view.abs_ns.saturating_sub(first)) {
            self.bytes += cost(&m);
            self.got.messages.push(m);
        }
        Ok(())
    }

    fn hidden(&mut self, frame: &Frame, _: &Decoded) -> io::Result<()> {
        self.got.count_drops(frame);
        Ok(())
    }

    fn finish(&mut self, _: &Dissection) -> io::Result<()> {
        Ok(())
    }
}

/// Reads and dissects one capture (`-` is standard input) with a fresh `engine`. `Err` only
/// when the capture cannot be opened or is not a capture at all; damage later in the file
/// ends the recording there and is noted in [`Collected::damage`].
pub fn collect(
    path: &Path,
    engine: &mut Engine,
    filter: Option<&Filter>,
    protocol: Option<&str>,
) -> Result<Collected, String> {
    let input: Box<dyn Read + Send> =
        if path == Path::new("-") { Box::new(io::stdin()) } else { Box::new(crate::open_capture(path)?) };
    let mut reader = Reader::new(input).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sink = Collector::new(protocol);
    let opts = pipeline::Options::full(true);
    let keep = |d: &Dissection, frame: &[u8]| filter.is_none_or(|f| f.matches(d, frame));
    let keep = filter.map(|_| &keep as pipeline::FrameFilter);
    let result = pipeline::run_selected(&mut reader, engine, &mut sink, &opts, keep, None);
    let mut got = sink.into_collected();
    got.lost_by_statistics = reader.info().lost_by_statistics();
    match result {
        Ok(frames) => got.frames = frames,
        Err(Stop::Damaged(e)) => {
            got.frames = e.frame.saturating_sub(1);
            got.damage = Some(e.to_string());
        }
        Err(Stop::Output(e)) => return Err(format!("{}: {e}", path.display())),
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(value: String) -> Message {
        let field = FieldRec {
            key: "t.v",
            occurrence: 0,
            value,
            display: None,
            bytes: vec![1, 2, 3],
            offset: 0,
            len: 3,
            source: None,
            payload_offset: Some(0),
            generated: false,
            numeric: false,
        };
        Message {
            frame: 1,
            rel_ns: 0,
            protocol: "t",
            message: "m",
            direction: Direction::ClientToServer,
            payload: vec![0; 40],
            fields: vec![field],
        }
    }

    #[test]
    fn the_budget_counts_contents_not_how_buffers_grew() {
        let tight = message("0123456789".to_string());
        let mut roomy = String::with_capacity(4096);
        roomy.push_str("0123456789");
        assert_eq!(cost(&tight), cost(&message(roomy)));
        assert!(cost(&message("x".repeat(1000))) >= cost(&tight) + 990);
    }
}
