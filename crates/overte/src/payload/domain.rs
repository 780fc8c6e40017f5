//! Domain-server check-in and node list (`protocols/overte.md` §5.3–§5.6): DomainConnectRequest,
//! DomainListRequest, DomainList and its node records, DomainServerAddedNode / RemovedNode /
//! ConnectionToken. All QDataStream (big-endian).

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::zlib;
use udpdissect_core::Value;

use super::codec::{lossy, QBytes, QSockAddr, QStr, Rd, Walk};
use super::fields as f;
use super::{enums, DomainListHeader, Learned, NodeRecord};

/// Most node records kept in [`Learned::nodes`] per payload.
pub const MAX_NODES: usize = 1024;
/// Bound on the inflated system info (DESIGN: 64 KiB per packet).
pub const MAX_SYSTEM_INFO: usize = 64 * 1024;
/// The literal a development build sends instead of the MD5 signature.
pub const INCORRECT_VERSION: &[u8; 16] = b"INCORRECTVERSION";

/// The part DomainConnectRequest and DomainListRequest share (§5.3 fields 8–15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn<'a> {
    pub timestamp: u64,
    pub owner_type: u8,
    pub public_type: u8,
    pub public: QSockAddr<'a>,
    pub local_type: u8,
    pub local: QSockAddr<'a>,
    /// nodeTypesOfInterest (`QList<quint8>`).
    pub interests: Cow<'a, [u8]>,
    pub place_name: QStr<'a>,
    /// Sent only while not yet connected, each field only if the previous one is.
    pub username: Option<QStr<'a>>,
    /// RSA signature QByteArray, or QString("") (same 00000000 framing).
    pub username_signature: Option<QBytes<'a>>,
    pub domain_username: Option<QStr<'a>>,
    pub domain_tokens: Option<QStr<'a>>,
}

impl<'a> CheckIn<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let timestamp = r.u64be(&f::CI_TIMESTAMP)?;
        let owner_type = r.en8(&f::CI_OWNER, enums::node_type)?;
        let public_type = r.en8(&f::CI_PUBLIC_TYPE, enums::socket_type)?;
        let public = r.sockaddr(&f::CI_PUBLIC)?;
        let local_type = r.en8(&f::CI_LOCAL_TYPE, enums::socket_type)?;
        let local = r.sockaddr(&f::CI_LOCAL)?;
        let list = r.open(&f::CI_INTERESTS, || Value::None);
        let n = r.u32be(&f::CI_INTEREST_COUNT)?;
        let interests = r.take(&f::CI_INTERESTS, n as usize)?;
        if r.tree() {
            for (i, &t) in interests.iter().enumerate() {
                let at = r.pos - interests.len() + i;
                r.add(&f::CI_INTEREST, at, 1, || Value::Enum { value: t.into(), name: enums::node_type(t.into()) });
            }
        }
        r.close(list);
        let place_name = r.qstring(&f::CI_PLACE)?;
        let username = if r.left() > 0 { Some(r.qstring(&f::CI_USERNAME)?) } else { None };
        let username_signature =
            if username.is_some() && r.left() > 0 { Some(r.qbytes(&f::CI_USERNAME_SIG)?) } else { None };
        let domain_username =
            if username_signature.is_some() && r.left() > 0 { Some(r.qstring(&f::CI_DOMAIN_USERNAME)?) } else { None };
        let domain_tokens =
            if domain_username.is_some() && r.left() > 0 { Some(r.qstring(&f::CI_DOMAIN_TOKENS)?) } else { None };
        Some(CheckIn {
            timestamp,
            owner_type,
            public_type,
            public,
            local_type,
            local,
            interests: Cow::Borrowed(interests),
            place_name,
            username,
            username_signature,
            domain_username,
            domain_tokens,
        })
    }

    fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.timestamp.to_be_bytes());
        out.push(self.owner_type);
        out.push(self.public_type);
        self.public.emit(out);
        out.push(self.local_type);
        self.local.emit(out);
        out.extend_from_slice(&(self.interests.len() as u32).to_be_bytes());
        out.extend_from_slice(&self.interests);
        self.place_name.emit(out);
        // Optional tail: each field only if the one before it is present.
        let Some(u) = &self.username else { return };
        u.emit(out);
        let Some(s) = &self.username_signature else { return };
        s.emit(out);
        let Some(d) = &self.domain_username else { return };
        d.emit(out);
        if let Some(t) = &self.domain_tokens {
            t.emit(out);
        }
    }
}

