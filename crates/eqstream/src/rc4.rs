//! RC4, the stream cipher of EQ2's application packets (`protocols/eqstream.md` §9.3).
//!
//! Written here rather than taken from a cipher crate for speed: a capture's EQ2 traffic is
//! decrypted byte by byte, in order, and the generic one-byte-at-a-time loop spent most of its
//! time storing each output byte between the state's loads and stores. Here eight keystream
//! bytes are gathered in a register and applied to the data as one word (docs/performance-log.md).

/// An RC4 state: the permutation and its two indices. Not `Clone`: a stream is decrypted once,
/// in order.
pub struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// The state keyed with `key` (1 to 256 bytes; longer keys are cut at 256, as the key
    /// schedule never reads past it).
    ///
    /// # Panics
    /// On an empty key.
    pub fn new(key: &[u8]) -> Rc4 {
        assert!(!key.is_empty(), "RC4 needs a key of at least one byte");
        let mut s = [0u8; 256];
        for (k, v) in s.iter_mut().enumerate() {
            *v = k as u8;
        }
        let mut j = 0u8;
        for (i, k) in (0..256).zip(key.iter().cycle()) {
            j = j.wrapping_add(s[i]).wrapping_add(*k);
            s.swap(i, usize::from(j));
        }
        Rc4 { s, i: 0, j: 0 }
    }

    /// The next keystream byte.
    #[inline(always)]
    fn next(&mut self) -> u8 {
        let s = &mut self.s;
        self.i = self.i.wrapping_add(1);
        let x = s[usize::from(self.i)];
        self.j = self.j.wrapping_add(x);
        let y = s[usize::from(self.j)];
        s[usize::from(self.j)] = x;
        s[usize::from(self.i)] = y;
        s[usize::from(x.wrapping_add(y))]
    }

    /// XORs the keystream into `data`: encrypts or decrypts it in place.
    pub fn apply(&mut self, data: &mut [u8]) {
        let mut words = data.chunks_exact_mut(8);
        for w in &mut words {
            // Shifted into place: bytes stored to an array and loaded back as a word would wait
            // for the stores (6 % slower in isolation).
            let mut ks = 0u64;
            for k in 0..8 {
                ks |= u64::from(self.next()) << (8 * k);
            }
            let v = u64::from_le_bytes((&*w).try_into().expect("eight bytes")) ^ ks;
            w.copy_from_slice(&v.to_le_bytes());
        }
        for b in words.into_remainder() {
            *b ^= self.next();
        }
    }

    /// Discards `n` keystream bytes.
    pub fn skip(&mut self, n: usize) {
        for _ in 0..n {
            self.next();
        }
    }
}

impl std::fmt::Debug for Rc4 {
    /// The state is key material: only that there is one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rc4 { .. }")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use udpdissect_core::testing::hex;

    /// The next `n` keystream bytes.
    pub(crate) fn keystream(r: &mut Rc4, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        r.apply(&mut v);
        v
    }

    /// RFC 6229 §2, the 40-bit key 0102030405: the keystream at offsets 0, 16, 240, 256, 496,
    /// 512, 752, 768, 1008, 1024, 1520, 1536, 2032, 2048, 3056, 3072, 4080 and 4096.
    #[test]
    fn rfc_6229_forty_bit_key() {
        let want = [
            (0, "b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8"),
            (16, "69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19"),
            (240, "28 cb 11 32 c9 6c e2 86 42 1d ca ad b8 b6 9e ae"),
            (256, "1c fc f6 2b 03 ed db 64 1d 77 df cf 7f 8d 8c 93"),
            (496, "42 b7 d0 cd d9 18 a8 a3 3d d5 17 81 c8 1f 40 41"),
            (512, "64 59 84 44 32 a7 da 92 3c fb 3e b4 98 06 61 f6"),
            (752, "ec 10 32 7b de 2b ee fd 18 f9 27 76 80 45 7e 22"),
            (768, "eb 62 63 8d 4f 0b a1 fe 9f ca 20 e0 5b f8 ff 2b"),
            (1008, "45 12 90 48 e6 a0 ed 0b 56 b4 90 33 8f 07 8d a5"),
            (1024, "30 ab bc c7 c2 0b 01 60 9f 23 ee 2d 5f 6b b7 df"),
            (1520, "32 94 f7 44 d8 f9 79 05 07 e7 0f 62 e5 bb ce ea"),
            (1536, "d8 72 9d b4 18 82 25 9b ee 4f 82 53 25 f5 a1 30"),
            (2032, "1e b1 4a 0c 13 b3 bf 47 fa 2a 0b a9 3a d4 5b 8b"),
            (2048, "cc 58 2f 8b a9 f2 65 e2 b1 be 91 12 e9 75 d2 d7"),
            (3056, "f2 e3 0f 9b d1 02 ec bf 75 aa ad e9 bc 35 c4 3c"),
            (3072, "ec 0e 11 c4 79 dc 32 9d c8 da 79 68 fe 96 56 81"),
            (4080, "06 83 26 a2 11 84 16 d2 1f 9d 04 b2 cd 1c a0 50"),
            (4096, "ff 25 b5 89 95 99 67 07 e5 1f bd f0 8b 34 d8 75"),
        ];
        let stream = keystream(&mut Rc4::new(&[1, 2, 3, 4, 5]), 4112);
        for (at, bytes) in want {
            assert_eq!(stream[at..at + 16], hex(bytes)[..], "offset {at}");
        }
        // Skipping, and applying in pieces of every length, give the same stream.
        let mut r = Rc4::new(&[1, 2, 3, 4, 5]);
        r.skip(240);
        assert_eq!(keystream(&mut r, 16), hex(want[2].1));
        let mut r = Rc4::new(&[1, 2, 3, 4, 5]);
        let mut pieces = Vec::new();
        for n in 0..90 {
            pieces.extend(keystream(&mut r, n));
        }
        assert_eq!(pieces, stream[..pieces.len()]);
    }

    proptest! {
        /// Against the RustCrypto implementation, for any key and any split of the data.
        #[test]
        fn same_as_rustcrypto(key in proptest::collection::vec(any::<u8>(), 1..300),
                              data in proptest::collection::vec(any::<u8>(), 0..600), cut in 0usize..600) {
            use rc4_reference::{KeyInit, StreamCipher};
            let mut theirs = data.clone();
            let k = &key[..key.len().min(256)];
            rc4_reference::Rc4::new_from_slice(k).unwrap().apply_keystream(&mut theirs);
            let mut ours = data.clone();
            let mut r = Rc4::new(&key);
            let cut = cut.min(ours.len());
            let (a, b) = ours.split_at_mut(cut);
            r.apply(a);
            r.apply(b);
            prop_assert_eq!(ours, theirs);
        }
    }
}
