//! Captures several CLI test files build the same way.

use std::net::SocketAddrV4;
use udpdissect_heartbeat::wire::Request;
use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};

/// A beat that never gets a reply, then other UDP traffic 10 s later: the heartbeat reports
/// `heartbeat.no_reply` (warn) at the end of the capture.
pub fn unanswered_beat() -> Vec<u8> {
    let sa = |s: &str| s.parse::<SocketAddrV4>().unwrap();
    let mut beat = Vec::new();
    Request { uid: 1_234_567_890_123 }.emit(&mut beat);
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
