//! `-T tabs`: the summary line with its columns separated by tabs, as tshark's `-T tabs`.

mod common;

use common::shipped_captures;
use std::process::Command;

fn udpdissect(args: &[&str], path: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Every line is the text line with its separators as tabs: the same columns with the same
/// padding, the arrow a column of its own; the info column keeps its spaces and the findings'
/// tags. The same holds with another time format, with -x (the hex dumps unchanged) and for
/// frames without addresses (a frame carrying no IP has empty address columns, as tshark's).
#[test]
fn tabs_are_the_text_lines_columns() {
    let mut lines = 0;
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for extra in [&[][..], &["-t", "ud"][..], &["-x"][..]] {
            let text = udpdissect(extra, &path);
            let tabs = udpdissect(&[&["-T", "tabs"], extra].concat(), &path);
            assert_eq!(text.lines().count(), tabs.lines().count(), "{name} {extra:?}");
            for (t, s) in text.lines().zip(tabs.lines()) {
                if !s.contains('\t') {
                    // Hex dumps, the end-of-capture findings: as in text.
                    assert_eq!(t, s, "{name} {extra:?}");
                    continue;
                }
                let columns: Vec<&str> = s.split('\t').collect();
                assert_eq!(columns.len(), 8, "{name} {extra:?}: {s:?}");
                assert_eq!(columns[3], "→", "{name}: {s:?}");
                assert_eq!(t, columns.join(" "), "{name} {extra:?}");
                assert!(columns[0].len() >= 5 && columns[0].trim_start().parse::<u64>().is_ok(), "{s:?}");
                lines += 1;
            }
        }
    }
    assert!(lines > 1_500, "{lines} lines");
    // Findings stay in the info column, after its text.
    let world = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/overte-world.pcapng");
    let world = udpdissect(&["-T", "tabs"], &world);
    let last = world.lines().last().unwrap();
    let columns: Vec<&str> = last.split('\t').collect();
    assert_eq!(columns[..3], ["   48", " 1.700000000", "192.168.1.23"][..], "{last:?}");
    assert_eq!(columns[5..7], ["Overte", "161"][..], "{last:?}");
    assert!(
        columns[7].starts_with("EntityEdit Model edb1287f") && columns[7].ends_with("[overte.payload.truncated]"),
        "{last:?}"
    );
}

/// Against tshark's `-T tabs` on every shipped capture: as many lines, and on each the same
/// number of columns with the arrow where tshark has it; the frame number, time, addresses and
/// length the same once the padding is trimmed (tshark pads the time to 10 and the addresses
/// to 12; udpdissect pads as its text lines do).
#[test]
fn tabs_columns_are_tsharks() {
    if !common::tshark_oracle() {
        return;
    }
    let mut compared = 0;
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let out = Command::new("tshark").args(["-n", "-T", "tabs", "-r"]).arg(&path).output().unwrap();
        let theirs = String::from_utf8_lossy(&out.stdout).to_string();
        if theirs.is_empty() {
            assert!(name == "damaged-bad-magic.pcap", "{name}: tshark wrote nothing");
            continue;
        }
        let ours = udpdissect(&["-T", "tabs"], &path);
        let ours: Vec<&str> = ours.lines().filter(|l| l.contains('\t')).collect();
        let theirs: Vec<&str> = theirs.lines().collect();
        assert_eq!(ours.len(), theirs.len(), "{name}: lines");
        for (o, t) in ours.iter().zip(&theirs) {
            let (o, t): (Vec<&str>, Vec<&str>) = (o.split('\t').collect(), t.split('\t').collect());
            assert_eq!(o.len(), t.len(), "{name}: {o:?} against {t:?}");
            for c in [0, 1, 2, 3, 4, 6] {
                assert_eq!(o[c].trim(), t[c].trim(), "{name} frame {}: column {c}", t[0].trim());
            }
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared} lines");
}
