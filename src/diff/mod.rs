//! `udpdissect diff OURS THEIRS`: both captures dissected in full, their application-protocol
//! messages aligned per (protocol, direction) by message type, each pair compared field by
//! field, and the differences explained. Rules, report and JSON schema: docs/diff.md.

pub mod align;
pub mod collect;
pub mod compare;
pub mod hints;
pub mod report;

use collect::{Collected, Message};
use compare::{PairDiff, Rules};
use std::collections::BTreeMap;
use udpdissect_core::Direction;

/// Most messages per (protocol, direction) and capture that are aligned; later ones are
/// counted as not compared.
pub const MAX_ALIGNED: usize = 50_000;

/// One side of the comparison: the capture's name and what it gave.
pub struct Capture {
    pub name: String,
    pub got: Collected,
}

/// An aligned pair and its differences (none when equal).
pub struct Pair<'a> {
    pub ours: &'a Message,
    pub theirs: &'a Message,
    pub diff: PairDiff<'a>,
}

/// One row of the summary: a (protocol, direction, message type).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Row {
    pub aligned: u64,
    pub equal: u64,
    pub different: u64,
    pub only_ours: u64,
    pub only_theirs: u64,
}

pub type RowKey = (&'static str, u8, &'static str);

/// Everything the report shows.
pub struct Outcome<'a> {
    pub pairs: Vec<Pair<'a>>,
    pub only_ours: Vec<&'a Message>,
    pub only_theirs: Vec<&'a Message>,
    /// Messages past [`MAX_ALIGNED`] in a stream: (ours, theirs).
    pub not_aligned: (u64, u64),
    pub summary: BTreeMap<RowKey, Row>,
}

impl Outcome<'_> {
    /// No differing field and no message on one side only.
    pub fn equivalent(&self) -> bool {
        self.pairs.iter().all(|p| p.diff.is_equal()) && self.only_ours.is_empty() && self.only_theirs.is_empty()
    }

    pub fn differing_pairs(&self) -> impl Iterator<Item = &Pair<'_>> {
        self.pairs.iter().filter(|p| !p.diff.is_equal())
    }
}

fn dir_index(d: Direction) -> u8 {
    match d {
        Direction::ClientToServer => 0,
        Direction::ServerToClient => 1,
    }
}

pub fn dir_from_index(i: u8) -> Direction {
    if i == 0 {
        Direction::ClientToServer
    } else {
        Direction::ServerToClient
    }
}

/// The messages of each (protocol, direction), in capture order.
fn streams(msgs: &[Message]) -> BTreeMap<(&'static str, u8), Vec<&Message>> {
    let mut map: BTreeMap<(&'static str, u8), Vec<&Message>> = BTreeMap::new();
    for m in msgs {
        map.entry((m.protocol, dir_index(m.direction))).or_default().push(m);
    }
    map
}

/// How much alike two capture times are, 0..=999 (999: the same offset from the capture's
/// first message). Breaks ties between pairings that are alike in every compared field.
fn time_likeness(a: i64, b: i64) -> i64 {
    let ms = (a.abs_diff(b) / 1_000_000).min(1 << 40) as i64;
    999_000 / (1000 + ms)
}

/// Aligns and compares the two captures' messages.
pub fn diff<'a>(ours: &'a Collected, theirs: &'a Collected, rules: &Rules) -> Outcome<'a> {
    let mut out = Outcome {
        pairs: Vec::new(),
        only_ours: Vec::new(),
        only_theirs: Vec::new(),
        not_aligned: (0, 0),
        summary: BTreeMap::new(),
    };
    let (mut a_streams, mut b_streams) = (streams(&ours.messages), streams(&theirs.messages));
    let mut keys: Vec<(&'static str, u8)> = a_streams.keys().chain(b_streams.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let mut a = a_streams.remove(&key).unwrap_or_default();
        let mut b = b_streams.remove(&key).unwrap_or_default();
        out.not_aligned.0 += a.len().saturating_sub(MAX_ALIGNED) as u64;
        out.not_aligned.1 += b.len().saturating_sub(MAX_ALIGNED) as u64;
        a.truncate(MAX_ALIGNED);
        b.truncate(MAX_ALIGNED);
        let fa: Vec<Vec<u64>> = a.iter().map(|m| compare::fingerprint(m, rules)).collect();
        let fb: Vec<Vec<u64>> = b.iter().map(|m| compare::fingerprint(m, rules)).collect();
        let score = |i: usize, j: usize| {
            (a[i].message == b[j].message).then(|| {
                (1 << 40) + compare::similarity(&fa[i], &fb[j]) * 1000 + time_likeness(a[i].rel_ns, b[j].rel_ns)
            })
        };
        for step in align::align(a.len(), b.len(), align::BAND, score) {
            match step {
                align::Step::Pair(i, j) => {
                    let diff = compare::compare(a[i], b[j], rules);
                    let row = out.summary.entry((key.0, key.1, a[i].kind())).or_default();
                    row.aligned += 1;
                    if diff.is_equal() {
                        row.equal += 1;
                    } else {
                        row.different += 1;
                    }
                    out.pairs.push(Pair { ours: a[i], theirs: b[j], diff });
                }
                align::Step::OnlyA(i) => {
                    out.summary.entry((key.0, key.1, a[i].kind())).or_default().only_ours += 1;
                    out.only_ours.push(a[i]);
                }
                align::Step::OnlyB(j) => {
                    out.summary.entry((key.0, key.1, b[j].kind())).or_default().only_theirs += 1;
                    out.only_theirs.push(b[j]);
                }
            }
        }
    }
    out.pairs.sort_by_key(|p| (p.ours.frame, p.theirs.frame));
    out.only_ours.sort_by_key(|m| m.frame);
    out.only_theirs.sort_by_key(|m| m.frame);
    out
}
