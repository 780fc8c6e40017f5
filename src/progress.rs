//! Progress on stderr for long runs on a terminal: how much of the input has been read. Shown
//! only after a second, redrawn a few times a second, erased at the end; never in pipes. The
//! wall clock here only paces the display: nothing decoded depends on it.

use crate::render::{FrameView, Sink};
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use udpdissect_core::Dissection;

/// Counts the bytes read through it (compressed bytes for gzip), for [`Progress`].
pub struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Counted<R> {
    pub fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let read = Arc::new(AtomicU64::new(0));
        (Counted { inner, read: Arc::clone(&read) }, read)
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The line drawn: `  42%  35.1 of 84.5 MB  412000 frames` (no percentage when the size of
/// the input is unknown, as for standard input).
pub fn line(read: u64, total: Option<u64>, frames: u64) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    match total.filter(|&t| t > 0) {
        Some(t) => {
            format!("{:>4}%  {:.1} of {:.1} MB  {frames} frames", (read.min(t) * 100 / t), mb(read), mb(t))
        }
        None => format!("{:.1} MB  {frames} frames", mb(read)),
    }
}

/// A sink that draws [`line()`] on stderr as frames go by.
pub struct Progress {
    read: Arc<AtomicU64>,
    total: Option<u64>,
    start: Instant,
    last: Option<Instant>,
    frames: u64,
}

const FIRST_AFTER: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(200);

impl Progress {
    pub fn new(read: Arc<AtomicU64>, total: Option<u64>) -> Self {
        Progress { read, total, start: Instant::now(), last: None, frames: 0 }
    }

    fn draw(&mut self) {
        let now = Instant::now();
        let due = match self.last {
            None => now.duration_since(self.start) >= FIRST_AFTER,
            Some(last) => now.duration_since(last) >= EVERY,
        };
        if due {
            self.last = Some(now);
            let text = line(self.read.load(Ordering::Relaxed), self.total, self.frames);
            let _ = write!(io::stderr().lock(), "\r{text}\x1b[K");
        }
    }
}

impl Sink for Progress {
    fn frame(&mut self, _: &FrameView) -> io::Result<()> {
        self.frames += 1;
        if self.frames % 4096 == 0 {
            self.draw();
        }
        Ok(())
    }

    fn finish(&mut self, _: &Dissection) -> io::Result<()> {
        if self.last.is_some() {
            let _ = write!(io::stderr().lock(), "\r\x1b[K");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_how_far_the_input_was_read() {
        assert_eq!(line(35_100_000, Some(84_500_000), 412_000), "  41%  35.1 of 84.5 MB  412000 frames");
        assert_eq!(line(90, Some(80), 1), " 100%  0.0 of 0.0 MB  1 frames");
        assert_eq!(line(2_500_000, None, 7), "2.5 MB  7 frames");
    }

    #[test]
    fn counted_reads_count_every_byte() {
        let (mut r, read) = Counted::new(&[1u8; 10_000][..]);
        let mut sink = Vec::new();
        io::copy(&mut r, &mut sink).unwrap();
        assert_eq!(read.load(Ordering::Relaxed), 10_000);
    }
}
