//! Compares an expected file with the actual decode, frame block by frame block, and words
//! the differences for a CI log: which frames differ, the lines only one side has, and the
//! expert errors that are new (the regressions people most need to see).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// Which part of an expected file a block is; the order is the file's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Header,
    Frame(u64),
    End,
    Error,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Header => f.write_str("header"),
            Part::Frame(n) => write!(f, "frame {n}"),
            Part::End => f.write_str("end of capture"),
            Part::Error => f.write_str("capture error"),
        }
    }
}

/// One part that differs: its lines only in the expected file (`-`) or only in the actual
/// decode (`+`), in file order.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference<'a> {
    pub part: Part,
    pub lines: Vec<(char, &'a str)>,
    /// The whole part is on one side only: a frame that is missing (`-`) or new (`+`).
    pub only: Option<char>,
}

#[derive(Debug, Default)]
pub struct Report<'a> {
    pub differences: Vec<Difference<'a>>,
    /// Findings of severity error the actual decode has and the expected file has not:
    /// (tag, where).
    pub new_errors: Vec<(&'a str, Part)>,
}

/// Frame blocks shown in full; the rest are only counted, to keep CI logs readable.
const SHOWN_FRAMES: usize = 3;
/// Lines shown per part (a frame can hold thousands of fields).
const SHOWN_LINES: usize = 40;
/// New expert errors listed one by one.
const SHOWN_ERRORS: usize = 10;
/// Largest line-diff table (cells); bigger blocks are shown as all removed, all added.
const MAX_TABLE: usize = 4 << 20;

/// Groups an expected file's lines by part. Blank lines are ignored and `\r\n` is accepted,
/// so a checkout that rewrote line endings still passes.
fn blocks(text: &str) -> BTreeMap<Part, Vec<&str>> {
    let mut map: BTreeMap<Part, Vec<&str>> = BTreeMap::new();
    let mut part = Part::Header;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            part = if line.starts_with('#') {
                Part::Header
            } else if line == "end of capture" {
                Part::End
            } else if line.starts_with("error:") {
                Part::Error
            } else {
                // A frame's header line starts with its number; anything else stays in the
                // block before it and shows up in that block's diff.
                line.split(' ').next().and_then(|n| n.parse().ok()).map_or(part, Part::Frame)
            };
        }
        map.entry(part).or_default().push(line);
    }
    map
}

/// Tags of the severity-error findings in a block, with their counts.
fn error_tags<'a>(lines: &[&'a str]) -> BTreeMap<&'a str, usize> {
    let mut tags = BTreeMap::new();
    for line in lines {
        if let Some(rest) = line.trim_start().strip_prefix("! error ") {
            let tag = rest.split(':').next().unwrap_or(rest);
            *tags.entry(tag).or_insert(0) += 1;
        }
    }
    tags
}

