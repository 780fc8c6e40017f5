//! Filters compiled through the public API and matched against hand-built dissections with
//! real values: a heartbeat reply over IPv4, an ICMP-error-like frame carrying two IP headers,
//! an IPv6 heartbeat request with a note, and a frame whose protocol lives in a derived
//! data source.

use std::net::{IpAddr, SocketAddr};
use udpdissect_core::{Dissection, ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity, Value};
use udpdissect_filter::{Catalog, Filter, FilterError, MAX_NESTING};

static FRAME: FieldInfo = FieldInfo::new("frame", "Frame", K::None, "");
static NUMBER: FieldInfo = FieldInfo::new("frame.number", "Frame Number", K::Unsigned, "");
static TIME: FieldInfo = FieldInfo::new("frame.time_epoch", "Epoch Time", K::Time, "");
static LEN: FieldInfo = FieldInfo::new("frame.len", "Frame Length", K::Unsigned, "");
static ETH_SRC: FieldInfo = FieldInfo::new("eth.src", "Source", K::Mac, "");
static IP: FieldInfo = FieldInfo::new("ip", "IPv4", K::None, "");
static IP_SRC: FieldInfo = FieldInfo::new("ip.src", "Source", K::Ip, "");
static IP_DST: FieldInfo = FieldInfo::new("ip.dst", "Destination", K::Ip, "");
static IP_DF: FieldInfo = FieldInfo::new("ip.flags.df", "Don't fragment", K::Bool, "");
static IP_CHECKSUM: FieldInfo = FieldInfo::new("ip.checksum", "Checksum", K::Hex, "");
static IPV6: FieldInfo = FieldInfo::new("ipv6", "IPv6", K::None, "");
static IPV6_SRC: FieldInfo = FieldInfo::new("ipv6.src", "Source", K::Ip, "");
static IPV6_DST: FieldInfo = FieldInfo::new("ipv6.dst", "Destination", K::Ip, "");
static UDP: FieldInfo = FieldInfo::new("udp", "UDP", K::None, "");
static SRCPORT: FieldInfo = FieldInfo::new("udp.srcport", "Source Port", K::Unsigned, "");
static DSTPORT: FieldInfo = FieldInfo::new("udp.dstport", "Destination Port", K::Unsigned, "");
static UDP_LEN: FieldInfo = FieldInfo::new("udp.length", "Length", K::Unsigned, "");
static HB: FieldInfo = FieldInfo::new("heartbeat", "Heartbeat", K::None, "");
static UID: FieldInfo = FieldInfo::new("heartbeat.uid", "UID", K::Signed, "");
static STATUS: FieldInfo = FieldInfo::new("heartbeat.status", "Status", K::Enum, "");
static RESPONSE_TO: FieldInfo = FieldInfo::new("heartbeat.response_to", "Response to", K::Frame, "");
static RTIME: FieldInfo = FieldInfo::new("heartbeat.time", "Response time", K::Duration, "");
static PADDING: FieldInfo = FieldInfo::new("heartbeat.padding", "Padding", K::Bytes, "");
static NAME: FieldInfo = FieldInfo::new("test.name", "Name", K::String, "");
static RATIO: FieldInfo = FieldInfo::new("test.ratio", "Ratio", K::Float, "");
static ID: FieldInfo = FieldInfo::new("test.id", "Id", K::Uuid, "");
static PEER: FieldInfo = FieldInfo::new("test.peer", "Peer", K::SocketAddr, "");

static ALL: &[&FieldInfo] = &[
    &FRAME,
    &NUMBER,
    &TIME,
    &LEN,
    &ETH_SRC,
    &IP,
    &IP_SRC,
    &IP_DST,
    &IP_DF,
    &IP_CHECKSUM,
    &IPV6,
    &IPV6_SRC,
    &IPV6_DST,
    &UDP,
    &SRCPORT,
    &DSTPORT,
    &UDP_LEN,
    &HB,
    &UID,
    &STATUS,
    &RESPONSE_TO,
    &RTIME,
    &PADDING,
    &NAME,
    &RATIO,
    &ID,
    &PEER,
];

static DEAD: ExpertInfo = ExpertInfo::new("heartbeat.session_dead", Severity::Error, ExpertGroup::ResponseCode, "");
static LATE: ExpertInfo = ExpertInfo::new("heartbeat.late_reply", Severity::Warn, ExpertGroup::Sequence, "");
static NEW_UID: ExpertInfo = ExpertInfo::new("heartbeat.new_uid", Severity::Note, ExpertGroup::Sequence, "");

/// 2026-03-02 08:00:00.5 UTC.
const T0: i64 = 1_772_438_400_500_000_000;
const UUID: [u8; 16] = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 7];

fn catalog() -> Catalog {
    Catalog::new(ALL.iter().copied())
}

fn ip(s: &str) -> Value {
    Value::Ip(s.parse::<IpAddr>().unwrap())
}

fn frame_header(d: &mut Dissection, number: u64, len: usize) {
    d.open(&FRAME, 0, len, Value::None);
    d.add_generated(&NUMBER, Value::Frame(number));
    d.add_generated(&TIME, Value::Time(T0));
    d.add_generated(&LEN, Value::Unsigned(len as u64));
    d.close();
}

/// Frame 7: 10.0.0.1:3335 → 192.168.1.20:40000, a heartbeat reply saying "dead", with
/// non-zero padding, an error and a warning.
fn reply() -> (Dissection, Vec<u8>) {
    let mut bytes = vec![0xff; 6];
    bytes.extend([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00]);
    bytes.extend([0x45, 0, 0, 44, 0, 0, 0x40, 0, 64, 17, 0xb1, 0xe6, 10, 0, 0, 1, 192, 168, 1, 20]);
    bytes.extend([0x0d, 0x07, 0x9c, 0x40, 0x00, 0x18, 0x00, 0x00]);
    bytes.extend([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]);
    let mut d = Dissection::new(true);
    d.protocol = "SRUN";
    d.info.push_str("Reply UID -2 (dead)");
    frame_header(&mut d, 7, bytes.len());
    d.add(&ETH_SRC, 6, 6, Value::Mac([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]));
    d.open(&IP, 14, 20, Value::None);
    d.add(&IP_DF, 20, 1, Value::Bool(true));
    d.add(&IP_CHECKSUM, 24, 2, Value::Unsigned(0xb1e6));
    d.add(&IP_SRC, 26, 4, ip("10.0.0.1"));
    d.add(&IP_DST, 30, 4, ip("192.168.1.20"));
    d.close();
    d.open(&UDP, 34, 8, Value::None);
    d.add(&SRCPORT, 34, 2, Value::Unsigned(3335));
    d.add(&DSTPORT, 36, 2, Value::Unsigned(40000));
    d.add(&UDP_LEN, 38, 2, Value::Unsigned(24));
    d.close();
    d.open(&HB, 42, 16, Value::String("reply, dead".into()));
    d.add(&UID, 42, 8, Value::Signed(-2));
    d.add_generated(&STATUS, Value::Enum { value: 1, name: Some("dead") });
    d.add_generated(&RESPONSE_TO, Value::Frame(5));
    d.add_generated(&RTIME, Value::Duration(1_500_000));
    d.add(&PADDING, 50, 8, Value::Bytes);
    d.close();
    d.add_generated(&NAME, Value::String("srun-hb reply".into()));
    d.add_generated(&RATIO, Value::Float(0.25));
    d.add_generated(&ID, Value::Uuid(UUID));
    d.add_generated(&PEER, Value::SocketAddr("10.0.0.1:3335".parse::<SocketAddr>().unwrap()));
    d.expert(&DEAD, "session 12345 is dead");
    d.expert(&LATE, "reply after 1.500 ms");
    (d, bytes)
}

