//! `heartbeat.pcap` (the main demo), `heartbeat-findings.pcapng` and
//! `heartbeat-capture-loss.pcapng`.

use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::packet::{self, TCP_SYN};
use udpdissect_pcapgen::{link, linktype, IfOpts, PcapNgWriter, Ts};

use crate::common::*;
use crate::Sample;

/// The second client (FreeSrun-like: 3-minute timer, Windows ephemeral ports).
const CLIENT2: Ipv4Addr = Ipv4Addr::new(10, 20, 30, 41);
const CLIENT2_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x00, 0x41];
const UID2: i64 = 987_654_321_098;
/// A host whose beat happened before the capture started.
const ORPHAN: Ipv4Addr = Ipv4Addr::new(10, 20, 30, 42);
const ORPHAN_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x00, 0x42];
const ORPHAN_UID: i64 = 1_122_334_455_667;
/// The main client's UID after it logs in again.
const UID_RELOGIN: i64 = 1_234_567_954_321;
/// The name the client resolves before logging in.
const AUTH_NAME: &str = "auth.campus.example";

pub const HEARTBEAT_DESCRIPTION: &str = "\
The main demo (Ethernet, microseconds, 31 frames; times relative to 2026-03-02 08:00:00 UTC). Client \
10.20.30.40 (pysrun-like: a new ephemeral port per beat, every 60 s) beats server 172.16.202.201:3335 \
with UID 1234567890123; client 10.20.30.41 (FreeSrun-like: every 180 s, UID 987654321098) stays healthy. \
Sessions are numbered in order of first beat.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1 | 0.000000 | ARP who-has 10.20.30.1 tell 10.20.30.40 | — |
| 2 | 0.812345 | reply UID 1122334455667 to 10.20.30.42:37415 (its beat was sent before the capture started) | reply_without_request |
| 3 | 5.000000 | DNS query A auth.campus.example, 10.20.30.40:45678 → 10.20.30.1:53 | — |
| 4 | 5.001204 | DNS response: auth.campus.example A 172.16.202.201 | — |
| 5 | 45.000000 | 10.20.30.41 beat 1 (session 1) | — |
| 6 | 45.003107 | reply alive | — |
| 7 | 60.000000 | 10.20.30.40 beat 1 (session 2) | — |
| 8 | 60.002481 | reply alive | — |
| 9 | 120.000000 | beat 2 (its 60 s interval sets the cadence) | — |
| 10 | 120.004113 | reply alive | — |
| 11 | 180.000000 | beat 3, never answered | — |
| 12 | 225.000000 | 10.20.30.41 beat 2 (180 s sets its cadence) | — |
| 13 | 225.002950 | reply alive | — |
| 14 | 240.000000 | beat 4 | no_reply (the beat in frame 11) |
| 15 | 240.002236 | reply alive | — |
| 16 | 300.000000 | beat 5 | — |
| 17 | 300.812500 | reply alive, 0.8125 s after its beat | late_reply |
| 18 | 360.000000 | beat 6 | — |
| 19 | 360.003002 | reply -2 | session_dead |
| 20 | 405.000000 | 10.20.30.41 beat 3 | — |
| 21 | 405.003318 | reply alive | — |
| 22 | 420.000000 | beat 7, same UID | beat_after_death |
| 23 | 420.002377 | reply -2 | session_dead (still dead since frame 19) |
| 24 | 420.002431 | ICMP port unreachable 10.20.30.40 → 172.16.202.201 quoting all of frame 23 (the client closed its socket) | — |
| 25 | 450.000000 | TCP SYN 10.20.30.40:46500 → 172.16.202.201:3333 (the new login) | — |
| 26 | 510.000000 | beat with UID 1234567954321 (session 3) | new_uid |
| 27 | 510.002874 | reply alive | — |
| 28 | 570.000000 | session 3 beat 2 (60 s) | — |
| 29 | 570.002105 | reply alive | — |
| 30 | 585.000000 | 10.20.30.41 beat 4 | — |
| 31 | 585.003640 | reply alive | — |";

