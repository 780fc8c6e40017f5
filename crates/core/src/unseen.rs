//! What the capture itself lost between a conversation's datagrams, by the drop counts of its
//! pcapng packet blocks. A finding that missing datagrams would raise too (a sequence gap, an
//! ack for a datagram not seen: [`crate::ExpertInfo::missing`]) then says the capture may have
//! lost them, so a home-made client is not blamed for the capturing host's drops. Packets one
//! interface lost are not missing from another's capture: a conversation counts those of the
//! interface its datagram was captured on.

use crate::conversation::{ConvId, Direction};

/// The packets the capture lost on a datagram's interface after each end of its conversation
/// last sent in it. For an end that has not sent, since just before the conversation's first
/// datagram (or the capture's start, for a conversation older than the first loss). A
/// conversation's first datagram on another interface than its last counts every interface's
/// losses since each end last sent, as if the capture had one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unseen {
    pub sender: u64,
    pub peer: u64,
    /// The packets the capture lost before this datagram, all told, on every interface (its own
    /// frame's drop count included): the mark a dissector whose exchanges span conversations
    /// measures its own windows from ([`crate::Dissection::expert_since`]).
    pub total: u64,
}

/// The capture's losses so far, and where each conversation's ends stood when they last sent.
/// Nothing is kept, and [`crate::Engine::route`] does nothing more, until the first loss.
#[derive(Debug, Default)]
pub(crate) struct Losses {
    /// Packets lost so far (drop counts summed), on every interface.
    total: u64,
    /// By interface (capture-wide index), the packets lost on it so far. Only the interfaces up
    /// to the last that lost any have an entry.
    on: Vec<u64>,
    /// The frame of the last drop count, and the packets counted on it.
    last: (u64, u64),
    /// The first conversation created after the first loss: older ones sent nothing since.
    first_after: ConvId,
    /// By conversation slot: the conversation, the interface it was last captured on and, for
    /// its client and its server, that interface's count and the capture's when each last
    /// sent. A slot holding another conversation's marks (or none) meets a conversation's first
    /// datagram since the first loss.
    marks: Vec<Mark>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Mark {
    conv: ConvId,
    interface: u32,
    /// On `interface`.
    sent: [u64; 2],
    /// On every interface.
    sent_all: [u64; 2],
}

impl Losses {
    /// Whether the capture has lost anything yet.
    #[inline]
    pub fn any(&self) -> bool {
        self.total != 0
    }

    /// Packets lost so far.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Counts `count` packets lost on interface `interface` just before frame `frame`;
    /// `next_conv` is the id the next new conversation will get.
    pub fn note(&mut self, frame: u64, interface: u32, count: u64, next_conv: ConvId) {
        if count == 0 {
            return;
        }
        if self.total == 0 {
            self.first_after = next_conv;
        }
        self.total = self.total.saturating_add(count);
        let at = interface as usize;
        if self.on.len() <= at {
            // Interfaces are few: the reader bounds them.
            self.on.resize(at + 1, 0);
        }
        self.on[at] = self.on[at].saturating_add(count);
        self.last = if self.last.0 == frame { (frame, self.last.1.saturating_add(count)) } else { (frame, count) };
    }

