//! EQStream, the EverQuest and EverQuest II session protocol (`protocols/eqstream.md`).

#![forbid(unsafe_code)]

use udpdissect_core::{Context, Dissection, Dissector, Packet, ProtocolInfo, Verdict};

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "eqstream",
    column: "EQStream",
    long_name: "EQStream (EverQuest session protocol)",
    ports: &[],
    heuristic: false,
    fields: &[],
    experts: &[],
    prefs: &[],
    volatile: &[],
};

/// The dissector (not yet decoding: it claims nothing).
#[derive(Debug, Default)]
pub struct EqStream;

impl EqStream {
    pub fn new() -> Self {
        EqStream
    }
}

impl Dissector for EqStream {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn dissect(&mut self, _cx: &mut Context, _pkt: &Packet, _out: &mut Dissection) -> Verdict {
        Verdict::Rejected
    }
}
