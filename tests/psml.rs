//! `-T psml`, tshark's summary columns in XML, against tshark on every shipped capture.

mod common;

use common::shipped_captures;
use std::process::Command;

/// The document's packets, each as its sections' texts; the structure's titles first.
fn sections(xml: &str) -> Vec<Vec<String>> {
    xml.split("\n\n")
        .filter(|block| block.contains("<section>"))
        .map(|block| {
            block
                .lines()
                .filter_map(|l| l.strip_prefix("<section>")?.strip_suffix("</section>"))
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Every packet's number, time (relative, and as a local date and time in a zone other than
/// UTC), source, destination and length are tshark's; so are the protocol and info columns
/// where tshark's protocol is a lower layer decoded the same way here (ARP, and ICMP's protocol:
/// its info names the datagram an error is about here; a frame cut short has a note at the end
/// of tshark's info where udpdissect has a finding); the document
/// opens with tshark's seven titles and closes as tshark's does.
#[test]
fn psml_is_tsharks() {
    if !common::tshark_oracle() {
        return;
    }
    let mut compared = 0;
    for path in shipped_captures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for time in ["r", "ad"] {
            let run = |cmd: &mut Command| {
                String::from_utf8(
                    cmd.env("TZ", "America/New_York").args(["-T", "psml", "-t", time]).output().unwrap().stdout,
                )
                .unwrap()
            };
            let theirs = run(Command::new("tshark").args(["-n", "-r"]).arg(&path));
            let ours = run(Command::new(env!("CARGO_BIN_EXE_udpdissect")).arg(&path));
            if theirs.is_empty() {
                assert!(name == "damaged-bad-magic.pcap", "{name}: tshark wrote nothing");
                continue;
            }
            assert!(ours
                .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<psml version=\"0\" creator=\"udpdissect/"));
            assert_eq!(ours.ends_with("</psml>\n"), theirs.ends_with("</psml>\n"), "{name}");
            let (ours, theirs) = (sections(&ours), sections(&theirs));
            assert_eq!(ours.len(), theirs.len(), "{name} -t {time}: packets");
            assert_eq!(ours[0], ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"]);
            for (o, t) in ours.iter().zip(&theirs) {
                // A frame cut by the snapshot length: tshark says so in its info column, and
                // udpdissect with its frame.cut_short finding (on the text line, in JSON).
                // ICMP's info names the datagram an error is about here, and its protocol.
                let cut = t[6].ends_with("[Packet size limited during capture]");
                let mut columns = vec![0, 1, 2, 3, 5];
                if matches!(t[4].as_str(), "ARP" | "ICMP") {
                    columns.push(4);
                }
                if t[4] == "ARP" && !cut {
                    columns.push(6);
                }
                for c in columns {
                    // tshark 4.0 takes a delta after a frame without a timestamp from the epoch
                    // (tshark_oracle.rs); -t r and ad have none.
                    assert_eq!(o[c], t[c], "{name} -t {time} packet {}: column {c}", o[0]);
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 1_000, "{compared} packets");
}
