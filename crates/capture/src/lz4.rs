//! LZ4 frames (the format the `lz4` tool writes), one after another, with skippable frames
//! between them passed over, decoded a block at a time.
//!
//! The buffers are sized by the frame's own largest block: one compressed block, one decoded
//! block and, for linked blocks, the 64 KiB of output before it (kept in up to 128 KiB).
//! `lz4_flex`'s frame decoder keeps twice the block size decoded for linked blocks, 4 MiB more
//! on a capture compressed with `lz4 -BD`, which took the summary's peak memory to its 50 MB
//! target.

use std::io::{self, Read};
use std::sync::Mutex;

use crate::input::read_full;
use lz4_flex::block::{decompress_into, decompress_into_with_dict};
use twox_hash::XxHash32;

/// The magic number that opens an LZ4 frame.
const MAGIC: [u8; 4] = [0x04, 0x22, 0x4d, 0x18];
/// How far back a linked block may copy from.
const WINDOW: usize = 64 * 1024;

/// The buffers of decoders dropped, for the next one to take. The look at a capture's first
/// frames, which decides whether to split the work, decodes its first block too. Once its
/// buffers were freed, glibc served the run's buffers of that size from a heap it zeroes,
/// every page touched: both sets counted in the peak (4 MB more on an LZ4 capture split over
/// two threads).
static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// A buffer of `len` bytes (of any content): a spare one when there is one.
fn buffer(mut held: Vec<u8>, len: usize) -> Vec<u8> {
    if held.capacity() == 0 {
        held = SPARE.lock().ok().and_then(|mut spare| spare.pop()).unwrap_or_default();
    }
    if held.len() < len {
        // Zeroed on allocation: the pages a smaller block never writes are never touched.
        held = vec![0; len];
    }
    held
}

/// Magic numbers of LZ4 (and zstd) skippable frames: 0x184D2A50 to 0x184D2A5F.
pub(crate) fn skippable(magic: &[u8]) -> bool {
    matches!(magic, [0x50..=0x5f, 0x2a, 0x4d, 0x18])
}

/// The frame being decoded, as its header describes it.
struct Frame {
    /// Blocks may copy from the blocks before them.
    linked: bool,
    /// Each block is followed by its checksum.
    block_checksums: bool,
    /// The frame ends with a checksum of its content, computed as it is decoded.
    content: Option<XxHash32>,
    /// The content's size, when the header gives it.
    size: Option<u64>,
    /// Bytes decoded so far.
    decoded: u64,
    /// The largest block, decoded or not.
    max_block: usize,
}

/// LZ4 frames over `R`, read as one stream.
pub(crate) struct Lz4Frames<R> {
    input: R,
    /// `None` between frames.
    frame: Option<Frame>,
    /// The input ended after a whole frame: every read from now on gives nothing.
    ended: bool,
    /// The compressed block being decoded.
    src: Vec<u8>,
    /// The decoded block, whole: `out[pos..len]` is still to be read.
    out: Vec<u8>,
    pos: usize,
    len: usize,
    /// For linked blocks, the frame's output before `out`: its last 64 KiB at least, up to
    /// twice that.
    window: Vec<u8>,
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

fn cut_short() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "the input ends inside a frame")
}

/// Fills `buf` from inside a frame.
fn exact(input: &mut impl Read, buf: &mut [u8]) -> io::Result<()> {
    if read_full(input, buf)? < buf.len() {
        return Err(cut_short());
    }
    Ok(())
}

fn read_word(input: &mut impl Read) -> io::Result<u32> {
    let mut w = [0u8; 4];
    exact(input, &mut w)?;
    Ok(u32::from_le_bytes(w))
}

