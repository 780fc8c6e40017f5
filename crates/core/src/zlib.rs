//! Inflating one whole zlib stream into a bounded buffer, for the dissectors that show what a
//! packet carries compressed (Overte's system info, packed Kad).

use flate2::{Decompress, FlushDecompress, Status};

/// Why a stream did not inflate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// The bytes are not a zlib stream: the decoder's words.
    Corrupt(String),
    /// The input ran out before the stream's end.
    EndsEarly,
}

/// Inflates the zlib stream `input` into `buf`, at most `limit` bytes; `Ok(true)` when the limit
/// cut it. A chunk at a time through a small buffer: the zlib backend zeroes all the room it is
/// given first, so handing it `limit` bytes would zero them for every packet.
pub fn inflate_whole(input: &[u8], buf: &mut Vec<u8>, limit: usize) -> Result<bool, Broken> {
    let mut d = Decompress::new(true);
    let mut chunk = [0u8; 4096];
    loop {
        let (in0, out0) = (d.total_in(), d.total_out());
        let rest = input.get(in0 as usize..).unwrap_or(&[]);
        let result = d.decompress(rest, &mut chunk, FlushDecompress::Finish);
        // What came out before a corrupt spot is kept: it is shown.
        let produced = (d.total_out() - out0) as usize;
        let room = limit.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..produced.min(room)]);
        let status = result.map_err(|e| Broken::Corrupt(e.to_string()))?;
        if produced > room || (buf.len() == limit && status != Status::StreamEnd) {
            return Ok(true);
        }
        match status {
            Status::StreamEnd => return Ok(false),
            _ if d.total_in() == in0 && produced == 0 => return Err(Broken::EndsEarly),
            _ => {}
        }
    }
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
    }
}
