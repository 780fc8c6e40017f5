//! The one shape every statistics table takes before rendering: named columns and rows of
//! typed values, so text and JSON come from the same data.

use udpdissect_core::{Cell, Table};

/// One value. Typed so JSON keeps numbers as numbers and times stay exact. It may borrow its
/// text from what the table is made of (`'a`).
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Empty,
    Text(String),
    /// Text that outlives the row (protocol and severity names, a protocol table's cells): no
    /// allocation per row.
    Name(&'a str),
    /// An address:port, written straight into the output.
    Addr(std::net::SocketAddr),
    Int(i64),
    UInt(u64),
    /// A number with the decimals the text form shows (JSON gets the number).
    Float(f64, u8),
    /// Capture time, nanoseconds since the epoch: UTC date-time in text, epoch seconds string in JSON.
    Time(i64),
    /// Nanoseconds shown as seconds with nine decimals (durations, epoch seconds).
    Seconds(i64),
    /// A node of a tree: indented by depth in text, its path (`frame:eth:ip`) in JSON.
    Tree {
        indented: String,
        path: String,
    },
}

impl Val<'_> {
    pub fn text(s: impl Into<String>) -> Val<'static> {
        Val::Text(s.into())
    }

    /// The same value, holding its text rather than borrowing it.
    pub fn owned(&self) -> Val<'static> {
        match self {
            Val::Empty => Val::Empty,
            Val::Text(t) => Val::Text(t.clone()),
            Val::Name(t) => Val::Text(t.to_string()),
            Val::Addr(a) => Val::Addr(*a),
            Val::Int(v) => Val::Int(*v),
            Val::UInt(v) => Val::UInt(*v),
            Val::Float(v, d) => Val::Float(*v, *d),
            Val::Time(ns) => Val::Time(*ns),
            Val::Seconds(ns) => Val::Seconds(*ns),
            Val::Tree { indented, path } => Val::Tree { indented: indented.clone(), path: path.clone() },
        }
    }

    /// Whether the text form is right-aligned.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Val::Int(_) | Val::UInt(_) | Val::Float(..) | Val::Seconds(_))
    }

    /// A rate or average: `Empty` when the divisor is zero or the result is not finite.
    pub fn ratio(num: f64, den: f64, decimals: u8) -> Val<'static> {
        let v = num / den;
        if den == 0.0 || !v.is_finite() {
            Val::Empty
        } else {
            Val::Float(v, decimals)
        }
    }
}

impl<'a> From<&'a Cell> for Val<'a> {
    fn from(c: &'a Cell) -> Val<'a> {
        match c {
            Cell::Empty => Val::Empty,
            Cell::Text(s) => Val::Name(s),
            Cell::Name(s) => Val::Name(s),
            Cell::Addr(a) => Val::Addr(*a),
            Cell::Int(v) => Val::Int(*v),
            Cell::UInt(v) | Cell::Frame(v) => Val::UInt(*v),
            Cell::Time(ns) => Val::Time(*ns),
            Cell::Duration(ns) => Val::Seconds(*ns),
            Cell::Float(v, decimals) if v.is_finite() => Val::Float(*v, *decimals),
            Cell::Float(..) => Val::Empty,
        }
    }
}

/// Hands row `i`'s cells to the callback. Shared, so that two threads can render one table's
/// rows; the cells live on the stack of the call, so that a row costs no allocation.
type RowFn<'a> = Box<dyn Fn(usize, &mut dyn FnMut(&[Val<'_>])) + Send + Sync + 'a>;

/// Starts loading what row `i` will read (a row made from an entry far out in a large map
/// misses the cache, and the renderer knows which rows come next).
type AheadFn<'a> = Box<dyn Fn(usize) + Send + Sync + 'a>;

/// Rows this far ahead of the one being made are asked for early ([`Rows::ahead`]).
pub const AHEAD: usize = 8;

/// A table's rows: built, or made one at a time when rendered so that a large table never
/// exists twice in memory.
pub enum Rows<'a> {
    Built(Vec<Vec<Val<'a>>>),
    OnDemand { len: usize, row: RowFn<'a>, ahead: Option<AheadFn<'a>> },
}

