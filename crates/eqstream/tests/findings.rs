//! EQStream sessions and findings, driven through the engine as the CLI drives them.

use std::net::SocketAddr;
use udpdissect_core::testing::Outcome as Out;
use udpdissect_core::{Dissection, Engine, Packet, Value};
use udpdissect_eqstream::encode::{Encoder, CLIENT, SERVER};
use udpdissect_eqstream::wire::{self, op};
use udpdissect_eqstream::{crc, EqStream};

const MS: i64 = 1_000_000;
const C: &str = "10.0.0.5:50123";
/// An EQ2Emu login server, and an EQEmu world server.
const S: &str = "192.0.2.10:9100";
const S1: &str = "192.0.2.20:9000";
const K: u64 = 0x0123_4567_89ab_cdef;

struct Run {
    engine: Engine,
    server: &'static str,
    frame: u64,
    t: i64,
}

fn u(v: u64) -> Option<Value> {
    Some(Value::Unsigned(v))
}

impl Run {
    fn new() -> Run {
        Run::with_prefs(&[])
    }

    fn with_prefs(prefs: &[&str]) -> Run {
        let mut engine = Engine::new(vec![Box::new(EqStream::new())]);
        for p in prefs {
            engine.set_pref(p).unwrap();
        }
        Run { engine, server: S, frame: 0, t: 1_700_000_000_000_000_000 }
    }

    fn eq1() -> Run {
        Run { server: S1, ..Run::new() }
    }

    fn send(&mut self, from: usize, payload: &[u8]) -> Out {
        let (src, dst) = if from == CLIENT { (C, self.server) } else { (self.server, C) };
        self.frame += 1;
        self.t += 10 * MS;
        let pkt = Packet::new(self.frame, self.t, src.parse::<SocketAddr>().unwrap(), dst.parse().unwrap(), payload);
        Out::of(&mut self.engine, &pkt)
    }

    fn clean(&mut self, from: usize, payload: &[u8]) -> Out {
        let o = self.send(from, payload);
        assert!(o.tags.is_empty(), "frame {}: {} {:?}", self.frame, o.info, o.messages);
        o
    }

    fn handshake(&mut self, e: &Encoder, long: bool) {
        let r = self.clean(CLIENT, &e.session_request(0, &[]));
        assert_eq!(r.protocol, "EQStream");
        self.clean(SERVER, &e.session_response(long));
    }

    /// Handshake, KeyGen and key reply of an EQ2Emu session.
    fn eq2_start(&mut self, e: &mut Encoder) {
        self.handshake(e, true);
        let kg = e.keygen();
        let (_, p) = e.packet(SERVER, &kg);
        let o = self.clean(SERVER, &p);
        assert_eq!(o.info, "Packet seq=0, KeyGen (60-byte modulus)");
        let reply = e.key_reply(K, 60);
        let (_, p) = e.packet(CLIENT, &reply);
        let o = self.clean(CLIENT, &p);
        assert_eq!(o.field("eqstream.eq2.rc4_key"), u(K));
    }
}

