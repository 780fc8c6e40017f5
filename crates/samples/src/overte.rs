//! The Overte sample captures: an official-like Interface session and a home-made client
//! making the mistakes of the user's notes; and the per-client sessions of the benchmark.

mod net;
mod payloads;
mod session;
mod wire;

use crate::Sample;

pub fn samples() -> Vec<Sample> {
    let p = session::sample_params();
    let lan = net::Lan { host: *p.client.ip(), mac: [0x06, 0x14, 0x1e, 0x28, 0x01, 0x20] };
    vec![Sample { name: "overte-session.pcapng", description: "TODO", bytes: net::pcapng(lan, &session::session(&p)) }]
}
