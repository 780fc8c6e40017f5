//! `udpdissect stats`: statistics tables collected in one pass (a [`Sink`]) and rendered at the
//! end as text tables or one JSON document; then any followed conversation (`follow,udp,…`).
//! Memory grows with conversations, endpoints and intervals (each bounded), never with frames:
//! nothing is kept per frame but a followed conversation's chunks, which go to a temporary
//! file past a few MiB.
//!
//! The tables read what the summary path fills in (`protocol`, `message`, findings); fields
//! only for the I/O table's columns, the tables' own filters and a followed conversation
//! ([`StatsSink::keys`]).

mod capture;
mod conversations;
mod expert;
mod follow;
mod hierarchy;
mod io;
mod io_column;
mod layout;
mod messages;
mod name;
mod render;
mod selection;
mod slab_map;
mod table;

pub use conversations::MAX_ENTRIES;
pub use io::{AUTO_ROWS, MAX_INTERVALS};
pub use selection::{Interval, Selection};

use crate::render::{FrameView, Sink};
use capture::CaptureStats;
use conversations::{ends, Conversations, Endpoints};
use expert::ExpertStats;
use follow::Follow;
use hierarchy::Hierarchy;
use io::IoStats;
use io_column::IoColumn;
use messages::Messages;
use selection::Item;
use std::io::{Result, Write};
use std::thread::{Scope, ScopedJoinHandle};
use table::StatTable;
use udpdissect_capture::{glance_udp_v4, CaptureInfo};
use udpdissect_core::{Dissection, Table, Value};
use udpdissect_filter::{Catalog, Filter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    Text,
    Json,
}

/// Collects every selected statistic as frames go by.
#[derive(Debug)]
pub struct StatsSink {
    sel: Selection,
    capture: CaptureStats,
    /// One table per `Item::Conversations` in the selection, in its order; likewise below.
    convs: Vec<Gated<Conversations>>,
    /// With the place in `convs` of the conversations over the same frames, if kept: the
    /// endpoints are summed from them.
    endpoints: Vec<(Gated<Endpoints>, Option<usize>)>,
    hierarchy: Vec<Gated<Hierarchy>>,
    messages: Vec<Gated<Messages>>,
    io: Vec<IoStats>,
    /// One per filter among the `Item::Expert`s: their levels only choose the rows shown.
    expert: Vec<Gated<ExpertStats>>,
    /// The conversations followed (`follow,udp,…`), printed after the tables.
    follows: Vec<Follow>,
    gates: Gates,
}

/// A table's collector and the filter that chooses its frames, if any.
#[derive(Debug)]
struct Gated<T> {
    /// The filter's place in [`Gates`].
    gate: Option<usize>,
    table: T,
}

impl<T> Gated<T> {
    /// Whether this table counts a frame, given which filters keep it ([`Gates::pass`]).
    fn counts(&self, passes: &[bool]) -> bool {
        self.gate.is_none_or(|g| passes[g])
    }
}

/// The display filters of the tables that have one (`conv,udp,FILTER`), each compiled once
/// however many tables share it: a frame counts in such a table only when its filter keeps it.
#[derive(Debug, Default)]
struct Gates {
    filters: Vec<(String, Filter)>,
    /// For the frame at hand, whether each filter keeps it.
    passes: Vec<bool>,
}

impl Gates {
    /// The place of `item`'s filter, compiled the first time it is met.
    fn place(&mut self, item: &Item, catalog: &Catalog) -> std::result::Result<Option<usize>, String> {
        let (Some(text), Some(kind)) = (item.gate(), item.filterable()) else { return Ok(None) };
        if let Some(at) = self.filters.iter().position(|(t, _)| t == text) {
            return Ok(Some(at));
        }
        let filter = io_column::compile_filter(text, catalog).map_err(|e| {
            // `expert,warning`: more likely a level misspelt than a filter.
            let level = kind == "expert" && text.bytes().all(|b| b.is_ascii_alphabetic());
            let hint = if level { "\n(expert's levels are error, warn, note, chat and comment)" } else { "" };
            format!("{kind}: {e}{hint}")
        })?;
        self.filters.push((text.to_string(), filter));
        self.passes.push(true);
        Ok(Some(self.filters.len() - 1))
    }

    /// Tests every filter on a frame (most runs have none: nothing to do).
    fn pass(&mut self, v: &FrameView) {
        for ((_, f), pass) in self.filters.iter().zip(&mut self.passes) {
            *pass = f.matches(v.out, v.frame.data);
        }
    }

