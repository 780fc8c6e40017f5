//! `-z follow,udp,MODE,FILTER[,RANGE]`: the payloads of one UDP conversation, each datagram a
//! chunk, printed after the capture in tshark's layout (hex, ascii, ebcdic, raw or yaml), so a
//! script written against `tshark -z follow,udp,…` reads ours unchanged.
//!
//! `follow,eqstream,…` follows what tshark cannot: the application packets an EQStream session
//! delivers, each a chunk, as the peer's application reads them (in sequence, once, decrypted,
//! inflated, fragments joined, combined packets split).
//!
//! Chunks are spooled as they come (in memory, then in an unnamed temporary file past
//! [`SPILL`] bytes): a conversation of any length is followed with flat memory.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::net::SocketAddr;
use udpdissect_capture::Transport;

use crate::render::{digits, FrameView};

/// Spooled bytes kept in memory before the spool moves to a temporary file.
const SPILL: usize = 8 << 20;

/// tshark's separator line around a followed stream.
const SEPARATOR: &str = "===================================================================";

/// How the chunks are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Length, then the bytes with dots for what does not print.
    Ascii,
    /// As `Ascii`, the printable bytes then read as EBCDIC.
    Ebcdic,
    /// Offset, sixteen bytes in hex, and as text.
    Hex,
    /// Hex digits, a chunk a line.
    Raw,
    /// Peers, then each chunk's frame, peer, time and bytes in base64.
    Yaml,
}

impl Mode {
    const ALL: [(&'static str, Mode); 5] = [
        ("ascii", Mode::Ascii),
        ("ebcdic", Mode::Ebcdic),
        ("hex", Mode::Hex),
        ("raw", Mode::Raw),
        ("yaml", Mode::Yaml),
    ];

    fn name(self) -> &'static str {
        Mode::ALL.iter().find(|(_, m)| *m == self).map_or("", |(n, _)| n)
    }
}

/// Which conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// By its `udp.stream` index.
    Stream(u64),
    /// By its two ends, either way round.
    Ends(SocketAddr, SocketAddr),
}

/// What a chunk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// A UDP datagram's payload.
    Udp,
    /// An application packet an EQStream session delivers (each `eqstream.app`).
    EqStream,
}

impl Layer {
    fn name(self) -> &'static str {
        match self {
            Layer::Udp => "udp",
            Layer::EqStream => "eqstream",
        }
    }
}

/// The field whose bytes are `follow,eqstream`'s chunks.
const EQSTREAM_APP: &str = udpdissect_eqstream::fields::APP.key;

/// A parsed `follow,udp,…` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub layer: Layer,
    pub mode: Mode,
    pub which: Which,
    /// The chunks shown, counted from 1 (both ends included); `None`: all.
    pub chunks: Option<(u64, u64)>,
}

