//! Fields and columns for everything below UDP (frame, link, VLAN, IP, UDP, and the
//! non-UDP frames' protocol and info), built from the capture layer's decode.

use crate::pipeline::Times;
use std::fmt::Write;
use std::net::{IpAddr, SocketAddr};
use udpdissect_capture::{
    linktype, CaptureInfo, Decoded, FragmentInfo, Frame, Icmp, Link, Net, Transport, Udp, UdpHeader, Vlan,
};
use udpdissect_core::lru::LruMap;
use udpdissect_core::{
    digits, Dissection, Engine, ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, ProtocolInfo, Severity, Value,
    UDP_STREAM, UDP_TIME_DELTA, UDP_TIME_RELATIVE,
};

macro_rules! fields {
    ($($id:ident = $key:literal, $name:literal, $kind:ident, $desc:literal $(, hex_width $w:literal)?;)*) => {
        $(pub static $id: FieldInfo = FieldInfo::new($key, $name, K::$kind, $desc)$(.hex_width($w))?;)*
        /// Every lower-layer field, for `--list-fields`; with the UDP conversation's, which the
        /// engine fills in.
        pub static ALL: &[&FieldInfo] = &[$(&$id,)* &UDP_STREAM, &UDP_TIME_RELATIVE, &UDP_TIME_DELTA];
    };
}

fields! {
    PKT_COMMENT = "pkt_comment", "Packet comments", None, "the pcapng packet block's comments, before the frame, as in tshark";
    FRAME_COMMENT = "frame.comment", "Comment", String, "one pcapng packet comment (opt_comment), as tshark names it";
    FRAME = "frame", "Frame", None, "the captured record";
    FRAME_NUMBER = "frame.number", "Frame Number", Unsigned, "1-based record number, as in Wireshark";
    FRAME_DATE = "frame.time", "Arrival Time", Date, "capture time as a date in the local time zone, as tshark prints it (JSON: ISO 8601 in UTC)";
    FRAME_TIME = "frame.time_epoch", "Epoch Arrival Time", Time, "capture time, seconds since 1970 (UTC)";
    FRAME_TIME_DELTA = "frame.time_delta", "Time delta from previous captured frame", Duration, "capture time since the previous frame";
    FRAME_TIME_DELTA_SHOWN = "frame.time_delta_displayed", "Time delta from previous displayed frame", Duration, "capture time since the previous frame the display filter kept (-Y)";
    FRAME_TIME_REL = "frame.time_relative", "Time since first frame", Duration, "capture time relative to the first frame";
    FRAME_LEN = "frame.len", "Frame Length", Unsigned, "bytes on the wire";
    FRAME_CAP_LEN = "frame.cap_len", "Capture Length", Unsigned, "bytes captured";
    FRAME_SECTION = "frame.section_number", "Section number", Unsigned, "the pcapng section, from 1 (none in a pcap file)";
    FRAME_IFACE = "frame.interface_id", "Interface id", Unsigned, "the capture interface's id within its pcapng section (none in a pcap file)";
    FRAME_IFACE_NAME = "frame.interface_name", "Interface name", String, "the pcapng interface's name (if_name), or unknown";
    FRAME_IFACE_DESCRIPTION = "frame.interface_description", "Interface description", String, "the pcapng interface's description (if_description), when its description block gives one";
    FRAME_QUEUE = "frame.interface_queue", "Interface queue", Unsigned, "the interface queue the packet was received on (pcapng epb_queue)";
    FRAME_FLAGS = "frame.packet_flags", "Packet flags", Hex, "the pcapng packet block's flags word (epb_flags)", hex_width 4;
    FRAME_FLAGS_DIRECTION = "frame.packet_flags_direction", "Direction", HexEnum, "bits 0-1 of epb_flags: 1 inbound, 2 outbound, 0 not known", hex_width 4;
    FRAME_FLAGS_RECEPTION = "frame.packet_flags_reception_type", "Reception type", Enum, "bits 2-4 of epb_flags: 1 unicast, 2 multicast, 3 broadcast, 4 promiscuous, 0 not specified";
    FRAME_FLAGS_FCS = "frame.packet_flags_fcs_length", "FCS length", Unsigned, "bits 5-8 of epb_flags: bytes of frame check sequence at the end of the frame";
    FRAME_FLAGS_RESERVED = "frame.packet_flags_reserved", "Reserved", Unsigned, "bits 9-15 of epb_flags";
    FRAME_FLAGS_CRC = "frame.packet_flags_crc_error", "CRC error", Bool, "epb_flags bit 24: the link layer saw a CRC error";
    FRAME_FLAGS_LONG = "frame.packet_flags_packet_too_error", "Packet too long error", Bool, "epb_flags bit 25 (tshark's key)";
    FRAME_FLAGS_SHORT = "frame.packet_flags_packet_too_short_error", "Packet too short error", Bool, "epb_flags bit 26";
    FRAME_FLAGS_GAP = "frame.packet_flags_wrong_inter_frame_gap_error", "Wrong interframe gap error", Bool, "epb_flags bit 27";
    FRAME_FLAGS_UNALIGNED = "frame.packet_flags_unaligned_frame_error", "Unaligned frame error", Bool, "epb_flags bit 28";
    FRAME_FLAGS_SFD = "frame.packet_flags_start_frame_delimiter_error", "Start frame delimiter error", Bool, "epb_flags bit 29";
    FRAME_FLAGS_PREAMBLE = "frame.packet_flags_preamble_error", "Preamble error", Bool, "epb_flags bit 30";
    FRAME_FLAGS_SYMBOL = "frame.packet_flags_symbol_error", "Symbol error", Bool, "epb_flags bit 31";
    FRAME_PACKET_ID = "frame.packet_id", "Packet id", Unsigned, "the pcapng packet block's id (epb_packetid), shared by the copies of a packet captured at several points";
    FRAME_LINK = "frame.link_type", "Link type", Enum, "LINKTYPE_ number of the interface";
    FRAME_DROP_COUNT = "frame.drop_count", "Drop Count", Unsigned, "packets the capture lost on this interface between the one before and this one (pcapng epb_dropcount)";
    FRAME_P2P_DIR = "frame.p2p_dir", "Point-to-Point Direction", Enum, "the direction flag of epb_flags as tshark gives it: 1 received, 0 sent";
    FRAME_PROTOCOLS = "frame.protocols", "Protocols in frame", String, "the frame's layers, outermost first, in tshark's form: eth:ethertype:ip:udp:overte";
    ETH = "eth", "Ethernet II", None, "Ethernet header";
    ETH_DST = "eth.dst", "Destination", Mac, "destination MAC";
    ETH_SRC = "eth.src", "Source", Mac, "source MAC";
    ETH_TYPE = "eth.type", "Type", HexEnum, "the type field after the addresses: a tagged frame's first TPID (0x8100), as in tshark";
    VLAN = "vlan", "802.1Q Virtual LAN", None, "VLAN tag";
    VLAN_TPID = "vlan.tpid", "Tag protocol", Hex, "0x8100 (802.1Q) or 0x88a8/0x9100 (QinQ)";
    VLAN_PRIORITY = "vlan.priority", "Priority", Unsigned, "PCP bits";
    VLAN_DEI = "vlan.dei", "DEI", Bool, "drop eligible indicator";
    VLAN_ID = "vlan.id", "ID", Unsigned, "VLAN identifier";
    VLAN_ETYPE = "vlan.etype", "Type", HexEnum, "the EtherType after this tag";
    IEEE8021AD = "ieee8021ad", "IEEE 802.1ad", None, "an 802.1ad service tag (TPID 0x88a8)";
    IEEE8021AD_PRIORITY = "ieee8021ad.priority", "Priority", Unsigned, "PCP bits";
    IEEE8021AD_DEI = "ieee8021ad.dei", "DEI", Unsigned, "drop eligible indicator";
    IEEE8021AD_ID = "ieee8021ad.id", "ID", Unsigned, "service VLAN identifier";
    IEEE8021AD_ETYPE = "ieee8021ah.etype", "Type", HexEnum, "the EtherType after an 802.1ad tag (tshark's key for it)";
    SLL = "sll", "Linux cooked capture", None, "Linux SLL / SLL2 header";
    SLL_VERSION = "sll.version", "Version", Unsigned, "1 (16-byte header) or 2 (20-byte header)";
    SLL_PKTTYPE = "sll.pkttype", "Packet type", Enum, "0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us";
    SLL_HATYPE = "sll.hatype", "Link-layer address type", Unsigned, "ARPHRD_ value";
    SLL_HALEN = "sll.halen", "Link-layer address length", Unsigned, "bytes of the address that are valid";
    SLL_SRC_ETH = "sll.src.eth", "Source", Mac, "link-layer source address of 6 bytes (sll.halen 6)";
    SLL_SRC_IPV4 = "sll.src.ipv4", "Source", Ip, "link-layer source address of 4 bytes (sll.halen 4)";
    SLL_SRC_OTHER = "sll.src.other", "Source", Bytes, "link-layer source address of another length (up to 8 bytes)";
    SLL_UNUSED = "sll.unused", "Unused", Bytes, "the address field's bytes after the address";
    SLL_ETYPE = "sll.etype", "Protocol", HexEnum, "EtherType";
    SLL_IFINDEX = "sll.ifindex", "Interface index", Unsigned, "SLL2 only";
    NULL = "null", "Null/Loopback", None, "BSD loopback header";
    NULL_FAMILY = "null.family", "Family", Unsigned, "address family (2 IPv4; 24, 28, 30 IPv6)";
    IP = "ip", "Internet Protocol Version 4", None, "IPv4 header";
    IP_VERSION = "ip.version", "Version", Unsigned, "4; in -e and -Y it also stands for each IPv6 header's version, as tshark's hidden copy does";
    IP_HDR_LEN = "ip.hdr_len", "Header Length", Unsigned, "bytes";
    IP_DSFIELD = "ip.dsfield", "Differentiated Services Field", Hex, "the DS byte (formerly type of service)";
    IP_DSCP = "ip.dsfield.dscp", "Differentiated Services Codepoint", Unsigned, "top six bits of the DS field (46 EF, 0 default)";
    IP_ECN = "ip.dsfield.ecn", "Explicit Congestion Notification", Unsigned, "low two bits (0 not ECN-capable, 3 congestion experienced)";
    IP_LEN = "ip.len", "Total Length", Unsigned, "header and payload";
    IP_ID = "ip.id", "Identification", Hex, "datagram id (fragments share it)";
    IP_FLAGS = "ip.flags", "Flags", Hex, "the three flag bits (0x2 don't fragment, 0x1 more fragments)";
    IP_RB = "ip.flags.rb", "Reserved bit", Bool, "must be zero";
    IP_DF = "ip.flags.df", "Don't fragment", Bool, "DF flag";
    IP_MF = "ip.flags.mf", "More fragments", Bool, "MF flag";
    IP_FRAG_OFFSET = "ip.frag_offset", "Fragment Offset", Unsigned, "in units of 8 bytes, as on the wire and in tshark (the info column gives bytes)";
    IP_TTL = "ip.ttl", "Time to Live", Unsigned, "hops left";
    IP_PROTO = "ip.proto", "Protocol", Enum, "upper-layer protocol number";
    IP_CHECKSUM = "ip.checksum", "Header Checksum", Hex, "as on the wire (not verified)";
    IP_CHECKSUM_STATUS = "ip.checksum.status", "Header checksum status", Enum, "2 unverified (as tshark by default)";
    IP_SRC = "ip.src", "Source Address", Ip, "IPv4 source";
    IP_DST = "ip.dst", "Destination Address", Ip, "IPv4 destination";
    IPV6 = "ipv6", "Internet Protocol Version 6", None, "IPv6 header";
    IPV6_VERSION = "ipv6.version", "Version", Unsigned, "6";
    IPV6_TCLASS = "ipv6.tclass", "Traffic Class", Hex, "the traffic class byte, shown in the header's first word as tshark does";
    IPV6_DSCP = "ipv6.tclass.dscp", "Differentiated Services Codepoint", Unsigned, "top six bits of the traffic class";
    IPV6_ECN = "ipv6.tclass.ecn", "Explicit Congestion Notification", Unsigned, "low two bits of the traffic class";
    IPV6_PLEN = "ipv6.plen", "Payload Length", Unsigned, "bytes after the fixed header";
    IPV6_NXT = "ipv6.nxt", "Next Header", Enum, "the fixed header's next header: the first extension header's type (44 fragment) or the upper-layer protocol";
    IPV6_HLIM = "ipv6.hlim", "Hop Limit", Unsigned, "hops left";
    IPV6_FLOW = "ipv6.flow", "Flow Label", Hex, "20-bit flow label";
    IPV6_SRC = "ipv6.src", "Source Address", Ip, "IPv6 source";
    IPV6_DST = "ipv6.dst", "Destination Address", Ip, "IPv6 destination";
    IPV6_FRAGHDR = "ipv6.fraghdr", "Fragment Header for IPv6", None, "the fragment extension header";
    IPV6_FRAG_NXT = "ipv6.fraghdr.nxt", "Next header", Enum, "the protocol of the fragmented payload";
    IPV6_FRAG_RES_OCTET = "ipv6.fraghdr.reserved_octet", "Reserved octet", Hex, "must be zero";
    IPV6_FRAG_OFFSET = "ipv6.fraghdr.offset", "Offset", Unsigned, "in units of 8 bytes, as on the wire and in tshark";
    IPV6_FRAG_RES_BITS = "ipv6.fraghdr.reserved_bits", "Reserved bits", Unsigned, "must be zero";
    IPV6_FRAG_MORE = "ipv6.fraghdr.more", "More Fragments", Bool, "more fragments follow";
    IPV6_FRAG_ID = "ipv6.fraghdr.ident", "Identification", Hex, "the datagram's identification (its fragments share it)";
    FRAGMENTS = "ip.fragments", "IPv4 Fragments", None, "the fragments a reassembled IPv4 datagram came from, in offset order";
    FRAGMENT = "ip.fragment", "Frame", Frame, "frame of one fragment";
    FRAGMENT_COUNT = "ip.fragment.count", "Fragment count", Unsigned, "fragments in the reassembled datagram";
    REASSEMBLED_LEN = "ip.reassembled.length", "Reassembled IPv4 length", Unsigned, "bytes of the reassembled IP payload";
    IPV6_FRAGMENTS = "ipv6.fragments", "IPv6 Fragments", None, "the fragments a reassembled IPv6 datagram came from, in offset order";
    IPV6_FRAGMENT = "ipv6.fragment", "Frame", Frame, "frame of one fragment";
    IPV6_FRAGMENT_COUNT = "ipv6.fragment.count", "Fragment count", Unsigned, "fragments in the reassembled datagram";
    IPV6_REASSEMBLED_LEN = "ipv6.reassembled.length", "Reassembled IPv6 length", Unsigned, "bytes of the reassembled payload after the fragment header";
    UDP = "udp", "User Datagram Protocol", None, "UDP header";
    UDP_SRCPORT = "udp.srcport", "Source Port", Unsigned, "UDP source port";
    UDP_DSTPORT = "udp.dstport", "Destination Port", Unsigned, "UDP destination port";
    UDP_LENGTH = "udp.length", "Length", Unsigned, "header and payload, from the header";
    UDP_CHECKSUM = "udp.checksum", "Checksum", Hex, "as on the wire (not verified)";
    UDP_CHECKSUM_STATUS = "udp.checksum.status", "Checksum Status", Enum, "2 unverified, 3 not present (zero over IPv4 or quoted), 4 illegal (zero over IPv6)";
    TCP = "tcp", "Transmission Control Protocol", None, "TCP header";
    TCP_SRCPORT = "tcp.srcport", "Source Port", Unsigned, "TCP source port";
    TCP_DSTPORT = "tcp.dstport", "Destination Port", Unsigned, "TCP destination port";
    TCP_SEQ = "tcp.seq_raw", "Sequence Number (raw)", Unsigned, "as on the wire";
    TCP_ACK = "tcp.ack_raw", "Acknowledgment Number (raw)", Unsigned, "as on the wire";
    TCP_FLAGS = "tcp.flags", "Flags", Hex, "flag bits";
    TCP_LEN = "tcp.len", "TCP Segment Len", Unsigned, "payload bytes";
    ARP = "arp", "Address Resolution Protocol", None, "ARP message (IPv4 over Ethernet decoded)";
    ARP_OPCODE = "arp.opcode", "Opcode", Enum, "1 request, 2 reply";
    ARP_SRC_HW = "arp.src.hw_mac", "Sender MAC address", Mac, "sender hardware address";
    ARP_SRC_IP = "arp.src.proto_ipv4", "Sender IP address", Ip, "sender protocol address";
    ARP_DST_HW = "arp.dst.hw_mac", "Target MAC address", Mac, "target hardware address";
    ARP_DST_IP = "arp.dst.proto_ipv4", "Target IP address", Ip, "target protocol address";
    ICMP = "icmp", "Internet Control Message Protocol", None, "ICMP message (an error's quoted IP and UDP headers inside)";
    ICMP_TYPE = "icmp.type", "Type", Enum, "message type";
    ICMP_CODE = "icmp.code", "Code", Enum, "message code (its name depends on the type)";
    ICMP_CHECKSUM = "icmp.checksum", "Checksum", Hex, "as on the wire";
    ICMP_CHECKSUM_STATUS = "icmp.checksum.status", "Checksum Status", Enum, "0 bad, 1 good, 2 unverified (message not captured whole)";
    ICMP_IDENT = "icmp.ident", "Identifier", Unsigned, "echo identifier (big-endian)";
    ICMP_SEQ = "icmp.seq", "Sequence Number", Unsigned, "echo sequence number (big-endian)";
    ICMP_MTU = "icmp.mtu", "MTU of next hop", Unsigned, "fragmentation needed (type 3, code 4)";
    ICMP_RESP_TO = "icmp.resp_to", "Request frame", Frame, "an echo reply's request, seen earlier in the capture";
    ICMP_RESPTIME = "icmp.resptime", "Response time", Float, "milliseconds from an echo reply's request to it";
    ICMPV6 = "icmpv6", "Internet Control Message Protocol v6", None, "ICMPv6 message (an error's quoted IPv6 and UDP headers inside)";
    ICMPV6_TYPE = "icmpv6.type", "Type", Enum, "message type";
    ICMPV6_CODE = "icmpv6.code", "Code", Enum, "message code (its name depends on the type)";
    ICMPV6_CHECKSUM = "icmpv6.checksum", "Checksum", Hex, "as on the wire";
    ICMPV6_CHECKSUM_STATUS = "icmpv6.checksum.status", "Checksum Status", Enum, "0 bad, 1 good, 2 unverified (message not captured whole)";
    ICMPV6_MTU = "icmpv6.mtu", "MTU", Unsigned, "packet too big (type 2)";
    ICMPV6_ECHO_ID = "icmpv6.echo.identifier", "Identifier", Hex, "echo identifier";
    ICMPV6_ECHO_SEQ = "icmpv6.echo.sequence_number", "Sequence", Unsigned, "echo sequence number";
    ICMPV6_RESP_TO = "icmpv6.resp_to", "Response To", Frame, "an echo reply's request, seen earlier in the capture";
    ICMPV6_RESPTIME = "icmpv6.resptime", "Response Time", Float, "milliseconds from an echo reply's request to it";
}

