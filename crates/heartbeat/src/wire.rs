//! Wire format (`protocols/heartbeat.md` §B.2): the client sends its UID as a little-endian
//! i64 to UDP 3335; the server answers 16 bytes, the UID (or −2 for a dead session) then
//! eight bytes of zero padding.

use std::ops::Range;

/// The server port, hard-coded in pysrun and FreeSrun's default.
pub const PORT: u16 = 3335;
/// The UID a reply carries when the session is dead ("death ping").
pub const DEAD: i64 = -2;

pub const REQUEST_LEN: usize = 8;
pub const REPLY_LEN: usize = 16;
pub const UID: Range<usize> = 0..8;
pub const PADDING: Range<usize> = 8..16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireError {
    /// Fewer bytes than the message needs: (have, need).
    Short(usize, usize),
}

fn uid(bytes: &[u8]) -> Result<i64, WireError> {
    let b: [u8; 8] = bytes.get(UID).and_then(|s| s.try_into().ok()).ok_or(WireError::Short(bytes.len(), 8))?;
    Ok(i64::from_le_bytes(b))
}

/// Client → server beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub uid: i64,
}

impl Request {
    /// Parses the 8-byte beat; returns the bytes after it (a well-formed beat has none).
    pub fn parse(bytes: &[u8]) -> Result<(Request, &[u8]), WireError> {
        Ok((Request { uid: uid(bytes)? }, &bytes[REQUEST_LEN..]))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.uid.to_le_bytes());
    }
}

/// Server → client answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub uid: i64,
    pub padding: [u8; 8],
}

impl Reply {
    pub fn alive(uid: i64) -> Reply {
        Reply { uid, padding: [0; 8] }
    }

    pub fn dead() -> Reply {
        Reply::alive(DEAD)
    }

    pub fn is_dead(&self) -> bool {
        self.uid == DEAD
    }

    /// Parses the 16-byte reply; returns the bytes after it.
    pub fn parse(bytes: &[u8]) -> Result<(Reply, &[u8]), WireError> {
        let uid = uid(bytes)?;
        let padding = bytes.get(PADDING).ok_or(WireError::Short(bytes.len(), REPLY_LEN))?;
        Ok((Reply { uid, padding: padding.try_into().expect("8-byte range") }, &bytes[REPLY_LEN..]))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.uid.to_le_bytes());
        out.extend_from_slice(&self.padding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use udpdissect_core::testing::hex;

    /// The examples of heartbeat.md §B.2 (UID 1234567890123).
    #[test]
    fn reference_vectors() {
        let req = hex("cb04fb711f010000");
        assert_eq!(Request::parse(&req).unwrap(), (Request { uid: 1_234_567_890_123 }, &[][..]));
        let reply = hex("cb04fb711f0100000000000000000000");
        assert_eq!(Reply::parse(&reply).unwrap().0, Reply::alive(1_234_567_890_123));
        let dead = hex("feffffffffffffff0000000000000000");
        let (d, rest) = Reply::parse(&dead).unwrap();
        assert!(d.is_dead() && rest.is_empty());
        let mut out = Vec::new();
        Request { uid: 1_234_567_890_123 }.emit(&mut out);
        assert_eq!(out, req);
        out.clear();
        Reply::dead().emit(&mut out);
        assert_eq!(out, dead);
    }

    #[test]
    fn short_input_is_an_error_not_a_panic() {
        assert_eq!(Request::parse(&[1, 2, 3]), Err(WireError::Short(3, 8)));
        assert_eq!(Reply::parse(&[0; 12]), Err(WireError::Short(12, 16)));
    }

    proptest::proptest! {
        #[test]
        fn emit_parse_round_trip(uid: i64, padding: [u8; 8]) {
            let reply = Reply { uid, padding };
            let mut out = Vec::new();
            reply.emit(&mut out);
            proptest::prop_assert_eq!(Reply::parse(&out).unwrap(), (reply, &[][..]));
            out.clear();
            Request { uid }.emit(&mut out);
            proptest::prop_assert_eq!(Request::parse(&out).unwrap(), (Request { uid }, &[][..]));
        }
    }
}
