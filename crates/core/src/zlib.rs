//! Inflating zlib: whole streams into bounded buffers, for the dissectors that show what a
//! packet carries compressed (Overte's system info, packed Kad), and streams fed a packet at a
//! time (EQStream's passes and EQ2's connection stream).
//!
//! Output is taken a chunk at a time through a buffer of the decoder's own: the zlib backend
//! zeroes all the room it is given, and callers reuse output buffers with large capacities. The
//! decoder and its chunk are kept between streams ([`Inflater::reset`]): a new decoder
//! allocates and zeroes its state and window (about 40 KiB), and a chunk on the stack would be
//! zeroed on every call, which also pushes the dissectors' tables out of the cache.

use flate2::{Decompress, FlushDecompress, Status};
use std::cell::RefCell;

/// Bytes of output taken from the decoder at a time.
const CHUNK: usize = 4096;

/// Why a stream did not inflate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// The bytes are not a zlib stream: the decoder's words.
    Corrupt(String),
    /// The input ran out before the stream's end.
    EndsEarly,
}

/// Why feeding a stream stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Corrupt or truncated zlib data.
    Corrupt,
    /// More output than the limit allows.
    Limit,
}

/// A zlib stream's decoder (with the zlib header), kept per connection and fed through an
/// [`Inflater`]'s chunk: connections can be many, and need no chunk each.
pub struct Stream(Decompress);

impl Default for Stream {
    fn default() -> Self {
        Stream(Decompress::new(true))
    }
}

impl Stream {
    /// Bytes inflated since the stream started.
    pub fn total_out(&self) -> u64 {
        self.0.total_out()
    }
}

/// A zlib decoder and the output chunk that it, and any [`Stream`], is fed through.
pub struct Inflater {
    z: Decompress,
    chunk: Box<[u8; CHUNK]>,
}

impl Default for Inflater {
    fn default() -> Self {
        Inflater { z: Decompress::new(true), chunk: Box::new([0; CHUNK]) }
    }
}

impl Inflater {
    /// Starts a new stream.
    pub fn reset(&mut self) {
        self.z.reset(true);
    }

    /// Feeds `input`, appending at most `limit` bytes to `out`, until the input is used up and
    /// everything it gives is out, or the stream ends.
    pub fn feed(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
        flush: FlushDecompress,
    ) -> Result<Status, Stop> {
        feed(&mut self.z, &mut self.chunk[..], input, out, limit, flush)
    }

    /// [`Inflater::feed`] to `stream` instead of this decoder.
    pub fn feed_stream(
        &mut self,
        stream: &mut Stream,
        input: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
        flush: FlushDecompress,
    ) -> Result<Status, Stop> {
        feed(&mut stream.0, &mut self.chunk[..], input, out, limit, flush)
    }

    /// Inflates the whole zlib stream `input` into `buf`, at most `limit` bytes in all;
    /// `Ok(true)` when the limit cut it. What came out before a corrupt spot is kept.
    pub fn whole(&mut self, input: &[u8], buf: &mut Vec<u8>, limit: usize) -> Result<bool, Broken> {
        self.reset();
        let (z, chunk) = (&mut self.z, &mut self.chunk[..]);
        loop {
            let (in0, out0) = (z.total_in(), z.total_out());
            let rest = input.get(in0 as usize..).unwrap_or(&[]);
            let result = z.decompress(rest, chunk, FlushDecompress::Finish);
            let produced = (z.total_out() - out0) as usize;
            let room = limit.saturating_sub(buf.len());
            buf.extend_from_slice(&chunk[..produced.min(room)]);
            let status = result.map_err(|e| Broken::Corrupt(e.to_string()))?;
            if produced > room || (buf.len() == limit && status != Status::StreamEnd) {
                return Ok(true);
            }
            match status {
                Status::StreamEnd => return Ok(false),
                _ if z.total_in() == in0 && produced == 0 => return Err(Broken::EndsEarly),
                _ => {}
            }
        }
    }
}