/// Whether every key names a field of these layers or a column read off them (none of a
/// protocol's, not the protocol or info column, no finding): a run that reads only those need
/// not dissect the protocols.
pub fn only_layer_keys<'k>(mut keys: impl Iterator<Item = &'k str>) -> bool {
    // frame.protocols ends with the protocol that dissected the datagram.
    keys.all(|k| k != FRAME_PROTOCOLS.key && (ALL.iter().any(|f| f.key == k) || crate::render::is_layer_column(k)))
}

/// Fills in the frame fields known only after the frame was dissected and before it is
/// filtered: `frame.protocols` and `frame.time_delta_displayed` (`delta_shown`, from the
/// previous frame the filter kept). They sit in the frame's subtree, the tree's first fields.
pub fn fill_frame_fields(frame: &Frame, decoded: &Decoded, delta_shown: i64, out: &mut Dissection) {
    // Field columns that read neither (most) spare the search.
    if !out.wants(&FRAME_PROTOCOLS) && !out.wants(&FRAME_TIME_DELTA_SHOWN) {
        return;
    }
    let (mut protocols, mut shown) = (None, None);
    let fields = out.fields().iter().enumerate();
    // After the packet comments, if any (their keys start with "frame" too).
    let fields = fields.skip_while(|(_, f)| std::ptr::eq(f.info, &PKT_COMMENT) || std::ptr::eq(f.info, &FRAME_COMMENT));
    for (id, f) in fields.take_while(|(_, f)| f.info.key.starts_with("frame")) {
        if std::ptr::eq(f.info, &FRAME_PROTOCOLS) {
            protocols = Some(id);
        } else if std::ptr::eq(f.info, &FRAME_TIME_DELTA_SHOWN) {
            shown = Some(id);
        }
    }
    if let Some(id) = shown {
        out.set_value(id, Value::Duration(delta_shown));
    }
    if let Some(id) = protocols {
        let chain = protocol_chain(frame, decoded, out.protocol_name);
        out.set_value(id, Value::String(chain.into()));
    }
}

