//! `overte-world.pcapng`: what a client exchanges once it is in a domain, past the handshake
//! and the avatar and audio streams: the domain's settings, the avatar's traits, gains, the
//! space bubble, a username lookup, the audio mixer's environment and statistics, the asset
//! server (a mapping, a file's size and bytes, and two requests a home-made client gets wrong),
//! the entity server's first results and statistics, the entity script server, and a kick.

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddrV4};

use udpdissect_overte::payload::asset::{
    AssetGet, AssetGetInfo, AssetGetInfoReply, AssetGetReply, MappingOperation, MappingReply, MappingReplyBody,
    MappingRequest,
};
use udpdissect_overte::payload::codec::quuid_memory_to_rfc;
use udpdissect_overte::payload::domain::ListHeader;
use udpdissect_overte::payload::entity::{flags_encode, EditHeader, EntityEdit};
use udpdissect_overte::payload::mixer::{AudioEnvironment, PacketStats, StreamRecord, StreamRecords, StreamStats};
use udpdissect_overte::payload::moderation::{
    NodeKickRequest, PerAvatarGainSet, SetAvatarTraits, TraitRecord, UsernameFromIdReply, UsernameFromIdRequest,
};
use udpdissect_overte::payload::octree_stats::{OctreeStats, OctreeStatsPacket, Split};
use udpdissect_overte::payload::script::{GetStatus, GetStatusReply};
use udpdissect_overte::payload::types::*;

use super::net::{at, usecs, Datagram, Peer, Wire};
use super::payloads::*;
use super::session::{self, DS};

pub const CLIENT: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 168, 1, 23), 51822);
pub const CLIENT_MAC: [u8; 6] = [0x06, 0x14, 0x1e, 0x28, 0x01, 0x23];
pub const LOCAL_ID: u16 = 0x2f61;
const AUDIO: usize = 0;
const AVATAR: usize = 1;
const ENTITY: usize = 3;
const ASSET: usize = 4;
const SCRIPT: usize = 5;
/// `Assignment::Type` of Interface.
const AGENT: u8 = 2;

/// The avatar's skeleton model, and the FST file the asset server stores for it.
const SKELETON: &str = "https://cdn.example.org/avatars/fox/fox.fst";
const FST: &str = "name = fox\ntype = body+head\nscale = 1\nfilename = fox/fox.fbx\ntexdir = fox/textures\n\
                   joint = jointRoot = Hips\njoint = jointLean = Spine\njoint = jointHead = Head\n\
                   joint = jointLeftHand = LeftHand\njoint = jointRightHand = RightHand\n";
const SETTINGS: &str = r#"{"descriptors":{"description":"A quiet plaza by the sea","maturity":"everyone","capacity":40},"security":{"maximum_user_capacity":40},"audio_env":{"attenuation_per_doubling_in_distance":0.5}}"#;

