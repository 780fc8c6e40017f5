//! Reader tests: pcap, pcapng, gzip, zstd, lz4, streaming, damage.

use crate::reader::{ng_timestamp, ng_timestamp_wide, ts_digits_for};
use crate::testutil::*;
use crate::{CaptureError, Compression, Format, Interface, Reader, Timestamp};

fn ts(secs: i64, nanos: u32) -> Timestamp {
    Timestamp { secs, nanos }
}

/// Reads frames until the first error; returns the number of good frames and the error.
fn first_err(bytes: Vec<u8>) -> (u64, CaptureError) {
    let mut r = match reader(bytes) {
        Ok(r) => r,
        Err(e) => return (0, e),
    };
    let mut n = 0;
    loop {
        match r.next_frame() {
            Ok(Some(_)) => n += 1,
            Ok(None) => panic!("expected an error after {n} frames"),
            Err(e) => {
                assert!(r.next_frame().unwrap().is_none(), "after an error, next_frame must return None");
                assert!(r.next_frame().unwrap().is_none());
                return (n, e);
            }
        }
    }
}

/// (number, ts, ts_digits, orig_len, data, link_type, interface, offset)
type FrameRow = (u64, Timestamp, u8, u32, Vec<u8>, u16, u32, u64);

fn all_frames(r: &mut Reader) -> Vec<FrameRow> {
    let mut v = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        v.push((f.number, f.ts, f.ts_digits, f.orig_len, f.data.to_vec(), f.link_type, f.interface, f.offset));
    }
    assert!(r.next_frame().unwrap().is_none());
    v
}

#[test]
fn pcap_le_be_us_ns() {
    for be in [false, true] {
        for nanos in [false, true] {
            // Upper bits of the link-type field carry FCS information: ignored.
            let mut f = pcap_header(be, nanos, 65535, 0x1400_0001);
            let frac = if nanos { 123_456_789 } else { 123_456 };
            pcap_record(&mut f, be, 1_700_000_000, frac, &[1, 2, 3], 60);
            pcap_record(&mut f, be, 1_700_000_001, 0, &[], 0);
            pcap_record(&mut f, be, 1_700_000_002, 999, &[9; 5], 5);
            let len = f.len() as u64;
            let mut r = reader(f).unwrap();
            assert_eq!(r.info().format, Format::Pcap { nanos, big_endian: be, major: 2, minor: 4 });
            assert_eq!(r.info().compression, None);
            assert_eq!(r.info().sections, 1);
            let digits = if nanos { 9 } else { 6 };
            assert_eq!(
                r.info().interfaces,
                vec![Interface {
                    link_type: 1,
                    snaplen: 65535,
                    ts_digits: digits,
                    name: None,
                    description: None,
                    section: 1,
                    id: 0,
                    options: Vec::new(),
                    statistics: None,
                }]
            );
            let frames = all_frames(&mut r);
            assert_eq!(frames.len(), 3);
            let n1 = if nanos { 123_456_789 } else { 123_456_000 };
            assert_eq!(frames[0], (1, ts(1_700_000_000, n1), digits, 60, vec![1, 2, 3], 1, 0, 24));
            assert_eq!(frames[1], (2, ts(1_700_000_001, 0), digits, 0, vec![], 1, 0, 43));
            let n3 = if nanos { 999 } else { 999_000 };
            assert_eq!(frames[2], (3, ts(1_700_000_002, n3), digits, 5, vec![9; 5], 1, 0, 59));
            assert_eq!(r.bytes_read(), len);
        }
    }
}

#[test]
fn pcap_fraction_overflow_is_normalized() {
    let mut f = pcap_header(false, false, 65535, 1);
    pcap_record(&mut f, false, 10, 2_500_000, &[1], 1);
    let mut r = reader(f).unwrap();
    assert_eq!(r.next_frame().unwrap().unwrap().ts, ts(12, 500_000_000));
}

#[test]
fn pcap_max_record_and_zero_length() {
    let big = vec![0x5a; Reader::MAX_RECORD as usize];
    let mut f = pcap_header(false, false, Reader::MAX_RECORD, 1);
    pcap_record(&mut f, false, 1, 0, &big, Reader::MAX_RECORD);
    pcap_record(&mut f, false, 1, 0, &[], 100);
    let mut r = reader(f).unwrap();
    assert_eq!(r.next_frame().unwrap().unwrap().data.len(), Reader::MAX_RECORD as usize);
    let f2 = r.next_frame().unwrap().unwrap();
    assert!(f2.data.is_empty());
    assert_eq!(f2.orig_len, 100);
    assert!(r.next_frame().unwrap().is_none());
}

#[test]
fn decimal_resolutions_divide_in_64_bits_as_in_128() {
    let mut units = vec![0, 1, 999, 1_000, 999_999, 1_000_000, 1_000_000_001, u64::MAX - 1, u64::MAX];
    // A spread of values in between: every digit count, and the powers of ten's neighbours.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for p in 0..20 {
        let ten = 10u64.pow(p);
        units.extend([ten - 1, ten, ten + 1, (x % ten).wrapping_add(ten)]);
        x = x.rotate_left(17).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        units.push(x);
    }
    for tsresol in 0..=9u8 {
        for &u in &units {
            for offset in [0, -1, 7, i64::MAX, i64::MIN] {
                assert_eq!(
                    ng_timestamp(u, tsresol, offset),
                    ng_timestamp_wide(u, tsresol, offset),
                    "{u} units of 10^-{tsresol} s, offset {offset}"
                );
            }
        }
    }
}

