//! Which keys a filter may name, their kinds, and where each one's values come from.

use std::collections::HashMap;
use udpdissect_core::{ExpertInfo, FieldInfo, FieldKind};

/// Where a key's occurrences are read from in a [`udpdissect_core::Dissection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Every field with this key.
    Field(&'static str),
    /// tshark's two-way shorthands (`ip.addr` is `ip.src` and `ip.dst`).
    Alias(&'static [&'static str]),
    /// `expert`: present when there is any finding; has no value.
    ExpertAny,
    ExpertTag,
    ExpertSeverity,
    /// Wireshark's group of each finding, by the name it shows (`Sequence`).
    ExpertGroup,
    ExpertMessage,
    /// A finding's own tag as a key (`overte.hmac_mismatch`), as Wireshark registers its
    /// expert infos as fields: present when the frame has that finding; its value is the message.
    ExpertNamed(&'static str),
    ColProtocol,
    ColInfo,
    /// A summary column read off the lower layers, as text: the first occurrence of the
    /// first of these groups of keys the frame has (`_ws.col.def_src`: the IP source, else
    /// the Ethernet one), as the summary line shows it.
    Column(&'static [&'static [&'static str]]),
    /// `udp.payload`: each datagram's bytes after its header, as tshark's field, computed from
    /// the `udp` node and `udp.length` rather than stored in every tree.
    UdpPayload,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub key: &'static str,
    pub kind: FieldKind,
    pub source: Source,
}

/// Pseudo-fields the crate computes from the dissection rather than from its field list.
const PSEUDO: &[(&str, FieldKind, Source)] = &[
    ("expert", FieldKind::None, Source::ExpertAny),
    ("expert.tag", FieldKind::String, Source::ExpertTag),
    ("expert.severity", FieldKind::String, Source::ExpertSeverity),
    ("expert.group", FieldKind::String, Source::ExpertGroup),
    ("expert.message", FieldKind::String, Source::ExpertMessage),
    ("_ws.col.protocol", FieldKind::String, Source::ColProtocol),
    ("_ws.col.info", FieldKind::String, Source::ColInfo),
    ("_ws.col.number", FieldKind::String, Source::Column(&[&["frame.number"]])),
    ("_ws.col.def_src", FieldKind::String, Source::Column(&[&["ip.src", "ipv6.src"], &["eth.src"]])),
    ("_ws.col.def_dst", FieldKind::String, Source::Column(&[&["ip.dst", "ipv6.dst"], &["eth.dst"]])),
    ("_ws.col.packet_length", FieldKind::String, Source::Column(&[&["frame.len"]])),
    ("udp.payload", FieldKind::Bytes, Source::UdpPayload),
];

/// The keys a run builds for `udp.payload`: the `udp` node, whose header gives the payload's
/// end, and the length field shown beside it.
pub const UDP_PAYLOAD_KEYS: &[&str] = &["udp", "udp.length"];

/// Offered only when every member is a known field of one kind. An alias that lists its own
/// key widens that field with the copies tshark hides elsewhere (`ip.version` in IPv6 headers).
const ALIASES: &[(&str, &[&str])] = &[
    ("eth.addr", &["eth.src", "eth.dst"]),
    ("ip.version", &["ip.version", "ipv6.version"]),
    ("ip.addr", &["ip.src", "ip.dst"]),
    ("ipv6.addr", &["ipv6.src", "ipv6.dst"]),
    ("udp.port", &["udp.srcport", "udp.dstport"]),
    ("tcp.port", &["tcp.srcport", "tcp.dstport"]),
];

/// Every alias and its members, in the order of the table.
pub fn aliases() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    ALIASES.iter().copied()
}

/// The tree's keys an alias stands for (`udp.port`: `udp.srcport`, `udp.dstport`), in the
/// order a column lists their occurrences: the tree's.
pub fn alias_members(key: &str) -> Option<&'static [&'static str]> {
    ALIASES.iter().find(|(k, _)| *k == key).map(|(_, members)| *members)
}

/// What an unknown key may have meant ([`Catalog::meant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meant {
    /// This key, written in other letter case.
    Case(&'static str),
    /// What the Protocol column shows for the datagrams of the protocol `key`.
    Shown { shown: &'static str, key: &'static str },
}

/// The keys a filter may use: every registered field, the `expert.*` and `_ws.col.*`
/// pseudo-fields, and tshark's `ip.addr`-style aliases.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: HashMap<&'static str, Entry>,
    /// What the Protocol column shows, and the protocol's filter name (`SRUN`, `heartbeat`):
    /// for the advice when a filter names what it saw there.
    shown: Vec<(&'static str, &'static str)>,
}

