//! The EQStream sample captures, and realistic EQ2 sessions for the benchmark.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use udpdissect_eqstream::encode::{Encoder, CLIENT as C, SERVER as S};
use udpdissect_eqstream::eq2::LoginByNum;
use udpdissect_eqstream::wire::{self, op};
use udpdissect_pcapgen::{linktype, IfOpts, PcapNgWriter, Ts};

use crate::common::*;
use crate::{Datagram, Sample};

const EQ2_SERVER: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 90);
const EQ1_SERVER: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 70);
const SERVER_MAC: [u8; 6] = GATEWAY_MAC;
/// The key the EQ2 client chooses (its reply carries it in clear: the emulators' KeyGen).
const EQ2_KEY: u64 = 0x0123_4567_89ab_cdef;

const EQ2_DESCRIPTION: &str = "\
An EverQuest II login session with an EQ2Emu-style server (Ethernet, 22 frames; client \
10.20.30.40:51234, server 192.0.2.90:9100; CRC key 0x33624702, RC4 key K = 0123456789abcdef from \
the client's key reply). Decoded without any key from outside.

| frame | what | expected |
|------:|------|----------|
| 1-2 | SessionRequest (version 0) / SessionResponse (21 bytes, crc 2, no passes) | — |
| 3-4 | SessionStatRequest / SessionStatResponse | response_to 3 |
| 5 | S Packet seq 0: KeyGen (60 × ff modulus, exponent 1) | — |
| 6 | C Ack 0 | RTT |
| 7 | C Packet seq 0: key reply (68 bytes, K in the last 8) | eqstream.eq2.rc4_key |
| 8 | S Ack 0 | — |
| 9 | C Packet seq 1: OP_LoginRequestMsg, user `player`, version 1208 | — |
| 10 | S Packet seq 1: OP_LoginReplyMsg, compressed (first chunk of the zlib stream) | — |
| 11 | S Packet seq 1 again, 300 ms later | retransmission |
| 12 | C Ack 1 | — |
| 13 | C Packet seq 2: OP_AllWSDescRequestMsg | — |
| 14 | S Packet seq 2: AppCombined [OP_WorldStatusChangeMsg, OP_WorldListMsg (compressed)] | — |
| 15-16 | S Fragments seq 3-4: OP_AllCharactersDescReplyMsg, 700 bytes | reassembled in 16 |
| 17 | S Packet seq 6 (before seq 5) | seq_gap, held |
| 18 | S Packet seq 5, which delivers 6 as well | out_of_order |
| 19 | C Ack 6 | — |
| 20 | C OutOfOrderAck 6 | — |
| 21 | C KeepAlive | — |
| 22 | C SessionDisconnect (reason 6, SocketError) | — |";

const EQ1_DESCRIPTION: &str = "\
An EverQuest zone session, EQEmu/live style, with the compression pass (Ethernet, 14 frames; client \
10.20.30.40:52345, zone server 192.0.2.70:7000, found by the handshake heuristic; key 0x7a3b9c11). \
SessionRequest with the live `Everquest` tag (24 bytes); every packet after the handshake carries the \
5a/a5 flag. Opcodes show as numbers (give `-o eqstream.eq1_opcodes:patch_X.conf` for names).

| frame | what |
|------:|------|
| 1-2 | SessionRequest (24 bytes) / SessionResponse (21 bytes, crc 2, pass1 compression) |
| 3 | C Packet seq 0: app 0x7213 with 80 bytes (zlib) |
| 4 | S Ack 0 (flag a5) |
| 5 | S Packet seq 0: app 0x5600 in the 3-byte form (`00 00 56`) |
| 6 | S Combined [Packet seq 1: app 0x4444, Ack 0] |
| 7-8 | S Fragments seq 2-3: app 0x6789, 600 bytes (stored: it does not shrink) |
| 9 | C bare (unsequenced) app 0x1234: `34 a5 12 …` |
| 10 | C Ack 3 |
| 11 | S Packet seq 4: AppCombined [app 0x1111, app 0x2222 (300 bytes)] |
| 12 | C KeepAlive |
| 13 | C Ack 4 |
| 14 | C SessionDisconnect |";

