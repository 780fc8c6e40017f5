//! The `summary` table: what capinfos says about a capture file.

use super::table::{StatTable, Val};
use crate::render::FrameView;
use udpdissect_capture::{linktype, CaptureInfo, Compression, Format};

/// Counters over every frame.
#[derive(Debug, Default, Clone)]
pub struct CaptureStats {
    packets: u64,
    /// Sum of the lengths on the wire.
    bytes: u64,
    /// Sum of the captured lengths.
    captured: u64,
    /// Earliest and latest timestamp (frames without one move neither).
    first: Option<i64>,
    last: Option<i64>,
    untimed: u64,
    /// Packets the capture lost, by the packet blocks' drop counts (`None`: no block counts).
    dropped: Option<u64>,
    /// Frames per interface, by capture-wide index (at most the reader's bound on
    /// interfaces); a pcapng block on no interface counts in none.
    per_interface: Vec<u64>,
}

impl CaptureStats {
    pub fn add(&mut self, v: &FrameView) {
        self.packets += 1;
        self.bytes += u64::from(v.frame.orig_len);
        self.captured += v.frame.data.len() as u64;
        if v.frame.has_ts {
            let t = v.abs_ns;
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        } else {
            self.untimed += 1;
        }
        v.frame.options.add_drop_count(&mut self.dropped);
        if v.frame.interface_id.is_some() || v.frame.section == 0 {
            let i = v.frame.interface as usize;
            if i >= self.per_interface.len() {
                self.per_interface.resize(i + 1, 0);
            }
            self.per_interface[i] += 1;
        }
    }

    pub fn packets(&self) -> u64 {
        self.packets
    }

