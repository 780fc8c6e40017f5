//! Audio mixer statistics and environment packets (`protocols/overte.md` §5.11): AudioStreamStats
//! (raw in-memory structs), MuteEnvironment, NoisyMute, AudioEnvironment, and the replicated audio
//! frames a mixer forwards to a downstream mixer. All raw little-endian (`writePrimitive`).

use std::borrow::Cow;
use std::fmt::Write as _;

use udpdissect_core::{ExpertInfo, FieldInfo, FieldKind as K, Value};

use super::audio;
use super::codec::{quuid_memory_to_rfc, Rd, Walk};
use super::fields as f;
use super::types::*;

/// `sizeof(AudioStreamStats)` on x86-64 (natural alignment; see [`StreamRecord`]).
pub const STREAM_STATS_LEN: usize = 152;

/// This module's payload fields, for `--list-fields` and the filter catalog.
pub(crate) static FIELDS: &[&FieldInfo] = &[
    &SS_APPEND,
    &SS_COUNT,
    &SS_RECORD,
    &SS_RECORDS,
    &SS_STREAM_TYPE,
    &SS_STREAM_ID,
    &SS_PADDING,
    &SS_GAP_MIN,
    &SS_GAP_MAX,
    &SS_GAP_AVG,
    &SS_GAP_WIN_MIN,
    &SS_GAP_WIN_MAX,
    &SS_GAP_WIN_AVG,
    &SS_FRAMES_AVAILABLE,
    &SS_FRAMES_AVAILABLE_AVG,
    &SS_UNPLAYED_MS,
    &SS_DESIRED_FRAMES,
    &SS_STARVES,
    &SS_NOT_MIXED,
    &SS_OVERFLOWS,
    &SS_DROPPED,
    &SS_PACKETS,
    &SS_PACKETS_WINDOW,
    &PS_EXPECTED,
    &PS_UNREASONABLE,
    &PS_EARLY,
    &PS_LATE,
    &PS_LOST,
    &PS_RECOVERED,
    &PS_DUPLICATE,
    &MUTE_POSITION,
    &MUTE_RADIUS,
    &ENV_FLAGS,
    &ENV_HAS_REVERB,
    &ENV_REVERB_TIME,
    &ENV_WET_LEVEL,
    &REPL_NODE_ID,
];
/// This module's payload findings.
pub(crate) static EXPERTS: &[&ExpertInfo] = &[];

static SS_APPEND: FieldInfo = FieldInfo::new(
    "overte.stream_stats.append_flag",
    "Append flag",
    K::Enum,
    "u8: START 1 (clear injector stats), END 2 (last packet of the set)",
);
static SS_COUNT: FieldInfo =
    FieldInfo::new("overte.stream_stats.count", "Stream count", K::Unsigned, "u16 LE number of stats records");
static SS_RECORD: FieldInfo = FieldInfo::new(
    "overte.stream_stats.record",
    "Stream stats",
    K::None,
    "one raw AudioStreamStats struct (152 bytes)",
);
static SS_RECORDS: FieldInfo = FieldInfo::new(
    "overte.stream_stats.records",
    "Stream stats records",
    K::Bytes,
    "records whose length is not count x 152 bytes, not decoded",
);
static SS_STREAM_TYPE: FieldInfo = FieldInfo::new(
    "overte.stream_stats.stream_type",
    "Stream type",
    K::Enum,
    "qint32 LE PositionalAudioStream::Type: 0 Microphone, 1 Injector",
);
static SS_STREAM_ID: FieldInfo = FieldInfo::new(
    "overte.stream_stats.stream_id",
    "Stream ID",
    K::Uuid,
    "QUuid in memory (data1 u32 LE, data2/data3 u16 LE, data4), shown in RFC order",
);
static SS_PADDING: FieldInfo =
    FieldInfo::new("overte.stream_stats.padding", "Padding", K::Bytes, "struct alignment padding (x86-64)");
static SS_GAP_MIN: FieldInfo =
    FieldInfo::new("overte.stream_stats.time_gap_min", "Time gap min", K::Unsigned, "u64 LE microseconds");
static SS_GAP_MAX: FieldInfo =
    FieldInfo::new("overte.stream_stats.time_gap_max", "Time gap max", K::Unsigned, "u64 LE microseconds");
static SS_GAP_AVG: FieldInfo =
    FieldInfo::new("overte.stream_stats.time_gap_avg", "Time gap average", K::Float, "f32 LE microseconds");
