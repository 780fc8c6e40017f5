//! Checks the writers against tshark: every file written here is read back by
//! tshark and the dissected fields must be exactly what the writer was asked
//! to write. Skipped (with a message on stderr) when tshark is not installed.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use udpdissect_pcapgen::link::{self, Vlan};
use udpdissect_pcapgen::packet::{self, Udp};
use udpdissect_pcapgen::{damage, gzip, linktype, IfOpts, PcapNgWriter, PcapWriter, Ts};

const FIELDS: [&str; 12] = [
    "frame.number",
    "frame.time_epoch",
    "frame.len",
    "frame.cap_len",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "_ws.expert.message",
];

struct Run {
    rows: Vec<Vec<String>>,
    success: bool,
    stderr: String,
}

/// Writes `bytes` to a temporary file and dissects it with tshark.
fn tshark(bytes: &[u8], name: &str) -> Run {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "pcapgen-oracle-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, bytes).unwrap();
    let mut cmd = Command::new("tshark");
    cmd.arg("-n").arg("-r").arg(&path).args(["-T", "fields"]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    cmd.args(["-E", "separator=/t"]);
    for p in ["udp.check_checksum:TRUE", "ip.check_checksum:TRUE", "tcp.check_checksum:TRUE"] {
        cmd.args(["-o", p]);
    }
    let out = cmd.output().expect("running tshark");
    std::fs::remove_file(&path).ok();
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        rows: stdout.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect(),
        success: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What tshark should find above the link layer.
#[derive(Clone, Copy)]
enum L3 {
    /// No IP at all (ARP, custom block, ...).
    None,
    Udp4(SocketAddrV4, SocketAddrV4, usize),
    Udp6(SocketAddrV6, SocketAddrV6, usize),
    /// IP without UDP (TCP, non-final fragment, truncated).
    Ip4(Ipv4Addr, Ipv4Addr),
    Ip6(Ipv6Addr, Ipv6Addr),
    /// ICMP error from a router quoting a UDP datagram of the given length.
    Icmp4(Ipv4Addr, SocketAddrV4, SocketAddrV4, usize),
    Icmp6(Ipv6Addr, SocketAddrV6, SocketAddrV6, usize),
}

/// Expected tshark rows, numbered as they are added.
#[derive(Default, Clone)]
struct Expect(Vec<Vec<String>>);

fn epoch(ts: Ts) -> String {
    format!("{}.{:09}", ts.secs, ts.nanos)
}

fn micros(ts: Ts) -> Ts {
    Ts::new(ts.secs, ts.nanos / 1000 * 1000)
}

impl Expect {
    /// `time` is the exact string tshark prints ("" for no timestamp).
    fn add(&mut self, time: &str, len: usize, caplen: usize, l3: L3) {
        let s = |x: &dyn ToString| x.to_string();
        let e = String::new;
        let (ip, ip6, udp): ([String; 2], [String; 2], [String; 3]) = match l3 {
            L3::None => ([e(), e()], [e(), e()], [e(), e(), e()]),
            L3::Udp4(a, b, n) => ([s(a.ip()), s(b.ip())], [e(), e()], [s(&a.port()), s(&b.port()), s(&(n + 8))]),
            L3::Udp6(a, b, n) => ([e(), e()], [s(a.ip()), s(b.ip())], [s(&a.port()), s(&b.port()), s(&(n + 8))]),
            L3::Ip4(a, b) => ([s(&a), s(&b)], [e(), e()], [e(), e(), e()]),
            L3::Ip6(a, b) => ([e(), e()], [s(&a), s(&b)], [e(), e(), e()]),
            // Outer header first, then the quoted one, comma-separated.
            L3::Icmp4(r, a, b, n) => (
                [format!("{r},{}", a.ip()), format!("{},{}", a.ip(), b.ip())],
                [e(), e()],
                [s(&a.port()), s(&b.port()), s(&(n + 8))],
            ),
            L3::Icmp6(r, a, b, n) => (
                [e(), e()],
                [format!("{r},{}", a.ip()), format!("{},{}", a.ip(), b.ip())],
                [s(&a.port()), s(&b.port()), s(&(n + 8))],
            ),
        };
        let mut row = vec![s(&(self.0.len() + 1)), time.to_string(), s(&len), s(&caplen)];
        row.extend(ip);
        row.extend(ip6);
        row.extend(udp);
        row.push(e()); // no expert info at all
        self.0.push(row);
    }

    /// Adds a complete frame.
    fn frame(&mut self, time: &str, frame: &[u8], l3: L3) {
        self.add(time, frame.len(), frame.len(), l3);
    }
}

#[track_caller]
fn assert_rows(run: &Run, want: &Expect, what: &str) {
    assert!(run.success, "{what}: tshark failed: {}", run.stderr);
    for (got, want) in run.rows.iter().zip(&want.0) {
        assert_eq!(got, want, "{what}: frame {}", want[0]);
    }
    assert_eq!(run.rows.len(), want.0.len(), "{what}: frame count");
}

fn v4(s: &str) -> SocketAddrV4 {
    s.parse().unwrap()
}

fn v6(s: &str) -> SocketAddrV6 {
    s.parse().unwrap()
}

fn addrs() -> (SocketAddrV4, SocketAddrV4, SocketAddrV6, SocketAddrV6) {
    (v4("192.0.2.1:40000"), v4("198.51.100.7:40001"), v6("[2001:db8::1]:40002"), v6("[2001:db8:ffff::2]:40003"))
}

const T0: i64 = 1_700_000_000;

#[test]
fn pcap_byte_orders_and_resolutions() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, s6, d6) = addrs();
    let p4 = packet::udp4(s4, d4, b"hello");
    let p6 = packet::udp6(s6, d6, b"hello, v6");
    for nanos in [false, true] {
        for be in [false, true] {
            let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, nanos, be).unwrap();
            let mut x = Expect::default();
            let res = |ts: Ts| epoch(if nanos { ts } else { micros(ts) });
            let frames = [
                (Ts::new(T0, 123_456_789), link::ethernet_ip(&p4), L3::Udp4(s4, d4, 5)),
                (Ts::new(T0 + 1, 999_999_999), link::ethernet_ip(&p6), L3::Udp6(s6, d6, 9)),
                (Ts::new(T0 + 2, 1), link::ethernet_ip(&p4), L3::Udp4(s4, d4, 5)),
                (Ts::new(0, 0), link::ethernet_ip(&p6), L3::Udp6(s6, d6, 9)),
            ];
            for (ts, f, l3) in &frames {
                w.write(*ts, f).unwrap();
                x.frame(&res(*ts), f, *l3);
            }
            // Captured up to the end of the IP header only.
            let f = link::ethernet_ip(&p4);
            let ts = Ts::new(T0 + 3, 500);
            w.write_truncated(ts, f.len() as u32, &f[..34]).unwrap();
            x.add(&res(ts), f.len(), 34, L3::Ip4(*s4.ip(), *d4.ip()));
            let run = tshark(&w.into_inner(), "v.pcap");
            assert_rows(&run, &x, &format!("pcap nanos={nanos} be={be}"));
        }
    }
}

