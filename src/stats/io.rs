//! The `io,N` table: frames, bytes and findings per interval of N seconds from the first frame,
//! and the columns `io,stat,N,COLUMN,...` adds.

use super::io_column::{Acc, IoColumn};
use super::selection::{seconds_name, Interval};
use super::table::{StatTable, Val};
use crate::render::FrameView;

/// Most intervals a fixed `io,N` table lists; frames past them are only counted. With
/// `io,stat` columns the bound is divided by one more than their number, so that the table's
/// memory stays about the same however many columns it has.
pub const MAX_INTERVALS: usize = 100_000;
/// Most rows of the automatic interval: it widens to stay within this.
pub const AUTO_ROWS: usize = 30;
/// Widths the automatic interval steps through (seconds), each a multiple of the one before;
/// past the last it doubles.
const LADDER: [i64; 13] = [1, 2, 10, 20, 60, 120, 600, 1200, 3600, 7200, 21_600, 86_400, 604_800];
const NS: i64 = 1_000_000_000;

#[derive(Debug, Default, Clone)]
struct Bucket {
    frames: u64,
    bytes: u64,
    findings: u64,
    /// One per column (none without columns: no allocation per interval).
    cols: Vec<Acc>,
}

impl Bucket {
    fn merge(&mut self, o: &Bucket) {
        self.frames += o.frames;
        self.bytes += o.bytes;
        self.findings += o.findings;
        for (a, b) in self.cols.iter_mut().zip(&o.cols) {
            a.merge(b);
        }
    }
}

#[derive(Debug)]
pub struct IoStats {
    auto: bool,
    /// Interval width in nanoseconds.
    width: i64,
    /// Interval k covers [k·width, (k+1)·width) after the first frame.
    buckets: Vec<Bucket>,
    limit: usize,
    /// Frames past the last interval kept.
    omitted_frames: u64,
    untimed: u64,
    columns: Vec<IoColumn>,
}

impl IoStats {
    pub fn new(interval: Interval, columns: Vec<IoColumn>) -> IoStats {
        let (auto, width, limit) = match interval {
            Interval::Fixed(ns) => (false, ns.max(1), MAX_INTERVALS / (1 + columns.len())),
            Interval::Auto => (true, LADDER[0] * NS, AUTO_ROWS),
        };
        IoStats { auto, width, buckets: Vec::new(), limit, omitted_frames: 0, untimed: 0, columns }
    }

    pub fn has_columns(&self) -> bool {
        !self.columns.is_empty()
    }

    /// The keys the columns read.
    pub fn keys(&self) -> Vec<&str> {
        self.columns.iter().flat_map(IoColumn::keys).collect()
    }

    fn empty_bucket(&self) -> Bucket {
        Bucket { cols: vec![Acc::default(); self.columns.len()], ..Bucket::default() }
    }

    pub fn add(&mut self, v: &FrameView) {
        if !v.frame.has_ts {
            self.untimed += 1;
            return;
        }
        // Earlier than the first frame (out of order): counted in the first interval.
        let rel = v.rel_ns.max(0);
        let mut k = rel / self.width;
        while self.auto && k >= self.limit as i64 {
            self.widen();
            k = rel / self.width;
        }
        let Ok(k) = usize::try_from(k) else {
            self.omitted_frames += 1;
            return;
        };
        if k >= self.limit {
            self.omitted_frames += 1;
            return;
        }
        if self.buckets.len() <= k {
            let empty = self.empty_bucket();
            self.buckets.resize(k + 1, empty);
        }
        let b = &mut self.buckets[k];
        b.frames += 1;
        b.bytes += u64::from(v.frame.orig_len);
        b.findings += v.out.experts().len() as u64;
        for (column, acc) in self.columns.iter().zip(&mut b.cols) {
            column.add(v, acc);
        }
    }

    /// The next automatic width, merging the intervals kept so far.
    fn widen(&mut self) {
        let next = LADDER.iter().map(|s| s * NS).find(|&w| w > self.width).unwrap_or(self.width.saturating_mul(2));
        let factor = (next / self.width).max(1) as usize;
        self.width = next;
        let mut merged = vec![self.empty_bucket(); self.buckets.len().div_ceil(factor)];
        for (i, b) in self.buckets.iter().enumerate() {
            merged[i / factor].merge(b);
        }
        self.buckets = merged;
    }

    pub fn name(&self) -> String {
        let mut name = if self.auto { "io".to_string() } else { format!("io,{}", seconds_name(self.width)) };
        for c in &self.columns {
            name.push(',');
            name.push_str(c.text());
        }
        name
    }

    pub fn table(&self) -> StatTable<'_> {
        let secs = seconds_name(self.width);
        let title = if self.auto {
            format!("I/O statistics, {secs} s intervals (chosen automatically)")
        } else {
            format!("I/O statistics, {secs} s intervals")
        };
        let mut headers: Vec<String> = ["start", "end", "frames", "bytes", "findings"].map(String::from).to_vec();
        headers.extend(self.columns.iter().flat_map(IoColumn::headers));
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut t = StatTable::new(self.name(), title, &headers);
        let (width, columns) = (self.width, &self.columns);
        t.on_demand(self.buckets.iter().enumerate().collect(), move |&(k, b): &(usize, &Bucket), row| {
            let start = (k as i64).saturating_mul(width);
            let mut cells = vec![
                Val::Seconds(start),
                Val::Seconds(start.saturating_add(width)),
                Val::UInt(b.frames),
                Val::UInt(b.bytes),
                Val::UInt(b.findings),
            ];
            for (column, acc) in columns.iter().zip(&b.cols) {
                column.cells(acc, &mut cells);
            }
            row(&cells);
        });
        t.omitted = self.omitted_frames;
        if self.omitted_frames > 0 {
            t.notes.push(format!(
                "limit of {} intervals reached: {} later frames not counted",
                self.limit, self.omitted_frames
            ));
        }
        if self.untimed > 0 {
            t.notes.push(format!("{} frames without a timestamp not counted", self.untimed));
        }
        t
    }
}