static SS_GAP_WIN_MIN: FieldInfo = FieldInfo::new(
    "overte.stream_stats.time_gap_window_min",
    "Time gap window min",
    K::Unsigned,
    "u64 LE microseconds, last 30 s",
);
static SS_GAP_WIN_MAX: FieldInfo = FieldInfo::new(
    "overte.stream_stats.time_gap_window_max",
    "Time gap window max",
    K::Unsigned,
    "u64 LE microseconds, last 30 s",
);
static SS_GAP_WIN_AVG: FieldInfo = FieldInfo::new(
    "overte.stream_stats.time_gap_window_avg",
    "Time gap window average",
    K::Float,
    "f32 LE microseconds, last 30 s",
);
static SS_FRAMES_AVAILABLE: FieldInfo =
    FieldInfo::new("overte.stream_stats.frames_available", "Frames available", K::Unsigned, "u32 LE");
static SS_FRAMES_AVAILABLE_AVG: FieldInfo =
    FieldInfo::new("overte.stream_stats.frames_available_avg", "Frames available average", K::Unsigned, "u16 LE");
static SS_UNPLAYED_MS: FieldInfo =
    FieldInfo::new("overte.stream_stats.unplayed_ms", "Unplayed ms", K::Unsigned, "u16 LE");
static SS_DESIRED_FRAMES: FieldInfo =
    FieldInfo::new("overte.stream_stats.desired_jitter_frames", "Desired jitter buffer frames", K::Unsigned, "u16 LE");
static SS_STARVES: FieldInfo =
    FieldInfo::new("overte.stream_stats.starve_count", "Starve count", K::Unsigned, "u32 LE");
static SS_NOT_MIXED: FieldInfo =
    FieldInfo::new("overte.stream_stats.consecutive_not_mixed", "Consecutive not mixed", K::Unsigned, "u32 LE");
static SS_OVERFLOWS: FieldInfo =
    FieldInfo::new("overte.stream_stats.overflow_count", "Overflow count", K::Unsigned, "u32 LE");
static SS_DROPPED: FieldInfo =
    FieldInfo::new("overte.stream_stats.frames_dropped", "Frames dropped", K::Unsigned, "u32 LE");
static SS_PACKETS: FieldInfo = FieldInfo::new(
    "overte.stream_stats.packet_stats",
    "Packet stream stats",
    K::None,
    "PacketStreamStats since the stream started (7 x u32 LE)",
);
static SS_PACKETS_WINDOW: FieldInfo = FieldInfo::new(
    "overte.stream_stats.packet_stats_window",
    "Packet stream stats (window)",
    K::None,
    "PacketStreamStats over the last 30 s (7 x u32 LE)",
);
static PS_EXPECTED: FieldInfo =
    FieldInfo::new("overte.stream_stats.expected_received", "Expected received", K::Unsigned, "u32 LE");
static PS_UNREASONABLE: FieldInfo =
    FieldInfo::new("overte.stream_stats.unreasonable", "Unreasonable", K::Unsigned, "u32 LE");
static PS_EARLY: FieldInfo = FieldInfo::new("overte.stream_stats.early", "Early", K::Unsigned, "u32 LE");
static PS_LATE: FieldInfo = FieldInfo::new("overte.stream_stats.late", "Late", K::Unsigned, "u32 LE");
static PS_LOST: FieldInfo = FieldInfo::new("overte.stream_stats.lost", "Lost", K::Unsigned, "u32 LE");
static PS_RECOVERED: FieldInfo = FieldInfo::new("overte.stream_stats.recovered", "Recovered", K::Unsigned, "u32 LE");
static PS_DUPLICATE: FieldInfo = FieldInfo::new("overte.stream_stats.duplicate", "Duplicate", K::Unsigned, "u32 LE");
static MUTE_POSITION: FieldInfo =
    FieldInfo::new("overte.mute_environment.position", "Position", K::String, "glm::vec3 (3 x f32 LE)");
static MUTE_RADIUS: FieldInfo = FieldInfo::new("overte.mute_environment.radius", "Radius", K::Float, "f32 LE metres");
static ENV_FLAGS: FieldInfo =
    FieldInfo::new("overte.environment.flags", "Flags", K::Hex, "u8 bitset, MSB first: 0x80 has reverb");
static ENV_HAS_REVERB: FieldInfo =
    FieldInfo::new("overte.environment.has_reverb", "Has reverb", K::Bool, "oneAtBit(flags, 0): bit 0x80");
static ENV_REVERB_TIME: FieldInfo =
    FieldInfo::new("overte.environment.reverb_time", "Reverb time", K::Float, "f32 LE seconds");
