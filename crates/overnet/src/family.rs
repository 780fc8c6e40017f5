//! The eDonkey family around Overnet, named rather than called unknown: eDonkey server UDP
//! (0xE3 with opcodes ≥ 0x90), eMule extensions (0xC5), Kad (0xE4, and 0xE5 whose zlib body
//! is inflated into a derived buffer). Kad ids and IPs use their own byte orders (§A.8).

use std::borrow::Cow;
use std::fmt::Write;
use std::net::Ipv4Addr;

use udpdissect_core::zlib;
use udpdissect_core::{Dissection, FieldInfo, Value};

use crate::decode::Decoder;
use crate::fields::*;
use crate::wire::{self, u16le, u32le};

/// Inflated output per packet (DESIGN limit).
pub const INFLATE_LIMIT_BYTES: usize = 64 * 1024;
/// Inflate ratio above which a body is flagged.
const INFLATE_RATIO: usize = 1024;
/// A Kad contact: id, IP, UDP port, TCP port, type/version.
pub const KAD_PEER_LEN: usize = 25;

/// eDonkey server UDP opcodes (eMule `opcodes.h`; Wireshark names).
pub fn server_name(op: u8) -> Option<&'static str> {
    Some(match op {
        0x90 => "Search Request 3",
        0x92 => "Search Request 2",
        0x94 => "Get Sources 2",
        0x96 => "Server Status Request",
        0x97 => "Server Status Response",
        0x98 => "Search Request",
        0x99 => "Search Response",
        0x9A => "Get Sources",
        0x9B => "Found Sources",
        0x9C => "Callback Request",
        0x9E => "Callback Fail",
        0xA0 => "Server List Request",
        0xA1 => "Server List Response",
        0xA2 => "Server Description Request",
        0xA3 => "Server Description Response",
        0xA4 => "Server List Request 2",
        _ => return None,
    })
}

/// eMule client-to-client UDP opcodes.
pub fn emule_name(op: u8) -> Option<&'static str> {
    Some(match op {
        0x90 => "Reask File Ping",
        0x91 => "Reask Ack",
        0x92 => "File Not Found",
        0x93 => "Queue Full",
        0x94 => "Reask Callback UDP",
        0x95 => "Direct Callback Request",
        0xFE => "Port Test",
        _ => return None,
    })
}

/// Kad opcodes (Kad1 and Kad2; eMule `opcodes.h`, Wireshark's names).
pub fn kad_name(op: u8) -> Option<&'static str> {
    Some(match op {
        0x00 => "KADEMLIA_BOOTSTRAP_REQ",
        0x08 => "KADEMLIA_BOOTSTRAP_RES",
        0x10 => "KADEMLIA_HELLO_REQ",
        0x18 => "KADEMLIA_HELLO_RES",
        0x20 => "KADEMLIA_REQ",
        0x28 => "KADEMLIA_RES",
        0x30 => "KADEMLIA_SEARCH_REQ",
        0x32 => "KADEMLIA_SRC_NOTES_REQ",
        0x38 => "KADEMLIA_SEARCH_RES",
        0x3A => "KADEMLIA_SRC_NOTES_RES",
        0x40 => "KADEMLIA_PUBLISH_REQ",
        0x42 => "KADEMLIA_PUB_NOTES_REQ",
        0x48 => "KADEMLIA_PUBLISH_RES",
        0x4A => "KADEMLIA_PUB_NOTES_RES",
        0x50 => "KADEMLIA_FIREWALLED_REQ",
        0x51 => "KADEMLIA_FINDBUDDY_REQ",
        0x52 => "KADEMLIA_CALLBACK_REQ",
        0x53 => "KADEMLIA_FIREWALLED2_REQ",
        0x58 => "KADEMLIA_FIREWALLED_RES",
        0x59 => "KADEMLIA_FIREWALLED_ACK_RES",
        0x5A => "KADEMLIA_FINDBUDDY_RES",
        0x01 => "KADEMLIA2_BOOTSTRAP_REQ",
        0x09 => "KADEMLIA2_BOOTSTRAP_RES",
        0x11 => "KADEMLIA2_HELLO_REQ",
        0x19 => "KADEMLIA2_HELLO_RES",
        0x21 => "KADEMLIA2_REQ",
        0x22 => "KADEMLIA2_HELLO_RES_ACK",
        0x29 => "KADEMLIA2_RES",
        0x33 => "KADEMLIA2_SEARCH_KEY_REQ",
        0x34 => "KADEMLIA2_SEARCH_SOURCE_REQ",
        0x35 => "KADEMLIA2_SEARCH_NOTES_REQ",
        0x3B => "KADEMLIA2_SEARCH_RES",
        0x43 => "KADEMLIA2_PUBLISH_KEY_REQ",
        0x44 => "KADEMLIA2_PUBLISH_SOURCE_REQ",
        0x45 => "KADEMLIA2_PUBLISH_NOTES_REQ",
        0x4B => "KADEMLIA2_PUBLISH_RES",
        0x4C => "KADEMLIA2_PUBLISH_RES_ACK",
        0x60 => "KADEMLIA2_PING",
        0x61 => "KADEMLIA2_PONG",
        0x62 => "KADEMLIA2_FIREWALLUDP",
        _ => return None,
    })
}

