//! EQStream sessions: a real handshake (EQ2 with key exchange, EQ1 with the compression or XOR
//! pass, or none: mid-stream) chosen by the first byte, then arbitrary datagrams in both
//! directions. Decoding must never panic, loop or grow without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_eqstream::encode::{Encoder, CLIENT, SERVER};
use udpdissect_eqstream::EqStream;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else { return };
    let mut engine = Engine::new(vec![Box::new(EqStream::new())]);
    let client = "10.0.0.1:50000".parse().unwrap();
    let server = if mode & 1 == 0 { "10.0.0.2:9100" } else { "10.0.0.2:9000" }.parse().unwrap();
    let mut frame = 0u64;
    let mut send = |engine: &mut Engine, from: usize, payload: &[u8], tree: bool| {
        frame += 1;
        let (src, dst) = if from == CLIENT { (client, server) } else { (server, client) };
        let mut d = Dissection::new(tree);
        engine.dissect(&Packet::new(frame, frame as i64 * 1_000_000, src, dst, payload), &mut d);
    };
    let passes = match (mode >> 1) & 3 {
        1 => [1, 0],
        2 => [4, 0],
        _ => [0, 0],
    };
    let mut e = Encoder::new(0x0a0b_0c0d, 0x3362_4702, 2, passes, 512);
    if mode & 8 == 0 {
        send(&mut engine, CLIENT, &e.session_request(0, &[]), false);
        send(&mut engine, SERVER, &e.session_response(true), false);
        if mode & 1 == 0 {
            let kg = e.keygen();
            let p = e.packet(SERVER, &kg).1;
            send(&mut engine, SERVER, &p, false);
            let reply = e.key_reply(0x0123_4567_89ab_cdef, 60);
            let p = e.packet(CLIENT, &reply).1;
            send(&mut engine, CLIENT, &p, false);
        }
    }
    // Each datagram: a header byte (bit 7: from the server, bit 6: build the tree, bit 5: wrap
    // as a sealed OP_Packet) and a length byte.
    while let [h, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        let from = if h & 0x80 != 0 { SERVER } else { CLIENT };
        if h & 0x20 != 0 {
            let p = e.packet(from, payload).1;
            send(&mut engine, from, &p, h & 0x40 != 0);
        } else {
            send(&mut engine, from, payload, h & 0x40 != 0);
        }
    }
    let mut d = Dissection::new(true);
    engine.finish(&mut d);
});
