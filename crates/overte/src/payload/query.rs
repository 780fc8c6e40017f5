//! View frustum queries (`protocols/overte.md` §5.12, §5.13): AvatarQuery and EntityQuery.
//! Raw little-endian; a frustum is 32 bytes (`ConicalViewFrustum::serialize`).

use udpdissect_core::Value;

use super::codec::Rd;
use super::fields as f;

fn walk_frustums(r: &mut Rd) -> Option<u8> {
    let n = r.u8(&f::FRUSTUM_COUNT)?;
    for _ in 0..n {
        let node = r.open(&f::FRUSTUM, || Value::None);
        let ok = (|| {
            r.floats::<3>(&f::FRUSTUM_POSITION)?;
            r.floats::<3>(&f::FRUSTUM_DIRECTION)?;
            r.u16le(&f::FRUSTUM_HALF_ANGLE)?;
            r.u16le(&f::FRUSTUM_FAR_CLIP)?;
            r.f32le(&f::FRUSTUM_RADIUS)
        })();
        r.close(node);
        ok?;
    }
    Some(n)
}

pub(crate) fn dissect_avatar_query(r: &mut Rd) {
    if let Some(n) = walk_frustums(r) {
        r.info(|s| udpdissect_core::digits::push_count(s, n as u64, " frustum"));
    }
}

pub(crate) fn dissect_entity_query(r: &mut Rd) {
    // A cut query stops at its first missing field (reported by the cursor).
    let _ = (|| {
        r.u16le(&f::EQ_CONNECTION_ID)?;
        walk_frustums(r)?;
        r.i32le(&f::EQ_MAX_PPS)?;
        r.f32le(&f::EQ_OCTREE_SCALE)?;
        r.i32le(&f::EQ_BOUNDARY_ADJUST)?;
        let n = r.u16le(&f::EQ_JSON_LEN)?;
        r.bytes(&f::EQ_JSON, n as usize)?;
        r.u16le(&f::EQ_FLAGS)
    })();
}
