//! The `phs` table: the protocol hierarchy, frame → link → VLAN → network → transport →
//! application, frames and bytes per node.

use super::table::{StatTable, Val};
use crate::render::FrameView;
use std::borrow::Cow;
use udpdissect_capture::{linktype, Link, Net, Transport};
use udpdissect_core::DATA;

type Name = Cow<'static, str>;

#[derive(Debug, Clone)]
struct Node {
    name: Name,
    depth: u8,
    frames: u64,
    bytes: u64,
    /// In order of first appearance.
    children: Vec<usize>,
}

/// The tree; its size is bounded by the distinct layer names, never by frames.
#[derive(Debug)]
pub struct Hierarchy {
    nodes: Vec<Node>,
}

impl Default for Hierarchy {
    fn default() -> Self {
        Hierarchy { nodes: vec![Node { name: "frame".into(), depth: 0, frames: 0, bytes: 0, children: Vec::new() }] }
    }
}

/// The names of the layers a frame holds, outermost first (the root "frame" excluded).
fn layers(v: &FrameView) -> impl Iterator<Item = Name> {
    let d = v.decoded;
    let link: Name = match d.link {
        Link::Ethernet(_) => "eth".into(),
        Link::Sll(_) => "sll".into(),
        Link::Loopback { .. } if v.frame.link_type == linktype::LOOP => "loop".into(),
        Link::Loopback { .. } => "null".into(),
        Link::Raw => "raw".into(),
        Link::Unknown(lt) => match linktype::name(lt) {
            "unknown" => format!("linktype {lt}").into(),
            name => name.into(),
        },
    };
    let vlans = std::iter::repeat_n(Name::from("vlan"), d.vlans.iter().flatten().count());
    let net: Option<Name> = match d.net {
        Net::None => None,
        Net::Ipv4(_) | Net::Cut { version: 4, .. } => Some("ip".into()),
        Net::Ipv6(_) | Net::Cut { .. } => Some("ipv6".into()),
        Net::Arp => Some("arp".into()),
        Net::Other(t) => Some(format!("ethertype 0x{t:04x}").into()),
    };
    let transport: Option<Name> = match d.transport {
        Transport::None => None,
        Transport::Udp(_) => Some("udp".into()),
        Transport::Tcp(_) => Some("tcp".into()),
        Transport::Icmp(i) if i.v6 => Some("icmpv6".into()),
        Transport::Icmp(_) => Some("icmp".into()),
        Transport::Fragment => Some("fragment".into()),
        Transport::Other(p) => Some(format!("ip protocol {p}").into()),
    };
    let app: Option<Name> = match d.transport {
        Transport::Udp(_) if v.out.protocol == DATA.column => Some("data".into()),
        Transport::Udp(_) if !v.out.protocol.is_empty() => Some(v.out.protocol.into()),
        _ => None,
    };
    std::iter::once(link).chain(vlans).chain(net).chain(transport).chain(app)
}

impl Hierarchy {
    pub fn add(&mut self, v: &FrameView) {
        let bytes = u64::from(v.frame.orig_len);
        let mut at = 0;
        self.count(at, bytes);
        for name in layers(v) {
            let found = self.nodes[at].children.iter().copied().find(|&c| self.nodes[c].name == name);
            at = match found {
                Some(c) => c,
                None => {
                    let depth = self.nodes[at].depth.saturating_add(1);
                    self.nodes.push(Node { name, depth, frames: 0, bytes: 0, children: Vec::new() });
                    let id = self.nodes.len() - 1;
                    self.nodes[at].children.push(id);
                    id
                }
            };
            self.count(at, bytes);
        }
    }

    fn count(&mut self, node: usize, bytes: u64) {
        self.nodes[node].frames += 1;
        self.nodes[node].bytes += bytes;
    }

    pub fn table(&self) -> StatTable<'static> {
        let mut t = StatTable::new("phs", "Protocol hierarchy", &["protocol", "frames", "% frames", "bytes"]);
        let total = self.nodes[0].frames;
        // Depth-first, children in order of first appearance; the path names the node in JSON.
        let mut stack: Vec<(usize, String)> = vec![(0, String::new())];
        while let Some((id, parent_path)) = stack.pop() {
            let n = &self.nodes[id];
            let path = if parent_path.is_empty() { n.name.to_string() } else { format!("{parent_path}:{}", n.name) };
            let indented = format!("{}{}", "  ".repeat(n.depth as usize), n.name);
            t.push(vec![
                Val::Tree { indented, path: path.clone() },
                Val::UInt(n.frames),
                Val::ratio(n.frames as f64 * 100.0, total as f64, 2),
                Val::UInt(n.bytes),
            ]);
            for &c in n.children.iter().rev() {
                stack.push((c, path.clone()));
            }
        }
        t
    }
}
