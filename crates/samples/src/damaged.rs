//! Damaged captures: valid heartbeat frames, then damage. And zero-length records.

use std::net::SocketAddrV4;

use udpdissect_heartbeat::wire::Reply;
use udpdissect_pcapgen::{damage, linktype, IfOpts, PcapNgWriter, PcapWriter};

use crate::common::*;
use crate::Sample;

const EXPECT: &str = "writing to a Vec";

/// Three beats 60 s apart, each answered: six Ethernet frames.
fn exchanges() -> Frames {
    let mut frames = Vec::new();
    for n in 0..3u16 {
        let client = SocketAddrV4::new(CLIENT, 40_213 + 3_331 * n);
        let secs = 60 * (u32::from(n) + 1);
        let b = udp4_out(client, hb4(SERVER), 0x6000 + n, &beat(UID));
        let r = udp4_in(hb4(SERVER), client, 0xa000 + n, &reply(Reply::alive(UID)));
        frames.push((at(secs, 0), eth(CLIENT_MAC, GATEWAY_MAC, &b)));
        frames.push((at(secs, 2_500 + 311 * u32::from(n)), eth(GATEWAY_MAC, CLIENT_MAC, &r)));
    }
    frames
}

fn valid_pcap() -> Vec<u8> {
    pcap(linktype::ETHERNET, &exchanges())
}

fn cut_mid_record() -> Vec<u8> {
    let four = pcap(linktype::ETHERNET, &exchanges()[..4]);
    // Record 4 is the second reply (16 + 58 bytes): keep its header and 30 bytes of data.
    damage::truncate_mid_record(&four, 16 + 30)
}

fn pcapng_block_length() -> Vec<u8> {
    let mut w = PcapNgWriter::new(Vec::new(), false).expect(EXPECT);
    let ifc = w.interface(linktype::ETHERNET, 262_144, IfOpts::default()).expect(EXPECT);
    for (ts, f) in exchanges() {
        w.epb(ifc, ts, f.len() as u32, &f).expect(EXPECT);
    }
    // Blocks: 0 SHB, 1 IDB, 2.. EPBs; block 5 is the fourth EPB.
    damage::set_pcapng_block_len(&w.into_inner(), 5, 1 << 20)
}

fn zero_length() -> Vec<u8> {
    let frames = exchanges();
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).expect(EXPECT);
    for (n, (ts, f)) in frames.iter().enumerate() {
        w.write(*ts, f).expect(EXPECT);
        match n {
            // A record with nothing captured and nothing on the wire.
            1 => w.write(at(90, 0), &[]).expect(EXPECT),
            // Nothing captured of a 60-byte frame.
            3 => w.write_truncated(at(150, 0), 60, &[]).expect(EXPECT),
            _ => {}
        }
    }
    w.into_inner()
}

pub fn samples() -> Vec<Sample> {
    vec![
        Sample {
            name: "damaged-cut-mid-record.pcap",
            description: "Damaged: three valid records (beat, reply, beat), then the file ends 30 bytes into the \
                          data of the 4th record (a 58-byte reply).",
            bytes: cut_mid_record(),
        },
        Sample {
            name: "damaged-record-length.pcap",
            description: "Damaged: six heartbeat records whose 4th has incl_len 2147483648 (2 GiB); its real 58 \
                          bytes and records 5-6 follow.",
            bytes: damage::set_pcap_record_len(&valid_pcap(), 3, 1 << 31),
        },
        Sample {
            name: "damaged-bad-magic.pcap",
            description: "Damaged: six valid heartbeat records behind a file header whose magic is de ad be ef.",
            bytes: damage::bad_magic(&valid_pcap()),
        },
        Sample {
            name: "damaged-pcapng-block-length.pcapng",
            description: "Damaged: pcapng with six heartbeat EPBs; the 4th EPB's leading block length is 1 MiB, \
                          past the end of the file (its trailing copy still says the real length).",
            bytes: pcapng_block_length(),
        },
        Sample {
            name: "damaged-random-tail.pcap",
            description: "Damaged: six valid heartbeat records followed by 64 pseudo-random bytes (SplitMix64, \
                          seed 3335); the first 16 of them read as a record header with an absurd length.",
            bytes: damage::append_random(&valid_pcap(), 64, 3335),
        },
        Sample {
            name: "damaged-zero-length.pcap",
            description: "Not damaged, an edge case (8 frames): six heartbeat records with two zero-length \
                          records among them: frame 3 (incl_len 0, orig_len 0) and frame 6 (incl_len 0, \
                          orig_len 60).",
            bytes: zero_length(),
        },
    ]
}