#[test]
fn timestamp_resolutions() {
    assert_eq!(ng_timestamp(1_500, 3, 0), ts(1, 500_000_000));
    assert_eq!(ng_timestamp(1_700_000_000_123_456, 6, 0), ts(1_700_000_000, 123_456_000));
    assert_eq!(ng_timestamp(1_700_000_000_123_456_789, 9, 0), ts(1_700_000_000, 123_456_789));
    assert_eq!(ng_timestamp(1_234_567_890_123_456, 12, 0), ts(1234, 567_890_123));
    assert_eq!(ng_timestamp(5, 0, 0), ts(5, 0));
    assert_eq!(ng_timestamp(u64::MAX, 0, 0), ts(i64::MAX, 0));
    assert_eq!(ng_timestamp(u64::MAX, 60, 0), ts(0, 0));
    assert_eq!(ng_timestamp(u64::MAX, 255, 0), ts(0, 0));
    // 2^-10: 1 + 1/1024 s → 976562.5 ns, rounded down.
    assert_eq!(ng_timestamp(1025, 0x80 | 10, 0), ts(1, 976_562));
    assert_eq!(ng_timestamp((5 << 20) + (1 << 19), 0x80 | 20, 0), ts(5, 500_000_000));
    assert_eq!(ng_timestamp(1 << 63, 0x80 | 64, 0), ts(0, 500_000_000));
    assert_eq!(ng_timestamp(u64::MAX, 0x80 | 127, 0), ts(0, 0));
    assert_eq!(ng_timestamp(3, 0x80, 0), ts(3, 0));
    // tsoffset, including negative times (nanos stay positive).
    assert_eq!(ng_timestamp(500_000, 6, -1), ts(-1, 500_000_000));
    assert_eq!(ng_timestamp(2_000_000, 6, 1_000), ts(1_002, 0));
    assert_eq!(ng_timestamp(u64::MAX, 0, i64::MAX), ts(i64::MAX, 0));

    // As tshark shows them (checked with tshark 4.0 on generated files).
    for (resol, digits) in [(6, 6), (9, 9), (3, 3), (0, 0), (1, 1), (2, 2), (4, 3), (5, 3), (7, 6), (8, 6), (12, 9)] {
        assert_eq!(ts_digits_for(resol), digits, "10^-{resol}");
    }
    for (n, digits) in
        [(0, 0), (1, 0), (3, 0), (4, 1), (7, 2), (10, 3), (14, 3), (17, 3), (20, 6), (24, 6), (29, 6), (30, 9)]
    {
        assert_eq!(ts_digits_for(0x80 | n), digits, "2^-{n}");
    }
    assert_eq!(ts_digits_for(0x80 | 127), 9);
}

/// A two-section pcapng file; returns it with the expected frames.
fn two_section_file() -> (Vec<u8>, Vec<FrameRow>) {
    let p = |n: u8, len: usize| -> Vec<u8> { (0..len).map(|i| n.wrapping_add(i as u8)).collect() };
    let mut ng = Ng::new(false);
    ng.idb(1, 65535, &[opt(2, b"eth0")]);
    ng.idb(101, 65535, &[opt(9, &[9]), opt(2, b"raw\0")]);
    ng.idb(0, 1500, &[opt(9, &[3]), opt(2, b"lo0")]);
    ng.block(4, &[1, 0, 4, 0, 10, 0, 0, 1, 0, 0, 0, 0]); // NRB
    let mut exp = Vec::new();
    let o = ng.epb(0, 1_700_000_000_123_456, &p(1, 61), 100);
    exp.push((1, ts(1_700_000_000, 123_456_000), 6, 100, p(1, 61), 1, 0, o));
    ng.block(5, &[0; 16]); // ISB
    let o = ng.epb(1, 1_700_000_000_123_456_789, &p(2, 20), 20);
    exp.push((2, ts(1_700_000_000, 123_456_789), 9, 20, p(2, 20), 101, 1, o));
    // Custom blocks are records to Wireshark, so they are frames: the bytes after the PEN,
    // padding included.
    let custom = crate::linktype::PCAPNG_CUSTOM;
    let o = ng.block(0x0000_0bad, &[0xde, 0xad, 0xbe, 0xef, 1, 2, 3]);
    exp.push((3, ts(0, 0), 9, 4, vec![1, 2, 3, 0], custom, 0, o));
    let o = ng.block(0x4000_0bad, &[0; 40]); // custom, not to be copied
    exp.push((4, ts(0, 0), 9, 36, vec![0; 36], custom, 0, o));
    ng.block(10, &[0; 8]); // DSB
    let o = ng.epb(2, 1_700_000_000_123, &p(3, 7), 7);
    exp.push((5, ts(1_700_000_000, 123_000_000), 3, 7, p(3, 7), 0, 2, o));
    let o = ng.spb(10, &p(4, 10));
    exp.push((6, ts(0, 0), 6, 10, p(4, 10), 1, 0, o));
    let o = ng.pb(1, 42_000_000_001, &p(5, 9), 30);
    exp.push((7, ts(42, 1), 9, 30, p(5, 9), 101, 1, o));

    // Second section, big-endian; its interfaces are appended (capture-wide 3 and 4).
    ng.shb(true);
    ng.idb(113, 64, &[opt(9, &[0x94])]); // 2^-20
    ng.idb(276, 65535, &[opt(14, &(-3600i64).to_be_bytes()), opt(2, b"any")]);
    let o = ng.epb(0, (5 << 20) + (1 << 19), &p(6, 33), 33);
    exp.push((8, ts(5, 500_000_000), 6, 33, p(6, 33), 113, 3, o));
    let o = ng.epb(1, 1_700_000_000_000_001, &p(7, 44), 44);
    exp.push((9, ts(1_699_996_400, 1_000), 6, 44, p(7, 44), 276, 4, o));
    // SPB: captured = min(orig_len 100, snaplen 64, block body).
    let o = ng.spb(100, &p(8, 100));
    exp.push((10, ts(0, 0), 6, 100, p(8, 64), 113, 3, o));
    let o = ng.pb(1, 7_000_000, &p(9, 3), 3);
    exp.push((11, ts(7 - 3600, 0), 6, 3, p(9, 3), 276, 4, o));
    (ng.out, exp)
}

