//! Command-line options, spelled as tshark spells them where they overlap.
// The options' doc comments are their --help text, where brackets are literal (`frame[42]`).
#![allow(rustdoc::broken_intra_doc_links)]

use clap::{ArgAction, Args as ClapArgs, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use udpdissect_capture::{Compression, OutFormat};
use udpdissect_core::Severity;

const AFTER_HELP: &str = "\
EXAMPLES:
    udpdissect captures/overte-buggy-client.pcapng  one summary line per frame
    udpdissect -V -c 9 captures/overte-buggy-client.pcapng   field tree: each finding explained
    udpdissect -V -x -c 4 captures/heartbeat.pcap   field tree and hex dump of the first 4 frames
    udpdissect -T ndjson capture.pcapng             one JSON object per frame
    udpdissect -T ek capture.pcapng | curl -s -H 'Content-Type: application/x-ndjson' \\
        --data-binary @- localhost:9200/_bulk      into Elasticsearch, as tshark -T ek
    udpdissect -T pdml capture.pcap > tree.xml      the whole tree in tshark's XML, for pyshark
    udpdissect -T fields -e frame.number -e heartbeat.uid -E header=y capture.pcap
    udpdissect -d udp.port==4000,heartbeat capture.pcap   decode port 4000 as the heartbeat
    udpdissect --keylog eq2.keys eq2.pcap           EQ2 RC4 keys the capture does not show
    udpdissect -Y 'heartbeat.uid == -2 || expert.severity >= \"warn\"' capture.pcap
    udpdissect stats capture.pcap                   every statistics table
    udpdissect --strict capture.pcap                exit 1 if any finding is an error
    udpdissect regress captures                     compare every capture with its .expected file
    udpdissect diff mine.pcap official.pcap         field-level diff against the official client
    udpdissect -q -z conv,udp capture.pcap          tshark-style: one table, no packet list
    udpdissect -Y 'eqstream' -w eq.pcapng big.pcap  keep only the EQStream frames, as a capture
    tcpdump -i eth0 -w - udp | udpdissect -r - -l  live, one line per packet as it arrives

INPUT:
    pcap (micro- or nanosecond, either byte order) and pcapng (several sections and
    interfaces), optionally compressed with gzip, zstd or lz4 (found by their magic, whatever
    the file is called); '-' reads standard input. Link types: Ethernet (802.1Q, QinQ), Linux
    SLL and SLL2, raw IP, BSD/OpenBSD loopback. IPv4 and IPv6 fragments are reassembled.
    Frame numbers count every record, as Wireshark does.

EXIT STATUS:
    0  the capture was read to its end
    1  with --strict[=SEVERITY]: a frame shown (or the end of the capture) had a finding of
       that severity or worse (default error); everything has been printed
    2  unusable input or usage: the error names the file, the frame and the byte offset;
       every frame before the damage has been printed (this wins over --strict)

PROGRESS:
    When a run lasts over a second, its output goes to a file or pipe and stderr is a
    terminal, stderr shows how much of the capture has been read; it is erased at the end,
    never written into pipes, and off with -q.

PROTOCOLS:
    overte     Overte / High Fidelity / Vircadia: UDT, NLPacket, ICE, sessions with HMACs
               (UDP 40102, 7337, 48000-48006, and by content)
    eqstream   EverQuest / EverQuest II session protocol: CRC, zlib, XOR, RC4, reassembly
               (the EQ login, world and zone ports, and by content)
    overnet    Overnet and the eDonkey family (UDP 4665, 4672, and by content)
    heartbeat  SRUN 3000 UID heartbeat (UDP 3335)
    --list-protocols shows ports, preferences and finding tags; --list-fields PROTO the keys.

ENVIRONMENT:
    NO_COLOR            when set (and not empty), --color=auto never colours
    UDPDISSECT_THREADS  1 keeps a run on one thread; 2 renders the summary and -T fields of a
                        file on a second thread instead of dissecting there; split dissects
                        there whatever the capture holds. By default a second core dissects
                        the costliest protocols (Overte, EQStream) beside the reading and
                        dispatch: for the statistics, and for the summary, -T fields and -q when
                        a look at the capture's first frames finds enough of their traffic; it
                        renders -V, -x and JSON, writes the statistics' tables, and runs regress
                        and diff. The output is the same (docs/performance.md says when each
                        pays)";

/// Dissects the UDP protocols of home-made clients (Overte, EQStream, Overnet, the SRUN
/// heartbeat) from pcap/pcapng captures, the way the real peers parse them, and explains what
/// goes wrong.
#[derive(Debug, Parser)]
#[command(
    name = "udpdissect",
    version,
    disable_version_flag = true,
    after_long_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Print the field tree of every frame (with byte offsets and findings).
    #[arg(short = 'V', long = "verbose")]
    pub tree: bool,

    /// Print the field tree as -V does, with the details of these protocols only (comma-separated,
    /// e.g. -O eqstream,udp): every other protocol gets its one line, as tshark's -O. Findings
    /// are all shown.
    #[arg(short = 'O', value_name = "PROTOCOLS", value_delimiter = ',')]
    pub details: Vec<String>,

    /// With -T json, ndjson, ek or pdml: only these protocols' subtrees in each record's fields
    /// (comma- or space-separated, e.g. -J overte or -J "ip udp"), each with all its children,
    /// as tshark's -J. The other members (info, findings, sources) stay; in -T ek documents the
    /// other protocols are {"filtered": "KEY"}, in PDML <field name="filtered" …/>, as tshark
    /// writes them.
    #[arg(short = 'J', value_name = "PROTOCOLS", action = ArgAction::Append)]
    pub json_protocols: Vec<String>,

    /// With -T json, ndjson, ek or pdml: as -J, but each field below a protocol named must be
    /// named too, and only a named field's subtree is kept (-j "ip ip.src udp udp.srcport"), as
    /// tshark's -j. In -T ek documents what is not named stays as {"filtered": "KEY"}; PDML
    /// writes a named protocol's fields and leaves out the subtrees not named, as tshark's.
    #[arg(short = 'j', value_name = "NAMES", action = ArgAction::Append)]
    pub json_names: Vec<String>,

    /// Print a hex dump of every frame and of each derived buffer (reassembled, decrypted,
    /// inflated). With -T json or ndjson each record holds the frame's bytes (raw), with -T ek
    /// each field's (NAME_raw); -T fields, psml and pdml refuse it, as tshark does.
    #[arg(short = 'x', long = "hex")]
    pub hex: bool,

    /// Stop after reading N frames.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,

    /// Flush standard output (and the -w capture) after each frame, for live captures through
    /// a pipe.
    #[arg(short = 'l')]
    pub line_buffered: bool,

    /// Time column: r relative to the first frame, a absolute local time, ad absolute local date
    /// and time, u / ud the same in UTC, e seconds since the epoch, d delta from the previous
    /// frame (dd: from the previous displayed frame, the same while nothing is filtered out).
    #[arg(short = 't', value_name = "FORMAT", default_value = "r", value_parser = ["r", "a", "ad", "u", "ud", "e", "d", "dd"])]
    pub time_format: String,

    /// Output format: text (summary or tree), tabs (as text, the summary line's columns separated
    /// by tabs, the arrow a column of its own, as tshark's), json (one array), ndjson (one object
    /// per line), fields (the -e columns), ek (tshark's Elasticsearch bulk format: an index line, then a
    /// document of every protocol's fields flattened under tshark's names, ip_ip_src), psml (the
    /// summary line's columns in tshark's XML), pdml (the whole tree in tshark's XML, as pyshark
    /// reads it). json, ndjson and ek with -e: tshark's JSON records of those fields alone.
    #[arg(short = 'T', value_name = "FORMAT", default_value = "text")]
    pub output: OutputFormat,

    /// Field to print with -T fields (repeatable), e.g. frame.number, ip.src, heartbeat.uid,
    /// _ws.col.info, expert.tag (each finding's tag; expert.severity, expert.group and
    /// expert.message too, _ws.expert.group its group's number as tshark's).
    /// With -T json or ndjson, each frame's record holds these fields' values, as tshark's
    /// -T json -e writes it. `--list-fields` shows them all.
    #[arg(short = 'e', value_name = "FIELD", action = ArgAction::Append)]
    pub fields: Vec<String>,

    /// Option for -T fields (repeatable): header=y|n, separator=/t|/s|CHAR, quote=d|s|n,
    /// occurrence=f|l|a, aggregator=,|/s|CHAR.
    #[arg(short = 'E', value_name = "OPTION=VALUE", action = ArgAction::Append)]
    pub field_options: Vec<String>,

    #[command(flatten)]
    pub dissect: DissectArgs,

    /// Disable name resolution, as tshark's -n: accepted so tshark command lines work
    /// unchanged; names are never resolved (addresses and ports always print as numbers).
    #[arg(short = 'n')]
    pub no_name_resolution: bool,

    /// Print no per-frame output (with -z: only the statistics).
    #[arg(short = 'q')]
    pub quiet: bool,

    /// Write the frames shown (those -Y keeps, every frame without it, up to -c) to FILE as a
    /// capture instead of printing them; '-' for standard output. Each frame as it was read:
    /// its bytes, lengths and time, its interface's link type, name and description, its
    /// packet comments and flags; with the IP fragments of each datagram shown, so that the
    /// file reassembles it too. pcapng unless -F says otherwise.
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,

    /// Capture format for -w: pcapng (the default), pcap (microsecond times) or nsecpcap
    /// (nanosecond times), as tshark names them. A pcap file holds one link type.
    #[arg(short = 'F', value_name = "FORMAT", requires = "write", value_parser = write_format())]
    pub write_format: Option<OutFormat>,

    /// Compress the -w file: gzip, zstd or lz4, each as its own tool does by default (tshark's
    /// option). Without it, a FILE named *.gz, *.zst or *.lz4 is compressed accordingly.
    #[arg(long = "compress", value_name = "TYPE", requires = "write", value_parser = compression())]
    pub compress: Option<Compression>,

    /// With -w: print the frames as well, as without -w. With -T ek: each document holds the
    /// summary line's columns too (no_, time, source, destination, protocol, length, info).
    #[arg(short = 'P')]
    pub print: bool,

    /// Print a statistics table after the frames (repeatable): summary, conv,udp,
    /// endpoints,udp, phs, proto, io,N (io,stat,N,COLUMN,... with tshark's filter and
    /// SUM/COUNT/MIN/MAX/AVG columns), expert, or a protocol's tables (heartbeat). conv,udp,
    /// endpoints,udp, phs, proto and expert take a display filter last, as in tshark
    /// (conv,udp,ip.addr==10.0.0.1). follow,udp,MODE,FILTER[,RANGE] prints one UDP
    /// conversation's payloads as tshark does (follow,udp,hex,0), follow,eqstream,… the
    /// application packets of an EQStream session (udpdissect stats --help).
    #[arg(short = 'z', value_name = "NAME", action = ArgAction::Append)]
    pub stats: Vec<String>,

    /// List the protocols, their ports and expert findings, then exit.
    #[arg(long = "list-protocols")]
    pub list_protocols: bool,

    /// List field keys (all, or one protocol's) with type and description, then exit.
    #[arg(long = "list-fields", value_name = "PROTO", num_args = 0..=1, default_missing_value = "")]
    pub list_fields: Option<String>,

    /// tshark's glossary, in its tab-separated layout, then exit: `fields` (the default; a P
    /// line per protocol and an F line per field: name, key, type, parent, base, bitmask,
    /// description), `protocols` (name, short name, key), `decodes` (udp.port, port, protocol)
    /// or `heuristic-decodes` (udp, protocol, T, or F when --disable-heuristic turned it off).
    #[arg(short = 'G', value_name = "REPORT", num_args = 0..=1, default_missing_value = "fields")]
    pub glossary: Option<String>,

    /// Exit with status 1 (after printing everything) when a frame shown, or the end of the
    /// capture, has a finding of SEVERITY or worse: error (the default of a bare --strict),
    /// warn, note. Damage still exits 2.
    #[arg(
        long = "strict",
        value_name = "SEVERITY",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "error"
    )]
    pub strict: Option<StrictLevel>,

    /// Colour expert findings: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long = "color", value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,

    /// Print version information.
    #[arg(long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,
}

