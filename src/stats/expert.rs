//! The `expert` table: findings per tag, with the first one's frame and message.

use super::table::{Rows, StatTable, Val};
use std::cmp::Reverse;
use std::collections::HashMap;
use udpdissect_core::{Expert, Severity};

#[derive(Debug, Clone)]
struct TagRow {
    severity: Severity,
    count: u64,
    /// The first finding's frame; `None` for an end-of-capture finding.
    first: Option<u64>,
    message: String,
}

/// Keyed by the static tags the protocols declare, so the map stays small.
#[derive(Debug, Default)]
pub struct ExpertStats {
    tags: HashMap<&'static str, TagRow>,
}

impl ExpertStats {
    /// Findings of frame `frame`, or of the end of the capture (`None`).
    pub fn add(&mut self, frame: Option<u64>, experts: &[Expert]) {
        for e in experts {
            let row = self.tags.entry(e.tag()).or_insert_with(|| TagRow {
                severity: e.severity(),
                count: 0,
                first: frame,
                message: e.message.clone(),
            });
            row.count += 1;
        }
    }

    /// The findings of severity `least` and above.
    pub fn table(&self, least: Severity) -> StatTable<'static> {
        let title = match least {
            Severity::Note => "Expert findings".to_string(),
            s => format!("Expert findings ({} and above)", s.name()),
        };
        let mut t = StatTable::new("expert", title, &["tag", "severity", "count", "first frame", "first message"]);
        let mut rows: Vec<(&&'static str, &TagRow)> = self.tags.iter().filter(|(_, r)| r.severity >= least).collect();
        rows.sort_by_key(|(tag, r)| (Reverse(r.severity), Reverse(r.count), **tag));
        t.rows = Rows::Built(
            rows.into_iter()
                .map(|(tag, r)| {
                    vec![
                        Val::text(*tag),
                        Val::text(r.severity.name()),
                        Val::UInt(r.count),
                        r.first.map_or_else(|| Val::text("end"), Val::UInt),
                        Val::text(r.message.clone()),
                    ]
                })
                .collect(),
        );
        t
    }
}