impl Rows<'_> {
    pub fn len(&self) -> usize {
        match self {
            Rows::Built(v) => v.len(),
            Rows::OnDemand { len, .. } => *len,
        }
    }

    /// Starts loading what row `i` will read, when its maker says how; nothing past the end.
    pub fn ahead(&self, i: usize) {
        if let Rows::OnDemand { len, ahead: Some(ahead), .. } = self {
            if i < *len {
                ahead(i);
            }
        }
    }

    /// Row `i` (< `len()`), lent to `f`: the first cells its maker hands over (none if it
    /// hands over none).
    pub fn with<R>(&self, i: usize, f: impl FnOnce(&[Val<'_>]) -> R) -> R {
        match self {
            Rows::Built(v) => f(&v[i]),
            Rows::OnDemand { row, .. } => {
                let (mut f, mut out) = (Some(f), None);
                row(i, &mut |cells| {
                    if let Some(f) = f.take() {
                        out = Some(f(cells));
                    }
                });
                match (out, f) {
                    (Some(out), _) => out,
                    (None, Some(f)) => f(&[]),
                    (None, None) => unreachable!("`f` is taken only to make `out`"),
                }
            }
        }
    }
}

/// A rendered-to-be table.
pub struct StatTable<'a> {
    /// The `-z` name (`conv,udp`, `io,60`, `heartbeat.sessions`).
    pub name: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Rows<'a>,
    /// The widest text of each column's cells, when whoever made the rows measured them on the
    /// way (saves the text form a pass over them).
    pub widths: Option<Vec<usize>>,
    /// What a bound left out (rows, or frames where the note says so).
    pub omitted: u64,
    /// Lines shown under the table (and as `notes` in JSON).
    pub notes: Vec<String>,
    /// A list of properties and their values (the capture summary): every value left-aligned
    /// in text, as capinfos writes them, numbers among words included.
    pub list: bool,
}

impl<'a> StatTable<'a> {
    pub fn new(name: impl Into<String>, title: impl Into<String>, columns: &[&str]) -> StatTable<'a> {
        StatTable {
            name: name.into(),
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Rows::Built(Vec::new()),
            widths: None,
            omitted: 0,
            notes: Vec::new(),
            list: false,
        }
    }

    pub fn push(&mut self, row: Vec<Val<'a>>) {
        self.widths = None;
        if let Rows::OnDemand { .. } = self.rows {
            let owned = |cells: &[Val<'_>]| cells.iter().map(Val::owned).collect();
            self.rows = Rows::Built((0..self.rows.len()).map(|i| self.rows.with(i, owned)).collect());
        }
        if let Rows::Built(v) = &mut self.rows {
            v.push(row);
        }
    }

    /// Rows made from a sorted list when rendered.
    /// `row` hands the cells of one item to the callback it is given.
    pub fn on_demand<T: Send + Sync + 'a>(
        &mut self,
        items: Vec<T>,
        row: impl Fn(&T, &mut dyn FnMut(&[Val<'_>])) + Send + Sync + 'a,
    ) {
        self.rows = Rows::OnDemand { len: items.len(), row: Box::new(move |i, out| row(&items[i], out)), ahead: None };
    }

    /// [`StatTable::on_demand`], with `ahead` starting to load what an item's row will read.
    pub fn on_demand_ahead<T: Send + Sync + 'a>(
        &mut self,
        items: Vec<T>,
        ahead: impl Fn(&T) + Send + Sync + 'a,
        row: impl Fn(&T, &mut dyn FnMut(&[Val<'_>])) + Send + Sync + 'a,
    ) {
        let items = std::sync::Arc::new(items);
        let theirs = std::sync::Arc::clone(&items);
        self.rows = Rows::OnDemand {
            len: items.len(),
            row: Box::new(move |i, out| row(&items[i], out)),
            ahead: Some(Box::new(move |i| ahead(&theirs[i]))),
        };
    }

    /// A protocol's table, rendered generically.
    pub fn from_protocol(t: &'a Table) -> StatTable<'a> {
        let mut out = StatTable::new(t.name, t.title.clone(), &t.columns);
        // The cells borrow the table's text: a row costs one allocation, not one per text.
        out.on_demand(t.rows.iter().collect(), |r: &&Vec<Cell>, out| out(&r.iter().map(Val::from).collect::<Vec<_>>()));
        out.omitted = t.omitted;
        if t.omitted > 0 {
            out.notes.push(format!("{} rows omitted (limit reached)", t.omitted));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row maker that hands over its cells twice, or not at all, still gives one row.
    #[test]
    fn a_row_is_the_first_cells_handed_over() {
        let mut t = StatTable::new("t", "T", &["n"]);
        t.on_demand(vec![0u64, 1, 2], |&i, row| {
            for k in 0..i {
                row(&[Val::UInt(10 * i + k)]);
            }
        });
        let rows: Vec<Vec<Val>> =
            (0..3).map(|i| t.rows.with(i, |cells| cells.iter().map(Val::owned).collect())).collect();
        assert_eq!(rows, [vec![], vec![Val::UInt(10)], vec![Val::UInt(20)]]);
    }
}
