//! Inputs the fuzzers once crashed on, replayed through the whole pipeline and every renderer
//! so each past crash stays fixed. Add new ones to tests/fuzz-regressions/ with a name that
//! says what broke.

use std::path::Path;
use udpdissect::pipeline::{self, Options, Stop};
use udpdissect::render::{FieldOptions, FieldsSink, JsonSink, Sink, TextSink, TimeFormat};
use udpdissect_capture::Reader;
use udpdissect_core::Engine;

fn sinks() -> Vec<(bool, Box<dyn Sink>)> {
    let fields = vec!["frame.number".into(), "frame.time_epoch".into(), "heartbeat.uid".into()];
    vec![
        (false, Box::new(TextSink::new(std::io::sink(), false, true, true, false, TimeFormat::Relative))),
        (
            true,
            Box::new(TextSink::new(
                std::io::sink(),
                true,
                true,
                false,
                false,
                TimeFormat::Absolute { date: true, utc: false },
            )),
        ),
        (false, Box::new(TextSink::new(std::io::sink(), false, false, false, false, TimeFormat::Delta))),
        (true, Box::new(JsonSink::new(std::io::sink(), false, false))),
        (true, Box::new(FieldsSink::new(std::io::sink(), fields, FieldOptions::default(), false).unwrap())),
    ]
}

#[test]
fn past_fuzzer_crashes_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for (tree, mut sink) in sinks() {
            let Ok(mut reader) = Reader::new(Box::new(std::io::Cursor::new(bytes.clone()))) else { continue };
            let mut engine = Engine::new(udpdissect::dissectors());
            match pipeline::run(&mut reader, &mut engine, sink.as_mut(), &Options::full(tree)) {
                Ok(_) | Err(Stop::Damaged(_)) => {}
                Err(Stop::Output(e)) => panic!("writing to a sink failed: {e}"),
            }
        }
        n += 1;
    }
    assert!(n >= 1);
}
