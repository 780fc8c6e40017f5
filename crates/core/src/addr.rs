//! An address:port (or an Ethernet address) packed for the tables keyed by it (conversations,
//! statistics).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The family byte of an Ethernet address (IP addresses have 4 and 6).
const MAC: u8 = 0xee;

/// An address:port in 19 bytes (address, port, family): hashed in one write and smaller than
/// a `SocketAddr` (32 bytes), which matters in tables of a million entries walked at random.
/// Its order is not `SocketAddr`'s.
#[derive(Debug, Clone, Copy)]
pub struct Addr([u8; 19]);

impl Addr {
    /// The bytes as three words, compared and hashed inline: 19 bytes compared as an array
    /// are a call to `memcmp`, made several times per datagram. Big-endian, so the words order
    /// as the bytes do. The last word is read as [`Addr::new`] writes it, port then kind: read
    /// across the two stores, a new key's word could not be forwarded from them, and the load
    /// waited for both to reach the cache (a tenth of the conversation lookup's time).
    #[inline]
    fn words(&self) -> (u64, u64, u32) {
        let b = &self.0;
        let word =
            |i: usize| u64::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
        let port = u16::from_be_bytes([b[16], b[17]]);
        (word(0), word(8), (u32::from(port) << 8) | u32::from(b[18]))
    }

    #[inline]
    pub fn new(a: SocketAddr) -> Addr {
        let mut b = [0u8; 19];
        match a.ip() {
            IpAddr::V4(v4) => {
                b[..4].copy_from_slice(&v4.octets());
                b[18] = 4;
            }
            IpAddr::V6(v6) => {
                b[..16].copy_from_slice(&v6.octets());
                b[18] = 6;
            }
        }
        b[16..18].copy_from_slice(&a.port().to_be_bytes());
        Addr(b)
    }

    /// An Ethernet (MAC) address, for the tables keyed by it; apart from every IP address.
    #[inline]
    pub fn mac(mac: [u8; 6]) -> Addr {
        let mut b = [0u8; 19];
        b[..6].copy_from_slice(&mac);
        b[18] = MAC;
        Addr(b)
    }

    /// The Ethernet address, if this is one.
    pub fn as_mac(&self) -> Option<[u8; 6]> {
        let b = &self.0;
        (b[18] == MAC).then(|| [b[0], b[1], b[2], b[3], b[4], b[5]])
    }

    /// The address:port; meaningless for an Ethernet address ([`Addr::as_mac`]).
    pub fn socket(&self) -> SocketAddr {
        let b = &self.0;
        let port = u16::from_be_bytes([b[16], b[17]]);
        let ip = if b[18] == 4 {
            IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
        } else {
            let mut v6 = [0u8; 16];
            v6.copy_from_slice(&b[..16]);
            IpAddr::V6(Ipv6Addr::from(v6))
        };
        SocketAddr::new(ip, port)
    }
}

impl PartialEq for Addr {
    #[inline]
    fn eq(&self, other: &Addr) -> bool {
        self.words() == other.words()
    }
}

impl Eq for Addr {}

impl PartialOrd for Addr {
    #[inline]
    fn partial_cmp(&self, other: &Addr) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Addr {
    #[inline]
    fn cmp(&self, other: &Addr) -> std::cmp::Ordering {
        self.words().cmp(&other.words())
    }
}

impl std::hash::Hash for Addr {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let (a, b, c) = self.words();
        state.write_u64(a);
        state.write_u64(b);
        state.write_u32(c);
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
                assert_eq!(a.cmp(b), a.0.cmp(&b.0), "{a:?} {b:?}");
                assert_eq!(a == b, a.0 == b.0);
            }
        }
    }
}
