//! Session-layer wire format (`protocols/eqstream.md` §1–§3, §6–§8): protocol packets are
//! `00 op` followed by a big-endian body; anything whose first byte is not `00` is a bare
//! application packet.

/// Protocol opcodes (the byte after the `00` marker).
pub mod op {
    pub const PADDING: u8 = 0x00;
    pub const SESSION_REQUEST: u8 = 0x01;
    pub const SESSION_RESPONSE: u8 = 0x02;
    pub const COMBINED: u8 = 0x03;
    pub const SESSION_DISCONNECT: u8 = 0x05;
    pub const KEEP_ALIVE: u8 = 0x06;
    pub const STAT_REQUEST: u8 = 0x07;
    pub const STAT_RESPONSE: u8 = 0x08;
    /// OP_Packet on channel 0; 0x0a–0x0c are channels 1–3.
    pub const PACKET: u8 = 0x09;
    /// OP_Fragment on channel 0; 0x0e–0x10 are channels 1–3.
    pub const FRAGMENT: u8 = 0x0d;
    pub const OUT_OF_ORDER_ACK: u8 = 0x11;
    pub const ACK: u8 = 0x15;
    pub const APP_COMBINED: u8 = 0x19;
    pub const OUTBOUND_PING: u8 = 0x1c;
    pub const OUT_OF_SESSION: u8 = 0x1d;
}

/// The name of a protocol opcode (EQEmu's names), or `None` for an unused one.
pub fn op_name(op: u8) -> Option<&'static str> {
    Some(match op {
        0x00 => "Padding",
        0x01 => "SessionRequest",
        0x02 => "SessionResponse",
        0x03 => "Combined",
        0x05 => "SessionDisconnect",
        0x06 => "KeepAlive",
        0x07 => "SessionStatRequest",
        0x08 => "SessionStatResponse",
        0x09 => "Packet",
        0x0a => "Packet2",
        0x0b => "Packet3",
        0x0c => "Packet4",
        0x0d => "Fragment",
        0x0e => "Fragment2",
        0x0f => "Fragment3",
        0x10 => "Fragment4",
        0x11 => "OutOfOrderAck",
        0x12 => "OutOfOrderAck2",
        0x13 => "OutOfOrderAck3",
        0x14 => "OutOfOrderAck4",
        0x15 => "Ack",
        0x16 => "Ack2",
        0x17 => "Ack3",
        0x18 => "Ack4",
        0x19 => "AppCombined",
        0x1c => "OutboundPing",
        0x1d => "OutOfSession",
        _ => return None,
    })
}

/// What a sequenced opcode is: kind and channel 0–3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seqd {
    Packet(u8),
    Fragment(u8),
    OutOfOrderAck(u8),
    Ack(u8),
}

impl Seqd {
    pub fn of(op: u8) -> Option<Seqd> {
        Some(match op {
            0x09..=0x0c => Seqd::Packet(op - 0x09),
            0x0d..=0x10 => Seqd::Fragment(op - 0x0d),
            0x11..=0x14 => Seqd::OutOfOrderAck(op - 0x11),
            0x15..=0x18 => Seqd::Ack(op - 0x15),
            _ => return None,
        })
    }
}

/// Whether a top-level packet carries the CRC trailer and goes through the encode passes
/// (everything but 01, 02 and 1d: EQEmu `PacketCanBeEncoded`).
pub fn has_crc(bytes: &[u8]) -> bool {
    !(bytes.len() >= 2
        && bytes[0] == 0
        && matches!(bytes[1], op::SESSION_REQUEST | op::SESSION_RESPONSE | op::OUT_OF_SESSION))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireError {
    /// Fewer bytes than the message needs: (have, need).
    Short(usize, usize),
}

fn be16(b: &[u8], at: usize) -> Result<u16, WireError> {
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]])).ok_or(WireError::Short(b.len(), at + 2))
}

