//! udpdissect: reads pcap/pcapng captures and dissects the UDP protocols of home-made clients
//! the way their real peers parse them.

#![forbid(unsafe_code)]

use clap::Parser;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use udpdissect::cli::{Args, ColorWhen, Command, DiffArgs, DissectArgs, OutputFormat, RegressArgs, StatsArgs};
use udpdissect::kept::{expand_aliases, interest};
use udpdissect::pipeline::{self, Depth, Stop};
use udpdissect::progress::{Counted, Progress};
use udpdissect::render::{
    EkSink, FieldOptions, FieldsSink, JsonSink, PdmlSink, ProtocolFilter, PsmlSink, SaveSink, Shared, Sink, Tee,
    TextSink, Threaded, TimeFormat, EXPERT_KEYS,
};
use udpdissect::stats::{Selection, StatsFormat, StatsSink};
use udpdissect::strict::SeverityWatch;
use udpdissect::{cores, diff, dissectors, layers, list, probe, regress, split};
use udpdissect_capture::{Compression, OutFormat, Reader};
use udpdissect_core::{DecodeAs, Dissection, Engine, FieldInfo};
use udpdissect_filter::Filter;

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match &args.command {
        Some(Command::Stats(stats)) => run_stats(stats),
        Some(Command::Regress(regress)) => run_regress(regress),
        Some(Command::Diff(d)) => run_diff(d),
        None => run(&args),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            complain(&msg);
            ExitCode::from(2)
        }
    }
}

/// Writes a message to stderr. `eprintln!` panics when stderr is gone (`udpdissect ... 2>&1 |
/// head` closes it with stdout), which would turn an orderly exit into a crash; the message
/// then has nowhere to go, and the exit status still tells.
fn complain(msg: &str) {
    let _ = writeln!(io::stderr(), "udpdissect: {msg}");
}

/// Whether to render on a second thread, when a second core is there: by default for the
/// outputs whose rendering is a large share of the run (the tree, hex dumps, JSON: a quarter to
/// a third faster on two cores); not for the summary and the columns, where dissection
/// dominates and handing frames over costs as much as it saves (docs/performance.md).
/// `UDPDISSECT_THREADS=2` asks for it with every output, `=1` for none.
fn render_thread(heavy: bool) -> bool {
    cores() >= 2 && (heavy || std::env::var_os("UDPDISSECT_THREADS").is_some_and(|v| v == "2"))
}

/// Whether to dissect on a second thread, when a second core is there and rendering does not
/// have it: the datagrams of the costliest protocols are dissected there, beside the reading,
/// dispatch and the other protocols (docs/performance.md). With `pays_from`, only when they
/// take at least that share of the capture's first frames (of the first `count` with -c:
/// [`probe::pays`]); a capture that cannot be read twice (a pipe) is split untried. Not for a
/// capture read from standard input. `UDPDISSECT_THREADS=1` turns it off, `=split` on without
/// a look.
fn dissect_thread(path: &Path, args: &DissectArgs, pays_from: Option<f64>, count: Option<u64>) -> bool {
    if cores() < 2 || path == Path::new("-") {
        return false;
    }
    let Some(pays_from) = pays_from else { return true };
    if std::env::var_os("UDPDISSECT_THREADS").is_some_and(|v| v == "split")
        || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
    {
        return true;
    }
    let (Ok((mut reader, _)), Ok(engine)) = (open(path, false), new_engine(args)) else { return false };
    probe::pays(&mut reader, engine, split::LENT, pays_from, count)
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal(),
    }
}