/// One pcap file per link type, each with IPv4 and IPv6 UDP (where the link
/// type allows), alternating the file flavour.
#[test]
fn link_types() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, s6, d6) = addrs();
    let p4 = packet::udp4(s4, d4, b"hello");
    let p6 = packet::udp6(s6, d6, b"hello, v6");
    let (m1, m2) = (link::DST_MAC, link::SRC_MAC);
    let mac = [0x02, 0, 0, 0, 0, 0x01];
    type Wrap = Box<dyn Fn(&[u8]) -> Vec<u8>>;
    let eth = |vlans: Vec<Vlan>, padded: bool| -> Wrap {
        Box::new(move |p: &[u8]| {
            let t = link::ip_ethertype(p);
            if padded {
                link::ethernet_padded(m1, m2, &vlans, t, p)
            } else {
                link::ethernet(m1, m2, &vlans, t, p)
            }
        })
    };
    let qinq = vec![Vlan::ad(100), Vlan { tpid: link::TPID_8021Q, pcp: 5, id: 4094 }];
    let null = |le: bool, fam6: u32| -> Wrap {
        Box::new(move |p: &[u8]| {
            let fam = if p[0] >> 4 == 4 { link::AF_INET } else { fam6 };
            link::null_loopback(fam, le, p)
        })
    };
    let lo = |fam6: u32| -> Wrap {
        Box::new(move |p: &[u8]| {
            let fam = if p[0] >> 4 == 4 { link::AF_INET } else { fam6 };
            link::openbsd_loop(fam, p)
        })
    };
    let cases: Vec<(&str, u16, Wrap, bool, bool)> = vec![
        ("ethernet", linktype::ETHERNET, eth(vec![], false), true, true),
        ("ethernet padded", linktype::ETHERNET, eth(vec![], true), true, true),
        ("vlan", linktype::ETHERNET, eth(vec![Vlan::q(42)], false), true, true),
        ("vlan padded", linktype::ETHERNET, eth(vec![Vlan::q(7)], true), true, true),
        ("qinq", linktype::ETHERNET, eth(qinq, false), true, true),
        (
            "sll",
            linktype::LINUX_SLL,
            Box::new(move |p: &[u8]| link::sll(0, 1, &mac, link::ip_ethertype(p), p)),
            true,
            true,
        ),
        (
            "sll2",
            linktype::LINUX_SLL2,
            Box::new(move |p: &[u8]| link::sll2(link::ip_ethertype(p), 3, 1, 4, &mac, p)),
            true,
            true,
        ),
        ("null le 24", linktype::NULL, null(true, link::AF_INET6_BSD), true, true),
        ("null le 28", linktype::NULL, null(true, link::AF_INET6_FREEBSD), true, true),
        ("null le 30", linktype::NULL, null(true, link::AF_INET6_DARWIN), true, true),
        ("null be 24", linktype::NULL, null(false, link::AF_INET6_BSD), true, true),
        ("null be 30", linktype::NULL, null(false, link::AF_INET6_DARWIN), true, true),
        ("loop 24", linktype::LOOP, lo(link::AF_INET6_BSD), true, true),
        ("loop 28", linktype::LOOP, lo(link::AF_INET6_FREEBSD), true, true),
        ("raw", linktype::RAW, Box::new(|p: &[u8]| p.to_vec()), true, true),
        ("ipv4", linktype::IPV4, Box::new(|p: &[u8]| p.to_vec()), true, false),
        ("ipv6", linktype::IPV6, Box::new(|p: &[u8]| p.to_vec()), false, true),
    ];
    for (i, (name, lt, wrap, has4, has6)) in cases.iter().enumerate() {
        let (nanos, be) = (i % 2 == 1, i % 3 == 1);
        let mut w = PcapWriter::new(Vec::new(), *lt, 262_144, nanos, be).unwrap();
        let mut x = Expect::default();
        let ts = Ts::new(T0 + i as i64, 250_000_000);
        if *has4 {
            let f = wrap(&p4);
            w.write(ts, &f).unwrap();
            x.frame(&epoch(ts), &f, L3::Udp4(s4, d4, 5));
        }
        if *has6 {
            let f = wrap(&p6);
            w.write(ts, &f).unwrap();
            x.frame(&epoch(ts), &f, L3::Udp6(s6, d6, 9));
        }
        let run = tshark(&w.into_inner(), "l.pcap");
        assert_rows(&run, &x, name);
    }
}

