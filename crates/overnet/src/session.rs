//! The dissector: recognition (ports, content, flow memory), and what the nodes of the
//! swarm learn: requests paired with their answers, peers learned per node and from whom,
//! and searches followed hop by hop to their results and closing NoResult.

use std::net::{IpAddr, SocketAddr};

use udpdissect_core::addr::Addr;
use udpdissect_core::lru::LruMap;
use udpdissect_core::{
    Context, Dissection, Dissector, Packet, ProtocolInfo, Rules, Severity, Table, TimeNs, Value, Verdict,
};

use crate::decode::Decoder;
use crate::family;
use crate::fields::*;
use crate::stats::{self, LearnedPeer, Search, Via};
use crate::wire::{self, magic_name, Md4, Opcode, Peer};

/// Bound on every table (endpoints, requests, peers, searches, offers).
const MAX_ENTRIES: usize = 16_384;
const NO_KEY: Md4 = [0; 16];

/// A request awaiting answers.
#[derive(Debug, Clone, Copy)]
struct Pending {
    frame: u64,
    time: TimeNs,
    key: Md4,
}

/// A peer named to a searcher in a SearchReply: the hop it would be and where it was named.
#[derive(Debug, Clone, Copy)]
struct Offer {
    hop: u32,
    frame: u64,
}

/// The tables are keyed by packed addresses ([`Addr`]: 20 bytes, where a `SocketAddr` takes
/// 32): full, the five hold 80 000 entries, about half the memory they took with whole
/// addresses.
pub struct Overnet {
    /// host:port pairs that spoke well-formed Overnet (flow memory for 2-byte messages).
    endpoints: LruMap<Addr, ()>,
    /// (requester, responder, request opcode) → the latest request.
    requests: LruMap<(Addr, Addr, u8), Pending>,
    /// (node, peer id) → what the node learned.
    peers: LruMap<(Addr, Md4), LearnedPeer>,
    /// (searcher, target) → the search.
    searches: LruMap<(Addr, Md4), Search>,
    /// (searcher, peer named, target) → its hop.
    offers: LruMap<(Addr, Addr, Md4), Offer>,
    next_search: u64,
    full_noted: bool,
}

impl Default for Overnet {
    fn default() -> Self {
        Overnet {
            endpoints: LruMap::new(MAX_ENTRIES),
            requests: LruMap::new(MAX_ENTRIES),
            peers: LruMap::new(MAX_ENTRIES),
            searches: LruMap::new(MAX_ENTRIES),
            offers: LruMap::new(MAX_ENTRIES),
            next_search: 1,
            full_noted: false,
        }
    }
}

/// The request a reply answers, by reply opcode.
fn request_of(op: u8) -> Option<u8> {
    Some(match op {
        0x0B => 0x0A,
        0x0D => 0x0C,
        0x0F => 0x0E,
        0x11 | 0x12 => 0x10,
        0x14 => 0x13,
        0x15 => 0x1E,
        0x16 => 0x15,
        0x19 | 0x1A => 0x18,
        0x1C | 0x1D => 0x1B,
        _ => return None,
    })
}

/// Whether the opcode asks for an answer (its answers are paired with it).
fn is_request(op: u8) -> bool {
    matches!(op, 0x0A | 0x0C | 0x0E | 0x10 | 0x13 | 0x15 | 0x18 | 0x1B | 0x1E)
}

/// Whether the reply's key must match its request's (the md4 the exchange is about).
fn keyed(op: u8) -> bool {
    matches!(op, 0x0E | 0x10 | 0x13)
}

impl Overnet {
    pub fn new() -> Self {
        Self::default()
    }

    fn evicted(&self) -> u64 {
        self.endpoints.evicted()
            + self.requests.evicted()
            + self.peers.evicted()
            + self.searches.evicted()
            + self.offers.evicted()
    }

    fn known(&self, a: SocketAddr) -> bool {
        self.endpoints.peek(&Addr::new(a)).is_some()
    }

