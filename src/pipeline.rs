//! The one way data flows: capture reader → layer decode → engine → sink.

use crate::layers;
use crate::render::{FrameView, Sink};
use std::io;
use std::net::SocketAddr;
use udpdissect_capture::{
    decode_into, glance_udp_v4_datagram, CaptureError, CaptureInfo, Decoded, DefragLimits, Defragmenter, Frame, Reader,
    Transport, UdpPayload,
};
use udpdissect_core::{Dissection, Engine, FieldInfo, Packet};

/// Why a run stopped early.
pub enum Stop {
    Damaged(CaptureError),
    Output(io::Error),
}

pub struct Options {
    pub tree: bool,
    /// Whether the info column is read (the summary, JSON, `_ws.col.info`, a filter on it).
    pub info: bool,
    pub count: Option<u64>,
    /// How far each frame is taken: only as deep as the output and the filter read.
    pub depth: Depth,
    /// Protocols (bits per registration index) dissected on this thread while a second one
    /// reads, decodes and dispatches ([`crate::split`]); 0 runs on one thread.
    pub lend: u64,
    /// Whether the sink or the filter reads the derived buffers (hex dumps, trees, JSON,
    /// columns, `-Y`): without, they stay on the thread that made them.
    pub sources: bool,
    /// Whether anything reads the findings or the protocols' tables (every output but
    /// `-T fields` without an expert column, and `-q` alone, does).
    pub findings: bool,
}

impl Options {
    /// Everything: every layer and protocol, the info column, the findings, the derived
    /// buffers, on one thread; the whole tree if `tree`. What `diff`, `regress` and the tests
    /// start from.
    pub fn full(tree: bool) -> Options {
        Options { tree, info: true, count: None, depth: Depth::Protocols, lend: 0, sources: true, findings: true }
    }

    /// Whether each frame's lower layers are written into its tree: with a tree, unless only
    /// protocols' fields are kept (`-T fields -e overte.type`).
    pub(crate) fn layer_fields(&self, interest: Option<&[&'static FieldInfo]>) -> bool {
        self.tree && interest.is_none_or(|keep| keep.iter().any(|f| layers::ALL.iter().any(|l| std::ptr::eq(*l, *f))))
    }

    /// The per-frame output these options ask for, keeping only `interest`'s fields if given.
    pub(crate) fn dissection(&self, interest: Option<Vec<&'static FieldInfo>>) -> Dissection {
        let mut out = Dissection::new(self.tree);
        out.set_interest(interest);
        out.set_wants_info(self.info);
        out.set_wants_findings(self.findings);
        out
    }
}

/// How deep a run dissects each frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The records alone, no layer decoded: for a run that reads only what a capture file's
    /// records say (`stats -z summary`, `-w` of every frame), at the speed of a walk over them.
    Records,
    /// Link, IP and UDP, no protocol: datagrams are not handed to the engine. For runs that
    /// read only frame, link, IP and UDP fields (`-T fields -e ip.src`, `stats -z
    /// endpoints,udp`), where the protocols' work would show nowhere.
    Layers,
    /// Every layer and protocol.
    Protocols,
}

impl Depth {
    /// The shallowest depth that gives a run what it reads: the protocols, else the layers,
    /// else the records alone.
    pub fn reading(protocols: bool, layers: bool) -> Depth {
        match (protocols, layers) {
            (true, _) => Depth::Protocols,
            (false, true) => Depth::Layers,
            (false, false) => Depth::Records,
        }
    }
}

/// Decides from a frame's dissection (and bytes) whether it is shown (`-Y`).
pub type FrameFilter<'f> = &'f dyn Fn(&Dissection, &[u8]) -> bool;

/// Reads every frame, dissects it and hands it to `sink`; then the end-of-capture findings.
pub fn run(reader: &mut Reader, engine: &mut Engine, sink: &mut dyn Sink, opts: &Options) -> Result<u64, Stop> {
    run_filtered(reader, engine, sink, opts, None)
}

/// [`run`], handing the sink only the frames `filter` keeps. Every frame is still dissected
/// (state must see them all) and keeps its number. Returns the frames read.
pub fn run_filtered(
    reader: &mut Reader,
    engine: &mut Engine,
    sink: &mut dyn Sink,
    opts: &Options,
    filter: Option<FrameFilter>,
) -> Result<u64, Stop> {
    run_selected(reader, engine, sink, opts, filter, None)
}

