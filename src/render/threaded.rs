//! A sink on its own thread: the pipeline's thread reads, decodes and dissects while this one
//! renders, so a run uses two cores. Frames travel in batches (bytes, times, a copy of the
//! dissection); the rendering thread decodes the frame bytes again with its own IP reassembly,
//! which sees the same frames in the same order and so reaches the same state. Memory stays
//! flat: a few batches are in flight, then recycled.

use super::{FrameView, Sink};
use std::io;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use udpdissect_capture::{decode, Decoded, DefragLimits, Defragmenter, Frame, Interface, Parked};
use udpdissect_core::Dissection;

/// Frames per batch: large enough that the channel costs nothing per frame.
pub(crate) const BATCH_FRAMES: usize = 256;
/// Bytes per batch (frames and the derived buffers copied with them), so that batches of large
/// frames stay small too.
pub(crate) const BATCH_BYTES: usize = 1 << 20;
/// Fields per batch (copied dissections), so that batches of frames with huge trees stay
/// small too.
pub(crate) const BATCH_FIELDS: usize = 1 << 14;
/// Batches queued ahead of the renderer (memory bound: a few MB at most).
pub(crate) const IN_FLIGHT: usize = 2;

struct Item {
    /// The frame, its bytes in the batch.
    frame: Parked,
    /// Rendered, or only decoded (a frame the filter hid).
    shown: bool,
    times: [i64; 4],
}

#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    items: Vec<Item>,
    /// One dissection per shown item, reused from batch to batch.
    outs: Vec<Dissection>,
    shown: usize,
    /// Bytes of derived buffers copied into `outs`.
    source_bytes: usize,
    /// Fields copied into `outs`.
    fields: usize,
    /// The end-of-capture findings, in the last batch, and the capture's interfaces then.
    end: Option<Dissection>,
    interfaces: Vec<Interface>,
}

impl Batch {
    fn push(&mut self, frame: &Frame, shown: bool, times: [i64; 4]) {
        let frame = Parked::park(frame, &mut self.data);
        self.items.push(Item { frame, shown, times });
    }

    fn clear(&mut self) {
        self.data.clear();
        self.items.clear();
        self.shown = 0;
        self.source_bytes = 0;
        self.fields = 0;
    }
}

/// Runs `sink` on another thread. Use it for output sinks on captures read from a file; a live
/// stream (standard input, `-l`) wants each line at once, not a batch later.
pub struct Threaded {
    batch: Batch,
    /// Whether the sink reads derived buffers (the tree, hex dumps, JSON): only then are they
    /// copied across.
    sources: bool,
    to_renderer: Option<SyncSender<Batch>>,
    recycled: Receiver<Batch>,
    renderer: Option<JoinHandle<io::Result<()>>>,
}

impl Threaded {
    pub fn new(mut sink: Box<dyn Sink + Send>, sources: bool) -> Threaded {
        let (to_renderer, batches) = sync_channel::<Batch>(IN_FLIGHT);
        let (give_back, recycled) = sync_channel::<Batch>(IN_FLIGHT);
        let renderer = thread::spawn(move || -> io::Result<()> {
            let mut defrag = Defragmenter::new(DefragLimits::default());
            for mut batch in batches {
                render(&batch, sink.as_mut(), &mut defrag)?;
                if let Some(end) = batch.end.take() {
                    sink.interfaces(&batch.interfaces);
                    return sink.finish(&end);
                }
                batch.clear();
                // The pipeline may have stopped taking batches back; that is fine.
                let _ = give_back.try_send(batch);
            }
            Ok(())
        });
        Threaded {
            batch: Batch::default(),
            sources,
            to_renderer: Some(to_renderer),
            recycled,
            renderer: Some(renderer),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        let next = self.recycled.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.batch, next);
        let sent = self.to_renderer.as_ref().is_some_and(|tx| tx.send(full).is_ok());
        if sent {
            Ok(())
        } else {
            // The renderer stopped: its error (a closed pipe, a full disk) is the reason.
            self.join().and(Err(io::Error::other("the output thread stopped")))
        }
    }

    fn join(&mut self) -> io::Result<()> {
        self.to_renderer = None;
        match self.renderer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
    }

    fn full(&self) -> bool {
        let b = &self.batch;
        b.items.len() >= BATCH_FRAMES || b.data.len() + b.source_bytes >= BATCH_BYTES || b.fields >= BATCH_FIELDS
    }
}

