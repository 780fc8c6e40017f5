//! What `udpdissect stats` shows of EQStream: one row per session.

use crate::session::Game;
use crate::wire;
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
    /// Meaningful once `rtt_count` is above zero (no `Option`s: a session stays small).
    pub rtt_min: TimeNs,
    pub rtt_max: TimeNs,
    pub last_frame: u64,
    /// Fragment chains put back together.
    pub reassembled: u32,
    /// EQ2 application packets decrypted, and those that could not be (no key, the stream
    /// lost, or sent after the disconnect).
    pub decrypted: u32,
    pub undecrypted: u32,
}

impl Counters {
    pub fn rtt(&mut self, d: TimeNs) {
        let first = self.rtt_count == 0;
        self.rtt_sum = self.rtt_sum.saturating_add(d);
        self.rtt_count += 1;
        self.rtt_min = if first { d } else { self.rtt_min.min(d) };
        self.rtt_max = if first { d } else { self.rtt_max.max(d) };
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
    /// CRC length and encode passes, once the SessionResponse (or the traffic) told them.
    pub crc_bytes: Option<u8>,
    pub passes: Option<[u8; 2]>,
    pub c: Counters,
}

/// The encode passes as the SessionResponse names them, in the order the sender applies them.
fn passes_name(passes: [u8; 2]) -> String {
    let names: Vec<&str> = passes
        .iter()
        .filter(|&&p| p != 0)
        .map(|&p| match p {
            wire::PASS_COMPRESS => "zlib",
            wire::PASS_XOR => "xor",
            _ => "?",
        })
        .collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join("+")
    }
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
                "retransmitted %",
                "gaps",
                "crc errors",
                "rtt min",
                "rtt avg",
                "rtt max",
                "crc bytes",
                "passes",
                "reassembled",
                "rc4 key",
                "decrypted",
                "not decrypted",
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
            let eq2_count = |n: u32| if r.game == Game::Eq2 { Cell::UInt(n.into()) } else { Cell::Empty };
            let rtt = |ns: TimeNs| if r.c.rtt_count > 0 { Cell::Duration(ns) } else { Cell::Empty };
            let avg = r.c.rtt_sum / r.c.rtt_count.max(1) as i64;
            t.rows.push(vec![
                Cell::UInt(i as u64 + 1),
                Cell::socket(r.client),
                Cell::socket(r.server),
                Cell::Name(game),
                r.session_id.map_or(Cell::Empty, |s| Cell::Text(format!("{s:08x}"))),
                Cell::Frame(r.first_frame),
                Cell::Frame(r.c.last_frame),
                Cell::UInt(r.c.datagrams),
                Cell::UInt(r.c.reliable),
                Cell::UInt(r.c.retransmissions),
                if r.c.reliable == 0 {
                    Cell::Empty
                } else {
                    Cell::Float(100.0 * r.c.retransmissions as f64 / r.c.reliable as f64, 1)
                },
                Cell::UInt(r.c.gaps),
                Cell::UInt(r.c.crc_errors),
                rtt(r.c.rtt_min),
                rtt(avg),
                rtt(r.c.rtt_max),
                r.crc_bytes.map_or(Cell::Empty, |c| Cell::UInt(c.into())),
                r.passes.map_or(Cell::Empty, |p| Cell::Text(passes_name(p))),
                Cell::UInt(r.c.reassembled.into()),
                r.key.map_or(Cell::Empty, |k| Cell::Text(format!("{k:016x}"))),
                eq2_count(r.c.decrypted),
                eq2_count(r.c.undecrypted),
                r.lost.map_or(Cell::Empty, Cell::Frame),
            ]);
        }
        t
    }
}
