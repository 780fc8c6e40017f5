//! The byte stream under the reader: the caller's input as it is, or decompressed when it
//! starts with the magic of gzip, zstd or lz4 (whatever the file is called, as tshark detects
//! them), counting the bytes taken from the caller's input for progress.

use crate::ahead::Ahead;
use crate::lz4::Lz4Frames;
use crate::zstd_frames::ZstdFrames;
use flate2::bufread::MultiGzDecoder;
use std::io::{self, BufRead, BufReader, Read};

/// Size of the read buffers (decompressed and compressed side).
const BUF_SIZE: usize = 64 * 1024;

/// Largest zstd window accepted, as a power of two: libzstd's own default limit (128 MiB),
/// which is tshark's too. The decoder keeps a window's worth of output, so this bounds what a
/// zstd capture can make the reader hold; `zstd` up to level 19 writes windows of at most
/// 8 MiB, and only `--long` or `--ultra` larger ones.
pub const ZSTD_MAX_WINDOW_LOG: u32 = 27;

/// How a capture file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`1f 8b`), members one after another read as one stream.
    Gzip,
    /// Zstandard (`28 b5 2f fd`), frames (and skippable frames) one after another.
    Zstd,
    /// The LZ4 frame format (`04 22 4d 18`), frames one after another.
    Lz4,
}

impl Compression {
    pub const ALL: [Compression; 3] = [Compression::Gzip, Compression::Zstd, Compression::Lz4];

    /// The name capinfos gives it ("pcapng (zstd compressed)"), and tshark's `--compress`.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Lz4 => "lz4",
        }
    }

    /// The extension its tool gives a file, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Gzip => "gz",
            Compression::Zstd => "zst",
            Compression::Lz4 => "lz4",
        }
    }

    /// The compression of this [`Compression::name`].
    pub fn from_name(name: &str) -> Option<Compression> {
        Compression::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The compression a file name's last extension (without the dot, any case) says.
    pub fn from_extension(extension: &str) -> Option<Compression> {
        Compression::ALL.into_iter().find(|c| c.extension().eq_ignore_ascii_case(extension))
    }

    /// The compression whose magic `prefix` (a file's first bytes) starts with.
    pub fn from_magic(prefix: &[u8]) -> Option<Compression> {
        match prefix {
            [0x1f, 0x8b, ..] => Some(Compression::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Compression::Zstd),
            [0x04, 0x22, 0x4d, 0x18, ..] => Some(Compression::Lz4),
            _ => None,
        }
    }
}

/// The caller's byte source, counting every byte pulled from it.
pub(crate) struct Source {
    inner: Box<dyn Read + Send>,
    count: u64,
}

impl Source {
    /// Bytes taken from the caller's input so far.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Reads from `input` until `buf` is full or the input ends; returns how many bytes were read.
/// Never asks for more than `buf.len()` bytes.
#[inline]
pub(crate) fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// A reader that gives back the (up to four) bytes looked at before going on with `inner`:
/// the magic read to choose the decompressor.
pub(crate) struct Replay<R> {
    head: [u8; 4],
    len: usize,
    pos: usize,
    inner: R,
}

impl<R: Read> Replay<R> {
    fn new(inner: R) -> Replay<R> {
        Replay { head: [0; 4], len: 0, pos: 0, inner }
    }

