//! File-format variants: pcap byte orders and resolutions, multi-section pcapng, snaplen.

use std::net::{SocketAddrV4, SocketAddrV6};

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::{link, linktype, IfOpts, PcapNgWriter, PcapWriter};

use crate::common::*;
use crate::Sample;

const EXPECT: &str = "writing to a Vec";

/// Three beats and replies (Ethernet, IPv4) at nanosecond times with non-zero last digits.
fn nanos_frames() -> Frames {
    let times = [(60, 123_457, 2_987_651), (120, 456_789, 3_210_987), (180, 789_123, 4_567_891)];
    let mut frames = Vec::new();
    for (n, (secs, beat_ns, reply_ns)) in times.into_iter().enumerate() {
        let client = SocketAddrV4::new(CLIENT, 40_213 + 1_111 * n as u16);
        let id = 0x2000 + n as u16;
        let b = udp4_out(client, hb4(SERVER), id, &beat(UID));
        let r = udp4_in(hb4(SERVER), client, id + 0x100, &reply(Reply::alive(UID)));
        frames.push((at_ns(secs, beat_ns), eth(CLIENT_MAC, GATEWAY_MAC, &b)));
        frames.push((at_ns(secs, reply_ns), eth(GATEWAY_MAC, CLIENT_MAC, &r)));
    }
    frames
}

/// `PACKET_OUTGOING` / `PACKET_HOST` in Linux cooked headers.
fn sll_out(ip: &[u8]) -> Vec<u8> {
    link::sll(4, 1, &CLIENT_MAC, link::ip_ethertype(ip), ip)
}

fn sll_in(ip: &[u8]) -> Vec<u8> {
    link::sll(0, 1, &GATEWAY_MAC, link::ip_ethertype(ip), ip)
}

fn multi_pcapng() -> Vec<u8> {
    let c4 = |port| SocketAddrV4::new(CLIENT, port);
    let c6 = |port| SocketAddrV6::new(CLIENT6, port, 0, 0);
    let dns = SocketAddrV4::new(GATEWAY, 53);
    let dns_frame =
        |port, id| eth(CLIENT_MAC, GATEWAY_MAC, &udp4_out(c4(port), dns, id, &dns_query(id, "auth.campus.example")));

    let mut w = PcapNgWriter::new(Vec::new(), false).expect(EXPECT);
    // Section 1, little-endian.
    let name = |s: &str| Some(s.to_string());
    let opts = IfOpts {
        name: name("eth0"),
        description: name("Campus uplink"),
        tsresol: Some(6),
        tsoffset: None,
        ..IfOpts::default()
    };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, opts).expect(EXPECT);
    let opts = IfOpts { name: name("tun0"), description: None, tsresol: Some(9), tsoffset: None, ..IfOpts::default() };
    let tun0 = w.interface(linktype::RAW, 262_144, opts).expect(EXPECT);
    w.nrb_ipv4(SERVER, "auth.campus.example").expect(EXPECT);
    let b = eth(CLIENT_MAC, GATEWAY_MAC, &udp4_out(c4(40_213), hb4(SERVER), 0x3001, &beat(UID)));
    w.epb(eth0, at(60, 123), b.len() as u32, &b).expect(EXPECT);
    let r = eth(GATEWAY_MAC, CLIENT_MAC, &udp4_in(hb4(SERVER), c4(40_213), 0x7001, &reply(Reply::alive(UID))));
    w.epb(eth0, at(60, 3_104), r.len() as u32, &r).expect(EXPECT);
    let b = udp6_out(c6(52_877), hb6(SERVER6), &beat(UID));
    w.epb(tun0, at_ns(120, 321), b.len() as u32, &b).expect(EXPECT);
    let q = dns_frame(45_001, 0x0101);
    w.spb(q.len() as u32, &q).expect(EXPECT);
    let r = udp6_in(hb6(SERVER6), c6(52_877), &reply(Reply::alive(UID)));
    w.pb(tun0 as u16, at_ns(120, 2_719_654), r.len() as u32, &r).expect(EXPECT);
    w.isb(eth0, at(130, 0)).expect(EXPECT);
    w.isb(tun0, at(130, 0)).expect(EXPECT);
    // A custom block (PEN 32473, the documentation number): Wireshark counts it as a frame.
    w.custom_block(32_473, b"udpdissect").expect(EXPECT);

    // Section 2, big-endian: interface ids restart at 0.
    w.section(true).expect(EXPECT);
    let opts = IfOpts { name: name("any"), description: None, tsresol: Some(3), tsoffset: None, ..IfOpts::default() };
    let any = w.interface(linktype::LINUX_SLL, 262_144, opts).expect(EXPECT);
    let opts = IfOpts {
        name: name("ipv4tap"),
        description: None,
        tsresol: Some(0x80 | 20),
        tsoffset: Some(T0),
        ..IfOpts::default()
    };
    let tap = w.interface(linktype::IPV4, 262_144, opts).expect(EXPECT);
    w.nrb_ipv6(SERVER6, "auth.campus.example").expect(EXPECT);
    let b = sll_out(&udp4_out(c4(35_102), hb4(SERVER), 0x3002, &beat(UID)));
    w.epb(any, at(180, 123_000), b.len() as u32, &b).expect(EXPECT);
    let r = udp4_in(hb4(SERVER), c4(35_102), 0x7002, &reply(Reply::alive(UID)));
    w.epb(tap, at(180, 126_000), r.len() as u32, &r).expect(EXPECT);
    let b = sll_out(&udp6_out(c6(47_760), hb6(SERVER6), &beat(UID)));
    w.pb(any as u16, at(240, 0), b.len() as u32, &b).expect(EXPECT);
    let r = sll_in(&udp6_in(hb6(SERVER6), c6(47_760), &reply(Reply::alive(UID))));
    w.epb(any, at(240, 3_000), r.len() as u32, &r).expect(EXPECT);
    let q = sll_out(&udp4_out(c4(45_002), dns, 0x0102, &dns_query(0x0102, "auth.campus.example")));
    w.spb(q.len() as u32, &q).expect(EXPECT);
    w.isb(any, at(250, 0)).expect(EXPECT);
    w.isb(tap, at(250, 0)).expect(EXPECT);
    w.into_inner()
}