/// [`run_filtered`], building only the `interest` fields of the tree (`-T fields -e …`): the
/// sink and the filter see nothing else.
pub fn run_selected(
    reader: &mut Reader,
    engine: &mut Engine,
    sink: &mut dyn Sink,
    opts: &Options,
    filter: Option<FrameFilter>,
    interest: Option<Vec<&'static FieldInfo>>,
) -> Result<u64, Stop> {
    match opts.depth {
        Depth::Records => return run_records(reader, engine, sink, opts),
        Depth::Protocols if opts.lend != 0 => {
            return crate::split::run_split(reader, engine, sink, opts, filter, interest);
        }
        _ => {}
    }
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let layer_fields = opts.layer_fields(interest.as_deref());
    let mut out = opts.dissection(interest);
    let mut feed = Feed::new(opts.count);
    let mut shown = Shown::new(filter);
    let mut echoes = layers::Echoes::default();
    let mut glanced = false;
    // The engine's tables are asked for the next frame's ends early only when it will look them
    // up: below the protocols it does so only for the place fields.
    let engine_ahead = opts.depth == Depth::Protocols || out.wants_place();
    // The statistics' tables, looked up at random, likewise.
    let sink_ahead = sink.looks_ahead();
    while feed.wants_more(&defrag) {
        let mut read = reader.next_frame();
        let Some((frame, times)) = feed.take(&mut read) else { break };
        out.clear();
        let mut decoded = Decoded::undecoded(frame);
        decode_into(frame, &mut defrag, &mut decoded);
        if engine_ahead {
            glanced = ask_ahead(engine, frame, &decoded, glanced);
        }
        if sink_ahead {
            sink.prefetch(frame.link_type, frame.next_data);
        }
        let mut around = layers::Around { engine: Some(&mut *engine), echoes: &mut echoes };
        // Borrowed where prepare() left it: moved out, the packet was copied in words that
        // waited for prepare's narrower stores (a quarter of this loop's own time).
        if let Some(pkt) = &prepare(frame, &decoded, times, layer_fields, &mut around, &mut out) {
            if opts.depth == Depth::Protocols {
                engine.dissect(pkt, &mut out);
            } else if out.awaits_place() {
                engine.locate(pkt, &mut out);
            }
        }
        shown.show(sink, frame, &decoded, &mut out, times).map_err(Stop::Output)?;
    }
    feed.note_drops(&defrag);
    finish(engine, reader.info(), &feed, &mut shown.explicable, sink, &mut out)?;
    feed.result()
}

/// [`Depth::Records`]: every frame handed on as read, no layer decoded, nothing filtered.
fn run_records(reader: &mut Reader, engine: &mut Engine, sink: &mut dyn Sink, opts: &Options) -> Result<u64, Stop> {
    // Never fed a fragment: it only answers the feed that nothing was dropped.
    let defrag = Defragmenter::new(DefragLimits::default());
    let mut out = Dissection::new(false);
    let mut feed = Feed::new(opts.count);
    let mut shown = Shown::new(None);
    while feed.wants_more(&defrag) {
        let mut read = reader.next_frame();
        let Some((frame, times)) = feed.take(&mut read) else { break };
        let decoded = Decoded::undecoded(frame);
        shown.show(sink, frame, &decoded, &mut out, times).map_err(Stop::Output)?;
    }
    finish(engine, reader.info(), &feed, &mut shown.explicable, sink, &mut out)?;
    feed.result()
}

/// A frame's times, nanoseconds: since the epoch, since the first frame, since the previous.
#[derive(Debug, Clone, Copy, Default)]
pub struct Times {
    pub abs: i64,
    pub rel: i64,
    pub delta: i64,
}

/// The frames of a run, as read: counted, timed, stopped at `-c` or by damage; and the
/// incomplete datagrams the IP reassembly dropped meanwhile.
pub(crate) struct Feed {
    count: Option<u64>,
    frames: u64,
    first: Option<i64>,
    prev: i64,
    damage: Option<CaptureError>,
    /// Datagrams dropped, and the frame during which the first went.
    dropped: u64,
    first_drop: Option<u64>,
}

impl Feed {
    pub fn new(count: Option<u64>) -> Self {
        Feed { count, frames: 0, first: None, prev: 0, damage: None, dropped: 0, first_drop: None }
    }

