//! Arbitrary datagram sequences through the engine with the Overte dissector: headers,
//! sequences, reassembly, de-obfuscation, sessions and findings must never panic. The first 36
//! bytes seed what a DomainList would teach (Local IDs, a secret, the authentication flag) so
//! source-ID and HMAC checks are reached. Then each datagram: 1 byte of flags (peers, time
//! step), 2 bytes of length (little-endian), the payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::net::SocketAddr;
use udpdissect_core::{Dissection, Engine, Packet};
use udpdissect_overte::payload::{DomainListHeader, Learned, NodeRecord};
use udpdissect_overte::Overte;

const PEERS: [([u8; 4], u16); 4] =
    [([10, 0, 0, 1], 50000), ([10, 0, 0, 2], 40102), ([10, 0, 0, 2], 48001), ([10, 0, 0, 3], 51234)];

fn peer(i: u8) -> SocketAddr {
    let (ip, port) = PEERS[usize::from(i & 3)];
    SocketAddr::from((ip, port))
}

fuzz_target!(|data: &[u8]| {
    let Some((seed, mut rest)) = data.split_first_chunk::<36>() else { return };
    let mut overte = Overte::new();
    let secret: [u8; 16] = seed[4..20].try_into().unwrap();
    let learned = Learned {
        domain_list: Some(DomainListHeader {
            session_uuid: [1; 16],
            domain_local_id: u16::from_le_bytes([seed[20], seed[21]]),
            your_uuid: [2; 16],
            your_local_id: u16::from_le_bytes([seed[0], seed[1]]),
            permissions: 0,
            authenticate: seed[22] & 1 != 0,
            new_connection: true,
        }),
        nodes: vec![NodeRecord {
            node_type: seed[23],
            uuid: [3; 16],
            public: Some(peer(2)),
            local: Some(peer(seed[24])),
            permissions: 0,
            local_id: u16::from_le_bytes([seed[2], seed[3]]),
            secret: Some(secret),
        }],
        owner_type: Some(seed[25]),
        ..Learned::default()
    };
    overte.learn(0, 0, peer(1), peer(0), &learned);
    let mut engine = Engine::new(vec![Box::new(overte)]);
    let mut out = Dissection::new(seed[26] & 1 == 0);
    let (mut time, mut frame) = (0i64, 0u64);
    while let [flags, lo, hi, tail @ ..] = rest {
        let n = usize::from(u16::from_le_bytes([*lo, *hi])).min(tail.len());
        let (payload, next) = tail.split_at(n);
        rest = next;
        frame += 1;
        time += i64::from(flags >> 4) * 900_000_000;
        let (src, dst) = (peer(*flags), peer(flags >> 2));
        out.clear();
        engine.dissect(&Packet::new(frame, time, src, dst, payload), &mut out);
    }
    out.clear();
    engine.finish(&mut out);
});
