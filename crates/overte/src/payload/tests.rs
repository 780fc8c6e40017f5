//! Payload decoders against the reference's byte vectors (`protocols/overte.md` §5, §8) and
//! the findings the user's notes would trigger.

use std::net::SocketAddr;

use udpdissect_core::{Dissection, FieldInfo, Severity, Value};

use super::*;

pub(super) use udpdissect_core::testing::hex;

pub(super) fn run_mode(t: u8, payload: &[u8], tree: bool) -> (Dissection, Learned, Decoded) {
    let mut d = Dissection::new(tree);
    let mut l = Learned::default();
    let cx = PayloadCx { packet_type: t, version: 0, reassembled: false, ends: (None, None) };
    let r = dissect(&cx, payload, &mut d, &mut l);
    (d, l, r)
}

fn run(t: u8, payload: &[u8]) -> (Dissection, Learned, Decoded) {
    run_mode(t, payload, true)
}

/// The tree of one payload and how far it decoded.
pub(super) fn decode(t: u8, payload: &[u8]) -> (Dissection, Decoded) {
    let (d, _, r) = run_mode(t, payload, true);
    (d, r)
}

/// Every prefix of a payload decodes, with a tree and without, and never panics.
pub(super) fn every_prefix(t: u8, payload: &[u8]) {
    for n in 0..payload.len() {
        run_mode(t, &payload[..n], true);
        run_mode(t, &payload[..n], false);
    }
}

pub(super) fn val<'a>(d: &'a Dissection, key: &'a str) -> &'a Value {
    &d.values(key).next().unwrap_or_else(|| panic!("no field {key}")).value
}

fn vals<'a>(d: &'a Dissection, key: &'a str) -> Vec<&'a Value> {
    d.values(key).map(|f| &f.value).collect()
}

pub(super) fn s(v: &str) -> Value {
    Value::String(v.to_string().into())
}

pub(super) fn tags(d: &Dissection) -> Vec<&'static str> {
    d.experts().iter().map(|e| e.tag()).collect()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub(super) const DOMAIN_LIST: &str = "\
         030000000218a3eda01ec4de456dbf07858a26c5a648d918a0bf3247e1dd4f2293d2090edd56e385209500000bff010005cb\
         1c31c626330005cb1c31c633ec000000000000025f00530ea4097df21e49f69c91691cbce65b7301002bf9c737fceb0100c0\
         a8086efceb00000f9f0079df8d77ceed1bb84d4a9d7c1a6b6b0ccad9574d3a734f75be4c5d8ee7677fb3e2f70c01002bf9c7\
         37fce50100c0a8086efce500000f9f007fcec992d04d7b484d29b329a18339c94d9f4de50cb739a5504e74a951f706fd284a\
         bd01002bf9c737fce60100c0a8086efce600000f9f002684ea136d7b4ea344048639a16a45d5d0166f421045d34640437685\
         f00e5bd8e9251601002bf9c737fce90100c0a8086efce900000f9f00cd3a958f5bafe09d49219e2588d27a787476418d1c00\
         8f837f4cb480e569f180a7cdd001002bf9c737fce70100c0a8086efce700000f9f00d32985acbc1570154664b33c3702ebed\
         e2716dd794d6149d95412ba476bc6dd160c6b701002bf9c737fce80100c0a8086efce800000f9f002c7375d1b8ed522f4fad\
         a1f047cd1b1194bc";

#[test]
fn real_domain_list_parses_completely() {
    let datagram = hex(DOMAIN_LIST);
    assert_eq!(datagram.len(), 408);
    let payload = &datagram[6..];
    let (d, l, r) = run(types::DOMAIN_LIST, payload);
    assert_eq!(r, Decoded::Full);
    assert!(d.experts().is_empty(), "{:?}", d.experts());
    assert_eq!(val(&d, "overte.domain_list.domain_local_id"), &Value::Unsigned(0xd918));
    assert_eq!(val(&d, "overte.domain_list.your_local_id"), &Value::Unsigned(8341));
    assert_eq!(val(&d, "overte.domain_list.permissions"), &Value::Unsigned(0xbff));
    assert_eq!(val(&d, "overte.domain_list.authenticate"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.domain_list.new_connection"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.domain_list.node_count"), &Value::Unsigned(6));
    assert_eq!(d.info, " your ID 8341, 6 nodes");
    let h = l.domain_list.unwrap();
    assert_eq!((h.domain_local_id, h.your_local_id, h.permissions), (0xd918, 0x2095, 0xbff));
    assert!(h.authenticate && !h.new_connection);
    let types: Vec<u8> = l.nodes.iter().map(|n| n.node_type).collect();
    assert_eq!(types, b"SWMoAm");
    let ports: Vec<u16> = l.nodes.iter().map(|n| n.public.unwrap().port()).collect();
    assert_eq!(ports, [64747, 64741, 64742, 64745, 64743, 64744]);
    for n in &l.nodes {
        assert_eq!(n.public.unwrap().ip().to_string(), "43.249.199.55");
        assert_eq!(n.local.unwrap().ip().to_string(), "192.168.8.110");
        assert_eq!(n.permissions, 0xf9f);
        assert!(n.secret.is_some());
    }
    assert_eq!(l.nodes[0].uuid[..4], [0x0e, 0xa4, 0x09, 0x7d]);
    assert_eq!(l.nodes[5].secret.unwrap()[14..], [0x94, 0xbc]);
    let pub_sock = vals(&d, "overte.node.public_socket");
    assert_eq!(pub_sock[0], &Value::SocketAddr(sa("43.249.199.55:64747")));
    // The repr reads the same and writes the same bytes back.
    let (list, rest) = domain::DomainList::parse(payload).unwrap();
    assert!(rest.is_empty());
    assert_eq!(list.nodes.len(), 6);
    let mut out = Vec::new();
    list.emit(&mut out);
    assert_eq!(out, payload);
}