    fn all(&self) -> impl Iterator<Item = &Filter> {
        self.filters.iter().map(|(_, f)| f)
    }

    fn text(&self, gate: Option<usize>) -> Option<&str> {
        gate.map(|g| self.filters[g].0.as_str())
    }
}

impl StatsSink {
    /// The collector of the selected tables; `catalog` knows the fields the I/O table's
    /// columns name (an error names a column that is wrong).
    pub fn new(sel: Selection, catalog: &Catalog) -> std::result::Result<StatsSink, String> {
        StatsSink::with_limit(sel, catalog, MAX_ENTRIES)
    }

    /// Like [`StatsSink::new`] with at most `entries` conversations and endpoints.
    pub fn with_limit(sel: Selection, catalog: &Catalog, entries: usize) -> std::result::Result<StatsSink, String> {
        let mut sink = StatsSink {
            capture: CaptureStats::default(),
            convs: Vec::new(),
            endpoints: Vec::new(),
            hierarchy: Vec::new(),
            messages: Vec::new(),
            io: Vec::new(),
            expert: Vec::new(),
            follows: Vec::new(),
            gates: Gates::default(),
            sel: Selection::none(),
        };
        for item in &sel.items {
            let gate = sink.gates.place(item, catalog)?;
            match item {
                Item::Conversations(layer, _) => {
                    sink.convs.push(Gated { gate, table: Conversations::new(*layer, entries) })
                }
                Item::Endpoints(layer, g) => {
                    // Summed from the conversations when they are kept anyway, over the same frames.
                    let convs = sel.items.iter().filter(|i| matches!(i, Item::Conversations(..)));
                    let from = convs.clone().position(|i| *i == Item::Conversations(*layer, g.clone()));
                    let table = Endpoints::new(*layer, entries, from.is_some());
                    sink.endpoints.push((Gated { gate, table }, from))
                }
                Item::Hierarchy(_) => sink.hierarchy.push(Gated { gate, table: Hierarchy::default() }),
                Item::Messages(_) => sink.messages.push(Gated { gate, table: Messages::default() }),
                Item::Io(interval, columns) => {
                    let columns = columns
                        .iter()
                        .map(|c| IoColumn::new(c, catalog).map_err(|e| format!("io column '{c}': {e}")))
                        .collect::<std::result::Result<_, _>>()?;
                    sink.io.push(IoStats::new(*interval, columns));
                }
                Item::Expert(..) if !sink.expert.iter().any(|e| e.gate == gate) => {
                    sink.expert.push(Gated { gate, table: ExpertStats::default() })
                }
                Item::Follow(spec) => sink.follows.push(Follow::new(spec.clone())),
                _ => {}
            }
        }
        sink.sel = sel;
        Ok(sink)
    }

    /// The field keys the I/O table's columns, the tables' filters and the followed
    /// conversations read: a run builds them (and dissects for them).
    pub fn keys(&self) -> Vec<&str> {
        let gates = self.gates.all().flat_map(|f| f.keys());
        let mut keys: Vec<&str> = self.io.iter().flat_map(IoStats::keys).chain(gates).collect();
        for key in self.follows.iter().flat_map(|f| f.spec().keys()) {
            keys.push(key);
        }
        keys
    }

    /// Whether a column or a table's filter reads fields, which makes a run build a tree.
    pub fn reads_fields(&self) -> bool {
        self.io.iter().any(|i| i.has_columns())
            || !self.gates.filters.is_empty()
            || self.follows.iter().any(|f| f.spec().keys().next().is_some())
    }

    /// Whether a table reads findings or what only the protocols' checks and sessions give:
    /// the expert table, the I/O table (findings per interval), the protocols' own tables
    /// (Overte's nodes count HMAC verdicts, the heartbeat's sessions, Overnet's peers), a
    /// table's filter on findings. The others let that work be skipped.
    pub fn reads_findings(&self) -> bool {
        self.sel.has(|i| matches!(i, Item::Expert(..) | Item::Io(..) | Item::Protocol(_) | Item::AllProtocols))
            || self.gates.all().any(Filter::reads_findings)
    }

    /// Whether a conversation is followed: its output is text only.
    pub fn follows(&self) -> bool {
        !self.follows.is_empty()
    }

