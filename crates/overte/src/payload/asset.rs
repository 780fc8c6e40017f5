//! Asset server packets (get, upload, info, mappings): all raw `writePrimitive` data, so
//! little-endian numbers; hashes are 32 raw SHA-256 bytes (shown as the lowercase hex of `atp:`
//! URLs); paths are `writeString` text (u32 LE byte length + UTF-8).
//!
//! Readers and writers: `AssetClient.cpp` (client requests, reply handlers), `MappingRequest.cpp`
//! (mapping reply bodies), `AssetServer.cpp` (request handlers, info / mapping replies),
//! `SendAssetTask.cpp` (AssetGet handling, AssetGetReply), `UploadAssetTask.cpp` (AssetUpload
//! handling, AssetUploadReply), `ByteRange.h` (which ranges the server accepts).

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity, Value};

use super::codec::{put_text32le, Rd, Text, Walk};
use super::types::*;

/// AssetGet: message ID, hash, start, end.
const GET_LEN: usize = 4 + 32 + 8 + 8;
/// AssetGetInfo: message ID, hash.
const GET_INFO_LEN: usize = 4 + 32;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[
    &MESSAGE_ID,
    &HASH,
    &RANGE_START,
    &RANGE_END,
    &RANGE,
    &ERROR,
    &DATA_LENGTH,
    &DATA,
    &UPLOAD_SIZE,
    &SIZE,
    &MAP_OPERATION,
    &MAP_PATH,
    &MAP_NEW_PATH,
    &MAP_PATH_COUNT,
    &MAP_BAKING_ENABLED,
    &MAP_REDIRECTED,
    &MAP_REDIRECT_PATH,
    &MAP_COUNT,
    &MAP_ENTRY,
    &MAP_BAKING_STATUS,
    &MAP_BAKING_ERRORS,
];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] =
    &[&INVALID_BYTE_RANGE, &DATA_LENGTH_MISMATCH, &REQUEST_IGNORED, &HASH_AS_HEX, &REPLY_LAYOUT_UNKNOWN];

pub(crate) static MESSAGE_ID: FieldInfo = FieldInfo::new(
    "overte.asset.message_id",
    "Message ID",
    K::Unsigned,
    "MessageID (u32 LE): the client's request counter, echoed by the reply",
);
pub(crate) static HASH: FieldInfo = FieldInfo::new(
    "overte.asset.hash",
    "Hash",
    K::String,
    "SHA-256 of the asset: 32 raw bytes, shown as the lowercase hex of atp: URLs",
);
pub(crate) static RANGE_START: FieldInfo = FieldInfo::new(
    "overte.asset.range_start",
    "Range start",
    K::Signed,
    "first byte (DataOffset i64 LE, inclusive; negative counts back from the end of the file)",
);
pub(crate) static RANGE_END: FieldInfo = FieldInfo::new(
    "overte.asset.range_end",
    "Range end",
    K::Signed,
    "byte after the last (DataOffset i64 LE, exclusive; 0 means the end of the file)",
);
pub(crate) static RANGE: FieldInfo = FieldInfo::new(
    "overte.asset.range",
    "Served range",
    K::String,
    "what the asset server sends for this range (ByteRange::isValid / fixupRange)",
);
pub(crate) static ERROR: FieldInfo =
    FieldInfo::new("overte.asset.error", "Error", K::Enum, "AssetUtils::AssetServerError (u8)");
pub(crate) static DATA_LENGTH: FieldInfo = FieldInfo::new(
    "overte.asset.data_length",
    "Data length",
    K::Signed,
    "AssetGetReply: length of the data that follows (DataOffset i64 LE)",
);
pub(crate) static DATA: FieldInfo = FieldInfo::new("overte.asset.data", "Data", K::Bytes, "asset bytes (not decoded)");
pub(crate) static UPLOAD_SIZE: FieldInfo = FieldInfo::new(
    "overte.asset.upload_size",
    "Upload size",
    K::Unsigned,
    "AssetUpload: length of the data that follows (u64 LE)",
);
pub(crate) static SIZE: FieldInfo =
    FieldInfo::new("overte.asset.size", "Asset size", K::Signed, "AssetGetInfoReply: file size (qint64 LE)");
pub(crate) static MAP_OPERATION: FieldInfo = FieldInfo::new(
    "overte.mapping.operation",
    "Operation",
    K::Enum,
    "AssetMappingOperationType (u8); generated in a reply, from the layout it matches",
);
pub(crate) static MAP_PATH: FieldInfo =
    FieldInfo::new("overte.mapping.path", "Path", K::String, "asset path (writeString: u32 LE length + UTF-8)");
pub(crate) static MAP_NEW_PATH: FieldInfo =
    FieldInfo::new("overte.mapping.new_path", "New path", K::String, "rename target (writeString)");
pub(crate) static MAP_PATH_COUNT: FieldInfo = FieldInfo::new(
    "overte.mapping.path_count",
    "Path count",
    K::Signed,
    "paths that follow (int, i32 LE; the server reads none when negative)",
);
pub(crate) static MAP_BAKING_ENABLED: FieldInfo =
    FieldInfo::new("overte.mapping.baking_enabled", "Baking enabled", K::Bool, "SetBakingEnabled flag (bool)");
pub(crate) static MAP_REDIRECTED: FieldInfo = FieldInfo::new(
    "overte.mapping.redirected",
    "Redirected",
    K::Bool,
    "get reply: the hash is the baked version's (quint8)",
);
pub(crate) static MAP_REDIRECT_PATH: FieldInfo = FieldInfo::new(
    "overte.mapping.redirect_path",
    "Redirect path",
    K::String,
    "get reply: the baked asset's path (writeString)",
);
pub(crate) static MAP_COUNT: FieldInfo =
    FieldInfo::new("overte.mapping.count", "Mappings", K::Unsigned, "get-all reply: mapping count (u32 LE)");
pub(crate) static MAP_ENTRY: FieldInfo =
    FieldInfo::new("overte.mapping.entry", "Mapping", K::None, "one mapping of a get-all reply");
pub(crate) static MAP_BAKING_STATUS: FieldInfo =
    FieldInfo::new("overte.mapping.baking_status", "Baking status", K::Enum, "AssetUtils::BakingStatus (enum, i32 LE)");
pub(crate) static MAP_BAKING_ERRORS: FieldInfo = FieldInfo::new(
    "overte.mapping.baking_errors",
    "Baking errors",
    K::String,
    "last bake errors, when the status is Error (writeString)",
);