#[test]
fn eq2_login_session_decrypts_both_ways_with_the_persistent_zlib_stream() {
    let mut r = Run::new();
    let mut e = Encoder::eq2(0x0a0b_0c0d);
    r.eq2_start(&mut e);

    // C→S LoginByNumRequest: the client version picks the opcode table.
    let mut body = Vec::new();
    udpdissect_eqstream::eq2::LoginByNum { account_id: 77, access_code: 1234, version: 1208 }.emit(&mut body);
    let blob = e.eq2_app(CLIENT, 1, &body);
    let o = r.clean(CLIENT, &e.packet(CLIENT, &blob).1);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_LoginByNumRequestMsg"]);
    assert_eq!((o.field("eqstream.eq2.login.version"), o.field("eqstream.eq2.login.account_id")), (u(1208), u(77)));

    // S→C: two compressed packets; the second inflates only with the first's stream.
    for i in 0..2u8 {
        let body: Vec<u8> = (0..300u32).map(|j| (j % 13) as u8 + i).collect();
        let blob = e.eq2_app(SERVER, 4, &body);
        let o = r.clean(SERVER, &e.packet(SERVER, &blob).1);
        assert_eq!(o.names("eqstream.eq2.flag"), ["compressed"]);
        assert_eq!(o.field("eqstream.eq2.inflated_len"), u(301));
        assert!(o.info.ends_with("OP_LoginReplyMsg"), "{}", o.info);
    }

    // An AppCombined of two server messages, one of them with an oversized opcode.
    let a = e.eq2_app(SERVER, 8, b"worlds");
    let b = e.eq2_app(SERVER, 0x01f4, b"x");
    let mut ac = Vec::new();
    wire::emit_app_combined(&[&a, &b], &mut ac);
    let o = r.clean(SERVER, &e.packet(SERVER, &ac).1);
    assert_eq!(o.all("eqstream.eq2.opcode").len(), 2);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_WorldListMsg"]);
    assert!(o.info.contains("EQ2 op 500"), "{}", o.info);

    // A 1500-byte incompressible message in fragments.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let big: Vec<u8> = (0..1500)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let blob = e.eq2_app(SERVER, 10, &big);
    let chain = e.send(SERVER, &blob);
    assert!(chain.len() >= 3);
    for (i, p) in chain.iter().enumerate() {
        let o = r.clean(SERVER, p);
        if i + 1 < chain.len() {
            assert!(o.all("eqstream.eq2.opcode").is_empty());
        } else {
            assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_AllCharactersDescReplyMsg"]);
            assert_eq!(o.field("eqstream.reassembled"), u(blob.len() as u64));
            assert_eq!(o.field("eqstream.reassembled.first_frame"), Some(Value::Frame(r.frame - i as u64)));
        }
    }

    // The client acks the last one: linked, with its round trip.
    let last = e.next_seq[SERVER] - 1;
    let o = r.clean(CLIENT, &e.ack(last));
    assert_eq!(o.field("eqstream.ack.frame"), Some(Value::Frame(r.frame - 1)));
    assert_eq!(o.field("eqstream.ack.rtt"), Some(Value::Duration(10 * MS)));

    let o = r.clean(CLIENT, &e.control(op::SESSION_DISCONNECT, &[0x0a, 0x0b, 0x0c, 0x0d, 0, 6]));
    assert_eq!(o.info, "SessionDisconnect reason=SocketError");
}

#[test]
fn reference_packets_of_the_eq1_compression_pass() {
    // §12.2 and §12.3, key 0x11223344, crc 2, pass1 compression.
    let mut r = Run::eq1();
    let e = Encoder::new(0x0a0b0c0d, 0x1122_3344, 2, [1, 0], 512);
    r.handshake(&e, false);
    let hex = |s: &str| -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    };
    let p = hex("00 09 5a 78 01 63 60 b8 e0 cb c0 c8 c4 cc c2 ca c6 ce c1 c9 c5 cd c3 cb c7 2f 20 28 24 2c
         22 2a 26 2e 21 29 25 2d 23 2b 27 af a0 a8 a4 ac a2 aa a6 0e 00 58 45 04 2a 69 35");
    let o = r.clean(SERVER, &p);
    assert_eq!(o.field("eqstream.seq"), u(0));
    assert_eq!(o.field("eqstream.eq1.opcode"), Some(Value::Enum { value: 0x4dd0, name: None }));
    assert_eq!(o.names("eqstream.crc.status"), ["good"]);
    assert_eq!(o.names("eqstream.flag"), ["zlib"]);
    assert_eq!(o.info, "Packet seq=0, App 0x4dd0");
    let mut ack = hex("00 15 a5 00 00");
    crc::append(0x1122_3344, 2, &mut ack);
    let o = r.clean(CLIENT, &ack);
    assert_eq!((o.field("eqstream.ack"), o.names("eqstream.flag")), (u(0), vec!["stored"]));
    let o = r.clean(SERVER, &hex("d0 a5 4d 01 02 33 20"));
    assert_eq!(o.field("eqstream.eq1.opcode"), Some(Value::Enum { value: 0x4dd0, name: None }));
}

