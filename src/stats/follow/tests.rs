use super::*;

fn spec(s: &str) -> Result<Spec, String> {
    Spec::parse(s)
}

#[test]
fn specs_as_tshark_takes_them() {
    let v4 = |s: &str| s.parse::<SocketAddr>().unwrap();
    let udp = Layer::Udp;
    assert_eq!(spec("udp,hex,0"), Ok(Spec { layer: udp, mode: Mode::Hex, which: Which::Stream(0), chunks: None }));
    assert_eq!(
        spec("udp,raw,12,3"),
        Ok(Spec { layer: udp, mode: Mode::Raw, which: Which::Stream(12), chunks: Some((3, 3)) })
    );
    assert_eq!(
        spec("udp,yaml,10.0.0.1:5,[2001:db8::2]:53,2-9"),
        Ok(Spec {
            layer: udp,
            mode: Mode::Yaml,
            which: Which::Ends(v4("10.0.0.1:5"), v4("[2001:db8::2]:53")),
            chunks: Some((2, 9))
        })
    );
    assert_eq!(spec("udp, ascii , 4 ").map(|s| (s.mode, s.which)), Ok((Mode::Ascii, Which::Stream(4))));
    assert_eq!(spec("udp,ebcdic,1").map(|s| s.mode), Ok(Mode::Ebcdic));
    let eq = spec("eqstream,hex,3").unwrap();
    assert_eq!((eq.layer, eq.keys().collect::<Vec<_>>()), (Layer::EqStream, vec!["udp.stream", "eqstream.app"]));
    assert_eq!(spec("udp,hex,1.2.3.4:5,6.7.8.9:10").unwrap().keys().count(), 0, "by ends: no field read");
    for (bad, says) in [
        ("tcp,hex,0", "only UDP"),
        ("smtp,hex,0", "unknown protocol 'smtp'"),
        ("udp", "no mode"),
        ("udp,utf-8,0", "unknown mode 'utf-8'"),
        ("udp,hex", "no stream index nor ends"),
        ("udp,hex,", "'' is neither"),
        ("udp,hex,x", "'x' is neither"),
        ("udp,hex,1.2.3.4:5,6.7.8.9", "not two ADDR:PORT ends"),
        ("udp,hex,0,0-2", "bad range '0-2'"),
        ("udp,hex,0,3-2", "bad range '3-2'"),
        ("udp,hex,0,-3", "bad range '-3'"),
        ("udp,hex,0,2-", "bad range '2-'"),
        ("udp,hex,0,1,2", "'2' after the range"),
        ("udp,hex,99999999999999999999", "too large"),
    ] {
        let e = spec(bad).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn filter_lines_as_tshark_writes_them() {
    assert_eq!(spec("udp,hex,7").unwrap().filter(), "udp.stream eq 7");
    assert_eq!(
        spec("udp,hex,10.20.30.40:51234,192.0.2.90:9100").unwrap().filter(),
        "((ip.src eq 10.20.30.40 and udp.srcport eq 51234) and (ip.dst eq 192.0.2.90 and udp.dstport eq 9100)) or \
         ((ip.src eq 192.0.2.90 and udp.srcport eq 9100) and (ip.dst eq 10.20.30.40 and udp.dstport eq 51234))"
    );
    assert!(spec("udp,hex,[2001:db8::2]:2000,[2001:db8::1]:1000")
        .unwrap()
        .filter()
        .starts_with("((ipv6.src eq 2001:db8::2 and udp.srcport eq 2000) and (ipv6.dst eq 2001:db8::1"));
}

fn hex(offset: u64, bytes: &[u8]) -> String {
    let mut s = String::new();
    hex_line(&mut s, offset, bytes);
    s
}

#[test]
fn hex_lines_as_tshark_prints_them() {
    // Lines of tshark 4.0's `follow,udp,hex` on captures/eqstream-eq2-login.pcap.
    assert_eq!(
        hex(0, &[0, 1, 0, 0, 0, 0, 0x2f, 0x6a, 0x91, 0xc4, 0, 0, 2, 0]),
        "00000000  00 01 00 00 00 00 2f 6a  91 c4 00 00 02 00        ....../j ......\n"
    );
    assert_eq!(
        hex(0x435, &[0x8c, 0x8f, 0x71, 0xe2, 0x65, 0x21, 0x44, 0x5d]),
        "00000435  8c 8f 71 e2 65 21 44 5d                           ..q.e!D]\n"
    );
    // A line that ends in a space character loses it, as the separator would be.
    let full: Vec<u8> = (0..16).map(|i| if i == 15 { b' ' } else { b'a' + i }).collect();
    assert_eq!(hex(0x4a8, &full), "000004A8  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 20  abcdefgh ijklmno\n");
    assert_eq!(hex(0x1_0000_0000, &[0x41]), "100000000  41                                                A\n");
}

#[test]
fn text_modes_keep_line_ends_and_dot_the_rest() {
    let c = Chunk { frame: 1, time_ns: 0, node: 1, offset: 0, len: 0 };
    let mut s = String::new();
    chunk_text(&mut s, Mode::Ascii, &c, b"hi\r\n\tA\x7f\xff~");
    assert_eq!(s, "\t9\nhi\r\n.A..~\n");
    // tshark reads a printable byte as EBCDIC: 'a' (0x61) is '/', '_' (0x5f) is '^', 'y' and 'A' dots.
    s.clear();
    chunk_text(&mut s, Mode::Ebcdic, &Chunk { node: 0, ..c }, b"a_y\nA\x00");
    assert_eq!(s, "6\n/^.\n..\n");
    s.clear();
    chunk_text(&mut s, Mode::Raw, &c, &[0xde, 0xad, 0x0f]);
    assert_eq!(s, "\tdead0f\n");
}

#[test]
fn yaml_chunks_as_tshark_writes_them() {
    // Frame 2 of captures/eqstream-eq2-login.pcap: tshark writes its time as a double.
    let c = Chunk { frame: 2, time_ns: 1_772_438_401_001_830_000, node: 1, offset: 0, len: 0 };
    let mut s = String::new();
    let data = [0, 2, 0x2f, 0x6a, 0x91, 0xc4, 0x33, 0x62, 0x47, 2, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0];
    chunk_text(&mut s, Mode::Yaml, &c, &data);
    assert_eq!(
        s,
        "  - packet: 2\n    peer: 1\n    timestamp: 1772438401.001830101\n    data: !!binary |\n      \
         AAIvapHEM2JHAgIAAAAAAgAAAAAA\n"
    );
    // Lines of 76 characters.
    s.clear();
    chunk_text(&mut s, Mode::Yaml, &c, &[b'x'; 60]);
    let lines: Vec<&str> = s.lines().skip(4).collect();
    assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [6 + 76, 6 + 4]);
}

#[test]
fn base64_rfc_4648_vectors() {
    for (plain, coded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(plain.as_bytes()), coded);
    }
    assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
}

