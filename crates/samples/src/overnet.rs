//! The overnet sample captures.

use crate::Sample;

pub fn samples() -> Vec<Sample> {
    Vec::new()
}