const FINDINGS_DESCRIPTION: &str = "\
One heartbeat finding per client (pcapng, Ethernet, nanoseconds, 27 frames; server 172.16.202.201). \
10.20.30.51: 9-byte beat (1 trailing byte), answered (bad_length). \
10.20.30.52: 3-byte beat, no UID, unanswered (bad_length). \
10.20.30.53: beat answered by an 8-byte reply (bad_length). \
10.20.30.54: beat answered by a 20-byte reply (bad_length, 4 trailing bytes). \
10.20.30.55: reply with padding `SRUN\\0\\0\\0\\0` (padding_nonzero). \
10.20.30.56: beat UID 1234567890123 answered with UID 1234567890124 (uid_mismatch). \
10.20.30.57: beats 60, 60, then 95 s apart, all answered (interval_unusual, irregular). \
10.20.30.58: beats 60, 60, then 180 s apart, all answered (interval_unusual, 2 beats missing).";

const LOSS_DESCRIPTION: &str = "\
Two clients beating server 172.16.202.201:3335, saved by dumpcap on a busy gateway that lost five \
packets (pcapng, Ethernet, nanoseconds, 15 frames): 10.20.30.40 (pysrun-like: a new port per beat, \
every 60 s, UID 1234567890123) and 10.20.30.41 (every 180 s, UID 987654321098). Each packet block \
after a loss says how many packets were lost just before it (epb_dropcount), and an Interface \
Statistics Block at the end counts 20 packets received, 5 dropped by the OS and 15 delivered. Every \
loss is counted on a frame of another conversation than the packets lost, so only the session ties \
them to its findings.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1 | 0.000000 | 10.20.30.40 beat 1 (session 1) | — |
| 2 | 0.002481 | reply alive | — |
| 3 | 60.000000 | beat 2 (its reply, at 60.004113, was lost by the capture) | — |
| 4 | 75.000000 | 10.20.30.41 beat 1 (session 2); drop count 1 | — |
| 5 | 75.003107 | reply alive | — |
| 6 | 120.000000 | beat 3 | no_reply (the beat in frame 3), 1 packet lost since then |
| 7 | 120.002236 | reply alive | — |
| 8 | 180.003002 | reply alive to beat 4, which the capture lost; drop count 1 | reply_without_request, 1 packet lost since frame 6 |
| 9 | 255.000000 | 10.20.30.41 beat 2; drop count 2 (beat 5 at 240 s and its reply) | — |
| 10 | 255.002950 | reply alive | — |
| 11 | 300.000000 | beat 6 | interval_unusual (2 beats missing), 3 packets lost since frame 6 |
| 12 | 300.002105 | reply alive | — |
| 13 | 360.000000 | beat 7 (its reply, at 360.002875, was lost by the capture) | — |
| 14 | 435.000000 | 10.20.30.41 beat 3; drop count 1 | — |
| 15 | 435.003318 | reply alive | — |
| end | | the beat in frame 13 unanswered | no_reply, 1 packet lost since frame 13 |
| end | | Interface Statistics Block: 5 dropped | capture_loss, naming the three findings on its frames |";

/// Frames of a capture on the client LAN, with IPv4 identifications handed out in order.
struct Capture {
    frames: Frames,
    ip_id: u16,
}

impl Capture {
    fn new() -> Self {
        Capture { frames: Vec::new(), ip_id: 0x3a51 }
    }

    fn next_id(&mut self) -> u16 {
        self.ip_id = self.ip_id.wrapping_add(0x0d07);
        self.ip_id
    }

    fn push(&mut self, ts: Ts, frame: Vec<u8>) {
        self.frames.push((ts, frame));
    }

    /// A beat from `mac`/`client` to the server; returns the client address.
    fn beat(&mut self, ts: Ts, mac: [u8; 6], client: SocketAddrV4, uid: i64) {
        let id = self.next_id();
        let ip = udp4_out(client, hb4(SERVER), id, &beat(uid));
        self.push(ts, eth(mac, GATEWAY_MAC, &ip));
    }

    /// A reply from the server to `client`; returns the IP packet.
    fn reply(&mut self, ts: Ts, mac: [u8; 6], client: SocketAddrV4, r: Reply) -> Vec<u8> {
        let id = self.next_id();
        let ip = udp4_in(hb4(SERVER), client, id, &reply(r));
        self.push(ts, eth(GATEWAY_MAC, mac, &ip));
        ip
    }
}

