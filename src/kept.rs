//! Which fields a run keeps when it does not keep the whole tree: those a display filter, the
//! `-T fields` columns and the statistics' columns read; only those are built.

use udpdissect_core::{Engine, FieldInfo};
use udpdissect_filter::Filter;

/// The fields a run keeps: the filter's keys, the field `columns` (aliases expanded; the
/// record's own fields are read off the record, [`crate::layers::Record`], so not kept for
/// them) and `others` read from the tree (the statistics' columns). `None` when the output
/// shows the whole tree.
pub fn interest<'k>(
    engine: &Engine,
    whole_tree: bool,
    filter: Option<&'k Filter>,
    columns: impl IntoIterator<Item = &'k str>,
    others: impl IntoIterator<Item = &'k str>,
) -> Option<Vec<&'static FieldInfo>> {
    if whole_tree {
        return None;
    }
    let mut keys: Vec<&str> = filter.map(Filter::keys).unwrap_or_default();
    keys.extend(expand_aliases(columns.into_iter().filter(|k| crate::layers::Record::of(k).is_none())));
    keys.extend(expand_aliases(others));
    if keys.contains(&"udp.payload") {
        keys.extend(udpdissect_filter::UDP_PAYLOAD_KEYS);
    }
    Some(crate::list::known_fields(engine).into_iter().filter(|f| keys.contains(&f.key)).collect())
}

/// Column keys with each alias replaced by the fields it reads (`udp.port`: `udp.srcport`,
/// `udp.dstport`).
pub fn expand_aliases<'k>(keys: impl IntoIterator<Item = &'k str>) -> impl Iterator<Item = &'k str> {
    keys.into_iter().flat_map(|k| {
        let members = udpdissect_filter::alias_members(k);
        members.into_iter().flatten().copied().chain(members.is_none().then_some(k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(kept: Option<Vec<&'static FieldInfo>>) -> Vec<&'static str> {
        let mut keys: Vec<&str> = kept.unwrap().iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    #[test]
    fn columns_keep_their_fields_but_the_records_own() {
        let engine = Engine::new(crate::dissectors());
        let filter = Filter::compile("frame.len > 60", &crate::list::catalog(&engine)).unwrap();
        let columns = ["frame.number", "frame.time_relative", "udp.port", "overte.type", "udp.payload"];
        let kept = interest(&engine, false, Some(&filter), columns, ["frame.cap_len"]);
        let kept = keys(kept);
        // The filter's and the statistics' keys stay even when they are the record's.
        for k in ["frame.len", "frame.cap_len", "udp.srcport", "udp.dstport", "overte.type"] {
            assert!(kept.contains(&k), "{k} in {kept:?}");
        }
        for k in ["frame.number", "frame.time_relative", "udp.port"] {
            assert!(!kept.contains(&k), "{k} in {kept:?}");
        }
        assert!(udpdissect_filter::UDP_PAYLOAD_KEYS.iter().all(|k| kept.contains(k)));
        assert_eq!(interest(&engine, true, Some(&filter), columns, []), None);
    }
}