/// The frame's layers as tshark's `frame.protocols` names them (`eth:ethertype:ip:udp:data`),
/// with the protocol that dissected a UDP datagram (`app`, a [`ProtocolInfo::name`]) where
/// tshark says `data`. Where tshark would name a protocol not decoded here, this says `data`.
pub fn protocol_chain(frame: &Frame, decoded: &Decoded, app: &str) -> String {
    let mut chain: Vec<&str> = Vec::with_capacity(10);
    let len = frame.data.len();
    match decoded.link {
        Link::Ethernet(_) => {
            chain.push("eth");
            if len >= 14 {
                chain.push("ethertype");
            }
            for v in decoded.vlans.iter().flatten() {
                chain.extend([if v.is_8021ad() { "ieee8021ad" } else { "vlan" }, "ethertype"]);
            }
        }
        Link::Sll(_) => chain.extend(["sll", "ethertype"]),
        Link::Loopback { .. } => chain.push("null"),
        Link::Raw if matches!(frame.link_type, linktype::IPV4 | linktype::IPV6) => {}
        Link::Raw => chain.push("raw"),
        Link::Unknown(_) => {}
    }
    match decoded.net {
        Net::Ipv4(_) | Net::Cut { version: 4, .. } => chain.push("ip"),
        Net::Ipv6(ip) => {
            chain.push("ipv6");
            if ip.fragment.is_some() {
                chain.push("ipv6.fraghdr");
            }
        }
        Net::Cut { .. } => chain.push("ipv6"),
        Net::Arp => chain.push("arp"),
        Net::Other(_) => chain.push("data"),
        Net::None if matches!(decoded.link, Link::Unknown(_)) && len > 0 => chain.push("data"),
        Net::None => {}
    }
    match decoded.transport {
        Transport::Udp(udp) => {
            chain.push("udp");
            if !udp.payload.bytes().is_empty() {
                chain.push(if app.is_empty() { "data" } else { app });
            }
        }
        Transport::Tcp(tcp) => {
            chain.push("tcp");
            if tcp.payload_len > 0 {
                chain.push("data");
            }
        }
        Transport::Icmp(icmp) => {
            chain.push(if icmp.v6 { "icmpv6" } else { "icmp" });
            match icmp.quoted(frame.data) {
                Some(q) => {
                    chain.push(if matches!(q.net, Net::Ipv6(_)) { "ipv6" } else { "ip" });
                    let end = icmp.header_offset + icmp.len;
                    match q.udp {
                        Some(u) => {
                            chain.push("udp");
                            if end > u.header_offset + 8 {
                                chain.push("data");
                            }
                        }
                        None if matches!(q.upper, Some((6, _))) => chain.push("tcp"),
                        None => {}
                    }
                }
                None if icmp.len > 8 => chain.push("data"),
                None => {}
            }
        }
        Transport::Fragment | Transport::Other(_) => chain.push("data"),
        Transport::None => {}
    }
    chain.join(":")
}

/// The pseudo-protocol `--list-protocols` shows for these layers.
pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "frame",
    column: "",
    columns: &[],
    long_name: "Frame, link, VLAN, IPv4/IPv6, UDP, TCP and ICMP headers",
    ports: &[],
    heuristic: false,
    fields: ALL,
    experts: &[
        &CUT_SHORT,
        &CAPTURE_LOSS,
        &DEFRAG_DROPPED,
        &ICMP_CHECKSUM_BAD,
        &ICMP_PORT_UNREACHABLE,
        &ICMP_TOO_BIG,
        &ICMP_TIME_EXCEEDED,
        &ICMP_UNREACHABLE,
        &UDP_CHECKSUM_ZERO,
        &udpdissect_core::CONVERSATIONS_FULL,
        &udpdissect_core::TOO_MANY_FIELDS,
    ],
    prefs: &[],
    volatile: &[],
};

pub static DEFRAG_DROPPED: ExpertInfo = ExpertInfo::new(
    "ip.defrag_dropped",
    Severity::Note,
    ExpertGroup::Reassemble,
    "incomplete IP datagrams were dropped by the bounded reassembly (reported at the end of the capture)",
);

pub static ICMP_CHECKSUM_BAD: ExpertInfo = ExpertInfo::new(
    "icmp.checksum_bad",
    Severity::Warn,
    ExpertGroup::Checksum,
    "an ICMP or ICMPv6 checksum does not match the message: the receiver drops it",
);

// Undecoded, not Malformed: tshark does not call a frame the snapshot length cut malformed
// (the rest is simply not there to decode).
pub static CUT_SHORT: ExpertInfo = ExpertInfo::new(
    "frame.cut_short",
    Severity::Note,
    ExpertGroup::Undecoded,
    "the frame was cut by the snapshot length (or is damaged); it decodes as far as its bytes go",
);

pub static CAPTURE_LOSS: ExpertInfo = ExpertInfo::new(
    "frame.capture_loss",
    Severity::Warn,
    ExpertGroup::Sequence,
    "the capture itself lost packets (a pcapng drop count, or an interface's statistics): a gap in a sequence there may be the capture's, not the peer's",
);

/// The finding for a packet block that counts packets the capture lost just before it; returns
/// that count (0 without one). A test inlined on every frame; only a pcapng packet block's
/// options are read.
#[inline]
fn note_capture_loss(frame: &Frame, out: &mut Dissection) -> u64 {
    if frame.options.bytes.is_empty() {
        0
    } else {
        note_drop_count(frame, out)
    }
}

#[cold]
fn note_drop_count(frame: &Frame, out: &mut Dissection) -> u64 {
    let n = frame.options.drop_count().unwrap_or(0);
    if n != 0 {
        out.expert(
            &CAPTURE_LOSS,
            format!(
                "the capture lost {n} packet{} on this interface just before this one (epb_dropcount): a gap in a \
                 sequence here is the capture's, not necessarily the peer's",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    n
}

/// The findings that datagrams lost by the capture would raise too ([`ExpertInfo::missing`]),
/// counted by interface and tag over the run: an interface's statistics say how many packets
/// it lost, not where, and its end-of-capture finding names these.
#[derive(Debug, Default)]
pub struct Explicable(Vec<(u32, &'static str, u64)>);

impl Explicable {
    /// Counts a frame's findings.
    #[inline]
    pub fn count(&mut self, frame: &Frame, out: &Dissection) {
        if !out.experts().is_empty() {
            self.count_each(frame.interface, out);
        }
    }

    /// Counts the end-of-capture findings, on the interface of a capture that has one. With
    /// several, the loss of which one a finding at the end may be is not known, and they stay
    /// uncounted (their own messages count the loss in all).
    pub fn count_at_end(&mut self, interfaces: usize, out: &Dissection) {
        if interfaces == 1 {
            self.count_each(0, out);
        }
    }

    #[cold]
    fn count_each(&mut self, interface: u32, out: &Dissection) {
        for e in out.experts().iter().filter(|e| e.info.missing.is_some()) {
            match self.0.iter_mut().find(|(i, tag, _)| *i == interface && *tag == e.tag()) {
                Some((_, _, n)) => *n += 1,
                None => self.0.push((interface, e.tag(), 1)),
            }
        }
    }

    /// The counts on one interface (capture-wide index), as `tag ×n` in the order first seen.
    fn on(&self, interface: usize) -> Vec<String> {
        self.0.iter().filter(|(i, _, _)| *i as usize == interface).map(|(_, tag, n)| format!("{tag} ×{n}")).collect()
    }
}

/// The end-of-capture findings for interfaces whose last statistics count packets lost, with
/// the findings on each that the loss may explain.
pub fn note_interface_losses(info: &CaptureInfo, explicable: &Explicable, out: &mut Dissection) {
    for (at, iface) in info.interfaces.iter().enumerate() {
        let Some(stats) = iface.statistics else { continue };
        let Some(lost @ 1..) = stats.lost() else { continue };
        let mut s = format!(
            "interface {} (section {}, id {}): the capture lost {lost} packet{}",
            iface.name.as_deref().unwrap_or("unknown"),
            iface.section,
            iface.id,
            if lost == 1 { "" } else { "s" }
        );
        let parts = [("by the interface", stats.dropped), ("by the OS", stats.os_dropped)];
        let parts: Vec<String> = parts.iter().filter_map(|(by, n)| n.map(|n| format!("{n} {by}"))).collect();
        s.push_str(&format!(" ({})", parts.join(", ")));
        if let Some(received) = stats.received {
            s.push_str(&format!(" of {received} received"));
        }
        s.push_str(" (its Interface Statistics Block): gaps in sequences on it may be the capture's, not the peers'");
        let raised = explicable.on(at);
        if !raised.is_empty() {
            s.push_str(&format!(" (the findings on it that lost packets would also raise: {})", raised.join(", ")));
        }
        out.expert(&CAPTURE_LOSS, s);
    }
}

fn ethertype_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0x0800 => "IPv4",
        0x86dd => "IPv6",
        0x0806 => "ARP",
        0x8100 => "802.1Q",
        0x88a8 => "802.1ad",
        _ => return None,
    })
}

fn ip_proto_name(p: u8) -> Option<&'static str> {
    Some(match p {
        1 => "ICMP",
        6 => "TCP",
        17 => "UDP",
        58 => "ICMPv6",
        0 => "IPv6 Hop-by-Hop Option",
        43 => "Routing Header for IPv6",
        44 => "Fragment Header for IPv6",
        51 => "Authentication Header",
        60 => "Destination Options for IPv6",
        _ => return None,
    })
}

/// A node's summary text, formatted only when the node will be kept.
fn node_text(out: &Dissection, node: &'static FieldInfo, text: impl FnOnce() -> String) -> Value {
    if out.wants(node) {
        Value::String(text().into())
    } else {
        Value::None
    }
}

macro_rules! records {
    ($($variant:ident => $field:ident,)*) => {
        /// The frame fields that hold a property of the record itself, in the frame subtree's
        /// order: a field column reads them off the record ([`Record::of`]) without building
        /// the tree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Record {
            $($variant,)*
        }

        impl Record {
            pub const ALL: [Record; [$(stringify!($variant)),*].len()] = [$(Record::$variant,)*];

            pub fn info(self) -> &'static FieldInfo {
                match self {
                    $(Record::$variant => &$field,)*
                }
            }
        }
    };
}

records! {
    Number => FRAME_NUMBER,
    Date => FRAME_DATE,
    Epoch => FRAME_TIME,
    Delta => FRAME_TIME_DELTA,
    DeltaShown => FRAME_TIME_DELTA_SHOWN,
    Relative => FRAME_TIME_REL,
    Len => FRAME_LEN,
    CapLen => FRAME_CAP_LEN,
    Section => FRAME_SECTION,
    Interface => FRAME_IFACE,
    InterfaceName => FRAME_IFACE_NAME,
    InterfaceDescription => FRAME_IFACE_DESCRIPTION,
    Queue => FRAME_QUEUE,
    Flags => FRAME_FLAGS,
    Direction => FRAME_FLAGS_DIRECTION,
    Reception => FRAME_FLAGS_RECEPTION,
    FcsLength => FRAME_FLAGS_FCS,
    Reserved => FRAME_FLAGS_RESERVED,
    CrcError => FRAME_FLAGS_CRC,
    TooLong => FRAME_FLAGS_LONG,
    TooShort => FRAME_FLAGS_SHORT,
    GapError => FRAME_FLAGS_GAP,
    Unaligned => FRAME_FLAGS_UNALIGNED,
    SfdError => FRAME_FLAGS_SFD,
    PreambleError => FRAME_FLAGS_PREAMBLE,
    SymbolError => FRAME_FLAGS_SYMBOL,
    PacketId => FRAME_PACKET_ID,
    LinkType => FRAME_LINK,
    DropCount => FRAME_DROP_COUNT,
    P2pDir => FRAME_P2P_DIR,
}

impl Record {
    /// The record field with this key, if it is one.
    pub fn of(key: &str) -> Option<Record> {
        Record::ALL.into_iter().find(|r| r.info().key == key)
    }

