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
        let tz = if utc { jiff::tz::TimeZone::UTC } else { local_zone().clone() };
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
        push_clock(s, dt);
        push_decimals(s, dt.subsec_nanosecond() as u32, digits);
    }
}

/// Appends `2026-11-21 00:57:04.123456789 UTC` (with `digits` decimals).
pub fn push_utc(s: &mut String, ns: i64, digits: u8) {
    TimeFormat::Absolute { date: true, utc: true }.write(s, ns, 0, 0, 0, digits);
    s.push_str(" UTC");
}

/// The local time zone (`TZ`, else the system's), looked up once per run rather than per frame.
fn local_zone() -> &'static jiff::tz::TimeZone {
    static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(jiff::tz::TimeZone::system)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Appends a date as tshark prints `frame.time`: `Mar  2, 2026 08:01:00.000123457 CET`, in the
/// local time zone (`TZ`, else the system's) with its abbreviation, or in UTC.
pub fn push_date(s: &mut String, ns: i64, utc: bool) {
    let ts = jiff::Timestamp::from_nanosecond(ns as i128).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let tz = if utc { jiff::tz::TimeZone::UTC } else { local_zone().clone() };
    let info = tz.to_offset_info(ts);
    let dt = info.offset().to_datetime(ts);
    s.push_str(MONTHS[dt.month() as usize - 1]);
    s.push(' ');
    if dt.day() < 10 {
        s.push(' ');
    }
    push_u64_zeros(s, dt.day() as u64, 1);
    s.push_str(", ");
    push_u64_zeros(s, dt.year().unsigned_abs().into(), 4);
    s.push(' ');
    push_clock(s, dt);
    push_decimals(s, dt.subsec_nanosecond() as u32, 9);
    s.push(' ');
    s.push_str(info.abbreviation());
}

/// Appends the local date (`TZ`, else the system's) of a capture time: `2026-03-02`.
pub fn push_local_day(s: &mut String, ns: i64) {
    let start = s.len();
    TimeFormat::Absolute { date: true, utc: false }.write(s, ns, 0, 0, 0, 0);
    s.truncate(start + 10);
}

/// Appends ISO 8601 in UTC with nanoseconds: `2026-03-02T08:01:00.000123457Z`.
pub fn push_iso_utc(s: &mut String, ns: i64) {
    let start = s.len();
    TimeFormat::Absolute { date: true, utc: true }.write(s, ns, 0, 0, 0, 9);
    s.replace_range(start + 10..start + 11, "T");
    s.push('Z');
}

/// Appends the local time now as C's `ctime` writes it (`Wed Nov 25 18:53:47 2026`): when a
/// PDML document was written.
pub fn push_now_ctime(s: &mut String) {
    let now = jiff::Timestamp::now().to_zoned(local_zone().clone());
    let _ = std::fmt::Write::write_fmt(s, format_args!("{}", now.strftime("%a %b %e %H:%M:%S %Y")));
}

fn push_clock(s: &mut String, dt: jiff::civil::DateTime) {
    for (i, v) in [dt.hour(), dt.minute(), dt.second()].into_iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        push_u64_zeros(s, v as u64, 2);
    }
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

    #[test]
    fn dates_read_as_tsharks_frame_time() {
        let mut s = String::new();
        push_date(&mut s, 1_772_438_460_000_123_457, true);
        assert_eq!(s, "Mar  2, 2026 08:01:00.000123457 UTC");
        s.clear();
        push_date(&mut s, 1_700_000_000_123_456_789, true);
        assert_eq!(s, "Nov 14, 2023 22:13:20.123456789 UTC");
        s.clear();
        push_iso_utc(&mut s, 1_772_438_460_000_123_457);
        assert_eq!(s, "2026-03-02T08:01:00.000123457Z");
    }
}