/// Kad1 opcodes are < 0x60 with the low bit clear except the notes/buddy/firewall family;
/// this is only for the version field.
fn kad_version(op: u8) -> u64 {
    match op {
        0x01 | 0x09 | 0x11 | 0x19 | 0x21 | 0x22 | 0x29 | 0x33..=0x35 | 0x3B | 0x43..=0x45 | 0x4B | 0x4C | 0x60.. => 2,
        _ => 1,
    }
}

/// A Kad 128-bit id: four little-endian u32 words, each printed as 8 hex digits.
pub fn kad_id(b: &[u8], at: usize) -> Option<String> {
    let mut s = String::with_capacity(32);
    for i in 0..4 {
        let _ = write!(s, "{:08X}", u32le(b, at + 4 * i)?);
    }
    Some(s)
}

/// A Kad IPv4: a little-endian u32 (the octets reversed relative to Overnet).
pub fn kad_ip(b: &[u8], at: usize) -> Option<Ipv4Addr> {
    u32le(b, at).map(Ipv4Addr::from)
}

fn id_value(out: &Dissection, info: &'static FieldInfo, b: &[u8], at: usize) -> Value {
    if out.wants(info) {
        kad_id(b, at).map_or(Value::None, |s| Value::String(Cow::Owned(s)))
    } else {
        Value::None
    }
}

/// eDonkey server UDP (0xE3, opcode outside the Overnet range).
pub fn server(dec: &Decoder, out: &mut Dissection, op: u8) {
    let b = dec.b;
    let name = server_name(op);
    out.protocol = COLUMN_EDONKEY;
    out.message = name.unwrap_or("Unknown");
    let _ = write!(out.info, "{}", name.unwrap_or("Unknown"));
    let end = match op {
        0x96 if b.len() >= 6 => {
            let c = u32le(b, 2).unwrap_or(0);
            out.add(&ED2K_CHALLENGE, 2, 4, Value::Unsigned(c.into()));
            let _ = write!(out.info, " challenge=0x{c:08x}");
            6
        }
        0x97 if b.len() >= 14 => {
            let c = u32le(b, 2).unwrap_or(0);
            out.add(&ED2K_CHALLENGE, 2, 4, Value::Unsigned(c.into()));
            let users = u32le(b, 6).unwrap_or(0);
            let files = u32le(b, 10).unwrap_or(0);
            out.add(&ED2K_USERS, 6, 4, Value::Unsigned(users.into()));
            out.add(&ED2K_FILES, 10, 4, Value::Unsigned(files.into()));
            let _ = write!(out.info, " users={users} files={files}");
            if b.len() > 14 {
                out.add(&BODY, 14, b.len() - 14, Value::Bytes);
            }
            b.len()
        }
        0x9A | 0x94 if b.len() >= 18 => {
            out.add(&ED2K_HASH, 2, 16, Value::Bytes);
            crate::decode::info_md4(out, " ", &b[2..18]);
            if b.len() > 18 {
                out.add(&BODY, 18, b.len() - 18, Value::Bytes);
            }
            b.len()
        }
        _ => {
            if name.is_none() {
                let _ = write!(out.info, " (0x{op:02x})");
                out.expert_at(
                    &UNKNOWN_OPCODE,
                    1,
                    1,
                    format!(
                        "0xE3 opcode 0x{op:02x} is neither Overnet (0x0A–0x21) nor a known eDonkey server UDP opcode"
                    ),
                );
            }
            if b.len() > 2 {
                out.add(&BODY, 2, b.len() - 2, Value::Bytes);
            }
            b.len()
        }
    };
    dec.trailing(out, end, name.unwrap_or("message"));
}

