//! The dissector and its session tracking.

use crate::fields::*;
use crate::stats::{sessions_table, Retired, SessionRow, SessionStats};
use crate::wire::{self, Reply, Request, DEAD, PORT, REPLY_LEN, REQUEST_LEN};
use std::fmt::Write;
use std::net::{IpAddr, SocketAddr};
use udpdissect_core::digits;
use udpdissect_core::lru::LruMap;
use udpdissect_core::{
    Context, Direction, Dissection, Dissector, Packet, ProtocolInfo, Rules, Seconds, Table, TimeNs, Value, Verdict,
};

/// pysrun waits this long for a reply, then logs a warning.
const REPLY_WAIT: TimeNs = 500_000_000;
/// Bound on sessions and on beats awaiting a reply.
const MAX_ENTRIES: usize = 65_536;
const SECOND: TimeNs = 1_000_000_000;

const TYPE_NAMES: [&str; 2] = ["request", "reply"];
const STATUS_NAMES: [&str; 3] = ["alive", "dead", "other UID"];

/// The fields only the sessions give; the others are read off the datagram.
static TRACKED: [&udpdissect_core::FieldInfo; 7] =
    [&SESSION, &BEAT, &INTERVAL, &STATUS, &RESPONSE_TO, &RESPONSE_TIME, &REQUEST_UID];

/// Whether anything reads what the sessions conclude: their findings (and the tables, read
/// only where findings are), the info column's notes, the fields above. A run that reads
/// none (`-T fields -e heartbeat.uid`) keeps no sessions.
fn tracking(out: &Dissection) -> bool {
    out.wants_info() || out.wants_findings_or(&TRACKED)
}

/// One login as seen from the heartbeats: a client IP beating one server with one UID.
struct Session {
    number: u64,
    uid: i64,
    beats: u64,
    /// Frame and time of the previous beat.
    last_beat: Option<(u64, TimeNs)>,
    /// The previous beat's source address, to find it among the unanswered.
    last_client: Option<SocketAddr>,
    /// Interval set by the session's first two beats.
    cadence: Option<TimeNs>,
    /// Frame of the first -2 reply.
    dead_at: Option<u64>,
    /// The capture's losses before the previous beat ([`udpdissect_core::Unseen::total`]):
    /// the client beats from a new port each time, so only the session can tell whether the
    /// capture lost packets between two of its beats.
    lost_at_beat: u64,
    /// What `udpdissect stats` reports of it.
    stats: SessionStats,
}

impl Session {
    /// A session numbered from the capture-wide counter.
    fn new(counter: &mut u64, uid: i64) -> Session {
        *counter += 1;
        Session {
            number: *counter - 1,
            uid,
            beats: 0,
            last_beat: None,
            last_client: None,
            cadence: None,
            dead_at: None,
            lost_at_beat: 0,
            stats: SessionStats::default(),
        }
    }
}

/// A beat awaiting its reply.
struct Pending {
    frame: u64,
    time: TimeNs,
    uid: i64,
    /// The capture's losses before the beat, as [`Session::lost_at_beat`].
    lost: u64,
}

pub struct Heartbeat {
    sessions: LruMap<(IpAddr, SocketAddr), Session>,
    /// Sessions a new UID replaced, for the statistics (bounded).
    retired: Retired,
    /// Keyed by (client address, server address) of the beat.
    pending: LruMap<(SocketAddr, SocketAddr), Pending>,
    next_session: u64,
    /// Whether the latest datagram's run reads the sessions ([`tracking`]): what a run reads
    /// never changes, and a run that keeps no sessions has no buckets to load ahead.
    tracks: bool,
}

impl Default for Heartbeat {
    fn default() -> Self {
        Heartbeat {
            sessions: LruMap::new(MAX_ENTRIES),
            retired: Retired::default(),
            pending: LruMap::new(MAX_ENTRIES),
            next_session: 1,
            tracks: true,
        }
    }
}

impl Heartbeat {
    pub fn new() -> Self {
        Self::default()
    }

