//! Overte (High Fidelity / Vircadia) UDT and NLPacket traffic (`protocols/overte.md`).

#![forbid(unsafe_code)]

pub mod payload;

use udpdissect_core::{Context, Dissection, Dissector, Packet, ProtocolInfo, Verdict};

pub static PROTOCOL: ProtocolInfo = ProtocolInfo {
    name: "overte",
    column: "Overte",
    long_name: "Overte (High Fidelity / Vircadia)",
    ports: &[],
    heuristic: false,
    fields: &[],
    experts: &[],
    prefs: &[],
    volatile: &[],
};

/// The dissector (not yet decoding: it claims nothing).
#[derive(Debug, Default)]
pub struct Overte;

impl Overte {
    pub fn new() -> Self {
        Overte
    }
}

impl Dissector for Overte {
    fn info(&self) -> &'static ProtocolInfo {
        &PROTOCOL
    }

    fn dissect(&mut self, _cx: &mut Context, _pkt: &Packet, _out: &mut Dissection) -> Verdict {
        Verdict::Rejected
    }
}
