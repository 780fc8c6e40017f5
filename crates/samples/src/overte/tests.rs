//! Reads the generated datagrams back the way the real peers do (little-endian UDT words,
//! de-obfuscation, version table, HMACs keyed by the secrets the DomainList hands out) and
//! checks each payload with the payload reprs.

use std::collections::HashMap;
use std::net::SocketAddrV4;

use udpdissect_overte::payload::audio::{AudioFrame, Negotiate, Selected};
use udpdissect_overte::payload::avatar::{AvatarIdentity, KillAvatar};
use udpdissect_overte::payload::codec::QHost;
use udpdissect_overte::payload::domain::{ConnectRequest, DomainList, ListRequest, NodeRec, UuidPayload};
use udpdissect_overte::payload::ice::{IcePing, PeerInformation, Query};
use udpdissect_overte::payload::messages::{MessagesData, Subscribe};
use udpdissect_overte::payload::ping::{Ping, PingReply};
use udpdissect_overte::payload::text::PathQuery;
use udpdissect_overte::payload::types::*;
use udpdissect_overte::payload::Walk;

use super::net::Datagram;
use super::wire::{hmac_md5, is_sourced, is_verified, obfuscate, version};
use super::{buggy, session};

/// A data packet as the receiver reads it.
#[derive(Debug)]
struct Read {
    reliable: bool,
    seq: u32,
    obfuscation: u8,
    /// Position, message number, part number.
    message: Option<(u32, u32, u32)>,
    ty: u8,
    version: u8,
    source: Option<u16>,
    hash: Option<[u8; 16]>,
    /// The bytes the HMAC covers (after the slot), de-obfuscated.
    hashed: Vec<u8>,
    payload: Vec<u8>,
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn read(b: &[u8], sourced: impl Fn(u8) -> bool) -> Read {
    let word = le32(b, 0);
    assert_eq!(word >> 31, 0, "a data packet");
    let m = word >> 29 & 1 == 1;
    let h = if m { 12 } else { 4 };
    let obfuscation = (word >> 27 & 3) as u8;
    let mut rest = b[h..].to_vec();
    obfuscate(obfuscation, &mut rest);
    let ty = rest[0];
    let mut at = 2;
    let source = sourced(ty).then(|| {
        at += 2;
        u16::from_le_bytes([rest[2], rest[3]])
    });
    let hash = (source.is_some() && is_verified(ty)).then(|| {
        at += 16;
        rest[4..20].try_into().unwrap()
    });
    Read {
        reliable: word >> 30 & 1 == 1,
        seq: word & 0x07ff_ffff,
        obfuscation,
        message: m.then(|| (le32(b, 4) >> 30, le32(b, 4) & 0x3fff_ffff, le32(b, 8))),
        ty,
        version: rest[1],
        source,
        hash,
        hashed: rest[at..].to_vec(),
        payload: rest[at..].to_vec(),
    }
}

fn is_stun(b: &[u8]) -> bool {
    b.len() >= 20 && b[4..8] == [0x21, 0x12, 0xa4, 0x42]
}

/// Parses `payload` as `ty` with the payload reprs; `Some(trailing bytes)`, `None` when the
/// type has no repr.
fn parse(ty: u8, p: &[u8]) -> Option<usize> {
    let rest = match ty {
        DOMAIN_CONNECT_REQUEST => ConnectRequest::parse(p).unwrap().1.len(),
        DOMAIN_LIST_REQUEST => ListRequest::parse(p).unwrap().1.len(),
        DOMAIN_LIST => DomainList::parse(p).unwrap().1.len(),
        ADDED_NODE => NodeRec::parse(p).unwrap().1.len(),
        REMOVED_NODE => UuidPayload::parse(p).unwrap().1.len(),
        PING => Ping::parse(p).unwrap().1.len(),
        PING_REPLY => PingReply::parse(p).unwrap().1.len(),
        ICE_QUERY => Query::parse(p).unwrap().1.len(),
        ICE_PEER_INFORMATION => PeerInformation::parse(p).unwrap().1.len(),
        ICE_PING | ICE_PING_REPLY => IcePing::parse(p).unwrap().1.len(),
        NEGOTIATE_AUDIO_FORMAT => Negotiate::parse(p).unwrap().1.len(),
        SELECTED_AUDIO_FORMAT => Selected::parse(p).unwrap().1.len(),
        MIC_NO_ECHO | MIXED_AUDIO | SILENT_AUDIO_FRAME => AudioFrame::parse(ty, p).unwrap().1.len(),
        AVATAR_IDENTITY => AvatarIdentity::parse(p).unwrap().1.len(),
        KILL_AVATAR => KillAvatar::parse(p).unwrap().1.len(),
        MESSAGES_DATA => MessagesData::parse(p).unwrap().1.len(),
        MESSAGES_SUBSCRIBE => Subscribe::parse(p).unwrap().1.len(),
        PATH_QUERY => PathQuery::parse(p).unwrap().1.len(),
        _ => return None,
    };
    Some(rest)
}

/// The secret each assignment client (by public socket) shares with the client, learned from
/// DomainList and DomainServerAddedNode records as the client learns them.
fn learn(secrets: &mut HashMap<SocketAddrV4, [u8; 16]>, r: &Read) {
    let mut record = |n: &NodeRec| {
        let QHost::V4(ip) = n.public.host else { panic!("IPv4 records") };
        secrets.insert(SocketAddrV4::new(ip.into(), n.public.port), n.secret);
    };
    match r.ty {
        DOMAIN_LIST => DomainList::parse(&r.payload).unwrap().0.nodes.iter().for_each(&mut record),
        ADDED_NODE => record(&NodeRec::parse(&r.payload).unwrap().0),
        _ => {}
    }
}

#[test]
fn session_reads_back_as_the_official_peers_read_it() {
    let p = session::sample_params();
    let datagrams = session::session(&p);
    assert_eq!(datagrams.len(), 94);
    assert!(datagrams.windows(2).all(|w| w[0].0 < w[1].0), "strictly increasing times");
    let mut secrets = HashMap::new();
    let mut handshakes: HashMap<(SocketAddrV4, SocketAddrV4), u32> = HashMap::new();
    let mut first_reliable = HashMap::new();
    let mut unreliable: HashMap<(SocketAddrV4, SocketAddrV4), u32> = HashMap::new();
    // Parts (position, part number, payload) per (source, destination, message number).
    type Parts = Vec<(u32, u32, Vec<u8>)>;
    let mut messages: HashMap<(SocketAddrV4, SocketAddrV4, u32), Parts> = HashMap::new();
    let (mut obfuscated, mut verified, mut stun) = (0, 0, 0);
    for (i, (_, src, dst, b)) in datagrams.iter().enumerate() {
        let frame = i + 1;
        if is_stun(b) {
            stun += 1;
            continue;
        }
        if b[3] & 0x80 != 0 {
            assert_eq!(b.len(), 8, "frame {frame}: control packet");
            let (ty, value) = (b[2], le32(b, 4));
            match ty {
                1 => {
                    handshakes.insert((*src, *dst), value);
                }
                2 => assert_eq!(handshakes.get(&(*dst, *src)), Some(&value), "frame {frame}: HandshakeACK echoes"),
                _ => assert_eq!(ty, 0, "frame {frame}"),
            }
            continue;
        }
        let r = read(b, is_sourced);
        assert_eq!(r.version, version(r.ty), "frame {frame}: version of type {}", r.ty);
        if let (Some(id), true) = (r.source, *src == p.client) {
            assert_eq!(id, p.local_id, "frame {frame}: the client's source ID");
        }
        if r.reliable {
            let isn = handshakes.get(&(*src, *dst)).unwrap_or_else(|| panic!("frame {frame}: no handshake"));
            let first = *first_reliable.entry((*src, *dst)).or_insert(r.seq);
            assert_eq!(first, *isn, "frame {frame}: the first reliable packet carries the ISN");
            obfuscated += usize::from(r.obfuscation != 0);
        } else {
            assert_eq!(r.obfuscation, 0);
            let last = unreliable.insert((*src, *dst), r.seq).unwrap_or(0);
            // The restarted entity script server starts again at 1.
            assert!(r.seq == last + 1 || r.seq == 1, "frame {frame}: unreliable sequence {} after {last}", r.seq);
        }
        if let Some(hash) = r.hash {
            let peer = if *src == p.client { dst } else { src };
            let key = secrets.get(peer).unwrap_or_else(|| panic!("frame {frame}: no secret for {peer}"));
            assert_eq!(hash, hmac_md5(key, &r.hashed), "frame {frame}: HMAC");
            verified += 1;
        }
        if *dst == session::DS {
            assert!(!is_verified(r.ty), "frame {frame}: nothing verified goes to the domain server");
        }
        learn(&mut secrets, &r);
        match r.message {
            Some((pos, number, part)) => {
                let parts = messages.entry((*src, *dst, number)).or_default();
                parts.push((pos, part, r.payload.clone()));
                if pos == 0 || pos == 1 {
                    let body: Vec<u8> = parts.iter().flat_map(|p| p.2.clone()).collect();
                    assert_eq!(parse(r.ty, &body), Some(0), "frame {frame}: reassembled message");
                    let positions: Vec<u32> = parts.iter().map(|p| p.0).collect();
                    assert!(positions == [0] || positions == [2, 3, 1], "frame {frame}: {positions:?}");
                }
            }
            None => {
                if let Some(rest) = parse(r.ty, &r.payload) {
                    assert_eq!(rest, 0, "frame {frame}: type {} fully read", r.ty);
                }
            }
        }
    }
    assert_eq!((stun, obfuscated), (2, 1));
    assert_eq!(verified, 60, "every client/assignment-client packet is verified");
    let body = session::crowd().1;
    let crowd = AvatarIdentity::parse(&body).unwrap().0;
    assert_eq!(crowd.identities.len(), 51);
}

#[test]
fn connect_request_carries_the_signature_and_system_info() {
    let datagrams = session::session(&session::sample_params());
    let b = &datagrams[7].3;
    let r = read(b, is_sourced);
    assert_eq!((r.ty, r.version), (DOMAIN_CONNECT_REQUEST, 27));
    let c = ConnectRequest::parse(&r.payload).unwrap().0;
    assert_eq!(c.signature.bytes(), super::wire::SIGNATURE);
    assert_eq!(r.payload[16..20], [0, 0, 0, 0x10]);
    let z = c.system_info.bytes();
    let size = u32::from_be_bytes(z[..4].try_into().unwrap()) as usize;
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::ZlibDecoder::new(&z[4..]), &mut json).unwrap();
    assert_eq!((json.as_str(), size), (super::payloads::SYSTEM_INFO, json.len()));
    assert!(json.len() < 1000, "Interface drops system info over 1000 bytes");
    assert_eq!(c.check_in.public.host.protocol(), 0, "IPv4 is QHostAddress protocol 0");
}