/// Frame 8: an ICMP error quoting a DNS query, so `ip.src`, `ip.dst` and the ports occur
/// twice: outer 10.0.0.254 → 10.0.0.1, inner 10.0.0.1:5353 → 8.8.8.8:53.
fn icmp_error() -> (Dissection, Vec<u8>) {
    let mut d = Dissection::new(true);
    d.protocol = "ICMP";
    frame_header(&mut d, 8, 70);
    d.open(&IP, 14, 20, Value::None);
    d.add(&IP_SRC, 26, 4, ip("10.0.0.254"));
    d.add(&IP_DST, 30, 4, ip("10.0.0.1"));
    d.close();
    d.open(&IP, 42, 20, Value::None);
    d.add(&IP_SRC, 54, 4, ip("10.0.0.1"));
    d.add(&IP_DST, 58, 4, ip("8.8.8.8"));
    d.close();
    d.open(&UDP, 62, 8, Value::None);
    d.add(&SRCPORT, 62, 2, Value::Unsigned(5353));
    d.add(&DSTPORT, 64, 2, Value::Unsigned(53));
    d.close();
    (d, vec![0; 70])
}

/// Frame 9: [2001:db8::1]:3335 → [fe80::2]:3335, a heartbeat request with a note.
fn request_v6() -> (Dissection, Vec<u8>) {
    let mut d = Dissection::new(true);
    d.protocol = "SRUN";
    frame_header(&mut d, 9, 70);
    d.open(&IPV6, 14, 40, Value::None);
    d.add(&IPV6_SRC, 22, 16, ip("2001:db8::1"));
    d.add(&IPV6_DST, 38, 16, ip("fe80::2"));
    d.close();
    d.open(&UDP, 54, 8, Value::None);
    d.add(&SRCPORT, 54, 2, Value::Unsigned(3335));
    d.add(&DSTPORT, 56, 2, Value::Unsigned(3335));
    d.close();
    d.open(&HB, 62, 8, Value::None);
    d.add(&UID, 62, 8, Value::Signed(12345));
    d.close();
    d.expert(&NEW_UID, "first beat of UID 12345");
    (d, vec![0; 70])
}

/// Frame 10: the heartbeat sits in a reassembled buffer; one field points past every buffer.
fn reassembled() -> (Dissection, Vec<u8>) {
    let mut d = Dissection::new(true);
    frame_header(&mut d, 10, 20);
    let src = d.add_source(format_args!("Reassembled"), |b| b.extend_from_slice(b"hello heartbeat"));
    d.set_cursor(src, 0);
    d.open(&HB, 0, 15, Value::None);
    d.add(&PADDING, 100, 8, Value::Bytes);
    d.close();
    (d, vec![0; 20])
}

fn compile(expr: &str) -> Filter {
    Filter::compile(expr, &catalog()).unwrap_or_else(|e| panic!("\n{}", e.render(expr)))
}

fn on(frame: &(Dissection, Vec<u8>), expr: &str) -> bool {
    compile(expr).matches(&frame.0, &frame.1)
}

/// Asserts each filter's result on the frame, naming the filter that disagrees.
fn check(frame: &(Dissection, Vec<u8>), cases: &[(&str, bool)]) {
    for &(expr, want) in cases {
        assert_eq!(on(frame, expr), want, "{expr}");
    }
}

fn err(expr: &str) -> (usize, String) {
    let e = Filter::compile(expr, &catalog()).expect_err(expr);
    (e.pos, e.message)
}

#[test]
fn bare_fields_test_presence() {
    let f = reply();
    check(
        &f,
        &[
            ("heartbeat", true),
            ("ip", true),
            ("ipv6", false),
            ("udp.srcport", true),
            ("heartbeat.response_to", true),
            ("not ipv6", true),
            ("!heartbeat", false),
            ("ip.addr", true),
            ("udp.port", true),
            ("_ws.col.info", true),
        ],
    );
    assert!(on(&icmp_error(), "_ws.col.info"), "columns are present even when empty");
}

#[test]
fn every_comparison_operator_in_both_spellings() {
    let f = reply();
    check(
        &f,
        &[
            ("udp.srcport == 3335", true),
            ("udp.srcport eq 3335", true),
            ("udp.srcport any_eq 3335", true),
            ("udp.srcport != 3335", false),
            ("udp.srcport ne 3336", true),
            ("udp.srcport < 3336", true),
            ("udp.srcport lt 3335", false),
            ("udp.srcport <= 3335", true),
            ("udp.srcport le 3334", false),
            ("udp.srcport > 3334", true),
            ("udp.srcport gt 3335", false),
            ("udp.srcport >= 3335", true),
            ("udp.srcport ge 3336", false),
            ("udp.srcport===3335", true),
            ("udp.srcport all_eq 3335", true),
            ("udp.srcport ~= 3335", false),
            ("udp.srcport !== 3336", true),
            ("udp.srcport any_ne 3336", true),
            ("udp.srcport all_ne 3336", true),
        ],
    );
}

#[test]
fn integer_literals_and_numeric_kinds() {
    check(
        &reply(),
        &[
            ("ip.checksum == 0xb1e6", true),
            ("ip.checksum == 45542", true),
            ("udp.srcport == 0xd07", true),
            ("udp.srcport == 0o6407", true),
            ("udp.srcport == 0b110100000111", true),
            ("heartbeat.uid == -2", true),
            ("heartbeat.uid < 0", true),
            ("heartbeat.uid > -3 && heartbeat.uid < -1", true),
            ("ip.flags.df == 1", true),
            ("ip.flags.df == true", true),
            ("ip.flags.df == False", false),
            ("heartbeat.response_to == 5", true),
            ("heartbeat.response_to < frame.number", true),
            ("frame.number == 7", true),
            ("frame.len == 58", true),
        ],
    );
}

#[test]
fn times_durations_and_floats_take_seconds() {
    check(
        &reply(),
        &[
            ("frame.time_epoch > 1772438400", true),
            ("frame.time_epoch == 1772438400.5", true),
            ("frame.time_epoch == 1772438400.500000001", false),
            ("frame.time_epoch >= \"2026-03-02 08:00:00\"", true),
            ("frame.time_epoch < \"2026-03-02T08:00:00.5Z\"", false),
            ("frame.time_epoch < \"2026-03-02 08:00:01 UTC\"", true),
            ("frame.time_epoch in {\"2026-03-02\"..\"2026-03-03\"}", true),
            ("frame.time_epoch == \"Mar  2, 2026 08:00:00.500000000 UTC\"", true),
            ("frame.time_epoch < \"Mar 2, 2026 08:00:00.4\"", false),
            ("heartbeat.time == 0.0015", true),
            ("heartbeat.time > 0.001 and heartbeat.time < 1", true),
            ("heartbeat.time >= 2", false),
            ("test.ratio == 0.25", true),
            ("test.ratio > 0.2", true),
            ("test.ratio < 1", true),
            ("test.ratio in {0..0.24}", false),
        ],
    );
}

