//! The Overte sample captures: an official-like Interface session and a home-made client
//! making the mistakes of the user's notes; and the per-client sessions of the benchmark.

mod buggy;
mod fragments;
mod net;
mod payloads;
mod servers;
mod session;
mod wire;
mod world;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use crate::Sample;

const SESSION_DESCRIPTION: &str = "\
An official-like Interface session (pcapng, Ethernet, nanoseconds, 94 frames, captured on the client's LAN). \
Client 192.168.1.20:53412 (public 192.0.2.55:53412 behind NAT), STUN server 74.125.250.129:19302, ICE server \
198.51.100.7:7337, domain server 203.0.113.10:40102 (LAN 10.0.0.5), assignment clients on 203.0.113.10:48000 + \
Assignment type: audio mixer 'M' :48000 (local ID 7733), avatar mixer 'W' :48001 (49911), asset server 'A' :48003 \
(58577), messages mixer 'm' :48004 (31497), entity script server 'S' :48005 (24459, later 37797), entity server \
'o' :48006 (10851). The domain server's local ID is 18972; the client gets 36154 (0x8d3a, sent as `3a 8d`). \
Every sourced packet between the client and an assignment client carries a valid HMAC-MD5 keyed by the secret of \
that pair from the DomainList; the client sends the domain server only non-sourced or non-verified packets. \
Unreliable sequence numbers count from 1 per peer; each reliable connection starts with a Handshake whose \
initial sequence number is the first reliable packet's. The real client sends about 100 audio and 45 avatar \
packets a second: the sample keeps a few of each.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1 | 0.000000 | STUN Binding Request to 74.125.250.129:19302 (RFC 5389, not HFUDT) | — (not Overte) |
| 2 | 0.018412 | STUN Binding Success: XOR-MAPPED-ADDRESS 192.0.2.55:53412 | — (not Overte) |
| 3 | 0.020130 | ICEServerQuery (v17): client ICE ID, public and local sockets, wanted domain ID | — |
| 4 | 0.061877 | ICEServerPeerInformation: the domain at 203.0.113.10:40102, local 10.0.0.5:40102 | — |
| 5 | 0.062304 | ICEPing (Public) to the domain server's public socket | — |
| 6 | 0.062391 | ICEPing (Local) to its LAN socket 10.0.0.5:40102 (never answered) | — |
| 7 | 0.085710 | ICEPingReply (Public) from the domain server | — |
| 8 | 0.086020 | DomainConnectRequest v27: connect UUID = ICE ID, signature `eb1600e798dc5e03c755a968dc16b7fc`, system info (qCompress'ed JSON, inflates to the machine's description), UDP 192.0.2.55:53412 / 192.168.1.20:53412 (protocol 0), 6 node types of interest, user `nimbus_fox` | — |
| 9 | 0.133290 | DomainList v25: your local ID 36154, authenticate 1, new connection, 6 node records (M, W, m, o, A, S) with local IDs and connection secrets | — |
| 10-15 | 0.133910-0.134775 | Ping (Public, 17 bytes) to each assignment client: source ID 36154, HMAC with that node's secret | — (HMACs valid) |
| 16-21 | 0.165480-0.174135 | PingReply from each, with its own local ID and a valid HMAC | — |
| 22 | 0.200114 | NegotiateAudioFormat: opus, pcm, zlib, hifiAC | — |
| 23 | 0.231502 | SelectedAudioFormat: opus | — |
| 24, 27 | 0.240050, 0.271330 | Handshake to the avatar mixer and its HandshakeACK (same initial sequence number) | — |
| 25, 26 | 0.250620, 0.250700 | the avatar mixer's Handshake and the client's HandshakeACK | — |
| 28 | 0.271420 | AvatarIdentity \"Nimbus Fox\": reliable ordered, message 0 ONLY, sequence = the ISN of frame 24 | — |
| 29, 31, 33 | 0.282010-0.282350 | AvatarIdentity from the avatar mixer: one message (51 identities) in three parts FIRST / MIDDLE / LAST, sequences ISN (frame 25) + 0, 1, 2 | — (reassembled in frame 33) |
| 30, 32, 34 | 0.282100-0.282440 | ACK of each part | — |
| 35 | 0.302870 | ACK of frame 28 from the avatar mixer | — |
| 36 | 0.360200 | AvatarQuery v22, one conical frustum | — |
| 37, 39 | 0.361050, 0.401100 | AvatarData v55 seq 0 and 1 (position, orientation, scale, loudness) | — |
| 38, 41 | 0.392740, 0.414880 | BulkAvatarData: two nearby avatars | — |
| 40, 42, 43 | 0.410000-0.430000 | MicrophoneAudioNoEcho v24 seq 0-2, opus | — |
| 44-46 | 0.441250-0.461250 | MixedAudio seq 0-2 | — |
| 47 | 0.471260 | SilentAudioFrame from the mixer: 480 samples (u32) | — |
| 48, 49 | 0.500030, 0.531870 | Handshake to the messages mixer, HandshakeACK | — |
| 50 | 0.531950 | MessagesSubscribe `Chat` (reliable ordered, ONLY) | — |
| 51 | 0.563400 | ACK | — |
| 52 | 0.602210 | MessagesData on `Chat`: a JSON chat message (reliable ordered, message 1) | — |
| 53 | 0.633580 | ACK | — |
| 54 | 1.086020 | DomainListRequest v23: sourced (36154), no HMAC slot; the 1 Hz keep-alive | — |
| 55 | 1.131770 | DomainList (not a new connection), the same 6 nodes | — |
| 56-61 | 1.140300-1.141355 | keep-alive Pings (Agnostic) to every node | — |
| 62-67 | 1.171900-1.178435 | PingReplies | — |
| 68, 69 | 1.600000, 1.600090 | the domain server's Handshake and the client's HandshakeACK | — |
| 70 | 1.631200 | DomainServerRemovedNode (reliable, sequence = ISN of frame 68): the entity script server | — |
| 71 | 1.631290 | ACK | — |
| 72 | 1.900450 | DomainServerAddedNode: the new entity script server, same socket, local ID 37797, new secret | — |
| 73 | 1.950120 | Ping to it | — |
| 74 | 1.981640 | PingReply from it (a new process: its unreliable sequence numbers start again at 1) | — |
| 75 | 2.050330 | KillAvatar (reliable, AvatarDisconnected) from the avatar mixer | — |
| 76 | 2.050420 | ACK (lost on the way up) | — |
| 77, 78 | 2.086020, 2.131770 | DomainListRequest, DomainList (the new entity script server listed) | — |
| 79-84 | 2.140300-2.141566 | keep-alive Pings | — |
| 85-90 | 2.171900-2.179742 | PingReplies | — |
| 91 | 2.812640 | the third retransmission of frame 75 (the first two were lost on the way down): obfuscation level 1 (`tessirbc`), same sequence number, HMAC over the plaintext | retransmission, obfuscated (decodes after de-obfuscation) |
| 92 | 2.812730 | ACK | — |
| 93, 94 | 3.086020, 3.131770 | DomainListRequest, DomainList | — |";