    fn learn(&mut self, pkt: &Packet, node: Addr, peer: &Peer, via: Via) -> bool {
        let (row, new) = self.peers.get_or_insert_with(&(node, peer.id), || LearnedPeer {
            first: pkt.frame,
            last: pkt.frame,
            times: 0,
            gone: None,
            from: Addr::new(pkt.src),
            ip: peer.ip,
            port: peer.port,
            via,
        });
        row.last = pkt.frame;
        (row.ip, row.port) = (peer.ip, peer.port);
        row.times += 1;
        row.gone = None;
        new
    }

    /// Session tracking of an Overnet message already decoded into `out`.
    fn track(&mut self, pkt: &Packet, op: u8, d: &crate::decode::Decoded, out: &mut Dissection) {
        let (src, dst) = (Addr::new(pkt.src), Addr::new(pkt.dst));
        // Too short to carry its md4: nothing to pair or follow.
        if d.key.is_none() && matches!(op, 0x0A | 0x0C | 0x0E | 0x0F | 0x10..=0x15 | 0x18..=0x1A | 0x21) {
            return;
        }
        let key = d.key.unwrap_or(NO_KEY);
        // Pairing and following feed only findings, the tables and the fields below.
        let follow = out.wants_findings_or(&FOLLOWED);
        // What the search's messages look up below, loading while the requests are paired.
        match op {
            _ if !follow => {}
            0x0E | 0x10 => {
                self.searches.prefetch(&(src, key));
                self.offers.prefetch(&(src, dst, key));
            }
            0x0F => {
                self.offers.prefetch(&(dst, src, key));
                self.searches.prefetch(&(dst, key));
            }
            0x11 | 0x12 => self.searches.prefetch(&(dst, key)),
            _ => {}
        }

        if let Some(rop) = request_of(op).filter(|_| follow) {
            let found = self.requests.peek(&(dst, src, rop)).copied();
            if let Some(p) = found.filter(|p| !keyed(rop) || p.key == key) {
                out.add_generated(&RESPONSE_TO, Value::Frame(p.frame));
                out.add_generated(&RESPONSE_TIME, Value::Duration(pkt.time.saturating_sub(p.time)));
            }
        }
        // Kept either way: decoding a SearchReply reads the Search it answers.
        if is_request(op) {
            let p = Pending { frame: pkt.frame, time: pkt.time, key };
            *self.requests.get_or_insert_with(&(src, dst, op), || p).0 = p;
        }
        if !follow {
            return;
        }

        let mut offer_hop = None;
        match op {
            0x0E | 0x10 => {
                let next = &mut self.next_search;
                let (s, _) = self.searches.get_or_insert_with(&(src, key), || Search::new(next, pkt.frame));
                let (hop, via) = match self.offers.peek(&(src, dst, key)) {
                    Some(o) => (o.hop, Some(o.frame)),
                    None => (1, None),
                };
                if op == 0x0E {
                    s.searches += 1;
                    s.param = pkt.payload.get(2).copied();
                    s.max_hop = s.max_hop.max(hop);
                } else {
                    s.result_requests += 1;
                }
                out.add_generated(&SEARCH_ID, Value::Unsigned(s.number));
                out.add_generated(&SEARCH_HOP, Value::Unsigned(hop.into()));
                if let Some(f) = via {
                    out.add_generated(&SEARCH_VIA, Value::Frame(f));
                }
            }
            0x0F => {
                // The peers it offers are one hop further than the replier (recorded below).
                offer_hop = Some(self.offers.peek(&(dst, src, key)).map_or(1, |o| o.hop) + 1);
                let n = d.peers.map_or(0, |p| p.1);
                if let Some(s) = self.searches.get_mut(&(dst, key)) {
                    s.replies += 1;
                    s.offered += n as u64;
                    out.add_generated(&SEARCH_ID, Value::Unsigned(s.number));
                }
            }
            0x11 | 0x12 => {
                if let Some(s) = self.searches.get_mut(&(dst, key)) {
                    out.add_generated(&SEARCH_ID, Value::Unsigned(s.number));
                    if op == 0x11 {
                        s.results += 1;
                        out.add_generated(&SEARCH_RESULT_NO, Value::Unsigned(s.results));
                    } else {
                        s.ends += 1;
                        s.closed_in = Some(pkt.frame);
                    }
                }
            }
            _ => {}
        }

        match op {
            0x0B | 0x0F => {
                let Some((at, n)) = d.peers else { return };
                let via = if op == 0x0B { Via::ConnectReply } else { Via::SearchReply };
                // Every peer's buckets asked for at once, so that their misses overlap.
                for i in 0..n {
                    if let Some(p) = Peer::parse(pkt.payload, at + i * Peer::LEN) {
                        if offer_hop.is_some() {
                            self.offers.prefetch(&(dst, Addr::new((p.ip, p.port).into()), key));
                        }
                        self.peers.prefetch(&(dst, p.id));
                    }
                }
                let mut new = 0u64;
                let mut last = None;
                for i in 0..n {
                    if let Some(p) = Peer::parse(pkt.payload, at + i * Peer::LEN) {
                        if let Some(hop) = offer_hop {
                            let addr = Addr::new((p.ip, p.port).into());
                            self.offers.get_or_insert_with(&(dst, addr, key), || Offer { hop, frame: pkt.frame });
                        }
                        new += self.learn(pkt, dst, &p, via) as u64;
                        last = Some((i, p));
                    }
                }
                out.add_generated(&PEERS_NEW, Value::Unsigned(new));
                if op == 0x0B {
                    if let Some((i, p)) = last {
                        let responder = SocketAddr::new(IpAddr::V4(p.ip), p.port);
                        if responder != pkt.src {
                            let nat = if IpAddr::V4(p.ip) != pkt.src.ip() && p.port == pkt.src.port() {
                                " (same port: the responder may be behind NAT)"
                            } else {
                                ""
                            };
                            out.expert_at(
                                &LAST_PEER_NOT_RESPONDER,
                                at + i * Peer::LEN,
                                Peer::LEN,
                                format!(
                                    "the last peer is {responder}, not the responder {}{nat}; mldonkey lists itself last",
                                    pkt.src
                                ),
                            );
                        }
                    }
                }
            }
            0x0A | 0x0C | 0x15 => {
                // mldonkey keeps the announced id and port but trusts the datagram's source IP.
                if let (Some(mut p), IpAddr::V4(ip), Some(via)) = (d.peer, pkt.src.ip(), Via::of(Opcode(op))) {
                    p.ip = ip;
                    self.learn(pkt, dst, &p, via);
                }
            }
            // mldonkey drops the peer; the table keeps it, marked.
            0x21 => {
                if let Some(row) = d.peer.and_then(|p| self.peers.get_mut(&(dst, p.id))) {
                    row.gone = Some(pkt.frame);
                }
            }
            _ => {}
        }
    }

