//! Arbitrary bytes as a capture through the whole pipeline and every renderer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use udpdissect::pipeline::{self, Options};
use udpdissect::render::{FieldOptions, FieldsSink, JsonSink, Sink, TextSink, TimeFormat};
use udpdissect::stats::{Selection, StatsFormat, StatsSink};
use udpdissect_capture::Reader;
use udpdissect_core::Engine;

fuzz_target!(|data: &[u8]| {
    let sinks: Vec<(bool, Box<dyn Sink>)> = vec![
        (false, Box::new(TextSink::new(std::io::sink(), false, true, true, false, TimeFormat::Relative))),
        (true, Box::new(TextSink::new(std::io::sink(), true, true, false, false, TimeFormat::Absolute { date: true, utc: true }))),
        (true, Box::new(JsonSink::new(std::io::sink(), true, false))),
        (
            true,
            Box::new(
                FieldsSink::new(std::io::sink(), vec!["frame.number".into(), "heartbeat.uid".into()], FieldOptions::default(), false)
                    .unwrap(),
            ),
        ),
    ];
    for (tree, mut sink) in sinks {
        let Ok(mut reader) = Reader::new(Box::new(std::io::Cursor::new(data.to_vec()))) else { return };
        let mut engine = Engine::new(udpdissect::dissectors());
        let _ = pipeline::run(&mut reader, &mut engine, sink.as_mut(), &Options { tree, count: None });
    }
    // Statistics: every table, rendered both ways.
    let Ok(mut reader) = Reader::new(Box::new(std::io::Cursor::new(data.to_vec()))) else { return };
    let mut engine = Engine::new(udpdissect::dissectors());
    let mut stats = StatsSink::new(Selection::all());
    let _ = pipeline::run(&mut reader, &mut engine, &mut stats, &Options { tree: false, count: None });
    for format in [StatsFormat::Text, StatsFormat::Json] {
        let _ = stats.report(reader.info(), &engine.tables(), format, &mut std::io::sink());
    }
});