#[test]
fn enums_match_by_number_or_name() {
    check(
        &reply(),
        &[
            ("heartbeat.status == dead", true),
            ("heartbeat.status == \"dead\"", true),
            ("heartbeat.status == Dead", true),
            ("heartbeat.status == 1", true),
            ("heartbeat.status == alive", false),
            ("heartbeat.status != alive", true),
            ("heartbeat.status in {alive, dead}", true),
            ("heartbeat.status in {0..2}", true),
            ("heartbeat.status > 0", true),
        ],
    );
}

#[test]
fn strings_compare_exactly_contain_and_match() {
    check(
        &reply(),
        &[
            ("test.name == \"srun-hb reply\"", true),
            ("test.name == \"srun-hb\"", false),
            ("test.name contains \"hb\"", true),
            ("test.name contains reply", true),
            ("test.name contains \"Reply\"", false),
            ("test.name matches \"^srun-\\\\w+ reply$\"", true),
            ("test.name ~ \"^SRUN\"", false),
            ("test.name matches \"(?i)^SRUN\"", true),
            ("test.name matches r\"hb\\s\"", true),
            ("test.name > \"s\" and test.name < \"t\"", true),
            ("test.name in {\"x\", \"srun-hb reply\"}", true),
            ("_ws.col.protocol == \"SRUN\"", true),
            ("_ws.col.protocol == SRUN", true),
            ("_ws.col.protocol == udp", false),
            ("_ws.col.info contains \"\\x28dead\\x29\"", true),
            ("_ws.col.info matches \"UID -\\\\d\"", true),
            // A pattern that is not UTF-8 matches byte by byte, as tshark takes it; one that
            // is matches text, on bytes that need not be.
            ("heartbeat matches \"^\\xfe\\xff{7}\\x00\"", true),
            ("heartbeat matches \"\\xde[\\xa0-\\xaf]\\xbe\"", true),
            ("heartbeat matches \"\\xde\\xbe\"", false),
            ("udp matches \"^.{8}\\xfe\"", true),
            ("heartbeat matches \"\\x00\\x00\\x00\\x00\\xde\"", true),
        ],
    );
}

#[test]
fn byte_fields_take_every_byte_string_form() {
    check(
        &reply(),
        &[
            ("heartbeat.padding == 00:00:00:00:de:ad:be:ef", true),
            ("heartbeat.padding == 00-00-00-00-de-ad-be-ef", true),
            ("heartbeat.padding == 0000.0000.dead.beef", true),
            ("heartbeat.padding == 00000000deadbeef", true),
            ("heartbeat.padding == \"\\x00\\x00\\x00\\x00\\xde\\xad\\xbe\\xef\"", true),
            ("heartbeat.padding == 00:00", false),
            ("heartbeat.padding contains de:ad", true),
            ("heartbeat.padding contains beef", true),
            ("heartbeat.padding contains \"\\xbe\\xef\"", true),
            ("heartbeat.padding contains ad:de", false),
            ("heartbeat.padding matches \"^\\\\x00{4}\"", true),
            ("heartbeat.padding < 01", true),
            ("heartbeat.padding > 00:00:00:00:de:ad:be:ee", true),
        ],
    );
}

#[test]
fn protocol_nodes_compare_as_their_bytes() {
    let f = reply();
    check(
        &f,
        &[
            ("heartbeat contains fe:ff:ff", true),
            ("heartbeat contains \"\\xde\\xad\"", true),
            ("heartbeat contains \"reply\"", false),
            ("udp contains 0d:07:9c:40", true),
            // As in tshark, `contains` and `matches` search what a protocol carries (UDP's
            // payload, as far as its length says; IPv4's, as far as its total length says);
            // comparisons, slices and lengths take the node's own bytes.
            ("udp contains de:ad", true),
            ("udp matches \"\\xde\\xad\"", true),
            ("ip contains de:ad:be:ef", true),
            ("udp == 0d:07:9c:40:00:18:00:00", true),
            ("len(udp) == 8 && len(ip) == 20", true),
            ("udp[8:2] == fe:ff", false),
            ("heartbeat == fe:ff:ff:ff:ff:ff:ff:ff:00:00:00:00:de:ad:be:ef", true),
            ("ip contains 0a:00:00:01", true),
        ],
    );
    let f = reassembled();
    check(
        &f,
        &[
            ("heartbeat contains \"hello\"", true),
            ("heartbeat matches \"^hello h\"", true),
            ("frame contains \"hello\"", false),
            ("heartbeat.padding", true),
            ("heartbeat.padding contains 00", false),
            ("heartbeat.padding == \"\"", true),
        ],
    );
}

#[test]
fn addresses_and_cidr_blocks() {
    check(
        &reply(),
        &[
            ("ip.src == 10.0.0.1", true),
            ("ip.src == \"10.0.0.1\"", true),
            ("ip.src == 10.0.0.0/8", true),
            ("ip.src == 10.0.0.0/32", false),
            ("ip.src == 0.0.0.0/0", true),
            ("ip.dst == 10.0.0.0/8", false),
            ("ip.dst == 192.168.0.0/16", true),
            ("ip.src < 10.0.0.2", true),
            ("ip.dst > 10.0.0.1", true),
            ("ip.src in {10.0.0.1..10.0.0.5}", true),
            ("ip.dst in {10.0.0.0/8, 172.16.0.0/12}", false),
            ("ip.addr == 192.168.1.20", true),
            ("ip.addr == 10.0.0.1", true),
            ("ip.addr != 10.0.0.1", false),
            ("!(ip.addr == 10.0.0.9)", true),
            ("udp.port == 40000", true),
            ("eth.src == 00:11:22:33:44:55", true),
            ("eth.src == 00-11-22-33-44-55", true),
            ("eth.src == 0011.2233.4455", true),
            ("eth.src == 001122334455", true),
            ("eth.src != 00:11:22:33:44:56", true),
            ("test.id == 12345678-9abc-def0-0001-020304050607", true),
            ("test.id == 123456789abcdef00001020304050608", false),
            ("test.peer == 10.0.0.1:3335", true),
            ("test.peer == \"10.0.0.1:3336\"", false),
        ],
    );
    check(
        &request_v6(),
        &[
            ("ipv6.src == 2001:db8::1", true),
            ("ipv6.src == 2001:db8::/32", true),
            ("ipv6.src == 2001:db9::/32", false),
            ("ipv6.dst == fe80::/10", true),
            ("ipv6.src < 2001:db8::2", true),
            ("ipv6.src in {2001:db8::..2001:db8::ff}", true),
            ("ipv6.addr == fe80::2", true),
            // An IPv4 literal never equals an IPv6 address, nor orders against one.
            ("ipv6.src == 0.0.0.0/0", false),
            ("ipv6.src > 0.0.0.0", false),
            ("ipv6.src != 10.0.0.1", true),
        ],
    );
}