/// Non-UDP frames: ARP and a TCP segment (with a checksum tshark verifies).
#[test]
fn non_udp_frames() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, _, _) = addrs();
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, true, false).unwrap();
    let mut x = Expect::default();
    let ts = Ts::new(T0, 7);
    let arp = link::arp_request(link::SRC_MAC, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
    w.write(ts, &arp).unwrap();
    x.frame(&epoch(ts), &arp, L3::None);
    let flags = packet::TCP_ACK | packet::TCP_PSH;
    let tcp = link::ethernet_ip(&packet::tcp4(s4, d4, 1000, flags, b"payload"));
    w.write(ts, &tcp).unwrap();
    x.frame(&epoch(ts), &tcp, L3::Ip4(*s4.ip(), *d4.ip()));
    assert_rows(&tshark(&w.into_inner(), "n.pcap"), &x, "non-udp");
}

/// Builds the two-section pcapng file and what tshark should show for it.
fn pcapng_file() -> (Vec<u8>, Expect) {
    let (s4, d4, s6, d6) = addrs();
    let p4 = packet::udp4(s4, d4, b"hello");
    let p6 = packet::udp6(s6, d6, b"hello, v6");
    let ts = Ts::new(T0, 123_456_789);
    let mut x = Expect::default();

    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    let eth = w.interface(linktype::ETHERNET, 65535, IfOpts::default()).unwrap();
    let opts = |name: Option<&str>, tsresol, tsoffset| IfOpts {
        name: name.map(str::to_string),
        tsresol,
        tsoffset,
        ..IfOpts::default()
    };
    let raw = w.interface(linktype::RAW, 65535, opts(Some("raw0"), Some(9), None)).unwrap();
    let ms = w.interface(linktype::IPV4, 0, opts(None, Some(3), Some(1_000_000_000))).unwrap();
    let bin = w.interface(linktype::IPV6, 65535, opts(Some("v6"), Some(0x80 | 20), None)).unwrap();
    assert_eq!((eth, raw, ms, bin), (0, 1, 2, 3));

    let f = link::ethernet_ip(&p4);
    w.spb(f.len() as u32, &f).unwrap();
    x.frame("", &f, L3::Udp4(s4, d4, 5)); // SPBs have no timestamp
    w.epb(eth, ts, f.len() as u32, &f).unwrap();
    x.frame("1700000000.123456000", &f, L3::Udp4(s4, d4, 5));
    w.nrb_ipv4(*s4.ip(), "client.example").unwrap();
    w.epb(raw, ts, p4.len() as u32, &p4).unwrap();
    x.frame("1700000000.123456789", &p4, L3::Udp4(s4, d4, 5));
    w.epb(ms, ts, p4.len() as u32, &p4).unwrap();
    x.frame("1700000000.123000000", &p4, L3::Udp4(s4, d4, 5));
    w.epb(bin, ts, p6.len() as u32, &p6).unwrap();
    // floor(0.123456789 * 2^20) = 129453 units; 129453 / 2^20 s = 0.123456001...
    x.frame("1700000000.123456001", &p6, L3::Udp6(s6, d6, 9));
    w.pb(raw as u16, Ts::new(T0 + 1, 5), p4.len() as u32, &p4).unwrap();
    x.frame("1700000001.000000005", &p4, L3::Udp4(s4, d4, 5));
    w.isb(eth, Ts::new(T0 + 2, 0)).unwrap();
    // tshark shows a Custom Block as a frame holding the padded custom data.
    w.custom_block(32473, b"custom").unwrap();
    x.add("", 8, 8, L3::None);
    w.epb(raw, Ts::new(T0 + 3, 0), 1000, &p4[..20]).unwrap();
    x.add("1700000003.000000000", 1000, 20, L3::Ip4(*s4.ip(), *d4.ip()));

    w.section(true).unwrap();
    let sll2 = w.interface(linktype::LINUX_SLL2, 65535, opts(None, Some(9), Some(-5))).unwrap();
    let sll = w.interface(linktype::LINUX_SLL, 65535, opts(Some("any"), None, Some(100))).unwrap();
    assert_eq!((sll2, sll), (0, 1));
    let mac = [2, 0, 0, 0, 0, 9];
    let f = link::sll2(0x86dd, 3, 1, 0, &mac, &p6);
    w.epb(sll2, Ts::new(T0 + 4, 999_999_999), f.len() as u32, &f).unwrap();
    x.frame("1700000004.999999999", &f, L3::Udp6(s6, d6, 9));
    let f = link::sll(4, 1, &mac, 0x0800, &p4);
    w.epb(sll, Ts::new(T0 + 5, 42_000), f.len() as u32, &f).unwrap();
    x.frame("1700000005.000042000", &f, L3::Udp4(s4, d4, 5));
    w.nrb_ipv6(*s6.ip(), "v6.example").unwrap();
    let f = link::sll2(0x0800, 3, 1, 0, &mac, &p4);
    w.spb(f.len() as u32, &f).unwrap();
    x.frame("", &f, L3::Udp4(s4, d4, 5));
    w.isb(sll, Ts::new(T0 + 6, 0)).unwrap();
    (w.into_inner(), x)
}

