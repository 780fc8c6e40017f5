//! Who is who across the capture: domain servers, the nodes they assigned Local IDs to, the
//! connection secrets they handed out, and when each domain server last heard from each node.
//! Capture-wide (an agent talks to the domain server and to every mixer on different UDP
//! conversations) and bounded like every table.

use crate::md5::HmacKey;
use crate::payload::Learned;
use crate::types;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::net::SocketAddr;
use udpdissect_core::addr::Addr;
use udpdissect_core::lru::LruMap;
use udpdissect_core::TimeNs;

/// Nodes, domains, secrets and Local IDs kept at once.
pub const MAX_NODES: usize = 4096;
pub const MAX_DOMAINS: usize = 256;

/// `NODE_SILENCE_THRESHOLD_MSECS` (`LimitedNodeList.h`): 10 s.
pub const DEFAULT_SILENCE: TimeNs = 10_000_000_000;

#[derive(Debug, Clone, Default)]
pub struct Node {
    pub node_type: Option<u8>,
    pub local_id: Option<u16>,
    /// Frame and time of the DomainList that told this node its Local ID.
    pub assigned: Option<(u64, TimeNs)>,
    /// The domain server that assigned it.
    pub domain: Option<SocketAddr>,
    /// Frame and time the domain server last accepted a sourced packet from it.
    pub heard: Option<(u64, TimeNs)>,
    /// What the capture had lost ([`Nodes::lost`]) when it was last heard or assigned: its
    /// silence may be packets of its that the capture lost.
    lost_at: u64,
    /// The latest wrong source ID this address sent (value, frame).
    pub wrong_id: Option<(u16, u64)>,
    pub silent_reported: bool,
    pub uuid: Option<[u8; 16]>,
    /// The time of this node's live entry in the silence queue, if it has one.
    queued: Option<TimeNs>,
    /// What its packets met, for the statistics.
    pub tally: Tally,
}

/// A node's sourced packets and what their receivers made of them, from when the node became
/// known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sourced packets it sent.
    pub sourced: u64,
    /// Of those, with a source ID that names no node (byte-swapped or unknown).
    pub bad_source: u64,
    /// Verified packets whose hash matched the connection secret.
    pub hmac_ok: u64,
    /// Verified packets the receiver drops as a hash mismatch (wrong or all-zero hash under a
    /// secret it holds, or a verified type sent to an authenticating domain server).
    pub hmac_failed: u64,
    /// Verified packets nobody could check: no secret in the capture, or authentication off.
    pub hmac_unchecked: u64,
    /// The longest its domain server went without hearing from it, between its assignment
    /// and later hearings (the open stretch to the end of the capture is added by the table).
    pub longest_silence: TimeNs,
}

impl Node {
    /// Its domain server hears from it (or gives it a new Local ID) at `time`: the stretch
    /// since its assignment or last hearing ends, perhaps the longest yet.
    fn end_silence(&mut self, time: TimeNs) {
        if let Some(since) = self.heard.or(self.assigned) {
            self.tally.longest_silence = self.tally.longest_silence.max(time.saturating_sub(since.1));
        }
    }

    /// The longest its domain server went without hearing from it, counting the open stretch
    /// to `end`; `None` for a node no DomainList in the capture assigned.
    pub fn longest_silence(&self, end: Option<TimeNs>) -> Option<TimeNs> {
        let since = self.heard.or(self.assigned)?.1;
        self.domain?;
        let open = end.map_or(0, |e| e.saturating_sub(since));
        Some(self.tally.longest_silence.max(open))
    }
}

/// What the receiver of a verified packet made of its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashVerdict {
    Ok,
    Failed,
    Unchecked,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Domain {
    pub local_id: Option<u16>,
    /// The DomainList "authenticatePackets" flag.
    pub authenticate: Option<bool>,
}

/// A node's connection secret with another, and where it was learned; with the HMAC state it
/// keys (two MD5 blocks that every verified packet between the two would hash again), made
/// when the first hash is checked with it: a run that checks none never makes it.
#[derive(Debug, Clone, Copy)]
pub struct Secret {
    pub key: [u8; 16],
    pub frame: u64,
    pub hmac: Option<HmacKey>,
}

impl Secret {
    fn new(key: [u8; 16], frame: u64) -> Secret {
        Secret { key, frame, hmac: None }
    }

    /// The HMAC-MD5 of `data` under this secret.
    pub fn mac(&self, data: &[u8]) -> [u8; 16] {
        self.hmac.unwrap_or_else(|| HmacKey::new(&self.key)).mac(data)
    }
}

