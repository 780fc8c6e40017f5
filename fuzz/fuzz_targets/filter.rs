//! Arbitrary display-filter text: compiling must never panic or recurse without bound, and a
//! compiled filter must evaluate on a real dissection without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_filter::{Catalog, Filter};

/// A heartbeat reply and its beat, dissected once with the full tree.
fn frames() -> &'static (Catalog, Vec<Dissection>) {
    static F: OnceLock<(Catalog, Vec<Dissection>)> = OnceLock::new();
    F.get_or_init(|| {
        let mut engine = Engine::new(udpdissect::dissectors());
        let catalog = Catalog::new(udpdissect::list::known_fields(&engine));
        let client = "10.0.0.1:40000".parse().unwrap();
        let server = "172.16.202.201:3335".parse().unwrap();
        let beat = 1_234_567_890_123i64.to_le_bytes();
        let mut reply = (-2i64).to_le_bytes().to_vec();
        reply.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        let mut out = Vec::new();
        for (i, (src, dst, payload)) in [(client, server, &beat[..]), (server, client, &reply[..])].into_iter().enumerate() {
            let mut d = Dissection::new(true);
            engine.dissect(&Packet::new(i as u64 + 1, i as i64, src, dst, payload), &mut d);
            out.push(d);
        }
        (catalog, out)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    let (catalog, dissections) = frames();
    if let Ok(filter) = Filter::compile(expr, catalog) {
        for d in dissections {
            let _ = filter.matches(d, &[]);
        }
    } else if let Err(e) = Filter::compile(expr, catalog) {
        let _ = e.render(expr);
    }
});
