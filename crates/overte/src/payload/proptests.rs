//! Property tests: reprs round-trip both ways, and `dissect` never panics.

use std::borrow::Cow;

use proptest::prelude::*;

use super::codec::{QBytes, QHost, QSockAddr, QStr};
use super::*;

fn text() -> impl Strategy<Value = Cow<'static, [u8]>> {
    prop::collection::vec(any::<u8>(), 0..24).prop_map(Cow::Owned)
}

fn qstr() -> impl Strategy<Value = QStr<'static>> {
    prop::option::of(prop::collection::vec(any::<u16>(), 0..12))
        .prop_map(|o| QStr(o.map(|v| Cow::Owned(v.iter().flat_map(|u| u.to_be_bytes()).collect()))))
}

fn qbytes() -> impl Strategy<Value = QBytes<'static>> {
    prop::option::of(text()).prop_map(QBytes)
}

fn sock() -> impl Strategy<Value = QSockAddr<'static>> {
    let host = prop_oneof![
        any::<[u8; 4]>().prop_map(QHost::V4),
        (any::<[u8; 16]>(), qstr()).prop_map(|(a, s)| QHost::V6(a, s)),
        Just(QHost::Any),
        Just(QHost::Null),
    ];
    (host, any::<u16>()).prop_map(|(host, port)| QSockAddr { host, port })
}

fn float() -> impl Strategy<Value = f32> {
    -1.0e6f32..1.0e6
}

fn check_in() -> impl Strategy<Value = domain::CheckIn<'static>> {
    (
        (any::<u64>(), any::<u8>(), any::<u8>(), sock(), any::<u8>(), sock()),
        (text(), qstr(), 0..5usize, qstr(), qbytes(), qstr(), qstr()),
    )
        .prop_map(
            |((timestamp, owner_type, public_type, public, local_type, local), (i, place, tail, u, s, du, dt))| {
                domain::CheckIn {
                    timestamp,
                    owner_type,
                    public_type,
                    public,
                    local_type,
                    local,
                    interests: i,
                    place_name: place,
                    username: (tail > 0).then_some(u),
                    username_signature: (tail > 1).then_some(s),
                    domain_username: (tail > 2).then_some(du),
                    domain_tokens: (tail > 3).then_some(dt),
                }
            },
        )
}

fn node() -> impl Strategy<Value = domain::NodeRec<'static>> {
    (
        any::<u8>(),
        any::<[u8; 16]>(),
        any::<u8>(),
        sock(),
        any::<u8>(),
        sock(),
        any::<u32>(),
        any::<u8>(),
        any::<u16>(),
        any::<[u8; 16]>(),
    )
        .prop_map(
            |(node_type, uuid, public_type, public, local_type, local, permissions, replicated, local_id, secret)| {
                domain::NodeRec {
                    node_type,
                    uuid,
                    public_type,
                    public,
                    local_type,
                    local,
                    permissions,
                    replicated,
                    local_id,
                    secret,
                }
            },
        )
}

fn positional() -> impl Strategy<Value = audio::Positional> {
    (
        prop::array::uniform3(float()),
        prop::array::uniform4(float()),
        prop::array::uniform3(float()),
        prop::array::uniform3(float()),
    )
        .prop_map(|(position, orientation, bbox_corner, bbox_scale)| audio::Positional {
            position,
            orientation,
            bbox_corner,
            bbox_scale,
        })
}

/// (packet type, frame): the type decides the layout.
fn audio_frame() -> impl Strategy<Value = (u8, audio::AudioFrame<'static>)> {
    use audio::AudioFrame as A;
    let head = || (any::<u16>(), text());
    prop_oneof![
        (head(), any::<u8>(), positional(), text(), prop::bool::ANY).prop_map(
            |((sequence, codec), stereo, positional, audio, echo)| {
                (
                    if echo { audio::MIC_WITH_ECHO } else { audio::MIC_NO_ECHO },
                    A::Mic { sequence, codec, stereo, positional, audio },
                )
            }
        ),
        (head(), any::<u16>(), positional()).prop_map(|((sequence, codec), samples, positional)| {
            (audio::SILENT_AUDIO_FRAME, A::SilentClient { sequence, codec, samples, positional })
        }),
        (head(), any::<u32>()).prop_map(|((sequence, codec), samples)| (
            audio::SILENT_AUDIO_FRAME,
            A::SilentMixer { sequence, codec, samples }
        )),
        (head(), text())
            .prop_map(|((sequence, codec), audio)| (audio::MIXED_AUDIO, A::Mixed { sequence, codec, audio })),
        (head(), any::<[u8; 16]>(), any::<(u8, u8, u8, u8)>(), positional(), -1.0e9f64..1.0e9, text()).prop_map(
            |((sequence, codec), stream_id, (stereo, loopback, volume, ignore_penumbra), positional, radius, audio)| {
                (
                    audio::INJECT_AUDIO,
                    A::Inject {
                        sequence,
                        codec,
                        stream_id,
                        stereo,
                        loopback,
                        positional,
                        radius,
                        volume,
                        ignore_penumbra,
                        audio,
                    },
                )
            }
        ),
    ]
}