impl Spec {
    /// Parses what follows `follow,`: `udp,MODE,FILTER[,RANGE]`, FILTER a stream index or
    /// `ADDR:PORT,ADDR:PORT` (IPv6 in brackets), RANGE `N` or `N-M`.
    pub fn parse(rest: &str) -> Result<Spec, String> {
        const USAGE: &str = "follow,udp|eqstream,MODE,FILTER[,RANGE]: MODE ascii, ebcdic, hex, raw or yaml; FILTER \
                             a udp.stream index or ADDR:PORT,ADDR:PORT; RANGE N or N-M, chunks counted from 1";
        let parts: Vec<&str> = rest.split(',').map(str::trim).collect();
        let layer = match parts[0] {
            "udp" => Layer::Udp,
            "eqstream" => Layer::EqStream,
            "tcp" | "tls" | "http" | "http2" | "quic" | "dccp" | "sip" => {
                return Err(format!("only UDP conversations (and EQStream's packets) are followed here ({USAGE})"))
            }
            p => return Err(format!("unknown protocol '{p}' ({USAGE})")),
        };
        let Some(mode) = parts.get(1) else { return Err(format!("no mode ({USAGE})")) };
        let mode = Mode::ALL.iter().find(|(n, _)| n == mode).map(|(_, m)| *m);
        let mode = mode.ok_or_else(|| format!("unknown mode '{}' ({USAGE})", parts[1]))?;
        let (which, range) = match parts.get(2..).unwrap_or_default() {
            [] => return Err(format!("no stream index nor ends ({USAGE})")),
            [index, range @ ..] if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) => {
                let n = index.parse().map_err(|_| format!("stream index '{index}' is too large"))?;
                (Which::Stream(n), range)
            }
            [a, b, range @ ..] => match (a.parse(), b.parse()) {
                (Ok(a), Ok(b)) => (Which::Ends(a, b), range),
                _ => return Err(format!("'{a},{b}' is not two ADDR:PORT ends ({USAGE})")),
            },
            [other] => return Err(format!("'{other}' is neither a stream index nor two ends ({USAGE})")),
        };
        let chunks = match range {
            [] => None,
            [r] => Some(parse_range(r).ok_or_else(|| format!("bad range '{r}' ({USAGE})"))?),
            more => return Err(format!("'{}' after the range ({USAGE})", more[1..].join(","))),
        };
        Ok(Spec { layer, mode, which, chunks })
    }

    /// The fields the run must build for it: `udp.stream` to find the conversation by index,
    /// the application packets to follow EQStream's.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + use<> {
        let stream = matches!(self.which, Which::Stream(_)).then_some(udpdissect_core::UDP_STREAM.key);
        let app = (self.layer == Layer::EqStream).then_some(EQSTREAM_APP);
        stream.into_iter().chain(app)
    }

    /// Whether the protocols must run: for EQStream's packets, not for UDP payloads.
    pub fn needs_dissection(&self) -> bool {
        self.layer != Layer::Udp
    }

    /// tshark's filter line for it.
    fn filter(&self) -> String {
        match self.which {
            Which::Stream(n) => format!("udp.stream eq {n}"),
            Which::Ends(a, b) => {
                let v = if a.is_ipv6() { "v6" } else { "" };
                let side = |s: SocketAddr, d: SocketAddr| {
                    format!(
                        "((ip{v}.src eq {} and udp.srcport eq {}) and (ip{v}.dst eq {} and udp.dstport eq {}))",
                        s.ip(),
                        s.port(),
                        d.ip(),
                        d.port()
                    )
                };
                format!("{} or {}", side(a, b), side(b, a))
            }
        }
    }
}

/// `N` or `N-M`, 1 ≤ N ≤ M.
fn parse_range(r: &str) -> Option<(u64, u64)> {
    let (lo, hi) = r.split_once('-').unwrap_or((r, r));
    let (lo, hi): (u64, u64) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    (lo >= 1 && lo <= hi).then_some((lo, hi))
}

/// One chunk as spooled: its frame, capture time, sender (node 0 or 1), the bytes its node sent
/// before it, and its length; the bytes follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chunk {
    frame: u64,
    time_ns: i64,
    node: u8,
    offset: u64,
    len: u32,
}

const CHUNK_HEAD: usize = 8 + 8 + 1 + 8 + 4;

impl Chunk {
    fn write(&self, to: &mut impl Write) -> io::Result<()> {
        to.write_all(&self.frame.to_le_bytes())?;
        to.write_all(&self.time_ns.to_le_bytes())?;
        to.write_all(&[self.node])?;
        to.write_all(&self.offset.to_le_bytes())?;
        to.write_all(&self.len.to_le_bytes())
    }

    fn read(b: &[u8; CHUNK_HEAD]) -> Chunk {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        Chunk {
            frame: u64_at(0),
            time_ns: u64_at(8) as i64,
            node: b[16],
            offset: u64_at(17),
            len: u32::from_le_bytes(b[25..29].try_into().expect("4 bytes")),
        }
    }
}

/// Chunks in the order they came: in memory up to a bound, then in a temporary file.
#[derive(Debug)]
struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    spill: usize,
}

impl Spool {
    fn new(spill: usize) -> Spool {
        Spool { memory: Vec::new(), file: None, spill }
    }

    fn push(&mut self, chunk: Chunk, data: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + CHUNK_HEAD + data.len() > self.spill {
            let mut f = BufWriter::new(tempfile::tempfile()?);
            f.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(f);
        }
        match &mut self.file {
            Some(f) => {
                chunk.write(f)?;
                f.write_all(data)
            }
            None => {
                chunk.write(&mut self.memory)?;
                self.memory.extend_from_slice(data);
                Ok(())
            }
        }
    }

