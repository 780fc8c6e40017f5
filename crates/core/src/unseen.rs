//! What the capture itself lost between a conversation's datagrams, by the drop counts of its
//! pcapng packet blocks. A finding that missing datagrams would raise too (a sequence gap, an
//! ack for a datagram not seen: [`crate::ExpertInfo::missing`]) then says the capture may have
//! lost them, so a home-made client is not blamed for the capturing host's drops.

use crate::conversation::{ConvId, Direction};

/// The packets the capture lost after each end of a datagram's conversation last sent in it.
/// For an end that has not sent, since just before the conversation's first datagram (or the
/// capture's start, for a conversation older than the first loss).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unseen {
    pub sender: u64,
    pub peer: u64,
    /// The packets the capture lost before this datagram, all told (its own frame's drop count
    /// included): the mark a dissector whose exchanges span conversations measures its own
    /// windows from ([`crate::Dissection::expert_since`]).
    pub total: u64,
}

/// The capture's losses so far, and where each conversation's ends stood when they last sent.
/// Nothing is kept, and [`crate::Engine::route`] does nothing more, until the first loss.
#[derive(Debug, Default)]
pub(crate) struct Losses {
    /// Packets lost so far (drop counts summed).
    total: u64,
    /// The frame of the last drop count, and the packets counted on it.
    last: (u64, u64),
    /// The first conversation created after the first loss: older ones sent nothing since.
    first_after: ConvId,
    /// By conversation slot: the conversation and, for its client and its server, `total` when
    /// each last sent. A slot holding another conversation's marks (or none) meets a
    /// conversation's first datagram since the first loss.
    marks: Vec<Mark>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Mark {
    conv: ConvId,
    sent: [u64; 2],
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

    /// Counts `count` packets lost just before frame `frame`; `next_conv` is the id the next new
    /// conversation will get.
    pub fn note(&mut self, frame: u64, count: u64, next_conv: ConvId) {
        if count == 0 {
            return;
        }
        if self.total == 0 {
            self.first_after = next_conv;
        }
        self.total = self.total.saturating_add(count);
        self.last = if self.last.0 == frame { (frame, self.last.1.saturating_add(count)) } else { (frame, count) };
    }

    /// A datagram of frame `frame` in conversation `conv` (held in `slot`), sent in `dir`:
    /// what the capture lost since each end last sent. Marks its sender as having sent now.
    #[cold]
    pub fn sent(&mut self, slot: u32, conv: ConvId, dir: Direction, frame: u64) -> Unseen {
        let slot = slot as usize;
        if self.marks.len() <= slot {
            self.marks.resize(slot + 1, Mark::default());
        }
        let mark = &mut self.marks[slot];
        if mark.conv != conv {
            // Every datagram since the first loss marks its slot, so this is the conversation's
            // first since then: all of an older one's came before any loss; a newer one's
            // first may follow the loss its own frame counts.
            let start = if conv < self.first_after {
                0
            } else if self.last.0 == frame {
                self.total.saturating_sub(self.last.1)
            } else {
                self.total
            };
            *mark = Mark { conv, sent: [start; 2] };
        }
        let (me, peer) = match dir {
            Direction::ClientToServer => (0, 1),
            Direction::ServerToClient => (1, 0),
        };
        let unseen = Unseen {
            sender: self.total.saturating_sub(mark.sent[me]),
            peer: self.total.saturating_sub(mark.sent[peer]),
            total: self.total,
        };
        mark.sent[me] = self.total;
        unseen
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
        l.note(3, 0, 1);
        assert!(!l.any(), "a drop count of 0 is no loss");
    }

    #[test]
    fn each_end_counts_what_was_lost_since_it_last_sent() {
        let mut l = Losses::default();
        // Conversation 1 (slot 0) began before the loss: frames 1 (client) and 2 (server).
        l.note(3, 2, 2);
        // Frame 3 counts 2 lost packets: both ends' datagrams so far came before them.
        assert_eq!(l.sent(0, 1, C, 3), Unseen { sender: 2, peer: 2, total: 2 });
        // The client has sent since; the server has not.
        assert_eq!(l.sent(0, 1, S, 4), Unseen { sender: 2, peer: 0, total: 2 });
        assert_eq!(l.sent(0, 1, C, 5), Unseen { sender: 0, peer: 0, total: 2 });
        l.note(6, 1, 2);
        assert_eq!(l.sent(0, 1, S, 7), Unseen { sender: 1, peer: 1, total: 3 });
        assert_eq!(l.sent(0, 1, S, 8), Unseen { sender: 0, peer: 1, total: 3 });
    }

    #[test]
    fn a_conversation_begun_after_a_loss_counts_only_the_loss_just_before_its_first_datagram() {
        let mut l = Losses::default();
        l.note(3, 2, 5);
        // Conversation 5, new in slot 1 at frame 4: the loss before frame 3 is not its.
        assert_eq!(l.sent(1, 5, C, 4), Unseen { sender: 0, peer: 0, total: 2 });
        // Conversation 6, new in slot 0 at frame 9, which counts 3 packets lost just before
        // it: they may be its own earlier datagrams.
        l.note(9, 1, 6);
        l.note(9, 2, 6);
        assert_eq!(l.sent(0, 6, C, 9), Unseen { sender: 3, peer: 3, total: 5 });
        // Conversation 7 reuses slot 1 after conversation 5 was dropped.
        assert_eq!(l.sent(1, 7, S, 10), Unseen { sender: 0, peer: 0, total: 5 });
        // Conversation 4 began before the first loss (its slot never marked since).
        assert_eq!(l.sent(2, 4, S, 11), Unseen { sender: 5, peer: 5, total: 5 });
    }

    #[test]
    fn the_counts_saturate() {
        let mut l = Losses::default();
        l.note(1, u64::MAX, 2);
        l.note(2, 5, 2);
        assert_eq!(l.sent(0, 1, C, 2), Unseen { sender: u64::MAX, peer: u64::MAX, total: u64::MAX });
        assert_eq!(l.sent(0, 1, C, 3), Unseen { sender: 0, peer: u64::MAX, total: u64::MAX });
    }
}