    pub fn table(&self, info: &CaptureInfo) -> StatTable<'static> {
        let mut t = StatTable::new("summary", "Capture file summary", &["property", "value"]);
        t.list = true;
        let mut row = |k: &str, v: Val<'static>| t.push(vec![Val::text(k), v]);
        match info.format {
            Format::Pcap { nanos, big_endian, major, minor } => {
                row("file format", Val::text(format!("pcap {major}.{minor}")));
                row("byte order", Val::text(if big_endian { "big-endian" } else { "little-endian" }));
                row("timestamp resolution", Val::text(if nanos { "nanoseconds" } else { "microseconds" }));
                // capinfos's "packet size limit" from the file header (pcapng gives one per
                // interface, in their rows below).
                row("snapshot length", Val::UInt(info.interfaces.first().map_or(0, |i| u64::from(i.snaplen))));
            }
            Format::PcapNg => {
                row("file format", Val::text("pcapng"));
                let mut res: Vec<String> = Vec::new();
                for i in &info.interfaces {
                    let r = resolution(i.ts_digits);
                    if !res.contains(&r) {
                        res.push(r);
                    }
                }
                row("timestamp resolution", Val::text(res.join(", ")));
            }
        }
        row("compression", Val::text(info.compression.map_or("none", Compression::name)));
        // capinfos's lines from the first section header.
        let header = &info.header;
        for (key, text) in [
            ("capture hardware", &header.hardware),
            ("capture oper-sys", &header.os),
            ("capture application", &header.application),
        ] {
            if let Some(text) = text {
                row(key, Val::Text(text.clone()));
            }
        }
        for comment in &header.comments {
            row("capture comment", Val::Text(comment.clone()));
        }
        row("sections", Val::UInt(u64::from(info.sections)));
        row("interfaces", Val::UInt(info.interfaces.len() as u64));
        let mut links: Vec<String> = Vec::new();
        for i in &info.interfaces {
            let l = format!("{} ({})", linktype::name(i.link_type), i.link_type);
            if !links.contains(&l) {
                links.push(l);
            }
        }
        row("link types", Val::text(links.join(", ")));
        // capinfos's per-interface lines, one row each (a pcap file's one interface is the
        // rows above).
        if info.format == Format::PcapNg {
            for (i, iface) in info.interfaces.iter().enumerate() {
                let packets = self.per_interface.get(i).copied().unwrap_or(0);
                // capinfos gives the description beside the name.
                let described = iface.description.as_deref().map(|d| format!(" \"{d}\"")).unwrap_or_default();
                let text = format!(
                    "{}{described} (section {}, id {}): {} ({}), snapshot length {}, {}, {packets} packet{}",
                    iface.name.as_deref().unwrap_or("unknown"),
                    iface.section,
                    iface.id,
                    linktype::name(iface.link_type),
                    iface.link_type,
                    iface.snaplen,
                    resolution(iface.ts_digits),
                    if packets == 1 { "" } else { "s" },
                );
                row(&format!("interface {i}"), Val::Text(text));
                // capinfos's further lines for the interface, and its statistics.
                let options = iface.options();
                let texts = [
                    ("capture filter", options.filter()),
                    ("oper-sys", options.text(12)),
                    ("hardware", options.text(15)),
                ];
                for (key, text) in texts {
                    if let Some(text) = text {
                        row(&format!("interface {i} {key}"), Val::Text(text.into_owned()));
                    }
                }
                if let Some(speed) = options.speed() {
                    row(&format!("interface {i} speed (bits/s)"), Val::UInt(speed));
                }
                // Its last Interface Statistics Block's counters, those it gives.
                if let Some(st) = &iface.statistics {
                    row(&format!("interface {i} statistics time"), Val::Time(st.time.as_nanos()));
                    let counters = [
                        ("packets received", st.received),
                        ("packets dropped by the interface", st.dropped),
                        ("packets dropped by the OS", st.os_dropped),
                        ("packets accepted by the filter", st.accepted),
                        ("packets delivered", st.delivered),
                    ];
                    for (key, n) in counters {
                        if let Some(n) = n {
                            row(&format!("interface {i} {key}"), Val::UInt(n));
                        }
                    }
                    for (key, t) in [("capture start", st.start), ("capture end", st.end)] {
                        if let Some(t) = t {
                            row(&format!("interface {i} {key}"), Val::Time(t.as_nanos()));
                        }
                    }
                }
            }
        }
        row("packets", Val::UInt(self.packets));
        if self.untimed > 0 {
            row("packets without timestamp", Val::UInt(self.untimed));
        }
        // What the capture lost, where it says: by its interfaces' last statistics, and by its
        // packet blocks' drop counts (the two may count the same packets).
        if let Some(lost) = info.lost_by_statistics() {
            row("packets lost (interface statistics)", Val::UInt(lost));
        }
        if let Some(dropped) = self.dropped {
            row("packets lost (packet drop counts)", Val::UInt(dropped));
        }
        row("bytes", Val::UInt(self.bytes));
        row("captured bytes", Val::UInt(self.captured));
        let time = |t: Option<i64>| t.map_or(Val::Empty, Val::Time);
        let epoch = |t: Option<i64>| t.map_or(Val::Empty, Val::Seconds);
        row("first packet time", time(self.first));
        row("first packet epoch", epoch(self.first));
        row("last packet time", time(self.last));
        row("last packet epoch", epoch(self.last));
        let duration = self.first.zip(self.last).map(|(f, l)| l.saturating_sub(f));
        row("duration", duration.map_or(Val::Empty, Val::Seconds));
        let secs = duration.map_or(0.0, |d| d as f64 / 1e9);
        row("average packet size (bytes)", Val::ratio(self.bytes as f64, self.packets as f64, 2));
        row("data rate (bytes/s)", Val::ratio(self.bytes as f64, secs, 3));
        row("data rate (bits/s)", Val::ratio(self.bytes as f64 * 8.0, secs, 3));
        row("average packet rate (packets/s)", Val::ratio(self.packets as f64, secs, 3));
        t
    }
}

fn resolution(digits: u8) -> String {
    match digits {
        0 => "seconds".into(),
        3 => "milliseconds".into(),
        6 => "microseconds".into(),
        9 => "nanoseconds".into(),
        d => format!("{d} decimal digits"),
    }
}
