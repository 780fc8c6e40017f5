//! Wireshark-style display filters (`-Y EXPR`) over one frame's [`Dissection`].
//!
//! ```text
//! heartbeat.status == dead && !(ip.src in {10.0.0.0/8, 192.168.0.0/16})
//! udp.dstport in {53, 67..68} or expert.severity >= "warn"
//! frame[12:2] == 08:00 && ip.src[0] == 0x0a && len(data.data) > 40 && udp.srcport & 0x1
//! heartbeat contains "\x00\x01" and frame.time_epoch >= "2026-03-02 08:00:00"
//! ip.src#2 == 10.20.30.40 && icmp.type == 3
//! ```
//!
//! # Grammar
//!
//! ```text
//! filter  = [or]                                   (empty: every frame passes)
//! or      = xor {("or" | "||") xor}
//! xor     = and {("xor" | "^^") and}
//! and     = unary {("and" | "&&") unary}
//! unary   = ("not" | "!") unary | "(" or ")" | test
//! test    = term                                   (presence; a mask: not zero)
//!         | term cmp term
//!         | term ["not"] "in" "{" item {[","] item} "}"
//! cmp     = "==" | "eq" | "any_eq" | "!=" | "ne" | "all_ne" | "===" | "all_eq"
//!         | "~=" | "!==" | "any_ne" | "<" | "lt" | "<=" | "le" | ">" | "gt" | ">=" | "ge"
//!         | "contains" | "matches" | "~"
//! term    = product {("+" | "-") product}            (a minus has a space before it)
//! product = masked {("*" | "/" | "%") masked}
//! masked  = atom [("&" | "bitwise_and") value]    (bitwise and)
//! atom    = (value [layers] | func "(" term {"," term} ")" | "{" term "}") {"[" range {"," range} "]"}
//! layers  = "#" n | "#" "[" range {"," range} "]"   (ip.src#2: the second ip layer's)
//! func    = "len" | "count" | "upper" | "lower" | "string" | "abs" | "max" | "min"
//! range   = i ":" j | i "-" j | i | ":" j | i ":"      (offsets may be negative)
//! item    = value [".." value]                     (inclusive range)
//! value   = word | "quoted" | r"raw"                (a word naming a field compares fields)
//! ```
//!
//! Words are numbers (`42`, `-2`, `0x1f`, `0o17`, `0b101`, `1.5`), addresses and CIDR blocks
//! (`10.0.0.0/8`, `2001:db8::/32`), MACs, byte strings (`aa:bb:cc`, `aa-bb-cc`, `aabbcc`),
//! UUIDs, enum names (`dead`) or plain text; which one is decided by the kind of the field
//! on the left. Quoted strings take `\"`, `\\`, `\n`, `\t`, `\r`, `\0` and `\xNN`.
//!
//! Besides the registered fields a filter may name `expert` (any finding), `expert.tag`,
//! `expert.severity` (ordered note < warn < error), `expert.group` (Wireshark's group name:
//! `Checksum`, `Sequence`, `Malformed`, …), `expert.message`, the summary line's
//! columns `_ws.col.protocol`, `_ws.col.info`, `_ws.col.number`, `_ws.col.def_src`,
//! `_ws.col.def_dst` and `_ws.col.packet_length` (each compared as the text the column shows,
//! as tshark 4.2 does), `udp.payload` (computed from `udp` and
//! `udp.length`), and tshark's two-way aliases `ip.addr`, `ipv6.addr`,
//! `eth.addr`, `udp.port` and `tcp.port` (when their members are registered).
//!
//! A filter is compiled once against a [`Catalog`] of the registered fields, which checks every
//! field name and converts every literal for the kind of field it meets, then matched against
//! each frame without parsing or, in the common cases, allocating. Semantics follow tshark:
//! a comparison is true when any occurrence of the field satisfies it, `!=` needs every
//! occurrence to differ, and any comparison with a field the frame lacks is false.

mod catalog;
mod compile;
mod error;
mod eval;
mod lexer;
mod literal;
mod parser;

pub use catalog::{alias_members, aliases, edit_distance, Catalog, Meant, UDP_PAYLOAD_KEYS};
pub use error::FilterError;
pub use eval::udp_payloads;
pub use parser::MAX_NESTING;

use udpdissect_core::Dissection;

/// A compiled display filter.
#[derive(Debug, Clone)]
pub struct Filter {
    expr: eval::Expr,
    keys: Vec<&'static str>,
    findings: bool,
}

impl Filter {
    /// Parses and type-checks `expr`. The empty (or all-blank) filter matches every frame.
    pub fn compile(expr: &str, catalog: &Catalog) -> Result<Filter, FilterError> {
        let ast = parser::parse(expr)?;
        let compile::Compiled { expr, keys, findings } = compile::compile(&ast, catalog)?;
        Ok(Filter { expr, keys, findings })
    }

    /// Whether the frame passes. `frame` is the captured bytes the dissection's fields point
    /// into (data source 0).
    pub fn matches(&self, d: &Dissection, frame: &[u8]) -> bool {
        self.expr.eval(d, frame)
    }

    /// The keys the filter reads, in first-use order, so a caller could build only those
    /// fields. Aliases are expanded (`ip.addr` reads `ip.src` and `ip.dst`); pseudo-fields
    /// appear under their own keys (`expert.tag`, `_ws.col.info`).
    pub fn keys(&self) -> Vec<&str> {
        self.keys.clone()
    }

    /// Whether the filter reads findings (`expert`, `expert.tag`, `expert.group`, a finding's
    /// own tag), so the checks that raise them must run.
    pub fn reads_findings(&self) -> bool {
        self.findings
    }
}