static ENV_WET_LEVEL: FieldInfo = FieldInfo::new("overte.environment.wet_level", "Wet level", K::Float, "f32 LE");
static REPL_NODE_ID: FieldInfo = FieldInfo::new(
    "overte.replicated.node_id",
    "Replicated node",
    K::Uuid,
    "UUID of the node whose audio an upstream mixer forwards",
);

/// Whether this module decodes packet type `t`.
pub(crate) fn decodes(t: u8) -> bool {
    matches!(t, MUTE_ENVIRONMENT | AUDIO_STREAM_STATS | NOISY_MUTE | AUDIO_ENVIRONMENT | 83..=86)
}

/// The exact payload length of the types here whose writer always writes the same number of
/// bytes.
pub(crate) const fn fixed_len(t: u8) -> Option<usize> {
    match t {
        MUTE_ENVIRONMENT => Some(MuteEnvironment::LEN),
        NOISY_MUTE => Some(0),
        _ => None,
    }
}

/// Decodes a payload of type `t` (one [`decodes`] accepts).
pub(crate) fn dissect(r: &mut Rd, t: u8) {
    match t {
        AUDIO_STREAM_STATS => dissect_stream_stats(r),
        MUTE_ENVIRONMENT => {
            if let Some(m) = MuteEnvironment::walk(r) {
                r.info(|s| {
                    let _ = write!(s, " radius {}", m.radius);
                });
            }
        }
        NOISY_MUTE => r.info_word("muted by mixer"),
        AUDIO_ENVIRONMENT => {
            if let Some(e) = AudioEnvironment::walk(r) {
                r.info(|s| match e.reverb {
                    Some((time, wet)) => {
                        let _ = write!(s, " reverb {time} s wet {wet}");
                    }
                    None => s.push_str(" no reverb"),
                });
            }
        }
        _ => dissect_replicated(r, t),
    }
}

/// `AudioStreamStats::AppendFlag` combinations.
fn append_flag(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "middle",
        1 => "START",
        2 => "END",
        3 => "START|END",
        _ => return None,
    })
}

/// `PositionalAudioStream::Type`.
fn stream_type_name(v: u64) -> Option<&'static str> {
    Some(match v {
        0 => "Microphone",
        1 => "Injector",
        _ => return None,
    })
}

/// `PacketStreamStats` (`SequenceNumberStats.h`): seven quint32, no padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PacketStats {
    pub expected_received: u32,
    pub unreasonable: u32,
    pub early: u32,
    pub late: u32,
    pub lost: u32,
    pub recovered: u32,
    pub duplicate: u32,
}

impl PacketStats {
    fn walk(r: &mut Rd, node: &'static FieldInfo) -> Option<Self> {
        let n = r.open(node, || Value::None);
        let v = (|| {
            Some(PacketStats {
                expected_received: r.u32le(&PS_EXPECTED)?,
                unreasonable: r.u32le(&PS_UNREASONABLE)?,
                early: r.u32le(&PS_EARLY)?,
                late: r.u32le(&PS_LATE)?,
                lost: r.u32le(&PS_LOST)?,
                recovered: r.u32le(&PS_RECOVERED)?,
                duplicate: r.u32le(&PS_DUPLICATE)?,
            })
        })();
        r.close(n);
        v
    }

    fn emit(&self, out: &mut Vec<u8>) {
        for v in [self.expected_received, self.unreasonable, self.early, self.late, self.lost, self.recovered] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.duplicate.to_le_bytes());
    }
}

/// One `AudioStreamStats` as `writePrimitive` copies it: the struct's memory on an x86-64
/// (LP64, natural alignment) build. Offsets: streamType 0, QUuid 4 (align 4), padding 20..24,
/// timeGapMin 24, timeGapMax 32, timeGapAverage 40, padding 44..48, timeGapWindowMin 48,
/// timeGapWindowMax 56, timeGapWindowAverage 64, framesAvailable 68, framesAvailableAverage 72,
/// unplayedMs 74, desiredJitterBufferFrames 76, padding 78..80, starveCount 80,
/// consecutiveNotMixedCount 84, overflowCount 88, framesDropped 92, packet stats 96..124 and
/// 124..152: 152 bytes, a multiple of the struct's 8-byte alignment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StreamRecord {
    pub stream_type: i32,
    /// The QUuid's in-memory bytes as sent (not RFC order).
    pub stream_id_raw: [u8; 16],
    pub pad0: [u8; 4],
    pub time_gap_min: u64,
    pub time_gap_max: u64,
    pub time_gap_avg: f32,
    pub pad1: [u8; 4],
    pub time_gap_window_min: u64,
    pub time_gap_window_max: u64,
    pub time_gap_window_avg: f32,
    pub frames_available: u32,
    pub frames_available_avg: u16,
    pub unplayed_ms: u16,
    pub desired_jitter_frames: u16,
    pub pad2: [u8; 2],
    pub starve_count: u32,
    pub consecutive_not_mixed: u32,
    pub overflow_count: u32,
    pub frames_dropped: u32,
    pub packets: PacketStats,
    pub packets_window: PacketStats,
}