pub(crate) static INVALID_BYTE_RANGE: ExpertInfo = ExpertInfo::new(
    "overte.asset.invalid_byte_range",
    Severity::Warn,
    ExpertGroup::Protocol,
    "an AssetGet byte range the asset server rejects with InvalidByteRange",
);
pub(crate) static DATA_LENGTH_MISMATCH: ExpertInfo = ExpertInfo::new(
    "overte.asset.data_length_mismatch",
    Severity::Warn,
    ExpertGroup::Malformed,
    "the asset data is not as long as its declared length",
);
pub(crate) static REQUEST_IGNORED: ExpertInfo = ExpertInfo::new(
    "overte.asset.request_ignored",
    Severity::Warn,
    ExpertGroup::Protocol,
    "an asset request shorter than the server's minimum: it is dropped without a reply",
);
pub(crate) static HASH_AS_HEX: ExpertInfo = ExpertInfo::new(
    "overte.asset.hash_as_hex",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the hash is sent as 64 hex characters instead of 32 raw bytes",
);
pub(crate) static REPLY_LAYOUT_UNKNOWN: ExpertInfo = ExpertInfo::new(
    "overte.mapping.reply_layout_unknown",
    Severity::Note,
    ExpertGroup::Undecoded,
    "a mapping reply body that matches neither a get nor a get-all reply",
);

/// `AssetUtils::AssetServerError`.
pub fn asset_error(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "NoError",
        1 => "AssetNotFound",
        2 => "InvalidByteRange",
        3 => "AssetTooLarge",
        4 => "PermissionDenied",
        5 => "MappingOperationFailed",
        6 => "FileOperationFailed",
        _ => return None,
    })
}

/// `AssetUtils::AssetMappingOperationType`.
pub fn mapping_operation(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Get",
        1 => "GetAll",
        2 => "Set",
        3 => "Delete",
        4 => "Rename",
        5 => "SetBakingEnabled",
        _ => return None,
    })
}

/// `AssetUtils::BakingStatus`.
pub fn baking_status(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Irrelevant",
        1 => "NotBaked",
        2 => "Pending",
        3 => "Baking",
        4 => "Baked",
        5 => "Error",
        _ => return None,
    })
}

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(t, ASSET_GET..=ASSET_GET_INFO_REPLY | ASSET_MAPPING_OPERATION | ASSET_MAPPING_OPERATION_REPLY)
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    match t {
        ASSET_GET => Some(GET_LEN),
        ASSET_GET_INFO => Some(GET_INFO_LEN),
        _ => None,
    }
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        ASSET_GET => dissect_get(r),
        ASSET_GET_REPLY => dissect_get_reply(r),
        ASSET_UPLOAD => dissect_upload(r),
        ASSET_UPLOAD_REPLY => dissect_upload_reply(r),
        ASSET_GET_INFO => dissect_get_info(r),
        ASSET_GET_INFO_REPLY => dissect_get_info_reply(r),
        ASSET_MAPPING_OPERATION => dissect_mapping(r),
        ASSET_MAPPING_OPERATION_REPLY => dissect_mapping_reply(r),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// A hash for the info column, written in place: `3c5f…e1a9`.
struct ShortHash<'h>(&'h [u8; 32]);

impl std::fmt::Display for ShortHash<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let h = self.0;
        write!(f, "{:02x}{:02x}…{:02x}{:02x}", h[0], h[1], h[30], h[31])
    }
}

/// 32 raw hash bytes.
fn hash(r: &mut Rd) -> Option<[u8; 32]> {
    let at = r.pos;
    let b = r.take(&HASH, 32)?;
    let h: [u8; 32] = b.try_into().ok()?;
    // Lowercase hex, as `QByteArray::toHex` writes a hash.
    r.add(&HASH, at, 32, || {
        let mut text = String::new();
        udpdissect_core::digits::push_hex(&mut text, &h);
        Value::String(Cow::Owned(text))
    });
    Some(h)
}

fn error_name(e: u8) -> &'static str {
    asset_error(e.into()).unwrap_or("?")
}

/// Whether 64 ASCII hex digits start at `at`: a hash written as its hex text.
fn hex_text_at(data: &[u8], at: usize) -> bool {
    at.checked_add(64).and_then(|end| data.get(at..end)).is_some_and(|b| b.iter().all(u8::is_ascii_hexdigit))
}

fn hex_hash_finding(r: &mut Rd, at: usize, what: &str) {
    r.expert(&HASH_AS_HEX, at, 64, || {
        format!(
            "the 64 bytes at offset {at} are the hash's hex text, not its 32 raw bytes: {what} reads the first 32 \
             characters as the hash (AssetUtils::SHA256_HASH_LENGTH) and every field after it from the wrong place"
        )
    });
}

/// A short request the server drops (`AssetServer::handleAssetGet` / `handleAssetGetInfo`:
/// "ERROR bad file request").
fn ignored_if_short(r: &mut Rd, min: usize, what: &str) {
    let len = r.data.len();
    if len < min {
        r.expert(&REQUEST_IGNORED, 0, len, || {
            format!(
                "{len} bytes: the asset server drops {what} shorter than {min} bytes (\"bad file request\") and \
                 sends no reply, so the client waits for one forever"
            )
        });
    }
}

// ---------------------------------------------------------------------------------------------
// AssetGet (49) / AssetGetReply (50)

/// `ByteRange::isValid`: what `SendAssetTask::run` accepts before it opens the file.
pub fn range_is_valid(start: i64, end: i64) -> bool {
    end >= 0 && (end >= start || end == 0) && (start >= 0 || end == 0)
}

/// What the server sends for a range (`ByteRange::fixupRange`), before it checks the file size.
pub fn range_meaning(start: i64, end: i64) -> String {
    if !range_is_valid(start, end) {
        return "none: InvalidByteRange".to_string();
    }
    // isSet(): a negative start, or a start before the end; anything else is the whole file.
    if !(start < 0 || start < end) {
        return "whole file".to_string();
    }
    if start < 0 {
        return format!("last {} bytes", start.unsigned_abs());
    }
    format!("bytes {start} to {end} ({} bytes)", end - start)
}

/// AssetGet (49, `AssetClient::getAsset` → `SendAssetTask::run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetGet {
    pub message_id: u32,
    pub hash: [u8; 32],
    pub start: i64,
    pub end: i64,
}

impl Walk<'_> for AssetGet {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let hash = hash(r)?;
        let start = r.i64le(&RANGE_START)?;
        let end = r.i64le(&RANGE_END)?;
        Some(AssetGet { message_id, hash, start, end })
    }
}

