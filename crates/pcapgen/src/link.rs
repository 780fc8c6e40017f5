//! Link-layer wrappers: Ethernet (with VLAN tags), Linux cooked v1/v2,
//! BSD/OpenBSD loopback, and an ARP frame. Raw-IP link types need no
//! wrapper.

use std::net::Ipv4Addr;

/// EtherType of IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// EtherType of ARP.
pub const ETHERTYPE_ARP: u16 = 0x0806;
/// EtherType of IPv6.
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
/// TPID of an 802.1Q (customer) VLAN tag.
pub const TPID_8021Q: u16 = 0x8100;
/// TPID of an 802.1ad (service, QinQ outer) VLAN tag.
pub const TPID_8021AD: u16 = 0x88a8;

/// `AF_INET` in loopback headers (all BSDs and Linux).
pub const AF_INET: u32 = 2;
/// `AF_INET6` on NetBSD/OpenBSD.
pub const AF_INET6_BSD: u32 = 24;
/// `AF_INET6` on FreeBSD.
pub const AF_INET6_FREEBSD: u32 = 28;
/// `AF_INET6` on macOS.
pub const AF_INET6_DARWIN: u32 = 30;

/// Source MAC used by [`ethernet_ip`].
pub const SRC_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
/// Destination MAC used by [`ethernet_ip`].
pub const DST_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];

/// One VLAN tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vlan {
    /// Tag protocol identifier ([`TPID_8021Q`] or [`TPID_8021AD`]).
    pub tpid: u16,
    /// Priority code point (0..=7).
    pub pcp: u8,
    /// VLAN identifier (0..=4095).
    pub id: u16,
}

impl Vlan {
    /// An 802.1Q tag with priority 0.
    pub fn q(id: u16) -> Self {
        Vlan { tpid: TPID_8021Q, pcp: 0, id }
    }

    /// An 802.1ad (outer QinQ) tag with priority 0.
    pub fn ad(id: u16) -> Self {
        Vlan { tpid: TPID_8021AD, pcp: 0, id }
    }
}

