//! What is compared (the rules: volatile fields, `--ignore`, `--only`, `--strict`) and the
//! field-by-field comparison of two paired messages, keyed by field key and occurrence.

use super::collect::{FieldRec, Message};
use super::hints::{self, Side};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Which fields count.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Ignore nothing (not even volatile fields).
    pub strict: bool,
    /// When not empty, only these keys (or key prefixes) are compared.
    pub only: Vec<String>,
    /// Keys (or key prefixes) ignored besides the volatile ones.
    pub ignore: Vec<String>,
    /// Each protocol's volatile keys: (protocol name, keys).
    pub volatile: Vec<(&'static str, &'static [&'static str])>,
}

/// `pattern` names `key` itself or a subtree of it (`heartbeat` names `heartbeat.uid`).
pub fn names(pattern: &str, key: &str) -> bool {
    udpdissect_core::key_under(key, pattern)
}

impl Rules {
    pub fn volatile_of(&self, protocol: &str) -> &'static [&'static str] {
        self.volatile.iter().find(|(p, _)| *p == protocol).map_or(&[], |(_, v)| v)
    }

    /// Whether a field's presence is compared (its value may still be volatile).
    pub fn counts_presence(&self, key: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|p| names(p, key)))
            && (self.strict || !self.ignore.iter().any(|p| names(p, key)))
    }

    /// Whether a field of `protocol` is compared.
    pub fn compares(&self, protocol: &str, key: &str) -> bool {
        if !self.only.is_empty() && !self.only.iter().any(|p| names(p, key)) {
            return false;
        }
        // A key named exactly (--only heartbeat.uid) is compared even when volatile.
        if self.strict || self.only.iter().any(|p| p == key) {
            return true;
        }
        !self.volatile_of(protocol).contains(&key) && !self.ignore.iter().any(|p| names(p, key))
    }
}

/// One field that differs between a pair.
#[derive(Debug)]
pub struct FieldDiff<'a> {
    pub key: &'static str,
    pub occurrence: u32,
    pub ours: Option<&'a FieldRec>,
    pub theirs: Option<&'a FieldRec>,
    pub hint: Option<String>,
}

/// A paired message's differences.
#[derive(Debug)]
pub struct PairDiff<'a> {
    pub fields: Vec<FieldDiff<'a>>,
    /// A note on the messages as a whole (their lengths), when no field explains it.
    pub note: Option<String>,
}

impl PairDiff<'_> {
    pub fn is_equal(&self) -> bool {
        self.fields.is_empty() && self.note.is_none()
    }
}

fn same(a: &FieldRec, b: &FieldRec) -> bool {
    if a.value != b.value {
        return false;
    }
    if a.generated || b.generated {
        return true;
    }
    if a.numeric && b.numeric {
        // A number or flag read from a word it shares with other fields (a UDT header's bits):
        // its neighbours' bits are theirs to report. A different width still differs.
        a.bytes.len() == b.bytes.len()
    } else {
        // Text, addresses, opaque bytes: the same value can be encoded differently (UTF-16 or
        // UTF-8, a null or an empty Qt string), which is exactly what a diff is for.
        a.bytes == b.bytes
    }
}

/// Whether `f` ends its message and `other` ends before `f` starts: a field missing at the end.
fn missing_at_end(f: &FieldRec, m: &Message, other: &Message) -> bool {
    f.payload_offset
        .is_some_and(|o| o as usize + f.len as usize >= m.payload.len() && o as usize >= other.payload.len())
}

fn side(f: &FieldRec) -> Side<'_> {
    Side { bytes: &f.bytes, value: &f.value }
}

