//! A header written with the wrong sourcing: a sourced type without its source ID (and hash
//! slot), or a non-sourced type with one. Found from the datagram's shape: the header the type
//! needs does not fit, or the payload only has its type's fixed length or anchor when the
//! header is read another way.

use crate::heuristic::anchor;
use crate::payload::fixed_len;
use crate::types;

/// An NL header layout: whether a source ID and a hash slot follow type and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub source_id: bool,
    pub hmac: bool,
}

impl Layout {
    pub fn of(t: u8) -> Layout {
        Layout { source_id: types::is_sourced(t), hmac: types::is_verified(t) }
    }

    pub fn len(self) -> usize {
        2 + if self.source_id { 2 } else { 0 } + if self.hmac { 16 } else { 0 }
    }

    /// The layouts a mistaken sender might have written instead of the type's own.
    pub fn alternatives(t: u8) -> &'static [Layout] {
        const BARE: Layout = Layout { source_id: false, hmac: false };
        const HASH_ONLY: Layout = Layout { source_id: false, hmac: true };
        const ID_ONLY: Layout = Layout { source_id: true, hmac: false };
        const FULL: Layout = Layout { source_id: true, hmac: true };
        match (types::is_sourced(t), types::is_verified(t)) {
            (true, true) => &[BARE, HASH_ONLY],
            (true, false) => &[BARE],
            _ => &[ID_ONLY, FULL],
        }
    }
}

/// A mistaken layout the datagram fits, and whether the type's own layout fits at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mistake {
    pub written: Layout,
    pub own_fits: bool,
}

/// `nl` is the datagram from the NL header on.
pub fn check(t: u8, nl: &[u8]) -> Option<Mistake> {
    let own = Layout::of(t).len();
    let own_fits = nl.len() >= own;
    // DomainList's record layout varies with address families: too weak to judge by.
    let has_shape = t != 2 && (fixed_len(t).is_some() || anchor(t, &[]).is_some());
    if own_fits && (!has_shape || anchor(t, &nl[own..]) != Some(false)) {
        return None;
    }
    Layout::alternatives(t)
        .iter()
        .find(|alt| {
            nl.len() >= alt.len() && if has_shape { anchor(t, &nl[alt.len()..]) == Some(true) } else { !own_fits }
        })
        .map(|&written| Mistake { written, own_fits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nl(t: u8, header: usize, payload: usize) -> Vec<u8> {
        let mut b = vec![t, 0];
        b.resize(header + payload, 0);
        b
    }

    #[test]
    fn ping_without_source_id() {
        // No source ID, no hash: 2 + 17 bytes.
        let m = check(3, &nl(3, 2, 17)).unwrap();
        assert_eq!((m.written, m.own_fits), (Layout { source_id: false, hmac: false }, false));
        // Hash slot but no source ID: 18 + 17 bytes; the real header fits but leaves 15.
        let m = check(3, &nl(3, 18, 17)).unwrap();
        assert_eq!((m.written, m.own_fits), (Layout { source_id: false, hmac: true }, true));
        assert_eq!(check(3, &nl(3, 20, 17)), None);
        // A 9-byte Ping payload is a payload mistake, not a header one.
        assert_eq!(check(3, &nl(3, 20, 9)), None);
    }

    #[test]
    fn connect_request_with_a_source_id() {
        let mut b = vec![31, 27, 0x70, 0x3b];
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&[0, 0, 0, 16]);
        b.extend_from_slice(&[0xeb; 16]);
        let m = check(31, &b).unwrap();
        assert_eq!((m.written, m.own_fits), (Layout { source_id: true, hmac: false }, true));
        let mut good = vec![31, 27];
        good.extend_from_slice(&b[4..]);
        assert_eq!(check(31, &good), None);
    }

    #[test]
    fn variable_types_only_when_the_header_does_not_fit() {
        assert_eq!(check(6, &nl(6, 20, 30)), None);
        assert_eq!(check(6, &nl(6, 2, 10)).unwrap().written, Layout { source_id: false, hmac: false });
        // DomainListRequest: its check-in timestamp (µs, top bytes 00 06 in 2026) says where the
        // payload starts.
        let ts = 1_772_438_400_000_000u64.to_be_bytes();
        let mut with_id = vec![13, 23, 0x5c, 0x9b];
        with_id.extend_from_slice(&ts);
        assert_eq!(check(13, &with_id), None);
        let mut without = vec![13, 23];
        without.extend_from_slice(&ts);
        assert_eq!(check(13, &without).unwrap().written, Layout { source_id: false, hmac: false });
        assert_eq!(check(13, &[13, 23, 1]), None, "too short to judge");
    }
}