fn heartbeat_pcap() -> Vec<u8> {
    let mut c = Capture::new();
    let a = |port: u16| SocketAddrV4::new(CLIENT, port);
    let b = |port: u16| SocketAddrV4::new(CLIENT2, port);

    // 1: the client looks for its gateway.
    c.push(at(0, 0), link::arp_request(CLIENT_MAC, CLIENT, GATEWAY));
    // 2: a reply whose beat was sent just before the capture started.
    c.reply(at(0, 812_345), ORPHAN_MAC, SocketAddrV4::new(ORPHAN, 37_415), Reply::alive(ORPHAN_UID));
    // 3-4: the client resolves the authentication server.
    let (dns_client, dns_server) = (a(45_678), SocketAddrV4::new(GATEWAY, 53));
    let id = c.next_id();
    c.push(
        at(5, 0),
        eth(CLIENT_MAC, GATEWAY_MAC, &udp4_out(dns_client, dns_server, id, &dns_query(0x1a2b, AUTH_NAME))),
    );
    let id = c.next_id();
    let answer = dns_response(0x1a2b, AUTH_NAME, SERVER);
    c.push(at(5, 1_204), eth(GATEWAY_MAC, CLIENT_MAC, &udp4_out(dns_server, dns_client, id, &answer)));
    // 5-6: the second client's first beat.
    c.beat(at(45, 0), CLIENT2_MAC, b(50_011), UID2);
    c.reply(at(45, 3_107), CLIENT2_MAC, b(50_011), Reply::alive(UID2));
    // 7-10: healthy beats every 60 s.
    c.beat(at(60, 0), CLIENT_MAC, a(40_213), UID);
    c.reply(at(60, 2_481), CLIENT_MAC, a(40_213), Reply::alive(UID));
    c.beat(at(120, 0), CLIENT_MAC, a(52_877), UID);
    c.reply(at(120, 4_113), CLIENT_MAC, a(52_877), Reply::alive(UID));
    // 11: a beat that is never answered.
    c.beat(at(180, 0), CLIENT_MAC, a(35_102), UID);
    // 12-13
    c.beat(at(225, 0), CLIENT2_MAC, b(61_234), UID2);
    c.reply(at(225, 2_950), CLIENT2_MAC, b(61_234), Reply::alive(UID2));
    // 14-15
    c.beat(at(240, 0), CLIENT_MAC, a(47_760), UID);
    c.reply(at(240, 2_236), CLIENT_MAC, a(47_760), Reply::alive(UID));
    // 16-17: a late reply.
    c.beat(at(300, 0), CLIENT_MAC, a(58_314), UID);
    c.reply(at(300, 812_500), CLIENT_MAC, a(58_314), Reply::alive(UID));
    // 18-19: the server declares the session dead.
    c.beat(at(360, 0), CLIENT_MAC, a(33_891), UID);
    c.reply(at(360, 3_002), CLIENT_MAC, a(33_891), Reply::dead());
    // 20-21
    c.beat(at(405, 0), CLIENT2_MAC, b(55_871), UID2);
    c.reply(at(405, 3_318), CLIENT2_MAC, b(55_871), Reply::alive(UID2));
    // 22-24: the client beats again; the -2 reply hits a closed socket.
    c.beat(at(420, 0), CLIENT_MAC, a(44_127), UID);
    let dead = c.reply(at(420, 2_377), CLIENT_MAC, a(44_127), Reply::dead());
    let id = c.next_id();
    c.push(at(420, 2_431), eth(CLIENT_MAC, GATEWAY_MAC, &icmp4_port_unreachable_full(CLIENT, id, &dead)));
    // 25: the client logs in again (only the SYN of the HTTP connection).
    let syn = packet::tcp4(a(46_500), SocketAddrV4::new(SERVER, 3333), 0x2f1c_9a01, TCP_SYN, &[]);
    c.push(at(450, 0), eth(CLIENT_MAC, GATEWAY_MAC, &syn));
    // 26-29: the new session, 60 s after the login.
    c.beat(at(510, 0), CLIENT_MAC, a(50_342), UID_RELOGIN);
    c.reply(at(510, 2_874), CLIENT_MAC, a(50_342), Reply::alive(UID_RELOGIN));
    c.beat(at(570, 0), CLIENT_MAC, a(39_508), UID_RELOGIN);
    c.reply(at(570, 2_105), CLIENT_MAC, a(39_508), Reply::alive(UID_RELOGIN));
    // 30-31
    c.beat(at(585, 0), CLIENT2_MAC, b(63_302), UID2);
    c.reply(at(585, 3_640), CLIENT2_MAC, b(63_302), Reply::alive(UID2));

    pcap(linktype::ETHERNET, &c.frames)
}

