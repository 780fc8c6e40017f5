//! The fuzz targets' bodies, here so that a normal test replays the committed corpus through
//! exactly the code the fuzzers ran (`tests/fuzz_corpus.rs`). Each must never panic, loop
//! without end or grow memory without bound, whatever the bytes.

use crate::pipeline::{self, Depth, Options};
use crate::render::{
    EkSink, FieldOptions, FieldsSink, JsonSink, PdmlSink, ProtocolFilter, PsmlSink, SaveSink, Sink, TextSink,
    TimeFormat,
};
use crate::stats::{Selection, StatsFormat, StatsSink};
use std::io::{sink, Cursor};
use std::net::SocketAddr;
use std::sync::OnceLock;
use udpdissect_capture::{
    decode, CaptureWriter, Compression, Defragmenter, InterfaceStatistics, OutFormat, Reader, SectionHeader, Timestamp,
};
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_filter::{Catalog, Filter};

/// A fuzz target's body.
pub type Body = fn(&[u8]);

/// Target names and bodies, for the replay test.
pub const TARGETS: &[(&str, Body)] = &[
    ("reader", reader),
    ("pipeline", pipeline),
    ("split", split),
    ("filter", filter),
    ("datagrams", datagrams),
    ("overnet", overnet),
    ("overte", overte),
    ("eqstream", eqstream),
];

/// Arbitrary bytes as a capture file: the reader and the layer decode. The reader takes most
/// records in place from its input buffer and copies the rest; read a few bytes at a time, it
/// copies nearly all: both must give the same frames, the same end and the same interface
/// statistics. Every frame read is written out as pcapng (`-w`), with the statistics of the
/// interfaces written to, which must read back as the same packets and statistics.
pub fn reader(data: &[u8]) {
    let mut defrag = Defragmenter::default();
    // The section header's texts are written back too, and read back the same.
    let header = Reader::new(Box::new(Cursor::new(data.to_vec()))).map(|r| r.info().header.clone()).unwrap_or_default();
    let mut written =
        CaptureWriter::compressed(Vec::new(), OutFormat::Pcapng, "fuzz", &header, None).expect("writing to memory");
    let mut kept = Vec::new();
    let whole = read_frames(Box::new(Cursor::new(data.to_vec())), |frame| {
        let _ = decode(frame, &mut defrag);
        if written.write(frame).expect("writing to memory") {
            kept.push(Kept::of(frame));
        }
    });
    for (i, s) in whole.2.iter().enumerate() {
        if let Some(s) = s {
            written.statistics(i as u32, s).expect("writing to memory");
        }
    }
    written.finish().expect("writing to memory");
    let file = written.into_inner().expect("writing to memory");
    let header_back = Reader::new(Box::new(Cursor::new(file.clone()))).map(|r| r.info().header.clone());
    let application = Some(header.application.clone().unwrap_or_else(|| "fuzz".into()));
    assert_eq!(header_back.ok(), Some(SectionHeader { application, ..header }), "the section header written");
    let mut back = Vec::new();
    let (_, end, statistics_back) = read_frames(Box::new(Cursor::new(file)), |f| back.push(Kept::of(f)));
    assert!(end.is_none(), "the pcapng written does not read back: {end:?}");
    assert_eq!(back.len(), kept.len(), "frames written and read back");
    for (a, b) in kept.iter().zip(&back) {
        assert!(a.same(b), "written {a:?}, read back {b:?}");
    }
    // The interfaces written are numbered in the order their first frames were.
    let mut order: Vec<u32> = Vec::new();
    for k in &kept {
        if !order.contains(&k.interface) {
            order.push(k.interface);
        }
    }
    assert_eq!(statistics_back.len(), order.len(), "interfaces written");
    for (at, back) in order.iter().zip(&statistics_back) {
        let input = whole.2.get(*at as usize).copied().flatten();
        assert_eq!(input.map(Counts::of), back.map(Counts::of), "interface {at}'s statistics read back");
    }
    let dribbled = read_frames(Box::new(Dribble(data.to_vec(), 0)), |_| {});
    if Compression::from_magic(data).is_some() {
        // Decompressed on a thread of its own: the same frames and end for a sound stream, the
        // same frames before the damage of a damaged one (as read in pieces, below).
        let ahead = read_frames_with(Box::new(Cursor::new(data.to_vec())), true, |_| {});
        if whole.1.is_none() || ahead.1.is_none() {
            assert!(whole == ahead, "a compressed capture decompressed ahead differs");
        } else {
            assert!(whole.0.iter().zip(&ahead.0).all(|(a, b)| a == b), "decompressed ahead, the frames differ");
        }
        // A damaged compressed stream fails where the decompressor meets the damage, and how
        // far it decompresses ahead depends on how much it is asked for: the frames before
        // agree.
        assert!(
            whole.0.iter().zip(&dribbled.0).all(|(a, b)| a == b),
            "a compressed capture read in {DRIBBLE}-byte pieces differs"
        );
    } else {
        assert!(whole == dribbled, "the capture read in {DRIBBLE}-byte pieces differs");
    }
}