#[test]
fn pcapng_sections_interfaces_blocks() {
    let (file, exp) = two_section_file();
    let len = file.len() as u64;
    let mut r = reader(file).unwrap();
    assert_eq!(r.info().format, Format::PcapNg);
    assert_eq!(r.info().sections, 1);
    assert!(r.info().interfaces.is_empty());
    let frames = all_frames(&mut r);
    assert_eq!(frames, exp);
    let info = r.info();
    assert_eq!(info.sections, 2);
    let names: Vec<_> = info.interfaces.iter().map(|i| i.name.as_deref()).collect();
    assert_eq!(names, vec![Some("eth0"), Some("raw"), Some("lo0"), None, Some("any")]);
    let lts: Vec<_> = info.interfaces.iter().map(|i| (i.link_type, i.snaplen, i.ts_digits)).collect();
    assert_eq!(lts, vec![(1, 65535, 6), (101, 65535, 9), (0, 1500, 3), (113, 64, 6), (276, 65535, 6)]);
    assert_eq!(r.bytes_read(), len);
}

/// Each frame names its interface as its block does: by its id within the section (a Simple
/// Packet Block's is 0; a Custom Block names none), with that interface's `if_name`, and the
/// section it is in; parked for another thread and read back, the same.
#[test]
fn pcapng_frames_name_their_section_and_interface() {
    let (file, _) = two_section_file();
    let mut r = reader(file).unwrap();
    let mut got = Vec::new();
    let mut buf = Vec::new();
    let mut parked = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        got.push((f.number, f.interface_id, f.interface_name.map(str::to_string), f.section));
        parked.push(crate::Parked::park(&f, &mut buf));
    }
    let want = [
        (1, Some(0), Some("eth0"), 1),
        (2, Some(1), Some("raw"), 1),
        (3, None, None, 1),
        (4, None, None, 1),
        (5, Some(2), Some("lo0"), 1),
        (6, Some(0), Some("eth0"), 1),
        (7, Some(1), Some("raw"), 1),
        (8, Some(0), None, 2),
        (9, Some(1), Some("any"), 2),
        (10, Some(0), None, 2),
        (11, Some(1), Some("any"), 2),
    ]
    .map(|(n, id, name, section)| (n, id, name.map(str::to_string), section));
    assert_eq!(got, want);
    let back: Vec<_> = parked
        .iter()
        .map(|p| p.frame(&buf))
        .map(|f| (f.number, f.interface_id, f.interface_name.map(str::to_string), f.section))
        .collect();
    assert_eq!(back, want);
    // A pcap record is on no pcapng interface or section.
    let mut r = reader(pcap_file(1, &[&[0u8; 20]])).unwrap();
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!((f.interface_id, f.interface_name, f.section), (None, None, 0));
}

/// An interface's name and description are kept to their first 256 bytes: they live as long
/// as the run.
#[test]
fn pcapng_interface_name_and_description_are_bounded() {
    let mut ng = Ng::new(false);
    ng.idb(1, 65535, &[opt(2, &[b'n'; 1000]), opt(3, &[b'd'; 300])]);
    ng.epb(0, 1, &[0; 20], 20);
    let mut r = reader(ng.out).unwrap();
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!(f.interface_name, Some("n".repeat(256).as_str()));
    assert_eq!(f.interface_description, Some("d".repeat(256).as_str()));
}

/// Interface texts live as long as the run, so a run keeps at most
/// [`crate::MAX_INTERFACE_TEXT`] bytes of them: past that, names and descriptions are left out
/// (as many interfaces as allowed, each with a full name and description, reach it halfway).
#[test]
fn pcapng_interface_texts_share_one_budget() {
    let mut ng = Ng::new(false);
    let (name, description) = ([b'n'; 256], [b'd'; 256]);
    let budgeted = crate::MAX_INTERFACE_TEXT / 512;
    for _ in 0..budgeted + 2 {
        ng.idb(1, 65535, &[opt(2, &name), opt(3, &description)]);
    }
    ng.epb(0, 1, &[0; 20], 20);
    let mut r = reader(ng.out).unwrap();
    assert!(r.next_frame().unwrap().is_some());
    let ifaces = &r.info().interfaces;
    assert_eq!(ifaces.len(), budgeted + 2);
    let kept = |i: usize| (ifaces[i].name.is_some(), ifaces[i].description.is_some());
    assert_eq!(kept(0), (true, true));
    assert_eq!(kept(budgeted - 1), (true, true));
    assert_eq!(kept(budgeted), (false, false));
    assert_eq!(kept(budgeted + 1), (false, false));
}

/// `if_description` describes the frames of its interface, and only those, also once parked
/// for another thread and read back; trailing NULs are not part of it.
#[test]
fn pcapng_interface_description_is_each_frames_own() {
    let mut ng = Ng::new(false);
    ng.idb(1, 65535, &[opt(2, b"eth0"), opt(3, b"Campus uplink\0\0")]);
    ng.idb(1, 65535, &[opt(2, b"eth1")]);
    ng.epb(0, 1, &[1; 20], 20);
    ng.epb(1, 2, &[2; 20], 20);
    let mut r = reader(ng.out).unwrap();
    let (mut buf, mut got, mut parked) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(f) = r.next_frame().unwrap() {
        got.push((f.interface_name.map(str::to_string), f.interface_description.map(str::to_string)));
        parked.push(crate::Parked::park(&f, &mut buf));
    }
    let want = [(Some("eth0"), Some("Campus uplink")), (Some("eth1"), None)]
        .map(|(n, d)| (n.map(str::to_string), d.map(str::to_string)));
    assert_eq!(got, want);
    let back: Vec<_> = parked
        .iter()
        .map(|p| p.frame(&buf))
        .map(|f| (f.interface_name.map(str::to_string), f.interface_description.map(str::to_string)))
        .collect();
    assert_eq!(back, want);
    assert_eq!(r.info().interfaces[0].description.as_deref(), Some("Campus uplink"));
}

