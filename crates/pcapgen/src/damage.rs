//! Helpers that damage a well-formed capture.
//!
//! Each takes the bytes of an (uncompressed) pcap or pcapng file and returns
//! a damaged copy. They panic if the input is not what they expect, since
//! they are meant for tests.

use crate::pcap::{MAGIC_MICROS, MAGIC_NANOS};
use crate::pcapng::{BT_SHB, BYTE_ORDER_MAGIC};
use crate::{read_u32, u32_bytes};

/// Byte order of a pcap file from its magic: `Some(true)` for big-endian.
fn pcap_order(bytes: &[u8]) -> Option<bool> {
    let m = read_u32(bytes, 0, false)?;
    if m == MAGIC_MICROS || m == MAGIC_NANOS {
        Some(false)
    } else if m.swap_bytes() == MAGIC_MICROS || m.swap_bytes() == MAGIC_NANOS {
        Some(true)
    } else {
        None
    }
}

/// Offsets of the 16-byte record headers of a pcap file, found by walking
/// the captured lengths (either byte order). A record whose header is cut
/// off is not listed; one whose data is cut off is.
pub fn pcap_record_offsets(bytes: &[u8]) -> Vec<usize> {
    let be = pcap_order(bytes).expect("not a pcap file");
    let mut out = Vec::new();
    let mut off = 24usize;
    while off + 16 <= bytes.len() {
        out.push(off);
        let incl = read_u32(bytes, off + 8, be).unwrap() as usize;
        off = off.saturating_add(16).saturating_add(incl);
    }
    out
}

/// Offsets and byte orders (`true` = big-endian) of the blocks of a pcapng
/// file, following each Section Header Block's byte-order magic. Stops at a
/// block whose length field is below 12 (after listing it).
pub fn pcapng_blocks(bytes: &[u8]) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut off = 0usize;
    let mut be = false;
    while off + 12 <= bytes.len() {
        if read_u32(bytes, off, false) == Some(BT_SHB) {
            be = read_u32(bytes, off + 8, true) == Some(BYTE_ORDER_MAGIC);
        }
        out.push((off, be));
        let len = read_u32(bytes, off + 4, be).unwrap() as usize;
        if len < 12 {
            break;
        }
        off = off.saturating_add(len);
    }
    out
}

fn is_pcapng(bytes: &[u8]) -> bool {
    read_u32(bytes, 0, false) == Some(BT_SHB)
}

/// Cuts the file inside its last record (pcap) or block (pcapng), keeping
/// only the first `keep` bytes of it, header included.
///
/// Panics if `keep` is not smaller than that record's length.
pub fn truncate_mid_record(bytes: &[u8], keep: usize) -> Vec<u8> {
    let (start, len) = if is_pcapng(bytes) {
        let &(off, be) = pcapng_blocks(bytes).last().expect("no blocks");
        (off, read_u32(bytes, off + 4, be).unwrap() as usize)
    } else {
        let be = pcap_order(bytes).expect("not a pcap or pcapng file");
        let off = *pcap_record_offsets(bytes).last().expect("no records");
        (off, 16 + read_u32(bytes, off + 8, be).unwrap() as usize)
    };
    assert!(keep < len, "keep ({keep}) must be less than the record length ({len})");
    bytes[..start + keep].to_vec()
}

/// Sets the captured length (`incl_len`) of pcap record `record_index`
/// (0-based) without changing the data that follows.
pub fn set_pcap_record_len(bytes: &[u8], record_index: usize, incl_len: u32) -> Vec<u8> {
    let be = pcap_order(bytes).expect("not a pcap file");
    let off = pcap_record_offsets(bytes)[record_index];
    let mut out = bytes.to_vec();
    out[off + 8..off + 12].copy_from_slice(&u32_bytes(incl_len, be));
    out
}

/// Sets the leading Block Total Length of pcapng block `block_index`
/// (0-based, counting every block including Section Header Blocks); the
/// trailing copy is left unchanged.
pub fn set_pcapng_block_len(bytes: &[u8], block_index: usize, len: u32) -> Vec<u8> {
    let (off, be) = pcapng_blocks(bytes)[block_index];
    let mut out = bytes.to_vec();
    out[off + 4..off + 8].copy_from_slice(&u32_bytes(len, be));
    out
}

/// Replaces the first 4 bytes (the magic) with `de ad be ef`.
pub fn bad_magic(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let n = out.len().min(4);
    out[..n].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef][..n]);
    out
}

/// Appends `n` pseudo-random bytes, the same for the same `seed`
/// (SplitMix64).
pub fn append_random(bytes: &[u8], n: usize, seed: u64) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out.reserve(n);
    let mut state = seed;
    while out.len() < bytes.len() + n {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let take = (bytes.len() + n - out.len()).min(8);
        out.extend_from_slice(&z.to_le_bytes()[..take]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IfOpts, PcapNgWriter, PcapWriter, Ts};

    fn pcap(be: bool) -> Vec<u8> {
        let mut w = PcapWriter::new(Vec::new(), 1, 65535, false, be).unwrap();
        w.write(Ts::new(1, 0), &[1; 10]).unwrap();
        w.write(Ts::new(2, 0), &[2; 20]).unwrap();
        w.write(Ts::new(3, 0), &[3; 30]).unwrap();
        w.into_inner()
    }

    fn pcapng() -> Vec<u8> {
        let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
        w.interface(1, 0, IfOpts::default()).unwrap();
        w.epb(0, Ts::new(1, 0), 5, &[1; 5]).unwrap();
        w.section(true).unwrap();
        w.interface(1, 0, IfOpts::default()).unwrap();
        w.epb(0, Ts::new(1, 0), 7, &[1; 7]).unwrap();
        w.into_inner()
    }

    #[test]
    fn walks_pcap_both_orders() {
        for be in [false, true] {
            let b = pcap(be);
            assert_eq!(pcap_record_offsets(&b), vec![24, 50, 86]);
            let d = set_pcap_record_len(&b, 1, 0xffff_fff0);
            assert_eq!(read_u32(&d, 58, be), Some(0xffff_fff0));
            assert_eq!(pcap_record_offsets(&d), vec![24, 50]);
            let t = truncate_mid_record(&b, 20);
            assert_eq!(t.len(), 86 + 20);
        }
    }

    #[test]
    fn walks_pcapng_sections() {
        let b = pcapng();
        let blocks = pcapng_blocks(&b);
        let offs: Vec<usize> = blocks.iter().map(|x| x.0).collect();
        // SHB 56, IDB 20, EPB 40, SHB 56, IDB 20, EPB 40
        assert_eq!(offs, vec![0, 56, 76, 116, 172, 192]);
        assert!(blocks[3].1);
        assert!(!blocks[2].1);
        let d = set_pcapng_block_len(&b, 5, 13);
        assert_eq!(&d[196..200], &[0, 0, 0, 13]);
        assert_eq!(truncate_mid_record(&b, 10).len(), 202);
    }

    #[test]
    fn magic_and_random() {
        let b = pcap(false);
        assert_eq!(&bad_magic(&b)[..4], &[0xde, 0xad, 0xbe, 0xef]);
        let r1 = append_random(&b, 13, 42);
        let r2 = append_random(&b, 13, 42);
        let r3 = append_random(&b, 13, 43);
        assert_eq!(r1.len(), b.len() + 13);
        assert_eq!(r1, r2);
        assert_ne!(r1, r3);
        assert_eq!(&r1[..b.len()], &b[..]);
    }

    #[test]
    #[should_panic]
    fn truncate_requires_partial_keep() {
        truncate_mid_record(&pcap(false), 16 + 30);
    }
}
