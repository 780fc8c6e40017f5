//! The time column (`-t`), with as many decimals as the capture's resolution justifies.

use super::digits::{push_decimals, push_seconds, push_u64_zeros};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    Relative,
    Absolute {
        date: bool,
        utc: bool,
    },
    Epoch,
    Delta,
    /// From the previous frame shown.
    DeltaShown,
}

impl TimeFormat {
    pub fn parse(s: &str) -> Option<TimeFormat> {
        Some(match s {
            "r" => TimeFormat::Relative,
            "a" => TimeFormat::Absolute { date: false, utc: false },
            "ad" => TimeFormat::Absolute { date: true, utc: false },
            "u" => TimeFormat::Absolute { date: false, utc: true },
            "ud" => TimeFormat::Absolute { date: true, utc: true },
            "e" => TimeFormat::Epoch,
            "d" => TimeFormat::Delta,
            "dd" => TimeFormat::DeltaShown,
            _ => return None,
        })
    }

    /// The nanoseconds the column shows as seconds: every format but the clock times.
    pub fn seconds(&self, abs_ns: i64, rel_ns: i64, delta_ns: i64, shown_ns: i64) -> Option<i64> {
        match *self {
            TimeFormat::Relative => Some(rel_ns),
            TimeFormat::Delta => Some(delta_ns),
            TimeFormat::DeltaShown => Some(shown_ns),
            TimeFormat::Epoch => Some(abs_ns),
            TimeFormat::Absolute { .. } => None,
        }
    }

    /// Writes the column for a frame at `abs_ns` (epoch), `rel_ns`, `delta_ns` and
    /// `shown_ns` (delta from the previous frame shown).
    pub fn write(&self, s: &mut String, abs_ns: i64, rel_ns: i64, delta_ns: i64, shown_ns: i64, digits: u8) {
        if let Some(ns) = self.seconds(abs_ns, rel_ns, delta_ns, shown_ns) {
            return push_seconds(s, ns, digits);
        }
        let TimeFormat::Absolute { date, utc } = *self else { return };
        let ts = jiff::Timestamp::from_nanosecond(abs_ns as i128).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let tz = if utc { jiff::tz::TimeZone::UTC } else { jiff::tz::TimeZone::system() };
        let dt = ts.to_zoned(tz).datetime();
        if date {
            // Nanoseconds in an i64 span the years 1677 to 2262: four digits, no sign.
            push_u64_zeros(s, dt.year().unsigned_abs().into(), 4);
            for (sep, v) in [('-', dt.month()), ('-', dt.day())] {
                s.push(sep);
                push_u64_zeros(s, v as u64, 2);
            }
            s.push(' ');
        }
        for (i, v) in [dt.hour(), dt.minute(), dt.second()].into_iter().enumerate() {
            if i > 0 {
                s.push(':');
            }
            push_u64_zeros(s, v as u64, 2);
        }
        push_decimals(s, dt.subsec_nanosecond() as u32, digits);
    }
}

/// Appends `2026-11-21 00:57:04.123456789 UTC` (with `digits` decimals).
pub fn push_utc(s: &mut String, ns: i64, digits: u8) {
    TimeFormat::Absolute { date: true, utc: true }.write(s, ns, 0, 0, 0, digits);
    s.push_str(" UTC");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(f: &str, abs: i64, digits: u8) -> String {
        let mut s = String::new();
        TimeFormat::parse(f).unwrap().write(&mut s, abs, abs - 1_000_000_000, -5, 7, digits);
        s
    }

    #[test]
    fn formats_by_resolution() {
        let t = 1_700_000_000_123_456_789;
        assert_eq!(w("e", t, 9), "1700000000.123456789");
        assert_eq!(w("e", t, 6), "1700000000.123456");
        assert_eq!(w("r", t, 3), "1699999999.123");
        assert_eq!(w("d", t, 9), "-0.000000005");
        assert_eq!(w("dd", t, 9), "0.000000007");
        assert_eq!(w("ud", t, 6), "2023-11-14 22:13:20.123456");
        assert_eq!(w("u", t, 0), "22:13:20");
        for ns in [i64::MIN, -1, 0, 951_782_400_000_000_000, t, i64::MAX] {
            let dt = jiff::Timestamp::from_nanosecond(ns.into()).unwrap().to_zoned(jiff::tz::TimeZone::UTC).datetime();
            let mut s = String::new();
            push_utc(&mut s, ns, 9);
            let (y, mo, d, h, mi, sec) = (dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute(), dt.second());
            let frac = dt.subsec_nanosecond();
            assert_eq!(s, format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}.{frac:09} UTC"));
        }
    }
}
