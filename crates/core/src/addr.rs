//! An address:port (or an Ethernet address) packed for the tables keyed by it (conversations,
//! statistics).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The family byte of an Ethernet address (IP addresses have 4 and 6).
const MAC: u8 = 0xee;

/// An address:port in 20 bytes (address, port, family), kept as the three big-endian words
/// it is compared and hashed by: smaller than a `SocketAddr` (32 bytes), which matters in
/// tables of a million entries walked at random, and hashed in three writes. Packed, so that
/// keys of two or three stay small; the words are read whole (unaligned loads), never
/// rebuilt from bytes. Its order is not `SocketAddr`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(C, packed)]
pub struct Addr {
    /// Address bytes 0-7 and 8-15, big-endian, so the words order as the bytes do.
    hi: u64,
    lo: u64,
    /// The port, then the family byte (4, 6 or [`MAC`]).
    tail: u32,
}

impl Addr {
    #[inline]
    pub fn new(a: SocketAddr) -> Addr {
        let (hi, lo, family) = match a.ip() {
            IpAddr::V4(v4) => (u64::from(v4.to_bits()) << 32, 0, 4),
            IpAddr::V6(v6) => {
                let bits = v6.to_bits();
                ((bits >> 64) as u64, bits as u64, 6)
            }
        };
        Addr { hi, lo, tail: (u32::from(a.port()) << 8) | family }
    }

    /// An Ethernet (MAC) address, for the tables keyed by it; apart from every IP address.
    #[inline]
    pub fn mac(mac: [u8; 6]) -> Addr {
        let [a, b, c, d, e, f] = mac;
        Addr { hi: u64::from_be_bytes([a, b, c, d, e, f, 0, 0]), lo: 0, tail: u32::from(MAC) }
    }

    /// The Ethernet address, if this is one.
    pub fn as_mac(&self) -> Option<[u8; 6]> {
        let (hi, tail) = (self.hi, self.tail);
        let [a, b, c, d, e, f, _, _] = hi.to_be_bytes();
        (tail as u8 == MAC).then_some([a, b, c, d, e, f])
    }

    /// The address:port; meaningless for an Ethernet address ([`Addr::as_mac`]).
    pub fn socket(&self) -> SocketAddr {
        let (hi, lo, tail) = (self.hi, self.lo, self.tail);
        let port = (tail >> 8) as u16;
        let ip = if tail as u8 == 4 {
            IpAddr::V4(Ipv4Addr::from_bits((hi >> 32) as u32))
        } else {
            IpAddr::V6(Ipv6Addr::from_bits((u128::from(hi) << 64) | u128::from(lo)))
        };
        SocketAddr::new(ip, port)
    }

    /// The 19 bytes it stands for (address, port, family), in order.
    #[cfg(test)]
    fn bytes(&self) -> [u8; 19] {
        let (hi, lo, tail) = (self.hi, self.lo, self.tail);
        let mut b = [0u8; 19];
        b[..8].copy_from_slice(&hi.to_be_bytes());
        b[8..16].copy_from_slice(&lo.to_be_bytes());
        b[16..].copy_from_slice(&tail.to_be_bytes()[1..]);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["10.20.30.40:3335", "0.0.0.0:0", "[2001:db8::1]:53", "[::ffff:10.0.0.1]:65535"] {
            let a: SocketAddr = s.parse().unwrap();
            assert_eq!(Addr::new(a).socket(), a);
        }
        // An IPv4 address and its IPv4-mapped IPv6 form stay apart.
        let v4: SocketAddr = "10.0.0.1:1".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:10.0.0.1]:1".parse().unwrap();
        assert_ne!(Addr::new(v4), Addr::new(mapped));
    }

    #[test]
    fn an_ethernet_address_is_kept_apart_from_ip_ones() {
        let mac = [0x02, 0x42, 0xc0, 0x00, 0x02, 0x64];
        let a = Addr::mac(mac);
        assert_eq!(a.as_mac(), Some(mac));
        assert_eq!(Addr::new("10.0.0.1:1".parse().unwrap()).as_mac(), None);
        // The same bytes as an IPv4 address and port stay a different key.
        assert_ne!(a, Addr::new("2.66.192.0:612".parse().unwrap()));
        assert!(Addr::mac([0; 6]) < a);
    }

    #[test]
    fn orders_as_its_bytes() {
        let all: Vec<Addr> =
            ["10.0.0.1:1", "10.0.0.1:2", "10.0.0.2:1", "9.255.255.255:65535", "[2001:db8::1]:53", "[::1]:9"]
                .iter()
                .map(|s| Addr::new(s.parse().unwrap()))
                .collect();
        for a in &all {
            for b in &all {
                assert_eq!(a.cmp(b), a.bytes().cmp(&b.bytes()), "{a:?} {b:?}");
                assert_eq!(a == b, a.bytes() == b.bytes());
            }
        }
    }
}
