//! A large, realistic mixed capture, streamed: campus heartbeats with DNS and some TCP, and
//! the other protocol families' sessions interleaved in time.
//!
//! Heartbeats: 5 000 clients (10.20.32.2 … 10.20.51.251) beat three servers
//! (172.16.202.201-203) every 60 s, one client every 12 ms, each beat from a new ephemeral port
//! and answered 2-5 ms later. Every slot of 12 ms also carries one other frame: a DNS query to
//! the resolver or its answer, or (one slot in ten) a TCP segment. Five clients are kicked
//! offline: their replies say -2 during rounds 2 and 3, then they log in again with a new UID.
//! One beat in 4 999 gets no reply.
//!
//! The other families come as sessions (or rounds) started at a fixed interval, each from its
//! sample module's benchmark generator, so the mix is steady from the first second: see
//! [`STREAMS`] for the rates.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::packet::{self, TCP_ACK, TCP_PSH};
use udpdissect_pcapgen::{linktype, PcapWriter, Ts};

use crate::common::*;

const CLIENTS: u64 = 5_000;
const SERVERS: u64 = 3;
/// 60 s / 5 000 clients.
const SLOT_NS: u64 = 12_000_000;
const RESOLVER: Ipv4Addr = Ipv4Addr::new(10, 20, 0, 53);
const WEB: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 80);

fn client_ip(i: u64) -> Ipv4Addr {
    Ipv4Addr::new(10, 20, 32 + (i / 250) as u8, 2 + (i % 250) as u8)
}

fn client_mac(i: u64) -> [u8; 6] {
    [0x06, 0x14, 0x1e, 0x30, (i >> 8) as u8, i as u8]
}

fn server_ip(i: u64) -> Ipv4Addr {
    Ipv4Addr::new(172, 16, 202, 201 + (i % SERVERS) as u8)
}

/// Linux's default ephemeral range, 32768..=60999.
fn ephemeral(h: u64) -> u16 {
    32_768 + (h % 28_232) as u16
}

fn is_kicked(i: u64) -> bool {
    i % 1_000 == 999
}

/// The UID client `i` beats with in round `round`.
fn uid(i: u64, round: u64) -> i64 {
    let base = 1_234_500_000_000 + (i * 7_919) as i64;
    if is_kicked(i) && round >= 4 {
        base + 1_000_000
    } else {
        base
    }
}