/// eMule extensions (0xC5).
pub fn emule(dec: &Decoder, out: &mut Dissection, op: u8) {
    let b = dec.b;
    let name = emule_name(op);
    out.protocol = COLUMN_EMULE;
    out.message = name.unwrap_or("Unknown");
    let _ = write!(out.info, "{}", name.unwrap_or("Unknown"));
    let mut at = 2;
    if op == 0x90 && b.len() >= 18 {
        out.add(&EMULE_HASH, 2, 16, Value::Bytes);
        crate::decode::info_md4(out, " ", &b[2..18]);
        at = 18;
    }
    if name.is_none() {
        let _ = write!(out.info, " (0x{op:02x})");
        out.expert_at(&UNKNOWN_OPCODE, 1, 1, format!("eMule UDP opcode 0x{op:02x} is not one eMule defines"));
    }
    if b.len() > at {
        out.add(&BODY, at, b.len() - at, Value::Bytes);
    }
}

/// Kad (0xE4 plain, 0xE5 packed); other family magics are named with their body raw.
pub fn kad(dec: &Decoder, out: &mut Dissection, magic: u8, op: u8) {
    let b = dec.b;
    let name = kad_name(op);
    out.protocol = COLUMN_KAD;
    out.message = name.unwrap_or("Unknown");
    let _ = write!(out.info, "{}", name.unwrap_or("Unknown"));
    if name.is_none() {
        let _ = write!(out.info, " (0x{op:02x})");
        out.expert_at(&UNKNOWN_OPCODE, 1, 1, format!("Kad opcode 0x{op:02x} is not one eMule defines"));
    }
    out.add_generated(&KAD_VERSION, Value::Unsigned(kad_version(op)));
    let body = &b[2..];
    let prev = out.cursor();
    if magic == wire::MAGIC_KAD_PACKED {
        let mut status = Ok(false);
        let src = out.add_source(format_args!("Inflated Kad"), |buf| status = inflate(body, buf));
        let inflated_len = out.sources().get(src as usize - 1).map_or(0, |s| s.data.len());
        match status {
            Err(msg) => {
                out.expert_at(
                    &INFLATE_FAILED,
                    2,
                    body.len(),
                    format!("the zlib body does not inflate ({msg}); eMule drops the packet"),
                );
                out.add(&UNDECODED, 2, body.len(), Value::Bytes);
                return;
            }
            Ok(hit_limit) => {
                out.add_generated(&KAD_INFLATED_LEN, Value::Unsigned(inflated_len as u64));
                if hit_limit || inflated_len > body.len().saturating_mul(INFLATE_RATIO) {
                    out.expert_at(
                        &INFLATE_LIMIT,
                        2,
                        body.len(),
                        format!(
                            "{} compressed bytes inflate to {inflated_len}{}",
                            body.len(),
                            if hit_limit { " (stopped at the 64 KiB limit)" } else { " (ratio above 1024)" }
                        ),
                    );
                }
            }
        }
        // The inflated body gets its own data source; fields point into it.
        let data = out.sources().get(src as usize - 1).map(|s| s.data.clone()).unwrap_or_default();
        out.set_cursor(src, 0);
        kad_body(out, &data, op);
    } else if magic == wire::MAGIC_KAD {
        out.set_cursor(prev.0, prev.1 + 2);
        kad_body(out, body, op);
    } else if !body.is_empty() {
        out.add(&BODY, 2, body.len(), Value::Bytes);
    }
    out.set_cursor(prev.0, prev.1);
}

