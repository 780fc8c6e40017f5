//! `regress --junit FILE`: the run as a JUnit XML report, the format CI services read test
//! results from (GitLab's `artifacts:reports:junit`, Jenkins, GitHub test reporters): one
//! testsuite, a testcase per capture named by its path, a failure per capture that failed with
//! the same explanation the text output gives.

use super::{Case, Run};
use crate::render::xml::push_escaped;
use std::io::{self, Write};
use std::time::Duration;

/// Writes `run` as a JUnit report; `suite` names the testsuite (the DIR given).
pub fn write(run: &Run, suite: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\"",
        run.cases.len(),
        run.tally.failed,
        seconds(run.time)
    );
    s.push_str(&format!("<testsuites name=\"udpdissect regress\" {counts}>\n"));
    s.push_str("  <testsuite name=\"");
    push_escaped(&mut s, suite);
    s.push_str(&format!("\" {counts} skipped=\"0\">\n"));
    for case in &run.cases {
        testcase(&mut s, case);
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}

fn testcase(s: &mut String, case: &Case) {
    s.push_str("    <testcase classname=\"regress\" name=\"");
    push_escaped(s, &case.path.display().to_string());
    s.push_str(&format!("\" time=\"{}\">\n", seconds(case.time)));
    match &case.outcome {
        // The text output's line: the frame count, or what blessing did.
        Ok(line) => {
            s.push_str("      <system-out>");
            push_escaped(s, line);
            s.push_str("</system-out>\n");
        }
        Err(why) => {
            s.push_str("      <failure type=\"regress\" message=\"");
            push_escaped(s, why.lines().next().unwrap_or_default());
            s.push_str("\">");
            push_escaped(s, why);
            s.push_str("</failure>\n");
        }
    }
    s.push_str("    </testcase>\n");
}

/// Seconds with microsecond digits: a small capture takes well under a millisecond.
fn seconds(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regress::Tally;
    use std::path::PathBuf;

    #[test]
    fn a_testcase_per_capture_and_a_failure_per_failed_one() {
        let run = Run {
            tally: Tally { passed: 1, failed: 1 },
            cases: vec![
                Case {
                    path: PathBuf::from("suite/a.pcap"),
                    outcome: Ok("ok   suite/a.pcap (3 frames)".into()),
                    time: Duration::from_micros(12_345),
                },
                Case {
                    path: PathBuf::from("suite/b<&>.pcap"),
                    outcome: Err("differs from suite/b.pcap.expected\n  frame 7:\n    - heartbeat.uid = \"1\"".into()),
                    time: Duration::from_millis(2_001),
                },
            ],
            time: Duration::from_millis(2_014),
        };
        let mut out = Vec::new();
        write(&run, "suite", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"udpdissect regress\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"2.014000\">\n  \
             <testsuite name=\"suite\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"2.014000\" skipped=\"0\">\n    \
             <testcase classname=\"regress\" name=\"suite/a.pcap\" time=\"0.012345\">\n      \
             <system-out>ok   suite/a.pcap (3 frames)</system-out>\n    \
             </testcase>\n    \
             <testcase classname=\"regress\" name=\"suite/b&lt;&amp;&gt;.pcap\" time=\"2.001000\">\n      \
             <failure type=\"regress\" message=\"differs from suite/b.pcap.expected\">differs from \
             suite/b.pcap.expected\n  frame 7:\n    - heartbeat.uid = &quot;1&quot;</failure>\n    \
             </testcase>\n  \
             </testsuite>\n\
             </testsuites>\n"
        );
    }
}
