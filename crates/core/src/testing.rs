//! Helpers for protocol crates' tests: bytes from hex, one datagram through an [`Engine`] with
//! the whole tree built, and what it produced, in the shape assertions want.

use crate::{Dissection, Engine, Packet, Value};

/// Bytes from hex digits; anything else (spaces, colons, newlines) separates them.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits in {s:?}");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ASCII digits"), 16).expect("hex digits"))
        .collect()
}

/// What one datagram produced.
#[derive(Debug)]
pub struct Outcome {
    pub protocol: String,
    pub info: String,
    /// Expert tags, in order.
    pub tags: Vec<&'static str>,
    /// Expert messages, in the same order.
    pub messages: Vec<String>,
    pub d: Dissection,
}

impl Outcome {
    /// Dissects `pkt` with the whole tree built.
    pub fn of(engine: &mut Engine, pkt: &Packet) -> Outcome {
        let mut d = Dissection::new(true);
        engine.dissect(pkt, &mut d);
        Outcome {
            protocol: d.protocol.to_string(),
            info: d.info.clone(),
            tags: d.experts().iter().map(|e| e.tag()).collect(),
            messages: d.experts().iter().map(|e| e.message.clone()).collect(),
            d,
        }
    }

    /// The first value of a field.
    pub fn field(&self, key: &str) -> Option<Value> {
        self.d.values(key).next().map(|f| f.value.clone())
    }

    /// Every value of a field, in order.
    pub fn all(&self, key: &str) -> Vec<Value> {
        self.d.values(key).map(|f| f.value.clone()).collect()
    }

    /// The names of a field's enum values, in order.
    pub fn names(&self, key: &str) -> Vec<&'static str> {
        self.d
            .values(key)
            .filter_map(|f| match f.value {
                Value::Enum { name, .. } => name,
                _ => None,
            })
            .collect()
    }

    pub fn has(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }

    /// The message of the first finding with this tag.
    pub fn message(&self, tag: &str) -> &str {
        match self.tags.iter().position(|t| *t == tag) {
            Some(i) => &self.messages[i],
            None => panic!("no {tag} among {:?}", self.messages),
        }
    }
}
