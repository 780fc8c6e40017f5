//! Captures several CLI test files build the same way.

#![allow(dead_code)] // each test file uses its own share of these

use std::net::SocketAddrV4;
use udpdissect_heartbeat::wire::{Reply, Request};
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

pub fn sa(s: &str) -> SocketAddrV4 {
    s.parse().unwrap()
}

/// A beat's payload: the UID as a little-endian i64.
pub fn beat(uid: i64) -> Vec<u8> {
    let mut b = Vec::new();
    Request { uid }.emit(&mut b);
    b
}

/// A reply's 16-byte payload.
pub fn reply(r: Reply) -> Vec<u8> {
    let mut b = Vec::new();
    r.emit(&mut b);
    b
}

/// A beat that never gets a reply, then other UDP traffic 10 s later: the heartbeat reports
/// `heartbeat.no_reply` (warn) at the end of the capture.
pub fn unanswered_beat() -> Vec<u8> {
    let beat = beat(1_234_567_890_123);
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 65535, false, false).unwrap();
    let frames = [
        (Ts::new(1_772_438_400, 0), packet::udp4(sa("10.0.0.1:40000"), sa("10.0.0.2:3335"), &beat)),
        (Ts::new(1_772_438_410, 0), packet::udp4(sa("10.0.0.1:5000"), sa("10.0.0.3:9999"), b"x")),
    ];
    for (ts, ip) in frames {
        w.write(ts, &link::ethernet_ip(&ip)).unwrap();
    }
    w.into_inner()
}
