//! One capture per link-layer type, each with a beat and its reply over IPv4 and IPv6.

use std::net::SocketAddrV4;
use std::net::SocketAddrV6;

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::link::{self, Vlan};
use udpdissect_pcapgen::{linktype, Ts};

use crate::common::*;
use crate::Sample;

/// Who sent a packet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// The client (the capturing host): a beat.
    Out,
    /// The server: a reply.
    In,
}

/// A beat and its reply: (time, direction, IP packet).
fn exchange(v4: bool, v6: bool) -> Vec<(Ts, Dir, Vec<u8>)> {
    let mut v = Vec::new();
    if v4 {
        let client = SocketAddrV4::new(CLIENT, 40_213);
        v.push((at(60, 0), Dir::Out, udp4_out(client, hb4(SERVER), 0x5c01, &beat(UID))));
        v.push((at(60, 3_104), Dir::In, udp4_in(hb4(SERVER), client, 0x8e17, &reply(Reply::alive(UID)))));
    }
    if v6 {
        let client = SocketAddrV6::new(CLIENT6, 52_877, 0, 0);
        v.push((at(120, 0), Dir::Out, udp6_out(client, hb6(SERVER6), &beat(UID))));
        v.push((at(120, 2_719), Dir::In, udp6_in(hb6(SERVER6), client, &reply(Reply::alive(UID)))));
    }
    v
}

/// Wraps every packet of [`exchange`] with `wrap`.
fn wrapped(v4: bool, v6: bool, wrap: impl Fn(Dir, &[u8]) -> Vec<u8>) -> Frames {
    exchange(v4, v6).into_iter().map(|(ts, dir, ip)| (ts, wrap(dir, &ip))).collect()
}

fn ethernet_vlan() -> Vec<u8> {
    let tagged = |vlans: &[Vlan], dir: Dir, ip: &[u8]| match dir {
        Dir::Out => link::ethernet(GATEWAY_MAC, CLIENT_MAC, vlans, link::ip_ethertype(ip), ip),
        Dir::In => link::ethernet(CLIENT_MAC, GATEWAY_MAC, vlans, link::ip_ethertype(ip), ip),
    };
    let mut frames = Vec::new();
    let ex = exchange(true, true);
    // IPv4 in 802.1Q VLAN 30 (priority 0 and 5).
    frames.push((ex[0].0, tagged(&[Vlan::q(30)], ex[0].1, &ex[0].2)));
    let prio = Vlan { tpid: link::TPID_8021Q, pcp: 5, id: 30 };
    frames.push((ex[1].0, tagged(&[prio], ex[1].1, &ex[1].2)));
    // IPv6 in QinQ: service tag 100 (802.1ad) outside customer tag 30 (802.1Q).
    for (ts, dir, ip) in &ex[2..] {
        frames.push((*ts, tagged(&[Vlan::ad(100), Vlan::q(30)], *dir, ip)));
    }
    // An untagged IPv4 beat and reply again, zero-padded to the 60-byte minimum.
    for (ts, dir, ip) in &ex[..2] {
        let ts = Ts::new(ts.secs + 120, ts.nanos);
        let f = match dir {
            Dir::Out => link::ethernet_padded(GATEWAY_MAC, CLIENT_MAC, &[], link::ETHERTYPE_IPV4, ip),
            Dir::In => link::ethernet_padded(CLIENT_MAC, GATEWAY_MAC, &[], link::ETHERTYPE_IPV4, ip),
        };
        frames.push((ts, f));
    }
    pcap(linktype::ETHERNET, &frames)
}

/// Linux `PACKET_HOST` and `PACKET_OUTGOING`.
const PACKET_HOST: u8 = 0;
const PACKET_OUTGOING: u8 = 4;
/// `ARPHRD_ETHER`.
const ARPHRD_ETHER: u16 = 1;

fn sll() -> Vec<u8> {
    let frames = wrapped(true, true, |dir, ip| match dir {
        Dir::Out => link::sll(PACKET_OUTGOING.into(), ARPHRD_ETHER, &CLIENT_MAC, link::ip_ethertype(ip), ip),
        Dir::In => link::sll(PACKET_HOST.into(), ARPHRD_ETHER, &GATEWAY_MAC, link::ip_ethertype(ip), ip),
    });
    pcap(linktype::LINUX_SLL, &frames)
}