#[test]
fn pcapng_big_endian_first_section_and_large_skipped_block() {
    let mut ng = Ng::new(true);
    ng.idb(1, 0, &[]);
    ng.block(0x0000_0bad, &vec![7u8; 3 << 20]); // 3 MiB custom block: a frame of its first 256 KiB
    let o = ng.epb(0, 1_000_001, &[1, 2, 3, 4, 5], 5);
    // SPB with snaplen 0 (no limit): captured = min(orig_len, body).
    let o2 = ng.spb(3, &[7, 8, 9]);
    let mut r = reader(ng.out).unwrap();
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!((f.number, f.orig_len, f.data.len()), (1, (3 << 20) - 4, crate::Reader::MAX_RECORD as usize));
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!((f.number, f.ts, f.data, f.offset), (2, ts(1, 1000), &[1u8, 2, 3, 4, 5][..], o));
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!((f.number, f.data, f.offset), (3, &[7u8, 8, 9][..], o2));
    assert!(r.next_frame().unwrap().is_none());
}

#[test]
fn gzip_pcap_and_pcapng() {
    let mut f = pcap_header(false, true, 65535, 1);
    for i in 0..50u32 {
        pcap_record(&mut f, false, i, i, &vec![i as u8; i as usize * 7], 1000);
    }
    let z = gzip(&f);
    let mut r = reader(z.clone()).unwrap();
    assert_eq!(r.info().compression, Some(Compression::Gzip));
    assert_eq!(r.info().format, Format::Pcap { nanos: true, big_endian: false, major: 2, minor: 4 });
    let frames = all_frames(&mut r);
    assert_eq!(frames.len(), 50);
    assert_eq!(frames[49].4, vec![49u8; 49 * 7]);
    assert_eq!(r.bytes_read(), z.len() as u64);

    // Multi-member gzip (e.g. a rotated/concatenated file), split inside a record.
    let cut = 24 + 16 + 3;
    let mut z2 = gzip(&f[..cut]);
    z2.extend(gzip(&f[cut..]));
    let mut r = reader(z2.clone()).unwrap();
    assert_eq!(all_frames(&mut r), frames);
    assert_eq!(r.bytes_read(), z2.len() as u64);

    let (file, exp) = two_section_file();
    let mut r = reader(gzip(&file)).unwrap();
    assert_eq!(all_frames(&mut r), exp);
}

/// Each way of compressing a file that the reader finds by its magic.
type Pack = fn(&[u8]) -> Vec<u8>;
const ZSTD_AND_LZ4: [(Compression, &str, Pack); 3] = [
    (Compression::Zstd, "zstd", zstd),
    (Compression::Lz4, "lz4, independent 4 MiB blocks", lz4),
    (Compression::Lz4, "lz4, linked 64 KiB blocks", lz4_linked),
];

#[test]
fn zstd_and_lz4_pcap_and_pcapng() {
    let mut f = pcap_header(false, true, 65535, 1);
    for i in 0..50u32 {
        pcap_record(&mut f, false, i, i, &vec![i as u8; i as usize * 7], 1000);
    }
    let plain = all_frames(&mut reader(f.clone()).unwrap());
    assert_eq!(plain.len(), 50);
    let (file, exp) = two_section_file();
    for (compression, how, pack) in ZSTD_AND_LZ4 {
        let z = pack(&f);
        let mut r = reader(z.clone()).unwrap();
        assert_eq!(r.info().compression, Some(compression), "{how}");
        assert_eq!(r.info().format, Format::Pcap { nanos: true, big_endian: false, major: 2, minor: 4 }, "{how}");
        assert_eq!(all_frames(&mut r), plain, "{how}");
        assert_eq!(r.bytes_read(), z.len() as u64, "{how}: progress counts the compressed bytes");

        // Two frames one after another (`cat a b`), the second starting inside a record.
        let cut = 24 + 16 + 3;
        let mut z2 = pack(&f[..cut]);
        // A skippable frame between them (the same magic in both formats) is read past.
        z2.extend(skippable(b"an index a tool left here"));
        z2.extend(pack(&f[cut..]));
        z2.extend(skippable(b"and one at the end"));
        let mut r = reader(z2.clone()).unwrap();
        assert_eq!(all_frames(&mut r), plain, "{how}: two frames");
        assert_eq!(r.bytes_read(), z2.len() as u64, "{how}");

        assert_eq!(all_frames(&mut reader(pack(&file)).unwrap()), exp, "{how}: pcapng");
        let mut r = Reader::new(Box::new(Slow(z, 0))).unwrap();
        assert_eq!(all_frames(&mut r), plain, "{how}: one byte per read");
    }
}

#[test]
fn slow_reader_one_byte_per_read() {
    let mut f = pcap_header(true, false, 65535, 1);
    for i in 0..20u32 {
        pcap_record(&mut f, true, i, i, &vec![i as u8; i as usize], 100);
    }
    let mut r = Reader::new(Box::new(Slow(f.clone(), 0))).unwrap();
    let got = all_frames(&mut r);
    let mut r2 = reader(f.clone()).unwrap();
    assert_eq!(got, all_frames(&mut r2));
    assert_eq!(r.bytes_read(), f.len() as u64);

    let (file, exp) = two_section_file();
    let mut r = Reader::new(Box::new(Slow(file, 0))).unwrap();
    assert_eq!(all_frames(&mut r), exp);

    let z = gzip(&f);
    let mut r = Reader::new(Box::new(Slow(z.clone(), 0))).unwrap();
    assert_eq!(all_frames(&mut r), got);
    assert_eq!(r.bytes_read(), z.len() as u64);
}

/// Reads in chunks of a fixed odd size, so buffered records are cut at every place.
struct Chunky(Vec<u8>, usize, usize);

impl std::io::Read for Chunky {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.2.min(buf.len()).min(self.0.len() - self.1);
        buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
        self.1 += n;
        Ok(n)
    }
}

