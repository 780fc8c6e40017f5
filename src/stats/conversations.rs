//! The `conv,*` and `endpoints,*` tables: UDP or TCP traffic per address:port pair and per
//! address:port, IPv4 / IPv6 traffic per address pair and per address (any transport), or
//! Ethernet traffic per MAC address pair and per MAC address, bounded by entry count.

use super::render::Widths;
use super::selection::Layer;
use super::slab_map::SlabMap;
use super::table::{StatTable, Val, AHEAD};
use crate::render::FrameView;
use std::borrow::Cow;
use std::cmp::Reverse;
use std::net::{IpAddr, SocketAddr};
use udpdissect_capture::{Link, Transport};
use udpdissect_core::addr::Addr;

/// Most conversations (and endpoints) tracked; frames of later ones are only counted.
pub const MAX_ENTRIES: usize = 1_000_000;

/// A frame's two ends at `layer`: its UDP datagram's or TCP segment's address:port pairs;
/// for the IP layers, the outermost IP header's addresses (port 0) when it is of that
/// version, whatever it carries; for Ethernet, the frame's MAC addresses.
// Inlined: returned through memory, the two packed keys were written by one set of stores
// and read back by another, and the reads waited for the writes to reach the cache (a tenth of
// `StatsSink::frame`'s time).
#[inline(always)]
pub fn ends(v: &FrameView, layer: Layer) -> Option<(Addr, Addr)> {
    let ipv4 = match layer {
        Layer::Udp => return port_ends(v, false),
        Layer::Tcp => return port_ends(v, true),
        Layer::Eth => {
            return match v.decoded.link {
                Link::Ethernet(e) => Some((Addr::mac(e.src), Addr::mac(e.dst))),
                _ => None,
            }
        }
        Layer::Ip => true,
        Layer::Ipv6 => false,
    };
    let (src, dst) = v.decoded.net.src().zip(v.decoded.net.dst())?;
    (src.is_ipv4() == ipv4).then(|| (Addr::new((src, 0).into()), Addr::new((dst, 0).into())))
}

/// The address:port ends of a frame's UDP datagram (complete or reassembled) or, for `tcp`,
/// its TCP segment.
#[inline(always)]
fn port_ends(v: &FrameView, tcp: bool) -> Option<(Addr, Addr)> {
    let (src_port, dst_port) = match (v.decoded.transport, tcp) {
        (Transport::Udp(u), false) => (u.src_port, u.dst_port),
        (Transport::Tcp(t), true) => (t.src_port, t.dst_port),
        _ => return None,
    };
    let (src, dst) = v.decoded.net.src().zip(v.decoded.net.dst())?;
    Some((Addr::new((src, src_port).into()), Addr::new((dst, dst_port).into())))
}

/// An address cell: address:port for UDP and TCP, the address alone for IP, the MAC address
/// (tshark's `02:42:c0:00:02:64`) for Ethernet.
fn addr_val(layer: Layer, a: &Addr) -> Val<'static> {
    match layer {
        Layer::Udp | Layer::Tcp => Val::Addr(a.socket()),
        Layer::Ip | Layer::Ipv6 => Val::Text(a.socket().ip().to_string()),
        Layer::Eth => {
            let mut s = String::with_capacity(17);
            let _ = udpdissect_core::digits::write_mac(&mut s, &a.as_mac().unwrap_or_default());
            Val::Text(s)
        }
    }
}

/// The conversation table's columns; only UDP's have the protocol column
/// ([`Layer::has_protocol`]).
const CONV_COLUMNS: [&str; 11] = [
    "address A",
    "address B",
    "frames A->B",
    "bytes A->B",
    "frames B->A",
    "bytes B->A",
    "frames",
    "bytes",
    "rel start",
    "duration",
    "protocol",
];

/// Keyed by the two address:port pairs in sorted order; A is whichever sent first.
type ConvKey = (Addr, Addr);