fn ts(ns: u64) -> Ts {
    Ts::new(T0 + (ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as u32)
}

/// Emits the frames of slot `j` (strictly increasing times, all within the slot).
fn slot(j: u64, out: &mut impl FnMut(Ts, &[u8]) -> io::Result<()>) -> io::Result<()> {
    let (round, i) = (j / CLIENTS, j % CLIENTS);
    let h = mix(j);
    let start = j * SLOT_NS;
    let (ip, mac) = (client_ip(i), client_mac(i));
    let client = SocketAddrV4::new(ip, ephemeral(h >> 16));
    let server = hb4(server_ip(i));
    let id = (h >> 48) as u16;

    // The beat in the first 2 ms of the slot, the reply 2-5 ms after it.
    let beat_at = start + h % 2_000_000;
    let b = udp4_out(client, server, id, &beat(uid(i, round)));
    out(ts(beat_at), &eth(mac, GATEWAY_MAC, &b))?;
    if h % 4_999 != 0 {
        let r = if is_kicked(i) && (2..4).contains(&round) { Reply::dead() } else { Reply::alive(uid(i, round)) };
        let p = udp4_in(server, client, id ^ 0x5a5a, &reply(r));
        out(ts(beat_at + 2_000_000 + (h >> 8) % 3_000_000), &eth(GATEWAY_MAC, mac, &p))?;
    }

    // One other frame 8-10 ms into the slot.
    let other_at = start + 8_000_000 + (h >> 24) % 2_000_000;
    let frame = if j % 10 == 5 {
        // A TCP segment of a web download to some client.
        let web = SocketAddrV4::new(WEB, 443);
        let dst = SocketAddrV4::new(ip, ephemeral(mix(i)));
        let data = [0x17u8; 120];
        eth(GATEWAY_MAC, mac, &packet::tcp4(web, dst, (h >> 3) as u32, TCP_ACK | TCP_PSH, &data))
    } else {
        // DNS: even slots ask, odd slots carry the answer to the previous slot's question.
        let asker = if j % 2 == 0 { i } else { (i + CLIENTS - 1) % CLIENTS };
        let qid = (if j % 2 == 0 { j } else { j - 1 }) as u16;
        let port = ephemeral(mix(j - j % 2) >> 20);
        let name = format!("host{}.campus.example", qid % 997);
        let (c, r) = (SocketAddrV4::new(client_ip(asker), port), SocketAddrV4::new(RESOLVER, 53));
        if j % 2 == 0 {
            eth(client_mac(asker), GATEWAY_MAC, &udp4_out(c, r, id, &dns_query(qid, &name)))
        } else {
            let addr = Ipv4Addr::new(192, 0, 2, (qid % 250) as u8 + 1);
            eth(GATEWAY_MAC, client_mac(asker), &udp4_in(r, c, id, &dns_response(qid, &name, addr)))
        }
    };
    out(ts(other_at), &frame)
}

/// A family's benchmark traffic: batch `index` of datagrams (absolute times, any start), placed
/// `interval` ns after the previous batch.
struct Stream {
    interval: u64,
    batch: fn(u64) -> Vec<crate::Datagram>,
}

/// The families besides the heartbeats, with the interval between their batches (the
/// heartbeats and their companions come at about 222 frames/s).
const STREAMS: &[Stream] = &[
    // Overte: an Interface session of about 94 datagrams over 3.2 s, every 0.6 s (about 150
    // frames/s from 5 concurrent clients).
    Stream { interval: 600_000_000, batch: crate::overte_bench_session },
    // EQ2: a session of about 200 datagrams over a minute, every 1.5 s (about 130 frames/s from
    // 40 concurrent sessions).
    Stream { interval: 1_500_000_000, batch: crate::eq2_session },
    // Overnet: 14-16 datagrams a round, about 100 frames/s.
    Stream { interval: 150_000_000, batch: crate::overnet_bench_round },
];

/// A datagram as an Ethernet frame; the MACs and the IP ID follow from the addresses.
fn datagram_frame(src: SocketAddr, dst: SocketAddr, payload: &[u8]) -> Option<Vec<u8>> {
    let (SocketAddr::V4(s), SocketAddr::V4(d)) = (src, dst) else { return None };
    let h = mix(u64::from(u32::from(*s.ip())) << 16 ^ u64::from(s.port()));
    let mac = |ip: Ipv4Addr| [0x02, 0x42, ip.octets()[0], ip.octets()[1], ip.octets()[2], ip.octets()[3]];
    Some(eth(mac(*s.ip()), mac(*d.ip()), &udp4_out(s, d, h as u16, payload)))
}

/// Frames waiting to be written, earliest first; ties keep the order they were made in.
type Pending = BinaryHeap<Reverse<(u64, u64, Vec<u8>)>>;

/// Writes a pcap (Ethernet, microseconds, little-endian) of exactly `packets` frames of the
/// mixed traffic, generated on the fly: memory use does not grow with `packets` (only the
/// sessions in progress are held). The same `packets` always gives the same bytes.
pub fn benchmark(packets: u64, w: impl Write) -> io::Result<()> {
    let mut pw = PcapWriter::new(BufWriter::with_capacity(1 << 16, w), linktype::ETHERNET, 262_144, false, false)?;
    let mut pending = Pending::new();
    let mut made = 0u64;
    // Next heartbeat slot, and each stream's next batch index.
    let mut slot_j = 0u64;
    let mut batches = vec![0u64; STREAMS.len()];
    let (mut written, mut last_us) = (0u64, None);
    while written < packets {
        // Load every batch that starts no later than the earliest pending frame: none of its
        // frames is earlier than its start, so what is popped next is the earliest of all.
        loop {
            let first = pending.peek().map_or(u64::MAX, |Reverse((t, _, _))| *t);
            let slot_start = slot_j * SLOT_NS;
            let due = STREAMS.iter().zip(&batches).map(|(s, &i)| i * s.interval).enumerate().min_by_key(|&(_, t)| t);
            let (k, stream_start) = due.unwrap_or((0, u64::MAX));
            if slot_start.min(stream_start) > first {
                break;
            }
            if slot_start <= stream_start {
                slot(slot_j, &mut |ts, frame| {
                    let ns = (ts.secs - T0) as u64 * 1_000_000_000 + u64::from(ts.nanos);
                    made += 1;
                    pending.push(Reverse((ns, made, frame.to_vec())));
                    Ok(())
                })?;
                slot_j += 1;
            } else {
                let stream = &STREAMS[k];
                let batch = (stream.batch)(batches[k]);
                let t0 = batch.first().map_or(0, |d| d.0);
                for (t, src, dst, payload) in batch {
                    if let Some(frame) = datagram_frame(src, dst, &payload) {
                        made += 1;
                        pending.push(Reverse((stream_start + (t - t0).max(0) as u64, made, frame)));
                    }
                }
                batches[k] += 1;
            }
        }
        let Some(Reverse((ns, _, frame))) = pending.pop() else { break };
        // The file keeps microseconds: frames of two families in the same microsecond are
        // spread a microsecond apart so times stay strictly increasing.
        let us = last_us.map_or(ns / 1_000, |last: u64| (ns / 1_000).max(last + 1));
        last_us = Some(us);
        pw.write(ts(us * 1_000), &frame)?;
        written += 1;
    }
    pw.into_inner().flush()
}
