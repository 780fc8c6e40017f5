//! The `conv,udp` and `endpoints,udp` tables: UDP traffic per address:port pair and per
//! address:port, bounded by entry count.

use super::slab_map::SlabMap;
use super::table::{StatTable, Val};
use crate::render::FrameView;
use std::cmp::Reverse;
use std::net::IpAddr;
use udpdissect_capture::Transport;
use udpdissect_core::addr::Addr;

/// Most conversations (and endpoints) tracked; frames of later ones are only counted.
pub const MAX_ENTRIES: usize = 1_000_000;

/// The UDP source and destination of a frame, if it carries a (complete or reassembled) UDP datagram.
pub fn udp_addrs(v: &FrameView) -> Option<(Addr, Addr)> {
    match v.decoded.transport {
        Transport::Udp(u) => {
            let (src, dst) = v.decoded.net.src().zip(v.decoded.net.dst())?;
            Some((Addr::new((src, u.src_port).into()), Addr::new((dst, u.dst_port).into())))
        }
        _ => None,
    }
}

/// Keyed by the two address:port pairs in sorted order; A is whichever sent first.
type ConvKey = (Addr, Addr);

#[derive(Debug, Clone)]
struct Conv {
    /// Whether A (the first sender) is the key's first address.
    a_first: bool,
    frames_ab: u64,
    bytes_ab: u64,
    frames_ba: u64,
    bytes_ba: u64,
    first_frame: u64,
    /// Relative times of the first and last timestamped frame.
    span: Option<(i64, i64)>,
    protocol: &'static str,
}

impl Conv {
    fn frames(&self) -> u64 {
        self.frames_ab + self.frames_ba
    }

    /// (A, B).
    fn ends(&self, key: &ConvKey) -> (Addr, Addr) {
        if self.a_first {
            (key.0, key.1)
        } else {
            (key.1, key.0)
        }
    }
}

#[derive(Debug)]
pub struct Conversations {
    map: SlabMap<ConvKey, Conv>,
    limit: usize,
    /// Frames of conversations past the limit.
    omitted_frames: u64,
}

impl Conversations {
    pub fn new(limit: usize) -> Conversations {
        Conversations { map: SlabMap::new(limit), limit, omitted_frames: 0 }
    }

    pub fn add(&mut self, v: &FrameView, src: Addr, dst: Addr) {
        let key = if src <= dst { (src, dst) } else { (dst, src) };
        let made = || Conv {
            a_first: key.0 == src,
            frames_ab: 0,
            bytes_ab: 0,
            frames_ba: 0,
            bytes_ba: 0,
            first_frame: v.frame.number,
            span: None,
            protocol: v.out.protocol,
        };
        let Some(conv) = self.map.entry(key, made) else {
            self.omitted_frames += 1;
            return;
        };
        let bytes = u64::from(v.frame.orig_len);
        if conv.ends(&key).0 == src {
            conv.frames_ab += 1;
            conv.bytes_ab += bytes;
        } else {
            conv.frames_ba += 1;
            conv.bytes_ba += bytes;
        }
        if v.frame.has_ts {
            let t = v.rel_ns;
            conv.span = Some(conv.span.map_or((t, t), |(s, e)| (s.min(t), e.max(t))));
        }
    }

