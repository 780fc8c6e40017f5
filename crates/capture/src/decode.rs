//! Link layer → network → transport, lax: a frame cut short decodes as far as its bytes go.

use crate::defrag::{Defragmenter, FragKey, Fragment, FragmentInfo};
use crate::linktype;
use crate::reader::Frame;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EthInfo {
    pub dst: [u8; 6],
    pub src: [u8; 6],
    /// The EtherType after all VLAN tags.
    pub ethertype: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vlan {
    /// Offset of the 4-byte tag (TPID at offset-2 is the outer header's type field: the
    /// tag here is TCI(2) + next type(2)).
    pub offset: usize,
    pub tpid: u16,
    pub pcp: u8,
    pub dei: bool,
    pub id: u16,
}

impl Vlan {
    /// An 802.1ad service tag (TPID 0x88a8), which tshark names `ieee8021ad`; 0x8100 and
    /// 0x9100 tags are `vlan` there.
    pub fn is_8021ad(&self) -> bool {
        self.tpid == 0x88a8
    }
}

/// Linux cooked capture v1 (16 bytes) or v2 (20 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SllInfo {
    pub version: u8,
    pub packet_type: u16,
    pub arphrd: u16,
    pub addr_len: u16,
    pub addr: [u8; 8],
    pub protocol: u16,
    /// v2 only.
    pub ifindex: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Ethernet(EthInfo),
    Sll(SllInfo),
    /// BSD/OpenBSD loopback: the 4-byte address family (in the byte order it was read).
    Loopback {
        family: u32,
    },
    /// Raw IP (101, 228, 229, 12, 14).
    Raw,
    /// Link type we do not decode.
    Unknown(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Info {
    pub offset: usize,
    pub header_len: usize,
    /// The DS field: DSCP in the top six bits, ECN in the low two.
    pub dsfield: u8,
    /// The reserved flag bit (evil bit), set by nobody sane.
    pub reserved_flag: bool,
    pub total_len: u16,
    pub id: u16,
    pub ttl: u8,
    pub protocol: u8,
    pub dont_fragment: bool,
    pub more_fragments: bool,
    /// Fragment offset in bytes.
    pub frag_offset: u32,
    pub checksum: u16,
    pub src: std::net::Ipv4Addr,
    pub dst: std::net::Ipv4Addr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Info {
    pub offset: usize,
    pub payload_len: u16,
    /// The final next-header value (after extension headers).
    pub next_header: u8,
    /// The fixed header's own next-header field (the first extension header, if any).
    pub header_next: u8,
    pub hop_limit: u8,
    /// Traffic class: DSCP in the top six bits, ECN in the low two.
    pub traffic_class: u8,
    pub flow_label: u32,
    pub src: std::net::Ipv6Addr,
    pub dst: std::net::Ipv6Addr,
    /// Offset of the upper-layer header (after extension headers).
    pub upper_offset: usize,
    /// Fragment header, if any: (identification, offset in bytes, more fragments).
    pub fragment: Option<(u32, u32, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Net {
    None,
    Ipv4(Ipv4Info),
    Ipv6(Ipv6Info),
    Arp,
    /// An IPv4 or IPv6 header the frame ends inside of (snaplen cut or damage); the address
    /// bytes that were captured are still shown, as tshark does.
    Cut {
        offset: usize,
        version: u8,
    },
    /// Some other EtherType / SLL protocol / loopback family.
    Other(u16),
}

impl Net {
    pub fn src(&self) -> Option<IpAddr> {
        match self {
            Net::Ipv4(i) => Some(IpAddr::V4(i.src)),
            Net::Ipv6(i) => Some(IpAddr::V6(i.src)),
            _ => None,
        }
    }
    pub fn dst(&self) -> Option<IpAddr> {
        match self {
            Net::Ipv4(i) => Some(IpAddr::V4(i.dst)),
            Net::Ipv6(i) => Some(IpAddr::V6(i.dst)),
            _ => None,
        }
    }
}

/// Where a UDP payload lives.
#[derive(Debug, Clone, Copy)]
pub enum UdpPayload<'a> {
    /// In the frame, starting at `offset`.
    Wire { offset: usize, bytes: &'a [u8] },
    /// In a reassembled IP payload (owned by the [`Defragmenter`] until the next call);
    /// `offset` is into that buffer (the UDP header is at 0, so payload offset is 8).
    Reassembled { offset: usize, bytes: &'a [u8], buffer: &'a [u8] },
}

impl<'a> UdpPayload<'a> {
    pub fn bytes(&self) -> &'a [u8] {
        match self {
            UdpPayload::Wire { bytes, .. } | UdpPayload::Reassembled { bytes, .. } => bytes,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Udp<'a> {
    /// Offset of the UDP header in the frame, or in the reassembled buffer (then 0).
    pub header_offset: usize,
    pub src_port: u16,
    pub dst_port: u16,
    /// The header's length field (header + payload).
    pub length: u16,
    pub checksum: u16,
    /// The payload as far as it was captured and as the length field allows.
    pub payload: UdpPayload<'a>,
    /// Payload shorter than the length field says (snaplen cut or truncated IP).
    pub truncated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tcp {
    pub header_offset: usize,
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: u16,
    pub payload_len: usize,
}

/// ICMP or ICMPv6. An error message (destination unreachable, time exceeded, ...) quotes the
/// start of the datagram that caused it; [`Icmp::quoted`] decodes that quote from the frame when
/// asked (most runs never ask, and the decode of every frame stays small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icmp {
    pub v6: bool,
    pub header_offset: usize,
    /// Bytes of the message captured (within the IP length).
    pub len: usize,
    pub icmp_type: u8,
    pub code: u8,
    pub checksum: u16,
    /// The one's-complement sum of the message (ICMPv6: with its pseudo-header) without its
    /// checksum field, folded; `None` when the message was not captured whole.
    pub sum: Option<u16>,
    /// Header bytes 4 to 8: an echo's identifier and sequence number, an MTU, or unused.
    pub rest: u32,
    /// An error whose quote lies in the frame (a reassembled message's offsets are its
    /// buffer's: ICMP errors are small enough never to be fragmented, so it is left undecoded).
    quotes: bool,
}

/// The datagram an ICMP error quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted {
    /// [`Net::Ipv4`] or [`Net::Ipv6`], with offsets in the frame.
    pub net: Net,
    pub udp: Option<UdpHeader>,
    /// The quoted upper layer's protocol number and offset in the frame, when the quote starts
    /// it (a first fragment's bytes past the IP header and its extension headers).
    pub upper: Option<(u8, usize)>,
}

impl Quoted {
    /// A quoted TCP header's ports, when the quote holds them (errors quote at least 8 bytes
    /// past the IP header: the ports and the sequence number).
    pub fn tcp_ports(&self, frame: &[u8]) -> Option<(usize, u16, u16)> {
        let (6, at) = self.upper? else { return None };
        let b = frame.get(at..at + 4)?;
        Some((at, u16::from_be_bytes([b[0], b[1]]), u16::from_be_bytes([b[2], b[3]])))
    }
}

/// A UDP header's fields, at its offset (here, one an ICMP error quotes: a first fragment's, or a
/// whole datagram's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpHeader {
    pub header_offset: usize,
    pub src_port: u16,
    pub dst_port: u16,
    pub length: u16,
    pub checksum: u16,
}

impl Icmp {
    /// The datagram an error quotes, decoded from `frame` (the bytes this message was decoded
    /// from): its IP header, and its UDP header when the quote holds one, at their offsets.
    pub fn quoted(&self, frame: &[u8]) -> Option<Quoted> {
        if !self.quotes {
            return None;
        }
        quoted(frame, self.header_offset + 8, self.header_offset + self.len)
    }

    /// The quoted datagram's ends and its UDP length field, when it quotes UDP.
    pub fn quoted_udp(&self, frame: &[u8]) -> Option<(SocketAddr, SocketAddr, u16)> {
        let q = self.quoted(frame)?;
        let u = q.udp?;
        Some((SocketAddr::new(q.net.src()?, u.src_port), SocketAddr::new(q.net.dst()?, u.dst_port), u.length))
    }

    /// Whether the checksum matches; `None` when the message was not captured whole.
    pub fn checksum_ok(&self) -> Option<bool> {
        self.sum.map(|sum| fold(u64::from(sum) + u64::from(self.checksum)) == 0xffff)
    }

    /// An echo request's or reply's identifier and sequence number.
    pub fn echo(&self) -> Option<(u16, u16)> {
        let echo = if self.v6 { matches!(self.icmp_type, 128 | 129) } else { matches!(self.icmp_type, 0 | 8) };
        echo.then_some(((self.rest >> 16) as u16, self.rest as u16))
    }

    /// The checksum the message should carry.
    pub fn checksum_should_be(&self) -> u16 {
        !self.sum.unwrap_or(0xffff)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Transport<'a> {
    None,
    Udp(Udp<'a>),
    Tcp(Tcp),
    Icmp(Icmp),
    /// An IP fragment that did not (yet) complete a datagram.
    Fragment,
    /// Another IP protocol number.
    Other(u8),
}

#[derive(Debug, Clone, Copy)]
pub struct Decoded<'a> {
    pub link: Link,
    /// Up to two VLAN tags (802.1Q, QinQ), outermost first.
    pub vlans: [Option<Vlan>; 2],
    pub net: Net,
    pub transport: Transport<'a>,
    /// For a frame that completed an IP reassembly: which frames contributed.
    pub reassembled: Option<&'a FragmentInfo>,
    /// For a frame that is a fragment: the frame that completed (or will complete) it is unknown
    /// while streaming; this is the fragment's own data length.
    pub fragment_len: Option<usize>,
    /// True when the frame ended before a header or a length field said it should
    /// (snaplen cut or damaged): decode went as far as the bytes go.
    pub truncated: bool,
}

impl Decoded<'_> {
    /// A frame whose layers are left undecoded: its link type, and nothing under it.
    pub fn undecoded(frame: &Frame) -> Self {
        Decoded {
            link: Link::Unknown(frame.link_type),
            vlans: [None; 2],
            net: Net::None,
            transport: Transport::None,
            reassembled: None,
            fragment_len: None,
            truncated: false,
        }
    }
}

/// The two ends of the UDP datagram in an Ethernet frame's unfragmented IPv4 packet, read
/// without decoding the frame: a glance at a frame that comes soon, so that what counting it
/// will look up can start loading. `None` for anything else (VLAN tags, IPv6, fragments, other
/// link types), which then goes without; where it answers, [`decode`] finds the same ends.
#[inline]
pub fn glance_udp_v4(data: &[u8], link_type: u16) -> Option<(SocketAddr, SocketAddr)> {
    glance_udp_v4_datagram(data, link_type).map(|(src, dst, _)| (src, dst))
}

/// [`glance_udp_v4`], with the bytes after the UDP header (to the frame's end: the UDP length
/// is not checked, nor any padding cut).
#[inline]
pub fn glance_udp_v4_datagram(data: &[u8], link_type: u16) -> Option<(SocketAddr, SocketAddr, &[u8])> {
    let b = data.get(..42)?;
    let (ip, ihl) = (&b[14..], usize::from(b[14] & 0x0f) * 4);
    // More fragments, or an offset: either way not a whole datagram.
    let fragment = u16::from_be_bytes([ip[6], ip[7]]) & 0x3fff != 0;
    let udp_v4 = b[12..14] == [8, 0] && ip[0] >> 4 == 4 && ip[9] == 17;
    if link_type != crate::linktype::ETHERNET || !udp_v4 || ihl < 20 || fragment {
        return None;
    }
    let ports = data.get(14 + ihl..14 + ihl + 4)?;
    let payload = data.get(14 + ihl + 8..).unwrap_or_default();
    let port = |i: usize| u16::from_be_bytes([ports[i], ports[i + 1]]);
    let addr = |i: usize| [ip[i], ip[i + 1], ip[i + 2], ip[i + 3]];
    Some((SocketAddr::from((addr(12), port(0))), SocketAddr::from((addr(16), port(2))), payload))
}

/// Decodes a frame's layers. `defrag` keeps IP fragments across calls (bounded).
pub fn decode<'a>(frame: &Frame<'a>, defrag: &'a mut Defragmenter) -> Decoded<'a> {
    let mut d = Decoded::undecoded(frame);
    decode_into(frame, defrag, &mut d);
    d
}

/// [`decode`] into `d`, whatever it held. For the per-frame loops: a `Decoded` returned is made
/// on the callee's stack and copied out whole (224 bytes through `memcpy`, its loads waiting on
/// the narrower stores that had just made it).
pub fn decode_into<'a>(frame: &Frame<'a>, defrag: &'a mut Defragmenter, d: &mut Decoded<'a>) {
    let data = frame.data;
    // Capture time moves on with every frame, so stale fragments expire in quiet periods too.
    defrag.now(frame.ts);
    *d = Decoded::undecoded(frame);
    let next = match frame.link_type {
        linktype::ETHERNET => ethernet(data, d),
        linktype::LINUX_SLL => sll(data, d),
        linktype::LINUX_SLL2 => sll2(data, d),
        linktype::NULL | linktype::LOOP => loopback(data, frame.link_type == linktype::LOOP, d),
        linktype::RAW | linktype::RAW_ALT12 | linktype::RAW_ALT14 => {
            d.link = Link::Raw;
            match data.first() {
                None => {
                    d.truncated = true;
                    NetStart::None
                }
                Some(b) if b >> 4 == 4 => NetStart::Ipv4(0),
                Some(b) if b >> 4 == 6 => NetStart::Ipv6(0),
                Some(_) => NetStart::None,
            }
        }
        linktype::IPV4 => {
            d.link = Link::Raw;
            NetStart::Ipv4(0)
        }
        linktype::IPV6 => {
            d.link = Link::Raw;
            NetStart::Ipv6(0)
        }
        _ => NetStart::None,
    };
    match next {
        NetStart::None => {}
        NetStart::Ether(et, off) => match et {
            0x0800 => ipv4(frame, off, d, defrag),
            0x86dd => ipv6(frame, off, d, defrag),
            0x0806 => d.net = Net::Arp,
            _ => d.net = Net::Other(et),
        },
        NetStart::Other(v) => d.net = Net::Other(v),
        NetStart::Ipv4(off) => ipv4(frame, off, d, defrag),
        NetStart::Ipv6(off) => ipv6(frame, off, d, defrag),
    }
}

/// What follows the link layer.
enum NetStart {
    None,
    /// An EtherType and the offset of its payload.
    Ether(u16, usize),
    Ipv4(usize),
    Ipv6(usize),
    /// A loopback family we do not decode.
    Other(u16),
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn v4addr(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

fn v6addr(b: &[u8], at: usize) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[at..at + 16]);
    Ipv6Addr::from(a)
}

fn is_vlan_tpid(et: u16) -> bool {
    matches!(et, 0x8100 | 0x88a8 | 0x9100)
}

/// Walks VLAN tags starting with type `et` whose tag is at `p`; records up to two.
/// Returns the final type, its payload offset, and false when the tags are cut short.
fn vlan_tags(data: &[u8], mut et: u16, mut p: usize, d: &mut Decoded<'_>) -> (u16, usize, bool) {
    let mut n = 0;
    while is_vlan_tpid(et) {
        let (Some(tci), Some(next)) = (be16(data, p), be16(data, p + 2)) else {
            d.truncated = true;
            return (et, p, false);
        };
        if n < 2 {
            d.vlans[n] =
                Some(Vlan { offset: p, tpid: et, pcp: (tci >> 13) as u8, dei: tci & 0x1000 != 0, id: tci & 0x0fff });
        }
        n += 1;
        et = next;
        p += 4;
    }
    (et, p, true)
}

fn ethernet(data: &[u8], d: &mut Decoded<'_>) -> NetStart {
    if data.len() < 14 {
        // Keep what is there of the addresses.
        let mut eth = EthInfo { dst: [0; 6], src: [0; 6], ethertype: 0 };
        let n = data.len().min(6);
        eth.dst[..n].copy_from_slice(&data[..n]);
        if data.len() > 6 {
            let n = (data.len() - 6).min(6);
            eth.src[..n].copy_from_slice(&data[6..6 + n]);
        }
        d.link = Link::Ethernet(eth);
        d.truncated = true;
        return NetStart::None;
    }
    let et = be16(data, 12).unwrap_or(0);
    let (et, p, complete) = vlan_tags(data, et, 14, d);
    // Made from the frame's bytes in one go: assembled in a local first, its addresses were
    // stored in pieces and copied out in words, and each copy waited for the pieces to reach
    // the cache (two fifths of this function's time).
    let mac = |at: usize| -> [u8; 6] { data.get(at..at + 6).and_then(|m| m.try_into().ok()).unwrap_or_default() };
    d.link = Link::Ethernet(EthInfo { dst: mac(0), src: mac(6), ethertype: et });
    ether_start(et, p, complete)
}

/// Where the network layer starts after the tags, unless the tags were cut short.
fn ether_start(et: u16, p: usize, complete: bool) -> NetStart {
    if complete {
        NetStart::Ether(et, p)
    } else {
        NetStart::None
    }
}

fn sll(data: &[u8], d: &mut Decoded<'_>) -> NetStart {
    let mut s = SllInfo { version: 1, packet_type: 0, arphrd: 0, addr_len: 0, addr: [0; 8], protocol: 0, ifindex: 0 };
    if data.len() < 16 {
        d.link = Link::Sll(s);
        d.truncated = true;
        return NetStart::None;
    }
    s.packet_type = be16(data, 0).unwrap_or(0);
    s.arphrd = be16(data, 2).unwrap_or(0);
    s.addr_len = be16(data, 4).unwrap_or(0);
    s.addr.copy_from_slice(&data[6..14]);
    s.protocol = be16(data, 14).unwrap_or(0);
    d.link = Link::Sll(s);
    let (et, p, complete) = vlan_tags(data, s.protocol, 16, d);
    ether_start(et, p, complete)
}

fn sll2(data: &[u8], d: &mut Decoded<'_>) -> NetStart {
    let mut s = SllInfo { version: 2, packet_type: 0, arphrd: 0, addr_len: 0, addr: [0; 8], protocol: 0, ifindex: 0 };
    if data.len() < 20 {
        d.link = Link::Sll(s);
        d.truncated = true;
        return NetStart::None;
    }
    s.protocol = be16(data, 0).unwrap_or(0);
    s.ifindex = be32(data, 4).unwrap_or(0);
    s.arphrd = be16(data, 8).unwrap_or(0);
    s.packet_type = u16::from(data[10]);
    s.addr_len = u16::from(data[11]);
    s.addr.copy_from_slice(&data[12..20]);
    d.link = Link::Sll(s);
    let (et, p, complete) = vlan_tags(data, s.protocol, 20, d);
    ether_start(et, p, complete)
}

/// BSD loopback (NULL: host byte order, either accepted) and OpenBSD loopback (network order).
fn loopback(data: &[u8], network_order: bool, d: &mut Decoded<'_>) -> NetStart {
    let Some(b) = data.get(..4) else {
        d.link = Link::Loopback { family: 0 };
        d.truncated = true;
        return NetStart::None;
    };
    let be = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let kind = |f: u32| match f {
        2 => Some(NetStart::Ipv4(4)),
        24 | 28 | 30 => Some(NetStart::Ipv6(4)),
        _ => None,
    };
    let (family, next) = if network_order {
        (be, kind(be))
    } else if let Some(k) = kind(le) {
        (le, Some(k))
    } else {
        (be, kind(be))
    };
    match next {
        Some(n) => {
            d.link = Link::Loopback { family };
            n
        }
        None => {
            let family = if network_order { be } else { le };
            d.link = Link::Loopback { family };
            NetStart::Other(family as u16)
        }
    }
}

/// The fixed IPv4 header in `b` (at least 20 bytes), found at `offset`.
pub fn ipv4_header(b: &[u8], offset: usize) -> Ipv4Info {
    let ff = u16::from_be_bytes([b[6], b[7]]);
    Ipv4Info {
        offset,
        header_len: usize::from(b[0] & 0x0f) * 4,
        dsfield: b[1],
        reserved_flag: ff & 0x8000 != 0,
        total_len: u16::from_be_bytes([b[2], b[3]]),
        id: u16::from_be_bytes([b[4], b[5]]),
        ttl: b[8],
        protocol: b[9],
        dont_fragment: ff & 0x4000 != 0,
        more_fragments: ff & 0x2000 != 0,
        frag_offset: u32::from(ff & 0x1fff) * 8,
        checksum: u16::from_be_bytes([b[10], b[11]]),
        src: v4addr(b, 12),
        dst: v4addr(b, 16),
    }
}

fn ipv4<'a>(frame: &Frame<'a>, p: usize, d: &mut Decoded<'a>, defrag: &'a mut Defragmenter) {
    let data = frame.data;
    let Some(b) = data.get(p..p + 20) else {
        d.truncated = true;
        d.net = Net::Cut { offset: p, version: 4 };
        return;
    };
    if b[0] >> 4 != 4 {
        d.net = Net::Other(0x0800);
        return;
    }
    let info = ipv4_header(b, p);
    let (hl, total) = (info.header_len, info.total_len);
    d.net = Net::Ipv4(info);
    if hl < 20 {
        return; // bad header length: nothing more to trust
    }
    if data.len() < p + hl {
        d.truncated = true;
        return;
    }
    // Total length 0 happens with TSO captures: use what was captured.
    let declared_end = if total == 0 { data.len() } else { p + usize::from(total) };
    if declared_end < p + hl {
        return; // total length shorter than the header: damaged
    }
    let end = declared_end.min(data.len());
    if declared_end > data.len() {
        d.truncated = true;
    }
    let start = p + hl;
    let seg = &data[start..end];
    let declared = declared_end - start;
    if info.more_fragments || info.frag_offset > 0 {
        d.fragment_len = Some(declared);
        d.transport = Transport::Fragment;
        if seg.len() < declared {
            return; // a cut fragment cannot be reassembled
        }
        let key = FragKey {
            src: IpAddr::V4(info.src),
            dst: IpAddr::V4(info.dst),
            proto: info.protocol,
            id: u32::from(info.id),
        };
        let frag = Fragment {
            frame: frame.number,
            offset: info.frag_offset,
            more: info.more_fragments,
            proto: info.protocol,
            data: seg,
        };
        if let Some(r) = defrag.add(key, frame.ts, frag) {
            d.reassembled = Some(r.info);
            transport(r.proto, r.payload, 0, r.payload.len(), r.payload.len(), true, d);
        }
        return;
    }
    transport(info.protocol, data, start, end, declared_end, false, d);
}

/// Result of walking IPv6 extension headers.
struct ExtWalk {
    next_header: u8,
    /// Offset of the upper-layer header (or of the header that stopped the walk).
    offset: usize,
    fragment: Option<(u32, u32, bool)>,
    /// False when the chain is cut short by `end`.
    complete: bool,
}

/// Walks extension headers in `b[q..end]` starting with next-header `nh`; stops after a
/// fragment header (what follows it belongs to the fragmentable part).
fn walk_ext(b: &[u8], mut q: usize, end: usize, mut nh: u8) -> ExtWalk {
    let end = end.min(b.len());
    loop {
        let len = match nh {
            0 | 43 | 60 => match b.get(q + 1) {
                Some(&l) if q + 2 <= end => (usize::from(l) + 1) * 8,
                _ => return ExtWalk { next_header: nh, offset: q, fragment: None, complete: false },
            },
            51 => match b.get(q + 1) {
                Some(&l) if q + 2 <= end => (usize::from(l) + 2) * 4,
                _ => return ExtWalk { next_header: nh, offset: q, fragment: None, complete: false },
            },
            44 => {
                if q + 8 > end {
                    return ExtWalk { next_header: nh, offset: q, fragment: None, complete: false };
                }
                let off = u16::from_be_bytes([b[q + 2], b[q + 3]]);
                let id = u32::from_be_bytes([b[q + 4], b[q + 5], b[q + 6], b[q + 7]]);
                return ExtWalk {
                    next_header: b[q],
                    offset: q + 8,
                    fragment: Some((id, u32::from(off & 0xfff8), off & 1 != 0)),
                    complete: true,
                };
            }
            _ => return ExtWalk { next_header: nh, offset: q, fragment: None, complete: true },
        };
        if q + len > end {
            return ExtWalk { next_header: nh, offset: q, fragment: None, complete: false };
        }
        nh = b[q];
        q += len;
    }
}

/// The fixed IPv6 header in `b` (at least 40 bytes), found at `offset`, as if no extension
/// header followed: for a header the capture cut short.
pub fn ipv6_fixed_header(b: &[u8], offset: usize) -> Ipv6Info {
    let walk = ExtWalk { next_header: b[6], offset: offset + 40, fragment: None, complete: false };
    ipv6_header(b, offset, &walk)
}

/// The IPv6 header in `b` (at least 40 bytes), found at `offset`, and its extension headers' walk.
fn ipv6_header(b: &[u8], offset: usize, w: &ExtWalk) -> Ipv6Info {
    let first_word = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Ipv6Info {
        offset,
        payload_len: u16::from_be_bytes([b[4], b[5]]),
        next_header: w.next_header,
        header_next: b[6],
        hop_limit: b[7],
        traffic_class: (first_word >> 20) as u8,
        flow_label: first_word & 0x000f_ffff,
        src: v6addr(b, 8),
        dst: v6addr(b, 24),
        upper_offset: w.offset,
        fragment: w.fragment,
    }
}

fn ipv6<'a>(frame: &Frame<'a>, p: usize, d: &mut Decoded<'a>, defrag: &'a mut Defragmenter) {
    let data = frame.data;
    let Some(b) = data.get(p..p + 40) else {
        d.truncated = true;
        d.net = Net::Cut { offset: p, version: 6 };
        return;
    };
    if b[0] >> 4 != 6 {
        d.net = Net::Other(0x86dd);
        return;
    }
    let plen = u16::from_be_bytes([b[4], b[5]]);
    // Payload length 0: jumbogram or TSO capture; use what was captured.
    let declared_end = if plen == 0 { data.len() } else { p + 40 + usize::from(plen) };
    let end = declared_end.min(data.len());
    if declared_end > data.len() {
        d.truncated = true;
    }
    let w = walk_ext(data, p + 40, end, b[6]);
    let info = ipv6_header(b, p, &w);
    d.net = Net::Ipv6(info);
    if !w.complete {
        // Extension headers cut short by the capture (or by the payload length).
        d.truncated = true;
        return;
    }
    let start = w.offset;
    let seg = &data[start..end];
    let declared = declared_end - start;
    if let Some((id, offset, more)) = w.fragment {
        if offset != 0 || more {
            d.fragment_len = Some(declared);
            d.transport = Transport::Fragment;
            if seg.len() < declared {
                return;
            }
            let key = FragKey { src: IpAddr::V6(info.src), dst: IpAddr::V6(info.dst), proto: 0, id };
            let frag = Fragment { frame: frame.number, offset, more, proto: w.next_header, data: seg };
            if let Some(r) = defrag.add(key, frame.ts, frag) {
                d.reassembled = Some(r.info);
                let buf = r.payload;
                // The first fragment may carry more extension headers before the upper layer.
                let w2 = walk_ext(buf, 0, buf.len(), r.proto);
                if w2.complete && w2.fragment.is_none() {
                    transport(w2.next_header, buf, w2.offset, buf.len(), buf.len(), true, d);
                } else {
                    d.transport = Transport::Other(w2.next_header);
                }
            }
            return;
        }
        // Atomic fragment (offset 0, no more): a whole datagram; the upper layer may still
        // be behind further extension headers.
        let w2 = walk_ext(data, start, end, w.next_header);
        if !w2.complete {
            d.truncated = true;
            return;
        }
        if let Net::Ipv6(i) = &mut d.net {
            i.next_header = w2.next_header;
            i.upper_offset = w2.offset;
        }
        transport(w2.next_header, data, w2.offset, end, declared_end, false, d);
        return;
    }
    transport(w.next_header, data, start, end, declared_end, false, d);
}

/// Decodes the upper layer at `buf[base..end]` (`buf` is the frame, or the reassembled
/// payload when `reasm`); `end` is where the captured bytes within the IP length stop,
/// `declared_end` where the IP length says the datagram ends.
fn transport<'a>(
    proto: u8,
    buf: &'a [u8],
    base: usize,
    end: usize,
    declared_end: usize,
    reasm: bool,
    d: &mut Decoded<'a>,
) {
    let seg = &buf[base..end];
    let declared = declared_end - base;
    let v6 = matches!(d.net, Net::Ipv6(_));
    match proto {
        17 => {
            if seg.len() < 8 {
                d.truncated = true;
                return;
            }
            let length = u16::from_be_bytes([seg[4], seg[5]]);
            let avail = seg.len() - 8;
            let want = if length >= 8 { usize::from(length) - 8 } else { avail };
            let n = want.min(avail);
            if n < want {
                d.truncated = true;
            }
            let bytes = &seg[8..8 + n];
            let payload = if reasm {
                UdpPayload::Reassembled { offset: base + 8, bytes, buffer: buf }
            } else {
                UdpPayload::Wire { offset: base + 8, bytes }
            };
            d.transport = Transport::Udp(Udp {
                header_offset: base,
                src_port: u16::from_be_bytes([seg[0], seg[1]]),
                dst_port: u16::from_be_bytes([seg[2], seg[3]]),
                length,
                checksum: u16::from_be_bytes([seg[6], seg[7]]),
                payload,
                truncated: n < want,
            });
        }
        6 => {
            if seg.len() < 20 {
                d.truncated = true;
                return;
            }
            let doff = usize::from(seg[12] >> 4) * 4;
            d.transport = Transport::Tcp(Tcp {
                header_offset: base,
                src_port: u16::from_be_bytes([seg[0], seg[1]]),
                dst_port: u16::from_be_bytes([seg[2], seg[3]]),
                seq: u32::from_be_bytes([seg[4], seg[5], seg[6], seg[7]]),
                ack: u32::from_be_bytes([seg[8], seg[9], seg[10], seg[11]]),
                flags: u16::from_be_bytes([seg[12], seg[13]]) & 0x0fff,
                payload_len: declared.saturating_sub(doff.max(20)),
            });
        }
        1 | 58 if (proto == 58) == v6 => {
            if seg.len() < 4 {
                d.truncated = true;
                return;
            }
            let icmp_type = seg[0];
            let is_error = if v6 { (1..=4).contains(&icmp_type) } else { matches!(icmp_type, 3 | 4 | 5 | 11 | 12) };
            let checksum = u16::from_be_bytes([seg[2], seg[3]]);
            let sum = (seg.len() == declared).then(|| {
                let pseudo = match d.net {
                    Net::Ipv6(ip) if v6 => {
                        ones_sum(&ip.src.octets()) + ones_sum(&ip.dst.octets()) + declared as u64 + 58
                    }
                    _ => 0,
                };
                fold(pseudo + ones_sum(seg) - u64::from(checksum))
            });
            let rest = seg.get(4..8).map_or(0, |r| u32::from_be_bytes([r[0], r[1], r[2], r[3]]));
            d.transport = Transport::Icmp(Icmp {
                v6,
                header_offset: base,
                icmp_type,
                code: seg[1],
                len: seg.len(),
                checksum,
                sum,
                rest,
                quotes: is_error && !reasm,
            });
        }
        _ => d.transport = Transport::Other(proto),
    }
}

