//! `udpdissect stats`: statistics tables collected in one pass (a [`Sink`]) and rendered at the
//! end as text tables or one JSON document. Memory grows with conversations, endpoints and
//! intervals (each bounded), never with frames: nothing is kept per frame.
//!
//! Uses only what the summary path fills in (`protocol`, `message`, findings), never fields.

mod capture;
mod conversations;
mod expert;
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
use conversations::{udp_addrs, Conversations, Endpoints};
use expert::ExpertStats;
use hierarchy::Hierarchy;
use io::IoStats;
use io_column::IoColumn;
use messages::Messages;
use selection::Item;
use std::io::{Result, Write};
use std::thread::{Scope, ScopedJoinHandle};
use table::StatTable;
use udpdissect_capture::CaptureInfo;
use udpdissect_core::{Dissection, Table};
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
    convs: Option<Conversations>,
    endpoints: Option<Endpoints>,
    hierarchy: Option<Hierarchy>,
    messages: Option<Messages>,
    /// One per `Item::Io` in the selection, in its order.
    io: Vec<IoStats>,
    expert: Option<ExpertStats>,
    /// Boxed: five compiled filters, most often all absent, would make the sink large to move.
    gates: Box<Gates>,
}

/// The display filters of the tables that have one (`conv,udp,FILTER`): a frame counts in such
/// a table only when its filter keeps the frame.
#[derive(Debug, Default)]
struct Gates {
    /// Whether any table has a filter (most runs: none, and nothing to test per frame).
    any: bool,
    convs: Option<Filter>,
    endpoints: Option<Filter>,
    hierarchy: Option<Filter>,
    messages: Option<Filter>,
    expert: Option<Filter>,
}

impl Gates {
    fn new(sel: &Selection, catalog: &Catalog) -> std::result::Result<Gates, String> {
        let gate = |kind: &str| {
            sel.filter(kind)
                .map(|f| {
                    io_column::compile_filter(f, catalog).map_err(|e| {
                        // `expert,warning`: more likely a level misspelt than a filter.
                        let level = kind == "expert" && f.bytes().all(|b| b.is_ascii_alphabetic());
                        let hint =
                            if level { "\n(expert's levels are error, warn, note, chat and comment)" } else { "" };
                        format!("{kind}: {e}{hint}")
                    })
                })
                .transpose()
        };
        let mut gates = Gates {
            any: false,
            convs: gate("conv,udp")?,
            endpoints: gate("endpoints,udp")?,
            hierarchy: gate("phs")?,
            messages: gate("proto")?,
            expert: gate("expert")?,
        };
        let any = gates.all().next().is_some();
        gates.any = any;
        Ok(gates)
    }

    /// Which tables count this frame: each one without a filter, and each whose filter keeps it.
    fn pass(&self, v: &FrameView) -> Passes {
        if !self.any {
            return Passes { convs: true, endpoints: true, hierarchy: true, messages: true, expert: true };
        }
        let pass = |gate: &Option<Filter>| gate.as_ref().is_none_or(|f| f.matches(v.out, v.frame.data));
        Passes {
            convs: pass(&self.convs),
            endpoints: pass(&self.endpoints),
            hierarchy: pass(&self.hierarchy),
            messages: pass(&self.messages),
            expert: pass(&self.expert),
        }
    }

    fn all(&self) -> impl Iterator<Item = &Filter> {
        [&self.convs, &self.endpoints, &self.hierarchy, &self.messages, &self.expert].into_iter().flatten()
    }
}

/// [`Gates::pass`]: whether each table counts a frame.
struct Passes {
    convs: bool,
    endpoints: bool,
    hierarchy: bool,
    messages: bool,
    expert: bool,
}

impl StatsSink {
    /// The collector of the selected tables; `catalog` knows the fields the I/O table's
    /// columns name (an error names a column that is wrong).
    pub fn new(sel: Selection, catalog: &Catalog) -> std::result::Result<StatsSink, String> {
        StatsSink::with_limit(sel, catalog, MAX_ENTRIES)
    }

    /// Like [`StatsSink::new`] with at most `entries` conversations and endpoints.
    pub fn with_limit(sel: Selection, catalog: &Catalog, entries: usize) -> std::result::Result<StatsSink, String> {
        let want = |item: Item| sel.has(|i| *i == item);
        let mut io = Vec::new();
        for item in &sel.items {
            if let Item::Io(interval, columns) = item {
                let columns = columns
                    .iter()
                    .map(|c| IoColumn::new(c, catalog).map_err(|e| format!("io column '{c}': {e}")))
                    .collect::<std::result::Result<_, _>>()?;
                io.push(IoStats::new(*interval, columns));
            }
        }
        // Summed from the conversations when they are kept anyway, over the same frames.
        let summed = want(Item::Conversations) && sel.filter("conv,udp") == sel.filter("endpoints,udp");
        Ok(StatsSink {
            capture: CaptureStats::default(),
            convs: want(Item::Conversations).then(|| Conversations::new(entries)),
            endpoints: want(Item::Endpoints).then(|| Endpoints::new(entries, summed)),
            hierarchy: want(Item::Hierarchy).then(Hierarchy::default),
            messages: want(Item::Messages).then(Messages::default),
            io,
            expert: sel.has(|i| matches!(i, Item::Expert(_))).then(ExpertStats::default),
            gates: Box::new(Gates::new(&sel, catalog)?),
            sel,
        })
    }

