//! Writing frames back out as a capture file (`-w`): pcapng, or classic pcap in micro- or
//! nanoseconds. A frame is written as it was read: its captured bytes, its length on the wire,
//! its time at its interface's resolution, its interface's link type, snapshot length, name and
//! description, and its pcapng packet options (comments, flags), in little-endian byte order
//! whatever the input's was. A pcapng file keeps the input's section header texts (comments,
//! hardware, OS, application) as tshark does, and its interfaces' last statistics blocks
//! ([`CaptureWriter::statistics`]).

use crate::options::{push as push_option, push_carried, push_padded, Block};
use crate::output::Output;
use crate::{linktype, Compression, Frame, InterfaceStatistics, Options, SectionHeader, Timestamp};
use std::io::{self, Write};

/// The format a [`CaptureWriter`] writes, named as tshark's `-F` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    /// pcapng: one section; an interface description for each input interface written to.
    Pcapng,
    /// Classic pcap, microsecond timestamps.
    Pcap,
    /// Classic pcap, nanosecond timestamps.
    NsecPcap,
}

/// The snapshot length a pcap header declares when the input gives none for the whole file
/// (a pcapng file's interfaces each have their own): libpcap's largest, which every reader
/// accepts.
const PCAP_SNAPLEN: u32 = 262_144;

/// What a pcap header declares, from the first packet: its link type, and the snapshot length
/// of the pcap file it was read from (as tshark writes it), else [`PCAP_SNAPLEN`].
#[derive(Debug, Clone, Copy)]
struct PcapHeader {
    link_type: u16,
    snaplen: u32,
}

impl PcapHeader {
    fn of(frame: &Frame) -> Self {
        let from_pcap = frame.section == 0 && frame.snaplen != 0;
        PcapHeader { link_type: frame.link_type, snaplen: if from_pcap { frame.snaplen } else { PCAP_SNAPLEN } }
    }
}

/// Writes frames, in the order given, to `W`.
pub struct CaptureWriter<W: Write> {
    w: Output<W>,
    format: OutFormat,
    /// pcap: the link type its header declared, once written.
    pcap_link: Option<u16>,
    /// The first packet seen, written or not: the header of a pcap file no frame is written to.
    first: Option<PcapHeader>,
    /// pcapng: the interface id written for each input interface (by capture-wide index), and
    /// the resolution (`if_tsresol`) its times are written in.
    interfaces: Vec<Option<(u32, u8)>>,
    next_interface: u32,
    /// A packet block's body being assembled (reused).
    body: Vec<u8>,
}

impl<W: Write> CaptureWriter<W> {
    /// Starts the file: a pcapng section header at once, naming `application`; a pcap header
    /// waits for the first frame, whose link type it declares.
    pub fn new(w: W, format: OutFormat, application: &str) -> io::Result<Self> {
        Self::compressed(w, format, application, &SectionHeader::default(), None)
    }

    /// [`CaptureWriter::new`] for a pcapng file that keeps `input`'s section header texts: its
    /// comments, hardware and OS, and its application where it names one (the program that
    /// captured the packets), else `application`; the file compressed as `compression` says
    /// (as its tool would by default), which [`CaptureWriter::finish`] ends.
    pub fn compressed(
        w: W,
        format: OutFormat,
        application: &str,
        input: &SectionHeader,
        compression: Option<Compression>,
    ) -> io::Result<Self> {
        let mut w = Output::new(w, compression)?;
        if format == OutFormat::Pcapng {
            let mut body = Vec::new();
            body.extend_from_slice(&0x1a2b_3c4d_u32.to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&0u16.to_le_bytes());
            body.extend_from_slice(&u64::MAX.to_le_bytes()); // section length not given
            for comment in &input.comments {
                push_option(&mut body, 1, comment.as_bytes());
            }
            for (code, text) in [(2, &input.hardware), (3, &input.os)] {
                if let Some(text) = text {
                    push_option(&mut body, code, text.as_bytes());
                }
            }
            let application = input.application.as_deref().unwrap_or(application);
            push_option(&mut body, 4, application.as_bytes()); // shb_userappl
            push_option(&mut body, 0, &[]);
            write_block(&mut w, 0x0a0d_0d0a, &body)?;
        }
        Ok(CaptureWriter {
            w,
            format,
            pcap_link: None,
            first: None,
            interfaces: Vec::new(),
            next_interface: 0,
            body: Vec::new(),
        })
    }

    /// Writes one frame. `Ok(false)`: not written, since it is no packet (a frame the reader
    /// made of a pcapng custom block). A frame whose link type differs from a pcap file's is
    /// an error (`InvalidInput`) that says to write pcapng.
    pub fn write(&mut self, frame: &Frame) -> io::Result<bool> {
        if frame.link_type == linktype::PCAPNG_CUSTOM {
            return Ok(false);
        }
        self.saw(frame);
        match self.format {
            OutFormat::Pcapng => self.write_pcapng(frame)?,
            OutFormat::Pcap | OutFormat::NsecPcap => self.write_pcap(frame)?,
        }
        Ok(true)
    }

