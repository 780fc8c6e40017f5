//! The EQ2 application layer (§9): the KeyGen request and the client's key reply, the two RC4
//! states, the server→client flag byte with its persistent zlib stream, and the opcode forms.

use crate::rc4::Rc4;
use flate2::{Compress, Compression, FlushCompress, FlushDecompress};
use udpdissect_core::zlib::{self, Stop};

/// Keystream bytes each RC4 state drops right after setup.
pub const RC4_DROP: usize = 20;
/// The KeyGen packet's opcode (OP_WSLoginRequestMsg), sent with no flag byte.
pub const KEYGEN_OPCODE: u8 = 2;
/// The flag byte of a server→client packet.
pub const FLAG_PLAIN: u8 = 0;
pub const FLAG_COMPRESSED: u8 = 1;

/// An RC4 state after `drop` keystream bytes.
pub fn rc4(key: &[u8], drop: usize) -> Rc4 {
    let mut r = Rc4::new(key);
    r.skip(drop);
    r
}

/// The two states for the 64-bit key K (read big-endian from the key reply): server→client
/// with K's little-endian bytes, client→server with !K's.
pub fn rc4_pair(k: u64) -> (Rc4, Rc4) {
    (rc4(&k.to_le_bytes(), RC4_DROP), rc4(&(!k).to_le_bytes(), RC4_DROP))
}

/// The user's notes' scheme: the SessionResponse key's four bytes (as a little-endian host
/// stores them) key both directions, with nothing dropped.
pub fn rc4_pair_from_session_key(key: u32) -> (Rc4, Rc4) {
    (rc4(&key.to_le_bytes(), 0), rc4(&key.to_le_bytes(), 0))
}

/// The key the client's reply carries: its last eight bytes read big-endian.
pub fn key_from_reply(reply: &[u8]) -> Option<u64> {
    let last: [u8; 8] = reply.get(reply.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(last))
}

/// The KeyGen request body after its opcode byte (LE lengths): the "RSA" public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGen {
    pub modulus: Vec<u8>,
    pub exponent: Vec<u8>,
}

