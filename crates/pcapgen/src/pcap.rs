//! Classic libpcap file writer.

use std::io::{self, Write};

use crate::{u16_bytes, u32_bytes, Ts};

/// Magic number of a microsecond-resolution pcap file.
pub const MAGIC_MICROS: u32 = 0xa1b2_c3d4;
/// Magic number of a nanosecond-resolution pcap file.
pub const MAGIC_NANOS: u32 = 0xa1b2_3c4d;

/// Writes a classic pcap file (version 2.4) record by record.
#[derive(Debug)]
pub struct PcapWriter<W: Write> {
    w: W,
    nanos: bool,
    big_endian: bool,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the 24-byte global header.
    ///
    /// `nanos` selects nanosecond timestamps (magic `0xa1b23c4d`) instead of
    /// microseconds (magic `0xa1b2c3d4`); `big_endian` selects the byte order
    /// of every header field.
    pub fn new(mut w: W, linktype: u16, snaplen: u32, nanos: bool, big_endian: bool) -> io::Result<Self> {
        let be = big_endian;
        let magic = if nanos { MAGIC_NANOS } else { MAGIC_MICROS };
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&u32_bytes(magic, be));
        h.extend_from_slice(&u16_bytes(2, be));
        h.extend_from_slice(&u16_bytes(4, be));
        h.extend_from_slice(&u32_bytes(0, be)); // thiszone
        h.extend_from_slice(&u32_bytes(0, be)); // sigfigs
        h.extend_from_slice(&u32_bytes(snaplen, be));
        h.extend_from_slice(&u32_bytes(linktype as u32, be));
        w.write_all(&h)?;
        Ok(PcapWriter { w, nanos, big_endian })
    }

    /// Writes a complete packet (`orig_len == data.len()`).
    pub fn write(&mut self, ts: Ts, data: &[u8]) -> io::Result<()> {
        self.write_truncated(ts, data.len() as u32, data)
    }

    /// Writes a packet whose original length was `orig_len` but of which only
    /// `data` was captured.
    ///
    /// Microsecond files truncate the nanoseconds of `ts` towards zero.
    pub fn write_truncated(&mut self, ts: Ts, orig_len: u32, data: &[u8]) -> io::Result<()> {
        let be = self.big_endian;
        let frac = if self.nanos { ts.nanos } else { ts.nanos / 1000 };
        let mut h = [0u8; 16];
        h[0..4].copy_from_slice(&u32_bytes(ts.secs as u32, be));
        h[4..8].copy_from_slice(&u32_bytes(frac, be));
        h[8..12].copy_from_slice(&u32_bytes(data.len() as u32, be));
        h[12..16].copy_from_slice(&u32_bytes(orig_len, be));
        self.w.write_all(&h)?;
        self.w.write_all(data)
    }

    /// Returns the underlying writer.
    pub fn into_inner(self) -> W {
        self.w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn little_endian_micros_layout() {
        let mut w = PcapWriter::new(Vec::new(), 1, 65535, false, false).unwrap();
        w.write(Ts::new(0x0102_0304, 123_456_789), &[0xaa, 0xbb]).unwrap();
        w.write_truncated(Ts::new(5, 0), 100, &[1, 2, 3]).unwrap();
        let b = w.into_inner();
        assert_eq!(
            &b[..24],
            &[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]
        );
        assert_eq!(&b[24..42], &[4, 3, 2, 1, 0x40, 0xe2, 0x01, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0xaa, 0xbb]);
        assert_eq!(&b[42..], &[5, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100, 0, 0, 0, 1, 2, 3]);
    }

    #[test]
    fn big_endian_nanos_layout() {
        let mut w = PcapWriter::new(Vec::new(), 276, 262144, true, true).unwrap();
        w.write(Ts::new(7, 123_456_789), &[9]).unwrap();
        let b = w.into_inner();
        assert_eq!(&b[..4], &[0xa1, 0xb2, 0x3c, 0x4d]);
        assert_eq!(&b[4..8], &[0, 2, 0, 4]);
        assert_eq!(&b[16..24], &[0, 4, 0, 0, 0, 0, 1, 20]);
        assert_eq!(&b[24..28], &[0, 0, 0, 7]);
        assert_eq!(&b[28..32], &123_456_789u32.to_be_bytes());
        assert_eq!(&b[32..40], &[0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(b[40], 9);
    }
}
