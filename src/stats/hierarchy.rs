//! The `phs` table: the protocol hierarchy, frame → link → VLAN → network → transport →
//! application, frames and bytes per node.

use super::name::Name as StaticName;
use super::table::{StatTable, Val};
use crate::render::FrameView;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use udpdissect_capture::{linktype, Link, Net, Transport};
use udpdissect_core::DATA;

type Name = Cow<'static, str>;

#[derive(Debug, Clone)]
struct Node {
    name: Name,
    depth: u8,
    /// In order of first appearance.
    children: Vec<usize>,
}

/// The frames of one shape: the nodes they count in, the root first, and their frames and
/// bytes, added to those nodes when the table is made.
#[derive(Debug)]
struct Path {
    nodes: Vec<usize>,
    frames: u64,
    bytes: u64,
}

/// The tree; its size is bounded by the distinct layer names, never by frames.
#[derive(Debug)]
pub struct Hierarchy {
    nodes: Vec<Node>,
    /// Each shape's place in `paths`, found once per shape: a frame costs a lookup, not a name
    /// comparison per layer, and two additions, not two per layer.
    shapes: FxHashMap<Shape, usize>,
    paths: Vec<Path>,
}

impl Default for Hierarchy {
    fn default() -> Self {
        Hierarchy {
            nodes: vec![Node { name: "frame".into(), depth: 0, children: Vec::new() }],
            shapes: FxHashMap::default(),
            paths: Vec::new(),
        }
    }
}