#[test]
fn records_taken_in_place_or_copied_across_the_buffer_edge() {
    // Over 200 KiB of records of every size, one larger than the input buffer: most are whole
    // in the buffer (taken in place), some cut by its edge (copied); the frames are the same.
    let mut f = pcap_header(false, true, 262_144, 1);
    for i in 0..2000u32 {
        let len = if i == 700 { 100_000 } else { (i * 37 % 211) as usize };
        let data: Vec<u8> = (0..len).map(|k| (k as u32 ^ i) as u8).collect();
        pcap_record(&mut f, false, i, i * 1000, &data, len as u32 + 4);
    }
    let mut one_at_a_time = Reader::new(Box::new(Slow(f.clone(), 0))).unwrap();
    let expected = all_frames(&mut one_at_a_time);
    assert_eq!(expected.len(), 2000);
    assert_eq!(expected[700].4.len(), 100_000);
    assert!(expected.iter().enumerate().all(|(i, row)| row
        .4
        .iter()
        .enumerate()
        .all(|(k, &b)| b == (k as u32 ^ i as u32) as u8)));
    assert_eq!(all_frames(&mut reader(f.clone()).unwrap()), expected);
    assert_eq!(all_frames(&mut reader(gzip(&f)).unwrap()), expected, "gzip");
    for chunk in [1000, 4093, 65_537] {
        let mut r = Reader::new(Box::new(Chunky(f.clone(), 0, chunk))).unwrap();
        assert_eq!(all_frames(&mut r), expected, "chunks of {chunk}");
        assert_eq!(r.bytes_read(), f.len() as u64);
    }
    // A record cut short after records taken in place is still reported where it starts.
    let cut = f.len() - 3;
    let (good, e) = first_err(f[..cut].to_vec());
    assert_eq!(good, 1999);
    assert_eq!(e.offset, expected[1999].7);

    // pcapng: Enhanced Packet Blocks of every size (with the padding and options they may
    // carry), in both byte orders, between other blocks and a second interface.
    for be in [false, true] {
        let mut ng = Ng::new(be);
        ng.idb(1, 262_144, &[]);
        ng.idb(101, 262_144, &[]);
        for i in 0..1500u32 {
            let len = if i == 600 { 100_000 } else { (i * 37 % 211) as usize };
            let data: Vec<u8> = (0..len).map(|k| (k as u32 ^ i) as u8).collect();
            ng.epb(i % 2, u64::from(i) * 1000, &data, len as u32 + 4);
            if i % 97 == 0 {
                ng.block(5, &[7; 12]);
            }
        }
        let f = ng.out.clone();
        let expected = all_frames(&mut Reader::new(Box::new(Slow(f.clone(), 0))).unwrap());
        assert_eq!(expected.len(), 1500);
        assert_eq!((expected[600].4.len(), expected[601].5, expected[601].6), (100_000, 101, 1));
        assert_eq!(all_frames(&mut reader(f.clone()).unwrap()), expected, "be {be}");
        assert_eq!(all_frames(&mut reader(gzip(&f)).unwrap()), expected, "be {be}, gzip");
        for chunk in [1000, 4093, 65_537] {
            let mut r = Reader::new(Box::new(Chunky(f.clone(), 0, chunk))).unwrap();
            assert_eq!(all_frames(&mut r), expected, "be {be}, chunks of {chunk}");
        }
        // Each block's comment, whether the block was taken in place or copied.
        for mut r in [reader(f.clone()).unwrap(), Reader::new(Box::new(Slow(f.clone(), 0))).unwrap()] {
            let mut n = 0;
            while let Some(frame) = r.next_frame().unwrap() {
                assert_eq!(
                    frame.options.comments().collect::<Vec<_>>(),
                    ["a comment"],
                    "be {be}, frame {}",
                    frame.number
                );
                n += 1;
            }
            assert_eq!(n, 1500);
        }
        // A block whose trailer disagrees, after blocks taken in place, is reported as damage.
        let mut bad = f.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x40;
        let (good, e) = first_err(bad);
        assert_eq!(good, 1499);
        assert!(e.message.contains("trailer length"), "{}", e.message);
    }
}

#[test]
fn streaming_pipe_never_reads_ahead() {
    // pcap: each record is returned as soon as its bytes are there.
    let pipe = Pipe::default();
    pipe.push(&pcap_header(false, false, 65535, 1));
    let mut r = Reader::new(Box::new(pipe.clone())).unwrap();
    for i in 0..5u32 {
        let mut rec = Vec::new();
        pcap_record(&mut rec, false, i, 0, &vec![i as u8; 10 + i as usize], 100);
        pipe.push(&rec);
        let f = r.next_frame().unwrap().unwrap();
        assert_eq!(f.number, u64::from(i) + 1);
        assert_eq!(f.data.len(), 10 + i as usize);
    }
    pipe.close();
    assert!(r.next_frame().unwrap().is_none());

    // pcapng: skipped blocks and the interface block arrive with the packet.
    let pipe = Pipe::default();
    let mut ng = Ng::new(false);
    pipe.push(&ng.out);
    let mut r = Reader::new(Box::new(pipe.clone())).unwrap();
    for i in 0..5u32 {
        ng.out.clear();
        if i == 0 {
            ng.idb(1, 65535, &[]);
        }
        ng.block(5, &[0; 12]);
        ng.epb(0, u64::from(i), &[i as u8; 3], 3);
        pipe.push(&ng.out);
        let f = r.next_frame().unwrap().unwrap();
        assert_eq!(f.number, u64::from(i) + 1);
    }
    // A new section in the middle of a stream.
    ng.out.clear();
    ng.shb(true);
    ng.idb(101, 65535, &[]);
    ng.spb(2, &[1, 2]);
    pipe.push(&ng.out);
    let f = r.next_frame().unwrap().unwrap();
    assert_eq!((f.number, f.interface, f.link_type), (6, 1, 101));
    pipe.close();
    assert!(r.next_frame().unwrap().is_none());
    assert_eq!(r.info().sections, 2);
}

// ---- damage ----

fn msg_is(e: &CaptureError, frame: u64, offset: u64, msg: &str) {
    assert_eq!((e.frame, e.offset), (frame, offset), "{e}");
    assert!(e.message.contains(msg), "message {:?} does not contain {:?}", e.message, msg);
}