impl StreamRecord {
    fn walk(r: &mut Rd) -> Option<Self> {
        let node = r.open(&SS_RECORD, || Value::None);
        let v = Self::walk_fields(r);
        r.close(node);
        v
    }

    fn walk_fields(r: &mut Rd) -> Option<Self> {
        let stream_type = r.en32le(&SS_STREAM_TYPE, stream_type_name)? as i32;
        let at = r.pos;
        let stream_id_raw: [u8; 16] = r.take(&SS_STREAM_ID, 16)?.try_into().ok()?;
        r.add(&SS_STREAM_ID, at, 16, || Value::Uuid(quuid_memory_to_rfc(&stream_id_raw)));
        let pad0 = r.bytes(&SS_PADDING, 4)?.try_into().ok()?;
        let time_gap_min = r.u64le(&SS_GAP_MIN)?;
        let time_gap_max = r.u64le(&SS_GAP_MAX)?;
        let time_gap_avg = r.f32le(&SS_GAP_AVG)?;
        let pad1 = r.bytes(&SS_PADDING, 4)?.try_into().ok()?;
        let time_gap_window_min = r.u64le(&SS_GAP_WIN_MIN)?;
        let time_gap_window_max = r.u64le(&SS_GAP_WIN_MAX)?;
        let time_gap_window_avg = r.f32le(&SS_GAP_WIN_AVG)?;
        let frames_available = r.u32le(&SS_FRAMES_AVAILABLE)?;
        let frames_available_avg = r.u16le(&SS_FRAMES_AVAILABLE_AVG)?;
        let unplayed_ms = r.u16le(&SS_UNPLAYED_MS)?;
        let desired_jitter_frames = r.u16le(&SS_DESIRED_FRAMES)?;
        let pad2 = r.bytes(&SS_PADDING, 2)?.try_into().ok()?;
        Some(StreamRecord {
            stream_type,
            stream_id_raw,
            pad0,
            time_gap_min,
            time_gap_max,
            time_gap_avg,
            pad1,
            time_gap_window_min,
            time_gap_window_max,
            time_gap_window_avg,
            frames_available,
            frames_available_avg,
            unplayed_ms,
            desired_jitter_frames,
            pad2,
            starve_count: r.u32le(&SS_STARVES)?,
            consecutive_not_mixed: r.u32le(&SS_NOT_MIXED)?,
            overflow_count: r.u32le(&SS_OVERFLOWS)?,
            frames_dropped: r.u32le(&SS_DROPPED)?,
            packets: PacketStats::walk(r, &SS_PACKETS)?,
            packets_window: PacketStats::walk(r, &SS_PACKETS_WINDOW)?,
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.stream_type.to_le_bytes());
        out.extend_from_slice(&self.stream_id_raw);
        out.extend_from_slice(&self.pad0);
        out.extend_from_slice(&self.time_gap_min.to_le_bytes());
        out.extend_from_slice(&self.time_gap_max.to_le_bytes());
        out.extend_from_slice(&self.time_gap_avg.to_le_bytes());
        out.extend_from_slice(&self.pad1);
        out.extend_from_slice(&self.time_gap_window_min.to_le_bytes());
        out.extend_from_slice(&self.time_gap_window_max.to_le_bytes());
        out.extend_from_slice(&self.time_gap_window_avg.to_le_bytes());
        out.extend_from_slice(&self.frames_available.to_le_bytes());
        out.extend_from_slice(&self.frames_available_avg.to_le_bytes());
        out.extend_from_slice(&self.unplayed_ms.to_le_bytes());
        out.extend_from_slice(&self.desired_jitter_frames.to_le_bytes());
        out.extend_from_slice(&self.pad2);
        for v in [self.starve_count, self.consecutive_not_mixed, self.overflow_count, self.frames_dropped] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        self.packets.emit(out);
        self.packets_window.emit(out);
    }
}

/// The records of an AudioStreamStats payload.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamRecords<'a> {
    /// The rest is exactly count x 152 bytes: decoded with the x86-64 layout.
    Decoded(Vec<StreamRecord>),
    /// Any other length: kept as sent.
    Opaque(Cow<'a, [u8]>),
}

/// AudioStreamStats (18): u8 append flag, u16 LE count, count raw `AudioStreamStats` structs
/// (`AudioMixerClientData::sendAudioStreamStatsPackets`, `AudioIOStats::publish` /
/// `processStreamStatsPacket`).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamStats<'a> {
    pub append_flag: u8,
    pub count: u16,
    pub records: StreamRecords<'a>,
}

