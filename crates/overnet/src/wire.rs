//! Overnet wire format (`protocols/overnet.md` §A.1–A.4): one message per datagram, byte 0
//! 0xE3, byte 1 the opcode, the body to the end. Integers little-endian, md4 raw, IPv4 in
//! dotted (wire) order.

use std::net::Ipv4Addr;

use crate::search_tree::{self, Node};
use crate::tags::{self, Tag};

/// The eDonkey magic shared by Overnet and eDonkey server UDP.
pub const MAGIC_EDONKEY: u8 = 0xE3;
/// eMule client-to-client UDP extensions.
pub const MAGIC_EMULE: u8 = 0xC5;
/// eMule zlib-packed (a TCP magic, accepted on UDP by Wireshark).
pub const MAGIC_PACKED: u8 = 0xD4;
/// eMule Kad, plain.
pub const MAGIC_KAD: u8 = 0xE4;
/// eMule Kad, body after the opcode zlib-compressed.
pub const MAGIC_KAD_PACKED: u8 = 0xE5;
/// aMule AdunanzA Kad, plain and packed.
pub const MAGIC_KADU: u8 = 0xA4;
pub const MAGIC_KADU_PACKED: u8 = 0xA5;
/// RevConnect Kad, plain and packed.
pub const MAGIC_REVCONNECT: u8 = 0xD0;
pub const MAGIC_REVCONNECT_PACKED: u8 = 0xD1;

/// The eDonkey-family UDP magics and their names.
pub fn magic_name(m: u8) -> Option<&'static str> {
    Some(match m {
        MAGIC_EDONKEY => "eDonkey",
        MAGIC_EMULE => "eMule extensions",
        MAGIC_PACKED => "eMule packed",
        MAGIC_KAD => "Kad",
        MAGIC_KAD_PACKED => "Kad packed",
        MAGIC_KADU => "KAdu",
        MAGIC_KADU_PACKED => "KAdu packed",
        MAGIC_REVCONNECT => "RevConnect Kad",
        MAGIC_REVCONNECT_PACKED => "RevConnect Kad packed",
        _ => return None,
    })
}

pub type Md4 = [u8; 16];

/// An Overnet opcode (byte 1 after 0xE3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Opcode(pub u8);

impl Opcode {
    pub const CONNECT: Opcode = Opcode(0x0A);
    pub const CONNECT_REPLY: Opcode = Opcode(0x0B);
    pub const PUBLICIZE: Opcode = Opcode(0x0C);
    pub const PUBLICIZED: Opcode = Opcode(0x0D);
    pub const SEARCH: Opcode = Opcode(0x0E);
    pub const SEARCH_REPLY: Opcode = Opcode(0x0F);
    pub const GET_SEARCH_RESULTS: Opcode = Opcode(0x10);
    pub const SEARCH_RESULT: Opcode = Opcode(0x11);
    pub const NO_RESULT: Opcode = Opcode(0x12);
    pub const PUBLISH: Opcode = Opcode(0x13);
    pub const PUBLISHED: Opcode = Opcode(0x14);
    pub const IDENTIFY_REPLY: Opcode = Opcode(0x15);
    pub const IDENTIFY_ACK: Opcode = Opcode(0x16);
    pub const FIREWALL_CONNECTION: Opcode = Opcode(0x18);
    pub const FIREWALL_CONNECTION_ACK: Opcode = Opcode(0x19);
    pub const FIREWALL_CONNECTION_NACK: Opcode = Opcode(0x1A);
    pub const GET_MY_IP: Opcode = Opcode(0x1B);
    pub const GET_MY_IP_RESULT: Opcode = Opcode(0x1C);
    pub const GET_MY_IP_DONE: Opcode = Opcode(0x1D);
    pub const IDENTIFY: Opcode = Opcode(0x1E);
    pub const PEER_NOT_FOUND: Opcode = Opcode(0x21);