fn identity() -> impl Strategy<Value = avatar::Identity<'static>> {
    (any::<[u8; 16]>(), any::<i32>(), qstr(), qstr(), any::<u32>()).prop_map(
        |(session_uuid, sequence, d, sd, flags)| avatar::Identity {
            session_uuid,
            sequence,
            attachments: Some(0),
            display_name: d,
            session_display_name: sd,
            flags,
        },
    )
}

/// `parse(emit(r)) == r` with nothing left over, and the bytes re-emit identically.
macro_rules! round_trip {
    ($r:expr, $parse:expr) => {{
        let r = $r;
        let mut b = Vec::new();
        r.emit(&mut b);
        let (back, rest) = $parse(&b[..]).expect("parses what it emitted");
        prop_assert!(rest.is_empty());
        prop_assert_eq!(&back, &r);
        let mut again = Vec::new();
        back.emit(&mut again);
        prop_assert_eq!(again, b);
    }};
}

/// `emit(parse(x)) ++ rest == x` for any bytes that parse.
macro_rules! reemit {
    ($x:expr, $parse:expr) => {{
        let x: &[u8] = $x;
        if let Ok((r, rest)) = $parse(x) {
            let mut b = Vec::new();
            r.emit(&mut b);
            b.extend_from_slice(rest);
            prop_assert_eq!(&b[..], x);
        }
    }};
}

