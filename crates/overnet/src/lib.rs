//! Overnet and the eDonkey-family UDP protocols around it (`protocols/overnet.md`).

#![forbid(unsafe_code)]

use udpdissect_core::{Context, Dissection, Dissector, Packet, ProtocolInfo, Verdict};

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "overnet",
    column: "Overnet",
    long_name: "Overnet (eDonkey-family UDP)",
    ports: &[],
    heuristic: false,
    fields: &[],
    experts: &[],
    prefs: &[],
    volatile: &[],
};

/// The dissector (not yet decoding: it claims nothing).
#[derive(Debug, Default)]
pub struct Overnet;

impl Overnet {
    pub fn new() -> Self {
        Overnet
    }
}

impl Dissector for Overnet {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn dissect(&mut self, _cx: &mut Context, _pkt: &Packet, _out: &mut Dissection) -> Verdict {
        Verdict::Rejected
    }
}