    /// A datagram of frame `frame`, captured on interface `interface`, in conversation `conv`
    /// (held in `slot`), sent in `dir`: what the capture lost on that interface since each end
    /// last sent. Marks its sender as having sent now.
    #[cold]
    pub fn sent(&mut self, slot: u32, conv: ConvId, dir: Direction, frame: u64, interface: u32) -> Unseen {
        let here = self.on.get(interface as usize).copied().unwrap_or(0);
        let slot = slot as usize;
        if self.marks.len() <= slot {
            self.marks.resize(slot + 1, Mark::default());
        }
        let mark = &mut self.marks[slot];
        if mark.conv != conv {
            // Every datagram since the first loss marks its slot, so this is the conversation's
            // first since then: all of an older one's came before any loss; a newer one's
            // first may follow the loss its own frame counts.
            let own = if self.last.0 == frame { self.last.1 } else { 0 };
            let start = |lost: u64| if conv < self.first_after { 0 } else { lost.saturating_sub(own) };
            *mark = Mark { conv, interface, sent: [start(here); 2], sent_all: [start(self.total); 2] };
        }
        let (me, peer) = match dir {
            Direction::ClientToServer => (0, 1),
            Direction::ServerToClient => (1, 0),
        };
        let (sender, peer_lost) = if mark.interface == interface {
            (here.saturating_sub(mark.sent[me]), here.saturating_sub(mark.sent[peer]))
        } else {
            // Seen on another interface until now (a capture of both sides of a router, say):
            // what was missed could have been on either, so every interface's losses count.
            // The peer's window on this one starts where that leaves it.
            let all = (self.total.saturating_sub(mark.sent_all[me]), self.total.saturating_sub(mark.sent_all[peer]));
            mark.interface = interface;
            mark.sent[peer] = here.saturating_sub(all.1);
            all
        };
        mark.sent[me] = here;
        mark.sent_all[me] = self.total;
        Unseen { sender, peer: peer_lost, total: self.total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{ClientToServer as C, ServerToClient as S};

    #[test]
    fn nothing_is_counted_before_the_first_loss() {
        let mut l = Losses::default();
        assert!(!l.any());
        l.note(3, 0, 0, 1);
        assert!(!l.any(), "a drop count of 0 is no loss");
    }

    #[test]
    fn each_end_counts_what_was_lost_since_it_last_sent() {
        let mut l = Losses::default();
        // Conversation 1 (slot 0) began before the loss: frames 1 (client) and 2 (server).
        l.note(3, 0, 2, 2);
        // Frame 3 counts 2 lost packets: both ends' datagrams so far came before them.
        assert_eq!(l.sent(0, 1, C, 3, 0), Unseen { sender: 2, peer: 2, total: 2 });
        // The client has sent since; the server has not.
        assert_eq!(l.sent(0, 1, S, 4, 0), Unseen { sender: 2, peer: 0, total: 2 });
        assert_eq!(l.sent(0, 1, C, 5, 0), Unseen { sender: 0, peer: 0, total: 2 });
        l.note(6, 0, 1, 2);
        assert_eq!(l.sent(0, 1, S, 7, 0), Unseen { sender: 1, peer: 1, total: 3 });
        assert_eq!(l.sent(0, 1, S, 8, 0), Unseen { sender: 0, peer: 1, total: 3 });
    }

    #[test]
    fn a_conversation_begun_after_a_loss_counts_only_the_loss_just_before_its_first_datagram() {
        let mut l = Losses::default();
        l.note(3, 0, 2, 5);
        // Conversation 5, new in slot 1 at frame 4: the loss before frame 3 is not its.
        assert_eq!(l.sent(1, 5, C, 4, 0), Unseen { sender: 0, peer: 0, total: 2 });
        // Conversation 6, new in slot 0 at frame 9, which counts 3 packets lost just before
        // it: they may be its own earlier datagrams.
        l.note(9, 0, 1, 6);
        l.note(9, 0, 2, 6);
        assert_eq!(l.sent(0, 6, C, 9, 0), Unseen { sender: 3, peer: 3, total: 5 });
        // Conversation 7 reuses slot 1 after conversation 5 was dropped.
        assert_eq!(l.sent(1, 7, S, 10, 0), Unseen { sender: 0, peer: 0, total: 5 });
        // Conversation 4 began before the first loss (its slot never marked since).
        assert_eq!(l.sent(2, 4, S, 11, 0), Unseen { sender: 5, peer: 5, total: 5 });
    }

    #[test]
    fn each_interface_counts_only_what_it_lost() {
        let mut l = Losses::default();
        // Conversation 1 (slot 0) is captured on interface 1, conversation 2 (slot 1) on 0.
        assert!(!l.any());
        l.note(3, 0, 4, 3);
        // Interface 0 lost 4: not conversation 1's, whose interface lost nothing.
        assert_eq!(l.sent(0, 1, C, 3, 1), Unseen { sender: 0, peer: 0, total: 4 });
        assert_eq!(l.sent(1, 2, C, 4, 0), Unseen { sender: 4, peer: 4, total: 4 });
        l.note(5, 1, 2, 3);
        assert_eq!(l.sent(0, 1, S, 5, 1), Unseen { sender: 2, peer: 2, total: 6 });
        assert_eq!(l.sent(1, 2, C, 6, 0), Unseen { sender: 0, peer: 4, total: 6 });
        assert_eq!(l.sent(0, 1, C, 7, 1), Unseen { sender: 2, peer: 0, total: 6 });
        // Conversation 1 now seen on interface 0 as well: every interface's losses since each
        // end last sent count, as without interfaces (none since frames 7 and 5).
        assert_eq!(l.sent(0, 1, C, 8, 0), Unseen { sender: 0, peer: 0, total: 6 });
        // From then on, interface 0's own: a loss on interface 1 is not its.
        l.note(9, 1, 1, 4);
        assert_eq!(l.sent(0, 1, S, 9, 0), Unseen { sender: 0, peer: 0, total: 7 });
        // Back on interface 1: every interface's again, the loss of frame 9 since the client
        // last sent.
        assert_eq!(l.sent(0, 1, C, 10, 1), Unseen { sender: 1, peer: 0, total: 7 });
        // Then interface 1's: a loss on interface 0 is not its.
        l.note(11, 0, 2, 4);
        assert_eq!(l.sent(0, 1, C, 11, 1), Unseen { sender: 0, peer: 0, total: 9 });
        assert_eq!(l.sent(0, 1, S, 12, 1), Unseen { sender: 0, peer: 0, total: 9 });
        // Conversation 3, new on interface 2 (which never lost anything) after the losses.
        assert_eq!(l.sent(2, 3, S, 13, 2), Unseen { sender: 0, peer: 0, total: 9 });
        // A new conversation whose first frame counts a loss on its own interface.
        l.note(14, 1, 3, 4);
        assert_eq!(l.sent(3, 4, C, 14, 1), Unseen { sender: 3, peer: 3, total: 12 });
    }

    #[test]
    fn the_counts_saturate() {
        let mut l = Losses::default();
        l.note(1, 0, u64::MAX, 2);
        l.note(2, 0, 5, 2);
        assert_eq!(l.sent(0, 1, C, 2, 0), Unseen { sender: u64::MAX, peer: u64::MAX, total: u64::MAX });
        assert_eq!(l.sent(0, 1, C, 3, 0), Unseen { sender: 0, peer: u64::MAX, total: u64::MAX });
    }
}
