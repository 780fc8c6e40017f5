//! Packet types, their versions and header sets (`protocols/overte.md` §2.2, §3), node types,
//! and the protocol version signature (§4).

/// `NUM_PACKET_TYPE`: types 0..=105 exist.
pub const NUM_TYPES: usize = 106;

/// Type names in `PacketTypeEnum::Value` order.
pub static NAMES: [&str; NUM_TYPES] = [
    "Unknown",
    "DomainConnectRequestPending",
    "DomainList",
    "Ping",
    "PingReply",
    "KillAvatar",
    "AvatarData",
    "InjectAudio",
    "MixedAudio",
    "MicrophoneAudioNoEcho",
    "MicrophoneAudioWithEcho",
    "BulkAvatarData",
    "SilentAudioFrame",
    "DomainListRequest",
    "RequestAssignment",
    "CreateAssignment",
    "DomainConnectionDenied",
    "MuteEnvironment",
    "AudioStreamStats",
    "DomainServerPathQuery",
    "DomainServerPathResponse",
    "DomainServerAddedNode",
    "ICEServerPeerInformation",
    "ICEServerQuery",
    "OctreeStats",
    "SetAvatarTraits",
    "InjectorGainSet",
    "AssignmentClientStatus",
    "NoisyMute",
    "AvatarIdentity",
    "NodeIgnoreRequest",
    "DomainConnectRequest",
    "DomainServerRequireDTLS",
    "NodeJsonStats",
    "OctreeDataNack",
    "StopNode",
    "AudioEnvironment",
    "EntityEditNack",
    "ICEServerHeartbeat",
    "ICEPing",
    "ICEPingReply",
    "EntityData",
    "EntityQuery",
    "EntityAdd",
    "EntityErase",
    "EntityEdit",
    "DomainServerConnectionToken",
    "DomainSettingsRequest",
    "DomainSettings",
    "AssetGet",
    "AssetGetReply",
    "AssetUpload",
    "AssetUploadReply",
    "AssetGetInfo",
    "AssetGetInfoReply",
    "DomainDisconnectRequest",
    "DomainServerRemovedNode",
    "MessagesData",
    "MessagesSubscribe",
    "MessagesUnsubscribe",
    "ICEServerHeartbeatDenied",
    "AssetMappingOperation",
    "AssetMappingOperationReply",
    "ICEServerHeartbeatACK",
    "NegotiateAudioFormat",
    "SelectedAudioFormat",
    "MoreEntityShapes",
    "NodeKickRequest",
    "NodeMuteRequest",
    "RadiusIgnoreRequest",
    "UsernameFromIDRequest",
    "UsernameFromIDReply",
    "AvatarQuery",
    "RequestsDomainListData",
    "PerAvatarGainSet",
    "EntityScriptGetStatus",
    "EntityScriptGetStatusReply",
    "ReloadEntityServerScript",
    "EntityPhysics",
    "EntityServerScriptLog",
    "AdjustAvatarSorting",
    "OctreeFileReplacement",
    "CollisionEventChanges",
    "ReplicatedMicrophoneAudioNoEcho",
    "ReplicatedMicrophoneAudioWithEcho",
    "ReplicatedInjectAudio",
    "ReplicatedSilentAudioFrame",
    "ReplicatedAvatarIdentity",
    "ReplicatedKillAvatar",
    "ReplicatedBulkAvatarData",
    "DomainContentReplacementFromUrl",
    "DropOnNextProtocolChange_1",
    "EntityScriptCallMethod",
    "DropOnNextProtocolChange_2",
    "DropOnNextProtocolChange_3",
    "OctreeDataFileRequest",
    "OctreeDataFileReply",
    "OctreeDataPersist",
    "EntityClone",
    "EntityQueryInitialResultsComplete",
    "BulkAvatarTraits",
    "AudioSoloRequest",
    "BulkAvatarTraitsAck",
    "StopInjector",
    "AvatarZonePresence",
    "WebRTCSignaling",
];