/// How frames are dissected and chosen: shared by every command.
#[derive(Debug, clap::Args)]
pub struct DissectArgs {
    /// Display filter: show only frames for which EXPR holds, e.g. 'heartbeat.uid == -2',
    /// 'ip.src == 10.0.0.0/8 && !heartbeat', 'expert.tag contains "dead"', 'frame[42] == 0xe3',
    /// 'len(data.data) > 40', 'udp.srcport & 0x1'. Every field key (--list-fields) and
    /// expert.tag, expert.severity, expert.group, expert.message can be used; tshark's slices,
    /// functions (len, count, upper, lower, string, abs, max, min), '&', arithmetic
    /// ('udp.dstport >= udp.srcport + 1') and layers ('ip.src#2', the header an ICMP error
    /// quotes) too (docs/filters.md).
    #[arg(short = 'Y', long = "display-filter", value_name = "EXPR")]
    pub filter: Option<String>,

    /// Decode UDP port(s) as a protocol: udp.port==PORT,PROTO, udp.port==LOW-HIGH,PROTO or
    /// udp.port==FIRST:COUNT,PROTO (PROTO its filter name, heartbeat, or the name its Protocol
    /// column shows, SRUN; data leaves the ports' datagrams undissected).
    #[arg(short = 'd', value_name = "RULE", action = ArgAction::Append)]
    pub decode_as: Vec<String>,