/// An Ethernet II frame (no FCS) with VLAN tags in the given order
/// (outermost first).
pub fn ethernet(dst: [u8; 6], src: [u8; 6], vlans: &[Vlan], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(14 + 4 * vlans.len() + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    for v in vlans {
        f.extend_from_slice(&v.tpid.to_be_bytes());
        let tci = (u16::from(v.pcp & 7) << 13) | (v.id & 0x0fff);
        f.extend_from_slice(&tci.to_be_bytes());
    }
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// Like [`ethernet`], then zero-padded to the 60-byte minimum frame size.
pub fn ethernet_padded(dst: [u8; 6], src: [u8; 6], vlans: &[Vlan], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = ethernet(dst, src, vlans, ethertype, payload);
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

/// The EtherType for an IP packet, from its version nibble.
///
/// Panics if the version is neither 4 nor 6.
pub fn ip_ethertype(ip_packet: &[u8]) -> u16 {
    match ip_packet.first().map(|b| b >> 4) {
        Some(4) => ETHERTYPE_IPV4,
        Some(6) => ETHERTYPE_IPV6,
        v => panic!("not an IP packet (version {v:?})"),
    }
}

/// An untagged Ethernet frame from [`SRC_MAC`] to [`DST_MAC`] carrying an IP
/// packet (EtherType chosen from the version nibble).
pub fn ethernet_ip(ip_packet: &[u8]) -> Vec<u8> {
    ethernet(DST_MAC, SRC_MAC, &[], ip_ethertype(ip_packet), ip_packet)
}

/// A Linux cooked capture v1 (`LINKTYPE_LINUX_SLL`) frame: packet type,
/// ARPHRD type, address length and up to 8 address bytes (zero-padded),
/// protocol, all big-endian.
pub fn sll(packet_type: u16, arphrd: u16, addr: &[u8], protocol: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(16 + payload.len());
    f.extend_from_slice(&packet_type.to_be_bytes());
    f.extend_from_slice(&arphrd.to_be_bytes());
    f.extend_from_slice(&(addr.len() as u16).to_be_bytes());
    f.extend_from_slice(&addr8(addr));
    f.extend_from_slice(&protocol.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// A Linux cooked capture v2 (`LINKTYPE_LINUX_SLL2`) frame: protocol,
/// reserved (0), interface index, ARPHRD type, packet type, address length,
/// 8 address bytes (zero-padded).
pub fn sll2(protocol: u16, ifindex: u32, arphrd: u16, packet_type: u8, addr: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(20 + payload.len());
    f.extend_from_slice(&protocol.to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&ifindex.to_be_bytes());
    f.extend_from_slice(&arphrd.to_be_bytes());
    f.push(packet_type);
    f.push(addr.len() as u8);
    f.extend_from_slice(&addr8(addr));
    f.extend_from_slice(payload);
    f
}

fn addr8(addr: &[u8]) -> [u8; 8] {
    assert!(addr.len() <= 8, "link-layer address longer than 8 bytes");
    let mut a = [0u8; 8];
    a[..addr.len()].copy_from_slice(addr);
    a
}

/// A BSD loopback (`LINKTYPE_NULL`) frame: the 4-byte address family in the
/// capturing host's byte order.
pub fn null_loopback(family: u32, little_endian: bool, payload: &[u8]) -> Vec<u8> {
    let mut f = if little_endian { family.to_le_bytes().to_vec() } else { family.to_be_bytes().to_vec() };
    f.extend_from_slice(payload);
    f
}

/// An OpenBSD loopback (`LINKTYPE_LOOP`) frame: the address family
/// big-endian.
pub fn openbsd_loop(family: u32, payload: &[u8]) -> Vec<u8> {
    null_loopback(family, false, payload)
}

/// A broadcast Ethernet ARP request (who-has `target_ip` tell `sender_ip`),
/// padded to 60 bytes.
pub fn arp_request(sender_mac: [u8; 6], sender_ip: Ipv4Addr, target_ip: Ipv4Addr) -> Vec<u8> {
    let mut a = Vec::with_capacity(28);
    a.extend_from_slice(&[0, 1, 0x08, 0x00, 6, 4, 0, 1]);
    a.extend_from_slice(&sender_mac);
    a.extend_from_slice(&sender_ip.octets());
    a.extend_from_slice(&[0; 6]);
    a.extend_from_slice(&target_ip.octets());
    ethernet_padded([0xff; 6], sender_mac, &[], ETHERTYPE_ARP, &a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethernet_with_qinq() {
        let f =
            ethernet(DST_MAC, SRC_MAC, &[Vlan::ad(100), Vlan { tpid: TPID_8021Q, pcp: 5, id: 0xabc }], 0x0800, &[0x45]);
        assert_eq!(&f[..12], &[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
        assert_eq!(&f[12..16], &[0x88, 0xa8, 0x00, 100]);
        assert_eq!(&f[16..20], &[0x81, 0x00, 0xaa, 0xbc]);
        assert_eq!(&f[20..], &[0x08, 0x00, 0x45]);
    }

    #[test]
    fn ethernet_ip_and_padding() {
        assert_eq!(&ethernet_ip(&[0x45, 0])[12..14], &[0x08, 0x00]);
        assert_eq!(&ethernet_ip(&[0x60, 0])[12..14], &[0x86, 0xdd]);
        let f = ethernet_padded(DST_MAC, SRC_MAC, &[], 0x0800, &[1, 2, 3]);
        assert_eq!(f.len(), 60);
        assert_eq!(&f[14..18], &[1, 2, 3, 0]);
        assert_eq!(ethernet_padded(DST_MAC, SRC_MAC, &[], 1, &[9; 50]).len(), 64);
    }

    #[test]
    fn cooked_headers() {
        let f = sll(4, 1, &[1, 2, 3, 4, 5, 6], 0x0800, &[0x45]);
        assert_eq!(f, [0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00, 0x45]);
        let f = sll2(0x86dd, 7, 1, 0, &[1, 2, 3, 4, 5, 6], &[0x60]);
        assert_eq!(f, [0x86, 0xdd, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x60]);
    }

    #[test]
    fn loopback_headers() {
        assert_eq!(null_loopback(AF_INET, true, &[0x45]), [2, 0, 0, 0, 0x45]);
        assert_eq!(null_loopback(AF_INET6_DARWIN, false, &[]), [0, 0, 0, 30]);
        assert_eq!(openbsd_loop(AF_INET6_BSD, &[0x60]), [0, 0, 0, 24, 0x60]);
    }

    #[test]
    fn arp() {
        let f = arp_request(SRC_MAC, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        assert_eq!(f.len(), 60);
        assert_eq!(&f[..6], &[0xff; 6]);
        assert_eq!(&f[12..14], &[0x08, 0x06]);
        assert_eq!(&f[20..22], &[0, 1]);
        assert_eq!(&f[38..42], &[10, 0, 0, 2]);
    }
}