    /// Whether the selected tables need the protocols dissected ([`Selection::needs_dissection`]),
    /// or a table's filter reads more than the frames' headers.
    pub fn needs_dissection(&self) -> bool {
        self.sel.needs_dissection() || self.gates.all().any(|f| !crate::layers::only_layer_keys(f.keys().into_iter()))
    }

    /// Whether the selected tables read more than the records ([`Selection::needs_layers`]).
    pub fn needs_layers(&self) -> bool {
        self.sel.needs_layers() || !self.gates.filters.is_empty()
    }

    /// Whether a protocol's own table is selected: only then are the dissectors asked for theirs
    /// (building them all, Overnet's peers for one, costs as much as a table shown).
    pub fn shows_protocol_tables(&self) -> bool {
        self.sel.has(|i| matches!(i, Item::Protocol(_) | Item::AllProtocols))
    }

    /// Frames seen so far.
    pub fn frames(&self) -> u64 {
        self.capture.packets()
    }

    /// Renders every selected table: aligned text tables or one JSON document.
    /// `proto_tables` makes the protocols' own tables (`Engine::tables()`), asked for only when
    /// one is shown.
    pub fn report(
        &self,
        info: &CaptureInfo,
        proto_tables: impl FnOnce() -> Vec<Table>,
        format: StatsFormat,
        w: &mut dyn Write,
    ) -> Result<()> {
        std::thread::scope(|s| {
            // With a second core, the large tables are sorted on threads of their own while
            // this one makes the protocols' tables, and each is joined only when it is
            // written: the tables before it are written meanwhile.
            let two = crate::cores() >= 2;
            let gates = &self.gates;
            let convs = &self.convs;
            let mut sorted: Vec<Option<Later>> = convs
                .iter()
                .map(|c| Some(Later::new(s, two, move || filtered(c.table.table(), gates.text(c.gate)))))
                .collect();
            sorted.extend(self.endpoints.iter().map(|(e, from)| {
                let of = from.map(|c| &convs[c].table);
                Some(Later::new(s, two, move || filtered(e.table.table(of), gates.text(e.gate))))
            }));
            let proto = if self.shows_protocol_tables() { proto_tables() } else { Vec::new() };
            let tables = self.tables(info, &proto, sorted).into_iter().map(Later::get);
            match format {
                StatsFormat::Text => render::text(tables, w),
                StatsFormat::Json => render::json(tables, w),
            }
        })?;
        if format == StatsFormat::Text {
            for f in &self.follows {
                f.report(w)?;
            }
        }
        Ok(())
    }

    /// The selected tables, in the selection's order. `sorted`: the conversation tables, then
    /// the endpoint tables, each taken when its item comes.
    fn tables<'s, 'a: 'p, 'p>(
        &'a self,
        info: &CaptureInfo,
        proto_tables: &'p [Table],
        mut sorted: Vec<Option<Later<'s, 'a, 'p>>>,
    ) -> Vec<Later<'s, 'a, 'p>> {
        let mut out = Vec::new();
        let (mut convs, mut endpoints) = (0..self.convs.len(), self.convs.len()..sorted.len());
        let (mut hierarchy, mut messages, mut io) = (self.hierarchy.iter(), self.messages.iter(), self.io.iter());
        let mut shown: Vec<&str> = Vec::new();
        let gates = &self.gates;
        for item in &self.sel.items {
            match item {
                Item::Summary => out.push(Later::Ready(self.capture.table(info))),
                Item::Conversations(..) => out.extend(convs.next().and_then(|i| sorted[i].take())),
                Item::Endpoints(..) => out.extend(endpoints.next().and_then(|i| sorted[i].take())),
                Item::Hierarchy(_) => {
                    out.extend(hierarchy.next().map(|h| Later::Ready(filtered(h.table.table(), gates.text(h.gate)))))
                }
                Item::Messages(_) => {
                    out.extend(messages.next().map(|m| Later::Ready(filtered(m.table.table(), gates.text(m.gate)))))
                }
                Item::Io(..) => out.extend(io.next().map(|i| Later::Ready(i.table()))),
                Item::Expert(least, gate) => {
                    let e = self.expert.iter().find(|e| gates.text(e.gate) == gate.as_deref());
                    out.extend(e.map(|e| Later::Ready(filtered(e.table.table(*least), gates.text(e.gate)))))
                }
                Item::Follow(_) => {}
                Item::Protocol(_) | Item::AllProtocols => {
                    // Every table: only the protocols the capture has; a table asked for by
                    // name: shown even empty.
                    let wanted = |t: &&Table| {
                        item.selects_table(t.name) && (matches!(item, Item::Protocol(_)) || !t.rows.is_empty())
                    };
                    for t in proto_tables.iter().filter(wanted) {
                        if !shown.contains(&t.name) {
                            shown.push(t.name);
                            out.push(Later::Ready(StatTable::from_protocol(t)));
                        }
                    }
                }
            }
        }
        out
    }
}