const BUGGY_DESCRIPTION: &str = "\
A home-made client (the user's notes, `protocols/overte.md` §9) against the domain of `overte-session.pcapng` \
(pcapng, Ethernet, nanoseconds, 42 frames). Client 192.168.1.21:47505; it writes 127.0.0.1:47505 into its \
check-ins, as the notes do. Until frame 28 its UDT word is always `00 00 00 00` (it writes the header with `htonl`, \
which reads right only for sequence 0 without flags) and its sourced packets carry the byte-swapped local ID \
23707 (0x5c9b, sent as `9b 5c`) instead of the assigned 39772 (0x9b5c): the domain server and the mixers cannot \
match them to the node. It is removed as silent about 16 s after it connected (the domain server checks every 10 s \
for nodes silent longer than `NODE_SILENCE_THRESHOLD_MSECS` = 10 s), then reconnects with the byte order fixed.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1 | 0.000000 | DomainConnectRequest v27 whose QHostAddress protocol bytes are 1 (IPv6) before the IPv4 addresses: the domain server reads `7f00:1:b991:101:7f00:1:b991:0`, an odd-length scope string and port 28416 (`6f 00`), the notes' \"mangled IPv6\" | IPv4 address sent with protocol 1 (IPv6); the rest of the check-in misread |
| 2 | 0.046210 | DomainList: your local ID 39772 (`9b 5c`, big-endian), authenticate 1, records W, M, o with their secrets | — |
| 3 | 0.060115 | AvatarData to the avatar mixer from source ID 23707 (HMAC valid) | source ID 23707 is not the assigned 39772 (byte-swapped) |
| 4 | 0.061020 | Ping with a 9-byte payload (u64 timestamp + u8 type) to the avatar mixer | Ping payload 9 bytes, not 17; byte-swapped source ID |
| 5 | 1.000000 | Ping (sourced and verified, hash slot zero) to the domain server | verified packet to the domain server, which has no secret for an agent; byte-swapped ID; 9-byte Ping |
| 6 | 1.500000 | DomainServerPathQuery `/`, reliable sequence 1 written big-endian (`40 00 00 01`): read as an unreliable packet with sequence 16777280 | UDT header looks big-endian (huge sequence jump) |
| 7 | 2.000000 | DomainListRequest without its source ID (the notes believe it non-sourced): the server takes the timestamp's first two bytes as the source ID and reads the rest two bytes late | DomainListRequest missing its source ID |
| 8 | 2.100000 | Ping to the audio mixer hashed with the avatar mixer's secret | HMAC mismatch; byte-swapped ID; 9-byte Ping |
| 9 | 2.200000 | AvatarQuery with version 55 (the table says 22): the receiver drops it | wrong version for the type; byte-swapped ID |
| 10-27 | 2.520000-15.770000 | the avatar mixer keeps pinging (Public) and sending BulkAvatarData, the audio mixer pings; the client sends nothing (it waits for a DomainList that never comes) | client silent for more than the 10 s node-silence threshold (24.8 s from frame 9 to frame 28); the server removes it (last server frame at 15.77 s) |
| 28 | 27.000000 | DomainConnectRequest again, byte order fixed: UDT sequence 1 little-endian, protocol bytes 0 | — |
| 29 | 27.045880 | DomainList: your local ID 63157, new secrets | — |
| 30-32 | 27.060000-27.061400 | 17-byte Pings from source ID 63157 with valid HMACs to the avatar mixer, audio mixer, entity server | — |
| 33-35 | 27.091300-27.094100 | PingReplies | — |
| 36 | 27.120000 | AvatarQuery v22 | — |
| 37 | 27.121000 | AvatarData seq 0 | — |
| 38 | 27.152600 | BulkAvatarData | — |
| 39-42 | 28.045000-29.090770 | DomainListRequest (sourced 63157) and DomainList, twice | — |";