#[test]
fn repeated_fields_any_versus_all() {
    check(
        &icmp_error(),
        &[
            ("ip.src == 10.0.0.1", true),
            ("ip.src == 10.0.0.254", true),
            ("ip.src != 10.0.0.1", false),
            ("ip.src != 1.2.3.4", true),
            ("!(ip.src == 10.0.0.1)", false),
            ("ip.src ~= 10.0.0.1", true),
            ("ip.src !== 10.0.0.1", true),
            ("ip.src === 10.0.0.1", false),
            ("ip.src === 10.0.0.0/24", true),
            ("ip.src in {10.0.0.254}", true),
            ("ip.src not in {10.0.0.1}", false),
            ("ip.src not in {1.2.3.4, 5.6.7.8}", true),
            ("ip.src > 10.0.0.100", true),
            ("ip.src < 10.0.0.1", false),
            // Occurrences are independent: tshark's well-known cross-header match.
            ("ip.src == 10.0.0.254 and ip.dst == 8.8.8.8", true),
            ("udp.port == 53 && udp.port == 5353", true),
            ("ip.addr != 10.0.0.1", false),
        ],
    );
}

#[test]
fn absent_fields_fail_every_comparison() {
    check(
        &icmp_error(),
        &[
            ("heartbeat.uid == 1", false),
            ("heartbeat.uid != 1", false),
            ("heartbeat.uid ~= 1", false),
            ("heartbeat.uid === 1", false),
            ("heartbeat.uid < 1 || heartbeat.uid >= 1", false),
            ("heartbeat.status in {dead}", false),
            ("heartbeat.status not in {dead}", false),
            ("!(heartbeat.uid == 1)", true),
            ("!(ipv6.addr == ::1)", true),
            ("heartbeat.uid == udp.srcport", false),
            ("heartbeat.uid != udp.srcport", false),
            ("expert.tag != \"x\"", false),
        ],
    );
}

#[test]
fn expert_pseudo_fields_and_severity_order() {
    let reply = reply();
    check(
        &reply,
        &[
            ("expert", true),
            ("expert.tag == \"heartbeat.session_dead\"", true),
            ("expert.tag == heartbeat.late_reply", true),
            ("expert.tag == heartbeat.new_uid", false),
            ("expert.tag contains \"late\"", true),
            ("expert.severity == error", true),
            ("expert.severity == \"warn\"", true),
            ("expert.severity == note", false),
            ("expert.severity >= \"warn\"", true),
            ("expert.severity > error", false),
            ("expert.severity != note", true),
            ("expert.severity in {note, warn}", true),
            ("expert.severity in {note..warn}", true),
            ("expert.severity matches \"^err\"", true),
            ("expert.message contains \"12345\"", true),
            ("expert.message matches \"after [0-9.]+ ms$\"", true),
        ],
    );
    check(
        &request_v6(),
        &[
            ("expert", true),
            ("expert.severity >= warn", false),
            ("expert.severity == NOTE", true),
            ("expert.severity < warn", true),
        ],
    );
    check(&icmp_error(), &[("expert", false), ("!expert", true), ("expert.severity < error", false)]);
}

/// `expert.group`: each finding's Wireshark group, by the name Wireshark shows (the reply's
/// findings are Response and Sequence, the request's Sequence), taken in any case as severities
/// are; `contains` and `matches` see the name as shown.
#[test]
fn expert_group_pseudo_field() {
    check(
        &reply(),
        &[
            ("expert.group == \"Sequence\"", true),
            ("expert.group == Response", true),
            ("expert.group == sequence", true),
            ("expert.group == \"RESPONSE\"", true),
            ("expert.group == Checksum", false),
            ("expert.group != Checksum", true),
            ("expert.group != Sequence", false),
            ("expert.group ~= Sequence", true),
            ("expert.group === Sequence", false),
            ("expert.group in {\"Checksum\" \"Malformed\"}", false),
            ("expert.group in {Checksum, Response}", true),
            ("expert.group not in {Checksum, Malformed}", true),
            ("expert.group contains \"Seq\"", true),
            ("expert.group contains \"seq\"", false),
            ("expert.group contains \"Check\"", false),
            ("expert.group matches \"^Resp\"", true),
            ("expert.group matches \"(?i)^resp\"", true),
            ("expert.group == expert.group", true),
            ("len(expert.group) == 8", true),
            ("count(expert.group) == 2", true),
            ("expert.severity == error && expert.group == Response", true),
        ],
    );
    check(
        &request_v6(),
        &[
            ("expert.group == Sequence", true),
            ("expert.group all_eq Sequence", true),
            ("expert.group != Response", true),
            ("expert.group contains \"Check\"", false),
            ("expert.group in {Checksum Malformed}", false),
        ],
    );
    check(&icmp_error(), &[("expert.group == Sequence", false), ("expert.group != Sequence", false)]);
    assert_eq!(compile("expert.group == Sequence").keys(), vec!["expert.group"]);
}

#[test]
fn field_to_field_comparisons() {
    check(
        &reply(),
        &[
            ("ip.src == ip.dst", false),
            ("ip.src != ip.dst", true),
            ("ip.src < ip.dst", true),
            ("udp.srcport == udp.dstport", false),
            ("udp.length < frame.len", true),
            ("heartbeat.response_to < frame.number", true),
            ("test.peer == test.peer", true),
            // Any pair: the error outranks the warning.
            ("expert.severity > expert.severity", true),
            ("_ws.col.info contains test.name", false),
            ("test.name contains test.name", true),
        ],
    );
    check(
        &request_v6(),
        &[
            ("udp.srcport == udp.dstport", true),
            ("udp.srcport === udp.dstport", true),
            ("expert.severity > expert.severity", false),
        ],
    );
    // Any pair: the inner source equals the outer destination.
    check(
        &icmp_error(),
        &[
            ("ip.src == ip.dst", true),
            ("ip.src != ip.dst", false),
            ("ip.src ~= ip.dst", true),
            ("ip.src === ip.dst", false),
        ],
    );
}

#[test]
fn precedence_and_parentheses() {
    let f = reply();
    check(
        &f,
        &[
            ("heartbeat or ipv6 and udp.srcport == 1", true),
            ("(heartbeat or ipv6) and udp.srcport == 1", false),
            ("ipv6 and udp or heartbeat", true),
            ("ipv6 and (udp or heartbeat)", false),
            ("not heartbeat or udp", true),
            ("not (heartbeat or udp)", false),
            ("!heartbeat && udp", false),
            ("!!heartbeat", true),
            ("heartbeat xor udp", false),
            ("heartbeat ^^ ipv6", true),
            ("heartbeat xor udp xor ip", true),
            ("ipv6 or heartbeat xor udp", false),
            ("((((udp.srcport == 3335))))", true),
            ("not not not ipv6", true),
            ("udp&&heartbeat||ipv6", true),
        ],
    );
}

#[test]
fn sets_with_values_and_ranges() {
    check(
        &reply(),
        &[
            ("udp.srcport in {53, 3335}", true),
            ("udp.srcport in {53 3335}", true),
            ("udp.srcport in {1..5000}", true),
            ("udp.srcport in {3336..4000, 53}", false),
            ("udp.srcport in {3335..3335}", true),
            ("udp.dstport in {40000}", true),
            ("udp.srcport not in {53}", true),
            ("heartbeat.uid in {-5..-1}", true),
            ("heartbeat.uid in {0x0..0xff}", false),
            ("test.name in {\"a\"..\"t\"}", true),
            ("frame.time_epoch in {1772438400..1772438401}", true),
            ("heartbeat.padding in {00:00, 00:00:00:00:de:ad:be:ef}", true),
        ],
    );
}

