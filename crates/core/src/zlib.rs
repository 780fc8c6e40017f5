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
}

/// [`Inflater::whole`] with a decoder kept per thread.
pub fn inflate_whole(input: &[u8], buf: &mut Vec<u8>, limit: usize) -> Result<bool, Broken> {
    WHOLE.with(|w| w.borrow_mut().get_or_insert_with(Inflater::default).whole(input, buf, limit))
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
}