const WORLD_DESCRIPTION: &str = "\
What a client exchanges in the domain of `overte-session.pcapng` once it is connected, besides pings, audio and \
avatar streams (pcapng, Ethernet, nanoseconds, 48 frames). Client 192.168.1.23:51822 (local ID 12129); audio mixer \
203.0.113.10:48000, avatar mixer :48001, asset server :48003, entity script server :48005, entity server :48006. \
Every sourced packet between the client and an assignment client carries a valid HMAC with the secrets of frame 2. \
The EntityData payload re-encodes an entity the web SDK's tests captured from a real server, as Overte numbers \
its properties in version 147.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1, 2 | 0.000000, 0.041370 | DomainConnectRequest, DomainList with six node records and their secrets | — |
| 3 | 0.100000 | DomainSettingsRequest (Agent) | — |
| 4-7 | 0.130000-0.131090 | the domain server's Handshake, HandshakeACK, DomainSettings (191 bytes of JSON, reliable), ACK | — |
| 8-11 | 0.200000-0.262800 | Handshake to the avatar mixer, HandshakeACK, SetAvatarTraits v1 (skeleton URL, one avatar entity), ACK | — |
| 12, 13 | 0.300000, 0.300400 | PerAvatarGainSet: master gain -6 dB, +3 dB for one avatar | — |
| 14 | 0.301000 | RadiusIgnoreRequest: the space bubble on | — |
| 15, 16 | 0.400000, 0.431200 | UsernameFromIDRequest for that avatar, the reply `kestrel_9` | — |
| 17 | 0.500000 | AudioEnvironment: reverb 1.2 s, wet level 0.35 | — |
| 18-21 | 0.600000-0.662000 | Handshakes with the asset server, both ways | — |
| 22-24 | 0.662100-0.693400 | AssetMappingOperation Get `/avatars/fox/fox.fst`, the reply with the file's hash, ACK | — |
| 25-27 | 0.693500-0.724800 | AssetGetInfo, the reply (227 bytes), ACK | — |
| 28-30 | 0.724900-0.756200 | AssetGet of the whole file, AssetGetReply with the FST text, ACK | — |
| 31-33 | 0.800000-0.831300 | AssetGet with the hash written as 64 hex characters (84 bytes): the server takes the first 32 characters for the hash and replies AssetNotFound; ACK | wrong length; hash sent as hex |
| 34-36 | 0.850000-0.881400 | AssetGet of bytes 100 to 50, the reply InvalidByteRange, ACK | invalid byte range |
| 37, 38 | 1.000000, 1.001200 | AudioStreamStats from the mixer (the client's microphone stream) and from the client (the mixed stream), one 152-byte record each | — |
| 39, 40 | 1.100000, 1.131500 | EntityScriptGetStatus, the reply RUNNING | — |
| 41 | 1.200000 | EntityQuery, one frustum | — |
| 42 | 1.262400 | EntityData sequence 48: one compressed section, one Model entity with its tags, grab, physics and Model properties | — |
| 43 | 1.262500 | OctreeStats of that pass: a full scene of 2 elements, 1 packet, 295 bytes | — |
| 44 | 1.262600 | OctreeDataNack for sequence 47 | — |
| 45 | 1.263000 | EntityQueryInitialResultsComplete: the initial results end before sequence 49 | — |
| 46 | 1.500000 | NodeKickRequest with ban flags (IP) and 4 bytes more: the domain server reads the flags only from 20 bytes | ban flags ignored |
| 47 | 1.600000 | EntityAdd: a Box named crate, its position, dimensions, color, alpha and shape | — |
| 48 | 1.700000 | EntityEdit batching two edits: the cake moved; the box recolored, with PROP_ENTITY_HOST_TYPE announced (never sent) and a byte written for it, so the color is read one byte early and one byte is left over | unread property, truncated |";

const FRAGMENTS_DESCRIPTION: &str = "\
Reassembly and loss (pcap, Ethernet, microseconds, 27 frames). Client 192.168.1.22:50731 (local ID 25044) in the \
domain of `overte-session.pcapng`; messages mixer 203.0.113.10:48004, avatar mixer :48001. All HMACs are valid with \
the secrets of frame 2.

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1 | 0.000000 | DomainConnectRequest | — |
| 2 | 0.044870 | DomainList: local ID 25044, avatar and messages mixer records with secrets | — |
| 3, 4 | 1.000000, 1.000090 | the messages mixer's Handshake (ISN 38894128) and the client's HandshakeACK | — |
| 5 | 1.031200 | MessagesData `scene.snapshot` (a 3437-byte binary message), FIRST part, sequence 38894128 | — |
| 6 | 1.031290 | ACK 38894128 | — |
| 7 | 1.031600 | LAST part, sequence 38894130: the MIDDLE part (38894129) was lost on the way | reliable sequence gap (one packet missing); message incomplete |
| 8 | 1.031690 | ACK 38894128 again (first loss − 1) | — |
| 9 | 1.262000 | MIDDLE part 38894129, the first retransmission (not obfuscated) | out of order (fills the gap); message reassembled |
| 10 | 1.262090 | ACK 38894130 | — |
| 11, 12 | 2.000000, 2.031050 | the client's Handshake (ISN 3344833) and the mixer's HandshakeACK | — |
| 13 | 2.031100 | MessagesData (2037 bytes) FIRST part from the client, sequence 3344833 | — |
| 14 | 2.031300 | LAST part, sequence 3344834 (lost after the capture point) | message reassembled |
| 15 | 2.062410 | ACK 3344833 | — |
| 16 | 2.292500 | LAST part again, same sequence and bytes: the retransmission | retransmission (duplicate reliable sequence) |
| 17 | 2.323880 | ACK 3344834 | — |
| 18-21 | 3.020000-3.080000 | BulkAvatarData from the avatar mixer every 20 ms, unreliable sequences 1-4 | — |
| 22 | 3.095000 | the client's AvatarData | — |
| 23 | 3.120000 | BulkAvatarData sequence 6: sequence 5 never arrives | unreliable sequence gap (1 lost) |
| 24-26 | 3.140000-3.180000 | sequences 7, 8, 9 | — |
| 27 | 3.252000 | sequence 7 again, the same datagram duplicated by the network | duplicate unreliable sequence |";

const SERVERS_DESCRIPTION: &str = "\
What assignment clients send each other and the domain server (pcapng, Ethernet, nanoseconds, 11 frames, \
captured on the domain server's host 203.0.113.10: domain server :40102, avatar mixer :48001). Another domain's \
avatar mixer 198.51.100.20:48001 replicates its avatars to this one; the asset server runs on 203.0.113.12:48003 \
(local ID 23063), a home-made assignment client on 203.0.113.14:48010 (local ID 2823).

| frame | time (s) | what | expected finding |
|------:|---------:|------|------------------|
| 1, 2 | 0.000000, 0.020000 | ReplicatedBulkAvatarData from the upstream mixer: two avatars, each its node UUID, a size counting the sequence number, the avatar's last sequence number (412 and 77, then 413 and 78) and its AvatarData (a global position) | — |
| 3 | 0.040000 | ReplicatedBulkAvatarData from a home-made upstream mixer (198.51.100.30:48001) whose size leaves out the sequence number: the downstream mixer's AvatarData message ends two bytes early, and a next record is read from the last two | truncated (the position, inside the record); truncated (the next record) |
| 4, 5 | 1.000000, 1.000310 | the asset server's Handshake to the domain server, the HandshakeACK | — |
| 6, 7 | 1.000420, 1.000730 | NodeJsonStats (reliable, one part): Qt binary JSON, read as the domain server reads it (`{\"asset_server\":{\"bytes_sent\":4211030,…},\"version\":\"2025.05.1\"}`); ACK | — |
| 8, 9 | 2.000000, 2.000290 | the home-made client's Handshake, the HandshakeACK | — |
| 10, 11 | 2.000400, 2.000690 | NodeJsonStats whose object keeps its entries in insertion order (`name` before `load`): Qt's `fromBinaryData` refuses it, the domain server records no stats; ACK | binary JSON refused (keys out of order) |";

pub fn samples() -> Vec<Sample> {
    let p = session::sample_params();
    let lan = net::Lan { host: *p.client.ip(), mac: [0x06, 0x14, 0x1e, 0x28, 0x01, 0x20] };
    let buggy_lan = net::Lan { host: *buggy::CLIENT.ip(), mac: buggy::CLIENT_MAC };
    vec![
        Sample {
            name: "overte-session.pcapng",
            description: SESSION_DESCRIPTION,
            bytes: net::pcapng(lan, &session::session(&p)),
        },
        Sample {
            name: "overte-buggy-client.pcapng",
            description: BUGGY_DESCRIPTION,
            bytes: net::pcapng(buggy_lan, &buggy::capture()),
        },
        Sample {
            name: "overte-world.pcapng",
            description: WORLD_DESCRIPTION,
            bytes: net::pcapng(net::Lan { host: *world::CLIENT.ip(), mac: world::CLIENT_MAC }, &world::capture()),
        },
        Sample {
            name: "overte-servers.pcapng",
            description: SERVERS_DESCRIPTION,
            bytes: net::pcapng(net::Lan { host: servers::HOST, mac: servers::HOST_MAC }, &servers::capture()),
        },
        Sample {
            name: "overte-fragments.pcap",
            description: FRAGMENTS_DESCRIPTION,
            bytes: crate::common::pcap(
                udpdissect_pcapgen::linktype::ETHERNET,
                &net::frames(
                    net::Lan { host: *fragments::CLIENT.ip(), mac: fragments::CLIENT_MAC },
                    &fragments::capture(),
                ),
            ),
        },
    ]
}

/// The session of `overte-session.pcapng` for benchmark client `index`: distinct LAN and
/// public addresses (10.64.0.0/10 behind 198.18.0.0/15), port, local ID, secrets, UUIDs and
/// initial sequence numbers, and its own domain (100.64.0.0/10). About 94 datagrams over 3.2 s starting
/// `index` ms after 2026-03-02 08:00:00 UTC. Items: (time in ns since the epoch, source,
/// destination, UDP payload), in time order.
pub fn overte_bench_session(index: u64) -> Vec<crate::Datagram> {
    const USERS: [&str; 8] = ["ava_r", "bruno.k", "chidi", "dana42", "emeka_o", "freya", "goro", "hana.m"];
    let h = payloads::mix(index ^ 0xbe7c_0000);
    let (hi, mid, lo) = (((index / 62_500) % 64) as u8, ((index / 250) % 250) as u8, (index % 250) as u8);
    let port = 49_152 + (h % 16_000) as u16;
    let sample = session::sample_params();
    let p = session::Params {
        client: SocketAddrV4::new(Ipv4Addr::new(10, 64 + hi, mid, 2 + lo), port),
        public: SocketAddrV4::new(Ipv4Addr::new(198, 18 + hi % 2, mid, 2 + lo), port),
        seed: h,
        t0: net::at(0, 0) + index as i64 * 1_000_000,
        // The gatekeeper hands out IDs from a random start with an odd increment.
        local_id: 0x4f1du16.wrapping_add((index as u16).wrapping_mul(0x2b6f)).max(1),
        user: USERS[index as usize % USERS.len()],
        // A domain per client (a few hundred apart): concurrent sessions do not share servers,
        // whose restarts and keep-alives each session's story scripts on its own clock.
        domain: Ipv4Addr::new(100, 64 + hi, mid, 1 + lo),
        ..sample
    };
    session::session(&p).into_iter().map(|(t, s, d, b)| (t, SocketAddr::V4(s), SocketAddr::V4(d), b)).collect()
}

#[cfg(test)]
mod tests;
