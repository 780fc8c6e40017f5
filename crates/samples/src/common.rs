//! Hosts, times and packet helpers shared by the samples.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

use udpdissect_heartbeat::wire::{Reply, Request, PORT};
use udpdissect_pcapgen::packet::{self, Ipv4Opts, Udp};
use udpdissect_pcapgen::{link, PcapWriter, Ts};

/// 2026-03-02 08:00:00 UTC, the start of every sample.
pub const T0: i64 = 1_772_438_400;

/// The reference UID of `heartbeat.md` (request `cb04fb711f010000`).
pub const UID: i64 = 1_234_567_890_123;

/// The pysrun default authentication server.
pub const SERVER: Ipv4Addr = Ipv4Addr::new(172, 16, 202, 201);
/// The main client.
pub const CLIENT: Ipv4Addr = Ipv4Addr::new(10, 20, 30, 40);
/// The default gateway of the client LAN (also its DNS resolver).
pub const GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 20, 30, 1);

/// IPv6 addresses of the server and the client (documentation prefix).
pub const SERVER6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x172, 0x16, 0, 0, 0, 0x201);
pub const CLIENT6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x20, 0x30, 0, 0, 0, 0x40);

/// MAC of the main client (locally administered).
pub const CLIENT_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x00, 0x40];
/// MAC of the gateway: every server frame on the client LAN comes from it.
pub const GATEWAY_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x01, 0x00, 0x01];

/// TTL of the server's packets when they reach the client LAN (two routers away).
pub const SERVER_TTL: u8 = 62;

/// Capture time `secs` seconds and `micros` microseconds after [`T0`].
pub fn at(secs: u32, micros: u32) -> Ts {
    Ts::new(T0 + i64::from(secs), micros * 1000)
}

/// Capture time `secs` seconds and `nanos` nanoseconds after [`T0`].
pub fn at_ns(secs: u32, nanos: u32) -> Ts {
    Ts::new(T0 + i64::from(secs), nanos)
}

/// The 8-byte beat carrying `uid`.
pub fn beat(uid: i64) -> Vec<u8> {
    let mut v = Vec::with_capacity(8);
    Request { uid }.emit(&mut v);
    v
}

/// The 16-byte reply.
pub fn reply(r: Reply) -> Vec<u8> {
    let mut v = Vec::with_capacity(16);
    r.emit(&mut v);
    v
}

/// The heartbeat port of `ip`.
pub fn hb4(ip: Ipv4Addr) -> SocketAddrV4 {
    SocketAddrV4::new(ip, PORT)
}

/// The heartbeat port of `ip`.
pub fn hb6(ip: Ipv6Addr) -> SocketAddrV6 {
    SocketAddrV6::new(ip, PORT, 0, 0)
}

/// An IPv4/UDP packet from a client (TTL 64, DF set like Linux UDP sockets).
pub fn udp4_out(src: SocketAddrV4, dst: SocketAddrV4, id: u16, payload: &[u8]) -> Vec<u8> {
    Udp::v4(src, dst).id(id).ttl(64).df(true).build(payload)
}

/// An IPv4/UDP packet from a server as seen on the client LAN.
pub fn udp4_in(src: SocketAddrV4, dst: SocketAddrV4, id: u16, payload: &[u8]) -> Vec<u8> {
    Udp::v4(src, dst).id(id).ttl(SERVER_TTL).df(true).build(payload)
}

/// An IPv6/UDP packet from a client (hop limit 64).
pub fn udp6_out(src: SocketAddrV6, dst: SocketAddrV6, payload: &[u8]) -> Vec<u8> {
    Udp::v6(src, dst).ttl(64).build(payload)
}

/// An IPv6/UDP packet from a server as seen on the client LAN.
pub fn udp6_in(src: SocketAddrV6, dst: SocketAddrV6, payload: &[u8]) -> Vec<u8> {
    Udp::v6(src, dst).ttl(SERVER_TTL).build(payload)
}

/// Ethernet frame from `src` to `dst` carrying an IP packet.
pub fn eth(src: [u8; 6], dst: [u8; 6], ip: &[u8]) -> Vec<u8> {
    link::ethernet(dst, src, &[], link::ip_ethertype(ip), ip)
}

/// An ICMP port unreachable sent by `from` to the source of `quoted`, quoting the whole
/// datagram as Linux does (RFC 1812 allows up to 576 bytes in all), so the quoted
/// heartbeat reply can be read from it.
pub fn icmp4_port_unreachable_full(from: Ipv4Addr, id: u16, quoted: &[u8]) -> Vec<u8> {
    let icmp = packet::icmp4_message(3, 3, [0; 4], &quoted[..quoted.len().min(576 - 28)]);
    let dst = Ipv4Addr::new(quoted[12], quoted[13], quoted[14], quoted[15]);
    packet::ipv4_with(from, dst, packet::PROTO_ICMP, Ipv4Opts { id, ttl: 64, df: false }, &icmp)
}

/// A DNS query (recursion desired) for an A record.
pub fn dns_query(id: u16, name: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(12 + name.len() + 6);
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    push_qname(&mut m, name);
    m.extend_from_slice(&[0, 1, 0, 1]);
    m
}

/// The answer to [`dns_query`]: one A record (compressed name, TTL 300).
pub fn dns_response(id: u16, name: &str, addr: Ipv4Addr) -> Vec<u8> {
    let mut m = Vec::with_capacity(12 + name.len() + 22);
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    push_qname(&mut m, name);
    m.extend_from_slice(&[0, 1, 0, 1]);
    m.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4]);
    m.extend_from_slice(&addr.octets());
    m
}

fn push_qname(m: &mut Vec<u8>, name: &str) {
    for label in name.split('.') {
        m.push(label.len() as u8);
        m.extend_from_slice(label.as_bytes());
    }
    m.push(0);
}

/// A list of captured frames with their times.
pub type Frames = Vec<(Ts, Vec<u8>)>;

/// A little-endian microsecond pcap (snaplen 262144) of `frames`.
pub fn pcap(linktype: u16, frames: &[(Ts, Vec<u8>)]) -> Vec<u8> {
    pcap_with(linktype, frames, false, false)
}

/// A pcap of `frames` with the given timestamp resolution and byte order.
pub fn pcap_with(linktype: u16, frames: &[(Ts, Vec<u8>)], nanos: bool, big_endian: bool) -> Vec<u8> {
    let mut w = PcapWriter::new(Vec::new(), linktype, 262_144, nanos, big_endian).expect("writing to a Vec");
    for (ts, f) in frames {
        w.write(*ts, f).expect("writing to a Vec");
    }
    w.into_inner()
}

/// SplitMix64's finaliser: a well-mixed 64-bit value for each input, so generated addresses,
/// ports, IDs and secrets look random yet are the same on every run.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
