//! MD5 (RFC 1321) and HMAC-MD5 (RFC 2104): the hash of every verified NLPacket, and the
//! protocol signature.
//!
//! Written out rather than taken from the `md-5` and `hmac` crates for speed: one block is 64
//! dependent steps, and each step here adds the message word and constant to the old value
//! before the round function of the newest one is ready, so the chain waits on fewer
//! operations (about a tenth less time a block). A keyed state is two MD5 states, 32 bytes,
//! where the `hmac` crate copied its block buffer with them on every packet.

/// The state before any block.
const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

/// Each step's constant: the integer part of 2^32 × |sin(i + 1)|.
const K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// The four round functions, each as a step: `a` plus the message word and constant (`mk`),
/// plus the function of `b`, `c` and `d`, rotated, plus `b`. What does not depend on `b`, the
/// newest value, is computed first.
#[inline(always)]
fn f(a: u32, b: u32, c: u32, d: u32, mk: u32, s: u32) -> u32 {
    a.wrapping_add(mk).wrapping_add(d ^ (b & (c ^ d))).rotate_left(s).wrapping_add(b)
}

/// `(b & d) | (c & !d)`: the two halves share no bit, so they can be added one at a time.
#[inline(always)]
fn g(a: u32, b: u32, c: u32, d: u32, mk: u32, s: u32) -> u32 {
    a.wrapping_add(mk).wrapping_add(c & !d).wrapping_add(b & d).rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn h(a: u32, b: u32, c: u32, d: u32, mk: u32, s: u32) -> u32 {
    a.wrapping_add(mk).wrapping_add(b ^ (c ^ d)).rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn i(a: u32, b: u32, c: u32, d: u32, mk: u32, s: u32) -> u32 {
    a.wrapping_add(mk).wrapping_add(c ^ (b | !d)).rotate_left(s).wrapping_add(b)
}

/// Hashes one 64-byte block into `state`.
fn compress(state: &mut [u32; 4], block: &[u8; 64]) {
    let mut m = [0u32; 16];
    for (w, b) in m.iter_mut().zip(block.chunks_exact(4)) {
        *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    let [mut a, mut b, mut c, mut d] = *state;
    // Four steps of a round from step j: step n takes the word m[(first + stride * n) % 16].
    macro_rules! four {
        ($fun:ident, $j:expr, $first:expr, $stride:expr, $s:expr) => {
            let w = |k: usize| m[($first + $stride * ($j + k)) % 16].wrapping_add(K[$j + k]);
            a = $fun(a, b, c, d, w(0), $s[0]);
            d = $fun(d, a, b, c, w(1), $s[1]);
            c = $fun(c, d, a, b, w(2), $s[2]);
            b = $fun(b, c, d, a, w(3), $s[3]);
        };
    }
    four!(f, 0, 0, 1, [7, 12, 17, 22]);
    four!(f, 4, 0, 1, [7, 12, 17, 22]);
    four!(f, 8, 0, 1, [7, 12, 17, 22]);
    four!(f, 12, 0, 1, [7, 12, 17, 22]);
    four!(g, 16, 1, 5, [5, 9, 14, 20]);
    four!(g, 20, 1, 5, [5, 9, 14, 20]);
    four!(g, 24, 1, 5, [5, 9, 14, 20]);
    four!(g, 28, 1, 5, [5, 9, 14, 20]);
    four!(h, 32, 5, 3, [4, 11, 16, 23]);
    four!(h, 36, 5, 3, [4, 11, 16, 23]);
    four!(h, 40, 5, 3, [4, 11, 16, 23]);
    four!(h, 44, 5, 3, [4, 11, 16, 23]);
    four!(i, 48, 0, 7, [6, 10, 15, 21]);
    four!(i, 52, 0, 7, [6, 10, 15, 21]);
    four!(i, 56, 0, 7, [6, 10, 15, 21]);
    four!(i, 60, 0, 7, [6, 10, 15, 21]);
    for (s, v) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(v);
    }
}

/// Hashes `data` into `state`, which has hashed `before` bytes (whole blocks), and pads: the
/// digest.
fn finish(mut state: [u32; 4], data: &[u8], before: u64) -> [u8; 16] {
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        compress(&mut state, block.try_into().expect("64-byte chunks"));
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let end = if rest.len() < 56 { 64 } else { 128 };
    let bits = before.wrapping_add(data.len() as u64).wrapping_mul(8);
    tail[end - 8..end].copy_from_slice(&bits.to_le_bytes());
    for block in tail[..end].chunks_exact(64) {
        compress(&mut state, block.try_into().expect("64-byte chunks"));
    }
    let mut out = [0u8; 16];
    for (o, s) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&s.to_le_bytes());
    }
    out
}

/// The MD5 digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 16] {
    finish(INIT, data, 0)
}

/// HMAC-MD5 keyed once: the states after the key's inner and outer pad blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HmacKey {
    inner: [u32; 4],
    outer: [u32; 4],
}

impl HmacKey {
    pub fn new(key: &[u8]) -> HmacKey {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..16].copy_from_slice(&digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let padded = |pad: u8| {
            let mut state = INIT;
            compress(&mut state, &block.map(|b| b ^ pad));
            state
        };
        HmacKey { inner: padded(0x36), outer: padded(0x5c) }
    }

    /// The HMAC of `data`.
    pub fn mac(&self, data: &[u8]) -> [u8; 16] {
        let inner = finish(self.inner, data, 64);
        finish(self.outer, &inner, 64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::hmac::{Hmac, Mac};
    use ::md5::{Digest, Md5};
    use proptest::prelude::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn rfc_1321_test_suite() {
        let cases: [(&[u8], &str); 7] = [
            (b"", "d41d8cd98f00b204e9800998ecf8427e"),
            (b"a", "0cc175b9c0f1b6a831c399e269772661"),
            (b"abc", "900150983cd24fb0d6963f7d28e17f72"),
            (b"message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (b"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (data, want) in cases {
            assert_eq!(hex(&digest(data)), want, "{:?}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn rfc_2202_hmac_md5_cases() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 5] = [
            (vec![0x0b; 16], b"Hi There".to_vec(), "9294727a3638bb1c13f48ef8158bfc9d"),
            (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "750c783e6ab0b503eaa86e310a5db738"),
            (vec![0xaa; 16], vec![0xdd; 50], "56be34521d144c88dbb8c733f0e8b3f6"),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".to_vec(),
                "6f630fad67cda0ee1fb1f562db3aa53e",
            ),
        ];
        for (key, data, want) in cases {
            assert_eq!(hex(&HmacKey::new(&key).mac(&data)), want);
        }
    }

    proptest! {
        /// Every length around the padding's boundaries (55, 56, 64, 119, 120 bytes and on).
        #[test]
        fn same_as_the_rustcrypto_crates(
            key in proptest::collection::vec(any::<u8>(), 0..100),
            data in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            prop_assert_eq!(digest(&data).to_vec(), Md5::digest(&data).to_vec());
            let mut mac = <Hmac<Md5> as Mac>::new_from_slice(&key).unwrap();
            mac.update(&data);
            prop_assert_eq!(HmacKey::new(&key).mac(&data).to_vec(), mac.finalize().into_bytes().to_vec());
        }
    }
}
