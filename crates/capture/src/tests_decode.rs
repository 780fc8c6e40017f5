//! Decode and reassembly tests.

use crate::defrag::{FragKey, Fragment};
use crate::testutil::*;
use crate::{
    decode, glance_udp_v4, glance_udp_v4_datagram, linktype, Decoded, DefragLimits, Defragmenter, FragmentInfo, Frame,
    Link, Net, Quoted, Timestamp, Transport, UdpPayload, Vlan,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn dec<'a>(data: &'a [u8], lt: u16, df: &'a mut Defragmenter) -> Decoded<'a> {
    decode(&frame(data, lt), df)
}

/// Asserts a UDP on the wire with the given header offset and payload.
fn assert_udp(d: &Decoded<'_>, hdr: usize, sport: u16, dport: u16, payload: &[u8]) {
    let Transport::Udp(u) = d.transport else { panic!("not UDP: {d:?}") };
    assert_eq!((u.header_offset, u.src_port, u.dst_port), (hdr, sport, dport));
    assert_eq!(u.length as usize, payload.len() + 8);
    assert_eq!(u.checksum, 0x1234);
    assert_eq!(u.payload.bytes(), payload);
    match u.payload {
        UdpPayload::Wire { offset, .. } => assert_eq!(offset, hdr + 8),
        UdpPayload::Reassembled { .. } => panic!("unexpected reassembly"),
    }
    assert!(!u.truncated);
    assert!(!d.truncated);
}

fn sll_hdr(proto: u16) -> Vec<u8> {
    let mut v = vec![0, 4, 0, 1, 0, 6];
    v.extend_from_slice(&MAC_A);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&proto.to_be_bytes());
    v
}

fn sll2_hdr(proto: u16) -> Vec<u8> {
    let mut v = proto.to_be_bytes().to_vec();
    v.extend_from_slice(&[0, 0, 0, 0, 0, 7, 0, 1, 4, 6]);
    v.extend_from_slice(&MAC_A);
    v.extend_from_slice(&[0, 0]);
    v
}

fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = a.to_vec();
    v.extend_from_slice(b);
    v
}

#[test]
fn every_link_type_ipv4_and_ipv6() {
    let payload = b"hello, heartbeat";
    let v4 = ipv4(17, &udp(4000, 5000, payload));
    let v6 = ipv6(17, &udp(4001, 5001, payload));
    // (link type, frame, offset of the IP header, expected link)
    let mut cases: Vec<(u16, Vec<u8>, usize, bool)> = vec![
        (linktype::ETHERNET, ether(0x0800, &v4), 14, false),
        (linktype::ETHERNET, ether(0x86dd, &v6), 14, true),
        (linktype::LINUX_SLL, cat(&sll_hdr(0x0800), &v4), 16, false),
        (linktype::LINUX_SLL, cat(&sll_hdr(0x86dd), &v6), 16, true),
        (linktype::LINUX_SLL2, cat(&sll2_hdr(0x0800), &v4), 20, false),
        (linktype::LINUX_SLL2, cat(&sll2_hdr(0x86dd), &v6), 20, true),
        (linktype::NULL, cat(&2u32.to_le_bytes(), &v4), 4, false),
        (linktype::NULL, cat(&2u32.to_be_bytes(), &v4), 4, false),
        (linktype::LOOP, cat(&2u32.to_be_bytes(), &v4), 4, false),
        (linktype::IPV4, v4.clone(), 0, false),
        (linktype::IPV6, v6.clone(), 0, true),
    ];
    for fam in [24u32, 28, 30] {
        cases.push((linktype::NULL, cat(&fam.to_le_bytes(), &v6), 4, true));
        cases.push((linktype::NULL, cat(&fam.to_be_bytes(), &v6), 4, true));
        cases.push((linktype::LOOP, cat(&fam.to_be_bytes(), &v6), 4, true));
    }
    for lt in [linktype::RAW, linktype::RAW_ALT12, linktype::RAW_ALT14] {
        cases.push((lt, v4.clone(), 0, false));
        cases.push((lt, v6.clone(), 0, true));
    }
    for (lt, data, off, is6) in cases {
        let mut df = Defragmenter::default();
        let d = dec(&data, lt, &mut df);
        match (lt, d.link) {
            (linktype::ETHERNET, Link::Ethernet(e)) => {
                assert_eq!((e.dst, e.src, e.ethertype), (MAC_B, MAC_A, if is6 { 0x86dd } else { 0x0800 }));
            }
            (linktype::LINUX_SLL, Link::Sll(s)) => {
                assert_eq!((s.version, s.packet_type, s.arphrd, s.addr_len), (1, 4, 1, 6));
                assert_eq!(&s.addr[..6], &MAC_A);
                assert_eq!(s.protocol, if is6 { 0x86dd } else { 0x0800 });
            }
            (linktype::LINUX_SLL2, Link::Sll(s)) => {
                assert_eq!((s.version, s.packet_type, s.arphrd, s.addr_len, s.ifindex), (2, 4, 1, 6, 7));
                assert_eq!(&s.addr[..6], &MAC_A);
            }
            (linktype::NULL | linktype::LOOP, Link::Loopback { family }) => {
                assert!(matches!(family, 2 | 24 | 28 | 30), "family {family}");
            }
            (_, Link::Raw) => {}
            (lt, l) => panic!("link type {lt}: {l:?}"),
        }
        if is6 {
            let Net::Ipv6(i) = d.net else { panic!("{lt}: {d:?}") };
            assert_eq!((i.offset, i.upper_offset, i.next_header, i.hop_limit), (off, off + 40, 17, 64));
            assert_eq!(i.flow_label, 0x12345);
            assert_eq!(i.src, Ipv6Addr::from(V6_SRC));
            assert_eq!(i.fragment, None);
            assert_eq!(d.net.dst(), Some(IpAddr::V6(Ipv6Addr::from(V6_DST))));
            assert_udp(&d, off + 40, 4001, 5001, payload);
        } else {
            let Net::Ipv4(i) = d.net else { panic!("{lt}: {d:?}") };
            assert_eq!((i.offset, i.header_len, i.protocol, i.ttl, i.id), (off, 20, 17, 64, 0x1234));
            assert_eq!(i.total_len as usize, v4.len());
            assert_eq!(d.net.src(), Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))));
            assert_udp(&d, off + 20, 4000, 5000, payload);
        }
    }
}

