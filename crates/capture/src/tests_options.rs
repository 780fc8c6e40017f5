//! pcapng options: what a packet block's say, the interface options and statistics the reader
//! keeps, and the options a rewritten file carries.

use crate::testutil::*;
use crate::{linktype, CaptureWriter, InterfaceStatistics, Options, OutFormat, Timestamp, MAX_INTERFACE_OPTIONS};

/// An option list in byte order `be`, as a block holds it.
fn list(be: bool, opts: &[(u16, Vec<u8>)]) -> Vec<u8> {
    Ng { be, out: Vec::new() }.options(opts)
}

#[test]
fn drop_counts_sum_from_the_first_one_given() {
    let ng = Ng { be: false, out: Vec::new() };
    let (none, five, max) =
        (list(false, &[opt(1, b"c")]), list(false, &[ng.n64(4, 5)]), list(false, &[ng.n64(4, u64::MAX)]));
    let o = |bytes| Options { bytes, big_endian: false };
    let mut sum = None;
    o(&none).add_drop_count(&mut sum);
    assert_eq!(sum, None, "no drop count said: nothing known");
    o(&five).add_drop_count(&mut sum);
    o(&none).add_drop_count(&mut sum);
    o(&five).add_drop_count(&mut sum);
    assert_eq!(sum, Some(10));
    o(&max).add_drop_count(&mut sum);
    assert_eq!(sum, Some(u64::MAX));
}

#[test]
fn packet_options_read_in_either_byte_order() {
    for be in [false, true] {
        let ng = Ng { be, out: Vec::new() };
        let bytes = list(
            be,
            &[opt(1, b"c"), ng.n32(2, 0x0100_0085), ng.n64(4, 5), ng.n64(5, 1 << 40), ng.n32(6, 3), opt(11, b"\0udp")],
        );
        let o = Options { bytes: &bytes, big_endian: be };
        assert_eq!(o.flags(), Some(0x0100_0085));
        assert_eq!(o.drop_count(), Some(5));
        assert_eq!(o.packet_id(), Some(1 << 40));
        assert_eq!(o.queue(), Some(3));
        assert_eq!(o.filter().as_deref(), Some("udp"));
        // A number of another length is not the option: nothing is guessed.
        let odd = list(be, &[opt(2, &[1, 2]), opt(4, &[0; 4]), opt(11, b"\x01\x00\x00\x00")]);
        let o = Options { bytes: &odd, big_endian: be };
        assert_eq!((o.flags(), o.drop_count(), o.filter()), (None, None, None));
        assert_eq!(Options::default().flags(), None);
    }
    // A text without the NULs some writers count in its length.
    let bytes = list(false, &[opt(12, b"Linux\0\0")]);
    assert_eq!(Options::little_endian(&bytes).text(12).as_deref(), Some("Linux"));
}

/// A section of byte order `be` whose interface has every kind of option: kept ones, ones
/// written from the frame instead, ones that cannot be carried; then its packets.
fn described(be: bool) -> (Vec<u8>, Vec<(u16, Vec<u8>)>) {
    let mut ng = Ng::new(be);
    let pen = |data: &[u8]| {
        let mut v = Vec::new();
        w32(&mut v, be, 32473);
        v.extend_from_slice(data);
        v
    };
    let opts = [
        opt(2, b"eth0"),
        opt(1, b"uplink to the campus"),
        opt(12, b"Linux 6.1"),
        ng.n64(8, 1_000_000_000),
        opt(9, &[9]),
        ng.n64(14, 0),
        ng.n32(10, 3600),
        opt(11, b"\0udp port 4665"),
        opt(4, &[10, 0, 0, 1, 255, 255, 255, 0]),
        opt(13, &[4]),
        opt(15, b"NIC x"),
        opt(200, &[1, 2, 3, 4]),
        (2988, pen(b"kept")),
        (19372, pen(b"not to be copied")),
    ];
    ng.idb(linktype::ETHERNET, 65535, &opts);
    ng.epb(0, 1_700_000_000_000_000_000, &[0xaa; 14], 14);
    let mut pen_le = 32473u32.to_le_bytes().to_vec();
    pen_le.extend_from_slice(b"kept");
    let kept = vec![
        opt(1, b"uplink to the campus"),
        opt(12, b"Linux 6.1"),
        (8, 1_000_000_000u64.to_le_bytes().to_vec()),
        (10, 3600u32.to_le_bytes().to_vec()),
        opt(11, b"\0udp port 4665"),
        opt(4, &[10, 0, 0, 1, 255, 255, 255, 0]),
        opt(13, &[4]),
        opt(15, b"NIC x"),
        (2988, pen_le),
    ];
    (ng.out, kept)
}

fn owned(o: Options) -> Vec<(u16, Vec<u8>)> {
    o.iter().map(|(c, v)| (c, v.to_vec())).collect()
}

