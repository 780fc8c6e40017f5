//! Dissecting on two threads with the result of one: the engine dispatches every datagram
//! (conversations, ports, heuristics) on one thread and hands the datagrams of the dissectors
//! it lent ([`crate::Engine::lend`]) to a second, which dissects them in order with their own
//! per-conversation state. Each lent dissector still sees exactly the datagrams it would see,
//! in the same order, so its state, output and findings are those of a one-thread run.

use crate::conversation::{ConvId, Direction, Dropped, Place, States};
use crate::dissection::Dissection;
use crate::engine::{Context, Dissector, Packet, ProtocolInfo, Verdict};
use crate::unseen::Unseen;
use std::net::SocketAddr;

/// What decides a dissector's verdicts and heuristic confidence without its state. Its
/// verdicts must equal the dissector's own: debug builds check every datagram of a one-thread
/// run against them. Its confidence is the heuristic, on one thread as on two.
pub trait Rules: Send + Sync {
    /// Whether [`Dissector::dissect`] accepts `pkt`; `before` says whether this protocol
    /// accepted an earlier datagram of the conversation.
    fn accepts(&self, pkt: &Packet, before: bool) -> bool;

    /// Heuristic confidence 0–100 that `pkt` is this protocol's, for datagrams no port or rule
    /// claims (only asked when [`crate::ProtocolInfo::heuristic`] is set); `known` says whether
    /// the dissector's state knows either end ([`Dissector::knows`]). Must be cheap.
    fn probe(&self, _pkt: &Packet, _known: bool) -> u8 {
        0
    }
}

/// A datagram [`crate::Engine::route`] left to a lent dissector: which one, and its
/// conversation as the dispatching thread saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handoff {
    pub proto: usize,
    pub conv: ConvId,
    slot: u32,
    pub direction: Direction,
    pub client: SocketAddr,
    /// The datagram's place in its conversation, for the UDP tree.
    pub place: Place,
    /// What the capture lost since each end last sent, for the findings.
    pub unseen: Unseen,
}

impl Handoff {
    pub(crate) fn new(cx: &Context, unseen: Unseen) -> Self {
        Handoff {
            proto: cx.proto,
            conv: cx.conv,
            slot: cx.slot,
            direction: cx.direction,
            client: cx.client,
            place: cx.place,
            unseen,
        }
    }
}

/// Stands in the engine for a lent dissector: its name stays, its work is elsewhere.
pub(crate) struct Away(pub &'static ProtocolInfo);

impl Dissector for Away {
    fn info(&self) -> &'static ProtocolInfo {
        self.0
    }

    fn dissect(&mut self, _: &mut Context, _: &Packet, _: &mut Dissection) -> Verdict {
        unreachable!("the engine hands a lent dissector's datagrams off")
    }
}

/// Dissectors lent by the engine, with their per-conversation state, for another thread.
pub struct Lent {
    dissectors: Vec<(usize, Box<dyn Dissector>)>,
    /// By the conversation's slot in the engine's table: a slot that now holds another
    /// conversation (the old one expired or was evicted) starts afresh, as the engine's did.
    states: Vec<(ConvId, States)>,
}

impl Lent {
    pub(crate) fn new(dissectors: Vec<(usize, Box<dyn Dissector>)>) -> Self {
        Lent { dissectors, states: Vec::new() }
    }

    pub(crate) fn into_dissectors(self) -> Vec<(usize, Box<dyn Dissector>)> {
        self.dissectors
    }

    /// Whether any dissector was lent.
    pub fn is_empty(&self) -> bool {
        self.dissectors.is_empty()
    }

    /// The lent dissector at registration index `proto`.
    pub fn get(&self, proto: usize) -> Option<&dyn Dissector> {
        self.dissectors.iter().find(|(i, _)| *i == proto).map(|(_, d)| d.as_ref())
    }

    /// Conversations whose state is held here.
    pub fn held(&self) -> usize {
        self.states.iter().filter(|(id, _)| *id != 0).count()
    }

    /// Drops the state of a conversation the engine dropped ([`crate::Engine::drain_dropped`]),
    /// unless its slot already holds a newer one.
    pub fn forget(&mut self, d: &Dropped) {
        if let Some((id, states)) = self.states.get_mut(d.slot as usize) {
            if *id == d.conv {
                *id = 0;
                *states = Vec::new();
            }
        }
    }

    /// Dissects a handed-off datagram into `out`, as the engine would have.
    pub fn dissect(&mut self, h: &Handoff, pkt: &Packet, out: &mut Dissection) {
        out.direction = Some(h.direction);
        out.set_place(h.place);
        out.set_unseen(h.unseen);
        let slot = h.slot as usize;
        if self.states.len() <= slot {
            self.states.resize_with(slot + 1, || (0, Vec::new()));
        }
        let (id, states) = &mut self.states[slot];
        if *id != h.conv {
            *id = h.conv;
            states.clear();
        }
        let Some((_, d)) = self.dissectors.iter_mut().find(|(i, _)| *i == h.proto) else {
            debug_assert!(false, "a handoff for a dissector that was not lent");
            return;
        };
        let mut cx = Context {
            conv: h.conv,
            direction: h.direction,
            client: h.client,
            place: h.place,
            slot: h.slot,
            states,
            proto: h.proto,
        };
        let verdict = d.dissect(&mut cx, pkt, out);
        debug_assert_eq!(verdict, Verdict::Accepted, "the rules promised {} would accept", d.info().name);
        out.protocol_name = d.info().name;
    }
}
