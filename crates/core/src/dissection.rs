//! What one frame's dissection produced: the protocol and info columns, the field tree (built
//! only when someone will read it), expert findings and derived data sources.

use crate::conversation::{Direction, Place, UDP_STREAM, UDP_TIME_DELTA, UDP_TIME_RELATIVE};
use crate::field::{ExpertGroup, ExpertInfo, FieldInfo, Missing, Severity, Value};
use crate::unseen::Unseen;
use std::fmt::Write;

/// Deepest subtree nesting (DESIGN limit); deeper fields are attached at this depth.
pub const MAX_DEPTH: u8 = 8;
/// Most fields kept per frame (DESIGN limit); more raise `core.too_many_fields` once.
pub const MAX_FIELDS: usize = 10_000;

// Security, as every bound that keeps a hostile input from exhausting memory.
pub static TOO_MANY_FIELDS: ExpertInfo = ExpertInfo::new(
    "core.too_many_fields",
    Severity::Note,
    ExpertGroup::Security,
    "the frame produced more fields than the per-frame limit; the rest are not shown",
);

/// Largest derived buffer a reused copy keeps allocated between frames.
const SOURCE_KEEP: usize = 4 * 1024;
/// Fields a pooled copy keeps room for after a frame that needed more (the rendering thread
/// reuses hundreds of copies).
const FIELDS_KEEP: usize = 256;

/// Index of a field in [`Dissection::fields`].
pub type FieldId = usize;

/// One decoded field. Fields are stored flat in pre-order; `depth` gives the nesting.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub info: &'static FieldInfo,
    pub depth: u8,
    /// Data source: 0 is the frame, 1.. are [`Dissection::sources`] (index + 1).
    pub source: u16,
    pub offset: u32,
    pub len: u32,
    pub value: Value,
    /// Computed by the dissector rather than read from bytes (shown in brackets, like tshark).
    pub generated: bool,
}

/// A derived buffer (reassembled, decrypted, inflated) that fields can point into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Source {
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expert {
    pub info: &'static ExpertInfo,
    pub message: String,
    /// Where it points: (source, offset, len), when it points at bytes.
    pub at: Option<(u16, u32, u32)>,
}

impl Expert {
    pub fn severity(&self) -> Severity {
        self.info.severity
    }
    pub fn tag(&self) -> &'static str {
        self.info.tag
    }
}

/// Per-frame output, reused across frames so the hot path does not allocate.
#[derive(Debug, Default)]
pub struct Dissection {
    /// Protocol column.
    pub protocol: &'static str,
    /// Info column.
    pub info: String,
    /// The message type within the protocol (`request`, `reply`), for statistics; empty when
    /// the protocol has no types or the datagram is not its.
    pub message: &'static str,
    /// The name of the protocol that dissected the datagram ([`crate::ProtocolInfo::name`]:
    /// `heartbeat`, or `data` for the fallback); empty for frames no dissector saw (not UDP).
    pub protocol_name: &'static str,
    /// The datagram's direction by role in its conversation (the first sender is the client);
    /// `None` for frames the engine did not see.
    pub direction: Option<Direction>,
    tree: bool,
    /// Set when nothing reads the info column (statistics, `-q`, field columns without it):
    /// dissectors may then skip composing it.
    no_info: bool,
    /// Set when nothing reads the findings or the protocols' tables (`-T fields` without an
    /// expert column, `-q` alone): a dissector may then skip work that has no other outcome.
    no_findings: bool,
    /// When set, only these fields are kept (`-T fields -e …`): the rest cost nothing.
    interest: Option<Vec<&'static FieldInfo>>,
    /// The [`interest_bit`]s no kept field has (none when every field is kept).
    not_kept: u64,
    /// The [`key_bit`]s of every kept field's key and the keys above it (`ip` and `ip.src` for
    /// `ip.src`): most subtrees no column reads are then turned down without comparing keys.
    subtrees: u64,
    fields: Vec<Field>,
    experts: Vec<Expert>,
    sources: Vec<Source>,
    used_sources: usize,
    depth: u8,
    /// Where the bytes the dissector sees live: (source, base offset).
    cursor: (u16, u32),
    dropped_fields: bool,
    /// Where [`Dissection::add_place_fields`] put the fields [`Dissection::set_place`] fills.
    place_at: Option<FieldId>,
    /// What the capture lost since each end of the datagram's conversation last sent
    /// ([`Dissection::set_unseen`]).
    unseen: Unseen,
    /// A number no other choice of kept fields had ([`next_serial`]): what a dissector's
    /// remembered answer of [`Dissection::wants_any`] is checked against.
    serial: u64,
}

