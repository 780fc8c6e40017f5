//! Whether dissecting on a second thread ([`crate::split`]) pays for a capture: the share of
//! its first frames that the dispatch would hand to the protocols lent to that thread.
//!
//! Handing a frame over, and decoding it again on the other side, costs about what rendering
//! its summary line does. A capture of the protocols that stay with the dispatch (the SRUN
//! heartbeat, Overnet, plain UDP) therefore ran 1.3–1.8× slower on two threads than on one,
//! while a capture whose lent protocols carry a fair share of the work ran up to 1.5× faster
//! (docs/performance.md has the measurements behind each threshold).

use crate::layers;
use crate::pipeline::{prepare, Times};
use udpdissect_capture::{decode_into, Decoded, DefragLimits, Defragmenter, Reader};
use udpdissect_core::{Dissection, Engine};

/// Frames looked at: about a millisecond of work, and the whole of most small captures.
pub const FRAMES: u64 = 2048;

/// The share of lent frames from which a second thread pays for the summary, which moves its
/// lines' rendering to that thread as well.
pub const FOR_SUMMARY: f64 = 0.15;
/// The same for the field columns and a run that prints nothing.
pub const FOR_COLUMNS: f64 = 0.30;

/// Whether the protocols named `lent` take at least `pays_from` of the first frames of
/// `reader`'s capture ([`FRAMES`], or `count` if fewer: `-c`), as `engine` routes them.
pub fn pays(reader: &mut Reader, engine: Engine, lent: &[&str], pays_from: f64, count: Option<u64>) -> bool {
    let lend = crate::split::lent_protocols(&engine, lent);
    let frames = count.map_or(FRAMES, |c| c.min(FRAMES));
    lent_share(reader, engine, lend, frames).is_some_and(|share| share >= pays_from)
}

/// The share of the first `frames` frames of `reader`'s capture that `engine` hands to the
/// protocols in `lend` ([`crate::split::lent_protocols`]); `None` for a capture without
/// frames (or one damaged before its first). The frames are routed as the dispatching
/// thread routes them: the lent protocols' datagrams are counted, not dissected, and the
/// others are dissected with nothing read, as their state may steer what follows.
pub fn lent_share(reader: &mut Reader, mut engine: Engine, lend: u64, frames: u64) -> Option<f64> {
    let _lent = engine.lend(lend);
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let mut echoes = layers::Echoes::default();
    let mut out = Dissection::new(false);
    out.set_wants_info(false);
    out.set_wants_findings(false);
    let (mut seen, mut handed) = (0u64, 0u64);
    while seen < frames {
        let Ok(Some(frame)) = reader.next_frame() else { break };
        let frame = &frame;
        seen += 1;
        out.clear();
        let mut decoded = Decoded::undecoded(frame);
        decode_into(frame, &mut defrag, &mut decoded);
        let mut around = layers::Around { engine: None, echoes: &mut echoes };
        if let Some(pkt) = prepare(frame, &decoded, Times::default(), false, &mut around, &mut out) {
            // Asked about a lent dissector's state, the dispatch would wait for the other
            // thread; here the answer is no, as for a datagram that thread has not seen.
            if engine.route(&pkt, &mut out, &mut |_, _| false).is_some() {
                handed += 1;
            }
        }
    }
    (seen > 0).then(|| handed as f64 / seen as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::{lent_protocols, LENT};
    use std::path::PathBuf;

    fn reader(name: &str) -> Reader {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("captures").join(name);
        Reader::new(Box::new(std::fs::File::open(path).unwrap())).unwrap()
    }

    fn share(name: &str, frames: u64) -> Option<f64> {
        let engine = Engine::new(crate::dissectors());
        let lend = lent_protocols(&engine, LENT);
        lent_share(&mut reader(name), engine, lend, frames)
    }

    fn pays_for(name: &str, from: f64, count: Option<u64>) -> bool {
        pays(&mut reader(name), Engine::new(crate::dissectors()), LENT, from, count)
    }

    #[test]
    fn the_share_is_of_the_frames_the_dispatch_hands_to_the_lent_protocols() {
        // 92 Overte datagrams and 2 of plain UDP.
        assert_eq!(share("overte-session.pcapng", FRAMES), Some(92.0 / 94.0));
        assert_eq!(share("eqstream-eq2-login.pcap", FRAMES), Some(1.0));
        // The heartbeat and Overnet stay with the dispatch, as do ARP, ICMP and TCP.
        assert_eq!(share("heartbeat.pcap", FRAMES), Some(0.0));
        assert_eq!(share("overnet-swarm.pcap", FRAMES), Some(0.0));
        // Only the first frames: the first two of this one are plain UDP.
        assert_eq!(share("overte-session.pcapng", 2), Some(0.0));
        assert_eq!(share("overte-session.pcapng", 4), Some(0.5));
        assert_eq!(share("overte-session.pcapng", 0), None);
        // What was read before the damage counts.
        assert_eq!(share("damaged-cut-mid-record.pcap", FRAMES), Some(0.0));
    }

    #[test]
    fn a_second_thread_pays_for_the_lent_protocols_traffic_only() {
        for from in [FOR_SUMMARY, FOR_COLUMNS] {
            assert!(pays_for("overte-buggy-client.pcapng", from, None));
            assert!(pays_for("eqstream-eq1-zone.pcap", from, None));
            assert!(!pays_for("heartbeat.pcap", from, None));
            assert!(!pays_for("overnet-family.pcap", from, None));
            // -c 2 reads two frames: those of plain UDP.
            assert!(!pays_for("overte-session.pcapng", from, Some(2)));
        }
    }
}
