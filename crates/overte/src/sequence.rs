//! Sequence numbers per direction of a connection (`protocols/overte.md` §1.4): the reliable
//! stream (started by a Handshake, ACKed, retransmitted) and the unreliable counter are separate
//! spaces, so each is followed on its own.

use crate::udt::{seq_add, seq_diff};
use udpdissect_core::TimeNs;

/// What a sequence number means against what came before in its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqStatus {
    /// The expected next number.
    Next,
    /// The first number seen in this stream.
    First,
    /// Numbers were skipped (count).
    Gap(u32),
    /// A reliable number seen before, or below the stream's front.
    Retransmission,
    /// An unreliable number seen again.
    Duplicate,
    /// An unreliable number below the highest seen.
    OutOfOrder,
}

impl SeqStatus {
    pub const NAMES: [&'static str; 6] = ["next", "first seen", "gap", "retransmission", "duplicate", "out of order"];

    pub fn code(self) -> u64 {
        match self {
            SeqStatus::Next => 0,
            SeqStatus::First => 1,
            SeqStatus::Gap(_) => 2,
            SeqStatus::Retransmission => 3,
            SeqStatus::Duplicate => 4,
            SeqStatus::OutOfOrder => 5,
        }
    }
}

/// How the first reliable packet after a Handshake relates to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandshakeLink {
    pub frame: u64,
    pub isn: u32,
    pub matches: bool,
}

/// One direction (sender → receiver) of a connection.
#[derive(Debug, Default, Clone)]
pub struct Flow {
    /// Next expected reliable sequence number.
    reliable_next: Option<u32>,
    /// The sender's latest Handshake: (initial sequence number, frame), and whether a reliable
    /// packet has followed it yet.
    handshake: Option<(u32, u64)>,
    handshake_followed: bool,
    /// Highest unreliable sequence number and its frame.
    unreliable: Option<(u32, u64)>,
    /// Time of the previous keep-alive on this path.
    pub last_keepalive: Option<TimeNs>,
}

impl Flow {
    /// A Handshake from this direction's sender. Returns whether it announces a new stream.
    pub fn handshake(&mut self, isn: u32, frame: u64) -> bool {
        match self.handshake {
            Some((old, _)) if old == isn => false,
            _ => {
                self.handshake = Some((isn, frame));
                self.handshake_followed = false;
                self.reliable_next = None;
                true
            }
        }
    }

    /// The Handshake a HandshakeACK (sent the other way) answers.
    pub fn announced(&self) -> Option<(u32, u64)> {
        self.handshake
    }

    pub fn reliable(&mut self, seq: u32) -> (SeqStatus, Option<HandshakeLink>) {
        let mut link = None;
        let status = match self.reliable_next {
            None => {
                if let Some((isn, frame)) = self.handshake.filter(|_| !self.handshake_followed) {
                    link = Some(HandshakeLink { frame, isn, matches: isn == seq });
                }
                SeqStatus::First
            }
            Some(next) => match seq_diff(seq, next) {
                0 => SeqStatus::Next,
                d if d > 0 => SeqStatus::Gap(d as u32),
                _ => SeqStatus::Retransmission,
            },
        };
        self.handshake_followed = true;
        if status != SeqStatus::Retransmission {
            self.reliable_next = Some(seq_add(seq, 1));
        }
        (status, link)
    }

    /// Returns the status and, for a repeat, the frame of the number's first packet.
    pub fn unreliable(&mut self, seq: u32, frame: u64) -> (SeqStatus, Option<u64>) {
        let (status, original) = match self.unreliable {
            None => (SeqStatus::First, None),
            Some((last, last_frame)) => match seq_diff(seq, last) {
                1 => (SeqStatus::Next, None),
                0 => (SeqStatus::Duplicate, Some(last_frame)),
                d if d > 1 => (SeqStatus::Gap(d as u32 - 1), None),
                _ => (SeqStatus::OutOfOrder, None),
            },
        };
        if matches!(status, SeqStatus::First | SeqStatus::Next | SeqStatus::Gap(_)) {
            self.unreliable = Some((seq, frame));
        }
        (status, original)
    }
}

/// Both directions of one connection (a UDP conversation), by [`udpdissect_core::Direction`].
#[derive(Debug, Default)]
pub struct Connection {
    pub flows: [Flow; 2],
    /// The ends' node generations when the flows started (see `Nodes::generation`): a node
    /// removed and added again is a new process whose sequence numbers start afresh.
    pub generation: (u32, u32),
    /// `Nodes::restarts` when the generations were last compared.
    pub restarts_seen: u64,
    /// Where the ends (client, server) sit in the capture-wide tables of endpoints seen and of
    /// nodes, with each table's epoch then: the connection's next datagram finds them there
    /// while nothing was added to or dropped from the table (`LruMap::epoch`), with no lookup.
    pub seen_at: Option<(u64, [u32; 2])>,
    pub nodes_at: Option<(u64, [Option<u32>; 2])>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::udt::SEQ_MASK;

    #[test]
    fn reliable_stream_from_handshake_with_gap_and_retransmission() {
        let mut f = Flow::default();
        assert!(f.handshake(SEQ_MASK, 1));
        assert!(!f.handshake(SEQ_MASK, 2), "the 100 ms repeats announce nothing new");
        assert_eq!(
            f.reliable(SEQ_MASK),
            (SeqStatus::First, Some(HandshakeLink { frame: 1, isn: SEQ_MASK, matches: true }))
        );
        assert_eq!(f.reliable(0).0, SeqStatus::Next, "wraps at 27 bits");
        assert_eq!(f.reliable(3).0, SeqStatus::Gap(2));
        assert_eq!(f.reliable(1).0, SeqStatus::Retransmission);
        assert_eq!(f.reliable(4).0, SeqStatus::Next);
    }

    #[test]
    fn first_reliable_packet_off_the_handshake() {
        let mut f = Flow::default();
        f.handshake(100, 7);
        assert_eq!(f.reliable(5).1, Some(HandshakeLink { frame: 7, isn: 100, matches: false }));
        assert_eq!(f.reliable(6).1, None);
    }

    #[test]
    fn unreliable_counter() {
        let mut f = Flow::default();
        assert_eq!(f.unreliable(1, 10), (SeqStatus::First, None));
        assert_eq!(f.unreliable(2, 11), (SeqStatus::Next, None));
        assert_eq!(f.unreliable(2, 12), (SeqStatus::Duplicate, Some(11)));
        assert_eq!(f.unreliable(5, 13), (SeqStatus::Gap(2), None));
        assert_eq!(f.unreliable(4, 14), (SeqStatus::OutOfOrder, None));
        assert_eq!(f.unreliable(6, 15), (SeqStatus::Next, None));
    }
}