    /// Notes a frame read, whether it will be written or not (a display filter may hide it):
    /// if it is the first packet, a pcap file no frame is written to declares its link type
    /// and snapshot length.
    pub fn saw(&mut self, frame: &Frame) {
        if self.first.is_none() && frame.link_type != linktype::PCAPNG_CUSTOM {
            self.first = Some(PcapHeader::of(frame));
        }
    }

    /// Pushes what was written so far on to the underlying writer (a pipe read live).
    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// Ends the file: a pcap file no frame was written to gets its header now, for the first
    /// packet [`CaptureWriter::saw`] (Ethernet if none); then a compressed stream is ended and
    /// everything is flushed.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.format != OutFormat::Pcapng && self.pcap_link.is_none() {
            let header = self.first.unwrap_or(PcapHeader { link_type: linktype::ETHERNET, snaplen: PCAP_SNAPLEN });
            self.pcap_header(header)?;
        }
        self.w.finish()
    }

    /// pcapng: an Interface Statistics Block for input interface `interface` (capture-wide
    /// index), if a frame of it was written: its counters as `statistics` has them, its times
    /// at the interface's resolution. The counts are the capture's, not this file's: a file of
    /// some of its frames still says what its interfaces lost. Call it once the frames are
    /// written, as capture tools write the block at the end. Nothing for pcap.
    pub fn statistics(&mut self, interface: u32, statistics: &InterfaceStatistics) -> io::Result<()> {
        let Some(&Some((id, resol))) = self.interfaces.get(interface as usize) else { return Ok(()) };
        let s = statistics;
        let mut body = Vec::new();
        body.extend_from_slice(&id.to_le_bytes());
        body.extend_from_slice(&halves(units(s.time, resol)));
        for (code, time) in [(2, s.start), (3, s.end)] {
            if let Some(time) = time {
                push_option(&mut body, code, &halves(units(time, resol)));
            }
        }
        for (code, count) in [(4, s.received), (5, s.dropped), (6, s.accepted), (7, s.os_dropped), (8, s.delivered)] {
            if let Some(count) = count {
                push_option(&mut body, code, &count.to_le_bytes());
            }
        }
        push_option(&mut body, 0, &[]);
        write_block(&mut self.w, 5, &body)
    }

    /// The underlying writer, as written so far.
    pub fn get_ref(&self) -> &W {
        self.w.get_ref()
    }

    /// The underlying writer, a compressed stream ended.
    pub fn into_inner(self) -> io::Result<W> {
        self.w.into_inner()
    }

    fn pcap_header(&mut self, PcapHeader { link_type, snaplen }: PcapHeader) -> io::Result<()> {
        let magic: u32 = if self.format == OutFormat::NsecPcap { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut h = [0u8; 24];
        h[..4].copy_from_slice(&magic.to_le_bytes());
        h[4..6].copy_from_slice(&2u16.to_le_bytes());
        h[6..8].copy_from_slice(&4u16.to_le_bytes());
        // thiszone and sigfigs stay 0.
        h[16..20].copy_from_slice(&snaplen.to_le_bytes());
        h[20..24].copy_from_slice(&u32::from(link_type).to_le_bytes());
        self.pcap_link = Some(link_type);
        self.w.write_all(&h)
    }

    fn write_pcap(&mut self, frame: &Frame) -> io::Result<()> {
        match self.pcap_link {
            None => self.pcap_header(PcapHeader::of(frame))?,
            Some(link) if link != frame.link_type => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "frame {} has link type {} ({}), which a pcap file of link type {} ({}) cannot hold: \
                         write pcapng (-F pcapng)",
                        frame.number,
                        frame.link_type,
                        linktype::name(frame.link_type),
                        link,
                        linktype::name(link)
                    ),
                ));
            }
            Some(_) => {}
        }
        let (secs, nanos) = if frame.has_ts { clamp_secs(frame.ts.secs, frame.ts.nanos) } else { (0, 0) };
        let frac = if self.format == OutFormat::NsecPcap { nanos } else { nanos / 1_000 };
        let mut h = [0u8; 16];
        h[..4].copy_from_slice(&secs.to_le_bytes());
        h[4..8].copy_from_slice(&frac.to_le_bytes());
        h[8..12].copy_from_slice(&len32(frame.data.len()).to_le_bytes());
        h[12..16].copy_from_slice(&frame.orig_len.max(len32(frame.data.len())).to_le_bytes());
        self.w.write_all(&h)?;
        self.w.write_all(frame.data)
    }

    /// The interface id written for the frame's interface and the resolution its times are
    /// written in, describing it first if it is new.
    fn interface(&mut self, frame: &Frame) -> io::Result<(u32, u8)> {
        let at = frame.interface as usize;
        if let Some(Some(written)) = self.interfaces.get(at) {
            return Ok(*written);
        }
        let resol = resolution(frame);
        let mut body = Vec::new();
        body.extend_from_slice(&frame.link_type.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&frame.snaplen.to_le_bytes());
        if let Some(name) = frame.interface_name {
            push_option(&mut body, 2, name.as_bytes());
        }
        if let Some(description) = frame.interface_description {
            push_option(&mut body, 3, description.as_bytes());
        }
        push_carried(&mut body, Block::Interface, Options::little_endian(frame.interface_options), usize::MAX);
        push_option(&mut body, 9, &[resol]); // if_tsresol
        push_option(&mut body, 0, &[]);
        write_block(&mut self.w, 1, &body)?;
        if self.interfaces.len() <= at {
            self.interfaces.resize(at + 1, None);
        }
        let id = self.next_interface;
        self.interfaces[at] = Some((id, resol));
        self.next_interface += 1;
        Ok((id, resol))
    }

    fn write_pcapng(&mut self, frame: &Frame) -> io::Result<()> {
        let (id, resol) = self.interface(frame)?;
        let caplen = len32(frame.data.len());
        let orig_len = frame.orig_len.max(caplen);
        let mut body = std::mem::take(&mut self.body);
        body.clear();
        let whole = caplen == orig_len && (frame.snaplen == 0 || orig_len <= frame.snaplen);
        let result = if !frame.has_ts && id == 0 && whole && frame.options.bytes.is_empty() {
            // A Simple Packet Block stays one: it has no time to invent. A reader cuts its
            // bytes to the snapshot length, so one longer than that is written with a length.
            body.extend_from_slice(&orig_len.to_le_bytes());
            push_padded(&mut body, frame.data);
            write_block(&mut self.w, 3, &body)
        } else {
            let units = if frame.has_ts { units(frame.ts, resol) } else { 0 };
            body.extend_from_slice(&id.to_le_bytes());
            body.extend_from_slice(&halves(units));
            body.extend_from_slice(&caplen.to_le_bytes());
            body.extend_from_slice(&orig_len.to_le_bytes());
            push_padded(&mut body, frame.data);
            if push_carried(&mut body, Block::Packet, frame.options, usize::MAX) {
                push_option(&mut body, 0, &[]);
            }
            write_block(&mut self.w, 6, &body)
        };
        self.body = body;
        result
    }
}