/// `versionForPacketType` of the release whose signature is [`BUILTIN_SIGNATURE`] (§3.3).
pub static BUILTIN_VERSIONS: [u8; NUM_TYPES] = [
    22, 17, 25, 18, 22, 55, 55, 24, 24, 24, // 0..9
    24, 55, 24, 23, 22, 22, 19, 22, 24, 22, // 10..19
    22, 19, 17, 17, 22, 22, 22, 22, 22, 55, // 20..29
    18, 27, 22, 22, 22, 22, 22, 22, 18, 18, // 30..39
    17, 147, 23, 147, 22, 147, 22, 22, 18, 22, // 40..49
    22, 22, 22, 22, 22, 22, 22, 18, 22, 22, // 50..59
    17, 22, 22, 17, 22, 22, 22, 22, 22, 22, // 60..69
    22, 22, 22, 22, 22, 22, 22, 22, 147, 22, // 70..79
    22, 22, 22, 22, 22, 22, 22, 22, 22, 22, // 80..89
    22, 22, 19, 22, 22, 22, 22, 22, 147, 92, // 90..99
    48, 22, 48, 24, 22, 22, // 100..105
];

/// MD5 of the built-in table: what an Overte release sends in DomainConnectRequest.
pub const BUILTIN_SIGNATURE: [u8; 16] =
    [0xeb, 0x16, 0x00, 0xe7, 0x98, 0xdc, 0x5e, 0x03, 0xc7, 0x55, 0xa9, 0x68, 0xdc, 0x16, 0xb7, 0xfc];

/// What development builds send instead of a signature (`sendWrongProtocolVersionsSignature`).
pub const INCORRECT_VERSION: &[u8; 16] = b"INCORRECTVERSION";

// PacketHeaders.h sets.
const NON_VERIFIED: [u8; 10] = [33, 42, 34, 37, 13, 35, 55, 70, 67, 68];
const NON_SOURCED: [u8; 38] = [
    1, 15, 14, 32, 31, 2, 16, 19, 20, 21, 46, 47, 95, 96, 97, 90, 48, 22, 23, 38, 63, 39, 40, 60, 27, 35, 56, 71, 81,
    83, 84, 85, 86, 87, 88, 89, 104, 105,
];

/// The packet type's name, for known types.
pub fn name(t: u8) -> Option<&'static str> {
    NAMES.get(t as usize).copied()
}

/// Whether the NL header carries the sender's Local ID (types outside NON_SOURCED, unknown
/// types included: the real peer only knows the listed exceptions).
pub fn is_sourced(t: u8) -> bool {
    HEADER[t as usize] & SOURCED != 0
}

/// Whether a sourced type also carries the 16-byte HMAC slot.
pub fn is_verified(t: u8) -> bool {
    HEADER[t as usize] & VERIFIED != 0
}

const SOURCED: u8 = 1;
const VERIFIED: u8 = 2;

/// Each type's header bits, from the two lists at compile time: asked several times for every
/// datagram (the heuristics, the header, the source check), so a lookup, not a search.
const HEADER: [u8; 256] = {
    let mut bits = [SOURCED | VERIFIED; 256];
    let mut i = 0;
    while i < NON_VERIFIED.len() {
        bits[NON_VERIFIED[i] as usize] &= !VERIFIED;
        i += 1;
    }
    let mut i = 0;
    while i < NON_SOURCED.len() {
        bits[NON_SOURCED[i] as usize] = 0;
        i += 1;
    }
    bits
};

/// `NLPacket::localHeaderSize`: 2, 4 or 20 bytes.
pub fn nl_header_len(t: u8) -> usize {
    2 + if is_sourced(t) { 2 } else { 0 } + if is_verified(t) { 16 } else { 0 }
}

/// Versions a Vircadia peer sends for the same types (§3.4): a recognised dialect, not a match.
pub fn alternative_version(t: u8, v: u8) -> bool {
    matches!((t, v), (5 | 6 | 11 | 29, 54) | (2, 24))
}

/// `NodeType_t` names (§5.2).
pub fn node_type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        b'D' => "DomainServer",
        b'o' => "EntityServer",
        b'I' => "Agent",
        b'M' => "AudioMixer",
        b'W' => "AvatarMixer",
        b'A' => "AssetServer",
        b'm' => "MessagesMixer",
        b'S' => "EntityScriptServer",
        b'B' => "UpstreamAudioMixer",
        b'C' => "UpstreamAvatarMixer",
        b'a' => "DownstreamAudioMixer",
        b'w' => "DownstreamAvatarMixer",
        1 => "Unassigned",
        _ => return None,
    })
}

/// Node type served on a conventional assignment-client port (48000 + `Assignment::Type`).
pub fn node_type_for_port(port: u16) -> Option<u8> {
    Some(match port {
        40102 => b'D',
        48000 => b'M',
        48001 => b'W',
        48003 => b'A',
        48004 => b'm',
        48005 => b'S',
        48006 => b'o',
        _ => return None,
    })
}