    fn note_full(&mut self, before: u64, out: &mut Dissection) {
        if !self.full_noted && self.evicted() > before {
            self.full_noted = true;
            out.expert(
                &STATE_FULL,
                format!(
                    "the Overnet tables hold {MAX_ENTRIES} entries each; from here the least recently used peers, searches and requests are dropped"
                ),
            );
        }
    }
}

/// The fields only following the swarm gives; the others are read off the datagram.
static FOLLOWED: [&udpdissect_core::FieldInfo; 7] =
    [&RESPONSE_TO, &RESPONSE_TIME, &SEARCH_ID, &SEARCH_HOP, &SEARCH_VIA, &SEARCH_RESULT_NO, &PEERS_NEW];

/// The opcode's name within its family.
fn opcode_name(magic: u8, op: u8) -> Option<&'static str> {
    match magic {
        wire::MAGIC_EDONKEY if Opcode(op).is_overnet_range() => Opcode(op).name(),
        wire::MAGIC_EDONKEY => family::server_name(op),
        wire::MAGIC_EMULE => family::emule_name(op),
        wire::MAGIC_PACKED => None,
        _ => family::kad_name(op),
    }
}

/// §A.7: 0xE3 with an Overnet opcode and exactly its layout; 2-byte messages only between
/// endpoints already seen speaking Overnet (`known`).
fn probe(b: &[u8], known: bool) -> u8 {
    if b.len() < 2 || b[0] != wire::MAGIC_EDONKEY || !Opcode(b[1]).is_overnet_range() {
        return 0;
    }
    if b.len() == 2 {
        return if known && Opcode(b[1]).fixed_len() == Some(2) { 70 } else { 0 };
    }
    if wire::well_formed(b) {
        80
    } else if known {
        60
    } else {
        0
    }
}