    /// The field keys the I/O table's columns read: a run builds them (and dissects for them).
    pub fn keys(&self) -> Vec<&str> {
        let gates = self.gates.all().flat_map(|f| f.keys());
        self.io.iter().flat_map(IoStats::keys).chain(gates).collect()
    }

    /// Whether a column or a table's filter reads fields, which makes a run build a tree.
    pub fn reads_fields(&self) -> bool {
        self.io.iter().any(|i| i.has_columns()) || self.gates.any
    }

    /// Whether the selected tables need the protocols dissected ([`Selection::needs_dissection`]),
    /// or a table's filter reads more than the frames' headers.
    pub fn needs_dissection(&self) -> bool {
        self.sel.needs_dissection() || self.gates.all().any(|f| !crate::layers::only_layer_keys(f.keys().into_iter()))
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
            // With a second core, the two large tables are sorted on threads of their own
            // while this one makes the protocols' tables, and each is joined only when it is
            // written: the tables before it are written meanwhile.
            let two = crate::cores() >= 2;
            let (conv_filter, endpoint_filter) = (self.sel.filter("conv,udp"), self.sel.filter("endpoints,udp"));
            let sorted = Sorted {
                convs: self.convs.as_ref().map(|c| Later::new(s, two, move || filtered(c.table(), conv_filter))),
                endpoints: self
                    .endpoints
                    .as_ref()
                    .map(|e| Later::new(s, two, move || filtered(e.table(self.convs.as_ref()), endpoint_filter))),
            };
            let proto = if self.shows_protocol_tables() { proto_tables() } else { Vec::new() };
            let tables = self.tables(info, &proto, sorted).into_iter().map(Later::get);
            match format {
                StatsFormat::Text => render::text(tables, w),
                StatsFormat::Json => render::json(tables, w),
            }
        })
    }

    /// The selected tables, in the selection's order.
    fn tables<'s, 'a: 'p, 'p>(
        &'a self,
        info: &CaptureInfo,
        proto_tables: &'p [Table],
        mut sorted: Sorted<'s, 'a, 'p>,
    ) -> Vec<Later<'s, 'a, 'p>> {
        let mut out = Vec::new();
        let mut io = self.io.iter();
        let mut shown: Vec<&str> = Vec::new();
        let sel = &self.sel;
        for item in &self.sel.items {
            match item {
                Item::Summary => out.push(Later::Ready(self.capture.table(info))),
                // Each is in the selection once.
                Item::Conversations => out.extend(sorted.convs.take()),
                Item::Endpoints => out.extend(sorted.endpoints.take()),
                Item::Hierarchy => {
                    out.extend(self.hierarchy.as_ref().map(|h| Later::Ready(filtered(h.table(), sel.filter("phs")))))
                }
                Item::Messages => {
                    out.extend(self.messages.as_ref().map(|m| Later::Ready(filtered(m.table(), sel.filter("proto")))))
                }
                Item::Io(..) => out.extend(io.next().map(|i| Later::Ready(i.table()))),
                Item::Expert(least) => out.extend(
                    self.expert.as_ref().map(|e| Later::Ready(filtered(e.table(*least), sel.filter("expert")))),
                ),
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

/// The large tables, made (with a second core, on threads of their own) before the others.
struct Sorted<'scope, 'a, 'p> {
    convs: Option<Later<'scope, 'a, 'p>>,
    endpoints: Option<Later<'scope, 'a, 'p>>,
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
    fn frame(&mut self, v: &FrameView) -> Result<()> {
        self.capture.add(v);
        let pass = self.gates.pass(v);
        if self.convs.is_some() || self.endpoints.is_some() {
            if let Some((src, dst)) = udp_addrs(v) {
                // Before the conversations count it: they may just have filled up.
                if let Some(e) = &mut self.endpoints {
                    if pass.endpoints {
                        e.add(self.convs.as_ref(), u64::from(v.frame.orig_len), src, dst);
                    }
                }
                if let Some(c) = &mut self.convs {
                    if pass.convs {
                        c.add(v, src, dst);
                    }
                }
            }
        }
        if let Some(h) = &mut self.hierarchy {
            if pass.hierarchy {
                h.add(v);
            }
        }
        if let Some(m) = &mut self.messages {
            if pass.messages {
                m.add(v);
            }
        }
        for io in &mut self.io {
            io.add(v);
        }
        if let Some(e) = &mut self.expert {
            if pass.expert {
                e.add(Some(v.frame.number), v.out.experts());
            }
        }
        Ok(())
    }

    fn finish(&mut self, end: &Dissection) -> Result<()> {
        // The end of the capture is no frame: a filtered table has none of its findings.
        if let Some(e) = self.expert.as_mut().filter(|_| self.gates.expert.is_none()) {
            e.add(None, end.experts());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
