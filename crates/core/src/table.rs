//! Statistics a protocol reports at the end of a run (`udpdissect stats`): plain tables that
//! the CLI renders as text or JSON, so protocols never print.

/// One cell, typed so JSON keeps numbers as numbers and times stay exact.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Text known at compile time (a message name, a node type): no allocation per row.
    Name(&'static str),
    /// An address with its port, shown as `SocketAddr` shows it.
    Addr(std::net::SocketAddr),
    Int(i64),
    UInt(u64),
    /// A frame number.
    Frame(u64),
    /// Capture time, nanoseconds since the epoch.
    Time(i64),
    /// Nanoseconds.
    Duration(i64),
    /// A rate or share, with the decimals its text shows (JSON gets the number).
    Float(f64, u8),
}

impl Cell {
    /// An address with its port, kept as one: tables of peers run to hundreds of thousands
    /// of rows, and the text is written straight into the output when they are rendered.
    pub fn socket(a: std::net::SocketAddr) -> Cell {
        Cell::Addr(a)
    }

    /// Bytes in lowercase hex.
    pub fn hex(bytes: &[u8]) -> Cell {
        let mut s = String::new();
        crate::digits::push_hex(&mut s, bytes);
        Cell::Text(s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name for `-z` and JSON (`heartbeat.sessions`).
    pub name: &'static str,
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows left out because a bound was reached (said under the table).
    pub omitted: u64,
}

impl Table {
    pub fn new(name: &'static str, title: impl Into<String>, columns: Vec<&'static str>) -> Table {
        Table { name, title: title.into(), columns, rows: Vec::new(), omitted: 0 }
    }
}