    /// Set a protocol preference: PROTO.PREF:VALUE (repeatable).
    #[arg(short = 'o', value_name = "PREF:VALUE", action = ArgAction::Append)]
    pub prefs: Vec<String>,

    /// Turn a protocol off (repeatable, or a comma-separated list): it is offered no datagram,
    /// by port, conversation, decode-as rule or heuristic, so its traffic shows as the next
    /// protocol that takes it, or as UDP data. PROTO is its filter name (heartbeat, overte,
    /// eqstream, overnet) or a name its Protocol column shows (SRUN, eDonkey).
    #[arg(long = "disable-protocol", value_name = "PROTO", action = ArgAction::Append, value_delimiter = ',')]
    pub disable_protocols: Vec<String>,

    /// Turn a protocol back on after --disable-protocol (applied after every --disable-protocol,
    /// as tshark does).
    #[arg(long = "enable-protocol", value_name = "PROTO", action = ArgAction::Append, value_delimiter = ',')]
    pub enable_protocols: Vec<String>,

    /// Turn a protocol's heuristic off: it still takes its registered ports, decode-as rules
    /// and the conversations it is bound to, but no longer claims datagrams on other ports by
    /// their bytes (overte, eqstream, overnet; tshark's names, overte_udp, work too).
    #[arg(long = "disable-heuristic", value_name = "NAME", action = ArgAction::Append, value_delimiter = ',')]
    pub disable_heuristics: Vec<String>,

