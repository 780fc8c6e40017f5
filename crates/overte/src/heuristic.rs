//! Port-independent recognition (`protocols/overte.md` §6): cheap structural checks that
//! random bytes and STUN fail, plus the memory of endpoints already seen speaking Overte.

use crate::types::{self, VersionTable};
use crate::udt::{self, DataHeader, HANDSHAKE_REQUEST, OBFUSCATION_KEYS};

/// The STUN magic cookie at bytes 4..8 (RFC 5389).
pub const STUN_COOKIE: [u8; 4] = [0x21, 0x12, 0xA4, 0x42];

pub fn is_stun(b: &[u8]) -> bool {
    b.len() >= 20 && b[4..8] == STUN_COOKIE && b[0] & 0xC0 == 0
}

/// Whether a control packet whose first word is `w` (as read) has the exact shape the real
/// sender writes in a datagram of `len` bytes.
pub fn control_shape_ok(w: u32, len: usize) -> bool {
    let kind = (w & !udt::CONTROL_BIT) >> 16;
    w & 0xFFFF == 0
        && match kind {
            0..=2 => len == 8,
            k if k == u32::from(HANDSHAKE_REQUEST) => len == 4,
            _ => false,
        }
}

/// The NLPacket type and version at `at`, with the obfuscation of `level` (0: none) undone:
/// they are the first bytes its XOR key covers.
pub fn type_and_version(b: &[u8], at: usize, level: usize) -> Option<(u8, u8)> {
    let (&t, &v) = (b.get(at)?, b.get(at + 1)?);
    Some(match level.checked_sub(1).and_then(|l| OBFUSCATION_KEYS.get(l)) {
        Some(key) => (t ^ key[0], v ^ key[1]),
        None => (t, v),
    })
}

/// Type-specific bytes of a payload: Some(true) when the type's anchor is there, Some(false)
/// when it is not, None when the type has none.
pub fn anchor(t: u8, payload: &[u8]) -> Option<bool> {
    if let Some(n) = crate::payload::fixed_len(t) {
        return Some(payload.len() == n);
    }
    match t {
        // DomainConnectRequest: 16-byte connect UUID, then the signature's u32 BE length 16.
        31 => Some(payload.get(16..20) == Some(&[0, 0, 0, 16][..])),
        // DomainList: the 66-byte extended header, then 56-byte records with IPv4 sockets.
        2 => Some(payload.len() >= 66 && (payload.len() - 66) % 56 == 0),
        // DomainServerPathQuery: u16 LE length of the path that fills the rest.
        19 => {
            Some(payload.len() >= 2 && usize::from(u16::from_le_bytes([payload[0], payload[1]])) + 2 == payload.len())
        }
        // DomainListRequest: the check-in's u64 BE timestamp in microseconds, between 2000 and
        // 2100 (top 16 bits 0x0003..=0x000e): two bytes off and it is no plausible time.
        13 => Some(payload.get(..2).is_some_and(|t| t[0] == 0 && (3..=0x0e).contains(&t[1]))),
        // ICE query / peer information: a UUID, then a QHostAddress protocol byte.
        22 | 23 => Some(payload.get(16).is_some_and(|p| matches!(p, 0 | 1 | 2 | 0xFF))),
        _ => None,
    }
}