fn findings_pcapng() -> Vec<u8> {
    let mut c = Capture::new();
    let host = |last: u8, port: u16| SocketAddrV4::new(Ipv4Addr::new(10, 20, 30, last), port);
    let mac = |last: u8| [0x06, 0x14, 0x1e, 0x28, 0x00, last];
    let raw_beat = |c: &mut Capture, ts: Ts, client: SocketAddrV4, payload: &[u8]| {
        let id = c.next_id();
        let ip = udp4_out(client, hb4(SERVER), id, payload);
        c.push(ts, eth(mac(client.ip().octets()[3]), GATEWAY_MAC, &ip));
    };
    let raw_reply = |c: &mut Capture, ts: Ts, client: SocketAddrV4, payload: &[u8]| {
        let id = c.next_id();
        let ip = udp4_in(hb4(SERVER), client, id, payload);
        c.push(ts, eth(GATEWAY_MAC, mac(client.ip().octets()[3]), &ip));
    };
    let uid = |last: u8| UID + 1_000 * i64::from(last);

    // A 9-byte beat: the server reads the UID from the first 8 bytes and answers.
    let mut nine = beat(uid(51));
    nine.push(0);
    raw_beat(&mut c, at_ns(1, 0), host(51, 41_001), &nine);
    raw_reply(&mut c, at_ns(1, 2_513_207), host(51, 41_001), &reply(Reply::alive(uid(51))));
    // A 3-byte beat: no UID in it, no reply.
    raw_beat(&mut c, at_ns(2, 0), host(52, 41_002), &beat(uid(52))[..3]);
    // An 8-byte reply.
    raw_beat(&mut c, at_ns(3, 0), host(53, 41_003), &beat(uid(53)));
    raw_reply(&mut c, at_ns(3, 2_660_481), host(53, 41_003), &beat(uid(53)));
    // A 20-byte reply.
    raw_beat(&mut c, at_ns(4, 0), host(54, 41_004), &beat(uid(54)));
    let mut twenty = reply(Reply::alive(uid(54)));
    twenty.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    raw_reply(&mut c, at_ns(4, 3_001_999), host(54, 41_004), &twenty);
    // Non-zero padding.
    raw_beat(&mut c, at_ns(5, 0), host(55, 41_005), &beat(uid(55)));
    let padded = Reply { uid: uid(55), padding: *b"SRUN\0\0\0\0" };
    raw_reply(&mut c, at_ns(5, 2_222_222), host(55, 41_005), &reply(padded));
    // A reply with another UID.
    raw_beat(&mut c, at_ns(6, 0), host(56, 41_006), &beat(UID));
    raw_reply(&mut c, at_ns(6, 2_718_281), host(56, 41_006), &reply(Reply::alive(UID + 1)));

    // Two sessions whose third interval is off their 60 s cadence.
    let mut timed = Vec::new();
    for (last, start, gaps) in [(57u8, 10u32, [60u32, 60, 95]), (58, 12, [60, 60, 180])] {
        let mut t = start;
        for (n, gap) in std::iter::once(0).chain(gaps).enumerate() {
            t += gap;
            let port = 42_000 + u16::from(last) * 10 + n as u16;
            timed.push((t, last, port));
        }
    }
    timed.sort_unstable();
    for (t, last, port) in timed {
        raw_beat(&mut c, at_ns(t, 0), host(last, port), &beat(uid(last)));
        raw_reply(&mut c, at_ns(t, 3_141_592), host(last, port), &reply(Reply::alive(uid(last))));
    }

    let mut w = PcapNgWriter::new(Vec::new(), false).expect("writing to a Vec");
    let opts =
        IfOpts { name: Some("eth0".into()), tsresol: Some(9), tsoffset: None, description: None, ..IfOpts::default() };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, opts).expect("writing to a Vec");
    for (ts, f) in &c.frames {
        w.epb(eth0, *ts, f.len() as u32, f).expect("writing to a Vec");
    }
    w.into_inner()
}