/// What an Interface Statistics Block written with `-w` keeps: its counters, and each time a
/// pcapng file holds exactly (after 1970, before 2106).
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    counters: [Option<u64>; 5],
    times: [Option<(i64, u32)>; 3],
}

impl Counts {
    fn of(s: InterfaceStatistics) -> Counts {
        let held = |t: Option<Timestamp>| t.filter(|t| (0..1 << 32).contains(&t.secs)).map(|t| (t.secs, t.nanos));
        Counts {
            counters: [s.received, s.dropped, s.accepted, s.os_dropped, s.delivered],
            times: [held(Some(s.time)), held(s.start), held(s.end)],
        }
    }
}

/// What a frame written with `-w` keeps.
#[derive(Debug)]
struct Kept {
    data: Vec<u8>,
    /// Its length on the wire (never less than what was captured).
    len: u32,
    link_type: u16,
    snaplen: u32,
    name: Option<String>,
    description: Option<String>,
    option_codes: Vec<(u16, usize)>,
    interface_options: Vec<u8>,
    /// Its capture-wide interface index.
    interface: u32,
    /// Its time, when it has one a pcapng file holds exactly (after 1970, before 2106).
    ts: Option<(i64, u32)>,
}

impl Kept {
    fn of(f: &udpdissect_capture::Frame) -> Kept {
        Kept {
            data: f.data.to_vec(),
            len: f.orig_len.max(f.data.len() as u32),
            link_type: f.link_type,
            snaplen: f.snaplen,
            name: f.interface_name.map(str::to_string),
            description: f.interface_description.map(str::to_string),
            option_codes: f.options.carried().map(|(code, v)| (code, v.len())).collect(),
            interface_options: f.interface_options.to_vec(),
            interface: f.interface,
            ts: (f.has_ts && (0..1 << 32).contains(&f.ts.secs)).then_some((f.ts.secs, f.ts.nanos)),
        }
    }

    /// The same packet, read back: a frame without a time may have got one (time 0).
    fn same(&self, back: &Kept) -> bool {
        let described = |k: &Kept| (k.snaplen, k.name.clone(), k.description.clone(), k.interface_options.clone());
        (&self.data, self.len, self.link_type, &self.option_codes)
            == (&back.data, back.len, back.link_type, &back.option_codes)
            && described(self) == described(back)
            && self.ts.is_none_or(|ts| back.ts == Some(ts))
    }
}

/// Every frame (its description and bytes, as `Debug` writes them), how reading ended or
/// failed to start, and the interfaces' statistics then (by capture-wide index).
type Frames = (Vec<String>, Option<String>, Vec<Option<InterfaceStatistics>>);

fn read_frames(input: Box<dyn std::io::Read + Send>, each: impl FnMut(&udpdissect_capture::Frame)) -> Frames {
    read_frames_with(input, false, each)
}

/// [`read_frames`], decompressing on a thread of its own when `ahead`.
fn read_frames_with(
    input: Box<dyn std::io::Read + Send>,
    ahead: bool,
    mut each: impl FnMut(&udpdissect_capture::Frame),
) -> Frames {
    let mut reader = match Reader::new(input) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(e.to_string()), Vec::new()),
    };
    if ahead {
        reader.decompress_ahead();
    }
    let mut frames = Vec::new();
    loop {
        match reader.next_frame() {
            Ok(Some(f)) => {
                each(&f);
                // What the reader happens to hold of the next record depends on how it reads.
                frames.push(format!("{:?}", udpdissect_capture::Frame { next_data: &[], ..f }));
            }
            Ok(None) => return (frames, None, statistics(&reader)),
            Err(e) => return (frames, Some(e.to_string()), statistics(&reader)),
        }
    }
}

