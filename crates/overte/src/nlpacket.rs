//! The NLPacket header (`protocols/overte.md` §2): type, version, the sender's Local ID for
//! sourced types (little-endian) and the HMAC-MD5 slot for verified ones.

use crate::md5::HmacKey;
use crate::types;

pub const HMAC_LEN: usize = 16;

/// One NLPacket header, laid out as the type's sets say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NlHeader {
    pub packet_type: u8,
    pub version: u8,
    pub source_id: Option<u16>,
    pub hmac: Option<[u8; HMAC_LEN]>,
}

impl NlHeader {
    /// Parses the header the way the receiver does: the type decides whether a source ID and a
    /// hash slot follow. `Err` carries the header length the type needs.
    pub fn parse(b: &[u8]) -> Result<NlHeader, usize> {
        let (&packet_type, &version) = match b {
            [t, v, ..] => (t, v),
            _ => return Err(2),
        };
        let need = types::nl_header_len(packet_type);
        if b.len() < need {
            return Err(need);
        }
        let source_id = types::is_sourced(packet_type).then(|| u16::from_le_bytes([b[2], b[3]]));
        let hmac = types::is_verified(packet_type).then(|| {
            let mut h = [0; HMAC_LEN];
            h.copy_from_slice(&b[4..4 + HMAC_LEN]);
            h
        });
        Ok(NlHeader { packet_type, version, source_id, hmac })
    }

    /// Bytes of the header: 2, 4 or 20.
    pub fn size(&self) -> usize {
        2 + self.source_id.map_or(0, |_| 2) + self.hmac.map_or(0, |_| HMAC_LEN)
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.packet_type);
        out.push(self.version);
        if let Some(id) = self.source_id {
            out.extend_from_slice(&id.to_le_bytes());
        }
        if let Some(h) = self.hmac {
            out.extend_from_slice(&h);
        }
    }
}

/// HMAC-MD5 keyed with the connection secret's 16 RFC 4122 bytes, over the datagram's bytes
/// after the hash slot.
pub fn hmac_md5(secret: &[u8; 16], data: &[u8]) -> [u8; HMAC_LEN] {
    HmacKey::new(secret).mac(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udt::tests::hex;
    use proptest::prelude::*;

    #[test]
    fn hmac_vector_captured_from_cpp() {
        let datagram = hex("000000000416550c00000000000000000000000000000000010005cb77e2d264280005cb77e2d292d8");
        let secret: [u8; 16] = hex("96deabc106e3495f8a43932df376ba21").try_into().unwrap();
        let h = NlHeader::parse(&datagram[4..]).unwrap();
        assert_eq!((h.packet_type, h.version, h.source_id, h.hmac), (4, 22, Some(0x0c55), Some([0; 16])));
        assert_eq!(hmac_md5(&secret, &datagram[24..]).to_vec(), hex("7787c7c3a9b4cb667207a1a952cf3c68"));
    }

    #[test]
    fn real_ping_header_with_hmac() {
        let d = hex("020000000312 66e9 338a15d4247f025544b21dd91c6f5f76 02500031d15ecb05000000000000000000"
            .replace(' ', "")
            .as_str());
        let h = NlHeader::parse(&d[4..]).unwrap();
        assert_eq!((h.packet_type, h.version, h.source_id), (3, 18, Some(0xe966)));
        assert_eq!(h.hmac.unwrap().to_vec(), hex("338a15d4247f025544b21dd91c6f5f76"));
        assert_eq!(h.size(), 20);
        assert_eq!(d.len() - 24, 17, "Ping payload: type, timestamp, connection ID");
    }

    #[test]
    fn sizes_by_type_and_truncation() {
        assert_eq!(NlHeader::parse(&[2, 25]).unwrap().size(), 2);
        assert_eq!(NlHeader::parse(&[13, 23, 1, 2]).unwrap().source_id, Some(0x0201));
        assert_eq!(NlHeader::parse(&[3, 18, 1, 2]), Err(20));
        assert_eq!(NlHeader::parse(&[3]), Err(2));
    }

    proptest! {
        #[test]
        fn nl_header_round_trips(t: u8, version: u8, id: u16, hmac: [u8; 16], tail in proptest::collection::vec(any::<u8>(), 0..8)) {
            let h = NlHeader {
                packet_type: t,
                version,
                source_id: types::is_sourced(t).then_some(id),
                hmac: types::is_verified(t).then_some(hmac),
            };
            let mut b = Vec::new();
            h.emit(&mut b);
            prop_assert_eq!(b.len(), types::nl_header_len(t));
            b.extend_from_slice(&tail);
            prop_assert_eq!(NlHeader::parse(&b), Ok(h));
        }
    }
}