/// A table whose frames a display filter chose says so in its name and title.
fn filtered<'a>(mut t: StatTable<'a>, filter: Option<&str>) -> StatTable<'a> {
    if let Some(f) = filter {
        t.name = format!("{},{f}", t.name);
        t.title = format!("{} (filter: {f})", t.title);
    }
    t
}

/// A table, or the thread that is making it (a table that borrows for `'a`, shown as one
/// that borrows for the shorter `'p`).
enum Later<'scope, 'a, 'p> {
    Ready(StatTable<'p>),
    Sorting(ScopedJoinHandle<'scope, StatTable<'a>>),
}

impl<'scope, 'a: 'scope + 'p, 'p> Later<'scope, 'a, 'p> {
    /// Made by `make` on a thread of its own in `scope` when `thread`, else here and now.
    fn new<'env>(
        scope: &'scope Scope<'scope, 'env>,
        thread: bool,
        make: impl FnOnce() -> StatTable<'a> + Send + 'scope,
    ) -> Later<'scope, 'a, 'p> {
        if thread {
            Later::Sorting(scope.spawn(make))
        } else {
            Later::Ready(make())
        }
    }

    fn get(self) -> StatTable<'p> {
        match self {
            Later::Ready(t) => t,
            Later::Sorting(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
        }
    }
}

impl Sink for StatsSink {
    fn looks_ahead(&self) -> bool {
        self.convs.iter().any(|c| c.table.looks_ahead()) || self.endpoints.iter().any(|(e, _)| e.table.looks_ahead())
    }

    fn prefetch(&self, link_type: u16, data: &[u8]) {
        if let Some((src, dst)) = glance_udp_v4(data, link_type) {
            for c in &self.convs {
                c.table.prefetch(src, dst);
            }
            for (e, _) in &self.endpoints {
                e.table.prefetch(src, dst);
            }
        }
    }

    fn frame(&mut self, v: &FrameView) -> Result<()> {
        self.capture.add(v);
        self.gates.pass(v);
        let passes = &self.gates.passes;
        if !(self.convs.is_empty() && self.endpoints.is_empty()) {
            // Endpoints before the conversations count the frame: those may just have filled up.
            for (e, from) in self.endpoints.iter_mut().filter(|(e, _)| e.counts(passes)) {
                let convs = from.map(|c| &self.convs[c].table);
                if e.table.summed(convs) {
                    continue;
                }
                if let Some((src, dst)) = ends(v, e.table.layer) {
                    e.table.add(convs, u64::from(v.frame.orig_len), src, dst);
                }
            }
            for c in self.convs.iter_mut().filter(|c| c.counts(passes)) {
                if let Some((src, dst)) = ends(v, c.table.layer) {
                    c.table.add(v, src, dst);
                }
            }
        }
        for h in self.hierarchy.iter_mut().filter(|h| h.counts(passes)) {
            h.table.add(v);
        }
        for m in self.messages.iter_mut().filter(|m| m.counts(passes)) {
            m.table.add(v);
        }
        for io in &mut self.io {
            io.add(v);
        }
        for e in self.expert.iter_mut().filter(|e| e.counts(passes)) {
            e.table.add(Some(v.frame.number), v.out.experts());
        }
        if !self.follows.is_empty() {
            let stream = v.out.values(udpdissect_core::UDP_STREAM.key).find_map(|f| match f.value {
                Value::Unsigned(n) => Some(n),
                _ => None,
            });
            for f in &mut self.follows {
                f.frame(v, stream);
            }
        }
        Ok(())
    }

    fn finish(&mut self, end: &Dissection) -> Result<()> {
        // The end of the capture is no frame: a filtered table has none of its findings.
        for e in self.expert.iter_mut().filter(|e| e.gate.is_none()) {
            e.table.add(None, end.experts());
        }
        for f in &mut self.follows {
            f.finish()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
