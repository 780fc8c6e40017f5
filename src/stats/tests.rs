//! Unit tests over synthetic frames: limits, ordering, interval widening.

use super::*;
use std::net::Ipv4Addr;
use udpdissect_capture::{
    Decoded, Format, Frame, Interface, Ipv4Info, Link, Net, Timestamp, Transport, Udp, UdpPayload,
};

const T0: i64 = 1_772_438_400_000_000_000;

fn info() -> CaptureInfo {
    CaptureInfo {
        format: Format::Pcap { nanos: false, big_endian: false, major: 2, minor: 4 },
        compression: None,
        interfaces: vec![Interface {
            link_type: 101,
            snaplen: 65535,
            ts_digits: 6,
            name: None,
            description: None,
            section: 1,
            id: 0,
            options: Vec::new(),
            statistics: None,
        }],
        sections: 1,
        header: Default::default(),
    }
}

/// Feeds one raw-IP UDP frame `src:sport → dst:dport` at `rel_ns` after T0.
fn feed(sink: &mut StatsSink, number: u64, rel_ns: i64, src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16) {
    feed_as(sink, number, rel_ns, (src, sport, dst, dport), "UDP", false);
}

/// Like [`feed`], with the protocol column and, with `cut`, an IPv4 header cut short.
fn feed_as(
    sink: &mut StatsSink,
    number: u64,
    rel_ns: i64,
    (src, sport, dst, dport): ([u8; 4], u16, [u8; 4], u16),
    protocol: &'static str,
    cut: bool,
) {
    let data = [0u8; 40];
    let abs = T0 + rel_ns;
    let ts = Timestamp { secs: abs / 1_000_000_000, nanos: (abs % 1_000_000_000) as u32 };
    let frame = Frame { ts_digits: 9, ts_resol: 9, ..Frame::captured(number, ts, &data, 101) };
    let ip = Ipv4Info {
        offset: 0,
        header_len: 20,
        dsfield: 0,
        reserved_flag: false,
        total_len: 40,
        id: 0,
        ttl: 64,
        protocol: 17,
        dont_fragment: false,
        more_fragments: false,
        frag_offset: 0,
        checksum: 0,
        src: Ipv4Addr::from(src),
        dst: Ipv4Addr::from(dst),
    };
    let udp = Udp {
        header_offset: 20,
        src_port: sport,
        dst_port: dport,
        length: 20,
        checksum: 0,
        payload: UdpPayload::Wire { offset: 28, bytes: &data[28..] },
        truncated: false,
    };
    let decoded = Decoded {
        link: Link::Raw,
        vlans: [None; 2],
        net: if cut { Net::Cut { offset: 0, version: 4 } } else { Net::Ipv4(ip) },
        transport: if cut { Transport::None } else { Transport::Udp(udp) },
        reassembled: None,
        fragment_len: None,
        truncated: false,
    };
    let mut out = Dissection::new(false);
    out.protocol = protocol;
    // The protocol whose column this is, as the engine sets both.
    let mut infos = crate::PROTOCOLS.iter().copied().chain([&udpdissect_core::DATA]);
    out.protocol_name = infos.find(|p| p.shown().any(|c| c == protocol)).map_or("", |p| p.name);
    let view =
        FrameView { frame: &frame, decoded: &decoded, out: &out, abs_ns: abs, rel_ns, delta_ns: 0, delta_shown_ns: 0 };
    sink.frame(&view).unwrap();
}