/// What the source ID of a sourced packet says about its sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceCheck {
    /// Matches the sender's assigned Local ID (or a known one).
    Known,
    /// Nothing to compare with: no Local ID assigned in the capture yet.
    Unchecked,
    /// The bytes-swapped form of `assigned` (Local ID, frame).
    ByteSwapped { assigned: u16, frame: u64 },
    /// Matches no assigned Local ID; the sender's own, when known.
    Unknown { own: Option<(u16, u64)> },
}

/// A packet's two ends, looked up in the node table once: a verified packet's checks read them
/// eight times, each a lookup before. Only a cache: read after the table changed (an entry
/// added or dropped), an end is looked up again.
#[derive(Debug, Clone, Copy)]
pub struct Ends {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    slots: [Option<u32>; 2],
    epoch: u64,
}

/// Which of a packet's [`Ends`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Src,
    Dst,
}

impl Ends {
    /// The table's epoch and the ends' slots, for [`Nodes::ends_kept`].
    pub fn kept(&self) -> (u64, [Option<u32>; 2]) {
        (self.epoch, self.slots)
    }

    /// One end's address.
    fn addr(&self, end: End) -> SocketAddr {
        match end {
            End::Src => self.src,
            End::Dst => self.dst,
        }
    }
}

/// A silent node found by [`Nodes::silent`].
#[derive(Debug, Clone)]
pub struct Silent {
    pub addr: SocketAddr,
    pub domain: SocketAddr,
    pub node_type: Option<u8>,
    pub local_id: Option<u16>,
    pub since: (u64, TimeNs),
    pub heard: bool,
    pub wrong_id: Option<(u16, u64)>,
    /// Packets the capture lost since `since`.
    pub lost: u64,
}

pub struct Nodes {
    pub by_addr: LruMap<SocketAddr, Node>,
    pub domains: LruMap<SocketAddr, Domain>,
    /// Assigned Local ID → the address it was assigned to and the frame.
    ids: LruMap<u16, (SocketAddr, u64)>,
    /// Unordered pair of Local IDs → their connection secret.
    secrets: LruMap<(u16, u16), Secret>,
    /// (node UUID, address) for every node in `by_addr` with a UUID (kept exact on every
    /// insert, eviction and removal, so no larger than `by_addr`): a RemovedNode finds its
    /// node without walking the table, and a UUID many addresses share (a mixer announced to
    /// every agent) costs no more to update than any other. Keyed by the UUID as a number and
    /// the packed address, compared inline: `([u8; 16], SocketAddr)` went through `memcmp` and
    /// the address's variants, about 900 instructions per B-tree operation.
    by_uuid: BTreeSet<(u128, Addr)>,
    pub silence: TimeNs,
    next_check: TimeNs,
    /// Nodes a domain server may find silent, earliest first: (heard or assigned time,
    /// address). An entry may be older than its node's last hearing (it is then queued again
    /// when it comes up), never newer, so the check looks only at nodes past the threshold.
    due: BinaryHeap<Reverse<(TimeNs, SocketAddr)>>,
    /// How many times the node at an address was removed (DomainServerRemovedNode) or given a
    /// new Local ID (a new session): its peers drop their connections to it then, so sequence
    /// numbers start again.
    generations: LruMap<SocketAddr, u32>,
    /// How many generation changes there have been in all: a connection that saw this count
    /// need not look its ends up again.
    pub restarts: u64,
    /// The packets the capture has lost up to the datagram being dissected
    /// ([`udpdissect_core::Unseen::total`]), set by the dissector.
    pub lost: u64,
}

impl Default for Nodes {
    fn default() -> Self {
        Nodes {
            by_addr: LruMap::new(MAX_NODES),
            domains: LruMap::new(MAX_DOMAINS),
            ids: LruMap::new(MAX_NODES),
            secrets: LruMap::new(MAX_NODES),
            by_uuid: BTreeSet::new(),
            silence: DEFAULT_SILENCE,
            next_check: TimeNs::MIN,
            due: BinaryHeap::new(),
            generations: LruMap::new(MAX_NODES),
            restarts: 0,
            lost: 0,
        }
    }
}

/// `by_uuid`'s key.
fn uuid_key(uuid: [u8; 16], addr: SocketAddr) -> (u128, Addr) {
    (u128::from_be_bytes(uuid), Addr::new(addr))
}

fn pair(a: u16, b: u16) -> (u16, u16) {
    (a.min(b), a.max(b))
}

impl Nodes {
    #[cfg(test)]
    pub fn node(&self, addr: &SocketAddr) -> Option<&Node> {
        self.by_addr.peek(addr)
    }

    /// Looks up both ends of a packet.
    pub fn ends(&self, src: SocketAddr, dst: SocketAddr) -> Ends {
        Ends { src, dst, slots: [self.by_addr.slot(&src), self.by_addr.slot(&dst)], epoch: self.by_addr.epoch() }
    }

