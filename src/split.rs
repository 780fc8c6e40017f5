//! Dissection on two threads. A second thread reads, decodes, keeps the conversation table,
//! dispatches every datagram and dissects the protocols left with the engine; this thread
//! dissects the datagrams of the protocols lent to it ([`LENT`]), then filters and renders
//! every frame in capture order.
//!
//! Each dissector still sees exactly the datagrams, in the order, of a one-thread run, so its
//! state, and the output, are the same byte for byte. Where dispatch depends on a lent
//! dissector's state (a heuristic that weighs whether it has seen an end of the datagram), the
//! dispatching thread waits for this one to catch up and asks it. Frames travel in batches as
//! to the rendering thread (`render::Threaded`, the same bounds): bytes, times, the dispatch's
//! dissection or handoff, the IP datagram a frame completed. This thread decodes the bytes
//! again, its IP reassembly replaying the completed datagrams.

use crate::layers;
use crate::pipeline::{ask_ahead, finish, prepare, Feed, FrameFilter, Options, Shown, Stop, Times};
use crate::render::{Sink, BATCH_BYTES, BATCH_FIELDS, BATCH_FRAMES, IN_FLIGHT};
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use udpdissect_capture::{decode_into, Decoded, DefragLimits, Defragmenter, FragmentInfo, Frame, Parked, Reader};
use udpdissect_core::{Dissection, Dropped, Engine, FieldInfo, Handoff, Lent, Packet};

/// The protocols dissected on this thread: the costliest per datagram (HMACs and payload trees;
/// RC4 and inflate), which leaves the two threads about evenly loaded on a mixed capture
/// (measured against the other choices: docs/performance.md).
pub const LENT: &[&str] = &["overte", "eqstream"];

/// The same for `stats`, whose every table is filled on this thread too: Overte and the
/// heartbeat. Counting starts loading each next frame's conversation while the frame before is
/// counted, which leaves this thread room for the heartbeat (docs/performance.md).
pub const LENT_BESIDE_TABLES: &[&str] = &["overte", "heartbeat"];

enum Work {
    /// Dissected by the dispatching thread: its dissection in `outs`.
    Done(usize),
    /// Left to a lent dissector.
    Away(Handoff),
}

struct Item {
    /// The frame, its bytes in the batch.
    frame: Parked,
    times: Times,
    work: Work,
    /// The IP datagram this frame completed: this thread's reassembly replays it rather than
    /// holding every fragment a second time. Boxed: rare, and items stay small.
    completed: Option<Box<Completed>>,
}

struct Completed {
    proto: u8,
    data: Range<usize>,
    info: FragmentInfo,
}

#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    items: Vec<Item>,
    outs: Vec<Dissection>,
    done: usize,
    /// Bytes of derived buffers and fields copied into `outs`.
    source_bytes: usize,
    fields: usize,
    /// After this batch, whether the lent dissector at this index knows either end.
    ask: Option<(usize, SocketAddr, SocketAddr)>,
    /// Conversations the engine dropped while dispatching this batch.
    dropped: Vec<Dropped>,
}

impl Batch {
    fn push(&mut self, frame: &Frame, times: Times, work: Work, defrag: &Defragmenter) {
        let parked = Parked::park(frame, &mut self.data);
        let completed = defrag
            .completed()
            .map(|(proto, bytes, info)| Box::new(Completed { proto, data: self.copy(bytes), info: info.clone() }));
        self.items.push(Item { frame: parked, times, work, completed });
    }

    fn copy(&mut self, bytes: &[u8]) -> Range<usize> {
        let start = self.data.len();
        self.data.extend_from_slice(bytes);
        start..self.data.len()
    }

    fn push_done(&mut self, frame: &Frame, times: Times, out: &Dissection, sources: bool, defrag: &Defragmenter) {
        if self.outs.len() == self.done {
            self.outs.push(Dissection::default());
        }
        let copy = &mut self.outs[self.done];
        copy.copy_from(out, sources);
        self.source_bytes += copy.sources().iter().map(|s| s.data.len()).sum::<usize>();
        self.fields += copy.fields().len();
        self.push(frame, times, Work::Done(self.done), defrag);
        self.done += 1;
    }

    fn full(&self) -> bool {
        self.items.len() >= BATCH_FRAMES
            || self.data.len() + self.source_bytes >= BATCH_BYTES
            || self.fields >= BATCH_FIELDS
    }

    fn clear(&mut self) {
        self.data.clear();
        self.items.clear();
        self.done = 0;
        self.source_bytes = 0;
        self.fields = 0;
        self.ask = None;
        self.dropped.clear();
    }
}

/// Which registered protocols `names` names, as the bits [`Engine::lend`] takes.
pub fn lent_protocols(engine: &Engine, names: &[&str]) -> u64 {
    engine.protocols().enumerate().filter(|(_, p)| names.contains(&p.name)).fold(0, |m, (i, _)| m | 1 << i)
}

/// [`crate::pipeline::run_selected`] on two threads, the protocols in `opts.lend` dissected on
/// this one. Same output, same result.
pub(crate) fn run_split(
    reader: &mut Reader,
    engine: &mut Engine,
    sink: &mut dyn Sink,
    opts: &Options,
    filter: Option<FrameFilter>,
    interest: Option<Vec<&'static FieldInfo>>,
) -> Result<u64, Stop> {
    let mut lent = engine.lend(opts.lend);
    let layer_fields = opts.layer_fields(interest.as_deref());
    let mut work = opts.dissection(interest.clone());
    let mut shown = Shown::new(filter);
    let (dispatching, rendering) = ends();
    let (dispatched, rendered) = std::thread::scope(|s| {
        let dispatcher = s.spawn(|| dispatch(reader, engine, opts, interest, layer_fields, dispatching));
        let rendered = render(rendering, &mut lent, sink, layer_fields, &mut shown, &mut work);
        (dispatcher.join(), rendered)
    });
    let feed = dispatched.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    engine.restore(lent);
    rendered.map_err(Stop::Output)?;
    finish(engine, reader.info(), &feed, &mut shown.explicable, sink, &mut work)?;
    feed.result()
}