/// Compares two messages of the same protocol field by field. A field read from bytes that
/// only one has is a difference even when its value is volatile: its presence is not.
pub fn compare<'a>(ours: &'a Message, theirs: &'a Message, rules: &Rules) -> PairDiff<'a> {
    // Generated volatile fields come and go with capture state (a session's first beat has no
    // interval): neither their value nor their presence counts.
    let present = |m: &'a Message| {
        m.fields.iter().filter(|f| rules.counts_presence(f.key) && (!f.generated || rules.compares(m.protocol, f.key)))
    };
    let find = |m: &'a Message, f: &FieldRec| present(m).find(|g| g.key == f.key && g.occurrence == f.occurrence);
    let mut fields = Vec::new();
    let mut at_end = false;
    for a in present(ours) {
        let b = find(theirs, a);
        let hint = match b {
            Some(b) if same(a, b) || !rules.compares(ours.protocol, a.key) => continue,
            Some(b) => hints::both(a.key, side(a), side(b)),
            None => {
                let end = missing_at_end(a, ours, theirs);
                at_end |= end;
                hints::one_side(a.key, "ours", side(a), end)
            }
        };
        fields.push(FieldDiff { key: a.key, occurrence: a.occurrence, ours: Some(a), theirs: b, hint });
    }
    for b in present(theirs) {
        if find(ours, b).is_none() {
            let end = missing_at_end(b, theirs, ours);
            at_end |= end;
            let hint = hints::one_side(b.key, "theirs", side(b), end);
            fields.push(FieldDiff { key: b.key, occurrence: b.occurrence, ours: None, theirs: Some(b), hint });
        }
    }
    // Messages of different lengths differ, whatever their fields say (undecoded bytes), unless
    // a field missing at the end says it already or --only narrows the comparison.
    let note = if at_end || !rules.only.is_empty() {
        None
    } else {
        hints::message_length(ours.payload.len(), theirs.payload.len())
    };
    PairDiff { fields, note }
}

/// A fingerprint of each compared field (key, occurrence, bytes, value), sorted: two messages'
/// similarity is how many they share. Used to choose between pairings of the same length.
pub fn fingerprint(m: &Message, rules: &Rules) -> Vec<u64> {
    let mut v: Vec<u64> = m
        .fields
        .iter()
        .filter(|f| rules.compares(m.protocol, f.key))
        .map(|f| {
            let mut h = DefaultHasher::new();
            (f.key, f.occurrence, &f.bytes, &f.value).hash(&mut h);
            h.finish()
        })
        .collect();
    let mut h = DefaultHasher::new();
    m.payload.len().hash(&mut h);
    v.push(h.finish());
    v.sort_unstable();
    v
}

