//! Dispatch, in Wireshark's order: decode-as rule → protocol bound to the conversation →
//! lower port, then higher port → heuristics → `data`.

use crate::conversation::{ConvId, Conversations, Direction, Dropped, Place, States, MAX_CONVERSATIONS};
use crate::digits;
use crate::dissection::Dissection;
use crate::field::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind, Severity, Value};
use crate::handoff::{Away, Handoff, Lent, Rules};
use crate::registry::{DecodeAs, DecodeAsError};
use crate::unseen::{Losses, Unseen};
use crate::TimeNs;
use std::any::{Any, TypeId};
use std::net::SocketAddr;

/// Well-known ports of services that no dissector here decodes: DNS, DHCP, TFTP, NTP, NetBIOS,
/// SNMP, QUIC/HTTPS, IKE, syslog, RIP, DHCPv6, OpenVPN, L2TP, RADIUS, SSDP, STUN, mDNS, LLMNR.
/// A datagram to or from one is left to decode-as rules and `data`, as Wireshark gives it to
/// that service's dissector first.
pub const SERVICE_PORTS: &[u16] = &[
    53, 67, 68, 69, 123, 137, 138, 161, 162, 443, 500, 514, 520, 546, 547, 1194, 1701, 1812, 1813, 1900, 3478, 4500,
    5353, 5355,
];

/// Words of [`SERVICE_PORT_BITS`]: enough for the highest service port.
const SERVICE_PORT_WORDS: usize = {
    let (mut max, mut i) = (0, 0);
    while i < SERVICE_PORTS.len() {
        if SERVICE_PORTS[i] > max {
            max = SERVICE_PORTS[i];
        }
        i += 1;
    }
    max as usize / 64 + 1
};

/// [`SERVICE_PORTS`] as bits (port `p` is bit `p % 64` of word `p / 64`): asked twice for
/// every datagram.
const SERVICE_PORT_BITS: [u64; SERVICE_PORT_WORDS] = {
    let mut bits = [0u64; SERVICE_PORT_WORDS];
    let mut i = 0;
    while i < SERVICE_PORTS.len() {
        let p = SERVICE_PORTS[i] as usize;
        bits[p / 64] |= 1 << (p % 64);
        i += 1;
    }
    bits
};

/// Whether `port` is one of [`SERVICE_PORTS`].
fn is_service_port(port: u16) -> bool {
    SERVICE_PORT_BITS.get(usize::from(port) / 64).is_some_and(|w| w >> (port % 64) & 1 != 0)
}

/// What a protocol family registers.
#[derive(Debug)]
pub struct ProtocolInfo {
    /// Filter prefix and decode-as name (`heartbeat`).
    pub name: &'static str,
    /// Protocol column (`SRUN`).
    pub column: &'static str,
    /// Other names the Protocol column shows for some of its datagrams (the eDonkey family's
    /// branches), so that a filter naming one is pointed at this protocol.
    pub columns: &'static [&'static str],
    pub long_name: &'static str,
    /// UDP ports it is registered on.
    pub ports: &'static [u16],
    /// Whether it has a port-independent heuristic ([`Rules::probe`]).
    pub heuristic: bool,
    pub fields: &'static [&'static FieldInfo],
    pub experts: &'static [&'static ExpertInfo],
    /// Preferences for `-o name.pref:value`: (pref, description).
    pub prefs: &'static [(&'static str, &'static str)],
    /// Field keys whose values differ between two runs of the same exchange (session ids,
    /// counters, timings): `udpdissect diff` ignores them unless told otherwise.
    pub volatile: &'static [&'static str],
}

impl ProtocolInfo {
    /// Every name the Protocol column shows for its datagrams: `column`, then `columns`.
    pub fn shown(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.column).chain(self.columns.iter().copied())
    }
}

/// A UDP datagram handed to a dissector.
#[derive(Debug, Clone, Copy)]
pub struct Packet<'a> {
    pub frame: u64,
    pub time: TimeNs,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// The payload as captured (may be cut short by the snapshot length).
    pub payload: &'a [u8],
    /// The payload's length on the wire, per the UDP header. Larger than `payload.len()` only
    /// when the capture cut the datagram: then a short payload is not the sender's mistake.
    pub wire_len: usize,
    /// The capture-wide index of the interface it was captured on: the capture's losses are
    /// counted by interface.
    pub interface: u32,
}

impl<'a> Packet<'a> {
    /// A datagram captured whole.
    pub fn new(frame: u64, time: TimeNs, src: SocketAddr, dst: SocketAddr, payload: &'a [u8]) -> Self {
        Packet { frame, time, src, dst, payload, wire_len: payload.len(), interface: 0 }
    }

    /// Whether the capture holds fewer payload bytes than were sent.
    pub fn cut_short(&self) -> bool {
        self.wire_len > self.payload.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The datagram is this protocol's (possibly malformed, with findings).
    Accepted,
    /// Not this protocol's; the engine tries the next candidate. The dissector must not have
    /// written to the dissection.
    Rejected,
}

/// What a dissector knows about the datagram's conversation.
pub struct Context<'c> {
    pub conv: ConvId,
    pub direction: Direction,
    /// The conversation's client (the first sender).
    pub client: SocketAddr,
    /// The datagram's place in its conversation: stream index, time since its first and its
    /// previous datagram.
    pub place: Place,
    pub(crate) slot: u32,
    pub(crate) states: &'c mut States,
    pub(crate) proto: usize,
}

impl Context<'_> {
    /// This protocol's state for this conversation, created on first use. Dropped when the
    /// conversation expires or is evicted.
    pub fn state<T: Default + Send + 'static>(&mut self) -> &mut T {
        let ty = TypeId::of::<T>();
        let pos = match self.states.iter().position(|&(p, t, _)| p == self.proto && t == ty) {
            Some(pos) => pos,
            None => {
                self.states.push((self.proto, ty, Box::new(T::default())));
                self.states.len() - 1
            }
        };
        let state: &mut dyn Any = self.states[pos].2.as_mut();
        state.downcast_mut::<T>().expect("state type checked above")
    }
}

/// A protocol family's dissector. It may keep state of its own across conversations (bounded).
pub trait Dissector: Send {
    fn info(&self) -> &'static ProtocolInfo;

    fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict;

    /// The stateless part of this dissector's decisions: its verdicts and its heuristic, so
    /// that datagrams can be dispatched on one thread while the dissector works on another
    /// ([`Engine::lend`]). `None`: never lent, and no heuristic.
    fn rules(&self) -> Option<Box<dyn Rules>> {
        None
    }

