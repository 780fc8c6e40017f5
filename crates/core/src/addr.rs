//! An address:port packed for the tables keyed by it (conversations, statistics).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// An address:port in 19 bytes (address, port, family): hashed in one write and smaller than
/// a `SocketAddr` (32 bytes), which matters in tables of a million entries walked at random.
/// Its order is not `SocketAddr`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Addr([u8; 19]);

impl Addr {
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
}