/// Each interface's last statistics block, as the reader holds them where it stopped.
fn statistics(reader: &Reader) -> Vec<Option<InterfaceStatistics>> {
    reader.info().interfaces.iter().map(|i| i.statistics).collect()
}

/// Bytes per read of [`Dribble`].
const DRIBBLE: usize = 7;

/// An input that hands out a few bytes per read, so that records rarely sit whole in the
/// reader's buffer.
struct Dribble(Vec<u8>, usize);

impl std::io::Read for Dribble {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = DRIBBLE.min(buf.len()).min(self.0.len() - self.1);
        buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
        self.1 += n;
        Ok(n)
    }
}

/// Every table for [`pipeline`], those that take one with a filter of its own, some also with
/// another filter or none (endpoints summed from conversations with the same filter).
const FILTERED_TABLES: &[&str] = &[
    "summary",
    "conv,udp,udp.port != 53 && !icmp",
    "conv,udp",
    "endpoints,udp,overte || heartbeat || eqstream || overnet",
    "endpoints,udp,udp.port != 53 && !icmp",
    "conv,ip",
    "conv,ipv6,udp",
    "endpoints,ip,!icmp",
    "endpoints,ipv6",
    "conv,tcp",
    "endpoints,tcp,tcp.port != 443",
    "conv,eth,!udp",
    "endpoints,eth",
    "phs,frame.len > 60 || ip#2",
    "proto,!heartbeat",
    "io",
    "expert,note,udp",
    "expert,warn",
    "heartbeat",
    "overte",
    "eqstream",
    "overnet",
];

/// I/O columns for [`pipeline`]: filters, slices and functions of every protocol's fields.
const IO_COLUMNS: &str = "io,stat,0.5,udp.payload[0] == 0xe3,SUM(frame.len)heartbeat,MAX(udp.length),\
    AVG(heartbeat.time),MIN(eqstream.seq)eqstream.seq % 2 == 1,COUNT(overte.type)len(udp.payload) > 20,\
    COUNT(overnet.opcode)";

