//! Test-only builders for capture files and packets.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

pub fn w16(out: &mut Vec<u8>, be: bool, v: u16) {
    out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
}
pub fn w32(out: &mut Vec<u8>, be: bool, v: u32) {
    out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
}
pub fn w64(out: &mut Vec<u8>, be: bool, v: u64) {
    out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
}

/// Classic pcap file header.
pub fn pcap_header(be: bool, nanos: bool, snaplen: u32, linktype: u32) -> Vec<u8> {
    let mut v = Vec::new();
    w32(&mut v, be, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 });
    w16(&mut v, be, 2);
    w16(&mut v, be, 4);
    w32(&mut v, be, 0);
    w32(&mut v, be, 0);
    w32(&mut v, be, snaplen);
    w32(&mut v, be, linktype);
    v
}

pub fn pcap_record(out: &mut Vec<u8>, be: bool, sec: u32, frac: u32, data: &[u8], orig_len: u32) {
    w32(out, be, sec);
    w32(out, be, frac);
    w32(out, be, data.len() as u32);
    w32(out, be, orig_len);
    out.extend_from_slice(data);
}

/// A pcap file with the given packets (timestamps 1000+i s, i µs).
pub fn pcap_file(linktype: u32, packets: &[&[u8]]) -> Vec<u8> {
    let mut v = pcap_header(false, false, 65535, linktype);
    for (i, p) in packets.iter().enumerate() {
        pcap_record(&mut v, false, 1000 + i as u32, i as u32, p, p.len() as u32);
    }
    v
}

/// pcapng writer.
pub struct Ng {
    pub be: bool,
    pub out: Vec<u8>,
}

pub fn opt(code: u16, value: &[u8]) -> (u16, Vec<u8>) {
    (code, value.to_vec())
}

impl Ng {
    pub fn new(be: bool) -> Ng {
        let mut n = Ng { be, out: Vec::new() };
        n.shb(be);
        n
    }

    /// Appends a block; returns its offset.
    pub fn block(&mut self, btype: u32, body: &[u8]) -> u64 {
        let at = self.out.len() as u64;
        let padded = (body.len() + 3) & !3;
        let len = 12 + padded as u32;
        let be = self.be;
        w32(&mut self.out, be, btype);
        w32(&mut self.out, be, len);
        self.out.extend_from_slice(body);
        self.out.resize(self.out.len() + padded - body.len(), 0);
        w32(&mut self.out, be, len);
        at
    }

    pub fn options(&self, opts: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut v = Vec::new();
        if opts.is_empty() {
            return v;
        }
        for (code, val) in opts {
            w16(&mut v, self.be, *code);
            w16(&mut v, self.be, val.len() as u16);
            v.extend_from_slice(val);
            v.resize((v.len() + 3) & !3, 0);
        }
        w32(&mut v, self.be, 0);
        v
    }

    /// Starts a new section with byte order `be`.
    pub fn shb(&mut self, be: bool) -> u64 {
        self.shb_with(be, &[opt(4, b"udpdissect tests")])
    }

    /// Starts a new section with byte order `be` and these options.
    pub fn shb_with(&mut self, be: bool, opts: &[(u16, Vec<u8>)]) -> u64 {
        self.be = be;
        let mut body = Vec::new();
        w32(&mut body, be, 0x1a2b_3c4d);
        w16(&mut body, be, 1);
        w16(&mut body, be, 0);
        w64(&mut body, be, u64::MAX);
        body.extend(self.options(opts));
        self.block(0x0a0d_0d0a, &body)
    }

    pub fn idb(&mut self, link: u16, snaplen: u32, opts: &[(u16, Vec<u8>)]) -> u64 {
        let mut body = Vec::new();
        w16(&mut body, self.be, link);
        w16(&mut body, self.be, 0);
        w32(&mut body, self.be, snaplen);
        body.extend(self.options(opts));
        self.block(1, &body)
    }

    pub fn epb(&mut self, iface: u32, ts: u64, data: &[u8], orig_len: u32) -> u64 {
        self.epb_with(iface, ts, data, orig_len, &[opt(1, b"a comment")])
    }

    pub fn epb_with(&mut self, iface: u32, ts: u64, data: &[u8], orig_len: u32, opts: &[(u16, Vec<u8>)]) -> u64 {
        let mut body = Vec::new();
        w32(&mut body, self.be, iface);
        w32(&mut body, self.be, (ts >> 32) as u32);
        w32(&mut body, self.be, ts as u32);
        w32(&mut body, self.be, data.len() as u32);
        w32(&mut body, self.be, orig_len);
        body.extend_from_slice(data);
        body.resize((body.len() + 3) & !3, 0);
        body.extend(self.options(opts));
        self.block(6, &body)
    }

    /// An Interface Statistics Block for `iface` at `ts` (the interface's units).
    pub fn isb(&mut self, iface: u32, ts: u64, opts: &[(u16, Vec<u8>)]) -> u64 {
        let mut body = Vec::new();
        w32(&mut body, self.be, iface);
        w32(&mut body, self.be, (ts >> 32) as u32);
        w32(&mut body, self.be, ts as u32);
        body.extend(self.options(opts));
        self.block(5, &body)
    }

    /// A number option of 8 bytes in the section's byte order.
    pub fn n64(&self, code: u16, v: u64) -> (u16, Vec<u8>) {
        let mut b = Vec::new();
        w64(&mut b, self.be, v);
        (code, b)
    }