    /// Its value for `frame`, or `None` where the frame has none (the times of a record without
    /// a timestamp, the interface of a pcap file's). `delta_shown`: the time since the frame shown
    /// before (`-Y`).
    pub fn value(self, frame: &Frame, times: Times, delta_shown: i64) -> Option<Value> {
        let timed = |v: Value| frame.has_ts.then_some(v);
        Some(match self {
            Record::Number => Value::Unsigned(frame.number),
            Record::Date | Record::Epoch => return timed(Value::Time(frame.ts.as_nanos())),
            Record::Delta => return timed(Value::Duration(times.delta)),
            Record::DeltaShown => return timed(Value::Duration(delta_shown)),
            Record::Relative => return timed(Value::Duration(times.rel)),
            Record::Len => Value::Unsigned(frame.orig_len.into()),
            Record::CapLen => Value::Unsigned(frame.data.len() as u64),
            Record::Section => return (frame.section > 0).then(|| Value::Unsigned(frame.section.into())),
            Record::Interface => Value::Unsigned(frame.interface_id?.into()),
            Record::InterfaceName => {
                frame.interface_id?;
                Value::String(interface_name(frame).to_string().into())
            }
            Record::InterfaceDescription => {
                frame.interface_id?;
                Value::String(frame.interface_description?.to_string().into())
            }
            Record::LinkType => {
                let lt = frame.link_type;
                Value::Enum { value: lt as u64, name: Some(linktype::name(lt)).filter(|n| *n != "unknown") }
            }
            Record::Queue => Value::Unsigned(frame.options.queue()?.into()),
            Record::PacketId => Value::Unsigned(frame.options.packet_id()?),
            Record::DropCount => Value::Unsigned(frame.options.drop_count()?),
            Record::P2pDir => match frame.options.flags()? & 3 {
                1 => Value::Enum { value: 1, name: Some("Received") },
                2 => Value::Enum { value: 0, name: Some("Sent") },
                _ => return None,
            },
            Record::Flags => Value::Unsigned(frame.options.flags()?.into()),
            Record::Direction => {
                let d = frame.options.flags()? & 3;
                Value::Enum { value: d.into(), name: Some(["Unknown", "Inbound", "Outbound", "Unknown"][d as usize]) }
            }
            Record::Reception => {
                let r = frame.options.flags()? >> 2 & 7;
                let names = ["Not specified", "Unicast", "Multicast", "Broadcast", "Promiscuous"];
                Value::Enum { value: r.into(), name: names.get(r as usize).copied() }
            }
            Record::FcsLength => Value::Unsigned((frame.options.flags()? >> 5 & 0xf).into()),
            Record::Reserved => Value::Unsigned((frame.options.flags()? >> 9 & 0x7f).into()),
            // The link-layer errors, bits 24 to 31, in the order of the records.
            error @ (Record::CrcError
            | Record::TooLong
            | Record::TooShort
            | Record::GapError
            | Record::Unaligned
            | Record::SfdError
            | Record::PreambleError
            | Record::SymbolError) => {
                let bit = 24 + error as u32 - Record::CrcError as u32;
                Value::Bool(frame.options.flags()? >> bit & 1 == 1)
            }
        })
    }
}

/// Adds the frame and lower-layer fields (call only when the tree is wanted).
/// `udp_source` is the data source holding the UDP header (a reassembled buffer, or 0).
/// The frame's own UDP datagram gets its place in its conversation as fields the engine fills
/// in ([`Dissection::add_place_fields`]).
pub fn add_fields(
    frame: &Frame,
    decoded: &Decoded,
    times: Times,
    udp_source: u16,
    earlier: Earlier,
    out: &mut Dissection,
) {
    let len = frame.data.len();
    add_comments(frame, out);
    if out.wants_subtree(&FRAME) {
        let summary = node_text(out, &FRAME, || {
            let wire = u64::from(frame.orig_len);
            let mut s = String::with_capacity(96);
            digits::push_u64(&mut s, frame.number);
            s.push_str(": ");
            digits::push_u64(&mut s, wire);
            s.push_str(" bytes on wire (");
            digits::push_u64(&mut s, wire * 8);
            s.push_str(" bits), ");
            digits::push_u64(&mut s, len as u64);
            s.push_str(" bytes captured (");
            digits::push_u64(&mut s, len as u64 * 8);
            s.push_str(" bits)");
            if let Some(id) = frame.interface_id {
                s.push_str(" on interface ");
                s.push_str(interface_name(frame));
                s.push_str(", id ");
                digits::push_u64(&mut s, u64::from(id));
            }
            s
        });
        out.open(&FRAME, 0, len, summary);
        let mut flags_open = false;
        for r in Record::ALL {
            if out.wants(r.info()) {
                // The time since the frame shown before is known once the filter has seen the
                // frames before: see fill_frame_fields.
                if let Some(value) = r.value(frame, times, 0) {
                    let id = out.add_generated(r.info(), value);
                    // The flags word's parts under it, as tshark shows them.
                    if r == Record::Flags && id != usize::MAX {
                        out.descend();
                        flags_open = true;
                    }
                }
            }
            if r == Record::SymbolError && flags_open {
                out.close();
            }
        }
        // Known once the frame is dissected (its protocol): see fill_frame_fields.
        out.add_generated(&FRAME_PROTOCOLS, Value::String("".into()));
        out.close();
    }

    match decoded.link {
        Link::Ethernet(e)
            if len > 0 && [&ETH, &VLAN, &IEEE8021AD, &IEEE8021AD_ETYPE].iter().any(|n| out.wants_subtree(n)) =>
        {
            let text = node_text(out, &ETH, || {
                let mut s = String::with_capacity(48);
                s.push_str("Src: ");
                let _ = digits::write_mac(&mut s, &e.src);
                s.push_str(", Dst: ");
                let _ = digits::write_mac(&mut s, &e.dst);
                s
            });
            out.open(&ETH, 0, 14.min(len), text);
            // A short record shows the fields its bytes hold, no more.
            if len >= 6 {
                out.add(&ETH_DST, 0, 6, Value::Mac(e.dst));
            }
            if len >= 12 {
                out.add(&ETH_SRC, 6, 6, Value::Mac(e.src));
            }
            // The type field at byte 12, as tshark has it: a tagged frame's is its first tag's
            // TPID, and each tag's vlan.etype says what follows it.
            if let Some(t) = frame.data.get(12..14) {
                let t = u16::from_be_bytes([t[0], t[1]]);
                out.add(&ETH_TYPE, 12, 2, Value::Enum { value: t.into(), name: ethertype_name(t) });
            }
            out.close();
            for v in decoded.vlans.iter().flatten() {
                add_tag(frame.data, v, out);
            }
        }
        Link::Sll(s) if out.wants_subtree(&SLL) => {
            let hl = if s.version == 2 { 20 } else { 16 };
            let text = node_text(out, &SLL, || format!("v{}", s.version));
            out.open(&SLL, 0, hl.min(len), text);
            out.add_generated(&SLL_VERSION, Value::Unsigned(s.version as u64));
            let (pt, ha, hal, addr, proto) = if s.version == 2 { (10, 8, 11, 12, 0) } else { (0, 2, 4, 6, 14) };
            let pkt_name = ["Unicast to us", "Broadcast", "Multicast", "Unicast to another host", "Sent by us"];
            out.add(
                &SLL_PKTTYPE,
                pt,
                if s.version == 2 { 1 } else { 2 },
                Value::Enum { value: s.packet_type as u64, name: pkt_name.get(s.packet_type as usize).copied() },
            );
            out.add(&SLL_HATYPE, ha, 2, Value::Unsigned(s.arphrd as u64));
            out.add(&SLL_HALEN, hal, if s.version == 2 { 1 } else { 2 }, Value::Unsigned(s.addr_len as u64));
            // Named by its length, as tshark names it.
            let halen = usize::from(s.addr_len).min(8);
            let [a, b, c, d, e, f, ..] = s.addr;
            match halen {
                0 => {}
                6 => _ = out.add(&SLL_SRC_ETH, addr, 6, Value::Mac([a, b, c, d, e, f])),
                4 => _ = out.add(&SLL_SRC_IPV4, addr, 4, Value::Ip(IpAddr::from([a, b, c, d]))),
                n => _ = out.add(&SLL_SRC_OTHER, addr, n, Value::Bytes),
            }
            if halen < 8 {
                out.add(&SLL_UNUSED, addr + halen, 8 - halen, Value::Bytes);
            }
            out.add(&SLL_ETYPE, proto, 2, Value::Enum { value: s.protocol as u64, name: ethertype_name(s.protocol) });
            if s.version == 2 {
                out.add(&SLL_IFINDEX, 4, 4, Value::Unsigned(s.ifindex as u64));
            }
            out.close();
        }
        Link::Loopback { family } if out.wants_subtree(&NULL) => {
            out.open(&NULL, 0, 4, Value::None);
            out.add(&NULL_FAMILY, 0, 4, Value::Unsigned(family as u64));
            out.close();
        }
        _ => {}
    }

    match decoded.net {
        Net::Ipv4(_) | Net::Ipv6(_) => add_ip(frame.data, &decoded.net, decoded.reassembled, out),
        Net::Arp => add_arp(frame, decoded, out),
        Net::Cut { offset, version } => add_cut_ip(frame.data, offset, version, out),
        _ => {}
    }
    match decoded.transport {
        Transport::Udp(u) if out.wants_subtree(&UDP) => {
            add_udp(&u, matches!(decoded.net, Net::Ipv6(_)), udp_source, out)
        }
        Transport::Tcp(t) if out.wants_subtree(&TCP) => {
            let o = t.header_offset;
            out.open(&TCP, o, 20.min(len.saturating_sub(o)), tcp_text(out, t.src_port, t.dst_port));
            out.add(&TCP_SRCPORT, o, 2, Value::Unsigned(t.src_port as u64));
            out.add(&TCP_DSTPORT, o + 2, 2, Value::Unsigned(t.dst_port as u64));
            out.add(&TCP_SEQ, o + 4, 4, Value::Unsigned(t.seq as u64));
            out.add(&TCP_ACK, o + 8, 4, Value::Unsigned(t.ack as u64));
            out.add(&TCP_FLAGS, o + 12, 2, Value::Unsigned(t.flags as u64));
            out.add_generated(&TCP_LEN, Value::Unsigned(t.payload_len as u64));
            out.close();
        }
        // Kept for an IP or UDP field too: an error quotes the datagram's headers.
        Transport::Icmp(i) => add_icmp(&i, frame.data, earlier, out),
        _ => {}
    }
}

fn cut_short_message(frame: &Frame) -> String {
    if (frame.data.len() as u32) < frame.orig_len {
        format!(
            "only {} of {} bytes were captured (snapshot length); decoded as far as the bytes go",
            frame.data.len(),
            frame.orig_len
        )
    } else {
        "a header or length field points past the end of the frame; decoded as far as the bytes go".to_string()
    }
}

/// The expert note for a frame the snapshot length or the capture cut short (after its
/// layers' fields).
pub fn note_cut_short(frame: &Frame, decoded: &Decoded, out: &mut Dissection) {
    if decoded.truncated || (frame.data.len() as u32) < frame.orig_len {
        out.expert(&CUT_SHORT, cut_short_message(frame));
    }
}

