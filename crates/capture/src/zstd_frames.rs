//! zstd frames, one after another (skippable frames passed over by libzstd), decoded through
//! libzstd's streaming decoder, whose context outlives the reader.
//!
//! A decoding context holds the frame's window (2 MiB at `zstd`'s default level). The look at
//! a capture's first frames, which decides whether to split the work, decodes with one of its
//! own; freed, its window raised glibc's mmap threshold, and the run's context then took a
//! window of fresh heap pages: both counted in the peak (2.5 MB more on a zstd capture). A
//! dropped reader leaves its context here for the next one, window and all.

use std::io::{self, BufRead, Read};
use std::sync::Mutex;

use zstd::zstd_safe::{get_error_name, DCtx, DParameter, InBuffer, OutBuffer, ResetDirective};

/// The context of the last reader dropped, for the next one to take.
static SPARE: Mutex<Option<DCtx<'static>>> = Mutex::new(None);

/// Reads the decompressed bytes of the zstd frames `inner` holds.
pub(crate) struct ZstdFrames<R> {
    inner: R,
    /// Always there but while the reader is dropped.
    ctx: Option<DCtx<'static>>,
    /// Whether the last frame begun has ended (an input that ends before a frame does was cut
    /// short).
    frame_done: bool,
    /// Whether the input ended, with the frame done or not.
    ended: bool,
}

/// A libzstd error as the `zstd` crate reports it: its name as the message.
fn error(code: usize) -> io::Error {
    io::Error::other(get_error_name(code))
}

impl<R: BufRead> ZstdFrames<R> {
    /// A reader of `inner`'s frames whose windows are at most 2^`window_log_max` bytes.
    pub(crate) fn new(inner: R, window_log_max: u32) -> io::Result<Self> {
        let spare = SPARE.lock().ok().and_then(|mut spare| spare.take());
        let mut ctx = match spare {
            Some(mut ctx) => {
                ctx.reset(ResetDirective::SessionAndParameters).map_err(error)?;
                ctx
            }
            None => DCtx::try_create().ok_or_else(|| io::Error::other("cannot allocate a zstd context"))?,
        };
        ctx.set_parameter(DParameter::WindowLogMax(window_log_max)).map_err(error)?;
        Ok(ZstdFrames { inner, ctx: Some(ctx), frame_done: false, ended: false })
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let Some(ctx) = self.ctx.as_mut() else { return Ok(0) };
        if out.is_empty() || self.ended {
            return Ok(0);
        }
        // What the context still holds decoded comes out first: offered no input, it flushes.
        let mut offer_input = false;
        loop {
            let input = if offer_input { self.inner.fill_buf()? } else { &[][..] };
            if offer_input && input.is_empty() {
                self.ended = true;
                return if self.frame_done {
                    Ok(0)
                } else {
                    Err(io::Error::new(io::ErrorKind::UnexpectedEof, "incomplete frame"))
                };
            }
            if self.frame_done && !input.is_empty() {
                ctx.reset(ResetDirective::SessionOnly).map_err(error)?;
                self.frame_done = false;
            }
            let mut src = InBuffer::around(input);
            let mut dst = OutBuffer::around(&mut *out);
            let hint = ctx.decompress_stream(&mut dst, &mut src).map_err(error)?;
            self.frame_done |= hint == 0;
            let (read, written) = (src.pos(), dst.pos());
            self.inner.consume(read);
            if written > 0 {
                return Ok(written);
            }
            offer_input = true;
        }
    }
}

impl<R> Drop for ZstdFrames<R> {
    fn drop(&mut self) {
        if let (Some(ctx), Ok(mut spare)) = (self.ctx.take(), SPARE.lock()) {
            spare.get_or_insert(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data` compressed as one frame at `level`, with a window of at most 2^`window_log`.
    fn frame(data: &[u8], level: i32, window_log: u32) -> Vec<u8> {
        let mut e = zstd::stream::Encoder::new(Vec::new(), level).unwrap();
        e.window_log(window_log).unwrap();
        io::Write::write_all(&mut e, data).unwrap();
        e.finish().unwrap()
    }

    fn text(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed;
        (0..n)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                // Repeats for the compressor, with noise.
                if i % 7 == 0 {
                    (x >> 56) as u8
                } else {
                    b"udpdissect"[i % 10]
                }
            })
            .collect()
    }

    /// Reads everything, `step` bytes at most per read.
    fn read_all(r: &mut impl Read, step: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0; step];
        loop {
            match r.read(&mut buf)? {
                0 => return Ok(out),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn frames_one_after_another_with_a_skippable_frame_between() {
        let (a, b) = (text(300_000, 1), text(70_000, 2));
        let mut file = frame(&a, 3, 17);
        file.extend_from_slice(&0x184d_2a53_u32.to_le_bytes());
        file.extend_from_slice(&5u32.to_le_bytes());
        file.extend_from_slice(b"skip!");
        file.extend_from_slice(&frame(&b, 19, 20));
        let want = [&a[..], &b[..]].concat();
        for (buffer, step) in [(1, 1 << 20), (7, 13), (4096, 65_536), (1 << 16, 1)] {
            let mut r = ZstdFrames::new(io::BufReader::with_capacity(buffer, &file[..]), 27).unwrap();
            if step == 1 {
                // A byte at a time is slow: the first 100 000 are enough to go through blocks.
                let mut head = vec![0; 100_000];
                for byte in head.chunks_mut(1) {
                    assert_eq!(r.read(byte).unwrap(), 1);
                }
                assert_eq!(head, want[..100_000]);
                continue;
            }
            assert!(read_all(&mut r, step).unwrap() == want, "buffer {buffer}, reads of {step}");
        }
    }

    /// A reader dropped in the middle of a frame leaves its context to the next, which starts
    /// afresh: a new stream from its first byte, and its own window limit.
    #[test]
    fn a_context_handed_on_starts_afresh() {
        let (a, b) = (text(200_000, 3), text(50_000, 4));
        let (fa, fb) = (frame(&a, 3, 20), frame(&b, 3, 20));
        for _ in 0..3 {
            let mut first = ZstdFrames::new(&fa[..], 27).unwrap();
            let mut part = vec![0; 1000];
            first.read_exact(&mut part).unwrap();
            assert_eq!(part, a[..1000]);
            drop(first);
            let mut next = ZstdFrames::new(&fb[..], 27).unwrap();
            assert!(read_all(&mut next, 4096).unwrap() == b);
            drop(next);
            // A 1 MiB window over a limit of 2^19: refused, whichever context reads it.
            let mut small = ZstdFrames::new(&fa[..], 19).unwrap();
            let e = read_all(&mut small, 4096).unwrap_err();
            assert_eq!(e.to_string(), "Frame requires too much memory for decoding");
        }
    }

    #[test]
    fn a_frame_cut_short_or_damaged_is_an_error() {
        let whole = frame(&text(100_000, 5), 3, 20);
        let mut cut = ZstdFrames::new(&whole[..whole.len() - 10], 27).unwrap();
        let e = read_all(&mut cut, 4096).unwrap_err();
        assert_eq!((e.kind(), e.to_string().as_str()), (io::ErrorKind::UnexpectedEof, "incomplete frame"));
        // After the error, the reader has ended.
        assert_eq!(cut.read(&mut [0; 16]).unwrap(), 0);
        let mut bad = whole.clone();
        bad[4] ^= 0xff; // the frame header's descriptor: reserved bit set
        let e = read_all(&mut ZstdFrames::new(&bad[..], 27).unwrap(), 4096).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Other);
        assert!(!e.to_string().is_empty());
    }
}
