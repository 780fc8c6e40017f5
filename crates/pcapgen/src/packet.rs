//! IPv4/IPv6 packet builders: UDP, TCP, ICMP errors and fragmentation.
//!
//! All functions return complete IP packets (no link-layer header) with
//! correct header and transport checksums unless a builder is told otherwise.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

/// IP protocol number of ICMP.
pub const PROTO_ICMP: u8 = 1;
/// IP protocol number of TCP.
pub const PROTO_TCP: u8 = 6;
/// IP protocol number of UDP.
pub const PROTO_UDP: u8 = 17;
/// IPv6 next-header value of the Fragment extension header.
pub const PROTO_IPV6_FRAG: u8 = 44;
/// IP protocol number of ICMPv6.
pub const PROTO_ICMPV6: u8 = 58;

/// TCP FIN flag.
pub const TCP_FIN: u8 = 0x01;
/// TCP SYN flag.
pub const TCP_SYN: u8 = 0x02;
/// TCP RST flag.
pub const TCP_RST: u8 = 0x04;
/// TCP PSH flag.
pub const TCP_PSH: u8 = 0x08;
/// TCP ACK flag.
pub const TCP_ACK: u8 = 0x10;

/// Ones'-complement sum of 16-bit big-endian words (odd tail zero-padded),
/// added to `acc` without folding.
fn sum16(data: &[u8], mut acc: u64) -> u64 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        acc += u64::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = chunks.remainder() {
        acc += u64::from(*last) << 8;
    }
    acc
}

fn fold(mut acc: u64) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// The Internet checksum (RFC 1071) of `data`.
pub fn checksum(data: &[u8]) -> u16 {
    fold(sum16(data, 0))
}

/// Checksum of a transport segment over the IPv4 pseudo-header.
pub fn checksum4(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, segment: &[u8]) -> u16 {
    let mut acc = sum16(&src.octets(), 0);
    acc = sum16(&dst.octets(), acc);
    acc += u64::from(protocol) + segment.len() as u64;
    fold(sum16(segment, acc))
}

/// Checksum of a transport segment over the IPv6 pseudo-header.
pub fn checksum6(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, segment: &[u8]) -> u16 {
    let mut acc = sum16(&src.octets(), 0);
    acc = sum16(&dst.octets(), acc);
    acc += u64::from(next_header) + segment.len() as u64;
    fold(sum16(segment, acc))
}

/// IPv4 header fields settable by the builders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Opts {
    /// Identification (default 1).
    pub id: u16,
    /// Time to live (default 64).
    pub ttl: u8,
    /// Don't Fragment flag (default clear).
    pub df: bool,
}

impl Default for Ipv4Opts {
    fn default() -> Self {
        Ipv4Opts { id: 1, ttl: 64, df: false }
    }
}

/// Builds an IPv4 packet (IHL 5) around `payload` with a correct header
/// checksum.
pub fn ipv4_with(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, opts: Ipv4Opts, payload: &[u8]) -> Vec<u8> {
    let total = 20 + payload.len();
    assert!(total <= 0xffff, "IPv4 packet too long: {total}");
    let mut p = Vec::with_capacity(total);
    p.extend_from_slice(&[0x45, 0]);
    p.extend_from_slice(&(total as u16).to_be_bytes());
    p.extend_from_slice(&opts.id.to_be_bytes());
    p.extend_from_slice(&(if opts.df { 0x4000u16 } else { 0 }).to_be_bytes());
    p.extend_from_slice(&[opts.ttl, protocol, 0, 0]);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    let c = checksum(&p);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(payload);
    p
}

/// Builds an IPv4 packet with default [`Ipv4Opts`] (id 1, TTL 64, DF clear).
pub fn ipv4(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, payload: &[u8]) -> Vec<u8> {
    ipv4_with(src, dst, protocol, Ipv4Opts::default(), payload)
}

/// Builds an IPv6 packet (traffic class and flow label 0) with the given
/// hop limit.
pub fn ipv6_with(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, hop_limit: u8, payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() <= 0xffff, "IPv6 payload too long");
    let mut p = Vec::with_capacity(40 + payload.len());
    p.extend_from_slice(&[0x60, 0, 0, 0]);
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.extend_from_slice(&[next_header, hop_limit]);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    p.extend_from_slice(payload);
    p
}

/// Builds an IPv6 packet with hop limit 64.
pub fn ipv6(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, payload: &[u8]) -> Vec<u8> {
    ipv6_with(src, dst, next_header, 64, payload)
}

