//! Arbitrary datagram sequences through the engine with the heartbeat dissector: sessions,
//! pairing and findings must never panic. Each datagram: 1 byte of flags (direction, client
//! port, time step), 1 byte of length, then the payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_heartbeat::Heartbeat;

fuzz_target!(|data: &[u8]| {
    let mut engine = Engine::new(vec![Box::new(Heartbeat::new())]);
    let mut out = Dissection::new(true);
    let (mut rest, mut time, mut frame) = (data, 0i64, 0u64);
    while let [flags, len, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        time += i64::from(flags >> 4) * 7_500_000_000;
        let client = std::net::SocketAddr::from(([10, 0, 0, flags & 3], 40000 + u16::from((flags >> 2) & 3)));
        let server = std::net::SocketAddr::from(([172, 16, 202, 201], 3335));
        let (src, dst) = if flags & 0x80 != 0 { (server, client) } else { (client, server) };
        out.clear();
        engine.dissect(&Packet::new(frame, time, src, dst, payload), &mut out);
    }
    out.clear();
    engine.finish(&mut out);
});