const XOR_DESCRIPTION: &str = "\
A legacy EQ1 chat session with the XOR pass (Ethernet, 6 frames; client 10.20.30.40:53456, chat server \
192.0.2.70:7778, key 0x11223344). Each packet after the handshake is XOR-encoded with the session key; \
the decode shows the bytes in a derived `Decoded` buffer.

| frame | what |
|------:|------|
| 1-2 | SessionRequest / SessionResponse (17 bytes, pass1 4 = XOR) |
| 3 | C Packet seq 0: app 0x0101 \"hello\" |
| 4 | S Ack 0 |
| 5 | S Packet seq 0: app 0x0202 \"welcome to the channel\" |
| 6 | C Ack 0 |";

const MID_DESCRIPTION: &str = "\
The middle of an EQ1 world session, without its handshake (Ethernet, 9 frames; client \
10.20.30.40:54567, world server 192.0.2.70:9000; key 0x5566aa77 not in the capture). The compression \
pass is inferred from the first flagged ack; the CRC key is recovered from the trailers of frames 1-3 \
(GF(2) elimination) and verified on frame 4, so later CRCs are checked: frame 8 has a bad one.

| frame | what | expected |
|------:|------|----------|
| 1 | C Ack 40 (flag a5) | no_handshake |
| 2-3 | S Packets seq 41, 42 of different lengths | — |
| 4 | C Ack 42 | crc_key_recovered |
| 5-7 | S Packet seq 43, C Ack 43, S KeepAlive | — |
| 8 | S Packet seq 44 with a corrupted CRC | crc_mismatch |
| 9 | C Ack 44 | — |";

const LOSS_DESCRIPTION: &str = "\
The zone session of `eqstream-eq1-zone.pcap` as dumpcap would save it on a busy host that lost one \
packet (pcapng, 13 frames, nanosecond times): the interface `eth0` names its OS and capture filter, \
every packet block says its direction (epb_flags: 2 outbound for the client's, 1 inbound for the \
server's), and an Interface Statistics Block at the end counts 14 packets received, 1 dropped by the \
OS and 13 delivered. The server's Combined [Packet seq 1, Ack 0] was lost by the capture, not the \
network: the next packet says so (epb_dropcount 1).

| frame | what | expected |
|------:|------|----------|
| 1-5 | as in `eqstream-eq1-zone.pcap` | frame.p2p_dir 0 (sent) or 1 (received) |
| 6 | S Fragment seq 2, after the lost seq 1 (epb_dropcount 1) | eqstream.seq_gap, frame.capture_loss |
| 7-13 | as frames 8-14 of `eqstream-eq1-zone.pcap` | — |
| end | the ISB's counts | frame.capture_loss (1 packet by the OS of 14 received) |";

pub fn samples() -> Vec<Sample> {
    vec![
        Sample { name: "eqstream-eq2-login.pcap", description: EQ2_DESCRIPTION, bytes: capture(&eq2_login()) },
        Sample { name: "eqstream-eq1-zone.pcap", description: EQ1_DESCRIPTION, bytes: capture(&eq1_zone()) },
        Sample { name: "eqstream-capture-loss.pcapng", description: LOSS_DESCRIPTION, bytes: capture_loss() },
        Sample { name: "eqstream-xor.pcap", description: XOR_DESCRIPTION, bytes: capture(&xor_chat()) },
        Sample { name: "eqstream-midstream.pcap", description: MID_DESCRIPTION, bytes: capture(&mid_stream()) },
    ]
}

/// An Ethernet pcap of datagrams between CLIENT (on this LAN) and a server, from T0 + 1 s.
fn capture(dgrams: &[Datagram]) -> Vec<u8> {
    let frames: Frames = frames(dgrams).into_iter().map(|(ts, frame, _)| (ts, frame)).collect();
    pcap(linktype::ETHERNET, &frames)
}

