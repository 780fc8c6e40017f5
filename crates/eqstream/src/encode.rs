//! A session's sender side, for sample captures, tests and benchmarks: it builds datagrams the
//! way EQEmu and EQ2Emu send them (sequence numbers, fragments, encode passes, CRC, and the
//! EQ2 RC4 and zlib streams).

use crate::eq2::{self, Deflater, KeyGen};
use crate::rc4::Rc4;
use crate::wire::{self, op};
use crate::{crc, passes};

/// Who sends.
pub const CLIENT: usize = 0;
pub const SERVER: usize = 1;

pub struct Encoder {
    pub session_id: u32,
    pub key: u32,
    pub crc_bytes: u8,
    pub passes: [u8; 2],
    pub max_length: u32,
    /// Next OP_Packet sequence number per sender (channel 0).
    pub next_seq: [u16; 2],
    rc4: [Option<Rc4>; 2],
    /// Made for the first packet the server compresses: its state is large.
    deflater: Option<Deflater>,
}

impl Encoder {
    pub fn new(session_id: u32, key: u32, crc_bytes: u8, passes: [u8; 2], max_length: u32) -> Encoder {
        Encoder { session_id, key, crc_bytes, passes, max_length, next_seq: [0; 2], rc4: [None, None], deflater: None }
    }

    /// An EQ2Emu session: key 0x33624702, 2-byte CRC, no passes, 512-byte datagrams.
    pub fn eq2(session_id: u32) -> Encoder {
        Encoder::new(session_id, 0x3362_4702, 2, [0, 0], 512)
    }

    /// `00 01` with protocol version 3 (EQEmu; EQ2Emu clients send 0) and an optional tag.
    pub fn session_request(&self, version: u32, tag: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        wire::SessionRequest {
            protocol_version: version,
            session_id: self.session_id,
            max_length: self.max_length,
            tag: tag.to_vec(),
        }
        .emit(&mut v);
        v
    }

    /// `00 02`, 21 bytes (`long`) or 17.
    pub fn session_response(&self, long: bool) -> Vec<u8> {
        let mut v = Vec::new();
        wire::SessionResponse {
            session_id: self.session_id,
            key: self.key,
            crc_bytes: self.crc_bytes,
            pass1: self.passes[0],
            pass2: self.passes[1],
            max_length: self.max_length,
            unknown: long.then_some(0),
        }
        .emit(&mut v);
        v
    }

    /// Applies the passes and appends the CRC.
    pub fn seal(&self, packet: &[u8]) -> Vec<u8> {
        let mut p = passes::encode(packet, self.passes[0], self.passes[1], self.key);
        crc::append(self.key, usize::from(self.crc_bytes), &mut p);
        p
    }

    /// One OP_Packet carrying `payload` (sealed). Returns its sequence number too.
    pub fn packet(&mut self, from: usize, payload: &[u8]) -> (u16, Vec<u8>) {
        let seq = self.next_seq[from];
        self.next_seq[from] = seq.wrapping_add(1);
        let mut p = Vec::with_capacity(4 + payload.len());
        wire::emit_sequenced(op::PACKET, seq, payload, &mut p);
        (seq, self.seal(&p))
    }

    /// Room for data after `00 op SS SS` in one datagram (a flag byte reserved when compressing).
    fn room(&self) -> usize {
        let flag = usize::from(self.passes.contains(&wire::PASS_COMPRESS));
        (self.max_length as usize).saturating_sub(4 + usize::from(self.crc_bytes) + flag)
    }

    /// `payload` as one OP_Packet, or as a fragment chain when it does not fit.
    pub fn send(&mut self, from: usize, payload: &[u8]) -> Vec<Vec<u8>> {
        if payload.len() <= self.room() {
            return vec![self.packet(from, payload).1];
        }
        let chain = wire::fragments(payload, self.next_seq[from], self.room());
        self.next_seq[from] = self.next_seq[from].wrapping_add(chain.len() as u16);
        chain.iter().map(|p| self.seal(p)).collect()
    }

    /// A sealed protocol packet: `00 op` + body.
    pub fn control(&self, code: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![0, code];
        p.extend_from_slice(body);
        self.seal(&p)
    }

    pub fn ack(&self, seq: u16) -> Vec<u8> {
        self.control(op::ACK, &seq.to_be_bytes())
    }

    pub fn out_of_order_ack(&self, seq: u16) -> Vec<u8> {
        self.control(op::OUT_OF_ORDER_ACK, &seq.to_be_bytes())
    }

    // ---- EQ2 application layer ----

    /// The KeyGen blob (emulator key).
    pub fn keygen(&self) -> Vec<u8> {
        let mut v = Vec::new();
        KeyGen::emulator().emit(&mut v);
        v
    }

    /// The client's key reply: `pad` bytes then K (big-endian), and both RC4 states start.
    pub fn key_reply(&mut self, k: u64, pad: usize) -> Vec<u8> {
        let mut v = vec![0x11; pad];
        v.extend_from_slice(&k.to_be_bytes());
        self.start_rc4(k);
        v
    }

    pub fn start_rc4(&mut self, k: u64) {
        let (s2c, c2s) = eq2::rc4_pair(k);
        self.rc4 = [Some(c2s), Some(s2c)];
    }

    /// An encrypted EQ2 app blob (with the `00` escape when the ciphertext starts with 00):
    /// the server's has the flag byte and goes through the zlib stream when large.
    pub fn eq2_app(&mut self, from: usize, opcode: u16, body: &[u8]) -> Vec<u8> {
        let plain = if from == SERVER {
            eq2::server_plaintext(opcode, body, self.deflater.get_or_insert_with(Deflater::default))
        } else {
            let mut v = Vec::with_capacity(3 + body.len());
            eq2::emit_opcode(opcode, &mut v);
            v.extend_from_slice(body);
            v
        };
        let rc4 = self.rc4[from].as_mut().expect("RC4 started by key_reply or start_rc4");
        eq2::seal(rc4, &plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_server_packet_matches_the_reference() {
        // §12.6: key 0x0123456789abcdef, seq 1, CRC key 0x33624702.
        let mut e = Encoder::eq2(1);
        e.start_rc4(0x0123_4567_89ab_cdef);
        e.next_seq[SERVER] = 1;
        let blob = e.eq2_app(SERVER, 4, &[1, 2, 3]);
        let (_, p) = e.packet(SERVER, &blob);
        assert_eq!(p, [0x00, 0x09, 0x00, 0x01, 0xde, 0x6f, 0xd8, 0x04, 0x46, 0x10, 0xbe]);
        // §12.7
        let mut e = Encoder::eq2(1);
        let kg = e.keygen();
        let (seq, p) = e.packet(SERVER, &kg);
        assert_eq!((seq, p.len(), &p[p.len() - 2..]), (0, 76, &[0x5e, 0xd8][..]));
    }
}
