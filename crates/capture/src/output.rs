//! Where a [`crate::CaptureWriter`]'s bytes go: on as they are, or through a compressor, each
//! set as its own tool sets it by default (so the file is what `gzip`, `zstd` or `lz4` would
//! have made of it, and reads back in tshark as in udpdissect).

use crate::Compression;
use flate2::write::GzEncoder;
use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};
use std::io::{self, Write};

/// `zstd`'s default level.
const ZSTD_LEVEL: i32 = 3;

pub(crate) enum Output<W: Write> {
    Plain(W),
    Gzip(GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
    /// With whether its stream was ended: ending it again would write a second end mark.
    Lz4(Box<FrameEncoder<W>>, bool),
}

impl<W: Write> Output<W> {
    pub(crate) fn new(w: W, compression: Option<Compression>) -> io::Result<Output<W>> {
        Ok(match compression {
            None => Output::Plain(w),
            Some(Compression::Gzip) => Output::Gzip(GzEncoder::new(w, flate2::Compression::default())),
            Some(Compression::Zstd) => {
                let mut e = zstd::stream::write::Encoder::new(w, ZSTD_LEVEL)?;
                e.include_checksum(true)?;
                Output::Zstd(e)
            }
            Some(Compression::Lz4) => {
                // `lz4`'s defaults: independent 4 MiB blocks, a content checksum.
                let info = FrameInfo::new()
                    .block_size(BlockSize::Max4MB)
                    .block_mode(BlockMode::Independent)
                    .content_checksum(true);
                Output::Lz4(Box::new(FrameEncoder::with_frame_info(info, w)), false)
            }
        })
    }

    /// Ends the compressed stream (what its decompressor checks at the end) and flushes the
    /// writer underneath, so that an error writing it (a full disk) is seen here. Once is
    /// enough; again only flushes.
    pub(crate) fn finish(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(_) | Output::Lz4(_, true) => {}
            Output::Gzip(e) => e.try_finish()?,
            Output::Zstd(e) => e.do_finish()?,
            Output::Lz4(e, ended) => {
                e.try_finish().map_err(io::Error::other)?;
                *ended = true;
            }
        }
        self.get_mut().flush()
    }

    fn get_mut(&mut self) -> &mut W {
        match self {
            Output::Plain(w) => w,
            Output::Gzip(e) => e.get_mut(),
            Output::Zstd(e) => e.get_mut(),
            Output::Lz4(e, _) => e.get_mut(),
        }
    }

    /// The writer underneath, as it is.
    pub(crate) fn get_ref(&self) -> &W {
        match self {
            Output::Plain(w) => w,
            Output::Gzip(e) => e.get_ref(),
            Output::Zstd(e) => e.get_ref(),
            Output::Lz4(e, _) => e.get_ref(),
        }
    }

    /// The writer underneath, the compressed stream ended.
    pub(crate) fn into_inner(mut self) -> io::Result<W> {
        self.finish()?;
        Ok(match self {
            Output::Plain(w) => w,
            Output::Gzip(e) => e.finish()?,
            Output::Zstd(e) => e.finish()?,
            Output::Lz4(e, _) => e.into_inner(),
        })
    }
}

/// `bytes` compressed as [`crate::CaptureWriter`] compresses a capture: as `gzip`, `zstd` or
/// `lz4` would by default.
pub fn compress(bytes: &[u8], compression: Compression) -> io::Result<Vec<u8>> {
    let mut out = Output::new(Vec::new(), Some(compression))?;
    out.write_all(bytes)?;
    out.into_inner()
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(w) => w.write(buf),
            Output::Gzip(e) => e.write(buf),
            Output::Zstd(e) => e.write(buf),
            Output::Lz4(e, _) => e.write(buf),
        }
    }

    /// Pushes out what was written so far, as whole compressed blocks a reader of the stream
    /// can decompress (`-l`: a capture written live).
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.flush(),
            Output::Gzip(e) => e.flush(),
            Output::Zstd(e) => e.flush(),
            Output::Lz4(e, _) => e.flush(),
        }
    }
}
