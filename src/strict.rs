//! `--strict`: watches the findings of every frame shown (and the end of capture) so the
//! command can exit 1 after printing everything, for CI jobs that gate on findings.

use crate::render::{FrameView, Sink};
use std::io;
use udpdissect_core::{Dissection, Expert, Severity};

/// A sink that prints nothing and remembers the findings at or above a severity.
pub struct SeverityWatch {
    threshold: Severity,
    count: u64,
    /// The first such finding: (tag, frame number; `None` at the end of the capture).
    first: Option<(&'static str, Option<u64>)>,
}

impl SeverityWatch {
    pub fn new(threshold: Severity) -> Self {
        SeverityWatch { threshold, count: 0, first: None }
    }

    fn see(&mut self, experts: &[Expert], frame: Option<u64>) {
        for e in experts.iter().filter(|e| e.severity() >= self.threshold) {
            self.count += 1;
            self.first.get_or_insert((e.tag(), frame));
        }
    }

    /// Why the run fails, for standard error; `None` when nothing reached the threshold.
    pub fn verdict(&self) -> Option<String> {
        let (tag, frame) = self.first?;
        let at = match frame {
            Some(n) => format!("frame {n}"),
            None => "the end-of-capture findings".to_string(),
        };
        let plural = if self.count == 1 { "" } else { "s" };
        let level = match self.threshold {
            Severity::Error => "error".to_string(),
            other => format!("{} or worse", other.name()),
        };
        Some(format!("--strict: {} finding{plural} of severity {level}; the first is {tag} in {at}", self.count))
    }
}

impl Sink for SeverityWatch {
    fn frame(&mut self, v: &FrameView) -> io::Result<()> {
        // The summary line's colour already needs the maximum: a cheap test on clean frames.
        if v.out.max_severity().is_some_and(|s| s >= self.threshold) {
            self.see(v.out.experts(), Some(v.frame.number));
        }
        Ok(())
    }

    fn finish(&mut self, end: &Dissection) -> io::Result<()> {
        self.see(end.experts(), None);
        Ok(())
    }
}