    /// The mldonkey/seed name (KadC's for the Identify family, which the seed lacks).
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0A => "Connect",
            0x0B => "ConnectReply",
            0x0C => "Publicize",
            0x0D => "Publicized",
            0x0E => "Search",
            0x0F => "SearchReply",
            0x10 => "GetSearchResults",
            0x11 => "SearchResult",
            0x12 => "NoResult",
            0x13 => "Publish",
            0x14 => "Published",
            0x15 => "IdentifyReply",
            0x16 => "IdentifyAck",
            0x18 => "FirewallConnection",
            0x19 => "FirewallConnectionAck",
            0x1A => "FirewallConnectionNack",
            0x1B => "GetMyIP",
            0x1C => "GetMyIPResult",
            0x1D => "GetMyIPDone",
            0x1E => "Identify",
            0x21 => "PeerNotFound",
            _ => return None,
        })
    }

    /// Whether 0xE3 with this opcode is Overnet (0x0A–0x21), as opposed to eDonkey server UDP.
    pub fn is_overnet_range(self) -> bool {
        (0x0A..=0x21).contains(&self.0)
    }

    /// The payload length of a fixed-size message (header included), or `None` for variable ones.
    pub fn fixed_len(self) -> Option<usize> {
        Some(match self.0 {
            0x0A | 0x0C | 0x21 => 2 + Peer::LEN,
            0x0D | 0x1D | 0x1E => 2,
            0x0E => 19,
            0x14 | 0x19 | 0x1A => 18,
            0x16 | 0x1B => 4,
            0x18 => 20,
            0x1C => 6,
            _ => return None,
        })
    }
}

pub fn u16le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

pub fn u32le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

pub fn u64le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

pub fn md4(b: &[u8], at: usize) -> Option<Md4> {
    b.get(at..at.checked_add(16)?)?.try_into().ok()
}

/// An IPv4 address in dotted (wire) order.
pub fn ip(b: &[u8], at: usize) -> Option<Ipv4Addr> {
    let o: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(Ipv4Addr::from(o))
}

/// A node as Overnet lists it: md4 id, IPv4, UDP port, kind (opaque; mldonkey sends its
/// reliability class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Peer {
    pub id: Md4,
    pub ip: Ipv4Addr,
    pub port: u16,
    pub kind: u8,
}

impl Peer {
    pub const LEN: usize = 23;

    pub fn parse(b: &[u8], at: usize) -> Option<Peer> {
        Some(Peer { id: md4(b, at)?, ip: ip(b, at + 16)?, port: u16le(b, at + 20)?, kind: *b.get(at + 22)? })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id);
        out.extend_from_slice(&self.ip.octets());
        out.extend_from_slice(&self.port.to_le_bytes());
        out.push(self.kind);
    }

    /// Whether it could be a reachable node: a unicast address and a port.
    pub fn plausible(&self) -> bool {
        plausible(self.ip, self.port)
    }
}

/// Port not 0; address not 0.0.0.0, multicast or broadcast.
pub fn plausible(ip: Ipv4Addr, port: u16) -> bool {
    port != 0 && !ip.is_unspecified() && !ip.is_multicast() && !ip.is_broadcast()
}

/// A peer without the kind byte (IdentifyReply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Contact {
    pub id: Md4,
    pub ip: Ipv4Addr,
    pub port: u16,
}

impl Contact {
    pub const LEN: usize = 22;

