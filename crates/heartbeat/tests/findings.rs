//! Heartbeat sessions and findings, driven through the engine as the CLI drives them.

use std::net::SocketAddr;
use udpdissect_core::testing::Outcome as Out;
use udpdissect_core::{Dissection, Engine, Packet, Value};
use udpdissect_heartbeat::wire::{Reply, Request};
use udpdissect_heartbeat::Heartbeat;

const S: i64 = 1_000_000_000;
const SERVER: &str = "172.16.202.201:3335";
const UID: i64 = 1_234_567_890_123;

struct Run {
    engine: Engine,
    frame: u64,
}

impl Run {
    fn new() -> Run {
        Run { engine: Engine::new(vec![Box::new(Heartbeat::new())]), frame: 0 }
    }

    fn send(&mut self, src: &str, dst: &str, t: i64, payload: &[u8]) -> Out {
        self.frame += 1;
        let pkt =
            Packet::new(self.frame, t, src.parse::<SocketAddr>().unwrap(), dst.parse::<SocketAddr>().unwrap(), payload);
        Out::of(&mut self.engine, &pkt)
    }

    fn beat(&mut self, port: u16, t: i64, uid: i64) -> Out {
        let mut b = Vec::new();
        Request { uid }.emit(&mut b);
        self.send(&format!("10.1.2.3:{port}"), SERVER, t, &b)
    }

    fn reply(&mut self, port: u16, t: i64, reply: Reply) -> Out {
        let mut b = Vec::new();
        reply.emit(&mut b);
        self.send(SERVER, &format!("10.1.2.3:{port}"), t, &b)
    }

    fn finish(&mut self) -> Vec<String> {
        let mut d = Dissection::new(true);
        self.engine.finish(&mut d);
        d.experts().iter().map(|e| format!("{} {}", e.tag(), e.message)).collect()
    }
}

#[test]
fn healthy_session_pairs_requests_and_replies_without_findings() {
    let mut r = Run::new();
    for i in 0..3 {
        let port = 40000 + i as u16;
        let b = r.beat(port, 60 * S * i, UID);
        assert_eq!((b.protocol.as_str(), b.info.as_str()), ("SRUN", "Beat UID=1234567890123"));
        assert_eq!(b.field("heartbeat.uid"), Some(Value::Signed(UID)));
        assert_eq!(b.field("heartbeat.beat"), Some(Value::Unsigned(i as u64 + 1)));
        assert!(b.tags.is_empty(), "{:?}", b.messages);
        let rep = r.reply(port, 60 * S * i + 3_000_000, Reply::alive(UID));
        assert_eq!(rep.info, "Reply UID=1234567890123 (alive)");
        assert_eq!(rep.field("heartbeat.response_to"), Some(Value::Frame(2 * i as u64 + 1)));
        assert_eq!(rep.field("heartbeat.time"), Some(Value::Duration(3_000_000)));
        assert_eq!(rep.field("heartbeat.session"), Some(Value::Unsigned(1)));
        assert!(rep.tags.is_empty(), "{:?}", rep.messages);
    }
    let b = r.beat(40009, 180 * S, UID);
    assert_eq!(b.field("heartbeat.interval"), Some(Value::Duration(60 * S)));
    assert!(r.finish().is_empty(), "a beat the capture ended right after is not unanswered");
}

#[test]
fn field_offsets_cover_the_reply() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let rep = r.reply(40000, 1, Reply::alive(UID));
    let spans: Vec<_> = rep.d.fields().iter().filter(|f| !f.generated).map(|f| (f.info.key, f.offset, f.len)).collect();
    assert_eq!(spans, [("heartbeat", 0, 16), ("heartbeat.uid", 0, 8), ("heartbeat.padding", 8, 8)]);
}

