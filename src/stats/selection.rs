//! Which tables to show, from tshark-style `-z` names.

use udpdissect_core::Severity;

/// Longest interval `io,N` accepts: 10⁹ s (about 31 years).
const MAX_INTERVAL_NS: i64 = 1_000_000_000 * 1_000_000_000;

/// The width of the `io` table's intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Nanoseconds, as given.
    Fixed(i64),
    /// Chosen from the capture's duration so the table stays short.
    Auto,
}

/// A table's display filter as written (`conv,udp,FILTER`): only the frames it keeps count in
/// the table. `None`: every frame.
pub type Gate = Option<String>;

/// The layer whose addresses key a conversation or endpoint table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// UDP address:port pairs.
    Udp,
    /// TCP address:port pairs (`conv,tcp`).
    Tcp,
    /// IPv4 addresses (tshark's `conv,ip`), any transport.
    Ip,
    /// IPv6 addresses (`conv,ipv6`).
    Ipv6,
    /// Ethernet (MAC) addresses (`conv,eth`), whatever the frame carries.
    Eth,
}

impl Layer {
    /// Every layer, in the order the names are listed.
    pub const ALL: [Layer; 5] = [Layer::Udp, Layer::Tcp, Layer::Ip, Layer::Ipv6, Layer::Eth];

    /// What its tables' titles call it.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Udp => "UDP",
            Layer::Tcp => "TCP",
            Layer::Ip => "IPv4",
            Layer::Ipv6 => "IPv6",
            Layer::Eth => "Ethernet",
        }
    }

    /// The `-z` names of its conversations and endpoints tables.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Layer::Udp => ("conv,udp", "endpoints,udp"),
            Layer::Tcp => ("conv,tcp", "endpoints,tcp"),
            Layer::Ip => ("conv,ip", "endpoints,ip"),
            Layer::Ipv6 => ("conv,ipv6", "endpoints,ipv6"),
            Layer::Eth => ("conv,eth", "endpoints,eth"),
        }
    }

    /// Whether its conversations have a protocol column (the dissectors' protocol name), which
    /// takes dissecting: UDP's only. The other layers' tables are read off the headers.
    pub fn has_protocol(self) -> bool {
        self == Layer::Udp
    }
}

/// One selected table (or group of protocol tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Summary,
    Conversations(Layer, Gate),
    Endpoints(Layer, Gate),
    Hierarchy(Gate),
    Messages(Gate),
    /// The interval, and the columns of `io,stat,N,COLUMN,...` as written.
    Io(Interval, Vec<String>),
    /// Findings of this severity or above (`expert,warn`; plain `expert`: all).
    Expert(Severity, Gate),
    /// Protocol tables whose name is this, or starts with this followed by a dot.
    Protocol(String),
    /// Every protocol table.
    AllProtocols,
    /// One UDP conversation's payloads (`follow,udp,hex,0`), printed after the tables.
    Follow(super::follow::Spec),
}

impl Item {
    /// The `-z` name of a table that takes a display filter after it (`conv,udp,FILTER`).
    pub fn filterable(&self) -> Option<&'static str> {
        Some(match self {
            Item::Conversations(layer, _) => layer.names().0,
            Item::Endpoints(layer, _) => layer.names().1,
            Item::Hierarchy(_) => "phs",
            Item::Messages(_) => "proto",
            Item::Expert(..) => "expert",
            _ => return None,
        })
    }

    /// The display filter of a table that has one.
    pub fn gate(&self) -> Option<&str> {
        match self {
            Item::Conversations(_, g)
            | Item::Endpoints(_, g)
            | Item::Hierarchy(g)
            | Item::Messages(g)
            | Item::Expert(_, g) => g.as_deref(),
            _ => None,
        }
    }

    fn with_gate(self, gate: Gate) -> Item {
        match self {
            Item::Conversations(layer, _) => Item::Conversations(layer, gate),
            Item::Endpoints(layer, _) => Item::Endpoints(layer, gate),
            Item::Hierarchy(_) => Item::Hierarchy(gate),
            Item::Messages(_) => Item::Messages(gate),
            Item::Expert(least, _) => Item::Expert(least, gate),
            other => other,
        }
    }

    /// Whether the protocol table named `table` is selected by this item.
    pub fn selects_table(&self, table: &str) -> bool {
        match self {
            Item::AllProtocols => true,
            Item::Protocol(p) => udpdissect_core::key_under(table, p),
            _ => false,
        }
    }
}