    /// [`Nodes::ends`], taking the slots from `kept` (the ends' slots in the same order, and
    /// the table's epoch then: [`Ends::kept`] of an earlier datagram between them) while that
    /// epoch lasts.
    pub fn ends_kept(&self, src: SocketAddr, dst: SocketAddr, kept: Option<(u64, [Option<u32>; 2])>) -> Ends {
        match kept {
            Some((epoch, slots)) if epoch == self.by_addr.epoch() => Ends { src, dst, slots, epoch },
            _ => self.ends(src, dst),
        }
    }

    fn slot(&self, e: &Ends, end: End) -> Option<u32> {
        let (addr, slot) = match end {
            End::Src => (&e.src, e.slots[0]),
            End::Dst => (&e.dst, e.slots[1]),
        };
        if e.epoch == self.by_addr.epoch() {
            slot
        } else {
            self.by_addr.slot(addr)
        }
    }

    /// The node at one end of a packet.
    pub fn at(&self, e: &Ends, end: End) -> Option<&Node> {
        self.by_addr.at(self.slot(e, end)?)
    }

    fn at_mut(&mut self, e: &Ends, end: End) -> Option<&mut Node> {
        let slot = self.slot(e, end)?;
        self.by_addr.at_mut(slot)
    }

    pub fn is_domain(&self, addr: &SocketAddr) -> bool {
        self.domains.peek(addr).is_some()
    }

    /// The node type at an address: learned, else the conventional port's.
    #[cfg(test)]
    pub fn node_type(&self, addr: &SocketAddr) -> Option<u8> {
        self.type_at(&self.ends(*addr, *addr), End::Src)
    }

    /// The node type at one end of a packet: learned, else the conventional port's.
    pub fn type_at(&self, e: &Ends, end: End) -> Option<u8> {
        self.at(e, end).and_then(|n| n.node_type).or_else(|| types::node_type_for_port(e.addr(end).port()))
    }

    pub fn knows(&self, addr: &SocketAddr) -> bool {
        self.by_addr.peek(addr).is_some() || self.domains.peek(addr).is_some()
    }

    fn node_mut(&mut self, addr: SocketAddr) -> &mut Node {
        let (node, _, evicted) = self.by_addr.get_or_insert_evicting(&addr, Node::default);
        if let Some((gone, Node { uuid: Some(uuid), .. })) = evicted {
            self.by_uuid.remove(&uuid_key(uuid, gone));
        }
        node
    }

    /// Gives the node at `addr` its UUID, keeping `by_uuid` exact.
    fn set_uuid(&mut self, addr: SocketAddr, uuid: [u8; 16]) {
        let n = self.node_mut(addr);
        let old = n.uuid.replace(uuid);
        if old == Some(uuid) {
            return;
        }
        if let Some(old) = old {
            self.by_uuid.remove(&uuid_key(old, addr));
        }
        self.by_uuid.insert(uuid_key(uuid, addr));
    }

    /// Drops the node at `addr` from the table and the UUID index.
    fn remove_node(&mut self, addr: &SocketAddr) -> Option<Node> {
        let n = self.by_addr.remove(addr)?;
        if let Some(uuid) = n.uuid {
            self.by_uuid.remove(&uuid_key(uuid, *addr));
        }
        Some(n)
    }

    /// Queues the node at `addr`, last heard (or assigned) at `since`, for the silence check,
    /// unless it has an entry that comes up no later.
    fn queue(&mut self, addr: SocketAddr, since: TimeNs) {
        let Some(n) = self.by_addr.peek_mut(&addr) else { return };
        if n.queued.is_some_and(|t| t <= since) {
            return;
        }
        n.queued = Some(since);
        self.due.push(Reverse((since, addr)));
        if self.due.len() > 4 * MAX_NODES {
            self.requeue();
        }
    }

    /// Rebuilds the queue from the table, dropping the entries of nodes gone or re-queued.
    fn requeue(&mut self) {
        self.due.clear();
        for (addr, n) in self.by_addr.iter_mut() {
            n.queued = match (n.domain, n.assigned, n.silent_reported) {
                (Some(_), Some(assigned), false) => Some(n.heard.unwrap_or(assigned).1),
                _ => None,
            };
            if let Some(since) = n.queued {
                self.due.push(Reverse((since, *addr)));
            }
        }
    }

    /// Marks an address as a domain server.
    pub fn domain_server(&mut self, addr: SocketAddr) {
        self.domains.get_or_insert_with(&addr, Domain::default);
        self.node_mut(addr).node_type = Some(b'D');
    }

    /// Marks an address as a node that checks in with a domain server.
    pub fn checks_in(&mut self, node: SocketAddr, domain: SocketAddr, owner_type: Option<u8>) {
        self.domain_server(domain);
        let n = self.node_mut(node);
        n.domain.get_or_insert(domain);
        if let Some(t) = owner_type {
            n.node_type = Some(t);
        }
    }