#[test]
fn eq1_opcode_names_come_from_a_patch_file() {
    let dir = std::env::temp_dir().join(format!("eqstream-ops-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("patch_Titanium.conf");
    std::fs::write(&file, "OP_SendLoginInfo=0x4dd0   # C\n").unwrap();
    let pref = format!("eqstream.eq1_opcodes:{}", file.display());
    let mut r = Run::with_prefs(&[&pref]);
    let mut e = Encoder::new(1, 0x1122_3344, 2, [1, 0], 512);
    r.handshake(&e, false);
    let mut app = vec![0xd0, 0x4d];
    app.extend_from_slice(&[7; 40]);
    let o = r.clean(CLIENT, &e.packet(CLIENT, &app).1);
    assert_eq!(o.names("eqstream.eq1.opcode"), ["OP_SendLoginInfo"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn xor_pass_is_undone_with_the_session_key() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(9, 0x1122_3344, 2, [4, 0], 512);
    r.handshake(&e, false);
    let o = r.clean(CLIENT, &e.packet(CLIENT, &[0x34, 0x12, b'h', b'e', b'l', b'l', b'o']).1);
    assert_eq!(o.field("eqstream.seq"), u(0));
    assert_eq!(o.field("eqstream.eq1.opcode"), Some(Value::Enum { value: 0x1234, name: None }));
    assert_eq!(o.d.sources().len(), 1);
    assert_eq!(&o.d.sources()[0].data[4..9], b"\x34\x12hel");
}

#[test]
fn mid_stream_key_is_recovered_from_crcs_and_then_checked() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(5, 0x5566_7788, 2, [0, 0], 512);
    // No handshake: three packets of different lengths fix the key, the fourth verifies it.
    let first = r.send(CLIENT, &e.ack(3));
    assert!(first.has("eqstream.no_handshake"), "{:?}", first.tags);
    assert_eq!(first.names("eqstream.crc.status"), ["unverified"]);
    r.clean(SERVER, &e.packet(SERVER, &[0x11, 0x22, 1]).1);
    r.clean(SERVER, &e.packet(SERVER, &[0x11, 0x22, 1, 2, 3, 4, 5, 6]).1);
    let o = r.send(SERVER, &e.packet(SERVER, &[0x11, 0x22, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]).1);
    assert_eq!(o.tags, ["eqstream.crc_key_recovered"]);
    assert_eq!(o.field("eqstream.crc.recovered_key"), u(0x5566_7788));
    let o = r.clean(CLIENT, &e.ack(2));
    assert_eq!(o.names("eqstream.crc.status"), ["good"]);
    let mut bad = e.ack(1);
    *bad.last_mut().unwrap() ^= 0x40;
    assert_eq!(r.send(CLIENT, &bad).tags, ["eqstream.crc_mismatch"]);
}

#[test]
fn crc_mismatch_and_a_trailer_of_the_wrong_length() {
    let mut r = Run::new();
    let e = Encoder::eq2(1);
    r.handshake(&e, true);
    let mut p = e.control(op::KEEP_ALIVE, &[]);
    p[3] ^= 1;
    let o = r.send(CLIENT, &p);
    assert_eq!(o.tags, ["eqstream.crc_mismatch"]);
    assert_eq!(o.names("eqstream.crc.status"), ["bad"]);
    assert!(o.messages[0].contains("expected 4585"), "{}", o.messages[0]);
    // A full CRC-32 where the session negotiated 2 bytes (the notes' "CRC32").
    let mut full = vec![0, op::KEEP_ALIVE];
    crc::append(0x3362_4702, 4, &mut full);
    let o = r.send(CLIENT, &full);
    assert_eq!(o.tags, ["eqstream.crc_length_mismatch"]);
    assert_eq!(o.info, "KeepAlive");
}

#[test]
fn combined_with_a_count_byte_and_with_length_escapes() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    r.handshake(&e, false);
    // §12.5 Combined{Ack 3, Packet 4} plus the notes' leading count.
    let ack = [0, op::ACK, 0, 3];
    let (_, _) = e.packet(CLIENT, &[]);
    let pkt = [0, op::PACKET, 0, 0, 0x34, 0x12, 0xaa];
    let mut body = vec![0, op::COMBINED, 2, 4];
    body.extend_from_slice(&ack);
    body.push(7);
    body.extend_from_slice(&pkt);
    let o = r.send(SERVER, &e.seal(&body));
    assert_eq!(o.tags, ["eqstream.combined_count_byte", "eqstream.ack_unsent"]);
    assert_eq!(o.field("eqstream.combined.count"), u(2));
    assert_eq!(o.field("eqstream.seq"), u(0));
    // Without the count: clean.
    let mut plain = Vec::new();
    wire::emit_combined(&[&[0, op::KEEP_ALIVE], &[0x34, 0x12, 1]], &mut plain);
    let o = r.clean(SERVER, &e.seal(&plain));
    assert_eq!(o.info, "Combined, KeepAlive, App 0x1234");
    // An entry of 300 bytes with EQ2Emu's FF + u16 escape.
    let mut esc = vec![0, op::COMBINED, 0xff, 0x01, 0x2c, 0x34, 0x12];
    esc.extend_from_slice(&[0; 298]);
    let o = r.send(SERVER, &e.seal(&esc));
    assert_eq!(o.tags, ["eqstream.combined_length_escape"]);
}

#[test]
fn sequencing_gap_out_of_order_retransmission_duplicate_and_unsent_ack() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    r.handshake(&e, false);
    let p0 = e.packet(SERVER, &[0x01, 0x10]).1;
    let p1 = e.packet(SERVER, &[0x02, 0x10]).1;
    let p2 = e.packet(SERVER, &[0x03, 0x10]).1;
    r.clean(SERVER, &p0);
    let o = r.send(SERVER, &p2);
    assert_eq!(o.tags, ["eqstream.seq_gap"]);
    assert_eq!(o.names("eqstream.seq.status"), ["ahead (held)"]);
    assert_eq!(o.info, "Packet seq=2 (ahead of 1: held)");
    let o = r.send(SERVER, &p1);
    assert_eq!(o.tags, ["eqstream.out_of_order"]);
    assert_eq!(o.info, "Packet seq=1, App 0x1002, seq=2 from frame 4, App 0x1003");
    assert_eq!(o.field("eqstream.delivered_from"), Some(Value::Frame(4)));
    // Re-sent before any ack: a retransmission; after the ack: a duplicate.
    let o = r.send(SERVER, &p1);
    assert_eq!(o.tags, ["eqstream.retransmission"]);
    assert_eq!(o.field("eqstream.original_frame"), Some(Value::Frame(5)));
    assert_eq!(o.info, "Packet seq=1 (retransmission of frame 5)");
    r.clean(CLIENT, &e.ack(2));
    assert_eq!(r.send(SERVER, &p2).tags, ["eqstream.duplicate"]);
    // An ack for a sequence number the server never sent.
    let o = r.send(CLIENT, &e.ack(50));
    assert_eq!(o.tags, ["eqstream.ack_unsent"]);
    assert!(o.messages[0].contains("its highest is 2"), "{}", o.messages[0]);
}

#[test]
fn session_reset_and_out_of_session() {
    let mut r = Run::eq1();
    let mut e = Encoder::eq2(1);
    r.handshake(&e, true);
    r.clean(CLIENT, &e.packet(CLIENT, &[0x05]).1);
    // A repeated request before any response is no reset.
    let e2 = Encoder::eq2(2);
    let o = r.send(CLIENT, &e2.session_request(0, &[]));
    assert_eq!(o.tags, ["eqstream.session_reset"]);
    assert!(o.messages[0].contains("the session of frame 1"), "{}", o.messages[0]);
    assert!(r.send(CLIENT, &e2.session_request(0, &[])).tags.is_empty());
    let o = r.send(SERVER, &[0, op::OUT_OF_SESSION, 0, 0, 0, 0]);
    assert_eq!(o.tags, ["eqstream.out_of_session"]);
}

#[test]
fn fragment_over_the_limit_is_counted_not_reassembled() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    r.handshake(&e, false);
    let mut first = vec![0, op::FRAGMENT, 0, 0];
    first.extend_from_slice(&(2u32 << 20).to_be_bytes());
    first.extend_from_slice(&[1; 100]);
    e.next_seq[SERVER] = 1;
    let o = r.send(SERVER, &e.seal(&first));
    assert_eq!(o.tags, ["eqstream.fragment_too_large"]);
    assert_eq!(o.field("eqstream.fragment.total_len"), u(2 << 20));
}

