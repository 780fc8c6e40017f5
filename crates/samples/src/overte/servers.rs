//! `overte-servers.pcapng`: what assignment clients send each other and the domain server,
//! captured on the domain server's host: an upstream avatar mixer replicating its avatars to
//! this domain's avatar mixer (and a home-made one sizing its records wrong), and the
//! statistics assignment clients send the domain server as Qt binary JSON (and a home-made
//! one's document, which Qt refuses).

use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_core::testing::hex;
use udpdissect_overte::payload::node::ReplicatedAvatar;
use udpdissect_overte::payload::types::*;

use super::net::{at, Datagram, Peer, Wire};
use super::payloads::uuid;

/// The capture's host: the domain server (:40102) and its avatar mixer (:48001).
pub const HOST: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);
pub const HOST_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x02, 0x10];
const DS: SocketAddrV4 = SocketAddrV4::new(HOST, 40102);
const AVATAR_MIXER: SocketAddrV4 = SocketAddrV4::new(HOST, 48001);
/// Another domain's avatar mixer, replicating its avatars to this one.
const UPSTREAM: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 20), 48001);
/// A home-made upstream mixer.
const HOMEMADE_UPSTREAM: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 30), 48001);
/// The asset server, on a host of its own, and a home-made assignment client.
const ASSET: Peer =
    Peer { addr: SocketAddrV4::new(Ipv4Addr::new(203, 0, 113, 12), 48003), local_id: 0x5a17, secret: None };
const BOT: Peer =
    Peer { addr: SocketAddrV4::new(Ipv4Addr::new(203, 0, 113, 14), 48010), local_id: 0x0b07, secret: None };

/// `QJsonDocument::toBinaryData()` of the asset server's statistics, from Qt 5.15:
/// `{"asset_server":{"bytes_sent":4211030,"mappings":12,"requests":{"get":31,"get_info":9,
/// "upload":0}},"downstream_kbps":1250.5,"healthy":true,"nodes":4,"uptime_s":3600,
/// "version":"2025.05.1"}`.
const ASSET_STATS: &str = "71626a7301000000300100000d00000018010000150400000c0061737365745f7365727665720000900000000700\
000084000000da2a08080a0062797465735f73656e749a01000008006d617070696e677300009507000008007265717565737473000048000000070000\
003c000000fa03000003006765740000003a01000008006765745f696e666f000092060000060075706c6f616400000000000000000c0000001800000028\
0000000c0000001c0000002c000000121900000f00646f776e73747265616d5f6b62707300000000000000008a93403100000007006865616c74687900\
00009a00000005006e6f646573001ac201000800757074696d655f7300009b210000070076657273696f6e0000000900323032352e30352e31000c000000\
b0000000d0000000e0000000ec000000fc000000";

/// Qt 5.15's `toBinaryData()` of `{"load":0.25,"name":"bot"}`, ending in its table of the two
/// entries' offsets (12, then 32).
const BOT_STATS: &str =
    "71626a73010000003c00000005000000340000001203000004006c6f61640000000000000000d03f9b05000004006e616d6500000300626f740000000c00000020000000";

/// An avatar's AvatarData as its mixer forwards it: the last sequence number received from
/// it, then HasFlags 1 and the global position.
fn avatar_data(seq: u16, position: [f32; 3]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&seq.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    for v in position {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

fn bulk(records: &[([u8; 16], Vec<u8>)]) -> Vec<u8> {
    let mut p = Vec::new();
    for (node_id, data) in records {
        ReplicatedAvatar { node_id: *node_id, data: data.as_slice().into() }.emit(&mut p);
    }
    p
}

pub fn capture() -> Vec<Datagram> {
    let mut w = Wire::default();
    let upstream = Peer { addr: UPSTREAM, local_id: 0, secret: None };
    let (kestrel, heron) = (uuid(0x7e51), uuid(0x4e20));
    // Frames 1, 2: two passes of the upstream mixer, 20 ms apart, each with both avatars.
    for (i, t) in [at(0, 0), at(0, 20_000)].into_iter().enumerate() {
        let i = i as u16;
        let p = bulk(&[
            (kestrel, avatar_data(412 + i, [3.5, 0.0, -7.25 + f32::from(i) * 0.05])),
            (heron, avatar_data(77 + i, [-1.0, 0.0, 2.0])),
        ]);
        w.send(t, upstream, AVATAR_MIXER, REPLICATED_BULK_AVATAR_DATA, &p);
    }
    // Frame 3: a home-made upstream mixer sizes its record by the avatar data alone, without
    // the sequence number before it: the downstream mixer's message ends two bytes early, and
    // the record after it is read from the last two.
    let homemade = Peer { addr: HOMEMADE_UPSTREAM, local_id: 0, secret: None };
    let data = avatar_data(9, [0.5, 0.0, 0.5]);
    let mut p = kestrel.to_vec();
    p.extend_from_slice(&((data.len() - 2) as u16).to_le_bytes());
    p.extend_from_slice(&data);
    w.send(at(0, 40_000), homemade, AVATAR_MIXER, REPLICATED_BULK_AVATAR_DATA, &p);
    // Frames 4-7: the asset server's statistics, a reliable message of one packet after the
    // connection's handshake, and the domain server's ACK.
    let isn = 0x0031_4d22;
    w.handshake(at(1, 0), at(1, 310), ASSET.addr, DS, isn);
    let stats = hex(ASSET_STATS);
    let seqs = w.message(&[at(1, 420)], ASSET, DS, NODE_JSON_STATS, &stats, &[]);
    w.ack(at(1, 730), DS, ASSET.addr, seqs[0]);
    // Frames 8-11: a home-made assignment client's statistics: its encoder keeps the entries in
    // the order they were inserted, where Qt sorts them by key, so the domain server's
    // fromBinaryData refuses the document and records nothing.
    let mut bot = hex(BOT_STATS);
    let table = bot.len() - 8;
    bot[table..].copy_from_slice(&[0x20, 0, 0, 0, 0x0c, 0, 0, 0]);
    w.handshake(at(2, 0), at(2, 290), BOT.addr, DS, 0x0002_0001);
    let seqs = w.message(&[at(2, 400)], BOT, DS, NODE_JSON_STATS, &bot, &[]);
    w.ack(at(2, 690), DS, BOT.addr, seqs[0]);
    w.sorted()
}