#[test]
fn filters_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<Filter>();
    shareable::<Catalog>();
}

#[test]
fn empty_filter_matches_everything() {
    assert!(on(&icmp_error(), ""));
    assert!(on(&reply(), "   "));
    assert!(compile("").keys().is_empty());
}

#[test]
fn the_layer_operator_picks_a_protocol_layer() {
    let icmp = icmp_error();
    check(
        &icmp,
        &[
            ("ip.src#1 == 10.0.0.254", true),
            ("ip.src#2 == 10.0.0.254", false),
            ("ip.src#2 == 10.0.0.1", true),
            ("ip.dst#[1-2] == 8.8.8.8", true),
            ("ip.dst#[1] == 8.8.8.8", false),
            ("ip.addr#2 == 8.8.8.8", true),
            ("ip.src#[2:] == 10.0.0.1", true),
            ("ip.src#[1,3] == 10.0.0.1", false),
            ("ip.src#3", false),
            ("ip#2", true),
            ("ip#3", false),
            ("len(ip#2) == 20", true),
            ("count(ip.src#1) == 1", true),
            ("ip.dst#1 == ip.src#2", true),
            ("ip.src#1 == ip.dst#2", false),
            ("ip.src#2[0] == 0a", true),
            // UDP has one layer here: the quoted header is udp#1.
            ("udp.srcport#1 == 5353", true),
            ("udp.srcport#2", false),
            ("frame.number#1 == 8", true),
        ],
    );
    check(&reply(), &[("ip.src#1", true), ("ip.src#2", false), ("udp.port#1 == 3335", true)]);
    assert_eq!(compile("ip.src#2 == 1.2.3.4").keys(), vec!["ip.src", "ip"], "layers are counted by the ip nodes");
    assert_eq!(err("ip.src# == 1"), (8, "expected a layer number or [ranges] after '#', found '=='".into()));
    assert_eq!(err("ip.src#x"), (7, "expected a layer number or [ranges] after '#', found 'x'".into()));
    assert_eq!(err("ip.src#[2"), (7, "unbalanced '['".into()));
    assert_eq!(err("expert.tag#1"), (10, "expert.tag has no protocol layers to choose from".into()));
    assert_eq!(err("len(ip)#2"), (7, "'#' takes a layer of a field, such as ip.src#2".into()));
}

#[test]
fn a_filter_says_whether_it_reads_findings() {
    for expr in [
        "expert",
        "expert.tag == x",
        "udp && expert.severity >= warn",
        "!(expert.message contains \"x\")",
        "expert.group == Sequence",
    ] {
        assert!(compile(expr).reads_findings(), "{expr}");
    }
    let named = Filter::compile("heartbeat.session_dead", &catalog().with_experts([&DEAD])).unwrap();
    assert!(named.reads_findings());
    for expr in ["", "ip.addr == 1.2.3.4 or heartbeat.uid == 1", "_ws.col.info contains x", "udp.payload[0] == 00"] {
        assert!(!compile(expr).reads_findings(), "{expr}");
    }
}

#[test]
fn keys_lists_what_the_filter_reads() {
    let f = compile("ip.addr == 1.2.3.4 and heartbeat.uid == 1 or ip.src == ip.dst or expert.tag == x or udp");
    assert_eq!(f.keys(), vec!["ip.src", "ip.dst", "heartbeat.uid", "expert.tag", "udp"]);
    assert_eq!(
        compile("heartbeat.status in {dead} && !udp.port").keys(),
        vec!["heartbeat.status", "udp.srcport", "udp.dstport"]
    );
}

#[test]
fn unknown_fields_come_with_suggestions() {
    assert_eq!(
        err("heartbeat.uidd == 5"),
        (0, "unknown field 'heartbeat.uidd'; did you mean heartbeat.uid, heartbeat.time, heartbeat?".into())
    );
    assert_eq!(
        err("udp && ip.srd == 1.2.3.4"),
        (7, "unknown field 'ip.srd'; did you mean ip.src, ip.addr, ip.dst?".into())
    );
    assert_eq!(
        err("udp.prot in {1}"),
        (0, "unknown field 'udp.prot'; did you mean udp.port, udp.srcport, udp?".into())
    );
    assert_eq!(err("heartbaet"), (0, "unknown field 'heartbaet'; did you mean heartbeat?".into()));
    assert_eq!(err("zzzzzzzz"), (0, "unknown field 'zzzzzzzz'".into()));
    assert_eq!(err("5 == udp.srcport"), (0, "expected a field name, found '5'".into()));
    // A key in other letter case, and what the Protocol column shows, get the filter name.
    assert_eq!(
        err("udp && Heartbeat.UID"),
        (7, "unknown field 'Heartbeat.UID'; filter names are lower case: heartbeat.uid".into())
    );
    let shown = catalog().with_shown_names([("SRUN", "heartbeat"), ("UDP", "data")]);
    let e = Filter::compile("srun", &shown).expect_err("srun");
    assert_eq!(
        e.message,
        "unknown field 'srun'; SRUN is what the Protocol column shows for heartbeat datagrams: filter on heartbeat, \
         or on the column itself: _ws.col.protocol == \"SRUN\""
    );
    // A key known in other case wins over a shown name: UDP is the udp layer, not data.
    assert_eq!(
        Filter::compile("UDP", &shown).expect_err("UDP").message,
        "unknown field 'UDP'; filter names are lower case: udp"
    );
    assert_eq!(err("\"udp\""), (0, "expected a field name, found \"udp\"".into()));
    assert_eq!(
        err("expert.groop == Sequence"),
        (0, "unknown field 'expert.groop'; did you mean expert.group, expert.tag, expert?".into())
    );
    // tshark's names for the findings' parts are answered with ours.
    assert_eq!(
        err("_ws.expert.group == Sequence"),
        (0, "unknown field '_ws.expert.group'; tshark's _ws.expert.group is expert.group here".into())
    );
    assert_eq!(err("_ws.expert"), (0, "unknown field '_ws.expert'; tshark's _ws.expert is expert here".into()));
    assert_eq!(
        err("_ws.expert.level"),
        (
            0,
            "unknown field '_ws.expert.level'; the findings' keys are expert, expert.tag, expert.severity, \
             expert.group and expert.message"
                .into()
        )
    );
}

