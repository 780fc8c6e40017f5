//! A compressed capture decompressed on a thread of its own, a chunk ahead of the reading:
//! where a core is free, decompressing then costs the run no time of its own (gzip is a third
//! of a summary's time on one thread, zstd and LZ4 a tenth; docs/performance.md).

use crate::input::{Decompressed, Decompressing};
use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

/// Bytes the thread decompresses at a time.
const CHUNK: usize = 256 * 1024;
/// Chunks waiting to be read at most: the memory it takes is bounded by them.
const CHUNKS_AHEAD: usize = 4;

/// The reading side: the chunk being read, and the thread's chunks in order. A damaged stream
/// comes as an error after every chunk before the damage (a decompressor reports damage for
/// the whole read it finds it in, so the last frames before it depend on the reads' sizes, as
/// they do without the thread).
pub(crate) struct Ahead {
    chunk: Vec<u8>,
    pos: usize,
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    /// Read chunks go back for the thread to fill again.
    spent: mpsc::Sender<Vec<u8>>,
    /// Compressed bytes the thread has taken from the input.
    count: Arc<AtomicU64>,
    /// The stream ended (or failed): nothing more comes.
    done: bool,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ahead {
    /// Starts the thread on the decompressing stream (what it has buffered comes first).
    /// Gives the stream back when no thread can be started.
    pub(crate) fn start(decompressor: Decompressing) -> Result<Ahead, Decompressing> {
        let (to_reader, chunks) = mpsc::sync_channel(CHUNKS_AHEAD);
        let (spent, back) = mpsc::channel::<Vec<u8>>();
        let count = Arc::new(AtomicU64::new(decompressor.get_ref().source().count()));
        let counted = Arc::clone(&count);
        // Handed over through a slot, so that it can be taken back if the thread never starts.
        let slot = Arc::new(Mutex::new(Some(decompressor)));
        let taken = Arc::clone(&slot);
        let started = std::thread::Builder::new().name("decompress".into()).spawn(move || {
            let Some(mut d) = taken.lock().ok().and_then(|mut s| s.take()) else { return };
            loop {
                let mut buf = back.try_recv().unwrap_or_default();
                buf.resize(CHUNK, 0);
                let got = loop {
                    match d.read(&mut buf) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        got => break got,
                    }
                };
                counted.store(d.get_ref().source().count(), Ordering::Relaxed);
                let (message, last) = match got {
                    Ok(0) => (Ok(Vec::new()), true),
                    Ok(n) => {
                        buf.truncate(n);
                        (Ok(buf), false)
                    }
                    Err(e) => (Err(e), true),
                };
                // A reader gone (the run stopped early) ends the thread too.
                if to_reader.send(message).is_err() || last {
                    return;
                }
            }
        });
        let thread = match started {
            Ok(thread) => thread,
            Err(_) => {
                let back = slot.lock().ok().and_then(|mut s| s.take());
                return Err(back.expect("a thread that did not start took nothing"));
            }
        };
        Ok(Ahead { chunk: Vec::new(), pos: 0, chunks, spent, count, done: false, thread: Some(thread) })
    }
}

impl Drop for Ahead {
    /// With nothing to receive its chunks, the thread ends at its next one; it is waited for,
    /// so that no decompressor outlives the reader. The input must not block for long (a file,
    /// not a pipe: [`crate::Reader::decompress_ahead`]).
    fn drop(&mut self) {
        drop(std::mem::replace(&mut self.chunks, mpsc::sync_channel(0).1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Decompressed for Ahead {
    fn buffer(&self) -> &[u8] {
        &self.chunk[self.pos..]
    }

    fn consume(&mut self, n: usize) {
        BufRead::consume(self, n);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    fn ahead(self: Box<Self>) -> (Box<dyn Decompressed>, bool) {
        (self, false)
    }
}

impl BufRead for Ahead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.chunk.len() && !self.done {
            let read = std::mem::take(&mut self.chunk);
            self.pos = 0;
            // The thread may have ended; the chunk is then simply dropped.
            let _ = self.spent.send(read);
            match self.chunks.recv() {
                Ok(Ok(chunk)) if chunk.is_empty() => self.done = true,
                Ok(Ok(chunk)) => self.chunk = chunk,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(mpsc::RecvError) => {
                    self.done = true;
                    return Err(io::Error::other("the decompressing thread stopped"));
                }
            }
        }
        Ok(&self.chunk[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.chunk.len());
    }
}

impl Read for Ahead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let have = self.fill_buf()?;
        let n = have.len().min(buf.len());
        buf[..n].copy_from_slice(&have[..n]);
        BufRead::consume(self, n);
        Ok(n)
    }
}
