//! What `udpdissect stats` shows of EQStream: one row per session.

use crate::session::Game;
use std::net::SocketAddr;
use udpdissect_core::{Cell, Table, TimeNs};

/// Sessions kept for the table; later ones are only counted.
pub const MAX_ROWS: usize = 10_000;

/// Counters a session keeps for the statistics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counters {
    pub datagrams: u64,
    pub reliable: u64,
    pub retransmissions: u64,
    pub gaps: u64,
    pub crc_errors: u64,
    pub rtt_count: u64,
    pub rtt_sum: i64,
    pub rtt_min: Option<TimeNs>,
    pub rtt_max: Option<TimeNs>,
    pub last_frame: u64,
}

impl Counters {
    pub fn rtt(&mut self, d: TimeNs) {
        self.rtt_count += 1;
        self.rtt_sum = self.rtt_sum.saturating_add(d);
        self.rtt_min = Some(self.rtt_min.map_or(d, |m| m.min(d)));
        self.rtt_max = Some(self.rtt_max.map_or(d, |m| m.max(d)));
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub session_id: Option<u32>,
    pub first_frame: u64,
    pub game: Game,
    pub key: Option<u64>,
    pub lost: Option<u64>,
    pub c: Counters,
}

#[derive(Debug, Default)]
pub struct Rows {
    pub rows: Vec<Row>,
    pub omitted: u64,
}

impl Rows {
    /// A new row's index, or `None` when the table is full.
    pub fn add(&mut self, row: Row) -> Option<usize> {
        if self.rows.len() >= MAX_ROWS {
            self.omitted += 1;
            return None;
        }
        self.rows.push(row);
        Some(self.rows.len() - 1)
    }

    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "eqstream.sessions",
            "EQStream sessions",
            vec![
                "session",
                "client",
                "server",
                "game",
                "session id",
                "first frame",
                "last frame",
                "datagrams",
                "reliable",
                "retransmitted",
                "gaps",
                "crc errors",
                "rtt min",
                "rtt avg",
                "rtt max",
                "rc4 key",
                "stream lost",
            ],
        );
        t.omitted = self.omitted;
        for (i, r) in self.rows.iter().enumerate() {
            let game = match r.game {
                Game::Eq1 => "EQ1",
                Game::Eq2 => "EQ2",
                Game::Unknown => "",
            };
            let avg = (r.c.rtt_count > 0).then(|| r.c.rtt_sum / r.c.rtt_count as i64);
            t.rows.push(vec![
                Cell::UInt(i as u64 + 1),
                Cell::socket(r.client),
                Cell::socket(r.server),
                Cell::Text(game.to_string()),
                r.session_id.map_or(Cell::Empty, |s| Cell::Text(format!("{s:08x}"))),
                Cell::Frame(r.first_frame),
                Cell::Frame(r.c.last_frame),
                Cell::UInt(r.c.datagrams),
                Cell::UInt(r.c.reliable),
                Cell::UInt(r.c.retransmissions),
                Cell::UInt(r.c.gaps),
                Cell::UInt(r.c.crc_errors),
                r.c.rtt_min.map_or(Cell::Empty, Cell::Duration),
                avg.map_or(Cell::Empty, Cell::Duration),
                r.c.rtt_max.map_or(Cell::Empty, Cell::Duration),
                r.key.map_or(Cell::Empty, |k| Cell::Text(format!("{k:016x}"))),
                r.lost.map_or(Cell::Empty, Cell::Frame),
            ]);
        }
        t
    }
}