/// A conversation's key: its two ends in order.
fn conv_key(src: Addr, dst: Addr) -> ConvKey {
    if src <= dst {
        (src, dst)
    } else {
        (dst, src)
    }
}

/// Kept small (96 bytes with its key, from 128): a capture can have a million of them. Its
/// first frame is not kept: conversations are kept in the order of their first frames.
#[derive(Debug, Clone)]
struct Conv {
    /// Whether A (the first sender) is the key's first address.
    a_first: bool,
    /// Its protocol's place in [`Conversations::protocols`].
    protocol: u16,
    frames_ab: u64,
    bytes_ab: u64,
    frames_ba: u64,
    bytes_ba: u64,
    /// Relative times of the first and last timestamped frame; `start > end` before one.
    start: i64,
    end: i64,
}

impl Conv {
    fn frames(&self) -> u64 {
        self.frames_ab + self.frames_ba
    }

    /// Relative times of the first and last timestamped frame, if one had a timestamp.
    fn span(&self) -> Option<(i64, i64)> {
        (self.start <= self.end).then_some((self.start, self.end))
    }

    /// (A, B).
    fn ends(&self, key: &ConvKey) -> (Addr, Addr) {
        if self.a_first {
            (key.0, key.1)
        } else {
            (key.1, key.0)
        }
    }
}

#[derive(Debug)]
pub struct Conversations {
    pub layer: Layer,
    map: SlabMap<ConvKey, Conv>,
    /// The protocol names the conversations have (a handful).
    protocols: Vec<&'static str>,
    limit: usize,
    /// Frames of conversations past the limit.
    omitted_frames: u64,
}

impl Conversations {
    pub fn new(layer: Layer, limit: usize) -> Conversations {
        Conversations { layer, map: SlabMap::new(limit), protocols: Vec::new(), limit, omitted_frames: 0 }
    }

    /// Whether [`Conversations::prefetch`] does anything: a UDP table's does; other layers'
    /// keys are not address:port pairs.
    pub fn looks_ahead(&self) -> bool {
        self.layer == Layer::Udp
    }

    /// Starts loading what counting a datagram between these ends will read first.
    pub fn prefetch(&self, src: SocketAddr, dst: SocketAddr) {
        if self.looks_ahead() {
            self.map.prefetch(&conv_key(Addr::new(src), Addr::new(dst)));
        }
    }

    pub fn add(&mut self, v: &FrameView, src: Addr, dst: Addr) {
        let key = conv_key(src, dst);
        let protocols = &mut self.protocols;
        let made = || Conv {
            a_first: key.0 == src,
            protocol: place(protocols, v.out.protocol),
            frames_ab: 0,
            bytes_ab: 0,
            frames_ba: 0,
            bytes_ba: 0,
            start: i64::MAX,
            end: i64::MIN,
        };
        let Some(conv) = self.map.entry(key, made) else {
            self.omitted_frames += 1;
            return;
        };
        let bytes = u64::from(v.frame.orig_len);
        if conv.ends(&key).0 == src {
            conv.frames_ab += 1;
            conv.bytes_ab += bytes;
        } else {
            conv.frames_ba += 1;
            conv.bytes_ba += bytes;
        }
        if v.frame.has_ts {
            conv.start = conv.start.min(v.rel_ns);
            conv.end = conv.end.max(v.rel_ns);
        }
    }

    /// Whether a new conversation would find no room.
    pub fn is_full(&self) -> bool {
        self.map.len() >= self.limit
    }