/// The entity server's first EntityData (octree sequence 48): one compressed section holding
/// the root element and one Model entity, a birthday cake, encoded as Overte numbers its
/// properties in EntityData version 147 (the web SDK's captured Vircadia cake, re-encoded).
fn entity_data_48(sent: u64) -> Vec<u8> {
    use udpdissect_overte::payload::entity::bcc_encode;
    let mut rec = Vec::new();
    rec.extend_from_slice(&uuid(0xca4e));
    bcc_encode(4, &mut rec);
    let created = sent - 3_600_000_000;
    rec.extend_from_slice(&created.to_le_bytes());
    rec.extend_from_slice(&(sent - 60_000_000).to_le_bytes());
    bcc_encode(2, &mut rec);
    bcc_encode(2, &mut rec);
    // NAME, POSITION, DIMENSIONS, ROTATION, REGISTRATION_POINT, CREATED, LAST_EDITED_BY,
    // QUERY_AA_CUBE, CAN_CAST_SHADOW, TAGS, GRAB_GRABBABLE, DENSITY, LIFETIME, then the Model's
    // SHAPE_TYPE, COLOR, MODEL_URL, MODEL_SCALE, USE_ORIGINAL_PIVOT, ANIMATION_FPS, ANIMATION_LOOP.
    rec.extend(flags_encode(&[6, 12, 13, 14, 15, 16, 17, 20, 21, 28, 29, 44, 53, 73, 75, 85, 86, 94, 97, 100]));
    let floats = |v: &mut Vec<u8>, f: &[f32]| f.iter().for_each(|x| v.extend_from_slice(&x.to_le_bytes()));
    text16(&mut rec, "birthday cake");
    floats(&mut rec, &[0.75, -12.45, 2.885]);
    floats(&mut rec, &[0.3571, 0.1444, 0.3566]);
    // The identity rotation, packed.
    rec.extend_from_slice(&[0xff, 0x7f, 0xff, 0x7f, 0xff, 0x7f, 0xff, 0xff]);
    floats(&mut rec, &[0.5, 0.5, 0.5]);
    rec.extend_from_slice(&created.to_le_bytes());
    rec.extend_from_slice(&16u16.to_le_bytes());
    rec.extend_from_slice(&uuid(0x3a10));
    floats(&mut rec, &[0.5, -12.75, 2.6, 0.5]);
    rec.push(1);
    // One tag.
    rec.extend_from_slice(&1u16.to_le_bytes());
    text16(&mut rec, "party");
    rec.push(1);
    floats(&mut rec, &[1000.0, -1.0]);
    // ShapeType NONE, in one byte as every enumeration from version 145.
    rec.push(0);
    rec.extend_from_slice(&[255, 255, 255]);
    text16(&mut rec, "https://cdn.example.org/models/birthday_cake.glb");
    floats(&mut rec, &[1.0, 1.0, 1.0]);
    rec.push(1);
    floats(&mut rec, &[30.0]);
    rec.push(1);
    // The root element: its octal code, no children, then its entities.
    let mut section = vec![0x00, 0x00, 0x33, 0x00];
    section.extend_from_slice(&1u16.to_le_bytes());
    section.extend_from_slice(&rec);
    // qCompress: the size (u32 BE), then zlib.
    let mut z = (section.len() as u32).to_be_bytes().to_vec();
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &section).expect("in memory");
    z.extend(enc.finish().expect("in memory"));
    let mut p = vec![0xc0];
    p.extend_from_slice(&48u16.to_le_bytes());
    p.extend_from_slice(&sent.to_le_bytes());
    p.extend_from_slice(&(z.len() as u16).to_le_bytes());
    p.extend(z);
    p
}

/// The hash the asset server names [`FST`] by: a fixed stand-in for its SHA-256, which nothing
/// here checks (the dissector shows hashes, it does not recompute them).
fn fst_hash() -> [u8; 32] {
    let mut h = [0u8; 32];
    h[..16].copy_from_slice(&uuid(0x0f57_0001));
    h[16..].copy_from_slice(&uuid(0x0f57_0002));
    h
}

fn lower_hex(b: &[u8]) -> Vec<u8> {
    let mut s = String::new();
    udpdissect_core::digits::push_hex(&mut s, b);
    s.into_bytes()
}

/// One mixer-side stream record: the client's microphone stream as the audio mixer sees it.
fn mic_stream(id: [u8; 16]) -> StreamRecord {
    StreamRecord {
        stream_type: 0,
        stream_id_raw: id,
        time_gap_min: 9_870,
        time_gap_max: 31_204,
        time_gap_avg: 10_012.5,
        time_gap_window_min: 9_950,
        time_gap_window_max: 12_877,
        time_gap_window_avg: 10_004.0,
        frames_available: 3,
        frames_available_avg: 2,
        unplayed_ms: 30,
        desired_jitter_frames: 2,
        starve_count: 1,
        consecutive_not_mixed: 0,
        overflow_count: 0,
        frames_dropped: 2,
        packets: PacketStats { expected_received: 98, lost: 2, ..PacketStats::default() },
        packets_window: PacketStats { expected_received: 98, lost: 2, ..PacketStats::default() },
        ..StreamRecord::default()
    }
}