impl Catalog {
    /// Registered fields; a key listed twice keeps its first kind. The pseudo-fields are added
    /// here and win over a registered field of the same key.
    pub fn new(fields: impl IntoIterator<Item = &'static FieldInfo>) -> Catalog {
        let mut entries = HashMap::new();
        for info in fields {
            entries.entry(info.key).or_insert(Entry {
                key: info.key,
                kind: info.kind,
                source: Source::Field(info.key),
            });
        }
        for &(key, members) in ALIASES {
            let kinds: Vec<Option<FieldKind>> =
                members.iter().map(|m| entries.get(m).map(|e: &Entry| e.kind)).collect();
            if let Some(&Some(kind)) = kinds.first() {
                if kinds.iter().all(|k| *k == Some(kind)) {
                    let entry = Entry { key, kind, source: Source::Alias(members) };
                    if members.contains(&key) {
                        entries.insert(key, entry);
                    } else {
                        entries.entry(key).or_insert(entry);
                    }
                }
            }
        }
        for &(key, kind, source) in PSEUDO {
            entries.insert(key, Entry { key, kind, source });
        }
        Catalog { entries, shown: Vec::new() }
    }

    /// Adds each finding's tag as a key (unless a field already has that key): `-Y
    /// overte.hmac_mismatch` keeps the frames with that finding, and its value is the message.
    pub fn with_experts(mut self, experts: impl IntoIterator<Item = &'static ExpertInfo>) -> Catalog {
        for e in experts {
            self.entries.entry(e.tag).or_insert(Entry {
                key: e.tag,
                kind: FieldKind::String,
                source: Source::ExpertNamed(e.tag),
            });
        }
        self
    }

    /// Adds the names the Protocol column shows for each protocol (shown, filter name), so that
    /// a filter naming one is told the protocol's filter name.
    pub fn with_shown_names(mut self, names: impl IntoIterator<Item = (&'static str, &'static str)>) -> Catalog {
        self.shown.extend(names.into_iter().filter(|(shown, _)| !shown.is_empty()));
        self
    }

    /// What an unknown key may have meant: a known key in other letter case (`EQStream`,
    /// `UDP`), or a name the Protocol column shows (`SRUN`, `Kad`).
    pub fn meant(&self, unknown: &str) -> Option<Meant> {
        if let Some(key) = self.entries.keys().find(|k| k.eq_ignore_ascii_case(unknown)) {
            return Some(Meant::Case(key));
        }
        let &(shown, key) = self.shown.iter().find(|(shown, _)| shown.eq_ignore_ascii_case(unknown))?;
        Some(Meant::Shown { shown, key })
    }

    /// The kind a filter compares `key` as, if the key is known.
    pub fn kind(&self, key: &str) -> Option<FieldKind> {
        self.entries.get(key).map(|e| e.kind)
    }

    /// The tree's keys a key stands for: itself for a registered field, the members of an
    /// alias (`udp.port`); `None` for keys computed otherwise (`expert.tag`, `udp.payload`).
    pub fn members(&self, key: &str) -> Option<Vec<&'static str>> {
        match self.entries.get(key)?.source {
            Source::Field(k) => Some(vec![k]),
            Source::Alias(members) => Some(members.to_vec()),
            _ => None,
        }
    }

    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Up to three known keys close to `unknown`: first those of the same protocol (the part
    /// before the first dot), then any within a few edits; nearest first.
    pub(crate) fn suggest(&self, unknown: &str) -> Vec<&'static str> {
        // Edit distance is quadratic; nobody mistypes a 100-character field name.
        if unknown.len() > 100 {
            return Vec::new();
        }
        let protocol = |k: &'static str| k.split('.').next().unwrap_or("");
        let wanted = unknown.split('.').next().unwrap_or("");
        let budget = (unknown.len() / 3).max(2);
        // Keys of another protocol count only within the budget, which most are far outside
        // of: their distance is cut short there.
        let mut scored: Vec<(bool, usize, &'static str)> = self
            .entries
            .keys()
            .filter_map(|&k| {
                let other = protocol(k) != wanted;
                let limit = if other { budget } else { usize::MAX };
                edit_distance_within(unknown, k, limit).map(|dist| (other, dist, k))
            })
            .collect();
        scored.sort_unstable();
        scored.into_iter().take(3).map(|(_, _, k)| k).collect()
    }
}