/// An opened capture, and a progress display for it when stderr is a terminal and `show`.
fn open(path: &Path, show: bool) -> Result<(Reader, Option<Progress>), String> {
    let (input, size): (Box<dyn Read + Send>, Option<u64>) = if path == Path::new("-") {
        (Box::new(io::stdin()), None)
    } else {
        let f = udpdissect::open_capture(path)?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let (input, read) = Counted::new(input);
    let reader = Reader::new(Box::new(input)).map_err(|e| format!("{}: {e}", path.display()))?;
    let progress = (show && io::stderr().is_terminal()).then(|| Progress::new(read, size));
    Ok((reader, progress))
}

/// Decompresses a compressed capture file on a thread of its own where a core is left beside
/// the `busy` threads of the run (docs/performance.md). Not standard input or a pipe, whose
/// reads may wait for the writer: the run's end would wait on the thread's last read.
fn decompress_ahead(reader: &mut Reader, path: &Path, busy: usize) {
    if cores() > busy && path != Path::new("-") && std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        reader.decompress_ahead();
    }
}

/// The compression a `-w` file's name asks for by its last extension (any case): `.gz`,
/// `.zst`, `.lz4`.
fn compression_named(path: &Path) -> Option<Compression> {
    Compression::from_extension(path.extension()?.to_str()?)
}

/// Where `-w` writes the capture: the file (created, or emptied), or standard output for '-'.
/// Refuses the capture being read (emptying it before it is read would lose it), a terminal,
/// and standard output when `-P` prints there.
fn save_to(to: &Path, input: &Path, print: bool) -> Result<Box<dyn Write + Send>, String> {
    if to == Path::new("-") {
        if print {
            return Err(
                "-w - writes the capture to standard output, where -P would print the frames: give -w a file name"
                    .into(),
            );
        }
        if io::stdout().is_terminal() {
            return Err(
                "-w -: standard output is a terminal; redirect it to a file or a pipe, or give -w a file name".into()
            );
        }
        return Ok(Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())));
    }
    let same = |a: &Path, b: &Path| a.canonicalize().ok().is_some_and(|a| b.canonicalize().ok() == Some(a));
    if input != Path::new("-") && same(to, input) {
        return Err(format!("-w {}: that is the capture being read; write to another file", to.display()));
    }
    let file = std::fs::File::create(to).map_err(|e| format!("-w {}: cannot create: {e}", to.display()))?;
    Ok(Box::new(io::BufWriter::with_capacity(1 << 16, file)))
}

/// The engine with decode-as rules, preferences and the protocol and heuristic switches applied.
fn new_engine(args: &DissectArgs) -> Result<Engine, String> {
    let mut engine = Engine::new(dissectors());
    for rule in &args.decode_as {
        let rule = DecodeAs::parse(rule).map_err(|e| format!("-d: {e}"))?;
        engine.add_decode_as(rule).map_err(|e| format!("-d: {e}"))?;
    }
    for pref in &args.prefs {
        engine.set_pref(pref).map_err(|e| format!("-o: {e}"))?;
    }
    // tshark applies every disabling first, then every enabling, whatever their order.
    type Switch = fn(&mut Engine, &str, bool) -> Result<(), String>;
    let switches: [(&str, &[String], Switch, bool); 4] = [
        ("--disable-protocol", &args.disable_protocols, Engine::set_enabled, false),
        ("--enable-protocol", &args.enable_protocols, Engine::set_enabled, true),
        ("--disable-heuristic", &args.disable_heuristics, Engine::set_heuristic, false),
        ("--enable-heuristic", &args.enable_heuristics, Engine::set_heuristic, true),
    ];
    for (flag, names, switch, on) in switches {
        for name in names {
            switch(&mut engine, name, on).map_err(|e| format!("{flag}: {e}"))?;
        }
    }
    if let Some(file) = &args.keylog {
        engine.set_pref(&format!("eqstream.keylog:{file}")).map_err(|e| format!("--keylog: {e}"))?;
    }
    Ok(engine)
}