    /// Whether the run takes another frame (not after `-c` frames); notes the reassembly's
    /// drops first. The caller then reads it and hands it to [`Feed::take`].
    pub fn wants_more(&mut self, defrag: &Defragmenter) -> bool {
        self.note_drops(defrag);
        self.count.is_none_or(|c| self.frames < c)
    }

    /// The frame `read` holds, counted, and its times; `None` at the end, and on damage, which
    /// is kept as the run's result. The frame stays where the reader returned it: moved out,
    /// it was copied in words that waited for the reader's narrower stores.
    pub fn take<'a, 'r>(
        &mut self,
        read: &'a mut Result<Option<Frame<'r>>, CaptureError>,
    ) -> Option<(&'a Frame<'r>, Times)> {
        match read {
            Ok(Some(frame)) => {
                let times = self.tick(frame);
                Some((frame, times))
            }
            Ok(None) => None,
            Err(_) => {
                self.damage = std::mem::replace(read, Ok(None)).err();
                None
            }
        }
    }

    /// Counts `frame` and returns its times. Frames without a timestamp (pcapng SPB) neither
    /// set nor move the reference times.
    fn tick(&mut self, frame: &Frame) -> Times {
        self.frames += 1;
        let abs = frame.ts.as_nanos();
        if !frame.has_ts {
            return Times { abs, rel: 0, delta: 0 };
        }
        let rel = abs.saturating_sub(*self.first.get_or_insert(abs));
        let delta = if self.frames == 1 { 0 } else { abs.saturating_sub(self.prev) };
        self.prev = abs;
        Times { abs, rel, delta }
    }

    /// Notes the datagrams the reassembly dropped so far: before each frame, and once more
    /// after the last.
    pub fn note_drops(&mut self, defrag: &Defragmenter) {
        if defrag.evicted() > self.dropped {
            self.dropped = defrag.evicted();
            self.first_drop.get_or_insert(self.frames);
        }
    }

    /// The frames read, or the damage that stopped the reading.
    pub fn result(self) -> Result<u64, Stop> {
        match self.damage {
            Some(e) => Err(Stop::Damaged(e)),
            None => Ok(self.frames),
        }
    }
}

/// Applies the display filter and hands each frame to the sink, shown or hidden; counts the
/// findings the capture's losses may explain, shown or not.
pub(crate) struct Shown<'f> {
    filter: Option<FrameFilter<'f>>,
    /// Capture time of the last frame shown.
    prev: Option<i64>,
    pub explicable: layers::Explicable,
}

impl<'f> Shown<'f> {
    pub fn new(filter: Option<FrameFilter<'f>>) -> Self {
        Shown { filter, prev: None, explicable: layers::Explicable::default() }
    }

    pub fn show(
        &mut self,
        sink: &mut dyn Sink,
        frame: &Frame,
        decoded: &Decoded,
        out: &mut Dissection,
        t: Times,
    ) -> io::Result<()> {
        // tshark's frame.time_delta_displayed: from the last frame shown, which the filter may
        // itself read.
        let delta_shown = match (frame.has_ts, self.prev) {
            (true, Some(p)) => t.abs.saturating_sub(p),
            _ => 0,
        };
        layers::fill_frame_fields(frame, decoded, delta_shown, out);
        self.explicable.count(frame, out);
        if self.filter.is_some_and(|keep| !keep(out, frame.data)) {
            return sink.hidden(frame, decoded);
        }
        if frame.has_ts {
            self.prev = Some(t.abs);
        }
        let out = &*out;
        let view = FrameView {
            frame,
            decoded,
            out,
            abs_ns: t.abs,
            rel_ns: t.rel,
            delta_ns: t.delta,
            delta_shown_ns: delta_shown,
        };
        sink.frame(&view)
    }
}

/// The end-of-capture findings (the capture's losses its interfaces counted, with the findings
/// they may explain; the reassembly's drops; then each dissector's), handed to the sink.
pub(crate) fn finish(
    engine: &mut Engine,
    info: &CaptureInfo,
    feed: &Feed,
    explicable: &mut layers::Explicable,
    sink: &mut dyn Sink,
    out: &mut Dissection,
) -> Result<(), Stop> {
    out.clear();
    // The dissectors' findings first, so that the interfaces' count those a loss may explain
    // too; they are listed last all the same.
    engine.finish(out);
    let dissectors = out.experts().len();
    explicable.count_at_end(info.interfaces.len(), out);
    layers::note_interface_losses(info, explicable, out);
    if let Some(frame) = feed.first_drop {
        out.expert(
            &layers::DEFRAG_DROPPED,
            format!(
                "{} incomplete IP datagram(s) dropped, the first while reading frame {frame}: their other \
                 fragments did not arrive within 30 s of capture time, or reassembly reached its limit \
                 (4096 datagrams, 16 MiB)",
                feed.dropped
            ),
        );
    }
    out.move_findings_first(dissectors);
    sink.interfaces(&info.interfaces);
    sink.finish(out).map_err(Stop::Output)
}