/// What decides the layers a frame counts in. The layers are those `frame.protocols` names
/// (tshark's names, `crate::layers::protocol_chain`), less the two tshark's hierarchy leaves
/// out (`ethertype`, `ipv6.fraghdr`) and what an ICMP error quotes: ICMP is a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Shape {
    /// None for a raw IPv4 or IPv6 link type (no link layer) or one not decoded here, and for
    /// a frame without captured bytes, which counts in `frame` alone, as in tshark.
    link: Option<LinkLayer>,
    /// Each VLAN tag, outermost first: true for an 802.1ad service tag.
    tags: [Option<bool>; 2],
    net: Option<NetLayer>,
    transport: Option<TransportLayer>,
    /// What the transport carries: the protocol that dissected a UDP payload (its filter name,
    /// `data` for the fallback) or `data` for a TCP payload; none when empty.
    /// By place: nodes are found by text, so two copies of a name still meet there.
    app: Option<StaticName>,
    /// The Protocol column of a UDP datagram: a row below its protocol's for a family whose
    /// column names its branches (the eDonkey family: `eDonkey`, `eMule`, `Kad`, `Overnet`).
    /// Kept for every protocol, and looked at once per shape.
    column: Option<StaticName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LinkLayer {
    Eth,
    Sll,
    /// BSD loopback, either byte order (`null`, as tshark names both).
    Null,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NetLayer {
    Ip,
    Ipv6,
    Arp,
    /// An EtherType, or a link type, not decoded here.
    Data,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TransportLayer {
    Udp,
    Tcp,
    Icmp,
    Icmpv6,
    /// A fragment not yet reassembled, or an IP protocol not decoded here.
    Data,
}

fn shape(v: &FrameView) -> Shape {
    let d = v.decoded;
    if v.frame.data.is_empty() {
        return Shape { link: None, tags: [None; 2], net: None, transport: None, app: None, column: None };
    }
    let link = match d.link {
        Link::Ethernet(_) => Some(LinkLayer::Eth),
        Link::Sll(_) => Some(LinkLayer::Sll),
        Link::Loopback { .. } => Some(LinkLayer::Null),
        Link::Raw if matches!(v.frame.link_type, linktype::IPV4 | linktype::IPV6) => None,
        Link::Raw => Some(LinkLayer::Raw),
        Link::Unknown(_) => None,
    };
    let net = match d.net {
        Net::Ipv4(_) | Net::Cut { version: 4, .. } => Some(NetLayer::Ip),
        Net::Ipv6(_) | Net::Cut { .. } => Some(NetLayer::Ipv6),
        Net::Arp => Some(NetLayer::Arp),
        Net::Other(_) => Some(NetLayer::Data),
        Net::None if matches!(d.link, Link::Unknown(_)) => Some(NetLayer::Data),
        Net::None => None,
    };
    let (transport, app) = match d.transport {
        Transport::None => (None, None),
        Transport::Udp(udp) => {
            let app = match v.out.protocol_name {
                _ if udp.payload.bytes().is_empty() => None,
                "" => Some(DATA.name),
                name => Some(name),
            };
            (Some(TransportLayer::Udp), app)
        }
        Transport::Tcp(tcp) => (Some(TransportLayer::Tcp), (tcp.payload_len > 0).then_some(DATA.name)),
        Transport::Icmp(i) if i.v6 => (Some(TransportLayer::Icmpv6), None),
        Transport::Icmp(_) => (Some(TransportLayer::Icmp), None),
        Transport::Fragment | Transport::Other(_) => (Some(TransportLayer::Data), None),
    };
    let column = app.map(|_| StaticName(v.out.protocol));
    Shape { link, tags: d.vlans.map(|v| v.map(|v| v.is_8021ad())), net, transport, app: app.map(StaticName), column }
}

/// Whether a protocol's Protocol column names branches of it (it declares other names).
fn branches(name: &str) -> bool {
    crate::PROTOCOLS.iter().any(|p| p.name == name && !p.columns.is_empty())
}

/// The names of a shape's layers, outermost first (the root "frame" excluded).
fn layers(s: Shape) -> impl Iterator<Item = Name> {
    let link = s.link.map(|l| -> Name {
        match l {
            LinkLayer::Eth => "eth".into(),
            LinkLayer::Sll => "sll".into(),
            LinkLayer::Null => "null".into(),
            LinkLayer::Raw => "raw".into(),
        }
    });
    let vlans = s.tags.into_iter().flatten().map(|ad| Name::from(if ad { "ieee8021ad" } else { "vlan" }));
    let net = s.net.map(|n| -> Name {
        match n {
            NetLayer::Ip => "ip".into(),
            NetLayer::Ipv6 => "ipv6".into(),
            NetLayer::Arp => "arp".into(),
            NetLayer::Data => DATA.name.into(),
        }
    });
    let transport = s.transport.map(|t| -> Name {
        match t {
            TransportLayer::Udp => "udp".into(),
            TransportLayer::Tcp => "tcp".into(),
            TransportLayer::Icmpv6 => "icmpv6".into(),
            TransportLayer::Icmp => "icmp".into(),
            TransportLayer::Data => DATA.name.into(),
        }
    });
    let app = s.app.map(|n| Name::from(n.0));
    let branch = s.app.is_some_and(|n| branches(n.0));
    let column = s.column.map(|n| Name::from(n.0)).filter(|c| branch && !c.is_empty());
    link.into_iter().chain(vlans).chain(net).chain(transport).chain(app).chain(column)
}

impl Hierarchy {
    pub fn add(&mut self, v: &FrameView) {
        let shape = shape(v);
        let at = match self.shapes.get(&shape) {
            Some(&at) => at,
            None => {
                let at = self.paths.len();
                let nodes = self.path(shape);
                self.paths.push(Path { nodes, frames: 0, bytes: 0 });
                self.shapes.insert(shape, at);
                at
            }
        };
        let path = &mut self.paths[at];
        path.frames += 1;
        path.bytes += u64::from(v.frame.orig_len);
    }

    /// The root and the nodes of a shape's layers, made where they are missing.
    fn path(&mut self, shape: Shape) -> Vec<usize> {
        let mut at = 0;
        let mut path = vec![0];
        for name in layers(shape) {
            let found = self.nodes[at].children.iter().copied().find(|&c| self.nodes[c].name == name);
            at = match found {
                Some(c) => c,
                None => {
                    let depth = self.nodes[at].depth.saturating_add(1);
                    self.nodes.push(Node { name, depth, children: Vec::new() });
                    let id = self.nodes.len() - 1;
                    self.nodes[at].children.push(id);
                    id
                }
            };
            path.push(at);
        }
        path
    }

    pub fn table(&self) -> StatTable<'static> {
        let mut t = StatTable::new("phs", "Protocol hierarchy", &["protocol", "frames", "% frames", "bytes"]);
        let mut counts = vec![(0u64, 0u64); self.nodes.len()];
        for p in &self.paths {
            for &node in &p.nodes {
                counts[node].0 += p.frames;
                counts[node].1 += p.bytes;
            }
        }
        let total = counts[0].0;
        // Depth-first, children in order of first appearance; the path names the node in JSON.
        let mut stack: Vec<(usize, String)> = vec![(0, String::new())];
        while let Some((id, parent_path)) = stack.pop() {
            let n = &self.nodes[id];
            let (frames, bytes) = counts[id];
            let path = if parent_path.is_empty() { n.name.to_string() } else { format!("{parent_path}:{}", n.name) };
            let indented = format!("{}{}", "  ".repeat(n.depth as usize), n.name);
            t.push(vec![
                Val::Tree { indented, path: path.clone() },
                Val::UInt(frames),
                Val::ratio(frames as f64 * 100.0, total as f64, 2),
                Val::UInt(bytes),
            ]);
            for &c in n.children.iter().rev() {
                stack.push((c, path.clone()));
            }
        }
        t
    }
}