fn be32(b: &[u8], at: usize) -> Result<u32, WireError> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]])).ok_or(WireError::Short(b.len(), at + 4))
}

fn be64(b: &[u8], at: usize) -> Result<u64, WireError> {
    Ok(u64::from(be32(b, at)?) << 32 | u64::from(be32(b, at + 4)?))
}

/// Byte offsets of the fixed fields (from the `00` marker).
pub mod at {
    pub const REQ_VERSION: usize = 2;
    pub const REQ_SESSION: usize = 6;
    pub const REQ_MAX_LEN: usize = 10;
    pub const REQ_TAG: usize = 14;
    pub const RESP_SESSION: usize = 2;
    pub const RESP_KEY: usize = 6;
    pub const RESP_CRC: usize = 10;
    pub const RESP_PASS1: usize = 11;
    pub const RESP_PASS2: usize = 12;
    pub const RESP_MAX_LEN: usize = 13;
    pub const RESP_UNKNOWN: usize = 17;
}

/// OP_SessionRequest (§3.1), 14 bytes, or more with live EQ1's `"Everquest\0"` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRequest {
    pub protocol_version: u32,
    pub session_id: u32,
    pub max_length: u32,
    /// Bytes after the fixed part (the NUL-terminated tag, NUL included).
    pub tag: Vec<u8>,
}

impl SessionRequest {
    pub const LEN: usize = 14;

    pub fn parse(b: &[u8]) -> Result<SessionRequest, WireError> {
        Ok(SessionRequest {
            protocol_version: be32(b, at::REQ_VERSION)?,
            session_id: be32(b, at::REQ_SESSION)?,
            max_length: be32(b, at::REQ_MAX_LEN)?,
            tag: b[at::REQ_TAG..].to_vec(),
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[0, op::SESSION_REQUEST]);
        out.extend_from_slice(&self.protocol_version.to_be_bytes());
        out.extend_from_slice(&self.session_id.to_be_bytes());
        out.extend_from_slice(&self.max_length.to_be_bytes());
        out.extend_from_slice(&self.tag);
    }
}

/// Encode pass values (EQEmu's enum; EQ2Emu reads a bitmask of the same bits).
pub const PASS_NONE: u8 = 0;
pub const PASS_COMPRESS: u8 = 1;
pub const PASS_XOR: u8 = 4;

/// OP_SessionResponse (§3.2), 17 bytes (modern EQEmu) or 21 (live EQ1, EQ2Emu).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionResponse {
    pub session_id: u32,
    /// CRC seed and EQ1 XOR key.
    pub key: u32,
    pub crc_bytes: u8,
    pub pass1: u8,
    pub pass2: u8,
    pub max_length: u32,
    pub unknown: Option<u32>,
}

impl SessionResponse {
    pub const LEN: usize = 17;
    pub const LONG_LEN: usize = 21;

    pub fn parse(b: &[u8]) -> Result<SessionResponse, WireError> {
        let byte = |i: usize| b.get(i).copied().ok_or(WireError::Short(b.len(), i + 1));
        Ok(SessionResponse {
            session_id: be32(b, at::RESP_SESSION)?,
            key: be32(b, at::RESP_KEY)?,
            crc_bytes: byte(at::RESP_CRC)?,
            pass1: byte(at::RESP_PASS1)?,
            pass2: byte(at::RESP_PASS2)?,
            max_length: be32(b, at::RESP_MAX_LEN)?,
            unknown: be32(b, at::RESP_UNKNOWN).ok(),
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[0, op::SESSION_RESPONSE]);
        out.extend_from_slice(&self.session_id.to_be_bytes());
        out.extend_from_slice(&self.key.to_be_bytes());
        out.extend_from_slice(&[self.crc_bytes, self.pass1, self.pass2]);
        out.extend_from_slice(&self.max_length.to_be_bytes());
        if let Some(u) = self.unknown {
            out.extend_from_slice(&u.to_be_bytes());
        }
    }
}

/// Disconnect reasons (EQ2Emulator-Rewrite's names; EQ2Emu always sends 6).
pub fn disconnect_reason(r: u16) -> Option<&'static str> {
    const NAMES: [&str; 20] = [
        "None",
        "ConnectionRefused",
        "TooManyConnections",
        "Application",
        "Timeout",
        "ApplicationReleased",
        "SocketError",
        "SocketErrorDuringNegotiation",
        "OtherSideTerminated",
        "ManagerDeleted",
        "ConnectError",
        "ConnectFail",
        "LogicalPacketTooShort",
        "LogicalPacketTooLong",
        "ConnectTimeout",
        "ConnectionReset",
        "ConnectionAborted",
        "DnsFailure",
        "UnableToCreateSocket",
        "UnableToConfigureSocket",
    ];
    NAMES.get(r as usize).copied()
}