#[test]
fn dead_session_then_beat_after_death_then_new_login() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let dead = r.reply(40000, S / 100, Reply::dead());
    assert_eq!(dead.info, "Reply UID=-2 (session dead)");
    assert_eq!(dead.tags, ["heartbeat.session_dead"]);
    assert_eq!(dead.field("heartbeat.status"), Some(Value::Enum { value: 1, name: Some("dead") }));
    let again = r.beat(40001, 60 * S, UID);
    assert_eq!(again.tags, ["heartbeat.beat_after_death"]);
    assert!(again.messages[0].contains("declared it dead in frame 2"), "{}", again.messages[0]);
    assert_eq!(again.info, "Beat UID=1234567890123 (after death)");
    let still = r.reply(40001, 60 * S + 1, Reply::dead());
    assert_eq!(still.tags, ["heartbeat.session_dead"]);
    assert!(still.messages[0].contains("still dead (since frame 2)"));
    let fresh = r.beat(40002, 120 * S, 99);
    assert_eq!(fresh.tags, ["heartbeat.new_uid"]);
    assert_eq!(fresh.field("heartbeat.session"), Some(Value::Unsigned(2)));
    assert_eq!(fresh.field("heartbeat.beat"), Some(Value::Unsigned(1)));
}

#[test]
fn reply_uid_differs_from_request() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let rep = r.reply(40000, 1, Reply::alive(7));
    assert_eq!(rep.tags, ["heartbeat.uid_mismatch"]);
    assert_eq!(rep.field("heartbeat.request_uid"), Some(Value::Signed(UID)));
    assert_eq!(rep.field("heartbeat.status"), Some(Value::Enum { value: 2, name: Some("other UID") }));
}

#[test]
fn nonzero_padding() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let rep = r.reply(40000, 1, Reply { uid: UID, padding: [0, 0, 0, 0, 0, 0, 0, 1] });
    assert_eq!(rep.tags, ["heartbeat.padding_nonzero"]);
    assert_eq!(rep.d.experts()[0].at, Some((0, 8, 8)));
}

#[test]
fn wrong_lengths_decode_what_is_there() {
    let mut r = Run::new();
    let nine = r.send("10.1.2.3:40000", SERVER, 0, &[0xcb, 0x04, 0xfb, 0x71, 0x1f, 0x01, 0, 0, 0xaa]);
    assert_eq!(nine.tags, ["heartbeat.bad_length"]);
    assert_eq!(nine.field("heartbeat.uid"), Some(Value::Signed(UID)));
    assert!(nine.field("heartbeat.trailing").is_some());
    let short = r.send("10.1.2.3:40001", SERVER, 0, &[1, 2, 3]);
    assert_eq!(short.tags, ["heartbeat.bad_length"]);
    assert_eq!(short.info, "Beat, malformed (3 bytes)");
    let mut b = Vec::new();
    Request { uid: UID }.emit(&mut b);
    let eight_byte_reply = r.send(SERVER, "10.1.2.3:40000", 1, &b);
    assert_eq!(eight_byte_reply.tags, ["heartbeat.bad_length"]);
    assert!(eight_byte_reply.messages[0].contains("pysrun accepts only 16-byte replies"));
    assert_eq!(eight_byte_reply.field("heartbeat.uid"), Some(Value::Signed(UID)));
}

#[test]
fn a_reply_cut_by_the_snapshot_length_is_not_a_bad_length() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let mut b = Vec::new();
    Reply::alive(UID).emit(&mut b);
    let cut = Packet {
        wire_len: 16,
        ..Packet::new(2, 1, SERVER.parse().unwrap(), "10.1.2.3:40000".parse().unwrap(), &b[..8])
    };
    let mut d = Dissection::new(true);
    r.engine.dissect(&cut, &mut d);
    assert!(d.experts().is_empty(), "{:?}", d.experts());
    assert_eq!(d.info, "Reply UID=1234567890123 (alive)");
    let tiny = Packet {
        wire_len: 16,
        ..Packet::new(3, 2, SERVER.parse().unwrap(), "10.1.2.3:40001".parse().unwrap(), &b[..3])
    };
    let mut d = Dissection::new(true);
    r.engine.dissect(&tiny, &mut d);
    assert_eq!(d.info, "Reply, cut short by the capture (3 bytes)");
    assert!(!d.experts().iter().any(|e| e.tag() == "heartbeat.bad_length"));
}

