//! Link layer → network → transport, lax: a frame cut short decodes as far as its bytes go.

use crate::defrag::{Defragmenter, FragmentInfo};
use crate::reader::Frame;
use std::net::IpAddr;

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
    Loopback { family: u32 },
    /// Raw IP (101, 228, 229, 12, 14).
    Raw,
    /// Link type we do not decode.
    Unknown(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Info {
    pub offset: usize,
    pub header_len: usize,
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
    pub hop_limit: u8,
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

/// ICMP or ICMPv6, with the quoted datagram's addresses and UDP ports when it is an error
/// message quoting a UDP packet (so "ICMP errors that quote a heartbeat" can be shown, not
/// dissected as heartbeats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icmp {
    pub v6: bool,
    pub header_offset: usize,
    pub icmp_type: u8,
    pub code: u8,
    /// For error messages quoting IP+UDP: (src ip, src port, dst ip, dst port, quoted UDP length field).
    pub quoted_udp: Option<(IpAddr, u16, IpAddr, u16, u16)>,
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

/// Decodes a frame's layers. `defrag` keeps IP fragments across calls (bounded).
pub fn decode<'a>(frame: &Frame<'a>, defrag: &'a mut Defragmenter) -> Decoded<'a> {
    let _ = (frame, defrag);
    todo!()
}