/// The frames of `dgrams` as `capture` makes them, each with whether the client sent it.
fn frames(dgrams: &[Datagram]) -> Vec<(Ts, Vec<u8>, bool)> {
    let mut frames = Vec::new();
    for (i, (t, src, dst, payload)) in dgrams.iter().enumerate() {
        let (SocketAddr::V4(s), SocketAddr::V4(d)) = (src, dst) else { unreachable!("IPv4 samples") };
        let id = 0x4000u16.wrapping_add(i as u16 * 0x0131);
        let ns = 1_000_000_000 + *t;
        let ts = Ts::new(T0 + ns / 1_000_000_000, (ns % 1_000_000_000) as u32);
        let sent = *s.ip() == CLIENT;
        let frame = if sent {
            eth(CLIENT_MAC, SERVER_MAC, &udp4_out(*s, *d, id, payload))
        } else {
            eth(SERVER_MAC, CLIENT_MAC, &udp4_in(*s, *d, id, payload))
        };
        frames.push((ts, frame, sent));
    }
    frames
}

/// The EQ1 zone session in pcapng as dumpcap saves it, its sixth frame lost by the capture.
fn capture_loss() -> Vec<u8> {
    const EXPECT: &str = "writing to a Vec";
    const LOST: usize = 5;
    let all = frames(&eq1_zone());
    let mut w = PcapNgWriter::new(Vec::new(), false).expect(EXPECT);
    let os = (12, b"Linux 6.8.0-45-generic".to_vec());
    let filter = (11, [&[0u8][..], b"udp port 7000"].concat());
    let more = vec![filter, os];
    let opts = IfOpts { name: Some("eth0".into()), tsresol: Some(9), more, ..IfOpts::default() };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, opts).expect(EXPECT);
    for (i, (ts, frame, sent)) in all.iter().enumerate() {
        if i == LOST {
            continue;
        }
        let mut options = vec![w.u32_option(2, if *sent { 2 } else { 1 })];
        if i == LOST + 1 {
            options.push(w.u64_option(4, 1));
        }
        w.epb_with(eth0, *ts, frame.len() as u32, frame, &options).expect(EXPECT);
    }
    let (first, last) = (all[0].0, all[all.len() - 1].0);
    let counts = [
        w.ts_option(2, eth0, first),
        w.ts_option(3, eth0, last),
        w.u64_option(4, all.len() as u64),
        w.u64_option(5, 0),
        w.u64_option(6, all.len() as u64),
        w.u64_option(7, 1),
        w.u64_option(8, all.len() as u64 - 1),
    ];
    w.isb_with(eth0, last, &counts).expect(EXPECT);
    w.into_inner()
}

/// Collects datagrams with times in milliseconds.
struct Script {
    client: SocketAddr,
    server: SocketAddr,
    out: Vec<Datagram>,
}

impl Script {
    fn new(client: SocketAddr, server: SocketAddr) -> Script {
        Script { client, server, out: Vec::new() }
    }

    fn at(&mut self, us: i64, from: usize, payload: Vec<u8>) {
        let (src, dst) = if from == C { (self.client, self.server) } else { (self.server, self.client) };
        self.out.push((us * 1_000, src, dst, payload));
    }
}

fn sa(ip: Ipv4Addr, port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(ip, port))
}

/// Bytes that do not compress (xorshift).
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn str16(s: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(s.len() as u16).to_le_bytes());
    out.extend_from_slice(s);
}

/// LS_LoginRequest (v1208+): access code, unknown, username, password, 10 unknown bytes, version.
fn login_request(user: &[u8], password: &[u8], version: u16) -> Vec<u8> {
    let mut b = Vec::new();
    str16(b"", &mut b);
    str16(b"", &mut b);
    str16(user, &mut b);
    str16(password, &mut b);
    b.extend_from_slice(&[0; 10]);
    b.extend_from_slice(&version.to_le_bytes());
    b
}

fn stat_request() -> Vec<u8> {
    let mut v = Vec::new();
    wire::StatRequest { request_id: 1, average_delta: 60, low_delta: 20, high_delta: 120, ..Default::default() }
        .emit(&mut v);
    v
}