/// The one's-complement sum of `b` as big-endian 16-bit words (an odd last byte padded),
/// not yet folded.
fn ones_sum(b: &[u8]) -> u64 {
    let mut chunks = b.chunks_exact(2);
    let mut sum: u64 = chunks.by_ref().map(|w| u64::from(u16::from_be_bytes([w[0], w[1]]))).sum();
    if let [last] = chunks.remainder() {
        sum += u64::from(*last) << 8;
    }
    sum
}

fn fold(mut sum: u64) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The datagram an ICMP error quotes at `buf[at..end]`: its IP header, and its UDP header when
/// the quote reaches it (whole or first fragment).
fn quoted(buf: &[u8], at: usize, end: usize) -> Option<Quoted> {
    let q = buf.get(at..end)?;
    let (net, proto, upper) = match q.first()? >> 4 {
        4 => {
            let info = ipv4_header(q.get(..20)?, at);
            let first = info.frag_offset == 0;
            (Net::Ipv4(info), info.protocol, (info.header_len >= 20 && first).then_some(info.header_len))
        }
        6 => {
            let w = walk_ext(q, 40, q.len(), q.get(..40)?[6]);
            let info = ipv6_header(&q[..40], at, &w);
            let first = !matches!(w.fragment, Some((_, off, _)) if off != 0);
            (Net::Ipv6(info), w.next_header, (w.complete && first).then_some(w.offset))
        }
        _ => return None,
    };
    let udp = match (proto, upper.and_then(|u| q.get(u..u + 8).map(|b| (u, b)))) {
        (17, Some((u, b))) => Some(UdpHeader {
            header_offset: at + u,
            src_port: u16::from_be_bytes([b[0], b[1]]),
            dst_port: u16::from_be_bytes([b[2], b[3]]),
            length: u16::from_be_bytes([b[4], b[5]]),
            checksum: u16::from_be_bytes([b[6], b[7]]),
        }),
        _ => None,
    };
    let upper = upper.filter(|&u| u < q.len()).map(|u| (proto, at + u));
    Some(Quoted { net, udp, upper })
}
