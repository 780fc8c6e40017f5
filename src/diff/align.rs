//! Aligning two message sequences (Needleman–Wunsch with free gaps): the pairing with the
//! highest total score, so one missing or extra message leaves the rest paired. Only pairs the
//! score allows can be made (the diff allows those of the same message type), and the table is
//! a diagonal band of ±`band` cells around the line from (0,0) to (n,m): time and memory grow
//! with `(n + m) · band`, not `n · m`.

/// One step of an alignment, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `a[i]` paired with `b[j]`.
    Pair(usize, usize),
    /// `a[i]` has no partner.
    OnlyA(usize),
    /// `b[j]` has no partner.
    OnlyB(usize),
}

/// Default half-width of the band: a run of up to this many extra messages on one side (beyond
/// the difference in length) is still aligned exactly.
pub const BAND: usize = 256;

const NONE: i64 = i64::MIN / 4;
const DIAG: u8 = 0;
const UP: u8 = 1;
const LEFT: u8 = 2;

/// The columns of row `i` inside the band: `lo..=hi`, from the line's column at row `i - 1`
/// to the one at row `i + 1`, widened by `band`, so a step between rows always stays inside.
fn row_range(i: usize, n: usize, m: usize, band: usize) -> (usize, usize) {
    let lo = (i.saturating_sub(1) * m / n).saturating_sub(band);
    let hi = ((i + 1) * m).div_ceil(n).saturating_add(band).min(m);
    (lo, hi)
}

/// Aligns `n` items with `m` items. `score(i, j)` is the gain of pairing `a[i]` with `b[j]`
/// (`None`: they cannot be paired); leaving an item unpaired gains nothing. Among equal
/// alignments, unpaired items of `a` come before those of `b`.
pub fn align(n: usize, m: usize, band: usize, score: impl Fn(usize, usize) -> Option<i64>) -> Vec<Step> {
    if n == 0 || m == 0 {
        return (0..n).map(Step::OnlyA).chain((0..m).map(Step::OnlyB)).collect();
    }
    let ranges: Vec<(usize, usize)> = (0..=n).map(|i| row_range(i, n, m, band)).collect();
    let mut starts = Vec::with_capacity(n + 2);
    let mut total = 0;
    for &(lo, hi) in &ranges {
        starts.push(total);
        total += hi - lo + 1;
    }
    let mut trace = vec![0u8; total];
    let mut prev: Vec<i64> = Vec::new();
    let mut cur: Vec<i64> = Vec::new();
    for (i, &(lo, hi)) in ranges.iter().enumerate() {
        cur.clear();
        let above = i.checked_sub(1).map(|p| ranges[p]);
        let get_prev = |j: usize| match above {
            Some((plo, phi)) if (plo..=phi).contains(&j) => prev[j - plo],
            _ => NONE,
        };
        for j in lo..=hi {
            let (mut best, mut how) = if i == 0 && j == 0 { (0, DIAG) } else { (NONE, DIAG) };
            if i > 0 && j > 0 {
                let diagonal = get_prev(j - 1);
                if diagonal > NONE {
                    if let Some(s) = score(i - 1, j - 1) {
                        best = diagonal + s;
                    }
                }
            }
            // Checked before `up`: on a tie the traceback (from the end) takes `b`'s item
            // first, so in order `a`'s unpaired items come before `b`'s.
            let left = if j > lo { cur[j - 1 - lo] } else { NONE };
            if left > best {
                (best, how) = (left, LEFT);
            }
            let up = if i > 0 { get_prev(j) } else { NONE };
            if up > best {
                (best, how) = (up, UP);
            }
            cur.push(best);
            trace[starts[i] + j - lo] = how;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let how = if i == 0 {
            LEFT
        } else if j == 0 {
            UP
        } else {
            trace[starts[i] + j - ranges[i].0]
        };
        match how {
            DIAG => {
                steps.push(Step::Pair(i - 1, j - 1));
                i -= 1;
                j -= 1;
            }
            UP => {
                steps.push(Step::OnlyA(i - 1));
                i -= 1;
            }
            _ => {
                steps.push(Step::OnlyB(j - 1));
                j -= 1;
            }
        }
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Aligns two strings letter by letter (equal letters pair, gaining 1).
    fn letters(a: &str, b: &str, band: usize) -> Vec<Step> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        align(a.len(), b.len(), band, |i, j| (a[i] == b[j]).then_some(1))
    }

    fn pairs(steps: &[Step]) -> usize {
        steps.iter().filter(|s| matches!(s, Step::Pair(..))).count()
    }

    #[test]
    fn one_extra_item_in_the_middle_leaves_the_rest_paired() {
        use Step::*;
        let steps = letters("abcd", "abXcd", BAND);
        assert_eq!(steps, [Pair(0, 0), Pair(1, 1), OnlyB(2), Pair(2, 3), Pair(3, 4)]);
        let steps = letters("abXcd", "abcd", BAND);
        assert_eq!(steps, [Pair(0, 0), Pair(1, 1), OnlyA(2), Pair(3, 2), Pair(4, 3)]);
    }

    #[test]
    fn items_that_cannot_pair_are_left_unpaired() {
        use Step::*;
        assert_eq!(letters("ab", "cd", BAND), [OnlyA(0), OnlyA(1), OnlyB(0), OnlyB(1)]);
        assert_eq!(letters("", "ab", BAND), [OnlyB(0), OnlyB(1)]);
        assert_eq!(letters("a", "", BAND), [OnlyA(0)]);
        assert_eq!(letters("", "", BAND), []);
    }

    #[test]
    fn the_score_chooses_between_equally_long_alignments() {
        // a = [x, x], b = [x, x, x]: a[0] is most like b[0], a[1] like b[2].
        let steps = align(2, 3, BAND, |i, j| {
            Some(match (i, j) {
                (0, 0) => 2,
                (1, 2) => 5,
                _ => 1,
            })
        });
        assert_eq!(steps, [Step::Pair(0, 0), Step::OnlyB(1), Step::Pair(1, 2)]);
    }

    #[test]
    fn every_item_appears_once_in_order() {
        let a = "rqrqrqrqxrqrqrrq".repeat(20);
        let b = "rqrqqrqrqrqrqrqrqy".repeat(18);
        let steps = letters(&a, &b, 16);
        let ai: Vec<usize> = steps
            .iter()
            .filter_map(|s| if let Step::Pair(i, _) | Step::OnlyA(i) = s { Some(*i) } else { None })
            .collect();
        let bj: Vec<usize> = steps
            .iter()
            .filter_map(|s| if let Step::Pair(_, j) | Step::OnlyB(j) = s { Some(*j) } else { None })
            .collect();
        assert_eq!(ai, (0..a.len()).collect::<Vec<_>>());
        assert_eq!(bj, (0..b.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_narrow_band_still_finds_a_shifted_alignment_within_it() {
        let a = "ab".repeat(500);
        let b = format!("ab{}", "ab".repeat(500));
        let steps = letters(&a, &b, 4);
        assert_eq!(pairs(&steps), 1000);
        assert_eq!(steps.len(), 1002);
    }

    #[test]
    fn very_different_lengths_stay_bounded_and_correct() {
        let a = "q";
        let b = format!("{}q{}", "r".repeat(5000), "r".repeat(5000));
        let steps = letters(a, &b, 8);
        assert!(steps.contains(&Step::Pair(0, 5000)));
        assert_eq!(steps.len(), 10_001);
    }
}