/// Offsets in a KeyGen blob (opcode byte included).
pub struct KeyGenLayout {
    pub modulus_len_at: usize,
    pub modulus_at: usize,
    pub exponent_len_at: usize,
    pub exponent_at: usize,
    pub end: usize,
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl KeyGen {
    /// Parses `02 | u32 len | modulus | u32 len | exponent`; lengths above 512 are not a KeyGen.
    pub fn parse(blob: &[u8]) -> Option<(KeyGen, KeyGenLayout)> {
        if blob.first() != Some(&KEYGEN_OPCODE) {
            return None;
        }
        let mlen = le32(blob, 1)? as usize;
        if mlen == 0 || mlen > 512 {
            return None;
        }
        let modulus = blob.get(5..5 + mlen)?;
        let elen_at = 5 + mlen;
        let elen = le32(blob, elen_at)? as usize;
        if elen == 0 || elen > 512 {
            return None;
        }
        let exponent = blob.get(elen_at + 4..elen_at + 4 + elen)?;
        Some((
            KeyGen { modulus: modulus.to_vec(), exponent: exponent.to_vec() },
            KeyGenLayout {
                modulus_len_at: 1,
                modulus_at: 5,
                exponent_len_at: elen_at,
                exponent_at: elen_at + 4,
                end: elen_at + 4 + elen,
            },
        ))
    }

    /// The emulators' key: modulus 2^480−1, exponent 1, so "encryption" is the identity and
    /// the client's key sits in clear in its reply.
    pub fn emulator() -> KeyGen {
        KeyGen { modulus: vec![0xff; 60], exponent: vec![1] }
    }

    pub fn is_identity(&self) -> bool {
        self.exponent.iter().rev().skip(1).all(|&b| b == 0) && self.exponent.last() == Some(&1)
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(KEYGEN_OPCODE);
        out.extend_from_slice(&(self.modulus.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.modulus);
        out.extend_from_slice(&(self.exponent.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.exponent);
    }
}

/// Reads an application opcode: one byte, or `FF` + u16 LE. Returns (opcode, its size).
pub fn parse_opcode(p: &[u8]) -> Option<(u16, usize)> {
    match *p.first()? {
        0xff => p.get(1..3).map(|s| (u16::from_le_bytes([s[0], s[1]]), 3)),
        b => Some((u16::from(b), 1)),
    }
}

pub fn emit_opcode(opcode: u16, out: &mut Vec<u8>) {
    if opcode < 0xff {
        out.push(opcode as u8);
    } else {
        out.push(0xff);
        out.extend_from_slice(&opcode.to_le_bytes());
    }
}

/// Opcodes 0–15, the same in every client version (§10).
pub fn builtin_opcode_name(op: u16) -> Option<&'static str> {
    const NAMES: [&str; 16] = [
        "OP_LoginRequestMsg",
        "OP_LoginByNumRequestMsg",
        "OP_WSLoginRequestMsg",
        "OP_ESLoginRequestMsg",
        "OP_LoginReplyMsg",
        "OP_WSStatusReplyMsg",
        "OP_WorldStatusChangeMsg",
        "OP_AllWSDescRequestMsg",
        "OP_WorldListMsg",
        "OP_AllCharactersDescRequestMsg",
        "OP_AllCharactersDescReplyMsg",
        "OP_CreateCharacterRequestMsg",
        "OP_CreateCharacterReplyMsg",
        "OP_WSCreateCharacterRequestMsg",
        "OP_WSCreateCharacterReplyMsg",
        "OP_ReskinCharacterRequestMsg",
    ];
    NAMES.get(op as usize).copied()
}

/// The server→client inflater: one zlib stream per connection, sync-flushed per packet.
#[derive(Default)]
pub struct Inflater {
    z: zlib::Stream,
}

impl Inflater {
    pub fn total_out(&self) -> u64 {
        self.z.total_out()
    }

    /// Feeds one packet's compressed bytes through `via`'s chunk, appending at most `limit`
    /// bytes to `out`.
    pub fn feed(
        &mut self,
        via: &mut zlib::Inflater,
        input: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(), Stop> {
        via.feed_stream(&mut self.z, input, out, limit, FlushDecompress::Sync).map(|_| ())
    }
}

/// The server's side: one deflate stream (level 9, 8 KB window) sync-flushed per packet.
pub struct Deflater {
    z: Compress,
}

impl Default for Deflater {
    fn default() -> Self {
        Deflater { z: Compress::new_with_window_bits(Compression::new(9), true, 13) }
    }
}

impl Deflater {
    pub fn feed(&mut self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() + 64);
        let start = self.z.total_in();
        loop {
            let used = (self.z.total_in() - start) as usize;
            self.z.compress_vec(&input[used..], &mut out, FlushCompress::Sync).expect("deflate to a Vec");
            if (self.z.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    }
}

/// Builds a server→client plaintext: flag, opcode, body; compressed through `deflater` when
/// the prepared packet is over 128 bytes (EQ2Emu), like the emulators.
pub fn server_plaintext(opcode: u16, body: &[u8], deflater: &mut Deflater) -> Vec<u8> {
    let mut app = Vec::with_capacity(3 + body.len());
    emit_opcode(opcode, &mut app);
    app.extend_from_slice(body);
    let mut out = Vec::with_capacity(app.len() + 1);
    if app.len() + 3 > 128 {
        out.push(FLAG_COMPRESSED);
        out.extend_from_slice(&deflater.feed(&app));
    } else {
        out.push(FLAG_PLAIN);
        out.extend_from_slice(&app);
    }
    out
}

/// Encrypts an app blob and applies the `00` escape when the ciphertext starts with `00`.
pub fn seal(rc4: &mut Rc4, plaintext: &[u8]) -> Vec<u8> {
    let mut c = plaintext.to_vec();
    rc4.apply(&mut c);
    if c.first() == Some(&0) {
        c.insert(0, 0);
    }
    c
}

/// EQ2 16-bit string: u16 LE length + bytes. Returns (text range, next offset).
pub fn str16(b: &[u8], at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let len = usize::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?));
    let r = at + 2..at + 2 + len;
    b.get(r.clone())?;
    Some((r.clone(), r.end))
}

/// LoginByNumRequest (EQ2Emu): account id, access code, client version (all LE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginByNum {
    pub account_id: u32,
    pub access_code: u32,
    pub version: u16,
}

impl LoginByNum {
    pub fn parse(body: &[u8]) -> Option<LoginByNum> {
        Some(LoginByNum {
            account_id: le32(body, 0)?,
            access_code: le32(body, 4)?,
            version: u16::from_le_bytes(body.get(8..10)?.try_into().ok()?),
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.account_id.to_le_bytes());
        out.extend_from_slice(&self.access_code.to_le_bytes());
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&[0; 20]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rc4::tests::keystream;
    use udpdissect_core::testing::hex;

    /// §12.6
    #[test]
    fn rc4_vectors() {
        let mut rfc = rc4(&[1, 2, 3, 4, 5], 0);
        assert_eq!(keystream(&mut rfc, 8), hex("b2 39 63 05 f0 3d c0 27"));
        let k = key_from_reply(&hex("aa bb 01 23 45 67 89 ab cd ef")).unwrap();
        assert_eq!(k, 0x0123456789abcdef);
        assert_eq!(k.to_le_bytes(), hex("ef cd ab 89 67 45 23 01")[..]);
        assert_eq!((!k).to_le_bytes(), hex("10 32 54 76 98 ba dc fe")[..]);
        let (mut s2c, mut c2s) = rc4_pair(k);
        assert_eq!(keystream(&mut s2c, 16), hex("de 6b d9 06 45 6f 9c b2 68 e2 95 ec 67 b2 8b fe"));
        assert_eq!(keystream(&mut c2s, 16), hex("b1 16 2b fe 3b 8e e7 81 ac bc 1b d5 64 1f a0 cc"));

        let (mut s2c, mut c2s) = rc4_pair(k);
        assert_eq!(seal(&mut s2c, &hex("00 04 01 02 03")), hex("de 6f d8 04 46"));
        let mut p2 = vec![0];
        emit_opcode(0x01f4, &mut p2);
        p2.extend_from_slice(&[0xaa, 0xbb]);
        assert_eq!(seal(&mut s2c, &p2), hex("6f 63 46 69 48 2e"));
        assert_eq!(seal(&mut c2s, &hex("00 03 00 61 62 63")), hex("b1 15 2b 9f 59 ed"));
        assert_eq!(parse_opcode(&p2[1..]), Some((0x01f4, 3)));
        assert_eq!(parse_opcode(&[4, 1]), Some((4, 1)));
        assert_eq!(parse_opcode(&[0xff, 1]), None);
    }

    /// §12.7
    #[test]
    fn keygen_vector() {
        let wire = {
            let mut v = hex("00 09 00 00 02 3c 00 00 00");
            v.extend_from_slice(&[0xff; 60]);
            v.extend_from_slice(&hex("01 00 00 00 01 5e d8"));
            v
        };
        assert_eq!(wire.len(), 76);
        let key = crate::crc::key_state(0x33624702);
        assert_eq!(crate::crc::crc32(key, &wire[..74]) & 0xffff, 0x5ed8);
        let (kg, layout) = KeyGen::parse(&wire[4..74]).unwrap();
        assert_eq!(kg, KeyGen::emulator());
        assert!(kg.is_identity());
        assert_eq!((layout.exponent_len_at, layout.end), (65, 70));
        let mut v = Vec::new();
        kg.emit(&mut v);
        assert_eq!(v, wire[4..74]);
        assert!(!KeyGen { modulus: vec![0xc3; 60], exponent: vec![1, 0, 1] }.is_identity());
        assert!(KeyGen::parse(&[2, 0, 0, 0, 0]).is_none());
    }

    /// §12.8: the second chunk inflates only with the inflater that took the first. Streams
    /// fed through one chunk stay apart.
    #[test]
    fn persistent_stream() {
        let c1 = hex("58 c3 62 75 1c 26 00 00 00 00 ff ff");
        let c2 = hex("62 1d 9c ce 72 22 19 00 00 00 00 ff ff");
        let mut via = zlib::Inflater::default();
        let mut inf = Inflater::default();
        let mut out = Vec::new();
        inf.feed(&mut via, &c1, &mut out, 65536).unwrap();
        let mut want = vec![5];
        want.extend_from_slice(&[b'A'; 200]);
        assert_eq!(out, want);
        let mut fresh = Inflater::default();
        out.clear();
        assert_eq!(fresh.feed(&mut via, &c2, &mut out, 65536), Err(Stop::Corrupt));
        out.clear();
        inf.feed(&mut via, &c2, &mut out, 65536).unwrap();
        let mut want2 = vec![5];
        want2.extend_from_slice(&[b'A'; 150]);
        want2.extend_from_slice(&[b'B'; 50]);
        assert_eq!(out, want2);

        // Our own deflater's chunks round-trip the same way, and the output is bounded.
        let mut d = Deflater::default();
        let mut inf = Inflater::default();
        for n in [200usize, 5000, 70_000] {
            let data: Vec<u8> = (0..n).map(|i| (i % 7) as u8).collect();
            let z = d.feed(&data);
            out.clear();
            let r = inf.feed(&mut via, &z, &mut out, 65536);
            if n <= 65536 {
                assert_eq!((r, &out), (Ok(()), &data));
            } else {
                assert_eq!((r, out.len()), (Err(Stop::Limit), 65536));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn opcode_and_keygen_round_trip(op: u16, m in proptest::collection::vec(proptest::num::u8::ANY, 1..80),
                                        e in proptest::collection::vec(proptest::num::u8::ANY, 1..4),
                                        a: u32, c: u32, v: u16) {
            let mut b = Vec::new();
            emit_opcode(op, &mut b);
            proptest::prop_assert_eq!(parse_opcode(&b), Some((op, b.len())));
            let kg = KeyGen { modulus: m, exponent: e };
            b.clear();
            kg.emit(&mut b);
            proptest::prop_assert_eq!(KeyGen::parse(&b).map(|x| x.0), Some(kg));
            let l = LoginByNum { account_id: a, access_code: c, version: v };
            b.clear();
            l.emit(&mut b);
            proptest::prop_assert_eq!(LoginByNum::parse(&b), Some(l));
        }
    }
}