    fn request(&mut self, pkt: &Packet, out: &mut Dissection) {
        let bytes = pkt.payload;
        out.open(&HB, 0, bytes.len(), Value::None);
        out.add_generated(&TYPE, Value::Enum { value: 0, name: Some(TYPE_NAMES[0]) });
        let wire = pkt.wire_len;
        let Ok((req, rest)) = Request::parse(bytes) else {
            if wire != REQUEST_LEN {
                out.expert_at(
                    &BAD_LENGTH,
                    0,
                    bytes.len(),
                    format!(
                        "beat of {wire} bytes: the server expects {REQUEST_LEN} (the UID as a little-endian i64) and cannot read a UID from it"
                    ),
                );
            }
            out.add(&TRAILING, 0, bytes.len(), Value::Bytes);
            out.close();
            let _ = write!(out.info, "Beat, {} ({} bytes)", short_reason(pkt), bytes.len());
            return;
        };
        out.add(&UID, wire::UID.start, 8, Value::Signed(req.uid));
        if out.wants_info() {
            out.info.push_str("Beat UID=");
            digits::push_i64(&mut out.info, req.uid);
        }
        if !rest.is_empty() {
            out.add(&TRAILING, REQUEST_LEN, rest.len(), Value::Bytes);
        }
        if wire != REQUEST_LEN {
            out.expert_at(
                &BAD_LENGTH,
                REQUEST_LEN,
                rest.len(),
                format!(
                    "beat of {wire} bytes: a beat is exactly {REQUEST_LEN}; the server reads the UID from the first 8"
                ),
            );
        }
        if !self.tracks {
            return out.close();
        }

        let key = (pkt.src.ip(), pkt.dst);
        let lost = out.unseen().total;
        let next = &mut self.next_session;
        let (session, _) = self.sessions.get_or_insert_with(&key, || Session::new(next, req.uid));
        // What the capture lost since the previous beat, which a missed beat or reply may be.
        let lost_since = lost.saturating_sub(session.lost_at_beat);
        // The previous beat is answered by now or never.
        if let Some(client) = session.last_client {
            let previous = self.pending.peek(&(client, pkt.dst)).map(|p| (p.frame, p.time));
            if let Some((frame, time)) = previous.filter(|p| Some(p.0) == session.last_beat.map(|b| b.0)) {
                if pkt.time.saturating_sub(time) > REPLY_WAIT {
                    self.pending.remove(&(client, pkt.dst));
                    session.stats.missed += 1;
                    let msg = format!("the beat in frame {frame} got no reply before this next beat");
                    out.expert_since(&NO_REPLY, msg, frame, lost_since);
                }
            }
        }
        if session.uid != req.uid {
            let why = match session.dead_at {
                Some(f) => format!("after UID {} was declared dead in frame {f}", session.uid),
                None => format!("while UID {} was still alive: a new login without a logout?", session.uid),
            };
            let old = std::mem::replace(session, Session::new(&mut self.next_session, req.uid));
            self.retired.push(row(&key, &old));
            out.expert(
                &NEW_UID,
                format!("the client beats with UID {} {why}; session {} starts", req.uid, session.number),
            );
        }
        session.beats += 1;
        session.stats.first_beat.get_or_insert((pkt.frame, pkt.time));
        if let Some(dead) = session.dead_at {
            out.expert_at(
                &BEAT_AFTER_DEATH,
                0,
                8,
                format!(
                    "beat for UID {} after the server declared it dead in frame {dead}; the server keeps answering -2: log in again for a new UID",
                    req.uid
                ),
            );
            out.info.push_str(" (after death)");
        }
        out.add_generated(&SESSION, Value::Unsigned(session.number));
        out.add_generated(&BEAT, Value::Unsigned(session.beats));
        if let Some((prev_frame, prev_time)) = session.last_beat {
            let interval = pkt.time.saturating_sub(prev_time);
            out.add_generated(&INTERVAL, Value::Duration(interval));
            match session.cadence {
                None if interval > 0 => session.cadence = Some(interval),
                None => {}
                Some(cadence) => {
                    if let Some(msg) = judge_interval(interval, cadence, prev_frame) {
                        out.expert_since(&INTERVAL_UNUSUAL, msg, prev_frame, lost_since);
                    }
                }
            }
        }
        out.close();
        session.last_beat = Some((pkt.frame, pkt.time));
        session.last_client = Some(pkt.src);
        session.lost_at_beat = lost;
        *self.pending.get_or_insert_with(&(pkt.src, pkt.dst), || Pending { frame: 0, time: 0, uid: 0, lost: 0 }).0 =
            Pending { frame: pkt.frame, time: pkt.time, uid: req.uid, lost };
    }

