//! Payload bytes for the samples, written with the payload reprs' `emit` (the avatar data,
//! bulk avatar data and avatar query have no repr: they are written here, `protocols/overte.md`
//! §5.12).

use std::borrow::Cow;
use std::io::Write as _;
use std::net::SocketAddrV4;

pub use crate::common::mix;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use udpdissect_overte::payload::audio::{AudioFrame, Positional};
use udpdissect_overte::payload::codec::{QBytes, QSockAddr, QStr};
use udpdissect_overte::payload::domain::{CheckIn, ConnectRequest, ListHeader, NodeRec};
use udpdissect_overte::payload::ping::{Ping, PingReply};

/// A version-4 UUID (as `QUuid::createUuid` makes) derived from `seed`, RFC 4122 byte order.
pub fn uuid(seed: u64) -> [u8; 16] {
    let mut u = [0u8; 16];
    u[..8].copy_from_slice(&mix(seed).to_be_bytes());
    u[8..].copy_from_slice(&mix(seed ^ 0x5555_5555_5555_5555).to_be_bytes());
    u[6] = 0x40 | (u[6] & 0x0f);
    u[8] = 0x80 | (u[8] & 0x3f);
    u
}

/// Deterministic filler standing in for encoded audio.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    (0..len).map(|i| mix(seed.wrapping_add(i as u64)) as u8).collect()
}

pub fn sock(a: SocketAddrV4) -> QSockAddr<'static> {
    QSockAddr::v4(a.ip().octets(), a.port())
}

/// `qCompress(json)`: 4-byte big-endian uncompressed size, then a zlib stream (level 6).
pub fn q_compress(json: &str) -> Vec<u8> {
    let mut out = (json.len() as u32).to_be_bytes().to_vec();
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(json.as_bytes()).expect("writing to a Vec");
    out.extend_from_slice(&z.finish().expect("writing to a Vec"));
    out
}

/// Interface's DomainConnectRequest: the signature of the built-in table, the qCompress'ed
/// system info, a first connection (no reason, no previous uptime).
pub fn connect_request(
    connect_uuid: [u8; 16],
    hardware: &str,
    fingerprint: [u8; 16],
    check_in: CheckIn<'static>,
) -> ConnectRequest<'static> {
    ConnectRequest {
        connect_uuid,
        signature: signature(),
        hardware_address: QStr::from_text(hardware),
        machine_fingerprint: fingerprint,
        system_info: QBytes(Some(Cow::Owned(q_compress(SYSTEM_INFO)))),
        connect_reason: 0,
        previous_uptime: 0,
        check_in,
    }
}

/// The check-in part shared by DomainConnectRequest and DomainListRequest, UDP sockets.
pub fn check_in(timestamp: u64, public: SocketAddrV4, local: SocketAddrV4, interests: &[u8]) -> CheckIn<'static> {
    CheckIn {
        timestamp,
        owner_type: b'I',
        public_type: 1,
        public: sock(public),
        local_type: 1,
        local: sock(local),
        interests: Cow::Owned(interests.to_vec()),
        place_name: QStr::from_text(""),
        username: None,
        username_signature: None,
        domain_username: None,
        domain_tokens: None,
    }
}

pub fn emit(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut v = Vec::new();
    f(&mut v);
    v
}

/// A node record for an assignment client at `public` (UDP) whose local address is `local`.
pub struct Node {
    pub ty: u8,
    pub uuid: [u8; 16],
    pub public: SocketAddrV4,
    pub local: SocketAddrV4,
    pub local_id: u16,
    pub secret: [u8; 16],
}

impl Node {
    pub fn record(&self) -> NodeRec<'static> {
        NodeRec {
            node_type: self.ty,
            uuid: self.uuid,
            public_type: 1,
            public: sock(self.public),
            local_type: 1,
            local: sock(self.local),
            // Assignment clients get every permission the domain grants (canConnectToDomain … canViewAssetURLs).
            permissions: 0x0000_1fff,
            replicated: 0,
            local_id: self.local_id,
            secret: self.secret,
        }
    }
}

pub fn domain_list(header: ListHeader, nodes: &[&Node]) -> Vec<u8> {
    let mut v = Vec::new();
    header.emit(&mut v);
    for n in nodes {
        n.record().emit(&mut v);
    }
    v
}

pub fn ping(ping_type: u8, timestamp: u64, connection_id: i64) -> Vec<u8> {
    emit(|v| Ping { ping_type, timestamp, connection_id }.emit(v))
}

pub fn ping_reply(ping_type: u8, timestamp: u64, reply_timestamp: u64) -> Vec<u8> {
    emit(|v| PingReply { ping_type, timestamp, reply_timestamp }.emit(v))
}