fn buggy_frame(d: &[Datagram], frame: usize) -> &[u8] {
    &d[frame - 1].3
}

#[test]
fn buggy_client_makes_each_mistake_in_order() {
    let d = buggy::capture();
    assert_eq!(d.len(), 42);
    // 1: protocol byte 1 in front of 127.0.0.1:47505; the server reads the notes' IPv6 address.
    let f1 = buggy_frame(&d, 1);
    let seed =
        [0x01, 0x7f, 0, 0, 1, 0xb9, 0x91, 0x01, 0x01, 0x7f, 0, 0, 1, 0xb9, 0x91, 0, 0, 0, 0x03, b'W', b'M', b'o', 0];
    let at = f1.windows(seed.len()).position(|w| w == seed).expect("the notes' bytes");
    let v6 = std::net::Ipv6Addr::from(<[u8; 16]>::try_from(&f1[at + 1..at + 17]).unwrap());
    assert_eq!(v6.to_string(), "7f00:1:b991:101:7f00:1:b991:0");
    assert_eq!(u16::from_be_bytes([f1[at + 21], f1[at + 22]]), 28416, "the port after the odd scope length");
    // 2: the assigned ID is big-endian at payload 34.
    assert_eq!(buggy_frame(&d, 2)[6 + 34..6 + 36], [0x9b, 0x5c]);
    // 3: swapped source ID, valid HMAC.
    let r3 = read(buggy_frame(&d, 3), is_sourced);
    assert_eq!((r3.ty, r3.source, r3.seq), (AVATAR_DATA, Some(0x5c9b), 0));
    // 4: the 9-byte Ping.
    let r4 = read(buggy_frame(&d, 4), is_sourced);
    assert_eq!((r4.ty, r4.payload.len()), (PING, 9));
    // 5: a verified packet to the domain server, zero hash.
    let r5 = read(buggy_frame(&d, 5), is_sourced);
    assert_eq!((d[4].2, r5.ty, r5.hash), (session::DS, PING, Some([0; 16])));
    // 6: htonl'd reliable sequence 1.
    let f6 = buggy_frame(&d, 6);
    assert_eq!(f6[..4], [0x40, 0, 0, 1]);
    let r6 = read(f6, is_sourced);
    assert_eq!((r6.reliable, r6.seq, r6.ty), (false, 16_777_280, PATH_QUERY));
    // 7: DomainListRequest without source ID: 6-byte header, then the check-in.
    let f7 = buggy_frame(&d, 7);
    assert_eq!(f7[4..6], [DOMAIN_LIST_REQUEST, 23]);
    let ts = u64::from_be_bytes(f7[6..14].try_into().unwrap());
    assert_eq!(ts, super::net::usecs(d[6].0), "the check-in's timestamp right after the version");
    assert_eq!((f7[14], f7[16]), (b'I', 1), "owner type, then the same IPv6 protocol byte");
    // 8: hashed with the wrong secret.
    let r8 = read(buggy_frame(&d, 8), is_sourced);
    assert_eq!((r8.ty, d[7].2.port()), (PING, 48000));
    // 9: wrong version.
    let r9 = read(buggy_frame(&d, 9), is_sourced);
    assert_eq!((r9.ty, r9.version, version(AVATAR_QUERY)), (AVATAR_QUERY, 55, 22));
    // The client's silence: nothing from it between frame 9 and frame 28, over 20 s.
    let client = buggy::CLIENT;
    let from_client: Vec<i64> = d.iter().filter(|x| x.1 == client).map(|x| x.0).collect();
    let gap = from_client.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(gap > 20_000_000_000, "{gap} ns");
    assert_eq!(d[27].0 - d[8].0, 24_800_000_000);
    // 28-: fixed: LE sequence 1, protocol 0, the new ID little-endian.
    let f28 = buggy_frame(&d, 28);
    assert_eq!(f28[..4], [1, 0, 0, 0]);
    let c = ConnectRequest::parse(&f28[6..]).unwrap().0;
    assert_eq!(c.check_in.public.socket_addr(), Some("127.0.0.1:47505".parse().unwrap()));
    let r30 = read(buggy_frame(&d, 30), is_sourced);
    assert_eq!((r30.source, r30.payload.len()), (Some(buggy::ASSIGNED_AGAIN), 17));
}