fn stat_response(sent: u64) -> Vec<u8> {
    let mut v = Vec::new();
    wire::StatResponse { request_id: 1, server_time: 0x0012_d687, counters: [1, 0, 0, sent] }.emit(&mut v);
    v
}

fn eq2_login() -> Vec<Datagram> {
    let mut s = Script::new(sa(CLIENT, 51_234), sa(EQ2_SERVER, 9100));
    let mut e = Encoder::eq2(0x2f6a_91c4);
    s.at(0, C, e.session_request(0, &[]));
    s.at(1_830, S, e.session_response(true));
    s.at(2_410, C, e.control(op::STAT_REQUEST, &stat_request()));
    s.at(4_020, S, e.control(op::STAT_RESPONSE, &stat_response(1)));
    let kg = e.keygen();
    s.at(4_380, S, e.packet(S, &kg).1);
    s.at(6_150, C, e.ack(0));
    let reply = e.key_reply(EQ2_KEY, 60);
    s.at(6_410, C, e.packet(C, &reply).1);
    s.at(8_090, S, e.ack(0));
    let login = e.eq2_app(C, 0, &login_request(b"player", b"secret", 1208));
    s.at(9_300, C, e.packet(C, &login).1);
    let mut reply_body = b"Welcome to the realm! ".repeat(8);
    reply_body.extend_from_slice(&[0; 40]);
    let reply = e.eq2_app(S, 4, &reply_body);
    let (_, p) = e.packet(S, &reply);
    s.at(12_700, S, p.clone());
    s.at(312_700, S, p);
    s.at(313_950, C, e.ack(1));
    let req = e.eq2_app(C, 7, &[]);
    s.at(320_000, C, e.packet(C, &req).1);
    let status = e.eq2_app(S, 6, &[1, 0, 0, 0, 1]);
    let mut worlds = Vec::new();
    for name in ["Antonia Bayle", "Halls of Fate", "Maj'Dul", "Thurgadin", "Varsoon", "Wurmbane"] {
        str16(name.as_bytes(), &mut worlds);
        worlds.extend_from_slice(&[1, 0, 0, 0, 0, 1]);
    }
    let list = e.eq2_app(S, 8, &worlds);
    let mut ac = Vec::new();
    wire::emit_app_combined(&[&status, &list], &mut ac);
    s.at(322_400, S, e.packet(S, &ac).1);
    let chars = e.eq2_app(S, 10, &noise(0x5eed, 700));
    for (i, p) in e.send(S, &chars).into_iter().enumerate() {
        s.at(330_000 + i as i64 * 120, S, p);
    }
    let five = e.eq2_app(S, 5, &[0, 1]);
    let (_, p5) = e.packet(S, &five);
    let six = e.eq2_app(S, 6, &[2, 0, 0, 0, 0]);
    let (_, p6) = e.packet(S, &six);
    s.at(400_000, S, p6);
    s.at(400_900, S, p5);
    s.at(402_100, C, e.ack(6));
    s.at(402_300, C, e.out_of_order_ack(6));
    s.at(9_402_300, C, e.control(op::KEEP_ALIVE, &[]));
    let mut disc = Vec::new();
    wire::Disconnect { session_id: e.session_id, reason: Some(6) }.emit(&mut disc);
    s.at(9_500_000, C, e.control(op::SESSION_DISCONNECT, &disc));
    s.out
}