    /// Whether the state knows either end of a datagram: the part of the heuristic that reads
    /// state, handed to [`Rules::probe`].
    fn knows(&self, _src: SocketAddr, _dst: SocketAddr) -> bool {
        false
    }

    /// End of capture: findings that only the absence of later packets reveals.
    fn finish(&mut self, _last_time: TimeNs, _out: &mut Dissection) {}

    /// Starts loading what dissecting a datagram between these ends with this payload would
    /// look up first (an index bucket or two), a frame ahead of it or once it is decoded. A
    /// hint: it changes nothing, and the datagram may turn out not to be this protocol's.
    fn prefetch(&self, _src: SocketAddr, _dst: SocketAddr, _payload: &[u8]) {}

    /// Whether [`Dissector::prefetch`] does anything: the engine calls only those that do.
    fn prefetches(&self) -> bool {
        false
    }

    /// Statistics tables for `udpdissect stats` (bounded like the state they come from).
    fn tables(&self) -> Vec<crate::Table> {
        Vec::new()
    }

    /// `-o name.pref:value`.
    fn set_pref(&mut self, pref: &str, _value: &str) -> Result<(), String> {
        Err(format!("unknown preference '{}.{pref}'", self.info().name))
    }
}

/// The fallback for datagrams no dissector claims.
pub static DATA: ProtocolInfo = ProtocolInfo {
    name: "data",
    column: "UDP",
    columns: &[],
    long_name: "Data (UDP payload no dissector claims)",
    ports: &[],
    heuristic: false,
    fields: &[&DATA_DATA, &DATA_LEN],
    experts: &[],
    prefs: &[],
    volatile: &[],
};
static DATA_DATA: FieldInfo =
    FieldInfo::new("data.data", "Data", FieldKind::Bytes, "payload bytes no dissector claimed");
static DATA_LEN: FieldInfo = FieldInfo::new("data.len", "Length", FieldKind::Unsigned, "payload length");

/// Raised once, at the end of the capture, when the conversation table overflowed. Security,
/// as every bound that keeps a hostile capture from exhausting memory.
pub static CONVERSATIONS_FULL: ExpertInfo = ExpertInfo::new(
    "core.conversations_full",
    Severity::Note,
    ExpertGroup::Security,
    "the conversation table reached its limit; the least recently used conversations were dropped",
);

/// Heuristic confidence a probe must reach to claim a datagram.
const PROBE_THRESHOLD: u8 = 50;

pub struct Engine {
    dissectors: Vec<Box<dyn Dissector>>,
    /// port → dissector indices registered on it.
    ports: rustc_hash::FxHashMap<u16, Vec<usize>>,
    /// Each dissector's [`Rules`], when it has them.
    rules: Vec<Option<Box<dyn Rules>>>,
    /// Dissectors lent to another thread (bit per index): their datagrams are handed off.
    away: u64,
    /// Dissectors whose [`Dissector::prefetch`] does something (bit per index).
    prefetching: u64,
    /// Dissectors turned off (`--disable-protocol`), bit per index: offered no datagram.
    disabled: u64,
    /// Dissectors whose heuristic is off (`--disable-heuristic`), bit per index.
    no_heuristic: u64,
    /// Decode-as rules and the dissector each names; `None` for `data`.
    decode_as: Vec<(DecodeAs, Option<usize>)>,
    convs: Conversations,
    last_time: TimeNs,
    /// What the capture lost, by its drop counts ([`Engine::note_capture_loss`]).
    losses: Losses,
}

impl Engine {
    pub fn new(dissectors: Vec<Box<dyn Dissector>>) -> Self {
        Self::with_capacity(dissectors, MAX_CONVERSATIONS)
    }

    pub fn with_capacity(dissectors: Vec<Box<dyn Dissector>>, conversations: usize) -> Self {
        assert!(dissectors.len() < 64, "the engine marks dissectors by bits of a u64");
        let mut ports: rustc_hash::FxHashMap<u16, Vec<usize>> = Default::default();
        for (i, d) in dissectors.iter().enumerate() {
            for &p in d.info().ports {
                ports.entry(p).or_default().push(i);
            }
        }
        let rules = dissectors.iter().map(|d| d.rules()).collect();
        let prefetching = dissectors.iter().enumerate().filter(|(_, d)| d.prefetches()).fold(0, |m, (i, _)| m | 1 << i);
        Engine {
            dissectors,
            ports,
            rules,
            away: 0,
            prefetching,
            disabled: 0,
            no_heuristic: 0,
            decode_as: Vec::new(),
            convs: Conversations::new(conversations),
            last_time: 0,
            losses: Losses::default(),
        }
    }

    /// Registered protocols, then `data`.
    pub fn protocols(&self) -> impl Iterator<Item = &'static ProtocolInfo> + '_ {
        self.dissectors.iter().map(|d| d.info()).chain(std::iter::once(&DATA))
    }

    /// The dissector `name` names: its filter name, or a name its Protocol column shows (`-d
    /// udp.port==4000,SRUN` is the heartbeat), in any letter case.
    fn find(&self, name: &str) -> Option<usize> {
        self.dissectors.iter().position(|d| {
            let p = d.info();
            std::iter::once(p.name).chain(p.shown()).any(|n| n.eq_ignore_ascii_case(name))
        })
    }

    fn known(&self) -> String {
        self.dissectors.iter().map(|d| d.info().name).collect::<Vec<_>>().join(", ")
    }

    /// Adds a decode-as rule (the last one given for a port wins). Its protocol is `data` to
    /// leave those ports' datagrams undissected, as tshark's `-d udp.port==N,data` does.
    pub fn add_decode_as(&mut self, rule: DecodeAs) -> Result<(), DecodeAsError> {
        let idx = if rule.protocol.eq_ignore_ascii_case(DATA.name) {
            None
        } else {
            Some(self.find(&rule.protocol).ok_or_else(|| DecodeAsError::Protocol {
                name: rule.protocol.clone(),
                known: format!("{}, {}", self.known(), DATA.name),
            })?)
        };
        self.decode_as.push((rule, idx));
        Ok(())
    }

    /// `--disable-protocol` (`on` false) and `--enable-protocol`: a protocol turned off is
    /// offered no datagram, by decode-as rule, conversation, port or heuristic (as in tshark):
    /// its datagrams go to the next candidate, and last to `data`.
    pub fn set_enabled(&mut self, name: &str, on: bool) -> Result<(), String> {
        let idx = self.find(name).ok_or_else(|| format!("unknown protocol '{name}'; known: {}", self.known()))?;
        set_bit(&mut self.disabled, idx, !on);
        Ok(())
    }

