//! Everything below UDP: capture files (reading pcap, pcapng and gzip; writing pcap and
//! pcapng), link layers, IPv4/IPv6 and bounded IP reassembly. The output is a [`Frame`] (a
//! record of the file) and its [`Decoded`] view (the layers found in it, with byte offsets
//! into the frame).
//!
//! INTERFACE CONTRACT — the CLI and the engine are written against the names below.
//! Keep the public names and shapes; add more if needed.

mod ahead;
mod decode;
mod defrag;
mod input;
mod lz4;
mod options;
mod output;
mod parked;
mod reader;
mod writer;
mod zstd_frames;

pub use decode::{
    decode, decode_into, glance_udp_v4, glance_udp_v4_datagram, ipv4_header, ipv6_fixed_header, Decoded, EthInfo, Icmp,
    Ipv4Info, Ipv6Info, Link, Net, Quoted, SllInfo, Tcp, Transport, Udp, UdpHeader, UdpPayload, Vlan,
};
pub use defrag::{DefragLimits, Defragmenter, FragmentInfo};
pub use input::{Compression, ZSTD_MAX_WINDOW_LOG};
pub use output::compress;
pub use parked::Parked;
pub use reader::{
    CaptureError, CaptureInfo, Format, Frame, Interface, InterfaceStatistics, Options, Reader, SectionHeader,
    Timestamp, MAX_INTERFACES, MAX_INTERFACE_OPTIONS, MAX_INTERFACE_TEXT,
};
pub use writer::{CaptureWriter, OutFormat};

/// Link-layer header types (LINKTYPE_* numbers as stored in the file).
pub mod linktype {
    pub const NULL: u16 = 0;
    pub const ETHERNET: u16 = 1;
    pub const RAW: u16 = 101;
    pub const LOOP: u16 = 108;
    pub const LINUX_SLL: u16 = 113;
    pub const IPV4: u16 = 228;
    pub const IPV6: u16 = 229;
    pub const LINUX_SLL2: u16 = 276;
    /// Not a LINKTYPE: the frames the reader makes of pcapng custom blocks.
    pub const PCAPNG_CUSTOM: u16 = 0xffff;
    /// Some old files store raw IP as DLT 12 or 14 (OpenBSD); treat as RAW.
    pub const RAW_ALT12: u16 = 12;
    pub const RAW_ALT14: u16 = 14;

    /// Short name as tshark prints in capinfos-like output.
    pub fn name(lt: u16) -> &'static str {
        match lt {
            NULL => "NULL (BSD loopback)",
            ETHERNET => "Ethernet",
            RAW | RAW_ALT12 | RAW_ALT14 => "Raw IP",
            LOOP => "OpenBSD loopback",
            LINUX_SLL => "Linux cooked-mode capture v1",
            IPV4 => "Raw IPv4",
            IPV6 => "Raw IPv6",
            LINUX_SLL2 => "Linux cooked-mode capture v2",
            PCAPNG_CUSTOM => "pcapng custom block",
            _ => "unknown",
        }
    }
}

#[cfg(test)]
mod tests_decode;
#[cfg(test)]
mod tests_fuzz;
#[cfg(test)]
mod tests_options;
#[cfg(test)]
mod tests_reader;
#[cfg(test)]
mod tests_writer;
#[cfg(test)]
mod testutil;
