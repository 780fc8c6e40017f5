//! The one way data flows: capture reader → layer decode → engine → sink.

use crate::layers;
use crate::render::{FrameView, Sink};
use std::io;
use udpdissect_capture::{decode, CaptureError, DefragLimits, Defragmenter, Reader, Transport, UdpPayload};
use udpdissect_core::{Dissection, Engine, FieldInfo, Packet};

/// Why a run stopped early.
pub enum Stop {
    Damaged(CaptureError),
    Output(io::Error),
}

pub struct Options {
    pub tree: bool,
    pub count: Option<u64>,
    /// Stop below the protocols: datagrams are not handed to the engine. For runs that read
    /// only frame, link, IP and UDP fields (`-T fields -e ip.src`, `stats -z endpoints,udp`),
    /// where the protocols' work would show nowhere.
    pub layers_only: bool,
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
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let mut out = Dissection::new(opts.tree);
    out.set_interest(interest);
    let mut first: Option<i64> = None;
    let mut prev = 0i64;
    let mut prev_shown: Option<i64> = None;
    let mut frames = 0u64;
    let mut damage = None;
    // Incomplete datagrams the reassembly dropped, and the frame during which the first went.
    let (mut dropped, mut first_drop) = (0u64, None);
    let mut note_drops = |defrag: &Defragmenter, frames: u64| {
        if defrag.evicted() > dropped {
            dropped = defrag.evicted();
            first_drop.get_or_insert(frames);
        }
    };
    loop {
        note_drops(&defrag, frames);
        if opts.count.is_some_and(|c| frames >= c) {
            break;
        }
        let frame = match reader.next_frame() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                damage = Some(e);
                break;
            }
        };
        frames += 1;
        let abs = frame.ts.as_nanos();
        // Frames without a timestamp (pcapng SPB) neither set nor move the reference times.
        let (rel, delta) = if frame.has_ts {
            let rel = abs.saturating_sub(*first.get_or_insert(abs));
            let delta = if frames == 1 { 0 } else { abs.saturating_sub(prev) };
            prev = abs;
            (rel, delta)
        } else {
            (0, 0)
        };

        out.clear();
        let decoded = decode(&frame, &mut defrag);
        let addrs = decoded.net.src().zip(decoded.net.dst());
        if let (Transport::Udp(udp), Some((src, dst))) = (decoded.transport, addrs) {
            let (base, source) = match udp.payload {
                UdpPayload::Wire { offset, .. } => (offset, 0),
                UdpPayload::Reassembled { offset, buffer, .. } => {
                    (offset, out.add_source("Reassembled IP datagram", |b| b.extend_from_slice(buffer)))
                }
            };
            if opts.tree {
                layers::add_fields(&frame, &decoded, rel, source, &mut out);
            }
            layers::note_cut_short(&frame, &decoded, &mut out);
            out.set_cursor(source, base as u32);
            let payload = udp.payload.bytes();
            // A datagram the snapshot length cut: its length on the wire is the header's.
            let cut = udp.truncated && frame.data.len() < frame.orig_len as usize;
            let wire_len = if cut { (udp.length as usize).saturating_sub(8).max(payload.len()) } else { payload.len() };
            let pkt = Packet {
                frame: frame.number,
                time: abs,
                src: (src, udp.src_port).into(),
                dst: (dst, udp.dst_port).into(),
                payload,
                wire_len,
            };
            if !opts.layers_only {
                engine.dissect(&pkt, &mut out);
            }
        } else {
            if opts.tree {
                layers::add_fields(&frame, &decoded, rel, 0, &mut out);
            }
            layers::note_cut_short(&frame, &decoded, &mut out);
            layers::summarize_other(&frame, &decoded, &mut out);
        }
        if filter.is_some_and(|keep| !keep(&out, frame.data)) {
            sink.hidden(&frame, &decoded).map_err(Stop::Output)?;
            continue;
        }
        let delta_shown = match (frame.has_ts, prev_shown) {
            (true, Some(p)) => abs.saturating_sub(p),
            _ => 0,
        };
        if frame.has_ts {
            prev_shown = Some(abs);
        }
        let view = FrameView {
            frame: &frame,
            decoded: &decoded,
            out: &out,
            abs_ns: abs,
            rel_ns: rel,
            delta_ns: delta,
            delta_shown_ns: delta_shown,
        };
        sink.frame(&view).map_err(Stop::Output)?;
    }
    out.clear();
    note_drops(&defrag, frames);
    if let Some(frame) = first_drop {
        out.expert(
            &layers::DEFRAG_DROPPED,
            format!(
                "{dropped} incomplete IP datagram(s) dropped, the first while reading frame {frame}: their other \
                 fragments did not arrive within 30 s of capture time, or reassembly reached its limit \
                 (4096 datagrams, 16 MiB)"
            ),
        );
    }
    engine.finish(&mut out);
    sink.finish(&out).map_err(Stop::Output)?;
    match damage {
        Some(e) => Err(Stop::Damaged(e)),
        None => Ok(frames),
    }
}
