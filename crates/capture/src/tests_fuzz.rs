//! Deterministic random-input loops: the reader and the decoder must never panic.

use crate::testutil::*;
use crate::{decode, linktype, DefragLimits, Defragmenter, Reader};

/// xorshift64* — small, deterministic.
pub struct Rng(pub u64);

impl Rng {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const LINKS: [u16; 12] = [
    linktype::NULL,
    linktype::ETHERNET,
    linktype::RAW,
    linktype::LOOP,
    linktype::LINUX_SLL,
    linktype::IPV4,
    linktype::IPV6,
    linktype::LINUX_SLL2,
    linktype::RAW_ALT12,
    linktype::RAW_ALT14,
    147,
    0xffff,
];

/// Seed files the mutations start from.
fn seeds() -> Vec<Vec<u8>> {
    let dg = udp(1, 2, &[7; 40]);
    let mut pkts: Vec<Vec<u8>> = vec![
        ether(0x0800, &ipv4(17, &udp(1, 2, b"hello"))),
        ether(0x8100, &cat2(&[0, 5, 0x86, 0xdd], &ipv6(17, &udp(3, 4, b"x")))),
        ether(0x0800, &ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 9, true, 0, &dg[..24])),
        ether(0x0800, &ipv4_frag([1, 1, 1, 1], [2, 2, 2, 2], 17, 9, false, 24, &dg[24..])),
        ether(0x86dd, &ipv6(44, &v6_frag(17, 3, 0, true, &dg[..16]))),
        ether(0x86dd, &ipv6(44, &v6_frag(17, 3, 16, false, &dg[16..]))),
    ];
    let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
    icmp.extend(ipv4(17, &udp(5, 6, b"q")));
    pkts.push(ether(0x0800, &ipv4(1, &icmp)));
    let mut v = Vec::new();
    let mut f = pcap_header(false, false, 65535, 1);
    for (i, p) in pkts.iter().enumerate() {
        pcap_record(&mut f, false, i as u32, 0, p, p.len() as u32);
    }
    v.push(f.clone());
    v.push(gzip(&f));
    let mut ng = Ng::new(false);
    ng.idb(1, 65535, &[opt(9, &[0x8a]), opt(14, &5i64.to_le_bytes())]);
    ng.idb(101, 100, &[opt(2, b"x")]);
    for p in &pkts {
        ng.epb(0, 12345, p, p.len() as u32);
    }
    ng.block(4, &[0; 12]);
    ng.spb(20, &ipv4(17, &udp(1, 2, b"spb")));
    ng.pb(1, 1, &ipv4(17, &udp(1, 2, b"pb")), 30);
    ng.shb(true);
    ng.idb(113, 65535, &[]);
    ng.epb(0, 1, &pkts[0], 50);
    v.push(ng.out.clone());
    v.push(gzip(&ng.out));
    v
}

fn cat2(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = a.to_vec();
    v.extend_from_slice(b);
    v
}

/// Reads a whole (possibly damaged) file, decoding every frame; never panics.
fn read_all(bytes: Vec<u8>, df: &mut Defragmenter) -> u64 {
    let Ok(mut r) = Reader::new(Box::new(std::io::Cursor::new(bytes))) else {
        return 0;
    };
    let mut n = 0;
    for _ in 0..10_000 {
        match r.next_frame() {
            Ok(Some(f)) => {
                n += 1;
                let d = decode(&f, df);
                std::hint::black_box(&d);
            }
            Ok(None) => break,
            Err(e) => {
                assert!(!e.message.is_empty());
                assert!(r.next_frame().unwrap().is_none());
                break;
            }
        }
    }
    let _ = r.info();
    let _ = r.bytes_read();
    n
}

#[test]
fn fuzz_reader_and_decode_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds = seeds();
    let limits = DefragLimits { max_trackers: 8, max_bytes: 4096, timeout_secs: 5, max_datagram: 65535 };
    let mut df = Defragmenter::new(limits);
    let mut frames = 0u64;
    for i in 0..20_000u32 {
        let bytes = match i % 4 {
            // Pure noise behind a plausible magic.
            0 => {
                let mut b = match rng.below(5) {
                    0 => vec![0xd4, 0xc3, 0xb2, 0xa1],
                    1 => vec![0xa1, 0xb2, 0x3c, 0x4d],
                    2 => vec![0x0a, 0x0d, 0x0d, 0x0a],
                    3 => vec![0x1f, 0x8b],
                    _ => vec![],
                };
                let n = rng.below(300) as usize;
                b.extend(rng.bytes(n));
                b
            }
            // Mutated valid files: flipped bytes, truncation, inserted garbage.
            _ => {
                let mut b = seeds[rng.below(seeds.len() as u64) as usize].clone();
                let flips = 1 + rng.below(8);
                for _ in 0..flips {
                    let at = rng.below(b.len() as u64) as usize;
                    b[at] = rng.next() as u8;
                }
                if rng.below(3) == 0 {
                    let cut = rng.below(b.len() as u64 + 1) as usize;
                    b.truncate(cut);
                }
                if rng.below(5) == 0 && !b.is_empty() {
                    let at = rng.below(b.len() as u64) as usize;
                    let n = rng.below(16) as usize;
                    let junk = rng.bytes(n);
                    b.splice(at..at, junk);
                }
                b
            }
        };
        frames += read_all(bytes, &mut df);
    }
    assert!(frames > 1000, "mutations should still produce frames ({frames})");

    // The decoder alone on random frames of every link type.
    let mut df = Defragmenter::new(limits);
    for i in 0..20_000u32 {
        let lt = LINKS[(i as usize) % LINKS.len()];
        let n = rng.below(120) as usize;
        let mut data = rng.bytes(n);
        // Bias towards IP so deeper layers are reached.
        if let Some(b) = data.first_mut() {
            if rng.below(2) == 0 && matches!(lt, linktype::RAW | linktype::IPV4 | linktype::IPV6) {
                *b = if rng.below(2) == 0 { 0x45 } else { 0x60 };
            }
        }
        if lt == linktype::ETHERNET && data.len() > 14 && rng.below(2) == 0 {
            let ets: [u16; 5] = [0x0800, 0x86dd, 0x8100, 0x88a8, 0x0806];
            let et = ets[rng.below(5) as usize];
            data[12..14].copy_from_slice(&et.to_be_bytes());
            if data.len() > 15 && et == 0x0800 {
                data[14] = 0x45;
            }
        }
        let f = crate::Frame {
            number: u64::from(i) + 1,
            ts: crate::Timestamp { secs: i64::from(i / 100), nanos: 0 },
            ..frame(&data, lt)
        };
        let d = decode(&f, &mut df);
        std::hint::black_box(&d);
    }
}

#[test]
fn seeds_decode_fully() {
    let mut df = Defragmenter::default();
    let s = seeds();
    assert_eq!(read_all(s[0].clone(), &mut df), 7);
    assert_eq!(read_all(s[1].clone(), &mut df), 7);
    assert_eq!(read_all(s[2].clone(), &mut df), 10);
    assert_eq!(read_all(s[3].clone(), &mut df), 10);
}