    /// Whether the domain of the node at one end of a packet (or of the domain server there)
    /// authenticates its nodes' packets, when its DomainList said.
    pub fn authenticate(&self, e: &Ends, end: End) -> Option<bool> {
        let domain = self.at(e, end).and_then(|n| n.domain).unwrap_or(e.addr(end));
        self.domains.peek(&domain).and_then(|d| d.authenticate)
    }

    /// Applies what a payload from `src` to `dst` taught.
    pub fn learn(&mut self, frame: u64, time: TimeNs, src: SocketAddr, dst: SocketAddr, learned: &Learned) {
        // Most payloads (audio, avatars, pings) teach nothing: no lookups for them.
        if learned.domain_list.is_none()
            && learned.nodes.is_empty()
            && learned.removed.is_none()
            && learned.owner_type.is_none()
        {
            return;
        }
        // A DomainList's nodes are lookups at random in large tables: their index buckets are
        // asked for together, before the first waits for its own.
        for r in &learned.nodes {
            for addr in [r.public, r.local].into_iter().flatten() {
                self.by_addr.prefetch(&addr);
            }
            self.ids.prefetch(&r.local_id);
        }
        let mut receiver_id = self.by_addr.peek(&dst).and_then(|n| n.local_id);
        if let Some(h) = &learned.domain_list {
            let d = self.domains.get_or_insert_with(&src, Domain::default).0;
            d.local_id = Some(h.domain_local_id);
            d.authenticate = Some(h.authenticate);
            let ds = self.node_mut(src);
            ds.node_type = Some(b'D');
            ds.local_id = Some(h.domain_local_id);
            self.ids.get_or_insert_with(&h.domain_local_id, || (src, frame));
            let lost = self.lost;
            let n = self.node_mut(dst);
            let stale = n.local_id.filter(|&old| old != h.your_local_id);
            if n.local_id != Some(h.your_local_id) || n.assigned.is_none() {
                // The old session's last stretch ends with the new Local ID.
                n.end_silence(time);
                n.local_id = Some(h.your_local_id);
                n.assigned = Some((frame, time));
                n.heard = None;
                n.lost_at = lost;
                n.silent_reported = false;
            }
            n.domain = Some(src);
            let assigned_frame = n.assigned.map_or(frame, |a| a.0);
            let since = n.heard.or(n.assigned).map_or(time, |h| h.1);
            self.set_uuid(dst, h.your_uuid);
            self.queue(dst, since);
            if let Some(old) = stale {
                self.ids.remove(&old);
                // A new Local ID is a new session of the node: its connections start afresh.
                *self.generations.get_or_insert_with(&dst, || 0).0 += 1;
                self.restarts += 1;
            }
            *self.ids.get_or_insert_with(&h.your_local_id, || (dst, frame)).0 = (dst, assigned_frame);
            receiver_id = Some(h.your_local_id);
        }
        for r in &learned.nodes {
            for addr in [r.public, r.local].into_iter().flatten() {
                self.set_uuid(addr, r.uuid);
                let n = self.node_mut(addr);
                n.node_type = Some(r.node_type);
                n.local_id = Some(r.local_id);
                n.domain.get_or_insert(src);
            }
            if let Some(addr) = r.public.or(r.local) {
                self.ids.get_or_insert_with(&r.local_id, || (addr, frame));
            }
            if let (Some(key), Some(me)) = (r.secret, receiver_id) {
                let (s, _) = self.secrets.get_or_insert_with(&pair(me, r.local_id), || Secret::new(key, frame));
                if s.key == key {
                    s.frame = frame;
                } else {
                    *s = Secret::new(key, frame);
                }
            }
        }
        if let Some(uuid) = learned.removed {
            // 0.0.0.0:0 packs to the least address, so the UUID's entries start there; they
            // are handled in the addresses' own order.
            let from = uuid_key(uuid, SocketAddr::from(([0u8; 4], 0)));
            let mut gone: Vec<SocketAddr> =
                self.by_uuid.range(from..).take_while(|(u, _)| *u == from.0).map(|(_, a)| a.socket()).collect();
            gone.sort_unstable();
            for a in gone {
                *self.generations.get_or_insert_with(&a, || 0).0 += 1;
                self.restarts += 1;
                if let Some(n) = self.remove_node(&a) {
                    if let Some(id) = n.local_id {
                        self.ids.remove(&id);
                    }
                }
            }
        }
        if let Some(t) = learned.owner_type {
            self.checks_in(src, dst, Some(t));
        }
    }

    /// How many times the node at `addr` was removed from the domain.
    pub fn generation(&self, addr: &SocketAddr) -> u32 {
        self.generations.peek(addr).copied().unwrap_or(0)
    }