fn add_udp(u: &Udp, v6: bool, source: u16, out: &mut Dissection) {
    let prev = out.set_cursor(source, 0);
    let header = UdpHeader {
        header_offset: u.header_offset,
        src_port: u.src_port,
        dst_port: u.dst_port,
        length: u.length,
        checksum: u.checksum,
    };
    add_udp_header(&header, Whose::Frame { v6 }, out);
    out.set_cursor(prev.0, prev.1);
}

/// Whose UDP header it is. The frame's own gets its place from the engine, a quote its stream
/// index from [`Around`]; a zero checksum is illegal over IPv6, except in a quote (tshark
/// verifies no other).
#[derive(Clone, Copy)]
enum Whose {
    Frame { v6: bool },
    Quote { stream: Option<u64> },
}

/// A UDP header's node: the frame's own datagram's, or the one an ICMP error quotes.
fn add_udp_header(u: &UdpHeader, whose: Whose, out: &mut Dissection) {
    let o = u.header_offset;
    let text = node_text(out, &UDP, || {
        let mut s = String::with_capacity(32);
        s.push_str("Src Port: ");
        digits::push_u64(&mut s, u64::from(u.src_port));
        s.push_str(", Dst Port: ");
        digits::push_u64(&mut s, u64::from(u.dst_port));
        s
    });
    out.open(&UDP, o, 8, text);
    out.add(&UDP_SRCPORT, o, 2, Value::Unsigned(u.src_port.into()));
    out.add(&UDP_DSTPORT, o + 2, 2, Value::Unsigned(u.dst_port.into()));
    out.add(&UDP_LENGTH, o + 4, 2, Value::Unsigned(u.length.into()));
    out.add(&UDP_CHECKSUM, o + 6, 2, Value::Unsigned(u.checksum.into()));
    let status = match (u.checksum, whose) {
        (0, Whose::Frame { v6: true }) => (4, "Illegal"),
        (0, _) => (3, "Not present"),
        _ => (2, "Unverified"),
    };
    out.add_generated(&UDP_CHECKSUM_STATUS, Value::Enum { value: status.0, name: Some(status.1) });
    match whose {
        Whose::Frame { .. } => out.add_place_fields(),
        Whose::Quote { stream: Some(stream) } => {
            out.add_generated(&UDP_STREAM, Value::Unsigned(stream));
        }
        Whose::Quote { stream: None } => {}
    }
    out.close();
}

/// The name tshark gives a pcapng frame's interface: its `if_name`, or `unknown`.
fn interface_name<'a>(frame: &Frame<'a>) -> &'a str {
    frame.interface_name.unwrap_or("unknown")
}

/// A pcapng packet block's comments, each a `frame.comment` (tshark's key) under a node of
/// their own.
fn add_comments(frame: &Frame, out: &mut Dissection) {
    let mut comments = frame.options.comments().peekable();
    if comments.peek().is_none() || !(out.wants_subtree(&PKT_COMMENT) || out.wants_subtree(&FRAME_COMMENT)) {
        return;
    }
    out.open(&PKT_COMMENT, 0, 0, Value::None);
    for c in comments {
        out.add_generated(&FRAME_COMMENT, Value::String(c.into_owned().into()));
    }
    out.close();
}

/// A VLAN tag: 802.1Q (and 0x9100) as `vlan`, an 802.1ad service tag as `ieee8021ad`, as
/// tshark names them.
fn add_tag(data: &[u8], v: &Vlan, out: &mut Dissection) {
    let etype_at = data.get(v.offset + 2..v.offset + 4).map(|t| u16::from_be_bytes([t[0], t[1]]));
    let etype = |t: u16| Value::Enum { value: t.into(), name: ethertype_name(t) };
    if v.is_8021ad() {
        // tshark's key for the type after the tag is not under the tag's node.
        if !out.wants_subtree(&IEEE8021AD) && !out.wants_subtree(&IEEE8021AD_ETYPE) {
            return;
        }
        let text = node_text(out, &IEEE8021AD, || format!("ID: {}", v.id));
        out.open(&IEEE8021AD, v.offset, 4, text);
        out.add(&IEEE8021AD_PRIORITY, v.offset, 1, Value::Unsigned(v.pcp.into()));
        out.add(&IEEE8021AD_DEI, v.offset, 1, Value::Unsigned(v.dei.into()));
        out.add(&IEEE8021AD_ID, v.offset, 2, Value::Unsigned(v.id.into()));
        if let Some(t) = etype_at {
            out.add(&IEEE8021AD_ETYPE, v.offset + 2, 2, etype(t));
        }
    } else {
        if !out.wants_subtree(&VLAN) {
            return;
        }
        let text = node_text(out, &VLAN, || format!("PRI: {}, DEI: {}, ID: {}", v.pcp, v.dei as u8, v.id));
        out.open(&VLAN, v.offset, 4, text);
        out.add(&VLAN_TPID, v.offset.saturating_sub(2), 2, Value::Unsigned(v.tpid as u64));
        out.add(&VLAN_PRIORITY, v.offset, 2, Value::Unsigned(v.pcp as u64));
        out.add(&VLAN_DEI, v.offset, 2, Value::Bool(v.dei));
        out.add(&VLAN_ID, v.offset, 2, Value::Unsigned(v.id as u64));
        if let Some(t) = etype_at {
            out.add(&VLAN_ETYPE, v.offset + 2, 2, etype(t));
        }
    }
    out.close();
}

/// An IPv4 or IPv6 header's node: the frame's own, or the one an ICMP error quotes. The
/// fragments of a datagram the header completed are listed inside it, as in tshark.
fn add_ip(frame: &[u8], net: &Net, reassembled: Option<&FragmentInfo>, out: &mut Dissection) {
    if open_ip(frame, net, None, out) {
        if let Some(info) = reassembled {
            add_fragments(matches!(net, Net::Ipv6(_)), info, out);
        }
        out.close();
    }
}

fn add_fragments(v6: bool, info: &FragmentInfo, out: &mut Dissection) {
    let (node, fragment, count, length) = match v6 {
        false => (&FRAGMENTS, &FRAGMENT, &FRAGMENT_COUNT, &REASSEMBLED_LEN),
        true => (&IPV6_FRAGMENTS, &IPV6_FRAGMENT, &IPV6_FRAGMENT_COUNT, &IPV6_REASSEMBLED_LEN),
    };
    // tshark's keys put the fragments beside their node (ip.fragment), not under it.
    if ![node, fragment, count, length].into_iter().any(|f| out.wants_subtree(f)) {
        return;
    }
    let text = node_text(out, node, || {
        let mut s = String::with_capacity(32 + 12 * info.fragments.len());
        digits::push_u64(&mut s, info.fragments.len() as u64);
        s.push_str(" fragments (");
        digits::push_u64(&mut s, info.total_len.into());
        s.push_str(" bytes):");
        for (i, &(frame_no, _, len)) in info.fragments.iter().enumerate() {
            s.push_str(if i == 0 { " #" } else { ", #" });
            digits::push_u64(&mut s, frame_no);
            s.push('(');
            digits::push_u64(&mut s, len.into());
            s.push(')');
        }
        s
    });
    out.open(node, 0, 0, text);
    for &(frame_no, _, _) in &info.fragments {
        out.add_generated(fragment, Value::Frame(frame_no));
    }
    out.add_generated(count, Value::Unsigned(info.fragments.len() as u64));
    out.add_generated(length, Value::Unsigned(info.total_len.into()));
    out.close();
}

/// A header the capture cut short, after `captured` of its bytes: the fields those bytes
/// hold, as tshark shows them.
fn add_cut_ip(frame: &[u8], offset: usize, version: u8, out: &mut Dissection) {
    let bytes = frame.get(offset..).unwrap_or_default();
    let mut whole = [0u8; 40];
    let captured = bytes.len().min(whole.len());
    whole[..captured].copy_from_slice(&bytes[..captured]);
    let net = if version == 6 {
        Net::Ipv6(udpdissect_capture::ipv6_fixed_header(&whole, offset))
    } else {
        Net::Ipv4(udpdissect_capture::ipv4_header(&whole, offset))
    };
    if open_ip(frame, &net, Some(captured), out) {
        out.close();
    }
}

/// Opens an IP header's node and adds its fields (with `cut`, only those within the first
/// `cut` bytes of the header); false when the node is not wanted. The caller closes it.
fn open_ip(frame: &[u8], net: &Net, cut: Option<usize>, out: &mut Dissection) -> bool {
    let cut_text = || Value::String("header cut short".into());
    match *net {
        Net::Ipv4(ip) if out.wants_subtree(&IP) => {
            let text = match cut {
                Some(_) => cut_text(),
                None => node_text(out, &IP, || {
                    let mut s = String::with_capacity(48);
                    s.push_str("Src: ");
                    digits::push_ipv4(&mut s, ip.src);
                    s.push_str(", Dst: ");
                    digits::push_ipv4(&mut s, ip.dst);
                    s
                }),
            };
            let o = ip.offset;
            out.open(&IP, o, cut.unwrap_or(ip.header_len), text);
            let mut h = Within { out, start: o, end: cut.map_or(usize::MAX, |n| o + n) };
            h.add(&IP_VERSION, 0, 1, Value::Unsigned(4));
            h.add(&IP_HDR_LEN, 0, 1, Value::Unsigned(ip.header_len as u64));
            h.add(&IP_DSFIELD, 1, 1, Value::Unsigned(ip.dsfield.into()));
            h.add(&IP_DSCP, 1, 1, Value::Unsigned((ip.dsfield >> 2).into()));
            h.add(&IP_ECN, 1, 1, Value::Unsigned((ip.dsfield & 3).into()));
            h.add(&IP_LEN, 2, 2, Value::Unsigned(ip.total_len as u64));
            h.add(&IP_ID, 4, 2, Value::Unsigned(ip.id as u64));
            let flags =
                u64::from(ip.reserved_flag) << 2 | u64::from(ip.dont_fragment) << 1 | u64::from(ip.more_fragments);
            h.add(&IP_FLAGS, 6, 1, Value::Unsigned(flags));
            h.add(&IP_RB, 6, 1, Value::Bool(ip.reserved_flag));
            h.add(&IP_DF, 6, 1, Value::Bool(ip.dont_fragment));
            h.add(&IP_MF, 6, 1, Value::Bool(ip.more_fragments));
            h.add(&IP_FRAG_OFFSET, 6, 2, Value::Unsigned(u64::from(ip.frag_offset / 8)));
            h.add(&IP_TTL, 8, 1, Value::Unsigned(ip.ttl as u64));
            h.add(&IP_PROTO, 9, 1, Value::Enum { value: ip.protocol as u64, name: ip_proto_name(ip.protocol) });
            h.add(&IP_CHECKSUM, 10, 2, Value::Unsigned(ip.checksum as u64));
            if h.holds(10, 2) {
                h.out.add_generated(&IP_CHECKSUM_STATUS, Value::Enum { value: 2, name: Some("Unverified") });
            }
            h.add(&IP_SRC, 12, 4, Value::Ip(ip.src.into()));
            h.add(&IP_DST, 16, 4, Value::Ip(ip.dst.into()));
            true
        }
        Net::Ipv6(ip) if out.wants_subtree(&IPV6) => {
            let o = ip.offset;
            let text = match cut {
                Some(_) => cut_text(),
                None => node_text(out, &IPV6, || format!("Src: {}, Dst: {}", ip.src, ip.dst)),
            };
            out.open(&IPV6, o, cut.unwrap_or(ip.upper_offset.saturating_sub(o)), text);
            let mut h = Within { out, start: o, end: cut.map_or(usize::MAX, |n| o + n) };
            h.add(&IPV6_VERSION, 0, 1, Value::Unsigned(6));
            let tclass = ip.traffic_class;
            h.add(&IPV6_TCLASS, 0, 4, Value::Unsigned(tclass.into()));
            h.add(&IPV6_DSCP, 0, 4, Value::Unsigned((tclass >> 2).into()));
            h.add(&IPV6_ECN, 0, 4, Value::Unsigned((tclass & 3).into()));
            h.add(&IPV6_FLOW, 1, 3, Value::Unsigned(ip.flow_label as u64));
            h.add(&IPV6_PLEN, 4, 2, Value::Unsigned(ip.payload_len as u64));
            let nxt = Value::Enum { value: ip.header_next.into(), name: ip_proto_name(ip.header_next) };
            h.add(&IPV6_NXT, 6, 1, nxt);
            h.add(&IPV6_HLIM, 7, 1, Value::Unsigned(ip.hop_limit as u64));
            h.add(&IPV6_SRC, 8, 16, Value::Ip(ip.src.into()));
            h.add(&IPV6_DST, 24, 16, Value::Ip(ip.dst.into()));
            // The walk stops after a fragment header: it ends where the payload starts.
            let at = ip.upper_offset.wrapping_sub(8);
            match frame.get(at..ip.upper_offset) {
                Some(&[nxt, reserved, o1, o2, i1, i2, i3, i4]) if ip.fragment.is_some() => {
                    add_fraghdr(at, [nxt, reserved], u16::from_be_bytes([o1, o2]), [i1, i2, i3, i4], out)
                }
                _ => {}
            }
            true
        }
        _ => false,
    }
}