#[test]
fn literals_that_do_not_fit_the_field() {
    let cases: &[(&str, usize, &str)] = &[
        ("udp.srcport == abc", 15, "'abc' is not a number for udp.srcport (unsigned)"),
        ("udp.srcport == 1.5", 15, "'1.5' is not an integer for udp.srcport (unsigned)"),
        ("udp.srcport == 999999999999999999999999999999999999999999", 15, "'999999999999999999999999999999999999999999' is out of range for udp.srcport (unsigned)"),
        ("ip.src == 10.0.0.256", 10, "'10.0.0.256' is not an IPv4 address"),
        ("ip.src == 10.0.0.0/33", 10, "'10.0.0.0/33' is not a CIDR block (prefix length 0 to 32)"),
        ("ipv6.src == 2001:db8:::1", 12, "'2001:db8:::1' is not an IPv6 address"),
        ("ip.src == example.com", 10, "'example.com' is not an IP address (host names are not resolved)"),
        ("eth.src == 00:11", 11, "'00:11' is not a MAC address for eth.src (mac)"),
        ("test.id == 1234", 11, "'1234' is not a UUID for test.id (uuid)"),
        ("test.peer == 10.0.0.1", 13, "'10.0.0.1' is not a socket address (like 10.0.0.1:53) for test.peer (sockaddr)"),
        ("ip.flags.df == maybe", 15, "'maybe' is not a boolean (true, false, 1 or 0) for ip.flags.df (bool)"),
        ("test.ratio > fast", 13, "'fast' is not a number for test.ratio (float)"),
        ("heartbeat.padding == xyz", 21, "'xyz' is not a byte string (like aa:bb:cc) for heartbeat.padding (bytes)"),
        ("heartbeat.padding contains xyz", 27, "'xyz' is not a byte string (like aa:bb:cc) for heartbeat.padding (bytes); quote it to search for text"),
        ("frame.time_epoch > yesterday", 19, "'yesterday' is not a time (seconds since 1970, \"YYYY-MM-DD HH:MM:SS\" or \"Mar  2, 2026 08:01:00\", in UTC) for frame.time_epoch (time)"),
        ("heartbeat.time < 1ms", 17, "'1ms' is not a duration in seconds for heartbeat.time (duration)"),
        ("expert.severity == fatal", 19, "'fatal' is not a severity (note, warn or error)"),
        (
            "expert.group == Sequnce",
            16,
            "'Sequnce' is not an expert group (Checksum, Sequence, Response, Request, Undecoded, Reassemble, \
             Malformed, Debug, Protocol, Security, Comment, Decryption, Assumption, Deprecated)",
        ),
        (
            "expert.group in {Checksum, 33554432}",
            27,
            "'33554432' is not an expert group (Checksum, Sequence, Response, Request, Undecoded, Reassemble, \
             Malformed, Debug, Protocol, Security, Comment, Decryption, Assumption, Deprecated)",
        ),
        ("expert.group == expert.tag", 16, "cannot compare expert.group (group) with expert.tag (string)"),
        ("heartbeat.status < dead", 19, "'dead' is not a number; heartbeat.status (enum) orders by value"),
        ("ip.src > 10.0.0.0/8", 9, "'10.0.0.0/8' is a CIDR block; ordering needs a single address"),
        ("udp.srcport in {1, x}", 19, "'x' is not a number for udp.srcport (unsigned)"),
        ("udp.srcport == ip.src", 15, "cannot compare udp.srcport (unsigned) with ip.src (ip)"),
        ("udp.srcport == \"\\xff\"", 15, "string is not valid UTF-8 here"),
    ];
    for &(expr, pos, message) in cases {
        assert_eq!(err(expr), (pos, message.to_string()), "{expr}");
    }
}

#[test]
fn operators_that_do_not_fit_the_field() {
    let cases: &[(&str, usize, &str)] = &[
        ("udp.srcport contains 5", 12, "'contains' needs a string or bytes field; udp.srcport is unsigned"),
        ("ip.src contains 10.0.0.1", 7, "'contains' needs a string or bytes field; ip.src is ip"),
        ("udp.srcport matches \"5\"", 12, "'matches' needs a string or bytes field; udp.srcport is unsigned"),
        ("heartbeat.status ~ \"dead\"", 17, "'~' needs a string or bytes field; heartbeat.status is enum"),
        ("eth.src < 00:11:22:33:44:55", 8, "'<' does not apply to eth.src (mac): its values have no order"),
        (
            "test.id ge 12345678-9abc-def0-0001-020304050607",
            8,
            "'ge' does not apply to test.id (uuid): its values have no order",
        ),
        (
            "eth.src in {00:11:22:33:44:55..00:11:22:33:44:66}",
            12,
            "a range needs ordered values; eth.src (mac) has none",
        ),
        (
            "expert == 1",
            7,
            "'expert' only tells whether there are findings; compare expert.tag, expert.severity, expert.group or \
             expert.message",
        ),
        (
            "expert in {1}",
            0,
            "'expert' only tells whether there are findings; compare expert.tag, expert.severity, expert.group or \
             expert.message",
        ),
        ("expert.group > Sequence", 13, "'>' does not apply to expert.group (group): its values have no order"),
        ("expert.group in {Checksum..Sequence}", 17, "a range needs ordered values; expert.group (group) has none"),
        ("upper(expert.group) == X", 6, "upper() takes a string field; expert.group (group) is not"),
        ("expert.group + 1 > 2", 13, "'+' takes numbers, times and durations; expert.group (group) is not one"),
    ];
    for &(expr, pos, message) in cases {
        assert_eq!(err(expr), (pos, message.to_string()), "{expr}");
    }
    let (pos, message) = err("test.name matches \"a(\"");
    assert_eq!(pos, 18);
    assert!(message.starts_with("invalid regular expression: "), "{message}");
}

#[test]
fn syntax_errors_with_positions() {
    let cases: &[(&str, usize, &str)] = &[
        ("udp.srcport == ", 15, "expected a value after '=='"),
        ("udp.srcport eq && udp", 15, "expected a value after 'eq'"),
        ("(udp", 0, "unbalanced '('"),
        ("udp)", 3, "unbalanced ')'"),
        ("(udp or ip))", 11, "unbalanced ')'"),
        ("test.name == \"abc", 13, "unterminated string"),
        ("udp.srcport = 1", 12, "unexpected character '='; use '==' to compare"),
        ("udp udp", 4, "expected 'and', 'or' or end of filter, found 'udp'"),
        ("udp.srcport in 53", 15, "expected '{' after 'in', found '53'"),
        ("udp.srcport in {53", 15, "unbalanced '{'"),
        ("udp and", 7, "expected a field name, found end of filter"),
    ];
    for &(expr, pos, message) in cases {
        assert_eq!(err(expr), (pos, message.to_string()), "{expr}");
    }
}

#[test]
fn rendered_error_points_at_the_literal() {
    let expr = "udp && udp.srcport == abc";
    let e: FilterError = Filter::compile(expr, &catalog()).unwrap_err();
    assert_eq!(
        e.render(expr),
        "udp && udp.srcport == abc\n                      ^\n'abc' is not a number for udp.srcport (unsigned)"
    );
}

