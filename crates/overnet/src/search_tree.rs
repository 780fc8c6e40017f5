//! The search tree of GetSearchResults type 1 (KadC `overnet_opcodes.h`): eDonkey search
//! expressions in prefix order. An operator node is followed by its two operands.

use crate::wire::{u16le, u32le};

/// Most nodes read from one tree; a longer one is reported as malformed (bounded work).
pub const MAX_NODES: usize = 1024;

pub const OPERATOR: u8 = 0x00;
pub const STRING: u8 = 0x01;
pub const META: u8 = 0x02;
pub const NUMBER: u8 = 0x03;

pub fn node_name(t: u8) -> Option<&'static str> {
    Some(match t {
        OPERATOR => "operator",
        STRING => "string",
        META => "meta string",
        NUMBER => "number",
        _ => return None,
    })
}

pub fn operator_name(op: u8) -> Option<&'static str> {
    Some(match op {
        0 => "AND",
        1 => "OR",
        2 => "AND NOT",
        _ => return None,
    })
}

pub fn minmax_name(m: u8) -> Option<&'static str> {
    Some(match m {
        1 => "min",
        2 => "max",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node<'a> {
    Operator(u8),
    String(&'a [u8]),
    /// A value matched against a named tag (`name` of one byte is a special id).
    Meta {
        value: &'a [u8],
        name: &'a [u8],
    },
    Number {
        value: u32,
        minmax: u8,
        name: &'a [u8],
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeError {
    pub at: usize,
    /// Unknown node type (`Some`), truncation or too many nodes (`None`).
    pub node_type: Option<u8>,
}

fn string(b: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let n = u16le(b, at)? as usize;
    Some((b.get(at + 2..at + 2 + n)?, at + 2 + n))
}

impl<'a> Node<'a> {
    /// One node at `at`: (node, end).
    pub fn parse(b: &'a [u8], at: usize) -> Result<(Node<'a>, usize), TreeError> {
        let short = TreeError { at, node_type: None };
        let t = *b.get(at).ok_or(short)?;
        let p = at + 1;
        Ok(match t {
            OPERATOR => (Node::Operator(*b.get(p).ok_or(short)?), p + 1),
            STRING => {
                let (s, end) = string(b, p).ok_or(short)?;
                (Node::String(s), end)
            }
            META => {
                let (value, e) = string(b, p).ok_or(short)?;
                let (name, end) = string(b, e).ok_or(short)?;
                (Node::Meta { value, name }, end)
            }
            NUMBER => {
                let value = u32le(b, p).ok_or(short)?;
                let minmax = *b.get(p + 4).ok_or(short)?;
                let (name, end) = string(b, p + 5).ok_or(short)?;
                (Node::Number { value, minmax, name }, end)
            }
            other => return Err(TreeError { at, node_type: Some(other) }),
        })
    }

    pub fn emit(&self, out: &mut Vec<u8>) {
        let put = |out: &mut Vec<u8>, s: &[u8]| {
            out.extend_from_slice(&(s.len() as u16).to_le_bytes());
            out.extend_from_slice(s);
        };
        match *self {
            Node::Operator(op) => out.extend_from_slice(&[OPERATOR, op]),
            Node::String(s) => {
                out.push(STRING);
                put(out, s);
            }
            Node::Meta { value, name } => {
                out.push(META);
                put(out, value);
                put(out, name);
            }
            Node::Number { value, minmax, name } => {
                out.push(NUMBER);
                out.extend_from_slice(&value.to_le_bytes());
                out.push(minmax);
                put(out, name);
            }
        }
    }
}

/// Walks a whole tree from `at`, calling `visit(node, start, end, depth)` in prefix order;
/// returns the end. Iterative: a deep tree costs no stack.
pub fn walk<'a>(
    b: &'a [u8],
    at: usize,
    mut visit: impl FnMut(&Node<'a>, usize, usize, usize),
) -> Result<usize, TreeError> {
    // Operands still expected at each open operator depth.
    let mut pending: Vec<u8> = Vec::new();
    let mut pos = at;
    for _ in 0..MAX_NODES {
        let (node, end) = Node::parse(b, pos)?;
        visit(&node, pos, end, pending.len());
        pos = end;
        if let Node::Operator(_) = node {
            pending.push(2);
            continue;
        }
        // A leaf completes operands up the chain.
        loop {
            match pending.last_mut() {
                None => return Ok(pos),
                Some(n) => {
                    *n -= 1;
                    if *n > 0 {
                        break;
                    }
                    pending.pop();
                }
            }
        }
    }
    Err(TreeError { at: pos, node_type: None })
}

/// The end of the tree at `at`.
pub fn skip(b: &[u8], at: usize) -> Result<usize, TreeError> {
    walk(b, at, |_, _, _, _| {})
}

/// The nodes of the tree at `at`, in prefix order, and its end.
pub fn parse(b: &[u8], at: usize) -> Result<(Vec<Node<'_>>, usize), TreeError> {
    let mut nodes = Vec::new();
    let end = walk(b, at, |n, _, _, _| nodes.push(*n))?;
    Ok((nodes, end))
}