impl AssetGet {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.extend_from_slice(&self.hash);
        out.extend_from_slice(&self.start.to_le_bytes());
        out.extend_from_slice(&self.end.to_le_bytes());
    }
}

fn dissect_get(r: &mut Rd) {
    ignored_if_short(r, GET_LEN, "an AssetGet");
    if r.data.len() == GET_LEN + 32 && hex_text_at(r.data, 4) {
        hex_hash_finding(r, 4, "the asset server");
    }
    let Some(g) = AssetGet::walk(r) else { return };
    r.generated(&RANGE, || Value::String(Cow::Owned(range_meaning(g.start, g.end))));
    if !range_is_valid(g.start, g.end) {
        r.expert(&INVALID_BYTE_RANGE, 36, 16, || {
            format!(
                "range start {} end {}: the asset server accepts an end of 0 (whole file, or the last bytes for a \
                 negative start) or an end at or after a non-negative start; it replies InvalidByteRange without data",
                g.start, g.end
            )
        });
    }
    r.info(|s| {
        let _ = write!(s, " #{} {}", g.message_id, ShortHash(&g.hash));
        // The range as the server reads it where that is not what its numbers say.
        let _ = match (g.start, g.end) {
            (start, 0) if start < 0 => write!(s, " last {} bytes", start.unsigned_abs()),
            (start, end) if range_is_valid(start, end) && start >= end => write!(s, " whole file"),
            (start, end) => write!(s, " bytes {start}-{end}"),
        };
    });
}

/// AssetGetReply (50, `SendAssetTask::run` → `AssetClient::handleAssetGetReply`): hash, message
/// ID, error, and with NoError the data length and the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetGetReply<'a> {
    pub hash: [u8; 32],
    pub message_id: u32,
    pub error: u8,
    /// NoError only: the declared length and the bytes that follow it.
    pub data: Option<(i64, Cow<'a, [u8]>)>,
}

/// Offset of the data in an AssetGetReply.
const GET_REPLY_DATA_AT: usize = 32 + 4 + 1 + 8;

impl<'a> Walk<'a> for AssetGetReply<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let hash = hash(r)?;
        let message_id = r.u32le(&MESSAGE_ID)?;
        let error = r.en8(&ERROR, asset_error)?;
        let data = if error == 0 {
            let length = r.i64le(&DATA_LENGTH)?;
            let data = if r.left() > 0 { r.rest_bytes(&DATA) } else { &[] };
            Some((length, Cow::Borrowed(data)))
        } else {
            None
        };
        Some(AssetGetReply { hash, message_id, error, data })
    }
}

impl AssetGetReply<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.hash);
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.push(self.error);
        if let Some((length, data)) = &self.data {
            out.extend_from_slice(&length.to_le_bytes());
            out.extend_from_slice(data);
        }
    }
}

fn dissect_get_reply(r: &mut Rd) {
    let Some(g) = AssetGetReply::walk(r) else { return };
    if let Some((length, data)) = &g.data {
        let n = data.len();
        if i64::try_from(n).ok() != Some(*length) {
            let length = *length;
            r.expert(&DATA_LENGTH_MISMATCH, GET_REPLY_DATA_AT, n, || {
                format!(
                    "{n} data bytes but a declared length of {length}: AssetClient completes the download only when \
                     the bytes left equal the declared length, so it fails this request"
                )
            });
        }
    }
    r.info(|s| {
        let _ = write!(s, " #{} {}", g.message_id, error_name(g.error));
        if let Some((_, data)) = &g.data {
            let _ = write!(s, " {} bytes", data.len());
        }
    });
}

// ---------------------------------------------------------------------------------------------
// AssetUpload (51) / AssetUploadReply (52)

/// AssetUpload (51, `AssetClient::uploadAsset` → `UploadAssetTask::run`): message ID, size,
/// data. `data` holds at most `size` bytes: the server reads no more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetUpload<'a> {
    pub message_id: u32,
    pub size: u64,
    pub data: Cow<'a, [u8]>,
}

impl<'a> Walk<'a> for AssetUpload<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let size = r.u64le(&UPLOAD_SIZE)?;
        let n = usize::try_from(size).unwrap_or(usize::MAX).min(r.left());
        let data = if n > 0 { r.bytes(&DATA, n)? } else { &[] };
        Some(AssetUpload { message_id, size, data: Cow::Borrowed(data) })
    }
}

impl AssetUpload<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.data);
    }
}

fn dissect_upload(r: &mut Rd) {
    let Some(u) = AssetUpload::walk(r) else { return };
    let n = u.data.len();
    if (n as u64) < u.size {
        let size = u.size;
        r.expert(&DATA_LENGTH_MISMATCH, 12, n, || {
            format!(
                "{n} data bytes but a declared size of {size}: the asset server hashes and stores only the {n} bytes \
                 present, so the asset gets another hash than the client expects"
            )
        });
    }
    r.info(|s| {
        let _ = write!(s, " #{} {} bytes", u.message_id, u.size);
    });
}

/// AssetUploadReply (52, `UploadAssetTask::run` / `AssetServer::handleAssetUpload` →
/// `AssetClient::handleAssetUploadReply`): message ID, error, and with NoError the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetUploadReply {
    pub message_id: u32,
    pub error: u8,
    pub hash: Option<[u8; 32]>,
}

impl Walk<'_> for AssetUploadReply {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let error = r.en8(&ERROR, asset_error)?;
        let hash = if error == 0 { Some(hash(r)?) } else { None };
        Some(AssetUploadReply { message_id, error, hash })
    }
}

impl AssetUploadReply {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.push(self.error);
        if let Some(h) = &self.hash {
            out.extend_from_slice(h);
        }
    }
}

fn dissect_upload_reply(r: &mut Rd) {
    let Some(u) = AssetUploadReply::walk(r) else { return };
    r.info(|s| {
        let _ = write!(s, " #{} {}", u.message_id, error_name(u.error));
        if let Some(h) = &u.hash {
            let _ = write!(s, " {}", ShortHash(h));
        }
    });
}

// ---------------------------------------------------------------------------------------------
// AssetGetInfo (53) / AssetGetInfoReply (54)

/// AssetGetInfo (53, `AssetClient::getAssetInfo` → `AssetServer::handleAssetGetInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetGetInfo {
    pub message_id: u32,
    pub hash: [u8; 32],
}