#[test]
fn pcapng_sections_interfaces_and_blocks() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (file, x) = pcapng_file();
    assert_rows(&tshark(&file, "s.pcapng"), &x, "pcapng");
}

#[test]
fn compressed_files() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (file, x) = pcapng_file();
    assert_rows(&tshark(&gzip(&file), "s.pcapng.gz"), &x, "gzip pcapng");
    // zstd and lz4 as their tools write them, found by magic as gzip is.
    assert_rows(&tshark(&udpdissect_pcapgen::zstd(&file), "s.pcapng"), &x, "zstd pcapng");
    assert_rows(&tshark(&udpdissect_pcapgen::lz4(&file), "s.pcapng"), &x, "lz4 pcapng");

    let (s4, d4, _, _) = addrs();
    let f = link::ethernet_ip(&packet::udp4(s4, d4, &[0x55; 300]));
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, true, true).unwrap();
    let mut x = Expect::default();
    for i in 0..5 {
        let ts = Ts::new(T0 + i, i as u32 * 7);
        w.write(ts, &f).unwrap();
        x.frame(&epoch(ts), &f, L3::Udp4(s4, d4, 300));
    }
    // No ".gz" suffix: tshark recognises the gzip magic.
    assert_rows(&tshark(&gzip(&w.into_inner()), "g.pcap"), &x, "gzip pcap");
}

