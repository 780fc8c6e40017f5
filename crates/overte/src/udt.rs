//! The UDT layer (`protocols/overte.md` §1): one little-endian header word, two more when the
//! packet is part of a message, control packets, and the obfuscation of retransmissions.

pub const CONTROL_BIT: u32 = 0x8000_0000;
pub const RELIABLE_BIT: u32 = 0x4000_0000;
pub const MESSAGE_BIT: u32 = 0x2000_0000;
pub const OBFUSCATION_MASK: u32 = 0x1800_0000;
pub const OBFUSCATION_SHIFT: u32 = 27;
/// Sequence numbers are 27 bits (`SequenceNumber::MAX`).
pub const SEQ_MASK: u32 = 0x07FF_FFFF;
pub const SEQ_MODULO: u32 = SEQ_MASK + 1;
/// Half the sequence space: `SequenceNumber`'s comparison threshold.
pub const SEQ_HALF: u32 = 0x03FF_FFFF;
pub const MESSAGE_NUMBER_MASK: u32 = 0x3FFF_FFFF;

/// Bytes of the UDT header without / with the message words.
pub const HEADER_LEN: usize = 4;
pub const MESSAGE_HEADER_LEN: usize = 12;

/// `Packet::PacketPosition` names, indexed by the two position bits.
pub const POSITION_NAMES: [&str; 4] = ["ONLY", "LAST", "FIRST", "MIDDLE"];
pub const POSITION_ONLY: u8 = 0;
pub const POSITION_LAST: u8 = 1;
pub const POSITION_FIRST: u8 = 2;
pub const POSITION_MIDDLE: u8 = 3;

/// `ControlPacket::Type` names.
pub const CONTROL_NAMES: [&str; 4] = ["ACK", "Handshake", "HandshakeACK", "HandshakeRequest"];
pub const ACK: u16 = 0;
pub const HANDSHAKE: u16 = 1;
pub const HANDSHAKE_ACK: u16 = 2;
pub const HANDSHAKE_REQUEST: u16 = 3;

/// The repeating XOR streams of obfuscation levels 1–3: the 64-bit keys as stored in memory.
pub const OBFUSCATION_KEYS: [[u8; 8]; 3] = [*b"tessirbc", *b"adraribs", *b"namffuhr"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncated;

fn word(b: &[u8], at: usize) -> Result<u32, Truncated> {
    b.get(at..at + 4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).ok_or(Truncated)
}

/// Whether the first word (little-endian) marks a control packet.
pub fn is_control(first: u32) -> bool {
    first & CONTROL_BIT != 0
}

/// Message words: where this datagram sits in an ordered multi-datagram message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageWords {
    /// Two bits: 0 ONLY, 1 LAST, 2 FIRST, 3 MIDDLE.
    pub position: u8,
    /// 30 bits.
    pub number: u32,
    pub part: u32,
}

/// The header of a data packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataHeader {
    pub reliable: bool,
    /// 0–3; non-zero only on retransmissions.
    pub obfuscation: u8,
    /// 27 bits.
    pub seq: u32,
    pub message: Option<MessageWords>,
}

impl DataHeader {
    /// Parses the header of a data packet (the control bit is the caller's to check).
    pub fn parse(b: &[u8]) -> Result<DataHeader, Truncated> {
        let w = word(b, 0)?;
        let message = if w & MESSAGE_BIT != 0 {
            let w2 = word(b, 4)?;
            Some(MessageWords { position: (w2 >> 30) as u8, number: w2 & MESSAGE_NUMBER_MASK, part: word(b, 8)? })
        } else {
            None
        };
        Ok(DataHeader {
            reliable: w & RELIABLE_BIT != 0,
            obfuscation: ((w & OBFUSCATION_MASK) >> OBFUSCATION_SHIFT) as u8,
            seq: w & SEQ_MASK,
            message,
        })
    }