/// Feeds `input` to `z` through `chunk`: [`Inflater::feed`].
fn feed(
    z: &mut Decompress,
    chunk: &mut [u8],
    input: &[u8],
    out: &mut Vec<u8>,
    limit: usize,
    flush: FlushDecompress,
) -> Result<Status, Stop> {
    if limit == 0 {
        return Err(Stop::Limit);
    }
    let (mut used, mut produced) = (0usize, 0usize);
    loop {
        let before = (z.total_in(), z.total_out());
        let status = z.decompress(&input[used.min(input.len())..], chunk, flush).map_err(|_| Stop::Corrupt)?;
        let consumed = (z.total_in() - before.0) as usize;
        let n = (z.total_out() - before.1) as usize;
        used += consumed;
        if n > limit - produced {
            out.extend_from_slice(&chunk[..limit - produced]);
            return Err(Stop::Limit);
        }
        out.extend_from_slice(&chunk[..n]);
        produced += n;
        if status == Status::StreamEnd || (used >= input.len() && n < chunk.len()) {
            return Ok(status);
        }
        if produced == limit {
            return Err(Stop::Limit);
        }
        if consumed == 0 && n == 0 {
            return Err(Stop::Corrupt);
        }
    }
}

thread_local! {
    /// [`inflate_whole`]'s decoder, kept for the next stream on this thread.
    static WHOLE: RefCell<Option<Inflater>> = const { RefCell::new(None) };
    /// [`inflate_whole`]'s latest small streams and what they gave.
    static RECENT: RefCell<Recent> = const { RefCell::new(Recent { kept: Vec::new(), next: 0 }) };
}

