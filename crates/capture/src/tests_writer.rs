//! The capture writer, read back by the reader: every frame as it was read.

use crate::testutil::*;
use crate::{linktype, CaptureWriter, Compression, OutFormat};

/// What a frame is, as far as a capture file keeps it.
#[derive(Debug, PartialEq)]
struct Kept {
    secs: i64,
    nanos: u32,
    has_ts: bool,
    ts_digits: u8,
    orig_len: u32,
    data: Vec<u8>,
    link_type: u16,
    snaplen: u32,
    name: Option<String>,
    description: Option<String>,
    /// Options as (code, value) with numbers in host order.
    options: Vec<(u16, Vec<u8>)>,
    interface_options: Vec<u8>,
}

fn kept(bytes: Vec<u8>) -> Vec<Kept> {
    let mut r = reader(bytes).unwrap();
    let mut out = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        let options = f
            .options
            .iter()
            .map(|(code, v)| {
                let mut v = v.to_vec();
                if f.options.big_endian && matches!(code, 2 | 4) {
                    v.reverse();
                }
                (code, v)
            })
            .collect();
        out.push(Kept {
            secs: f.ts.secs,
            nanos: f.ts.nanos,
            has_ts: f.has_ts,
            ts_digits: f.ts_digits,
            orig_len: f.orig_len,
            data: f.data.to_vec(),
            link_type: f.link_type,
            snaplen: f.snaplen,
            name: f.interface_name.map(str::to_string),
            description: f.interface_description.map(str::to_string),
            options,
            interface_options: f.interface_options.to_vec(),
        });
    }
    out
}

/// Reads `bytes` and writes every frame it holds as `format`.
fn rewrite(bytes: Vec<u8>, format: OutFormat) -> std::io::Result<(Vec<u8>, usize)> {
    let mut r = reader(bytes).unwrap();
    let mut w = CaptureWriter::new(Vec::new(), format, "udpdissect tests")?;
    let mut written = 0;
    while let Some(f) = r.next_frame().unwrap() {
        written += usize::from(w.write(&f)?);
    }
    w.finish()?;
    Ok((w.into_inner()?, written))
}

/// Two sections of opposite byte orders, interfaces with names, descriptions and resolutions,
/// packet options (a comment, flags, a drop count), a truncated frame, a Simple Packet Block,
/// and a custom block.
fn pcapng_input() -> Vec<u8> {
    let mut ng = Ng::new(true);
    let speed = ng.n64(8, 100_000_000);
    ng.idb(
        linktype::ETHERNET,
        65535,
        &[opt(2, b"eth0"), opt(3, b"Campus uplink"), opt(9, &[9]), opt(12, b"Linux"), speed, opt(15, b"NIC")],
    );
    ng.idb(linktype::RAW, 96, &[opt(2, b"tun0")]);
    let flags = 0x0000_0001u32.to_be_bytes();
    let drops = 7u64.to_be_bytes();
    let ns = 1_772_438_400u64 * 1_000_000_000 + 123_456_789;
    let mut body = Vec::new();
    w32(&mut body, true, 0);
    w32(&mut body, true, (ns >> 32) as u32);
    w32(&mut body, true, ns as u32);
    w32(&mut body, true, 6);
    w32(&mut body, true, 60);
    body.extend_from_slice(&[1, 2, 3, 4, 5, 6, 0, 0]);
    body.extend(ng.options(&[opt(1, b"first"), opt(2, &flags), opt(4, &drops), opt(1, b"second")]));
    ng.block(6, &body);
    ng.epb(1, 1_772_438_401_000_001, &[0x45, 0, 0, 20], 4); // microseconds (the default)
    ng.spb(5, &[9, 8, 7, 6, 5]);
    ng.block(0x0000_0bad, &[0, 0, 0x7f, 0xff, 1, 2, 3, 4]); // custom: no packet
    ng.shb(false);
    ng.idb(linktype::ETHERNET, 0, &[opt(9, &[3])]);
    ng.epb(0, 1_772_438_402_500, &[0xaa; 14], 14); // milliseconds
    ng.out
}

