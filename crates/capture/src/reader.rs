//! pcap / pcapng reader, over a gzip, zstd or lz4 stream as well ([`crate::input`]). Streams:
//! never needs more input than the next record, so `tcpdump -w - | udpdissect -r - -l` shows
//! each packet as it arrives.

use crate::input::{Compression, Input, Opened, ZSTD_MAX_WINDOW_LOG};
pub use crate::options::Options;
use crate::options::{self, Block};
use std::io::{self, Read};

/// A capture timestamp: seconds since the Unix epoch plus nanoseconds (0..1e9).
/// Negative times (pcapng tsoffset) are represented with `secs < 0`, `nanos` still positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    /// Nanoseconds since the epoch, saturating far outside 1677–2262 (a damaged or hostile
    /// timestamp must not overflow).
    pub fn as_nanos(&self) -> i64 {
        self.secs.saturating_mul(1_000_000_000).saturating_add(i64::from(self.nanos))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Classic pcap; `nanos` is true for the a1b23c4d magic; `big_endian` is the file's order.
    Pcap {
        nanos: bool,
        big_endian: bool,
        major: u16,
        minor: u16,
    },
    PcapNg,
}

/// One capture interface (pcap has exactly one; pcapng one per IDB, numbered per section,
/// but exposed here with a capture-wide index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub link_type: u16,
    pub snaplen: u32,
    /// Digits after the decimal point that the interface's resolution justifies:
    /// 6 for microseconds, 9 for nanoseconds, 3 for milliseconds (if_tsresol 3) …
    /// (tshark's "auto" precision). Capped at 9.
    pub ts_digits: u8,
    pub name: Option<String>,
    /// `if_description`, kept to its first `MAX_NAME` bytes as the name is.
    pub description: Option<String>,
    /// The pcapng section that describes it, from 1 (1 for pcap), and its id there.
    pub section: u32,
    pub id: u32,
    /// The description block's other options that a new file keeps (comments, addresses,
    /// speed, capture filter, OS, hardware…), in little-endian order ([`Interface::options`]),
    /// up to [`MAX_INTERFACE_OPTIONS`] bytes.
    pub options: Vec<u8>,
    /// What the last Interface Statistics Block said of it, if any did.
    pub statistics: Option<InterfaceStatistics>,
}

impl CaptureInfo {
    /// Packets the capture lost by its interfaces' last statistics blocks, summed over the
    /// interfaces whose block counts any; `None` where none does.
    pub fn lost_by_statistics(&self) -> Option<u64> {
        self.interfaces.iter().filter_map(|i| i.statistics?.lost()).reduce(u64::saturating_add)
    }
}

impl Interface {
    /// [`Interface::options`] as an option list.
    pub fn options(&self) -> Options<'_> {
        Options::little_endian(&self.options)
    }
}

/// What an Interface Statistics Block says of its interface. Its counters run from the start
/// of the capture, so the last block has the totals. Each is `None` where the block does not
/// give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InterfaceStatistics {
    /// When the counters were read (the block's timestamp).
    pub time: Timestamp,
    /// `isb_starttime` and `isb_endtime`: when the capture on the interface started and ended.
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// `isb_ifrecv`: packets the interface received.
    pub received: Option<u64>,
    /// `isb_ifdrop`: packets the interface dropped (for lack of buffers, say).
    pub dropped: Option<u64>,
    /// `isb_filteraccept`: packets the capture filter accepted.
    pub accepted: Option<u64>,
    /// `isb_osdrop`: packets the operating system dropped.
    pub os_dropped: Option<u64>,
    /// `isb_usrdeliv`: packets delivered to the capturing program.
    pub delivered: Option<u64>,
}

impl InterfaceStatistics {
    /// Packets the capture lost, by the interface and the operating system, where the block
    /// counts either.
    pub fn lost(&self) -> Option<u64> {
        match (self.dropped, self.os_dropped) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        }
    }
}

/// What the first pcapng section header says of the capture (`shb_hardware`, `shb_os`,
/// `shb_userappl` and its comments), as capinfos shows it and `-w` writes it back; empty for
/// pcap. Texts are kept to their first [`MAX_SECTION_TEXT`] bytes, and at most
/// [`MAX_SECTION_COMMENTS`] comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionHeader {
    pub hardware: Option<String>,
    pub os: Option<String>,
    pub application: Option<String>,
    pub comments: Vec<String>,
}

/// Bytes of each section header text kept.
pub const MAX_SECTION_TEXT: usize = 4096;
/// Section header comments kept.
pub const MAX_SECTION_COMMENTS: usize = 64;
/// Bytes of the first section header's options read: room for every text kept, where a
/// block may be 64 MiB.
const MAX_SECTION_OPTIONS: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureInfo {
    pub format: Format,
    /// How the file is compressed, when it is.
    pub compression: Option<Compression>,
    /// All interfaces seen so far (pcapng may add more as the file goes on).
    pub interfaces: Vec<Interface>,
    /// Number of pcapng sections seen so far (1 for pcap).
    pub sections: u32,
    /// The first section header's texts (later sections' are not kept).
    pub header: SectionHeader,
}