#[test]
fn damage_file_headers() {
    let (_, e) = first_err(vec![]);
    msg_is(&e, 1, 0, "empty file");
    let (_, e) = first_err(gzip(&[]));
    msg_is(&e, 1, 0, "empty file");
    let (_, e) = first_err(vec![0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]);
    assert_eq!(
        e.message,
        "unknown file format (magic 0x12345678): expected pcap (a1b2c3d4, a1b23c4d) or pcapng (0a0d0d0a), optionally compressed with gzip, zstd or lz4"
    );
    assert_eq!(
        e.to_string(),
        "frame 1 at byte offset 0: unknown file format (magic 0x12345678): expected pcap (a1b2c3d4, a1b23c4d) or pcapng (0a0d0d0a), optionally compressed with gzip, zstd or lz4"
    );
    let (_, e) = first_err(vec![0xd4]);
    msg_is(&e, 1, 0, "too short");
    let (_, e) = first_err(vec![0x1f, 0x8b]);
    msg_is(&e, 1, 0, "gzip");
    let h = pcap_header(false, false, 65535, 1);
    let (_, e) = first_err(h[..10].to_vec());
    msg_is(&e, 1, 0, "file ends in the middle of the pcap file header (24 bytes): 10 bytes present");
    let ng = Ng::new(false);
    let (_, e) = first_err(ng.out[..6].to_vec());
    msg_is(&e, 1, 0, "cut short");
    let (_, e) = first_err(ng.out[..20].to_vec());
    msg_is(&e, 1, 0, "points past the end of the file");
}

#[test]
fn damage_pcap_records() {
    let mut f = pcap_header(false, false, 65535, 1);
    pcap_record(&mut f, false, 1, 0, &[1, 2, 3], 3);
    let mut cut = f.clone();
    cut.extend_from_slice(&[0; 4]);
    let (n, e) = first_err(cut);
    assert_eq!(n, 1);
    assert_eq!(
        e.message,
        "file ends in the middle of a record header (4 of 16 bytes present); the capture was cut short"
    );
    assert_eq!((e.frame, e.offset), (2, 43));

    let mut cut = f.clone();
    let mut rec = Vec::new();
    pcap_record(&mut rec, false, 1, 0, &[0; 100], 100);
    cut.extend_from_slice(&rec[..26]);
    let (n, e) = first_err(cut);
    assert_eq!(n, 1);
    msg_is(&e, 2, 43, "file ends in the middle of a record (10 of 100 data bytes present); the capture was cut short");

    let mut big = f.clone();
    for v in [1u32, 0, 0x8000_0000, 0x8000_0000] {
        w32(&mut big, false, v);
    }
    let (n, e) = first_err(big);
    assert_eq!(n, 1);
    assert_eq!(e.message, "record length 2147483648 exceeds the 262144-byte limit (damaged file?)");
    assert_eq!((e.frame, e.offset), (2, 43));
    assert_eq!(
        e.to_string(),
        "frame 2 at byte offset 43: record length 2147483648 exceeds the 262144-byte limit (damaged file?)"
    );

    let mut over = pcap_header(true, true, 65535, 1);
    for v in [1u32, 0, Reader::MAX_RECORD + 1, 10] {
        w32(&mut over, true, v);
    }
    let (n, e) = first_err(over);
    assert_eq!(n, 0);
    msg_is(&e, 1, 24, "record length 262145 exceeds");
}

#[test]
fn damage_pcapng_blocks() {
    let base = || {
        let mut ng = Ng::new(false);
        ng.idb(1, 65535, &[]);
        ng.epb(0, 1, &[1, 2, 3], 3);
        ng.epb(0, 2, &[4, 5], 2);
        ng
    };
    let at = base().out.len() as u64;

    // Block length not a multiple of 4.
    let mut ng = base();
    w32(&mut ng.out, false, 6);
    w32(&mut ng.out, false, 30);
    ng.out.extend_from_slice(&[0; 30]);
    let (n, e) = first_err(ng.out);
    assert_eq!(n, 2);
    msg_is(&e, 3, at, "pcapng block length 30 is invalid");

    // Block length below 12.
    let mut ng = base();
    w32(&mut ng.out, false, 4);
    w32(&mut ng.out, false, 8);
    ng.out.extend_from_slice(&[0; 8]);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "pcapng block length 8 is invalid");

    // Trailer mismatch (on a skipped block, and on a packet block).
    let mut ng = base();
    ng.block(4, &[0; 8]);
    let l = ng.out.len();
    ng.out[l - 4] = 99;
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "pcapng block trailer length 99 does not match the header length 20");
    let mut ng = base();
    ng.epb(0, 3, &[1], 1);
    let l = ng.out.len();
    ng.out[l - 1] = 1;
    let (n, e) = first_err(ng.out);
    assert_eq!(n, 2);
    msg_is(&e, 3, at, "does not match the header length 56");

    // Length pointing past the end of the file.
    let mut ng = base();
    w32(&mut ng.out, false, 6);
    w32(&mut ng.out, false, 4096);
    ng.out.extend_from_slice(&[0; 100]);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "pcapng block length 4096 points past the end of the file");
    let mut ng = base();
    ng.block(4, &[0; 64]);
    ng.out.truncate(ng.out.len() - 2);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "pcapng block length 76 points past the end of the file");

    // Block header cut.
    let mut ng = base();
    ng.out.extend_from_slice(&[6, 0, 0, 0, 32]);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "file ends in the middle of a pcapng block header (5 of 8 bytes present)");

    // Undefined interface.
    let mut ng = base();
    ng.epb(5, 3, &[1], 1);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "packet for undefined interface id 5 (this section declares 1 interface)");
    let mut ng = base();
    ng.pb(1, 3, &[1], 1);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "undefined interface id 1");
    // Interface ids are per section: a new section has none until its IDBs.
    let mut ng = base();
    let at2 = ng.shb(false);
    let at3 = ng.epb(0, 3, &[1], 1);
    assert_eq!(at2, at);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at3, "undefined interface id 0 (this section declares 0 interfaces)");

    // SPB before any IDB.
    let mut ng = Ng::new(false);
    let o = ng.spb(2, &[1, 2]);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 1, o, "simple packet block before any interface description block");

    // Oversized non-packet block.
    let mut ng = base();
    w32(&mut ng.out, false, 4);
    w32(&mut ng.out, false, 128 << 20);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "pcapng block length 134217728 exceeds the 67108864-byte limit");

    // Packet record too large, and captured length larger than the block.
    let mut ng = base();
    let mut body = Vec::new();
    for v in [0u32, 0, 0, 300_000, 300_000] {
        w32(&mut body, false, v);
    }
    ng.block(6, &body);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "record length 300000 exceeds the 262144-byte limit (damaged file?)");
    let mut ng = base();
    let mut body = Vec::new();
    for v in [0u32, 0, 0, 64, 64] {
        w32(&mut body, false, v);
    }
    body.extend_from_slice(&[0; 8]);
    ng.block(6, &body);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "captured length 64 does not fit in the pcapng block of length 40");

    // EPB too short for its fixed fields.
    let mut ng = base();
    ng.block(6, &[0; 8]);
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "too short");

    // Bad byte-order magic in a later section header.
    let mut ng = base();
    ng.shb(false);
    ng.out[at as usize + 8] = 0x55;
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "bad byte-order magic 0x553c2b1a");

    // Section header with a bad length, and an unsupported version.
    let mut ng = base();
    ng.shb(false);
    ng.out[at as usize + 4] = 26;
    let (_, e) = first_err(ng.out);
    msg_is(&e, 3, at, "section header block length");
    let mut ng = Ng::new(false);
    ng.out[12] = 2;
    let (_, e) = first_err(ng.out);
    msg_is(&e, 1, 0, "unsupported pcapng version 2.0");
}