/// Builder for an IPv4/UDP or IPv6/UDP packet with adjustable fields.
///
/// ```
/// use udpdissect_pcapgen::packet::Udp;
/// let p = Udp::v4("10.0.0.1:1".parse().unwrap(), "10.0.0.2:2".parse().unwrap())
///     .id(7)
///     .ttl(3)
///     .udp_len(100) // lie in the UDP length field
///     .build(b"abc");
/// assert_eq!(&p[24..26], &100u16.to_be_bytes());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Udp {
    src: std::net::SocketAddr,
    dst: std::net::SocketAddr,
    ip: Ipv4Opts,
    udp_len: Option<u16>,
    zero_checksum: bool,
}

impl Udp {
    /// IPv4 source and destination.
    pub fn v4(src: SocketAddrV4, dst: SocketAddrV4) -> Self {
        Self::new(src.into(), dst.into())
    }

    /// IPv6 source and destination.
    pub fn v6(src: SocketAddrV6, dst: SocketAddrV6) -> Self {
        Self::new(src.into(), dst.into())
    }

    fn new(src: std::net::SocketAddr, dst: std::net::SocketAddr) -> Self {
        Udp { src, dst, ip: Ipv4Opts::default(), udp_len: None, zero_checksum: false }
    }

    /// Sets the IPv4 identification (ignored for IPv6).
    pub fn id(mut self, id: u16) -> Self {
        self.ip.id = id;
        self
    }

    /// Sets the IPv4 TTL or IPv6 hop limit.
    pub fn ttl(mut self, ttl: u8) -> Self {
        self.ip.ttl = ttl;
        self
    }

    /// Sets the IPv4 Don't Fragment flag (ignored for IPv6).
    pub fn df(mut self, df: bool) -> Self {
        self.ip.df = df;
        self
    }

    /// Writes `len` in the UDP length field instead of the real length (the
    /// checksum is still computed over the real datagram, so it is wrong
    /// too unless `len` is the real length).
    pub fn udp_len(mut self, len: u16) -> Self {
        self.udp_len = Some(len);
        self
    }

    /// Writes a UDP checksum of 0 ("none"; invalid for IPv6).
    pub fn zero_checksum(mut self) -> Self {
        self.zero_checksum = true;
        self
    }

    /// Builds the IP packet carrying `payload`.
    pub fn build(&self, payload: &[u8]) -> Vec<u8> {
        let real_len = 8 + payload.len();
        assert!(real_len <= 0xffff, "UDP datagram too long: {real_len}");
        let mut u = Vec::with_capacity(real_len);
        u.extend_from_slice(&self.src.port().to_be_bytes());
        u.extend_from_slice(&self.dst.port().to_be_bytes());
        u.extend_from_slice(&(real_len as u16).to_be_bytes());
        u.extend_from_slice(&[0, 0]);
        u.extend_from_slice(payload);
        use std::net::IpAddr::{V4, V6};
        let c = match (self.src.ip(), self.dst.ip()) {
            (V4(s), V4(d)) => checksum4(s, d, PROTO_UDP, &u),
            (V6(s), V6(d)) => checksum6(s, d, PROTO_UDP, &u),
            _ => unreachable!("constructors keep both addresses in one family"),
        };
        let c = if self.zero_checksum {
            0
        } else if c == 0 {
            0xffff
        } else {
            c
        };
        u[6..8].copy_from_slice(&c.to_be_bytes());
        if let Some(l) = self.udp_len {
            u[4..6].copy_from_slice(&l.to_be_bytes());
        }
        match (self.src.ip(), self.dst.ip()) {
            (V4(s), V4(d)) => ipv4_with(s, d, PROTO_UDP, self.ip, &u),
            (V6(s), V6(d)) => ipv6_with(s, d, PROTO_UDP, self.ip.ttl, &u),
            _ => unreachable!(),
        }
    }
}

/// An IPv4/UDP packet (id 1, TTL 64, DF clear) with correct checksums.
pub fn udp4(src: SocketAddrV4, dst: SocketAddrV4, payload: &[u8]) -> Vec<u8> {
    Udp::v4(src, dst).build(payload)
}

/// An IPv6/UDP packet (hop limit 64) with a correct checksum.
pub fn udp6(src: SocketAddrV6, dst: SocketAddrV6, payload: &[u8]) -> Vec<u8> {
    Udp::v6(src, dst).build(payload)
}