/// Arbitrary bytes as a capture through the whole pipeline, every renderer and every
/// statistics table.
pub fn pipeline(data: &[u8]) {
    let columns = ["frame.number", "heartbeat.uid", "overte.type", "eqstream.opcode", "overnet.opcode", "udp.payload"];
    let sinks: Vec<(bool, Box<dyn Sink>)> = vec![
        (false, Box::new(TextSink::new(sink(), false, true, true, false, TimeFormat::Relative))),
        (
            true,
            Box::new(TextSink::new(sink(), true, true, false, false, TimeFormat::Absolute { date: true, utc: true })),
        ),
        // -T tabs -t e: the summary's columns separated by tabs.
        (false, Box::new(TextSink::new(sink(), false, false, false, false, TimeFormat::Epoch).tabs(true))),
        (true, Box::new(JsonSink::new(sink(), true, false))),
        // -T ndjson -J: two protocols' subtrees, one nested in another's payload at times.
        (
            true,
            Box::new(
                JsonSink::new(sink(), false, false)
                    .filter(ProtocolFilter { names: vec!["udp".into(), "overte".into()], children: true }),
            ),
        ),
        // -T psml -t ud: the summary's columns in XML.
        (
            false,
            Box::new(
                PsmlSink::new(sink(), TimeFormat::Absolute { date: true, utc: true }, false)
                    .expect("writing to io::sink cannot fail"),
            ),
        ),
        // -T ek -x -P -j: every layer flattened with its bytes, the fields named alone.
        (
            true,
            Box::new(EkSink::new(sink(), false).hex(true).summary(Some(TimeFormat::Delta)).filter(ProtocolFilter {
                names: ["udp", "udp.port", "overte", "overte.type"].map(String::from).to_vec(),
                children: false,
            })),
        ),
        // -T pdml, then with -j: the whole tree in XML, named subtrees alone.
        (true, Box::new(PdmlSink::new(sink(), "fuzz.pcap", false).expect("writing to io::sink cannot fail"))),
        (
            true,
            Box::new(PdmlSink::new(sink(), "fuzz.pcap", false).expect("writing to io::sink cannot fail").filter(
                ProtocolFilter { names: ["ip", "overte", "_ws.expert"].map(String::from).to_vec(), children: false },
            )),
        ),
        // -T ek -J: whole protocols, an ICMP error's quoted headers nested in one.
        (
            true,
            Box::new(
                EkSink::new(sink(), false)
                    .filter(ProtocolFilter { names: vec!["icmp".into(), "eqstream".into()], children: true }),
            ),
        ),
        (
            true,
            Box::new(FieldsSink::ek(
                sink(),
                columns.iter().map(|c| c.to_string()).collect(),
                FieldOptions::default(),
                Some(TimeFormat::Relative),
                false,
            )),
        ),
        // -w to pcap (a second link type is an error) with -P -O: the tree of two protocols.
        (
            true,
            Box::new(
                SaveSink::new(
                    Box::new(sink()),
                    OutFormat::Pcap,
                    None,
                    &Default::default(),
                    Some(Box::new(
                        TextSink::new(sink(), true, false, false, false, TimeFormat::Relative)
                            .details_of(vec!["udp".into(), "overte".into()]),
                    )),
                    false,
                )
                .expect("writing to io::sink cannot fail"),
            ),
        ),
        (
            false,
            Box::new(
                SaveSink::new(
                    Box::new(sink()),
                    OutFormat::Pcapng,
                    Some(Compression::Zstd),
                    &Default::default(),
                    None,
                    true,
                )
                .expect("writing to io::sink cannot fail"),
            ),
        ),
        // -T ndjson -e, with the findings and the summary line's columns, the last occurrence
        // of each.
        (
            true,
            Box::new(FieldsSink::json(
                sink(),
                columns
                    .iter()
                    .chain(&[
                        "expert.tag",
                        "expert.group",
                        "_ws.expert.group",
                        "_ws.col.info",
                        "_ws.col.cls_time",
                        "_ws.col.def_src",
                        "_ws.col.Destination",
                    ])
                    .map(|c| c.to_string())
                    .collect(),
                FieldOptions { occurrence: 'l', ..FieldOptions::default() },
                false,
                false,
            )),
        ),
        (
            true,
            Box::new(
                FieldsSink::new(
                    sink(),
                    columns.iter().map(|c| c.to_string()).collect(),
                    FieldOptions::default(),
                    false,
                )
                .expect("writing no header to io::sink cannot fail"),
            ),
        ),
    ];
    // The field columns, last, keep the fields and read no findings as the command's do: their
    // run skips the checks, the layers' fields and the payloads no column reads.
    let last = sinks.len() - 1;
    for (i, (tree, mut out)) in sinks.into_iter().enumerate() {
        let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) else { return };
        let mut engine = Engine::new(crate::dissectors());
        let (opts, kept) = if i == last {
            let opts = Options { findings: false, info: false, ..Options::full(tree) };
            (opts, crate::kept::interest(&engine, false, None, columns, []))
        } else {
            (Options::full(tree), None)
        };
        let _ = pipeline::run_selected(&mut reader, &mut engine, out.as_mut(), &opts, None, kept);
    }
    // -w behind a filter that hides some frames (IP fragments among them): the frames after a
    // hidden fragment wait for its datagram.
    let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) else { return };
    let mut engine = Engine::new(crate::dissectors());
    let header = reader.info().header.clone();
    let mut saved = SaveSink::new(Box::new(sink()), OutFormat::Pcapng, Some(Compression::Lz4), &header, None, false)
        .expect("writing to io::sink");
    let keep = |_: &Dissection, frame: &[u8]| frame.len() % 3 != 0;
    let _ = pipeline::run_selected(
        &mut reader,
        &mut engine,
        &mut saved,
        &Options { info: false, depth: Depth::Layers, sources: false, ..Options::full(false) },
        Some(&keep),
        None,
    );
    // The records alone (-w of every frame, nothing decoded), as pcap: one link type.
    let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) else { return };
    let mut engine = Engine::new(crate::dissectors());
    let mut copied = SaveSink::new(Box::new(sink()), OutFormat::Pcap, Some(Compression::Gzip), &header, None, false)
        .expect("writing to io::sink");
    let _ = pipeline::run(
        &mut reader,
        &mut engine,
        &mut copied,
        &Options { info: false, depth: Depth::Records, sources: false, ..Options::full(false) },
    );
    // Lower-layer columns only: the protocols are skipped.
    let layer_columns = ["frame.number", "ip.src", "ipv6.dst", "udp.srcport", "ip.reassembled.length"];
    let mut lean =
        FieldsSink::new(sink(), layer_columns.iter().map(|c| c.to_string()).collect(), FieldOptions::default(), false)
            .expect("writing no header to io::sink cannot fail");
    let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) else { return };
    let mut engine = Engine::new(crate::dissectors());
    let _ =
        pipeline::run(&mut reader, &mut engine, &mut lean, &Options { depth: Depth::Layers, ..Options::full(true) });
    let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) else { return };
    let mut engine = Engine::new(crate::dissectors());
    // Every table, each with a filter of its own, and I/O columns over fields of every family
    // (the tree is built for them).
    let mut sel = Selection::none();
    for name in FILTERED_TABLES.iter().chain(&[IO_COLUMNS]).chain(FOLLOWS) {
        sel.add(name).expect("the tables parse");
    }
    let mut stats = StatsSink::new(sel, &crate::list::catalog(&engine)).expect("the columns compile");
    // Only the fields the columns read are built, as in the command.
    let keys = stats.keys();
    let interest = crate::list::known_fields(&engine).into_iter().filter(|f| keys.contains(&f.key)).collect();
    let _ = pipeline::run_selected(
        &mut reader,
        &mut engine,
        &mut stats,
        &Options { info: false, ..Options::full(true) },
        None,
        Some(interest),
    );
    for format in [StatsFormat::Text, StatsFormat::Json] {
        let _ = stats.report(reader.info(), || engine.tables(), format, &mut sink());
    }
}