/// Inflates a zlib stream into `buf`, at most [`INFLATE_LIMIT_BYTES`]. Ok(true): the limit cut it.
fn inflate(input: &[u8], buf: &mut Vec<u8>) -> Result<bool, String> {
    zlib::inflate_whole(input, buf, INFLATE_LIMIT_BYTES).map_err(|e| match e {
        zlib::Broken::Corrupt(why) => why,
        zlib::Broken::EndsEarly => "the stream ends early".into(),
    })
}

fn kad_peer(out: &mut Dissection, b: &[u8], at: usize) {
    out.open(&KAD_PEER, at, KAD_PEER_LEN, Value::None);
    out.add(&KAD_ID, at, 16, id_value(out, &KAD_ID, b, at));
    let ip = kad_ip(b, at + 16).unwrap_or(Ipv4Addr::UNSPECIFIED);
    out.add(&KAD_IP, at + 16, 4, Value::Ip(ip.into()));
    out.add(&KAD_UDP_PORT, at + 20, 2, Value::Unsigned(u16le(b, at + 20).unwrap_or(0).into()));
    out.add(&KAD_TCP_PORT, at + 22, 2, Value::Unsigned(u16le(b, at + 22).unwrap_or(0).into()));
    out.add(&KAD_TYPE, at + 24, 1, Value::Unsigned(b.get(at + 24).copied().unwrap_or(0).into()));
    out.close();
}

/// Kad bodies (offsets relative to the body, after the opcode) for the messages decoded further.
fn kad_body(out: &mut Dissection, b: &[u8], op: u8) {
    let peers = |out: &mut Dissection, at: usize, n: usize| {
        let room = b.len().saturating_sub(at) / KAD_PEER_LEN;
        for i in 0..n.min(room) {
            kad_peer(out, b, at + i * KAD_PEER_LEN);
        }
        at + n.min(room) * KAD_PEER_LEN
    };
    let end = match op {
        0x00 | 0x10 | 0x18 if b.len() >= KAD_PEER_LEN => {
            kad_peer(out, b, 0);
            if let Some(ip) = kad_ip(b, 16) {
                let _ = write!(out.info, " {ip}:{}", u16le(b, 20).unwrap_or(0));
            }
            KAD_PEER_LEN
        }
        0x08 if b.len() >= 2 => {
            let n = u16le(b, 0).unwrap_or(0) as usize;
            out.add(&KAD_COUNT, 0, 2, Value::Unsigned(n as u64));
            let _ = write!(out.info, " {n} contacts");
            peers(out, 2, n)
        }
        0x20 | 0x21 if b.len() >= 33 => {
            out.add(&KAD_REQ_TYPE, 0, 1, Value::Unsigned(b[0].into()));
            out.add(&KAD_TARGET, 1, 16, id_value(out, &KAD_TARGET, b, 1));
            out.add(&KAD_RECEIVER, 17, 16, id_value(out, &KAD_RECEIVER, b, 17));
            33
        }
        0x28 | 0x29 if b.len() >= 17 => {
            out.add(&KAD_TARGET, 0, 16, id_value(out, &KAD_TARGET, b, 0));
            let n = b[16] as usize;
            out.add(&KAD_COUNT, 16, 1, Value::Unsigned(n as u64));
            let _ = write!(out.info, " {n} contacts");
            peers(out, 17, n)
        }
        0x61 if b.len() >= 2 => {
            out.add(&KAD_UDP_PORT, 0, 2, Value::Unsigned(u16le(b, 0).unwrap_or(0).into()));
            2
        }
        _ => 0,
    };
    if end < b.len() {
        out.add(&BODY, end, b.len() - end, Value::Bytes);
    }
}
