//! The session CRC (§4): standard CRC-32 over the session key's four little-endian bytes and
//! then the datagram; the trailer is its low 16 bits (or all 32) big-endian. And the key's
//! recovery from CRC'd packets when the handshake is missing: the CRC is affine over GF(2),
//! so each packet gives 16 linear equations in the 32 key bits.

/// CRC-32 of the key prefix, from which each packet's CRC continues.
pub fn key_state(key: u32) -> u32 {
    crc32fast::hash(&key.to_le_bytes())
}

/// The full CRC-32 of `data` under the key whose [`key_state`] is `state`.
pub fn crc32(state: u32, data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new_with_initial(state);
    h.update(data);
    h.finalize()
}

/// The trailer value for `crc_bytes` (2 or 4) of the full CRC.
pub fn trailer(full: u32, crc_bytes: usize) -> u32 {
    if crc_bytes == 2 {
        full & 0xffff
    } else {
        full
    }
}

/// Reads a big-endian trailer of 2 or 4 bytes.
pub fn read_trailer(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, &x| acc << 8 | u32::from(x))
}

/// Appends the trailer (`crc_bytes` 2 or 4) for `key` to a datagram.
pub fn append(key: u32, crc_bytes: usize, packet: &mut Vec<u8>) {
    let full = crc32(key_state(key), packet);
    match crc_bytes {
        2 => packet.extend_from_slice(&(full as u16).to_be_bytes()),
        4 => packet.extend_from_slice(&full.to_be_bytes()),
        _ => {}
    }
}

/// Packets of distinct lengths needed at most; after that, a key that does not verify means
/// this is not CRC'd the way we think, and the search stops.
const MAX_SAMPLES: usize = 16;

/// Gaussian elimination over the 32 key bits, fed 16-bit trailers.
#[derive(Debug, Clone, Default)]
pub struct KeyRecovery {
    /// Row with leading bit `i`: (coefficient mask, right-hand side bit).
    basis: [Option<(u32, bool)>; 32],
    rank: u32,
    samples: usize,
    /// Contradictory equations: the packets are not CRC'd with one key.
    pub failed: bool,
}

impl KeyRecovery {
    pub fn rank(&self) -> u32 {
        self.rank
    }

    /// Adds the equations of one packet (`data` without its 2-byte trailer `crc16`).
    /// Returns the key once the system is solved.
    pub fn add(&mut self, data: &[u8], crc16: u16) -> Option<u32> {
        if self.failed || self.samples >= MAX_SAMPLES {
            return self.solve();
        }
        self.samples += 1;
        let zero = crc32(key_state(0), data);
        // Column i: how key bit i flips the CRC (depends only on the length).
        let mut cols = [0u32; 32];
        for (i, col) in cols.iter_mut().enumerate() {
            *col = crc32(key_state(1 << i), data) ^ zero;
        }
        let rhs = u32::from(crc16) ^ (zero & 0xffff);
        for j in 0..16 {
            let mask = cols.iter().enumerate().fold(0u32, |m, (i, c)| m | ((c >> j) & 1) << i);
            self.insert(mask, (rhs >> j) & 1 == 1);
            if self.failed {
                return None;
            }
        }
        self.solve()
    }

    fn insert(&mut self, mut mask: u32, mut rhs: bool) {
        while mask != 0 {
            let lead = 31 - mask.leading_zeros() as usize;
            match self.basis[lead] {
                Some((m, r)) => {
                    mask ^= m;
                    rhs ^= r;
                }
                None => {
                    self.basis[lead] = Some((mask, rhs));
                    self.rank += 1;
                    return;
                }
            }
        }
        if rhs {
            self.failed = true;
        }
    }

    fn solve(&self) -> Option<u32> {
        if self.rank < 32 || self.failed {
            return None;
        }
        let mut key = 0u32;
        for bit in 0..32 {
            let (mask, rhs) = self.basis[bit]?;
            let others = mask & !(1 << bit) & key;
            let value = rhs ^ (others.count_ones() % 2 == 1);
            if value {
                key |= 1 << bit;
            }
        }
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §12.1
    #[test]
    fn reference_vectors() {
        let cases: [(u32, &[u8], u32); 5] = [
            (0x11223344, &[0x00, 0x15, 0x00, 0x05], 0x2c1d23aa),
            (0, &[0x00, 0x15, 0x00, 0x05], 0x0fa54a7d),
            (0x33624702, &[0x00, 0x15, 0x00, 0x05], 0x6f916af0),
            (0x33624702, &[0x00, 0x06], 0x48b84585),
            (0, b"123456789", 0x22896b0a),
        ];
        for (key, data, full) in cases {
            assert_eq!(crc32(key_state(key), data), full, "key {key:#x}");
        }
        let mut p = vec![0x00, 0x15, 0x00, 0x05];
        append(0x11223344, 2, &mut p);
        assert_eq!(p, [0x00, 0x15, 0x00, 0x05, 0x23, 0xaa]);
        assert_eq!(read_trailer(&p[4..]), 0x23aa);
        let mut p4 = vec![0x00, 0x06];
        append(0x33624702, 4, &mut p4);
        assert_eq!(read_trailer(&p4[2..]), 0x48b84585);
    }

    #[test]
    fn key_recovered_from_three_lengths() {
        let key = 0x33624702;
        let mut r = KeyRecovery::default();
        let packets: [&[u8]; 3] = [&[0, 0x15, 0, 5], &[0, 0x06], &[0, 0x09, 0, 1, 0xde, 0x6f, 0xd8, 0x04, 0x46]];
        let mut found = None;
        for p in packets {
            let crc = crc32(key_state(key), p) as u16;
            found = r.add(p, crc);
        }
        assert_eq!(found, Some(key));
        assert_eq!(r.rank(), 32);
    }

    #[test]
    fn one_length_is_not_enough_and_contradictions_fail() {
        let mut r = KeyRecovery::default();
        assert_eq!(r.add(&[0, 0x15, 0, 5], crc32(key_state(7), &[0, 0x15, 0, 5]) as u16), None);
        assert_eq!(r.rank(), 16);
        // The same length with a different key: inconsistent.
        r.add(&[0, 0x15, 0, 5], (crc32(key_state(8), &[0, 0x15, 0, 5]) as u16) ^ 1);
        assert!(r.failed);
    }
}