impl Walk<'_> for AssetGetInfo {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let hash = hash(r)?;
        Some(AssetGetInfo { message_id, hash })
    }
}

impl AssetGetInfo {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.extend_from_slice(&self.hash);
    }
}

fn dissect_get_info(r: &mut Rd) {
    ignored_if_short(r, GET_INFO_LEN, "an AssetGetInfo");
    if r.data.len() == GET_INFO_LEN + 32 && hex_text_at(r.data, 4) {
        hex_hash_finding(r, 4, "the asset server");
    }
    let Some(g) = AssetGetInfo::walk(r) else { return };
    r.info(|s| {
        let _ = write!(s, " #{} {}", g.message_id, ShortHash(&g.hash));
    });
}

/// AssetGetInfoReply (54, `AssetServer::handleAssetGetInfo` →
/// `AssetClient::handleAssetGetInfoReply`): message ID, hash, error, and with NoError the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetGetInfoReply {
    pub message_id: u32,
    pub hash: [u8; 32],
    pub error: u8,
    pub size: Option<i64>,
}

impl Walk<'_> for AssetGetInfoReply {
    fn walk(r: &mut Rd<'_, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let hash = hash(r)?;
        let error = r.en8(&ERROR, asset_error)?;
        let size = if error == 0 { Some(r.i64le(&SIZE)?) } else { None };
        Some(AssetGetInfoReply { message_id, hash, error, size })
    }
}

impl AssetGetInfoReply {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.extend_from_slice(&self.hash);
        out.push(self.error);
        if let Some(size) = self.size {
            out.extend_from_slice(&size.to_le_bytes());
        }
    }
}

fn dissect_get_info_reply(r: &mut Rd) {
    let Some(g) = AssetGetInfoReply::walk(r) else { return };
    r.info(|s| {
        let _ = write!(s, " #{} {} {}", g.message_id, error_name(g.error), ShortHash(&g.hash));
        if let Some(size) = g.size {
            let _ = write!(s, " {size} bytes");
        }
    });
}

// ---------------------------------------------------------------------------------------------
// AssetMappingOperation (61) / AssetMappingOperationReply (62)

/// What an AssetMappingOperation asks (`AssetClient::getAssetMapping` … `setBakingEnabled` →
/// `AssetServer::handleAssetMappingOperation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingRequest<'a> {
    Get {
        path: Text<'a>,
    },
    GetAll,
    Set {
        path: Text<'a>,
        hash: [u8; 32],
    },
    /// `count` as sent (i32); `paths` holds the paths the server reads (none for a negative count).
    Delete {
        count: i32,
        paths: Vec<Text<'a>>,
    },
    Rename {
        old: Text<'a>,
        new: Text<'a>,
    },
    SetBakingEnabled {
        enabled: u8,
        count: i32,
        paths: Vec<Text<'a>>,
    },
    /// An operation the server's switch ignores: it reads nothing more.
    Unknown(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingOperation<'a> {
    pub message_id: u32,
    pub request: MappingRequest<'a>,
}

fn paths<'a>(r: &mut Rd<'a, '_>) -> Option<(i32, Vec<Text<'a>>)> {
    let count = r.i32le(&MAP_PATH_COUNT)?;
    let mut v = Vec::new();
    for _ in 0..count.max(0) {
        v.push(r.text32le(&MAP_PATH)?);
    }
    Some((count, v))
}

impl<'a> Walk<'a> for MappingOperation<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let op = r.en8(&MAP_OPERATION, mapping_operation)?;
        let request = match op {
            0 => MappingRequest::Get { path: r.text32le(&MAP_PATH)? },
            1 => MappingRequest::GetAll,
            2 => {
                let path = r.text32le(&MAP_PATH)?;
                if r.left() == 64 && hex_text_at(r.data, r.pos) {
                    let at = r.pos;
                    hex_hash_finding(r, at, "AssetServer::handleSetMappingOperation");
                }
                MappingRequest::Set { path, hash: hash(r)? }
            }
            3 => {
                let (count, paths) = paths(r)?;
                MappingRequest::Delete { count, paths }
            }
            4 => {
                let old = r.text32le(&MAP_PATH)?;
                let new = r.text32le(&MAP_NEW_PATH)?;
                MappingRequest::Rename { old, new }
            }
            5 => {
                let enabled = r.bool8(&MAP_BAKING_ENABLED)?;
                let (count, paths) = paths(r)?;
                MappingRequest::SetBakingEnabled { enabled, count, paths }
            }
            v => MappingRequest::Unknown(v),
        };
        Some(MappingOperation { message_id, request })
    }
}

impl MappingOperation<'_> {
    pub fn operation(&self) -> u8 {
        match &self.request {
            MappingRequest::Get { .. } => 0,
            MappingRequest::GetAll => 1,
            MappingRequest::Set { .. } => 2,
            MappingRequest::Delete { .. } => 3,
            MappingRequest::Rename { .. } => 4,
            MappingRequest::SetBakingEnabled { .. } => 5,
            MappingRequest::Unknown(v) => *v,
        }
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.push(self.operation());
        match &self.request {
            MappingRequest::Get { path } => put_text32le(out, path),
            MappingRequest::GetAll | MappingRequest::Unknown(_) => {}
            MappingRequest::Set { path, hash } => {
                put_text32le(out, path);
                out.extend_from_slice(hash);
            }
            MappingRequest::Delete { count, paths } => {
                out.extend_from_slice(&count.to_le_bytes());
                paths.iter().for_each(|p| put_text32le(out, p));
            }
            MappingRequest::Rename { old, new } => {
                put_text32le(out, old);
                put_text32le(out, new);
            }
            MappingRequest::SetBakingEnabled { enabled, count, paths } => {
                out.push(*enabled);
                out.extend_from_slice(&count.to_le_bytes());
                paths.iter().for_each(|p| put_text32le(out, p));
            }
        }
    }
}

fn dissect_mapping(r: &mut Rd) {
    let Some(m) = MappingOperation::walk(r) else { return };
    let op = m.operation();
    r.info(|s| {
        let _ = write!(s, " #{} {}", m.message_id, mapping_operation(op.into()).unwrap_or("?"));
        let text = |t: &[u8]| String::from_utf8_lossy(t).into_owned();
        match &m.request {
            MappingRequest::Get { path } => {
                let _ = write!(s, " {}", text(path));
            }
            MappingRequest::Set { path, hash } => {
                let _ = write!(s, " {} {}", text(path), ShortHash(hash));
            }
            MappingRequest::Delete { paths, .. } => {
                let _ = write!(s, " {} paths", paths.len());
            }
            MappingRequest::Rename { old, new } => {
                let _ = write!(s, " {} -> {}", text(old), text(new));
            }
            MappingRequest::SetBakingEnabled { enabled, paths, .. } => {
                let _ = write!(s, " {} {} paths", if *enabled != 0 { "on" } else { "off" }, paths.len());
            }
            MappingRequest::GetAll | MappingRequest::Unknown(_) => {}
        }
    });
}