#[test]
fn inflate_failure_and_limit_in_the_eq1_pass() {
    let mut r = Run::eq1();
    let e = Encoder::new(1, 0x1122_3344, 2, [1, 0], 512);
    r.handshake(&e, false);
    let mut bad = vec![0, op::PACKET, 0x5a, 0x78, 0x01, 0xff, 0xfe, 0x00];
    crc::append(0x1122_3344, 2, &mut bad);
    let o = r.send(SERVER, &bad);
    assert_eq!(o.tags, ["eqstream.inflate_failed"]);
    let bomb = udpdissect_eqstream::passes::deflate_packet(&[0; 20_000]);
    let mut p = vec![0, op::PACKET, 0x5a];
    p.extend_from_slice(&bomb);
    crc::append(0x1122_3344, 2, &mut p);
    assert_eq!(r.send(SERVER, &p).tags, ["eqstream.inflate_limit"]);
}

#[test]
fn a_gap_never_filled_loses_the_eq2_stream() {
    let mut r = Run::new();
    let mut e = Encoder::eq2(1);
    r.eq2_start(&mut e);
    let lost = e.eq2_app(SERVER, 4, b"lost");
    e.packet(SERVER, &lost);
    for i in 0..3 {
        let blob = e.eq2_app(SERVER, 5, b"later");
        let o = r.send(SERVER, &e.packet(SERVER, &blob).1);
        assert_eq!(o.has("eqstream.seq_gap"), i == 0);
    }
    // 31 s later the receiver has long given up: the stream is lost.
    r.t += 31_000 * MS;
    let blob = e.eq2_app(SERVER, 5, b"later");
    let o = r.send(SERVER, &e.packet(SERVER, &blob).1);
    assert!(o.has("eqstream.reorder_limit") && o.has("eqstream.stream_lost"), "{:?}", o.tags);
    assert!(o.info.contains("not decryptable (stream lost at frame"), "{}", o.info);
    let blob = e.eq2_app(SERVER, 5, b"more");
    let o = r.clean(SERVER, &e.packet(SERVER, &blob).1);
    assert_eq!(o.field("eqstream.eq2.not_decryptable"), Some(Value::Frame(r.frame - 1)));
    // The other direction still decrypts.
    let blob = e.eq2_app(CLIENT, 7, b"");
    let o = r.clean(CLIENT, &e.packet(CLIENT, &blob).1);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_AllWSDescRequestMsg"]);
}