    /// `--disable-heuristic` (`on` false) and `--enable-heuristic`: a protocol whose heuristic
    /// is off still takes its registered ports, its decode-as rules and the conversations it is
    /// bound to, but no longer claims datagrams elsewhere by their bytes. `name` is the
    /// protocol's, or tshark's heuristic name for it over UDP (`overte_udp`).
    pub fn set_heuristic(&mut self, name: &str, on: bool) -> Result<(), String> {
        let base = name.strip_suffix("_udp").unwrap_or(name);
        let idx = self.find(base).filter(|&i| self.dissectors[i].info().heuristic).ok_or_else(|| {
            let heuristics: Vec<&str> =
                self.dissectors.iter().map(|d| d.info()).filter(|p| p.heuristic).map(|p| p.name).collect();
            format!("no heuristic named '{name}'; heuristics: {}", heuristics.join(", "))
        })?;
        set_bit(&mut self.no_heuristic, idx, !on);
        Ok(())
    }

    /// Whether the protocol `name` has a heuristic, and it is on ([`Engine::set_heuristic`]).
    pub fn heuristic_on(&self, name: &str) -> bool {
        self.find(name).is_some_and(|i| self.dissectors[i].info().heuristic && self.no_heuristic & (1 << i) == 0)
    }

    /// Applies `-o proto.pref:value`.
    pub fn set_pref(&mut self, setting: &str) -> Result<(), String> {
        let (name, value) = setting
            .split_once(':')
            .ok_or_else(|| format!("'{setting}' is not a preference: expected PROTOCOL.PREF:VALUE"))?;
        let (proto, pref) =
            name.split_once('.').ok_or_else(|| format!("'{name}' is not a preference name: expected PROTOCOL.PREF"))?;
        let idx = self
            .find(proto)
            .ok_or_else(|| format!("unknown protocol '{proto}' in preference; known: {}", self.known()))?;
        self.dissectors[idx].set_pref(pref, value)?;
        self.rules[idx] = self.dissectors[idx].rules();
        Ok(())
    }