    pub fn table(&self) -> StatTable<'_> {
        let layer = self.layer;
        let columns = if layer.has_protocol() { &CONV_COLUMNS[..] } else { &CONV_COLUMNS[..10] };
        let mut t = StatTable::new(layer.names().0, format!("{} conversations", layer.label()), columns);
        // Sorted by index on keys made once; indexes follow first frames and are unique, so
        // the order is total. The columns are measured on the way (on this thread, in the
        // map's order): the addresses cell by cell, the rest from their extremes.
        let (map, protocols) = (&self.map, &self.protocols[..]);
        let mut widths = Widths::new(t.columns.len());
        let mut extremes = Extremes::default();
        // Where every conversation has a start and the starts never go back (a capture whose
        // clock runs forward), ties in frames are already in the map's order: the order is by
        // frames alone, counted rather than compared ([`by_high_half`]). Else the full places.
        let mut by_frames = Some(Vec::with_capacity(map.len()));
        let mut last_start = i64::MIN;
        for i in 0..map.len() {
            let (key, c) = map.get(i);
            let (a, b) = c.ends(key);
            widths.add(&[addr_val(layer, &a), addr_val(layer, &b)]);
            extremes.add(c);
            if let Some(keys) = &mut by_frames {
                match (c.span(), u32::try_from(c.frames())) {
                    (Some((start, _)), Ok(frames)) if start >= last_start => {
                        last_start = start;
                        keys.push((u64::from(u32::MAX - frames) << 32) | i as u64);
                    }
                    _ => by_frames = None,
                }
            }
        }
        let order = match by_frames {
            Some(keys) => by_high_half(keys),
            None => sorted(map.len(), |i| conv_order(&map.get(i as usize).1, i), packed_order, |&(.., i)| i),
        };
        extremes.measure(&mut widths, protocols);
        t.widths = Some(widths.into());
        let n = columns.len();
        t.on_demand_ahead(
            order,
            |&i| map.prefetch_slot(i as usize),
            move |&i, row| {
                let (key, c) = map.get(i as usize);
                row(&conv_cells(layer, key, c, protocols)[..n]);
            },
        );
        let (n, limit) = (self.omitted_frames, self.limit);
        limit_note(
            &mut t,
            n,
            format!("limit of {limit} conversations reached: {n} frames of later conversations not counted"),
        );
        t
    }
}

/// Where a conversation's row goes: most frames first, then by start (those without a
/// timestamp last), then by first frame, which is where the conversation is.
type ConvOrder = (Reverse<u64>, (u8, i64), u32);

/// The conversation with index `i`'s place.
fn conv_order(c: &Conv, i: u32) -> ConvOrder {
    (Reverse(c.frames()), c.span().map_or((1, 0), |(s, _)| (0, s)), i)
}

/// A [`ConvOrder`] packed into one number that sorts the same, its low 32 bits the index.
/// `None` for counts and times too large to pack.
fn packed_order(&(Reverse(frames), (none, start), i): &ConvOrder) -> Option<u128> {
    let frames = u32::try_from(frames).ok()?;
    // Starts in order as unsigned numbers, and below every one the conversations without.
    let start = match (none, start) {
        (0, s) if s < i64::MAX => (s as u64) ^ (1 << 63),
        (0, _) => return None,
        _ => u64::MAX,
    };
    Some((u128::from(u32::MAX - frames) << 96) | (u128::from(start) << 32) | u128::from(i))
}

/// The indexes of `n` rows in the order of their places (`place` of each index): each place
/// packed into one number whose low 32 bits are the index (16 bytes compared in two
/// instructions, where sorting the tuples of 32 or 48 bytes took twice the instructions, and
/// a third of their memory), or, when one does not pack, the tuples.
fn sorted<T: Ord>(
    n: usize,
    place: impl Fn(u32) -> T,
    pack: impl Fn(&T) -> Option<u128>,
    index: impl Fn(&T) -> u32,
) -> Vec<u32> {
    let n = u32::try_from(n).expect("maps hold at most u32::MAX entries");
    match (0..n).map(|i| pack(&place(i))).collect::<Option<Vec<u128>>>() {
        Some(mut packed) => {
            packed.sort_unstable();
            packed.iter().map(|&k| k as u32).collect()
        }
        None => {
            let mut places: Vec<T> = (0..n).map(place).collect();
            places.sort_unstable();
            places.iter().map(index).collect()
        }
    }
}