#[test]
fn damage_gzip() {
    let mut f = pcap_header(false, false, 65535, 1);
    for i in 0..200u32 {
        pcap_record(&mut f, false, i, 0, &[(i * 7) as u8; 200], 200);
    }
    let z = gzip(&f);
    // Cut short.
    let (n, e) = first_err(z[..z.len() / 2].to_vec());
    assert!(n < 200);
    assert!(e.message.contains("gzip") || e.message.contains("cut short"), "{e}");
    // Corrupted deflate data.
    let mut bad = z.clone();
    for b in bad[30..60].iter_mut() {
        *b ^= 0x5a;
    }
    let (n, e) = first_err(bad);
    assert!(n < 200, "{e}");
    // Corrupted trailer (CRC).
    let mut bad = z.clone();
    let l = bad.len();
    bad[l - 6] ^= 1;
    let (n, e) = first_err(bad);
    assert_eq!(n, 200);
    assert!(e.message.contains("gzip"), "{e}");
}

#[test]
fn damage_zstd_and_lz4() {
    let mut f = pcap_header(false, false, 65535, 1);
    for i in 0..2000u32 {
        pcap_record(&mut f, false, i, 0, &[(i * 7) as u8; 200], 200);
    }
    for (compression, how, pack) in ZSTD_AND_LZ4 {
        let z = pack(&f);
        // Cut short between two blocks, and inside one: the frames of the blocks before the
        // cut are kept.
        let end = z.len() - 4 * usize::from(compression == Compression::Lz4) - 4;
        let (n, e) = first_err(z[..end].to_vec());
        assert!(n <= 2000, "{how}");
        assert!(e.message.ends_with("the compressed file is damaged or cut short"), "{how}: {e}");
        let (n, e) = first_err(z[..z.len() - 10].to_vec());
        assert!(n < 2000, "{how}");
        assert!(e.message.starts_with(&format!("{} decompression failed", compression.name())), "{how}: {e}");
        assert!(e.message.ends_with("the compressed file is damaged or cut short"), "{how}: {e}");
        // The content checksum at the end of the frame does not match: found at the end, with
        // the frames before the last block read.
        let mut bad = z.clone();
        let l = bad.len();
        bad[l - 1] ^= 1;
        let (n, e) = first_err(bad);
        assert!(n > 1000, "{how}: {n} frames before {e}");
        assert!(e.message.contains("decompression failed") && e.message.contains("checksum"), "{how}: {e}");
        // Compressed data changed in its first block: damage found before the end.
        let mut bad = z.clone();
        for b in bad[20..40].iter_mut() {
            *b ^= 0x5a;
        }
        let (n, _) = first_err(bad);
        assert!(n < 2000, "{how}");
    }
    let (n, e) = first_err(skippable(b"nothing else"));
    assert_eq!(n, 0);
    msg_is(&e, 1, 0, "unknown file format");
}

/// Every frame and the end (a clean one or the error, with its frame and offset).
fn frames_and_end(r: &mut Reader) -> (Vec<(u64, Vec<u8>)>, Option<String>) {
    let mut frames = Vec::new();
    loop {
        match r.next_frame() {
            Ok(Some(f)) => frames.push((f.number, f.data.to_vec())),
            Ok(None) => return (frames, None),
            Err(e) => return (frames, Some(e.to_string())),
        }
    }
}

#[test]
fn decompressing_ahead_reads_the_same_frames_and_end() {
    let mut f = pcap_header(false, false, 65535, 1);
    for i in 0..3000u32 {
        // Records that do not repeat, so the compressed streams have many blocks.
        let data: Vec<u8> = (0..200u32).map(|j| (i.wrapping_mul(2_654_435_761) >> (j % 24)) as u8).collect();
        pcap_record(&mut f, false, i, 0, &data, 200);
    }
    // Not compressed: nothing to do.
    let mut r = reader(f.clone()).unwrap();
    assert!(!r.decompress_ahead());
    let (plain, end) = frames_and_end(&mut r);
    assert_eq!((plain.len(), end), (3000, None));
    let packs: [(&str, Pack); 3] = [("gzip", gzip), ("zstd", zstd), ("lz4", lz4_linked)];
    for (how, pack) in packs {
        let z = pack(&f);
        for (cut, before) in [(z.len(), 0), (z.len() - 300, 0), (z.len() / 2, 0), (z.len(), 100)] {
            let bytes = z[..cut].to_vec();
            let want = frames_and_end(&mut reader(bytes.clone()).unwrap());
            let mut r = reader(bytes).unwrap();
            // From the start, or after some frames were read.
            let mut got: Vec<(u64, Vec<u8>)> = Vec::new();
            for _ in 0..before {
                let f = r.next_frame().unwrap().unwrap();
                got.push((f.number, f.data.to_vec()));
            }
            assert!(r.decompress_ahead(), "{how}");
            let (rest, end) = frames_and_end(&mut r);
            got.extend(rest);
            assert_eq!((got.len(), &end), (want.0.len(), &want.1), "{how}, cut at {cut} of {}", z.len());
            assert!(got == want.0, "{how}, cut at {cut}: the frames differ");
            if cut == z.len() {
                assert_eq!(r.bytes_read(), z.len() as u64, "{how}");
                assert_eq!(got.len(), 3000, "{how}");
            } else {
                assert!(end.is_some(), "{how}, cut at {cut}");
            }
        }
    }
}

