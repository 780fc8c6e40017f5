//! The datagrams of a capture: per-peer UDT sequence counters, reliable connections with their
//! handshakes and ACKs, and the Ethernet/IPv4 frames seen on the client's LAN.

use std::collections::HashMap;
use std::net::SocketAddrV4;

use udpdissect_pcapgen::{linktype, IfOpts, PcapNgWriter, Ts};

use super::wire::{self, Nl, Position, Udt};
use crate::common::{eth, udp4_in, udp4_out, Frames, GATEWAY_MAC, T0};

/// One UDP datagram: time (ns since the epoch), source, destination, payload.
pub type Datagram = (i64, SocketAddrV4, SocketAddrV4, Vec<u8>);

/// Nanoseconds since the epoch, `secs` + `micros` after 2026-03-02 08:00:00 UTC.
pub fn at(secs: u32, micros: u32) -> i64 {
    (T0 + i64::from(secs)) * 1_000_000_000 + i64::from(micros) * 1_000
}

/// µs since the epoch at capture time `t` (what the peers put in their timestamps).
pub fn usecs(t: i64) -> u64 {
    (t / 1_000) as u64
}

/// An NLPacket sender's identity towards one peer: its local ID and the secret it shares
/// with that peer (none towards the domain server).
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    pub addr: SocketAddrV4,
    pub local_id: u16,
    pub secret: Option<[u8; 16]>,
}

/// The datagrams in sending order, with the counters the senders keep.
#[derive(Debug, Default)]
pub struct Wire {
    pub datagrams: Vec<Datagram>,
    /// Last unreliable sequence number per (source, destination); the first is 1.
    unreliable: HashMap<(SocketAddrV4, SocketAddrV4), u32>,
    /// Next reliable sequence number per connection (set by the handshake).
    reliable: HashMap<(SocketAddrV4, SocketAddrV4), u32>,
    /// Next message number per connection.
    messages: HashMap<(SocketAddrV4, SocketAddrV4), u32>,
}

impl Wire {
    pub fn raw(&mut self, t: i64, src: SocketAddrV4, dst: SocketAddrV4, bytes: Vec<u8>) {
        self.datagrams.push((t, src, dst, bytes));
    }

    /// The next unreliable sequence number from `src` to `dst`.
    pub fn next_seq(&mut self, src: SocketAddrV4, dst: SocketAddrV4) -> u32 {
        let n = self.unreliable.entry((src, dst)).or_insert(0);
        *n = (*n + 1) & 0x07ff_ffff;
        *n
    }

    /// A new process behind `src` (same socket): its counter towards `dst` starts again.
    pub fn restart(&mut self, src: SocketAddrV4, dst: SocketAddrV4) {
        self.unreliable.remove(&(src, dst));
    }

    /// An unreliable NLPacket with the official headers.
    pub fn send(&mut self, t: i64, from: Peer, dst: SocketAddrV4, ty: u8, payload: &[u8]) {
        let udt = Udt::unreliable(self.next_seq(from.addr, dst));
        let bytes = Nl::new(udt, ty, from.local_id, from.secret, payload).build();
        self.raw(t, from.addr, dst, bytes);
    }

    /// The sender's Handshake (at `t`) and the receiver's HandshakeACK (at `t_ack`): the
    /// connection's first reliable packet will carry `isn`.
    pub fn handshake(&mut self, t: i64, t_ack: i64, src: SocketAddrV4, dst: SocketAddrV4, isn: u32) {
        self.raw(t, src, dst, wire::control(wire::HANDSHAKE, isn));
        self.raw(t_ack, dst, src, wire::control(wire::HANDSHAKE_ACK, isn));
        self.reliable.insert((src, dst), isn);
    }

    fn next_reliable(&mut self, src: SocketAddrV4, dst: SocketAddrV4) -> u32 {
        let n = self.reliable.get_mut(&(src, dst)).expect("handshake before the first reliable packet");
        let seq = *n;
        *n = (*n + 1) & 0x07ff_ffff;
        seq
    }