    /// Writes out what the file's buffer holds: before [`Spool::replay`].
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }

    /// Hands each chunk and its bytes to `each`, in order (after [`Spool::flush`]).
    fn replay(&self, mut each: impl FnMut(&Chunk, &[u8]) -> io::Result<()>) -> io::Result<()> {
        let mut data = Vec::new();
        let mut head = [0u8; CHUNK_HEAD];
        let mut from: Box<dyn Read + '_> = match &self.file {
            Some(f) => {
                let mut file = f.get_ref();
                file.rewind()?;
                Box::new(BufReader::new(file))
            }
            None => Box::new(&self.memory[..]),
        };
        loop {
            match from.read_exact(&mut head) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let chunk = Chunk::read(&head);
            data.resize(chunk.len as usize, 0);
            from.read_exact(&mut data)?;
            each(&chunk, &data)?;
        }
    }
}

/// Follows one conversation through a run.
#[derive(Debug)]
pub struct Follow {
    spec: Spec,
    /// The sender and the receiver of the first chunk: node 0 and node 1.
    nodes: Option<(SocketAddr, SocketAddr)>,
    /// Chunks seen, shown or not.
    seen: u64,
    /// Bytes each node sent so far (the hex mode's offsets).
    sent: [u64; 2],
    spool: Spool,
    /// The first error spooling met (reported at the end; chunks after it are lost).
    failed: Option<io::Error>,
}

impl Follow {
    pub fn new(spec: Spec) -> Follow {
        Follow { spec, nodes: None, seen: 0, sent: [0; 2], spool: Spool::new(SPILL), failed: None }
    }

    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// Takes a frame's chunks if it belongs to the conversation: its UDP payload, or the
    /// EQStream application packets it delivers. `stream`: the frame's `udp.stream`, if built.
    /// An ICMP error's quote is no chunk, as in tshark.
    pub fn frame(&mut self, v: &FrameView, stream: Option<u64>) {
        let Transport::Udp(u) = v.decoded.transport else { return };
        let Some((src, dst)) = v.decoded.net.src().zip(v.decoded.net.dst()) else { return };
        let (src, dst) = (SocketAddr::new(src, u.src_port), SocketAddr::new(dst, u.dst_port));
        let ours = match self.spec.which {
            Which::Stream(n) => stream == Some(n),
            Which::Ends(a, b) => (src, dst) == (a, b) || (src, dst) == (b, a),
        };
        if !ours {
            return;
        }
        match self.spec.layer {
            Layer::Udp => self.chunk(v, src, dst, u.payload.bytes()),
            Layer::EqStream => {
                for f in v.out.fields().iter().filter(|f| f.info.key == EQSTREAM_APP) {
                    let bytes = v.out.source_bytes(v.frame.data, f.source);
                    let at = f.offset as usize;
                    if let Some(data) = bytes.get(at..at.saturating_add(f.len as usize)) {
                        self.chunk(v, src, dst, data);
                    }
                }
            }
        }
    }

    fn chunk(&mut self, v: &FrameView, src: SocketAddr, dst: SocketAddr, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let node = usize::from(self.nodes.get_or_insert((src, dst)).0 != src);
        self.seen += 1;
        let shown = self.spec.chunks.is_none_or(|(lo, hi)| (lo..=hi).contains(&self.seen));
        if shown && self.failed.is_none() {
            let chunk = Chunk {
                frame: v.frame.number,
                time_ns: v.abs_ns,
                node: node as u8,
                offset: self.sent[node],
                len: data.len() as u32,
            };
            if let Err(e) = self.spool.push(chunk, data) {
                self.failed = Some(e);
            }
        }
        self.sent[node] += data.len() as u64;
    }