#[test]
fn pcapng_keeps_every_packet_as_read() {
    let input = pcapng_input();
    let (out, written) = rewrite(input.clone(), OutFormat::Pcapng).unwrap();
    let (before, after) = (kept(input), kept(out.clone()));
    // The custom block is no packet: not written.
    assert_eq!(before.iter().filter(|k| k.link_type == linktype::PCAPNG_CUSTOM).count(), 1);
    let packets: Vec<&Kept> = before.iter().filter(|k| k.link_type != linktype::PCAPNG_CUSTOM).collect();
    assert_eq!(written, packets.len());
    assert_eq!(after.iter().collect::<Vec<_>>(), packets);
    // The first packet: its time to the nanosecond, its comments in order, its flags and drop
    // count turned to this file's byte order.
    let first = &after[0];
    assert_eq!((first.secs, first.nanos, first.ts_digits), (1_772_438_400, 123_456_789, 9));
    assert_eq!((first.orig_len, first.data.len()), (60, 6));
    assert_eq!(first.name.as_deref(), Some("eth0"));
    // Each interface keeps its snapshot length, "no limit" included.
    assert_eq!(after.iter().map(|k| k.snaplen).collect::<Vec<_>>(), [65535, 96, 65535, 0]);
    assert_eq!(first.description.as_deref(), Some("Campus uplink"));
    // Its other options, the speed turned to this file's byte order.
    let o = crate::Options::little_endian(&first.interface_options);
    assert_eq!(
        (o.text(12).as_deref(), o.speed(), o.text(15).as_deref()),
        (Some("Linux"), Some(100_000_000), Some("NIC"))
    );
    assert_eq!(
        first.options,
        [
            (1, b"first".to_vec()),
            (2, 1u32.to_le_bytes().to_vec()),
            (4, 7u64.to_le_bytes().to_vec()),
            (1, b"second".to_vec())
        ]
    );
    // The Simple Packet Block is one still: no time.
    assert!(!after[2].has_ts);
    assert_eq!(after[3].ts_digits, 3);
    // One section, little-endian, naming its application; three interfaces described.
    assert_eq!(&out[..4], &0x0a0d_0d0au32.to_le_bytes());
    assert_eq!(&out[8..12], &0x1a2b_3c4du32.to_le_bytes());
    assert!(out.windows(16).any(|w| w == b"udpdissect tests"));
    let r = {
        let mut r = reader(out).unwrap();
        while r.next_frame().unwrap().is_some() {}
        r
    };
    assert_eq!((r.info().sections, r.info().interfaces.len()), (1, 3));
}

#[test]
fn pcap_in_micro_and_nanoseconds() {
    let mut input = pcap_header(true, true, 65535, linktype::ETHERNET.into());
    pcap_record(&mut input, true, 1_772_438_400, 123_456_789, &[1; 20], 1514);
    pcap_record(&mut input, true, 1_772_438_401, 5, &[2; 30], 30);
    let (nsec, _) = rewrite(input.clone(), OutFormat::NsecPcap).unwrap();
    assert_eq!(&nsec[..4], &0xa1b2_3c4du32.to_le_bytes());
    // The input's snapshot length, as tshark writes it.
    assert_eq!(&nsec[16..20], &65535u32.to_le_bytes());
    assert_eq!(kept(nsec), kept(input.clone()));
    let (usec, _) = rewrite(input, OutFormat::Pcap).unwrap();
    assert_eq!(&usec[..4], &0xa1b2_c3d4u32.to_le_bytes());
    let back = kept(usec);
    assert_eq!(
        (back[0].secs, back[0].nanos, back[0].orig_len, back[0].data.len()),
        (1_772_438_400, 123_456_000, 1514, 20)
    );
    assert_eq!((back[1].nanos, back[1].data.clone()), (0, vec![2; 30]));
}

#[test]
fn pcap_holds_one_link_type_and_says_to_write_pcapng() {
    let err = rewrite(pcapng_input(), OutFormat::Pcap).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "frame 2 has link type 101 (Raw IP), which a pcap file of link type 1 (Ethernet) cannot hold: write \
         pcapng (-F pcapng)"
    );
}

