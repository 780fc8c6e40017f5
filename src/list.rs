//! `--list-protocols` and `--list-fields`: what the registry knows, for people and scripts.

use crate::layers;
use crate::render::{is_summary_column, summary_column_keys, EXPERT_KEYS};
use std::io::{self, Write};
use udpdissect_core::{Engine, FieldInfo, Missing, ProtocolInfo};

fn all(engine: &Engine) -> impl Iterator<Item = &'static ProtocolInfo> + '_ {
    std::iter::once(&layers::PROTOCOL).chain(engine.protocols())
}

pub fn protocols(engine: &Engine, mut w: impl Write) -> io::Result<()> {
    for p in all(engine) {
        let ports: Vec<String> = p.ports.iter().map(u16::to_string).collect();
        let how = match (ports.is_empty(), p.heuristic) {
            (true, false) => "decode-as only".to_string(),
            (true, true) => "heuristic".to_string(),
            (false, h) => format!("udp.port {}{}", ports.join(","), if h { " + heuristic" } else { "" }),
        };
        if p.name == "frame" {
            writeln!(w, "{}\t{}", p.name, p.long_name)?;
        } else {
            writeln!(w, "{}\t{}\t{}\t{how}", p.name, p.column, p.long_name)?;
        }
        for e in p.experts {
            let also = match e.missing {
                None => "",
                Some(Missing::Sender) => " (qualified when the capture lost packets the sender may have sent)",
                Some(Missing::Peer) => " (qualified when the capture lost packets the peer may have sent)",
                Some(Missing::Named) => " (qualified when the capture lost packets the host it names may have sent)",
            };
            writeln!(w, "    expert {}\t{}\t{}\t{}{also}", e.tag, e.severity.name(), e.group.name(), e.summary)?;
        }
        for (pref, desc) in p.prefs {
            writeln!(w, "    pref {}.{pref}\t{desc}", p.name)?;
        }
    }
    Ok(())
}

/// Keys that are not fields of a frame's tree but work in `-Y` (and the column keys in `-e`),
/// with the name `--list-fields` lists them under: `udp.payload` with the lower layers
/// (`frame`), the others with the findings.
const PSEUDO_FIELDS: &[(&str, &str, &str, &str)] = &[
    ("expert", "expert", "none", "present when the frame has any expert finding (-Y only)"),
    ("expert", "expert.tag", "string", "tag of each finding, e.g. heartbeat.session_dead (-Y and -e)"),
    ("expert", "expert.severity", "severity", "note < warn < error, ordered (-Y and -e)"),
    ("expert", "expert.group", "group", "each finding's group, e.g. Sequence (-Y and -e; -e _ws.expert.group: number)"),
    ("expert", "expert.message", "string", "text of each finding (-Y and -e; -e _ws.expert.message too)"),
    ("expert", "_ws.col.number", "string", "the number column (-Y and -e; -e _ws.col.No. too, tshark 4.0's)"),
    ("expert", "_ws.col.cls_time", "string", "the time column in the -t format (-e only; -e _ws.col.Time too)"),
    ("expert", "_ws.col.def_src", "string", "the source column: IP, else MAC (-Y and -e; -e _ws.col.Source too)"),
    ("expert", "_ws.col.def_dst", "string", "the destination column (-Y and -e; -e _ws.col.Destination too)"),
    ("expert", "_ws.col.protocol", "string", "the protocol column (-Y and -e)"),
    ("expert", "_ws.col.packet_length", "string", "the length column (-Y and -e; -e _ws.col.Length too)"),
    ("expert", "_ws.col.info", "string", "the info column (-Y and -e)"),
    ("frame", "udp.payload", "bytes", "each UDP datagram after its header, as tshark's (-Y and -e)"),
];