#[test]
fn buggy_hashes_are_right_except_the_wrong_key() {
    let d = buggy::capture();
    let mut secrets = HashMap::new();
    let mut mismatched = Vec::new();
    for (i, (_, src, dst, b)) in d.iter().enumerate() {
        let r = read(b, |t| is_sourced(t) && !(i == 6 && t == DOMAIN_LIST_REQUEST));
        learn(&mut secrets, &r);
        let Some(hash) = r.hash else { continue };
        let peer = if *src == buggy::CLIENT { dst } else { src };
        match secrets.get(peer) {
            Some(key) if hmac_md5(key, &r.hashed) == hash => {}
            _ => mismatched.push(i + 1),
        }
    }
    assert_eq!(mismatched, [5, 8], "the zero hash to the domain server and the wrong key");
}

#[test]
fn bench_sessions_differ_per_client() {
    let a = super::overte_bench_session(0);
    let b = super::overte_bench_session(1);
    assert_eq!(a.len(), 94);
    assert_eq!(a.len(), b.len());
    assert_ne!(a[0].1, b[0].1);
    assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(b[0].0 - a[0].0, 1_000_000);
    // Different local IDs (DomainList payload 34-35) and secrets.
    let id = |s: &[(i64, std::net::SocketAddr, std::net::SocketAddr, Vec<u8>)]| s[8].3[40..42].to_vec();
    assert_ne!(id(&a), id(&b));
    assert_ne!(a[8].3, b[8].3);
    // Large indices stay inside their address blocks.
    let far = super::overte_bench_session(250_000);
    assert_eq!(far[0].1.ip(), std::net::IpAddr::from([10, 68, 0, 2]));
}