/// The lines only `a` has (`-`) and only `b` has (`+`), in order: a longest-common-subsequence
/// diff of what remains after the common head and tail.
fn line_diff<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(char, &'a str)> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let (n, m) = (a.len(), b.len());
    let mut out = Vec::with_capacity(n + m);
    if (n + 1).saturating_mul(m + 1) > MAX_TABLE {
        out.extend(a.iter().map(|l| ('-', *l)));
        out.extend(b.iter().map(|l| ('+', *l)));
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] =
                if a[i] == b[j] { lcs[(i + 1) * w + j + 1] + 1 } else { lcs[(i + 1) * w + j].max(lcs[i * w + j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            out.push(('-', a[i]));
            i += 1;
        } else {
            out.push(('+', b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| ('-', *l)));
    out.extend(b[j..].iter().map(|l| ('+', *l)));
    out
}

/// Compares the expected file's text with the actual decode's; an empty report means they
/// agree.
pub fn compare<'a>(expected: &'a str, actual: &'a str) -> Report<'a> {
    let (want, got) = (blocks(expected), blocks(actual));
    let mut parts: Vec<Part> = want.keys().chain(got.keys()).copied().collect();
    parts.sort();
    parts.dedup();
    let mut report = Report::default();
    for part in parts {
        let a = want.get(&part).map_or(&[][..], Vec::as_slice);
        let b = got.get(&part).map_or(&[][..], Vec::as_slice);
        if a == b {
            continue;
        }
        let known = error_tags(a);
        for (tag, count) in error_tags(b) {
            if count > known.get(tag).copied().unwrap_or(0) {
                report.new_errors.push((tag, part));
            }
        }
        let only = match (a.is_empty(), b.is_empty()) {
            (false, true) => Some('-'),
            (true, false) => Some('+'),
            _ => None,
        };
        report.differences.push(Difference { part, lines: line_diff(a, b), only });
    }
    report
}

impl Report<'_> {
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }

    fn frames(&self) -> usize {
        self.differences.iter().filter(|d| matches!(d.part, Part::Frame(_))).count()
    }

    /// The report as indented lines under a capture's FAIL line: new expert errors first,
    /// then the first differing frames and every other differing part, then the count.
    pub fn render(&self, s: &mut String) {
        for (tag, part) in self.new_errors.iter().take(SHOWN_ERRORS) {
            match part {
                Part::End => {
                    let _ = writeln!(s, "  new expert error {tag} at end of capture");
                }
                _ => {
                    let _ = writeln!(s, "  new expert error {tag} in {part}");
                }
            }
        }
        if self.new_errors.len() > SHOWN_ERRORS {
            let _ = writeln!(s, "  … and {} more new expert errors", self.new_errors.len() - SHOWN_ERRORS);
        }
        let mut frames_shown = 0;
        for d in &self.differences {
            if matches!(d.part, Part::Frame(_)) {
                if frames_shown == SHOWN_FRAMES {
                    continue;
                }
                frames_shown += 1;
            }
            let _ = writeln!(s, "  {}:", d.part);
            // A frame on one side only: its first line says which, its fields add nothing.
            if let (Some(sign), Part::Frame(_), [(_, line), _, ..]) = (d.only, d.part, &d.lines[..]) {
                let side = if sign == '-' { "expected file" } else { "actual decode" };
                let _ = writeln!(s, "    {sign} {line}");
                let _ = writeln!(s, "    (the whole frame, {} more lines, is only in the {side})", d.lines.len() - 1);
                continue;
            }
            for (sign, line) in d.lines.iter().take(SHOWN_LINES) {
                let _ = writeln!(s, "    {sign} {}", line.trim_start());
            }
            if d.lines.len() > SHOWN_LINES {
                let _ = writeln!(s, "    … {} more lines", d.lines.len() - SHOWN_LINES);
            }
        }
        let frames = self.frames();
        let _ = write!(s, "  {frames} differing frame{}", if frames == 1 { "" } else { "s" });
        if frames > frames_shown {
            let _ = write!(s, " ({} not shown)", frames - frames_shown);
        }
        for d in self.differences.iter().filter(|d| !matches!(d.part, Part::Frame(_))) {
            let _ = write!(s, "; {} differs", d.part);
        }
        s.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECTED: &str = "# udpdissect regress v1: x.pcap\n\
        1 t=1.000000000 SRUN Beat\n  heartbeat.uid = 5\n  heartbeat.type = 0\n\
        2 t=2.000000000 SRUN Reply\n  heartbeat.uid = 5\n\
        end of capture\n  ! warn heartbeat.no_reply: none\n";

    #[test]
    fn equal_texts_have_an_empty_report() {
        assert!(compare(EXPECTED, EXPECTED).is_empty());
        assert!(compare(EXPECTED, &EXPECTED.replace('\n', "\r\n")).is_empty());
    }

    #[test]
    fn a_changed_value_is_one_removed_and_one_added_line_in_its_frame() {
        let actual = EXPECTED.replacen("heartbeat.uid = 5", "heartbeat.uid = 6", 1);
        let r = compare(EXPECTED, &actual);
        assert_eq!(
            r.differences,
            vec![Difference {
                part: Part::Frame(1),
                lines: vec![('-', "  heartbeat.uid = 5"), ('+', "  heartbeat.uid = 6")],
                only: None,
            }]
        );
        let mut s = String::new();
        r.render(&mut s);
        assert_eq!(s, "  frame 1:\n    - heartbeat.uid = 5\n    + heartbeat.uid = 6\n  1 differing frame\n");
    }

    #[test]
    fn a_new_error_finding_is_named_with_its_frame() {
        let actual =
            EXPECTED.replace("  heartbeat.uid = 5\nend", "  heartbeat.uid = 5\n  ! error heartbeat.bad_length: x\nend");
        let r = compare(EXPECTED, &actual);
        assert_eq!(r.new_errors, vec![("heartbeat.bad_length", Part::Frame(2))]);
        let mut s = String::new();
        r.render(&mut s);
        assert!(s.starts_with("  new expert error heartbeat.bad_length in frame 2\n"), "{s}");
    }

    #[test]
    fn missing_frames_and_damage_are_differences() {
        let actual = "# udpdissect regress v1: x.pcap\n1 t=1.000000000 SRUN Beat\n  heartbeat.uid = 5\n  \
            heartbeat.type = 0\nerror: frame 2 at byte offset 80: cut\n";
        let r = compare(EXPECTED, actual);
        let parts: Vec<Part> = r.differences.iter().map(|d| d.part).collect();
        assert_eq!(parts, vec![Part::Frame(2), Part::End, Part::Error]);
        let mut s = String::new();
        r.render(&mut s);
        assert!(s.contains("  frame 2:\n    - 2 t=2.000000000 SRUN Reply\n    (the whole frame, 1 more lines, is only in the expected file)\n"), "{s}");
        assert!(s.ends_with("  1 differing frame; end of capture differs; capture error differs\n"), "{s}");
    }

    #[test]
    fn only_three_frames_are_shown() {
        let mut a = String::from("# h\n");
        let mut b = a.clone();
        for n in 1..=5 {
            a.push_str(&format!("{n} t=- P\n  k = 1\n"));
            b.push_str(&format!("{n} t=- P\n  k = 2\n"));
        }
        let mut s = String::new();
        compare(&a, &b).render(&mut s);
        assert_eq!(s.matches(":\n").count(), 3, "{s}");
        assert!(s.ends_with("5 differing frames (2 not shown)\n"), "{s}");
    }

    #[test]
    fn line_diff_keeps_order_and_common_lines() {
        let a = ["x", "a", "b", "c", "y"];
        let b = ["x", "a", "B", "c", "d", "y"];
        assert_eq!(line_diff(&a, &b), vec![('-', "b"), ('+', "B"), ('+', "d")]);
    }
}