/// One captured record. `number` is Wireshark's frame number: 1-based, every packet
/// record (EPB, SPB, PB, pcap record) counts.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub number: u64,
    pub ts: Timestamp,
    /// False for pcapng Simple Packet Blocks, which carry no timestamp (`ts` is then 0).
    pub has_ts: bool,
    /// Digits of timestamp precision for this frame's interface (see [`Interface::ts_digits`]).
    pub ts_digits: u8,
    /// The interface's timestamp resolution as pcapng's `if_tsresol` codes it (10^-n, or 2^-n
    /// with the top bit set): 6 for a microsecond pcap file, 9 for a nanosecond one. Frames
    /// written back out (`-w`) keep their times in it.
    pub ts_resol: u8,
    /// Length on the wire.
    pub orig_len: u32,
    /// Captured bytes (may be shorter than `orig_len` when cut by the snapshot length).
    pub data: &'a [u8],
    pub link_type: u16,
    /// The interface's snapshot length (a pcap file's from its header); 0 where it sets none
    /// (pcapng's "no limit") and for a block on no interface. `-w` writes it back out.
    pub snaplen: u32,
    /// Capture-wide interface index (into [`CaptureInfo::interfaces`]).
    pub interface: u32,
    /// The interface's id within its pcapng section (tshark's `frame.interface_id`; a Simple
    /// Packet Block's is 0); `None` for a pcap record and for a block on no interface (a
    /// custom block).
    pub interface_id: Option<u32>,
    /// The interface's name (`if_name`) when its description block gives one and the frame
    /// names its interface.
    pub interface_name: Option<&'a str>,
    /// The interface's description (`if_description`), the same way.
    pub interface_description: Option<&'a str>,
    /// The interface's other options a new file keeps ([`Interface::options`]), the same way;
    /// empty for anything else.
    pub interface_options: &'a [u8],
    /// The pcapng section, from 1; 0 for a pcap file, which has none.
    pub section: u32,
    /// Byte offset of the record (block) in the (decompressed) input stream.
    pub offset: u64,
    /// The pcapng packet block's options (comments, flags), empty for anything else.
    pub options: Options<'a>,
    /// The next record's captured bytes when the reader already holds all of them (a classic
    /// pcap file's records in its buffer), for a glance ahead at what that frame will look up;
    /// empty otherwise. They are read again, as a frame of their own, by the next call.
    pub next_data: &'a [u8],
}

impl<'a> Frame<'a> {
    /// A record of a classic pcap file with microsecond times, captured whole (no options, no
    /// glance ahead): frames made by hand, for tests and tools, start from it.
    pub fn captured(number: u64, ts: Timestamp, data: &'a [u8], link_type: u16) -> Self {
        Frame {
            number,
            ts,
            has_ts: true,
            ts_digits: 6,
            ts_resol: 6,
            orig_len: data.len() as u32,
            data,
            link_type,
            snaplen: 0,
            interface: 0,
            interface_id: None,
            interface_name: None,
            interface_description: None,
            interface_options: &[],
            section: 0,
            offset: 0,
            options: Options::default(),
            next_data: &[],
        }
    }
}

/// A damaged capture. Display: "frame N at byte offset X: what broke; what to do".
#[derive(Debug, thiserror::Error)]
#[error("frame {frame} at byte offset {offset}: {message}")]
pub struct CaptureError {
    /// The frame number the damaged record would have had (1 for a bad file header).
    pub frame: u64,
    pub offset: u64,
    pub message: String,
}

/// Largest non-packet pcapng block we accept (skipped streaming); larger is damage.
const MAX_BLOCK: u32 = 64 << 20;
/// Options of a packet block longer than this are skipped.
const MAX_OPTIONS: u32 = 64 << 10;
/// Most interfaces a capture may describe, over all its sections. Each is kept for the whole
/// run (frames and statistics name them), so a flood of description blocks would otherwise
/// grow memory with the file; past this many the file is taken as damaged.
pub const MAX_INTERFACES: usize = 65_536;
/// Bytes of an interface's name (`if_name`) and description (`if_description`) kept; the rest
/// is left out.
const MAX_NAME: usize = 256;
/// Bytes of interface names, descriptions and other options kept over a run (they live as
/// long as it does): as many as [`MAX_INTERFACES`] names of `MAX_NAME` bytes. Past it, a text
/// or an interface's options that no longer fit are left out.
pub const MAX_INTERFACE_TEXT: usize = MAX_INTERFACES * MAX_NAME;
/// Bytes of an interface's other options kept ([`Interface::options`]).
pub const MAX_INTERFACE_OPTIONS: usize = 4096;

/// A text option of an interface: its first [`MAX_NAME`] bytes ([`text_upto`]), while the
/// run's `budget` of such bytes lasts.
fn option_text(v: &[u8], budget: &mut usize) -> Option<String> {
    let text = text_upto(v, MAX_NAME);
    *budget = budget.checked_sub(text.len())?;
    Some(text)
}

/// The first `cap` bytes of a text option, without trailing NULs. Bytes that are not UTF-8
/// become U+FFFD, and the text is cut again to `cap` bytes (at a character): written back out,
/// it reads back the same.
fn text_upto(v: &[u8], cap: usize) -> String {
    let mut text = String::from_utf8_lossy(&v[..v.len().min(cap)]).into_owned();
    let mut end = cap.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.truncate(text.trim_end_matches('\0').len());
    text
}

const PCAPNG_SHB: u32 = 0x0A0D_0D0A;
const PCAPNG_IDB: u32 = 1;
const PCAPNG_PB: u32 = 2;
const PCAPNG_SPB: u32 = 3;
const PCAPNG_ISB: u32 = 5;
/// Custom blocks: Wireshark shows them as records, so they take a frame number too.
const PCAPNG_CUSTOM: u32 = 0x0000_0BAD;
const PCAPNG_CUSTOM_NOCOPY: u32 = 0x4000_0BAD;
const PCAPNG_EPB: u32 = 6;

/// The decompressed byte stream with its position.
struct Stream {
    input: Input,
    /// Bytes consumed from the decompressed stream.
    pos: u64,
    compression: Option<Compression>,
    /// Bytes at the front of the input's buffer taken in place ([`Stream::take`]) and consumed
    /// by the next read, so that they can be lent out until then.
    taken: usize,
}

impl Stream {
    /// The bytes buffered past those taken, without reading.
    fn buffered(&mut self) -> &[u8] {
        self.settle();
        self.input.buffer()
    }

    /// Takes the first `n` buffered bytes (`n` at most [`Stream::buffered`]'s length) without
    /// copying them: they stay readable with [`Stream::taken`] until the next read.
    fn take(&mut self, n: usize) {
        self.taken = n;
        self.pos += n as u64;
    }

    /// `range` of the bytes last taken.
    fn taken(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self.input.buffer()[..self.taken][range]
    }

    /// `range` of the buffer, counted from the first byte taken: bytes past those taken are
    /// still to be read.
    fn ahead(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self.input.buffer()[range]
    }

    fn settle(&mut self) {
        if self.taken > 0 {
            self.input.consume(std::mem::take(&mut self.taken));
        }
    }

    /// Reads until `buf` is full or the input ends; returns how many bytes were read.
    /// Never asks for more than `buf.len()` bytes.
    fn read_full(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.settle();
        let got = crate::input::read_full(&mut self.input, buf)?;
        self.pos += got as u64;
        Ok(got)
    }