#[test]
fn nothing_written_still_makes_a_readable_file() {
    let mut input = pcap_header(false, false, 96, linktype::LINUX_SLL.into());
    pcap_record(&mut input, false, 1, 0, &[0; 16], 16);
    let mut r = reader(input).unwrap();
    let hidden = r.next_frame().unwrap().unwrap();
    let finished = |format, saw: Option<&crate::Frame>| {
        let mut w = CaptureWriter::new(Vec::new(), format, "t").unwrap();
        if let Some(f) = saw {
            w.saw(f);
        }
        w.finish().unwrap();
        w.into_inner().unwrap()
    };
    // A pcap file declares the first packet seen, though not written: its link type and its
    // file's snapshot length.
    let out = finished(OutFormat::Pcap, Some(&hidden));
    assert_eq!(out.len(), 24);
    assert_eq!(&out[16..20], &96u32.to_le_bytes());
    assert_eq!(&out[20..24], &u32::from(linktype::LINUX_SLL).to_le_bytes());
    assert!(reader(out).unwrap().next_frame().unwrap().is_none());
    let none = finished(OutFormat::Pcap, None);
    assert_eq!((&none[16..20], &none[20..24]), (&262_144u32.to_le_bytes()[..], &1u32.to_le_bytes()[..]));
    let ng = finished(OutFormat::Pcapng, None);
    assert!(reader(ng).unwrap().next_frame().unwrap().is_none());
}

#[test]
fn times_a_pcap_record_cannot_hold_are_clamped() {
    let mut input = pcap_header(false, true, 65535, linktype::ETHERNET.into());
    pcap_record(&mut input, false, 0, 0, &[1], 1);
    let mut r = reader(input).unwrap();
    let mut f = r.next_frame().unwrap().unwrap();
    let mut w = CaptureWriter::new(Vec::new(), OutFormat::NsecPcap, "t").unwrap();
    f.ts.secs = -5;
    w.write(&f).unwrap();
    f.ts = crate::Timestamp { secs: 1 << 40, nanos: 7 };
    w.write(&f).unwrap();
    w.finish().unwrap();
    let back = kept(w.into_inner().unwrap());
    assert_eq!((back[0].secs, back[0].nanos), (0, 0));
    assert_eq!((back[1].secs, back[1].nanos), (i64::from(u32::MAX), 999_999_999));
}

/// The time units of each Enhanced Packet Block of a little-endian pcapng file.
fn epb_units(file: &[u8]) -> Vec<u64> {
    let (mut at, mut units) = (0, Vec::new());
    while at + 12 <= file.len() {
        let word = |i: usize| u32::from_le_bytes(file[at + i..at + i + 4].try_into().unwrap());
        if word(0) == 6 {
            units.push(u64::from(word(12)) << 32 | u64::from(word(16)));
        }
        at += word(4) as usize;
    }
    units
}

#[test]
fn times_keep_their_interface_resolution_exactly() {
    let mut ng = Ng::new(false);
    ng.idb(linktype::ETHERNET, 0, &[opt(9, &[0x94])]); // 2^-20 s
    ng.idb(linktype::ETHERNET, 0, &[opt(9, &[3])]); // milliseconds
    ng.idb(linktype::ETHERNET, 0, &[opt(9, &[12])]); // picoseconds: kept to the nanosecond
    let binary = [0, 1, 12_345, (1_772_438_400 << 20) + 999_999, (1_772_438_400 << 20) + (1 << 20) - 1];
    for u in binary {
        ng.epb(0, u, &[1; 14], 14);
    }
    ng.epb(1, 1_772_438_400_123, &[2; 14], 14);
    ng.epb(2, 1_000_123_456_789_012, &[3; 14], 14); // 1000 s after the epoch: picoseconds run out of 64 bits in 1970
    let input = ng.out;
    let (out, _) = rewrite(input.clone(), OutFormat::Pcapng).unwrap();
    let mut expected = binary.to_vec();
    expected.extend([1_772_438_400_123, 1_000_123_456_789]);
    assert_eq!(epb_units(&out), expected);
    assert_eq!(kept(out), kept(input));
}