/// tshark reassembles fragments and shows the UDP datagram on the frame that
/// completes it (the last fragment in capture order).
#[test]
fn fragments_are_reassembled() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, s6, d6) = addrs();
    let payload: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, true, false).unwrap();
    let mut x = Expect::default();
    let ts = Ts::new(T0, 1);

    let big4 = Udp::v4(s4, d4).id(0x1234).df(true).build(&payload);
    let frags = packet::ipv4_fragments(&big4, 1480);
    assert_eq!(frags.len(), 3);
    for (i, f) in frags.iter().enumerate() {
        let f = link::ethernet_ip(f);
        w.write(ts, &f).unwrap();
        let l3 = if i == 2 { L3::Udp4(s4, d4, payload.len()) } else { L3::Ip4(*s4.ip(), *d4.ip()) };
        x.frame(&epoch(ts), &f, l3);
    }

    let big6 = packet::udp6(s6, d6, &payload);
    let frags = packet::ipv6_fragments(&big6, 1448, 0xabcd);
    assert_eq!(frags.len(), 3);
    for (i, f) in frags.iter().enumerate() {
        let f = link::ethernet_ip(f);
        w.write(ts, &f).unwrap();
        let l3 = if i == 2 { L3::Udp6(s6, d6, payload.len()) } else { L3::Ip6(*s6.ip(), *d6.ip()) };
        x.frame(&epoch(ts), &f, l3);
    }

    // In reverse order, with 24-byte fragments (30 rounded down to a multiple
    // of 8): the datagram appears on the frame that completes it, which here
    // is the first fragment, captured last.
    let small = Udp::v4(s4, d4).id(0x4321).build(&payload[..100]);
    let mut frags = packet::ipv4_fragments(&small, 30);
    assert_eq!(frags.len(), 5);
    frags.reverse();
    for (i, f) in frags.iter().enumerate() {
        let f = link::ethernet_ip(f);
        w.write(ts, &f).unwrap();
        let l3 = if i == 4 { L3::Udp4(s4, d4, 100) } else { L3::Ip4(*s4.ip(), *d4.ip()) };
        x.frame(&epoch(ts), &f, l3);
    }
    assert_rows(&tshark(&w.into_inner(), "f.pcap"), &x, "fragments");
}