/// Conversations followed in every mode, by index (read from `udp.stream`), with a range, and
/// by ends; EQStream sessions' application packets.
const FOLLOWS: &[&str] = &[
    "follow,udp,hex,0",
    "follow,udp,ascii,1,2-5",
    "follow,udp,ebcdic,2",
    "follow,udp,raw,0,1",
    "follow,udp,yaml,10.20.30.40:51234,192.0.2.90:9100",
    "follow,eqstream,hex,0",
    "follow,eqstream,yaml,1,2-9",
];

/// Arbitrary bytes as a capture, dissected on one thread and on two (Overte and EQStream on the
/// second, [`crate::split`]): the tree with hex dumps, the summary and the statistics must be
/// the same bytes, as must the run's result; the look that decides to split ([`crate::probe`])
/// must come to a share.
pub fn split(data: &[u8]) {
    // Which protocols go to the second thread, by the input's length.
    split_lending(data, SPLIT_SETS[data.len() % SPLIT_SETS.len()]);
}

/// The sets of protocols [`split`] lends: the two the command uses, and all four (every verdict
/// then comes from the rules, and Overnet's heuristic asks the other thread).
pub const SPLIT_SETS: &[&[&str]] =
    &[crate::split::LENT, crate::split::LENT_BESIDE_TABLES, &["overte", "eqstream", "overnet", "heartbeat"]];