/// One mapping of a get-all reply (`AssetServer::handleGetAllMappingOperation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingEntry<'a> {
    pub path: Text<'a>,
    pub hash: [u8; 32],
    pub status: u32,
    /// Status Error (5) only.
    pub errors: Option<Text<'a>>,
}

/// The body after the error; which one depends on the request's operation, which the reply does
/// not name: it is told apart by layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingReplyBody<'a> {
    /// Nothing: an error, or a set / delete / rename / set-baking reply.
    Empty,
    /// Get (NoError): hash, redirected flag, and the baked path when redirected.
    Get { hash: [u8; 32], redirected: u8, redirect_path: Option<Text<'a>> },
    /// GetAll (NoError): `count` as sent, the mappings.
    GetAll { count: u32, mappings: Vec<MappingEntry<'a>> },
}

/// AssetMappingOperationReply (62, `AssetServer::handleAssetMappingOperation` →
/// `AssetClient::handleAssetMappingOperationReply` and the `MappingRequest.cpp` callbacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingReply<'a> {
    pub message_id: u32,
    pub error: u8,
    pub body: MappingReplyBody<'a>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReplyKind {
    Empty,
    Get,
    GetAll,
    Unknown,
}

/// The size of an exactly-fitting get-all body, read without fields.
fn get_all_fits(b: &[u8]) -> bool {
    let mut r = Rd::new(b);
    let ok = walk_get_all(&mut r).is_some();
    ok && r.left() == 0
}

/// Which reply body `b` (the bytes after the error) is.
fn reply_kind(error: u8, b: &[u8]) -> ReplyKind {
    if b.is_empty() || error != 0 {
        return ReplyKind::Empty;
    }
    let get_exact = match b.len() {
        33 => b[32] == 0,
        n if n >= 37 && b[32] != 0 => 37 + u32::from_le_bytes([b[33], b[34], b[35], b[36]]) as usize == n,
        _ => false,
    };
    if get_exact {
        return ReplyKind::Get;
    }
    if get_all_fits(b) {
        return ReplyKind::GetAll;
    }
    // Neither fits exactly: the nearer one, so a cut or padded reply still decodes as far as it
    // goes. A get-all mapping takes at least 40 bytes.
    if b.len() >= 4 {
        let count = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if count > 0 && count.saturating_mul(40) <= b.len() - 4 {
            return ReplyKind::GetAll;
        }
    }
    if b.len() >= 33 && b[32] <= 1 {
        return ReplyKind::Get;
    }
    ReplyKind::Unknown
}

fn walk_get_all<'a>(r: &mut Rd<'a, '_>) -> Option<(u32, Vec<MappingEntry<'a>>)> {
    let count = r.u32le(&MAP_COUNT)?;
    let mut mappings = Vec::new();
    for _ in 0..count {
        let node = r.open(&MAP_ENTRY, || Value::None);
        let e = walk_entry(r);
        r.close(node);
        mappings.push(e?);
    }
    Some((count, mappings))
}

fn walk_entry<'a>(r: &mut Rd<'a, '_>) -> Option<MappingEntry<'a>> {
    let path = r.text32le(&MAP_PATH)?;
    let hash = hash(r)?;
    let status = r.en32le(&MAP_BAKING_STATUS, baking_status)?;
    let errors = if status == 5 { Some(r.text32le(&MAP_BAKING_ERRORS)?) } else { None };
    Some(MappingEntry { path, hash, status, errors })
}

impl<'a> Walk<'a> for MappingReply<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        let message_id = r.u32le(&MESSAGE_ID)?;
        let error = r.en8(&ERROR, asset_error)?;
        let body = match reply_kind(error, r.rest()) {
            ReplyKind::Empty => MappingReplyBody::Empty,
            ReplyKind::Get => {
                r.generated(&MAP_OPERATION, || Value::Enum { value: 0, name: mapping_operation(0) });
                let hash = hash(r)?;
                let redirected = r.bool8(&MAP_REDIRECTED)?;
                let redirect_path = if redirected != 0 { Some(r.text32le(&MAP_REDIRECT_PATH)?) } else { None };
                MappingReplyBody::Get { hash, redirected, redirect_path }
            }
            ReplyKind::GetAll => {
                r.generated(&MAP_OPERATION, || Value::Enum { value: 1, name: mapping_operation(1) });
                let (count, mappings) = walk_get_all(r)?;
                MappingReplyBody::GetAll { count, mappings }
            }
            ReplyKind::Unknown => {
                let (at, n) = (r.pos, r.left());
                return r.malformed_as(&REPLY_LAYOUT_UNKNOWN, at, n, "mapping reply", || {
                    format!(
                        "{n} bytes after the error fit neither a get reply (hash, redirected flag, [path]) nor a \
                         get-all reply (count, mappings); the reply does not name its operation, the client reads \
                         it as the one it asked for"
                    )
                });
            }
        };
        Some(MappingReply { message_id, error, body })
    }
}

impl MappingReply<'_> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.message_id.to_le_bytes());
        out.push(self.error);
        match &self.body {
            MappingReplyBody::Empty => {}
            MappingReplyBody::Get { hash, redirected, redirect_path } => {
                out.extend_from_slice(hash);
                out.push(*redirected);
                if let Some(p) = redirect_path {
                    put_text32le(out, p);
                }
            }
            MappingReplyBody::GetAll { count, mappings } => {
                out.extend_from_slice(&count.to_le_bytes());
                for m in mappings {
                    put_text32le(out, &m.path);
                    out.extend_from_slice(&m.hash);
                    out.extend_from_slice(&m.status.to_le_bytes());
                    if let Some(e) = &m.errors {
                        put_text32le(out, e);
                    }
                }
            }
        }
    }
}