/// DomainConnectRequest (31), client → domain server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectRequest<'a> {
    pub connect_uuid: [u8; 16],
    /// Protocol version signature (16 MD5 bytes normally).
    pub signature: QBytes<'a>,
    pub hardware_address: QStr<'a>,
    pub machine_fingerprint: [u8; 16],
    /// qCompress'ed JSON: 4-byte BE size + zlib stream (or null / empty).
    pub system_info: QBytes<'a>,
    pub connect_reason: u32,
    pub previous_uptime: u64,
    pub check_in: CheckIn<'a>,
}

impl<'a> Walk<'a> for ConnectRequest<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let connect_uuid = r.uuid(&f::CONNECT_UUID)?;
        let sig_at = r.pos;
        let signature = r.qbytes(&f::CONNECT_SIGNATURE)?;
        check_signature(r, sig_at, &signature);
        let hardware_address = r.qstring(&f::CONNECT_HW_ADDR)?;
        let machine_fingerprint = r.uuid(&f::CONNECT_FINGERPRINT)?;
        let si_at = r.pos;
        let system_info = r.qbytes(&f::CONNECT_SYSINFO)?;
        if r.out.is_some() {
            show_system_info(r, si_at, system_info.bytes());
        }
        let connect_reason = r.en32be(&f::CONNECT_REASON, enums::connect_reason)?;
        let previous_uptime = r.u64be(&f::CONNECT_PREV_UPTIME)?;
        let check_in = CheckIn::walk(r)?;
        Some(ConnectRequest {
            connect_uuid,
            signature,
            hardware_address,
            machine_fingerprint,
            system_info,
            connect_reason,
            previous_uptime,
            check_in,
        })
    }
}

impl<'a> ConnectRequest<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.connect_uuid);
        self.signature.emit(out);
        self.hardware_address.emit(out);
        out.extend_from_slice(&self.machine_fingerprint);
        self.system_info.emit(out);
        out.extend_from_slice(&self.connect_reason.to_be_bytes());
        out.extend_from_slice(&self.previous_uptime.to_be_bytes());
        self.check_in.emit(out);
    }
}

fn check_signature(r: &mut Rd, at: usize, sig: &QBytes) {
    let b = sig.bytes();
    let len = b.len() + 4;
    if b == INCORRECT_VERSION {
        r.expert(&f::SIGNATURE_UNUSUAL, at, len, || {
            "protocol signature is the literal \"INCORRECTVERSION\" a development build sends on purpose: the \
             domain server answers DomainConnectionDenied (ProtocolMismatch)"
                .to_string()
        });
    } else if b.len() != 16 {
        let n = b.len();
        r.expert(&f::SIGNATURE_UNUSUAL, at, len, || {
            format!(
                "protocol signature is {n} bytes, not a 16-byte MD5: it cannot match the domain server's, which \
                 answers DomainConnectionDenied (ProtocolMismatch)"
            )
        });
    }
}

