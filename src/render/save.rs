//! `-w`: the frames shown written to a capture file rather than printed (and printed too
//! with `-P`), with the IP fragments their datagrams were reassembled from.

use super::{FrameView, Sink};
use std::collections::VecDeque;
use std::io::{self, Write};
use udpdissect_capture::{
    CaptureWriter, Compression, Decoded, DefragLimits, Frame, Interface, InterfaceStatistics, OutFormat, Parked,
    SectionHeader, Transport,
};
use udpdissect_core::Dissection;

/// Writes each frame it is given to a capture, in capture order. A frame the display filter
/// hid is written too when it is an IP fragment of a datagram a frame shown completes: the
/// file then reassembles it as the capture did. While such a fragment waits for its datagram,
/// the frames after it wait with it (bounded as IP reassembly is: by its time limit and its
/// bytes).
pub struct SaveSink {
    out: CaptureWriter<Box<dyn Write + Send>>,
    /// `-P`: the printing sink beside it.
    print: Option<Box<dyn Sink>>,
    /// `-l`: each frame pushed on at once (a capture read live, through a pipe).
    flush: bool,
    /// Frames waiting, from the oldest hidden fragment whose datagram is undecided.
    held: VecDeque<Held>,
    held_bytes: usize,
    /// The input interfaces' last statistics blocks (by capture-wide index), written after the
    /// last frame.
    statistics: Vec<(u32, InterfaceStatistics)>,
}

/// A frame waiting to be written, or dropped.
struct Held {
    number: u64,
    frame: Parked,
    bytes: Vec<u8>,
    fate: Fate,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Write,
    Drop,
    /// A hidden fragment whose datagram has not been completed yet (at this capture time).
    Undecided(i64),
}

impl SaveSink {
    /// `input`: the capture's first section header, whose texts a pcapng file keeps.
    pub fn new(
        w: Box<dyn Write + Send>,
        format: OutFormat,
        compression: Option<Compression>,
        input: &SectionHeader,
        print: Option<Box<dyn Sink>>,
        flush: bool,
    ) -> io::Result<Self> {
        let application = concat!("udpdissect ", env!("CARGO_PKG_VERSION"));
        let out = CaptureWriter::compressed(w, format, application, input, compression)?;
        Ok(SaveSink { out, print, flush, held: VecDeque::new(), held_bytes: 0, statistics: Vec::new() })
    }

    fn write(&mut self, frame: &Frame) -> io::Result<()> {
        // A pcapng custom block holds no packet: it is left out.
        self.out.write(frame)?;
        if self.flush {
            self.out.flush()?;
        }
        Ok(())
    }

    fn hold(&mut self, frame: &Frame, fate: Fate) {
        let mut bytes = Vec::new();
        let parked = Parked::park(frame, &mut bytes);
        self.held_bytes += bytes.len();
        self.held.push_back(Held { number: frame.number, frame: parked, bytes, fate });
    }

    /// Decides the fragments of a datagram a frame completed: written if it is shown. The
    /// frames held are in capture order, so by frame number.
    fn decide(&mut self, decoded: &Decoded, shown: bool) {
        let Some(info) = decoded.reassembled else { return };
        for &(number, ..) in &info.fragments {
            if let Ok(i) = self.held.binary_search_by_key(&number, |h| h.number) {
                if matches!(self.held[i].fate, Fate::Undecided(_)) {
                    self.held[i].fate = if shown { Fate::Write } else { Fate::Drop };
                }
            }
        }
    }

    /// Writes or drops every frame up to the first fragment still undecided, giving up on that
    /// one (and on) while IP reassembly would have dropped its datagram by capture time `now`:
    /// its time limit passed, or more bytes wait than it keeps.
    fn release(&mut self, now: i64) -> io::Result<()> {
        let limits = DefragLimits::default();
        let timeout = limits.timeout_secs.saturating_mul(1_000_000_000);
        loop {
            while self.held.front().is_some_and(|h| !matches!(h.fate, Fate::Undecided(_))) {
                let h = self.held.pop_front().expect("a front frame");
                self.held_bytes -= h.bytes.len();
                if h.fate == Fate::Write {
                    self.write(&h.frame.frame(&h.bytes))?;
                }
            }
            let Some(front) = self.held.front_mut() else { return Ok(()) };
            let Fate::Undecided(at) = front.fate else { return Ok(()) };
            if now.saturating_sub(at) <= timeout && self.held_bytes <= limits.max_bytes {
                return Ok(());
            }
            front.fate = Fate::Drop;
        }
    }
}

/// A frame's capture time; a frame without one (a Simple Packet Block) is at the start of
/// time, so it neither makes a fragment expire nor waits itself once time moves on.
fn time(frame: &Frame) -> i64 {
    if frame.has_ts {
        frame.ts.as_nanos()
    } else {
        i64::MIN
    }
}

impl Sink for SaveSink {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        // The first packet, shown or hidden, heads a pcap file no frame is written to.
        self.out.saw(v.frame);
        self.decide(v.decoded, true);
        if self.held.is_empty() {
            self.write(v.frame)?;
        } else {
            self.hold(v.frame, Fate::Write);
            self.release(time(v.frame))?;
        }
        self.print.as_mut().map_or(Ok(()), |p| p.frame(v))
    }

    fn hidden(&mut self, frame: &Frame, decoded: &Decoded) -> io::Result<()> {
        self.out.saw(frame);
        self.decide(decoded, false);
        if matches!(decoded.transport, Transport::Fragment) {
            self.hold(frame, Fate::Undecided(time(frame)));
        }
        if !self.held.is_empty() {
            self.release(time(frame))?;
        }
        self.print.as_mut().map_or(Ok(()), |p| p.hidden(frame, decoded))
    }

    fn interfaces(&mut self, interfaces: &[Interface]) {
        let counted = interfaces.iter().enumerate().filter_map(|(i, f)| Some((i as u32, f.statistics?)));
        self.statistics = counted.collect();
        if let Some(p) = self.print.as_mut() {
            p.interfaces(interfaces);
        }
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        // The fragments still undecided never completed a datagram shown.
        for h in self.held.iter_mut().filter(|h| matches!(h.fate, Fate::Undecided(_))) {
            h.fate = Fate::Drop;
        }
        self.release(i64::MAX)?;
        for (interface, statistics) in std::mem::take(&mut self.statistics) {
            self.out.statistics(interface, &statistics)?;
        }
        self.out.finish()?;
        self.print.as_mut().map_or(Ok(()), |p| p.finish(end))
    }
}
