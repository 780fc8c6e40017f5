//! A small HFUDT / NLPacket writer for the samples (`protocols/overte.md` §1–§4): UDT data and
//! control headers, NLPacket headers with the §3.3 version table, HMAC-MD5 and obfuscation,
//! and the STUN messages the client exchanges before any Overte packet.

use hmac::{Hmac, Mac};
use md5::Md5;

/// §4: the signature preimage, `NUM_PACKET_TYPE` (106) followed by `versionForPacketType(t)`
/// for every type, i.e. the §3.3 version column.
pub const SIGNATURE_PREIMAGE: [u8; 107] = [
    0x6a, 0x16, 0x11, 0x19, 0x12, 0x16, 0x37, 0x37, 0x18, 0x18, 0x18, 0x18, 0x37, 0x18, 0x17, 0x16, 0x16, 0x13, 0x16,
    0x18, 0x16, 0x16, 0x13, 0x11, 0x11, 0x16, 0x16, 0x16, 0x16, 0x16, 0x37, 0x12, 0x1b, 0x16, 0x16, 0x16, 0x16, 0x16,
    0x16, 0x12, 0x12, 0x11, 0x93, 0x17, 0x93, 0x16, 0x93, 0x16, 0x16, 0x12, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16,
    0x16, 0x12, 0x16, 0x16, 0x11, 0x16, 0x16, 0x11, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16,
    0x16, 0x16, 0x16, 0x93, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x16, 0x13, 0x16,
    0x16, 0x16, 0x16, 0x16, 0x93, 0x5c, 0x30, 0x16, 0x30, 0x18, 0x16, 0x16,
];

/// The protocol signature the domain server expects (MD5 of [`SIGNATURE_PREIMAGE`]).
pub const SIGNATURE: [u8; 16] =
    [0xeb, 0x16, 0x00, 0xe7, 0x98, 0xdc, 0x5e, 0x03, 0xc7, 0x55, 0xa9, 0x68, 0xdc, 0x16, 0xb7, 0xfc];

/// §2.2 NON_SOURCED: no source ID, no hash slot.
const NON_SOURCED: [u8; 38] = [
    1, 15, 14, 32, 31, 2, 16, 19, 20, 21, 46, 47, 95, 96, 97, 90, 48, 22, 23, 38, 63, 39, 40, 60, 27, 35, 56, 71, 81,
    83, 84, 85, 86, 87, 88, 89, 104, 105,
];
/// §2.2 NON_VERIFIED: a source ID but no hash slot.
const NON_VERIFIED: [u8; 10] = [33, 42, 34, 37, 13, 35, 55, 70, 67, 68];

/// The version the official peer writes for `t` (§3.3; 22 for types past the table).
pub fn version(t: u8) -> u8 {
    SIGNATURE_PREIMAGE.get(1 + usize::from(t)).copied().unwrap_or(22)
}

pub fn is_sourced(t: u8) -> bool {
    !NON_SOURCED.contains(&t)
}

pub fn is_verified(t: u8) -> bool {
    is_sourced(t) && !NON_VERIFIED.contains(&t)
}

/// Message position of a multi-part message datagram (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Only = 0,
    Last = 1,
    First = 2,
    Middle = 3,
}

impl Position {
    /// The position of part `i` of `n`.
    pub fn of(i: usize, n: usize) -> Self {
        match (i, n) {
            (_, 0 | 1) => Position::Only,
            (0, _) => Position::First,
            (i, n) if i + 1 == n => Position::Last,
            _ => Position::Middle,
        }
    }
}

/// The 4- or 12-byte UDT data header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Udt {
    pub reliable: bool,
    /// 27-bit sequence number.
    pub seq: u32,
    /// Message words: position, message number, part number.
    pub message: Option<(Position, u32, u32)>,
    /// Obfuscation level 0..=3 (retransmissions only).
    pub obfuscation: u8,
    /// Write the words big-endian (`htonl`), as a home-made client does by mistake.
    pub big_endian: bool,
}

impl Udt {
    pub fn unreliable(seq: u32) -> Self {
        Udt { seq, ..Udt::default() }
    }

    pub fn reliable(seq: u32) -> Self {
        Udt { reliable: true, seq, ..Udt::default() }
    }

    pub fn len(&self) -> usize {
        if self.message.is_some() {
            12
        } else {
            4
        }
    }

    fn emit(&self, out: &mut Vec<u8>) {
        let mut word = self.seq & 0x07ff_ffff;
        word |= u32::from(self.reliable) << 30;
        word |= u32::from(self.message.is_some()) << 29;
        word |= u32::from(self.obfuscation & 3) << 27;
        let mut put = |w: u32| out.extend_from_slice(&if self.big_endian { w.to_be_bytes() } else { w.to_le_bytes() });
        put(word);
        if let Some((pos, number, part)) = self.message {
            put((pos as u32) << 30 | (number & 0x3fff_ffff));
            put(part);
        }
    }
}