fn add_fraghdr(at: usize, [nxt, reserved]: [u8; 2], offset: u16, ident: [u8; 4], out: &mut Dissection) {
    if !out.wants_subtree(&IPV6_FRAGHDR) {
        return;
    }
    out.open(&IPV6_FRAGHDR, at, 8, Value::None);
    out.add(&IPV6_FRAG_NXT, at, 1, Value::Enum { value: nxt.into(), name: ip_proto_name(nxt) });
    out.add(&IPV6_FRAG_RES_OCTET, at + 1, 1, Value::Unsigned(reserved.into()));
    out.add(&IPV6_FRAG_OFFSET, at + 2, 2, Value::Unsigned((offset >> 3).into()));
    out.add(&IPV6_FRAG_RES_BITS, at + 2, 2, Value::Unsigned((offset >> 1 & 3).into()));
    out.add(&IPV6_FRAG_MORE, at + 2, 2, Value::Bool(offset & 1 != 0));
    out.add(&IPV6_FRAG_ID, at + 4, 4, Value::Unsigned(u32::from_be_bytes(ident).into()));
    out.close();
}

/// Adds a header's fields at offsets from its start, those whose bytes lie before `end`.
struct Within<'d> {
    out: &'d mut Dissection,
    start: usize,
    end: usize,
}

impl Within<'_> {
    fn holds(&self, at: usize, len: usize) -> bool {
        self.start + at + len <= self.end
    }

    fn add(&mut self, info: &'static FieldInfo, at: usize, len: usize, value: Value) {
        if self.holds(at, len) {
            self.out.add(info, self.start + at, len, value);
        }
    }
}

/// The ICMP or ICMPv6 fields of one version.
struct IcmpFields {
    node: &'static FieldInfo,
    kind: &'static FieldInfo,
    code: &'static FieldInfo,
    checksum: &'static FieldInfo,
    status: &'static FieldInfo,
    ident: &'static FieldInfo,
    seq: &'static FieldInfo,
    mtu: &'static FieldInfo,
    resp_to: &'static FieldInfo,
    resptime: &'static FieldInfo,
}

static ICMP4_FIELDS: IcmpFields = IcmpFields {
    node: &ICMP,
    kind: &ICMP_TYPE,
    code: &ICMP_CODE,
    checksum: &ICMP_CHECKSUM,
    status: &ICMP_CHECKSUM_STATUS,
    ident: &ICMP_IDENT,
    seq: &ICMP_SEQ,
    mtu: &ICMP_MTU,
    resp_to: &ICMP_RESP_TO,
    resptime: &ICMP_RESPTIME,
};

static ICMP6_FIELDS: IcmpFields = IcmpFields {
    node: &ICMPV6,
    kind: &ICMPV6_TYPE,
    code: &ICMPV6_CODE,
    checksum: &ICMPV6_CHECKSUM,
    status: &ICMPV6_CHECKSUM_STATUS,
    ident: &ICMPV6_ECHO_ID,
    seq: &ICMPV6_ECHO_SEQ,
    mtu: &ICMPV6_MTU,
    resp_to: &ICMPV6_RESP_TO,
    resptime: &ICMPV6_RESPTIME,
};

fn add_icmp(i: &Icmp, frame: &[u8], earlier: Earlier, out: &mut Dissection) {
    let f = if i.v6 { &ICMP6_FIELDS } else { &ICMP4_FIELDS };
    if ![f.node, &IP, &IPV6, &UDP, &TCP].into_iter().any(|n| out.wants_subtree(n)) {
        return;
    }
    let o = i.header_offset;
    let text = node_text(out, f.node, || icmp_summary(i));
    out.open(f.node, o, i.len, text);
    out.add(f.kind, o, 1, Value::Enum { value: i.icmp_type.into(), name: icmp_type_name(i.v6, i.icmp_type) });
    out.add(f.code, o + 1, 1, Value::Enum { value: i.code.into(), name: icmp_code_name(i) });
    out.add(f.checksum, o + 2, 2, Value::Unsigned(i.checksum.into()));
    let (status, name) = match i.checksum_ok() {
        Some(false) => (0, "Bad"),
        Some(true) => (1, "Good"),
        None => (2, "Unverified"),
    };
    out.add_generated(f.status, Value::Enum { value: status, name: Some(name) });
    if let Some((id, seq)) = i.echo() {
        out.add(f.ident, o + 4, 2, Value::Unsigned(id.into()));
        out.add(f.seq, o + 6, 2, Value::Unsigned(seq.into()));
    }
    if let Some(r) = earlier.request {
        out.add_generated(f.resp_to, Value::Frame(r.frame));
        out.add_generated(f.resptime, Value::Float(r.ns as f64 / 1e6));
    }
    match (i.v6, i.icmp_type, i.code) {
        (false, 3, 4) => {
            out.add(f.mtu, o + 6, 2, Value::Unsigned((i.rest & 0xffff).into()));
        }
        (true, 2, _) => {
            out.add(f.mtu, o + 4, 4, Value::Unsigned(i.rest.into()));
        }
        _ => {}
    }
    if let Some(q) = i.quoted(frame) {
        add_ip(frame, &q.net, None, out);
        if let Some(u) = q.udp.filter(|_| out.wants_subtree(&UDP)) {
            add_udp_header(&u, Whose::Quote { stream: earlier.quoted_stream }, out);
        }
        if let Some((o, src, dst)) = q.tcp_ports(frame).filter(|_| out.wants_subtree(&TCP)) {
            // What the quote holds of the header, as tshark shows it.
            let held = frame.len().min(i.header_offset + i.len).saturating_sub(o).min(20);
            out.open(&TCP, o, held, tcp_text(out, src, dst));
            out.add(&TCP_SRCPORT, o, 2, Value::Unsigned(src.into()));
            out.add(&TCP_DSTPORT, o + 2, 2, Value::Unsigned(dst.into()));
            out.close();
        }
    }
    out.close();
}

fn tcp_text(out: &Dissection, src: u16, dst: u16) -> Value {
    node_text(out, &TCP, || format!("Src Port: {src}, Dst Port: {dst}"))
}

/// The ICMP node's text: its type and code by name.
fn icmp_summary(i: &Icmp) -> String {
    let mut s = String::new();
    icmp_name(&mut s, i);
    s
}

/// "Destination unreachable (Port unreachable)": the type's name (or number) and the code's.
fn icmp_name(s: &mut String, i: &Icmp) {
    match icmp_type_name(i.v6, i.icmp_type) {
        Some(n) => s.push_str(n),
        None => {
            let _ = write!(s, "Type {}", i.icmp_type);
        }
    }
    if let Some(reason) = icmp_code_name(i) {
        let _ = write!(s, " ({reason})");
    }
}

pub static UDP_CHECKSUM_ZERO: ExpertInfo = ExpertInfo::new(
    "udp.checksum_zero",
    Severity::Error,
    ExpertGroup::Checksum,
    "a UDP checksum of zero over IPv6, where it is mandatory (RFC 8200): the receiver drops the datagram",
);

/// The zero checksum over IPv6, on every path: a datagram the receiving stack drops, the
/// kind of mistake a home-made client makes. (Other checksums are not verified, as in
/// tshark: a capture on the sending host holds the ones left to the network card.)
pub fn note_udp_checksum(decoded: &Decoded, out: &mut Dissection) {
    if let (Transport::Udp(u), Net::Ipv6(_)) = (decoded.transport, decoded.net) {
        if u.checksum == 0 {
            out.expert(
                &UDP_CHECKSUM_ZERO,
                format!(
                    "UDP checksum 0 over IPv6 ({} → {}): illegal, the receiving stack drops the datagram; compute the checksum",
                    u.src_port, u.dst_port
                ),
            );
        }
    }
}

/// The checksum finding, on every path (the summary line shows it too).
pub fn note_icmp_checksum(decoded: &Decoded, out: &mut Dissection) {
    let Transport::Icmp(i) = decoded.transport else { return };
    if i.checksum_ok() == Some(false) {
        let proto = if i.v6 { "ICMPv6" } else { "ICMP" };
        out.expert(
            &ICMP_CHECKSUM_BAD,
            format!(
                "{proto} checksum {:#06x} is wrong: the message sums to {:#06x}",
                i.checksum,
                i.checksum_should_be()
            ),
        );
    }
}

// The ICMP errors are ResponseCode: an error answer about a datagram, as an HTTP 404 is.
pub static ICMP_PORT_UNREACHABLE: ExpertInfo = ExpertInfo::new(
    "icmp.port_unreachable",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "a host refused a datagram: no socket listens on its destination port (wrong port, a port in the wrong byte order, a server not running, or a client that closed its socket before the reply)",
);

pub static ICMP_TOO_BIG: ExpertInfo = ExpertInfo::new(
    "icmp.too_big",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "a datagram was larger than the path takes and was dropped (ICMP fragmentation needed, ICMPv6 packet too big); the message gives the MTU",
);

pub static ICMP_TIME_EXCEEDED: ExpertInfo = ExpertInfo::new(
    "icmp.time_exceeded",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "a datagram was dropped on the way: its TTL or hop limit ran out (a routing loop, or a TTL set too low), or its fragments did not all arrive in time",
);