    /// Judges the source ID `id` of a packet from `e.src`.
    pub fn check_source(&mut self, e: &Ends, id: u16, frame: u64) -> SourceCheck {
        let src = e.src;
        let node = self.at(e, End::Src);
        let own = node.as_ref().and_then(|n| n.local_id.map(|l| (l, n.assigned.map_or(0, |a| a.0))));
        let verdict = match own {
            Some((l, _)) if l == id => SourceCheck::Known,
            Some((l, f)) if l == id.swap_bytes() => SourceCheck::ByteSwapped { assigned: l, frame: f },
            _ if self.ids.peek(&id).is_some() => SourceCheck::Known,
            _ => match self.ids.peek(&id.swap_bytes()) {
                Some(&(_, f)) if id.swap_bytes() != id => {
                    SourceCheck::ByteSwapped { assigned: id.swap_bytes(), frame: f }
                }
                _ if own.is_none() && self.ids.is_empty() => SourceCheck::Unchecked,
                _ => SourceCheck::Unknown { own },
            },
        };
        let wrong = !matches!(verdict, SourceCheck::Known | SourceCheck::Unchecked);
        if let Some(n) = self.at_mut(e, End::Src) {
            n.tally.sourced += 1;
            n.tally.bad_source += u64::from(wrong);
        }
        if wrong {
            // Kept for the tables only: the node is not made the most recently used, so that
            // which nodes the table keeps depends on what the domains teach and hear alone,
            // whether or not the sources are checked.
            if let Some(n) = self.by_addr.peek_mut(&src) {
                n.wrong_id = Some((id, frame));
            }
        }
        verdict
    }

    /// Counts what the receiver made of a verified packet's hash from `e.src`.
    pub fn tally_hash(&mut self, e: &Ends, verdict: HashVerdict) {
        if let Some(n) = self.at_mut(e, End::Src) {
            match verdict {
                HashVerdict::Ok => n.tally.hmac_ok += 1,
                HashVerdict::Failed => n.tally.hmac_failed += 1,
                HashVerdict::Unchecked => n.tally.hmac_unchecked += 1,
            }
        }
    }

    /// The secret the receiver at `e.dst` shares with the node whose Local ID is `source_id`,
    /// with its HMAC state keyed.
    pub fn secret(&mut self, e: &Ends, source_id: u16) -> Option<Secret> {
        let me = self.at(e, End::Dst)?.local_id?;
        let s = self.secrets.peek_mut(&pair(me, source_id))?;
        s.hmac.get_or_insert_with(|| HmacKey::new(&s.key));
        Some(*s)
    }

    /// A sourced packet with `source_id` reached the domain server at `dst` and passed its
    /// checks: the node with that ID was heard.
    pub fn heard_by_domain(&mut self, dst: SocketAddr, source_id: u16, frame: u64, time: TimeNs) {
        let Some(&(addr, _)) = self.ids.peek(&source_id) else { return };
        if let Some(n) = self.by_addr.get_mut(&addr).filter(|n| n.domain == Some(dst)) {
            n.end_silence(time);
            n.heard = Some((frame, time));
            n.lost_at = self.lost;
            n.silent_reported = false;
            self.queue(addr, time);
        }
    }

    /// Nodes a domain server has not heard from for longer than the threshold at `now`, each
    /// reported once. Checked at most once per second of capture time unless `force`: the
    /// check of the time is inlined into every datagram's dissection, the walk is not.
    #[inline]
    pub fn silent(&mut self, now: TimeNs, force: bool) -> Vec<Silent> {
        if !force && now < self.next_check {
            return Vec::new();
        }
        self.find_silent(now)
    }

