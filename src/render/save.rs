//! `-w`: the frames shown written to a capture file rather than printed (and printed too
//! with `-P`).

use super::{FrameView, Sink};
use std::io::{self, Write};
use udpdissect_capture::{linktype, CaptureWriter, Decoded, Frame, OutFormat};
use udpdissect_core::Dissection;

/// Writes each frame it is given to a capture; the frames a display filter hid only tell it
/// the link type an empty pcap file declares.
pub struct SaveSink {
    /// Taken by `finish`.
    out: Option<CaptureWriter<Box<dyn Write + Send>>>,
    /// The first packet's link type, shown or hidden.
    first_link: Option<u16>,
    /// `-P`: the printing sink beside it.
    print: Option<Box<dyn Sink + Send>>,
    /// `-l`: each frame pushed on at once (a capture read live, through a pipe).
    flush: bool,
}

impl SaveSink {
    pub fn new(
        w: Box<dyn Write + Send>,
        format: OutFormat,
        print: Option<Box<dyn Sink + Send>>,
        flush: bool,
    ) -> io::Result<Self> {
        let application = concat!("udpdissect ", env!("CARGO_PKG_VERSION"));
        let out = CaptureWriter::new(w, format, application)?;
        Ok(SaveSink { out: Some(out), first_link: None, print, flush })
    }

    /// Keeps the first packet's link type (a pcapng custom block has none), for the header of a
    /// pcap file no frame is written to.
    fn note_link(&mut self, frame: &Frame) {
        if self.first_link.is_none() && frame.link_type != linktype::PCAPNG_CUSTOM {
            self.first_link = Some(frame.link_type);
        }
    }

    fn writer(&mut self) -> io::Result<&mut CaptureWriter<Box<dyn Write + Send>>> {
        self.out.as_mut().ok_or_else(|| io::Error::other("the capture file was already finished"))
    }
}

impl Sink for SaveSink {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        self.note_link(v.frame);
        // A pcapng custom block holds no packet: it is left out.
        let flush = self.flush;
        let out = self.writer()?;
        out.write(v.frame)?;
        if flush {
            out.flush()?;
        }
        match self.print.as_mut() {
            Some(p) => p.frame(v),
            None => Ok(()),
        }
    }

    fn hidden(&mut self, frame: &Frame, decoded: &Decoded) -> io::Result<()> {
        self.note_link(frame);
        match self.print.as_mut() {
            Some(p) => p.hidden(frame, decoded),
            None => Ok(()),
        }
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        if let Some(out) = self.out.take() {
            out.finish(self.first_link)?;
        }
        match self.print.as_mut() {
            Some(p) => p.finish(end),
            None => Ok(()),
        }
    }
}