fn eq1_zone() -> Vec<Datagram> {
    let mut s = Script::new(sa(CLIENT, 52_345), sa(EQ1_SERVER, 7000));
    let mut e = Encoder::new(0x6c1d_0e22, 0x7a3b_9c11, 2, [wire::PASS_COMPRESS, 0], 512);
    s.at(0, C, e.session_request(3, b"Everquest\0"));
    s.at(2_200, S, e.session_response(true));
    let mut entry = vec![0x13, 0x72];
    entry.extend_from_slice(b"Gandalf\0");
    entry.extend_from_slice(&[0; 72]);
    s.at(3_100, C, e.packet(C, &entry).1);
    s.at(5_000, S, e.ack(0));
    s.at(5_600, S, e.packet(S, &[0, 0, 0x56, 1, 2, 3]).1);
    // A Combined of a sequenced packet and an ack (each entry without flag or CRC).
    let seq1 = e.next_seq[S];
    e.next_seq[S] += 1;
    let mut inner = Vec::new();
    wire::emit_sequenced(op::PACKET, seq1, &[0x44, 0x44, 9, 9, 9], &mut inner);
    let mut comb = Vec::new();
    wire::emit_combined(&[&inner, &[0, op::ACK, 0, 0]], &mut comb);
    s.at(6_000, S, e.seal(&comb));
    let mut big = vec![0x89, 0x67];
    big.extend_from_slice(&noise(0xfeed, 598));
    for (i, p) in e.send(S, &big).into_iter().enumerate() {
        s.at(7_000 + i as i64 * 90, S, p);
    }
    s.at(9_000, C, e.seal(&[0x34, 0x12, 0xaa, 0xbb]));
    s.at(9_400, C, e.ack(3));
    let big_entry = {
        let mut v = vec![0x22, 0x22];
        v.extend_from_slice(&[7; 298]);
        v
    };
    let mut ac = Vec::new();
    wire::emit_app_combined(&[&[0x11, 0x11, 5], &big_entry], &mut ac);
    s.at(12_000, S, e.packet(S, &ac).1);
    s.at(15_000, C, e.control(op::KEEP_ALIVE, &[]));
    s.at(15_300, C, e.ack(4));
    let mut disc = Vec::new();
    wire::Disconnect { session_id: e.session_id, reason: None }.emit(&mut disc);
    s.at(20_000, C, e.control(op::SESSION_DISCONNECT, &disc));
    s.out
}

fn xor_chat() -> Vec<Datagram> {
    let mut s = Script::new(sa(CLIENT, 53_456), sa(EQ1_SERVER, 7778));
    let mut e = Encoder::new(0x0102_0304, 0x1122_3344, 2, [wire::PASS_XOR, 0], 512);
    s.at(0, C, e.session_request(3, &[]));
    s.at(1_500, S, e.session_response(false));
    let mut hello = vec![0x01, 0x01];
    hello.extend_from_slice(b"hello");
    s.at(2_000, C, e.packet(C, &hello).1);
    s.at(3_000, S, e.ack(0));
    let mut welcome = vec![0x02, 0x02];
    welcome.extend_from_slice(b"welcome to the channel");
    s.at(3_500, S, e.packet(S, &welcome).1);
    s.at(4_700, C, e.ack(0));
    s.out
}

fn mid_stream() -> Vec<Datagram> {
    let mut s = Script::new(sa(CLIENT, 54_567), sa(EQ1_SERVER, 9000));
    let mut e = Encoder::new(0x1111_2222, 0x5566_aa77, 2, [wire::PASS_COMPRESS, 0], 512);
    e.next_seq[S] = 41;
    s.at(0, C, e.ack(40));
    s.at(800, S, e.packet(S, &[0x21, 0x43, 1]).1);
    s.at(1_600, S, e.packet(S, &[0x21, 0x43, 1, 2, 3, 4, 5, 6, 7]).1);
    s.at(2_400, C, e.ack(42));
    let mut long = vec![0x65, 0x87];
    long.extend_from_slice(&[3; 60]);
    s.at(3_000, S, e.packet(S, &long).1);
    s.at(4_000, C, e.ack(43));
    s.at(5_000, S, e.control(op::KEEP_ALIVE, &[]));
    let (_, mut bad) = e.packet(S, &[0x21, 0x43, 0xee, 0xee]);
    let n = bad.len();
    bad[n - 1] ^= 0x5a;
    s.at(6_000, S, bad);
    s.at(7_000, C, e.ack(44));
    s.out
}