#[test]
fn compressed_files_hold_the_same_frames() {
    let input = pcapng_input();
    let (plain, written) = rewrite(input.clone(), OutFormat::Pcapng).unwrap();
    let want = kept(plain.clone());
    assert_eq!(want.len(), written);
    for c in [Compression::Gzip, Compression::Zstd, Compression::Lz4] {
        let mut r = reader(input.clone()).unwrap();
        let mut w =
            CaptureWriter::compressed(Vec::new(), OutFormat::Pcapng, "udpdissect tests", &Default::default(), Some(c))
                .unwrap();
        while let Some(f) = r.next_frame().unwrap() {
            w.write(&f).unwrap();
        }
        w.finish().unwrap();
        // Finishing twice ends the stream once.
        w.finish().unwrap();
        let file = w.into_inner().unwrap();
        assert_eq!(Compression::from_magic(&file), Some(c));
        let r = reader(file.clone()).unwrap();
        assert_eq!(r.info().compression, Some(c));
        assert_eq!(kept(file), want, "{c:?}");
    }
}

#[test]
fn a_compressed_file_flushed_live_shows_each_frame_written() {
    let mut frames = pcap_header(false, false, 65535, 1);
    for i in 0..3u32 {
        pcap_record(&mut frames, false, i, 0, &[i as u8; 60], 60);
    }
    for c in [Compression::Gzip, Compression::Zstd, Compression::Lz4] {
        let mut r = reader(frames.clone()).unwrap();
        let mut w = CaptureWriter::compressed(Vec::new(), OutFormat::Pcap, "t", &Default::default(), Some(c)).unwrap();
        let mut seen = 0;
        while let Some(f) = r.next_frame().unwrap() {
            w.write(&f).unwrap();
            // `-l`: what a reader of the stream has so far holds every frame written.
            w.flush().unwrap();
            seen += 1;
            let mut partial = reader(w.get_ref().to_vec()).unwrap();
            let mut n = 0;
            while let Ok(Some(_)) = partial.next_frame() {
                n += 1;
            }
            assert_eq!(n, seen, "{c:?}");
        }
    }
}

/// A pcap file written from pcapng declares libpcap's largest snapshot length: the input's
/// interfaces each have their own (tshark does the same).
#[test]
fn pcap_from_pcapng_declares_the_largest_snapshot_length() {
    let mut ng = Ng::new(false);
    ng.idb(linktype::ETHERNET, 96, &[]);
    ng.epb(0, 1_000_000, &[1; 96], 200);
    let (out, written) = rewrite(ng.out, OutFormat::Pcap).unwrap();
    assert_eq!(written, 1);
    assert_eq!(&out[16..20], &262_144u32.to_le_bytes());
    assert_eq!(kept(out)[0].data, [1; 96]);
}

/// A frame without a time is written as a Simple Packet Block only when its interface's
/// snapshot length would not cut it on reading: the block's captured length is implied.
#[test]
fn an_untimed_frame_longer_than_its_snapshot_length_keeps_its_bytes() {
    let data = [7u8; 10];
    for (snaplen, block) in [(0, 3), (10, 3), (4, 6)] {
        let f = crate::Frame {
            has_ts: false,
            snaplen,
            interface_id: Some(0),
            ..crate::Frame::captured(1, crate::Timestamp::default(), &data, linktype::RAW)
        };
        let mut w = CaptureWriter::new(Vec::new(), OutFormat::Pcapng, "t").unwrap();
        w.write(&f).unwrap();
        w.finish().unwrap();
        let out = w.into_inner().unwrap();
        let back = kept(out.clone());
        assert_eq!((back[0].data.as_slice(), back[0].snaplen), (&data[..], snaplen), "snaplen {snaplen}");
        // After the section header and the interface description: the packet's block type.
        let word = |at: usize| u32::from_le_bytes(out[at..at + 4].try_into().unwrap()) as usize;
        let idb = word(4);
        let packet = idb + word(idb + 4);
        assert_eq!(word(packet), block, "snaplen {snaplen}");
    }
}

