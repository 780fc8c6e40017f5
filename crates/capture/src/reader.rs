//! pcap / pcapng / gzip reader. Streams: never needs more input than the next record,
//! so `tcpdump -w - | udpdissect -r - -l` shows each packet as it arrives.

use std::io::Read;

/// A capture timestamp: seconds since the Unix epoch plus nanoseconds (0..1e9).
/// Negative times (pcapng tsoffset) are represented with `secs < 0`, `nanos` still positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Classic pcap; `nanos` is true for the a1b23c4d magic; `big_endian` is the file's order.
    Pcap { nanos: bool, big_endian: bool, major: u16, minor: u16 },
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureInfo {
    pub format: Format,
    pub gzip: bool,
    /// All interfaces seen so far (pcapng may add more as the file goes on).
    pub interfaces: Vec<Interface>,
    /// Number of pcapng sections seen so far (1 for pcap).
    pub sections: u32,
}

/// One captured record. `number` is Wireshark's frame number: 1-based, every packet
/// record (EPB, SPB, PB, pcap record) counts.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub number: u64,
    pub ts: Timestamp,
    /// Digits of timestamp precision for this frame's interface (see [`Interface::ts_digits`]).
    pub ts_digits: u8,
    /// Length on the wire.
    pub orig_len: u32,
    /// Captured bytes (may be shorter than `orig_len` when cut by the snapshot length).
    pub data: &'a [u8],
    pub link_type: u16,
    /// Capture-wide interface index (into [`CaptureInfo::interfaces`]).
    pub interface: u32,
    /// Byte offset of the record (block) in the (decompressed) input stream.
    pub offset: u64,
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

/// Streaming capture reader over any byte source; gzip is detected by magic.
pub struct Reader {
    _private: (),
}

impl Reader {
    /// Largest packet record accepted (DESIGN limit: 256 KiB); larger is reported as damage.
    pub const MAX_RECORD: u32 = 256 * 1024;

    /// Reads the file header (and, for gzip, the gzip header). Errors on unknown magic
    /// with a message listing the magics we know.
    pub fn new(input: Box<dyn Read + Send>) -> Result<Reader, CaptureError> {
        let _ = input;
        todo!()
    }

    /// Next packet record, skipping non-packet blocks. `Ok(None)` at a clean end of file.
    /// After an `Err`, further calls return `Ok(None)`.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, CaptureError> {
        todo!()
    }

    pub fn info(&self) -> &CaptureInfo {
        todo!()
    }

    /// Bytes consumed from the underlying input so far (compressed bytes for gzip), for progress.
    pub fn bytes_read(&self) -> u64 {
        todo!()
    }
}