#[test]
fn reply_without_request() {
    let mut r = Run::new();
    let rep = r.reply(40000, 0, Reply::alive(UID));
    assert_eq!(rep.tags, ["heartbeat.reply_without_request"]);
    assert_eq!(rep.info, "Reply UID=1234567890123 (alive)");
}

#[test]
fn request_without_reply_at_next_beat_and_at_the_end() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let next = r.beat(40001, 60 * S, UID);
    assert_eq!(next.tags, ["heartbeat.no_reply"]);
    assert!(next.messages[0].contains("frame 1"));
    r.beat(40002, 120 * S, UID);
    r.send("10.9.9.9:1", "10.9.9.8:2", 125 * S, b"x"); // the capture goes on
    let end = r.finish();
    assert_eq!(end.len(), 1);
    assert!(end[0].starts_with("heartbeat.no_reply the beat in frame 3 "), "{end:?}");
}

#[test]
fn a_reply_to_an_earlier_beat_leaves_the_last_one_unanswered() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    // A second beat from another port before the first is answered (within the reply wait).
    assert!(r.beat(40001, S / 10, UID).tags.is_empty());
    // The reply to the first takes the first beat only.
    assert!(r.reply(40000, S / 5, Reply::alive(UID)).tags.is_empty());
    // (The irregular cadence is noted too.)
    let next = r.beat(40002, 60 * S, UID);
    assert_eq!(next.tags.iter().filter(|t| **t == "heartbeat.no_reply").count(), 1, "{:?}", next.tags);
    assert!(next.messages.iter().any(|m| m.contains("beat in frame 2 got no reply")), "{:?}", next.messages);
    // Answered, the last beat is not reported at the next.
    r.reply(40002, 60 * S + S / 10, Reply::alive(UID));
    assert!(!r.beat(40003, 120 * S, UID).tags.contains(&"heartbeat.no_reply"));
}

#[test]
fn late_reply_is_noted() {
    let mut r = Run::new();
    r.beat(40000, 0, UID);
    let rep = r.reply(40000, 2 * S, Reply::alive(UID));
    assert_eq!(rep.tags, ["heartbeat.late_reply"]);
}

#[test]
fn unusual_intervals_name_missed_beats() {
    let mut r = Run::new();
    let mut t = 0;
    for (i, gap) in [0, 60, 60, 180, 95, 60].iter().enumerate() {
        t += gap * S;
        let port = 41000 + i as u16;
        let b = r.beat(port, t, UID);
        r.reply(port, t + 1, Reply::alive(UID));
        match i {
            3 => {
                assert_eq!(b.tags, ["heartbeat.interval_unusual"]);
                assert!(
                    b.messages[0].contains("2 beat(s) of this 60.000000000 s cadence missing"),
                    "{}",
                    b.messages[0]
                );
            }
            4 => {
                assert_eq!(b.tags, ["heartbeat.interval_unusual"]);
                assert!(
                    b.messages[0].contains("95.000000000 s since the previous beat (frame 7)"),
                    "{}",
                    b.messages[0]
                );
            }
            _ => assert!(b.tags.is_empty(), "beat {i}: {:?}", b.messages),
        }
    }
}

#[test]
fn decode_as_on_another_port_uses_direction() {
    let mut engine = Engine::new(vec![Box::new(Heartbeat::new())]);
    engine.add_decode_as(udpdissect_core::DecodeAs::parse("udp.port==4000,heartbeat").unwrap()).unwrap();
    let mut r = Run { engine, frame: 0 };
    let mut b = Vec::new();
    Request { uid: 5 }.emit(&mut b);
    assert_eq!(r.send("10.0.0.1:50000", "10.0.0.2:4000", 0, &b).info, "Beat UID=5");
    b.clear();
    Reply::alive(5).emit(&mut b);
    let rep = r.send("10.0.0.2:4000", "10.0.0.1:50000", 1, &b);
    assert_eq!((rep.info.as_str(), rep.tags.len()), ("Reply UID=5 (alive)", 0));
    // without the rule, port 4000 is just data
    let mut plain = Run::new();
    assert_eq!(plain.send("10.0.0.1:50000", "10.0.0.2:4000", 0, &b).protocol, "UDP");
}