/// Seconds and nanoseconds a pcap record can hold (an unsigned 32-bit count of seconds).
fn clamp_secs(secs: i64, nanos: u32) -> (u32, u32) {
    match u32::try_from(secs) {
        Ok(s) => (s, nanos),
        Err(_) if secs < 0 => (0, 0),
        Err(_) => (u32::MAX, 999_999_999),
    }
}

/// The resolution the frame's interface had, when its times are whole nanoseconds in it
/// (10^-9 or coarser, 2^-29 or coarser); else nanoseconds, which the frame's time is kept in.
fn resolution(frame: &Frame) -> u8 {
    match frame.ts_resol {
        r @ (0..=9 | 0x80..=0x9d) => r,
        _ => 9,
    }
}

/// A time since the epoch in units of resolution `r` (0 before the epoch). A binary resolution
/// rounds up: the reader rounded the units down to nanoseconds, and a unit longer than a
/// nanosecond makes that exact to undo.
fn units(ts: Timestamp, r: u8) -> u64 {
    const NS: u128 = 1_000_000_000;
    let Ok(secs) = u64::try_from(ts.secs) else { return 0 };
    let nanos = u128::from(ts.nanos);
    let (per_sec, frac) = if r & 0x80 == 0 {
        let per = 10u128.pow(u32::from(r));
        (per, nanos * per / NS)
    } else {
        let per = 1u128 << (r & 0x7f);
        (per, (nanos * per).div_ceil(NS))
    };
    u64::try_from(u128::from(secs) * per_sec + frac).unwrap_or(u64::MAX)
}

/// A pcapng timestamp as written: the high 32 bits, then the low.
fn halves(units: u64) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&((units >> 32) as u32).to_le_bytes());
    b[4..].copy_from_slice(&(units as u32).to_le_bytes());
    b
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Writes a pcapng block: type, total length, body (a multiple of 4 bytes), total length.
fn write_block(w: &mut impl Write, block_type: u32, body: &[u8]) -> io::Result<()> {
    let total = len32(body.len() + 12).to_le_bytes();
    let mut head = [0u8; 8];
    head[..4].copy_from_slice(&block_type.to_le_bytes());
    head[4..].copy_from_slice(&total);
    w.write_all(&head)?;
    w.write_all(body)?;
    w.write_all(&total)
}
