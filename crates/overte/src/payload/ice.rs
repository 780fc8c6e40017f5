//! ICE server packets (`protocols/overte.md` §5.10): QDataStream UUIDs and SockAddrs (no
//! socket-type byte), except ICEPing / ICEPingReply, which are a raw UUID + ping type byte.

use super::codec::{QBytes, QSockAddr, Rd, Walk};
use super::enums;
use super::fields as f;

/// ICEServerHeartbeat (38): domain ID, public and local sockets, RSA signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat<'a> {
    pub domain_id: [u8; 16],
    pub public: QSockAddr<'a>,
    pub local: QSockAddr<'a>,
    pub signature: QBytes<'a>,
}

impl<'a> Walk<'a> for Heartbeat<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let domain_id = r.uuid(&f::ICE_ID)?;
        let public = r.sockaddr(&f::ICE_PUBLIC)?;
        let local = r.sockaddr(&f::ICE_LOCAL)?;
        let signature = r.qbytes(&f::ICE_SIGNATURE)?;
        Some(Heartbeat { domain_id, public, local, signature })
    }
}

impl<'a> Heartbeat<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.domain_id);
        self.public.emit(out);
        self.local.emit(out);
        self.signature.emit(out);
    }
}

/// ICEServerQuery (23): client ICE ID, its sockets, the wanted domain ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<'a> {
    pub client_id: [u8; 16],
    pub public: QSockAddr<'a>,
    pub local: QSockAddr<'a>,
    pub domain_id: [u8; 16],
}

impl<'a> Walk<'a> for Query<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let client_id = r.uuid(&f::ICE_ID)?;
        let public = r.sockaddr(&f::ICE_PUBLIC)?;
        let local = r.sockaddr(&f::ICE_LOCAL)?;
        let domain_id = r.uuid(&f::ICE_DOMAIN_ID)?;
        Some(Query { client_id, public, local, domain_id })
    }
}

impl<'a> Query<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.client_id);
        self.public.emit(out);
        self.local.emit(out);
        out.extend_from_slice(&self.domain_id);
    }
}

/// ICEServerPeerInformation (22): a NetworkPeer (UUID, public and local sockets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInformation<'a> {
    pub peer_id: [u8; 16],
    pub public: QSockAddr<'a>,
    pub local: QSockAddr<'a>,
}

impl<'a> Walk<'a> for PeerInformation<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let peer_id = r.uuid(&f::ICE_ID)?;
        let public = r.sockaddr(&f::ICE_PUBLIC)?;
        let local = r.sockaddr(&f::ICE_LOCAL)?;
        Some(PeerInformation { peer_id, public, local })
    }
}

impl<'a> PeerInformation<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.peer_id);
        self.public.emit(out);
        self.local.emit(out);
    }
}

/// ICEPing (39) and ICEPingReply (40): sender ID + ping type, 17 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcePing {
    pub sender_id: [u8; 16],
    pub ping_type: u8,
}

impl Walk<'_> for IcePing {
    fn walk(r: &mut Rd) -> Option<Self> {
        let sender_id = r.uuid(&f::ICE_ID)?;
        let ping_type = r.en8(&f::ICE_PING_TYPE, enums::ping_type)?;
        Some(IcePing { sender_id, ping_type })
    }
}

impl IcePing {
    pub const LEN: usize = 17;

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.sender_id);
        out.push(self.ping_type);
    }
}

fn sock_info(r: &mut Rd, public: &QSockAddr) {
    if let Some(a) = public.socket_addr() {
        r.info(|s| {
            s.push(' ');
            udpdissect_core::digits::push_socket_addr(s, a);
        });
    }
}

pub(crate) fn dissect_heartbeat(r: &mut Rd) {
    if let Some(h) = Heartbeat::walk(r) {
        sock_info(r, &h.public);
    }
}

pub(crate) fn dissect_query(r: &mut Rd) {
    if let Some(q) = Query::walk(r) {
        sock_info(r, &q.public);
    }
}

pub(crate) fn dissect_peer(r: &mut Rd) {
    if let Some(p) = PeerInformation::walk(r) {
        sock_info(r, &p.public);
    }
}

pub(crate) fn dissect_ping(r: &mut Rd) {
    if let Some(p) = IcePing::walk(r) {
        let name = enums::ping_type(p.ping_type.into()).unwrap_or("?");
        r.info_word(name);
    }
}