    pub fn parse(b: &[u8], at: usize) -> Option<Contact> {
        Some(Contact { id: md4(b, at)?, ip: ip(b, at + 16)?, port: u16le(b, at + 20)? })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id);
        out.extend_from_slice(&self.ip.octets());
        out.extend_from_slice(&self.port.to_le_bytes());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireError {
    /// Not 0xE3 or shorter than the header.
    NotOvernet,
    /// The body does not have the opcode's layout; the offset where it broke.
    Malformed(usize),
    /// Bytes after a complete message.
    Trailing(usize),
}

/// One Overnet message (owned where lists are involved; names, strings and blobs borrow).
#[derive(Debug, Clone, PartialEq)]
pub enum Message<'a> {
    Connect(Peer),
    ConnectReply(Vec<Peer>),
    Publicize(Peer),
    Publicized,
    /// `param`: how many peers the asker wants (2, 4, 10, 20).
    Search {
        param: u8,
        target: Md4,
    },
    SearchReply {
        target: Md4,
        peers: Vec<Peer>,
    },
    /// `tree` is present iff `kind == 1`.
    GetSearchResults {
        key: Md4,
        kind: u8,
        tree: Option<Vec<Node<'a>>>,
        min: u16,
        max: u16,
    },
    SearchResult {
        key: Md4,
        value: Md4,
        tags: Vec<Tag<'a>>,
    },
    NoResult {
        key: Md4,
        extra: Option<(u16, u16)>,
    },
    Publish {
        key: Md4,
        value: Md4,
        tags: Vec<Tag<'a>>,
    },
    Published(Md4),
    IdentifyReply(Contact),
    IdentifyAck {
        tcp_port: u16,
    },
    FirewallConnection {
        target: Md4,
        tcp_port: u16,
    },
    FirewallConnectionAck(Md4),
    FirewallConnectionNack(Md4),
    GetMyIp {
        tcp_port: u16,
    },
    GetMyIpResult(Ipv4Addr),
    GetMyIpDone,
    Identify,
    PeerNotFound(Peer),
    Unknown {
        opcode: u8,
        body: &'a [u8],
    },
}

fn exact<T>(b: &[u8], len: usize, v: Option<T>) -> Result<T, WireError> {
    match v {
        None => Err(WireError::Malformed(b.len())),
        Some(_) if b.len() > len => Err(WireError::Trailing(len)),
        Some(v) => Ok(v),
    }
}

fn peer_list(b: &[u8], at: usize, n: usize) -> Result<Vec<Peer>, WireError> {
    let end = at + n * Peer::LEN;
    if b.len() < end {
        return Err(WireError::Malformed(b.len()));
    }
    if b.len() > end {
        return Err(WireError::Trailing(end));
    }
    Ok((0..n).filter_map(|i| Peer::parse(b, at + i * Peer::LEN)).collect())
}

fn tag_list(b: &[u8], at: usize) -> Result<Vec<Tag<'_>>, WireError> {
    let count = u32le(b, at).ok_or(WireError::Malformed(at))?;
    let mut pos = at + 4;
    let mut out = Vec::new();
    for _ in 0..count {
        let (tag, layout) = Tag::parse(b, pos).map_err(|e| WireError::Malformed(e.at))?;
        out.push(tag);
        pos = layout.end;
    }
    if pos != b.len() {
        return Err(WireError::Trailing(pos));
    }
    Ok(out)
}

impl<'a> Message<'a> {
    pub fn opcode(&self) -> Opcode {
        Opcode(match self {
            Message::Connect(_) => 0x0A,
            Message::ConnectReply(_) => 0x0B,
            Message::Publicize(_) => 0x0C,
            Message::Publicized => 0x0D,
            Message::Search { .. } => 0x0E,
            Message::SearchReply { .. } => 0x0F,
            Message::GetSearchResults { .. } => 0x10,
            Message::SearchResult { .. } => 0x11,
            Message::NoResult { .. } => 0x12,
            Message::Publish { .. } => 0x13,
            Message::Published(_) => 0x14,
            Message::IdentifyReply(_) => 0x15,
            Message::IdentifyAck { .. } => 0x16,
            Message::FirewallConnection { .. } => 0x18,
            Message::FirewallConnectionAck(_) => 0x19,
            Message::FirewallConnectionNack(_) => 0x1A,
            Message::GetMyIp { .. } => 0x1B,
            Message::GetMyIpResult(_) => 0x1C,
            Message::GetMyIpDone => 0x1D,
            Message::Identify => 0x1E,
            Message::PeerNotFound(_) => 0x21,
            Message::Unknown { opcode, .. } => *opcode,
        })
    }

