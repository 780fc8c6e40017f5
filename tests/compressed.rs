//! Compressed captures through the binary: every shipped capture, compressed with gzip, zstd
//! and lz4 under a name that does not say so, gives the output of the capture itself, from a
//! file and from standard input; `regress` and `diff` take them; `stats` names the
//! compression; a damaged stream ends with status 2 after the frames before it, a run cut by
//! `-c` at once; tshark reads the same frames from the same bytes. (A zstd window over the
//! limit and compression bombs: `tests/hostile.rs`.)

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{Pack, PACKS};

fn udpdissect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).output().unwrap()
}

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_udpdissect"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("udpdissect-compressed-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Stdout, stderr with the file's path taken out, and the exit status.
fn seen(o: &Output, path: &str) -> (String, String, Option<i32>) {
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
    (text(&o.stdout), text(&o.stderr).replace(path, "FILE"), o.status.code())
}

#[test]
fn every_shipped_capture_reads_the_same_compressed() {
    let dir = scratch("shipped");
    let mut compared = 0;
    // A compressed capture is decompressed once, as tshark does: not compressed again here.
    for capture in common::shipped_captures().into_iter().filter(|c| c.extension().is_some_and(|e| e != "gz")) {
        let plain = std::fs::read(&capture).unwrap();
        let name = capture.to_str().unwrap();
        let want_text = seen(&udpdissect(&[name]), name);
        let want_tree = seen(&udpdissect(&["-V", "-x", name]), name);
        // Columns of the lower layers run on one thread: with a core free, a compressed
        // capture is decompressed on a thread of its own.
        let columns = ["-T", "fields", "-e", "frame.number", "-e", "frame.len", "-e", "ip.src", "-e", "udp.srcport"];
        let want_columns = seen(&udpdissect(&[&columns[..], &[name]].concat()), name);
        assert!(common::damaged(&capture) || !want_text.0.is_empty(), "{name}");
        for (how, pack) in PACKS {
            // Named as the capture itself: the magic tells.
            let packed = dir.join(format!("{how}-{}", capture.file_name().unwrap().to_str().unwrap()));
            std::fs::write(&packed, pack(&plain)).unwrap();
            let p = packed.to_str().unwrap();
            assert_eq!(seen(&udpdissect(&[p]), p), want_text, "{name} as {how}");
            assert_eq!(seen(&udpdissect(&["-V", "-x", p]), p), want_tree, "{name} as {how}, -V -x");
            assert_eq!(seen(&udpdissect(&[&columns[..], &[p]].concat()), p), want_columns, "{name} as {how}, columns");
            compared += 1;
        }
    }
    assert!(compared >= 3 * 36, "{compared} compressed captures");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn standard_input_is_decompressed_too() {
    let capture = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/overte-world.pcapng");
    let plain = std::fs::read(&capture).unwrap();
    let want = udpdissect(&[capture.to_str().unwrap()]);
    assert!(want.status.success());
    for (how, pack) in PACKS {
        let got = with_stdin(&["-r", "-"], &pack(&plain));
        assert_eq!(got.status.code(), Some(0), "{how}: {}", String::from_utf8_lossy(&got.stderr));
        assert_eq!(got.stdout, want.stdout, "{how}");
    }
}

#[test]
fn stats_names_the_compression() {
    let capture = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/heartbeat.pcap");
    let plain = std::fs::read(&capture).unwrap();
    let dir = scratch("stats");
    let row = |path: &Path| {
        let o = udpdissect(&["stats", "-z", "summary", "-T", "json", path.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let rows = doc["tables"][0]["rows"].as_array().unwrap().clone();
        let r = rows.iter().find(|r| r[0] == "compression").expect("a compression row").clone();
        let packets = rows.iter().find(|r| r[0] == "packets").unwrap()[1].clone();
        (r[1].as_str().unwrap().to_string(), packets)
    };
    assert_eq!(row(&capture), ("none".to_string(), serde_json::json!(31)));
    for (how, pack) in PACKS {
        let packed = dir.join(format!("heartbeat.{how}"));
        std::fs::write(&packed, pack(&plain)).unwrap();
        assert_eq!(row(&packed), (how.to_string(), serde_json::json!(31)), "{how}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn regress_and_diff_take_compressed_captures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures");
    let dir = scratch("regress");
    for (name, ext, pack) in [
        ("overte-world.pcapng", "zst", udpdissect_pcapgen::zstd as Pack),
        ("eqstream-eq2-login.pcap", "lz4", udpdissect_pcapgen::lz4),
    ] {
        let packed = format!("{name}.{ext}");
        std::fs::write(dir.join(&packed), pack(&std::fs::read(root.join(name)).unwrap())).unwrap();
        // The golden file of the capture itself holds for its compressed copy, once its head
        // names the copy.
        let expected = std::fs::read_to_string(root.join(format!("{name}.expected"))).unwrap();
        let head = format!("# udpdissect regress v1: {name}\n");
        assert!(expected.starts_with(&head), "{expected}");
        let expected = expected.replacen(&head, &format!("# udpdissect regress v1: {packed}\n"), 1);
        std::fs::write(dir.join(format!("{packed}.expected")), expected).unwrap();
    }
    let o = udpdissect(&["regress", dir.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("eqstream-eq2-login.pcap.lz4") && out.contains("overte-world.pcapng.zst"), "{out}");
    assert!(out.contains("2 passed"), "{out}");

    let plain = root.join("overte-world.pcapng");
    let o = udpdissect(&["diff", plain.to_str().unwrap(), dir.join("overte-world.pcapng.zst").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::remove_dir_all(&dir).ok();
}

/// 50 000 heartbeats to one server, 60 s apart, from ports counting up: about 6 MB, so each
/// compressed form has several blocks (an LZ4 block holds 4 MiB).
fn beats() -> Vec<u8> {
    use udpdissect_pcapgen::{link, linktype, packet, PcapWriter, Ts};
    let server = common::sa("172.16.202.201:3335");
    let mut w = PcapWriter::new(Vec::new(), linktype::ETHERNET, 262_144, false, false).unwrap();
    for n in 0..50_000u32 {
        let client = common::sa(&format!("10.20.30.40:{}", 20_000 + n % 40_000));
        // Padding that does not repeat, so that the blocks hold what they can.
        let mut beat = common::beat(1_234_567_890_123);
        beat.extend((0..40u32).map(|i| n.wrapping_mul(2_654_435_761).rotate_left(i) as u8));
        let f = link::ethernet_ip(&packet::udp4(client, server, &beat));
        w.write(Ts::new(1_772_438_400 + 60 * i64::from(n), 0), &f).unwrap();
    }
    w.into_inner()
}

#[test]
fn a_damaged_stream_keeps_the_frames_before_it_and_says_so() {
    let plain = beats();
    let dir = scratch("damaged");
    for (how, pack) in PACKS {
        let packed = pack(&plain);
        let path = dir.join(format!("cut.{how}"));
        // Cut inside the last block: the blocks before it decompress.
        std::fs::write(&path, &packed[..packed.len() - 1000]).unwrap();
        let p = path.to_str().unwrap();
        let (out, err, code) = seen(&udpdissect(&[p]), p);
        assert_eq!(code, Some(2), "{how}: {err}");
        assert!(err.starts_with("udpdissect: FILE: frame "), "{how}: {err}");
        assert!(err.contains(&format!("{how} decompression failed")), "{how}: {err}");
        assert!(err.trim_end().ends_with("the compressed file is damaged or cut short"), "{how}: {err}");
        // The frames decompressed before the cut are shown, each whole, in order.
        let shown = out.lines().count();
        assert!((1000..50_000).contains(&shown), "{how}: {shown} frames before the cut");
        let numbers: Vec<usize> = out.lines().map(|l| l.split_whitespace().next().unwrap().parse().unwrap()).collect();
        assert_eq!(numbers, (1..=shown).collect::<Vec<_>>(), "{how}");
        let frame: usize = err["udpdissect: FILE: frame ".len()..].split(' ').next().unwrap().parse().unwrap();
        assert_eq!(frame, shown + 1, "{how}: the error names the frame after the last shown");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_run_stopped_early_by_c_ends_at_once() {
    let plain = beats();
    let dir = scratch("count");
    for (how, pack) in PACKS {
        let path = dir.join(format!("beats.{how}"));
        std::fs::write(&path, pack(&plain)).unwrap();
        let p = path.to_str().unwrap();
        // Columns (decompressed ahead where a core is free) and the summary.
        for args in [&["-c", "3", "-T", "fields", "-e", "frame.number", p][..], &["-c", "3", p]] {
            let o = udpdissect(args);
            assert_eq!(o.status.code(), Some(0), "{how} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
            assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3, "{how} {args:?}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tshark_reads_the_same_frames_from_the_same_compressed_bytes() {
    if !common::tshark_oracle() {
        return;
    }
    let dir = scratch("tshark");
    let fields = ["-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "ip.src"];
    for name in ["overte-world.pcapng", "format-multi.pcapng", "eqstream-eq2-login.pcap", "link-sll2.pcap"] {
        let plain = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("captures").join(name)).unwrap();
        for (how, pack) in PACKS {
            let path = dir.join(format!("{how}-{name}"));
            std::fs::write(&path, pack(&plain)).unwrap();
            let p = path.to_str().unwrap();
            let theirs = Command::new("tshark").args(["-n", "-r", p]).args(fields).output().unwrap();
            assert!(theirs.status.success(), "{name} as {how}: {}", String::from_utf8_lossy(&theirs.stderr));
            let ours = udpdissect(&[&["-r", p][..], &fields[..]].concat());
            assert!(ours.status.success(), "{name} as {how}");
            assert!(!ours.stdout.is_empty(), "{name} as {how}");
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "{name} as {how}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