/// Where the client's avatar stands (audio positional data: head position, orientation,
/// avatar bounding box).
pub fn positional(x: f32, z: f32) -> Positional {
    Positional {
        position: [x, 1.62, z],
        orientation: [0.0, 0.3827, 0.0, 0.9239],
        bbox_corner: [x - 0.35, 0.0, z - 0.25],
        bbox_scale: [0.7, 1.8, 0.5],
    }
}

pub fn mic(sequence: u16, at: Positional, audio: Vec<u8>) -> Vec<u8> {
    let f = AudioFrame::Mic { sequence, codec: Cow::Borrowed(b"opus"), stereo: 0, positional: at, audio: audio.into() };
    emit(|v| f.emit(v))
}

pub fn mixed(sequence: u16, audio: Vec<u8>) -> Vec<u8> {
    emit(|v| AudioFrame::Mixed { sequence, codec: Cow::Borrowed(b"opus"), audio: audio.into() }.emit(v))
}

pub fn silent_from_mixer(sequence: u16, samples: u32) -> Vec<u8> {
    emit(|v| AudioFrame::SilentMixer { sequence, codec: Cow::Borrowed(b"opus"), samples }.emit(v))
}

/// The AvatarData sections the samples send: bit 0 global position, bit 2 orientation
/// (6-byte packed quaternion), bit 3 scale (u16), bit 5 audio loudness (u8).
pub const AVATAR_FLAGS: u16 = 0x002d;

fn avatar_sections(v: &mut Vec<u8>, x: f32, z: f32, turn: u8) {
    v.extend_from_slice(&AVATAR_FLAGS.to_le_bytes());
    for f in [x, 0.0, z] {
        v.extend_from_slice(&f.to_le_bytes());
    }
    v.extend_from_slice(&[0xff, 0x7f, turn, 0xb1, 0xff, 0x7f]);
    v.extend_from_slice(&0x3c00u16.to_le_bytes());
    v.push(0x12);
}

/// AvatarData: u16 sequence, then the sections.
pub fn avatar_data(sequence: u16, x: f32, z: f32) -> Vec<u8> {
    let mut v = sequence.to_le_bytes().to_vec();
    avatar_sections(&mut v, x, z, 0x61);
    v
}

/// BulkAvatarData: per avatar its session UUID and sections.
pub fn bulk_avatar_data(avatars: &[([u8; 16], f32, f32)]) -> Vec<u8> {
    let mut v = Vec::new();
    for (i, (id, x, z)) in avatars.iter().enumerate() {
        v.extend_from_slice(id);
        avatar_sections(&mut v, *x, *z, 0x20 + 0x17 * i as u8);
    }
    v
}

/// AvatarQuery with one conical frustum (position, direction, packed half-angle and far clip,
/// centre radius).
pub fn avatar_query(x: f32, z: f32) -> Vec<u8> {
    let mut v = vec![1];
    for f in [x, 1.62, z, 0.0, 0.0, -1.0] {
        v.extend_from_slice(&f.to_le_bytes());
    }
    v.extend_from_slice(&0x1d81u16.to_le_bytes());
    v.extend_from_slice(&0xc000u16.to_le_bytes());
    v.extend_from_slice(&3.21f32.to_le_bytes());
    v
}

/// A real-looking Interface system info (`platform::getAll()`, well under the 1000-byte cut).
pub const SYSTEM_INFO: &str = concat!(
    r#"{"computer":{"OS":"LINUX","OSVersion":"6.8.0-52-generic","vendor":"Micro-Star International Co., Ltd.","#,
    r#""model":"MS-7C56","profileTier":"HIGH"},"cpus":[{"vendor":"AuthenticAMD","#,
    r#""model":"AMD Ryzen 7 5800X 8-Core Processor","clockSpeed":"3800 MHz","numCores":16,"isMaster":true}],"#,
    r#""gpus":[{"vendor":"NVIDIA Corporation","model":"NVIDIA GeForce RTX 3070/PCIe/SSE2","driver":"550.120","#,
    r#""videoMemory":8192,"isMaster":true}],"displays":[{"boundsLeft":0,"boundsTop":0,"boundsRight":2560,"#,
    r#""boundsBottom":1440,"refreshRate":144,"isMaster":true}],"memory":{"memTotal":32768},"#,
    r#""nics":[{"name":"enp5s0","mac":"2C:F0:5D:3A:91:C4"}]}"#
);

pub fn signature() -> QBytes<'static> {
    QBytes(Some(Cow::Borrowed(&super::wire::SIGNATURE)))
}