impl<'a> Walk<'a> for StreamStats<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        Self::walk_records(r, true)
    }
}

impl<'a> StreamStats<'a> {
    /// The walk; `keep` false reads (and shows) the records without collecting them.
    fn walk_records(r: &mut Rd<'a, '_>, keep: bool) -> Option<Self> {
        let append_flag = r.en8(&SS_APPEND, append_flag)?;
        let count = r.u16le(&SS_COUNT)?;
        let want = count as usize * STREAM_STATS_LEN;
        let left = r.left();
        let records = if left == want {
            let mut v = Vec::new();
            for _ in 0..count {
                let rec = StreamRecord::walk(r)?;
                if keep {
                    v.push(rec);
                }
            }
            StreamRecords::Decoded(v)
        } else {
            let at = r.pos;
            r.expert(&f::NOT_DECODED, at, left, || {
                format!(
                    "{left} bytes of stream stats for a count of {count}, not {count} x {STREAM_STATS_LEN} = {want}: the \
                     records are raw in-memory AudioStreamStats structs, decoded only when they fit the x86-64 \
                     layout exactly; an audio mixer ignores a client's stats whose record is not its own \
                     sizeof(AudioStreamStats), and Interface copies {STREAM_STATS_LEN}-byte records regardless"
                )
            });
            StreamRecords::Opaque(Cow::Borrowed(r.rest_bytes(&SS_RECORDS)))
        };
        Some(StreamStats { append_flag, count, records })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.append_flag);
        out.extend_from_slice(&self.count.to_le_bytes());
        match &self.records {
            StreamRecords::Decoded(v) => v.iter().for_each(|rec| rec.emit(out)),
            StreamRecords::Opaque(b) => out.extend_from_slice(b),
        }
    }
}

fn dissect_stream_stats(r: &mut Rd) {
    if let Some(s) = StreamStats::walk_records(r, false) {
        r.info(|o| {
            udpdissect_core::digits::push_count(o, s.count.into(), " stream");
            if let Some(n) = append_flag(s.append_flag.into()) {
                o.push(' ');
                o.push_str(n);
            }
        });
    }
}

/// MuteEnvironment (17): position (glm::vec3) and radius, raw LE (`AudioMixer::
/// handleMuteEnvironmentPacket` reads and re-sends them; `AudioClient::handleMuteEnvironmentPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MuteEnvironment {
    pub position: [f32; 3],
    pub radius: f32,
}

impl Walk<'_> for MuteEnvironment {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(MuteEnvironment { position: r.floats(&MUTE_POSITION)?, radius: r.f32le(&MUTE_RADIUS)? })
    }
}

impl MuteEnvironment {
    pub const LEN: usize = 16;