/// What goes into the 16-byte hash slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// HMAC-MD5 keyed by this connection secret (RFC 4122 bytes).
    Secret([u8; 16]),
    /// A sender without a secret leaves the slot zero.
    Zero,
}

/// One NLPacket datagram.
#[derive(Debug, Clone)]
pub struct Nl<'a> {
    pub udt: Udt,
    pub ty: u8,
    pub version: u8,
    /// Written little-endian when set.
    pub source: Option<u16>,
    /// The hash slot, when set.
    pub hash: Option<Hash>,
    pub payload: &'a [u8],
}

impl<'a> Nl<'a> {
    /// Headers as the official peer writes them: the table's version, the source ID for
    /// sourced types, the hash slot for verified ones (HMAC with `secret`, zeros without).
    pub fn new(udt: Udt, ty: u8, source: u16, secret: Option<[u8; 16]>, payload: &'a [u8]) -> Self {
        Nl {
            udt,
            ty,
            version: version(ty),
            source: is_sourced(ty).then_some(source),
            hash: is_verified(ty).then(|| secret.map_or(Hash::Zero, Hash::Secret)),
            payload,
        }
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.udt.len() + 20 + self.payload.len());
        self.udt.emit(&mut out);
        let nl_start = out.len();
        out.push(self.ty);
        out.push(self.version);
        if let Some(id) = self.source {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let slot = out.len();
        if self.hash.is_some() {
            out.extend_from_slice(&[0; 16]);
        }
        out.extend_from_slice(self.payload);
        if let Some(Hash::Secret(key)) = self.hash {
            let mac = hmac_md5(&key, &out[slot + 16..]);
            out[slot..slot + 16].copy_from_slice(&mac);
        }
        // The HMAC covers the plaintext; obfuscation comes last.
        obfuscate(self.udt.obfuscation, &mut out[nl_start..]);
        out
    }
}

pub fn hmac_md5(key: &[u8; 16], data: &[u8]) -> [u8; 16] {
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// §1.6 keys ("cbrisset", "sbirarda", "rhuffman" as u64, applied in little-endian order).
const KEYS: [u64; 4] = [0, 0x6362_7269_7373_6574, 0x7362_6972_6172_6461, 0x7268_7566_666d_616e];

/// XORs `region` (everything after the UDT header) with the key of `level`.
pub fn obfuscate(level: u8, region: &mut [u8]) {
    let key = KEYS[usize::from(level & 3)].to_le_bytes();
    for (i, b) in region.iter_mut().enumerate() {
        *b ^= key[i % 8];
    }
}

/// Control packet types (§1.5).
pub const ACK: u16 = 0;
pub const HANDSHAKE: u16 = 1;
pub const HANDSHAKE_ACK: u16 = 2;

/// A control packet: first word `0x80000000 | type << 16` (LE) and a 4-byte LE value.
pub fn control(ty: u16, value: u32) -> Vec<u8> {
    let mut out = (0x8000_0000u32 | u32::from(ty) << 16).to_le_bytes().to_vec();
    out.extend_from_slice(&value.to_le_bytes());
    out
}

const STUN_COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];

/// RFC 5389 Binding Request without attributes (what `LimitedNodeList` sends).
pub fn stun_request(txid: [u8; 12]) -> Vec<u8> {
    let mut m = vec![0x00, 0x01, 0x00, 0x00];
    m.extend_from_slice(&STUN_COOKIE);
    m.extend_from_slice(&txid);
    m
}