#[test]
fn sessions_and_pending_beats_stay_bounded() {
    let mut r = Run::new();
    for i in 0..100_000u32 {
        let src = format!("10.{}.{}.{}:40000", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        let mut b = Vec::new();
        Request { uid: i as i64 }.emit(&mut b);
        r.send(&src, SERVER, i as i64, &b);
    }
    // 65 536 is the cap of each table; the end-of-capture report lists only what is kept.
    assert!(r.finish().len() <= 65_536);
}

#[test]
fn sessions_table_counts_beats_replies_misses_and_death() {
    use udpdissect_core::Cell;
    let mut r = Run::new();
    r.beat(40000, 0, UID); // 1
    r.reply(40000, S / 100, Reply::alive(UID)); // 2
    r.beat(40001, 60 * S, UID); // 3: never answered
    r.beat(40002, 120 * S, UID); // 4
    r.reply(40002, 120 * S + 1, Reply::dead()); // 5
    r.beat(40003, 180 * S, 99); // 6: new login
    r.reply(40003, 180 * S + 1, Reply::alive(99)); // 7
    r.finish();
    let tables = r.engine.tables();
    assert_eq!(tables.len(), 1);
    let t = &tables[0];
    assert_eq!(t.name, "heartbeat.sessions");
    assert_eq!(t.rows.len(), 2);
    let col = |name: &str| t.columns.iter().position(|c| *c == name).unwrap();
    let first = &t.rows[0];
    assert_eq!(first[col("uid")], Cell::Int(UID));
    assert_eq!(first[col("client")], Cell::Text("10.1.2.3".into()));
    assert_eq!(first[col("beats")], Cell::UInt(3));
    assert_eq!(first[col("replies")], Cell::UInt(2));
    assert_eq!(first[col("missed replies")], Cell::UInt(1));
    assert_eq!(first[col("death")], Cell::Frame(5));
    assert_eq!(first[col("first beat")], Cell::Frame(1));
    assert_eq!(first[col("last beat")], Cell::Frame(4));
    assert_eq!(first[col("cadence")], Cell::Duration(60 * S));
    let second = &t.rows[1];
    assert_eq!((second[col("session")].clone(), second[col("uid")].clone()), (Cell::UInt(2), Cell::Int(99)));
    assert_eq!(second[col("death")], Cell::Empty);
}

#[test]
fn message_types_are_named_for_statistics() {
    let mut r = Run::new();
    assert_eq!(r.beat(40000, 0, UID).d.message, "request");
    assert_eq!(r.reply(40000, 1, Reply::alive(UID)).d.message, "reply");
}

#[test]
fn sessions_are_kept_only_where_something_reads_them() {
    // (findings, info, columns) → the reply's UID and status, and the sessions kept.
    let run = |findings: bool, info: bool, keys: &[&str]| {
        let mut engine = Engine::new(vec![Box::new(Heartbeat::new())]);
        let fields = engine.protocols().next().unwrap().fields;
        let mut d = Dissection::new(true);
        d.set_wants_findings(findings);
        d.set_wants_info(info);
        d.set_interest(Some(fields.iter().copied().filter(|f| keys.contains(&f.key)).collect()));
        let (mut beat, mut reply) = (Vec::new(), Vec::new());
        Request { uid: UID }.emit(&mut beat);
        Reply::dead().emit(&mut reply);
        let (client, server) = ("10.1.2.3:40000".parse().unwrap(), SERVER.parse().unwrap());
        engine.dissect(&Packet::new(1, 0, client, server, &beat), &mut d);
        d.clear();
        engine.dissect(&Packet::new(2, S / 100, server, client, &reply), &mut d);
        let uid = d.values("heartbeat.uid").next().map(|f| f.value.clone());
        let status = d.values("heartbeat.status").next().map(|f| f.value.clone());
        (uid, status, d.experts().len(), engine.tables()[0].rows.len())
    };
    let dead = Some(Value::Enum { value: 1, name: Some("dead") });
    assert_eq!(run(true, false, &["heartbeat.uid"]), (Some(Value::Signed(-2)), None, 1, 1));
    // `-T fields -e heartbeat.uid`: read off the datagram, no session kept.
    assert_eq!(run(false, false, &["heartbeat.uid"]), (Some(Value::Signed(-2)), None, 0, 0));
    // The info column or a field of the sessions keeps them.
    assert_eq!(run(false, true, &["heartbeat.uid"]).3, 1);
    assert_eq!(run(false, false, &["heartbeat.status"]), (None, dead, 1, 1));
}

#[test]
fn a_session_names_what_the_capture_lost_between_its_beats() {
    // The client beats from a new port each time, so each beat and its reply are a conversation
    // of their own: only the session spans the time a lost beat or reply would have taken.
    let mut r = Run::new();
    let lost = |r: &mut Run, n: u64| {
        let next = r.frame + 1;
        r.engine.note_capture_loss(next, 0, n);
    };
    r.beat(40000, 0, UID); // 1
    r.reply(40000, 1, Reply::alive(UID)); // 2
    r.beat(40001, 60 * S, UID); // 3: its reply is not in the capture
    lost(&mut r, 1); // counted on frame 4, an unrelated datagram, before the next beat
    r.send("10.9.9.9:1", "10.9.9.8:2", 61 * S, b"x"); // 4
    let next = r.beat(40002, 180 * S, UID); // 5: a beat (at 120 s) missing too
    let tail = "; but the capture itself lost 1 packet since frame 3 (pcapng drop counts): it may be the missing one";
    assert_eq!(next.tags, ["heartbeat.no_reply", "heartbeat.interval_unusual"]);
    assert_eq!(next.messages[0], format!("the beat in frame 3 got no reply before this next beat{tail}"));
    assert_eq!(
        next.messages[1],
        format!(
            "120.000000000 s since the previous beat (frame 3): 1 beat(s) of this 60.000000000 s cadence missing{tail}"
        )
    );
    // A reply whose beat the capture lost, counted on the reply's own frame.
    r.reply(40002, 180 * S + 1, Reply::alive(UID)); // 6
    lost(&mut r, 2);
    let orphan = r.reply(40003, 240 * S, Reply::alive(UID)); // 7
    assert_eq!(orphan.tags, ["heartbeat.reply_without_request"]);
    assert!(
        orphan.messages[0].ends_with(
            "; but the capture itself lost 2 packets since frame 5 (pcapng drop counts): they may be the missing ones"
        ),
        "{}",
        orphan.messages[0]
    );
    // Nothing lost since the last beat: the findings stand as they are.
    r.beat(40004, 300 * S, UID); // 8
    r.reply(40004, 300 * S + 1, Reply::alive(UID)); // 9
    let quiet = r.beat(40005, 500 * S, UID); // 10: off the cadence, nothing lost since frame 8
    assert_eq!(quiet.tags, ["heartbeat.interval_unusual"]);
    assert!(!quiet.messages[0].contains("capture itself"), "{}", quiet.messages[0]);
    let stray = r.reply(40006, 501 * S, Reply::alive(UID)); // 11
    assert_eq!(stray.tags, ["heartbeat.reply_without_request"]);
    assert!(!stray.messages[0].contains("capture itself"), "{}", stray.messages[0]);
    // A last beat left unanswered, and a loss after it: the end of the capture counts it too.
    // (Frame 10's beat got no reply either, and nothing was lost since.)
    let last = r.beat(40007, 560 * S, UID); // 12
    assert_eq!(last.tags, ["heartbeat.no_reply"]);
    assert!(!last.messages[0].contains("capture itself"), "{}", last.messages[0]);
    lost(&mut r, 1);
    r.send("10.9.9.9:1", "10.9.9.8:2", 600 * S, b"x"); // 13
    assert_eq!(
        r.finish(),
        [format!(
            "heartbeat.no_reply the beat in frame 12 (10.1.2.3:40007 → {SERVER}) got no reply before the capture ended; \
             but the capture itself lost 1 packet since frame 12 (pcapng drop counts): it may be the missing one"
        )]
    );
}