    /// Bytes of the header: 4, or 12 with the message words.
    pub fn size(&self) -> usize {
        if self.message.is_some() {
            MESSAGE_HEADER_LEN
        } else {
            HEADER_LEN
        }
    }

    pub fn first_word(&self) -> u32 {
        (self.seq & SEQ_MASK)
            | if self.reliable { RELIABLE_BIT } else { 0 }
            | if self.message.is_some() { MESSAGE_BIT } else { 0 }
            | (u32::from(self.obfuscation & 3) << OBFUSCATION_SHIFT)
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.first_word().to_le_bytes());
        if let Some(m) = self.message {
            out.extend_from_slice(
                &((u32::from(m.position & 3) << 30) | (m.number & MESSAGE_NUMBER_MASK)).to_le_bytes(),
            );
            out.extend_from_slice(&m.part.to_le_bytes());
        }
    }
}

/// A control packet: the type in bits 16..31 of the first word, and a 4-byte body for ACK,
/// Handshake and HandshakeACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlPacket {
    /// 15 bits.
    pub kind: u16,
    /// The first word's low 16 bits; zero from the real sender.
    pub reserved: u16,
    /// ACK: last in-order reliable sequence number; Handshake(ACK): initial sequence number.
    pub body: Option<u32>,
}

impl ControlPacket {
    /// Parses a control packet. The body is read when the type has one and 4 bytes are there.
    pub fn parse(b: &[u8]) -> Result<ControlPacket, Truncated> {
        let w = word(b, 0)?;
        let kind = ((w & !CONTROL_BIT) >> 16) as u16;
        let body = if kind <= HANDSHAKE_ACK { word(b, 4).ok() } else { None };
        Ok(ControlPacket { kind, reserved: w as u16, body })
    }

