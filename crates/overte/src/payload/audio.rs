//! Audio (`protocols/overte.md` §5.11): codec negotiation and the audio frames. All raw
//! little-endian; codec names are u32 LE length + UTF-8.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::codec::{put_text32le, Rd, Text, Walk, WireError};
use super::fields as f;

pub const INJECT_AUDIO: u8 = 7;
pub const MIXED_AUDIO: u8 = 8;
pub const MIC_NO_ECHO: u8 = 9;
pub const MIC_WITH_ECHO: u8 = 10;
pub const SILENT_AUDIO_FRAME: u8 = 12;

/// Where the sender's stream is: position, orientation (glm quat memory order), avatar
/// bounding-box corner and scale (13 floats).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Positional {
    pub position: [f32; 3],
    pub orientation: [f32; 4],
    pub bbox_corner: [f32; 3],
    pub bbox_scale: [f32; 3],
}

impl Positional {
    fn walk(r: &mut Rd) -> Option<Self> {
        Some(Positional {
            position: r.floats(&f::AUDIO_POSITION)?,
            orientation: r.floats(&f::AUDIO_ORIENTATION)?,
            bbox_corner: r.floats(&f::AUDIO_BBOX_CORNER)?,
            bbox_scale: r.floats(&f::AUDIO_BBOX_SCALE)?,
        })
    }