#[test]
fn corrupt_zlib_stream_is_lost_not_printed_as_garbage() {
    let mut r = Run::new();
    let mut e = Encoder::eq2(1);
    r.eq2_start(&mut e);
    // Fake a compressed packet whose deflate bytes are garbage (RC4 of flag 01 + junk).
    let mut enc = Encoder::eq2(1);
    enc.start_rc4(K);
    let blob = enc.eq2_app(SERVER, 4, b"x"); // advances a parallel state past nothing useful
    let _ = blob;
    let mut plain = vec![1u8, 0xff, 0xfe, 0xfd, 0x00];
    let mut st = udpdissect_eqstream::eq2::rc4_pair(K).0;
    st.apply(&mut plain);
    let o = r.send(SERVER, &e.packet(SERVER, &plain).1);
    assert!(o.has("eqstream.inflate_failed") && o.has("eqstream.stream_lost"), "{:?}", o.tags);
}

#[test]
fn rsa_keygen_needs_a_key_from_outside_and_then_decrypts() {
    for with_key in [false, true] {
        let prefs: &[&str] = if with_key { &["eqstream.rc4_key:0123456789abcdef"] } else { &[] };
        let mut r = Run::with_prefs(prefs);
        let mut e = Encoder::eq2(1);
        r.handshake(&e, true);
        let mut kg = Vec::new();
        udpdissect_eqstream::eq2::KeyGen { modulus: vec![0xc5; 60], exponent: vec![1, 0, 1] }.emit(&mut kg);
        let o = r.send(SERVER, &e.packet(SERVER, &kg).1);
        assert_eq!(o.has("eqstream.rsa_key"), !with_key);
        let reply = e.key_reply(K, 60);
        let o = r.clean(CLIENT, &e.packet(CLIENT, &reply).1);
        assert_eq!(o.field("eqstream.eq2.rc4_key").is_some(), with_key);
        let blob = e.eq2_app(SERVER, 4, b"hello");
        let o = r.send(SERVER, &e.packet(SERVER, &blob).1);
        if with_key {
            assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_LoginReplyMsg"]);
        } else {
            assert_eq!(o.tags, ["eqstream.no_rc4_key"]);
            assert!(o.field("eqstream.eq2.encrypted").is_some());
        }
    }
}