#[test]
fn nesting_is_bounded() {
    let ok = format!("{}udp{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(on(&reply(), &ok));
    let deep = format!("{}udp{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    assert_eq!(err(&deep), (MAX_NESTING, "filter nested too deeply (more than 64 levels)".into()));
    let nots = format!("{}udp", "!".repeat(MAX_NESTING * 1000));
    assert_eq!(err(&nots).1, "filter nested too deeply (more than 64 levels)");
    // A long flat chain is not nesting.
    let chain = vec!["udp.srcport == 3335"; 20_000].join(" and ");
    assert!(on(&reply(), &chain));
}

/// xorshift64*: a fixed-seed generator, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn garbled_filters_never_panic() {
    const PIECES: &[&str] = &[
        "udp",
        "ip.src",
        "heartbeat",
        "heartbeat.status",
        "heartbeat.padding",
        "frame.time_epoch",
        "expert.severity",
        "expert.group",
        "Sequence",
        "expert",
        "test.name",
        "test.id",
        "eth.src",
        "ipv6.src",
        "test.peer",
        "test.ratio",
        "heartbeat.time",
        "ip.addr",
        "==",
        "!=",
        "===",
        "!==",
        "~=",
        "<",
        "<=",
        ">",
        ">=",
        "eq",
        "contains",
        "matches",
        "~",
        "in",
        "not",
        "and",
        "or",
        "xor",
        "&&",
        "||",
        "^^",
        "!",
        "(",
        ")",
        "{",
        "}",
        ",",
        "..",
        "\"",
        "\"a\\x",
        "\\",
        "r\"",
        "1",
        "-2",
        "0x1f",
        "1.5",
        "10.0.0.0/8",
        "::1",
        "2001:db8::/200",
        "aa:bb",
        "dead",
        "\"(\"",
        "\"[\"",
        "é",
        "\u{0}",
        "=",
        "&",
        "$",
        "[",
        "'",
        "99999999999999999999999999999999999999999",
        "00:11:22:33:44:55",
        "\"2026-02-30\"",
        "/",
        ".",
    ];
    let catalog = catalog();
    let frames = [reply(), icmp_error(), request_v6(), reassembled()];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compiled = 0;
    for round in 0..5000 {
        let mut expr = String::new();
        for _ in 0..1 + rng.next() % 12 {
            if round % 5 == 0 {
                // Raw noise: any character, including multi-byte ones.
                expr.push(char::from_u32((rng.next() % 0x800) as u32).unwrap_or('?'));
            } else {
                expr.push_str(rng.pick(PIECES));
                if rng.next() % 3 != 0 {
                    expr.push(' ');
                }
            }
        }
        match Filter::compile(&expr, &catalog) {
            Ok(f) => {
                compiled += 1;
                for (d, bytes) in &frames {
                    f.matches(d, bytes);
                }
            }
            Err(e) => {
                assert!(e.pos <= expr.len(), "{expr:?}: {e:?}");
                let _ = e.render(&expr);
            }
        }
    }
    assert!(compiled > 50, "the generator should also produce valid filters ({compiled})");
}

/// A regular expression nested deeper than filters may nest (here, repetitions of
/// repetitions) is refused with its position, rather than compiled by recursion deep enough to
/// overflow a thread's stack.
#[test]
fn regular_expressions_nested_too_deep_are_refused() {
    let deep = format!("test.name matches \"r{}1\"", "*".repeat(200));
    let (pos, message) = err(&deep);
    assert_eq!(pos, 18);
    assert!(message.starts_with("invalid regular expression: ") && message.contains("nest"), "{message}");
    // Nesting within the limit still compiles.
    let fine = format!("test.name matches \"{}a{}\"", "(".repeat(30), ")*".repeat(30));
    assert!(Filter::compile(&fine, &catalog()).is_ok());
}

#[test]
fn slices_of_bytes_strings_protocols_and_addresses() {
    let f = reply();
    check(
        &f,
        &[
            ("frame[0:6] == ff:ff:ff:ff:ff:ff", true),
            ("frame[6:3] == 00:11:22", true),
            ("frame[:2] == frame[0:2]", true),
            ("eth.src[0:3] == 00:11:22", true),
            ("eth.src[3-5] == 33:44:55", true),
            ("ip.src[0] == 0x0a", true),
            ("ip.src[0] == 0a", true),
            ("ip.src[-1] == 01", true),
            ("heartbeat[-4:] == de:ad:be:ef", true),
            ("heartbeat[12-15] == de:ad:be:ef", true),
            ("heartbeat[-4--1] == de:ad:be:ef", true),
            ("heartbeat[0,12:2] == fe:de:ad", true),
            ("heartbeat[0,13-14,15] == fe:ad:be:ef", true),
            ("heartbeat.padding[4:] == de:ad:be:ef", true),
            ("test.name[0:4] == \"srun\"", true),
            ("test.name[0:4] == 73:72:75:6e", true),
            ("test.id[0:2] == 12:34", true),
            ("expert.tag[0:9] === \"heartbeat\"", true),
            // Ordering, contains, matches and sets on slices.
            ("frame[0:2] > fe:ff", true),
            ("heartbeat[0:4] contains 0xff", true),
            ("heartbeat[-4:] contains \"\\xbe\"", true),
            ("test.name[5:2] matches \"^h.$\"", true),
            ("heartbeat[0] in {fe, ff}", true),
            ("heartbeat[0] in {00..fd}", false),
        ],
    );
}

#[test]
fn a_slice_outside_the_field_is_absent() {
    let f = reply();
    // The frame is 58 bytes long.
    check(
        &f,
        &[
            ("frame[57]", true),
            ("frame[58]", false),
            ("frame[57:]", true),
            ("frame[58:]", false),
            ("frame[-58:1] == ff", true),
            ("frame[-59:1]", false),
            ("frame[50:9]", false),
            ("frame[100:1] == 00", false),
            ("frame[100:1] != 00", false),
            ("!(frame[100:1] == 00)", true),
            ("frame[0,100] == ff:00", false),
            ("frame[0,57] == ff:ef", true),
        ],
    );
}

#[test]
fn functions_over_every_occurrence() {
    let f = reply();
    check(
        &f,
        &[
            ("len(heartbeat.padding) == 8", true),
            ("len(test.name) == 13", true),
            ("len(udp.srcport) == 2", true),
            ("len(ip.src) == 4", true),
            ("len(frame) == 58", true),
            ("len(heartbeat) == 16", true),
            ("len(expert.tag) == 22", true),
            ("len(frame[2:]) == 56", true),
            ("len(heartbeat.padding) == len(frame[0:8])", true),
            ("len(test.name) in {10..20}", true),
            ("count(ip.src) == 1", true),
            ("count(expert) == 2", true),
            ("count(expert.tag) == count(expert.message)", true),
            ("count(ipv6.src) == 0", false),
            ("upper(test.name) == \"SRUN-HB REPLY\"", true),
            ("lower(_ws.col.protocol) == \"srun\"", true),
            ("upper(expert.tag) contains \"DEAD\"", true),
            ("string(udp.srcport) == \"3335\"", true),
            ("string(ip.src) matches \"^10\\\\.\"", true),
            ("string(eth.src) == \"00:11:22:33:44:55\"", true),
            ("string(test.id) == \"12345678-9abc-def0-0001-020304050607\"", true),
            ("string(heartbeat.uid) == \"-2\"", true),
            ("string(heartbeat.status) == \"1\"", true),
            ("string(test.peer) == \"10.0.0.1:3335\"", true),
            ("abs(heartbeat.uid) == 2", true),
            ("max(udp.srcport, udp.dstport) == 40000", true),
            ("min(udp.srcport, udp.dstport, udp.length) == 24", true),
            ("max(test.ratio) == 0.25", true),
            ("max(heartbeat.uid, udp.srcport) == 3335", true),
            ("min(heartbeat.uid, udp.srcport) == -2", true),
        ],
    );
    let icmp = icmp_error();
    check(
        &icmp,
        &[
            ("count(ip.src) == 2", true),
            ("len(ip.src) == 4", true),
            ("string(ip.src) == \"10.0.0.1\"", true),
            ("string(ip.src) === \"10.0.0.1\"", false),
            ("min(udp.srcport, udp.dstport) == 53", true),
        ],
    );
}

#[test]
fn bitwise_and_masks_integers_and_slices() {
    check(
        &reply(),
        &[
            ("udp.srcport & 0x1", true),
            ("udp.srcport bitwise_and 1", true),
            ("udp.dstport & 0x1", false),
            ("udp.srcport & 0xff == 0x07", true),
            ("udp.srcport & 0xff00 == 0x0d00", true),
            ("heartbeat.status & 1", true),
            ("ip.flags.df & 1", true),
            ("frame[0:2] & ff:0f == ff:0f", true),
            ("heartbeat[-4:] & ff:00:00:00 == de:00:00:00", true),
            ("frame[0] & 0x0f", true),
            ("heartbeat[8:4] & ff:ff:ff:ff", false),
            // A mask of another length than the slice gives nothing to compare.
            ("frame[0:2] & ff", false),
            ("!(frame[0:2] & ff == ff)", true),
        ],
    );
}

#[test]
fn slice_function_and_mask_errors() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "udp.srcport[0] == 00",
            11,
            "udp.srcport (unsigned) cannot be sliced: slices take bytes, strings, protocols and addresses",
        ),
        ("len(heartbeat.uid, frame) > 1", 0, "len() takes one argument, not 2"),
        ("upper(udp.srcport) == \"x\"", 6, "upper() takes a string field; udp.srcport (unsigned) is not"),
        ("string(test.name) == \"x\"", 7, "string() takes a number or an address; test.name (string) is not"),
        (
            "string(frame.time_epoch) == \"x\"",
            7,
            "string() takes a number or an address; frame.time_epoch (time) is not",
        ),
        ("abs(test.name) > 1", 4, "abs() takes a number or a duration; test.name (string) is not"),
        (
            "max(udp.srcport, ip.src) > 1",
            17,
            "max() takes numbers of one kind; ip.src (ip) does not go with udp.srcport (unsigned)",
        ),
        ("len(frame)", 0, "len() gives a value, not a test: compare it, as in len(...) > 0"),
        ("len(expert) > 0", 4, "len() takes a field with a value; expert (none) is not"),
        ("ip.src & 1", 7, "'&' needs an integer field or a slice; ip.src (ip) is neither"),
        ("udp.srcport & zz", 14, "'zz' is not an integer mask for udp.srcport (unsigned)"),
        ("frame[0:2] & zz", 13, "'zz' is not a byte-string mask (like 40:ff) for frame[0:2] (bytes)"),
        ("len(frame) == \"x\"", 14, "'x' is not a number for len(frame) (unsigned)"),
        ("frame[0] matches frame[1]", 17, "'matches' takes a quoted regular expression"),
        ("frame[0] == udp.srcport", 12, "cannot compare frame[0] (bytes) with udp.srcport (unsigned)"),
        ("frame[0] == len(frame)", 12, "cannot compare frame[0] (bytes) with len(frame) (unsigned)"),
        ("frame[0] == 0x100", 12, "'0x100' is not a byte string (like aa:bb:cc) for frame[0] (bytes)"),
        ("count(expert) < expert", 16, "'expert' is not a number for count(expert) (unsigned)"),
    ];
    for &(expr, pos, message) in cases {
        assert_eq!(err(expr), (pos, message.to_string()), "{expr}");
    }
    let (_, message) = err("len(udp.srcprt) > 1");
    assert!(message.starts_with("unknown field 'udp.srcprt'; did you mean udp.srcport"), "{message}");
}