    /// The protocol column of the dissector bound to the conversation between two ends, or,
    /// for a conversation not tracked, of the one registered on the destination's or the
    /// source's port: an ICMP error names the protocol of the datagram it quotes.
    pub fn protocol_between(&self, a: SocketAddr, b: SocketAddr) -> Option<&'static str> {
        let bound = self.convs.peek(a, b).filter(|c| !c.quoted).map(|c| c.bound);
        self.column(bound, a, b)
    }

    /// The conversation whose datagram an ICMP error quotes, in one lookup: its stream index
    /// (tracked from now on if it is new, as tshark does; a quote binds no protocol) and its
    /// protocol column as [`Engine::protocol_between`] gives it.
    pub fn quote(&mut self, src: SocketAddr, dst: SocketAddr, frame: u64, time: TimeNs) -> (u64, Option<&'static str>) {
        let (stream, bound) = self.convs.quote(src, dst, frame, time);
        (stream, self.column(bound, src, dst))
    }

    /// The column of the dissector bound to a conversation that has carried datagrams
    /// (`Some(binding)`), or, for one that has not, of the one registered on either port.
    fn column(&self, bound: Option<Option<u8>>, a: SocketAddr, b: SocketAddr) -> Option<&'static str> {
        let index = match bound {
            Some(bound) => usize::from(bound?),
            None => [b.port(), a.port()].iter().find_map(|p| match self.ports.get(p)?.as_slice() {
                [one] => Some(*one),
                _ => None,
            })?,
        };
        if self.disabled & (1 << index) != 0 {
            return None;
        }
        Some(self.dissectors.get(index)?.info().column)
    }

    /// Finds the datagram's conversation, as [`Engine::route`] does, without dissecting: fills
    /// in its place ([`Dissection::set_place`]) and direction, for runs that stop below the
    /// protocols but read `udp.stream`.
    pub fn locate(&mut self, pkt: &Packet, out: &mut Dissection) {
        self.last_time = self.last_time.max(pkt.time);
        let (_, direction, _, place) = self.convs.touch(pkt.src, pkt.dst, pkt.frame, pkt.time);
        out.direction = Some(direction);
        out.set_place(place);
    }

    /// Live conversations and how many were evicted at the limit.
    pub fn conversation_counts(&self) -> (usize, u64) {
        (self.convs.len(), self.convs.evicted())
    }

    /// Starts loading the index bucket of the conversation between two ends, and what the
    /// dissectors on this thread would look up first ([`Dissector::prefetch`]): called once a
    /// frame's ends are known, a frame ahead or before its layers are written, the lookups in
    /// [`Engine::dissect`] find them loaded, or on their way.
    #[inline]
    pub fn prefetch(&self, src: SocketAddr, dst: SocketAddr, payload: &[u8]) {
        self.convs.prefetch(src, dst);
        let mut here = self.prefetching & !self.away;
        while here != 0 {
            self.dissectors[here.trailing_zeros() as usize].prefetch(src, dst, payload);
            here &= here - 1;
        }
    }

    /// Counts `count` packets the capture lost on interface `interface` (capture-wide index)
    /// just before frame `frame` (a pcapng drop count), before that frame is dispatched: from
    /// then on, a finding that missing datagrams would raise says what the capture lost
    /// meanwhile ([`crate::ExpertInfo::missing`]), on its datagram's interface.
    pub fn note_capture_loss(&mut self, frame: u64, interface: u32, count: u64) {
        self.losses.note(frame, interface, count, self.convs.next_id());
    }

    /// Dissects one UDP datagram into `out` (cleared by the caller).
    pub fn dissect(&mut self, pkt: &Packet, out: &mut Dissection) {
        debug_assert_eq!(self.away, 0, "lent dissectors need Engine::route");
        self.route(pkt, out, &mut |_, _| false);
    }

    /// [`Engine::dissect`], except that a datagram for a dissector lent out ([`Engine::lend`])
    /// is not dissected: the [`Handoff`] returned says which protocol takes it, and the
    /// borrower dissects it ([`Lent::dissect`]). A lent dissector's verdicts come from its
    /// [`Rules`]; when whether it knows an end would change which heuristic wins, `known` is
    /// asked (the borrower must have caught up to answer it).
    pub fn route(
        &mut self,
        pkt: &Packet,
        out: &mut Dissection,
        known: &mut dyn FnMut(usize, &Packet) -> bool,
    ) -> Option<Handoff> {
        self.last_time = self.last_time.max(pkt.time);
        let (conv, direction, client, place) = self.convs.touch(pkt.src, pkt.dst, pkt.frame, pkt.time);
        out.direction = Some(direction);
        out.set_place(place);
        if self.losses.any() {
            out.set_unseen(self.losses.sent(conv.slot, conv.id, direction, pkt.frame, pkt.interface));
        }
        let (sport, dport) = (pkt.src.port(), pkt.dst.port());

        let decode_as = self
            .decode_as
            .iter()
            .rev()
            .find(|(r, _)| r.ports.contains(&sport) || r.ports.contains(&dport))
            .map(|(_, i)| *i);
        if decode_as == Some(None) {
            data(pkt, out);
            return None;
        }
        // Traffic of a service no dissector here decodes (DNS, NTP, DHCP, ...) is not offered
        // to port registrations or heuristics: its client's ephemeral port may be anything.
        let foreign = is_service_port(sport) || is_service_port(dport);
        let (lo, hi) = if sport <= dport { (sport, dport) } else { (dport, sport) };
        // Looked up only when a datagram gets that far: most go to the dissector their
        // conversation is bound to.
        let ports = &self.ports;
        let by_port = |p: u16| if foreign { None } else { ports.get(&p).and_then(|v| v.first().copied()) };

        let mut cx =
            Context { conv: conv.id, direction, client, place, slot: conv.slot, states: &mut conv.states, proto: 0 };
        // Offers the datagram to dissector `$idx`: returns from `route` when it is taken. The
        // candidates are tried in straight lines: a loop over them, dispatched through a jump
        // table whose target changed from datagram to datagram, mispredicted its branch.
        macro_rules! offer {
            ($idx:expr) => {
                let idx = $idx;
                let bit = 1u64 << idx;
                cx.proto = idx;
                let before = conv.accepted & bit != 0;
                let rules = self.rules[idx].as_deref();
                let routed = if self.away & bit != 0 {
                    let rules = rules.expect("only dissectors with rules are lent");
                    rules.accepts(pkt, before).then(|| Some(Handoff::new(&cx, out.unseen())))
                } else {
                    offer_here(self.dissectors[idx].as_mut(), rules, before, &mut cx, pkt, out)
                };
                if let Some(routed) = routed {
                    conv.bound = Some(idx as u8);
                    conv.accepted |= bit;
                    return routed;
                }
            };
        }
        // Each candidate once, in order: a decode-as rule, the bound dissector, those registered
        // on the lower and on the higher port, and last the heuristics' choice among the
        // dissectors not tried. One turned off counts as tried.
        let mut tried = self.disabled;
        macro_rules! offer_once {
            ($idx:expr) => {
                if let Some(idx) = $idx {
                    if tried & (1 << idx) == 0 {
                        tried |= 1 << idx;
                        offer!(idx);
                    }
                }
            };
        }
        offer_once!(decode_as.flatten());
        offer_once!(conv.bound.map(usize::from));
        offer_once!(by_port(lo));
        offer_once!(by_port(hi));
        if !foreign {
            let passed = tried | self.no_heuristic;
            if let Some(idx) = heuristic_choice(&self.dissectors, &self.rules, self.away, passed, pkt, known) {
                offer!(idx);
            }
        }
        data(pkt, out);
        None
    }

    /// Lends the dissectors in `which` (bit per registration index) that have [`Rules`] to
    /// another thread: from now on [`Engine::route`] hands their datagrams off. Give them back
    /// with [`Engine::restore`] before [`Engine::finish`] or [`Engine::tables`].
    pub fn lend(&mut self, which: u64) -> Lent {
        let mut lent = Vec::new();
        for (i, d) in self.dissectors.iter_mut().enumerate() {
            if which & (1 << i) != 0 && self.away & (1 << i) == 0 && self.rules[i].is_some() {
                let info = d.info();
                lent.push((i, std::mem::replace(d, Box::new(Away(info)))));
                self.away |= 1 << i;
            }
        }
        self.convs.watched = self.away;
        Lent::new(lent)
    }

    /// Moves into `into` the conversations dropped since the last call in which a lent
    /// dissector has state, for [`Lent::forget`]: without it that state would stay until its
    /// slot is reused by another lent conversation.
    pub fn drain_dropped(&mut self, into: &mut Vec<Dropped>) {
        into.append(&mut self.convs.dropped);
    }

    /// Takes back what [`Engine::lend`] lent, with the state it built.
    pub fn restore(&mut self, lent: Lent) {
        for (i, d) in lent.into_dissectors() {
            self.dissectors[i] = d;
            self.away &= !(1 << i);
        }
        self.convs.watched = self.away;
        self.convs.dropped.clear();
    }

    /// Every dissector's statistics tables, in registration order.
    pub fn tables(&self) -> Vec<crate::Table> {
        self.dissectors.iter().flat_map(|d| d.tables()).collect()
    }

    /// End of capture: lets every dissector report what the missing packets reveal.
    pub fn finish(&mut self, out: &mut Dissection) {
        if let Some(frame) = self.convs.first_eviction() {
            out.expert(
                &CONVERSATIONS_FULL,
                format!(
                    "{} conversation(s) dropped, least recently used first, from frame {frame} on: the table holds \
                     {} at once, and a dropped conversation's state (its protocol binding and sessions) starts afresh",
                    self.convs.evicted(),
                    self.convs.capacity()
                ),
            );
        }
        // No conversation's window is open at the end; a dissector's own windows are measured
        // from the capture's loss in all.
        out.set_unseen(Unseen { total: self.losses.total(), ..Unseen::default() });
        for d in &mut self.dissectors {
            d.finish(self.last_time, out);
        }
    }
}

/// Sets (or clears) bit `idx` of a mask of dissectors.
fn set_bit(mask: &mut u64, idx: usize, set: bool) {
    if set {
        *mask |= 1 << idx;
    } else {
        *mask &= !(1 << idx);
    }
}

/// Offers `pkt` to a dissector on this thread: `Some(None)` when it accepted.
fn offer_here(
    d: &mut dyn Dissector,
    rules: Option<&dyn Rules>,
    before: bool,
    cx: &mut Context,
    pkt: &Packet,
    out: &mut Dissection,
) -> Option<Option<Handoff>> {
    // Debug builds check the rules against every verdict (the tests, the corpus replay).
    let expected = if cfg!(debug_assertions) { rules.map(|r| r.accepts(pkt, before)) } else { None };
    let verdict = d.dissect(cx, pkt, out);
    debug_assert!(
        expected.is_none_or(|e| e == (verdict == Verdict::Accepted)),
        "{}'s rules disagree with its verdict on frame {}",
        d.info().name,
        pkt.frame
    );
    (verdict == Verdict::Accepted).then(|| {
        out.protocol_name = d.info().name;
        None
    })
}