/// Which tables: parsed from tshark-style names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub(crate) items: Vec<Item>,
}

impl Selection {
    /// Every table, the `io` table with an automatic interval.
    pub fn all() -> Selection {
        Selection {
            items: vec![
                Item::Summary,
                Item::Conversations(Layer::Udp, None),
                Item::Endpoints(Layer::Udp, None),
                Item::Hierarchy(None),
                Item::Messages(None),
                Item::Io(Interval::Auto, Vec::new()),
                Item::Expert(Severity::Note, None),
                Item::AllProtocols,
            ],
        }
    }

    /// No table yet; see [`Selection::add`].
    pub fn none() -> Selection {
        Selection::default()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds one -z name; error message lists the valid names. Names: "summary" (capinfos-like),
    /// "conv,udp", "endpoints,udp" (and the same for tcp, ip, ipv6 and eth), "phs" (also
    /// tshark's "io,phs"), "proto" (message types per
    /// protocol), "io" (automatic interval), "io,N" (N seconds, decimals allowed; also tshark's
    /// "io,stat,N", with tshark's columns after it), "expert" (or "expert,warn", "expert,error":
    /// those and above), and a protocol table by its table name or protocol name ("heartbeat"
    /// selects all heartbeat.* tables). Tables show in the order added; a table asked for twice
    /// the same way shows once.
    ///
    /// The `conv` and `endpoints` tables, `phs` (`io,phs`), `proto` and `expert` (after its level,
    /// if any) take a display filter as a last part, as in tshark: `conv,udp,ip.addr==10.0.0.1`.
    /// A table may be asked for with several filters (and without): each is a table of its own.
    pub fn add(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        let item = if let Some(rest) = name.strip_prefix("follow,") {
            Item::Follow(super::follow::Spec::parse(rest)?)
        } else {
            match split_filter(name) {
                // `conv,udp,` with nothing after the comma: no filter, as in tshark.
                Some((base, filter)) => parse(base)?.with_gate(Some(filter.to_string()).filter(|f| !f.is_empty())),
                None => parse(name)?,
            }
        };
        if !self.items.contains(&item) {
            self.items.push(item);
        }
        Ok(())
    }

    /// Whether a table reads what only the protocols' dissection gives: a protocol column or
    /// message type, findings, or a protocol's own table. The capture summary, the endpoints
    /// and the conversations of every layer but UDP (no protocol column) need only the
    /// frames' headers.
    pub fn needs_dissection(&self) -> bool {
        self.has(|i| match i {
            Item::Summary | Item::Endpoints(..) => false,
            Item::Follow(spec) => spec.needs_dissection(),
            Item::Conversations(layer, _) => layer.has_protocol(),
            _ => true,
        })
    }

    /// Whether a selected table needs more than the records: every one but the capture
    /// summary reads a frame's layers.
    pub fn needs_layers(&self) -> bool {
        self.has(|i| !matches!(i, Item::Summary))
    }

    pub(crate) fn has(&self, pred: impl Fn(&Item) -> bool) -> bool {
        self.items.iter().any(pred)
    }
}

/// `conv,udp,ip.addr==10.0.0.1` → (`conv,udp`, the filter): a table that takes a filter, and
/// everything after its name (commas included) as the filter, perhaps empty.
fn split_filter(name: &str) -> Option<(&str, &str)> {
    const BASES: [&str; 8] =
        ["io,phs", "phs", "proto", "expert,note", "expert,chat", "expert,comment", "expert,warn", "expert,error"];
    let tables = Layer::ALL.iter().flat_map(|l| [l.names().0, l.names().1]);
    // A base is the whole name before a comma: `conv,ip,` is not the start of `conv,ipv6,`.
    let base = tables.chain(BASES).find(|b| name.strip_prefix(b).is_some_and(|rest| rest.starts_with(',')));
    let (base, filter) = match base {
        Some(b) => (&name[..b.len()], &name[b.len() + 1..]),
        // `expert,FILTER`: no level, every finding.
        None => match name.strip_prefix("expert,")? {
            "note" | "chat" | "comment" | "warn" | "error" => return None,
            filter => ("expert", filter),
        },
    };
    Some((base, filter.trim()))
}

fn parse(name: &str) -> Result<Item, String> {
    Ok(match name {
        "summary" => Item::Summary,
        "phs" | "io,phs" => Item::Hierarchy(None),
        "proto" => Item::Messages(None),
        "io" => Item::Io(Interval::Auto, Vec::new()),
        // tshark's levels; chat and comment are below anything udpdissect reports.
        "expert" | "expert,note" | "expert,chat" | "expert,comment" => Item::Expert(Severity::Note, None),
        "expert,warn" => Item::Expert(Severity::Warn, None),
        "expert,error" => Item::Expert(Severity::Error, None),
        _ => {
            if let Some(layer) = Layer::ALL.into_iter().find(|l| l.names().0 == name) {
                return Ok(Item::Conversations(layer, None));
            }
            if let Some(layer) = Layer::ALL.into_iter().find(|l| l.names().1 == name) {
                return Ok(Item::Endpoints(layer, None));
            }
            if let Some(rest) = name.strip_prefix("io,stat,").or_else(|| name.strip_prefix("io,")) {
                let parts = super::io_column::split_columns(rest);
                let n = parts[0].trim();
                let ns = parse_seconds(n).ok_or_else(|| {
                    format!("bad interval '{n}' in '{name}': give seconds greater than 0, such as io,60 or io,0.5")
                })?;
                let columns = parts[1..].iter().map(|c| c.trim().to_string()).collect();
                return Ok(Item::Io(Interval::Fixed(ns), columns));
            }
            let known = protocol_tables();
            if known.iter().any(|k| k == name) {
                Item::Protocol(name.to_string())
            } else {
                return Err(format!("unknown statistics '{name}'; valid names: {}", valid_names(&known)));
            }
        }
    })
}

/// The valid names, for error messages and help.
pub fn valid_names(protocol: &[String]) -> String {
    let mut v: Vec<String> = vec!["summary".to_string()];
    v.extend(Layer::ALL.iter().flat_map(|l| [l.names().0, l.names().1]).map(str::to_string));
    v.extend([
        "phs (or io,phs)",
        "proto",
        "io (automatic interval)",
        "io,N (N seconds, such as io,60 or io,0.5; or io,stat,N), with tshark's columns after it (io,stat,60,FILTER,SUM(FIELD)FILTER,...)",
        "expert (expert,error or expert,warn: those and above)",
        "conv, endpoints, phs, proto or expert with a display filter after it (conv,udp,ip.addr==10.0.0.1; expert,warn,udp)",
        "follow,udp,MODE,FILTER[,RANGE] (one conversation's payloads: follow,udp,hex,0; follow,eqstream,…: its application packets)",
    ]
    .iter()
    .map(|s| s.to_string()));
    v.extend(protocol.iter().cloned());
    v.join(", ")
}

/// Protocol names and their table names, from the registered dissectors.
pub fn protocol_tables() -> Vec<String> {
    let mut names = Vec::new();
    for d in crate::dissectors() {
        let proto = d.info().name.to_string();
        if !names.contains(&proto) {
            names.push(proto);
        }
        for t in d.tables() {
            if !names.iter().any(|n| n == t.name) {
                names.push(t.name.to_string());
            }
        }
    }
    names
}

/// `"60"`, `"0.5"`, `"1.000000001"` → nanoseconds; `None` unless 0 < N ≤ 10⁹ s with at most
/// nine decimals.
pub fn parse_seconds(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 9
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut nanos = 0i64;
    for b in frac.bytes().chain(std::iter::repeat(b'0')).take(9) {
        nanos = nanos * 10 + i64::from(b - b'0');
    }
    let ns = whole.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    (ns > 0 && ns <= MAX_INTERVAL_NS).then_some(ns)
}

/// Nanoseconds as the shortest decimal seconds (`60`, `0.5`).
pub fn seconds_name(ns: i64) -> String {
    let (whole, frac) = (ns / 1_000_000_000, ns % 1_000_000_000);
    if frac == 0 {
        whole.to_string()
    } else {
        let f = format!("{frac:09}");
        format!("{whole}.{}", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        let mut s = Selection::none();
        for n in ["summary", "conv,udp", "endpoints,udp", "io,phs", "phs", "proto", "io,stat,0.5", "io,60", "expert"] {
            s.add(n).unwrap();
        }
        s.add("heartbeat").unwrap();
        s.add("heartbeat.sessions").unwrap();
        assert_eq!(s.items.len(), 10, "phs twice counts once");
        assert!(s.items.contains(&Item::Io(Interval::Fixed(500_000_000), Vec::new())));
        s.add("io,stat,60,udp.port==3335,SUM(udp.length)ip.src in {10.0.0.1, 10.0.0.2},").unwrap();
        assert!(s.items.contains(&Item::Io(
            Interval::Fixed(60_000_000_000),
            vec!["udp.port==3335".into(), "SUM(udp.length)ip.src in {10.0.0.1, 10.0.0.2}".into(), String::new()]
        )));
        let err = s.add("conv,sctp").unwrap_err();
        assert!(
            err.contains("conv,udp") && err.contains("endpoints,eth") && err.contains("heartbeat.sessions"),
            "{err}"
        );
        s.add("conv,tcp").unwrap();
        s.add("endpoints,eth,!udp").unwrap();
        assert!(s.items.contains(&Item::Conversations(Layer::Tcp, None)));
        assert!(s.items.contains(&Item::Endpoints(Layer::Eth, Some("!udp".into()))));
        assert!(s.add("io,0").is_err());
        assert!(s.add("io,-1").is_err());
        assert!(s.add("io,abc").is_err());
        assert!(s.add("io,1.0000000001").is_err());
        assert!(s.add("io,99999999999999").is_err());
    }

    #[test]
    fn tables_take_a_filter_last() {
        assert_eq!(split_filter("conv,udp,ip.addr == 10.0.0.1"), Some(("conv,udp", "ip.addr == 10.0.0.1")));
        assert_eq!(
            split_filter("endpoints,udp,ip.src in {1.2.3.4, 5.6.7.8}"),
            Some(("endpoints,udp", "ip.src in {1.2.3.4, 5.6.7.8}"))
        );
        assert_eq!(split_filter("io,phs,udp"), Some(("io,phs", "udp")));
        assert_eq!(split_filter("expert,warn,frame.number < 9"), Some(("expert,warn", "frame.number < 9")));
        assert_eq!(split_filter("expert,heartbeat"), Some(("expert", "heartbeat")));
        for plain in ["conv,udp", "expert", "expert,warn", "expert,error", "io,phs", "phs", "io,stat,1,udp"] {
            assert_eq!(split_filter(plain), None, "{plain}");
        }
        assert_eq!(split_filter("conv,udp, "), Some(("conv,udp", "")), "an empty filter, as tshark takes it");
        let mut s = Selection::none();
        s.add("conv,udp,udp.port == 3335").unwrap();
        s.add("conv,udp,udp.port == 3335").unwrap();
        s.add("expert,warn,udp").unwrap();
        s.add("expert,error,udp").unwrap();
        s.add("phs").unwrap();
        s.add("conv,udp").unwrap();
        s.add("io,phs,udp").unwrap();
        s.add("proto,").unwrap();
        let gate = |f: &str| Some(f.to_string());
        assert_eq!(
            s.items,
            [
                Item::Conversations(Layer::Udp, gate("udp.port == 3335")),
                Item::Expert(Severity::Warn, gate("udp")),
                Item::Expert(Severity::Error, gate("udp")),
                Item::Hierarchy(None),
                Item::Conversations(Layer::Udp, None),
                Item::Hierarchy(gate("udp")),
                Item::Messages(None),
            ],
            "the same table twice counts once; with another filter (or none) it is another table; \
             an empty filter is none"
        );
        assert_eq!(s.items[0].gate(), Some("udp.port == 3335"));
        assert_eq!(s.items[4].gate(), None);
        assert!(s.add("summary,udp").is_err(), "the capture summary takes no filter");
    }

    #[test]
    fn seconds_round_trip() {
        assert_eq!(parse_seconds("60"), Some(60_000_000_000));
        assert_eq!(parse_seconds("0.5"), Some(500_000_000));
        assert_eq!(parse_seconds(".25"), Some(250_000_000));
        assert_eq!(parse_seconds("1."), Some(1_000_000_000));
        assert_eq!(parse_seconds("."), None);
        assert_eq!(seconds_name(60_000_000_000), "60");
        assert_eq!(seconds_name(500_000_000), "0.5");
        assert_eq!(seconds_name(1_000_000_001), "1.000000001");
    }

    #[test]
    fn protocol_prefix_selects_its_tables() {
        let p = Item::Protocol("heartbeat".into());
        assert!(p.selects_table("heartbeat.sessions"));
        assert!(p.selects_table("heartbeat"));
        assert!(!p.selects_table("heartbeatx.sessions"));
        assert!(Item::Protocol("heartbeat.sessions".into()).selects_table("heartbeat.sessions"));
    }
}