    fn reply(&mut self, pkt: &Packet, out: &mut Dissection) {
        let bytes = pkt.payload;
        out.open(&HB, 0, bytes.len(), Value::None);
        out.add_generated(&TYPE, Value::Enum { value: 1, name: Some(TYPE_NAMES[1]) });
        if pkt.wire_len != REPLY_LEN {
            out.expert_at(
                &BAD_LENGTH,
                0,
                bytes.len(),
                format!(
                    "reply of {} bytes: pysrun accepts only {REPLY_LEN}-byte replies and ignores this one",
                    pkt.wire_len
                ),
            );
        }
        let Ok((uid, _)) = Request::parse(bytes).map(|(r, rest)| (r.uid, rest)) else {
            out.add(&TRAILING, 0, bytes.len(), Value::Bytes);
            out.close();
            let _ = write!(out.info, "Reply, {} ({} bytes)", short_reason(pkt), bytes.len());
            return;
        };
        out.add(&UID, wire::UID.start, 8, Value::Signed(uid));
        let padding = &bytes[REQUEST_LEN..bytes.len().min(REPLY_LEN)];
        if !padding.is_empty() {
            out.add(&PADDING, REQUEST_LEN, padding.len(), Value::Bytes);
            if padding.iter().any(|&b| b != 0) {
                out.expert_at(
                    &PADDING_NONZERO,
                    REQUEST_LEN,
                    padding.len(),
                    "reply bytes 8..16 are not zero (the wiki says zero padding; pysrun does not look at them)",
                );
            }
        }
        if bytes.len() > REPLY_LEN {
            out.add(&TRAILING, REPLY_LEN, bytes.len() - REPLY_LEN, Value::Bytes);
        }
        if let Ok((reply, _)) = Reply::parse(bytes) {
            debug_assert_eq!(reply.uid, uid);
        }
        if !self.tracks {
            return out.close();
        }

        let request = self.pending.remove(&(pkt.dst, pkt.src));
        let key = (pkt.dst.ip(), pkt.src);
        let status = match &request {
            _ if uid == DEAD => 1,
            Some(r) if r.uid == uid => 0,
            Some(_) => 2,
            None => match self.sessions.peek(&key) {
                Some(s) if s.uid != uid => 2,
                _ => 0,
            },
        };
        out.add_generated(&STATUS, Value::Enum { value: status, name: Some(STATUS_NAMES[status as usize]) });
        if out.wants_info() {
            out.info.push_str("Reply UID=");
            digits::push_i64(&mut out.info, uid);
            out.info.push_str(" (");
            out.info.push_str(if status == 1 { "session dead" } else { STATUS_NAMES[status as usize] });
            out.info.push(')');
        }
        match &request {
            Some(r) => {
                out.add_generated(&RESPONSE_TO, Value::Frame(r.frame));
                let delay = pkt.time.saturating_sub(r.time);
                out.add_generated(&RESPONSE_TIME, Value::Duration(delay));
                if status == 2 {
                    out.add_generated(&REQUEST_UID, Value::Signed(r.uid));
                    out.expert_at(
                        &UID_MISMATCH,
                        0,
                        8,
                        format!(
                            "reply carries UID {uid} but the beat in frame {} carried {}; pysrun only logs a mismatch",
                            r.frame, r.uid
                        ),
                    );
                }
                if delay > REPLY_WAIT {
                    out.expert(
                        &LATE_REPLY,
                        format!(
                            "reply {} s after the beat in frame {}; pysrun stops waiting after 0.5 s",
                            Seconds(delay),
                            r.frame
                        ),
                    );
                }
            }
            None => {
                let msg = format!(
                    "no beat from {} to {} earlier in the capture (the capture started late, or the beat was not captured)",
                    pkt.dst, pkt.src
                );
                // A beat since the session's last, from a port of its own, would have been
                // this one's.
                match self.sessions.peek(&key).and_then(|s| Some((s.last_beat?.0, s.lost_at_beat))) {
                    Some((since, at)) => {
                        out.expert_since(&REPLY_WITHOUT_REQUEST, msg, since, out.unseen().total.saturating_sub(at))
                    }
                    None => out.expert(&REPLY_WITHOUT_REQUEST, msg),
                }
            }
        }
        if let Some(session) = self.sessions.get_mut(&key) {
            out.add_generated(&SESSION, Value::Unsigned(session.number));
            if request.is_some() {
                session.stats.replies += 1;
            }
            if uid == DEAD && session.dead_at.is_none() {
                session.dead_at = Some(pkt.frame);
                session.stats.death = Some((pkt.frame, pkt.time));
            }
        }
        if uid == DEAD {
            let msg = match self
                .sessions
                .peek(&key)
                .and_then(|s| s.dead_at.filter(|&f| f != pkt.frame).map(|f| (f, s.uid)))
            {
                Some((since, sid)) => format!("session UID {sid} still dead (since frame {since})"),
                None => "the server declared the session dead (-2): pysrun exits here; log in again for a new UID"
                    .to_string(),
            };
            out.expert_at(&SESSION_DEAD, 0, 8, msg);
        }
        out.close();
    }
}