/// Reads up to the next frame's blocks, passing skippable frames over; `None` at the end of
/// the input.
fn next_frame(input: &mut impl Read) -> io::Result<Option<Frame>> {
    loop {
        let mut magic = [0u8; 4];
        match read_full(input, &mut magic)? {
            0 => return Ok(None),
            4 => {}
            _ => return Err(cut_short()),
        }
        if magic == MAGIC {
            return descriptor(input).map(Some);
        }
        if !skippable(&magic) {
            return Err(invalid("bytes after a frame are not another frame"));
        }
        let cut = || io::Error::new(io::ErrorKind::UnexpectedEof, "a skippable frame is cut short");
        let mut size = [0u8; 4];
        if read_full(input, &mut size)? < 4 {
            return Err(cut());
        }
        let size = u64::from(u32::from_le_bytes(size));
        if io::copy(&mut input.take(size), &mut io::sink())? < size {
            return Err(cut());
        }
    }
}

/// The frame descriptor after the magic number.
fn descriptor(input: &mut impl Read) -> io::Result<Frame> {
    // FLG and BD, the content size and the dictionary id when present, and the checksum.
    let mut d = [0u8; 15];
    exact(input, &mut d[..2])?;
    let (flg, bd) = (d[0], d[1]);
    let version = flg >> 6;
    if version != 1 {
        return Err(invalid(format!("frame format version {version}, where 1 is the only one")));
    }
    if flg & 0x02 != 0 || bd & 0x8f != 0 {
        return Err(invalid("reserved bits are set in the frame header"));
    }
    let has_size = flg & 0x08 != 0;
    let has_dictionary = flg & 0x01 != 0;
    let end = 2 + 8 * usize::from(has_size) + 4 * usize::from(has_dictionary);
    exact(input, &mut d[2..end + 1])?;
    if (XxHash32::oneshot(0, &d[..end]) >> 8) as u8 != d[end] {
        return Err(invalid("the frame header checksum does not match"));
    }
    if has_dictionary {
        return Err(io::Error::other("the frame needs a dictionary, which a capture cannot name"));
    }
    let max_block = match bd >> 4 {
        4 => 64 << 10,
        5 => 256 << 10,
        6 => 1 << 20,
        7 => 4 << 20,
        code => return Err(invalid(format!("unknown block size code {code}"))),
    };
    let mut size = [0u8; 8];
    size.copy_from_slice(&d[2..10]);
    Ok(Frame {
        linked: flg & 0x20 == 0,
        block_checksums: flg & 0x10 != 0,
        content: (flg & 0x04 != 0).then(|| XxHash32::with_seed(0)),
        size: has_size.then_some(u64::from_le_bytes(size)),
        decoded: 0,
        max_block,
    })
}

/// The end mark read: the content checksum and size checked.
fn end_frame(input: &mut impl Read, frame: Frame) -> io::Result<()> {
    if let Some(content) = frame.content {
        if read_word(input)? != content.finish_32() {
            return Err(invalid("the content checksum does not match"));
        }
    }
    match frame.size {
        Some(expected) if expected != frame.decoded => {
            Err(invalid(format!("the frame says it holds {expected} bytes and holds {}", frame.decoded)))
        }
        _ => Ok(()),
    }
}

impl<R: Read> Lz4Frames<R> {
    pub(crate) fn new(input: R) -> Lz4Frames<R> {
        Lz4Frames {
            input,
            frame: None,
            ended: false,
            src: Vec::new(),
            out: Vec::new(),
            pos: 0,
            len: 0,
            window: Vec::new(),
        }
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.input
    }

