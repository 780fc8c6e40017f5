//! The `proto` table: frames and bytes per protocol column and message type.

use super::name::Name;
use super::table::{Rows, StatTable, Val};
use crate::render::FrameView;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Keyed by static names the dissectors and layers choose, so the map stays small; hashed per
/// frame by where the names are, merged and sorted by their text once for the table.
#[derive(Debug, Default)]
pub struct Messages {
    counts: FxHashMap<(Name, Name), (u64, u64)>,
}

impl Messages {
    pub fn add(&mut self, v: &FrameView) {
        let c = self.counts.entry((Name(v.out.protocol), Name(v.out.message))).or_default();
        c.0 += 1;
        c.1 += u64::from(v.frame.orig_len);
    }

    pub fn table(&self) -> StatTable<'static> {
        let mut t = StatTable::new("proto", "Message types per protocol", &["protocol", "message", "frames", "bytes"]);
        let dash = |s: &str| Val::text(if s.is_empty() { "-" } else { s });
        let mut counts: BTreeMap<(&str, &str), (u64, u64)> = BTreeMap::new();
        for (&(p, m), &(frames, bytes)) in &self.counts {
            let c = counts.entry((p.0, m.0)).or_default();
            c.0 += frames;
            c.1 += bytes;
        }
        t.rows = Rows::Built(
            counts
                .into_iter()
                .map(|((p, m), (frames, bytes))| vec![dash(p), dash(m), Val::UInt(frames), Val::UInt(bytes)])
                .collect(),
        );
        t
    }
}