/// The first section header's texts are read (as far as their bounds), and a pcapng file
/// written with them keeps them: its comments, hardware and OS, and the input's application
/// where it names one. A later section's are not kept.
#[test]
fn section_header_texts_are_read_and_written_back() {
    let mut ng = Ng { be: true, out: Vec::new() };
    let long = vec![b'c'; crate::reader::MAX_SECTION_TEXT + 10];
    // Bytes that are not UTF-8 each become U+FFFD (3 bytes), and the text is cut again.
    let not_utf8 = vec![0xff; 2000];
    let mut opts = vec![
        opt(1, b"login fails here"),
        opt(2, b"x86_64 box"),
        opt(3, b"Linux 6.1"),
        opt(1, &long),
        opt(1, &not_utf8),
    ];
    opts.extend((0..crate::reader::MAX_SECTION_COMMENTS).map(|i| opt(1, format!("note {i}").as_bytes())));
    ng.shb_with(true, &opts);
    ng.idb(linktype::ETHERNET, 0, &[]);
    ng.epb(0, 1_000_000, &[1; 14], 14);
    ng.shb_with(false, &[opt(1, b"second section"), opt(4, b"other")]);
    ng.idb(linktype::ETHERNET, 0, &[]);
    ng.epb(0, 2_000_000, &[2; 14], 14);
    let mut r = reader(ng.out).unwrap();
    while r.next_frame().unwrap().is_some() {}
    let header = r.info().header.clone();
    assert_eq!(
        (header.hardware.as_deref(), header.os.as_deref(), header.application.as_deref()),
        (Some("x86_64 box"), Some("Linux 6.1"), None)
    );
    assert_eq!(header.comments.len(), crate::reader::MAX_SECTION_COMMENTS);
    assert_eq!(header.comments[0], "login fails here");
    assert_eq!(header.comments[1].len(), crate::reader::MAX_SECTION_TEXT);
    assert_eq!(header.comments[2], "\u{fffd}".repeat(crate::reader::MAX_SECTION_TEXT / 3));
    assert_eq!(header.comments[3], "note 0");
    let written = |input: &crate::SectionHeader| {
        let mut w = CaptureWriter::compressed(Vec::new(), OutFormat::Pcapng, "udpdissect", input, None).unwrap();
        w.finish().unwrap();
        let out = w.into_inner().unwrap();
        reader(out).unwrap().info().header.clone()
    };
    // Without an application of its own, the file names ours.
    let back = written(&header);
    assert_eq!(back, crate::SectionHeader { application: Some("udpdissect".into()), ..header.clone() });
    let dumpcap = crate::SectionHeader { application: Some("dumpcap 4.0".into()), ..header };
    assert_eq!(written(&dumpcap), dumpcap);
    // pcap has none.
    let r = reader(pcap_file(1, &[&[0; 14]])).unwrap();
    assert_eq!(r.info().header, crate::SectionHeader::default());
}

/// A first section header with more options than are read: the texts past the first MiB are
/// left out, and the blocks after it read as ever.
#[test]
fn a_huge_section_header_is_read_in_part() {
    let mut ng = Ng { be: false, out: Vec::new() };
    let mut opts: Vec<_> = (0..20).map(|_| opt(2989, &[0; 65_532])).collect();
    opts.insert(0, opt(3, b"Linux 6.1"));
    opts.push(opt(2, b"x86_64 box"));
    ng.shb_with(false, &opts);
    ng.idb(linktype::ETHERNET, 0, &[]);
    ng.epb(0, 1_000_000, &[1; 14], 14);
    let mut r = reader(ng.out).unwrap();
    assert_eq!(r.next_frame().unwrap().map(|f| f.data.to_vec()), Some(vec![1; 14]));
    let header = &r.info().header;
    assert_eq!((header.os.as_deref(), header.hardware.as_deref()), (Some("Linux 6.1"), None));
}