/// A minimal IPv4/TCP segment: 20-byte header, ack 0, window 65535, correct
/// checksum. `flags` is an OR of the `TCP_*` constants.
pub fn tcp4(src: SocketAddrV4, dst: SocketAddrV4, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut t = Vec::with_capacity(20 + payload.len());
    t.extend_from_slice(&src.port().to_be_bytes());
    t.extend_from_slice(&dst.port().to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(&[5 << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    let c = checksum4(*src.ip(), *dst.ip(), PROTO_TCP, &t);
    t[16..18].copy_from_slice(&c.to_be_bytes());
    ipv4(*src.ip(), *dst.ip(), PROTO_TCP, &t)
}

/// Splits an IPv4 packet into fragments carrying at most
/// `max_payload_per_fragment` bytes of payload each (rounded down to a
/// multiple of 8).
///
/// Fragments keep the original header (options included), with DF cleared,
/// MF set on all but the last (which keeps the original MF), offsets relative
/// to the original offset, and recomputed header checksums.
pub fn ipv4_fragments(packet: &[u8], max_payload_per_fragment: usize) -> Vec<Vec<u8>> {
    let ihl = usize::from(packet[0] & 0x0f) * 4;
    let total = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    let chunk = max_payload_per_fragment & !7;
    assert!(chunk >= 8, "fragment payload must be at least 8 bytes");
    let word = u16::from_be_bytes([packet[6], packet[7]]);
    let base = usize::from(word & 0x1fff) * 8;
    let orig_mf = word & 0x2000 != 0;
    let payload = &packet[ihl..total];
    let n = payload.len().div_ceil(chunk).max(1);
    (0..n)
        .map(|i| {
            let part = &payload[i * chunk..((i + 1) * chunk).min(payload.len())];
            let mut f = packet[..ihl].to_vec();
            f[2..4].copy_from_slice(&((ihl + part.len()) as u16).to_be_bytes());
            let mf = i + 1 < n || orig_mf;
            let off = (base + i * chunk) / 8;
            assert!(off <= 0x1fff, "fragment offset too large");
            let word = off as u16 | if mf { 0x2000 } else { 0 };
            f[6..8].copy_from_slice(&word.to_be_bytes());
            f[10..12].copy_from_slice(&[0, 0]);
            let c = checksum(&f);
            f[10..12].copy_from_slice(&c.to_be_bytes());
            f.extend_from_slice(part);
            f
        })
        .collect()
}

/// Splits an IPv6 packet into fragments with a Fragment extension header
/// (identification `ident`) inserted right after the fixed header; each
/// carries at most `max_payload_per_fragment` bytes (rounded down to a
/// multiple of 8) of everything that followed the fixed header.
pub fn ipv6_fragments(packet: &[u8], max_payload_per_fragment: usize, ident: u32) -> Vec<Vec<u8>> {
    let plen = usize::from(u16::from_be_bytes([packet[4], packet[5]]));
    let next = packet[6];
    let body = &packet[40..40 + plen];
    let chunk = max_payload_per_fragment & !7;
    assert!(chunk >= 8, "fragment payload must be at least 8 bytes");
    let n = body.len().div_ceil(chunk).max(1);
    (0..n)
        .map(|i| {
            let part = &body[i * chunk..((i + 1) * chunk).min(body.len())];
            let mut f = packet[..40].to_vec();
            f[4..6].copy_from_slice(&((8 + part.len()) as u16).to_be_bytes());
            f[6] = PROTO_IPV6_FRAG;
            let off = i * chunk;
            assert!(off <= 0xfff8, "fragment offset too large");
            let word = off as u16 | u16::from(i + 1 < n);
            f.extend_from_slice(&[next, 0]);
            f.extend_from_slice(&word.to_be_bytes());
            f.extend_from_slice(&ident.to_be_bytes());
            f.extend_from_slice(part);
            f
        })
        .collect()
}

/// An ICMP or ICMPv6 message (type, code, header bytes 4 to 8, body), its checksum field set by
/// `sum` over the message with that field zero.
fn icmp_message(icmp_type: u8, code: u8, rest: [u8; 4], body: &[u8], sum: impl Fn(&[u8]) -> u16) -> Vec<u8> {
    let mut icmp = vec![icmp_type, code, 0, 0];
    icmp.extend_from_slice(&rest);
    icmp.extend_from_slice(body);
    let c = sum(&icmp);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    icmp
}

/// An ICMP message (type, code, header bytes 4 to 8, body) with a correct checksum.
pub fn icmp4_message(icmp_type: u8, code: u8, rest: [u8; 4], body: &[u8]) -> Vec<u8> {
    icmp_message(icmp_type, code, rest, body, checksum)
}

/// An ICMPv6 message from `src` to `dst` (type, code, header bytes 4 to 8, body) with a correct
/// checksum over the pseudo-header.
pub fn icmp6_message(src: Ipv6Addr, dst: Ipv6Addr, icmp_type: u8, code: u8, rest: [u8; 4], body: &[u8]) -> Vec<u8> {
    icmp_message(icmp_type, code, rest, body, |m| checksum6(src, dst, PROTO_ICMPV6, m))
}

/// The source address of an IPv4 packet: where an error about it is sent.
fn v4_source(p: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(p[12], p[13], p[14], p[15])
}

/// The source address of an IPv6 packet.
fn v6_source(p: &[u8]) -> Ipv6Addr {
    let mut src = [0u8; 16];
    src.copy_from_slice(&p[8..24]);
    Ipv6Addr::from(src)
}

/// An ICMP error (type, code, header bytes 4 to 8) sent by `router` to the source of
/// `quoted_ip_packet`, quoting its IP header plus the first 8 bytes of its payload (RFC 792).
pub fn icmp4_error(router: Ipv4Addr, icmp_type: u8, code: u8, rest: [u8; 4], quoted_ip_packet: &[u8]) -> Vec<u8> {
    let q = quoted_ip_packet;
    let ihl = usize::from(q[0] & 0x0f) * 4;
    let icmp = icmp4_message(icmp_type, code, rest, &q[..(ihl + 8).min(q.len())]);
    ipv4(router, v4_source(q), PROTO_ICMP, &icmp)
}

/// An ICMP Destination Unreachable / Port Unreachable (type 3, code 3) sent
/// by `router` to the source of `quoted_ip_packet`, quoting its IP header
/// plus the first 8 bytes of its payload (RFC 792).
pub fn icmp4_port_unreachable(router: Ipv4Addr, quoted_ip_packet: &[u8]) -> Vec<u8> {
    icmp4_error(router, 3, 3, [0; 4], quoted_ip_packet)
}

/// An ICMPv6 error (type, code, header bytes 4 to 8) sent by `router` to the source of
/// `quoted_ipv6_packet`, quoting as much of it as fits (1232 bytes, keeping the result within
/// the IPv6 minimum MTU).
pub fn icmp6_error(router: Ipv6Addr, icmp_type: u8, code: u8, rest: [u8; 4], quoted_ipv6_packet: &[u8]) -> Vec<u8> {
    let q = quoted_ipv6_packet;
    let dst = v6_source(q);
    let icmp = icmp6_message(router, dst, icmp_type, code, rest, &q[..q.len().min(1232)]);
    ipv6(router, dst, PROTO_ICMPV6, &icmp)
}

/// An ICMPv6 Destination Unreachable / Port Unreachable (type 1, code 4)
/// sent by `router` to the source of `quoted_ipv6_packet`, quoting as much of
/// it as fits (1232 bytes, keeping the result within the IPv6 minimum MTU).
pub fn icmp6_port_unreachable(router: Ipv6Addr, quoted_ipv6_packet: &[u8]) -> Vec<u8> {
    icmp6_error(router, 1, 4, [0; 4], quoted_ipv6_packet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4(s: &str) -> SocketAddrV4 {
        s.parse().unwrap()
    }
    fn a6(s: &str) -> SocketAddrV6 {
        s.parse().unwrap()
    }

    #[test]
    fn rfc1071_example() {
        // Example from RFC 1071 section 3: sum 0xddf2, checksum !0xddf2.
        let d = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&d), !0xddf2);
        assert_eq!(checksum(&[0xff]), !0xff00);
    }

    #[test]
    fn udp4_layout_and_checksums() {
        let p = udp4(a4("192.0.2.1:1000"), a4("198.51.100.2:53"), b"abcd");
        assert_eq!(p.len(), 20 + 8 + 4);
        assert_eq!(&p[..10], &[0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17]);
        assert_eq!(&p[12..20], &[192, 0, 2, 1, 198, 51, 100, 2]);
        assert_eq!(checksum(&p[..20]), 0);
        assert_eq!(&p[20..26], &[0x03, 0xe8, 0, 53, 0, 12]);
        assert_eq!(checksum4(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2), 17, &p[20..]), 0);
        assert_eq!(&p[28..], b"abcd");
    }

    #[test]
    fn udp6_layout_and_checksum() {
        let p = udp6(a6("[2001:db8::1]:5000"), a6("[2001:db8::2]:6000"), b"xyz");
        assert_eq!(&p[..8], &[0x60, 0, 0, 0, 0, 11, 17, 64]);
        assert_eq!(p.len(), 40 + 11);
        let s: Ipv6Addr = "2001:db8::1".parse().unwrap();
        let d: Ipv6Addr = "2001:db8::2".parse().unwrap();
        assert_eq!(&p[8..24], &s.octets());
        assert_eq!(checksum6(s, d, 17, &p[40..]), 0);
    }

    #[test]
    fn builder_fields() {
        let p = Udp::v4(a4("10.0.0.1:1"), a4("10.0.0.2:2")).id(0xbeef).ttl(1).df(true).udp_len(3).build(b"");
        assert_eq!(&p[4..9], &[0xbe, 0xef, 0x40, 0, 1]);
        assert_eq!(checksum(&p[..20]), 0);
        assert_eq!(&p[24..26], &[0, 3]);
        let p = Udp::v6(a6("[::1]:1"), a6("[::1]:2")).zero_checksum().build(b"q");
        assert_eq!(&p[46..48], &[0, 0]);
    }

    #[test]
    fn ipv4_fragmentation() {
        let payload: Vec<u8> = (0..100u8).collect();
        let p = Udp::v4(a4("10.0.0.1:1"), a4("10.0.0.2:2")).df(true).build(&payload);
        let frags = ipv4_fragments(&p, 43); // 40 bytes per fragment
        assert_eq!(frags.len(), 3); // 108 bytes of UDP
        let mut joined = Vec::new();
        for (i, f) in frags.iter().enumerate() {
            assert_eq!(checksum(&f[..20]), 0);
            let word = u16::from_be_bytes([f[6], f[7]]);
            assert_eq!(word & 0x1fff, (i * 5) as u16);
            assert_eq!(word & 0x2000 != 0, i < 2);
            assert_eq!(word & 0x4000, 0);
            assert_eq!(usize::from(u16::from_be_bytes([f[2], f[3]])), f.len());
            joined.extend_from_slice(&f[20..]);
        }
        assert_eq!(frags[2].len(), 20 + 28);
        assert_eq!(joined, &p[20..]);
    }

    #[test]
    fn ipv6_fragmentation() {
        let p = udp6(a6("[2001:db8::1]:1"), a6("[2001:db8::2]:2"), &[7u8; 30]);
        let frags = ipv6_fragments(&p, 16, 0xdeadbeef);
        assert_eq!(frags.len(), 3); // 38 bytes
        let mut joined = Vec::new();
        for (i, f) in frags.iter().enumerate() {
            assert_eq!(f[6], 44);
            assert_eq!(usize::from(u16::from_be_bytes([f[4], f[5]])), f.len() - 40);
            assert_eq!(f[40], 17);
            let word = u16::from_be_bytes([f[42], f[43]]);
            assert_eq!(usize::from(word >> 3), i * 2);
            assert_eq!(word & 1 == 1, i < 2);
            assert_eq!(&f[44..48], &[0xde, 0xad, 0xbe, 0xef]);
            joined.extend_from_slice(&f[48..]);
        }
        assert_eq!(joined, &p[40..]);
    }

    #[test]
    fn icmp_errors() {
        let orig = udp4(a4("10.0.0.1:1111"), a4("10.9.9.9:2222"), &[0; 50]);
        let r = Ipv4Addr::new(10, 0, 0, 254);
        let e = icmp4_port_unreachable(r, &orig);
        assert_eq!(e.len(), 20 + 8 + 28);
        assert_eq!(&e[12..20], &[10, 0, 0, 254, 10, 0, 0, 1]);
        assert_eq!(e[9], 1);
        assert_eq!(checksum(&e[..20]), 0);
        assert_eq!(checksum(&e[20..]), 0);
        assert_eq!(&e[20..22], &[3, 3]);
        assert_eq!(&e[28..], &orig[..28]);

        let orig = udp6(a6("[2001:db8::1]:1"), a6("[2001:db8::2]:2"), &[1; 2000]);
        let r: Ipv6Addr = "2001:db8::fe".parse().unwrap();
        let e = icmp6_port_unreachable(r, &orig);
        assert_eq!(e.len(), 1280);
        assert_eq!(e[6], 58);
        assert_eq!(&e[24..40], &orig[8..24]);
        assert_eq!(&e[40..42], &[1, 4]);
        assert_eq!(checksum6(r, "2001:db8::1".parse().unwrap(), 58, &e[40..]), 0);
        assert_eq!(&e[48..], &orig[..1232]);
    }

    #[test]
    fn tcp_segment() {
        let p = tcp4(a4("10.0.0.1:80"), a4("10.0.0.2:5555"), 42, TCP_SYN | TCP_ACK, b"hi");
        assert_eq!(p[9], 6);
        assert_eq!(&p[24..28], &42u32.to_be_bytes());
        assert_eq!(p[32], 0x50);
        assert_eq!(p[33], 0x12);
        assert_eq!(checksum4(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2), 6, &p[20..]), 0);
    }
}