#[cfg(test)]
thread_local! {
    /// Streams [`inflate_whole`] inflated on this thread, rather than remembered.
    static INFLATED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Streams remembered by [`inflate_whole`] on each thread.
const RECENT_STREAMS: usize = 4;
/// The largest stream, and the most output, remembered: small, repeated streams are the point
/// (a client sends the same compressed system info on every connect attempt), and the memory
/// stays bounded (under 80 KiB a thread).
const RECENT_INPUT: usize = 2048;
const RECENT_OUTPUT: usize = 16 * 1024;

/// A stream [`inflate_whole`] inflated into an empty buffer, its limit, and the outcome.
struct Kept {
    input: Vec<u8>,
    limit: usize,
    output: Vec<u8>,
    result: Result<bool, Broken>,
}

struct Recent {
    kept: Vec<Kept>,
    /// The entry the next stream replaces once all are taken.
    next: usize,
}

/// [`Inflater::whole`] with a decoder kept per thread. A small stream seen again, with the same
/// limit and into an empty buffer, gives what it gave the last time without inflating: building
/// a dynamic block's Huffman tables alone costs more than twenty comparisons of such a stream.
pub fn inflate_whole(input: &[u8], buf: &mut Vec<u8>, limit: usize) -> Result<bool, Broken> {
    let remember = buf.is_empty() && input.len() <= RECENT_INPUT;
    if remember {
        let hit = RECENT.with(|r| {
            let r = r.borrow();
            let k = r.kept.iter().find(|k| k.limit == limit && k.input == input)?;
            buf.extend_from_slice(&k.output);
            Some(k.result.clone())
        });
        if let Some(result) = hit {
            return result;
        }
    }
    #[cfg(test)]
    INFLATED.with(|n| n.set(n.get() + 1));
    let result = WHOLE.with(|w| w.borrow_mut().get_or_insert_with(Inflater::default).whole(input, buf, limit));
    if remember && buf.len() <= RECENT_OUTPUT {
        RECENT.with(|r| {
            let r = &mut *r.borrow_mut();
            let k = if r.kept.len() < RECENT_STREAMS {
                r.kept.push(Kept { input: Vec::new(), limit, output: Vec::new(), result: Ok(false) });
                r.kept.last_mut().expect("just pushed")
            } else {
                let at = r.next;
                r.next = (at + 1) % RECENT_STREAMS;
                &mut r.kept[at]
            };
            // The replaced entry's buffers are reused: streams that never repeat cost two copies.
            k.input.clear();
            k.input.extend_from_slice(input);
            k.output.clear();
            k.output.extend_from_slice(buf);
            k.limit = limit;
            k.result = result.clone();
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compress, Compression, FlushCompress};

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut c = Compress::new(Compression::default(), true);
        let mut out = Vec::with_capacity(data.len() + 64);
        c.compress_vec(data, &mut out, FlushCompress::Finish).unwrap();
        out
    }

    #[test]
    fn whole_cut_corrupt_and_short_streams() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let z = zlib(&data);
        let mut buf = Vec::new();
        assert_eq!(inflate_whole(&z, &mut buf, 1 << 16), Ok(false));
        assert!(buf == data);
        buf.clear();
        assert_eq!(inflate_whole(&z, &mut buf, 5000), Ok(true));
        assert_eq!(buf[..], data[..5000]);
        buf.clear();
        assert_eq!(inflate_whole(&z, &mut buf, data.len()), Ok(false), "exactly the limit, whole");
        buf.clear();
        assert_eq!(inflate_whole(&z[..z.len() / 2], &mut buf, 1 << 16), Err(Broken::EndsEarly));
        buf.clear();
        assert!(matches!(inflate_whole(b"\x78\x9c\xff\xff\xff", &mut buf, 1 << 16), Err(Broken::Corrupt(_))));
        // The decoder kept for the next stream starts afresh after a cut, short or corrupt one.
        buf.clear();
        assert_eq!(inflate_whole(&z, &mut buf, 1 << 16), Ok(false));
        assert!(buf == data);
    }

    /// What `inflate_whole` gives a stream, and how many streams it inflated doing so.
    fn whole_counted(input: &[u8], buf: &mut Vec<u8>, limit: usize) -> (Result<bool, Broken>, u64) {
        let before = INFLATED.with(|n| n.get());
        let result = inflate_whole(input, buf, limit);
        (result, INFLATED.with(|n| n.get()) - before)
    }

    #[test]
    fn a_small_stream_seen_again_gives_the_same_without_inflating() {
        let json = br#"{"cpus":[{"model":"x86"}],"memory":{"total":17179869184},"gpus":[]}"#.repeat(6);
        let z = zlib(&json);
        assert!(z.len() <= RECENT_INPUT);
        let corrupt = b"\x78\x9c\xff\xff\xff".to_vec();
        let short = z[..z.len() / 2].to_vec();
        let cases: [(&[u8], usize); 4] = [(&z, 1 << 16), (&z, 100), (&corrupt, 1 << 16), (&short, 1 << 16)];
        for (input, limit) in cases {
            let mut first = Vec::new();
            let (want, n) = whole_counted(input, &mut first, limit);
            assert_eq!(n, 1);
            let mut again = Vec::new();
            assert_eq!(whole_counted(input, &mut again, limit), (want.clone(), 0), "{input:02x?} {limit}");
            assert_eq!(again, first);
        }
        // Another limit, or a buffer that already holds bytes (the limit counts them), inflates.
        let mut buf = Vec::new();
        assert_eq!(whole_counted(&z, &mut buf, 200), (Ok(true), 1));
        assert_eq!(buf[..], json[..200]);
        let mut held = b"ab".to_vec();
        assert_eq!(whole_counted(&z, &mut held, 100), (Ok(true), 1));
        assert_eq!(held[2..], json[..98]);
        // Four streams are remembered: a fifth replaces the oldest.
        let streams: Vec<Vec<u8>> = (0..5u8).map(|i| zlib(&[i; 300])).collect();
        for s in &streams {
            assert_eq!(whole_counted(s, &mut Vec::new(), 1 << 16).1, 1);
        }
        for (i, s) in streams.iter().enumerate().rev() {
            let mut out = Vec::new();
            let (result, n) = whole_counted(s, &mut out, 1 << 16);
            assert_eq!((result, out), (Ok(false), vec![i as u8; 300]));
            assert_eq!(n, u64::from(i == 0), "stream {i}");
        }
        // A stream larger than those remembered is inflated every time.
        let big: Vec<u8> = (0..40_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let zbig = zlib(&big);
        assert!(zbig.len() > RECENT_INPUT);
        for _ in 0..2 {
            let mut out = Vec::new();
            assert_eq!(whole_counted(&zbig, &mut out, 1 << 16), (Ok(false), 1));
            assert!(out == big);
        }
    }
}