/// Shared fingerprints per thousand (1000: alike in everything compared).
pub fn similarity(a: &[u64], b: &[u64]) -> i64 {
    let (mut i, mut j, mut common) = (0, 0, 0i64);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let most = a.len().max(b.len()) as i64;
    if most == 0 {
        1000
    } else {
        common * 1000 / most
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use udpdissect_core::Direction;

    fn field(key: &'static str, bytes: &[u8], value: &str, at: u32) -> FieldRec {
        FieldRec {
            key,
            occurrence: 0,
            value: value.into(),
            display: None,
            bytes: bytes.to_vec(),
            offset: 42 + at,
            len: bytes.len() as u32,
            source: None,
            payload_offset: Some(at),
            generated: false,
            numeric: false,
        }
    }

    fn msg(payload: &[u8], fields: Vec<FieldRec>) -> Message {
        Message {
            frame: 1,
            rel_ns: 0,
            protocol: "heartbeat",
            message: "request",
            direction: Direction::ClientToServer,
            payload: payload.to_vec(),
            fields,
        }
    }

    fn rules() -> Rules {
        Rules { volatile: vec![("heartbeat", &["heartbeat.uid"])], ..Default::default() }
    }

    #[test]
    fn rules_volatile_ignore_only_strict() {
        let mut r = rules();
        assert!(!r.compares("heartbeat", "heartbeat.uid"));
        assert!(r.compares("heartbeat", "heartbeat.padding"));
        r.ignore.push("heartbeat.padding".into());
        assert!(!r.compares("heartbeat", "heartbeat.padding"));
        r.strict = true;
        assert!(r.compares("heartbeat", "heartbeat.uid") && r.compares("heartbeat", "heartbeat.padding"));
        r.only.push("heartbeat.uid".into());
        assert!(r.compares("heartbeat", "heartbeat.uid") && !r.compares("heartbeat", "heartbeat.padding"));
        // Named exactly, a volatile key is compared without --strict; under a prefix it is not.
        r.strict = false;
        assert!(r.compares("heartbeat", "heartbeat.uid"));
        r.only = vec!["heartbeat".into()];
        assert!(!r.compares("heartbeat", "heartbeat.uid") && r.compares("heartbeat", "heartbeat.status"));
        assert!(names("heartbeat", "heartbeat.uid") && !names("heartbeat.u", "heartbeat.uid"));
    }

    #[test]
    fn a_trailing_byte_in_ours_is_one_difference_with_a_hint() {
        let a = msg(
            &[1, 2, 3, 4, 5, 6, 7, 8, 9],
            vec![field("heartbeat.uid", &[1, 2, 3, 4, 5, 6, 7, 8], "1", 0), field("heartbeat.trailing", &[9], "09", 8)],
        );
        let b = msg(&[8, 2, 3, 4, 5, 6, 7, 8], vec![field("heartbeat.uid", &[8, 2, 3, 4, 5, 6, 7, 8], "2", 0)]);
        let d = compare(&a, &b, &rules());
        assert_eq!(d.fields.len(), 1);
        assert_eq!(d.fields[0].key, "heartbeat.trailing");
        assert!(d.fields[0].theirs.is_none());
        assert!(d.fields[0].hint.as_deref().unwrap().starts_with("field missing at the end: ours has 1 more byte"));
        assert!(d.note.is_none());
    }

    #[test]
    fn a_short_message_misses_a_volatile_field_and_is_not_missing_at_the_end() {
        // Ours: a 3-byte beat (no UID, all trailing); theirs: a normal beat.
        let a = msg(&[1, 2, 3], vec![field("heartbeat.trailing", &[1, 2, 3], "010203", 0)]);
        let b = msg(&[0; 8], vec![field("heartbeat.uid", &[0; 8], "0", 0)]);
        let d = compare(&a, &b, &rules());
        let keys: Vec<_> = d.fields.iter().map(|f| (f.key, f.ours.is_some())).collect();
        assert_eq!(keys, [("heartbeat.trailing", true), ("heartbeat.uid", false)]);
        assert!(d.fields[0].hint.as_deref().unwrap().starts_with("heartbeat.trailing is only in ours"));
        assert_eq!(
            d.note.as_deref(),
            Some("the messages differ in length: ours 3 bytes, theirs 8: theirs has 5 more bytes")
        );
    }

    #[test]
    fn equal_messages_and_an_unexplained_length_difference() {
        let a = msg(&[0; 8], vec![field("heartbeat.uid", &[0; 8], "0", 0)]);
        assert!(compare(&a, &a.clone(), &rules()).is_equal());
        let b = msg(&[0; 10], vec![field("heartbeat.uid", &[0; 8], "0", 0)]);
        let d = compare(&a, &b, &rules());
        assert!(d.fields.is_empty());
        assert_eq!(
            d.note.as_deref(),
            Some("the messages differ in length: ours 8 bytes, theirs 10: theirs has 2 more bytes")
        );
    }

    #[test]
    fn similarity_counts_shared_fields() {
        let r = rules();
        let a = msg(&[0; 16], vec![field("heartbeat.padding", &[0; 8], "0", 8)]);
        let b = msg(&[0; 16], vec![field("heartbeat.padding", &[1; 8], "1", 8)]);
        assert_eq!(similarity(&fingerprint(&a, &r), &fingerprint(&a, &r)), 1000);
        assert_eq!(similarity(&fingerprint(&a, &r), &fingerprint(&b, &r)), 500);
        assert_eq!(similarity(&[], &[]), 1000);
    }
}