/// The fields of `proto` (every protocol's when empty; `expert` for the findings' pseudo
/// fields; `frame`, the lower layers, with `udp.payload`). An unknown protocol is an error
/// before anything is written.
pub fn fields(engine: &Engine, proto: &str, mut w: impl Write) -> Result<io::Result<()>, String> {
    let all_of = proto.is_empty();
    let experts = all_of || proto.eq_ignore_ascii_case("expert");
    let protocols: Vec<_> = all(engine).filter(|p| all_of || p.name.eq_ignore_ascii_case(proto)).collect();
    if protocols.is_empty() && !experts {
        return Err(format!(
            "unknown protocol '{proto}'; known: {}, expert",
            all(engine).map(|p| p.name).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut write = || -> io::Result<()> {
        for f in protocols.iter().flat_map(|p| p.fields) {
            writeln!(w, "{}\t{}\t{}", f.key, f.kind.name(), f.desc)?;
        }
        for (_, key, kind, desc) in
            PSEUDO_FIELDS.iter().filter(|(group, ..)| all_of || group.eq_ignore_ascii_case(proto))
        {
            writeln!(w, "{key}\t{kind}\t{desc}")?;
        }
        // tshark's two-way aliases, with the lower layers (an alias of its own key, such as
        // ip.version, is that field's row above).
        if all_of || proto.eq_ignore_ascii_case("frame") {
            let known = known_fields(engine);
            for (key, members) in udpdissect_filter::aliases().filter(|(key, members)| !members.contains(key)) {
                let Some(kind) = known.iter().find(|f| f.key == members[0]).map(|f| f.kind.name()) else { continue };
                let both = members.join(" and ");
                writeln!(w, "{key}\t{kind}\t{both}: matches either; -e lists both (tshark's hidden field)")?;
            }
        }
        w.flush()
    };
    Ok(write())
}

/// Every field key the lower layers and the protocols can produce.
pub fn known_fields(engine: &Engine) -> Vec<&'static FieldInfo> {
    all(engine).flat_map(|p| p.fields.iter().copied()).collect()
}

/// The keys filters may name: every field, finding and pseudo-field.
pub fn catalog(engine: &Engine) -> udpdissect_filter::Catalog {
    let shown = all(engine).flat_map(|p| p.shown().map(|c| (c, p.name)));
    udpdissect_filter::Catalog::new(known_fields(engine)).with_experts(known_experts(engine)).with_shown_names(shown)
}

/// Every registered finding, for filters that name one by its tag.
pub fn known_experts(engine: &Engine) -> Vec<&'static udpdissect_core::ExpertInfo> {
    all(engine).flat_map(|p| p.experts.iter().copied()).collect()
}

/// Rejects unknown `-e` keys before reading the capture, naming the closest known ones.
pub fn check_keys(engine: &Engine, keys: &[String]) -> Result<(), String> {
    let known = known_fields(engine);
    for key in keys {
        let alias = udpdissect_filter::alias_members(key)
            .is_some_and(|members| members.iter().all(|m| known.iter().any(|f| f.key == *m)));
        let pseudo = is_summary_column(key) || key == "udp.payload" || EXPERT_KEYS.contains(&key.as_str());
        if pseudo || alias || known.iter().any(|f| f.key == key) {
            continue;
        }
        if key.starts_with("_ws.col.") {
            let keys: Vec<&str> = summary_column_keys().collect();
            return Err(format!("-e {key}: no such column; the summary line's are {}", keys.join(", ")));
        }
        // Built only for the key it explains.
        match catalog(engine).meant(key) {
            Some(udpdissect_filter::Meant::Case(k)) => {
                return Err(format!("-e {key}: no such field; field names are lower case: {k}"));
            }
            Some(udpdissect_filter::Meant::Shown { shown, key: p }) => {
                return Err(format!(
                    "-e {key}: no such field; {shown} is what the Protocol column shows for {p} datagrams: their \
                     fields are under {p} (--list-fields {p}), and -e _ws.col.protocol prints the column"
                ));
            }
            None => {}
        }
        // The findings' keys are columns too (expert.grop: expert.group).
        let keys = known.iter().map(|f| f.key).chain(EXPERT_KEYS);
        let mut close: Vec<(usize, &str)> = keys.map(|k| (udpdissect_filter::edit_distance(key, k), k)).collect();
        close.sort();
        let hints: Vec<&str> = close.iter().take(3).map(|c| c.1).collect();
        return Err(format!("-e {key}: no such field; closest: {} (see --list-fields)", hints.join(", ")));
    }
    Ok(())
}

/// Rejects `-O` (or `-J`, `-j`: the `flag`) names that no field's key is under (`-O EQStream`
/// would otherwise fold every protocol), listing the protocols there are.
pub fn check_protocols(engine: &Engine, flag: &str, names: &[String]) -> Result<(), String> {
    let known = known_fields(engine);
    for name in names {
        if !known.iter().any(|f| udpdissect_core::key_under(f.key, name)) {
            match catalog(engine).meant(name) {
                Some(udpdissect_filter::Meant::Case(k)) => {
                    return Err(format!("{flag} {name}: no such protocol; protocol names are lower case: {flag} {k}"));
                }
                Some(udpdissect_filter::Meant::Shown { shown, key }) => {
                    return Err(format!(
                        "{flag} {name}: no such protocol; {shown} is what the Protocol column shows for {key} \
                         datagrams: {flag} {key}"
                    ));
                }
                None => {}
            }
            let mut all: Vec<&str> = known.iter().map(|f| protocol_of(f.key)).collect();
            all.sort_unstable();
            all.dedup();
            return Err(format!("{flag} {name}: no such protocol; there are: {}", all.join(", ")));
        }
    }
    Ok(())
}

/// The protocol a field key is under: its first part (`overte` for `overte.udt.seq`).
fn protocol_of(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// tshark's `-G` reports this tool can give, by name.
pub const GLOSSARIES: &[&str] = &["fields", "protocols", "decodes", "heuristic-decodes"];

/// tshark's type and base for a field: ours hold every number as 64 bits, and an address kind
/// holds either IP version (IPv6 where the key says so).
fn tshark_type(f: &FieldInfo) -> (&'static str, &'static str) {
    use udpdissect_core::FieldKind as K;
    match f.kind {
        K::None => ("FT_NONE", ""),
        K::Unsigned | K::Enum => ("FT_UINT64", "BASE_DEC"),
        K::Hex | K::HexEnum => ("FT_UINT64", "BASE_HEX"),
        K::Signed => ("FT_INT64", "BASE_DEC"),
        K::Bool => ("FT_BOOLEAN", ""),
        K::Float => ("FT_DOUBLE", ""),
        K::Bytes => ("FT_BYTES", ""),
        K::String | K::SocketAddr => ("FT_STRING", ""),
        K::Uuid => ("FT_GUID", ""),
        K::Ip if f.key.starts_with("ipv6") || f.key.contains("v6") => ("FT_IPv6", ""),
        K::Ip => ("FT_IPv4", ""),
        K::Mac => ("FT_ETHER", ""),
        K::Frame => ("FT_FRAMENUM", ""),
        K::Time | K::Date => ("FT_ABSOLUTE_TIME", ""),
        K::Duration => ("FT_RELATIVE_TIME", ""),
    }
}

/// `-G REPORT` in tshark's tab-separated layout, for scripts written against it: `fields`
/// (a `P` line per protocol, an `F` line per field: name, key, type, parent protocol, base,
/// bitmask, description), `protocols` (name, short name, key), `decodes` (`udp.port`, a port,
/// the protocol registered on it) or `heuristic-decodes` (`udp`, a protocol tried on any port,
/// `T` for enabled, `F` after `--disable-heuristic`). An unknown report is an error before
/// anything is written.
pub fn glossary(engine: &Engine, report: &str, mut w: impl Write) -> Result<io::Result<()>, String> {
    if !GLOSSARIES.contains(&report) {
        return Err(format!(
            "-G {report}: not a report this tool gives; it gives {} (and --list-fields, --list-protocols)",
            GLOSSARIES.join(", ")
        ));
    }
    if report.ends_with("decodes") {
        let heuristic = report == "heuristic-decodes";
        let mut write = || -> io::Result<()> {
            for p in engine.protocols() {
                if heuristic && p.heuristic {
                    writeln!(w, "udp\t{}\t{}", p.name, if engine.heuristic_on(p.name) { 'T' } else { 'F' })?;
                }
                for port in p.ports.iter().filter(|_| !heuristic) {
                    writeln!(w, "udp.port\t{port}\t{}", p.name)?;
                }
            }
            w.flush()
        };
        return Ok(write());
    }
    let fields = known_fields(engine);
    let mut protocols: Vec<&str> = Vec::new();
    for f in &fields {
        if !protocols.contains(&protocol_of(f.key)) {
            protocols.push(protocol_of(f.key));
        }
    }
    let registered = |key: &str| all(engine).find(|p| p.name == key);
    let write = || -> io::Result<()> {
        for proto in protocols {
            // Named by its node (ip: "Internet Protocol Version 4"), else by its registration.
            let node = fields.iter().find(|f| f.key == proto);
            let name = node.map(|f| f.name).or_else(|| registered(proto).map(|p| p.long_name)).unwrap_or(proto);
            if report == "protocols" {
                // Short names: a registered protocol's column, else the key in capitals.
                let upper = proto.to_ascii_uppercase();
                let short = registered(proto).map(|p| p.column).filter(|c| !c.is_empty()).unwrap_or(&upper);
                writeln!(w, "{name}\t{short}\t{proto}")?;
                continue;
            }
            writeln!(w, "P\t{name}\t{proto}")?;
            for f in fields.iter().filter(|f| f.key != proto && protocol_of(f.key) == proto) {
                let (ft, base) = tshark_type(f);
                writeln!(w, "F\t{}\t{}\t{ft}\t{proto}\t{base}\t0x0\t{}", f.name, f.key, f.desc)?;
            }
        }
        w.flush()
    };
    Ok(write())
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_core::ExpertGroup;

    /// Every finding the registry knows has its own tag, under its protocol's name or `core`,
    /// a summary, and a group other than Debug (which Wireshark keeps out of released code).
    #[test]
    fn every_registered_finding_has_a_unique_tag_and_a_group() {
        let engine = Engine::new(crate::dissectors());
        let experts = known_experts(&engine);
        assert!(experts.len() > 80, "{}", experts.len());
        let mut tags: Vec<&str> = experts.iter().map(|e| e.tag).collect();
        tags.sort_unstable();
        let n = tags.len();
        tags.dedup();
        assert_eq!(tags.len(), n, "a tag is registered twice");
        for p in all(&engine) {
            for e in p.experts {
                let prefix = e.tag.split('.').next().unwrap_or_default();
                assert!(
                    p.name == prefix || (p.name == "frame" && ["core", "ip", "icmp", "udp"].contains(&prefix)),
                    "{} under {}",
                    e.tag,
                    p.name
                );
                assert_ne!(e.group, ExpertGroup::Debug, "{}", e.tag);
                assert!(!e.summary.is_empty(), "{}", e.tag);
            }
        }
    }

    /// The findings the capture's own loss qualifies, by whose lost datagrams would raise them
    /// (docs/capture.md has the same table): each a Sequence finding.
    #[test]
    fn the_findings_a_lossy_capture_qualifies_name_whose_datagrams() {
        use Missing::{Named, Peer, Sender};
        let engine = Engine::new(crate::dissectors());
        let qualified: Vec<_> = known_experts(&engine).into_iter().filter_map(|e| Some((e.tag, e.missing?))).collect();
        assert_eq!(
            qualified,
            [
                ("heartbeat.reply_without_request", Peer),
                ("heartbeat.no_reply", Peer),
                ("heartbeat.interval_unusual", Sender),
                ("overte.node_silent", Named),
                ("overte.keepalive_late", Sender),
                ("overte.retransmission", Peer),
                ("overte.seq_gap", Sender),
                ("eqstream.seq_gap", Sender),
                ("eqstream.retransmission", Peer),
                ("eqstream.ack_unsent", Peer),
                ("eqstream.reorder_limit", Sender),
            ]
        );
        assert!(known_experts(&engine).iter().all(|e| e.missing.is_none() || e.group == ExpertGroup::Sequence));
    }

    #[test]
    fn list_protocols_shows_severity_and_group() {
        let engine = Engine::new(crate::dissectors());
        let mut out = Vec::new();
        protocols(&engine, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("    expert heartbeat.session_dead\twarn\tResponse\tthe server answered -2"), "{text}");
        assert!(text.contains("    expert eqstream.crc_mismatch\terror\tChecksum\t"), "{text}");
        assert!(
            text.contains(
                "    expert heartbeat.reply_without_request\twarn\tSequence\ta reply with no request on the reversed \
                 5-tuple earlier in the capture (qualified when the capture lost packets the peer may have sent)\n"
            ),
            "{text}"
        );
        assert!(text.contains("    expert overte.seq_gap\tnote\tSequence\t"), "{text}");
        assert!(
            text.contains(
                "    expert overte.node_silent\twarn\tSequence\tthe domain server has not heard from a node past its \
                 silence threshold and removes it (qualified when the capture lost packets the host it names may have \
                 sent)\n"
            ),
            "{text}"
        );
        assert!(text.contains("    expert frame.cut_short\tnote\tUndecoded\t"), "{text}");
    }
}