    pub fn emit(&self, out: &mut Vec<u8>) {
        for x in self.position.iter().chain([&self.radius]) {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// AudioEnvironment (36): u8 bitset (HAS_REVERB_BIT 0 = mask 0x80, `setAtBit` counts from the
/// most significant bit), then reverb time and wet level only when that bit is set
/// (`AudioMixerWorker` `sendEnvironmentPacket`, `AudioClient::handleAudioEnvironmentDataPacket`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AudioEnvironment {
    pub flags: u8,
    /// (reverb time, wet level), present when `flags & 0x80`.
    pub reverb: Option<(f32, f32)>,
}

impl Walk<'_> for AudioEnvironment {
    fn walk(r: &mut Rd) -> Option<Self> {
        let at = r.pos;
        let flags = r.take(&ENV_FLAGS, 1)?[0];
        r.add(&ENV_FLAGS, at, 1, || Value::Unsigned(flags.into()));
        let has = flags & 0x80 != 0;
        r.generated(&ENV_HAS_REVERB, || Value::Bool(has));
        let reverb = if has { Some((r.f32le(&ENV_REVERB_TIME)?, r.f32le(&ENV_WET_LEVEL)?)) } else { None };
        Some(AudioEnvironment { flags, reverb })
    }
}

impl AudioEnvironment {
    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.flags);
        if let Some((t, w)) = self.reverb {
            out.extend_from_slice(&t.to_le_bytes());
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
}

/// The audio type a replicated type wraps (`PacketTypeEnum::getReplicatedPacketMapping`).
pub fn unreplicated(t: u8) -> u8 {
    match t {
        REPLICATED_MIC_NO_ECHO => audio::MIC_NO_ECHO,
        REPLICATED_MIC_WITH_ECHO => audio::MIC_WITH_ECHO,
        REPLICATED_INJECT_AUDIO => audio::INJECT_AUDIO,
        _ => audio::SILENT_AUDIO_FRAME,
    }
}

/// Replicated audio (83–86), non-sourced, upstream → downstream mixer: the replicated node's
/// UUID (RFC order) then the original frame as received (`AudioMixerClientData::
/// optionallyReplicatePacket`, `AudioMixer::queueReplicatedAudioPacket`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicatedAudio<'a> {
    pub node_id: [u8; 16],
    pub frame: audio::AudioFrame<'a>,
}

impl<'a> ReplicatedAudio<'a> {
    pub fn parse(t: u8, b: &'a [u8]) -> Result<(Self, &'a [u8]), super::codec::WireError> {
        let id: Option<[u8; 16]> = b.get(..16).and_then(|u| u.try_into().ok());
        let Some(node_id) = id else {
            return Err(super::codec::WireError::Short { at: 0, need: 16, have: b.len() });
        };
        let (frame, rest) = audio::AudioFrame::parse(unreplicated(t), &b[16..]).map_err(|e| match e {
            super::codec::WireError::Short { at, need, have } => {
                super::codec::WireError::Short { at: at + 16, need, have }
            }
            super::codec::WireError::Malformed { at, what } => super::codec::WireError::Malformed { at: at + 16, what },
        })?;
        Ok((ReplicatedAudio { node_id, frame }, rest))
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.node_id);
        self.frame.emit(out);
    }
}