/// A pcap with snapshot length 50: frames longer than that are cut.
fn snaplen_pcap() -> Vec<u8> {
    const SNAPLEN: usize = 50;
    let c4 = SocketAddrV4::new(CLIENT, 40_213);
    let c6 = SocketAddrV6::new(CLIENT6, 52_877, 0, 0);
    let frames: Frames = vec![
        (at(60, 0), eth(CLIENT_MAC, GATEWAY_MAC, &udp4_out(c4, hb4(SERVER), 0x4001, &beat(UID)))),
        (at(60, 3_104), eth(GATEWAY_MAC, CLIENT_MAC, &udp4_in(hb4(SERVER), c4, 0x8001, &reply(Reply::alive(UID))))),
        (at(90, 0), link::arp_request(CLIENT_MAC, CLIENT, GATEWAY)),
        (at(120, 0), eth(CLIENT_MAC, GATEWAY_MAC, &udp6_out(c6, hb6(SERVER6), &beat(UID)))),
        (at(120, 2_719), eth(GATEWAY_MAC, CLIENT_MAC, &udp6_in(hb6(SERVER6), c6, &reply(Reply::alive(UID))))),
    ];
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, SNAPLEN as u32, false, false).expect(EXPECT);
    for (ts, f) in &frames {
        w.write_truncated(*ts, f.len() as u32, &f[..f.len().min(SNAPLEN)]).expect(EXPECT);
    }
    w.into_inner()
}

fn with_order(nanos: bool, big_endian: bool) -> Vec<u8> {
    pcap_with(linktype::ETHERNET, &nanos_frames(), nanos, big_endian)
}

pub fn samples() -> Vec<Sample> {
    vec![
        Sample {
            name: "format-pcap-be-nanos.pcap",
            description: "Big-endian pcap with nanosecond timestamps (magic a1b23c4d written big-endian, 6 frames): \
                          three IPv4 beats and replies at times such as 60.000123457 s.",
            bytes: with_order(true, true),
        },
        Sample {
            name: "format-pcap-le-nanos.pcap",
            description: "Little-endian pcap with nanosecond timestamps (6 frames), the same packets as \
                          `format-pcap-be-nanos.pcap`.",
            bytes: with_order(true, false),
        },
        Sample {
            name: "format-pcap-be-micros.pcap",
            description: "Big-endian pcap with microsecond timestamps (6 frames), the same packets as \
                          `format-pcap-be-nanos.pcap` with the nanoseconds truncated (60.000123 s).",
            bytes: with_order(false, true),
        },
        Sample {
            name: "format-multi.pcapng",
            description: "pcapng with two sections (11 frames). Section 1, little-endian: interface 0 Ethernet \
                          `eth0` (if_description \"Campus uplink\", if_tsresol 6), interface 1 raw IP `tun0` (if_tsresol 9), a Name Resolution Block; \
                          EPBs with an IPv4 beat and reply on eth0 and an IPv6 beat on tun0, a Simple Packet Block \
                          (DNS query on eth0, no timestamp), an obsolete Packet Block with the IPv6 reply on tun0, \
                          two Interface Statistics Blocks, a Custom Block (frame 6: Wireshark counts it). Section 2, big-endian, interface ids restart: interface 0 \
                          Linux cooked `any` (if_tsresol 3, milliseconds), interface 1 raw IPv4 `ipv4tap` \
                          (if_tsresol 0x94 = 2^-20 s, if_tsoffset 1772438400 s); an NRB; EPB IPv4 beat on any at \
                          180.123 s and its reply on ipv4tap at 180.126 s (stored in 2^-20 s units, so read back as \
                          180.125999450 s); a Packet Block with an IPv6 beat and an EPB with its reply on any; an SPB \
                          (DNS query); two ISBs. NRBs and ISBs are not frames.",
            bytes: multi_pcapng(),
        },
        Sample {
            name: "format-snaplen.pcap",
            description: "pcap with snapshot length 50 (5 frames, Ethernet): an IPv4 beat (50 bytes, complete); its \
                          reply cut to 50 of 58 bytes (8 of 16 payload bytes: the UID only); an ARP cut to 50 of 60; \
                          an IPv6 beat cut inside the IPv6 header (36 of 40 bytes); the IPv6 reply likewise.",
            bytes: snaplen_pcap(),
        },
    ]
}
