//! Names of the small enums payloads carry (`protocols/overte.md` §5.2). Open tables: an
//! unknown value has no name and keeps its number.

/// `NodeType_t` (ASCII letters).
pub fn node_type(v: u64) -> Option<&'static str> {
    u8::try_from(v).ok().and_then(crate::types::node_type_name)
}

/// `SocketType` (the byte written before a SockAddr).
pub fn socket_type(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Unknown",
        1 => "UDP",
        2 => "WebRTC",
        _ => return None,
    })
}

/// `QAbstractSocket::NetworkLayerProtocol` as QHostAddress streams it.
pub fn addr_protocol(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "IPv4",
        1 => "IPv6",
        2 => "Any",
        0xff => "Null",
        _ => return None,
    })
}

/// `LimitedNodeList::ConnectReason`.
pub fn connect_reason(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Connect",
        1 => "SilentDomainDisconnect",
        2 => "Awake",
        _ => return None,
    })
}

/// `DomainHandler::ConnectionRefusedReason`.
pub fn refused_reason(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Unknown",
        1 => "ProtocolMismatch",
        2 => "LoginErrorMetaverse",
        3 => "NotAuthorizedMetaverse",
        4 => "TooManyUsers",
        5 => "TimedOut",
        6 => "LoginErrorDomain",
        7 => "NotAuthorizedDomain",
        _ => return None,
    })
}

/// `PingType_t`.
pub fn ping_type(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Agnostic",
        1 => "Local",
        2 => "Public",
        3 => "Symmetric",
        _ => return None,
    })
}

/// `Assignment::Type`.
pub fn assignment_type(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "AudioMixer",
        1 => "AvatarMixer",
        2 => "Agent",
        3 => "AssetServer",
        4 => "MessagesMixer",
        5 => "EntityScriptServer",
        6 => "EntityServer",
        7 => "AllTypes",
        _ => return None,
    })
}

/// `KillAvatarReason`.
pub fn kill_reason(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "NoReason",
        1 => "AvatarDisconnected",
        2 => "AvatarIgnored",
        3 => "TheirAvatarEnteredYourBubble",
        4 => "YourAvatarEnteredTheirBubble",
        _ => return None,
    })
}

/// `AvatarTraits::TraitType` (i8; -1 ends a trait list).
pub fn trait_type(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "SkeletonModelURL",
        1 => "SkeletonData",
        2 => "AvatarEntity",
        3 => "Grab",
        0xff => "NullTrait",
        _ => return None,
    })
}

/// `NodePermissions::Permission` bit names, lowest bit first.
pub const PERMISSIONS: [&str; 13] = [
    "canConnectToDomain",
    "canAdjustLocks",
    "canRezPermanentEntities",
    "canRezTemporaryEntities",
    "canWriteToAssetServer",
    "canConnectPastMaxCapacity",
    "canKick",
    "canReplaceDomainContent",
    "canRezPermanentCertifiedEntities",
    "canRezTemporaryCertifiedEntities",
    "canGetAndSetPrivateUserData",
    "canRezAvatarEntities",
    "canViewAssetURLs",
];

/// The permission names set in `bits`, joined by `|` (unknown bits as hex).
pub fn permission_names(bits: u32) -> String {
    let mut s = String::new();
    for (i, name) in PERMISSIONS.iter().enumerate() {
        if bits & (1 << i) != 0 {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(name);
        }
    }
    let unknown = bits & !((1u32 << PERMISSIONS.len()) - 1);
    if unknown != 0 {
        if !s.is_empty() {
            s.push('|');
        }
        s.push_str(&format!("0x{unknown:x}"));
    }
    s
}