    pub fn table(&self) -> StatTable<'_> {
        let mut t = StatTable::new(
            "conv,udp",
            "UDP conversations",
            &[
                "address A",
                "address B",
                "frames A->B",
                "bytes A->B",
                "frames B->A",
                "bytes B->A",
                "frames",
                "bytes",
                "rel start",
                "duration",
                "protocol",
            ],
        );
        // Sorted by index on cached keys; first frames are unique, so the order is total.
        let map = &self.map;
        let mut order: Vec<u32> = (0..map.len() as u32).collect();
        order.sort_by_cached_key(|&i| {
            let c = &map.get(i as usize).1;
            (Reverse(c.frames()), c.span.map_or((1, 0), |(s, _)| (0, s)), c.first_frame)
        });
        let convs: Vec<&(ConvKey, Conv)> = order.iter().map(|&i| map.get(i as usize)).collect();
        t.on_demand(convs, |&(key, c): &&(ConvKey, Conv), row| {
            let (a, b) = c.ends(key);
            row.extend([
                Val::Addr(a.socket()),
                Val::Addr(b.socket()),
                Val::UInt(c.frames_ab),
                Val::UInt(c.bytes_ab),
                Val::UInt(c.frames_ba),
                Val::UInt(c.bytes_ba),
                Val::UInt(c.frames()),
                Val::UInt(c.bytes_ab + c.bytes_ba),
                c.span.map_or(Val::Empty, |(s, _)| Val::Seconds(s)),
                c.span.map_or(Val::Empty, |(s, e)| Val::Seconds(e - s)),
                Val::Name(c.protocol),
            ]);
        });
        let (n, limit) = (self.omitted_frames, self.limit);
        limit_note(
            &mut t,
            n,
            format!("limit of {limit} conversations reached: {n} frames of later conversations not counted"),
        );
        t
    }
}

#[derive(Debug, Default, Clone)]
struct Endpoint {
    tx_frames: u64,
    tx_bytes: u64,
    rx_frames: u64,
    rx_bytes: u64,
}

#[derive(Debug)]
pub struct Endpoints {
    map: SlabMap<Addr, Endpoint>,
    limit: usize,
    /// Frames with an endpoint past the limit (counted once per frame).
    omitted_frames: u64,
}

impl Endpoints {
    pub fn new(limit: usize) -> Endpoints {
        Endpoints { map: SlabMap::new(limit), limit, omitted_frames: 0 }
    }

    pub fn add(&mut self, bytes: u64, src: Addr, dst: Addr) {
        let tx = self.entry(src).map(|e| {
            e.tx_frames += 1;
            e.tx_bytes += bytes;
        });
        let rx = self.entry(dst).map(|e| {
            e.rx_frames += 1;
            e.rx_bytes += bytes;
        });
        if tx.is_none() || rx.is_none() {
            self.omitted_frames += 1;
        }
    }

    fn entry(&mut self, addr: Addr) -> Option<&mut Endpoint> {
        self.map.entry(addr, Endpoint::default)
    }

    pub fn table(&self) -> StatTable<'_> {
        let mut t = StatTable::new(
            "endpoints,udp",
            "UDP endpoints",
            &["address", "frames", "bytes", "tx frames", "tx bytes", "rx frames", "rx bytes"],
        );
        // By frames, then by address as `SocketAddr` orders them (IPv4 first, then address
        // and port), on keys made once; the entries stay where they are.
        let mut order: Vec<(Reverse<u64>, u8, u128, u16, u32)> = (0..self.map.len())
            .map(|slot| {
                let (a, e) = self.map.get(slot);
                let s = a.socket();
                let ip = match s.ip() {
                    IpAddr::V4(v4) => u128::from(v4.to_bits()),
                    IpAddr::V6(v6) => v6.to_bits(),
                };
                (Reverse(e.tx_frames + e.rx_frames), u8::from(s.is_ipv6()), ip, s.port(), slot as u32)
            })
            .collect();
        order.sort_unstable();
        let map = &self.map;
        t.on_demand(order, move |&(.., slot), row| {
            let (a, e) = map.get(slot as usize);
            row.extend([
                Val::Addr(a.socket()),
                Val::UInt(e.tx_frames + e.rx_frames),
                Val::UInt(e.tx_bytes + e.rx_bytes),
                Val::UInt(e.tx_frames),
                Val::UInt(e.tx_bytes),
                Val::UInt(e.rx_frames),
                Val::UInt(e.rx_bytes),
            ]);
        });
        let (n, limit) = (self.omitted_frames, self.limit);
        limit_note(
            &mut t,
            n,
            format!("limit of {limit} endpoints reached: {n} frames with a later endpoint not fully counted"),
        );
        t
    }
}

/// Says under the table how many frames a full map left uncounted (`omitted` counts frames here).
fn limit_note(t: &mut StatTable<'_>, omitted_frames: u64, note: String) {
    t.omitted = omitted_frames;
    if omitted_frames > 0 {
        t.notes.push(note);
    }
}
