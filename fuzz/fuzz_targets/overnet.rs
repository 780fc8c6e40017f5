//! Arbitrary datagram sequences between four Overnet nodes on random ports and the eDonkey
//! ports: recognition, decoding, pairing, search tracking and the tables must never panic.
//! Each datagram: 1 byte of flags (sender, receiver, magic hint), 1 byte of length, the payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_overnet::Overnet;

const PORTS: [u16; 4] = [12970, 6982, 4665, 4672];
const MAGICS: [u8; 4] = [0xe3, 0xe3, 0xe4, 0xe5];

fuzz_target!(|data: &[u8]| {
    let mut engine = Engine::new(vec![Box::new(Overnet::new())]);
    let mut out = Dissection::new(true);
    let (mut rest, mut frame) = (data, 0u64);
    let mut payload = Vec::new();
    while let [flags, len, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (body, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        let node = |i: u8| std::net::SocketAddr::from(([10, 0, 0, i], PORTS[i as usize]));
        let (src, dst) = (node(flags & 3), node((flags >> 2) & 3));
        payload.clear();
        if flags & 0x80 != 0 {
            payload.push(MAGICS[((flags >> 4) & 3) as usize]);
        }
        payload.extend_from_slice(body);
        out.clear();
        engine.dissect(&Packet::new(frame, frame as i64 * 1_000_000, src, dst, &payload), &mut out);
    }
    let _ = engine.tables();
    out.clear();
    engine.finish(&mut out);
});