pub fn capture() -> Vec<Datagram> {
    let p = session::sample_params();
    let c = CLIENT;
    let mut w = Wire::default();
    let mut nodes = session::mixers(&p);
    nodes.truncate(6);
    for (k, node) in nodes.iter_mut().enumerate() {
        node.secret = uuid(0x3a11 ^ k as u64);
    }
    let me = uuid(0x3a10);
    let to_ds = Peer { addr: c, local_id: LOCAL_ID, secret: None };
    let ds = Peer { addr: DS, local_id: p.ds_local_id, secret: None };
    let to = |k: usize| Peer { addr: c, local_id: LOCAL_ID, secret: Some(nodes[k].secret) };
    let from = |k: usize| Peer { addr: nodes[k].public, local_id: nodes[k].local_id, secret: Some(nodes[k].secret) };
    let addr = |k: usize| nodes[k].public;
    let crowd = session::crowd().0;

    // 1-2: connect, so that the secrets and node types are known.
    let t1 = at(0, 0);
    let request = connect_request([0; 16], "2C:F0:5D:3A:91:D1", uuid(0x3a0f), check_in(usecs(t1), c, c, b"MWoAmS"));
    w.send(t1, to_ds, DS, DOMAIN_CONNECT_REQUEST, &emit(|v| request.emit(v)));
    let t2 = at(0, 41_370);
    let header = ListHeader {
        session_uuid: session::domain_id(),
        domain_local_id: p.ds_local_id,
        your_uuid: me,
        your_local_id: LOCAL_ID,
        permissions: 0x0000_0bff,
        authenticate: 1,
        last_check_in: usecs(t1),
        server_time: usecs(t2) - 19_800,
        processing_time: 377,
        new_connection: 1,
    };
    let all: Vec<_> = nodes.iter().collect();
    w.send(t2, ds, c, DOMAIN_LIST, &domain_list(header, &all));

    // 3-7: the domain's settings, a reliable message from the domain server.
    w.send(at(0, 100_000), to_ds, DS, DOMAIN_SETTINGS_REQUEST, &[AGENT]);
    w.handshake(at(0, 130_000), at(0, 130_090), DS, c, 1_904_117);
    let seqs = w.message(&[at(0, 131_000)], ds, c, DOMAIN_SETTINGS, SETTINGS.as_bytes(), &[]);
    w.ack(at(0, 131_090), c, DS, seqs[0]);

    // 8-11: the avatar's traits to the avatar mixer: its skeleton and one avatar entity.
    w.handshake(at(0, 200_000), at(0, 231_400), c, addr(AVATAR), 5_017_733);
    let traits = SetAvatarTraits {
        version: Some(1),
        traits: vec![
            TraitRecord {
                trait_type: 0,
                version: None,
                instance: None,
                size: SKELETON.len() as i16,
                data: Cow::Borrowed(SKELETON.as_bytes()),
            },
            TraitRecord {
                trait_type: 2,
                version: None,
                instance: Some(uuid(0x3a20)),
                size: 24,
                data: Cow::Owned(noise(0x3a21, 24)),
            },
        ],
    };
    let seqs =
        w.message(&[at(0, 231_500)], to(AVATAR), addr(AVATAR), SET_AVATAR_TRAITS, &emit(|v| traits.emit(v)), &[]);
    w.ack(at(0, 262_800), addr(AVATAR), c, seqs[0]);

    // 12-14: gains and the space bubble.
    let master = PerAvatarGainSet { node: [0; 16], packed: 183 };
    w.send(at(0, 300_000), to(AUDIO), addr(AUDIO), PER_AVATAR_GAIN_SET, &emit(|v| master.emit(v)));
    let louder = PerAvatarGainSet { node: crowd[3], packed: 201 };
    w.send(at(0, 300_400), to(AUDIO), addr(AUDIO), PER_AVATAR_GAIN_SET, &emit(|v| louder.emit(v)));
    w.send(at(0, 301_000), to(AVATAR), addr(AVATAR), RADIUS_IGNORE_REQUEST, &[1]);

    // 15-16: who is that avatar?
    let ask = UsernameFromIdRequest { node: crowd[3] };
    w.send(at(0, 400_000), to_ds, DS, USERNAME_FROM_ID_REQUEST, &emit(|v| ask.emit(v)));
    let answer = UsernameFromIdReply {
        node: crowd[3],
        username: Cow::Borrowed(b"kestrel_9"),
        fingerprint: [0; 16],
        is_admin: 0,
    };
    w.send(at(0, 431_200), ds, c, USERNAME_FROM_ID_REPLY, &emit(|v| answer.emit(v)));

    // 17: the audio mixer's environment (reverb of the zone the avatar stands in).
    let env = AudioEnvironment { flags: 0x80, reverb: Some((1.2, 0.35)) };
    w.send(at(0, 500_000), from(AUDIO), c, AUDIO_ENVIRONMENT, &emit(|v| env.emit(v)));

    // 18-31: the asset server. A mapping, the file's size, the file; then a hash sent as hex
    // text (the server drops the request: no reply) and a range the server rejects.
    w.handshake(at(0, 600_000), at(0, 631_000), c, addr(ASSET), 7_700_021);
    w.handshake(at(0, 631_500), at(0, 662_000), addr(ASSET), c, 2_310_448);
    let hash = fst_hash();
    let get_mapping = MappingOperation {
        message_id: 1,
        request: MappingRequest::Get { path: Cow::Borrowed(b"/avatars/fox/fox.fst") },
    };
    w.reliable(at(0, 662_100), to(ASSET), addr(ASSET), ASSET_MAPPING_OPERATION, &emit(|v| get_mapping.emit(v)));
    let mapped = MappingReply {
        message_id: 1,
        error: 0,
        body: MappingReplyBody::Get { hash, redirected: 0, redirect_path: None },
    };
    let seqs =
        w.message(&[at(0, 693_300)], from(ASSET), c, ASSET_MAPPING_OPERATION_REPLY, &emit(|v| mapped.emit(v)), &[]);
    w.ack(at(0, 693_400), c, addr(ASSET), seqs[0]);
    let info = AssetGetInfo { message_id: 2, hash };
    w.reliable(at(0, 693_500), to(ASSET), addr(ASSET), ASSET_GET_INFO, &emit(|v| info.emit(v)));
    let size = AssetGetInfoReply { message_id: 2, hash, error: 0, size: Some(FST.len() as i64) };
    let seqs = w.message(&[at(0, 724_700)], from(ASSET), c, ASSET_GET_INFO_REPLY, &emit(|v| size.emit(v)), &[]);
    w.ack(at(0, 724_800), c, addr(ASSET), seqs[0]);
    let get = AssetGet { message_id: 3, hash, start: 0, end: 0 };
    w.reliable(at(0, 724_900), to(ASSET), addr(ASSET), ASSET_GET, &emit(|v| get.emit(v)));
    let file =
        AssetGetReply { hash, message_id: 3, error: 0, data: Some((FST.len() as i64, Cow::Borrowed(FST.as_bytes()))) };
    let seqs = w.message(&[at(0, 756_100)], from(ASSET), c, ASSET_GET_REPLY, &emit(|v| file.emit(v)), &[]);
    w.ack(at(0, 756_200), c, addr(ASSET), seqs[0]);
    // The hash as the hex of an `atp:` URL instead of its 32 bytes (84 bytes): the server takes
    // the first 32 characters for the hash and finds no such asset.
    let text = lower_hex(&hash);
    let mut as_hex = 4u32.to_le_bytes().to_vec();
    as_hex.extend_from_slice(&text);
    as_hex.extend_from_slice(&0i64.to_le_bytes());
    as_hex.extend_from_slice(&0i64.to_le_bytes());
    w.reliable(at(0, 800_000), to(ASSET), addr(ASSET), ASSET_GET, &as_hex);
    let mut misread = [0u8; 32];
    misread.copy_from_slice(&text[..32]);
    let not_found = AssetGetReply { hash: misread, message_id: 4, error: 1, data: None };
    let seqs = w.message(&[at(0, 831_200)], from(ASSET), c, ASSET_GET_REPLY, &emit(|v| not_found.emit(v)), &[]);
    w.ack(at(0, 831_300), c, addr(ASSET), seqs[0]);
    // A range whose end is before its start: InvalidByteRange, no data.
    let backwards = AssetGet { message_id: 5, hash, start: 100, end: 50 };
    w.reliable(at(0, 850_000), to(ASSET), addr(ASSET), ASSET_GET, &emit(|v| backwards.emit(v)));
    let refused = AssetGetReply { hash, message_id: 5, error: 2, data: None };
    let seqs = w.message(&[at(0, 881_300)], from(ASSET), c, ASSET_GET_REPLY, &emit(|v| refused.emit(v)), &[]);
    w.ack(at(0, 881_400), c, addr(ASSET), seqs[0]);

    // 32-35: the audio mixer's statistics of the client's microphone stream, and the client's
    // of the mixed stream it receives.
    let stats = |id, lost| StreamStats {
        append_flag: 3,
        count: 1,
        records: StreamRecords::Decoded(vec![StreamRecord {
            packets: PacketStats { expected_received: 100, lost, ..PacketStats::default() },
            ..mic_stream(id)
        }]),
    };
    // The stream's UUID as a QUuid sits in memory: its first three groups little-endian.
    let in_memory = quuid_memory_to_rfc(&uuid(0x3a30));
    w.send(at(1, 0), from(AUDIO), c, AUDIO_STREAM_STATS, &emit(|v| stats(in_memory, 2).emit(v)));
    w.send(at(1, 1_200), to(AUDIO), addr(AUDIO), AUDIO_STREAM_STATS, &emit(|v| stats([0; 16], 0).emit(v)));

    // The entity script server: is the plaza's fountain script running?
    let status = GetStatus { message_id: 1, entity_id: uuid(0x3a40) };
    w.send(at(1, 100_000), to(SCRIPT), addr(SCRIPT), ENTITY_SCRIPT_GET_STATUS, &emit(|v| status.emit(v)));
    let running = GetStatusReply { message_id: 1, is_known: 1, details: Some((4, Cow::Borrowed(b""))) };
    w.send(at(1, 131_500), from(SCRIPT), c, ENTITY_SCRIPT_GET_STATUS_REPLY, &emit(|v| running.emit(v)));

    // The entity server: the client's query, the first results, a NACK for the sequence number
    // before them, and the end of the initial results (the sequence number after theirs).
    let mut query = 0x2f61u16.to_le_bytes().to_vec();
    query.extend_from_slice(&avatar_query(3.0, -4.0));
    query.extend_from_slice(&600i32.to_le_bytes());
    query.extend_from_slice(&13_107_200.0f32.to_le_bytes());
    query.extend_from_slice(&0i32.to_le_bytes());
    query.extend_from_slice(&[0, 0, 0, 0]);
    w.send(at(1, 200_000), to(ENTITY), addr(ENTITY), ENTITY_QUERY, &query);
    w.send(at(1, 262_400), from(ENTITY), c, ENTITY_DATA, &entity_data_48(usecs(at(1, 262_300))));
    // The scene statistics of that pass, sent alone (the data packet did not fit beside them).
    let sent = usecs(at(1, 262_400));
    let stats = OctreeStatsPacket {
        stats: OctreeStats {
            start: sent - 41_200,
            end: sent - 120,
            elapsed: 41_080,
            encode_time: 2_310,
            is_full_scene: 1,
            packets: 1,
            bytes: 295,
            elements: Split { internal: 1, leaves: 1 },
            traversed: Split { internal: 1, leaves: 1 },
            color_sent: Split { internal: 0, leaves: 1 },
            ..OctreeStats::default()
        },
        piggyback: None,
    };
    w.send(at(1, 262_500), from(ENTITY), c, OCTREE_STATS, &emit(|v| stats.emit(v)));
    w.send(at(1, 262_600), to(ENTITY), addr(ENTITY), OCTREE_DATA_NACK, &47u16.to_le_bytes());
    w.send(at(1, 263_000), from(ENTITY), c, ENTITY_QUERY_INITIAL_RESULTS_COMPLETE, &49u16.to_le_bytes());

    // A kick with ban flags and four bytes more: the domain server reads the flags only from a
    // payload of exactly 20 bytes, so it bans by its default instead.
    let kick = NodeKickRequest { node: crowd[7], ban_flags: Some(4) };
    let mut kick = emit(|v| kick.emit(v));
    kick.extend_from_slice(&[0; 4]);
    w.send(at(1, 500_000), to_ds, DS, NODE_KICK_REQUEST, &kick);

    // 47-48: the client's own entities. It adds a box, then sends one EntityEdit batching two
    // edits: the cake moved, and the box recolored, whose flags also announce
    // PROP_ENTITY_HOST_TYPE, which is never sent, with a byte written for it.
    let crate_id = uuid(0xb0c5);
    let t = at(1, 600_000);
    let mut values = Vec::new();
    text16(&mut values, "crate");
    for x in [1.0f32, -12.2, 2.5, 0.5, 0.5, 0.5] {
        values.extend_from_slice(&x.to_le_bytes());
    }
    values.extend_from_slice(&[200, 120, 40]);
    values.extend_from_slice(&1f32.to_le_bytes());
    // EntityShape 5, the cube, in one byte.
    values.push(5);
    let mut add = emit(|v| EditHeader { sequence: 0, sent_time: usecs(t) }.emit(v));
    add.extend(edit_message(usecs(t), crate_id, 1, &[6, 12, 13, 75, 76, 85], values));
    w.send(t, to(ENTITY), addr(ENTITY), ENTITY_ADD, &add);
    let t = at(1, 700_000);
    let mut edit = emit(|v| EditHeader { sequence: 1, sent_time: usecs(t) }.emit(v));
    let moved = [0.75f32, -12.45, 3.0].iter().flat_map(|x| x.to_le_bytes()).collect();
    edit.extend(edit_message(usecs(t), uuid(0xca4e), 4, &[12], moved));
    edit.extend(edit_message(usecs(t), crate_id, 1, &[18, 75], vec![0, 40, 120, 200]));
    w.send(t, to(ENTITY), addr(ENTITY), ENTITY_EDIT, &edit);
    w.sorted()
}

/// An entity property's text: u16 LE length, then UTF-8.
fn text16(v: &mut Vec<u8>, t: &str) {
    v.extend_from_slice(&(t.len() as u16).to_le_bytes());
    v.extend_from_slice(t.as_bytes());
}

/// One edit message as `EntityItemProperties::encodeEntityEditPacket` writes it: the root
/// cube's octal code (`01 00`), last edited, ID, type, update delta 0, flags, values.
fn edit_message(edited: u64, id: [u8; 16], ty: u64, flags: &[u32], values: Vec<u8>) -> Vec<u8> {
    let e = EntityEdit {
        header: EditHeader { sequence: 0, sent_time: 0 },
        octal_code: Cow::Borrowed(&[1, 0]),
        last_edited: edited,
        id,
        entity_type: ty,
        update_delta: 0,
        property_flags: Cow::Owned(flags_encode(flags)),
        properties: Cow::Owned(values),
    };
    // Without the packet's header (sequence and send time, 10 bytes).
    emit(|v| e.emit(v)).split_off(10)
}