fn report_json(sink: &StatsSink) -> serde_json::Value {
    let mut out = Vec::new();
    sink.report(&info(), Vec::new, StatsFormat::Json, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn table<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn selection(names: &[&str]) -> Selection {
    let mut s = Selection::none();
    for n in names {
        s.add(n).unwrap();
    }
    s
}

#[test]
fn conversation_and_endpoint_limits_count_the_rest() {
    let mut sink =
        StatsSink::with_limit(selection(&["conv,udp", "endpoints,udp"]), &udpdissect_filter::Catalog::default(), 3)
            .unwrap();
    for i in 0..10u16 {
        feed(&mut sink, u64::from(i) + 1, i64::from(i), [10, 0, 0, 1], 1000 + i, [10, 0, 0, 2], 53);
    }
    // A frame of a conversation already kept still counts.
    feed(&mut sink, 11, 20, [10, 0, 0, 2], 53, [10, 0, 0, 1], 1000);
    let doc = report_json(&sink);
    let conv = table(&doc, "conv,udp");
    assert_eq!(conv["rows"].as_array().unwrap().len(), 3);
    assert_eq!(conv["omitted"], 7);
    assert!(conv["notes"][0].as_str().unwrap().contains("limit of 3 conversations reached: 7 frames"));
    // The answered conversation first (2 frames), then by start.
    assert_eq!(conv["rows"][0][0], "10.0.0.1:1000");
    assert_eq!(conv["rows"][0][6], 2);
    assert_eq!(conv["rows"][0][4], 1, "one frame B→A");
    assert_eq!(conv["rows"][0][9], "0.000000020");
    assert_eq!(conv["rows"][1][0], "10.0.0.1:1001");

    let eps = table(&doc, "endpoints,udp");
    // 10.0.0.2:53 and the first two clients.
    assert_eq!(eps["rows"].as_array().unwrap().len(), 3);
    assert_eq!(eps["rows"][0][0], "10.0.0.2:53");
    assert_eq!(eps["rows"][0][1], 11);
    assert_eq!(eps["omitted"], 8);
}

/// Conversations with as many frames go by start: in the map's order while the clock runs
/// forward, and when it went back (a merged capture) by start still, then by first frame.
#[test]
fn conversations_with_as_many_frames_go_by_start_even_when_the_clock_went_back() {
    let order = |starts: &[i64]| {
        let mut sink = StatsSink::new(selection(&["conv,udp"]), &udpdissect_filter::Catalog::default()).unwrap();
        for (i, &start) in starts.iter().enumerate() {
            let port = 1000 + i as u16;
            feed(&mut sink, 2 * i as u64 + 1, start, [10, 0, 0, 1], port, [10, 0, 0, 2], 53);
            // Two frames for the third conversation.
            if i == 2 {
                feed(&mut sink, 2 * i as u64 + 2, start + 1, [10, 0, 0, 2], 53, [10, 0, 0, 1], port);
            }
        }
        let doc = report_json(&sink);
        let rows = table(&doc, "conv,udp")["rows"].as_array().unwrap().clone();
        rows.iter().map(|r| r[0].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let ports = |p: &[u16]| p.iter().map(|p| format!("10.0.0.1:{p}")).collect::<Vec<_>>();
    assert_eq!(order(&[10, 20, 30, 30, 40]), ports(&[1002, 1000, 1001, 1003, 1004]));
    assert_eq!(order(&[40, 20, 30, 10, 20]), ports(&[1002, 1003, 1001, 1004, 1000]));
}

/// Numbers below `n` from a fixed sequence (a linear congruential generator seeded with
/// `seed`): the same inputs on every run.
pub(super) fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    }
}

/// The endpoints are summed from the conversations, and counted frame by frame once the
/// conversations fill up: the same table as counting every frame, whatever the limits.
#[test]
fn endpoints_summed_from_conversations_equal_counting_each_frame() {
    let mut next = numbers(7);
    let frames: Vec<([u8; 4], u16, [u8; 4], u16)> = (0..400)
        .map(|_| {
            let end = |host: u64, port: u64| ([10, 0, 0, host as u8], 1000 + port as u16);
            let ((a, pa), (b, pb)) = (end(next(6), next(4)), end(next(6), next(4)));
            (a, pa, b, pb)
        })
        .collect();
    for (limit, tables) in [1, 2, 3, 5, 8, 13, 21, 40, 1000]
        .into_iter()
        .flat_map(|l| [(l, &["endpoints,udp"][..]), (l, &["conv,udp", "endpoints,udp"][..])])
    {
        // Counting each frame, endpoints taken in the order frames name them while there is room.
        let mut order: Vec<(std::net::SocketAddr, [u64; 2])> = Vec::new();
        let mut omitted = 0;
        for &(a, pa, b, pb) in &frames {
            let mut whole = true;
            for (addr, dir) in [((a, pa), 0), ((b, pb), 1)] {
                let addr = std::net::SocketAddr::from(addr);
                match order.iter().position(|(x, _)| *x == addr) {
                    Some(k) => order[k].1[dir] += 1,
                    None if order.len() < limit => order.push((addr, if dir == 0 { [1, 0] } else { [0, 1] })),
                    None => whole = false,
                }
            }
            omitted += u64::from(!whole);
        }
        order.sort_by_key(|&(addr, n)| (std::cmp::Reverse(n[0] + n[1]), addr));

        let mut sink = StatsSink::with_limit(selection(tables), &udpdissect_filter::Catalog::default(), limit).unwrap();
        for (i, &(a, pa, b, pb)) in frames.iter().enumerate() {
            feed(&mut sink, i as u64 + 1, i as i64, a, pa, b, pb);
        }
        let doc = report_json(&sink);
        let eps = table(&doc, "endpoints,udp");
        let rows: Vec<(String, u64, u64)> = eps["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_str().unwrap().to_string(), r[3].as_u64().unwrap(), r[5].as_u64().unwrap()))
            .collect();
        let expected: Vec<(String, u64, u64)> = order.iter().map(|(a, n)| (a.to_string(), n[0], n[1])).collect();
        assert_eq!(rows, expected, "limit {limit}, {tables:?}");
        assert_eq!(eps["omitted"], omitted, "limit {limit}, {tables:?}");
        assert_eq!(eps["rows"][0][2], 40 * (expected[0].1 + expected[0].2), "bytes, limit {limit}, {tables:?}");
    }
}

#[test]
fn fixed_intervals_list_empty_ones_and_stop_at_the_limit() {
    let mut sink = StatsSink::new(selection(&["io,0.5"]), &udpdissect_filter::Catalog::default()).unwrap();
    feed(&mut sink, 1, 0, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    feed(&mut sink, 2, 1_600_000_000, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    // Far past 100 000 intervals of 0.5 s.
    feed(&mut sink, 3, 1_000_000 * 1_000_000_000, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    let doc = report_json(&sink);
    let io = table(&doc, "io,0.5");
    let rows = io["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][2], 0);
    assert_eq!(rows[3][0], "1.500000000");
    assert_eq!(rows[3][1], "2.000000000");
    assert_eq!(rows[3][2], 1);
    assert_eq!(io["omitted"], 1);
}

/// With columns the bound on intervals shrinks as they add to each one's memory.
#[test]
fn io_columns_share_the_bound_on_intervals() {
    let catalog = udpdissect_filter::Catalog::default();
    let mut sink = StatsSink::new(selection(&["io,stat,1,udp.payload,expert"]), &catalog).unwrap();
    feed(&mut sink, 1, 0, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    // Interval 33 333 is the first past 100 000 / 3.
    feed(&mut sink, 2, 33_332 * 1_000_000_000, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    feed(&mut sink, 3, 33_333 * 1_000_000_000, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    let doc = report_json(&sink);
    let io = table(&doc, "io,1,udp.payload,expert");
    assert_eq!(io["rows"].as_array().unwrap().len(), 33_333);
    assert_eq!(io["omitted"], 1);
    assert_eq!(io["notes"][0], "limit of 33333 intervals reached: 1 later frames not counted");
}

#[test]
fn automatic_interval_widens_and_keeps_totals() {
    let mut sink = StatsSink::new(Selection::all(), &udpdissect_filter::Catalog::default()).unwrap();
    let mut n = 0;
    // One frame every 7 s for about 2 hours: 1 s intervals would be 7 200 rows.
    for k in 0..1_000 {
        n += 1;
        feed(&mut sink, n, k * 7_000_000_000, [10, 0, 0, 1], 1, [10, 0, 0, 2], 2);
    }
    let doc = report_json(&sink);
    let io = table(&doc, "io");
    let rows = io["rows"].as_array().unwrap();
    assert!(rows.len() <= AUTO_ROWS, "{}", rows.len());
    assert_eq!(io["title"], "I/O statistics, 600 s intervals (chosen automatically)");
    assert_eq!(rows.iter().map(|r| r[2].as_u64().unwrap()).sum::<u64>(), 1_000);
    assert_eq!(rows.len(), (999 * 7) / 600 + 1);
}

#[test]
fn empty_capture_renders() {
    let sink = StatsSink::new(Selection::all(), &udpdissect_filter::Catalog::default()).unwrap();
    let mut out = Vec::new();
    sink.report(&info(), Vec::new, StatsFormat::Text, &mut out).unwrap();
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains("== Capture file summary =="), "{s}");
    assert!(s.contains("== UDP conversations =="), "{s}");
    let doc = report_json(&sink);
    assert_eq!(
        table(&doc, "summary")["rows"].as_array().unwrap().iter().find(|r| r[0] == "duration").unwrap()[1],
        serde_json::Value::Null
    );
}

#[test]
fn protocol_tables_by_name_or_prefix() {
    let mut t = Table::new("heartbeat.sessions", "SRUN heartbeat sessions", vec!["session", "since", "cadence"]);
    t.rows.push(vec![
        udpdissect_core::Cell::UInt(1),
        udpdissect_core::Cell::Time(T0),
        udpdissect_core::Cell::Duration(60_000_000_000),
    ]);
    t.omitted = 2;
    for sel in [selection(&["heartbeat"]), selection(&["heartbeat.sessions"]), Selection::all()] {
        let sink = StatsSink::new(sel, &udpdissect_filter::Catalog::default()).unwrap();
        let mut out = Vec::new();
        sink.report(&info(), || vec![t.clone()], StatsFormat::Text, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("2026-03-02 08:00:00.000000000 UTC"), "{s}");
        assert!(s.contains("60.000000000"), "{s}");
        assert!(s.contains("2 rows omitted"), "{s}");
    }
    let sink = StatsSink::new(selection(&["expert"]), &udpdissect_filter::Catalog::default()).unwrap();
    let mut out = Vec::new();
    sink.report(&info(), || vec![t.clone()], StatsFormat::Json, &mut out).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["tables"].as_array().unwrap().len(), 1, "only the expert table");
}

#[test]
fn the_hierarchy_and_message_types_count_each_shape_of_frame() {
    let mut sink = StatsSink::new(selection(&["phs", "proto"]), &udpdissect_filter::Catalog::default()).unwrap();
    let ends = ([10, 0, 0, 1], 1000, [10, 0, 0, 2], 2000);
    // Interleaved shapes, one of them twice in a row; a cut header and a whole one are both
    // "ip", and each protocol's row is its filter name: the data column ("UDP") is "data".
    for (i, (protocol, cut)) in
        [("SRUN", false), ("SRUN", false), ("UDP", false), ("", true), ("SRUN", false), ("Overte", false), ("", true)]
            .into_iter()
            .enumerate()
    {
        feed_as(&mut sink, i as u64 + 1, i as i64, ends, protocol, cut);
    }
    let doc = report_json(&sink);
    let rows: Vec<(String, u64, u64)> = table(&doc, "phs")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_u64().unwrap(), r[3].as_u64().unwrap()))
        .collect();
    let expect = [
        ("frame", 7),
        ("frame:raw", 7),
        ("frame:raw:ip", 7),
        ("frame:raw:ip:udp", 5),
        ("frame:raw:ip:udp:heartbeat", 3),
        ("frame:raw:ip:udp:data", 1),
        ("frame:raw:ip:udp:overte", 1),
    ];
    // Every frame is 40 bytes long.
    assert_eq!(rows, expect.map(|(p, n)| (p.to_string(), n, n * 40)));
    // Message types in name order, whatever order they came in.
    let proto: Vec<(&str, u64)> = table(&doc, "proto")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap(), r[2].as_u64().unwrap()))
        .collect();
    assert_eq!(proto, [("-", 2), ("Overte", 1), ("SRUN", 3), ("UDP", 1)]);
}

/// Names are counted by where they are; the same text from two places is still one row.
#[test]
fn one_name_from_two_places_is_one_row() {
    let copy: &'static str = Box::leak(String::from("Overnet").into_boxed_str());
    let mut sink = StatsSink::new(selection(&["phs", "proto"]), &udpdissect_filter::Catalog::default()).unwrap();
    for (n, protocol) in [(1, "Overnet"), (2, copy), (3, "Overnet")] {
        feed_as(&mut sink, n, n as i64, ([10, 0, 0, 1], 1, [10, 0, 0, 2], 2), protocol, false);
    }
    let doc = report_json(&sink);
    let proto = table(&doc, "proto");
    assert_eq!(proto["rows"], serde_json::json!([["Overnet", "-", 3, 120]]));
    let phs = table(&doc, "phs");
    // The eDonkey family's column names its branches, a row below the protocol's.
    let overnet: Vec<_> =
        phs["rows"].as_array().unwrap().iter().filter(|r| r[0] == "frame:raw:ip:udp:overnet:Overnet").collect();
    assert_eq!(overnet.len(), 1, "{phs}");
    assert_eq!(overnet[0][1], 3);
}

/// The conversation and endpoint tables measure their numeric columns from the extremes
/// rather than cell by cell: the widths equal those of every cell measured, wherever the
/// widest cell of each column is (a negative start, the longest duration, the most bytes in
/// one direction only, the longest address and protocol name).
#[test]
fn columns_measured_from_extremes_equal_every_cell_measured() {
    let mut sink =
        StatsSink::new(selection(&["conv,udp", "endpoints,udp"]), &udpdissect_filter::Catalog::default()).unwrap();
    let (a, b, c) = ([10, 0, 0, 1], [192, 168, 100, 200], [1, 2, 3, 4]);
    feed_as(&mut sink, 1, 0, (a, 5, c, 53), "UDP", false);
    // The earliest start (before the first frame) and the most frames one way.
    for n in 2..120 {
        feed_as(&mut sink, n, -12_500_000_000, (b, 65535, c, 9), "EQStream", false);
    }
    // The most bytes the other way, then the longest duration at a short start.
    for n in 120..130 {
        feed_as(&mut sink, n, 3_000_000_000 + n as i64, (c, 7, a, 6), "SRUN heartbeat", false);
    }
    feed_as(&mut sink, 130, 1_000_000_000_000, (a, 6, c, 7), "SRUN heartbeat", false);
    for (t, sort) in [
        (sink.convs[0].table.table(), "conv"),
        (sink.endpoints[0].0.table.table(Some(&sink.convs[0].table)), "endpoints"),
    ] {
        let mut each = render::Widths::new(t.columns.len());
        for i in 0..t.rows.len() {
            t.rows.with(i, |cells| each.add(cells));
        }
        let each: Vec<usize> = each.into();
        assert!(each.iter().all(|&w| w > 0), "{sort}: {each:?}");
        assert_eq!(t.widths.as_deref(), Some(&each[..]), "{sort}");
    }
}

#[test]
fn tables_that_read_findings_or_what_checks_concluded() {
    let catalog = udpdissect_filter::Catalog::default();
    let reads = |names: &[&str]| StatsSink::new(selection(names), &catalog).unwrap().reads_findings();
    for names in [&["expert"][..], &["expert,warn"], &["io,1"], &["overte.nodes"], &["overte"], &["conv,udp,expert"]] {
        assert!(reads(names), "{names:?}");
    }
    assert!(StatsSink::new(Selection::all(), &catalog).unwrap().reads_findings());
    for names in
        [&["conv,udp"][..], &["endpoints,udp", "phs", "proto"], &["summary"], &["conv,udp,_ws.col.info contains x"]]
    {
        assert!(!reads(names), "{names:?}");
    }
}

#[test]
fn only_tables_looked_up_by_udp_ends_ask_for_the_next_frame() {
    let looks = |tables: &[&str]| {
        use crate::render::Sink;
        StatsSink::new(selection(tables), &udpdissect_filter::Catalog::default()).unwrap().looks_ahead()
    };
    assert!(looks(&["conv,udp"]));
    // Counted frame by frame: nothing to sum them from.
    assert!(looks(&["endpoints,udp"]));
    assert!(looks(&["endpoints,udp", "conv,eth"]));
    assert!(!looks(&["endpoints,eth", "conv,ip"]));
    assert!(!looks(&["phs", "io,1"]));
}