#[test]
fn keys_read_inside_functions_and_slices() {
    let f = compile("max(udp.srcport, udp.dstport) > 1 && frame[0] == ff && len(heartbeat.padding) == 8");
    assert_eq!(f.keys(), ["udp.srcport", "udp.dstport", "frame", "heartbeat.padding"]);
}

#[test]
fn udp_payload_is_the_datagram_after_its_header() {
    let f = reply();
    check(
        &f,
        &[
            ("udp.payload", true),
            ("len(udp.payload) == 16", true),
            ("udp.payload[0:4] == fe:ff:ff:ff", true),
            ("udp.payload[-4:] == de:ad:be:ef", true),
            ("udp.payload contains de:ad", true),
            ("udp.payload[0] == heartbeat[0:1]", true),
        ],
    );
    // No udp.length: the rest of the frame (eight bytes here); ICMP's quoted ports make no payload.
    assert!(on(&request_v6(), "len(udp.payload) == 8"));
    assert!(on(&icmp_error(), "count(udp.payload) == 1 && len(udp.payload) == 0"));
    assert!(!on(&reassembled(), "udp.payload"));
    assert_eq!(compile("udp.payload[0] == 00").keys(), ["udp", "udp.length"]);
}

#[test]
fn arithmetic_on_numbers_fields_and_functions() {
    check(
        &reply(),
        &[
            ("udp.dstport >= udp.srcport + 1", true),
            ("udp.srcport + 1 == 3336", true),
            ("udp.srcport - 1 == 3334", true),
            ("udp.srcport -1 == 3334", true),
            ("udp.length * 2 == 48", true),
            ("udp.dstport / 100 == 400", true),
            ("udp.dstport % 7 == 2", true),
            ("4 * {udp.srcport + 3} == 13352", true),
            ("frame.len - udp.length == 34", true),
            ("len(udp.payload) + 8 == udp.length", true),
            ("max(udp.srcport, udp.dstport) - min(udp.srcport, udp.dstport) == 36665", true),
            ("udp.srcport & 0xff + 1 == 8", true),
            ("heartbeat.uid * -1 == 2", true),
            ("test.ratio * 4 == 1.0", true),
            ("heartbeat.time + 0.5 > 0.5", true),
            ("heartbeat.time - 0.002 < 0", true),
            ("udp.srcport / 0 == 1", false),
            ("!(udp.srcport / 0 == 1)", true),
            ("ipv6.src", false),
        ],
    );
    // Repeated fields: every pair of occurrences.
    check(&icmp_error(), &[("udp.srcport - udp.dstport == 5300", true), ("udp.dstport + 1 == 54", true)]);
}

#[test]
fn arithmetic_errors() {
    let cases: &[(&str, usize, &str)] = &[
        ("1 + 2 == 3", 2, "'+' needs a field on one side at least"),
        ("ip.src + 1 == 1", 7, "'+' takes numbers, times and durations; ip.src (ip) is not one"),
        ("udp.srcport + test.ratio > 1", 12, "cannot + udp.srcport (unsigned) and test.ratio (float)"),
        ("udp.srcport + x == 1", 14, "'x' is not a number to + udp.srcport (unsigned)"),
        ("heartbeat.time * 2 > 0", 15, "'*' takes plain numbers; heartbeat.time (duration) is a time"),
        ("udp.srcport + 1", 0, "udp.srcport + 1 is a value, not a test: compare it, as in udp.srcport + 1 > 0"),
        ("udp.srcport + 1 == ip.src", 19, "cannot compare udp.srcport + 1 (signed) with ip.src (ip)"),
    ];
    for &(expr, pos, message) in cases {
        assert_eq!(err(expr), (pos, message.to_string()), "{expr}");
    }
    let (_, message) = err("udp.srcprt + 1 == 2");
    assert!(message.starts_with("unknown field 'udp.srcprt'"), "{message}");
}
