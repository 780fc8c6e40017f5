//! The Overte payloads a connected client exchanges, end to end on `captures/overte-world.pcapng`:
//! field columns, display filters and the tree read the new decoders' fields and findings.

use std::process::Command;

const CAPTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/captures/overte-world.pcapng");

fn udpdissect(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_udpdissect")).args(args).arg(CAPTURE).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn columns(filter: &str, fields: &[&str]) -> Vec<String> {
    let mut args = vec!["-Y", filter, "-T", "fields"];
    for f in fields {
        args.extend(["-e", f]);
    }
    udpdissect(&args).lines().map(str::to_string).collect()
}

#[test]
fn gains_traits_and_usernames_as_columns() {
    assert_eq!(
        columns("overte.gain.packed", &["frame.number", "overte.gain.node", "overte.gain.db"]),
        ["12\t00000000-0000-0000-0000-000000000000\t-6", "13\tbd7b4414-ed11-42cb-a525-f3d3aab10da8\t3"]
    );
    assert_eq!(
        columns("overte.set_traits.trait", &["frame.number", "overte.traits.type", "overte.set_traits.skeleton_url"]),
        ["10\t0,2\thttps://cdn.example.org/avatars/fox/fox.fst"]
    );
    assert_eq!(
        columns("overte.username.name", &["frame.number", "overte.username.name", "overte.username.is_admin"]),
        ["16\tkestrel_9\t0"]
    );
}

#[test]
fn asset_downloads_and_their_mistakes() {
    assert_eq!(
        columns("overte.asset.error", &["frame.number", "overte.asset.message_id", "overte.asset.error"]),
        ["23\t1\t0", "26\t2\t0", "29\t3\t0", "32\t4\t1", "35\t5\t2"]
    );
    assert_eq!(
        columns("expert.tag matches \"^overte\\\\.asset\\\\.\"", &["frame.number", "expert.tag"]),
        ["31\toverte.payload.wrong_length,overte.asset.hash_as_hex", "34\toverte.asset.invalid_byte_range"]
    );
    assert_eq!(columns("overte.asset.range == \"whole file\"", &["frame.number"]), ["28"]);
    assert_eq!(columns("overte.mapping.path", &["overte.mapping.path"]), ["/avatars/fox/fox.fst"]);
    // Filters take the enumerations' names.
    assert_eq!(columns("overte.asset.error == \"AssetNotFound\"", &["frame.number"]), ["32"]);
}

#[test]
fn audio_statistics_and_environment() {
    assert_eq!(
        columns(
            "overte.stream_stats.count",
            &[
                "frame.number",
                "overte.stream_stats.stream_id",
                "overte.stream_stats.lost",
                "overte.stream_stats.unplayed_ms"
            ]
        ),
        ["37\t8173555d-f2c9-4635-8df0-3bacab9b34bc\t2,2\t30", "38\t00000000-0000-0000-0000-000000000000\t0,2\t30"]
    );
    assert_eq!(
        columns("overte.environment.has_reverb", &["overte.environment.reverb_time", "overte.environment.wet_level"]),
        ["1.2\t0.35"]
    );
}

#[test]
fn a_flag_for_a_property_never_sent_shifts_the_values_after_it() {
    // The box's color as added, then as the server reads the edit whose flags announce
    // PROP_ENTITY_HOST_TYPE with a byte written for it: one byte early.
    assert_eq!(
        columns(
            "overte.entity.color && frame.number >= 47",
            &["frame.number", "overte.entity.property_flags", "overte.entity.color"]
        ),
        [
            "47\tNAME|POSITION|DIMENSIONS|COLOR|ALPHA|SHAPE\t200, 120, 40",
            "48\tPOSITION,ENTITY_HOST_TYPE|COLOR\t0, 40, 120"
        ]
    );
    assert_eq!(
        columns("expert.tag == \"overte.entity.unread_property\"", &["frame.number", "overte.entity.shape"]),
        ["48\t"]
    );
    assert_eq!(columns("frame.number == 47", &["overte.entity.name", "overte.entity.shape"]), ["crate\t5"]);
}

#[test]
fn entity_server_results() {
    assert_eq!(
        columns(
            "overte.entity.id",
            &[
                "frame.number",
                "overte.octree.sequence",
                "overte.entity.id",
                "overte.entity.type",
                "overte.entity.position"
            ]
        ),
        [
            "42\t48\tedb1287f-63d3-49f2-a7fb-eb698ed49333\t4\t0.75, -12.45, 2.885",
            // The client's own: an EntityAdd, then an EntityEdit batching two edits.
            "47\t0\t95d14d9b-a749-4dac-90b0-8d5b93801a9f\t1\t1, -12.2, 2.5",
            "48\t1\tedb1287f-63d3-49f2-a7fb-eb698ed49333,95d14d9b-a749-4dac-90b0-8d5b93801a9f\t4,1\t0.75, -12.45, 3"
        ]
    );
    // Every property, as version 147 numbers them: the shared ones, Overte's TAGS, then the
    // Model's own, and filters on them.
    assert_eq!(
        columns(
            "overte.entity.tags contains \"party\" && overte.entity.density == 1000",
            &[
                "overte.entity.name",
                "overte.entity.tags",
                "overte.entity.grab_grabbable",
                "overte.entity.model_url",
                "overte.entity.animation_fps",
                "overte.entity.animation_loop"
            ]
        ),
        ["birthday cake\t\"party\"\t1\thttps://cdn.example.org/models/birthday_cake.glb\t30\t1"]
    );
    assert_eq!(
        columns(
            "overte.octree.exit_sequence || overte.octree.nack_sequence",
            &["frame.number", "overte.octree.exit_sequence", "overte.octree.nack_sequence"]
        ),
        ["44\t\t47", "45\t49\t"]
    );
}

#[test]
fn the_tree_explains_the_kick() {
    let tree = udpdissect(&["-V", "-Y", "overte.kick.node"]);
    // 24 bytes: the domain server reads flags from 20 only, so the IP ban flag is not applied.
    assert!(tree.contains("Node: bbf35057-6abf-4727-bba4-ad34e30b67df  [50+16]"), "{tree}");
    assert!(tree.contains("Trailing bytes: 0400000000000000  [66+8]"), "{tree}");
    assert!(!tree.contains("Ban flags"), "{tree}");
    assert!(tree.contains("[warn overte.kick.ban_flags_ignored] 8 bytes after the node UUID"), "{tree}");
    assert!(!tree.contains("overte.payload.trailing_bytes"), "{tree}");
}