/// Levenshtein distance over characters, with two rows of memory: for "did you mean" here and
/// in the command line's other suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`, found without finishing the
/// table once no path can stay within the limit (a row's least value only grows).
fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit.saturating_mul(4) {
        // Each edit changes the length by at most one character, four bytes.
        return None;
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// Only the pseudo-fields.
impl Default for Catalog {
    fn default() -> Self {
        Catalog::new(std::iter::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SRC: FieldInfo = FieldInfo::new("udp.srcport", "Source Port", FieldKind::Unsigned, "");
    static DST: FieldInfo = FieldInfo::new("udp.dstport", "Destination Port", FieldKind::Unsigned, "");
    static DUP: FieldInfo = FieldInfo::new("udp.srcport", "Again", FieldKind::String, "");
    static IP_SRC: FieldInfo = FieldInfo::new("ip.src", "Source", FieldKind::Ip, "");

    #[test]
    fn fields_pseudo_fields_and_aliases() {
        let c = Catalog::new([&SRC, &DST, &DUP, &IP_SRC]);
        assert_eq!(c.kind("udp.srcport"), Some(FieldKind::Unsigned));
        assert_eq!(c.kind("udp.port"), Some(FieldKind::Unsigned));
        // ip.dst is unknown, so ip.addr is not offered.
        assert_eq!(c.kind("ip.addr"), None);
        assert_eq!(c.kind("expert.severity"), Some(FieldKind::String));
        assert_eq!(c.kind("expert.group"), Some(FieldKind::String));
        assert_eq!(c.members("expert.group"), None, "not a field of the tree");
        assert_eq!(c.kind("expert"), Some(FieldKind::None));
        assert_eq!(c.kind("_ws.col.info"), Some(FieldKind::String));
        assert_eq!(c.kind("nope"), None);
        assert_eq!(Catalog::default().kind("expert.tag"), Some(FieldKind::String));
    }

    #[test]
    fn what_an_unknown_key_may_have_meant() {
        let c =
            Catalog::new([&SRC, &IP_SRC]).with_shown_names([("SRUN", "heartbeat"), ("", "frame"), ("Kad", "overnet")]);
        assert_eq!(c.meant("UDP.SrcPort"), Some(Meant::Case("udp.srcport")));
        assert_eq!(c.meant("srun"), Some(Meant::Shown { shown: "SRUN", key: "heartbeat" }));
        assert_eq!(c.meant("Kad"), Some(Meant::Shown { shown: "Kad", key: "overnet" }));
        assert_eq!(c.meant(""), None, "an empty column name is no name");
        assert_eq!(c.meant("udp.srcprt"), None);
    }

    #[test]
    fn an_alias_of_its_own_key_widens_the_field() {
        static V4: FieldInfo = FieldInfo::new("ip.version", "Version", FieldKind::Unsigned, "");
        static V6: FieldInfo = FieldInfo::new("ipv6.version", "Version", FieldKind::Unsigned, "");
        let both = Catalog::new([&V4, &V6]);
        assert_eq!(both.members("ip.version"), Some(vec!["ip.version", "ipv6.version"]));
        assert_eq!(both.members("ipv6.version"), Some(vec!["ipv6.version"]));
        assert_eq!(Catalog::new([&V4]).members("ip.version"), Some(vec!["ip.version"]));
        assert_eq!(alias_members("udp.port"), Some(&["udp.srcport", "udp.dstport"][..]));
        assert_eq!(alias_members("udp.srcport"), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("udp.port", "udp.port"), 0);
        for (a, b) in [("kitten", "sitting"), ("udp.srcprt", "udp.srcport"), ("", "abc"), ("ab", "ba"), ("é.x", "e.x")]
        {
            let d = edit_distance(a, b);
            for limit in 0..6 {
                assert_eq!(edit_distance_within(a, b, limit), Some(d).filter(|&d| d <= limit), "{a} {b} {limit}");
            }
        }
    }

    #[test]
    fn suggestions_prefer_the_same_protocol() {
        let c = Catalog::new([&SRC, &DST, &IP_SRC]);
        assert_eq!(c.suggest("udp.srcprt"), vec!["udp.srcport", "udp.dstport", "udp.port"]);
        assert_eq!(c.suggest("ip.srd"), vec!["ip.src"]);
        assert_eq!(c.suggest("ipp.src"), vec!["ip.src"]);
        assert!(c.suggest("zzzzzzzz").is_empty());
    }
}
