//! The `proto` table: frames and bytes per protocol column and message type.

use super::table::{Rows, StatTable, Val};
use crate::render::FrameView;
use rustc_hash::FxHashMap;

/// Keyed by static names the dissectors and layers choose, so the map stays small; hashed per
/// frame, sorted by name once for the table.
#[derive(Debug, Default)]
pub struct Messages {
    counts: FxHashMap<(&'static str, &'static str), (u64, u64)>,
}

impl Messages {
    pub fn add(&mut self, v: &FrameView) {
        let c = self.counts.entry((v.out.protocol, v.out.message)).or_default();
        c.0 += 1;
        c.1 += u64::from(v.frame.orig_len);
    }

    pub fn table(&self) -> StatTable<'static> {
        let mut t = StatTable::new("proto", "Message types per protocol", &["protocol", "message", "frames", "bytes"]);
        let dash = |s: &str| Val::text(if s.is_empty() { "-" } else { s });
        let mut counts: Vec<_> = self.counts.iter().collect();
        counts.sort_unstable_by_key(|&(&key, _)| key);
        t.rows = Rows::Built(
            counts
                .into_iter()
                .map(|(&(p, m), &(frames, bytes))| vec![dash(p), dash(m), Val::UInt(frames), Val::UInt(bytes)])
                .collect(),
        );
        t
    }
}