#[test]
fn summary_mode_fills_learned_without_fields() {
    let datagram = hex(DOMAIN_LIST);
    let (tree, lt, _) = run(types::DOMAIN_LIST, &datagram[6..]);
    let (summary, ls, r) = run_mode(types::DOMAIN_LIST, &datagram[6..], false);
    assert_eq!(r, Decoded::Full);
    assert!(summary.fields().is_empty());
    assert_eq!(ls, lt);
    assert_eq!(summary.info, tree.info);
}

#[test]
fn added_node_vector() {
    let p = hex("4dfb651249d9114b589d7686ed4f6dfc0901006715af042ebd0100c0a8086ee71100000f9f0015af983e5546c17542d2b838aa04fa72e915");
    let (d, l, r) = run(types::ADDED_NODE, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " AudioMixer 103.21.175.4:11965 ID 5551");
    let n = l.nodes[0];
    assert_eq!(n.node_type, b'M');
    assert_eq!(n.public, Some(sa("103.21.175.4:11965")));
    assert_eq!(n.local, Some(sa("192.168.8.110:59153")));
    assert_eq!((n.permissions, n.local_id), (3999, 5551));
    assert_eq!(n.secret.unwrap(), hex("983e5546c17542d2b838aa04fa72e915")[..]);
    assert_eq!(val(&d, "overte.node.type"), &Value::Enum { value: 0x4d, name: Some("AudioMixer") });
    assert_eq!(val(&d, "overte.node.replicated"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.addr.protocol"), &Value::Enum { value: 0, name: Some("IPv4") });
    assert_eq!(val(&d, "overte.permission_names"), &s("canConnectToDomain|canAdjustLocks|canRezPermanentEntities|canRezTemporaryEntities|canWriteToAssetServer|canReplaceDomainContent|canRezPermanentCertifiedEntities|canRezTemporaryCertifiedEntities|canGetAndSetPrivateUserData|canRezAvatarEntities"));
}

#[test]
fn removed_node_and_connection_token() {
    let datagram = hex("4a619e443816bcd3d2ad043a4338bca43d664b9e57f0");
    let (d, l, r) = run(types::REMOVED_NODE, &datagram[6..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(l.removed.unwrap(), hex("bcd3d2ad043a4338bca43d664b9e57f0")[..]);
    assert_eq!(d.info, " bcd3d2ad-043a-4338-bca4-3d664b9e57f0");
    let p = hex("3ca423fd0f7a4d0582979d73d007773f");
    let (d, _, r) = run(types::CONNECTION_TOKEN, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.connection_token.token"), &Value::Uuid(p[..].try_into().unwrap()));
}

#[test]
fn connection_denied_vector() {
    let datagram = hex("070000001013012f0050726f746f636f6c2076657273696f6e206d69736d61746368202d20446f6d61696e2076657273696f6e3a206465760000");
    let (d, l, r) = run(types::DOMAIN_CONNECTION_DENIED, &datagram[6..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(l.denied_reason, Some(1));
    assert_eq!(d.info, " ProtocolMismatch");
    assert_eq!(val(&d, "overte.denied.message"), &s("Protocol version mismatch - Domain version: dev"));
    assert_eq!(val(&d, "overte.denied.extra_info"), &s(""));
}

#[test]
fn path_query_and_response_vectors() {
    let datagram = hex("00000040131609002f736f6d6570617468");
    let (d, _, r) = run(types::PATH_QUERY, &datagram[6..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.path_query.path"), &s("/somepath"));
    let (d, _, _) = run(types::PATH_RESPONSE, &hex("01002f09002f302e352c312c3130"));
    assert_eq!(val(&d, "overte.path_response.path"), &s("/"));
    assert_eq!(val(&d, "overte.path_response.viewpoint"), &s("/0.5,1,10"));
    let p = hex("0a002f736f6d65776865726530002f392e39363039352c2d302e303339353837312c362e303538312f302c302e3436313135382c302c302e383837333138");
    let (d, _, r) = run(types::PATH_RESPONSE, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " /somewhere -> /9.96095,-0.0395871,6.0581/0,0.461158,0,0.887318");
}

#[test]
fn ping_vectors() {
    let datagram = hex("00000000031200000000000000000000000000000000000002769cc3694acb05000500000000000000");
    let (d, _, r) = run(types::PING, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert!(d.experts().is_empty());
    assert_eq!(val(&d, "overte.ping.type"), &Value::Enum { value: 2, name: Some("Public") });
    assert_eq!(val(&d, "overte.ping.timestamp"), &Value::Unsigned(1630895345998966));
    assert_eq!(val(&d, "overte.ping.connection_id"), &Value::Signed(5));
    // Real C++ Ping (HMAC'd header stripped by the caller).
    let real = hex("02000000031266e9338a15d4247f025544b21dd91c6f5f7602500031d15ecb05000000000000000000");
    let (d, _, _) = run(types::PING, &real[24..]);
    assert_eq!(val(&d, "overte.ping.connection_id"), &Value::Signed(0));
    assert_eq!(d.info, " Public");
    let reply = ping::PingReply { ping_type: 1, timestamp: 10, reply_timestamp: 20 };
    let mut b = Vec::new();
    reply.emit(&mut b);
    let (d, _, r) = run(types::PING_REPLY, &b);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.ping.reply_timestamp"), &Value::Unsigned(20));
}

#[test]
fn seed_nine_byte_ping_is_explained() {
    // The notes' layout: u64 timestamp then u8 ping type.
    let mut p = 1_700_000_000_000_000u64.to_le_bytes().to_vec();
    p.push(0);
    let (d, _, r) = run(types::PING, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    let e = &d.experts()[0];
    assert_eq!(e.severity(), Severity::Warn);
    assert!(e.message.contains("9 bytes is a u64 timestamp + u8 ping type"), "{}", e.message);
    // The receiver's ping type is the timestamp's low byte.
    assert_eq!(val(&d, "overte.ping.type").as_i128(), Some(p[0] as i128));
}

#[test]
fn audio_vectors() {
    let datagram = hex("030000004116762365a1595902bd988de6429deea29c0816040000006f707573");
    let (d, _, r) = run(types::SELECTED_AUDIO_FORMAT, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.codec"), &s("opus"));
    // Silent frame from the mixer: u32 sample count.
    let datagram = hex("b90200000c188d32cdc72b0d8626d38a1f4943393e8f3a759602040000006f707573e0010000");
    let (d, _, r) = run(types::SILENT_AUDIO_FRAME, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.sequence"), &Value::Unsigned(0x0296));
    assert_eq!(val(&d, "overte.audio.silent_samples"), &Value::Unsigned(480));
    assert_eq!(d.info, " seq 662 opus");
    // Silent frame from a client: u16 samples + positional data.
    let datagram = hex("000000000c180000000000000000000000000000000000001700040000006f707573f0009a99993f9a9959403333b340cdcc4c3e9a99993e0000003fcdcccc3d0000c84200004843000096430000003f0000003f00000040");
    let (d, _, r) = run(types::SILENT_AUDIO_FRAME, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.silent_samples"), &Value::Unsigned(240));
    assert_eq!(val(&d, "overte.audio.position"), &s("1.2, 3.4, 5.6"));
    assert_eq!(val(&d, "overte.audio.bbox_scale"), &s("0.5, 0.5, 2"));
    let datagram = hex("0000000009180000000000000000000000000000000000001700040000006f707573009a99993f9a9959403333b340cdcc4c3e9a99993e0000003fcdcccc3d0000c84200004843000096430000003f0000003f0000004001020304");
    let (d, _, r) = run(types::MIC_NO_ECHO, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.stereo"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.audio.orientation"), &s("0.2, 0.3, 0.5, 0.1"));
    let data = d.values("overte.audio.data").next().unwrap();
    assert_eq!((data.offset, data.len), (63, 4));
    let mixed = hex("4c02000008184bd416e23467a9c1681d77d7529c606c16fd3202040000006f707573d478b652dce3a3c3");
    let (d, _, r) = run(types::MIXED_AUDIO, &mixed[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.sequence"), &Value::Unsigned(562));
    assert_eq!(d.values("overte.audio.data").next().unwrap().len, 8);
}

#[test]
fn avatar_data_vectors() {
    let datagram = hex("000000000636000000000000000000000000000000000000d4070100000060400000e040000080bf");
    let (d, _, r) = run(types::AVATAR_DATA, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.avatar.sequence"), &Value::Unsigned(2004));
    assert_eq!(val(&d, "overte.avatar.position"), &s("3.5, 7, -1"));
    assert_eq!(d.info, " seq 2004");
    let datagram =
        hex("000000000636000000000000000000000000000000000000c1000d009a9999bfc3f5a83f33338b41bfff3fff10cb4e12");
    let (d, _, r) = run(types::AVATAR_DATA, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.avatar.flags"), &Value::Unsigned(0x0d));
    assert_eq!(val(&d, "overte.avatar.scale"), &Value::Unsigned(0x124e));
}

const BULK_TWO: &str = "\
         000000000b360000000000000000000000000000000000008e3751e4adc942ada25d9091c1a531861130ec4a90c0aa49793f\
         5d63ad408c8b96bf41c9d33f229d5a41451ce7ffffffffffff1fbffdbf5c3f4c3f55b93e42e73addc4d342df3f76bcfb38a0\
         4eb3c46b39d9501ca4593b79c246bf8c3f76c43ec0673f90c33ec1413fc4162eecdb16410085c715390c3d820c6a325a3e26\
         06773e5e38ac08164ee02d650a735c0e233b10366b3b0bea9b94641d368a082e4c892deb0b785b1d268f0e6e643722820c20\
         60d23d98064645ca36a3078d52363511085655bf36b608e257192ae01a0339b3287b1e443b0734ec1e3342305275210e4dc5\
         38d506ff499d2fbf0a3a5aac268f0e0d663126190dc165cd19de7041133736467b863b533eda772c34c73ef06e543b7c3c06\
         6f114fec44946f275d094b116c246c7d540271f565d740396d5850a446f26c205f354d2d68f46d8651896beb6aab3ba06f01\
         435044566e37592946d16cf960fb45116c26621450d05e5d426657cd60c240084d0a6073444c2f2e5ceb4f553f916e2d4bef\
         465d6cb45f094d906ac76aff4e156b1d6aa9be5bc334416ec259c47f4187bfe4cdeb40dfbfe1cd7340e6c259c47f41870400\
         0000000000000055bac94217040040c6ff45030000000000000000fbffffffffffffff1f5ea4674e121e47dd9016bcefecc9\
         f31211308cf892bf7e2f7d3f61b65b41276f8dc03e14c73f0897ae4045000020000000f000002dc406ad57f67c20c89544fc\
         7aedc0913b2c78c9b97634da78eebadc3327040000000000000000366ec94262ff0040c6ff45030000000000000000fbffff\
         ffffffffff1f";

#[test]
fn bulk_avatar_data_vectors() {
    let p = hex("6953b53928d94bf89d575f80b8cd953c21000000803f0000004000004040a4");
    let (d, _, r) = run(types::BULK_AVATAR_DATA, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.avatar.position"), &s("1, 2, 3"));
    assert_eq!(val(&d, "overte.avatar.audio_loudness"), &Value::Unsigned(0xa4));
    let datagram = hex(BULK_TWO);
    let (d, _, r) = run(types::BULK_AVATAR_DATA, &datagram[24..]);
    assert_eq!(r, Decoded::Full, "{:?}", d.experts());
    let ids = vals(&d, "overte.avatar.session_uuid");
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[1], &Value::Uuid(hex("5ea4674e121e47dd9016bcefecc9f312").try_into().unwrap()));
    assert_eq!(d.info, " 2 avatars");
}

#[test]
fn avatar_identity_vectors() {
    let p = hex("7d980fa83d7d43b5808c9e5883d89ba900000003000000000000001a006d00790064006900730070006c00610079006e0061006d00650000001a006d00790064006900730070006c00610079006e0061006d00650000000252973cdb8afd40168c4c7ff7d4dc9988000000050000000000000020006f00740068006500720064006900730070006c00610079006e0061006d006500000020006f00740068006500720064006900730070006c00610079006e0061006d006500000002");
    let (d, _, r) = run(types::AVATAR_IDENTITY, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(vals(&d, "overte.identity.display_name"), [&s("mydisplayname"), &s("otherdisplayname")]);
    assert_eq!(vals(&d, "overte.identity.sequence"), [&Value::Signed(3), &Value::Signed(5)]);
    assert_eq!(val(&d, "overte.identity.flags"), &Value::Unsigned(2));
    assert_eq!(d.info, " \"mydisplayname\"");
    // Client-built: null session display name.
    let datagram = hex("0000006000000000000000001d36000000000000000000000000000000000000a3eda01ec4de456dbf07858a26c5a64800000002000000000000001a006d00790064006900730070006c00610079006e0061006d0065ffffffff00000002");
    let (ident, rest) = avatar::AvatarIdentity::parse(&datagram[32..]).unwrap();
    assert!(rest.is_empty());
    assert_eq!(ident.identities[0].attachments, Some(0));
    assert!(ident.identities[0].session_display_name.is_null());
    assert_eq!(ident.identities[0].display_name.text(), "mydisplayname");
}

#[test]
fn kill_avatar_and_traits_vectors() {
    let datagram = hex("000000400536000000000000000000000000000000000000ed7acf04adea40c5b32bf50a5f1eae3101");
    let (d, _, r) = run(types::KILL_AVATAR, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.kill_avatar.reason"), &Value::Enum { value: 1, name: Some("AvatarDisconnected") });
    let datagram = hex("0000004066300000000000000000000000000000000000000200000000000000");
    let (d, _, r) = run(types::BULK_AVATAR_TRAITS_ACK, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.traits.sequence"), &Value::Unsigned(2));
    let (d, _, r) =
        run(types::BULK_AVATAR_TRAITS, &hex("0200000000000000e2a1a56103734cce9000c9df970124f300010000000000ff"));
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.traits.type"), &Value::Enum { value: 0, name: Some("SkeletonModelURL") });
    assert_eq!(val(&d, "overte.traits.version"), &Value::Signed(1));
    assert_eq!(val(&d, "overte.traits.size"), &Value::Signed(0));
}

#[test]
fn query_vectors() {
    let datagram = hex("00000000481600000000000000000000000000000000000001cdcc8c3fcdcc0c4033335340ae47e1becdcc0c3fc3f528bf1d8100c0a4704d40");
    let (d, _, r) = run(types::AVATAR_QUERY, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.frustum.position"), &s("1.1, 2.2, 3.3"));
    assert_eq!(val(&d, "overte.frustum.half_angle"), &Value::Unsigned(0x811d));
    let datagram = hex("000000002a170000416c015bb0a3c1c4f8b8c08ededbc0743c5e3f000000007624fe3e818000c000004040580200000000484b0000000000000000");
    let (d, _, r) = run(types::ENTITY_QUERY, &datagram[8..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.entity_query.connection_id"), &Value::Unsigned(0x6c41));
    assert_eq!(val(&d, "overte.entity_query.max_pps"), &Value::Signed(600));
    assert_eq!(val(&d, "overte.entity_query.octree_scale"), &Value::Float(13107200.0));
}

#[test]
fn messages_and_ignore_vectors() {
    let datagram = hex("0000006000000000000000003912000000000000000000000000000000000000120076697263616469612e756e69742e74657374010c00000074657374206d657373616765a3eda01ec4de456dbf07858a26c5a648");
    let (d, _, r) = run(types::MESSAGES_DATA, &datagram[32..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.messages.channel"), &s("vircadia.unit.test"));
    assert_eq!(val(&d, "overte.messages.text"), &s("test message"));
    assert_eq!(d.info, " vircadia.unit.test (12 bytes)");
    let datagram =
        hex("0000006000000000000000003a1600000000000000000000000000000000000076697263616469612e756e69742e74657374");
    let (d, _, r) = run(types::MESSAGES_SUBSCRIBE, &datagram[32..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.messages.channel"), &s("vircadia.unit.test"));
    let datagram = hex("000000401e1200000000000000000000000000000000000001b26d558149994ecd964b6250817a06c3");
    let (d, _, r) = run(types::NODE_IGNORE_REQUEST, &datagram[24..]);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.ignore.add"), &Value::Bool(true));
    assert_eq!(d.info, " ignore 1");
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// qCompress: 4-byte BE size + zlib.
fn qcompress(data: &[u8]) -> Vec<u8> {
    let mut v = (data.len() as u32).to_be_bytes().to_vec();
    v.extend(zlib(data));
    v
}

pub(super) fn check_in() -> domain::CheckIn<'static> {
    domain::CheckIn {
        timestamp: 1_762_000_000_000_000,
        owner_type: b'I',
        public_type: 1,
        public: codec::QSockAddr::v4([127, 0, 0, 1], 47505),
        local_type: 1,
        local: codec::QSockAddr::v4([127, 0, 0, 1], 47505),
        interests: b"MWoAm".to_vec().into(),
        place_name: codec::QStr::from_text("hub"),
        username: Some(codec::QStr::from_text("")),
        username_signature: Some(codec::QBytes(Some(Vec::new().into()))),
        domain_username: None,
        domain_tokens: None,
    }
}

pub(super) fn connect_request(system_info: Vec<u8>) -> Vec<u8> {
    let c = domain::ConnectRequest {
        connect_uuid: [0; 16],
        signature: codec::QBytes(Some(hex("eb1600e798dc5e03c755a968dc16b7fc").into())),
        hardware_address: codec::QStr::from_text("AA:BB:CC:DD:EE:FF"),
        machine_fingerprint: [7; 16],
        system_info: codec::QBytes(Some(system_info.into())),
        connect_reason: 0,
        previous_uptime: 0,
        check_in: check_in(),
    };
    let mut b = Vec::new();
    c.emit(&mut b);
    b
}

#[test]
fn connect_request_decodes_every_field_and_inflates_system_info() {
    let json = br#"{"computer":{"OS":"Linux"},"cpus":[{"model":"x"}]}"#;
    let p = connect_request(qcompress(json));
    let (d, l, r) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    assert_eq!(r, Decoded::Full, "{:?}", d.experts());
    assert!(d.experts().is_empty());
    assert_eq!(l.signature.as_deref(), Some(&hex("eb1600e798dc5e03c755a968dc16b7fc")[..]));
    assert_eq!(l.owner_type, Some(b'I'));
    assert_eq!(d.info, " Agent 127.0.0.1:47505");
    assert_eq!(val(&d, "overte.connect.hardware_address"), &s("AA:BB:CC:DD:EE:FF"));
    assert_eq!(val(&d, "overte.connect.system_info.size"), &Value::Unsigned(json.len() as u64));
    let js = d.values("overte.connect.system_info.json").next().unwrap();
    assert_eq!(js.value, s(std::str::from_utf8(json).unwrap()));
    assert_eq!((js.source, js.offset), (1, 0));
    assert_eq!(d.sources()[0].name, "Inflated system info");
    // Fields after the system info are back on the payload.
    let reason = d.values("overte.connect.reason").next().unwrap();
    assert_eq!(reason.source, 0);
    assert_eq!(reason.value, Value::Enum { value: 0, name: Some("Connect") });
    assert_eq!(val(&d, "overte.check_in.public_socket"), &Value::SocketAddr(sa("127.0.0.1:47505")));
    assert_eq!(vals(&d, "overte.check_in.interest").len(), 5);
    assert_eq!(val(&d, "overte.check_in.place_name"), &s("hub"));
    assert_eq!(val(&d, "overte.check_in.username"), &s(""));
    // Round trip through the repr.
    let (c, rest) = domain::ConnectRequest::parse(&p).unwrap();
    assert!(rest.is_empty());
    let mut out = Vec::new();
    c.emit(&mut out);
    assert_eq!(out, p);
}

#[test]
fn system_info_is_inflated_only_to_be_shown_or_checked() {
    let broken = connect_request(hex("00000100 789c0102030405060708"));
    let good = connect_request(qcompress(br#"{"OS":"Linux"}"#));
    // (findings read, columns) → the findings, the derived buffers, the JSON column.
    let run = |p: &[u8], findings: bool, keys: &[&'static FieldInfo]| {
        let mut d = Dissection::new(true);
        d.set_wants_findings(findings);
        d.set_interest(Some(keys.to_vec()));
        let cx = PayloadCx {
            packet_type: types::DOMAIN_CONNECT_REQUEST,
            version: 0,
            reassembled: false,
            ends: (None, None),
        };
        assert_eq!(dissect(&cx, p, &mut d, &mut Learned::default()), Decoded::Full);
        let json = d.values("overte.connect.system_info.json").next().map(|f| f.value.clone());
        (tags(&d), d.sources().len(), json)
    };
    let fail = vec!["overte.connect.system_info_inflate_failed"];
    assert_eq!(run(&broken, true, &[&fields::CONNECT_REASON]), (fail.clone(), 1, None));
    // `-T fields -e overte.connect.reason`: neither read nor checked, so not inflated.
    assert_eq!(run(&broken, false, &[&fields::CONNECT_REASON]), (vec![], 0, None));
    assert_eq!(run(&good, false, &[&fields::CONNECT_REASON]), (vec![], 0, None));
    // A column of the JSON inflates it, and reports it broken.
    assert_eq!(run(&good, false, &[&fields::SYSINFO_JSON]), (vec![], 1, Some(s(r#"{"OS":"Linux"}"#))));
    assert_eq!(run(&broken, false, &[&fields::SYSINFO_JSON]).0, fail);
}

#[test]
fn list_request_decodes_the_check_in() {
    let mut ci = check_in();
    ci.username = None;
    ci.username_signature = None;
    let mut p = Vec::new();
    domain::ListRequest { check_in: ci }.emit(&mut p);
    let (d, l, r) = run(types::DOMAIN_LIST_REQUEST, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(l.owner_type, Some(b'I'));
    assert_eq!(val(&d, "overte.check_in.timestamp"), &Value::Unsigned(1_762_000_000_000_000));
    assert!(d.values("overte.check_in.username").next().is_none());
}

#[test]
fn seed_ipv6_protocol_byte_for_ipv4_is_explained() {
    let good = connect_request(Vec::new());
    // Starworld wrote protocol 1 in front of both IPv4 addresses.
    let at = good.windows(8).position(|w| w == [1, 0, 127, 0, 0, 1, 0xb9, 0x91]).unwrap();
    let mut p = good.clone();
    p[at + 1] = 1;
    p[at + 9] = 1;
    let (d, l, r) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    assert_eq!(r, Decoded::Partial);
    let e = d.experts().iter().find(|e| e.tag() == "overte.addr.protocol_mismatch").unwrap();
    assert_eq!(e.severity(), Severity::Warn);
    assert!(e.message.contains("IPv4 127.0.0.1:47505"), "{}", e.message);
    // What the server reads (the port comes from the bytes after the scope length; with the
    // seed's interest list it is the 28416 of its log).
    assert!(e.message.contains("as [7f00:1:b991:101:7f00:1:b991:0]:"), "{}", e.message);
    assert!(e.message.contains("probably meant protocol 0"));
    // The DS reads the address as IPv6, as the seed's log shows.
    let ip = val(&d, "overte.addr.ip");
    assert_eq!(ip, &Value::Ip("7f00:1:b991:101:7f00:1:b991:0".parse().unwrap()));
    // The signature is learned even though the packet breaks later.
    assert!(l.signature.is_some());
}

#[test]
fn system_info_that_does_not_inflate_is_reported() {
    let p = connect_request(hex("00000100 789c0102030405060708"));
    let (d, _, r) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(tags(&d), ["overte.connect.system_info_inflate_failed"]);
    // Bound: a 100 KiB JSON inflates to 64 KiB only.
    let big = vec![b' '; 100 * 1024];
    let p = connect_request(qcompress(&big));
    let (d, _, _) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    assert_eq!(tags(&d), ["overte.connect.system_info_too_large"]);
    assert_eq!(d.sources()[0].data.len(), domain::MAX_SYSTEM_INFO);
}

#[test]
fn incorrect_version_signature_is_noted() {
    let mut p = connect_request(Vec::new());
    p[20..36].copy_from_slice(b"INCORRECTVERSION");
    let (d, l, _) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    assert_eq!(tags(&d), ["overte.connect.signature_unusual"]);
    assert_eq!(l.signature.as_deref(), Some(&b"INCORRECTVERSION"[..]));
}

#[test]
fn odd_qstring_length_reads_on_as_qt_does() {
    let mut p = connect_request(Vec::new());
    // Hardware address length 34 -> 33.
    assert_eq!(p[36..40], [0, 0, 0, 34]);
    p[39] = 33;
    let (d, _, r) = run(types::DOMAIN_CONNECT_REQUEST, &p);
    // Qt 5 returns an empty string, marks the stream corrupt and reads on right after the
    // length: the next field (the machine fingerprint) comes from the string's bytes.
    assert_eq!(tags(&d)[0], "overte.qstring.odd_length");
    assert_eq!(d.experts()[0].at, Some((0, 36, 4)));
    assert_eq!(val(&d, "overte.connect.hardware_address"), &Value::String("".into()));
    let fp = d.values("overte.connect.machine_fingerprint").next().unwrap();
    assert_eq!(fp.offset, 40, "read from right after the length");
    assert_ne!(r, Decoded::NotDecoded);
    // `parse` (the reprs) stays strict.
    assert!(domain::ConnectRequest::parse(&p).is_err());
}

#[test]
fn truncated_domain_list_record_is_reported_at_its_offset() {
    let datagram = hex(DOMAIN_LIST);
    let payload = &datagram[6..6 + 66 + 56 + 20];
    let (d, l, r) = run(types::DOMAIN_LIST, payload);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.truncated"]);
    assert_eq!(l.nodes.len(), 1);
    assert!(l.domain_list.is_some());
    let e = &d.experts()[0];
    assert_eq!(e.severity(), Severity::Error);
    // Record 2 starts at 122: type, UUID, socket type, protocol byte; its IPv4 address at 141.
    assert!(e.message.contains("Address at offset 141 needs 4 bytes but only 1 remain"), "{}", e.message);
    assert_eq!(d.values("overte.payload.undecoded").next().unwrap().offset, 141);
}

#[test]
fn trailing_bytes_and_unknown_enums() {
    let (d, _, r) = run(types::PATH_QUERY, &hex("01002f ffff"));
    assert_eq!(r, Decoded::Full);
    assert_eq!(tags(&d), ["overte.payload.trailing_bytes"]);
    assert_eq!(d.values("overte.payload.trailing").next().unwrap().len, 2);
    let (d, l, _) = run(types::DOMAIN_CONNECTION_DENIED, &hex("09 0000 0000"));
    assert_eq!(tags(&d), ["overte.payload.unknown_enum"]);
    assert_eq!(d.experts()[0].severity(), Severity::Note);
    assert_eq!(l.denied_reason, Some(9));
}

#[test]
fn unknown_address_protocol_is_malformed() {
    let mut p = Vec::new();
    ice::PeerInformation {
        peer_id: [1; 16],
        public: codec::QSockAddr::v4([1, 2, 3, 4], 40102),
        local: codec::QSockAddr::v4([10, 0, 0, 2], 40102),
    }
    .emit(&mut p);
    p[16] = 5;
    let (d, _, r) = run(types::ICE_PEER_INFORMATION, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.unknown_enum", "overte.payload.malformed"]);
}

#[test]
fn ice_packets() {
    let hb = ice::Heartbeat {
        domain_id: [9; 16],
        public: codec::QSockAddr::v4([203, 0, 113, 5], 40102),
        local: codec::QSockAddr { host: codec::QHost::Null, port: 0 },
        signature: codec::QBytes(Some(vec![0xab; 256].into())),
    };
    let mut p = Vec::new();
    hb.emit(&mut p);
    let (d, _, r) = run(types::ICE_HEARTBEAT, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " 203.0.113.5:40102");
    assert_eq!(val(&d, "overte.ice.local_socket"), &s("Null"));
    assert_eq!(d.values("overte.ice.signature").next().unwrap().len, 260);
    let q = ice::Query {
        client_id: [1; 16],
        public: codec::QSockAddr::v4([198, 51, 100, 7], 5000),
        local: codec::QSockAddr::v4([192, 168, 1, 2], 5000),
        domain_id: [2; 16],
    };
    p.clear();
    q.emit(&mut p);
    let (d, _, r) = run(types::ICE_QUERY, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.ice.domain_id"), &Value::Uuid([2; 16]));
    p.clear();
    ice::IcePing { sender_id: [3; 16], ping_type: 3 }.emit(&mut p);
    let (d, _, r) = run(types::ICE_PING_REPLY, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " Symmetric");
    let (d, _, r) = run(types::ICE_HEARTBEAT_ACK, &[]);
    assert_eq!((r, d.experts().len()), (Decoded::Full, 0));
    let (d, _, _) = run(types::ICE_HEARTBEAT_DENIED, &[0]);
    assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
}

#[test]
fn disconnect_and_domain_list_data_requests_have_fixed_lengths() {
    // DomainDisconnectRequest (55): empty; RequestsDomainListData (73): one u8 bool.
    let (d, _, r) = run(types::DOMAIN_DISCONNECT_REQUEST, &[]);
    assert_eq!((r, d.experts().len()), (Decoded::Full, 0));
    let (d, _, _) = run(types::DOMAIN_DISCONNECT_REQUEST, &[0, 0]);
    assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    assert!(d.experts()[0].message.contains("carries none"), "{}", d.experts()[0].message);
    let (d, _, r) = run(types::REQUESTS_DOMAIN_LIST_DATA, &[1]);
    assert_eq!((r, d.experts().len()), (Decoded::Full, 0));
    assert_eq!(val(&d, "overte.requests_domain_list_data"), &Value::Bool(true));
    let (d, _, _) = run(types::REQUESTS_DOMAIN_LIST_DATA, &[]);
    assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    assert!(d.experts()[0].message.contains("not 1"), "{}", d.experts()[0].message);
}

#[test]
fn assignments() {
    let a = assignment::Assignment {
        assignment_type: 1,
        uuid: [4; 16],
        pool: codec::QStr::from_text(""),
        payload: codec::QBytes(None),
        node_version: Some(codec::QStr::from_text("2025.05.1")),
    };
    let mut p = Vec::new();
    a.emit(&mut p);
    let (d, _, r) = run(types::REQUEST_ASSIGNMENT, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " AvatarMixer");
    assert_eq!(val(&d, "overte.assignment.node_version"), &s("2025.05.1"));
    assert_eq!(val(&d, "overte.assignment.payload"), &Value::None);
}

#[test]
fn other_types_are_not_decoded() {
    // CollisionEventChanges: declared, but nothing sends or reads it.
    let (d, _, r) = run(82, &[1, 2, 3]);
    assert_eq!(r, Decoded::NotDecoded);
    assert!(d.fields().is_empty() && d.experts().is_empty());
}

#[test]
fn every_field_and_finding_is_listed_once() {
    let mut keys: Vec<_> = FIELDS.iter().map(|f| f.key).collect();
    keys.sort_unstable();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n);
    assert!(keys.iter().all(|k| k.starts_with("overte.")));
    let mut tags: Vec<_> = EXPERTS.iter().map(|e| e.tag).collect();
    tags.sort_unstable();
    tags.dedup();
    assert_eq!(tags.len(), EXPERTS.len());
}

#[test]
fn node_records_past_the_bound_are_noted() {
    let datagram = hex(DOMAIN_LIST);
    let (list, _) = domain::DomainList::parse(&datagram[6..]).unwrap();
    let mut big = domain::DomainList { header: list.header, nodes: Vec::new() };
    for i in 0..=domain::MAX_NODES {
        let mut n = list.nodes[i % 6].clone();
        n.local_id = i as u16;
        big.nodes.push(n);
    }
    let mut p = Vec::new();
    big.emit(&mut p);
    let (d, l, r) = run_mode(types::DOMAIN_LIST, &p, false);
    assert_eq!(r, Decoded::Full);
    assert_eq!(l.nodes.len(), domain::MAX_NODES);
    assert_eq!(tags(&d), ["overte.payload.record_limit"]);
    assert_eq!(d.info, " your ID 8341, 1025 nodes");
}

#[test]
fn inject_audio_follows_the_injector_layout() {
    let f = audio::AudioFrame::Inject {
        sequence: 7,
        codec: b"".to_vec().into(),
        stream_id: [5; 16],
        stereo: 0,
        loopback: 1,
        positional: audio::Positional { position: [1.0, 2.0, 3.0], ..Default::default() },
        radius: 0.0,
        volume: 255,
        ignore_penumbra: 0,
        audio: vec![0; 480].into(),
    };
    let mut p = Vec::new();
    f.emit(&mut p);
    let (d, _, r) = run(types::INJECT_AUDIO, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.audio.stream_id"), &Value::Uuid([5; 16]));
    assert_eq!(val(&d, "overte.audio.position"), &s("1, 2, 3"));
    assert_eq!(val(&d, "overte.audio.volume"), &Value::Unsigned(255));
    // seq 2 + codec 4 + stream 16 + 2 flags + 52 positional + radius 8 + 2 bytes = 86.
    assert_eq!(d.values("overte.audio.data").next().unwrap().offset, 86);
    assert_eq!(d.info, " seq 7");
}

/// Only the types `teaches` names hand anything to the session layer: a payload of any other
/// type, whatever its bytes, leaves `Learned` as it was (the dissector skips their decoding
/// when nothing reads it).
#[test]
fn only_the_types_that_teach_fill_learned() {
    // Bytes spread by a multiplicative hash of (type, length, position).
    let bytes = |t: u8, n: usize| -> Vec<u8> {
        (0..n).map(|i| ((i as u64 * 0x9e37_79b9 + u64::from(t) * 0x85eb_ca6b + n as u64) >> 7) as u8).collect()
    };
    let mut taught = 0;
    for t in 0..=u8::MAX {
        for n in [0, 1, 4, 16, 37, 120, 600] {
            let payload = bytes(t, n);
            let (_, learned, _) = run(t, &payload);
            if teaches(t) {
                taught += usize::from(learned != Learned::default());
            } else {
                assert_eq!(learned, Learned::default(), "type {t}, {n} bytes");
            }
        }
    }
    assert!(taught > 0, "no teaching type learned anything from these bytes");
}