    /// Parses a whole datagram; a message must fill it exactly (the strict reading the
    /// heuristic relies on; the dissector itself is tolerant).
    pub fn parse(b: &'a [u8]) -> Result<Message<'a>, WireError> {
        if b.len() < 2 || b[0] != MAGIC_EDONKEY {
            return Err(WireError::NotOvernet);
        }
        let op = Opcode(b[1]);
        let peer = || exact(b, 25, Peer::parse(b, 2));
        let empty = |m: Message<'a>| exact(b, 2, Some(m));
        Ok(match op.0 {
            0x0A => Message::Connect(peer()?),
            0x0C => Message::Publicize(peer()?),
            0x21 => Message::PeerNotFound(peer()?),
            0x0D => empty(Message::Publicized)?,
            0x1D => empty(Message::GetMyIpDone)?,
            0x1E => empty(Message::Identify)?,
            0x0E => {
                let v = b.get(2).copied().zip(md4(b, 3));
                let (param, target) = exact(b, 19, v)?;
                Message::Search { param, target }
            }
            0x14 => Message::Published(exact(b, 18, md4(b, 2))?),
            0x19 => Message::FirewallConnectionAck(exact(b, 18, md4(b, 2))?),
            0x1A => Message::FirewallConnectionNack(exact(b, 18, md4(b, 2))?),
            0x16 => Message::IdentifyAck { tcp_port: exact(b, 4, u16le(b, 2))? },
            0x1B => Message::GetMyIp { tcp_port: exact(b, 4, u16le(b, 2))? },
            0x1C => Message::GetMyIpResult(exact(b, 6, ip(b, 2))?),
            0x18 => {
                let (target, tcp_port) = exact(b, 20, md4(b, 2).zip(u16le(b, 18)))?;
                Message::FirewallConnection { target, tcp_port }
            }
            0x15 => Message::IdentifyReply(exact(b, 24, Contact::parse(b, 2))?),
            0x0B => {
                let n = u16le(b, 2).ok_or(WireError::Malformed(b.len()))?;
                Message::ConnectReply(peer_list(b, 4, n as usize)?)
            }
            0x0F => {
                let target = md4(b, 2).ok_or(WireError::Malformed(b.len()))?;
                let n = *b.get(18).ok_or(WireError::Malformed(b.len()))?;
                Message::SearchReply { target, peers: peer_list(b, 19, n as usize)? }
            }
            0x10 => {
                let key = md4(b, 2).ok_or(WireError::Malformed(b.len()))?;
                let kind = *b.get(18).ok_or(WireError::Malformed(b.len()))?;
                let (tree, at) = if kind == 1 {
                    let (nodes, end) = search_tree::parse(b, 19).map_err(|e| WireError::Malformed(e.at))?;
                    (Some(nodes), end)
                } else {
                    (None, 19)
                };
                let (min, max) = exact(b, at + 4, u16le(b, at).zip(u16le(b, at + 2)))?;
                Message::GetSearchResults { key, kind, tree, min, max }
            }
            0x11 | 0x13 => {
                let (key, value) = md4(b, 2).zip(md4(b, 18)).ok_or(WireError::Malformed(b.len()))?;
                let tags = tag_list(b, 34)?;
                if op.0 == 0x11 {
                    Message::SearchResult { key, value, tags }
                } else {
                    Message::Publish { key, value, tags }
                }
            }
            0x12 => {
                let key = md4(b, 2).ok_or(WireError::Malformed(b.len()))?;
                match b.len() {
                    18 => Message::NoResult { key, extra: None },
                    22 => Message::NoResult { key, extra: u16le(b, 18).zip(u16le(b, 20)) },
                    n if n < 22 => return Err(WireError::Trailing(18)),
                    _ => return Err(WireError::Trailing(22)),
                }
            }
            opcode => Message::Unknown { opcode, body: &b[2..] },
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(MAGIC_EDONKEY);
        out.push(self.opcode().0);
        match self {
            Message::Connect(p) | Message::Publicize(p) | Message::PeerNotFound(p) => p.emit(out),
            Message::ConnectReply(peers) => {
                out.extend_from_slice(&(peers.len() as u16).to_le_bytes());
                peers.iter().for_each(|p| p.emit(out));
            }
            Message::Publicized | Message::GetMyIpDone | Message::Identify => {}
            Message::Search { param, target } => {
                out.push(*param);
                out.extend_from_slice(target);
            }
            Message::SearchReply { target, peers } => {
                out.extend_from_slice(target);
                out.push(peers.len() as u8);
                peers.iter().for_each(|p| p.emit(out));
            }
            Message::GetSearchResults { key, kind, tree, min, max } => {
                out.extend_from_slice(key);
                out.push(*kind);
                if let Some(nodes) = tree {
                    nodes.iter().for_each(|n| n.emit(out));
                }
                out.extend_from_slice(&min.to_le_bytes());
                out.extend_from_slice(&max.to_le_bytes());
            }
            Message::SearchResult { key, value, tags } | Message::Publish { key, value, tags } => {
                out.extend_from_slice(key);
                out.extend_from_slice(value);
                tags::emit_list(tags, out);
            }
            Message::NoResult { key, extra } => {
                out.extend_from_slice(key);
                if let Some((a, b)) = extra {
                    out.extend_from_slice(&a.to_le_bytes());
                    out.extend_from_slice(&b.to_le_bytes());
                }
            }
            Message::Published(h) | Message::FirewallConnectionAck(h) | Message::FirewallConnectionNack(h) => {
                out.extend_from_slice(h)
            }
            Message::IdentifyReply(c) => c.emit(out),
            Message::IdentifyAck { tcp_port } | Message::GetMyIp { tcp_port } => {
                out.extend_from_slice(&tcp_port.to_le_bytes())
            }
            Message::FirewallConnection { target, tcp_port } => {
                out.extend_from_slice(target);
                out.extend_from_slice(&tcp_port.to_le_bytes());
            }
            Message::GetMyIpResult(a) => out.extend_from_slice(&a.octets()),
            Message::Unknown { body, .. } => out.extend_from_slice(body),
        }
    }

    /// The message as a datagram payload.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.emit(&mut v);
        v
    }
}

/// Whether a datagram is a well-formed Overnet message of a known opcode with exactly the
/// opcode's length (§A.7 steps 1–4), without allocating. Peer lists must hold plausible peers.
pub fn well_formed(b: &[u8]) -> bool {
    if b.len() < 2 || b[0] != MAGIC_EDONKEY {
        return false;
    }
    let op = Opcode(b[1]);
    if op.name().is_none() {
        return false;
    }
    if let Some(len) = op.fixed_len() {
        return b.len() == len
            && match op.0 {
                0x0A | 0x0C | 0x21 => Peer::parse(b, 2).is_some_and(|p| p.plausible()),
                0x16 | 0x1B => u16le(b, 2) != Some(0),
                _ => true,
            };
    }
    let peers_ok = |at: usize, n: usize| {
        n > 0
            && b.len() == at + n * Peer::LEN
            && (0..n).all(|i| Peer::parse(b, at + i * Peer::LEN).is_some_and(|p| p.plausible()))
    };
    match op.0 {
        0x0B => u16le(b, 2).is_some_and(|n| peers_ok(4, n as usize)),
        0x0F => b.get(18).is_some_and(|&n| b.len() == 19 || peers_ok(19, n as usize)),
        0x10 => match b.get(18) {
            Some(0) => b.len() == 23,
            Some(1) => search_tree::skip(b, 19).is_ok_and(|end| b.len() == end + 4),
            _ => false,
        },
        0x11 | 0x13 => {
            let Some(count) = u32le(b, 34) else { return false };
            let mut pos = 38;
            for _ in 0..count {
                match Tag::parse(b, pos) {
                    Ok((_, layout)) => pos = layout.end,
                    Err(_) => return false,
                }
            }
            pos == b.len()
        }
        0x12 => b.len() == 18 || b.len() == 22,
        0x15 => (b.len() == 24 || b.len() == 25) && Contact::parse(b, 2).is_some_and(|c| plausible(c.ip, c.port)),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