    /// A number option of 4 bytes in the section's byte order.
    pub fn n32(&self, code: u16, v: u32) -> (u16, Vec<u8>) {
        let mut b = Vec::new();
        w32(&mut b, self.be, v);
        (code, b)
    }

    pub fn spb(&mut self, orig_len: u32, data: &[u8]) -> u64 {
        let mut body = Vec::new();
        w32(&mut body, self.be, orig_len);
        body.extend_from_slice(data);
        self.block(3, &body)
    }

    pub fn pb(&mut self, iface: u16, ts: u64, data: &[u8], orig_len: u32) -> u64 {
        let mut body = Vec::new();
        w16(&mut body, self.be, iface);
        w16(&mut body, self.be, 0);
        w32(&mut body, self.be, (ts >> 32) as u32);
        w32(&mut body, self.be, ts as u32);
        w32(&mut body, self.be, data.len() as u32);
        w32(&mut body, self.be, orig_len);
        body.extend_from_slice(data);
        self.block(2, &body)
    }
}

/// `data` compressed as `-w` compresses a capture (as the tools do by default).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    crate::compress(data, crate::Compression::Gzip).unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    crate::compress(data, crate::Compression::Zstd).unwrap()
}

pub fn lz4(data: &[u8]) -> Vec<u8> {
    crate::compress(data, crate::Compression::Lz4).unwrap()
}

/// `data` as one zstd frame whose header asks for a window of 2^`log` bytes (long-distance
/// matching, the content size not pledged).
pub fn zstd_window(data: &[u8], log: u32) -> Vec<u8> {
    let mut e = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    e.include_checksum(true).unwrap();
    e.window_log(log).unwrap();
    e.long_distance_matching(true).unwrap();
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A skippable frame of zstd and LZ4 (magic 0x184d2a5X) holding `payload`.
pub fn skippable(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x53, 0x2a, 0x4d, 0x18];
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// `data` as one LZ4 frame of linked 64 KiB blocks with a content checksum (`lz4 -BD -B4`).
pub fn lz4_linked(data: &[u8]) -> Vec<u8> {
    use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};
    let info = FrameInfo::new().block_size(BlockSize::Max64KB).block_mode(BlockMode::Linked).content_checksum(true);
    let mut e = FrameEncoder::with_frame_info(info, Vec::new());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Returns one byte per read() call.
pub struct Slow(pub Vec<u8>, pub usize);

impl Read for Slow {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.1 >= self.0.len() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[self.1];
        self.1 += 1;
        Ok(1)
    }
}

/// A pipe whose writer is the test: reading when no byte is available and the pipe is not
/// closed panics (the reader asked for more than the next record).
#[derive(Clone, Default)]
pub struct Pipe(pub Arc<Mutex<(VecDeque<u8>, bool)>>);

impl Pipe {
    pub fn push(&self, b: &[u8]) {
        self.0.lock().unwrap().0.extend(b.iter().copied());
    }
    pub fn close(&self) {
        self.0.lock().unwrap().1 = true;
    }
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut g = self.0.lock().unwrap();
        if g.0.is_empty() {
            assert!(g.1, "reader blocked: asked for bytes not yet written");
            return Ok(0);
        }
        let n = buf.len().min(g.0.len());
        for b in buf.iter_mut().take(n) {
            *b = g.0.pop_front().unwrap();
        }
        Ok(n)
    }
}

pub fn reader(bytes: Vec<u8>) -> Result<crate::Reader, crate::CaptureError> {
    crate::Reader::new(Box::new(io::Cursor::new(bytes)))
}

// ---- packets ----

pub const MAC_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
pub const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];

pub fn ether(et: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&MAC_B);
    v.extend_from_slice(&MAC_A);
    v.extend_from_slice(&et.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&((payload.len() + 8) as u16).to_be_bytes());
    v.extend_from_slice(&[0x12, 0x34]);
    v.extend_from_slice(payload);
    v
}

/// IPv4 header + payload; `frag` = (id, more fragments, offset in bytes).
pub fn ipv4_frag(src: [u8; 4], dst: [u8; 4], proto: u8, id: u16, more: bool, off: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x45, 0];
    v.extend_from_slice(&((payload.len() + 20) as u16).to_be_bytes());
    v.extend_from_slice(&id.to_be_bytes());
    let ff = (if more { 0x2000 } else { 0 }) | (off / 8) as u16;
    v.extend_from_slice(&ff.to_be_bytes());
    v.extend_from_slice(&[64, proto, 0xab, 0xcd]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

pub fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    ipv4_frag([10, 0, 0, 1], [10, 0, 0, 2], proto, 0x1234, false, 0, payload)
}

pub const V6_SRC: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
pub const V6_DST: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

/// IPv6 header with `next` and the given payload (extension headers included by the caller).
pub fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x60, 0x01, 0x23, 0x45];
    v.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    v.extend_from_slice(&[next, 64]);
    v.extend_from_slice(&V6_SRC);
    v.extend_from_slice(&V6_DST);
    v.extend_from_slice(payload);
    v
}

/// IPv6 fragment header + data.
pub fn v6_frag(next: u8, id: u32, off: u32, more: bool, data: &[u8]) -> Vec<u8> {
    let mut v = vec![next, 0];
    v.extend_from_slice(&((off as u16 & 0xfff8) | more as u16).to_be_bytes());
    v.extend_from_slice(&id.to_be_bytes());
    v.extend_from_slice(data);
    v
}

pub fn frame(data: &[u8], link_type: u16) -> crate::Frame<'_> {
    crate::Frame::captured(1, crate::Timestamp { secs: 100, nanos: 0 }, data, link_type)
}
