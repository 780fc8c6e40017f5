//! The dissector: the receive pipeline of §13 with the session state a real peer keeps (key,
//! passes, per-channel sequencing, fragment reassembly, EQ2 RC4 and zlib streams).

use crate::config::Config;
use crate::crc::{self, KeyRecovery};
use crate::eq2::{self, KeyGen, LoginByNum};
use crate::fields::*;
use crate::passes;
use crate::rc4::Rc4;
use crate::sent::SentRing;
use crate::stats::{Counters, Row, Rows};
use crate::streams::{Streams, Ticket};
use crate::wire::{self, op, Seqd};
use std::fmt::Write;
use std::net::SocketAddr;
use udpdissect_core::zlib::{self, Stop};
use udpdissect_core::{
    digits, Context, Dissection, Dissector, ExpertInfo, Hex, Packet, ProtocolInfo, Rules, Table, TimeNs, Value, Verdict,
};

/// Reassembled message (DESIGN limit).
const MAX_MESSAGE: usize = 1 << 20;
/// Inflated output per packet and per session (DESIGN limits).
const MAX_INFLATE_PACKET: usize = 64 * 1024;
const MAX_INFLATE_SESSION: u64 = 64 << 20;
const MAX_RATIO: usize = 1024;
/// Nesting of protocol packets (DESIGN limit).
const MAX_NESTING: u8 = 8;
/// Packets held for a gap, their bytes, and how long a gap is waited for (EQEmu closes a
/// connection after 30 s without an ack).
const MAX_HELD: usize = 256;
const MAX_HELD_BYTES: usize = 256 << 10;
const GAP_GIVE_UP: TimeNs = 30 * 1_000_000_000;
/// Derived buffers per frame.
const MAX_SOURCES: usize = 32;
/// Parts of the info column per frame.
const MAX_INFO_PARTS: u8 = 8;

const C2S: usize = 0;
const S2C: usize = 1;

const CRC_NAMES: [&str; 3] = ["good", "bad", "unverified"];
const SEQ_NAMES: [&str; 5] = ["in order", "ahead (held)", "retransmission", "duplicate", "filled a gap"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Game {
    #[default]
    Unknown,
    Eq1,
    Eq2,
}

struct Held {
    seq: u16,
    frame: u64,
    frag: bool,
    data: Vec<u8>,
}

struct Frag {
    total: usize,
    collected: usize,
    buf: Vec<u8>,
    first_frame: u64,
    discard: bool,
}

/// One direction of one reliable channel.
#[derive(Default)]
struct Chan {
    /// Next sequence number the receiver delivers.
    expected: Option<u16>,
    held: Vec<Held>,
    held_bytes: usize,
    /// When the current gap opened.
    gap_since: Option<(u64, TimeNs)>,
    frag: Option<Frag>,
    sent: SentRing,
    highest: Option<u16>,
    /// Cumulative ack from the receiver.
    acked: Option<u16>,
}

/// Both directions' four channels. Channel 0 is inline; 1–3, which neither emulator sends
/// ("only channel 0 seems used"), are allocated on first use: a capture can hold 65 536
/// sessions.
#[derive(Default)]
struct Chans {
    first: [Chan; 2],
    more: Option<Box<[[Chan; 3]; 2]>>,
}

impl Chans {
    fn at(&mut self, dir: usize, ch: u8) -> &mut Chan {
        match ch {
            0 => &mut self.first[dir],
            _ => &mut self.more.get_or_insert_with(Default::default)[dir][usize::from(ch) - 1],
        }
    }
}

/// `a` is after `b` in 16-bit serial order.
fn after(a: u16, b: u16) -> bool {
    let d = a.wrapping_sub(b);
    d != 0 && d < 0x8000
}

#[derive(Default)]
struct Eq2State {
    /// Frame of the KeyGen and whether its key is the emulators' identity key.
    keygen: Option<(u64, bool)>,
    key: Option<u64>,
    /// Boxed: EQ1 sessions have none.
    rc4: [Option<Box<Rc4>>; 2],
    /// The server→client zlib stream, from the first compressed packet on.
    stream: Option<Ticket>,
    lost: [Option<u64>; 2],
    version: Option<u16>,
    no_key_noted: [bool; 2],
    reply_seen: bool,
}

/// What a conversation's EQStream session holds.
#[derive(Default)]
pub struct Session {
    recognized: bool,
    handshake: Option<u64>,
    response: Option<u64>,
    client: Option<SocketAddr>,
    session_id: u32,
    key: Option<u32>,
    key_state: u32,
    crc_bytes: Option<u8>,
    passes: [u8; 2],
    passes_inferred: bool,
    recovery: Option<Box<KeyRecovery>>,
    candidate: Option<(u32, u64)>,
    game: Game,
    chans: Chans,
    eq2: Eq2State,
    stat_request: Option<(u64, u16)>,
    packets: u64,
    /// Frame of the SessionDisconnect: the streams' state is released there.
    closed: Option<u64>,
    /// This session's row in the statistics (`usize::MAX`: the table was full).
    row: Option<usize>,
    pub(crate) c: Counters,
}

impl Session {
    fn crc_len(&self) -> usize {
        self.crc_bytes.map_or(2, usize::from)
    }

    /// After a disconnect nothing more is delivered: free the streams (the inflater's window,
    /// held packets, rings) so ended sessions cost little while the conversation lives on.
    fn release(&mut self, frame: u64, streams: &mut Streams) {
        self.closed = Some(frame);
        self.chans = Default::default();
        if let Some(t) = self.eq2.stream.take() {
            streams.close(t);
        }
        self.eq2.rc4 = [None, None];
    }

    fn set_key(&mut self, key: u32) {
        self.key = Some(key);
        self.key_state = crc::key_state(key);
    }
}

#[derive(Default)]
pub struct EqStream {
    cfg: Config,
    z: zlib::Inflater,
    streams: Streams,
    pool: Vec<Vec<u8>>,
    rows: Rows,
}

impl EqStream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies a session's counters to its statistics row.
    fn record(&mut self, s: &mut Session, pkt: &Packet) {
        let idx = match s.row {
            Some(i) => i,
            None => {
                let client = s.client.unwrap_or(pkt.src);
                let server = if client == pkt.src { pkt.dst } else { pkt.src };
                let row = Row {
                    client,
                    server,
                    session_id: s.handshake.map(|_| s.session_id),
                    first_frame: pkt.frame,
                    game: s.game,
                    key: None,
                    lost: None,
                    crc_bytes: None,
                    passes: None,
                    c: Counters::default(),
                };
                let i = self.rows.add(row).unwrap_or(usize::MAX);
                s.row = Some(i);
                i
            }
        };
        if let Some(r) = self.rows.rows.get_mut(idx) {
            r.c = s.c;
            r.game = s.game;
            r.key = s.eq2.key;
            r.lost = s.eq2.lost[0].into_iter().chain(s.eq2.lost[1]).min();
            r.crc_bytes = s.crc_bytes;
            r.passes = s.passes_inferred.then_some(s.passes);
        }
    }
}

/// How much a datagram looks like EQStream on its own (0–100).
pub fn score(p: &[u8]) -> u8 {
    if p.len() < 2 || p[0] != 0 {
        return 0;
    }
    let len = p.len();
    match p[1] {
        op::SESSION_REQUEST if len >= 14 => {
            let version = u32::from_be_bytes([p[2], p[3], p[4], p[5]]);
            let max = u32::from_be_bytes([p[10], p[11], p[12], p[13]]);
            let tail_ok = len == 14 || (len <= 64 && p[len - 1] == 0);
            if version <= 3 && (256..=8192).contains(&max) && tail_ok {
                90
            } else {
                0
            }
        }
        op::SESSION_RESPONSE
            if (len == 17 || len == 21)
                && matches!(p[10], 0 | 2 | 4)
                && matches!(p[11], 0 | 1 | 4 | 5)
                && matches!(p[12], 0 | 1 | 4 | 5) =>
        {
            70
        }
        0x11..=0x18 if len == 6 || len == 7 => 50,
        op::KEEP_ALIVE if len == 4 || len == 5 => 40,
        op::STAT_REQUEST if (40..=45).contains(&len) => 60,
        0x09..=0x10 if len >= 7 => 50,
        op::COMBINED | op::APP_COMBINED if len >= 6 => 30,
        _ => 0,
    }
}

/// Why a zlib stream stops.
enum Lost {
    /// The per-session output bound (less than a packet's worth was left).
    SessionLimit,
    /// The per-packet output bound.
    PacketLimit,
    Corrupt,
    /// Dropped for another connection's (`-o eqstream.max_streams`).
    Dropped,
}

/// Walks one datagram with everything it may touch.
struct Walk<'a> {
    cfg: &'a Config,
    z: &'a mut zlib::Inflater,
    streams: &'a mut Streams,
    pool: &'a mut Vec<Vec<u8>>,
    s: &'a mut Session,
    out: &'a mut Dissection,
    frame: u64,
    time: TimeNs,
    src: SocketAddr,
    dst: SocketAddr,
    dir: usize,
    sources: usize,
    parts: u8,
}