    /// Turn a heuristic back on after --disable-heuristic (applied after every
    /// --disable-heuristic).
    #[arg(long = "enable-heuristic", value_name = "NAME", action = ArgAction::Append, value_delimiter = ',')]
    pub enable_heuristics: Vec<String>,

    /// EQ2 RC4 keys for live-server captures: lines 'SESSION_ID|CLIENT_IP:PORT|* KEY_HEX'
    /// (the same as -o eqstream.keylog:FILE; docs/eqstream.md).
    #[arg(long = "keylog", value_name = "FILE")]
    pub keylog: Option<String>,
}

/// A compression for `-w`, by the name tshark's `--compress` gives it.
fn compression() -> impl clap::builder::TypedValueParser<Value = Compression> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Compression::ALL.map(Compression::name))
        .map(|name| Compression::from_name(&name).expect("one of the possible values"))
}

/// A capture format for `-w`, by the name tshark's `-F` gives it.
fn write_format() -> impl clap::builder::TypedValueParser<Value = OutFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["pcapng", "pcap", "nsecpcap"]).map(|name| match name.as_str() {
        "pcap" => OutFormat::Pcap,
        "nsecpcap" => OutFormat::NsecPcap,
        _ => OutFormat::Pcapng,
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Statistics of a capture in one pass: capture summary, UDP (or IP) conversations and endpoints,
    /// protocol hierarchy, message types, packets per interval, findings by tag, and each
    /// protocol's tables (EQStream sessions, Overte nodes, Overnet peers and searches, heartbeat
    /// sessions). Give a file named 'stats' as ./stats.
    Stats(StatsArgs),
    /// Regression suite: decode every capture under DIR (recursively: .pcap, .pcapng, .cap,
    /// .gz, .zst, .lz4), or the one capture file DIR names, and compare it with the expected file beside it
    /// (NAME.expected); --bless writes them. Give a file named 'regress' as ./regress.
    Regress(RegressArgs),
    /// Field-level diff of two captures: your client's (OURS) against the official one's
    /// (THEIRS). Messages are aligned per protocol and direction, compared field by field with
    /// volatile fields (session ids, counters, timings) ignored, and each difference is shown
    /// with its bytes, where they sit and a hint at the likely cause.
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = "EXAMPLES:
    udpdissect diff mine.pcap official.pcap             what differs, with hints
    udpdissect diff --bytes mine.pcap official.pcap     and a byte-for-byte hex diff per pair
    udpdissect diff --strict mine.pcap official.pcap    compare volatile fields too (UIDs)
    udpdissect diff --only heartbeat.uid mine.pcap official.pcap
    udpdissect diff --ignore heartbeat.padding mine.pcap official.pcap
    udpdissect diff -d udp.port==4000,heartbeat -Y 'ip.addr == 10.0.0.5' mine.pcap official.pcap
    udpdissect diff -T json mine.pcap official.pcap > diff.json
    udpdissect diff --explain                           the rules and the volatile fields

OUTPUT:
    For each differing pair: the field key, both values, where the bytes sit in each packet
    ('ours frame 12 @42+8': frame offset 42, 8 bytes), both bytes in hex, and a hint when the
    cause is recognisable (byte-swapped integer, length off by N, bytes missing at the end,
    UTF-16 vs UTF-8, null vs empty Qt string, Qt address family, version or signature). Then
    the messages only one capture has, and a summary per (protocol, direction, message type).
    -T json: the same as one document (schema version 1, docs/diff.md).

EXIT STATUS:
    0  equivalent: no differing field and no message on one side only
    1  different
    2  usage, or a capture that cannot be opened or is not a capture; a capture damaged
       further on is compared as far as it reads, and the report says so")]
pub struct DiffArgs {
    /// Your client's capture ('-' for standard input).
    #[arg(value_name = "OURS", required_unless_present = "explain")]
    pub ours: Option<PathBuf>,

    /// The official client's capture.
    #[arg(value_name = "THEIRS", required_unless_present = "explain")]
    pub theirs: Option<PathBuf>,

    /// Compare only this protocol's messages.
    #[arg(long = "proto", value_name = "NAME")]
    pub proto: Option<String>,

    /// Also ignore this field (a key, or a prefix such as 'heartbeat'); repeatable.
    #[arg(long = "ignore", value_name = "KEY", action = ArgAction::Append)]
    pub ignore: Vec<String>,

    /// Compare only these fields (a key or a prefix); repeatable. Volatile fields named here
    /// are compared.
    #[arg(long = "only", value_name = "KEY", action = ArgAction::Append)]
    pub only: Vec<String>,

    /// Ignore nothing: compare the volatile fields too.
    #[arg(long = "strict", conflicts_with = "ignore")]
    pub strict: bool,

    /// Print the comparison rules and every protocol's volatile fields, then exit.
    #[arg(long = "explain")]
    pub explain: bool,

    /// Add a byte-for-byte hex diff of each differing pair, field names in the margin.
    #[arg(long = "bytes")]
    pub bytes: bool,

    /// Output format: text or json (one document).
    #[arg(short = 'T', value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub output: String,

    #[command(flatten)]
    pub dissect: DissectArgs,
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = "EXPECTED FILES (format v1, docs/regress.md):
    # udpdissect regress v1: heartbeat.pcap
    19 t=1772438760.003002000 SRUN Reply UID=-2 (session dead) [heartbeat.session_dead]
      frame.len = 58
      …
      heartbeat.uid = -2
      heartbeat.status = 1
      ! warn heartbeat.session_dead: the server declared the session dead (-2): …
    end of capture                 (findings only the end reveals, when there are any)
      ! warn heartbeat.no_reply: …
    error: frame 4 at byte offset 230: …     (a damaged capture: the damage is expected)

    One block per frame: number, epoch time, protocol, info and finding tags; then every field
    of the tree in order as KEY = VALUE (values as -T fields prints them; frame.number and the
    frame's times are in the first line), then the findings. Free of time zone, machine and
    colour. With -Y only the frames it keeps are written and compared.

OUTPUT:
    One line per capture: 'ok   PATH (N frames)', 'FAIL PATH: why', or with --bless
    'bless PATH: wrote|updated|unchanged'; then 'N passed, M failed'. A difference is shown
    per frame (the first three) as - (expected) and + (actual) lines; an error finding the
    expected file lacks is reported as 'new expert error TAG in frame N'. --junit FILE writes
    the same results as a JUnit XML report once the run ends.

EXIT STATUS:
    0  every capture matched its expected file (or was blessed)
    1  some capture differed, had no expected file, or could not be read
    2  usage: bad options, DIR unreadable or without captures; or the --junit report could
       not be written (after the run's own output)")]
pub struct RegressArgs {
    /// Directory of captures, searched recursively, or one capture file.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Write the expected files (new ones, and those that changed) instead of comparing.
    #[arg(long = "bless")]
    pub bless: bool,

    /// Also write the results as a JUnit XML report to FILE, for CI services that show test
    /// results (GitLab's artifacts:reports:junit, Jenkins, GitHub test reporters): a testcase
    /// per capture, named by its path, and for each capture that failed a failure holding what
    /// the text output says. Written once the run ends, whatever its outcome.
    #[arg(long = "junit", value_name = "FILE")]
    pub junit: Option<PathBuf>,

    #[command(flatten)]
    pub dissect: DissectArgs,
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = "TABLES (-z):
    summary        capture format, link types, each pcapng interface (name, description,
                   section, link type, packets), packets, bytes, first/last time, duration,
                   rates
    conv,udp       UDP conversations: frames and bytes each way, start, duration, protocol
    endpoints,udp  UDP endpoints: frames and bytes sent and received
    conv,ip        IPv4 conversations (any transport): frames and bytes each way, start,
                   duration; conv,ipv6 the same for IPv6
    endpoints,ip   IPv4 endpoints (endpoints,ipv6: IPv6)
    conv,tcp       TCP conversations by address:port pair (endpoints,tcp: by address:port)
    conv,eth       Ethernet conversations by MAC address pair (endpoints,eth: by MAC address)
    phs            protocol hierarchy with frames and bytes
    proto          message types per protocol
    io,N           frames, bytes and findings per N-second interval (io,stat,N too); tshark's
                   columns may follow: io,stat,60,FILTER,SUM(FIELD)FILTER,COUNT|MIN|MAX|AVG(FIELD)
    expert         findings by tag: severity, count, first frame, message (expert,warn and
                   expert,error: those and above)
    eqstream       EQStream sessions: reliable packets, retransmissions and their share, gaps,
                   CRC errors, round-trip times, CRC length, encode passes, reassembled
                   fragments, the RC4 key, packets decrypted and not, where a stream was lost
    overte         Overte nodes: node type, Local ID, its domain server, the frame that server
                   last heard it and the longest it went without, sourced packets, bad source
                   IDs, HMACs that passed, failed and could not be checked
    overnet        Overnet peers learned per node (overnet.peers) and searches
                   (overnet.searches)
    heartbeat      the SRUN heartbeat's sessions (UID, beats, replies, misses, death)
    follow,udp,MODE,FILTER[,RANGE]
                   one UDP conversation's payloads after the tables, in tshark's layout:
                   MODE ascii, ebcdic, hex, raw or yaml; FILTER its udp.stream index or
                   ADDR:PORT,ADDR:PORT; RANGE the datagrams shown, N or N-M from 1
                   (follow,udp,hex,0; follow,udp,yaml,10.0.0.1:4000,[2001:db8::2]:53,5-9)
    follow,eqstream,MODE,FILTER[,RANGE]
                   the application packets an EQStream session delivers, in the same layout:
                   each once, in sequence, decrypted, inflated, fragments joined
    conv,*, endpoints,*, phs, proto and expert take a display filter as their last part,
    counting only the frames it keeps: conv,udp,ip.addr==10.0.0.1, expert,warn,overte; one
    kind may be asked for with several filters, each its own table")]
pub struct StatsArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Table to print (repeatable; default: all of them).
    #[arg(short = 'z', value_name = "NAME", action = ArgAction::Append)]
    pub tables: Vec<String>,

    /// Output format: text (tables) or json (one document).
    #[arg(short = 'T', value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub output: String,

    #[command(flatten)]
    pub dissect: DissectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Tabs,
    Json,
    Ndjson,
    Fields,
    Ek,
    Psml,
    Pdml,
}

/// `--strict=SEVERITY`: the least severe finding that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrictLevel {
    Note,
    Warn,
    Error,
}

impl StrictLevel {
    pub fn severity(self) -> Severity {
        match self {
            StrictLevel::Note => Severity::Note,
            StrictLevel::Warn => Severity::Warn,
            StrictLevel::Error => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The capture to read, as `FILE` or `-r FILE`: for the packet list and `stats`.
#[derive(Debug, ClapArgs)]
pub struct CaptureArgs {
    /// Capture file to read ('-' for standard input); same as -r.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Files after the first (a shell pattern that matched several): refused with advice,
    /// rather than taken for a subcommand's name.
    #[arg(hide = true, value_name = "MORE")]
    pub more: Vec<PathBuf>,

    /// Read packets from FILE ('-' for standard input).
    #[arg(short = 'r', long = "read-file", value_name = "FILE")]
    pub read: Option<PathBuf>,
}

impl CaptureArgs {
    /// The one capture given, or what to do instead.
    pub fn path(&self) -> Result<PathBuf, String> {
        if let Some((file, command)) = self.file.as_deref().and_then(|f| Some((f, mistyped_command(f)?))) {
            return Err(format!(
                "'{}' is neither a capture nor a command: did you mean 'udpdissect {command}'?",
                file.display()
            ));
        }
        if !self.more.is_empty() {
            let all: Vec<String> = self.file.iter().chain(&self.more).map(|p| p.display().to_string()).collect();
            return Err(format!(
                "one capture at a time, and {} were given ({}); to compare two captures: udpdissect diff OURS \
                 THEIRS; to check a folder of captures against their expected decodes: udpdissect regress DIR",
                all.len(),
                all.join(", ")
            ));
        }
        match (&self.read, &self.file) {
            (Some(p), None) | (None, Some(p)) => Ok(p.clone()),
            (Some(_), Some(_)) => Err("give the capture once, as FILE or with -r FILE".into()),
            (None, None) => {
                Err("no capture given: udpdissect FILE (or -r FILE, '-' for standard input); see --help".into())
            }
        }
    }
}

/// The command a FILE that does not exist was probably meant to be (`stat` for `stats`).
fn mistyped_command(file: &Path) -> Option<String> {
    let name = file.to_str().filter(|&n| n != "-" && !file.exists())?;
    Args::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .find(|c| udpdissect_filter::edit_distance(name, c) <= 2.min(c.len() / 2))
}