/// A session as a statistics row.
fn row(key: &(IpAddr, SocketAddr), s: &Session) -> SessionRow {
    SessionRow {
        number: s.number,
        client: key.0,
        server: key.1,
        uid: s.uid,
        first: s.stats.first_beat,
        last: s.last_beat,
        beats: s.beats,
        replies: s.stats.replies,
        missed: s.stats.missed,
        death: s.stats.death,
        cadence: s.cadence,
    }
}

/// Whether a datagram is a reply (from the server's port) or a beat (to it), when exactly one
/// end is on the port; `None` leaves it to the conversation's direction.
fn reply_by_ports(src: SocketAddr, dst: SocketAddr) -> Option<bool> {
    match (src.port() == PORT, dst.port() == PORT) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Why a message is too short to decode: the sender's mistake, or the capture's cut.
fn short_reason(pkt: &Packet) -> &'static str {
    if pkt.cut_short() {
        "cut short by the capture"
    } else {
        "malformed"
    }
}

/// Names an interval off the session's cadence: whole missed beats or an irregular gap.
fn judge_interval(interval: TimeNs, cadence: TimeNs, prev_frame: u64) -> Option<String> {
    // i128: hostile timestamps may put these anywhere in i64.
    let (i, c) = (interval as i128, cadence as i128);
    let slack = (c / 5).max(SECOND as i128);
    if (i - c).abs() <= slack {
        return None;
    }
    let periods = (i + c / 2) / c;
    if periods >= 2 && (i - periods * c).abs() <= slack {
        return Some(format!(
            "{} s since the previous beat (frame {prev_frame}): {} beat(s) of this {} s cadence missing",
            Seconds(interval),
            periods - 1,
            Seconds(cadence)
        ));
    }
    Some(format!(
        "{} s since the previous beat (frame {prev_frame}); this session beats every {} s",
        Seconds(interval),
        Seconds(cadence)
    ))
}

/// The heartbeat takes every datagram offered (by its port or a decode-as rule).
struct HeartbeatRules;

impl Rules for HeartbeatRules {
    fn accepts(&self, _pkt: &Packet, _before: bool) -> bool {
        true
    }
}

impl Dissector for Heartbeat {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn rules(&self) -> Option<Box<dyn Rules>> {
        Some(Box::new(HeartbeatRules))
    }

    fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
        let is_reply = reply_by_ports(pkt.src, pkt.dst).unwrap_or(cx.direction == Direction::ServerToClient);
        out.protocol = PROTOCOL.column;
        out.message = TYPE_NAMES[is_reply as usize];
        self.tracks = tracking(out);
        if is_reply {
            self.reply(pkt, out);
        } else {
            self.request(pkt, out);
        }
        Verdict::Accepted
    }

    /// A beat's session and pending buckets (a reply's were loaded by its beat).
    fn prefetch(&self, src: SocketAddr, dst: SocketAddr, _payload: &[u8]) {
        if self.tracks && reply_by_ports(src, dst) == Some(false) {
            self.sessions.prefetch(&(src.ip(), dst));
            self.pending.prefetch(&(src, dst));
        }
    }

    fn prefetches(&self) -> bool {
        true
    }

    fn tables(&self) -> Vec<Table> {
        let live = self.sessions.iter().map(|(key, s)| row(key, s));
        vec![sessions_table(
            self.retired.rows.iter().cloned().chain(live),
            self.retired.dropped + self.sessions.evicted(),
        )]
    }

    fn finish(&mut self, last_time: TimeNs, out: &mut Dissection) {
        let mut open: Vec<(u64, SocketAddr, SocketAddr, u64)> = self
            .pending
            .iter()
            .filter(|(_, p)| last_time.saturating_sub(p.time) > REPLY_WAIT)
            .map(|(k, p)| (p.frame, k.0, k.1, p.lost))
            .collect();
        open.sort_unstable();
        for &(_, client, server, _) in &open {
            if let Some(session) = self.sessions.get_mut(&(client.ip(), server)) {
                session.stats.missed += 1;
            }
        }
        let lost = out.unseen().total;
        for (frame, client, server, at) in open {
            let msg = format!("the beat in frame {frame} ({client} → {server}) got no reply before the capture ended");
            out.expert_since(&NO_REPLY, msg, frame, lost.saturating_sub(at));
        }
    }
}