fn named(value: u8, name: Option<&'static str>) -> Value {
    Value::Enum { value: u64::from(value), name }
}

impl Walk<'_> {
    fn take_buf(&mut self) -> Vec<u8> {
        let mut b = self.pool.pop().unwrap_or_default();
        b.clear();
        b
    }

    fn give_buf(&mut self, b: Vec<u8>) {
        if self.pool.len() < 16 && b.capacity() <= 2 * MAX_INFLATE_PACKET {
            self.pool.push(b);
        }
    }

    /// Starts a new part of the info column; false when there are enough already.
    fn part(&mut self) -> bool {
        self.parts = self.parts.saturating_add(1);
        if self.parts > MAX_INFO_PARTS {
            if self.parts == MAX_INFO_PARTS + 1 {
                self.out.info.push_str(", …");
            }
            return false;
        }
        if !self.out.info.is_empty() {
            self.out.info.push_str(", ");
        }
        true
    }

    fn info(&mut self, args: std::fmt::Arguments) {
        if self.part() {
            let _ = self.out.info.write_fmt(args);
        }
    }

    /// Starts an info part with `text` (no `fmt`: the hot path).
    fn info_str(&mut self, text: &str) {
        if self.part() {
            self.out.info.push_str(text);
        }
    }

    /// Starts an info part with `text` and a number (no `fmt`).
    fn info_num(&mut self, text: &str, n: u64) {
        if self.part() {
            self.out.info.push_str(text);
            digits::push_u64(&mut self.out.info, n);
        }
    }

    /// Starts an info part `{kind} seq={seq}`.
    fn info_seq(&mut self, kind: &str, seq: u16) {
        if self.part() {
            self.out.info.push_str(kind);
            self.out.info.push_str(" seq=");
            digits::push_u64(&mut self.out.info, seq.into());
        }
    }

    /// Appends to the current info part.
    fn info_more(&mut self, args: std::fmt::Arguments) {
        self.info_more_with(|s| {
            let _ = s.write_fmt(args);
        });
    }

    /// Appends to the current info part what `write` writes (for the hot paths, without `fmt`).
    fn info_more_with(&mut self, write: impl FnOnce(&mut String)) {
        if self.parts <= MAX_INFO_PARTS {
            write(&mut self.out.info);
        }
    }

    fn expert_at(&mut self, e: &'static ExpertInfo, at: usize, len: usize, msg: String) {
        self.out.expert_at(e, at, len, msg);
    }

    fn malformed(&mut self, at: usize, len: usize, msg: String) {
        self.out.expert_at(&MALFORMED, at, len, msg);
        if len > 0 {
            self.out.add(&DATA, at, len, Value::Bytes);
        }
    }

    /// Adds a derived buffer and points the cursor at it; returns the cursor to restore.
    fn enter_source(&mut self, name: std::fmt::Arguments, data: &[u8]) -> Option<(u16, u32)> {
        if !self.out.wants_tree() {
            return None;
        }
        if self.sources >= MAX_SOURCES {
            if self.sources == MAX_SOURCES {
                self.out.expert(&DEPTH_LIMIT, format!("more than {MAX_SOURCES} derived buffers in one frame"));
            }
            self.sources += 1;
            return None;
        }
        self.sources += 1;
        let id = self.out.add_source(name, |b| b.extend_from_slice(data));
        Some(self.out.set_cursor(id, 0))
    }

    fn leave_source(&mut self, saved: Option<(u16, u32)>) {
        if let Some((s, b)) = saved {
            self.out.set_cursor(s, b);
        }
    }

    // ---- top level ----

    fn top(&mut self, p: &[u8], cut: bool) {
        if p.len() < 2 {
            self.out.message = "Malformed";
            self.info(format_args!("Malformed ({} byte)", p.len()));
            self.malformed(0, p.len(), "a datagram of fewer than 2 bytes".into());
            return;
        }
        if p[0] == 0 {
            match p[1] {
                op::SESSION_REQUEST => return self.session_request(p),
                op::SESSION_RESPONSE => return self.session_response(p),
                op::OUT_OF_SESSION => return self.out_of_session(p),
                _ => {}
            }
        }
        self.s.packets += 1;
        let end = self.crc(p, cut);
        let body = &p[..end];
        if !self.s.passes_inferred && self.s.handshake.is_none() {
            self.infer_passes(body);
        }
        if self.s.passes == [0, 0] || body.len() < 2 {
            self.decoded(body, 0, 0, true);
            return;
        }
        let Some(buf) = self.passes(body) else { return };
        let saved = self.enter_source(format_args!("Decoded (encode passes undone)"), &buf);
        self.decoded(&buf, 0, 0, true);
        self.leave_source(saved);
        self.give_buf(buf);
    }

    /// Mid-stream: a `5a 78` (zlib) or a flagged ack/keep-alive shows the compression pass.
    fn infer_passes(&mut self, body: &[u8]) {
        let start = passes::region_start(body);
        let flag = body.get(start).copied();
        let zlib = flag == Some(passes::FLAG_COMPRESSED) && body.get(start + 1) == Some(&0x78);
        let flagged_short = body.first() == Some(&0)
            && flag == Some(passes::FLAG_PLAIN)
            && matches!((body[1], body.len()), (0x11..=0x18, 5) | (op::KEEP_ALIVE, 3));
        if zlib || flagged_short {
            self.s.passes = [wire::PASS_COMPRESS, 0];
            self.s.passes_inferred = true;
        }
    }

    /// Checks the trailer; returns where the body ends.
    fn crc(&mut self, p: &[u8], cut: bool) -> usize {
        let n = self.s.crc_len();
        let len = p.len();
        if n == 0 {
            if let (Some(_), true) = (self.s.key, len >= 4) {
                let full = crc::crc32(self.s.key_state, &p[..len - 2]);
                if full & 0xffff == crc::read_trailer(&p[len - 2..]) {
                    self.expert_at(
                        &CRC_LENGTH_MISMATCH,
                        len - 2,
                        2,
                        "the last 2 bytes are a valid CRC but the session negotiated no CRC: the peer reads them as data"
                            .into(),
                    );
                }
            }
            return len;
        }
        if len < 2 + n {
            self.expert_at(
                &MALFORMED,
                0,
                len,
                format!("{len} bytes: too short for an opcode and a {n}-byte CRC; the peer drops it"),
            );
            return len;
        }
        let end = len - n;
        let t = crc::read_trailer(&p[end..]);
        self.out.add(&CRC, end, n, Value::Unsigned(u64::from(t)));
        if cut {
            self.out.add_generated(&CRC_STATUS, named(2, Some(CRC_NAMES[2])));
            return end;
        }
        let Some(key) = self.s.key else {
            self.recover(&p[..end], t, n);
            return end;
        };
        let expected = crc::trailer(crc::crc32(self.s.key_state, &p[..end]), n);
        if expected == t {
            self.out.add_generated(&CRC_STATUS, named(0, Some(CRC_NAMES[0])));
            return end;
        }
        // A trailer of another length than negotiated?
        if n == 2 && len >= 6 && crc::crc32(self.s.key_state, &p[..len - 4]) == crc::read_trailer(&p[len - 4..]) {
            self.expert_at(
                &CRC_LENGTH_MISMATCH,
                len - 4,
                4,
                "a full 4-byte CRC-32 where the session negotiated 2 bytes: the peer checks only the last 2 \
                 and drops the packet"
                    .into(),
            );
            return len - 4;
        }
        if n == 4 && crc::crc32(self.s.key_state, &p[..len - 2]) & 0xffff == crc::read_trailer(&p[len - 2..]) {
            self.expert_at(
                &CRC_LENGTH_MISMATCH,
                len - 2,
                2,
                "a 2-byte CRC where the session negotiated 4: the peer checks 4 bytes and drops the packet".into(),
            );
            return len - 2;
        }
        self.s.c.crc_errors += 1;
        self.out.add_generated(&CRC_STATUS, named(1, Some(CRC_NAMES[1])));
        self.out.add_generated(&CRC_EXPECTED, Value::Unsigned(u64::from(expected)));
        let quirk = if t == 0 { " (EQ2Emu accepts a 00 00 trailer)" } else { "" };
        self.expert_at(
            &CRC_MISMATCH,
            end,
            n,
            format!(
                "CRC {t:0w$x}, expected {expected:0w$x} for key {key:08x}: EQEmu and EQ2Emu drop this packet{quirk}",
                w = n * 2
            ),
        );
        end
    }

    /// No key yet: learn it from the trailers (§4), then verify it on a later packet.
    fn recover(&mut self, data: &[u8], t: u32, n: usize) {
        self.out.add_generated(&CRC_STATUS, named(2, Some(CRC_NAMES[2])));
        if n != 2 || self.s.handshake.is_some() {
            return;
        }
        if let Some((k, from)) = self.s.candidate {
            if crc::crc32(crc::key_state(k), data) & 0xffff == t {
                self.s.set_key(k);
                self.s.crc_bytes = Some(2);
                self.out.add_generated(&CRC_KEY, Value::Unsigned(u64::from(k)));
                self.out.expert(
                    &CRC_KEY_RECOVERED,
                    format!(
                        "session key {k:08x} recovered from the CRCs up to frame {from} and verified on this one; \
                         CRCs are checked from here on"
                    ),
                );
            } else {
                self.s.candidate = None;
                self.s.recovery = None;
            }
            return;
        }
        let r = self.s.recovery.get_or_insert_with(Default::default);
        if r.failed {
            return;
        }
        if let Some(k) = r.add(data, t as u16) {
            self.s.candidate = Some((k, self.frame));
        }
    }

    /// Undoes pass2 then pass1; `None` when the packet cannot be decoded.
    fn passes(&mut self, body: &[u8]) -> Option<Vec<u8>> {
        let start = passes::region_start(body);
        let mut buf = self.take_buf();
        buf.extend_from_slice(body);
        for pass in [self.s.passes[1], self.s.passes[0]] {
            match pass {
                wire::PASS_COMPRESS if buf.len() > start => {
                    let flag = buf[start];
                    let name = match flag {
                        passes::FLAG_COMPRESSED => Some("zlib"),
                        passes::FLAG_PLAIN => Some("stored"),
                        _ => None,
                    };
                    if name.is_some() {
                        self.out.add(&FLAG, start, 1, named(flag, name));
                    }
                    if flag == passes::FLAG_PLAIN {
                        buf.remove(start);
                    } else if flag == passes::FLAG_COMPRESSED {
                        let mut inflated = self.take_buf();
                        inflated.extend_from_slice(&buf[..start]);
                        let r = passes::inflate_packet(self.z, &buf[start + 1..], &mut inflated, 4096 + start);
                        match r {
                            Ok(()) => {
                                let ratio = (inflated.len() - start) / (buf.len() - start).max(1);
                                if ratio > MAX_RATIO {
                                    self.out.expert(
                                        &INFLATE_LIMIT,
                                        format!("compression ratio {ratio}: over {MAX_RATIO}, a zip bomb?"),
                                    );
                                }
                                std::mem::swap(&mut buf, &mut inflated);
                                self.give_buf(inflated);
                            }
                            Err(e) => {
                                let (info, msg) = match e {
                                    Stop::Corrupt => (
                                        &INFLATE_FAILED,
                                        "zlib data after the 5a flag does not inflate: EQEmu drops the packet",
                                    ),
                                    Stop::Limit => (
                                        &INFLATE_LIMIT,
                                        "inflates to more than 4096 bytes, EQEmu's limit: it drops the packet",
                                    ),
                                };
                                self.out.expert_at(info, start + 1, buf.len() - start - 1, msg.to_string());
                                self.decoded_head(&buf[..start]);
                                self.out.add(&DATA, start + 1, buf.len() - start - 1, Value::Bytes);
                                self.give_buf(inflated);
                                self.give_buf(buf);
                                return None;
                            }
                        }
                    }
                }
                wire::PASS_XOR => match self.s.key {
                    Some(k) => passes::xor_decode(&mut buf[start.min(body.len())..], k),
                    None => {
                        self.decoded_head(&buf[..start.min(buf.len())]);
                        self.out.add(&DATA, start, buf.len().saturating_sub(start), Value::Bytes);
                        self.info_more(format_args!(" (XOR-encoded, no key yet)"));
                        self.give_buf(buf);
                        return None;
                    }
                },
                _ => {}
            }
        }
        Some(buf)
    }

    /// The opcode of a packet whose body cannot be decoded.
    fn decoded_head(&mut self, head: &[u8]) {
        if head.len() >= 2 && head[0] == 0 {
            let name = wire::op_name(head[1]);
            self.out.add(&OP, 0, 2, named(head[1], name));
            self.out.message = name.unwrap_or("Unknown");
            self.info_str(name.unwrap_or("Unknown"));
        } else {
            self.out.message = "Application";
            self.info_str("Application");
        }
    }

    // ---- session packets ----

    fn session_request(&mut self, p: &[u8]) {
        self.out.add(&OP, 0, 2, named(op::SESSION_REQUEST, Some("SessionRequest")));
        self.out.message = "SessionRequest";
        let Ok(req) = wire::SessionRequest::parse(p) else {
            self.info_str("SessionRequest (malformed)");
            return self.malformed(
                2,
                p.len() - 2,
                format!("SessionRequest of {} bytes: 14 needed; the server ignores it", p.len()),
            );
        };
        let repeat = self.s.response.is_none() && self.s.handshake.is_some() && self.s.session_id == req.session_id;
        if (self.s.handshake.is_some() || self.s.packets > 0) && !repeat {
            let old = self.s.handshake.map_or("a session seen mid-stream".to_string(), |f| {
                format!("the session of frame {f} (id {:08x})", self.s.session_id)
            });
            self.out.expert(
                &SESSION_RESET,
                format!(
                    "new SessionRequest (id {:08x}) replaces {old}: the server resets sequence numbers, key and streams",
                    req.session_id
                ),
            );
        }
        if !repeat {
            if let Some(t) = self.s.eq2.stream.take() {
                self.streams.close(t);
            }
            *self.s = Session { recognized: true, ..Default::default() };
        }
        self.s.handshake = Some(self.frame);
        self.s.client = Some(self.src);
        self.s.session_id = req.session_id;
        self.dir = C2S;
        self.out.add(&REQ_VERSION, wire::at::REQ_VERSION, 4, Value::Unsigned(u64::from(req.protocol_version)));
        self.out.add(&REQ_SESSION, wire::at::REQ_SESSION, 4, Value::Unsigned(u64::from(req.session_id)));
        self.out.add(&REQ_MAX_LEN, wire::at::REQ_MAX_LEN, 4, Value::Unsigned(u64::from(req.max_length)));
        if !req.tag.is_empty() {
            let text = req.tag.split(|&b| b == 0).next().unwrap_or(&[]);
            self.out.add(
                &REQ_TAG,
                wire::at::REQ_TAG,
                req.tag.len(),
                Value::String(String::from_utf8_lossy(text).into_owned().into()),
            );
        }
        self.info(format_args!("SessionRequest id={:08x} max={}", req.session_id, req.max_length));
    }

    fn session_response(&mut self, p: &[u8]) {
        self.out.add(&OP, 0, 2, named(op::SESSION_RESPONSE, Some("SessionResponse")));
        self.out.message = "SessionResponse";
        let Ok(r) = wire::SessionResponse::parse(p) else {
            self.info_str("SessionResponse (malformed)");
            return self.malformed(
                2,
                p.len() - 2,
                format!("SessionResponse of {} bytes: at least 17 needed; the client ignores it", p.len()),
            );
        };
        use wire::at;
        let pass_name = |v: u8| match v {
            0 => Some("none"),
            1 => Some("compression"),
            4 => Some("XOR"),
            5 => Some("compression+XOR"),
            _ => None,
        };
        self.out.add(&RESP_SESSION, at::RESP_SESSION, 4, Value::Unsigned(u64::from(r.session_id)));
        self.out.add(&RESP_KEY, at::RESP_KEY, 4, Value::Unsigned(u64::from(r.key)));
        self.out.add(&RESP_CRC_BYTES, at::RESP_CRC, 1, Value::Unsigned(u64::from(r.crc_bytes)));
        self.out.add(&RESP_PASS1, at::RESP_PASS1, 1, named(r.pass1, pass_name(r.pass1)));
        self.out.add(&RESP_PASS2, at::RESP_PASS2, 1, named(r.pass2, pass_name(r.pass2)));
        self.out.add(&RESP_MAX_LEN, at::RESP_MAX_LEN, 4, Value::Unsigned(u64::from(r.max_length)));
        if let Some(u) = r.unknown {
            self.out.add(&RESP_UNKNOWN, at::RESP_UNKNOWN, 4, Value::Unsigned(u64::from(u)));
        }
        if p.len() > 21 {
            self.out.add(&DATA, 21, p.len() - 21, Value::Bytes);
        }
        // The notes put a u32 "unknown" before max_length: max_length then reads as that
        // unknown (0) and the real value sits in the trailing u32.
        if let Some(u) = r.unknown.filter(|&u| r.max_length < 64 && (256..=8192).contains(&u)) {
            self.expert_at(
                &RESPONSE_LAYOUT,
                at::RESP_MAX_LEN,
                8,
                format!(
                    "max_length {} then {u}: the notes' layout (unknown before max_length); the client reads \
                     max_length {} from bytes 13-16",
                    r.max_length, r.max_length
                ),
            );
        }
        if let Some(f) = self.s.handshake.filter(|_| self.s.session_id != r.session_id) {
            self.expert_at(
                &MALFORMED,
                at::RESP_SESSION,
                4,
                format!(
                    "session id {:08x} does not echo the request's {:08x} (frame {f}); the client ignores it",
                    r.session_id, self.s.session_id
                ),
            );
        }
        if self.s.handshake.is_none() {
            // The request was not captured: the responder is the server.
            self.s.client = Some(self.dst);
            self.dir = S2C;
        }
        self.s.recognized = true;
        self.s.response = Some(self.frame);
        self.s.set_key(r.key);
        self.s.crc_bytes = Some(if matches!(r.crc_bytes, 0 | 2 | 4) { r.crc_bytes } else { 2 });
        if !matches!(r.crc_bytes, 0 | 2 | 4) {
            self.expert_at(
                &MALFORMED,
                at::RESP_CRC,
                1,
                format!("crc_bytes {}: only 0, 2 and 4 exist; read as 2", r.crc_bytes),
            );
        }
        // EQ2Emu reads the passes as a bitmask: 5 is both.
        let mask = |v: u8| match v {
            5 => [wire::PASS_COMPRESS, wire::PASS_XOR],
            1 | 4 => [v, 0],
            _ => [0, 0],
        };
        let (a, b) = (mask(r.pass1), mask(r.pass2));
        self.s.passes = if a[1] != 0 { a } else { [a[0], b[0]] };
        self.s.passes_inferred = true;
        if self.cfg.session_key_rc4 {
            let (s2c, c2s) = eq2::rc4_pair_from_session_key(r.key);
            self.s.eq2.rc4 = [Some(Box::new(c2s)), Some(Box::new(s2c))];
            self.s.game = Game::Eq2;
        }
        self.info(format_args!(
            "SessionResponse id={:08x} key={:08x} crc={} passes={}/{}",
            r.session_id, r.key, r.crc_bytes, r.pass1, r.pass2
        ));
    }

    fn out_of_session(&mut self, p: &[u8]) {
        self.out.add(&OP, 0, 2, named(op::OUT_OF_SESSION, Some("OutOfSession")));
        self.out.message = "OutOfSession";
        if let Some(b) = p.get(2..6) {
            self.out.add(&OOS_VALUE, 2, 4, Value::Unsigned(u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))));
        }
        self.info_str("OutOfSession");
        self.out.expert(
            &OUT_OF_SESSION,
            format!(
                "{} says it has no session with {}: the client must start over with a SessionRequest",
                self.src, self.dst
            ),
        );
    }

    // ---- the classifier (§1, §13 `decoded`) ----

    fn decoded(&mut self, p: &[u8], at: usize, depth: u8, top: bool) {
        if depth > MAX_NESTING {
            self.out.expert_at(&DEPTH_LIMIT, at, p.len(), format!("nested deeper than {MAX_NESTING} levels"));
            self.out.add(&DATA, at, p.len(), Value::Bytes);
            return;
        }
        if p.is_empty() {
            return self.malformed(at, 0, "an empty packet".into());
        }
        if p[0] != 0 {
            if top {
                self.out.message = "Application";
            }
            return self.app(p, at, depth);
        }
        if p.len() < 2 {
            return self.malformed(at, 1, "a lone 00 byte".into());
        }
        let code = p[1];
        let name = wire::op_name(code);
        self.out.add(&OP, at, 2, named(code, name));
        if top {
            self.out.message = name.unwrap_or("Unknown");
        }
        let body = &p[2..];
        match code {
            op::PADDING => {
                self.out.add(&ESCAPE, at, 1, Value::Bytes);
                self.app(&p[1..], at + 1, depth);
            }
            op::COMBINED => self.combined(body, at + 2, depth),
            op::APP_COMBINED => self.app_combined(body, at + 2, depth),
            op::SESSION_DISCONNECT => {
                self.disconnect(body, at + 2);
                self.s.release(self.frame, self.streams);
            }
            op::KEEP_ALIVE | op::OUTBOUND_PING => {
                self.info_str(name.unwrap_or("KeepAlive"));
                if !body.is_empty() {
                    self.out.add(&DATA, at + 2, body.len(), Value::Bytes);
                }
            }
            op::STAT_REQUEST => self.stat_request(body, at + 2),
            op::STAT_RESPONSE => self.stat_response(body, at + 2),
            op::SESSION_REQUEST | op::SESSION_RESPONSE | op::OUT_OF_SESSION => {
                self.info(format_args!("{} (nested)", name.unwrap_or("")));
                self.malformed(at, p.len(), format!("{} nested in another packet", name.unwrap_or("")));
            }
            _ => match Seqd::of(code) {
                Some(Seqd::Packet(ch)) => self.reliable(ch, p, at, depth, false),
                Some(Seqd::Fragment(ch)) => self.reliable(ch, p, at, depth, true),
                Some(Seqd::Ack(ch)) => self.ack(ch, p, at, false),
                Some(Seqd::OutOfOrderAck(ch)) => self.ack(ch, p, at, true),
                None => {
                    self.info(format_args!("Unknown opcode 0x{code:02x}"));
                    self.out.expert_at(
                        &UNKNOWN_OPCODE,
                        at,
                        2,
                        format!("protocol opcode 0x{code:02x} is not used by EQEmu or EQ2Emu; they drop the packet"),
                    );
                    if !body.is_empty() {
                        self.out.add(&DATA, at + 2, body.len(), Value::Bytes);
                    }
                }
            },
        }
    }

    fn combined(&mut self, body: &[u8], at: usize, depth: u8) {
        let walk = |from: usize, escape: bool| -> Option<usize> {
            let mut pos = from;
            let mut n = 0;
            while pos < body.len() {
                pos = wire::combined_entry(body, pos, escape)?.data().end;
                n += 1;
            }
            Some(n)
        };
        let (from, escape) = if walk(0, false).is_some() {
            (0, false)
        } else if walk(0, true).is_some() {
            self.out.expert_at(
                &COMBINED_LENGTH_ESCAPE,
                at,
                body.len(),
                "entries parse only with FF + u16 length escapes: EQ2Emu reads them so, EQEmu reads FF as 255"
                    .to_string(),
            );
            (0, true)
        } else if body.first().is_some_and(|&c| walk(1, false) == Some(usize::from(c))) {
            self.out.add(&COMBINED_COUNT, at, 1, Value::Unsigned(u64::from(body[0])));
            self.expert_at(
                &COMBINED_COUNT_BYTE,
                at,
                1,
                format!(
                    "this Combined parses only with a leading count byte ({}), the notes' layout: the real peer \
                     reads that byte as the first entry's length and drops the rest",
                    body[0]
                ),
            );
            (1, false)
        } else {
            (0, false)
        };
        self.info_str("Combined");
        let mut pos = from;
        while pos < body.len() {
            let Some(e) = wire::combined_entry(body, pos, escape) else {
                self.malformed(
                    at + pos,
                    body.len() - pos,
                    format!("Combined entry at offset {} runs past the end of the packet", at + pos),
                );
                break;
            };
            self.out.open(&COMBINED_ENTRY, at + e.at, e.prefix + e.len, Value::None);
            self.out.add(&COMBINED_LEN, at + e.at, e.prefix, Value::Unsigned(e.len as u64));
            let r = e.data();
            self.decoded(&body[r.clone()], at + r.start, depth + 1, false);
            self.out.close();
            pos = r.end;
        }
    }

    fn app_combined(&mut self, body: &[u8], at: usize, depth: u8) {
        self.info_str("AppCombined");
        let mut pos = 0;
        while pos < body.len() {
            let Some(e) = wire::app_combined_entry(body, pos) else {
                self.malformed(
                    at + pos,
                    body.len() - pos,
                    format!("AppCombined entry at offset {} runs past the end of the packet", at + pos),
                );
                break;
            };
            self.out.open(&COMBINED_ENTRY, at + e.at, e.prefix + e.len, Value::None);
            self.out.add(&COMBINED_LEN, at + e.at, e.prefix, Value::Unsigned(e.len as u64));
            let r = e.data();
            let entry = &body[r.clone()];
            if self.s.game == Game::Eq2 {
                self.eq2_blob(entry, at + r.start, depth + 1);
            } else if entry.len() >= 2 && entry[0] == 0 && entry[1] == 0 {
                self.out.add(&ESCAPE, at + r.start, 1, Value::Bytes);
                self.eq1_app(&entry[1..], at + r.start + 1);
            } else {
                self.eq1_app(entry, at + r.start);
            }
            self.out.close();
            pos = r.end;
        }
    }

    fn disconnect(&mut self, body: &[u8], at: usize) {
        match wire::Disconnect::parse(body) {
            Ok(d) => {
                self.out.add(&DISC_SESSION, at, 4, Value::Unsigned(u64::from(d.session_id)));
                match d.reason {
                    Some(r) => {
                        let name = wire::disconnect_reason(r);
                        self.out.add(&DISC_REASON, at + 4, 2, Value::Enum { value: u64::from(r), name });
                        self.info(format_args!("SessionDisconnect reason={}", name.unwrap_or("?")));
                    }
                    None => self.info_str("SessionDisconnect"),
                }
                if body.len() > 6 {
                    self.out.add(&DATA, at + 6, body.len() - 6, Value::Bytes);
                }
            }
            Err(_) => {
                self.info_str("SessionDisconnect (malformed)");
                self.malformed(at, body.len(), "SessionDisconnect without its 4-byte session id".into());
            }
        }
    }

    fn stat_request(&mut self, body: &[u8], at: usize) {
        let Ok(r) = wire::StatRequest::parse(body) else {
            self.info_str("SessionStatRequest (malformed)");
            return self.malformed(at, body.len(), format!("stat request of {} bytes: 38 needed", body.len()));
        };
        let u = |v: u32| Value::Unsigned(u64::from(v));
        self.out.add(&STAT_REQUEST_ID, at, 2, Value::Unsigned(u64::from(r.request_id)));
        self.out.add(&STAT_LAST_LOCAL, at + 2, 4, u(r.last_local_delta));
        self.out.add(&STAT_AVERAGE, at + 6, 4, u(r.average_delta));
        self.out.add(&STAT_LOW, at + 10, 4, u(r.low_delta));
        self.out.add(&STAT_HIGH, at + 14, 4, u(r.high_delta));
        self.out.add(&STAT_LAST_REMOTE, at + 18, 4, u(r.last_remote_delta));
        self.out.add(&STAT_SENT, at + 22, 8, Value::Unsigned(r.packets_sent));
        self.out.add(&STAT_RECEIVED, at + 30, 8, Value::Unsigned(r.packets_received));
        if body.len() > wire::STAT_LEN {
            self.out.add(&DATA, at + wire::STAT_LEN, body.len() - wire::STAT_LEN, Value::Bytes);
        }
        self.s.stat_request = Some((self.frame, r.request_id));
        self.info(format_args!("SessionStatRequest id={}", r.request_id));
    }

    fn stat_response(&mut self, body: &[u8], at: usize) {
        let Ok(r) = wire::StatResponse::parse(body) else {
            self.info_str("SessionStatResponse (malformed)");
            return self.malformed(at, body.len(), format!("stat response of {} bytes: 38 needed", body.len()));
        };
        self.out.add(&STAT_REQUEST_ID, at, 2, Value::Unsigned(u64::from(r.request_id)));
        self.out.add(&STAT_SERVER_TIME, at + 2, 4, Value::Unsigned(u64::from(r.server_time)));
        for (i, f) in
            [&STAT_CLIENT_SENT, &STAT_CLIENT_RECV, &STAT_SERVER_SENT, &STAT_SERVER_RECV].into_iter().enumerate()
        {
            self.out.add(f, at + 6 + 8 * i, 8, Value::Unsigned(r.counters[i]));
        }
        if body.len() > wire::STAT_LEN {
            self.out.add(&DATA, at + wire::STAT_LEN, body.len() - wire::STAT_LEN, Value::Bytes);
        }
        if let Some((f, id)) = self.s.stat_request.filter(|r2| r2.1 == r.request_id) {
            let _ = id;
            self.out.add_generated(&STAT_RESPONSE_TO, Value::Frame(f));
        }
        self.info(format_args!("SessionStatResponse id={}", r.request_id));
    }

    // ---- reliable delivery (§6, §7) ----

    fn reliable(&mut self, ch: u8, p: &[u8], at: usize, depth: u8, frag: bool) {
        let kind = if frag { "Fragment" } else { "Packet" };
        let Ok((seq, data)) = wire::parse_sequenced(p) else {
            self.info(format_args!("{kind} (malformed)"));
            return self.malformed(
                at,
                p.len(),
                format!("{kind} of {} bytes: no room for the sequence number", p.len()),
            );
        };
        self.out.add(&SEQ, at + 2, 2, Value::Unsigned(u64::from(seq)));
        self.out.add_generated(&CHANNEL, Value::Unsigned(u64::from(ch)));
        self.info_seq(kind, seq);
        self.s.c.reliable += 1;
        if ch > 0 && self.parts <= MAX_INFO_PARTS {
            self.out.info.push_str(" ch=");
            digits::push_u64(&mut self.out.info, ch.into());
        }
        let (frame, time, dir) = (self.frame, self.time, self.dir);
        let chan = self.s.chans.at(dir, ch);
        // Remember the first transmission of each sequence number for acks.
        let original = chan.sent.record(seq, frame, time);
        if chan.highest.is_none_or(|h| after(seq, h)) {
            chan.highest = Some(seq);
        }
        let expected = *chan.expected.get_or_insert(seq);
        let data_at = at + 4;
        if seq == expected {
            let filled = chan.gap_since.filter(|_| !chan.held.is_empty());
            let status = if filled.is_some() { 4 } else { 0 };
            self.out.add_generated(&SEQ_STATUS, named(status, Some(SEQ_NAMES[status as usize])));
            if let Some((gap_frame, _)) = filled {
                self.out.expert_at(
                    &OUT_OF_ORDER,
                    at + 2,
                    2,
                    format!("seq {seq} arrived after later packets (gap seen in frame {gap_frame}): delivered now"),
                );
            }
            let chan = self.s.chans.at(dir, ch);
            chan.expected = Some(seq.wrapping_add(1));
            self.deliver(ch, data, data_at, depth, frag);
            self.drain(ch, depth);
        } else if after(seq, expected) {
            self.out.add_generated(&SEQ_STATUS, named(1, Some(SEQ_NAMES[1])));
            self.out.add_generated(&SEQ_EXPECTED, Value::Unsigned(u64::from(expected)));
            self.info_more(format_args!(" (ahead of {expected}: held)"));
            if !data.is_empty() {
                self.out.add(&DATA, data_at, data.len(), Value::Bytes);
            }
            let chan = self.s.chans.at(dir, ch);
            if let Some(h) = chan.held.iter().find(|h| h.seq == seq) {
                let f = h.frame;
                self.out.expert_at(
                    &DUPLICATE,
                    at + 2,
                    2,
                    format!("seq {seq} again, already held since frame {f}: the copy is dropped"),
                );
                return;
            }
            if chan.held.is_empty() {
                self.s.c.gaps += 1;
                let chan = self.s.chans.at(dir, ch);
                chan.gap_since = Some((frame, time));
                let missing = seq.wrapping_sub(expected);
                self.out.expert_at(
                    &SEQ_GAP,
                    at + 2,
                    2,
                    format!(
                        "seq {seq} while {expected} is expected: {missing} packet(s) missing or late; the receiver \
                         holds this one and sends an out-of-order ack"
                    ),
                );
            }
            let mut buf = self.take_buf();
            buf.extend_from_slice(data);
            let chan = self.s.chans.at(dir, ch);
            chan.held_bytes += buf.len();
            chan.held.push(Held { seq, frame, frag, data: buf });
            let too_old = chan.gap_since.is_some_and(|(_, t)| time.saturating_sub(t) > GAP_GIVE_UP);
            if chan.held.len() > MAX_HELD || chan.held_bytes > MAX_HELD_BYTES || too_old {
                self.give_up(ch, depth);
            }
        } else {
            let acked = chan.acked.is_some_and(|a| !after(seq, a));
            let (status, tag) = if acked { (3u8, &DUPLICATE) } else { (2u8, &RETRANSMISSION) };
            self.s.c.retransmissions += 1;
            self.out.add_generated(&SEQ_STATUS, named(status, Some(SEQ_NAMES[status as usize])));
            self.out.add_generated(&SEQ_EXPECTED, Value::Unsigned(u64::from(expected)));
            if let Some(f) = original {
                self.out.add_generated(&ORIGINAL_FRAME, Value::Frame(f));
            }
            let first = original.map_or(String::new(), |f| format!(" first sent in frame {f}"));
            let msg = if acked {
                format!("seq {seq}{first} was already acknowledged: a needless copy (ack lost or late); dropped")
            } else {
                format!(
                    "seq {seq}{first} sent again before an ack covered it; the receiver already has it and drops it"
                )
            };
            self.out.expert_at(tag, at + 2, 2, msg);
            match original {
                Some(f) => self.info_more(format_args!(" (retransmission of frame {f})")),
                None => self.info_more(format_args!(" (retransmission)")),
            }
            if !data.is_empty() {
                self.out.add(&DATA, data_at, data.len(), Value::Bytes);
            }
        }
    }

    /// Delivers held packets that are next in order.
    fn drain(&mut self, ch: u8, depth: u8) {
        let dir = self.dir;
        loop {
            let chan = self.s.chans.at(dir, ch);
            let Some(next) = chan.expected else { return };
            let Some(i) = chan.held.iter().position(|h| h.seq == next) else {
                if chan.held.is_empty() {
                    chan.gap_since = None;
                }
                return;
            };
            let h = chan.held.swap_remove(i);
            chan.held_bytes -= h.data.len();
            chan.expected = Some(next.wrapping_add(1));
            if chan.held.is_empty() {
                chan.gap_since = None;
            }
            self.out.open(&DELIVERED, 0, 0, Value::Frame(h.frame));
            self.out.add_generated(&SEQ, Value::Unsigned(u64::from(h.seq)));
            self.info(format_args!("seq={} from frame {}", h.seq, h.frame));
            let saved = self.enter_source(format_args!("Held seq {} (frame {})", h.seq, h.frame), &h.data);
            self.deliver(ch, &h.data, 0, depth, h.frag);
            self.leave_source(saved);
            self.out.close();
            self.give_buf(h.data);
        }
    }

    /// The gap will not be filled: skip to the first held packet.
    fn give_up(&mut self, ch: u8, depth: u8) {
        let dir = self.dir;
        let chan = self.s.chans.at(dir, ch);
        let Some(expected) = chan.expected else { return };
        let Some(next) = chan.held.iter().map(|h| h.seq).min_by_key(|s| s.wrapping_sub(expected)) else { return };
        let since = chan.gap_since.map_or(self.frame, |g| g.0);
        chan.expected = Some(next);
        chan.frag = None;
        self.out.expert(
            &REORDER_LIMIT,
            format!(
                "seq {expected}..{} never arrived (gap since frame {since}); {} packet(s) held: delivery resumes at seq {next}",
                next.wrapping_sub(1),
                chan.held.len()
            ),
        );
        if self.s.game == Game::Eq2 && self.s.eq2.lost[dir].is_none() {
            self.s.eq2.lost[dir] = Some(self.frame);
            self.out.expert(
                &STREAM_LOST,
                format!(
                    "the RC4/zlib stream {} is lost with seq {expected}..{}: every later packet of this direction \
                     is not decryptable",
                    if dir == S2C { "server→client" } else { "client→server" },
                    next.wrapping_sub(1)
                ),
            );
        }
        self.drain(ch, depth);
    }

    /// A reliable payload delivered in order: straight on, or into the fragment buffer.
    fn deliver(&mut self, ch: u8, data: &[u8], at: usize, depth: u8, frag: bool) {
        if !frag {
            let dir = self.dir;
            if let Some(f) = self.s.chans.at(dir, ch).frag.take() {
                self.out.expert_at(
                    &MALFORMED,
                    at,
                    data.len(),
                    format!(
                        "a packet inside the fragment chain of frame {} ({} of {} bytes): the chain is broken",
                        f.first_frame, f.collected, f.total
                    ),
                );
                self.give_buf(f.buf);
            }
            return self.payload(data, at, depth);
        }
        let dir = self.dir;
        let frame = self.frame;
        let open = self.s.chans.at(dir, ch).frag.take();
        let mut f = match open {
            Some(mut f) => {
                self.out.add(&FRAG_DATA, at, data.len(), Value::Bytes);
                f.collected += data.len();
                if !f.discard {
                    f.buf.extend_from_slice(data);
                }
                f
            }
            None => {
                let Some(t) = data.get(..4) else {
                    self.info_more(format_args!(" (malformed)"));
                    return self.malformed(at, data.len(), "first fragment without its 4-byte total length".into());
                };
                let total = u32::from_be_bytes([t[0], t[1], t[2], t[3]]) as usize;
                self.out.add(&FRAG_TOTAL, at, 4, Value::Unsigned(total as u64));
                self.out.add(&FRAG_DATA, at + 4, data.len() - 4, Value::Bytes);
                // The notes' layout adds u16 fragment number and count after total_len.
                if let Some(h) = data.get(4..8) {
                    let (num, count) = (u16::from_be_bytes([h[0], h[1]]), u16::from_be_bytes([h[2], h[3]]));
                    let per = data.len().saturating_sub(8).max(1);
                    let want = total.div_ceil(per);
                    if num == 0 && count >= 2 && usize::from(count).abs_diff(want) <= 1 {
                        self.expert_at(
                            &FRAGMENT_LAYOUT,
                            at + 4,
                            4,
                            format!(
                                "bytes 00 00 {:02x} {:02x} after total_len look like the notes' fragment number 0 of \
                                 {count}: there are no such fields; the receiver takes them as message bytes",
                                h[2], h[3]
                            ),
                        );
                    }
                }
                let discard = total > MAX_MESSAGE;
                if discard {
                    self.expert_at(
                        &FRAGMENT_TOO_LARGE,
                        at,
                        4,
                        format!("fragment chain of {total} bytes announced: over the 1 MiB limit, not reassembled"),
                    );
                }
                let mut buf = self.take_buf();
                if !discard {
                    buf.extend_from_slice(&data[4..]);
                }
                Frag { total, collected: data.len() - 4, buf, first_frame: frame, discard }
            }
        };
        self.out.add_generated(&FRAG_COLLECTED, Value::Unsigned(f.collected as u64));
        self.info_more_with(|s| {
            s.push_str(" [");
            digits::push_u64(s, f.collected.min(f.total) as u64);
            s.push('/');
            digits::push_u64(s, f.total as u64);
            s.push(']');
        });
        if f.collected < f.total {
            self.s.chans.at(dir, ch).frag = Some(f);
            return;
        }
        if f.discard {
            self.give_buf(f.buf);
            return;
        }
        f.buf.truncate(f.total);
        self.s.c.reassembled += 1;
        self.out.add_generated(&REASSEMBLED, Value::Unsigned(f.total as u64));
        self.out.add_generated(&REASSEMBLED_FIRST, Value::Frame(f.first_frame));
        let saved = self.enter_source(format_args!("Reassembled ({} bytes)", f.total), &f.buf);
        self.payload(&f.buf, 0, depth + 1);
        self.leave_source(saved);
        self.give_buf(f.buf);
    }

    /// An OP_Packet payload or reassembled message.
    fn payload(&mut self, x: &[u8], at: usize, depth: u8) {
        if x.is_empty() {
            return;
        }
        if self.s.game == Game::Unknown {
            self.s.game = self.decide_game(x);
        }
        match self.s.game {
            Game::Eq2 => self.eq2_blob(x, at, depth + 1),
            _ if x[0] == 0 => self.decoded(x, at, depth + 1, false),
            _ => self.eq1_app(x, at),
        }
    }

    fn decide_game(&self, x: &[u8]) -> Game {
        match self.cfg.game {
            Game::Unknown => {}
            g => return g,
        }
        if self.dir == S2C && KeyGen::parse(x).is_some() {
            return Game::Eq2;
        }
        if self.s.passes != [0, 0] {
            return Game::Eq1;
        }
        let eq2_port = |p: u16| p == 9100 || p == 9106;
        if eq2_port(self.src.port()) || eq2_port(self.dst.port()) {
            Game::Eq2
        } else {
            Game::Eq1
        }
    }

    fn ack(&mut self, ch: u8, p: &[u8], at: usize, ooa: bool) {
        let kind = if ooa { "OutOfOrderAck" } else { "Ack" };
        let Ok((seq, rest)) = wire::parse_sequenced(p) else {
            self.info(format_args!("{kind} (malformed)"));
            return self.malformed(at, p.len(), format!("{kind} without its sequence number"));
        };
        self.out.add(&ACK, at + 2, 2, Value::Unsigned(u64::from(seq)));
        self.out.add_generated(&CHANNEL, Value::Unsigned(u64::from(ch)));
        self.info_seq(kind, seq);
        if !rest.is_empty() {
            self.out.add(&DATA, at + 4, rest.len(), Value::Bytes);
        }
        let other = 1 - self.dir;
        let handshake = self.s.handshake.is_some();
        let now = self.time;
        let stream = self.s.chans.at(other, ch);
        match stream.sent.get(seq) {
            Some(s) => {
                self.out.add_generated(&ACK_FRAME, Value::Frame(s.frame));
                if !s.resent {
                    self.s.c.rtt(now.saturating_sub(s.time));
                    self.out.add_generated(&ACK_RTT, Value::Duration(now.saturating_sub(s.time)));
                    if self.parts <= MAX_INFO_PARTS {
                        self.out.info.push_str(" rtt=");
                        digits::push_seconds(&mut self.out.info, now.saturating_sub(s.time), 9);
                    }
                }
            }
            None => {
                let unsent = match stream.highest {
                    Some(h) => after(seq, h),
                    None => handshake,
                };
                if unsent {
                    let last = stream.highest.map_or("none yet".to_string(), |h| h.to_string());
                    self.expert_at(
                        &ACK_UNSENT,
                        at + 2,
                        2,
                        format!("ack for seq {seq}, which the peer never sent (its highest is {last}); the sender ignores it"),
                    );
                }
            }
        }
        let stream = self.s.chans.at(other, ch);
        if !ooa && stream.acked.is_none_or(|a| after(seq, a)) {
            stream.acked = Some(seq);
        }
    }

    // ---- application packets ----

    fn app(&mut self, p: &[u8], at: usize, depth: u8) {
        if self.s.game == Game::Eq2 {
            self.eq2_blob(p, at, depth)
        } else {
            self.eq1_app(p, at)
        }
    }

    fn eq1_app(&mut self, p: &[u8], at: usize) {
        self.out.open(&APP, at, p.len(), Value::None);
        if p.len() < 2 {
            self.info_str("App (1 byte)");
            self.out.add(&DATA, at, p.len(), Value::Bytes);
            self.out.close();
            return;
        }
        let code = u16::from_le_bytes([p[0], p[1]]);
        let name = self.cfg.eq1.name(code);
        self.out.add(&EQ1_OPCODE, at, 2, Value::Enum { value: u64::from(code), name });
        if p.len() > 2 {
            self.out.add(&EQ1_BODY, at + 2, p.len() - 2, Value::Bytes);
        }
        self.out.close();
        match name {
            Some(n) => self.info_str(n),
            None => self.info(format_args!("App 0x{code:04x}")),
        }
    }

    /// An EQ2 blob (§9.4 step 2): AppCombined, the `00 00` escape, a nested protocol packet,
    /// or ciphertext.
    fn eq2_blob(&mut self, x: &[u8], at: usize, depth: u8) {
        if x.len() >= 2 && x[0] == 0 {
            match x[1] {
                op::APP_COMBINED => {
                    self.out.add(&OP, at, 2, named(op::APP_COMBINED, Some("AppCombined")));
                    return self.app_combined(&x[2..], at + 2, depth + 1);
                }
                op::PADDING => {
                    self.out.add(&ESCAPE, at, 1, Value::Bytes);
                    return self.rc4_app(&x[1..], at + 1);
                }
                _ => return self.decoded(x, at, depth + 1, false),
            }
        }
        self.rc4_app(x, at)
    }

    fn configured_key(&self) -> Option<u64> {
        let client = self.s.client.unwrap_or(self.src);
        self.cfg.key_for(self.s.handshake.map(|_| self.s.session_id), client)
    }

    fn start_rc4(&mut self, k: u64) {
        let (s2c, c2s) = eq2::rc4_pair(k);
        self.s.eq2.key = Some(k);
        self.s.eq2.rc4 = [Some(Box::new(c2s)), Some(Box::new(s2c))];
    }

    fn rc4_app(&mut self, y: &[u8], at: usize) {
        let d = self.dir;
        if y.is_empty() {
            return self.malformed(at, 0, "an empty EQ2 application packet".into());
        }
        if let Some(f) = self.s.eq2.lost[d] {
            self.s.c.undecrypted += 1;
            self.out.add_generated(&EQ2_NOT_DECRYPTABLE, Value::Frame(f));
            self.out.add(&EQ2_ENCRYPTED, at, y.len(), Value::Bytes);
            self.info(format_args!("not decryptable (stream lost at frame {f})"));
            return;
        }
        if let (Some(f), None) = (self.s.closed, &self.s.eq2.rc4[d]) {
            self.s.c.undecrypted += 1;
            self.out.add(&EQ2_ENCRYPTED, at, y.len(), Value::Bytes);
            self.info(format_args!("EQ2 data after the SessionDisconnect of frame {f}"));
            return;
        }
        if self.s.eq2.rc4[d].is_none() {
            if d == S2C && self.s.eq2.keygen.is_none() {
                if let Some((kg, lay)) = KeyGen::parse(y) {
                    return self.keygen(y, at, &kg, &lay);
                }
            }
            if d == C2S && self.s.eq2.keygen.is_some() && !self.s.eq2.reply_seen {
                return self.key_reply(y, at);
            }
            match self.configured_key() {
                Some(k) if self.s.eq2.keygen.is_none() => self.start_rc4(k),
                _ => {
                    self.s.c.undecrypted += 1;
                    self.out.add(&EQ2_ENCRYPTED, at, y.len(), Value::Bytes);
                    self.info(format_args!("EQ2 encrypted ({} bytes)", y.len()));
                    if !self.s.eq2.no_key_noted[d] {
                        self.s.eq2.no_key_noted[d] = true;
                        let why = match self.s.eq2.keygen {
                            Some((f, _)) => format!("the key reply after the KeyGen of frame {f} was not usable"),
                            None => "the capture holds no KeyGen and key reply".to_string(),
                        };
                        self.out.expert_at(
                            &NO_RC4_KEY,
                            at,
                            y.len(),
                            format!(
                                "EQ2 data without an RC4 key ({why}): give --keylog FILE or -o eqstream.rc4_key:HEX"
                            ),
                        );
                    }
                    return;
                }
            }
        }
        let mut buf = self.take_buf();
        buf.extend_from_slice(y);
        if let Some(r) = self.s.eq2.rc4[d].as_mut() {
            r.apply(&mut buf);
            self.s.c.decrypted += 1;
        }
        let saved = self.enter_source(format_args!("Decrypted (RC4)"), &buf);
        let base = if saved.is_some() { 0 } else { at };
        if d == S2C {
            self.server_plaintext(&buf, base, y.len());
        } else {
            self.eq2_app(&buf, base);
        }
        self.leave_source(saved);
        self.give_buf(buf);
    }

    /// Server→client plaintext: flag byte, then plain or inflated app data.
    fn server_plaintext(&mut self, buf: &[u8], base: usize, wire_len: usize) {
        let flag = buf[0];
        let name = match flag {
            eq2::FLAG_PLAIN => Some("plain"),
            eq2::FLAG_COMPRESSED => Some("compressed"),
            _ => None,
        };
        self.out.add(&EQ2_FLAG, base, 1, named(flag, name));
        match flag {
            eq2::FLAG_PLAIN => self.eq2_app(&buf[1..], base + 1),
            eq2::FLAG_COMPRESSED => {
                let ticket = match self.s.eq2.stream {
                    Some(t) => t,
                    None => *self.s.eq2.stream.insert(self.streams.open()),
                };
                let mut inflated = self.take_buf();
                let fed = self.streams.get(ticket).map(|z| {
                    let room = MAX_INFLATE_PACKET.min(MAX_INFLATE_SESSION.saturating_sub(z.total_out()) as usize);
                    (z.feed(self.z, &buf[1..], &mut inflated, room), room)
                });
                match fed {
                    Some((Ok(()), _)) => {
                        self.out.add_generated(&EQ2_INFLATED_LEN, Value::Unsigned(inflated.len() as u64));
                        if inflated.len() / wire_len.max(1) > MAX_RATIO {
                            self.out.expert(
                                &INFLATE_LIMIT,
                                format!("{} bytes inflated from {wire_len}: a ratio over {MAX_RATIO}", inflated.len()),
                            );
                        }
                        let saved = self.enter_source(format_args!("Inflated (EQ2 zlib stream)"), &inflated);
                        let b = if saved.is_some() { 0 } else { base + 1 };
                        self.eq2_app(&inflated, b);
                        self.leave_source(saved);
                    }
                    Some((Err(Stop::Limit), room)) if room < MAX_INFLATE_PACKET => {
                        self.lose_zlib(buf, base, Lost::SessionLimit)
                    }
                    Some((Err(Stop::Limit), _)) => self.lose_zlib(buf, base, Lost::PacketLimit),
                    Some((Err(Stop::Corrupt), _)) => self.lose_zlib(buf, base, Lost::Corrupt),
                    None => self.lose_zlib(buf, base, Lost::Dropped),
                }
                self.give_buf(inflated);
            }
            _ => {
                self.out.add(&DATA, base + 1, buf.len() - 1, Value::Bytes);
                self.info(format_args!("EQ2 flag 0x{flag:02x}?"));
                self.out.expert_at(
                    &MALFORMED,
                    base,
                    1,
                    format!(
                        "decrypted flag byte 0x{flag:02x} is neither 00 (plain) nor 01 (compressed): a wrong key or \
                         an RC4 stream out of step"
                    ),
                );
            }
        }
    }

    /// The stream stops at this packet: over a bound, corrupt, or dropped for another
    /// connection's.
    fn lose_zlib(&mut self, buf: &[u8], base: usize, why: Lost) {
        let dropped;
        let (info, msg) = match why {
            Lost::SessionLimit => {
                (&INFLATE_LIMIT, "the session's zlib stream passed 64 MiB of output: inflating stops")
            }
            Lost::PacketLimit => {
                (&INFLATE_LIMIT, "this packet inflates to more than 64 KiB, the per-packet bound: inflating stops")
            }
            Lost::Dropped => {
                dropped = format!(
                    "this connection's zlib stream was dropped to bound memory: more than {} connections had one \
                     open at once, and this one had gone longest without a compressed packet (-o \
                     eqstream.max_streams:N keeps more, about 42 KiB each)",
                    self.cfg.max_streams()
                );
                (&STREAMS_FULL, dropped.as_str())
            }
            Lost::Corrupt => (
                &INFLATE_FAILED,
                "the server→client zlib stream does not inflate here (a packet missed, or a wrong key)",
            ),
        };
        self.out.add(&DATA, base + 1, buf.len() - 1, Value::Bytes);
        self.out.expert_at(info, base + 1, buf.len() - 1, msg.to_string());
        self.s.eq2.lost[S2C] = Some(self.frame);
        self.out.expert(
            &STREAM_LOST,
            "the server→client zlib stream is lost here: every later packet of this direction is not decryptable",
        );
        self.info_str("EQ2 (zlib stream lost)");
    }

    fn eq2_app(&mut self, p: &[u8], at: usize) {
        self.out.open(&APP, at, p.len(), Value::None);
        let Some((code, n)) = eq2::parse_opcode(p) else {
            self.out.close();
            self.info_str("EQ2 (no opcode)");
            return self.malformed(at, p.len(), "EQ2 application packet without a whole opcode".into());
        };
        let name = self.cfg.eq2.name(code, self.s.eq2.version);
        self.out.add(&EQ2_OPCODE, at, n, Value::Enum { value: u64::from(code), name });
        let body = &p[n..];
        if !body.is_empty() {
            self.out.add(&EQ2_BODY, at + n, body.len(), Value::Bytes);
        }
        if self.dir == C2S {
            self.login(code, body, at + n);
        }
        self.out.close();
        match name {
            Some(nm) => self.info_str(nm),
            None => self.info_num("EQ2 op ", code.into()),
        }
    }

    /// LoginRequest (0) and LoginByNumRequest (1): the client version.
    fn login(&mut self, code: u16, body: &[u8], at: usize) {
        if code == 1 {
            if let Some(l) = LoginByNum::parse(body) {
                self.out.add(&LOGIN_ACCOUNT, at, 4, Value::Unsigned(u64::from(l.account_id)));
                self.out.add(&LOGIN_VERSION, at + 8, 2, Value::Unsigned(u64::from(l.version)));
                self.s.eq2.version = Some(l.version);
            }
        } else if code == 0 {
            let mut pos = 0;
            let mut strs = [0..0, 0..0, 0..0, 0..0];
            for s in &mut strs {
                let Some((r, next)) = eq2::str16(body, pos) else { return };
                *s = r;
                pos = next;
            }
            let text = |r: &std::ops::Range<usize>| {
                Value::String(String::from_utf8_lossy(&body[r.clone()]).into_owned().into())
            };
            if self.out.wants_tree() {
                self.out.add(&LOGIN_ACCESS_CODE, at + strs[0].start, strs[0].len(), text(&strs[0]));
                self.out.add(&LOGIN_USERNAME, at + strs[2].start, strs[2].len(), text(&strs[2]));
                self.out.add(&LOGIN_PASSWORD, at + strs[3].start, strs[3].len(), text(&strs[3]));
            }
            if let Some(v) = body.get(pos + 10..pos + 12) {
                let v = u16::from_le_bytes([v[0], v[1]]);
                self.out.add(&LOGIN_VERSION, at + pos + 10, 2, Value::Unsigned(u64::from(v)));
                self.s.eq2.version = Some(v);
            }
        }
    }

    fn keygen(&mut self, y: &[u8], at: usize, kg: &KeyGen, lay: &eq2::KeyGenLayout) {
        self.s.game = Game::Eq2;
        let identity = kg.is_identity();
        self.s.eq2.keygen = Some((self.frame, identity));
        self.out.open(&APP, at, y.len(), Value::None);
        self.out.add(&EQ2_OPCODE, at, 1, Value::Enum { value: 2, name: Some("OP_WSLoginRequestMsg") });
        self.out.add(&KEYGEN_MODULUS_LEN, at + lay.modulus_len_at, 4, Value::Unsigned(kg.modulus.len() as u64));
        self.out.add(&KEYGEN_MODULUS, at + lay.modulus_at, kg.modulus.len(), Value::Bytes);
        self.out.add(&KEYGEN_EXPONENT_LEN, at + lay.exponent_len_at, 4, Value::Unsigned(kg.exponent.len() as u64));
        self.out.add(&KEYGEN_EXPONENT, at + lay.exponent_at, kg.exponent.len(), Value::Bytes);
        if y.len() > lay.end {
            self.out.add(&DATA, at + lay.end, y.len() - lay.end, Value::Bytes);
        }
        self.out.close();
        self.info(format_args!("KeyGen ({}-byte modulus)", kg.modulus.len()));
        if !identity && self.configured_key().is_none() {
            self.out.expert_at(
                &RSA_KEY,
                at,
                y.len(),
                "the KeyGen holds a real RSA key (not the emulators' exponent 1): the client's key reply cannot \
                 be read; give the session's key with --keylog FILE or -o eqstream.rc4_key:HEX"
                    .to_string(),
            );
        }
    }

    fn key_reply(&mut self, y: &[u8], at: usize) {
        self.out.add(&KEY_REPLY, at, y.len(), Value::Bytes);
        let identity = self.s.eq2.keygen.is_some_and(|k| k.1);
        let from_reply = eq2::key_from_reply(y).filter(|_| identity);
        self.s.eq2.reply_seen = true;
        let k = self.configured_key().or(from_reply);
        match k {
            Some(k) => {
                self.start_rc4(k);
                self.out.add_generated(&RC4_KEY, Value::Unsigned(k));
                self.info(format_args!("Key reply K={}", Hex(&k.to_be_bytes())));
            }
            None => {
                self.s.eq2.reply_seen = true;
                self.info(format_args!("Key reply ({} bytes, unreadable)", y.len()));
                if y.len() < 8 {
                    self.malformed(at, y.len(), "a key reply shorter than the 8 key bytes".into());
                }
            }
        }
    }
}