/// `heartbeat-capture-loss.pcapng`: the frames of [`LOSS_DESCRIPTION`], with the capture's
/// losses made (and counted on the next packet block kept).
fn capture_loss_pcapng() -> Vec<u8> {
    const EXPECT: &str = "writing to a Vec";
    // Each exchange: second, the reply's nanoseconds after it, the second client's or not, the
    // beat's port, and whether the capture lost the beat and the reply.
    const EXCHANGES: [(u32, u32, bool, u16, [bool; 2]); 10] = [
        (0, 2_481_007, false, 40_213, [false, false]),
        (60, 4_113_020, false, 52_877, [false, true]),
        (75, 3_107_311, true, 50_011, [false, false]),
        (120, 2_236_480, false, 35_102, [false, false]),
        (180, 3_002_115, false, 47_760, [true, false]),
        (240, 2_377_904, false, 58_314, [true, true]),
        (255, 2_950_662, true, 61_234, [false, false]),
        (300, 2_105_338, false, 33_891, [false, false]),
        (360, 2_874_551, false, 44_127, [false, true]),
        (435, 3_318_090, true, 55_871, [false, false]),
    ];
    let mut c = Capture::new();
    let mut lost = Vec::new();
    for (secs, after, second, port, [beat_lost, reply_lost]) in EXCHANGES {
        let (ip, mac, uid) = if second { (CLIENT2, CLIENT2_MAC, UID2) } else { (CLIENT, CLIENT_MAC, UID) };
        let client = SocketAddrV4::new(ip, port);
        if beat_lost {
            lost.push(c.frames.len());
        }
        c.beat(at_ns(secs, 0), mac, client, uid);
        if reply_lost {
            lost.push(c.frames.len());
        }
        c.reply(at_ns(secs, after), mac, client, Reply::alive(uid));
    }

    let mut w = PcapNgWriter::new(Vec::new(), false).expect(EXPECT);
    let opts = IfOpts { name: Some("eth0".into()), tsresol: Some(9), ..IfOpts::default() };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, opts).expect(EXPECT);
    let mut dropped = 0;
    for (i, (ts, f)) in c.frames.iter().enumerate() {
        if lost.contains(&i) {
            dropped += 1;
            continue;
        }
        let options = if dropped == 0 { Vec::new() } else { vec![w.u64_option(4, dropped)] };
        dropped = 0;
        w.epb_with(eth0, *ts, f.len() as u32, f, &options).expect(EXPECT);
    }
    let (first, last) = (c.frames[0].0, c.frames[c.frames.len() - 1].0);
    let received = c.frames.len() as u64;
    let counts = [
        w.ts_option(2, eth0, first),
        w.ts_option(3, eth0, last),
        w.u64_option(4, received),
        w.u64_option(5, 0),
        w.u64_option(6, received),
        w.u64_option(7, lost.len() as u64),
        w.u64_option(8, received - lost.len() as u64),
    ];
    w.isb_with(eth0, last, &counts).expect(EXPECT);
    w.into_inner()
}

pub fn samples() -> Vec<Sample> {
    let main = heartbeat_pcap();
    let gz = udpdissect_pcapgen::gzip(&main);
    vec![
        Sample { name: "heartbeat.pcap", description: HEARTBEAT_DESCRIPTION, bytes: main },
        Sample { name: "heartbeat-findings.pcapng", description: FINDINGS_DESCRIPTION, bytes: findings_pcapng() },
        Sample { name: "heartbeat-capture-loss.pcapng", description: LOSS_DESCRIPTION, bytes: capture_loss_pcapng() },
        Sample {
            name: "heartbeat.pcap.gz",
            description: "`heartbeat.pcap`, gzip-compressed (one member, no file name, mtime 0).",
            bytes: gz,
        },
    ]
}