    /// After the last frame: the spool's buffer written out, or the error that lost chunks.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(io::Error::new(e.kind(), format!("follow: could not keep the stream's bytes: {e}")));
        }
        self.spool.flush()
    }

    /// Prints the conversation as tshark does (after [`Follow::finish`]).
    pub fn report(&self, w: &mut dyn Write) -> io::Result<()> {
        use std::fmt::Write as _;
        let mut w = BufWriter::with_capacity(1 << 16, w);
        let mode = self.spec.mode;
        let mut s = String::new();
        if mode == Mode::Yaml {
            s.push_str("peers:\n");
            for (i, end) in self.ends().into_iter().enumerate() {
                let _ = write!(s, "  - peer: {i}\n    host: ");
                if let Some(a) = end {
                    let _ = write!(s, "{}", a.ip());
                }
                let _ = writeln!(s, "\n    port: {}", end.map_or(0, |a| a.port()));
            }
            s.push_str("packets:\n");
        } else {
            let layer = self.spec.layer.name();
            let _ = writeln!(s, "\n{SEPARATOR}\nFollow: {layer},{}\nFilter: {}", mode.name(), self.spec.filter());
            for (i, end) in self.ends().into_iter().enumerate() {
                let _ = write!(s, "Node {i}: ");
                match end {
                    Some(a) => digits::push_socket_addr(&mut s, a),
                    None => s.push_str(":0"),
                }
                s.push('\n');
            }
        }
        w.write_all(s.as_bytes())?;
        self.spool.replay(|c, data| {
            s.clear();
            chunk_text(&mut s, mode, c, data);
            w.write_all(s.as_bytes())
        })?;
        if mode != Mode::Yaml {
            writeln!(w, "{SEPARATOR}")?;
        }
        w.flush()
    }

    fn ends(&self) -> [Option<SocketAddr>; 2] {
        [self.nodes.map(|n| n.0), self.nodes.map(|n| n.1)]
    }
}

/// One chunk in `mode`.
fn chunk_text(s: &mut String, mode: Mode, c: &Chunk, data: &[u8]) {
    use std::fmt::Write as _;
    let tab = if c.node == 1 { "\t" } else { "" };
    match mode {
        Mode::Hex => {
            for (i, line) in data.chunks(16).enumerate() {
                s.push_str(tab);
                hex_line(s, c.offset + 16 * i as u64, line);
            }
        }
        Mode::Ascii | Mode::Ebcdic => {
            s.push_str(tab);
            digits::push_u64(s, data.len() as u64);
            s.push('\n');
            s.extend(data.iter().map(|&b| match b {
                b'\r' | b'\n' => b as char,
                0x20..=0x7e if mode == Mode::Ebcdic => EBCDIC_PRINTABLE[usize::from(b - 0x20)] as char,
                0x20..=0x7e => b as char,
                _ => '.',
            }));
            s.push('\n');
        }
        Mode::Raw => {
            s.push_str(tab);
            digits::push_hex(s, data);
            s.push('\n');
        }
        Mode::Yaml => {
            s.push_str("  - packet: ");
            digits::push_u64(s, c.frame);
            s.push_str("\n    peer: ");
            digits::push_u64(s, c.node.into());
            // tshark prints the time as a double to nine decimals: the digits past the
            // double's precision are its, not the capture's (both read back as the same double).
            let (secs, nanos) = (c.time_ns.div_euclid(1_000_000_000), c.time_ns.rem_euclid(1_000_000_000));
            let _ = write!(s, "\n    timestamp: {:.9}", secs as f64 + nanos as f64 / 1e9);
            s.push_str("\n    data: !!binary |\n");
            for line in base64(data).as_bytes().chunks(76) {
                s.push_str("      ");
                s.push_str(std::str::from_utf8(line).unwrap_or_default());
                s.push('\n');
            }
        }
    }
}

/// `0000001E  00 01 … 07  08 … 0f  ........ ........`: tshark's follow line (upper-case offset,
/// a space after the eighth byte in both columns).
fn hex_line(s: &mut String, offset: u64, line: &[u8]) {
    use std::fmt::Write as _;
    let _ = write!(s, "{offset:08X}  ");
    let start = s.len();
    for (i, b) in line.iter().enumerate() {
        digits::push_hex(s, &[*b]);
        s.push(' ');
        if i == 7 {
            s.push(' ');
        }
    }
    // The text column starts 50 characters after the offset's.
    let width = s.len() - start;
    s.extend(std::iter::repeat_n(' ', 50 - width));
    for (i, &b) in line.iter().enumerate() {
        s.push(if (0x20..0x7f).contains(&b) { b as char } else { '.' });
        if i == 7 {
            s.push(' ');
        }
    }
    // As tshark: one space off the end, the separator after an eighth byte or the byte's own.
    if s.ends_with(' ') {
        s.pop();
    }
    s.push('\n');
}

/// What tshark's ebcdic mode prints for the bytes 0x20 to 0x7e (it keeps only bytes printable
/// as ASCII, then reads those as EBCDIC through its own table): observed from tshark 4.0.
const EBCDIC_PRINTABLE: &[u8; 95] =
    b" !\"#$%&'()*+,-./..23456789:;<=.? ...........<(+|&.........!$*);^-/........|,%_>?..........:#@'=";

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for group in data.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= group.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests;