#[test]
fn fragments_lose_reorder_and_duplicate() {
    let d = super::fragments::capture();
    assert_eq!(d.len(), 27);
    let client = super::fragments::CLIENT;
    let mut secrets = HashMap::new();
    let mut reads = Vec::new();
    for (_, src, dst, b) in &d {
        if b[3] & 0x80 != 0 {
            reads.push(None);
            continue;
        }
        let r = read(b, is_sourced);
        learn(&mut secrets, &r);
        if let Some(hash) = r.hash {
            let peer = if *src == client { dst } else { src };
            assert_eq!(hmac_md5(&secrets[peer], &r.hashed), hash);
        }
        reads.push(Some(r));
    }
    let r = |frame: usize| reads[frame - 1].as_ref().unwrap();
    let seq_pos = |frame: usize| (r(frame).seq, r(frame).message.unwrap().0);
    // From the mixer: FIRST, LAST, then the MIDDLE retransmission.
    assert_eq!([seq_pos(5), seq_pos(7), seq_pos(9)], [(38_894_128, 2), (38_894_130, 1), (38_894_129, 3)]);
    let body: Vec<u8> = [5, 9, 7].iter().flat_map(|&f| r(f).payload.clone()).collect();
    let m = MessagesData::parse(&body).unwrap();
    assert_eq!((m.0.message.len(), m.1.len()), (3_400, 0));
    // ACKs: first loss − 1 until the hole is filled.
    let ack = |frame: usize| le32(&d[frame - 1].3, 4);
    assert_eq!([ack(6), ack(8), ack(10)], [38_894_128, 38_894_128, 38_894_130]);
    // From the client: the LAST part twice, identical.
    assert_eq!(d[13].3, d[15].3);
    assert_eq!(seq_pos(16), (3_344_834, 1));
    // The avatar mixer's unreliable stream: 5 missing, 7 twice.
    let seqs: Vec<u32> = (18..=27).filter(|&f| f != 22).map(|f| r(f).seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 6, 7, 8, 9, 7]);
    assert_eq!(d[23].3, d[26].3);
}