/// The engine with decode-as rules and preferences applied, and the compiled display filter.
fn engine(args: &DissectArgs) -> Result<(Engine, Option<Filter>), String> {
    let engine = new_engine(args)?;
    let filter = match &args.filter {
        Some(expr) => Some(
            Filter::compile(expr, &list::catalog(&engine))
                .map_err(|e| format!("-Y: bad display filter\n{}", e.render(expr)))?,
        ),
        None => None,
    };
    Ok((engine, filter))
}

/// The statistics' collector for `-z` names (`io,stat` columns compile against the fields).
fn stats_sink(engine: &Engine, names: &[String]) -> Result<StatsSink, String> {
    StatsSink::new(selection(names)?, &list::catalog(engine)).map_err(|e| format!("-z: {e}"))
}

/// Runs the pipeline, reports damage after everything before it was written.
fn drive(
    path: &Path,
    reader: &mut Reader,
    engine: &mut Engine,
    sink: &mut dyn Sink,
    opts: &pipeline::Options,
    filter: Option<&Filter>,
    interest: Option<Vec<&'static FieldInfo>>,
) -> Result<(), String> {
    let keep = |d: &Dissection, frame: &[u8]| filter.is_none_or(|f| f.matches(d, frame));
    let filter_fn = filter.map(|_| &keep as pipeline::FrameFilter);
    match pipeline::run_selected(reader, engine, sink, opts, filter_fn, interest) {
        Ok(_) => Ok(()),
        Err(Stop::Damaged(e)) => {
            let _ = io::stdout().flush();
            Err(format!("{}: {e}", path.display()))
        }
        Err(Stop::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(Stop::Output(e)) => Err(format!("writing output: {e}")),
    }
}

/// Whether a display filter (if any) reads only frame, link, IP and UDP fields.
fn filter_reads_layers_only(filter: Option<&Filter>) -> bool {
    filter.is_none_or(|f| layers::only_layer_keys(f.keys().into_iter()))
}

/// Whether a column list or filter names the info column.
fn reads_info<'k>(mut keys: impl Iterator<Item = &'k str>) -> bool {
    keys.any(|k| k.eq_ignore_ascii_case("_ws.col.info"))
}

fn selection(names: &[String]) -> Result<Selection, String> {
    if names.is_empty() {
        return Ok(Selection::all());
    }
    let mut sel = Selection::none();
    for n in names {
        sel.add(n).map_err(|e| format!("-z {n}: {e}"))?;
    }
    Ok(sel)
}

/// The statistics' collector and the way frames reach it: on a thread of its own when this
/// one dissects and there is a second core (that thread re-decodes the frames and fills the
/// tables), else here, called directly (no lock per frame: it cost as much as the
/// conversation table's own update). Without dissection the handing over would cost more
/// than the tables.
enum StatsFeed {
    Here(StatsSink),
    Away { stats: Shared<StatsSink>, feed: Threaded },
}

impl StatsFeed {
    fn new(stats: StatsSink, dissecting: bool) -> StatsFeed {
        if dissecting && cores() >= 2 {
            // Derived buffers travel only for the I/O columns' filters, which may read them.
            let sources = stats.reads_fields();
            let stats = Shared::new(stats);
            StatsFeed::Away { feed: Threaded::new(Box::new(stats.clone()), sources), stats }
        } else {
            StatsFeed::Here(stats)
        }
    }

    fn sink(&mut self) -> &mut dyn Sink {
        match self {
            StatsFeed::Here(stats) => stats,
            StatsFeed::Away { feed, .. } => feed,
        }
    }
}

fn write_err(e: io::Error) -> String {
    format!("writing output: {e}")
}

/// Prints the statistics once the sink that fills them is done (for a thread of their own,
/// waits for it). The dissectors build their own tables only when one is shown.
fn print_stats(feed: StatsFeed, reader: &Reader, engine: &Engine, format: StatsFormat) -> Result<(), String> {
    let print = |stats: &StatsSink| {
        let mut out = io::BufWriter::new(io::stdout().lock());
        // A reader that stops early (`| head`) is not an error, as for the packet list.
        match stats.report(reader.info(), || engine.tables(), format, &mut out).and_then(|_| out.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(write_err(e)),
            _ => Ok(()),
        }
    };
    match feed {
        StatsFeed::Here(stats) => print(&stats),
        StatsFeed::Away { stats, feed } => {
            drop(feed);
            print(&stats.get())
        }
    }
}