/// Binding Success Response with one XOR-MAPPED-ADDRESS (IPv4).
pub fn stun_response(txid: [u8; 12], mapped: std::net::SocketAddrV4) -> Vec<u8> {
    let mut m = vec![0x01, 0x01, 0x00, 0x0c];
    m.extend_from_slice(&STUN_COOKIE);
    m.extend_from_slice(&txid);
    m.extend_from_slice(&[0x00, 0x20, 0x00, 0x08, 0x00, 0x01]);
    m.extend_from_slice(&(mapped.port() ^ 0x2112).to_be_bytes());
    let ip = mapped.ip().octets();
    m.extend((0..4).map(|i| ip[i] ^ STUN_COOKIE[i]));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::Digest;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn version_table_reproduces_the_protocol_signature() {
        assert_eq!(Md5::digest(SIGNATURE_PREIMAGE).as_slice(), SIGNATURE);
        // Spot checks against the §3.3 table.
        let expect = [(2, 25), (3, 18), (4, 22), (6, 55), (9, 24), (13, 23), (21, 19), (31, 27), (41, 147)];
        for (t, v) in expect {
            assert_eq!(version(t), v, "type {t}");
        }
        assert_eq!((version(72), version(100), version(39), version(40)), (22, 48, 18, 17));
        assert_eq!(NON_SOURCED.len(), 38);
    }

    #[test]
    fn header_sizes_follow_the_type_sets() {
        let nl = |t| Nl::new(Udt::unreliable(1), t, 7, None, &[]).build().len();
        assert_eq!(nl(31), 6, "DomainConnectRequest: non-sourced");
        assert_eq!(nl(13), 8, "DomainListRequest: sourced, not verified");
        assert_eq!(nl(3), 24, "Ping: sourced and verified");
        assert_eq!(Nl::new(Udt::unreliable(1), 3, 7, None, &[]).build()[8..], [0; 16], "no secret: zero slot");
    }

    #[test]
    fn hmac_vector_of_the_reference() {
        // §2.1: a PingReply from local ID 0x0c55 keyed by 96deabc1…, captured from C++.
        let payload = hex("01 0005cb77e2d26428 0005cb77e2d292d8");
        let key: [u8; 16] = hex("96deabc106e3495f8a43932df376ba21").try_into().unwrap();
        let p = Nl::new(Udt::unreliable(0), 4, 0x0c55, Some(key), &payload);
        let mut nl = p.clone();
        nl.version = 0x16;
        let built = nl.build();
        assert_eq!(built[..8], hex("000000000416550c")[..]);
        assert_eq!(built[8..24], hex("7787c7c3a9b4cb667207a1a952cf3c68")[..]);
        assert_eq!(built[24..], payload[..]);
        assert_eq!(p.build(), built, "PingReply's table version is 22 = 0x16");
    }

    #[test]
    fn udt_words_are_little_endian() {
        let mut udt = Udt::reliable(0);
        udt.message = Some((Position::Only, 0, 0));
        let b = Nl::new(udt, 57, 0, None, &[]).build();
        assert_eq!(b[..12], hex("00000060 00000000 00000000")[..]);
        let mut last = Udt::reliable(0x0123_4567);
        last.message = Some((Position::Last, 5, 2));
        let b = Nl::new(last, 29, 0, None, &[]).build();
        assert_eq!(b[..12], hex("67452361 05000040 02000000")[..]);
        assert_eq!(Nl::new(Udt::unreliable(3), 31, 0, None, &[]).build()[..4], hex("03000000")[..]);
        // htonl: a reliable seq 1 reads back (LE) as an unreliable packet with seq 0x01000040.
        let be = Udt { big_endian: true, ..Udt::reliable(1) };
        let b = Nl::new(be, 19, 0, None, &[]).build();
        assert_eq!(b[..4], hex("40000001")[..]);
        assert_eq!(u32::from_le_bytes(b[..4].try_into().unwrap()), 0x0100_0040);
    }

    #[test]
    fn control_packets_and_stun() {
        assert_eq!(control(HANDSHAKE, 0x0345_1a2b), hex("00000180 2b1a4503"));
        assert_eq!(control(ACK, 7), hex("00000080 07000000"));
        assert_eq!(control(HANDSHAKE_ACK, 1), hex("00000280 01000000"));
        let r = stun_response([0; 12], "192.0.2.55:53412".parse().unwrap());
        assert_eq!(r[4..8], STUN_COOKIE);
        assert_eq!(r[26..32], hex("f1b6 e1 12 a6 75")[..]);
    }

    #[test]
    fn obfuscation_covers_everything_after_the_udt_header() {
        let key = [9; 16];
        let plain = Nl::new(Udt::reliable(5), 5, 0x1234, Some(key), &[1, 2, 3]).build();
        let mut l1 = Udt::reliable(5);
        l1.obfuscation = 1;
        let obf = Nl::new(l1, 5, 0x1234, Some(key), &[1, 2, 3]).build();
        assert_eq!(obf[..4], [5, 0, 0, 0x48], "level 1 in bits 27-28, header not obfuscated");
        assert_eq!(
            obf[4..12],
            [
                5 ^ b't',
                0x37 ^ b'e',
                0x34 ^ b's',
                0x12 ^ b's',
                plain[8] ^ b'i',
                plain[9] ^ b'r',
                plain[10] ^ b'b',
                plain[11] ^ b'c'
            ]
        );
        let mut back = obf[4..].to_vec();
        obfuscate(1, &mut back);
        assert_eq!(back, plain[4..], "the same XOR undoes it; the HMAC is over the plaintext");
    }
}
