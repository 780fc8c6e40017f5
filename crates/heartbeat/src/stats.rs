//! What `udpdissect stats` shows of the heartbeat: one row per session.

use std::net::{IpAddr, SocketAddr};
use udpdissect_core::{Cell, Table, TimeNs};

/// Sessions replaced by a new UID kept for the table; later ones are only counted.
const MAX_RETIRED: usize = 10_000;

/// Counters a session keeps only for the statistics.
#[derive(Debug, Default, Clone)]
pub struct SessionStats {
    pub first_beat: Option<(u64, TimeNs)>,
    pub replies: u64,
    /// Beats that got no reply.
    pub missed: u64,
    /// Frame and time of the first -2 reply.
    pub death: Option<(u64, TimeNs)>,
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub number: u64,
    pub client: IpAddr,
    pub server: SocketAddr,
    pub uid: i64,
    pub first: Option<(u64, TimeNs)>,
    pub last: Option<(u64, TimeNs)>,
    pub beats: u64,
    pub replies: u64,
    pub missed: u64,
    pub death: Option<(u64, TimeNs)>,
    pub cadence: Option<TimeNs>,
}

#[derive(Debug, Default)]
pub struct Retired {
    pub rows: Vec<SessionRow>,
    pub dropped: u64,
}

impl Retired {
    pub fn push(&mut self, row: SessionRow) {
        if self.rows.len() < MAX_RETIRED {
            self.rows.push(row);
        } else {
            self.dropped += 1;
        }
    }
}

fn frame_time(v: Option<(u64, TimeNs)>) -> [Cell; 2] {
    match v {
        Some((f, t)) => [Cell::Frame(f), Cell::Time(t)],
        None => [Cell::Empty, Cell::Empty],
    }
}

/// The `heartbeat.sessions` table, ordered by session number.
pub fn sessions_table(rows: impl Iterator<Item = SessionRow>, omitted: u64) -> Table {
    let mut rows: Vec<SessionRow> = rows.collect();
    rows.sort_by_key(|r| r.number);
    let mut t = Table::new(
        "heartbeat.sessions",
        "SRUN heartbeat sessions",
        vec![
            "session",
            "client",
            "server",
            "uid",
            "first beat",
            "first beat time",
            "last beat",
            "last beat time",
            "beats",
            "replies",
            "missed replies",
            "death",
            "death time",
            "cadence",
        ],
    );
    t.omitted = omitted;
    for r in rows {
        let [first_frame, first_time] = frame_time(r.first);
        let [last_frame, last_time] = frame_time(r.last);
        let [death_frame, death_time] = frame_time(r.death);
        t.rows.push(vec![
            Cell::UInt(r.number),
            Cell::Text(r.client.to_string()),
            Cell::socket(r.server),
            Cell::Int(r.uid),
            first_frame,
            first_time,
            last_frame,
            last_time,
            Cell::UInt(r.beats),
            Cell::UInt(r.replies),
            Cell::UInt(r.missed),
            death_frame,
            death_time,
            r.cadence.map_or(Cell::Empty, Cell::Duration),
        ]);
    }
    t
}
