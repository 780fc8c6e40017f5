//! What `udpdissect stats` shows of Overnet: the peers each node learned (and from whom),
//! and the searches with their hops, results and closing NoResult.

use std::net::{Ipv4Addr, SocketAddr};

use udpdissect_core::addr::Addr;
use udpdissect_core::{Cell, Table};

use crate::wire::{Md4, Opcode};

/// A peer a node learned, kept under its (node, peer id): the key is not repeated here, and
/// the addresses are packed, so that a full table (16 384 peers) stays small.
#[derive(Debug, Clone)]
pub struct LearnedPeer {
    pub first: u64,
    pub last: u64,
    pub times: u64,
    /// The frame of a PeerNotFound that told the node this peer is gone.
    pub gone: Option<u64>,
    /// Who told the node first.
    pub from: Addr,
    /// The address the peer was last given (peer lists carry IPv4 only).
    pub ip: Ipv4Addr,
    pub port: u16,
    /// The message that told it first (ConnectReply, SearchReply, Connect, …).
    pub via: Via,
}

/// The messages a node learns peers from, numbered by their opcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Via {
    Connect = Opcode::CONNECT.0,
    ConnectReply = Opcode::CONNECT_REPLY.0,
    Publicize = Opcode::PUBLICIZE.0,
    SearchReply = Opcode::SEARCH_REPLY.0,
    IdentifyReply = Opcode::IDENTIFY_REPLY.0,
}

impl Via {
    /// The message with this opcode, if a node learns peers from it.
    pub fn of(op: Opcode) -> Option<Via> {
        [Via::Connect, Via::ConnectReply, Via::Publicize, Via::SearchReply, Via::IdentifyReply]
            .into_iter()
            .find(|v| v.opcode() == op)
    }

    pub fn opcode(self) -> Opcode {
        Opcode(self as u8)
    }
}

/// One search: a searcher looking for one target, over every node it asks; kept under its
/// (searcher, target).
#[derive(Debug, Clone)]
pub struct Search {
    pub number: u64,
    /// The wanted-results byte of its latest Search.
    pub param: Option<u8>,
    pub first: u64,
    /// Search messages sent, SearchReplies received, peers they named.
    pub searches: u64,
    pub replies: u64,
    pub offered: u64,
    /// The deepest hop asked (1: a node the searcher knew already).
    pub max_hop: u32,
    pub result_requests: u64,
    pub results: u64,
    /// NoResult messages, and the frame of the last.
    pub ends: u64,
    pub closed_in: Option<u64>,
}

impl Search {
    pub fn new(counter: &mut u64, first: u64) -> Search {
        *counter += 1;
        Search {
            number: *counter - 1,
            param: None,
            first,
            searches: 0,
            replies: 0,
            offered: 0,
            max_hop: 0,
            result_requests: 0,
            results: 0,
            ends: 0,
            closed_in: None,
        }
    }
}

/// `overnet.peers`: one row per (node, peer), in order of first learning.
pub fn peers_table<'a>(rows: impl Iterator<Item = (&'a (Addr, Md4), &'a LearnedPeer)>, omitted: u64) -> Table {
    let mut rows: Vec<_> =
        rows.map(|((node, id), r)| (node.socket(), id, SocketAddr::from((r.ip, r.port)), r)).collect();
    rows.sort_by_key(|&(node, _, addr, r)| (r.first, node, addr));
    let mut t = Table::new(
        "overnet.peers",
        "Overnet peers learned per node",
        vec![
            "node",
            "peer id",
            "peer address",
            "learned from",
            "via",
            "first frame",
            "last frame",
            "times",
            "not found in",
        ],
    );
    t.omitted = omitted;
    for (node, id, addr, r) in rows {
        t.rows.push(vec![
            Cell::socket(node),
            Cell::hex(id),
            Cell::socket(addr),
            Cell::socket(r.from.socket()),
            Cell::Name(r.via.opcode().name().unwrap_or("")),
            Cell::Frame(r.first),
            Cell::Frame(r.last),
            Cell::UInt(r.times),
            r.gone.map_or(Cell::Empty, Cell::Frame),
        ]);
    }
    t
}

/// `overnet.searches`: one row per search, by number.
pub fn searches_table<'a>(rows: impl Iterator<Item = (&'a (Addr, Md4), &'a Search)>, omitted: u64) -> Table {
    let mut rows: Vec<_> = rows.collect();
    rows.sort_by_key(|(_, r)| r.number);
    let mut t = Table::new(
        "overnet.searches",
        "Overnet searches",
        vec![
            "search",
            "searcher",
            "target",
            "wanted",
            "first frame",
            "searches",
            "replies",
            "peers offered",
            "max hop",
            "result requests",
            "results",
            "ends",
            "closed in",
        ],
    );
    t.omitted = omitted;
    for ((searcher, target), r) in rows {
        t.rows.push(vec![
            Cell::UInt(r.number),
            Cell::socket(searcher.socket()),
            Cell::hex(target),
            r.param.map_or(Cell::Empty, |p| Cell::UInt(p.into())),
            Cell::Frame(r.first),
            Cell::UInt(r.searches),
            Cell::UInt(r.replies),
            Cell::UInt(r.offered),
            Cell::UInt(r.max_hop.into()),
            Cell::UInt(r.result_requests),
            Cell::UInt(r.results),
            Cell::UInt(r.ends),
            r.closed_in.map_or(Cell::Empty, Cell::Frame),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five messages peers are learned from, by opcode and back; no other opcode is one.
    #[test]
    fn via_is_its_opcode() {
        let names: Vec<_> = (0..=255u8).filter_map(|op| Via::of(Opcode(op))).map(|v| v.opcode().name()).collect();
        assert_eq!(
            names,
            [Some("Connect"), Some("ConnectReply"), Some("Publicize"), Some("SearchReply"), Some("IdentifyReply")]
        );
        assert_eq!(Via::of(Opcode(0x0F)).map(Via::opcode), Some(Opcode(0x0F)));
        assert_eq!(Via::of(Opcode(0x0E)), None);
    }
}