/// A realistic EQ2 session for the benchmark (about 200 datagrams over a minute): handshake,
/// KeyGen and key reply, login, then game traffic both ways with RC4, the server's zlib stream
/// (about one packet in three compressed), AppCombined, fragment chains, acks and keep-alives.
/// `index` picks the client address, session id, RC4 key and traffic, so sessions differ.
pub fn eq2_session(index: u64) -> Vec<Datagram> {
    let h = mix(index);
    let client =
        sa(Ipv4Addr::new(10, 30 + (index >> 16) as u8, (index >> 8) as u8, index as u8), 40_000 + (h % 20_000) as u16);
    let server = sa(Ipv4Addr::new(192, 0, 2, 100 + (index % 4) as u8), 9100);
    let mut s = Script::new(client, server);
    let mut e = Encoder::eq2(h as u32);
    let mut t = 0i64;
    let step = |t: &mut i64, k: u64| {
        *t += 200 + (mix(h ^ k) % 30_000) as i64;
        *t
    };
    s.at(step(&mut t, 1), C, e.session_request(0, &[]));
    s.at(step(&mut t, 2), S, e.session_response(true));
    s.at(step(&mut t, 3), C, e.control(op::STAT_REQUEST, &stat_request()));
    s.at(step(&mut t, 4), S, e.control(op::STAT_RESPONSE, &stat_response(1)));
    let kg = e.keygen();
    s.at(step(&mut t, 5), S, e.packet(S, &kg).1);
    s.at(step(&mut t, 6), C, e.ack(0));
    let reply = e.key_reply(mix(h ^ 7), 60);
    s.at(step(&mut t, 8), C, e.packet(C, &reply).1);
    s.at(step(&mut t, 9), S, e.ack(0));
    let mut body = Vec::new();
    LoginByNum { account_id: index as u32, access_code: h as u32, version: 1208 }.emit(&mut body);
    let login = e.eq2_app(C, 1, &body);
    s.at(step(&mut t, 10), C, e.packet(C, &login).1);
    for i in 0..60u64 {
        let r = mix(h ^ (i << 8));
        // Server: an update, sometimes large (compressed), sometimes two combined, rarely fragmented.
        let n = match r % 10 {
            0..=5 => 20 + (r >> 8) as usize % 90,
            6..=8 => 140 + (r >> 8) as usize % 300,
            _ => 900,
        };
        // Half repeated bytes (they compress), half noise; the large ones all noise, so they
        // stay large after compression and go out as fragments.
        let plain = if n >= 900 { 0 } else { n / 2 };
        let mut upd = vec![(r >> 20) as u8; plain];
        upd.extend_from_slice(&noise(r, n - plain));
        let op = 16 + (r >> 32) as u16 % 600;
        let blob = e.eq2_app(S, op, &upd);
        if r % 7 == 3 {
            let other = e.eq2_app(S, 17, &noise(r ^ 1, 12));
            let mut ac = Vec::new();
            wire::emit_app_combined(&[&blob, &other], &mut ac);
            s.at(step(&mut t, i * 4 + 100), S, e.packet(S, &ac).1);
        } else {
            for p in e.send(S, &blob) {
                s.at(step(&mut t, i * 4 + 101), S, p);
            }
        }
        s.at(step(&mut t, i * 4 + 102), C, e.ack(e.next_seq[S].wrapping_sub(1)));
        // Client: a command every other round, acked by the server.
        if i % 2 == 0 {
            let cmd = e.eq2_app(C, 200 + (r % 50) as u16, &noise(r ^ 2, 8 + (r >> 40) as usize % 24));
            s.at(step(&mut t, i * 4 + 103), C, e.packet(C, &cmd).1);
            s.at(step(&mut t, i * 4 + 104), S, e.ack(e.next_seq[C].wrapping_sub(1)));
        }
        if i % 20 == 19 {
            s.at(step(&mut t, i * 4 + 105), C, e.control(op::KEEP_ALIVE, &[]));
        }
    }
    let mut disc = Vec::new();
    wire::Disconnect { session_id: e.session_id, reason: Some(6) }.emit(&mut disc);
    s.at(step(&mut t, 99_999), C, e.control(op::SESSION_DISCONNECT, &disc));
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_differ_by_index_and_are_deterministic() {
        let a = eq2_session(1);
        assert_eq!(a, eq2_session(1));
        let b = eq2_session(2);
        assert_ne!(a[0].1, b[0].1);
        assert!((150..400).contains(&a.len()), "{}", a.len());
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