#[test]
fn loopback_families_and_odd_links() {
    let mut df = Defragmenter::default();
    // Unknown family → Net::Other.
    let d = dec(&[7, 0, 0, 0, 1, 2, 3], linktype::NULL, &mut df);
    assert_eq!(d.link, Link::Loopback { family: 7 });
    assert_eq!(d.net, Net::Other(7));
    let d = dec(&[0, 0], linktype::NULL, &mut df);
    assert!(d.truncated);
    // Unknown link type.
    let d = dec(&[1, 2, 3], 147, &mut df);
    assert_eq!(d.link, Link::Unknown(147));
    assert_eq!(d.net, Net::None);
    assert!(matches!(d.transport, Transport::None));
    // Raw with an unknown version, and an empty raw frame.
    let d = dec(&[0x50, 0, 0], linktype::RAW, &mut df);
    assert_eq!(d.net, Net::None);
    let d = dec(&[], linktype::RAW, &mut df);
    assert!(d.truncated);
    // SLL cut short.
    let d = dec(&[0; 10], linktype::LINUX_SLL, &mut df);
    assert!(d.truncated && matches!(d.link, Link::Sll(_)));
    let d = dec(&[0; 19], linktype::LINUX_SLL2, &mut df);
    assert!(d.truncated && matches!(d.link, Link::Sll(_)));
    // Ethernet cut inside the header.
    let e = ether(0x0800, &[]);
    let d = dec(&e[..9], linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    let Link::Ethernet(info) = d.link else { panic!() };
    assert_eq!(info.dst, MAC_B);
    assert_eq!(&info.src[..3], &MAC_A[..3]);
    assert_eq!(d.net, Net::None);
}

#[test]
fn vlan_and_qinq() {
    let v4 = ipv4(17, &udp(1, 2, b"abc"));
    let v6 = ipv6(17, &udp(1, 2, b"abc"));
    let mut df = Defragmenter::default();

    // 802.1Q: PCP 3, VID 100.
    let f = ether(0x8100, &cat(&[0x60, 0x64, 0x08, 0x00], &v4));
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_eq!(d.vlans, [Some(Vlan { offset: 14, tpid: 0x8100, pcp: 3, dei: false, id: 100 }), None]);
    let Link::Ethernet(e) = d.link else { panic!() };
    assert_eq!(e.ethertype, 0x0800);
    assert_udp(&d, 18 + 20, 1, 2, b"abc");

    // QinQ 88a8 (DEI, VID 200) + 8100 (VID 100) → IPv6.
    let f = ether(0x88a8, &cat(&[0x10, 0xc8, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd], &v6));
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_eq!(
        d.vlans,
        [
            Some(Vlan { offset: 14, tpid: 0x88a8, pcp: 0, dei: true, id: 200 }),
            Some(Vlan { offset: 18, tpid: 0x8100, pcp: 0, dei: false, id: 100 })
        ]
    );
    assert_udp(&d, 22 + 40, 1, 2, b"abc");

    // Three tags (9100, 88a8, 8100): two recorded, the third skipped.
    let tags = [0x00, 0x01, 0x88, 0xa8, 0x00, 0x02, 0x81, 0x00, 0x00, 0x03, 0x08, 0x00];
    let f = ether(0x9100, &cat(&tags, &v4));
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_eq!(d.vlans[0].unwrap().tpid, 0x9100);
    assert_eq!(d.vlans[0].unwrap().id, 1);
    assert_eq!(d.vlans[1].unwrap().id, 2);
    assert_udp(&d, 26 + 20, 1, 2, b"abc");

    // Cut inside a tag.
    let f = ether(0x8100, &[0x00]);
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    assert_eq!(d.net, Net::None);
}

#[test]
fn ethernet_padding_is_trimmed() {
    let mut f = ether(0x0800, &ipv4(17, &udp(7, 8, b"hi")));
    assert_eq!(f.len(), 44);
    f.resize(60, 0xee);
    let mut df = Defragmenter::default();
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_udp(&d, 34, 7, 8, b"hi");
    // IPv6 too.
    let mut f = ether(0x86dd, &ipv6(17, &udp(7, 8, b"")));
    f.resize(f.len() + 10, 0xee);
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_udp(&d, 54, 7, 8, b"");
}

#[test]
fn snaplen_truncated_frames() {
    let payload: Vec<u8> = (0..100).collect();
    let full = ether(0x0800, &ipv4(17, &udp(9, 10, &payload)));
    let mut df = Defragmenter::default();
    let d = dec(&full[..14 + 20 + 8 + 5], linktype::ETHERNET, &mut df);
    let Transport::Udp(u) = d.transport else { panic!() };
    assert!(u.truncated && d.truncated);
    assert_eq!(u.length, 108);
    assert_eq!(u.payload.bytes(), &payload[..5]);

    // Cut inside the UDP header.
    let d = dec(&full[..14 + 20 + 4], linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    assert!(matches!(d.net, Net::Ipv4(_)));
    assert!(matches!(d.transport, Transport::None));

    // Cut inside the IPv4 header.
    let d = dec(&full[..14 + 10], linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    assert_eq!(d.net, Net::Cut { offset: 14, version: 4 });

    // IPv6 cut inside the UDP payload and inside the header.
    let full6 = ether(0x86dd, &ipv6(17, &udp(9, 10, &payload)));
    let d = dec(&full6[..14 + 40 + 8 + 20], linktype::ETHERNET, &mut df);
    let Transport::Udp(u) = d.transport else { panic!() };
    assert!(u.truncated && d.truncated);
    assert_eq!(u.payload.bytes(), &payload[..20]);
    let d = dec(&full6[..14 + 30], linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    assert_eq!(d.net, Net::Cut { offset: 14, version: 6 });

    // UDP length larger than the IP datagram: limited by the IP length, flagged.
    let mut bad = udp(9, 10, b"abcd");
    bad[5] = 50;
    let f = ipv4(17, &bad);
    let d = dec(&f, linktype::IPV4, &mut df);
    let Transport::Udp(u) = d.transport else { panic!() };
    assert_eq!(u.payload.bytes(), b"abcd");
    assert!(u.truncated);

    // IPv4 total length 0 (TSO): use the captured length.
    let mut f = ipv4(17, &udp(9, 10, b"xyz"));
    f[2] = 0;
    f[3] = 0;
    let d = dec(&f, linktype::IPV4, &mut df);
    let Transport::Udp(u) = d.transport else { panic!() };
    assert_eq!(u.payload.bytes(), b"xyz");
}

#[test]
fn tcp_arp_other() {
    let mut tcp = vec![0x1f, 0x90, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0];
    tcp.extend_from_slice(&[0xaa; 10]);
    let f = ether(0x0800, &ipv4(6, &tcp));
    let mut df = Defragmenter::default();
    let d = dec(&f, linktype::ETHERNET, &mut df);
    let Transport::Tcp(t) = d.transport else { panic!() };
    assert_eq!(
        (t.header_offset, t.src_port, t.dst_port, t.seq, t.ack, t.flags, t.payload_len),
        (34, 8080, 50000, 1, 2, 0x018, 10)
    );
    // Snaplen cut: payload length still from the IP header.
    let d = dec(&f[..40], linktype::ETHERNET, &mut df);
    assert!(d.truncated);
    let d = dec(&f[..f.len() - 5], linktype::ETHERNET, &mut df);
    let Transport::Tcp(t) = d.transport else { panic!() };
    assert_eq!(t.payload_len, 10);
    assert!(d.truncated);

    let tmp = ether(0x0806, &[0; 28]);
    let d = dec(&tmp, linktype::ETHERNET, &mut df);
    assert_eq!(d.net, Net::Arp);
    let tmp = ether(0x88cc, &[0; 28]);
    let d = dec(&tmp, linktype::ETHERNET, &mut df);
    assert_eq!(d.net, Net::Other(0x88cc));
    let tmp = ipv4(47, &[0; 8]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    assert!(matches!(d.transport, Transport::Other(47)));
    let tmp = ipv6(59, &[]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    assert!(matches!(d.transport, Transport::Other(59)));
    // Bad IPv4 header length.
    let mut f = ipv4(17, &udp(1, 2, b"a"));
    f[0] = 0x43;
    let d = dec(&f, linktype::RAW, &mut df);
    assert!(matches!(d.net, Net::Ipv4(_)));
    assert!(matches!(d.transport, Transport::None));
    // Ethertype says IPv4, version says otherwise.
    let mut f = ether(0x0800, &ipv4(17, &udp(1, 2, b"a")));
    f[14] = 0x65;
    let d = dec(&f, linktype::ETHERNET, &mut df);
    assert_eq!(d.net, Net::Other(0x0800));
    // IPv4 with options.
    let mut f = vec![0x46, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 0];
    f.extend(udp(3, 4, b"opt"));
    let l = f.len() as u16;
    f[2..4].copy_from_slice(&l.to_be_bytes());
    let d = dec(&f, linktype::RAW, &mut df);
    assert_udp(&d, 24, 3, 4, b"opt");
}

#[test]
fn ipv6_extension_headers() {
    let mut df = Defragmenter::default();
    // Hop-by-hop (→ dest opts) + dest opts (→ AH) + AH 16 bytes (→ UDP) + UDP.
    let mut ext = vec![60, 0, 1, 4, 0, 0, 0, 0];
    ext.extend_from_slice(&[51, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    ext.extend_from_slice(&[17, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    ext.extend(udp(53, 5353, b"dns"));
    let f = ipv6(0, &ext);
    let d = dec(&f, linktype::RAW, &mut df);
    let Net::Ipv6(i) = d.net else { panic!() };
    assert_eq!((i.next_header, i.upper_offset), (17, 40 + 8 + 16 + 16));
    assert_udp(&d, 80, 53, 5353, b"dns");
    // Chain cut short.
    let d = dec(&f[..50], linktype::RAW, &mut df);
    assert!(d.truncated);
    assert!(matches!(d.transport, Transport::None));
    // Routing header then an unknown header.
    let f = ipv6(43, &[99, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    let d = dec(&f, linktype::RAW, &mut df);
    assert!(matches!(d.transport, Transport::Other(99)));
    // Atomic fragment (offset 0, M=0): decoded directly.
    let f = ipv6(44, &v6_frag(17, 77, 0, false, &udp(1, 2, b"atomic")));
    let d = dec(&f, linktype::RAW, &mut df);
    let Net::Ipv6(i) = d.net else { panic!() };
    assert_eq!(i.fragment, Some((77, 0, false)));
    assert_udp(&d, 48, 1, 2, b"atomic");
    assert_eq!(df.pending(), 0);
}

/// Decodes `frames` (each an IP packet on a raw link) in order; returns the decoded views'
/// (transport kind, reassembly) summary of the last one and checks the others are fragments.
/// (UDP payload, fragment info, reassembled buffer) for a frame that completed a datagram.
type Done = Option<(Vec<u8>, FragmentInfo, Vec<u8>)>;

fn feed_raw(df: &mut Defragmenter, frames: &[(u64, i64, Vec<u8>)]) -> Vec<Done> {
    let mut out = Vec::new();
    for (no, secs, data) in frames {
        let f = Frame { number: *no, ts: Timestamp { secs: *secs, nanos: 0 }, ..frame(data, linktype::RAW) };
        let d = decode(&f, df);
        match d.transport {
            Transport::Fragment => {
                assert!(d.reassembled.is_none());
                assert!(d.fragment_len.is_some());
                out.push(None);
            }
            Transport::Udp(u) => {
                let UdpPayload::Reassembled { offset, bytes, buffer } = u.payload else { panic!() };
                assert_eq!(offset, u.header_offset + 8);
                assert!(!u.truncated);
                assert_eq!(bytes, &buffer[offset..]);
                out.push(Some((bytes.to_vec(), d.reassembled.unwrap().clone(), buffer.to_vec())));
            }
            t => panic!("unexpected {t:?}"),
        }
    }
    out
}

fn v4_frags(id: u16, datagram: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, &end) in cuts.iter().chain(std::iter::once(&datagram.len())).enumerate() {
        let more = i < cuts.len();
        v.push(ipv4_frag([10, 0, 0, 1], [10, 0, 0, 2], 17, id, more, start as u32, &datagram[start..end]));
        start = end;
    }
    v
}

#[test]
fn ipv4_fragments_in_and_out_of_order() {
    let payload: Vec<u8> = (0..100u8).collect();
    let dg = udp(1111, 2222, &payload);
    let fr = v4_frags(7, &dg, &[48, 96]);
    let mut df = Defragmenter::default();
    let res = feed_raw(&mut df, &[(1, 10, fr[0].clone()), (2, 10, fr[1].clone()), (3, 11, fr[2].clone())]);
    assert!(res[0].is_none() && res[1].is_none());
    let (bytes, info, buf) = res[2].clone().unwrap();
    assert_eq!(bytes, payload);
    assert_eq!(buf, dg);
    assert_eq!(info, FragmentInfo { fragments: vec![(1, 0, 48), (2, 48, 48), (3, 96, 12)], total_len: 108 });
    assert_eq!(df.pending(), 0);
    assert_eq!(df.buffered_bytes(), 0);

    // Net info describes the completing frame's own header.
    let mut df = Defragmenter::default();
    let f0 = frame(&fr[0], linktype::RAW);
    let d = decode(&f0, &mut df);
    assert_eq!(d.fragment_len, Some(48));
    let Net::Ipv4(i) = d.net else { panic!() };
    assert!(i.more_fragments && i.frag_offset == 0);

    // Out of order: last, first, middle; and a different id interleaved.
    let other = v4_frags(8, &udp(5, 6, b"other datagram"), &[8]);
    let mut df = Defragmenter::default();
    let res = feed_raw(
        &mut df,
        &[
            (1, 10, fr[2].clone()),
            (2, 10, other[0].clone()),
            (3, 10, fr[0].clone()),
            (4, 10, fr[1].clone()),
            (5, 10, other[1].clone()),
        ],
    );
    let (bytes, info, _) = res[3].clone().unwrap();
    assert_eq!(bytes, payload);
    assert_eq!(info.fragments, vec![(3, 0, 48), (4, 48, 48), (1, 96, 12)]);
    let (bytes, info, _) = res[4].clone().unwrap();
    assert_eq!(bytes, b"other datagram");
    assert_eq!(info.fragments, vec![(2, 0, 8), (5, 8, 14)]);
    assert_eq!(df.evicted(), 0);

    // Fragments over Ethernet with padding on the last one.
    let mut df = Defragmenter::default();
    let small = v4_frags(9, &udp(1, 2, b"0123456789"), &[8]);
    let mut e2 = ether(0x0800, &small[1]);
    e2.resize(60, 0xee);
    let e1 = ether(0x0800, &small[0]);
    let d = dec(&e1, linktype::ETHERNET, &mut df);
    assert!(matches!(d.transport, Transport::Fragment));
    let d = dec(&e2, linktype::ETHERNET, &mut df);
    let Transport::Udp(u) = d.transport else { panic!() };
    assert_eq!(u.payload.bytes(), b"0123456789");
    assert_eq!(u.header_offset, 0);

    // A fragment cut by the snaplen is not fed (it cannot complete anything).
    let mut df = Defragmenter::default();
    let d = dec(&fr[0][..30], linktype::RAW, &mut df);
    assert!(matches!(d.transport, Transport::Fragment) && d.truncated);
    assert_eq!(df.pending(), 0);
}

#[test]
fn ipv6_fragments() {
    let payload: Vec<u8> = (0..200u8).collect();
    let dg = udp(3333, 4444, &payload); // 208 bytes
    let f1 = ipv6(44, &v6_frag(17, 0xdead_beef, 0, true, &dg[..104]));
    let f2 = ipv6(44, &v6_frag(17, 0xdead_beef, 104, false, &dg[104..]));
    let mut df = Defragmenter::default();
    let res = feed_raw(&mut df, &[(1, 0, f2.clone()), (2, 0, f1.clone())]);
    let (bytes, info, _) = res[1].clone().unwrap();
    assert_eq!(bytes, payload);
    assert_eq!(info, FragmentInfo { fragments: vec![(2, 0, 104), (1, 104, 104)], total_len: 208 });

    let mut df = Defragmenter::default();
    let d = dec(&f1, linktype::RAW, &mut df);
    let Net::Ipv6(i) = d.net else { panic!() };
    assert_eq!((i.next_header, i.upper_offset, i.fragment), (17, 48, Some((0xdead_beef, 0, true))));
    assert_eq!(d.fragment_len, Some(104));

    // With a destination-options header after the fragment header (in the first fragment).
    let mut dg2 = vec![17, 0, 1, 4, 0, 0, 0, 0];
    dg2.extend(udp(1, 2, &payload[..50]));
    let g1 = ipv6(0, &cat(&[44, 0, 1, 4, 0, 0, 0, 0], &v6_frag(60, 5, 0, true, &dg2[..32])));
    let g2 = ipv6(44, &v6_frag(60, 5, 32, false, &dg2[32..]));
    let mut df = Defragmenter::default();
    let d = dec(&g1, linktype::ETHERNET, &mut df);
    assert!(matches!(d.link, Link::Ethernet(_)));
    let mut df = Defragmenter::default();
    let res = feed_raw(&mut df, &[(1, 0, g1), (2, 0, g2)]);
    let (bytes, _, buf) = res[1].clone().unwrap();
    assert_eq!(bytes, &payload[..50]);
    assert_eq!(buf, dg2);
}

#[test]
fn overlapping_fragments_first_data_wins() {
    let dg = udp(1, 2, &[b'o'; 24]); // 32 bytes
    let a = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, true, 0, &dg[..16]);
    let mut b_data = dg[8..24].to_vec();
    b_data[..8].copy_from_slice(b"XXXXXXXX");
    let b = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, true, 8, &b_data);
    let c = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, false, 24, &dg[24..]);

    let mut df = Defragmenter::default();
    let res = feed_raw(&mut df, &[(1, 0, a.clone()), (2, 0, b.clone()), (3, 0, c.clone())]);
    let (_, info, buf) = res[2].clone().unwrap();
    assert_eq!(buf, dg);
    assert_eq!(info.fragments, vec![(1, 0, 16), (2, 8, 16), (3, 24, 8)]);

    let mut df = Defragmenter::default();
    let res = feed_raw(&mut df, &[(1, 0, b.clone()), (2, 0, a.clone()), (3, 0, c.clone())]);
    let (_, _, buf) = res[2].clone().unwrap();
    assert_eq!(&buf[..8], &dg[..8]);
    assert_eq!(&buf[8..16], b"XXXXXXXX");
    assert_eq!(&buf[16..], &dg[16..]);

    // Duplicates, a fragment inside another, and a conflicting second "last" fragment.
    let mut df = Defragmenter::default();
    let inner = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, true, 8, b"ZZZZ");
    let bogus_last = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, false, 40, &[0xff; 40]);
    let res = feed_raw(
        &mut df,
        &[
            (1, 0, a.clone()),
            (2, 0, a.clone()),
            (3, 0, inner),
            (4, 0, c.clone()),
            (5, 0, bogus_last),
            (6, 0, b.clone()),
        ],
    );
    let (_, info, buf) = res[5].clone().unwrap();
    assert_eq!(buf, dg);
    // The fragment entirely past the end contributed nothing and is not listed.
    assert_eq!(info.fragments, vec![(1, 0, 16), (2, 0, 16), (3, 8, 4), (6, 8, 16), (4, 24, 8)]);

    // A second last fragment claiming a different end fills only what is missing.
    let mut df = Defragmenter::default();
    let other_last = ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 1, false, 16, &[0xff; 40]);
    let res = feed_raw(&mut df, &[(1, 0, a.clone()), (2, 0, c.clone()), (3, 0, other_last)]);
    let (_, info, buf) = res[2].clone().unwrap();
    assert_eq!(&buf[..16], &dg[..16]);
    assert_eq!(&buf[16..24], &[0xff; 8]);
    assert_eq!(&buf[24..], &dg[24..]);
    assert_eq!(info.total_len, 32);
}

fn key(id: u32) -> FragKey {
    FragKey { src: IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4)), dst: IpAddr::V4(Ipv4Addr::new(5, 6, 7, 8)), proto: 17, id }
}

fn add(df: &mut Defragmenter, id: u32, secs: i64, frame: u64, offset: u32, more: bool, data: &[u8]) -> Option<Vec<u8>> {
    let ts = Timestamp { secs, nanos: 0 };
    df.add(key(id), ts, Fragment { frame, offset, more, proto: 17, data }).map(|r| r.payload.to_vec())
}

#[test]
fn eviction_by_count_bytes_timeout() {
    // Count: the oldest tracker goes first.
    let mut df = Defragmenter::new(DefragLimits { max_trackers: 2, ..DefragLimits::default() });
    add(&mut df, 1, 0, 1, 0, true, &[1; 8]);
    add(&mut df, 2, 0, 2, 0, true, &[2; 8]);
    add(&mut df, 3, 0, 3, 0, true, &[3; 8]);
    assert_eq!((df.evicted(), df.pending()), (1, 2));
    assert_eq!(add(&mut df, 2, 0, 4, 8, false, &[2; 8]), Some(vec![2; 16]));
    assert_eq!(add(&mut df, 3, 0, 5, 8, false, &[3; 8]), Some(vec![3; 16]));
    // id 1 was evicted: its last fragment alone does not complete anything.
    assert_eq!(add(&mut df, 1, 0, 6, 8, false, &[1; 8]), None);
    assert_eq!(df.pending(), 1);

    // Bytes.
    let mut df = Defragmenter::new(DefragLimits { max_bytes: 100, ..DefragLimits::default() });
    add(&mut df, 1, 0, 1, 0, true, &[1; 64]);
    assert_eq!(df.buffered_bytes(), 64);
    add(&mut df, 2, 0, 2, 0, true, &[2; 64]);
    assert_eq!((df.evicted(), df.pending(), df.buffered_bytes()), (1, 1, 64));
    // A single datagram larger than the budget is dropped itself.
    add(&mut df, 3, 0, 3, 0, true, &[3; 200]);
    assert_eq!((df.evicted(), df.pending(), df.buffered_bytes()), (3, 0, 0));

    // Timeout in capture time.
    let mut df = Defragmenter::new(DefragLimits { timeout_secs: 30, ..DefragLimits::default() });
    add(&mut df, 1, 100, 1, 0, true, &[1; 8]);
    add(&mut df, 2, 120, 2, 0, true, &[2; 8]);
    assert_eq!(add(&mut df, 9, 130, 3, 0, true, &[9; 8]), None);
    assert_eq!(df.evicted(), 0); // exactly 30 s: still alive
    assert_eq!(add(&mut df, 1, 130, 4, 8, false, &[1; 8]), Some(vec![1; 16]));
    add(&mut df, 3, 151, 5, 0, true, &[3; 8]);
    assert_eq!(df.evicted(), 1); // id 2 (created at 120) expired
                                 // A frame with an earlier timestamp does not move the clock back.
    add(&mut df, 4, 0, 6, 0, true, &[3; 8]);
    assert_eq!(add(&mut df, 2, 151, 7, 8, false, &[2; 8]), None);
    df.now(Timestamp { secs: 1000, nanos: 0 });
    assert_eq!(df.pending(), 0);
    assert_eq!(df.evicted(), 5);

    // Larger than the maximum datagram: ignored.
    let mut df = Defragmenter::default();
    assert_eq!(add(&mut df, 1, 0, 1, 65528, false, &[0; 16]), None);
    assert_eq!(df.pending(), 0);
    let mut df = Defragmenter::new(DefragLimits { max_trackers: 0, ..DefragLimits::default() });
    assert_eq!(add(&mut df, 1, 0, 1, 0, true, &[0; 16]), None);
}

#[test]
fn defrag_random_orders_reassemble_exactly() {
    let mut rng = crate::tests_fuzz::Rng(0x1234_5678);
    for round in 0..300 {
        let len = 1 + rng.below(3000) as usize;
        let dg: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Random pieces covering the datagram, with overlaps.
        let mut pieces = Vec::new();
        let mut pos = 0;
        while pos < len {
            let start = pos.saturating_sub(rng.below(16) as usize);
            let end = (pos + 1 + rng.below(600) as usize).min(len);
            pieces.push((start, end));
            pos = end;
        }
        for _ in 0..rng.below(4) {
            let s = rng.below(len as u64) as usize;
            let e = (s + rng.below(100) as usize).min(len);
            pieces.push((s, e));
        }
        // Shuffle.
        for i in (1..pieces.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            pieces.swap(i, j);
        }
        let mut df = Defragmenter::default();
        let mut done = None;
        let mut covered = vec![false; len];
        for (n, &(s, e)) in pieces.iter().enumerate() {
            done = add(&mut df, 1, 0, n as u64 + 1, s as u32, e != len, &dg[s..e]);
            covered[s..e].iter_mut().for_each(|c| *c = true);
            let all = covered.iter().all(|&c| c) && pieces[..=n].iter().any(|p| p.1 == len);
            assert_eq!(done.is_some(), all, "round {round}: completion at piece {n}");
            if done.is_some() {
                break;
            }
        }
        // Fragments ending at `len` with MF clear: the datagram completes once all bytes are in.
        assert_eq!(done.as_deref(), Some(&dg[..]), "round {round}");
    }
}

fn sa(ip: IpAddr, port: u16) -> std::net::SocketAddr {
    std::net::SocketAddr::new(ip, port)
}

#[test]
fn icmp_errors_quote_udp() {
    let mut df = Defragmenter::default();
    // ICMPv4 port unreachable quoting 10.0.0.2:5000 → 10.0.0.9:9999.
    let quoted = ipv4_frag([10, 0, 0, 2], [10, 0, 0, 9], 17, 1, false, 0, &udp(5000, 9999, &[0; 22]));
    let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
    icmp.extend_from_slice(&quoted[..28]);
    let f = ether(0x0800, &ipv4(1, &icmp));
    let d = dec(&f, linktype::ETHERNET, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!((i.v6, i.header_offset, i.icmp_type, i.code, i.len), (false, 34, 3, 3, 36));
    let (a, b) = (IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9)));
    assert_eq!(i.quoted_udp(&f), Some((sa(a, 5000), sa(b, 9999), 30)));
    // The quoted headers sit at their offsets in the frame: IP after the 8-byte ICMP header.
    let q = i.quoted(&f).unwrap();
    let Net::Ipv4(ip) = q.net else { panic!() };
    assert_eq!((ip.offset, ip.header_len, ip.total_len, ip.protocol), (42, 20, 50, 17));
    assert_eq!(q.udp.unwrap().header_offset, 62);
    assert_eq!(i.checksum_ok(), Some(false), "a zero checksum is wrong for this message");
    // Echo request: no quote, identifier and sequence number. Time exceeded: quote.
    let tmp = ipv4(1, &[8, 0, 0, 0, 0x12, 0x34, 0, 7]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!((i.icmp_type, i.quoted(&tmp), i.echo()), (8, None, Some((0x1234, 7))));
    icmp[0] = 11;
    icmp[1] = 0;
    let tmp = ipv4(1, &icmp);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert!(i.quoted_udp(&tmp).is_some());
    assert_eq!(i.echo(), None);
    // Quote cut inside the UDP header: the IP header is still decoded, no UDP, no panic.
    let tmp = ipv4(1, &icmp[..8 + 24]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!(i.quoted_udp(&tmp), None);
    assert!(matches!(i.quoted(&tmp), Some(Quoted { net: Net::Ipv4(_), udp: None, .. })));
    // Cut inside the quoted IP header: nothing quoted.
    let tmp = ipv4(1, &icmp[..8 + 12]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!(i.quoted(&tmp), None);

    // ICMPv6 destination unreachable / port unreachable.
    let q6 = ipv6(17, &udp(6000, 7000, &[1; 12]));
    let mut icmp6 = vec![1, 4, 0, 0, 0, 0, 0, 0];
    icmp6.extend_from_slice(&q6);
    let f = ether(0x86dd, &ipv6(58, &icmp6));
    let d = dec(&f, linktype::ETHERNET, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!((i.v6, i.header_offset, i.icmp_type, i.code), (true, 54, 1, 4));
    let (a, b) = (IpAddr::V6(Ipv6Addr::from(V6_SRC)), IpAddr::V6(Ipv6Addr::from(V6_DST)));
    assert_eq!(i.quoted_udp(&f), Some((sa(a, 6000), sa(b, 7000), 20)));
    // ICMPv6 echo: no quote; packet too big (2) quotes.
    let tmp = ipv6(58, &[128, 0, 0, 0, 0, 0, 0, 0]);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!(i.quoted(&tmp), None);
    icmp6[0] = 2;
    icmp6[1] = 0;
    let tmp = ipv6(58, &icmp6);
    let d = dec(&tmp, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert!(i.quoted_udp(&tmp).is_some());
}

fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

/// Checksums checked on messages tshark calls correct: `heartbeat.pcap`'s port unreachable
/// (ICMP 0x9c3c) and `icmp.pcap`'s ICMPv6 port unreachable (0x2dc1, over its pseudo-header).
#[test]
fn icmp_checksums() {
    let mut df = Defragmenter::default();
    let mut v4 = unhex(
        "4500 0048 65f2 0000 4001 75ad 0a14 1e28 ac10 cac9 0303 9c3c 0000 0000 4500 002c 58eb 4000 \
         3e11 44c0 ac10 cac9 0a14 1e28 0d07 ac5f 0018 a841 feff ffff ffff ffff 0000 0000 0000 0000",
    );
    let v6 = unhex(
        "6000 0000 0048 3a40 2001 0db8 0020 0030 0000 0000 0000 0040 2001 0db8 0172 0016 0000 0000 \
         0000 0201 0104 2dc1 0000 0000 6000 0000 0018 113e 2001 0db8 0172 0016 0000 0000 0000 0201 \
         2001 0db8 0020 0030 0000 0000 0000 0040 0d07 ce8e 0018 df25 cb04 fb71 1f01 0000 0000 0000 \
         0000 0000",
    );
    for bytes in [&v4, &v6] {
        let d = dec(bytes, linktype::RAW, &mut df);
        let Transport::Icmp(i) = d.transport else { panic!() };
        assert_eq!(i.checksum_ok(), Some(true), "{:#06x}", i.checksum);
        assert_eq!(i.checksum_should_be(), i.checksum);
    }
    // One bit of the checksum flipped: wrong, and what it should be is still known.
    v4[23] ^= 1;
    let d = dec(&v4, linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!((i.checksum, i.checksum_ok(), i.checksum_should_be()), (0x9c3d, Some(false), 0x9c3c));
    // Cut short by the capture: not verified.
    let d = dec(&v4[..60], linktype::RAW, &mut df);
    let Transport::Icmp(i) = d.transport else { panic!() };
    assert_eq!(i.checksum_ok(), None);
}

#[test]
fn reader_then_decode_end_to_end() {
    let dg = udp(1000, 2000, &[0x42; 60]);
    let fr = v4_frags(3, &dg, &[32]);
    let e1 = ether(0x0800, &fr[0]);
    let e2 = ether(0x0800, &fr[1]);
    let plain = ether(0x86dd, &ipv6(17, &udp(1, 2, b"v6")));
    let mut r = crate::Reader::new(Box::new(std::io::Cursor::new(pcap_file(1, &[&e1, &plain, &e2])))).unwrap();
    let mut df = Defragmenter::default();
    let mut seen = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        let d = decode(&f, &mut df);
        let kind = match d.transport {
            Transport::Udp(u) => {
                format!("udp {} {}", u.payload.bytes().len(), d.reassembled.map_or(0, |i| i.fragments.len()))
            }
            Transport::Fragment => "fragment".to_string(),
            t => format!("{t:?}"),
        };
        seen.push((f.number, kind));
    }
    assert_eq!(seen, vec![(1, "fragment".to_string()), (2, "udp 2 0".to_string()), (3, "udp 60 2".to_string())]);
}

#[test]
fn quiet_capture_time_expires_fragments() {
    let fr = v4_frags(4, &udp(1, 2, &[0; 40]), &[16]);
    let plain = ipv4(17, &udp(1, 2, b"later"));
    let mut df = Defragmenter::default();
    let f1 = Frame { ts: Timestamp { secs: 10, nanos: 0 }, ..frame(&fr[0], linktype::RAW) };
    let _ = decode(&f1, &mut df);
    assert_eq!(df.pending(), 1);
    let f2 = Frame { ts: Timestamp { secs: 40, nanos: 0 }, ..frame(&plain, linktype::RAW) };
    let _ = decode(&f2, &mut df);
    assert_eq!((df.pending(), df.evicted()), (1, 0));
    let f3 = Frame { ts: Timestamp { secs: 40, nanos: 1 }, ..frame(&plain, linktype::RAW) };
    let _ = decode(&f3, &mut df);
    assert_eq!((df.pending(), df.evicted()), (0, 1));
}

/// The ends `decode` finds for a frame's UDP datagram on the wire in an unfragmented IPv4
/// packet over Ethernet, if it finds one.
fn decoded_v4_ends(data: &[u8]) -> Option<(std::net::SocketAddr, std::net::SocketAddr)> {
    let mut df = Defragmenter::new(DefragLimits::default());
    let d = dec(data, linktype::ETHERNET, &mut df);
    match (d.net, d.transport, d.vlans[0]) {
        (Net::Ipv4(i), Transport::Udp(u), None) if d.reassembled.is_none() => {
            Some(((i.src, u.src_port).into(), (i.dst, u.dst_port).into()))
        }
        _ => None,
    }
}

#[test]
fn a_glance_at_a_frame_finds_the_ends_decode_finds() {
    let dg = udp(5000, 3335, b"12345678");
    let ends = Some(("10.0.0.1:5000".parse().unwrap(), "10.0.0.2:3335".parse().unwrap()));
    let plain = ether(0x0800, &ipv4(17, &dg));
    assert_eq!(glance_udp_v4(&plain, linktype::ETHERNET), ends);
    assert_eq!(decoded_v4_ends(&plain), ends);
    // Options: the ports after a longer header.
    let mut opts = ipv4(17, &[[1u8, 1, 1, 1].as_slice(), &dg].concat());
    opts[0] = 0x46;
    let opts = ether(0x0800, &opts);
    assert_eq!(glance_udp_v4(&opts, linktype::ETHERNET), ends);
    assert_eq!(decoded_v4_ends(&opts), ends);
    // The payload with the ends: from after the UDP header, padding and all.
    let mut padded = opts.clone();
    padded.extend_from_slice(&[0, 0]);
    let (_, _, payload) = glance_udp_v4_datagram(&padded, linktype::ETHERNET).unwrap();
    assert_eq!(payload, b"12345678\0\0");
    // Nothing for what it does not read: another link type, a VLAN tag, IPv6, TCP, either
    // fragment, a header length below 20, a frame cut before the ports.
    let first = ether(0x0800, &ipv4_frag([10, 0, 0, 1], [10, 0, 0, 2], 17, 7, true, 0, &dg[..8]));
    let later = ether(0x0800, &ipv4_frag([10, 0, 0, 1], [10, 0, 0, 2], 17, 7, false, 8, &dg[8..]));
    let mut short_header = plain.clone();
    short_header[14] = 0x44;
    let vlan = ether(0x8100, &[[0u8, 5, 8, 0].as_slice(), &ipv4(17, &dg)].concat());
    for (data, lt) in [
        (&plain[14..], linktype::RAW),
        (&vlan, linktype::ETHERNET),
        (&ether(0x86dd, &ipv6(17, &dg)), linktype::ETHERNET),
        (&ether(0x0800, &ipv4(6, &dg)), linktype::ETHERNET),
        (&first, linktype::ETHERNET),
        (&later, linktype::ETHERNET),
        (&short_header, linktype::ETHERNET),
        (&plain[..37], linktype::ETHERNET),
    ] {
        assert_eq!(glance_udp_v4(data, lt), None, "{data:02x?}");
    }
}

#[test]
fn a_glance_agrees_with_decode_on_damaged_frames() {
    // Frames with a few bytes changed at random, mostly in the headers: wherever decode finds
    // a UDP datagram in an unfragmented IPv4 packet, the glance found the same ends.
    let base = ether(0x0800, &ipv4(17, &udp(5000, 3335, b"12345678")));
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut agreed = 0;
    for _ in 0..20_000 {
        let mut f = base.clone();
        for _ in 0..1 + next() % 3 {
            let at = (next() % 46) as usize;
            f[at] = next() as u8;
        }
        f.truncate(30 + (next() % 24) as usize);
        let glance = glance_udp_v4(&f, linktype::ETHERNET);
        if let Some(ends) = decoded_v4_ends(&f) {
            assert_eq!(glance, Some(ends), "{f:02x?}");
            agreed += 1;
        }
    }
    assert!(agreed > 1000, "{agreed}");
}