/// Asks the engine to start loading what it looks up next ([`Engine::prefetch`]: the
/// conversation's index bucket, and the dissectors' hints): for this frame, unless that was
/// done a frame ahead (`glanced`), and, when the reader already holds the next record, for
/// that one, found by a glance at its headers. Returns whether the glance found the next
/// frame's ends. A lookup at random in a large table is a trip to memory, which a whole frame's
/// dissection then hides.
#[inline]
pub(crate) fn ask_ahead(engine: &Engine, frame: &Frame, decoded: &Decoded, glanced: bool) -> bool {
    if !glanced {
        if let Some((src, dst, payload)) = udp_datagram(decoded) {
            engine.prefetch(src, dst, payload);
        }
    }
    match glance_udp_v4_datagram(frame.next_data, frame.link_type) {
        Some((src, dst, payload)) => {
            engine.prefetch(src, dst, payload);
            true
        }
        None => false,
    }
}

/// The two ends of a frame's UDP datagram, and its payload.
#[inline]
fn udp_datagram<'a>(decoded: &'a Decoded) -> Option<(SocketAddr, SocketAddr, &'a [u8])> {
    let Transport::Udp(udp) = &decoded.transport else { return None };
    let (src, dst) = decoded.net.src().zip(decoded.net.dst())?;
    Some(((src, udp.src_port).into(), (dst, udp.dst_port).into(), udp.payload.bytes()))
}

/// Writes a decoded frame's layers into `out` (their fields only with `layer_fields`, see
/// [`Options::layer_fields`]) and returns its UDP datagram as the engine takes it, with `out`'s
/// cursor on the payload; for a frame without one, its summary, which may name earlier frames
/// ([`layers::Around`]).
pub(crate) fn prepare<'a>(
    frame: &Frame,
    decoded: &'a Decoded<'a>,
    times: Times,
    layer_fields: bool,
    around: &mut layers::Around,
    out: &mut Dissection,
) -> Option<Packet<'a>> {
    let addrs = decoded.net.src().zip(decoded.net.dst());
    let (Transport::Udp(udp), Some((src, dst))) = (&decoded.transport, addrs) else {
        let earlier = around.earlier(frame, decoded);
        if layer_fields {
            layers::add_fields(frame, decoded, times, 0, earlier, out);
        }
        layers::note_cut_short(frame, decoded, out);
        around.note_capture_loss(frame, out);
        layers::note_icmp_checksum(decoded, out);
        layers::note_icmp_error(frame, decoded, earlier, out);
        layers::summarize_other(frame, decoded, earlier, out);
        return None;
    };
    let (base, source) = match udp.payload {
        UdpPayload::Wire { offset, .. } => (offset, 0),
        UdpPayload::Reassembled { offset, buffer, .. } => {
            (offset, out.add_source(format_args!("Reassembled IP datagram"), |b| b.extend_from_slice(buffer)))
        }
    };
    if layer_fields {
        layers::add_fields(frame, decoded, times, source, layers::Earlier::default(), out);
    }
    layers::note_cut_short(frame, decoded, out);
    around.note_capture_loss(frame, out);
    layers::note_udp_checksum(decoded, out);
    out.set_cursor(source, base as u32);
    let payload = udp.payload.bytes();
    // A datagram the snapshot length cut: its length on the wire is the header's.
    let cut = udp.truncated && frame.data.len() < frame.orig_len as usize;
    let wire_len = if cut { (udp.length as usize).saturating_sub(8).max(payload.len()) } else { payload.len() };
    Some(Packet {
        frame: frame.number,
        time: frame.ts.as_nanos(),
        src: (src, udp.src_port).into(),
        dst: (dst, udp.dst_port).into(),
        payload,
        wire_len,
        interface: frame.interface,
    })
}
