//! Preferences (`-o eqstream.PREF:VALUE`) and keys from outside the capture.

use crate::opcodes::{Eq1Opcodes, Eq2Opcodes};
use crate::session::Game;
use std::net::SocketAddr;

/// Which sessions a key-log line applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySel {
    /// The SessionRequest's session id.
    Session(u32),
    /// The client's address.
    Client(SocketAddr),
    Any,
}

#[derive(Default)]
pub struct Config {
    pub eq1: Eq1Opcodes,
    pub eq2: Eq2Opcodes,
    /// `-o eqstream.rc4_key:HEX`, for every session.
    pub rc4_key: Option<u64>,
    pub keylog: Vec<(KeySel, u64)>,
    /// `-o eqstream.rc4_key_source:session`: the notes' scheme.
    pub session_key_rc4: bool,
    pub game: Game,
    /// `-o eqstream.max_streams:N`: EQ2 zlib streams kept at once (default
    /// `streams::DEFAULT_LIVE`).
    pub max_streams: Option<usize>,
}

fn parse_key(s: &str) -> Result<u64, String> {
    let h = s.trim().trim_start_matches("0x");
    if h.is_empty() || h.len() > 16 {
        return Err(format!("'{s}' is not a 64-bit key: give up to 16 hex digits"));
    }
    u64::from_str_radix(h, 16).map_err(|_| format!("'{s}' is not a 64-bit key: give up to 16 hex digits"))
}

/// Parses a key log: `SELECTOR KEY` per line, `#` comments. SELECTOR is the session id as 8
/// hex digits, the client's `IP:PORT`, or `*`; KEY is K in hex (16 digits).
pub fn parse_keylog(text: &str) -> Result<Vec<(KeySel, u64)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(sel), Some(key), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!("line {}: expected 'SESSION_ID|CLIENT_IP:PORT|* KEY'", n + 1));
        };
        let sel = if sel == "*" {
            KeySel::Any
        } else if let Ok(a) = sel.parse::<SocketAddr>() {
            KeySel::Client(a)
        } else if sel.len() == 8 {
            KeySel::Session(
                u32::from_str_radix(sel, 16).map_err(|_| format!("line {}: '{sel}' is not a session id", n + 1))?,
            )
        } else {
            return Err(format!("line {}: '{sel}' is neither a session id (8 hex digits), IP:PORT nor *", n + 1));
        };
        out.push((sel, parse_key(key).map_err(|e| format!("line {}: {e}", n + 1))?));
    }
    Ok(out)
}

impl Config {
    pub fn set(&mut self, pref: &str, value: &str) -> Result<(), String> {
        let read = |v: &str| std::fs::read_to_string(v).map_err(|e| format!("eqstream.{pref}: {v}: {e}"));
        match pref {
            "eq1_opcodes" => self.eq1 = Eq1Opcodes::parse(&read(value)?).map_err(|e| format!("{value}: {e}"))?,
            "eq2_opcodes" => self.eq2 = Eq2Opcodes::parse(&read(value)?).map_err(|e| format!("{value}: {e}"))?,
            "rc4_key" => self.rc4_key = Some(parse_key(value).map_err(|e| format!("eqstream.rc4_key: {e}"))?),
            "keylog" => self.keylog.extend(parse_keylog(&read(value)?).map_err(|e| format!("{value}: {e}"))?),
            "rc4_key_source" => {
                self.session_key_rc4 = match value {
                    "session" => true,
                    "reply" => false,
                    _ => return Err(format!("eqstream.rc4_key_source: '{value}': expected 'reply' or 'session'")),
                }
            }
            "game" => {
                self.game = match value {
                    "auto" => Game::Unknown,
                    "eq1" => Game::Eq1,
                    "eq2" => Game::Eq2,
                    _ => return Err(format!("eqstream.game: '{value}': expected auto, eq1 or eq2")),
                }
            }
            "max_streams" => {
                let most = crate::streams::MOST_LIVE;
                self.max_streams = Some(value.parse().ok().filter(|n| (1..=most).contains(n)).ok_or_else(|| {
                    format!("eqstream.max_streams: '{value}': expected a number of streams from 1 to {most}")
                })?)
            }
            _ => return Err(format!("unknown preference 'eqstream.{pref}'")),
        }
        Ok(())
    }

    /// EQ2 zlib streams kept at once.
    pub fn max_streams(&self) -> usize {
        self.max_streams.unwrap_or(crate::streams::DEFAULT_LIVE)
    }

    /// The key for a session: key log by session id, then by client, then `*`, then `rc4_key`.
    pub fn key_for(&self, session: Option<u32>, client: SocketAddr) -> Option<u64> {
        let find = |want: &dyn Fn(&KeySel) -> bool| self.keylog.iter().find(|(s, _)| want(s)).map(|e| e.1);
        find(&|s| session.is_some_and(|id| *s == KeySel::Session(id)))
            .or_else(|| find(&|s| *s == KeySel::Client(client)))
            .or_else(|| find(&|s| *s == KeySel::Any))
            .or(self.rc4_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keylog_lines_and_lookup() {
        let log = parse_keylog("# keys\n0a0b0c0d 0123456789abcdef\n10.0.0.1:4000 1111111111111111\n* 22\n").unwrap();
        let cfg = Config { keylog: log, ..Default::default() };
        let c: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let other: SocketAddr = "10.0.0.2:4000".parse().unwrap();
        assert_eq!(cfg.key_for(Some(0x0a0b0c0d), other), Some(0x0123456789abcdef));
        assert_eq!(cfg.key_for(Some(1), c), Some(0x1111111111111111));
        assert_eq!(cfg.key_for(None, other), Some(0x22));
        assert!(parse_keylog("zz 12").unwrap_err().contains("line 1"));
        assert!(parse_keylog("* 12345678901234567").unwrap_err().contains("64-bit"));
    }

    #[test]
    fn prefs_are_checked() {
        let mut c = Config::default();
        c.set("rc4_key", "0123456789abcdef").unwrap();
        assert_eq!(c.rc4_key, Some(0x0123456789abcdef));
        c.set("rc4_key_source", "session").unwrap();
        assert!(c.session_key_rc4);
        assert!(c.set("rc4_key_source", "x").is_err());
        assert!(c.set("game", "eq3").is_err());
        assert_eq!(c.max_streams(), 512);
        c.set("max_streams", "4000").unwrap();
        assert_eq!(c.max_streams(), 4000);
        for bad in ["0", "65537", "-1", "many"] {
            assert!(c.set("max_streams", bad).unwrap_err().contains("from 1 to 65536"), "{bad}");
        }
        assert!(c.set("nope", "1").unwrap_err().contains("unknown preference"));
        assert!(c.set("eq1_opcodes", "/nonexistent/patch.conf").is_err());
    }
}
