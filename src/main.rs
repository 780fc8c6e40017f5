//! udpdissect: reads pcap/pcapng captures and dissects the UDP protocols of home-made clients
//! the way their real peers parse them.

#![forbid(unsafe_code)]

use clap::Parser;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use udpdissect::cli::{Args, ColorWhen, OutputFormat};
use udpdissect::pipeline::{self, Stop};
use udpdissect::render::{FieldOptions, FieldsSink, JsonSink, Sink, TextSink, TimeFormat};
use udpdissect::{dissectors, list};
use udpdissect_capture::Reader;
use udpdissect_core::{DecodeAs, Engine};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("udpdissect: {msg}");
            ExitCode::from(2)
        }
    }
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal(),
    }
}

fn open(path: &Path) -> Result<Reader, String> {
    let input: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        let f = std::fs::File::open(path).map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
        Box::new(f)
    };
    Reader::new(input).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(args: Args) -> Result<ExitCode, String> {
    let mut engine = Engine::new(dissectors());
    for rule in &args.decode_as {
        let rule = DecodeAs::parse(rule).map_err(|e| format!("-d: {e}"))?;
        engine.add_decode_as(rule).map_err(|e| format!("-d: {e}"))?;
    }
    for pref in &args.prefs {
        engine.set_pref(pref).map_err(|e| format!("-o: {e}"))?;
    }
    let stdout = io::stdout().lock();
    if args.list_protocols {
        return list::protocols(&engine, stdout).map(|_| ExitCode::SUCCESS).map_err(|e| e.to_string());
    }
    if let Some(proto) = &args.list_fields {
        return list::fields(&engine, proto, stdout).map(|_| ExitCode::SUCCESS);
    }
    let path = match (&args.read, &args.file) {
        (Some(p), None) | (None, Some(p)) => p.clone(),
        (Some(_), Some(_)) => return Err("give the capture once, as FILE or with -r FILE".into()),
        (None, None) => {
            return Err("no capture given: udpdissect FILE (or -r FILE, '-' for standard input); see --help".into())
        }
    };
    let time = TimeFormat::parse(&args.time_format).ok_or("-t: unknown time format")?;
    if args.output == OutputFormat::Fields && args.fields.is_empty() {
        return Err("-T fields needs at least one -e FIELD (see --list-fields)".into());
    }
    let mut field_opts = FieldOptions::default();
    for e in &args.field_options {
        field_opts.set(e)?;
    }
    if args.output == OutputFormat::Fields {
        list::check_keys(&engine, &args.fields)?;
    }
    let mut reader = open(&path)?;
    let out = io::BufWriter::with_capacity(1 << 16, stdout);
    let flush = args.line_buffered;
    let mut sink: Box<dyn Sink> = match args.output {
        OutputFormat::Text => Box::new(TextSink::new(out, args.tree, args.hex, use_color(args.color), flush, time)),
        OutputFormat::Json => Box::new(JsonSink::new(out, true, flush)),
        OutputFormat::Ndjson => Box::new(JsonSink::new(out, false, flush)),
        OutputFormat::Fields => {
            Box::new(FieldsSink::new(out, args.fields.clone(), field_opts, flush).map_err(|e| e.to_string())?)
        }
    };
    let tree = args.tree || args.output != OutputFormat::Text;
    let opts = pipeline::Options { tree, count: args.count };
    match pipeline::run(&mut reader, &mut engine, sink.as_mut(), &opts) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(Stop::Damaged(e)) => {
            drop(sink);
            let _ = io::stdout().flush();
            Err(format!("{}: {e}", path.display()))
        }
        Err(Stop::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(Stop::Output(e)) => Err(format!("writing output: {e}")),
    }
}