#[test]
fn interface_options_are_kept_little_endian_and_written_back() {
    for be in [false, true] {
        let (file, kept) = described(be);
        let mut r = reader(file).unwrap();
        let f = r.next_frame().unwrap().unwrap();
        assert_eq!(f.interface_name, Some("eth0"));
        assert_eq!(owned(Options::little_endian(f.interface_options)), kept, "be {be}");
        let mut w = CaptureWriter::new(Vec::new(), OutFormat::Pcapng, "t").unwrap();
        w.write(&f).unwrap();
        w.finish().unwrap();
        let ts = f.ts;
        assert_eq!(owned(r.info().interfaces[0].options()), kept);
        assert_eq!(r.info().interfaces[0].options().speed(), Some(1_000_000_000));
        // Read back from the file written: the same options, after its name.
        let mut back = reader(w.into_inner().unwrap()).unwrap();
        let g = back.next_frame().unwrap().unwrap();
        assert_eq!((g.interface_name, g.ts), (Some("eth0"), ts));
        assert_eq!(owned(Options::little_endian(g.interface_options)), kept);
    }
}

#[test]
fn interface_options_past_their_bound_are_left_out() {
    let mut ng = Ng::new(false);
    let long = vec![b'x'; MAX_INTERFACE_OPTIONS];
    ng.idb(linktype::ETHERNET, 0, &[opt(12, &long), opt(15, b"NIC")]);
    ng.epb(0, 0, &[0; 14], 14);
    let mut r = reader(ng.out).unwrap();
    let f = r.next_frame().unwrap().unwrap();
    // The text that does not fit is left out whole, the one after it kept.
    assert_eq!(owned(Options::little_endian(f.interface_options)), [opt(15, b"NIC")]);
}

#[test]
fn packet_options_marked_not_to_be_copied_are_left_out() {
    for be in [false, true] {
        let mut ng = Ng::new(be);
        ng.idb(linktype::ETHERNET, 0, &[]);
        let mut pen = Vec::new();
        w32(&mut pen, be, 32473);
        let ok = (2989, [pen.as_slice(), b"x"].concat());
        ng.epb_with(0, 0, &[0; 14], 14, &[(19373, pen.clone()), ok, opt(1, b"c"), (2988, vec![1])]);
        let mut r = reader(ng.out).unwrap();
        let mut w = CaptureWriter::new(Vec::new(), OutFormat::Pcapng, "t").unwrap();
        w.write(&r.next_frame().unwrap().unwrap()).unwrap();
        w.finish().unwrap();
        let mut back = reader(w.into_inner().unwrap()).unwrap();
        let g = back.next_frame().unwrap().unwrap();
        let mut kept = 32473u32.to_le_bytes().to_vec();
        kept.push(b'x');
        // A custom option too short for its enterprise number goes too.
        assert_eq!(owned(g.options), [(2989, kept), opt(1, b"c")], "be {be}");
    }
}

/// Two interfaces, each with a packet and statistics blocks: the first's in nanoseconds, ten
/// seconds behind the epoch's count, its last block with every counter; the second's in
/// microseconds, with a block without counters.
fn statistics_input(be: bool) -> Vec<u8> {
    let mut ng = Ng::new(be);
    // Nanoseconds, ten seconds behind the epoch's count.
    ng.idb(linktype::ETHERNET, 0, &[opt(9, &[9]), ng.n64(14, 10)]);
    ng.idb(linktype::RAW, 0, &[]);
    ng.epb(0, 1_000_000_000, &[0; 14], 14);
    let first = [ng.n64(4, 50), ng.n64(5, 1)];
    ng.isb(0, 2_000_000_000, &first);
    // Times as a packet block's: the upper 32 bits, then the lower.
    let time = |code: u16, units: u64| {
        let mut v = Vec::new();
        w32(&mut v, be, (units >> 32) as u32);
        w32(&mut v, be, units as u32);
        (code, v)
    };
    let counts = [
        time(2, 500),
        time(3, 3_000_000_000),
        ng.n64(4, 100),
        ng.n64(5, 7),
        ng.n64(6, 90),
        ng.n64(7, 3),
        ng.n64(8, 87),
        ng.n32(5, 9), // a count of the wrong length: not read
        opt(1, b"a comment"),
    ];
    ng.isb(0, 3_000_000_000, &counts);
    ng.isb(9, 3_000_000_000, &counts); // no such interface: skipped
    ng.block(5, &[0; 8]); // too short to be one: skipped
    ng.epb(1, 4_000_000, &[0x45; 20], 20);
    ng.isb(1, 5_000_000, &[]);
    ng.out
}

/// What [`statistics_input`]'s interfaces' last blocks say.
fn statistics_expected() -> [InterfaceStatistics; 2] {
    let at = |secs: i64, nanos: u32| Timestamp { secs, nanos };
    let first = InterfaceStatistics {
        time: at(13, 0),
        start: Some(at(10, 500)),
        end: Some(at(13, 0)),
        received: Some(100),
        dropped: Some(7),
        accepted: Some(90),
        os_dropped: Some(3),
        delivered: Some(87),
    };
    [first, InterfaceStatistics { time: at(5, 0), ..Default::default() }]
}

