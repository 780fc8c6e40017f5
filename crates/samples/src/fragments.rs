//! `fragments.pcap`: IPv4 and IPv6 fragmentation.

use std::net::{SocketAddrV4, SocketAddrV6};

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::packet::{self, Udp};
use udpdissect_pcapgen::{linktype, Ts};

use crate::common::*;
use crate::Sample;

/// A bulk-data port on the server (not a heartbeat).
const DATA_PORT: u16 = 9999;
/// Payload per fragment on a 1500-byte MTU link.
const MTU_PAYLOAD_V4: usize = 1480;
const MTU_PAYLOAD_V6: usize = 1448;

/// `len` bytes of a recognisable pattern: a datagram number then a counter.
fn data(tag: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| if i % 64 == 0 { tag } else { (i % 251) as u8 }).collect()
}

pub const DESCRIPTION: &str = "\
IP fragmentation (Ethernet, 14 frames). Frames 1-3: a 3000-byte UDP datagram 10.20.30.40:40001 → \
172.16.202.201:9999 (IPv4 id 0x1001) in three fragments in order (1480 + 1480 + 40 bytes of the UDP datagram). Frames 4-6: \
another (id 0x1002, 10.20.30.40:40002) with its fragments sent last, first, middle. Frames 7-9: an IPv6 \
datagram of 3000 bytes [2001:db8:20:30::40]:40003 → [2001:db8:172:16::201]:9999 in three fragments \
(Fragment header id 0x00002001, 1448 + 1448 + 104 bytes). Frames 10-11: the first two fragments of a \
datagram (id 0x1003, 10.20.30.40:40004) whose last fragment never comes. Frames 12-13: a heartbeat beat \
(UID 1234567890123) split into two 8-byte fragments (UDP header, then the UID; id 0x1004); frame 14 its \
16-byte reply (unfragmented).";

fn fragments_pcap() -> Vec<u8> {
    let server = |port| SocketAddrV4::new(SERVER, port);
    let client = |port| SocketAddrV4::new(CLIENT, port);
    let mut frames: Frames = Vec::new();
    let mut push = |ts: Ts, ip: &[u8]| frames.push((ts, eth(CLIENT_MAC, GATEWAY_MAC, ip)));

    // In order.
    let p = Udp::v4(client(40_001), server(DATA_PORT)).id(0x1001).build(&data(1, 3000 - 8));
    for (n, f) in packet::ipv4_fragments(&p, MTU_PAYLOAD_V4).iter().enumerate() {
        push(at(10, 100 * n as u32), f);
    }
    // Out of order: last, first, middle.
    let p = Udp::v4(client(40_002), server(DATA_PORT)).id(0x1002).build(&data(2, 3000 - 8));
    let frags = packet::ipv4_fragments(&p, MTU_PAYLOAD_V4);
    for (n, i) in [2, 0, 1].into_iter().enumerate() {
        push(at(20, 100 * n as u32), &frags[i]);
    }
    // IPv6.
    let src = SocketAddrV6::new(CLIENT6, 40_003, 0, 0);
    let dst = SocketAddrV6::new(SERVER6, DATA_PORT, 0, 0);
    let p = udp6_out(src, dst, &data(3, 3000 - 8));
    for (n, f) in packet::ipv6_fragments(&p, MTU_PAYLOAD_V6, 0x2001).iter().enumerate() {
        push(at(30, 100 * n as u32), f);
    }
    // Never completes.
    let p = Udp::v4(client(40_004), server(DATA_PORT)).id(0x1003).build(&data(4, 3000 - 8));
    for (n, f) in packet::ipv4_fragments(&p, MTU_PAYLOAD_V4).iter().take(2).enumerate() {
        push(at(40, 100 * n as u32), f);
    }
    // A fragmented beat and its reply.
    let p = Udp::v4(client(40_005), hb4(SERVER)).id(0x1004).build(&beat(UID));
    for (n, f) in packet::ipv4_fragments(&p, 8).iter().enumerate() {
        push(at(60, 10 * n as u32), f);
    }
    let r = udp4_in(hb4(SERVER), client(40_005), 0x9004, &reply(Reply::alive(UID)));
    frames.push((at(60, 2_803), eth(GATEWAY_MAC, CLIENT_MAC, &r)));

    pcap(linktype::ETHERNET, &frames)
}

pub fn samples() -> Vec<Sample> {
    vec![Sample { name: "fragments.pcap", description: DESCRIPTION, bytes: fragments_pcap() }]
}