/// Whether a conversation's first EQStream datagram is taken: a likely opcode and shape, or a
/// weaker one on a registered port. Once taken, the conversation's datagrams all are.
fn recognizes(pkt: &Packet) -> bool {
    let on_port = PORTS.contains(&pkt.src.port()) || PORTS.contains(&pkt.dst.port());
    let sc = score(pkt.payload);
    sc >= 50 || (on_port && sc >= 30)
}

/// EQStream's stateless decisions, for dispatching on another thread.
struct EqRules;

impl Rules for EqRules {
    fn accepts(&self, pkt: &Packet, before: bool) -> bool {
        before || recognizes(pkt)
    }

    fn probe(&self, pkt: &Packet, _known: bool) -> u8 {
        score(pkt.payload)
    }
}

impl Dissector for EqStream {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn rules(&self) -> Option<Box<dyn Rules>> {
        Some(Box::new(EqRules))
    }

    fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
        let p = pkt.payload;
        let conv_client = cx.client;
        let s = cx.state::<Session>();
        if !s.recognized {
            if !recognizes(pkt) {
                return Verdict::Rejected;
            }
            s.recognized = true;
            if !(p.len() >= 2 && p[0] == 0 && matches!(p[1], op::SESSION_REQUEST | op::SESSION_RESPONSE)) {
                out.expert(
                    &NO_HANDSHAKE,
                    "no SessionRequest/SessionResponse before this packet: the capture starts mid-session; \
                     the CRC key is recovered from the trailers and sequence numbers start here",
                );
                // Who is the server? The side on a known port, else the conversation's order.
                let server_port = |a: SocketAddr| PORTS.contains(&a.port());
                s.client = Some(if server_port(pkt.src) && !server_port(pkt.dst) {
                    pkt.dst
                } else if server_port(pkt.dst) {
                    pkt.src
                } else {
                    conv_client
                });
            }
        }
        let dir = match s.client {
            Some(c) if c == pkt.src => C2S,
            Some(_) => S2C,
            None => C2S,
        };
        out.protocol = PROTOCOL.column;
        out.open(&EQ, 0, p.len(), Value::None);
        // Past the last part when nothing reads the info column: every part is then skipped.
        let parts = if out.wants_info() { 0 } else { MAX_INFO_PARTS + 2 };
        let mut w = Walk {
            cfg: &self.cfg,
            z: &mut self.z,
            streams: &mut self.streams,
            pool: &mut self.pool,
            s: &mut *s,
            out,
            frame: pkt.frame,
            time: pkt.time,
            src: pkt.src,
            dst: pkt.dst,
            dir,
            sources: 0,
            parts,
        };
        w.top(p, pkt.cut_short());
        out.close();
        s.c.datagrams += 1;
        s.c.last_frame = pkt.frame;
        self.record(s, pkt);
        Verdict::Accepted
    }

    fn tables(&self) -> Vec<Table> {
        vec![self.rows.table()]
    }

    /// Preferences come before the capture: the streams are made afresh for `max_streams`.
    fn set_pref(&mut self, pref: &str, value: &str) -> Result<(), String> {
        self.cfg.set(pref, value)?;
        self.streams = Streams::new(self.cfg.max_streams());
        Ok(())
    }
}
#[cfg(test)]
mod tests {
    /// A capture can hold 65 536 sessions: what each costs before it sends much is bounded.
    #[test]
    fn a_session_is_small() {
        assert!(size_of::<super::Session>() <= 720, "{}", size_of::<super::Session>());
    }
}
