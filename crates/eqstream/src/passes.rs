//! The EQ1 encode passes (§5): the per-packet zlib pass behind a `5a`/`a5` flag, and the XOR
//! pass with ciphertext chaining. Both cover the packet after `00 op` (or after the first byte
//! of a bare application packet), before the CRC.

use flate2::{Compress, Compression, FlushCompress, FlushDecompress, Status};
use udpdissect_core::zlib::{Inflater, Stop};

/// Flag byte: zlib-compressed.
pub const FLAG_COMPRESSED: u8 = 0x5a;
/// Flag byte: stored as is.
pub const FLAG_PLAIN: u8 = 0xa5;

/// Where the encode region starts: after `00 op`, or after a bare packet's first byte.
pub fn region_start(packet: &[u8]) -> usize {
    if packet.first() == Some(&0) {
        2
    } else {
        1
    }
}

/// XOR-decodes in place: 4-byte LE words chained on the ciphertext, tail bytes with the low
/// byte of the last ciphertext word.
pub fn xor_decode(buf: &mut [u8], key: u32) {
    let mut k = key;
    let mut chunks = buf.chunks_exact_mut(4);
    for w in &mut chunks {
        let c = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        w.copy_from_slice(&(c ^ k).to_le_bytes());
        k = c;
    }
    for b in chunks.into_remainder() {
        *b ^= k as u8;
    }
}

/// The sender's side of [`xor_decode`].
pub fn xor_encode(buf: &mut [u8], key: u32) {
    let mut k = key;
    let mut chunks = buf.chunks_exact_mut(4);
    for w in &mut chunks {
        let c = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) ^ k;
        w.copy_from_slice(&c.to_le_bytes());
        k = c;
    }
    for b in chunks.into_remainder() {
        *b ^= k as u8;
    }
}

/// Inflates one complete zlib stream (the EQ1 pass) into `out`, at most `limit` bytes.
/// `z` is reset and reused so no state is allocated per packet.
pub fn inflate_packet(z: &mut Inflater, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<(), Stop> {
    z.reset();
    match z.feed(input, out, limit, FlushDecompress::Finish)? {
        Status::StreamEnd => Ok(()),
        // All input taken, and the stream goes on: it was cut short.
        _ => Err(Stop::Corrupt),
    }
}

/// Compresses one packet region for the EQ1 pass (zlib, level 1 like EQEmu).
pub fn deflate_packet(input: &[u8]) -> Vec<u8> {
    let mut c = Compress::new(Compression::new(1), true);
    let mut out = Vec::with_capacity(input.len() + 64);
    loop {
        let consumed = c.total_in() as usize;
        let status = c.compress_vec(&input[consumed..], &mut out, FlushCompress::Finish).expect("deflate to a Vec");
        if status == Status::StreamEnd {
            return out;
        }
        out.reserve(out.capacity().max(64));
    }
}

/// Applies the sender's passes to a datagram (before its CRC): pass1 then pass2.
pub fn encode(packet: &[u8], pass1: u8, pass2: u8, key: u32) -> Vec<u8> {
    let start = region_start(packet).min(packet.len());
    let mut out = packet.to_vec();
    for pass in [pass1, pass2] {
        match pass {
            crate::wire::PASS_COMPRESS => {
                let region = &out[start..];
                let mut next = out[..start].to_vec();
                if region.len() > 30 {
                    let z = deflate_packet(region);
                    if z.len() < region.len() {
                        next.push(FLAG_COMPRESSED);
                        next.extend_from_slice(&z);
                        out = next;
                        continue;
                    }
                }
                next.push(FLAG_PLAIN);
                next.extend_from_slice(region);
                out = next;
            }
            crate::wire::PASS_XOR => xor_encode(&mut out[start..], key),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crc;

    use udpdissect_core::testing::hex;

    /// §12.3
    #[test]
    fn compression_vectors() {
        let p = hex("00 09 5a 78 01 63 60 b8 e0 cb c0 c8 c4 cc c2 ca c6 ce c1 c9 c5 cd c3 cb c7 2f 20 28 24 2c
             22 2a 26 2e 21 29 25 2d 23 2b 27 af a0 a8 a4 ac a2 aa a6 0e 00 58 45 04 2a 69 35");
        assert_eq!(p.len(), 57);
        let key = crc::key_state(0x11223344);
        assert_eq!(crc::crc32(key, &p[..55]) & 0xffff, crc::read_trailer(&p[55..]));
        let mut z = Inflater::default();
        let mut out = Vec::new();
        inflate_packet(&mut z, &p[3..55], &mut out, 4096).unwrap();
        let mut want = vec![0, 0, 0xd0, 0x4d];
        want.extend(0..40u8);
        assert_eq!(out, want);
        // That region does not shrink, so EQEmu would send it stored; a compressible one goes
        // out zlib'd and inflates back.
        let mut plain = vec![0, 9];
        plain.extend_from_slice(&want);
        assert_eq!(&encode(&plain, 1, 0, 0)[..3], &[0, 9, FLAG_PLAIN]);
        plain.extend_from_slice(&[0; 100]);
        let enc = encode(&plain, 1, 0, 0);
        assert_eq!(&enc[..3], &[0, 9, FLAG_COMPRESSED]);
        out.clear();
        inflate_packet(&mut z, &enc[3..], &mut out, 4096).unwrap();
        assert_eq!(out, plain[2..]);

        let ack = hex("00 15 a5 00 07 46 35");
        assert_eq!(crc::crc32(key, &ack[..5]) & 0xffff, 0x4635);
        assert_eq!(encode(&[0, 0x15, 0, 7], 1, 0, 0), &ack[..5]);
        let bare = hex("d0 a5 4d 01 02 33 20");
        assert_eq!(crc::crc32(key, &bare[..5]) & 0xffff, 0x3320);
        assert_eq!(encode(&[0xd0, 0x4d, 1, 2], 1, 0, 0), &bare[..5]);
    }

    /// §12.4
    #[test]
    fn xor_vector() {
        let mut b = hex("01 02 03 04 05 06 07 08 09 0a 0b");
        xor_encode(&mut b, 0x11223344);
        assert_eq!(b, hex("45 31 21 15 40 37 26 1d 49 4a 4b"));
        xor_decode(&mut b, 0x11223344);
        assert_eq!(b, hex("01 02 03 04 05 06 07 08 09 0a 0b"));
    }

    #[test]
    fn inflate_is_bounded_and_rejects_garbage() {
        let big = deflate_packet(&[0u8; 100_000]);
        let mut z = Inflater::default();
        let mut out = Vec::new();
        assert_eq!(inflate_packet(&mut z, &big, &mut out, 4096), Err(Stop::Limit));
        assert!(out.len() <= 4096);
        out.clear();
        assert_eq!(inflate_packet(&mut z, &[0x78, 0x01, 0xff, 0xff], &mut out, 4096), Err(Stop::Corrupt));
        out.clear();
        assert_eq!(inflate_packet(&mut z, &big[..big.len() / 2], &mut out, 1 << 20), Err(Stop::Corrupt));
    }

    proptest::proptest! {
        #[test]
        fn xor_round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..64), key: u32) {
            let mut b = data.clone();
            xor_encode(&mut b, key);
            xor_decode(&mut b, key);
            proptest::prop_assert_eq!(b, data);
        }
    }
}