pub static ICMP_UNREACHABLE: ExpertInfo = ExpertInfo::new(
    "icmp.unreachable",
    Severity::Warn,
    ExpertGroup::ResponseCode,
    "a datagram could not be delivered: its network or host is unreachable, or a filter refused it (the message names the reason)",
);

/// What an ICMP error says happened to a datagram, as a finding: the datagram it quotes (with
/// its protocol, `earlier.quoted_protocol`) refused, too big for the path, or out of hops.
pub fn note_icmp_error(frame: &Frame, decoded: &Decoded, earlier: Earlier, out: &mut Dissection) {
    let Transport::Icmp(i) = decoded.transport else { return };
    let (info, what) = match (i.v6, i.icmp_type, i.code) {
        (false, 3, 3) | (true, 1, 4) => (&ICMP_PORT_UNREACHABLE, IcmpError::Refused),
        (false, 3, 4) => (&ICMP_TOO_BIG, IcmpError::TooBig(i.rest & 0xffff)),
        (true, 2, _) => (&ICMP_TOO_BIG, IcmpError::TooBig(i.rest)),
        (false, 11, 0) | (true, 3, 0) => (&ICMP_TIME_EXCEEDED, IcmpError::OutOfHops),
        (false, 11, 1) | (true, 3, 1) => (&ICMP_TIME_EXCEEDED, IcmpError::Reassembly),
        (false, 3, _) | (true, 1, _) => (&ICMP_UNREACHABLE, IcmpError::Unreachable),
        _ => return,
    };
    let sender = decoded.net.src().map_or_else(|| "a router".to_string(), |a| a.to_string());
    let q = i.quoted(frame.data);
    // (transport, what the quote is named, its ports)
    let ports = q.and_then(|q| {
        let udp = q.udp.map(|u| ("UDP", earlier.quoted_protocol.unwrap_or("UDP"), "datagram", u.src_port, u.dst_port));
        udp.or_else(|| q.tcp_ports(frame.data).map(|(_, s, d)| ("TCP", "TCP", "segment", s, d)))
    });
    let ends = q.and_then(|q| q.net.src().zip(q.net.dst()));
    // "the SRUN datagram 10.0.0.1:40000 → 10.0.0.2:3335"
    let mut datagram = String::from("the ");
    match (ends, ports) {
        (Some((a, b)), Some((_, name, noun, sp, dp))) => {
            let _ = write!(datagram, "{name} {noun} {} → {}", SocketAddr::new(a, sp), SocketAddr::new(b, dp));
        }
        (Some((a, b)), None) => _ = write!(datagram, "IP datagram {a} → {b}"),
        _ => datagram.push_str("datagram (not quoted in the capture)"),
    }
    let message = match what {
        IcmpError::Refused => match (ends, ports) {
            (Some((_, b)), Some((transport, _, _, _, dp))) => {
                format!("{b} has no socket on {transport} port {dp}: it refused {datagram}")
            }
            _ => format!("{sender} refused {datagram}: port unreachable"),
        },
        IcmpError::TooBig(mtu) => {
            let len = match q.map(|q| q.net) {
                Some(Net::Ipv4(ip)) => Some(u32::from(ip.total_len)),
                Some(Net::Ipv6(ip)) => Some(u32::from(ip.payload_len) + 40),
                _ => None,
            };
            let len = len.map_or_else(String::new, |n| format!(" ({n} bytes)"));
            format!("{sender} can forward at most {mtu} bytes: it dropped {datagram}{len}; send smaller datagrams")
        }
        IcmpError::OutOfHops => {
            let hops = if i.v6 { "hop limit" } else { "TTL" };
            format!("{sender} dropped {datagram}: its {hops} ran out in transit")
        }
        IcmpError::Reassembly => {
            format!("{sender} gave up reassembling {datagram}: not every fragment arrived in time")
        }
        IcmpError::Unreachable => {
            let reason = icmp_code_name(&i).unwrap_or("unreachable");
            format!("{sender} could not deliver {datagram}: {reason}")
        }
    };
    out.expert(info, message);
}

#[derive(Clone, Copy)]
enum IcmpError {
    Refused,
    TooBig(u32),
    OutOfHops,
    Reassembly,
    Unreachable,
}

/// What a frame takes from the frames before it, or leaves for those after: an ICMP message's
/// request or quoted conversation, the capture's losses.
pub struct Around<'a> {
    /// The conversations an ICMP error's quote belongs to, and the engine that counts the
    /// capture's losses; `None` on the thread that only dissects handed-off datagrams.
    pub engine: Option<&'a mut Engine>,
    /// The echo requests seen, which a reply names.
    pub echoes: &'a mut Echoes,
}

/// What [`Around`] gives one frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct Earlier {
    /// An echo reply's request ([`Echoes::pair`]).
    pub request: Option<Request>,
    /// The stream index of the conversation whose datagram an ICMP error quotes.
    pub quoted_stream: Option<u64>,
    /// That conversation's protocol column, or its ports' ([`Engine::quote`]).
    pub quoted_protocol: Option<&'static str>,
}

impl Around<'_> {
    /// The finding for a frame that counts packets the capture lost just before it, and the
    /// count, to the engine where this thread dispatches.
    #[inline]
    pub fn note_capture_loss(&mut self, frame: &Frame, out: &mut Dissection) {
        let lost = note_capture_loss(frame, out);
        if lost != 0 {
            if let Some(engine) = self.engine.as_deref_mut() {
                engine.note_capture_loss(frame.number, frame.interface, lost);
            }
        }
    }

    /// Pairs an echo with its request; places the datagram an ICMP error quotes in its
    /// conversation, as tshark does (tracking the conversation from now on if it is new).
    pub fn earlier(&mut self, frame: &Frame, decoded: &Decoded) -> Earlier {
        let mut earlier = Earlier { request: self.echoes.pair(frame, decoded), ..Earlier::default() };
        let quoted = match decoded.transport {
            Transport::Icmp(i) => i.quoted_udp(frame.data),
            _ => None,
        };
        if let (Some((src, dst, _)), Some(engine)) = (quoted, self.engine.as_deref_mut()) {
            let (stream, protocol) = engine.quote(src, dst, frame.number, frame.ts.as_nanos());
            (earlier.quoted_stream, earlier.quoted_protocol) = (Some(stream), protocol);
        }
        earlier
    }
}

/// Echo requests seen lately, so that a reply names its request and the time it took, as
/// tshark does in one pass (a request cannot name a reply still to come). Bounded: the least
/// recently seen is forgotten first.
pub struct Echoes(LruMap<(IpAddr, IpAddr, u16, u16), Request>);

/// Most echo requests [`Echoes`] keeps.
pub const MAX_ECHOES: usize = 4096;

/// An echo reply's request: its frame, and the nanoseconds from it to the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub frame: u64,
    pub ns: i64,
}

impl Default for Echoes {
    fn default() -> Self {
        Echoes(LruMap::new(MAX_ECHOES))
    }
}

impl Echoes {
    /// Keeps an echo request (a later one with the same identifier and sequence number
    /// between the same ends replaces it); for an echo reply, finds its request.
    pub fn pair(&mut self, frame: &Frame, decoded: &Decoded) -> Option<Request> {
        let Transport::Icmp(i) = decoded.transport else { return None };
        let (id, seq) = i.echo()?;
        let (src, dst) = decoded.net.src().zip(decoded.net.dst())?;
        let now = frame.ts.as_nanos();
        if matches!((i.v6, i.icmp_type), (false, 8) | (true, 128)) {
            let request = Request { frame: frame.number, ns: now };
            *self.0.get_or_insert_with(&(src, dst, id, seq), || request).0 = request;
            None
        } else {
            let r = self.0.peek(&(dst, src, id, seq))?;
            Some(Request { frame: r.frame, ns: now.saturating_sub(r.ns) })
        }
    }
}

/// Protocol and info columns of a frame that carries no UDP datagram; an ICMP error names the
/// protocol of the conversation it quotes (else "UDP"), and an echo reply its request.
/// The info column is skipped when unread only for TCP, the common case.
pub fn summarize_other(frame: &Frame, decoded: &Decoded, earlier: Earlier, out: &mut Dissection) {
    let wants_info = out.wants_info();
    let info = &mut out.info;
    out.protocol = match decoded.transport {
        Transport::Tcp(t) => {
            if wants_info {
                digits::push_u64(info, t.src_port.into());
                info.push_str(" → ");
                digits::push_u64(info, t.dst_port.into());
                info.push_str(" [");
                push_tcp_flags(info, t.flags);
                info.push_str("] Len=");
                digits::push_u64(info, t.payload_len as u64);
            }
            "TCP"
        }
        Transport::Icmp(i) => {
            let start = info.len();
            icmp_name(info, &i);
            if let Some((id, seq)) = i.echo() {
                // As tshark writes it: ICMP's type padded to a column, and the sequence number
                // read both ways (some stacks write it little-endian).
                let _ = match decoded.net {
                    Net::Ipv4(ip) => {
                        while info.len() < start + 21 {
                            info.push(' ');
                        }
                        write!(info, "id={id:#06x}, seq={seq}/{}, ttl={}", seq.swap_bytes(), ip.ttl)
                    }
                    Net::Ipv6(ip) => write!(info, " id={id:#06x}, seq={seq}, hop limit={}", ip.hop_limit),
                    _ => Ok(()),
                };
            }
            if let Some(r) = earlier.request {
                let _ = write!(info, " (request in {})", r.frame);
            }
            if let Some((src, dst, _)) = i.quoted_udp(frame.data) {
                let _ = write!(info, " for {} {src} → {dst}", earlier.quoted_protocol.unwrap_or("UDP"));
            }
            if i.v6 {
                "ICMPv6"
            } else {
                "ICMP"
            }
        }
        Transport::Fragment => {
            let (proto, off, id) = match decoded.net {
                Net::Ipv4(ip) => (ip.protocol, ip.frag_offset, ip.id as u32),
                Net::Ipv6(ip) => (ip.next_header, ip.fragment.map_or(0, |f| f.1), ip.fragment.map_or(0, |f| f.0)),
                _ => (0, 0, 0),
            };
            let _ = write!(info, "Fragmented IP protocol (proto={proto}, off={off}, ID={id:#x})");
            if matches!(decoded.net, Net::Ipv6(_)) {
                "IPv6"
            } else {
                "IPv4"
            }
        }
        Transport::Other(p) => {
            let _ = write!(info, "IP protocol {p}");
            if matches!(decoded.net, Net::Ipv6(_)) {
                "IPv6"
            } else {
                "IPv4"
            }
        }
        Transport::Udp(_) => "UDP",
        Transport::None => match decoded.net {
            Net::Arp => {
                arp_info(info, decoded, frame);
                "ARP"
            }
            Net::Other(t) => {
                let _ = write!(info, "EtherType {t:#06x}");
                "Ethernet"
            }
            Net::Ipv4(_) => {
                info.push_str("IPv4 header only");
                "IPv4"
            }
            Net::Ipv6(_) => {
                info.push_str("IPv6 header only");
                "IPv6"
            }
            Net::Cut { offset, version } => {
                let _ = write!(info, "IPv{version} header cut short at byte {offset}");
                if version == 6 {
                    "IPv6"
                } else {
                    "IPv4"
                }
            }
            Net::None => match decoded.link {
                Link::Unknown(linktype::PCAPNG_CUSTOM) => {
                    info.push_str("pcapng custom block");
                    "pcapng"
                }
                Link::Unknown(lt) => {
                    let _ = write!(info, "link type {lt} is not decoded");
                    "Unknown"
                }
                _ => {
                    info.push_str("no network layer in the captured bytes");
                    "Frame"
                }
            },
        },
    };
}