proptest! {
    #[test]
    fn domain_reprs_round_trip(ci in check_in(), nodes in prop::collection::vec(node(), 0..4), n in node(),
                               sig in qbytes(), hw in qstr(), si in qbytes(), reason in any::<u32>(), up in any::<u64>(),
                               ids in any::<([u8; 16], [u8; 16], u16, u16, u32, u8, u8)>(), times in any::<(u64, u64, u64)>()) {
        round_trip!(domain::ListRequest { check_in: ci.clone() }, domain::ListRequest::parse);
        round_trip!(domain::ConnectRequest { connect_uuid: ids.0, signature: sig, hardware_address: hw, machine_fingerprint: ids.1,
                                             system_info: si, connect_reason: reason, previous_uptime: up, check_in: ci },
                    domain::ConnectRequest::parse);
        let header = domain::ListHeader { session_uuid: ids.0, domain_local_id: ids.2, your_uuid: ids.1, your_local_id: ids.3,
                                          permissions: ids.4, authenticate: ids.5, last_check_in: times.0, server_time: times.1,
                                          processing_time: times.2, new_connection: ids.6 };
        round_trip!(domain::DomainList { header, nodes }, domain::DomainList::parse);
        round_trip!(n, domain::NodeRec::parse);
        round_trip!(domain::UuidPayload { uuid: ids.0 }, domain::UuidPayload::parse);
    }

    #[test]
    fn small_reprs_round_trip(a in text(), b in text(), c in prop::option::of(text()), t in any::<u8>(), ts in any::<(u64, u64, i64)>(),
                              u in any::<[u8; 16]>(), s1 in sock(), s2 in sock(), q in qbytes(), codecs in prop::collection::vec(text(), 0..4),
                              pool in qstr(), nv in prop::option::of(qstr())) {
        round_trip!(text::Denied { reason: t, message: a.clone(), extra_info: c }, text::Denied::parse);
        round_trip!(text::PathQuery { path: a.clone() }, text::PathQuery::parse);
        round_trip!(text::PathResponse { path: a.clone(), viewpoint: b.clone() }, text::PathResponse::parse);
        round_trip!(ping::Ping { ping_type: t, timestamp: ts.0, connection_id: ts.2 }, ping::Ping::parse);
        round_trip!(ping::PingReply { ping_type: t, timestamp: ts.0, reply_timestamp: ts.1 }, ping::PingReply::parse);
        round_trip!(ice::Heartbeat { domain_id: u, public: s1.clone(), local: s2.clone(), signature: q.clone() }, ice::Heartbeat::parse);
        round_trip!(ice::Query { client_id: u, public: s1.clone(), local: s2.clone(), domain_id: u }, ice::Query::parse);
        round_trip!(ice::PeerInformation { peer_id: u, public: s1, local: s2 }, ice::PeerInformation::parse);
        round_trip!(ice::IcePing { sender_id: u, ping_type: t }, ice::IcePing::parse);
        round_trip!(avatar::KillAvatar { uuid: u, reason: t }, avatar::KillAvatar::parse);
        round_trip!(messages::MessagesData { channel: a.clone(), is_text: t, message: b, sender: u }, messages::MessagesData::parse);
        round_trip!(messages::Subscribe { channel: a.clone() }, messages::Subscribe::parse);
        round_trip!(audio::Negotiate { codecs }, audio::Negotiate::parse);
        round_trip!(audio::Selected { codec: a }, audio::Selected::parse);
        round_trip!(assignment::Assignment { assignment_type: t, uuid: u, pool, payload: q, node_version: nv }, assignment::Assignment::parse);
    }

    /// The layout check reads lengths alone, and must stop where the full walk stops: on
    /// any bytes, on identities of both layouts, and on those cut or with a byte changed.
    #[test]
    fn identity_layout_check_agrees_with_the_walk(
        x in prop::collection::vec(any::<u8>(), 0..120),
        ids in prop::collection::vec(identity(), 1..4),
        cut in any::<prop::sample::Index>(),
        flip in any::<(prop::sample::Index, u8)>(),
    ) {
        let walked = |b: &[u8], with: bool| {
            let mut r = codec::Rd::new(b);
            while r.left() > 0 {
                if avatar::Identity::walk(&mut r, with).is_none() {
                    return false;
                }
            }
            true
        };
        let mut with = Vec::new();
        avatar::AvatarIdentity { identities: ids.clone() }.emit(&mut with);
        let without_ids: Vec<_> = ids.into_iter().map(|i| avatar::Identity { attachments: None, ..i }).collect();
        let mut without = Vec::new();
        avatar::AvatarIdentity { identities: without_ids }.emit(&mut without);
        // One identity whose display name is `x` with its own length (odd half the time), in
        // both layouts.
        let mut named = vec![0u8; 20];
        named.extend_from_slice(&(x.len() as u32).to_be_bytes());
        named.extend_from_slice(&x);
        named.extend_from_slice(&[0xff; 4]);
        named.extend_from_slice(&[0; 4]);
        let mut named_with = named.clone();
        named_with.splice(20..20, [0; 4]);
        let mut cases = vec![x, with.clone(), without.clone(), named, named_with];
        cases.push(with[..cut.index(with.len())].to_vec());
        let mut flipped = without;
        let i = flip.0.index(flipped.len());
        flipped[i] ^= flip.1 | 1;
        cases.push(flipped);
        for b in &cases {
            for layout in [true, false] {
                prop_assert_eq!(avatar::fits(b, layout), walked(b, layout), "{:02x?} with the count: {}", b, layout);
            }
        }
        prop_assert!(avatar::fits(&with, true));
    }

    #[test]
    fn audio_and_identity_round_trip((t, frame) in audio_frame(), ids in prop::collection::vec(identity(), 1..3)) {
        round_trip!(frame, |b| audio::AudioFrame::parse(t, b));
        round_trip!(avatar::AvatarIdentity { identities: ids }, avatar::AvatarIdentity::parse);
    }

    #[test]
    fn any_bytes_that_parse_reemit(x in prop::collection::vec(any::<u8>(), 0..160), t in 7u8..13) {
        reemit!(&x, domain::ConnectRequest::parse);
        reemit!(&x, domain::ListRequest::parse);
        reemit!(&x, domain::DomainList::parse);
        reemit!(&x, domain::NodeRec::parse);
        reemit!(&x, domain::UuidPayload::parse);
        reemit!(&x, text::Denied::parse);
        reemit!(&x, text::PathQuery::parse);
        reemit!(&x, text::PathResponse::parse);
        reemit!(&x, ping::Ping::parse);
        reemit!(&x, ping::PingReply::parse);
        reemit!(&x, ice::Heartbeat::parse);
        reemit!(&x, ice::Query::parse);
        reemit!(&x, ice::PeerInformation::parse);
        reemit!(&x, ice::IcePing::parse);
        reemit!(&x, avatar::KillAvatar::parse);
        reemit!(&x, avatar::AvatarIdentity::parse);
        reemit!(&x, messages::MessagesData::parse);
        reemit!(&x, messages::Subscribe::parse);
        reemit!(&x, audio::Negotiate::parse);
        reemit!(&x, audio::Selected::parse);
        reemit!(&x, assignment::Assignment::parse);
        reemit!(&x, |b| audio::AudioFrame::parse(t, b));
    }

    #[test]
    fn dissect_never_panics(t in any::<u8>(), x in prop::collection::vec(any::<u8>(), 0..300), tree in any::<bool>()) {
        let _ = super::tests::run_mode(t, &x, tree);
    }

    #[test]
    fn dissect_never_panics_on_cut_or_flipped_real_packets(t in any::<u8>(), cut in 0usize..420, at in 0usize..420, v in any::<u8>()) {
        let mut p = super::tests::hex(super::tests::DOMAIN_LIST)[6..].to_vec();
        p.extend(super::tests::connect_request(Vec::new()));
        if let Some(b) = p.get_mut(at) {
            *b = v;
        }
        p.truncate(cut);
        let _ = super::tests::run_mode(t, &p, true);
        let _ = super::tests::run_mode(t, &p, false);
    }
}