/// Inflates the qCompress'ed system info into a derived buffer (bounded) and shows the JSON.
fn show_system_info(r: &mut Rd, at: usize, b: &[u8]) {
    if b.is_empty() {
        return;
    }
    let Some(size) = b.get(..4) else {
        return r.expert(&f::SYSINFO_INFLATE, at, b.len() + 4, || {
            format!(
                "system info is {} bytes, shorter than qCompress's 4-byte size header: the domain server cannot \
                 uncompress it",
                b.len()
            )
        });
    };
    let declared = u32::from_be_bytes([size[0], size[1], size[2], size[3]]);
    r.add(&f::SYSINFO_SIZE, at + 4, 4, || Value::Unsigned(declared.into()));
    r.add(&f::SYSINFO_ZLIB, at + 8, b.len() - 4, || Value::Bytes);
    let Some(out) = r.out.as_deref_mut() else { return };
    // Inflated only to be shown or checked.
    if !out.wants_findings_or(&[&f::SYSINFO_JSON]) {
        return;
    }
    let mut outcome = Ok(false);
    let src = out.add_source(format_args!("Inflated system info"), |buf| outcome = inflate(&b[4..], buf));
    let inflated = out.source_bytes(&[], src).len();
    match outcome {
        Ok(hit_bound) => {
            if hit_bound {
                r.expert(&f::SYSINFO_BOUND, at, b.len() + 4, || {
                    format!("system info inflates past the {MAX_SYSTEM_INFO}-byte bound; only the first part is shown")
                });
            }
        }
        Err(e) => r.expert(&f::SYSINFO_INFLATE, at + 8, b.len() - 4, || {
            format!(
                "system info does not inflate ({e}) after {inflated} bytes: qUncompress on the domain server \
                 returns an empty array, so it records no system info for this node"
            )
        }),
    }
    let Some(out) = r.out.as_deref_mut() else { return };
    if inflated > 0 && out.wants(&f::SYSINFO_JSON) {
        let prev = out.set_cursor(src, 0);
        let text = lossy(out.source_bytes(&[], src));
        out.add(&f::SYSINFO_JSON, 0, inflated, text);
        out.set_cursor(prev.0, prev.1);
    }
}

/// Inflates a zlib stream into `buf`, at most [`MAX_SYSTEM_INFO`] bytes. `Ok(true)`: the bound
/// was hit.
fn inflate(z: &[u8], buf: &mut Vec<u8>) -> Result<bool, String> {
    zlib::inflate_whole(z, buf, MAX_SYSTEM_INFO).map_err(|e| match e {
        zlib::Broken::Corrupt(why) => why,
        zlib::Broken::EndsEarly => "the zlib stream ends early".into(),
    })
}

/// DomainListRequest (13): the check-in alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest<'a> {
    pub check_in: CheckIn<'a>,
}

impl<'a> Walk<'a> for ListRequest<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        CheckIn::walk(r).map(|check_in| ListRequest { check_in })
    }
}

impl<'a> ListRequest<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.check_in.emit(out);
    }
}

/// One node record as sent (DomainList, DomainServerAddedNode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRec<'a> {
    pub node_type: u8,
    pub uuid: [u8; 16],
    pub public_type: u8,
    pub public: QSockAddr<'a>,
    pub local_type: u8,
    pub local: QSockAddr<'a>,
    pub permissions: u32,
    /// isReplicated (bool byte as sent).
    pub replicated: u8,
    pub local_id: u16,
    pub secret: [u8; 16],
}

impl<'a> Walk<'a> for NodeRec<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        // The subtree is labelled with the record's node type (its first byte).
        let t = r.rest().first().copied();
        let node = r.open(&f::NODE, || match t {
            Some(t) => Value::Enum { value: t.into(), name: enums::node_type(t.into()) },
            None => Value::None,
        });
        let rec = Self::walk_fields(r);
        r.close(node);
        rec
    }
}