/// The heuristic dissector (not yet `tried`) most confident about `pkt`, above the threshold;
/// ties go to the first registered. Confidence comes from each dissector's rules, with what its
/// state knows of the ends asked only when the two answers differ; for a lent one, `known` is
/// asked only when the answer changes the choice.
fn heuristic_choice(
    dissectors: &[Box<dyn Dissector>],
    rules: &[Option<Box<dyn Rules>>],
    away: u64,
    tried: u64,
    pkt: &Packet,
    known: &mut dyn FnMut(usize, &Packet) -> bool,
) -> Option<usize> {
    let eligible = |i: usize| tried & (1 << i) == 0 && dissectors[i].info().heuristic;
    // Confidence when the dissector does not know an end, and when it does.
    let mut scores = [(0u8, 0u8); 64];
    let mut open = 0u64;
    for (i, d) in dissectors.iter().enumerate().filter(|&(i, _)| eligible(i)) {
        let Some(r) = rules[i].as_deref() else { continue };
        // Both answers first: most datagrams a dissector's rules turn down whatever its state
        // knows, and asking the state is a lookup or four at random in its tables.
        let pair = (r.probe(pkt, false), r.probe(pkt, true));
        scores[i] = if pair.0 == pair.1 {
            pair
        } else if away & (1 << i) != 0 {
            open |= 1 << i;
            pair
        } else {
            let c = if d.knows(pkt.src, pkt.dst) { pair.1 } else { pair.0 };
            (c, c)
        };
    }
    let pick = |knows: u64| {
        (0..dissectors.len())
            .filter(|&i| eligible(i))
            .map(|i| (if knows & (1 << i) != 0 { scores[i].1 } else { scores[i].0 }, i))
            .filter(|&(c, _)| c >= PROBE_THRESHOLD)
            .max_by_key(|&(c, i)| (c, std::cmp::Reverse(i)))
            .map(|(_, i)| i)
    };
    if open == 0 {
        return pick(0);
    }
    // Every combination of the open answers (a handful at most): when all pick the same
    // dissector, no state needs asking.
    let first = pick(0);
    let settled = open.count_ones() <= 6 && subsets(open).all(|knows| pick(knows) == first);
    if settled {
        return first;
    }
    let knows = (0..dissectors.len()).filter(|&i| open & (1 << i) != 0 && known(i, pkt)).fold(0, |a, i| a | 1 << i);
    pick(knows)
}

/// Every subset of the bits in `set`.
fn subsets(set: u64) -> impl Iterator<Item = u64> {
    // The standard walk: decrement within the set's bits until it wraps to the empty subset.
    let mut next = Some(set);
    std::iter::from_fn(move || {
        let s = next?;
        next = (s != 0).then(|| (s - 1) & set);
        Some(s)
    })
}