/// The protocol signature: MD5 of `u8 NUM_PACKET_TYPE` followed by every type's version.
pub fn signature(versions: &[u8]) -> [u8; 16] {
    let mut bytes = Vec::with_capacity(1 + versions.len());
    bytes.push(versions.len() as u8);
    bytes.extend_from_slice(versions);
    crate::md5::digest(&bytes)
}

/// The version table in use: the built-in one, or one a user supplied.
#[derive(Debug, Clone)]
pub struct VersionTable {
    pub versions: [u8; NUM_TYPES],
    pub signature: [u8; 16],
    /// Where the table came from, for messages ("the built-in table", "the table in FILE").
    pub origin: String,
}

impl Default for VersionTable {
    fn default() -> Self {
        VersionTable {
            versions: BUILTIN_VERSIONS,
            signature: signature(&BUILTIN_VERSIONS),
            origin: "the built-in table".into(),
        }
    }
}

impl VersionTable {
    pub fn version(&self, t: u8) -> Option<u8> {
        self.versions.get(t as usize).copied()
    }

    /// Parses a version file: one `TYPE VERSION` pair per line, TYPE a name (`AvatarData`) or a
    /// number (`6`); `#` starts a comment. Types not listed keep the built-in version.
    pub fn parse(text: &str, origin: &str) -> Result<VersionTable, String> {
        let mut versions = BUILTIN_VERSIONS;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(ty), Some(ver), None) = (words.next(), words.next(), words.next()) else {
                return Err(format!("line {}: expected 'TYPE VERSION', got '{line}'", n + 1));
            };
            let index = match ty.parse::<usize>() {
                Ok(i) if i < NUM_TYPES => i,
                Ok(i) => return Err(format!("line {}: type {i} is not below {NUM_TYPES}", n + 1)),
                Err(_) => NAMES
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(ty))
                    .ok_or_else(|| format!("line {}: unknown packet type '{ty}'", n + 1))?,
            };
            versions[index] =
                ver.parse().map_err(|_| format!("line {}: version '{ver}' is not a number 0..=255", n + 1))?;
        }
        Ok(VersionTable { versions, signature: signature(&versions), origin: format!("the table in {origin}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_core::Hex;

    #[test]
    fn builtin_table_reproduces_the_release_signature() {
        assert_eq!(Hex(&signature(&BUILTIN_VERSIONS)).to_string(), "eb1600e798dc5e03c755a968dc16b7fc");
        assert_eq!(signature(&BUILTIN_VERSIONS), BUILTIN_SIGNATURE);
    }

    #[test]
    fn header_sets_give_the_reference_sizes() {
        assert_eq!(NON_SOURCED.len(), 38);
        for t in 0..=255u8 {
            assert_eq!(is_sourced(t), !NON_SOURCED.contains(&t), "{t}");
            assert_eq!(is_verified(t), is_sourced(t) && !NON_VERIFIED.contains(&t), "{t}");
        }
        assert_eq!((nl_header_len(3), nl_header_len(13), nl_header_len(2), nl_header_len(35)), (20, 4, 2, 2));
        assert_eq!((nl_header_len(42), nl_header_len(200)), (4, 20));
        let sourced = (0..NUM_TYPES as u8).filter(|&t| is_sourced(t)).count();
        let verified = (0..NUM_TYPES as u8).filter(|&t| is_verified(t)).count();
        assert_eq!((sourced, verified), (68, 59));
        assert_eq!((name(31), name(105), name(106)), (Some("DomainConnectRequest"), Some("WebRTCSignaling"), None));
    }

    #[test]
    fn a_version_file_overrides_entries_by_name_or_number() {
        let t = VersionTable::parse("# Vircadia\nAvatarData 54\n5 54 # KillAvatar\n\n", "v.txt").unwrap();
        assert_eq!((t.version(6), t.version(5), t.version(3)), (Some(54), Some(54), Some(18)));
        assert_ne!(t.signature, BUILTIN_SIGNATURE);
        assert_eq!(t.origin, "the table in v.txt");
        assert!(VersionTable::parse("Nope 3", "f").unwrap_err().contains("unknown packet type 'Nope'"));
        assert!(VersionTable::parse("3 300", "f").unwrap_err().contains("line 1"));
        assert!(VersionTable::parse("106 3", "f").is_err());
        assert!(VersionTable::parse("Ping", "f").is_err());
    }
}