impl<'a> NodeRec<'a> {
    fn walk_fields(r: &mut Rd<'a, '_>) -> Option<Self> {
        let node_type = r.en8(&f::NODE_TYPE, enums::node_type)?;
        let uuid = r.uuid(&f::NODE_UUID)?;
        let public_type = r.en8(&f::NODE_PUBLIC_TYPE, enums::socket_type)?;
        let public = r.sockaddr(&f::NODE_PUBLIC)?;
        let local_type = r.en8(&f::NODE_LOCAL_TYPE, enums::socket_type)?;
        let local = r.sockaddr(&f::NODE_LOCAL)?;
        let permissions = r.u32be(&f::NODE_PERMISSIONS)?;
        r.generated(&f::PERMISSION_NAMES, || Value::String(Cow::Owned(enums::permission_names(permissions))));
        let replicated = r.bool8(&f::NODE_REPLICATED)?;
        let local_id = r.u16be(&f::NODE_LOCAL_ID)?;
        let secret = r.uuid(&f::NODE_SECRET)?;
        Some(NodeRec {
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
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.node_type);
        out.extend_from_slice(&self.uuid);
        out.push(self.public_type);
        self.public.emit(out);
        out.push(self.local_type);
        self.local.emit(out);
        out.extend_from_slice(&self.permissions.to_be_bytes());
        out.push(self.replicated);
        out.extend_from_slice(&self.local_id.to_be_bytes());
        out.extend_from_slice(&self.secret);
    }

    /// The session layer's view of the record.
    pub fn record(&self) -> NodeRecord {
        NodeRecord {
            node_type: self.node_type,
            uuid: self.uuid,
            public: self.public.socket_addr(),
            local: self.local.socket_addr(),
            permissions: self.permissions,
            local_id: self.local_id,
            secret: Some(self.secret),
        }
    }
}

/// The DomainList extended header as sent (§5.5, 66 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListHeader {
    pub session_uuid: [u8; 16],
    pub domain_local_id: u16,
    pub your_uuid: [u8; 16],
    pub your_local_id: u16,
    pub permissions: u32,
    pub authenticate: u8,
    /// Echo of the client's last check-in timestamp (µs).
    pub last_check_in: u64,
    /// Domain server wall clock (µs).
    pub server_time: u64,
    /// Domain server processing time (µs).
    pub processing_time: u64,
    pub new_connection: u8,
}

impl ListHeader {
    pub const LEN: usize = 66;

    fn walk(r: &mut Rd) -> Option<Self> {
        let session_uuid = r.uuid(&f::DL_SESSION_UUID)?;
        let domain_local_id = r.u16be(&f::DL_DOMAIN_LOCAL_ID)?;
        let your_uuid = r.uuid(&f::DL_YOUR_UUID)?;
        let your_local_id = r.u16be(&f::DL_YOUR_LOCAL_ID)?;
        let permissions = r.u32be(&f::DL_PERMISSIONS)?;
        r.generated(&f::PERMISSION_NAMES, || Value::String(Cow::Owned(enums::permission_names(permissions))));
        let authenticate = r.bool8(&f::DL_AUTHENTICATE)?;
        let last_check_in = r.u64be(&f::DL_LAST_CHECK_IN)?;
        let server_time = r.u64be(&f::DL_SERVER_TIME)?;
        let processing_time = r.u64be(&f::DL_PROCESSING_TIME)?;
        let new_connection = r.bool8(&f::DL_NEW_CONNECTION)?;
        Some(ListHeader {
            session_uuid,
            domain_local_id,
            your_uuid,
            your_local_id,
            permissions,
            authenticate,
            last_check_in,
            server_time,
            processing_time,
            new_connection,
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.session_uuid);
        out.extend_from_slice(&self.domain_local_id.to_be_bytes());
        out.extend_from_slice(&self.your_uuid);
        out.extend_from_slice(&self.your_local_id.to_be_bytes());
        out.extend_from_slice(&self.permissions.to_be_bytes());
        out.push(self.authenticate);
        out.extend_from_slice(&self.last_check_in.to_be_bytes());
        out.extend_from_slice(&self.server_time.to_be_bytes());
        out.extend_from_slice(&self.processing_time.to_be_bytes());
        out.push(self.new_connection);
    }

    pub fn learned(&self) -> DomainListHeader {
        DomainListHeader {
            session_uuid: self.session_uuid,
            domain_local_id: self.domain_local_id,
            your_uuid: self.your_uuid,
            your_local_id: self.your_local_id,
            permissions: self.permissions,
            authenticate: self.authenticate != 0,
            new_connection: self.new_connection != 0,
        }
    }
}

/// DomainList (2): the extended header and zero or more node records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainList<'a> {
    pub header: ListHeader,
    pub nodes: Vec<NodeRec<'a>>,
}

impl<'a> Walk<'a> for DomainList<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let header = ListHeader::walk(r)?;
        let mut nodes = Vec::new();
        while r.left() > 0 {
            nodes.push(NodeRec::walk(r)?);
        }
        Some(DomainList { header, nodes })
    }
}

impl<'a> DomainList<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        self.header.emit(out);
        for n in &self.nodes {
            n.emit(out);
        }
    }
}