fn data(pkt: &Packet, out: &mut Dissection) {
    out.protocol = DATA.column;
    out.protocol_name = DATA.name;
    if out.wants_info() {
        digits::push_u64(&mut out.info, pkt.src.port().into());
        out.info.push_str(" → ");
        digits::push_u64(&mut out.info, pkt.dst.port().into());
        out.info.push_str(" Len=");
        digits::push_u64(&mut out.info, pkt.payload.len() as u64);
    }
    if !pkt.payload.is_empty() {
        out.add(&DATA_DATA, 0, pkt.payload.len(), Value::Bytes);
    }
    out.add_generated(&DATA_LEN, Value::Unsigned(pkt.payload.len() as u64));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Severity;
    use std::fmt::Write;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    static TOY: ProtocolInfo = ProtocolInfo {
        name: "toy",
        column: "TOY",
        columns: &[],
        long_name: "Toy",
        ports: &[7000],
        heuristic: true,
        fields: &[],
        experts: &[&TOY_E],
        prefs: &[],
        volatile: &[],
    };
    static TOY_E: ExpertInfo = ExpertInfo::new("toy.e", Severity::Note, ExpertGroup::Protocol, "");

    /// Accepts datagrams that start with "TOY", on port 7000 or in a conversation it has seen;
    /// counts packets per conversation.
    #[derive(Default)]
    struct Toy;
    #[derive(Default)]
    struct Count(u32);

    struct ToyRules;

    impl Rules for ToyRules {
        fn accepts(&self, pkt: &Packet, before: bool) -> bool {
            before || pkt.payload.starts_with(b"TOY") || pkt.dst.port() == 7000 || pkt.src.port() == 7000
        }
        fn probe(&self, pkt: &Packet, _known: bool) -> u8 {
            if pkt.payload.starts_with(b"TOY") {
                90
            } else {
                0
            }
        }
    }

    impl Dissector for Toy {
        fn info(&self) -> &'static ProtocolInfo {
            &TOY
        }
        fn rules(&self) -> Option<Box<dyn Rules>> {
            Some(Box::new(ToyRules))
        }
        fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
            if !ToyRules.accepts(pkt, cx.state::<Count>().0 > 0) {
                return Verdict::Rejected;
            }
            let n = {
                let c = cx.state::<Count>();
                c.0 += 1;
                c.0
            };
            out.protocol = "TOY";
            let _ = write!(out.info, "n={n} {:?}", cx.direction);
            Verdict::Accepted
        }
    }

    fn pkt(src: &str, dst: &str, payload: &'static [u8]) -> Packet<'static> {
        Packet::new(1, 0, src.parse().unwrap(), dst.parse().unwrap(), payload)
    }

    fn run(e: &mut Engine, p: &Packet) -> (String, String) {
        let mut out = Dissection::new(true);
        e.dissect(p, &mut out);
        (out.protocol.to_string(), out.info.clone())
    }

    #[test]
    fn port_heuristic_binding_and_data_fallback() {
        let mut e = Engine::new(vec![Box::new(Toy)]);
        assert_eq!(
            run(&mut e, &pkt("1.1.1.1:5000", "2.2.2.2:7000", b"x")),
            ("TOY".into(), "n=1 ClientToServer".into())
        );
        assert_eq!(run(&mut e, &pkt("2.2.2.2:7000", "1.1.1.1:5000", b"y")).1, "n=2 ServerToClient");
        // heuristic on an unregistered port, then the conversation stays bound
        assert_eq!(run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"TOY")).1, "n=1 ClientToServer");
        assert_eq!(run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"zz")).1, "n=2 ClientToServer");
        assert_eq!(run(&mut e, &pkt("1.1.1.1:3", "2.2.2.2:4", b"abc")), ("UDP".into(), "3 → 4 Len=3".into()));
    }

    #[test]
    fn the_protocol_between_two_ends_is_the_conversations_or_the_ports() {
        let sa = |s: &str| s.parse::<SocketAddr>().unwrap();
        let mut e = Engine::new(vec![Box::new(Toy)]);
        // Bound by its heuristic on unregistered ports, asked either way round.
        run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"TOY"));
        assert_eq!(e.protocol_between(sa("2.2.2.2:2"), sa("1.1.1.1:1")), Some("TOY"));
        // A conversation no dissector took: none, even with a registered port on neither end.
        run(&mut e, &pkt("1.1.1.1:3", "2.2.2.2:4", b"abc"));
        assert_eq!(e.protocol_between(sa("1.1.1.1:3"), sa("2.2.2.2:4")), None);
        // Never seen: the dissector registered on either port.
        assert_eq!(e.protocol_between(sa("1.1.1.1:5"), sa("2.2.2.2:7000")), Some("TOY"));
        assert_eq!(e.protocol_between(sa("2.2.2.2:7000"), sa("1.1.1.1:5")), Some("TOY"));
        assert_eq!(e.protocol_between(sa("1.1.1.1:5"), sa("2.2.2.2:6")), None);
    }

    #[test]
    fn other_services_ports_are_not_offered_to_ports_or_heuristics() {
        assert!(SERVICE_PORTS.iter().all(|&p| usize::from(p) < 64 * SERVICE_PORT_BITS.len()), "room in the bits");
        for port in 0..=u16::MAX {
            assert_eq!(is_service_port(port), SERVICE_PORTS.contains(&port), "port {port}");
        }
        let mut e = Engine::new(vec![Box::new(Toy)]);
        // A DNS query from an ephemeral port that happens to be registered, and one whose
        // bytes the heuristic would take: both stay plain UDP.
        assert_eq!(run(&mut e, &pkt("1.1.1.1:7000", "2.2.2.2:53", b"x")).0, "UDP");
        assert_eq!(run(&mut e, &pkt("1.1.1.1:40000", "2.2.2.2:53", b"TOY")).0, "UDP");
        // A decode-as rule still applies.
        e.add_decode_as(DecodeAs::parse("udp.port==53,toy").unwrap()).unwrap();
        assert_eq!(run(&mut e, &pkt("1.1.1.1:40001", "2.2.2.2:53", b"TOY")).0, "TOY");
    }

    #[test]
    fn decode_as_and_prefs_name_the_protocol() {
        let mut e = Engine::new(vec![Box::new(Toy)]);
        assert!(matches!(
            e.add_decode_as(DecodeAs::parse("udp.port==9,nope").unwrap()),
            Err(DecodeAsError::Protocol { .. })
        ));
        e.add_decode_as(DecodeAs::parse("udp.port==9,toy").unwrap()).unwrap();
        assert_eq!(run(&mut e, &pkt("1.1.1.1:9", "2.2.2.2:10", b"TOY")).0, "TOY");
        assert!(e.set_pref("toy.x:1").unwrap_err().contains("unknown preference 'toy.x'"));
        assert!(e.set_pref("nope.x:1").unwrap_err().contains("unknown protocol"));
    }

    #[test]
    fn a_protocol_turned_off_is_offered_nothing() {
        let sa = |s: &str| s.parse::<SocketAddr>().unwrap();
        let mut e = Engine::new(vec![Box::new(Toy)]);
        e.add_decode_as(DecodeAs::parse("udp.port==9,toy").unwrap()).unwrap();
        assert!(e.set_enabled("nope", false).unwrap_err().contains("unknown protocol 'nope'; known: toy"));
        // By its column's name, in any case: not by port, heuristic or decode-as rule.
        e.set_enabled("Toy", false).unwrap();
        for (src, dst, payload) in [("1.1.1.1:5000", "2.2.2.2:7000", &b"x"[..]), ("1.1.1.1:1", "2.2.2.2:2", b"TOY")] {
            assert_eq!(run(&mut e, &pkt(src, dst, payload)).0, "UDP", "{src} {dst}");
        }
        assert_eq!(run(&mut e, &pkt("1.1.1.1:9", "2.2.2.2:10", b"TOY")).0, "UDP");
        // An ICMP error quoting its port names no protocol.
        assert_eq!(e.protocol_between(sa("1.1.1.1:5"), sa("2.2.2.2:7000")), None);
        // On again, it takes the next datagram, its first in that conversation.
        e.set_enabled("toy", true).unwrap();
        assert_eq!(run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"TOY")), ("TOY".into(), "n=1 ClientToServer".into()));
        assert_eq!(e.protocol_between(sa("1.1.1.1:5"), sa("2.2.2.2:7000")), Some("TOY"));
    }

    #[test]
    fn a_heuristic_turned_off_leaves_ports_and_conversations() {
        let mut e = Engine::new(vec![Box::new(Toy)]);
        // Bound by its heuristic before it is turned off: the conversation stays bound.
        run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"TOY"));
        assert!(e.heuristic_on("toy"));
        e.set_heuristic("toy_udp", false).unwrap();
        assert!(!e.heuristic_on("toy"));
        assert_eq!(run(&mut e, &pkt("1.1.1.1:1", "2.2.2.2:2", b"zz")).1, "n=2 ClientToServer");
        // A new conversation: its bytes no longer claim it; its registered port still does.
        assert_eq!(run(&mut e, &pkt("1.1.1.1:3", "2.2.2.2:4", b"TOY")).0, "UDP");
        assert_eq!(run(&mut e, &pkt("1.1.1.1:5", "2.2.2.2:7000", b"x")).0, "TOY");
        e.set_heuristic("toy", true).unwrap();
        assert_eq!(run(&mut e, &pkt("1.1.1.1:6", "2.2.2.2:8", b"TOY")).0, "TOY");
        assert_eq!(e.set_heuristic("nope", false).unwrap_err(), "no heuristic named 'nope'; heuristics: toy");
    }

    #[test]
    fn decode_as_data_leaves_the_ports_undissected() {
        let mut e = Engine::new(vec![Box::new(Toy)]);
        e.add_decode_as(DecodeAs::parse("udp.port==7000,data").unwrap()).unwrap();
        // Neither its registered port nor its heuristic takes it.
        assert_eq!(
            run(&mut e, &pkt("1.1.1.1:5000", "2.2.2.2:7000", b"TOY")),
            ("UDP".into(), "5000 → 7000 Len=3".into())
        );
        assert_eq!(run(&mut e, &pkt("1.1.1.1:5001", "2.2.2.2:7001", b"TOY")).0, "TOY");
        let err = e.add_decode_as(DecodeAs::parse("udp.port==1,nope").unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "unknown protocol 'nope' in decode-as rule; known: toy, data");
    }

    #[test]
    fn the_dissection_names_its_protocol_and_direction() {
        let mut e = Engine::new(vec![Box::new(Toy)]);
        let mut out = Dissection::new(false);
        e.dissect(&pkt("1.1.1.1:5000", "2.2.2.2:7000", b"x"), &mut out);
        assert_eq!((out.protocol_name, out.direction), ("toy", Some(Direction::ClientToServer)));
        out.clear();
        e.dissect(&pkt("2.2.2.2:7000", "1.1.1.1:5000", b"y"), &mut out);
        assert_eq!((out.protocol_name, out.direction), ("toy", Some(Direction::ServerToClient)));
        out.clear();
        assert_eq!((out.protocol_name, out.direction), ("", None));
        e.dissect(&pkt("1.1.1.1:3", "2.2.2.2:4", b"abc"), &mut out);
        assert_eq!((out.protocol_name, out.direction), ("data", Some(Direction::ClientToServer)));
    }

    #[test]
    fn a_full_conversation_table_is_reported_once_at_the_end() {
        let mut e = Engine::with_capacity(vec![Box::new(Toy)], 2);
        for (i, port) in [1u16, 2, 3, 4].iter().enumerate() {
            let mut p = pkt(&format!("1.1.1.1:{port}"), "2.2.2.2:9", b"x");
            p.frame = i as u64 + 1;
            run(&mut e, &p);
        }
        let mut out = Dissection::new(false);
        e.finish(&mut out);
        assert_eq!(out.experts().len(), 1);
        let x = &out.experts()[0];
        assert_eq!(x.tag(), "core.conversations_full");
        assert!(
            x.message.starts_with("2 conversation(s) dropped, least recently used first, from frame 3 on"),
            "{}",
            x.message
        );
    }

    /// Like [`Toy`], with capture-wide state its heuristic reads: the senders it has seen.
    /// A 'T' datagram between seen ends is its too. Counts the times its state is asked.
    #[derive(Default)]
    struct Seer(Vec<SocketAddr>, Arc<AtomicU32>);
    struct SeerRules;

    impl Rules for SeerRules {
        fn accepts(&self, pkt: &Packet, before: bool) -> bool {
            before || pkt.payload.starts_with(b"T") || pkt.src.port() == 7000 || pkt.dst.port() == 7000
        }
        fn probe(&self, pkt: &Packet, known: bool) -> u8 {
            match (pkt.payload.starts_with(b"TOY"), pkt.payload.starts_with(b"T")) {
                (true, _) => 90,
                (false, true) if known => 60,
                _ => 0,
            }
        }
    }

    impl Dissector for Seer {
        fn info(&self) -> &'static ProtocolInfo {
            &TOY
        }
        fn knows(&self, src: SocketAddr, dst: SocketAddr) -> bool {
            self.1.fetch_add(1, Ordering::Relaxed);
            self.0.contains(&src) || self.0.contains(&dst)
        }
        fn rules(&self) -> Option<Box<dyn Rules>> {
            Some(Box::new(SeerRules))
        }
        fn dissect(&mut self, cx: &mut Context, pkt: &Packet, out: &mut Dissection) -> Verdict {
            if !SeerRules.accepts(pkt, cx.state::<Count>().0 > 0) {
                return Verdict::Rejected;
            }
            self.0.push(pkt.src);
            let c = cx.state::<Count>();
            c.0 += 1;
            out.protocol = "TOY";
            let _ = write!(out.info, "n={} seen={}", c.0, self.0.len());
            Verdict::Accepted
        }
    }

    /// A lent dissector, fed the handoffs in order, dissects as it would have in the engine;
    /// the engine asks whether it knows an end only when that decides the dispatch, and asks
    /// one of its own no more often.
    #[test]
    fn a_lent_dissector_dissects_what_the_engine_would_have() {
        let packets = [
            ("1.1.1.1:5000", "2.2.2.2:7000", &b"x"[..]),
            ("1.1.1.1:1", "2.2.2.2:2", b"TOY"),
            ("1.1.1.1:1", "2.2.2.2:2", b"zz"),
            // 'T' from a seen sender on a new conversation: only the state says it is Toy's.
            ("1.1.1.1:1", "3.3.3.3:3", b"Tq"),
            ("4.4.4.4:9", "3.3.3.3:4", b"Tq"),
            ("1.1.1.1:3", "2.2.2.2:4", b"abc"),
            ("2.2.2.2:7000", "1.1.1.1:5000", b"y"),
        ];
        let asked_here = Arc::new(AtomicU32::new(0));
        let mut one = Engine::with_capacity(vec![Box::new(Seer(Vec::new(), asked_here.clone()))], 3);
        let mut two = Engine::with_capacity(vec![Box::new(Seer::default())], 3);
        let mut lent = two.lend(1);
        assert!(!lent.is_empty());
        let (mut asked, mut protocols) = (0, Vec::new());
        for (i, (src, dst, payload)) in packets.into_iter().enumerate() {
            let mut p = pkt(src, dst, payload);
            p.frame = i as u64 + 1;
            let (mut a, mut b) = (Dissection::new(false), Dissection::new(false));
            one.dissect(&p, &mut a);
            let mut known = |proto: usize, p: &Packet| {
                asked += 1;
                lent.get(proto).unwrap().knows(p.src, p.dst)
            };
            if let Some(h) = two.route(&p, &mut b, &mut known) {
                lent.dissect(&h, &p, &mut b);
            }
            let show = |d: &Dissection| (d.protocol, d.protocol_name, d.direction, d.info.clone());
            assert_eq!(show(&a), show(&b), "packet {}", i + 1);
            protocols.push(a.protocol);
        }
        assert_eq!(protocols, ["TOY", "TOY", "TOY", "TOY", "UDP", "UDP", "TOY"]);
        assert_eq!(asked, 2, "the two 'T' datagrams on new conversations");
        assert_eq!(asked_here.load(Ordering::Relaxed), 2, "the same two, where the probe's answers differ");
        two.restore(lent);
        let (mut a, mut b) = (Dissection::new(false), Dissection::new(false));
        one.finish(&mut a);
        two.finish(&mut b);
        assert_eq!(a.experts().len(), 1);
        assert_eq!(a.experts()[0].message, b.experts()[0].message);
    }

    static GAP: ExpertInfo =
        ExpertInfo::new("toy.gap", Severity::Warn, ExpertGroup::Sequence, "").when_missing(crate::Missing::Sender);
    static ACK: ExpertInfo =
        ExpertInfo::new("toy.ack", Severity::Warn, ExpertGroup::Sequence, "").when_missing(crate::Missing::Peer);

    /// Raises, on every datagram, one finding the sender's lost datagrams would raise, one its
    /// peer's would, and one no loss explains.
    struct Blamer;

    impl Dissector for Blamer {
        fn info(&self) -> &'static ProtocolInfo {
            &TOY
        }
        fn rules(&self) -> Option<Box<dyn Rules>> {
            Some(Box::new(ToyRules))
        }
        fn dissect(&mut self, _cx: &mut Context, _pkt: &Packet, out: &mut Dissection) -> Verdict {
            out.expert(&GAP, "gap");
            out.expert_at(&ACK, 0, 1, "ack");
            out.expert(&TOY_E, "other");
            Verdict::Accepted
        }
    }

    /// A finding that missing datagrams would raise says what the capture lost since the end
    /// whose datagrams they would be last sent, on one thread as through a lent dissector.
    #[test]
    fn findings_name_what_the_capture_lost_since_each_end_last_sent() {
        let c = "1.1.1.1:5000";
        let s = "2.2.2.2:7000";
        // (frame, from, to, packets the capture lost just before it)
        let frames = [(1, c, s, 0), (2, s, c, 0), (3, c, s, 2), (4, s, c, 0), (5, c, s, 0), (6, "3.3.3.3:1", s, 1)];
        let tail = |n: u64, whose: &str| {
            let (packets, them) = if n == 1 {
                ("packet", "it may be the missing one")
            } else {
                ("packets", "they may be the missing ones")
            };
            format!(
                "; but the capture itself lost {n} {packets} since {whose} last sent in this conversation (pcapng drop \
                 counts): {them}"
            )
        };
        let expected: [(u64, u64); 6] = [(0, 0), (0, 0), (2, 2), (2, 0), (0, 0), (1, 1)];
        let mut one = Engine::new(vec![Box::new(Blamer)]);
        let mut two = Engine::new(vec![Box::new(Blamer)]);
        let mut lent = two.lend(1);
        let mut total = 0;
        for ((frame, src, dst, lost), (sender, peer)) in frames.into_iter().zip(expected) {
            let mut p = pkt(src, dst, b"TOY");
            p.frame = frame;
            one.note_capture_loss(frame, 0, lost);
            two.note_capture_loss(frame, 0, lost);
            let (mut a, mut b) = (Dissection::new(false), Dissection::new(false));
            one.dissect(&p, &mut a);
            // The dispatching thread's dissection stays there; the lent one starts blank.
            let h = two.route(&p, &mut Dissection::new(false), &mut |_, _| false).expect("lent");
            lent.dissect(&h, &p, &mut b);
            let messages = |d: &Dissection| d.experts().iter().map(|e| e.message.clone()).collect::<Vec<_>>();
            let gap = if sender == 0 { "gap".to_string() } else { format!("gap{}", tail(sender, "the sender")) };
            let ack = if peer == 0 { "ack".to_string() } else { format!("ack{}", tail(peer, "the peer")) };
            assert_eq!(messages(&a), [gap, ack, "other".to_string()], "frame {frame}");
            assert_eq!(messages(&a), messages(&b), "frame {frame}, lent");
            // The running total, for windows a dissector keeps itself, reaches the lent side too.
            total += lost;
            assert_eq!((a.unseen().total, b.unseen().total), (total, total), "frame {frame}");
        }
    }

    /// A conversation the engine drops (here idle past the limit) takes its lent state along.
    #[test]
    fn a_dropped_conversation_takes_its_lent_state_along() {
        let mut e = Engine::new(vec![Box::new(Seer::default())]);
        let mut lent = e.lend(1);
        let mut dropped = Vec::new();
        let mut feed = |e: &mut Engine, lent: &mut Lent, src: &str, time: TimeNs| {
            let mut p = pkt(src, "2.2.2.2:7000", b"x");
            p.time = time;
            let mut out = Dissection::new(false);
            let h = e.route(&p, &mut out, &mut |_, _| false).expect("toy's port");
            lent.dissect(&h, &p, &mut out);
            e.drain_dropped(&mut dropped);
            for d in dropped.drain(..) {
                lent.forget(&d);
            }
        };
        feed(&mut e, &mut lent, "1.1.1.1:1", 0);
        feed(&mut e, &mut lent, "1.1.1.1:2", 1);
        assert_eq!(lent.held(), 2);
        feed(&mut e, &mut lent, "1.1.1.1:3", crate::CONVERSATION_IDLE_NS + 2);
        assert_eq!(lent.held(), 1, "the two idle conversations went");
        e.restore(lent);
    }

    /// A dissector that counts the hints it is given.
    struct Hinted(Arc<AtomicU32>);

    impl Dissector for Hinted {
        fn info(&self) -> &'static ProtocolInfo {
            &TOY
        }
        fn rules(&self) -> Option<Box<dyn Rules>> {
            Some(Box::new(SeerRules))
        }
        fn dissect(&mut self, _cx: &mut Context, _pkt: &Packet, _out: &mut Dissection) -> Verdict {
            Verdict::Rejected
        }
        fn prefetch(&self, _src: SocketAddr, _dst: SocketAddr, payload: &[u8]) {
            self.0.fetch_add(payload.len() as u32, Ordering::Relaxed);
        }
        fn prefetches(&self) -> bool {
            true
        }
    }

    /// The engine hands its hints to the dissectors on its thread that take them, and to none
    /// lent out.
    #[test]
    fn hints_go_to_the_dissectors_here_that_take_them() {
        let hints = Arc::new(AtomicU32::new(0));
        let mut e = Engine::new(vec![Box::new(Seer::default()), Box::new(Hinted(hints.clone()))]);
        let (a, b) = ("1.1.1.1:1".parse().unwrap(), "2.2.2.2:2".parse().unwrap());
        e.prefetch(a, b, b"abc");
        assert_eq!(hints.load(Ordering::Relaxed), 3);
        let lent = e.lend(0b10);
        e.prefetch(a, b, b"abcd");
        assert_eq!(hints.load(Ordering::Relaxed), 3, "lent out: no hint");
        e.restore(lent);
        e.prefetch(a, b, b"ab");
        assert_eq!(hints.load(Ordering::Relaxed), 5);
    }

    #[test]
    fn every_subset_of_a_set_of_bits() {
        let mut all: Vec<u64> = subsets(0b1010).collect();
        all.sort_unstable();
        assert_eq!(all, [0, 0b10, 0b1000, 0b1010]);
        assert_eq!(subsets(0).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn data_fallback_has_fields() {
        let mut e = Engine::new(vec![]);
        let mut out = Dissection::new(true);
        e.dissect(&pkt("1.1.1.1:3", "2.2.2.2:4", b"abc"), &mut out);
        let keys: Vec<_> = out.fields().iter().map(|f| f.info.key).collect();
        assert_eq!(keys, ["data.data", "data.len"]);
        assert_eq!(out.fields()[1].value, Value::Unsigned(3));
    }
}