fn dissect_replicated(r: &mut Rd, t: u8) {
    if r.uuid(&REPL_NODE_ID).is_some() {
        audio::dissect_frame(r, unreplicated(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::tests::{decode as run, every_prefix as no_panic_on_prefixes, hex, tags, val};
    use crate::payload::Decoded;

    fn record() -> StreamRecord {
        StreamRecord {
            stream_type: 1,
            // QUuid {01020304-0506-0708-090a-0b0c0d0e0f10} in x86-64 memory.
            stream_id_raw: [4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16],
            time_gap_min: 9_000,
            time_gap_max: 31_000,
            time_gap_avg: 10_666.5,
            time_gap_window_min: 9_500,
            time_gap_window_max: 20_000,
            time_gap_window_avg: 10_500.0,
            frames_available: 3,
            frames_available_avg: 2,
            unplayed_ms: 30,
            desired_jitter_frames: 1,
            starve_count: 4,
            consecutive_not_mixed: 0,
            overflow_count: 5,
            frames_dropped: 6,
            packets: PacketStats { expected_received: 1000, lost: 7, ..Default::default() },
            packets_window: PacketStats { expected_received: 3000, duplicate: 2, ..Default::default() },
            ..Default::default()
        }
    }

    /// Built byte by byte as `AudioIOStats::publish` writes it: append flag START|END, count 1,
    /// then the struct's x86-64 memory (offsets in [`StreamRecord`]).
    fn client_stats_bytes() -> Vec<u8> {
        let mut p = vec![3, 1, 0];
        p.extend_from_slice(&1i32.to_le_bytes());
        p.extend_from_slice(&[4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
        p.extend_from_slice(&[0; 4]);
        p.extend_from_slice(&9_000u64.to_le_bytes());
        p.extend_from_slice(&31_000u64.to_le_bytes());
        p.extend_from_slice(&10_666.5f32.to_le_bytes());
        p.extend_from_slice(&[0; 4]);
        p.extend_from_slice(&9_500u64.to_le_bytes());
        p.extend_from_slice(&20_000u64.to_le_bytes());
        p.extend_from_slice(&10_500f32.to_le_bytes());
        p.extend_from_slice(&3u32.to_le_bytes());
        p.extend_from_slice(&2u16.to_le_bytes());
        p.extend_from_slice(&30u16.to_le_bytes());
        p.extend_from_slice(&1u16.to_le_bytes());
        p.extend_from_slice(&[0; 2]);
        for v in [4u32, 0, 5, 6, 1000, 0, 0, 0, 7, 0, 0, 3000, 0, 0, 0, 0, 0, 2] {
            p.extend_from_slice(&v.to_le_bytes());
        }
        p
    }

    #[test]
    fn stream_stats_record_decodes_with_the_x86_64_layout() {
        let p = client_stats_bytes();
        assert_eq!(p.len(), 3 + STREAM_STATS_LEN);
        let (d, r) = run(AUDIO_STREAM_STATS, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty(), "{:?}", d.experts());
        assert_eq!(val(&d, "overte.stream_stats.append_flag"), &Value::Enum { value: 3, name: Some("START|END") });
        assert_eq!(val(&d, "overte.stream_stats.count"), &Value::Unsigned(1));
        assert_eq!(val(&d, "overte.stream_stats.stream_type"), &Value::Enum { value: 1, name: Some("Injector") });
        assert_eq!(
            val(&d, "overte.stream_stats.stream_id"),
            &Value::Uuid([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
        );
        assert_eq!(val(&d, "overte.stream_stats.time_gap_max"), &Value::Unsigned(31_000));
        assert_eq!(val(&d, "overte.stream_stats.time_gap_avg"), &Value::Float(10_666.5));
        assert_eq!(val(&d, "overte.stream_stats.time_gap_window_min"), &Value::Unsigned(9_500));
        assert_eq!(val(&d, "overte.stream_stats.unplayed_ms"), &Value::Unsigned(30));
        assert_eq!(val(&d, "overte.stream_stats.frames_dropped"), &Value::Unsigned(6));
        let lost: Vec<_> = d.values("overte.stream_stats.lost").map(|f| f.value.clone()).collect();
        assert_eq!(lost, [Value::Unsigned(7), Value::Unsigned(0)]);
        let dup = d.values("overte.stream_stats.duplicate").nth(1).unwrap();
        assert_eq!((dup.offset, &dup.value), (3 + 148, &Value::Unsigned(2)));
        assert_eq!(d.values("overte.stream_stats.starve_count").next().unwrap().offset, 3 + 80);
        assert_eq!(d.info, " 1 stream START|END");
        let (s, rest) = StreamStats::parse(&p).unwrap();
        assert!(rest.is_empty());
        assert_eq!(s.records, StreamRecords::Decoded(vec![record()]));
        let mut out = Vec::new();
        s.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(AUDIO_STREAM_STATS, &p);
    }

    #[test]
    fn stream_stats_of_another_record_size_stay_opaque() {
        // A 32-bit build's 140-byte record (the quint64s only 4-byte aligned).
        let mut p = vec![1, 1, 0];
        p.extend_from_slice(&[0xab; 140]);
        let (d, r) = run(AUDIO_STREAM_STATS, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
        let f = d.values("overte.stream_stats.records").next().unwrap();
        assert_eq!((f.offset, f.len), (3, 140));
        assert!(d.values("overte.stream_stats.stream_type").next().is_none());
        assert_eq!(d.info, " 1 stream START");
        let (s, _) = StreamStats::parse(&p).unwrap();
        let mut out = Vec::new();
        s.emit(&mut out);
        assert_eq!(out, p);
        // Two records and an empty set decode.
        let mut two = vec![0, 2, 0];
        two.extend_from_slice(&client_stats_bytes()[3..]);
        two.extend_from_slice(&client_stats_bytes()[3..]);
        let (d, r) = run(AUDIO_STREAM_STATS, &two);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.values("overte.stream_stats.record").count(), 2);
        assert_eq!(d.info, " 2 streams middle");
        let (d, r) = run(AUDIO_STREAM_STATS, &[2, 0, 0]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " 0 streams END");
        // Truncated header.
        let (d, r) = run(AUDIO_STREAM_STATS, &[3, 1]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
    }

    #[test]
    fn mute_environment_and_noisy_mute() {
        // `AudioMixer::handleMuteEnvironmentPacket`: position (1, 2, 3), radius 5.
        let p = hex("0000803f0000004000004040 0000a040".replace(' ', "").as_str());
        let (d, r) = run(MUTE_ENVIRONMENT, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.mute_environment.position"), &Value::String("1, 2, 3".into()));
        assert_eq!(val(&d, "overte.mute_environment.radius"), &Value::Float(5.0));
        assert_eq!(d.info, " radius 5");
        let (m, _) = MuteEnvironment::parse(&p).unwrap();
        let mut out = Vec::new();
        m.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(MUTE_ENVIRONMENT, &p);
        let (d, r) = run(MUTE_ENVIRONMENT, &p[..14]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
        // NoisyMute: `NLPacket::create(PacketType::NoisyMute, 0)`.
        let (d, r) = run(NOISY_MUTE, &[]);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty());
        assert_eq!(d.info, " muted by mixer");
        let (d, _) = run(NOISY_MUTE, &[1]);
        assert_eq!(tags(&d), ["overte.payload.wrong_length"]);
    }

    #[test]
    fn audio_environment_with_and_without_reverb() {
        // `sendEnvironmentPacket`: setAtBit(bitset, 0) = 0x80, reverb time 1.5, wet level 50.
        let p = hex("800000c03f00004842");
        let (d, r) = run(AUDIO_ENVIRONMENT, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.environment.flags"), &Value::Unsigned(0x80));
        assert_eq!(val(&d, "overte.environment.has_reverb"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.environment.reverb_time"), &Value::Float(1.5));
        assert_eq!(val(&d, "overte.environment.wet_level"), &Value::Float(50.0));
        assert_eq!(d.info, " reverb 1.5 s wet 50");
        let (e, _) = AudioEnvironment::parse(&p).unwrap();
        assert_eq!(e.reverb, Some((1.5, 50.0)));
        let mut out = Vec::new();
        e.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(AUDIO_ENVIRONMENT, &p);
        let (d, r) = run(AUDIO_ENVIRONMENT, &[0]);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.environment.has_reverb"), &Value::Bool(false));
        assert_eq!(d.info, " no reverb");
        // Bit 0x01 is not the reverb bit: the client reads nothing more.
        let (d, _) = run(AUDIO_ENVIRONMENT, &hex("010000c03f00004842"));
        assert_eq!(tags(&d), ["overte.payload.trailing_bytes"]);
        let (d, r) = run(AUDIO_ENVIRONMENT, &p[..7]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
    }

    #[test]
    fn replicated_audio_is_the_node_id_and_the_original_frame() {
        // The real SilentAudioFrame payload (`protocols/overte.md` §5.11) after a node ID, as
        // `optionallyReplicatePacket` writes it.
        let node = hex("0102030405060708090a0b0c0d0e0f10");
        let mut p = node.clone();
        p.extend_from_slice(&hex("960204000000 6f707573 e0010000".replace(' ', "").as_str()));
        let (d, r) = run(REPLICATED_SILENT_AUDIO_FRAME, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(val(&d, "overte.replicated.node_id"), &Value::Uuid(node[..].try_into().unwrap()));
        assert_eq!(val(&d, "overte.audio.silent_samples"), &Value::Unsigned(480));
        assert_eq!(d.values("overte.audio.sequence").next().unwrap().offset, 16);
        assert_eq!(d.info, " seq 662 opus");
        let (ra, rest) = ReplicatedAudio::parse(REPLICATED_SILENT_AUDIO_FRAME, &p).unwrap();
        assert!(rest.is_empty());
        let mut out = Vec::new();
        ra.emit(&mut out);
        assert_eq!(out, p);
        no_panic_on_prefixes(REPLICATED_SILENT_AUDIO_FRAME, &p);
        // A replicated microphone frame.
        let f = audio::AudioFrame::Mic {
            sequence: 9,
            codec: Cow::Borrowed(b"opus"),
            stereo: 0,
            positional: audio::Positional { position: [1.0, 2.0, 3.0], ..Default::default() },
            audio: Cow::Owned(vec![7; 10]),
        };
        let ra = ReplicatedAudio { node_id: [9; 16], frame: f };
        let mut p = Vec::new();
        ra.emit(&mut p);
        for t in [REPLICATED_MIC_NO_ECHO, REPLICATED_MIC_WITH_ECHO] {
            let (d, r) = run(t, &p);
            assert_eq!(r, Decoded::Full);
            assert_eq!(val(&d, "overte.audio.position"), &Value::String("1, 2, 3".into()));
            assert_eq!(d.info, " seq 9 opus");
            assert_eq!(ReplicatedAudio::parse(t, &p).unwrap().0, ra);
        }
        let (d, r) = run(REPLICATED_INJECT_AUDIO, &p[..10]);
        assert_eq!(r, Decoded::Partial);
        assert_eq!(tags(&d), ["overte.payload.truncated"]);
        assert!(d.values("overte.payload.undecoded").next().is_some());
    }
}