/// OP_SessionDisconnect body: u32 session, and (EQ2Emu, live) a u16 reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disconnect {
    pub session_id: u32,
    pub reason: Option<u16>,
}

impl Disconnect {
    /// `body` starts after `00 05`.
    pub fn parse(body: &[u8]) -> Result<Disconnect, WireError> {
        Ok(Disconnect { session_id: be32(body, 0)?, reason: be16(body, 4).ok() })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.session_id.to_be_bytes());
        if let Some(r) = self.reason {
            out.extend_from_slice(&r.to_be_bytes());
        }
    }
}

/// OP_SessionStatRequest body (38 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatRequest {
    pub request_id: u16,
    pub last_local_delta: u32,
    pub average_delta: u32,
    pub low_delta: u32,
    pub high_delta: u32,
    pub last_remote_delta: u32,
    pub packets_sent: u64,
    pub packets_received: u64,
}

pub const STAT_LEN: usize = 38;

impl StatRequest {
    pub fn parse(b: &[u8]) -> Result<StatRequest, WireError> {
        Ok(StatRequest {
            request_id: be16(b, 0)?,
            last_local_delta: be32(b, 2)?,
            average_delta: be32(b, 6)?,
            low_delta: be32(b, 10)?,
            high_delta: be32(b, 14)?,
            last_remote_delta: be32(b, 18)?,
            packets_sent: be64(b, 22)?,
            packets_received: be64(b, 30)?,
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.request_id.to_be_bytes());
        for v in [self.last_local_delta, self.average_delta, self.low_delta, self.high_delta, self.last_remote_delta] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&self.packets_sent.to_be_bytes());
        out.extend_from_slice(&self.packets_received.to_be_bytes());
    }
}

/// OP_SessionStatResponse body (38 bytes): the request id echoed, the server's time and four
/// counters (client sent, client received, server sent, server received).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatResponse {
    pub request_id: u16,
    pub server_time: u32,
    pub counters: [u64; 4],
}

impl StatResponse {
    pub fn parse(b: &[u8]) -> Result<StatResponse, WireError> {
        Ok(StatResponse {
            request_id: be16(b, 0)?,
            server_time: be32(b, 2)?,
            counters: [be64(b, 6)?, be64(b, 14)?, be64(b, 22)?, be64(b, 30)?],
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.request_id.to_be_bytes());
        out.extend_from_slice(&self.server_time.to_be_bytes());
        for c in self.counters {
            out.extend_from_slice(&c.to_be_bytes());
        }
    }
}

/// One entry of a container: its length prefix's size and the entry's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Offset of the length prefix within the container body.
    pub at: usize,
    pub prefix: usize,
    pub len: usize,
}

impl Entry {
    pub fn data(&self) -> std::ops::Range<usize> {
        self.at + self.prefix..self.at + self.prefix + self.len
    }
}