/// [`split`] with the protocols in `names` lent.
pub fn split_lending(data: &[u8], names: &[&str]) {
    // The info column is composed for the text, and left unwritten for the statistics, as in
    // the commands.
    let run = |lend: bool, tree: bool, info: bool, out: &mut dyn Sink| {
        let mut reader = Reader::new(Box::new(Cursor::new(data.to_vec()))).ok()?;
        let mut engine = Engine::new(crate::dissectors());
        let lend = if lend { crate::split::lent_protocols(&engine, names) } else { 0 };
        let result = pipeline::run(
            &mut reader,
            &mut engine,
            out,
            // The derived buffers travel only to what prints them, as in the command.
            &Options { info, lend, sources: tree, ..Options::full(tree) },
        );
        let outcome = match result {
            Ok(frames) => format!("{frames} frames"),
            Err(pipeline::Stop::Damaged(e)) => e.to_string(),
            Err(pipeline::Stop::Output(e)) => e.to_string(),
        };
        Some((outcome, reader, engine))
    };
    let text = |lend: bool, tree: bool| {
        let mut bytes = Vec::new();
        let mut out = TextSink::new(&mut bytes, tree, tree, false, false, TimeFormat::Relative);
        let outcome = run(lend, tree, true, &mut out).map(|(o, ..)| o);
        drop(out);
        (outcome, bytes)
    };
    let stats = |lend: bool| {
        let mut out = StatsSink::new(Selection::all(), &Catalog::default()).expect("no I/O columns to compile");
        let (outcome, reader, engine) = run(lend, false, false, &mut out)?;
        let mut bytes = Vec::new();
        let _ = out.report(reader.info(), || engine.tables(), StatsFormat::Text, &mut bytes);
        Some((outcome, bytes))
    };
    // Field columns that read no findings: the checks and sessions they skip are skipped on
    // both threads alike.
    let columns = |lend: bool| {
        let mut reader = Reader::new(Box::new(Cursor::new(data.to_vec()))).ok()?;
        let mut engine = Engine::new(crate::dissectors());
        let lend = if lend { crate::split::lent_protocols(&engine, names) } else { 0 };
        let keys = ["frame.number", "overte.type", "eqstream.eq2.opcode", "heartbeat.uid", "overnet.peer.port"];
        // As the command keeps them: the frame number is read off the record, so no lower
        // layer's field is written, and no Overte payload that teaches nothing is decoded.
        let interest = crate::kept::interest(&engine, false, None, keys, []);
        let mut bytes = Vec::new();
        let columns = keys.iter().map(|k| k.to_string()).collect();
        let mut out = FieldsSink::new(&mut bytes, columns, FieldOptions::default(), false).expect("no header");
        let opts = Options { info: false, lend, findings: false, ..Options::full(true) };
        let outcome = pipeline::run_selected(&mut reader, &mut engine, &mut out, &opts, None, interest).is_ok();
        drop(out);
        Some((outcome, bytes))
    };
    for tree in [true, false] {
        assert!(text(false, tree) == text(true, tree), "{names:?}, tree {tree}");
    }
    // The look at the first frames that decides whether a run splits: a share of those read.
    if let Ok(mut reader) = Reader::new(Box::new(Cursor::new(data.to_vec()))) {
        let engine = Engine::new(crate::dissectors());
        let lend = crate::split::lent_protocols(&engine, names);
        let share = crate::probe::lent_share(&mut reader, engine, lend, crate::probe::FRAMES);
        assert!(share.is_none_or(|s| (0.0..=1.0).contains(&s)), "{names:?}, share {share:?}");
    }
    assert!(stats(false) == stats(true), "{names:?}, statistics");
    assert!(columns(false) == columns(true), "{names:?}, columns");
}

/// Dissections with the bytes their fields point into.
type FilterFrames = Vec<(Dissection, Vec<u8>)>;

/// A heartbeat beat and its reply, dissected once with the whole tree, for [`filter`].
fn filter_frames() -> &'static (Catalog, FilterFrames) {
    static F: OnceLock<(Catalog, FilterFrames)> = OnceLock::new();
    F.get_or_init(|| {
        let mut engine = Engine::new(crate::dissectors());
        let catalog = crate::list::catalog(&engine);
        let client: SocketAddr = ([10, 0, 0, 1], 40000).into();
        let server: SocketAddr = ([172, 16, 202, 201], 3335).into();
        let beat = 1_234_567_890_123i64.to_le_bytes();
        let mut reply = (-2i64).to_le_bytes().to_vec();
        reply.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        let mut out = Vec::new();
        for (i, (src, dst, payload)) in
            [(client, server, &beat[..]), (server, client, &reply[..])].into_iter().enumerate()
        {
            let mut d = Dissection::new(true);
            engine.dissect(&Packet::new(i as u64 + 1, i as i64, src, dst, payload), &mut d);
            // The datagram stands for the frame, so slices have bytes to take.
            out.push((d, payload.to_vec()));
        }
        (catalog, out)
    })
}