    fn emit(&self, out: &mut Vec<u8>) {
        let all = self.position.iter().chain(&self.orientation).chain(&self.bbox_corner).chain(&self.bbox_scale);
        for x in all {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// One audio frame; which form depends on the packet type (and, for SilentAudioFrame, on
/// the length: the mixer sends a u32 sample count and nothing else).
#[derive(Debug, Clone, PartialEq)]
pub enum AudioFrame<'a> {
    /// MicrophoneAudioNoEcho / WithEcho (9, 10), client → mixer.
    Mic { sequence: u16, codec: Text<'a>, stereo: u8, positional: Positional, audio: Cow<'a, [u8]> },
    /// SilentAudioFrame (12) from a client: u16 silent samples + positional data.
    SilentClient { sequence: u16, codec: Text<'a>, samples: u16, positional: Positional },
    /// SilentAudioFrame (12) from the mixer: u32 silent samples.
    SilentMixer { sequence: u16, codec: Text<'a>, samples: u32 },
    /// MixedAudio (8), mixer → client.
    Mixed { sequence: u16, codec: Text<'a>, audio: Cow<'a, [u8]> },
    /// InjectAudio (7), `AudioInjector::injectNextFrame`.
    Inject {
        sequence: u16,
        codec: Text<'a>,
        stream_id: [u8; 16],
        stereo: u8,
        loopback: u8,
        positional: Positional,
        /// QDataStream `<< float` writes an 8-byte big-endian double.
        radius: f64,
        volume: u8,
        ignore_penumbra: u8,
        audio: Cow<'a, [u8]>,
    },
}

impl<'a> AudioFrame<'a> {
    pub fn parse(packet_type: u8, b: &'a [u8]) -> Result<(Self, &'a [u8]), WireError> {
        let mut r = Rd::new(b);
        let v = Self::walk(packet_type, &mut r);
        r.result(v)
    }

    fn walk(packet_type: u8, r: &mut Rd<'a, '_>) -> Option<Self> {
        let sequence = r.u16le(&f::AUDIO_SEQUENCE)?;
        let codec = r.text32le(&f::AUDIO_CODEC)?;
        Some(match packet_type {
            SILENT_AUDIO_FRAME if r.left() == 4 => {
                AudioFrame::SilentMixer { sequence, codec, samples: r.u32le(&f::AUDIO_SILENT_SAMPLES)? }
            }
            SILENT_AUDIO_FRAME => AudioFrame::SilentClient {
                sequence,
                codec,
                samples: r.u16le(&f::AUDIO_SILENT_SAMPLES)?,
                positional: Positional::walk(r)?,
            },
            MIXED_AUDIO => AudioFrame::Mixed { sequence, codec, audio: Cow::Borrowed(r.rest_bytes(&f::AUDIO_DATA)) },
            INJECT_AUDIO => {
                let stream_id = r.uuid(&f::AUDIO_STREAM_ID)?;
                let stereo = r.bool8(&f::AUDIO_STEREO)?;
                let loopback = r.bool8(&f::AUDIO_LOOPBACK)?;
                let positional = Positional::walk(r)?;
                let at = r.pos;
                let radius = f64::from_be_bytes(r.take(&f::AUDIO_RADIUS, 8)?.try_into().ok()?);
                r.add(&f::AUDIO_RADIUS, at, 8, || udpdissect_core::Value::Float(radius));
                let volume = r.u8(&f::AUDIO_VOLUME)?;
                let ignore_penumbra = r.bool8(&f::AUDIO_IGNORE_PENUMBRA)?;
                let audio = Cow::Borrowed(r.rest_bytes(&f::AUDIO_DATA));
                AudioFrame::Inject {
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
                }
            }
            _ => {
                let stereo = r.bool8(&f::AUDIO_STEREO)?;
                let positional = Positional::walk(r)?;
                AudioFrame::Mic {
                    sequence,
                    codec,
                    stereo,
                    positional,
                    audio: Cow::Borrowed(r.rest_bytes(&f::AUDIO_DATA)),
                }
            }
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        let (seq, codec) = match self {
            AudioFrame::Mic { sequence, codec, .. }
            | AudioFrame::SilentClient { sequence, codec, .. }
            | AudioFrame::SilentMixer { sequence, codec, .. }
            | AudioFrame::Mixed { sequence, codec, .. }
            | AudioFrame::Inject { sequence, codec, .. } => (*sequence, codec),
        };
        out.extend_from_slice(&seq.to_le_bytes());
        put_text32le(out, codec);
        match self {
            AudioFrame::Mic { stereo, positional, audio, .. } => {
                out.push(*stereo);
                positional.emit(out);
                out.extend_from_slice(audio);
            }
            AudioFrame::SilentClient { samples, positional, .. } => {
                out.extend_from_slice(&samples.to_le_bytes());
                positional.emit(out);
            }
            AudioFrame::SilentMixer { samples, .. } => out.extend_from_slice(&samples.to_le_bytes()),
            AudioFrame::Mixed { audio, .. } => out.extend_from_slice(audio),
            AudioFrame::Inject {
                stream_id,
                stereo,
                loopback,
                positional,
                radius,
                volume,
                ignore_penumbra,
                audio,
                ..
            } => {
                out.extend_from_slice(stream_id);
                out.push(*stereo);
                out.push(*loopback);
                positional.emit(out);
                out.extend_from_slice(&radius.to_be_bytes());
                out.push(*volume);
                out.push(*ignore_penumbra);
                out.extend_from_slice(audio);
            }
        }
    }
}

pub(crate) fn dissect_frame(r: &mut Rd, packet_type: u8) {
    if let Some(fr) = AudioFrame::walk(packet_type, r) {
        let (seq, codec) = match &fr {
            AudioFrame::Mic { sequence, codec, .. }
            | AudioFrame::SilentClient { sequence, codec, .. }
            | AudioFrame::SilentMixer { sequence, codec, .. }
            | AudioFrame::Mixed { sequence, codec, .. }
            | AudioFrame::Inject { sequence, codec, .. } => (*sequence, codec),
        };
        r.info_number(" seq ", seq.into());
        if !codec.is_empty() {
            r.info(|s| {
                s.push(' ');
                s.push_str(&String::from_utf8_lossy(codec));
            });
        }
    }
}

/// NegotiateAudioFormat (64): the codecs the client supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiate<'a> {
    pub codecs: Vec<Text<'a>>,
}

impl<'a> Walk<'a> for Negotiate<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        Self::walk_codecs(r, true)
    }
}

impl<'a> Negotiate<'a> {
    /// The walk; `keep` false reads (and shows) the codecs without collecting them.
    fn walk_codecs(r: &mut Rd<'a, '_>, keep: bool) -> Option<Self> {
        let n = r.u8(&f::AUDIO_CODEC_COUNT)?;
        let mut codecs = Vec::new();
        for _ in 0..n {
            let c = r.text32le(&f::AUDIO_CODEC)?;
            if keep {
                codecs.push(c);
            }
        }
        Some(Negotiate { codecs })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        out.push(self.codecs.len() as u8);
        for c in &self.codecs {
            put_text32le(out, c);
        }
    }
}

pub(crate) fn dissect_negotiate(r: &mut Rd) {
    if let Some(n) = r.rest().first().copied() {
        if Negotiate::walk_codecs(r, false).is_some() {
            r.info(|s| {
                let _ = write!(s, " {n} codecs");
            });
        }
    }
}

/// SelectedAudioFormat (65): the codec the mixer chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected<'a> {
    pub codec: Text<'a>,
}

impl<'a> Walk<'a> for Selected<'a> {
    fn walk(r: &mut Rd<'a, '_>) -> Option<Self> {
        r.text32le(&f::AUDIO_CODEC).map(|codec| Selected { codec })
    }
}

impl<'a> Selected<'a> {
    pub fn emit(&self, out: &mut Vec<u8>) {
        put_text32le(out, &self.codec);
    }
}

pub(crate) fn dissect_selected(r: &mut Rd) {
    if let Some(c) = r.text32le(&f::AUDIO_CODEC) {
        r.info(|s| {
            let _ = write!(s, " {}", String::from_utf8_lossy(&c));
        });
    }
}