#[test]
fn zstd_window_over_the_limit_is_refused_with_the_way_out() {
    let mut f = pcap_header(false, false, 65535, 1);
    pcap_record(&mut f, false, 1, 0, &[7; 100], 100);
    // 128 MiB, libzstd's default limit, is read.
    let z = zstd_window(&f, crate::ZSTD_MAX_WINDOW_LOG);
    assert_eq!(all_frames(&mut reader(z).unwrap()).len(), 1);
    // 256 MiB is refused before any output, with what to do.
    let z = zstd_window(&f, crate::ZSTD_MAX_WINDOW_LOG + 1);
    let (n, e) = first_err(z);
    assert_eq!(n, 0);
    msg_is(&e, 1, 0, "zstd decompression refused (Frame requires too much memory for decoding)");
    assert!(e.message.contains("a window over the 128 MiB accepted"), "{e}");
    assert!(e.message.ends_with("decompress it first with `zstd -d --long=31`"), "{e}");
}

#[test]
fn empty_and_legacy_compressed_streams() {
    for (name, z) in [("zstd", zstd(&[])), ("lz4", lz4(&[]))] {
        let (_, e) = first_err(z);
        msg_is(&e, 1, 0, &format!("empty file (the {name} stream holds no data)"));
    }
    // The LZ4 legacy format (`lz4 -l`), which tshark does not read either.
    let (_, e) = first_err(vec![0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0]);
    msg_is(&e, 1, 0, "unknown file format (magic 0x02214c18)");
    // A magic alone: a frame cut short.
    let (_, e) = first_err(vec![0x28, 0xb5, 0x2f, 0xfd]);
    msg_is(&e, 1, 0, "zstd decompression failed (incomplete frame)");
    let (_, e) = first_err(vec![0x04, 0x22, 0x4d, 0x18]);
    msg_is(&e, 1, 0, "lz4 decompression failed (the input ends inside a frame)");
}

#[test]
fn reader_and_defragmenter_are_send() {
    fn send<T: Send>() {}
    send::<Reader>();
    send::<crate::Defragmenter>();
}

#[test]
fn options_list_comments_in_order_and_stop_at_damage() {
    for be in [false, true] {
        let ng = Ng::new(be);
        let bytes = ng.options(&[opt(1, b"first"), opt(2, &[0, 0, 0, 1]), opt(1, "second, \u{e9}".as_bytes())]);
        let o = crate::Options { bytes: &bytes, big_endian: be };
        assert_eq!(o.comments().collect::<Vec<_>>(), ["first", "second, \u{e9}"]);
        assert_eq!(o.iter().map(|(code, _)| code).collect::<Vec<_>>(), [1, 2, 1]);
        // A value running past the end ends the list; what came before stays.
        let cut = crate::Options { bytes: &bytes[..bytes.len() - 10], big_endian: be };
        assert_eq!(cut.comments().collect::<Vec<_>>(), ["first"]);
        let bad = crate::Options { bytes: &[1, 0, 0xff], big_endian: be };
        assert_eq!(bad.iter().count(), 0);
    }
}

/// A frame's `next_data` is the next record's data when the reader holds it whole, and
/// nothing otherwise: not past the end, not for a record cut short, not for pcapng.
#[test]
fn next_data_is_the_next_records_data_or_nothing() {
    for be in [false, true] {
        // Small records, one larger than the reader's buffer, then small ones again.
        let mut packets: Vec<Vec<u8>> = (0..40u8).map(|i| vec![i; 20 + usize::from(i) * 37]).collect();
        packets.insert(20, vec![0xee; 100_000]);
        let mut v = pcap_header(be, false, 262_144, 1);
        for (i, p) in packets.iter().enumerate() {
            pcap_record(&mut v, be, 1000, i as u32, p, p.len() as u32);
        }
        // A last record whose length runs past the end of the file.
        let whole = v.len();
        pcap_record(&mut v, be, 1000, 0, &[7; 30], 30);
        v.truncate(whole + 16 + 10);
        let mut r = reader(v).unwrap();
        let mut seen = Vec::new();
        while let Ok(Some(f)) = r.next_frame() {
            seen.push((f.data.to_vec(), f.next_data.to_vec()));
        }
        assert_eq!(seen.len(), packets.len());
        let mut ahead = 0;
        for (i, (data, next)) in seen.iter().enumerate() {
            assert_eq!(data, &packets[i], "frame {}", i + 1);
            if !next.is_empty() {
                assert_eq!(next, &packets[i + 1], "frame {}'s glance", i + 1);
                ahead += 1;
            }
        }
        assert!(seen.last().unwrap().1.is_empty(), "the record cut short is not glanced at");
        assert!(ahead >= 30, "most records are held whole: {ahead}");
    }
    let mut ng = Ng::new(false);
    ng.shb(false);
    ng.idb(1, 0, &[]);
    ng.epb(0, 0, &[1; 20], 20);
    ng.epb(0, 1, &[2; 20], 20);
    let mut r = reader(ng.out).unwrap();
    while let Some(f) = r.next_frame().unwrap() {
        assert!(f.next_data.is_empty());
    }
}