#[test]
fn the_notes_session_key_scheme_is_available_as_a_preference() {
    let mut r = Run::with_prefs(&["eqstream.rc4_key_source:session"]);
    let mut e = Encoder::eq2(1);
    r.handshake(&e, true);
    // The notes: the SessionResponse key as 4 RC4 key bytes, both directions, nothing dropped.
    let (mut s2c, _) = udpdissect_eqstream::eq2::rc4_pair_from_session_key(0x3362_4702);
    let blob = udpdissect_eqstream::eq2::seal(&mut s2c, &[0, 4, 1, 2, 3]);
    let o = r.clean(SERVER, &e.packet(SERVER, &blob).1);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_LoginReplyMsg"]);
}

#[test]
fn unknown_opcodes_short_packets_and_deep_nesting_are_reported() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    r.handshake(&e, false);
    assert_eq!(r.send(SERVER, &e.control(0x1e, &[1, 2])).tags, ["eqstream.unknown_opcode"]);
    assert_eq!(r.send(SERVER, &e.seal(&[0, op::PACKET, 0])).tags, ["eqstream.malformed"]);
    // Ten Combined levels, each wrapping the next.
    let mut inner = vec![0, op::KEEP_ALIVE];
    for _ in 0..10 {
        let mut c = Vec::new();
        wire::emit_combined(&[&inner], &mut c);
        inner = c;
    }
    let o = r.send(SERVER, &e.seal(&inner));
    assert_eq!(o.tags, ["eqstream.depth_limit"]);
    let _ = e.packet(SERVER, &[]);
}

#[test]
fn stat_request_and_response_are_paired() {
    let mut r = Run::new();
    let e = Encoder::eq2(1);
    r.handshake(&e, true);
    let mut req = Vec::new();
    wire::StatRequest { request_id: 7, packets_sent: 3, ..Default::default() }.emit(&mut req);
    let o = r.clean(CLIENT, &e.control(op::STAT_REQUEST, &req));
    assert_eq!(o.field("eqstream.stat.packets_sent"), u(3));
    let mut resp = Vec::new();
    wire::StatResponse { request_id: 7, server_time: 1000, counters: [1, 2, 3, 4] }.emit(&mut resp);
    let o = r.clean(SERVER, &e.control(op::STAT_RESPONSE, &resp));
    assert_eq!(o.field("eqstream.stat.response_to"), Some(Value::Frame(3)));
    assert_eq!(o.field("eqstream.stat.server_received"), u(4));
}

#[test]
fn unrelated_udp_is_not_claimed() {
    let mut r = Run::new();
    r.frame += 1;
    let pkt = Packet::new(1, 0, "10.1.1.1:5000".parse().unwrap(), "10.1.1.2:6000".parse().unwrap(), b"hello world");
    let mut d = Dissection::new(true);
    r.engine.dissect(&pkt, &mut d);
    assert_eq!(d.protocol, "UDP");
    let _ = SERVER;
}