/// Arbitrary display-filter text: compiling never panics or recurses without bound, and a
/// compiled filter evaluates on real dissections. The same text as columns of `io,stat` and
/// as a table's filter.
pub fn filter(data: &[u8]) {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    let (catalog, dissections) = filter_frames();
    for table in [format!("io,stat,1,{expr}"), format!("conv,udp,{expr}")] {
        let mut sel = Selection::none();
        if sel.add(&table).is_ok() {
            let _ = StatsSink::new(sel, catalog);
        }
    }
    match Filter::compile(expr, catalog) {
        Ok(filter) => {
            for (d, bytes) in dissections {
                let _ = filter.matches(d, bytes);
            }
        }
        Err(e) => {
            let _ = e.render(expr);
        }
    }
}

/// Server ports for [`datagrams`]: every protocol's registered ports, and one no protocol
/// registers (heuristics decide there).
const PORTS: [u16; 8] = [3335, 40102, 48001, 7337, 9100, 9000, 4672, 23456];

/// Arbitrary datagram sequences through the engine with every dissector: the session state
/// machines (sequence tracking, reassembly, keys, pairing) across many datagrams. Each datagram
/// is 1 byte of flags (server port, direction, client, time step), 1 byte of length, then the
/// payload; the tree is built so every field path runs.
pub fn datagrams(data: &[u8]) {
    let mut engine = Engine::new(crate::dissectors());
    let mut out = Dissection::new(true);
    let (mut rest, mut time, mut frame) = (data, 0i64, 0u64);
    while let [flags, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        // 0, 0.5 s or 9 s: enough to cross every protocol's timers now and then.
        time += [0, 500_000_000, 0, 9_000_000_000][usize::from(flags >> 6)];
        let server: SocketAddr = ([203, 0, 113, 10], PORTS[usize::from(flags & 7)]).into();
        let client: SocketAddr = ([10, 0, 0, (flags >> 4) & 3], 40000).into();
        let (src, dst) = if flags & 8 != 0 { (server, client) } else { (client, server) };
        out.clear();
        engine.dissect(&Packet::new(frame, time, src, dst, payload), &mut out);
    }
    out.clear();
    engine.finish(&mut out);
}