    pub fn name(&self) -> Option<&'static str> {
        CONTROL_NAMES.get(self.kind as usize).copied()
    }

    /// Bytes of the packet: 4, or 8 with a body.
    pub fn size(&self) -> usize {
        HEADER_LEN + if self.body.is_some() { 4 } else { 0 }
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        let w = CONTROL_BIT | (u32::from(self.kind & 0x7FFF) << 16) | u32::from(self.reserved);
        out.extend_from_slice(&w.to_le_bytes());
        if let Some(v) = self.body {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// XORs `region` (everything after the UDT header) with the level's key stream: applying it
/// twice restores the bytes. Level 0 leaves them as they are.
pub fn xor_obfuscation(level: u8, region: &mut [u8]) {
    if let Some(key) = OBFUSCATION_KEYS.get(usize::from(level).wrapping_sub(1)) {
        for (i, b) in region.iter_mut().enumerate() {
            *b ^= key[i % 8];
        }
    }
}

/// `a - b` in the 27-bit sequence space, as a signed distance in (−2^26, 2^26].
pub fn seq_diff(a: u32, b: u32) -> i32 {
    let d = a.wrapping_sub(b) & SEQ_MASK;
    if d > SEQ_HALF {
        d as i32 - SEQ_MODULO as i32
    } else {
        d as i32
    }
}

pub fn seq_add(a: u32, n: u32) -> u32 {
    a.wrapping_add(n) & SEQ_MASK
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reference_header_bytes() {
        let h = DataHeader::parse(&[3, 0, 0, 0]).unwrap();
        assert_eq!(h, DataHeader { reliable: false, obfuscation: 0, seq: 3, message: None });
        let h = DataHeader::parse(&[0, 0, 0, 0x40]).unwrap();
        assert!(h.reliable && h.seq == 0 && h.message.is_none());
        // Reliable message packet: position FIRST (top bits 10), message 0, part 1.
        let h = DataHeader::parse(&hex("000000600000008001000000")).unwrap();
        assert_eq!(h.message, Some(MessageWords { position: POSITION_FIRST, number: 0, part: 1 }));
        assert_eq!(h.size(), 12);
        assert_eq!(DataHeader::parse(&[0, 0, 0, 0x20, 1]), Err(Truncated));
        // The control bit is the top bit of byte 3, not byte 0.
        assert!(is_control(u32::from_le_bytes([0, 0, 1, 0x80])));
        assert!(!is_control(u32::from_le_bytes([0x80, 0, 0, 0])));
    }

    #[test]
    fn control_packets_from_the_reference() {
        let c = ControlPacket::parse(&hex("000001802a000000")).unwrap();
        assert_eq!((c.name(), c.body, c.reserved), (Some("Handshake"), Some(42), 0));
        let c = ControlPacket::parse(&hex("00000380")).unwrap();
        assert_eq!((c.name(), c.body, c.size()), (Some("HandshakeRequest"), None, 4));
        assert_eq!(ControlPacket::parse(&hex("00000080")).unwrap().body, None, "a truncated ACK has no body");
    }

    #[test]
    fn obfuscation_streams_spell_the_keys() {
        let mut region = [0u8; 10];
        xor_obfuscation(1, &mut region);
        assert_eq!(&region, b"tessirbcte");
        xor_obfuscation(1, &mut region);
        assert_eq!(region, [0; 10]);
        let mut region = [0u8; 8];
        xor_obfuscation(3, &mut region);
        assert_eq!(&region, b"namffuhr");
        xor_obfuscation(0, &mut region);
        assert_eq!(&region, b"namffuhr");
        // ASCII of the 64-bit constants from Packet.cpp, read little-endian.
        assert_eq!(u64::from_le_bytes(OBFUSCATION_KEYS[0]), 0x6362_7269_7373_6574);
        assert_eq!(u64::from_le_bytes(OBFUSCATION_KEYS[1]), 0x7362_6972_6172_6461);
        assert_eq!(u64::from_le_bytes(OBFUSCATION_KEYS[2]), 0x7268_7566_666d_616e);
    }

    #[test]
    fn sequence_arithmetic_wraps_at_27_bits() {
        assert_eq!(seq_diff(0, SEQ_MASK), 1);
        assert_eq!(seq_diff(SEQ_MASK, 0), -1);
        assert_eq!(seq_add(SEQ_MASK, 2), 1);
        assert_eq!(seq_diff(10, 4), 6);
    }

    pub(crate) use udpdissect_core::testing::hex;

    proptest! {
        #[test]
        fn data_header_round_trips(
            reliable: bool,
            obfuscation in 0u8..4,
            seq in 0u32..SEQ_MODULO,
            msg in proptest::option::of((0u8..4, 0u32..=MESSAGE_NUMBER_MASK, any::<u32>())),
        ) {
            let h = DataHeader {
                reliable,
                obfuscation,
                seq,
                message: msg.map(|(position, number, part)| MessageWords { position, number, part }),
            };
            let mut b = Vec::new();
            h.emit(&mut b);
            prop_assert_eq!(b.len(), h.size());
            prop_assert!(!is_control(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            prop_assert_eq!(DataHeader::parse(&b), Ok(h));
        }

        #[test]
        fn data_header_bytes_round_trip(mut b in proptest::collection::vec(any::<u8>(), 12)) {
            b[3] &= 0x7f;
            let h = DataHeader::parse(&b).unwrap();
            let mut out = Vec::new();
            h.emit(&mut out);
            prop_assert_eq!(&out[..], &b[..h.size()]);
        }

        #[test]
        fn control_round_trips(kind in 0u16..0x8000, reserved: u16, body: Option<u32>) {
            let body = if kind <= HANDSHAKE_ACK { body } else { None };
            let c = ControlPacket { kind, reserved, body };
            let mut b = Vec::new();
            c.emit(&mut b);
            prop_assert!(is_control(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            prop_assert_eq!(ControlPacket::parse(&b), Ok(c));
        }
    }
}