#[test]
fn eq2_opcode_names_follow_the_client_version() {
    let dir = std::env::temp_dir().join(format!("eqstream-eq2ops-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("opcodes.csv");
    std::fs::write(&file, "name,opcode,version_low,version_high\nOP_PlayCharacterRequestMsg,17,283,283\nOP_PlayCharacterRequestMsg,18,284,60069\nOP_ZoneInfoMsg,17,284,60069\n").unwrap();
    let pref = format!("eqstream.eq2_opcodes:{}", file.display());
    let mut r = Run::with_prefs(&[&pref]);
    let mut e = Encoder::eq2(1);
    r.eq2_start(&mut e);
    let mut body = Vec::new();
    udpdissect_eqstream::eq2::LoginByNum { account_id: 1, access_code: 2, version: 1208 }.emit(&mut body);
    let blob = e.eq2_app(CLIENT, 1, &body);
    r.clean(CLIENT, &e.packet(CLIENT, &blob).1);
    let blob = e.eq2_app(CLIENT, 18, &[]);
    let o = r.clean(CLIENT, &e.packet(CLIENT, &blob).1);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_PlayCharacterRequestMsg"]);
    let blob = e.eq2_app(SERVER, 17, &[]);
    let o = r.clean(SERVER, &e.packet(SERVER, &blob).1);
    assert_eq!(o.names("eqstream.eq2.opcode"), ["OP_ZoneInfoMsg"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_notes_response_and_fragment_layouts_are_recognised() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(1, 0x1122_3344, 2, [0, 0], 512);
    r.send(CLIENT, &e.session_request(3, &[]));
    // session, key, crc, two modes, unknown 0, then max_length 512.
    let mut resp = vec![0, op::SESSION_RESPONSE, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44, 2, 0, 0];
    resp.extend_from_slice(&[0, 0, 0, 0, 0, 0, 2, 0]);
    let o = r.send(SERVER, &resp);
    assert_eq!(o.tags, ["eqstream.response_layout"]);
    assert_eq!(o.field("eqstream.session_response.max_length"), u(0));
    // A first fragment with fragment number 0 of 2 after the total length.
    let mut first = vec![0, op::FRAGMENT, 0, 0, 0, 0, 0x03, 0x20, 0, 0, 0, 2];
    first.extend_from_slice(&[5; 496]);
    e.next_seq[SERVER] = 1;
    let o = r.send(SERVER, &e.seal(&first));
    assert_eq!(o.tags, ["eqstream.fragment_layout"]);
}

#[test]
fn sessions_table_counts_per_session() {
    let mut r = Run::eq1();
    let mut e = Encoder::new(0x0a0b_0c0d, 0x1122_3344, 2, [0, 0], 512);
    r.handshake(&e, false);
    let p0 = e.packet(SERVER, &[1, 2]).1;
    r.clean(SERVER, &p0);
    r.send(SERVER, &p0);
    r.clean(CLIENT, &e.ack(0));
    let mut bad = e.ack(0);
    bad[4] ^= 1;
    r.send(CLIENT, &bad);
    let p1 = e.packet(SERVER, &[3, 4]).1;
    r.clean(SERVER, &p1);
    r.clean(CLIENT, &e.ack(1));
    let tables = r.engine.tables();
    let t = tables.iter().find(|t| t.name == "eqstream.sessions").unwrap();
    assert_eq!(t.rows.len(), 1);
    let col = |name: &str| t.columns.iter().position(|c| *c == name).unwrap();
    let row = &t.rows[0];
    use udpdissect_core::Cell;
    assert_eq!(row[col("session id")], Cell::Text("0a0b0c0d".into()));
    assert_eq!(row[col("game")], Cell::Name("EQ1"));
    assert_eq!(row[col("datagrams")], Cell::UInt(8));
    assert_eq!(row[col("retransmitted")], Cell::UInt(1));
    assert_eq!(row[col("crc errors")], Cell::UInt(1));
    assert_eq!(row[col("rtt min")], Cell::Duration(10 * MS));
    assert_eq!(row[col("reliable")], Cell::UInt(3), "p0 twice, p1 once");
    assert_eq!(row[col("retransmitted %")], Cell::Float(100.0 / 3.0, 1));
    assert_eq!((&row[col("crc bytes")], &row[col("passes")]), (&Cell::UInt(2), &Cell::Text("none".into())));
    assert_eq!(row[col("decrypted")], Cell::Empty, "EQ1");
}
