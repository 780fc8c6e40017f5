//! What assignment clients send each other and the domain server, end to end on
//! `captures/overte-servers.pcapng`: replicated avatars decoded as the downstream mixer reads
//! them, and statistics documents as the domain server reads them.

use std::process::Command;

const CAPTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/captures/overte-servers.pcapng");

fn udpdissect(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).arg(CAPTURE).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn columns(filter: &str, fields: &[&str]) -> Vec<String> {
    let mut args = vec!["-Y", filter, "-T", "fields", "-E", "occurrence=a"];
    for f in fields {
        args.extend(["-e", f]);
    }
    udpdissect(&args).lines().map(str::to_string).collect()
}

#[test]
fn replicated_avatars_are_avatar_data_messages() {
    assert_eq!(
        columns(
            "overte.replicated_bulk.avatar_data",
            &["frame.number", "overte.avatar.sequence", "overte.avatar.position"]
        ),
        ["1\t412,77\t3.5, 0, -7.25,-1, 0, 2", "2\t413,78\t3.5, 0, -7.2,-1, 0, 2", "3\t9\t"]
    );
    // The home-made upstream mixer's record ends before the position its flags announce, and
    // the next record is read from the bytes left.
    let tree = udpdissect(&["-V", "-Y", "frame.number == 3"]);
    assert!(tree.contains("Global position at offset 22 needs 12 bytes but only 10 remain"), "{tree}");
    assert!(tree.contains("Replicated node at offset 32 needs 16 bytes but only 2 remain"), "{tree}");
}

#[test]
fn stats_documents_are_read_as_the_domain_server_reads_them() {
    let document = columns("overte.node_stats.document", &["frame.number", "overte.node_stats.document"]);
    assert_eq!(document.len(), 1);
    assert!(
        document[0].starts_with(r#"6	{"asset_server":{"bytes_sent":4211030,"mappings":12,"#)
            && document[0].ends_with(r#""uptime_s":3600,"version":"2025.05.1"}"#),
        "{document:?}"
    );
    // A filter reads the document's text like any string.
    assert_eq!(columns(r#"overte.node_stats.document contains "\"healthy\":true""#, &["frame.number"]), ["6"]);
    assert_eq!(
        columns("expert.tag == \"overte.node_stats.invalid\"", &["frame.number", "expert.message"]),
        ["10\tbinary JSON refused at byte 24 of the document: the object's keys are out of order; the domain \
          server's QJsonDocument::fromBinaryData returns an empty document and records no stats"]
    );
}