#[test]
fn icmp_port_unreachable() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, s6, d6) = addrs();
    let r4 = Ipv4Addr::new(203, 0, 113, 254);
    let r6: Ipv6Addr = "2001:db8:ffff::fe".parse().unwrap();
    let mut w = PcapWriter::new(Vec::new(), linktype::RAW, 65535, false, false).unwrap();
    let mut x = Expect::default();
    let ts = Ts::new(T0, 0);
    for n in [5, 1000] {
        let e = packet::icmp4_port_unreachable(r4, &packet::udp4(s4, d4, &vec![1; n]));
        w.write(ts, &e).unwrap();
        x.frame(&epoch(ts), &e, L3::Icmp4(r4, s4, d4, n));
    }
    for n in [9, 3000] {
        let e = packet::icmp6_port_unreachable(r6, &packet::udp6(s6, d6, &vec![2; n]));
        assert!(e.len() <= 1280);
        w.write(ts, &e).unwrap();
        x.frame(&epoch(ts), &e, L3::Icmp6(r6, s6, d6, n));
    }
    assert_rows(&tshark(&w.into_inner(), "i.pcap"), &x, "icmp");
}

/// The checksum options really are on: tshark flags deliberately broken
/// packets (so the absence of messages above proves the checksums right).
#[test]
fn tshark_flags_broken_packets() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, s6, d6) = addrs();
    let mut w = PcapWriter::new(Vec::new(), linktype::RAW, 65535, false, false).unwrap();
    let ts = Ts::new(T0, 0);
    let mut p = packet::udp4(s4, d4, b"x");
    p[28] ^= 1; // payload: UDP checksum now wrong
    w.write(ts, &p).unwrap();
    let mut p = packet::udp4(s4, d4, b"x");
    p[8] ^= 1; // TTL: IP header checksum now wrong
    w.write(ts, &p).unwrap();
    w.write(ts, &Udp::v4(s4, d4).udp_len(100).build(b"x")).unwrap();
    w.write(ts, &Udp::v6(s6, d6).zero_checksum().build(b"x")).unwrap();
    let run = tshark(&w.into_inner(), "b.pcap");
    let msgs: Vec<&str> = run.rows.iter().map(|r| r[11].as_str()).collect();
    assert!(msgs[0].starts_with("Bad checksum"), "{msgs:?}");
    assert!(msgs[1].starts_with("Bad checksum"), "{msgs:?}");
    assert!(msgs[2].starts_with("Bad length value 100"), "{msgs:?}");
    assert_eq!(msgs[3], "Illegal checksum value (0)");
}

/// What tshark says about files damaged by the `damage` helpers.
#[test]
fn damaged_files() {
    if !udpdissect_pcapgen::tshark_available() {
        return;
    }
    let (s4, d4, _, _) = addrs();
    let f = link::ethernet_ip(&packet::udp4(s4, d4, b"hello"));
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, true).unwrap();
    let mut x = Expect::default();
    for i in 0..6 {
        let ts = Ts::new(T0 + i, 0);
        w.write(ts, &f).unwrap();
        x.frame(&epoch(ts), &f, L3::Udp4(s4, d4, 5));
    }
    let good = w.into_inner();
    let first = |n: usize| Expect(x.0[..n].to_vec());
    let check = |bytes: &[u8], rows: usize, msg: &str| {
        let run = tshark(bytes, "d.pcap");
        assert!(!run.success, "{msg}: tshark accepted the file");
        assert!(run.stderr.contains(msg), "{msg}: {}", run.stderr);
        let want = first(rows);
        assert_eq!(run.rows, want.0, "{msg}");
    };
    check(&damage::truncate_mid_record(&good, 20), 5, "cut short in the middle of a packet");
    check(&damage::set_pcap_record_len(&good, 4, 0x0100_0000), 4, "bigger than maximum of 262144");
    check(&damage::bad_magic(&good), 0, "isn't a capture file in a format TShark understands");

    let mut w = PcapNgWriter::new(Vec::new(), false).unwrap();
    w.interface(linktype::ETHERNET, 65535, IfOpts::default()).unwrap();
    for i in 0..3 {
        w.epb(0, Ts::new(T0 + i, 0), f.len() as u32, &f).unwrap();
    }
    let good = w.into_inner();
    // Blocks: SHB, IDB, EPB, EPB, EPB.
    check(&damage::set_pcapng_block_len(&good, 4, 1000), 2, "cut short in the middle of a packet");
    check(&damage::set_pcapng_block_len(&good, 3, 16), 1, "less than the minimum EPB size");
    check(&damage::truncate_mid_record(&good, 30), 2, "cut short");
    check(&damage::append_random(&good, 64, 1), 3, "");
}