    /// Reads and discards up to `n` bytes in chunks; returns how many were skipped.
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut chunk = [0u8; 4096];
        let mut done = 0u64;
        while done < n {
            let want = (n - done).min(chunk.len() as u64) as usize;
            let got = self.read_full(&mut chunk[..want])?;
            done += got as u64;
            if got < want {
                break;
            }
        }
        Ok(done)
    }

    fn io_message(&self, e: &io::Error) -> String {
        match self.compression {
            // libzstd's words for a window past `window_log_max`: the file is sound.
            Some(Compression::Zstd) if e.to_string().contains("requires too much memory") => format!(
                "zstd decompression refused ({e}): the file was compressed with a window over the {} MiB \
                 accepted (`zstd --long` or `--ultra`); decompress it first with `zstd -d --long=31`",
                1u32 << (ZSTD_MAX_WINDOW_LOG - 20)
            ),
            Some(c) => format!("{} decompression failed ({e}); the compressed file is damaged or cut short", c.name()),
            None => format!("read error: {e}"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Pcap { nanos: bool },
    PcapNg,
}

/// Per-interface data that only the reader needs.
#[derive(Debug, Clone, Copy)]
struct IfaceExt {
    tsresol: u8,
    tsoffset: i64,
}

/// A packet record's description.
struct Meta {
    number: u64,
    ts: Timestamp,
    has_ts: bool,
    ts_digits: u8,
    ts_resol: u8,
    orig_len: u32,
    data: Data,
    link_type: u16,
    interface: u32,
    /// Whether the block is on that interface (a Custom Block is on none): its id and name
    /// are then the interface's.
    on_interface: bool,
    offset: u64,
    /// A packet block's options (copied: into `Reader::opts`).
    options: Option<Data>,
    /// The next record's data in the stream's buffer ([`Frame::next_data`]).
    next: Option<std::ops::Range<usize>>,
}

/// Where a record's packet data (or its options) is.
enum Data {
    /// `Reader::buf[..len]` (`Reader::opts[..len]`), copied there.
    Copied(usize),
    /// These bytes of the record taken in place from the stream's buffer.
    InPlace(std::ops::Range<usize>),
}

pub(crate) fn rd16(be: bool, b: &[u8]) -> u16 {
    let a = [b[0], b[1]];
    if be {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    }
}

pub(crate) fn rd32(be: bool, b: &[u8]) -> u32 {
    let a = [b[0], b[1], b[2], b[3]];
    if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

pub(crate) fn rd64(be: bool, b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    if be {
        u64::from_be_bytes(a)
    } else {
        u64::from_le_bytes(a)
    }
}

/// Converts a pcapng 64-bit timestamp in units of `tsresol` to seconds + nanoseconds
/// (exact integer math, rounding down to whole nanoseconds), then adds `tsoffset` seconds.
pub(crate) fn ng_timestamp(units: u64, tsresol: u8, tsoffset: i64) -> Timestamp {
    // Decimal units down to nanoseconds (microseconds, dumpcap's default, and nanoseconds are
    // nearly every capture) divide in 64 bits, by constants where they are common: the 128-bit
    // division below is a library call, a few percent of reading a pcapng capture.
    let (secs, nanos) = match tsresol {
        6 => (units / 1_000_000, (units % 1_000_000) * 1_000),
        9 => (units / 1_000_000_000, units % 1_000_000_000),
        0..=9 => {
            let per = 10u64.pow(u32::from(tsresol));
            (units / per, (units % per) * (1_000_000_000 / per))
        }
        _ => return ng_timestamp_wide(units, tsresol, tsoffset),
    };
    let secs = i64::try_from(secs).unwrap_or(i64::MAX).saturating_add(tsoffset);
    Timestamp { secs, nanos: nanos as u32 }
}

/// [`ng_timestamp`] in 128-bit arithmetic: any resolution.
pub(crate) fn ng_timestamp_wide(units: u64, tsresol: u8, tsoffset: i64) -> Timestamp {
    const NS: u128 = 1_000_000_000;
    let u = units as u128;
    let (secs, nanos): (u128, u128) = if tsresol & 0x80 == 0 {
        let n = u32::from(tsresol);
        if n <= 38 {
            let per = 10u128.pow(n);
            (u / per, (u % per) * NS / per)
        } else {
            // 10^39 > 2^64 * 1e9: always less than a nanosecond.
            (0, 0)
        }
    } else {
        let n = u32::from(tsresol & 0x7f);
        if n >= 64 {
            (0, (u * NS) >> n)
        } else {
            let frac = u & ((1u128 << n) - 1);
            (u >> n, (frac * NS) >> n)
        }
    };
    let secs = i64::try_from(secs).unwrap_or(i64::MAX).saturating_add(tsoffset);
    Timestamp { secs, nanos: nanos as u32 }
}

/// Decimal digits an if_tsresol value justifies, capped at 9.
pub(crate) fn ts_digits_for(tsresol: u8) -> u8 {
    // Decimal digits the resolution fully justifies: 10^-n gives n; 2^-n gives the largest d
    // with 10^d <= 2^n. Then, as Wireshark does, the nearest of its precisions at or below:
    // seconds, 1, 2 or 3 decimals, microseconds, nanoseconds.
    let d = if tsresol & 0x80 == 0 {
        u32::from(tsresol)
    } else {
        let n = u32::from(tsresol & 0x7f).min(63);
        (0..=9u32).take_while(|&d| 10u64.pow(d) <= 1u64 << n).last().unwrap_or(0)
    };
    match d {
        0..=3 => d as u8,
        4..=5 => 3,
        6..=8 => 6,
        _ => 9,
    }
}

/// Streaming capture reader over any byte source; gzip, zstd and lz4 are detected by magic.
pub struct Reader {
    stream: Stream,
    info: CaptureInfo,
    kind: Kind,
    /// Byte order of the file (pcap) or of the current section (pcapng).
    big_endian: bool,
    /// Packet data of the last record (reused).
    buf: Vec<u8>,
    /// Interface description block bodies (reused).
    scratch: Vec<u8>,
    /// The options of the last packet block, when not taken in place (reused).
    opts: Vec<u8>,
    /// Packet records returned so far.
    frames: u64,
    /// Set after a clean end or an error: further calls return `Ok(None)`.
    finished: bool,
    /// Capture-wide index of the current section's interface 0.
    section_base: usize,
    ext: Vec<IfaceExt>,
    /// What is left of [`MAX_INTERFACE_TEXT`].
    text_budget: usize,
}

fn cerr(frame: u64, offset: u64, message: impl Into<String>) -> CaptureError {
    CaptureError { frame, offset, message: message.into() }
}

impl Reader {
    /// Largest packet record accepted (DESIGN limit: 256 KiB); larger is reported as damage.
    pub const MAX_RECORD: u32 = 256 * 1024;

    /// Reads the file header (and, when compressed, the compressed stream's header). Errors on unknown magic
    /// with a message listing the magics we know.
    pub fn new(input: Box<dyn Read + Send>) -> Result<Reader, CaptureError> {
        let (input, compression) = match Input::open(input) {
            Opened::Input(input, compression) => (input, compression),
            Opened::Empty => return Err(cerr(1, 0, "empty file; there is no capture to read")),
            Opened::Failed(e) => return Err(cerr(1, 0, format!("read error: {e}"))),
        };
        let mut stream = Stream { input, pos: 0, compression, taken: 0 };

        let mut magic = [0u8; 4];
        let n = stream.read_full(&mut magic).map_err(|e| cerr(1, 0, stream.io_message(&e)))?;
        if n == 0 {
            let what = compression.map_or("input", Compression::name);
            return Err(cerr(
                1,
                0,
                format!("empty file (the {what} stream holds no data); there is no capture to read"),
            ));
        }
        if n < 4 {
            return Err(cerr(
                1,
                0,
                format!(
                    "file is only {n} bytes long, too short for a pcap or pcapng header; the capture was cut short"
                ),
            ));
        }
        let (kind, big_endian) = match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] => (Kind::Pcap { nanos: false }, false),
            [0xa1, 0xb2, 0xc3, 0xd4] => (Kind::Pcap { nanos: false }, true),
            [0x4d, 0x3c, 0xb2, 0xa1] => (Kind::Pcap { nanos: true }, false),
            [0xa1, 0xb2, 0x3c, 0x4d] => (Kind::Pcap { nanos: true }, true),
            [0x0a, 0x0d, 0x0d, 0x0a] => (Kind::PcapNg, false),
            _ => {
                return Err(cerr(
                    1,
                    0,
                    format!(
                        "unknown file format (magic 0x{:08x}): expected pcap (a1b2c3d4, a1b23c4d) or pcapng (0a0d0d0a), optionally compressed with gzip, zstd or lz4",
                        u32::from_be_bytes(magic)
                    ),
                ))
            }
        };

        let mut reader = Reader {
            stream,
            info: CaptureInfo {
                format: Format::PcapNg,
                compression,
                interfaces: Vec::new(),
                sections: 0,
                header: SectionHeader::default(),
            },
            kind,
            big_endian,
            buf: Vec::new(),
            scratch: Vec::new(),
            opts: Vec::new(),
            frames: 0,
            finished: false,
            section_base: 0,
            ext: Vec::new(),
            text_budget: MAX_INTERFACE_TEXT,
        };

        match kind {
            Kind::Pcap { nanos } => {
                let mut h = [0u8; 20];
                reader.read_file_header(&mut h, "pcap file header (24 bytes)")?;
                let be = big_endian;
                let major = rd16(be, &h[0..]);
                let minor = rd16(be, &h[2..]);
                let snaplen = rd32(be, &h[12..]);
                let link_type = (rd32(be, &h[16..]) & 0xffff) as u16;
                reader.info.format = Format::Pcap { nanos, big_endian: be, major, minor };
                reader.info.sections = 1;
                reader.info.interfaces.push(Interface {
                    link_type,
                    snaplen,
                    ts_digits: if nanos { 9 } else { 6 },
                    name: None,
                    description: None,
                    section: 1,
                    id: 0,
                    options: Vec::new(),
                    statistics: None,
                });
                reader.ext.push(IfaceExt { tsresol: if nanos { 9 } else { 6 }, tsoffset: 0 });
            }
            Kind::PcapNg => {
                let mut len_raw = [0u8; 4];
                reader.read_file_header(&mut len_raw, "pcapng section header (at least 28 bytes)")?;
                reader.read_shb(0, len_raw)?;
            }
        }
        Ok(reader)
    }

    /// Reads the rest of the file header after the 4-byte magic, or says the file ends inside it.
    fn read_file_header(&mut self, buf: &mut [u8], what: &str) -> Result<(), CaptureError> {
        let n = self.stream.read_full(buf).map_err(|e| cerr(1, 0, self.stream.io_message(&e)))?;
        if n < buf.len() {
            return Err(cerr(
                1,
                0,
                format!("file ends in the middle of the {what}: {} bytes present; the capture was cut short", n + 4),
            ));
        }
        Ok(())
    }

    /// Next packet record, skipping non-packet blocks. `Ok(None)` at a clean end of file.
    /// After an `Err`, further calls return `Ok(None)`.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, CaptureError> {
        if self.finished {
            return Ok(None);
        }
        // Each kind's record made into a frame in its own branch: merged first, the record's
        // description went through memory, stored in fields and loaded back in words, and the
        // loads waited for the stores (a sixth of this function's time).
        match self.kind {
            Kind::Pcap { nanos } => {
                let r = self.next_pcap(nanos);
                self.frame_of(r)
            }
            Kind::PcapNg => {
                let r = self.next_pcapng();
                self.frame_of(r)
            }
        }
    }

    /// The frame a record read by `next_pcap` or `next_pcapng` describes.
    #[inline(always)]
    fn frame_of(&mut self, r: Result<Option<Meta>, CaptureError>) -> Result<Option<Frame<'_>>, CaptureError> {
        let m = match r {
            Ok(Some(m)) => m,
            Ok(None) => {
                self.finished = true;
                return Ok(None);
            }
            Err(e) => {
                self.finished = true;
                return Err(e);
            }
        };
        let described = self.info.interfaces.get(m.interface as usize);
        let iface = described.filter(|_| m.on_interface);
        Ok(Some(Frame {
            number: m.number,
            ts: m.ts,
            has_ts: m.has_ts,
            ts_digits: m.ts_digits,
            ts_resol: m.ts_resol,
            orig_len: m.orig_len,
            data: match m.data {
                Data::Copied(len) => &self.buf[..len],
                Data::InPlace(range) => self.stream.taken(range),
            },
            link_type: m.link_type,
            // A pcap file's one interface has a snapshot length but no id; a custom block has
            // no interface.
            snaplen: described.filter(|_| m.link_type != crate::linktype::PCAPNG_CUSTOM).map_or(0, |i| i.snaplen),
            interface: m.interface,
            interface_id: iface.map(|i| i.id),
            interface_name: iface.and_then(|i| i.name.as_deref()),
            interface_description: iface.and_then(|i| i.description.as_deref()),
            interface_options: iface.map_or(&[], |i| &i.options),
            section: if self.info.format == Format::PcapNg { self.info.sections } else { 0 },
            offset: m.offset,
            options: Options {
                bytes: match m.options {
                    None => &[],
                    Some(Data::Copied(len)) => &self.opts[..len],
                    Some(Data::InPlace(range)) => self.stream.taken(range),
                },
                big_endian: self.big_endian,
            },
            next_data: m.next.map_or(&[][..], |r| self.stream.ahead(r)),
        }))
    }

    pub fn info(&self) -> &CaptureInfo {
        &self.info
    }

    /// From here on, decompresses a compressed capture on a thread of its own, a few chunks
    /// ahead of the reading: for a run that leaves a core free. The frames are the same, and
    /// so is the end (a damaged stream may show fewer frames before its error, as when the
    /// input comes in smaller pieces). For an input that never waits long, such as a file:
    /// dropping the reader waits for the thread to stop, and the thread stops only once its
    /// read returns. True when a thread now decompresses; false for a capture that is not
    /// compressed, or when no thread could be started (the reading goes on as before).
    pub fn decompress_ahead(&mut self) -> bool {
        self.stream.settle();
        self.stream.input.decompress_ahead()
    }

    /// Bytes consumed from the underlying input so far (compressed bytes for a compressed file), for progress.
    pub fn bytes_read(&self) -> u64 {
        self.stream.input.count()
    }

    /// Reads exactly `len` bytes of packet data into `self.buf[..len]`; returns how many
    /// were present.
    fn read_data(&mut self, len: usize) -> io::Result<usize> {
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        self.stream.read_full(&mut self.buf[..len])
    }

    /// Reads a record's (or block's) fixed header. `Ok(false)` at a clean end of file, an error
    /// when the file ends inside it.
    fn read_record_header(&mut self, h: &mut [u8], number: u64, start: u64, what: &str) -> Result<bool, CaptureError> {
        let n = self.stream.read_full(h).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        match n {
            0 => Ok(false),
            n if n < h.len() => Err(cerr(
                number,
                start,
                format!(
                    "file ends in the middle of a {what} header ({n} of {} bytes present); the capture was cut short",
                    h.len()
                ),
            )),
            _ => Ok(true),
        }
    }

    fn next_pcap(&mut self, nanos: bool) -> Result<Option<Meta>, CaptureError> {
        let start = self.stream.pos;
        let number = self.frames + 1;
        let be = self.big_endian;
        let mut h = [0u8; 16];
        // Most records are whole in the input's buffer: taken there, not copied out.
        let buffered = self.stream.buffered();
        let in_place = buffered.get(..16).and_then(|head| {
            let incl = rd32(be, &head[8..]);
            let end = 16 + incl as usize;
            (incl <= Self::MAX_RECORD && buffered.len() >= end).then(|| {
                h.copy_from_slice(head);
                end
            })
        });
        let mut next = None;
        let data = match in_place {
            Some(end) => {
                // The next record, when it is whole in the buffer too.
                next = buffered.get(end..end + 16).and_then(|head| {
                    let start = end + 16;
                    let stop = start.checked_add(rd32(be, &head[8..]) as usize)?;
                    (stop <= buffered.len()).then_some(start..stop)
                });
                self.stream.take(end);
                Data::InPlace(16..end)
            }
            None => {
                if !self.read_record_header(&mut h, number, start, "record")? {
                    return Ok(None);
                }
                let incl = rd32(be, &h[8..]);
                if incl > Self::MAX_RECORD {
                    return Err(cerr(
                        number,
                        start,
                        format!("record length {incl} exceeds the {}-byte limit (damaged file?)", Self::MAX_RECORD),
                    ));
                }
                let len = incl as usize;
                let got = self.read_data(len).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
                if got < len {
                    return Err(cerr(
                        number,
                        start,
                        format!(
                            "file ends in the middle of a record ({got} of {len} data bytes present); the capture was cut short"
                        ),
                    ));
                }
                Data::Copied(len)
            }
        };
        let ts_sec = rd32(be, &h[0..]);
        let frac = rd32(be, &h[4..]);
        let orig_len = rd32(be, &h[12..]);
        // Constant divisors in each branch: multiplications, not a division per record.
        let (carry, nanos) = if nanos {
            (frac / 1_000_000_000, frac % 1_000_000_000)
        } else {
            (frac / 1_000_000, frac % 1_000_000 * 1000)
        };
        let ts = Timestamp { secs: i64::from(ts_sec) + i64::from(carry), nanos };
        self.frames = number;
        let iface = &self.info.interfaces[0];
        Ok(Some(Meta {
            number,
            ts,
            has_ts: true,
            ts_digits: iface.ts_digits,
            ts_resol: self.ext[0].tsresol,
            orig_len,
            data,
            link_type: iface.link_type,
            interface: 0,
            // A pcap file has no interface blocks: tshark gives its records no interface id.
            on_interface: false,
            offset: start,
            options: None,
            next,
        }))
    }

    /// Reads a section header block whose type (4 bytes) has been read and whose raw length
    /// field is `len_raw`; `start` is the block's offset.
    fn read_shb(&mut self, start: u64, len_raw: [u8; 4]) -> Result<(), CaptureError> {
        let number = self.frames + 1;
        let mut bom = [0u8; 4];
        let n = self.stream.read_full(&mut bom).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if n < 4 {
            return Err(cerr(
                number,
                start,
                format!(
                    "file ends in the middle of a pcapng section header ({} of at least 28 bytes present); the capture was cut short",
                    8 + n
                ),
            ));
        }
        let be = match bom {
            [0x1a, 0x2b, 0x3c, 0x4d] => true,
            [0x4d, 0x3c, 0x2b, 0x1a] => false,
            _ => {
                return Err(cerr(
                    number,
                    start,
                    format!(
                        "pcapng section header has a bad byte-order magic 0x{:08x} (expected 1a2b3c4d; damaged file?)",
                        u32::from_be_bytes(bom)
                    ),
                ))
            }
        };
        let len = rd32(be, &len_raw);
        if len % 4 != 0 || !(28..=MAX_BLOCK).contains(&len) {
            return Err(cerr(
                number,
                start,
                format!(
                    "pcapng section header block length {len} is invalid (must be a multiple of 4, at least 28 and at most {MAX_BLOCK}; damaged file?)"
                ),
            ));
        }
        let mut rest = [0u8; 12];
        self.block_bytes(&mut rest, number, start, len)?;
        let major = rd16(be, &rest[0..]);
        let minor = rd16(be, &rest[2..]);
        if major != 1 {
            return Err(cerr(
                number,
                start,
                format!("unsupported pcapng version {major}.{minor} (only 1.x is defined)"),
            ));
        }
        self.big_endian = be;
        if self.info.sections == 0 {
            self.read_header_options(u64::from(len) - 28, number, start, len)?;
        } else {
            self.block_skip(u64::from(len) - 28, number, start, len)?;
        }
        self.block_trailer(number, start, len)?;
        self.info.sections += 1;
        self.section_base = self.info.interfaces.len();
        Ok(())
    }

    /// The first section header's options (`body` bytes): its texts kept in
    /// [`CaptureInfo::header`], bounded by their caps alone (one section's, once a run). Only
    /// the first [`MAX_SECTION_OPTIONS`] bytes are read; options past them are skipped.
    fn read_header_options(&mut self, body: u64, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        let read = body.min(MAX_SECTION_OPTIONS);
        self.block_body(read, number, start, len)?;
        self.block_skip(body - read, number, start, len)?;
        let be = self.big_endian;
        let mut header = SectionHeader::default();
        let text = |v: &[u8]| text_upto(v, MAX_SECTION_TEXT);
        for (code, v) in (Options { bytes: &self.scratch, big_endian: be }).iter() {
            match code {
                1 if header.comments.len() < MAX_SECTION_COMMENTS => header.comments.push(text(v)),
                2 => header.hardware = Some(text(v)),
                3 => header.os = Some(text(v)),
                4 => header.application = Some(text(v)),
                _ => {}
            }
        }
        self.info.header = header;
        Ok(())
    }

    /// Reads a block's next `body` bytes into `scratch`, growing it only as data arrives, so a
    /// bogus length cannot make us allocate it up front.
    fn block_body(&mut self, body: u64, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        self.scratch.clear();
        self.stream.settle();
        let got = Read::by_ref(&mut self.stream.input)
            .take(body)
            .read_to_end(&mut self.scratch)
            .map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        self.stream.pos += got as u64;
        if (got as u64) < body {
            return Err(Self::past_end(number, start, len));
        }
        Ok(())
    }

    /// Reads the next bytes of a block; the input ending here is reported as damage.
    fn block_bytes(&mut self, buf: &mut [u8], number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        let n = self.stream.read_full(buf).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if n < buf.len() {
            return Err(Self::past_end(number, start, len));
        }
        Ok(())
    }

    fn block_skip(&mut self, n: u64, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        let got = self.stream.skip(n).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if got < n {
            return Err(Self::past_end(number, start, len));
        }
        Ok(())
    }

    fn past_end(number: u64, start: u64, len: u32) -> CaptureError {
        cerr(
            number,
            start,
            format!("pcapng block length {len} points past the end of the file; the capture was cut short"),
        )
    }

    fn block_trailer(&mut self, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        let mut t = [0u8; 4];
        self.block_bytes(&mut t, number, start, len)?;
        let trailer = rd32(self.big_endian, &t);
        if trailer != len {
            return Err(cerr(
                number,
                start,
                format!("pcapng block trailer length {trailer} does not match the header length {len} (damaged file?)"),
            ));
        }
        Ok(())
    }

    fn section_ifaces(&self) -> usize {
        self.info.interfaces.len() - self.section_base
    }

    /// Capture-wide index for the section's interface `id`, or an error.
    fn iface_index(&self, id: u32, number: u64, start: u64) -> Result<usize, CaptureError> {
        self.iface(id).ok_or_else(|| {
            let count = self.section_ifaces();
            cerr(
                number,
                start,
                format!(
                    "packet for undefined interface id {id} (this section declares {count} interface{}); damaged file?",
                    if count == 1 { "" } else { "s" }
                ),
            )
        })
    }

    /// Capture-wide index for the section's interface `id`, if the section declared it.
    fn iface(&self, id: u32) -> Option<usize> {
        ((id as usize) < self.section_ifaces()).then(|| self.section_base + id as usize)
    }

    fn next_pcapng(&mut self) -> Result<Option<Meta>, CaptureError> {
        loop {
            if let Some(meta) = self.epb_in_place() {
                return Ok(Some(meta));
            }
            let start = self.stream.pos;
            let number = self.frames + 1;
            let mut h = [0u8; 8];
            if !self.read_record_header(&mut h, number, start, "pcapng block")? {
                return Ok(None);
            }
            let be = self.big_endian;
            let btype = rd32(be, &h[0..]);
            if btype == PCAPNG_SHB {
                self.read_shb(start, [h[4], h[5], h[6], h[7]])?;
                continue;
            }
            let len = rd32(be, &h[4..]);
            if len % 4 != 0 || len < 12 {
                return Err(cerr(
                    number,
                    start,
                    format!(
                        "pcapng block length {len} is invalid (must be a multiple of 4 and at least 12; damaged file?)"
                    ),
                ));
            }
            if len > MAX_BLOCK {
                return Err(cerr(
                    number,
                    start,
                    format!("pcapng block length {len} exceeds the {MAX_BLOCK}-byte limit (damaged file?)"),
                ));
            }
            let body = len - 12;
            let min_body = match btype {
                PCAPNG_IDB => 8,
                PCAPNG_EPB | PCAPNG_PB => 20,
                PCAPNG_SPB => 4,
                _ => 0,
            };
            if body < min_body {
                return Err(cerr(
                    number,
                    start,
                    format!(
                        "pcapng block length {len} is too short for a block of type {btype} (at least {} needed; damaged file?)",
                        min_body + 12
                    ),
                ));
            }
            match btype {
                PCAPNG_IDB => self.read_idb(number, start, len)?,
                PCAPNG_ISB if body >= 12 => self.read_isb(number, start, len)?,
                PCAPNG_EPB | PCAPNG_PB => return self.read_epb_pb(btype, number, start, len).map(Some),
                PCAPNG_SPB => return self.read_spb(number, start, len).map(Some),
                PCAPNG_CUSTOM | PCAPNG_CUSTOM_NOCOPY if body >= 4 => {
                    return self.read_custom(number, start, len).map(Some);
                }
                _ => {
                    self.block_skip(u64::from(body), number, start, len)?;
                    self.block_trailer(number, start, len)?;
                }
            }
        }
    }

    fn read_idb(&mut self, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        if self.info.interfaces.len() >= MAX_INTERFACES {
            return Err(cerr(
                number,
                start,
                format!(
                    "more than {MAX_INTERFACES} pcapng interface description blocks (in all sections); damaged file?"
                ),
            ));
        }
        // Only the options' first MiB is read, as the section header's: a block may be 64 MiB.
        let body = u64::from(len - 12);
        let read = body.min(8 + MAX_SECTION_OPTIONS);
        self.block_body(read, number, start, len)?;
        self.block_skip(body - read, number, start, len)?;
        let be = self.big_endian;
        let b = &self.scratch;
        let link_type = rd16(be, &b[0..]);
        let snaplen = rd32(be, &b[4..]);
        let (mut name, mut description) = (None, None);
        let mut tsresol = 6u8;
        let mut tsoffset = 0i64;
        let options = Options { bytes: &b[8..], big_endian: be };
        for (code, v) in options.iter() {
            match code {
                // Kept for the run: a name is short.
                2 => name = option_text(v, &mut self.text_budget),
                3 => description = option_text(v, &mut self.text_budget),
                9 if !v.is_empty() => tsresol = v[0],
                14 if v.len() >= 8 => tsoffset = rd64(be, v) as i64,
                _ => {}
            }
        }
        let mut kept = Vec::new();
        options::push_carried(&mut kept, Block::Interface, options, MAX_INTERFACE_OPTIONS);
        match self.text_budget.checked_sub(kept.len()) {
            Some(left) => self.text_budget = left,
            None => kept = Vec::new(),
        }
        self.block_trailer(number, start, len)?;
        let (section, id) = (self.info.sections, self.section_ifaces() as u32);
        self.info.interfaces.push(Interface {
            link_type,
            snaplen,
            ts_digits: ts_digits_for(tsresol),
            name,
            description,
            section,
            id,
            options: kept,
            statistics: None,
        });
        self.ext.push(IfaceExt { tsresol, tsoffset });
        Ok(())
    }

    /// An Interface Statistics Block: its counters kept as the interface's latest
    /// ([`Interface::statistics`]). One for an interface the section does not declare is
    /// skipped; only the first [`MAX_OPTIONS`] bytes of its options are read.
    fn read_isb(&mut self, number: u64, start: u64, len: u32) -> Result<(), CaptureError> {
        let body = u64::from(len - 12);
        let read = body.min(12 + u64::from(MAX_OPTIONS));
        self.block_body(read, number, start, len)?;
        self.block_skip(body - read, number, start, len)?;
        self.block_trailer(number, start, len)?;
        let be = self.big_endian;
        let b = &self.scratch;
        let Some(idx) = self.iface(rd32(be, b)) else { return Ok(()) };
        let ext = self.ext[idx];
        let time = |v: &[u8]| {
            ng_timestamp((u64::from(rd32(be, v)) << 32) | u64::from(rd32(be, &v[4..])), ext.tsresol, ext.tsoffset)
        };
        let mut stats = InterfaceStatistics { time: time(&b[4..]), ..InterfaceStatistics::default() };
        for (code, v) in (Options { bytes: &b[12..], big_endian: be }).iter() {
            if v.len() != 8 {
                continue;
            }
            let n = Some(rd64(be, v));
            match code {
                2 => stats.start = Some(time(v)),
                3 => stats.end = Some(time(v)),
                4 => stats.received = n,
                5 => stats.dropped = n,
                6 => stats.accepted = n,
                7 => stats.os_dropped = n,
                8 => stats.delivered = n,
                _ => {}
            }
        }
        self.info.interfaces[idx].statistics = Some(stats);
        Ok(())
    }

    /// The next block when it is a sound Enhanced Packet Block whole in the input's buffer (most
    /// are): taken in place, its packet data lent from the buffer. Anything else, damage
    /// included, is left to [`Reader::next_pcapng`]'s reading, which reports it.
    fn epb_in_place(&mut self) -> Option<Meta> {
        let be = self.big_endian;
        let buffered = self.stream.buffered();
        let head = buffered.get(..28)?;
        let len = rd32(be, &head[4..]);
        if rd32(be, &head[0..]) != PCAPNG_EPB || len % 4 != 0 || len > MAX_BLOCK {
            return None;
        }
        let block = buffered.get(..len as usize)?;
        let caplen = rd32(be, &head[20..]);
        if caplen > Self::MAX_RECORD || caplen > len.checked_sub(32)? || rd32(be, &block[len as usize - 4..]) != len {
            return None;
        }
        let id = rd32(be, &head[8..]);
        let units = (u64::from(rd32(be, &head[12..])) << 32) | u64::from(rd32(be, &head[16..]));
        let orig_len = rd32(be, &head[24..]);
        let idx = self.iface(id)?;
        let (start, number) = (self.stream.pos, self.frames + 1);
        self.stream.take(len as usize);
        let options = (28 + caplen.next_multiple_of(4)).min(len - 4) as usize..len as usize - 4;
        let meta = self.packet_meta(number, start, idx, units, orig_len, Data::InPlace(28..28 + caplen as usize));
        Some(Meta { options: Some(Data::InPlace(options)), ..meta })
    }

    /// A timestamped packet's description, on the capture-wide interface `idx`; counts it.
    fn packet_meta(&mut self, number: u64, start: u64, idx: usize, units: u64, orig_len: u32, data: Data) -> Meta {
        let ext = self.ext[idx];
        let iface = &self.info.interfaces[idx];
        self.frames = number;
        Meta {
            number,
            ts: ng_timestamp(units, ext.tsresol, ext.tsoffset),
            has_ts: true,
            ts_digits: iface.ts_digits,
            ts_resol: ext.tsresol,
            orig_len,
            data,
            link_type: iface.link_type,
            interface: idx as u32,
            on_interface: true,
            offset: start,
            options: None,
            next: None,
        }
    }

    fn read_epb_pb(&mut self, btype: u32, number: u64, start: u64, len: u32) -> Result<Meta, CaptureError> {
        let be = self.big_endian;
        let body = len - 12;
        let mut h = [0u8; 20];
        self.block_bytes(&mut h, number, start, len)?;
        let id = if btype == PCAPNG_EPB { rd32(be, &h[0..]) } else { u32::from(rd16(be, &h[0..])) };
        let ts_hi = rd32(be, &h[4..]);
        let ts_lo = rd32(be, &h[8..]);
        let caplen = rd32(be, &h[12..]);
        let orig_len = rd32(be, &h[16..]);
        let idx = self.iface_index(id, number, start)?;
        if caplen > Self::MAX_RECORD {
            return Err(cerr(
                number,
                start,
                format!("record length {caplen} exceeds the {}-byte limit (damaged file?)", Self::MAX_RECORD),
            ));
        }
        if caplen > body - 20 {
            return Err(cerr(
                number,
                start,
                format!("captured length {caplen} does not fit in the pcapng block of length {len} (damaged file?)"),
            ));
        }
        let got = self.read_data(caplen as usize).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if got < caplen as usize {
            return Err(Self::past_end(number, start, len));
        }
        // An obsolete Packet Block's drop count (0xffff: not known) goes first among its
        // options, as the `epb_dropcount` that tshark makes of it.
        let mut opts = std::mem::take(&mut self.opts);
        opts.clear();
        let drops = u64::from(rd16(be, &h[2..]));
        if btype == PCAPNG_PB && drops != 0xffff {
            // Code 4, length 8, the count: in the section's byte order, as the options after it.
            let (head, count) =
                if be { ([0, 4, 0, 8], drops.to_be_bytes()) } else { ([4, 0, 8, 0], drops.to_le_bytes()) };
            opts.extend_from_slice(&head);
            opts.extend_from_slice(&count);
        }
        let given = opts.len();
        // The options after the padded data, unless too long to be anything but damage.
        let rest = body - 20 - caplen;
        let pad = (caplen.next_multiple_of(4) - caplen).min(rest);
        let read = match rest - pad {
            n if n <= MAX_OPTIONS => self.block_skip(u64::from(pad), number, start, len).and_then(|()| {
                opts.resize(given + n as usize, 0);
                self.block_bytes(&mut opts[given..], number, start, len)
            }),
            _ => self.block_skip(u64::from(rest), number, start, len),
        };
        let options = (!opts.is_empty()).then_some(Data::Copied(opts.len()));
        self.opts = opts;
        read?;
        self.block_trailer(number, start, len)?;
        let units = (u64::from(ts_hi) << 32) | u64::from(ts_lo);
        let meta = self.packet_meta(number, start, idx, units, orig_len, Data::Copied(caplen as usize));
        Ok(Meta { options, ..meta })
    }

    /// A custom block as a frame of link type [`crate::linktype::PCAPNG_CUSTOM`]: the bytes after
    /// the enterprise number (as Wireshark counts them), at most [`Reader::MAX_RECORD`].
    fn read_custom(&mut self, number: u64, start: u64, len: u32) -> Result<Meta, CaptureError> {
        let body = len - 12;
        let mut pen = [0u8; 4];
        self.block_bytes(&mut pen, number, start, len)?;
        let orig_len = body - 4;
        let caplen = orig_len.min(Self::MAX_RECORD);
        let got = self.read_data(caplen as usize).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if got < caplen as usize {
            return Err(Self::past_end(number, start, len));
        }
        self.block_skip(u64::from(orig_len - caplen), number, start, len)?;
        self.block_trailer(number, start, len)?;
        self.frames = number;
        Ok(Meta {
            number,
            ts: Timestamp::default(),
            has_ts: false,
            ts_digits: 9,
            ts_resol: 9,
            orig_len,
            data: Data::Copied(caplen as usize),
            link_type: crate::linktype::PCAPNG_CUSTOM,
            interface: 0,
            on_interface: false,
            offset: start,
            options: None,
            next: None,
        })
    }

    fn read_spb(&mut self, number: u64, start: u64, len: u32) -> Result<Meta, CaptureError> {
        let body = len - 12;
        let mut h = [0u8; 4];
        self.block_bytes(&mut h, number, start, len)?;
        let orig_len = rd32(self.big_endian, &h);
        if self.section_ifaces() == 0 {
            return Err(cerr(
                number,
                start,
                "simple packet block before any interface description block in this section (damaged file?)",
            ));
        }
        let idx = self.section_base;
        let snaplen = self.info.interfaces[idx].snaplen;
        let mut caplen = orig_len.min(body - 4);
        if snaplen != 0 {
            caplen = caplen.min(snaplen);
        }
        if caplen > Self::MAX_RECORD {
            return Err(cerr(
                number,
                start,
                format!("record length {caplen} exceeds the {}-byte limit (damaged file?)", Self::MAX_RECORD),
            ));
        }
        let got = self.read_data(caplen as usize).map_err(|e| cerr(number, start, self.stream.io_message(&e)))?;
        if got < caplen as usize {
            return Err(Self::past_end(number, start, len));
        }
        self.block_skip(u64::from(body - 4 - caplen), number, start, len)?;
        self.block_trailer(number, start, len)?;
        let iface = &self.info.interfaces[idx];
        self.frames = number;
        Ok(Meta {
            number,
            ts: Timestamp::default(),
            has_ts: false,
            ts_digits: iface.ts_digits,
            ts_resol: self.ext[idx].tsresol,
            orig_len,
            data: Data::Copied(caplen as usize),
            link_type: iface.link_type,
            // A Simple Packet Block is on the section's first interface.
            interface: idx as u32,
            on_interface: true,
            offset: start,
            options: None,
            next: None,
        })
    }
}