    fn find_silent(&mut self, now: TimeNs) -> Vec<Silent> {
        self.next_check = now.saturating_add(1_000_000_000);
        let silence = self.silence;
        let mut found = Vec::new();
        // Every node that may be silent has an entry no newer than its last hearing, so
        // nobody is past the threshold once the earliest entry is not.
        while let Some(&Reverse((queued, addr))) = self.due.peek() {
            if now.saturating_sub(queued) <= silence {
                break;
            }
            self.due.pop();
            let Some(n) = self.by_addr.peek_mut(&addr) else { continue };
            if n.queued != Some(queued) {
                continue; // an older entry of a node queued again since
            }
            n.queued = None;
            let (Some(domain), Some(assigned), false) = (n.domain, n.assigned, n.silent_reported) else { continue };
            let since = n.heard.unwrap_or(assigned);
            if since.1 != queued {
                // Heard after it was queued: queued again for its latest hearing.
                n.queued = Some(since.1);
                self.due.push(Reverse((since.1, addr)));
                continue;
            }
            n.silent_reported = true;
            found.push(Silent {
                addr,
                domain,
                node_type: n.node_type,
                local_id: n.local_id,
                since,
                heard: n.heard.is_some(),
                wrong_id: n.wrong_id,
                lost: self.lost.saturating_sub(n.lost_at),
            });
        }
        found.sort_by_key(|s| s.since.0);
        for s in &found {
            self.by_addr.get_mut(&s.addr); // reporting counts as a use, as it always has
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{DomainListHeader, NodeRecord};

    const S: TimeNs = 1_000_000_000;

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn list(your: u16, auth: bool, nodes: Vec<NodeRecord>) -> Learned {
        Learned {
            domain_list: Some(DomainListHeader {
                session_uuid: [1; 16],
                domain_local_id: 0xd918,
                your_uuid: [2; 16],
                your_local_id: your,
                permissions: 0xbff,
                authenticate: auth,
                new_connection: true,
            }),
            nodes,
            ..Learned::default()
        }
    }

    fn mixer(local_id: u16, secret: [u8; 16]) -> NodeRecord {
        NodeRecord {
            node_type: b'W',
            uuid: [3; 16],
            public: Some(sa("10.0.0.2:48001")),
            local: None,
            permissions: 0,
            local_id,
            secret: Some(secret),
        }
    }

    #[test]
    fn ends_looked_up_before_the_table_changed_are_looked_up_again() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        let ends = n.ends(me, ds);
        assert!(n.at(&ends, End::Src).is_none());
        // Both ends added after the lookup: read through the stale ends, still found.
        n.checks_in(me, ds, Some(b'I'));
        assert_eq!(n.at(&ends, End::Src).and_then(|x| x.node_type), Some(b'I'));
        assert_eq!(n.type_at(&ends, End::Dst), Some(b'D'));
        // Fresh ends give the same, from their slots.
        let fresh = n.ends(me, ds);
        assert_eq!(n.type_at(&fresh, End::Src), Some(b'I'));
        assert_eq!(n.authenticate(&fresh, End::Src), None, "no DomainList yet");
    }

    #[test]
    fn domain_list_assigns_ids_and_secrets() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        n.checks_in(me, ds, Some(b'I'));
        n.learn(12, S, ds, me, &list(0x3b70, true, vec![mixer(0x15af, [9; 16])]));
        assert_eq!(n.node_type(&me), Some(b'I'));
        assert_eq!(n.node_type(&sa("10.0.0.2:48001")), Some(b'W'));
        assert_eq!(n.node(&me).unwrap().local_id, Some(0x3b70));
        assert_eq!(n.check_source(&n.ends(me, ds), 0x3b70, 13), SourceCheck::Known);
        assert_eq!(
            n.check_source(&n.ends(me, ds), 0x703b, 14),
            SourceCheck::ByteSwapped { assigned: 0x3b70, frame: 12 }
        );
        assert_eq!(n.check_source(&n.ends(me, ds), 0x1234, 15), SourceCheck::Unknown { own: Some((0x3b70, 12)) });
        assert_eq!(
            n.check_source(&n.ends(sa("10.9.9.9:1"), ds), 0xaf15, 16),
            SourceCheck::ByteSwapped { assigned: 0x15af, frame: 12 }
        );
        // The mixer verifies the agent's packets with the secret the DomainList handed out.
        let ends = n.ends(me, sa("10.0.0.2:48001"));
        assert_eq!(n.secret(&ends, 0x3b70).unwrap().key, [9; 16]);
        assert_eq!(n.authenticate(&n.ends(me, ds), End::Src), Some(true));
        assert!(n.is_domain(&ds));
    }

    /// The keyed HMAC state is made when a hash is first checked with the secret, kept while a
    /// later DomainList repeats it, and made again when one hands out another.
    #[test]
    fn a_secret_keys_its_hmac_state_when_first_used_and_when_it_changes() {
        let (ds, me, mixer_at) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"), sa("10.0.0.2:48001"));
        let mut n = Nodes::default();
        n.checks_in(me, ds, Some(b'I'));
        let stored = |n: &Nodes| *n.secrets.iter().next().unwrap().1;
        let secret = |n: &mut Nodes| n.secret(&n.ends(me, mixer_at), 0x3b70).unwrap();
        n.learn(12, S, ds, me, &list(0x3b70, true, vec![mixer(0x15af, [9; 16])]));
        assert_eq!(stored(&n).hmac, None, "not keyed until a hash is checked");
        assert_eq!((secret(&mut n).frame, secret(&mut n).hmac), (12, Some(HmacKey::new(&[9; 16]))));
        assert_eq!(stored(&n).hmac, Some(HmacKey::new(&[9; 16])), "kept once keyed");
        n.learn(20, 2 * S, ds, me, &list(0x3b70, true, vec![mixer(0x15af, [9; 16])]));
        assert_eq!((stored(&n).frame, stored(&n).hmac), (20, Some(HmacKey::new(&[9; 16]))), "the same secret again");
        n.learn(30, 3 * S, ds, me, &list(0x3b70, true, vec![mixer(0x15af, [7; 16])]));
        assert_eq!((stored(&n).key, stored(&n).frame, stored(&n).hmac), ([7; 16], 30, None), "a new secret");
        assert_eq!(secret(&mut n).hmac, Some(HmacKey::new(&[7; 16])), "keyed with the new secret");
        let data = b"the datagram after its hash";
        assert_eq!(secret(&mut n).mac(data), HmacKey::new(&[7; 16]).mac(data));
        assert_eq!(Secret::new([7; 16], 1).mac(data), HmacKey::new(&[7; 16]).mac(data), "unkeyed, keyed at once");
    }