    /// Decodes the next block with data into `out`; false at the end of the input.
    fn next_block(&mut self) -> io::Result<bool> {
        loop {
            let frame = match self.frame.as_mut() {
                Some(frame) => frame,
                None if self.ended => return Ok(false),
                None => match next_frame(&mut self.input)? {
                    Some(frame) => {
                        self.window.clear();
                        self.frame.insert(frame)
                    }
                    None => {
                        self.ended = true;
                        return Ok(false);
                    }
                },
            };
            let word = read_word(&mut self.input)?;
            if word == 0 {
                if let Some(frame) = self.frame.take() {
                    end_frame(&mut self.input, frame)?;
                }
                continue;
            }
            let size = (word & 0x7fff_ffff) as usize;
            if size > frame.max_block {
                return Err(invalid("a block is larger than its frame allows"));
            }
            if self.out.len() < frame.max_block {
                self.out = buffer(std::mem::take(&mut self.out), frame.max_block);
            }
            let stored = word & 0x8000_0000 != 0;
            if !stored && self.src.len() < size {
                self.src = buffer(std::mem::take(&mut self.src), frame.max_block);
            }
            let block = if stored { &mut self.out[..size] } else { &mut self.src[..size] };
            exact(&mut self.input, block)?;
            if frame.block_checksums && XxHash32::oneshot(0, block) != read_word(&mut self.input)? {
                return Err(invalid("a block checksum does not match"));
            }
            let n = if stored {
                size
            } else {
                let (src, out) = (&self.src[..size], &mut self.out[..frame.max_block]);
                let decoded = if frame.linked {
                    decompress_into_with_dict(src, out, &self.window[self.window.len().saturating_sub(WINDOW)..])
                } else {
                    decompress_into(src, out)
                };
                decoded.map_err(|d| invalid(format!("a block does not decompress: {d}")))?
            };
            let decoded = &self.out[..n];
            if frame.linked {
                if n >= WINDOW {
                    self.window.clear();
                    self.window.extend_from_slice(&decoded[n - WINDOW..]);
                } else {
                    // Cut back to its last 64 KiB only once it holds twice that: each byte is
                    // moved once at most, however small the blocks (a 64 KiB move per block of
                    // a few bytes would make a hostile capture thousands of times slower).
                    self.window.extend_from_slice(decoded);
                    if self.window.len() > 2 * WINDOW {
                        self.window.drain(..self.window.len() - WINDOW);
                    }
                }
            }
            frame.decoded += n as u64;
            if let Some(content) = frame.content.as_mut() {
                std::hash::Hasher::write(content, decoded);
            }
            (self.pos, self.len) = (0, n);
            if n > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for Lz4Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.pos == self.len && !self.next_block()? {
            return Ok(0);
        }
        let n = (self.len - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl<R> Drop for Lz4Frames<R> {
    fn drop(&mut self) {
        if let Ok(mut spare) = SPARE.lock() {
            for held in [std::mem::take(&mut self.src), std::mem::take(&mut self.out)] {
                if held.capacity() > 0 && spare.len() < 2 {
                    spare.push(held);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lz4_flex::block::{compress, compress_with_dict};
    use lz4_flex::frame::{BlockMode, BlockSize, FrameEncoder, FrameInfo};

    /// A frame header: the magic, FLG and BD, the content size when given, and its checksum.
    fn header(flg: u8, bd: u8, size: Option<u64>) -> Vec<u8> {
        let mut d = vec![flg | if size.is_some() { 0x08 } else { 0 }, bd];
        if let Some(size) = size {
            d.extend_from_slice(&size.to_le_bytes());
        }
        d.push((XxHash32::oneshot(0, &d) >> 8) as u8);
        [&MAGIC[..], &d].concat()
    }

    /// Linked blocks (FLG 0x40) of at most 64 KiB (BD 0x40), no checksums.
    const LINKED: u8 = 0x40;
    /// Independent blocks (FLG 0x60).
    const INDEPENDENT: u8 = 0x60;
    const MAX_64K: u8 = 0x40;
    const MAX_256K: u8 = 0x50;

    fn stored(data: &[u8]) -> Vec<u8> {
        [&(data.len() as u32 | 0x8000_0000).to_le_bytes()[..], data].concat()
    }

    fn compressed(block: &[u8]) -> Vec<u8> {
        [&(block.len() as u32).to_le_bytes()[..], block].concat()
    }

    fn decode(frames: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Lz4Frames::new(frames).read_to_end(&mut out).map(|_| out)
    }

    fn error(frames: &[u8]) -> String {
        decode(frames).expect_err("a damaged frame").to_string()
    }

    /// Bytes that do not repeat within a few KiB, so that a block copying them must find them
    /// in an earlier block.
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect()
    }

    #[test]
    fn a_linked_block_copies_from_the_last_64_kib_of_the_blocks_before_it() {
        // Two stored blocks of 40 000 bytes, then one that repeats the last 60 000 bytes of
        // both: its copies reach into the first block, across the second.
        let (a, b) = (noise(40_000, 1), noise(40_000, 2));
        let before = [a.clone(), b.clone()].concat();
        let repeat = &before[before.len() - 60_000..];
        let third = compress_with_dict(repeat, &before[before.len() - WINDOW..]);
        assert!(third.len() < 1_000, "the third block copies ({} bytes)", third.len());
        let body = [stored(&a), stored(&b), compressed(&third), vec![0; 4]].concat();
        let linked = [header(LINKED, MAX_64K, None), body.clone()].concat();
        assert_eq!(decode(&linked).unwrap(), [&before[..], repeat].concat());
        // Independent blocks may not copy from each other.
        let independent = [header(INDEPENDENT, MAX_64K, None), body].concat();
        assert!(error(&independent).starts_with("a block does not decompress: "), "{}", error(&independent));
    }

    /// A block that copies `len` bytes from `distance` back, then ends with five literals.
    fn copy(distance: u16, len: usize) -> Vec<u8> {
        let mut block = vec![0x0f];
        block.extend_from_slice(&distance.to_le_bytes());
        let mut more = len - 4 - 15;
        while more >= 255 {
            block.push(255);
            more -= 255;
        }
        block.push(more as u8);
        block.extend_from_slice(b"\x50tail!");
        block
    }

    #[test]
    fn the_window_keeps_the_last_64_kib_whatever_the_blocks_sizes() {
        // Stored blocks of 1 000 bytes make the window of many, its oldest dropped as it fills;
        // then one of 100 000 bytes is a window by itself, its last 64 KiB; then blocks copy
        // from the farthest a copy reaches (65 535 bytes back), the second partly from the first.
        let data = noise(200_000, 3);
        let mut frame = header(LINKED, MAX_256K, None);
        for block in data[..100_000].chunks(1_000) {
            frame.extend(stored(block));
        }
        frame.extend(stored(&data[100_000..]));
        let mut expected = data.clone();
        for len in [1_000, 64_000] {
            frame.extend(compressed(&copy(65_535, len)));
            for _ in 0..len {
                expected.push(expected[expected.len() - 65_535]);
            }
            expected.extend_from_slice(b"tail!");
        }
        frame.extend([0; 4]);
        assert!(decode(&frame).unwrap() == expected);
    }

    #[test]
    fn frames_as_the_lz4_tool_writes_them_read_whole_in_reads_of_any_size() {
        let data = [noise(150_000, 4), noise(150_000, 4), b"end".to_vec()].concat();
        for (mode, checksums) in [(BlockMode::Linked, true), (BlockMode::Independent, false)] {
            let info = FrameInfo::new()
                .block_size(BlockSize::Max64KB)
                .block_mode(mode)
                .block_checksums(checksums)
                .content_checksum(checksums)
                .content_size(Some(data.len() as u64));
            let mut e = FrameEncoder::with_frame_info(info, Vec::new());
            io::Write::write_all(&mut e, &data).unwrap();
            let frame = e.finish().unwrap();
            // Two frames with a skippable frame between them read as one stream.
            let skip = [&[0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0][..], b"abc"].concat();
            let both = [frame.clone(), skip, frame].concat();
            let mut frames = Lz4Frames::new(&both[..]);
            let (mut out, mut size) = (Vec::new(), 1);
            loop {
                let mut buf = vec![0; size];
                let n = frames.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
                size = size % 9_000 + 1_733;
            }
            assert!(out == [&data[..], &data].concat(), "{mode:?}");
            assert_eq!(frames.read(&mut [0; 8]).unwrap(), 0, "nothing after the end");
        }
    }

    #[test]
    fn damage_is_named() {
        let block = compress(b"a block a block a block a block");
        let good = [header(INDEPENDENT, MAX_64K, None), compressed(&block), vec![0; 4]].concat();
        assert_eq!(decode(&good).unwrap(), b"a block a block a block a block");
        let with_checksum = |flg: u8, tail: &[u8]| {
            let mut f = [header(flg, MAX_64K, None), compressed(&block)].concat();
            f.extend_from_slice(tail);
            f
        };
        let sum = XxHash32::oneshot(0, &block).to_le_bytes();
        let content = XxHash32::oneshot(0, b"a block a block a block a block").to_le_bytes();
        let mut bad_header_sum = good.clone();
        bad_header_sum[6] ^= 1;
        let mut bad_block = good.clone();
        bad_block[11] = 0xff;
        let linked_frame = |block: Vec<u8>| [header(LINKED, MAX_64K, None), block, vec![0; 4]].concat();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (with_checksum(INDEPENDENT | 0x10, &[sum, [0; 4]].concat()), ""),
            (with_checksum(INDEPENDENT | 0x10, &[[0; 4], [0; 4]].concat()), "a block checksum does not match"),
            (with_checksum(INDEPENDENT | 0x04, &[[0; 4], content].concat()), ""),
            (with_checksum(INDEPENDENT | 0x04, &[0; 8]), "the content checksum does not match"),
            (bad_header_sum, "the frame header checksum does not match"),
            (header(0xa0, MAX_64K, None), "frame format version 2, where 1 is the only one"),
            (header(INDEPENDENT | 0x02, MAX_64K, None), "reserved bits are set in the frame header"),
            (header(INDEPENDENT, MAX_64K | 0x01, None), "reserved bits are set in the frame header"),
            (header(INDEPENDENT, 0x30, None), "unknown block size code 3"),
            (
                [header(INDEPENDENT | 0x01, MAX_64K, None), vec![0; 4]].concat(),
                "the frame header checksum does not match",
            ),
            (
                [header(INDEPENDENT, MAX_64K, Some(7)), compressed(&block), vec![0; 4]].concat(),
                "the frame says it holds 7 bytes and holds 31",
            ),
            (
                [header(INDEPENDENT, MAX_64K, None), (65_537u32 | 0x8000_0000).to_le_bytes().to_vec()].concat(),
                "a block is larger than its frame allows",
            ),
            (bad_block, "a block does not decompress: "),
            (good[..good.len() - 2].to_vec(), "the input ends inside a frame"),
            (good[..good.len() - 4].to_vec(), "the input ends inside a frame"),
            (good[..5].to_vec(), "the input ends inside a frame"),
            ([&good[..], &MAGIC[..2]].concat(), "the input ends inside a frame"),
            ([&good[..], b"pcap"].concat(), "bytes after a frame are not another frame"),
            // A frame's first block has nothing before it to copy from, even in linked mode.
            (
                [linked_frame(stored(&[7; 20])), linked_frame(compressed(&copy(10, 20)))].concat(),
                "a block does not decompress: ",
            ),
            ([&good[..], &[0x50, 0x2a, 0x4d, 0x18, 9, 0, 0, 0, 1]].concat(), "a skippable frame is cut short"),
            ([&good[..], &[0x50, 0x2a, 0x4d, 0x18, 9]].concat(), "a skippable frame is cut short"),
        ];
        for (frames, said) in cases {
            match decode(&frames) {
                Ok(_) => assert_eq!(said, "", "{frames:02x?} decodes"),
                Err(e) => {
                    assert!(!said.is_empty() && e.to_string().starts_with(said), "{frames:02x?}: {e}, not {said}")
                }
            }
        }
        // A dictionary id, with its header checksum right: a capture has no way to name one.
        let mut d = vec![INDEPENDENT | 0x01, MAX_64K, 1, 2, 3, 4];
        d.push((XxHash32::oneshot(0, &d) >> 8) as u8);
        let e = error(&[&MAGIC[..], &d].concat());
        assert_eq!(e, "the frame needs a dictionary, which a capture cannot name");
    }
}