fn run_stats(args: &StatsArgs) -> Result<ExitCode, String> {
    let path = args.capture.path()?;
    let (mut engine, filter) = engine(&args.dissect)?;
    let stats = stats_sink(&engine, &args.tables)?;
    if args.output == "json" && stats.follows() {
        return Err("-z follow,…: a followed conversation prints as text (tshark's layout); drop -T json, \
                    or use its yaml mode (follow,udp,yaml,…) for something a program reads"
            .into());
    }
    let (mut reader, mut progress) = open(&path, true)?;
    let depth = Depth::reading(
        stats.needs_dissection() || !filter_reads_layers_only(filter.as_ref()),
        stats.needs_layers() || filter.is_some(),
    );
    // A second core dissects beside the dispatch, and this thread fills the tables.
    let split = depth == Depth::Protocols && dissect_thread(&path, &args.dissect, None, None);
    let lend = if split { split::lent_protocols(&engine, split::LENT_BESIDE_TABLES) } else { 0 };
    // The tables read no fields nor derived buffers; a filter, or a column of the I/O table, may.
    let reads = filter.is_some() || stats.reads_fields();
    let info =
        filter.as_ref().is_some_and(|f| reads_info(f.keys().into_iter())) || reads_info(stats.keys().into_iter());
    let findings = stats.reads_findings() || filter.as_ref().is_some_and(Filter::reads_findings);
    let opts = pipeline::Options { tree: reads, info, count: None, depth, lend, sources: reads, findings };
    let fields = interest(&engine, false, filter.as_ref(), [], stats.keys());
    let mut feed = StatsFeed::new(stats, depth == Depth::Protocols && !split);
    // Dissecting beside the dispatch, or filling the tables beside it, takes a second thread.
    decompress_ahead(&mut reader, &path, 1 + usize::from(depth == Depth::Protocols));
    let damage = match progress.as_mut() {
        Some(p) => drive(&path, &mut reader, &mut engine, &mut Tee(feed.sink(), p), &opts, filter.as_ref(), fields),
        None => drive(&path, &mut reader, &mut engine, feed.sink(), &opts, filter.as_ref(), fields),
    }
    .err();
    let format = if args.output == "json" { StatsFormat::Json } else { StatsFormat::Text };
    print_stats(feed, &reader, &engine, format)?;
    match damage {
        Some(e) => Err(e),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// `regress DIR`: exit 1 when a capture failed; usage problems (2) are found before the
/// first capture is read.
fn run_regress(args: &RegressArgs) -> Result<ExitCode, String> {
    let (_, filter) = engine(&args.dissect)?;
    let make = || new_engine(&args.dissect);
    let suite = regress::Suite { bless: args.bless, engine: &make, filter: filter.as_ref() };
    let run = regress::run(&args.dir, &suite, &mut io::stdout().lock())?;
    if let Some(to) = &args.junit {
        let report = || -> io::Result<()> {
            let mut file = io::BufWriter::new(std::fs::File::create(to)?);
            regress::junit::write(&run, &args.dir.display().to_string(), &mut file)
        };
        report().map_err(|e| format!("--junit {}: cannot write: {e}", to.display()))?;
    }
    Ok(if run.tally.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `diff OURS THEIRS`: exit 0 when equivalent, 1 when different; usage problems and captures
/// that cannot be opened (2) are found before anything is printed.
fn run_diff(args: &DiffArgs) -> Result<ExitCode, String> {
    let (engine, filter) = engine(&args.dissect)?;
    let protocols: Vec<_> = engine.protocols().filter(|p| p.name != udpdissect_core::DATA.name).collect();
    if args.explain {
        let mut out = io::BufWriter::new(io::stdout().lock());
        diff::report::explain(&protocols, &mut out).map_err(write_err)?;
        out.flush().map_err(write_err)?;
        return Ok(ExitCode::SUCCESS);
    }
    let names = || protocols.iter().map(|p| p.name).collect::<Vec<_>>().join(", ");
    let proto = match &args.proto {
        Some(name) => Some(
            protocols
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
                .map(|p| p.name)
                .ok_or_else(|| format!("--proto {name}: no such protocol; known: {}", names()))?,
        ),
        None => None,
    };
    for (flag, keys) in [("--only", &args.only), ("--ignore", &args.ignore)] {
        for key in keys {
            let known = protocols.iter().flat_map(|p| p.fields).any(|f| diff::compare::names(key, f.key));
            if !known {
                return Err(format!("{flag} {key}: no field of {} has this key (see --list-fields)", names()));
            }
        }
    }
    let (Some(ours), Some(theirs)) = (&args.ours, &args.theirs) else {
        return Err("diff needs two captures: udpdissect diff OURS THEIRS".into());
    };
    if ours == Path::new("-") && theirs == Path::new("-") {
        return Err("only one of the captures can be standard input ('-')".into());
    }
    // The two captures are independent: each is read on a core of its own.
    let collect = |path: &PathBuf| -> Result<diff::Capture, String> {
        let mut engine = new_engine(&args.dissect)?;
        let got = diff::collect::collect(path, &mut engine, filter.as_ref(), proto)?;
        Ok(diff::Capture { name: path.display().to_string(), got })
    };
    let (ours_got, theirs_got) = if cores() >= 2 {
        std::thread::scope(|s| {
            let theirs_got = s.spawn(|| collect(theirs));
            (collect(ours), theirs_got.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        })
    } else {
        (collect(ours), collect(theirs))
    };
    let captures = [ours_got?, theirs_got?];
    let rules = diff::compare::Rules {
        strict: args.strict,
        only: args.only.clone(),
        ignore: args.ignore.clone(),
        volatile: protocols.iter().map(|p| (p.name, p.volatile)).collect(),
    };
    let outcome = diff::diff(&captures[0].got, &captures[1].got, &rules);
    let view = diff::report::View { ours: &captures[0], theirs: &captures[1], rules: &rules, bytes: args.bytes };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = match args.output.as_str() {
        "json" => diff::report::json(&view, &outcome, &mut out),
        _ => diff::report::text(&view, &outcome, &mut out),
    };
    match written.and_then(|_| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(write_err(e)),
        _ => {}
    }
    Ok(if outcome.equivalent() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let (mut engine, filter) = engine(&args.dissect)?;
    let stdout = io::stdout().lock();
    // A reader that stops early (`| head`) is not an error.
    let listed = |written: io::Result<()>| match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(write_err(e)),
        _ => Ok(ExitCode::SUCCESS),
    };
    if args.list_protocols {
        return listed(list::protocols(&engine, stdout));
    }
    if let Some(proto) = &args.list_fields {
        return listed(list::fields(&engine, proto, stdout)?);
    }
    if let Some(report) = &args.glossary {
        return listed(list::glossary(&engine, report, stdout)?);
    }
    let path = args.capture.path()?;
    let time = TimeFormat::parse(&args.time_format).ok_or("-t: unknown time format")?;
    if args.output == OutputFormat::Fields && args.fields.is_empty() && !args.quiet {
        return Err("-T fields needs at least one -e FIELD (see --list-fields)".into());
    }
    // -e with -T json, ndjson or ek: the columns as tshark writes them in JSON records.
    let json_out = matches!(args.output, OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Ek);
    let json_columns = !args.fields.is_empty() && json_out;
    let pdml = args.output == OutputFormat::Pdml;
    let columns_out = args.output == OutputFormat::Fields || json_columns;
    // As tshark refuses them: silently printing something else would look like a broken -e.
    if !columns_out && (!args.fields.is_empty() || !args.field_options.is_empty()) {
        let flag = if args.fields.is_empty() { "-E" } else { "-e" };
        return Err(format!(
            "{flag} applies to -T fields (or -e to -T json, ndjson and ek): add -T fields to print columns (see --list-fields)"
        ));
    }
    let mut field_opts = FieldOptions::default();
    for e in &args.field_options {
        field_opts.set(e)?;
    }
    if columns_out {
        list::check_keys(&engine, &args.fields)?;
    }
    list::check_protocols(&engine, "-O", &args.details)?;
    // tshark's -J "ip udp" and -j "ip ip.src": names separated by spaces, or commas as -O
    // takes them.
    let names = |given: &[String]| -> Vec<String> {
        given.iter().flat_map(|p| p.split([',', ' '])).filter(|p| !p.is_empty()).map(String::from).collect()
    };
    let (json_protocols, json_names) = (names(&args.json_protocols), names(&args.json_names));
    for (flag, list) in [("-J", &json_protocols), ("-j", &json_names)] {
        if list.is_empty() {
            continue;
        }
        if !json_out && !pdml {
            return Err(format!(
                "{flag} applies to -T json, ndjson, ek and pdml: add -T json (-O picks the protocols of the -V tree)"
            ));
        }
        if json_columns {
            return Err(format!(
                "{flag} picks the protocols of the frame records, -e their fields alone: give one of them"
            ));
        }
        // -j may name an alias (ip.addr) and the findings' node as tshark's documents do.
        let fields: Vec<String> = list
            .iter()
            .filter(|n| udpdissect_filter::alias_members(n).is_none() && n.as_str() != "_ws.expert")
            .cloned()
            .collect();
        list::check_protocols(&engine, flag, &fields)?;
    }
    if !json_protocols.is_empty() && !json_names.is_empty() {
        return Err("-J keeps whole protocols, -j the fields named alone: give one of them".into());
    }
    // As tshark refuses it: these outputs have no place for the bytes.
    let bytes_nowhere = match args.output {
        OutputFormat::Fields => Some("fields"),
        OutputFormat::Psml => Some("psml"),
        OutputFormat::Pdml => Some("pdml"),
        _ => None,
    };
    if let (true, Some(format)) = (args.hex, bytes_nowhere) {
        return Err(format!("-x prints the bytes in text (a hex dump), JSON records (raw) and ek documents (NAME_raw): -T {format} has no place for them"));
    }
    if args.print && args.write.is_none() && args.output != OutputFormat::Ek {
        return Err("-P needs -w <FILE> (print the frames as well as write them) or -T ek (the summary columns in each document)".into());
    }
    let stats = (!args.stats.is_empty()).then(|| stats_sink(&engine, &args.stats)).transpose()?;
    // -w prints nothing unless -P asks; -q never.
    let printing = !args.quiet && (args.write.is_none() || args.print);
    // -O is -V with some protocols folded.
    let tree_shown = args.tree || !args.details.is_empty();
    // Nothing read but frame, link, IP and UDP fields (the columns, the filter, the statistics;
    // no --strict): the protocols are not dissected at all. `-q` alone still dissects: it is
    // how a capture is checked for damage and findings (with --strict).
    let layers_only = if printing {
        columns_out && layers::only_layer_keys(expand_aliases(args.fields.iter().map(String::as_str)))
    } else {
        stats.is_some() || args.write.is_some()
    } && filter_reads_layers_only(filter.as_ref())
        && stats.as_ref().is_none_or(|s| !s.needs_dissection())
        && args.strict.is_none();
    // Not even the layers when nothing is printed or filtered and the statistics are the
    // capture summary: every frame is written (-w) or counted as read.
    let depth = Depth::reading(
        !layers_only,
        printing || filter.is_some() || stats.as_ref().is_some_and(StatsSink::needs_layers),
    );
    let flush = args.line_buffered;
    // Rendering may get a core of its own, except where each line must appear at once (a live
    // stream on standard input, -l) or there is nothing to render (-q, -w without -P).
    // The documents of the whole tree.
    let whole_doc = (!json_columns && json_out) || pdml;
    let heavy = tree_shown || args.hex || whole_doc;
    let threaded = printing && !flush && path != Path::new("-") && render_thread(heavy);
    // Derived buffers travel only to sinks that print them (hex dumps, trees, JSON, columns).
    // The summary line alone (text without -V, PSML) needs no tree and no derived buffers.
    let lines_only = matches!(args.output, OutputFormat::Text | OutputFormat::Tabs | OutputFormat::Psml);
    // Without a rendering thread, the second core dissects (not for a live stream either).
    // Without statistics, the other choice is one thread: the capture must pay for a second
    // (with them, it fills the tables). The summary lines' rendering moves to that thread
    // too, so they pay sooner than the columns.
    let pays_from = if printing && lines_only { probe::FOR_SUMMARY } else { probe::FOR_COLUMNS };
    let pays_from = stats.is_none().then_some(pays_from);
    // Decided before the capture is opened: the look at its first frames opens it too, and
    // the two readers' buffers (an LZ4 capture's 8 MiB) would be held at once.
    let split =
        !threaded && !flush && depth == Depth::Protocols && dissect_thread(&path, &args.dissect, pays_from, args.count);
    // Progress only where it cannot mix with the frames: not on a terminal they are printed
    // to, and not with -q.
    let (mut reader, mut progress) = open(&path, !args.quiet && (!printing || !io::stdout().is_terminal()))?;
    let saving = args.write.as_deref().map(|to| save_to(to, &path, args.print)).transpose()?;
    drop(stdout);
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    // -J keeps whole protocols, -j the fields named.
    let protocol_filter = if json_names.is_empty() {
        ProtocolFilter { names: json_protocols, children: true }
    } else {
        ProtocolFilter { names: json_names, children: false }
    };
    let frames: Box<dyn Sink + Send> = match args.output {
        _ if !printing => Box::new(udpdissect::render::Discard),
        OutputFormat::Text | OutputFormat::Tabs => Box::new(
            TextSink::new(out, tree_shown, args.hex, use_color(args.color), flush, time)
                .details_of(args.details.clone())
                .tabs(args.output == OutputFormat::Tabs),
        ),
        OutputFormat::Ek if json_columns => {
            let summary = args.print.then_some(time);
            Box::new(FieldsSink::ek(out, args.fields.clone(), field_opts, summary, flush).time_format(time))
        }
        OutputFormat::Json | OutputFormat::Ndjson if json_columns => {
            let array = args.output == OutputFormat::Json;
            Box::new(FieldsSink::json(out, args.fields.clone(), field_opts, array, flush).time_format(time))
        }
        OutputFormat::Json | OutputFormat::Ndjson => {
            Box::new(JsonSink::new(out, args.output == OutputFormat::Json, flush).hex(args.hex).filter(protocol_filter))
        }
        OutputFormat::Ek => {
            Box::new(EkSink::new(out, flush).filter(protocol_filter).hex(args.hex).summary(args.print.then_some(time)))
        }
        OutputFormat::Pdml => {
            let name = path.to_string_lossy();
            Box::new(PdmlSink::new(out, &name, flush).map_err(write_err)?.filter(protocol_filter))
        }
        OutputFormat::Psml => Box::new(PsmlSink::new(out, time, flush).map_err(write_err)?),
        OutputFormat::Fields => {
            let sink = FieldsSink::new(out, args.fields.clone(), field_opts, flush).map_err(|e| e.to_string())?;
            Box::new(sink.time_format(time))
        }
    };
    let sources = printing && (args.hex || tree_shown || !lines_only);
    let frames: Box<dyn Sink> = if threaded { Box::new(Threaded::new(frames, sources)) } else { frames };
    // The capture is written on this thread, where the frames' IP reassembly is known.
    let mut frames: Box<dyn Sink> = match saving {
        Some(to) => {
            let format = args.write_format.unwrap_or(OutFormat::Pcapng);
            let compression = args.compress.or_else(|| args.write.as_deref().and_then(compression_named));
            let print = printing.then_some(frames);
            Box::new(
                SaveSink::new(to, format, compression, &reader.info().header, print, flush)
                    .map_err(|e| format!("-w: {e}"))?,
            )
        }
        None => frames,
    };
    let stats_read = stats.as_ref().is_some_and(StatsSink::reads_fields);
    let tree = printing && (tree_shown || !lines_only) || filter.is_some() || stats_read;
    let whole_tree = printing && (tree_shown || whole_doc);
    let columns = if !printing || !columns_out { &[][..] } else { &args.fields[..] };
    let stats_keys = stats.as_ref().map(StatsSink::keys).unwrap_or_default();
    let fields =
        interest(&engine, whole_tree, filter.as_ref(), columns.iter().map(String::as_str), stats_keys.iter().copied());
    let lend = if split { split::lent_protocols(&engine, split::LENT) } else { 0 };
    // On two threads a filter runs beside the sink, and may read them too.
    // The info column is composed only where it is read.
    let info = (printing && (!columns_out || reads_info(args.fields.iter().map(String::as_str))))
        || filter.as_ref().is_some_and(|f| reads_info(f.keys().into_iter()))
        || reads_info(stats_keys.iter().copied());
    let sources = sources || filter.is_some() || stats_read;
    // Every output shows the findings but the field columns (unless a column names them) and
    // PSML, which has no place for them.
    let findings = (printing
        && args.output != OutputFormat::Psml
        && (!columns_out || args.fields.iter().any(|k| EXPERT_KEYS.contains(&k.as_str()))))
        || filter.as_ref().is_some_and(Filter::reads_findings)
        || stats.as_ref().is_some_and(StatsSink::reads_findings)
        || args.strict.is_some();
    let opts = pipeline::Options { tree, info, count: args.count, depth, lend, sources, findings };
    // With -q the statistics are the only output: they get the second core if it is free.
    let stats_thread = stats.is_some() && args.quiet && depth == Depth::Protocols && !split;
    let mut stats = stats.map(|s| StatsFeed::new(s, stats_thread));
    decompress_ahead(&mut reader, &path, 1 + usize::from(threaded || split || stats_thread));
    let mut watch = args.strict.map(|level| SeverityWatch::new(level.severity()));
    let result = {
        // Statistics, --strict and progress ride along only when needed: the hot path stays one sink.
        let mut sink: &mut dyn Sink = frames.as_mut();
        let mut with_stats;
        if let Some(feed) = stats.as_mut() {
            with_stats = Tee(sink, feed.sink());
            sink = &mut with_stats;
        }
        let mut with_watch;
        if let Some(watch) = watch.as_mut() {
            with_watch = Tee(sink, watch);
            sink = &mut with_watch;
        }
        let mut with_progress;
        if let Some(progress) = progress.as_mut() {
            with_progress = Tee(sink, progress);
            sink = &mut with_progress;
        }
        drive(&path, &mut reader, &mut engine, sink, &opts, filter.as_ref(), fields)
    };
    drop(frames);
    if let Some(feed) = stats {
        print_stats(feed, &reader, &engine, StatsFormat::Text)?;
    }
    result?;
    match watch.and_then(|w| w.verdict()) {
        Some(why) => {
            complain(&why);
            Ok(ExitCode::from(1))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}
