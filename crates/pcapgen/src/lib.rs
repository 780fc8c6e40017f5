//! Writers for test captures.
//!
//! This crate builds pcap and pcapng files (optionally compressed with gzip, zstd or lz4)
//! containing hand-made packets: link-layer headers ([`link`]), IPv4/IPv6,
//! UDP, TCP, ICMP and IP fragments ([`packet`]), and helpers that damage a
//! well-formed capture ([`damage`]).
//!
//! ```
//! use std::net::SocketAddrV4;
//! use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};
//!
//! let src: SocketAddrV4 = "192.0.2.1:5000".parse().unwrap();
//! let dst: SocketAddrV4 = "192.0.2.2:6000".parse().unwrap();
//! let frame = link::ethernet_ip(&packet::udp4(src, dst, b"hello"));
//! let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
//! w.write(Ts::new(1_700_000_000, 123_456_000), &frame).unwrap();
//! let file: Vec<u8> = w.into_inner();
//! assert_eq!(file.len(), 24 + 16 + frame.len());
//! ```

pub mod damage;
pub mod link;
pub mod packet;
pub mod pcap;
pub mod pcapng;

pub use pcap::PcapWriter;
pub use pcapng::{IfOpts, PcapNgWriter};

/// A capture timestamp: seconds since the Unix epoch plus nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ts {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub secs: i64,
    /// Nanoseconds within the second (`0..1_000_000_000`).
    pub nanos: u32,
}

impl Ts {
    /// Creates a timestamp. Panics if `nanos >= 1_000_000_000`.
    pub fn new(secs: i64, nanos: u32) -> Self {
        assert!(nanos < 1_000_000_000, "nanos out of range: {nanos}");
        Ts { secs, nanos }
    }

    /// Total nanoseconds since the epoch.
    pub fn as_nanos(self) -> i128 {
        self.secs as i128 * 1_000_000_000 + self.nanos as i128
    }
}

/// Link-layer header type numbers (the `network` / `LinkType` field).
pub mod linktype {
    /// BSD loopback, host-order address family (DLT_NULL).
    pub const NULL: u16 = 0;
    /// Ethernet II / 802.3.
    pub const ETHERNET: u16 = 1;
    /// Raw IP, version taken from the first nibble.
    pub const RAW: u16 = 101;
    /// OpenBSD loopback, big-endian address family (DLT_LOOP).
    pub const LOOP: u16 = 108;
    /// Linux cooked capture v1 (16-byte header).
    pub const LINUX_SLL: u16 = 113;
    /// Raw IPv4.
    pub const IPV4: u16 = 228;
    /// Raw IPv6.
    pub const IPV6: u16 = 229;
    /// Linux cooked capture v2 (20-byte header).
    pub const LINUX_SLL2: u16 = 276;
}

/// Compresses `bytes` as a single gzip member (level 6, no name, time 0), as `-w` compresses a
/// capture.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    udpdissect_capture::compress(bytes, udpdissect_capture::Compression::Gzip).expect("writing to a Vec cannot fail")
}

/// `bytes` as `zstd FILE` writes them (level 3, a checksum), as `-w` compresses a capture.
pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    udpdissect_capture::compress(bytes, udpdissect_capture::Compression::Zstd).expect("writing to a Vec cannot fail")
}

/// `bytes` as `lz4 FILE` writes them (independent 4 MiB blocks, a content checksum), as `-w`
/// compresses a capture.
pub fn lz4(bytes: &[u8]) -> Vec<u8> {
    udpdissect_capture::compress(bytes, udpdissect_capture::Compression::Lz4).expect("writing to a Vec cannot fail")
}

/// `bytes` as `lz4 -BD FILE` writes them: linked 4 MiB blocks (each may copy from the 64 KiB
/// before it), a content checksum.
pub fn lz4_linked(bytes: &[u8]) -> Vec<u8> {
    use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};
    let info = FrameInfo::new().block_size(BlockSize::Max4MB).block_mode(BlockMode::Linked).content_checksum(true);
    let mut e = FrameEncoder::with_frame_info(info, Vec::new());
    std::io::Write::write_all(&mut e, bytes).expect("writing to a Vec cannot fail");
    e.finish().expect("writing to a Vec cannot fail")
}

/// `v` in big- or little-endian order.
pub(crate) fn u16_bytes(v: u16, big_endian: bool) -> [u8; 2] {
    if big_endian {
        v.to_be_bytes()
    } else {
        v.to_le_bytes()
    }
}

/// `v` in big- or little-endian order.
pub(crate) fn u32_bytes(v: u32, big_endian: bool) -> [u8; 4] {
    if big_endian {
        v.to_be_bytes()
    } else {
        v.to_le_bytes()
    }
}

/// Reads a `u32` at `off` in the given order, if in bounds.
pub(crate) fn read_u32(bytes: &[u8], off: usize, big_endian: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(off..off.checked_add(4)?)?.try_into().ok()?;
    Some(if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
}

/// Whether tshark (the oracle several tests compare against) can be run. Under CI (`CI` set)
/// its absence is a failure, since `.ci/run` installs it; elsewhere the caller skips, and this
/// says so on stderr.
pub fn tshark_available() -> bool {
    let found = std::process::Command::new("tshark").arg("-v").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "tshark is required under CI (.ci/run installs it)");
        eprintln!("SKIPPED: tshark not installed (apt-get install tshark); the comparison did not run");
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn gzip_round_trip() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let gz = gzip(&data);
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    #[should_panic]
    fn ts_rejects_big_nanos() {
        Ts::new(0, 1_000_000_000);
    }
}