fn sll2() -> Vec<u8> {
    let frames = wrapped(true, true, |dir, ip| match dir {
        Dir::Out => link::sll2(link::ip_ethertype(ip), 2, ARPHRD_ETHER, PACKET_OUTGOING, &CLIENT_MAC, ip),
        Dir::In => link::sll2(link::ip_ethertype(ip), 2, ARPHRD_ETHER, PACKET_HOST, &GATEWAY_MAC, ip),
    });
    pcap(linktype::LINUX_SLL2, &frames)
}

/// The loopback address family of `ip`.
fn family(ip: &[u8], inet6: u32) -> u32 {
    if link::ip_ethertype(ip) == link::ETHERTYPE_IPV4 {
        link::AF_INET
    } else {
        inet6
    }
}

fn null(little_endian: bool, inet6: u32) -> Vec<u8> {
    let frames = wrapped(true, true, |_, ip| link::null_loopback(family(ip, inet6), little_endian, ip));
    pcap(linktype::NULL, &frames)
}

fn openbsd_loop() -> Vec<u8> {
    let frames = wrapped(true, true, |_, ip| link::openbsd_loop(family(ip, link::AF_INET6_BSD), ip));
    pcap(linktype::LOOP, &frames)
}

fn raw(lt: u16, v4: bool, v6: bool) -> Vec<u8> {
    pcap(lt, &wrapped(v4, v6, |_, ip| ip.to_vec()))
}

pub fn samples() -> Vec<Sample> {
    vec![
        Sample {
            name: "link-ethernet-vlan.pcap",
            description: "Ethernet with VLAN tags (6 frames): an IPv4 beat and reply in 802.1Q VLAN 30 (the reply \
                          with priority 5), an IPv6 beat and reply in QinQ (802.1ad tag 100 outside 802.1Q tag 30), \
                          then the IPv4 beat and reply untagged and zero-padded to 60 bytes (10 and 2 bytes of \
                          Ethernet trailer).",
            bytes: ethernet_vlan(),
        },
        Sample {
            name: "link-sll.pcap",
            description: "Linux cooked capture v1 (linktype 113, 4 frames): IPv4 and IPv6 beat (packet type 4, \
                          outgoing) and reply (packet type 0, to us), ARPHRD_ETHER.",
            bytes: sll(),
        },
        Sample {
            name: "link-sll2.pcap",
            description: "Linux cooked capture v2 (linktype 276, 4 frames): IPv4 and IPv6 beat (outgoing) and reply \
                          (to us) on interface index 2.",
            bytes: sll2(),
        },
        Sample {
            name: "link-null-le.pcap",
            description: "BSD loopback, DLT_NULL (linktype 0) written by a little-endian host (4 frames): address \
                          family 2 (IPv4) and 24 (IPv6, NetBSD/OpenBSD) in host order.",
            bytes: null(true, link::AF_INET6_BSD),
        },
        Sample {
            name: "link-null-be.pcap",
            description: "BSD loopback, DLT_NULL (linktype 0) written by a big-endian host (4 frames): address \
                          family 2 (IPv4) and 30 (IPv6, macOS) in host order.",
            bytes: null(false, link::AF_INET6_DARWIN),
        },
        Sample {
            name: "link-loop.pcap",
            description: "OpenBSD loopback, DLT_LOOP (linktype 108, 4 frames): address family 2 (IPv4) and 24 \
                          (IPv6), always big-endian.",
            bytes: openbsd_loop(),
        },
        Sample {
            name: "link-raw.pcap",
            description: "Raw IP (linktype 101, 4 frames): IPv4 and IPv6 beat and reply; the version comes from \
                          the first nibble.",
            bytes: raw(linktype::RAW, true, true),
        },
        Sample {
            name: "link-ipv4.pcap",
            description: "Raw IPv4 (linktype 228, 2 frames): an IPv4 beat and reply.",
            bytes: raw(linktype::IPV4, true, false),
        },
        Sample {
            name: "link-ipv6.pcap",
            description: "Raw IPv6 (linktype 229, 2 frames): an IPv6 beat and reply.",
            bytes: raw(linktype::IPV6, false, true),
        },
    ]
}
