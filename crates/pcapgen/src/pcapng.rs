//! pcapng file writer.
//!
//! Every block is written in the byte order of its section, with its body
//! padded to 4 bytes and the total length repeated at the end.

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::{u16_bytes, u32_bytes, Ts};

/// Section Header Block type.
pub const BT_SHB: u32 = 0x0A0D_0D0A;
/// Interface Description Block type.
pub const BT_IDB: u32 = 1;
/// Obsolete Packet Block type.
pub const BT_PB: u32 = 2;
/// Simple Packet Block type.
pub const BT_SPB: u32 = 3;
/// Name Resolution Block type.
pub const BT_NRB: u32 = 4;
/// Interface Statistics Block type.
pub const BT_ISB: u32 = 5;
/// Enhanced Packet Block type.
pub const BT_EPB: u32 = 6;
/// Custom Block type (may be copied by rewriters).
pub const BT_CUSTOM: u32 = 0x0000_0BAD;
/// Byte-order magic inside the Section Header Block.
pub const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

/// Options of an Interface Description Block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfOpts {
    /// `if_name` (option 2).
    pub name: Option<String>,
    /// `if_description` (option 3).
    pub description: Option<String>,
    /// Raw `if_tsresol` byte (option 9): `6` → µs (the default when absent),
    /// `9` → ns, `3` → ms, `0x80 | n` → units of 2^-n s.
    pub tsresol: Option<u8>,
    /// `if_tsoffset` (option 14) in seconds, added by readers to every
    /// timestamp of the interface.
    pub tsoffset: Option<i64>,
    /// Further options (`if_os`, `if_filter`, `if_speed`…), after the
    /// others, as given: numbers in the section's byte order (see
    /// [`PcapNgWriter::u64_option`]).
    pub more: Vec<(u16, Vec<u8>)>,
}

#[derive(Debug, Clone, Copy)]
struct Iface {
    tsresol: u8,
    tsoffset: i64,
}

const DEFAULT_IFACE: Iface = Iface { tsresol: 6, tsoffset: 0 };

/// Writes a pcapng file block by block.
#[derive(Debug)]
pub struct PcapNgWriter<W: Write> {
    w: W,
    big_endian: bool,
    ifaces: Vec<Iface>,
}

/// Converts `ts` to the 64-bit timestamp of an interface with the given raw
/// `if_tsresol` byte and `if_tsoffset` (seconds), rounding towards minus
/// infinity.
///
/// Panics if the resolution cannot be represented (more than 2^-63 s or
/// 10^-18 s units) or the result does not fit in 64 bits.
pub fn ts_to_units(ts: Ts, tsresol: u8, tsoffset: i64) -> u64 {
    let ns = (ts.secs as i128 - tsoffset as i128) * 1_000_000_000 + ts.nanos as i128;
    let n = u32::from(tsresol & 0x7f);
    let v = if tsresol & 0x80 == 0 {
        assert!(n <= 18, "unsupported if_tsresol {tsresol:#x}");
        if n <= 9 {
            ns.div_euclid(10i128.pow(9 - n))
        } else {
            ns * 10i128.pow(n - 9)
        }
    } else {
        assert!(n <= 63, "unsupported if_tsresol {tsresol:#x}");
        (ns << n).div_euclid(1_000_000_000)
    };
    u64::try_from(v).expect("timestamp does not fit in 64 bits")
}

/// Number of timestamp units per second for a raw `if_tsresol` byte.
pub fn units_per_second(tsresol: u8) -> u64 {
    let n = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u64.pow(n)
    } else {
        1u64 << n
    }
}