#[test]
fn a_spool_past_its_bound_moves_to_a_file_and_replays_in_order() {
    let mut spool = Spool::new(100);
    let chunks: Vec<(Chunk, Vec<u8>)> = (0..50u64)
        .map(|i| {
            let data: Vec<u8> = (0..i as u8 % 7 + 1).map(|b| b ^ i as u8).collect();
            let c = Chunk {
                frame: i + 1,
                time_ns: -5 + i as i64,
                node: (i % 2) as u8,
                offset: i * 3,
                len: data.len() as u32,
            };
            (c, data)
        })
        .collect();
    for (c, d) in &chunks {
        spool.push(*c, d).unwrap();
    }
    assert!(spool.file.is_some() && spool.memory.is_empty(), "spilled");
    spool.flush().unwrap();
    let mut back = Vec::new();
    spool
        .replay(|c, d| {
            back.push((*c, d.to_vec()));
            Ok(())
        })
        .unwrap();
    assert_eq!(back, chunks);
    // A second report replays the same.
    let mut again = 0;
    spool
        .replay(|_, _| {
            again += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(again, 50);

    let mut small = Spool::new(1 << 20);
    small.push(chunks[3].0, &chunks[3].1).unwrap();
    assert!(small.file.is_none());
    let mut n = 0;
    small
        .replay(|c, d| {
            n += usize::from(*c == chunks[3].0 && d == chunks[3].1);
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 1);
}