/// The dispatching thread's ends of the channels: batches out, emptied batches back, answers.
struct DispatchEnd {
    to_renderer: SyncSender<Batch>,
    recycled: Receiver<Batch>,
    answers: Receiver<bool>,
}

/// The rendering thread's ends.
struct RenderEnd {
    batches: Receiver<Batch>,
    give_back: SyncSender<Batch>,
    answer: SyncSender<bool>,
}

/// The channels between the threads: at most [`IN_FLIGHT`] batches wait for this thread, and a
/// few emptied ones for reuse.
fn ends() -> (DispatchEnd, RenderEnd) {
    let (to_renderer, batches) = sync_channel(IN_FLIGHT);
    let (give_back, recycled) = sync_channel(IN_FLIGHT + 1);
    let (answer, answers) = sync_channel(1);
    (DispatchEnd { to_renderer, recycled, answers }, RenderEnd { batches, give_back, answer })
}

/// The dispatching thread: reads, decodes, routes and dissects what stays with the engine.
/// Stops early when the rendering thread does (its error is the run's).
fn dispatch(
    reader: &mut Reader,
    engine: &mut Engine,
    opts: &Options,
    interest: Option<Vec<&'static FieldInfo>>,
    layer_fields: bool,
    DispatchEnd { to_renderer, recycled, answers }: DispatchEnd,
) -> Feed {
    let mut defrag = Defragmenter::new(DefragLimits::default());
    let mut out = opts.dissection(interest);
    let mut feed = Feed::new(opts.count);
    let mut batch = Batch::default();
    // Sends the batch; false once the rendering thread has stopped.
    let send = |batch: &mut Batch| {
        let next = recycled.try_recv().unwrap_or_default();
        to_renderer.send(std::mem::replace(batch, next)).is_ok()
    };
    let mut stopped = false;
    let mut glanced = false;
    let mut echoes = layers::Echoes::default();
    while !stopped && feed.wants_more(&defrag) {
        let mut read = reader.next_frame();
        let Some((frame, times)) = feed.take(&mut read) else { break };
        out.clear();
        let mut decoded = Decoded::undecoded(frame);
        decode_into(frame, &mut defrag, &mut decoded);
        glanced = ask_ahead(engine, frame, &decoded, glanced);
        let mut around = layers::Around { engine: Some(&mut *engine), echoes: &mut echoes };
        let handoff = prepare(frame, &decoded, times, layer_fields, &mut around, &mut out).as_ref().and_then(|pkt| {
            let mut known = |proto: usize, pkt: &Packet| {
                batch.ask = Some((proto, pkt.src, pkt.dst));
                stopped |= !send(&mut batch);
                !stopped && answers.recv().unwrap_or(false)
            };
            engine.route(pkt, &mut out, &mut known)
        });
        match handoff {
            Some(h) => batch.push(frame, times, Work::Away(h), &defrag),
            None => batch.push_done(frame, times, &out, opts.sources, &defrag),
        }
        engine.drain_dropped(&mut batch.dropped);
        if batch.full() {
            stopped |= !send(&mut batch);
        }
    }
    if !batch.items.is_empty() && !stopped {
        send(&mut batch);
    }
    feed.note_drops(&defrag);
    feed
}

/// This thread: dissects the handed-off datagrams, filters and renders every frame in order,
/// and answers the dispatcher's questions once it has caught up.
fn render(
    RenderEnd { batches, give_back, answer }: RenderEnd,
    lent: &mut Lent,
    sink: &mut dyn Sink,
    layer_fields: bool,
    shown: &mut Shown,
    work: &mut Dissection,
) -> std::io::Result<()> {
    let mut defrag = Defragmenter::replaying();
    // Handed-off frames are UDP datagrams: no ICMP names a protocol or a request here.
    let mut echoes = layers::Echoes::default();
    let mut around = layers::Around { engine: None, echoes: &mut echoes };
    // The statistics look each frame's conversation up at random in a table that outgrows the
    // cache: the next frame's starts loading while this one is handled.
    let ahead = sink.looks_ahead();
    for mut batch in batches {
        for (i, item) in batch.items.iter().enumerate() {
            if let Some(next) = batch.items.get(i + 1).filter(|_| ahead) {
                let (link_type, data) = next.frame.link_and_data(&batch.data);
                sink.prefetch(link_type, data);
            }
            let frame = item.frame.frame(&batch.data);
            if let Some(c) = &item.completed {
                defrag.prime(c.proto, &batch.data[c.data.clone()], &c.info);
            }
            let mut decoded = Decoded::undecoded(&frame);
            decode_into(&frame, &mut defrag, &mut decoded);
            let out = match item.work {
                Work::Done(k) => &mut batch.outs[k],
                Work::Away(h) => {
                    work.clear();
                    if let Some(pkt) = &prepare(&frame, &decoded, item.times, layer_fields, &mut around, work) {
                        lent.dissect(&h, pkt, work);
                    }
                    &mut *work
                }
            };
            shown.show(sink, &frame, &decoded, out, item.times)?;
        }
        for d in &batch.dropped {
            lent.forget(d);
        }
        if let Some((proto, src, dst)) = batch.ask {
            let knows = lent.get(proto).is_some_and(|d| d.knows(src, dst));
            if answer.send(knows).is_err() {
                break;
            }
        }
        batch.clear();
        let _ = give_back.try_send(batch);
    }
    Ok(())
}