#[test]
fn interface_statistics_keep_each_interfaces_last_block() {
    for be in [false, true] {
        let mut r = reader(statistics_input(be)).unwrap();
        let mut frames = 0;
        while r.next_frame().unwrap().is_some() {
            frames += 1;
        }
        assert_eq!(frames, 2);
        let ifaces = &r.info().interfaces;
        let [first, empty] = statistics_expected();
        assert_eq!(ifaces[0].statistics, Some(first), "be {be}");
        assert_eq!(first.lost(), Some(10));
        // A block without counters: known to have been written, with nothing lost it says.
        assert_eq!(ifaces[1].statistics, Some(empty));
        assert_eq!(empty.lost(), None);
    }
}

/// Rewrites [`statistics_input`] as `format`, the frames of the interfaces in `kept` only,
/// then every input interface's statistics.
fn rewrite_statistics(be: bool, format: OutFormat, kept: &[u32]) -> Vec<u8> {
    let mut r = reader(statistics_input(be)).unwrap();
    let mut w = CaptureWriter::new(Vec::new(), format, "udpdissect tests").unwrap();
    while let Some(f) = r.next_frame().unwrap() {
        if kept.contains(&f.interface) {
            w.write(&f).unwrap();
        }
    }
    for (i, iface) in r.info().interfaces.iter().enumerate() {
        w.statistics(i as u32, &iface.statistics.unwrap()).unwrap();
    }
    w.finish().unwrap();
    w.into_inner().unwrap()
}

#[test]
fn a_rewritten_file_keeps_the_statistics_of_the_interfaces_it_holds() {
    let [first, empty] = statistics_expected();
    for be in [false, true] {
        // Every counter and time, each at its interface's resolution (nanoseconds, then
        // microseconds), the time offset already in them.
        let mut r = reader(rewrite_statistics(be, OutFormat::Pcapng, &[0, 1])).unwrap();
        while r.next_frame().unwrap().is_some() {}
        let back: Vec<_> = r.info().interfaces.iter().map(|i| i.statistics).collect();
        assert_eq!(back, [Some(first), Some(empty)], "be {be}");
        // An interface none of whose frames is written is not described, so it gets no block.
        let mut r = reader(rewrite_statistics(be, OutFormat::Pcapng, &[1])).unwrap();
        while r.next_frame().unwrap().is_some() {}
        let back: Vec<_> = r.info().interfaces.iter().map(|i| i.statistics).collect();
        assert_eq!(back, [Some(empty)], "be {be}");
    }
    // A pcap file has no place for them.
    let plain = rewrite_statistics(false, OutFormat::Pcap, &[0]);
    assert_eq!(plain.len(), 24 + 16 + 14, "the header and the one packet");
}

#[test]
fn a_huge_statistics_block_is_read_in_part() {
    let mut ng = Ng::new(false);
    ng.idb(linktype::ETHERNET, 0, &[]);
    let mut opts = vec![ng.n64(5, 4)];
    opts.extend((0..40).map(|_| opt(1, &[b'c'; 4000])));
    opts.push(ng.n64(7, 6)); // past the part read: not seen
    ng.isb(0, 0, &opts);
    ng.epb(0, 0, &[0; 14], 14);
    let mut r = reader(ng.out).unwrap();
    assert!(r.next_frame().unwrap().is_some());
    let stats = r.info().interfaces[0].statistics.unwrap();
    assert_eq!((stats.dropped, stats.os_dropped), (Some(4), None));
}

/// An obsolete Packet Block's drops count is its `epb_dropcount`, as tshark reads it, unless
/// it is 0xffff ("not known"); its own options follow.
#[test]
fn a_packet_blocks_drops_count_is_its_drop_count() {
    for be in [false, true] {
        let mut ng = Ng::new(be);
        ng.idb(linktype::RAW, 0, &[]);
        for (drops, options) in [(3u16, vec![opt(1, b"c")]), (0xffff, vec![]), (0, vec![])] {
            let mut body = Vec::new();
            w16(&mut body, be, 0);
            w16(&mut body, be, drops);
            w32(&mut body, be, 0);
            w32(&mut body, be, 1);
            w32(&mut body, be, 5);
            w32(&mut body, be, 5);
            body.extend_from_slice(&[0x45, 0, 0, 5, 0, 0, 0, 0]);
            body.extend(ng.options(&options));
            ng.block(2, &body);
        }
        let mut r = reader(ng.out).unwrap();
        let mut seen = Vec::new();
        while let Some(f) = r.next_frame().unwrap() {
            seen.push((f.options.drop_count(), f.options.comments().collect::<Vec<_>>().join(",")));
        }
        assert_eq!(seen, [(Some(3), "c".into()), (None, String::new()), (Some(0), String::new())], "be {be}");
    }
}