/// A new number for a choice of kept fields (the tree, the interest), unique in the process.
fn next_serial() -> u64 {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// One of 64 bits for a field, chosen by its key when its description is made (so the same in
/// every build): the fields kept when not all are make a one-word filter, so that the common
/// answer for the dozens of fields a dissector offers and no column asks for, "not kept", is a
/// load and a bit test.
#[inline]
fn interest_bit(info: &'static FieldInfo) -> u64 {
    1 << info.bit
}

/// One of 64 bits for a field key, from its length and its first and last bytes.
#[inline]
fn key_bit(key: &str) -> u64 {
    let (b, n) = (key.as_bytes(), key.len() as u64);
    let ends = u64::from(b.first().copied().unwrap_or(0)) << 8 | u64::from(b.last().copied().unwrap_or(0));
    1 << ((n | ends << 8).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

impl Dissection {
    /// `tree`: whether fields will be read (tree, JSON, field columns, filters). Without it
    /// `add` is a no-op and the summary path pays only for the columns.
    pub fn new(tree: bool) -> Self {
        Dissection { tree, serial: next_serial(), ..Default::default() }
    }

    pub fn wants_tree(&self) -> bool {
        self.tree
    }

    pub fn set_wants_tree(&mut self, tree: bool) {
        self.tree = tree;
        self.serial = next_serial();
    }

    /// Whether the info column will be read. Without it a dissector may leave the column
    /// empty, or partial: where composing it costs (numbers, formatting), it checks this.
    #[inline]
    pub fn wants_info(&self) -> bool {
        !self.no_info
    }

    pub fn set_wants_info(&mut self, info: bool) {
        self.no_info = !info;
    }

    /// Whether findings, or the protocols' own statistics tables, will be read. Without, a
    /// dissector may skip work whose only outcomes are findings, those tables and fields no
    /// one keeps (a hash, an inflate, sessions no column reads). Findings raised anyway are
    /// kept: dissectors read their own.
    #[inline]
    pub fn wants_findings(&self) -> bool {
        !self.no_findings
    }

    pub fn set_wants_findings(&mut self, findings: bool) {
        self.no_findings = !findings;
    }

    /// Whether work whose outcomes are findings, the protocols' tables and `fields` has a
    /// reader: what a dissector asks before work it may skip.
    #[inline]
    pub fn wants_findings_or(&self, fields: &[&'static FieldInfo]) -> bool {
        self.wants_findings() || fields.iter().any(|f| self.wants(f))
    }

    /// Keeps only these fields (by identity of their description); `None` keeps all.
    pub fn set_interest(&mut self, fields: Option<Vec<&'static FieldInfo>>) {
        self.not_kept = fields.as_ref().map_or(0, |f| !f.iter().fold(0, |b, f| b | interest_bit(f)));
        let above = |k: &'static str| k.match_indices('.').map(move |(at, _)| &k[..at]).chain([k]);
        self.subtrees = fields.iter().flatten().flat_map(|f| above(f.key)).fold(0, |b, k| b | key_bit(k));
        self.interest = fields;
        self.serial = next_serial();
    }

    /// Whether any of `fields` would be kept, remembered in `memo` while the choice of kept
    /// fields lasts: for a question about a long list (a protocol's payload fields) that a
    /// dissector asks of every datagram.
    pub fn wants_any(&self, fields: &[&'static FieldInfo], memo: &mut Option<(u64, bool)>) -> bool {
        match *memo {
            Some((serial, answer)) if serial == self.serial => answer,
            _ => {
                let answer = fields.iter().any(|f| self.wants(f));
                *memo = Some((self.serial, answer));
                answer
            }
        }
    }

    /// Whether a field would be kept: dissectors check this before building a costly value
    /// (a formatted summary) that `add` would drop.
    #[inline]
    pub fn wants(&self, info: &'static FieldInfo) -> bool {
        self.might_want(info) && self.kept(info)
    }

    /// Whether the interest list, if any, names this field.
    fn kept(&self, info: &'static FieldInfo) -> bool {
        self.interest.as_ref().is_none_or(|keep| keep.iter().any(|k| std::ptr::eq(*k, info)))
    }

    /// False for most fields not kept, and for all when no tree is: checked where a field is
    /// added, before the call that keeps it.
    #[inline]
    fn might_want(&self, info: &'static FieldInfo) -> bool {
        self.tree && self.not_kept & interest_bit(info) == 0
    }

    /// Whether any field of the subtree under `node` (its own key or a key below it, such as
    /// `ip.src` under `ip`) would be kept: lets a dissector skip a whole layer that no field
    /// column or filter reads.
    #[inline]
    pub fn wants_subtree(&self, node: &'static FieldInfo) -> bool {
        self.tree
            && self.interest.as_ref().is_none_or(|keep| {
                self.subtrees & key_bit(node.key) != 0 && keep.iter().any(|k| crate::key_under(k.key, node.key))
            })
    }

    /// Makes this a copy of `other`'s frame (columns, fields, findings, data sources when
    /// `sources`) and of its settings, reusing this one's allocations: how a frame is handed to
    /// another thread. Without `sources` the copy has none (a summary line never reads them).
    pub fn copy_from(&mut self, other: &Dissection, sources: bool) {
        self.protocol = other.protocol;
        self.message = other.message;
        self.protocol_name = other.protocol_name;
        self.direction = other.direction;
        self.info.clone_from(&other.info);
        self.tree = other.tree;
        self.no_info = other.no_info;
        self.no_findings = other.no_findings;
        self.not_kept = other.not_kept;
        self.subtrees = other.subtrees;
        if self.interest != other.interest {
            self.interest.clone_from(&other.interest);
        }
        self.serial = other.serial;
        if self.fields.capacity() > FIELDS_KEEP && other.fields.len() <= FIELDS_KEEP {
            self.fields = Vec::new();
        }
        self.fields.clone_from(&other.fields);
        self.experts.clone_from(&other.experts);
        let used = if sources { other.sources() } else { &[] };
        if self.sources.len() < used.len() {
            self.sources.resize_with(used.len(), Source::default);
        }
        for (mine, theirs) in self.sources.iter_mut().zip(used) {
            mine.name.clone_from(&theirs.name);
            // A pooled copy must not keep a reassembled megabyte for every later frame.
            if mine.data.capacity() > SOURCE_KEEP && theirs.data.len() <= SOURCE_KEEP {
                mine.data = Vec::new();
            }
            mine.data.clone_from(&theirs.data);
        }
        self.used_sources = used.len();
        self.depth = other.depth;
        self.cursor = other.cursor;
        self.dropped_fields = other.dropped_fields;
        self.place_at = other.place_at;
        self.unseen = other.unseen;
    }

    /// Starts a new frame; keeps allocations.
    pub fn clear(&mut self) {
        self.protocol = "";
        self.message = "";
        self.protocol_name = "";
        self.direction = None;
        self.info.clear();
        self.fields.clear();
        self.experts.clear();
        self.used_sources = 0;
        self.depth = 0;
        self.cursor = (0, 0);
        self.dropped_fields = false;
        self.place_at = None;
        self.unseen = Unseen::default();
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    pub fn experts(&self) -> &[Expert] {
        &self.experts
    }

    /// Moves the findings after the first `n` before them, each group in its order.
    pub fn move_findings_first(&mut self, n: usize) {
        let n = n.min(self.experts.len());
        self.experts.rotate_left(n);
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources[..self.used_sources]
    }

    /// Bytes of a data source (`frame` for source 0).
    pub fn source_bytes<'a>(&'a self, frame: &'a [u8], source: u16) -> &'a [u8] {
        match source {
            0 => frame,
            n => self.sources.get(n as usize - 1).map_or(&[], |s| &s.data[..]),
        }
    }

    /// Highest severity among the findings, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.experts.iter().map(Expert::severity).max()
    }

    /// Makes the following `add` calls' offsets relative to `base` in `source`. Returns the
    /// previous cursor so a dissector that switches to a derived buffer can switch back.
    pub fn set_cursor(&mut self, source: u16, base: u32) -> (u16, u32) {
        std::mem::replace(&mut self.cursor, (source, base))
    }

    pub fn cursor(&self) -> (u16, u32) {
        self.cursor
    }

    /// Adds a derived data source and returns its id. Its name is written, and its buffer filled
    /// by `fill`, into the previous frame's allocations. A name without arguments is copied, not
    /// formatted: most are, and some sources are made for every datagram of a stream.
    pub fn add_source(&mut self, name: std::fmt::Arguments, fill: impl FnOnce(&mut Vec<u8>)) -> u16 {
        if self.used_sources == self.sources.len() {
            self.sources.push(Source::default());
        }
        let s = &mut self.sources[self.used_sources];
        s.name.clear();
        match name.as_str() {
            Some(text) => s.name.push_str(text),
            None => {
                let _ = std::fmt::Write::write_fmt(&mut s.name, name);
            }
        }
        s.data.clear();
        fill(&mut s.data);
        self.used_sources += 1;
        self.used_sources as u16
    }

    /// Adds a field at the current depth. `offset` is relative to the cursor.
    #[inline]
    pub fn add(&mut self, info: &'static FieldInfo, offset: usize, len: usize, value: Value) -> FieldId {
        // The summary path keeps nothing, and field columns keep a few: the call should cost
        // no more than this test for the rest.
        if !self.might_want(info) {
            return usize::MAX;
        }
        self.push_field(info, offset, len, value, false)
    }

    /// Adds a generated field (computed, not read from bytes; zero length).
    #[inline]
    pub fn add_generated(&mut self, info: &'static FieldInfo, value: Value) -> FieldId {
        if !self.might_want(info) {
            return usize::MAX;
        }
        self.push_field(info, 0, 0, value, true)
    }

    /// Adds a field and makes later fields its children until [`Dissection::close`].
    pub fn open(&mut self, info: &'static FieldInfo, offset: usize, len: usize, value: Value) -> FieldId {
        let id = self.add(info, offset, len, value);
        self.descend();
        id
    }

    /// Makes later fields children of the last one added, until [`Dissection::close`].
    pub fn descend(&mut self) {
        if self.tree {
            self.depth = self.depth.saturating_add(1);
        }
    }

    pub fn close(&mut self) {
        if self.tree {
            self.depth = self.depth.saturating_sub(1);
        }
    }

    /// Adds the datagram's place in its conversation (`udp.stream`, `udp.time_relative`,
    /// `udp.time_delta`, those wanted) to the UDP tree, as zeros that the engine fills in once it
    /// has found the conversation ([`Dissection::set_place`]): the tree of the layers below is
    /// built before the datagram is dispatched.
    pub fn add_place_fields(&mut self) {
        let at = self.fields.len();
        self.add_generated(&UDP_STREAM, Value::Unsigned(0));
        self.add_generated(&UDP_TIME_RELATIVE, Value::Duration(0));
        self.add_generated(&UDP_TIME_DELTA, Value::Duration(0));
        if self.fields.len() > at {
            self.place_at = Some(at);
        }
    }

    /// Whether [`Dissection::add_place_fields`] adds anything: whether a run below the protocols
    /// looks conversations up at all.
    pub fn wants_place(&self) -> bool {
        [&UDP_STREAM, &UDP_TIME_RELATIVE, &UDP_TIME_DELTA].into_iter().any(|f| self.wants(f))
    }

    /// Whether the tree holds place fields still to be filled in.
    pub fn awaits_place(&self) -> bool {
        self.place_at.is_some()
    }

    /// Fills in the fields [`Dissection::add_place_fields`] added, if any (on the summary path,
    /// none: a test inlined).
    #[inline]
    pub fn set_place(&mut self, place: Place) {
        if let Some(at) = self.place_at.take() {
            self.fill_place(at, place);
        }
    }

    fn fill_place(&mut self, at: FieldId, place: Place) {
        for f in self.fields.iter_mut().skip(at).take(3) {
            f.value = if std::ptr::eq(f.info, &UDP_STREAM) {
                Value::Unsigned(place.stream)
            } else if std::ptr::eq(f.info, &UDP_TIME_RELATIVE) {
                Value::Duration(place.since_first)
            } else if std::ptr::eq(f.info, &UDP_TIME_DELTA) {
                Value::Duration(place.since_previous)
            } else {
                break;
            };
        }
    }

    /// Sets a field's value (for fields known only once the frame is dissected or filtered).
    pub fn set_value(&mut self, id: FieldId, value: Value) {
        if let Some(f) = self.fields.get_mut(id) {
            f.value = value;
        }
    }

    /// Grows a field's length (for subtrees whose extent is known only at the end).
    pub fn set_len(&mut self, id: FieldId, len: usize) {
        if let Some(f) = self.fields.get_mut(id) {
            f.len = len as u32;
        }
    }

    fn push_field(
        &mut self,
        info: &'static FieldInfo,
        offset: usize,
        len: usize,
        value: Value,
        generated: bool,
    ) -> FieldId {
        // `add` and `add_generated` have checked `might_want`.
        if !self.kept(info) {
            return usize::MAX;
        }
        if self.fields.len() >= MAX_FIELDS {
            if !self.dropped_fields {
                self.dropped_fields = true;
                self.experts.push(Expert {
                    info: &TOO_MANY_FIELDS,
                    message: format!("more than {MAX_FIELDS} fields in this frame; the rest are not shown"),
                    at: None,
                });
            }
            return usize::MAX;
        }
        let (source, base) = self.cursor;
        let (offset, len) = if generated { (0, 0) } else { (base + offset as u32, len as u32) };
        self.fields.push(Field { info, depth: self.depth.min(MAX_DEPTH), source, offset, len, value, generated });
        self.fields.len() - 1
    }

    /// Raises an expert finding that points at bytes (relative to the cursor).
    pub fn expert_at(&mut self, info: &'static ExpertInfo, offset: usize, len: usize, message: impl Into<String>) {
        let (source, base) = self.cursor;
        let message = self.explained(info, message.into());
        self.experts.push(Expert { info, message, at: Some((source, base + offset as u32, len as u32)) });
    }

    /// Raises an expert finding about the frame as a whole.
    pub fn expert(&mut self, info: &'static ExpertInfo, message: impl Into<String>) {
        let message = self.explained(info, message.into());
        self.experts.push(Expert { info, message, at: None });
    }

    /// [`Dissection::expert`] for a finding whose exchange spans conversations (a heartbeat
    /// session whose client beats from a new port each time): the capture's loss that would
    /// explain it is the `lost` packets since frame `since`, counted by the dissector from
    /// [`Unseen::total`], rather than its conversation's.
    pub fn expert_since(&mut self, info: &'static ExpertInfo, message: impl Into<String>, since: u64, lost: u64) {
        let mut message = message.into();
        if info.missing.is_some() {
            lost_tail(&mut message, lost, format_args!("frame {since}"));
        }
        self.experts.push(Expert { info, message, at: None });
    }

    /// Sets what the capture lost since each end of the datagram's conversation last sent
    /// ([`crate::Engine::note_capture_loss`]), before the datagram is dissected: the findings
    /// raised after it that such a loss would raise too say so.
    pub fn set_unseen(&mut self, unseen: Unseen) {
        self.unseen = unseen;
    }

    /// What [`Dissection::set_unseen`] set for this datagram.
    pub fn unseen(&self) -> Unseen {
        self.unseen
    }

    /// A finding's message, with what the capture lost of the datagrams whose loss would raise
    /// it too ([`ExpertInfo::missing`]).
    fn explained(&self, info: &ExpertInfo, mut message: String) -> String {
        let (lost, whose) = match info.missing {
            Some(Missing::Sender) => (self.unseen.sender, "the sender"),
            Some(Missing::Peer) => (self.unseen.peer, "the peer"),
            // No conversation's window: the dissector counts its own (`expert_since`).
            None | Some(Missing::Named) => return message,
        };
        lost_tail(&mut message, lost, format_args!("{whose} last sent in this conversation"));
        message
    }

    /// Values of every field with this key, in order (repeated fields match any occurrence).
    pub fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.info.key == key)
    }
}

/// Ends a finding's message with the `lost` packets the capture lost since `since`, which may
/// be the ones the finding misses (nothing when it lost none).
fn lost_tail(message: &mut String, lost: u64, since: std::fmt::Arguments) {
    if lost == 0 {
        return;
    }
    let (packets, missing) =
        if lost == 1 { ("packet", "it may be the missing one") } else { ("packets", "they may be the missing ones") };
    let _ =
        write!(message, "; but the capture itself lost {lost} {packets} since {since} (pcapng drop counts): {missing}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldKind;

    static P: FieldInfo = FieldInfo::new("t", "Test", FieldKind::None, "");
    static A: FieldInfo = FieldInfo::new("t.a", "A", FieldKind::Unsigned, "");

    #[test]
    fn fields_nest_and_are_relative_to_the_cursor() {
        let mut d = Dissection::new(true);
        d.set_cursor(0, 42);
        d.open(&P, 0, 8, Value::None);
        d.add(&A, 2, 2, Value::Unsigned(7));
        d.close();
        let src = d.add_source(format_args!("Reassembled"), |b| b.extend_from_slice(&[1, 2, 3]));
        d.set_cursor(src, 0);
        d.add(&A, 1, 1, Value::Unsigned(2));
        let f = d.fields();
        assert_eq!((f[0].depth, f[0].offset, f[0].len), (0, 42, 8));
        assert_eq!((f[1].depth, f[1].offset, f[1].source), (1, 44, 0));
        assert_eq!((f[2].depth, f[2].offset, f[2].source), (0, 1, 1));
        assert_eq!(d.source_bytes(&[], 1), &[1, 2, 3]);
    }

    #[test]
    fn place_fields_are_filled_in_once_the_conversation_is_found() {
        let place = Place { stream: 7, since_first: 3_000, since_previous: -5 };
        let mut d = Dissection::new(true);
        assert!(d.wants_place());
        d.open(&P, 0, 8, Value::None);
        d.add_place_fields();
        d.close();
        assert!(d.awaits_place());
        d.set_place(place);
        assert!(!d.awaits_place());
        let values: Vec<_> = d.fields()[1..].iter().map(|f| (f.info.key, f.value.clone(), f.depth)).collect();
        assert_eq!(
            values,
            [
                ("udp.stream", Value::Unsigned(7), 1),
                ("udp.time_relative", Value::Duration(3_000), 1),
                ("udp.time_delta", Value::Duration(-5), 1)
            ]
        );
        // Only the fields a column asks for, and nothing to fill in when none is asked for.
        d.clear();
        d.set_interest(Some(vec![&UDP_TIME_DELTA]));
        assert!(d.wants_place());
        d.add_place_fields();
        d.set_place(place);
        assert_eq!(
            d.fields().iter().map(|f| (f.info.key, f.value.clone())).collect::<Vec<_>>(),
            [("udp.time_delta", Value::Duration(-5))]
        );
        d.clear();
        d.set_interest(Some(vec![&A]));
        assert!(!d.wants_place());
        d.add_place_fields();
        assert!(!d.awaits_place() && d.fields().is_empty());
        let mut summary = Dissection::new(false);
        assert!(!summary.wants_place());
        summary.add_place_fields();
        assert!(!summary.awaits_place());
    }

    /// The answer about a list is remembered while the choice of kept fields lasts, asked
    /// again once it changes, and travels with a copy.
    #[test]
    fn a_remembered_answer_lasts_as_long_as_the_kept_fields() {
        static B: FieldInfo = FieldInfo::new("t.b", "B", FieldKind::Unsigned, "");
        static LIST: [&FieldInfo; 2] = [&A, &P];
        let mut memo = None;
        let mut d = Dissection::new(true);
        d.set_interest(Some(vec![&A]));
        assert!(d.wants_any(&LIST, &mut memo));
        // The memo answers for the same choice, whatever list it is shown.
        assert!(d.wants_any(&[], &mut memo), "remembered");
        d.set_interest(Some(vec![&B]));
        assert!(!d.wants_any(&LIST, &mut memo), "asked again after set_interest");
        let mut copy = Dissection::new(true);
        copy.copy_from(&d, false);
        assert!(!copy.wants_any(&[&B], &mut memo), "a copy has the same choice");
        d.set_wants_tree(false);
        assert!(!d.wants_any(&[&B], &mut memo));
        d.set_wants_tree(true);
        assert!(d.wants_any(&[&B], &mut memo), "asked again after set_wants_tree");
        let other = Dissection::new(true);
        assert!(other.wants_any(&[&B], &mut None) && !Dissection::new(false).wants_any(&[&B], &mut memo));
    }

    #[test]
    fn a_copy_has_the_same_frame() {
        static E: ExpertInfo = ExpertInfo::new("t.e", Severity::Warn, ExpertGroup::Protocol, "");
        let mut d = Dissection::new(true);
        d.protocol = "T";
        d.info.push_str("info");
        d.open(&P, 0, 8, Value::None);
        d.add(&A, 2, 2, Value::Unsigned(7));
        d.close();
        d.expert(&E, "x");
        let src = d.add_source(format_args!("Derived"), |b| b.extend_from_slice(&[9, 8]));
        // A used copy with more sources than the original keeps only the original's.
        let mut copy = Dissection::new(false);
        copy.add_source(format_args!("a"), |_| {});
        copy.add_source(format_args!("b"), |_| {});
        d.set_wants_findings(false);
        assert!(d.wants_findings_or(&[&A]) && !d.wants_findings_or(&[]));
        copy.copy_from(&d, true);
        assert_eq!((copy.protocol, copy.info.as_str()), ("T", "info"));
        assert!(!copy.wants_findings());
        assert_eq!(copy.fields(), d.fields());
        assert_eq!(copy.experts(), d.experts());
        assert_eq!(copy.sources().len(), 1);
        assert_eq!(copy.source_bytes(&[], src), &[9, 8]);
        assert!(copy.wants_tree());
        let mut bare = Dissection::default();
        bare.copy_from(&d, false);
        assert!(bare.sources().is_empty());
        assert_eq!(bare.info, "info");
    }

    #[test]
    fn a_pooled_copy_does_not_keep_room_for_its_largest_frame() {
        let mut big = Dissection::new(true);
        for i in 0..5000 {
            big.add(&A, 0, 1, Value::Unsigned(i));
        }
        let mut small = Dissection::new(true);
        small.add(&A, 0, 1, Value::Unsigned(1));
        let mut copy = Dissection::default();
        copy.copy_from(&big, false);
        assert_eq!(copy.fields().len(), 5000);
        copy.copy_from(&small, false);
        assert_eq!(copy.fields(), small.fields());
        assert!(copy.fields.capacity() <= FIELDS_KEEP, "{}", copy.fields.capacity());
    }

    #[test]
    fn findings_move_first_in_their_order() {
        static A: ExpertInfo = ExpertInfo::new("t.a", Severity::Note, ExpertGroup::Protocol, "");
        static B: ExpertInfo = ExpertInfo::new("t.b", Severity::Note, ExpertGroup::Protocol, "");
        static C: ExpertInfo = ExpertInfo::new("t.c", Severity::Note, ExpertGroup::Protocol, "");
        let mut d = Dissection::new(false);
        for e in [&A, &B, &C] {
            d.expert(e, "");
        }
        let tags = |d: &Dissection| d.experts().iter().map(Expert::tag).collect::<Vec<_>>();
        d.move_findings_first(1);
        assert_eq!(tags(&d), ["t.b", "t.c", "t.a"]);
        d.move_findings_first(5);
        assert_eq!(tags(&d), ["t.b", "t.c", "t.a"], "past the end: nothing moves");
    }

    #[test]
    fn summary_mode_builds_no_fields_but_keeps_experts() {
        static E: ExpertInfo = ExpertInfo::new("t.e", Severity::Warn, ExpertGroup::Protocol, "");
        let mut d = Dissection::new(false);
        d.add(&A, 0, 1, Value::Unsigned(1));
        d.expert(&E, "x");
        assert!(d.fields().is_empty());
        assert_eq!(d.max_severity(), Some(Severity::Warn));
    }

    #[test]
    fn interest_keeps_only_the_named_fields() {
        static B: FieldInfo = FieldInfo::new("t.b", "B", FieldKind::Unsigned, "");
        let mut d = Dissection::new(true);
        d.set_interest(Some(vec![&B]));
        d.open(&P, 0, 8, Value::None);
        d.add(&A, 0, 1, Value::Unsigned(1));
        d.add(&B, 1, 1, Value::Unsigned(2));
        d.close();
        assert!(!d.wants(&A) && d.wants(&B));
        assert!(d.wants_subtree(&P), "t.b is under t");
        static TB: FieldInfo = FieldInfo::new("tb", "Not under t", FieldKind::None, "");
        assert!(!d.wants_subtree(&TB), "tb is not under t");
        let keys: Vec<_> = d.fields().iter().map(|f| (f.info.key, f.depth)).collect();
        assert_eq!(keys, [("t.b", 1)]);
    }

    #[test]
    fn subtrees_are_wanted_exactly_as_the_keys_say() {
        // The key filter lets nodes through that no kept key is under (its bits are shared);
        // the answer must still be the keys' own, for nodes above, beside and below them.
        let kept = ["ip.src", "udp.srcport", "frame.number", "overte.ice.peer_id", "eq.x"];
        let nodes = [
            "ip",
            "ip.src",
            "ip.dst",
            "ipv6",
            "ip.src.x",
            "udp",
            "udp.src",
            "udp.srcport",
            "frame",
            "fram",
            "frame.number",
            "overte",
            "overte.ice",
            "overte.ice.peer",
            "overte.icx",
            "eq",
            "eq.x",
            "eqstream",
            "e",
            "tcp",
            "frame.len",
            "x",
        ];
        let infos: Vec<&'static FieldInfo> = kept
            .iter()
            .chain(&nodes)
            .map(|k| &*Box::leak(Box::new(FieldInfo::new(k, "T", FieldKind::None, ""))))
            .collect();
        let mut d = Dissection::new(true);
        d.set_interest(Some(infos[..kept.len()].to_vec()));
        for node in &infos[kept.len()..] {
            let under = kept.iter().any(|k| crate::key_under(k, node.key));
            assert_eq!(d.wants_subtree(node), under, "{}", node.key);
        }
        let mut copy = Dissection::new(false);
        copy.copy_from(&d, false);
        assert!(copy.wants_subtree(infos[kept.len()]) && !copy.wants_subtree(infos[infos.len() - 1]));
        d.set_interest(None);
        assert!(infos.iter().all(|n| d.wants_subtree(n)));
    }

    #[test]
    fn interest_filters_many_fields_exactly() {
        // More fields than the filter has bits: some share the kept fields' bits.
        static MANY: [FieldInfo; 200] = [const { FieldInfo::new("t.many", "Many", FieldKind::Unsigned, "") }; 200];
        let kept = [&MANY[3], &MANY[150]];
        let mut d = Dissection::new(true);
        d.set_interest(Some(kept.to_vec()));
        for (i, f) in MANY.iter().enumerate() {
            d.add(f, 0, 0, Value::Unsigned(i as u64));
            assert_eq!(d.wants(f), i == 3 || i == 150, "field {i}");
        }
        let values: Vec<_> = d.fields().iter().map(|f| f.value.clone()).collect();
        assert_eq!(values, [Value::Unsigned(3), Value::Unsigned(150)]);
        // A copy filters the same way; a dissection without interest keeps everything.
        let mut copy = Dissection::new(false);
        copy.copy_from(&d, false);
        assert!(copy.wants(&MANY[150]) && !copy.wants(&MANY[4]));
        d.set_interest(None);
        assert!(MANY.iter().all(|f| d.wants(f)));
    }

    #[test]
    fn field_count_is_capped_with_one_note() {
        let mut d = Dissection::new(true);
        for i in 0..MAX_FIELDS + 5 {
            d.add(&A, 0, 1, Value::Unsigned(i as u64));
        }
        assert_eq!(d.fields().len(), MAX_FIELDS);
        assert_eq!(d.experts().len(), 1);
        assert_eq!(d.experts()[0].tag(), "core.too_many_fields");
    }
}