fn dissect_mapping_reply(r: &mut Rd) {
    let Some(m) = MappingReply::walk(r) else { return };
    r.info(|s| {
        let _ = write!(s, " #{} {}", m.message_id, error_name(m.error));
        match &m.body {
            MappingReplyBody::Empty => {}
            MappingReplyBody::Get { hash, redirect_path, .. } => {
                let _ = write!(s, " {}", ShortHash(hash));
                if let Some(p) = redirect_path {
                    let _ = write!(s, " -> {}", String::from_utf8_lossy(p));
                }
            }
            MappingReplyBody::GetAll { mappings, .. } => {
                let _ = write!(s, " {} mappings", mappings.len());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::tests::{hex, run_mode, s, tags, val};
    use crate::payload::Decoded;

    /// The text of a `writeString` field.
    fn text(v: &str) -> Text<'static> {
        Cow::Owned(v.as_bytes().to_vec())
    }

    const HASH_HEX: &str = "3c5f0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbce1a9";

    fn h() -> [u8; 32] {
        hex(HASH_HEX).try_into().unwrap()
    }

    /// `AssetClient::getAsset`: writePrimitive(messageID u32), write(32 hash bytes),
    /// writePrimitive(start i64), writePrimitive(end i64).
    fn get_vector() -> Vec<u8> {
        let mut p = vec![0x0c, 0, 0, 0];
        p.extend_from_slice(&h());
        p.extend_from_slice(&0i64.to_le_bytes());
        p.extend_from_slice(&4096i64.to_le_bytes());
        p
    }

    /// `SendAssetTask::run`: write(hash), writePrimitive(messageID), writePrimitive(NoError),
    /// writePrimitive(size i64), write(data).
    fn get_reply_vector() -> Vec<u8> {
        let mut p = h().to_vec();
        p.extend_from_slice(&12u32.to_le_bytes());
        p.push(0);
        p.extend_from_slice(&5i64.to_le_bytes());
        p.extend_from_slice(b"hello");
        p
    }

    /// `AssetClient::uploadAsset`: writePrimitive(messageID), writePrimitive(uint64 size), data.
    fn upload_vector() -> Vec<u8> {
        let mut p = 3u32.to_le_bytes().to_vec();
        p.extend_from_slice(&4u64.to_le_bytes());
        p.extend_from_slice(b"abcd");
        p
    }

    /// `UploadAssetTask::run`: writePrimitive(messageID), writePrimitive(NoError), write(hash).
    fn upload_reply_vector() -> Vec<u8> {
        let mut p = 3u32.to_le_bytes().to_vec();
        p.push(0);
        p.extend_from_slice(&h());
        p
    }

    /// `AssetClient::getAssetInfo`: writePrimitive(messageID), write(hash).
    fn get_info_vector() -> Vec<u8> {
        let mut p = 5u32.to_le_bytes().to_vec();
        p.extend_from_slice(&h());
        p
    }

    /// `AssetServer::handleAssetGetInfo`: messageID, hash, NoError, fileInfo.size() (qint64).
    fn get_info_reply_vector() -> Vec<u8> {
        let mut p = get_info_vector();
        p.push(0);
        p.extend_from_slice(&4096i64.to_le_bytes());
        p
    }

    fn ws(p: &mut Vec<u8>, t: &str) {
        p.extend_from_slice(&(t.len() as u32).to_le_bytes());
        p.extend_from_slice(t.as_bytes());
    }

    /// `AssetClient::setAssetMapping`: messageID, Set (2), writeString(path), write(hash).
    fn set_mapping_vector() -> Vec<u8> {
        let mut p = 7u32.to_le_bytes().to_vec();
        p.push(2);
        ws(&mut p, "/models/chair.fbx");
        p.extend_from_slice(&h());
        p
    }

    /// `AssetClient::setBakingEnabled`: messageID, SetBakingEnabled (5), bool, int count, paths.
    fn baking_vector() -> Vec<u8> {
        let mut p = 8u32.to_le_bytes().to_vec();
        p.extend_from_slice(&[5, 0]);
        p.extend_from_slice(&2i32.to_le_bytes());
        ws(&mut p, "/a.fbx");
        ws(&mut p, "/b/");
        p
    }

    /// `AssetServer::handleGetMappingOperation` (redirected): messageID, NoError, hash,
    /// quint8 1, writeString(baked path).
    fn get_mapping_reply_vector() -> Vec<u8> {
        let mut p = 9u32.to_le_bytes().to_vec();
        p.push(0);
        p.extend_from_slice(&h());
        p.push(1);
        ws(&mut p, "/.baked/abc/asset.fbx");
        p
    }

    /// `AssetServer::handleGetAllMappingOperation`: messageID, NoError, u32 count, then per
    /// mapping writeString(path), hash, BakingStatus (4 bytes), [writeString(errors) if Error].
    fn get_all_reply_vector() -> Vec<u8> {
        let mut p = 10u32.to_le_bytes().to_vec();
        p.push(0);
        p.extend_from_slice(&2u32.to_le_bytes());
        ws(&mut p, "/a.fbx");
        p.extend_from_slice(&h());
        p.extend_from_slice(&4u32.to_le_bytes());
        ws(&mut p, "/b.fbx");
        p.extend_from_slice(&h());
        p.extend_from_slice(&5u32.to_le_bytes());
        ws(&mut p, "bake failed");
        p
    }

    fn all_vectors() -> Vec<(u8, Vec<u8>)> {
        vec![
            (ASSET_GET, get_vector()),
            (ASSET_GET_REPLY, get_reply_vector()),
            (ASSET_UPLOAD, upload_vector()),
            (ASSET_UPLOAD_REPLY, upload_reply_vector()),
            (ASSET_GET_INFO, get_info_vector()),
            (ASSET_GET_INFO_REPLY, get_info_reply_vector()),
            (ASSET_MAPPING_OPERATION, set_mapping_vector()),
            (ASSET_MAPPING_OPERATION, baking_vector()),
            (ASSET_MAPPING_OPERATION_REPLY, get_mapping_reply_vector()),
            (ASSET_MAPPING_OPERATION_REPLY, get_all_reply_vector()),
        ]
    }

    #[test]
    fn asset_get_decodes_id_hash_and_range() {
        let p = get_vector();
        let (d, _, r) = run_mode(ASSET_GET, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.asset.message_id"), &Value::Unsigned(12));
        assert_eq!(val(&d, "overte.asset.hash"), &s(HASH_HEX));
        assert_eq!(val(&d, "overte.asset.range_start"), &Value::Signed(0));
        assert_eq!(val(&d, "overte.asset.range_end"), &Value::Signed(4096));
        assert_eq!(val(&d, "overte.asset.range"), &s("bytes 0 to 4096 (4096 bytes)"));
        assert_eq!(d.info, " #12 3c5f…e1a9 bytes 0-4096");
        let (g, rest) = AssetGet::parse(&p).unwrap();
        assert!(rest.is_empty());
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);
    }

    #[test]
    fn byte_ranges_follow_the_server() {
        assert_eq!(range_meaning(0, 0), "whole file");
        assert_eq!(range_meaning(100, 0), "whole file");
        assert_eq!(range_meaning(5, 5), "whole file");
        assert_eq!(range_meaning(-100, 0), "last 100 bytes");
        assert_eq!(range_meaning(10, 4), "none: InvalidByteRange");
        assert!(!range_is_valid(-5, 10));
        assert!(!range_is_valid(0, -1));
        // End before start: the server replies InvalidByteRange.
        let mut p = get_vector();
        p[36..44].copy_from_slice(&4096i64.to_le_bytes());
        p[44..52].copy_from_slice(&10i64.to_le_bytes());
        let (d, _, r) = run_mode(ASSET_GET, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.asset.invalid_byte_range"]);
        assert_eq!(val(&d, "overte.asset.range"), &s("none: InvalidByteRange"));
        assert_eq!(d.info, " #12 3c5f…e1a9 bytes 4096-10");
        // The info column says what the server sends where the numbers do not.
        for (start, end, info) in [(0, 0, " whole file"), (100, 0, " whole file"), (-100, 0, " last 100 bytes")] {
            p[36..44].copy_from_slice(&i64::to_le_bytes(start));
            p[44..52].copy_from_slice(&i64::to_le_bytes(end));
            let (d, _, _) = run_mode(ASSET_GET, &p, true);
            assert_eq!(d.info, format!(" #12 3c5f…e1a9{info}"));
        }
    }

    #[test]
    fn asset_get_reply_shows_error_length_and_data() {
        let p = get_reply_vector();
        let (d, _, r) = run_mode(ASSET_GET_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.asset.error"), &Value::Enum { value: 0, name: Some("NoError") });
        assert_eq!(val(&d, "overte.asset.data_length"), &Value::Signed(5));
        let data = d.values("overte.asset.data").next().unwrap();
        assert_eq!((data.offset, data.len), (45, 5));
        assert_eq!(d.info, " #12 NoError 5 bytes");
        let (g, rest) = AssetGetReply::parse(&p).unwrap();
        assert!(rest.is_empty());
        assert_eq!(g.data.as_ref().unwrap().1.as_ref(), b"hello");
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);
        // An error reply carries nothing after the code.
        let e = AssetGetReply { hash: h(), message_id: 13, error: 1, data: None };
        let mut b = Vec::new();
        e.emit(&mut b);
        assert_eq!(b.len(), 37);
        let (d, _, r) = run_mode(ASSET_GET_REPLY, &b, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " #13 AssetNotFound");
        // Fewer data bytes than declared: the client fails the download.
        let mut short = p.clone();
        short.pop();
        let (d, _, r) = run_mode(ASSET_GET_REPLY, &short, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.asset.data_length_mismatch"]);
    }

    #[test]
    fn upload_and_reply() {
        let p = upload_vector();
        let (d, _, r) = run_mode(ASSET_UPLOAD, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.asset.upload_size"), &Value::Unsigned(4));
        assert_eq!(d.info, " #3 4 bytes");
        let (u, _) = AssetUpload::parse(&p).unwrap();
        let mut out = Vec::new();
        u.emit(&mut out);
        assert_eq!(out, p);
        // A declared size past the data: the server stores what is there, under another hash.
        let mut big = p.clone();
        big[4..12].copy_from_slice(&9u64.to_le_bytes());
        let (d, _, _) = run_mode(ASSET_UPLOAD, &big, true);
        assert_eq!(tags(&d), ["overte.asset.data_length_mismatch"]);
        // Data past the declared size: the server does not read it.
        let mut small = p.clone();
        small[4..12].copy_from_slice(&2u64.to_le_bytes());
        let (d, _, _) = run_mode(ASSET_UPLOAD, &small, true);
        assert_eq!(tags(&d), ["overte.payload.trailing_bytes"]);

        let p = upload_reply_vector();
        let (d, _, r) = run_mode(ASSET_UPLOAD_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.asset.hash"), &s(HASH_HEX));
        assert_eq!(d.info, " #3 NoError 3c5f…e1a9");
        let (u, _) = AssetUploadReply::parse(&p).unwrap();
        let mut out = Vec::new();
        u.emit(&mut out);
        assert_eq!(out, p);
        // `AssetServer::handleAssetUpload` without write permission: ID and PermissionDenied.
        let (d, _, r) = run_mode(ASSET_UPLOAD_REPLY, &[3, 0, 0, 0, 4], true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " #3 PermissionDenied");
    }

    #[test]
    fn get_info_and_reply() {
        let p = get_info_vector();
        let (d, _, r) = run_mode(ASSET_GET_INFO, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(d.info, " #5 3c5f…e1a9");
        let (g, _) = AssetGetInfo::parse(&p).unwrap();
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);

        let p = get_info_reply_vector();
        let (d, _, r) = run_mode(ASSET_GET_INFO_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.asset.size"), &Value::Signed(4096));
        assert_eq!(d.info, " #5 NoError 3c5f…e1a9 4096 bytes");
        let (g, _) = AssetGetInfoReply::parse(&p).unwrap();
        let mut out = Vec::new();
        g.emit(&mut out);
        assert_eq!(out, p);
    }

    #[test]
    fn fixed_lengths_and_short_requests() {
        assert_eq!(fixed_len(ASSET_GET), Some(52));
        assert_eq!(fixed_len(ASSET_GET_INFO), Some(36));
        let p = get_vector();
        let (d, _, r) = run_mode(ASSET_GET, &p[..40], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length", "overte.asset.request_ignored"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        let mut long = get_info_vector();
        long.push(0);
        let (d, _, r) = run_mode(ASSET_GET_INFO, &long, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    }

    #[test]
    fn hash_sent_as_hex_text_is_explained() {
        let mut p = 12u32.to_le_bytes().to_vec();
        p.extend_from_slice(HASH_HEX.as_bytes());
        p.extend_from_slice(&0i64.to_le_bytes());
        p.extend_from_slice(&0i64.to_le_bytes());
        let (d, _, _) = run_mode(ASSET_GET, &p, true);
        assert!(tags(&d).contains(&"overte.asset.hash_as_hex"), "{:?}", tags(&d));
        assert!(tags(&d).contains(&"overte.payload.wrong_length"));
        let mut m = 7u32.to_le_bytes().to_vec();
        m.push(2);
        ws(&mut m, "/x");
        m.extend_from_slice(HASH_HEX.as_bytes());
        let (d, _, _) = run_mode(ASSET_MAPPING_OPERATION, &m, true);
        assert_eq!(tags(&d), ["overte.asset.hash_as_hex", "overte.payload.trailing_bytes"]);
    }

    #[test]
    fn truncated_payloads_are_reported() {
        let p = get_reply_vector();
        let (d, _, r) = run_mode(ASSET_GET_REPLY, &p[..20], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        let p = set_mapping_vector();
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION, &p[..12], true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        let undecoded = d.values("overte.payload.undecoded").next().unwrap();
        assert_eq!(undecoded.offset, 9);
    }

    #[test]
    fn mapping_operations() {
        let p = set_mapping_vector();
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.mapping.operation"), &Value::Enum { value: 2, name: Some("Set") });
        assert_eq!(val(&d, "overte.mapping.path"), &s("/models/chair.fbx"));
        assert_eq!(val(&d, "overte.asset.hash"), &s(HASH_HEX));
        assert_eq!(d.info, " #7 Set /models/chair.fbx 3c5f…e1a9");

        let p = baking_vector();
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION, &p, true);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.mapping.baking_enabled"), &Value::Bool(false));
        assert_eq!(val(&d, "overte.mapping.path_count"), &Value::Signed(2));
        let paths: Vec<_> = d.values("overte.mapping.path").map(|f| f.value.clone()).collect();
        assert_eq!(paths, [s("/a.fbx"), s("/b/")]);
        assert_eq!(d.info, " #8 SetBakingEnabled off 2 paths");

        let reqs = [
            MappingRequest::Get { path: text("/a") },
            MappingRequest::GetAll,
            MappingRequest::Set { path: text("/a"), hash: h() },
            MappingRequest::Delete { count: 2, paths: vec![text("/a"), text("/b/")] },
            MappingRequest::Delete { count: -1, paths: vec![] },
            MappingRequest::Rename { old: text("/a"), new: text("/b") },
            MappingRequest::SetBakingEnabled { enabled: 1, count: 1, paths: vec![text("/c")] },
            MappingRequest::Unknown(9),
        ];
        let infos = [
            " #1 Get /a",
            " #1 GetAll",
            " #1 Set /a 3c5f…e1a9",
            " #1 Delete 2 paths",
            " #1 Delete 0 paths",
            " #1 Rename /a -> /b",
            " #1 SetBakingEnabled on 1 paths",
            " #1 ?",
        ];
        for (request, info) in reqs.into_iter().zip(infos) {
            let m = MappingOperation { message_id: 1, request };
            let mut b = Vec::new();
            m.emit(&mut b);
            let (back, rest) = MappingOperation::parse(&b).unwrap();
            assert!(rest.is_empty());
            assert_eq!(back, m);
            let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION, &b, true);
            assert_eq!(r, Decoded::Full);
            assert_eq!(d.info, info);
        }
    }

    #[test]
    fn mapping_replies_are_told_apart_by_layout() {
        let p = get_mapping_reply_vector();
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        let op = d.values("overte.mapping.operation").next().unwrap();
        assert!(op.generated);
        assert_eq!(op.value, Value::Enum { value: 0, name: Some("Get") });
        assert_eq!(val(&d, "overte.mapping.redirected"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.mapping.redirect_path"), &s("/.baked/abc/asset.fbx"));
        assert_eq!(d.info, " #9 NoError 3c5f…e1a9 -> /.baked/abc/asset.fbx");

        let p = get_all_reply_vector();
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION_REPLY, &p, true);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.mapping.count"), &Value::Unsigned(2));
        let st: Vec<_> = d.values("overte.mapping.baking_status").map(|f| f.value.clone()).collect();
        assert_eq!(st, [Value::Enum { value: 4, name: Some("Baked") }, Value::Enum { value: 5, name: Some("Error") }]);
        assert_eq!(val(&d, "overte.mapping.baking_errors"), &s("bake failed"));
        assert_eq!(d.values("overte.mapping.entry").count(), 2);
        assert_eq!(d.info, " #10 NoError 2 mappings");

        let bodies = [
            (0, MappingReplyBody::Empty, " #1 NoError"),
            (4, MappingReplyBody::Empty, " #1 PermissionDenied"),
            (0, MappingReplyBody::Get { hash: h(), redirected: 0, redirect_path: None }, " #1 NoError 3c5f…e1a9"),
            (0, MappingReplyBody::GetAll { count: 0, mappings: vec![] }, " #1 NoError 0 mappings"),
        ];
        for (error, body, info) in bodies {
            let m = MappingReply { message_id: 1, error, body };
            let mut b = Vec::new();
            m.emit(&mut b);
            let (back, rest) = MappingReply::parse(&b).unwrap();
            assert!(rest.is_empty());
            assert_eq!(back, m);
            let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION_REPLY, &b, true);
            assert_eq!(r, Decoded::Full);
            assert_eq!(d.info, info);
        }
        for p in [get_mapping_reply_vector(), get_all_reply_vector()] {
            let (m, rest) = MappingReply::parse(&p).unwrap();
            assert!(rest.is_empty());
            let mut out = Vec::new();
            m.emit(&mut out);
            assert_eq!(out, p);
        }
        // Ten bytes after NoError fit no reply.
        let mut odd = vec![1, 0, 0, 0, 0];
        odd.extend_from_slice(&[0xff; 10]);
        let (d, _, r) = run_mode(ASSET_MAPPING_OPERATION_REPLY, &odd, true);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.mapping.reply_layout_unknown"]);
    }

    #[test]
    fn every_prefix_decodes_without_panicking() {
        for (t, p) in all_vectors() {
            assert!(decodes(t));
            for n in 0..=p.len() {
                for tree in [false, true] {
                    let (d, _, r) = run_mode(t, &p[..n], tree);
                    assert_ne!(r, Decoded::NotDecoded);
                    if n < p.len() && fixed_len(t).is_none() && tree {
                        // Every cut of a variable-length vector is either complete or explained.
                        assert!(r == Decoded::Full || !d.experts().is_empty(), "type {t} cut at {n}");
                    }
                }
            }
        }
        assert!(!decodes(48) && !decodes(55) && !decodes(60) && !decodes(63));
    }
}
