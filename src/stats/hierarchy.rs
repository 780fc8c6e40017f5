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

/// What decides the layers a frame counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Shape {
    link: LinkLayer,
    /// Each VLAN tag, outermost first: true for an 802.1ad service tag.
    tags: [Option<bool>; 2],
    net: Option<NetLayer>,
    transport: Option<TransportLayer>,
    /// The protocol column of a UDP datagram.
    /// By place: nodes are found by text, so two copies of a name still meet there.
    app: Option<StaticName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LinkLayer {
    Eth,
    Sll,
    Loop,
    Null,
    Raw,
    Other(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NetLayer {
    Ip,
    Ipv6,
    Arp,
    Other(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TransportLayer {
    Udp,
    Tcp,
    Icmp,
    Icmpv6,
    Fragment,
    Other(u8),
}

fn shape(v: &FrameView) -> Shape {
    let d = v.decoded;
    let link = match d.link {
        Link::Ethernet(_) => LinkLayer::Eth,
        Link::Sll(_) => LinkLayer::Sll,
        Link::Loopback { .. } if v.frame.link_type == linktype::LOOP => LinkLayer::Loop,
        Link::Loopback { .. } => LinkLayer::Null,
        Link::Raw => LinkLayer::Raw,
        Link::Unknown(lt) => LinkLayer::Other(lt),
    };
    let net = match d.net {
        Net::None => None,
        Net::Ipv4(_) | Net::Cut { version: 4, .. } => Some(NetLayer::Ip),
        Net::Ipv6(_) | Net::Cut { .. } => Some(NetLayer::Ipv6),
        Net::Arp => Some(NetLayer::Arp),
        Net::Other(t) => Some(NetLayer::Other(t)),
    };
    let transport = match d.transport {
        Transport::None => None,
        Transport::Udp(_) => Some(TransportLayer::Udp),
        Transport::Tcp(_) => Some(TransportLayer::Tcp),
        Transport::Icmp(i) if i.v6 => Some(TransportLayer::Icmpv6),
        Transport::Icmp(_) => Some(TransportLayer::Icmp),
        Transport::Fragment => Some(TransportLayer::Fragment),
        Transport::Other(p) => Some(TransportLayer::Other(p)),
    };
    let app = matches!(d.transport, Transport::Udp(_)).then_some(StaticName(v.out.protocol));
    Shape { link, tags: d.vlans.map(|v| v.map(|v| v.is_8021ad())), net, transport, app }
}

/// The names of a shape's layers, outermost first (the root "frame" excluded).
fn layers(s: Shape) -> impl Iterator<Item = Name> {
    let link: Name = match s.link {
        LinkLayer::Eth => "eth".into(),
        LinkLayer::Sll => "sll".into(),
        LinkLayer::Loop => "loop".into(),
        LinkLayer::Null => "null".into(),
        LinkLayer::Raw => "raw".into(),
        LinkLayer::Other(lt) => match linktype::name(lt) {
            "unknown" => format!("linktype {lt}").into(),
            name => name.into(),
        },
    };
    let vlans = s.tags.into_iter().flatten().map(|ad| Name::from(if ad { "ieee8021ad" } else { "vlan" }));
    let net = s.net.map(|n| -> Name {
        match n {
            NetLayer::Ip => "ip".into(),
            NetLayer::Ipv6 => "ipv6".into(),
            NetLayer::Arp => "arp".into(),
            NetLayer::Other(t) => format!("ethertype 0x{t:04x}").into(),
        }
    });
    let transport = s.transport.map(|t| -> Name {
        match t {
            TransportLayer::Udp => "udp".into(),
            TransportLayer::Tcp => "tcp".into(),
            TransportLayer::Icmpv6 => "icmpv6".into(),
            TransportLayer::Icmp => "icmp".into(),
            TransportLayer::Fragment => "fragment".into(),
            TransportLayer::Other(p) => format!("ip protocol {p}").into(),
        }
    });
    let app = match s.app.map(|n| n.0) {
        Some(p) if p == DATA.column => Some("data".into()),
        Some(p) if !p.is_empty() => Some(p.into()),
        _ => None,
    };
    std::iter::once(link).chain(vlans).chain(net).chain(transport).chain(app)
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
