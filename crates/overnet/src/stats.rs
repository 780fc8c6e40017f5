//! What `udpdissect stats` shows of Overnet: the peers each node learned (and from whom),
//! and the searches with their hops, results and closing NoResult.

use std::net::SocketAddr;

use udpdissect_core::{Cell, Table};

use crate::wire::Md4;

/// A peer a node learned.
#[derive(Debug, Clone)]
pub struct LearnedPeer {
    pub node: SocketAddr,
    pub id: Md4,
    pub addr: SocketAddr,
    /// Who told the node first.
    pub from: SocketAddr,
    /// The message that told it first (ConnectReply, SearchReply, Connect, …).
    pub via: &'static str,
    pub first: u64,
    pub last: u64,
    pub times: u64,
    /// The frame of a PeerNotFound that told the node this peer is gone.
    pub gone: Option<u64>,
}

/// One search: a searcher looking for one target, over every node it asks.
#[derive(Debug, Clone)]
pub struct Search {
    pub number: u64,
    pub searcher: SocketAddr,
    pub target: Md4,
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
    pub fn new(counter: &mut u64, searcher: SocketAddr, target: Md4, first: u64) -> Search {
        *counter += 1;
        Search {
            number: *counter - 1,
            searcher,
            target,
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
pub fn peers_table<'a>(rows: impl Iterator<Item = &'a LearnedPeer>, omitted: u64) -> Table {
    let mut rows: Vec<&LearnedPeer> = rows.collect();
    rows.sort_by_key(|r| (r.first, r.node, r.addr));
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
    for r in rows {
        t.rows.push(vec![
            Cell::socket(r.node),
            Cell::hex(&r.id),
            Cell::socket(r.addr),
            Cell::socket(r.from),
            Cell::Name(r.via),
            Cell::Frame(r.first),
            Cell::Frame(r.last),
            Cell::UInt(r.times),
            r.gone.map_or(Cell::Empty, Cell::Frame),
        ]);
    }
    t
}

/// `overnet.searches`: one row per search, by number.
pub fn searches_table<'a>(rows: impl Iterator<Item = &'a Search>, omitted: u64) -> Table {
    let mut rows: Vec<&Search> = rows.collect();
    rows.sort_by_key(|r| r.number);
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
    for r in rows {
        t.rows.push(vec![
            Cell::UInt(r.number),
            Cell::socket(r.searcher),
            Cell::hex(&r.target),
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