    #[test]
    fn tally_counts_sources_hashes_and_the_longest_silence() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        n.checks_in(me, ds, Some(b'I'));
        n.learn(1, 0, ds, me, &list(0x3b70, true, vec![]));
        n.check_source(&n.ends(me, ds), 0x3b70, 2);
        n.check_source(&n.ends(me, ds), 0x703b, 3);
        n.tally_hash(&n.ends(me, ds), HashVerdict::Ok);
        n.tally_hash(&n.ends(me, ds), HashVerdict::Failed);
        n.tally_hash(&n.ends(me, ds), HashVerdict::Unchecked);
        n.tally_hash(&n.ends(sa("10.9.9.9:1"), ds), HashVerdict::Ok); // not a known node: not counted
        n.heard_by_domain(ds, 0x3b70, 4, 3 * S);
        n.heard_by_domain(ds, 0x3b70, 5, 4 * S);
        let node = n.node(&me).unwrap();
        let t = node.tally;
        assert_eq!((t.sourced, t.bad_source, t.hmac_ok, t.hmac_failed, t.hmac_unchecked), (2, 1, 1, 1, 1));
        assert_eq!(node.longest_silence(None), Some(3 * S), "assignment at 0 to the first hearing");
        assert_eq!(node.longest_silence(Some(20 * S)), Some(16 * S), "the open stretch to the end");
        // A new Local ID ends the old session's stretch: 4 s to 30 s.
        n.learn(6, 30 * S, ds, me, &list(0x4444, true, vec![]));
        assert_eq!(n.node(&me).unwrap().longest_silence(Some(31 * S)), Some(26 * S));
        assert_eq!(n.node(&ds).unwrap().longest_silence(Some(31 * S)), None, "no DomainList assigned it");
    }

    #[test]
    fn silence_is_reported_once_and_reset_by_hearing() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        n.learn(3, 0, ds, me, &list(0x3b70, false, vec![]));
        n.heard_by_domain(ds, 0x3b70, 4, S);
        assert!(n.silent(10 * S, false).is_empty());
        let s = n.silent(11 * S + 1, false);
        assert_eq!((s.len(), s[0].since, s[0].heard), (1, (4, S), true));
        assert!(n.silent(30 * S, true).is_empty(), "reported once");
        n.heard_by_domain(ds, 0x3b70, 9, 31 * S);
        assert_eq!(n.silent(42 * S, true).len(), 1);
    }

    #[test]
    fn a_new_local_id_replaces_the_old_one() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        n.learn(1, 0, ds, me, &list(0x1111, true, vec![]));
        n.learn(9, S, ds, me, &list(0x2222, true, vec![]));
        assert_eq!(n.check_source(&n.ends(me, ds), 0x2222, 10), SourceCheck::Known);
        assert_eq!(n.check_source(&n.ends(me, ds), 0x1111, 11), SourceCheck::Unknown { own: Some((0x2222, 9)) });
    }

    #[test]
    fn removed_nodes_leave_the_table() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        n.learn(1, 0, ds, me, &list(1, true, vec![mixer(0x15af, [9; 16])]));
        n.learn(2, 0, ds, me, &Learned { removed: Some([3; 16]), ..Learned::default() });
        assert!(n.node(&sa("10.0.0.2:48001")).is_none());
        assert_eq!(n.check_source(&n.ends(sa("10.0.0.2:48001"), ds), 0x15af, 3), SourceCheck::Unknown { own: None });
    }

    #[test]
    fn a_removed_node_or_a_new_session_starts_a_new_generation() {
        let (ds, me, m) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"), sa("10.0.0.2:48001"));
        let mut n = Nodes::default();
        n.learn(1, 0, ds, me, &list(1, true, vec![mixer(0x15af, [9; 16])]));
        assert_eq!((n.generation(&me), n.generation(&m)), (0, 0));
        // The keep-alive DomainList repeats the same ID: same session.
        n.learn(2, 0, ds, me, &list(1, true, vec![mixer(0x15af, [9; 16])]));
        assert_eq!(n.generation(&me), 0);
        // The mixer restarts (removed), the agent reconnects (a new Local ID).
        n.learn(3, 0, ds, me, &Learned { removed: Some([3; 16]), ..Learned::default() });
        n.learn(4, 0, ds, me, &list(2, true, vec![]));
        assert_eq!((n.generation(&me), n.generation(&m)), (1, 1));
    }

    #[test]
    fn the_uuid_index_follows_evictions_and_new_uuids() {
        let ds = sa("10.0.0.2:40102");
        let mut n = Nodes::default();
        let node = |i: u32| {
            let mut r = mixer(i as u16, [9; 16]);
            r.uuid[..4].copy_from_slice(&i.to_be_bytes());
            r.public = Some(SocketAddr::from(([10, 1, (i >> 8) as u8, i as u8], 48001)));
            r
        };
        // More nodes than the table holds: the first ones are evicted, and so leave the index.
        let total = MAX_NODES as u32 + 100;
        for i in 0..total {
            n.learn(u64::from(i), 0, ds, sa("10.0.0.1:5000"), &Learned { nodes: vec![node(i)], ..Learned::default() });
        }
        let indexed = n.by_uuid.len();
        assert_eq!(indexed, n.by_addr.len());
        let removed = |n: &mut Nodes, i: u32| {
            let before = n.restarts;
            n.learn(0, 0, ds, sa("10.0.0.1:5000"), &Learned { removed: Some(node(i).uuid), ..Learned::default() });
            n.restarts - before
        };
        assert_eq!(removed(&mut n, 5), 0, "evicted long ago: nothing to remove");
        assert_eq!(removed(&mut n, total - 1), 1);
        assert!(n.node(&node(total - 1).public.unwrap()).is_none());
        // A node announced again under a new UUID is found by the new one only.
        let mut again = node(total - 2);
        again.uuid = [0xee; 16];
        n.learn(1, 0, ds, sa("10.0.0.1:5000"), &Learned { nodes: vec![again], ..Learned::default() });
        assert_eq!(removed(&mut n, total - 2), 0);
        assert_eq!(removed(&mut n, u32::from_be_bytes([0xee; 4])), 0, "the index is keyed by the whole UUID");
        let before = n.restarts;
        n.learn(2, 0, ds, sa("10.0.0.1:5000"), &Learned { removed: Some([0xee; 16]), ..Learned::default() });
        assert_eq!(n.restarts - before, 1);
    }

    #[test]
    fn silent_nodes_come_from_the_queue_of_due_ones() {
        let (ds, me) = (sa("10.0.0.2:40102"), sa("10.0.0.1:5000"));
        let mut n = Nodes::default();
        assert!(n.silent(100 * S, false).is_empty());
        n.learn(3, 200 * S, ds, me, &list(0x3b70, false, vec![]));
        assert!(n.silent(205 * S, false).is_empty());
        // Assigned at 200 s and never heard: silent after 210 s, found at the next check.
        assert_eq!(n.silent(210 * S + 1, false).len(), 1);
        // Heard at 220 s and 225 s: its entry of 220 s comes up first and is queued again.
        n.heard_by_domain(ds, 0x3b70, 4, 220 * S);
        n.heard_by_domain(ds, 0x3b70, 5, 225 * S);
        assert!(n.silent(232 * S, true).is_empty());
        let s = n.silent(236 * S, true);
        assert_eq!((s.len(), s[0].since), (1, (5, 225 * S)));
        // A capture whose clock steps back: the earlier hearing is queued too.
        n.heard_by_domain(ds, 0x3b70, 6, 300 * S);
        n.heard_by_domain(ds, 0x3b70, 7, 290 * S);
        assert_eq!(n.silent(300 * S + 1, true).len(), 1);
    }

    #[test]
    fn the_silence_queue_stays_bounded_under_a_flood_of_assignments() {
        let ds = sa("10.0.0.2:40102");
        let mut n = Nodes::default();
        for i in 0..(5 * MAX_NODES as u32) {
            let me = SocketAddr::from(([10, 2, (i >> 8) as u8, i as u8], (i >> 16) as u16 + 1));
            n.learn(u64::from(i), i64::from(i), ds, me, &list(i as u16, false, vec![]));
        }
        assert!(n.due.len() <= 4 * MAX_NODES + 1, "{}", n.due.len());
        // Every node still in the table is found once it is silent.
        let live = n.by_addr.iter().filter(|(_, x)| x.assigned.is_some()).count();
        assert_eq!(n.silent(TimeNs::MAX / 2, true).len(), live);
    }
}