fn render(batch: &Batch, sink: &mut dyn Sink, defrag: &mut Defragmenter) -> io::Result<()> {
    let mut outs = batch.outs.iter();
    for item in &batch.items {
        let frame = item.frame.frame(&batch.data);
        let decoded: Decoded = decode(&frame, defrag);
        if !item.shown {
            continue;
        }
        let Some(out) = outs.next() else { break };
        let [abs_ns, rel_ns, delta_ns, delta_shown_ns] = item.times;
        let view = FrameView { frame: &frame, decoded: &decoded, out, abs_ns, rel_ns, delta_ns, delta_shown_ns };
        sink.frame(&view)?;
    }
    Ok(())
}

impl Sink for Threaded {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        let b = &mut self.batch;
        b.push(v.frame, true, [v.abs_ns, v.rel_ns, v.delta_ns, v.delta_shown_ns]);
        if b.outs.len() == b.shown {
            b.outs.push(Dissection::default());
        }
        b.outs[b.shown].copy_from(v.out, self.sources);
        b.source_bytes += b.outs[b.shown].sources().iter().map(|s| s.data.len()).sum::<usize>();
        b.fields += b.outs[b.shown].fields().len();
        b.shown += 1;
        if self.full() {
            self.send()?;
        }
        Ok(())
    }

    fn hidden(&mut self, frame: &Frame, _decoded: &Decoded) -> io::Result<()> {
        self.batch.push(frame, false, [0; 4]);
        if self.full() {
            self.send()?;
        }
        Ok(())
    }

    fn interfaces(&mut self, interfaces: &[Interface]) {
        self.batch.interfaces = interfaces.to_vec();
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        let mut last = Dissection::default();
        last.copy_from(end, self.sources);
        self.batch.end = Some(last);
        self.send()?;
        self.join()
    }
}

impl Drop for Threaded {
    /// A run that stopped early (a damaged capture, `-c`) still renders what it handed over.
    fn drop(&mut self) {
        if self.renderer.is_some() {
            let _ = self.join();
        }
    }
}

/// A sink behind a lock, so that one handed to a [`Threaded`] can still be read by the thread
/// that made it once the run is over (the statistics, reported at the end). Clones share it.
pub struct Shared<S>(Arc<Mutex<S>>);

impl<S> Clone for Shared<S> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<S> Shared<S> {
    pub fn new(sink: S) -> Self {
        Shared(Arc::new(Mutex::new(sink)))
    }

    pub fn get(&self) -> std::sync::MutexGuard<'_, S> {
        // A panic on the other thread is resumed by `Threaded::join`; the lock itself is fine.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<S: Sink> Sink for Shared<S> {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.get().frame(v)
    }

    fn hidden(&mut self, frame: &Frame, decoded: &Decoded) -> io::Result<()> {
        self.get().hidden(frame, decoded)
    }

    fn interfaces(&mut self, interfaces: &[Interface]) {
        self.get().interfaces(interfaces);
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        self.get().finish(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what reaches it.
    #[derive(Default)]
    struct Seen {
        interfaces: Option<Vec<Interface>>,
        findings_then: Option<usize>,
    }

    impl Sink for Seen {
        fn frame(&mut self, _: &FrameView) -> io::Result<()> {
            Ok(())
        }
        fn interfaces(&mut self, interfaces: &[Interface]) {
            self.interfaces = Some(interfaces.to_vec());
        }
        fn finish(&mut self, end: &Dissection) -> io::Result<()> {
            // The interfaces come first.
            self.findings_then = self.interfaces.as_ref().map(|_| end.experts().len());
            Ok(())
        }
    }

    #[test]
    fn the_interfaces_cross_to_the_sink_before_its_end() {
        let seen = Shared::new(Seen::default());
        let mut threaded = Threaded::new(Box::new(seen.clone()), false);
        let iface = Interface {
            link_type: 1,
            snaplen: 0,
            ts_digits: 6,
            name: Some("eth0".into()),
            description: None,
            section: 1,
            id: 0,
            options: Vec::new(),
            statistics: None,
        };
        threaded.interfaces(std::slice::from_ref(&iface));
        threaded.finish(&Dissection::default()).unwrap();
        let seen = seen.get();
        assert_eq!(seen.interfaces.as_deref(), Some(&[iface][..]));
        assert_eq!(seen.findings_then, Some(0));
    }
}