fn pad4(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

impl<W: Write> PcapNgWriter<W> {
    /// Writes a Section Header Block (with an `shb_userappl` option) and
    /// returns the writer.
    pub fn new(w: W, big_endian: bool) -> io::Result<Self> {
        let mut me = PcapNgWriter { w, big_endian, ifaces: Vec::new() };
        me.section(big_endian)?;
        Ok(me)
    }

    /// Starts a new section in the given byte order; interface ids restart
    /// at 0.
    pub fn section(&mut self, big_endian: bool) -> io::Result<()> {
        self.big_endian = big_endian;
        self.ifaces.clear();
        let be = big_endian;
        let mut b = Vec::new();
        b.extend_from_slice(&u32_bytes(BYTE_ORDER_MAGIC, be));
        b.extend_from_slice(&u16_bytes(1, be));
        b.extend_from_slice(&u16_bytes(0, be));
        b.extend_from_slice(&(-1i64).to_le_bytes()); // section length: unknown
        self.opt(&mut b, 4, b"udpdissect-pcapgen");
        self.end_opts(&mut b);
        self.block(BT_SHB, &b)
    }

    /// Writes an Interface Description Block and returns its interface id
    /// within the current section.
    pub fn interface(&mut self, linktype: u16, snaplen: u32, opts: IfOpts) -> io::Result<u32> {
        let be = self.big_endian;
        let mut b = Vec::new();
        b.extend_from_slice(&u16_bytes(linktype, be));
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(&u32_bytes(snaplen, be));
        if let Some(name) = &opts.name {
            self.opt(&mut b, 2, name.as_bytes());
        }
        if let Some(description) = &opts.description {
            self.opt(&mut b, 3, description.as_bytes());
        }
        if let Some(r) = opts.tsresol {
            self.opt(&mut b, 9, &[r]);
        }
        if let Some(off) = opts.tsoffset {
            let v = if be { off.to_be_bytes() } else { off.to_le_bytes() };
            self.opt(&mut b, 14, &v);
        }
        for (code, value) in &opts.more {
            self.opt(&mut b, *code, value);
        }
        if opts != IfOpts::default() {
            self.end_opts(&mut b);
        }
        self.block(BT_IDB, &b)?;
        self.ifaces.push(Iface { tsresol: opts.tsresol.unwrap_or(6), tsoffset: opts.tsoffset.unwrap_or(0) });
        Ok(self.ifaces.len() as u32 - 1)
    }

    /// Writes an Enhanced Packet Block. `ts` is converted to the interface's
    /// units after subtracting its `if_tsoffset`. An unknown `if_id` is
    /// written as given, with microsecond timestamps.
    pub fn epb(&mut self, if_id: u32, ts: Ts, orig_len: u32, data: &[u8]) -> io::Result<()> {
        self.epb_with(if_id, ts, orig_len, data, &[])
    }

    /// [`PcapNgWriter::epb`] with options (`epb_flags`, `epb_dropcount`…),
    /// values as given: numbers in the section's byte order.
    pub fn epb_with(
        &mut self,
        if_id: u32,
        ts: Ts,
        orig_len: u32,
        data: &[u8],
        options: &[(u16, Vec<u8>)],
    ) -> io::Result<()> {
        let be = self.big_endian;
        let mut b = Vec::with_capacity(20 + data.len() + 3);
        b.extend_from_slice(&u32_bytes(if_id, be));
        self.push_ts(&mut b, if_id, ts);
        b.extend_from_slice(&u32_bytes(data.len() as u32, be));
        b.extend_from_slice(&u32_bytes(orig_len, be));
        b.extend_from_slice(data);
        if !options.is_empty() {
            pad4(&mut b);
            for (code, value) in options {
                self.opt(&mut b, *code, value);
            }
            self.end_opts(&mut b);
        }
        self.block(BT_EPB, &b)
    }

    /// Writes a Simple Packet Block (implicitly interface 0, no timestamp).
    ///
    /// Readers take the captured length as `min(orig_len, snaplen of
    /// interface 0)`, so `data.len()` should equal that.
    pub fn spb(&mut self, orig_len: u32, data: &[u8]) -> io::Result<()> {
        let mut b = Vec::with_capacity(4 + data.len() + 3);
        b.extend_from_slice(&u32_bytes(orig_len, self.big_endian));
        b.extend_from_slice(data);
        self.block(BT_SPB, &b)
    }

    /// Writes an obsolete Packet Block (type 2) with a drops count of 0.
    pub fn pb(&mut self, if_id: u16, ts: Ts, orig_len: u32, data: &[u8]) -> io::Result<()> {
        let be = self.big_endian;
        let mut b = Vec::with_capacity(20 + data.len() + 3);
        b.extend_from_slice(&u16_bytes(if_id, be));
        b.extend_from_slice(&u16_bytes(0, be));
        self.push_ts(&mut b, u32::from(if_id), ts);
        b.extend_from_slice(&u32_bytes(data.len() as u32, be));
        b.extend_from_slice(&u32_bytes(orig_len, be));
        b.extend_from_slice(data);
        self.block(BT_PB, &b)
    }

    /// Writes a Name Resolution Block with one IPv4 record.
    pub fn nrb_ipv4(&mut self, addr: Ipv4Addr, name: &str) -> io::Result<()> {
        self.nrb(1, &addr.octets(), name)
    }

    /// Writes a Name Resolution Block with one IPv6 record.
    pub fn nrb_ipv6(&mut self, addr: Ipv6Addr, name: &str) -> io::Result<()> {
        self.nrb(2, &addr.octets(), name)
    }

    fn nrb(&mut self, rtype: u16, addr: &[u8], name: &str) -> io::Result<()> {
        let mut value = addr.to_vec();
        value.extend_from_slice(name.as_bytes());
        value.push(0);
        let mut b = Vec::new();
        self.opt(&mut b, rtype, &value);
        self.end_opts(&mut b); // nrb_record_end has the same layout
        self.block(BT_NRB, &b)
    }

    /// Writes an Interface Statistics Block (no options) for `if_id`.
    pub fn isb(&mut self, if_id: u32, ts: Ts) -> io::Result<()> {
        self.isb_with(if_id, ts, &[])
    }

    /// [`PcapNgWriter::isb`] with options (`isb_ifrecv`, `isb_ifdrop`…; see
    /// [`PcapNgWriter::u64_option`] and [`PcapNgWriter::ts_option`]).
    pub fn isb_with(&mut self, if_id: u32, ts: Ts, options: &[(u16, Vec<u8>)]) -> io::Result<()> {
        let mut b = Vec::new();
        b.extend_from_slice(&u32_bytes(if_id, self.big_endian));
        self.push_ts(&mut b, if_id, ts);
        if !options.is_empty() {
            for (code, value) in options {
                self.opt(&mut b, *code, value);
            }
            self.end_opts(&mut b);
        }
        self.block(BT_ISB, &b)
    }

    /// An option holding a 32-bit number in the current section's byte order.
    pub fn u32_option(&self, code: u16, v: u32) -> (u16, Vec<u8>) {
        (code, u32_bytes(v, self.big_endian).to_vec())
    }

    /// An option holding a 64-bit number in the current section's byte order.
    pub fn u64_option(&self, code: u16, v: u64) -> (u16, Vec<u8>) {
        let bytes = if self.big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        (code, bytes.to_vec())
    }

    /// An option holding a time as a packet block holds it (`isb_starttime`,
    /// `isb_endtime`): interface `if_id`'s units, upper 32 bits first.
    pub fn ts_option(&self, code: u16, if_id: u32, ts: Ts) -> (u16, Vec<u8>) {
        let mut v = Vec::new();
        self.push_ts(&mut v, if_id, ts);
        (code, v)
    }

    /// Writes a Custom Block (type `0x00000BAD`): the Private Enterprise
    /// Number `pen` followed by `data`.
    pub fn custom_block(&mut self, pen: u32, data: &[u8]) -> io::Result<()> {
        let mut b = u32_bytes(pen, self.big_endian).to_vec();
        b.extend_from_slice(data);
        self.block(BT_CUSTOM, &b)
    }

    /// Writes an arbitrary block: type, total length, `body` padded to 4
    /// bytes, total length.
    pub fn block(&mut self, block_type: u32, body: &[u8]) -> io::Result<()> {
        let be = self.big_endian;
        let padded = body.len().div_ceil(4) * 4;
        let total = (12 + padded) as u32;
        let mut b = Vec::with_capacity(total as usize);
        b.extend_from_slice(&u32_bytes(block_type, be));
        b.extend_from_slice(&u32_bytes(total, be));
        b.extend_from_slice(body);
        pad4(&mut b);
        b.extend_from_slice(&u32_bytes(total, be));
        self.w.write_all(&b)
    }

    /// Returns the underlying writer.
    pub fn into_inner(self) -> W {
        self.w
    }

    fn push_ts(&self, b: &mut Vec<u8>, if_id: u32, ts: Ts) {
        let i = self.ifaces.get(if_id as usize).copied().unwrap_or(DEFAULT_IFACE);
        let v = ts_to_units(ts, i.tsresol, i.tsoffset);
        b.extend_from_slice(&u32_bytes((v >> 32) as u32, self.big_endian));
        b.extend_from_slice(&u32_bytes(v as u32, self.big_endian));
    }

    /// Appends an option (code, length, value, padding); `b` must be aligned.
    fn opt(&self, b: &mut Vec<u8>, code: u16, value: &[u8]) {
        b.extend_from_slice(&u16_bytes(code, self.big_endian));
        b.extend_from_slice(&u16_bytes(value.len() as u16, self.big_endian));
        b.extend_from_slice(value);
        pad4(b);
    }

    fn end_opts(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(&[0, 0, 0, 0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shb_layout_both_orders() {
        let le = PcapNgWriter::new(Vec::new(), false).unwrap().into_inner();
        let be = PcapNgWriter::new(Vec::new(), true).unwrap().into_inner();
        // 12 (frame) + 16 (fixed) + 4 + 20 (userappl, 18 padded) + 4 (end)
        assert_eq!(le.len(), 56);
        assert_eq!(&le[0..12], &[0x0a, 0x0d, 0x0d, 0x0a, 56, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a]);
        assert_eq!(&le[12..24], &[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(&le[24..28], &[4, 0, 18, 0]);
        assert_eq!(&le[46..48], &[0, 0]); // padding
        assert_eq!(&le[48..52], &[0, 0, 0, 0]); // opt_endofopt
        assert_eq!(&le[52..56], &[56, 0, 0, 0]);
        assert_eq!(&be[0..12], &[0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 56, 0x1a, 0x2b, 0x3c, 0x4d]);
        assert_eq!(&be[12..16], &[0, 1, 0, 0]);
        assert_eq!(&be[52..56], &[0, 0, 0, 56]);
    }

    #[test]
    fn idb_and_epb_layout() {
        let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
        let start = w.w.len();
        let id = w
            .interface(
                1,
                0x1_0000,
                IfOpts { name: Some("eth0".into()), tsresol: Some(9), tsoffset: Some(100), ..IfOpts::default() },
            )
            .unwrap();
        assert_eq!(id, 0);
        let b = w.w[start..].to_vec();
        #[rustfmt::skip]
        let want: Vec<u8> = vec![
            1, 0, 0, 0, 52, 0, 0, 0,
            1, 0, 0, 0, 0, 0, 1, 0,
            2, 0, 4, 0, b'e', b't', b'h', b'0',
            9, 0, 1, 0, 9, 0, 0, 0,
            14, 0, 8, 0, 100, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0,
            52, 0, 0, 0,
        ];
        assert_eq!(b, want);

        let start = w.w.len();
        w.epb(0, Ts::new(101, 5), 10, &[1, 2, 3, 4, 5]).unwrap();
        let b = w.into_inner()[start..].to_vec();
        #[rustfmt::skip]
        let want: Vec<u8> = vec![
            6, 0, 0, 0, 40, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0, // ts high: (1 s + 5 ns) in ns
            0x05, 0xca, 0x9a, 0x3b,
            5, 0, 0, 0, 10, 0, 0, 0,
            1, 2, 3, 4, 5, 0, 0, 0,
            40, 0, 0, 0,
        ];
        assert_eq!(b, want);
    }

    #[test]
    fn big_endian_spb_pb_isb_nrb_custom() {
        let mut w = PcapNgWriter::new(Vec::new(), true).unwrap();
        w.interface(101, 0, IfOpts::default()).unwrap();
        let s = w.w.len();
        w.spb(3, &[7, 8, 9]).unwrap();
        assert_eq!(&w.w[s..], &[0, 0, 0, 3, 0, 0, 0, 20, 0, 0, 0, 3, 7, 8, 9, 0, 0, 0, 0, 20]);
        let s = w.w.len();
        w.pb(0, Ts::new(1, 2_000), 1, &[0xee]).unwrap();
        #[rustfmt::skip]
        let want = [
            0, 0, 0, 2, 0, 0, 0, 36,
            0, 0, 0, 0,
            0, 0, 0, 0, 0, 0x0f, 0x42, 0x42, // 1_000_002 µs
            0, 0, 0, 1, 0, 0, 0, 1,
            0xee, 0, 0, 0,
            0, 0, 0, 36,
        ];
        assert_eq!(&w.w[s..], &want);
        let s = w.w.len();
        w.isb(0, Ts::new(0, 3_000)).unwrap();
        assert_eq!(&w.w[s..], &[0, 0, 0, 5, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 24]);
        let s = w.w.len();
        w.nrb_ipv4(Ipv4Addr::new(10, 0, 0, 1), "ab").unwrap();
        #[rustfmt::skip]
        let want = [
            0, 0, 0, 4, 0, 0, 0, 28,
            0, 1, 0, 7, 10, 0, 0, 1, b'a', b'b', 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 28,
        ];
        assert_eq!(&w.w[s..], &want);
        let s = w.w.len();
        w.custom_block(32473, b"xyz").unwrap();
        #[rustfmt::skip]
        let want = [
            0, 0, 0x0b, 0xad, 0, 0, 0, 20,
            0, 0, 0x7e, 0xd9, b'x', b'y', b'z', 0,
            0, 0, 0, 20,
        ];
        assert_eq!(&w.w[s..], &want);
    }

    #[test]
    fn new_section_restarts_interface_ids() {
        let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
        assert_eq!(w.interface(1, 0, IfOpts::default()).unwrap(), 0);
        assert_eq!(w.interface(1, 0, IfOpts::default()).unwrap(), 1);
        w.section(true).unwrap();
        assert_eq!(w.interface(1, 0, IfOpts::default()).unwrap(), 0);
        let b = w.into_inner();
        // IDB without options: 20 bytes.
        let second_shb = 56 + 20 + 20;
        assert_eq!(&b[second_shb + 8..second_shb + 12], &[0x1a, 0x2b, 0x3c, 0x4d]);
    }

    #[test]
    fn timestamp_units() {
        let ts = Ts::new(1_700_000_000, 123_456_789);
        assert_eq!(ts_to_units(ts, 6, 0), 1_700_000_000_123_456);
        assert_eq!(ts_to_units(ts, 9, 0), 1_700_000_000_123_456_789);
        assert_eq!(ts_to_units(ts, 3, 0), 1_700_000_000_123);
        assert_eq!(ts_to_units(ts, 0, 1_000_000_000), 700_000_000);
        assert_eq!(ts_to_units(ts, 0x80 | 20, 0), (1_700_000_000u64 << 20) + 129_453);
        assert_eq!(units_per_second(0x80 | 20), 1 << 20);
        assert_eq!(units_per_second(3), 1000);
    }
}