/// The low halves of `keys` (which come in the order of their low halves) in the order of
/// their high halves, ties kept in order: a counting sort per 16 bits of the high half, each
/// skipped where every key has the same digit (the frames of a capture's conversations seldom
/// reach 65 536). A third of the time of comparing a few hundred thousand numbers.
fn by_high_half(mut keys: Vec<u64>) -> Vec<u32> {
    let mut spare = Vec::new();
    let mut counts = vec![0usize; 1 << 16];
    for shift in [32, 48] {
        let digit = |k: u64| usize::from((k >> shift) as u16);
        counts.fill(0);
        for &k in &keys {
            counts[digit(k)] += 1;
        }
        if counts.contains(&keys.len()) {
            continue;
        }
        let mut sum = 0;
        for n in &mut counts {
            (sum, *n) = (sum + *n, sum);
        }
        spare.resize(keys.len(), 0);
        for &k in &keys {
            let at = &mut counts[digit(k)];
            spare[*at] = k;
            *at += 1;
        }
        std::mem::swap(&mut keys, &mut spare);
    }
    keys.into_iter().map(|k| k as u32).collect()
}

/// `name`'s place in `names`, added if new.
fn place(names: &mut Vec<&'static str>, name: &'static str) -> u16 {
    let i = names.iter().position(|&n| n == name).unwrap_or_else(|| {
        names.push(name);
        names.len() - 1
    });
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// The largest value of each numeric column, and the smallest start: the widest cell of a
/// column of numbers is that of its largest value (of its largest or smallest, where they
/// may be negative), so the columns are measured without writing every cell's text.
#[derive(Default)]
struct Extremes {
    /// frames and bytes A->B, B->A, and in all.
    counts: [u64; 6],
    /// The earliest and latest start, and the longest duration, once a conversation has a span.
    times: Option<(i64, i64, i64)>,
}

impl Extremes {
    fn add(&mut self, c: &Conv) {
        raise(
            &mut self.counts,
            [c.frames_ab, c.bytes_ab, c.frames_ba, c.bytes_ba, c.frames(), c.bytes_ab + c.bytes_ba],
        );
        if let Some((s, e)) = c.span() {
            let (first, last, longest) = self.times.get_or_insert((s, s, e - s));
            (*first, *last, *longest) = ((*first).min(s), (*last).max(s), (*longest).max(e - s));
        }
    }

    /// Widens `widths` (the conversation table's columns, addresses measured) to fit every
    /// other cell: the rows of the extremes, and every protocol name (each is some row's).
    fn measure(&self, widths: &mut Widths, protocols: &[&'static str]) {
        let mut row: [Val; 11] = std::array::from_fn(|_| Val::Empty);
        for (cell, &most) in row[2..8].iter_mut().zip(&self.counts) {
            *cell = Val::UInt(most);
        }
        if let Some((first, last, longest)) = self.times {
            (row[8], row[9]) = (Val::Seconds(first), Val::Seconds(longest));
            widths.add(&row);
            row[8] = Val::Seconds(last);
        }
        widths.add(&row);
        for &name in protocols {
            row[10] = Val::Name(name);
            widths.add(&row);
        }
    }
}

/// Raises each of `most` to the value in the same place, if larger.
fn raise<const N: usize>(most: &mut [u64; N], values: [u64; N]) {
    for (most, v) in most.iter_mut().zip(values) {
        *most = (*most).max(v);
    }
}

/// A conversation's row.
fn conv_cells(layer: Layer, key: &ConvKey, c: &Conv, protocols: &[&'static str]) -> [Val<'static>; 11] {
    let (a, b) = c.ends(key);
    let span = c.span();
    [
        addr_val(layer, &a),
        addr_val(layer, &b),
        Val::UInt(c.frames_ab),
        Val::UInt(c.bytes_ab),
        Val::UInt(c.frames_ba),
        Val::UInt(c.bytes_ba),
        Val::UInt(c.frames()),
        Val::UInt(c.bytes_ab + c.bytes_ba),
        span.map_or(Val::Empty, |(s, _)| Val::Seconds(s)),
        span.map_or(Val::Empty, |(s, e)| Val::Seconds(e - s)),
        Val::Name(protocols.get(usize::from(c.protocol)).copied().unwrap_or_default()),
    ]
}

/// An endpoint's row.
fn endpoint_cells(layer: Layer, a: &Addr, e: &Endpoint) -> [Val<'static>; 7] {
    let [frames, bytes, tx_frames, tx_bytes, rx_frames, rx_bytes] = endpoint_counts(e).map(Val::UInt);
    [addr_val(layer, a), frames, bytes, tx_frames, tx_bytes, rx_frames, rx_bytes]
}

/// An endpoint's numbers, in the order of its row.
fn endpoint_counts(e: &Endpoint) -> [u64; 6] {
    [e.tx_frames + e.rx_frames, e.tx_bytes + e.rx_bytes, e.tx_frames, e.tx_bytes, e.rx_frames, e.rx_bytes]
}

#[derive(Debug, Default, Clone)]
struct Endpoint {
    tx_frames: u64,
    tx_bytes: u64,
    rx_frames: u64,
    rx_bytes: u64,
}

/// Endpoints with their counts, in the order a frame first named them.
#[derive(Debug, Clone)]
struct EndpointMap {
    map: SlabMap<Addr, Endpoint>,
    /// Frames with an endpoint past the limit (counted once per frame).
    omitted_frames: u64,
}

impl EndpointMap {
    /// The endpoints of the conversations so far, each conversation's counts added to its two
    /// ends. The same as counting their frames one by one: a conversation's first frame names A
    /// then B, conversations are kept in the order of their first frames, and an endpoint that
    /// found the map full never gets in later.
    fn of(convs: Option<&Conversations>, limit: usize) -> EndpointMap {
        let mut out = EndpointMap { map: SlabMap::new(limit), omitted_frames: 0 };
        let Some(convs) = convs else { return out };
        let n = convs.map.len();
        for slot in 0..n {
            // Each end is looked up at random in a map that outgrows the cache: the index
            // buckets of the ends of the conversation AHEAD places on start loading now.
            if slot + AHEAD < n {
                let (key, c) = convs.map.get(slot + AHEAD);
                let (a, b) = c.ends(key);
                out.map.prefetch(&a);
                out.map.prefetch(&b);
            }
            let (key, c) = convs.map.get(slot);
            let (a, b) = c.ends(key);
            let whole = out.add(a, c.frames_ab, c.bytes_ab, c.frames_ba, c.bytes_ba);
            if !(out.add(b, c.frames_ba, c.bytes_ba, c.frames_ab, c.bytes_ab) && whole) {
                out.omitted_frames += c.frames();
            }
        }
        out
    }

    /// Adds to one endpoint; false when it has no room.
    fn add(&mut self, addr: Addr, tx_frames: u64, tx_bytes: u64, rx_frames: u64, rx_bytes: u64) -> bool {
        let Some(e) = self.map.entry(addr, Endpoint::default) else { return false };
        e.tx_frames += tx_frames;
        e.tx_bytes += tx_bytes;
        e.rx_frames += rx_frames;
        e.rx_bytes += rx_bytes;
        true
    }
}

/// The `endpoints,udp` table. The two ends of a frame are the ends of its conversation, so
/// while every conversation is kept the endpoints are summed from the conversations when the
/// table is made: one pass over the conversations instead of two lookups per frame. Once the
/// conversation table is full, frames of later conversations would be missed that way, so from
/// then on they are counted frame by frame, starting from the sums so far. Without the
/// conversations' table they are counted frame by frame from the start.
#[derive(Debug)]
pub struct Endpoints {
    pub layer: Layer,
    /// Counted frame by frame (since the conversations filled up).
    live: Option<EndpointMap>,
    limit: usize,
}

impl Endpoints {
    /// `summed`: from the conversations, which are kept too.
    pub fn new(layer: Layer, limit: usize, summed: bool) -> Endpoints {
        Endpoints { layer, live: (!summed).then(|| EndpointMap::of(None, limit)), limit }
    }

    /// Whether the endpoints are still summed from `convs` when the table is made: a frame
    /// then needs no counting here.
    pub fn summed(&self, convs: Option<&Conversations>) -> bool {
        self.live.is_none() && convs.is_some_and(|c| !c.is_full())
    }

    /// Whether [`Endpoints::prefetch`] does anything: only a UDP table counted frame by frame.
    pub fn looks_ahead(&self) -> bool {
        self.layer == Layer::Udp && self.live.is_some()
    }

    /// Starts loading the index buckets that counting a datagram between these ends will read
    /// first: the map counted frame by frame outgrows the cache, and its two lookups a frame
    /// missed it (`stats -z endpoints,udp` spent 30 % of its time adding to it, half of that
    /// waiting for a bucket).
    pub fn prefetch(&self, src: SocketAddr, dst: SocketAddr) {
        if let (Some(live), Layer::Udp) = (&self.live, self.layer) {
            live.map.prefetch(&Addr::new(src));
            live.map.prefetch(&Addr::new(dst));
        }
    }

    /// Counts a frame before `convs` (when summed from them) counts it.
    pub fn add(&mut self, convs: Option<&Conversations>, bytes: u64, src: Addr, dst: Addr) {
        if self.summed(convs) {
            return;
        }
        let live = match &mut self.live {
            Some(live) => live,
            None => self.live.insert(EndpointMap::of(convs, self.limit)),
        };
        let tx = live.add(src, 1, bytes, 0, 0);
        if !(live.add(dst, 0, 0, 1, bytes) && tx) {
            live.omitted_frames += 1;
        }
    }

    pub fn table<'a>(&'a self, convs: Option<&Conversations>) -> StatTable<'a> {
        let layer = self.layer;
        let mut t = StatTable::new(
            layer.names().1,
            format!("{} endpoints", layer.label()),
            &["address", "frames", "bytes", "tx frames", "tx bytes", "rx frames", "rx bytes"],
        );
        let eps = match &self.live {
            Some(live) => Cow::Borrowed(live),
            None => Cow::Owned(EndpointMap::of(convs, self.limit)),
        };
        // By frames, then by address ([`endpoint_order`]), on keys made once; the entries stay
        // where they are. Measured on the way: the addresses cell by cell, the counts from
        // their largest values (as [`Extremes`]).
        let mut widths = Widths::new(t.columns.len());
        let mut most = [0u64; 6];
        for slot in 0..eps.map.len() {
            let (a, e) = eps.map.get(slot);
            raise(&mut most, endpoint_counts(e));
            widths.add(&[addr_val(layer, a)]);
        }
        let place = |slot: u32| {
            let (a, e) = eps.map.get(slot as usize);
            let (family, address, port) = endpoint_order(a);
            (Reverse(e.tx_frames + e.rx_frames), family, address, port, slot)
        };
        let order = sorted(eps.map.len(), place, packed_endpoint_order, |&(.., slot)| slot);
        let [frames, bytes, tx_frames, tx_bytes, rx_frames, rx_bytes] = most.map(Val::UInt);
        widths.add(&[Val::Empty, frames, bytes, tx_frames, tx_bytes, rx_frames, rx_bytes]);
        t.widths = Some(widths.into());
        let (n, limit) = (eps.omitted_frames, self.limit);
        let eps = std::sync::Arc::new(eps);
        let theirs = std::sync::Arc::clone(&eps);
        t.on_demand_ahead(
            order,
            move |&slot| theirs.map.prefetch_slot(slot as usize),
            move |&slot, row| {
                let (a, e) = eps.map.get(slot as usize);
                row(&endpoint_cells(layer, a, e));
            },
        );
        limit_note(
            &mut t,
            n,
            format!("limit of {limit} endpoints reached: {n} frames with a later endpoint not fully counted"),
        );
        t
    }
}

/// Where an endpoint's row goes: most frames first, then by address ([`endpoint_order`]),
/// then by slot.
type EndpointOrder = (Reverse<u64>, u8, u128, u16, u32);

/// An IPv4 endpoint's [`EndpointOrder`] packed into one number that sorts the same, its low
/// 32 bits the slot; `None` for other addresses and for counts too large.
fn packed_endpoint_order(&(Reverse(frames), family, address, port, slot): &EndpointOrder) -> Option<u128> {
    let frames = u32::try_from(frames).ok()?;
    let address = u32::try_from(address).ok().filter(|_| family == 0)?;
    Some(
        (u128::from(u32::MAX - frames) << 96)
            | (u128::from(address) << 48)
            | (u128::from(port) << 32)
            | u128::from(slot),
    )
}

/// Where an endpoint with as many frames as another goes: by address as `SocketAddr` orders
/// them (IPv4 first, then address and port), Ethernet addresses by their bytes.
fn endpoint_order(a: &Addr) -> (u8, u128, u16) {
    if let Some(m) = a.as_mac() {
        return (2, u128::from(u64::from_be_bytes([0, 0, m[0], m[1], m[2], m[3], m[4], m[5]])), 0);
    }
    let s = a.socket();
    let ip = match s.ip() {
        IpAddr::V4(v4) => u128::from(v4.to_bits()),
        IpAddr::V6(v6) => v6.to_bits(),
    };
    (u8::from(s.is_ipv6()), ip, s.port())
}

/// Says under the table how many frames a full map left uncounted (`omitted` counts frames here).
fn limit_note(t: &mut StatTable<'_>, omitted_frames: u64, note: String) {
    t.omitted = omitted_frames;
    if omitted_frames > 0 {
        t.notes.push(note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million of them may be kept: the size is part of the design.
    #[test]
    fn a_conversation_takes_96_bytes_with_its_key() {
        assert_eq!(std::mem::size_of::<(ConvKey, Conv)>(), 96);
    }

    /// The packed place sorts conversations exactly as the tuple does, over the edges of
    /// counts and times; what cannot be packed is said so.
    #[test]
    fn packed_places_sort_as_the_tuples() {
        let conv = |frames: u64, span: Option<(i64, i64)>| Conv {
            a_first: true,
            protocol: 0,
            frames_ab: frames,
            bytes_ab: 0,
            frames_ba: 0,
            bytes_ba: 0,
            start: span.map_or(i64::MAX, |s| s.0),
            end: span.map_or(i64::MIN, |s| s.1),
        };
        let frames = [0, 1, 2, 1000, u64::from(u32::MAX)];
        let spans =
            [None, Some((i64::MIN, 0)), Some((-1, 5)), Some((0, 0)), Some((1, 9)), Some((i64::MAX - 1, i64::MAX))];
        let mut convs = Vec::new();
        for (n, &f) in frames.iter().enumerate() {
            for (m, &s) in spans.iter().enumerate() {
                // Each pairing of counts and times, and a rotated one beside it: most
                // pairings come twice, under different indexes.
                convs.push(conv(f, s));
                convs.push(conv(frames[(n + m) % frames.len()], spans[(n * 2 + m) % spans.len()]));
            }
        }
        let mut tuples: Vec<ConvOrder> = convs.iter().enumerate().map(|(i, c)| conv_order(c, i as u32)).collect();
        let mut packed: Vec<u128> = tuples.iter().map(|t| packed_order(t).unwrap()).collect();
        // `sorted` takes either way to the same order.
        let index = |&(.., i): &ConvOrder| i;
        let place = |i: u32| tuples[i as usize];
        assert_eq!(sorted(tuples.len(), place, packed_order, index), sorted(tuples.len(), place, |_| None, index));
        tuples.sort_unstable();
        packed.sort_unstable();
        let by_tuple: Vec<u32> = tuples.iter().map(|&(.., i)| i).collect();
        let by_packed: Vec<u32> = packed.iter().map(|&k| k as u32).collect();
        assert_eq!(by_tuple, by_packed);
        assert_eq!(packed_order(&conv_order(&conv(u64::from(u32::MAX) + 1, None), 0)), None, "too many frames");
        assert_eq!(packed_order(&conv_order(&conv(1, Some((i64::MAX, i64::MAX))), 0)), None, "the last start");
    }

    /// Counting by the high halves orders as sorting does, ties in their first order, with
    /// either, both or neither 16-bit digit varying.
    #[test]
    fn counting_by_high_half_orders_as_a_stable_sort() {
        let mut next = crate::stats::tests::numbers(11);
        for highs in [vec![7u64], vec![3, 9, 65_535], vec![1 << 16, 5 << 16], vec![0, 1, 70_000, u64::from(u32::MAX)]] {
            let keys: Vec<u64> = (0..5_000u64).map(|i| (highs[next(highs.len() as u64) as usize] << 32) | i).collect();
            let mut expected = keys.clone();
            expected.sort_by_key(|&k| k >> 32);
            let expected: Vec<u32> = expected.iter().map(|&k| k as u32).collect();
            assert_eq!(by_high_half(keys), expected, "{highs:?}");
        }
        assert_eq!(by_high_half(Vec::new()), Vec::<u32>::new());
    }

    /// The same for endpoints: IPv4 ones packed, sorted as the tuples; others not packed.
    #[test]
    fn packed_endpoint_places_sort_as_the_tuples() {
        let addrs: Vec<Addr> = ["0.0.0.0:0", "10.0.0.1:53", "10.0.0.1:5353", "10.0.0.2:1", "255.255.255.255:65535"]
            .iter()
            .map(|s| Addr::new(s.parse().unwrap()))
            .collect();
        let mut tuples: Vec<EndpointOrder> = Vec::new();
        for (n, frames) in [0, 1, 7, u64::from(u32::MAX)].into_iter().enumerate() {
            for (m, a) in addrs.iter().enumerate() {
                let (family, address, port) = endpoint_order(a);
                tuples.push((Reverse(frames), family, address, port, (n * 10 + m) as u32));
                tuples.push((Reverse(frames), family, address, port, (n * 10 + m + 100) as u32));
            }
        }
        tuples.reverse();
        let mut packed: Vec<u128> = tuples.iter().map(|t| packed_endpoint_order(t).unwrap()).collect();
        tuples.sort_unstable();
        packed.sort_unstable();
        assert_eq!(
            tuples.iter().map(|&(.., s)| s).collect::<Vec<_>>(),
            packed.iter().map(|&k| k as u32).collect::<Vec<_>>()
        );
        let v6 = endpoint_order(&Addr::new("[::1]:5".parse().unwrap()));
        assert_eq!(packed_endpoint_order(&(Reverse(1), v6.0, v6.1, v6.2, 0)), None, "IPv6");
        assert_eq!(packed_endpoint_order(&(Reverse(1 << 32), 0, 1, 1, 0)), None, "too many frames");
    }

    #[test]
    fn protocol_names_are_kept_once_each() {
        let mut names = Vec::new();
        let places: Vec<u16> = ["UDP", "Overte", "UDP", "SRUN", "Overte"].map(|n| place(&mut names, n)).to_vec();
        assert_eq!(places, [0, 1, 0, 2, 1]);
        assert_eq!(names, ["UDP", "Overte", "SRUN"]);
    }
}
