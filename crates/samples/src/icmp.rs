//! `icmp.pcap`: what the network says back about a client's datagrams (ICMP and ICMPv6
//! errors quoting them, echoes, a damaged checksum).

use std::net::{Ipv6Addr, SocketAddrV4, SocketAddrV6};

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::packet::{self, Udp, PROTO_ICMP, PROTO_ICMPV6, TCP_SYN};
use udpdissect_pcapgen::{linktype, Ts};

use crate::common::*;
use crate::Sample;

/// The client's gateway on IPv6.
const GATEWAY6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x20, 0x30, 0, 0, 0, 1);

pub const DESCRIPTION: &str = "\
ICMP and ICMPv6 (Ethernet, 20 frames) around the heartbeat client 10.20.30.40 \
([2001:db8:20:30::40]) and server 172.16.202.201:3335. Frames 1-2: a beat from port 40100 and its \
reply. Frames 3-4: an echo request (identifier 0x4c2a, sequence 1) to the server and its reply. \
Frame 5: a reply to port 44127, which the client has closed; frame 6: the client's port unreachable \
quoting the whole reply. Frame 7: a 1500-byte datagram with Don't Fragment to port 9999; frame 8: \
the gateway 10.20.30.1's fragmentation needed with next-hop MTU 1400, quoting its IP header and 8 \
bytes. Frame 9: a beat sent with TTL 1; frame 10: the gateway's time-to-live exceeded. Frame 11: \
the gateway's communication administratively filtered for a beat. Frame 12: a port unreachable \
whose checksum was damaged in transit (icmp.checksum_bad). Frame 13: a port unreachable quoting a \
TCP SYN (no UDP header in the quote). Frames 14-15: a beat and reply over IPv6 from port 52877. \
Frame 16: the client's ICMPv6 port unreachable quoting a reply to its closed port 52878. Frame 17: \
the gateway 2001:db8:20:30::1's packet too big (MTU 1280) quoting a 1400-byte datagram. Frames \
18-19: an ICMPv6 echo request and reply (identifier 0x0a0b, sequence 7). Frame 20: the gateway's \
ICMPv6 hop limit exceeded for a beat.";

fn icmp_pcap() -> Vec<u8> {
    let client = |port| SocketAddrV4::new(CLIENT, port);
    let client6 = |port| SocketAddrV6::new(CLIENT6, port, 0, 0);
    let mut frames: Frames = Vec::new();
    let mut out = |ts: Ts, ip: &[u8]| frames.push((ts, eth(CLIENT_MAC, GATEWAY_MAC, ip)));
    let mut inbound = Vec::new();
    let mut into = |ts: Ts, ip: Vec<u8>| inbound.push((ts, ip));

    // A beat and its reply.
    out(at(0, 0), &udp4_out(client(40_100), hb4(SERVER), 0x6001, &beat(UID)));
    into(at(0, 3_050), udp4_in(hb4(SERVER), client(40_100), 0x7001, &reply(Reply::alive(UID))));
    // Ping.
    let echo = packet::icmp4_message(8, 0, [0x4c, 0x2a, 0, 1], b"udpdissect ping");
    out(at(1, 0), &packet::ipv4(CLIENT, SERVER, PROTO_ICMP, &echo));
    let echo_reply = packet::icmp4_message(0, 0, [0x4c, 0x2a, 0, 1], b"udpdissect ping");
    into(at(1, 2_900), packet::ipv4(SERVER, CLIENT, PROTO_ICMP, &echo_reply));
    // A reply to a closed port, bounced by the client with the whole reply quoted.
    let late = udp4_in(hb4(SERVER), client(44_127), 0x7002, &reply(Reply::alive(UID)));
    into(at(2, 0), late.clone());
    out(at(2, 150), &icmp4_port_unreachable_full(CLIENT, 0x6002, &late));
    // Too big for the next hop.
    let big = Udp::v4(client(40_101), SocketAddrV4::new(SERVER, 9999)).id(0x6003).df(true).build(&[0x5a; 1472]);
    out(at(3, 0), &big);
    into(at(3, 400), packet::icmp4_error(GATEWAY, 3, 4, [0, 0, 0x05, 0x78], &big));
    // TTL 1: the gateway drops it.
    let short_lived = Udp::v4(client(40_102), hb4(SERVER)).id(0x6004).ttl(1).build(&beat(UID));
    out(at(4, 0), &short_lived);
    into(at(4, 300), packet::icmp4_error(GATEWAY, 11, 0, [0; 4], &short_lived));
    // A firewall on the gateway.
    let filtered = Udp::v4(client(40_103), hb4(SERVER)).id(0x6005).build(&beat(UID));
    into(at(5, 300), packet::icmp4_error(GATEWAY, 3, 13, [0; 4], &filtered));
    // A port unreachable damaged in transit: one bit of its checksum flipped.
    let mut damaged = packet::icmp4_port_unreachable(SERVER, &filtered);
    damaged[22] ^= 0x01;
    into(at(6, 0), damaged);
    // Quoting TCP: the quote holds an IP header but no UDP header.
    let syn = packet::tcp4(client(40_104), SocketAddrV4::new(SERVER, 443), 0x1000, TCP_SYN, &[]);
    into(at(7, 0), packet::icmp4_port_unreachable(SERVER, &syn));

    // IPv6: a beat and its reply.
    out(at(8, 0), &udp6_out(client6(52_877), hb6(SERVER6), &beat(UID)));
    into(at(8, 2_700), udp6_in(hb6(SERVER6), client6(52_877), &reply(Reply::alive(UID))));
    let late6 = udp6_in(hb6(SERVER6), client6(52_878), &reply(Reply::alive(UID)));
    out(at(9, 0), &packet::icmp6_port_unreachable(CLIENT6, &late6));
    let big6 = udp6_out(client6(52_879), SocketAddrV6::new(SERVER6, 9999, 0, 0), &[0x5a; 1352]);
    into(at(10, 0), packet::icmp6_error(GATEWAY6, 2, 0, 1280u32.to_be_bytes(), &big6));
    let echo6 = packet::icmp6_message(CLIENT6, SERVER6, 128, 0, [0x0a, 0x0b, 0, 7], b"udpdissect ping6");
    out(at(11, 0), &packet::ipv6(CLIENT6, SERVER6, PROTO_ICMPV6, &echo6));
    let reply6 = packet::icmp6_message(SERVER6, CLIENT6, 129, 0, [0x0a, 0x0b, 0, 7], b"udpdissect ping6");
    into(at(11, 3_100), packet::ipv6(SERVER6, CLIENT6, PROTO_ICMPV6, &reply6));
    let hop_limited = Udp::v6(client6(52_880), hb6(SERVER6)).ttl(1).build(&beat(UID));
    into(at(12, 0), packet::icmp6_error(GATEWAY6, 3, 0, [0; 4], &hop_limited));

    for (ts, ip) in inbound {
        frames.push((ts, eth(GATEWAY_MAC, CLIENT_MAC, &ip)));
    }
    frames.sort_by_key(|(ts, _)| (ts.secs, ts.nanos));
    pcap(linktype::ETHERNET, &frames)
}

pub fn samples() -> Vec<Sample> {
    vec![Sample { name: "icmp.pcap", description: DESCRIPTION, bytes: icmp_pcap() }]
}