    /// Reads up to four bytes to look at (fewer only at the end of the input); they are read
    /// again next. Once, before anything else is read.
    fn peek(&mut self) -> io::Result<&[u8]> {
        self.len = read_full(&mut self.inner, &mut self.head)?;
        Ok(&self.head[..self.len])
    }
}

impl<R: Read> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.len {
            let n = (self.len - self.pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// The compressed side: the caller's bytes, buffered.
type Compressed = BufReader<Replay<Source>>;

/// A decompressor over the source that can still tell how much of the source it has read.
pub(crate) trait Decompressor: Read + Send {
    fn source(&self) -> &Source;
}

impl Decompressor for MultiGzDecoder<Compressed> {
    fn source(&self) -> &Source {
        &self.get_ref().get_ref().inner
    }
}

impl Decompressor for ZstdFrames<Compressed> {
    fn source(&self) -> &Source {
        &self.get_ref().get_ref().inner
    }
}

impl Decompressor for Lz4Frames<Compressed> {
    fn source(&self) -> &Source {
        &self.get_ref().get_ref().inner
    }
}

/// The decompressed side, buffered.
pub(crate) type Decompressing = BufReader<Box<dyn Decompressor>>;

/// A decompressed stream as the reader takes it: decompressed on this thread
/// ([`Decompressing`]) or handed over by a thread of its own ([`Ahead`]).
pub(crate) trait Decompressed: Read + Send {
    /// What is buffered and not yet consumed; never reads.
    fn buffer(&self) -> &[u8];
    fn consume(&mut self, n: usize);
    /// Compressed bytes taken from the caller's input so far.
    fn count(&self) -> u64;
    /// The stream decompressed from here on by a thread of its own, and whether one started.
    fn ahead(self: Box<Self>) -> (Box<dyn Decompressed>, bool);
}

impl Decompressed for Decompressing {
    fn buffer(&self) -> &[u8] {
        BufReader::buffer(self)
    }

    fn consume(&mut self, n: usize) {
        BufRead::consume(self, n);
    }

    fn count(&self) -> u64 {
        self.get_ref().source().count
    }

    fn ahead(self: Box<Self>) -> (Box<dyn Decompressed>, bool) {
        match Ahead::start(*self) {
            Ok(ahead) => (Box::new(ahead), true),
            Err(unstarted) => (Box::new(unstarted), false),
        }
    }
}

/// The stream the reader parses. A compressed one is a trait object: its calls are per
/// buffer and per record on the compressed path only, and the plain path's stay inlined.
pub(crate) enum Input {
    Plain(BufReader<Replay<Source>>),
    Decompressed(Box<dyn Decompressed>),
}

/// What [`Input::open`] found before the first decompressed byte.
pub(crate) enum Opened {
    Input(Input, Option<Compression>),
    /// The input holds no byte at all.
    Empty,
    /// Reading the first bytes failed.
    Failed(io::Error),
}

impl Input {
    /// Looks at the input's first four bytes and stacks the decompressor they call for.
    pub(crate) fn open(inner: Box<dyn Read + Send>) -> Opened {
        let mut source = Replay::new(Source { inner, count: 0 });
        let compression = match source.peek() {
            Ok([]) => return Opened::Empty,
            Ok(magic) => Compression::from_magic(magic),
            Err(e) => return Opened::Failed(e),
        };
        let Some(compression) = compression else {
            return Opened::Input(Input::Plain(BufReader::with_capacity(BUF_SIZE, source)), None);
        };
        let compressed = BufReader::with_capacity(BUF_SIZE, source);
        let decompressor: Box<dyn Decompressor> = match compression {
            Compression::Gzip => Box::new(MultiGzDecoder::new(compressed)),
            Compression::Zstd => match ZstdFrames::new(compressed, ZSTD_MAX_WINDOW_LOG) {
                Ok(d) => Box::new(d),
                Err(e) => return Opened::Failed(e),
            },
            Compression::Lz4 => Box::new(Lz4Frames::new(compressed)),
        };
        let decompressing: Decompressing = BufReader::with_capacity(BUF_SIZE, decompressor);
        Opened::Input(Input::Decompressed(Box::new(decompressing)), Some(compression))
    }

    /// Decompresses from here on on a thread of its own ([`Ahead`]): true when the stream is
    /// compressed and the thread started; the stream is left as it was otherwise.
    pub(crate) fn decompress_ahead(&mut self) -> bool {
        let Input::Decompressed(_) = self else { return false };
        let nothing =
            Input::Plain(BufReader::with_capacity(0, Replay::new(Source { inner: Box::new(io::empty()), count: 0 })));
        let Input::Decompressed(d) = std::mem::replace(self, nothing) else { unreachable!("matched above") };
        let (d, started) = d.ahead();
        *self = Input::Decompressed(d);
        started
    }

    /// Bytes taken from the caller's input so far (compressed bytes when decompressing).
    pub(crate) fn count(&self) -> u64 {
        match self {
            Input::Plain(r) => r.get_ref().inner.count,
            Input::Decompressed(d) => d.count(),
        }
    }

    /// What is buffered and not yet consumed; never reads.
    pub(crate) fn buffer(&self) -> &[u8] {
        match self {
            Input::Plain(r) => r.buffer(),
            Input::Decompressed(d) => d.buffer(),
        }
    }

    pub(crate) fn consume(&mut self, n: usize) {
        match self {
            Input::Plain(r) => r.consume(n),
            Input::Decompressed(d) => d.consume(n),
        }
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Plain(r) => r.read(buf),
            Input::Decompressed(d) => d.read(buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lz4::skippable;

    #[test]
    fn lz4_frames_read_nothing_after_the_end() {
        let data = b"two frames, then nothing".repeat(100);
        let mut enc = lz4_flex::frame::FrameEncoder::new(Vec::new());
        io::Write::write_all(&mut enc, &data).unwrap();
        let frame = enc.finish().unwrap();
        let both = [frame.clone(), frame].concat();
        let Opened::Input(mut input, Some(Compression::Lz4)) = Input::open(Box::new(io::Cursor::new(both))) else {
            panic!("an LZ4 stream")
        };
        let mut out = Vec::new();
        input.read_to_end(&mut out).unwrap();
        assert_eq!(out, [data.clone(), data].concat());
        for _ in 0..3 {
            assert_eq!(input.read(&mut [0; 16]).unwrap(), 0);
        }
    }

    #[test]
    fn magics_name_their_compression() {
        assert_eq!(Compression::from_magic(&[0x1f, 0x8b]), Some(Compression::Gzip));
        assert_eq!(Compression::from_magic(&[0x1f, 0x8b, 8, 0, 0]), Some(Compression::Gzip));
        assert_eq!(Compression::from_magic(&[0x28, 0xb5, 0x2f, 0xfd]), Some(Compression::Zstd));
        assert_eq!(Compression::from_magic(&[0x28, 0xb5, 0x2f, 0xfd, 0x24]), Some(Compression::Zstd));
        assert_eq!(Compression::from_magic(&[0x04, 0x22, 0x4d, 0x18, 0x64]), Some(Compression::Lz4));
        // Cut short, pcap, pcapng, the LZ4 legacy format and a skippable frame are not.
        for other in [
            &[0x28, 0xb5, 0x2f][..],
            &[0xd4, 0xc3, 0xb2, 0xa1],
            &[0x0a, 0x0d, 0x0d, 0x0a],
            &[0x02, 0x21, 0x4c, 0x18],
            &[0x50, 0x2a, 0x4d, 0x18],
        ] {
            assert_eq!(Compression::from_magic(other), None, "{other:02x?}");
        }
        assert!(skippable(&[0x50, 0x2a, 0x4d, 0x18]) && skippable(&[0x5f, 0x2a, 0x4d, 0x18]));
        assert!(!skippable(&[0x4f, 0x2a, 0x4d, 0x18]) && !skippable(&[0x60, 0x2a, 0x4d, 0x18]));
    }
}