/// Confidence 0–100 that `b` is an Overte datagram. `known` says whether either endpoint was
/// already seen speaking Overte.
pub fn probe(b: &[u8], table: &VersionTable, known: bool) -> u8 {
    if b.len() < 4 || is_stun(b) {
        return 0;
    }
    let memory: u32 = if known { 30 } else { 0 };
    let first = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    if udt::is_control(first) {
        return if control_shape_ok(first, b.len()) { 60 + memory as u8 / 2 } else { 0 };
    }
    let Ok(h) = DataHeader::parse(b) else { return 0 };
    if !h.reliable && (h.message.is_some() || h.obfuscation != 0) {
        return 0;
    }
    let at = h.size();
    let Some((t, v)) = type_and_version(b, at, usize::from(h.obfuscation)) else { return 0 };
    let Some(expected) = table.version(t) else { return 0 };
    let mut score: u32 = if v == expected {
        40
    } else if types::alternative_version(t, v) {
        35
    } else {
        return 0;
    };
    let hdr = types::nl_header_len(t);
    if b.len() < at + hdr {
        return 0;
    }
    // Unreliable counters start at 1 per destination, so their top byte is zero for hours;
    // reliable streams start anywhere; message parts are numbered from 0.
    score += match (h.reliable, h.message) {
        (false, _) if b[3] == 0 => 20,
        (false, _) => 0,
        (true, Some(m)) if m.part < 0x1_0000 => 10,
        (true, _) => 5,
    };
    if !h.reliable && types::is_sourced(t) && b[at + 2..at + 4] != [0, 0] {
        score += 5;
    }
    if h.obfuscation == 0 {
        match anchor(t, &b[at + hdr..]) {
            Some(true) => score += 20,
            Some(false) if h.message.is_none() => score = score.saturating_sub(20),
            _ => {}
        }
    }
    (score + memory).min(100) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udt::tests::hex;
    use proptest::prelude::*;

    const THRESHOLD: u8 = 50;

    fn p(s: &str) -> u8 {
        probe(&hex(&s.replace(' ', "")), &VersionTable::default(), false)
    }

    #[test]
    fn real_overte_headers_are_accepted() {
        // Real C++ Ping with HMAC (web-sdk PacketReceiver test).
        assert!(p("02000000 03 12 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000") >= 80);
        // DomainServerPathQuery "/somepath", reliable.
        assert!(p("00000040 13 16 0900 2f736f6d6570617468") >= THRESHOLD);
        // Handshake, HandshakeRequest.
        assert!(p("000001802a000000") >= THRESHOLD);
        assert!(p("00000380") >= THRESHOLD);
        // A reliable ordered message part (MessagesData, ONLY).
        assert!(p("00000060 00000000 00000000 39 12 0000 00000000000000000000000000000000 1200") >= THRESHOLD);
        // Vircadia's DomainList version 24 (the 408-byte real packet's first bytes and length).
        let mut dl = hex("030000000218");
        dl.resize(408, 0);
        assert!(probe(&dl, &VersionTable::default(), false) >= THRESHOLD);
    }

    #[test]
    fn stun_and_near_misses_are_not() {
        // STUN binding request.
        assert_eq!(p("0001 0000 2112a442 0102030405060708090a0b0c"), 0);
        // Ping with the wrong version.
        assert_eq!(p("02000000 03 11 66e9 338a15d4247f025544b21dd91c6f5f76 02 500031d15ecb0500 0000000000000000"), 0);
        // Control packet with reserved bits, or a HandshakeRequest with a body.
        assert_eq!(p("010001802a000000"), 0);
        assert_eq!(p("0000038000000000"), 0);
        // Message bit without the reliable bit.
        assert_eq!(p("00000020 00000000 00000000 39 12 0000"), 0);
    }

    #[test]
    fn flow_memory_lifts_weak_packets() {
        // A reliable AvatarIdentity without anchors: below the threshold alone, above when the
        // endpoint already spoke Overte.
        let b = hex(&format!("12345640 1d 37 3412 {}", "00".repeat(40)).replace(' ', ""));
        let t = VersionTable::default();
        assert!(probe(&b, &t, false) < THRESHOLD);
        assert!(probe(&b, &t, true) >= THRESHOLD);
    }

    #[test]
    fn fixed_lengths_anchor_the_score() {
        // KillAvatar (5, version 54 in the web-sdk vector, sourced and verified): after the
        // source ID and the hash, a UUID and a reason, 17 bytes.
        let kill =
            |len: usize| hex(&format!("00000040 05 36 0000 {} {}", "00".repeat(16), "00".repeat(len)).replace(' ', ""));
        let t = VersionTable::default();
        let (right, wrong) = (probe(&kill(17), &t, false), probe(&kill(18), &t, false));
        assert_eq!(right, wrong + 40, "an anchor adds 20 where a wrong length takes 20 away");
        assert!(right >= THRESHOLD);
    }

    /// Random bytes are almost never claimed. Not never: about one datagram in 65 536 starts
    /// with an unreliable header whose top counter byte is zero and a known type with its
    /// version, which is what an Overte packet looks like (a random search once found one).
    /// So the property is a rate, over a fixed sequence of 100 000 random datagrams.
    #[test]
    fn random_bytes_are_almost_never_claimed() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let t = VersionTable::default();
        let mut claimed = 0;
        for _ in 0..100_000 {
            let len = (next() % 600) as usize;
            let b: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if probe(&b, &t, false) >= THRESHOLD {
                claimed += 1;
            }
        }
        assert!(claimed <= 5, "{claimed} of 100 000 random datagrams claimed");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn stun_binding_requests_are_never_claimed(
            tid: [u8; 12],
            attrs in proptest::collection::vec(any::<u8>(), 0..64),
            known: bool,
        ) {
            let mut b = vec![0x00, 0x01];
            b.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
            b.extend_from_slice(&STUN_COOKIE);
            b.extend_from_slice(&tid);
            b.extend_from_slice(&attrs);
            prop_assert_eq!(probe(&b, &VersionTable::default(), known), 0);
        }
    }
}