    /// A reliable packet outside any message; returns its datagram and sequence number.
    pub fn reliable(&mut self, t: i64, from: Peer, dst: SocketAddrV4, ty: u8, payload: &[u8]) -> (Vec<u8>, u32) {
        let seq = self.next_reliable(from.addr, dst);
        let bytes = Nl::new(Udt::reliable(seq), ty, from.local_id, from.secret, payload).build();
        self.raw(t, from.addr, dst, bytes.clone());
        (bytes, seq)
    }

    /// A reliable ordered message cut into parts of the given lengths plus the rest (one
    /// datagram per entry of `times`); every part carries its own NLPacket header. Returns
    /// the sequence numbers.
    pub fn message(
        &mut self,
        times: &[i64],
        from: Peer,
        dst: SocketAddrV4,
        ty: u8,
        body: &[u8],
        splits: &[usize],
    ) -> Vec<u32> {
        let number = {
            let n = self.messages.entry((from.addr, dst)).or_insert(0);
            let v = *n;
            *n += 1;
            v
        };
        assert_eq!(splits.len() + 1, times.len(), "one time per part");
        let mut parts = Vec::with_capacity(times.len());
        let mut rest = body;
        for &len in splits {
            let (head, tail) = rest.split_at(len.min(rest.len()));
            parts.push(head);
            rest = tail;
        }
        parts.push(rest);
        let n = parts.len();
        let mut seqs = Vec::with_capacity(n);
        for (i, (part, &t)) in parts.iter().zip(times).enumerate() {
            let seq = self.next_reliable(from.addr, dst);
            let mut udt = Udt::reliable(seq);
            udt.message = Some((Position::of(i, n), number, i as u32));
            let bytes = Nl::new(udt, ty, from.local_id, from.secret, part).build();
            self.raw(t, from.addr, dst, bytes);
            seqs.push(seq);
        }
        seqs
    }

    /// A UDT ACK from `src` acknowledging everything up to `seq`.
    pub fn ack(&mut self, t: i64, src: SocketAddrV4, dst: SocketAddrV4, seq: u32) {
        self.raw(t, src, dst, wire::control(wire::ACK, seq));
    }

    /// The datagrams in time order (stable for equal times).
    pub fn sorted(mut self) -> Vec<Datagram> {
        self.datagrams.sort_by_key(|d| d.0);
        self.datagrams
    }
}

/// The host whose LAN the capture is taken on.
#[derive(Debug, Clone, Copy)]
pub struct Lan {
    pub host: std::net::Ipv4Addr,
    pub mac: [u8; 6],
}

/// The Ethernet frames of the datagrams as seen on `lan`.
pub fn frames(lan: Lan, datagrams: &[Datagram]) -> Frames {
    let (mut out_id, mut in_id) = (0x4c21u16, 0x0001u16);
    let mut frames = Vec::with_capacity(datagrams.len());
    for (t, src, dst, payload) in datagrams {
        let frame = if *src.ip() == lan.host {
            out_id = out_id.wrapping_add(1);
            eth(lan.mac, GATEWAY_MAC, &udp4_out(*src, *dst, out_id, payload))
        } else {
            in_id = in_id.wrapping_add(0x0107);
            eth(GATEWAY_MAC, lan.mac, &udp4_in(*src, *dst, in_id, payload))
        };
        frames.push((Ts::new(t.div_euclid(1_000_000_000), t.rem_euclid(1_000_000_000) as u32), frame));
    }
    frames
}

/// A nanosecond pcapng (Ethernet, interface "eth0") of the datagrams as seen on `lan`.
pub fn pcapng(lan: Lan, datagrams: &[Datagram]) -> Vec<u8> {
    let mut w = PcapNgWriter::new(Vec::new(), false).expect("writing to a Vec");
    let opts =
        IfOpts { name: Some("eth0".into()), tsresol: Some(9), tsoffset: None, description: None, ..IfOpts::default() };
    let eth0 = w.interface(linktype::ETHERNET, 262_144, opts).expect("writing to a Vec");
    for (ts, frame) in frames(lan, datagrams) {
        w.epb(eth0, ts, frame.len() as u32, &frame).expect("writing to a Vec");
    }
    w.into_inner()
}