/// An ARP message for IPv4 over Ethernet: (offset, opcode, sender MAC, sender IP, target MAC,
/// target IP).
type ArpMessage = (usize, u16, [u8; 6], std::net::Ipv4Addr, [u8; 6], std::net::Ipv4Addr);

fn arp_message(decoded: &Decoded, frame: &Frame) -> Option<ArpMessage> {
    let start = match decoded.link {
        Link::Ethernet(_) => decoded.vlans.iter().flatten().last().map_or(14, |v| v.offset + 4),
        Link::Sll(s) => {
            if s.version == 2 {
                20
            } else {
                16
            }
        }
        _ => 0,
    };
    let b = frame.data.get(start..start + 28)?;
    if b[0..6] != [0, 1, 8, 0, 6, 4] {
        return None;
    }
    let mac = |at: usize| -> [u8; 6] { b[at..at + 6].try_into().expect("6 bytes") };
    let ip = |at: usize| std::net::Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3]);
    Some((start, u16::from_be_bytes([b[6], b[7]]), mac(8), ip(14), mac(18), ip(24)))
}

/// tshark's ARP info: "Who has A? Tell B" / "A is at MAC".
fn arp_info(info: &mut String, decoded: &Decoded, frame: &Frame) {
    match arp_message(decoded, frame) {
        Some((_, 1, _, sender, _, target)) => {
            let _ = write!(info, "Who has {target}? Tell {sender}");
        }
        Some((_, 2, mac, sender, _, _)) => {
            let _ = write!(info, "{sender} is at {}", udpdissect_core::MacText(&mac));
        }
        _ => info.push_str("ARP"),
    }
}

fn add_arp(frame: &Frame, decoded: &Decoded, out: &mut Dissection) {
    let Some((o, op, smac, sip, tmac, tip)) = arp_message(decoded, frame) else { return };
    let name = match op {
        1 => Some("request"),
        2 => Some("reply"),
        _ => None,
    };
    out.open(&ARP, o, 28, Value::None);
    out.add(&ARP_OPCODE, o + 6, 2, Value::Enum { value: op as u64, name });
    out.add(&ARP_SRC_HW, o + 8, 6, Value::Mac(smac));
    out.add(&ARP_SRC_IP, o + 14, 4, Value::Ip(sip.into()));
    out.add(&ARP_DST_HW, o + 18, 6, Value::Mac(tmac));
    out.add(&ARP_DST_IP, o + 24, 4, Value::Ip(tip.into()));
    out.close();
}

/// An IPv4 or IPv6 address from 4 or 16 bytes.
pub fn ip_from(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    }
}

/// tshark's name of an ICMP or ICMPv6 type.
fn icmp_type_name(v6: bool, t: u8) -> Option<&'static str> {
    Some(match (v6, t) {
        (false, 0) => "Echo (ping) reply",
        (false, 3) => "Destination unreachable",
        (false, 4) => "Source quench (flow control)",
        (false, 5) => "Redirect",
        (false, 8) => "Echo (ping) request",
        (false, 9) => "Router advertisement",
        (false, 10) => "Router solicitation",
        (false, 11) => "Time-to-live exceeded",
        (false, 12) => "Parameter problem",
        (false, 13) => "Timestamp request",
        (false, 14) => "Timestamp reply",
        (true, 1) => "Destination Unreachable",
        (true, 2) => "Packet Too Big",
        (true, 3) => "Time Exceeded",
        (true, 4) => "Parameter Problem",
        (true, 128) => "Echo (ping) request",
        (true, 129) => "Echo (ping) reply",
        (true, 133) => "Router Solicitation",
        (true, 134) => "Router Advertisement",
        (true, 135) => "Neighbor Solicitation",
        (true, 136) => "Neighbor Advertisement",
        (true, 137) => "Redirect",
        _ => return None,
    })
}

/// tshark's name of an ICMP or ICMPv6 code, which depends on the type.
fn icmp_code_name(i: &Icmp) -> Option<&'static str> {
    let nth = |names: &[&'static str]| names.get(usize::from(i.code)).copied();
    match (i.v6, i.icmp_type) {
        (false, 3) => nth(&[
            "Network unreachable",
            "Host unreachable",
            "Protocol unreachable",
            "Port unreachable",
            "Fragmentation needed",
            "Source route failed",
            "Destination network unknown",
            "Destination host unknown",
            "Source host isolated",
            "Network administratively prohibited",
            "Host administratively prohibited",
            "Network unreachable for TOS",
            "Host unreachable for TOS",
            "Communication administratively filtered",
            "Host precedence violation",
            "Precedence cutoff in effect",
        ]),
        (false, 5) => nth(&[
            "Redirect for network",
            "Redirect for host",
            "Redirect for TOS and network",
            "Redirect for TOS and host",
        ]),
        (false, 11) => nth(&["Time to live exceeded in transit", "Fragment reassembly time exceeded"]),
        (false, 12) => nth(&["Pointer indicates the error", "Required option missing", "Bad length"]),
        (true, 1) => nth(&[
            "no route to destination",
            "Administratively prohibited",
            "Beyond scope of source address",
            "Address unreachable",
            "Port unreachable",
            "Source address failed ingress/egress policy",
            "Reject route to destination",
            "Error in Source Routing Header",
        ]),
        (true, 3) => nth(&["hop limit exceeded in transit", "fragment reassembly time exceeded"]),
        (true, 4) => nth(&[
            "erroneous header field encountered",
            "unrecognized Next Header type encountered",
            "unrecognized IPv6 option encountered",
            "IPv6 First Fragment has incomplete IPv6 Header Chain",
        ]),
        _ => None,
    }
}

/// Appends the TCP flags as tshark names them in its summary, "SYN, ACK" (or "<None>"): no
/// allocation, as every TCP frame's summary line writes them.
fn push_tcp_flags(s: &mut String, flags: u16) {
    const NAMES: [(u16, &str); 6] =
        [(0x02, "SYN"), (0x10, "ACK"), (0x08, "PSH"), (0x01, "FIN"), (0x04, "RST"), (0x20, "URG")];
    let start = s.len();
    for (_, name) in NAMES.iter().filter(|(b, _)| flags & b != 0) {
        if s.len() > start {
            s.push_str(", ");
        }
        s.push_str(name);
    }
    if s.len() == start {
        s.push_str("<None>");
    }
}

#[cfg(test)]
mod tests {
    use super::{push_tcp_flags, Record};
    use crate::pipeline::Times;
    use udpdissect_capture::{Frame, Options, Timestamp};
    use udpdissect_core::Value;

    /// The flags word's parts named as tshark names them, for every direction and the
    /// reception types past the named ones; the direction as tshark's point-to-point one.
    #[test]
    fn packet_flags_parts_are_named_as_tshark_names_them() {
        let data = [0u8; 20];
        let parts = |flags: u32| {
            let mut bytes = vec![2, 0, 4, 0];
            bytes.extend_from_slice(&flags.to_le_bytes());
            let frame = Frame {
                options: Options::little_endian(&bytes),
                ..Frame::captured(1, Timestamp::default(), &data, 101)
            };
            let value = |r: Record| r.value(&frame, Times::default(), 0);
            let name = |r: Record| match value(r) {
                Some(Value::Enum { name, .. }) => name,
                other => panic!("{other:?}"),
            };
            (name(Record::Direction), name(Record::Reception), value(Record::P2pDir))
        };
        let p2p = |v: u64, n: &'static str| Some(Value::Enum { value: v, name: Some(n) });
        assert_eq!(parts(0x10), (Some("Unknown"), Some("Promiscuous"), None));
        assert_eq!(parts(0x01), (Some("Inbound"), Some("Not specified"), p2p(1, "Received")));
        assert_eq!(parts(0x02 | 3 << 2), (Some("Outbound"), Some("Broadcast"), p2p(0, "Sent")));
        assert_eq!(parts(0x03 | 7 << 2), (Some("Unknown"), None, None));
        // No flags option: none of its parts.
        let frame = Frame::captured(1, Timestamp::default(), &data, 101);
        assert_eq!(Record::Flags.value(&frame, Times::default(), 0), None);
        assert_eq!(Record::SymbolError.value(&frame, Times::default(), 0), None);
    }

    /// The findings a lost packet would raise too are counted by interface and tag, in the
    /// order first seen; the others are not.
    #[test]
    fn the_findings_a_loss_may_explain_are_counted_by_interface() {
        use udpdissect_core::{Dissection, ExpertGroup, ExpertInfo, Missing, Severity};
        static GAP: ExpertInfo =
            ExpertInfo::new("t.gap", Severity::Warn, ExpertGroup::Sequence, "").when_missing(Missing::Sender);
        static ACK: ExpertInfo =
            ExpertInfo::new("t.ack", Severity::Warn, ExpertGroup::Sequence, "").when_missing(Missing::Peer);
        static OTHER: ExpertInfo = ExpertInfo::new("t.other", Severity::Warn, ExpertGroup::Sequence, "");
        let data = [0u8; 20];
        let mut counted = super::Explicable::default();
        for (interface, raised) in [(0, &[&GAP, &OTHER][..]), (1, &[&ACK]), (0, &[]), (0, &[&ACK, &GAP])] {
            let mut out = Dissection::new(false);
            for e in raised {
                out.expert(e, "");
            }
            counted.count(&Frame { interface, ..Frame::captured(1, Timestamp::default(), &data, 101) }, &out);
        }
        assert_eq!(counted.on(0), ["t.gap ×2", "t.ack ×1"]);
        assert_eq!(counted.on(1), ["t.ack ×1"]);
        assert!(counted.on(2).is_empty());
        // At the end of the capture: on its interface when it has one, nowhere when several.
        let mut end = Dissection::new(false);
        end.expert(&GAP, "");
        end.expert(&OTHER, "");
        counted.count_at_end(2, &end);
        assert_eq!(
            (counted.on(0), counted.on(1)),
            (vec!["t.gap ×2".to_string(), "t.ack ×1".into()], vec!["t.ack ×1".into()])
        );
        counted.count_at_end(1, &end);
        assert_eq!(counted.on(0), ["t.gap ×3", "t.ack ×1"]);
    }

    /// tshark's order and separator, after what the line already holds.
    #[test]
    fn tcp_flags_are_named_in_tsharks_order() {
        let mut s = String::from("80 → 5000 [");
        push_tcp_flags(&mut s, 0x12);
        assert_eq!(s, "80 → 5000 [SYN, ACK");
        for (flags, text) in
            [(0x00, "<None>"), (0x01, "FIN"), (0x18, "ACK, PSH"), (0x3f, "SYN, ACK, PSH, FIN, RST, URG")]
        {
            let mut s = String::new();
            push_tcp_flags(&mut s, flags);
            assert_eq!(s, text, "flags {flags:#04x}");
        }
    }
}