/// Arbitrary datagram sequences between four Overnet nodes on random ports and the eDonkey
/// ports: recognition, decoding, pairing, search tracking and the tables. Each datagram is
/// 1 byte of flags (sender, receiver, magic hint), 1 byte of length, then the payload.
pub fn overnet(data: &[u8]) {
    const PORTS: [u16; 4] = [12970, 6982, 4665, 4672];
    const MAGICS: [u8; 4] = [0xe3, 0xe3, 0xe4, 0xe5];
    let mut engine = Engine::new(vec![Box::new(udpdissect_overnet::Overnet::new())]);
    let mut out = Dissection::new(true);
    let (mut rest, mut frame) = (data, 0u64);
    let mut payload = Vec::new();
    while let [flags, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (body, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        let node = |i: u8| SocketAddr::from(([10, 0, 0, i], PORTS[usize::from(i)]));
        let (src, dst) = (node(flags & 3), node((flags >> 2) & 3));
        payload.clear();
        if flags & 0x80 != 0 {
            payload.push(MAGICS[usize::from((flags >> 4) & 3)]);
        }
        payload.extend_from_slice(body);
        out.clear();
        engine.dissect(&Packet::new(frame, frame as i64 * 1_000_000, src, dst, &payload), &mut out);
    }
    let _ = engine.tables();
    out.clear();
    engine.finish(&mut out);
}

/// Arbitrary datagram sequences through the Overte dissector: headers, sequences, reassembly,
/// de-obfuscation, sessions and findings. The first 36 bytes seed what a DomainList would
/// teach (Local IDs, a secret, the authentication flag) so source-ID and HMAC checks are
/// reached; then each datagram is 1 byte of flags (peers, time step), 2 bytes of length
/// (little-endian), then the payload.
pub fn overte(data: &[u8]) {
    use udpdissect_overte::payload::{DomainListHeader, Learned, NodeRecord};
    const PEERS: [([u8; 4], u16); 4] =
        [([10, 0, 0, 1], 50000), ([10, 0, 0, 2], 40102), ([10, 0, 0, 2], 48001), ([10, 0, 0, 3], 51234)];
    let peer = |i: u8| SocketAddr::from(PEERS[usize::from(i & 3)]);
    let Some((seed, mut rest)) = data.split_first_chunk::<36>() else { return };
    let mut secret = [0u8; 16];
    secret.copy_from_slice(&seed[4..20]);
    let learned = Learned {
        domain_list: Some(DomainListHeader {
            session_uuid: [1; 16],
            domain_local_id: u16::from_le_bytes([seed[20], seed[21]]),
            your_uuid: [2; 16],
            your_local_id: u16::from_le_bytes([seed[0], seed[1]]),
            permissions: 0,
            authenticate: seed[22] & 1 != 0,
            new_connection: true,
        }),
        nodes: vec![NodeRecord {
            node_type: seed[23],
            uuid: [3; 16],
            public: Some(peer(2)),
            local: Some(peer(seed[24])),
            permissions: 0,
            local_id: u16::from_le_bytes([seed[2], seed[3]]),
            secret: Some(secret),
        }],
        owner_type: Some(seed[25]),
        ..Learned::default()
    };
    let mut dissector = udpdissect_overte::Overte::new();
    dissector.learn(0, 0, peer(1), peer(0), &learned);
    let mut engine = Engine::new(vec![Box::new(dissector)]);
    let mut out = Dissection::new(seed[26] & 1 == 0);
    let (mut time, mut frame) = (0i64, 0u64);
    while let [flags, lo, hi, tail @ ..] = rest {
        let n = usize::from(u16::from_le_bytes([*lo, *hi])).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        time += i64::from(flags >> 4) * 900_000_000;
        let (src, dst) = (peer(*flags), peer(flags >> 2));
        out.clear();
        engine.dissect(&Packet::new(frame, time, src, dst, payload), &mut out);
    }
    out.clear();
    engine.finish(&mut out);
}

/// EQStream sessions: a real handshake (EQ2 with key exchange, EQ1 with the compression or XOR
/// pass, or none: mid-stream) chosen by the first byte, then arbitrary datagrams in both
/// directions. Decoding must never panic, loop or grow without bound.
pub fn eqstream(data: &[u8]) {
    use udpdissect_eqstream::encode::{Encoder, CLIENT, SERVER};
    use udpdissect_eqstream::EqStream;

    let Some((&mode, mut rest)) = data.split_first() else { return };
    let mut engine = Engine::new(vec![Box::new(EqStream::new())]);
    let client = SocketAddr::from(([10, 0, 0, 1], 50000));
    let server = SocketAddr::from(([10, 0, 0, 2], if mode & 1 == 0 { 9100 } else { 9000 }));
    let mut frame = 0u64;
    let mut send = |engine: &mut Engine, from: usize, payload: &[u8], tree: bool| {
        frame += 1;
        let (src, dst) = if from == CLIENT { (client, server) } else { (server, client) };
        let mut d = Dissection::new(tree);
        engine.dissect(&Packet::new(frame, frame as i64 * 1_000_000, src, dst, payload), &mut d);
    };
    let passes = match (mode >> 1) & 3 {
        1 => [1, 0],
        2 => [4, 0],
        _ => [0, 0],
    };
    let mut e = Encoder::new(0x0a0b_0c0d, 0x3362_4702, 2, passes, 512);
    if mode & 8 == 0 {
        send(&mut engine, CLIENT, &e.session_request(0, &[]), false);
        send(&mut engine, SERVER, &e.session_response(true), false);
        if mode & 1 == 0 {
            let kg = e.keygen();
            let p = e.packet(SERVER, &kg).1;
            send(&mut engine, SERVER, &p, false);
            let reply = e.key_reply(0x0123_4567_89ab_cdef, 60);
            let p = e.packet(CLIENT, &reply).1;
            send(&mut engine, CLIENT, &p, false);
        }
    }
    // Each datagram: a header byte (bit 7: from the server, bit 6: build the tree, bit 5: wrap
    // as a sealed OP_Packet) and a length byte.
    while let [h, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        let from = if h & 0x80 != 0 { SERVER } else { CLIENT };
        if h & 0x20 != 0 {
            let p = e.packet(from, payload).1;
            send(&mut engine, from, &p, h & 0x40 != 0);
        } else {
            send(&mut engine, from, payload, h & 0x40 != 0);
        }
    }
    let mut d = Dissection::new(true);
    engine.finish(&mut d);
}