pub(crate) fn dissect_connect(r: &mut Rd, learned: &mut Learned) {
    let Some(c) = ConnectRequest::walk(r) else {
        // Keep what the session layer needs even from a cut packet.
        learn_partial_connect(r.data, learned);
        return;
    };
    learned.signature = Some(c.signature.bytes().to_vec());
    learned.owner_type = Some(c.check_in.owner_type);
    check_in_info(r, &c.check_in);
}

/// The signature sits at a fixed place (after the 16-byte connect UUID): learn it even when a
/// later field is malformed.
fn learn_partial_connect(b: &[u8], learned: &mut Learned) {
    let mut r = Rd::new(b);
    if r.take(&f::CONNECT_UUID, 16).is_some() {
        if let Some(sig) = r.qbytes(&f::CONNECT_SIGNATURE) {
            learned.signature = Some(sig.bytes().to_vec());
        }
    }
}

pub(crate) fn dissect_list_request(r: &mut Rd, learned: &mut Learned) {
    if let Some(c) = CheckIn::walk(r) {
        learned.owner_type = Some(c.owner_type);
        check_in_info(r, &c);
    }
}

/// Appends ` ip:port` for a socket the Info column shows (IPv4 without `fmt`).
fn push_socket(s: &mut String, a: Option<std::net::SocketAddr>) {
    if let Some(a) = a {
        s.push(' ');
        udpdissect_core::digits::push_socket_addr(s, a);
    }
}

fn check_in_info(r: &mut Rd, c: &CheckIn) {
    let owner = enums::node_type(c.owner_type.into()).unwrap_or("?");
    let public = c.public.socket_addr();
    r.info(|s| {
        s.push(' ');
        s.push_str(owner);
        push_socket(s, public);
    });
}

pub(crate) fn dissect_list(r: &mut Rd, learned: &mut Learned) {
    let Some(h) = ListHeader::walk(r) else { return };
    learned.domain_list = Some(h.learned());
    let mut count = 0usize;
    while r.left() > 0 {
        let Some(n) = NodeRec::walk(r) else { break };
        count += 1;
        if learned.nodes.len() < MAX_NODES {
            learned.nodes.push(n.record());
        } else if learned.nodes.len() == MAX_NODES && count == MAX_NODES + 1 {
            let at = r.pos;
            r.expert(&f::RECORD_LIMIT, at, 0, || {
                format!("more than {MAX_NODES} node records: the session layer keeps only the first {MAX_NODES}")
            });
        }
    }
    r.generated(&f::DL_NODE_COUNT, || Value::Unsigned(count as u64));
    let id = h.your_local_id;
    r.info(|s| {
        s.push_str(" your ID ");
        udpdissect_core::digits::push_u64(s, id.into());
        s.push(',');
        udpdissect_core::digits::push_count(s, count as u64, " node");
    });
}

pub(crate) fn dissect_added_node(r: &mut Rd, learned: &mut Learned) {
    let Some(n) = NodeRec::walk(r) else { return };
    learned.nodes.push(n.record());
    let (t, a, id) = (n.node_type, n.public.socket_addr(), n.local_id);
    r.info(|s| {
        s.push(' ');
        s.push_str(enums::node_type(t.into()).unwrap_or("?"));
        push_socket(s, a);
        s.push_str(" ID ");
        udpdissect_core::digits::push_u64(s, id.into());
    });
}

/// DomainServerRemovedNode (56) and DomainServerConnectionToken (46): one UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UuidPayload {
    pub uuid: [u8; 16],
}

impl Walk<'_> for UuidPayload {
    fn walk(r: &mut Rd) -> Option<Self> {
        r.uuid(&f::REMOVED_UUID).map(|uuid| UuidPayload { uuid })
    }
}

impl UuidPayload {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.uuid);
    }
}

pub(crate) fn dissect_removed(r: &mut Rd, learned: &mut Learned) {
    if let Some(u) = r.uuid(&f::REMOVED_UUID) {
        learned.removed = Some(u);
        r.info(|s| {
            let _ = write!(s, " {}", udpdissect_core::UuidText(&u));
        });
    }
}

pub(crate) fn dissect_token(r: &mut Rd) {
    r.uuid(&f::TOKEN_UUID);
}