/// Reads one OP_Combined entry (one-byte length; `escape` also reads `FF` + u16 BE, EQ2Emu).
pub fn combined_entry(body: &[u8], at: usize, escape: bool) -> Option<Entry> {
    let first = *body.get(at)?;
    let (prefix, len) =
        if escape && first == 0xff { (3, usize::from(be16(body, at + 1).ok()?)) } else { (1, usize::from(first)) };
    let e = Entry { at, prefix, len };
    (len > 0 && e.data().end <= body.len()).then_some(e)
}

/// Reads one OP_AppCombined entry: u8, `FF` + u16 BE, or `FF FF FF` + u32 BE (EQEmu).
pub fn app_combined_entry(body: &[u8], at: usize) -> Option<Entry> {
    let first = *body.get(at)?;
    let (prefix, len) = if first != 0xff {
        (1, usize::from(first))
    } else if body.get(at + 1..at + 3) == Some(&[0xff, 0xff]) {
        (7, be32(body, at + 3).ok()? as usize)
    } else {
        (3, usize::from(be16(body, at + 1).ok()?))
    };
    let e = Entry { at, prefix, len };
    (len > 0 && e.data().end <= body.len()).then_some(e)
}

/// Writes an AppCombined length prefix. 65 535 takes the long form: `FF FF FF` is its escape
/// (EQEmu's reader), so a u16 of FFFF cannot say it.
pub fn emit_app_len(len: usize, out: &mut Vec<u8>) {
    if len < 0xff {
        out.push(len as u8);
    } else if len < 0xffff {
        out.push(0xff);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.extend_from_slice(&[0xff, 0xff, 0xff]);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

/// Builds `00 03` + entries (each < 256 bytes).
pub fn emit_combined(entries: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(&[0, op::COMBINED]);
    for e in entries {
        out.push(e.len() as u8);
        out.extend_from_slice(e);
    }
}

/// Builds `00 19` + entries.
pub fn emit_app_combined(entries: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(&[0, op::APP_COMBINED]);
    for e in entries {
        emit_app_len(e.len(), out);
        out.extend_from_slice(e);
    }
}

/// Builds a sequenced packet: `00 op | u16 BE seq | data`.
pub fn emit_sequenced(op: u8, seq: u16, data: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&[0, op]);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(data);
}

/// Parses a sequenced packet's header: (seq, data after it).
pub fn parse_sequenced(b: &[u8]) -> Result<(u16, &[u8]), WireError> {
    Ok((be16(b, 2)?, &b[4..]))
}

/// Splits a message into an OP_Fragment chain (§7): the first carries the u32 BE total
/// length; each datagram body holds at most `room` bytes after `00 0d SS SS`.
pub fn fragments(message: &[u8], first_seq: u16, room: usize) -> Vec<Vec<u8>> {
    let room = room.max(5);
    let mut out = Vec::new();
    let mut first = Vec::with_capacity(4 + message.len());
    first.extend_from_slice(&(message.len() as u32).to_be_bytes());
    first.extend_from_slice(message);
    let mut seq = first_seq;
    for chunk in first.chunks(room) {
        let mut p = Vec::with_capacity(4 + chunk.len());
        emit_sequenced(op::FRAGMENT, seq, chunk, &mut p);
        out.push(p);
        seq = seq.wrapping_add(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use udpdissect_core::testing::hex;

    /// §12.2
    #[test]
    fn handshake_vectors() {
        let r = hex("00 01 00 00 00 03 0a 0b 0c 0d 00 00 02 00");
        let req = SessionRequest::parse(&r).unwrap();
        assert_eq!((req.protocol_version, req.session_id, req.max_length), (3, 0x0a0b0c0d, 512));
        assert!(req.tag.is_empty());
        let r24 = hex("00 01 00 00 00 03 0a 0b 0c 0d 00 00 02 00 45 76 65 72 71 75 65 73 74 00");
        assert_eq!(SessionRequest::parse(&r24).unwrap().tag, b"Everquest\0");
        let r17 = hex("00 02 0a 0b 0c 0d 11 22 33 44 02 01 00 00 00 02 00");
        let resp = SessionResponse::parse(&r17).unwrap();
        assert_eq!(
            resp,
            SessionResponse {
                session_id: 0x0a0b0c0d,
                key: 0x11223344,
                crc_bytes: 2,
                pass1: PASS_COMPRESS,
                pass2: 0,
                max_length: 512,
                unknown: None
            }
        );
        let r21 = hex("00 02 0a 0b 0c 0d 33 62 47 02 02 00 00 00 00 02 00 00 00 00 00");
        let resp21 = SessionResponse::parse(&r21).unwrap();
        assert_eq!((resp21.key, resp21.pass1, resp21.max_length, resp21.unknown), (0x33624702, 0, 512, Some(0)));
        for (bytes, emitted) in [
            (&r, {
                let mut v = Vec::new();
                req.emit(&mut v);
                v
            }),
            (&r17, {
                let mut v = Vec::new();
                resp.emit(&mut v);
                v
            }),
            (&r21, {
                let mut v = Vec::new();
                resp21.emit(&mut v);
                v
            }),
        ] {
            assert_eq!(bytes, &emitted);
        }
    }

    /// §12.5: Combined and AppCombined entries, and the fragment chain's layout.
    #[test]
    fn containers_and_fragments() {
        let c = hex("00 03 04 00 15 00 03 07 00 09 00 04 34 12 aa bf 33");
        let body = &c[2..c.len() - 2];
        let e0 = combined_entry(body, 0, false).unwrap();
        assert_eq!(&body[e0.data()], &hex("00 15 00 03")[..]);
        let e1 = combined_entry(body, e0.data().end, false).unwrap();
        assert_eq!(&body[e1.data()], &hex("00 09 00 04 34 12 aa")[..]);
        assert_eq!(e1.data().end, body.len());
        let mut again = Vec::new();
        emit_combined(&[&body[e0.data()], &body[e1.data()]], &mut again);
        crate::crc::append(0x11223344, 2, &mut again);
        assert_eq!(again, c);

        let mut big = vec![0x78, 0x56];
        big.extend_from_slice(&[0; 300]);
        let mut p = Vec::new();
        let mut ac = Vec::new();
        emit_app_combined(&[&[0x34, 0x12, 0x01], &big], &mut ac);
        emit_sequenced(op::PACKET, 5, &ac, &mut p);
        assert_eq!(&p[..16], &hex("00 09 00 05 00 19 03 34 12 01 ff 01 2e 78 56 00")[..]);
        crate::crc::append(0x11223344, 2, &mut p);
        assert_eq!(p.len(), 317);
        assert_eq!(&p[313..], &hex("00 00 d2 fd")[..]);
        p.truncate(315);
        let body = &p[6..];
        let a = app_combined_entry(body, 0).unwrap();
        let b = app_combined_entry(body, a.data().end).unwrap();
        assert_eq!((a.len, b.prefix, b.len, b.data().end), (3, 3, 302, body.len()));
        let mut long = vec![0xff, 0xff, 0xff, 0, 0, 0, 2, 9, 9];
        assert_eq!(app_combined_entry(&long, 0).unwrap().len, 2);
        long.pop();
        assert_eq!(app_combined_entry(&long, 0), None);

        let mut msg = vec![0x11, 0x11];
        msg.extend((0..700u32).map(|i| i as u8));
        let chain = fragments(&msg, 6, 512 - 4 - 2);
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].len() + 2, 512);
        assert_eq!(&chain[0][..10], &hex("00 0d 00 06 00 00 02 be 11 11")[..]);
        assert_eq!(&chain[1][..8], &hex("00 0d 00 07 f4 f5 f6 f7")[..]);
        assert_eq!(chain[1].len() + 2, 206);
    }

    #[test]
    fn short_input_is_an_error() {
        assert_eq!(SessionRequest::parse(&[0, 1, 0]), Err(WireError::Short(3, 6)));
        assert!(SessionResponse::parse(&hex("00 02 0a 0b 0c 0d 11 22 33 44 02 01 00 00 00 02")).is_err());
        assert!(StatRequest::parse(&[0; 37]).is_err());
        assert_eq!(combined_entry(&[5, 1, 2], 0, false), None);
        assert_eq!(app_combined_entry(&[0xff, 0x01], 0), None);
    }

    #[test]
    fn app_combined_lengths_take_the_form_readers_expect() {
        for (len, prefix) in [(254, &[0xfe][..]), (255, &[0xff, 0x00, 0xff]), (0xfffe, &[0xff, 0xff, 0xfe])] {
            let mut v = Vec::new();
            emit_app_len(len, &mut v);
            assert_eq!(v, prefix, "{len}");
        }
        // 65 535 as a u16 would read as the escape to a u32.
        let mut v = Vec::new();
        emit_app_len(0xffff, &mut v);
        assert_eq!(v, [0xff, 0xff, 0xff, 0, 0, 0xff, 0xff]);
        v.extend_from_slice(&[7; 0xffff]);
        let e = app_combined_entry(&v, 0).unwrap();
        assert_eq!((e.prefix, e.len, e.data().end), (7, 0xffff, v.len()));
    }

    proptest::proptest! {
        #[test]
        fn round_trips(a: u32, b: u32, c: u32, k: u32, crc in 0u8..5, p1: u8, p2: u8, unk: Option<u32>,
                       tag in proptest::collection::vec(proptest::num::u8::ANY, 0..12),
                       id: u16, deltas: [u32; 5], s: u64, r: u64, counters: [u64; 4], reason: Option<u16>) {
            let req = SessionRequest { protocol_version: a, session_id: b, max_length: c, tag };
            let mut v = Vec::new();
            req.emit(&mut v);
            proptest::prop_assert_eq!(SessionRequest::parse(&v).unwrap(), req);
            let resp = SessionResponse { session_id: a, key: k, crc_bytes: crc, pass1: p1, pass2: p2, max_length: c, unknown: unk };
            v.clear();
            resp.emit(&mut v);
            proptest::prop_assert_eq!(SessionResponse::parse(&v).unwrap(), resp);
            let st = StatRequest { request_id: id, last_local_delta: deltas[0], average_delta: deltas[1], low_delta: deltas[2],
                high_delta: deltas[3], last_remote_delta: deltas[4], packets_sent: s, packets_received: r };
            v.clear();
            st.emit(&mut v);
            proptest::prop_assert_eq!(v.len(), STAT_LEN);
            proptest::prop_assert_eq!(StatRequest::parse(&v).unwrap(), st);
            let sr = StatResponse { request_id: id, server_time: a, counters };
            v.clear();
            sr.emit(&mut v);
            proptest::prop_assert_eq!(StatResponse::parse(&v).unwrap(), sr);
            let d = Disconnect { session_id: b, reason };
            v.clear();
            d.emit(&mut v);
            proptest::prop_assert_eq!(Disconnect::parse(&v).unwrap(), d);
        }

        #[test]
        fn app_combined_lengths_round_trip(lens in proptest::collection::vec(1usize..70_000, 1..4)) {
            let entries: Vec<Vec<u8>> = lens.iter().map(|&n| vec![7u8; n]).collect();
            let refs: Vec<&[u8]> = entries.iter().map(|e| &e[..]).collect();
            let mut v = Vec::new();
            emit_app_combined(&refs, &mut v);
            let body = &v[2..];
            let mut at = 0;
            for &n in &lens {
                let e = app_combined_entry(body, at).unwrap();
                proptest::prop_assert_eq!(e.len, n);
                at = e.data().end;
            }
            proptest::prop_assert_eq!(at, body.len());
        }
    }
}