/// Any eDonkey-family magic byte and an opcode.
fn accepts(b: &[u8]) -> bool {
    b.len() >= 2 && magic_name(b[0]).is_some()
}

/// Overnet's stateless decisions, for dispatching on another thread.
struct OvernetRules;

impl Rules for OvernetRules {
    fn accepts(&self, pkt: &Packet, _before: bool) -> bool {
        accepts(pkt.payload)
    }

    fn probe(&self, pkt: &Packet, known: bool) -> u8 {
        probe(pkt.payload, known)
    }
}

impl Dissector for Overnet {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn knows(&self, src: SocketAddr, dst: SocketAddr) -> bool {
        self.known(src) || self.known(dst)
    }

    fn rules(&self) -> Option<Box<dyn Rules>> {
        Some(Box::new(OvernetRules))
    }

    fn dissect(&mut self, _cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
        let b = pkt.payload;
        if !accepts(b) {
            return Verdict::Rejected;
        }
        let (magic, op) = (b[0], b[1]);
        let before = self.evicted();
        let name = opcode_name(magic, op);
        out.open(&MSG, 0, b.len(), Value::None);
        out.add(&MAGIC, 0, 1, Value::Enum { value: magic.into(), name: magic_name(magic) });
        out.add(&OPCODE, 1, 1, Value::Enum { value: op.into(), name });
        let mut dec = Decoder { b, cut: pkt.cut_short(), search_hint: None };
        match magic {
            wire::MAGIC_EDONKEY if Opcode(op).is_overnet_range() => {
                out.protocol = PROTOCOL.column;
                out.message = name.unwrap_or("Unknown");
                // The tables tracking looks up, on their way while the message is decoded.
                let (src, dst) = (Addr::new(pkt.src), Addr::new(pkt.dst));
                self.endpoints.prefetch(&src);
                self.endpoints.prefetch(&dst);
                if let Some(rop) = request_of(op) {
                    self.requests.prefetch(&(dst, src, rop));
                }
                if is_request(op) {
                    self.requests.prefetch(&(src, dst, op));
                }
                if op == 0x0F {
                    dec.search_hint = self.requests.peek(&(dst, src, 0x0E)).map(|p| p.key);
                }
                let findings = out.experts().len();
                let d = dec.overnet(out, Opcode(op));
                let clean = out.experts()[findings..].iter().all(|e| e.severity() < Severity::Warn);
                if clean && name.is_some() {
                    self.endpoints.get_or_insert_with(&src, || ());
                    self.endpoints.get_or_insert_with(&dst, || ());
                }
                self.track(pkt, op, &d, out);
            }
            wire::MAGIC_EDONKEY => family::server(&dec, out, op),
            wire::MAGIC_EMULE => family::emule(&dec, out, op),
            wire::MAGIC_PACKED => {
                out.protocol = COLUMN_EMULE;
                out.message = "Packed";
                out.info.push_str("Packed (zlib, TCP framing)");
                out.add(&BODY, 1, b.len() - 1, Value::Bytes);
            }
            _ => family::kad(&dec, out, magic, op),
        }
        out.close();
        self.note_full(before, out);
        Verdict::Accepted
    }

    fn tables(&self) -> Vec<Table> {
        vec![
            stats::peers_table(self.peers.iter(), self.peers.evicted()),
            stats::searches_table(self.searches.iter(), self.searches.evicted()),
        ]
    }
}
